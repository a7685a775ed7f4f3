"""Peri's concept cards (`concepts.md`, one `# Title` section each) and BM25 retrieval over them.

A few dozen cards, so every answer can name the card it stands on. BM25 (k1=1.5, b=0.75, the Lucene idf
log(1 + (N − n + 0.5) / (n + 0.5))) is `bm25s`'s, over peri's own tokens (`words`: stop words out, synonyms
mapped, light stemming); its scores are multiplied by k1 + 1 so they are the textbook Okapi scores the
thresholds here and in `router` were set in. Below `MIN_SCORE` nothing is returned.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel

MIN_SCORE = 1.0
K1, B = 1.5, 0.75
TITLE_BONUS = 3.0
_WORD = re.compile(r"[a-z0-9]+")
STOP = set("a an the and or of to in on for with is are be it i my me you your we do does did should can could would "
           "will what how when why which that this there than then as at by from about into over more most so if not "
           "no im i'm its it's was were has have had am any some just also tell explain please peri "
           # text-speak fillers ("u keep my stuff on ur servers or nah"): no content, so no unknown word either
           "u ur r ya pls plz nah tbh idk lol gonna wanna wat wut wats whats hw abt cuz coz thx dunno mch teh "
           # text-speak for function words ("shld i retrain b4 peaking", "retrain aftr injury")
           "shld shd b4 aftr bfore wud cud wld smth "
           # greetings open a question and say nothing of it ("hey so do i need to pay anything")
           "hey hi hello hiya heya yo howdy "
           # "too" adds nothing to what is asked, as "also" does ("my dad wants to use it too")
           "too".split())
# a few spellings users type that the card text words differently
SYNONYMS = {"finetune": "fine tune", "finetuning": "fine tune", "finetuned": "fine tune", "tuning": "tune",
            "tuned": "tune", "trained": "train", "training": "train", "prompting": "prompt", "prompts": "prompt",
            "periodization": "periodisation", "periodized": "periodisation", "periodised": "periodisation",
            "private": "privacy", "examples": "example", "samples": "example", "costs": "cost", "price": "cost",
            "cheaper": "cost", "expensive": "cost", "money": "cost", "claude": "anthropic", "gpt": "openai",
            "models": "model", "adapters": "adapter", "lora": "lora adapter",
            # what a thing costs, in the words people use for it (2026-12-01)
            "free": "cost", "cheap": "cost", "pricey": "cost", "afford": "cost", "affordable": "cost", "budget": "cost",
            # data moving somewhere, one token for each verb's forms (the stemmer leaves "sent"/"shared" apart)
            "sent": "send", "shared": "share", "sharing": "share", "shares": "share", "leaked": "leak", "leaks": "leak",
            "leaking": "leak"}


class Section(BaseModel):
    title: str
    text: str


class Hit(BaseModel):
    section: Section
    score: float


def stem(w: str) -> str:
    """A light stemmer: enough to meet plural and -ing forms halfway. A consonant doubled before -ed or -ing is
    single again ("flagged" is "flag", "logged" "log", "planning" "plan"), as in Porter's step 1b, except l, s and z
    ("called", "passed" keep theirs)."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            out = w[: -len(suffix)]
            if suffix in ("ing", "ed") and len(out) >= 3 and out[-1] == out[-2] and out[-1] not in "aeiouylsz":
                out = out[:-1]
            return out
    return w


# contractions: "isn't" is "is not", "what's" is "what"; split at the apostrophe they were a stray "s", "t" or "m"
# that no card or paraphrase uses, so each one counted as an unknown word and pushed a short question out of scope
_CONTRACTION = [(re.compile(r"\bwon['\u2019]t\b"), "will not"), (re.compile(r"\bcan['\u2019]t\b"), "can not"),
                (re.compile(r"n['\u2019]t\b"), " not"), (re.compile(r"['\u2019](?:s|m|re|ve|ll|d)\b"), "")]


def _plain(text: str) -> str:
    """`text` lower-cased, contractions opened, fine-tune spellings joined."""
    t = text.lower()
    for pattern, repl in _CONTRACTION:
        t = pattern.sub(repl, t)
    return t.replace("fine-tun", "finetun").replace("fine tun", "finetun")


@lru_cache(maxsize=1)
def everyday() -> dict[str, str]:
    """Everyday words read as peri's (`data/guide_words.yaml`): "wifi" is "offline", "subscription" is "cost"."""
    import yaml

    data = yaml.safe_load(resources.files("peri.data").joinpath("guide_words.yaml").read_text())
    return {str(k): str(v) for k, v in data["synonyms"].items()}


def words(text: str) -> list[str]:
    """Content words of `text`: lower-cased, contractions opened, fine-tune spellings joined, stop words out,
    synonyms and everyday words mapped, stemmed."""
    t = _plain(text)
    common = everyday()
    out: list[str] = []
    for w in _WORD.findall(t):
        if w in STOP:
            continue
        out.extend(stem(x) for x in SYNONYMS.get(w, common.get(w, w)).split())
    return out


