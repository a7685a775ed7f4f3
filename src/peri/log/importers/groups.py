"""A log of a row per workout, its exercises side by side in numbered groups of columns.

StrongLifts 5x5's older export writes a workout per row, each exercise a group of columns after the workout's
own: `Date,Note,Workout,Body Weight,Exercise 1,Weight (KG),Weight (LB),Set 1,...,Set 5,Exercise 2,Weight (KG),
...` (the layout of its export before the current one, as a public importer's fixture writes it:
wayneschuller/strengthjourneys scripts/validate-import-contract.mjs @a9fdaf39a55920c10dff95dd4f93f6135e7942cc,
read 2026-12-02). Hand-kept sheets do the same: `Date,Exercise 1,Weight 1,Reps 1,Exercise 2,Weight 2,Reps 2`.

`ungroup` turns such a table into a row per exercise, before the generic reader sees it: the columns before the
first group (the workout's: date, note, name) then the group's columns, its exercise column named `Exercise`
and the group's number taken off the names that carry it in every group ("Weight 2" -> "Weight"; "Set 1".."Set
5" are set numbers, the same in every group, and stay). Each row keeps its line number; an empty group (a
workout of fewer exercises) gives no row. The reader then reads each row as it reads any other (a wide sheet's
`Set N` columns, a load column, ...).

A group starts at a column named an exercise word and a number (`Exercise 1`, `Lift 2`, `Übung 3`), numbered
1, 2, 3... in order; the groups must hold the same columns (the numbers aside). Anything else is no grouped log
and passes untouched.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Table
from .dialect import fold, generic_field

_NUMBERED = re.compile(r"^(.*?)\s*(\d+)$")


def _numbered(name: str) -> tuple[str, int] | None:
    m = _NUMBERED.match(fold(name))
    return (m.group(1), int(m.group(2))) if m and m.group(1) else None


def ungroup(table: Table) -> str | None:
    """Reshape a grouped table in place (see the module docstring); the report's note, or None (untouched)."""
    starts = []
    for i, h in enumerate(table.header):
        found = _numbered(h)
        if found is not None and generic_field(found[0]) == "exercise" and found[1] == len(starts) + 1:
            starts.append(i)
    if len(starts) < 2:
        return None
    bounds = [*starts, len(table.header)]
    groups = [list(range(a, b)) for a, b in zip(bounds, bounds[1:])]
    names = [[fold(table.header[i]) for i in g] for g in groups]
    shape = _shape(names)
    if shape is None:
        return None
    common = list(range(starts[0]))
    header = [table.header[i] for i in common] + ["Exercise"] + [_base(table.header[i], shape[k]) for k, i in
                                                                 enumerate(groups[0][1:], start=1)]
    width = len(header)
    table.rows = _rows(table.rows, common, groups, width)
    table.header = header
    table.raw_header = list(header)
    table.width = width
    return (f"a row per workout with {len(groups)} exercises side by side ({table.header[len(common)]!r} "
            f"groups from column {starts[0] + 1}): read as a row per exercise, each group's columns under one header")


def _shape(names: list[list[str]]) -> list[bool] | None:
    """For each position of a group, whether its name carries the group's number; None when the groups differ."""
    if len({len(g) for g in names}) != 1:
        return None
    numbered = []
    for k in range(len(names[0])):
        parts = [_numbered(g[k]) for g in names]
        carries = all(p is not None and p[1] == n for n, p in enumerate(parts, start=1))
        if carries:
            if len({p[0] for p in parts if p is not None}) != 1:
                return None
        elif len({g[k] for g in names}) != 1:
            return None  # the same position names different columns: not the same group repeated
        numbered.append(carries)
    return numbered


def _base(name: str, carries: bool) -> str:
    return _NUMBERED.match(name.strip()).group(1).strip() if carries else name  # type: ignore[union-attr]


def _rows(rows: Iterator[tuple[int, list[str]]], common: list[int], groups: list[list[int]],
          width: int) -> Iterator[tuple[int, list[str]]]:
    for line, row in rows:
        head = [row[i] if i < len(row) else "" for i in common]
        emitted = False
        for g in groups:
            cells = [row[i] if i < len(row) else "" for i in g]
            if not cells[0].strip():
                continue
            emitted = True
            yield line, (head + cells + [""] * width)[:width]
        if not emitted:
            yield line, (head + [""] * width)[:width]  # a row of no exercise: the reader says what it is
