"""A grammar for the compact text form (llama.cpp's LLGuidance Lark syntax), for constrained decoding.

A tuned model was trained on the text form, so it is constrained to the text form (JSON would fight its
training): every line it can write parses, exercise names come from the athlete's vocabulary, and the
number of days is the athlete's. What it puts in the lines is still the model's own.
"""
from __future__ import annotations

import json

from .schema import Scenario


def plan_text_grammar(vocabulary: list[str], days: int, *, min_exercises: int = 3, max_exercises: int = 8) -> str:
    """LLGuidance grammar: `WEEK scenario`, then exactly `days` DAY blocks of min..max exercise lines."""
    if not vocabulary:
        raise ValueError("a text grammar needs a non-empty exercise vocabulary")
    names = " | ".join(json.dumps(v) for v in sorted(set(vocabulary), key=lambda v: (-len(v), v)))
    scenarios = " | ".join(json.dumps(s.value) for s in Scenario)
    day_rule = " ".join(["day"] * days)
    optional = " ".join(["line?"] * max(0, max_exercises - min_exercises))
    return "\n".join([
        "%llguidance {}",
        f'start: "WEEK " SCEN "\\n" {day_rule}',
        f"SCEN: {scenarios}",
        f'day: "DAY " DAYNAME "\\n" {" ".join(["line"] * min_exercises)} {optional}',
        "DAYNAME: /[A-Za-z][A-Za-z0-9 ()-]{0,23}/",
        'line: EX ": " SETS "x" REPS ("-" REPS)? (" @" LOAD "kg")? (" RPE" RPE)? "\\n"',
        f"EX: {names}",
        "SETS: /[1-9]|10/",
        "REPS: /[1-9]|[1-4][0-9]|50/",
        r"LOAD: /[0-9]{1,3}(\.[0-9])?/",
        r"RPE: /[5-9](\.5)?|10/",
    ])
