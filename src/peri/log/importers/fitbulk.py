"""Garmin Connect's bulk export ("Export your data", the account's data ZIP): every strength-training activity in
it, read into one log.

The layout, as public tools that read it write it (2026-12-02): the ZIP holds `DI_CONNECT/...` folders of JSON
(profile, wellness, `DI-Connect-Fitness/*_summarizedActivities.json`) and, under
`DI_CONNECT/DI-Connect-Uploaded-Files/`, ZIPs named `UploadedFiles_0-_Part1.zip`, `..._Part2.zip` ... holding the
`.fit` files the account's devices uploaded, named by an internal number (not a date or an activity id). Most
of them are no activity at all: a watch's monitoring, sleep, settings and device files (one public reader counts
353 activities among 9,182 files of one part); the activities are of every sport. A ZIP of many `.fit` files (a
Part ZIP passed itself, or a folder of activities zipped) is read the same way.

Each `.fit` file is decoded from the archive as a stream (`fitlog.read_activity(early=True)`): a file whose
file_id names no activity is left after its first record, an activity of a sport without sets (a run, a ride)
at its `sport` message, so only the strength activities are decoded whole (and their checksums checked). The
active sets of every activity that holds some are written as one table (`fitlog.HEADER`), the activities in
the order of their first set, each set dated in its own activity's local time; the generic reader then joins
them into sessions by their times as for one activity. The report says how many activities were read, how
many activities of other sports and other files were passed over (by sport and kind), and names every file
that could not be read, with why; identical activities (one uploaded twice) count once.

Limits (`archive_guard`, one level of ZIP inside the ZIP, as the export has): each ZIP's entries and names are
checked before anything in it is read; a `.fit` member that expands more than `MAX_RATIO` times is a bomb and
refuses the archive; the bytes decompressed from all `.fit` members together may not pass the limit of one file
(`base.MAX_FILE_BYTES`), counted as they are read (a file left early costs only the bytes read); at most
`MAX_FIT_FILES` `.fit` files in all. An archive inside a Part ZIP is not opened (named among the files not
read).
"""
from __future__ import annotations

import io
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ...errors import ImportFormatError
from .archive import ARCHIVE_SUFFIXES
from .archive_guard import MAX_MEMBERS, bomb_ratio, check_zip
from .fitlog import MAX_FIT_BYTES, read_activity, sets_csv

MAX_FIT_FILES = 10 * MAX_MEMBERS  # an export's Part ZIPs each hold under MAX_MEMBERS entries
LISTED = 6
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error)
_HINT = ("unzip the export and pass DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip (then each "
         "Part after it) to `peri import auto`")


class _OverBudget(Exception):
    """The `.fit` members read so far expand past the limit of one file."""


class _Counted:
    """A member's stream that counts every byte read against the archive's budget (a file-like for fitdecode)."""

    def __init__(self, f: Any, budget: list[int]):
        self._f, self._budget = f, budget

    def read(self, n: int = -1) -> bytes:
        if self._budget[0] < 0:
            return b""  # past the budget: the decoder meets an end, and `_read_part` refuses the archive
        chunk = self._f.read(n if n is not None and n >= 0 else self._budget[0] + 1)
        self._budget[0] -= len(chunk)
        return chunk


@dataclass
class _Tally:
    """What the archive's `.fit` files were."""

    activities: list[tuple[str, list[list[str]], int]] = field(default_factory=list)  # (where, rows, unnamed)
    other_sports: Counter = field(default_factory=Counter)
    not_activities: Counter = field(default_factory=Counter)
    unreadable: list[str] = field(default_factory=list)  # "where (why)"
    not_read: list[str] = field(default_factory=list)  # archives inside a Part ZIP
    fit_files: int = 0
    copies: int = 0
    other_members: int = 0  # the export's JSON and other files beside the .fit files: not read


def fit_members(names: list[str]) -> list[str]:
    return [n for n in names if n.lower().endswith(".fit")]


