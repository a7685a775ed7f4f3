"""Wide sheets: one row per exercise per session, its sets spread across numbered columns.

People who log in a spreadsheet rarely write one row per set. They write a row per exercise and a group of
columns per set, in one of these shapes (seen in training templates; the words are peri's generic column
vocabulary, `data/import_vocabulary.yaml`, so every language and spelling it knows works here too):

- a group of columns per set: `Set 1 Weight, Set 1 Reps, Set 2 Weight, Set 2 Reps ...` (also `Weight 1`,
  `Reps 1`, `S1 Reps`, `Set1_kg`, `1st set reps`, `Satz 1 Gewicht`), optionally with the set's RPE or RIR;
- one cell per set: `Set 1, Set 2, Set 3` holding `100x5`, `100 kg x 5`, `5@100`, `5 reps @ 100`,
  `100x5@8` (load x reps @ RPE), `BWx12`;
- one cell per set holding a bare number, with the row's other number in a plain column: `Weight, Set 1,
  Set 2` (the reps of each set at the row's load) or `Reps, Set 1, Set 2` (the load of each set).

`find_groups(header)` finds the groups (at least two set numbers, each naming a set field); `SetCell` reads one
cell; `decide_order` settles, for the whole file, whether `A x B` means load x reps (the usual writing) or
reps x load (when the file's own numbers say so). Each filled group becomes one set; an empty group is no set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .base import parse_number, parse_reps, parse_weight, read_reps, single_reps
from .dialect import fold, generic_field

# fields a numbered column may hold; "cell" is a whole set in one cell ("100x5")
SET_FIELDS = frozenset({"weight", "weight_kg", "weight_lb", "reps", "rpe", "rir", "seconds", "note", "cell"})
# the word "set" in the languages of the import vocabulary (English, German, French, Spanish, Italian,
# Portuguese, Dutch, Russian, Croatian): standard translations, a second signal as everywhere in that file
_SET_WORD = r"(?:sets?|satz|saetze|satze|series?|serie|podhod|подход|serija|serije)"
# "Set 1 Weight", "Set #2 - Reps", "set3_kg", "Satz 1 Gewicht", "Set 1" alone
_LEADING = re.compile(rf"^{_SET_WORD}\s*(?:#|no\.?|nr\.?|n°)?\s*(\d{{1,2}})(?![\d])\s*[-_:.)]*\s*(.*)$", re.I)
# "S1 Reps", "s2_weight" (a set letter needs a field after it)
_LETTER = re.compile(r"^s(\d{1,2})[\s_\-.:]+(\S.*)$", re.I)
# "1st set reps", "2nd set"
_ORDINAL = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th|\.)?\s*{_SET_WORD}\b\s*[-_:.)]*\s*(.*)$", re.I)
# "Weight 1", "Reps_2", "Weight (Set 3)", "kg3": a field, then the set's number (needs a field word)
_TRAILING = re.compile(rf"^(.*?\S)[\s_\-#.]*(?:\(?\s*{_SET_WORD}\s*)?(\d{{1,2}})\s*\)?$", re.I)
_EXTRA = {"wt": "weight", "weights": "weight", "load": "weight", "repetitions": "reps", "kilos": "weight_kg",
          "time": "seconds", "secs": "seconds", "duration": "seconds", "hold": "seconds"}


@dataclass
class SetGroup:
    """The columns of one numbered set: field -> column index."""

    number: int
    columns: dict[str, int] = field(default_factory=dict)


def _field_of(rest: str) -> str | None:
    text = rest.strip(" -_:.()[]")
    if not text:
        return "cell"
    key = fold(text)
    name = _EXTRA.get(key) or generic_field(text)
    return name if name in SET_FIELDS else None


def _numbered(name: str) -> tuple[int, str] | None:
    """(set number, field) for a numbered set column's name, else None."""
    text = name.strip()
    if not text:
        return None
    for pattern in (_LEADING, _LETTER, _ORDINAL):
        m = pattern.match(text)
        if m:
            f = _field_of(m.group(2))
            return (int(m.group(1)), f) if f is not None else None
    m = _TRAILING.match(text)
    if m:
        f = _field_of(m.group(1))
        if f is not None and f != "cell":
            return int(m.group(2)), f
    return None


def find_groups(header: list[str], taken: set[int] = frozenset()) -> list[SetGroup]:
    """The numbered set groups of a wide sheet's header, in set order; [] when the header is not one.

    A sheet is wide when at least two set numbers each name a set field; a lone "Weight 2" is no layout.
    Columns in `taken` (named by a --map) are left out.
    """
    groups: dict[int, SetGroup] = {}
    for i, name in enumerate(header):
        if i in taken:
            continue
        found = _numbered(name)
        if found is None:
            continue
        number, f = found
        g = groups.setdefault(number, SetGroup(number))
        if f in g.columns:  # the same field twice for one set: not a layout this reads
            return []
        g.columns[f] = i
    out = [groups[n] for n in sorted(groups)]
    # at least two sets must log a load or reps: two "Note 1, Note 2" columns are no set layout
    if sum(1 for g in out if g.columns.keys() & {"weight", "weight_kg", "weight_lb", "reps", "cell"}) < 2:
        return []
    # "cell" and separate fields for one set would say the same thing twice
    if any("cell" in g.columns and len(g.columns) > 1 and not set(g.columns) <= {"cell", "rpe", "rir", "note"}
           for g in out):
        return []
    return out


