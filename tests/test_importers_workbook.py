"""Spreadsheet workbooks (.xlsx, .ods) imported as the people who keep their log in Excel, Google Sheets or
LibreOffice hand them over: each test writes its own small workbook (openpyxl, odfpy) in one layout and imports
it through `auto`. Date cells are real dates, numbers numbers; a damaged workbook or one with no sheet that
reads is refused in one line naming the file (and its sheets), the store unchanged."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from odf.namespaces import OFFICENS, TEXTNS
from odf.table import TableCell
from odf.text import P

from peri.errors import ImportFormatError
from peri.log.importers import detect_format, import_file, parse_file
from peri.log.importers.workbook import _iso_duration, _ods_value, cell_text
from peri.log.models import Athlete
from peri.log.store import Store


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def xlsx(path: Path, sheets: dict[str, list[list]], merge: list[tuple[str, str]] = ()) -> Path:
    """A workbook of the given sheets (name -> rows); `merge`: (sheet, range) cells merged."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for name, rng in merge:
        wb[name].merge_cells(rng)
    wb.save(path)
    return path


def stored(store: Store, name: str = "ana") -> list[tuple]:
    a = store.get_athlete(name)
    return [(s.started_at, w.exercise, w.weight_kg, w.reps) for s in store.sessions(a.id) for w in s.sets]


def test_generic_columns_with_real_dates_a_title_and_a_merged_date(ana: Store, tmp_path: Path) -> None:
    # row 1 a title, row 2 blank, row 3 the header; the date of 1 March is one cell merged down rows 4-5
    f = xlsx(tmp_path / "log.xlsx", {"Log": [
        ["My training 2024"], [],
        ["Date", "Exercise", "Weight (kg)", "Reps"],
        [dt.datetime(2024, 3, 1), "Squat", 100, 5],
        [None, "Squat", 102.5, 5],
        [dt.datetime(2024, 3, 4, 18, 30), "Bench Press", 80.0, "8-10"],
    ]}, merge=[("Log", "A4:A5")])
    r = import_file(ana, "ana", "auto", f)
    assert r.fmt == "csv" and (r.sessions_new, r.sets_new) == (2, 3)
    assert stored(ana) == [(dt.datetime(2024, 3, 1), "Squat", 100.0, 5), (dt.datetime(2024, 3, 1), "Squat", 102.5, 5),
                           (dt.datetime(2024, 3, 4, 18, 30), "Bench Press", 80.0, 8)]
    assert any(w.startswith("read sheet 'Log' of the workbook") for w in r.warnings)
    # the range's place is the sheet's own row number
    assert any(f"(first at {f}:6)" in w for w in r.warnings)


def test_a_day_first_date_cell_is_never_asked_about(ana: Store, tmp_path: Path) -> None:
    # 3 April and 4 May: as text "03/04" would need a day/month answer; a date cell is a date
    f = xlsx(tmp_path / "log.xlsx", {"Sheet1": [["Date", "Exercise", "Weight (kg)", "Reps"],
                                                [dt.date(2024, 4, 3), "Squat", 100, 5],
                                                [dt.date(2024, 5, 4), "Squat", 105, 5]]})
    import_file(ana, "ana", "auto", f)
    assert [d.date() for d, *_ in stored(ana)] == [dt.date(2024, 4, 3), dt.date(2024, 5, 4)]


def test_a_wide_sheet_in_a_workbook(ana: Store, tmp_path: Path) -> None:
    f = xlsx(tmp_path / "wide.xlsx", {"Training": [
        ["Date", "Exercise", "Set 1 Weight", "Set 1 Reps", "Set 2 Weight", "Set 2 Reps", "Set 3 Weight", "Set 3 Reps"],
        [dt.date(2024, 3, 1), "Deadlift", 140, 5, 150, 3, None, None],
        [dt.date(2024, 3, 1), "Row", 60, 10, 60, 10, 60, 9],
    ]})
    r = import_file(ana, "ana", "auto", f, mapping={"unit": "kg"})
    assert r.sets_new == 5
    assert [(e, kg, reps) for _, e, kg, reps in stored(ana)] == [
        ("Deadlift", 140.0, 5), ("Deadlift", 150.0, 3), ("Row", 60.0, 10), ("Row", 60.0, 10), ("Row", 60.0, 9)]


def test_a_strong_export_pasted_into_a_sheet_goes_to_the_strong_reader(ana: Store, tmp_path: Path) -> None:
    header = ["Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps", "Distance",
              "Seconds", "Notes", "Workout Notes", "RPE"]
    f = xlsx(tmp_path / "strong.xlsx", {"strong": [
        header,
        [dt.datetime(2024, 3, 1, 18, 2), "Legs", "45m", "Squat (Barbell)", 1, 100, 5, 0, 0, None, None, None],
        [dt.datetime(2024, 3, 1, 18, 2), "Legs", "45m", "Squat (Barbell)", 2, 100, 5, 0, 0, None, None, 8],
    ]})
    fmt, _ = detect_format(f)
    assert fmt == "strong"
    r = import_file(ana, "ana", "auto", f, mapping={"unit": "kg"})
    assert r.fmt == "strong" and r.sets_new == 2
    assert stored(ana) == [(dt.datetime(2024, 3, 1, 18, 2), "Squat (Barbell)", 100.0, 5)] * 2