def garmin_bulk(z: zipfile.ZipFile, files: list[zipfile.ZipInfo], path: str, limit: int) -> tuple[bytes, str] | None:
    """The strength activities of a ZIP of many `.fit` files, or of ZIPs of them (see the module docstring), as
    (CSV bytes, the report's note); None when the archive holds fewer than two `.fit` files in all (the caller
    reads it as any archive). Raises ImportFormatError naming the archive or its member."""
    inner = [i for i in files if i.filename.lower().endswith(".zip")]
    fits = [i for i in files if i.filename.lower().endswith(".fit")]
    if len(fits) < 2 and not inner:
        return None
    check_zip(z.infolist(), [], path, limit)  # entries and names, before anything is expanded
    parts: list[tuple[zipfile.ZipFile, str, list[zipfile.ZipInfo]]] = []
    nested: list[str] = []  # archives inside a Part ZIP: one level is what the export has
    part_others = 0
    if fits:
        parts.append((z, path, fits))
    for info in inner:
        where = f"{path}/{info.filename}"
        body = _member(z, info, path, limit)
        try:
            part = zipfile.ZipFile(io.BytesIO(body))
            infos = part.infolist()
        except _ZIP_ERRORS:
            continue  # no ZIP after all: left to the caller, which names it
        check_zip(infos, [], where, limit)
        part_fits = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".fit")]
        if part_fits:
            parts.append((part, where, part_fits))
            nested += [f"{info.filename}/{i.filename}" for i in infos if i.filename.lower().endswith(ARCHIVE_SUFFIXES)]
            part_others += sum(not i.is_dir() and not i.filename.lower().endswith((".fit", *ARCHIVE_SUFFIXES))
                               for i in infos)  # activities uploaded as .tcx or .gpx: no sets in them
    if sum(len(f) for _, _, f in parts) < 2:
        return None
    total = sum(len(f) for _, _, f in parts)
    if total > MAX_FIT_FILES:
        raise ImportFormatError(f"the archive holds {total} .fit files, more than the {MAX_FIT_FILES} peri reads from "
                                "one export", place=f"{path}:1", hint=_HINT)
    tally = _Tally(not_read=nested)
    used = {w[len(path) + 1:] for _, w, _ in parts} | {i.filename for i in fits}
    tally.other_members = sum(i.filename not in used for i in files) + part_others
    budget = [limit]
    try:
        for part, where, part_fits in parts:
            _read_part(part, where, part_fits, tally, budget)
    except _OverBudget:
        raise ImportFormatError(f"the .fit files in the archive expand past the {limit >> 20} MiB limit of a file "
                                "together", place=f"{path}:1", hint=_HINT) from None
    return _table(tally, path, [w for _, w, _ in parts])


def _member(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, limit: int) -> bytes:
    """A Part ZIP's bytes, checked as any member before it is expanded (`archive._read`)."""
    from .archive import _read

    ratio = bomb_ratio(info.file_size, info.compress_size)
    if ratio is not None:
        raise ImportFormatError(f"this member of the ZIP archive expands {ratio:.0f} times its compressed size: a zip "
                                "bomb, not an export", place=f"{path}/{info.filename}", hint=_HINT)
    return _read(z, info, path, limit)


