"""Hand-worked cases for `peri.log.importers.fitlog` and `peri.log.importers.fitbulk` (issue 20, mutation8b): FIT
files written byte by byte with tests/test_importers_fitlog.py's encoder, every table row, note and refusal word
for word, and the helpers on hand-made messages. FIT times count seconds from 1989-12-31 00:00 UTC: to 2024-01-01
is 1 day + 34 years of 365 days + 8 leap days (1992-2020) = 12,419 days, to 2024-03-05 another 31 + 29 + 4 = 64,
so 2024-03-05 17:30 UTC is 12,483 x 86,400 + 17.5 x 3,600 = 1,078,594,200."""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import fitbulk, fitlog
from peri.log.importers.fitlog import (_cell, _exercise, _first, _local, _local_offset, _name, _sport, fit_csv, is_fit,
                                       read_activity, sets_csv)

pytest.importorskip("fitdecode")
from tests.test_importers_fitlog import BENCH, PLANK, PULL_UP, SETS, SQUAT, UNKNOWN, _fit_time, activity, encode  # noqa: E402

UTC = dt.timezone.utc
T0_FIT = 1_078_594_200  # 2024-03-05 17:30 UTC, worked out above
FIT_HINT = "export the workout from Garmin Connect (or pass the activity's .fit file as downloaded)"


def test_the_hand_worked_fit_time() -> None:
    assert _fit_time(dt.datetime(2024, 3, 5, 17, 30, tzinfo=UTC)) == T0_FIT


# --- is_fit ---------------------------------------------------------------------------------------------------
def test_a_fit_header_is_told_by_its_size_and_its_mark() -> None:
    assert is_fit(b"\x0e" + bytes(7) + b".FIT" + bytes(2))
    assert is_fit(b"\x0c" + bytes(7) + b".FIT")  # 12 bytes: the shortest header
    assert not is_fit(b"\x0c" + bytes(7) + b".FI")  # 11 bytes
    assert not is_fit(b"\x0d" + bytes(7) + b".FIT" + bytes(2))
    assert not is_fit(b"\x0e" + bytes(7) + b".fit" + bytes(2))
    assert not is_fit(b"\x0e" + bytes(6) + b".FIT" + bytes(3))


# --- one activity, whole ---------------------------------------------------------------------------------------
def test_an_activity_as_its_table_and_note_word_for_word(tmp_path: Path) -> None:
    # sets 3 minutes apart from 17:30 UTC, at UTC+1; the plank is timed (no reps): its seconds are written
    text, note = fit_csv(activity(tmp_path / "a.fit").read_bytes(), "a.fit")
    assert text == ("Date,Exercise,Weight (kg),Reps,Seconds\n"
                    "2024-03-05 18:30:00,Barbell Back Squat,100,5,\n"
                    "2024-03-05 18:33:00,Barbell Back Squat,102.5,5,\n"
                    "2024-03-05 18:36:00,Barbell Bench Press,80,8,\n"
                    "2024-03-05 18:39:00,Banded Pull Ups,,10,\n"
                    "2024-03-05 18:42:00,45 Degree Plank,,,60\n")
    assert note == ("read as a Garmin FIT strength activity: 5 active sets (rest periods left out); line N is the "
                    "(N-1)th set")


def test_without_a_local_time_the_note_says_utc(tmp_path: Path) -> None:
    text, note = fit_csv(activity(tmp_path / "a.fit", SETS[:1], local_hours=None).read_bytes(), "a.fit")
    assert text == "Date,Exercise,Weight (kg),Reps,Seconds\n2024-03-05 17:30:00,Barbell Back Squat,100,5,\n"
    assert note == ("read as a Garmin FIT strength activity: 1 active sets (rest periods left out); line N is the "
                    "(N-1)th set; times in UTC (the file gives no local time)")


