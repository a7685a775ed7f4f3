"""Gymaholic's export: a workout as a block of `;` lines, not a table.

    ;-----------------
    ;Upper A
    ;-----------------
    ;Date;Jan 14., 06:04
    ;Duration;1h:28m
    ;KCAL;495
    ;Heart rate;116 bpm

    #;Standing Military Press;REPS;TIME;REST
    W;;65 lbs x 8;;0:00
    1;;95 lbs x 5;;0:00
    #;Side Plank;;TIME;REST
    1;;;0:30;0:00
    #;Inverted Row;REPS;TIME;REST
    1;; x 8;;0:00

(the layout of a public parser's test fixture, thekrakens/toad-python tests/fixtures/gymaholic/valid_workout.csv
@f8ed3d322925b56f93ac56d4010b602348cb59d0, and of a second fixture in its tests, read 2026-12-02). A title
between dashed lines names the workout, `;Date;...` starts it (the date written without its year), `#;NAME`
starts an exercise with its column names, and each set line is numbered (`W` a warm-up) with its load and reps
whole (`95 lbs x 5`; ` x 8` a bodyweight set) or a time (`0:30`).

`flatten` turns such a file into a table of a row per set - `Date, Workout Name, Workout Duration, Exercise,
Set Type, Weight, Unit, Reps, Seconds` - each row keeping its line, before the rest of `parse_file` runs: the
year-less dates are then given their years by `yearless` (from `--year`, or dates with a year), the loads their
unit, and the generic reader reads the rows by those column names. A line that is none of these stops the
import naming it.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from ...errors import ImportFormatError
from .base import Table, parse_duration
from .dialect import fold, set_type_word

HEADER = ["Date", "Workout Name", "Workout Duration", "Exercise", "Set Type", "Weight", "Unit", "Reps", "Seconds"]
_SET = re.compile(r"^\s*(?:(\d+(?:[.,]\d+)?)\s*([^\W\d_]+\.?)?)?\s*[x×]\s*(\d+)\s*$", re.I)
_DASHES = re.compile(r"^[-=_*\s]+$")


def looks_like_gymaholic(table: Table) -> bool:
    """A first record `;Date;...` and an exercise line `#;NAME` within the first rows."""
    cells = [c.strip() for c in table.header]
    if len(cells) < 2 or cells[0] or fold(cells[1]) != "date":
        return False
    head = list(itertools.islice(table.rows, 60))
    table.rows = itertools.chain(head, table.rows)
    return any(row and row[0].strip() == "#" and len(row) > 1 and row[1].strip() for _, row in head)


def flatten(table: Table) -> str:
    """Rewrite `table` as a table of a row per set (see the module docstring); the report's note."""
    title = next((c.strip() for r in reversed(table.above) for c in r if c.strip() and not _DASHES.match(c)), "")
    first = (1 + len(table.above), table.header)  # the header is the record after those above it
    table.rows = _rows(itertools.chain([first], table.rows), title, table.path)
    # the lines above the first ';Date;' line are the first workout's title, read above: not left unread
    table.warnings = [w for w in table.warnings if "lines above the header were not read" not in w]
    table.header = list(HEADER)
    table.raw_header = list(HEADER)
    table.width = len(HEADER)
    return ("read as Gymaholic's export (a block per workout: its title, ';Date;...', then '#;EXERCISE' and its "
            "numbered set lines)")


def _rows(rows: Iterator[tuple[int, list[str]]], title: str, path: str) -> Iterator[tuple[int, list[str]]]:
    date = duration = exercise = ""
    columns: dict[str, int] = {}
    for line, row in rows:
        cells = [c.strip() for c in row]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(filled) == 1 and not cells[0]:  # a title, or the dashes around it
            if not _DASHES.match(filled[0]):
                title = filled[0]
            continue
        if not cells[0]:  # ;FIELD;VALUE
            key = fold(cells[1]) if len(cells) > 1 else ""
            value = cells[2] if len(cells) > 2 else ""
            if key == "date":
                date, duration, exercise = value, "", ""
            elif key == "duration":
                duration = _seconds(value, path, line)
            continue  # KCAL, heart rate and the like: not training
        if cells[0] == "#":
            exercise = cells[1] if len(cells) > 1 else ""
            columns = {fold(c): i for i, c in enumerate(cells) if i >= 2 and c}
            continue
        marker = cells[0]
        if exercise and date and (marker.isdigit() or set_type_word(marker) is not None):
            yield line, [date, title, duration, exercise, "normal" if marker.isdigit() else marker,
                         *_set(cells, columns, path, line)]
            continue
        raise ImportFormatError(f"a line that is no Gymaholic title, field, exercise or set line: "
                                f"{';'.join(cells)[:60]!r}", place=f"{path}:{line}",
                                hint="nothing was imported; export the workout again or fix the line")


def _set(cells: list[str], columns: dict[str, int], path: str, line: int) -> list[str]:
    """[weight, unit, reps, seconds] of a set line."""
    reps_at = columns.get("reps", 2)
    time_at = columns.get("time")
    whole = cells[reps_at] if reps_at < len(cells) else ""
    weight = unit = reps = seconds = ""
    if whole:
        m = _SET.match(whole)
        if m is None:
            raise ImportFormatError(f"set {whole[:40]!r} is not like '95 lbs x 5'", place=f"{path}:{line}",
                                    hint="nothing was imported")
        weight, unit, reps = m.group(1) or "", m.group(2) or "", m.group(3)
    if time_at is not None and time_at < len(cells) and cells[time_at]:
        seconds = _seconds(cells[time_at], path, line)
    return [weight, unit, reps, seconds]


def _seconds(text: str, path: str, line: int) -> str:
    try:
        value = parse_duration(text.replace(":", " ") if re.search(r"[a-z]", text, re.I) else text)
    except ValueError as e:
        raise ImportFormatError(str(e), place=f"{path}:{line}", hint="nothing was imported") from None
    return f"{value:g}" if value else ""
