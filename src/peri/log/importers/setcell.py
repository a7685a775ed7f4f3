"""A whole set written in one cell, read the same way wherever a log writes one.

Hand-kept logs write a set whole: "100 x 8", "100kg x 8", "225 lb x 5", "8 @ 100 kg", "8-10 @ 100", a scheme at a
load "3x8 @ 60", three numbers "60 kg × 5 × 3". Such a cell turns up in a wide sheet's "Set 1".."Set N" columns
(one set per column), and in a Sets, Sets x Reps or Reps column of a log with a row per exercise. Every reader
asks `read_set_cell`, so one cell means one thing everywhere; the symbols and limits are data
(`data/import_vocabulary.yaml` `set_cells`, where the policy is written out):

- the load is the side with a unit or "BW", else the number that cannot be a count (fractional, or over a
  rep count's or a set count's limit); a unit in the cell wins over the file's, a bare load takes the file's;
- the count is read by `base.read_reps` (a range's lower end, "5+" as 5), never higher than the lifter certainly
  did: a cell that reads two ways ("3x8 @ 8": 3 sets at 8 kg, or 3 kg x 8 at RPE 8) refuses its row (listed in
  the report, the rest of the file imports), never guessed;
- "A x B" with two bare counts in a Sets or Reps column stays what it was, a scheme of A sets of B
  (`base.read_reps`), unless A is no count of sets (over `max_sets`: "100 x 8", "12.5 x 10"), when it is a load,
  or B is fractional ("5 x 62.5": 5 reps at 62.5);
- a load beside a scheme, "100 kg 3x8" or "3x8 100 kg", is that many sets at the load (a bare load only where
  it cannot be a count: "100 3x8").

A cell with no whole set in it (a plain count, "8-10", "3x10") gives None: the caller reads it as before.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .base import _BRACKETED, MAX_SETS_IN_CELL, RepsCell, RowRefused, parse_weight, read_reps
from .wide import SetCell, read_cell

# the writings a cell is read as, named in the report
LOAD_REPS, REPS_LOAD, COUNT_AT, SCHEME_AT, THREE = (
    "load x reps", "reps x load", "reps @ load", "sets x reps @ load", "load x reps x sets")

_NUM = r"\d+(?:[.,]\d+)?"
_LOAD = rf"(?:{_NUM}\s*[^\W\d_]*\.?|bw(?:\s*\+\s*{_NUM}\s*[^\W\d_]*\.?)?|bodyweight)"
_WORD = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    from .dialect import vocabulary  # dialect builds on base: imported when a cell needs it

    v = vocabulary()["set_cells"]
    times = "".join(re.escape(t) for t in v["times"])
    at = "".join(re.escape(a) for a in v["at"])
    x = rf"\s*[{times}]\s*"
    return {
        "scheme_at": re.compile(rf"^(\d+){x}(\d[^{at}]*?)\s*[{at}]\s*({_LOAD})$", re.I),
        "count_at": re.compile(rf"^(\d[^{at}]*?)\s*[{at}]\s*({_LOAD})$", re.I),
        "three": re.compile(rf"^({_LOAD}){x}({_LOAD}){x}({_LOAD})$", re.I),
        # "100 kg 3x8", "60kg: 5x5" (a load, then a scheme) and "3x8 100 kg" (a scheme, then a load)
        "load_scheme": re.compile(rf"^({_LOAD})\s*[:,]?\s+(\d+){x}(\d.*)$", re.I),
        "scheme_load": re.compile(rf"^(\d+){x}(\d[^\s{times}]*)\s+({_LOAD})$", re.I),
        "marks": frozenset((times + at).replace("\\", "").lower()),
        "max_rpe": float(v["max_rpe"]), "max_reps": int(v["max_reps"]), "max_sets": int(v["max_sets"]),
    }


def set_cell_columns() -> frozenset[str]:
    """Folded names of a column that holds whole sets when no other column gives a load or reps ("Set")."""
    from .dialect import fold, vocabulary

    return frozenset(fold(str(w)) for w in vocabulary()["set_cells"]["columns"])


def _count(text: str) -> RepsCell | None:
    """One set's count as `read_reps` reads it ("8", "8-10", "5+", "8 reps"), or None."""
    try:
        cell = read_reps(text)
    except ValueError:
        return None
    return cell if cell.reps is not None and not cell.items else None


def _load_kind(text: str) -> str | None:
    """"unit" for a load naming its unit or bodyweight ("100 kg", "BW+10"), "bare" for a plain number, None for
    words that are no weight unit ("5 reps")."""
    t = text.strip()
    if not _WORD.search(t):
        return "bare"
    if t.lower().startswith(("bw", "bodyweight")):
        return "unit"
    try:
        _, unit = parse_weight(t)
    except ValueError:
        return None
    return "unit" if unit is not None else None


def _bare(text: str) -> float:
    return float(text.strip().replace(",", "."))


def _set_count(text: str, rules: dict[str, Any]) -> bool:
    t = text.strip()
    return t.isdigit() and 1 <= int(t) <= rules["max_sets"]


def _heavy(text: str, limit: float) -> bool:
    """A bare number that cannot be a count up to `limit`: fractional or over it."""
    v = _bare(text)
    return v != int(v) or v > limit


