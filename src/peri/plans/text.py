"""The compact text form of a plan: what small models write and what the fine-tuning outputs are in.

One header line, one line per day, one line per exercise::

    WEEK deload 2026-03-02
    DAY Upper A
    Barbell Bench Press - Medium Grip: 3x8-10 @80kg RPE8 rest90 | keep elbows tucked
    Seated Cable Rows: 3x10-12 @60% RIR2

Grammar (keywords and units are case-insensitive, spacing is free):

- ``WEEK SCENARIO [YYYY-MM-DD]`` — optional; without it the plan is a normal week with no date.
- ``DAY NAME`` — starts a day; every exercise line belongs to the last DAY above it.
- ``EXERCISE: SETSxREPS[-REPS] [@LOADkg|@LOADlb] [@PCT%] [RPE n] [RIR n] [rest SECONDS] [| note]``
  ``x`` may be ``×`` or ``X``, the range dash may be ``–``; ``@80`` means kg, ``@185lb`` is read as
  83.915 kg (a pound lifter's own plan; plans are written in kg), ``@bw`` means no load,
  ``rest`` takes ``90``, ``90s``, ``2m`` or ``2min``.
  A set held for a time or carried over a distance (a plank, a carry, a row) is written
  ``Plank: 3x1 time45s`` / ``Farmer Carry: 3x1 dist40m`` (``time`` takes ``s`` or ``min``, ``dist`` ``m`` or
  ``km``): one rep a set, and no lifting volume. Like ``@PCT%`` and ``RIR``, peri reads them in a plan but
  does not ask a model to write them (the decoding grammar and JSON schema stay the lifting subset).
- Blank lines, ``#`` comments, code fences and leading ``- `` bullets are ignored.

Parsing is lenient about form and strict about meaning: an unknown token, a reversed rep range,
0 sets, an exercise before any DAY, a day with no exercises or more than 7 days raise
`PlanParseError` naming the line and what was expected. Names and notes are kept verbatim
(trimmed); an exercise name may not contain ':' followed by a set count.

Round-trip: for every valid plan whose names and notes are single trimmed lines,
``parse_plan_text(plan_to_text(plan)) == plan``.
"""
from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError

from ..errors import PlanParseError
from ..log.models import LB_TO_KG
from .schema import Plan, PlanDay, Prescription, Scenario

_NUM = r"\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_HEADER = re.compile(r"^(day|week)\b\s*(.*)$", re.IGNORECASE)
# Lazy name: the first ':' followed by "SETS x REPS" ends it.
_EXERCISE = re.compile(r"^(?P<name>.*?)\s*:\s*(?P<rest>\d+\s*[x×]\s*\d.*)$", re.IGNORECASE)
_VOLUME = re.compile(r"^(?P<sets>\d+)\s*[x×]\s*(?P<lo>\d+)(?:\s*[-–]\s*(?P<hi>\d+))?", re.IGNORECASE)
_TOKENS: list[tuple[str, re.Pattern[str]]] = [
    ("load_bw", re.compile(r"^@\s*bw\b", re.IGNORECASE)),
    ("pct_e1rm", re.compile(rf"^@\s*(?P<v>{_NUM})\s*%", re.IGNORECASE)),
    # pounds said as such ("@185lb", "@185 lbs") are stored in kg; a bare number is kg
    ("load_lb", re.compile(rf"^@\s*(?P<v>{_NUM})\s*(?:lbs?|pounds?)\b", re.IGNORECASE)),
    ("load_kg", re.compile(rf"^@\s*(?P<v>{_NUM})\s*(?:kg)?", re.IGNORECASE)),
    ("rpe", re.compile(rf"^@?\s*rpe\s*(?P<v>{_NUM})", re.IGNORECASE)),
    ("rir", re.compile(r"^rir\s*(?P<v>\d+)", re.IGNORECASE)),
    ("rest_s", re.compile(r"^rest\s*(?P<v>\d+)\s*(?P<u>min|m|s)?", re.IGNORECASE)),
    ("duration_s", re.compile(r"^time\s*(?P<v>\d+)\s*(?P<u>min|s)?(?![a-z])", re.IGNORECASE)),
    ("distance_m", re.compile(rf"^dist\s*(?P<v>{_NUM})\s*(?P<u>km|m)?(?![a-z])", re.IGNORECASE)),
]
_FIELD_WORDS = {"sets": "sets", "reps_low": "reps", "reps_high": "reps", "load_kg": "load (kg)",
                "pct_e1rm": "% of e1RM", "rpe": "RPE", "rir": "RIR", "rest_s": "rest (s)",
                "duration_s": "time (s)", "distance_m": "distance (m)"}
