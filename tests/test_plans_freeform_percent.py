"""Percentages and efforts as 5/3/1 write-ups, coaches and forums write them: ``65%x5, 75%x5, 85%x5+`` (with any
separator, a space too), ``3x5 @ 75%``, ``5 @ 80% TM`` (one set, no count), ``@RPE8``, ``RIR 2``, ``70-75%``. Values
worked out by hand (70% of a training max taken as 90% of the 1RM is 63% of it)."""
from __future__ import annotations

import pytest

from peri.plans.freeform import read_plan


def _read(line: str):
    r = read_plan(f"Day 1\n- {line}\n")
    (p,) = r.plan.days[0].exercises
    return p, [n for n in r.notes if n.startswith("line 2:")]


@pytest.mark.parametrize("line, fields", [
    ("Squat 65%x5, 75%x5, 85%x5+", (3, 5, 5, 85.0)),
    ("Squat 65%x5 75%x5 85%x5+", (3, 5, 5, 85.0)),  # spaces only (before: one set at 65%, the rest a note)
    ("Squat 65% x 5 → 75% x 3 → 85% x 1+", (3, 1, 5, 85.0)),
    ("Squat: 5 @ 65%, 5 @ 75%, 5+ @ 85%", (3, 5, 5, 85.0)),
    ("Squat 5x65% 5x75% 5+x85%", (3, 5, 5, 85.0)),
    ("Squat 3x5 @ 75%", (3, 5, 5, 75.0)),
    ("Squat 3 x 5 @ 75 %", (3, 5, 5, 75.0)),
    ("Squat 3x5 @ 70-75%", (3, 5, 5, 70.0)),  # a range: its lower end, the whole in the note
    ("Squat 5 @ 80%", (1, 5, 5, 80.0)),  # one set, no count written (before: not read)
    ("Squat 5+ @ 85%", (1, 5, 5, 85.0)),
    ("Squat 5 reps @ 80%", (1, 5, 5, 80.0)),
    ("Squat 5 @ 70% TM", (1, 5, 5, 63.0)),  # 70% of 0.9 of the 1RM
])
def test_percentages_as_lifters_write_them(line, fields):
    p, _ = _read(line)
    assert (p.sets, p.reps_low, p.reps_high, p.pct_e1rm) == fields
    assert p.load_kg is None


def test_a_wave_plus_is_noted_once_in_the_prescription():
    p, said = _read("Squat 65%x5, 75%x5, 85%x5+")
    assert p.note == "sets 65% x 5, 75% x 5, 85% x 5+ (checked at the heaviest)"
    assert any("5+ read as at least 5 reps" in n for n in said)


@pytest.mark.parametrize("line, rpe, rir", [
    ("Squat 3x5 @RPE8", 8.0, None), ("Squat 3x5 @ RPE 8.5", 8.5, None), ("Squat 5x5 @ 8 RPE", 8.0, None),
    ("Squat 3x5 @8", 8.0, None), ("Squat 3x5, RIR 2", None, 2), ("Squat 3x5 @ 2 RIR", None, 2),
    ("Squat 3x5, 2 reps in reserve", None, 2), ("Deadlift 3 @ RPE 8", 8.0, None),
])
def test_efforts_as_lifters_write_them(line, rpe, rir):
    p, _ = _read(line)
    assert (p.rpe, p.rir, p.load_kg, p.pct_e1rm) == (rpe, rir, None, None)


def test_one_set_with_no_count_is_said():
    p, said = _read("Bench 8 reps @ 60 kg")
    assert (p.sets, p.reps_low, p.load_kg) == (1, 8, 60.0)
    assert said == ["line 2: Bench: 8 reps at a load or an effort, no set count written: read as 1 set"]


@pytest.mark.parametrize("line", ["Curl 10 @ 8", "Row 3 sets of 5 reps @ 70%"])
def test_what_is_no_single_set(line):
    # "10 @ 8" could be 10 reps at RPE 8 or 10 sets: not read as either; a scheme's own reps stay its own
    r = read_plan(f"Day 1\n- Squat 3x5\n- {line}\n")
    got = [(p.exercise, p.sets) for p in r.plan.days[0].exercises]
    assert got in ([("Squat", 3)], [("Squat", 3), ("Row", 3)])


@pytest.mark.parametrize("line, sets", [("Bench 1xAMRAP @ 70%", 1), ("Chin-ups 3xmax", 3), ("Dips 3xfailure", 3),
                                        ("Pull-ups 3 x AMRAP", 3)])
def test_amrap_touching_the_x_is_read(line, sets):
    """"1xAMRAP" was no scheme (the x a letter before the word); now as "1 x AMRAP": at least one rep a set."""
    p, said = _read(line)
    assert (p.sets, p.reps_low, p.reps_high) == (sets, 1, 1)
    assert any(f"read as {sets} set{'s' if sets > 1 else ''} of at least 1 rep" in n for n in said), said


@pytest.mark.parametrize("line, pct", [("Bankdrücken 5x5 bei 80%", 80.0), ("Sentadilla 5x5 al 80%", 80.0),
                                       ("Panca piana 4x6 al 75%", 75.0), ("Supino 4x6 com 75%", 75.0)])
def test_the_word_before_a_percentage_in_other_languages_is_no_note(line, pct):
    # before: "bei", "al" were kept as the prescription's note, as words nobody read
    p, _ = _read(line)
    assert (p.pct_e1rm, p.note) == (pct, None)
