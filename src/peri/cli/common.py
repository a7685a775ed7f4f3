"""What every CLI command shares: the store handle, JSON output, and turning PeriError into one line."""
from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from ..errors import ConfigError, PeriError
from ..log.store import Store
from ..paths import db_path

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def open_store() -> Store:
    """The user's database under PERI_HOME (created and migrated on first use)."""
    return Store(db_path())


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, list | tuple):
        return [to_jsonable(o) for o in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


def print_json(obj: Any) -> None:
    """Machine-readable output on stdout, nothing else on it."""
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, default=str) + "\n")


def friendly(fn: F) -> F:
    """Turn a PeriError into one readable red line and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PeriError as e:
            err_console.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def date_option(value: str | None, flag: str) -> dt.date | None:
    """A YYYY-MM-DD flag value, or a ConfigError naming the flag."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{flag} {value!r} is not a date", hint="write it as YYYY-MM-DD") from None


def list_option(values: list[str] | None) -> list[str] | None:
    """A repeatable, comma-separable flag ("--equipment dumbbell,bands --equipment cable") as one list."""
    if not values:
        return None
    return [item.strip() for v in values for item in v.split(",") if item.strip()]
