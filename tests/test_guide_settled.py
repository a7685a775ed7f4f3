"""Peri on the classes of question whose labels were settled on 2026-12-02 (peri.guide.router's docstring) and on the
misses of the fourteenth blind set: running offline, RPE, a training system asked about, a tuned model refreshed after
surgery, memorising, one person's data deleted or an import taken back, a plan a chatbot wrote, off-topic questions that
share a word with a card. Every wording here is new: none is a bench question or a router paraphrase (`_unseen`)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from peri.guide.peri import Peri
from peri.guide.router import route
from peri.guide.slots import authored_by_chatbot, parse_slots
from peri.log.store import Store
from tests.test_guide_unseen import _unseen  # a wording no paraphrase in the router's data holds


@pytest.fixture
def ann(store: Store) -> tuple[Store, str]:
    """An athlete with 24 weeks logged (the decision needs a log to work from)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_dataset import seed_store

    return store, seed_store(store)


# --- providers: running with no internet is the embedded model --------------------------------------------------
@pytest.mark.parametrize("q", [
    "I lift in a cellar gym with zero reception, can I still run peri there",
    "going on a 12 hour flight, can I use it in the air",
    "does it run when my laptop is offline",
])
def test_running_offline_is_the_embedded_model(q: str) -> None:
    assert route(_unseen(q)).intent == "providers", q


def test_offline_answers_name_the_embedded_model_and_say_nothing_leaves(ann: tuple[Store, str], home: Path) -> None:
    peri = Peri(*ann, home=home)
    ans = peri.ask(_unseen("can I run the whole thing off the grid in my cabin"))
    assert ans.intent == "providers" and "`embedded`" in ans.text and "nothing leaves your machine" in ans.text
    # what leaves the machine asked with it stays privacy, and its answer says so too
    ans = peri.ask(_unseen("if I use it offline is any of my log sent anywhere"))
    assert ans.intent == "privacy" and "embedded" in ans.text


# --- concept: RPE and RIR --------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "what does peri do with the RIR I write after each set",
    "effort ratings like @9 in my notes, are they used for anything",
    "rpe, where does it show up",
])
def test_rpe_is_explained_by_its_card(q: str) -> None:
    r = route(_unseen(q))
    assert r.intent == "concept" and r.card == "RPE and RIR", (q, r)


def test_the_rpe_answer_says_where_it_is_used(ann: tuple[Store, str], home: Path) -> None:
    text = Peri(*ann, home=home).ask(_unseen("is my rpe actually used by peri")).text
    for where in ("peri stats", "engineered prompt", "rule-based coach", "plan checker"):
        assert where in text, where


# --- methodology: can peri follow MY system -------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "I program a conjugate max-effort rotation, could a tuned model ever learn it",
    "My coach and I built a scheme I invented years ago. Will peri follow that?",
    "my weeks go heavy/light/medium in a cycle I made up myself, can the fine-tune pick it up",
])
def test_whether_peri_can_follow_ones_system_is_methodology(ann: tuple[Store, str], home: Path, q: str) -> None:
    ans = Peri(*ann, home=home).ask(_unseen(q))
    assert ans.intent == "methodology", (q, ans.intent)
    assert "Non-standard methodology" in ans.grounded_on


def test_the_verdict_asked_with_a_system_stays_the_decision() -> None:
    assert route(_unseen("I run my own RPE waves, should I fine-tune or keep prompting?")).intent == "decide"


# --- retrain: surgery, injury, a long layoff ------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "had knee surgery in March and I'm lifting again, should the adapter be retrained",
    "six months off after a back operation, refresh my fine-tune?",
    "coming back post-op, is the tuned coach out of date",
    "tore my pec in the summer, is the custom model still any good now",
])
def test_refreshing_a_tuned_model_after_surgery_is_retraining(ann: tuple[Store, str], home: Path, q: str) -> None:
    ans = Peri(*ann, home=home).ask(_unseen(q))
    assert ans.intent == "retrain", (q, ans.intent)
    assert "surgery" in ans.text and "retrained on weeks logged since" in ans.text


def test_what_a_tuned_model_does_with_an_injury_is_not_retraining() -> None:
    # nothing says the model no longer fits: how peri plans around the injury (its card), not a refresh
    assert route(_unseen("will the fine-tuned model plan around my bad hip")).intent != "retrain"


# --- concept: a tuned model only memorising -------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "is the fine-tuned model just regurgitating what I did last year",
    "doesn't training it on my weeks only teach it to copy them",
    "how would I know the tuned model isn't overfitting",
])
def test_memorising_is_answered_by_held_out_evaluation(ann: tuple[Store, str], home: Path, q: str) -> None:
    ans = Peri(*ann, home=home).ask(_unseen(q))
    assert ans.intent == "concept" and "Memorising and held-out weeks" in ans.grounded_on, (q, ans.intent, ans.grounded_on)
    assert "held-out weeks" in ans.text and "leaks" in ans.text


