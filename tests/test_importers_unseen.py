"""Exports peri has never seen, as new users bring them: an app's file re-saved by a spreadsheet (Excel in a
European or US locale: `;`, decimal commas, dd/mm/yyyy or m/d/yyyy 12-hour dates, BOM, CRLF, UTF-16, trailing
empty columns, `sep=;`), loads with their unit in the cell, other apps' layouts read by column names (Fitbod's
layout as its exports write it), files that are not CSV at all, and the wrong command for a file.

Each case either imports with the values worked out by hand below, or fails with one line naming the file,
the line and what to do - and a failed import leaves the store exactly as it was.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from peri.errors import ImportFormatError, PeriError
from peri.log.importers import import_file, parse_file
from peri.log.importers.base import numeric_date_order, parse_datetime, parse_weight, weight_unit
from peri.log.models import Athlete
from peri.log.store import Store

# 225 lb = 225 x 0.45359237 kg = 102.05828325 kg (the international pound), stored to 4 places
LB225_KG = 102.0583

STRONG_2017 = ["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Reps", "Distance", "Seconds", "Notes",
               "Workout Notes"]


def ids(name: str) -> str | None:
    return name.lower().replace(" ", "_")


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def sets_of(parsed) -> list[list]:
    return [w for s in parsed.sessions for w in s.sets]


def _strong_rows() -> list[tuple[dt.datetime, str, float, int, float]]:
    """Eight sessions three days apart from 1 March 2024 18:02: squat 100/102.5 kg x5 and a 60 s plank."""
    rows = []
    for d in range(8):
        when = dt.datetime(2024, 3, 1, 18, 2) + dt.timedelta(days=3 * d)
        rows += [(when, "Squat (Barbell)", 100.0 + 2.5 * d, 5, 0.0), (when, "Squat (Barbell)", 102.5 + 2.5 * d, 5, 0.0),
                 (when, "Plank", 0.0, 0, 60.0)]
    return rows


def _spreadsheet(path: Path, date_fmt: str, *, delim: str = ",", dec: str = ".", extra_cols: int = 0,
                 encoding: str = "utf-8", bom: bool = False, crlf: bool = False, sep_line: bool = False) -> Path:
    """The Strong 2017 layout as a spreadsheet writes it back after opening the export."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n" if crlf else "\n")
    if sep_line:
        buf.write(f"sep={delim}" + ("\r\n" if crlf else "\n"))
    w.writerow(STRONG_2017 + [""] * extra_cols)
    order: dict[tuple, int] = {}
    for when, ex, kg, reps, secs in _strong_rows():
        n = order[(when, ex)] = order.get((when, ex), 0) + 1
        load = f"{kg:g}".replace(".", dec)
        w.writerow([when.strftime(date_fmt), "Legs", ex, str(n), load, str(reps), "0", f"{secs:g}", "", ""]
                   + [""] * extra_cols)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def _values(parsed) -> list[tuple]:
    return [(s.started_at, w[0], w[5], w[6], w[10]) for s in parsed.sessions for w in s.sets]


EXPECTED = [(when, ex, kg or None, reps or None, secs or None) for when, ex, kg, reps, secs in _strong_rows()]


# --- a Strong export re-saved by a spreadsheet ---------------------------------------------------------
@pytest.mark.parametrize("kw", [
    pytest.param(dict(date_fmt="%Y-%m-%d %H:%M:%S"), id="as-exported"),
    pytest.param(dict(date_fmt="%d/%m/%Y %H:%M", delim=";", dec=",", extra_cols=3, bom=True, crlf=True),
                 id="excel-eu"),
    pytest.param(dict(date_fmt="%d.%m.%Y %H:%M", delim=";", dec=",", encoding="cp1252", crlf=True), id="excel-de"),
    pytest.param(dict(date_fmt="%m/%d/%Y %I:%M %p", extra_cols=2, crlf=True), id="excel-us-12h"),
    pytest.param(dict(date_fmt="%m/%d/%y %H:%M"), id="short-year-month-first"),
    pytest.param(dict(date_fmt="%d/%m/%Y %H:%M", delim="\t", encoding="utf-16"), id="excel-unicode-text"),
    pytest.param(dict(date_fmt="%d/%m/%Y %H:%M", delim=";", dec=",", sep_line=True), id="sep-line"),
])
def test_strong_resaved_by_a_spreadsheet_imports_the_same_sets(tmp_path: Path, kw: dict) -> None:
    parsed = parse_file("strong", _spreadsheet(tmp_path / "x.csv", **kw), mapping={"unit": "kg"})
    assert _values(parsed) == EXPECTED


