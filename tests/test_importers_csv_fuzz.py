"""Fuzz of `peri import csv` with no mapping (columns read by their names), the path a file from an app peri
has never seen takes.

The property, for any bytes and for generated tables of column names people use and hostile cells: the
import either succeeds or raises a PeriError (the CLI's one line) - no other exception escapes - and a failed
import leaves the store's dump exactly as it was, while a successful one adds what it reports.
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
from peri.log.importers import import_file, parse_file
from peri.log.models import Athlete
from peri.log.store import Store

NAMES = ["Date", "Datum", "Exercise", "Übung", "Lift", "Weight", "Weight(kg)", "Weight (lbs)", "kg", "Load", "Reps",
         "Wdh", "Unit", "RPE", "RIR", "Notes", "Note", "isWarmup", "Set Type", "Duration(s)", "Distance(m)",
         "Distance (km)", "Workout Name", "Title", "Time", "Workout #", "", "multiplier", "Date", "Exercise", "Sets",
         "logs", "assigned_weight", "completed"]
CELLS = ["", " ", "2024-03-01", "01/03/2024", "03/13/2024 6:02 PM", "13.03.2024", "31/02/2024", "1/2/24",
         "2024-02-01 06:00:00 +0000", "Squat", "Bench Press (Barbell)", "🏋️", "100", "102,5", "1.234,5", "225 lbs",
         "100kg", "16 stone", "-20", "0", "nan", "inf", "1e309", "5", "8", "true", "false", "yes", "warmup", "W",
         "dropset", "100x5,102.5x3,", "BW", "BW+20", "3", "60", "x" * 300, '"', "\u202e", "=1+1", "kg", "lbs"]

ids = lambda name: name.lower()  # noqa: E731 - a stand-in for the catalog


@st.composite
def table(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=9))
    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=8))
    rows = draw(st.lists(st.lists(cell, min_size=max(0, len(header) - 1), max_size=len(header) + 1), max_size=8))
    if draw(st.booleans()):  # half the tables start from a readable core, so imports succeed as well as fail
        core = ["Date", "Exercise", "Weight", "Reps"]
        good = draw(st.lists(st.tuples(st.sampled_from(["2024-03-01", "2024-03-02 18:00", "13/03/2024"]),
                                       st.sampled_from(["Squat", "Bench Press (Barbell)", "Čučanj"]),
                                       st.sampled_from(["100 kg", "225 lbs", "BW", "102,5 kg"]),
                                       st.sampled_from(["5", "8 reps", "12"])), min_size=1, max_size=6))
        extra = header[:3]
        header = core + extra
        rows = [list(g) + draw(st.lists(cell, min_size=len(extra), max_size=len(extra))) for g in good]
    delim = draw(st.sampled_from([",", ";", "\t"]))
    buf = io.StringIO()
    if draw(st.integers(0, 5)) == 0:
        buf.write(f"sep={delim}\n")
    w = csv.writer(buf, delimiter=delim, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    w.writerow(header)
    w.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return buf.getvalue().encode(encoding, errors="replace")


class _Harness:
    def __init__(self, fmt: str = "csv") -> None:
        self.fmt = fmt
        self.dir = Path(tempfile.mkdtemp(prefix="peri-csvfuzz-"))
        self.store = Store(self.dir / "peri.db")
        self.athlete = self.store.add_athlete(Athlete(name="ana"))
        self.outcomes = {"ok": 0, "refused": 0}

    def check(self, data: bytes) -> None:
        path = self.dir / "f.csv"
        path.write_bytes(data)
        before = self.store.dump()
        count = self.store.count_sets(self.athlete.id)
        try:
            r = import_file(self.store, "ana", self.fmt, path, map_exercise=ids)
        except PeriError as e:
            assert str(e) and "\n" not in str(e), "a refusal is one line"
            assert self.store.dump() == before, "a failed import changed the store"
            self.outcomes["refused"] += 1
            return
        self.outcomes["ok"] += 1
        assert self.store.count_sets(self.athlete.id) == count + r.sets_new

    def close(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_any_bytes_never_escape_as_anything_but_a_peri_error() -> None:
    harness = _Harness()

    @SETTINGS
    @given(st.binary(max_size=400))
    def run(data: bytes) -> None:
        harness.check(data)

    run()
    harness.close()


def test_generated_tables_import_or_fail_cleanly() -> None:
    harness = _Harness()

    @SETTINGS
    @given(table())
    def run(data: bytes) -> None:
        harness.check(data)

    run()
    harness.close()
    # both roads were taken: the generator makes importable tables and refused ones
    assert harness.outcomes["ok"] > 0 and harness.outcomes["refused"] > 0, harness.outcomes


def test_auto_detection_on_generated_tables_and_bytes_imports_or_fails_cleanly() -> None:
    # `peri import auto` / the web form's default: detection reads the file once more before the importer does
    harness = _Harness("auto")

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.one_of(table(), st.binary(max_size=300)))
    def run(data: bytes) -> None:
        harness.check(data)

    run()
    harness.close()
    assert harness.outcomes["ok"] > 0 and harness.outcomes["refused"] > 0, harness.outcomes


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_every_app_format_refuses_junk_with_a_peri_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "f.csv"
        path.write_bytes(data)
        for fmt in ("strong", "hevy", "fitnotes"):
            try:
                parse_file(fmt, path)
            except PeriError:
                pass


BLOCK_LINES = ['"Legs · Day 2";"2026-02-19 4:54 h";"1:02 hr"', '"Push";"13/03/2026 17:10";"0:58 hr"',
               '"1. Hack Squats · Machine · 8 reps";"WU1 · 37,5 kg · 9 reps<br>WU2 · x kg · 7 reps"',
               '"2. Pull-ups · Bodyweight · 10 reps"', "#;KG;REPS;RIR", "#;LBS;REPS", "#;KG;REPS;RIR;RPE",
               "1;115;8;1", "2;102,5;6;0", "1;+35;10;0", "2;+0;12;0,5", "3;;;", "4;nan;5;1", "5;100;5;11", "",
               "x;y;z", "1;1e400;5;1", '"3. ";""']


def test_block_logs_import_or_fail_cleanly() -> None:
    harness = _Harness()

    # the first line a session line, so the block reader is the one that runs
    @SETTINGS
    @given(st.lists(st.sampled_from(BLOCK_LINES), min_size=1, max_size=14))
    def run(lines: list[str]) -> None:
        harness.check(("\n".join([BLOCK_LINES[0], *lines]) + "\n").encode())

    run()
    harness.close()
    assert harness.outcomes["ok"] > 0 and harness.outcomes["refused"] > 0, harness.outcomes


WIDE_NAMES = ["Set 1", "Set 2", "Set 3", "Set 1 Weight", "Set 1 Reps", "Set 2 Weight", "Set 2 Reps", "Weight 1",
              "Reps 1", "Reps 2", "S1 Reps", "Set 1 RPE", "Weight", "Reps", "Sets", "Time", "Duration", "Notes",
              "Workout"]
WIDE_CELLS = ["", "100x5", "5@100", "100 kg x 5", "102,5 kg x 5", "BWx12", "BW+10x8", "225 lbs x 3", "100x5@8",
              "5 x 100 kg", "x5", "5x", "abc", "5", "12.5", "1:30", "6:02 PM", "18:02", "1h 3m", "0", "-3x5", "1e400x5",
              "100x5x3", "@", "x", "100kgx5kg"]


@st.composite
def wide_table(draw) -> bytes:
    extra = draw(st.lists(st.sampled_from(WIDE_NAMES), min_size=2, max_size=7))
    header = ["Date", "Exercise"] + extra
    rows = [[draw(st.sampled_from(["2024-03-01", "2024-03-04", "2024-03-07 18:00"])),
             draw(st.sampled_from(["Squat", "Bench Press", "Curl"]))]
            + draw(st.lists(st.sampled_from(WIDE_CELLS), min_size=len(extra), max_size=len(extra)))
            for _ in range(draw(st.integers(1, 8)))]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    return buf.getvalue().encode()


def test_wide_sheets_and_time_columns_import_or_fail_cleanly() -> None:
    harness = _Harness()

    @SETTINGS
    @given(wide_table())
    def run(data: bytes) -> None:
        harness.check(data)

    run()
    harness.close()
    assert harness.outcomes["ok"] > 0 and harness.outcomes["refused"] > 0, harness.outcomes
