"""Package hygiene: `import peri` and the CLI start light; every command has help; the docs name them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer.main

import peri
from peri.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "peft", "datasets", "xllamacpp", "openai", "anthropic", "tiktoken", "matplotlib", "pandas")


def test_public_surface_is_sorted_and_exists() -> None:
    assert peri.__all__ == sorted(peri.__all__)
    for name in peri.__all__:
        assert hasattr(peri, name)


def test_import_and_cli_startup_load_no_heavy_module() -> None:
    code = (
        "import sys, peri, peri.cli.app\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"heavy modules imported at start-up: {out}"


def _commands(group, prefix=()):  # every leaf command path
    click_group = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, cmd in click_group.commands.items():
        path = (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)
        else:
            yield path, cmd


def test_every_command_has_help_and_is_documented() -> None:
    docs = (ROOT / "README.md").read_text() + (ROOT / "docs" / "cli.md").read_text()
    missing_help, undocumented = [], []
    for path, cmd in _commands(typer.main.get_command(app)):
        if not (cmd.help or "").strip():
            missing_help.append(" ".join(path))
        if f"peri {' '.join(path)}" not in docs:
            undocumented.append(" ".join(path))
    assert not missing_help, f"commands without help: {missing_help}"
    assert not undocumented, f"commands missing from README/docs/cli.md: {undocumented}"
