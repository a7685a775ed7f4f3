"""A column named only "Time" (or "Duration"): the clock time a session started in some files, a set's
length in others, the session's length in a third kind. The name does not tell; the column's values do.

- the same clock value (18:02, 6:02 PM) on (nearly) every row of a session, changing between sessions: the
  session's start time -> `time`; a 12-hour clock (AM/PM) is always a time of day;
- clock values rising through a session, hours apart at most: each set stamped with its time -> `time`
  (the generic reader then joins the stamped sets into sessions);
- values that differ from set to set, or sit on a few rows only (the plank, the run): each set's length ->
  `seconds`;
- the same value on every row of a session that is no time of day (75:00, 3600, 1h 3m), or any constant
  value under a "Duration" header: the session's length -> `duration`.

Sessions are the rows sharing a date (and a session name, when the file has one). When the file holds too
few sessions of several rows, or they disagree, `classify` says it cannot tell and why: the reader leaves the
column unread and says so in the report, naming the `--map` that settles it, rather than guessing.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .base import parse_duration

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?[\s\u202f\u00a0]*([ap]\.?m\.?)?$", re.I)
_ZERO = re.compile(r"^[0:.\s]*(?:s|sec|m|min|h)?$", re.I)
AGREEMENT = 0.9  # the share of telling sessions that must agree
MAX_STAMP_SPAN_S = 6 * 3600  # per-set clock stamps of one session lie within hours of each other


def _clock_seconds(text: str) -> int | None:
    """Seconds since midnight of a time of day, or None when the text is not one."""
    m = _CLOCK.match(text.strip())
    if m is None:
        return None
    h, mi, sec, ampm = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0), m.group(4)
    if mi > 59 or sec > 59:
        return None
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.lower().startswith("p") else 0)
    elif h > 23:
        return None
    return h * 3600 + mi * 60 + sec


def _is_duration(text: str) -> bool:
    try:
        return parse_duration(text) is not None
    except ValueError:
        return False


def classify(kind: str, rows: Iterable[tuple[object, str] | tuple[object, str, bool]]) -> tuple[str | None, str]:
    """What a bare "Time" (`kind` "time") or "Duration" (`kind` "duration") column holds, from its
    (session key, cell) pairs in row order: ("time" | "seconds" | "duration", why) or (None, why).

    A third item, False, marks a row that wrote no date of its own (a spreadsheet writing the date once per
    session): a session's clock time is then written once too, on the dated row, and is still one value per
    session."""
    sessions: dict[object, list[tuple[str | None, bool]]] = {}
    values: list[str] = []
    for item in rows:
        key, cell = item[0], item[1]
        dated = item[2] if len(item) > 2 else True  # type: ignore[misc]
        text = cell.strip()
        filled = text if text and not _ZERO.match(text) else None
        sessions.setdefault(key, []).append((filled, dated))
        if filled is not None:
            values.append(filled)
    if not values:
        return None, "the column is empty"
    distinct = set(values)  # a log repeats a few hundred values: each is judged once
    clock_of = {v: _clock_seconds(v) for v in distinct}
    all_clock = all(c is not None for c in clock_of.values())
    all_duration = all(_is_duration(v) for v in distinct)
    twelve_hour = any(re.search(r"[ap]\.?m\.?$", v, re.I) for v in distinct)
    constant = stamped = varying = 0
    for marked in sessions.values():
        if len(marked) < 2:
            continue  # a one-row session tells nothing about the column
        cells = [c for c, _ in marked]
        filled = [c for c in cells if c is not None]
        if not filled:
            continue
        covered = len(filled) >= 0.8 * len(cells)
        dated = [c for c, d in marked if d]
        on_dated_rows_only = (dated and sum(c is not None for c in dated) >= 0.8 * len(dated)
                              and all(d for c, d in marked if c is not None))
        if (covered or on_dated_rows_only) and len(set(filled)) == 1:
            constant += 1
            continue
        if len(filled) == 1 and cells[0] is not None:
            # one value, on the session's first row of several dated rows: its start time written once, or a
            # first timed set's length - this session cannot tell
            continue
        secs = [clock_of[c] for c in filled]
        if covered and len(set(filled)) >= 3 and all(s is not None for s in secs):
            rising = all(b >= a for a, b in zip(secs, secs[1:]))
            falling = all(b <= a for a, b in zip(secs, secs[1:]))
            if (rising or falling) and max(secs) - min(secs) <= MAX_STAMP_SPAN_S:  # type: ignore[type-var]
                stamped += 1
                continue
        varying += 1
    told = constant + stamped + varying
    counts = (f"{constant} sessions with one value on every row, {stamped} with a time per set rising through "
              f"the session, {varying} with values that vary by set or sit on a few rows")
    if twelve_hour and all_clock:
        return "time", "its values are times of day on a 12-hour clock (AM/PM)"
    if told == 0:
        return None, "no session has more than one row to tell a session's clock time from a set's length"
    if constant >= AGREEMENT * told:
        if kind == "time" and all_clock:
            return "time", f"every session carries one time of day on its rows ({counts})"
        if all_duration:
            return "duration", f"every session carries one length on its rows ({counts})"
    if kind == "time" and all_clock and stamped and constant + stamped >= AGREEMENT * told:
        return "time", f"each set carries its own time of day ({counts})"
    if varying >= AGREEMENT * told and all_duration:
        return "seconds", f"its values are lengths of single sets ({counts})"
    return None, f"its sessions disagree ({counts})"