# --- privacy: delete, export, undo name the real commands and pages -------------------------------------------
def test_one_persons_data_deleted_on_a_shared_machine_names_athlete_delete(ann: tuple[Store, str], home: Path) -> None:
    store, name = ann
    ans = Peri(store, name, home=home).ask(_unseen("my flatmate tried peri on my PC and wants her log gone, mine must stay"))
    assert ans.intent == "privacy"
    assert "peri athlete delete THEIR_NAME" in ans.text and "\"Your data\" page" in ans.text
    assert f"This peri holds 1 athlete: {name}" in ans.text  # the person's own store, counted


@pytest.mark.parametrize("q, command", [
    ("how do I reverse yesterday's import", "peri import undo ID"),
    ("I put Tuesday's workout in twice, how do I drop one", "peri import delete-session"),
    ("can I back up everything peri holds on me", "peri athlete export"),
])
def test_taking_data_out_or_back_names_the_command(ann: tuple[Store, str], home: Path, q: str, command: str) -> None:
    store, name = ann
    ans = Peri(store, name, home=home).ask(_unseen(q))
    assert ans.intent == "privacy" and command in ans.text, (q, ans.intent, ans.text[:300])


def test_an_undo_answer_counts_the_persons_own_imports(ann: tuple[Store, str], home: Path) -> None:
    store, name = ann
    n = len(store.imports(store.get_athlete(name).id))
    ans = Peri(store, name, home=home).ask(_unseen("wrong csv went in, undo it"))
    assert f"{name} has {n} import" in ans.text


def test_every_privacy_answer_names_export_delete_and_undo(ann: tuple[Store, str], home: Path) -> None:
    ans = Peri(*ann, home=home).ask(_unseen("is anything about my workouts kept on a server somewhere"))
    assert ans.intent == "privacy"
    for command in ("peri athlete export", "peri athlete delete", "peri import undo"):
        assert command in ans.text, command


# --- a plan a chatbot wrote is checked; the chatbot is no provider --------------------------------------------
@pytest.mark.parametrize("q", [
    "Gemini spat out a 5 day program for me, is it any good",
    "my coach used ChatGPT to write my block, can peri look it over",
    "I copied a routine from claude, will peri check it against my bad shoulder",
])
def test_a_plan_from_a_chatbot_is_checked_and_names_no_provider(ann: tuple[Store, str], home: Path, q: str) -> None:
    assert authored_by_chatbot(q) and parse_slots(q).provider is None, q
    ans = Peri(*ann, home=home).ask(_unseen(q))
    assert ans.intent == "concept" and "peri check" in ans.text, (q, ans.intent)


@pytest.mark.parametrize("q, provider", [
    ("can peri use ChatGPT to write my plans", "openai"),
    ("I'd like Claude to plan my weeks instead of the small model", "anthropic"),
    ("does my log get sent to gemini", "google"),
])
def test_a_chatbot_to_use_is_still_the_provider(q: str, provider: str) -> None:
    assert not authored_by_chatbot(q) and parse_slots(q).provider == provider, q


# --- off-topic questions stay off-topic, whatever word they share with a card ---------------------------------
@pytest.mark.parametrize("q", [
    "help me draft a complaint to my gym about the broken showers",
    "recommend some decent knee sleeves under 60 dollars",
    "what do you think of me honestly",
])
def test_off_topic_sharing_a_card_word_is_declined(ann: tuple[Store, str], home: Path, q: str) -> None:
    ans = Peri(*ann, home=home).ask(_unseen(q))
    assert not ans.in_scope and "What peri knows about you" not in ans.grounded_on, (q, ans.intent)


# --- a card's many-word index phrase must not lend its common words: "point and click" made "point" a web-app word --
@pytest.mark.parametrize("q", [
    "what's the melting point of gold?",
    "at what point does water freeze",
])
def test_an_off_topic_question_sharing_a_common_word_with_a_card_is_declined(q: str) -> None:
    assert route(_unseen(q)).intent == "out_of_scope", q


@pytest.mark.parametrize("q", [
    "I'd rather click around in a browser than type commands, does peri let me",
    "is there something I can just click through, no terminal",
])
def test_clicking_through_the_web_app_is_still_found(q: str) -> None:
    from peri.guide.knowledge import bm25

    assert bm25(_unseen(q))[0].section.title == "The web app", q
