"""Constrained decoding, one exercise at a time: no exercise twice a day, loads in band, no blamed lift.

Two roads, chosen by what the backend can do:

- `decode_stepwise` (a backend with `supports_prefill`: llama.cpp) writes the whole plan as a chain of
  continuations of the model's own answer. peri writes each day's opening (its name from the athlete's
  split, `plans.constraints.day_choices`); each step is ONE exercise, decoded under a grammar whose name
  enum holds the day's focus (widened only when the focus is spent), leaves out every name the day already
  holds (and every lift the log blames: the caller's vocabulary has them out) and whose load is that
  name's band. Without day choices the first step of a day opens it with the model's own day name. peri
  writes the separators and closing brackets, so no token is spent on a line that is thrown away, and
  llama.cpp's prompt cache (`cache_prompt`, on by default; one slot) keeps the prompt and the plan so far:
  a step processes only what the last step added.
- `redecode` (any other backend: hosted APIs) — the plan was decoded whole under the band schema (its day
  names an enum of peri's, the request naming them in order; `generate` relabels what the model named
  otherwise, `plans.constraints.relabel_days`, before this); each
  line that repeats its day's exercise, names a blocked lift or (a backend that ignored the schema) holds a
  load outside its band is decoded again as ONE exercise, the plan so far given as the model's previous
  turn and a one-line request for the next exercise, under a schema whose name enum leaves out the day's
  names. A step that still breaks a rule is retried, then its line is dropped.

`plans.constraints.enforce` is the last check on every path.
"""
from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field

from .backends.base import Backend, GenerationRequest, GenerationResult
from .errors import PeriError, PlanParseError
from .plans.constraints import DayChoices, LoadBand, SetsCap, blocked, exercise_step_schema, out_of_band, repeats
from .plans.schema import Plan, PlanDay, Prescription

# What the constrained decoding does, as a number the evaluation's cache keys on (peri.evaluate.harness):
# 2 = the step-wise decode in the text form, blamed lifts left out; 3 = peri writes the days (names and focus
# from the athlete's split, `plans.constraints.day_choices`) and each step chooses within its day's focus;
# 4 = a note stops blocking a lift the log shows tolerated again (`plans.checker.CLEAN_SESSIONS`), and a whole
# plan (hosted, whole-plan grammar) is asked for peri's days and relabelled to them.
DECODING_VERSION = 4
STEP_MAX_TOKENS = 80  # one wire exercise is ~33 tokens plus a long name; one text line is shorter
HEAD_TOKENS = 24  # a day's opening: its name (at most 24 characters) and the keys around it
STEP_TRIES = 2
STEP_RETRY_TEMPERATURE = 0.6
# Providers want an object at the root of a response schema (OpenAI refuses a root `anyOf`): a hosted step's
# exercise is wrapped in this one key. A prefilled step continues the bare object the plan so far expects.
WRAP = "exercise_line"


class StepLog(BaseModel):
    """What the re-decode did, for the generation's record."""

    steps: int = 0
    replaced: list[str] = Field(default_factory=list)  # "day N slot M: OLD -> NEW"
    dropped: list[str] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list)
    widened: list[str] = Field(default_factory=list)  # steps that left their day's focus (or its safer names), and why


def _num(x: float | None) -> Any:
    if x is None:
        return None
    return int(x) if float(x) == int(x) else x


def _wire_exercise(p: Prescription) -> str:
    out: dict[str, Any] = {"exercise": p.exercise, "sets": p.sets, "reps": [p.reps_low, p.reps_high]}
    if p.load_kg is not None:
        out["kg"] = _num(p.load_kg)
    if p.rpe is not None:
        out["rpe"] = _num(p.rpe)
    return json.dumps(out, separators=(",", ":"))


def json_prefix(plan: Plan, day: int, slot: int) -> str:
    """The compact wire JSON a model writes before exercise `slot` of day `day` (both 0-based)."""
    done = [
        '{"name":' + json.dumps(d.name) + ',"exercises":[' + ",".join(_wire_exercise(p) for p in d.exercises) + "]}"
        for d in plan.days[:day]
    ]
    current = plan.days[day]
    head = '{"name":' + json.dumps(current.name) + ',"exercises":[' + "".join(
        _wire_exercise(p) + "," for p in current.exercises[:slot])
    return '{"days":[' + "".join(x + "," for x in done) + head


