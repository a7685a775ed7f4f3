"""Spreadsheet workbooks (.xlsx from Excel or Google Sheets, .ods from LibreOffice, old Excel 97-2003 .xls) read
as the CSV they hold.

A person without a terminal keeps their log in a spreadsheet and hands peri the workbook itself. Its first
sheet whose header reads (a row naming a date and an exercise column, in any language of the import
vocabulary, or an app's own columns) is written out as CSV text and read by the same readers as a CSV file, so
every layout peri reads as CSV (generic columns, wide Set 1..N sheets, an app's export pasted into a sheet)
reads from a workbook too. Line numbers in the report are the sheet's own row numbers.

Cells are taken as the spreadsheet holds them, not as it shows them: a date cell is a real date (written
ISO, so no day/month question arises), a number a number (102.5, never "102,50 kg" of a cell format), a
duration a clock length. A cell merged down several rows (a date written once beside a session's rows) fills
each row it covers; a merged banner across columns is left to its first cell. Formulas give the value the
spreadsheet last computed.

`workbook_kind(data)` says whether bytes are a workbook (by the ZIP entries an .xlsx or .ods holds, or the
compound-document signature an .xls starts with); `workbook_csv(data, path)` returns (CSV text, the report's
note). openpyxl reads .xlsx, odfpy .ods, xlrd .xls (xlrd 2 reads .xls only, which is all it is asked here).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from ...errors import ImportFormatError
from .numbersdoc import is_numbers, numbers_sheets

# A workbook whose XML expands past this is not a training log (and would be a ZIP bomb to read).
MAX_EXPANDED_BYTES = 512 << 20
# Rows looked at for a sheet's header (titles and blank rows may sit above it), as `base.read_table` does.
HEADER_ROWS = 12
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
# the signature of an OLE2 compound document: an Excel 97-2003 .xls workbook (also a .doc; xlrd tells them apart)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HINT = "open it in the spreadsheet app and save it again (or File > Download/Save As > CSV) and re-run"


def workbook_kind(data: bytes) -> str | None:
    """"xlsx", "ods" or "numbers" for the bytes of a workbook (a ZIP holding xl/workbook.xml, an OpenDocument
    spreadsheet's mimetype entry, or Apple Numbers' Index/Document.iwa), "xls" for a compound document (an old Excel workbook; one that is not, or is
    damaged, fails in `workbook_csv` in one line), else None - also for a ZIP that does not open (see `damaged`)."""
    if data.startswith(OLE2):
        return "xls"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and z.read("mimetype").strip() == _ODS_MIME:
                return "ods"
            if is_numbers(names):
                return "numbers"  # an Apple Numbers document (`numbersdoc`)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError, RuntimeError):
        return None
    return None


def damaged(data: bytes, path: str) -> bool:
    """A file named as a workbook (.xlsx, .xlsm, .ods) that starts as a ZIP but does not open as one."""
    return data.startswith(b"PK\x03\x04") and path.lower().endswith((".xlsx", ".xlsm", ".ods")) \
        and workbook_kind(data) is None and not _opens(data)


def _opens(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.testzip() is None
    except Exception:  # noqa: BLE001 - any failure to open is "does not open"
        return False


def workbook_csv(data: bytes, path: str) -> tuple[str, str]:
    """The first sheet of a workbook whose header reads, as CSV text (one line per sheet row, so line numbers
    are row numbers), and the report's note naming the sheet. Raises ImportFormatError naming the file (and
    the sheets) for a damaged workbook or one with no sheet that reads."""
    kind = workbook_kind(data)
    try:
        if kind == "xls":
            expanded = 0  # no ZIP to expand: the file's own size is capped where it is read (`base.read_capped`)
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                expanded = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ImportFormatError(f"the workbook is damaged: {e}", place=path, hint=_HINT) from None
    if expanded > MAX_EXPANDED_BYTES:
        raise ImportFormatError(f"the workbook expands to {expanded >> 20} MiB, over the "
                                f"{MAX_EXPANDED_BYTES >> 20} MiB limit", place=path, hint="not a training log?")
    try:
        if kind == "numbers":
            sheets = list(numbers_sheets(data, path))
        else:
            reader = {"xlsx": _xlsx_sheets, "xls": _xls_sheets}.get(kind or "", _ods_sheets)
            sheets = list(reader(data))
    except ImportFormatError:
        raise
    except Exception as e:  # noqa: BLE001 - openpyxl/odfpy raise many types on a damaged file
        what = {"xls": "old Excel .xls", "numbers": "Apple Numbers"}.get(kind or "", kind)
        raise ImportFormatError(f"the {what} workbook could not be read ({type(e).__name__}: {str(e)[:120]})",
                                place=path, hint=_HINT) from None
    readable = [(name, rows, at) for name, rows in sheets if (at := _header_at(rows[:HEADER_ROWS])) is not None]
    if readable:
        return _joined(readable, len(sheets))
    names = ", ".join(repr(n) for n, _ in sheets) or "none"
    raise ImportFormatError(
        f"no sheet of the workbook has a header row naming a date and an exercise column (sheets: {names[:200]})",
        place=path, hint="put the log on a sheet whose first row names its columns, e.g. Date, Exercise, Weight, "
                         "Reps (or save that sheet as CSV)")


def _header_at(rows: list[list[str]]) -> int | None:
    """The index of the sheet's header row when the first row of two or more cells among the first few names a
    date and an exercise column (`dialect.generic_field`) or is an app's own header (`dialect.which_format`)."""
    from .dialect import generic_field, which_format

    for i, row in enumerate(rows):
        cells = [c.strip() for c in row if c.strip()]
        if len(cells) < 2:
            continue
        fields = {generic_field(c) for c in cells}
        return i if ({"date", "exercise"} <= fields) or which_format(cells) is not None else None
    return None


