"""Plans as people write them: a chatbot's markdown, a coach's list, a forum post, a table, a book's page.

`read_plan(text, unit="kg") -> PlanReading(plan, form, notes)` tries peri's JSON (`plans.jsonschema`; also a
```json block inside a chatbot's answer), then
peri's compact form (`plans.text`, when the text is written in it: upper-case ``DAY``/``WEEK`` lines), then
reads the text free-form, and says which form it used.

Free-form, line by line (words from ``data/plan_words.yaml``, in the languages the catalog reads):

- **Days**: a markdown heading (``## Day 1 – Upper``), a bold line (``**Monday: Push**``), a line ending in
  ``:`` or a short plain line that names a day (``Day 2``, ``Monday``, ``Workout A``, ``Upper Body``,
  ``Chest & Triceps``). The day keeps the heading's words as its name. A heading that names no day opens one
  when exercises follow it and no day is open, or when it is written like the heading that opened the day
  before (same markdown level or style); written smaller, it is a part of the open day (``### Accessories``).
  A day heading with no exercises is left out (a rest day says so); after 7 days in a week the rest is not read
  and the notes say which lines.
- **Weeks**: a programme written over several weeks (``## Week 2``, ``**Weeks 1-3**``, ``Wk 4 – Deload``,
  ``Woche 2``, ``Week 2 – Day 1``) is read a week at a time: `PlanReading.weeks` holds each (its heading's
  words, the week numbers it covers, its line, its plan; the days before any week heading are week 1), `plan`
  is the first. A week's scenario is its heading's (a deload week); a title's is the first week's. At most
  16 weeks; the rest are named. A lift named on its own line with a line a week below it (``Squat`` /
  ``Week 1: 5x65%, 5x75%, 5+x85%``) or a line a set (``Set 2: 5 reps x 75%``, joined as a wave) is read too;
  parts of the text naming the same week are one week.
- **Exercises**: a line (bullet, number, ``A1.`` label or none) or a table row holding sets and reps, written
  ``4x8``, ``4 x 8-10``, ``3 sets of 8``, ``3 sets x 10 reps``, ``10 reps x 3 sets``, ``3 Sätze à 8 Wdh``;
  the name is the words before the scheme (after it when none come before), cleaned of markdown. Around it:
  loads (``@ 100 kg``, ``225 lb``, ``102,5 kg``, ``70%``/``70% 1RM``; ``70% TM``, of a training max, is read as
  63% of the 1RM, a training max being 90% of it as 5/3/1 sets it, unless the text states that lift's training
  max (the lift matched as the catalog reads the log's names: ``OHP`` is ``Overhead Press``, ``DL`` ``Deadlift``):
  then ``70%`` or ``70% TM`` is 70% of it, a load (`plans.training_max`)), ``RPE 8``, ``@8`` (RPE, as
  powerlifters write it), ``2 RIR``, rest (``rest 90 s``, ``2-3 min rest``, ``Rest: 1:30``). Several
  exercises on one line (``Squat 5x5, Bench 5x5``) are each read. A load and reps for each set (5/3/1's
  ``65/75/85% x 5/5/5+``, ``65% x 5, 75% x 5, 85% x 5+``, ``5x65%, 5x75%, 5+x85%``) is one prescription: the
  set count, the fewest to most reps, the heaviest set's percentage (the set a load check is about), the sets
  as written in the note. A load and reps for each set as lifters write a session or a top-set ladder
  (``100x5, 110x3, 120x1``, ``80 kg x 8, 85 x 6``, ``140x5 / 160x3``, ``225x5x3`` load x reps x sets) is one
  prescription the same way, at the heaviest set's load; it is told from sets x reps (``3x5``) by its first
  number: a load when a unit or a decimal is next to it, or when it is above the sets a prescription holds (10)
  and the list has one load above the sets any plan writes (20) (``12x3`` alone stays a count out of range). ``5+`` is at least 5 reps (AMRAP, noted); ``3 x AMRAP``/``max reps``/``to failure``
  with no number is at least 1 rep a set; with no set count either (``Pull-ups AMRAP``, ``Push-ups to failure``,
  ``Bench AMRAP @ 70%``, after a name the catalog knows) one set, as are reps after an ``x`` with no number before
  it (``Deadlift x5+ @ 140 kg``); a timed set (``3 x 45 s``, ``2 x 1 min``, ``Plank: hold 30 sec``,
  one set when no count is written) is one rep a set with its duration in the note. Each of these readings is
  said in the notes with its line. A rounding step (``(round to 2.5 kg)``, ``rounded down to 5 lb``, or a line
  of its own: ``Round all weights to the nearest 5 lb``) rounds the loads worked out from a stated training max
  or 1RM (in the step's unit, a half step up; else to 0.5 kg), and is never a load. A programme's name after a
  lift's (``Squat 5/3/1:``) is no part of the name.
- **Tables**: a markdown (or pipe) table whose header names the columns (exercise, sets, reps, sets x reps,
  load/weight with its unit, RPE, RIR, rest, notes, day) in any order, some missing.
- **Policy** (the compact form's): a rep range is kept (``8-10``); a range of anything else (load, RPE, RIR,
  rest) is read at its lower end and written whole into the prescription's note; per side, AMRAP, to failure,
  tempo and any words left over go to the note too. Pounds are converted as the compact form converts them
  (`plans.text.pounds_to_kg`). A load written without a unit is read in the unit the text uses elsewhere,
  else in ``unit`` (the athlete's), and the notes say so.
- **Never invented**: a line whose scheme cannot be read whole (no set count, metres or a time under 5 s, a
  count out of range) is not put in the plan: the notes name it with its line number. Warm-up, cardio and
  advice sections are skipped; their lines that look like exercises are listed in the notes, as is every
  other skipped line that does, so nothing is dropped silently.

A text with no exercise read raises `PlanParseError` naming what was expected and the first lines not read.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from ..errors import PeriError, PlanParseError
from .schema import Plan, PlanDay, Prescription, Scenario
from ..log.models import LB_TO_KG
from .text import format_number, load_text, parse_plan_text, pounds_to_kg
from .training_max import find as find_max
from .training_max import stated_maxes

Form = Literal["json", "compact", "free-form"]
Unit = Literal["kg", "lb"]
MAX_DAYS = 7
TM_SHARE = 0.9  # a training max is 90% of the one-rep max (Wendler's 5/3/1)
MAX_WEEKS = 16  # a training block; a longer programme is read up to here, the rest named
MAX_LINE = 2000  # longer lines are no plan's lines: noted, not read
MAX_TEXT = 500_000  # a week written out with all its advice is a few thousand characters
MAX_NOTES = 60
MAX_SETS = 10  # the most sets one prescription holds (`Prescription.sets`)
NOTE_CHARS = 200  # a prescription's note (leftover words) is cut here


class PlanWeek(BaseModel):
    """One week of a programme written over several weeks: its heading's words, the week numbers it covers
    ("Weeks 1-3" covers 1, 2, 3), the line it starts on and its plan."""

    label: str
    numbers: list[int] = []
    line: int = 1
    plan: Plan


class PlanReading(BaseModel):
    """A plan read from text: the plan, the form it was written in, and what the reader could not use.

    `plan` is the first week; `weeks` holds every week when the text writes more than one (the first included)."""

    plan: Plan
    form: Form
    notes: list[str] = []
    weeks: list[PlanWeek] = []


# --- words ----------------------------------------------------------------------------------------

class _Words(BaseModel):
    weekdays: dict[str, list[str]]
    weekday_short: list[str]
    day_words: list[str]
    split_words: list[str]
    skip_sections: list[str]
    distance_work: list[str] = []
    rest_days: list[str]
    week_words: list[str]
    scenarios: dict[str, list[str]]
    sets: list[str]
    reps: list[str]
    superset_words: list[str]
    scheme_joins: list[str]
    per_side: list[str]
    amrap: list[str]
    amrap_alone: list[str] = []
    rounding: list[str] = []
    holds: list[str] = []
    training_max: list[str] = []
    one_rep_max: list[str] = []
    load_at: list[str] = []
    failure: list[str]
    rest: list[str]
    seconds: list[str]
    minutes: list[str]
    metres: list[str] = []
    kilometres: list[str] = []
    yards: list[str] = []
    columns: dict[str, list[str]]


def fold(text: str) -> str:
    """Lower case with accents dropped, character for character (positions stay those of `text`)."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        low = (base if len(base) == 1 else ch).lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def _alt(words: list[str]) -> str:
    """A regex alternation of phrases, longest first, each a whole word where it starts or ends with one."""
    parts = []
    for w in sorted({fold(w) for w in words}, key=len, reverse=True):
        p = re.escape(w).replace(r"\ ", r"\s+")
        # whole words among letters, but a number may touch them: "rest90", "90s", "2min", "3sets"
        if w[:1].isalpha():
            p = r"(?<![^\W\d_])" + p
        if w[-1:].isalpha():
            p += r"(?![^\W\d_])"
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class _Patterns:
    words: _Words
    weekday: re.Pattern[str]
    day_marker: re.Pattern[str]
    week: re.Pattern[str]
    week_numbers: re.Pattern[str]
    skip: re.Pattern[str]
    distance: re.Pattern[str]
    rest_day: re.Pattern[str]
    scenario: dict[str, re.Pattern[str]]
    split_word: frozenset[str]
    scheme: list[re.Pattern[str]]
    sets_alone: re.Pattern[str]
    sets_label: re.Pattern[str]
    reps_label: re.Pattern[str]
    label: re.Pattern[str]
    reps_alone: re.Pattern[str]
    tokens: list[tuple[str, re.Pattern[str]]]
    per_side: re.Pattern[str]
    superset: re.Pattern[str]
    count_after: re.Pattern[str]
    reps_x: re.Pattern[str]
    amrap: re.Pattern[str]
    amrap_alone: re.Pattern[str]
    rounding: re.Pattern[str]
    failure: re.Pattern[str]
    timed: re.Pattern[str]
    timed_unit: re.Pattern[str]
    dist_unit: re.Pattern[str]
    effort_first: re.Pattern[str]
    effort_alone: re.Pattern[str]
    hold: re.Pattern[str]
    tm: re.Pattern[str]
    rm: re.Pattern[str]
    wave: re.Pattern[str]
    wave_items: re.Pattern[str]
    sets_range: re.Pattern[str]
    set_line: re.Pattern[str]
    unit_kg: re.Pattern[str]
    unit_lb: re.Pattern[str]
    filler: re.Pattern[str]


_NUM = r"\d+(?:[.,]\d+)?"
_WAVE_BASIS = r"(?:\s*(?:of\s*)?(?:e?1\s*rm|tm|training\s+max))?"
_WAVE_PR = rf"\d{{2,3}}(?:[.,]\d)?\s*%{_WAVE_BASIS}\s*[x×]\s*\d{{1,2}}\+?(?!\d)(?:\s*reps?)?"  # 65% x 5
_WAVE_RP = rf"\d{{1,2}}\+?\s*(?:reps?\s*)?(?:[x×@]|at)\s*\d{{2,3}}(?:[.,]\d)?\s*%{_WAVE_BASIS}"  # 5 x 65%, 5+ @ 85%
_DASH = r"\s*(?:-|–|—|to|bis)\s*"
_WAVE_SEP = r"(?:\s*(?:[,;/]|then|->|→)\s*|\s+)"  # "65%x5, 75%x5", "65%x5 / 75%x5", "65%x5 75%x5"
# one set written as reps at a load with no set count: "5 @ 80% TM", "5+ @ 85%", "8 reps @ 60 kg", "3 @ RPE 8"
_SINGLE = re.compile(r"(?<![\w.,/x×*+])(?P<reps>\d{1,2}\+?)\s*(?:reps?\s*)?(?:@|\bat\b)\s*(?=(?:rpe\s*)?"
                     r"\d{1,3}(?:[.,]\d+)?\s*(?:%|kgs?\b|kilos?|lbs?\b|pounds?|rpe\b)|rpe\s*\d)")
