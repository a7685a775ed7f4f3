"""`peri dataset …` (build, check, export) and `peri finetune …` (openai, status, cancel).

`finetune_app` is shared: the local trainer's CLI module adds `peri finetune local` to it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .common import console, err_console, friendly, open_store, print_json

dataset_app = typer.Typer(help="Build, check and export the fine-tuning dataset from an athlete's log.",
                          no_args_is_help=True)
finetune_app = typer.Typer(help="Fine-tune a model on the dataset: locally, or as a hosted OpenAI job.",
                           no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(dataset_app, name="dataset")
    app.add_typer(finetune_app, name="finetune")


def _build(athlete: str, val_fraction: float, repair: bool, cost_model: str, quiet: bool) -> Any:
    from rich.progress import Progress

    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..tune.dataset import build_dataset, write_dataset

    store = open_store()
    try:
        ctx = load_context(store, athlete)
    finally:
        store.close()
    for w in ctx.warnings:
        err_console.print(f"[yellow]warning:[/] {w}", markup=True, highlight=False, soft_wrap=True)
    catalog = default_catalog()
    with Progress(console=err_console, transient=True, disable=quiet) as bar:
        task = bar.add_task("weeks", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        build = build_dataset(ctx, catalog, val_fraction=val_fraction, repair=repair, cost_model=cost_model,
                              progress=progress)
    files = write_dataset(build)
    return build, files


def _print_report(build: Any, files: Any) -> None:
    from rich.table import Table

    r = build.report
    colour = "green" if r.in_range else "yellow"
    console.print(f"[bold]{build.config.athlete}[/]: [{colour}]{r.range_note}[/]")
    console.print(f"train {r.train} / validation {r.val} (validation weeks are all later); "
                  f"{r.worked} marked worked, {r.repaired} repaired, {r.dropped} weeks left out")
    console.print(f"tokens per example ({r.tokens.tokenizer}): min {r.tokens.min}, mean {r.tokens.mean}, "
                  f"max {r.tokens.max}; scenarios {r.scenarios}")
    if r.cost:
        c = r.cost
        console.print(f"hosted training estimate: {c.billable_tokens:,} tokens x {c.epochs} epochs on {c.model} = "
                      f"[bold]${c.usd:.2f}[/] (price ${c.price_per_million}/1M, {c.price_date}, {c.price_source})")
    elif r.cost_note:
        console.print(f"[yellow]{r.cost_note}[/]")
    if build.dropped or build.repaired:
        t = Table("week", "what", "why", title="left out or repaired", show_lines=False)
        for w in build.repaired:
            t.add_row(str(w.week_start), "repaired", w.reason)
        for w in build.dropped:
            t.add_row(str(w.week_start), "left out", w.reason)
        console.print(t)
    console.print(f"wrote {files.train}, {files.val}, {files.build_json} (hash {files.dataset_hash[:12]})")


@dataset_app.command("build")
@friendly
def dataset_build(
    athlete: str = typer.Option(..., "--athlete", "-a", help="Whose log to build the dataset from."),
    val_fraction: float = typer.Option(0.15, help="Share of the latest weeks kept for validation."),
    repair: bool = typer.Option(True, "--repair/--no-repair",
                                help="Repair weeks whose notes say excessive/aggravated/pain instead of leaving them out."),
    cost_model: str = typer.Option("gpt-4o-mini", "--cost-model", help="Hosted model for the training cost estimate."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """One example per past week: short prompt in, that week's logged plan out. Writes PERI_HOME/datasets/ATHLETE/."""
    build, files = _build(athlete, val_fraction, repair, cost_model, quiet=as_json)
    if as_json:
        print_json({"report": build.report, "config": build.config, "dropped": build.dropped,
                    "repaired": build.repaired, "files": files})
    else:
        _print_report(build, files)


