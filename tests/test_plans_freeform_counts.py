"""Plans that leave a count out or say how to round (peri.plans.freeform): "Deadlift x5+ @ 140 kg", "Pull-ups
AMRAP", "Push-ups to failure" are one set each; "(round to 2.5 kg)" and "Round all weights to the nearest 5 lb"
round the loads worked out from a stated training max, and are never a load themselves. Values worked by hand."""
from __future__ import annotations

import pytest

from peri.plans.freeform import read_plan


def _read(text: str):
    r = read_plan(text)
    return [e for d in r.plan.days for e in d.exercises], r.notes


@pytest.mark.parametrize("line, name, reps, kg", [
    ("Deadlift x5+ @ 140 kg", "Deadlift", 5, 140.0),
    ("Bench press x8 @ 185 lb", "Bench press", 8, 83.915),  # 185 x 0.45359237 = 83.9146
    ("Front squat: x3 @ 100 kg", "Front squat", 3, 100.0),
])
def test_reps_after_an_x_with_no_count_are_one_set(line, name, reps, kg):
    got, notes = _read(f"Monday\n{line}\nRow 3x8 @ 60 kg")
    first = got[0]
    assert (first.exercise, first.sets, first.reps_low, first.load_kg) == (name, 1, reps, kg)
    assert any(f"x{reps}" in n and "no set count written: read as 1 set" in n for n in notes)


@pytest.mark.parametrize("line, name", [
    ("Pull-ups AMRAP", "Pull-ups"),
    ("Pull-ups: AMRAP @ BW", "Pull-ups"),
    ("Push-ups to failure", "Push-ups"),
    ("Dips - max reps", "Dips"),
])
def test_an_amrap_word_after_a_known_lift_is_one_set(line, name):
    got, notes = _read(f"Monday\n{line}\nSquat 3x5 @ 100 kg")
    assert [(e.exercise, e.sets, e.reps_low) for e in got] == [(name, 1, 1), ("Squat", 3, 5)]
    assert got[0].note == "AMRAP: as many reps as possible"
    assert f"line 2: {name}: read as 1 set of at least 1 rep (AMRAP, no rep count written; no set count written " \
           "either)" in notes


def test_amrap_at_a_percentage_keeps_the_percentage():
    got, _ = _read("Monday\nBench AMRAP @ 70%")
    assert (got[0].exercise, got[0].sets, got[0].pct_e1rm) == ("Bench", 1, 70.0)


def test_a_sentence_of_advice_or_a_stated_max_is_no_set():
    got, notes = _read("Monday\nNever train to failure on squats\nSquat max 150 kg\nBench 3x5 @ 80 kg")
    assert [e.exercise for e in got] == ["Bench"]
    assert "line 3: 1RM stated: Squat 150 kg" in notes


def test_a_count_written_elsewhere_on_the_line_wins():
    got, _ = _read("Monday\nKettlebell swings x 20, 3 rounds")
    assert (got[0].sets, got[0].reps_low) == (3, 20)


@pytest.mark.parametrize("how, kg", [
    ("round to 2.5 kg", 120.0),  # 85% of 140 = 119 -> 47.6 steps -> 48 -> 120
    ("rounded down to 2.5 kg", 117.5),
    ("round up to the nearest 2.5 kg", 120.0),
    ("nearest 5 kg", 120.0),  # 23.8 steps -> 24
    ("round to 2 kg", 120.0),  # 59.5 steps: half up -> 60
])
def test_rounding_on_the_line_rounds_a_load_from_the_training_max(how, kg):
    got, notes = _read(f"Training max: Squat 140 kg\nMonday\nSquat 3x5 @ 85% ({how})")
    assert got[0].load_kg == kg
    assert got[0].pct_e1rm is None
    assert any("85% of 140 kg is 119 kg, rounded" in n for n in notes)


def test_a_half_step_rounds_up():
    got, _ = _read("Training max: Squat 150 kg\nMonday\nSquat 3x5 @ 72.5% (round to 2.5 kg)")
    assert got[0].load_kg == 110.0  # 108.75 kg is 43.5 steps of 2.5


def test_without_rounding_the_load_stays_to_half_a_kilo():
    got, _ = _read("Training max: Squat 150 kg\nMonday\nSquat 3x5 @ 72.5%")
    assert got[0].load_kg == 109.0


def test_a_line_of_its_own_rounds_every_load_in_its_unit():
    text = ("Round all weights to the nearest 5 lb.\nTraining max: Squat 315 lb, Bench 225 lb\n"
            "Monday\nSquat 3x5 @ 85%\nBench 3x5 @ 70%")
    got, notes = _read(text)
    # 85% of 315 lb = 267.75 lb -> 270 lb = 122.470 kg; 70% of 225 lb = 157.5 lb -> 160 lb = 72.575 kg
    assert [e.load_kg for e in got] == [122.47, 72.575]
    assert notes[0] == "line 1: loads worked out from a stated training max or 1RM are rounded to the nearest 5 lb"
    assert "line 4: Squat: 85% of 315 lb is 267.75 lb, rounded to the nearest 5 lb (line 1): 270 lb" in notes
    assert [d.name for d in read_plan(text).plan.days] == ["Monday"]  # the rounding line is no day


def test_rounding_is_never_a_load():
    got, _ = _read("Monday\nBench 3x8 @ 100 kg (round to the nearest 2.5 kg)\nRow 3x8 (nearest 2.5 kg)")
    assert [(e.exercise, e.load_kg) for e in got] == [("Bench", 100.0), ("Row", None)]


def test_a_step_no_plate_makes_is_not_rounding():
    got, _ = _read("Training max: Squat 140 kg\nMonday\nSquat 3x5 @ 85% (nearest 100)")
    assert got[0].load_kg == 119.0


@pytest.mark.parametrize("line, name", [
    ("Squat 5/3/1: 65% x5, 75% x5, 85% x5+", "Squat"),
    ("Bench (5/3/1) 65% x5, 75% x5, 85% x5+", "Bench"),
    ("90/90 stretch 2x30s", "90/90 stretch"),
])
def test_a_programme_name_after_the_lift_is_no_part_of_it(line, name):
    got, _ = _read(f"Monday\n{line}")
    assert got[0].exercise == name


def test_an_x_after_words_that_name_no_lift_is_no_set():
    got, _ = _read("Monday\nSquat 3x5 @ 100 kg\nRepeat the circuit x3")
    assert [e.exercise for e in got] == ["Squat"]
