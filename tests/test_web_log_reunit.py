"""Every load of an athlete re-read in the other unit, from a day on (`peri import reunit --since`, for loads in the
wrong unit across imports): a confirm page says what changes and writes nothing (hand-worked: 315 lb = 142.8816 kg);
the re-read changes only the days asked for, and re-reading back from the same day restores the store exactly; days
holding both units, a unit or day that is not one, or a forged post are refused naming the field, nothing touched."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from test_web import alert, app, client, csrf_of, dump  # noqa: F401  (fixtures)
from test_web_import_units import loads, pounds_log, upload, words
from test_web_imports import confirm


@pytest.fixture
def misread(client: TestClient, tmp_path: Path) -> None:
    """lee's pound log (2024-03-04 to 03-13) imported with kg chosen."""
    upload(client, pounds_log(tmp_path / "lee.csv"), unit="kg")


def relog(client: TestClient, unit: str, since: str = ""):
    return confirm(client, "/athletes/lee/reunit", {"unit": unit, "since": since}, "relog-confirm")


def test_every_load_re_read_then_back_restores_the_store(client: TestClient, misread: None, home: Path) -> None:
    before = dump(home)
    page = client.get("/athletes/lee/reunit", params={"unit": "lb"})
    said = words(page.text.split('id="relog-change"')[1].split("</p>")[0])
    assert "70 sets with a load stored as kg, from 2024-03-04 to 2024-03-13" in said  # 14 sets a day x 5 days
    assert "Deadlift (Barbell) 315 kg (315 kg), becomes 315 lb = 142.9 kg" in said
    assert dump(home) == before  # the confirm page writes nothing
    _, done = relog(client, "lb")
    assert done.status_code == 200, alert(done.text)
    assert loads(home)[("Deadlift (Barbell)", 315.0)] == ("lb", 142.8816)  # 315 x 0.45359237
    assert "Re-read 70 sets with a load as lb" in words(done.text)
    back = re.search(r'id="relog-back" href="([^"]+)"', done.text).group(1).replace("&amp;", "&")
    page = client.get(back)
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text.split('id="relog-confirm"')[1]))
    assert client.post(back.split("?")[0], data=form).status_code == 200
    assert dump(home) == before


def test_from_a_day_only_those_days_change_and_then_both_units_are_refused(client: TestClient, misread: None,
                                                                          home: Path) -> None:
    _, done = relog(client, "lb", since="2024-03-11")
    assert done.status_code == 200, alert(done.text)
    with_units = loads(home)
    assert "from 2024-03-11" in words(done.text) and "Re-read 28 sets" in words(done.text)  # 14 sets x 2 days
    from peri.log.store import Store

    with Store(home / "peri.db") as s:
        units = {(x.started_at.date().isoformat(), w.unit) for x in s.sessions(s.get_athlete("lee").id)
                 for w in x.sets if w.weight}
    assert units == {("2024-03-04", "kg"), ("2024-03-06", "kg"), ("2024-03-08", "kg"), ("2024-03-11", "lb"),
                     ("2024-03-13", "lb")}
    before = dump(home)
    r = client.get("/athletes/lee/reunit", params={"unit": "lb"})  # every day: now both units
    assert r.status_code == 400 and alert(r.text).strip().startswith("since:") and "both units" in alert(r.text)
    assert dump(home) == before and loads(home) == with_units


@pytest.mark.parametrize("params, field", [
    ({"unit": "stone"}, "unit"), ({"unit": ""}, "unit"), ({"unit": "lb", "since": "yesterday"}, "since"),
    ({"unit": "kg"}, "unit"),  # no loads stored in lb: nothing to re-read
    ({"unit": "lb", "since": "2030-01-01"}, "since"),
])
def test_a_hostile_or_empty_re_read_is_refused_naming_the_field(client: TestClient, misread: None, home: Path,
                                                                params: dict, field: str) -> None:
    before = dump(home)
    r = client.get("/athletes/lee/reunit", params=params)
    assert r.status_code == 400 and alert(r.text).strip().startswith(f"{field}:"), alert(r.text)
    token = csrf_of(client.get("/import").text)
    r = client.post("/athletes/lee/reunit", data={"csrf": token, **params})
    assert r.status_code == 400 and alert(r.text).strip().startswith(f"{field}:")
    assert dump(home) == before


def test_a_forged_or_foreign_re_read_is_refused(client: TestClient, misread: None, home: Path) -> None:
    before = dump(home)
    assert client.post("/athletes/lee/reunit", data={"unit": "lb"}).status_code == 403
    token = csrf_of(client.get("/import").text)
    assert client.post("/athletes/kim/reunit", data={"csrf": token, "unit": "lb"}).status_code == 404
    assert dump(home) == before
