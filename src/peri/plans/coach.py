"""The rule-based coach: a deterministic week from the athlete's own history, the baseline to beat.

What it does, in order:

1. **Split.** Normal-week sessions of the last 4 weeks (8 when fewer than 2) are grouped by
   session name (deload markers stripped, "Deload - Lower A" is "Lower A"; the weekday when
   unnamed) where the names mark days, else by what each session trained (``days.day_keys``: an
   app's "Afternoon workout" over an arms day and a bench day is two days). Deload weeks (named so, or under 60% of the usual sets per session) are left out of
   split and progression. The number of days is the fullest recent week or the number of groups
   in a rotation, whichever is larger, capped by ``athlete.days_per_week``; a rotation continues
   with the groups done least recently, otherwise the latest week with that many sessions gives
   the order. Each day keeps the exercises done in at least half of its group's sessions, in
   their usual order (at most 10), with their usual number of working sets.
2. **Progression per exercise** (double progression with RPE): from the last exposure, the working
   sets at the top load. All reached the top of the rep range at RPE <= target (or with no RPE
   logged) -> add load (2.5 kg; 5 kg for barbell squats/hinges over 60 kg; 2 kg dumbbells; 1 kg
   light isolation) and go back to the bottom of the range. RPE >= target + 1.5 and the range
   missed -> 5% less load. RPE <= target - 2 -> add load anyway. Otherwise add reps: aim one rep
   above last time at the same load. The same top load three exposures running with no more total
   reps -> reset 10% lighter. No RPE logged at all works too: rep performance alone decides.
   The rep range is the median of recent lowest and highest reps; isolation work logged in
   singles/doubles goes back to the goal's range 20% lighter.
3. **Scenario.** deload: about half the sets (3 -> 2, 4 -> 2), RPE target - 2, 10% lighter, no
   progression. travel: only exercises whose equipment is in ``equipment`` (default body only and
   dumbbells), others swapped via ``catalog.substitutes``. peaking: the main lifts (barbell squat,
   hinge and presses with a recent e1RM) go to lower reps and higher RPE as ``event_date`` nears
   (>= 6 weeks: 5-6 @ 8; 3-5: 3-4 @ 8.5; 1-2: 2-3 @ 8.5, one set fewer; event week: 1-2 @ 8, 2 sets) with loads from the
   recent e1RM; accessories are cut to two thirds in the last 2 weeks; no event date means 3 weeks
   out. injury: exercises loading a
   constrained region or one named in a pain note of the last 4 weeks are swapped or dropped, RPE - 1.
4. **Safety.** An exercise the notes blame (or a close variant), or one a constraint flags high,
   is swapped for ``checker.safe_substitute`` or dropped; one a constraint flags medium is swapped
   only for the same movement pattern, else kept (a bench press for a sore shoulder stays rather
   than leaving a push day empty). Then the week is checked and volume, deload and load-jump
   findings are trimmed by ``checker.repair_plan``. Coach plans carry no high-severity finding.

With no history it writes a template for the athlete's goal, split and days from the catalog, and
runs the same safety step.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..log.catalog import Catalog, ExerciseEntry
from ..log.context import AthleteContext
from ..log.guessed_tags import is_guessed
from ..log.models import Goal, Level, Session, SetType, WorkoutSet
from ..log.non_exercise import strength_rows
from ..log.profile import parts_labeller
from ..log.stats import set_e1rm
from .days import day_keys
from .checker import (
    VOLUME_CODES,
    AthleteFlags,
    entry_for_set,
    athlete_flags,
    check_plan,
    exercise_findings,
    region_stress,
    repair_plan,
    safe_substitute,
)
from .schema import Plan, PlanDay, Prescription, Scenario

WINDOW_WEEKS = 4
MAX_EXERCISES = 10
TRAVEL_EQUIPMENT = ("body only", "dumbbell")
MAIN_LIFT_PATTERNS = ("squat", "hinge", "horizontal_push", "vertical_push")


# --- history -----------------------------------------------------------------------------------

@dataclass
class Exposure:
    """One session's working sets of one exercise."""

    day: dt.date
    sets: list[WorkoutSet]

    @property
    def top_load(self) -> float | None:
        loads = [s.weight_kg for s in self.sets if s.weight_kg]
        return max(loads) if loads else None

    def at_top(self) -> list[WorkoutSet]:
        top = self.top_load
        return [s for s in self.sets if (s.weight_kg or None) == top]

    def rpe(self) -> float | None:
        values = [r for s in self.at_top() if (r := s.effective_rpe()) is not None]
        return sum(values) / len(values) if values else None


