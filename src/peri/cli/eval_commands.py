"""`peri eval`: prompting vs fine-tuning vs hybrid on held-out weeks, the learning curve, many athletes."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..evaluate.harness import EvalConfig, EvalResults
from .common import console, friendly, open_store, print_json
from .generate_commands import MODERATE_HELP, ModerateStress


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True)


def print_summary(res: EvalResults) -> None:
    t = Table(title=f"{res.athlete}: {len(res.held_out_weeks)} held-out weeks ({res.held_out_weeks[0]} … {res.held_out_weeks[-1]})")
    for col in ("approach", "valid", "raw ±95%", "after repair", "high findings", "prompt tok", "output tok", "latency s", "$/month"):
        t.add_column(col, justify="left" if col == "approach" else "right")
    for name, s in res.summary.items():
        score = "–" if s.score_mean is None else f"{s.score_mean:.1f}" + (f" ± {s.score_ci:.1f}" if s.score_ci is not None else "")
        t.add_row(
            name, f"{s.valid_rate:.0%}", score, "–" if s.score_repaired_mean is None else f"{s.score_repaired_mean:.1f}",
            f"{s.high_findings_mean:.2f}", "–" if s.prompt_tokens_mean is None else f"{s.prompt_tokens_mean:.0f}",
            "–" if s.output_tokens_mean is None else f"{s.output_tokens_mean:.0f}",
            "–" if s.latency_mean is None else f"{s.latency_mean:.2f}",
            "–" if s.cost_per_month is None else f"{s.cost_per_month:.4f}",
        )
    console.print(t)
    console.print(f"Ranked by the {res.headline} score; 'after repair' is the same checker repair applied to every approach.")
    for w in res.warnings:
        console.print(f"[yellow]note:[/] {w}")
    for v in res.verdict:
        console.print(f"• {v}")


def register(app: typer.Typer) -> None:
    @app.command("eval")
    @friendly
    def eval_cmd(
        athlete: str = typer.Option(None, "--athlete", "-a"),
        approaches: str = typer.Option(None, help="comma-separated: rules,rules-raw,repeat-last-week,minus-blamed,human,prompt-d0..prompt-d4,prompt-fewshot,finetuned-short,finetuned-fewshot,hybrid,extra:MODEL; NAME-unconstrained: NAME decoded without the decoding constraints"),
        weeks: int = typer.Option(4, help="held-out weeks (later than any training week)"),
        report: Path = typer.Option(None, "--report", help="write report.html, PNG charts and results.json here"),
        base_model: str = typer.Option("embedded", "--base-model"),
        tuned: str = typer.Option(None, "--tuned", help="tuned model (default ft:<athlete>-lora)"),
        extra: list[str] = typer.Option([], "--extra", help="another backend to compare (repeatable)"),
        queries_per_week: float = typer.Option(1.0, help="for cost per month"),
        seed: int = typer.Option(0),
        learning_curve: bool = typer.Option(False, "--learning-curve", help="tune on 25, 50, 100, 200, all examples and plot quality"),
        sizes: str = typer.Option("25,50,100,200,0", help="learning-curve sizes (0 = all)"),
        curve_models: str = typer.Option(None, "--curve-models", help="learning curve of adapters already trained (ft:A,ft:B…), e.g. on a GPU and imported"),
        simulated: int = typer.Option(0, "--simulated", help="run the comparison over N simulated athletes (the presets in turn; resumable: finished records are kept) and report the Evidence table"),
        history_weeks: int = typer.Option(104, help="weeks of history per simulated athlete (--simulated)"),
        train_steps: int = typer.Option(None, help="cap optimizer steps per tuning run (--simulated, --learning-curve)"),
        time_limit: float = typer.Option(None, "--time-limit", min=1, help="stop starting new work after this many seconds (--simulated); running again continues"),
        seed0: int = typer.Option(1, "--first-seed", help="simulated athlete i gets seed FIRST_SEED + i (--simulated)"),
        moderate_stress: ModerateStress = typer.Option(ModerateStress.demote, "--moderate-stress", help=MODERATE_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Run every approach on the athlete's held-out weeks and report quality, safety, tokens, latency and cost."""
        from ..evaluate.harness import run_eval
        from ..evaluate.report import write_report
        from ..paths import check_writable

        if report:
            check_writable(report, flag="--report", folder=True)
        store = open_store()
        cfg = EvalConfig(
            athlete=athlete or "", approaches=[a.strip() for a in approaches.split(",")] if approaches else None, weeks=weeks,
            base_model=base_model, tuned_model=tuned, extra_models=list(extra), seed=seed, queries_per_week=queries_per_week,
            moderate_stress=moderate_stress.value,
        )
        overrides = {"max_steps": train_steps} if train_steps else {}
        if simulated:
            _cohort(store, cfg.model_copy(update={"scenario_weeks": True}), simulated, history_weeks, overrides, report,
                    as_json, time_limit, seed0)
            return
        if not athlete:
            raise typer.BadParameter("--athlete is required (or --simulated N)")
        if learning_curve or curve_models:
            _curve(store, cfg, sizes, overrides, report, as_json, curve_models)
            return
        with _progress() as prog:
            task = prog.add_task("evaluating", total=None)

            def tick(desc: str, done: int, total: int) -> None:
                prog.update(task, description=desc, completed=done, total=total)

            res = run_eval(store, cfg, progress=tick)
        path = write_report(res, report) if report else None
        if as_json:
            print_json({"summary": res.summary, "verdict": res.verdict, "warnings": res.warnings,
                        "held_out_weeks": res.held_out_weeks, "report": str(path) if path else None})
            return
        print_summary(res)
        if path:
            console.print(f"\nreport: [bold]{path}[/]")


