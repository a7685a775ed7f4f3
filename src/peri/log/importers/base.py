"""What every importer shares: decoding hostile bytes, reading CSV with line numbers, parsing numbers,
dates and durations, and collecting problems so that a whole file is judged before anything is written.

An importer turns a file into a `ParsedFile`: plain sessions whose sets are tuples in the store's column
order. Tuples, not pydantic models, because a 500,000-set export must import in seconds; the pydantic
`Session` view is one call away (`ParsedFile.to_sessions()`).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ...errors import ImportFormatError
from ..models import LB_TO_KG, Session, SetType, WorkoutSet

# One field over this is refused: no training-log field is anywhere near it, and it bounds memory.
MAX_FIELD_BYTES = 1 << 20
# At most this many problems are listed in one error message (all are counted).
MAX_LISTED_PROBLEMS = 10

MI_TO_M = 1609.344
YD_TO_M = 0.9144
FT_TO_M = 0.3048

# Positions in a set tuple (the store's `sets` column order, without session_id/seq).
EXERCISE, EXERCISE_ID, ORDER, WEIGHT, UNIT, WEIGHT_KG, REPS, RPE, RIR, DISTANCE_M, SECONDS, SET_TYPE, NOTE = range(13)

ExerciseMapper = Callable[[str], "str | None"]
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ParsedSession:
    """One workout as read from a file. `sets` are lists in the store's column order (see EXERCISE...NOTE)."""

    started_at: dt.datetime
    name: str
    duration_s: int | None
    notes: str | None
    source: str
    line: int
    sets: list[list[Any]] = field(default_factory=list)
    # (exercise, note) from rows that carry a note but are not sets (Strong "Note" rows)
    extra_notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedFile:
    """A whole file, parsed and checked, nothing written yet."""

    path: str
    fmt: str
    rows_read: int = 0
    sessions: list[ParsedSession] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # rows read but refused at the boundary ("line N: why"), never stored (see `bounds`)
    refused: list[str] = field(default_factory=list)
    refused_count: int = 0  # set by parse_file: `refused` may be cut to its first entries
    dialect: Any = None  # dialect.Dialect: what layout and language the file was recognised as
    unit: Any = None  # units.UnitInference: the weight unit (stated, --unit, or inferred with its evidence)
    # weight cells as written, for unit evidence, where the file does not state its unit (Strong's plain Weight)
    raw_weights: set[str] = field(default_factory=set)
    # (set, distance as logged) whose distance unit follows the weight unit (Strong's plain Distance column)
    pending_distance: list[tuple[list[Any], float]] = field(default_factory=list)
    # [up, down]: consecutive sets of one exercise in one session whose set numbers, as the file writes them
    # (Strong's Set Order, Hevy's set_index), rise or fall in row order: the direction the rows run
    set_number_steps: list[int] = field(default_factory=lambda: [0, 0])
    # reps cells that were not one plain count: kind -> [cells, first line, first text] (`read_reps`)
    reps_kinds: dict[str, list[Any]] = field(default_factory=dict)
    _reps_cells: dict[str, "RepsCell"] = field(default_factory=dict, repr=False)

    def note_reps(self, cell: "RepsCell", line: int, text: str) -> None:
        """Count a reps cell that was not a plain count, by kind, keeping the first place and text."""
        for kind in cell.kinds:
            tally = self.reps_kinds.get(kind)
            if tally is None:
                self.reps_kinds[kind] = [1, line, text.strip()[:40]]
            else:
                tally[0] += 1

    def reps_cell(self, text: str, line: int) -> "RepsCell":
        """`read_reps(text)`, each distinct text read once, its kind counted for the report."""
        cell = self._reps_cells.get(text)
        if cell is None:
            cell = self._reps_cells[text] = read_reps(text)
        if cell.kinds:
            self.note_reps(cell, line, text)
        return cell

    def reps(self, text: str, line: int) -> int | None:
        """The count of a reps cell for a reader with one row per set: a cell holding several sets ("8,8,7",
        "3x10") refuses its row alone (RowRefused), as no one row can stand for several sets there."""
        cell = self._reps_cells.get(text)
        if cell is None:
            cell = self._reps_cells[text] = read_reps(text)
        if cell.kinds:
            if cell.items:
                raise RowRefused(f"reps {text.strip()[:40]!r} holds {len(cell.items)} sets in one cell, and this "
                                 "layout has a row per set: the row was not read")
            self.note_reps(cell, line, text)
        return cell.reps

    def count_set_number(self, last: dict[Any, int], key: Any, number: int | None) -> None:
        """Note the file's set number of the set at ``key`` (session, exercise) against the previous one."""
        if number is None:
            return
        prev = last.get(key)
        if prev is not None and prev != number:
            self.set_number_steps[0 if number > prev else 1] += 1
        last[key] = number

    @property
    def set_count(self) -> int:
        return sum(len(s.sets) for s in self.sessions)

    def exercise_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.sessions:
            for w in s.sets:
                seen.setdefault(w[EXERCISE], None)
        return list(seen)

    def to_sessions(self) -> list[Session]:
        """The pydantic view (validated), for callers that want models rather than speed."""
        return [
            Session(
                started_at=s.started_at, name=s.name, duration_s=s.duration_s, notes=s.notes, source=s.source,
                sets=[
                    WorkoutSet(
                        exercise=w[EXERCISE], exercise_id=w[EXERCISE_ID], order=w[ORDER], weight=w[WEIGHT], unit=w[UNIT],
                        weight_kg=w[WEIGHT_KG], reps=w[REPS], rpe=w[RPE], rir=w[RIR], distance_m=w[DISTANCE_M],
                        seconds=w[SECONDS], set_type=SetType(w[SET_TYPE]), note=w[NOTE],
                    )
                    for w in s.sets
                ],
            )
            for s in self.sessions
        ]


# The share of a file's rows that may fail to read and be refused one by one, the rest imported (`Problems.settle`).
# A few odd cells in a long hand-kept log ("2x20kg", "see notes") should not cost the person the other rows; when
# more fail, the file is more likely read the wrong way (a column taken for another) than odd here and there, and
# it is refused whole, as before, with the problems listed.
TOLERATED_SHARE = 0.1
# Problems that say the file, not one row, is read wrongly: a date read a way the whole file shares (its month
# words, its clock) or a question for the whole file.
_WHOLE_FILE_REASONS = ("date", "unknown month", "12-hour clock")
# ... except a date cell that is no date at all ("2024-13-45", "next week", an empty first date): that row alone is
# refused, listed with its column and cell, within the tolerated share. A row below it that writes no date of its
# own carries the same unreadable date (every reader keys such a row by the cell above), so it is refused and
# listed too: never joined to another session.
_ROW_DATE = ("is not a date this importer knows", "is not a real date", "date is empty")


