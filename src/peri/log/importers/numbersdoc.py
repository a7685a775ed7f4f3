"""Apple Numbers documents (`.numbers`): an iPhone or Mac user's own log, read as the workbook it is.

A `.numbers` file is a ZIP of Apple's IWA files (snappy-compressed protobuf: `Index/Document.iwa`,
`Index/Tables/*.iwa`); `numbers-parser` (PyPI, MIT, https://github.com/masaccio/numbers-parser, read 2026-12-02)
reads its sheets, tables and typed cells. Each table of each sheet is handed to `workbook` like a spreadsheet's
sheet (named "Sheet / Table" where a sheet holds several), so the header search, the sheets that continue a log
and every reader work as for .xlsx: a date cell is a date, a number a number, a duration a clock length, a
formula its computed value, a cell merged down a column fills each row it covers.

`numbers-parser` is an optional dependency (`pip install 'peri[numbers]'`); without it a Numbers document is
refused naming the file, with the package to install and Numbers' own CSV export (File > Export To > CSV) as
the ways. A document whose IWA files expand past `MAX_IWA_BYTES` is refused before any is decompressed (a
log of ten thousand sets is a few MiB), and one the library cannot open (damaged, password-protected) is
refused in one line naming the file, as a damaged workbook is.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from typing import Any

from ...errors import ImportFormatError

MAX_IWA_BYTES = 64 << 20
_HINT = "in Numbers: File > Export To > CSV (or Excel), and import that file"


def is_numbers(names: set[str]) -> bool:
    """Whether a ZIP holding `names` is a Numbers document (its `Index/Document.iwa`)."""
    return "Index/Document.iwa" in names


def numbers_sheets(data: bytes, path: str) -> Iterator[tuple[str, list[list[str]]]]:
    """(name, rows as text) for each table of each sheet of a Numbers document, in the document's order."""
    try:
        import numbers_parser
    except ImportError:
        raise ImportFormatError("this is an Apple Numbers document, and numbers-parser, the package that reads it, "
                                "is not installed", place=path,
                                hint="pip install 'peri[numbers]' and re-run, or " + _HINT) from None
    from .workbook import _trimmed, cell_text

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        iwa = sum(i.file_size for i in z.infolist() if i.filename.endswith(".iwa"))
    if iwa > MAX_IWA_BYTES:
        raise ImportFormatError(f"the Numbers document's data is {iwa >> 20} MiB compressed, over the "
                                f"{MAX_IWA_BYTES >> 20} MiB limit", place=path, hint="not a training log?")
    fd, tmp = tempfile.mkstemp(suffix=".numbers")  # the library opens a path, never bytes
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        doc = numbers_parser.Document(tmp)
        for sheet in doc.sheets:
            tables = list(sheet.tables)
            for table in tables:
                name = sheet.name if len(tables) == 1 else f"{sheet.name} / {table.name}"
                yield name, _trimmed([cell_text(_value(table, cell)) for cell in row] for row in table.rows())
    finally:
        os.unlink(tmp)


def _value(table: Any, cell: Any) -> Any:
    """A cell's value; a cell merged down one column takes its range's first cell's (as a date written once
    beside a session's rows); an error cell ("#DIV/0!") is empty."""
    kind = type(cell).__name__
    if kind == "MergedCell":
        rect = getattr(cell, "rect", None)
        if rect is not None and rect[1] == rect[3]:
            return _value(table, table.cell(rect[0], rect[1]))
        return None
    if kind == "ErrorCell":
        return None
    return cell.value
