"""Weekly training statistics: volume, effort, hard sets per muscle, estimated 1RMs, trends.

Definitions (the numbers every report and prompt quotes):

* A **working set** is any set whose type is not ``warmup``.
* A **hard set** is a working set with ``reps > 0`` whose effective RPE (RPE, or 10 - RIR) is
  at least 6 or was not logged. Real logs rarely carry RPE, so an unlabelled working set counts:
  the apps' own warm-up flag is the only reliable signal of an easy set. Sets logged only by time
  or distance (planks, cardio) are not hard sets.
* ``reps`` and ``tonnage_kg`` (sum of weight_kg x reps) are over working sets. Assisted exercises
  (name containing "assist") log the assistance as weight, so they add no tonnage and no e1RM.
* ``avg_rpe`` is the mean effective RPE over working sets that have one; None when none do.
* ``sets_per_muscle`` counts hard sets per catalog muscle: 1 for each primary muscle, 0.5 for each
  secondary muscle of a compound lift (isolation lifts credit their primary muscles only).
  Sets whose exercise is not mapped to the catalog are left out.
* ``e1rm`` is the best estimated one-rep max per logged exercise name in the week: from the RPE
  table when the set has an RPE of 6-10, otherwise the mean of Epley and Brzycki; sets of more
  than 12 reps give no estimate (see ``e1rm_brzycki``).
* ``change`` is the week-over-week fraction ``(this - last) / last`` for sessions, hard_sets,
  reps and tonnage_kg; None for the first week or when last week was zero.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from .catalog import Catalog, ExerciseEntry
from .models import Session, SetType, WorkoutSet

HARD_SET_MIN_RPE = 6.0
MAX_E1RM_REPS = 12
CHANGE_KEYS = ("sessions", "hard_sets", "reps", "tonnage_kg")

# Share of 1RM by reps-to-failure (reps + RIR, in half steps from 1 to 16): the RPE chart popularised
# by Mike Tuchscherer (Reactive Training Systems). Row "RPE 10" is reps-to-failure = reps; each RPE
# point lower adds one rep in reserve, which is why one list serves the whole table.
_RPE_PCT = (
    100.0, 97.8, 95.5, 93.9, 92.2, 90.7, 89.2, 87.8, 86.3, 85.0, 83.7, 82.4, 81.1, 79.9, 78.6, 77.4,
    76.2, 75.1, 73.9, 72.3, 70.7, 69.4, 68.0, 66.7, 65.3, 64.0, 62.6, 61.3, 59.9, 58.6, 57.4,
)


class WeekStats(BaseModel):
    """One training week (Monday to Sunday) in numbers; see the module docstring for definitions."""

    week_start: dt.date
    sessions: int = 0
    sets: int = 0
    hard_sets: int = 0
    reps: int = 0
    tonnage_kg: float = 0.0
    avg_rpe: float | None = None
    sets_per_muscle: dict[str, float] = Field(default_factory=dict)
    e1rm: dict[str, float] = Field(default_factory=dict)
    change: dict[str, float | None] = Field(default_factory=dict)


def _valid(w: float | None, r: int | None, max_reps: int) -> bool:
    return w is not None and r is not None and w > 0 and 1 <= r <= max_reps


def e1rm_epley(weight: float, reps: int, *, max_reps: int = MAX_E1RM_REPS) -> float | None:
    """Epley: ``w * (1 + r/30)``; a single is its own max. None past ``max_reps`` (12).

    Past 10-12 reps the result depends more on endurance than strength and Epley overestimates.
    """
    if not _valid(weight, reps, max_reps):
        return None
    return float(weight) if reps == 1 else weight * (1 + reps / 30)


def e1rm_brzycki(weight: float, reps: int, *, max_reps: int = MAX_E1RM_REPS) -> float | None:
    """Brzycki: ``w * 36 / (37 - r)``. None past ``max_reps`` (12).

    The formula is fitted on sets of up to ~10 reps; its denominator heads to zero at 37 reps, so
    beyond 12 it returns nonsense rather than an estimate - we refuse instead.
    """
    if not _valid(weight, reps, max_reps):
        return None
    return weight * 36 / (37 - reps)


def e1rm_rpe(weight: float, reps: int, rpe: float) -> float | None:
    """``w / pct(reps, RPE)`` from the RPE table (RIR = 10 - RPE).

    Defined for 1-12 reps and RPE 6-10 (rounded to the nearest half point); None outside, since
    below RPE 6 lifters judge their reserve poorly.
    """
    if not _valid(weight, reps, MAX_E1RM_REPS) or rpe is None or not 6.0 <= rpe <= 10.0:
        return None
    rtf = reps + (10.0 - round(rpe * 2) / 2)  # reps to failure
    idx = int(round((rtf - 1) * 2))
    if idx >= len(_RPE_PCT):
        return None
    return weight / (_RPE_PCT[idx] / 100)


def set_e1rm(s: WorkoutSet) -> float | None:
    """The best estimate for one set: RPE table when effort is logged, else mean of Epley and Brzycki."""
    if s.set_type == SetType.warmup or "assist" in s.exercise.lower():
        return None
    w, r = s.weight_kg, s.reps
    if w is None or r is None:
        return None
    rpe = s.effective_rpe()
    if rpe is not None:
        est = e1rm_rpe(w, r, rpe)
        if est is not None:
            return est
    a, b = e1rm_epley(w, r), e1rm_brzycki(w, r)
    if a is None or b is None:
        return None
    return (a + b) / 2


def is_hard_set(s: WorkoutSet) -> bool:
    """Working set, reps > 0, effective RPE >= 6 or unknown (module docstring)."""
    if s.set_type == SetType.warmup or not s.reps or s.reps <= 0:
        return False
    rpe = s.effective_rpe()
    return rpe is None or rpe >= HARD_SET_MIN_RPE


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _entry(s: WorkoutSet, catalog: Catalog, cache: dict[str, ExerciseEntry | None]) -> ExerciseEntry | None:
    key = s.exercise_id or "\0" + s.exercise
    if key not in cache:
        if s.exercise_id:
            try:
                cache[key] = catalog.get(s.exercise_id)
            except Exception:  # an id from an older catalog: fall back to the name
                cache[key] = catalog.match(s.exercise).entry
        else:
            cache[key] = catalog.match(s.exercise).entry
    return cache[key]


def _one_week(start: dt.date, sessions: Sequence[Session], catalog: Catalog, cache: dict) -> WeekStats:
    ws = WeekStats(week_start=start, sessions=len(sessions))
    rpes: list[float] = []
    muscles: dict[str, float] = defaultdict(float)
    best: dict[str, float] = {}
    tonnage = 0.0
    for sess in sessions:
        for s in sess.sets:
            ws.sets += 1
            if s.set_type == SetType.warmup:
                continue
            if s.reps:
                ws.reps += s.reps
                if s.weight_kg and "assist" not in s.exercise.lower():
                    tonnage += s.weight_kg * s.reps
            rpe = s.effective_rpe()
            if rpe is not None:
                rpes.append(rpe)
            if is_hard_set(s):
                ws.hard_sets += 1
                e = _entry(s, catalog, cache)
                if e is not None:
                    for m in e.primary_muscles:
                        muscles[m] += 1.0
                    if e.mechanic == "compound":
                        for m in e.secondary_muscles:
                            if m not in e.primary_muscles:
                                muscles[m] += 0.5
            est = set_e1rm(s)
            if est is not None and est > best.get(s.exercise, 0.0):
                best[s.exercise] = est
    ws.tonnage_kg = round(tonnage, 1)
    ws.avg_rpe = round(sum(rpes) / len(rpes), 2) if rpes else None
    ws.sets_per_muscle = dict(sorted(muscles.items(), key=lambda kv: (-kv[1], kv[0])))
    ws.e1rm = {k: round(v, 1) for k, v in sorted(best.items(), key=lambda kv: -kv[1])}
    return ws


def weekly_stats(sessions: Iterable[Session], catalog: Catalog, weeks: int | None = None) -> list[WeekStats]:
    """One ``WeekStats`` per week from the first to the last logged week (empty weeks as zeros).

    Sessions dated outside `peri.log.context.plausible_window` are left out (`plausible_sessions` says which).
    ``weeks=N`` keeps the last N weeks, counted back from the last logged week (not from today, so
    the result does not depend on the clock); their ``change`` still compares with the week before.
    """
    from .context import plausible_sessions

    by_week: dict[dt.date, list[Session]] = defaultdict(list)
    sessions, _ = plausible_sessions(list(sessions))  # a session dated 0001 or 9999 would span 100,000 weeks
    for s in sessions:
        by_week[monday(s.day)].append(s)
    if not by_week:
        return []
    first, last = min(by_week), max(by_week)
    cache: dict[str, ExerciseEntry | None] = {}
    out: list[WeekStats] = []
    day = first
    while day <= last:
        out.append(_one_week(day, by_week.get(day, []), catalog, cache))
        day += dt.timedelta(days=7)
    prev: WeekStats | None = None
    for w in out:
        for k in CHANGE_KEYS:
            before = getattr(prev, k) if prev else 0
            w.change[k] = round((getattr(w, k) - before) / before, 4) if prev and before else None
        prev = w
    return out[-weeks:] if weeks else out


def top_lifts(weeks: Sequence[WeekStats], n: int = 4) -> list[str]:
    """The heaviest lifts among those estimated in at least half the weeks that have any estimate.

    Regularly trained main lifts (squat, bench, deadlift) then lead, not a one-off max.
    """
    seen: dict[str, int] = defaultdict(int)
    peak: dict[str, float] = defaultdict(float)
    active = sum(1 for w in weeks if w.e1rm)
    for w in weeks:
        for k, v in w.e1rm.items():
            seen[k] += 1
            peak[k] = max(peak[k], v)
    regular = [k for k in seen if seen[k] * 2 >= active] or list(seen)
    return sorted(regular, key=lambda k: (-peak[k], k))[:n]


def stats_plot(weeks: Sequence[WeekStats], path: Path | str, title: str = "Training trends", unit: str = "kg") -> Path:
    """Draw tonnage, hard sets, average RPE and the top e1RMs per week into a PNG (or SVG), loads in `unit`
    (``shown_unit``: tonnage in tonnes or thousands of pounds)."""
    from .shown_unit import in_unit

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    x = [w.week_start for w in weeks]
    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), sharex=True)
    ax = axes[0][0]
    ax.bar(x, [in_unit(w.tonnage_kg, unit) / 1000 for w in weeks], width=5, color="#4C72B0")
    ax.set_title("Tonnage per week (t)" if unit == "kg" else "Tonnage per week (1,000 lb)")
    ax = axes[0][1]
    ax.plot(x, [w.hard_sets for w in weeks], marker="o", ms=3, color="#DD8452")
    ax.set_title("Hard sets per week")
    ax.set_ylim(bottom=0)
    ax = axes[1][0]
    rpe = [w.avg_rpe for w in weeks]
    pts = [(d, r) for d, r in zip(x, rpe) if r is not None]
    if pts:
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", ms=3, color="#55A868")
        ax.set_ylim(5, 10.5)
    else:
        ax.text(0.5, 0.5, "no RPE / RIR logged", ha="center", va="center", transform=ax.transAxes, color="gray")
        ax.set_yticks([])
    ax.set_title("Average RPE (working sets)")
    ax = axes[1][1]
    for name in top_lifts(weeks):
        pts = [(w.week_start, in_unit(w.e1rm[name], unit)) for w in weeks if name in w.e1rm]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", ms=3, label=name)
    if ax.lines:
        ax.legend(fontsize=8, loc="best")
    ax.set_title(f"Estimated 1RM ({unit}), top lifts")
    # One tick per week (or every few weeks on long logs), always on a Monday.
    locator = mdates.WeekdayLocator(byweekday=mdates.MO, interval=max(1, -(-len(x) // 10)))
    for a in axes.flat:
        a.grid(alpha=0.3)
        a.xaxis.set_major_locator(locator)
        a.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        for lbl in a.get_xticklabels():
            lbl.set_rotation(30)
            lbl.set_ha("right")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