class Problems:
    """Collects row problems; `settle` refuses the rows one by one when they are few, else (as `raise_if_any`)
    turns them into one ImportFormatError naming the first place."""

    def __init__(self, path: str):
        self.path = path
        self.items: list[tuple[int, str]] = []
        self.whole_file = False  # a problem of the whole file was added: never settled row by row

    def add(self, line: int, reason: str, *, whole_file: bool = False) -> None:
        self.items.append((line, reason))
        row_date = reason.startswith("date") and any(r in reason for r in _ROW_DATE)
        self.whole_file |= whole_file or (reason.startswith((*_WHOLE_FILE_REASONS, AMBIGUOUS_DATE)) and not row_date)

    def settle(self, out: "ParsedFile", table: "Table") -> None:
        """Refuse each problem row into `out.refused` (listed in the report, never stored; the rest is imported)
        when at most `TOLERATED_SHARE` of the rows read failed and none failed for the whole file; else raise as
        `raise_if_any`. The reader must have left those rows out of its sessions.

        A file whose last row does not read and that ends inside it (no line break after it) is a copy cut
        short - a download or a sync that did not finish, its later sessions missing - and is refused whole."""
        if not self.items:
            return
        self._name_date_column(table.header)
        lines = {line for line, _ in self.items}
        if max(lines) >= table.total_lines:  # the row on the text's last line, with no line break after it
            self.raise_if_any(hint="the file ends inside this row: it looks cut short (a copy or download that did "
                                   "not finish, its later sessions missing); export it again; nothing was imported")
        if self.whole_file or len(lines) > TOLERATED_SHARE * out.rows_read:
            self.raise_if_any()
        out.refused.extend(f"{self.path}:{line}: {why}" for line, why in self.items)

    def _name_date_column(self, header: list[str]) -> None:
        """Say in which column a date that does not read stands (the header's first date column), so that a
        person finds the cell: "date 'next week' ... (column 'Workout Date')"."""
        from .dialect import generic_field  # dialect builds on this module

        name = next((h for h in header if generic_field(h) == "date"), None)
        if name is not None:
            self.items = [(ln, f"{why} (column {name!r})" if why.startswith("date") and "(column " not in why else why)
                          for ln, why in self.items]

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, hint: str = "nothing was imported; fix the file (or export it again) and re-run") -> None:
        if not self.items:
            return
        ambiguous = [(ln, why) for ln, why in self.items if why.startswith(AMBIGUOUS_DATE)]
        if ambiguous:
            # one question for the whole file, not one per row: which way round are its dates?
            line, why = ambiguous[0]
            raise ImportFormatError(
                why + (f" ({len(ambiguous)} rows hold such dates)" if len(ambiguous) > 1 else ""),
                place=f"{self.path}:{line}", hint="nothing was imported")
        first_line, first_reason = self.items[0]
        listed = "; ".join(f"line {ln}: {why}" for ln, why in self.items[:MAX_LISTED_PROBLEMS])
        more = len(self.items) - MAX_LISTED_PROBLEMS
        message = first_reason if len(self.items) == 1 else f"{len(self.items)} problems: {listed}"
        if more > 0:
            message += f"; and {more} more"
        raise ImportFormatError(message, place=f"{self.path}:{first_line}", hint=hint)


class Importer(Protocol):
    """One export format. `parse` reads the whole table and raises ImportFormatError on a malformed file."""

    fmt: str

    def parse(self, table: "Table", options: dict[str, Any]) -> ParsedFile: ...


# --- bytes -> text ----------------------------------------------------------------------------
def decode_bytes(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode an export: UTF-8 (with or without BOM), UTF-16 with BOM (or an obvious one without), else
    Windows-1252/latin-1 with a warning. NUL bytes in text are refused with their line number."""
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8", path)
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = _strict(data, "utf-16", path)
    elif len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        text = _strict(data, "utf-16-le", path)
        warnings.append("file read as UTF-16 (little-endian) without a byte-order mark")
    elif len(data) >= 4 and data[0] == 0 and data[2] == 0 and data[1] != 0:
        text = _strict(data, "utf-16-be", path)
        warnings.append("file read as UTF-16 (big-endian) without a byte-order mark")
    else:
        nul = data.find(b"\x00")
        if nul >= 0:  # binary data: refused before any decoding work, whatever the file's size
            line = data.count(b"\n", 0, nul) + 1
            raise ImportFormatError(
                "the file contains NUL bytes (binary data, or a wrong encoding)",
                place=f"{path}:{line}", hint="export the file again as CSV",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line = data.count(b"\n", 0, e.start) + 1
            loose = data.decode("utf-8", errors="surrogateescape")
            if _VALID_NON_ASCII.search(loose):
                # UTF-8 with a few stray bytes: only the lines that hold them are refused (see `bad_lines`),
                # every other line keeps its accents and emoji
                text = loose
                warnings.append("stray bytes")  # replaced by read_table with the lines they are on
            else:
                # no valid UTF-8 beyond ASCII anywhere: a legacy 8-bit encoding, read whole
                try:
                    text = data.decode("cp1252")
                    enc = "Windows-1252"
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
                    enc = "latin-1"
                warnings.append(f"not valid UTF-8 (first at line {line}); read as {enc} - check accented names")
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        raise ImportFormatError(
            "the file contains NUL bytes (binary data, or a wrong encoding)",
            place=f"{path}:{text.count(chr(10), 0, nul) + 1}",
            hint="export the file again as CSV",
        )
    return text, warnings


_VALID_NON_ASCII = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")
_STRAY = re.compile("[\udc80-\udcff]+")


def bad_lines(text: str) -> tuple[str, dict[int, str]]:
    """Lines holding stray bytes (surrogate escapes from `decode_bytes`): {line: why}, and the text with each
    stray byte shown as U+FFFD. The rows on those lines are refused; the rest of the file reads as UTF-8."""
    if not _STRAY.search(text):
        return text, {}
    bad: dict[int, str] = {}
    for i, line in enumerate(text.split("\n"), start=1):
        m = _STRAY.search(line)
        if m:
            raw = line[m.start():m.end()].encode("utf-8", errors="surrogateescape")
            bad[i] = f"invalid UTF-8 byte(s) {raw[:4].hex(' ')} at column {m.start() + 1}; the row was not imported"
    return _STRAY.sub("\ufffd", text), bad


def _strict(data: bytes, encoding: str, path: str) -> str:
    """`data` decoded, or an ImportFormatError naming the line and column (in characters, from 1) where it stops
    being `encoding`: a person finds a line in an editor, not a byte offset."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        before = data[:e.start].decode(encoding, errors="replace")  # valid up to the error: the lines above it
        line = before.count("\n") + 1
        column = len(before) - before.rfind("\n")
        cut = e.end >= len(data) and e.reason in ("truncated data", "unexpected end of data")
        raise ImportFormatError(
            f"the file is not valid {encoding.upper()}: {e.reason} (byte(s) {data[e.start:e.end][:4].hex(' ')}, byte "
            f"{e.start} of the text) at line {line}, column {column}" + (": it ends inside a character" if cut else ""),
            place=f"{path}:{line}",
            hint=("the file looks cut short (a copy or download that did not finish): export it again" if cut else
                  "export the file again as UTF-8 CSV (or open it in a text editor at that line and fix the character)"),
        ) from None


_PICTURE_HINT = "peri reads the log's exported file, not a picture of it: export your log from the app as CSV"
# Files people pass where a CSV export is expected, by their first bytes: what each is and what to do.
_MAGIC = [
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx/.ods workbook, or a zipped export)",
     "open it and save it as CSV (File > Save As > CSV UTF-8), or unzip it and pass the .csv inside"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook", "open it and save it as CSV (File > Save As > CSV UTF-8)"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it (gunzip) and pass the .csv inside"),
    (b"%PDF", "a PDF document", "export your log from the app as CSV, not PDF"),
    (b"SQLite format 3\x00", "an SQLite database (an app's backup)", "export your log from the app as CSV"),
    (b"bplist00", "an Apple binary property list", "export your log from the app as CSV"),
    (b"Rar!", "a RAR archive", "extract it and pass the .csv inside"),
    (b"7z\xbc\xaf", "a 7-Zip archive", "extract it and pass the .csv inside"),
    (b"BZh", "a bzip2-compressed file", "decompress it (bunzip2) and pass the .csv inside"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "decompress it (unxz) and pass the .csv inside"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file", "decompress it (unzstd) and pass the .csv inside"),
    # a picture of the log (a screenshot of the app's history) is what some people have at hand
    (b"\x89PNG", "a PNG picture", _PICTURE_HINT),
    (b"\xff\xd8\xff", "a JPEG picture", _PICTURE_HINT),
    (b"GIF8", "a GIF picture", _PICTURE_HINT),
]


def not_csv(data: bytes, path: str) -> None:
    """Refuse, by its first bytes, a file that is an archive, workbook, PDF or database, naming what it is."""
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise ImportFormatError(f"this is {what}, not a CSV file", place=f"{path}:1", hint=hint)
    if data[257:262] == b"ustar":  # a tar archive's mark, after its first member's 257-byte header fields
        raise ImportFormatError("this is a tar archive, not a CSV file", place=f"{path}:1",
                                hint="extract it (tar xf) and pass the .csv inside")
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):  # an iPhone's HEIC/AVIF picture
        raise ImportFormatError("this is a HEIC/AVIF picture, not a CSV file", place=f"{path}:1", hint=_PICTURE_HINT)


_SEP_LINE = re.compile(r"^\ufeff?sep=(.)$", re.I)


