"""The athlete's imports on the web (`/athletes/NAME/imports`): listed as `peri import list` lists them, each undone
from the page after a confirmation through `store.undo_import` as `peri import undo` undoes it: that import's
sessions, sets and notes gone, every other import's kept (hand-counted); an import already undone shown as such with
no button; a repeated, forged or foreign undo refused with a message and nothing touched."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import HOST, alert, app, client, csrf_of, dump, sam  # noqa: F401  (fixtures)

HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"


def strong_csv(path: Path, rows: list[tuple[str, str, int, str]]) -> Path:
    """A Strong export: (date, exercise, set order, set note) rows, 100 kg x 5 each."""
    path.write_text(HEADER + "".join(f'{d} 18:00:00,"Day",1h,"{n}",{o},100,5,0,0,"{note}",,\n' for d, n, o, note in rows))
    return path


def web_import(client: TestClient, path: Path, athlete: str = "lee"):
    """Upload, preview and confirm, as a person does on the Import page; the import-done page."""
    token = csrf_of(client.get("/import").text)
    with open(path, "rb") as f:
        r = client.post("/import/preview", data={"csrf": token, "athlete": athlete, "fmt": "strong", "unit": "kg"},
                        files={"file": (path.name, f, "text/csv")})
    assert r.status_code == 200, alert(r.text)
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
    done = client.post("/import/confirm", data=form)
    assert done.status_code == 200, alert(done.text)
    return done


# A: 2 sessions, 5 sets, 1 note (the set note); B: 1 session, 3 sets; C: one more set on A's 03-04 session and a new
# 03-13 session of 2 sets (1 session, 3 sets).
A = [("2024-03-04", "Squat (Barbell)", 1, "left knee hurt"), ("2024-03-04", "Squat (Barbell)", 2, ""),
     ("2024-03-04", "Squat (Barbell)", 3, ""), ("2024-03-06", "Bench Press (Barbell)", 1, ""),
     ("2024-03-06", "Bench Press (Barbell)", 2, "")]
B = [("2024-03-11", "Deadlift (Barbell)", o, "") for o in (1, 2, 3)]
C = [*A[:3], ("2024-03-04", "Squat (Barbell)", 4, ""), ("2024-03-13", "Bent Over Row (Barbell)", 1, ""),
     ("2024-03-13", "Bent Over Row (Barbell)", 2, "")]


@pytest.fixture
def three(client: TestClient, tmp_path: Path) -> list:
    """lee's three imports through the web, with their import-done pages."""
    return [web_import(client, strong_csv(tmp_path / f"{n}.csv", rows)) for n, rows in (("a", A), ("b", B), ("c", C))]


def log_of(home: Path, athlete: str = "lee") -> dict[str, int]:
    """Sets per session day, and the notes."""
    with Store(home / "peri.db") as s:
        a = s.get_athlete(athlete)
        out = {sess.started_at.date().isoformat(): len(sess.sets) for sess in s.sessions(a.id)}
        out["notes"] = len(s.annotations(a.id))
    return out


def imports_table(html: str) -> list[list[str]]:
    body = html.split('id="imports"')[1].split("</table>")[0].split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in body.split("</tr>")[:-1] if '<tr id="import-' in row]  # a doubt's row is no import


def confirm(client: TestClient, url: str, params: dict, form_id: str):
    """A confirm page (GET `url`), then its form posted as the person's "Yes" button posts it: (page, response)."""
    page = client.get(url, params=params)
    assert page.status_code == 200, alert(page.text)
    form = page.text.split(f'id="{form_id}"')[1].split("</form>")[0]
    return page, client.post(url, data=dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)))


def undo(client: TestClient, iid: int, athlete: str = "lee"):
    page = client.get(f"/athletes/{athlete}/imports/undo", params={"import": iid})
    assert page.status_code == 200, alert(page.text)
    form = page.text.split('id="undo-form"')[1].split("</form>")[0]
    return client.post(f"/athletes/{athlete}/imports/undo", data=dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)))


