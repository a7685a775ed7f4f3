"""The compact text form: lenient reading, strict meaning, exact round trip."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.errors import PlanParseError
from peri.plans.schema import Plan, PlanDay, Prescription, Scenario
from peri.plans.text import parse_plan_text, plan_to_text

EXAMPLE = """\
WEEK deload 2026-03-02
DAY Upper A
Barbell Bench Press - Medium Grip: 3x8-10 @80kg RPE8 rest90 | keep elbows tucked
Seated Cable Rows: 3x10-12 @60% RIR2
DAY Lower A
Barbell Squat: 5x5 @102.5kg
"""


def test_parses_the_example():
    plan = parse_plan_text(EXAMPLE)
    assert plan.scenario == Scenario.deload
    assert plan.week_of == dt.date(2026, 3, 2)
    assert [d.name for d in plan.days] == ["Upper A", "Lower A"]
    bench, rows = plan.days[0].exercises
    assert bench == Prescription(exercise="Barbell Bench Press - Medium Grip", sets=3, reps_low=8, reps_high=10,
                                 load_kg=80, rpe=8, rest_s=90, note="keep elbows tucked")
    assert (rows.pct_e1rm, rows.rir, rows.load_kg, rows.rpe) == (60, 2, None, None)
    squat = plan.days[1].exercises[0]
    assert (squat.sets, squat.reps_low, squat.reps_high, squat.load_kg) == (5, 5, 5, 102.5)
    assert plan_to_text(plan) == EXAMPLE


def test_lenient_about_spacing_case_and_symbols():
    messy = """
