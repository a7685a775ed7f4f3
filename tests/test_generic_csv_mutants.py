"""The generic CSV reader's `parse` pinned down where mutmut found it loose (issue 20, mutation7b): small files
written here, every expected value worked out by hand (225 lb = 102.0583 kg), every message word for word."""
from __future__ import annotations

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import base
from peri.log.importers.generic_csv import GenericCsvImporter, load_mapping


def _generic(text: str, mapping: dict | None = None, name: str = "g.csv") -> base.ParsedFile:
    return GenericCsvImporter().parse(base.read_table(name, data=text.encode()), load_mapping(mapping or {}))


def _sets(p: base.ParsedFile) -> list[tuple]:
    """(exercise, order, weight, unit, kg, reps) of every set, session by session."""
    return [(w[0], w[2], w[3], w[4], w[5], w[6]) for s in p.sessions for w in s.sets]


def test_pounds_in_a_weight_lb_column() -> None:
    p = _generic("Date,Exercise,Weight (lb),Reps\n2024-03-04,Squat,225,5\n2024-03-04,Squat,45,8\n",
                 {"columns": {"Weight (lb)": "weight_lb"}})
    # 225 lb = 225 x 0.45359237 = 102.05828 kg; 45 lb = 20.41166 kg (four decimals kept)
    assert _sets(p) == [("Squat", 1, 225.0, "lb", 102.0583, 5), ("Squat", 2, 45.0, "lb", 20.4117, 8)]


def test_a_comma_hidden_by_a_spreadsheet_is_joined_back_only_in_a_sheet() -> None:
    # "Press (Each Side, Dumbbells)" written unquoted and re-saved by a spreadsheet: the name's second half sits in
    # the Weight cell and the empty Notes cell is gone, so the row has the header's width
    text = ("Date,Exercise,Weight (kg),Reps,Notes\n2024-03-01,Squat,100,5,\n"
            "2024-03-01,Press (Each Side, Dumbbells),20,10\n2024-03-01,Press (Each Side, Dumbbells),22.5,8\n"
            "2024-03-03,Squat,102.5,5,easy\n")
    table = base.read_table("log.xlsx", data=text.encode())
    table.warnings.insert(0, "read sheet 'Log' (the workbook's only sheet)")
    p = GenericCsvImporter().parse(table, load_mapping({}))
    assert [(w[0], w[5], w[6], w[12]) for s in p.sessions for w in s.sets] == [
        ("Squat", 100.0, 5, None), ("Press (Each Side, Dumbbells)", 20.0, 10, None),
        ("Press (Each Side, Dumbbells)", 22.5, 8, None), ("Squat", 102.5, 5, "easy")]
    assert ("2 rows had a comma inside a name or note that a spreadsheet split into the next cell (first at "
            "log.xlsx:3); the cells were joined back") in p.warnings
    # the same text read as a CSV: nothing is joined, and two bad rows of four refuse the file
    with pytest.raises(ImportFormatError) as e:
        _generic(text)
    assert str(e.value).startswith("g.csv:3: 2 problems: line 3: weight_kg 'Dumbbells)' is not a number; line 4: ")


def test_distances_without_a_unit_are_named_word_for_word() -> None:
    p = _generic("Date,Exercise,Dist,Seconds\n2024-01-02,Run,5,1500\n2024-01-02,Row,2,600\n2024-01-02,Squat,,\n",
                 {"columns": {"Dist": "distance"}})
    assert [(w[0], w[9], w[10]) for s in p.sessions for w in s.sets] == [
        ("Run", None, 1500.0), ("Row", None, 600.0), ("Squat", None, None)]
    assert p.warnings[-1] == (
        "2 distances in the 'Dist' column name no unit (first at line 2): they were not stored, the sets were; to "
        "keep them, `peri import undo` this import and re-run with --map 'Dist=distance_km' (or distance_m, "
        "distance_mi)")


