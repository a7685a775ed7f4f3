"""A scenario's details on the web, as the CLI's --event-date and --equipment give them: the competition date a
peaking week counts down to and the equipment at hand for a travel week, on the Prompt page (`build_prompt`) and
the Plans page (`generate_plan`, recorded with the generation); a bad date or too many items refused by field."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import alert, app, client, csrf_of, dump, run_job, sam  # noqa: F401  (fixtures)


def prompt_text(page: str) -> str:
    return html.unescape(" ".join(re.findall(r'<pre class="prompt">(.*?)</pre>', page, re.S)))


def test_the_prompt_counts_down_to_the_competition_and_lists_the_equipment(client: TestClient, sam: str) -> None:
    base = {"athlete": "sam", "detail": "1"}
    soon = prompt_text(client.get("/prompt", params={**base, "scenario": "peaking"}).text)
    r = client.get("/prompt", params={**base, "scenario": "peaking", "event_date": "2027-03-14"})
    assert r.status_code == 200, alert(r.text)
    dated = prompt_text(r.text)
    assert "on 2027-03-14 (" in dated and "weeks from next Monday)" in dated and "2027-03-14" not in soon
    assert 'name="event_date" type="date" value="2027-03-14"' in r.text  # kept in the form
    away = prompt_text(client.get("/prompt", params={**base, "scenario": "travel", "equipment": "dumbbell, bands"}).text)
    assert "will only have: dumbbell, bands." in away
    bare = prompt_text(client.get("/prompt", params={**base, "scenario": "travel"}).text)
    assert "will only have: body weight only." in bare


def test_a_plan_is_generated_for_the_competition_and_the_equipment(client: TestClient, sam: str, home: Path) -> None:
    token = csrf_of(client.get("/plans?athlete=sam").text)
    assert 'name="event_date"' in client.get("/plans?athlete=sam").text
    url = run_job(client, client.post("/plans/generate", data={
        "csrf": token, "athlete": "sam", "model": "rules", "scenario": "travel", "equipment": "dumbbell"},
        follow_redirects=False))
    url2 = run_job(client, client.post("/plans/generate", data={
        "csrf": token, "athlete": "sam", "model": "rules", "scenario": "peaking", "event_date": "2027-03-14"},
        follow_redirects=False))
    with Store(home / "peri.db") as s:
        travel, peaking = (s.get_generation(int(u.rsplit("/", 1)[1])) for u in (url, url2))
    assert travel.meta["equipment"] == ["dumbbell"] and peaking.meta["event_date"] == "2027-03-14"


@pytest.mark.parametrize("data, said", [
    ({"event_date": "14/03/2027"}, "event_date: competition date '14/03/2027' is not a date"),
    ({"event_date": "2027-02-30"}, "event_date: competition date '2027-02-30' is not a date"),
    ({"equipment": ",".join(f"thing{i}" for i in range(21))}, "equipment: equipment has 21 entries; at most 20"),
    ({"equipment": "x" * 61}, "longer than 60 characters"),
])
def test_bad_scenario_details_are_refused_by_field(client: TestClient, sam: str, home: Path, data: dict,
                                                   said: str) -> None:
    before = dump(home)
    r = client.post("/plans/generate", data={"csrf": csrf_of(client.get("/plans?athlete=sam").text), "athlete": "sam",
                                             "model": "rules", "scenario": "peaking", **data}, follow_redirects=False)
    assert r.status_code == 400 and said in " ".join(html.unescape(alert(r.text)).split())
    assert client.app.pages.jobs.jobs == {} and dump(home) == before
    r = client.get("/prompt", params={"athlete": "sam", "scenario": "peaking", **data})
    assert r.status_code == 400 and said in " ".join(html.unescape(alert(r.text)).split())
