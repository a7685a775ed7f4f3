"""Logs written as blocks rather than one table: a session line, then per exercise a title line, a column line
and one line per set - Alpha Progression's CSV export (`;`, decimal commas):

    "Legs · Day 2 · Week 4 · Push-Pull-Legs";"2026-02-19 4:54 h";"1:02 hr"
    "1. Hack Squats · Machine · 8 reps";"WU1 · 37,5 kg · 9 reps<br>WU2 · 72,5 kg · 7 reps"
    #;KG;REPS;RIR
    1;115;8;1
    2;102,5;6;0

    "Push · Day 1 · Week 5 · Push-Pull-Legs";"2026-02-21 17:10 h";"0:58 hr"
    ...

(layout from a public parser's format notes, 2026-12-01). The column line names the unit (KG or LBS) and
what each column is; warm-ups listed in the title line are sets too (set type warmup, before the working
sets); "+35" is 35 added to bodyweight, "+0" bodyweight alone. `peri import csv` reads a file this way when its
first line is a session line (a name and a date) and a column line like `#;KG;REPS` follows.
"""
from __future__ import annotations

import re
from typing import Any

from .base import (
    ParsedFile,
    ParsedSession,
    Problems,
    Table,
    parse_datetime,
    parse_number,
    RowRefused,
    table_rows,
    to_kg,
    weight_unit,
)

_EXERCISE = re.compile(r"^\s*\d+\s*[.)]\s*(.+)$")
_WARMUP = re.compile(r"^\s*W\w*\s*\d*\s*·\s*\+?([\d.,]+)\s*([^\d\s·]+)\s*·\s*(\d+)\s*\w*\s*$", re.I)
_SET_NUMBER = {"#", "set", "satz", "serie", "série", "no", "nr"}
_REPS_WORDS = {"reps", "rep", "wdh", "wiederholungen", "reps.", "répétitions", "repeticiones", "ripetizioni"}
_RIR_WORDS = {"rir"}
_RPE_WORDS = {"rpe"}


def looks_like_blocks(table: Table) -> bool:
    """The first line is a session line (a date among its first cells) and a column line such as `#;KG;REPS`
    follows within the first rows."""
    if not 2 <= len(table.header) <= 4 or not any(_is_date(c) for c in table.header[1:3]):
        return False
    head = _peek(table, 40)
    return any(_columns(row) is not None for _, row in head)


def _peek(table: Table, n: int) -> list[tuple[int, list[str]]]:
    import itertools

    head = list(itertools.islice(table.rows, n))
    table.rows = itertools.chain(head, table.rows)
    return head


def _is_date(text: str) -> bool:
    try:
        parse_datetime(text)
    except ValueError:
        return False
    return True


def _columns(row: list[str]) -> dict[str, Any] | None:
    """A column line ['#', 'KG', 'REPS', 'RIR'] -> {'weight': 1, 'unit': 'kg', 'reps': 2, 'rir': 3}."""
    cells = [c.strip().lower() for c in row]
    if len(cells) < 3 or cells[0] not in _SET_NUMBER:
        return None
    out: dict[str, Any] = {}
    for i, c in enumerate(cells[1:], start=1):
        try:
            unit = weight_unit(c)
        except ValueError:
            unit = None
        if unit is not None:
            out["weight"], out["unit"] = i, unit
        elif c in _REPS_WORDS:
            out["reps"] = i
        elif c in _RIR_WORDS:
            out["rir"] = i
        elif c in _RPE_WORDS:
            out["rpe"] = i
    return out if "reps" in out else None


def _load(text: str) -> float | None:
    """'102,5' -> 102.5; '+35' (added to bodyweight) -> 35.0; '+0' and '' -> None (bodyweight alone)."""
    value = parse_number(text.strip().lstrip("+"), "weight", low=0, high=5000)
    return value or None


def parse_blocks(table: Table, out: ParsedFile, source: str = "csv") -> None:
    """Fill `out.sessions` from a block-structured file (see the module docstring); row problems are collected
    and raised as one ImportFormatError naming the first line."""
    problems = Problems(table.path)
    session = _session(table.header, 1, source)
    sessions = [session] if session else []
    exercise: str | None = None
    cols: dict[str, Any] | None = None
    order: dict[str, int] = {}

    def add(ex: str, weight: float | None, unit: str | None, reps: int | None, rir: float | None,
            rpe: float | None, set_type: str) -> None:
        s = sessions[-1]
        n = order[ex] = order.get(ex, 0) + 1
        u = unit if weight else None
        s.sets.append([ex, None, n, weight, u, to_kg(weight, u), reps, rpe, rir, None, None, set_type, None])

    for line, row in table_rows(table, out, None):
        cells = [c.strip() for c in row]
        try:
            found = _columns(cells)
            if found is not None:
                cols = found
                continue
            if cols is not None and cells[0].isdigit() and exercise is not None and sessions:
                weight = _load(cells[cols["weight"]]) if "weight" in cols else None
                reps = out.reps(cells[cols["reps"]], line)
                rir = parse_number(cells[cols["rir"]], "RIR", low=0, high=10) if "rir" in cols else None
                rpe = parse_number(cells[cols["rpe"]], "RPE", low=0, high=10) if "rpe" in cols else None
                add(exercise, weight, cols.get("unit"), reps, rir, rpe, "normal")
                continue
            m = _EXERCISE.match(cells[0])
            if m and sessions:
                parts = [p.strip() for p in m.group(1).split("·")]
                exercise = parts[0] + (f" ({parts[1]})" if len(parts) > 2 else "")
                cols = None
                for warm in (cells[1].split("<br>") if len(cells) > 1 else []):
                    w = _WARMUP.match(warm)
                    if w:
                        add(exercise, _load(w.group(1)), weight_unit(w.group(2)), int(w.group(3)), None, None,
                            "warmup")
                continue
            new = _session(cells, line, source)
            if new is not None:
                sessions.append(new)
                exercise, cols = None, None
                order.clear()  # sets are numbered within a session
                continue
            problems.add(line, f"a line that is no session, exercise, column or set line: {';'.join(cells)[:60]!r}")
        except RowRefused as e:
            out.refused.append(f"{table.path}:{line}: {e}")
        except ValueError as e:
            problems.add(line, str(e))
    problems.raise_if_any()
    out.sessions = [s for s in sessions if s.sets]


def _session(cells: list[str], line: int, source: str) -> ParsedSession | None:
    """A session line: a name, then its date among the next two cells."""
    if len(cells) < 2 or not cells[0].strip():
        return None
    for c in cells[1:3]:
        if _is_date(c):
            name = cells[0].strip()
            return ParsedSession(started_at=parse_datetime(c), name=name, duration_s=None, notes=None, source=source,
                                 line=line)
    return None
