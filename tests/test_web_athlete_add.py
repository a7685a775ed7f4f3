"""Adding an athlete without an import on the Athletes page, through `add_athlete` as `peri athlete add` adds one:
the fields filled in are stated, the rest read from the log later; injuries bring their body regions; a name taken,
a field out of range or a hostile post is refused naming the field, the form shown again as sent, nothing written."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import HOST, alert, app, athletes_in, client, csrf_of, dump  # noqa: F401  (fixtures)


def add(client: TestClient, **fields: str):
    token = csrf_of(client.get("/athletes").text)
    return client.post("/athletes/add", data={"csrf": token, **fields}, follow_redirects=False)


def test_an_athlete_added_by_hand_holds_only_what_was_stated(client: TestClient, home: Path) -> None:
    r = add(client, name="Ana Lima", level="intermediate", days_per_week="4", goal="strength", split="",
            equipment="barbell, dumbbell", unit="lb", age="34", body_mass_kg="61.5", sex="f",
            constraints="left shoulder impingement\r\n\r\nlower back sensitivity")
    assert r.status_code == 303 and r.headers["location"] == "/athletes/Ana%20Lima#profile"
    with Store(home / "peri.db") as s:
        a = s.get_athlete("Ana Lima")
    assert (a.level.value, a.days_per_week, a.goal.value, a.equipment) == ("intermediate", 4, "strength",
                                                                          ["barbell", "dumbbell"])
    assert (a.unit, a.age, a.body_mass_kg, a.sex) == ("lb", 34, 61.5, "f")
    assert a.constraints == ["left shoulder impingement", "lower back sensitivity"]
    assert set(a.constraint_regions) >= {"shoulder", "lower_back"}
    assert {f: a.source(f).kind for f in ("level", "days_per_week", "goal", "split", "equipment")} == {
        "level": "stated", "days_per_week": "stated", "goal": "stated", "split": "unknown", "equipment": "stated"}
    page = client.get("/athletes/Ana%20Lima")  # the athlete's page, with no session yet
    assert page.status_code == 200, alert(page.text)
    assert "Ana Lima" in client.get("/athletes").text


def test_the_cli_and_the_page_add_the_same_profile(client: TestClient, home: Path) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app as cli

    out = CliRunner().invoke(cli, ["athlete", "add", "cli", "--level", "beginner", "--days", "3", "--equipment",
                                   "barbell", "--constraint", "left knee pain", "--age", "50"])
    assert out.exit_code == 0, out.output
    assert add(client, name="web", level="beginner", days_per_week="3", equipment="barbell",
               constraints="left knee pain", age="50").status_code == 303
    with Store(home / "peri.db") as s:
        a, b = s.get_athlete("cli"), s.get_athlete("web")
    skip = {"id", "name"}
    assert a.model_dump(exclude=skip) == b.model_dump(exclude=skip)


@pytest.mark.parametrize("fields, field", [
    ({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({"name": "a/b"}, "name"), ({"name": "a\x00b"}, "name"),
    ({"name": "kim", "days_per_week": "8"}, "days_per_week"), ({"name": "kim", "age": "nan"}, "age"),
    ({"name": "kim", "level": "olympian"}, "level"), ({"name": "kim", "unit": "stone"}, "unit"),
    ({"name": "kim", "body_mass_kg": "1e9"}, "body_mass_kg"), ({"name": "kim", "sex": "x" * 41}, "sex"),
    ({"name": "kim", "constraints": "\n".join(["knee"] * 21)}, "constraints"),
])
def test_a_hostile_form_is_refused_naming_the_field_and_kept(client: TestClient, home: Path, fields: dict,
                                                             field: str) -> None:
    r = add(client, split="upper/lower", **fields)
    assert r.status_code == 400
    said = unescape(alert(r.text)).strip()
    assert said.startswith(f"{field}:") or said.startswith(field), said
    assert athletes_in(home) == []
    form = r.text.split('id="add-form"')[1].split("</form>")[0]
    assert 'name="split" maxlength="60" value="upper/lower"' in form  # what was sent, to correct


def test_a_name_taken_is_refused_and_the_athlete_left_as_it_was(client: TestClient, home: Path) -> None:
    assert add(client, name="kim", age="30").status_code == 303
    before = dump(home)
    r = add(client, name="kim", age="40")
    assert r.status_code == 400 and "already exists" in alert(r.text)
    assert dump(home) == before
    assert re.search(r'name="age"[^>]*value="40"', r.text)


def test_an_add_without_the_token_or_from_another_site_is_refused(client: TestClient, home: Path) -> None:
    r = client.post("/athletes/add", data={"name": "kim"})
    assert r.status_code == 403
    token = csrf_of(client.get("/athletes").text)
    r = client.post("/athletes/add", data={"csrf": token, "name": "kim"}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    assert athletes_in(home) == []
