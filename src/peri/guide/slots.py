"""What a question says about the person asking it: how often they ask, whether their focus changes with the
season, whether they are still exploring, follow a non-standard methodology, are changing goals, and which
provider they mean. These slots reach the decision (`peri.decide.run.run_decision`) unchanged.

Frequency is parsed from the wording's parts (a count, a period, exceptions), not from a list of phrases:
"once a quarter" is 1 per 13 weeks, "3x a week" 3, "every day but Sunday" 6, "twice a month" 2 per 52/12
weeks, "every three months" 1 per 13 weeks.
"""
from __future__ import annotations

import re

from pydantic import BaseModel

WEEKS = {"day": 1 / 7, "week": 1.0, "fortnight": 2.0, "month": 52 / 12, "quarter": 13.0, "year": 52.0}
NUMBERS = {"once": 1, "twice": 2, "thrice": 3, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
           "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
           "few": 3, "other": 2, "single": 1}
ADVERBS = {"daily": 7.0, "nightly": 7.0, "weekly": 1.0, "fortnightly": 0.5, "biweekly": 0.5, "monthly": 12 / 52,
           "bimonthly": 6 / 52, "quarterly": 1 / 13, "yearly": 1 / 52, "annually": 1 / 52}
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PROVIDERS = [  # (pattern, slot value): the first that matches wins
    (r"\b(claude|anthropic|sonnet|haiku|opus)\b", "anthropic"),
    (r"\b(ollama|vllm|lm ?studio|openai[- ]compatible)\b", "openai-compatible"),  # servers speaking OpenAI's API
    (r"\b(openai|chat ?gpt|gpt[- ]?[0-9a-z.]*)\b", "openai"),
    (r"\b(gguf|llama\.?cpp|hugging ?face model|downloaded model)\b", "gguf"),
    (r"\btogether ?(\.|)ai\b|\b(on|use|using|via|through|at|with|try|does) together\b", "together"),
    (r"\bfireworks\b", "fireworks"),
    (r"\b(vertex|gemini|google)\b", "google"),
    (r"\b(bedrock|aws)\b", "bedrock"),
    (r"\bmistral\b", "mistral"),
]
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(NUMBERS) + r")"
_PERIOD = r"(day|week|fortnight|month|quarter|year)s?"
_TIMES = re.compile(_NUM + r"\s*(?:x|times?|sessions?|plans?|queries|questions|days?)?\s*(?:a|an|per|each|every|/)\s*" + _PERIOD)
_EVERY = re.compile(r"\b(?:every|each|once every|once each)\s+(?:" + _NUM + r"\s+)?(other\s+)?" + _PERIOD)
_EXCEPT = re.compile(r"\b(?:every|each)\s+day\s+(?:but|except|apart from|other than|save)\s+((?:(?:" + "|".join(DAYS)
                     + r")s?(?:\s*(?:,|and|or|&)\s*)?)+)")
_DAYLIST = re.compile(r"\b(?:every|on|each)\s+((?:(?:" + "|".join(DAYS) + r")s?(?:\s*(?:,|and|&|\+)\s*)?)+)")
_NOT_QUERIES = re.compile(r"\bretrain\w*\s+(?:it\s+|the model\s+)?(?:every|each|once)\s+(?:\w+\s+)?\w+|"
                          r"\b(?:daily|weekly|monthly|quarterly|yearly|annual)\s+(?:bill|cost|costs|price|fee|spend|budget|"
                          r"subscription|total)\b|"
                          r"\b(?:spend|spending|pay|paying|cost|costs|bill|billed|charged?)\b[^.?!]{0,30}?\b(?:each|every|per|a|an)\s+"
                          r"(?:day|week|month|quarter|year)\b|"
                          r"\b(?:daily|weekly|monthly)\s+(?:examples?|logs?|data|notes?|entries|records)\b|"
                          r"\bdaily undulating\b")  # a method's name, not a frequency
_WEEKDAYS = re.compile(r"\b(?:every|each|on)\s+weekdays?\b|\bweekdays only\b")
_SEASON = re.compile(r"\b(seasons?|seasonal(ly)?|off-?season|in-?season|pre-?season|summer|winter|spring|autumn|"
                     r"competition (phase|season|prep)|meet prep|time of (the )?year)\b")
_EXPLORING = re.compile(r"\b(exploring|experimenting|still (figuring|trying|working out|learning|testing|deciding)|"
                        r"trying (out )?(different|new|various|things)|figuring out|not sure (yet )?what (\w+ ){0,3}works?|"
                        r"haven'?t settled|hop(ping)? between|keep switching|switch(ing)? programs? (often|a lot)|jump(ing)? between)\b")
