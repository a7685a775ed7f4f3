"""Spreadsheet layouts no app writes: wide "Set 1 ... Set N" sheets (one row per exercise per session) and a
bare "Time" or "Duration" column whose meaning only its values tell. Every expected set below is worked out
by hand from the file written in the test."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.errors import ImportFormatError, PeriError
from peri.log.importers import import_file, parse_file
from peri.log.importers.timecol import classify
from peri.log.importers.wide import find_groups, read_cell
from peri.log.models import Athlete
from peri.log.store import Store

LB = 0.45359237


def sets_of(parsed) -> list[tuple]:
    """(exercise, order, weight, unit, weight_kg, reps, rpe) of every set, in file order."""
    return [(w[0], w[2], w[3], w[4], w[5], w[6], w[7]) for s in parsed.sessions for w in s.sets]


def _file(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    f = tmp_path / name
    f.write_text(text)
    return f


# --- wide sheets ---------------------------------------------------------------------------------------------
def test_a_group_of_columns_per_set(tmp_path: Path) -> None:
    f = _file(tmp_path, "Date,Exercise,Set 1 Weight,Set 1 Reps,Set 2 Weight,Set 2 Reps,Set 3 Weight,Set 3 Reps\n"
                        "2024-03-01,Squat,100,5,102.5,5,,\n"
                        "2024-03-01,Bench Press,80,8,80,7,80,6\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    # an empty group (Squat's set 3) is no set
    assert sets_of(parsed) == [
        ("Squat", 1, 100.0, "kg", 100.0, 5, None), ("Squat", 2, 102.5, "kg", 102.5, 5, None),
        ("Bench Press", 1, 80.0, "kg", 80.0, 8, None), ("Bench Press", 2, 80.0, "kg", 80.0, 7, None),
        ("Bench Press", 3, 80.0, "kg", 80.0, 6, None)]
    assert any("3 numbered column groups" in w for w in parsed.warnings)


def test_one_cell_per_set_in_each_writing(tmp_path: Path) -> None:
    f = _file(tmp_path, "Date,Exercise,Set 1,Set 2,Set 3,Notes\n"
                        "2024-03-01,Squat,100x5,102.5 kg x 5,,felt good\n"
                        "2024-03-01,Bench Press,5@80,5 reps @ 82.5,4@85,\n"
                        "2024-03-01,Pull-up,BWx12,BW+10x8,,\n"
                        "2024-03-01,Row,60x10@8,225 lbs x 3,,\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert sets_of(parsed) == [
        ("Squat", 1, 100.0, "kg", 100.0, 5, None), ("Squat", 2, 102.5, "kg", 102.5, 5, None),
        ("Bench Press", 1, 80.0, "kg", 80.0, 5, None), ("Bench Press", 2, 82.5, "kg", 82.5, 5, None),
        ("Bench Press", 3, 85.0, "kg", 85.0, 4, None),
        # bodyweight: no load; BW+10: 10 kg added
        ("Pull-up", 1, None, None, None, 12, None), ("Pull-up", 2, 10.0, "kg", 10.0, 8, None),
        # "@8" after load x reps is the RPE; a unit in the cell wins over the file's: 225 lb = 102.0583 kg
        ("Row", 1, 60.0, "kg", 60.0, 10, 8.0), ("Row", 2, 225.0, "lb", round(225 * LB, 4), 3, None)]
    # the row's note is said once, with its first set
    assert [w[12] for s in parsed.sessions for w in s.sets][:2] == ["felt good", None]


def test_a_bare_number_per_set_takes_the_rows_other_column(tmp_path: Path) -> None:
    # Weight on the row, reps in each set's cell
    f = _file(tmp_path, "Date,Exercise,Weight,Set 1,Set 2,Set 3\n2024-03-01,Squat,100,5,5,4\n2024-03-01,Curl,12.5,12,10,\n")
    assert sets_of(parse_file("csv", f, mapping={"unit": "kg"})) == [
        ("Squat", 1, 100.0, "kg", 100.0, 5, None), ("Squat", 2, 100.0, "kg", 100.0, 5, None),
        ("Squat", 3, 100.0, "kg", 100.0, 4, None), ("Curl", 1, 12.5, "kg", 12.5, 12, None),
        ("Curl", 2, 12.5, "kg", 12.5, 10, None)]
    # Reps on the row, the load in each set's cell
    f = _file(tmp_path, "Date,Exercise,Reps,Set 1,Set 2\n2024-03-01,Squat,5,100,105\n")
    assert sets_of(parse_file("csv", f, mapping={"unit": "kg"})) == [
        ("Squat", 1, 100.0, "kg", 100.0, 5, None), ("Squat", 2, 105.0, "kg", 105.0, 5, None)]
    # neither: a bare number could be either, and the line says so
    f = _file(tmp_path, "Date,Exercise,Set 1,Set 2\n2024-03-01,Squat,100,105\n")
    with pytest.raises(ImportFormatError, match=r"log\.csv:2: set 1 '100' is neither WEIGHTxREPS"):
        parse_file("csv", f, mapping={"unit": "kg"})


def test_trailing_numbers_another_language_and_a_sets_column(tmp_path: Path) -> None:
    f = _file(tmp_path, "Datum;Übung;Sätze;Gewicht 1;Wdh 1;Gewicht 2;Wdh 2;RPE 2\n"
                        "01.03.2024;Kniebeuge;3;100;5;100,5;4;9\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    # the Sätze column is the plan (3), the groups what was done (2 sets); RPE only on set 2
    assert sets_of(parsed) == [("Kniebeuge", 1, 100.0, "kg", 100.0, 5, None),
                               ("Kniebeuge", 2, 100.5, "kg", 100.5, 4, 9.0)]


def test_reps_written_first_are_told_by_the_files_numbers(tmp_path: Path) -> None:
    # 5x100: 100 cannot be a rep count here (over 30), so this file writes reps x load; 10x12 could be either
    # way and follows the file
    f = _file(tmp_path, "Date,Exercise,Set 1,Set 2\n2024-03-01,Squat,5x100,5x102.5\n2024-03-01,Curl,10x12,8x12\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(e, w, r) for e, _, w, _, _, r, _ in sets_of(parsed)] == [
        ("Squat", 100.0, 5), ("Squat", 102.5, 5), ("Curl", 12.0, 10), ("Curl", 12.0, 8)]
    assert any("read as reps x load" in w for w in parsed.warnings)
    # the usual writing, load x reps: 10x12 is 10 kg for 12
    f = _file(tmp_path, "Date,Exercise,Set 1,Set 2\n2024-03-01,Squat,100x5,102.5x5\n2024-03-01,Curl,10x12,8x12\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(e, w, r) for e, _, w, _, _, r, _ in sets_of(parsed)] == [
        ("Squat", 100.0, 5), ("Squat", 102.5, 5), ("Curl", 10.0, 12), ("Curl", 8.0, 12)]


def test_a_wide_sheet_without_a_unit_gets_one_inferred_and_stores_what_it_reports(store: Store,
                                                                                     tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="ana"))
    rows = "".join(f"2024-03-{d:02d},Squat,225x5,225x5,225x5\n2024-03-{d:02d},Bench,185x5,185x5,\n"
                   for d in range(1, 25, 3))
    f = _file(tmp_path, "Date,Exercise,Set 1,Set 2,Set 3\n" + rows)
    report = import_file(store, "ana", "csv", f)
    # 185 and 225 are 45 lb bar-and-plate landmarks: pounds; 225 lb is stored as 102.0583 kg, 185 lb as 83.9146
    assert (report.unit, report.unit_source, report.sets_new) == ("lb", "inferred", 40)
    first = store.sessions(store.get_athlete("ana").id)[0]
    assert [w.weight_kg for w in first.sets] == [102.0583] * 3 + [83.9146] * 2


def test_a_bad_set_cell_names_its_line_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="ana"))
    before = store.dump()
    f = _file(tmp_path, "Date,Exercise,Weight,Set 1,Set 2\n2024-03-01,Squat,100,5,5\n2024-03-02,Squat,100,5,five\n")
    with pytest.raises(ImportFormatError) as e:
        import_file(store, "ana", "csv", f, mapping={"unit": "kg"})
    assert e.value.place == f"{f}:3" and "five" in e.value.message
    assert store.dump() == before


@pytest.mark.parametrize("header,groups", [
    (["Date", "Exercise", "Set 1 Weight", "Set 1 Reps", "Set 2 Weight", "Set 2 Reps"],
     [(1, {"weight": 2, "reps": 3}), (2, {"weight": 4, "reps": 5})]),
    (["Date", "Exercise", "S1 Reps", "S2 Reps", "Weight"], [(1, {"reps": 2}), (2, {"reps": 3})]),
    (["Date", "Exercise", "1st set", "2nd set"], [(1, {"cell": 2}), (2, {"cell": 3})]),
    (["Date", "Exercise", "set1_kg", "set1_reps", "set2_kg", "set2_reps"],
     [(1, {"weight_kg": 2, "reps": 3}), (2, {"weight_kg": 4, "reps": 5})]),
    (["Date", "Exercise", "Serie 1", "Serie 2", "Serie 3"], [(1, {"cell": 2}), (2, {"cell": 3}), (3, {"cell": 4})]),
    # not wide: one numbered column, a Strong header, notes only, a week number
    (["Date", "Exercise", "Weight 2", "Reps"], []),
    (["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Reps"], []),
    (["Date", "Exercise", "Note 1", "Note 2", "Weight", "Reps"], []),
    (["Week 1", "Week 2", "Exercise", "Weight", "Reps"], []),
])
def test_which_headers_are_wide(header: list[str], groups: list) -> None:
    assert [(g.number, g.columns) for g in find_groups(header)] == groups


@pytest.mark.parametrize("cell,read", [
    ("100x5", ("100", "5", "either", None)), ("100 kg x 5", ("100 kg", "5", "load-reps", None)),
    ("5@100", ("5", "100", "reps-load", None)), ("100 x 5 reps", ("100", "5", "load-reps", None)),
    ("5 x 100 kg", ("5", "100 kg", "reps-load", None)), ("100x5@8.5", ("100", "5", "either", 8.5)),
    ("12", None), ("", None),
])
def test_set_cells(cell: str, read) -> None:
    c = read_cell(cell)
    assert (None if c is None else (c.a, c.b, c.order, c.rpe)) == read


# --- a bare Time or Duration column --------------------------------------------------------------------------
def test_a_clock_time_per_session_joins_the_date(tmp_path: Path) -> None:
    f = _file(tmp_path, "Date,Time,Exercise,Weight,Reps\n2024-03-01,18:02,Squat,100,5\n2024-03-01,18:02,Squat,100,5\n"
                        "2024-03-01,18:02,Plank,,\n2024-03-03,07:15,Bench,80,5\n2024-03-03,07:15,Bench,80,5\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [str(s.started_at) for s in parsed.sessions] == ["2024-03-01 18:02:00", "2024-03-03 07:15:00"]
    assert all(w[10] is None for s in parsed.sessions for w in s.sets)  # no set got 18:02 as its length
    assert any("'Time' column read as the time of day" in w for w in parsed.warnings)


def test_a_twelve_hour_clock_is_a_time_of_day(tmp_path: Path) -> None:
    f = _file(tmp_path, "Date,Time,Exercise,Weight,Reps\n2024-03-01,6:02 PM,Squat,100,5\n2024-03-03,7:15 AM,Bench,80,5\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [str(s.started_at) for s in parsed.sessions] == ["2024-03-01 18:02:00", "2024-03-03 07:15:00"]


def test_set_lengths_that_vary_are_seconds(tmp_path: Path) -> None:
    f = _file(tmp_path, "Date,Exercise,Weight,Reps,Time\n2024-03-01,Squat,100,5,\n2024-03-01,Squat,100,5,\n"
                        "2024-03-01,Plank,,,1:30\n2024-03-01,Plank,,,1:15\n2024-03-03,Bench,80,5,\n"
                        "2024-03-03,Bench,80,5,\n2024-03-03,Plank,,,45\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    # 1:30 = 90 s, 1:15 = 75 s, 45 = 45 s; sessions stay at midnight (the date alone)
    assert [w[10] for s in parsed.sessions for w in s.sets] == [None, None, 90.0, 75.0, None, None, 45.0]
    assert [s.started_at.hour for s in parsed.sessions] == [0, 0]


def test_a_constant_duration_is_the_sessions_length(tmp_path: Path) -> None:
    f = _file(tmp_path, "Date,Workout,Duration,Exercise,Weight,Reps\n2024-03-01,A,1h 3m,Squat,100,5\n"
                        "2024-03-01,A,1h 3m,Squat,100,5\n2024-03-03,B,45m,Bench,80,5\n2024-03-03,B,45m,Bench,80,5\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    # 1 h 3 min = 3780 s, 45 min = 2700 s
    assert [s.duration_s for s in parsed.sessions] == [3780, 2700]
    assert all(w[10] is None for s in parsed.sessions for w in s.sets)


def test_a_time_column_that_cannot_be_told_is_left_unread_and_said(tmp_path: Path) -> None:
    # one row per session: 10:00 could be ten in the morning or ten minutes
    f = _file(tmp_path, "Date,Exercise,Seconds,Time\n2024-03-01,Run,600,10:00\n2024-03-03,Run,700,11:40\n")
    parsed = parse_file("csv", f)
    assert [w[10] for s in parsed.sessions for w in s.sets] == [600.0, 700.0]
    assert [s.started_at.hour for s in parsed.sessions] == [0, 0]
    told = [w for w in parsed.warnings if "'Time' column was not read" in w]
    assert len(told) == 1 and "--map 'Time=time'" in told[0] and "--map 'Time=seconds'" in told[0]


def test_a_mapping_of_the_time_column_wins(tmp_path: Path) -> None:
    f = _file(tmp_path, "Date,Exercise,Seconds,Time\n2024-03-01,Run,600,10:00\n")
    parsed = parse_file("csv", f, mapping={"columns": {"Time": "time"}})
    assert str(parsed.sessions[0].started_at) == "2024-03-01 10:00:00"


@pytest.mark.parametrize("kind,rows,field", [
    # per-set clock stamps rising through each session, minutes apart
    ("time", [("d1", "18:02:10"), ("d1", "18:05:40"), ("d1", "18:09:00"), ("d2", "07:15"), ("d2", "07:18"),
              ("d2", "07:21")], "time"),
    # a constant value over 23:59 is no time of day: the session's length
    ("time", [("d1", "75:00"), ("d1", "75:00"), ("d2", "62:30"), ("d2", "62:30")], "duration"),
    # values that vary and do not rise: set lengths
    ("time", [("d1", "1:30"), ("d1", "0:45"), ("d1", "1:10"), ("d2", "2:00"), ("d2", "1:00")], "seconds"),
    # zeros are no value: only the runs tell
    ("duration", [("d1", "0"), ("d1", "0"), ("d1", "1800"), ("d2", "0:00"), ("d2", "1500")], "seconds"),
    # half the sessions one way, half the other
    ("time", [("d1", "18:00"), ("d1", "18:00"), ("d2", "1:30"), ("d2", "0:45"), ("d2", "1:10")], None),
    ("time", [("d1", ""), ("d2", "")], None),
])
def test_classify_by_hand(kind: str, rows: list, field: str | None) -> None:
    assert classify(kind, rows)[0] == field


# --- a unit the file states in a settings table ------------------------------------------------------------------
JEFIT_LB = """### SETTING ##########################################

