"""A Garmin strength-training activity (`.fit`), read as the table of its sets.

A Garmin watch records a strength workout as a FIT activity whose `sport` message says `strength_training` and
whose `set` messages hold the sets: `set_type` `active` (a set) or `rest`, `repetitions`, `weight` (kilograms,
whatever unit the watch shows), `start_time`, `duration`, and the exercise as `category` / `category_subtype`
numbers that Garmin's FIT profile names (`squat` / 6 = `barbell_back_squat`). Confirmed from Garmin's FIT SDK
profile (the `set` message and the `exercise_category` and `*_exercise_name` types, as `fitdecode` ships them)
and a public extractor of Garmin Connect exports, McSwaggalot/garmin-strength
`main.py`@21f830465c00ffe2703830aabb3e5f3147d55421 (sub_sport `strength_training`, active sets only, the first
category and subtype named through the same profile types).

The active sets are written as a table (`Date, Exercise, Weight (kg), Reps, Seconds`) for the generic reader,
each set dated by its own start in the watch's local time (the activity's `local_timestamp` against its UTC
`timestamp`; UTC where the file gives no local time, which the report says), so the sets join into the session
as any per-set times do. Line N of the report is the (N-1)th active set. A set the watch could not name
(category `unknown`, or none) is written without an exercise and so refused by the reader, listed with its
line: never guessed. A file that does not decode (cut short, its CRC wrong, not FIT), a FIT file of another
sport, or one holding no active set is refused naming the file. Reading needs `fitdecode` (PyPI, MIT, a FIT
decoder generated from Garmin's SDK profile; `pip install 'peri[garmin]'`); without it the file is refused with
that hint. (Garmin's own `garmin-fit-sdk` was tried and left: its wheel installs a top-level `tests` package
into site-packages, which shadows any project's `tests`.)
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ...errors import ImportFormatError

MAX_FIT_BYTES = 64 << 20  # a year of a watch's strength workouts in one file is far below this
_HINT = "export the workout from Garmin Connect (or pass the activity's .fit file as downloaded)"
_FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.timezone.utc)


def is_fit(data: bytes) -> bool:
    """Whether bytes are a FIT file: a 12- or 14-byte header whose bytes 8..11 are ".FIT"."""
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


@dataclass
class FitActivity:
    """What one FIT file holds for peri: its active sets as table rows (`HEADER`), and what kind of file it is.

    `kind` is the file_id's type ("activity", "monitoring_b", "settings"...; "" where the file names none),
    `sport` the activity's sport as its `sport` or `session` message names it ("running", "training/
    strength_training"), `local` whether the times are the watch's local time, `unnamed` the sets the watch
    did not name. `stopped` says the reading stopped before the end (`early`): its checksum was not checked."""

    rows: list[list[str]] = field(default_factory=list)
    kind: str = ""
    sport: str = ""
    local: bool = False
    unnamed: int = 0
    stopped: bool = False


HEADER = ["Date", "Exercise", "Weight (kg)", "Reps", "Seconds"]
# sports in which a watch records no strength sets: a bulk export's run or ride is passed over at its `sport`
# message, not decoded to its end (`read_activity(early=True)`); the FIT profile's `sport` names
_GYM_SPORTS = {"generic", "fitness_equipment", "training", "hiit"}


def fit_csv(data: bytes, path: str) -> tuple[str, str]:
    """The active sets of a strength-training FIT activity as CSV text, and the report's note (see the module
    docstring). Raises ImportFormatError naming `path` for a file that is not one."""
    if len(data) > MAX_FIT_BYTES:
        raise ImportFormatError(f"the FIT file is {len(data) >> 20} MiB, over the {MAX_FIT_BYTES >> 20} MiB limit",
                                place=path, hint="not one workout?")
    act = read_activity(io.BytesIO(data), path)
    if not act.rows:
        raise ImportFormatError("the FIT file holds no strength sets" + (
            "" if "strength_training" in act.sport else f" (a {act.sport or 'non-strength'} activity)"),
            place=path, hint="peri reads a Garmin strength-training activity's sets; nothing was imported")
    note = (f"read as a Garmin FIT strength activity: {len(act.rows)} active sets (rest periods left out); line N "
            f"is the (N-1)th set" + ("" if act.local else "; times in UTC (the file gives no local time)"))
    if act.unnamed:
        note += (f"; {act.unnamed} sets the watch did not name (exercise unknown) are refused, never guessed: name "
                 "them in Garmin Connect and export again")
    return sets_csv(act.rows), note


def sets_csv(rows: list[list[str]]) -> str:
    """Rows of `HEADER` as CSV text for the generic reader."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue()