def _joined(readable: list[tuple[str, list[list[str]], int]], n_sheets: int) -> tuple[str, str]:
    """The first readable sheet, with the sheets after it that continue its log, as one CSV text; the note.

    A log kept in a workbook is often a sheet per month, block or year under one header: those sheets are the
    log, and reading the first alone lost the rest without a word. A later sheet is read on when its header is
    the first's (the same columns in the same order), its name does not mark a summary or a plan (`summary_sheets`
    in the import vocabulary: "PRs", "Maxes", "Template"), and none of its dates is already read (a sheet of all
    sessions, or a summary by date, would count every set twice). Every sheet left out is named with why. The
    note maps each sheet's rows to the report's line numbers, as the sheets are read one after the other.
    """
    from .dialect import fold, vocabulary

    name0, rows0, at0 = readable[0]
    header = _named(rows0[at0])
    date_col = _date_column(rows0[at0])
    taken_dates = _dates(rows0[at0 + 1:], date_col)
    left: list[str] = []
    accepted = [(name0, rows0[at0 + 1:], at0 + 2)]  # (sheet, its rows after the header, the first one's row)
    for name, rows, at in readable[1:]:
        words = set(fold(name).split())
        if not words.isdisjoint(vocabulary()["summary_sheets"]):
            left.append(f"{name!r} (its name marks a summary or a plan)")
        elif _named(rows[at]) != header:
            left.append(f"{name!r} (other columns than {name0!r}: import it as a file of its own)")
        elif (dates := _dates(rows[at + 1:], date_col)) & taken_dates:
            left.append(f"{name!r} (it repeats dates already read, e.g. {min(dates & taken_dates)}: a copy or a summary)")
        else:
            taken_dates |= dates
            accepted.append((name, rows[at + 1:], at + 2))
    firsts = [min(_dates(r, date_col), default="") for _, r, _ in accepted]
    if date_col is not None and all(_ISO_DAY.match(d) for d in firsts):
        # a new month's sheet is often put in front: the sheets are read in the order of their dates, so a log
        # kept oldest first in each sheet is not taken for one running backwards (its sets' order turned round)
        # (only dates written as dates: text such as "03/04/2024" does not sort by its characters)
        accepted = [a for _, a in sorted(zip(firsts, accepted), key=lambda p: p[0])]
    out, parts = list(rows0[:at0 + 1]), []
    for name, rows, row in accepted:
        # each sheet's first row after the header is the text's next line (the first sheet's title rows stay)
        parts.append((name, 1, 1) if not parts and name == name0 else (name, len(out) + 1, row))
        out.extend(rows)
    beside = _comments_beside(out, at0)  # also lines up sheets of other widths (each is as wide as its widest row)
    if len(parts) == 1:
        note = (f"read sheet {name0!r} of the workbook" + (f" ({n_sheets} sheets)" if n_sheets > 1 else "")
                + "; line numbers are its row numbers")
    else:
        mapped = "; ".join(f"{n!r} from line {line}" + (f" (its row {row})" if line != row else "")
                           for n, line, row in parts)
        note = f"read {len(parts)} sheets of the workbook as one log, one after the other: {mapped}"
    if left:
        note += "; not read: " + ", ".join(left)
    if beside:
        note += (f"; {beside} rows hold text to the right of the last named column (a comment beside the log): "
                 "kept as the row's note")
    return _to_csv(out), note


