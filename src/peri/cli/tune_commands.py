"""`peri dataset …` (build, check, export) and `peri finetune …` (openai, together, fireworks, status, cancel).

`finetune_app` is shared: the local trainer's CLI module adds `peri finetune local` to it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from .common import console, err_console, friendly, open_store, print_json

dataset_app = typer.Typer(help="Build, check and export the fine-tuning dataset from an athlete's log.",
                          no_args_is_help=True)
finetune_app = typer.Typer(help="Fine-tune a model on the dataset: locally, or as a hosted job (OpenAI, Together AI, Fireworks AI).",
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


PROVIDERS = ("openai", "together", "fireworks")


def today() -> dt.date:
    """The day availability is judged on (tests replace this to run on another date)."""
    return dt.date.today()


@dataset_app.command("check")
@friendly
def dataset_check(
    file: Path = typer.Argument(..., help="A JSONL dataset file."),
    provider: str | None = typer.Option(None, "--provider", help="openai, together or fireworks: check that provider's documented rules."),
    model: str | None = typer.Option(None, help="Model whose per-example token limit applies (default: the provider's default)."),
    fmt: str | None = typer.Option(None, "--format", help="trl (local conversational formats), or a provider name (same as --provider)."),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Check a dataset file against a hosted provider's rules (OpenAI by default) or TRL's; every problem with its line."""
    from ..errors import ConfigError
    from ..tune.hosted import DEFAULT_MODELS
    from ..tune.validate import FORMATS, check_file

    if provider and fmt and provider != fmt:
        raise ConfigError("--provider and --format disagree", place="--provider", hint="give one of them")
    kind = provider or fmt or "openai"
    if kind not in FORMATS:
        raise ConfigError(f"unknown provider or format {kind!r}", place="--provider", hint=f"use one of: {', '.join(FORMATS)}")
    problems = check_file(file, model=model or DEFAULT_MODELS.get(kind, "gpt-4o-mini"), fmt=kind)  # type: ignore[arg-type]
    if as_json:
        print_json({"file": str(file), "provider": kind, "ok": not problems, "problems": problems})
    elif not problems:
        console.print(f"[green]{file}: OK[/] ({kind} rules)")
    else:
        for p in problems:
            where = f"{file}:{p.line}" if p.line else str(file)
            console.print(f"{where}: [red]{p.kind}[/] {p.message}", highlight=False, soft_wrap=True)
        console.print(f"[red]{len(problems)} problem(s)[/] ({kind} rules)")
    if problems:
        raise typer.Exit(1)


