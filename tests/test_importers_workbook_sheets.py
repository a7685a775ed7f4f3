"""A log kept in a workbook as a sheet per month (or block, or year) under one header is read whole, the sheets one
after the other (importers.workbook); a sheet of records, a template, a sheet with other columns or one that
repeats dates already read (a sheet of all sessions) is left out and named. Before, only the first sheet was
read and the other months were lost without a word."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from peri.log.importers import NOTE, REPS, WEIGHT, parse_file

HEAD = ["Date", "Exercise", "Weight (kg)", "Reps"]


def sheet(wb: Workbook, title: str, rows: list[list], head: list[str] = HEAD, first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    ws.append(head)
    for r in rows:
        ws.append(r)


def month(m: int, load: float, days=(3, 10, 17)) -> list[list]:
    return [[dt.date(2025, m, d), "Squat", load + i, 5] for i, d in enumerate(days)]


def read(tmp_path: Path, wb: Workbook):
    path = tmp_path / "log.xlsx"
    wb.save(path)
    parsed = parse_file("csv", path)
    loads = sorted((s.started_at.date().isoformat(), w[WEIGHT], w[REPS]) for s in parsed.sessions for w in s.sets)
    return parsed, loads, next(w for w in parsed.warnings if "sheet" in w)


def test_a_sheet_per_month_is_one_log(tmp_path: Path) -> None:
    wb = Workbook()
    sheet(wb, "Jan", month(1, 100), first=True)
    sheet(wb, "Feb", month(2, 110))
    sheet(wb, "Mar", month(3, 120))
    parsed, loads, note = read(tmp_path, wb)
    assert [x[1] for x in loads] == [100, 101, 102, 110, 111, 112, 120, 121, 122]
    assert len(parsed.sessions) == 9
    # Jan's rows are lines 2-4; Feb's rows 2-4 are lines 5-7; Mar's lines 8-10
    assert note == "read 3 sheets of the workbook as one log, one after the other: 'Jan' from line 1; 'Feb' from " \
                   "line 5 (its row 2); 'Mar' from line 8 (its row 2)"


def test_records_templates_other_columns_and_repeated_dates_are_left_out_and_named(tmp_path: Path) -> None:
    wb = Workbook()
    sheet(wb, "2025 Jan", month(1, 100), first=True)
    sheet(wb, "PRs", [[dt.date(2025, 1, 17), "Squat", 102, 5]])  # a record sheet, same columns
    sheet(wb, "All sessions", month(1, 100) + month(2, 110))  # every session again
    sheet(wb, "Feb", month(2, 110), head=["Date", "Exercise", "Reps", "Weight (kg)"])  # columns swapped
    sheet(wb, "Template", [["", "Squat", 100, 5]])
    parsed, loads, note = read(tmp_path, wb)
    assert [x[1] for x in loads] == [100, 101, 102]
    assert note == ("read sheet '2025 Jan' of the workbook (5 sheets); line numbers are its row numbers; not read: "
                    "'PRs' (its name marks a summary or a plan), 'All sessions' (it repeats dates already read, e.g. "
                    "2025-01-03: a copy or a summary), 'Feb' (other columns than '2025 Jan': import it as a file of "
                    "its own), 'Template' (its name marks a summary or a plan)")


def test_sheets_of_other_widths_still_line_up(tmp_path: Path) -> None:
    """Each sheet is as wide as its widest row: a comment to the right of one row on the first sheet, or on the
    second, must not make the second's header "other columns" nor its rows a field too long or short."""
    wb = Workbook()
    sheet(wb, "Jan", month(1, 100), first=True)
    sheet(wb, "Feb", month(2, 110))
    sheet(wb, "Mar", month(3, 120))
    wb["Jan"].cell(row=3, column=7, value="felt easy")  # Jan is 7 wide, Feb 4
    wb["Mar"].cell(row=2, column=9, value="new belt")  # Mar is 9 wide: its comment is past Jan's width
    parsed, loads, note = read(tmp_path, wb)
    assert [x[1] for x in loads] == [100, 101, 102, 110, 111, 112, 120, 121, 122] and not parsed.refused
    # the comments beside the log are the sets' notes
    notes = {(s.started_at.date().isoformat(), w[NOTE]) for s in parsed.sessions for w in s.sets if w[NOTE]}
    assert notes == {("2025-01-10", "felt easy"), ("2025-03-03", "new belt")}
    assert "'Mar' from line 8 (its row 2)" in note
    assert note.endswith("; 2 rows hold text to the right of the last named column (a comment beside the log): kept "
                         "as the row's note")
    assert any("'Comment (beside the log)' as note" in w for w in parsed.warnings)


def test_a_comment_beside_a_sheet_with_a_note_column_joins_its_note(tmp_path: Path) -> None:
    wb = Workbook()
    sheet(wb, "Log", [[dt.date(2025, 1, 3), "Squat", 100, 5, "belt", None, "knee ok"],
                      [dt.date(2025, 1, 4), "Squat", 100, 5, None, None, "second"]], head=[*HEAD, "Notes"], first=True)
    parsed, _, _ = read(tmp_path, wb)
    assert [w[NOTE] for s in parsed.sessions for w in s.sets] == ["belt; knee ok", "second"]