def text_prefix(plan: Plan, day: int, slot: int) -> str:
    """The text form a model writes before exercise `slot` of day `day`."""
    from .plans.text import prescription_to_text

    lines = [f"WEEK {plan.scenario.value}"]
    for d in plan.days[:day]:
        lines += [f"DAY {d.name}", *(prescription_to_text(p) for p in d.exercises)]
    current = plan.days[day]
    lines += [f"DAY {current.name}", *(prescription_to_text(p) for p in current.exercises[:slot])]
    return "\n".join(lines) + "\n"


def step_messages(
    messages: list[dict[str, str]], prefix: str, *, prefill: bool, form: str, day_name: str, slot: int, taken: list[str],
) -> list[dict[str, str]]:
    """The conversation for one step: the plan so far as the answer's start (prefill) or as a turn."""
    if prefill:
        return [*messages, {"role": "assistant", "content": prefix}]
    shape = "one JSON object in the same shape" if form == "json" else "one exercise line in the same form"
    ask = (f"Continue the plan: write only exercise {slot + 1} of {day_name}, as {shape}. "
           f"Not one already in that day ({', '.join(taken) or 'none yet'}).")
    return [*messages, {"role": "assistant", "content": prefix}, {"role": "user", "content": ask}]


def _read_step(text: str, form: str) -> Prescription:
    """One exercise from a step's answer (JSON object or one text line)."""
    from .plans.jsonschema import plan_from_json
    from .plans.text import parse_prescription

    t = text.strip()
    if form == "json":
        start, end = t.find("{"), t.rfind("}")
        if start < 0 or end < start:
            raise PlanParseError("no JSON object in the step's answer", place="step")
        try:
            obj = json.loads(t[start:end + 1])
        except json.JSONDecodeError as e:
            raise PlanParseError(f"not valid JSON: {e.msg}", place="step") from None
        if isinstance(obj, dict) and set(obj) == {WRAP}:
            obj = obj[WRAP]
        return plan_from_json({"days": [{"name": "step", "exercises": [obj]}]}).days[0].exercises[0]
    line = next((x for x in t.splitlines() if x.strip() and not x.upper().startswith(("DAY", "WEEK"))), "")
    return parse_prescription(line.strip())


def _accept_step(text: str, form: str, vocab: dict[str, str], allowed: list[str],
                 bands: dict[str, LoadBand]) -> tuple[Prescription | None, str]:
    """(the step's exercise under its vocabulary name, "") when it parses, names one of `allowed` and its
    load is in that name's band; else (None, why) — the one acceptance rule of both step-wise decoders."""
    try:
        p = _read_step(text, form)
    except (PlanParseError, PeriError, ValueError) as e:
        return None, str(e)
    name = vocab.get(p.exercise.strip().lower())
    if name is None or name not in allowed:
        return None, f"{p.exercise!r} is not allowed there"
    band = bands.get(name)
    if band is not None and not band.admits(p.load_kg):
        return None, f"{p.load_kg} kg outside {name}'s band"
    return p.model_copy(update={"exercise": name}), ""


