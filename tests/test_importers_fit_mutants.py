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


# --- fitbulk: many activities ----------------------------------------------------------------------------------
UPLOADS = "DI_CONNECT/DI-Connect-Uploaded-Files/"
BULK_HINT = ("unzip the export and pass DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip (then each "
             "Part after it) to `peri import auto`")
MONDAY = dt.datetime(2024, 3, 4, 17, 0, tzinfo=UTC)  # 18:00 at the watch's UTC+1
THURSDAY = dt.datetime(2024, 3, 7, 6, 30, tzinfo=UTC)  # 07:30
MONDAY_SETS = [(SQUAT, 6, 100.0, 5, 40.0), (SQUAT, 6, 105.0, 5, 40.0), (BENCH, 1, 80.0, 8, 35.0)]
THURSDAY_SETS = [(BENCH, 1, 82.5, 6, 30.0), (UNKNOWN, 0, 20.0, 10, 30.0), (BENCH, 1, 82.5, 6, 30.0)]


def fit(tmp: Path, sets=MONDAY_SETS, *, start: dt.datetime = MONDAY, **kw) -> bytes:
    return activity(tmp / "one.fit", sets, start=start, **kw).read_bytes()


def no_activity(kind: int) -> bytes:
    return encode([("file_id", [kind, 1, T0_FIT])])


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def bulk(data: bytes, limit: int = 1 << 30):
    z = zipfile.ZipFile(io.BytesIO(data))
    return fitbulk.garmin_bulk(z, [i for i in z.infolist() if not i.is_dir()], "x.zip", limit)


def bulk_refused(data: bytes, limit: int = 1 << 30) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as e:
        bulk(data, limit)
    return e.value


def test_an_export_as_one_table_and_its_note_word_for_word(tmp_path: Path) -> None:
    monday = fit(tmp_path)
    part1 = zipped({"u_101.fit": fit(tmp_path, THURSDAY_SETS, start=THURSDAY), "u_102.fit": fit(tmp_path, [], sport=1,
                                                                                                  sub_sport=0),
                    "u_103.fit": no_activity(32), "u_104.fit": no_activity(2)})
    part2 = zipped({"sub/": b"", "u_201.fit": monday, "u_202.fit": monday, "u_203.fit": fit(tmp_path, [], sport=2,
                                                                                             sub_sport=7),
                    "u_204.fit": fit(tmp_path)[:-40], "u_205.tcx": b"<TrainingCenterDatabase/>",
                    "older.zip": zipped({"x.fit": monday})})
    data = zipped({"customer_data/customer.json": b"{}", "DI_CONNECT/DI-Connect-Fitness/s.json": b"[]",
                   UPLOADS + "UploadedFiles_0-_Part1.zip": part1, UPLOADS + "UploadedFiles_0-_Part2.zip": part2})
    text, note = bulk(data)
    # Monday's activity (Part 2) comes first: lines 2-4; Thursday's lines 5-7, its second set unnamed
    assert text.decode("utf-8") == ("Date,Exercise,Weight (kg),Reps,Seconds\n"
                                    "2024-03-04 18:00:00,Barbell Back Squat,100,5,\n"
                                    "2024-03-04 18:03:00,Barbell Back Squat,105,5,\n"
                                    "2024-03-04 18:06:00,Barbell Bench Press,80,8,\n"
                                    "2024-03-07 07:30:00,Barbell Bench Press,82.5,6,\n"
                                    "2024-03-07 07:33:00,,20,10,\n"
                                    "2024-03-07 07:36:00,Barbell Bench Press,82.5,6,\n")
    assert note == (
        "read as Garmin Connect's bulk export (UploadedFiles_0-_Part1.zip; UploadedFiles_0-_Part2.zip): 2 "
        "strength-training activities, 6 active sets (rest periods left out), from 8 .fit files; passed over: 2 "
        "activities of other sports (running 1, cycling/road 1), 2 files that are no activity (monitoring_b 1, "
        "settings 1), archives inside a Part ZIP, not opened: "
        "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip/older.zip, 3 other files of the export (its "
        "JSON summaries and profile, activities uploaded as .gpx or .tcx, which hold no sets), not read; 1 activities "
        "were copies of another and counted once; 1 files could not be read and were left out: 'u_204.fit' (the FIT "
        "file ends before its records do: a download or copy cut short); line N is the (N-1)th set, activities in "
        "time order; 1 sets the watch did not name (exercise unknown) are refused, never guessed (lines 5-7 are "
        "'u_101.fit'): name them in Garmin Connect and export again")


