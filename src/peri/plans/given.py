"""Check a plan someone was given (a chatbot's, a coach's, a book's) against one athlete: the one library call
behind `peri check` and the web Check page.

`check_given(store, athlete, text, ...) -> GivenCheck`: the athlete's context (profile, notes, history before
`as_of`; by default the log's own end, or the day after the latest note written since), the plan read from `text` by `plans.freeform.read_plan` (a load written without a unit read in the
athlete's unit), `checker.check_plan` on it, and, when asked, the repaired plan with its own findings. It
writes nothing.
"""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from ..log.shown_unit import Unit
from .checker import CheckResult
from .freeform import PlanReading
from .schema import Plan, Scenario


class GivenCheck(BaseModel):
    """What the faces show: how the plan was read, the findings, the repaired plan, the unit to show loads in."""

    athlete: str
    reading: PlanReading
    result: CheckResult
    repaired: Plan | None = None
    repaired_result: CheckResult | None = None  # the repaired plan checked again (what is left)
    unit: Unit = "kg"
    warnings: list[str] = []

    def counts(self) -> dict[str, int]:
        return {s: sum(f.severity == s for f in self.result.findings) for s in ("high", "medium", "low")}


def check_given(
    store: object, athlete: str, text: str, *, scenario: Scenario | None = None, as_of: dt.date | None = None,
    max_jump: float = 0.2, repair: bool = False, source: str | None = None,
) -> GivenCheck:
    """Read `text` as a plan and check it for `athlete` (module docstring). `source` names the file in errors.

    Raises `NotFound` for an unknown athlete and `PlanParseError` for a text with no plan in it."""
    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..log.shown_unit import shown_unit
    from .checker import check_plan
    from .freeform import read_plan

    ctx = load_context(store, athlete, as_of=as_of)  # type: ignore[arg-type]
    if as_of is None:
        # a note the person wrote after their last logged session ("my shoulder hurts since Tuesday") is what
        # they have told peri now: the history runs to the day after the latest one (never past tomorrow)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        later = [a.date for a in store.annotations(ctx.athlete.id, since=ctx.as_of)  # type: ignore[attr-defined]
                 if ctx.as_of <= a.date < tomorrow]
        if later:
            ctx = load_context(store, athlete, as_of=max(later) + dt.timedelta(days=1))  # type: ignore[arg-type]
    unit = shown_unit(ctx.athlete, sessions=ctx.sessions)
    reading = read_plan(text, unit, source=source)
    catalog = default_catalog()
    result = check_plan(reading.plan, ctx, catalog, scenario, max_jump=max_jump, repair=repair)
    repaired = result.repaired if repair else None
    after = check_plan(repaired, ctx, catalog, scenario, max_jump=max_jump, repair=False) if repaired else None
    return GivenCheck(athlete=athlete, reading=reading, result=result, repaired=repaired, repaired_result=after,
                      unit=unit, warnings=list(ctx.warnings))
