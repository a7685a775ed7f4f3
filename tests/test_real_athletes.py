"""Issue 12's done-when for every imported real athlete: a plan from the rule coach (and, slow, from the embedded
model), a dataset, and an evaluation that reports validity and checker findings where no oracle exists.

The four exports in ../shared/data/exports are read in place through the CLI, as a new user would run it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.cli.app import app

# (import command, file, extra flags): strong-ios.csv has no unit column and is in pounds
REAL = [
    ("strong", "strong-ios.csv", ["--unit", "lb"]),
    ("strong", "strong-android.csv", []),
    ("hevy", "hevy.csv", []),
    ("fitnotes", "fitnotes.csv", []),
]


def _name(file: str) -> str:
    return file.split(".")[0]


def _import(run, shared_data: Path, fmt: str, file: str, flags: list[str]) -> str:
    name = _name(file)
    r = run(app, ["import", fmt, str(shared_data / "exports" / file), "-a", name, "--create", *flags])
    assert r.exit_code == 0, r.output
    return name


@pytest.mark.parametrize("fmt, file, flags", REAL, ids=[_name(f) for _, f, _ in REAL])
def test_imported_athlete_gets_a_rule_plan_a_dataset_and_an_evaluation(home, shared_data, fmt, file, flags):
    run = CliRunner().invoke
    name = _import(run, shared_data, fmt, file, flags)

    r = run(app, ["plan", "-a", name, "--model", "rules", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["generation"]["valid"], out["generation"].get("error")
    assert out["plan"]["days"]

    r = run(app, ["dataset", "build", "-a", name])
    assert r.exit_code == 0, r.output
    train = home / "datasets" / name / "train.jsonl"
    assert train.exists() and train.read_text(encoding="utf-8").strip()

    r = run(app, ["eval", "-a", name, "--approaches", "rules", "--weeks", "2", "--json"])
    assert r.exit_code == 0, r.output
    rules = json.loads(r.stdout)["summary"]["rules"]
    # no oracle for a real person: validity and the checker's findings are what is reported
    assert rules["n"] == 2 and rules["valid_rate"] == 1.0
    assert rules["score_mean"] is None and rules["high_findings_mean"] == 0.0
    assert isinstance(rules["findings_mean"], float)


@pytest.mark.slow
def test_imported_athlete_plans_with_the_embedded_model_and_evaluates_prompting(home, shared_data):
    """One athlete with a short history (FitNotes, 5 months): the embedded model's plan and a two-week
    evaluation of the rule coach against prompting at detail 3."""
    run = CliRunner().invoke
    name = _import(run, shared_data, "fitnotes", "fitnotes.csv", [])
    r = run(app, ["plan", "-a", name, "--model", "embedded", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["generation"]["valid"], out["generation"].get("error")
    r = run(app, ["dataset", "build", "-a", name])
    assert r.exit_code == 0, r.output
    r = run(app, ["eval", "-a", name, "--approaches", "rules,prompt-d3", "--weeks", "2", "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)["summary"]
    assert {"rules", "prompt-d3"} <= set(summary)
    assert summary["rules"]["valid_rate"] == 1.0 and summary["prompt-d3"]["n"] == 2
    assert all(isinstance(v["findings_mean"], float) for v in summary.values() if v["valid_rate"])


class _Answers:
    """A model that answers with given plans (the model paths' parsing and name checks run for real)."""

    name = "scripted"
    supports_json_schema = True
    needs_context = False
    adapter = None

    def __init__(self, text: str):
        self.text = text
        self.requests = []

    def generate(self, req):
        from peri.backends.base import GenerationResult

        self.requests.append(req)
        return GenerationResult(text=self.text, prompt_tokens=10, output_tokens=10, latency_s=0.1, cost_usd=0.0,
                                model=self.name, finish_reason="stop")


@pytest.mark.parametrize("fmt, file, flags", REAL, ids=[_name(f) for _, f, _ in REAL])
def test_model_paths_accept_a_real_athletes_own_unmapped_names(store, shared_data, fmt, file, flags):
    from peri.generate import generate_plan
    from peri.log.importers import import_file

    from collections import Counter

    from peri.log.catalog import Catalog, default_catalog

    name = _name(file)
    mapping = {"unit": flags[1]} if flags else None
    import_file(store, name, fmt, shared_data / "exports" / file, mapping=mapping, create_athlete=True)
    sets = [w for s in store.sessions(store.get_athlete(name).id) for w in s.sets]
    # the athlete's three most logged names, made unplaceable: a catalog without the entries they map to
    # (whatever the shipped catalog learns to map, these names are then the athlete's own, unmapped)
    own = [n for n, _ in Counter(w.exercise for w in sets).most_common(3)]
    full = default_catalog()
    gone = {w.exercise_id for w in sets if w.exercise in own and w.exercise_id}
    gone |= {e.id for n in own if (e := full.match(n).entry) is not None}
    catalog = Catalog([e for e in full.entries if e.id not in gone])
    assert all(catalog.match(n).entry is None or catalog.match(n).entry.id not in gone for n in own)
    answer = json.dumps({"days": [{"name": "Day A", "exercises": [
        {"exercise": n, "sets": 3, "reps": [8, 10], "kg": 20, "rpe": 8} for n in own]}]})
    backend = _Answers(answer)
    # the name path alone: the load bands (peri.plans.constraints) are tested in test_plan_constraints.py
    g = generate_plan(store, name, "scripted", backend=backend, max_attempts=1, catalog=catalog, constrain=False)
    assert g.valid, g.error
    assert [p["exercise"] for p in g.plan["days"][0]["exercises"]] == own
    enum = backend.requests[0].json_schema["properties"]["days"]["items"]["properties"]["exercises"]["items"][
        "properties"]["exercise"]["enum"]
    assert set(own) <= set(enum)  # the schema lets the model write the athlete's own names
    # the short (tuned-model) path decodes under a grammar over the same vocabulary
    text = "WEEK normal\nDAY Day A\n" + "".join(f"{n}: 3x8-10 @20kg RPE8\n" for n in own)
    short = _Answers(text)
    short.supports_json_schema = False
    g = generate_plan(store, name, "scripted", backend=short, prompt_style="short", max_attempts=1, catalog=catalog,
                     constrain=False)
    assert g.valid, g.error


def test_demo_import_needs_a_format_and_a_file(home, tmp_path):
    run = CliRunner().invoke
    r = run(app, ["demo", "--import", "strong"])
    assert r.exit_code != 0 and "--import and FILE go together" in r.output
    r = run(app, ["demo", "--import", "xlsx", str(tmp_path / "x.csv")])
    assert r.exit_code != 0 and "auto, strong, hevy, fitnotes or csv" in r.output
    r = run(app, ["demo", "--import", "auto", str(tmp_path / "x.csv")])  # a format it knows, a file that is not there
    assert r.exit_code != 0 and "x.csv" in r.output and "Traceback" not in r.output
