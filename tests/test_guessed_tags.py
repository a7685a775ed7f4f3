"""Tags guessed from a name the catalog cannot place, and plans that never fail because of a name."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from peri.backends.base import GenerationRequest, GenerationResult
from peri.generate import exercise_vocabulary, generate_plan, logged_names
from peri.log.catalog import Catalog, default_catalog
from peri.log.context import AthleteContext, load_context
from peri.log.guessed_tags import GuessedEntry, guess_entry, is_guessed, place
from peri.log.importers import import_file
from peri.log.models import Athlete, Session, WorkoutSet
from peri.plans.checker import athlete_flags, check_plan, exercise_findings, region_stress, resolve
from peri.plans.coach import rule_plan
from peri.plans.grammar import plan_text_grammar
from peri.plans.jsonschema import plan_wire_schema
from peri.plans.text import parse_plan_text

OWN = ("Squat", "Bench Press", "Zottman Curl Thing", "Landmine Rotation")


@pytest.fixture(scope="module")
def no_squats() -> Catalog:
    """A catalog that cannot place a squat or a bench press, so the guess is what is tested (whatever
    the shipped catalog's matcher learns to map later)."""
    full = default_catalog()
    keep = [e for e in full.entries if "squat" not in e.name.lower() and "bench" not in e.name.lower()]
    return Catalog(keep)


# --- the guess itself ---------------------------------------------------------------------------

def test_plain_squat_is_read_as_the_worst_equipment():
    e = guess_entry("Squat")
    assert isinstance(e, GuessedEntry) and is_guessed(e)
    assert e.pattern == "squat" and e.equipment is None and not e.equipment_known
    # with no equipment word the barbell reading wins: a back squat loads the spine most
    assert e.spinal_load == "high"
    assert {"knee", "hip", "lower_back"} <= set(e.joints)
    assert "squat" in e.evidence and "worst" in e.evidence


def test_equipment_word_is_used_when_present():
    e = guess_entry("Goblet Squat Thing (Dumbbell)")
    assert e is not None and e.equipment == "dumbbell" and e.equipment_known
    assert e.spinal_load == "low"  # the catalog's rule for a dumbbell squat, not the barbell worst case


@pytest.mark.parametrize("name, pattern, region", [
    ("Bench Press", "horizontal_push", "shoulder"),
    ("Zottman Curl Thing", "isolation", "elbow"),
    ("Landmine Rotation", "core", "lower_back"),
    ("Deadlift", "hinge", "lower_back"),
    ("Pull Ups Weighted Thing", "vertical_pull", "shoulder"),
    ("Seated Calves Thing (Machine)", "isolation", "ankle"),
])
def test_movement_words_place_the_pattern(name, pattern, region):
    e = guess_entry(name)
    assert e is not None and e.pattern == pattern and region in e.joints
    assert e.name == name  # the athlete's own name is kept


def test_no_movement_word_is_no_guess():
    assert guess_entry("Intensity") is None
    assert guess_entry("   ") is None


def test_place_prefers_the_catalog(no_squats):
    real = place("Barbell Deadlift", no_squats)
    assert real is not None and not is_guessed(real) and real.id == "Barbell_Deadlift"
    guessed = place("Squat", no_squats)
    assert guessed is not None and is_guessed(guessed)
    assert place("Intensity", no_squats) is None


# --- the checker reads a guess as the worse case ----------------------------------------------------

def _ctx(names, catalog, *, constraint_regions=(), weeks=4):
    start = dt.date(2026, 1, 5)
    sessions = []
    for w in range(weeks):
        for d, part in enumerate((names[: len(names) // 2 or 1], names[len(names) // 2:] or names)):
            sets = [WorkoutSet(exercise=n, order=i + 1, weight=60 + 2.5 * w, unit="kg", weight_kg=60 + 2.5 * w,
                               reps=8) for n in part for i in range(3)]
            sessions.append(Session(started_at=dt.datetime.combine(start + dt.timedelta(weeks=w, days=2 * d),
                                                                   dt.time(18)), name=f"Day {d + 1}", sets=sets))
    athlete = Athlete(name="real", days_per_week=2, constraints=["bad back"], constraint_regions=list(constraint_regions))
    return AthleteContext(athlete=athlete, sessions=sessions, annotations=[], as_of=start + dt.timedelta(weeks=weeks))


def test_guessed_stress_is_one_level_worse():
    curl = guess_entry("Zottman Curl Thing")
    assert curl is not None
    # a catalog curl loads the elbow at medium (isolation of the biceps): a guessed one is high
    assert region_stress(curl, "elbow") == "high"
    sq = guess_entry("Squat")
    assert region_stress(sq, "lower_back") == "high"
    assert region_stress(guess_entry("Bench Press"), "knee") is None  # not touched stays untouched


def test_checker_flags_a_guessed_squat_for_a_bad_back(no_squats):
    ctx = _ctx(list(OWN), no_squats, constraint_regions=["lower_back"])
    plan = parse_plan_text("DAY Day 1\nSquat: 3x8 @70kg\nBench Press: 3x8 @60kg\nDAY Day 2\nZottman Curl Thing: 3x10")
    result = check_plan(plan, ctx, no_squats, repair=False)
    squat = [f for f in result.findings if f.exercise == "Squat" and f.code == "constraint_region"]
    assert squat and squat[0].severity == "high" and "guessed" in squat[0].message
    guessed = {f.exercise for f in result.findings if f.code == "guessed_tags"}
    assert guessed == {"Squat", "Bench Press", "Zottman Curl Thing"}
    assert all(f.severity == "low" for f in result.findings if f.code == "guessed_tags")
    assert not [f for f in result.findings if f.code == "unknown_exercise"]


def test_a_name_nobody_logged_is_not_guessed(no_squats):
    ctx = _ctx(list(OWN), no_squats)
    flags = athlete_flags(ctx, no_squats)
    assert resolve("Squat", no_squats, flags.logged) is not None
    assert resolve("Hack Squat Deluxe", no_squats, flags.logged) is None  # a model's invention
    plan = parse_plan_text("DAY Day 1\nHack Squat Deluxe: 3x8\nSquat: 3x8")
    codes = {(f.code, f.severity, f.exercise) for f in check_plan(plan, ctx, no_squats, repair=False).findings}
    assert ("unknown_exercise", "medium", "Hack Squat Deluxe") in codes


def test_own_unplaceable_name_is_low_and_kept_by_repair(no_squats):
    ctx = _ctx(["Intensity", "Squat"], no_squats)
    plan = parse_plan_text("DAY Day 1\nIntensity: 3x8\nSquat: 3x8 @70kg\nDAY Day 2\nSquat: 3x8 @70kg")
    result = check_plan(plan, ctx, no_squats)
    unknown = [f for f in result.findings if f.code == "unknown_exercise"]
    assert unknown and all(f.severity == "low" for f in unknown) and "your own exercise" in unknown[0].message
    flags = athlete_flags(ctx, no_squats)
    assert exercise_findings("Intensity", None, flags)[0].severity == "low"
    kept = result.repaired or plan
    assert "Intensity" in [p.exercise for d in kept.days for p in d.exercises]


# --- plans from every path ----------------------------------------------------------------------

def test_rule_coach_prescribes_own_unmapped_exercises(no_squats):
    ctx = _ctx(list(OWN), no_squats)
    plan = rule_plan(ctx, no_squats)
    names = {p.exercise for d in plan.days for p in d.exercises}
    assert names == set(OWN)


def test_vocabulary_schema_and_grammar_hold_own_names(no_squats):
    ctx = _ctx(list(OWN), no_squats)
    vocab = exercise_vocabulary(ctx, no_squats)
    assert set(OWN) <= set(vocab)
    assert set(OWN) <= set(plan_wire_schema(vocab)["properties"]["days"]["items"]["properties"]["exercises"]
                            ["items"]["properties"]["exercise"]["enum"])
    grammar = plan_text_grammar(vocab, 2)
    assert all(json.dumps(n) in grammar for n in OWN)
    # on the road, a name whose equipment is unknown is not offered; a named piece of kit is
    travel = exercise_vocabulary(ctx, no_squats, equipment=["dumbbell"])
    assert "Squat" not in travel
    assert set(logged_names(ctx)) == set(OWN)


# --- a hand-made export whose names the catalog cannot place -------------------------------------

STRONG_HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"


def _strong_export(path: Path, names, weeks=6) -> Path:
    rows = [STRONG_HEADER]
    start = dt.date(2026, 1, 5)
    for w in range(weeks):
        for d, part in enumerate((names[:2], names[2:])):
            when = f"{start + dt.timedelta(weeks=w, days=2 * d)} 18:00:00"
            for n in part:
                for i in range(3):
                    rows.append(f'{when},"Day {"AB"[d]}",1h,"{n}",{i + 1},{60 + 2.5 * w},8,0,0,"","",\n')
    path.write_text("".join(rows), encoding="utf-8")
    return path


class _Scripted:
    name = "scripted"
    supports_json_schema = True
    needs_context = False
    adapter = None

    def __init__(self, answers):
        self.answers = list(answers)

    def generate(self, req: GenerationRequest) -> GenerationResult:
        return GenerationResult(text=self.answers.pop(0), prompt_tokens=10, output_tokens=10, latency_s=0.1,
                                cost_usd=0.0, model=self.name, finish_reason="stop")


def _wire(names):
    return json.dumps({"days": [{"name": "Day A", "exercises": [
        {"exercise": n, "sets": 3, "reps": [6, 8], "kg": 60, "rpe": 8} for n in names]}]})


def test_hand_made_export_gets_plans_from_rules_and_models(store, tmp_path):
    path = _strong_export(tmp_path / "strong.csv", list(OWN))
    report = import_file(store, "newbie", "strong", path, mapping={"unit": "kg"}, create_athlete=True)
    assert report.sets_new == 6 * 4 * 3
    g = generate_plan(store, "newbie", "rules")
    assert g.valid, g.error
    planned = {p["exercise"] for d in g.plan["days"] for p in d["exercises"]}
    cat = default_catalog()
    own = set(OWN)
    # every prescription is the athlete's own name or a catalog name
    assert all(n in own or cat.by_name(n) is not None for n in planned)
    # a model may prescribe the athlete's own names; a name neither logged nor in the catalog is refused
    ok = generate_plan(store, "newbie", "scripted", backend=_Scripted([_wire(OWN)]), max_attempts=1)
    assert ok.valid, ok.error
    assert {p["exercise"] for d in ok.plan["days"] for p in d["exercises"]} == own
    bad = generate_plan(store, "newbie", "scripted", backend=_Scripted([_wire(["Quantum Flux Curl"])]), max_attempts=1)
    assert not bad.valid and "Quantum Flux Curl" in bad.error
    ctx = load_context(store, "newbie")
    vocab = set(exercise_vocabulary(ctx, cat))
    # each logged name is offered: as logged when the catalog cannot place it, else under its catalog name
    assert all(n in vocab or (cat.match(n).entry is not None and cat.match(n).entry.name in vocab) for n in OWN)
