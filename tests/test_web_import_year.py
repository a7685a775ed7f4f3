"""The web import form's year field (the CLI's `--year`, through the same `import_file` call): a file whose dates
carry no year is refused without it, naming the form's field (not the CLI's flag), and imported with it into the
years counted on by hand; a forged year or a post without its CSRF token is refused and nothing is written."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.errors import NotFound
from peri.log.store import Store
from test_web import HOST, alert, app, client, csrf_of  # noqa: F401  (fixtures)

# a generic log whose dates carry no year, oldest first, crossing the turn of the year
ROWS = [("30 Dec", "Squat", 100), ("2 Jan", "Squat", 102.5), ("5 Jan", "Bench Press", 60)]


def yearless_csv(path: Path) -> Path:
    path.write_text("Date,Exercise,Weight (kg),Reps\n" + "".join(f'"{d}",{e},{w},5\n' for d, e, w in ROWS))
    return path


def preview(client: TestClient, path: Path, **fields: str):
    token = csrf_of(client.get("/import").text)
    with open(path, "rb") as f:
        return client.post("/import/preview", data={"csrf": token, "athlete": "lee", "fmt": "auto", **fields},
                           files={"file": (path.name, f, "text/csv")})


def days(home: Path) -> list[str]:
    with Store(home / "peri.db") as s:
        try:
            a = s.get_athlete("lee")
        except NotFound:
            return []  # no athlete: nothing was written
        return [x.started_at.date().isoformat() for x in s.sessions(a.id)]


def test_the_form_has_a_year_field(client: TestClient) -> None:
    assert re.search(r'<input name="year"', client.get("/import").text)


def test_without_a_year_the_file_is_refused_naming_the_field(client: TestClient, tmp_path: Path, home: Path) -> None:
    r = preview(client, yearless_csv(tmp_path / "log.csv"))
    said = alert(r.text)
    assert "no year" in said and "year field" in said and "--year" not in said
    assert "log.csv" in said  # the person's file name, not the server's copy
    assert days(home) == []


def test_with_the_year_it_previews_and_imports_counting_on(client: TestClient, tmp_path: Path, home: Path) -> None:
    r = preview(client, yearless_csv(tmp_path / "log.csv"), year="2023")
    assert r.status_code == 200, alert(r.text)
    assert days(home) == []  # a preview writes nothing
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
    assert form["year"] == "2023"
    done = client.post("/import/confirm", data=form)
    assert done.status_code == 200, alert(done.text)
    assert days(home) == ["2023-12-30", "2024-01-02", "2024-01-05"]


@pytest.mark.parametrize("year", ["24", "20x4", "1900", "9999", "2024<script>", "２０２４"])
def test_a_forged_year_is_refused_and_nothing_written(client: TestClient, tmp_path: Path, home: Path,
                                                      year: str) -> None:
    r = preview(client, yearless_csv(tmp_path / "log.csv"), year=year)
    assert r.status_code in (400, 422)
    assert "year" in alert(r.text)
    assert "2024<script>" not in r.text  # echoed escaped, if at all
    assert days(home) == []


def test_a_year_post_without_the_csrf_token_is_refused(client: TestClient, tmp_path: Path, home: Path) -> None:
    path = yearless_csv(tmp_path / "log.csv")
    with open(path, "rb") as f:
        r = client.post("/import/preview", data={"athlete": "lee", "fmt": "auto", "year": "2023"},
                        files={"file": (path.name, f, "text/csv")})
    assert r.status_code in (400, 403)
    assert days(home) == []