def not_csv_text(text: str, path: str) -> None:
    """Refuse decoded text that is JSON, XML or HTML rather than a table, naming what it is."""
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head[:1] in ("{", "["):
        raise ImportFormatError("this is a JSON file, not a CSV table", place=f"{path}:1",
                                hint="export your log from the app as CSV")
    if head[:1] == "<" and re.match(r"<(\?xml|!doctype|html|[a-z][\w:-]*[\s>/])", head, re.I):
        raise ImportFormatError("this is an XML/HTML document, not a CSV table", place=f"{path}:1",
                                hint="export your log from the app as CSV")


# --- text -> rows ------------------------------------------------------------------------------
@dataclass
class Table:
    """A CSV file's header and an iterator of (line number, fields) for its records."""

    path: str
    header: list[str]
    delimiter: str
    rows: Iterator[tuple[int, list[str]]]
    total_lines: int
    warnings: list[str]
    bad_lines: dict[int, str] = field(default_factory=dict)  # line -> why: rows refused for their bytes
    # the header as the file writes it (the dialect may rewrite `header`): a row equal to it is a repeated header
    raw_header: list[str] = field(default_factory=list)
    # day/month order of the file's numeric dates (dd/mm/yyyy vs mm/dd/yyyy), from the evidence of all of them:
    # "dmy" | "mdy" | "ambiguous" (both readings fit) | None (no such dates); with why
    date_order: str | None = None
    date_evidence: str = ""
    width: int = 0  # the header's cells including the empty ones past the last named column, which are dropped
    # (unit, why) where a file of several tables states its weight unit in a settings table (JEFIT's SETTING
    # `mass`: " kg" / " lbs"); None where it does not
    unit_setting: tuple[str, str] | None = None
    # the records above the header (title lines, blank lines), as read: a log of blocks names its first one there
    above: list[list[str]] = field(default_factory=list)


def sniff_delimiter(first_line: str) -> str:
    """The header tells: the candidate that splits it into the most fields wins."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(path: Path | str, *, delimiter: str | None = None, data: bytes | None = None) -> Table:
    """Open a CSV export: decode, find the delimiter from the header, and stream its records with line numbers."""
    path_s = str(path)
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        from ...errors import ConfigError

        raise ConfigError(f"--delimiter {delimiter[:10]!r} is not one character", hint='e.g. --delimiter ";"')
    if data is None:
        data = read_capped(Path(path))
    member = _archived(data, path_s)
    if member is not None:  # a log inside a ZIP or gzip file (`archive`): read as if passed itself
        table = read_table(member.path, delimiter=delimiter, data=member.data)
        table.warnings.insert(0, member.note)
        return table
    sheet = None
    if data[8:12] == b".FIT":  # a Garmin strength activity (`fitlog`): its sets as CSV
        from .fitlog import fit_csv, is_fit

        if is_fit(data):
            csv_text, sheet = fit_csv(data, path_s)
            data, delimiter = csv_text.encode("utf-8"), ","
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a workbook (.xlsx/.ods, an old .xls): as CSV
        from .workbook import damaged, workbook_csv, workbook_kind

        if workbook_kind(data) is not None:
            csv_text, sheet = workbook_csv(data, path_s)
            data, delimiter = csv_text.encode("utf-8"), ","
        elif damaged(data, path_s):
            raise ImportFormatError("the workbook is damaged: it does not open as the ZIP archive a workbook is",
                                    place=path_s, hint="open it in the spreadsheet app and save it again, or save it "
                                                       "as CSV, and re-run")
    not_csv(data, path_s)
    text, warnings = decode_bytes(data, path_s)
    if sheet is not None:
        warnings.insert(0, sheet)
    # only a file decoded with stray bytes escaped can hold them (searching every file would cost a pass)
    text, bad = bad_lines(text) if any("stray bytes" in w for w in warnings) else (text, {})
    warnings = [w for w in warnings if w != "stray bytes"]
    if bad:
        warnings.append(f"{len(bad)} lines hold bytes that are not UTF-8 (first at line {min(bad)}); only those rows "
                        "were refused")
    if not text.strip():
        raise ImportFormatError("the file is empty", place=f"{path_s}:1", hint="export again; nothing to import")
    if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):  # a log kept as JSON (`jsonlog`), else refused by name
        from .jsonlog import json_table

        found = json_table(text, path_s)
        if found is not None:
            text, json_note = found
            warnings.append(json_note)
            delimiter = ","
    not_csv_text(text, path_s)
    whole = text
    setting = _mass_setting(text, delimiter) if "\n###" in text else None
    text, offset, section = _one_section(text, delimiter)
    if section:
        warnings.append(section)
    first = text.split("\n", 1)[0]
    # Excel writes (and reads) a first line "sep=;" naming the delimiter: it is not the header
    sep_line = _SEP_LINE.match(first.strip())
    if sep_line:
        delim = delimiter or sep_line.group(1)
    else:
        delim = delimiter or sniff_delimiter(_first_table_line(text) or first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    old_limit = csv.field_size_limit(MAX_FIELD_BYTES)
    above: list[list[str]] = []
    try:
        header = _next_record(reader, path_s, offset)
        # lines above the header (blank lines, a title, Excel's sep= line) hold fewer than two cells; the header
        # is the first record of two or more, looked for among the first few
        while header is not None and _filled(header) < 2 and len(above) < 10:
            above.append(header)
            header = _next_record(reader, path_s, offset + reader.line_num)
        if header is None or _filled(header) < 2:
            if above:
                header = above[0]
                reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
                _next_record(reader, path_s, offset)
            above = []
    finally:
        csv.field_size_limit(old_limit)
    if header is None:
        raise ImportFormatError("the file has no header row", place=f"{path_s}:1")
    titles = [r for r in above if _filled(r) and not r[0].strip().lower().startswith("sep=")]
    if titles:
        warnings.append(f"{len(above)} lines above the header were not read (such as {titles[0][0].strip()[:40]!r})")
    text = whole
    header = [h.strip().lstrip("\ufeff") for h in header]
    # spreadsheets add empty columns past the last one: dropped here, and their empty cells in each row
    width = len(header)
    while len(header) > 1 and not header[-1]:
        header.pop()
    if not any(header):
        raise ImportFormatError("the header row is empty", place=f"{path_s}:{2 if sep_line else 1}",
                                hint="the first line of the file must name the columns")
    order, evidence = numeric_date_order(text)
    return Table(path_s, header, delim, _records(reader, path_s, offset), text.count("\n") + 1, warnings, bad,
                 raw_header=list(header), date_order=order, date_evidence=evidence, width=width,
                 unit_setting=setting, above=above)


def _archived(data: bytes, path: str) -> Any:
    """`archive.Member` for a gzip file, or a ZIP that opens and is not a workbook; else None."""
    if not data.startswith((b"PK\x03\x04", b"\x1f\x8b")):
        return None
    from .archive import gunzip, is_gzip, zip_member
    from .workbook import workbook_kind

    if is_gzip(data):
        return gunzip(data, path, MAX_FILE_BYTES)
    if workbook_kind(data) is not None or path.lower().endswith((".xlsx", ".xlsm", ".ods")):
        return None  # a workbook, or one named so that does not open as one (`workbook.damaged` says so)
    return zip_member(data, path, MAX_FILE_BYTES)


# An export of a lifetime of training is tens of MB; anything past this is not a training log.
MAX_FILE_BYTES = 256 << 20


# an account's whole data export (Garmin Connect's is often gigabytes): the archive inside that holds the log is not
_TOO_BIG_ZIP = ("a whole account's data export? Unzip it and pass the archive inside that holds the log (Garmin "
                "Connect: DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip, then each Part after it)")


def read_capped(path: Path) -> bytes:
    """A file's bytes, refusing what is not a regular file (/dev/zero, a FIFO: reading would never end) and
    anything over MAX_FILE_BYTES, read no further than the cap."""
    from ...errors import NotFound

    try:
        st = path.stat()
    except OSError as e:
        raise NotFound(f"cannot read the file: {e.strerror or e}", place=str(path)) from None
    import stat as _stat

    if _stat.S_ISDIR(st.st_mode):  # a Numbers document copied off a Mac as the folder it is there (`numbersdoc`)
        from .numbersdoc import folder_bytes

        return folder_bytes(path, MAX_FILE_BYTES)
    if not _stat.S_ISREG(st.st_mode):
        raise ImportFormatError("not a regular file (a device or pipe)", place=str(path),
                                hint="pass the exported CSV file")
    if st.st_size > MAX_FILE_BYTES:
        raise ImportFormatError(f"the file is {st.st_size >> 20} MiB, over the {MAX_FILE_BYTES >> 20} MiB limit",
                                place=str(path), hint=_TOO_BIG_ZIP if path.suffix.lower() == ".zip" else
                                "not a training-log export?")
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise NotFound(f"cannot read the file: {e.strerror or e}", place=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFormatError(f"the file is over the {MAX_FILE_BYTES >> 20} MiB limit", place=str(path))
    return data


def _next_record(reader: Any, path: str, last_line: int) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as e:
        raise _csv_error(e, path, last_line + 1) from None


def _csv_error(e: csv.Error, path: str, line: int) -> ImportFormatError:
    msg = str(e)
    if "field larger than field limit" in msg:
        return ImportFormatError(
            f"a field is larger than {MAX_FIELD_BYTES // (1 << 20)} MiB", place=f"{path}:{line}",
            hint="an unclosed quote, or not a training log export",
        )
    if "unexpected end of data" in msg or "EOF" in msg:
        return ImportFormatError(
            "the file ends inside a quoted field (cut short?)", place=f"{path}:{line}",
            hint="export the file again; it looks truncated",
        )
    return ImportFormatError(f"malformed CSV: {msg}", place=f"{path}:{line}", hint="check quoting on this line")


def _filled(record: list[str]) -> int:
    return sum(1 for c in record if c.strip())


_SECTION = re.compile(r"^#{3,}[ \t]*([^#\s][^\r\n]*?)[ \t]*#{3,}[ \t]*\r?$", re.M)
_RULE = re.compile(r"^#{6,}[ \t]*\r?$", re.M)


def _first_table_line(text: str) -> str | None:
    """The first line with a delimiter in it: the header's, below any title lines."""
    for line in text.split("\n", 12)[:12]:
        if any(d in line for d in ",;\t") and not _SEP_LINE.match(line.strip()):
            return line
    return None


