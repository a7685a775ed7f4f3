"""A negative load is an assisted exercise's help (an assisted pull-up logged as -20 kg, as FitNotes users and
hand-kept sheets do): the set is kept with its load unknown, as a bodyweight set, the help in its note, and the
report says how many and where. Before, each such row was refused as "outside 0..600 kg" and the set was lost."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.log.importers import EXERCISE, NOTE, REPS, UNIT, WEIGHT, WEIGHT_KG, parse_file

FITNOTES = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return path


def sets(parsed) -> list[tuple]:
    return [(w[EXERCISE], w[WEIGHT], w[WEIGHT_KG], w[UNIT], w[REPS], w[NOTE]) for s in parsed.sessions for w in s.sets]


def test_a_fitnotes_assisted_pull_up_logged_negative_is_kept_as_a_bodyweight_set(tmp_path: Path) -> None:
    text = FITNOTES + ("2025-04-29,Assisted Pull Up,Back,-20.0,kgs,8,,,,\n"
                       "2025-04-29,Assisted Pull Up,Back,-15.0,kgs,6,,,,felt strong\n"
                       "2025-04-29,Flat Barbell Bench Press,Chest,60.0,kgs,8,,,,\n")
    parsed = parse_file("fitnotes", write(tmp_path, text))
    assert sets(parsed) == [("Assisted Pull Up", None, None, None, 8, "assisted by 20 kg"),
                            ("Assisted Pull Up", None, None, None, 6, "felt strong; assisted by 15 kg"),
                            ("Flat Barbell Bench Press", 60, 60, "kg", 8, None)]
    assert not parsed.refused
    assert ("2 sets were logged with a negative load (first at line 2), read as an assisted exercise's help: each is "
            "kept with its load unknown, as a bodyweight set, and the assistance in its note") in parsed.warnings


def test_pounds_of_help_are_said_in_pounds(tmp_path: Path) -> None:
    text = "Date,Exercise,Weight (lbs),Reps\n2025-01-06,Assisted Dip,-45,10\n2025-01-06,Bench Press,135,5\n"
    parsed = parse_file("csv", write(tmp_path, text))
    assert sets(parsed)[0] == ("Assisted Dip", None, None, None, 10, "assisted by 45 lb")


@pytest.mark.parametrize("load, kept", [(-600, True), (-600.5, False), (0, True)])
def test_only_help_a_machine_can_give_is_read_as_help(tmp_path: Path, load: float, kept: bool) -> None:
    text = f"Date,Exercise,Weight (kg),Reps\n2025-01-06,Assisted Pull-Up,{load},8\n2025-01-06,Squat,100,5\n"
    parsed = parse_file("csv", write(tmp_path, text))
    names = [s[0] for s in sets(parsed)]
    assert ("Assisted Pull-Up" in names) is kept
    assert bool(parsed.refused) is not kept
    if load == 0:  # a load of 0 is no load (as before), not help
        assert sets(parsed)[0][5] is None and not any("negative" in w for w in parsed.warnings)


@pytest.mark.parametrize("name, assisted", [
    ("Assisted Pull Up", True), ("Pull-Up", True), ("Chin Up (Band)", True), ("Dips", True),
    ("Klimmzug (unterstützt)", True), ("Dominadas asistidas", True), ("Machine Assisted Dip", True),
    ("Squat (Barbell)", False), ("Bench Press", False), ("Pullover", False), ("Dumbbell Row", False),
    ("Landmine Press", False),
])
def test_which_exercises_a_negative_load_can_assist(name: str, assisted: bool) -> None:
    from peri.log.importers.bounds import assistable

    assert assistable(name) is assisted


def test_a_negative_load_on_a_squat_is_a_slip_and_refused(tmp_path: Path) -> None:
    text = "Date,Exercise,Weight (kg),Reps\n2025-01-06,Back Squat,-20,5\n2025-01-06,Back Squat,100,5\n"
    parsed = parse_file("csv", write(tmp_path, text))
    assert [s[1:5] for s in sets(parsed)] == [(100, 100, "kg", 5)]
    assert parsed.refused == ["line 2: session 2025-01-06 'Back Squat' set 1: load -20 (-20 kg) is outside 0..600 kg"]


def test_a_load_of_exactly_zero_is_no_help() -> None:
    """Bounds on a parsed file directly (a reader may pass 0 kg through): 0 is a load within bounds, not help."""
    import datetime as dt

    from peri.log.importers.base import ParsedFile, ParsedSession
    from peri.log.importers.bounds import apply_bounds

    zero = ["Assisted Pull Up", None, 1, 0.0, "kg", 0.0, 8, None, None, None, None, None, "as logged"]
    help_ = ["Assisted Pull Up", None, 2, -10.0, "kg", -10.0, 8, None, None, None, None, None, None]
    parsed = ParsedFile(path="x.csv", fmt="csv")
    parsed.sessions = [ParsedSession(started_at=dt.datetime(2025, 1, 6, 18), name="", duration_s=None, notes=None,
                                     source="csv", line=2, sets=[zero, help_])]
    apply_bounds(parsed, today=dt.date(2025, 2, 1))
    assert [(w[3], w[5], w[12]) for w in parsed.sessions[0].sets] == [(0.0, 0.0, "as logged"),
                                                                       (None, None, "assisted by 10 kg")]