def _comments_beside(rows: list[list[str]], at: int) -> int:
    """Text a person typed to the right of the log's last named column ("felt easy" beside a set) made its row a
    field or more too long for the header, and the row was refused. Such cells become the row's note (joined
    into the sheet's note column, or a column "Comment (beside the log)" added to its header); an app's own
    header is left as it is. Changes `rows` in place; the number of rows that held such text."""
    from .dialect import generic_field, which_format

    named = len(_named(rows[at]))
    header = rows[at][:named]
    if which_format([c.strip() for c in header if c.strip()]) is not None:
        return 0
    if not any(any(c.strip() for c in r[named:]) for r in rows[at + 1:]):
        rows[at + 1:] = [r[:named] for r in rows[at + 1:]]  # only empty cells past the header (rows are as wide)
        return 0
    note_col = next((i for i, c in enumerate(header) if generic_field(c.strip()) == "note"), None)
    if note_col is None:
        header.append("Comment (beside the log)")
        note_col = named
    rows[at] = header
    count = 0
    for i in range(at + 1, len(rows)):
        r = rows[i]
        extra = [c.strip() for c in r[named:] if c.strip()]
        r = r[:named] + ([""] if len(header) > named else [])  # `_trimmed` made every row as wide as the sheet
        if extra:
            count += 1
            r[note_col] = "; ".join([r[note_col].strip(), *extra] if r[note_col].strip() else extra)
        rows[i] = r
    return count


def _named(header: list[str]) -> list[str]:
    """A header's column names, folded, without the empty cells past the last (a sheet is as wide as its widest
    row: a comment to the right of one row widens its header with empty cells)."""
    from .dialect import fold

    names = [fold(c) for c in header]
    while names and not names[-1]:
        names.pop()
    return names


def _date_column(header: list[str]) -> int | None:
    from .dialect import generic_field

    return next((i for i, c in enumerate(header) if generic_field(c.strip()) == "date"), None)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _dates(rows: list[list[str]], col: int | None) -> set[str]:
    """The days a sheet's rows are dated (a cell's first 10 characters: dates are written ISO here)."""
    if col is None:
        return set()
    return {r[col].strip()[:10] for r in rows if r[col].strip()}  # rows are as wide as the sheet (`_trimmed`)


def _to_csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for row in rows:
        w.writerow(row)
    return buf.getvalue()


def cell_text(value: Any) -> str:
    """A cell's value as CSV text: dates ISO (a time only when there is one), whole numbers without ".0",
    durations as H:MM:SS, booleans as true/false, line breaks inside text as spaces (one line per row)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        total = int(round(value.total_seconds()))
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(round(value, 9))
    if isinstance(value, int):
        return str(value)
    return " ".join(str(value).splitlines()) if "\n" in str(value) or "\r" in str(value) else str(value)


def _trimmed(rows: Iterable[list[str]]) -> list[list[str]]:
    """Rows without the empty cells past the last filled column of the sheet, and without trailing empty rows."""
    out = [list(r) for r in rows]
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in out), default=0)
    out = [(r + [""] * width)[:width] for r in out]
    while out and not any(out[-1]):
        out.pop()
    return out


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, list[list[str]]]]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    try:
        for ws in wb.worksheets:
            values = [[v for v in row] for row in ws.iter_rows(values_only=True)]
            for rng in ws.merged_cells.ranges:
                if rng.min_col != rng.max_col or rng.min_row == rng.max_row:
                    continue  # only a cell merged down a column stands for each row it covers
                top = values[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(values) else None
                for r in range(rng.min_row, min(rng.max_row, len(values)) + 1):
                    row = values[r - 1]
                    if rng.min_col - 1 < len(row):
                        row[rng.min_col - 1] = top
            yield ws.title, _trimmed([cell_text(v) for v in row] for row in values)
    finally:
        wb.close()


def _xls_sheets(data: bytes) -> Iterator[tuple[str, list[list[str]]]]:
    """An Excel 97-2003 workbook's sheets (xlrd): a date cell as a date (a fraction of a day alone as a time of
    day), numbers as numbers, an error cell ("#DIV/0!") as empty, a cell merged down a column filling each row."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    try:
        for i in range(book.nsheets):
            ws = book.sheet_by_index(i)
            values = [[_xls_value(c, book.datemode, xlrd) for c in ws.row(r)] for r in range(ws.nrows)]
            for rlo, rhi, clo, chi in ws.merged_cells:  # half-open ranges, as xlrd gives them
                if chi - clo != 1 or rhi - rlo < 2:
                    continue  # only a cell merged down a column stands for each row it covers
                top = values[rlo][clo] if rlo < len(values) and clo < len(values[rlo]) else None
                for r in range(rlo, min(rhi, len(values))):
                    if clo < len(values[r]):
                        values[r][clo] = top
            yield ws.name, _trimmed([cell_text(v) for v in row] for row in values)
            book.unload_sheet(i)
    finally:
        book.release_resources()


