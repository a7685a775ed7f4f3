"""The fine-tuning dataset: one (short prompt, logged week as a plan) pair per past week of an athlete's log.

How a week becomes an example:

- Weeks run Monday to Sunday. A week with no sessions gives nothing. The first logged week is skipped:
  its input would be the profile alone, and a model trained on it learns to invent a plan from nothing.
  A week that the context's `as_of` cuts short is skipped too (it was not finished).
- Input: `peri.prompts.builder.short_prompt(ctx_before_week, catalog, scenario)` — the very function the
  serving path calls — on a context sliced to the sessions and annotations strictly before that Monday,
  so nothing from the week itself or later leaks into the input.
- Output: the week as it was logged, `plan_to_text(plan_from_sessions(week_sessions, catalog, scenario))`,
  without the `WEEK` line's date (the input holds no date, so a date is nothing a model could learn).
- Scenario (the hybrid: short prompt + scenario instruction): read only from what the log shows — session
  names, session and set notes and that week's annotations mentioning a deload, travel/hotel, a
  peak/meet/competition or an injury (a few words in Spanish, German, French and Croatian as well).
- Annotations decide what the model learns. Weeks whose notes say `worked` or `felt_strong` are kept and
  marked. Weeks whose notes say `excessive`, `aggravated` or `pain` are left out, or with `repair=True`
  sent through the plan checker (with that week's notes known to it) and kept, marked repaired, when the
  checker's repair changed the plan; otherwise left out. Every drop and repair records why.
- Identical (input, output) pairs are kept once (the earliest).
- Split by time: the last `val_fraction` of the weeks are validation, so every validation week is later
  than every training week.

Files: `PERI_HOME/datasets/<athlete>/{train,val}.jsonl` in OpenAI's chat format (`{"messages": [...]}`
per line; the local trainer reads the same files) and `build.json` (the resolved config, the report,
per-example metadata and the dataset hash).
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..artefacts import BUILD_FILE, dataset_dir
from ..errors import DatasetError, PeriError
from ..log.context import AthleteContext
from ..log.models import Annotation, Session
from ..paths import peri_home
from ..plans.schema import Plan, Scenario

RECOMMENDED_MIN = 100
RECOMMENDED_MAX = 500
KEEP_TAGS = ("worked", "felt_strong")
BAD_TAGS = ("excessive", "aggravated", "pain")

# Words a real log uses for each scenario. Order breaks ties between equally frequent scenarios.
SCENARIO_WORDS: dict[Scenario, re.Pattern[str]] = {
    Scenario.deload: re.compile(
        r"\b(de-?load\w*|easy week|light week|recovery week|descarga|entlastung\w*|d[ée]charge|rastere[ćc]enje)\b",
        re.IGNORECASE),
    Scenario.travel: re.compile(
        r"\b(travel\w*|hotel\w*|trip|vacation|holiday|airbnb|airport|on the road|viaje|reise\w*|urlaub|voyage|"
        r"vacances|putovanj\w*)\b", re.IGNORECASE),
    Scenario.peaking: re.compile(
        r"\b(peak\w*|meet|mock meet|competition|comp|contest|test day|max(?:ing)? out|platform|wettkampf|"
        r"competici[óo]n|competencia|comp[ée]tition|natjecanj\w*)\b", re.IGNORECASE),
    Scenario.injury: re.compile(
        r"\b(injur\w*|rehab\w*|physio\w*|sprain\w*|strained|tendini?tis|tendonitis|les[ií][óo]n|verletz\w*|"
        r"blessure|ozljed\w*)\b", re.IGNORECASE),
}


class BuildConfig(BaseModel):
    """Everything that decides a build's content; saved in build.json next to the files."""

    athlete: str
    as_of: dt.date
    val_fraction: float = Field(0.15, ge=0, lt=1)
    repair: bool = True
    cost_model: str = "gpt-4o-mini"
    epochs: int | None = None  # None: OpenAI's default 3, clamped to examples x epochs in [100, 25000]