def test_unnamed_sets_are_said(tmp_path: Path) -> None:
    sets = [(UNKNOWN, 0, 60.0, 10, 30.0), (SQUAT, 6, 100.0, 5, 40.0), (UNKNOWN, 3, 62.5, 8, 30.0)]
    text, note = fit_csv(activity(tmp_path / "a.fit", sets, local_hours=-5).read_bytes(), "a.fit")
    assert text.splitlines()[1:] == ["2024-03-05 12:30:00,,60,10,", "2024-03-05 12:33:00,Barbell Back Squat,100,5,",
                                     "2024-03-05 12:36:00,,62.5,8,"]
    assert note == ("read as a Garmin FIT strength activity: 3 active sets (rest periods left out); line N is the "
                    "(N-1)th set; 2 sets the watch did not name (exercise unknown) are refused, never guessed: name "
                    "them in Garmin Connect and export again")


def refused(data: bytes, path: str = "w/a.fit") -> ImportFormatError:
    with pytest.raises(ImportFormatError) as e:
        fit_csv(data, path)
    assert e.value.place == path
    return e.value


NO_SETS_HINT = "peri reads a Garmin strength-training activity's sets; nothing was imported"


def test_no_strength_sets_word_for_word(tmp_path: Path) -> None:
    e = refused(activity(tmp_path / "run.fit", [], sport=1, sub_sport=0).read_bytes())
    assert (e.message, e.hint) == ("the FIT file holds no strength sets (a running activity)", NO_SETS_HINT)
    e = refused(activity(tmp_path / "s.fit", [], sport=10, sub_sport=20).read_bytes())
    assert (e.message, e.hint) == ("the FIT file holds no strength sets", NO_SETS_HINT)
    e = refused(encode([("file_id", [4, 1, T0_FIT])]))  # an activity naming no sport at all
    assert e.message == "the FIT file holds no strength sets (a non-strength activity)"


def test_a_sport_message_naming_nothing_is_no_sport(tmp_path: Path) -> None:
    # sport and sub_sport both invalid (not recorded): no sport, never the word "None"
    data = encode([("file_id", [4, 1, T0_FIT]), ("sport", [None, None])])
    assert read_activity(io.BytesIO(data), "a.fit").sport == ""
    assert refused(data).message == "the FIT file holds no strength sets (a non-strength activity)"


def test_a_file_past_the_limit_word_for_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fitlog, "MAX_FIT_BYTES", 1 << 20)
    e = refused(b"\x0e" + bytes((1 << 20) - 1))  # at the limit: read (and refused as no FIT file)
    assert e.message.startswith("the FIT file could not be decoded")
    e = refused(b"\x0e" + bytes(1 << 20))
    assert (e.message, e.hint) == ("the FIT file is 1 MiB, over the 1 MiB limit", "not one workout?")


