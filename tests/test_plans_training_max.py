"""Training maxes a programme states ("Training maxes: Squat 140 kg, ...", "Squat (TM 315 lb)"): a percentage of
that lift becomes that share of the stated number, worked out here by hand, and the notes say which line stated it."""
from __future__ import annotations

import re

import pytest

from peri.plans.freeform import _patterns, fold, read_plan
from peri.plans.training_max import find, stated_maxes


def lifts(reading) -> list[tuple[str, int, int, float | None, float | None]]:
    return [(e.exercise, e.sets, e.reps_low, e.load_kg, e.pct_e1rm) for d in reading.plan.days for e in d.exercises]


BBB = """# 5/3/1 Boring But Big
Training maxes: Squat 140 kg, Bench 100, Deadlift 180, Press 60

## Week 1
**Day 1 - Squat**
- Squat: 65% x 5, 75% x 5, 85% x 5+
- Squat 5x10 @ 50% TM
- Leg curl 3x12

**Day 2 - Bench**
- Bench Press: 65/75/85% x 5/5/5+
- Bench 5x10 @ 50% 1RM
- Overhead Press 3x5 @ 70%
- Close-Grip Bench Press 3x8 @ 60% TM
"""


def test_a_listed_training_max_turns_each_percentage_of_that_lift_into_its_load():
    r = read_plan(BBB)
    assert lifts(r) == [
        ("Squat", 3, 5, 119.0, None),  # 85% of 140 = 119
        ("Squat", 5, 10, 70.0, None),  # 50% of 140
        ("Leg curl", 3, 12, None, None),
        ("Bench Press", 3, 5, 85.0, None),  # 85% of Bench's 100
        ("Bench", 5, 10, None, 50.0),  # "% 1RM" is of the 1RM, never of the TM
        ("Overhead Press", 3, 5, 42.0, None),  # "Press" states it: 70% of 60
        ("Close-Grip Bench Press", 3, 8, 60.0, None),  # "Bench" named first of the two that fit: 60% of 100
    ]
    notes = "\n".join(r.notes)
    assert "line 2: training maxes stated: Squat 140 kg, Bench 100 kg, Deadlift 180 kg, Press 60 kg" in notes
    # the statement's words are quoted once, at its first use; its line number after that
    assert ("line 6: Squat: 85% read as 119 kg: 85% of the training max stated on line 2 ('Training maxes: "
            "Squat 140 kg, Bench 100, Deadlift 180, Press 60')") in notes
    assert "line 7: Squat: 50% TM read as 70 kg: 50% of the training max stated on line 2\n" in notes + "\n"
    assert notes.count("'Training maxes: Squat 140 kg") == 1
    assert "5/3/1's rule" not in notes  # the 90% rule is for a training max the text does not state
    assert "not read as an exercise" not in notes  # the statement is read, not listed as a line that failed
    squat = r.plan.days[0].exercises[0]
    assert squat.note.endswith("85% of the training max") and "of e1RM" not in squat.note


def test_a_lift_headed_with_its_max_in_pounds_reads_its_weeks_below():
    text = """Squat (TM 315 lb)
Week 1: 5x65%, 5x75%, 5+x85%
Week 2: 3x70%, 3x80%, 3+x90%

Deadlift - TM: 180
Week 1: 5x65%, 5x75%, 5+x85%
"""
    r = read_plan(text)
    by_week = [[(e.exercise, e.load_kg, e.pct_e1rm) for d in w.plan.days for e in d.exercises] for w in r.weeks]
    # 315 lb = 142.88 kg; x 0.85 = 121.45 -> 121.5; x 0.90 = 128.59 -> 128.5; Deadlift's 180 has no unit and the
    # text writes its loads in pounds: 180 lb = 81.65 kg x 0.85 = 69.40 -> 69.5
    assert by_week == [[("Squat", 121.5, None), ("Deadlift", 69.5, None)], [("Squat", 128.5, None)]]
    notes = "\n".join(r.notes)
    assert "line 1: training max stated: Squat 315 lb" in notes and "line 5: training max stated: Deadlift 180 lb" in notes
    assert read_plan(text.replace("315 lb", "140 kg")).weeks[0].plan.days[0].exercises[1].load_kg == 153.0  # 180 kg


