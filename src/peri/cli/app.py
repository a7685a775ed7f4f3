"""The `peri` command: a thin Typer app. Each area registers its commands from its own module."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="peri",
    help="Your training log, turned into a personal AI strength coach - by prompting or fine-tuning, measured.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Each module defines `register(app: typer.Typer) -> None`. Order is the order in --help.
COMMAND_MODULES = (
    "peri.cli.log_commands",
    "peri.cli.catalog_commands",
    "peri.cli.plan_commands",
    "peri.cli.sim_commands",
    "peri.cli.prompt_commands",
    "peri.cli.generate_commands",
    "peri.cli.tune_commands",
    "peri.cli.train_commands",
    "peri.cli.eval_commands",
    "peri.cli.decide_commands",
    "peri.cli.guide_commands",
    "peri.cli.demo_command",
    "peri.cli.serve_command",
    "peri.cli.scale_commands",
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"peri {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="print the version and exit"),
) -> None:
    """peri: your own training log, turned into a personal AI strength coach."""


for _name in COMMAND_MODULES:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as _e:  # an area not built yet; never hide a broken import inside one
        if _e.name != _name:
            raise
        continue
    _mod.register(app)


def _undecodable(argv: list[str]) -> int | None:
    """The position of the first argument holding bytes that are not UTF-8 (kept by Python as lone surrogates)."""
    for i, arg in enumerate(argv, start=1):
        if any("\ud800" <= c <= "\udfff" for c in arg):
            return i
    return None


def let_openmp_threads_sleep(env: dict[str, str] | None = None) -> None:
    """`OMP_WAIT_POLICY=PASSIVE` unless the person set a policy: waiting OpenMP threads sleep, not spin.

    For the fine-tunes `peri finetune local`, `peri demo` and the web's fine-tune job run in this process:
    torch's OpenMP threads spin while they wait for each other, and on a machine where anything else runs
    a thread whose partner is descheduled spins for its whole time slice (perf at load 13 on 2 cores: 80-85 %
    of a training process's cycles in libgomp's spin loop; 42.5 against 12.1 CPU s a 1,000 tokens with
    passive waiting, bench/train_memory.py, docs/results.md). libgomp reads the variable once, when it is
    loaded (with torch, or llama.cpp's engine), so it is set here, before any command imports either.
    """
    import os

    (os.environ if env is None else env).setdefault("OMP_WAIT_POLICY", "PASSIVE")


def main() -> None:
    import sys

    let_openmp_threads_sleep()
    bad = _undecodable(sys.argv[1:])
    if bad is not None:  # such a name could not be stored, printed or made a file name: refuse it here
        sys.stderr.write(f"error: argument {bad} is not valid UTF-8 text (re-type it, or set a UTF-8 locale)\n")
        raise SystemExit(2)
    app()
