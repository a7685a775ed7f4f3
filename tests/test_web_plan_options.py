"""The Plans page's tries and decoding (`peri plan --attempts --constrain/--no-constrain --moderate-stress`): what
the form sets reaches `generate_plan` as the CLI passes it, blank is the CLI's defaults, and a value that is not one
is refused by its field before any job starts."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from test_web import HOST, alert, app, client, csrf_of, sam  # noqa: F401  (fixtures)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """`generate_plan`'s keyword arguments, each call recorded (then the real rule coach plans)."""
    import peri.generate as generate

    real, seen = generate.generate_plan, []

    def spy(*args: Any, **kw: Any) -> Any:
        seen.append(kw)
        return real(*args, **kw)

    monkeypatch.setattr(generate, "generate_plan", spy)
    return seen


def post(client: TestClient, **fields: str):
    token = csrf_of(client.get("/plans?athlete=sam").text)
    return client.post("/plans/generate", data={"csrf": token, "athlete": "sam", "model": "rules", **fields},
                       follow_redirects=False)


@pytest.mark.parametrize("fields, expect", [
    ({}, (3, True, "demote")),
    ({"attempts": "", "constrain": "", "moderate_stress": ""}, (3, True, "demote")),
    ({"attempts": "7", "constrain": "off", "moderate_stress": "block"}, (7, False, "block")),
    ({"attempts": "1", "constrain": "on", "moderate_stress": "keep"}, (1, True, "keep")),
])
def test_the_forms_tries_and_decoding_reach_the_generation(client: TestClient, sam: str, calls: list,
                                                           fields: dict, expect: tuple) -> None:
    r = post(client, **fields)
    assert r.status_code == 303, alert(r.text)
    job = client.app.pages.jobs.wait(r.headers["location"].rsplit("/", 1)[1], 60)
    assert job.status == "done", job.error
    (kw,) = calls
    assert (kw["max_attempts"], kw["constrain"], kw["moderate_stress"]) == expect


@pytest.mark.parametrize("fields, field", [
    ({"attempts": "0"}, "attempts"), ({"attempts": "11"}, "attempts"), ({"attempts": "2.5"}, "attempts"),
    ({"constrain": "maybe"}, "constrain"), ({"moderate_stress": "ignore"}, "moderate_stress"),
])
def test_a_hostile_option_is_refused_before_a_job_starts(client: TestClient, sam: str, calls: list, fields: dict,
                                                         field: str) -> None:
    r = post(client, **fields)
    assert r.status_code == 400 and html.unescape(alert(r.text)).strip().startswith(f"{field}:")
    assert calls == [] and client.app.pages.jobs.running("plan") == []


def test_the_page_offers_them(client: TestClient, sam: str) -> None:
    page = client.get("/plans?athlete=sam").text.split('id="generate-form"')[1].split("</form>")[0]
    for name in ('name="attempts"', 'name="constrain"', 'name="moderate_stress"'):
        assert name in page