def read_activity(stream: BinaryIO, path: str, *, early: bool = False) -> FitActivity:
    """Decode one FIT file from `stream` (see `FitActivity`). With `early`, stop as soon as the file is known to
    hold no sets: a file_id naming no activity (a watch's monitoring or settings file), or an activity whose sport
    is one without sets (a run). Raises ImportFormatError naming `path` for a file that does not decode, or when
    fitdecode is not installed."""
    try:
        import fitdecode
    except ImportError:
        raise ImportFormatError("this is a Garmin FIT file, and fitdecode, the package that reads it, is not "
                                "installed", place=path, hint="pip install 'peri[garmin]' and re-run") from None
    messages: dict[str, list[dict[str, Any]]] = {}
    act = FitActivity()
    try:
        with fitdecode.FitReader(stream, check_crc=fitdecode.CrcCheck.RAISE,
                                 error_handling=fitdecode.ErrorHandling.RAISE) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA or frame.name not in _READ:
                    continue
                mesg = {f.name: (f.raw_value if f.name in _RAW else f.value) for f in frame.fields}
                messages.setdefault(frame.name, []).append(mesg)
                if not early:
                    continue
                if frame.name == "file_id" and len(messages["file_id"]) == 1:
                    act.kind = _name(mesg.get("type"))
                    if act.kind not in ("activity", ""):
                        act.stopped = True
                        return act
                elif frame.name in ("sport", "session") and _name(mesg.get("sport")) not in _GYM_SPORTS | {""}:
                    act.sport, act.stopped = _sport(mesg), True
                    return act
    except fitdecode.FitCRCError:
        raise ImportFormatError("the FIT file is damaged: its checksum does not match its content (a download or "
                                "copy cut short, or changed?)", place=path, hint=_HINT) from None
    except fitdecode.FitEOFError:
        raise ImportFormatError("the FIT file ends before its records do: a download or copy cut short",
                                place=path, hint=_HINT) from None
    except ImportFormatError:
        raise
    except Exception as e:  # noqa: BLE001 - the decoder raises many types on a damaged file
        raise ImportFormatError(f"the FIT file could not be decoded ({type(e).__name__}: {str(e)[:120]})",
                                place=path, hint=_HINT) from None
    ids = messages.get("file_id", [])
    act.kind = _name(ids[0].get("type")) if ids else ""
    described = messages.get("sport", []) + messages.get("session", [])
    sports = sorted({_sport(m) for m in described} - {""})
    act.sport = ", ".join(sports)  # a sport message naming neither field is no sport (never the word "None")
    sets = [m for m in messages.get("set", []) if m.get("set_type") == "active"]
    offset, act.local = _local_offset(messages)
    for m in sets:
        when = m.get("start_time") or m.get("timestamp")
        name = _exercise(m)
        act.unnamed += name == ""
        reps = m.get("repetitions")
        seconds = m.get("duration") if reps is None else None  # a set's length matters only for a timed set
        act.rows.append([_local(when, offset), name, _cell(m.get("weight")), _cell(reps), _cell(seconds)])
    return act


def _name(value: Any) -> str:
    """An enum field as its profile name ("" where absent); a number the profile does not name, as the number."""
    return "" if value is None else str(value)


def _sport(mesg: dict[str, Any]) -> str:
    """"running", or "training/strength_training" where a sub-sport other than generic says more."""
    sport, sub = _name(mesg.get("sport")), _name(mesg.get("sub_sport"))
    return sport + (f"/{sub}" if sub and sub != "generic" and sport else "") if sport else sub


_READ = {"file_id", "sport", "session", "set", "activity"}
_RAW = {"category", "category_subtype", "local_timestamp"}  # numbers, named here through the profile


def _exercise(mesg: dict[str, Any]) -> str:
    """The set's exercise in words: the FIT profile's name of its (first) category's subtype, else the
    category's; "" where the watch did not know it (category `unknown`, 65534, or none)."""
    from fitdecode.profile import FIELD_TYPES

    category, subtype = _first(mesg.get("category")), _first(mesg.get("category_subtype"))
    if not isinstance(category, int) or isinstance(category, bool):
        return ""
    name = FIELD_TYPES["exercise_category"].enum.get(category)
    if name in (None, "unknown"):
        return ""
    kind = FIELD_TYPES.get(f"{name}_exercise_name")
    specific = kind.enum.get(subtype) if kind is not None and isinstance(subtype, int) else None
    return str(specific or name).replace("_", " ").title()


def _cell(value: Any) -> str:
    """A number field as the table's cell: "" where the watch recorded none; a value of any other shape (a
    damaged record) as a cell the reader refuses with its line, never read as missing."""
    value = _first(value) if isinstance(value, (list, tuple)) and len(value) == 1 else value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{float(value):g}"
    return f"unreadable {type(value).__name__}"


def _first(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def _local_offset(messages: dict[str, list[dict[str, Any]]]) -> tuple[dt.timedelta, bool]:
    """The watch's local time minus UTC, from the activity's local_timestamp (seconds since the FIT epoch, in
    local time) against its UTC timestamp; (0, False) where it is absent."""
    for m in messages.get("activity", []):
        utc, local = m.get("timestamp"), m.get("local_timestamp")
        if isinstance(utc, dt.datetime) and isinstance(local, int) and not isinstance(local, bool):
            if utc.tzinfo is None:
                utc = utc.replace(tzinfo=dt.timezone.utc)
            offset = _FIT_EPOCH + dt.timedelta(seconds=local) - utc
            quarter = dt.timedelta(minutes=15)  # a zone offset is whole quarter hours
            offset = quarter * round(offset / quarter)
            if abs(offset) <= dt.timedelta(hours=14):
                return offset, True
    return dt.timedelta(0), False


def _local(when: Any, offset: dt.timedelta) -> str:
    if not isinstance(when, dt.datetime):
        return "no time"  # a set without its time (a damaged record): its date does not read, the import stops there
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return (when + offset).isoformat(sep=" ", timespec="seconds")