def test_the_first_sheet_that_reads_is_read(ana: Store, tmp_path: Path) -> None:
    f = xlsx(tmp_path / "log.xlsx", {
        "Notes": [["Programme notes"], ["Squat twice a week"]],
        "Maxes": [["Lift", "1RM"], ["Squat", 140]],
        "Log": [["Date", "Exercise", "Weight (kg)", "Reps"], [dt.date(2024, 3, 1), "Squat", 100, 5]],
    })
    p = parse_file("csv", f)
    assert len(p.sessions) == 1 and "read sheet 'Log' of the workbook (3 sheets)" in p.warnings[0]


def test_a_workbook_with_no_sheet_that_reads_is_refused_in_one_line(ana: Store, tmp_path: Path) -> None:
    f = xlsx(tmp_path / "maxes.xlsx", {"Maxes": [["Lift", "1RM"], ["Squat", 140]], "Plan": [["Week", "Day"]]})
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", f)
    assert e.value.place == str(f) and "'Maxes', 'Plan'" in e.value.message and "\n" not in e.value.message
    assert ana.dump() == before


def test_a_damaged_workbook_is_refused_in_one_line(ana: Store, tmp_path: Path) -> None:
    good = xlsx(tmp_path / "good.xlsx", {"Log": [["Date", "Exercise", "Weight (kg)", "Reps"],
                                                 [dt.date(2024, 3, 1), "Squat", 100, 5]]}).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good[: len(good) // 2])  # a download cut short
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", cut)
    assert str(cut) in (e.value.place or "") and "damaged" in e.value.message
    assert ana.dump() == before


def test_a_workbook_whose_sheet_xml_is_broken_is_refused_in_one_line(ana: Store, tmp_path: Path) -> None:
    import zipfile

    good = xlsx(tmp_path / "good.xlsx", {"Log": [["Date", "Exercise", "Weight (kg)", "Reps"],
                                                 [dt.date(2024, 3, 1), "Squat", 100, 5]]})
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<worksheet><sheetData><row" if item.filename.startswith("xl/worksheets/") else data)
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", broken)
    assert e.value.place == str(broken) and "could not be read" in e.value.message
    assert ana.dump() == before


def test_a_zip_that_holds_no_workbook_is_still_named_a_zip(tmp_path: Path) -> None:
    import zipfile

    f = tmp_path / "export.zip"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("strong.xml", "<a/>")  # a ZIP holding a CSV is read (tests/test_importers_archive.py)
    with pytest.raises(ImportFormatError, match="ZIP archive"):
        parse_file("csv", f)


def _ods(path: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name="Journal")

    def row(*cells) -> TableRow:
        tr = TableRow()
        for c in cells:
            if isinstance(c, dt.date):
                tc = TableCell(valuetype="date", datevalue=c.isoformat())
                tc.addElement(P(text=c.strftime("%d/%m/%Y")))  # shown day first; the value is the date
            elif isinstance(c, float | int):
                tc = TableCell(valuetype="float", value=str(c))
                tc.addElement(P(text=str(c).replace(".", ",")))  # shown with a decimal comma
            else:
                tc = TableCell(valuetype="string")
                tc.addElement(P(text=c))
            tr.addElement(tc)
        return tr

    t.addElement(row("Datum", "Übung", "Gewicht (kg)", "Wiederholungen"))
    t.addElement(row(dt.date(2024, 4, 3), "Kniebeuge", 100.0, 5))
    t.addElement(row(dt.date(2024, 4, 3), "Kniebeuge", 102.5, 5))
    t.addElement(row(dt.date(2024, 5, 4), "Bankdrücken", 70.0, "8 bis 10"))
    doc.spreadsheet.addElement(t)
    doc.save(str(path))
    return path


def test_an_ods_workbook_from_libreoffice(ana: Store, tmp_path: Path) -> None:
    f = _ods(tmp_path / "journal.ods")
    r = import_file(ana, "ana", "auto", f)
    assert r.fmt == "csv" and (r.sessions_new, r.sets_new) == (2, 3)
    assert stored(ana) == [(dt.datetime(2024, 4, 3), "Kniebeuge", 100.0, 5),
                           (dt.datetime(2024, 4, 3), "Kniebeuge", 102.5, 5),
                           (dt.datetime(2024, 5, 4), "Bankdrücken", 70.0, 8)]
    assert any("read sheet 'Journal'" in w for w in r.warnings)


@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "true"), (5.0, "5"), (102.5, "102.5"), (7, "7"), (dt.datetime(2024, 3, 1), "2024-03-01"),
    (dt.datetime(2024, 3, 1, 18, 2), "2024-03-01 18:02:00"), (dt.date(2024, 3, 1), "2024-03-01"),
    (dt.time(18, 2), "18:02:00"), (dt.timedelta(minutes=75), "1:15:00"), ("a\nb", "a b"),
])
def test_cell_text_by_hand(value, text: str) -> None:
    assert cell_text(value) == text


