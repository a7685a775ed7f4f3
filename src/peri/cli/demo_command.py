"""`peri demo`: the whole journey for the seed's simulated athlete, end to end on the embedded model.

stats → engineered prompt and plan → dataset → a short local fine-tune → evaluation → decision. Each step
is the same library call the individual command makes; nothing here is demo-only logic.

`peri demo --import strong|hevy|fitnotes FILE` runs the same journey on the person's own export instead:
the import report and the profile read from the log (each field with its source) replace the simulation;
with no oracle for a real person, the evaluation reports validity and the checker's findings.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from .common import console, friendly, open_store


def _loss(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _profile_line(a, field: str) -> str:  # type: ignore[no-untyped-def]
    """One profile field as `peri athlete show` words it: the value and where it comes from."""
    src = a.source(field)
    if src.kind == "unknown":
        return f"{field} unknown"
    value = getattr(a, field)
    value = value.value if hasattr(value, "value") else value
    return f"{field} {value} ({src.kind})"


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def demo(
        file: Optional[Path] = typer.Argument(None, help="with --import: your own export"),
        import_fmt: Optional[str] = typer.Option(None, "--import", help="run the journey on your own export: "
                                                 "strong, hevy or fitnotes (give FILE)"),
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
        from ..decide.run import run_decision
        from ..errors import NotFound
        from ..evaluate.harness import EvalConfig, run_eval
        from ..evaluate.report import write_report
        from ..generate import generate_plan
        from ..log.catalog import default_catalog
        from ..log.context import load_context
        from ..log.stats import weekly_stats
        from ..paths import adapters_dir, name_slug
        from ..plans.schema import Plan, Scenario
        from ..plans.view import plan_table
        from ..prompts.builder import build_prompt
        from ..prompts.tokens import tokenizer_for
        from ..sim.generate import simulate  # the demo creates a simulated athlete, as `peri simulate` does
        from ..tune.dataset import build_dataset, write_dataset
        from ..tune.train import TrainConfig, register_tuned_model, train_lora
        from ..errors import ConfigError
        from ..paths import check_writable
        from .eval_commands import print_summary

        check_writable(report, flag="--report", folder=True)
        if (import_fmt is None) != (file is None):
            raise ConfigError("--import and FILE go together", place="--import",
                              hint="peri demo --import strong my-export.csv")
        if import_fmt is not None and import_fmt not in ("strong", "hevy", "fitnotes"):
            raise ConfigError(f"cannot import {import_fmt!r} in the demo", place="--import", hint="strong, hevy or fitnotes")
        athlete = athlete or (file.stem if file is not None else "demo-seed")
        t0 = time.perf_counter()
        store = open_store()
        cat = default_catalog()

        def step(title: str) -> None:
            console.print(Rule(f"[bold]{title}[/]  [dim]{time.perf_counter() - t0:.0f}s[/]"))

        if file is not None:
            from ..log.importers import import_file
            from .log_commands import _print_report

            step(f"1. Your own log: {file.name}")
            _print_report(import_file(store, athlete, import_fmt, file, mapping={"unit": unit} if unit else None,
                                      create_athlete=True))
        else:
            step("1. A simulated lifter: the seed's athlete, 3 years of history")
            try:
                store.get_athlete(athlete)
                console.print(f"{athlete} already in the store: reusing it")
            except NotFound:
                rep = simulate(store, "seed", seed=7, weeks=weeks, athlete_name=athlete)
                console.print(f"simulated {rep.weeks} weeks ({rep.start} to {rep.end}): {rep.sessions} sessions, {rep.sets} sets, "
                              f"{rep.notes} notes, {rep.deload_weeks} deload and {rep.travel_weeks} travel weeks")
        ctx = load_context(store, athlete)
        a = ctx.athlete
        console.print(f"{a.name}: " + "; ".join(_profile_line(a, f) for f in ("level", "days_per_week", "goal", "split"))
                      + f"; constraints: {', '.join(a.constraints) or 'none'}", highlight=False)

        step("2. Stats: the last four weeks")
        for w in weekly_stats(ctx.sessions, cat, weeks=4):
            console.print(f"week of {w.week_start}: {w.sessions} sessions, {w.hard_sets} hard sets, {w.reps} reps, "
                          f"{w.tonnage_kg:,.0f} kg, avg RPE {w.avg_rpe if w.avg_rpe is not None else '–'}")

        step("3. The engineered prompt (detail 3) and a plan from the embedded model")
        # the prompt as the embedded model gets it: with the JSON instruction its schema decodes under
        built = build_prompt(ctx, cat, Scenario.normal, 3, tokenizer=tokenizer_for("embedded"), output_format="json")
        console.print(Panel(Text(built.messages[-1]["content"]), title=f"prompt — {built.total_tokens} tokens", expand=False))
        g = generate_plan(store, athlete, "embedded", scenario=Scenario.normal, detail=3, prompt_style="engineered", repair=True)
        if g.valid and g.plan:
            console.print(plan_table(Plan.model_validate(g.plan)))
        console.print(f"{'valid' if g.valid else 'INVALID'} plan in {g.latency_s:.1f}s, {g.prompt_tokens} prompt + {g.output_tokens} output tokens; "
                      f"{len(g.findings)} checker finding(s)" + (f": {g.error}" if g.error else ""))
        rules = generate_plan(store, athlete, "rules", scenario=Scenario.normal, prompt_style="engineered")
        console.print(f"rule-based coach: {'valid' if rules.valid else 'invalid'}, {len(rules.findings)} finding(s)")

        step("4. The fine-tuning dataset from weeks and annotations")
        build = build_dataset(ctx, cat)
        files = write_dataset(build)
        r = build.report
        console.print(f"{r.examples} examples ({r.train} train / {r.val} validation), {r.range_note}; "
                      f"{r.worked} marked worked, {r.repaired} repaired, {r.dropped} dropped; written to {files.dir}")

        step("5. A short local LoRA fine-tune of the embedded model")
        name = f"{athlete}-lora"
        tc = TrainConfig.from_layers(None, {"epochs": train_epochs, "max_steps": train_steps})
        result = train_lora(tc, files.train, files.val, adapters_dir() / name_slug(name),
                            progress=lambda p: console.print(f"[dim]step {p.step}/{p.total_steps} loss {p.loss or 0:.3f} "
                                                             f"{(p.tokens_per_s or 0):.0f} tok/s[/]") if p.phase == "train" and p.step % 10 == 0 else None)
        register_tuned_model(store, name, result)
        console.print(f"{result.steps} steps, {result.train_tokens} tokens in {result.train_seconds:.0f}s ({result.tokens_per_s:.0f} tok/s, "
                      f"{result.precision}); validation loss {_loss(result.val_loss_before)} → {_loss(result.val_loss_after)}; registered ft:{name}")

        # On one's own export there is no oracle to tell detail levels apart, and each level costs ~1 minute a
        # week on 2 cores: the journey compares the default detail with the tuned model (all levels: `peri eval`).
        own = file is not None
        approaches = ["rules", "prompt-d3", "finetuned-short", "hybrid"] if own else None
        step("6. Evaluation on held-out weeks: rules, prompting at detail " + ("3" if own else "0-4") + ", tuned, hybrid")
        res = run_eval(store, EvalConfig(athlete=athlete, weeks=eval_weeks, queries_per_week=queries_per_week,
                                         approaches=approaches))
        print_summary(res)
        path = write_report(res, report)

        step("7. The decision")
        d = run_decision({"queries_per_week": queries_per_week}, athlete, store)
        rec = d["recommendation_model"]
        console.print(f"[bold]Recommendation: {rec.path}[/] — {rec.headline}")
        for reason in rec.reasons:
            console.print(f"  • {reason.criterion} → {reason.favours}: {reason.text}")
        console.print(Rule())
        console.print(f"report: [bold]{path.resolve()}[/]")
        console.print(f"recommendation: [bold]{rec.path}[/] (journey: {rec.journey}) — total {time.perf_counter() - t0:.0f}s")
