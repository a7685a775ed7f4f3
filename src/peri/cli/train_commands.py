"""`peri finetune local` / `import`: LoRA-train on an athlete's dataset here, or bring in an adapter trained elsewhere."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .common import console, err_console, friendly, open_store, print_json
from .tune_commands import finetune_app


def register(app: typer.Typer) -> None:
    """`local` joins `peri finetune`, which peri.cli.tune_commands registers on the app."""


@finetune_app.command("local")
@friendly
def finetune_local(
    athlete: str = typer.Option(..., "--athlete", "-a", help="Athlete whose dataset (PERI_HOME/datasets/ATHLETE/) to train on."),
    name: str | None = typer.Option(None, "--name", help="Registered model name, served as ft:NAME (default ATHLETE-lora)."),
    base: str | None = typer.Option(None, "--base", help="Base model: 'embedded', a .gguf file or an HF model directory."),
    epochs: int | None = typer.Option(None, "--epochs", help="Passes over the training set."),
    lr: float | None = typer.Option(None, "--lr", help="Peak learning rate."),
    rank: int | None = typer.Option(None, "--rank", help="LoRA rank."),
    max_steps: int | None = typer.Option(None, "--max-steps", help="Stop after this many optimizer steps."),
    precision: str | None = typer.Option(None, "--precision", help="auto | bf16 | fp32."),
    config: Path | None = typer.Option(None, "--config", help="YAML file of training settings (flags override it)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run from its last checkpoint."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Train a LoRA adapter on the athlete's dataset, save it (PEFT + GGUF) and register ft:NAME for `peri plan`."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ..tune.local import finetune_local, plan_local_finetune
    from ..tune.train import TrainProgress

    plan = plan_local_finetune(athlete, name=name, config_file=config, overrides={
        "base": base, "epochs": epochs, "lr": lr, "rank": rank, "max_steps": max_steps, "precision": precision})
    model_name = plan.model_name

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, disable=as_json) as bar:
        task = bar.add_task("loading base", total=None, info="")

        def on_progress(p: TrainProgress) -> None:
            if p.phase == "train":
                bar.update(task, description=f"epoch {p.epoch + 1}", total=p.total_steps, completed=p.step,
                           info=f"loss {p.loss:.3f}  {p.tokens_per_s:,.0f} tok/s")
            elif p.phase == "validate":
                info = f"val loss {p.val_loss:.3f}" if p.val_loss is not None else "validating"
                bar.update(task, total=p.total_steps, completed=p.step, info=info)

        done = finetune_local(open_store, plan, resume=resume, progress=on_progress)
    result, registered = done.result, done.registered is not None

    if as_json:
        print_json({"model": f"ft:{model_name}" if registered else None, **result.model_dump(mode="json")})
        return
    _print_summary(model_name, result)
    if registered:
        console.print(f"Use it: [bold]peri plan --model ft:{model_name}[/]")
    else:
        err_console.print(f"[yellow]not registered:[/] the base {result.base_path} is not a GGUF, so llama.cpp cannot serve "
                          "the adapter; the PEFT adapter works with transformers or vLLM.")


@finetune_app.command("import")
@friendly
def finetune_import(
    directory: Path = typer.Argument(..., help="Adapter directory written by `peri finetune local` on another machine."),
    name: str = typer.Option(..., "--name", help="Registered model name, served as ft:NAME."),
    base: str | None = typer.Option(None, "--base", help="Local base model the adapter was trained on (default: embedded)."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite an existing model of that name."),
    as_json: bool = typer.Option(False, "--json", help="Print the registered model as JSON."),
) -> None:
    """Register an adapter trained elsewhere (say on a GPU) after checking it was trained on this base."""
    from ..tune.import_adapter import import_adapter

    store = open_store()
    try:
        model = import_adapter(store, directory, name, base=base, replace=replace)
    finally:
        store.close()
    if as_json:
        print_json({"model": f"ft:{model.name}", **model.model_dump(mode="json")})
        return
    before, after = model.meta.get("val_loss_before"), model.meta.get("val_loss_after")
    losses = f" (validation loss {before:.3f} → {after:.3f})" if before is not None and after is not None else ""
    console.print(f"Registered [bold]ft:{model.name}[/] from {directory}{losses}\nUse it: [bold]peri plan --model ft:{model.name}[/]")


def _print_summary(name: str, r: Any) -> None:
    from rich.table import Table

    def fmt(x: float | None) -> str:
        return "-" if x is None else f"{x:.4f}"

    t = Table(title=f"ft:{name}", show_header=False)
    rows = [
        ("steps", f"{r.steps} ({r.epochs_done} epochs)" + (f", resumed at step {r.resumed_from_step}" if r.resumed_from_step else "")),
        ("examples", f"{r.train_examples} train, {r.val_examples} validation" + (f", {r.dropped_too_long} too long, left out" if r.dropped_too_long else "")),
        ("train tokens", f"{r.train_tokens:,} ({r.pad_fraction:.1%} padding)"),
        ("speed", f"{r.tokens_per_s:,.0f} tokens/s ({r.precision}, {r.device})"),
        ("time", f"{r.train_seconds:.0f} s training, {r.wall_seconds:.0f} s in all"),
        ("validation loss", f"{fmt(r.val_loss_before)} → {fmt(r.val_loss_after)}"),
        ("adapter", r.out_dir),
        ("llama.cpp adapter", r.gguf_adapter or "-"),
    ]
    for k, v in rows:
        t.add_row(k, v)
    console.print(t)
