"""peri.plans.checker's volume repair when trimming sets cannot help (every exercise already one set)."""
from __future__ import annotations

import datetime as dt

from peri.log.catalog import default_catalog


def test_checker_repair_drops_single_sets_a_trim_cannot_fix() -> None:
    """A plan whose every exercise is already one set cannot be trimmed: the repair drops what still overloads."""
    from peri.log.models import Athlete, Level, Session, WorkoutSet
    from peri.log.context import AthleteContext
    from peri.plans.checker import _drop_over_volume, plan_sets_per_muscle, recent_weeks
    from peri.plans.schema import Plan, PlanDay, Prescription

    catalog = default_catalog()
    monday = dt.date(2025, 3, 3)
    sessions = [Session(started_at=dt.datetime.combine(monday + dt.timedelta(weeks=k), dt.time(18)), name="Legs",
                        sets=[WorkoutSet(exercise="Leg Extensions", exercise_id="Leg_Extensions", weight_kg=40, reps=10)
                              for _ in range(3)]) for k in range(4)]
    ctx = AthleteContext(athlete=Athlete(name="t", level=Level("intermediate")), sessions=sessions, annotations=[],
                         as_of=monday + dt.timedelta(weeks=4))
    one = [Prescription(exercise=n, sets=1, reps_low=8, reps_high=10) for n in (
        "Leg Extensions", "Leg Press", "Hack Squat", "Goblet Squat", "Dumbbell Lunges", "Front Barbell Squat",
        "Barbell Squat", "Lying Leg Curls")]
    plan = Plan(days=[PlanDay(name="Legs", exercises=one)])
    recent = recent_weeks(ctx, catalog)
    out = _drop_over_volume(plan, catalog, recent, 20.0, 0.2)
    mean = sum(w.sets_per_muscle.get("quadriceps", 0.0) for w in recent) / len(recent)
    assert plan_sets_per_muscle(out, catalog)["quadriceps"] <= max(mean * 1.2, mean + 2)
    assert out.days[0].exercises and out.days[0].exercises[0].exercise == "Leg Extensions"  # dropped from the end
