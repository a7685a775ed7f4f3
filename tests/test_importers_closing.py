"""A spreadsheet's closing rows (a total, an average, a note under the log) are skipped with a note, not read as a
set whose "date" fails the whole import. Found by trying real exports with a totals row appended: Strong, Hevy and
FitNotes each refused the file ("date 'Total' is not a date this importer knows"; Hevy: "date is empty").

Only rows after the last set, with at most two cells filled, and with no digit or a summary word first, are closing
rows; the same row in the middle of a log is read (and refused) as before.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import detect_format, parse_file
from peri.log.importers.base import _closing_like

FIX = Path(__file__).parent / "fixtures" / "imports"
GENERIC = "Date,Exercise,Weight,Reps\n2026-03-02,Squat,100,5\n2026-03-02,Squat,100,5\n2026-03-04,Bench Press,80,8\n"


@pytest.mark.parametrize("row, closing", [
    (["Total", "", "", "1,234"], True),           # a summary word first, a figure beside it
    (["", "Summe", "", ""], True),                # the first filled cell decides, in German too
    (["Average:", "4.2"], True),
    (["Great block, PR next time!", ""], True),   # no digit at all: a note
    (["", "", ""], False),                        # empty rows are skipped elsewhere
    (["2026-03-09", "Squat"], False),             # a date and a name: a set missing its count, not a closing row
    (["100x5"], False),                           # a block log's set line
    (["Total", "Squat", "100"], False),           # three cells filled: a row of the log
    (["Totally new PR 140", ""], False),          # "totally" is not "total"
    (["", "", "12,345", ""], True),               # a SUM with no label under a column
    (["", "", "1 234,5", "98.5%"], True),         # two figures, a European one and a percentage
    (["1", "", "8", ""], False),                  # figures from the first column on: a block log's set line
    (["", "2026-03-06"], False),                  # a date is no figure
])
def test_what_a_closing_row_is(row: list[str], closing: bool) -> None:
    assert _closing_like(row) is closing


def read(tmp_path: Path, text: str, fmt: str = "csv", name: str = "log.csv", **mapping):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return parse_file(fmt, f, mapping={"unit": "kg", **mapping})


def test_a_totals_row_and_a_note_under_a_log_are_skipped_by_line(tmp_path: Path) -> None:
    parsed = read(tmp_path, GENERIC + "Total,,,18\n\nwell done me,,,\n")
    assert [len(s.sets) for s in parsed.sessions] == [2, 1]
    assert parsed.skipped == ["line 6: empty row",
                              "line 5: a closing row with 2 of 4 cells filled ('Total': a total or a note, not a set)",
                              "line 7: a closing row with 1 of 4 cells filled ('well done me': a total or a note, "
                              "not a set)"]


def test_the_same_row_inside_the_log_is_read_as_before(tmp_path: Path) -> None:
    # a note row between sessions is followed by sets: it is a row of the log, and its "date" is refused by line
    with pytest.raises(ImportFormatError) as e:
        read(tmp_path, GENERIC + "well done me,,,\n2026-03-06,Squat,102.5,5\n")
    assert "log.csv:5" in str(e.value) and "well done me" in str(e.value)


def test_a_last_row_with_a_date_and_a_name_is_a_set_not_a_closing_row(tmp_path: Path) -> None:
    parsed = read(tmp_path, GENERIC + "2026-03-06,Squat,,\n")
    assert [len(s.sets) for s in parsed.sessions] == [2, 1, 1]
    assert parsed.sessions[-1].sets[0][0] == "Squat" and parsed.skipped == []


@pytest.mark.parametrize("fixture, fmt, closing", [
    ("strong_ios.csv", "strong", "Total,,,,,,,,,,,\n"),
    ("hevy.csv", "hevy", '"Totals","","","","","","","","","","","","",""\n'),
    ("fitnotes.csv", "fitnotes", "Average,,,,,,,,\n"),
])
def test_each_apps_export_with_a_totals_row_appended(tmp_path: Path, fixture: str, fmt: str, closing: str) -> None:
    text = (FIX / fixture).read_text(encoding="utf-8")
    plain = read(tmp_path, text, fmt, name="plain.csv")
    f = tmp_path / "with-total.csv"
    f.write_text(text.rstrip("\n") + "\n" + closing, encoding="utf-8")
    assert detect_format(f)[0] == fmt  # the closing row does not change what the file is
    parsed = parse_file(fmt, f, mapping={"unit": "kg"})
    assert [s.sets for s in parsed.sessions] == [s.sets for s in plain.sessions] and plain.sessions
    assert any("a closing row with 1 of" in s for s in parsed.skipped)
