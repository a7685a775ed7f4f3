"""A generic log's CSV with an unquoted comma in a name, re-saved by a spreadsheet as a workbook.

A CSV row "2024-03-01,Press (Each Side, Dumbbells),20,10," has one field too many: read as CSV it is a row too
long, and `generic_csv._rejoined` joins the name back. Opened in a spreadsheet and saved as a workbook, the
name is split into two cells and the empty cell pushed off the row's end is dropped, so the row has the
header's width and nothing shows the split: the load column holds " Dumbbells)" and the row does not read.

`unhide` puts such a row back: a free-text cell joined with the next one and the cells after it moved back one
place (the dropped empty cell returned at the end), only for a row of a sheet that does not read as it is and
reads so, and only when one free-text column gives such a reading (never two readings to choose from).
FitNotes' own reader does the same for its layout (`fitnotes._hidden_comma`).
"""
from __future__ import annotations

from collections.abc import Callable

def from_sheet(warnings: list[str]) -> bool:
    """Whether the table was read from a workbook's sheet (its note comes first in the table's warnings)."""
    return bool(warnings) and warnings[0].startswith("read sheet ") or any(
        w.startswith("read ") and " sheets of the workbook" in w for w in warnings[:1])


def unhide(row: list[str], text_columns: list[int], reads: Callable[[list[str]], bool]) -> list[str] | None:
    """The row with a hidden split joined back (see the module docstring), or None: the row reads as it is,
    its last cell is not empty-able (it held data the shift would lose), or no single reading fits."""
    if not row or reads(row):
        return None
    fits = []
    for c in sorted(text_columns):
        if c + 1 >= len(row) or not row[c].strip() or not row[c + 1].strip():
            continue
        candidate = row[:c] + [f"{row[c]},{row[c + 1]}"] + row[c + 2:] + [""]
        if reads(candidate):
            fits.append(candidate)
    return fits[0] if len(fits) == 1 else None