def _read_part(z: zipfile.ZipFile, where: str, fits: list[zipfile.ZipInfo], tally: _Tally, budget: list[int]) -> None:
    seen = {tuple(map(tuple, rows)) for _, rows, _ in tally.activities}
    for info in fits:
        name = f"{where}/{info.filename}"
        tally.fit_files += 1
        ratio = bomb_ratio(info.file_size, info.compress_size)
        if ratio is not None:
            raise ImportFormatError(f"this member of the ZIP archive expands {ratio:.0f} times its compressed size: "
                                    "a zip bomb, not an export", place=name, hint=_HINT)
        if info.flag_bits & 0x1:
            tally.unreadable.append(f"{info.filename!r} (encrypted)")
            continue
        if info.file_size > MAX_FIT_BYTES:
            tally.unreadable.append(f"{info.filename!r} ({info.file_size >> 20} MiB, over the "
                                    f"{MAX_FIT_BYTES >> 20} MiB limit of a FIT file)")
            continue
        try:
            with z.open(info) as f:
                act = read_activity(_Counted(f, budget), name, early=True)
        except ImportFormatError as e:
            if budget[0] < 0:
                raise _OverBudget from None
            if "fitdecode" in e.message:
                raise
            tally.unreadable.append(f"{info.filename!r} ({e.message})")
            continue
        except _ZIP_ERRORS as e:
            tally.unreadable.append(f"{info.filename!r} (a damaged member of the archive: {str(e)[:80]})")
            continue
        if budget[0] < 0:
            raise _OverBudget
        if act.kind not in ("activity", ""):
            tally.not_activities[act.kind] += 1
        elif not act.rows:
            tally.other_sports[act.sport or "no sport named"] += 1
        elif any(r[0] == "no time" for r in act.rows):
            tally.unreadable.append(f"{info.filename!r} (a set without its time: a damaged record)")
        else:
            key = tuple(map(tuple, act.rows))
            if key in seen:
                tally.copies += 1
                continue
            seen.add(key)
            tally.activities.append((info.filename, act.rows, act.unnamed))


def _table(tally: _Tally, path: str, parts: list[str]) -> tuple[bytes, str]:
    passed = _passed(tally)
    if not tally.activities:
        unread = f"; could not be read: {_listed(tally.unreadable)}" if tally.unreadable else ""
        raise ImportFormatError(f"the archive's {tally.fit_files} .fit files hold no strength-training activity with "
                                f"sets ({passed}{unread})", place=f"{path}:1",
                                hint="peri reads the sets a Garmin watch records in a strength-training activity; "
                                     "nothing was imported")
    tally.activities.sort(key=lambda a: a[1][0][0])
    rows: list[list[str]] = []
    unnamed_at: list[str] = []
    for name, act_rows, unnamed in tally.activities:
        if unnamed:
            unnamed_at.append(f"lines {len(rows) + 2}-{len(rows) + 1 + len(act_rows)} are {name!r}")
        rows.extend(act_rows)
    where = _listed([PurePosixPath(p).name for p in parts])
    note = (f"read as Garmin Connect's bulk export ({where}): {len(tally.activities)} strength-training activities, "
            f"{len(rows)} active sets (rest periods left out), from {tally.fit_files} .fit files; passed over: "
            f"{passed}")
    if tally.copies:
        note += f"; {tally.copies} activities were copies of another and counted once"
    if tally.unreadable:
        note += (f"; {len(tally.unreadable)} files could not be read and were left out: "
                 f"{_listed(tally.unreadable)}")
    note += "; line N is the (N-1)th set, activities in time order"
    unnamed = sum(u for _, _, u in tally.activities)
    if unnamed:
        note += (f"; {unnamed} sets the watch did not name (exercise unknown) are refused, never guessed ("
                 f"{_listed(unnamed_at)}): name them in Garmin Connect and export again")
    return sets_csv(rows).encode("utf-8"), note


def _passed(tally: _Tally) -> str:
    sports = sum(tally.other_sports.values())
    others = sum(tally.not_activities.values())
    out = [f"{sports} activities of other sports" + (f" ({_counts(tally.other_sports)})" if sports else ""),
           f"{others} files that are no activity" + (f" ({_counts(tally.not_activities)})" if others else "")]
    if tally.not_read:
        out.append(f"archives inside a Part ZIP, not opened: {_listed(tally.not_read)}")
    if tally.other_members:
        out.append(f"{tally.other_members} other files of the export (its JSON summaries and profile, activities "
                   "uploaded as .gpx or .tcx, which hold no sets), not read")
    return ", ".join(out)


def _counts(c: Counter) -> str:
    shown = [f"{k} {n}" for k, n in c.most_common(LISTED)]
    rest = sum(n for _, n in c.most_common()[LISTED:])
    return ", ".join(shown) + (f", others {rest}" if rest else "")


def _listed(items: list[str]) -> str:
    shown = "; ".join(items[:LISTED])
    return shown + (f"; and {len(items) - LISTED} more" if len(items) > LISTED else "")