class Example(BaseModel):
    week_start: dt.date
    scenario: Scenario
    label: Literal["worked", "neutral", "repaired"]
    tags: list[str] = Field(default_factory=list)  # the week's annotation tags
    messages: list[dict[str, str]]
    tokens: int = 0  # rendered through the embedded model's chat template
    note: str | None = None  # why it was repaired


class DroppedWeek(BaseModel):
    week_start: dt.date
    reason: str


class RepairedWeek(BaseModel):
    week_start: dt.date
    reason: str


class TokenStats(BaseModel):
    tokenizer: str
    min: int = 0
    mean: float = 0.0
    max: int = 0
    total: int = 0


class CostEstimate(BaseModel):
    model: str
    billable_tokens: int  # training-file tokens, counted with the model's own encoding
    examples: int = 0  # training-split examples the tokens were counted over
    epochs: int
    usd: float
    price_per_million: float | None = None
    price_date: str | None = None
    price_source: str | None = None
    tokenizer: str


class DatasetReport(BaseModel):
    examples: int
    train: int
    val: int
    in_range: bool
    range_note: str
    weeks_logged: int
    worked: int
    repaired: int
    dropped: int
    scenarios: dict[str, int]
    tokens: TokenStats
    cost: CostEstimate | None = None
    cost_note: str | None = None
    drop_reasons: dict[str, int] = Field(default_factory=dict)


class DatasetBuild(BaseModel):
    config: BuildConfig
    train: list[Example]
    val: list[Example]
    dropped: list[DroppedWeek]
    repaired: list[RepairedWeek]
    report: DatasetReport


class DatasetFiles(BaseModel):
    dir: Path
    train: Path
    val: Path
    build_json: Path
    dataset_hash: str


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# "back from holiday" describes the week after a trip, not a week away.
_AFTER_THE_FACT = re.compile(
    r"\b(back from|home from|returned from|after(?: the| my| a)?|since(?: the| my)?)\s+(?:the |my |a )?\w+", re.IGNORECASE)


def detect_scenario(texts: list[str]) -> Scenario:
    """The scenario a week's own words name (most mentions wins; ties in SCENARIO_WORDS order), else normal."""
    texts = [_AFTER_THE_FACT.sub(" ", t) for t in texts if t]
    counts = {sc: sum(len(p.findall(t)) for t in texts) for sc, p in SCENARIO_WORDS.items()}
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] > 0 else Scenario.normal


def week_texts(sessions: list[Session], annotations: list[Annotation]) -> list[str]:
    texts: list[str] = []
    for s in sessions:
        texts += [s.name or "", s.notes or ""]
        texts += [w.note for w in s.sets if w.note]
    texts += [a.text for a in annotations]
    return texts


def week_equipment(sessions: list[Session], catalog: Any) -> list[str] | None:
    """The equipment a week's logged exercises used (catalog tags): what a travel week had at hand."""
    kit: set[str] = set()
    for s in sessions:
        for w in s.sets:
            if not w.exercise_id:
                continue
            try:
                entry = catalog.get(w.exercise_id)
            except Exception:  # an id the catalog no longer has says nothing about equipment
                continue
            if entry is not None and entry.equipment:
                kit.add(entry.equipment)
    return sorted(kit) or None


def slice_context(ctx: AthleteContext, as_of: dt.date, *, _days: list[dt.date] | None = None) -> AthleteContext:
    """`ctx` cut to what was known before `as_of`: sessions and annotations strictly earlier.
    Built without re-validation (the parts are already valid) because a build slices once per week."""
    days = _days if _days is not None else [s.day for s in ctx.sessions]
    cut = bisect.bisect_left(days, as_of)
    return AthleteContext.model_construct(
        athlete=ctx.athlete,
        sessions=ctx.sessions[:cut],
        annotations=[a for a in ctx.annotations if a.date < as_of],
        as_of=as_of,
    )


