"""plans.freeform on programmes written over several weeks, with the loads and sets programmes write: the CLASS.

Programmes are generated in the ways people write them (checked against public write-ups of 5/3/1, nSuns, GZCL
and chatbots' multi-week blocks, in patterns, not their text): week headings as markdown, bold, plain, upper case,
``Wk``, a range (``Weeks 1-3``), in the languages plan_words.yaml has, a deload week named in its heading; loads as
kilograms, a percentage of the 1RM, of a training max (``70% TM``: 90% of it is of the 1RM, 5/3/1's rule), 5/3/1's
waves written per set both ways round (``65/75/85% x 5/5/5+``, ``65% x 5, 75% x 5, 85% x 5+``,
``5x65%, 5x75%, 5+x85%``); AMRAP sets and timed sets. The expected structure is built from the same draws, by
hand rules written here (the heaviest set's percentage, the fewest and most reps, one rep for a hold or an AMRAP
with no number), never from the reader's output. A line no rule reads is always named in the notes."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.plans.freeform import describe, read_plan
from peri.plans.schema import Scenario

WEEK_WORDS = ["Week", "week", "WEEK", "Wk", "Woche", "Semana", "Semaine", "Settimana"]
WEEK_STYLES = ["## {w} {n}", "# {w} {n}", "**{w} {n}**", "{w} {n}:", "{w} {n}", "### {w} {n}"]
DAY_STYLES = ["### Day {i}", "Day {i}:", "**Day {i}**", "Day {i} - {split}", "Workout {letter}"]
SPLITS = ["Upper", "Lower", "Push", "Pull", "Legs", "Full Body"]
NAMES = ["Squat", "Bench Press", "Deadlift", "Overhead Press", "Barbell Row", "Pull-ups", "Plank", "Leg Press",
         "Romanian Deadlift", "Incline Dumbbell Press"]


@st.composite
def spec(draw):
    """(text, expected (sets, reps_low, reps_high, load_kg, pct_e1rm, duration_s))."""
    kind = draw(st.sampled_from(["kg", "pct", "tm", "wave", "wave_items", "wave_reps_first", "amrap", "timed",
                                 "plus"]))
    sets = draw(st.integers(1, 6))
    reps = draw(st.integers(1, 12))
    pct = draw(st.integers(50, 95))
    if kind == "kg":
        kg = draw(st.integers(20, 250))
        return f"{sets}x{reps} @ {kg} kg", (sets, reps, reps, float(kg), None)
    if kind == "pct":
        return f"{sets} x {reps} @ {pct}%", (sets, reps, reps, None, float(pct))
    if kind == "tm":
        return f"{sets}x{reps} @ {pct}% TM", (sets, reps, reps, None, round(pct * 0.9, 1))
    if kind in ("wave", "wave_items", "wave_reps_first"):
        n = draw(st.integers(2, 5))
        pcts = draw(st.lists(st.integers(40, 95), min_size=n, max_size=n))
        counts = draw(st.lists(st.integers(1, 10), min_size=n, max_size=n))
        plus = draw(st.booleans())
        shown = [str(c) for c in counts]
        if plus:
            shown[-1] += "+"
        if kind == "wave":
            text = "/".join(map(str, pcts)) + "% x " + "/".join(shown)
        elif kind == "wave_items":
            text = ", ".join(f"{p}% x {c}" for p, c in zip(pcts, shown))
        else:
            text = ", ".join(f"{c}x{p}%" for p, c in zip(pcts, shown))
        return text, (n, min(counts), max(counts), None, float(max(pcts)))
    if kind == "amrap":
        word = draw(st.sampled_from(["AMRAP", "max reps", "max"]))
        return f"{sets} x {word}", (sets, 1, 1, None, None)
    if kind == "timed":
        secs = draw(st.integers(10, 90))
        unit = draw(st.sampled_from(["s", "sec", "seconds"]))
        return f"{sets} x {secs} {unit}", (sets, 1, 1, None, None, secs)
    return f"{sets}x{max(reps, 2)}+", (sets, max(reps, 2), max(reps, 2), None, None)


@st.composite
def programme(draw):
    n_weeks = draw(st.integers(2, 5))
    word = draw(st.sampled_from(WEEK_WORDS))
    wstyle = draw(st.sampled_from(WEEK_STYLES))
    dstyle = draw(st.sampled_from(DAY_STYLES))
    ranged = word.lower() == "week" and draw(st.booleans())
    deload = draw(st.integers(-1, n_weeks - 1))
    combined = not ranged and draw(st.booleans())  # "### Week 2 – Day 1": the week named in each day's heading
    lines: list[str] = []
    expected = []  # per week: (numbers, scenario, [days of [(name, fields)]])
    unread: list[int] = []
    number = 1
    for wi in range(n_weeks):
        width = draw(st.integers(1, 3)) if ranged else 1
        numbers = list(range(number, number + width))
        number += width
        label = f"{word}s {numbers[0]}-{numbers[-1]}" if width > 1 else f"{word} {numbers[0]}"
        head = wstyle.format(w=label.split(" ")[0], n=label.split(" ", 1)[1])
        if wi == deload:
            head = head.rstrip(":*") + " – Deload" + ("**" if head.endswith("**") else "")
        if not combined or wi == deload:
            lines += [head, ""]
        days = []
        for di in range(draw(st.integers(1, 4))):
            day = dstyle.format(i=di + 1, split=SPLITS[di % len(SPLITS)], letter="ABCD"[di])
            lines.append(f"### {label} – {day.strip('#*: ')}" if combined else day)
            exercises = []
            for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True)):
                text, fields = draw(spec())
                sep = draw(st.sampled_from([": ", " ", " – "]))
                lines.append(f"- {name}{sep}{text}")
                exercises.append((name, fields))
            if draw(st.booleans()):
                lines.append("- Jump rope 3 x 2 s")  # too short to be a set's: must be named
                unread.append(len(lines))
            days.append(exercises)
            lines.append("")
        expected.append((numbers, Scenario.deload if wi == deload else Scenario.normal, days))
    return "\n".join(lines) + "\n", expected, unread


def _fields(p):
    return (p.sets, p.reps_low, p.reps_high, p.load_kg, p.pct_e1rm) + ((p.duration_s,) if p.duration_s else ())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme())
def test_every_week_of_a_programme_reads_to_its_structure(case) -> None:
    text, expected, unread = case
    r = read_plan(text)
    assert r.form == "free-form"
    assert [w.numbers for w in r.weeks] == [numbers for numbers, _, _ in expected], text
    for w, (_, scenario, days) in zip(r.weeks, expected):
        assert w.plan.scenario == scenario, text
        got = [[(p.exercise, _fields(p)) for p in d.exercises] for d in w.plan.days]
        assert got == days, text
    assert r.plan == r.weeks[0].plan
    for line in unread:
        assert any(n.startswith(f"line {line}:") and "Jump rope" in n for n in r.notes), (line, r.notes)


def test_a_531_cycle_written_as_a_forum_post_reads_every_week() -> None:
    # the layout of a forum write-up: a week per line of sets, reps first, the deload named
    text = ("Week 1\n- Squat: 5x65%, 5x75%, 5+x85%\nWeek 2\n- Squat: 3x70%, 3x80%, 3+x90%\n"
            "Week 3\n- Squat: 5x75%, 3x85%, 1+x95%\nWeek 4 (deload)\n- Squat: 5x40%, 5x50%, 5x60%\n")
    r = read_plan(text)
    assert [(w.numbers, w.plan.scenario) for w in r.weeks] == [([1], Scenario.normal), ([2], Scenario.normal),
                                                                ([3], Scenario.normal), ([4], Scenario.deload)]
    got = [_fields(w.plan.days[0].exercises[0]) for w in r.weeks]
    assert got == [(3, 5, 5, None, 85.0), (3, 3, 3, None, 90.0), (3, 1, 5, None, 95.0), (3, 5, 5, None, 60.0)]
    assert "85% x 5+" in r.weeks[0].plan.days[0].exercises[0].note  # the AMRAP set as written, said once
    assert describe(r).startswith("read as free-form text: 4 weeks (4 days, 4 exercises)")


def test_a_three_x_eight_at_a_percentage_is_no_wave() -> None:
    r = read_plan("Day 1\n- Row 3x8 @ 70%\n- Squat 3 sets of 5 reps @ 75%\n")
    assert [_fields(p) for p in r.plan.days[0].exercises] == [(3, 8, 8, None, 70.0), (3, 5, 5, None, 75.0)]


def test_a_lift_named_once_with_its_weeks_below_it_forum_style() -> None:
    # a lift on its own line, then one line a week; the next lift the same: the weeks are joined by number
    text = ("Squat\nWeek 1: 5x65%, 5x75%, 5+x85%\nWeek 2: 3x70%, 3x80%, 3+x90%\n"
            "Bench\nWeek 1: 5x65%, 5x75%, 5+x85%\nWeek 2: 3x70%, 3x80%, 3+x90%\n")
    r = read_plan(text)
    assert [w.numbers for w in r.weeks] == [[1], [2]]
    assert [[(p.exercise, _fields(p)) for p in d.exercises] for d in r.weeks[0].plan.days] == [
        [("Squat", (3, 5, 5, None, 85.0)), ("Bench", (3, 5, 5, None, 85.0))]]
    assert [(p.exercise, p.pct_e1rm) for p in r.weeks[1].plan.days[0].exercises] == [("Squat", 90.0), ("Bench", 90.0)]
    assert any(n.startswith("line 2:") and "named on line 1" in n for n in r.notes)


def test_tiers_set_ranges_and_a_set_at_a_time_on_one_line() -> None:
    text = ("Day 1\n- T1: Squat 5x3+ @ 85%\n- T3: Leg Press 3x15+\n- Barbell Bench Press: 3-4 sets x 3-5 reps\n"
            "- Deadlift: 1 x 5 @ 75%, 1 x 3 @ 85%, 1 x 1+ @ 95%\n")
    r = read_plan(text)
    got = [(p.exercise, _fields(p)) for p in r.plan.days[0].exercises]
    assert got == [("Squat", (5, 3, 3, None, 85.0)), ("Leg Press", (3, 15, 15, None, None)),
                   ("Barbell Bench Press", (3, 3, 5, None, None)),  # a set range at its lower end, noted
                   ("Deadlift", (1, 5, 5, None, 75.0)), ("Deadlift", (1, 3, 3, None, 85.0)),
                   ("Deadlift", (1, 1, 1, None, 95.0))]
    assert r.plan.days[0].exercises[2].note == "3-4 sets"
    assert r.plan.days[0].exercises[0].note == "3+ (as many as you can)"  # a tier label is no part of the name


def test_a_set_a_line_under_a_lift_within_weeks() -> None:
    # a coach's page: the lift, then each week, then one line a set ("Set 2: 5 reps x 75%")
    text = ("Deadlift\nWeek 1:\nSet 1: 5 reps x 65%\nSet 2: 5 reps x 75%\nSet 3: 5+ reps x 85%\n"
            "Week 2:\nSet 1: 3 reps x 70%\nSet 2: 3 reps x 80%\nSet 3: 3 reps x 90%\n")
    r = read_plan(text)
    assert [w.numbers for w in r.weeks] == [[1], [2]]
    assert [[(p.exercise, _fields(p)) for d in w.plan.days for p in d.exercises] for w in r.weeks] == [
        [("Deadlift", (3, 5, 5, None, 85.0))], [("Deadlift", (3, 3, 3, None, 90.0))]]
    assert "5 reps x 65%" in r.weeks[0].plan.days[0].exercises[0].note


def test_a_set_line_with_no_lift_above_it_is_named_in_the_notes() -> None:
    r = read_plan("Day 1\n- Row 3x8\nSet 1: 5 reps x 65%\n")
    assert [p.exercise for p in r.plan.days[0].exercises] == ["Row"]
    assert any(n.startswith("line 3:") for n in r.notes)


@st.composite
def lift_major(draw):
    """A lift a block, a line a week (or a line a set under a week heading), as forum posts and coaches' pages
    write a percentage programme: the text and, per week, [(lift, fields)] in the order written."""
    lifts = draw(st.lists(st.sampled_from(["Squat", "Bench Press", "Deadlift", "Overhead Press"]), min_size=1,
                          max_size=4, unique=True))
    n_weeks = draw(st.integers(2, 4))
    per_set = draw(st.booleans())
    word = draw(st.sampled_from(["Week", "Wk", "Woche", "Semana"]))
    lines: list[str] = []
    expected: dict[int, list] = {n: [] for n in range(1, n_weeks + 1)}
    for lift in lifts:
        lines.append(draw(st.sampled_from([lift, f"{lift}:", f"**{lift}**"])) if not per_set else lift)
        for n in range(1, n_weeks + 1):
            k = draw(st.integers(2, 4))
            pcts = draw(st.lists(st.integers(40, 95), min_size=k, max_size=k))
            counts = draw(st.lists(st.integers(1, 10), min_size=k, max_size=k))
            if per_set:
                lines.append(f"{word} {n}:")
                lines += [f"Set {i + 1}: {c} reps x {p}%" for i, (p, c) in enumerate(zip(pcts, counts))]
            else:
                lines.append(f"{word} {n}: " + ", ".join(f"{c}x{p}%" for p, c in zip(pcts, counts)))
            expected[n].append((lift, (k, min(counts), max(counts), None, float(max(pcts)))))
        lines.append("")
    return "\n".join(lines) + "\n", expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lift_major())
def test_a_lift_at_a_time_programme_reads_to_its_weeks(case) -> None:
    text, expected = case
    r = read_plan(text)
    assert [w.numbers for w in r.weeks] == [[n] for n in expected], text
    for w in r.weeks:
        got = [(p.exercise, _fields(p)) for d in w.plan.days for p in d.exercises]
        assert got == expected[w.numbers[0]], text


def test_weeks_numbered_in_words_and_named_in_each_days_heading() -> None:
    text = ("### Week One – Day 1\n- Squat 3x5 @ 100 kg\n### Week One – Day 2\n- Bench 3x5\n"
            "### Week Two – Day 1\n- Squat 3x5 @ 102.5 kg\n## Weeks three to four (deload)\n### Day 1\n- Squat 2x5\n")
    r = read_plan(text)
    assert [(w.numbers, [d.name for d in w.plan.days], w.plan.scenario) for w in r.weeks] == [
        ([1], ["Week One – Day 1", "Week One – Day 2"], Scenario.normal), ([2], ["Week Two – Day 1"], Scenario.normal),
        ([3, 4], ["Day 1"], Scenario.deload)]


@pytest.mark.parametrize("day, sets, fields", [
    ("Day 1 - Squat", "65% x 5, 75% x 5, 85% x 5+", (3, 5, 5, None, 85.0)),
    ("Day 2 – Bench press", "65/75/85% x 5/5/5+", (3, 5, 5, None, 85.0)),
    ("Monday — Deadlift", "3 x 5 @ 50%", (3, 5, 5, None, 50.0)),
    ("Workout A - Overhead Press", "5x65%, 5x75%, 5+x85%", (3, 5, 5, None, 85.0)),
])
def test_a_day_line_that_carries_its_main_lift_reads_the_lift(day: str, sets: str, fields) -> None:
    """'Day 1 - Squat: 65% x 5, ...' (5/3/1 write-ups, lead 2026-12-02): the day is 'Day 1', the lift is Squat with
    those sets; before, the whole line became the day's name and its sets were lost."""
    r = read_plan(f"**Week 1**\n{day}: {sets}\nLeg press 3x10\n")
    d = r.plan.days[0]
    lift = day.split(" ", 3)[-1] if day.startswith("Workout") else re.split(r"\s+[-–—]\s+", day)[1]
    assert d.name == re.split(r"\s+[-–—]\s+", day)[0]
    assert [(p.exercise, _fields(p)) for p in d.exercises] == [(lift, fields), ("Leg press", (3, 10, 10, None, None))]


@pytest.mark.parametrize("line, day, first", [
    ("Day 1 - Upper: 3x10", "Day 1 - Upper", None),  # a day's half is no lift: the sets stay unnamed, noted
    ("Day 2 - Pull: Barbell Row 3x8", "Day 2 - Pull", "Barbell Row"),  # the sets name their own lift
])
def test_a_day_line_naming_its_half_or_with_a_named_lift_is_read_as_before(line: str, day: str, first) -> None:
    r = read_plan(f"{line}\nLeg press 3x10\n")
    assert r.plan.days[0].name == day
    assert [p.exercise for p in r.plan.days[0].exercises][0] == (first or "Leg press")
