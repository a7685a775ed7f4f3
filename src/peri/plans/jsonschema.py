"""The plan as a JSON schema for constrained decoding, and reading a model's JSON back into a Plan.

Two shapes. `plan_json_schema` is the Plan model itself (`scenario`, `week_of`, `days` of `{name,
exercises}`, per exercise `exercise, sets, reps_low, reps_high` plus optional `load_kg, rpe, rest_s,
note`). `plan_wire_schema` is what a model is asked to write: the same week in fewer tokens, because on
2 CPU cores a plan's latency is its output tokens (~40 tok/s at a 3,000-token context). One exercise,
`{"exercise":"Barbell Squat","sets":4,"reps":[6,8],"kg":82.5,"rpe":8}`, is 33 tokens on SmolLM2's
tokenizer against 51 for the Plan shape with spaces; the week's date and scenario are peri's to set, not
the model's to write. `plan_from_json` reads both.

Both are written by hand rather than taken from pydantic: llama.cpp's schema-to-grammar converter wants a
flat, self-contained schema (no `$ref`/`$defs`, no `anyOf` with null), and a small model decodes faster
and fails less when optional fields are few. With a vocabulary the exercise name is an enum, which keeps a
model inside the catalog.
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


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _exercise_fields(vocabulary: list[str] | None) -> dict[str, dict[str, Any]]:
    """Name, sets, one rep count, load and RPE: the same bounds in both shapes (fresh dicts each call)."""
    name: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 80}
    if vocabulary:
        name = {"type": "string", "enum": sorted(set(vocabulary))}
    return {
        "exercise": name,
        "sets": {"type": "integer", "minimum": 1, "maximum": 10},
        "reps": {"type": "integer", "minimum": 1, "maximum": 50},
        "load": {"type": "number", "minimum": 0, "maximum": 600},
        "rpe": {"type": "number", "enum": RPE_STEPS},
    }


def _day(prescription: dict[str, Any]) -> dict[str, Any]:
    return _object({
        "name": {"type": "string", "minLength": 1, "maxLength": 40},
        "exercises": {"type": "array", "items": prescription, "minItems": 1, "maxItems": MAX_EXERCISES_PER_DAY},
    }, ["name", "exercises"])


def plan_json_schema(vocabulary: list[str] | None = None) -> dict[str, Any]:
    """A JSON schema for one week's plan; `vocabulary` (exercise names) becomes an enum."""
    f = _exercise_fields(vocabulary)
    prescription = _object({
        "exercise": f["exercise"],
        "sets": f["sets"],
        "reps_low": f["reps"],
        "reps_high": dict(f["reps"]),
        "load_kg": f["load"],
        "rpe": f["rpe"],
        "rest_s": {"type": "integer", "minimum": 0, "maximum": 900},
        "note": {"type": "string", "maxLength": 120},
    }, ["exercise", "sets", "reps_low", "reps_high"])
    return _object({
        "scenario": {"type": "string", "enum": [s.value for s in Scenario]},
        "week_of": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "days": {"type": "array", "items": _day(prescription), "minItems": 1, "maxItems": MAX_DAYS},
    }, ["scenario", "days"])


# Bumped whenever the wire shape changes: evaluation caches key on it (a cached answer in an old shape
# says nothing about the new one).
WIRE_VERSION = 2


def plan_wire_schema(vocabulary: list[str] | None = None) -> dict[str, Any]:
    """The compact shape a model writes: `{"days":[{"name":..,"exercises":[{"exercise":..,"sets":..,
    "reps":[low,high],"kg":..,"rpe":..}]}]}`; `kg` and `rpe` optional."""
    f = _exercise_fields(vocabulary)
    prescription = _object({
        "exercise": f["exercise"],
        "sets": f["sets"],
        "reps": {"type": "array", "items": f["reps"], "minItems": 2, "maxItems": 2},
        "kg": f["load"],
        "rpe": f["rpe"],
    }, ["exercise", "sets", "reps"])
    return _object({"days": {"type": "array", "items": _day(prescription), "minItems": 1, "maxItems": MAX_DAYS}}, ["days"])


def plan_to_wire(plan: Plan) -> dict[str, Any]:
    """The plan in the wire shape (what a model would write for it; rest times and notes are not in it)."""
    def ex(p: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"exercise": p.exercise, "sets": p.sets, "reps": [p.reps_low, p.reps_high]}
        if p.load_kg is not None:
            out["kg"] = p.load_kg
        if p.rpe is not None:
            out["rpe"] = p.rpe
        return out

    return {"days": [{"name": d.name, "exercises": [ex(p) for p in d.exercises]} for d in plan.days]}


def _is_wire(obj: dict[str, Any]) -> bool:
    """Wire keys in any exercise (no Plan field is named `reps` or `kg`), whatever else the object holds:
    a hosted model may add a scenario or a date around wire-shaped days."""
    days = obj.get("days")
    if not isinstance(days, list):
        return False
    items = [e for d in days if isinstance(d, dict) for e in (d.get("exercises") or []) if isinstance(e, dict)]
    return any("reps" in e or "kg" in e for e in items)


def _from_wire(obj: dict[str, Any]) -> dict[str, Any]:
    """The wire shape as Plan fields. Only renames: values stay for Plan's validation to judge, except
    a rep pair written high-low, which means the same range."""
    def ex(e: Any) -> Any:
        if not isinstance(e, dict):
            return e
        out = {k: v for k, v in e.items() if k not in ("reps", "kg")}
        reps = e.get("reps")
        if isinstance(reps, list) and len(reps) == 2 and all(isinstance(r, int) for r in reps):
            out["reps_low"], out["reps_high"] = min(reps), max(reps)
        elif isinstance(reps, int):
            out["reps_low"] = out["reps_high"] = reps
        elif reps is not None:
            out["reps_low"] = reps  # let validation name the field
        if "kg" in e:
            out["load_kg"] = e["kg"]
        return out

    days = [{**d, "exercises": [ex(e) for e in d.get("exercises") or []]} if isinstance(d, dict) else d for d in obj["days"]]
    return {**{k: v for k, v in obj.items() if k != "days"}, "days": days}


_WIRE_NAMES = {"reps_low": "reps", "reps_high": "reps", "load_kg": "kg"}  # Plan field -> wire key, for error places
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def plan_from_json(obj_or_text: Any) -> Plan:
    """A Plan from a dict or JSON text, in the Plan or the wire shape (a ```json fence around it is tolerated).

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
        except RecursionError:  # thousands of nested brackets: no plan is shaped like that
            raise PlanParseError("JSON nested too deeply to be a plan", place="top level",
                                 hint="expected one JSON object") from None
    if not isinstance(obj, dict):
        raise PlanParseError(f"expected a JSON object, got {type(obj).__name__}", place="top level",
                             hint='expected {"scenario": ..., "days": [...]}')
    wire = _is_wire(obj)
    if wire:
        obj = _from_wire(obj)
    try:
        return Plan.model_validate(obj)
    except RecursionError:
        raise PlanParseError("JSON nested too deeply to be a plan", place="top level",
                             hint="expected one JSON object") from None
    except ValidationError as e:
        first = e.errors()[0]
        msg = first["msg"].removeprefix("Value error, ")
        loc = tuple(_WIRE_NAMES.get(x, x) for x in first["loc"]) if wire else first["loc"]
        raise PlanParseError(msg, place=_loc(loc) or "top level",
                             hint="see plan_json_schema() for the expected shape") from None