def test_the_imports_are_listed_as_peri_import_list_lists_them(client: TestClient, three: list, home: Path) -> None:
    assert log_of(home) == {"2024-03-04": 4, "2024-03-06": 2, "2024-03-11": 3, "2024-03-13": 2, "notes": 1}
    html = client.get("/athletes/lee/imports").text
    rows = imports_table(html)
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert [(r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows] == [
        ("strong", "a.csv", "2", "5", "5", ""), ("strong", "b.csv", "1", "3", "3", ""), ("strong", "c.csv", "1", "3", "3", "")]
    assert all(r[8] == "Undo…" for r in rows)
    assert 'href="/athletes/lee/imports"' in client.get("/athletes/lee").text


def test_undo_after_confirming_removes_that_import_only(client: TestClient, three: list, home: Path) -> None:
    before = dump(home)
    confirm = client.get("/athletes/lee/imports/undo", params={"import": 3})
    assert "c.csv" in confirm.text and "Yes, undo import 3" in confirm.text
    assert dump(home) == before  # the confirm page writes nothing
    r = undo(client, 3)
    assert r.status_code == 200, alert(r.text)
    assert "Undid import 3: removed 1 sessions, 3 sets, 0 notes" in " ".join(r.text.split())
    # C's extra set on A's session and its own session are gone; A's and B's sets all kept
    assert log_of(home) == {"2024-03-04": 3, "2024-03-06": 2, "2024-03-11": 3, "notes": 1}
    rows = imports_table(r.text)
    assert rows[2][6] == "0" and rows[2][7] and rows[2][8] == "undone"  # undone: no button
    assert [r[8] for r in rows[:2]] == ["Undo…", "Undo…"] and [r[6] for r in rows[:2]] == ["5", "3"]
    r = undo(client, 1)
    assert "Undid import 1: removed 2 sessions, 5 sets, 1 notes" in " ".join(r.text.split())
    assert log_of(home) == {"2024-03-11": 3, "notes": 0}


def test_a_repeated_undo_is_refused_and_touches_nothing(client: TestClient, three: list, home: Path) -> None:
    page = client.get("/athletes/lee/imports/undo", params={"import": 2}).text
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.split('id="undo-form"')[1].split("</form>")[0]))
    assert client.post("/athletes/lee/imports/undo", data=form).status_code == 200
    before = dump(home)
    r = client.post("/athletes/lee/imports/undo", data=form)  # the form sent twice (a reload, a second tab)
    assert r.status_code == 400 and "import 2 was already undone" in alert(r.text)
    assert dump(home) == before
    again = client.get("/athletes/lee/imports/undo", params={"import": 2}).text
    assert 'id="already"' in again and 'id="undo-form"' not in again


@pytest.mark.parametrize("athlete, value, status, words", [
    ("lee", "4", 404, "import 4 is not one of lee's imports"),
    ("kim", "1", 404, "import 1 is not one of kim's imports"),  # lee's import through kim's page
    ("lee", "one", 400, "import 'one' is not a whole number"),
    ("lee", "", 400, "import"),
    ("lee", "9" * 30, 400, "import"),
    ("nobody", "1", 404, "no athlete named 'nobody'"),
])
def test_a_forged_undo_is_refused_naming_the_import_and_nothing_touched(
        client: TestClient, three: list, home: Path, tmp_path: Path, athlete: str, value: str, status: int, words: str) -> None:
    web_import(client, strong_csv(tmp_path / "k.csv", B), athlete="kim")
    before = dump(home)
    token = csrf_of(client.get("/import").text)
    r = client.post(f"/athletes/{athlete}/imports/undo", data={"csrf": token, "import": value})
    assert r.status_code == status, alert(r.text)
    assert words in alert(r.text).replace("&#39;", "'")
    assert dump(home) == before
    assert client.get(f"/athletes/{athlete}/imports/undo", params={"import": value}).status_code == status


@pytest.mark.parametrize("token", [None, "0" * 64])
def test_an_undo_without_this_sessions_token_is_refused(client: TestClient, three: list, home: Path,
                                                         token: str | None) -> None:
    before = dump(home)
    r = client.post("/athletes/lee/imports/undo", data={"import": "1", **({"csrf": token} if token else {})})
    assert r.status_code == 403 and "security token" in alert(r.text)
    good = csrf_of(client.get("/import").text)
    r = client.post("/athletes/lee/imports/undo", data={"import": "1", "csrf": good},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    assert dump(home) == before


def test_the_import_done_page_links_to_the_undo_and_the_exercises(client: TestClient, home: Path, tmp_path: Path) -> None:
    done = web_import(client, strong_csv(tmp_path / "a.csv", [*A, ("2024-03-06", "Birddog", 3, "")]))
    link = re.search(r'href="(/athletes/lee/imports/undo\?import=(\d+))"', done.text)
    assert link and link.group(2) == "1"
    assert client.get(link.group(1)).text.count("Yes, undo import 1") == 1
    assert 'href="/athletes/lee/exercises"' in done.text.split('id="to-exercises"')[1].split("</p>")[0]


def test_an_athlete_without_imports_is_told_so(client: TestClient, sam: str) -> None:
    r = client.get("/athletes/sam/imports")
    assert r.status_code == 200 and "No imports for sam yet" in r.text and 'id="imports"' not in r.text