_WEEK_NUMBERS = {w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_WEEK_WORD = "(?:" + "|".join(_WEEK_NUMBERS) + ")"  # "Week One"


@functools.lru_cache(maxsize=2)
def _patterns(path: str | None = None) -> _Patterns:
    import yaml

    file = Path(path) if path else Path(str(resources.files("peri") / "data" / "plan_words.yaml"))
    try:
        w = _Words.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError) as e:
        raise PeriError(f"cannot read the plan words: {e}", place=str(file)) from e
    weekdays = [x for names in w.weekdays.values() for x in names]
    weekday = _alt(weekdays)  # a full name anywhere in a short heading; an abbreviation only first (below)
    weekday_first = _alt(weekdays + w.weekday_short)
    day_word = _alt(w.day_words)
    sets_w, reps_w = _alt(w.sets), _alt(w.reps)
    joins = _alt([j for j in w.scheme_joins if j.strip()] + [","])
    amrap = _alt(w.amrap)
    secs, mins = _alt(w.seconds), _alt(w.minutes)
    # a set's distance: the metres' "m" last, after "min"/"mins" have had their turn where a pattern tries both
    dist_units = (rf"(?P<km>{_alt(w.kilometres or ['km'])})|(?P<yd>{_alt(w.yards or ['yd'])})"
                  rf"|(?P<mt>{_alt(w.metres or ['m'])})")
    amount = r"(?P<a>\d{1,5}(?:[.,]\d{1,2})?|\d{1,2}:\d{2})"
    # a rep count is no load: "3 x 102,5 kg" is three sets at a load, reps unsaid
    reps = rf"(?P<lo>\d{{1,3}})(?!\d)(?:{_DASH}(?P<hi>\d{{1,3}})(?!\d))?(?![.,]\d)(?!\s*(?:kgs?|kilos?|lbs?|pounds?|%))(?P<plus>\+)?"
    # "3 x AMRAP" and "1xAMRAP": the word may touch the x (which is a letter to `_alt`'s whole-word rule)
    amrap_touching = amrap.replace(r"(?<![^\W\d_])", "")
    reps_or_amrap = rf"(?:{reps}|(?P<amrap>{amrap_touching}))"
    rep_list = r"(?P<list>\d{1,3}(?:\s*[/,]\s*\d{1,3}){1,9})(?![\d.,/]|\s*(?:kg|lb|%|s\b|sec|min))"
    start = r"(?<![\w.,/:])"
    scheme = [
        # 3 sets of 8-10 reps / 3 Sätze à 10 Wdh / 3 sets, 8 reps
        re.compile(rf"{start}(?P<sets>\d{{1,3}})\s*{sets_w}\s*(?:{joins}\s*)?{reps_or_amrap}(?:\s*{reps_w})?"),
        # 4x8 / 4 x 8-10 reps / 3×AMRAP / 3 sets x 10
        re.compile(rf"{start}(?P<sets>\d{{1,3}})\s*(?:{sets_w}\s*)?[x×✕*]\s*{reps_or_amrap}(?:\s*{reps_w})?"),
        # a rep for each set: "4 sets x 12/10/8/6", "3 sets: 10, 8, 6", "12, 10, 8 reps"
        re.compile(rf"{start}(?P<sets>\d{{1,2}})\s*{sets_w}\s*[:(,x×]?\s*(?:{reps_w}\s*[:]?\s*)?{rep_list}"),
        re.compile(rf"{start}{rep_list}\s*{reps_w}"),
        # 10 reps x 3 sets / 8-10 reps for 3 sets
        re.compile(rf"{start}{reps}\s*{reps_w}\s*(?:{joins}\s*)?(?P<sets>\d{{1,3}})\s*{sets_w}"),
    ]
    rest_w = _alt(w.rest)
    dur = rf"(?P<a>\d+(?::\d{{2}})?)(?:{_DASH}(?P<b>\d+(?::\d{{2}})?))?"
    tokens = [
        ("pct", re.compile(rf"(?:@\s*|\bat\s+)?(?P<v>{_NUM})(?:{_DASH}(?P<v2>{_NUM}))?\s*%"
                           r"(?:\s*(?:of\s*)?(?:(?:your\s+)?(?:e?1\s*rm|max|training\s+max|tm)))?")),
        ("kg", re.compile(rf"(?:@\s*|\bat\s+|\bwith\s+|\bmit\s+)?(?P<v>{_NUM})(?:{_DASH}(?P<v2>{_NUM}))?\s*"
                          r"(?:kgs?|kilos?|kilograms?)(?![a-z])")),
        ("lb", re.compile(rf"(?:@\s*|\bat\s+|\bwith\s+)?(?P<v>{_NUM})(?:{_DASH}(?P<v2>{_NUM}))?\s*"
                          r"(?:lbs?|pounds?|#)(?![a-z])")),
        ("rpe", re.compile(rf"(?:@\s*)?\brpe\s*[:=]?\s*(?P<v>{_NUM})(?:{_DASH}(?P<v2>{_NUM}))?")),
        ("rpe", re.compile(rf"(?P<v>{_NUM})(?:{_DASH}(?P<v2>{_NUM}))?\s*rpe\b")),
        ("rir", re.compile(r"\brir\s*[:=]?\s*(?P<v>\d)(?:" + _DASH + r"(?P<v2>\d))?")),
        ("rir", re.compile(r"(?P<v>\d)(?:" + _DASH + r"(?P<v2>\d))?\s*(?:rir\b|reps?\s+in\s+(?:reserve|the\s+tank))")),
        ("rest", re.compile(rf"{rest_w}\s*[:=]?\s*(?:of\s+|for\s+|~\s*|about\s+)?{dur}\s*"
                            rf"(?:(?P<mins>{mins})|(?P<secs>{secs}))?(?![\w])")),
        ("rest", re.compile(rf"{dur}\s*(?:(?P<mins>{mins})|(?P<secs>{secs}))\s*(?:of\s+)?{rest_w}")),
        ("bw", re.compile(r"@\s*(?:bw|bodyweight)\b|\((?:bw|bodyweight)\)")),
        # a bare number after @ / "at": RPE when 5-10 (as powerlifters write "@8"), else a load in the text's unit
        ("bare", re.compile(rf"(?:@\s*|\bat\s+)(?P<v>{_NUM})(?:{_DASH}(?P<v2>{_NUM}))?(?![\d%])(?!\s*(?:%|kg|lb|rpe|rir))")),
    ]
    return _Patterns(
        words=w,
        weekday=re.compile(weekday),
        day_marker=re.compile(rf"^(?:{weekday_first}(?:\s*$|\s*[-–—:,/.(&+]|\s+(?:and|&|\+|\d)|\s+[^\W\d_]+\s*$)|{day_word}\s*(?:#\s*)?(?:\d{{1,2}}|[a-h]|[ivx]{{1,4}}|one|two|three|"
                              rf"four|five|six|seven)(?![\w])|[^\d:]{{1,30}}\s{day_word}\s*(?:\([^)]*\))?\s*:?$)"),
        week=re.compile(rf"^{_alt(w.week_words)}\s*(?:#\s*)?(?:\d|{_WEEK_WORD}(?![^\W\d_]))"),
        week_numbers=re.compile(rf"^{_alt(w.week_words)}\s*(?:#\s*)?(?P<a>\d{{1,2}}|{_WEEK_WORD}(?![^\W\d_]))"
                                rf"(?:{_DASH}(?P<b>\d{{1,2}}|{_WEEK_WORD}(?![^\W\d_]))"
                                rf"|(?P<more>(?:\s*(?:,|&|and|\+|und|et|y|e)\s*\d{{1,2}})+))?"),
        skip=re.compile(_alt(w.skip_sections)),
        distance=re.compile(_alt(w.distance_work)) if w.distance_work else re.compile(r"(?!x)x"),
        rest_day=re.compile(_alt(w.rest_days)),
        scenario={k: re.compile(_alt(v)) for k, v in w.scenarios.items()},
        split_word=frozenset(fold(x) for x in w.split_words),
        scheme=scheme,
        sets_alone=re.compile(rf"{start}(?P<sets>\d{{1,3}})\s*{sets_w}"),
        reps_alone=re.compile(rf"{start}{reps}\s*{reps_w}"),
        sets_label=re.compile(rf"{sets_w}\s*[:=]\s*(?P<sets>\d{{1,3}})(?!\s*[x×\d])"),
        reps_label=re.compile(rf"{reps_w}\s*[:=]\s*{reps}"),
        label=re.compile(rf"^{_alt(w.sets + w.reps + w.rest + [x for f in ('load', 'rpe', 'rir', 'note', 'scheme', 'pct') for x in w.columns.get(f, [])])}\s*[:=–-]"),
        tokens=tokens,
        per_side=re.compile(_alt(w.per_side)),
        count_after=re.compile(rf"^\s*(?:{sets_w}|{reps_w}|[x×])"),
        reps_x=re.compile(rf"(?<![\w.])[x×]\s*{reps}"),
        superset=re.compile(rf"^{_alt(w.superset_words)}\s*(?:[a-z]\d?|\d{{1,2}})?\s*[:.)–-]\s*"),
        amrap=re.compile(amrap),
        amrap_alone=re.compile(_alt(w.amrap_alone)) if w.amrap_alone else re.compile(r"(?!x)x"),
        # "(round to 2.5 kg)", "rounded down to the nearest 5 lb", "nearest 2.5 kg plate": the step and its direction
        rounding=re.compile(
            rf"\(?\s*(?:{_alt(w.rounding or ['round'])}(?:\s+(?P<dir>down|up))?(?:\s+(?:all\s+)?(?:the\s+)?(?:weights?|loads?))?"
            rf"\s+(?:to|auf|a|à|al)\s+(?:the\s+)?(?:nearest\s+)?|(?:to\s+the\s+)?nearest\s+)(?P<v>{_NUM})\s*"
            r"(?P<u>kgs?|kilos?|lbs?|pounds?)?(?![\w%])(?:\s+(?:plates?|increments?|jumps?))?(?:\s*\))?"),
        failure=re.compile(_alt(w.failure)),
        timed=re.compile(rf"^\s*(?:{secs}|{mins})(?![\w])"),
        timed_unit=re.compile(rf"^\s*(?P<mins>{mins})(?![\w])"),
        dist_unit=re.compile(rf"^\s*(?:{dist_units})(?![\w'])"),
        # "400 m x 6", "Run 400m x 8", "30 s x 3": the amount first, then the set count
        effort_first=re.compile(rf"(?<![\w.,:]){amount}\s*(?:{dist_units}|(?P<mins>{mins})|(?P<secs>{secs}))"
                                rf"(?![\w'])\s*[x×]\s*(?P<sets>\d{{1,2}})(?!\d|[.,]\d|\s*(?:kg|lb|%|[x×]))"),
        # "Row 5 min", "Bike 20'", "Run 5 km": one set of a time or a distance, no count written
        effort_alone=re.compile(rf"(?<![\w.,:]){amount}\s*(?:{dist_units}|(?P<mins>{mins})|(?P<secs>{secs}))"
                                rf"(?![\w'])"),
        # "Plank: hold 45 sec", "Dead hang 30-45 s", "45 s hold": one timed set
        hold=re.compile(rf"(?:{_alt(w.holds)}\D{{0,12}}?(?P<a>\d{{1,3}})(?:{_DASH}(?P<b>\d{{1,3}}))?\s*"
                        rf"(?:(?P<mins>{mins})|{secs})(?![\w])|(?<![\d.,])(?P<a2>\d{{1,3}})(?:{_DASH}(?P<b2>\d{{1,3}}))?\s*"
                        rf"(?:(?P<mins2>{mins})|{secs})\s*{_alt(w.holds)})"),
        tm=re.compile(_alt(w.training_max)) if w.training_max else re.compile(r"(?!x)x"),
        rm=re.compile(_alt(w.one_rep_max)) if w.one_rep_max else re.compile(r"(?!x)x"),
        # 5/3/1's waves: "65/75/85% x 5/5/5+" (a load and a rep count for each set)
        wave=re.compile(r"(?<![\d.,/])(?P<pcts>\d{2,3}(?:\s*/\s*\d{2,3}){1,9})\s*%(?P<basis>\s*(?:of\s*)?(?:your\s+)?"
                        r"(?:e?1\s*rm|training\s+max|tm|max))?\s*[x×]\s*(?P<reps>\d{1,2}\+?(?:\s*/\s*\d{1,2}\+?){1,9})"),
        # or a set at a time: "65% x 5, 75% x 5, 85% x 5+" / "65%x5 / 75%x5 / 85%x5+" / "5x65%, 5x75%, 5+x85%"
        # (reps first only as a list: "3x8 @ 70%" is a scheme and its load, and "of 5 reps @ 70%" part of one)
        wave_items=re.compile(rf"(?<![\d.,/x×])(?<![x×]\s)(?:{_WAVE_PR}(?:{_WAVE_SEP}{_WAVE_PR})*"
                              rf"|{_WAVE_RP}(?:{_WAVE_SEP}{_WAVE_RP})+)"),
        set_line=re.compile(rf"^{_alt([x for x in w.sets if not x.startswith('x')])}\s*#?\s*\d{{1,2}}\s*[:.)–—-]\s*"),
        sets_range=re.compile(rf"{start}(?P<a>\d{{1,2}}){_DASH}(?P<b>\d{{1,2}})(?=\s*(?:{sets_w}|[x×]\s*\d))"),
        unit_kg=re.compile(r"\d\s*(?:kgs?|kilos?|kilograms?)(?![a-z])"),
        unit_lb=re.compile(r"\d\s*(?:lbs?|pounds?)(?![a-z])"),
        filler=re.compile(rf"^(?:{joins}|{sets_w}|{reps_w}|{rest_w}|{_alt(w.load_at or ['at'])}|@|and|per|each|between|"
                          r"reps?|weight|load|with|[-–—:;,.()\[\]|/·•*+~=]|\s)*$"),
    )


# --- markdown ---------------------------------------------------------------------------------

