"""The unit a person sees their loads in: the one they log in, unless they said otherwise.

peri stores and computes every load in kilograms (``WorkoutSet.weight_kg``), whatever the export used.
A lifter who logs in pounds should still read "185 lb" in their plan, not "84 kg": the plan is what they
load onto the bar. The shown unit is the athlete's stated ``Athlete.unit`` (``peri athlete set --unit``),
else the unit most of their recent loaded sets were logged in, else kg.

Converted loads are rounded to what can be loaded: 2.5 lb steps (the smallest common plate pair and
dumbbell step), 0.5 lb under 10 lb (light dumbbells, cable pins); kilograms keep the plan's own value.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from .models import LB_TO_KG, Athlete, Session

Unit = Literal["kg", "lb"]
LB_STEP = 2.5
LB_FINE_STEP, LB_FINE_BELOW = 0.5, 10.0


def unit_from_counts(counts: Mapping[str, int]) -> Unit:
    """The unit most loaded sets were logged in ("lb" only when pounds are more than half); kg when none."""
    lb, total = counts.get("lb", 0), sum(counts.values())
    return "lb" if total and lb > total / 2 else "kg"


def unit_of_sessions(sessions: Iterable[Session], *, last: int = 300) -> Unit:
    """`unit_from_counts` over the `last` most recent loaded sets of these sessions."""
    counts: dict[str, int] = {}
    seen = 0
    for s in sorted(sessions, key=lambda s: s.started_at, reverse=True):
        for w in reversed(s.sets):
            if w.unit and w.weight:
                counts[w.unit] = counts.get(w.unit, 0) + 1
                seen += 1
                if seen >= last:
                    return unit_from_counts(counts)
    return unit_from_counts(counts)


def shown_unit(athlete: Athlete, counts: Mapping[str, int] | None = None,
               sessions: Iterable[Session] | None = None) -> Unit:
    """The athlete's stated unit, else the one their log is kept in (from `counts` of recent sets by unit, as
    ``Store.logged_units`` gives them, or from `sessions`), else kg."""
    if athlete.unit is not None:
        return athlete.unit
    if counts is not None:
        return unit_from_counts(counts)
    return unit_of_sessions(sessions or [])


def store_unit(store: object, athlete_name: str) -> Unit:
    """`shown_unit` for a stored athlete, from one small query (no history loaded)."""
    athlete = store.get_athlete(athlete_name)  # type: ignore[attr-defined]
    return athlete.unit or unit_from_counts(store.logged_units(athlete.id))  # type: ignore[attr-defined]


def shown_load(kg: float, unit: Unit) -> float:
    """A load in kg as the athlete would load it in `unit`: kg unchanged, lb rounded to a loadable step."""
    if unit == "kg":
        return kg
    lb = kg / LB_TO_KG
    step = LB_FINE_STEP if lb < LB_FINE_BELOW else LB_STEP
    return max(step, round(lb / step) * step) if kg > 0 else 0.0


def in_unit(kg: float, unit: Unit) -> float:
    """A quantity in kg (a tonnage, an e1RM) in `unit`, unrounded: for figures, not for loading a bar."""
    return kg if unit == "kg" else kg / LB_TO_KG