def test_fit_files_at_the_top_beside_a_part(tmp_path: Path) -> None:
    # one .FIT at the top (its name in capitals) and one in a Part: two in all, read; the Part's name is said
    data = zipped({"A.FIT": fit(tmp_path), "Part.zip": zipped({"b.fit": fit(tmp_path, start=THURSDAY)})})
    text, note = bulk(data)
    assert len(text.decode().splitlines()) == 7
    assert note.startswith("read as Garmin Connect's bulk export (x.zip; Part.zip): 2 strength-training activities, "
                           "6 active sets (rest periods left out), from 2 .fit files; passed over: 0 activities of "
                           "other sports, 0 files that are no activity; line N")
    assert note.endswith("; line N is the (N-1)th set, activities in time order")


def test_too_few_fit_files_are_left_to_the_caller(tmp_path: Path) -> None:
    one = fit(tmp_path)
    assert bulk(zipped({"a.fit": one, "log.csv": b"Date\n"})) is None
    assert bulk(zipped({"a.fit": one, "Part.zip": zipped({"notes.txt": b"x"})})) is None  # a Part of no .fit
    assert bulk(zipped({"a.fit": one, "Part.zip": b"PK\3\4 no zip at all"})) is None
    assert bulk(zipped({"Part.zip": zipped({"b.fit": one})})) is None
    assert bulk(zipped({"a.fit": one, "Part.ZIP": zipped({"b.fit": fit(tmp_path, start=THURSDAY)})})) is not None


def test_an_export_of_no_strength_activity_word_for_word(tmp_path: Path) -> None:
    data = zipped({"Part.zip": zipped({"1.fit": fit(tmp_path, [], sport=1, sub_sport=0), "2.fit": no_activity(32),
                                       "3.fit": fit(tmp_path)[:-40], "4.fit": no_activity(4)})})
    e = bulk_refused(data)
    assert e.message == ("the archive's 4 .fit files hold no strength-training activity with sets (2 activities of "
                         "other sports (running 1, no sport named 1), 1 files that are no activity (monitoring_b 1); "
                         "could not be read: '3.fit' (the FIT file ends before its records do: a download or copy cut "
                         "short))")
    assert e.place == "x.zip:1"
    assert e.hint == ("peri reads the sets a Garmin watch records in a strength-training activity; nothing was "
                      "imported")
    e = bulk_refused(zipped({"1.fit": no_activity(32), "2.fit": no_activity(32)}))
    assert e.message == ("the archive's 2 .fit files hold no strength-training activity with sets (0 activities of "
                         "other sports, 2 files that are no activity (monitoring_b 2))")


def test_too_many_fit_files_word_for_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fitbulk, "MAX_FIT_FILES", 3)
    three = {"1.fit": fit(tmp_path), "2.fit": no_activity(32), "Part.zip": zipped({"3.fit": no_activity(2)})}
    assert bulk(zipped(three)) is not None
    e = bulk_refused(zipped({**three, "4.fit": no_activity(2)}))
    assert (e.message, e.place, e.hint) == ("the archive holds 4 .fit files, more than the 3 peri reads from one "
                                            "export", "x.zip:1", BULK_HINT)


def test_the_fit_files_are_held_to_the_limit_together(tmp_path: Path) -> None:
    a, b = fit(tmp_path), fit(tmp_path, start=THURSDAY)
    data = zipped({"a.fit": a, "b.fit": b})
    assert bulk(data, len(a) + len(b)) is not None  # every byte of both, exactly the limit
    e = bulk_refused(data, len(a) + len(b) - 1)
    assert (e.message, e.place, e.hint) == ("the .fit files in the archive expand past the 0 MiB limit of a file "
                                            "together", "x.zip:1", BULK_HINT)
    e = bulk_refused(data, len(a) - 1)  # past it within the first file
    assert e.message == "the .fit files in the archive expand past the 0 MiB limit of a file together"


def test_a_counted_stream() -> None:
    budget = [10]
    f = fitbulk._Counted(io.BytesIO(b"abcdefghijklmnop"), budget)
    assert f.read(4) == b"abcd" and budget == [6]
    assert f.read(0) == b"" and budget == [6]
    assert f.read() == b"efghijk" and budget == [-1]  # all it may read and one byte more
    assert f.read(2) == b"" and budget == [-1]
    budget = [3]
    assert fitbulk._Counted(io.BytesIO(b"abcdef"), budget).read(None) == b"abcd" and budget == [-1]
    budget = [0]
    assert fitbulk._Counted(io.BytesIO(b"abcdef"), budget).read(2) == b"ab" and budget == [-2]


