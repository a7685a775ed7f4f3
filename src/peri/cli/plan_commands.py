"""`peri check PLAN_FILE --athlete NAME [--repair] [--json]`: check a plan (peri's, or one pasted from a chatbot, a
coach, a forum or a book) against an athlete's profile, notes and history."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.markup import escape

from ..errors import NotFound
from ..plans.schema import Scenario
from .common import console, date_option, friendly, open_store, print_json

if TYPE_CHECKING:
    from ..plans.freeform import PlanReading


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def plan_file_text(path: Path) -> str:
    """The text of a plan file the person named (regular file, capped, UTF-8)."""
    from ..paths import read_text_file

    if not path.exists():
        raise NotFound(f"no plan file {path}", hint="pass the path of a plan: text, markdown or JSON")
    return read_text_file(path, what="plan file", max_bytes=16 * 1024 * 1024)


def read_plan_file(path: Path, unit: str = "kg") -> PlanReading:
    """A plan from a file: peri's JSON or compact form, else the plan as people and chatbots write it
    (`plans.freeform.read_plan`); errors name the file and line."""
    from ..plans.freeform import read_plan

    return read_plan(plan_file_text(path), unit, source=str(path))  # type: ignore[arg-type]


@friendly
def check(
    plan_file: Path = typer.Argument(..., help="A plan: text or markdown as people and chatbots write it (days, "
                                               "'Squat 3x8 @ 80 kg', tables), peri's compact form, or JSON."),
    athlete: str = typer.Option(..., "--athlete", "-a", help="Whose profile, notes and history to check against."),
    repair: bool = typer.Option(False, "--repair", help="Also print a repaired plan (same days, flagged lifts swapped)."),
    scenario: Optional[Scenario] = typer.Option(None, "--scenario", help="Check as this scenario (default: the plan's)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Use only history before this date (YYYY-MM-DD)."),
    max_jump: float = typer.Option(0.2, "--max-jump", min=0.0, max=5.0, help="Largest weekly volume increase per muscle."),
    as_json: bool = typer.Option(False, "--json", help="Print findings (and the repaired plan) as JSON."),
) -> None:
    """Check a plan from anywhere (a chatbot's, a coach's, a book's, peri's) for this athlete: unsafe lifts, volume, days, deload, unknown exercises.

    A programme of several weeks is checked week by week and from one week to the next; a load written as a
    percentage (of the 1RM, of a training max, 5/3/1's waves) is taken of your own e1RM, said with its day.
    Lines the reader could not use are listed, never dropped silently."""
    from ..plans.freeform import describe
    from ..plans.given import check_given
    from ..plans.text import plan_to_text
    from ..plans.view import plan_table

    text = plan_file_text(plan_file)
    day = date_option(as_of, "--as-of")
    with open_store() as store:
        given = check_given(store, athlete, text, scenario=scenario, as_of=day, max_jump=max_jump, repair=repair,
                            source=str(plan_file))
    result = given.result
    if as_json:
        print_json({
            "athlete": athlete,
            "read_as": given.reading.form,
            "reader_notes": given.reading.notes,
            "plan": given.plan or given.reading.plan,
            "loads": given.loads,
            "findings": result.findings,
            "weeks": [{"label": w.label, "numbers": w.numbers, "plan": w.plan, "findings": w.result.findings}
                      for w in given.weeks],
            "progression": given.progression,
            "repeated": [r.model_dump(mode="json") for r in given.repeated()],
            "worst": min((f.severity for f in given.all_findings()),
                         key=lambda s: ("high", "medium", "low").index(s), default=None),
            "repaired": given.repaired,
            "repaired_text": plan_to_text(given.repaired) if given.repaired else None,
        })
        return
    console.print(describe(given.reading), highlight=False)
    for note in given.reading.notes:
        console.print(f"  [dim]{escape(note)}[/]", highlight=False)
    for line in given.loads:
        console.print(f"  [dim]load: {escape(line)}[/]", highlight=False)
    if given.weeks:
        for w, once in zip(given.weeks, given.week_findings()):  # a finding repeated in weeks: said once
            console.print(f"\n[bold]{escape(w.label)}[/]", highlight=False)
            console.print(plan_table(w.plan, once, given.unit))
        console.print("\n[bold]From week to week[/]")
        for f in given.progression:
            console.print(f"  [{f.severity}] {f.message}", highlight=False, markup=False)
        if not given.progression:
            console.print("  no week asks for clearly more than the weeks before it")
    else:
        console.print(plan_table(given.plan or given.reading.plan, result.findings, given.unit))
    counts = given.counts()
    if not given.all_findings():
        console.print("[green]no findings[/]")
    else:
        console.print(f"{counts['high']} high, {counts['medium']} medium, {counts['low']} low")
    if repair:
        if given.repaired is None:
            console.print("nothing to repair")
        else:
            after = given.repaired_result.findings if given.repaired_result else []
            console.print("\n[bold]Repaired[/] (same days; flagged lifts swapped, volume trimmed):")
            console.print(plan_table(given.repaired, after, given.unit))
            console.print(plan_to_text(given.repaired), highlight=False, markup=False)
