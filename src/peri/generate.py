"""One plan, end to end: context → prompt → backend → parse → catalog names → checker → the store.

`generate_plan` is the only road from a model to a recorded plan. Every call is recorded whole
(`store.record_generation`): the messages, model and adapter, tokens, latency, cost, raw text, the parsed
plan, the checker's findings and the repaired plan, and how many attempts it took. Bad model output
(not parseable, wrong shape, an exercise the catalog does not know, cut off by the token limit) is
retried a bounded number of times with a new seed, then recorded as invalid with the reason; it never
becomes a silent empty plan.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .backends.base import Backend, GenerationRequest, GenerationResult, RuleInputs
from .errors import BackendError, ConfigError, PeriError, PlanParseError
from .log.context import AthleteContext, load_context
from .log.store import Generation, Store, redacted_generation
from .plans.schema import Plan, Scenario

PromptStyle = Literal["engineered", "short", "hybrid", "fewshot"]
PROMPT_STYLES: tuple[str, ...] = ("engineered", "short", "hybrid", "fewshot")

# A day of the constrained plan holds what the athlete usually does, clamped to 3-5 exercises: enough for a
# real session, and few enough that the week fits the token limit (a cut-off JSON plan is no plan).
MIN_EXERCISES, MAX_EXERCISES = 3, 5
# A week's exercise slots in the JSON plan: at ~40 tok/s decoding with a 3,000-token context on 2 cores every
# output token counts. 24 slots (4 a day on 6 days, 5 on 4-5 days) is what a real week of 4-6 sessions holds.
MAX_WEEKLY_EXERCISES = 24
# One exercise in the wire shape costs ~23 tokens on SmolLM2's tokenizer besides the name (keys and digits
# tokenise one by one: {"exercise":..,"sets":10,"reps":[12,15],"kg":102.5,"rpe":8.5} is 31 tokens with a
# 2-token name); a name costs at most ~1 token per 3 chars.
TOKENS_PER_EXERCISE = 30
TOKENS_PER_DAY = 20  # {"name":"...","exercises":[...]} with a name of at most 24 characters
VOCABULARY_LIMIT = 80  # enum size: the athlete's own exercises plus safe substitutes
RETRY_TEMPERATURE = 0.6  # a retry at temperature 0 would repeat the same output
STEPWISE_FORM = "text"  # what a step-wise (constrained, llama.cpp) plan is written in: "text" or "json"


class BadOutput(PeriError):
    """The model answered, but not with a usable plan (kept apart from a backend failure)."""


# ------------------------------------------------------------------------------------------ vocabulary


def _entry_for(name: str, exercise_id: str | None, catalog: Any, aliases: dict[str, str] | None) -> Any:
    if exercise_id:
        try:
            return catalog.get(exercise_id)
        except Exception:
            pass
    return catalog.match(name, aliases).entry


def exercise_vocabulary(
    ctx: AthleteContext, catalog: Any, *, equipment: list[str] | None = None, aliases: dict[str, str] | None = None,
    limit: int = VOCABULARY_LIMIT,
) -> list[str]:
    """Names a model may prescribe for this athlete: what they have logged (most used first; a name the
    catalog cannot place stays as logged, since it is their own exercise), then catalog substitutes that
    spare their constraint regions and fit the equipment at hand."""
    from .log.guessed_tags import guess_entry
    from .log.non_exercise import strength_rows

    counts: dict[str, int] = {}
    entries: dict[str, Any] = {}
    own: dict[str, str] = {}  # lower-cased logged name the catalog cannot place -> the name as logged
    for s in strength_rows(ctx.sessions):  # a session rating or a label is logged, never prescribed
        for w in s.sets:
            e = _entry_for(w.exercise, w.exercise_id, catalog, aliases)
            if e is None:
                name = w.exercise.strip()
                if not name:
                    continue
                key = "own:" + name.lower()
                own.setdefault(key, name)
                counts[key] = counts.get(key, 0) + 1
                continue
            entries[e.id] = e
            counts[e.id] = counts.get(e.id, 0) + 1
    have = None if equipment is None else {x.lower() for x in equipment} | {"body only"}
    logged = sorted(entries.values(), key=lambda e: (-counts[e.id], e.name))
    ranked = sorted([*((e.id, e.name) for e in logged), *own.items()], key=lambda kv: (-counts[kv[0]], kv[1]))
    names: list[str] = []
    for key, name in ranked:
        if key in own:
            # equipment unknown (no guess, or a name without an equipment word) is not taken on the road
            guess = guess_entry(name) if have is not None else None
            ok = have is None or (guess is not None and guess.equipment is not None and guess.equipment in have)
        else:
            ok = have is None or (entries[key].equipment or "body only") in have
        if ok:
            names.append(name)
    avoid = list(ctx.athlete.constraint_regions)
    equip = equipment if equipment is not None else ctx.athlete.equipment
    prefer = set(entries)
    for e in logged:
        if len(names) >= limit:
            break
        for sub in catalog.substitutes(e, avoid, equip, prefer=prefer, limit=3):
            if sub.name not in names:
                names.append(sub.name)
    return names[:limit]


def usual_exercises(ctx: AthleteContext, weeks: int = 4) -> int:
    """Exercises per session the athlete usually does (last `weeks` weeks), clamped to 3-5."""
    since = ctx.as_of - dt.timedelta(weeks=weeks)
    counts = [len({w.exercise for w in s.sets}) for s in ctx.sessions if s.day >= since and s.sets]
    if not counts:
        return 5
    return max(MIN_EXERCISES, min(MAX_EXERCISES, math.ceil(sum(counts) / len(counts))))


def fit_schema(schema: dict, days: int, max_exercises: int, min_exercises: int = MIN_EXERCISES) -> dict:
    """The wire schema tightened for a small model: exactly the athlete's training days,
    `min_exercises` to `max_exercises` a day, and short day names."""
    s = json.loads(json.dumps(schema))
    days_schema = s["properties"]["days"]
    days_schema["minItems"] = days_schema["maxItems"] = days
    day = days_schema["items"]["properties"]
    day["name"]["maxLength"] = min(24, day["name"].get("maxLength", 24))
    ex = day["exercises"]
    ex["maxItems"] = max(1, min(max_exercises, ex.get("maxItems", MAX_EXERCISES)))
    ex["minItems"] = max(1, min(min_exercises, ex["maxItems"]))
    return s


def json_max_tokens(days: int, max_exercises: int, vocabulary: list[str] | None) -> int:
    """Enough tokens for the largest plan the fitted schema allows, so a plan is not cut off."""
    longest = max((len(v) for v in vocabulary or []), default=60)
    per_exercise = TOKENS_PER_EXERCISE + math.ceil(longest / 3)
    return 20 + days * (TOKENS_PER_DAY + max_exercises * per_exercise)


# --------------------------------------------------------------------------------------------- parsing

_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def parse_output(text: str, *, json_expected: bool) -> tuple[Plan, str]:
    """A Plan from model text and the form it was in ('json' or 'text').

    JSON first when the schema was used, else the compact text form first; each falls back to the
    other (a model asked for text sometimes answers with JSON, often inside prose)."""
    from .plans.jsonschema import plan_from_json
    from .plans.text import parse_plan_text

    if not text.strip():
        raise BadOutput("the model returned an empty answer")

    def as_json(t: str) -> Plan:
        try:
            return plan_from_json(t)
        except PlanParseError:
            m = _JSON_OBJECT.search(t)
            if m is None or m.group(0) == t.strip():
                raise
            return plan_from_json(m.group(0))

    readers: list[tuple[str, Callable[[str], Plan]]] = [("json", as_json), ("text", parse_plan_text)]
    if not json_expected:
        readers.reverse()
    first_error: PlanParseError | None = None
    for form, read in readers:
        try:
            return read(text), form
        except PlanParseError as e:
            first_error = first_error or e
    raise BadOutput(f"not a plan: {first_error}")


def logged_names(ctx: AthleteContext) -> list[str]:
    """Every exercise name in the athlete's log, as logged (first spelling of each, case ignored)."""
    seen: dict[str, str] = {}
    for s in ctx.sessions:
        for w in s.sets:
            name = w.exercise.strip()
            if name:
                seen.setdefault(name.lower(), name)
    return list(seen.values())