def test_every_field_of_a_row_per_set_log_read_by_hand() -> None:
    text = ("Date,Workout,Workout Duration,Workout Notes,Exercise,Set Type,Weight,Unit,Reps,RPE,RIR,Distance km,"
            "Seconds,Notes\n"
            "2024-03-04 18:30,Heavy A,1:05:00,felt good,Squat,warmup,135,lb,5,,,,,\n"
            "2024-03-04 18:30,Heavy A,1:05:00,felt good,Squat,,225,lb,5,8.5,1,,,belt\n"
            "2024-03-04 18:30,Heavy A,1:05:00,felt good,Plank,,,,0,,,,60,\n"
            "2024-03-04 18:30,Heavy A,1:05:00,felt good,Run,,,,,,,1.5,540,\n"
            "2024-03-06 07:00,Light B,,,Bench,drop,60,kg,10,,,,,@9 easy\n")
    p = _generic(text)
    assert [(str(s.started_at), s.name, s.duration_s, s.notes, s.source, s.line) for s in p.sessions] == [
        ("2024-03-04 18:30:00", "Heavy A", 3900, "felt good", "csv", 2),  # 1:05:00 = 65 min = 3,900 s
        ("2024-03-06 07:00:00", "Light B", None, None, "csv", 6)]
    # 135 lb = 61.23497 kg, 225 lb = 102.05828 kg; the plank's 0 reps beside its 60 s is no count; 1.5 km = 1,500 m;
    # the bench's RPE from its note "@9"
    assert [w for s in p.sessions for w in s.sets] == [
        ["Squat", None, 1, 135.0, "lb", 61.235, 5, None, None, None, None, "warmup", None],
        ["Squat", None, 2, 225.0, "lb", 102.0583, 5, 8.5, 1.0, None, None, "normal", "belt"],
        ["Plank", None, 1, None, None, None, None, None, None, None, 60.0, "normal", None],
        ["Run", None, 1, None, None, None, None, None, None, 1500.0, 540.0, "normal", None],
        ["Bench", None, 1, 60.0, "kg", 60.0, 10, 9.0, None, None, None, "drop", "@9 easy"]]
    assert p.warnings == [
        "columns read by their names: 'Date' as date, 'Workout' as session_name, 'Workout Duration' as duration, "
        "'Workout Notes' as session_notes, 'Exercise' as exercise, 'Set Type' as set_type, 'Weight' as weight, "
        "'Unit' as unit, 'Reps' as reps, 'RPE' as rpe, 'RIR' as rir, 'Distance km' as distance_km, 'Seconds' as "
        "seconds, 'Notes' as note; pass --map COLUMN=FIELD to change"]
    assert p.skipped == [] and p.refused == []


def test_distances_in_miles_and_metres() -> None:
    # 3.1 mi = 3.1 x 1,609.344 m = 4,988.9664 m (three decimals kept); 400 m stays 400 m
    mi = _generic("Date,Exercise,Distance mi,Seconds\n2024-03-04,Run,3.1,1800\n2024-03-04,Walk,0,600\n")
    assert [(w[0], w[9], w[10]) for s in mi.sessions for w in s.sets] == [("Run", 4988.966, 1800.0),
                                                                           ("Walk", None, 600.0)]
    m = _generic("Date,Exercise,Distance m,Reps\n2024-03-04,Sled push,400,0\n")
    # a distance beside 0 reps and no load: the 0 is no count
    assert [(w[0], w[6], w[9]) for s in m.sessions for w in s.sets] == [("Sled push", None, 400.0)]


def test_a_numbered_column_named_by_a_map_is_no_set_group() -> None:
    text = "Date,Exercise,Set 1,Set 2,Set 3\n2024-03-04,Squat,100x5,105x5,110x3\n2024-03-06,Bench,80x8,80x8,\n"
    # --map 'Set 3=note': the third column is the row's note (on its first set), the sets are in two groups
    p = _generic(text, {"columns": {"Set 3": "note"}})
    assert [(w[0], w[2], w[3], w[6], w[12]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 100.0, 5, "110x3"), ("Squat", 2, 105.0, 5, None), ("Bench", 1, 80.0, 8, None),
        ("Bench", 2, 80.0, 8, None)]
    assert p.warnings[0] == ("a wide sheet: one row per exercise, sets in 2 numbered column groups ('Set 1' ... "
                             "'Set 2'); each filled group is one set")
    # without the map the third column is a third set
    q = _generic(text)
    assert [(w[0], w[2], w[3], w[6]) for s in q.sessions for w in s.sets][:3] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 105.0, 5), ("Squat", 3, 110.0, 3)]


