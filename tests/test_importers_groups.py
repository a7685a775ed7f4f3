"""A row per workout, its exercises side by side in numbered groups of columns (`importers/groups.py`): the
StrongLifts 5x5 export before its current layout, and hand-kept sheets written the same way. Expected sets are
worked out by hand from the rows below."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from peri.log.importers import parse_file
from peri.log.importers.base import read_table
from peri.log.importers.groups import ungroup

# the older StrongLifts layout, under the column headings of a public importer's fixture
# (wayneschuller/strengthjourneys scripts/validate-import-contract.mjs @a9fdaf39a55920c10dff95dd4f93f6135e7942cc);
# the rows are this project's own
STRONGLIFTS_OLD = """Date,Note,Workout,Body Weight,Exercise 1,Weight (KG),Weight (LB),Set 1,Set 2,Set 3,Set 4,Set 5,Exercise 2,Weight (KG),Weight (LB),Set 1,Set 2,Set 3,Set 4,Set 5,Exercise 3,Weight (KG),Weight (LB),Set 1,Set 2,Set 3,Set 4,Set 5
20/04/2016,"",A,80KG,Squat,70,155,5,5,5,5,5,Bench press,50,110,5,5,5,5,4,Barbell row,45,100,5,5,5,5,5
22/04/2016,"felt heavy",B,80KG,Squat,72.5,160,5,5,5,5,5,Overhead press,32.5,70,5,5,5,3,0,Deadlift,90,200,5,,,,
"""

HAND = """Date,Exercise 1,Weight 1,Reps 1,Exercise 2,Weight 2,Reps 2
2024-03-01,Squat,100,5,Bench Press,80,8
2024-03-03,Deadlift,140,3,,,
"""


def sets(parsed) -> list[tuple]:
    return [(s.started_at.date(), s.name, w[0], w[5], w[6], w[12]) for s in parsed.sessions for w in s.sets]


def test_stronglifts_older_export_a_workout_per_row(tmp_path: Path) -> None:
    f = tmp_path / "stronglifts.csv"
    f.write_text(STRONGLIFTS_OLD)
    p = parse_file("csv", f)
    a, b = dt.date(2016, 4, 20), dt.date(2016, 4, 22)
    want = ([(a, "A", "Squat", 70.0, 5, None)] * 5 + [(a, "A", "Bench press", 50.0, 5, None)] * 4
            + [(a, "A", "Bench press", 50.0, 4, None)] + [(a, "A", "Barbell row", 45.0, 5, None)] * 5
            + [(b, "B", "Squat", 72.5, 5, "felt heavy")] + [(b, "B", "Squat", 72.5, 5, None)] * 4
            # the fifth press set is 0: a set not done, beside the load the app wrote in advance
            + [(b, "B", "Overhead press", 32.5, 5, "felt heavy")] + [(b, "B", "Overhead press", 32.5, 5, None)] * 2
            + [(b, "B", "Overhead press", 32.5, 3, None), (b, "B", "Deadlift", 90.0, 5, "felt heavy")])
    assert sets(p) == want
    assert any("3 exercises side by side" in w for w in p.warnings)
    assert any(w.startswith("1 sets of the wide sheet have 0 reps") for w in p.warnings)


def test_a_hand_kept_sheet_of_numbered_groups(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text(HAND)
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert sets(p) == [(dt.date(2024, 3, 1), "", "Squat", 100.0, 5, None),
                       (dt.date(2024, 3, 1), "", "Bench Press", 80.0, 8, None),
                       (dt.date(2024, 3, 3), "", "Deadlift", 140.0, 3, None)]  # the empty second group: no set


def test_the_header_after_ungrouping_and_lines_kept(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text(HAND)
    table = read_table(f)
    assert ungroup(table) is not None
    assert table.header == ["Date", "Exercise", "Weight", "Reps"]
    assert [(line, row) for line, row in table.rows] == [
        (2, ["2024-03-01", "Squat", "100", "5"]), (2, ["2024-03-01", "Bench Press", "80", "8"]),
        (3, ["2024-03-03", "Deadlift", "140", "3"])]


def test_tables_that_are_no_grouped_log_are_untouched(tmp_path: Path) -> None:
    for text in ("Date,Exercise,Weight,Reps\n2024-03-01,Squat,100,5\n",                     # one exercise column
                 "Date,Exercise 1,Weight 1,Exercise 2,Reps 2\n2024-03-01,Squat,100,Bench,5\n",  # groups differ
                 "Date,Exercise 2,Weight,Exercise 3,Weight\n2024-03-01,Squat,100,Bench,80\n"):  # not numbered from 1
        f = tmp_path / "x.csv"
        f.write_text(text)
        table = read_table(f)
        header = list(table.header)
        assert ungroup(table) is None and table.header == header