def redecode(
    backend: Backend, messages: list[dict[str, str]], plan: Plan, *, vocabulary: list[str], bands: dict[str, LoadBand],
    form: str, base_exercise_schema: dict[str, Any] | None = None, seed: int = 0, tries: int = STEP_TRIES,
    spots: list[tuple[int, int]] | None = None, banned: set[str] | dict[str, str] | None = None,
) -> tuple[Plan, list[GenerationResult], StepLog]:
    """Decode again every line of `plan` that repeats its day's exercise, names a `banned` lift (the log
    blames it) or (a backend that ignored the schema) holds a load outside its band. `vocabulary` is what
    a step may choose (the caller leaves the banned names out). Returns the new plan, every step's result
    and a log.

    `spots` (day, slot) overrides which lines to redo. Raises BackendError when the backend fails."""
    from .plans.grammar import text_line_grammar

    log = StepLog()
    results: list[GenerationResult] = []
    vocab = {v.lower(): v for v in vocabulary}
    todo = sorted(set(spots if spots is not None
                      else repeats(plan) + out_of_band(plan, bands) + blocked(plan, banned or set())))
    days = [list(d.exercises) for d in plan.days]
    removed: set[tuple[int, int]] = set()  # dropped slots keep their index until the plan is rebuilt

    def current() -> Plan:
        return plan.model_copy(update={"days": [
            PlanDay(name=d.name, exercises=[p for si, p in enumerate(days[di]) if (di, si) not in removed] or d.exercises[:1])
            for di, d in enumerate(plan.days)]})

    for di, si in todo:
        old = days[di][si]
        taken = [p.exercise for k, p in enumerate(days[di]) if k != si and (di, k) not in removed]
        taken += [b for b in banned or ()]
        taken_keys = {t.lower() for t in taken}
        allowed = [v for v in vocabulary if v.lower() not in taken_keys]
        slot = si - sum(1 for (d, k) in removed if d == di and k < si)
        if not allowed:
            removed.add((di, si))
            log.dropped.append(f"day {di + 1}: {old.exercise} (no exercise left to choose)")
            continue
        snapshot = current()
        prefix = json_prefix(snapshot, di, slot) if form == "json" else text_prefix(snapshot, di, slot)
        prefill = bool(getattr(backend, "supports_prefill", False))
        msgs = step_messages(messages, prefix, prefill=prefill, form=form, day_name=plan.days[di].name, slot=slot,
                             taken=taken)
        schema = grammar = None
        if form == "json" and backend.supports_json_schema and base_exercise_schema is not None:
            schema = exercise_step_schema(allowed, bands, base_exercise_schema)
            if not prefill:
                schema = {"type": "object", "properties": {WRAP: schema}, "required": [WRAP], "additionalProperties": False}
        elif form == "text" and getattr(backend, "supports_grammar", False):
            grammar = text_line_grammar(allowed, bands)
        new: Prescription | None = None
        for t in range(tries):
            req = GenerationRequest(messages=msgs, json_schema=schema, grammar=grammar, max_tokens=STEP_MAX_TOKENS,
                                    temperature=0.0 if t == 0 else STEP_RETRY_TEMPERATURE, seed=seed + 100 + log.steps)
            res = backend.generate(req)  # a backend failure propagates: the caller records it
            results.append(res)
            log.steps += 1
            # llama.cpp answers a prefilled turn with the prefix and its continuation; others with the step alone
            text = res.text[len(prefix):] if res.text.startswith(prefix) else res.text
            new, why = _accept_step(text, form, vocab, allowed, bands)
            if new is None:
                log.failures.append(f"day {di + 1} slot {slot + 1}: {why}")
                continue
            break
        if new is None:
            removed.add((di, si))
            log.dropped.append(f"day {di + 1}: {old.exercise}")
        else:
            days[di][si] = new
            log.replaced.append(f"day {di + 1} slot {slot + 1}: {old.exercise} -> {new.exercise}")
    return current(), results, log


# ------------------------------------------------------------------------------ step-wise decoding (prefill)

_JSON_HEAD = re.compile(r'\s*\{\s*"name"\s*:\s*("(?:[^"\\]|\\.)*")\s*,\s*"exercises"\s*:\s*\[')
_TEXT_HEAD = re.compile(r"\s*DAY\s+([^\n]+)\n", re.IGNORECASE)


def _split_head(text: str, form: str) -> tuple[str, str] | None:
    """(the day's name, the rest) of a step that opened its day; None when the opening is not there."""
    m = (_JSON_HEAD if form == "json" else _TEXT_HEAD).match(text)
    if m is None:
        return None
    name = (json.loads(m.group(1)) if form == "json" else m.group(1)).strip()
    return (name, text[m.end():]) if name else None


class _Draft:
    """The answer so far, kept as the pieces peri joins (the model writes only exercises and day names)."""

    def __init__(self, form: str, scenario: str):
        self.form = form
        self.start = '{"days":[' if form == "json" else f"WEEK {scenario}\n"
        self.days: list[str] = []  # finished days, each as written
        self.head = ""  # the open day's opening
        self.lines: list[str] = []  # the open day's exercises, each as the model wrote it

    def prefix(self) -> str:
        """What the model has 'written' before the next step."""
        if self.form == "json":
            done = "".join(d + "," for d in self.days)
            return self.start + done + self.head + "".join(x + "," for x in self.lines)
        return self.start + "".join(self.days) + self.head + "".join(self.lines)

    def open(self, head: str) -> None:
        self.head, self.lines = head, []

    def close(self) -> None:
        if self.lines:  # a day that got no exercise is left out, never written empty
            self.days.append(self.head + (",".join(self.lines) + "]}" if self.form == "json" else "".join(self.lines)))
        self.head, self.lines = "", []

    def text(self) -> str:
        if self.form == "json":
            return self.start + ",".join(self.days) + "]}"
        return self.start + "".join(self.days)


def _day_head(name: str, form: str) -> str:
    return '{"name":' + json.dumps(name) + ',"exercises":[' if form == "json" else f"DAY {name}\n"