def test_bombs_word_for_word(tmp_path: Path) -> None:
    inner = zipped({"1.fit": fit(tmp_path), "2.fit": b"\x0e" + bytes(17 << 20)})
    info = zipfile.ZipFile(io.BytesIO(inner)).getinfo("2.fit")
    e = bulk_refused(zipped({"Part.zip": inner}))
    ratio = info.file_size / info.compress_size
    assert e.message == f"this member of the ZIP archive expands {ratio:.0f} times its compressed size: a zip bomb, not an export"
    assert (e.place, e.hint) == ("x.zip/Part.zip/2.fit", BULK_HINT)


def test_a_part_stored_as_it_is_is_no_bomb(tmp_path: Path) -> None:
    # the Part's own members compressed, the Part stored in the export: it expands by nothing
    part = zipped({"1.fit": fit(tmp_path), "pad.bin": bytes(17 << 20)}, zipfile.ZIP_DEFLATED)
    outer = zipped({"0.fit": fit(tmp_path), "Part.zip": part}, zipfile.ZIP_STORED)
    assert bulk(outer) is not None


def test_a_part_bomb_word_for_word(tmp_path: Path) -> None:
    outer = zipped({"Part.zip": zipped({"1.fit": fit(tmp_path), "2.fit": fit(tmp_path, start=THURSDAY)},
                                       zipfile.ZIP_STORED) + bytes(17 << 20)})
    info = zipfile.ZipFile(io.BytesIO(outer)).getinfo("Part.zip")
    e = bulk_refused(outer)
    ratio = info.file_size / info.compress_size
    assert e.message == f"this member of the ZIP archive expands {ratio:.0f} times its compressed size: a zip bomb, not an export"
    assert (e.place, e.hint) == ("x.zip/Part.zip", BULK_HINT)


