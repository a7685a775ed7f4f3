"""A set written whole in one cell ("100 x 8", "8-10 @ 100", "3x8 @ 60", "60 kg × 5 × 3", "225 lb x 5") in a
Sets, Sets x Reps or Reps column, in a list in one cell, and in a wide sheet's "Set N" columns; and the words
kept from a reps cell's brackets ("10 (assisted)") as the set's note.

The policy (`peri.log.importers.setcell`, `data/import_vocabulary.yaml` `set_cells`): the load is the side with
a unit, else the number that cannot be a count; a unit in the cell wins over the file's; a count is read by
`read_reps` (a range's lower end); a cell that reads two ways is refused with its row, never guessed; the report
counts each writing with its first FILE:LINE. Expected values are worked out by hand from the rows below.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.errors import ImportFormatError
from peri.log.importers import import_file, parse_file
from peri.log.importers.setcell import (
    COUNT_AT,
    LOAD_REPS,
    REPS_LOAD,
    SCHEME_AT,
    THREE,
    read_set_cell,
    with_remark,
)
from peri.log.importers.base import RowRefused
from peri.log.importers.wide import SetCell, resolve_cell
from peri.log.store import Store
from test_importers_unseen import LB225_KG, ana, sets_of  # noqa: F401  (the `ana` fixture)


def rows(parsed) -> list[tuple]:
    """(exercise, load as logged, unit, kg, reps) of every set."""
    return [(w[0], w[3], w[4], w[5], w[6]) for w in sets_of(parsed)]


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


# --- one cell ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, cell", [
    ("100kg x 8", SetCell("100kg", "8", "load-reps", shape=LOAD_REPS)),
    ("225 lb x 5", SetCell("225 lb", "5", "load-reps", shape=LOAD_REPS)),
    ("100 x 8", SetCell("100", "8", "load-reps", shape=LOAD_REPS)),  # 100 is no count of sets: the load
    ("62,5 x 5", SetCell("62,5", "5", "load-reps", shape=LOAD_REPS)),  # fractional: a load
    ("8 @ 100 kg", SetCell("8", "100 kg", "reps-load", shape=COUNT_AT)),
    ("8-10 @ 100", SetCell("8-10", "100", "reps-load", shape=COUNT_AT)),
    ("5 reps @ BW", SetCell("5 reps", "BW", "reps-load", shape=COUNT_AT)),
    ("3x8 @ 60", SetCell("60", "8", "load-reps", sets=3, shape=SCHEME_AT)),  # 60 > 10: no RPE, a load
    ("2 x 8-10 @ 60 kg", SetCell("60 kg", "8-10", "load-reps", sets=2, shape=SCHEME_AT)),
    ("60 kg × 5 × 3", SetCell("60 kg", "5", "load-reps", sets=3, shape=THREE)),
    ("135x5x3", SetCell("135", "5", "load-reps", sets=3, shape=THREE)),  # 135 cannot be a count: load first
    ("3 x 5 x 100kg", SetCell("100kg", "5", "load-reps", sets=3, shape=THREE)),  # load last: sets x reps x load
    ("100x5@8", SetCell("100", "5", "load-reps", rpe=8.0, shape=LOAD_REPS)),  # 100 is no count of sets: RPE 8
])
def test_whole_set_cells_in_a_sets_or_reps_column(text: str, cell: SetCell) -> None:
    assert read_set_cell(text, one_set=False) == cell


@pytest.mark.parametrize("text", ["8", "8-10", "5+", "3x10", "5x5", "10 x 10", "AMRAP", "", "8,8,7", "Squat"])
def test_counts_and_schemes_are_no_whole_set(text: str) -> None:
    # read as before by `read_reps`: "3x10" stays three sets of 10 in a Sets or Reps column
    assert read_set_cell(text, one_set=False) is None


def test_a_bare_pair_beside_a_weight_column_is_a_scheme() -> None:
    # the row gives its load in its own column: "12 x 10" there is no load, it is read as before (a scheme)
    assert read_set_cell("12 x 10", one_set=False, row_load=True) is None
    assert read_set_cell("12 x 10", one_set=False) == SetCell("12", "10", "load-reps", shape=LOAD_REPS)


@pytest.mark.parametrize("text, why, two_ways", [
    ("3x8 @ 8", "reads two ways: 3 sets of 8 at 8, or 3 x 8 at RPE 8", True),
    ("5x5x5", "which is the load cannot be told", True),
    ("5 x 100 kg x 5 kg", "which is the load cannot be told", True),
    ("100kg x 5 x 40", "'5' x '40' is no count of reps and of sets", False),
])
def test_cells_that_read_two_ways_or_none_are_refused(text: str, why: str, two_ways: bool) -> None:
    # a cell that reads two ways refuses its row alone (RowRefused); one that reads none is an error of the file
    with pytest.raises(ValueError, match=why) as e:
        read_set_cell(text, one_set=False)
    assert isinstance(e.value, RowRefused) is two_ways


def test_in_a_sets_own_column_a_small_number_after_at_stays_an_rpe() -> None:
    # "Set 2" holds one set: 3 x 8 at RPE 8 (which side is the load the file decides, `wide.decide_order`)
    assert read_set_cell("3x8@8", one_set=True) == SetCell("3", "8", "either", rpe=8.0, shape=LOAD_REPS)


# --- files ---------------------------------------------------------------------------------------
def test_a_reps_column_holding_whole_sets(tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Reps\n"
                        "2024-03-01,Squat,100kg x 8\n"
                        "2024-03-01,Bench,8-10 @ 80 kg\n"
                        "2024-03-01,Row,225 lb x 5\n"
                        "2024-03-01,Pull-up,BW x 12\n")
    p = parse_file("csv", f)
    assert rows(p) == [("Squat", 100.0, "kg", 100.0, 8), ("Bench", 80.0, "kg", 80.0, 8),
                       ("Row", 225.0, "lb", LB225_KG, 5), ("Pull-up", None, None, None, 12)]
    said = [w for w in p.warnings if "write a whole set as load x reps" in w]
    assert len(said) == 1 and said[0].startswith("3 cells") and f"(first at {f}:2)" in said[0]
    assert any(w.startswith("1 cell writes a whole set as reps @ load") and f"{f}:3" in w for w in p.warnings)
    assert any("a range such as '8-10'" in w for w in p.warnings)  # the range's lower end, said as everywhere


def test_a_single_sets_column_with_schemes_at_a_load_and_lists(tmp_path: Path) -> None:
    # no Weight or Reps column: the Sets column holds everything
    f = write(tmp_path, "Date,Exercise,Sets\n"
                        "2024-03-01,Squat,3x5 @ 100 kg\n"
                        "2024-03-01,Bench,60 kg × 8 × 2\n"
                        "2024-03-01,Row,70x10; 75x8; 80x6\n")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(e, kg, r) for e, _, _, kg, r in rows(p)] == [
        ("Squat", 100.0, 5), ("Squat", 100.0, 5), ("Squat", 100.0, 5),
        ("Bench", 60.0, 8), ("Bench", 60.0, 8),
        ("Row", 70.0, 10), ("Row", 75.0, 8), ("Row", 80.0, 6)]
    assert [w[2] for w in sets_of(p)] == [1, 2, 3, 1, 2, 1, 2, 3]  # numbered within each exercise


def test_a_bare_load_takes_the_files_unit_and_a_unit_in_the_cell_wins(tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Sets x Reps,Unit\n"
                        "2024-03-01,Squat,3x5 @ 100,lb\n"
                        "2024-03-01,Bench,3x5 @ 100 kg,lb\n")
    p = parse_file("csv", f)
    assert [(e, u, kg) for e, _, u, kg, _ in rows(p)] == [("Squat", "lb", 45.3592)] * 3 + [("Bench", "kg", 100.0)] * 3


def test_a_scheme_without_a_load_is_read_as_before(tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Weight,Sets x Reps\n2024-03-01,Squat,100,3x5\n2024-03-01,Bench,60,12 x 10\n")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    # a weight column on the row: "12 x 10" is 12 sets of 10 there, as before, not a load of 12
    assert [(e, kg, r) for e, _, _, kg, r in rows(p)] == [("Squat", 100.0, 5)] * 3 + [("Bench", 60.0, 10)] * 12


def test_two_loads_on_one_row_refuse_that_row_alone(tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Weight,Reps\n"
                        "2024-03-01,Squat,100,100 x 5\n"   # the same load twice: read
                        "2024-03-01,Squat,100,110 x 5\n"   # two loads: refused
                        "2024-03-01,Squat,100,5\n")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(kg, r) for _, _, _, kg, r in rows(p)] == [(100.0, 5), (100.0, 5)]
    assert len(p.refused) == 1 and p.refused[0].startswith(f"{f}:3: reps '110' is a load")


def test_an_ambiguous_cell_refuses_its_row_alone_naming_its_line(ana: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Sets\n2024-03-01,Squat,3x5 @ 100 kg\n2024-03-03,Squat,3x8 @ 8\n"
                        "2024-03-05,Squat,5x5x5\n")
    r = import_file(ana, "ana", "auto", f)
    assert r.sets_new == 3  # the first row's three sets; the two rows that read two ways are listed, not guessed
    assert [x.split(": ", 1)[0] for x in r.refused] == [f"{f}:3", f"{f}:4"]
    assert "reads two ways" in r.refused[0] and "cannot be told" in r.refused[1]


def test_a_file_of_only_ambiguous_cells_is_refused_whole(ana: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Sets\n2024-03-03,Squat,3x8 @ 8\n")
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", f)
    assert "reads two ways" in str(e.value) and "\n" not in str(e.value)
    assert ana.sessions(ana.get_athlete("ana").id) == []  # nothing written


def test_a_wide_sheet_with_ranges_at_a_load_and_schemes_in_its_set_cells(tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Set 1,Set 2\n"
                        "2024-03-01,Squat,8-10 @ 100 kg,6 @ 100 kg\n"
                        "2024-03-01,Bench,3x8 @ 60 kg,\n"
                        "2024-03-01,Row,60 kg × 10 × 2,70kg x 8\n")
    p = parse_file("csv", f)
    assert [(e, kg, r) for e, _, _, kg, r in rows(p)] == [
        ("Squat", 100.0, 8), ("Squat", 100.0, 6), ("Bench", 60.0, 8), ("Bench", 60.0, 8), ("Bench", 60.0, 8),
        ("Row", 60.0, 10), ("Row", 60.0, 10), ("Row", 70.0, 8)]
    assert any(w.startswith("1 cell writes a whole set as sets x reps @ load") and f"{f}:3" in w for w in p.warnings)


def test_a_whole_set_in_the_reps_column_imports_through_the_store(ana: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Reps\n2024-03-01,Squat,100kg x 8\n2024-03-01,Squat,3x5 @ 110 kg\n")
    r = import_file(ana, "ana", "auto", f)
    assert r.sets_new == 4
    stored = [(w.weight_kg, w.reps) for s in ana.sessions(ana.get_athlete("ana").id) for w in s.sets]
    assert stored == [(100.0, 8), (110.0, 5), (110.0, 5), (110.0, 5)]


# --- words kept from a reps cell -------------------------------------------------------------------
def test_with_remark_by_hand() -> None:
    assert with_remark(None, "10 (assisted)") == "assisted"
    assert with_remark("felt heavy", "10 (assisted)") == "felt heavy; assisted"
    assert with_remark("assisted by Tom", "10 (assisted)") == "assisted by Tom"  # already said: not twice
    assert with_remark("felt heavy", "10") == "felt heavy"
    assert with_remark(None, "8 (each side)") is None  # a per-side word is read, not a remark
    long = "felt a twinge in my left shoulder on the last rep, stopped there and iced it for twenty minutes"
    assert with_remark(None, f"6 ({long})") == long  # kept whole, however long


def test_bracketed_words_are_kept_as_the_sets_note_and_its_annotations(ana: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Weight (kg),Reps,Notes\n"
                        "2024-03-01,Bench Press,80,8,\n"
                        "2024-03-01,Bench Press,80,6 (aggravated my shoulder),\n"
                        "2024-03-01,Pull-up,,10 (assisted),band\n")
    r = import_file(ana, "ana", "auto", f)
    athlete = ana.get_athlete("ana")
    notes = [(w.exercise, w.reps, w.note) for s in ana.sessions(athlete.id) for w in s.sets]
    assert notes == [("Bench Press", 8, None), ("Bench Press", 6, "aggravated my shoulder"),
                     ("Pull-up", 10, "band; assisted")]
    assert any("kept as the set's note" in w for w in r.warnings)
    shoulder = [a for a in ana.annotations(athlete.id) if a.text == "aggravated my shoulder"]
    assert len(shoulder) == 1 and "aggravated" in shoulder[0].tags and shoulder[0].regions == ["shoulder"]


def test_strong_hevy_and_fitnotes_keep_the_words_too(tmp_path: Path) -> None:
    strong = write(tmp_path, "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
                             "Workout Notes\n2024-03-01 18:02:00,Push,Dip,1,0,10 (assisted),,,,\n", "strong.csv")
    fitnotes = write(tmp_path, "Date,Exercise,Category,Weight (kg),Reps,Distance,Distance Unit,Time,Comment\n"
                               "2024-03-01,Dip,Chest,0,10 (assisted),,,,slow\n", "fitnotes.csv")
    hevy = write(tmp_path, 'title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,'
                           'set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe\n'
                           '"Push","1 Mar 2024, 18:02","1 Mar 2024, 19:00","","Dip","","","0","normal","","10 (assisted)"'
                           ',"","",""\n', "hevy.csv")
    assert [w[12] for w in sets_of(parse_file("strong", strong, mapping={"unit": "kg"}))] == ["assisted"]
    assert [w[12] for w in sets_of(parse_file("fitnotes", fitnotes))] == ["slow; assisted"]
    assert [w[12] for w in sets_of(parse_file("hevy", hevy))] == ["assisted"]


@pytest.mark.parametrize("column", ["Weight x Reps", "Load x Reps", "kg x reps", "Sets x Reps @ Weight"])
def test_a_column_named_for_whole_sets_is_read_by_its_name(tmp_path: Path, column: str) -> None:
    f = write(tmp_path, f"Date,Exercise,{column}\n2024-03-01,Squat,100 kg x 5\n2024-03-01,Bench,3x8 @ 60 kg\n")
    p = parse_file("csv", f)
    assert [(e, kg, r) for e, _, _, kg, r in rows(p)] == [("Squat", 100.0, 5)] + [("Bench", 60.0, 8)] * 3
    assert any(f"{column!r} as sets" in w for w in p.warnings)


@pytest.mark.parametrize("text, cell", [
    ("100 kg 3x8", SetCell("100 kg", "8", "load-reps", sets=3, shape=SCHEME_AT)),
    ("60kg: 5x5", SetCell("60kg", "5", "load-reps", sets=5, shape=SCHEME_AT)),
    ("3x8 100 kg", SetCell("100 kg", "8", "load-reps", sets=3, shape=SCHEME_AT)),
    ("100 3x8", SetCell("100", "8", "load-reps", sets=3, shape=SCHEME_AT)),  # 100 cannot be a count
    ("100kg 3x8-10", SetCell("100kg", "8-10", "load-reps", sets=3, shape=SCHEME_AT)),
    ("5 x 62.5", SetCell("5", "62.5", "reps-load", shape=REPS_LOAD)),  # 62.5 is no count of reps
])
def test_a_load_beside_a_scheme_and_reps_before_a_fractional_load(text: str, cell: SetCell) -> None:
    assert read_set_cell(text, one_set=False) == cell


@pytest.mark.parametrize("text", ["8 3x8", "3x8 8"])  # 8 may be a load or a count: no whole set, the cell errs
def test_a_small_bare_number_beside_a_scheme_is_no_load(text: str) -> None:
    assert read_set_cell(text, one_set=False) is None


# --- generated writings: read exactly, or refused - never read as another set ------------------------------------
WRITINGS = {  # writing -> whether it states a count of sets
    "{L}{u} x {R}": False, "{L}{u}x{R}": False, "{R} @ {L}{u}": False, "{R}@{L}{u}": False, "{R} reps @ {L}{u}": False,
    "{N}x{R} @ {L}{u}": True, "{N} x {R}@{L}{u}": True, "{L}{u} × {R} × {N}": True, "{L}{u} {N}x{R}": True,
    "{N}x{R} {L}{u}": True,
}


@st.composite
def written_set(draw):
    unit = draw(st.sampled_from(["kg", " kg", "lb", " lbs", ""]))
    whole = draw(st.booleans())
    # a bare load must be one no count can be (over 30, or fractional); with a unit any load reads
    low = 0.5 if unit else 30.5
    load = draw(st.integers(int(low) + 1, 400)) if whole else draw(st.integers(int(low * 2) + 1, 800)) / 2
    if not whole and load == int(load):
        load += 0.5
    reps, sets = draw(st.integers(1, 30)), draw(st.integers(1, 10))
    writing = draw(st.sampled_from(sorted(WRITINGS)))
    text = writing.format(L=f"{load:g}", u=unit, R=reps, N=sets)
    return text, load, unit.strip() or None, reps, sets if WRITINGS[writing] else 1


@settings(max_examples=300, deadline=None)
@given(written_set(), st.booleans())
def test_generated_whole_sets_read_exactly(case, one_set: bool) -> None:
    text, load, unit, reps, sets = case
    c = read_set_cell(text, one_set=one_set)
    assert c is not None, text
    weight, cell_unit, got = resolve_cell(c, "load-reps" if c.order == "either" else c.order)
    expected_unit = {"kg": "kg", "lb": "lb", "lbs": "lb"}.get(unit or "")
    assert (weight, cell_unit, got, c.sets) == (load, expected_unit, reps, sets), text


def test_an_effort_in_the_brackets_is_read_as_from_a_note(tmp_path: Path) -> None:
    strong = write(tmp_path, "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
                             "Workout Notes\n2024-03-01 18:02:00,Legs,Squat,1,100,8 (RPE 9),,,,\n", "strong.csv")
    generic = write(tmp_path, "Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100,8 (RPE 9)\n")
    for p in (parse_file("strong", strong, mapping={"unit": "kg"}), parse_file("csv", generic)):
        assert [(w[6], w[7], w[12]) for w in sets_of(p)] == [(8, 9.0, "RPE 9")]


def test_a_lone_set_column_holds_whole_sets_when_nothing_else_gives_them(tmp_path: Path) -> None:
    f = write(tmp_path, "Date,Exercise,Set\n2024-03-01,Squat,100 kg x 5\n2024-03-01,Squat,105 kg x 3\n")
    p = parse_file("csv", f)
    assert [(kg, r) for _, _, _, kg, r in rows(p)] == [(100.0, 5), (105.0, 3)]
    assert any("'Set' as sets" in w for w in p.warnings)
    # beside Weight and Reps a "Set" column numbers the sets (or marks them): it stays unread, as before
    f = write(tmp_path, "Date,Exercise,Set,Weight (kg),Reps\n2024-03-01,Squat,W,60,5\n2024-03-01,Squat,1,100,5\n")
    p = parse_file("csv", f)
    assert [(kg, r) for _, _, _, kg, r in rows(p)] == [(60.0, 5), (100.0, 5)]
    assert any("not read: 'Set'" in w for w in p.warnings)
