"""The import page's column chooser: for a file peri cannot place (an app it has never seen, columns named in a
way its vocabulary does not know), the file's header and first rows, a choice of peri field per column, and what
those choices read.

The choices are exactly the mapping `peri import csv --map COLUMN=FIELD` takes (`generic_csv.FIELDS`): the form
posts `map_<i>` = FIELD for the i-th column of the header, and `column_mapping` turns that into the
`{"columns": {field: column name}}` the generic reader is given. A column left unchosen is read by its name when
peri knows the name, as on the command line. Every refusal names the column and loses nothing: the page is shown
again with the person's choices.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import ConfigError
from ..log.importers.generic_csv import FIELDS

MAX_COLUMNS = 150  # the columns offered a choice (the form's field cap is 200); a log has a dozen
HEAD_ROWS = 5  # the file's first rows shown under its header
MAX_CELL_CHARS = 60  # a cell shown in the head table (a long note is cut, never the file)
SAMPLE_SESSIONS = 3  # sessions shown as read, on the preview of a chosen mapping
SAMPLE_SETS = 8  # sets shown of each

# What each field means, said for a person choosing it (the mapping's own field names stay the values posted)
LABELS: dict[str, str] = {
    "date": "date (of the session or set)", "time": "time of day", "session_name": "workout name",
    "session_notes": "workout notes", "duration": "workout duration", "exercise": "exercise",
    "weight": "weight (in the unit column's or the form's unit)", "unit": "weight unit (kg / lb per row)",
    "weight_kg": "weight in kg", "weight_lb": "weight in lb", "reps": "reps", "rpe": "RPE", "rir": "reps in reserve",
    "distance_m": "distance in metres", "distance_km": "distance in km", "distance_mi": "distance in miles",
    "seconds": "set length in seconds", "set_type": "set type (warm-up, drop, failure)",
    "warmup": "warm-up? (yes/no)", "note": "note on the set", "logs": "all sets in one cell (100x5,102.5x3)",
    "planned_weight": "planned weight (read where the weight is empty)",
    "planned_reps": "planned reps (read where the reps are empty)", "missed": "missed? (yes/no: not a set)",
    "completed": "workout completed? (yes/no)", "sets": "number of sets (3 = three such sets)",
    "distance": "distance (its unit in the cell or a unit column)", "distance_unit": "distance unit",
}


class FileHead(BaseModel):
    """The file's header and first rows as peri reads them, each column with the field its name is read as."""

    header: list[str]
    rows: list[list[str]]
    read_as: list[str]  # per column: the field peri reads it as by its name ("" none)
    more_columns: int = 0  # columns past MAX_COLUMNS (not offered)


def file_head(path: Path) -> FileHead:
    """`read_table`'s header and first HEAD_ROWS rows (cells cut to MAX_CELL_CHARS), with `infer_columns`'s
    reading of each name; a file that is no table raises the reader's own error."""
    from ..log.importers.base import read_table
    from ..log.importers.generic_csv import infer_columns

    table = read_table(path)
    rows: list[list[str]] = []
    for _, row in table.rows:
        if len(rows) >= HEAD_ROWS:
            break
        rows.append([_cut(c) for c in row[:MAX_COLUMNS]])
    header = list(table.header)
    found, _ = infer_columns(header, {})
    by_name = {c: f for f, c in found.items()}
    return FileHead(header=header[:MAX_COLUMNS], rows=rows, read_as=[by_name.get(h, "") for h in header[:MAX_COLUMNS]],
                    more_columns=max(0, len(header) - MAX_COLUMNS))


def _cut(cell: str) -> str:
    return cell if len(cell) <= MAX_CELL_CHARS else cell[:MAX_CELL_CHARS - 1] + "…"


def chosen(form: Any) -> dict[int, str]:
    """The posted `map_<i>` choices that name a field (column index -> field), checked for shape only: an index
    that is no number, a field that is not peri's, refused naming the form's field."""
    out: dict[int, str] = {}
    for key in form.keys():
        if not key.startswith("map_"):
            continue
        raw = key[4:]
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
            raise ConfigError(f"the field {key[:40]!r} names no column", place=key[:40],
                              hint="choose the columns on the import page again")
        value = str(form.get(key) or "").strip()
        if not value:
            continue
        if value not in FIELDS:
            raise ConfigError(f"{value[:40]!r} is not one of peri's fields", place=key,
                              hint=", ".join(FIELDS))
        out[int(raw)] = value
    return out


def column_mapping(choices: dict[int, str], header: list[str]) -> dict[str, str]:
    """`{field: column name}` for the generic reader (`--map`), from the choices against the file's header:
    a column past the header, one with no name or a name an earlier column has (the reader finds columns by
    name), or a field chosen for two columns, refused naming the column."""
    columns: dict[str, str] = {}
    where: dict[str, int] = {}
    first = {}
    for i, name in enumerate(header):
        first.setdefault(name.strip().lower(), i)
    for i, field in sorted(choices.items()):
        place = f"map_{i}"
        if i >= len(header) or i >= MAX_COLUMNS:
            raise ConfigError(f"the file has no column {i + 1}", place=place,
                              hint="choose the columns on the import page again")
        name = header[i]
        if not name.strip():
            raise ConfigError(f"column {i + 1} has no name in the file's header; peri finds a column by its name",
                              place=place, hint="give the column a name in the file's first line, and upload it again")
        if first[name.strip().lower()] != i:
            raise ConfigError(f"column {i + 1} ({name[:40]!r}) has the same name as column "
                              f"{first[name.strip().lower()] + 1}; peri reads the first of them", place=place,
                              hint="choose the first one, or rename one of them in the file")
        if field in where:
            raise ConfigError(f"{field} is chosen for two columns: {header[where[field]][:40]!r} (column "
                              f"{where[field] + 1}) and {name[:40]!r} (column {i + 1})", place=place,
                              hint="each field comes from one column")
        where[field] = i
        columns[field] = name
    return columns


class SampleSet(BaseModel):
    """One set as the reader read it, for the person to see that the columns were chosen right."""

    day: str
    session: str
    exercise: str
    weight: str
    reps: str
    note: str


def sample(parsed: Any) -> list[SampleSet]:
    """The first SAMPLE_SETS sets of the first SAMPLE_SESSIONS sessions of a `ParsedFile`, as logged."""
    from ..log.importers.base import EXERCISE, NOTE, REPS, SECONDS, UNIT, WEIGHT

    out: list[SampleSet] = []
    for sess in parsed.sessions[:SAMPLE_SESSIONS]:
        for st in sess.sets[:SAMPLE_SETS]:
            weight = "" if st[WEIGHT] is None else f"{st[WEIGHT]:g} {st[UNIT] or ''}".strip()
            reps = "" if st[REPS] is None else str(st[REPS])
            if not reps and st[SECONDS] is not None:
                reps = f"{st[SECONDS]:g} s"
            when = sess.started_at.strftime("%Y-%m-%d" if sess.started_at.time() == dt.time() else "%Y-%m-%d %H:%M")
            out.append(SampleSet(day=when, session=sess.name or "",
                                 exercise=str(st[EXERCISE]), weight=weight, reps=reps, note=_cut(st[NOTE] or "")))
    return out