def test_each_field_that_does_not_read_is_named_word_for_word() -> None:
    good = "2024-03-04,Squat,100,,5,,,,\n" * 30
    bad = ("2024-03-05,Squat,heavy,,5,,,,\n2024-03-05,Squat,,lots,5,,,,\n2024-03-05,Squat,100,,5,11,,,\n"
           "2024-03-05,Squat,100,,5,,-1,,\n2024-03-05,Row,,,,,,far,\n2024-03-05,123,100,,5,,,,\n"
           "2024-03-05,Squat,100,,5,,,,2.5\n")
    # 7 bad rows of 67 (more than a tenth): the file is refused, every row named
    with pytest.raises(ImportFormatError) as e:
        _generic("Date,Exercise,Kg,Lb,Reps,RPE,RIR,Km,Sets\n" + good + bad + good)
    assert str(e.value) == (
        "g.csv:32: 7 problems: line 32: weight_kg 'heavy' is not a number; line 33: weight_lb 'lots' is not a number; "
        "line 34: rpe '11' is outside 0..10; line 35: rir '-1' is outside 0..10; line 36: distance_km 'far' is not a "
        "number; line 37: exercise '123' names no exercise (no letter in it); line 38: sets '2.5' is not a whole "
        "number of sets (nothing was imported; fix the file (or export it again) and re-run)")


def test_a_wide_sheets_sets_column_is_the_plan_and_not_read() -> None:
    # the Sets cell says 3x5 planned; the two filled set groups are what was done: two sets, the column named unread
    p = _generic("Date,Exercise,Sets,Set 1,Set 2\n2024-03-04,Squat,3x5,100x5,105x5\n")
    assert [(w[0], w[2], w[3], w[6]) for s in p.sessions for w in s.sets] == [("Squat", 1, 100.0, 5),
                                                                               ("Squat", 2, 105.0, 5)]
    assert p.warnings == [
        "a wide sheet: one row per exercise, sets in 2 numbered column groups ('Set 1' ... 'Set 2'); each filled "
        "group is one set",
        "columns read by their names: 'Date' as date, 'Exercise' as exercise; not read: 'Sets'; pass --map "
        "COLUMN=FIELD to change"]


def test_columns_named_by_dates_beside_a_date_column_are_left_unread() -> None:
    # a Date column says where the dates are: two more columns named like dates (a planner's leftovers) are not
    # a sheet with a column per day
    p = _generic("Date,Exercise,Weight,Reps,2024-01-01,2024-02-01\n2024-03-04,Squat,100,5,,\n")
    assert [(w[0], w[3], w[6]) for s in p.sessions for w in s.sets] == [("Squat", 100.0, 5)]
    assert p.warnings == [
        "columns read by their names: 'Date' as date, 'Exercise' as exercise, 'Weight' as weight, 'Reps' as reps; "
        "not read: '2024-01-01', '2024-02-01'; pass --map COLUMN=FIELD to change"]


@pytest.mark.parametrize("sheet", [False, True])
def test_a_split_name_is_joined_back_by_the_date_format_given(sheet: bool) -> None:
    # "04-03-2024 Mon" reads only by --date-format '%d-%m-%Y %a': the joined row is judged with it. In a CSV the
    # unquoted comma makes one field too many; in a sheet the empty Notes cell is gone instead
    text = "Date,Exercise,Weight,Reps,Notes\n04-03-2024 Mon,Squat,100,5,\n04-03-2024 Mon,Press (Each Side, DB),20,10,\n"
    table = base.read_table("g.csv", data=(text[:-2] + "\n" if sheet else text).encode())
    if sheet:
        table.warnings.insert(0, "read sheet 'Log' (the workbook's only sheet)")
    p = GenericCsvImporter().parse(table, load_mapping({"date_format": "%d-%m-%Y %a"}))
    assert [(str(s.started_at), w[0], w[3], w[6]) for s in p.sessions for w in s.sets] == [
        ("2024-03-04 00:00:00", "Squat", 100.0, 5), ("2024-03-04 00:00:00", "Press (Each Side, DB)", 20.0, 10)]
    assert p.warnings[-1] == (
        "1 rows had a comma inside a name or note that a spreadsheet split into the next cell (first at g.csv:3); "
        "the cells were joined back" if sheet else
        "1 rows had an unquoted ',' inside a name or note (one more field than the header); it was joined back "
        "where only that reading fits the row")


def _loads(p: base.ParsedFile) -> list[tuple]:
    """(exercise, order, weight, unit, kg, reps, note) of every set."""
    return [(w[0], w[2], w[3], w[4], w[5], w[6], w[12]) for s in p.sessions for w in s.sets]


