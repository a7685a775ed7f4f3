"""Hand-worked headers of two rows (`peri.log.importers.headrows`; issue 20, mutation testing, mutation8c).

Each table is settled by `settle_header` directly: the header it ends with, the records set aside above it, the
rows left to read (with their line numbers) and the report's note, word for word."""
from __future__ import annotations

from pathlib import Path

from peri.log.importers import parse_file
from peri.log.importers.base import Table
from peri.log.importers.headrows import settle_header

DATA = [["2024-03-04", "Squat", "100", "5"], ["2024-03-06", "Deadlift", "140", "3"]]


def tab(header: list[str], *rows: list[str]) -> Table:
    return Table(path="x.csv", header=list(header), delimiter=",", rows=iter([(i + 2, list(r)) for i, r in enumerate(rows)]),
                 total_lines=len(rows) + 1, warnings=[])


def left(t: Table) -> list[tuple[int, list[str]]]:
    return list(t.rows)


def numbered(first: int, rows: list[list[str]]) -> list[tuple[int, list[str]]]:
    return [(first + i, r) for i, r in enumerate(rows)]


# --- the column names below the first record -------------------------------------------------------------------

def test_names_under_a_metadata_block_are_the_header() -> None:
    t = tab(["Athlete", "Jane"], ["Exported", "2024-03-07"], [], [" \ufeffDate ", "Exercise", "Weight (kg)", "Reps", "", " "],
            *DATA)
    note = settle_header(t)
    assert note == "the column names are on line 4: 3 rows above them were not read (such as 'Athlete')"
    assert t.warnings == [note]
    assert t.header == t.raw_header == ["Date", "Exercise", "Weight (kg)", "Reps"]  # the empty cells at its end dropped
    assert t.width == 6  # the record as written
    assert t.above == [["Athlete", "Jane"], ["Exported", "2024-03-07"], []]
    assert left(t) == numbered(5, DATA)


def test_the_first_filled_cell_above_is_named_cut_at_40() -> None:
    t = tab([" ", "  Training log exported from MyApp on 2024-03-07 by Jane  "], ["Date", "Exercise", "Weight (kg)", "Reps"],
            *DATA)
    assert settle_header(t) == ("the column names are on line 2: 1 rows above them were not read (such as "
                                "'Training log exported from MyApp on 2024')")
    assert left(t) == numbered(3, DATA)


def test_names_on_the_tenth_record_below_are_found_not_on_the_eleventh() -> None:
    junk = [["x", "y"]] * 9
    t = tab(["Title"], *junk, ["Date", "Exercise", "Weight (kg)", "Reps"], *DATA)
    assert settle_header(t).startswith("the column names are on line 11: 10 rows above")
    assert t.header == ["Date", "Exercise", "Weight (kg)", "Reps"] and left(t) == numbered(12, DATA)
    junk = [["x", "y"]] * 10
    t = tab(["Title"], *junk, ["Date", "Exercise", "Weight (kg)", "Reps"], *DATA)
    assert settle_header(t) is None and t.header == ["Title"] and t.above == [] and t.warnings == []
    assert left(t) == numbered(2, junk + [["Date", "Exercise", "Weight (kg)", "Reps"]] + DATA)  # every row kept


def test_a_record_naming_a_date_and_one_more_column_is_enough() -> None:
    t = tab(["Program", "5/3/1"], ["Date", "Exercise"], ["2024-03-04", "Squat"])
    assert settle_header(t).startswith("the column names are on line 2: 1 rows above")
    assert t.header == ["Date", "Exercise"]
    # a date named twice, or a date and a column peri does not read, names no log
    rows = [["Date", "Tempo", "Date"], ["Date", "Date"], ["2024-03-04", "Squat"]]
    t = tab(["Program", "5/3/1"], *rows)
    assert settle_header(t) is None and t.header == ["Program", "5/3/1"] and left(t) == numbered(2, rows)