def test_without_a_stated_max_the_percentage_of_a_tm_keeps_the_90_percent_rule():
    r = read_plan("Day 1\n- Squat 5x5 @ 70% TM\n- Bench 3x8 @ 75%\n")
    assert lifts(r) == [("Squat", 5, 5, None, 63.0), ("Bench", 3, 8, None, 75.0)]
    assert "5/3/1's rule" in "\n".join(r.notes)


def test_sentences_about_a_tm_and_prescriptions_state_no_max():
    text = """Day 1
My TM went up 5 kg last cycle
- Squat 5x5 @ 70% TM
- Note: reset your TM when you stall
Training max: Squat 2000 kg, Week 1
- Bench 3x8 @ 75%
"""
    r = read_plan(text)
    assert lifts(r) == [("Squat", 5, 5, None, 63.0), ("Bench", 3, 8, None, 75.0)]
    assert "training max stated" not in "\n".join(r.notes)


def test_a_max_written_without_a_unit_is_in_the_unit_the_plan_writes_its_loads_in():
    text = "TMs: squat 315, bench 225\nDay 1\n- Squat 5x5 @ 70%\n- Row 3x8 @ 135 lb\n- Bench 3x5 @ 80% TM\n"
    r = read_plan(text)
    # the plan writes its loads in pounds: 315 lb = 142.88 kg x 0.7 = 100.02 -> 100; 225 lb = 102.06 kg x 0.8 = 81.65 -> 81.5
    assert [(e.exercise, e.load_kg) for e in r.plan.days[0].exercises] == [("Squat", 100.0), ("Row", 61.235), ("Bench", 81.5)]
    assert "line 1: training maxes stated: squat 315 lb, bench 225 lb" in "\n".join(r.notes)
    assert "Squat: 70% read as 220 lb" in "\n".join(r.notes)  # 100 kg shown in the plan's pounds
    assert re.search(r"Bench: 80% TM read as 180 lb: 80% of the training max stated on line 1", "\n".join(r.notes))


@pytest.mark.parametrize("lift, stated, want", [
    ("Squat", ["Squat", "Front Squat"], "Squat"),  # the same words win over a longer name
    ("Front Squat", ["Squat", "Front Squat"], "Front Squat"),
    ("Bench Press", ["Bench", "Press"], "Bench"),
    ("Overhead Press", ["Bench", "Press"], "Press"),
    ("Push Press", ["Squat"], None),
    ("Deadlift", ["Squat", "Bench"], None),
    ("Pause Bench", ["bench"], "bench"),  # case and accents folded
])
def test_which_stated_max_a_lift_takes(lift, stated, want):
    maxes = stated_maxes([f"TM: {n} 100 kg" for n in stated], _patterns().tm, "kg", fold)
    got = find(maxes, lift, fold)
    assert (got.name if got else None) == want


def test_a_max_stated_twice_takes_the_later_line():
    maxes = stated_maxes(["Training max: Squat 140 kg", "New training max: x", "Squat TM = 145 kg"],
                         _patterns().tm, "kg", fold)
    assert [(m.name, m.kg, m.line, m.alone) for m in maxes] == [("Squat", 140.0, 1, False), ("Squat", 145.0, 3, True)]
    assert find(maxes, "Squat", fold).kg == 145.0


SHORT = """Training maxes: Overhead Press 60 kg, Deadlift 180 kg, Bench Press 100 kg, Squat 140 kg, Clean & Jerk 100 kg
Day 1
- OHP 3x5 @ 85%
- DL 3x5 @ 85%
- BP 3x5 @ 85%
- SQ 5 x 5 @ 85% TM
- C&J 5x1 @ 80%
- RDL 3x8 @ 50%
"""


def test_a_lift_written_short_takes_the_max_stated_in_full():
    """The catalog reads "OHP", "DL", "BP", "SQ", "C&J" as it reads the log's names: the same lifts as the maxes
    stated in full (before, none matched and every percentage stayed one of the 1RM)."""
    r = read_plan(SHORT)
    assert [(e.exercise, e.load_kg, e.pct_e1rm) for e in r.plan.days[0].exercises] == [
        ("OHP", 51.0, None),  # 85% of 60
        ("DL", 153.0, None),  # 85% of 180
        ("BP", 85.0, None),  # 85% of 100
        ("SQ", 119.0, None),  # 85% of 140
        ("C&J", 80.0, None),  # 80% of 100
        ("RDL", 90.0, None),  # a Romanian deadlift's words hold the deadlift's, as written in full: 50% of 180
    ]
    notes = "\n".join(r.notes)
    assert "line 3: OHP: 85% read as 51 kg: 85% of the training max stated on line 1" in notes
    assert "line 6: SQ: 85% TM read as 119 kg" in notes


