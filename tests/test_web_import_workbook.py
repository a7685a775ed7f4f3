"""The web import form takes a spreadsheet workbook (.xlsx) as it takes a CSV: the upload is stored without its
name's suffix, so the workbook is recognised by its content; the report names the uploaded file, never the
server's copy."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from peri.web.app import WebSettings, create_app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def client(home: Path):
    app = create_app(WebSettings(max_upload_bytes=200_000))
    yield TestClient(app, base_url="http://testserver")
    app.pages.jobs.shutdown()


def test_a_workbook_upload_previews_and_imports(client: TestClient, home: Path, tmp_path: Path) -> None:
    page = client.get("/import").text
    assert ".xlsx" in re.search(r'<input type="file"[^>]*accept="([^"]*)"', page).group(1)
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    for row in (["Date", "Exercise", "Weight (kg)", "Reps"], [dt.date(2024, 3, 1), "Squat", 100, 5],
                [dt.date(2024, 3, 1), "Squat", 100, "8-10"], [dt.date(2024, 3, 4), "Bench Press", 70, 8]):
        ws.append(row)
    f = tmp_path / "my log.xlsx"
    wb.save(f)
    with open(f, "rb") as fh:
        r = client.post("/import/preview", data={"athlete": "lee", "fmt": "auto", "unit": "", "csrf": token},
                        files={"file": (f.name, fh, XLSX)})
    assert r.status_code == 200, r.text[:500]
    assert "read sheet &#39;Log&#39;" in r.text or "read sheet 'Log'" in r.text
    assert "my log.xlsx:3" in r.text and "uploads" not in r.text.split('id="import-report"')[1].split("</ul>")[0]
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
    done = client.post("/import/confirm", data=form)
    assert done.status_code == 200
    with Store(home / "peri.db") as s:
        sets = [(w.exercise, w.weight_kg, w.reps) for x in s.sessions(s.get_athlete("lee").id) for w in x.sets]
    assert sets == [("Squat", 100.0, 5), ("Squat", 100.0, 8), ("Bench Press", 70.0, 8)]