def test_day_first_dates_told_by_a_day_over_12(tmp_path: Path) -> None:
    parsed = parse_file("strong", _spreadsheet(tmp_path / "x.csv", "%d/%m/%Y %H:%M"), mapping={"unit": "kg"})
    # 13/03/2024 can only be 13 March: the whole file is read day first, and the report says why
    assert parsed.sessions[1].started_at == dt.datetime(2024, 3, 4, 18, 2)  # 04/03/2024, not 3 April
    assert any("day first" in w and "13/03/2024" in w for w in parsed.warnings)


def test_dates_that_fit_both_orders_are_told_by_their_sequence() -> None:
    # a log a few days apart: day first they are 2-3 days apart, month first a month or more
    text = "Date\n01/03/2024\n03/03/2024\n06/03/2024\n08/03/2024\n11/03/2024\n"
    order, why = numeric_date_order(text)
    assert order == "dmy" and "days apart" in why
    assert numeric_date_order(text.replace("01/03", "03/01").replace("03/03", "03/03").replace("06/03", "03/06")
                              .replace("08/03", "03/08").replace("11/03", "03/11"))[0] == "mdy"


def test_dates_that_cannot_be_told_stop_the_import_naming_the_flag(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "ambiguous.csv"
    f.write_text("Date,Exercise,Weight,Reps\n02/03/2024,Squat,100,5\n04/05/2024,Squat,100,5\n")
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "csv", f, mapping={"unit": "kg"}, map_exercise=ids)
    msg = str(e.value)
    assert f"{f}:2" in msg and "--date-format dmy" in msg and "--date-format mdy" in msg and msg.count("\n") == 0
    assert ana.dump() == before
    # the person answers: 02/03/2024 is 2 March day first, 3 February month first
    dmy = parse_file("csv", f, mapping={"unit": "kg", "date_format": "dmy"})
    mdy = parse_file("csv", f, mapping={"unit": "kg", "date_format": "mdy"})
    assert dmy.sessions[0].started_at == dt.datetime(2024, 3, 2)
    assert mdy.sessions[0].started_at == dt.datetime(2024, 2, 3)


def test_a_file_mixing_day_first_and_month_first_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text("Date,Exercise,Weight,Reps\n13/03/2024,Squat,100,5\n03/14/2024,Squat,100,5\n05/06/2024,Squat,100,5\n")
    assert numeric_date_order(f.read_text())[0] == "ambiguous"
    with pytest.raises(ImportFormatError, match="--date-format"):
        parse_file("csv", f, mapping={"unit": "kg"})


@pytest.mark.parametrize("text, when", [
    ("2024-02-01 06:00:00 +0000", dt.datetime(2024, 2, 1, 6, 0)),  # Fitbod: a space before the zone
    ("2024-02-01T18:00:00+02:00", dt.datetime(2024, 2, 1, 18, 0)),  # the wall-clock time as logged
    ("3/13/2024 6:02 PM", dt.datetime(2024, 3, 13, 18, 2)),
    ("13/03/2024 18:02:11", dt.datetime(2024, 3, 13, 18, 2, 11)),
    ("13.03.2024, 18:02", dt.datetime(2024, 3, 13, 18, 2)),
    ("5-Mar-2024", dt.datetime(2024, 3, 5)),
    ("Tuesday, March 5, 2024", dt.datetime(2024, 3, 5)),
    ("5 mars 2024", dt.datetime(2024, 3, 5)),
    ("12 Okt. 2026, 10:14", dt.datetime(2026, 10, 12, 10, 14)),
    ("3 de mayo de 2026, 10:14", dt.datetime(2026, 5, 3, 10, 14)),
    ("7 мар. 2026, 10:14", dt.datetime(2026, 3, 7, 10, 14)),
    ("9 мая 2026 г., 18:30", None),  # a shape peri does not know: refused, never misread
])
def test_date_shapes(text: str, when: dt.datetime | None) -> None:
    if when is None:
        with pytest.raises(ValueError, match="not a date"):
            parse_datetime(text)
    else:
        assert parse_datetime(text) == when


def test_an_impossible_date_names_itself() -> None:
    with pytest.raises(ValueError, match="31/02/2024"):
        parse_datetime("31/02/2024")


