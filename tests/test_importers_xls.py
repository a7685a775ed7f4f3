"""Old Excel 97-2003 `.xls` workbooks, read through the same path as .xlsx (`importers.workbook`, xlrd): each test
writes its own small workbook with xlwt (the dev extra) and imports it through `auto`. Date cells are dates,
numbers numbers, a cell merged down a column fills each row it covers; a damaged .xls is refused in one line
naming the file, the store unchanged."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlwt

from peri.errors import ImportFormatError
from peri.log.importers import detect_format, import_file
from peri.log.importers.workbook import OLE2, workbook_kind
from peri.log.models import Athlete
from peri.log.store import Store

DAY = xlwt.easyxf(num_format_str="YYYY-MM-DD")
CLOCK = xlwt.easyxf(num_format_str="HH:MM")


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def xls(path: Path, sheets: dict[str, list[list]], merge: list[tuple[str, int, int, int, int]] = ()) -> Path:
    """A workbook of the given sheets (name -> rows); dates and times written as Excel date cells; `merge`:
    (sheet, first row, last row, first column, last column) written as one merged cell (0-based, inclusive)."""
    wb = xlwt.Workbook()
    merged = {(m[0], m[1], m[3]): m for m in merge}
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                style = DAY if isinstance(v, dt.date) else CLOCK if isinstance(v, dt.time) else xlwt.Style.default_style
                if (name, r, c) in merged:
                    _, r1, r2, c1, c2 = merged[(name, r, c)]
                    ws.write_merge(r1, r2, c1, c2, v, style)
                else:
                    ws.write(r, c, v, style)
    wb.save(str(path))
    return path


def stored(store: Store, name: str = "ana") -> list[tuple]:
    a = store.get_athlete(name)
    return [(s.started_at, w.exercise, w.weight_kg, w.reps) for s in store.sessions(a.id) for w in s.sets]


def test_a_log_in_an_old_xls_workbook(ana: Store, tmp_path: Path) -> None:
    # the date of 1 March written once, merged down rows 2-3; the second sheet is the one that reads
    f = xls(tmp_path / "log.xls", {
        "Notes": [["My training"], ["started in March"]],
        "Log": [["Date", "Exercise", "Weight (kg)", "Reps"],
                [dt.date(2024, 3, 1), "Squat", 100, 5],
                [None, "Squat", 102.5, 5],
                [dt.date(2024, 3, 4), "Bench Press", 80, 8]]},
        merge=[("Log", 1, 2, 0, 0)])
    assert workbook_kind(f.read_bytes()) == "xls"
    assert detect_format(f)[0] == "csv"
    r = import_file(ana, "ana", "auto", f)
    assert r.sets_new == 3
    assert stored(ana) == [(dt.datetime(2024, 3, 1), "Squat", 100.0, 5), (dt.datetime(2024, 3, 1), "Squat", 102.5, 5),
                           (dt.datetime(2024, 3, 4), "Bench Press", 80.0, 8)]
    assert any("read sheet 'Log' of the workbook (2 sheets)" in w for w in r.warnings)


def test_a_strong_export_saved_as_xls_is_recognised(ana: Store, tmp_path: Path) -> None:
    header = ["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Reps", "Distance", "Seconds", "Notes",
              "Workout Notes"]
    f = xls(tmp_path / "strong.xls", {"strong": [header,
                                                 ["2024-03-01 18:02:00", "Legs", "Squat (Barbell)", 1, 100, 5, 0, 0,
                                                  "", ""],
                                                 ["2024-03-01 18:02:00", "Legs", "Squat (Barbell)", 2, 105, 3, 0, 0,
                                                  "", ""]]})
    r = import_file(ana, "ana", "auto", f, mapping={"unit": "kg"})
    assert r.fmt == "strong" and r.sets_new == 2
    assert [x[2:] for x in stored(ana)] == [(100.0, 5), (105.0, 3)]


def test_a_time_of_day_cell_is_read_as_the_sessions_time(ana: Store, tmp_path: Path) -> None:
    f = xls(tmp_path / "log.xls", {"Log": [["Date", "Time", "Exercise", "Weight (kg)", "Reps"],
                                           [dt.date(2024, 3, 1), dt.time(18, 30), "Squat", 100, 5],
                                           [dt.date(2024, 3, 1), dt.time(18, 30), "Squat", 100, 5],
                                           [dt.date(2024, 3, 4), dt.time(7, 15), "Squat", 105, 5],
                                           [dt.date(2024, 3, 4), dt.time(7, 15), "Squat", 105, 5]]})
    import_file(ana, "ana", "auto", f)
    # one clock value per session: its time of day (`timecol`), as from an .xlsx
    assert [x[0] for x in stored(ana)] == [dt.datetime(2024, 3, 1, 18, 30)] * 2 + [dt.datetime(2024, 3, 4, 7, 15)] * 2


@pytest.mark.parametrize("data", [OLE2 + bytes(200), OLE2 + b"\xff" * 3000])
def test_a_damaged_xls_fails_in_one_line_and_writes_nothing(ana: Store, tmp_path: Path, data: bytes) -> None:
    f = tmp_path / "log.xls"
    f.write_bytes(data)
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", f)
    assert "the old Excel .xls workbook could not be read" in str(e.value) and str(f) in str(e.value)
    assert "\n" not in str(e.value)
    assert ana.dump() == before


def test_the_web_form_takes_an_xls_upload(home: Path, tmp_path: Path) -> None:
    import re

    from starlette.testclient import TestClient

    from peri.web.app import WebSettings, create_app

    app = create_app(WebSettings(max_upload_bytes=200_000))
    try:
        client = TestClient(app, base_url="http://testserver")
        page = client.get("/import").text
        accept = re.search(r'<input type="file"[^>]*accept="([^"]*)"', page).group(1)
        assert ".xls," in accept and "application/vnd.ms-excel" in accept
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        f = xls(tmp_path / "old log.xls", {"Log": [["Date", "Exercise", "Weight (kg)", "Reps"],
                                                   [dt.date(2024, 3, 1), "Squat", 100, 5]]})
        with open(f, "rb") as fh:
            r = client.post("/import/preview", data={"athlete": "lee", "fmt": "auto", "unit": "", "csrf": token},
                            files={"file": (f.name, fh, "application/vnd.ms-excel")})
        assert r.status_code == 200 and "old log.xls" in r.text
        form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
        assert client.post("/import/confirm", data=form).status_code == 200
    finally:
        app.pages.jobs.shutdown()
    with Store(home / "peri.db") as s:
        assert [(w.weight_kg, w.reps) for x in s.sessions(s.get_athlete("lee").id) for w in x.sets] == [(100.0, 5)]


@pytest.mark.parametrize("name, fmt", [("fitnotes.csv", "fitnotes"), ("strong-android.csv", "strong")])
def test_a_real_export_saved_as_xls_reads_the_same_sets(shared_data: Path, tmp_path: Path, name: str, fmt: str) -> None:
    """The real export (read in place) opened in Excel and saved as .xls: numbers become numbers, text stays
    text; the workbook gives exactly the sets the CSV gives."""
    import csv
    import io

    from peri.log.importers import parse_file

    source = shared_data / "exports" / name
    text = source.read_text(encoding="utf-8-sig")
    delim = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delim):  # records: a quoted note may hold line breaks
        rows.append([float(c) if c.replace(".", "", 1).isdigit() else c for c in row])
    f = xls(tmp_path / name.replace(".csv", ".xls"), {"Export": rows})
    assert detect_format(f)[0] == fmt
    from_csv = parse_file(fmt, source)
    from_xls = parse_file(fmt, f)
    assert from_xls.set_count == from_csv.set_count > 1000
    assert [s.sets for s in from_xls.sessions] == [s.sets for s in from_csv.sessions]
