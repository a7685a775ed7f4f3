"""plans.freeform on load x reps lists, as lifters write a session or a top-set ladder: the CLASS.

``Squat 100x5, 110x3, 120x1``, ``Bench: 80 kg x 8, 85 x 6, 90 x 4``, ``Deadlift 140x5 / 160x3 / 180x1``,
``225x5x3`` (load x reps x sets), in kilograms or pounds, with the separators lifters use (commas, slashes,
semicolons, arrows, ``then``, spaces). Lists are generated over loads, units, separators and counts; the expected
prescription is worked out here by hand rules (the set count is the items' sets added up, the reps the fewest to
most, the load the heaviest item's, pounds times 0.45359237), never from the reader's output. Sets x reps
(``3x5``, ``5x5 @ 100 kg``) must stay sets x reps: its first number is no load."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.plans.freeform import read_plan

LB = 0.45359237
NAMES = ["Squat", "Bench Press", "Deadlift", "Overhead Press", "Front Squat", "Romanian Deadlift"]
LEADS = ["{name} ", "- {name}: ", "{name}: ", "* {name} – ", "1. {name} "]
SEPARATORS = [", ", ",", " / ", "/", "; ", " ", " -> ", " → ", " then ", ", then "]
UNITS = {"kg": ["kg", "kgs", "kilos"], "lb": ["lb", "lbs", "pounds"]}


def _fields(p):
    return (p.sets, p.reps_low, p.reps_high)


@st.composite
def ladder(draw):
    """(text, athlete's unit, expected (sets, reps_low, reps_high), expected load_kg, what the note must hold)."""
    n = draw(st.integers(1, 5))
    unit = draw(st.sampled_from(["kg", "lb"]))
    # where units are written: on every item, on the first only (the rest take it), or nowhere (the athlete's)
    style = draw(st.sampled_from(["every", "first", "none"]))
    low = 21 if style == "none" else 11  # a bare first number up to 20 could be a set count
    halves = draw(st.lists(st.integers(low * 2, 800), min_size=n, max_size=n))
    loads = [h / 2 for h in halves]
    reps = draw(st.lists(st.integers(1, 15), min_size=n, max_size=n))
    # a rep range on some sets ("100x5-8"): the top of each range a few reps above its bottom
    tops = [r + draw(st.sampled_from([0, 0, 1, 2, 3, 5])) for r in reps]
    dash = draw(st.sampled_from(["-", "–", " - "]))
    with_sets = draw(st.booleans())
    sets = draw(st.lists(st.integers(1, 2), min_size=n, max_size=n)) if with_sets else [1] * n
    sep = draw(st.sampled_from(SEPARATORS))
    times = draw(st.sampled_from(["x", " x ", "×", " × "]))
    word = draw(st.sampled_from(UNITS[unit]))
    items = []
    for i, (load, r, t, s) in enumerate(zip(loads, reps, tops, sets)):
        shown = f"{load:g}"
        if style == "every" or (style == "first" and i == 0):
            shown += draw(st.sampled_from([" ", ""])) + word
        items.append(f"{shown}{times}{r}" + (f"{dash}{t}" if t != r else "") + (f"{times}{s}" if with_sets else ""))
    name = draw(st.sampled_from(NAMES))
    text = "Day 1\n" + draw(st.sampled_from(LEADS)).format(name=name) + sep.join(items) + "\n"
    top = max(loads)
    kg = round(top * LB, 3) if unit == "lb" else top
    return text, unit, name, (sum(sets), min(reps), max(tops)), kg


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ladder())
def test_a_load_x_reps_list_is_one_prescription_at_its_heaviest_set(case) -> None:
    text, unit, name, fields, kg = case
    r = read_plan(text, unit=unit)
    (p,) = [p for d in r.plan.days for p in d.exercises]
    assert p.exercise == name, text
    assert _fields(p) == fields, text
    assert p.load_kg == pytest.approx(kg, abs=1e-3), text
    assert p.pct_e1rm is None
    assert "load x reps" in p.note and "checked at the heaviest" in p.note, p.note
    assert any(n.startswith("line 2:") and "read as load x reps" in n for n in r.notes), r.notes


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 10), st.integers(1, 20), st.sampled_from(["", " @ {l} kg", " @ {l}kg", " {l} kg", " @ {l} lb"]),
       st.integers(20, 250), st.sampled_from(["x", " x ", "×"]))