def group_columns(groups: list[SetGroup]) -> set[int]:
    return {i for g in groups for i in g.columns.values()}


# --- one cell holding a whole set ------------------------------------------------------------------
_NUM = r"\d+(?:[.,]\d+)?"
_LOAD = rf"(?:{_NUM}\s*[^\W\d_]*\.?|bw(?:\s*\+\s*{_NUM}\s*[^\W\d_]*\.?)?|bodyweight)"
# "100x5", "100 kg x 5", "BWx12", "100x5@8", "100 x 5 reps"
_TIMES = re.compile(rf"^\s*({_LOAD})\s*[x×*]\s*({_LOAD})\s*(?:reps?)?\s*(?:@\s*(?:rpe\s*)?({_NUM}))?\s*$", re.I)
# "5@100", "5 reps @ 100 kg", "5 @ BW"
_AT = re.compile(rf"^\s*(\d+)\s*(?:reps?)?\s*@\s*({_LOAD})\s*$", re.I)


_REPS_WORD = re.compile(r"\s*(?:reps?|wdh\.?|wh)$", re.I)


@dataclass
class SetCell:
    """A set read from one cell. `order` is "load-reps" (100x5), "reps-load" (5@100) or "either" (two bare
    numbers around an x, settled for the whole file by `decide_order`)."""

    a: str
    b: str
    order: str
    rpe: float | None = None
    # how many identical sets the cell stands for ("3x8 @ 60", "60 kg x 5 x 3": `setcell.read_set_cell`), and
    # the writing it was read as, for the report ("" for the one-set writings read here)
    sets: int = 1
    shape: str = ""


def read_cell(text: str) -> SetCell | None:
    """The set in a one-cell-per-set column, or None for anything that is no whole set (a bare value, which
    the caller reads with the row's Weight or Reps column, and which names the cell when it is not a number).
    Raises ValueError for a unit on both sides of the x."""
    s = text.strip()
    m = _AT.match(s)
    if m:
        return SetCell(a=m.group(1), b=m.group(2), order="reps-load")
    m = _LOAD_X_COUNT.match(s)
    if m:  # "100x8-10", "60 kg x 10/side", "100x5+": a load, then a count written as only `read_reps` reads it
        try:
            count = read_reps(m.group(2))
        except ValueError:
            count = None
        if count is not None and count.kinds and not count.items and count.reps is not None:
            return SetCell(a=m.group(1).strip(), b=m.group(2).strip(), order="load-reps")
    m = _TIMES.match(s)
    if m:
        a, b = m.group(1).strip(), m.group(2).strip()
        rpe = parse_number(m.group(3), "rpe", low=0, high=10) if m.group(3) else None
        counted = _REPS_WORD.sub("", b)
        if counted != b:  # "100 x 5 reps": the count is the side with the word
            return SetCell(a=a, b=counted, order="load-reps", rpe=rpe)
        a_unit, b_unit = _has_word(a), _has_word(b)
        if a_unit and not b_unit:
            order = "load-reps"
        elif b_unit and not a_unit:
            order = "reps-load"
        elif a_unit and b_unit:
            raise ValueError(f"set {s[:40]!r} has a unit on both sides of the x")
        else:
            order = "either"
        return SetCell(a=a, b=b, order=order, rpe=rpe)
    return None


# a load, an x, then anything: the right side is read as a reps cell (ranges, "5+", per side)
_LOAD_X_COUNT = re.compile(rf"^\s*({_LOAD})\s*[x×*]\s*(\d.*?)\s*$", re.I)


def _has_word(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]", text))


def _reps_like(x: str) -> bool:
    v = parse_number(x, "number") if not _has_word(x) else None
    return v is not None and v == int(v) and v <= 30


def _own_order(c: SetCell) -> str | None:
    """The order a cell shows by itself: the side that cannot be a rep count (fractional, over 30) is the load."""
    if c.order != "either":
        return c.order
    a, b = _reps_like(c.a), _reps_like(c.b)
    if a and not b:
        return "reps-load"
    if b and not a:
        return "load-reps"
    if not a and not b:
        raise ValueError(f"set {c.a}x{c.b}: neither number is a rep count (a whole number up to 30)")
    return None


def decide_order(cells: list[SetCell]) -> tuple[str, str | None]:
    """How a file writes "A x B" when neither side carries a unit and both could be a rep count (8x10): load x
    reps, the usual writing (100x5), unless the file's other cells show reps first (5x100) and none shows
    load first. Returns that order and the report's note when it is reps first."""
    votes = {"load-reps": 0, "reps-load": 0}
    example = None
    for c in cells:
        if c.order == "either":
            own = _own_order(c)
            if own is not None:
                votes[own] += 1
                example = example or (c if own == "reps-load" else None)
    if votes["reps-load"] and not votes["load-reps"] and example is not None:
        return "reps-load", (f"cells like {example.a}x{example.b} read as reps x load: in {votes['reps-load']} cells "
                             "the first number is a whole number up to 30 and the second cannot be a rep count")
    return "load-reps", None


def resolve_cell(c: SetCell, order: str) -> tuple[float | None, str | None, int | None]:
    """(load, the unit written with it, reps) of a cell, in the file's order."""
    own = _own_order(c)
    load, reps = (c.a, c.b) if (own or order) == "load-reps" else (c.b, c.a)
    weight, unit = parse_weight(load)
    return weight, unit, single_reps(reps)
