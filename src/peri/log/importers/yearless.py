"""Dates written without their year ("Mon 3 Mar", "Jan 14., 06:04", "3 March 18:30"), given one from the file.

Some apps write a date without its year (Gymaholic writes `Jan 14., 06:04`; apps leave the year out of the
current year's dates), and so do people in a sheet kept for one season. A year is never made up: it is read,
for every date of a date column, from what the file itself says, in this order:

1. **dated neighbours**: dates of the same column that carry a year ("2024-12-30" a few rows above); each
   year-less date counts on (or back) from the nearest one above it (below it, for the rows above the first);
2. `--year YYYY` (`mapping["year"]`): the year of the first year-less date in file order;
3. **weekdays**: dates written with their weekday ("Mon 3 Mar") fit only some years; the years are taken when
   exactly one run of years fits every weekday with its last date in the five years up to today (a weekday
   repeats every 5, 6 or 11 years: further back the same weekdays fit several years, and which is never
   guessed).

Counting on: the file's dates run one way, oldest first or newest first, told by which way most steps between
consecutive dates go, each step taken the shorter way round the calendar (sessions are days apart: "31 Dec" to
"2 Jan" is two days on, not a year back); a step the other way ("30 Dec" then "2 Jan" in an oldest-first file) is the turn of a
year. A pause of a year or more between two sessions cannot be seen in dates without years; the report says how
the years were read, with the first date, so such a file can be checked.

Nothing read, or a weekday that does not fit the year its neighbours give: the import stops naming the first
such date (FILE:LINE) with the hint `--year`. A file whose dates carry their years passes unchanged: only its
first rows are looked at.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from ...errors import ImportFormatError
from .base import Table, _month, parse_datetime
from .dialect import fold, generic_field

PEEK = 200  # rows looked at before deciding a file has year-less dates at all
RECENT_YEARS = 5  # weekdays decide only among runs of years whose last date is this recent
_APP_DATE_COLUMNS = {"date", "start time", "end time"}
_WEEKDAYS = {name: i for i, names in enumerate((
    ("mon", "monday", "mo", "montag", "lun", "lundi", "lunes", "lunedi", "seg", "segunda", "ma", "maandag"),
    ("tue", "tues", "tuesday", "di", "dienstag", "mar", "mardi", "martes", "martedi", "ter", "terca", "dinsdag"),
    ("wed", "wednesday", "mi", "mittwoch", "mer", "mercredi", "mie", "miercoles", "mercoledi", "qua", "quarta",
     "wo", "woensdag"),
    ("thu", "thur", "thurs", "thursday", "do", "donnerstag", "jeu", "jeudi", "jue", "jueves", "gio", "giovedi",
     "qui", "quinta", "donderdag"),
    ("fri", "friday", "fr", "freitag", "ven", "vendredi", "vie", "viernes", "venerdi", "sex", "sexta", "vr",
     "vrijdag"),
    ("sat", "saturday", "sa", "samstag", "sam", "samedi", "sab", "sabado", "sabato", "za", "zaterdag"),
    ("sun", "sunday", "so", "sonntag", "dim", "dimanche", "dom", "domingo", "domenica", "zo", "zondag"),
)) for name in names}
_TIME = r"(?:,?\s*(?:at|um|a las|às|alle)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?"
# "3 Mar", "3. März", "14 Jan 06:04"; "Mar 3", "Jan 14., 06:04", "March 3rd"
# (a spreadsheet's "d-mmm" display, "3-Mar", is day-month; "Mar-24" is its "mmm-yy", a month of a year: not read)
_DAY_MONTH = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\.?(?:\s*|-)(?:de\s+)?([^\W\d_]{{3,}})\.?{_TIME}$", re.I)
_MONTH_DAY = re.compile(rf"^([^\W\d_]{{3,}})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\.?{_TIME}$", re.I)
_WEEKDAY = re.compile(r"^([^\W\d_]{2,})\.?,?\s+", re.I)
_ISO_START = re.compile(r"^\d{4}-\d")


@dataclass(frozen=True)
class Yearless:
    """A date read without its year: month, day, time of day, and the weekday it names (0 = Monday) if any."""

    month: int
    day: int
    time: dt.time
    weekday: int | None

    @property
    def key(self) -> tuple[int, int, dt.time]:
        return self.month, self.day, self.time

    def on(self, year: int) -> dt.datetime | None:
        try:
            return dt.datetime.combine(dt.date(year, self.month, self.day), self.time)
        except ValueError:
            return None  # 29 February of a year that has none


def read_yearless(text: str) -> Yearless | None:
    """The month, day (and time, weekday) of a date written without a year, or None for any other text."""
    s = text.strip()
    m = _WEEKDAY.match(s)
    if m and fold(m.group(1)) in _WEEKDAYS:
        # "Mar 3": "mar" is a weekday too (Spanish, French): the text is read without a weekday when it must be
        found = _read(s[m.end():], _WEEKDAYS[fold(m.group(1))])
        if found is not None:
            return found
    return _read(s, None)


def _read(s: str, weekday: int | None) -> Yearless | None:
    for pattern, order in ((_DAY_MONTH, (1, 0)), (_MONTH_DAY, (0, 1))):
        m = pattern.match(s)
        if m is None:
            continue
        month_text, day_text = m.group(1 + order[0]), m.group(1 + order[1])
        try:
            month = _month(month_text)
            time = _clock(*m.groups()[2:])
        except ValueError:
            return None
        day = int(day_text)
        if not 1 <= day <= 31 or (month, day) in ((2, 30), (2, 31), (4, 31), (6, 31), (9, 31), (11, 31)):
            return None
        return Yearless(month, day, time, weekday)
    return None


def _clock(hh: str | None, mm: str | None, ss: str | None, ampm: str | None) -> dt.time:
    if hh is None:
        return dt.time()
    hour = int(hh)
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock with an hour outside 1..12")
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    return dt.time(hour, int(mm or 0), int(ss or 0))


def date_columns(header: list[str]) -> list[int]:
    """The columns that hold a date: an app's (after `dialect` has named them) or a generic log's."""
    return [i for i, h in enumerate(header) if fold(h) in _APP_DATE_COLUMNS or generic_field(h) == "date"]


def add_years(table: Table, year: int | None = None, today: dt.date | None = None) -> str | None:
    """Give the year-less dates of `table`'s date columns their years (see the module docstring), rewriting
    those cells as ISO dates; the report's note, or None for a file with no year-less date (its rows untouched).
    Raises ImportFormatError naming the first date whose year the file does not tell."""
    cols = date_columns(table.header)
    if not cols:
        return None
    head = list(itertools.islice(table.rows, PEEK))
    if not any(_yearless(row[c]) for _, row in head for c in cols if c < len(row)):
        table.rows = itertools.chain(head, table.rows)
        return None
    rows = head + list(table.rows)
    cells = {c: _cells(rows, c) for c in cols}
    # which way the file runs, from every date column at once: each step between consecutive dates goes the
    # shorter way round the calendar (sessions are days apart, not most of a year), and most steps go one way
    votes = sum(_vote(a, b) for found in cells.values() for (_, _, a), (_, _, b) in zip(found, found[1:]))
    step = -1 if votes < 0 else 1
    notes = []
    primary: dict[int, dt.datetime] | None = None
    for c in cols:
        if primary is not None and any(isinstance(y, Yearless) for _, _, y in cells[c]):
            # a second date column (Hevy's end_time): each date in the year that puts it nearest its row's first
            note = _beside(table, rows, c, cells[c], primary)
        else:
            note = _column(table, rows, c, cells[c], step, year, today or dt.date.today())
            if note:
                primary = {i: parse_datetime(rows[i][1][c]) for i, _, _ in cells[c]}
        if note:
            notes.append(note)
    table.rows = iter(rows)
    return "; ".join(notes) or None


def _yearless(text: str) -> Yearless | None:
    if not text.strip() or _ISO_START.match(text.strip()):
        return None  # ISO dates: the usual case, never year-less
    try:
        parse_datetime(text)
        return None
    except ValueError:
        return read_yearless(text)


def _cells(rows: list[tuple[int, list[str]]], c: int) -> list[tuple[int, int, Yearless | dt.datetime]]:
    """(index in rows, line, the date read with or without its year) of each date cell of column `c`."""
    cells: list[tuple[int, int, Yearless | dt.datetime]] = []
    for i, (line, row) in enumerate(rows):
        if c >= len(row) or not row[c].strip():
            continue
        y = _yearless(row[c])
        if y is not None:
            cells.append((i, line, y))
            continue
        try:
            cells.append((i, line, parse_datetime(row[c])))
        except ValueError:
            continue  # the reader names it
    return cells


def _vote(a: Yearless | dt.datetime, b: Yearless | dt.datetime) -> int:
    """+1 when the step from date a to date b is shorter forward round the calendar, -1 backward, 0 same day."""
    def at(y: Yearless | dt.datetime) -> float:
        month, day, time = _key(y)
        return dt.date(2000, month, day).timetuple().tm_yday + (time.hour * 60 + time.minute) / 1440
    ahead = (at(b) - at(a)) % 366
    return 0 if ahead == 0 else 1 if ahead < 183 else -1


def _column(table: Table, rows: list[tuple[int, list[str]]], c: int, cells: list, step: int, year: int | None,
            today: dt.date) -> str | None:
    bare = [(i, line, y) for i, line, y in cells if isinstance(y, Yearless)]
    if not bare:
        return None
    first_line, first_text = bare[0][1], rows[bare[0][0]][1][c].strip()
    where = f"{table.path}:{first_line}"
    direction = "newest first" if step < 0 else "oldest first"
    anchored = [k for k, (_, _, y) in enumerate(cells) if isinstance(y, dt.datetime)]
    if anchored:
        years = _count_on(cells, step, anchored)
        why = "the dates with a year beside them"
    elif year is not None:
        first = next(k for k, (_, _, y) in enumerate(cells) if isinstance(y, Yearless))
        years = _count_on(cells, step, [first], start=year)
        why = f"--year {year}"
    else:
        if any(y.weekday is None for _, _, y in bare):
            raise ImportFormatError(
                f"the dates carry no year (such as {first_text[:40]!r}), and nothing in the file tells it: no date "
                "with a year, and not every date names its weekday", place=where,
                hint="pass --year YYYY, the year of the file's first date (later dates count on from it), or add "
                     "the year to the dates; nothing was imported")
        fits = _weekday_years(cells, step, today)
        if len(fits) != 1:
            said = (f"their weekdays fit {len(fits)} runs of years ending in the last {RECENT_YEARS} years "
                    f"(starting {', '.join(str(f) for f in fits[:4])})" if fits else
                    f"their weekdays fit no run of years ending in the last {RECENT_YEARS} years")
            raise ImportFormatError(f"the dates carry no year (such as {first_text[:40]!r}), and {said}",
                                    place=where, hint="pass --year YYYY, the year of the file's first date; nothing "
                                                      "was imported")
        years = _count_on(cells, step, [0], start=fits[0])
        why = f"their weekdays (they fit only {fits[0]} in the last {RECENT_YEARS} years)"
    for k, (i, line, y) in enumerate(cells):
        if not isinstance(y, Yearless):
            continue
        when = y.on(years[k])
        text = rows[i][1][c].strip()
        if when is None:
            raise ImportFormatError(f"date {text[:40]!r} read in {years[k]} (from {why}) is no date of that year",
                                    place=f"{table.path}:{line}", hint="pass --year YYYY, or add the year to the "
                                                                       "dates; nothing was imported")
        if y.weekday is not None and when.weekday() != y.weekday:
            raise ImportFormatError(
                f"date {text[:40]!r} read in {years[k]} (from {why}, the file's dates running {direction}) is a "
                f"{when:%A}: its weekday does not fit", place=f"{table.path}:{line}",
                hint="a pause of a year or more between sessions cannot be seen without years: add the year to the "
                     "dates, or pass --year YYYY; nothing was imported")
        row = list(rows[i][1])
        row[c] = when.isoformat(sep=" ") if y.time != dt.time() or ":" in text else when.date().isoformat()
        rows[i] = (line, row)
    first_year = years[next(k for k, (_, _, y) in enumerate(cells) if isinstance(y, Yearless))]
    return (f"{len(bare)} dates in column {table.header[c]!r} carry no year (the first {first_text[:40]!r} at {where}, "
            f"read as {first_year}): years read from {why}, the dates running {direction}, a step back in the "
            "calendar being the turn of a year; a pause of a year or more cannot be seen - pass --year to correct")


def _beside(table: Table, rows: list[tuple[int, list[str]]], c: int, cells: list,
            primary: dict[int, dt.datetime]) -> str | None:
    """Years for a second date column from the first one's date on the same row (the nearest year)."""
    n = 0
    for i, line, y in cells:
        if not isinstance(y, Yearless):
            continue
        near = primary.get(i)
        if near is None:
            raise ImportFormatError(f"date {rows[i][1][c].strip()[:40]!r} carries no year, and its row's first date "
                                    "gives none", place=f"{table.path}:{line}",
                                    hint="add the year to the dates, or pass --year YYYY; nothing was imported")
        options = [d for d in (y.on(near.year + k) for k in (-1, 0, 1)) if d is not None]
        when = min(options, key=lambda d: abs(d - near))
        row = list(rows[i][1])
        row[c] = when.isoformat(sep=" ")
        rows[i] = (line, row)
        n += 1
    return f"{n} dates in column {table.header[c]!r} carry no year: each read in the year nearest its row's " \
           "first date" if n else None


