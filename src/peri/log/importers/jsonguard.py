"""Loading a JSON log safely: a size limit, JSON Lines, and a broken file named where it breaks.

`jsonlog` reads a JSON log whole (its sets are found by walking workouts > exercises > sets, whatever the key
names, which needs the whole tree). Python's objects for JSON take 5 to 10 times the text's size, so a JSON log
is read only up to `MAX_JSON_CHARS` (32 Mi characters): a lifetime's log is a few MiB (Hevy's API workouts
run about 1.5 KiB a workout pretty-printed, so 10,000 workouts are 15 MiB); past the limit the file is refused
naming it and its size, with the CSV export (read up to 256 MiB, row by row) as the way. A streaming parser
(`ijson`) was weighed and not taken: `base.read_table` holds the file's text already, and the walk needs the
tree, so streaming would save the objects' memory only by reading the file twice with a new dependency.

JSON Lines (one workout or set object a line, as scripts that save an API's pages write them) is read as the
list of its lines. JSON that does not parse is refused naming the line and column where it breaks, and whether
it ends inside a list or object (a download or copy cut short) - never read up to the break.
"""
from __future__ import annotations

import json
from typing import Any

from ...errors import ImportFormatError

MAX_JSON_CHARS = 32 << 20
_HINT = "export your log from the app as CSV"


def load_json(text: str, path: str) -> Any:
    """The JSON value of `text` (a JSON Lines text: the list of its lines' values). Raises ImportFormatError
    naming `path` for text over MAX_JSON_CHARS, and naming the line where it breaks for text that does not
    parse."""
    if len(text) > MAX_JSON_CHARS:
        raise ImportFormatError(
            f"the JSON log is {len(text) / (1 << 20):.0f} Mi characters, over the {MAX_JSON_CHARS >> 20} Mi a JSON "
            "log is read up to (it is read whole; a lifetime's log is a few MiB)", place=path,
            hint="export the log as CSV (read row by row, up to 256 MiB), or split the JSON into files of a few "
                 "years each and import them one after the other; nothing was imported")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":
            lines = _json_lines(text, path)
            if lines is not None:
                return lines
        raise _broken(text, e, path) from None


def _json_lines(text: str, path: str) -> list[Any] | None:
    """Each non-blank line's value, where the first line is a whole object (JSON Lines); None where it is not
    (several values on one line, a value over several lines: plain JSON with something after it)."""
    values: list[Any] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            values.append(json.loads(line))
        except json.JSONDecodeError as e:
            if not values:
                return None  # the first line is not a value of its own: not JSON Lines
            raise ImportFormatError(
                f"this is a JSON Lines file whose line {number} does not parse ({e.msg}, column {e.colno})",
                place=f"{path}:{number}", hint="nothing was imported; " + _HINT) from None
    return values


def _broken(text: str, e: json.JSONDecodeError, path: str) -> ImportFormatError:
    cut = e.pos >= len(text.rstrip())
    why = ("it ends inside a list or object: the download or copy was cut short" if cut
           else f"{e.msg} at column {e.colno}")
    return ImportFormatError(f"this is a JSON file, not a CSV table, and it does not parse: {why}",
                             place=f"{path}:{e.lineno}", hint="nothing was imported; " + _HINT)