@dataset_app.command("check")
@friendly
def dataset_check(
    file: Path = typer.Argument(..., help="A JSONL dataset file."),
    model: str = typer.Option("gpt-4o-mini", help="Model whose per-example token limit applies."),
    fmt: str = typer.Option("openai", "--format", help="openai (chat fine-tuning rules) or trl (conversational)."),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Check a dataset file against OpenAI's chat format rules (or TRL's); every problem with its line."""
    from ..tune.validate import check_file

    problems = check_file(file, model=model, fmt=fmt)  # type: ignore[arg-type]
    if as_json:
        print_json({"file": str(file), "ok": not problems, "problems": problems})
    elif not problems:
        console.print(f"[green]{file}: OK[/] ({fmt} format)")
    else:
        for p in problems:
            where = f"{file}:{p.line}" if p.line else str(file)
            console.print(f"{where}: [red]{p.kind}[/] {p.message}", highlight=False, soft_wrap=True)
        console.print(f"[red]{len(problems)} problem(s)[/]")
    if problems:
        raise typer.Exit(1)


@dataset_app.command("export")
@friendly
def dataset_export(
    athlete: str = typer.Option(..., "--athlete", "-a", help="Whose built dataset to export."),
    fmt: str = typer.Option(..., "--format", help="openai (chat JSONL) or hf (Hugging Face datasets on disk)."),
    out: Path = typer.Option(..., "--out", help="Output folder (train.jsonl, val.jsonl), or FILE.jsonl (plus FILE.val.jsonl beside it)."),
    redact: bool = typer.Option(False, "--redact", help="Strip names, dates and free-text notes."),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist at --out."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Export the built dataset (run `peri dataset build` first)."""
    from ..errors import ConfigError
    from ..tune.dataset import dataset_dir
    from ..tune.export import export_hf, export_openai

    src = dataset_dir(athlete)
    if fmt == "openai":
        result = export_openai(src, out, redact=redact, athlete=athlete, force=force)
    elif fmt == "hf":
        result = export_hf(src, out, redact=redact, athlete=athlete, force=force)
    else:
        raise ConfigError(f"unknown export format {fmt!r}", place="--format", hint="use openai or hf")
    for w in result.warnings:
        err_console.print(f"[bold yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
    if as_json:
        print_json(result)
    else:
        console.print(f"wrote {', '.join(str(p) for p in result.paths)} ({result.examples})"
                      + (" [green]redacted[/]" if redact else ""))


@finetune_app.command("openai")
@friendly
def finetune_openai(
    athlete: str = typer.Option(..., "--athlete", "-a", help="Whose dataset to train on."),
    model: str = typer.Option("gpt-4o-mini", help="Base model to fine-tune."),
    suffix: str | None = typer.Option(None, help="Up to 64 characters added to the tuned model's name."),
    name: str | None = typer.Option(None, help="Name to register the result under (default: ATHLETE-openai)."),
    epochs: int | None = typer.Option(None, help="Epochs (default: OpenAI's choice)."),
    redact: bool = typer.Option(False, "--redact", help="Upload a redacted copy (names, dates, notes stripped)."),
    consent: bool = typer.Option(False, "--i-consent-to-send-health-data",
                                 help="Required: you agree to send this health data to OpenAI."),
    follow: bool = typer.Option(True, "--follow/--no-follow", help="Follow the job's events until it ends."),
    as_json: bool = typer.Option(False, "--json", help="Print the job as JSON."),
) -> None:
    """Upload the athlete's dataset to OpenAI and start a fine-tuning job (needs OPENAI_API_KEY and consent)."""
    import json
    import tempfile

    from ..tune.dataset import dataset_dir
    from ..tune.export import export_openai
    from ..tune.hosted import HEALTH_DATA_WARNING, OpenAIFineTuner, make_client, register_result, require_consent

    require_consent(consent)
    err_console.print(f"[bold yellow]warning:[/] {HEALTH_DATA_WARNING}", highlight=False, soft_wrap=True)
    src = dataset_dir(athlete)
    reg_name = name or f"{athlete}-openai"
    meta_file = src / "build.json"
    digest = json.loads(meta_file.read_text()).get("dataset_hash", "") if meta_file.exists() else ""
    tuner = OpenAIFineTuner(make_client(), consent=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = export_openai(src, Path(tmp), redact=redact, athlete=athlete)
        train = result.paths[0]
        val = result.paths[1] if len(result.paths) > 1 else None
        train_id = tuner.upload(train, model=model)
        val_id = tuner.upload(val, model=model) if val and result.examples.get("val", 0) >= 10 else None
    job = tuner.create_job(
        train_id, model, val_id, hyperparameters={"n_epochs": epochs} if epochs else None, suffix=suffix,
        metadata={"peri_name": reg_name, "peri_athlete": athlete, "peri_dataset": digest[:16]},
    )
    if not as_json:
        console.print(f"job [bold]{job.id}[/] {job.status} (training file {train_id})")
    if follow:
        try:
            for ev in tuner.follow(job.id):
                if not as_json:
                    console.print(f"[dim]{ev.created_at}[/] {ev.level}: {ev.message}", highlight=False)
        except KeyboardInterrupt:  # the job keeps running at OpenAI; only the watching stops
            err_console.print(f"stopped following; the job continues: `peri finetune status {job.id}`")
            raise typer.Exit(130) from None
        job = tuner.status(job.id)
        if job.status == "succeeded":
            store = open_store()
            try:
                register_result(store, job, reg_name)
            finally:
                store.close()
    _print_job(job, as_json, reg_name)


def _print_job(job: Any, as_json: bool, reg_name: str | None = None) -> None:
    if as_json:
        print_json(job.model_dump(mode="json"))
        return
    console.print(f"job {job.id}: [bold]{job.status}[/] (base {job.model})")
    if job.fine_tuned_model:
        console.print(f"model {job.fine_tuned_model}" + (f" registered: use --model ft:{reg_name}" if reg_name else ""))
    if job.error and job.error.message:
        console.print(f"[red]{job.error.code}: {job.error.message}[/]")


@finetune_app.command("status")
@friendly
def finetune_status(
    job_id: str = typer.Argument(..., help="The fine-tuning job id (ftjob-…)."),
    as_json: bool = typer.Option(False, "--json", help="Print the job as JSON."),
) -> None:
    """Show a hosted job; when it has succeeded, register its model for `--model ft:NAME`."""
    from ..tune.hosted import OpenAIFineTuner, default_model_name, make_client, register_result

    job = OpenAIFineTuner(make_client()).status(job_id)
    reg = None
    if job.status == "succeeded" and job.fine_tuned_model:
        store = open_store()
        try:
            reg = register_result(store, job).name
        finally:
            store.close()
    _print_job(job, as_json, reg or (default_model_name(job) if job.fine_tuned_model else None))


@finetune_app.command("cancel")
@friendly
def finetune_cancel(
    job_id: str = typer.Argument(..., help="The fine-tuning job id (ftjob-…)."),
    as_json: bool = typer.Option(False, "--json", help="Print the job as JSON."),
) -> None:
    """Cancel a hosted job."""
    from ..tune.hosted import OpenAIFineTuner, make_client

    _print_job(OpenAIFineTuner(make_client()).cancel(job_id), as_json)