def _one_section(text: str, delimiter: str | None) -> tuple[str, int, str | None]:
    """A file of several tables under '### NAME ###' lines (JEFIT's export) holds one set log among tables of
    settings, routines and sessions: the table whose header names an exercise and the most fields of a set
    (`dialect.generic_field`). Returns that table's text, the lines above it, and a note for the report;
    a plain CSV comes back whole."""
    if "\n###" not in text:  # a plain CSV: a substring search, not a regex pass over tens of MB
        return text, 0, None
    titles = list(_SECTION.finditer(text))
    if len(titles) < 2:
        return text, 0, None
    from .dialect import generic_field  # dialect builds on this module: imported when a file needs it

    best: tuple[int, int, int, str] | None = None
    for i, t in enumerate(titles):
        end = titles[i + 1].start() if i + 1 < len(titles) else len(text)
        rule = _RULE.search(text, t.end(), end)
        body_end = rule.start() if rule else end
        header_line = _first_table_line(text[t.end():body_end])
        if header_line is None:
            continue
        cells = next(csv.reader([header_line], delimiter=delimiter or sniff_delimiter(header_line)), [])
        fields = {generic_field(c) for c in cells} - {None}
        if "exercise" not in fields:
            continue
        score = len(fields)
        if best is None or score > best[0]:
            best = (score, t.end(), body_end, t.group(1))
    if best is None:
        return text, 0, None
    _, start, end, name = best
    offset = text.count("\n", 0, start)
    return (text[start:end], offset,
            f"the file holds {len(titles)} tables under ### titles; read {name!r}, the one that logs sets")


_SETTINGS_TITLES = ("setting", "settings")


def _mass_setting(text: str, delimiter: str | None) -> tuple[str, str] | None:
    """The weight unit a file of '### NAME ###' tables states in its settings table: JEFIT's export has a
    SETTING table whose `mass` column holds " kg" or " lbs" (the layout as a public JEFIT parser reads it,
    2026-12-01). (unit, why), or None when there is no such table or its value is no unit."""
    titles = list(_SECTION.finditer(text))
    for i, t in enumerate(titles):
        if t.group(1).strip().lower() not in _SETTINGS_TITLES:
            continue
        end = titles[i + 1].start() if i + 1 < len(titles) else len(text)
        lines = [ln for ln in text[t.end():end].split("\n") if ln.strip() and not ln.strip().startswith("#")][:2]
        if len(lines) < 2:
            return None
        header, row = (next(csv.reader([ln], delimiter=delimiter or sniff_delimiter(lines[0])), []) for ln in lines)
        names = [h.strip().lower() for h in header]
        if "mass" not in names or names.index("mass") >= len(row):
            return None
        value = row[names.index("mass")]
        try:
            unit = weight_unit(value)
        except ValueError:
            return None
        if unit is None:
            return None
        return unit, f"the file's {t.group(1).strip()} table sets mass to {value.strip()!r}"
    return None


def _records(reader: Any, path: str, offset: int = 0) -> Iterator[tuple[int, list[str]]]:
    old = csv.field_size_limit()
    last = reader.line_num + offset
    try:
        csv.field_size_limit(MAX_FIELD_BYTES)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise _csv_error(e, path, last + 1) from None
            yield last + 1, row
            last = reader.line_num + offset
    finally:
        csv.field_size_limit(old)


# --- values ------------------------------------------------------------------------------------
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d+)?$")


def parse_number(text: str, what: str, *, low: float = -math.inf, high: float = math.inf) -> float | None:
    """A float from an export cell: empty -> None; "102,5" and "1.234,5" read as decimals; nan/inf refused."""
    s = text.strip()
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        v = _float_with_commas(s, what)
    if not math.isfinite(v):
        raise ValueError(f"{what} {text[:40]!r} is not a finite number")
    if not low <= v <= high:
        raise ValueError(f"{what} {text[:40]!r} is outside {low:g}..{high:g}")
    # exports carry float artefacts of unit conversion (149.99999999999997): six decimals are plenty
    return round(v, 6)


def _float_with_commas(s: str, what: str) -> float:
    t = s.replace("\u00a0", "").replace(" ", "")
    if "," in t:
        if "." in t:
            # the later separator is the decimal one: "1.234,5" or "1,234.5"
            t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
        elif t.count(",") == 1:
            t = t.replace(",", ".")
        elif _GROUPED.match(s):
            t = t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        raise ValueError(f"{what} {s[:40]!r} is not a number") from None


class ValueCache(dict):
    """Cell text -> parsed value, parsed once per distinct text: exports repeat the same few hundred weights,
    reps and dates hundreds of thousands of times. A parse error is raised (and not cached) every time."""

    def __init__(self, parse: Callable[[str], Any]):
        super().__init__()
        self.parse = parse

    def __missing__(self, text: str) -> Any:
        value = self[text] = self.parse(text)
        return value


# "8 reps", "8x", "8 Wdh." - a count with its word, as people type it into a spreadsheet
_REPS_WORD = re.compile(r"^\s*(\d+)\s*(?:reps?|x|×|wdh\.?|wh|rep\.?|répétitions?|repeticiones|ripetizioni)\s*$", re.I)


def parse_reps(text: str) -> int | None:
    m = _REPS_WORD.match(text)
    v = parse_number(m.group(1) if m else text, "reps", low=0, high=10000)
    if v is None:
        return None
    if v != int(v):
        raise ValueError(f"reps {text[:40]!r} is not a whole number")
    return int(v)


# --- reps cells that are not one number -------------------------------------------------------
# What a reps cell may say besides a count, and what is stored (the import's report counts each kind, with the
# first place; `reps_report`). The words live in data/import_vocabulary.yaml `reps_cells`.
RANGE, AT_LEAST, NO_COUNT, MARKED, PER_SIDE, REMARK, SETS, SCHEME = (
    "range", "at least", "no count", "marked", "per side", "remark", "sets", "scheme")


@dataclass(frozen=True, slots=True)
class RepsCell:
    """A reps cell read: `reps` the count stored (a range's lower end; None for an empty cell or a set with no
    count, "AMRAP"); `kinds` what the cell said beyond a plain count (RANGE, AT_LEAST, NO_COUNT, MARKED,
    PER_SIDE, REMARK; SETS or SCHEME for a cell holding several sets); `items` the text of each set of such a
    cell ("8,8,7" -> "8", "8", "7"; "3x10" -> "10" three times); `remark` the words in brackets ("assisted")."""

    reps: int | None
    kinds: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    remark: str | None = None