@dataset_app.command("export")
@friendly
def dataset_export(
    athlete: str = typer.Option(..., "--athlete", "-a", help="Whose built dataset to export."),
    fmt: str = typer.Option(..., "--format", help="openai, together, fireworks (chat JSONL checked against that provider's rules) or hf (Hugging Face datasets on disk)."),
    out: Path = typer.Option(..., "--out", help="Output folder (train.jsonl, val.jsonl), or FILE.jsonl (plus FILE.val.jsonl beside it)."),
    redact: bool = typer.Option(False, "--redact", help="Strip names, dates and free-text notes."),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist at --out."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Export the built dataset (run `peri dataset build` first): the same examples and split for every format."""
    from ..errors import ConfigError
    from ..tune.dataset import dataset_dir
    from ..tune.export import export_hf, export_provider

    src = dataset_dir(athlete)
    if fmt in PROVIDERS:
        result = export_provider(src, out, fmt, redact=redact, athlete=athlete, force=force)
    elif fmt == "hf":
        result = export_hf(src, out, redact=redact, athlete=athlete, force=force)
    else:
        raise ConfigError(f"unknown export format {fmt!r}", place="--format", hint=f"use {', '.join(PROVIDERS)} or hf")
    for w in result.warnings:
        err_console.print(f"[bold yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
    if as_json:
        print_json(result)
    else:
        console.print(f"wrote {', '.join(str(p) for p in result.paths)} ({result.examples})"
                      + (" [green]redacted[/]" if redact else ""))


def _finetune(provider: str, athlete: str, model: str | None, suffix: str | None, name: str | None,
              epochs: int | None, redact: bool, consent: bool, follow: bool, as_json: bool) -> None:
    from ..tune.hosted import HEALTH_DATA_WARNING, check_available, start_job

    for w in check_available(provider, model or _default_model(provider), today()):
        err_console.print(f"[yellow]note:[/] {w}", highlight=False, soft_wrap=True)
    if consent:
        err_console.print(f"[bold yellow]warning:[/] {HEALTH_DATA_WARNING}", highlight=False, soft_wrap=True)

    def on_job(job: Any) -> None:
        if not as_json:
            console.print(f"job [bold]{job.id}[/] {job.raw_status} on {provider} (base {job.base_model})", highlight=False)

    def on_event(ev: Any) -> None:
        if not as_json:
            console.print(f"[dim]{ev.created_at or ''}[/] {ev.level}: {ev.message}", highlight=False)

    try:
        result = start_job(open_store, provider, athlete, model=model, name=name, suffix=suffix, epochs=epochs,
                           redact=redact, consent=consent, follow=follow, today=today(), on_job=on_job,
                           on_event=on_event)
    except KeyboardInterrupt:  # the job keeps running at the provider; only the watching stops
        err_console.print(f"stopped following; the job continues: `peri finetune status JOB --provider {provider}`")
        raise typer.Exit(130) from None
    if result.estimate and not as_json:
        e = result.estimate
        console.print(f"estimate: {e.billable_tokens:,} tokens x {e.epochs} epochs x ${e.price_per_million}/1M = "
                      f"${e.usd:.2f} ({e.price_date})" + (f"; {provider} says ${e.provider_usd:.2f}" if e.provider_usd is not None else ""))
    _print_job(result.job, as_json, result.registered)
    if result.job.status == "failed":
        raise typer.Exit(1)


def _default_model(provider: str) -> str:
    from ..tune.hosted import DEFAULT_MODELS

    return DEFAULT_MODELS[provider]


def _make_finetune_command(provider: str, title: str, key_env: str) -> None:
    needs = f"{key_env} and consent" if provider == "openai" else \
        f"{key_env}, consent and the provider's SDK: pip install 'peri[hosted]'"

    @finetune_app.command(provider, help=f"Upload the athlete's dataset to {title} and start a fine-tuning job "
                                         f"(needs {needs}; refused on a date the provider no longer takes jobs).")
    @friendly
    def command(
        athlete: str = typer.Option(..., "--athlete", "-a", help="Whose dataset to train on."),
        model: str | None = typer.Option(None, help=f"Base model to fine-tune (default: {_default_model(provider)})."),
        suffix: str | None = typer.Option(None, help="A short name added to the tuned model's name."),
        name: str | None = typer.Option(None, help=f"Name to register the result under (default: ATHLETE-{provider})."),
        epochs: int | None = typer.Option(None, help="Epochs (default: the provider's)."),
        redact: bool = typer.Option(False, "--redact", help="Upload a redacted copy (names, dates, notes stripped)."),
        consent: bool = typer.Option(False, "--i-consent-to-send-health-data",
                                     help=f"Required: you agree to send this health data to {title}."),
        follow: bool = typer.Option(True, "--follow/--no-follow", help="Follow the job until it ends."),
        as_json: bool = typer.Option(False, "--json", help="Print the job as JSON."),
    ) -> None:
        _finetune(provider, athlete, model, suffix, name, epochs, redact, consent, follow, as_json)


for _p, _title, _key in (("openai", "OpenAI", "OPENAI_API_KEY"), ("together", "Together AI", "TOGETHER_API_KEY"),
                         ("fireworks", "Fireworks AI", "FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID")):
    _make_finetune_command(_p, _title, _key)


def _print_job(job: Any, as_json: bool, reg_name: str | None = None) -> None:
    if as_json:
        print_json({**job.model_dump(mode="json"), "registered": reg_name})
        return
    console.print(f"job {job.id}: [bold]{job.raw_status}[/] on {job.provider} (base {job.base_model})", highlight=False)
    if job.tuned_model:
        console.print(f"model {job.tuned_model}" + (f" registered: use --model ft:{reg_name}" if reg_name else ""),
                      highlight=False)
    if job.error:
        console.print(f"[red]{job.error}[/]", highlight=False)


def _provider_option() -> Any:
    return typer.Option("openai", "--provider", help=f"Which provider runs the job: {', '.join(PROVIDERS)}.")


@finetune_app.command("status")
@friendly
def finetune_status(
    job_id: str = typer.Argument(..., help="The provider's fine-tuning job id."),
    provider: str = _provider_option(),
    name: str | None = typer.Option(None, help="Name to register a succeeded job's model under."),
    as_json: bool = typer.Option(False, "--json", help="Print the job as JSON."),
) -> None:
    """Show a hosted job; when it has succeeded, register its model for `--model ft:NAME`."""
    from ..tune.hosted import job_status

    job, reg = job_status(open_store, provider, job_id, name=name)
    _print_job(job, as_json, reg)


@finetune_app.command("cancel")
@friendly
def finetune_cancel(
    job_id: str = typer.Argument(..., help="The provider's fine-tuning job id."),
    provider: str = _provider_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the job as JSON."),
) -> None:
    """Cancel a hosted job."""
    from ..tune.hosted import cancel_job

    _print_job(cancel_job(provider, job_id), as_json)
