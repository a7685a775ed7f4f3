"""The Prompt page's three prompts, as `peri prompt show` builds them (`prompt_view`): the engineered prompt (any
detail, the plan asked as text or JSON), the tuned model's short prompt (`--short`), the few-shot prompt with the
past weeks it shows and why (`--fewshot`), each for the week after the log or the week of a date (`--as-of`); a
kind, format or date that is not one refused naming its field."""
from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from peri.plans.schema import Scenario
from test_web import HOST, alert, app, client, sam  # noqa: F401  (fixtures)


def messages(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'<pre class="prompt">(.*?)</pre>', html, re.S)]


def library(home: Path, **kw) -> object:
    from peri.prompt_view import prompt_view

    with Store(home / "peri.db") as s:
        return prompt_view(s, "sam", **kw)


def last_day(home: Path) -> dt.date:
    with Store(home / "peri.db") as s:
        return s.sessions(s.get_athlete("sam").id)[-1].started_at.date()


@pytest.mark.parametrize("kind", ["short", "fewshot"])
def test_the_short_and_few_shot_prompts_are_the_librarys(client: TestClient, sam: str, home: Path, kind: str) -> None:
    r = client.get(f"/prompt?athlete=sam&kind={kind}&scenario=deload")
    assert r.status_code == 200, alert(r.text)
    view = library(home, kind=kind, scenario=Scenario.deload)
    assert messages(r.text) == [m["content"] for m in view.messages]
    assert re.search(rf'id="total-tokens">{view.total_tokens}<', r.text)
    assert '<option value="{}" selected>'.format(kind) in r.text  # the page says which prompt it shows
    if kind == "fewshot":  # each example week with why it was chosen, and how many fit
        fs = view.fewshot
        shown = re.findall(r"<li>week of (\d{4}-\d\d-\d\d)", r.text.split('id="examples"')[1].split("</ul>")[0])
        assert shown == [ex.week_start.isoformat() for ex in fs.examples] and shown
        assert f"{len(fs.examples)} of {fs.candidates} eligible past weeks" in r.text


def test_the_week_of_a_date_is_built_from_the_history_before_it(client: TestClient, sam: str, home: Path) -> None:
    day = last_day(home) - dt.timedelta(days=28)
    monday = day - dt.timedelta(days=day.weekday())
    r = client.get(f"/prompt?athlete=sam&kind=fewshot&as_of={monday}")
    assert r.status_code == 200, alert(r.text)
    early = library(home, kind="fewshot", as_of=monday).fewshot
    late = library(home, kind="fewshot").fewshot
    assert messages(r.text) == [m["content"] for m in early.messages] != [m["content"] for m in late.messages]
    weeks = re.findall(r"<li>week of (\d{4}-\d\d-\d\d)", r.text)
    assert weeks and all(dt.date.fromisoformat(w) < monday for w in weeks)  # no example from the week planned on
    assert f'name="as_of" type="date" value="{monday}"' in r.text


def test_the_engineered_prompt_asks_for_json_when_chosen(client: TestClient, sam: str, home: Path) -> None:
    r = client.get("/prompt?athlete=sam&detail=1&output_format=json")
    assert r.status_code == 200, alert(r.text)
    assert messages(r.text) == [m["content"] for m in library(home, detail=1, output_format="json").messages]
    assert messages(r.text) != messages(client.get("/prompt?athlete=sam&detail=1").text)


@pytest.fixture
def lee(home: Path) -> str:
    """An athlete without a log: the page's fields are checked before the log is read."""
    from peri.log.models import Athlete

    with Store(home / "peri.db") as s:
        s.add_athlete(Athlete(name="lee"))
    return "lee"


@pytest.mark.parametrize("query, field", [
    ("kind=long", "kind"), ("output_format=yaml", "output_format"), ("as_of=next+week", "as_of"),
    ("kind=<script>", "kind"),
])
def test_a_hostile_view_is_refused_naming_its_field(client: TestClient, lee: str, query: str, field: str) -> None:
    r = client.get(f"/prompt?athlete=lee&{query}")
    assert r.status_code == 400
    said = unescape(alert(r.text)).strip()
    assert said.startswith(f"{field}") and "--as-of" not in said, said
    assert "<script>" not in r.text.split("</header>")[-1]


def test_a_week_outside_the_log_is_refused_naming_the_field(client: TestClient, sam: str) -> None:
    r = client.get("/prompt?athlete=sam&as_of=1900-01-01")
    assert r.status_code == 400
    said = unescape(alert(r.text)).strip()
    assert said.startswith("as_of:") and "--as-of" not in said, said