def decode_stepwise(
    backend: Backend, messages: list[dict[str, str]], *, days: int, per_day: int, vocabulary: list[str],
    bands: dict[str, LoadBand], form: str, base_exercise_schema: dict[str, Any] | None = None,
    scenario: str = "normal", seed: int = 0, tries: int = STEP_TRIES, day_choices: list[DayChoices] | None = None,
    sets: SetsCap | None = None,
) -> tuple[str, list[GenerationResult], StepLog]:
    """The whole plan, decoded one exercise at a time as continuations of the model's own answer (a backend
    with `supports_prefill`). `days` days of `per_day` exercises; each step's name is one of `vocabulary`
    not yet in its day, its load in that name's band. With `day_choices` (one per day; `days` is then their
    number) peri writes each day's name and a step chooses from its day's first tier with a name left
    (`DayChoices.allowed`: the focus first, names an earlier day of the same focus holds last); every step
    that had to widen is noted in the log. `sets` bounds each exercise's sets (`plans.constraints.sets_cap`).
    Returns the plan's text (wire JSON or the text form, as if
    written in one go), every step's result and a log. Raises BackendError when the backend fails."""
    from .plans.grammar import json_step_grammar, text_line_grammar

    if form == "json" and base_exercise_schema is None:
        raise ValueError("the JSON form needs the wire exercise schema")
    log = StepLog()
    results: list[GenerationResult] = []
    vocab = {v.lower(): v for v in vocabulary}
    for choice in day_choices or []:  # whatever a day offers, a step that names it is read back
        vocab.update({n.lower(): n for tier in choice.tiers for n in tier.names})
    draft = _Draft(form, scenario)
    used: dict[str, list[str]] = {}  # focus -> names earlier days of that focus hold
    for di in range(len(day_choices) if day_choices else days):
        choice = day_choices[di] if day_choices else None
        if choice is not None:
            draft.open(_day_head(choice.name, form))
        taken: list[str] = []
        for si in range(per_day):
            if choice is not None:
                allowed, tier = choice.allowed(taken, used.get(choice.focus, []))
            else:
                allowed, tier = [v for v in vocabulary if v.lower() not in {t.lower() for t in taken}], 0
            if not allowed:
                log.dropped.append(f"day {di + 1} slot {si + 1}: no exercise left to choose")
                break
            head = not draft.head
            if form == "json":
                grammar = json_step_grammar(exercise_step_schema(allowed, bands, base_exercise_schema or {}, sets),
                                            head=head)
            else:
                grammar = text_line_grammar(allowed, bands, head=head, min_sets=sets.min_sets if sets else 1,
                                            max_sets=sets.max_sets if sets else 10)
            prefix = draft.prefix()
            msgs = [*messages, {"role": "assistant", "content": prefix}]
            done = False
            for t in range(tries):
                req = GenerationRequest(messages=msgs, grammar=grammar, seed=seed + log.steps,
                                        max_tokens=STEP_MAX_TOKENS + (HEAD_TOKENS if head else 0),
                                        temperature=0.0 if t == 0 else STEP_RETRY_TEMPERATURE)
                res = backend.generate(req)  # a backend failure propagates: the caller records it
                results.append(res)
                log.steps += 1
                text = res.text[len(prefix):] if res.text.startswith(prefix) else res.text
                where = f"day {di + 1} slot {si + 1}"
                rest, day_head = text, None
                if head:
                    split = _split_head(text, form)
                    if split is None:
                        log.failures.append(f"{where}: the day's opening is not there")
                        continue
                    day_name, rest = split
                    day_head = _day_head(day_name, form)
                p, why = _accept_step(rest, form, vocab, allowed, bands)
                if p is None:
                    log.failures.append(f"{where}: {why}")
                    continue
                name = p.exercise
                if day_head is not None:
                    draft.open(day_head)
                # the exercise as the model wrote it (the grammar's compact form): the prompt cache keeps it
                line = rest.strip()
                draft.lines.append(line if form == "json" else line + "\n")
                taken.append(name)
                if choice is not None and (why := choice.note(tier, si)) is not None:
                    log.widened.append(why)
                done = True
                break
            if not done:
                if head:  # the day opens under a plain name; its next slot tries again
                    draft.open(_day_head(f"Day {di + 1}", form))
                log.dropped.append(f"day {di + 1} slot {si + 1}: no valid exercise after {tries} tries")
        if choice is not None:
            used.setdefault(choice.focus, []).extend(taken)
        draft.close()
    return draft.text(), results, log
