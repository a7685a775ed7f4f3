"""Cohort aggregation and learning-curve subsets, without training (the full runs are `peri eval` commands)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peri.evaluate.cohort import aggregate
from peri.evaluate.harness import ApproachSummary, EvalConfig, EvalResults
from peri.evaluate.learning import curve_sizes, recent_subset


def _res(name: str, scores: dict[str, float]) -> EvalResults:
    summary = {k: ApproachSummary(approach=k, model="m", n=2, valid_rate=1.0, score_mean=v, high_findings_mean=1.0,
                                  prompt_tokens_mean=100.0, latency_mean=2.0) for k, v in scores.items()}
    return EvalResults(athlete=name, simulated=True, config=EvalConfig(athlete=name), held_out_weeks=[dt.date(2026, 1, 5)],
                       training_cutoff=None, records=[], summary=summary, verdict=[])


def test_cohort_means_across_athletes_and_counts_wins() -> None:
    res = aggregate({
        "a": _res("a", {"rules": 90.0, "finetuned-short": 60.0}),
        "b": _res("b", {"rules": 70.0, "finetuned-short": 80.0}),
        "c": _res("c", {"rules": 80.0, "finetuned-short": 70.0}),
    })
    assert res.rows["rules"].score_mean == pytest.approx(80.0)
    assert res.rows["rules"].wins == 2 and res.rows["finetuned-short"].wins == 1
    assert res.rows["rules"].score_ci == pytest.approx(4.303 * 10.0 / 3 ** 0.5, rel=1e-3)  # t(2), sd 10
    assert res.verdict[0].startswith("Across 3 simulated athletes, rules scores best")


def test_learning_curve_subsets_are_the_most_recent_and_nested(tmp_path: Path) -> None:
    train = tmp_path / "train.jsonl"
    train.write_text("".join(f'{{"week": {i}}}\n' for i in range(10)))
    assert recent_subset(train, 3, tmp_path / "s3.jsonl") == 3
    assert (tmp_path / "s3.jsonl").read_text().splitlines() == ['{"week": 7}', '{"week": 8}', '{"week": 9}']
    assert recent_subset(train, 0, tmp_path / "all.jsonl") == 10
    assert recent_subset(train, 50, tmp_path / "more.jsonl") == 10
    assert curve_sizes(train, (3, 50, 0, 3, 5)) == [3, 10, 5]  # capped, 0 = all, each size once, in order


def test_curve_from_imported_models_uses_their_recorded_sizes(store, monkeypatch: pytest.MonkeyPatch) -> None:
    from peri.errors import ConfigError
    from peri.evaluate import learning
    from peri.log.store import RegisteredModel

    for name, n, loss in [("a-n100", 100, 0.36), ("a-n25", 25, 0.70)]:
        store.register_model(RegisteredModel(name=name, kind="finetuned-local", meta={
            "train_examples": n, "train_seconds": 13.0, "val_loss_before": 2.0, "val_loss_after": loss}))
    store.register_model(RegisteredModel(name="old", kind="finetuned-local", meta={}))
    asked: list[tuple[list[str], str | None]] = []

    def fake_eval(store, cfg, home=None, write_summary=True):  # what run_eval was asked, a score per model
        asked.append((cfg.approaches, cfg.tuned_model))
        scores = {"ft:a-n25": 60.0, "ft:a-n100": 70.0}
        if cfg.approaches == ["finetuned-short"]:
            return _res("a", {"finetuned-short": scores[cfg.tuned_model]})
        return _res("a", {"rules": 90.0, "prompt-d3": 50.0, "prompt-d4": 30.0})

    monkeypatch.setattr(learning, "run_eval", fake_eval)
    curve = learning.curve_from_models(store, EvalConfig(athlete="a"), ["ft:a-n100", "a-n25"])
    assert [(p.examples, p.model, p.score_mean, p.val_loss_after) for p in curve.points] == [
        (25, "ft:a-n25", 60.0, 0.70), (100, "ft:a-n100", 70.0, 0.36)]
    assert curve.references == {"rules": 90.0, "prompt-d3": 50.0, "prompt-d4": 30.0}
    assert (["finetuned-short"], "ft:a-n100") in asked
    with pytest.raises(ConfigError, match="training-example count"):
        learning.curve_from_models(store, EvalConfig(athlete="a"), ["ft:old"])


# --- resumable, incremental cohort runs -------------------------------------------------------------------

def _make(store, preset: str, seed: int, name: str) -> None:
    from peri.sim.generate import simulate  # only the test (and the CLI) wires the simulator in

    simulate(store, preset, seed=seed, weeks=20, athlete_name=name)


class Interrupt(Exception):
    pass


def _records(home: Path) -> dict[str, dict]:
    """Every finished record on disk, without what differs from run to run (timings, generation ids)."""
    out = {}
    for f in sorted((home / "eval").glob("*/records/*.json")):
        import json

        r = json.loads(f.read_text())
        for k in ("latency_s", "generation_id", "cost_local_usd"):
            r.pop(k, None)
        out[f"{f.parent.parent.name}/{f.name}"] = r
    return out


def _run(store, home: Path, **kw):
    from peri.evaluate.cohort import run_cohort
    from peri.sim.presets import preset_names

    cfg = EvalConfig(athlete="", approaches=["rules", "rules-raw"], weeks=2, scenario_weeks=True)
    return run_cohort(store, 2, list(preset_names()), make_athlete=_make, tune=None, base=cfg, home=home, **kw)


def test_a_killed_cohort_run_continues_to_the_same_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from peri.log.store import Store

    def store_in(d: Path) -> Store:
        monkeypatch.setenv("PERI_HOME", str(d))
        return Store(d / "peri.db")

    whole = tmp_path / "whole"
    full = _run(store_in(whole), whole)
    expected = _records(whole)
    assert full.complete and len(full.athletes) == 2 and len(expected) >= 8  # 2 athletes x 2 approaches x 2+ weeks

    pieces = tmp_path / "pieces"
    store = store_in(pieces)
    done: list[str] = []

    def killer(desc: str, i: int, total: int) -> None:  # the process dies after K finished results
        if desc != "done" and i > 0:
            done.append(desc)
            if len(done) == 3:
                raise Interrupt

    with pytest.raises(Interrupt):
        _run(store, pieces, job_progress=killer)
    partial = _records(pieces)
    assert 0 < len(partial) < len(expected) and not list((pieces / "eval").glob("*/records/.tmp-*"))
    assert all(expected[k] == v for k, v in partial.items())  # what was finished is already the final answer

    seen: list[str] = []
    again = _run(store, pieces, job_progress=lambda d, i, t: seen.append(d))
    assert _records(pieces) == expected and again.complete
    assert again.rows["rules"].score_mean == pytest.approx(full.rows["rules"].score_mean)
    before = {f: f.stat().st_mtime_ns for f in (pieces / "eval").glob("*/records/*.json")}
    _run(store, pieces)  # a re-run does nothing twice: no record is written again
    assert {f: f.stat().st_mtime_ns for f in (pieces / "eval").glob("*/records/*.json")} == before


def test_a_time_limit_stops_before_new_work_and_says_what_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from peri.log.store import Store

    monkeypatch.setenv("PERI_HOME", str(tmp_path))
    store = Store(tmp_path / "peri.db")
    res = _run(store, tmp_path, deadline=time.monotonic() - 1)
    assert not res.complete and res.pending == ["sim-seed-1", "sim-shoulder-ppl-2"] and res.athletes == []
    assert not list(tmp_path.glob("eval/*/records/*.json"))


def test_cohort_members_are_deterministic_presets_in_turn() -> None:
    from peri.evaluate.cohort import cohort_members

    m = cohort_members(7, ["a", "b", "c", "d", "e"], seed0=10)
    assert [x[0] for x in m] == ["sim-a-10", "sim-b-11", "sim-c-12", "sim-d-13", "sim-e-14", "sim-a-15", "sim-b-16"]
    assert cohort_members(7, ["a", "b", "c", "d", "e"], seed0=10) == m


def test_a_time_limited_run_reports_the_finished_records_of_the_athlete_it_stopped_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from peri.log.store import Store

    monkeypatch.setenv("PERI_HOME", str(tmp_path))
    store = Store(tmp_path / "peri.db")
    calls: list[str] = []

    def killer(desc: str, i: int, total: int) -> None:
        calls.append(desc)
        if len(calls) == 3:
            raise Interrupt

    with pytest.raises(Interrupt):
        _run(store, tmp_path, job_progress=killer)  # two records of the first athlete finished
    res = _run(store, tmp_path, deadline=time.monotonic() - 1)  # past the limit: only what is on disk
    assert not res.complete and res.pending == ["sim-seed-1", "sim-shoulder-ppl-2"]
    # jobs run week by week: the two finished records are the first week's rule coach and coach without repair
    assert res.athletes == ["sim-seed-1"] and set(res.rows) == {"rules", "rules-raw"}
    assert len(_results_records(tmp_path)) == 2 and len({r.week_of for r in _results_records(tmp_path)}) == 1


def _results_records(home: Path) -> list:
    from peri.evaluate.harness import load_records

    return list(load_records("sim-seed-1", home).values())