@dataclass
class ExerciseHistory:
    key: str
    name: str
    entry: ExerciseEntry | None
    exposures: list[Exposure] = field(default_factory=list)


def _working(s: WorkoutSet) -> bool:
    return s.set_type != SetType.warmup and bool(s.reps) and (s.reps or 0) > 0


_LIGHT_WORDS = re.compile(r"\b(?:deload|deloading|light|easy|recovery)\b", re.IGNORECASE)


def clean_day_name(name: str) -> str:
    """A session name without its deload/light marker: "Deload - Lower A" and "Upper B (deload)" -> the day."""
    text = re.sub(r"[()\[\]]", " ", _LIGHT_WORDS.sub(" ", name))
    text = re.sub(r"^\W+|\W+$", "", text.strip())
    return re.sub(r"\s+", " ", text)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def light_weeks(sessions: Sequence[Session]) -> set[dt.date]:
    """Mondays of weeks that were deloads: a session named so, or under 60% of the median working
    sets per session of the (up to 8) logged weeks before. Per session, so a missed session is not
    mistaken for a deload. Progression and split are read from normal weeks."""
    sets: dict[dt.date, int] = defaultdict(int)
    count: dict[dt.date, int] = defaultdict(int)
    named: set[dt.date] = set()
    for s in sessions:
        wk = _monday(s.day)
        sets[wk] += sum(1 for x in s.sets if _working(x))
        count[wk] += 1
        if _LIGHT_WORDS.search(s.name or ""):
            named.add(wk)
    out = set(named)
    weeks = sorted(sets)
    per_session = {w: sets[w] / count[w] for w in weeks}
    for i, wk in enumerate(weeks):
        before = [per_session[w] for w in weeks[max(0, i - 8):i] if w not in out]
        if len(before) >= 2 and per_session[wk] < 0.6 * statistics.median(before):
            out.add(wk)
    return out


def _window(ctx: AthleteContext, light: set[dt.date]) -> list[Session]:
    """Normal-week sessions of the last 4 weeks (8 when fewer than 2; deload weeks only if nothing else)."""
    sessions = sorted((s for s in ctx.sessions if s.day < ctx.as_of), key=lambda s: s.started_at)
    recent: list[Session] = []
    for weeks in (WINDOW_WEEKS, 2 * WINDOW_WEEKS):
        since = ctx.week_start() - dt.timedelta(weeks=weeks)
        recent = [s for s in sessions if s.day >= since and any(_working(x) for x in s.sets)]
        normal = [s for s in recent if _monday(s.day) not in light]
        if len(normal) >= 2:
            return normal
    return recent


def _group_key(s: Session) -> str:
    return clean_day_name(s.name).lower() or s.started_at.strftime("%A").lower()


def _histories(sessions: Sequence[Session], catalog: Catalog) -> dict[str, ExerciseHistory]:
    out: dict[str, ExerciseHistory] = {}
    for sess in sessions:
        per: dict[str, list[WorkoutSet]] = defaultdict(list)
        for s in sess.sets:
            if _working(s):
                per[s.exercise_id or "name:" + s.exercise.strip().lower()].append(s)
        for key, sets in per.items():
            if key not in out:
                entry = entry_for_set(sets[0].exercise, sets[0].exercise_id, catalog)
                out[key] = ExerciseHistory(key, entry.name if entry else sets[0].exercise.strip(), entry)
            out[key].exposures.append(Exposure(sess.day, sets))
    return out


def _set_key(s: WorkoutSet) -> str:
    return s.exercise_id or "name:" + s.exercise.strip().lower()