class RowRefused(ValueError):
    """A row this reader cannot take, refused on its own (listed in the report) while the rest imports."""


_EMPTY_REPS = RepsCell(None)
_BRACKETED = re.compile(r"^(.*?\S)\s*[(\[]([^()\[\]]*)[)\]]\s*$")
_RANGE_CELL = re.compile(r"^(\d+)\s*(?:[-\u2013\u2014~]|\s([^\W\d_]+)\s)\s*(\d+)\s*(\+?)\s*(.*)$")
_COUNT_CELL = re.compile(r"^(\d+)\s*(\+?)\s*(.*)$")
_WORD_THEN_COUNT = re.compile(r"^([^\d]+?)[\s:]*(\d+)\s*(\+?)$")
_SCHEME_CELL = re.compile(r"^(\d{1,2})\s*[x\u00d7*]\s*(\d.*)$", re.I)
_ITEM_SEPARATOR = re.compile(r"\s*[/,;|]\s*")
MAX_SETS_IN_CELL = 50  # a cell listing more sets than this is no list of sets


def _reps_words() -> dict[str, frozenset[str]]:
    from .dialect import vocabulary  # dialect builds on this module: imported when a cell needs it

    return vocabulary()["reps_cells"]


def _after_count(rest: str, kinds: list[str]) -> bool:
    """Read the words after a count ("reps", "/side", "each leg", "AMRAP") into `kinds`; False if they are
    words no reps cell holds (then the cell is not read as a count: "10 kg" in a reps column is no 10 reps)."""
    from .dialect import fold

    words = _reps_words()
    r = fold(rest)
    if not r:
        return True
    head, _, tail = r.partition(" ")
    if r in words["reps"]:
        return True
    if head in words["reps"] and tail:
        r = tail  # "10 reps each side"
    if r in words["per_side"]:
        kinds.append(PER_SIDE)
    elif r in words["no_count"]:
        kinds.append(MARKED)
    else:
        return False
    return True


def _one_set(text: str) -> RepsCell | None:
    """One set's count in any of the ways people write it; None when the text is none of them."""
    from .dialect import fold

    s = text.strip()
    if s.isdigit():
        return RepsCell(parse_reps(s))
    words = _reps_words()
    kinds: list[str] = []
    remark = None
    m = _BRACKETED.match(s)
    if m is not None:  # "10 (assisted)", "8 (each side)", "12 [AMRAP]"
        inner = fold(m.group(2))
        if inner in words["per_side"]:
            kinds.append(PER_SIDE)
        elif inner in words["no_count"]:
            kinds.append(MARKED)
        elif inner and inner not in words["reps"]:
            kinds.append(REMARK)
            remark = m.group(2).strip()[:80]
        s = m.group(1).strip()
    reps: int | None
    m = _RANGE_CELL.match(s)
    if m is not None and (m.group(2) is None or fold(m.group(2)) in words["range_words"]):
        a, b = parse_reps(m.group(1)), parse_reps(m.group(3))
        reps, rest = min(a or 0, b or 0), m.group(5)
        kinds.append(RANGE)
    elif (m := _COUNT_CELL.match(s)) is not None:
        reps, rest = parse_reps(m.group(1)), m.group(3)
        if m.group(2):
            kinds.append(AT_LEAST)
    elif (m := _WORD_THEN_COUNT.match(s)) is not None and fold(m.group(1)) in words["no_count"]:
        reps, rest = parse_reps(m.group(2)), ""  # "AMRAP 12", "max: 8"
        kinds.append(AT_LEAST if m.group(3) else MARKED)
    elif fold(s) in words["no_count"]:
        return RepsCell(None, tuple(kinds) + (NO_COUNT,), remark=remark)  # "AMRAP", "to failure", "F"
    else:
        return None
    if not _after_count(rest, kinds):
        return None
    return RepsCell(reps, tuple(dict.fromkeys(kinds)), remark=remark)


def read_reps(text: str) -> RepsCell:
    """A reps cell as people write it, read the same way by every importer (the policy a coach would accept:
    no set invented or dropped, a count never read higher than the lifter certainly did):

    - a count, with its word or not: "8", "8 reps", "12 Wdh.", "8x";
    - a range "8-10", "8–10", "8 to 10" (`reps_cells.range_words`): its lower end (RANGE);
    - "5+": 5, the reps certainly done (AT_LEAST);
    - "AMRAP", "max", "to failure", "F" with no number: the set is kept, its reps unknown (NO_COUNT); with a
      number ("AMRAP 12", "12 F") the number (MARKED);
    - per side "10/side", "10 each", "12 e/s", "10 per leg": the count per side (PER_SIDE);
    - "10 (assisted)": the count, the bracketed words as `remark` (REMARK);
    - several sets in one cell "8,8,7", "8/8/7", "10 10 8" (SETS) or a scheme "3x10" (SCHEME, sets x reps):
      `reps` None and one entry per set in `items`, each read by this function; readers that keep one row
      per set refuse such a row on its own (`ParsedFile.reps`).

    Anything else raises ValueError naming the cell, as `parse_reps` does."""
    s = text.strip()
    if not s:
        return _EMPTY_REPS
    one = _one_set(s)
    if one is not None:
        return one
    m = _SCHEME_CELL.match(s)
    if m is not None:  # "3x10": sets x reps
        count, each = int(m.group(1)), _one_set(m.group(2))
        if each is not None and each.reps is not None and 0 < count <= MAX_SETS_IN_CELL:
            return RepsCell(None, (SCHEME, *each.kinds), items=(m.group(2).strip(),) * count)
    parts = _ITEM_SEPARATOR.split(s) if any(c in s for c in "/,;|") else s.split()
    if 2 <= len(parts) <= MAX_SETS_IN_CELL:
        cells = [_one_set(p) for p in parts]
        if all(c is not None for c in cells):
            kinds = dict.fromkeys(k for c in cells for k in c.kinds)  # type: ignore[union-attr]
            return RepsCell(None, (SETS, *kinds), items=tuple(p.strip() for p in parts))
    return RepsCell(parse_reps(s))  # the count in a shape only the plain reader knows ("1.0"), or its error


def single_reps(text: str) -> int | None:
    """The count of a reps cell read without counting it for the report (a repair being tried, a caller with
    no file); a cell holding several sets raises RowRefused, as in `ParsedFile.reps`."""
    cell = read_reps(text)
    if cell.items:
        raise RowRefused(f"reps {text.strip()[:40]!r} holds {len(cell.items)} sets in one cell")
    return cell.reps


_REPS_REPORT = {
    RANGE: "{hold} a range such as {text!r} (first at {place}): each such set stores the lower end, the reps the "
           "lifter certainly did",
    AT_LEAST: "{hold} a count with a plus such as {text!r} (first at {place}): the number is stored, the reps "
              "certainly done",
    NO_COUNT: "{say} {text!r} with no number (first at {place}): those sets are kept with their reps unknown, not "
              "counted for reps",
    MARKED: "{carry} a failure or AMRAP word beside the count such as {text!r} (first at {place}): the count is "
            "stored",
    PER_SIDE: "{give} the count per side such as {text!r} (first at {place}): the count per side is stored",
    REMARK: "{hold} words in brackets beside the count such as {text!r} (first at {place}): the count is stored, "
            "the words are kept as the set's note",
    SETS: "{list} several sets in one cell such as {text!r} (first at {place}): one set per entry",
}


_THIRD_PERSON = {"carry": "carries"}  # one cell "carries", not "carrys"


def reps_report(parsed: "ParsedFile") -> list[str]:
    """The report's lines for the reps cells that were not one plain count, one per kind, with the count of
    such cells and the first place (FILE:LINE)."""
    out = []
    for kind, (n, line, text) in parsed.reps_kinds.items():
        template = _REPS_REPORT.get(kind)
        if template is not None:
            verbs = {v: v if n != 1 else _THIRD_PERSON.get(v, v + "s")
                     for v in ("hold", "say", "carry", "give", "list")}
            out.append(f"{n} reps cell{'s' if n != 1 else ''} "
                       + template.format(text=text, place=f"{parsed.path}:{line}", **verbs))
    return out