def encrypted(data: bytes, name: str) -> bytes:
    """The archive with `name`'s central-directory entry marked encrypted (bit 0 of its flags)."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        size = int.from_bytes(out[at + 28:at + 30], "little")
        if out[at + 46:at + 46 + size].decode() == name:
            out[at + 8] |= 1
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


def test_files_that_cannot_be_read_are_named_with_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fitbulk, "MAX_FIT_BYTES", 1 << 20)
    no_time = encode([("file_id", [4, 1, T0_FIT]), ("sport", [10, 20]),
                      ("set", [None, None, 40_000, 1, 5, 1600, SQUAT, 6, 0])])
    data = zipped({"a.fit": fit(tmp_path), "big.fit": b"\x0e" + bytes(2 << 20), "at.fit": b"\x0e" + bytes((1 << 20) - 1),
                   "locked.fit": fit(tmp_path, start=THURSDAY), "t.fit": no_time})
    text, note = bulk(encrypted(data, "locked.fit"))
    assert "; 4 files could not be read and were left out: 'big.fit' (2 MiB, over the 1 MiB limit of a FIT file); " \
           "'at.fit' (the FIT file could not be decoded (FitHeaderError: " in note
    assert note.endswith("'locked.fit' (encrypted); 't.fit' (a set without its time: a damaged record); line N is the "
                         "(N-1)th set, activities in time order")


def test_without_the_decoder_the_archive_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = zipped({"a.fit": fit(tmp_path), "b.fit": fit(tmp_path, start=THURSDAY)})
    monkeypatch.setitem(sys.modules, "fitdecode", None)
    e = bulk_refused(data)
    assert e.message == "this is a Garmin FIT file, and fitdecode, the package that reads it, is not installed"
    assert e.place == "x.zip/a.fit"


def test_counts_and_lists_past_six() -> None:
    from collections import Counter

    c = Counter({k: n for k, n in zip("abcdefgh", range(8, 0, -1))})
    assert fitbulk._counts(c) == "a 8, b 7, c 6, d 5, e 4, f 3, others 3"
    assert fitbulk._counts(Counter({k: n for k, n in zip("abcdefg", range(7, 0, -1))})) == (
        "a 7, b 6, c 5, d 4, e 3, f 2, others 1")
    assert fitbulk._counts(Counter({k: n for k, n in zip("abcdef", range(6, 0, -1))})) == "a 6, b 5, c 4, d 3, e 2, f 1"
    assert fitbulk._listed(list("abcdef")) == "a; b; c; d; e; f"
    assert fitbulk._listed(list("abcdefg")) == "a; b; c; d; e; f; and 1 more"
    assert fitbulk._listed(list("abcdefgh")) == "a; b; c; d; e; f; and 2 more"
    assert fitbulk.fit_members(["a.FIT", "b.fit", "c.fitx", "d.csv", "fit"]) == ["a.FIT", "b.fit"]


# --- fitlog: after its first pass ------------------------------------------------------------------------------
def test_one_file_is_read_to_its_end_even_a_run(tmp_path: Path) -> None:
    # a single file is checked whole (its checksum too): a run cut short is named cut short, not passed as a run
    data = activity(tmp_path / "run.fit", SETS[:1], sport=1, sub_sport=0).read_bytes()
    e = refused(data[:-20])
    assert e.message == "the FIT file ends before its records do: a download or copy cut short"


def raw_fit(body: bytes) -> bytes:
    """A FIT file of these records: the 14-byte header and both CRCs, as tests/test_importers_fitlog.py's encoder."""
    import struct

    from fitdecode.utils import compute_crc

    header = bytearray(struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT"))
    header += struct.pack("<H", compute_crc(header))
    out = bytes(header) + body
    return out + struct.pack("<H", compute_crc(out))


def test_a_field_of_an_impossible_size_is_refused_not_read_on() -> None:
    # file_id's manufacturer (field 1, uint16) defined 3 bytes wide: no multiple of its 2
    body = bytes([0x40, 0, 0, 0, 0, 2, 0, 1, 0x00, 1, 3, 0x84]) + bytes([0, 4, 1, 0, 0])
    e = refused(raw_fit(body))
    assert e.message.startswith("the FIT file could not be decoded (FitParseError: ")
    assert "invalid field size 3 in definition message" in e.message


def test_an_undecodable_file_names_the_first_120_characters_of_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import fitdecode

    def broken(*a, **k):
        raise ValueError("a" * 100 + "b" * 20 + "c" * 30)

    monkeypatch.setattr(fitdecode, "FitReader", broken)
    e = refused(b"\x0e" + bytes(20))
    assert e.message == "the FIT file could not be decoded (ValueError: " + "a" * 100 + "b" * 20 + ")"


def test_a_file_without_a_file_id_is_of_no_kind() -> None:
    act = read(encode([("sport", [10, 20]), ("set", [T0_FIT + 40, T0_FIT, 40_000, 1, 5, 1600, SQUAT, 6, 0])]))
    assert (act.kind, act.sport, len(act.rows)) == ("", "training/strength_training", 1)


def test_a_message_naming_no_sport_beside_one_that_does() -> None:
    data = encode([("file_id", [4, 1, T0_FIT]), ("sport", [None, None]), ("session", [T0_FIT, T0_FIT, 1, 0])])
    assert read(data).sport == "running"


def test_a_sets_time_is_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+5:30: a machine's zone must never move the watch's times
    time.tzset()
    try:
        assert _local(dt.datetime(2024, 3, 5, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                      dt.timedelta(hours=1)) == "2024-03-05 18:30:00"
    finally:
        monkeypatch.undo()
        time.tzset()


# --- fitbulk: after its first pass -----------------------------------------------------------------------------
def test_names_no_export_gives_are_refused_naming_the_archive_or_its_part(tmp_path: Path) -> None:
    two = {"a.fit": fit(tmp_path), "b.fit": fit(tmp_path, start=THURSDAY)}
    e = bulk_refused(zipped({**two, "../x.json": b"{}"}))
    assert e.message == "a member of the ZIP archive is named '../x.json', a path climbing out of the archive with '..'"
    assert e.place == "x.zip:1"
    e = bulk_refused(zipped({"Part.zip": zipped({**two, "../c.fit": b""})}))
    assert e.message == "a member of the ZIP archive is named '../c.fit', a path climbing out of the archive with '..'"
    assert e.place == "x.zip/Part.zip:1"


def test_an_encrypted_part_is_refused_naming_it(tmp_path: Path) -> None:
    data = zipped({"a.fit": fit(tmp_path), "Part.zip": zipped({"b.fit": fit(tmp_path, start=THURSDAY)})})
    e = bulk_refused(encrypted(data, "Part.zip"))
    assert (e.message, e.place) == ("this member of the ZIP archive is encrypted", "x.zip/Part.zip")


def test_every_part_is_read_and_counted(tmp_path: Path) -> None:
    # a member named .zip that is none, then two Parts, each with an archive inside and a .tcx
    run = fit(tmp_path, [], sport=1, sub_sport=0)
    monday = fit(tmp_path)
    data = zipped({"A.zip": b"PK\3\4 no zip", "B.zip": zipped({"m.fit": monday, "r1.fit": run, "x.tcx": b"<a/>",
                                                                "old.gz": b"\x1f\x8b"}),
                   "C.zip": zipped({"m2.fit": monday, "m3.fit": monday, "r2.fit": run, "y.tcx": b"<b/>",
                                    "older.zip": b"PK"})})
    text, note = bulk(data)
    assert note == ("read as Garmin Connect's bulk export (B.zip; C.zip): 1 strength-training activities, 3 active "
                    "sets (rest periods left out), from 5 .fit files; passed over: 2 activities of other sports "
                    "(running 2), 0 files that are no activity, archives inside a Part ZIP, not opened: B.zip/old.gz; "
                    "C.zip/older.zip, 3 other files of the export (its JSON summaries and profile, activities uploaded "
                    "as .gpx or .tcx, which hold no sets), not read; 2 activities were copies of another and counted "
                    "once; line N is the (N-1)th set, activities in time order")


def test_the_limit_is_said_in_mib(monkeypatch: pytest.MonkeyPatch) -> None:
    # a stand-in decoder that reads its whole file (fitdecode takes 2 s over a MiB of records): a file of exactly
    # 1 MiB, then one more byte, is past a limit of 1 MiB
    def whole(stream, name, early):
        while stream.read(1 << 16):
            pass
        return fitlog.FitActivity(kind="activity")

    monkeypatch.setattr(fitbulk, "read_activity", whole)
    e = bulk_refused(zipped({"a.fit": bytes(1 << 20), "b.fit": b"x"}), 1 << 20)
    assert e.message == "the .fit files in the archive expand past the 1 MiB limit of a file together"


def test_an_error_at_exactly_the_limit_is_the_files_own(tmp_path: Path) -> None:
    good = fit(tmp_path)
    cut = fit(tmp_path, start=THURSDAY)[:-40]
    # every byte of both read, the budget left at 0 when the cut file ends: the file is unreadable, the limit kept
    text, note = bulk(zipped({"a.fit": good, "b.fit": cut}), len(good) + len(cut))
    assert "; 1 files could not be read and were left out: 'b.fit' (the FIT file ends before its records do" in note


def test_other_sports_are_left_at_their_sport_message(tmp_path: Path) -> None:
    run = fit(tmp_path, SETS[:1], sport=1, sub_sport=0)
    text, note = bulk(zipped({"a.fit": fit(tmp_path), "run.fit": run[:-30]}))  # a run cut short: never read that far
    assert "passed over: 1 activities of other sports (running 1), 0 files that are no activity; line N" in note


def local_header_renamed(data: bytes, name: str, new: str) -> bytes:
    """The archive with `name`'s local file header naming `new` (the same length): its central directory disagrees."""
    at = data.find(b"PK\x03\x04")
    out = bytearray(data)
    while at >= 0:
        size = int.from_bytes(out[at + 26:at + 28], "little")
        if out[at + 30:at + 30 + size].decode() == name:
            out[at + 30:at + 30 + size] = new.encode()
            return bytes(out)
        at = out.find(b"PK\x03\x04", at + 4)
    raise AssertionError(name)


def test_a_member_that_does_not_open_is_named_with_why(tmp_path: Path) -> None:
    name = "a" * 30 + ".fit"
    data = zipped({name: fit(tmp_path), "b.fit": fit(tmp_path, start=THURSDAY), "c.fit": no_activity(32)})
    text, note = bulk(local_header_renamed(data, name, "z" * 30 + ".fit"))
    why = f"File name in directory '{name}' and header b'{'z' * 30}.fit' differ."
    assert len(why) > 80
    assert f"; 1 files could not be read and were left out: '{name}' (a damaged member of the archive: {why[:80]}); " \
           "line N" in note
    assert "1 strength-training activities, 3 active sets" in note and "1 files that are no activity" in note


def test_a_file_naming_no_kind_with_sets_is_an_activity() -> None:
    one = encode([("sport", [10, 20]), ("set", [T0_FIT + 40, T0_FIT, 40_000, 1, 5, 1600, SQUAT, 6, 0])])
    text, note = bulk(zipped({"a.fit": one, "b.fit": no_activity(2)}))
    assert text.decode() == "Date,Exercise,Weight (kg),Reps,Seconds\n2024-03-05 17:30:00,Barbell Back Squat,100,5,\n"
    assert "1 strength-training activities, 1 active sets" in note
