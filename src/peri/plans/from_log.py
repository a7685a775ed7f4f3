"""What a logged week was, written as a plan: the fine-tuning dataset's outputs and the prompt digest.

Each session becomes a day named after the session (its weekday when unnamed); each exercise, in
the order first performed, becomes one prescription: the count of working sets, the rep range
(min-max of those sets), the top load in kg rounded to 0.5 and the mean RPE (RIR read as 10 - RIR)
rounded to 0.5 when any was logged. Warm-ups and sets without reps (planks, cardio) are left out.
Values are clamped into the plan schema's bounds (at most 10 sets, 50 reps, 7 days) rather than
dropped, so a real log always yields a plan.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from ..errors import NotFound, PeriError
from ..log.catalog import Catalog
from ..log.models import Session, SetType, WorkoutSet
from .schema import Plan, PlanDay, Prescription, Scenario

MAX_DAYS = 7


def round_half(x: float) -> float:
    """Nearest 0.5, halves rounded up (loads and RPE are written in half steps)."""
    return math.floor(x * 2 + 0.5) / 2


def exercise_name(s: WorkoutSet, catalog: Catalog) -> str:
    """The catalog name when the set is mapped, else the name as logged."""
    if s.exercise_id:
        try:
            return catalog.get(s.exercise_id).name
        except NotFound:
            pass
    return s.exercise.strip()


def is_working_set(s: WorkoutSet) -> bool:
    """A set that counts: not a warm-up, and with reps logged."""
    return s.set_type != SetType.warmup and s.reps is not None and s.reps > 0


def prescription_from_sets(name: str, sets: Sequence[WorkoutSet]) -> Prescription:
    """One prescription summarising an exercise's working sets in one session."""
    reps = [min(s.reps or 1, 50) for s in sets]
    loads = [s.weight_kg for s in sets if s.weight_kg is not None and s.weight_kg > 0]
    rpes = [r for s in sets if (r := s.effective_rpe()) is not None]
    rpe = None
    if rpes:
        rpe = min(10.0, max(5.0, round_half(sum(rpes) / len(rpes))))
    return Prescription(
        exercise=name,
        sets=min(len(sets), 10),
        reps_low=min(reps),
        reps_high=max(reps),
        load_kg=min(600.0, round_half(max(loads))) if loads else None,
        rpe=rpe,
    )


def day_from_session(session: Session, catalog: Catalog) -> PlanDay | None:
    """The session as a plan day, or None when it has no working sets."""
    by_name: dict[str, list[WorkoutSet]] = {}
    for s in session.sets:
        if is_working_set(s):
            by_name.setdefault(exercise_name(s, catalog), []).append(s)
    if not by_name:
        return None
    name = session.name.strip() or session.started_at.strftime("%A")
    return PlanDay(name=name, exercises=[prescription_from_sets(n, ss) for n, ss in by_name.items()])


def plan_from_sessions(
    sessions: Sequence[Session],
    catalog: Catalog,
    scenario: Scenario = Scenario.normal,
    week_of: dt.date | None = None,
) -> Plan:
    """The logged sessions (normally one week) as a Plan.

    `week_of` defaults to the Monday of the first session. More than 7 sessions keep the first 7
    (a plan is one week). Raises PeriError when no session has a working set.
    """
    ordered = sorted(sessions, key=lambda s: s.started_at)
    days = [d for s in ordered if (d := day_from_session(s, catalog)) is not None][:MAX_DAYS]
    if not days:
        raise PeriError("these sessions have no working sets to turn into a plan",
                        hint="warm-ups and sets without reps are not counted")
    if week_of is None:
        first = ordered[0].day
        week_of = first - dt.timedelta(days=first.weekday())
    return Plan(scenario=scenario, week_of=week_of, days=days)
