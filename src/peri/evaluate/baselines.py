"""Baselines that frame the numbers: the floor (repeat last week), last week minus the lifts the notes
blame, and a plan by a human coach (data/human_plans.yaml, written once from the presets' logs).

Every baseline is built from the log only, like any planner: the athlete context (profile, sessions,
notes) and the public catalog. None of them sees a hidden trait. The harness scores them exactly like the
generated plans, raw and after the checker's repair.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import statistics
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import PeriError
from ..log.catalog import Catalog
from ..log.context import AthleteContext
from ..log.models import Session, SetType
from ..plans.from_log import plan_from_sessions, round_half
from ..plans.schema import Plan, PlanDay, Prescription, Scenario

BASELINES = ("repeat-last-week", "minus-blamed", "human")
HUMAN_FILE = Path(__file__).with_name("data") / "human_plans.yaml"
REFERENCE_WEEKS = 6  # how far back a logged load may serve as the human plan's reference
SPECIAL = ("deload", "hotel", "peak", "meet", "openers")  # session names that are not an ordinary week


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def last_week(ctx: AthleteContext) -> list[Session]:
    """The sessions of the last logged week (by Monday) before the week being planned."""
    past = [s for s in ctx.sessions if s.day < ctx.as_of]
    if not past:
        raise PeriError(f"{ctx.athlete.name!r} has no logged session before {ctx.as_of}", hint="log a week first")
    last = max(_monday(s.day) for s in past)
    return [s for s in past if _monday(s.day) == last]


def repeat_last_week(ctx: AthleteContext, catalog: Catalog, scenario: Scenario, week_of: dt.date) -> Plan:
    """The floor: last week again, exactly as logged (sets, reps, top loads, RPE)."""
    plan = plan_from_sessions(last_week(ctx), catalog)
    return plan.model_copy(update={"scenario": scenario, "week_of": week_of})


def blamed_exercises(ctx: AthleteContext, catalog: Catalog) -> set[str]:
    """Catalog ids (or normalised names) that recent pain notes blame, as peri's note reader understands them."""
    from ..log.catalog import normalize_name
    from ..plans.checker import athlete_flags

    flags = athlete_flags(ctx, catalog)
    out = {i for i, f in flags.exercises.items() if f.severity in ("high", "medium")}
    out |= {n for n, f in flags.names.items() if f.severity in ("high", "medium")}
    return out | {normalize_name(n) for n in out}


def minus_blamed(ctx: AthleteContext, catalog: Catalog, scenario: Scenario, week_of: dt.date) -> Plan:
    """Last week without the lifts the notes blame; a day left empty is dropped (never the whole week)."""
    from ..log.catalog import normalize_name

    plan = repeat_last_week(ctx, catalog, scenario, week_of)
    blamed = blamed_exercises(ctx, catalog)

    def keep(p: Prescription) -> bool:
        entry = catalog.by_name(p.exercise) or catalog.match(p.exercise).entry
        return not ((entry is not None and entry.id in blamed) or normalize_name(p.exercise) in blamed)

    days = [PlanDay(name=d.name, exercises=kept) for d in plan.days if (kept := [p for p in d.exercises if keep(p)])]
    return plan.model_copy(update={"days": days}) if days else plan


# --- the human coach's plan --------------------------------------------------------------------
class HumanExercise(BaseModel):
    ex: str  # catalog id
    sets: int = Field(ge=1, le=10)
    reps: tuple[int, int]
    rpe: float | None = None
    # logged exercise id -> factor: the first one logged lately gives the reference load
    from_: dict[str, float] = Field(default_factory=dict, alias="from")


class HumanDay(BaseModel):
    name: str
    exercises: list[HumanExercise]


class HumanPlan(BaseModel):
    days: list[HumanDay]


@lru_cache(maxsize=1)
def human_plans() -> dict[str, HumanPlan]:
    """The hand-written plans, by programme."""
    import yaml

    data = yaml.safe_load(HUMAN_FILE.read_text(encoding="utf-8"))
    return {k: HumanPlan.model_validate(v) for k, v in (data.get("plans") or {}).items()}


