"""The dataset builder: one example per past week, no leakage, annotation-driven keep/drop/repair, split by time."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from peri.log.catalog import default_catalog
from peri.log.context import load_context
from peri.log.models import Annotation, Athlete, Scope, Session, WorkoutSet
from peri.log.store import Store
from peri.plans.schema import Scenario
from peri.plans.text import parse_plan_text
from peri.prompts.builder import short_prompt
from peri.tune.dataset import build_dataset, dataset_dir, detect_scenario, write_dataset
from peri.tune.validate import check_file

START = dt.date(2025, 1, 6)  # a Monday
DAYS = {  # session name -> [(exercise, catalog id, base kg)]
    "Upper A": [("Bench Press", "Barbell_Bench_Press_-_Medium_Grip", 80.0), ("Cable Row", "Seated_Cable_Rows", 60.0)],
    "Lower A": [("Squat", "Barbell_Squat", 100.0), ("Leg Press", "Leg_Press", 150.0)],
    "Upper B": [("DB Bench", "Dumbbell_Bench_Press", 30.0), ("Pull Up", "Pullups", 0.0)],
    "Lower B": [("Deadlift", "Barbell_Deadlift", 120.0), ("RDL", "Romanian_Deadlift", 90.0)],
}


def week_sessions(w: int, *, names: dict[str, str] | None = None, flat: bool = False, notes: str | None = None,
                  sets: int = 3) -> list[Session]:
    monday = START + dt.timedelta(weeks=w)
    out = []
    for i, (name, exercises) in enumerate(DAYS.items()):
        day = dt.datetime.combine(monday + dt.timedelta(days=[0, 1, 3, 4][i]), dt.time(18, 0))
        ws = []
        for ex, eid, kg in exercises:
            load = kg if flat else kg + 2.5 * w
            for k in range(sets):
                ws.append(WorkoutSet(exercise=ex, exercise_id=eid, order=k + 1, weight=load or None, unit="kg" if load else None,
                                     weight_kg=load or None, reps=8, rpe=8.0))
        out.append(Session(started_at=day, name=(names or {}).get(name, name), sets=ws, source="csv",
                           notes=notes if i == 0 else None))
    return out


def note(w: int, text: str, tags: list[str], regions: list[str] | None = None, exercise: str | None = None,
         eid: str | None = None) -> Annotation:
    return Annotation(scope=Scope.exercise if exercise else Scope.week, date=START + dt.timedelta(weeks=w, days=2),
                      text=text, tags=tags, regions=regions or [], exercise=exercise, exercise_id=eid, source="manual")


def seed_store(store: Store, weeks: int = 24, **special) -> str:
    """An athlete with `weeks` weeks of a 4-day upper/lower log; `special` maps week -> extras."""
    a = store.add_athlete(Athlete(name="Ana Lopez", age=38, days_per_week=4, constraints=["lower back sensitivity"],
                                  constraint_regions=["lower_back"]))
    sessions, notes = [], []
    for w in range(weeks):
        if w == 5:  # a week off: no sessions, no example
            continue
        if w == 9:
            sessions += week_sessions(w, names={"Upper A": "Deload upper"}, sets=2)
        elif w == 13:
            sessions += week_sessions(w, notes="Hotel gym this week, dumbbells only")
        else:
            sessions += week_sessions(w)
    notes.append(note(7, "that program felt great, strong all week", ["worked", "felt_strong"]))
    notes.append(note(11, "deadlifts aggravated my lower back again", ["aggravated"], ["lower_back"],
                      "Deadlift", "Barbell_Deadlift"))
    store.add_sessions(a.id, sessions, notes)
    return a.name


@pytest.fixture
def built(store: Store):
    name = seed_store(store)
    ctx = load_context(store, name)
    return store, name, build_dataset(ctx, default_catalog())


def test_one_example_per_week_after_the_first(built):
    store, name, b = built
    weeks = [e.week_start for e in b.train + b.val]
    assert weeks == sorted(weeks) and len(set(weeks)) == len(weeks)
    assert START not in weeks  # the first week has no earlier history
    assert START + dt.timedelta(weeks=5) not in weeks  # the week off
    reasons = {d.week_start: d.reason for d in b.dropped}
    assert reasons[START].startswith("first logged week")
    assert b.report.weeks_logged == 23
    assert b.report.examples == len(weeks) == 23 - len(b.dropped)


def test_inputs_are_the_serving_prompt_on_history_before_the_week(built):
    store, name, b = built
    catalog = default_catalog()
    for e in b.train + b.val:
        ctx = load_context(store, name, as_of=e.week_start)  # what serving would see that Monday
        sc = e.scenario
        expected = short_prompt(ctx, catalog, sc, equipment=None if sc != Scenario.travel else
                                sorted({"dumbbell", "barbell", "cable", "machine", "body only"}))
        assert e.messages[:2] == expected, e.week_start
        assert e.messages[2]["role"] == "assistant"
        plan = parse_plan_text(e.messages[2]["content"])
        assert plan.week_of is None and plan.scenario == sc


def test_no_future_leaks_into_an_input(store: Store):
    name = seed_store(store, weeks=12)
    before = build_dataset(load_context(store, name), default_catalog())
    a = store.get_athlete(name)
    store.add_sessions(a.id, [s.model_copy(update={"name": "Extra"}) for s in week_sessions(12)], [])
    after = build_dataset(load_context(store, name), default_catalog())
    old = {e.week_start: e.messages for e in before.train + before.val}
    new = {e.week_start: e.messages for e in after.train + after.val}
    assert all(new[w] == m for w, m in old.items())  # adding a later week changes no earlier example
    assert len(new) == len(old) + 1


def test_time_ordered_split(built):
    _, _, b = built
    assert b.val and b.train
    assert max(e.week_start for e in b.train) < min(e.week_start for e in b.val)
    assert len(b.val) == round(b.report.examples * 0.15)


def test_scenarios_detected_from_the_log(built):
    _, _, b = built
    by_week = {e.week_start: e for e in b.train + b.val}
    deload = by_week[START + dt.timedelta(weeks=9)]
    travel = by_week[START + dt.timedelta(weeks=13)]
    assert deload.scenario == Scenario.deload and "Deload" in deload.messages[1]["content"]
    assert deload.messages[2]["content"].startswith("WEEK deload\n")
    assert travel.scenario == Scenario.travel and "Travel week" in travel.messages[1]["content"]
    assert by_week[START + dt.timedelta(weeks=3)].scenario == Scenario.normal
    assert b.report.scenarios == {"normal": b.report.examples - 2, "deload": 1, "travel": 1}


def test_detect_scenario_is_multilingual_light():
    assert detect_scenario(["Semana de descarga"]) == Scenario.deload
    assert detect_scenario(["Training im Hotel"]) == Scenario.travel
    assert detect_scenario(["mock meet on saturday"]) == Scenario.peaking
    assert detect_scenario(["physio said rest the knee"]) == Scenario.injury
    assert detect_scenario(["meeting ran late, short session"]) == Scenario.normal
    assert detect_scenario(["back from holiday, felt rusty", "after the meet: easy"]) == Scenario.normal
    assert detect_scenario([]) == Scenario.normal


def test_worked_weeks_are_marked(built):
    _, _, b = built
    by_week = {e.week_start: e for e in b.train + b.val}
    assert by_week[START + dt.timedelta(weeks=7)].label == "worked"
    assert b.report.worked == 1


def test_aggravated_week_dropped_without_repair(store: Store):
    name = seed_store(store)
    b = build_dataset(load_context(store, name), default_catalog(), repair=False)
    week = START + dt.timedelta(weeks=11)
    assert week not in {e.week_start for e in b.train + b.val}
    (d,) = [d for d in b.dropped if d.week_start == week]
    assert "aggravated" in d.reason and "deadlifts aggravated" in d.reason


def test_aggravated_week_repaired_by_the_checker(built):
    _, _, b = built
    week = START + dt.timedelta(weeks=11)
    (e,) = [e for e in b.train + b.val if e.week_start == week]
    assert e.label == "repaired" and "aggravated" in (e.note or "")
    assert [r.week_start for r in b.repaired] == [week]
    plan = parse_plan_text(e.messages[2]["content"])
    assert "Barbell Deadlift" not in plan.exercise_names()
    assert len(plan.days) == 4  # repair keeps the day count


def test_a_note_dated_the_next_monday_belongs_to_the_next_week(store: Store):
    """A week is Monday..Sunday: an aggravation note written on the following Monday says nothing about the
    week before it (that week stays a plain example), and it does mark the week it falls in."""
    name = seed_store(store, weeks=12)
    a = store.get_athlete(name)
    monday = START + dt.timedelta(weeks=8)  # the Monday after week 7
    store.add_annotation(a.id, Annotation(scope=Scope.week, date=monday, text="squats aggravated my knee",
                                          tags=["aggravated"], regions=["knee"], source="manual"))
    b = build_dataset(load_context(store, name), default_catalog(), repair=False)
    kept = {e.week_start: e for e in b.train + b.val}
    assert START + dt.timedelta(weeks=7) in kept  # the week before the note: untouched
    assert START + dt.timedelta(weeks=8) not in kept  # the note's own week: dropped without repair
    (d,) = [d for d in b.dropped if d.week_start == START + dt.timedelta(weeks=8)]
    assert "aggravated" in d.reason


@pytest.mark.parametrize(("as_of_days", "last_week_kept"), [(6, False), (7, True)])
def test_a_week_is_finished_only_once_its_sunday_is_history(store: Store, as_of_days: int, last_week_kept: bool):
    """History is strictly before `as_of`: cut on the Sunday, that Sunday is not yet seen and the week is not
    finished; cut on the next Monday, it is."""
    name = seed_store(store, weeks=8)
    last = START + dt.timedelta(weeks=7)
    ctx = load_context(store, name, as_of=last + dt.timedelta(days=as_of_days))
    b = build_dataset(ctx, default_catalog())
    assert (last in {e.week_start for e in b.train + b.val}) is last_week_kept
    if not last_week_kept:
        (d,) = [d for d in b.dropped if d.week_start == last]
        assert d.reason.startswith("week not finished")


def test_identical_pairs_are_kept_once(store: Store):
    a = store.add_athlete(Athlete(name="Flat", age=30))
    sessions = [s for w in range(6) for s in week_sessions(w, flat=True)]
    store.add_sessions(a.id, sessions, [])
    b = build_dataset(load_context(store, "Flat"), default_catalog(), val_fraction=0)
    # Weeks 1..5 repeat week 0, so their inputs (last week's numbers) and outputs are all the same.
    assert b.report.examples == len(b.train) == 1
    dups = [d for d in b.dropped if d.reason.startswith("duplicate")]
    assert len(dups) == 4 and all("duplicate of the week of 2025-01-13" == d.reason for d in dups)


def test_report_range_tokens_and_cost(built):
    _, _, b = built
    r = b.report
    assert not r.in_range and "BELOW" in r.range_note and "100-500" in r.range_note
    assert 0 < r.tokens.min <= r.tokens.mean <= r.tokens.max and r.tokens.tokenizer.startswith("embedded")
    assert r.cost is not None and r.cost.model == "gpt-4o-mini"
    # OpenAI's rule: examples x epochs >= 100, so a small set trains for more than 3 epochs.
    assert r.cost.epochs == -(-100 // r.train) and r.cost.price_date
    assert r.cost.usd == pytest.approx(r.cost.billable_tokens * r.cost.epochs * 3.0 / 1e6, abs=1e-4)


def test_files_pass_the_check_and_hash_is_stable(built, home):
    store, name, b = built
    files = write_dataset(b)
    assert files.dir == dataset_dir("Ana Lopez") and files.dir.parent == home / "datasets"
    assert check_file(files.train) == [] and check_file(files.val, fmt="trl") == []
    meta = json.loads(files.build_json.read_text())
    assert meta["config"]["athlete"] == "Ana Lopez" and meta["config"]["val_fraction"] == 0.15
    assert meta["dataset_hash"] == files.dataset_hash
    assert len(meta["examples"]) == b.report.examples
    again = write_dataset(build_dataset(load_context(store, name), default_catalog()))
    assert again.dataset_hash == files.dataset_hash


def test_dataset_side_never_imports_the_simulator():
    code = ("import sys, peri.tune.dataset, peri.tune.validate, peri.tune.export, peri.tune.hosted, "
            "peri.cli.tune_commands; print([m for m in sys.modules if m.startswith('peri.sim')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def cli():
    import typer
    from typer.testing import CliRunner

    from peri.cli.tune_commands import register

    app = typer.Typer()
    register(app)
    return app, CliRunner()


def test_cli_build(store: Store, home):
    seed_store(store)
    app, runner = cli()
    r = runner.invoke(app, ["dataset", "build", "--athlete", "Ana Lopez", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["report"]["examples"] == 22 and out["files"]["train"] == str(dataset_dir("Ana Lopez") / "train.jsonl")
    assert out["config"]["repair"] is True and out["dropped"][0]["reason"].startswith("first logged week")
    r = runner.invoke(app, ["dataset", "build", "--athlete", "Ana Lopez", "--no-repair"])
    assert r.exit_code == 0 and "BELOW" in r.output and "left out" in r.output and "$" in r.output
    r = runner.invoke(app, ["dataset", "build", "--athlete", "Nobody"])
    assert r.exit_code == 1 and "Traceback" not in r.output


@pytest.mark.slow
def test_done_when_seed_preset_three_years(store: Store, home, tmp_path, embedded_hf_tokenizer):
    """Issue 5's done-when: the seed preset over 3 years gives 100-500 examples, the files pass the check,
    and the HF export loads and renders through the base model's chat template."""
    from datasets import load_from_disk

    from peri.sim.generate import simulate  # only the test touches the simulator

    simulate(store, "seed", seed=7, weeks=156, athlete_name="seed-lifter")
    store.close()
    app, runner = cli()
    r = runner.invoke(app, ["dataset", "build", "--athlete", "seed-lifter", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    report = out["report"]
    assert 100 <= report["examples"] <= 500 and report["in_range"], report
    assert report["cost"]["usd"] > 0 and report["val"] > 0
    for f in ("train", "val"):
        r = runner.invoke(app, ["dataset", "check", out["files"][f]])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["dataset", "export", "--athlete", "seed-lifter", "--format", "hf",
                            "--out", str(tmp_path / "hf"), "--redact"])
    assert r.exit_code == 0, r.output
    dd = load_from_disk(str(tmp_path / "hf"))
    assert len(dd["train"]) + len(dd["validation"]) == report["examples"]
    tok = embedded_hf_tokenizer  # AutoTokenizer of the embedded GGUF (conftest, once per session)
    for split in dd.values():
        for row in split:
            text = tok.apply_chat_template(row["messages"], tokenize=False)
            assert text.count("<|im_start|>assistant\nWEEK ") == 1 and text.rstrip().endswith("<|im_end|>")
            assert "seed-lifter" not in text


def test_a_dataset_built_under_the_old_folder_name_is_still_found(home):
    import json as _json

    legacy = home / "datasets" / "Ana_Lopez"
    legacy.mkdir(parents=True)
    (legacy / "build.json").write_text(_json.dumps({"config": {"athlete": "Ana Lopez"}}))
    assert dataset_dir("Ana Lopez") == legacy
    assert dataset_dir("Ana/Lopez") != legacy  # another athlete's slug collides, but the folder is not theirs