def test_loads_listed_in_one_cell_take_their_columns_unit() -> None:
    # 225 / 235 / 245 lb = 102.0583 / 106.5942 / 111.1301 kg (x 0.45359237, four decimals)
    p = _generic("Date,Exercise,Weight (lb),Reps\n2024-03-04,Squat,225/235/245,5/5/3\n")
    assert _loads(p) == [("Squat", 1, 225.0, "lb", 102.0583, 5, None), ("Squat", 2, 235.0, "lb", 106.5942, 5, None),
                         ("Squat", 3, 245.0, "lb", 111.1301, 3, None)]
    # a kg column; the first entry 0 is no load (and no unit); the row's note goes with its first set only
    p = _generic("Date,Exercise,Kg,Reps,Notes\n2024-03-04,Squat,0/100/105,10/5/5,first light\n")
    assert _loads(p) == [("Squat", 1, None, None, None, 10, "first light"), ("Squat", 2, 100.0, "kg", 100.0, 5, None),
                         ("Squat", 3, 105.0, "kg", 105.0, 5, None)]
    # a Weight column: the row's Unit cell, else --unit
    p = _generic("Date,Exercise,Weight,Unit,Reps\n2024-03-04,Squat,225/235,lb,5/3\n2024-03-04,Bench,100/102.5,,5/5\n",
                 {"unit": "kg"})
    assert _loads(p) == [("Squat", 1, 225.0, "lb", 102.0583, 5, None), ("Squat", 2, 235.0, "lb", 106.5942, 3, None),
                         ("Bench", 1, 100.0, "kg", 100.0, 5, None), ("Bench", 2, 102.5, "kg", 102.5, 5, None)]
    # --unit lb: 100 lb = 45.3592 kg, 102.5 lb = 46.4932 kg
    p = _generic("Date,Exercise,Weight,Reps\n2024-03-04,Squat,100/102.5,5/5\n", {"unit": "lb"})
    assert _loads(p) == [("Squat", 1, 100.0, "lb", 45.3592, 5, None), ("Squat", 2, 102.5, "lb", 46.4932, 5, None)]


def test_kg_and_lb_columns_give_their_unit() -> None:
    p = _generic("Date,Exercise,Kg,Lb,Reps\n2024-03-04,Squat,100,,5\n2024-03-04,Bench,,135,8\n")
    assert _loads(p) == [("Squat", 1, 100.0, "kg", 100.0, 5, None), ("Bench", 1, 135.0, "lb", 61.235, 8, None)]


def test_rpe_rir_and_distance_at_their_limits() -> None:
    # RPE 10 and RIR 0 / 10 are kept (RIR 0 stays 0, not None), 1,000,000 m and 0.5 m are distances; 10.5 and
    # 1,000,000.5 m are past the limits: those 3 rows of 47 are refused one by one
    rows = ("2024-03-04,Squat,5,10,0,\n2024-03-04,Squat,5,,10,\n2024-03-04,Row,,,,1000000\n2024-03-04,Row,,,,0.5\n"
            + "2024-03-04,Row,,,,1\n" * 40
            + "2024-03-05,Squat,5,,10.5,\n2024-03-05,Squat,5,10.5,,\n2024-03-05,Row,,,,1000000.5\n")
    p = _generic("Date,Exercise,Reps,RPE,RIR,Distance m\n" + rows)
    # (exercise, reps, rpe, rir, distance in m)
    assert [(w[0], w[6], w[7], w[8], w[9]) for s in p.sessions for w in s.sets][:5] == [
        ("Squat", 5, 10.0, 0.0, None), ("Squat", 5, None, 10.0, None), ("Row", None, None, None, 1000000.0),
        ("Row", None, None, None, 0.5), ("Row", None, None, None, 1.0)]
    assert p.refused == ["g.csv:46: rir '10.5' is outside 0..10", "g.csv:47: rpe '10.5' is outside 0..10",
                         "g.csv:48: distance_m '1000000.5' is outside 0..1e+06"]


def test_a_notes_rpe_is_read_only_where_no_rpe_or_rir_column_says_one() -> None:
    p = _generic("Date,Exercise,Weight,Reps,RIR,Notes\n2024-03-04,Squat,100,5,2,@9 easy\n"
                 "2024-03-04,Squat,100,5,,@9 easy\n")
    # (rpe, rir): the first row's RIR 2 stands and its note's "@9" is not read; the second row's note gives RPE 9
    assert [(w[7], w[8], w[12]) for s in p.sessions for w in s.sets] == [(None, 2.0, "@9 easy"), (9.0, None, "@9 easy")]


