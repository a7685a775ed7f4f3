"""peri.plans.training_max at its edges (issue 20, the mutants a first pass left): each statement below is a way
programmes write their maxes, read by hand (315 lb x 0.45359237 = 142.88 kg)."""
from __future__ import annotations

import pytest

from peri.plans.freeform import _patterns, fold
from peri.plans.training_max import MAX_KG, MIN_KG, find, stated_maxes


def tms(*lines: str, unit: str = "kg") -> list[tuple[str, float]]:
    return [(m.name, m.kg) for m in stated_maxes(list(lines), _patterns().tm, unit, fold)]


def rms(*lines: str) -> list[tuple[str, float]]:
    return [(m.name, m.kg) for m in stated_maxes(list(lines), _patterns().rm, "kg", fold, kind="1rm",
                                                 unless=_patterns().tm)]


def test_a_line_with_a_percentage_or_a_scheme_states_no_max():
    # "Squat 140" would read as a piece; the line is a prescription's, not a statement
    assert tms("Training max: Squat 140, Bench 90%") == []
    assert tms("Training max: Squat 140, Bench 3x5") == []
    assert rms("1RM: Squat 160, Bench 5 x 5") == []


@pytest.mark.parametrize("line", ["**Training max:** Squat 140 kg", "`TM`: Squat 140 kg", "- Training max: Squat 140 kg",
                                  "## Training maxes: Squat 140 kg", "> • TM: Squat 140 kg", "+ TM: Squat 140 kg"])
def test_markdown_around_a_statement_is_no_part_of_it(line):
    assert tms(line) == [("Squat", 140.0)]


def test_a_line_that_only_seems_to_name_a_max_stops_nothing():
    # "TM_x" names a TM in the raw text (an underscore is no letter) but not once the markdown is gone
    assert tms("TM_x notes", "Training max: Squat 140 kg") == [("Squat", 140.0)]


def test_a_piece_that_is_no_lift_and_number_is_passed_over():
    assert tms("TMs: see below, Squat 140 kg") == [("Squat", 140.0)]
    assert tms("Training maxes: Close Grip Paused Bench Press 100 kg, Squat 140 kg") == [("Squat", 140.0)]  # 5 words


def test_a_name_of_four_words_is_a_lift():
    assert tms("Training max: Close Grip Bench Press 100 kg") == [("Close Grip Bench Press", 100.0)]


def test_dashes_and_spaces_around_a_name_are_no_part_of_it():
    assert tms("Squat -- TM 140 kg") == [("Squat", 140.0)]
    assert tms("Bench  Press TM: 100 kg") == [("Bench Press", 100.0)]  # two spaces, written once, as cased


def test_a_decimal_comma_is_a_decimal_in_a_list_too():
    # before: "Squat 142,5 kg" split at its comma into "Squat 142" and "5 kg"
    assert tms("Training maxes: Squat 142,5 kg, Bench 102,5 kg") == [("Squat", 142.5), ("Bench", 102.5)]
    assert tms("Squat TM: 142,5 kg") == [("Squat", 142.5)]


@pytest.mark.parametrize("line", ["TM: Squat 315 lb", "TM: Squat 315 pounds", "TM: Squat 315#", "TM: Squat 315 LBS"])
def test_pounds_written_any_way(line):
    assert tms(line) == [("Squat", 142.88)]  # 315 x 0.45359237 = 142.8816, to 10 g


def test_a_max_with_no_unit_is_in_the_texts_unit():
    assert tms("TM: Squat 315", unit="lb") == [("Squat", 142.88)]
    assert tms("TM: Squat 315", unit="kg") == [("Squat", 315.0)]


def test_the_bounds_of_a_max_are_kept():
    assert tms(f"TM: Curl {MIN_KG:g} kg", f"TM: Leg Press {MAX_KG:g} kg") == [("Curl", 2.5), ("Leg Press", 1000.0)]
    assert tms("TM: Curl 2.4 kg", "TM: Leg Press 1000.5 kg") == []


def test_the_line_is_kept_to_80_characters():
    line = "Training maxes: Squat 140 kg, Bench 100 kg, Deadlift 180 kg, Overhead Press 60 kg, Front Squat 110 kg"
    maxes = stated_maxes([line], _patterns().tm, "kg", fold)
    assert len(maxes) == 5 and {m.written for m in maxes} == {line[:80]} and len(line) > 81


def test_a_name_is_cased_as_first_written():
    assert tms("TMs: bench 100 kg, Close Grip Bench 80 kg") == [("bench", 100.0), ("Close Grip Bench", 80.0)]


@pytest.mark.parametrize("lift, stated, want", [
    ("Bench Press", ["Bench", "Bench Press"], "Bench Press"),  # the same words before any that fit
    ("Bench Press", ["Press Bench", "Bench Press"], "Bench Press"),  # in the same order before another order
    ("Bench Press", ["Press Bench"], "Press Bench"),  # the same words in another order fit
    ("Bench Incline Press", ["Bench", "Bench Incline"], "Bench Incline"),  # both first: the one naming more
    ("Bench Close Press", ["Bench Press", "Bench Close"], None),  # a tie: none
])
def test_which_stated_max_a_lift_takes_at_the_edges(lift, stated, want):
    maxes = stated_maxes([f"TM: {n} 100 kg" for n in stated], _patterns().tm, "kg", fold)
    got = find(maxes, lift, fold)
    assert (got.name if got else None) == want