def test_an_apps_own_header_below_a_title_is_found() -> None:
    strong = ["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Reps", "Distance", "Seconds", "Notes",
              "Workout Notes"]
    t = tab(["Exported from Strong"], strong, ["2024-03-04 18:00:00", "Legs", "Squat", "1", "100", "5", "0", "0", "", ""])
    assert settle_header(t) == "the column names are on line 2: 1 rows above them were not read (such as 'Exported from Strong')"
    assert t.header == strong


def test_a_header_naming_a_date_stays_even_with_names_below() -> None:
    rows = [["Date", "Exercise", "Weight", "Reps"], *DATA]
    t = tab(["Date", "Tempo"], *rows)
    assert settle_header(t) is None and t.header == ["Date", "Tempo"] and left(t) == numbered(2, rows)


# --- a row of units under the names -----------------------------------------------------------------------------

def test_units_under_the_names_join_them() -> None:
    t = tab(["Date", "Exercise", "Weight", "Distance", "Rest", "Reps"], ["", " ", "(LBS)", "[km]", "Secs", ""], *DATA)
    note = settle_header(t)
    assert note == ("line 2 writes the units under the column names: read as 'Weight (LBS)', 'Distance (km)', "
                    "'Rest (Secs)'")
    assert t.header == t.raw_header == ["Date", "Exercise", "Weight (LBS)", "Distance (km)", "Rest (Secs)", "Reps"]
    assert left(t) == numbered(3, DATA)


def test_rows_that_are_no_units_row_stay_rows() -> None:
    header = ["Date", "Exercise", "Weight", "Reps"]
    for row in (["", "", "", "km"],  # no weight unit among them
                ["", "", "kg", "5"],  # a figure
                ["", "", "kg", "()"],  # brackets holding nothing
                ["", "", "", ""],  # an empty row
                ["kg", "", "", "", "kg"]):  # a unit past the header's end
        t = tab(header, row, *DATA)
        assert settle_header(t) is None and t.header == header, row
        assert left(t) == numbered(2, [row] + DATA), row
    t = tab(["Date", "Exercise", "Weight", ""], ["", "", "kg", "kg"], *DATA)  # a unit under a column with no name
    assert settle_header(t) is None and left(t) == numbered(2, [["", "", "kg", "kg"]] + DATA)


def test_a_header_and_nothing_under_it() -> None:
    t = tab(["Date", "Exercise", "Weight", "Reps"])
    assert settle_header(t) is None and t.header == ["Date", "Exercise", "Weight", "Reps"] and left(t) == []


def test_both_notes_are_joined_and_kept() -> None:
    t = tab(["Athlete", "Jane"], ["Date", "Exercise", "Weight", "Reps"], ["", "", "kg", ""], *DATA)
    first = "the column names are on line 2: 1 rows above them were not read (such as 'Athlete')"
    second = "line 3 writes the units under the column names: read as 'Weight (kg)'"
    assert settle_header(t) == f"{first}; {second}" and t.warnings == [first, second]
    assert t.header == t.raw_header == ["Date", "Exercise", "Weight (kg)", "Reps"] and left(t) == numbered(4, DATA)


# --- names under group labels -----------------------------------------------------------------------------------

def test_names_under_a_merged_label_join_it() -> None:
    # the row is longer than the labels: the last label carried over the merged cells
    t = tab(["Date", "Exercise", "Top set", ""], ["", "", "Weight", "Reps", "RPE"], *DATA)
    assert settle_header(t) == ("line 2 names the columns under the labels above: read as 'Top set Weight', "
                                "'Top set Reps', 'Top set RPE'")
    assert t.header == t.raw_header == ["Date", "Exercise", "Top set Weight", "Top set Reps", "Top set RPE"]
    assert left(t) == numbered(3, DATA)