_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\b")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def parse_duration(text: str) -> float | None:
    """Seconds from '31m', '1h 3m', '145h 27m', '45s', '1:02:03', '90' (seconds); empty -> None."""
    s = text.strip().lower()
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        pass
    else:
        if not math.isfinite(v) or v < 0 or v > 1e7:
            raise ValueError(f"duration {text!r} is out of range")
        return v
    m = _CLOCK.match(s)
    if m:
        h, mi, sec = m.groups()
        return int(h or 0) * 3600 + int(mi) * 60 + float(sec)
    total, pos = 0.0, 0
    for part in _DURATION_PART.finditer(s):
        if s[pos : part.start()].strip():
            break
        n, unit = float(part.group(1).replace(",", ".")), part.group(2)
        total += n * (3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1)
        pos = part.end()
    if pos == 0 or s[pos:].strip():
        raise ValueError(f"duration {text[:40]!r} is not like '1h 3m'")
    if total > 1e7:
        raise ValueError(f"duration {text!r} is out of range")
    return total


# Month names in the languages exports come in (first three letters, accents folded).
_MONTHS = {
    **{m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    "sept": 9, "ene": 1, "abr": 4, "ago": 8, "dic": 12, "mai": 5, "okt": 10, "dez": 12, "mrz": 3, "maer": 3,
    "mär": 3, "janv": 1, "fev": 2, "fevr": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "aout": 8, "déc": 12,
    "fév": 2, "févr": 2, "août": 8, "set": 9, "out": 10, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ott": 10,
    "sij": 1, "velj": 2, "ozu": 3, "tra": 4, "svi": 5, "lip": 6, "srp": 7, "kol": 8, "ruj": 9, "lis": 10,
    "stu": 11, "pro": 12, "maj": 5, "okt.": 10, "dez.": 12, "mei": 5, "des": 12,
    # Russian, in the genitive a date uses ("7 мар. 2026")
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10,
    "ноя": 11, "дек": 12,
}
_DAY_MONTH_YEAR = re.compile(
    r"^(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4})(?:,|\s+(?:at|um|a las|a les|às|alle|à|u))?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.I
)
_ISO_12H = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?[\s\u202f\u00a0]*([ap]\.?m\.?)$", re.I)


def _month(name: str) -> int:
    key = name.lower().strip(".")
    for k in (key, key[:4], key[:3]):
        if k in _MONTHS:
            return _MONTHS[k]
    raise ValueError(f"unknown month {name!r}")


def _hour(h: str, ampm: str | None) -> int:
    hour = int(h)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock with an hour outside 1..12")
        hour = hour % 12 + (12 if pm else 0)
    return hour


AMBIGUOUS_DATE = "the date"


class AmbiguousDate(ValueError):
    """A numeric date that reads both day-first and month-first, in a file whose other dates do not tell."""


# 05/03/2024, 5-3-24, 05.03.2024 18:02, 3/5/2024 6:02 PM, 05/03/2024T18:02:11: day and month in either order
_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:(?:,?\s+|T)(?:(?:at|um|à|a las|às|alle|u)\s+)?"
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?[\s\u202f\u00a0]*([ap]\.?m\.?)?)?$",
    re.I,
)
# the same, found anywhere in a file's text, for the evidence of the file's order (dots are always day-first):
# each pattern starts at its separator, which the regex engine finds by a fast literal search - a pattern
# starting with a digit would be tried at every digit of a 50 MB file
_SLASH_DATE_TAIL = re.compile(r"/(\d\d?)/(\d{4}|\d\d)(?![\d/])")
_DASH_DATE_TAIL = re.compile(r"-(\d\d?)-(\d{4})(?![\d-])")  # 4-digit year only: ISO's 2024-03-01 never fits


def _numeric_dates_in(text: str) -> dict[tuple[int, int, str], None]:
    """(first, second, year) of every dd/mm/yyyy-like date in `text`, in order of first appearance."""
    found: dict[tuple[int, int, str], None] = {}
    for pattern, sep in ((_SLASH_DATE_TAIL, "/"), (_DASH_DATE_TAIL, "-")):
        if sep not in text:
            continue
        for m in pattern.finditer(text):
            j = k = m.start()
            while k > 0 and j - k < 3 and text[k - 1].isdigit():
                k -= 1
            if not 1 <= j - k <= 2 or (k > 0 and text[k - 1] in "0123456789/.-"):
                continue
            found.setdefault((int(text[k:j]), int(m.group(1)), m.group(2)), None)
    return found


_DATE_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
_ISO_SHORT_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*h)?$", re.I)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
# date alone with a month name: 5 Mar 2024, 5-Mar-2024, Mar 5, 2024, March 5 2024
_DMY_WORD = re.compile(r"^(\d{1,2})[\s.-]+(?:de\s+)?([^\W\d_]+)\.?[\s,-]+(?:de\s+)?(\d{4}|\d{2})$", re.I)
_MDY_WORD = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$", re.I)


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:  # a spreadsheet's short year: 00-69 are this century
        y += 2000 if y < 70 else 1900
    return y


def _numeric(m: re.Match, order: str | None) -> dt.datetime:
    a, sep, b, year, hh, mm, ss, ampm = m.groups()
    first, second = int(a), int(b)
    if order is None:
        if sep == ".":
            order = "dmy"  # 05.03.2024: no locale writes the month first with dots
        elif first > 12 >= second:
            order = "dmy"
        elif second > 12 >= first:
            order = "mdy"
        elif first == second:
            order = "dmy"  # 03/03/2024 reads the same either way
        else:
            raise AmbiguousDate(
                f"{AMBIGUOUS_DATE} {m.group(0)[:40]!r} reads as day/month or as month/day, and no other date in the "
                "file tells which: re-run with --date-format dmy (day first) or --date-format mdy (month first)")
    day, month = (first, second) if order == "dmy" else (second, first)
    time = dt.time(_hour(hh, ampm), int(mm), int(ss or 0)) if hh is not None else dt.time()
    return dt.datetime.combine(dt.date(_year(year), month, day), time)


def _more(found: list) -> str:
    return f" (and {len(found) - 1} more dates)" if len(found) > 1 else ""


# A spreadsheet's date cell written as its serial number (days since 1899-12-30: 45352 = 2024-03-01) when the
# column lost its date format, and Unix time in seconds or milliseconds (JEFIT's session times). The ranges
# (1954..2118 as serials, 2001..2286 as epoch seconds) hold no load, rep count or duration a log could mean.
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _serial_date(s: str) -> dt.datetime | None:
    if not s[:1].isdigit() or not s.replace(".", "", 1).isdigit():
        return None
    v = float(s)
    if 20000 <= v < 80000:
        return (_EXCEL_EPOCH + dt.timedelta(days=v)).replace(microsecond=0)
    if "." not in s and len(s) in (10, 13):
        secs = int(s) / (1000 if len(s) == 13 else 1)
        if 1e9 <= secs < 1e10:
            return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(secs))  # UTC, as the epoch counts
    return None