_BULLET = re.compile(r"^(?:[-*•·+▪►➤→✓✔☐□]|\[[ xX]?\]|\d{1,2}[.)](?!\d)|[a-zA-Z]\d{0,2}[.)]|[A-Z]\d{1,2}:?)\s+")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<t>.+?)\1\s*:?\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_RULE = re.compile(r"^(?:[-*_=]\s*){3,}$")


def _clean(text: str) -> str:
    """Markdown emphasis, code marks and links removed; spaces collapsed."""
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"(\*\*|__|~~|`)", "", text)
    text = re.sub(r"(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _lead(low: str) -> str:
    """Text from its first letter or digit on (an emoji or a symbol before a heading's words)."""
    m = re.search(r"[^\W_]", low)
    return low[m.start():] if m else low


def _strip_bullet(text: str) -> tuple[str, bool]:
    m = _BULLET.match(text)
    return (text[m.end():], True) if m else (text, False)


def _name(text: str) -> str:
    """An exercise name: bullets, markdown and the separators around it removed."""
    text = _clean(_strip_bullet(_clean(text))[0])
    text = re.sub(r"\s+", " ", re.sub(r"\(\s*\)|\[\s*\]", " ", text))  # what was in them was read elsewhere
    text = re.sub(r"^[\s:;,.|·–—-]+|[\s:;,|·–—=(-]+$", "", text)
    if text.count("(") > text.count(")"):
        text = text[: text.rfind("(")].rstrip(" -–—:")
    # "Squat 5/3/1", "Bench (5/3/1)": the programme's name after the lift's (single digits, three or more: "90/90
    # stretch" keeps its name)
    text = re.sub(r"(?<=\S)\s+\(?\d(?:/\d){2,}\)?$", "", text)
    return text.strip()


# --- one exercise ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rounding:
    """A step loads are rounded to, as a plan writes it ("round to the nearest 2.5 kg", "rounded down to 5 lb")."""

    step: float
    unit: Unit
    how: Literal["nearest", "down", "up"]
    written: str

    def apply(self, kg: float) -> float:
        """`kg` rounded to the step in the step's own unit (5 lb steps are pounds), back in kilograms; a half step
        rounds up, as a lifter loading plates does."""
        value = kg if self.unit == "kg" else kg / LB_TO_KG
        n = value / self.step
        n = math.floor(n + 0.5) if self.how == "nearest" else math.floor(n + 1e-9) if self.how == "down" else math.ceil(n - 1e-9)
        out = n * self.step
        return round(out, 3) if self.unit == "kg" else pounds_to_kg(out)


def _rounding(m: re.Match[str], unit: Unit, text: str) -> Rounding | None:
    step = _to_float(m.group("v"))
    if not 0.25 <= step <= 25:
        return None  # no plate step: "nearest 100" is something else
    return Rounding(step, _unit_word(m.group("u")) or unit, m.group("dir") or "nearest",  # type: ignore[arg-type]
                    _shorten(text[m.start(): m.end()].strip(" ()"), 40))


@dataclass
class _Read:
    fields: dict[str, object] = field(default_factory=dict)
    note: list[str] = field(default_factory=list)
    problem: str | None = None
    bare: list[str] = field(default_factory=list)  # bare loads read in the text's unit
    said: list[str] = field(default_factory=list)  # how the line was read, for the reader's notes
    pct: float | None = None  # the percentage as written (before a training max's 90% rule)
    pct_of: str | None = None  # what it is written of: "tm", "1rm", or None when the text does not say
    tm_rule: tuple[str, str] | None = None  # the (note, said) of the 90% rule, dropped when the TM is stated
    round_to: Rounding | None = None  # "(round to 2.5 kg)" on the line


def _to_float(v: str) -> float:
    return float(v.replace(",", "."))


def _seconds(v: str, minutes: bool) -> int:
    if ":" in v:
        m, s = v.split(":")
        return int(m) * 60 + int(s)
    return int(v) * (60 if minutes else 1)


def _find_scheme(low: str, p: _Patterns) -> re.Match[str] | None:
    found = [m for pat in p.scheme for m in pat.finditer(low)]
    if not found:
        return None
    return min(found, key=lambda m: (m.start(), -m.end()))


_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NUMBER_WORD = re.compile(r"(?<![^\W\d_])(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?![^\W\d_])",
                          re.IGNORECASE)


def _digits(text: str, p: _Patterns) -> str:
    """Counts written as words where a count is expected ("three sets of ten", "five reps") as digits."""
    if not _NUMBER_WORD.search(text):
        return text

    def one(m: re.Match[str]) -> str:
        before, after = fold(text[max(0, m.start() - 6): m.start()]), fold(text[m.end(): m.end() + 14])
        counted = p.count_after.match(after) or re.search(r"(?:\bof|[x×]|\bfor)\s*$", before)
        return _NUMBER_WORDS[m.group(1).lower()] if counted else m.group(0)

    return _NUMBER_WORD.sub(one, text)


def _waves(text: str, p: _Patterns) -> tuple[str, str | None]:
    """A load and a rep count for each set ("65/75/85% x 5/5/5+", "65% x 5, 75% x 5, 85% x 5+") written as one
    scheme peri reads: the set count, the reps from fewest to most, at the heaviest set's percentage (the set the
    load check is about). The sets as written go to the note."""
    low = fold(text)
    m = p.wave.search(low)
    if m is not None:
        pcts = [float(x) for x in re.findall(r"\d+", m.group("pcts"))]
        reps = re.findall(r"\d+\+?", m.group("reps"))
        basis = m.group("basis") or ""
        if len(pcts) != len(reps):
            return text, None
    else:
        m = p.wave_items.search(low)
        if m is None:
            return text, None
        pairs = re.findall(rf"(\d{{2,3}}(?:[.,]\d)?)\s*%({_WAVE_BASIS})\s*[x×]\s*(\d{{1,2}}\+?)", m.group())
        if not pairs:  # reps first: "5x65%, 5x75%, 5+x85%"
            pairs = [(b, c, a) for a, b, c in re.findall(
                rf"(\d{{1,2}}\+?)\s*(?:reps?\s*)?(?:[x×@]|at)\s*(\d{{2,3}}(?:[.,]\d)?)\s*%({_WAVE_BASIS})", m.group())]
        pcts = [float(a.replace(",", ".")) for a, _, _ in pairs]
        reps = [c for _, _, c in pairs]
        basis = next((b for _, b, _ in pairs if b.strip()), "")
    counts = [int(x.rstrip("+")) for x in reps]
    if not 1 <= len(counts) <= 10:
        return text, None
    lo, hi, plus = min(counts), max(counts), any(x.endswith("+") for x in reps)
    scheme = f"{len(counts)}x{lo}" + (f"-{hi}" if hi != lo else "") + ("+" if plus else "")
    top = max(pcts)
    written = ", ".join(f"{format_number(a)}% x {b}" for a, b in zip(pcts, reps))
    new = f"{scheme} @ {format_number(top)}%{(' ' + basis.strip()) if basis.strip() else ''}"
    note = f"sets {written}" + (f" {basis.strip()}" if basis.strip() else "") + " (checked at the heaviest)"
    return text[: m.start()] + new + text[m.end():], note


# Load x reps, as lifters write a session or a top-set ladder: "100x5, 110x3, 120x1", "80 kg x 8, 85 x 6, 90 x 4",
# "140x5 / 160x3 / 180x1", "225x5x3" (load x reps x sets). Told apart from sets x reps by its first number.
SETS_EVER_WRITTEN = 20  # more sets than any plan writes of one lift (EMOM "12x3" or "15x1" singles do get written)
LADDER_REPS = 30  # the most reps a load x reps set plausibly holds
_LADDER_ITEM = re.compile(
    r"(?<![\w.×*+@])(?<![x×*@]\s)(?P<load>\d{1,4}(?:[.,]\d{1,2})?)\s*"
    r"(?P<unit>(?:kgs?|kilos?|kilograms?|lbs?|pounds?)(?![a-wyz]|x[a-z])|#)?\s*[x×*]\s*"
    r"(?P<reps>\d{1,2})(?:\s*[-–]\s*(?P<hi>\d{1,2}))?(?P<plus>\+)?(?:\s*[x×*]\s*(?P<sets>\d{1,2}))?"
    r"(?!\d|\.\d|\s*[x×*]\s*\d|\s*(?:%|kgs?\b|kilo|lbs?\b|pound|m\b|meters?|metres?|s\b|secs?\b|seconds?|mins?\b|minutes?|sets?\b|rounds?\b))")
_LADDER_SEP = re.compile(r"\s*(?:(?:[,;/|>→]|->)\s*)?(?:(?:then|and)\s+)?")


def _ladders(low: str) -> list[list[re.Match[str]]]:
    """The load-x-reps lists in `low` (folded), each its items: a list whose every first number is a plausible
    load (a unit next to it, a decimal, or above `MAX_SETS` (a set count a prescription holds) with one of the list
    unmistakable: a unit, a decimal, or above `SETS_EVER_WRITTEN`) and every second a plausible rep count or
    range ("100x5-8"). Items with no unit after a word of distance or interval work ("Run 400x8") are metres or
    seconds: no list (`_intervals`)."""
    return _chains(low)[0]


def _intervals(low: str) -> list[list[re.Match[str]]]:
    """The lists `_ladders` leaves out as distance or interval work: "Sprints: 100x6, 200x4" is 6 x 100 and
    4 x 200 (metres or seconds, the text does not say), the whole list one lift's, never a load."""
    return _chains(low)[1]


def _chains(low: str) -> tuple[list[list[re.Match[str]]], list[list[re.Match[str]]]]:
    """(load x reps lists, interval lists) in `low` (see `_ladders`)."""
    chains: list[list[re.Match[str]]] = []
    for m in _LADDER_ITEM.finditer(low):
        if chains and _LADDER_SEP.fullmatch(low[chains[-1][-1].end(): m.start()]):
            chains[-1].append(m)
        else:
            chains.append([m])

    def sure(m: re.Match[str]) -> bool:
        return bool(m.group("unit")) or not m.group("load").isdigit() or int(m.group("load")) > SETS_EVER_WRITTEN

    def plausible(m: re.Match[str]) -> bool:
        return (sure(m) or int(m.group("load")) > MAX_SETS) and 1 <= int(m.group("reps")) <= LADDER_REPS and (
            m.group("sets") is None or int(m.group("sets")) >= 1) and (
            m.group("hi") is None or int(m.group("reps")) < int(m.group("hi")) <= LADDER_REPS)

    def distance(c: list[re.Match[str]]) -> bool:  # "Run 400x8", "Hill sprints 60x10": metres or seconds
        no_unit = not any(m.group("unit") for m in c)
        return no_unit and _patterns().distance.search(low[:c[0].start()]) is not None

    kept = [c for c in chains if all(plausible(m) for m in c) and any(sure(m) for m in c)]
    return [c for c in kept if not distance(c)], [c for c in kept if distance(c)]


def _ladder(text: str, unit: Unit) -> tuple[str, str | None, str | None, list[str]]:
    """Load x reps sets ("100x5, 110x3, 120x1", "225x5x3") written as one scheme peri reads, as a wave is: the set
    count, the reps from fewest to most, at the heaviest set's load (the set a load check is about). Returns the
    text, the note (the sets as written), how it was read (for the notes) and the loads written with no unit."""
    low = fold(text)
    found = _ladders(low)
    if not found:
        return text, None, None, []
    items = found[0]
    units = [_unit_word(m.group("unit")) for m in items]
    # a load with no unit takes the unit written nearest before it in the list, else after it, else the text's
    for i, u in enumerate(units):
        if u is None:
            units[i] = next((x for x in reversed(units[:i]) if x), None) or next((x for x in units[i:] if x), None)
    bare = [] if any(units) else [", ".join(text[m.start(): m.end()].strip() for m in items)]
    units = [u or unit for u in units]
    loads = [_to_float(m.group("load")) for m in items]
    kgs = [pounds_to_kg(v) if u == "lb" else v for v, u in zip(loads, units)]
    reps = [int(m.group("reps")) for m in items]
    highs = [int(m.group("hi") or m.group("reps")) for m in items]  # "100x5-8": 5 to 8 reps
    sets = [int(m.group("sets") or 1) for m in items]
    top = max(range(len(items)), key=lambda i: kgs[i])
    lo, hi, plus = min(reps), max(highs), any(m.group("plus") for m in items)
    n = sum(sets)
    scheme = f"{n}x{lo}" + (f"-{hi}" if hi != lo else "") + ("+" if plus else "")
    new = f"{scheme} @ {format_number(loads[top])} {units[top]}"
    written = ", ".join(f"{format_number(v)}{' ' + m.group('unit') if m.group('unit') else ''} x {m.group('reps')}"
                        f"{'-' + m.group('hi') if m.group('hi') else ''}{m.group('plus') or ''}"
                        + (f" x {m.group('sets')}" if m.group("sets") else "")
                        for v, m in zip(loads, items))
    note = f"sets {written} (load x reps{' x sets' if any(m.group('sets') for m in items) else ''}; " \
           "checked at the heaviest)"
    said = (f"{written} read as load x reps{' x sets' if any(m.group('sets') for m in items) else ''}: "
            f"{n} set{'s' if n != 1 else ''} of {lo}{'-' + str(hi) if hi != lo else ''}{'+' if plus else ''} "
            f"rep{'s' if hi != 1 or plus else ''}, checked at the heaviest, "
            f"{format_number(loads[top])} {units[top]}")
    return text[: items[0].start()] + new + text[items[-1].end():], note, said, bare


def _lift_words(name: str) -> str:
    """A lift's name as the log's names are read, its abbreviations written out ("RDL" -> "romanian deadlift"), so
    that "RDL" and "Romanian Deadlift" take the same stated max."""
    from ..log.exercise_names import normalize_name

    return normalize_name(name)


def _exercise_key(name: str) -> str | None:
    """The catalog exercise a name means, read as the log's names are (its aliases and abbreviations: "OHP",
    "DL", "RDL"), so that a plan's lift and its stated max agree as the log and the plan do; None when unknown."""
    from ..log.catalog import default_catalog

    entry = default_catalog().match(name).entry
    return entry.id if entry is not None else None


def _unit_word(u: str | None) -> Unit | None:
    if not u:
        return None
    return "kg" if u.startswith("k") else "lb"


def _duration(a: str, b: str | None, minutes: bool) -> str:
    """A set's duration as written, in seconds or minutes: "45 s", "30-45 s", "2 min"."""
    unit = "min" if minutes else "s"
    return f"{a}-{b} {unit}" if b else f"{a} {unit}"


_EFFORT_WORD = {"duration_s": "timed", "distance_m": "distance"}
YARD_M = 0.9144
MIN_EFFORT = 5  # a time under 5 s or a distance under 5 m is no set's (and a lone "m" under it may be minutes)


def _effort(a: str, g: dict[str, object]) -> tuple[str, float] | None:
    """("duration_s", seconds) or ("distance_m", metres) of an amount `a` and its unit's groups `g` (km, yd, mt,
    mins, else seconds); None when too short to be a set's."""
    if ":" in a:  # "1:30" is minutes and seconds whatever unit follows it
        return ("duration_s", _seconds(a, False)) if not (g.get("km") or g.get("yd") or g.get("mt")) else None
    v = _to_float(a)
    if g.get("km") or g.get("yd") or g.get("mt"):
        metres = v * 1000 if g.get("km") else v * YARD_M if g.get("yd") else v
        return ("distance_m", round(metres, 1)) if metres >= MIN_EFFORT else None
    secs = v * 60 if g.get("mins") else v
    return ("duration_s", round(secs)) if secs >= MIN_EFFORT else None


def _effort_written(a: str, b: str | None, field_: str, g: dict[str, object]) -> str:
    """The amount as written, with a short unit: "45 s", "30-45 s", "2 min", "40 m", "5 km", "20 yd"."""
    unit = ("km" if g.get("km") else "yd" if g.get("yd") else "m") if field_ == "distance_m" else (
        "" if ":" in a else "min" if g.get("mins") else "s")
    amount = f"{a}-{b}" if b else a
    return f"{amount} {unit}".strip()


def _efforts_first(low: str, p: _Patterns) -> tuple[tuple[int, int], str, tuple[str, float], str] | None:
    """"400 m x 6" (or a list of them, "400m x 6, 200m x 4", one lift's: the sets added up, checked at the
    longest as a ladder is at its heaviest): (span, sets, (field, amount), written)."""
    items = []
    for m in p.effort_first.finditer(low):
        if items and not _LADDER_SEP.fullmatch(low[items[-1].end(): m.start()]):
            break
        items.append(m)
    efforts = [_effort(m.group("a"), m.groupdict()) for m in items]
    if not items or any(e is None for e in efforts) or len({e[0] for e in efforts if e}) != 1:
        return None
    sets = sum(int(m.group("sets")) for m in items)
    if len(items) == 1:
        m, e = items[0], efforts[0]
        return m.span(), m.group("sets"), e, _effort_written(m.group("a"), None, e[0], m.groupdict())  # type: ignore
    top = max(range(len(items)), key=lambda i: efforts[i][1])  # type: ignore[index]
    written = ", ".join(f"{_effort_written(m.group('a'), None, efforts[0][0], m.groupdict())} x {m.group('sets')}"  # type: ignore
                        for m in items)
    return (items[0].start(), items[-1].end()), str(sets), efforts[top], written  # type: ignore[return-value]


def _effort_alone(text: str, low: str, p: _Patterns, name: str | None) -> tuple[tuple[int, int], tuple[str, float], str] | None:
    """"Row 5 min", "Bike 20'", "Run 5 km" (a name, then one time or distance, a few words at most after it):
    (span, (field, amount), written). A rest ("Rest 2 min", "2 min rest") is none."""
    rests = [m.span() for key, pat in p.tokens if key == "rest" for m in pat.finditer(low)]
    for m in p.effort_alone.finditer(low):
        if any(s < m.end() and m.start() < e for s, e in rests):
            continue
        head = name if name is not None else _name(text[: m.start()])
        tail = _clean(text[m.end():])
        if not head or len(head.split()) > 6 or len(re.findall(r"[^\W\d_]+", tail)) > 4 or p.skip.search(fold(head)):
            return None
        effort = _effort(m.group("a"), m.groupdict())
        if effort is None:
            return None
        return m.span(), effort, _effort_written(m.group("a"), None, effort[0], m.groupdict())
    return None


def _read_spec(text: str, p: _Patterns, unit: Unit, name: str | None = None) -> tuple[str, _Read] | None:
    """The name and fields of one exercise written in `text`; None when no set/rep scheme is there.

    `name` given (a table row): the whole text is the prescription."""
    text = _digits(text, p)
    rounding = p.rounding.search(fold(text))
    round_to = _rounding(rounding, unit, text) if rounding is not None else None
    if round_to is not None and rounding is not None:  # "(round to 2.5 kg)": how a load is rounded, never a load
        text = text[: rounding.start()] + " " + text[rounding.end():]
    # "Dead hang 3 x :45", "Plank 3 x 1:30": a time after the count, in seconds
    text = re.sub(r"(?<=[x×])(\s*)(\d{1,2})?:(\d{2})(?!\d)",
                  lambda m: f"{m.group(1)}{int(m.group(2) or 0) * 60 + int(m.group(3))} s", text)
    text, wave = _waves(text, p)
    text, ladder, ladder_said, ladder_bare = _ladder(text, unit) if wave is None else (text, None, None, [])
    intervals = _intervals(fold(text)) if wave is None and ladder is None else []
    if intervals:  # "Sprints: 100x6, 200x4": repeats of a distance or a time with no unit, never a load x reps
        items = intervals[0]
        written = ", ".join(re.sub(r"\s+", "", text[m.start(): m.end()]) for m in items)
        head = name if name is not None else _name(text[: items[0].start()])
        return head, _Read(problem=f"distance or interval work with no unit, metres or seconds, not load x reps: "
                                   f"{written}")
    single, elided = None, None
    if wave is None and ladder is None and _find_scheme(fold(text), p) is None and not p.hold.search(fold(text)):
        single = _SINGLE.search(fold(text))
        if single is not None:  # "Squat 5 @ 80% TM": one set of 5, read as "1 x 5 @ 80% TM"
            text = text[: single.start()] + "1 x " + text[single.start():]
        else:
            elided = _elided_count(text, p, name)
            if elided is not None:  # "Deadlift x5+ @ 140 kg", "Pull-ups AMRAP": one set
                text, elided_said = elided
    sets_range = p.sets_range.search(fold(text))
    if sets_range is not None:  # "3-4 sets x 8": a range of sets is read at its lower end, the range noted
        text = text[: sets_range.start()] + sets_range.group("a") + text[sets_range.end():]
    low = fold(text)
    r = _Read(round_to=round_to)
    if wave:
        r.note.append(wave)
    if ladder:
        r.note.append(ladder)
        r.said.append(ladder_said or "")
        r.bare.extend(ladder_bare)
    if sets_range is not None:
        r.note.append(f"{sets_range.group('a')}-{sets_range.group('b')} sets")
    if single is not None:
        r.said.append(f"{single.group('reps')} reps at a load or an effort, no set count written: read as 1 set")
    if elided is not None and elided_said:
        r.said.append(elided_said)
    m = _find_scheme(low, p)
    first = _efforts_first(low, p) if m is None else None  # "Dead hang 45 s x 3": the count after it
    hold = p.hold.search(low) if m is None and first is None else None
    if hold is not None and not (p.reps_label.search(low) or p.reps_alone.search(low)):
        # "Plank: hold 45 sec", "3 sets: 30 s hold": timed sets, one when no count is written ("sets: 30" is the hold's)
        sets_m = next((x for x in (p.sets_label.search(low), p.sets_alone.search(low))
                       if x is not None and not (x.start() < hold.end() and hold.start() < x.end())), None)
        a, b = hold.group("a") or hold.group("a2"), hold.group("b") or hold.group("b2")
        dur = _duration(a, b, bool(hold.group("mins") or hold.group("mins2")))
        start = hold.start()
        if hold.group("a") and re.search(r"[^\W\d_]\s+$", low[:start]):
            start = hold.start("a")  # "Dead hang 30 s", "Plank hold 45 s": the word is the name's; "Plank: hold" not
        span = (min(start, sets_m.start()) if sets_m else start, max(hold.end(), sets_m.end()) if sets_m else hold.end())
        sets, lo, hi, plus, amrap = (sets_m.group("sets") if sets_m else "1"), "1", None, None, None
        r.fields["duration_s"] = int(a) * (60 if hold.group("mins") or hold.group("mins2") else 1)
        r.note.append(f"timed: {dur} a set")
        r.said.append(f"read as {sets} timed set{'s' if sets != '1' else ''} of {dur} (a hold counted as 1 rep)"
                      + ("" if sets_m else "; no set count written: read as 1 set"))
    elif first is not None:
        # "400 m x 6", "Run 400m x 8, 200m x 4", "30 s x 3": the amount, then the set count
        span, sets, effort, written = first
        lo, hi, plus, amrap = "1", None, None, None
        r.fields[effort[0]] = effort[1]
        word = _EFFORT_WORD[effort[0]]
        if "," in written:  # a list: "400 m x 6, 200 m x 4"
            r.note.append(f"sets {written}")
            r.said.append(f"{written} read as {sets} {word} sets, the longest kept (counted as 1 rep, no lifting "
                          "volume)")
        else:
            r.note.append(f"{word}: {written} a set")
            r.said.append(f"read as {sets} {word} set{'s' if sets != '1' else ''} of {written} (counted as 1 rep, "
                          "no lifting volume)")
    elif m is None:
        # "Sets: 4 ... Reps: 6-8" (labels, as a chatbot lists them) before "4 sets ... 8 reps"
        sets_m = p.sets_label.search(low) or p.sets_alone.search(low)
        reps_m = p.reps_label.search(low)
        if reps_m is None and sets_m is not None:  # "swings x 20, 3 rounds"
            reps_m = p.reps_x.search(low)
        if reps_m is None:
            reps_m = next((m for m in p.reps_alone.finditer(low)
                           if sets_m is None or m.start() >= sets_m.end() or m.end() <= sets_m.start()), None)
        if sets_m and reps_m:
            span = (min(sets_m.start(), reps_m.start()), max(sets_m.end(), reps_m.end()))
            sets, lo, hi, plus, amrap = sets_m.group("sets"), reps_m.group("lo"), reps_m.group("hi"), reps_m.group("plus"), None
        elif name is not None and reps_m:
            return name, _Read(problem="no set count written")
        elif name is None and (sets_m or reps_m):
            what = "no rep count" if sets_m else "no set count"
            head = _name(text[: (sets_m or reps_m).start()])  # type: ignore[union-attr]
            return (head or _name(text)), _Read(problem=f"{what} written")
        elif (alone := _effort_alone(text, low, p, name)) is not None:
            # "Row 5 min", "Bike 20'", "Run 5 km": one set of a time or a distance
            span, effort, written = alone
            sets, lo, hi, plus, amrap = "1", "1", None, None, None
            r.fields[effort[0]] = effort[1]
            r.note.append(f"{_EFFORT_WORD[effort[0]]}: {written}")
            r.said.append(f"read as 1 {_EFFORT_WORD[effort[0]]} set of {written} (no set count written; "
                          "no lifting volume)")
        else:
            return None
    else:
        span = m.span()
        g = m.groupdict()
        sets, lo, hi, plus, amrap = g.get("sets"), g.get("lo"), g.get("hi"), g.get("plus"), g.get("amrap")
        if lo and hi and int(hi) < int(lo) and m.start("lo") >= m.start():
            # "3×10 — 2 min rest": a dash between the reps and what follows, no range (ranges rise)
            span, hi, plus = (m.start(), m.end("lo")), None, None
        if g.get("list"):  # a pyramid: the range of its reps, the reps themselves in the note
            counts = [int(x) for x in re.findall(r"\d+", g["list"])]
            sets = sets or str(len(counts))
            lo, hi = str(min(counts)), str(max(counts))
            r.note.append("reps " + "/".join(map(str, counts)))
    masked = low[: span[0]] + " " * (span[1] - span[0]) + low[span[1]:]
    # the name: the words before the scheme, else the words after it up to the first token or separator
    before = text[: span[0]]
    from_before = name is None and bool(before.strip()) and bool(_name(before))
    if name is None:
        name = _name(re.split(r"\s[-–—]\s*$", before)[0]) if before.strip() else ""
    label = p.superset.match(fold(name))
    if label and name[label.end():].strip():  # "Superset A: Bench 3x10": the label is the note, the lift the name
        r.note.append(name[: label.end()].strip(" :.)–-"))
        name = name[label.end():].strip()
    unit_after = (p.dist_unit.match(low[span[1]:]) or p.timed.match(low[span[1]:])) if lo and m is not None else None
    if unit_after is not None:
        # "Plank 3 x 45 s", "3 sets of 30 seconds", "2 x 1 min", "Farmer carry 3 x 40 m": timed or distance sets,
        # one rep a set with its time or distance
        g = {**unit_after.groupdict(), "mins": p.timed_unit.match(low[span[1]:]) and not unit_after.groupdict().get("mt")}
        effort = _effort(lo, g)
        if effort is None:
            after = _name(re.split(r"[(,;|@]", text[span[1]:])[0]) if not name else name
            r.problem = ("a time under 5 s or a distance under 5 m (timed sets or distances too short to be a "
                         "set's), not reps")
            return after or name, r
        written = _effort_written(lo, hi, effort[0], g)
        span = (span[0], span[1] + unit_after.end())
        lo, hi, plus = "1", None, None
        r.fields[effort[0]] = effort[1]
        r.note.append(f"{_EFFORT_WORD[effort[0]]}: {written} a set")
        hold = " (a hold counted as 1 rep)" if effort[0] == "duration_s" else " (counted as 1 rep, no lifting volume)"
        r.said.append(f"read as {sets} {_EFFORT_WORD[effort[0]]} sets of {written}{hold}")
    if amrap:
        # "Pull-ups 3 x AMRAP": as many reps as possible with no number: at least one rep each set
        lo, hi = "1", None
        r.note.append("AMRAP: as many reps as possible")
        r.said.append(f"read as {sets} set{'s' if sets != '1' else ''} of at least 1 rep (AMRAP, no rep count written"
                      + ("; no set count written either)" if elided is not None else ")"))
    r.fields.update(sets=int(sets), reps_low=int(lo), reps_high=int(hi or lo))
    if plus and ladder is None:  # a ladder's note and reading already write its "5+"; a wave's note does
        if wave is None:
            r.note.append(f"{lo}+ (as many as you can)")
        r.said.append(f"{lo}+ read as at least {lo} rep{'s' if lo != '1' else ''} (AMRAP)")
    # tokens anywhere on the line outside the name; each read once (the first)
    spans: list[tuple[int, int]] = [span]
    for key, pat in p.tokens:
        for tm in pat.finditer(masked):
            if any(tm.start() < e and s < tm.end() for s, e in spans):
                continue
            if name and tm.end() <= span[0] and key in ("rest", "rir", "bare"):
                continue  # a number in the name ("90/90 stretch") is not a rest or a load
            field_ = {"kg": "load_kg", "lb": "load_kg", "bare": "load_kg", "pct": "pct_e1rm", "rpe": "rpe",
                      "rir": "rir", "rest": "rest_s", "bw": "bw"}[key]
            v = tm.groupdict().get("v")
            if key == "bare" and v is not None and 5 <= _to_float(v) <= 10 and "rpe" not in r.fields:
                field_ = "rpe"
            if field_ in r.fields:
                continue
            spans.append(tm.span())
            whole = text[tm.start(): tm.end()].strip()
            if key == "bw":
                continue
            if key == "rest":
                a, b = tm.group("a"), tm.group("b")
                mins = bool(tm.group("mins")) or (":" not in a and not tm.group("secs") and _rest_in_minutes(a))
                r.fields["rest_s"] = _seconds(a, mins)
                if b:
                    r.note.append(whole)
                continue
            val, v2 = _to_float(v or "0"), tm.groupdict().get("v2")
            if v2:
                r.note.append(whole)
            if field_ == "rpe":
                r.fields["rpe"] = val
            elif field_ == "rir":
                r.fields["rir"] = int(val)
            elif field_ == "pct_e1rm":
                r.pct = val
                r.pct_of = "tm" if p.tm.search(fold(whole)) else "1rm" if re.search(r"rm|max", fold(whole)) else None
                if r.pct_of == "tm":  # "70% TM": of a training max, which 5/3/1 sets at 90% of the 1RM
                    tm = val
                    val = round(val * TM_SHARE, 1)
                    r.tm_rule = (f"{format_number(tm)}% of a training max = {format_number(val)}% of e1RM",
                                 f"{whole} read as {format_number(val)}% of your e1RM (a training max taken as "
                                 f"{TM_SHARE:.0%} of the 1RM, 5/3/1's rule)")
                    r.note.append(r.tm_rule[0])
                    r.said.append(r.tm_rule[1])
                r.fields["pct_e1rm"] = val
            elif key == "lb" or (key == "bare" and unit == "lb"):
                r.fields["load_kg"] = pounds_to_kg(val)
            else:
                r.fields["load_kg"] = val
            if key == "bare":
                r.bare.append(whole)
    if from_before and any(s < span[0] for s, _ in spans[1:]):  # "Squat @ 100 kg: 3x5": the load is no name
        blanked = "".join(" " if any(s <= i < e for s, e in spans[1:]) else c for i, c in enumerate(before))
        cleaned = _name(re.split(r"\s[-–—]\s*$", blanked)[0])
        label = p.superset.match(fold(cleaned))
        name = cleaned[label.end():].strip() if label and cleaned[label.end():].strip() else cleaned
    if not name:  # "3 x 10 Leg Press": the words after the scheme
        after = text[span[1]:]
        cut = len(after)
        for s, e in spans:
            if s >= span[1]:
                cut = min(cut, s - span[1])
        piece = re.split(r"[(,;|@]|\s[-–—]\s", after[:cut])[0]
        name = _name(piece)
        if name:
            spans.append((span[1], span[1] + after.find(piece) + len(piece)))
    # what is left after the name: per side, AMRAP, failure, tempo, cues - kept as the note
    rest_text = "".join(" " if any(s <= i < e for s, e in spans) else c for i, c in enumerate(text))
    rest_text = rest_text[len(before):] if from_before else rest_text
    left = _clean(rest_text)
    left = re.sub(r"\s+", " ", re.sub(r"^[\s:;,.|·–—=)(-]+|[\s:;,.|·–—=(-]+$", "", left)).strip()
    if left.startswith("(") and left.endswith(")"):
        left = left[1:-1].strip()
    if left.count(")") > left.count("("):
        left = left.replace(")", "", left.count(")") - left.count("("))
    if left and not p.filler.match(fold(left)):
        r.note.append(left)
    elif p.per_side.search(fold(left or "")):
        r.note.append(left)
    return name, r


_ELIDED_X = re.compile(r"(?:^|(?<=[^\W\d_])\s+|(?<=[:(]))\s*(?P<x>[x×])\s*(?P<reps>\d{1,2}\+?)(?![\d.,])"
                       r"(?!\s*(?:kgs?|kilos?|lbs?|pounds?|%|[x×]))")


def _elided_count(text: str, p: _Patterns, name: str | None) -> tuple[str, str] | None:
    """One set written with no set count, the text with the count put in and how it was read: "Deadlift x5+ @ 140
    kg": the reps after an x with no number before it) and "Pull-ups AMRAP", "Push-ups to failure", "Bench AMRAP @
    70%" (an AMRAP word), each after a lift the catalog knows: "Never train to failure" is advice and "Repeat the
    circuit x3" an instruction, not a set."""
    low = fold(text)
    if p.sets_alone.search(low) or p.sets_label.search(low):
        return None  # "swings x 20, 3 rounds": the count is written elsewhere on the line
    x = _ELIDED_X.search(low)
    # "Run 400m x 6", "100 kg x 5", "Plank 1 Minuten x 1", "Bike 20' x 3": an amount with its unit before the x is
    # the set's own, the count after it
    # ... and a lift the catalog knows: "Repeat the circuit x3" is no set
    lift = (name or _name(text[: x.start()])) if x is not None else ""
    if x is not None and lift and _exercise_key(lift) is not None and not re.search(
            r"\d\s*(?:[^\W\d_]+\.?|['\"])?\s*$", low[: x.start()]):
        at = x.start("x")
        return (text[:at] + "1" + text[at:],
                f"x{x.group('reps')} with no set count written: read as 1 set")
    a = p.amrap_alone.search(low)
    if a is None or re.search(r"\d\s*[x×]?\s*$", low[: a.start()]):
        return None
    lift = name if name is not None else _name(text[: a.start()])
    if not lift or len(lift.split()) > 5 or _exercise_key(lift) is None:
        return None
    return text[: a.start()] + " 1 x AMRAP " + text[a.end():], ""  # the AMRAP reading says it (`_read_spec`)


def _rest_in_minutes(a: str) -> bool:
    """`rest 2` with no unit: minutes when small (nobody rests 2 seconds between sets), seconds otherwise."""
    return int(a) <= 10


def _prescription(name: str, r: _Read) -> Prescription | str:
    """The prescription, or why the line cannot be one."""
    if r.problem:
        return r.problem
    if not name:
        return "no exercise name before or after the sets and reps"
    note = "; ".join(dict.fromkeys(r.note))[:NOTE_CHARS] or None
    try:
        return Prescription(exercise=name[:200], note=note, **r.fields)  # type: ignore[arg-type]
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        return f"{where.replace('_', ' ')}: {first['msg'].removeprefix('Value error, ')}".strip(": ")


# --- the text -------------------------------------------------------------------------------------

@dataclass
class _Day:
    name: str
    line: int
    heading: tuple[str, int]  # the markup that opened it: ("#", 2), ("bold", 0), ("colon", 0), ("plain", 0)
    marked: bool  # named by a day marker (weekday, "Day 2", "Workout A", a split): a day even when empty
    exercises: list[Prescription] = field(default_factory=list)


@dataclass
class _Block:
    line: int
    name: str
    text: str
    indent: int
    details: list[str] = field(default_factory=list)
    last: int = 0


def _could_be_name(body: str) -> bool:
    """A list item that may be an exercise named alone ("1. Bench Press"), its sets and reps below it."""
    words = body.split()
    return 0 < len(words) <= 6 and not body.rstrip().endswith((".", "!", "?", ":")) and not re.search(r"\d", body)


class _Reader:
    def __init__(self, text: str, unit: Unit) -> None:
        self.p = _patterns()
        self.lines = text.splitlines()
        low = fold(text)
        kg, lb = len(self.p.unit_kg.findall(low)), len(self.p.unit_lb.findall(low))
        # a load with no unit is read in the unit the text writes its other loads in, else the athlete's
        self.unit: Unit = "lb" if lb > kg else "kg" if kg > lb else unit
        self.unit_why = "the unit the plan writes its other loads in" if kg != lb else "your unit"
        self.days: list[_Day] = []
        self.pending: _Day | None = None
        self.skip: str | None = None  # the heading of a section holding no strength work
        self.notes: list[str] = []
        self.unread: list[tuple[int, str]] = []  # lines read as nothing (for the error when nothing was read)
        self.scenario: tuple[Scenario, str] | None = None
        self.table: dict[int, tuple[str, str | None]] | None = None  # column -> (field, unit)
        self.stopped = False
        self.week_numbers: list[int] | None = None  # the numbers of the week being read ("Weeks 1-3": 1, 2, 3)
        self.week_label: str | None = None
        self.week_line = 1
        self.week_scenario: Scenario | None = None
        # the weeks read before the one being read: (label, numbers, line, days, scenario)
        self.weeks: list[tuple[str, list[int], int, list[_Day], Scenario | None]] = []
        self.last: tuple[int, int] | None = None  # (day, exercise) read last: its detail lines may follow
        self.last_indent = 0
        self.last_line = 0
        self.block: _Block | None = None  # an exercise named on its own line, its sets and reps on the lines below
        self.orphan: tuple[int, str] | None = None  # the last plain line read as nothing that may name a lift
        self.set_run: tuple[int, str] | None = None  # the last "Set 2: ..." line read, and its lift
        self.maxes = stated_maxes(self.lines, self.p.tm, self.unit, fold)  # "Training max: Squat 140 kg, ..."
        self.maxes += stated_maxes(self.lines, self.p.rm, self.unit, fold, kind="1rm", unless=self.p.tm)  # "1RM: ..."
        # "Round every load to the nearest 2.5 kg" on a line of its own: the loads worked out from stated maxes
        self.rounding: tuple[int, Rounding] | None = None
        for i, line in enumerate(self.lines, 1):
            found = self.p.rounding.search(fold(line))
            step = _rounding(found, self.unit, line) if found is not None else None
            rest = fold(line[: found.start()] + line[found.end():]) if found is not None else ""
            if step is not None and _find_scheme(rest, self.p) is None and "%" not in rest and not _ladders(rest):
                self.rounding = (i, step)
                break
        self.max_lines = {m.line for m in self.maxes} | ({self.rounding[0]} if self.rounding else set())
        self.max_heads = {m.line: m.name for m in self.maxes if m.alone}
        self.cited: set[int] = set()  # the lines of stated maxes a note has quoted  # "Squat (TM 140 kg)" over its weeks

    # notes
    def note(self, lineno: int, text: str) -> None:
        self.notes.append(f"line {lineno}: {text}")

    def skipped(self, lineno: int, line: str, why: str) -> None:
        self.note(lineno, f"{why}: {_shorten(line)!r}")

    # days
    @property
    def day(self) -> _Day | None:
        return self.days[-1] if self.days else None

    def of_stated_max(self, name: str, r: _Read) -> None:
        """A percentage of a lift whose training max (or 1RM) the text states becomes that share of it, in
        kilograms (`plans.training_max`): "% TM" and a bare "%" of its TM; "% 1RM", and a bare "%" of a lift with no
        TM stated, of its 1RM; "% TM" of a lift with only its 1RM stated, of 90% of it. Else the percentage stays."""
        if not self.maxes or r.pct is None or "load_kg" in r.fields:
            return
        tms = [m for m in self.maxes if m.kind == "tm"]
        rms = [m for m in self.maxes if m.kind == "1rm"]
        tm = find_max(tms, name, _lift_words, _exercise_key) if tms and r.pct_of != "1rm" else None
        rm = find_max(rms, name, _lift_words, _exercise_key) if rms and tm is None else None
        m = tm or rm
        if m is None:
            return
        share = TM_SHARE if m.kind == "1rm" and r.pct_of == "tm" else 1.0  # "70% TM" of a stated 1RM
        exact = m.kg * share * r.pct / 100
        rounding = r.round_to or (self.rounding[1] if self.rounding is not None else None)
        kg = rounding.apply(exact) if rounding is not None else round(exact * 2) / 2
        r.fields.pop("pct_e1rm", None)
        r.fields["load_kg"] = kg
        if r.tm_rule is not None:
            r.note = [n for n in r.note if n != r.tm_rule[0]]
            r.said = [x for x in r.said if x != r.tm_rule[1]]
        shown = load_text(kg, self.unit)
        of = ("the training max" if m.kind == "tm" else
              f"a training max of {TM_SHARE:.0%} of the 1RM" if share != 1.0 else "the 1RM")
        basis = " TM" if r.pct_of == "tm" else " 1RM" if r.pct_of == "1rm" else ""
        r.note.append(f"{format_number(r.pct)}% of {of}")
        r.said.append(f"{format_number(r.pct)}%{basis} read as {shown}: {format_number(r.pct)}% of "
                      f"{of if share == 1.0 else 'a training max taken as ' + format(TM_SHARE, '.0%') + ' of the 1RM'} "
                      f"stated on line {m.line}" + (f" ({m.written!r})" if m.line not in self.cited else ""))
        self.cited.add(m.line)  # the statement's words once: its line number after that
        if rounding is not None:
            where = "" if r.round_to is not None else f" (line {self.rounding[0]})" if self.rounding else ""
            in_unit = exact if rounding.unit == "kg" else exact / LB_TO_KG
            of_what = m.value if share == 1.0 else f"{TM_SHARE:.0%} of {m.value}"
            r.said.append(f"{format_number(r.pct)}% of {of_what} is {format_number(round(in_unit, 2))} "
                          f"{rounding.unit}, rounded {'to the nearest' if rounding.how == 'nearest' else rounding.how + ' to'} "
                          f"{format_number(rounding.step)} {rounding.unit}{where}: {shown}")

    def add(self, lineno: int, line: str, name: str, r: _Read) -> None:
        self.of_stated_max(name, r)
        pres = _prescription(name, r)
        if isinstance(pres, str):
            self.skipped(lineno, line, f"not in the checked plan ({pres})")
            return
        if self.pending is not None:
            if len(self.days) == MAX_DAYS:
                self.stop(lineno, f"a plan has at most {MAX_DAYS} days")
                return
            self.days.append(self.pending)
            self.pending = None
        if not self.days:
            self.days.append(_Day("Day 1", lineno, ("none", 0), False))
            self.note(lineno, "no day heading above the first exercise: the exercises up to the next heading "
                              "are read as one day, 'Day 1'")
        self.days[-1].exercises.append(pres)
        self.last = (len(self.days) - 1, len(self.days[-1].exercises) - 1)
        if r.bare:
            self.note(lineno, f"{', '.join(r.bare)} has no unit: read in {self.unit} ({self.unit_why})")
        for said in r.said:
            self.note(lineno, f"{pres.exercise}: {said}")

    def stop(self, lineno: int, why: str) -> None:
        last = len(self.lines)
        self.note(lineno, f"lines {lineno}-{last} not read: {why}; peri read the weeks above")
        self.stopped = True

    def heading(self, lineno: int, kind: str, level: int, text: str) -> None:
        name = _name(text) or text.strip()
        first = re.search(r"[^\W_]|\(", name)
        name = name[first.start():] if first else name  # an emoji or a symbol before the words is no name
        low = _lead(fold(name))
        week = self.p.week.match(low)
        rest = low
        if week:  # "Week 2 – Day 1", "Weeks 1-3: Upper", "Week One – Day 1": the words after the week's numbers
            numbers = self.p.week_numbers.match(low)
            rest = re.sub(r"^[\s\-–—:,|/.)]*", "", low[numbers.end() if numbers else week.end():])
        marker = self._marked(rest)
        if week:
            if not self._week(lineno, name, low):
                return
            if not marker:
                if not self.days and not self.weeks:
                    self._scenario(low, name, lineno)
                self.skip = None
                return
        # "**Squat**" / "Bench Press:" over "Week 1: 5x65%, ...": a lift's name, for the week lines below it
        self.orphan = (lineno, name) if not marker and not self._split_label(low) and _could_be_name(name) else None
        if not marker and self.p.skip.search(low):
            self.skip = name
            self._close_pending()
            return
        if not self.days and not self.weeks and self.pending is None and not marker:
            self._scenario(low, name, lineno)
        marker = marker or self._split_label(low)
        open_day = self.day if self.pending is None else self.pending
        if not marker and open_day is not None:
            same = (kind, level) == open_day.heading
            shallower = kind == "#" and open_day.heading[0] == "#" and level < open_day.heading[1]
            if not (same or shallower):
                self.skip = None
                return  # "### Accessories" under "## Day 1", "**Main lifts:**": a part of the day
        self.skip = None
        self._close_pending()
        self.pending = _Day(name[:120], lineno, (kind, level), marker)

    def _week(self, lineno: int, name: str, low: str) -> bool:
        """A week heading ("Week 2", "Weeks 1-3", "Week 4 – Deload", "Week 2 – Day 1"): the week read so far is
        kept and another begins, when its numbers differ. False when no more weeks are read."""
        m = self.p.week_numbers.match(low)
        if m is None:
            return True
        a = int(_WEEK_NUMBERS.get(m.group("a"), m.group("a")))
        if m.group("b"):
            numbers = list(range(a, max(a, int(_WEEK_NUMBERS.get(m.group("b"), m.group("b")))) + 1))[:MAX_WEEKS]
        else:
            numbers = [a] + [int(x) for x in re.findall(r"\d+", m.group("more") or "")]
        if numbers == self.week_numbers:
            return True  # "Week 1 – Day 2" under "Week 1 – Day 1": the same week
        if self.days or self.pending is not None:
            self._end_week()
            if len(self.weeks) >= MAX_WEEKS:
                self.stop(lineno, f"peri reads at most {MAX_WEEKS} weeks of a programme")
                return False
        elif self.weeks == [] and self.week_numbers is None and self.scenario is not None:
            self.week_scenario = self.scenario  # a title's "Deload" above the first week heading is that week's
        self.week_numbers, self.week_label, self.week_line = numbers, name[:120], lineno
        if self.weeks or self.week_scenario is None:
            self.week_scenario = next((Scenario(v) for v, pat in self.p.scenario.items() if pat.search(low)), None)
        return True

    def _end_week(self) -> None:
        """The days read so far are one week (a heading with no exercises under it says so)."""
        self._close_pending()
        days = [d for d in self.days if d.exercises]
        label = self.week_label or "Week 1"
        if days:
            self.weeks.append((label, self.week_numbers or [1], self.week_line, days, self.week_scenario))
        elif self.week_label is not None:
            self.note(self.week_line, f"{label!r} has no exercise with sets and reps under it: left out")
        self.days, self.pending, self.last, self.block = [], None, None, None
        self.week_label, self.week_numbers, self.week_scenario = None, None, None

    def _marked(self, low: str) -> bool:
        """Named as a day: "Day 2 ...", "Workout A", a weekday (a short heading holding one)."""
        low = _lead(low)
        return bool(self.p.day_marker.match(low)) or bool(self.p.weekday.search(low) and len(low) <= 40)

    def _close_pending(self) -> None:
        d, self.pending = self.pending, None
        if d is not None and d.marked:
            if self.p.rest_day.search(fold(d.name)):
                self.note(d.line, f"{d.name!r} has no exercises: a rest day, left out")
            else:
                self.note(d.line, f"day {d.name!r} has no exercises under it: left out")

    def _split_label(self, low: str) -> bool:
        words = re.findall(r"[a-z]+", re.sub(r"\([^)]*\)", " ", low))
        return bool(words) and len(words) <= 6 and all(w in self.p.split_word for w in words) and not all(
            len(w) == 1 for w in words)

    def _scenario(self, low: str, name: str, lineno: int) -> None:
        for value, pat in self.p.scenario.items():
            if self.scenario is None and pat.search(low):
                self.scenario = (Scenario(value), f"line {lineno}: scenario {value} (from {name!r})")

    # lines
    def run(self) -> None:
        for lineno, raw in enumerate(self.lines, start=1):
            if self.stopped:
                break
            line = raw.strip().lstrip(">").strip()
            if not line or line.startswith("```") or _RULE.match(line):
                self.table = None if not line else self.table
                continue
            if len(line) > MAX_LINE:
                self.flush()
                self.note(lineno, f"a line of {len(line):,} characters: not read")
                continue
            indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
            if lineno in self.max_lines:
                stated = ", ".join(f"{m.name} {m.value}" for m in self.maxes if m.line == lineno)
                what = "training max" if any(m.kind == "tm" for m in self.maxes if m.line == lineno) else "1RM"
                if stated:
                    self.note(lineno, f"{what}{'es' if ',' in stated and what != '1RM' else 's' if ',' in stated else ''} "
                                      f"stated: {stated}")
                if self.rounding is not None and self.rounding[0] == lineno:
                    step = self.rounding[1]
                    self.note(lineno, f"loads worked out from a stated training max or 1RM are rounded "
                                      f"{'to the nearest' if step.how == 'nearest' else step.how + ' to'} "
                                      f"{format_number(step.step)} {step.unit}")
                    if not stated:
                        continue  # a line saying only how to round: no heading, no exercise
            if "|" in line and (line.startswith("|") or line.count("|") >= 2):
                self.flush()
                self.row(lineno, line, [_clean(c) for c in line.strip().strip("|").split("|")])
                continue
            if raw.count("\t") >= 1 and len([c for c in raw.split("\t") if c.strip()]) >= 2:
                self.flush()  # a table pasted from a spreadsheet: tab-separated cells
                self.row(lineno, line, [_clean(c) for c in raw.strip().split("\t")])
                continue
            self.table = None
            if self.detail(lineno, line, indent):
                continue
            self.flush()
            self.line(lineno, line, indent)
        self.flush()
        self._close_pending()

    def detail(self, lineno: int, line: str, indent: int) -> bool:
        """A line that says more about the exercise above it (indented under it, or a "Sets: 4" / "Rest: 90 s"
        label line under a name on its own line): folded into it. True when used."""
        body = _strip_bullet(_clean(line))[0]
        low = fold(body)
        labelled = bool(self.p.label.match(low))
        if self.block is not None:
            if indent > self.block.indent or labelled:
                self.block.details.append(body)
                self.block.last = lineno
                return True
            return False
        if self.last is None or self.skip is not None or _find_scheme(low, self.p) is not None:
            return False
        if not (indent > self.last_indent or labelled) or self.last_line != lineno - 1:
            return False
        day, i = self.last
        old = self.days[day].exercises[i]
        got = _read_spec("1x1 " + body, self.p, self.unit, name="-")
        if got is None:
            return False
        r = got[1]
        fields = {k: v for k, v in r.fields.items() if k not in ("sets", "reps_low", "reps_high")
                  and getattr(old, k) is None}
        note = "; ".join(x for x in [old.note, *r.note] if x)[:NOTE_CHARS] or None
        try:
            self.days[day].exercises[i] = old.model_copy(update={**fields, "note": note})
        except ValidationError:
            return False
        self.last_line = lineno
        return True

    def flush(self) -> None:
        """An exercise named on its own line is read with the detail lines that followed it."""
        b, self.block = self.block, None
        if b is None:
            return
        got = _read_spec("  ".join(b.details), self.p, self.unit, name=b.name) if b.details else None
        if got is not None:
            self.add(b.line, b.text, *got)
            self.last_line = b.last
            return
        self.unread.append((b.line, b.text))
        if b.details or _looks_like_exercise(b.text, True, self.p):
            self.skipped(b.line, b.text, "not read as an exercise (no sets and reps)")

    def line(self, lineno: int, line: str, indent: int = 0) -> None:
        h = _HEADING.match(line)
        if h:
            self.heading(lineno, "#", len(h.group(1)), h.group(2))
            return
        b = _BOLD_LINE.match(line)
        if b and _find_scheme(fold(b.group("t")), self.p) is None:
            self.heading(lineno, "bold", 0, b.group("t"))
            return
        body, bulleted = _strip_bullet(_clean(line))
        body = _digits(body, self.p)
        low = _lead(fold(body))
        scheme = _find_scheme(low, self.p)
        week = self.p.week_numbers.match(low)
        if week is not None and not bulleted:
            # "Week 1: 5x65%, 5x75%, 5+x85%" under a lift named on the line above (a forum's layout): the week
            # starts here, and the rest of the line is that lift's week
            cut = len(fold(body)) - len(low) + week.end()
            rest = re.sub(r"^[\s:)\].,–—-]+", "", body[cut:])
            got = _read_spec(rest, self.p, self.unit) if rest else None
            if got is not None:
                self.heading(lineno, "plain", 0, body[:cut])
                name, r = got
                if not name and self.orphan is not None:
                    name = self.orphan[1]
                    self.note(lineno, f"read as {name!r} (named on line {self.orphan[0]})")
                self.add(lineno, body, name, r)
                self.last_line, self.last_indent = lineno, indent
                return
        one = self.p.set_line.match(low)
        if one is not None and self.skip is None and self._set_line(
                lineno, body[len(fold(body)) - len(low) + one.end():]):
            return
        inline = re.match(r"^(?P<head>[^:]{1,60}):\s*(?P<rest>.+)$", body)
        # "Day 1 - Squat: 65% x 5, 75% x 5, 85% x 5+": a day whose line carries its main lift's sets (5/3/1 write-ups)
        day_lift = self._day_lift(inline) if inline and not bulleted else None
        if day_lift is None and scheme is None and len(body) <= 60 and (self._marked(low) or self.p.week.match(low)):
            self.heading(lineno, "plain", 0, body)  # "Monday", "Day 2 - Pull", "1. Tuesday", "Week 1"
            return
        if not bulleted and scheme is None:
            if body.endswith(":") and len(body) <= 80:
                self.heading(lineno, "colon", 0, body)
                return
            if len(body) <= 60 and self._split_label(low):
                self.heading(lineno, "plain", 0, body)
                return
        if inline and not bulleted and self.p.skip.search(fold(inline.group("head"))) and not self._marked(low):
            if _looks_like_exercise(body, False, self.p):
                self.skipped(lineno, body, f"skipped ({inline.group('head').strip()})")  # "Warm-up: 2x10 band pulls"
            return
        if day_lift is not None and inline is not None:
            self.heading(lineno, "plain", 0, day_lift[0])
            body = inline.group("rest")
        elif not bulleted and scheme is not None:
            if inline and scheme.start() > inline.end("head") and self._is_day_head(inline.group("head")):
                self.heading(lineno, "plain", 0, inline.group("head"))
                body = inline.group("rest")
        if self.skip is not None:
            # advice bullets under "Notes" are not listed, nor a statement of maxes (said above)
            if _looks_like_exercise(body, False, self.p) and lineno not in self.max_lines:
                self.skipped(lineno, body, f"skipped under {self.skip!r}")
            return
        if scheme is None and bulleted and _could_be_name(body):
            self.block = _Block(lineno, _name(body), body, indent)  # "1. **Bench Press**" + "- Sets: 4" below
            return
        pieces = _pieces(body, self.p)
        read = False
        named = day_lift[1] if day_lift is not None and inline is not None and body == inline.group("rest") else ""
        for piece in pieces:
            got = _read_spec(piece, self.p, self.unit)
            if got is None:
                continue
            read = True
            if not got[0] and named:  # "Deadlift: 1 x 5 @ 75%, 1 x 3 @ 85%, 1 x 1+ @ 95%": a set each, one lift
                got = (named, got[1])
            named = got[0] or named
            self.add(lineno, piece, *got)
        if read:
            self.last_line, self.last_indent = lineno, indent
            return
        self.unread.append((lineno, line))
        if not bulleted and _could_be_name(body):
            self.orphan = (lineno, _name(body))  # a lift named alone; its weeks may follow ("Week 1: ...")
        elif lineno in self.max_heads:
            self.orphan = (lineno, self.max_heads[lineno])  # "Squat (TM 140 kg)": named with its max
        if _looks_like_exercise(body, bulleted, self.p) and lineno not in self.max_lines:
            self.skipped(lineno, body, "not read as an exercise (no sets and reps)")

    def _set_line(self, lineno: int, rest: str) -> bool:
        """"Set 2: 5 reps x 75%" under a lift: one set of it, joined to the set lines just above it into one
        prescription as a wave is (the set count, the fewest to most reps, the heaviest load). True when read."""
        spec = re.sub(r"^\s*(?:x\s*)?", "", rest)
        # "Set 2: 110x3" is a load x reps set, read as one (`_ladder`); "Set 2: 5 reps x 75%" one set of reps
        got = _read_spec(spec if _ladders(fold(spec)) else "1 x " + spec, self.p, self.unit, name="-")
        if got is None or got[1].problem:
            return False
        joined = self.set_run is not None and self.set_run[0] == lineno - 1 and self.last is not None
        lift = self.set_run[1] if joined and self.set_run is not None else (
            self.block.name if self.block is not None else self.orphan[1] if self.orphan is not None else None)
        if lift is not None:
            self.of_stated_max(lift, got[1])
        pres = _prescription("-", got[1])
        if isinstance(pres, str):
            return False
        written = _shorten(rest, 30)
        if self.set_run is not None and self.set_run[0] == lineno - 1 and self.last is not None:
            day, i = self.last
            old = self.days[day].exercises[i]
            if old.sets >= 10:
                return False  # an 11th set is more than a prescription holds: the line is named, not folded in
            heavier = (pres.load_kg or 0) > (old.load_kg or 0) or (pres.pct_e1rm or 0) > (old.pct_e1rm or 0)
            top = pres if heavier else old
            try:
                self.days[day].exercises[i] = old.model_copy(update={
                    "sets": old.sets + 1, "reps_low": min(old.reps_low, pres.reps_low),
                    "reps_high": max(old.reps_high, pres.reps_high), "load_kg": top.load_kg,
                    "pct_e1rm": top.pct_e1rm, "note": f"{old.note}, {written}"[:NOTE_CHARS]})
            except ValidationError:
                return False
            self.set_run = (lineno, self.set_run[1])
            self.last_line = lineno
            return True
        name = self.block.name if self.block is not None else self.orphan[1] if self.orphan is not None else None
        if name is None:
            return False
        self.block = None
        self.add(lineno, rest, name, _Read(fields={**got[1].fields}, note=[f"sets {written}"], said=got[1].said,
                                        bare=got[1].bare))
        self.set_run = (lineno, name)
        self.last_line = lineno
        return True

    def _heading_like(self, cell: str) -> bool:
        low = _lead(fold(_name(cell)))
        return bool(_HEADING.match(cell) or _BOLD_LINE.match(cell) or self._marked(low) or self.p.week.match(low)
                    or self._split_label(low) or self.p.skip.search(low)) and _find_scheme(low, self.p) is None

    def _day_lift(self, inline: re.Match[str]) -> tuple[str, str] | None:
        """(day, lift) for "Day 1 - Squat: 65% x 5, 75% x 5, 85% x 5+": a day heading, a dash, one lift's name,
        then sets that read with no name of their own; None for any other line."""
        head = inline.group("head").strip()
        parts = re.split(r"\s+[-–—]\s+|\s*[–—]\s*", head, maxsplit=1)
        if (len(parts) != 2 or not self._is_day_head(parts[0]) or not _could_be_name(parts[1])
                or self._split_label(fold(parts[1]))):  # "Day 1 - Upper: 3x10" names a day's half, not a lift
            return None
        got = [_read_spec(piece, self.p, self.unit) for piece in _pieces(inline.group("rest"), self.p)]
        if not got or any(g is None for g in got) or got[0][0]:
            return None
        return parts[0].strip(), _name(parts[1])

    def _is_day_head(self, head: str) -> bool:
        low = fold(_name(head))
        return bool(self.p.day_marker.match(low) or self.p.weekday.match(low) or self._split_label(low))

    def row(self, lineno: int, line: str, cells: list[str]) -> None:
        if all(re.fullmatch(r":?-{2,}:?|", c.replace(" ", "")) for c in cells):
            return  # the |---|---| line under a header
        if self.table is None:
            columns = _columns(cells, self.p)
            if columns is not None:
                self.table = columns
                return
            self.line(lineno, " · ".join(c for c in cells if c))
            return
        only = [c for c in cells if c]
        if len(only) == 1 and self._heading_like(only[0]):
            self.line(lineno, only[0])  # "| **Day 1 – Upper** | | |": a heading written as a table row
            return
        if self.skip is not None:
            if only:
                self.skipped(lineno, " | ".join(cells), f"skipped under {self.skip!r}")
            return
        got: dict[str, str] = {}
        units: dict[str, str | None] = {}
        for i, c in enumerate(cells):
            if i in self.table and c:
                f, u = self.table[i]
                got.setdefault(f, c)
                units[f] = u
        if got.get("day") and (self.day is None or fold(got["day"]) != fold(self.day.name)) and (
                self.pending is None or fold(got["day"]) != fold(self.pending.name)):
            self.heading(lineno, "table", 0, got["day"])
        name = _name(got.get("exercise", ""))
        if not name:
            if only:
                self.unread.append((lineno, line))
                self.skipped(lineno, " | ".join(cells), "a table row with no exercise name")
            return
        spec = _row_spec(got, units, self.p)
        r = _read_spec(spec, self.p, self.unit, name=name)
        if r is None:
            self.unread.append((lineno, line))
            self.skipped(lineno, " | ".join(cells), "not read as an exercise (no sets and reps)")
            return
        if got.get("note") and not re.fullmatch(r"[-–—.\s]*", got["note"]):  # "-": an empty cell written
            r[1].note.append(got["note"])
        self.add(lineno, " | ".join(cells), *r)


def _shorten(text: str, n: int = 80) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def _looks_like_exercise(body: str, bulleted: bool, p: _Patterns) -> bool:
    """A skipped line worth naming in the notes: a short list item, or a line with counts of sets/reps/time."""
    low = fold(body)
    counted = bool(re.search(r"\d\s*(?:x|×|sets?|reps?|min|sec|s\b|kg|lbs?|%)", low)) or bool(
        p.sets_alone.search(low) or p.reps_alone.search(low))
    words = len(low.split())
    if body.endswith((".", "!", "?")) and words > 6 and not counted:
        return False  # a sentence of advice
    return (bulleted and (words <= 8 or counted)) or (counted and words <= 14)


def _pieces(body: str, p: _Patterns) -> list[str]:
    """Several exercises on one line ("Squat 5x5, Bench 5x5; Row 3x8") split at the commas or semicolons
    between them; a piece with no scheme of its own stays with the one before it."""
    low = fold(body)
    # a load-x-reps list ("Squat 100x5, 110x3, 120x1") is one lift's sets, and a list of intervals ("Sprints: 100x6,
    # 200x4") one lift's repeats: their commas split nothing
    ladders, intervals = _chains(low)
    masked = body
    for items in ladders + intervals:
        s, e = items[0].start(), items[-1].end()
        masked = masked[:s] + "0" * (e - s) + masked[e:]
    if len(ladders) + len(intervals) + sum(1 for pat in p.scheme[:2] for _ in pat.finditer(fold(masked))) < 2:
        return [body]
    parts, at = [], 0
    for sep in re.finditer(r"\s*[;,]\s*|\s+\+\s+|\s+(?:then|and)\s+(?=[A-Z])", masked):
        parts.append(body[at: sep.start()])
        at = sep.end()
    parts.append(body[at:])
    # ", then 120x1": the joining word is no name; a piece left with none is the lift's before it
    parts = [re.sub(r"^(?:then|and)\s+(?=\d)", "", part, flags=re.I) for part in parts]
    out: list[str] = []
    for part in parts:
        if out and _find_scheme(fold(part), p) is None:
            out[-1] += ", " + part
        else:
            out.append(part)
    return out if len(out) > 1 else [body]


_COLUMN_ORDER = ("scheme", "exercise", "sets", "reps", "pct", "load", "rpe", "rir", "rest", "note", "day")


@functools.lru_cache(maxsize=1)
def _column_words() -> tuple[dict[str, set[str]], dict[str, re.Pattern[str] | None]]:
    """Each field's header words, whole, and one pattern finding them within a longer header ("Load (kg)")."""
    p = _patterns()
    words = {f: {fold(w) for w in p.words.columns.get(f, [])} for f in _COLUMN_ORDER}
    within = {f: re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in sorted(ws, key=len, reverse=True)
                                     if len(w) > 2)) if any(len(w) > 2 for w in ws) else None
              for f, ws in words.items()}
    return words, within


