"""A logged week written as a plan (the fine-tuning outputs and the prompt digest)."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.errors import PeriError
from peri.log.catalog import default_catalog
from peri.log.models import Session, SetType, WorkoutSet
from peri.plans.from_log import plan_from_sessions
from peri.plans.schema import Scenario
from peri.plans.text import parse_plan_text, plan_to_text


@pytest.fixture(scope="module")
def catalog():
    return default_catalog()


def _set(name, kg, reps, *, ex_id=None, rpe=None, rir=None, kind=SetType.normal):
    return WorkoutSet(exercise=name, exercise_id=ex_id, weight_kg=kg, weight=kg, unit="kg", reps=reps, rpe=rpe,
                      rir=rir, set_type=kind)


def _session(day, name, sets):
    return Session(started_at=dt.datetime.combine(day, dt.time(18)), name=name, sets=sets)


def test_a_week_as_a_plan(catalog):
    wed = dt.date(2026, 3, 4)
    mon = dt.date(2026, 3, 2)
    sessions = [
        _session(wed, "", [_set("Bench Press (Barbell)", 60, 5, ex_id="Barbell_Bench_Press_-_Medium_Grip")]),
        _session(mon, "Lower A", [
            _set("Squat (Barbell)", 60, 5, ex_id="Barbell_Squat", kind=SetType.warmup),
            _set("Squat (Barbell)", 100.2, 8, ex_id="Barbell_Squat", rpe=7.5),
            _set("Squat (Barbell)", 102.3, 6, ex_id="Barbell_Squat", rir=1),
            _set("Squat (Barbell)", 100, 7, ex_id="Barbell_Squat"),
            _set("Nordic Thing", None, 6),
            _set("Plank", None, None),  # timed: no reps, not a prescription
            _set("Nordic Thing", 0, 5),
        ]),
    ]
    plan = plan_from_sessions(sessions, catalog)
    assert plan.week_of == mon and plan.scenario == Scenario.normal
    assert [d.name for d in plan.days] == ["Lower A", "Wednesday"]
    squat, nordic = plan.days[0].exercises
    assert squat.exercise == "Barbell Squat"  # catalog name, not as logged
    assert (squat.sets, squat.reps_low, squat.reps_high) == (3, 6, 8)  # warm-up left out
    assert squat.load_kg == 102.5  # top load to 0.5
    assert squat.rpe == 8.5  # mean of 7.5 and 10-1=9 -> 8.25 -> 8.5
    assert (nordic.exercise, nordic.sets, nordic.load_kg, nordic.rpe) == ("Nordic Thing", 2, None, None)
    bench = plan.days[1].exercises[0]
    assert bench.exercise == "Barbell Bench Press - Medium Grip"
    assert parse_plan_text(plan_to_text(plan)) == plan


def test_clamped_into_the_schema_and_scenario_kept(catalog):
    day = dt.date(2026, 3, 2)
    sets = [_set("Curl", 10, 60, rpe=4) for _ in range(12)]
    sessions = [_session(day + dt.timedelta(hours=i), f"S{i}", sets) for i in range(9)]
    plan = plan_from_sessions(sessions, catalog, Scenario.deload, week_of=dt.date(2026, 2, 23))
    assert len(plan.days) == 7 and [d.name for d in plan.days][:2] == ["S0", "S1"]
    p = plan.days[0].exercises[0]
    assert (p.sets, p.reps_high, p.rpe) == (10, 50, 5.0)
    assert plan.scenario == Scenario.deload and plan.week_of == dt.date(2026, 2, 23)


def test_no_working_sets_is_a_clear_error(catalog):
    s = _session(dt.date(2026, 3, 2), "A", [_set("Squat", 60, 5, kind=SetType.warmup)])
    with pytest.raises(PeriError, match="no working sets"):
        plan_from_sessions([s], catalog)
