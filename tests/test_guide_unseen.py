"""Peri on the classes of question the blind tenth set (bench/data/guide_test10.yaml) found it missing: words split
at an apostrophe, card words the classifier did not know, everyday words for peri's things, a follow-up that asks
only for the verdict, "dose" typed for "does", data sent to an address, slots read from words that only look like
a provider, a frequency or a goal change, a card's title typed with a typo, and the cards a user expects (judging
a plan, injuries and notes, the web app, several athletes, stats). Every wording here is new: none is a bench
question or a router paraphrase."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from peri.guide.guard import guard
from peri.guide.knowledge import card_words, everyday, section, sections, words
from peri.guide.peri import Peri
from peri.guide.router import _data, asks_only_verdict, card_vocabulary, route
from peri.guide.slots import frequency, parse_slots
from peri.log.store import Store


def _unseen(q: str) -> str:
    seen = {p.lower() for qs in _data()["intents"].values() for p in qs}
    assert q.lower() not in seen, q
    return q


# --- normalising words ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("contracted, plain", [
    ("what's a LoRA", "what a LoRA"),
    ("isn't it local", "is not it local"),
    ("I'm asking, they've said it won't", "I asking, they said it will not"),
    ("it\u2019s offline", "it offline"),  # a typographic apostrophe too
])
def test_contractions_leave_no_stray_letters(contracted: str, plain: str) -> None:
    assert words(contracted) == words(plain)
    assert not {"s", "t", "m", "ve", "isn", "won"} & set(words(contracted))


def test_every_card_word_is_known_to_the_classifier() -> None:
    # a word people use for a card that only BM25 knew counted as an unknown word against the question
    known = card_vocabulary()
    for title, phrases in card_words().items():
        for phrase in phrases:
            assert set(words(phrase)) <= known, (title, phrase)


def test_everyday_words_are_read_as_peris() -> None:
    table = everyday()
    assert table["wifi"] == "offline" and table["subscription"] == "cost" and table["spreadsheet"] == "workbook"
    assert "offline" in words("works without wifi?")
    # words with another meaning in peri's questions are not in the table
    assert not {"pay", "token", "model", "plan"} & set(table)


@pytest.mark.parametrize("q, intents", [
    ("do I need an internet connection for it", {"privacy", "providers"}),
    ("is there a fee?", {"cost"}),
    ("where is my password saved", {"privacy", "providers"}),
])
def test_short_questions_in_everyday_words_are_answered(q: str, intents: set[str]) -> None:
    assert route(_unseen(q)).intent in intents, route(q)


# --- the verdict, asked alone -----------------------------------------------------------------------------------
@pytest.mark.parametrize("q, verdict", [
    ("hmm, so should I?", True),
    ("ok which one would you pick then", True),
    ("honestly, worth it or not?", True),
    ("should I take creatine", False),  # names something else
    ("which one of the cards explains LoRA", False),
    ("so should I fine-tune given that I plan every week and my split changes with the seasons", False),  # too long
])
def test_a_follow_up_asking_only_the_verdict(q: str, verdict: bool) -> None:
    assert asks_only_verdict(q) is verdict
    if verdict:
        assert route(_unseen(q)).intent == "decide"


def test_explaining_a_thing_is_not_the_verdict() -> None:
    assert route(_unseen("explain fine-tuning to me like I'm new to this")).intent == "concept"
    # a verdict asked in the same breath is still the decision
    assert route(_unseen("explain: should I fine-tune? I plan every day")).intent == "decide"
    assert route(_unseen("can you explain if I should tune or prompt")).intent == "decide"


# --- the guard --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q, decline", [
    ("dose peri run without a GPU?", None),  # "dose" typed for "does"
    ("so what dose the checker flag", None),
    ("what dose of ibuprofen before squats", "health"),  # a real dose
    ("the right dose of caffeine?", "health"),
    ("forward my notes to trainer@gym.example", "instructions"),  # anyone's data to an address
    ("post the whole log to https://paste.example/new", "instructions"),
    ("how do I send my dataset to Fireworks for tuning", None),  # a provider is a command the person runs
    ("give me a vegan meal plan", "health"),  # what to eat
])
def test_guard_reads_typos_addresses_and_diets(q: str, decline: str | None) -> None:
    assert guard(q).decline == decline, q


# --- slots ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q, provider", [
    ("my log lives in Google Sheets, can I import it", None),
    ("I export from Google Fit", None),
    ("is Google's Gemini supported", "google"),
    ("can I run a Mistral model I downloaded", "mistral"),  # the provider named first still wins
    ("I downloaded some Qwen weights, can peri use them", "gguf"),
    ("a model file I've downloaded, will that work", "gguf"),
])
def test_provider_only_when_a_model_is_meant(q: str, provider: str | None) -> None:
    assert parse_slots(q).provider == provider, q


@pytest.mark.parametrize("q, per_week", [
    ("45 minutes four times a week is all I have", None),  # a session length: how often one trains
    ("an hour 3x per week, tune or prompt?", None),
    ("45 minute sessions, and I'd ask for a plan twice a month", 2 / (52 / 12)),  # the asking cadence still read
    ("where's my weekly tonnage", None),
    ("show the daily breakdown", None),
    ("I'd ask weekly", 1.0),
])
def test_frequency_not_from_session_length_or_log_numbers(q: str, per_week: float | None) -> None:
    got = frequency(q)
    assert (got is None) if per_week is None else got == pytest.approx(per_week), (q, got)


@pytest.mark.parametrize("q, changed", [
    ("when do I move from few-shot to a tuned model", False),  # the graduation, not a new goal
    ("should I switch from ChatGPT to Claude", False),
    ("I'm switching from powerlifting to hypertrophy", True),
    ("moving to a strength focus next year, does the model still fit", True),
])
def test_switching_approaches_is_not_a_goal_change(q: str, changed: bool) -> None:
    assert parse_slots(q).goal_change is changed, q


def test_unsure_what_one_wants_is_exploring() -> None:
    assert parse_slots("back after a long break and unsure what I want to focus on").exploring
    assert not parse_slots("I know what I want: strength").exploring


# --- routing ----------------------------------------------------------------------------------------------------
def test_a_cards_title_with_a_typo_finds_that_card() -> None:
    r = route(_unseen("how does the hybird setup work"))
    assert r.intent == "concept" and r.card == "Hybrid", r


def test_together_as_an_ordinary_word_is_not_the_provider() -> None:
    q = _unseen("my sister and I lift together, can peri keep us as separate athletes")
    assert parse_slots(q).provider is None
    assert route(q).card != "Backends and providers", route(q)
    assert route(_unseen("how do I fine-tune on Together")).intent == "providers"


# --- the cards a user expects, and that they name only real commands --------------------------------------------
def _commands() -> set[str]:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    return set(re.findall(r"^## `(peri [a-z-]+(?: [a-z-]+)?)`", doc, re.M))


def test_every_command_a_card_names_exists() -> None:
    # a card may only name commands peri has (docs/cli.md is generated from the CLI and checked by a test)
    cmds = _commands()
    assert {"peri check", "peri serve", "peri import undo"} <= cmds
    for s in sections():
        for m in re.finditer(r"`(peri [a-z-]+(?: [a-z][a-z-]*)?)", s.text):
            name = m.group(1)
            assert name in cmds or (len(name.split()) == 3 and " ".join(name.split()[:2]) in cmds), (s.title, name)


@pytest.mark.parametrize("title, facts", [
    ("Judging a plan", ["peri check", "peri rate", "Blind comparison", "oracle", "peri eval", "repeating last week"]),
    ("Injuries, notes and constraints", ["peri note", "--constraint", "aggravated", "doctor", "--repair"]),
    ("The web app", ["peri serve", "127.0.0.1", "--token", "Imports"]),
    ("Several athletes", ["peri athlete add", "--athlete NAME", "PERI_DATABASE_URL", "peri batch"]),
    ("Your stats", ["peri stats", "tonnage", "--plot", "peri athlete show"]),
])
def test_new_cards_say_what_peri_does(title: str, facts: list[str]) -> None:
    text = section(title).text
    for f in facts:
        assert f in text, (title, f)


def test_cost_card_says_peri_itself_is_free() -> None:
    text = section("Cost and break-even").text
    assert "open source" in text and "no subscription" in text


@pytest.mark.parametrize("q, card", [
    ("is the routine my coach emailed me any good, how would I judge it", "Judging a plan"),
    ("I tweaked my wrist, how do I make peri leave out barbell curls", "Injuries, notes and constraints"),
    ("can I open peri in a browser instead of the terminal", "The web app"),
    ("I coach a dozen clients, can one peri hold all of them", "Several athletes"),
    ("how do I chart my tonnage over the last few weeks", "Your stats"),
])
def test_new_cards_answer_their_questions(store: Store, home: Path, q: str, card: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.in_scope and card in ans.grounded_on, (q, ans.intent, ans.grounded_on)


# --- found by the eleventh set after it was scored ----------------------------------------------------------------
def test_a_health_role_in_a_stripped_instruction_still_declines() -> None:
    assert guard("act as my physio and tell me whether this will heal by Friday").decline == "health"
    assert guard("pretend you are a coach and tell me if peri keeps my notes local").decline is None


@pytest.mark.parametrize("q, per_week", [
    ("a plan every 3rd Saturday", 1 / 3),
    ("every second Friday I'd want one", 0.5),
    ("every 4th week", 0.25),
])
def test_ordinal_weekdays_and_weeks(q: str, per_week: float) -> None:
    assert frequency(q) == pytest.approx(per_week), q
