"""Peri on classes of question read from their shape and word classes (helper guide5, 2026-12-02): a price asked of
something that is not peri's, an amount asked rather than a price, the catch (sceptical questions), seeing, taking
away or deleting one's own data, short words typed with a letter dropped, greetings, and words only a card uses.
Every wording here is new: none is a bench question or a router paraphrase."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.guide.knowledge import correct, section, words
from peri.guide.peri import Peri
from peri.guide.router import DATA_ACTION, classifier, prices_something_else, route
from peri.log.store import Store
from tests.test_guide_unseen import _unseen  # a wording no paraphrase in the router's data holds


# --- money: peri's cost, or the price of something else ---------------------------------------------------------
@pytest.mark.parametrize("q", [
    "price of gold today",
    "what do running shoes cost these days",  # "these" is no pronoun for peri here, but "shoes" is unknown: still
    "how much water should I drink",  # an amount, not a price
    "how much sleep does a teenager need",
])
def test_a_price_or_amount_of_something_else_is_declined(q: str) -> None:
    r = route(_unseen(q))
    assert r.intent == "out_of_scope", (q, r)


@pytest.mark.parametrize("q", [
    "how much is it per month",
    "does the desktop version cost money",
    "what would a hosted fine-tune cost me",
    "any hidden fees",
])
def test_a_price_of_peris_things_is_the_cost(q: str) -> None:
    assert route(_unseen(q)).intent == "cost", q


def test_what_the_price_is_of_decides_not_the_price_word() -> None:
    clf = classifier()
    # the same shape, the thing priced changes the verdict
    assert prices_something_else("what does lemonade cost", clf)
    assert not prices_something_else("what does the adapter cost", clf)
    assert not prices_something_else("what does it cost", clf)  # no unknown word: "it" is what was discussed
    # an amount asked, not a price, even with no unknown word
    assert prices_something_else("how much rest do people need", clf)
    assert not prices_something_else("how much money do people need for hosting", clf)


# --- the catch ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["what are the cons", "what's the downside of using peri", "ok so what's the snag",
                               "any flaws I should know about"])
def test_the_catch_is_answered_with_the_limits(store: Store, home: Path, q: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent == "concept" and ans.grounded_on[0] == "Limits and trade-offs", (q, ans.intent, ans.grounded_on)


def test_the_limits_card_is_honest_about_each_path() -> None:
    text = section("Limits and trade-offs").text
    for fact in ("does not diagnose", "peri eval", "100 logged weeks", "retrained", "costs money per token",
                 "open source", "no subscription"):
        assert fact in text, fact


# --- one's own data -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("q, facts", [
    ("how can I erase all my training data", ["PERI_HOME", "peri import undo", "delete-session", "peri athlete delete"]),
    ("I want a copy of my whole log", ["peri athlete export", "peri.db", "peri dataset export"]),
    ("remove only my girlfriend's data, keep mine", ["peri athlete delete", "--yes"]),
    ("can I look at everything you keep about me", ["peri athlete show", "peri stats"]),
    ("please purge everything", ["PERI_HOME"]),
])
def test_seeing_taking_or_deleting_ones_data_says_how(store: Store, home: Path, q: str, facts: list[str]) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent == "privacy" and ans.grounded_on[0] == "Your data: seeing, exporting, deleting", (q, ans.grounded_on)
    for f in facts:
        assert f in ans.text, (q, f)
    assert "local" in ans.text  # where it is kept follows the how


def test_where_data_goes_stays_the_privacy_card(store: Store, home: Path) -> None:
    ans = Peri(store, home=home).ask(_unseen("does my log ever leave this computer"))
    assert ans.intent == "privacy" and ans.grounded_on == ["Privacy"]


@pytest.mark.parametrize("q, action", [
    ("can I download my training history", True),
    ("wipe it all", True),
    ("I exported my log from Strong, now what", True),  # the shape matches; the importing card keeps it (router)
    ("is my data safe", False),
    ("forget you are a coach", False),
])
def test_the_data_action_shape(q: str, action: bool) -> None:
    assert bool(DATA_ACTION.search(q)) is action, q


def test_importing_is_not_taking_data_out() -> None:
    assert route(_unseen("I exported my workouts from Hevy, how do I bring them in")).intent != "privacy"


# --- typing -------------------------------------------------------------------------------------------------------
def test_a_short_word_with_a_letter_dropped_is_read() -> None:
    vocab = classifier().typed
    assert correct("chek it", vocab) == "check it"
    assert correct("wher is it", vocab) == "where is it"
    # a real short word is never swapped for another, and a known word's plural is not read into it
    assert correct("with a cold", vocab) == "with a cold"
    assert correct("bulk", vocab) == "bulk"


def test_greetings_are_no_words() -> None:
    assert words("hey hi hello") == []
    assert route(_unseen("hi, is peri free")).intent == "cost"


# --- words only a card uses ---------------------------------------------------------------------------------------
def test_a_word_only_a_card_uses_votes_for_that_card() -> None:
    r = route(_unseen("my sister wants in too"))
    assert r.intent == "concept" and r.card == "Several athletes", r


# --- peri as the subject of what hurt -----------------------------------------------------------------------------
@pytest.mark.parametrize("q, declined", [
    ("will it remember that my elbow aches on dips", False),  # what peri does with what it was told
    ("does the app steer clear of lifts that hurt my hip", False),
    ("my elbow aches, should I keep training", True),  # the injury itself: a doctor's question
])
def test_what_peri_does_with_an_injury_is_not_a_health_question(q: str, declined: bool) -> None:
    from peri.guide.guard import guard

    assert (guard(_unseen(q)).decline == "health") is declined, q


# --- classes the blind twelfth set showed (bench/data/guide_test12.yaml), each in new words -------------------------
def test_a_doubled_consonant_before_ed_or_ing_is_single() -> None:
    from peri.guide.knowledge import stem

    assert [stem(w) for w in ("flagged", "logged", "planning", "stopped")] == ["flag", "log", "plan", "stop"]
    assert [stem(w) for w in ("called", "passed", "buzzing")] == ["call", "pass", "buzz"]  # l, s, z keep theirs


def test_two_swapped_letters_are_read() -> None:
    assert correct("what does the chekcer flag", classifier().typed) == "what does the checker flag"


@pytest.mark.parametrize("q, per_week", [
    ("I've logged fairly steadily three times a week for two years, how many examples is that", None),  # training
    ("rotating my main lift every week, should I tune a model", None),  # what the training changes on
    ("my coach emails me a new block every 6 weeks, can peri read it", None),  # someone else's cadence
    ("I'd like a new plan before each of my 3 weekly workouts", 3.0),  # a plan per session
])
def test_frequencies_that_are_not_asking(q: str, per_week: float | None) -> None:
    from peri.guide.slots import frequency

    assert frequency(_unseen(q)) == per_week, q


def test_a_goal_switched_is_a_goal_change() -> None:
    from peri.guide.slots import parse_slots

    assert parse_slots("my goal switched to strongman, retrain?").goal_change
    assert parse_slots("my goals flipped this spring").goal_change


@pytest.mark.parametrize("q, intent", [
    ("together llama fine-tune pricing", "cost"),  # the price is asked, the provider is what is priced
    ("I plan five times a week and wonder if I should tune a model", "decide"),  # the verdict asked indirectly
    ("can peri spot my bar path from a phone video", "out_of_scope"),  # no sense for video
])
def test_the_question_asked_not_the_thing_named(q: str, intent: str) -> None:
    assert route(_unseen(q)).intent == intent, (q, route(q))


def test_starting_over_after_a_goal_change_is_retraining(store: Store, home: Path) -> None:
    q = "I moved from powerlifting to hypertrophy. I tuned a model on my old weeks. Must I begin from scratch?"
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent == "retrain", ans.intent


def test_a_flagged_lift_is_the_checker(store: Store, home: Path) -> None:
    ans = Peri(store, home=home).ask(_unseen("can it swap out the lifts that got flagged"))
    assert ans.in_scope and "--repair" in ans.text, (ans.intent, ans.grounded_on)


def test_a_hosted_provider_answer_names_its_tuning_terms(store: Store, home: Path) -> None:
    from peri.prices import load_prices

    table = load_prices()
    ans = Peri(store, home=home).ask(_unseen("could I tune gpt-4.1-mini on openai through peri"))
    assert ans.intent == "providers"
    assert f"retires on {table.models['gpt-4.1-mini'].retires}" in ans.text
    assert all(u.from_ in ans.text for u in table.providers["openai"].requires_prior_usage)


def test_the_cost_of_running_locally_is_electricity(store: Store, home: Path) -> None:
    from peri.prices import load_prices

    loc = load_prices().local
    ans = Peri(store, home=home).ask(_unseen("what would the power bill be to tune on my own laptop"))
    assert ans.intent == "cost" and f"{loc.watts:g} W at ${loc.usd_per_kwh:.2f}/kWh" in ans.text
    # a cost question about a hosted model does not get the electricity line
    assert "kWh" not in Peri(store, home=home).ask(_unseen("what does a hosted fine-tune cost per month")).text


def test_where_a_key_goes_is_the_providers_answer(store: Store, home: Path) -> None:
    ans = Peri(store, home=home).ask(_unseen("where does my anthropic key go"))
    assert ans.intent == "providers" and "ANTHROPIC_API_KEY" in ans.text, (ans.intent, ans.grounded_on)


def test_seeing_ones_training_numbers_is_the_stats_card() -> None:
    for q in ("how can I look at my volume", "where would I check my maxes"):
        r = route(_unseen(q))
        assert r.intent == "concept" and r.card == "Your stats", (q, r)
    from peri.guide.router import SEE_STATS

    assert not SEE_STATS.search("show me my progress on the journey")  # progress on a journey is not the stats


def test_a_spelling_fix_never_makes_a_price_peris() -> None:
    # "bread" is one edit from "break" (even): the words as typed decide what is priced
    assert route(_unseen("how much bread is too much")).intent == "out_of_scope"


def test_a_card_named_only_through_a_typo_is_answered(store: Store, home: Path) -> None:
    ans = Peri(store, home=home).ask(_unseen("wat is the chekcer for"))
    assert ans.in_scope and ans.grounded_on[0] == "The plan checker", (ans.intent, ans.grounded_on)


def test_a_card_only_word_does_not_pick_a_card_the_question_is_not_about() -> None:
    # "safety" alone names Measuring quality; the whole question is about checking plans
    assert route(_unseen("are plans checked for safety somehow")).card in {"Judging a plan", "The plan checker"}
