"""The athlete's "Your data" page: what peri holds, a ZIP of all of it, and erasing it with the name typed."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import alert, app, client, csrf_of, dump, sam  # noqa: F401  (fixtures)


def sets_of(home: Path, name: str) -> int:
    with Store(home / "peri.db") as s:
        a = s.get_athlete(name)
        return sum(len(x.sets) for x in s.sessions(a.id))


def test_the_page_shows_what_is_held_and_the_athlete_page_links_to_it(client: TestClient, sam: str, home: Path) -> None:
    assert 'href="/athletes/sam/data"' in client.get("/athletes/sam").text
    r = client.get("/athletes/sam/data")
    held = r.text.split('id="footprint"')[1].split("</ul>")[0]
    assert r.status_code == 200 and f"{sets_of(home, 'sam')} sets" in held and 'id="delete-form"' in r.text


def test_the_download_is_the_whole_log(client: TestClient, sam: str, home: Path) -> None:
    r = client.get("/athletes/sam/data/export")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].startswith('attachment; filename="peri-sam-')
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        record = json.loads(z.read("athlete.json"))
        assert not [n for n in z.namelist() if "oracle" in n]  # the simulated athlete's hidden traits stay out
    assert sum(len(s["sets"]) for s in record["sessions"]) == sets_of(home, "sam")


def test_a_wrong_name_or_a_forged_post_deletes_nothing(client: TestClient, sam: str, home: Path) -> None:
    before = dump(home)
    token = csrf_of(client.get("/athletes/sam/data").text)
    r = client.post("/athletes/sam/data/delete", data={"csrf": token, "confirm": "Sam"})
    assert "needs its name repeated" in alert(r.text) and dump(home) == before
    r = client.post("/athletes/sam/data/delete", data={"csrf": token})  # left blank
    assert "needs its name repeated" in alert(r.text) and dump(home) == before
    r = client.post("/athletes/sam/data/delete", data={"confirm": "sam"})  # no CSRF token
    assert r.status_code >= 400 and dump(home) == before


def test_the_name_typed_deletes_the_athlete_whole(client: TestClient, sam: str, home: Path) -> None:
    token = csrf_of(client.get("/athletes/sam/data").text)
    r = client.post("/athletes/sam/data/delete", data={"csrf": token, "confirm": "sam"})
    assert r.status_code == 200 and 'id="erased"' in r.text
    with Store(home / "peri.db") as s:
        assert s.list_athletes() == [] and s.conn.execute("SELECT COUNT(*) FROM sets").fetchone()[0] == 0
    assert client.get("/athletes/sam").status_code == 404