def _key(y: Yearless | dt.datetime) -> tuple[int, int, dt.time]:
    return y.key if isinstance(y, Yearless) else (y.month, y.day, y.time())


def _count_on(cells: list, step: int, anchors: list[int], start: int | None = None) -> list[int]:
    """The year of each cell, counting from the anchors (dated cells, or the one cell given `start`): in the
    file's direction a step back in the calendar turns the year (forward in file order, and back from the first
    anchor for the cells above it)."""
    years = [0] * len(cells)
    first = anchors[0]
    cur = start if start is not None else cells[first][2].year
    prev = _key(cells[first][2])
    for k in range(first, len(cells)):
        y = cells[k][2]
        if isinstance(y, dt.datetime):
            cur, prev = y.year, _key(y)
        else:
            key = y.key
            if k != first and (key < prev if step > 0 else key > prev):
                cur += step
            prev = key
        years[k] = cur
    cur = years[first]
    prev = _key(cells[first][2])
    for k in range(first - 1, -1, -1):
        key = _key(cells[k][2])
        if key > prev if step > 0 else key < prev:
            cur -= step
        prev = key
        years[k] = cur
    return years


def _weekday_years(cells: list, step: int, today: dt.date) -> list[int]:
    """First-date years whose run of years fits every weekday, ending within RECENT_YEARS of today."""
    span = _count_on(cells, step, [0], start=0)
    fits = []
    for first in range(today.year - RECENT_YEARS - max(map(abs, span)) - 1, today.year + 2):
        dates = [c[2].on(first + span[k]) for k, c in enumerate(cells)]
        if any(d is None or c[2].weekday is not None and d.weekday() != c[2].weekday for d, c in zip(dates, cells)):
            continue
        last = max(d for d in dates if d is not None).date()
        if today - dt.timedelta(days=365 * RECENT_YEARS + 2) <= last <= today + dt.timedelta(days=1):
            fits.append(first)
    return fits
