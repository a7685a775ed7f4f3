"""Peri on needs told by their shape (helper guide6, 2026-12-02): whether a switch (app, model, provider, computer,
goal) means starting over, a suspected sales motive, what peri knows about the asker, a log kept without an app,
and training days told as a schedule. Every wording here is new: none is a bench question or a router paraphrase,
and each class is asked several ways."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.guide.knowledge import section
from peri.guide.peri import Peri
from peri.guide.router import (KNOWS_YOU, NO_APP, SELLING, SWITCHING, TRAINING_DAYS, route, shape_card)
from peri.guide.slots import parse_slots
from peri.log.store import Store
from tests.test_guide_unseen import _unseen  # a wording no paraphrase in the router's data holds


def _lead(ans) -> str:
    return ans.text.split("\n\n")[0]


# --- a switch: what is kept, what is redone -------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "am I back to square one if I go from Hevy to Strong",
    "getting a new PC next month, will all my stuff be gone",
    "thinking of using Anthropic instead, does all the setup have to be redone",
    "if a better base model comes out do I lose the tuning I did",
    "must I begin again from zero when I swap provider",
])
def test_a_switch_is_answered_with_what_carries_over(store: Store, home: Path, q: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent != "next", q  # not the next step of a journey: what survives the change
    assert section(SWITCHING).text in ans.text, q
    # the card says what is kept and what is redone, in those words
    assert "dataset" in ans.text and "adapter works only with the base model" in ans.text


def test_a_goal_change_that_asks_about_starting_over_is_the_retraining_answer_with_what_is_kept(store: Store, home: Path) -> None:
    q = _unseen("I've moved on from bodybuilding to powerlifting and I tuned a model last spring. Is it all wasted now?")
    ans = Peri(store, home=home).ask(q)
    assert ans.intent == "retrain" and ans.slots.goal_change
    assert section("When goals change").text in ans.text and section(SWITCHING).text in ans.text
    assert ans.text.index(section("When goals change").text) < ans.text.index(section(SWITCHING).text)


def test_a_tool_switched_between_is_not_a_goal_change() -> None:
    assert not parse_slots("moving from FitNotes to Hevy, anything I lose?").goal_change
    assert not parse_slots("changing from my laptop to a mac").goal_change
    assert parse_slots("switching from powerlifting to hypertrophy").goal_change  # a goal still is


# --- a sales motive suspected ----------------------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "be real, youre pushing me towards paying anthropic",
    "does openai give you a cut when I use them",
    "is there some affiliate deal behind the tuning advice",
    "whose side are you on, are you funded by openai",
])
def test_a_suspected_sales_motive_is_answered_plainly(store: Store, home: Path, q: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent in {"concept", "cost"}, q
    assert section(SELLING).text in ans.text, q
    low = ans.text.lower()
    # the default is local and free, hosted is optional and priced in the open, the verdict rests on the person's numbers
    assert "runs locally" in low and "optional" in low and "prices.yaml" in low and "your own numbers" in low


# --- what peri knows about the asker ---------------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "so what have u got on me",
    "what has peri figured out about me so far",
    "tell me everything that's been saved about me",
])
def test_what_peri_knows_is_the_persons_own_profile_and_log(store: Store, home: Path, q: str) -> None:
    from test_dataset import seed_store

    name = seed_store(store)  # 24 weeks with week 5 off, 4 sessions a week; stated: 4 days a week, one constraint
    ans = Peri(store, name, home=home).ask(_unseen(q))
    assert _lead(ans).startswith(KNOWS_YOU), q
    assert "92 sessions" in ans.text  # 23 weeks x 4 sessions, counted by hand
    assert "days per week 4 (stated by you)" in ans.text
    assert "lower back sensitivity" in ans.text
    assert f"peri athlete export {name}" in ans.text
    assert "simulated" not in ans.text  # an athlete of their own log is not called simulated


def test_what_peri_knows_without_an_athlete_says_where_to_look(store: Store, home: Path) -> None:
    ans = Peri(store, home=home).ask(_unseen("what exactly do you know about me"))
    assert ans.intent == "concept" and ans.text.startswith(KNOWS_YOU)
    assert "peri athlete show NAME" in ans.text
    assert "What peri holds for" not in ans.text  # no numbers claimed without a log


def test_someone_elses_knowledge_of_the_asker_is_not_peris() -> None:
    assert shape_card("how much does my coach know about me") is None


# --- a log kept without an app ---------------------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "everything i do is written down in a little notebook",
    "I don't use any app, I just scribble sets on paper. how would this work for me",
    "which columns should my sheet have so peri can read it",
    "what's the least I have to record per set for the import to work",
])
def test_a_log_without_an_app_gets_the_columns_and_the_minimum(store: Store, home: Path, q: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent == "concept" and _lead(ans).startswith(NO_APP), q
    assert "Date,Exercise,Weight,Reps" in ans.text and "peri import auto" in ans.text and "at the least" in ans.text.lower()
    assert "peri serve" in ans.text  # the web import page, for someone without a terminal


def test_a_minimum_of_training_data_is_not_the_log_format() -> None:
    assert shape_card("what's the minimum number of logged weeks for fine-tuning") is None


# --- training days told as a schedule --------------------------------------------------------------------------
@pytest.mark.parametrize("q, days", [
    ("I lift on Tuesdays and Saturdays", None),
    ("squats on mondays, bench on wednesdays, deadlifts on fridays", None),
    ("Saturdays and Sundays are my gym days, should I fine-tune?", None),
    ("I'd ask for a plan on Tuesdays and Fridays, tune or prompt?", 2.0),  # asking on those days is a frequency
])
def test_training_days_are_not_how_often_someone_asks(q: str, days: float | None) -> None:
    assert parse_slots(_unseen(q)).queries_per_week == days, q


@pytest.mark.parametrize("q", [
    "I lift on Tuesdays and Saturdays",
    "my training days are wednesday and sunday now",
    "I can only train twice a week from now on, how does peri know",
    "where do I change the number of days I train",
])
def test_a_schedule_is_answered_with_the_profiles_training_days(store: Store, home: Path, q: str) -> None:
    from test_dataset import seed_store

    name = seed_store(store)
    ans = Peri(store, name, home=home).ask(_unseen(q))
    assert ans.intent == "concept" and _lead(ans).startswith(TRAINING_DAYS), q
    assert f"peri athlete set {name} --days N" in ans.text
    assert "days per week 4 (stated by you)" in ans.text  # what plans use now, and where it came from


def test_training_days_with_a_verdict_asked_are_the_decision_at_no_frequency(store: Store, home: Path) -> None:
    q = _unseen("I hit the gym Mondays, Wednesdays and Fridays - fine-tune or prompt?")
    ans = Peri(store, home=home).ask(q)
    assert ans.intent == "decide" and ans.slots.queries_per_week is None
    assert route(q).intent == "decide"


# --- classes the thirteenth blind set showed (each with wordings of its own) -----------------------------------
@pytest.mark.parametrize("q", ["€€ per month if I plan weekly", "how many $ a year for this"])
def test_a_currency_sign_asks_the_cost(q: str) -> None:
    assert route(_unseen(q)).intent == "cost", q


@pytest.mark.parametrize("q", ["only playing around with it so far, tune?", "tinkering for now, is a custom model sensible",
                               "honestly I don't really know what I want from training yet"])
def test_messing_or_playing_around_is_exploring(q: str) -> None:
    assert parse_slots(_unseen(q)).exploring, q


@pytest.mark.parametrize("q, per_week", [
    # the count of plans said outright wins over a weekday named for each of several people
    ("three clients, each wants a plan every Monday, so 3 plans a week. price on openai?", 3.0),
    # training told among facts, asking told apart: the asking
    ("52, 3 days a week, FitNotes, 4 years. I'd ask for a new plan once a month. cost?", 12 / 52),
    ("Background: 31, hypertrophy, 6 days a week, Hevy. What's my next step?", None),
    ("what would 4 plans a week cost me with claude", 4.0),  # a cost asked AT a count of plans is that count
])
def test_the_clause_that_counts_plans_is_the_frequency(q: str, per_week: float | None) -> None:
    got = parse_slots(_unseen(q)).queries_per_week
    assert (got is None and per_week is None) or got == pytest.approx(per_week), (q, got)


def test_a_goal_change_told_in_several_words_and_a_season_told_as_a_date() -> None:
    assert parse_slots(_unseen("I moved from CrossFit-style conditioning work to strength this year")).goal_change
    assert not parse_slots(_unseen("I broke my wrist in the winter and I'm back now")).seasonal
    assert parse_slots(_unseen("in the winter I bulk, in the summer I lean out")).seasonal


@pytest.mark.parametrize("q, intent", [
    ("when a newer base model comes out, is my tuned one useless", "providers"),
    ("after every mesocycle do I have to retune from scratch", "retrain"),
    ("I'm back from a long injury layoff; is the model I tuned before still any good or do I lose it", "retrain"),
])
def test_what_is_switched_names_the_intent_and_the_card_still_says_what_carries_over(store: Store, home: Path, q: str,
                                                                                     intent: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent == intent, q
    assert section(SWITCHING).text in ans.text, q


@pytest.mark.parametrize("q, must", [
    ("wipe evrything pls", "peri athlete delete"),  # a typo in the thing to delete
    ("can my brother remove his stuff and leave mine alone", "peri athlete delete"),  # someone else's data
    ("if I quit peri how do I pull my log out", "peri athlete export"),
])
def test_deleting_or_taking_out_data_said_loosely_is_the_data_card(store: Store, home: Path, q: str, must: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.intent == "privacy" and must in ans.text, q


@pytest.mark.parametrize("q", ["in the browser, which page lets me read my prompt",
                               "I'd like to view the training pairs before I tune anything"])
def test_seeing_ones_prompt_or_training_pairs_is_the_examples(q: str) -> None:
    assert route(_unseen(q)).intent == "examples", q


def test_comparing_prompting_and_a_tuned_model_names_peri_eval_and_the_blind_page(store: Store, home: Path) -> None:
    ans = Peri(store, home=home).ask(_unseen("how would I pit the prompt against the tuned model on my weeks"))
    assert ans.intent == "experiment"
    assert "peri eval --athlete NAME" in ans.text and "Blind comparison" in ans.text


def test_the_oracles_independence_is_in_the_card() -> None:
    text = section("Judging a plan").text
    assert "independent" in text and "tissue-load" in text


def test_what_now_typed_loosely_is_the_next_step() -> None:
    from peri.guide.parts import asks_what_next

    assert asks_what_next("wot should i do next") and asks_what_next("wat do i do now")




@pytest.mark.parametrize("q", ["my lifts are in a numbers spreadsheet, how do I load them in",
                               "how can I bring all my old workouts into it"])
def test_a_log_brought_in_said_loosely_is_importing_not_privacy(q: str) -> None:
    r = route(_unseen(q))
    assert r.intent == "concept" and r.card in {"Importing your log", NO_APP}, (q, r)


def test_the_cheapest_provider_asked_lists_the_tables_training_prices_lowest_first(store: Store, home: Path) -> None:
    from peri.prices import load_prices

    ans = Peri(store, home=home).ask(_unseen("which service is cheapest for a fine-tune"))
    assert ans.intent == "cost"
    table = load_prices(home=home)
    tuned = {m.provider for m in table.models.values() if m.training is not None and m.provider in table.providers}
    at = {p: ans.text.index(f"{p} ", ans.text.index("Training prices")) for p in tuned}
    cheapest = min(table.models.values(), key=lambda m: m.training.per_million if m.training and m.provider in tuned else 1e9)
    assert min(at, key=at.get) == cheapest.provider  # the lowest price is named first
    assert "peri finetune local" in ans.text


@pytest.mark.parametrize("q", ["I can't use a terminal, is there another way to run this",
                               "not a computer person at all - which path suits me",
                               "without any coding, can I still import my log"])
def test_no_terminal_or_code_brings_the_web_app_whatever_is_asked(store: Store, home: Path, q: str) -> None:
    ans = Peri(store, home=home).ask(_unseen(q))
    assert ans.in_scope and "peri serve" in ans.text and section("The web app").text in ans.text, q


def test_a_plan_bought_by_the_month_is_a_price_not_a_cadence() -> None:
    assert parse_slots(_unseen("do I have to buy some yearly package to keep using it")).queries_per_week is None
    for q in ("is there a yearly licence I must buy", "any monthly membership to pay for"):
        assert parse_slots(_unseen(q)).queries_per_week is None and route(q).intent == "cost", q


@pytest.mark.parametrize("q, intent", [
    ("put my prompted plan and a tuned one side by side please", "experiment"),
    ("do a comparison on my log and say which approach wins", "experiment"),
    ("explain prompting versus a tuned model", "concept"),  # explaining the two is not running them
])
def test_running_the_comparison_on_ones_log_is_the_experiment(q: str, intent: str) -> None:
    assert route(_unseen(q)).intent == intent, q
