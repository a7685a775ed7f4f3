"""`peri simulate PRESET|--seed N --weeks N --athlete NAME` and `peri simulate presets`: thin calls into peri.sim.

Prints what was written (sessions, sets, notes), never the hidden traits.
"""
from __future__ import annotations

import datetime as dt

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import PeriError
from .common import console, friendly, open_store, print_json


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    @friendly
    def simulate_cmd(
        preset: str = typer.Argument(None, help="a preset name (`peri simulate presets` lists them), or 'presets'"),
        seed: int = typer.Option(None, "--seed", help="draw a new athlete from this seed (or vary a preset's history)"),
        weeks: int = typer.Option(None, "--weeks", help="weeks of history to write, e.g. 156 for three years"),
        athlete: str = typer.Option(None, "--athlete", help="name of the new simulated athlete"),
        start: str = typer.Option(None, "--start", help="first week (YYYY-MM-DD); default: history ends last week"),
        as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    ) -> None:
        """Create a simulated athlete with years of realistic history, as if imported from an app.

        Hidden traits (what aggravates them, what they respond to, how much volume they recover from) stay behind; only the evaluation's oracle reads them. `peri simulate presets` lists the presets.
        """  # noqa: E501 - one line per paragraph: Typer keeps docstring line breaks
        from ..sim.presets import PRESETS

        if preset == "presets":
            rows = [{"preset": k, "summary": p.summary} for k, p in PRESETS.items()]
            if as_json:
                print_json(rows)
                return
            t = Table(title="simulated athlete presets")
            t.add_column("preset", style="bold")
            t.add_column("who")
            for r in rows:
                t.add_row(r["preset"], r["summary"])
            console.print(t)
            console.print("[dim]--seed N without a preset draws a new athlete[/]")
            return
        if weeks is None or athlete is None:
            raise PeriError("--weeks and --athlete are required", hint="e.g. `peri simulate seed --weeks 156 --athlete sam`")
        try:
            start_day = dt.date.fromisoformat(start) if start else None
        except ValueError:
            raise PeriError(f"--start {start!r} is not a date", place="--start", hint="use YYYY-MM-DD") from None
        from ..sim.generate import simulate

        store = open_store()
        try:
            if as_json:
                report = simulate(store, preset, seed=seed, weeks=weeks, athlete_name=athlete, start=start_day)
            else:
                with Progress(TextColumn("simulating {task.fields[who]}"), BarColumn(), MofNCompleteColumn(),
                              TextColumn("weeks"), TimeElapsedColumn(), console=console, transient=True) as bar:
                    task = bar.add_task("sim", total=weeks, who=athlete)
                    report = simulate(store, preset, seed=seed, weeks=weeks, athlete_name=athlete, start=start_day,
                                      progress=lambda done, total: bar.update(task, completed=done))
        finally:
            store.close()
        if as_json:
            print_json(report)
            return
        who = f"preset {report.preset}" if report.preset else f"seed {report.seed}"
        console.print(
            f"[bold green]simulated[/] {report.athlete} ({who}): {report.start} to {report.end}, "
            f"{report.sessions} sessions, {report.sets} sets, {report.notes} notes, {report.annotations} annotations"
        )
        console.print(
            f"[dim]{report.missed_sessions} sessions missed, {report.deload_weeks} deload weeks, "
            f"{report.travel_weeks} travel weeks" + (f", {report.meets} meets" if report.meets else "") + "[/]"
        )
