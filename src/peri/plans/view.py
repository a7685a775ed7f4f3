"""The plan for people: one Rich table per day, flagged exercises highlighted by severity."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..log.shown_unit import Unit, shown_load
from .schema import Plan, Prescription
from .text import format_number

if TYPE_CHECKING:
    from .checker import Finding

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
_RANK = {"high": 0, "medium": 1, "low": 2}


def _load(p: Prescription, unit: Unit = "kg") -> str:
    parts = []
    if p.load_kg is not None:
        parts.append(f"{format_number(shown_load(p.load_kg, unit))} {unit}")
    if p.pct_e1rm is not None:
        parts.append(f"{format_number(p.pct_e1rm)}% e1RM")
    return " / ".join(parts) or "-"


def _effort(p: Prescription) -> str:
    parts = []
    if p.rpe is not None:
        parts.append(f"RPE {format_number(p.rpe)}")
    if p.rir is not None:
        parts.append(f"RIR {p.rir}")
    return " / ".join(parts) or "-"


def effort_text(p: Prescription) -> str:
    """A timed or distance set's amount as people write it: "45 s", "5 min", "40 m", "5 km"."""
    parts = []
    if p.duration_s is not None:
        d = p.duration_s
        parts.append(f"{d // 60} min" if d >= 120 and d % 60 == 0 else f"{d} s")
    if p.distance_m is not None:
        m = p.distance_m
        parts.append(f"{format_number(m / 1000)} km" if m >= 1000 and m % 100 == 0 else f"{format_number(m)} m")
    return " / ".join(parts)


def plan_table(plan: Plan, findings: Sequence["Finding"] | None = None, unit: Unit = "kg") -> RenderableType:
    """A Rich renderable: a title line, then a table per day, loads in `unit` (``log.shown_unit``).

    A finding that names a day and an exercise colours that row (worst severity wins) and adds its
    message under the note; findings about the whole plan or a whole day are listed at the end.
    """
    findings = list(findings or [])
    by_row: dict[tuple[str | None, str], list[Finding]] = {}
    general: list[Finding] = []
    for f in findings:
        if f.exercise:
            by_row.setdefault((f.day, f.exercise), []).append(f)
        else:
            general.append(f)

    title = f"Week of {plan.week_of.isoformat()}" if plan.week_of else "Week"
    parts: list[RenderableType] = [
        Text(f"{title} · {plan.scenario.value} · {len(plan.days)} days · {plan.hard_sets()} sets", style="bold")
    ]
    for day in plan.days:
        table = Table(title=Text(day.name, style="bold"), title_justify="left", title_style="bold", expand=False)
        table.add_column("Exercise")
        table.add_column("Sets", justify="right")
        table.add_column("Reps", justify="right")
        table.add_column("Load", justify="right")
        table.add_column("Effort")
        table.add_column("Rest", justify="right")
        table.add_column("Note")
        for p in day.exercises:
            hits = by_row.get((day.name, p.exercise), []) + by_row.get((None, p.exercise), [])
            hits.sort(key=lambda f: _RANK.get(f.severity, 3))
            style = SEVERITY_STYLE.get(hits[0].severity) if hits else None
            reps = str(p.reps_low) if p.reps_low == p.reps_high else f"{p.reps_low}-{p.reps_high}"
            if not p.is_lifting:  # a set held for a time or carried over a distance: its time or distance
                reps = effort_text(p)
            note = p.note or ""
            if hits:
                # days of one name (a log whose sessions share a title) meet in one row: each message once
                flags = "; ".join(dict.fromkeys(f"[{f.severity}] {f.message}" for f in hits))
                note = f"{note}\n{flags}" if note else flags
            # Text cells: names and notes are user text, never Rich markup ("[high]" must print as is)
            table.add_row(
                Text(p.exercise), str(p.sets), reps, _load(p, unit), _effort(p),
                f"{p.rest_s}s" if p.rest_s is not None else "-", Text(note), style=style,
            )
        parts.append(table)
    for f in general:
        where = f" ({f.day})" if f.day else ""
        parts.append(Text(f"[{f.severity}] {f.code}{where}: {f.message}", style=SEVERITY_STYLE.get(f.severity, "")))
    return Group(*parts)