def numeric_date_order(text: str) -> tuple[str | None, str]:
    """The day/month order of the numeric dates (05/03/2024, 5-3-24) in a file's text, by the evidence of all
    of them: "dmy" or "mdy" with why, "ambiguous" when both readings fit, None when it holds no such dates.

    Evidence, strongest first: a first number over 12 (a day: day first) or a second over 12 (month first);
    both at once is a file mixing orders (ambiguous). When every date fits both readings, the order the
    dates come in: a log moves through time in steps of days, so the reading whose consecutive dates lie
    closer together (median gap at least 4 times shorter) is the file's.
    """
    pairs = _numeric_dates_in(text)
    if not pairs:
        return None, ""
    day_first = [p for p in pairs if p[0] > 12 and p[1] <= 12]
    month_first = [p for p in pairs if p[1] > 12 and p[0] <= 12]
    if day_first and not month_first:
        a, b, y = day_first[0]
        return "dmy", f"{a:02d}/{b:02d}/{y}" + _more(day_first) + " can only be day first"
    if month_first and not day_first:
        a, b, y = month_first[0]
        return "mdy", f"{a:02d}/{b:02d}/{y}" + _more(month_first) + " can only be month first"
    if day_first and month_first:
        return "ambiguous", "the file has dates that can only be day first and others that can only be month first"

    def gaps(order: str) -> list[int]:
        days = []
        for a, b, y in pairs:
            d, m = (a, b) if order == "dmy" else (b, a)
            try:
                days.append(dt.date(_year(y), m, d).toordinal())
            except ValueError:
                return []
        return sorted(abs(x - w) for w, x in zip(days, days[1:]))

    dmy, mdy = gaps("dmy"), gaps("mdy")
    if len(dmy) >= 2 and len(mdy) >= 2:
        gd, gm = dmy[len(dmy) // 2], mdy[len(mdy) // 2]
        if gd * 4 <= gm:
            return "dmy", f"read day first, consecutive dates are {gd} days apart (median), month first {gm}"
        if gm * 4 <= gd:
            return "mdy", f"read month first, consecutive dates are {gm} days apart (median), day first {gd}"
    return "ambiguous", "every numeric date reads both day first and month first"


def parse_datetime(text: str, fmt: str | None = None, order: str | None = None) -> dt.datetime:
    """`_parse_datetime`, whose every error quotes the cell: a date of a shape peri reads but no real day or time
    ("2024-03-07 25:61:00": Python's own "hour must be in 0..23" said nothing of which cell) is "not a real date";
    a month word or a clock the file's dates share stay what they are, prefixed with the cell."""
    try:
        return _parse_datetime(text, fmt, order)
    except AmbiguousDate:
        raise
    except ValueError as e:
        why = str(e)
        if why.startswith("date "):
            raise
        cell = text.strip()[:40]
        if why.startswith(("unknown month", "12-hour clock")):
            raise ValueError(f"date {cell!r}: {why}") from None
        raise ValueError(f"date {cell!r} is not a real date ({why})") from None


def _parse_datetime(text: str, fmt: str | None = None, order: str | None = None) -> dt.datetime:
    """A naive local datetime from the shapes exports use: ISO ('2024-01-07 17:15:00', '2024-01-07T17:15',
    with or without a zone, which is dropped: the wall-clock time as logged), Hevy's '7 Apr 2026, 10:14'
    (month names in several languages), 'Jan 7, 2024, 5:15 PM', ISO with AM/PM, numeric day/month dates
    ('05/03/2024 18:02', '3/5/24 6:02 PM', '05.03.2024') or a date alone (midnight). `fmt` (strptime) wins
    when given; `order` ("dmy" | "mdy", from `numeric_date_order` or --date-format) reads numeric dates
    whose day and month could be either; without it such a date raises `AmbiguousDate`."""
    s = text.strip()
    if not s:
        raise ValueError("date is empty")
    if fmt:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            raise ValueError(f"date {s[:40]!r} does not match {fmt!r}") from None
    try:
        d = dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
        return d.replace(tzinfo=None) if d.tzinfo else d
    except ValueError:
        pass
    serial = _serial_date(s)
    if serial is not None:
        return serial
    m = _NUMERIC_DATE.match(s)
    if m:
        try:
            return _numeric(m, order if order in ("dmy", "mdy") else None)
        except AmbiguousDate:
            raise
        except ValueError:
            raise ValueError(f"date {s[:40]!r} is not a real date"
                             + (f" read {'day' if order == 'dmy' else 'month'} first" if order else "")) from None
    s = _WEEKDAY.sub("", s)
    m = _DAY_MONTH_YEAR.match(s)
    if m:
        day, mon, year, hh, mm, ss, ampm = m.groups()
        return dt.datetime(int(year), _month(mon), int(day), _hour(hh, ampm), int(mm), int(ss or 0))
    m = _MONTH_DAY_YEAR.match(s)
    if m:
        mon, day, year, hh, mm, ss, ampm = m.groups()
        return dt.datetime(int(year), _month(mon), int(day), _hour(hh, ampm), int(mm), int(ss or 0))
    m = _ISO_12H.match(s)
    if m:
        day_s, hh, mm, ss, ampm = m.groups()
        d = dt.date.fromisoformat(day_s)
        return dt.datetime(d.year, d.month, d.day, _hour(hh, ampm), int(mm), int(ss or 0))
    m = _DMY_WORD.match(s)
    if m:
        return dt.datetime(_year(m.group(3)), _month(m.group(2)), int(m.group(1)))
    m = _MDY_WORD.match(s)
    if m:
        return dt.datetime(int(m.group(3)), _month(m.group(1)), int(m.group(2)))
    # "2026-02-19 4:54" and Alpha Progression's "2026-02-19 4:54 h": an hour without its leading zero
    m = _ISO_SHORT_HOUR.match(s)
    if m:
        d = dt.date.fromisoformat(m.group(1))
        return dt.datetime(d.year, d.month, d.day, int(m.group(2)), int(m.group(3)), int(m.group(4) or 0))
    # "2024-02-01 06:00:00 +0000" (a space before the zone, as Fitbod writes it)
    zoned = re.match(r"^(.*\d)\s+(?:UTC|GMT)?([+-]\d{2}:?\d{2})$", s)
    if zoned:
        try:
            return dt.datetime.fromisoformat(zoned.group(1)).replace(tzinfo=None)
        except ValueError:
            pass
    for f in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, f)
        except ValueError:
            continue
    raise ValueError(f"date {s[:40]!r} is not a date this importer knows")


# weight unit words as exports and spreadsheets write them (lower-cased, a final dot dropped)
_KG_UNITS = frozenset({"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramm", "kilogramme", "kilogrammes",
                       "kilogramo", "kilogramos", "kilograma", "kilogramas", "chilogrammi", "chilogrammo", "quilo",
                       "quilos", "quilograma", "quilogramas", "kilogrammi", "kilogramy", "kilogramów", "кг", "kgr",
                       "kgm", "kilogrammes", "公斤", "千克", "キロ"})
_LB_UNITS = frozenset({"lb", "lbs", "lb's", "lbm", "pound", "pounds", "#", "pfund", "livre", "livres", "libra",
                       "libras", "libbre", "libbra", "фунт", "фунты", "фунтов", "funt", "funty", "pond", "ponden",
                       "磅", "ポンド"})


def weight_unit(text: str | None) -> str | None:
    """'kg'/'kgs'/'lb'/'lbs'/'pounds' -> 'kg' | 'lb'; empty -> None; anything else raises."""
    if text is None:
        return None
    s = text.strip().lower().rstrip(".")
    if not s:
        return None
    if s in _KG_UNITS:
        return "kg"
    if s in _LB_UNITS:
        return "lb"
    raise ValueError(f"weight unit {text[:20]!r} is not kg or lb")


def distance_factor(text: str | None, default: float = 1.0) -> float:
    """Metres per unit for 'm', 'km', 'mi', 'mi.', 'miles', 'ft', 'yd'; empty -> default."""
    if text is None:
        return default
    s = text.strip().lower().rstrip(".")
    if not s:
        return default
    table = {"m": 1.0, "meter": 1.0, "meters": 1.0, "metres": 1.0, "km": 1000.0, "kms": 1000.0, "mi": MI_TO_M,
             "mile": MI_TO_M, "miles": MI_TO_M, "ft": FT_TO_M, "feet": FT_TO_M, "yd": YD_TO_M, "yds": YD_TO_M,
             "yards": YD_TO_M}
    if s not in table:
        raise ValueError(f"distance unit {text[:20]!r} is not m, km, mi, ft or yd")
    return table[s]


# a load with its unit in the cell: "100kg", "225 lbs", "102,5 kg", "45 lb.", "20 Kilo"
_WEIGHT_WITH_UNIT = re.compile(r"^\s*([-+]?\d[\d.,\s\u00a0]*?)\s*([^\W\d_][^\d]*?|#)\s*$")


# a load cell that says bodyweight: the set has no external load (a spreadsheet's "BW", "-")
_BODYWEIGHT = re.compile(r"^(?:bw|bodyweight|body\s*weight|körpergewicht|kg\s*corp\w*|peso\s+corporal|poids\s+du\s+corps|"
                         r"poids\s+de\s+corps|pc)\s*(?:\+\s*(.+))?$", re.I)
_NO_LOAD = frozenset({"-", "—", "–", "n/a", "na", "none", "/"})