def read_set_cell(text: str, *, one_set: bool, row_load: bool = False) -> SetCell | None:
    """The whole set (or identical sets) a cell writes, or None when it writes none (see the module docstring).

    `one_set`: the cell is one set's column ("Set 2"), where "100x5@8" is load x reps at RPE 8 and two bare
    numbers "8x10" are settled for the whole file (`wide.decide_order`); else a Sets or Reps column, where
    "3x10" is a scheme. `row_load`: the row gives its load in its own column, so a bare "A x B" here is no load.
    Raises RowRefused (that row alone is refused and listed) for a cell that reads two ways, ValueError naming
    the cell for one that reads none."""
    s = text.strip()
    if not s or s.isdigit():
        return None
    rules = _rules()
    if not rules["marks"] & set(s.lower()):
        return None
    m = rules["three"].match(s)
    if m is not None:
        return _three(s, [g.strip() for g in m.groups()], rules)
    m = rules["scheme_at"].match(s)
    if m is not None:
        n, count, load = m.group(1), m.group(2).strip(), m.group(3).strip()
        kind = _load_kind(load)
        if _count(count) is not None and _set_count(n, rules) and kind is not None:
            if kind == "unit" or _heavy(load, rules["max_rpe"]):
                return SetCell(a=load, b=count, order="load-reps", sets=int(n), shape=SCHEME_AT)
            if not one_set:
                raise RowRefused(f"set {s[:40]!r} reads two ways: {n} sets of {count} at {load}, or {n} x {count} at "
                                 f"RPE {load}; write the unit ({n}x{count} @ {load} kg) or 'RPE {load}'")
    for name, order in (("load_scheme", (0, 1, 2)), ("scheme_load", (2, 0, 1))):
        m = rules[name].match(s)
        if m is not None:
            load, n, count = (m.group(i + 1).strip() for i in order)
            kind = _load_kind(load)
            if (_set_count(n, rules) and _count(count) is not None
                    and (kind == "unit" or kind == "bare" and _heavy(load, rules["max_reps"]))):
                return SetCell(a=load, b=count, order="load-reps", sets=int(n), shape=SCHEME_AT)
    m = rules["count_at"].match(s)
    if m is not None:
        count, load = m.group(1).strip(), m.group(2).strip()
        if _count(count) is not None and _load_kind(load) is not None:
            return SetCell(a=count, b=load, order="reps-load", shape=COUNT_AT)
    c = read_cell(s)  # "100x5", "100 kg x 5", "BWx12", "100x8-10", "5@100", "100x5@8"
    if c is None:
        return None
    # the writing named in the report: "5 x 100 kg" reps x load, "100x5" load x reps ("5@100" is `count_at`'s)
    shape = REPS_LOAD if c.order == "reps-load" else LOAD_REPS
    if one_set or c.order != "either":
        return replace(c, shape=shape)
    # two bare numbers in a Sets or Reps column: a scheme ("3x10"), unless the first is no count of sets; a
    # fractional second number is no count of reps: "5 x 62.5" is 5 reps at 62.5
    if _set_count(c.a, rules) and _heavy(c.b, rules["max_reps"]) and _bare(c.b) != int(_bare(c.b)):
        return replace(c, order="reps-load", shape=REPS_LOAD)
    if _set_count(c.a, rules) or not _heavy(c.a, rules["max_sets"]) or _count(c.b) is None:
        return None
    if row_load and c.a.isdigit() and int(c.a) <= MAX_SETS_IN_CELL:
        return None  # the row's weight column holds the load: "12 x 10" is a scheme there, as `read_reps` reads it
    return replace(c, order="load-reps", shape=shape)


def _three(s: str, parts: list[str], rules: dict[str, Any]) -> SetCell:
    """"60 kg × 5 × 3" (load x reps x sets) or "3 x 5 x 100 kg" (sets x reps x load)."""
    kinds = [_load_kind(p) for p in parts]
    if None in kinds:
        raise ValueError(f"set {s[:40]!r}: {parts[kinds.index(None)]!r} is no load and no count")
    loads = [i for i, k in enumerate(kinds) if k == "unit"]
    if not loads:
        loads = [i for i, p in enumerate(parts) if _heavy(p, rules["max_reps"])]
    if loads == [0]:
        load, reps, n = parts
    elif loads == [2]:
        n, reps, load = parts
    else:
        raise RowRefused(f"set {s[:40]!r}: three numbers, and which is the load cannot be told (load x reps x sets "
                         "is read with the load first, sets x reps x load with it last)")
    if not _set_count(n, rules) or _count(reps) is None:
        raise ValueError(f"set {s[:40]!r}: {reps!r} x {n!r} is no count of reps and of sets")
    return SetCell(a=load, b=reps, order="load-reps", sets=int(n), shape=THREE)


def remark_of(text: str) -> str | None:
    """The words a reps cell holds in brackets ("10 (assisted)" -> "assisted"), or None. Cheap on plain counts."""
    if "(" not in text and "[" not in text:
        return None
    try:
        remark = read_reps(text).remark
    except ValueError:
        return None
    if remark is None:
        return None
    # the words whole: `read_reps` shortens its remark for the report, the note keeps what the lifter wrote
    m = _BRACKETED.match(text.strip())
    return m.group(2).strip() if m else remark


def with_remark(note: str | None, reps_text: str) -> str | None:
    """A set's note with the words of its reps cell's brackets kept ("10 (aggravated my shoulder)"): they are
    what the lifter said about that set, so they go where the set's note goes (and on to its annotations)."""
    remark = remark_of(reps_text)
    if remark is None:
        return note
    if note is None:
        return remark
    return note if remark in note else f"{note}; {remark}"