# --- loads with the unit in the cell -----------------------------------------------------------------
@pytest.mark.parametrize("cell, value, unit", [
    ("100kg", 100.0, "kg"), ("225 lbs", 225.0, "lb"), ("102,5 kg", 102.5, "kg"), ("45 lb.", 45.0, "lb"),
    ("20 Kilo", 20.0, "kg"), ("100 KGS", 100.0, "kg"), ("225Lbs", 225.0, "lb"), ("1,234.5 lbs", 1234.5, "lb"),
    ("100", 100.0, None), ("", None, None), ("12.5#", 12.5, "lb"),
    ("BW", None, None), ("bodyweight", None, None), ("-", None, None),  # bodyweight alone: no load
    ("BW+20", 20.0, None), ("BW + 20 kg", 20.0, "kg"),  # the load added to bodyweight
])
def test_parse_weight(cell: str, value: float | None, unit: str | None) -> None:
    assert parse_weight(cell) == (value, unit)


@pytest.mark.parametrize("cell", ["100 stone", "kg", "abc", "nan kg", "BW+heavy"])
def test_parse_weight_refuses(cell: str) -> None:
    with pytest.raises(ValueError, match="weight"):
        parse_weight(cell)


@pytest.mark.parametrize("word, unit", [("Kgs", "kg"), ("kgs.", "kg"), ("Lbs", "lb"), ("lb.", "lb"),
                                        ("pounds", "lb"), ("kilogramos", "kg"), ("Pfund", "lb"), ("", None)])
def test_weight_unit_words(word: str, unit: str | None) -> None:
    assert weight_unit(word) == unit


def test_units_in_cells_of_a_strong_export_need_no_unit_flag(tmp_path: Path) -> None:
    f = tmp_path / "strong.csv"
    f.write_text(",".join(STRONG_2017) + "\n"
                 "2024-03-01 18:02:00,Push,Bench Press (Barbell),1,225 lbs,5,,,,\n"
                 "2024-03-01 18:02:00,Push,Bench Press (Barbell),2,100kg,5,,,,\n"
                 '2024-03-01 18:02:00,Push,Bench Press (Barbell),3,"102,5 kg",5,,,,\n')
    parsed = parse_file("strong", f)  # no --unit: every cell says its own
    assert [(w[4], w[5]) for w in sets_of(parsed)] == [("lb", LB225_KG), ("kg", 100.0), ("kg", 102.5)]


def test_units_in_cells_of_a_spreadsheet(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight,Reps\n2024-02-01,Squat,100kg,5\n2024-02-01,Bench,225 lbs,5\n"
                 "2024-02-01,Curl,15,10\n")
    parsed = parse_file("csv", f)
    # the bare 15 takes the unit the rest of the file states (both stated units are counted; kg comes first)
    assert [(w[0], w[5]) for w in sets_of(parsed)][:2] == [("Squat", 100.0), ("Bench", LB225_KG)]
    assert sets_of(parsed)[2][4] in ("kg", "lb") and any("had no unit" in w for w in parsed.warnings)


