"""The harness end to end with the rule-based coach (no model): held-out weeks after the training cutoff,
oracle scores, caching, and no hidden trait reaching the results except through the oracle's scores."""
from __future__ import annotations

import ast
import json
from pathlib import Path

from peri.evaluate.harness import EvalConfig, run_eval, training_cutoff
from peri.log.catalog import default_catalog
from peri.log.context import load_context
from peri.log.store import Store
from peri.sim.generate import simulate
from peri.tune.dataset import build_dataset, write_dataset

EVALUATE = Path(__file__).resolve().parents[1] / "src" / "peri" / "evaluate"


def _athlete(store: Store, home: Path, name: str = "eve") -> None:
    simulate(store, "seed", seed=3, weeks=40, athlete_name=name, home=home)
    write_dataset(build_dataset(load_context(store, name), default_catalog(), val_fraction=0.2))


def test_rules_on_held_out_weeks_with_oracle_and_cache(store: Store, home: Path) -> None:
    _athlete(store, home)
    cutoff = training_cutoff("eve", home)
    assert cutoff is not None
    cfg = EvalConfig(athlete="eve", approaches=["rules"], weeks=3)
    res = run_eval(store, cfg, home=home)
    assert res.simulated and res.training_cutoff == cutoff
    assert len(res.held_out_weeks) == 3 and all(w > cutoff for w in res.held_out_weeks)
    assert all(r.valid and r.oracle is not None and 0 <= r.oracle <= 100 for r in res.records)
    assert res.summary["rules"].score_mean is not None
    n_generations = len(store.generations())
    again = run_eval(store, cfg, home=home)
    assert len(store.generations()) == n_generations  # everything came from the cache
    assert [r.oracle for r in again.records] == [r.oracle for r in res.records]
    summary = json.loads((home / "eval" / "eve" / "summary.json").read_text())
    assert "rules" in summary["approaches"]
    # a user's template override changes the prompts: nothing cached before it may answer for it
    (home / "templates").mkdir()
    (home / "templates" / "system.j2").write_text("You are a terse coach.\n")
    run_eval(store, cfg, home=home)
    assert len(store.generations()) == n_generations + 3


def test_hidden_traits_reach_results_only_as_scores(store: Store, home: Path) -> None:
    _athlete(store, home, "zed")
    res = run_eval(store, EvalConfig(athlete="zed", approaches=["rules"], weeks=2), home=home)
    traits = json.loads(next((home / "oracle").glob("*.json")).read_text())
    text = res.model_dump_json()
    public = {"athlete", "preset", "seed", "start", "weeks", "level", "goal", "days_per_week", "split"}
    scores = {"safety", "volume_fit", "progression", "adherence", "preference"}  # the oracle's score names
    for key in set(traits) - public - scores:  # aggravators, responsive, volume, trajectory, ... never appear
        assert f'"{key}"' not in text, key
    for key in set(traits) & scores:  # a trait sharing a score's name appears only as a number
        assert f'"{key}":{{' not in text.replace(" ", "") and f'"{key}":[' not in text.replace(" ", ""), key
    assert set(res.records[0].oracle_breakdown or {}) <= {"safety", "volume_fit", "progression", "adherence", "preference"}


def test_evaluate_package_imports_only_the_oracle_from_sim() -> None:
    for path in EVALUATE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                mod = ("." * node.level) + (node.module or "")
                if "sim" in mod.split("."):
                    assert mod in ("..sim", "peri.sim") and [a.name for a in node.names] == ["oracle"], f"{path.name}: {mod}"
                    assert node.module in ("sim", "peri.sim")
            if isinstance(node, ast.Import):
                for a in node.names:
                    assert not a.name.startswith("peri.sim") or a.name == "peri.sim.oracle", f"{path.name}: {a.name}"


def test_paired_comparison_says_plainly_whether_the_difference_is_real() -> None:
    import datetime as dt

    from peri.evaluate.harness import EvalRecord, _compare

    def recs(approach: str, scores: list[float]) -> list[EvalRecord]:
        return [EvalRecord(key=f"{approach}{i}", approach=approach, model="m", week_of=dt.date(2026, 1, 5) + dt.timedelta(weeks=i),
                           scenario="normal", valid=True, oracle=s) for i, s in enumerate(scores)]

    clear = _compare(recs("a", [90, 91, 89, 90]) + recs("b", [60, 62, 59, 61]), "a", "b", "vs")
    assert "+29.5 points on 4 paired weeks" in clear and "a real difference" in clear and "excludes zero" in clear
    noisy = _compare(recs("a", [90, 50, 70, 60]) + recs("b", [60, 80, 65, 62]), "a", "b", "vs")
    assert "within noise" in noisy and "includes no difference" in noisy


def test_unconstrained_twins_and_plugged_in_approaches(store: Store) -> None:
    import pytest

    from peri.errors import PeriError
    from peri.evaluate import harness
    from peri.evaluate.harness import Approach, EvalConfig, available_approaches, register_approaches
    from tests.test_generate import seed_athlete

    seed_athlete(store)
    got, _ = available_approaches(store, EvalConfig(athlete="ana", approaches=["prompt-d2", "prompt-d2-unconstrained", "rules"]))
    by = {a.name: a for a in got}
    assert set(by) == {"prompt-d2", "prompt-d2-unconstrained", "rules"}
    assert by["prompt-d2"].constrain and not by["prompt-d2-unconstrained"].constrain
    assert by["prompt-d2-unconstrained"].model_copy(update={"name": "prompt-d2", "constrain": True}) == by["prompt-d2"]
    with pytest.raises(PeriError, match="rules-unconstrained"):  # the coach has no decoding to constrain
        available_approaches(store, EvalConfig(athlete="ana", approaches=["rules-unconstrained"]))

    def provider(store, cfg):
        return [Approach(name="prompt-plugin", model=cfg.base_model, style="engineered", detail=1)], ["a note"]

    register_approaches(provider)
    try:
        got, notes = available_approaches(store, EvalConfig(athlete="ana", approaches=["prompt-plugin"]))
        assert [a.name for a in got] == ["prompt-plugin"] and "a note" in notes
    finally:
        harness.APPROACH_PROVIDERS.remove(provider)


def test_the_model_stays_loaded_while_rules_jobs_run_between_its_weeks(store: Store, home: Path, monkeypatch) -> None:
    """Week-by-week order alternates rule-coach and model jobs: the model is loaded once for the whole run
    (the rule coach holds no model) and closed once at the end."""
    import peri.backends.registry as registry
    from peri.backends.rules import RulesBackend

    _athlete(store, home, "wes")
    real = registry.get_backend
    loads: list[str] = []
    closes: list[str] = []

    class CountingModel(RulesBackend):
        def close(self) -> None:
            closes.append("embedded")

    def counting(spec: str, store_=None, *a, **kw):
        loads.append(spec)
        return CountingModel() if spec == "embedded" else real(spec, store_, *a, **kw)

    monkeypatch.setattr(registry, "get_backend", counting)
    res = run_eval(store, EvalConfig(athlete="wes", approaches=["rules", "prompt-d0"], weeks=3), home=home)
    assert {r.approach for r in res.records} == {"rules", "prompt-d0"} and len(res.records) == 6
    assert loads.count("embedded") == 1 and closes == ["embedded"]
