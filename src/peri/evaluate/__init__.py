"""Evaluation: every approach measured the same way on held-out weeks (harness, report, learning curve, cohort).

This package is the only place allowed to open the oracle (`peri.sim.oracle`); other modules ask it for a
scoring callback instead.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def oracle_scorer(athlete: str) -> Callable[[Any, str, dt.date], dict] | None:
    """For a simulated athlete, a callback scoring a plan with the oracle (total and breakdown only, never
    traits); None for a real athlete, whose plans are judged by their ratings."""
    from ..sim import oracle

    if not oracle.is_simulated(athlete):
        return None

    def score(plan: Any, name: str, as_of: dt.date) -> dict:
        s = oracle.score_plan(plan, name, as_of=as_of)
        return {"total": s.total, "breakdown": dict(s.breakdown)}

    return score
