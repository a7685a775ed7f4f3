"""Peri reads a follow-up with the turn before it: "and on Fireworks?", "why?", "what if it's every day?" name no subject
of their own. The turn is Peri's own last one, the web page's last answer (`ask(after=...)`) or `peri guide --after`.
Every wording here is new: none is a bench question or a router paraphrase."""
from __future__ import annotations

import pytest

from peri.guide.followup import Turn, follows, merged_slots, names_own_subject
from peri.guide.peri import Peri
from peri.guide.slots import Slots
from peri.log.store import Store


def _talk(store: Store, *questions: str):
    peri = Peri(store, None)
    return [peri.ask(q) for q in questions]


@pytest.mark.parametrize("first, then, intent", [
    ("what does a tuned model cost me per month", "ok and on fireworks?", "cost"),
    ("what does a tuned model cost me per month", "what if I asked every day", "cost"),
    ("should I go for fine-tuning", "why though?", "decide"),
    ("should I go for fine-tuning", "how come?", "decide"),
    ("my own undulating scheme, can peri learn it", "so which one gets it right then", "methodology"),
    ("how many weeks of logs does tuning need", "and for the hosted one?", "example_count"),
])
def test_a_follow_up_is_read_with_the_question_before(store: Store, first: str, then: str, intent: str) -> None:
    a, b = _talk(store, first, then)
    assert a.intent == intent, a.intent
    assert b.intent == intent and b.follows == first, (b.intent, b.follows)
    assert first in b.text  # the answer says what it was read with


def test_a_follow_up_changes_only_what_it_says(store: Store) -> None:
    a, b, c = _talk(store, "what would a tuned model cost me at one plan a week", "and with together ai?", "make it 3 a week")
    assert a.queries_per_week == 1 and b.queries_per_week == 1 and c.queries_per_week == 3
    assert b.slots.provider == "together" and b.slots.queries_per_week is None  # the answer's slots: what it said
    assert c.follows == a.question  # a chain of follow-ups is still read with the first question
    assert "meta-llama" in b.text  # the tuned paths priced on Together's model from the price table


def test_a_question_with_its_own_subject_is_not_a_follow_up(store: Store) -> None:
    a, b = _talk(store, "what would fine-tuning cost me", "and where does my log live, is it uploaded?")
    assert b.intent == "privacy" and b.follows is None


def test_a_fragment_naming_another_subject_is_asked_as_it_is(store: Store) -> None:
    a, b = _talk(store, "what would fine-tuning cost me", "what about privacy?")
    assert b.intent == "privacy" and b.follows is None


def test_after_an_off_topic_turn_nothing_follows(store: Store) -> None:
    a, b = _talk(store, "who painted the mona lisa", "why?")
    assert not a.in_scope and b.follows is None


def test_the_web_passes_the_last_answer(store: Store) -> None:
    earlier = Peri(store, None).ask("is it worth tuning a model for me")
    ans = Peri(store, None).ask("how come?", after=earlier)  # a fresh Peri, as the web page makes one a request
    assert ans.intent == "decide" and ans.follows == earlier.question


@pytest.mark.parametrize("q, own", [
    ("and on Fireworks?", False), ("what about 4 times a week", False), ("and daily?", False),
    ("and is my data uploaded?", True), ("and what does LoRA mean", True),
])
def test_what_a_follow_up_names_of_its_own(q: str, own: bool) -> None:
    assert names_own_subject(q) is own


def test_follows_needs_a_short_message_and_an_in_scope_turn() -> None:
    turn = Turn(question="should I fine-tune", intent="decide")
    assert follows("and why?", turn)
    assert not follows("and why?", None)
    assert not follows("and why?", Turn(question="weather?", intent="out_of_scope"))
    assert not follows("and " + "really " * 12 + "why?", turn)


def test_merged_slots_keep_the_earlier_ones() -> None:
    got = merged_slots(Slots(queries_per_week=2.0, seasonal=True), Slots(provider="fireworks"))
    assert got == Slots(queries_per_week=2.0, seasonal=True, provider="fireworks")


def test_cli_after_reads_the_follow_up_with_it(home, monkeypatch) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app

    r = CliRunner().invoke(app, ["guide", "--json", "--after", "what would fine-tuning cost me", "and on fireworks?"])
    assert r.exit_code == 0, r.output
    assert '"intent": "cost"' in r.output and '"follows": "what would fine-tuning cost me"' in r.output