def _columns(cells: list[str], p: _Patterns) -> dict[int, tuple[str, str | None]] | None:
    """A table header: column index -> (field, unit said in the header), when it names an exercise column
    and a sets/reps/scheme column."""
    words, within = _column_words()
    out: dict[int, tuple[str, str | None]] = {}
    for i, c in enumerate(cells):
        low = fold(c).strip()
        if len(low) > 60:
            continue  # a sentence, no column name
        unit = None
        paren = re.search(r"\(([^)]*)\)", low)
        inner = paren.group(1) if paren else ""
        base = re.sub(r"\([^)]*\)", " ", low).strip()
        if re.search(r"\blbs?\b|pounds", low):
            unit = "lb"
        elif re.search(r"\bkg\b|kilo", low):
            unit = "kg"
        elif re.search(r"\bmin", inner) or re.fullmatch(r"rest\s*min\w*", base):
            unit = "min"
        elif re.search(r"\bs\b|sec", inner):
            unit = "s"
        for f in _COLUMN_ORDER:
            if base in words[f] or low in words[f]:
                out[i] = (f, unit)
                break
        else:
            for f in _COLUMN_ORDER:
                if within[f] is not None and within[f].search(base):
                    out[i] = (f, unit)
                    break
    fields = {f for f, _ in out.values()}
    blank = [i for i, c in enumerate(cells) if not c.strip()]
    if "exercise" not in fields and fields & {"scheme", "sets", "reps"} and blank and blank[0] < min(out):
        out[blank[0]] = ("exercise", None)  # "|  | Sets | Reps |": the unnamed first column holds the names
        fields.add("exercise")
    if "exercise" in fields and fields & {"scheme", "sets", "reps"}:
        return out
    return None