def map_exercises(
    plan: Plan, catalog: Any, vocabulary: list[str] | None, aliases: dict[str, str] | None = None,
    own: list[str] | None = None,
) -> tuple[Plan, dict[str, str]]:
    """Every exercise under its catalog name. Returns the plan and {model's name: catalog name} for the
    names that needed mapping. A name in `vocabulary` or among the athlete's `own` logged names is kept
    (mapped or not: the athlete's own exercises are always valid prescriptions); any other name the
    catalog cannot place raises BadOutput (no guessing)."""
    vocab = {v.lower(): v for v in own or []}
    vocab.update({v.lower(): v for v in vocabulary or []})
    mapped: dict[str, str] = {}
    unknown: list[str] = []
    days = []
    for day in plan.days:
        exercises = []
        for p in day.exercises:
            name = p.exercise.strip()
            canonical = vocab.get(name.lower())
            if canonical is None:
                entry = catalog.by_name(name) or catalog.match(name, aliases).entry
                if entry is None:
                    unknown.append(name)
                    continue
                canonical = entry.name
            if canonical != p.exercise:
                mapped[p.exercise] = canonical
            exercises.append(p.model_copy(update={"exercise": canonical}))
        days.append(day.model_copy(update={"exercises": exercises}))
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:5])
        raise BadOutput(f"exercise{'s' if len(unknown) > 1 else ''} not in the catalog nor in the athlete's "
                        f"log: {shown}")
    return plan.model_copy(update={"days": days}), mapped


# ------------------------------------------------------------------------------------------- checking