def test_a_name_under_no_label_is_itself_and_more_than_four_are_cut() -> None:
    t = tab(["", "Date", "Exercise", "Set 1", ""], ["Notes", "", "", "Weight", "Reps"])
    assert settle_header(t) == ("line 2 names the columns under the labels above: read as 'Notes', 'Set 1 Weight', "
                                "'Set 1 Reps'")
    assert t.header == ["Notes", "Date", "Exercise", "Set 1 Weight", "Set 1 Reps"]
    t = tab(["Date", "Exercise", "A", "", "", ""], ["", "", "Weight", "Reps", "RPE", "Notes"])
    assert settle_header(t) == ("line 2 names the columns under the labels above: read as 'A Weight', 'A Reps', "
                                "'A RPE', 'A Notes'")
    t = tab(["Date", "Exercise", "A", "", "", "", ""], ["", "", "Weight", "Reps", "RPE", "Notes", "Seconds"])
    assert settle_header(t) == ("line 2 names the columns under the labels above: read as 'A Weight', 'A Reps', "
                                "'A RPE', 'A Notes' ...")
    assert t.header[-1] == "A Seconds"


def test_rows_that_are_no_names_under_labels_stay_rows() -> None:
    for header, row in ((["Date", "Exercise", "Top set"], ["", "", "Weight"]),  # one name alone
                        (["Date", "Exercise", "Top set", ""], ["", "", "Weight", "RPE (1-10)"]),  # a figure in a name
                        (["Date", "Exercise", "Top set", "Back-off"], ["", "", "Weight", "Reps"]),  # no merged cell
                        (["Date", "Exercise", "Set 1", ""], ["", "", "Weight", "Tempo"])):  # a name peri does not read
        t = tab(header, row, *DATA)
        assert settle_header(t) is None and t.header == header, row
        assert left(t) == numbered(2, [row] + DATA), row


def test_names_again_for_each_set_under_labels_are_numbered_in_order() -> None:
    t = tab(["Date", "Exercise", "Top set", "", "Back-off", ""], ["", "", "Weight", "Reps", "weight", "Reps"], *DATA)
    note = settle_header(t)
    assert note == ("line 2 names the columns under the labels above: read as 'Weight', 'Reps', 'weight', 'Reps'; "
                    "the columns 'Weight', 'Reps', 'weight' are written once per set: read as sets 1 to 2 in their "
                    "order ('Set 1 Weight', 'Set 1 Reps', 'Set 2 weight', 'Set 2 Reps')")
    assert t.header == t.raw_header == ["Date", "Exercise", "Set 1 Weight", "Set 1 Reps", "Set 2 weight", "Set 2 Reps"]
    # one name again, the others once: the others join their labels
    t = tab(["Date", "Exercise", "Top set", "", "Back-off", ""], ["", "", "Weight", "Reps", "Weight", "RPE"], *DATA)
    settle_header(t)
    assert t.header == ["Date", "Exercise", "Set 1 Weight", "Top set Reps", "Set 2 Weight", "Back-off RPE"]


# --- a set's columns written once per set -----------------------------------------------------------------------

def test_repeated_set_columns_are_numbered_and_empty_names_ignored() -> None:
    t = tab(["Date", "Exercise", " Weight", "Reps", "Weight ", "Reps", "", ""], *DATA)
    assert settle_header(t) == ("the columns 'Weight', 'Reps' are written once per set: read as sets 1 to 2 in their "
                                "order ('Set 1 Weight', 'Set 1 Reps', 'Set 2 Weight', 'Set 2 Reps')")
    assert t.header == t.raw_header == ["Date", "Exercise", "Set 1 Weight", "Set 1 Reps", "Set 2 Weight", "Set 2 Reps",
                                        "", ""]


