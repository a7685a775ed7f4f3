"""The classes of question the eighth round of Peri fixed (helper guide8): questions with no sense of peri's that share
common words with a card's text, typos of the key words, the concepts that had no card (epochs, validation loss, the
context window, quantisation and the cached base, the dated prices), the first and next step asked in new words, proof
asked that one path wins, whether a log is enough to tune on, and what the slots read from a lifter's story.
Every wording here is new: none is a bench question or a router paraphrase."""
from __future__ import annotations

import pytest

from peri.guide.guard import is_health_question
from peri.guide.parts import asks_what_next
from peri.guide.peri import Peri
from peri.guide.router import has_peri_sense, route
from peri.guide.slots import parse_slots
from peri.log.store import Store
from tests.test_guide_unseen import _unseen  # a wording no paraphrase in the router's data holds


# --- no sense of peri's: declined, whatever common words it shares with a card ---------------------------------
@pytest.mark.parametrize("q", [
    "give me the gist of marcus aurelius",  # "give", "main"-like words, a card's "point"
    "summarise the key trade-offs of leasing versus buying a car",  # the Limits and trade-offs card's title words
    "what's the limit of one over x as x grows",
    "how do I change a flat on my bike",
    "what were the causes of the french revolution",
    "how does compound interest work",
    "how do I import pictures into darktable",  # "import" in another program's sense
    "give me an example of a sonnet",  # "example" in another sense
    "explain the plot of the odyssey",
    "what's a good way to reconcile with my brother",
    "how do I descale a kettle",
    "which is the tallest mountain in africa",
])
def test_no_peri_sense_is_declined(q: str) -> None:
    assert route(_unseen(q)).intent == "out_of_scope", route(q)


@pytest.mark.parametrize("q", [
    "sounds like a gimmick",  # pointing at peri without naming it
    "hmm now what",
    "brake even wk?",  # a typo and text-speak, still money and weeks
    "where am i up to",
    "5/3/1 bbb, can it cope",
])
def test_short_questions_about_peri_are_kept(q: str) -> None:
    assert route(_unseen(q)).intent != "out_of_scope", route(q)


def test_a_word_whose_everyday_sense_is_another_counts_beside_a_peri_word() -> None:
    assert not has_peri_sense("import the photos")
    assert has_peri_sense("import my hevy log")
    assert has_peri_sense("train a model")
    assert not has_peri_sense("buy a train ticket")


# --- typos of the key words ------------------------------------------------------------------------------------
@pytest.mark.parametrize("q, card", [
    ("is my data privte", "Privacy"),
    ("wat is quantisaton", "Quantisation and the model cache"),
    ("how dose the valdation loss work", "Validation loss"),
])
def test_typos_still_find_the_card(store: Store, q: str, card: str) -> None:
    ans = Peri(store, None).ask(_unseen(q))
    assert ans.in_scope and card in ans.grounded_on, (ans.intent, ans.grounded_on)


@pytest.mark.parametrize("q, intent", [
    ("how mch does fintuning cost", "cost"),  # text-speak and a long word mistyped
    ("whats teh pirce", "cost"),  # two letters swapped
    ("how much does a crate of beer cost", "out_of_scope"),
    ("what does bread cost these days", "out_of_scope"),  # "bread" is no "break" (break-even)
])
def test_typos_of_a_price(q: str, intent: str) -> None:
    assert route(_unseen(q)).intent == intent, route(q)


def test_a_five_letter_word_is_not_changed_letter_for_letter() -> None:
    from peri.guide.knowledge import correct

    vocab = frozenset({"break", "price", "store", "check"})
    assert correct("bread prime", vocab) == "bread prime"
    assert correct("pirce", vocab) == "price"  # a swap still reads
    assert correct("chek", vocab) == "check"


@pytest.mark.parametrize("q", ["will peri cope with my texas method", "can a tuned model follow 5/3/1 for me"])
def test_can_peri_follow_a_named_system(q: str) -> None:
    assert route(_unseen(q)).intent == "methodology", route(q)