def test_sets_x_reps_stays_sets_x_reps(sets, reps, load, l, times) -> None:
    # the first number of "3x5" is a set count a plan writes: no load, whatever load follows
    text = f"Day 1\n- Squat {sets}{times}{reps}{load.format(l=l)}\n"
    (p,) = read_plan(text).plan.days[0].exercises
    assert _fields(p) == (sets, reps, reps), text
    expected = None if not load else round(l * LB, 3) if "lb" in load else float(l)
    assert p.load_kg == pytest.approx(expected) if expected else p.load_kg is None, text
    assert not any("load x reps" in n for n in read_plan(text).notes)


# --- hand-worked ---------------------------------------------------------------------------------

def test_a_top_set_ladder_in_the_athletes_unit_is_said_with_its_line() -> None:
    r = read_plan("Monday\nSquat 100x5, 110x3, 120x1\n")
    (p,) = r.plan.days[0].exercises
    assert (p.exercise, p.sets, p.reps_low, p.reps_high, p.load_kg) == ("Squat", 3, 1, 5, 120.0)
    assert "100 x 5, 110 x 3, 120 x 1" in p.note
    assert any(n.startswith("line 2:") and "has no unit: read in kg" in n for n in r.notes), r.notes
    assert any(n.startswith("line 2:") and "3 sets of 1-5 reps" in n and "120 kg" in n for n in r.notes), r.notes


def test_a_unit_on_the_first_set_holds_for_the_rest() -> None:
    r = read_plan("Day 1\nBench: 80 kg x 8, 85 x 6, 90 x 4\n", unit="lb")
    (p,) = r.plan.days[0].exercises
    assert (p.exercise, p.sets, p.reps_low, p.reps_high, p.load_kg) == ("Bench", 3, 4, 8, 90.0)
    assert not any("has no unit" in n for n in r.notes)  # 85 and 90 are kilograms, as 80 kg is


def test_slashes_and_pounds() -> None:
    # 405 lb x 0.45359237 = 183.705 kg; 315 lb and 365 lb lighter
    r = read_plan("Day 1\nDeadlift 315 lb x 5 / 365x3 / 405x1\n")
    (p,) = r.plan.days[0].exercises
    assert (p.sets, p.reps_low, p.reps_high) == (3, 1, 5)
    assert p.load_kg == pytest.approx(183.705, abs=1e-3)
    assert any("405 lb" in n for n in r.notes)


def test_load_x_reps_x_sets() -> None:
    # 225x5x3: three sets of five at 225, the athlete's pounds: 225 x 0.45359237 = 102.058 kg
    r = read_plan("Day 1\nSquat 225x5x3\n", unit="lb")
    (p,) = r.plan.days[0].exercises
    assert (p.sets, p.reps_low, p.reps_high) == (3, 5, 5)
    assert p.load_kg == pytest.approx(102.058, abs=1e-3)
    assert any("load x reps x sets" in n for n in r.notes)
    assert any("225x5x3 has no unit: read in lb" in n for n in r.notes)


def test_sets_added_up_over_a_ladder_of_sets() -> None:
    # 100x5x2 then 110x3x3: 2 + 3 = 5 sets of 3-5 reps at 110
    (p,) = read_plan("Day 1\nSquat 100x5x2, 110x3x3\n").plan.days[0].exercises
    assert (p.sets, p.reps_low, p.reps_high, p.load_kg) == (5, 3, 5, 110.0)


def test_two_lifts_on_one_line_each_with_their_sets() -> None:
    (a, b) = read_plan("Day 1\nSquat 100x5, Bench 80x8, 85x6\n").plan.days[0].exercises
    assert (a.exercise, a.sets, a.reps_low, a.load_kg) == ("Squat", 1, 5, 100.0)
    assert (b.exercise, b.sets, b.reps_low, b.reps_high, b.load_kg) == ("Bench", 2, 6, 8, 85.0)