def human_plans_fingerprint() -> str:
    return hashlib.sha1(HUMAN_FILE.read_bytes()).hexdigest()[:12]


def brzycki_fraction(reps: float) -> float:
    """A coach's %1RM chart (Brzycki 1993): the fraction of 1RM lifted for `reps` to failure."""
    return max(0.3, (37 - min(reps, 30)) / 36)


def _recent_e1rms(ctx: AthleteContext) -> dict[str, float]:
    since = ctx.as_of - dt.timedelta(weeks=REFERENCE_WEEKS)
    best: dict[str, float] = {}
    for s in ctx.sessions:
        if s.day < since or s.day >= ctx.as_of or any(k in (s.name or "").lower() for k in SPECIAL):
            continue
        for w in s.sets:
            if w.set_type == SetType.warmup or not w.exercise_id or not w.weight_kg or not w.reps:
                continue
            e = w.weight_kg / brzycki_fraction(min(w.reps, 20))
            best[w.exercise_id] = max(best.get(w.exercise_id, 0.0), e)
    return best


def recent_days(ctx: AthleteContext) -> int:
    """How many days a week the athlete has trained lately (median of the last six weeks with any session)."""
    per: dict[dt.date, int] = defaultdict(int)
    for s in ctx.sessions:
        if s.day < ctx.as_of:
            per[_monday(s.day)] += 1
    counts = [per[w] for w in sorted(per)[-REFERENCE_WEEKS:]]
    return max(1, math.ceil(statistics.median(counts))) if counts else ctx.athlete.days_per_week


def pick_human_plan(ctx: AthleteContext) -> tuple[str, HumanPlan]:
    """The hand-written plan whose lifts overlap the athlete's recent log most (a coach recognising a programme)."""
    since = ctx.as_of - dt.timedelta(weeks=12)
    logged = {w.exercise_id for s in ctx.sessions if since <= s.day < ctx.as_of for w in s.sets if w.exercise_id}
    plans = human_plans()

    def overlap(p: HumanPlan) -> float:
        ids = {x.ex for d in p.days for x in d.exercises} | {i for d in p.days for x in d.exercises for i in x.from_}
        return len(ids & logged) / len(ids)

    name = max(plans, key=lambda k: overlap(plans[k]))
    return name, plans[name]


def human_plan(ctx: AthleteContext, catalog: Catalog, scenario: Scenario, week_of: dt.date) -> Plan:
    """The human coach's plan, with loads taken from the athlete's own recent log; a deload halves sets and eases loads."""
    _, hp = pick_human_plan(ctx)
    e1rm = _recent_e1rms(ctx)
    n_days = max(1, min(len(hp.days), ctx.athlete.days_per_week or len(hp.days), recent_days(ctx)))
    deload = scenario == Scenario.deload
    days = []
    for d in hp.days[:n_days]:
        out = []
        for x in d.exercises:
            lo, hi = x.reps
            ref = next(((i, f) for i, f in x.from_.items() if i in e1rm), None)
            load = None
            if ref is not None:
                load = round_half(e1rm[ref[0]] * ref[1] * brzycki_fraction(hi + 2) * (0.85 if deload else 1.0))
            rpe = x.rpe if x.rpe is None or not deload else max(5.0, x.rpe - 1.5)
            out.append(Prescription(exercise=catalog.get(x.ex).name, sets=max(1, round(x.sets / 2)) if deload else x.sets,
                                    reps_low=lo, reps_high=hi, load_kg=load if load and load > 0 else None, rpe=rpe))
        days.append(PlanDay(name=d.name, exercises=out))
    return Plan(scenario=scenario, week_of=week_of, days=days)


def baseline_plan(name: str, ctx: AthleteContext, catalog: Catalog, scenario: Scenario, week_of: dt.date) -> Plan:
    """One baseline's plan for the week of `week_of`."""
    builders = {"repeat-last-week": repeat_last_week, "minus-blamed": minus_blamed, "human": human_plan}
    if name not in builders:
        raise PeriError(f"unknown baseline {name!r}", hint=f"one of: {', '.join(BASELINES)}")
    return builders[name](ctx, catalog, scenario, week_of)
