"""Loads written as a percentage ("5 x 5 @ 75%", "70% TM", 5/3/1's waves) turned into kilograms from the
athlete's own estimated 1RM, so the checker can compare them with what the log shows.

`lift_e1rms(ctx, catalog) -> dict[name, LiftE1rm]`: per lift (catalog name, else the logged name) the best e1RM
(`log.stats.set_e1rm`: the RPE table when effort is logged, else Epley/Brzycki) of the last `RECENT_WEEKS` logged
weeks, with the day of the set it came from (the latest of equal ones); a lift not done in those weeks keeps its
latest e1RM, marked old.
`resolve_percent(plan, e1rms, catalog, logged) -> (plan, notes)`: each prescription with a percentage and no
load gets `pct x e1RM` (to 0.5 kg), and a note says which e1RM was used and from when; a lift the log has no
e1RM for keeps its percentage unloaded, and the note says its load cannot be checked. No e1RM is ever made up.
Reads the log, never writes it.
"""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from ..log.catalog import Catalog
from ..log.context import AthleteContext
from ..log.models import SetType
from ..log.stats import set_e1rm
from .checker import RECENT_WEEKS, entry_for_set, recent_weeks, resolve
from .schema import Plan
from .text import format_number, load_text


class LiftE1rm(BaseModel):
    """The e1RM a percentage is taken of: kilograms, the day of the set it came from, and whether that day is
    within the recent weeks the checker compares with."""

    kg: float
    day: dt.date
    recent: bool


def lift_e1rms(ctx: AthleteContext, catalog: Catalog) -> dict[str, LiftE1rm]:
    """Best e1RM per lift over the recent weeks, else the latest one logged (module docstring)."""
    weeks = recent_weeks(ctx, catalog)
    since = weeks[0].week_start if weeks else ctx.as_of
    best: dict[str, LiftE1rm] = {}
    cache: dict[str, str] = {}
    for sess in sorted(ctx.sessions, key=lambda s: s.day):
        if sess.day >= ctx.as_of:
            continue
        for s in sess.sets:
            if s.set_type == SetType.warmup or not s.weight_kg:
                continue
            est = set_e1rm(s)
            if est is None:
                continue
            key = s.exercise_id or s.exercise
            if key not in cache:
                entry = entry_for_set(s.exercise, s.exercise_id, catalog)
                cache[key] = entry.name if entry else s.exercise
            name, recent = cache[key], sess.day >= since
            old = best.get(name)
            # within the recent weeks the best counts; before them the latest (a later day replaces it)
            if (old is None or (recent and (not old.recent or round(est, 1) >= old.kg))
                    or (not recent and not old.recent)):
                best[name] = LiftE1rm(kg=round(est, 1), day=sess.day, recent=recent)
    return best


def _find(name: str, e1rms: dict[str, LiftE1rm], catalog: Catalog, logged: set[str]) -> tuple[str, LiftE1rm] | None:
    entry = resolve(name, catalog, logged)
    for key in ([entry.name] if entry else []) + [name]:
        if key in e1rms:
            return key, e1rms[key]
        low = key.casefold()
        for k, v in e1rms.items():
            if k.casefold() == low:
                return k, v
    return None


def resolve_percent(plan: Plan, e1rms: dict[str, LiftE1rm], catalog: Catalog,
                    logged: set[str] | None = None, *, label: str = "", unit: str = "kg") -> tuple[Plan, list[str]]:
    """`plan` with each percentage load in kilograms from `e1rms`, and one note per lift saying how (or why not),
    its figures in `unit` (the athlete's; pounds to a loadable step, as the plan views show them)."""
    def shown(kg: float) -> str:
        return load_text(kg, unit)

    notes: list[str] = []
    seen: set[tuple[str, float]] = set()
    where = f"{label}: " if label else ""
    days = []
    for day in plan.days:
        out = []
        for p in day.exercises:
            if p.pct_e1rm is None or p.load_kg is not None:
                out.append(p)
                continue
            found = _find(p.exercise, e1rms, catalog, logged or set())
            said = (p.exercise, p.pct_e1rm) in seen
            seen.add((p.exercise, p.pct_e1rm))
            if found is None:
                if not said:
                    notes.append(f"{where}{p.exercise} at {format_number(p.pct_e1rm)}%: your log has no e1RM for "
                                 f"this lift, so its load cannot be checked")
                out.append(p)
                continue
            key, e = found
            kg = round(e.kg * p.pct_e1rm / 100 * 2) / 2
            if not said:
                when = (f"best of your last {RECENT_WEEKS} weeks, on {e.day.isoformat()}" if e.recent
                        else f"from {e.day.isoformat()}, older than your last {RECENT_WEEKS} weeks")
                notes.append(f"{where}{p.exercise} at {format_number(p.pct_e1rm)}% = {shown(kg)} "
                             f"(of your {key} e1RM {shown(e.kg)}, {when})")
            out.append(p.model_copy(update={"load_kg": kg}))
        days.append(day.model_copy(update={"exercises": out}))
    return plan.model_copy(update={"days": days}), notes


__all__ = ["LiftE1rm", "lift_e1rms", "resolve_percent"]
