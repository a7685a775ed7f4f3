"""The lifter's time zone on the import form (`peri import --tz`): timestamps written in UTC ("...T02:00:00Z") read as
the lifter's local time, a session moving to the day before in New York (02:00Z on 5 March = 21:00 on 4 March, UTC-5
before the 10 March switch); carried through the column chooser and the confirmation; a zone that is not one refused
naming the field, nothing written."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import HOST, alert, app, athletes_in, client, csrf_of  # noqa: F401  (fixtures)

STAMPED = ("Date,Exercise,Weight,Reps\n2024-03-05T02:00:00Z,Squat,100,5\n2024-03-05T02:05:00Z,Squat,100,5\n"
           "2024-03-07T01:00:00Z,Bench,80,8\n")


def preview(client: TestClient, tmp_path: Path, text: str = STAMPED, **fields: str):
    path = tmp_path / "stamped.csv"
    path.write_text(text)
    data = {"csrf": csrf_of(client.get("/import").text), "athlete": "lee", "fmt": "auto", "unit": "kg", **fields}
    with open(path, "rb") as f:
        return client.post("/import/preview", data=data, files={"file": (path.name, f, "text/csv")})


def started(home: Path) -> list[str]:
    with Store(home / "peri.db") as s:
        return [x.started_at.isoformat(timespec="minutes") for x in s.sessions(s.get_athlete("lee").id)]


def confirm(client: TestClient, html: str):
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', html.split('id="confirm-form"')[1].split("</form>")[0]))
    return client.post("/import/confirm", data=form), form


def test_the_lifters_zone_moves_utc_stamps_to_their_local_day(client: TestClient, tmp_path: Path, home: Path) -> None:
    assert 'name="tz"' in client.get("/import").text
    r = preview(client, tmp_path, tz="America/New_York")
    assert r.status_code == 200, alert(r.text)
    said = unescape(r.text)
    assert "read in America/New_York (the form's time zone)" in said and "--tz" not in said
    done, form = confirm(client, r.text)
    assert form["tz"] == "America/New_York" and done.status_code == 200, alert(done.text)
    assert started(home) == ["2024-03-04T21:00", "2024-03-06T20:00"]


def test_without_a_zone_the_stamps_stay_utc_and_the_page_says_where_to_set_it(client: TestClient, tmp_path: Path,
                                                                              home: Path) -> None:
    r = preview(client, tmp_path)
    said = unescape(r.text)
    assert "fill in the form's time zone" in said and "--tz" not in said
    assert confirm(client, r.text)[0].status_code == 200
    assert started(home) == ["2024-03-05T02:00", "2024-03-07T01:00"]


def test_the_zone_is_carried_through_the_column_chooser(client: TestClient, tmp_path: Path, home: Path) -> None:
    r = preview(client, tmp_path, STAMPED.replace("Exercise,", "Thing,"), tz="America/New_York")
    assert r.status_code == 400 and 'id="columns-form"' in r.text
    form = r.text.split('id="columns-form"')[1].split("</form>")[0]
    sent = dict(re.findall(r'<input (?:type="hidden" )?name="(\w+)"[^>]*? value="([^"]*)"', form))
    assert sent["tz"] == "America/New_York"
    r = client.post("/import/mapped", data={**sent, "unit": "kg", "map_0": "date", "map_1": "exercise",
                                            "map_2": "weight", "map_3": "reps"})
    assert "read in America/New_York" in unescape(r.text)
    assert r.status_code == 200, alert(r.text)
    assert confirm(client, r.text)[0].status_code == 200
    assert started(home) == ["2024-03-04T21:00", "2024-03-06T20:00"]


@pytest.mark.parametrize("tz", ["Mars/Olympus", "../../etc/passwd", "x" * 65, "Europe/Berlin\x00"])
def test_a_zone_that_is_not_one_is_refused_naming_the_field(client: TestClient, tmp_path: Path, home: Path,
                                                            tz: str) -> None:
    r = preview(client, tmp_path, tz=tz)
    assert r.status_code == 400 and unescape(alert(r.text)).strip().startswith("tz:")
    assert athletes_in(home) == []
    assert not (home / "uploads").exists() or not list((home / "uploads").iterdir())  # the upload not kept