# --- concepts that had no card -----------------------------------------------------------------------------------
@pytest.mark.parametrize("q, card, fact", [
    ("does the local fine-tune do more than one epoch", "Training settings: epochs, learning rate, batch size", "3 by default"),
    ("what learning rate is used when I tune locally", "Training settings: epochs, learning rate, batch size", "0.001"),
    ("is the batch size in examples or tokens", "Training settings: epochs, learning rate, batch size", "2,048 tokens"),
    ("my val loss went from 2 to 0.6, is that good", "Validation loss", "lower is better"),
    ("what's the token limit of the embedded model's context", "Context window", "8,192"),
    ("the gguf is quantized, what does that mean for training", "Quantisation and the model cache", "dequantizes"),
    ("fine-tuning took 35 seconds to load the base, is it kept somewhere", "Quantisation and the model cache",
     "PERI_HOME/cache/bases"),
    ("how current are the prices you quote", "The price table", "PERI_HOME/prices.yaml"),
])
def test_concepts_have_a_card(store: Store, q: str, card: str, fact: str) -> None:
    ans = Peri(store, None).ask(_unseen(q))
    assert card in ans.grounded_on and fact in ans.text, (ans.intent, ans.grounded_on)


def test_a_decline_is_short_and_says_what_peri_can_do(store: Store) -> None:
    ans = Peri(store, None).ask("who designed the eiffel tower")
    assert not ans.in_scope and "outside what I know" in ans.text and "I can talk about" in ans.text
    assert len(ans.text) < 600  # not every card's title


# --- the next step, proof, enough data, weeks in the prompt -------------------------------------------------------
@pytest.mark.parametrize("q", [
    "honestly not sure what I'm meant to do now",
    "logged it all, built the dataset. after that?",
    "what is the very first step for me",
    "no clue what I should do next",
])
def test_what_next_in_new_words(q: str) -> None:
    assert asks_what_next(q)


def test_the_first_step_after_a_story_is_the_journey(store: Store) -> None:
    ans = Peri(store, None).ask(_unseen("Rower turned lifter, 3 years of sessions in FitNotes, I write my own blocks. "
                                        "What is the first thing to do with peri?"))
    assert ans.intent == "next"


@pytest.mark.parametrize("q, intent", [
    ("prove to me with my own numbers that a tuned model beats prompting", "experiment"),
    ("how can I tell whether the fine-tuned coach is really better for me", "experiment"),
    ("I want to rate two plans blind, not knowing which model wrote which", "experiment"),
    ("run a head-to-head of prompt vs tuned on my weeks", "experiment"),
    ("two and a half years of workouts logged, is that enough data to fine-tune on?", "example_count"),
    ("would sticking my last few weeks into the prompt beat training a model", "fewshot"),
    ("why would anyone bother fine-tuning then", "decide"),
])
def test_shapes_of_the_question(q: str, intent: str) -> None:
    assert route(_unseen(q)).intent == intent, route(q)


# --- what the slots read ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, field, value", [
    ("I run 5/3/1 with a few assistance lifts", "complex_methodology", False),  # a published program any model knows
    ("I use my own modified 5/3/1 with extra waves", "complex_methodology", True),
    ("linear periodisation out of a textbook", "complex_methodology", False),
    ("I compete in three meets a year", "seasonal", True),
    ("I peak twice a year for nationals", "seasonal", True),
    ("the adapter I trained in summer", "seasonal", False),  # a season as a date
    ("we got relegated last season", "seasonal", False),
    ("three meets a year, plan every Monday", "queries_per_week", 1.0),  # the meets are no asking cadence
    ("pasted my together key but it fails", "provider", "together"),
    ("we always lift together on sundays", "provider", None),
])
def test_slots(text: str, field: str, value) -> None:
    assert getattr(parse_slots(text), field) == value


@pytest.mark.parametrize("q", [
    "is my shoulder injury note uploaded anywhere",
    "will you sell my data to a protein powder brand",
])
def test_where_the_data_goes_is_not_a_health_question(q: str) -> None:
    assert not is_health_question(q)