def test_a_last_set_written_with_a_plus_is_at_least_that_many() -> None:
    (p,) = read_plan("Day 1\nSquat 100x5, 110x3, 120x1+\n").plan.days[0].exercises
    assert (p.sets, p.reps_low, p.reps_high, p.load_kg) == (3, 1, 5, 120.0)
    assert "1+" in p.note


@pytest.mark.parametrize("line", ["Squat 12x3", "Sprint 30x50 m", "Row 20x30 s"])
def test_what_no_load_x_reps_reading_holds_stays_unread_and_named(line) -> None:
    # 12 could be a set count (an EMOM's 12x3): no unit, no heavier bare load beside it; metres and seconds are
    # distances and times
    r = read_plan(f"Day 1\n- {line}\n- Bench 3x5\n")
    assert [p.exercise for p in r.plan.days[0].exercises] == ["Bench"]
    assert any(n.startswith("line 2:") for n in r.notes), r.notes


def test_a_dumbbell_ladder_under_twenty_reads_with_a_unit() -> None:
    (p,) = read_plan("Day 1\nCurl 12 kg x 10, 14x8, 16x6\n").plan.days[0].exercises
    assert (p.sets, p.reps_low, p.reps_high, p.load_kg) == (3, 6, 10, 16.0)


def test_a_set_a_line_written_load_x_reps_is_one_prescription() -> None:
    r = read_plan("Squat\nSet 1: 100x5\nSet 2: 110x3\nSet 3: 120x1\n")
    (p,) = r.plan.days[0].exercises
    assert (p.exercise, p.sets, p.reps_low, p.reps_high, p.load_kg) == ("Squat", 3, 1, 5, 120.0)
    assert any(n.startswith("line 2:") and "has no unit" in n for n in r.notes), r.notes


def test_a_load_after_at_is_the_schemes_load_not_a_set() -> None:
    # "3x8 @ 60kg x 2 sets": three sets of eight at 60 kg; "60kg x 2" is no load x reps set
    (p,) = read_plan("Day 1\n- Squat 3x8 @ 60kg x 2 sets\n").plan.days[0].exercises
    assert (p.sets, p.reps_low, p.load_kg) == (3, 8, 60.0)


def test_a_week_a_line_of_load_x_reps_under_a_lift() -> None:
    r = read_plan("Squat\nWeek 1: 100x5, 110x3, 120x1\nWeek 2: 105x5, 115x3, 125x1\n")
    assert [(w.numbers, [(p.exercise, p.sets, p.reps_low, p.reps_high, p.load_kg) for p in w.plan.days[0].exercises])
            for w in r.weeks] == [([1], [("Squat", 3, 1, 5, 120.0)]), ([2], [("Squat", 3, 1, 5, 125.0)])]


def test_a_top_single_after_sets_x_reps_is_the_same_lifts() -> None:
    # "then 120x1": the joining word is no exercise name; the single is the squat's, at 120
    (a, b) = read_plan("Day 1\n- Squat: 3x5 @ 100kg, then 120x1\n").plan.days[0].exercises
    assert (a.exercise, a.sets, a.reps_low, a.load_kg) == ("Squat", 3, 5, 100.0)
    assert (b.exercise, b.sets, b.reps_low, b.load_kg) == ("Squat", 1, 1, 120.0)


@pytest.mark.parametrize("line", ["Run 400x8", "Hill sprints 60x10", "Rower 500x4", "Shuttle runs 20x10", "Laufen 400x6"])
def test_distance_or_interval_work_is_never_read_as_loads(line):
    """Metres or seconds after a word of distance work: no load x reps (the line is named, never a 400 kg set)."""
    r = read_plan(f"Day 1\n- Squat 3x5 @ 100 kg\n- {line}\n")
    assert [(e.exercise, e.load_kg) for e in r.plan.days[0].exercises] == [("Squat", 100.0)]
    assert any(line in n for n in r.notes)


def test_a_lift_beside_distance_words_elsewhere_is_still_a_ladder():
    r = read_plan("Day 1\n- Squat 100x5, 110x3, 120x1\n- Run 400x8\n- Bench 80 kg x 8\n")
    assert [(e.exercise, e.sets, e.load_kg) for e in r.plan.days[0].exercises] == [("Squat", 3, 120.0), ("Bench", 1, 80.0)]