def test_a_timed_or_cardio_row_of_a_wide_sheet_is_one_set() -> None:
    p = _generic("Date,Exercise,Seconds,Distance km,Set 1,Set 2\n2024-03-04,Squat,,,100x5,105x5\n"
                 "2024-03-04,Plank,60,,,\n2024-03-04,Run,,2,,\n2024-03-04,Curl,,,,\n")
    # (exercise, order, weight, reps, distance m, seconds): the plank's 60 s and the run's 2 km = 2,000 m, each one
    # set; the curl's row fills nothing
    assert [(w[0], w[2], w[3], w[6], w[9], w[10]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 100.0, 5, None, None), ("Squat", 2, 105.0, 5, None, None), ("Plank", 1, None, None, None, 60.0),
        ("Run", 1, None, None, 2000.0, None)]
    assert p.skipped == ["line 5: no set column filled (not a set)"]


def test_a_logs_cells_bodyweight_entry_has_no_load_and_no_unit() -> None:
    # JEFIT's logs cell: "0x10" is ten reps with no load, "20x5" five reps with 20 lb (the row's unit)
    p = _generic('Date,Exercise,Logs,Unit\n2024-03-04,Pull-up,"0x10,20x5,",lb\n')
    assert _loads(p) == [("Pull-up", 1, None, None, None, 10, None), ("Pull-up", 2, 20.0, "lb", 9.0718, 5, None)]


def test_a_sets_x_reps_column_alone_logs_bodyweight_sets() -> None:
    # no load anywhere: "3x15" is three sets of 15 reps, and the file is read (its sets have reps)
    p = _generic("Date,Exercise,Sets x Reps\n2024-03-04,Push-up,3x15\n2024-03-04,Dip,2x10\n")
    assert [(w[0], w[2], w[3], w[6]) for s in p.sessions for w in s.sets] == [
        ("Push-up", 1, None, 15), ("Push-up", 2, None, 15), ("Push-up", 3, None, 15), ("Dip", 1, None, 10),
        ("Dip", 2, None, 10)]
    assert p.warnings[-1] == ("rows stand for several sets each (the 'Sets x Reps' column): 3 sets added as copies "
                              "of their row")


def test_planned_loads_listed_in_one_cell_where_nothing_was_recorded() -> None:
    # TurnKey's assigned weight and reps, "100/105" and "5/3", where the Reps cell is empty: two sets as planned
    p = _generic("Date,Exercise,Assigned Weight,Assigned Reps,Reps\n2024-03-04,Squat,100/105,5/3,\n"
                 "2024-03-04,Bench,80,8,\n")
    assert [(w[0], w[2], w[3], w[6]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 105.0, 3), ("Bench", 1, 80.0, 8)]


def test_a_split_row_is_judged_by_the_files_date_order() -> None:
    # dates read month first (the file's order, given): 13/03/2024 is no date, so no join of the split name makes
    # the row read, and it is refused for its field count (a join would have hidden that behind the date's failure)
    good = "03/04/2024,Squat,100,5,\n" * 20
    text = "Date,Exercise,Weight,Reps,Notes\n" + good + "13/03/2024,Press (Each Side, DB),20,10,\n" + good
    p = GenericCsvImporter().parse(base.read_table("g.csv", data=text.encode()),
                                   {**load_mapping({}), "date_order": "mdy"})
    assert len([w for s in p.sessions for w in s.sets]) == 40
    assert p.refused == ["g.csv:22: expected 5 fields, found 6"]
    # the same in a sheet, where the split hides in the width and the date comes after the name: left unjoined, the
    # row's date cell holds the name's second half
    good = "Squat,03/04/2024,100,5,\n" * 20
    table = base.read_table("g.csv", data=("Exercise,Date,Weight,Reps,Notes\n" + good
                                           + "Press (Each Side, DB),13/03/2024,20,10\n" + good).encode())
    table.warnings.insert(0, "read sheet 'Log' (the workbook's only sheet)")
    # (one bad date among 41 rows refuses its row alone since imports8; the cell it names still shows the split)
    p = GenericCsvImporter().parse(table, {**load_mapping({}), "date_order": "mdy"})
    assert len([w for s in p.sessions for w in s.sets]) == 40
    assert p.refused == ["g.csv:22: date 'DB)' is not a date this importer knows (column 'Date')"]


