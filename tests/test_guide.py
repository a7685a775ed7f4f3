"""Peri: grounded concept answers, honest 'outside what I know', journeys read from the store,
and model text kept only when its numbers are grounded."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.backends.base import GenerationResult
from peri.guide.journeys import journey_status, mark_done
from peri.guide.knowledge import retrieve
from peri.guide.peri import Peri
from peri.errors import NotFound
from peri.log.models import Athlete
from peri.log.store import Store


class ScriptedBackend:
    name = "scripted"
    supports_json_schema = False

    def __init__(self, text: str):
        self.text = text
        self.requests = []

    def generate(self, req):
        self.requests.append(req)
        return GenerationResult(text=self.text, prompt_tokens=10, output_tokens=5, latency_s=0.01, cost_usd=None, model="scripted")


def test_retrieval_finds_the_right_section_and_refuses_off_topic() -> None:
    assert retrieve("what is LoRA?")[0].section.title == "LoRA adapter"
    assert retrieve("is my health data kept private?")[0].section.title == "Privacy"
    assert retrieve("what is the capital of France") == []


def test_off_topic_question_is_out_of_scope(store: Store) -> None:
    ans = Peri(store).ask("who won the 1998 world cup?")
    assert not ans.in_scope and ans.intent == "out_of_scope"
    assert "outside what I know" in ans.text


def test_model_sentence_kept_only_when_numbers_are_grounded(store: Store) -> None:
    good = ScriptedBackend("LoRA trains a small adapter on a frozen base model.")
    ans = Peri(store, backend=good).ask("what is LoRA?")
    assert ans.model_text == good.text
    assert "Facts:" in good.requests[0].messages[1]["content"]
    bad = ScriptedBackend("LoRA costs $4,000 and takes 17 days.")
    ans = Peri(store, backend=bad).ask("what is LoRA?")
    assert ans.model_text is None and "dropped" in (ans.model_note or "")


def test_journey_progress_is_read_from_the_store(store: Store, home: Path) -> None:
    store.add_athlete(Athlete(name="ann"))
    st = journey_status(store, "ann", "graduation", home)
    assert not any(s.done for s in st)
    (home / "datasets" / "ann").mkdir(parents=True)
    (home / "datasets" / "ann" / "build.json").write_text("{}")
    st = {s.step.id: s for s in journey_status(store, "ann", "graduation", home)}
    assert st["dataset"].done and "dataset" in (st["dataset"].evidence or "")
    mark_done(store, "ann", "graduation", "experiment")
    st = {s.step.id: s for s in journey_status(store, "ann", "graduation", home)}
    assert st["experiment"].done and "marked" in (st["experiment"].evidence or "")
    with pytest.raises(NotFound):
        mark_done(store, "ann", "graduation", "fly")
