"""Headers of two rows, as spreadsheets and some apps write them, read as the one header they are.

`read_table` takes the first record of two cells or more for the header. Two shapes put the column names
elsewhere:

- a row above the names: group labels over the columns (`Workout,,,Set,,`), or a block of metadata written as
  label and value (`Athlete,Jane`, `Exported,2024-03-05`). The names are the first of the next records that
  names a date column and another column peri reads (or an app's own columns), where the record taken for the
  header names neither; the records above it are left unread and said in the report. A log of blocks (a session
  line, then a column line without a date: Alpha Progression, Gymaholic) keeps its first line: its column lines
  name no date.
- a row of units under the names (`Date,Exercise,Weight,Reps` then `,,kg,`): each unit joins its column's name
  (`Weight (kg)`, which states the unit), and the row is no set.
- a row of names under group labels (`Date,Exercise,Set 1,,Set 2,` then `,,Weight,Reps,Weight,Reps`): each name
  joins the label over it, carried across the merged cells (`Set 1 Weight`, `Set 1 Reps`, `Set 2 Weight`...).

A set's columns written again for each set under the same names (`Weight,Reps,Weight,Reps`, with or without
labels over them) are numbered in their order (`Set 1 Weight`, `Set 1 Reps`, `Set 2 Weight`...): read by name,
only the first of each would be read and the other sets lost without a word.

Both are settled once, before the format is detected (`detect_format`, `parse_file`); the report says what was
done, naming the lines.
"""
from __future__ import annotations

import itertools
import re

from .base import Table, weight_unit
from .dialect import fold, generic_field, which_format

MAX_ABOVE = 10  # records looked at below the one taken for the header
# units a row under the header may write, besides the weight units `weight_unit` knows
_OTHER_UNITS = frozenset({"km", "mi", "miles", "m", "meters", "metres", "yd", "s", "sec", "secs", "seconds", "min",
                          "mins", "minutes", "h", "reps", "rep", "%", "rpe", "rir"})
_BRACKETS = re.compile(r"^[(\[]\s*(.*?)\s*[)\]]$")


def _fields(row: list[str]) -> list[str]:
    return [f for f in (generic_field(c) for c in row if c.strip()) if f is not None]


def _names_a_log(row: list[str]) -> bool:
    """A record that names a log's columns: an app's own, or a date column and another peri reads."""
    if which_format(row) is not None:
        return True
    fields = _fields(row)
    return "date" in fields and len(set(fields)) >= 2


def settle_header(table: Table) -> str | None:
    """Move `table`'s header to the record that names its columns, and join a row of units under it into the
    names (see the module docstring). The report's note, or None where the header was right (rows untouched)."""
    notes = []
    if not _names_a_log(table.header) and "date" not in _fields(table.header):
        peek = list(itertools.islice(table.rows, MAX_ABOVE))
        found = next((i for i, (_, row) in enumerate(peek) if _names_a_log(row)), None)
        if found is None:
            table.rows = itertools.chain(peek, table.rows)
        else:
            line, row = peek[found]
            skipped = [table.header] + [r for _, r in peek[:found]]
            table.above.extend(skipped)
            width = len(row)
            header = [c.strip().lstrip("\ufeff") for c in row]
            while len(header) > 1 and not header[-1]:
                header.pop()
            table.header, table.raw_header, table.width = header, list(header), width
            table.rows = itertools.chain(peek[found + 1:], table.rows)
            first = next((c.strip() for r in skipped for c in r if c.strip()), "")
            notes.append(f"the column names are on line {line}: {len(skipped)} rows above them were not read "
                         f"(such as {first[:40]!r})")
    units = _unit_row(table)
    if units:
        notes.append(units)
    sub = _sub_header(table)
    if sub:
        notes.append(sub)
    numbered = _number_repeats(table)
    if numbered:
        notes.append(numbered)
    if not notes:
        return None
    table.warnings.extend(notes)
    return "; ".join(notes)


def _weight_unit(text: str) -> str | None:
    try:
        return weight_unit(text)
    except ValueError:
        return None


def _unit(cell: str) -> str | None:
    """The unit a cell under a column name writes ("kg", "(lbs)", "sec"), or None for anything else."""
    text = cell.strip()
    m = _BRACKETS.match(text)
    if m:
        text = m.group(1)
    if not text:
        return None
    if len(text) <= 12 and (_weight_unit(text) is not None or fold(text) in _OTHER_UNITS):
        return text
    return None