def _day_order(sessions: Sequence[Session], n_days: int, keys: Sequence[str] | None = None) -> list[str]:
    """Group keys of the days to plan, in the athlete's usual order.

    `keys` is each session's day (``days.day_keys``); by default its name (``_group_key``).
    More groups than days (a rotation, e.g. full body A/B/C twice a week): the groups done least
    recently come next. Otherwise the latest week with exactly `n_days` sessions gives the order,
    else the groups from least to most recently done, repeated as a rotation.
    """
    key_of = dict(zip(map(id, sessions), keys if keys is not None else [_group_key(s) for s in sessions]))
    last_seen: dict[str, int] = {}
    for i, s in enumerate(sessions):
        last_seen[key_of[id(s)]] = i
    rotation = sorted(last_seen, key=last_seen.__getitem__)
    if len(rotation) > n_days:
        return rotation[:n_days]
    weeks: dict[dt.date, list[Session]] = defaultdict(list)
    for s in sessions:
        weeks[_monday(s.day)].append(s)
    for start in sorted(weeks, reverse=True):
        if len(weeks[start]) == n_days:
            return [key_of[id(s)] for s in weeks[start]]
    return [rotation[i % len(rotation)] for i in range(n_days)]


def _day_selection(group: Sequence[Session]) -> list[tuple[str, int]]:
    """(exercise key, typical working-set count) done in at least half the group's sessions, in usual order."""
    seen: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, list[int]] = defaultdict(list)
    for sess in group:
        order: list[str] = []
        n: dict[str, int] = defaultdict(int)
        for s in sess.sets:
            if _working(s):
                k = _set_key(s)
                if k not in n:
                    order.append(k)
                n[k] += 1
        for i, k in enumerate(order):
            seen[k].append(i / max(len(order), 1))
            counts[k].append(n[k])
    need = len(group) / 2
    keep = [k for k in seen if len(seen[k]) >= need] or list(seen)
    keep.sort(key=lambda k: statistics.mean(seen[k]))
    return [(k, min(10, max(1, round(statistics.median(counts[k]))))) for k in keep[:MAX_EXERCISES]]


# --- progression -------------------------------------------------------------------------------

def target_rpe(goal: Goal, level: Level) -> float:
    """The RPE a normal week's work sets aim at."""
    if level == Level.beginner:
        return 7.5
    return {Goal.endurance: 7.0, Goal.general: 7.5}.get(goal, 8.0)


def load_step(entry: ExerciseEntry | None, load: float) -> float:
    """The smallest sensible load increase for this exercise at this load."""
    eq = entry.equipment if entry else None
    if entry is not None and eq == "barbell" and entry.pattern in ("squat", "hinge") and load >= 60:
        return 5.0
    if eq in ("dumbbell", "kettlebells"):
        return 1.0 if (entry is not None and entry.pattern == "isolation" and load < 15) else 2.0
    if entry is not None and entry.pattern == "isolation" and load < 20:
        return 1.0
    return 2.5


def _half(x: float) -> float:
    return round(x * 2) / 2


def _rep_range(exposures: Sequence[Exposure]) -> tuple[int, int]:
    """The rep range the athlete works in: medians of each recent exposure's lowest and highest reps
    (a one-off failed set of 1 rep does not become the range)."""
    last = exposures[-3:]
    lo = int(statistics.median_low([min(s.reps or 1 for s in e.sets) for e in last]))
    hi = int(statistics.median_high([max(s.reps or 1 for s in e.sets) for e in last]))
    lo = max(min(lo, hi), hi - 4)
    return min(lo, 50), min(hi, 50)


def _rest(entry: ExerciseEntry | None, reps_high: int) -> int:
    if entry is not None and entry.mechanic == "compound":
        return 180 if reps_high <= 5 else 120
    return 75


