"""What every CLI command shares: the store handle, JSON output, and turning PeriError into one line."""
from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import sqlite3
import sys
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from ..errors import ConfigError, PeriError
from ..log.store import Store, storage_error, store_target
from ..paths import db_path

_KEEP = {"\n", "\t", "\u200c", "\u200d"}  # line breaks, tabs, and the joiners inside emoji and Indic words


def terminal_safe(text: str) -> str:
    """`text` with every control and format character shown as an escape (`\\x1b`, `\\u202e`), never sent raw.

    Names, notes and model output reach the terminal: an ESC sequence in an athlete's name could recolour,
    retitle or clear the terminal, a right-to-left override could make a line read backwards.
    """
    if text.isascii() and text.isprintable():
        return text
    out = []
    for c in text:
        if c in _KEEP or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"):
            out.append(c)
        else:
            out.append(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
    return "".join(out)


class SafeConsole(Console):
    """A Rich console that never writes a control character it did not generate itself.

    Every printed string, table cell and `Text` becomes segments before it is written; their text goes
    through `terminal_safe` there (Rich's own cursor and style codes are separate control segments and
    styles, untouched). Strings are redacted (`peri.redact`) before they are rendered. Markup that does
    not parse (a name such as `[/]`) is printed literally, not raised.
    """

    def _render_buffer(self, buffer: Any) -> str:
        from rich.segment import Segment

        safe = [seg if seg.control else Segment(terminal_safe(seg.text), seg.style, seg.control) for seg in buffer]
        return super()._render_buffer(safe)

    def render_str(self, text: str, **kwargs: Any) -> Any:
        from rich.errors import MarkupError

        from ..redact import redact

        text = redact(text) or text  # a model spec with credentials, a key echoed into a record: never shown
        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            kwargs["markup"] = False
            return super().render_str(text, **kwargs)


# No automatic highlighting: Rich's repr highlighter runs regexes over every printed string, and on a long hostile
# one (a name typed or read from a file) they took 96 s for one `peri athlete add` (found by the CLI fuzz). The
# styles peri means are in its markup; nothing is lost.
console = SafeConsole(highlight=False)
err_console = SafeConsole(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])


def open_store() -> Store:
    """The user's database: PERI_DATABASE_URL (PostgreSQL) or PERI_HOME/peri.db (created and migrated on first use)."""
    return Store(store_target())


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
            _print_error(str(e))
            raise typer.Exit(1) from None
        except sqlite3.Error as e:  # a storage failure outside a transaction (a read, a PRAGMA): named, not traced
            _print_error(str(storage_error(e, db_path_or_home())))
            raise typer.Exit(1) from None
        except OSError as e:
            if e.errno not in _STORAGE_ERRNOS:
                raise  # anything else is a bug: let it show
            _print_error(str(os_error(e)))
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


_STORAGE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EISDIR,
                   errno.ENAMETOOLONG, errno.EDQUOT, errno.ENOENT, errno.EEXIST, errno.ELOOP}


def os_error(e: OSError) -> PeriError:
    """A file-system failure as one line with what to do."""
    from ..errors import StorageError

    what = {
        errno.ENOSPC: ("the disk is full", "free some space, then run the command again"),
        errno.EDQUOT: ("the disk quota is used up", "free some space, then run the command again"),
        errno.EROFS: ("the file system is read-only", "use a writable folder (PERI_HOME, --out)"),
        errno.EACCES: ("permission denied", "use a path you can write to"),
        errno.EPERM: ("operation not permitted", "use a path you can write to"),
        errno.ENOTDIR: ("a part of the path is a file, not a folder", "check the path"),
        errno.EISDIR: ("it is a folder, not a file", "give a file path"),
        errno.ENAMETOOLONG: ("the file name is too long", "use a shorter name"),
        errno.ENOENT: ("no such file or folder", "check the path"),
        errno.EEXIST: ("it already exists", "choose another name"),
        errno.ELOOP: ("too many symbolic links", "check the path"),
    }.get(e.errno or 0, (e.strerror or str(e), "check the path"))
    return StorageError(what[0], place=str(e.filename) if e.filename else None, hint=what[1])


def db_path_or_home() -> Any:
    try:
        target = store_target()
        if isinstance(target, str):
            from ..redact import redact

            return redact(target)
        return target
    except PeriError:
        return "PERI_HOME"


def _print_error(text: str) -> None:
    from rich.markup import escape

    err_console.print(f"[bold red]error:[/] {escape(text)}", highlight=False, soft_wrap=True, markup=True)


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
