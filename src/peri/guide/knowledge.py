"""Peri's own concept text, split into sections and retrieved by word overlap (TF-IDF weighted).

Small on purpose: a dozen sections, so a transparent scorer is enough and every answer can name the section
it stands on. Below `MIN_SCORE` a question is outside what Peri knows, and Peri says so.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel

MIN_SCORE = 0.12
_WORD = re.compile(r"[a-z0-9]+")
_STOP = set("a an the and or of to in on for with is are be it i my me you your we do does should can what how when "
            "why which that this there than then as at by from about into over more most so if not no".split())
# a few synonyms users type that the concept text words differently
_SYNONYMS = {"finetune": "fine tuning", "finetuning": "fine tuning", "fine-tune": "fine tuning", "tune": "fine tuning",
             "tuning": "fine tuning", "train": "training", "lora": "lora adapter", "cheap": "cost", "price": "cost",
             "money": "cost", "expensive": "cost", "prompts": "prompt", "prompting": "prompt engineering",
             "private": "privacy", "data": "privacy", "examples": "example"}


class Section(BaseModel):
    title: str
    text: str


class Hit(BaseModel):
    section: Section
    score: float


def _words(text: str) -> list[str]:
    out = []
    for w in _WORD.findall(text.lower().replace("fine-tun", "finetun")):
        if w in _STOP:
            continue
        out.extend(_SYNONYMS.get(w, w).split())
    return [w[:-1] if len(w) > 4 and w.endswith("s") else w for w in out]


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    text = resources.files("peri.guide").joinpath("concepts.md").read_text()
    parts = re.split(r"^# (.+)$", text, flags=re.MULTILINE)[1:]
    return tuple(Section(title=t.strip(), text=b.strip()) for t, b in zip(parts[::2], parts[1::2], strict=True))


@lru_cache(maxsize=1)
def _index() -> tuple[list[Counter], dict[str, float]]:
    docs = [Counter(_words(s.title + " " + s.title + " " + s.text)) for s in sections()]
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log((1 + len(docs)) / (1 + n)) + 1 for w, n in df.items()}
    return docs, idf


def retrieve(question: str, k: int = 2) -> list[Hit]:
    """Sections ranked by cosine similarity of TF-IDF vectors; empty when nothing reaches MIN_SCORE."""
    docs, idf = _index()
    q = Counter(w for w in _words(question) if w in idf)
    if not q:
        return []
    qv = {w: c * idf[w] for w, c in q.items()}
    qn = math.sqrt(sum(v * v for v in qv.values()))
    hits = []
    for sec, d in zip(sections(), docs, strict=True):
        dv = {w: c * idf[w] for w, c in d.items()}
        dn = math.sqrt(sum(v * v for v in dv.values()))
        score = sum(qv[w] * dv.get(w, 0.0) for w in qv) / (qn * dn)
        if score >= MIN_SCORE:
            hits.append(Hit(section=sec, score=score))
    return sorted(hits, key=lambda h: -h.score)[:k]
