"""Property tests: every importer fed thousands of generated malformed and hostile rows (bad numbers,
wrong column counts, broken quoting, odd encodings, NUL bytes, huge fields).

The property: `import_file` either succeeds or raises a PeriError - nothing else escapes - and a failed
import leaves the store's full dump exactly as it was, while a successful one adds exactly what it reports.
"""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.errors import PeriError
from peri.log.importers import import_file
from peri.log.models import Athlete
from peri.log.store import Store

HUGE = "x" * ((1 << 20) + 10)  # just over the per-field limit
WEIRD = [
    "", " ", "nan", "NaN", "inf", "-inf", "-1", "-0", "1e309", "1e-320", "12,5", "1.234,5", "1,2,3", "abc", '"', '""',
    "\x00", "\n", "\r\n", "\r", ";", ",", "\t", "W", "D", "F", "Rest Timer", "Note", "2024-01-01", "7 Apr 2026, 10:14",
    "31/31/2024", "kg", "lbs", "kgs", "mi.", "0", "99999999999", "5.5", "١٢", "🏋️", "ä" * 300, "x" * 5000, HUGE,
    "1h 3m", "-3m", "25:99", "dropset", "warmup", "failure", "normal", "=cmd|' /C calc'!A0", "\ufeff", "\u202e",
]
cell = st.one_of(st.sampled_from(WEIRD), st.text(max_size=12))

FORMATS = {
    "strong": (
        ["Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps", "Distance", "Seconds",
         "Notes", "Workout Notes", "RPE"],
        ",",
        lambda d: [d["date"], d["name"], "1h 3m", d["ex"], d["order"], d["w"], d["reps"], "0", "0", d["note"], "", d["rpe"]],
    ),
    "strong-android": (
        ["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Weight Unit", "Reps", "RPE", "Distance",
         "Distance Unit", "Seconds", "Notes", "Workout Notes", "Workout Duration"],
        ";",
        lambda d: [d["date"], d["name"], d["ex"], d["order"], d["w"], d["unit"], d["reps"], d["rpe"], "", "", "0",
                   d["note"], "", "58m"],
    ),
    "hevy": (
        ["title", "start_time", "end_time", "description", "exercise_title", "superset_id", "exercise_notes",
         "set_index", "set_type", "weight_kg", "reps", "distance_km", "duration_seconds", "rpe"],
        ",",
        lambda d: [d["name"], d["hdate"], d["hdate"], "", d["ex"], "", d["note"], "0", d["stype"], d["w"], d["reps"],
                   "", "", d["rpe"]],
    ),
    "fitnotes": (
        ["Date", "Exercise", "Category", "Weight", "Weight Unit", "Reps", "Distance", "Distance Unit", "Time", "Comment"],
        ",",
        lambda d: [d["day"], d["ex"], "Legs", d["w"], d["unit"] + "s" if d["unit"] == "kg" else d["unit"], d["reps"],
                   "", "", "", d["note"]],
    ),
    "csv": (
        ["When", "Lift", "Load", "Unit", "Reps", "Comment"],
        ";",
        lambda d: [d["day"], d["ex"], d["w"], d["unit"], d["reps"], d["note"]],
    ),
}
MAPPING = {"columns": {"date": "When", "exercise": "Lift", "weight": "Load", "unit": "Unit", "reps": "Reps",
                       "note": "Comment"}}

valid = st.fixed_dictionaries({
    "date": st.sampled_from(["2024-03-04 18:02:11", "2024-03-06 07:40:00"]),
    "hdate": st.sampled_from(["7 Apr 2026, 10:14", "2024-01-07 17:15:00"]),
    "day": st.sampled_from(["2025-04-29", "2025-04-30"]),
    "name": st.sampled_from(["Lower A", "Push ☀️", ""]),
    "ex": st.sampled_from(["Squat (Barbell)", "Bench Press (Barbell)", "Pull Up", "Čučanj"]),
    "order": st.sampled_from(["1", "2", "3", "W", "D", "F", "Rest Timer", "Note"]),
    "stype": st.sampled_from(["normal", "warmup", "dropset", "failure"]),
    "w": st.one_of(st.just(""), st.just("0"), st.floats(0, 400, allow_nan=False).map(lambda x: f"{x:.2f}"),
                   st.just("102,5")),
    "unit": st.sampled_from(["kg", "lbs", ""]),
    "reps": st.integers(0, 30).map(str),
    "rpe": st.sampled_from(["", "8", "9.5"]),
    "note": st.sampled_from(["", "RPE: 8 on the last set", "aggravated my shoulder", "boli me rame", "@9"]),
})


@st.composite
def hostile_row(draw, fmt: str) -> list[str]:
    header, _, build = FORMATS[fmt]
    row = build(draw(valid))
    kind = draw(st.sampled_from(["valid", "valid", "mutate", "mutate", "length", "junk"]))
    if kind == "mutate":
        for _ in range(draw(st.integers(1, 3))):
            row[draw(st.integers(0, len(row) - 1))] = draw(cell)
    elif kind == "length":
        n = draw(st.integers(0, len(header) + 3))
        row = (row + [draw(cell) for _ in range(3)])[:n]
    elif kind == "junk":
        row = draw(st.lists(cell, max_size=len(header) + 2))
    return row