def test_an_exercise_again_makes_groups_per_exercise() -> None:
    t = tab(["Date", "Exercise", "Weight", "Reps", "Exercise", "Weight", "Reps", "Notes"], *DATA)
    assert settle_header(t) == ("the columns 'Exercise', 'Weight', 'Reps' are written once per exercise: read as "
                                "exercises 1 to 2 in their order ('Exercise 1', 'Weight 1', 'Reps 1', 'Exercise 2', "
                                "'Weight 2', 'Reps 2')")
    assert t.header == ["Date", "Exercise 1", "Weight 1", "Reps 1", "Exercise 2", "Weight 2", "Reps 2", "Notes"]


def test_the_list_of_names_is_cut_at_100_characters() -> None:
    t = tab(["Date", "Exercise"] + ["Weight", "Reps"] * 5, *DATA)
    # 'Set 1 Weight', 'Set 1 Reps', ...: 14 + 2 + 12 + 2 characters a set, 30; three sets 90, then 10 of the fourth
    assert settle_header(t) == ("the columns 'Weight', 'Reps' are written once per set: read as sets 1 to 5 in their "
                                "order ('Set 1 Weight', 'Set 1 Reps', 'Set 2 Weight', 'Set 2 Reps', 'Set 3 Weight', "
                                "'Set 3 Reps', 'Set 4 Wei)")
    assert t.header[-2:] == ["Set 5 Weight", "Set 5 Reps"]


def test_a_name_peri_does_not_read_twice_leaves_every_name() -> None:
    header = ["Date", "Exercise", "Weight", "Reps", "Weight", "Reps", "Tempo", "Tempo"]
    t = tab(header, *DATA)
    assert settle_header(t) is None and t.header == header


def test_a_metadata_block_through_parse_file(tmp_path: Path) -> None:
    # 225 lb = 102.0583 kg (225 x 0.45359237 = 102.058283...)
    f = tmp_path / "log.csv"
    f.write_text("Athlete,Jane\n\nDate,Exercise,Weight,Reps\n,,lb,\n2024-03-04,Squat,225,5\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert [(s.started_at.date().isoformat(), w[0], w[5], w[6]) for s in p.sessions for w in s.sets] == [
        ("2024-03-04", "Squat", 102.0583, 5)]
    assert p.unit.source == "stated" and not p.refused


# --- after the first pass (mutation8c) --------------------------------------------------------------------------

def test_a_name_starting_with_x_keeps_its_x() -> None:
    t = tab(["Athlete", "Jane"], ["\ufeffDate", "Exercise", "Weight (kg)", "Reps", "Xtra"], ["2024-03-04", "Squat", "100", "5", ""])
    settle_header(t)
    assert t.header == ["Date", "Exercise", "Weight (kg)", "Reps", "Xtra"]


def test_a_header_of_empty_cells_above_the_names_names_nothing() -> None:
    # a sheet whose first row is empty cells (a workbook's reader keeps them): nothing above to name
    t = tab(["", " "], ["Date", "Exercise", "Weight (kg)", "Reps"], *DATA)
    assert settle_header(t) == "the column names are on line 2: 1 rows above them were not read (such as '')"
    assert t.header == ["Date", "Exercise", "Weight (kg)", "Reps"]


def test_two_names_under_a_label_are_enough() -> None:
    t = tab(["Date", "Exercise", "Top set", ""], ["", "", "Weight", "Reps"], *DATA)
    assert settle_header(t) == "line 2 names the columns under the labels above: read as 'Top set Weight', 'Top set Reps'"
    assert left(t) == numbered(3, DATA)


def test_a_unit_of_twelve_characters_is_one_of_thirteen_is_not() -> None:
    # "kilogrammes." (12 with its dot) is read as kg; "quilogramas.." (13) is no unit
    t = tab(["Date", "Exercise", "Weight", "Reps"], ["", "", "kilogrammes.", ""], *DATA)
    assert settle_header(t) == "line 2 writes the units under the column names: read as 'Weight (kilogrammes.)'"
    t = tab(["Date", "Exercise", "Weight", "Reps"], ["", "", "quilogramas..", ""], *DATA)
    assert settle_header(t) is None and t.header == ["Date", "Exercise", "Weight", "Reps"]
