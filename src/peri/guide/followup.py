"""A follow-up read with the turn before it: "and with Together?", "why?", "what about twice a week" name no
subject of their own, so alone they are routed on fillers (or declined); with the earlier question they ask that
question again with one thing changed (a provider, a frequency) or ask why its answer was what it was.

Peri keeps its last turn (`Turn`) and the web page passes the last answer of the conversation back
(`Peri.ask(question, after=...)`); `peri guide --after "earlier question"` does the same from the command line.
A message is a follow-up only when it is short and either opens as one ("and", "what about", "why") or points
back ("that one", "it") with nothing of peri's own in it besides what the slots read (a provider, how often).
"""
from __future__ import annotations

import re

from pydantic import BaseModel

from .router import OUT_OF_SCOPE, has_peri_sense
from .slots import PROVIDERS, Slots, frequency

__all__ = ["FOLLOW_UP_WORDS", "Turn", "elliptic", "follows", "merged_slots", "names_own_subject"]

FOLLOW_UP_WORDS = 10  # longer than this, a message carries its own subject
# how a message continues the one before it ("and with Together?", "what about twice a week", "why that one?",
# "so which one then", "ok but on fireworks", "what if it's only once a week")
_CONTINUES = re.compile(r"^\W*(?:(?:ok(?:ay)?|right|hmm+|and|but|so|or|then|also|plus)\W+)*"
                        r"(?:and|but|or|plus|also|what about|how about|what if|why|how come|same|instead|even|say|"
                        r"so which|so what|then which|which one|that one|and if|in that case)\b", re.I)
# a fragment with no clause of its own ("and for the hosted one?", "what about on my laptop", "with fireworks then?"):
# whatever it names is what changes in the question before, never a new question
_ELLIPTIC = re.compile(r"^\W*(?:(?:ok(?:ay)?|right|and|but|so|or|then)\W+)*(?:what about|how about|what if|for|with|on|in|at|"
                       r"via|using|through|if|instead of)\b", re.I)
ELLIPTIC_WORDS = 8
_POINTS_BACK = re.compile(r"\b(?:it|that|this|them|those|that one|the other|which one|then)\b", re.I)
# what the slots read in a message: a frequency ("twice a week", "daily") and a provider's name are the thing a
# follow-up changes, not a subject of its own
_FREQUENCY_WORDS = re.compile(r"\b(?:once|twice|thrice|daily|weekly|monthly|yearly|every|each|a|per|times?|x|days?|weeks?|"
                              r"months?|years?|only|\d+|one|two|three|four|five|six|seven|ten)\b", re.I)


class Turn(BaseModel):
    """What a follow-up needs of the turn before it."""

    question: str
    intent: str
    slots: Slots = Slots()
    card: str | None = None


def names_own_subject(question: str) -> bool:
    """Whether `question` names something of peri's besides a provider and a frequency (what a follow-up changes)."""
    rest = re.sub(r"\b(?:together|fireworks)(?:\s*\.?\s*ai)?\b", " ", question, flags=re.I)  # the name whole, "AI" too
    for pattern, _ in PROVIDERS:
        rest = re.sub(pattern, " ", rest, flags=re.I)
    if frequency(question) is not None:
        rest = _FREQUENCY_WORDS.sub(" ", rest)
    return has_peri_sense(rest)


def elliptic(question: str) -> bool:
    """Whether `question` is a short fragment that only changes the question before ("and for the hosted one?")."""
    return len(question.split()) <= ELLIPTIC_WORDS and bool(_ELLIPTIC.search(question))


def follows(question: str, previous: Turn | None) -> bool:
    """Whether `question` is a follow-up of `previous` (short, and continuing it or pointing back at it)."""
    if previous is None or previous.intent == OUT_OF_SCOPE or len(question.split()) > FOLLOW_UP_WORDS:
        return False
    return bool(_CONTINUES.search(question)) or (bool(_POINTS_BACK.search(question)) and not names_own_subject(question))


def merged_slots(previous: Slots, now: Slots) -> Slots:
    """The earlier question's slots with what the follow-up says put over them ("and with Together?": the provider)."""
    said = {k: v for k, v in now.model_dump().items() if v not in (None, False)}
    return Slots(**{**previous.model_dump(), **said})
