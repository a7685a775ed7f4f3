"""Hostile posts to the forms that start work: an athlete that is not in the store, a field sent twice, a
name far too long or with control characters — each refused with a 4xx naming the field, no job started
and nothing stored. A bad name never reaches a background job that would only fail on its own page."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from peri.web.app import WebSettings, create_app


@pytest.fixture
def app(home: Path):
    a = create_app(WebSettings(max_upload_bytes=300_000))
    yield a
    a.pages.jobs.shutdown()


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app, base_url="http://testserver")


@pytest.fixture
def sam(home: Path) -> str:
    from peri.sim.generate import simulate

    with Store(home / "peri.db") as s:
        simulate(s, "seed", seed=7, weeks=4, athlete_name="sam")
    return "sam"


def token(client: TestClient) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/athletes/sam").text).group(1)


def alert(page: str) -> str:
    m = re.search(r'role="alert"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1)))) if m else ""


def dump(home: Path) -> dict:
    with Store(home / "peri.db") as s:
        return s.dump()


JOB_FORMS = {"/plans/generate": {"model": "rules"}, "/experiment/start": {"model": "rules", "levels": "0"},
             "/eval/start": {"weeks": "1"}, "/blind/start": {"arm": ["rules", "rules|engineered|1"]},
             "/tune/dataset": {}}
BAD_NAMES = ["nobody", "../../etc/passwd", "x" * 5000, "sam\x00", "SAM"]


@pytest.mark.parametrize("url", sorted(JOB_FORMS))
@pytest.mark.parametrize("name", BAD_NAMES, ids=["unknown", "path", "huge", "control", "case"])
def test_a_job_for_an_athlete_not_in_the_store_is_refused_before_it_starts(client: TestClient, sam: str, home: Path,
                                                                            url: str, name: str) -> None:
    before = dump(home)
    r = client.post(url, data={"csrf": token(client), "athlete": name, **JOB_FORMS[url]}, follow_redirects=False)
    assert r.status_code == 404, (r.status_code, alert(r.text))
    said = alert(r.text)
    assert "no athlete named" in said and "known: sam" in said
    assert "peri athlete add" not in said  # the page's own way to add one, not the terminal's
    assert len(said) < 400  # a 5,000-character name is not echoed whole
    assert client.app.pages.jobs.jobs == {}
    assert dump(home) == before


@pytest.mark.parametrize("url, data", [
    ("/plans/generate", [("athlete", "sam"), ("model", "rules"), ("model", "embedded")]),
    ("/athletes/sam/notes/add", [("day", "2026-01-01"), ("text", "a"), ("text", "b")]),
    ("/athletes/sam/profile", [("days_per_week", "3"), ("days_per_week", "5")]),
    ("/plans/generate", [("athlete", "sam"), ("athlete", "sam"), ("model", "rules")]),
])
def test_a_field_sent_twice_is_refused_by_name(client: TestClient, sam: str, home: Path, url: str, data: list) -> None:
    before = dump(home)
    body = "&".join([f"csrf={token(client)}"] + [f"{k}={v}" for k, v in data])
    r = client.post(url, content=body, headers={"content-type": "application/x-www-form-urlencoded"},
                    follow_redirects=False)
    assert r.status_code == 400, alert(r.text)
    doubled = next(k for k, _ in data if sum(1 for kk, _ in data if kk == k) > 1)
    assert f"the field '{doubled}' came more than once" in alert(r.text)
    assert client.app.pages.jobs.jobs == {} and dump(home) == before


def test_fields_meant_to_repeat_still_do(client: TestClient, sam: str) -> None:
    """A blind comparison's arms are chosen several at once: that is not a doubled field."""
    r = client.post("/blind/start", data={"csrf": token(client), "athlete": "sam",
                                          "arm": ["rules", "rules|engineered|1"]}, follow_redirects=False)
    assert r.status_code == 303, alert(r.text)


def test_a_page_for_an_unknown_athlete_says_how_to_add_one(client: TestClient, sam: str) -> None:
    r = client.get("/plans?athlete=nobody")
    assert r.status_code == 404
    assert "no athlete named nobody" in alert(r.text) and "Import page" in alert(r.text)


@pytest.mark.parametrize("url", sorted(JOB_FORMS))
def test_a_form_without_its_athlete_starts_nothing_for_the_first_athlete(client: TestClient, sam: str, home: Path,
                                                                         url: str) -> None:
    before = dump(home)
    r = client.post(url, data={"csrf": token(client), **JOB_FORMS[url]}, follow_redirects=False)
    assert r.status_code == 400 and "athlete: the form names no athlete" in alert(r.text)
    assert client.app.pages.jobs.jobs == {} and dump(home) == before


def test_a_profile_post_that_leaves_fields_out_clears_none_of_them(client: TestClient, sam: str, home: Path) -> None:
    """Blank clears a field (the form's way to say "read it from my log"); a field not sent at all is kept."""
    full = {"level": "advanced", "days_per_week": "3", "goal": "strength", "split": "full body",
            "equipment": "barbell", "age": "41", "body_mass_kg": "82.5", "constraints": "left knee", "unit": "lb"}
    assert client.post("/athletes/sam/profile", data={"csrf": token(client), **full}).status_code == 200
    r = client.post("/athletes/sam/profile", data={"csrf": token(client), "days_per_week": "4"})
    assert r.status_code == 200, alert(r.text)
    with Store(home / "peri.db") as s:
        a = s.get_athlete("sam")
    assert a.days_per_week == 4
    assert (a.level.value, a.goal.value, a.split, a.equipment) == ("advanced", "strength", "full body", ["barbell"])
    assert (a.age, a.body_mass_kg, a.constraints, a.unit) == (41, 82.5, ["left knee"], "lb")
    assert all(a.source(f).kind == "stated" for f in ("level", "goal", "split", "equipment"))
