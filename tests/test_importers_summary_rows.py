"""A spreadsheet's total or average rows (`base._summary_row`): a label of closing words ("Total", "Workout total",
"Total volume:", "Weekly average", "Gesamtvolumen"...) and figures or units, wherever it stands - after each
workout or at the end - is skipped with its line, never read as a set nor refused as a date that is no date."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.log.importers import parse_file
from peri.log.importers.base import _figure_or_unit, _summary_row

HEAD = "Date,Exercise,Weight (kg),Reps,Volume\n"
ROWS = "2024-03-04,Squat,100,5,500\n2024-03-04,Squat,100,5,500\n2024-03-06,Deadlift,140,3,420\n"


@pytest.mark.parametrize("row", [
    ["Total", "", "", "13", "1420"],
    ["Workout total", "", "", "10", "1,000 kg"],
    ["Total volume:", "", "1152.5", "kg", ""],
    ["", "Total", "", "13", "1 420"],
    ["Weekly average", "", "", "6.5", "710"],
    ["Gesamtvolumen Summe", "", "", "", "1.420"],
    ["Average", "8.5"],
])
def test_a_summary_row_is_recognised(row: list[str]) -> None:
    assert _summary_row(row)


@pytest.mark.parametrize("row", [
    ["Total Gym Squat", "", "100", "5", ""],  # an exercise named with a closing word
    ["2024-03-04", "Total", "100", "5", ""],  # a dated row
    ["Sum", "Squat", "5"],  # a text beside the label
    ["Volume", "", "", "", "1420"],  # no closing word
    ["Total", "", "", "easy", ""],
    ["Total"],
])
def test_a_set_or_note_is_no_summary_row(row: list[str]) -> None:
    assert not _summary_row(row)


@pytest.mark.parametrize("cell, ok", [("12,345", True), ("1 234,5 kg", True), ("kg", True), ("98%", True),
                                      ("10 reps", True), ("lbs", True), ("easy", False), ("5 easy", False),
                                      ("PR", False)])
def test_a_totals_cell_is_a_figure_or_a_unit(cell: str, ok: bool) -> None:
    assert _figure_or_unit(cell) is ok


def test_totals_after_each_workout_and_at_the_end_are_skipped_by_line(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text(HEAD + "2024-03-04,Squat,100,5,500\n2024-03-04,Squat,100,5,500\nWorkout total,,,10,1000\n"
                 "2024-03-06,Deadlift,140,3,420\nWorkout total,,,3,420\nTotal volume:,,,,\"1,420 kg\"\n",
                 encoding="utf-8")
    p = parse_file("csv", f)
    assert [(str(s.started_at.date()), w[0], w[5], w[6]) for s in p.sessions for w in s.sets] == [
        ("2024-03-04", "Squat", 100.0, 5), ("2024-03-04", "Squat", 100.0, 5), ("2024-03-06", "Deadlift", 140.0, 3)]
    assert not p.refused
    assert p.skipped[:2] == ["line 4: a summary row ('Workout total' and figures: a total, not a set)",
                             "line 6: a summary row ('Workout total' and figures: a total, not a set)"]
    # before: 'Workout total' refused as a date, 2 rows of 5: the whole file refused


def test_a_totals_row_of_three_figures_at_the_end(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text(HEAD + ROWS + "Total,,,13,1420\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert len([w for s in p.sessions for w in s.sets]) == 3 and not p.refused
    assert p.skipped == ["line 5: a summary row ('Total' and figures: a total, not a set)"]