def _row_spec(got: dict[str, str], units: dict[str, str | None], p: _Patterns) -> str:
    """A table row's cells written as one prescription line for `_read_spec`."""
    parts = []
    if got.get("scheme"):
        parts.append(got["scheme"])
    elif got.get("sets") and got.get("reps"):
        sets, reps = got["sets"], got["reps"]
        if re.fullmatch(r"\d{1,3}", sets.strip()):
            parts.append(f"{sets.strip()} sets x {reps}")
        else:
            parts.append(f"{sets} {reps}")
    elif got.get("sets"):
        parts.append(got["sets"])
    elif got.get("reps"):
        parts.append(f"{got['reps']} reps")
    if got.get("load"):
        load = got["load"].strip()
        if re.fullmatch(rf"{_NUM}(?:{_DASH}{_NUM})?", load):
            u = units.get("load")
            load = f"{load} {u}" if u else f"@ {load}"
        elif re.fullmatch(rf"{_NUM}(?:{_DASH}{_NUM})?\s*%", load):
            load = f"@ {load}"
        parts.append(load)
    if got.get("pct"):
        v = got["pct"].strip()
        parts.append(f"@ {v}%" if re.fullmatch(rf"{_NUM}(?:{_DASH}{_NUM})?", v) else v)
    for f, word in (("rpe", "RPE"), ("rir", "RIR")):
        v = got.get(f, "").strip()
        if v:
            parts.append(f"{word} {v}" if re.match(r"\d", v) else v)
    if got.get("rest"):
        v = got["rest"].strip()
        if re.fullmatch(r"\d+(?::\d{2})?(?:\s*[-–]\s*\d+(?::\d{2})?)?", v):
            first = int(v.split(":")[0].split("-")[0].split("–")[0])
            v = f"{v} {units.get('rest') or ('min' if ':' not in v and _rest_in_minutes(str(first)) else 's')}"
        parts.append(f"rest {v}" if not fold(v).startswith(tuple(fold(w) for w in p.words.rest)) else v)
    return "  ".join(parts)