def example_line(messages: list[dict[str, str]]) -> str:
    """One JSONL line in OpenAI's chat format (also TRL's conversational `messages` form)."""
    return json.dumps({"messages": [{"role": m["role"], "content": m["content"]} for m in messages]},
                      ensure_ascii=False)


def _range_note(n: int) -> tuple[bool, str]:
    if n < RECOMMENDED_MIN:
        return False, (f"{n} examples: BELOW the recommended {RECOMMENDED_MIN}-{RECOMMENDED_MAX}; a fine-tune on this "
                       "little data is unlikely to beat a good prompt (log more weeks, or stay with prompting)")
    if n > RECOMMENDED_MAX:
        return False, (f"{n} examples: ABOVE the recommended {RECOMMENDED_MIN}-{RECOMMENDED_MAX}; training costs more "
                       "for little gain (consider only the most recent weeks)")
    return True, f"{n} examples: within the recommended {RECOMMENDED_MIN}-{RECOMMENDED_MAX}"


def _repair(plan: Plan, ctx_after: AthleteContext, catalog: Any, scenario: Scenario) -> tuple[Plan | None, str]:
    from ..plans.checker import check_plan

    result = check_plan(plan, ctx_after, catalog, scenario)
    repaired = getattr(result, "repaired", None)
    codes = sorted({f.code for f in result.findings})
    if repaired is None or repaired == plan:
        return None, f"the checker found nothing it could repair ({', '.join(codes) or 'no findings'})"
    return repaired, f"repaired by the checker ({', '.join(codes)})"


def _token_stats(examples: list[Example], name: str) -> TokenStats:
    if not examples:
        return TokenStats(tokenizer=name)
    counts = [e.tokens for e in examples]
    return TokenStats(tokenizer=name, min=min(counts), mean=round(statistics.fmean(counts), 1), max=max(counts),
                      total=sum(counts))


def estimate_cost(train: list[Example], model: str, epochs: int | None = None, *, prices: Any = None) -> CostEstimate:
    """Hosted training cost of the training split (see `training_estimate`)."""
    return training_estimate([e.messages for e in train], model, epochs, prices=prices)


def training_estimate(train_messages: Sequence[list[dict]], model: str, epochs: int | None = None, *,
                      prices: Any = None) -> CostEstimate:
    """THE hosted training-cost estimate; `peri dataset build` and `peri decide` both call it, so one dataset
    has one figure: the training split's tokens counted with the provider's own tokenizer, times epochs by
    the provider's rule (OpenAI: 3, clamped so examples x epochs stays in [100, 25,000]), times the
    model's training row of the price table."""
    from ..prices import load_prices
    from ..prompts.tokens import tokenizer_for

    table = prices or load_prices()
    table.check_usable(model)  # an unpriced or retired model gets no figure (the reason, with the date, instead)
    tok = tokenizer_for(f"openai:{model}")
    tokens = sum(tok.count_messages(m) for m in train_messages)
    eff = table.effective_epochs(len(train_messages), epochs, model)
    usd = table.training_cost(model, tokens, eff)
    entry = table.get(model)
    row = entry.training if entry else None
    return CostEstimate(model=model, billable_tokens=tokens, examples=len(train_messages), epochs=eff, usd=round(usd, 4),
                        price_per_million=row.per_million if row else None,
                        price_date=row.date if row else None, price_source=row.source if row else None,
                        tokenizer=tok.name)


