"""Peri answers "should I fine-tune?" for an athlete in the store from that athlete's own numbers, offline."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from peri.decide.gather import estimated_usage
from peri.guide.peri import Peri
from peri.log.store import Store
from peri.sim.generate import simulate


@pytest.fixture
def sam(store: Store, home: Path) -> str:
    simulate(store, "seed", seed=11, weeks=60, athlete_name="sam", home=home)
    return "sam"


def test_should_i_fine_tune_uses_the_athletes_numbers(store: Store, sam: str) -> None:
    ans = Peri(store, sam).ask("Should I fine-tune?")
    assert ans.intent == "decide" and ans.in_scope
    assert ans.recommendation and ans.recommendation["path"] in {"prompting", "finetuning", "hybrid", "graduate"}
    usage = estimated_usage(store, sam, "gpt-4o-mini")
    assert f"Your engineered prompt is {usage['prompting'].prompt_tokens:.0f} tokens" in ans.text
    assert "lower back sensitivity" in ans.text  # the athlete's own constraint is a cited reason
    assert re.search(r"\$\d", ans.text)  # money, from the price table


def test_daily_question_changes_the_frequency(store: Store, sam: str) -> None:
    weekly = Peri(store, sam).ask("should I fine-tune if I ask weekly?")
    daily = Peri(store, sam).ask("should I fine-tune if I ask daily?")
    assert "at 1 query a week" in weekly.text and "at 7 queries a week" in daily.text


def test_unrelated_should_question_is_out_of_scope(store: Store, sam: str) -> None:
    ans = Peri(store, sam).ask("Should I take creatine?")
    assert not ans.in_scope


def test_examples_show_engineered_next_to_short_prompt(store: Store, sam: str) -> None:
    ans = Peri(store, sam).ask("show me an example from my log")
    assert ans.intent == "examples"
    assert "I'm 38" in ans.text and "short prompt" in ans.text


@pytest.mark.slow
def test_chat_with_the_embedded_model_offline(store: Store, sam: str) -> None:
    from peri.backends.registry import get_backend

    backend = get_backend("embedded")
    try:
        ans = Peri(store, sam, backend=backend).ask("should I fine-tune?")
    finally:
        getattr(backend, "close", lambda: None)()
    assert ans.recommendation is not None
    # what the model wrote is either kept (every sentence entailed by the grounded answer) or dropped with a reason
    from peri.guide.peri import entailed

    assert ans.model_text is not None or ans.model_note is not None
    for sentence in re.split(r"(?<=[.!?])\s+", ans.model_text or ""):
        if sentence.strip():
            assert entailed(sentence, ans.text, ans.recommendation["path"]) is None


def test_quarterly_question_is_decided_at_0_077_queries_a_week(store: Store, sam: str) -> None:
    ans = Peri(store, sam).ask("I query once a quarter, is fine-tuning worth it?")
    assert ans.intent == "decide" and ans.queries_per_week == pytest.approx(1 / 13)
    assert "at 0.077 queries a week" in ans.text and ans.recommendation["path"] == "prompting"
    assert "fine-tuning is worth it" not in ans.text.lower()


def test_what_the_person_says_reaches_the_decision(store: Store, sam: str) -> None:
    ans = Peri(store, sam).ask("I'm still experimenting and my focus changes with the season, should I fine-tune?")
    criteria = {r["criterion"] for r in ans.recommendation["reasons"]}
    assert {"exploring", "seasonal focus"} <= criteria
    three = Peri(store, sam).ask("should I fine-tune if I ask 3x a week?")
    assert three.queries_per_week == 3 and "at 3 queries a week" in three.text


def test_what_next_follows_the_recommended_journey_and_names_the_command(store: Store, sam: str) -> None:
    ans = Peri(store, sam).ask("what should I do next?")
    assert ans.intent == "next"
    journey = ans.recommendation["journey"]
    assert journey in ans.text or any(j in ans.text for j in ("prompt sprint", "Graduate", "hybrid"))
    assert re.search(r"Run `peri [a-z]", ans.text)


def test_example_count_uses_the_athletes_own_count(store: Store, sam: str) -> None:
    ans = Peri(store, sam).ask("how many examples do I need?")
    assert ans.intent == "example_count" and "100-500" in ans.text
    assert re.search(r"Your log has \d+ logged weeks", ans.text)


# --- the default mode, decided by bench/guide.py: the grounded answer alone; the model one flag away ---------
class _Rephraser:
    """Stands in for the embedded model: says one sentence every grounded privacy answer entails."""

    name, supports_json_schema, needs_context, adapter = "scripted", False, False, None

    def generate(self, req):
        from peri.backends.base import GenerationResult

        return GenerationResult(text="Your training log is health data.", latency_s=0.0, model="scripted")


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every backend the CLI or the web page asks the registry for (none loads for real)."""
    import peri.backends.registry as registry

    seen: list[str] = []

    def fake(spec, store=None, **kw):
        seen.append(str(spec))
        return _Rephraser()

    monkeypatch.setattr(registry, "get_backend", fake)
    return seen


def test_peri_answers_without_the_model_unless_asked_in_the_cli(home: Path, loads: list[str]) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app
    from peri.guide.peri import MODEL_BY_DEFAULT

    assert MODEL_BY_DEFAULT is False  # the measured pass rate did not earn the model its latency
    r = CliRunner().invoke(app, ["guide", "is my data sent anywhere?"])
    assert r.exit_code == 0 and "local" in r.output and "Peri, in short" not in r.output and loads == []
    r = CliRunner().invoke(app, ["guide", "is my data sent anywhere?", "--model"])  # one flag away
    assert r.exit_code == 0 and "Peri, in short" in r.output and loads == ["embedded"]
    helptext = CliRunner().invoke(app, ["guide", "--help"]).output
    assert "off by default" in " ".join(helptext.split())


def test_peri_page_answers_without_the_model_unless_the_box_is_ticked(home: Path, loads: list[str]) -> None:
    from starlette.testclient import TestClient

    from peri.web.app import WebSettings, create_app

    app = create_app(WebSettings())
    try:
        client = TestClient(app, base_url="http://testserver")
        page = client.get("/peri").text
        assert 'name="model"' in page and "checked" not in page.split('name="model"')[1].split(">")[0]
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        r = client.post("/peri/ask", data={"csrf": token, "model_box": "1", "question": "is my data sent anywhere?"})
        assert r.status_code == 200 and "Peri, in short" not in r.text and loads == []
        r = client.post("/peri/ask", data={"csrf": token, "model_box": "1", "model": "on",
                                           "question": "is my data private?"})
        assert r.status_code == 200 and loads == ["embedded"]
        assert "Peri, in short:</b> Your training log is health data." in r.text
    finally:
        app.pages.jobs.shutdown()