_COMPACT_LINE = re.compile(r"^(?:[-*•]\s+)?[^:]+:\s*\d+\s*[x×]\s*\d")


def _looks_compact(text: str) -> bool:
    """Written in peri's compact form, as peri and the models it prompts write it: an upper-case ``WEEK
    SCENARIO`` or ``DAY`` line first, and every line a WEEK/DAY line or ``NAME: SETSxREPS ...``."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("#", "```"))]
    if not lines:
        return False
    scenarios = "|".join(s.value for s in Scenario)
    if not re.match(rf"^(?:WEEK\s+(?i:{scenarios})\b|DAY\b)", lines[0]):
        return False
    return all(re.match(r"^(?:WEEK|DAY)\b", line) or _COMPACT_LINE.match(line) for line in lines)


def _merge_weeks(weeks: list) -> list:  # type: ignore[type-arg]
    """Parts of the text naming the same weeks are one week ("Squat / Week 1: ... / Week 2: ..., Bench /
    Week 1: ..."): their days joined, a day of the same name once, in the order first written."""
    out: list = []  # type: ignore[type-arg]
    seen: dict[tuple[int, ...], int] = {}
    for label, numbers, line, days, sc in weeks:
        key = tuple(numbers)
        if key not in seen:
            seen[key] = len(out)
            out.append((label, numbers, line, list(days), sc))
            continue
        kept = out[seen[key]][3]
        for d in days:
            same = next((k for k in kept if fold(k.name) == fold(d.name)), None)
            if same is not None:
                same.exercises.extend(d.exercises)
            elif len(kept) < MAX_DAYS:
                kept.append(d)
        if sc is not None and out[seen[key]][4] is None:
            out[seen[key]] = (*out[seen[key]][:4], sc)
    return out


def without_week(name: str) -> str:
    """A day's name without the week written before it ("Week 2 – Day 1" -> "Day 1"), to tell the same day of
    different weeks; a name with no week first is returned as it is."""
    low = fold(name)
    m = _patterns().week_numbers.match(_lead(low))
    if m is None:
        return name
    cut = len(low) - len(_lead(low)) + m.end()
    return re.sub(r"^[\s\-–—:,|/.)]*", "", name[cut:]) or name


def read_freeform(text: str, unit: Unit = "kg") -> tuple[Plan, list[str]]:
    """Read `text` free-form (module docstring): the plan (its first week) and the reader's notes."""
    plan, notes, _ = read_freeform_weeks(text, unit)
    return plan, notes


def read_freeform_weeks(text: str, unit: Unit = "kg") -> tuple[Plan, list[str], list[PlanWeek]]:
    """Read `text` free-form: the first week's plan, the reader's notes, and every week when it writes more
    than one (else no weeks)."""
    if len(text) > MAX_TEXT:
        raise PlanParseError(f"the text is {len(text):,} characters, too long to be one programme",
                             place="line 1", hint=f"give the plan (at most {MAX_TEXT:,} characters)")
    reader = _Reader(text, unit)
    reader.run()
    if reader.weeks:
        reader._end_week()
    days = reader.weeks[0][3] if reader.weeks else [d for d in reader.days if d.exercises]
    if not days:
        unread = reader.unread[:3] or [(i, line.strip()) for i, line in enumerate(reader.lines, 1) if line.strip()][:3]
        shown = "; ".join(f"line {i}: {_shorten(line, 60)!r}" for i, line in unread)
        place = f"line {unread[0][0]}" if unread else "line 1"
        raise PlanParseError(
            "no exercise with sets and reps found in the plan",
            place=place,
            hint="expected days (a heading such as '## Day 1 – Upper', 'Monday:', 'Workout A') with exercise lines "
                 "such as 'Squat: 3 sets of 8 @ 80 kg' or '- Bench press 4x6-8 RPE 8', or a table with Exercise, "
                 "Sets and Reps columns" + (f"; not read: {shown}" if shown else ""))
    reader.weeks = _merge_weeks(reader.weeks)
    notes = reader.notes
    scenario = Scenario.normal
    if reader.scenario is not None:
        scenario = reader.scenario[0]
        notes.insert(0, reader.scenario[1])

    def plan_of(ds: list[_Day], sc: Scenario) -> Plan:
        return Plan(scenario=sc, days=[PlanDay(name=d.name or f"Day {i}", exercises=d.exercises)
                                       for i, d in enumerate(ds, 1)])

    # a week's scenario is its heading's ("Week 4 – Deload"); a title's ("# Deload Week") is only the first's
    weeks = [PlanWeek(label=label, numbers=numbers, line=line,
                      plan=plan_of(ds, sc or (scenario if i == 0 else Scenario.normal)))
             for i, (label, numbers, line, ds, sc) in enumerate(reader.weeks)] if len(reader.weeks) > 1 else []
    if weeks:
        notes.insert(0, f"{len(weeks)} weeks read: " + "; ".join(
            f"{w.label} (line {w.line}, {len(w.plan.days)} day{'s' if len(w.plan.days) != 1 else ''}"
            + (f", {w.plan.scenario.value}" if w.plan.scenario != Scenario.normal else "") + ")" for w in weeks))
    if len(notes) > MAX_NOTES:
        notes = notes[:MAX_NOTES] + [f"… and {len(notes) - MAX_NOTES} more lines not read"]
    plan = weeks[0].plan if weeks else plan_of(days, reader.weeks[0][4] or scenario if reader.weeks else scenario)
    return plan, notes, weeks


def read_plan(text: str, unit: Unit = "kg", source: str | None = None) -> PlanReading:
    """A plan from any text: peri's JSON, peri's compact form, else free-form (module docstring).

    `unit` is the unit a load written without one is read in when the text writes no other unit (the
    athlete's). Raises `PlanParseError` when no plan can be read, its place prefixed with `source` (a file)."""
    try:
        return _read(text, unit)
    except PlanParseError as e:
        if source is None:
            raise
        raise PlanParseError(e.message, place=f"{source}:{e.place}" if e.place else source, hint=e.hint) from None


def _read(text: str, unit: Unit) -> PlanReading:
    from .jsonschema import plan_from_json

    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{") or stripped.startswith("```json"):
        return PlanReading(plan=plan_from_json(stripped), form="json")
    block = re.search(r"^```json[ \t]*\n(.*?)\n[ \t]*```", text, re.S | re.M)
    if block is not None:  # "Here is your plan: ```json {...} ```": the JSON block is the plan
        line = text.count("\n", 0, block.start()) + 1
        try:
            plan = plan_from_json(block.group(1))
        except PlanParseError as e:
            raise PlanParseError(e.message, place=f"the JSON block at line {line}, {e.place}", hint=e.hint) from None
        return PlanReading(plan=plan, form="json",
                           notes=[f"line {line}: the plan is the JSON block here; the text around it was not read"])
    compact = _looks_compact(text)
    try:
        plan = parse_plan_text(text)
    except PlanParseError:
        if compact:
            raise  # peri's own form is read strictly: a model's mistake is not read around
        plan = None
    if compact and plan is not None:
        return PlanReading(plan=plan, form="compact")
    try:
        free, notes, weeks = read_freeform_weeks(text, unit)
    except PlanParseError:
        if plan is not None:
            return PlanReading(plan=plan, form="compact")
        raise
    return PlanReading(plan=free, form="free-form", notes=notes, weeks=weeks)


def describe(reading: PlanReading) -> str:
    """One line saying how the plan was read, for the faces."""
    p = reading.plan
    n = sum(len(d.exercises) for d in p.days)
    what = {"json": "peri's JSON", "compact": "peri's compact form", "free-form": "free-form text"}[reading.form]
    if reading.weeks:  # "4 weeks (7 days, 12 exercises)": the whole programme
        days = sum(len(w.plan.days) for w in reading.weeks)
        n = sum(len(d.exercises) for w in reading.weeks for d in w.plan.days)
        return (f"read as {what}: {len(reading.weeks)} weeks ({days} days, {n} exercises)"
                + (f", {len(reading.notes)} note{'s' if len(reading.notes) != 1 else ''}" if reading.notes else ""))
    return (f"read as {what}: {len(p.days)} day{'s' if len(p.days) != 1 else ''}, {n} exercise{'s' if n != 1 else ''}"
            + (f", {len(reading.notes)} note{'s' if len(reading.notes) != 1 else ''}" if reading.notes else ""))


__all__ = ["PlanReading", "PlanWeek", "describe", "read_freeform", "read_freeform_weeks", "read_plan", "without_week"]
