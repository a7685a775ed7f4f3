"""Which question is being asked: an intent classifier trained, when first used, on the paraphrases in
`peri/data/guide_intents.yaml`, with BM25 over the concept cards as a second opinion.

The classifier is multinomial naive Bayes over content words and word pairs (`knowledge.words`). Words it
never saw in an in-scope paraphrase are not ignored: they count as one shared "unknown" feature, which the
off-topic paraphrases teach to mean "outside what I know" (their vocabulary is mostly unknown to the
in-scope ones) while in-scope classes learn a little of it from their own one-off words. So "what's the
weather tomorrow?" is declined because nothing in it is peri's vocabulary, not because "weather" is listed.
Trained in milliseconds from data; no model is downloaded or loaded at run time.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel

from .knowledge import bm25, sections, words
from .slots import parse_slots

UNKNOWN = "<unk>"
OUT_OF_SCOPE = "out_of_scope"
ALPHA = 0.5  # additive smoothing
MIN_COUNT = 2  # in-scope occurrences below which a word also stands for the unknown
# BM25 score of the best card above which a question is in scope whatever the classifier says: above every
# off-topic paraphrase's best card score in the training data (max 3.1 when set), below most in-scope ones
IN_SCOPE_BM25 = 4.5
CARD_WEIGHT = 0.35  # log-odds boost per BM25 point above the runner-up for the intent of the best card


class Route(BaseModel):
    intent: str
    confidence: float  # the classifier's posterior for `intent`
    card: str | None = None  # the best concept card (BM25), when one matched
    scores: dict[str, float] = {}


_DEFINITION = re.compile(r"^\s*(what('s| is| are| does .* (mean|do|involve))|how does .* work|explain|define|tell me about|"
                         r"describe)\b", re.I)


def features(question: str) -> list[str]:
    """Content words, adjacent pairs, the slots the question fills and whether it asks for a definition."""
    w = words(question)
    slots = parse_slots(question)
    extra = [f"slot:{k}" for k, v in slots.model_dump().items() if v not in (None, False)]
    if _DEFINITION.search(question):
        extra.append("form:definition")
    return w + [f"{a}_{b}" for a, b in zip(w, w[1:])] + extra


@lru_cache(maxsize=1)
def card_vocabulary() -> frozenset[str]:
    """Every content word of the concept cards: peri's own vocabulary, known even when no paraphrase uses it."""
    return frozenset(w for s in sections() for w in words(s.title + " " + s.text))


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files("peri.data").joinpath("guide_intents.yaml").read_text())


class NaiveBayes:
    """Multinomial naive Bayes with an explicit unknown-word feature (see the module docstring)."""

    def __init__(self, examples: dict[str, list[str]]):
        in_scope = Counter(f for intent, qs in examples.items() if intent != OUT_OF_SCOPE for q in qs for f in features(q))
        # a word seen once in-scope is as good as unknown: counting it so teaches in-scope classes a little of
        # what an unknown word looks like, so one odd word does not push a real question out of scope
        self.vocab = set(in_scope) | card_vocabulary()
        self.counts: dict[str, Counter] = defaultdict(Counter)
        docs: Counter = Counter()
        for intent, qs in examples.items():
            for q in qs:
                docs[intent] += 1
                feats = self._known(q)
                self.counts[intent].update(feats)
                if intent != OUT_OF_SCOPE:  # its one-off words stand for the unknown words real questions bring
                    self.counts[intent][UNKNOWN] += sum(1 for f in feats if "_" not in f and in_scope[f] < MIN_COUNT)
        total = sum(docs.values())
        self.prior = {c: math.log(n / total) for c, n in docs.items()}
        size = len(self.vocab) + 1
        self.log_p = {c: {f: math.log((n + ALPHA) / (sum(cnt.values()) + ALPHA * size)) for f, n in cnt.items()}
                      for c, cnt in self.counts.items()}
        self.log_unseen = {c: math.log(ALPHA / (sum(cnt.values()) + ALPHA * size)) for c, cnt in self.counts.items()}

    def _known(self, question: str) -> list[str]:
        """Known features; an unknown word becomes UNKNOWN, an unknown pair is dropped."""
        return [f if f in self.vocab or f.startswith(("slot:", "form:")) else UNKNOWN for f in features(question)
                if f in self.vocab or "_" not in f]

    def log_scores(self, question: str) -> dict[str, float]:
        feats = self._known(question) or [UNKNOWN]
        return {c: self.prior[c] + sum(self.log_p[c].get(f, self.log_unseen[c]) for f in feats) for c in self.prior}


@lru_cache(maxsize=1)
def classifier() -> NaiveBayes:
    return NaiveBayes(_data()["intents"])


def card_intent(title: str) -> str:
    return _data()["cards"].get(title, "concept")


def route(question: str) -> Route:
    """The intent of `question`, its confidence, and the best concept card."""
    scores = classifier().log_scores(question)
    hits = bm25(question)
    card = hits[0].section.title if hits and hits[0].score >= 1.0 else None
    if card is not None and scores:
        margin = hits[0].score - (hits[1].score if len(hits) > 1 else 0.0)
        scores[card_intent(card)] += CARD_WEIGHT * margin
    top = max(scores, key=lambda c: scores[c])
    if top == OUT_OF_SCOPE and hits and hits[0].score >= IN_SCOPE_BM25:
        # strong overlap with peri's own cards outweighs a vocabulary the paraphrases happen not to share
        top = max((c for c in scores if c != OUT_OF_SCOPE), key=lambda c: scores[c])
    z = max(scores.values())
    norm = sum(math.exp(v - z) for v in scores.values())
    return Route(intent=top, confidence=math.exp(scores[top] - z) / norm, card=card,
                 scores={c: round(v - z, 2) for c, v in scores.items()})
