"""`peri demo`: the whole journey for the seed's simulated athlete, end to end on the embedded model.

stats → engineered prompt and plan → dataset → a short local fine-tune → evaluation → decision, run by the
library's `peri.demo.run_demo`; this module parses the flags, hands it the simulator (only the simulation
commands may import it) and prints each step as it finishes.

`peri demo --import auto|strong|hevy|fitnotes|csv FILE` runs the same journey on the person's own export instead:
the import report and the profile read from the log (each field with its source) replace the simulation;
with no oracle for a real person, the evaluation reports validity and the checker's findings.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from .common import console, friendly, open_store


def _loss(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _profile_line(a: Any, field: str) -> str:
    """One profile field as `peri athlete show` words it: the value and where it comes from."""
    src = a.source(field)
    if src.kind == "unknown":
        return f"{field} unknown"
    value = getattr(a, field)
    value = value.value if hasattr(value, "value") else value
    return f"{field} {value} ({src.kind})"


def _simulate_seed(store: Any, athlete: str, weeks: int) -> Any:
    from ..sim.generate import simulate  # the demo creates a simulated athlete, as `peri simulate` does

    return simulate(store, "seed", seed=7, weeks=weeks, athlete_name=athlete)


def _show(ev: Any) -> None:
    """Print one step of the journey: its title when it starts, what it produced when it is done."""
    from ..log.shown_unit import in_unit
    from ..plans.schema import Plan
    from ..plans.view import plan_table

    r = ev.result
    if ev.kind == "start":
        console.print(Rule(f"[bold]{ev.step}. {ev.title}[/]  [dim]{ev.elapsed_s:.0f}s[/]"))
        return
    if ev.kind == "train":
        p = ev.train
        # about ten lines whatever the run's length, the first step included: a 16-step run printed nothing for
        # its whole length (40 minutes on a busy 2-core machine) when only every tenth step was shown
        every = max(1, -(-(p.total_steps or 1) // 10))
        if p.phase == "train" and (p.step == 1 or p.step % every == 0 or p.step == p.total_steps):
            console.print(f"[dim]step {p.step}/{p.total_steps} loss {p.loss or 0:.3f} {(p.tokens_per_s or 0):.0f} tok/s[/]")
        return
    if ev.step == 1:
        if r.imported is not None:
            from .log_commands import _print_report

            _print_report(r.imported)
        elif r.reused:
            console.print(f"{r.athlete} already in the store: reusing it")
        elif r.simulated is not None:
            rep = r.simulated
            console.print(f"simulated {rep.weeks} weeks ({rep.start} to {rep.end}): {rep.sessions} sessions, {rep.sets} sets, "
                          f"{rep.notes} notes, {rep.deload_weeks} deload and {rep.travel_weeks} travel weeks")
        a = r.profile
        console.print(f"{a.name}: " + "; ".join(_profile_line(a, f) for f in ("level", "days_per_week", "goal", "split"))
                      + f"; constraints: {', '.join(a.constraints) or 'none'}", highlight=False)
    elif ev.step == 2:
        for w in r.weeks:
            console.print(f"week of {w.week_start}: {w.sessions} sessions, {w.hard_sets} hard sets, {w.reps} reps, "
                          f"{in_unit(w.tonnage_kg, r.unit):,.0f} {r.unit}, "
                          f"avg RPE {w.avg_rpe if w.avg_rpe is not None else '–'}")
    elif ev.step == 3:
        console.print(Panel(Text(r.prompt.messages[-1]["content"]), title=f"prompt — {r.prompt.total_tokens} tokens", expand=False))
        g = r.plan
        if g.valid and g.plan:
            console.print(plan_table(Plan.model_validate(g.plan), unit=r.unit))
        console.print(f"{'valid' if g.valid else 'INVALID'} plan in {g.latency_s or 0:.1f}s, {g.prompt_tokens} prompt + "
                      f"{g.output_tokens} output tokens; {g.findings} checker finding(s)" + (f": {g.error}" if g.error else ""))
        console.print(f"rule-based coach: {'valid' if r.rules.valid else 'invalid'}, {r.rules.findings} finding(s)")
    elif ev.step == 4:
        d = r.dataset
        console.print(f"{d.examples} examples ({d.train} train / {d.val} validation), {d.range_note}; "
                      f"{d.worked} marked worked, {d.repaired} repaired, {d.dropped} dropped; written to {r.dataset_dir}")
    elif ev.step == 5:
        t = r.training
        console.print(f"{t.steps} steps, {t.train_tokens} tokens in {t.train_seconds:.0f}s ({t.tokens_per_s:.0f} tok/s, "
                      f"{t.precision}); validation loss {_loss(t.val_loss_before)} → {_loss(t.val_loss_after)}; "
                      f"registered {r.tuned_model}")
    elif ev.step == 6:
        from .eval_commands import print_summary

        print_summary(r.evaluation)
    elif ev.step == 7:
        rec = r.decision
        console.print(f"[bold]Recommendation: {rec.path}[/] — {rec.headline}")
        for reason in rec.reasons:
            console.print(f"  • {reason.criterion} → {reason.favours}: {reason.text}")


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def demo(
        file: Optional[Path] = typer.Argument(None, help="with --import: your own export"),
        import_fmt: Optional[str] = typer.Option(None, "--import", help="run the journey on your own export: "
                                                 "auto (peri finds the app), strong, hevy, fitnotes or csv (give FILE)"),
        unit: Optional[str] = typer.Option(None, "--unit", help="with --import: kg or lb when the file does not say"),
        athlete: Optional[str] = typer.Option(None, "--athlete", "-a",
                                              help="the athlete's name (default demo-seed, or the file's name)"),
        weeks: int = typer.Option(156, help="weeks of simulated history (3 years)"),
        train_epochs: int = typer.Option(1, help="epochs of the short local fine-tune"),
        train_steps: int = typer.Option(None, help="cap the fine-tune's optimizer steps"),
        eval_weeks: int = typer.Option(3, help="held-out weeks to evaluate"),
        report: Path = typer.Option(Path("out/demo-report"), "--report", help="where the evaluation report goes"),
        queries_per_week: float = typer.Option(7.0, help="for the decision"),
    ) -> None:
        """Run the whole journey for the seed's athlete (38, intermediate, 4x/week, hypertrophy, lower-back
        sensitivity), or with --import on your own export."""
        from ..demo import DemoConfig, run_demo

        cfg = DemoConfig(file=file, import_fmt=import_fmt, unit=unit, athlete=athlete, weeks=weeks,
                         train_epochs=train_epochs, train_steps=train_steps, eval_weeks=eval_weeks, report=report,
                         queries_per_week=queries_per_week)
        r = run_demo(open_store(), cfg, simulate=None if file is not None else _simulate_seed, progress=_show)
        console.print(Rule())
        console.print(f"report: [bold]{r.report.resolve()}[/]")
        console.print(f"recommendation: [bold]{r.decision.path}[/] (journey: {r.decision.journey}) — total {r.seconds:.0f}s")
