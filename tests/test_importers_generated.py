"""Generated logs (hypothesis) where hand-written examples were all the importers had: a file of several people,
assisted sets logged as negative loads, a workbook kept as a sheet per month. Each property compares two ways of
handing over the same training, so the expected result is the other way's, never the code's own constants:

- splitting by person: the rows of one person read out of a shared file (`--person`) are the sets that person's
  own file gives (`importers/people.py`);
- assisted sets: adding sets logged as minus the machine's help changes neither the unit the loads are read in
  nor any other set, and each is kept as a bodyweight set with its help in the file's unit (`bounds`, `units`);
- a sheet per month: the sets of a workbook of monthly sheets are those of one sheet holding them all, in
  whichever order the sheets stand (`workbook._joined`).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from peri.errors import ConfigError
from peri.log.importers import parse_file
from test_importers_workbook import xlsx

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIFTS = ["Squat", "Bench Press", "Deadlift", "Overhead Press", "Barbell Row", "Leg Press"]
START = dt.date(2024, 1, 1)


def csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    return buf.getvalue()


def sets_of(parsed) -> list[tuple]:
    """Each stored set as (day, exercise, load as logged, unit, kg, reps, note), in session then logged order."""
    return [(s.started_at, w[0], w[3], w[4], w[5], w[6], w[12]) for s in parsed.sessions for w in s.sets]


def tmp_file(name: str, text: str | None = None) -> Path:
    f = Path(tempfile.mkdtemp()) / name
    if text is not None:
        f.write_text(text, encoding="utf-8")
    return f


# a set: (day offset, exercise, load in kg in 2.5 steps, reps); days are sorted so a log runs oldest first
sets_st = st.lists(st.tuples(st.integers(0, 120), st.sampled_from(LIFTS), st.integers(8, 100).map(lambda n: n * 2.5),
                             st.integers(1, 12)), min_size=1, max_size=12).map(sorted)


# --- several people in one file --------------------------------------------------------------------------------
PEOPLE = ["Ana", "Ben", "Zoë", "Luís", "kim"]


@st.composite
def shared_file(draw) -> tuple[dict[str, list], list[tuple[str, tuple]], bool]:
    names = draw(st.lists(st.sampled_from(PEOPLE), min_size=2, max_size=4, unique=True))
    logs = {n: draw(sets_st) for n in names}
    blocks = draw(st.booleans())  # a coach's sheet: each person's block, the name on its first row only
    if blocks:
        rows = [(n, s) for n in names for s in logs[n]]
    else:  # a gym's sheet: everyone's rows by date, a row per set
        rows = sorted(((n, s) for n in names for s in logs[n]), key=lambda r: r[1][0])
    return logs, rows, blocks


@SETTINGS
@given(shared_file())
def test_one_persons_rows_out_of_a_shared_file_are_their_own_files_sets(case) -> None:
    logs, rows, blocks = case
    header = ["Athlete", "Date", "Exercise", "Weight (kg)", "Reps"]
    lines, previous = [], None
    for name, (day, ex, kg, reps) in rows:
        shown = "" if blocks and name == previous else name
        previous = name
        lines.append([shown, (START + dt.timedelta(days=day)).isoformat(), ex, kg, reps])
    shared = tmp_file("gym.csv", csv_text(header, lines))
    for name, own in logs.items():
        own_file = tmp_file("own.csv", csv_text(header, [[name, (START + dt.timedelta(days=d)).isoformat(), e, k, r]
                                                         for d, e, k, r in own]))
        # the name as another person might type it: case and accents are not a person
        asked = name.upper() if name != "Zoë" else "zoe"
        assert sets_of(parse_file("csv", shared, mapping={"person": asked})) == sets_of(parse_file("csv", own_file))


# --- assisted sets logged as negative loads ----------------------------------------------------------------------
LB_LOADS = [45, 95, 135, 185, 225, 275, 315, 405]
KG_LOADS = [20, 40, 60, 62.5, 80, 82.5, 100, 102.5, 120, 142.5]
ASSISTED = ["Assisted Pull Up", "Assisted Dip", "Band Chin Up"]


@st.composite
def with_assistance(draw) -> tuple[list[list], list[list]]:
    unit_loads = draw(st.sampled_from([LB_LOADS, KG_LOADS]))
    plain = [[(START + dt.timedelta(days=d)).isoformat(), ex, draw(st.sampled_from(unit_loads)), r]
             for d, ex, _, r in draw(sets_st)]
    helped = draw(st.lists(st.tuples(st.integers(0, len(plain)), st.sampled_from(ASSISTED),
                                     st.one_of(st.integers(1, 150), st.floats(0.5, 150).map(lambda x: round(x, 2))),
                                     st.integers(1, 12)), min_size=1, max_size=6))
    mixed = list(plain)
    for at, ex, help_, reps in sorted(helped, reverse=True):
        day = plain[min(at, len(plain) - 1)][0]
        mixed.insert(at, [day, ex, -help_, reps])
    return plain, mixed


@SETTINGS
@given(with_assistance())
def test_assisted_negative_loads_do_not_change_the_unit_or_any_other_set(case) -> None:
    plain, mixed = case
    header = ["Date", "Exercise", "Weight", "Reps"]
    try:
        want = parse_file("csv", tmp_file("plain.csv", csv_text(header, plain)))
    except ConfigError:  # the loads alone do not tell kg from lb: the help must not tell it either
        with pytest.raises(ConfigError):
            parse_file("csv", tmp_file("mixed.csv", csv_text(header, mixed)))
        return
    got = parse_file("csv", tmp_file("mixed.csv", csv_text(header, mixed)))
    assert (got.unit.unit, got.unit.confidence) == (want.unit.unit, want.unit.confidence)
    assisted = [s for s in sets_of(got) if s[1] in ASSISTED]
    assert [s for s in sets_of(got) if s[1] not in ASSISTED] == sets_of(want)
    helps = [r[2] for r in mixed if r[1] in ASSISTED]
    assert len(assisted) == len(helps)
    for (_, _, load, unit, kg, _, note), h in zip(assisted, helps):
        assert (load, unit, kg) == (None, None, None) and note == f"assisted by {-h:g} {want.unit.unit}"


# --- a sheet per month -----------------------------------------------------------------------------------------
# a log of a few sessions a month, each of a few sets in the order they were done
months_st = st.lists(st.lists(st.tuples(st.integers(1, 28), st.lists(
    st.tuples(st.sampled_from(LIFTS), st.integers(8, 100).map(lambda n: n * 2.5), st.integers(1, 12)),
    min_size=1, max_size=4)), min_size=1, max_size=3, unique_by=lambda s: s[0]), min_size=2, max_size=6)


@SETTINGS
@given(months_st, st.sampled_from(["oldest", "newest", "shuffled"]), st.randoms())
# the case that found a fault: one session a month, the sheets newest first - every step between sessions went
# back in time, and the joined log was taken for one running backwards, each session's sets turned round
@example([[(5, [("Squat", 100.0, 5), ("Squat", 110.0, 3)])]] * 5, "newest", random.Random(0))
def test_a_sheet_per_month_reads_as_one_sheet_holding_them_all(log, order_of_sheets, rnd) -> None:
    # the sheets as people keep them: in calendar order, a new month put in front, or moved about
    header = ["Date", "Exercise", "Weight (kg)", "Reps"]
    rows = [[dt.date(2024, 1 + m, day), ex, kg, reps]
            for m, sessions in enumerate(log) for day, sets in sorted(sessions) for ex, kg, reps in sets]
    months: dict[str, list[list]] = {}
    for r in rows:
        months.setdefault(r[0].strftime("%b %Y"), []).append(r)
    order = list(months)
    if order_of_sheets == "newest":
        order.reverse()
    elif order_of_sheets == "shuffled":
        rnd.shuffle(order)
    folder = Path(tempfile.mkdtemp())
    one = xlsx(folder / "one.xlsx", {"Log": [header, *rows]})
    monthly = xlsx(folder / "monthly.xlsx", {m: [header, *months[m]] for m in order})
    got = parse_file("csv", monthly)
    assert sets_of(got) == sets_of(parse_file("csv", one))
    assert any(f"read {len(months)} sheets of the workbook as one log" in w for w in got.warnings)


# --- dates without a year ----------------------------------------------------------------------------------------
@SETTINGS
@given(st.lists(st.integers(1, 60), min_size=1, max_size=25), st.integers(2015, 2025), st.booleans(),
       st.sampled_from(["%a %d %b", "%b %d., %H:%M", "%d %B"]), st.booleans())
def test_dates_written_without_their_year_get_them_back(gaps, first_year, newest_first, style, anchored) -> None:
    # sessions at most 60 days apart (a pause of a year or more cannot be seen without years: never generated)
    days = [dt.datetime(first_year, 1, 1, 7, 30) + dt.timedelta(days=sum(gaps[:i])) for i in range(len(gaps))]
    order = days[::-1] if newest_first else days
    cells = [d.strftime(style) for d in order]
    options: dict = {"unit": "kg"}
    if anchored:
        cells[0] = order[0].strftime("%Y-%m-%d %H:%M")  # a dated neighbour: the first row carries its year
    else:
        options["year"] = order[0].year  # --year: the first row's year
    f = tmp_file("log.csv", csv_text(["Date", "Exercise", "Weight", "Reps"],
                                     [[c, "Squat", 100, 5] for c in cells]))
    got = [s.started_at for s in parse_file("csv", f, mapping=options).sessions]
    want = [d if "%H" in style or (anchored and d == order[0]) else d.replace(hour=0, minute=0) for d in days]
    assert got == want


# --- a row per workout, its exercises in numbered groups ---------------------------------------------------------
@SETTINGS
@given(st.lists(st.lists(st.tuples(st.sampled_from(LIFTS), st.integers(8, 100).map(lambda n: n * 2.5),
                                   st.integers(1, 12)), min_size=1, max_size=4), min_size=1, max_size=6),
       st.integers(0, 2))
def test_a_workout_per_row_reads_as_a_row_per_exercise(workouts, spare_groups) -> None:
    # each workout: up to four exercises of one set; the grouped sheet has room for a few more (left empty)
    width = max(len(w) for w in workouts) + spare_groups
    assume_width = max(width, 2)  # a grouped layout has at least two groups
    header = ["Date"] + [c for n in range(1, assume_width + 1) for c in (f"Exercise {n}", f"Weight {n}", f"Reps {n}")]
    grouped, flat = [], []
    for k, exercises in enumerate(workouts):
        day = (START + dt.timedelta(days=2 * k)).isoformat()
        cells = [c for ex in exercises for c in ex] + ["", "", ""] * (assume_width - len(exercises))
        grouped.append([day, *cells])
        flat += [[day, ex, kg, reps] for ex, kg, reps in exercises]
    a = parse_file("csv", tmp_file("grouped.csv", csv_text(header, grouped)), mapping={"unit": "kg"})
    b = parse_file("csv", tmp_file("flat.csv", csv_text(["Date", "Exercise", "Weight", "Reps"], flat)),
                   mapping={"unit": "kg"})
    assert sets_of(a) == sets_of(b)