def test_damaged_files_word_for_word(tmp_path: Path) -> None:
    data = activity(tmp_path / "a.fit").read_bytes()
    e = refused(data[: len(data) * 2 // 3])
    assert (e.message, e.hint) == ("the FIT file ends before its records do: a download or copy cut short", FIT_HINT)
    flipped = bytearray(data)
    flipped[40] ^= 0xFF
    e = refused(bytes(flipped))
    assert (e.message, e.hint) == ("the FIT file is damaged: its checksum does not match its content (a download or "
                                   "copy cut short, or changed?)", FIT_HINT)
    e = refused(b"\x0e" + bytes(20))
    assert e.message.startswith("the FIT file could not be decoded (FitHeaderError: ") and e.message.endswith(")")
    assert e.hint == FIT_HINT


def test_without_the_decoder_word_for_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fitdecode", None)
    with pytest.raises(ImportFormatError) as e:
        read_activity(io.BytesIO(b""), "w/a.fit")
    assert e.value.message == ("this is a Garmin FIT file, and fitdecode, the package that reads it, is not installed")
    assert (e.value.place, e.value.hint) == ("w/a.fit", "pip install 'peri[garmin]' and re-run")


# --- read_activity: what a file is, and leaving early ----------------------------------------------------------
def read(data: bytes, early: bool = False):
    return read_activity(io.BytesIO(data), "a.fit", early=early)


def test_a_whole_strength_activity(tmp_path: Path) -> None:
    act = read(activity(tmp_path / "a.fit").read_bytes(), early=True)
    assert (act.kind, act.sport, act.local, act.unnamed, act.stopped, len(act.rows)) == (
        "activity", "training/strength_training", True, 0, False, 5)


def test_a_file_of_no_activity_is_left_at_its_file_id() -> None:
    data = encode([("file_id", [32, 1, T0_FIT]), ("sport", [10, 20])])
    act = read(data, early=True)
    assert (act.kind, act.sport, act.stopped) == ("monitoring_b", "", True)
    whole = read(data)
    assert (whole.kind, whole.sport, whole.stopped) == ("monitoring_b", "training/strength_training", False)


def test_only_the_first_file_id_tells() -> None:
    data = encode([("file_id", [4, 1, T0_FIT]), ("file_id", [32, 1, T0_FIT]), ("sport", [1, 0])])
    act = read(data, early=True)
    assert (act.kind, act.sport, act.stopped) == ("activity", "running", True)


def test_a_file_id_naming_no_type_reads_on() -> None:
    data = encode([("file_id", [None, 1, T0_FIT]), ("sport", [10, 20])])
    act = read(data, early=True)
    assert (act.kind, act.sport, act.stopped) == ("", "training/strength_training", False)


def test_a_run_is_left_at_its_sport_or_session() -> None:
    at_sport = encode([("file_id", [4, 1, T0_FIT]), ("sport", [1, 0]), ("session", [T0_FIT, T0_FIT, 10, 20])])
    act = read(at_sport, early=True)
    assert (act.kind, act.sport, act.stopped) == ("activity", "running", True)
    assert read(at_sport).sport == "running, training/strength_training"  # whole: both messages, sorted
    at_session = encode([("file_id", [4, 1, T0_FIT]), ("session", [T0_FIT, T0_FIT, 2, 7])])
    act = read(at_session, early=True)
    assert (act.sport, act.stopped) == ("cycling/road", True)


@pytest.mark.parametrize("sport", [0, 4, 10, 62, None])  # generic, fitness_equipment, training, hiit, none named
def test_a_gym_sport_is_read_to_its_end(sport) -> None:
    data = encode([("file_id", [4, 1, T0_FIT]), ("sport", [sport, None]),
                   ("set", [T0_FIT + 40, T0_FIT, 40_000, 1, 5, 1600, SQUAT, 6, 0])])
    act = read(data, early=True)
    assert not act.stopped and act.rows == [["2024-03-05 17:30:00", "Barbell Back Squat", "100", "5", ""]]


def test_a_set_without_its_start_is_dated_by_its_end_and_rests_are_left_out() -> None:
    data = encode([("file_id", [4, 1, T0_FIT]), ("sport", [10, 20]),
                   ("set", [T0_FIT + 45, None, 45_000, 1, None, 1600, PLANK, 0, 0]),   # timed, no start
                   ("set", [T0_FIT + 150, T0_FIT + 45, 105_000, 0, None, None, None, None, 1]),  # a rest
                   ("set", [T0_FIT + 200, T0_FIT + 150, 50_000, 1, 12, None, PULL_UP, 0, 2])])
    act = read(data)
    assert act.rows == [["2024-03-05 17:30:45", "45 Degree Plank", "100", "", "45"],
                        ["2024-03-05 17:32:30", "Banded Pull Ups", "", "12", ""]]
    assert (act.local, act.unnamed) == (False, 0)


# --- the helpers on hand-made messages -------------------------------------------------------------------------
def test_an_exercise_by_its_profile_names() -> None:
    assert _exercise({"category": 28, "category_subtype": 6}) == "Barbell Back Squat"
    assert _exercise({"category": [28, 0], "category_subtype": [6, 1]}) == "Barbell Back Squat"  # the first named
    assert _exercise({"category": BENCH, "category_subtype": 60_000}) == "Bench Press"  # a subtype it does not name
    assert _exercise({"category": 28}) == "Squat"
    assert _exercise({"category": 28, "category_subtype": "6"}) == "Squat"
    assert _exercise({"category": 34, "category_subtype": 0}) == "Cardio Sensors"  # a category with no subtypes
    for unknown in ({"category": 65534, "category_subtype": 0}, {"category": 500}, {}, {"category": None},
                    {"category": []}, {"category": True}, {"category": "squat"}):
        assert _exercise(unknown) == "", unknown


def test_a_number_field_as_its_cell() -> None:
    assert [_cell(v) for v in (None, 5, 102.5, 100.0, 1e6, [80.0], (7,), [])] == [
        "", "5", "102.5", "100", "1e+06", "80", "7", "unreadable list"]
    assert [_cell(v) for v in ([1, 2], True, "5", b"x")] == [
        "unreadable list", "unreadable bool", "unreadable str", "unreadable bytes"]
    assert (_first([]), _first([3, 4]), _first((5,)), _first(6)) == (None, 3, 5, 6)


def test_names_and_sports() -> None:
    assert (_name(None), _name("running"), _name(0), _name(999)) == ("", "running", "0", "999")
    assert _sport({"sport": "training", "sub_sport": "strength_training"}) == "training/strength_training"
    assert _sport({"sport": "training", "sub_sport": "generic"}) == "training"
    assert _sport({"sport": "running"}) == "running"
    assert _sport({"sub_sport": "strength_training"}) == "strength_training"
    assert _sport({}) == ""


def offset(utc: object, local: object, *more: dict) -> tuple[dt.timedelta, bool]:
    return _local_offset({"activity": [{"timestamp": utc, "local_timestamp": local}, *more]})


def test_the_watchs_offset_in_quarter_hours() -> None:
    utc = dt.datetime(2024, 3, 5, 17, 30, tzinfo=UTC)
    assert offset(utc, T0_FIT + 3600) == (dt.timedelta(hours=1), True)
    assert offset(utc.replace(tzinfo=None), T0_FIT + 3600) == (dt.timedelta(hours=1), True)  # naive: UTC
    assert offset(utc, T0_FIT - 5 * 3600 - 30 * 60) == (dt.timedelta(hours=-5, minutes=-30), True)
    assert offset(utc, T0_FIT + 67 * 60) == (dt.timedelta(hours=1), True)  # 67 min = 4.47 quarters -> 4
    assert offset(utc, T0_FIT + 68 * 60) == (dt.timedelta(minutes=75), True)  # 4.53 quarters -> 5
    assert offset(utc, T0_FIT + 14 * 3600) == (dt.timedelta(hours=14), True)
    assert offset(utc, T0_FIT - 14 * 3600) == (dt.timedelta(hours=-14), True)
    assert offset(utc, T0_FIT + 14 * 3600 + 15 * 60) == (dt.timedelta(0), False)  # no zone is that far
    assert offset(utc, T0_FIT - 14 * 3600 - 15 * 60) == (dt.timedelta(0), False)
    later = {"timestamp": utc, "local_timestamp": T0_FIT + 2 * 3600}
    assert offset(utc, T0_FIT + 20 * 3600, later) == (dt.timedelta(hours=2), True)  # the next activity message
    assert offset(utc, True) == (dt.timedelta(0), False)
    assert offset(utc, float(T0_FIT + 3600)) == (dt.timedelta(0), False)
    assert offset("2024-03-05", T0_FIT) == (dt.timedelta(0), False)
    assert _local_offset({}) == (dt.timedelta(0), False)


def test_a_sets_local_time() -> None:
    hour = dt.timedelta(hours=1)
    assert _local(dt.datetime(2024, 3, 5, 17, 30, 15, 500, tzinfo=UTC), hour) == "2024-03-05 18:30:15"
    assert _local(dt.datetime(2024, 3, 5, 19, 30, tzinfo=dt.timezone(2 * hour)), hour) == "2024-03-05 18:30:00"
    assert _local(dt.datetime(2024, 3, 5, 23, 30), hour) == "2024-03-06 00:30:00"
    assert _local(None, hour) == "no time" and _local(T0_FIT, hour) == "no time"


def test_sets_csv_quotes_what_needs_it() -> None:
    assert sets_csv([["2024-03-05 18:30:00", 'Squat, "Paused"', "100", "5", ""]]) == (
        'Date,Exercise,Weight (kg),Reps,Seconds\n2024-03-05 18:30:00,"Squat, ""Paused""",100,5,\n')
