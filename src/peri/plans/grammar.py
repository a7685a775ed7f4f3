"""A grammar for the compact text form (llama.cpp's LLGuidance Lark syntax), for constrained decoding.

A tuned model was trained on the text form, so it is constrained to the text form (JSON would fight its
training): every line it can write parses, exercise names come from the athlete's vocabulary, and the
number of days is the athlete's. What it puts in the lines is still the model's own.
"""
from __future__ import annotations

import json

from .schema import Scenario


def _line_rules(vocabulary: list[str], bands: dict | None) -> list[str]:
    """The `line` rule: any vocabulary name with any load, or — with `bands` — one alternative per name
    whose load is an alternation of that name's admissible loads (none for a no-load exercise)."""
    names = sorted(set(vocabulary), key=lambda v: (-len(v), v))
    tail = '(" RPE" RPE)? "\\n"'
    if bands is None:
        return [f'line: EX ": " SETS "x" REPS ("-" REPS)? (" @" LOAD "kg")? {tail}',
                "EX: " + " | ".join(json.dumps(v) for v in names)]
    alts, rules = [], []
    for i, name in enumerate(names):
        band = bands.get(name)
        head = f'{json.dumps(name)} ": " SETS "x" REPS ("-" REPS)?'
        if band is None:
            load = '(" @" LOAD "kg")?'
        else:
            values = band.values()
            if values:
                rules.append(f"L{i}: " + " | ".join(json.dumps(_num(v)) for v in values))
                # a lift the log shows loaded gets a load (as the wire schema requires "kg" for it)
                load = f'" @" L{i} "kg"' if band.source == "log" else f'(" @" L{i} "kg")?'
            else:
                load = ""
        rules.append(f"line{i}: {head} {load} {tail}")
        alts.append(f"line{i}")
    return ["line: " + " | ".join(alts), *rules]


def _num(v: float) -> str:
    return str(int(v)) if float(v) == int(v) else f"{v:g}"


DAYNAME = "DAYNAME: /[A-Za-z][A-Za-z0-9 ()-]{0,23}/"
_TOKENS = [
    "SETS: /[1-9]|10/",
    "REPS: /[1-9]|[1-4][0-9]|50/",
    r"LOAD: /[0-9]{1,3}(\.[0-9])?/",
    r"RPE: /[5-9](\.5)?|10/",
]


def plan_text_grammar(
    vocabulary: list[str], days: int, *, min_exercises: int = 3, max_exercises: int = 8, bands: dict | None = None,
    day_names: list[str] | None = None,
) -> str:
    """LLGuidance grammar: `WEEK scenario`, then exactly `days` DAY blocks of min..max exercise lines.

    With `bands` ({name: plans.constraints.LoadBand}) each line's load is one of its exercise's admissible
    loads; a repeated name within a day is left to the step-wise re-decode (a grammar would need every
    permutation to forbid it). With `day_names` (peri's days, `plans.constraints.athlete_layout`) there is
    one DAY block per name, each opening with its own name in order; `days` is then their number."""
    if not vocabulary:
        raise ValueError("a text grammar needs a non-empty exercise vocabulary")
    scenarios = " | ".join(json.dumps(s.value) for s in Scenario)
    lines = " ".join(["line"] * min_exercises) + " " + " ".join(["line?"] * max(0, max_exercises - min_exercises))
    if day_names:
        day_rules = [f'day{i}: "DAY " {json.dumps(name)} "\\n" {lines}' for i, name in enumerate(day_names)]
        day_rule = " ".join(f"day{i}" for i in range(len(day_names)))
    else:
        day_rules = [f'day: "DAY " DAYNAME "\\n" {lines}', DAYNAME]
        day_rule = " ".join(["day"] * days)
    return "\n".join([
        "%llguidance {}",
        f'start: "WEEK " SCEN "\\n" {day_rule}',
        f"SCEN: {scenarios}",
        *day_rules,
        *_line_rules(vocabulary, bands),
        *_TOKENS,
    ])


def _sets_rule(min_sets: int, max_sets: int) -> str:
    """SETS: `min_sets`..`max_sets` (within 1..10)."""
    top = max(1, min(10, max_sets))
    lo = max(1, min(top, min_sets))
    if top == 10:
        return "SETS: /10/" if lo == 10 else f"SETS: /[{lo}-9]|10/"
    return f"SETS: /[{lo}-{top}]/" if lo < top else f"SETS: /{lo}/"


def text_line_grammar(allowed: list[str], bands: dict | None = None, *, head: bool = False, min_sets: int = 1,
                      max_sets: int = 10) -> str:
    """LLGuidance grammar for ONE exercise line of the text form: a name from `allowed` (the day's names
    left out by the caller) with a load in its band and `min_sets`..`max_sets` sets — one step of the
    step-wise decode. With `head` the step opens its day first (`DAY name` line, the model's own day name)."""
    if not allowed:
        raise ValueError("no exercise is left to choose")
    start = 'start: "DAY " DAYNAME "\\n" line' if head else "start: line"
    return "\n".join(["%llguidance {}", start, *_line_rules(allowed, bands), _sets_rule(min_sets, max_sets), *_TOKENS[1:],
                      DAYNAME])


# llama.cpp's LLGuidance JSON options with no whitespace (as backends.llamacpp sends a schema): every
# space and newline is a decoded token on a 2-core machine.
COMPACT_JSON = {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}
DAY_NAME_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 24}


def json_step_grammar(exercise_schema: dict, *, head: bool = False) -> str:
    """LLGuidance grammar for ONE exercise object of the wire JSON (`exercise_schema`, e.g.
    `plans.constraints.exercise_step_schema`), written compactly. With `head` the step opens its day
    first: `{"name":<the model's day name>,"exercises":[` then the exercise. The caller writes the
    separators and closing brackets itself, so a step is never a line that is thrown away."""
    ex = "ex: %json " + json.dumps({**exercise_schema, "x-guidance": COMPACT_JSON})
    if not head:
        return "\n".join(["%llguidance {}", "start: ex", ex])
    return "\n".join(["%llguidance {}", 'start: "{\\"name\\":" dname ",\\"exercises\\":[" ex',
                      "dname: %json " + json.dumps(DAY_NAME_SCHEMA), ex])