# also the format instruction of the text prompts (prompts/templates/format_text.j2): models write kg, so pounds
# (which the parser reads too) are not offered here
SPEC_HELP = "EXERCISE: SETSxREPS[-REPS] [@LOADkg|@PCT%] [RPE n|RIR n] [rest SECONDS] [| note]"


def pounds_to_kg(lb: float) -> float:
    """A load written in pounds as plans hold it: kilograms, to the gram (the one place plans convert)."""
    return round(lb * LB_TO_KG, 3)


def format_number(x: float) -> str:
    """Shortest text that reads back as exactly the same float (80.0 -> '80')."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def load_text(kg: float, unit: str) -> str:
    """A load as the plan's notes say it: kilograms as they are, or pounds to a loadable step ("225 lb")."""
    from ..log.shown_unit import shown_load

    return f"{format_number(kg)} kg" if unit != "lb" else f"{format_number(shown_load(kg, 'lb'))} lb"


def prescription_to_text(p: Prescription) -> str:
    """One exercise line."""
    reps = str(p.reps_low) if p.reps_low == p.reps_high else f"{p.reps_low}-{p.reps_high}"
    parts = [f"{p.exercise}: {p.sets}x{reps}"]
    if p.load_kg is not None:
        parts.append(f"@{format_number(p.load_kg)}kg")
    if p.pct_e1rm is not None:
        parts.append(f"@{format_number(p.pct_e1rm)}%")
    if p.rpe is not None:
        parts.append(f"RPE{format_number(p.rpe)}")
    if p.rir is not None:
        parts.append(f"RIR{p.rir}")
    if p.rest_s is not None:
        parts.append(f"rest{p.rest_s}")
    if p.duration_s is not None:
        parts.append(f"time{p.duration_s}s")
    if p.distance_m is not None:
        parts.append(f"dist{format_number(p.distance_m)}m")
    line = " ".join(parts)
    if p.note:
        line += f" | {p.note}"
    return line


def plan_to_text(plan: Plan) -> str:
    """The compact text form (see the module docstring), ending with a newline."""
    header = f"WEEK {plan.scenario.value}"
    if plan.week_of is not None:
        header += f" {plan.week_of.isoformat()}"
    lines = [header]
    for day in plan.days:
        lines.append(f"DAY {day.name}".rstrip())
        lines.extend(prescription_to_text(p) for p in day.exercises)
    return "\n".join(lines) + "\n"


def _err(lineno: int, message: str, hint: str | None = None) -> PlanParseError:
    return PlanParseError(message, place=f"line {lineno}", hint=hint)


def _parse_week(rest: str, lineno: int) -> tuple[Scenario, dt.date | None]:
    words = rest.split()
    if not words:
        return Scenario.normal, None
    scenario_word, *more = words
    try:
        scenario = Scenario(scenario_word.lower())
    except ValueError:
        names = ", ".join(s.value for s in Scenario)
        raise _err(lineno, f"unknown scenario {scenario_word!r}", f"expected WEEK {{{names}}} [YYYY-MM-DD]") from None
    if not more:
        return scenario, None
    if len(more) > 1:
        raise _err(lineno, f"unexpected {' '.join(more[1:])!r} after the date", "expected WEEK SCENARIO [YYYY-MM-DD]")
    try:
        return scenario, dt.date.fromisoformat(more[0])
    except ValueError:
        raise _err(lineno, f"{more[0]!r} is not a date", "expected YYYY-MM-DD, e.g. 2026-03-02") from None


def _validation_message(e: ValidationError) -> str:
    first = e.errors()[0]
    field = ".".join(str(x) for x in first["loc"]) if first["loc"] else ""
    msg = first["msg"].removeprefix("Value error, ")
    word = _FIELD_WORDS.get(field, field)
    return f"{word}: {msg}" if word else msg