row_id,USERID,TIMESTAMP,gender,mass,length
1,1,"2026-01-01 00:00:00",M, lbs, inch


######################################################

### EXERCISE LOGS ####################################

mydate,ename,logs
2026-01-02,Barbell Bench Press,"135x5,135x5,"
2026-01-02,Barbell Squat,"185x5,"
######################################################
"""


def test_a_jefit_setting_states_the_unit_and_unit_wins(tmp_path: Path) -> None:
    f = _file(tmp_path, JEFIT_LB, "jefit.csv")
    parsed = parse_file("csv", f)
    # " lbs" in the SETTING table's mass column: 135 lb = 61.235 kg, 185 lb = 83.9146 kg
    assert [(w[0], w[4], w[5]) for s in parsed.sessions for w in s.sets] == [
        ("Barbell Bench Press", "lb", 61.235), ("Barbell Bench Press", "lb", 61.235), ("Barbell Squat", "lb", 83.9146)]
    assert parsed.unit.source == "stated"
    assert any("SETTING table sets mass to 'lbs'" in w for w in parsed.warnings)
    # --unit is the person's word: it wins over the file's setting
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert {w[4] for s in parsed.sessions for w in s.sets} == {"kg"}
    # a setting that is no unit says nothing: the loads decide, or the import asks
    f = _file(tmp_path, JEFIT_LB.replace(" lbs", " stones"), "jefit2.csv")
    with pytest.raises(PeriError, match="--unit"):
        parse_file("csv", f)


# --- a scheme written whole ---------------------------------------------------------------------------------------
def test_a_scheme_written_as_sets_x_reps(tmp_path: Path) -> None:
    # "3x5" in a Sets x Reps column: three sets of five at the row's load; 5x5 in a Sets column likewise
    f = _file(tmp_path, "Date,Exercise,Weight,Sets x Reps\n2024-03-01,Squat,100,3x5\n2024-03-01,Curl,12.5,2 x 12\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(e, o, w, r) for e, o, w, _, _, r, _ in sets_of(parsed)] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 100.0, 5), ("Squat", 3, 100.0, 5), ("Curl", 1, 12.5, 12),
        ("Curl", 2, 12.5, 12)]
    f = _file(tmp_path, "Date,Exercise,Weight,Sets,Reps\n2024-03-01,Squat,100,5x5,\n2024-03-01,Row,60,3,8\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(e, r) for e, _, _, _, _, r, _ in sets_of(parsed)] == [("Squat", 5)] * 5 + [("Row", 8)] * 3
    # in a Reps column with no Sets column: the same reading
    f = _file(tmp_path, "Date,Exercise,Weight,Reps\n2024-03-01,Squat,100,3x5\n")
    assert len(sets_of(parse_file("csv", f, mapping={"unit": "kg"}))) == 3
    # 100x5 is no scheme (100 sets): a whole set, load x reps (`setcell`), the row's own load said again; a
    # different load beside it refuses that row alone, naming it
    f = _file(tmp_path, "Date,Exercise,Weight,Reps\n2024-03-01,Squat,100,100x5\n2024-03-01,Squat,100,110x5\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(w, r) for _, _, w, _, _, r, _ in sets_of(parsed)] == [(100.0, 5)]
    assert [x.split(": ", 1)[1][:12] for x in parsed.refused] == ["reps '110' i"]


def test_a_date_written_once_per_session(tmp_path: Path) -> None:
    # a spreadsheet's habit: the date (and the session's name) on the first row only, in any layout
    f = _file(tmp_path, "Date,Workout,Exercise,Set 1,Set 2\n2024-03-01,A,Squat,100x5,100x5\n,,Bench Press,80x8,\n"
                        "2024-03-04,B,Deadlift,140x5,\n,,Row,60x10,60x10\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(str(s.started_at.date()), s.name, [w[0] for w in s.sets]) for s in parsed.sessions] == [
        ("2024-03-01", "A", ["Squat", "Squat", "Bench Press"]), ("2024-03-04", "B", ["Deadlift", "Row", "Row"])]
    assert any("2 rows with an empty date were read as the session above" in w for w in parsed.warnings)
    # the first row has nothing above it: its empty date is still an error on its line
    f = _file(tmp_path, "Date,Exercise,Weight,Reps\n,Squat,100,5\n")
    with pytest.raises(ImportFormatError, match=r"log\.csv:2: date is empty"):
        parse_file("csv", f, mapping={"unit": "kg"})


def test_a_clock_time_written_once_per_session(tmp_path: Path) -> None:
    def log(first_only_date: bool) -> Path:
        rows = []
        for day, clock in (("2024-03-01", "18:02"), ("2024-03-04", "07:15"), ("2024-03-07", "19:40")):
            for i, ex in enumerate(("Squat", "Bench Press", "Row")):
                rows.append(f"{day if i == 0 or not first_only_date else ''},{clock if i == 0 else ''},{ex},100,5\n")
        return _file(tmp_path, "Date,Time,Exercise,Weight,Reps\n" + "".join(rows))

    # date and time both written once, on the session's first row: the session's time of day
    parsed = parse_file("csv", log(first_only_date=True), mapping={"unit": "kg"})
    assert [(str(s.started_at), len(s.sets)) for s in parsed.sessions] == [
        ("2024-03-01 18:02:00", 3), ("2024-03-04 07:15:00", 3), ("2024-03-07 19:40:00", 3)]
    assert all(w[10] is None for s in parsed.sessions for w in s.sets)
    # a date on every row and one time on the first: a start time, or the first set's length (18:02 = 18 min
    # 2 s)? Not guessed: left unread, the report naming both --map choices, the sessions kept whole
    parsed = parse_file("csv", log(first_only_date=False), mapping={"unit": "kg"})
    assert [len(s.sets) for s in parsed.sessions] == [3, 3, 3]
    assert all(w[10] is None for s in parsed.sessions for w in s.sets)
    assert any("'Time' column was not read" in w and "--map 'Time=seconds'" in w for w in parsed.warnings)


def test_sets_listed_in_one_cell(tmp_path: Path) -> None:
    # reps "5/5/4" at one load; a load per set "80/82.5/85" with reps "8, 6, 5"; reps apart by spaces
    f = _file(tmp_path, 'Date,Exercise,Weight,Reps,Notes\n2024-03-01,Squat,100,5/5/4,heavy\n'
                        '2024-03-01,Bench,80/82.5/85,"8, 6, 5",\n2024-03-01,Curl,12.5,10 10 8,\n')
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(e, o, w, r) for e, o, w, _, _, r, _ in sets_of(parsed)] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 100.0, 5), ("Squat", 3, 100.0, 4),
        ("Bench", 1, 80.0, 8), ("Bench", 2, 82.5, 6), ("Bench", 3, 85.0, 5),
        ("Curl", 1, 12.5, 10), ("Curl", 2, 12.5, 10), ("Curl", 3, 12.5, 8)]
    # the row's note once, with its first set
    assert [w[12] for s in parsed.sessions for w in s.sets][:3] == ["heavy", None, None]
    # two loads for three sets: which load went with which set is not guessed
    f = _file(tmp_path, "Date,Exercise,Weight,Reps\n2024-03-01,Bench,80/85,8/6/5\n")
    with pytest.raises(ImportFormatError, match=r"log\.csv:2: weight '80/85' and reps '8/6/5' list different"):
        parse_file("csv", f, mapping={"unit": "kg"})


def test_a_sheet_with_a_column_per_day_is_named_in_one_line(tmp_path: Path) -> None:
    f = _file(tmp_path, "Exercise,01/03/2024,04/03/2024,07/03/2024\nSquat,100x5,102.5x5,105x5\n")
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:1" and "the dates are column names ('01/03/2024'" in e.value.message
    assert "\n" not in str(e.value)
    # a file with no header (its first line a set) is still told so
    f = _file(tmp_path, "2024-03-01,Squat,100,5\n2024-03-02,Squat,100,5\n")
    with pytest.raises(ImportFormatError, match="no header row"):
        parse_file("csv", f)
