"""Timestamps that carry a zone (`2024-03-05T17:15:00.000Z`, `2024-03-05 19:15:00 +02:00`, `... -0500`), read as the
lifter's local time, so that a session is dated on the day the lifter trained.

A reader stores the wall-clock time a session started (`base.parse_datetime` drops a zone). That is right for a
stamp written in the lifter's own offset, and wrong for one an app converted to UTC before writing it: Liftosaur
writes JavaScript's `toISOString()` (`...Z`), so an evening session west of Greenwich reads as the next day, one
east of it after midnight as the day before. This module rewrites the zoned cells of a table's date columns as
plain local datetimes before any reader sees them, in this order of evidence:

Seconds or milliseconds since 1970 (`1709658900`, an API's JSON) are UTC stamps too.

1. the person's zone, `--tz Europe/Berlin` (an IANA name; `tz` in the import's options): every zoned stamp is
   converted to it, its daylight-saving rules applied at each stamp's own instant;
2. else the offset the file gives: a file whose stamps carry offsets other than zero (`+02:00` in summer,
   `+01:00` in winter) writes each stamp in the offset of the place it was logged, and is read as written -
   its `+00:00` stamps too (a Londoner's winter);
3. else (UTC stamps: `Z`, `UTC`, `GMT`, or only `+00:00`/`+0000`, an app that normalises to UTC) the machine's
   zone (`TZ`, else the system's), said in the report with the `--tz` that overrides it.

Converting from UTC to a zone is never ambiguous (a DST fall-back hour is two distinct UTC hours), so no stamp is
guessed. The report says how many stamps were read, in which zone, and how many sessions moved day. A session's
date is its first set's: a session spanning local midnight stays one session (its sets are not split by date).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...errors import ConfigError
from .base import Table, parse_datetime
from .yearless import date_columns

MAX_STAMP_CHARS = 80
# a time of day, then the zone: "Z", "UTC"/"GMT" (optionally with an offset), or an offset "+02:00", "-0500", "+02";
# JavaScript's Date.toString() adds the zone's name in brackets ("GMT-0500 (Eastern Standard Time)")
_ZONED = re.compile(
    r"^(?P<rest>.*\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s*[ap]\.?m\.?)?)"
    r"\s*(?:(?P<z>Z)|(?P<word>UTC|GMT)?\s*(?P<sign>[+\-\u2212])(?P<hh>\d{1,2})(?::?(?P<mm>\d{2}))?|(?P<bare>UTC|GMT))"
    r"(?:\s*\([^()]{1,60}\)|\s+[A-Z]{2,5})?$", re.I)


@dataclass(frozen=True)
class Stamp:
    """A zoned cell as read: its wall clock as written and its offset from UTC."""

    wall: dt.datetime  # naive, as the cell writes it
    offset: dt.timedelta
    utc_word: bool  # "Z", "UTC", "GMT": the app says it wrote UTC


def read_stamp(text: str, order: str | None = None) -> Stamp | None:
    """The zoned timestamp in `text`, or None for a cell that carries no zone (or no date peri reads)."""
    s = text.strip()
    if s.isdigit() and len(s) in (10, 13) and 1e9 <= int(s) / (1000 if len(s) == 13 else 1) < 1e10:
        # seconds or milliseconds since 1970 (an API's JSON): an instant, counted in UTC
        return Stamp(dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(s) // (1000 if len(s) == 13 else 1)),
                     dt.timedelta(0), True)
    if len(s) > MAX_STAMP_CHARS or not s or not s[-1:].isalnum() and s[-1:] != ")":
        return None
    m = _ZONED.match(s)
    if m is None:
        return None
    try:
        wall = parse_datetime(m.group("rest"), order=order)
    except ValueError:
        return None  # no date peri reads: the reader refuses the cell, naming it
    if m.group("z") or m.group("bare"):
        return Stamp(wall, dt.timedelta(0), True)
    hours, minutes = int(m.group("hh")), int(m.group("mm") or 0)
    if hours > 14 or minutes > 59:
        return None  # no zone is further than 14 hours from UTC: "17:15-25" is something else
    offset = dt.timedelta(hours=hours, minutes=minutes) * (-1 if m.group("sign") in "-\u2212" else 1)
    return Stamp(wall, offset, bool(m.group("word")) and offset == dt.timedelta(0))


def zone_option(name: str | None) -> ZoneInfo | None:
    """`--tz NAME` as a zone, or a ConfigError naming it: IANA names (`Europe/Berlin`, `America/New_York`, `UTC`)."""
    if name is None or not str(name).strip():
        return None
    text = str(name).strip()
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(f"time zone {text[:40]!r} is not one peri knows (--tz)",
                          hint="an IANA zone name, e.g. --tz Europe/Berlin, --tz America/New_York, --tz UTC "
                               "(on Windows: pip install tzdata)") from None


# the machine's zone by name, where set (the test suite pins it to UTC so that no test depends on where it runs)
MACHINE_ZONE: str | None = None


def machine_zone() -> tuple[dt.tzinfo | None, str]:
    """The zone this machine keeps (`TZ`, else /etc/localtime's name) as (zone, name); (None, abbreviation) where
    only the C library knows it (then `astimezone()` converts in it, daylight saving included)."""
    for name in (MACHINE_ZONE or "", os.environ.get("TZ", "").lstrip(":"), _localtime_name()):
        if name:
            try:
                return ZoneInfo(name), name
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    return None, "/".join(dict.fromkeys(time.tzname))


def _localtime_name() -> str:
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return ""
    marker = "/zoneinfo/"  # the last one: a zone's name holds none, a folder above the database may
    return target.rsplit(marker, 1)[1] if marker in target else ""


@dataclass
class Zoned:
    """What `localise_zones` did, for the report: the stamps read and the local times whose day moved."""

    zone: str  # how the stamps were read, in words
    stamps: int = 0
    as_written: int = 0  # stamps read in the offset they carry
    moved: dict[dt.datetime, int] = field(default_factory=dict)  # local time -> days it moved (-1 / +1)
    first: str = ""

    def note(self, sessions: list) -> str:
        """The report's line, counting the parsed sessions whose start moved to another day."""
        back = sum(1 for s in sessions if self.moved.get(s.started_at, 0) < 0)
        on = sum(1 for s in sessions if self.moved.get(s.started_at, 0) > 0)
        moved = (f"{back + on} sessions moved day ({back} to the day before, {on} to the day after)"
                 if back + on else "no session moved day")
        return f"{self.stamps} timestamps carry a zone (the first, {self.first}): {self.zone}; {moved}"


def localise_zones(table: Table, tz: str | None = None, order: str | None = None,
                   mapped: str | None = None) -> Zoned | None:
    """Rewrite the zoned cells of `table`'s date columns as local datetimes (see the module docstring); what was
    done, or None where the file has no zoned stamp (its rows untouched). `order`: the file's numeric day/month
    order ("dmy" | "mdy") for stamps not in ISO. `mapped`: the column a column map names as the date (`--map
    When=date`), whatever its name says."""
    zone = zone_option(tz)
    cols = date_columns(table.header)
    if mapped:
        cols += [i for i, h in enumerate(table.header) if h.strip().casefold() == mapped.strip().casefold()
                 and i not in cols]
    if not cols:
        return None
    rows = list(table.rows)
    table.rows = iter(rows)
    seen: dict[str, Stamp | None] = {}
    found: list[tuple[list[str], int, Stamp]] = []
    for _, row in rows:
        for c in cols:
            if c < len(row):
                text = row[c]
                if text not in seen:
                    seen[text] = read_stamp(text, order)
                if seen[text] is not None:
                    found.append((row, c, seen[text]))
    if not found:
        return None
    offsets = {st.offset for st in {id(st): st for _, _, st in found}.values()}
    local_offsets = any(o != dt.timedelta(0) for o in offsets)
    target, name = (zone, zone.key) if zone is not None else machine_zone()
    if zone is not None:
        done = Zoned(f"read in {zone.key} (--tz)")
    elif local_offsets:
        done = Zoned("read as written, in the offsets the file gives (each stamp's local time; --tz converts them)")
    else:
        done = Zoned(f"UTC, read in this machine's zone, {name} (pass --tz with the lifter's zone, e.g. "
                     "--tz Europe/Berlin, if it is not theirs)")
    converted: dict[Stamp, dt.datetime] = {}
    for row, c, st in found:
        local = converted.get(st)
        if local is None:
            if zone is None and local_offsets and not st.utc_word:
                local = st.wall
                done.as_written += 1
            else:
                instant = st.wall.replace(tzinfo=dt.timezone(st.offset))
                local = (instant.astimezone(target) if target is not None else instant.astimezone()).replace(tzinfo=None)
            converted[st] = local
            days = (local.date() - st.wall.date()).days
            if days:
                done.moved[local] = days
        before = row[c]
        row[c] = local.isoformat(sep=" ")
        done.stamps += 1
        done.first = done.first or f"{before.strip()[:40]!r} as {row[c]}"
    return done
