"""Reps cells that are not one number, as people write them in logs and hand-kept sheets: ranges ("8-10"),
"5+", "AMRAP", per-side counts ("10/side"), several sets in one cell ("8,8,7"), a scheme ("3x10"), words in
brackets ("10 (assisted)"). Every reader reads them through `base.read_reps`; the policy: no set invented or
dropped, a range read at its lower end (what the lifter certainly did), a set with no count kept with its
reps unknown, and the import's report counts each kind with its first place (FILE:LINE).

Expected values are worked out by hand from the rows below.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import import_file, parse_file
from peri.log.importers.base import (
    AT_LEAST,
    MARKED,
    NO_COUNT,
    PER_SIDE,
    RANGE,
    REMARK,
    SCHEME,
    SETS,
    RepsCell,
    read_reps,
)
from peri.log.store import Store
from test_importers_unseen import ana, sets_of  # noqa: F401  (the `ana` fixture, and the sets of a parse)


def reps_by_exercise(parsed) -> dict[str, list]:
    out: dict[str, list] = {}
    for w in sets_of(parsed):
        out.setdefault(w[0], []).append(w[6])
    return out


def line_with(warnings: list[str], words: str) -> str:
    found = [w for w in warnings if words in w]
    assert len(found) == 1, warnings
    return found[0]


# --- one cell ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, reps, kinds", [
    ("8", 8, ()), ("8 reps", 8, ()), ("12 Wdh.", 12, ()), ("8x", 8, ()),
    ("8-10", 8, (RANGE,)), ("8–10", 8, (RANGE,)), ("8 — 10", 8, (RANGE,)), ("8 to 10", 8, (RANGE,)),
    ("10-8", 8, (RANGE,)),  # written high to low: still the lower end
    ("8 bis 10", 8, (RANGE,)), ("8 a 10", 8, (RANGE,)), ("8-10 reps", 8, (RANGE,)),
    ("5+", 5, (AT_LEAST,)), ("5+ reps", 5, (AT_LEAST,)),
    ("AMRAP", None, (NO_COUNT,)), ("max", None, (NO_COUNT,)), ("To Failure", None, (NO_COUNT,)),
    ("F", None, (NO_COUNT,)), ("bis zum Versagen", None, (NO_COUNT,)), ("al fallo", None, (NO_COUNT,)),
    ("AMRAP 12", 12, (MARKED,)), ("12 AMRAP", 12, (MARKED,)), ("12 (to failure)", 12, (MARKED,)),
    ("10/side", 10, (PER_SIDE,)), ("10 each", 10, (PER_SIDE,)), ("12 e/s", 12, (PER_SIDE,)),
    ("10 per leg", 10, (PER_SIDE,)), ("10 reps each side", 10, (PER_SIDE,)), ("8 (each side)", 8, (PER_SIDE,)),
    ("12 pro Seite", 12, (PER_SIDE,)), ("10 por lado", 10, (PER_SIDE,)), ("8-10/side", 8, (RANGE, PER_SIDE)),
    ("10 (assisted)", 10, (REMARK,)),
])
def test_one_set_cells_by_hand(text: str, reps, kinds) -> None:
    cell = read_reps(text)
    assert (cell.reps, cell.kinds, cell.items) == (reps, kinds, ())


def test_words_in_brackets_are_the_remark() -> None:
    assert read_reps("10 (assisted)").remark == "assisted"


@pytest.mark.parametrize("text, items, kinds", [
    ("8,8,7", ("8", "8", "7"), (SETS,)), ("8/8/7", ("8", "8", "7"), (SETS,)), ("10 10 8", ("10", "10", "8"), (SETS,)),
    ("5; 5; 4", ("5", "5", "4"), (SETS,)), ("10/10/AMRAP", ("10", "10", "AMRAP"), (SETS, NO_COUNT)),
    ("3x10", ("10", "10", "10"), (SCHEME,)), ("2 x 8-10", ("8-10", "8-10"), (SCHEME, RANGE)),
])
def test_cells_holding_several_sets(text: str, items, kinds) -> None:
    assert read_reps(text) == RepsCell(None, kinds, items)


@pytest.mark.parametrize("text", ["10 kg", "many", "8.5", "-1", "8-10 kg", "ten"])
def test_cells_that_are_no_count_stay_errors(text: str) -> None:
    # "10 kg" in a reps column is no 10 reps: a word no reps cell holds is never read past
    with pytest.raises(ValueError, match="reps"):
        read_reps(text)


def test_empty_cell_is_no_count() -> None:
    assert read_reps("  ") == RepsCell(None)


# --- through the readers: the report counts each kind with its first place ---------------------------------
GENERIC = """Date,Exercise,Weight (kg),Reps
2024-03-01,Squat,100,5
2024-03-01,Bench Press,100,8-10
2024-03-01,Bench Press,100,8 to 10
2024-03-03,Split Squat,40,10/side
2024-03-03,Pull-up,,AMRAP
2024-03-03,Curl,20,"8,8,7"
2024-03-03,Dip,,10 (assisted)
2024-03-03,Row,60,5+
2024-03-03,Lunge,20,3x10
"""


def test_generic_reads_each_kind_and_reports_it(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text(GENERIC)
    p = parse_file("csv", f)
    # 1 squat + 2 bench + 1 split squat + 1 pull-up + 3 curls + 1 dip + 1 row + 3 lunges = 13 sets
    assert reps_by_exercise(p) == {"Squat": [5], "Bench Press": [8, 8], "Split Squat": [10], "Pull-up": [None],
                                   "Curl": [8, 8, 7], "Dip": [10], "Row": [5], "Lunge": [10, 10, 10]}
    bench = [w for w in sets_of(p) if w[0] == "Bench Press"]
    assert [w[5] for w in bench] == [100.0, 100.0]  # the load is the row's own
    assert line_with(p.warnings, "a range such as").startswith(f"2 reps cells hold a range such as '8-10' (first at {f}:3)")
    assert f"(first at {f}:5)" in line_with(p.warnings, "per side")
    assert f"1 reps cell says 'AMRAP' with no number (first at {f}:6)" in line_with(p.warnings, "with no number")
    assert f"'8,8,7' (first at {f}:7): one set per entry" in line_with(p.warnings, "several sets in one cell")
    assert f"'10 (assisted)' (first at {f}:8)" in line_with(p.warnings, "brackets")
    assert f"'5+' (first at {f}:9)" in line_with(p.warnings, "with a plus")
    assert p.refused == []


def test_a_plain_log_reports_nothing_about_reps(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100,5\n2024-03-01,Squat,100,5 reps\n")
    p = parse_file("csv", f)
    assert not [w for w in p.warnings if "reps cell" in w]


def test_a_range_imports_its_lower_end(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100,5\n2024-03-01,Bench Press,100,8-10\n")
    r = import_file(ana, "ana", "auto", f)
    assert r.sets_new == 2
    assert any("1 reps cell holds a range such as '8-10'" in w and f"{f}:3" in w for w in r.warnings)
    athlete = ana.get_athlete("ana")
    stored = [(w.exercise, w.weight_kg, w.reps) for s in ana.sessions(athlete.id) for w in s.sets]
    assert ("Bench Press", 100.0, 8) in stored


STRONG = ("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes\n"
          "2024-03-01 18:02:00,Push,Bench Press (Barbell),1,100,8-10,,,,\n"
          "2024-03-01 18:02:00,Push,Bench Press (Barbell),2,100,\"8,8,7\",,,,\n"
          "2024-03-01 18:02:00,Push,Bench Press (Barbell),3,100,AMRAP,,,,\n"
          "2024-03-01 18:02:00,Push,Bench Press (Barbell),4,100,6,,,,\n")


def test_strong_refuses_only_the_row_holding_several_sets(tmp_path: Path) -> None:
    f = tmp_path / "strong.csv"
    f.write_text(STRONG)
    p = parse_file("strong", f, mapping={"unit": "kg"})
    # a row per set: "8,8,7" cannot be one set, so that row alone is refused (listed), the other three import
    assert [w[6] for w in sets_of(p)] == [8, None, 6]
    assert len(p.refused) == 1 and p.refused[0].startswith(f"{f}:3: reps '8,8,7' holds 3 sets in one cell")
    assert f"(first at {f}:2)" in line_with(p.warnings, "a range such as")
    assert f"(first at {f}:4)" in line_with(p.warnings, "with no number")


def test_hevy_reads_a_range(tmp_path: Path) -> None:
    f = tmp_path / "hevy.csv"
    f.write_text('title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,'
                 'set_type,weight_kg,reps,distance_km,duration_seconds,rpe\n'
                 '"Push","1 Mar 2024, 18:00","1 Mar 2024, 19:00","","Bench Press (Barbell)",,"",0,normal,100,6-8,,,\n'
                 '"Push","1 Mar 2024, 18:00","1 Mar 2024, 19:00","","Bench Press (Barbell)",,"",1,normal,100,6,,,\n')
    p = parse_file("hevy", f)
    assert [w[6] for w in sets_of(p)] == [6, 6]
    assert f"'6-8' (first at {f}:2)" in line_with(p.warnings, "a range such as")


def test_fitnotes_reads_a_per_side_count(tmp_path: Path) -> None:
    f = tmp_path / "fitnotes.csv"
    f.write_text("Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time\n"
                 "2024-03-01,Bulgarian Split Squat,Legs,20,10 each,,,\n"
                 "2024-03-01,Bulgarian Split Squat,Legs,20,10,,,\n")
    p = parse_file("fitnotes", f)
    assert [w[6] for w in sets_of(p)] == [10, 10]
    assert f"'10 each' (first at {f}:2)" in line_with(p.warnings, "per side")


def test_a_wide_sheet_reads_ranges_in_its_set_columns(tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    f.write_text("Date,Exercise,Set 1 Weight,Set 1 Reps,Set 2 Weight,Set 2 Reps\n"
                 "2024-03-01,Squat,100,5,100,5\n"
                 "2024-03-01,Bench Press,80,8-10,80,AMRAP\n")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert reps_by_exercise(p) == {"Squat": [5, 5], "Bench Press": [8, None]}
    assert f"(first at {f}:3)" in line_with(p.warnings, "a range such as")
    assert f"(first at {f}:3)" in line_with(p.warnings, "with no number")


def test_a_wide_sheet_bare_set_cells_read_as_reps_take_ranges(tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    f.write_text("Date,Exercise,Weight (kg),Set 1,Set 2,Set 3\n2024-03-01,Curl,20,12,10-12,8+\n")
    p = parse_file("csv", f)
    assert reps_by_exercise(p) == {"Curl": [12, 10, 8]}


def test_loads_listed_with_a_range_of_reps(tmp_path: Path) -> None:
    # one range for every set of a load list: each set stores the lower end, the cell is counted once
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100/105/110,6-8\n")
    p = parse_file("csv", f)
    assert [(w[5], w[6]) for w in sets_of(p)] == [(100.0, 6), (105.0, 6), (110.0, 6)]
    assert line_with(p.warnings, "a range such as").startswith("1 reps cell holds a range")


def test_an_unreadable_reps_cell_still_names_its_line(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100,5\n2024-03-01,Squat,100,10 kg\n")
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:3" and "10 kg" in e.value.message


def test_the_words_come_from_the_vocabulary_file() -> None:
    from peri.log.importers.dialect import vocabulary

    words = vocabulary()["reps_cells"]
    # the data file, not code, holds the words, folded as the headers are ("e/s" -> "e s")
    assert {"amrap", "max"} <= words["no_count"] and {"each", "e s", "per leg"} <= words["per_side"]
    assert "bis" in words["range_words"] and "wdh" in words["reps"]


def test_a_file_whose_every_row_is_refused_is_refused_whole(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "strong.csv"
    f.write_text(STRONG.split("\n")[0] + "\n" + "2024-03-01 18:02:00,Push,Bench Press (Barbell),1,100,\"8,8,7\",,,,\n")
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "strong", f, mapping={"unit": "kg"})
    assert "nothing in the file could be read: 1 rows refused" in e.value.message and e.value.place == str(f)
    assert ana.sessions(ana.get_athlete("ana").id) == []


def test_one_cell_sets_with_a_range_a_plus_or_per_side(tmp_path: Path) -> None:
    # "80x8-10" is a load and a range, "80 kg x 6+" a load and at least 6, "20x10 each" a load and 10 a side
    f = tmp_path / "wide.csv"
    f.write_text("Date,Exercise,Set 1,Set 2,Set 3\n"
                 "2024-03-01,Squat,100x5,100x5,100x5\n"
                 "2024-03-01,Bench,80x8-10,80 kg x 6+,80x5\n"
                 "2024-03-01,Lunge,20x10/side,20x10 each,\n")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(w[0], w[5], w[6]) for w in sets_of(p)] == [
        ("Squat", 100.0, 5), ("Squat", 100.0, 5), ("Squat", 100.0, 5),
        ("Bench", 80.0, 8), ("Bench", 80.0, 6), ("Bench", 80.0, 5), ("Lunge", 20.0, 10), ("Lunge", 20.0, 10)]
    assert f"'8-10' (first at {f}:3)" in line_with(p.warnings, "a range such as")
    assert line_with(p.warnings, "per side").startswith(f"2 reps cells give the count per side such as '10/side' "
                                                        f"(first at {f}:4)")


def test_a_one_cell_set_with_a_unit_on_the_count_is_still_refused(tmp_path: Path) -> None:
    # "100 kg x 5 kg" names no count: the wide reader's own refusal stands
    f = tmp_path / "wide.csv"
    f.write_text("Date,Exercise,Set 1,Set 2\n2024-03-01,Squat,100 kg x 5 kg,100x5\n")
    with pytest.raises(ImportFormatError, match="unit on both sides"):
        parse_file("csv", f)
