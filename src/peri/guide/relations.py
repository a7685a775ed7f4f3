"""Whether a model sentence states a relation between grounded words that the grounded text does not state.

The word-level check in `peri.entailed` finds every word of a kept sentence in one sentence of the grounded
answer, but a sentence can use only grounded words and still say something the answer never says: "the hybrid
combines a fine-tuned model with a deload week" (the answer: a fine-tuned model carries what is constant, short
scenario prompts carry what changes, a deload week among them), "a good dataset is 100 examples" (the answer:
100-500 examples). What such a sentence adds is the link between words, so the link is what is checked:

- each clause of the sentence links its content words in order; two words next to each other in the clause
  must stand close together in the grounded sentence too (at most `WINDOW` positions apart, a parenthesis
  counting as one position, since "(your split, the exercises ...)" explains the word before it), in either
  order. Words the grounded sentence lacks are left to the word-level check.
- a number the grounded sentence gives as one end of a range ("100-500", "4 to 8") is a relation to the other
  end: stated alone ("100 examples") it is a different claim, so the other end must be there too.
"""
from __future__ import annotations

import re

from .knowledge import STOP, stem

__all__ = ["WINDOW", "relation_gaps", "topic_words"]

# How far apart (in content-word positions of the grounded sentence) two words the model puts side by side may
# stand. Chosen on the 206 recorded replies still requested (bench/data/guide_model_replies.jsonl) by reading
# what each width drops, never on a question set's must/must-not: 6 or more drops only the hybrid "with a deload
# week" sentence; 5 also the "dataset is 100 examples" one; 4 also a true "your next step is to continue the
# sprint"; 2-3 also card sentences said again in other words (the adapter "on top of a frozen base model").
WINDOW = 5
_TOKEN = re.compile(r"\(|\)|(?<=[a-z)])[.!?](?=\s|$)|\n|[a-z][a-z'-]*|\d+(?:[.,]\d+)?")
_END = {".", "!", "?", "\n"}
_CLAUSE = re.compile(r"[,;:—–]|\s-\s|\b(?:and|but|or|so|because|while|whereas|which|that|who)\b", re.I)
_RANGE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:-|–|—|to)\s*(\d+(?:[.,]\d+)?)")
# words that carry no relation of their own: framing, the speaker, verbs of being and having
_LIGHT = set("also just only really very much many more most some any all each every both either one ones thing "
             "things way ways lot lots get gets got make makes made let lets use uses used using like can could would "
             "should will may might must need needs take takes".split())


def _norm(word: str) -> str:
    w = word.lower().replace("fine-tun", "finetun").strip("'-")
    if len(w) > 4 and w.endswith("ies"):  # "carries" and "carry" are one word here
        w = w[:-3] + "y"
    return stem(w)


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t in "()" or t in _END or (t not in STOP and t not in _LIGHT and (len(t) > 2 or t[0].isdigit()))]


def _positions(unit: str) -> dict[str, list[int]]:
    """Each content word of a grounded sentence with its positions; a parenthesis is one position."""
    pos: dict[str, list[int]] = {}
    i, depth = 0, 0
    for t in _content(_TOKEN.findall(unit.lower())):
        if t in _END:  # words of two sentences are never linked
            i += WINDOW + 1
            continue
        if t == "(":
            if depth == 0:
                i += 1
            depth += 1
            continue
        if t == ")":
            depth = max(depth - 1, 0)
            continue
        if depth == 0:
            i += 1
        pos.setdefault(_norm(t), []).append(i)
    return pos


def _range_ends(unit: str) -> dict[str, str]:
    """Numbers of a range in the grounded sentence, each mapped to its other end."""
    out: dict[str, str] = {}
    for a, b in _RANGE.findall(unit):
        out.setdefault(a, b)
        out.setdefault(b, a)
    return out


def topic_words(titles: list[str]) -> set[str]:
    """The words of the concept cards a grounded answer stands on, as `relation_gaps` compares them."""
    return {_norm(t) for title in titles for t in _content(_TOKEN.findall(title.lower())) if t not in "()" and t not in _END}


def relation_gaps(sentence: str, unit: str, topic: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The links `sentence` makes that grounded sentence `unit` does not: "a ~ b" for two words it puts side by
    side that stand apart in `unit`, "N without M" for one end of a range. Empty when every link is there.

    `topic`: the words of the card the unit explains (`topic_words`, "LoRA adapter"): every sentence of a card is
    about its subject, so linking the subject to any of its words states nothing new ("LoRA trains a small
    adapter on a frozen base model", where the card calls the adapter "a small set of extra weights")."""
    gaps: list[str] = []
    pos = _positions(unit)
    for clause in _CLAUSE.split(sentence.lower()):
        words = [_norm(t) for t in _content(_TOKEN.findall(clause)) if t not in "()" and t not in _END]
        words = [w for w in words if w in pos]  # words the unit lacks are the word-level check's business
        for a, b in zip(words, words[1:]):
            if a == b or a in topic or b in topic:
                continue
            if min(abs(i - j) for i in pos[a] for j in pos[b]) > WINDOW:
                gaps.append(f"{a} ~ {b}")
    numbers = set(re.findall(r"\d+(?:[.,]\d+)?", sentence))
    for n, other in _range_ends(unit).items():
        if n in numbers and other not in numbers and not _RANGE.search(sentence):
            gaps.append(f"{n} without {other}")
    return gaps
