"""A whole set written in the Reps column of an app's export (Strong, Hevy, FitNotes): "62.5 x 8", "100kg x 5".

An app writes a plain count there; a person who mends or extends an export by hand in a spreadsheet (a set the
app missed, a load corrected) writes the set as lifters do, whole. The generic reader reads such cells already
(`setcell.read_set_cell`); here the same reading is given to the apps' readers, without touching them: before a
reader sees a row, `split_whole_sets` wraps the table's rows so that a Reps cell holding one whole set is split
into its count (left under Reps) and its load (written into the row's weight column, its unit with it when the
cell names one), and the reader reads the row as it reads any other.

- The weight column empty (or 0): the cell's load is the set's load.
- The weight column holding the same load (in kg, within rounding): read once.
- A different load: the row is refused and listed (the same set's load reads two ways), never guessed.
- A cell of several sets ("3x8 @ 60", "60 kg x 5 x 3") in this layout of a row per set: the row is refused
  and listed, as a "8,8,7" reps cell already is (`base.ParsedFile.reps`).

A cell that is no whole set ("8", "8-10", "AMRAP", "3x10": a scheme) passes unchanged, so every file without
such cells reads exactly as before. The report counts the cells read so, with the first place.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .base import RowRefused, Table, parse_weight, to_kg
from .dialect import fold

APPS = ("strong", "hevy", "fitnotes")
_REPS = {"reps"}
# weight columns of the apps' layouts (folded, after `dialect` has rewritten a localised header), with the unit
# the name states (None: the row's unit column or the file's)
_WEIGHTS = {"weight": None, "weight kg": "kg", "weight kgs": "kg", "kg": "kg", "kgs": "kg",
            "weight lbs": "lb", "weight lb": "lb", "lbs": "lb", "lb": "lb"}
_UNIT_COLUMN = {"weight unit"}


@dataclass
class WholeSets:
    """What `split_whole_sets` did: cells read (count, first line, first text) and rows refused ("FILE:LINE: why")."""

    path: str
    count: int = 0
    first: tuple[int, str] | None = None
    refused: list[str] = field(default_factory=list)

    def note(self) -> str | None:
        if not self.count or self.first is None:
            return None
        line, text = self.first
        return (f"{self.count} Reps cell{'s' if self.count != 1 else ''} held a whole set (such as {text!r} at "
                f"{self.path}:{line}): read as the set's reps and load, the load into the weight column")


def split_whole_sets(fmt: str, table: Table) -> WholeSets | None:
    """Wrap `table.rows` so that a Reps cell holding one whole set is split into its count and its load (see the
    module docstring). None for a format or header this does not apply to (the rows are left as they are)."""
    if fmt not in APPS:
        return None
    names = [fold(h) for h in table.header]
    reps = next((i for i, n in enumerate(names) if n in _REPS), None)
    weights = [(i, _WEIGHTS[n]) for i, n in enumerate(names) if n in _WEIGHTS]
    if reps is None or not weights:
        return None
    unit_col = next((i for i, n in enumerate(names) if n in _UNIT_COLUMN), None)
    done = WholeSets(table.path)
    table.rows = _split(table.rows, reps, weights, unit_col, done)
    return done


def _split(rows: Iterator[tuple[int, list[str]]], reps: int, weights: list[tuple[int, str | None]],
           unit_col: int | None, done: WholeSets) -> Iterator[tuple[int, list[str]]]:
    from .setcell import read_set_cell

    for line, row in rows:
        cell = row[reps].strip() if reps < len(row) else ""
        if not cell or cell.isdigit() or len(row) <= max(i for i, _ in weights):
            yield line, row
            continue
        target = next(((i, u) for i, u in weights if row[i].strip()), weights[0])
        try:
            row_load = _load(row[target[0]], target[1], row, unit_col)
            whole = read_set_cell(cell, one_set=False, row_load=row_load is not None)
            if whole is None:
                yield line, row
                continue
            if whole.sets != 1:
                raise RowRefused(f"reps {cell[:40]!r} holds {whole.sets} sets in one cell, and this layout has a row "
                                 "per set: the row was not read")
            load_text, count = (whole.a, whole.b) if whole.order == "load-reps" else (whole.b, whole.a)
            if load_text.strip().lower().startswith(("bw", "bodyweight")):
                if "+" in load_text or row_load is not None:
                    raise RowRefused(f"reps {cell[:40]!r} is a bodyweight set, and the row has a load "
                                     f"({row[target[0]].strip()!r}) or adds one this layout has no column for: "
                                     "the row was not read")
                load: tuple[float, str | None] | None = None
            else:
                load = _load(load_text, None, row, unit_col)
        except RowRefused as e:
            done.refused.append(f"{done.path}:{line}: {e}")
            continue
        except ValueError:
            yield line, row  # the reader names the cell, as it did before
            continue
        if row_load is not None and load is not None:
            a = to_kg(row_load[0], row_load[1] or load[1])
            b = to_kg(load[0], load[1] or row_load[1])
            if a is None or b is None or abs(a - b) > 0.05:
                done.refused.append(f"{done.path}:{line}: reps {cell[:40]!r} gives a load of {load_text.strip()}, and "
                                    f"the weight column {row[target[0]].strip()!r}: the same set's load reads two ways, "
                                    "the row was not read")
                continue
        row = list(row)
        if row_load is None and load is not None:
            value, unit = load
            # the cell's unit is written where the column names none, or another one (it wins over the column's name)
            row[target[0]] = f"{value:g} {unit}" if unit and target[1] != unit else f"{value:g}"
        row[reps] = count.strip()
        done.count += 1
        if done.first is None:
            done.first = (line, cell[:40])
        yield line, row


def _load(text: str, column_unit: str | None, row: list[str], unit_col: int | None) -> tuple[float, str | None] | None:
    """(value, unit) of a load cell, None when empty or 0; the unit the cell names, else its column's, else the
    row's unit column's (None: the file's, resolved later)."""
    from .base import weight_unit

    value, unit = parse_weight(text)
    if not value:
        return None
    if unit is None:
        unit = column_unit
    if unit is None and unit_col is not None and unit_col < len(row):
        try:
            unit = weight_unit(row[unit_col])
        except ValueError:
            unit = None
    return value, unit

