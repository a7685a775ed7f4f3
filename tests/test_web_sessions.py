"""One session deleted on the web (`/athletes/NAME/sessions`), as `peri import delete-session` deletes it
(`Store.delete_sessions`): the sessions listed newest first, a day found by its date, a confirm page that names
what goes (hand-counted sets and notes) and writes nothing, then that session gone with its sets and notes and
every other kept; importing the file again brings it back. A forged, repeated or foreign delete is refused naming
the field, nothing touched."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store

from test_web import alert, app, client, csrf_of, dump  # noqa: F401  (fixtures)
from test_web_imports import HEADER, confirm, log_of, web_import

# 03-04 "Legs" 3 sets (one with a note), 03-04 "Arms" 2 sets (a second session that day), 03-06 "Push" 2 sets
ROWS = [("2024-03-04 08:00:00", "Legs", "Squat (Barbell)", 1, "left knee hurt"),
        ("2024-03-04 08:00:00", "Legs", "Squat (Barbell)", 2, ""),
        ("2024-03-04 08:00:00", "Legs", "Leg Press", 1, ""),
        ("2024-03-04 18:00:00", "Arms", "Bicep Curl (Dumbbell)", 1, ""),
        ("2024-03-04 18:00:00", "Arms", "Bicep Curl (Dumbbell)", 2, ""),
        ("2024-03-06 18:00:00", "Push", "Bench Press (Barbell)", 1, ""),
        ("2024-03-06 18:00:00", "Push", "Bench Press (Barbell)", 2, "")]


def export(path: Path) -> Path:
    path.write_text(HEADER + "".join(f'{t},"{w}",1h,"{ex}",{o},100,5,0,0,"{n}",,\n' for t, w, ex, o, n in ROWS))
    return path


@pytest.fixture
def lee(client: TestClient, tmp_path: Path) -> Path:
    return export(tmp_path / "strong.csv")


def by_session(home: Path, athlete: str = "lee") -> dict:
    """Sets per (day, session name), and the notes."""
    with Store(home / "peri.db") as s:
        a = s.get_athlete(athlete)
        out: dict = {(x.started_at.date().isoformat(), x.name): len(x.sets) for x in s.sessions(a.id)}
        out["notes"] = len(s.annotations(a.id))
    return out


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def sessions_of(html: str) -> list[str]:
    body = html.split('id="sessions"')[1].split("</table>")[0]
    return [" ".join(words(r).split()[:4]) for r in body.split("</tr>")[1:-1]]


def delete(client: TestClient, day: str, name: str, athlete: str = "lee"):
    return confirm(client, f"/athletes/{athlete}/sessions/delete", {"day": day, "session": name}, "delete-form")


def test_the_sessions_are_listed_newest_first_and_a_day_is_found(client: TestClient, lee: Path) -> None:
    web_import(client, lee)
    html = client.get("/athletes/lee/sessions").text
    assert sessions_of(html) == ["2024-03-06 18:00 Push 2", "2024-03-04 18:00 Arms 2", "2024-03-04 08:00 Legs 3"]
    assert 'href="/athletes/lee/sessions"' in client.get("/athletes/lee").text
    day = client.get("/athletes/lee/sessions", params={"day": "2024-03-06"}).text
    assert sessions_of(day) == ["2024-03-06 18:00 Push 2"]
    assert "No session on 2024-03-05" in client.get("/athletes/lee/sessions", params={"day": "2024-03-05"}).text


def test_one_session_goes_with_its_sets_and_notes_after_the_confirm_page(client: TestClient, lee: Path,
                                                                          home: Path) -> None:
    web_import(client, lee)
    before = dump(home)
    page = client.get("/athletes/lee/sessions/delete", params={"day": "2024-03-04", "session": "Legs"})
    said = words(page.text.split('id="delete-form"')[1])
    assert "2024-03-04 08:00 Legs (strong): 3 sets" in said and "Arms" not in said  # the other session that day stays
    assert "Deleting removes 1 session, 3 sets and 1 notes from lee's log" in said
    assert dump(home) == before
    _, r = delete(client, "2024-03-04", "Legs")
    assert r.status_code == 200, alert(r.text)
    assert "Deleted 1 session on 2024-03-04 (Legs): 3 sets and 1 notes removed" in words(r.text)
    assert by_session(home) == {("2024-03-04", "Arms"): 2, ("2024-03-06", "Push"): 2, "notes": 0}
    web_import(client, lee)  # the same file again brings it back, as the confirm page says
    assert by_session(home) == {("2024-03-04", "Legs"): 3, ("2024-03-04", "Arms"): 2, ("2024-03-06", "Push"): 2,
                                "notes": 1}


def test_a_repeated_delete_is_refused_and_touches_nothing(client: TestClient, lee: Path, home: Path) -> None:
    web_import(client, lee)
    page, r = delete(client, "2024-03-06", "Push")
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text.split('id="delete-form"')[1].split("</form>")[0]))
    before = dump(home)
    r = client.post("/athletes/lee/sessions/delete", data=form)
    assert r.status_code == 404 and "lee has no session on 2024-03-06 named 'Push'" in words(alert(r.text))
    assert dump(home) == before


@pytest.mark.parametrize("athlete, data, status, said", [
    ("lee", {"day": "2024-03-04"}, 400, "session: the form names no session"),  # never "the whole day" by omission
    ("lee", {"day": "", "session": "Legs"}, 400, "day: the day is empty"),
    ("lee", {"day": "2024-02-30", "session": "Legs"}, 400, "day: day '2024-02-30' is not a date"),
    ("lee", {"day": "2024-3-4", "session": "Legs"}, 400, "day: day '2024-3-4' is not a date"),
    ("lee", {"day": "2024-03-04%", "session": "Legs"}, 400, "is not a date"),
    ("lee", {"day": "2024-03-04", "session": "Le"}, 404, "lee has no session on 2024-03-04 named 'Le'"),
    ("lee", {"day": "2024-03-04", "session": "x" * 201}, 400, "session: the session name is over 200 characters"),
    ("lee", {"day": "2024-03-04", "session": "Legs\x00"}, 400, "control characters"),
    ("kim", {"day": "2024-03-04", "session": "Legs"}, 404, "kim has no session on 2024-03-04"),  # lee's, through kim's page
    ("nobody", {"day": "2024-03-04", "session": "Legs"}, 404, "no athlete named 'nobody'"),
])
def test_a_forged_delete_is_refused_naming_the_field_and_nothing_touched(
        client: TestClient, lee: Path, home: Path, athlete: str, data: dict, status: int, said: str) -> None:
    web_import(client, lee)
    web_import(client, export(lee.parent / "other.csv").rename(lee.parent / "k.csv"), athlete="kim")
    kim_sets = log_of(home, "kim")
    client.post("/athletes/kim/sessions/delete", data={"csrf": csrf_of(client.get("/import").text),
                                                      "day": "2024-03-04", "session": "Legs"})  # kim's own: gone
    assert log_of(home, "kim") != kim_sets
    before = dump(home)
    r = client.post(f"/athletes/{athlete}/sessions/delete", data={"csrf": csrf_of(client.get("/import").text), **data})
    assert r.status_code == status, alert(r.text)
    assert said in words(alert(r.text))
    assert dump(home) == before


def test_a_delete_without_this_sessions_token_or_with_a_field_twice_is_refused(client: TestClient, lee: Path,
                                                                               home: Path) -> None:
    web_import(client, lee)
    before = dump(home)
    r = client.post("/athletes/lee/sessions/delete", data={"day": "2024-03-04", "session": "Legs"})
    assert r.status_code == 403
    token = csrf_of(client.get("/import").text)
    r = client.post("/athletes/lee/sessions/delete", data={"csrf": token, "day": "2024-03-04", "session": "Legs"},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/athletes/lee/sessions/delete", content=f"csrf={token}&day=2024-03-04&session=Legs&session=Arms",
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and "'session' came more than once" in words(alert(r.text))
    r = client.get("/athletes/lee/sessions/delete?day=2024-03-04&session=Legs&session=Arms")  # the confirm page too
    assert r.status_code == 400 and "'session' came more than once" in words(alert(r.text))
    assert dump(home) == before
