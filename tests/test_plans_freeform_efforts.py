"""Sets held for a time or carried over a distance, as people write them in a plan: ``Plank 3x60s``, ``Farmer
carry 3 x 40 m``, ``Row 5 min``, ``Bike 20'``, ``Dead hang 3 x :45``, ``Run 400m x 6``. Each is read into
`Prescription.duration_s` / `distance_m` (one rep a set), never as reps of a load, and counts as no lifting volume
in the checker, as a set logged by time or distance is no hard set in the log. Expected values are worked out by
hand (20 min = 1,200 s; 20 yd x 0.9144 = 18.3 m)."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.catalog import default_catalog
from peri.log.context import AthleteContext
from peri.log.models import Athlete, Level, Session, WorkoutSet
from peri.plans.checker import check_plan, plan_sets_per_muscle
from peri.plans.freeform import read_plan
from peri.plans.schema import Plan, PlanDay, Prescription


def _one(line: str) -> tuple[Prescription, list[str]]:
    r = read_plan(f"Day 1\n- Squat 3x5 @ 100 kg\n- {line}\n")
    squat, *rest = r.plan.days[0].exercises
    assert squat.exercise == "Squat" and len(rest) == 1, (line, r.plan, r.notes)
    return rest[0], [n for n in r.notes if n.startswith("line 3:")]


@pytest.mark.parametrize("line, name, sets, seconds", [
    ("Plank 3x60s", "Plank", 3, 60),
    ("Plank: 3 x 45 sec", "Plank", 3, 45),
    ("Dead hang 3 x :45", "Dead hang", 3, 45),
    ("Plank 2 x 1:30", "Plank", 2, 90),
    ("Wall sit 3 sets of 40 seconds", "Wall sit", 3, 40),
    ("L-sit 2 x 1 min", "L-sit", 2, 60),
    ("Row 5 min", "Row", 1, 300),
    ("Bike 20'", "Bike", 1, 1200),
    ("Assault bike 10 minutes", "Assault bike", 1, 600),
    ("Side plank: hold 30 s", "Side plank", 1, 30),
    ("Dead hang 30 s", "Dead hang", 1, 30),  # before: named "Dead", its "hang" read as the hold
    ("Dead hang 45 s x 3", "Dead hang", 3, 45),
    ("Plank 3 sets: 30 s hold", "Plank", 3, 30),  # before: not read ("sets: 30" taken for 30 sets)
    ("Seilspringen 3 x 60 Sekunden", "Seilspringen", 3, 60),
])
def test_a_set_held_for_a_time(line, name, sets, seconds):
    p, said = _one(line)
    assert (p.exercise, p.sets, p.reps_low, p.reps_high, p.duration_s, p.distance_m, p.load_kg) == (
        name, sets, 1, 1, seconds, None, None)
    assert not p.is_lifting
    assert said and name in said[0] and "timed" in said[0]


@pytest.mark.parametrize("line, name, sets, metres, kg", [
    ("Farmer carry 3 x 40 m", "Farmer carry", 3, 40.0, None),
    ("Farmer carry 3 x 40 m @ 32 kg", "Farmer carry", 3, 40.0, 32.0),
    ("Sled push 4 x 20 yd", "Sled push", 4, 18.3, None),  # 20 x 0.9144 = 18.288
    ("Carry 3 x 30 metres", "Carry", 3, 30.0, None),
    ("Sprints: 10 x 100m", "Sprints", 10, 100.0, None),
    ("Run 400m x 6", "Run", 6, 400.0, None),
    ("Run 5 km", "Run", 1, 5000.0, None),
    ("3 x 500 m row", "row", 3, 500.0, None),
    ("Run 400m x 6, 200m x 4", "Run", 10, 400.0, None),  # one lift's list: the sets added, the longest kept
])
def test_a_set_over_a_distance(line, name, sets, metres, kg):
    p, said = _one(line)
    assert (p.exercise, p.sets, p.reps_low, p.reps_high, p.distance_m, p.duration_s, p.load_kg) == (
        name, sets, 1, 1, metres, None, kg)
    assert said and "distance" in said[0]


@pytest.mark.parametrize("line", ["Rest 2 min", "2 min rest between sets",
                                  "Walk for 10 minutes after training, easy pace, in the park"])
def test_a_rest_or_a_sentence_is_no_timed_set(line):
    r = read_plan(f"Day 1\n- Squat 3x5 @ 100 kg\n- {line}\n")
    assert [p.exercise for p in r.plan.days[0].exercises] == ["Squat"]


def test_a_cardio_section_stays_skipped():
    r = read_plan("Day 1\n- Squat 3x5\n\nCardio:\n- Row 5 min\n")
    assert [p.exercise for p in r.plan.days[0].exercises] == ["Squat"]
    assert any(n.startswith("line 5:") and "Cardio" in n for n in r.notes)


def test_old_plans_stay_valid_and_the_fields_are_bounded():
    # a plan written before the fields existed reads as it did
    p = Prescription.model_validate({"exercise": "Plank", "sets": 3, "reps_low": 1, "reps_high": 1})
    assert p.duration_s is None and p.distance_m is None and p.is_lifting
    with pytest.raises(ValueError):
        Prescription(exercise="Plank", sets=3, reps_low=1, reps_high=1, duration_s=0)
    with pytest.raises(ValueError):
        Prescription(exercise="Run", sets=1, reps_low=1, reps_high=1, distance_m=-5)


def _ctx(catalog) -> AthleteContext:
    monday = dt.date(2026, 1, 5)
    sessions = [Session(started_at=dt.datetime.combine(monday + dt.timedelta(weeks=k), dt.time(18)), name="Full",
                        sets=[WorkoutSet(exercise="Barbell Squat", exercise_id="Barbell_Squat", weight_kg=100, reps=5)
                              for _ in range(3)]) for k in range(4)]
    return AthleteContext(athlete=Athlete(name="t", level=Level("intermediate")), sessions=sessions, annotations=[],
                          as_of=monday + dt.timedelta(weeks=4))


def test_timed_and_distance_sets_are_no_lifting_volume():
    catalog = default_catalog()
    lifting = Plan(days=[PlanDay(name="Full", exercises=[
        Prescription(exercise="Barbell Squat", sets=3, reps_low=5, reps_high=5, load_kg=100)])])
    carried = Plan(days=[PlanDay(name="Full", exercises=[
        *lifting.days[0].exercises,
        # ten sets of 40 m carries at 120 kg and of a 60 s hold: no hard sets, no 120 kg single
        Prescription(exercise="Farmer's Walk", sets=10, reps_low=1, reps_high=1, load_kg=120, distance_m=40),
        Prescription(exercise="Barbell Squat", sets=10, reps_low=1, reps_high=1, load_kg=150, duration_s=30),
        Prescription(exercise="Plank", sets=10, reps_low=1, reps_high=1, duration_s=60)])])
    assert carried.hard_sets() == lifting.hard_sets() == 3
    assert plan_sets_per_muscle(carried, catalog) == plan_sets_per_muscle(lifting, catalog)
    codes = [f.code for f in check_plan(carried, _ctx(catalog), catalog, repair=False).findings]
    assert "load_jump" not in codes and "volume_jump" not in codes and "volume_high" not in codes
    # the same sets written as reps of a load are lifting volume and a load beyond the log
    as_reps = Plan(days=[PlanDay(name="Full", exercises=[
        *lifting.days[0].exercises, Prescription(exercise="Barbell Squat", sets=10, reps_low=1, reps_high=1,
                                                 load_kg=150)])])
    codes = [f.code for f in check_plan(as_reps, _ctx(catalog), catalog, repair=False).findings]
    assert "load_jump" in codes and "volume_jump" in codes


# --- generated ---------------------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# unit as written -> (field, factor to seconds or metres), in the languages plans are written in
UNITS = {"s": ("duration_s", 1), "sec": ("duration_s", 1), "seconds": ("duration_s", 1), "Sekunden": ("duration_s", 1),
         "segundos": ("duration_s", 1), "min": ("duration_s", 60), "minutes": ("duration_s", 60),
         "Minuten": ("duration_s", 60), "m": ("distance_m", 1), "metres": ("distance_m", 1), "meters": ("distance_m", 1),
         "metros": ("distance_m", 1), "km": ("distance_m", 1000), "yd": ("distance_m", 0.9144)}
NAMES = ["Plank", "Farmer carry", "Sled push", "Dead hang", "Row", "Wall sit", "Suitcase carry"]


@st.composite
def effort(draw):
    """(line, name, sets, field, amount): "3 x 40 m", "40 m x 3", "3 sets of 45 seconds", or one with no count."""
    name = draw(st.sampled_from(NAMES))
    unit = draw(st.sampled_from(sorted(UNITS)))
    field, factor = UNITS[unit]
    amount = draw(st.integers(1, 5) if factor >= 60 or unit == "km" else st.integers(6, 400))  # 5 yd is under 5 m
    sets = draw(st.integers(1, 10))
    space = draw(st.sampled_from([" ", ""])) if len(unit) <= 3 else " "
    form = draw(st.sampled_from(["sets_first", "amount_first", "sets_of", "alone"]))
    shown = f"{amount}{space}{unit}"
    line = {"sets_first": f"{name} {sets} x {shown}", "amount_first": f"{name} {shown} x {sets}",
            "sets_of": f"{name}: {sets} sets of {shown}", "alone": f"{name} {shown}"}[form]
    return line, name, 1 if form == "alone" else sets, field, round(amount * factor, 1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(effort())
def test_every_timed_or_distance_set_is_read_as_such_and_is_no_hard_set(case):
    line, name, sets, field, amount = case
    r = read_plan(f"Day 1\n- Squat 3x5 @ 100 kg\n- {line}\n")
    squat, *rest = r.plan.days[0].exercises
    assert len(rest) == 1, (line, r.notes)
    (p,) = rest
    assert (p.exercise, p.sets, p.reps_low, p.reps_high) == (name, sets, 1, 1), line
    assert getattr(p, field) == pytest.approx(amount), line
    assert p.load_kg is None and not p.is_lifting
    assert r.plan.hard_sets() == 3, line