def test_a_logs_cell_is_read_before_the_sets_and_reps_cells() -> None:
    # JEFIT's logs cell holds the sets; a Sets cell "3x5" beside it counts each logged set three times, a reps cell
    # of a list is not read as sets of its own (the row is refused: a row per set holds one)
    p = _generic('Date,Exercise,Logs,Sets,Unit\n2024-03-04,Bench,"60x5,65x3,",3x5,kg\n')
    assert _loads(p) == [("Bench", 1, 60.0, "kg", 60.0, 5, None), ("Bench", 2, 60.0, "kg", 60.0, 5, None),
                         ("Bench", 3, 60.0, "kg", 60.0, 5, None), ("Bench", 4, 65.0, "kg", 65.0, 3, None),
                         ("Bench", 5, 65.0, "kg", 65.0, 3, None), ("Bench", 6, 65.0, "kg", 65.0, 3, None)]
    # a whole set in the Sets cell is not read beside a logs cell: the cell must be a count there
    with pytest.raises(ImportFormatError) as e:
        _generic('Date,Exercise,Logs,Sets,Unit\n2024-03-04,Bench,"60x5,65x3,",100 x 5,kg\n')
    assert str(e.value) == ("g.csv:2: sets '100 x 5' is not a number (nothing was imported; fix the file (or export "
                            "it again) and re-run)")
    p = _generic('Date,Exercise,Logs,Reps,Unit\n2024-03-04,Bench,"60x5,65x3,",5/3,kg\n')
    assert _loads(p) == []
    assert p.refused == ["g.csv:2: reps '5/3' holds 2 sets in one cell, and this layout has a row per set: the row was "
                         "not read"]


def test_planned_sets_count_only_where_the_row_recorded_nothing() -> None:
    # TurnKey: assigned 3 x 5 at 100 with no reps recorded is three sets as planned; where 8 reps were recorded, the
    # row is the one set done
    p = _generic("Date,Exercise,Assigned Sets,Assigned Reps,Assigned Weight,Reps\n2024-03-04,Squat,3,5,100,\n"
                 "2024-03-04,Bench,3,8,80,8\n")
    assert [(w[0], w[2], w[3], w[6]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 100.0, 5), ("Squat", 3, 100.0, 5), ("Bench", 1, 80.0, 8)]


@pytest.mark.parametrize("column, field", [("Kg", "weight_kg"), ("Weight (lb)", "weight_lb"), ("Weight", "weight")])
def test_a_listed_load_that_does_not_read_names_its_field(column: str, field: str) -> None:
    with pytest.raises(ImportFormatError) as e:
        _generic(f"Date,Exercise,{column},Reps\n2024-03-04,Squat,100/abc,5/5\n")
    assert str(e.value) == (f"g.csv:2: {field} 'abc' is not a number (nothing was imported; fix the file (or export "
                            "it again) and re-run)")


def test_set_numbers_in_a_set_type_column_are_working_sets() -> None:
    p = _generic("Date,Exercise,Set Type,Weight,Reps\n2024-03-04,Squat,1,100,5\n2024-03-04,Squat,2,100,5\n"
                 "2024-03-04,Squat,W,60,5\n")
    assert [(w[0], w[2], w[3], w[11]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 100.0, "normal"), ("Squat", 2, 100.0, "normal"), ("Squat", 3, 60.0, "warmup")]
    assert p.warnings == [
        "columns read by their names: 'Date' as date, 'Exercise' as exercise, 'Set Type' as set_type, 'Weight' as "
        "weight, 'Reps' as reps; pass --map COLUMN=FIELD to change"]


def test_a_distance_column_with_its_unit_wins_over_a_bare_distance_column() -> None:
    # 1.5 km = 1,500 m from the km column; the bare Distance column's "1 mi" (1,609.344 m) is not read over it
    p = _generic("Date,Exercise,Distance km,Distance,Distance Unit\n2024-03-04,Run,1.5,1,mi\n2024-03-04,Row,,2,km\n")
    assert [(w[0], w[9]) for s in p.sessions for w in s.sets] == [("Run", 1500.0), ("Row", 2000.0)]


