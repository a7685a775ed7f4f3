"""A FitNotes CSV with an unquoted comma in an exercise name ("Press (Each Side, Dumbbells)"), opened in a
spreadsheet and saved as a workbook: the sheet split the name into the next column and dropped the empty cell
that pushed off the row's end, so the row has the header's width and nothing shows the split. The reader joins
the name back where only that reading makes the row read, says so with the first FILE:LINE, and fails in one
line naming the row where no reading does."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from peri.errors import ImportFormatError
from peri.log.importers import detect_format, import_file, parse_file
from peri.log.store import Store
from test_importers_unseen import ana, sets_of  # noqa: F401  (the `ana` fixture)

HEADER = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment\n"
CSV = (HEADER +
       "2025-04-29,Flat Barbell Bench Press,Chest,60.0,kgs,8,,,,\n"
       "2025-04-29,Press (Each Side, Dumbbells),Shoulders,20.0,kgs,10,,,,\n"
       "2025-04-29,Press (Each Side, Dumbbells),Shoulders,22.5,kgs,8,,,,felt strong\n"
       "2025-05-01,Row (Cable, Wide, Neutral),Back,50.0,kgs,12,,,,\n"
       "2025-05-01,Flat Barbell Bench Press,Chest,62.5,kgs,8,,,,\n")


def resaved(path: Path, text: str) -> Path:
    """The CSV opened in a spreadsheet (every comma a column break, numbers as numbers) and saved as .xlsx."""
    wb = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(text)):
        wb.active.append([float(c) if c.replace(".", "", 1).isdigit() else c for c in row])
    wb.save(path)
    return path


def test_the_split_names_are_joined_back_as_the_csv_reader_does(ana: Store, tmp_path: Path) -> None:
    f = resaved(tmp_path / "FitNotes_Export.xlsx", CSV)
    assert detect_format(f)[0] == "fitnotes"
    p = parse_file("fitnotes", f)
    assert [(w[0], w[5], w[6], w[12]) for w in sets_of(p)] == [
        ("Flat Barbell Bench Press", 60.0, 8, None), ("Press (Each Side, Dumbbells)", 20.0, 10, None),
        ("Press (Each Side, Dumbbells)", 22.5, 8, "felt strong"), ("Row (Cable, Wide, Neutral)", 50.0, 12, None),
        ("Flat Barbell Bench Press", 62.5, 8, None)]
    # row 3's split is hidden (its end was empty); row 4 kept its comment, so its extra field shows and is joined
    # as in a CSV; row 5 held two commas, hidden too
    hidden = [w for w in p.warnings if "then hid" in w]
    assert len(hidden) == 1 and hidden[0].startswith("2 rows") and f"first at {f}:3" in hidden[0]
    assert any(w.startswith("1 rows had an unquoted comma in the exercise name; the name was joined") for w in p.warnings)
    # the same sets as the CSV itself gives
    c = tmp_path / "FitNotes_Export.csv"
    c.write_text(CSV)
    assert [w[:7] for w in sets_of(parse_file("fitnotes", c))] == [w[:7] for w in sets_of(p)]
    assert import_file(ana, "ana", "auto", f).sets_new == 5


def test_a_row_no_reading_fits_fails_in_one_line_naming_it(ana: Store, tmp_path: Path) -> None:
    bad = CSV.replace("2025-05-01,Flat Barbell Bench Press,Chest,62.5", "2025-05-01,Flat Barbell Bench Press,Chest,6o")
    f = resaved(tmp_path / "FitNotes_Export.xlsx", bad)
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", f)
    assert f"{f}:6" in str(e.value) and "'6o'" in str(e.value) and "\n" not in str(e.value)
    assert ana.dump() == before
