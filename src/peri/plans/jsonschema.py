"""The plan as a JSON schema for constrained decoding, and reading a model's JSON back into a Plan.

The schema is written by hand rather than taken from pydantic: llama.cpp's schema-to-grammar
converter wants a flat, self-contained schema (no `$ref`/`$defs`, no `anyOf` with null), and a
small model decodes faster and fails less when optional fields are few. So: `scenario`, `week_of`
(optional), `days` (1-7) of `{name, exercises}` (1-10), and per exercise the required
`exercise, sets, reps_low, reps_high` plus optional `load_kg, rpe, rest_s, note`; `pct_e1rm` and
`rir` are left out of the decoding schema (they stay valid in `plan_from_json`). With a vocabulary
the exercise name is an enum, which keeps a model inside the catalog.
"""
from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from ..errors import PlanParseError
from .schema import Plan, Scenario

MAX_DAYS = 7
MAX_EXERCISES_PER_DAY = 10
# RPE as an enum of half steps: llama.cpp's llguidance backend enforced integer bounds but let a
# number field with minimum 5 decode as 1 (measured with the embedded model), so bounds on floats
# are not trusted to hold; plan_from_json still rejects out-of-range loads clearly.
RPE_STEPS: list[float] = [x / 2 if x % 2 else x // 2 for x in range(10, 21)]


def plan_json_schema(vocabulary: list[str] | None = None) -> dict[str, Any]:
    """A JSON schema for one week's plan; `vocabulary` (exercise names) becomes an enum."""
    exercise: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 80}
    if vocabulary:
        exercise = {"type": "string", "enum": sorted(set(vocabulary))}
    prescription = {
        "type": "object",
        "properties": {
            "exercise": exercise,
            "sets": {"type": "integer", "minimum": 1, "maximum": 10},
            "reps_low": {"type": "integer", "minimum": 1, "maximum": 50},
            "reps_high": {"type": "integer", "minimum": 1, "maximum": 50},
            "load_kg": {"type": "number", "minimum": 0, "maximum": 600},
            "rpe": {"type": "number", "enum": RPE_STEPS},
            "rest_s": {"type": "integer", "minimum": 0, "maximum": 900},
            "note": {"type": "string", "maxLength": 120},
        },
        "required": ["exercise", "sets", "reps_low", "reps_high"],
        "additionalProperties": False,
    }
    day = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 40},
            "exercises": {
                "type": "array",
                "items": prescription,
                "minItems": 1,
                "maxItems": MAX_EXERCISES_PER_DAY,
            },
        },
        "required": ["name", "exercises"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "scenario": {"type": "string", "enum": [s.value for s in Scenario]},
            "week_of": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "days": {"type": "array", "items": day, "minItems": 1, "maxItems": MAX_DAYS},
        },
        "required": ["scenario", "days"],
        "additionalProperties": False,
    }


_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def plan_from_json(obj_or_text: Any) -> Plan:
    """A Plan from a dict or JSON text (a ```json fence around it is tolerated).

    Errors are `PlanParseError` naming the line/column of bad JSON, or the field path
    (e.g. `days[0].exercises[2].sets`) of a value the schema refuses.
    """
    obj = obj_or_text
    if isinstance(obj_or_text, bytes | str):
        text = obj_or_text.decode() if isinstance(obj_or_text, bytes) else obj_or_text
        fenced = _FENCE.match(text)
        if fenced:
            text = fenced.group(1)
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            raise PlanParseError(
                f"not valid JSON: {e.msg}", place=f"line {e.lineno} column {e.colno}", hint="expected one JSON object"
            ) from None
    if not isinstance(obj, dict):
        raise PlanParseError(f"expected a JSON object, got {type(obj).__name__}", place="top level",
                             hint='expected {"scenario": ..., "days": [...]}')
    try:
        return Plan.model_validate(obj)
    except ValidationError as e:
        first = e.errors()[0]
        msg = first["msg"].removeprefix("Value error, ")
        raise PlanParseError(msg, place=_loc(first["loc"]) or "top level",
                             hint="see plan_json_schema() for the expected shape") from None
