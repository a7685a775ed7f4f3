"""The Notes page (`/athletes/NAME/notes`): a note added as `peri note` adds it, read back from the store with its
tags and regions; the athlete's notes listed (text escaped); the person's own notes deleted, imported ones not; and
every hostile value refused with a message naming the field, nothing written."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import HOST, alert, app, client, csrf_of, dump, sam  # noqa: F401  (fixtures)


def notes_of(home: Path, athlete: str = "sam") -> list:
    with Store(home / "peri.db") as s:
        return s.annotations(s.get_athlete(athlete).id)


def page_token(client: TestClient) -> str:
    return csrf_of(client.get("/athletes/sam/notes").text)


def test_a_note_from_the_page_is_stored_as_peri_note_stores_it(client: TestClient, sam: str, home: Path) -> None:
    token = page_token(client)
    before = {n.id for n in notes_of(home)}
    text = "this variation aggravated my shoulder again @8"
    r = client.post("/athletes/sam/notes/add", data={"csrf": token, "date": "2026-03-02", "text": text,
                                                     "scope": "exercise", "exercise": "Barbell Bench Press"})
    assert r.status_code == 200, alert(r.text)
    new = [n for n in notes_of(home) if n.id not in before]
    assert len(new) == 1
    n = new[0]
    # verbatim, and read as `peri note` reads it: the dataset and the coach's safety use these fields
    assert n.text == text and n.date == dt.date(2026, 3, 2) and n.scope.value == "exercise"
    assert n.exercise == "Barbell Bench Press" and n.source == "manual"
    assert "aggravated" in n.tags and n.regions == ["shoulder"] and n.rpe == 8
    row = r.text.split(f'id="note-{n.id}"')[1].split("</tr>")[0]
    assert text in row and "aggravated" in row and "shoulder" in row and "delete" in row


def test_the_scope_defaults_like_the_cli(client: TestClient, sam: str, home: Path) -> None:
    token = page_token(client)
    client.post("/athletes/sam/notes/add", data={"csrf": token, "date": "2026-03-03", "text": "this progression worked",
                                                 "exercise": "Barbell Squat"})
    client.post("/athletes/sam/notes/add", data={"csrf": token, "date": "2026-03-04", "text": "felt strong today"})
    mine = {n.text: n for n in notes_of(home) if n.source == "manual"}
    assert mine["this progression worked"].scope.value == "exercise"  # an exercise named: a note on it
    assert mine["this progression worked"].tags == ["worked"]
    assert mine["felt strong today"].scope.value == "session" and mine["felt strong today"].exercise is None


def test_a_note_is_escaped_never_run(client: TestClient, sam: str, home: Path) -> None:
    token = page_token(client)
    r = client.post("/athletes/sam/notes/add", data={"csrf": token, "date": "2026-03-02",
                                                     "text": "<script>alert(1)</script> knee ok"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt; knee ok" in r.text
    assert any(n.text == "<script>alert(1)</script> knee ok" for n in notes_of(home))  # stored as typed


TOMORROW_PLUS = (dt.date.today() + dt.timedelta(days=3)).isoformat()


@pytest.mark.parametrize("data, field, words", [
    ({"date": TOMORROW_PLUS, "text": "x"}, "date", "outside"),
    ({"date": "1900-01-01", "text": "x"}, "date", "outside"),
    ({"date": "02/03/2026", "text": "x"}, "date", "not a date"),
    ({"date": "", "text": "x"}, "date", "empty"),
    ({"date": "2026-03-02", "text": "   "}, "text", "empty"),
    ({"date": "2026-03-02", "text": "y" * 2001}, "text", "at most 2,000"),
    ({"date": "2026-03-02", "text": "a\x00b"}, "text", "NUL"),
    ({"date": "2026-03-02", "text": "x", "scope": "exercise"}, "exercise", "needs the exercise"),
    ({"date": "2026-03-02", "text": "x", "exercise": "Squat\r\nX-Injected: 1"}, "exercise", "control"),
    ({"date": "2026-03-02", "text": "x", "exercise": "s" * 121}, "exercise", "longer than 120"),
    ({"date": "2026-03-02", "text": "x", "scope": "everything"}, "scope", "not one of the choices"),
])
def test_a_hostile_note_is_refused_by_field_and_nothing_written(client: TestClient, sam: str, home: Path,
                                                                data: dict, field: str, words: str) -> None:
    before = dump(home)
    r = client.post("/athletes/sam/notes/add", data={"csrf": page_token(client), **data})
    assert r.status_code == 400
    msg = alert(r.text)
    assert msg.strip().startswith(f"{field}:") and words in msg, msg
    assert dump(home) == before


def test_a_note_for_an_unknown_athlete_is_refused(client: TestClient, sam: str, home: Path) -> None:
    before = dump(home)
    r = client.post("/athletes/nobody/notes/add", data={"csrf": page_token(client), "date": "2026-03-02", "text": "x"})
    assert r.status_code == 404 and "nobody" in alert(r.text)
    assert dump(home) == before


def test_own_notes_can_be_deleted_imported_ones_not(client: TestClient, sam: str, home: Path) -> None:
    token = page_token(client)
    client.post("/athletes/sam/notes/add", data={"csrf": token, "date": "2026-03-02", "text": "too much volume"})
    mine = next(n for n in notes_of(home) if n.source == "manual")
    sim = next(n for n in notes_of(home) if n.source != "manual")
    count = len(notes_of(home))
    r = client.post("/athletes/sam/notes/delete", data={"csrf": token, "note": str(sim.id)})
    assert r.status_code == 400 and "import" in alert(r.text)
    r = client.post("/athletes/sam/notes/delete", data={"csrf": token, "note": "999999"})
    assert r.status_code == 404 and alert(r.text).strip().startswith("note:")
    r = client.post("/athletes/sam/notes/delete", data={"csrf": token, "note": "1; DROP TABLE annotations"})
    assert r.status_code == 400 and "note" in alert(r.text)
    assert len(notes_of(home)) == count
    r = client.post("/athletes/sam/notes/delete", data={"csrf": token, "note": str(mine.id)})
    assert r.status_code == 200, alert(r.text)
    left = notes_of(home)
    assert len(left) == count - 1 and mine.id not in {n.id for n in left}
    assert f'id="note-{mine.id}"' not in r.text


def test_a_note_of_another_athlete_cannot_be_deleted_through_this_one(client: TestClient, sam: str,
                                                                      home: Path) -> None:
    from peri.log.annotate import add_note
    from peri.log.models import Athlete

    with Store(home / "peri.db") as s:
        s.add_athlete(Athlete(name="kim"))
        theirs = add_note(s, "kim", dt.date(2026, 3, 2), "mine, not sam's")
    r = client.post("/athletes/sam/notes/delete", data={"csrf": page_token(client), "note": str(theirs.id)})
    assert r.status_code == 404
    assert [n.text for n in notes_of(home, "kim")] == ["mine, not sam's"]


def test_the_page_lists_own_notes_apart_from_imported_ones_newest_first(client: TestClient, sam: str,
                                                                        home: Path) -> None:
    import re

    token = page_token(client)
    for day, text in (("2026-02-01", "older"), ("2026-04-01", "newest"), ("2026-03-01", "middle")):
        client.post("/athletes/sam/notes/add", data={"csrf": token, "date": day, "text": text})
    html = client.get("/athletes/sam/notes").text
    notes = notes_of(home)
    imported = [n for n in notes if n.source != "manual"]
    mine = html.split('id="my-notes"')[1].split("</table>")[0]
    assert re.findall(r"<td>(older|middle|newest)</td>", mine) == ["newest", "middle", "older"]
    assert mine.count("delete</button>") == 3 and "Your notes (3)" in html
    table = html.split('id="notes"')[1].split("</table>")[0]
    shown = re.findall(r'<tr id="note-\d+"><td>(\d{4}-\d\d-\d\d)</td>', table)
    assert shown == sorted(shown, reverse=True) and len(shown) == min(len(imported), 200) and len(shown) > 0
    assert shown[0] == max(n.date for n in imported).isoformat()
    assert "delete" not in table  # an imported note is removed by undoing its import
    assert f"Notes that came with your imports ({len(imported)}" in html
    assert 'href="/athletes/sam/notes"' in client.get("/athletes/sam").text  # reached from the athlete page


@pytest.mark.parametrize("url, data", [
    ("/athletes/sam/notes/add", {"date": "2026-03-02", "text": "x"}),
    ("/athletes/sam/notes/delete", {"note": "1"}),
    ("/athletes/sam/profile", {"level": "advanced"}),
    ("/tune/dataset", {"athlete": "sam"}),
    ("/tune/local", {"athlete": "sam"}),
    ("/jobs/abc/cancel", {}),
])
def test_the_new_forms_refuse_a_post_without_this_sessions_token(client: TestClient, sam: str, home: Path, url: str,
                                                                 data: dict) -> None:
    before = dump(home)
    r = client.post(url, data=data)
    assert r.status_code == 403 and "security token" in alert(r.text)
    fresh = TestClient(client.app, base_url=HOST)  # another browser's token
    r = client.post(url, data={**data, "csrf": page_token(fresh)})
    assert r.status_code == 403
    r = client.post(url, data={**data, "csrf": page_token(client)}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and "nothing was changed" in alert(r.text)
    assert client.app.pages.jobs.jobs == {}
    assert dump(home) == before