@pytest.mark.parametrize("second_title", ["Block 2", "Woche 2", "2024"])
def test_sheets_named_anything_but_a_summary_are_read_on(tmp_path: Path, second_title: str) -> None:
    wb = Workbook()
    sheet(wb, "Block 1", month(1, 100), first=True)
    sheet(wb, second_title, month(4, 130))
    _, loads, _ = read(tmp_path, wb)
    assert len(loads) == 6


def test_one_sheet_says_so_and_a_comment_on_the_first_row_is_kept(tmp_path: Path) -> None:
    wb = Workbook()
    sheet(wb, "Log", month(1, 100), first=True)
    wb["Log"].cell(row=2, column=6, value="first day")  # the first data row only
    parsed, _, note = read(tmp_path, wb)
    assert note.startswith("read sheet 'Log' of the workbook; line numbers are its row numbers; 1 rows hold text")
    assert [w[NOTE] for s in parsed.sessions for w in s.sets] == ["first day", None, None]


def test_a_sheet_repeating_the_first_sheets_dates_after_another_is_left_out(tmp_path: Path) -> None:
    wb = Workbook()
    sheet(wb, "Jan", [[dt.datetime(2025, 1, d, 18), "Squat", 100 + d, 5] for d in (3, 10, 17)], first=True)
    sheet(wb, "Feb", month(2, 110) + [[None, None, None, None], *month(2, 120, days=(20,))])  # an empty row inside
    sheet(wb, "Jan again", month(1, 100, days=(17, 24)))  # Jan 17 again, as a date without its time
    parsed, loads, note = read(tmp_path, wb)
    assert len(loads) == 7  # Jan 3, Feb 4: the empty rows of two sheets are no repeated date
    assert note.endswith("not read: 'Jan again' (it repeats dates already read, e.g. 2025-01-17: a copy or a summary)")


def test_an_apps_export_saved_as_a_workbook_gets_no_comment_column(tmp_path: Path) -> None:
    wb = Workbook()
    head = ["Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight (kg)", "Reps", "Distance", "Seconds",
            "Notes", "Workout Notes", "RPE"]
    sheet(wb, "strong", [["2024-03-04 18:00:00", "Day", "1h", "Squat (Barbell)", 1, 100, 5, 0, 0, "", "", ""]],
          head=head, first=True)
    parsed, _, note = read(tmp_path, wb)
    assert note == "read sheet 'strong' of the workbook; line numbers are its row numbers"


def test_which_row_is_a_sheets_header() -> None:
    from peri.log.importers.workbook import _date_column, _header_at

    assert _header_at([["Date", "Exercise"]]) == 0  # two named cells are enough
    assert _header_at([["My log"], [], ["Date", "Exercise", "Reps"]]) == 2  # a title of one cell is passed over
    assert _header_at([["Week", "1"], ["Date", "Exercise", "Reps"]]) is None  # the first row of two cells decides
    assert _date_column(["Exercise", "Reps"]) is None and _date_column(["Lift", "Datum"]) == 1


def test_a_generic_csv_with_an_unquoted_comma_resaved_as_a_workbook(tmp_path: Path) -> None:
    """"2024-03-01,Press (Each Side, Dumbbells),20,10," saved by a spreadsheet: the name split into the Weight
    cell and the empty Notes cell dropped, so the row has the header's width (`importers/resaved.py`)."""
    from test_importers_workbook import xlsx

    rows = [["Date", "Exercise", "Weight (kg)", "Reps", "Notes"],
            [dt.date(2024, 3, 1), "Squat", 100, 5, ""],
            [dt.date(2024, 3, 1), "Press (Each Side", " Dumbbells)", 20, 10],
            [dt.date(2024, 3, 1), "Press (Each Side", " Dumbbells)", 22.5, 8],
            [dt.date(2024, 3, 3), "Squat", 102.5, 5, "easy"]]
    p = parse_file("csv", xlsx(tmp_path / "log.xlsx", {"Log": rows}))
    assert [(w[0], w[5], w[6], w[12]) for s in p.sessions for w in s.sets] == [
        ("Squat", 100.0, 5, None), ("Press (Each Side, Dumbbells)", 20.0, 10, None),
        ("Press (Each Side, Dumbbells)", 22.5, 8, None), ("Squat", 102.5, 5, "easy")]
    note = next(w for w in p.warnings if "split into the next cell" in w)
    assert note.startswith("2 rows") and f"log.xlsx:3" in note


def test_unhide_joins_only_a_row_that_does_not_read_and_one_way() -> None:
    from peri.log.importers.resaved import unhide

    def reads(row: list[str]) -> bool:  # a row reads when its third cell is a number
        return row[2].strip().replace(".", "").isdigit()

    assert unhide(["d", "Press (Each Side", " DB)", "20"], [1], reads) == ["d", "Press (Each Side, DB)", "20", ""]
    assert unhide(["d", "Squat", "20", ""], [1], reads) is None            # reads as it is: left alone
    assert unhide(["A", "B", "C", "20"], [0, 1], reads) is None            # "A,B" and "B,C" both read: not guessed
    assert unhide(["d", "Press", " DB)", "x"], [1], reads) is None         # no join reads: the reader names it