def test_a_wide_rows_unit_rpe_rir_and_seconds_go_to_each_of_its_sets() -> None:
    p = _generic("Date,Exercise,Unit,RPE,RIR,Seconds,Set 1,Set 2\n2024-03-04,Squat,lb,8,2,90,225x5,235x3\n"
                 "2024-03-04,Bench,,,,,100x5,\n")
    # (exercise, order, weight, unit, kg, reps, rpe, rir, seconds): 225 / 235 lb = 102.0583 / 106.5942 kg
    assert [(w[0], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[10]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 225.0, "lb", 102.0583, 5, 8.0, 2.0, 90.0), ("Squat", 2, 235.0, "lb", 106.5942, 3, 8.0, 2.0, 90.0),
        ("Bench", 1, 100.0, None, 100.0, 5, None, None, None)]


def test_a_whole_set_in_the_reps_column_and_a_count_of_sets() -> None:
    # "100 x 8" is one set, the Sets cell's 3 makes three; "2x8 @ 60" counts its own sets, and so does the Sets
    # cell: that row is refused; counts of sets outside 0..50 are refused (3 rows of 24, one by one)
    p = _generic("Date,Exercise,Reps,Sets\n2024-03-04,Squat,100 x 8,3\n2024-03-04,Bench,2x8 @ 60,2\n"
                 + "2024-03-04,Curl,10,1\n" * 20 + "2024-03-04,Row,10,-1\n2024-03-04,Row,10,51\n")
    assert [(w[0], w[2], w[3], w[6]) for s in p.sessions for w in s.sets][:4] == [
        ("Squat", 1, 100.0, 8), ("Squat", 2, 100.0, 8), ("Squat", 3, 100.0, 8), ("Curl", 1, None, 10)]
    assert p.refused == ["g.csv:3: reps '2x8 @ 60' counts its sets and so does sets '2': the row was not read",
                         "g.csv:24: sets '-1' is outside 0..50", "g.csv:25: sets '51' is outside 0..50"]


def test_a_unit_cell_beside_no_load_is_not_read() -> None:
    # "reps" is no weight unit, but no load needs it: the set is read
    p = _generic("Date,Exercise,Reps,Unit\n2024-03-04,Push-up,10,reps\n")
    assert _loads(p) == [("Push-up", 1, None, None, None, 10, None)] and p.refused == []


def test_a_whole_set_cell_takes_its_rows_rir_and_seconds() -> None:
    p = _generic("Date,Exercise,Reps,RPE,RIR,Seconds\n2024-03-04,Squat,100 x 5,8,2,45\n")
    # (weight, reps, rpe, rir, seconds)
    assert [(w[3], w[6], w[7], w[8], w[10]) for s in p.sessions for w in s.sets] == [(100.0, 5, 8.0, 2.0, 45.0)]


def test_a_wide_cell_of_several_sets_is_told_with_its_line() -> None:
    p = _generic("Date,Exercise,Set 1,Set 2\n2024-03-04,Squat,100x5,105x3\n2024-03-04,Bench,3x8 @ 60,\n")
    assert [(w[0], w[2], w[3], w[6]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 105.0, 3), ("Bench", 1, 60.0, 8), ("Bench", 2, 60.0, 8),
        ("Bench", 3, 60.0, 8)]
    assert p.warnings[-1] == (
        "1 cell writes a whole set as sets x reps @ load: a count of sets, the reps and the load (each stands for "
        "that many sets); a unit in the cell wins over the file's (first at g.csv:3)")


# mutation8a (issue 20): parse's two findings of mutation7b, fixed

def test_a_scheme_in_the_reps_column_is_named_as_the_reps_column() -> None:
    # no Sets column: "3x5" under Reps is 3 sets of 5 at 100, two of them copies; the report names 'Reps'
    p = _generic("Date,Exercise,Weight,Reps\n2024-03-04,Squat,100,3x5\n2024-03-04,Bench,70,8\n", {"unit": "kg"})
    assert _sets(p) == [("Squat", 1, 100.0, "kg", 100.0, 5), ("Squat", 2, 100.0, "kg", 100.0, 5),
                        ("Squat", 3, 100.0, "kg", 100.0, 5), ("Bench", 1, 70.0, "kg", 70.0, 8)]
    assert p.warnings[-1] == "rows stand for several sets each (the 'Reps' column): 2 sets added as copies of their row"


