"""A stated unit doubted by the loads themselves (`peri.log.importers.unitcheck`): a kg header over pound
plate-math loads (45 bar, 135/225/315/405, steps of 5) is kept as stated and SAID, with the evidence and the
re-import that reads them as pounds; a kilogram lifter's log, a file too small to judge and --unit say nothing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peri.log.importers import parse_file
from peri.log.importers.base import UNIT, WEIGHT_KG

# a pound lifter's sessions: (exercise, [loads]) - the empty 45 lb bar, then 135/185/225/275/315/405 and 5 steps
LB_WEEK = [("Squat (Barbell)", [45, 45, 135, 225, 225, 225, 315]), ("Bench Press (Barbell)", [45, 45, 95, 135, 185, 185]),
           ("Deadlift (Barbell)", [135, 225, 315, 405, 405])]
KG_WEEK = [("Squat (Barbell)", [20, 20, 60, 100, 102.5, 102.5]), ("Bench Press (Barbell)", [20, 20, 40, 62.5, 62.5, 61.25]),
           ("Deadlift (Barbell)", [60, 100, 140, 142.5])]


def log(tmp_path: Path, week, weeks: int = 4, header: str = "Weight (kg)") -> Path:
    f = tmp_path / "log.csv"
    rows = []
    for k in range(weeks):
        day = dt.date(2024, 3, 4) + dt.timedelta(days=7 * k)
        for ex, loads in week:
            rows += [f"{day},{ex},{w + (5 if k % 2 and w > 100 else 0)},5" for w in loads]
    f.write_text(f"Date,Exercise,{header},Reps\n" + "\n".join(rows) + "\n")
    return f


def doubts(parsed) -> list[str]:
    return [w for w in parsed.warnings if "look like" in w]


def test_pounds_under_a_kg_header_are_kept_and_said(tmp_path: Path) -> None:
    p = parse_file("csv", log(tmp_path, LB_WEEK))
    said = doubts(p)
    assert len(said) == 1
    assert "states kg" in said[0] and "look like lb" in said[0] and "45" in said[0]
    assert "--map 'Weight (kg)=weight' --unit lb" in said[0]  # the file's own weight column named
    assert "`peri import reunit --athlete NAME --from kg --to lb`" in said[0]  # or re-read once stored
    top = max(w[WEIGHT_KG] for s in p.sessions for w in s.sets)
    assert top == 410.0 and {w[UNIT] for s in p.sessions for w in s.sets} == {"kg"}  # stored as stated


def test_the_re_import_the_warning_names_reads_them_as_pounds(tmp_path: Path) -> None:
    p = parse_file("csv", log(tmp_path, LB_WEEK), mapping={"columns": {"Weight (kg)": "weight"}, "unit": "lb"})
    top = max(w[WEIGHT_KG] for s in p.sessions for w in s.sets)
    assert top == pytest.approx(410 * 0.45359237, abs=1e-3)
    assert not doubts(p)


@pytest.mark.parametrize("week, weeks", [(KG_WEEK, 4), (LB_WEEK, 1)])  # a kg lifter; too few loads to judge
def test_nothing_is_said_without_strong_evidence(tmp_path: Path, week, weeks: int) -> None:
    assert not doubts(parse_file("csv", log(tmp_path, week, weeks)))


def test_kilograms_under_a_lb_header_are_said_too(tmp_path: Path) -> None:
    said = doubts(parse_file("csv", log(tmp_path, KG_WEEK, header="Weight (lbs)")))
    assert len(said) == 1 and "states lb" in said[0] and "look like kg" in said[0]


def unit_rows(tmp_path: Path, weeks: list[tuple[str, float]]) -> Path:
    """A log with a unit per row: each week (unit, squat load); bench at 60 % of it."""
    f = tmp_path / "log.csv"
    rows = []
    for k, (unit, squat) in enumerate(weeks):
        day = dt.date(2024, 3, 4) + dt.timedelta(days=7 * k)
        rows += [f"{day},Squat (Barbell),{squat},{unit},5", f"{day},Bench Press (Barbell),{squat * 0.6:g},{unit},5"]
    f.write_text("Date,Exercise,Weight,Unit,Reps\n" + "\n".join(rows) + "\n")
    return f


def test_a_unit_that_changes_while_the_numbers_carry_on_is_said_with_lines(tmp_path: Path) -> None:
    # weeks 1-2 in kg, then "lb" rows whose numbers go on from 102.5 kg: one side's unit is wrong
    p = parse_file("csv", unit_rows(tmp_path, [("kg", 100), ("kg", 102.5), ("lb", 105), ("lb", 107.5)]))
    said = [w for w in p.warnings if "carry on" in w]
    assert len(said) == 1
    assert "Squat (Barbell): 102.5 kg (line 4) then 105 lb (line 6)" in said[0]
    assert {w[4] for s in p.sessions for w in s.sets} == {"kg", "lb"}  # stored as stated


def test_an_honest_change_of_unit_says_nothing(tmp_path: Path) -> None:
    # 102.5 kg is 226 lb: the next week's 225 lb is the same bar, written in the other unit
    p = parse_file("csv", unit_rows(tmp_path, [("kg", 100), ("kg", 102.5), ("lb", 225), ("lb", 230)]))
    assert not [w for w in p.warnings if "carry on" in w]