def test_a_max_stated_short_holds_for_the_lift_written_in_full():
    text = "TM: OHP 60 kg, DL 180 kg, BP 100, SQ 140\nDay 1\n- Overhead Press 3x5 @ 85%\n- Deadlift 3x5 @ 85%\n" \
           "- Bench Press 3x5 @ 85%\n- Back Squat 3x5 @ 85%\n- Front Squat 3x5 @ 70%\n"
    r = read_plan(text)
    # a front squat is no back squat: its 70% stays a percentage of its own 1RM
    assert [(e.exercise, e.load_kg, e.pct_e1rm) for e in r.plan.days[0].exercises] == [
        ("Overhead Press", 51.0, None), ("Deadlift", 153.0, None), ("Bench Press", 85.0, None),
        ("Back Squat", 119.0, None), ("Front Squat", None, 70.0)]


@pytest.mark.parametrize("lift, stated, want", [
    ("OHP", ["Overhead Press", "Bench"], "Overhead Press"),
    ("Military Press", ["OHP"], "OHP"),
    ("Kreuzheben", ["DL"], "DL"),  # the catalog reads German names too
    ("RDL", ["Deadlift"], "Deadlift"),  # as "Romanian Deadlift" takes it (its words hold "Deadlift")
    ("RDL", ["Deadlift", "Romanian Deadlift"], "Romanian Deadlift"),
    ("Back Squat", ["Squat", "SQ"], "SQ"),  # both the same lift: the later statement
    ("Front Squat", ["SQ", "Front Squat"], "Front Squat"),
])
def test_which_stated_max_a_lift_takes_by_the_catalog(lift, stated, want):
    from peri.plans.freeform import _exercise_key, _lift_words

    maxes = stated_maxes([f"TM: {n} 100 kg" for n in stated], _patterns().tm, "kg", fold)
    got = find(maxes, lift, _lift_words, _exercise_key)
    assert (got.name if got else None) == want


ONE_REP = """1RM: Squat 160 kg, Bench 120 kg
Training max: Deadlift 180 kg
Day 1
- Squat 3x5 @ 75%
- Bench 3x5 @ 80% TM
- Bench 3x5 @ 80% 1RM
- Deadlift 3x5 @ 80%
- Deadlift 3x5 @ 80% 1RM
- Squat 5 @ 70% TM
"""


def test_a_stated_one_rep_max_and_a_stated_training_max_each_take_their_percentages():
    """A stated 1RM was read as nothing before (every percentage stayed one of the log's e1RM)."""
    r = read_plan(ONE_REP)
    assert [(e.exercise, e.sets, e.load_kg, e.pct_e1rm) for e in r.plan.days[0].exercises] == [
        ("Squat", 3, 120.0, None),  # 75% of the 160 kg 1RM
        ("Bench", 3, 86.5, None),  # 80% of a TM of 0.9 x 120 = 108: 86.4 -> 86.5
        ("Bench", 3, 96.0, None),  # 80% of 120
        ("Deadlift", 3, 144.0, None),  # 80% of the 180 kg TM
        ("Deadlift", 3, None, 80.0),  # "% 1RM" of a lift whose 1RM is not stated: kept
        ("Squat", 1, 101.0, None),  # one set of 5 at 70% of 0.9 x 160 = 100.8 -> 101
    ]
    notes = "\n".join(r.notes)
    assert "line 1: 1RMs stated: Squat 160 kg, Bench 120 kg" in notes
    assert "line 2: training max stated: Deadlift 180 kg" in notes
    assert "line 4: Squat: 75% read as 120 kg: 75% of the 1RM stated on line 1" in notes
    assert "line 5: Bench: 80% TM read as 86.5 kg: 80% of a training max taken as 90% of the 1RM stated on line 1" in notes
    assert "not read as an exercise" not in notes


@pytest.mark.parametrize("line", ["Maxes: Squat 160 kg", "Squat 1RM: 160 kg", "Squat max = 160", "Squat (1RM 160 kg)"])
def test_how_a_one_rep_max_is_stated(line):
    (p,) = read_plan(f"{line}\nDay 1\n- Squat 3x5 @ 75%\n").plan.days[0].exercises
    assert p.load_kg == 120.0  # 75% of 160