def _xls_value(c: Any, datemode: int, xlrd: Any) -> Any:
    if c.ctype == xlrd.XL_CELL_DATE:
        if 0 <= c.value < 1:
            return (dt.datetime(2000, 1, 1) + dt.timedelta(days=c.value)).time().replace(microsecond=0)
        return xlrd.xldate.xldate_as_datetime(c.value, datemode)
    if c.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(c.value)
    if c.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return c.value


def _ods_sheets(data: bytes) -> Iterator[tuple[str, list[list[str]]]]:
    from odf.namespaces import OFFICENS, TABLENS, TEXTNS
    from odf.opendocument import load

    doc = load(io.BytesIO(data))
    for table in doc.spreadsheet.getElementsByType(_odf_table()):
        name = table.getAttrNS(TABLENS, "name") or "sheet"
        rows: list[list[Any]] = []
        below: dict[int, tuple[int, Any]] = {}  # column -> (rows still covered, the merged value)
        for tr in _children(table, TABLENS, ("table-row",), into=("table-row-group", "table-header-rows", "table-rows")):
            repeat = min(int(tr.getAttrNS(TABLENS, "number-rows-repeated") or 1), 100_000)
            cells: list[Any] = []
            for tc in _children(tr, TABLENS, ("table-cell", "covered-table-cell")):
                n = min(int(tc.getAttrNS(TABLENS, "number-columns-repeated") or 1), 1024)
                value = _ods_value(tc, OFFICENS, TEXTNS)
                spans = int(tc.getAttrNS(TABLENS, "number-rows-spanned") or 1)
                for _ in range(n):
                    col = len(cells)
                    if tc.qname[1] == "covered-table-cell" and col in below and below[col][0] > 0:
                        cells.append(below[col][1])  # a cell merged down from the row above
                        below[col] = (below[col][0] - 1, below[col][1])
                        continue
                    cells.append(value)
                    if spans > 1 and int(tc.getAttrNS(TABLENS, "number-columns-spanned") or 1) == 1:
                        below[col] = (spans - 1, value)
            if repeat > 1 and not any(c not in (None, "") for c in cells):
                # empty rows keep the row numbers; the sheet's filler to its last row (a million) is one
                rows.extend([[] for _ in range(repeat if repeat <= 10_000 else 1)])
                continue
            rows.extend([list(cells) for _ in range(min(repeat, 10_000))])
        yield name, _trimmed([cell_text(v) for v in row] for row in rows)


def _odf_table() -> Any:
    from odf.table import Table

    return Table


def _children(node: Any, ns: str, names: tuple[str, ...], into: tuple[str, ...] = ()) -> Iterator[Any]:
    """Child elements named `names` (in namespace `ns`), looking inside the grouping elements `into`."""
    for child in node.childNodes:
        qn = getattr(child, "qname", None)
        if qn is None or qn[0] != ns:
            continue
        if qn[1] in names:
            yield child
        elif qn[1] in into:
            yield from _children(child, ns, names, into)


def _ods_value(tc: Any, officens: str, textns: str) -> Any:
    """An ODS cell's value by its office:value-type: a float, a date, a duration, a boolean, else its text."""
    kind = tc.getAttrNS(officens, "value-type")
    if kind in ("float", "percentage", "currency"):
        return float(tc.getAttrNS(officens, "value"))
    if kind == "date":
        text = tc.getAttrNS(officens, "date-value")
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    if kind == "time":
        return _iso_duration(tc.getAttrNS(officens, "time-value"))
    if kind == "boolean":
        return tc.getAttrNS(officens, "boolean-value") == "true"
    parts = []
    for p in tc.childNodes:
        if getattr(p, "qname", None) == (textns, "p"):
            parts.append(str(p))
    return "\n".join(parts) if parts else None


def _iso_duration(text: str) -> dt.timedelta:
    """ODS durations are ISO 8601: PT01H30M00S."""
    import re

    m = re.match(r"^-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$", text or "")
    if m is None:
        raise ValueError(f"duration {text!r}")
    d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return dt.timedelta(days=d, hours=h, minutes=mi, seconds=s)
