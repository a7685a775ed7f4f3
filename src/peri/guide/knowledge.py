"""Peri's concept cards (`concepts.md`, one `# Title` section each) and BM25 retrieval over them.

Small on purpose: a few dozen cards, so a transparent scorer is enough and every answer can name the card
it stands on. BM25 (Robertson/Spärck Jones, k1=1.5, b=0.75) is written out here rather than taken from a
package: it is twenty lines, and peri's cards and questions are tiny. Below `MIN_SCORE` nothing is returned.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel

MIN_SCORE = 1.0
K1, B = 1.5, 0.75
TITLE_BONUS = 3.0
_WORD = re.compile(r"[a-z0-9]+")
STOP = set("a an the and or of to in on for with is are be it i my me you your we do does did should can could would "
           "will what how when why which that this there than then as at by from about into over more most so if not "
           "no im i'm its it's was were has have had am any some just also tell explain please peri".split())
# a few spellings users type that the card text words differently
SYNONYMS = {"finetune": "fine tune", "finetuning": "fine tune", "finetuned": "fine tune", "tuning": "tune",
            "tuned": "tune", "trained": "train", "training": "train", "prompting": "prompt", "prompts": "prompt",
            "periodization": "periodisation", "periodized": "periodisation", "periodised": "periodisation",
            "private": "privacy", "examples": "example", "samples": "example", "costs": "cost", "price": "cost",
            "cheaper": "cost", "expensive": "cost", "money": "cost", "claude": "anthropic", "gpt": "openai",
            "models": "model", "adapters": "adapter", "lora": "lora adapter"}


class Section(BaseModel):
    title: str
    text: str


class Hit(BaseModel):
    section: Section
    score: float


def stem(w: str) -> str:
    """A light stemmer: enough to meet plural and -ing forms halfway."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def words(text: str) -> list[str]:
    """Content words of `text`: lower-cased, fine-tune spellings joined, stop words out, synonyms mapped, stemmed."""
    t = text.lower().replace("fine-tun", "finetun").replace("fine tun", "finetun")
    out: list[str] = []
    for w in _WORD.findall(t):
        if w in STOP:
            continue
        out.extend(stem(x) for x in SYNONYMS.get(w, w).split())
    return out


def _raw(text: str) -> set[str]:
    """Every word, stop words included (so "when to fine-tune" is not "fine-tuning"), stemmed."""
    t = text.lower().replace("fine-tun", "finetun").replace("fine tun", "finetun")
    return {stem(w) for w in _WORD.findall(t)}


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    text = resources.files("peri.guide").joinpath("concepts.md").read_text()
    parts = re.split(r"^# (.+)$", text, flags=re.MULTILINE)[1:]
    return tuple(Section(title=t.strip(), text=b.strip()) for t, b in zip(parts[::2], parts[1::2], strict=True))


def section(title: str) -> Section:
    return next(s for s in sections() if s.title == title)


@lru_cache(maxsize=1)
def _index() -> tuple[list[Counter], dict[str, float], float]:
    docs = [Counter(words(s.title + " " + s.title + " " + s.text)) for s in sections()]
    n = len(docs)
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log(1 + (n - k + 0.5) / (k + 0.5)) for w, k in df.items()}
    avg = sum(sum(d.values()) for d in docs) / n
    return docs, idf, avg


def bm25(question: str) -> list[Hit]:
    """Every card with its BM25 score for `question`, best first."""
    docs, idf, avg = _index()
    q = [w for w in words(question) if w in idf]
    hits = []
    for sec, d in zip(sections(), docs, strict=True):
        length = sum(d.values())
        score = sum(idf[w] * d[w] * (K1 + 1) / (d[w] + K1 * (1 - B + B * length / avg)) for w in q)
        if _raw(sec.title) <= _raw(question):  # the question names the card itself ("what is fine-tuning?")
            score += TITLE_BONUS
        hits.append(Hit(section=sec, score=score))
    return sorted(hits, key=lambda h: -h.score)


def retrieve(question: str, k: int = 2) -> list[Hit]:
    """The `k` best cards at or above MIN_SCORE; empty when none reaches it."""
    return [h for h in bm25(question)[:k] if h.score >= MIN_SCORE]