def test_an_unknown_unit_word_names_line_and_cell(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight,Reps\n2024-02-01,Squat,100 kg,5\n2024-02-02,Squat,16 stone,5\n")
    with pytest.raises(ImportFormatError, match=r"log\.csv:3: weight '16 stone' carries a unit"):
        parse_file("csv", f)


# --- other apps' layouts, read by their column names ---------------------------------------------------
FITBOD = ("Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,multiplier\n"
          "2024-02-01 06:00:00 +0000,Deadlift,8,60,0,0,0,0,true,,1\n"
          "2024-02-01 06:03:10 +0000,Deadlift,5,140,0,0,0,0,false,,1\n"
          "2024-02-01 06:09:41 +0000,Dumbbell Bench Press,10,22.5,0,0,0,0,false,few in reserve,2\n"
          "2024-02-01 06:40:02 +0000,Running,0,0,1800,5000,0,0,false,,1\n"
          "2024-02-03 17:00:00 +0000,Plank,0,0,60,0,0,0,false,,1\n")


def test_fitbod_layout_imports_with_no_mapping(tmp_path: Path) -> None:
    f = tmp_path / "fitbod.csv"
    f.write_text(FITBOD)
    parsed = parse_file("csv", f)
    # every set carries its own time: those of 1 February, minutes apart, are one workout
    assert [s.started_at for s in parsed.sessions] == [dt.datetime(2024, 2, 1, 6, 0), dt.datetime(2024, 2, 3, 17, 0)]
    rows = [(w[0], w[2], w[5], w[6], w[9], w[10], w[11], w[12]) for w in sets_of(parsed)]
    assert rows == [
        ("Deadlift", 1, 60.0, 8, None, None, "warmup", None),
        ("Deadlift", 2, 140.0, 5, None, None, "normal", None),
        ("Dumbbell Bench Press", 1, 22.5, 10, None, None, "normal", "few in reserve"),
        ("Running", 1, None, None, 5000.0, 1800.0, "normal", None),  # cardio: no reps, metres and seconds
        ("Plank", 1, None, None, None, 60.0, "normal", None),
    ]
    said = " ".join(parsed.warnings)
    assert "'Weight(kg)' as weight_kg" in said and "'isWarmup' as warmup" in said and "'multiplier'" in said


def test_a_localised_spreadsheet_header_is_read_by_its_words(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_bytes(codecs.BOM_UTF8 + "Datum;Übung;Gewicht;Wdh\r\n13/02/2024;Kniebeuge;102,5;5\r\n".encode())
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [(s.started_at, w[0], w[5], w[6]) for s in parsed.sessions for w in s.sets] == \
        [(dt.datetime(2024, 2, 13), "Kniebeuge", 102.5, 5)]


@pytest.mark.parametrize("named", ["Weight", "Weight (kg)", "Weight (lbs)"])
def test_a_mapping_still_wins_over_names(tmp_path: Path, named: str) -> None:
    f = tmp_path / "log.csv"
    f.write_text(f"Date,Exercise,{named},Backoff,Reps\n2024-02-01,Squat,100,80,5\n")
    parsed = parse_file("csv", f, mapping={"columns": {"Backoff": "weight"}, "unit": "kg"})
    assert sets_of(parsed)[0][5] == 80.0


def test_no_date_column_names_the_flag(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("When it was,Exercise,Reps\nyesterday,Squat,5\n")
    with pytest.raises(ImportFormatError, match=r"log\.csv:1: no column holds the date.*--map COLUMN=date"):
        parse_file("csv", f)


def test_the_wrong_command_names_the_right_one(tmp_path: Path) -> None:
    f = tmp_path / "workouts.csv"
    f.write_text('"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
                 '"set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n'
                 '"Push","2024-01-07 17:15:00","","","Bench Press (Barbell)","","","0","normal","100","5","","",""\n')
    with pytest.raises(ImportFormatError, match="peri import hevy"):
        parse_file("strong", f)
    fitbod = tmp_path / "fitbod.csv"
    fitbod.write_text(FITBOD)
    with pytest.raises(ImportFormatError, match="peri import csv"):
        parse_file("strong", fitbod)


# --- files that are not CSV ------------------------------------------------------------------------
def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        # a ZIP holding a table is opened and the table read (tests/test_importers_archive.py); one holding none
        # is named for what it is
        z.writestr("export.xml", '<HealthData locale="en_GB"/>')
    return buf.getvalue()


@pytest.mark.parametrize("data, what", [
    (_zip(), "ZIP archive"),
    # an .xls is read now (tests/test_importers_xls.py, where a damaged one fails in one line)
    (b"\x1f\x8b\x08\x00" + bytes(50), "gzip"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"SQLite format 3\x00" + bytes(100), "SQLite"),
    (b'{"workouts": [{"date": "2024-01-01"}]}', "JSON"),
    (b"\xef\xbb\xbf[\n {\"a\": 1}\n]", "JSON"),
    (b'<?xml version="1.0"?>\n<HealthData locale="en_GB">', "XML"),
    (b"<!DOCTYPE html><html><body>Export</body></html>", "XML/HTML"),
])
@pytest.mark.parametrize("fmt", ["strong", "hevy", "fitnotes", "csv"])
def test_a_file_that_is_not_csv_says_what_it_is(ana: Store, tmp_path: Path, data: bytes, what: str, fmt: str) -> None:
    f = tmp_path / "export.csv"
    f.write_bytes(data)
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", fmt, f, map_exercise=ids)
    assert what in str(e.value) and f"{f}:1" in str(e.value) and "\n" not in str(e.value)
    assert ana.dump() == before


# --- rows real files carry ---------------------------------------------------------------------------
def test_repeated_header_and_blank_lines_are_not_sets(tmp_path: Path) -> None:
    f = tmp_path / "glued.csv"
    f.write_text("Date,Exercise,Weight,Reps\n2024-02-01,Squat,100,5\n\n,,,\nDate,Exercise,Weight,Reps\n"
                 "2024-02-02,Squat,102.5,5\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [w[5] for w in sets_of(parsed)] == [100.0, 102.5]
    assert any("line 5: the header row repeated" in s for s in parsed.skipped)


def test_line_numbers_stay_true_after_a_sep_line(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("sep=;\nDate;Exercise;Weight;Reps\n2024-02-01;Squat;100;5\n2024-02-02;Squat;heavy;5\n")
    with pytest.raises(ImportFormatError, match=r"x\.csv:4: weight 'heavy'"):
        parse_file("csv", f, mapping={"unit": "kg"})


def test_header_only_imports_nothing_and_says_so(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "h.csv"
    f.write_text("Date,Exercise,Weight,Reps\n")
    r = import_file(ana, "ana", "csv", f, map_exercise=ids)
    assert r.sets_new == 0 and any("no rows" in w for w in r.warnings)


@pytest.mark.parametrize("cell, why", [("NaN", "not a finite number"), ("inf", "not a finite number"),
                                       ("1e300", "outside"), ("1e400", "not a finite number")])
def test_non_finite_and_huge_loads_name_line_and_field(tmp_path: Path, cell: str, why: str) -> None:
    f = tmp_path / "x.csv"
    f.write_text(f"Date,Exercise,Weight,Reps\n2024-02-01,Squat,100,5\n2024-02-01,Squat,{cell},5\n")
    with pytest.raises(ImportFormatError, match=rf"x\.csv:3: weight .* {why}"):
        parse_file("csv", f, mapping={"unit": "kg"})


def test_negative_load_is_refused_and_listed_not_stored_unless_it_is_assistance(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("Date,Exercise,Weight,Reps\n2024-02-01,Squat,100,5\n2024-02-01,Squat,-20,5\n")
    r = import_file(ana, "ana", "csv", f, mapping={"unit": "kg"}, map_exercise=ids)
    assert r.sets_new == 1 and r.refused_count == 1 and "-20" in r.refused[0]
    # on a pull-up the same number is the machine's help (tests/test_importers_assisted.py)
    f.write_text("Date,Exercise,Weight,Reps\n2024-02-02,Squat,100,5\n2024-02-02,Pull Up,-20,5\n")
    r = import_file(ana, "ana", "csv", f, mapping={"unit": "kg"}, map_exercise=ids)
    assert r.sets_new == 2 and r.refused_count == 0


# --- through the CLI: one line and an exit code, never a traceback -----------------------------------
@pytest.fixture
def cli(home: Path):
    from peri.cli.log_commands import register

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_reads_an_unseen_app_without_a_mapping(cli, tmp_path: Path) -> None:
    f = tmp_path / "fitbod.csv"
    f.write_text(FITBOD)
    r = cli("import", "csv", str(f), "-a", "ana", "--create")
    assert r.exit_code == 0, r.output
    assert "columns read by their names" in r.output and "added 2 sessions, 5 sets" in r.output


def test_cli_refuses_a_workbook_in_one_line(cli, tmp_path: Path) -> None:
    f = tmp_path / "log.xlsx"
    f.write_bytes(_zip())
    r = cli("import", "strong", str(f), "-a", "ana", "--create")
    assert r.exit_code == 1 and "ZIP archive" in r.output and "Traceback" not in r.output


def test_cli_date_format_flag_on_an_app_command(cli, tmp_path: Path) -> None:
    f = tmp_path / "strong.csv"
    f.write_text(",".join(STRONG_2017) + "\n02/03/2024 18:02,Push,Bench Press (Barbell),1,100 kg,5,,,,\n")
    asked = cli("import", "strong", str(f), "-a", "ana", "--create")
    assert asked.exit_code == 1 and "--date-format" in asked.output and "Traceback" not in asked.output
    ok = cli("import", "strong", str(f), "-a", "ana", "--create", "--date-format", "mdy", "--json")
    assert ok.exit_code == 0, ok.output
    assert '"sets_new": 1' in ok.output
    assert cli("import", "strong", str(f), "-a", "ana", "--date-format", "sideways").exit_code != 0


def test_failed_import_of_an_unseen_file_writes_nothing(ana: Store, tmp_path: Path) -> None:
    ok = tmp_path / "ok.csv"
    ok.write_text("Date,Exercise,Weight,Reps\n2024-02-01,Squat,100 kg,5\n")
    import_file(ana, "ana", "csv", ok, map_exercise=ids)
    before = ana.dump()
    bad = tmp_path / "bad.csv"  # good rows first, one bad row last: the good ones must not be half-written
    # (an hour past 12 beside PM is a question for the whole file's clock, which refuses it: base.Problems.settle)
    bad.write_text("Date,Exercise,Weight,Reps\n" + "2024-02-02,Squat,100 kg,5\n" * 50
                   + "2024-02-03 13:00 PM,Squat,100 kg,5\n")
    with pytest.raises(PeriError, match=r"bad\.csv:52"):
        import_file(ana, "ana", "csv", bad, map_exercise=ids)
    assert ana.dump() == before


# --- a file of several tables (JEFIT), title lines above the header ---------------------------------
JEFIT = """### JEFIT EXPORT ###
######################################################

### SETTINGS ###
_id,version,mass,length
1,2,kg,cm
######################################################

### WORKOUT SESSIONS ###
row_id,_id,starttime,endtime,total_time
1,1,1700000000,1700003600,3600
######################################################

### EXERCISE LOGS ###
row_id,USERID,TIMESTAMP,_id,belongsession,mydate,ename,logs,record
1,7,1700600000,11,1,2023-11-14,Barbell Bench Press,"100x5,100x5,102.5x3,",0
2,7,1700600000,12,1,2023-11-14,Barbell Squat,"140x5,140x5,",0
3,7,1700600000,13,2,2023-11-16,Pull Up,"0x10,0x8,",0
######################################################
"""


def test_jefit_sections_read_the_set_log(tmp_path: Path) -> None:
    f = tmp_path / "jefit.csv"
    f.write_text(JEFIT)
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    got = [(s.started_at.date().isoformat(), w[0], w[2], w[5], w[6]) for s in parsed.sessions for w in s.sets]
    assert got == [
        ("2023-11-14", "Barbell Bench Press", 1, 100.0, 5), ("2023-11-14", "Barbell Bench Press", 2, 100.0, 5),
        ("2023-11-14", "Barbell Bench Press", 3, 102.5, 3), ("2023-11-14", "Barbell Squat", 1, 140.0, 5),
        ("2023-11-14", "Barbell Squat", 2, 140.0, 5),
        ("2023-11-16", "Pull Up", 1, None, 10), ("2023-11-16", "Pull Up", 2, None, 8),  # bodyweight: no load
    ]
    assert any("'EXERCISE LOGS'" in w for w in parsed.warnings)
    # the row's edit time (TIMESTAMP, 21 Nov 2023) is not the workout's date (mydate)
    assert any("'mydate' as date" in w and "'TIMESTAMP'" in w for w in parsed.warnings)


def test_jefit_bad_log_cell_names_its_true_line(tmp_path: Path) -> None:
    f = tmp_path / "jefit.csv"
    f.write_text(JEFIT.replace("140x5,140x5,", "140x5,heavy,"))
    with pytest.raises(ImportFormatError, match=r"jefit\.csv:17: logs .*'heavy' is not WEIGHTxREPS"):
        parse_file("csv", f, mapping={"unit": "kg"})


def test_title_and_blank_lines_above_the_header(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("My training log 2024\n\nDate,Exercise,Weight,Reps\n2024-01-02,Squat,100,5\n2024-01-02,Squat,x,5\n")
    with pytest.raises(ImportFormatError, match=r"log\.csv:5: weight 'x'"):  # line numbers of the file itself
        parse_file("csv", f, mapping={"unit": "kg"})
    f.write_text("My training log 2024\n\nDate,Exercise,Weight,Reps\n2024-01-02,Squat,100,5\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [w[5] for w in sets_of(parsed)] == [100.0]
    assert any("My training log 2024" in w for w in parsed.warnings)


@pytest.mark.parametrize("text, when", [
    ("45352", dt.datetime(2024, 3, 1)),  # Excel: 45292 is 1 Jan 2024, + 31 + 29 days
    ("45352.75", dt.datetime(2024, 3, 1, 18, 0)),
    ("1700000000", dt.datetime(2023, 11, 14, 22, 13, 20)),  # Unix seconds (UTC)
    ("1700000000000", dt.datetime(2023, 11, 14, 22, 13, 20)),  # and milliseconds
])
def test_serial_and_epoch_dates(text: str, when: dt.datetime) -> None:
    assert parse_datetime(text) == when


@pytest.mark.parametrize("cell, reps", [("8 reps", 8), ("8x", 8), ("8 Wdh.", 8), ("12", 12)])
def test_reps_typed_with_their_word(tmp_path: Path, cell: str, reps: int) -> None:
    f = tmp_path / "log.csv"
    f.write_text(f"Date,Exercise,Weight,Reps\n2024-01-02,Squat,100 kg,{cell}\n")
    assert sets_of(parse_file("csv", f))[0][6] == reps


BLOC = """user_name,workout_id,workout_date,workout_completed,exercise_name,assigned_reps,assigned_weight,actual_reps,actual_weight,assigned_exercise_missed,weight_units
ana,1,2024-03-01,true,Squat,5,100,,,false,lbs
ana,1,2024-03-01,true,Squat,5,100,4,95,false,lbs
ana,1,2024-03-01,true,Deadlift,5,140,,,true,lbs
ana,2,2024-03-04,false,Squat,5,105,,,false,lbs
"""


def test_coaching_app_layout_reads_performed_else_prescribed(tmp_path: Path) -> None:
    # Barbell Logic's export: actual_* only where the lifter did other than assigned; a missed exercise and a
    # workout not completed are no sets
    f = tmp_path / "bloc.csv"
    f.write_text(BLOC)
    parsed = parse_file("csv", f)
    # 100 lb = 45.359237 kg, 95 lb = 43.0913 kg (to 4 places)
    assert [(w[0], w[3], w[4], w[5], w[6]) for w in sets_of(parsed)] == [
        ("Squat", 100.0, "lb", 45.3592, 5), ("Squat", 95.0, "lb", 43.0913, 4)]
    assert any("missed" in s for s in parsed.skipped) and any("not completed" in s for s in parsed.skipped)


def test_no_load_or_reps_column_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Comment\n2024-03-01,Squat,good\n")
    with pytest.raises(ImportFormatError, match="no column holds a load, reps, time or distance"):
        parse_file("csv", f)


# --- a log written as blocks (Alpha Progression's export) ----------------------------------------------
ALPHA = """"Legs · Day 2 · Week 4 · Push-Pull-Legs";"2026-02-19 4:54 h";"1:02 hr"
"1. Hack Squats · Machine · 8 reps";"WU1 · 37,5 kg · 9 reps<br>WU2 · 72,5 kg · 7 reps"
#;KG;REPS;RIR
1;115;8;1
2;102,5;6;0
"2. Pull-ups · Bodyweight · 10 reps"
#;KG;REPS;RIR
1;+35;10;0
2;+0;12;0,5

"Push · Day 1 · Week 5 · Push-Pull-Legs";"2026-02-21 17:10 h";"0:58 hr"
"1. Hack Squats · Machine · 8 reps · 2 dropsets"
#;KG;REPS;RIR
1;120;8;2
"""


def test_blocks_of_sessions_exercises_and_sets(tmp_path: Path) -> None:
    f = tmp_path / "alpha.csv"
    f.write_text(ALPHA)
    parsed = parse_file("csv", f)
    assert [(s.started_at, s.name) for s in parsed.sessions] == [
        (dt.datetime(2026, 2, 19, 4, 54), "Legs · Day 2 · Week 4 · Push-Pull-Legs"),
        (dt.datetime(2026, 2, 21, 17, 10), "Push · Day 1 · Week 5 · Push-Pull-Legs")]
    got = [(w[0], w[2], w[5], w[6], w[8], w[11]) for s in parsed.sessions for w in s.sets]
    assert got == [
        ("Hack Squats (Machine)", 1, 37.5, 9, None, "warmup"), ("Hack Squats (Machine)", 2, 72.5, 7, None, "warmup"),
        ("Hack Squats (Machine)", 3, 115.0, 8, 1.0, "normal"), ("Hack Squats (Machine)", 4, 102.5, 6, 0.0, "normal"),
        ("Pull-ups (Bodyweight)", 1, 35.0, 10, 0.0, "normal"),  # +35: added to bodyweight
        ("Pull-ups (Bodyweight)", 2, None, 12, 0.5, "normal"),  # +0: bodyweight alone
        ("Hack Squats (Machine)", 1, 120.0, 8, 2.0, "normal"),  # numbered afresh in the next session
    ]
    assert parsed.unit.unit == "kg" and parsed.unit.source == "stated"


def test_blocks_bad_set_line_names_its_line(tmp_path: Path) -> None:
    f = tmp_path / "alpha.csv"
    f.write_text(ALPHA.replace("2;102,5;6;0", "2;heavy;6;0"))
    with pytest.raises(ImportFormatError, match=r"alpha\.csv:5: weight 'heavy'"):
        parse_file("csv", f)


def test_a_file_without_a_header_row_says_so(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("2024-01-02,Squat,100,5\n2024-01-03,Squat,102.5,5\n")
    with pytest.raises(ImportFormatError, match=r"log\.csv:1: the first line holds values.*no header row"):
        parse_file("csv", f)


def test_a_summary_row_stands_for_its_count_of_sets(tmp_path: Path) -> None:
    f = tmp_path / "sheet.csv"
    f.write_text("Date,Exercise,Sets,Reps,Weight\n2024-03-01,Squat,3,5,100\n2024-03-01,Curl,0,10,15\n"
                 "2024-03-01,Bench,2,8,60\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    # 3 x 5 @ 100 is three sets, 2 x 8 @ 60 two, "0 sets" of curls none: 5 sets, numbered per exercise
    assert [(w[0], w[2], w[5], w[6]) for w in sets_of(parsed)] == [
        ("Squat", 1, 100.0, 5), ("Squat", 2, 100.0, 5), ("Squat", 3, 100.0, 5), ("Bench", 1, 60.0, 8),
        ("Bench", 2, 60.0, 8)]
    assert any("3 sets added" in w for w in parsed.warnings)


def test_a_sets_column_that_numbers_the_sets_is_not_a_count(tmp_path: Path) -> None:
    f = tmp_path / "sheet.csv"
    f.write_text("Date,Exercise,Sets,Reps,Weight\n2024-03-01,Squat,1,5,100\n2024-03-01,Squat,2,5,102.5\n"
                 "2024-03-01,Squat,3,5,105\n2024-03-03,Squat,1,5,105\n2024-03-03,Squat,2,5,107.5\n")
    parsed = parse_file("csv", f, mapping={"unit": "kg"})
    assert [w[5] for w in sets_of(parsed)] == [100.0, 102.5, 105.0, 105.0, 107.5]
    assert any("numbers the sets" in w for w in parsed.warnings)


def test_an_app_export_through_csv_that_fails_names_the_app_command(tmp_path: Path) -> None:
    # a FitNotes export with a load no reader takes: the generic reader's error names FitNotes' own command
    f = tmp_path / "fitnotes.csv"
    f.write_text("Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n"
                 "2024-01-02,Overhead Press,Shoulders,heavy,kgs,8,,,\n")
    with pytest.raises(ImportFormatError, match="FitNotes export: `peri import fitnotes`"):
        parse_file("csv", f)


def test_an_unquoted_comma_in_a_name_is_joined_back_by_the_generic_reader(tmp_path: Path) -> None:
    # FitNotes writes a comma inside a name unquoted; any spreadsheet can: the one reading that fits the row
    f = tmp_path / "fitnotes.csv"
    f.write_text("Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n"
                 "2024-01-02,Overhead Press (Each Side, Dumbbells),Shoulders,20.0,kgs,8,,,\n")
    for fmt in ("csv", "fitnotes"):
        w = sets_of(parse_file(fmt, f))[0]
        assert (w[0], w[3], w[6]) == ("Overhead Press (Each Side, Dumbbells)", 20.0, 8)
    # two free-text columns either of which could take the surplus: no reading is sure, the row is refused
    f.write_text("Date,Exercise,Notes,Reps\n2024-01-02,Press, wide,easy,8\n")
    with pytest.raises(ImportFormatError, match="expected 4 fields, found 5"):
        parse_file("csv", f)


def test_distance_with_its_unit_in_a_column_or_the_cell(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Distance,Distance Unit,Seconds\n2024-01-02,Run,5,km,1500\n2024-01-02,Row,2000,m,480\n"
                 "2024-01-03,Run,3.1 mi,,1500\n")
    parsed = parse_file("csv", f)
    # 3.1 mi = 3.1 x 1609.344 m = 4988.966 m
    assert [w[9] for w in sets_of(parsed)] == [5000.0, 2000.0, 4988.966]
    # a bare number is metres, kilometres or miles: not guessed, not a reason to refuse the log - the set is
    # stored without its distance and the report says how to keep it
    f.write_text("Date,Exercise,Distance,Seconds\n2024-01-02,Run,5,1500\n2024-01-02,Squat,,\n")
    parsed = parse_file("csv", f)
    assert [(w[0], w[9], w[10]) for w in sets_of(parsed)] == [("Run", None, 1500.0), ("Squat", None, None)]
    assert any("1 distances in the 'Distance' column name no unit (first at line 2)" in w
               and "--map 'Distance=distance_km'" in w for w in parsed.warnings)
