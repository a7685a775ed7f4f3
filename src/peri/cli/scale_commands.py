"""Commands for many athletes: `peri serve-models` (one engine, every adapter) and `peri batch` (Ray)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import console, friendly, open_store


def register(app: typer.Typer) -> None:
    app.command("serve-models")(serve_models)
    _register_batch(app)


@friendly
def serve_models(
    base: Optional[Path] = typer.Option(None, "--base", help="The base GGUF (default: the embedded model)."),
    port: int = typer.Option(8088, "--port", min=0, max=65535, help="Loopback port (0: any free one)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Loopback address to listen on (127.0.0.1 or ::1)."),
    parallel: int = typer.Option(2, "--parallel", min=1, max=64, help="Requests decoded at once (llama.cpp slots)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (default: the free cores, at most 2)."),
) -> None:
    """Serve the base model and every registered adapter on it from one llama.cpp engine (OpenAI API on loopback).

    A request picks its adapter with `"model": "ft:NAME"`; peri reaches it with `lora:http://HOST:PORT/v1#NAME`,
    or with `ft:NAME` when PERI_LORA_SERVER=http://HOST:PORT/v1 is set.
    """
    from ..backends.multi_lora import MultiLoraEngine, serve_http, served_adapters
    from ..paths import embedded_model_path

    base_path = base or embedded_model_path()
    with open_store() as store:
        adapters, skipped = served_adapters(store, base_path)
    for line in skipped:
        console.print(f"[yellow]skipped[/yellow] {line}")
    engine = MultiLoraEngine(base_path, adapters, n_parallel=parallel, n_threads=threads)
    httpd = serve_http(engine, host, port)
    url = f"http://{host}:{httpd.server_address[1]}/v1"
    console.print(f"serving {base_path.name} with {len(adapters)} adapter(s) at {url}")
    for a in adapters:
        console.print(f"  ft:{a.name}  ->  lora:{url}#{a.name}")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        engine.close()


# --- peri batch ---------------------------------------------------------------------------------
batch_app = typer.Typer(help="Run plan, dataset, finetune or eval for many athletes at once, one Ray task each "
                             "(resumable: a re-run skips what is done).", no_args_is_help=True)

ATHLETES_HELP = "An athlete to include (repeat, or comma-separate); default: every athlete in the store."
ADDRESS_HELP = "A Ray cluster to join (e.g. ray://head:10001, or 'auto'); default: Ray on this machine."
WORKERS_HELP = "Athletes worked on at once on this machine (default: one per core)."


def _register_batch(app: typer.Typer) -> None:
    app.add_typer(batch_app, name="batch")


def _run_batch(kind: str, athletes: Optional[list[str]], options: dict, address: Optional[str],
               workers: Optional[int], as_json: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..batch import BatchOptions, run_batch
    from ..log.store import store_target
    from ..paths import peri_home
    from .common import err_console, list_option, print_json

    opts = BatchOptions(**{k: v for k, v in options.items() if v is not None})
    names = list_option(athletes)
    with open_store() as store:  # migrates before any worker opens it
        columns = (TextColumn(f"batch {kind}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
                   TimeElapsedColumn())
        with Progress(*columns, console=err_console, disable=as_json) as bar:
            task = bar.add_task(kind, total=None, last="starting Ray")

            def progress(done: int, total: int, item) -> None:
                bar.update(task, completed=done, total=total, last=f"{item.athlete}: {item.status}")

            report = run_batch(store, kind, names, opts, target=store_target(), home=peri_home(), address=address,
                               workers=workers, progress=progress)
    if as_json:
        print_json(report)
    else:
        console.print(f"job {report.job}: {report.count('done')} done, {report.count('skipped')} already done, "
                      f"{report.count('failed')} failed ({report.seconds:.1f} s)", highlight=False)
        for it in report.items:
            if it.status == "failed":
                console.print(f"  [red]failed[/red] {it.athlete}: {it.error}", highlight=False)
    if report.count("failed"):
        raise typer.Exit(1)


@batch_app.command("plan")
@friendly
def batch_plan(
    athlete: Optional[list[str]] = typer.Option(None, "--athlete", "-a", help=ATHLETES_HELP),
    model: str = typer.Option("rules", "--model", "-m", help="Model spec (rules, embedded, ft:NAME, lora:URL#NAME, ...)."),
    scenario: str = typer.Option("normal", "--scenario", "-s", help="Which kind of week."),
    style: str = typer.Option("engineered", "--style", help="engineered, short or hybrid."),
    detail: int = typer.Option(3, "--detail", "-d", min=0, max=4, help="Prompt detail level (engineered style)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Plan the week starting here (YYYY-MM-DD)."),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help=WORKERS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Plan next week for every athlete (or those named): one plan each, recorded; a re-run adds none."""
    from .common import date_option

    day = date_option(as_of, "--as-of")
    _run_batch("plan", athlete, {"model": model, "scenario": scenario, "style": style, "detail": detail,
                                 "as_of": day.isoformat() if day else None}, address, workers, as_json)


@batch_app.command("dataset")
@friendly
def batch_dataset(
    athlete: Optional[list[str]] = typer.Option(None, "--athlete", "-a", help=ATHLETES_HELP),
    val_fraction: float = typer.Option(0.15, "--val-fraction", min=0.0, max=0.9, help="Share of the latest weeks kept for validation."),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help=WORKERS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Build every athlete's fine-tuning dataset (PERI_HOME/datasets/ATHLETE/)."""
    _run_batch("dataset", athlete, {"val_fraction": val_fraction}, address, workers, as_json)


@batch_app.command("finetune")
@friendly
def batch_finetune(
    athlete: Optional[list[str]] = typer.Option(None, "--athlete", "-a", help=ATHLETES_HELP),
    base: Optional[str] = typer.Option(None, "--base", help="Base model: 'embedded', a .gguf file or an HF model directory."),
    epochs: Optional[int] = typer.Option(None, "--epochs", min=1, help="Passes over each training set."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", min=1, help="Stop each run after this many optimizer steps."),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help=WORKERS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Train each athlete's LoRA adapter on their dataset and register it as ft:ATHLETE-lora."""
    _run_batch("finetune", athlete, {"base": base, "epochs": epochs, "max_steps": max_steps}, address, workers, as_json)


@batch_app.command("eval")
@friendly
def batch_eval(
    athlete: Optional[list[str]] = typer.Option(None, "--athlete", "-a", help=ATHLETES_HELP),
    weeks: int = typer.Option(4, "--weeks", min=1, help="Held-out weeks per athlete."),
    approach: Optional[list[str]] = typer.Option(None, "--approach", help="Approaches to run (repeat); default: every available."),
    address: Optional[str] = typer.Option(None, "--address", help=ADDRESS_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help=WORKERS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Evaluate the approaches on each athlete's held-out weeks (results under PERI_HOME/eval/ATHLETE/)."""
    from .common import list_option

    _run_batch("eval", athlete, {"weeks": weeks, "approaches": list_option(approach)}, address, workers, as_json)