def test_a_training_max_line_saying_max_is_no_one_rep_max():
    maxes = stated_maxes(["Training max: Squat 140 kg"], _patterns().rm, "kg", fold, kind="1rm",
                         unless=_patterns().tm)
    assert maxes == []


# --- generated: how programmes state maxes and write percentages of them ------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

LB = 0.45359237
# (as stated, as written in the plan): the same lift, in full or short, either way round
LIFTS = [("Squat", "Squat"), ("Bench Press", "BP"), ("Deadlift", "DL"), ("Overhead Press", "OHP"),
         ("OHP", "Overhead Press"), ("SQ", "Back Squat"), ("DL", "Deadlift"), ("Bench", "Bench Press")]


@st.composite
def statement(draw):
    """(text, expected [(lift as written, load_kg)]): maxes stated in one of the ways programmes state them, then a
    line a lift at a percentage of it; the load worked out here: max x pct / 100 (x 0.9 for "% TM" of a 1RM), to
    0.5 kg, a max in pounds times 0.45359237 (to 10 g) first."""
    picks = draw(st.lists(st.sampled_from(range(len(LIFTS))), min_size=1, max_size=3, unique_by=lambda i: LIFTS[i][1]))
    # one statement per lift name family: no two picks naming the same lift
    families = {"Squat": "sq", "SQ": "sq", "Back Squat": "sq", "Bench Press": "bp", "BP": "bp", "Bench": "bp",
                "Deadlift": "dl", "DL": "dl", "Overhead Press": "ohp", "OHP": "ohp"}
    picks = list({families[LIFTS[i][0]]: i for i in picks}.values())
    kind = draw(st.sampled_from(["tm", "1rm"]))
    unit = draw(st.sampled_from(["kg", "lb"]))
    values = draw(st.lists(st.integers(40, 300), min_size=len(picks), max_size=len(picks)))
    word = draw(st.sampled_from(["Training maxes", "TMs", "Training max"] if kind == "tm" else ["1RM", "Maxes", "1RMs"]))
    style = draw(st.sampled_from(["list", "each"]))
    shown = [f"{LIFTS[i][0]} {v}{draw(st.sampled_from([' ', '']))}{unit}" for i, v in zip(picks, values)]
    if style == "list":
        lines = [f"{word}: " + draw(st.sampled_from([", ", "; ", " / "])).join(shown)]
    else:
        label = "TM" if kind == "tm" else "1RM"
        lines = [f"{LIFTS[i][0]} {label}: {v} {unit}" for i, v in zip(picks, values)]
    lines.append("Day 1")
    expected = []
    for i, v in zip(picks, values):
        pct = draw(st.integers(40, 95))
        basis = draw(st.sampled_from(["", " TM"] if kind == "tm" else ["", " 1RM", " TM"]))
        sets, reps = draw(st.integers(1, 5)), draw(st.integers(1, 10))
        lines.append(f"- {LIFTS[i][1]} {sets}x{reps} @ {pct}%{basis}")
        kg = round(v * LB, 2) if unit == "lb" else v  # a max in pounds, in kilograms to 10 g as stated
        share = 0.9 if kind == "1rm" and basis == " TM" else 1.0
        expected.append((LIFTS[i][1], round(kg * share * pct / 100 * 2) / 2))
    return "\n".join(lines) + "\n", expected


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statement())
def test_every_stated_max_turns_its_lifts_percentages_into_loads(case):
    text, expected = case
    r = read_plan(text)
    got = [(e.exercise, e.load_kg) for e in r.plan.days[0].exercises]
    assert [g[0] for g in got] == [e[0] for e in expected], text
    for (_, kg), (_, want) in zip(got, expected):
        assert kg == pytest.approx(want, abs=1e-6), (text, got)
    assert all(e.pct_e1rm is None for e in r.plan.days[0].exercises), text


def test_a_statement_of_maxes_under_a_title_that_skips_is_not_also_said_skipped():
    # "conditioning" in a title opens a skipped section; the maxes below it are stated, not "skipped"
    r = read_plan("# 5/3/1 with conditioning\nTraining maxes: Squat 140 kg\n## Week 1\nDay 1\n- Squat 3x5 @ 85%\n")
    assert [n for n in r.notes if n.startswith("line 2:")] == ["line 2: training max stated: Squat 140 kg"]
    assert r.plan.days[0].exercises[0].load_kg == 119.0  # 85% of 140