def progress(h: ExerciseHistory, sets: int, rpe_target: float, goal: Goal = Goal.hypertrophy) -> Prescription:
    """Next week's prescription for one exercise by double progression with RPE (module docstring)."""
    last = h.exposures[-1]
    lo, hi = _rep_range(h.exposures)
    if h.entry is not None and h.entry.pattern == "isolation" and hi < 5 and last.top_load:
        # Isolation work in singles and doubles is a load that was too heavy, not a plan: step back.
        lo, hi = _goal_reps(goal, False)
        return Prescription(exercise=h.name, sets=sets, reps_low=lo, reps_high=hi, load_kg=_half(last.top_load * 0.8),
                            rpe=rpe_target, rest_s=_rest(h.entry, hi), note="reps were very low: lighter, back in range")
    top = last.top_load
    at_top = last.at_top()
    min_reps = min(s.reps or 0 for s in at_top)
    rpe = last.rpe()
    hit_top = min_reps >= hi
    note: str
    load = top
    reps_low = lo
    recent = h.exposures[-3:]
    stalled = (
        top is not None and len(recent) == 3 and all(e.top_load == top for e in recent)
        and sum(s.reps or 0 for s in recent[-1].at_top()) <= sum(s.reps or 0 for s in recent[0].at_top())
        and not hit_top
    )
    if top is None:
        if hit_top:
            reps_low, hi = min(lo + 1, 50), min(hi + 1, 50)
            note = "add a rep"
        else:
            reps_low = min(min_reps + 1, hi)
            note = "add reps"
    elif stalled:
        load = _half(top * 0.9)
        note = "stalled 3 sessions: reset 10% lighter"
    elif rpe is not None and rpe >= rpe_target + 1.5 and not hit_top:
        load = _half(top * 0.95)
        note = f"RPE {rpe:g} last time: 5% lighter"
    elif hit_top and (rpe is None or rpe <= rpe_target):
        load = top + load_step(h.entry, top)
        note = f"hit {hi} reps: add load"
    elif rpe is not None and rpe <= rpe_target - 2:
        load = top + load_step(h.entry, top)
        reps_low = min(max(lo, min_reps), hi)
        note = f"RPE {rpe:g} last time: add load"
    elif hit_top:
        reps_low = hi
        note = "top of range but hard: same load, own it"
    else:
        reps_low = min(min_reps + 1, hi)
        note = "same load, add reps"
    return Prescription(
        exercise=h.name, sets=sets, reps_low=reps_low, reps_high=hi,
        load_kg=min(600.0, _half(load)) if load else None, rpe=rpe_target, rest_s=_rest(h.entry, hi), note=note,
    )


# --- templates (no history) -------------------------------------------------------------------

_TEMPLATE_DAYS: dict[str, list[tuple[str, list[str]]]] = {
    "full body": [
        ("Full Body A", ["Barbell_Squat", "Barbell_Bench_Press_-_Medium_Grip", "Seated_Cable_Rows",
                         "Lying_Leg_Curls", "Side_Lateral_Raise", "Plank"]),
        ("Full Body B", ["Romanian_Deadlift", "Dumbbell_Shoulder_Press", "Wide-Grip_Lat_Pulldown", "Leg_Press",
                         "Hammer_Curls", "Triceps_Pushdown"]),
        ("Full Body C", ["Dumbbell_Lunges", "Incline_Dumbbell_Press", "One-Arm_Dumbbell_Row", "Barbell_Hip_Thrust",
                         "Face_Pull", "Hanging_Leg_Raise"]),
    ],
    "upper/lower": [
        ("Upper A", ["Barbell_Bench_Press_-_Medium_Grip", "Seated_Cable_Rows", "Dumbbell_Shoulder_Press",
                     "Wide-Grip_Lat_Pulldown", "Barbell_Curl", "Triceps_Pushdown"]),
        ("Lower A", ["Barbell_Squat", "Romanian_Deadlift", "Leg_Press", "Lying_Leg_Curls", "Standing_Calf_Raises"]),
        ("Upper B", ["Incline_Dumbbell_Press", "One-Arm_Dumbbell_Row", "Pullups", "Side_Lateral_Raise",
                     "Hammer_Curls", "Face_Pull"]),
        ("Lower B", ["Barbell_Deadlift", "Dumbbell_Lunges", "Leg_Extensions", "Seated_Leg_Curl", "Hanging_Leg_Raise"]),
    ],
    "push/pull/legs": [
        ("Push", ["Barbell_Bench_Press_-_Medium_Grip", "Dumbbell_Shoulder_Press", "Incline_Dumbbell_Press",
                  "Side_Lateral_Raise", "Triceps_Pushdown"]),
        ("Pull", ["Wide-Grip_Lat_Pulldown", "Seated_Cable_Rows", "One-Arm_Dumbbell_Row", "Face_Pull", "Barbell_Curl"]),
        ("Legs", ["Barbell_Squat", "Romanian_Deadlift", "Leg_Press", "Lying_Leg_Curls", "Seated_Calf_Raise"]),
    ],
}


def _template_split(split: str, days: int) -> str:
    s = split.lower()
    if "push" in s or "ppl" in s:
        return "push/pull/legs"
    if "full" in s:
        return "full body"
    if "upper" in s or "lower" in s:
        return "upper/lower"
    return "full body" if days <= 3 else ("upper/lower" if days == 4 else "push/pull/legs")