def _dump(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if hasattr(obj, "__dataclass_fields__"):
        import dataclasses

        return json.loads(json.dumps(dataclasses.asdict(obj), default=str))
    return obj


def run_checker(plan: Plan, ctx: AthleteContext, catalog: Any, scenario: Scenario, repair: bool) -> tuple[list[dict], Plan | None]:
    """The checker's findings (as dicts) and, when asked, its repaired plan."""
    import inspect

    from .plans.checker import check_plan

    kwargs: dict[str, Any] = {}
    if "repair" in inspect.signature(check_plan).parameters:
        kwargs["repair"] = repair
    result = check_plan(plan, ctx, catalog, scenario, **kwargs)
    findings = [_dump(f) for f in result.findings]
    repaired = result.repaired if repair else None
    return findings, repaired


# -------------------------------------------------------------------------------------------- prompts


def _approach(spec: str, backend: Backend, style: str) -> str:
    if backend.needs_context:
        return "rules"
    if style == "hybrid":
        return "hybrid"
    from .model_spec import ModelSpec

    parsed = ModelSpec.maybe(spec)  # None: a custom backend's own name
    tuned = (parsed is not None and parsed.tuned) or bool(backend.adapter)
    if style == "fewshot":  # the athlete's past weeks as examples in the prompt (peri.tune.retrieval)
        return "finetuned-fewshot" if tuned else "prompt-fewshot"
    if tuned:
        return "finetuned"
    return "prompt"


def _tokenizer(model_spec: str, store: Store) -> Any:
    """The model's own tokenizer; a labelled estimate for a backend peri has no spec for (a custom one)."""
    from .prompts.tokens import EstimateTokenizer, tokenizer_for

    try:
        return tokenizer_for(model_spec, store=store)
    except ConfigError:
        return EstimateTokenizer(model_spec)


def build_messages(
    ctx: AthleteContext, catalog: Any, model_spec: str, scenario: Scenario, detail: int, style: str, *,
    json_output: bool, event_date: dt.date | None, equipment: list[str] | None, store: Store, budget: int,
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The chat messages for one style, and what to record about them."""
    from .prompts.builder import build_prompt, short_prompt

    if style == "engineered":
        tok = _tokenizer(model_spec, store)
        built = build_prompt(
            ctx, catalog, scenario, detail, tokenizer=tok, budget=budget, event_date=event_date, equipment=equipment,
            output_format="json" if json_output else "text",
        )
        info = {
            "sections": {s.name: s.tokens for s in built.sections}, "context_tokens": built.context_tokens,
            "prompt_tokens_counted": built.total_tokens, "tokenizer": built.tokenizer, "exact": built.exact,
            "over_budget": built.over_budget, "dropped": built.dropped, "budget": budget,
        }
        if built.warning:
            info["warning"] = built.warning
        return built.messages, info
    if style == "fewshot":
        # Few-shot: the short request (with the scenario) after the athlete's own best-matching past weeks
        # as example turns, as many as fit `budget` tokens; the examples teach the output form
        from .tune.retrieval import fewshot_prompt

        tok = _tokenizer(model_spec, store)
        fs = fewshot_prompt(ctx, catalog, scenario, tokenizer=tok, budget=budget, event_date=event_date,
                            equipment=equipment)
        return fs.messages, {
            "sections": {s.name: s.tokens for s in fs.sections}, "examples": [str(e.week_start) for e in fs.examples],
            "example_tokens": fs.example_tokens, "candidates": fs.candidates, "left_out": len(fs.left_out),
            "prompt_tokens_counted": fs.total_tokens, "tokenizer": fs.tokenizer, "exact": fs.exact, "budget": budget,
            "scenario_in_prompt": scenario.value,
        }
    if style == "hybrid":
        # Hybrid: the tuned model's short input with the scenario's instruction (deload, travel, peaking,
        # injury) — exactly the form the dataset trains scenario weeks on, so serving matches training.
        return short_prompt(ctx, catalog, scenario, event_date=event_date, equipment=equipment), {"scenario_in_prompt": scenario.value}
    # Short: what a user of a tuned model types — the profile and last week, no scenario.
    messages = short_prompt(ctx, catalog, Scenario.normal)
    return messages, {}


# ------------------------------------------------------------------------------------------ the call


class PlanRequest(BaseModel):
    """Everything that decides one plan generation besides the store and the loaded handles.

    One typed object instead of a long parameter list: the CLI, the evaluation and the demo each fill it,
    and a new option is one field here (plus where `prepare` reads it).
    """

    model_config = ConfigDict(extra="forbid")

    athlete: str
    model_spec: str
    scenario: Scenario = Scenario.normal
    detail: int = Field(3, ge=0, le=4, description="the engineered template's detail level")
    style: str = Field("engineered", description="engineered | short | hybrid")
    repair: bool = Field(False, description="also record the checker's repaired plan")
    as_of: dt.date | None = Field(None, description="plan the week starting here, from history before it")
    experiment: str | None = None
    event_date: dt.date | None = None
    equipment: list[str] | None = None
    max_attempts: int = Field(3, ge=1, description="tries before bad output is recorded as invalid")
    budget: int = Field(3000, ge=1, description="the prompt's context-token budget")
    seed: int = 0
    constrain: bool = Field(True, description="decode under peri.plans.constraints (no exercise twice a day, "
                                              "loads in the athlete's band); off only to measure its effect")
    moderate_stress: Literal["keep", "demote", "block"] = Field(
        "demote", description="constrained decoding of a lift that moderately stresses a region the log or profile "
                              "blames: keep it with the rest, demote it behind its day's safer names (step-wise "
                              "decoding; the default: bench/decoding.py measured it safer and better on the oracle "
                              "for knee-beginner and shoulder-ppl), or block it like a blamed lift")

    @classmethod
    def of(cls, athlete: str, model_spec: str, **fields: Any) -> PlanRequest:
        """A request from keyword fields, refusing a bad one as a ConfigError that names the field."""
        if "prompt_style" in fields:  # the historical keyword
            fields["style"] = fields.pop("prompt_style")
        style = fields.get("style", "engineered")
        if style not in PROMPT_STYLES:
            raise ConfigError(f"unknown prompt style {style!r}", hint="use engineered, short or hybrid")
        if fields.get("max_attempts", 1) < 1:
            raise ConfigError("max_attempts must be at least 1")
        sc = fields.get("scenario", Scenario.normal)
        try:
            fields["scenario"] = Scenario(sc)
        except ValueError:
            raise ConfigError(f"unknown scenario {sc!r}", hint=f"use one of: {', '.join(s.value for s in Scenario)}") from None
        fields = {k: v for k, v in fields.items() if v is not None or k in {"as_of", "event_date", "equipment", "experiment"}}
        try:
            return cls(athlete=athlete, model_spec=model_spec, **fields)
        except ValidationError as e:
            err = e.errors()[0]
            field = ".".join(str(x) for x in err.get("loc", ()))
            raise ConfigError(f"plan request: {field}: {err.get('msg')}", place=field) from None


class Prepared(BaseModel):
    """What the attempt loop sends, and what the record keeps about it (built once per generation)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    ctx: Any
    catalog: Any
    aliases: dict[str, str]
    own: list[str]
    approach: str
    record_detail: int | None
    meta: dict[str, Any]
    messages: list[dict[str, str]] = Field(default_factory=list)
    rule_inputs: Any = None
    schema_: dict | None = None
    grammar: str | None = None
    vocabulary: list[str] | None = None
    max_tokens: int = 700
    days: int = 0
    per_day: int = 0
    form: str = "json"  # what the model is asked to write: "json" (wire shape) or "text" (the tuned form)
    bands: dict[str, Any] | None = None  # name -> plans.constraints.LoadBand when decoding is constrained
    step_base: dict | None = None  # the wire exercise object, for the step-wise re-decode's schema
    blocked: dict[str, str] | None = None  # name -> why: lifts the log blames, left out of a constrained vocabulary
    layout: Any = None  # plans.constraints.WeekLayout: peri's days (names and focus) on every constrained model path
    day_choices: list[Any] | None = None  # plans.constraints.DayChoices per day of a step-wise plan (peri's days)
    sets: Any = None  # plans.constraints.SetsCap: a step-wise plan's sets per exercise (from the log)
    stepwise: bool = False  # constrained on a prefill backend: decoded one exercise at a time (peri.decoding)


class Attempted(BaseModel):
    """What the attempt loop got: a plan (or the last error), every result and the attempts' log."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    plan: Plan | None = None
    mapped: dict[str, str] = Field(default_factory=dict)
    form: str | None = None
    results: list[GenerationResult] = Field(default_factory=list)
    attempts: list[dict[str, Any]] = Field(default_factory=list)
    error: str | None = None


def prepare(store: Store, req: PlanRequest, backend: Backend, catalog: Any) -> Prepared:
    """Context, prompt and decoding constraints for `req` on `backend` (no model call yet)."""
    ctx = load_context(store, req.athlete, req.as_of)
    approach = _approach(req.model_spec, backend, req.style)
    meta: dict[str, Any] = {"style": req.style, "as_of": ctx.as_of.isoformat(), "spec": req.model_spec}
    if req.event_date:
        meta["event_date"] = req.event_date.isoformat()
    if req.equipment is not None:
        meta["equipment"] = req.equipment
    prep = Prepared(
        ctx=ctx, catalog=catalog, aliases=store.aliases(), own=logged_names(ctx), approach=approach,
        record_detail=req.detail if approach == "prompt" and req.style == "engineered" else None, meta=meta,
    )
    meta = prep.meta  # pydantic copied the dict: write to the one the record will keep
    from .log.gaps import log_gaps

    # what the log does not show travels with the plan, so every face says it beside the plan
    gaps = log_gaps(ctx, prep.aliases)
    if gaps:
        meta["log_gaps"] = [g.model_dump() for g in gaps]
    if backend.needs_context:
        prep.rule_inputs = RuleInputs(context=ctx, scenario=req.scenario.value, event_date=req.event_date,
                                      equipment=req.equipment)
        return prep
    vocabulary = exercise_vocabulary(ctx, catalog, equipment=req.equipment, aliases=prep.aliases) or None
    if req.constrain and vocabulary:
        # a constrained decoder never chooses a lift the athlete's own log blames (the checker's reading)
        from .plans.constraints import blocked_names

        prep.blocked = blocked_names(ctx, catalog, vocabulary)
        if req.moderate_stress == "block":
            from .plans.constraints import moderate_names

            prep.blocked |= {n: why for n, why in moderate_names(ctx, catalog, vocabulary).items() if n not in prep.blocked}
        kept = [v for v in vocabulary if v not in prep.blocked]
        if kept:
            vocabulary = kept
        else:  # every name is blamed: nothing safe to offer, so the checker's findings say so instead
            meta["blocked_kept"] = "every vocabulary name is blamed by the log; none left out"
            prep.blocked = {}
    prep.vocabulary = vocabulary
    meta["vocabulary_size"] = len(vocabulary or [])
    days = ctx.athlete.days_per_week
    if req.constrain and vocabulary:
        from .plans.constraints import athlete_layout, load_bands

        prep.bands = load_bands(ctx, catalog, vocabulary, aliases=prep.aliases)
        # peri's days on every constrained path: step-wise writes them itself, a whole plan is asked for them
        # (schema enum, grammar, prompt) and relabelled after (`constrain`)
        prep.layout = athlete_layout(ctx.athlete)
        days = len(prep.layout.days)
    prep.days = days
    # llama.cpp continues a prefilled answer: the constrained plan is decoded one exercise at a time
    stepwise = bool(prep.bands is not None and getattr(backend, "supports_prefill", False)
                    and getattr(backend, "supports_grammar", False))
    # The tuned model was trained on the text form; constraining it to JSON would fight its training. A
    # step-wise plan is written in the text form too (STEPWISE_FORM): the grammar decides its structure, and
    # a text line costs ~12 decoded tokens where a wire JSON exercise costs ~33 (bench/decoding.py).
    use_schema = backend.supports_json_schema and req.style == "engineered" and not (stepwise and STEPWISE_FORM == "text")
    if use_schema:
        from .plans.jsonschema import plan_wire_schema

        n_ex = min(usual_exercises(ctx), len(vocabulary) if vocabulary else MAX_EXERCISES,
                   max(MIN_EXERCISES, MAX_WEEKLY_EXERCISES // days))
        # exactly the athlete's usual session size: given a range, the 135M model writes the short end
        # of it in the wire shape (3 exercises a day) and the long end in the verbose one
        prep.schema_ = fit_schema(plan_wire_schema(vocabulary), days, n_ex, n_ex)
        if prep.bands is not None:
            from .plans.constraints import constrained_wire_schema, named_days_schema

            prep.step_base = prep.schema_["properties"]["days"]["items"]["properties"]["exercises"]["items"]
            prep.schema_ = named_days_schema(constrained_wire_schema(prep.schema_, prep.bands), prep.layout)
        prep.max_tokens = json_max_tokens(days, n_ex, vocabulary)
        prep.per_day, prep.form = n_ex, "json"
    elif getattr(backend, "supports_grammar", False) and vocabulary:
        # a llama.cpp model on the short/hybrid prompts: constrained to the text form it was tuned on
        from .plans.grammar import plan_text_grammar

        prep.grammar = plan_text_grammar(vocabulary, days, bands=prep.bands,
                                         day_names=[d.name for d in prep.layout.days] if prep.layout else None)
        prep.max_tokens = 20 + days * (12 + 8 * 30)
        prep.per_day, prep.form = min(usual_exercises(ctx), len(vocabulary)), "text"
        if stepwise:  # a fixed session size, as the wire schema's: the athlete's usual, within the weekly cap
            prep.per_day = min(prep.per_day, max(MIN_EXERCISES, MAX_WEEKLY_EXERCISES // days))
        meta["grammar"] = "plan text form"
    else:
        prep.per_day = usual_exercises(ctx)
        prep.form = "json" if req.style == "engineered" and backend.supports_json_schema else "text"
    prep.messages, meta["prompt"] = build_messages(
        ctx, catalog, req.model_spec, req.scenario, req.detail, req.style, json_output=prep.schema_ is not None,
        event_date=req.event_date, equipment=req.equipment, store=store, budget=req.budget,
    )
    meta["constrained"] = prep.schema_ is not None or prep.grammar is not None
    prep.stepwise = stepwise and meta["constrained"]
    if prep.stepwise:
        from .plans.constraints import sets_cap

        _day_choices(ctx, catalog, prep, req, vocabulary or [])
        prep.days = len(prep.day_choices or []) or prep.days
        prep.sets = sets_cap(ctx)
    elif prep.layout is not None:  # the model writes the whole plan: the request states peri's days
        prep.messages = _ask_for_days(prep.messages, prep.layout.request())
    if prep.bands is not None:
        sources: dict[str, int] = {}
        for b in prep.bands.values():
            sources[b.source] = sources.get(b.source, 0) + 1
        meta.setdefault("constraints", {}).update({  # (a step-wise plan's demoted lifts are there already)
            "mechanism": _mechanism(backend, prep), "load_bands": sources,
            "decode": "stepwise" if prep.stepwise else "whole plan, then repair steps", "blocked": prep.blocked or {}})
        layout = prep.layout
        meta["constraints"]["days"] = {"split": layout.split, "source": layout.source, "evidence": layout.evidence,
                                       "focus": {d.name: d.focus for d in layout.days}}
        if prep.stepwise:
            meta["constraints"]["sets"] = prep.sets.model_dump()
    return prep


def _day_choices(ctx: AthleteContext, catalog: Any, prep: Prepared, req: PlanRequest, vocabulary: list[str]) -> None:
    """Each day's tiers over the vocabulary (`plans.constraints.day_choices`) for a step-wise plan of
    `prep.layout`'s days, set on `prep`."""
    from .plans.constraints import day_choices, moderate_names, vocabulary_entries

    entries = vocabulary_entries([*vocabulary, *(prep.blocked or {})], catalog, prep.aliases)
    demoted = moderate_names(ctx, catalog, vocabulary) if req.moderate_stress == "demote" else None
    prep.day_choices = day_choices(prep.layout, vocabulary, entries, blocked=prep.blocked, demoted=demoted)
    if demoted:
        prep.meta.setdefault("constraints", {})["demoted"] = demoted


def _ask_for_days(messages: list[dict[str, str]], ask: str) -> list[dict[str, str]]:
    """`messages` with `ask` (the days to write) closing the last user turn."""
    out = [dict(m) for m in messages]
    last = max((i for i, m in enumerate(out) if m.get("role") == "user"), default=None)
    if last is None:
        return [*out, {"role": "user", "content": ask}]
    out[last]["content"] = out[last]["content"].rstrip() + "\n\n" + ask
    return out


def _mechanism(backend: Backend, prep: Prepared) -> str:
    """What enforces the constraints while decoding on this path (docs/architecture.md says what each means)."""
    if getattr(backend, "supports_grammar", False) and (prep.schema_ is not None or prep.grammar is not None):
        return "grammar"  # llama.cpp: each exercise under a grammar without the day's names, its load in band
    if prep.schema_ is not None:
        return "json_schema"  # a provider's structured output; repeats re-decoded as a next-turn step
    return "checked"  # no constraint the backend takes: every line checked, re-decoded, then enforced


def constrain(store: Store, req: PlanRequest, prep: Prepared, backend: Backend, got: Attempted) -> Attempted:
    """Re-decode, step by step, every line of the plan that repeats its day's exercise or leaves its load
    band, then enforce both rules (`peri.decoding`, `peri.plans.constraints`). A no-op when not asked."""
    if not req.constrain or prep.bands is None or got.plan is None or backend.needs_context:
        return got
    from .decoding import redecode
    from .plans.constraints import enforce, out_of_band, repeats

    if prep.layout is not None and not prep.stepwise:  # a whole plan: peri's day names, whatever the model wrote
        from .plans.constraints import relabel_days

        relabelled, renamed = relabel_days(got.plan, prep.layout)
        got = got.model_copy(update={"plan": relabelled})
        if renamed:
            prep.meta.setdefault("constraints", {})["day_names"] = renamed
    before = {"repeats": len(repeats(got.plan)), "out_of_band": len(out_of_band(got.plan, prep.bands))}
    try:
        plan, results, log = redecode(backend, prep.messages, got.plan, vocabulary=prep.vocabulary or [],
                                      bands=prep.bands, form=prep.form, base_exercise_schema=prep.step_base,
                                      seed=req.seed, banned=prep.blocked)
    except PeriError as e:
        error = f"backend failed during the step-wise re-decode: {e}"
        g = _record(store, prep.ctx, backend, prep.approach, req.scenario, prep.record_detail, req.experiment,
                    prep.messages, got.results, None, False, error, [], None, prep.meta | {"attempts": got.attempts})
        raise BackendError(f"{backend.name} failed (generation {g.id} recorded): {e}") from e
    try:
        done = enforce(plan, prep.bands, prep.blocked)
    except PlanParseError as e:
        return got.model_copy(update={"plan": None, "error": str(e), "results": got.results + results})
    info = prep.meta.setdefault("constraints", {})
    steps = info.get("steps", 0) + log.steps  # a step-wise decode counted its own steps already
    info.update({"before": before, "steps": steps, "replaced": log.replaced,
                 "dropped": info.get("dropped", []) + log.dropped + done.dropped, "clamped": done.clamped})
    if log.failures:
        info["step_failures"] = (info.get("step_failures", []) + log.failures)[:10]
    return got.model_copy(update={"plan": done.plan, "results": got.results + results})


def stepwise_loop(store: Store, req: PlanRequest, prep: Prepared, backend: Backend) -> Attempted:
    """The constrained plan on a prefill backend, one exercise at a time (`peri.decoding.decode_stepwise`):
    the attempt loop's result, with every step's result (each was waited for) and one attempt entry."""
    from .decoding import decode_stepwise

    out = Attempted()
    try:
        text, results, log = decode_stepwise(
            backend, prep.messages, days=prep.days, per_day=prep.per_day, vocabulary=prep.vocabulary or [],
            bands=prep.bands or {}, form=prep.form, base_exercise_schema=prep.step_base, scenario=req.scenario.value,
            seed=req.seed, day_choices=prep.day_choices, sets=prep.sets)
    except PeriError as e:
        error = f"backend failed during the step-wise decode: {e}"
        out.attempts.append({"seed": req.seed, "error": error})
        g = _record(store, prep.ctx, backend, prep.approach, req.scenario, prep.record_detail, req.experiment,
                    prep.messages, out.results, None, False, error, [], None, prep.meta | {"attempts": out.attempts})
        raise BackendError(f"{backend.name} failed (generation {g.id} recorded): {e}") from e
    out.results = results
    info = prep.meta.setdefault("constraints", {})
    info.update({"steps": log.steps, "dropped": log.dropped})
    if log.failures:
        info["step_failures"] = log.failures[:10]
    if log.widened:
        info["widened"] = log.widened
    attempt: dict[str, Any] = {
        "seed": req.seed, "temperature": 0.0, "steps": log.steps,
        "prompt_tokens": results[0].prompt_tokens if results else None,
        "output_tokens": sum(r.output_tokens or 0 for r in results),
        "latency_s": round(sum(r.latency_s for r in results), 3),
        "finish_reason": results[-1].finish_reason if results else None,
    }
    if results and results[-1].meta:
        attempt["backend"] = results[-1].meta
    if any("prompt_cached" in r.meta for r in results):  # the prompt cache at work: the plan so far is not re-read
        attempt["prompt_processed"] = sum(r.meta.get("prompt_processed", 0) for r in results)
        attempt["prompt_cached"] = sum(r.meta.get("prompt_cached", 0) for r in results)
    try:
        parsed, out.form = parse_output(text, json_expected=prep.form == "json")
        out.plan, out.mapped = map_exercises(parsed, prep.catalog, prep.vocabulary, prep.aliases, own=prep.own)
        attempt["ok"] = True
    except BadOutput as e:
        out.error = str(e)
        attempt["error"] = out.error
        attempt["raw_text"] = text[:2000]
    out.attempts.append(attempt)
    return out


def attempt_loop(store: Store, req: PlanRequest, prep: Prepared, backend: Backend) -> Attempted:
    """Call the backend up to `req.max_attempts` times until its output is a usable plan.

    A backend failure is recorded and raised as BackendError; bad output is retried with a new seed and a
    temperature above 0 (at 0 it would repeat itself)."""
    out = Attempted()
    for i in range(req.max_attempts):
        gen_req = GenerationRequest(
            messages=prep.messages, json_schema=prep.schema_, grammar=prep.grammar, max_tokens=prep.max_tokens,
            temperature=0.0 if i == 0 else RETRY_TEMPERATURE, seed=req.seed + i, rule_inputs=prep.rule_inputs,
        )
        try:
            res = backend.generate(gen_req)
        except PeriError as e:
            error = f"backend failed: {e}"
            out.attempts.append({"seed": gen_req.seed, "temperature": gen_req.temperature, "error": error})
            g = _record(store, prep.ctx, backend, prep.approach, req.scenario, prep.record_detail, req.experiment,
                        prep.messages, out.results, None, False, error, [], None, prep.meta | {"attempts": out.attempts})
            raise BackendError(f"{backend.name} failed (generation {g.id} recorded): {e}") from e
        out.results.append(res)
        attempt = {
            "seed": gen_req.seed, "temperature": gen_req.temperature, "prompt_tokens": res.prompt_tokens,
            "output_tokens": res.output_tokens, "latency_s": round(res.latency_s, 3), "finish_reason": res.finish_reason,
        }
        if res.meta:
            attempt["backend"] = res.meta
        try:
            parsed, out.form = parse_output(res.text, json_expected=prep.schema_ is not None)
            out.plan, out.mapped = map_exercises(parsed, prep.catalog, prep.vocabulary, prep.aliases, own=prep.own)
            attempt["ok"] = True
            out.attempts.append(attempt)
            out.error = None
            break
        except BadOutput as e:
            out.error = str(e)
            if res.finish_reason == "length":
                out.error += f" (cut off at the {prep.max_tokens}-token limit)"
            attempt["error"] = out.error
            attempt["raw_text"] = res.text[:2000]
            out.attempts.append(attempt)
            out.plan = None
    return out


def finish(
    store: Store, req: PlanRequest, prep: Prepared, backend: Backend, got: Attempted,
    score: Callable[[Plan, str, dt.date], dict | None] | None = None,
) -> Generation:
    """Check, score and record what the attempt loop got (an invalid generation when it got no plan)."""
    meta = prep.meta | {"attempts": got.attempts}
    ctx = prep.ctx
    if got.plan is None:
        n = len(got.attempts)
        error = f"no usable plan after {n} attempt{'s' if n > 1 else ''}: {got.error}"
        return _record(store, ctx, backend, prep.approach, req.scenario, prep.record_detail, req.experiment,
                       prep.messages, got.results, None, False, error, [], None, meta)
    plan = got.plan
    if plan.scenario != req.scenario:
        meta["model_scenario"] = plan.scenario.value
    plan = plan.model_copy(update={"scenario": req.scenario, "week_of": plan.week_of or ctx.week_start()})
    meta["output_form"] = got.form
    if got.mapped:
        meta["exercise_mapping"] = got.mapped
    findings, repaired = run_checker(plan, ctx, prep.catalog, req.scenario, req.repair)
    if score is not None:
        try:
            meta["oracle"] = score(plan, req.athlete, ctx.as_of)
        except PeriError as e:
            meta["oracle_error"] = str(e)
    return _record(store, ctx, backend, prep.approach, req.scenario, prep.record_detail, req.experiment,
                   prep.messages, got.results, plan, True, None, findings, repaired, meta)


def generate_plan(
    store: Store,
    request: PlanRequest | str,
    model_spec: str | None = None,
    *,
    backend: Backend | None = None,
    catalog: Any = None,
    score: Callable[[Plan, str, dt.date], dict | None] | None = None,
    **fields: Any,
) -> Generation:
    """Plan next week and record the generation (valid or not): request → attempt loop → check/score/record.

    `request` is a `PlanRequest`, or the athlete's name with `model_spec` and the request's fields as
    keywords (`scenario`, `detail`, `prompt_style`/`style`, `repair`, `as_of`, `experiment`, `event_date`,
    `equipment`, `max_attempts`, `budget`, `seed`, `constrain`, `moderate_stress`).
    `backend` reuses an already-loaded backend (the prompt experiment loads the model once).
    `score(plan, athlete, as_of)` adds an outside score to the record's meta (the CLI passes the
    oracle for simulated athletes; this module never imports it). Recorded totals: `output_tokens`,
    `latency_s` and `cost_usd` add up every attempt (what was waited and paid for); `prompt_tokens`
    is the prompt's size; each attempt is listed in `meta["attempts"]`.
    Raises BackendError only when the backend itself fails (after recording it); bad output ends in a
    recorded generation with `valid=False` and the reason in `error`.
    """
    if isinstance(request, PlanRequest):
        if fields or model_spec is not None:
            raise ConfigError("give either a PlanRequest or the athlete, model and fields, not both")
        req = request
    else:
        if model_spec is None:
            raise ConfigError("generate_plan needs a model spec")
        req = PlanRequest.of(request, model_spec, **fields)
    if catalog is None:
        from .log.catalog import default_catalog

        catalog = default_catalog()
    if backend is None:
        from .backends.registry import get_backend

        backend = get_backend(req.model_spec, store)
    prep = prepare(store, req, backend, catalog)
    first = stepwise_loop if prep.stepwise else attempt_loop
    got = constrain(store, req, prep, backend, first(store, req, prep, backend))
    return finish(store, req, prep, backend, got, score)


def _record(
    store: Store, ctx: AthleteContext, backend: Backend, approach: str, scenario: Scenario, detail: int | None,
    experiment: str | None, messages: list[dict[str, str]], results: list[GenerationResult], plan: Plan | None,
    valid: bool, error: str | None, findings: list[dict], repaired: Plan | None, meta: dict,
) -> Generation:
    last = results[-1] if results else None
    # the prompt's size is the plan's own call, not a re-decode step's (whose prompt holds the plan so far)
    steps = (meta.get("constraints") or {}).get("steps", 0)
    asked = results[-1 - steps] if results and len(results) > steps else (results[0] if results else None)
    costs = [r.cost_usd for r in results]
    g = Generation(
        athlete_id=ctx.athlete.id,
        approach=approach,
        model=backend.name,
        adapter=backend.adapter,
        scenario=scenario.value,
        detail=detail,
        experiment=experiment,
        messages=messages,
        prompt_tokens=asked.prompt_tokens if asked else None,
        output_tokens=sum(r.output_tokens or 0 for r in results) if results else None,
        latency_s=round(sum(r.latency_s for r in results), 4) if results else None,
        cost_usd=None if not costs or any(c is None for c in costs) else sum(c for c in costs if c is not None),
        raw_text=last.text if last else None,
        plan=plan.model_dump(mode="json") if plan is not None else None,
        valid=valid,
        error=error,
        findings=findings,
        repaired_plan=repaired.model_dump(mode="json") if repaired is not None else None,
        meta=meta,
    )
    return _record_or_keep(store, g)


def _record_or_keep(store: Store, g: Generation) -> Generation:
    """Record `g`; when the store cannot take it (busy past the wait, full, read-only) keep it in a file.

    A generated plan cost a model call (and maybe money): it is never lost to a storage failure. The
    returned generation then has no id and `meta["unsaved"]` names the file.
    """
    from .errors import StorageError

    try:
        return store.record_generation(g)
    except StorageError as e:
        from .paths import peri_home

        try:
            d = peri_home() / "unsaved"
            d.mkdir(parents=True, exist_ok=True)
            path = d / f"generation-{g.created_at.strftime('%Y%m%dT%H%M%S%f')}.json"
            kept = redacted_generation(g.model_copy(update={"meta": {**g.meta, "unsaved": str(path), "store_error": e.message}}))
            path.write_text(kept.model_dump_json(indent=1), encoding="utf-8")
        except OSError:
            raise e from None  # nowhere to keep it either: the storage error says what to fix
        return kept


def generation_plan(g: Generation, *, repaired: bool = False) -> Plan | None:
    """The recorded plan (or the repaired one) back as a Plan."""
    data = g.repaired_plan if repaired and g.repaired_plan else g.plan
    return Plan.model_validate(data) if data else None
