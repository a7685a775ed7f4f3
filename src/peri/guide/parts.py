"""What a message asks: the question sentences of a long message, and each question of a message that asks two
or three things.

People write to Peri the way they write to a person: a paragraph about themselves with the question last or in
the middle ("I'm a nurse working nights ... I just want to know where my log goes"), two questions joined by
"and" or a question mark ("how many examples do I need, and does my data leave my computer?"), or a numbered
list. Routing the whole message lets the context outvote the question; routing each question alone lets Peri
answer every one. This module only splits and labels text; `peri.Peri.ask` decides what to do with the parts.
"""
from __future__ import annotations

import re

from pydantic import BaseModel

__all__ = ["Part", "asks_what_next", "is_question", "message_parts", "question_parts"]

# words that open a question, and the request phrases that make a statement ask something
_WH = r"(?:how|what|what's|whats|where|when|which|who|why|whether)"
# "is/are" open a question whatever follows; the other auxiliaries only before who or what they ask about
# ("does it", "can peri", "should I"), so "... and do more circuits" stays one statement
_SUBJECT = r"(?:i|you|it|they|we|he|she|my|your|our|their|the|this|that|these|those|there|peri|any|anything|a|an|one|someone)"
_AUX = (r"(?:(?:is|are|am|was|were)\b|(?:do|does|did|can|could|would|will|should|shall|have|has|may|might|must|"
        rf"don't|doesn't|can't|won't|isn't|aren't)\s+{_SUBJECT})")
_OPENS = re.compile(r"^(?:[^:\-–—?]{0,60}\s[:\-–—]\s*)?\W*(?:(?:and|also|so|plus|but|then|ok|okay|oh|well|anyway|honestly|"
                    rf"basically|now)\W+)*(?:{_WH}|{_AUX}|is\s+there|are\s+there)\b", re.I)
_REQUEST = re.compile(r"\b(?:tell me|explain|show me|walk me through|help me|give me|remind me|i(?:'d| would) like to know|"
                      r"i (?:just )?(?:want|wanted|need|needed) to know|i(?:'m| am) (?:wondering|curious|not sure)|"
                      r"i wonder|wondering|any idea|do you know|can you|could you|please|pls|plz)\b", re.I)
_IMPERATIVE = re.compile(r"^\W*(?:show|explain|list|describe|compare|define|walk|tell|give|help|print|check|run)\b", re.I)
# where one sentence holds a second question: ", and how ...", " and does ...", "; also ..."
_JOIN = re.compile(rf"(?:,\s*|\s+)(?:and|plus)\s+(?:also\s+|then\s+|\w+ly\s+)?(?=(?:{_WH}|{_AUX})\b)|;\s*(?:and\s+)?(?:also\s+)?|"
                   rf",\s*also\s+", re.I)
# sentence ends, and the numbers of a list written inline ("1) ... 2) ...", "(1) ...", "1. ... 2. ...")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|\s+(?=\(?\d[).]\s)")
_LIST_MARK = re.compile(r"^\s*\(?\d[).]\s*")
# a lead-in announcing questions ("Two things:", "quick question -", "three questions sorry:")
_LEAD_IN = re.compile(r"^\W*(?:(?:one|two|three|a few|some|couple of|quick|small|few)\s+)?(?:more\s+)?"
                      r"(?:things?|questions?|q's|qs)\b[^:?]{0,20}[:\-–—]\s*", re.I)


# a question that asks only for the next thing to do, in the forms people use ("what now?", "where do I start?",
# "what do I do first?", "what follows?"): its answer is the recommended journey's next step
_WHAT_NEXT = re.compile(r"\b(?:(?:what|wat|wot|wut|whta) (?:do|should|shall|can|must) i (?:do|run|try|type|use) (?:first|next|now|then|after(?:wards| that| this)?)|"
                        r"what (?:now|next|then|follows|comes (?:next|now|after(?: that| this)?))|(?:now|then|and) what(?=\s*(?:[?.!,]|$|now\b|next\b|(?:do|should|shall|can) i (?:do|run|try)\b))|"
                        r"next (?:step|move|thing)|where (?:do|should|can) i (?:even )?(?:start|begin|go from here)|"
                        # "how do I start?" asks for a first step, "how do I start the sprint?" about the sprint
                        r"how do i (?:even )?(?:start|begin|get started)(?=\s*(?:[?.!,]|$|with (?:peri|this|it|all)|here|now))|"
                        r"what(?:'s| is) (?:next|first|my next|the (?:very )?first (?:thing|step))|"
                        r"what (?:do|should|shall) i do with (?:all )?(?:this|that|it|these|those)\b|"
                        # "not sure what I'm supposed to do now", "no idea what I should do next"
                        r"what (?:am i|are we|i'?m|i am|we'?re|we are) (?:supposed|meant) to do|"
                        r"what i (?:should|need to|have to|must) do (?:now|next|first|then)|"
                        # "after that?" asked alone, or after the steps told ("did the stats bit too. after that?")
                        r"(?:^|[.!?;,]\s*)(?:(?:and|so|ok|okay|then|right)\W+)*(?:what |and )?after that\W*$)", re.I)


def asks_what_next(text: str) -> bool:
    """Whether `text` asks what to do next (or first)."""
    return bool(_WHAT_NEXT.search(text))


class Part(BaseModel):
    text: str
    question: bool  # asks something (a question, a request) rather than telling


def is_question(text: str) -> bool:
    """Whether `text` asks something: ends with a question mark, opens like a question, or makes a request."""
    t = text.strip()
    return bool(t.endswith("?") or _OPENS.search(t) or _REQUEST.search(t) or _IMPERATIVE.search(t))


def _clean(text: str) -> str:
    return _LEAD_IN.sub("", _LIST_MARK.sub("", text)).strip(" \t-–—,;")


def message_parts(text: str) -> list[Part]:
    """The message's sentences in order, a sentence holding two questions split in two, each labelled."""
    out: list[Part] = []
    for sentence in _SENTENCE.split(text.strip()):
        sentence = _clean(sentence)
        if not sentence:
            continue
        pieces = [p for p in (_clean(x) for x in _JOIN.split(sentence)) if p]
        if len(pieces) > 1 and not all(is_question(p) for p in pieces[1:]):
            pieces = [sentence]  # "X, and do Y" where the tail is not a question: one clause, not two
        for p in pieces:
            out.append(Part(text=p, question=is_question(p)))
    return out


def question_parts(text: str) -> list[str]:
    """The parts of `text` that ask something, in order; the whole text when none does or it is one sentence."""
    parts = message_parts(text)
    asked = [p.text for p in parts if p.question]
    if len(parts) <= 1 or not asked:
        return [text.strip()]
    return asked