@pytest.mark.parametrize("line", ["Sprints: 100x6, 200x4", "Run 400x8, 200x6, 100x10", "Intervals 400 x 6; 800 x 3",
                                  "Rower 500x4 / 250x4", "Hill sprints: 60x10, 30x10"])
def test_a_list_of_intervals_is_one_line_named_never_a_load(line):
    """Every piece of a list of intervals after a word of distance work is metres or seconds: the second piece is
    no 200 kg x 4 (it was, before the distance rule held over the whole list); the line is named once, whole."""
    r = read_plan(f"Day 1\n- Squat 3x5 @ 100 kg\n- {line}\n")
    assert [(e.exercise, e.load_kg) for e in r.plan.days[0].exercises] == [("Squat", 100.0)]
    (said,) = [n for n in r.notes if n.startswith("line 3:")]
    assert "distance or interval work" in said and line in said


@pytest.mark.parametrize("line, fields", [
    ("Bench 100x5-8", (1, 5, 8, 100.0)),
    ("Bench 100 kg x 6-8", (1, 6, 8, 100.0)),
    ("Bench: 100x8-10, 110x6-8", (2, 6, 10, 110.0)),  # the fewest to the most reps of any set
    ("Bench 225 lb x 8-12 x 3", (3, 8, 12, 102.058)),  # 225 x 0.45359237 = 102.058 kg
    ("Squat 140 kg x 5+", (1, 5, 5, 140.0)),
    ("Squat 140x5, 150x3, 160x1+", (3, 1, 5, 160.0)),
])
def test_a_load_with_a_rep_range_or_a_plus_is_read_whole(line, fields):
    """"100x5-8" is 100 kg for 5 to 8 reps (before: 5 reps, the "-8" left in the note)."""
    (p,) = read_plan(f"Day 1\n- {line}\n").plan.days[0].exercises
    assert (p.sets, p.reps_low, p.reps_high, p.load_kg) == fields
    assert "; 8" not in (p.note or "") and "; 12" not in (p.note or "")


def test_a_plus_on_a_load_x_reps_set_is_said_once():
    r = read_plan("Day 1\n- Squat 140 kg x 5+\n")
    (p,) = r.plan.days[0].exercises
    assert p.note == "sets 140 kg x 5+ (load x reps; checked at the heaviest)"
    assert [n for n in r.notes if "5+" in n] == [
        "line 2: Squat: 140 kg x 5+ read as load x reps: 1 set of 5+ reps, checked at the heaviest, 140 kg"]


def test_a_falling_dash_after_a_load_x_reps_set_is_no_range():
    # "100x8 - 2 min rest": the dash leads to the rest, and 8-2 would be no range
    (p,) = read_plan("Day 1\n- Bench 100x8 - 2 min rest\n").plan.days[0].exercises
    assert (p.sets, p.reps_low, p.reps_high, p.load_kg, p.rest_s) == (1, 8, 8, 100.0, 120)


DISTANCE_WORDS = ["Sprints", "Run", "Hill sprints", "Rower", "Intervals", "Bike", "Shuttle runs", "Swim", "Laufen",
                  "Carrera", "Corsa"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DISTANCE_WORDS), st.lists(st.tuples(st.integers(21, 2000), st.integers(2, 12)), min_size=1,
                                                 max_size=4),
       st.sampled_from(SEPARATORS[:5]), st.sampled_from(["x", " x ", "×"]), st.sampled_from(["{w}: ", "{w} ", "- {w} "]))
def test_no_interval_of_a_list_after_a_distance_word_is_ever_a_load(word, items, sep, times, lead):
    """Whatever the list's length, numbers and separators: no load, and the line named once, whole."""
    line = lead.format(w=word) + sep.join(f"{a}{times}{b}" for a, b in items)
    r = read_plan(f"Day 1\n- Squat 3x5 @ 100 kg\n{line}\n")
    assert [(e.exercise, e.load_kg) for e in r.plan.days[0].exercises] == [("Squat", 100.0)], line
    assert len([n for n in r.notes if n.startswith("line 3:")]) == 1, r.notes