_METHOD_NAMED = re.compile(r"\b(periodi[sz]ation|periodi[sz]ed|conjugate|undulating|dup|westside|5/3/1|texas method|"
                           r"sheiko|bulgarian|wave loading|rpe waves?|block (periodi[sz]ation|training|scheme))\b")
_METHOD_DESCRIBED = re.compile(r"\b(scheme|system|method(ology)?|program(me)?|programming|periodi[sz]ation|approach|split)\s+"
                               r"(is|are|seems?)\s+(really\s+|very\s+|quite\s+|pretty\s+|a bit\s+)?(weird|odd|unusual|"
                               r"non-?standard|custom|unique|unconventional|complex|complicated)\b")
_METHOD_QUALIFIED = re.compile(r"\b(weird|odd|unusual|non-?standard|custom|unique|idiosyncratic|unconventional|"
                               r"my own|nobody else|complex|complicated)\b(?:\W+\w+){0,4}?\W+(scheme|system|method(ology)?|"
                               r"program(me)?|split|waves?|loading|approach|template|periodi[sz]ation)")
_GOAL_CHANGE = re.compile(r"\bgoals?\s+(have\s+|has\s+)?(just\s+|recently\s+|now\s+)?(changed?|changing|shift(ed|s|ing)?|moved?)\b|"
                          r"\bchang(e|es|ed|ing)\s+(my\s+|of\s+)?(goals?|focus)\b|\bgoal change\b|\bnew goal\b|"
                          r"\b(switch|mov|chang|go|transition|shift)\w*\s+(?:over\s+)?from\s+[\w-]+\s+to\s+[\w-]+")


class Slots(BaseModel):
    """What the question said about the asker; None/False when it said nothing."""

    queries_per_week: float | None = None
    seasonal: bool = False
    exploring: bool = False
    complex_methodology: bool = False
    goal_change: bool = False
    provider: str | None = None

    def situation(self) -> dict:
        """The slots as inputs to `run_decision` (only the ones the question set)."""
        out: dict = {}
        if self.queries_per_week is not None:
            out["queries_per_week"] = self.queries_per_week
        if self.seasonal:
            out["seasonal_focus"] = True
        if self.exploring:
            out["exploring"] = True
        if self.complex_methodology:
            out["complex_methodology"] = True
        return out


def _count(word: str | None) -> float:
    if word is None:
        return 1.0
    return float(word) if word[0].isdigit() else float(NUMBERS[word])


def frequency(text: str) -> float | None:
    """Queries a week named by the wording, or None when it names none.

    A cadence that belongs to something else — retraining ("retrain every month") or a bill ("the monthly
    bill") — is not how often the person asks, so it is removed first."""
    q = " " + re.sub(r"[’']", "'", text.lower()) + " "
    q = _NOT_QUERIES.sub(" ", q)
    m = _EXCEPT.search(q)
    if m:
        skipped = {d for d in DAYS if d in m.group(1)}
        return float(7 - len(skipped))
    if _WEEKDAYS.search(q):
        return 5.0
    m = _DAYLIST.search(q)
    if m:  # "every Monday, Wednesday and Friday": one a named day
        return float(len({d for d in DAYS if d in m.group(1)}))
    m = _TIMES.search(q)
    if m:
        return _count(m.group(1)) / WEEKS[m.group(2)]
    m = _EVERY.search(q)
    if m:
        n = 2.0 if m.group(2) else _count(m.group(1))
        return 1.0 / (n * WEEKS[m.group(3)])
    m = re.search(r"\b(" + "|".join(ADVERBS) + r")\b", q)
    if m:
        return ADVERBS[m.group(1)]
    if re.search(r"\bon weekends?\b|\bevery weekend\b", q):
        return 2.0
    return None


def parse_slots(text: str) -> Slots:
    """All slots of one question."""
    q = text.lower()
    provider = next((value for pat, value in PROVIDERS if re.search(pat, q)), None)
    if provider is None and re.search(r"(?<!^)\bTogether\b", text.strip()):
        provider = "together"  # the capitalised name mid-sentence; lower-case "together" is an ordinary word
    return Slots(
        queries_per_week=frequency(text), seasonal=bool(_SEASON.search(q)), exploring=bool(_EXPLORING.search(q)),
        complex_methodology=bool(_METHOD_NAMED.search(q) or _METHOD_QUALIFIED.search(q) or _METHOD_DESCRIBED.search(q)),
        goal_change=bool(_GOAL_CHANGE.search(q)), provider=provider,
    )