def _curve(store, cfg: EvalConfig, sizes: str, overrides: dict, report: Path | None, as_json: bool, models: str | None) -> None:
    from ..evaluate.learning import curve_from_models, learning_curve, plot_learning_curve, write_curve

    say = lambda m: console.print(f"[dim]{m}[/]")  # noqa: E731
    if models:
        curve = curve_from_models(store, cfg, [m.strip() for m in models.split(",") if m.strip()], progress=say)
    else:
        ns = tuple(int(s) for s in sizes.split(","))
        curve = learning_curve(store, cfg, sizes=ns, train_overrides=overrides, progress=say)
    write_curve(curve)  # kept for `peri decide --athlete`: the graduation trigger reads it
    png = None
    if report:
        report.mkdir(parents=True, exist_ok=True)
        png = plot_learning_curve(curve, report / "learning_curve.png")
        (report / "learning_curve.json").write_text(curve.model_dump_json(indent=2))
    if as_json:
        print_json(curve)
        return
    t = Table(title=f"Learning curve — {curve.athlete}")
    for col in ("examples", "score ±95%", "valid", "val loss before→after", "train s"):
        t.add_column(col, justify="right")
    for p in curve.points:
        score = "–" if p.score_mean is None else f"{p.score_mean:.1f}" + (f" ± {p.score_ci:.1f}" if p.score_ci else "")
        loss = f"{p.val_loss_before or 0:.3f}→{p.val_loss_after or 0:.3f}"
        t.add_row(str(p.examples), score, f"{p.valid_rate:.0%}", loss, f"{p.train_seconds:.0f}")
    console.print(t)
    console.print("reference: " + ", ".join(f"{k} {v:.1f}" for k, v in curve.references.items()))
    if png:
        console.print(f"chart: {png}")


def _cohort(store, cfg: EvalConfig, n: int, history_weeks: int, overrides: dict, report: Path | None, as_json: bool,
            time_limit: float | None = None, seed0: int = 1) -> None:
    import shlex
    import sys
    import time

    from ..evaluate.cohort import run_cohort
    from ..evaluate.evidence import evidence_markdown
    from ..evaluate.report import write_cohort_report
    from ..paths import peri_home
    from ..sim.generate import simulate  # the CLI wires the simulator in; the evaluation library never imports it
    from ..sim.presets import preset_names

    def make(store, preset: str, seed: int, name: str) -> None:
        simulate(store, preset, seed=seed, weeks=history_weeks, athlete_name=name)

    def tune(store, name: str) -> None:
        from ..log.catalog import default_catalog
        from ..log.context import load_context
        from ..paths import adapters_dir
        from ..tune.dataset import build_dataset, write_dataset
        from ..tune.train import TrainConfig, register_tuned_model, train_lora

        files = write_dataset(build_dataset(load_context(store, name), default_catalog()))
        result = train_lora(TrainConfig.from_layers(None, overrides), files.train, files.val, adapters_dir() / f"{name}-lora")
        register_tuned_model(store, f"{name}-lora", result)

    with _progress() as prog:
        task = prog.add_task("cohort", total=n)
        res = run_cohort(store, n, list(preset_names()), make_athlete=make, tune=tune, base=cfg, seed0=seed0,
                         deadline=None if time_limit is None else time.monotonic() + time_limit,
                         progress=lambda d, i, t: prog.update(task, description=d, completed=i, total=t))
    command = "peri " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    write_cohort_report(res, peri_home() / "cohort" / f"n{n}-seed{seed0}", command)  # always kept beside the records
    if report:
        write_cohort_report(res, report, command)
    if as_json:
        print_json(res)
        return
    t = Table(title=f"{len(res.athletes)} simulated athletes")
    for col in ("approach", "athletes", "score ±95%", "wins", "high findings", "prompt tok", "latency s"):
        t.add_column(col, justify="left" if col == "approach" else "right")
    for r in res.rows.values():
        score = "–" if r.score_mean is None else f"{r.score_mean:.1f}" + (f" ± {r.score_ci:.1f}" if r.score_ci else "")
        t.add_row(r.approach, str(r.athletes), score, str(r.wins), f"{r.high_findings_mean:.2f}",
                  "–" if r.prompt_tokens_mean is None else f"{r.prompt_tokens_mean:.0f}", "–" if r.latency_mean is None else f"{r.latency_mean:.2f}")
    console.print(t)
    for v in res.verdict:
        console.print(f"• {v}")
    console.print("\n[bold]Evidence[/]")
    console.print(evidence_markdown(res.evidence, len(res.athletes)), markup=False, highlight=False, soft_wrap=True)
    if not res.complete:
        console.print(f"[yellow]time limit reached:[/] {len(res.pending)} athlete(s) not finished; "
                      "run the same command again to continue (finished records are kept)")