def parse_weight(text: str, what: str = "weight") -> tuple[float | None, str | None]:
    """A load and the unit written in its cell ('225 lbs' -> (225.0, 'lb')), or (value, None) for a bare
    number; empty -> (None, None). A word that is not a weight unit is an error naming it."""
    s = text.strip()
    if not s or s[-1].isdigit() and not s[:1].isalpha():
        return parse_number(s, what, low=-5000, high=5000), None
    bw = _BODYWEIGHT.match(s)
    if bw:  # "BW": bodyweight alone, no load; "BW+20" / "BW + 20 kg": 20 added to bodyweight
        return parse_weight(bw.group(1), what) if bw.group(1) else (None, None)
    if s.lower() in _NO_LOAD:
        return None, None
    m = _WEIGHT_WITH_UNIT.match(s)
    if m is None:
        return parse_number(s, what, low=-5000, high=5000), None  # raises, naming the cell
    try:
        unit = weight_unit(m.group(2))
    except ValueError:
        raise ValueError(f"{what} {s[:40]!r} carries a unit peri does not know (kg or lb)") from None
    return parse_number(m.group(1), what, low=-5000, high=5000), unit


def to_kg(weight: float | None, unit: str | None) -> float | None:
    if weight is None:
        return None
    if unit == "lb":
        return round(weight * LB_TO_KG, 4)
    return round(weight, 4)


def exercise_name(text: str, column: str) -> str:
    """The exercise a cell names, stripped. A cell of figures or marks alone ("0", "25569", "-") names none:
    it is a spreadsheet's total or a shifted column, so its row is refused (never a lift called "0").
    Any letter of any script counts, and so does a pictograph, which some people name lifts with."""
    name = text.strip()
    if not name:
        raise ValueError(f"{column} is empty")
    if not any(unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "So" for c in name):
        raise ValueError(f"{column} {name[:40]!r} names no exercise (no letter in it)")
    return name


def clean_text(text: str | None) -> str | None:
    """Notes as logged, but with surrounding blanks gone; empty -> None."""
    if text is None:
        return None
    s = text.strip()
    return s or None


def header_index(header: list[str]) -> dict[str, int]:
    """Lower-cased, stripped header name -> column index (first wins)."""
    out: dict[str, int] = {}
    for i, h in enumerate(header):
        out.setdefault(h.strip().lower(), i)
    return out


def table_rows(
    table: Table, out: ParsedFile, problems: Problems | None, progress: Any = None, every: int = 20000,
) -> Iterator[tuple[int, list[str]]]:
    """The data rows of `table` with their line numbers, as every importer walks them.

    Counts rows into `out.rows_read`, reports `progress(line, total)` every `every` rows, and skips empty
    rows, and closing rows after the last set (`_closing_like`: a total, a note), with a note in `out.skipped`. With `problems`, a row with the wrong number of fields is reported
    there and skipped; without, the caller gets it (FitNotes repairs unquoted commas in names).
    """
    ncols = len(table.header)
    bad = table.bad_lines
    raw = [h.strip().lower() for h in table.raw_header]
    raw0 = raw[0] if raw else None
    width = max(table.width, ncols)
    held: list[tuple[int, list[str]]] = []
    for line, row in table.rows:
        out.rows_read += 1
        if progress is not None and out.rows_read % every == 0:
            progress(line, table.total_lines)
        if bad and line in bad:
            out.refused.append(f"{table.path}:{line}: {bad[line]}")
            continue
        if not row or empty_row(row):
            out.skipped.append(f"line {line}: empty row")
            continue
        if ncols < len(row) <= width and not any(c.strip() for c in row[ncols:]):
            row = row[:ncols]  # the empty cells of the empty columns a spreadsheet adds
        if row[0].strip().lower() == raw0 and [c.strip().lower() for c in row] == raw:
            # files glued together, or a spreadsheet's header copied down: a header row is not a set
            out.skipped.append(f"line {line}: the header row repeated (not a set)")
            continue
        if _closing_like(row):
            held.append((line, row))  # a total or a note if nothing set-like follows it (see _closing_like)
            continue
        if _summary_row(row):  # "Workout total,,,10,1000": a sheet's total, wherever it stands
            _skip_summary(out, line, row)
            continue
        for held_line, held_row in held:
            if _summary_row(held_row):
                _skip_summary(out, held_line, held_row)
                continue
            if problems is not None and len(held_row) != ncols:
                problems.add(held_line, f"expected {ncols} fields, found {len(held_row)}")
                continue
            yield held_line, held_row
        held.clear()
        if problems is not None and len(row) != ncols:
            problems.add(line, f"expected {ncols} fields, found {len(row)}")
            continue
        yield line, row
    for held_line, held_row in held:
        filled = sum(1 for c in held_row if c.strip())
        out.skipped.append(f"line {held_line}: a closing row with {filled} of {ncols} cells filled "
                           f"({next(c.strip() for c in held_row if c.strip())[:30]!r}: a total or a note, not a set)")
    if out.rows_read == 0:
        out.warnings.append("the file has a header but no rows: nothing to import")


_FIGURE = re.compile(r"^[-+]?\d[\d.,\s\u00a0']*%?$")  # a figure: "12,345", "1 234,5", "98.5%"
MAX_CLOSING_CELLS = 2  # a set names at least a date or an exercise and a count: a row with 2 cells or fewer


def _closing_like(row: list[str]) -> bool:
    """A row that may be a spreadsheet's closing total or a note under the log: at most MAX_CLOSING_CELLS cells
    filled, and either no digit in any of them ("Great block!") or the first one a summary word ("Total",
    "Summe", "Average": data/import_vocabulary.yaml `closing_words`). Such rows are held back by `table_rows`
    and read as sets if a set-like row follows (a block log's exercise heading); at the end of the file they are
    skipped with a note instead of failing the import on a date that is no date. Figures alone off the first
    column ("", "", "12,345": a SUM with no label under a column) are a total too; in the first column they may
    be a block log's set number, so they are not."""
    cells = [c.strip() for c in row if c.strip()]
    if not cells or len(cells) > MAX_CLOSING_CELLS:
        return False
    if not any(ch.isdigit() for c in cells for ch in c):
        return True
    if not row[0].strip() and all(_FIGURE.match(c) for c in cells):
        return True
    from .dialect import fold, vocabulary  # dialect builds on this module: imported when a row needs it

    words = fold(cells[0]).split()
    return bool(words) and words[0] in vocabulary()["closing_words"]


_FIGURE_AND_UNIT = re.compile(r"^([-+]?\d[\d.,\s\u00a0']*?)\s*(%|[^\W\d_]{1,7}\.?)?$")  # "12,345", "1 234,5 kg"
_SUMMARY_UNITS = frozenset({"km", "mi", "m", "s", "sec", "secs", "min", "mins", "h", "hrs", "reps", "sets", "%", "x"})


def _figure_or_unit(cell: str) -> bool:
    """A total's cell: a figure, a figure with its unit, or a unit alone ("12,345", "1 234,5 kg", "kg", "98%")."""
    m = _FIGURE_AND_UNIT.match(cell)
    if m is None and not cell[:1].isalpha():
        return False
    unit = ((m.group(2) or "") if m else cell).lower().rstrip(".")
    if not unit:
        return True
    if unit in _SUMMARY_UNITS:
        return True
    try:
        return weight_unit(unit) is not None
    except ValueError:
        return False


def _skip_summary(out: "ParsedFile", line: int, row: list[str]) -> None:
    out.skipped.append(f"line {line}: a summary row ({next(c.strip() for c in row if c.strip())[:30]!r} and "
                       "figures: a total, not a set)")


def _summary_row(row: list[str]) -> bool:
    """A spreadsheet's total or average of a workout or of the file ("Workout total,,,10,1000", "Total volume:,,
    12,345 kg"): its first filled cell a label made of closing words (one at least) and summary words only
    (`closing_words`, `summary_label_words` in data/import_vocabulary.yaml), every other cell a figure or a unit.
    A set's row names an exercise or a date, neither of which is such a label."""
    cells = [c.strip() for c in row if c.strip()]
    if len(cells) < 2 or any(not _figure_or_unit(c) for c in cells[1:]):
        return False
    from .dialect import fold, vocabulary

    words = fold(cells[0].rstrip(":")).replace(":", " ").split()
    vocab = vocabulary()
    closing, beside = vocab["closing_words"], vocab["summary_label_words"]
    return bool(words) and any(w in closing for w in words) and all(w in closing or w in beside for w in words)


def empty_row(row: list[str]) -> bool:
    return not any(c.strip() for c in row)