```
  week   DELOAD   2026-03-02
# a comment
day Upper A
- Barbell Bench Press - Medium Grip :3 × 8 – 10  @ 80 KG   rpe 8  REST 90s |  keep elbows tucked
* Seated Cable Rows: 3X10-12 @60 % rir2
DAY   Lower A

Barbell Squat:5x5 @102.5kg
```
"""
    assert parse_plan_text(messy) == parse_plan_text(EXAMPLE)


def test_optional_parts_and_units():
    plan = parse_plan_text("DAY Full\nPull Up: 3x6 @bw rest 2min\nPlank: 2x1 rest2m\nDip: 3x10 @RPE7.5")
    assert plan.scenario == Scenario.normal and plan.week_of is None
    pull, plank, dip = plan.days[0].exercises
    assert pull.load_kg is None and pull.rest_s == 120 and plank.rest_s == 120
    assert dip.rpe == 7.5


def test_timed_and_distance_sets_in_the_compact_form():
    """A plank's 45 s and a carry's 40 m: one rep a set with its time or distance, and no hard sets."""
    plan = parse_plan_text("DAY Full\nPlank: 3x1 time45s\nFarmer Carry: 3x1 @32kg dist40m\nRow: 1x1 time5min\n"
                           "Run: 1x1 dist5km\nSquat: 3x5 @100kg\n")
    plank, carry, row, run, squat = plan.days[0].exercises
    assert (plank.duration_s, carry.distance_m, carry.load_kg, row.duration_s, run.distance_m) == (45, 40, 32, 300,
                                                                                                  5000)
    assert not plank.is_lifting and squat.is_lifting
    assert plan.hard_sets() == 3  # the squat's; 3 + 3 + 1 + 1 timed or carried sets are none
    assert "Farmer Carry: 3x1 @32kg dist40m" in plan_to_text(plan) and "Row: 1x1 time300s" in plan_to_text(plan)


def test_exercise_names_and_notes_kept_verbatim():
    plan = parse_plan_text("DAY Upper: heavy\nDumbbell Press (Incline, 30°): 3x8 | tempo 3:1 | slow")
    assert plan.days[0].name == "Upper: heavy"
    p = plan.days[0].exercises[0]
    assert p.exercise == "Dumbbell Press (Incline, 30°)"
    assert p.note == "tempo 3:1 | slow"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("DAY A\nSquat: 0x5", 2, "sets"),
        ("DAY A\nSquat: 3x10-8", 2, "reversed"),
        ("Squat: 3x5\nDAY A", 1, "before any DAY"),
        ("WEEK normal\nDAY A\nSquat: 3x5 heavy", 3, "unknown token 'heavy'"),
        ("DAY A\nSquat: 3x5 @80kg @90kg", 2, "twice"),
        ("DAY A\nSquat: 3x5 RPE11", 2, "RPE"),
        ("DAY A\nSquat: 3x5 RIR9", 2, "RIR"),
        ("DAY A\nSquat: 11x5", 2, "sets"),
        ("DAY A\nSquat 3x5", 2, "cannot read"),
        ("DAY A\nSquat: heavy", 2, "SETSxREPS"),
        ("DAY A\n: 3x5", 2, "missing exercise name"),
        ("WEEK bulk\nDAY A\nSquat: 3x5", 1, "unknown scenario 'bulk'"),
        ("WEEK normal 2026-13-01\nDAY A\nSquat: 3x5", 1, "not a date"),
        ("WEEK normal\nWEEK deload\nDAY A\nSquat: 3x5", 2, "second WEEK"),
        ("DAY A\nDAY B\nSquat: 3x5", 1, "no exercises"),
        ("", 1, "no DAY"),
        ("\n".join(f"DAY {i}\nSquat: 3x5" for i in range(8)), 15, "more than 7 days"),
    ],
)
def test_strict_about_meaning(text, line, fragment):
    with pytest.raises(PlanParseError) as err:
        parse_plan_text(text)
    assert err.value.place == f"line {line}"
    assert fragment in err.value.message
    assert err.value.hint  # always says what was expected


# --- round trip over generated valid plans ---------------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()-/,'.&+", min_size=1,
                max_size=12)


@st.composite
def _name(draw):
    words = draw(st.lists(_WORD, min_size=1, max_size=5))
    name = " ".join(words)
    if name.split()[0].lower() in ("day", "week") or name[0] in "-*•#`":
        name = "X" + name
    return name


_NOTE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40).map(
    str.strip).filter(bool)


@st.composite
def _prescription(draw):
    lo = draw(st.integers(1, 50))
    return Prescription(
        exercise=draw(_name()),
        sets=draw(st.integers(1, 10)),
        reps_low=lo,
        reps_high=draw(st.integers(lo, 50)),
        load_kg=draw(st.none() | st.floats(0, 600, allow_nan=False)),
        pct_e1rm=draw(st.none() | st.floats(0, 110, exclude_min=True, allow_nan=False)),
        rpe=draw(st.none() | st.floats(5, 10, allow_nan=False)),
        rir=draw(st.none() | st.integers(0, 5)),
        rest_s=draw(st.none() | st.integers(0, 900)),
        duration_s=draw(st.none() | st.integers(1, 4 * 3600)),
        distance_m=draw(st.none() | st.floats(0, 100_000, exclude_min=True, allow_nan=False)),
        note=draw(st.none() | _NOTE),
    )


@st.composite
def _plan(draw):
    days = draw(st.lists(
        st.builds(PlanDay, name=_name(), exercises=st.lists(_prescription(), min_size=1, max_size=6)),
        min_size=1, max_size=7,
    ))
    return Plan(
        scenario=draw(st.sampled_from(list(Scenario))),
        week_of=draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
        days=days,
    )


@settings(max_examples=150, deadline=None)
@given(_plan())
def test_round_trip_is_identical(plan):
    text = plan_to_text(plan)
    assert parse_plan_text(text) == plan
    assert plan_to_text(parse_plan_text(text)) == text


def test_text_is_token_lean():
    plan = parse_plan_text(EXAMPLE)
    assert len(plan_to_text(plan)) < len(plan.model_dump_json(exclude_none=True)) / 2


def test_pounds_said_as_such_are_read_into_kg() -> None:
    # 185 lb = 185 x 0.45359237 = 83.9146 kg; 135 lb = 61.2350 kg (kept to the gram)
    plan = parse_plan_text("DAY Upper\nBench Press: 3x5 @185lb RPE8\nRow: 3x8 @135 LBS\nCurl: 2x10 @25 pounds\n"
                           "Squat: 3x5 @100 kg\n")
    assert [p.load_kg for p in plan.days[0].exercises] == [83.915, 61.235, 11.34, 100.0]


@pytest.mark.parametrize("line, words", [
    ("X: 3x5 @100kg @200lb", "load kg given twice"),
    ("X: 3x5 @200lb @100", "load kg given twice"),
    ("X: 3x5 @100lbx", "unknown token 'lbx'"),
])
def test_one_load_in_either_unit(line: str, words: str) -> None:
    with pytest.raises(PlanParseError) as e:
        parse_plan_text("DAY A\n" + line)
    assert words in str(e.value) and "line 2" in str(e.value)