def test_counts_from_an_assigned_sets_and_an_actual_sets_column_are_both_named() -> None:
    # TurnKey's layout: nothing recorded for the squat, so its assigned 3 x 5 at 100; the bench as done, 2 x 4 at 72.5
    p = _generic("workout_date,exercise_name,assigned_reps,assigned_sets,assigned_weight,weight_units,actual_reps,"
                 "actual_sets,actual_weight\n2024-04-01,Squat,5,3,100,kg,,,\n"
                 "2024-04-01,Bench Press,5,3,70,kg,4,2,72.5\n")
    assert [(w[0], w[2], w[3], w[6]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 100.0, 5), ("Squat", 3, 100.0, 5),
        ("Bench Press", 1, 72.5, 4), ("Bench Press", 2, 72.5, 4)]
    # 2 copies of the squat's row and 1 of the bench's
    assert p.warnings[-1] == ("rows stand for several sets each (the 'assigned_sets' and 'actual_sets' columns): 3 "
                              "sets added as copies of their row")


def test_a_sets_column_numbering_its_sets_is_named_with_one_verb() -> None:
    p = _generic("Date,Exercise,Set,Weight,Reps\n2024-03-04,Squat,1,100,5\n2024-03-04,Squat,2,100,5\n",
                 {"columns": {"Set": "sets"}, "unit": "kg"})
    assert [(w[2], w[6]) for s in p.sessions for w in s.sets] == [(1, 5), (2, 5)]
    assert p.warnings[-1] == ("the 'Set' column numbers the sets (1, 2, 3 within an exercise in 1 of 1 exercises "
                              "logged with several rows): each row is one set")


def test_a_scheme_in_sets_beside_a_whole_set_or_a_list_in_reps_refuses_that_row_alone() -> None:
    # "3x5" under Sets and "100 x 5" (a load and reps) or "5/5/4" (three sets) under Reps: two counts of sets,
    # which were done cannot be told; each such row is refused and listed, the third row imports (before the
    # fix, two rows of three failed with "sets '3x5' is not a number" and refused the whole file)
    p = _generic("Date,Exercise,Weight,Sets,Reps\n2024-03-04,Squat,,3x5,100 x 5\n2024-03-04,Press,50,3x5,5/5/4\n"
                 "2024-03-04,Bench,70,2,5\n", {"unit": "kg"})
    assert p.refused == [
        "g.csv:2: sets '3x5' is a scheme (sets x reps) and reps '100 x 5' writes the sets itself: which were done "
        "cannot be told; the row was not read",
        "g.csv:3: sets '3x5' is a scheme (sets x reps) and reps '5/5/4' writes the sets itself: which were done "
        "cannot be told; the row was not read"]
    assert _sets(p) == [("Bench", 1, 70.0, "kg", 70.0, 5), ("Bench", 2, 70.0, "kg", 70.0, 5)]


def test_a_count_of_sets_beside_a_whole_set_still_counts_it() -> None:
    # a plain count under Sets beside one whole set under Reps: 2 sets of 5 at 100 (the count is no scheme)
    p = _generic("Date,Exercise,Sets,Reps\n2024-03-04,Squat,2,100 x 5\n", {"unit": "kg"})
    assert p.refused == []
    assert _sets(p) == [("Squat", 1, 100.0, "kg", 100.0, 5), ("Squat", 2, 100.0, "kg", 100.0, 5)]
    assert p.warnings[-1] == "rows stand for several sets each (the 'Sets' column): 1 sets added as copies of their row"


def test_two_columns_numbering_the_sets_are_named_with_a_plural_verb() -> None:
    # the squat's two rows number their sets 1, 2 under Sets; the bench, nothing recorded, takes its Assigned Sets
    # (3): the file numbers its sets, so each row is one set, and both columns are named
    p = _generic("Date,Exercise,Sets,Reps,Weight,Assigned Sets,Assigned Reps\n2024-03-04,Squat,1,5,100,,\n"
                 "2024-03-04,Squat,2,5,100,,\n2024-03-04,Bench,,,70,3,8\n", {"unit": "kg"})
    assert [(w[0], w[2], w[6]) for s in p.sessions for w in s.sets] == [
        ("Squat", 1, 5), ("Squat", 2, 5), ("Bench", 1, 8)]
    assert p.warnings[-1] == ("the 'Sets' and 'Assigned Sets' columns number the sets (1, 2, 3 within an exercise in 1 "
                              "of 1 exercises logged with several rows): each row is one set")