def test_the_cli_refuses_a_damaged_workbook_in_one_line(tmp_path: Path, home: Path) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app

    f = tmp_path / "log.xlsx"
    buf = io.BytesIO()
    xlsx(tmp_path / "g.xlsx", {"Log": [["Date", "Exercise"], [dt.date(2024, 3, 1), "Squat"]]})
    buf.write((tmp_path / "g.xlsx").read_bytes()[:300])
    f.write_bytes(buf.getvalue())
    r = CliRunner().invoke(app, ["import", "auto", str(f), "--athlete", "lee", "--create"])
    assert r.exit_code != 0 and "Traceback" not in r.output and "log.xlsx" in r.output and "damaged" in r.output


# --- damaged workbooks, generated: nothing but a PeriError escapes, and the store is left as it was ---------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _good_xlsx() -> bytes:
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Date", "Exercise", "Weight (kg)", "Reps"], [dt.date(2024, 3, 1), "Squat", 100, "8-10"],
                [dt.date(2024, 3, 3), "Bench Press", 70, 5]):
        ws.append(row)
    wb.save(buf)
    return buf.getvalue()


GOOD_XLSX = _good_xlsx()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, len(GOOD_XLSX) - 1), st.integers(0, 255)), max_size=6),
       keep=st.integers(30, len(GOOD_XLSX)))
def test_a_damaged_workbook_never_escapes_as_anything_but_a_peri_error(tmp_path: Path, cuts, keep: int) -> None:
    import tempfile

    from peri.errors import PeriError

    data = bytearray(GOOD_XLSX[:keep])
    for at, byte in cuts:
        if at < len(data):
            data[at] = byte
    with tempfile.TemporaryDirectory(dir=tmp_path) as d:
        f = Path(d) / "log.xlsx"
        f.write_bytes(bytes(data))
        with Store(Path(d) / "p.db") as s:
            s.add_athlete(Athlete(name="ana"))
            before = s.dump()
            try:
                r = import_file(s, "ana", "auto", f)
            except PeriError:
                assert s.dump() == before
            else:
                assert r.sets_new == len([w for x in s.sessions(s.get_athlete("ana").id) for w in x.sets])


# --- the .ods reader's cells one by one (`_ods_value`, `_iso_duration`; issue 20: the mutation pass left most of
# the .ods reader's mutants alive, the whole-file tests above holding only text and plain numbers): a number, a
# percentage and a currency as floats, a date with and without its time, a duration, a boolean, text over several
# paragraphs, an empty cell, and ISO 8601 durations by hand


def value(cell: TableCell):
    return _ods_value(cell, OFFICENS, TEXTNS)


@pytest.mark.parametrize("kind", ["float", "percentage", "currency"])
def test_numbers_are_floats_whatever_the_sheet_shows(kind: str) -> None:
    cell = TableCell(valuetype=kind, value="102.5")
    cell.addElement(P(text="102,50 kg"))  # what the sheet displays is not what it holds
    assert value(cell) == 102.5


def test_dates_with_and_without_a_time() -> None:
    assert value(TableCell(valuetype="date", datevalue="2025-01-03T18:30:00")) == dt.datetime(2025, 1, 3, 18, 30)
    assert value(TableCell(valuetype="date", datevalue="2025-01-03")) == dt.date(2025, 1, 3)


def test_a_duration_a_boolean_text_and_an_empty_cell() -> None:
    assert value(TableCell(valuetype="time", timevalue="PT01H30M05S")) == dt.timedelta(hours=1, minutes=30, seconds=5)
    assert value(TableCell(valuetype="boolean", booleanvalue="true")) is True
    assert value(TableCell(valuetype="boolean", booleanvalue="false")) is False
    text = TableCell(valuetype="string")
    text.addElement(P(text="felt"))
    text.addElement(P(text="easy"))
    assert value(text) == "felt\neasy"
    assert value(TableCell()) is None


@pytest.mark.parametrize("iso, expected", [
    ("PT01H30M00S", dt.timedelta(hours=1, minutes=30)), ("PT45.5S", dt.timedelta(seconds=45.5)),
    ("P1DT2H", dt.timedelta(days=1, hours=2)), ("PT90M", dt.timedelta(minutes=90)), ("P2D", dt.timedelta(days=2)),
    ("PT0S", dt.timedelta(0)),
])
def test_iso_durations_by_hand(iso: str, expected: dt.timedelta) -> None:
    assert _iso_duration(iso) == expected


@pytest.mark.parametrize("bad", ["", "1:30:00", "PT1.5H", "P1W", None])
def test_what_is_no_iso_duration_names_itself(bad) -> None:
    with pytest.raises(ValueError) as e:
        _iso_duration(bad)
    assert str(e.value) == f"duration {bad!r}"
