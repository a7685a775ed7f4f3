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


def main() -> None:
    import sys

    bad = _undecodable(sys.argv[1:])
    if bad is not None:  # such a name could not be stored, printed or made a file name: refuse it here
        sys.stderr.write(f"error: argument {bad} is not valid UTF-8 text (re-type it, or set a UTF-8 locale)\n")
        raise SystemExit(2)
    app()