def parse_prescription(line: str, lineno: int = 1) -> Prescription:
    """Read one exercise line; errors name `lineno`."""
    m = _EXERCISE.match(line)
    if m is None:
        if ":" in line:
            raise _err(lineno, "expected SETSxREPS after ':' (e.g. 3x8-10)", SPEC_HELP)
        raise _err(lineno, f"cannot read {line[:60]!r}", f"expected DAY NAME, WEEK SCENARIO or {SPEC_HELP}")
    name = m.group("name").strip()
    if not name:
        raise _err(lineno, "missing exercise name before ':'", SPEC_HELP)
    rest = m.group("rest")
    spec, bar, note = rest.partition("|")
    vol = _VOLUME.match(spec)
    assert vol is not None  # _EXERCISE guarantees it
    fields: dict[str, object] = {
        "exercise": name,
        "sets": int(vol.group("sets")),
        "reps_low": int(vol.group("lo")),
        "reps_high": int(vol.group("hi") or vol.group("lo")),
    }
    tail = spec[vol.end():].strip()
    seen: set[str] = set()
    while tail:
        for key, pattern in _TOKENS:
            tm = pattern.match(tail)
            if tm is None:
                continue
            field = "load_kg" if key == "load_lb" else key  # one load, in either unit
            if field in seen:
                raise _err(lineno, f"{field.replace('_', ' ')} given twice", SPEC_HELP)
            seen.add(field)
            if key == "load_bw":
                pass
            elif key == "load_lb":
                fields["load_kg"] = pounds_to_kg(float(tm.group("v")))
            elif key == "rir":
                fields["rir"] = int(tm.group("v"))
            elif key in ("rest_s", "duration_s"):
                unit = (tm.group("u") or "s").lower()
                fields[key] = int(tm.group("v")) * (60 if unit in ("m", "min") else 1)
            elif key == "distance_m":
                fields[key] = float(tm.group("v")) * (1000 if (tm.group("u") or "").lower() == "km" else 1)
            else:
                fields[key] = float(tm.group("v"))
            tail = tail[tm.end():].lstrip(" ,;")
            break
        else:
            token = tail.split()[0]
            raise _err(lineno, f"unknown token {token!r}", SPEC_HELP)
    if bar:
        note = note.strip()
        if note:
            fields["note"] = note
    try:
        return Prescription(**fields)  # type: ignore[arg-type]
    except ValidationError as e:
        raise _err(lineno, _validation_message(e), SPEC_HELP) from None


def parse_plan_text(text: str) -> Plan:
    """Read the compact text form into a `Plan` (lenient about form, strict about meaning)."""
    scenario = Scenario.normal
    week_of: dt.date | None = None
    days: list[tuple[int, str, list[Prescription]]] = []
    seen_week = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("```"):
            continue
        header = _HEADER.match(line)
        if header is not None and _EXERCISE.match(line) is None:
            keyword, rest = header.group(1).lower(), header.group(2).strip()
            if keyword == "week":
                if seen_week:
                    raise _err(lineno, "a second WEEK line", "a plan is one week: one WEEK line at the top")
                if days:
                    raise _err(lineno, "WEEK after a DAY", "put WEEK SCENARIO [DATE] on the first line")
                scenario, week_of = _parse_week(rest, lineno)
                seen_week = True
            else:
                if len(days) == 7:
                    raise _err(lineno, "more than 7 days", "a week has at most 7 DAY lines")
                days.append((lineno, rest, []))
            continue
        line = re.sub(r"^[-*•]\s+", "", line)
        prescription = parse_prescription(line, lineno)
        if not days:
            raise _err(lineno, "exercise before any DAY line", "start each day with DAY NAME")
        days[-1][2].append(prescription)
    if not days:
        raise PlanParseError("no DAY line found", place="line 1", hint="a plan needs at least one DAY NAME line")
    for lineno, name, exercises in days:
        if not exercises:
            raise _err(lineno, f"day {name!r} has no exercises", SPEC_HELP)
    return Plan(
        scenario=scenario,
        week_of=week_of,
        days=[PlanDay(name=name, exercises=exercises) for _, name, exercises in days],
    )