def _goal_reps(goal: Goal, compound: bool) -> tuple[int, int]:
    if goal in (Goal.strength, Goal.powerlifting):
        return (3, 5) if compound else (8, 12)
    if goal == Goal.endurance:
        return (12, 15) if compound else (15, 20)
    return (6, 10) if compound else (10, 15)


def template_plan(ctx: AthleteContext, catalog: Catalog, week_of: dt.date) -> Plan:
    """A starting week from the catalog for the athlete's goal, split and days (no history needed)."""
    athlete = ctx.athlete
    n = min(athlete.days_per_week, 6)
    split = _template_split(athlete.split, n)
    base = _TEMPLATE_DAYS[split]
    sets = 2 if athlete.level == Level.beginner else 3
    rpe = target_rpe(athlete.goal, athlete.level)
    days = []
    for i in range(n):
        name, ids = base[i % len(base)]
        if n > len(base) and i >= len(base):
            name = f"{name} {i // len(base) + 1}"
        exercises = []
        for ex_id in ids:
            entry = catalog.get(ex_id)
            lo, hi = _goal_reps(athlete.goal, entry.mechanic == "compound" and entry.pattern != "core")
            exercises.append(Prescription(exercise=entry.name, sets=sets, reps_low=lo, reps_high=hi, rpe=rpe,
                                          rest_s=_rest(entry, hi), note="pick a load you could lift 2 more reps"))
        days.append(PlanDay(name=name, exercises=exercises))
    return Plan(scenario=Scenario.normal, week_of=week_of, days=days)


# --- scenarios ---------------------------------------------------------------------------------

def _is_main_lift(entry: ExerciseEntry | None) -> bool:
    return entry is not None and entry.equipment == "barbell" and entry.pattern in MAIN_LIFT_PATTERNS


def _load_for(e1rm: float, reps: int, rpe: float) -> float:
    """Load for `reps` at `rpe` from an e1RM (Epley with reps in reserve), rounded to 2.5 kg."""
    pct = 1 / (1 + (reps + 10 - rpe) / 30)
    return math.floor(e1rm * pct / 2.5) * 2.5


def _peaking_phase(weeks_out: int) -> tuple[int, int, float, int]:
    """(reps_low, reps_high, rpe, set change) for the main lifts `weeks_out` weeks before the event."""
    if weeks_out >= 6:
        return 5, 6, 8.0, 0
    if weeks_out >= 3:
        return 3, 4, 8.5, 0
    if weeks_out >= 1:
        return 2, 3, 8.5, -1
    return 1, 2, 8.0, -99


def _recent_e1rm(h: ExerciseHistory) -> float | None:
    values = [v for e in h.exposures[-4:] for s in e.sets if (v := set_e1rm(s)) is not None]
    return max(values) if values else None


def _peak(p: Prescription, h: ExerciseHistory | None, entry: ExerciseEntry | None, weeks_out: int) -> Prescription:
    e1rm = _recent_e1rm(h) if h else None
    if _is_main_lift(entry) and e1rm:  # a main lift the athlete has a recent e1RM on
        lo, hi, rpe, dsets = _peaking_phase(weeks_out)
        sets = 2 if dsets == -99 else max(2, p.sets + dsets)
        load = _load_for(e1rm, hi, rpe)
        note = f"peaking, {weeks_out} weeks out" if weeks_out else "event week: openers, stay fresh"
        return p.model_copy(update={"sets": sets, "reps_low": lo, "reps_high": hi, "rpe": rpe, "load_kg": load,
                                    "rest_s": 180, "note": note})
    if weeks_out <= 2:
        return p.model_copy(update={"sets": max(1, math.floor(p.sets * 2 / 3 + 0.5)), "rpe": 7.0,
                                    "note": "accessory, cut for the taper"})
    return p


def _deload(p: Prescription, h: ExerciseHistory | None, rpe_target: float) -> Prescription:
    top = h.exposures[-1].top_load if h else None
    return p.model_copy(update={
        "sets": max(1, math.floor(p.sets / 2 + 0.5)),
        "load_kg": _half(top * 0.9) if top else None,
        "rpe": max(5.0, rpe_target - 2),
        "note": "deload: half the sets, easy",
    })