def _unit_row(table: Table) -> str | None:
    first = next(table.rows, None)
    if first is None:
        return None
    line, row = first
    filled = [(i, c) for i, c in enumerate(row) if c.strip()]
    units = [(i, _unit(c)) for i, c in filled]
    if (not filled or any(u is None for _, u in units) or not any(_weight_unit(u or "") for _, u in units)
            or any(i >= len(table.header) or not table.header[i].strip() for i, _ in units)):
        table.rows = itertools.chain([first], table.rows)
        return None
    for i, u in units:
        table.header[i] = f"{table.header[i]} ({u})"
    table.raw_header = list(table.header)
    return (f"line {line} writes the units under the column names: read as "
            + ", ".join(repr(table.header[i]) for i, _ in units))


def _label_under(header: list[str]) -> list[str]:
    """Each column's label as a merged cell shows it: the nearest label at or to the left of it."""
    out, last = [], ""
    for h in header:
        last = h.strip() or last
        out.append(last)
    return out


def _sub_header(table: Table) -> str | None:
    """A row of column names under a row of group labels: joined into one header (see the module docstring)."""
    first = next(table.rows, None)
    if first is None:
        return None
    line, row = first
    filled = [(i, c.strip()) for i, c in enumerate(row) if c.strip()]
    ok = len(filled) >= 2 and all(generic_field(c) is not None and not any(ch.isdigit() for ch in c)
                                  for _, c in filled)
    header = table.header + [""] * max(0, len(row) - len(table.header))
    # a name under a column that names a field itself is no sub-name: that row is read as it is
    ok = ok and all(not header[i].strip() or generic_field(header[i]) is None for i, _ in filled)
    ok = ok and any(not header[i].strip() for i, _ in filled)  # at least one fills a merged cell
    if not ok:
        table.rows = itertools.chain([first], table.rows)
        return None
    labels = _label_under(header)
    repeats = {fold(c) for _, c in filled if sum(fold(d) == fold(c) for _, d in filled) > 1}
    for i, c in filled:
        # names again for each set ("Weight, Reps, Weight, Reps" under "Top set", "Back-off"): the sets in their
        # order (`_number_repeats`), whatever the labels call them; a name alone joins its label
        header[i] = c if fold(c) in repeats else f"{labels[i]} {c}".strip()
    table.header, table.raw_header = header, list(header)
    return (f"line {line} names the columns under the labels above: read as "
            + ", ".join(repr(header[i]) for i, _ in filled[:4]) + (" ..." if len(filled) > 4 else ""))


def _number_repeats(table: Table) -> str | None:
    """Set fields named again for each set (`Weight,Reps,Weight,Reps`): numbered `Set N <name>` in order."""
    from .wide import SET_FIELDS

    names = [fold(h) for h in table.header]
    counts: dict[str, int] = {}
    for name in names:
        if name:
            counts[name] = counts.get(name, 0) + 1
    repeated = {n for n, k in counts.items() if k >= 2}
    fields = {n: generic_field(h) for h, n in zip(table.header, names) if n in repeated}
    if not repeated or any(f is None for f in fields.values()):
        return None  # a name peri does not read, written twice: left as it is
    # the exercise written again too ("Exercise, Weight, Reps, Exercise, Weight, Reps"): a group per exercise,
    # numbered as `groups` reads them ("Exercise 1", "Weight 1"); else a group per set ("Set 1 Weight")
    per_exercise = any(f not in SET_FIELDS for f in fields.values())
    seen: dict[str, int] = {}
    header = list(table.header)
    for i, name in enumerate(names):
        if name in repeated:
            seen[name] = seen.get(name, 0) + 1
            h = table.header[i].strip()
            header[i] = f"{h} {seen[name]}" if per_exercise else f"Set {seen[name]} {h}"
    was = list(dict.fromkeys(table.header[i].strip() for i, n in enumerate(names) if n in repeated))
    table.header, table.raw_header = header, list(header)
    what = "exercise" if per_exercise else "set"
    read_as = ", ".join(repr(header[i]) for i, n in enumerate(names) if n in repeated)
    return (f"the columns {', '.join(map(repr, was))} are written once per {what}: read as {what}s 1 to "
            f"{max(seen.values())} in their order ({read_as[:100]})")