def build_dataset(
    ctx: AthleteContext,
    catalog: Any,
    *,
    val_fraction: float = 0.15,
    repair: bool = True,
    cost_model: str | None = "gpt-4o-mini",
    epochs: int | None = None,
    tokenizer: Any = None,
    prices: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> DatasetBuild:
    """Examples from every past logged week of `ctx` (see the module docstring for the rules)."""
    from ..plans.from_log import plan_from_sessions
    from ..plans.text import plan_to_text
    from ..prompts.builder import short_prompt

    if not 0 <= val_fraction < 1:
        raise DatasetError(f"val_fraction must be in [0, 1), not {val_fraction}", place="val_fraction")
    config = BuildConfig(athlete=ctx.athlete.name, as_of=ctx.as_of, val_fraction=val_fraction, repair=repair,
                         cost_model=cost_model or "none", epochs=epochs)
    if tokenizer is None:
        from ..prompts.tokens import tokenizer_for

        tokenizer = tokenizer_for("embedded")

    sessions = sorted((s for s in ctx.sessions if s.day < ctx.as_of), key=lambda s: s.started_at)
    ctx = AthleteContext.model_construct(athlete=ctx.athlete, sessions=sessions,
                                         annotations=sorted(ctx.annotations, key=lambda a: a.date), as_of=ctx.as_of)
    days = [s.day for s in sessions]
    weeks: dict[dt.date, list[Session]] = {}
    for s in sessions:
        weeks.setdefault(monday(s.day), []).append(s)
    week_list = sorted(weeks)

    examples: list[Example] = []
    dropped: list[DroppedWeek] = []
    repaired: list[RepairedWeek] = []
    seen: dict[str, dt.date] = {}
    for i, week in enumerate(week_list):
        if progress:
            progress(i, len(week_list))
        end = week + dt.timedelta(days=7)
        week_sessions = weeks[week]
        if i == 0:
            dropped.append(DroppedWeek(week_start=week, reason="first logged week: no earlier history for the input"))
            continue
        if end > ctx.as_of:
            dropped.append(DroppedWeek(week_start=week, reason=f"week not finished before {ctx.as_of}"))
            continue
        week_notes = [a for a in ctx.annotations if week <= a.date < end]
        scenario = detect_scenario(week_texts(week_sessions, week_notes))
        tags = sorted({t for a in week_notes for t in a.tags})
        try:
            # No date in the output: the input carries none, so a model could only learn to invent one.
            plan = plan_from_sessions(week_sessions, catalog, scenario).model_copy(update={"week_of": None})
        except PeriError as e:  # a week the log cannot express as a plan (e.g. cardio only) is skipped, said why
            dropped.append(DroppedWeek(week_start=week, reason=f"not expressible as a plan: {e}"))
            continue
        label: Literal["worked", "neutral", "repaired"] = "worked" if set(tags) & set(KEEP_TAGS) else "neutral"
        note = None
        bad = [t for t in BAD_TAGS if t in tags]
        if bad:
            quoted = "; ".join(f'"{a.text[:60]}"' for a in week_notes if set(a.tags) & set(BAD_TAGS))[:200]
            if not repair:
                dropped.append(DroppedWeek(week_start=week, reason=f"notes say {', '.join(bad)}: {quoted}"))
                continue
            fixed, why = _repair(plan, slice_context(ctx, end, _days=days), catalog, scenario)
            if fixed is None:
                dropped.append(DroppedWeek(week_start=week, reason=f"notes say {', '.join(bad)} ({quoted}); {why}"))
                continue
            plan, label, note = fixed, "repaired", f"notes say {', '.join(bad)} ({quoted}); {why}"
        before = slice_context(ctx, week, _days=days)
        equipment = week_equipment(week_sessions, catalog) if scenario == Scenario.travel else None
        prompt = short_prompt(before, catalog, scenario, equipment=equipment)
        messages = [{"role": m["role"], "content": m["content"]} for m in prompt]
        messages.append({"role": "assistant", "content": plan_to_text(plan)})
        key = example_line(messages)
        if key in seen:
            dropped.append(DroppedWeek(week_start=week, reason=f"duplicate of the week of {seen[key]}"))
            continue
        seen[key] = week
        if label == "repaired":
            repaired.append(RepairedWeek(week_start=week, reason=note or ""))
        examples.append(Example(week_start=week, scenario=scenario, label=label, tags=tags, messages=messages,
                                tokens=tokenizer.count_messages(messages), note=note))
    if progress:
        progress(len(week_list), len(week_list))

    n_val = round(len(examples) * val_fraction)
    if val_fraction > 0 and len(examples) >= 2:
        n_val = max(1, n_val)
    train, val = examples[: len(examples) - n_val], examples[len(examples) - n_val:]
    if train and val and max(e.week_start for e in train) >= min(e.week_start for e in val):
        raise DatasetError("time-ordered split failed: a validation week is not later than every training week")

    in_range, note_text = _range_note(len(examples))
    cost, cost_note = None, None
    if train and cost_model is None:  # asked for no hosted estimate (few-shot retrieval builds per query)
        cost_note = "no cost estimate asked for"
    elif train:
        try:
            cost = estimate_cost(train, cost_model, epochs, prices=prices)
        except Exception as e:  # an unpriced model or a missing tokenizer leaves the report without a cost, said why
            cost_note = f"no cost estimate: {e}"
    report = DatasetReport(
        examples=len(examples), train=len(train), val=len(val), in_range=in_range, range_note=note_text,
        weeks_logged=len(week_list), worked=sum(e.label == "worked" for e in examples), repaired=len(repaired),
        dropped=len(dropped), scenarios=dict(Counter(e.scenario.value for e in examples)),
        tokens=_token_stats(examples, tokenizer.name), cost=cost, cost_note=cost_note,
        drop_reasons=dict(Counter(_reason_kind(d.reason) for d in dropped)),
    )
    return DatasetBuild(config=config, train=train, val=val, dropped=dropped, repaired=repaired, report=report)


def _reason_kind(reason: str) -> str:
    for prefix in ("first logged week", "week not finished", "duplicate", "not expressible", "notes say"):
        if reason.startswith(prefix):
            return prefix
    return reason[:40]


def dataset_hash(train_bytes: bytes, val_bytes: bytes) -> str:
    return hashlib.sha256(train_bytes + b"\0" + val_bytes).hexdigest()


def write_dataset(build: DatasetBuild, out_dir: Path | None = None) -> DatasetFiles:
    """Write train.jsonl, val.jsonl and build.json (each replaced whole, never half-written)."""
    d = Path(out_dir) if out_dir else dataset_dir(build.config.athlete)
    d.mkdir(parents=True, exist_ok=True)
    train_bytes = "".join(example_line(e.messages) + "\n" for e in build.train).encode()
    val_bytes = "".join(example_line(e.messages) + "\n" for e in build.val).encode()
    digest = dataset_hash(train_bytes, val_bytes)
    meta = {
        "config": build.config.model_dump(mode="json"),
        "dataset_hash": digest,
        "format": "openai-chat-jsonl",
        "report": build.report.model_dump(mode="json"),
        "examples": [
            {"split": split, "line": i + 1, "week_start": e.week_start.isoformat(), "scenario": e.scenario.value,
             "label": e.label, "tags": e.tags, "tokens": e.tokens, "note": e.note}
            for split, rows in (("train", build.train), ("val", build.val)) for i, e in enumerate(rows)
        ],
        "dropped": [d_.model_dump(mode="json") for d_ in build.dropped],
        "repaired": [r.model_dump(mode="json") for r in build.repaired],
    }
    files = {"train.jsonl": train_bytes, "val.jsonl": val_bytes,
             BUILD_FILE: (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode()}
    for name, data in files.items():
        tmp = d / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(d / name)
    return DatasetFiles(dir=d, train=d / "train.jsonl", val=d / "val.jsonl", build_json=d / BUILD_FILE,
                        dataset_hash=digest)


def read_examples(path: Path) -> list[list[dict[str, Any]]]:
    """The messages of each line of a chat JSONL file."""
    out = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line)["messages"])
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise DatasetError(f"not a chat example: {e}", place=f"{path}:{i}", hint=f"peri dataset check {path}") from e
    return out
