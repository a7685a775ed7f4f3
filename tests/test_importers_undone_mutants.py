"""Hand-worked cases for `peri.log.importers.undone` (issue 20, mutation8b): which headers leave rows out, which
rows are left out, and the note word for word. Each table is written here and every expected row, count and
line number is worked out from it by hand."""
from __future__ import annotations

import pytest

from peri.log.importers.base import Table
from peri.log.importers.undone import Undone, _prescribes, drop_undone


def table(header: list[str], rows: list[list[str]], first_line: int = 2) -> Table:
    return Table(path="log.csv", header=header, delimiter=",",
                 rows=iter(list(enumerate(rows, start=first_line))), total_lines=len(rows) + 1, warnings=[])


def test_no_rows_left_out_says_nothing() -> None:
    assert Undone("log.csv").note() is None
    assert Undone("log.csv", count=0, first=7, columns="'Required Reps'").note() is None


def test_the_note_word_for_word() -> None:
    u = Undone("a/log.csv", count=2, first=5, columns="'Required Reps', 'Required Weight Value'")
    assert u.note() == ("2 sets prescribed and not done (a prescription under 'Required Reps', 'Required Weight "
                        "Value', nothing under the columns of what was done) were left out, never stored as sets; "
                        "first at a/log.csv:5")


def test_rows_left_out_counted_from_their_first_line() -> None:
    t = table(["Date", "Exercise", "Required Reps", "Reps", "Weight"],
              [["2024-03-05", "Squat", "5", "5", "100"],      # line 2: done
               ["2024-03-05", "Squat", "5", "", ""],          # line 3: prescribed, not done
               ["2024-03-05", "Squat", "5", " ", "\t"],       # line 4: blanks are nothing done
               ["2024-03-05", "Squat", "", "", ""],           # line 5: no prescription either: kept
               ["2024-03-05", "Squat", "5", "", "100"]])      # line 6: a load is something done
    u = drop_undone("csv", t)
    assert u is not None
    assert [line for line, _ in t.rows] == [2, 5, 6]
    assert (u.count, u.first, u.columns) == (2, 3, "'Required Reps'")
    assert u.path == "log.csv"
    assert u.note() == ("2 sets prescribed and not done (a prescription under 'Required Reps', nothing under the "
                        "columns of what was done) were left out, never stored as sets; first at log.csv:3")


def test_a_short_row_has_nothing_past_its_end() -> None:
    # the prescription in the last column: a row that stops before it prescribes nothing; one that stops before
    # the done columns did nothing
    t = table(["Date", "Exercise", "Reps", "Weight", "Required Reps"],
              [["2024-03-05", "Squat", "5"],                  # line 10: short, kept
               ["2024-03-05", "Squat", "", "", "5"]], first_line=10)
    u = drop_undone("csv", t)
    assert [line for line, _ in t.rows] == [10]
    assert (u.count, u.first) == (1, 11)
    t = table(["Date", "Exercise", "Required Reps", "Reps", "Weight"], [["2024-03-05", "Squat", "5"]])
    u = drop_undone("csv", t)
    assert list(t.rows) == [] and u.count == 1


def test_only_three_prescription_columns_are_named() -> None:
    t = table(["Date", "Exercise", "Required Reps", "Required Weight", "Required RPE", "Required Sets", "Reps"],
              [["2024-03-05", "Squat", "", "", "", "3", ""]])
    u = drop_undone("csv", t)
    assert u.columns == "'Required Reps', 'Required Weight', 'Required RPE'"
    assert list(t.rows) == [] and u.count == 1  # the fourth column's prescription is read all the same


@pytest.mark.parametrize("header", [
    "Reps", "Weight", "Weight (kg)", "Weight (lbs)", "RPE", "RIR", "Seconds", "Distance", "Distance (m)",
    "Distance (km)", "Distance (miles)", "Logs", "Sets"])
def test_each_performed_column_is_something_done(header: str) -> None:
    # beside a second done column left empty: the row is a set because of this column alone
    other = "Weight" if header == "Reps" else "Reps"
    t = table(["Date", "Exercise", "Required Reps", other, header],
              [["2024-03-05", "Squat", "5", "", "1"], ["2024-03-05", "Squat", "5", "", ""]])
    u = drop_undone("csv", t)
    assert [line for line, _ in t.rows] == [2]
    assert (u.count, u.first) == (1, 3)


@pytest.mark.parametrize("header", ["Assigned Reps", "Planned Weight", "Target Sets"])
def test_a_prescription_the_reader_reads_leaves_every_row(header: str) -> None:
    rows = [["2024-03-05", "Squat", "5", "", ""]]
    t = table(["Date", "Exercise", header, "Reps", "Required Reps"], rows)
    assert drop_undone("csv", t) is None
    assert list(t.rows) == [(2, rows[0])]


def test_other_formats_and_mapped_columns_are_left_alone() -> None:
    rows = [["2024-03-05", "Squat", "5", "", ""]]
    head = ["Date", "Exercise", "Required Reps", "Reps", "Weight"]
    for fmt, mapped in (("strong", False), ("csv", True)):
        t = table(head, rows)
        assert drop_undone(fmt, t, mapped) is None
        assert list(t.rows) == [(2, rows[0])]
    assert drop_undone("csv", table(head, rows), False) is not None


def test_a_header_without_a_prescription_or_a_done_column_is_left_alone() -> None:
    rows = [["2024-03-05", "Squat", "5", ""]]
    t = table(["Date", "Exercise", "Target Muscles", "Reps"], rows)   # a prescription word, then no logged word
    assert drop_undone("csv", t) is None and list(t.rows) == [(2, rows[0])]
    t = table(["Date", "Exercise", "Required Reps", "Notes"], rows)   # nothing done to look at
    assert drop_undone("csv", t) is None and list(t.rows) == [(2, rows[0])]


@pytest.mark.parametrize("word", ["required", "target", "planned", "prescribed", "assigned", "goal"])
def test_each_prescription_word(word: str) -> None:
    assert _prescribes(f"{word} reps")
    assert _prescribes(f"{word}reps")
    assert not _prescribes(f"{word} muscles")


@pytest.mark.parametrize("logged", ["reps", "rep", "repetitions", "weight", "load", "rpe", "rir", "sets", "seconds",
                                    "duration", "distance", "time"])
def test_each_logged_word(logged: str) -> None:
    assert _prescribes(f"required {logged} value")
    assert _prescribes(f"target_{logged}")
    assert _prescribes(f"goal-{logged}")
    assert not _prescribes(f"{logged} required")


def test_names_that_prescribe_nothing() -> None:
    for name in ("squat", "reps", "", "required", "target muscles reps", "notes target reps"):
        assert not _prescribes(name), name