def correct(text: str, vocab: frozenset[str] | set[str]) -> str:
    """`text` with each word outside `vocab` (words as typed, lower case) replaced by the vocabulary word one
    edit away (two for eight letters or more), same first letter, when exactly one is closest: "trainning",
    "privte", "fintuning", "exampels" meet their words before stemming and synonyms read them. Words under five
    letters are corrected only when four letters lost one of a content word's five ("chek"), never by a substitution
    ("cold" is not "code") or into a function word ("cold" is not "could")."""
    from .slots import edit_distance

    def fix(m: re.Match) -> str:
        t = m.group(0)
        if t in vocab or len(t) < 3:
            return t
        if len(t) < 5:
            # a four-letter word is corrected only to a content word with one letter dropped, not to its plural
            # ("chek", "wher"): a substitution would turn real words into others ("cold"/"code"), and so would a
            # three-letter word ("pan"/"plan") or a function word ("cold"/"could")
            near4 = {v for v in vocab if len(t) == 4 and len(v) == 5 and v[:1] == t[:1] and v != t + "s"
                     and v not in STOP and any(v[:i] + v[i + 1:] == t for i in range(len(v)))}
            return near4.pop() if len(near4) == 1 else t
        limit = 2 if len(t) >= 8 else 1
        # a five-letter word is not read as another by changing one letter in place: "bread" is no "break", "prime" no
        # "price" (a letter lost, added or swapped still is: "stord", "pirce")
        near = sorted((d, v) for v in vocab if v[:1] == t[:1] and abs(len(v) - len(t)) <= limit
                      and (d := edit_distance(t, v)) <= limit
                      and not (len(t) == 5 and len(v) == 5 and sorted(v) != sorted(t)))
        return near[0][1] if near and (len(near) == 1 or near[0][0] < near[1][0]) else t

    return re.sub(r"[a-z]+", fix, text.lower())


def vocabulary(texts: list[str]) -> frozenset[str]:
    """Every word of `texts` as typed (lower case, letters only), with the cards' and the synonyms' words."""
    out = {w for t in texts for w in re.findall(r"[a-z]+", t.lower())}
    out |= {w for sec in sections() for w in re.findall(r"[a-z]+", (sec.title + " " + sec.text).lower())}
    return frozenset(out | set(SYNONYMS) | STOP)


def _raw(text: str) -> set[str]:
    """Every word, stop words included (so "when to fine-tune" is not "fine-tuning"), stemmed."""
    return {stem(w) for w in _WORD.findall(_plain(text))}


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    text = resources.files("peri.guide").joinpath("concepts.md").read_text()
    parts = re.split(r"^# (.+)$", text, flags=re.MULTILINE)[1:]
    return tuple(Section(title=t.strip(), text=b.strip()) for t, b in zip(parts[::2], parts[1::2], strict=True))


def section(title: str) -> Section:
    return next(s for s in sections() if s.title == title)


@lru_cache(maxsize=1)
def card_words() -> dict[str, list[str]]:
    """Each card's extra index words (data/guide_card_words.yaml); every title named there must be a card."""
    import yaml

    data = yaml.safe_load(resources.files("peri.data").joinpath("guide_card_words.yaml").read_text()) or {}
    titles = {s.title for s in sections()}
    unknown = sorted(set(data) - titles)
    if unknown:
        raise ValueError(f"guide_card_words.yaml names no card: {unknown}")
    return {k: [str(w) for w in v] for k, v in data.items()}


@lru_cache(maxsize=1)
def _index() -> object:
    import bm25s

    index = bm25s.BM25(k1=K1, b=B, method="lucene")
    # the title counts twice: a card is first of all about what it is called; the words people use for it
    # (data/guide_card_words.yaml) are indexed with it, never shown
    extra = card_words()
    index.index([words(s.title + " " + s.title + " " + s.text + " " + " ".join(extra.get(s.title, [])))
                 for s in sections()], show_progress=False)
    return index


def bm25(question: str, corrected: str | None = None) -> list[Hit]:
    """Every card with its BM25 score for `question`, best first. `corrected` (the question with mistyped words
    read as known ones) counts only for naming a card's title ("hybird"): scoring every corrected word would
    turn ordinary words into peri's ("bread" is one edit from "break")."""
    index = _index()
    known = set(index.vocab_dict)
    q = [w for w in words(question) if w in known]
    if corrected:
        # a card's title typed with a typo ("hybird") is searched for as the title itself, so the card it names
        # is scored on its own word, not only given the title bonus while other cards score the question's rest
        asked = _raw(question)
        q += [w for sec in sections() if _raw(sec.title) <= asked | _raw(corrected) and not _raw(sec.title) <= asked
              for w in words(sec.title) if w in known]
    scores = index.get_scores(q) * (K1 + 1) if q else [0.0] * len(sections())  # type: ignore[attr-defined]
    hits = []
    for sec, score in zip(sections(), scores, strict=True):
        score = float(score)
        if _raw(sec.title) <= _raw(question) | (_raw(corrected) if corrected else set()):  # the question names the card itself ("what is fine-tuning?")
            score += TITLE_BONUS
        hits.append(Hit(section=sec, score=score))
    return sorted(hits, key=lambda h: -h.score)


def retrieve(question: str, k: int = 2) -> list[Hit]:
    """The `k` best cards at or above MIN_SCORE; empty when none reaches it."""
    return [h for h in bm25(question)[:k] if h.score >= MIN_SCORE]
