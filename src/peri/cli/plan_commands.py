"""`peri check PLAN_FILE --athlete NAME [--repair] [--json]`: check a plan against an athlete's profile and notes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from ..errors import NotFound, PlanParseError
from ..plans.schema import Plan, Scenario
from .common import console, date_option, friendly, open_store, print_json


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def read_plan_file(path: Path) -> Plan:
    """A plan from a file in the compact text form or JSON (told apart by the first character)."""
    from ..plans.jsonschema import plan_from_json
    from ..plans.text import parse_plan_text

    from ..paths import read_text_file

    if not path.exists():
        raise NotFound(f"no plan file {path}", hint="pass the path of a plan in text or JSON form")
    text = read_text_file(path, what="plan file", max_bytes=16 * 1024 * 1024)
    stripped = text.lstrip()
    try:
        if stripped.startswith("{") or stripped.startswith("```json"):
            return plan_from_json(text)
        return parse_plan_text(text)
    except PlanParseError as e:
        raise PlanParseError(e.message, place=f"{path}:{e.place}" if e.place else str(path), hint=e.hint) from None


@friendly
def check(
    plan_file: Path = typer.Argument(..., help="A plan in the compact text form (WEEK/DAY lines) or JSON."),
    athlete: str = typer.Option(..., "--athlete", "-a", help="Whose profile, notes and history to check against."),
    repair: bool = typer.Option(False, "--repair", help="Also print a repaired plan (same days, flagged lifts swapped)."),
    scenario: Optional[Scenario] = typer.Option(None, "--scenario", help="Check as this scenario (default: the plan's)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Use only history before this date (YYYY-MM-DD)."),
    max_jump: float = typer.Option(0.2, "--max-jump", min=0.0, max=5.0, help="Largest weekly volume increase per muscle."),
    as_json: bool = typer.Option(False, "--json", help="Print findings (and the repaired plan) as JSON."),
) -> None:
    """Check a plan: unsafe lifts for this athlete, volume, days, deload, unknown exercises."""
    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..plans.checker import check_plan
    from ..plans.text import plan_to_text
    from ..plans.view import plan_table

    plan = read_plan_file(plan_file)
    day = date_option(as_of, "--as-of")
    with open_store() as store:
        ctx = load_context(store, athlete, as_of=day)
    catalog = default_catalog()
    result = check_plan(plan, ctx, catalog, scenario, max_jump=max_jump, repair=repair)
    if as_json:
        print_json({
            "athlete": athlete,
            "findings": result.findings,
            "worst": result.worst(),
            "repaired": result.repaired if repair else None,
            "repaired_text": plan_to_text(result.repaired) if repair and result.repaired else None,
        })
        return
    from ..log.shown_unit import shown_unit

    unit = shown_unit(ctx.athlete, sessions=ctx.sessions)
    console.print(plan_table(plan, result.findings, unit))
    counts = {s: sum(f.severity == s for f in result.findings) for s in ("high", "medium", "low")}
    if not result.findings:
        console.print("[green]no findings[/]")
    else:
        console.print(f"{counts['high']} high, {counts['medium']} medium, {counts['low']} low")
    if repair:
        if result.repaired is None:
            console.print("nothing to repair")
        else:
            after = check_plan(result.repaired, ctx, catalog, scenario, max_jump=max_jump, repair=False)
            console.print("\n[bold]Repaired[/] (same days; flagged lifts swapped, volume trimmed):")
            console.print(plan_table(result.repaired, after.findings, unit))
            console.print(plan_to_text(result.repaired), highlight=False, markup=False)