def _injury_regions(ctx: AthleteContext) -> set[str]:
    since = ctx.as_of - dt.timedelta(weeks=WINDOW_WEEKS)
    noted = {r for a in ctx.annotations if a.date >= since and {"pain", "aggravated"} & set(a.tags) for r in a.regions}
    return set(ctx.athlete.constraint_regions) | noted


# --- assembling --------------------------------------------------------------------------------

def swap_need(name: str, entry: ExerciseEntry | None, flags: AthleteFlags) -> str | None:
    """'hard' when the lift must go (the notes blame it, or a high-severity constraint), 'soft' when
    a same-pattern swap is wanted if one exists (medium constraint or noted region), else None."""
    findings = exercise_findings(name, entry, flags)
    if any(f.code == "aggravated" and f.severity in ("high", "medium") for f in findings):
        return "hard"
    if any(f.code in ("constraint_region", "noted_region") and f.severity == "high" for f in findings):
        return "hard"
    if any(f.code in ("constraint_region", "noted_region") and f.severity == "medium" for f in findings):
        return "soft"
    return None


def _swap(
    p: Prescription, entry: ExerciseEntry, flags: AthleteFlags, catalog: Catalog, used: set[str],
    histories: dict[str, ExerciseHistory], *, equipment: Sequence[str] | None = None,
    regions: set[str] | frozenset[str] = frozenset(), same_pattern: bool = False,
) -> Prescription | None:
    """`p` moved to a safe substitute (load from the athlete's own history of it, if any), or None."""
    sub = safe_substitute(entry, flags, catalog, extra_regions=regions, equipment=equipment, exclude=used,
                          same_pattern=same_pattern)
    if sub is None:
        return None
    used.add(sub.id)
    h = histories.get(sub.id)
    load = None
    if h is not None and h.exposures[-1].top_load:
        load = _half(h.exposures[-1].top_load)
    return p.model_copy(update={"exercise": sub.name, "load_kg": load, "note": f"instead of {p.exercise}"})