def _serialise(header: list[str], rows: list[list[str]], delim: str, quoting: int, raw: bool, encoding: str) -> bytes:
    buf = io.StringIO()
    if raw:  # no quoting at all: delimiters and quotes inside cells break the row
        buf.write("\n".join(delim.join(r) for r in [header, *rows]))
    else:
        w = csv.writer(buf, delimiter=delim, quoting=quoting, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


@st.composite
def hostile_file(draw, fmt: str) -> bytes:
    header, delim, _ = FORMATS[fmt]
    rows = draw(st.lists(hostile_row(fmt), min_size=1, max_size=12))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    raw = draw(st.booleans()) and draw(st.booleans())
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    data = _serialise(header, rows, delim, quoting, raw, encoding)
    if draw(st.integers(0, 9)) == 0:  # cut the file somewhere
        data = data[: draw(st.integers(0, len(data)))]
    return data


def ids(name: str) -> str | None:
    return None if "Č" in name else name.lower()


class _Harness:
    """One store per test, reused across examples, so later examples also meet existing data."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="peri-hostile-"))
        self.store = Store(self.dir / "peri.db")
        self.athlete = self.store.add_athlete(Athlete(name="ana"))
        self.n = 0
        self.failed = 0
        self.succeeded = 0

    def close(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, fmt: str, data: bytes) -> None:
        self.n += 1
        path = self.dir / f"f{self.n % 4}.csv"
        path.write_bytes(data)
        before = self.store.dump()
        count = self.store.count_sets(self.athlete.id)
        importer = "strong" if fmt == "strong-android" else fmt
        try:
            r = import_file(self.store, "ana", importer, path, map_exercise=ids,
                            mapping=MAPPING if fmt == "csv" else None)
        except PeriError as e:
            assert str(e)
            assert self.store.dump() == before, "a failed import changed the store"
            self.failed += 1
            return
        self.succeeded += 1
        assert self.store.count_sets(self.athlete.id) == count + r.sets_new
        assert r.sets_new + r.sets_existing <= r.rows_read
        again = import_file(self.store, "ana", importer, path, map_exercise=ids,
                            mapping=MAPPING if fmt == "csv" else None)
        assert again.sets_new == 0 and again.sessions_new == 0 and again.annotations_new == 0


SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])


def _property(fmt: str):
    harness = _Harness()

    @SETTINGS
    @given(hostile_file(fmt))
    def run(data: bytes) -> None:
        harness.check(fmt, data)

    run()
    harness.close()
    # both roads were taken: some files were refused, some imported
    assert harness.failed > 0 and harness.succeeded > 0, (harness.failed, harness.succeeded)


def test_strong_hostile_rows() -> None:
    _property("strong")


def test_strong_android_hostile_rows() -> None:
    _property("strong-android")


def test_hevy_hostile_rows() -> None:
    _property("hevy")


def test_fitnotes_hostile_rows() -> None:
    _property("fitnotes")


def test_generic_csv_hostile_rows() -> None:
    _property("csv")


def test_random_bytes_after_a_header() -> None:
    harness = _Harness()

    @settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=400), st.sampled_from(["strong", "hevy", "fitnotes", "csv"]))
    def run(data: bytes, fmt: str) -> None:
        header, delim, _ = FORMATS[fmt]
        harness.check(fmt, (delim.join(header) + "\n").encode() + data)

    run()
    harness.close()
    assert harness.failed > 0


import pytest  # noqa: E402


@pytest.mark.parametrize("head, what, hint", [
    (b"BZh91AY&SY" + bytes(40), "a bzip2-compressed file", "bunzip2"),
    (b"\xfd7zXZ\x00" + bytes(40), "an xz-compressed file", "unxz"),
    (b"\x28\xb5\x2f\xfd" + bytes(40), "a zstd-compressed file", "unzstd"),
    (b"\x89PNG\r\n\x1a\n" + bytes(40), "a PNG picture", "not a picture"),
    (b"\xff\xd8\xff\xe0" + bytes(40), "a JPEG picture", "not a picture"),
    (b"\x00\x00\x00\x18ftypheic" + bytes(40), "a HEIC/AVIF picture", "not a picture"),
    (b"log.csv".ljust(257, b"\x00") + b"ustar\x0000" + bytes(300), "a tar archive", "tar xf"),
])
def test_a_file_of_another_kind_is_named_for_what_it_is(tmp_path: Path, head: bytes, what: str, hint: str) -> None:
    from peri.errors import ImportFormatError
    from peri.log.importers import parse_file

    f = tmp_path / "log.csv"  # named as a CSV, as people pass them
    f.write_bytes(head)
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:1" and e.value.message == f"this is {what}, not a CSV file"
    assert hint in (e.value.hint or "")