def rule_plan(
    ctx: AthleteContext,
    catalog: Catalog,
    scenario: Scenario = Scenario.normal,
    *,
    equipment: Sequence[str] | None = None,
    event_date: dt.date | None = None,
    week_of: dt.date | None = None,
    repair: bool = True,
) -> Plan:
    """Next week's plan for this athlete, by rule (module docstring). Deterministic.

    `repair=False` skips the checker's final repair (the evaluation's `rules-raw`: what the rules give alone).
    """
    ctx = ctx.model_copy(update={"sessions": strength_rows(ctx.sessions)})
    athlete = ctx.athlete
    week_of = week_of or ctx.week_start()
    flags = athlete_flags(ctx, catalog)
    rpe_target = target_rpe(athlete.goal, athlete.level)
    past = sorted((s for s in ctx.sessions if s.day < ctx.as_of), key=lambda s: s.started_at)
    light = light_weeks(past)
    window = _window(ctx, light)
    normal_past = [s for s in past if _monday(s.day) not in light] or past
    histories = _histories(normal_past, catalog)
    by_id = {h.entry.id: h for h in histories.values() if h.entry is not None}

    if window:
        per_week: dict[dt.date, int] = defaultdict(int)
        for s in window:
            per_week[_monday(s.day)] += 1
        # names where they mark the athlete's days, else what each session trained (days.py)
        keys, names = day_keys(window, _group_key, parts_labeller(catalog),
                               lambda s: clean_day_name(s.name) or s.started_at.strftime("%A"))
        groups: dict[str, list[Session]] = defaultdict(list)
        for s, key in zip(window, keys):
            groups[key].append(s)
        # The fullest recent week, or the number of distinct days in a rotation, is the schedule
        # (missed sessions make the mean understate it); the profile's days cap it.
        n_days = max(1, min(athlete.days_per_week, 7, max(max(per_week.values()), len(groups))))
        plan_days: list[PlanDay] = []
        for g in _day_order(window, n_days, keys):
            selection = _day_selection(groups[g])
            plan_days.append(PlanDay(name=names[g], exercises=[
                progress(histories[key], sets, rpe_target, athlete.goal) for key, sets in selection if key in histories]
                or [progress(_histories(groups[g], catalog)[k], n, rpe_target, athlete.goal) for k, n in selection]))
        base = Plan(scenario=scenario, week_of=week_of, days=plan_days)
    else:
        base = template_plan(ctx, catalog, week_of).model_copy(update={"scenario": scenario})

    by_name = {h.name: h for h in histories.values()}
    injury = _injury_regions(ctx) if scenario == Scenario.injury else set()
    travel_eq = [e.lower() for e in (equipment or TRAVEL_EQUIPMENT)] if scenario == Scenario.travel else None
    weeks_out = 3
    if event_date is not None:
        weeks_out = max(0, (event_date - week_of).days // 7)

    def entry_of(name: str) -> ExerciseEntry | None:
        return by_name[name].entry if name in by_name else catalog.by_name(name)

    days: list[PlanDay] = []
    for day in base.days:
        # Ids kept as they are claim their place first, so a swap never lands on a lift already in the day.
        used = {e.id for p in day.exercises if (e := entry_of(p.exercise)) is not None
                and swap_need(p.exercise, e, flags) is None}
        seen: set[str] = set()
        out: list[Prescription] = []
        for p in day.exercises:
            h = by_name.get(p.exercise)
            entry = entry_of(p.exercise)
            need = swap_need(p.exercise, entry, flags)
            if entry is None:
                if need == "hard" or travel_eq is not None:
                    continue  # an unmapped lift the notes blame, or of unknown equipment on the road
            else:
                regions = {r for r in injury if region_stress(entry, r) in ("high", "medium")}
                # a guessed entry with no equipment word might need anything: not taken on the road
                unknown_kit = is_guessed(entry) and entry.equipment is None
                off_equipment = travel_eq is not None and (
                    unknown_kit or (entry.equipment or "body only") not in {*travel_eq, "body only"})
                if regions or off_equipment or need:
                    must = bool(regions or off_equipment or need == "hard")
                    swapped = _swap(p, entry, flags, catalog, used, by_id, equipment=travel_eq, regions=regions | injury,
                                    same_pattern=not must)
                    if swapped is None and must:
                        continue
                    if swapped is not None:
                        p = swapped
                        entry = catalog.by_name(p.exercise)
                        h = by_id.get(entry.id) if entry else None
                if entry is not None and entry.id in seen:
                    continue
            if scenario == Scenario.deload:
                p = _deload(p, h, rpe_target)
            elif scenario == Scenario.peaking:
                p = _peak(p, h, entry, weeks_out)
            elif scenario == Scenario.injury:
                p = p.model_copy(update={"rpe": max(5.0, (p.rpe or rpe_target) - 1)})
            if entry is not None:
                seen.add(entry.id)
            out.append(p)
        if not out:
            out = _fallback_day(day, flags, catalog, travel_eq, rpe_target)
        days.append(PlanDay(name=day.name, exercises=out[:MAX_EXERCISES]))
    plan = Plan(scenario=scenario, week_of=week_of, days=days)

    if not repair:
        return plan
    result = check_plan(plan, ctx, catalog, scenario, repair=False)
    fixable = [f for f in result.findings if f.code in (*VOLUME_CODES, "deload_volume", "deload_intensity", "load_jump")
               and f.severity in ("high", "medium")]
    if fixable:
        plan = repair_plan(plan, fixable, ctx, catalog, flags=flags)
    return plan


_FALLBACK_IDS = ("Bodyweight_Squat", "Pushups", "Plank", "Inverted_Row", "Glute_Bridge", "Side_Lateral_Raise")


def _fallback_day(
    day: PlanDay, flags: AthleteFlags, catalog: Catalog, equipment: Sequence[str] | None, rpe: float
) -> list[Prescription]:
    """A day whose every exercise had to go: the first safe simple exercises available."""
    have = set(equipment) | {"body only"} if equipment is not None else flags.equipment
    out = []
    for ex_id in _FALLBACK_IDS:
        try:
            entry = catalog.get(ex_id)
        except Exception:
            continue
        if have is not None and (entry.equipment or "body only") not in have:
            continue
        if swap_need(entry.name, entry, flags):
            continue
        out.append(Prescription(exercise=entry.name, sets=3, reps_low=10, reps_high=15, rpe=rpe, rest_s=75,
                                note="replaces what could not be kept"))
        if len(out) == 3:
            break
    return out or list(day.exercises)
