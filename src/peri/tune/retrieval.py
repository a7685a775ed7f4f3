"""Retrieval-augmented prompting: the athlete's own past weeks, as worked examples, in the prompt.

The third way to make a model personal, beside a detailed prompt and a tuned adapter: the very (input,
output) pairs the fine-tuning dataset holds (`peri.tune.dataset.build_dataset`, one per past week) are
retrieved for the week being planned and placed as example user/assistant turns before the short request
(`peri.prompts.builder.short_prompt`, the tuned model's input). The same examples can so be used two ways —
in the prompt or in the weights — which is the cleanest comparison of prompting and fine-tuning there is.

What may be retrieved (no leakage, nothing harmful):

- Only weeks that ENDED before the planning week starts: the candidates are built by `build_dataset` on the
  context cut at the planning week's Monday, so neither an example's input (the
  history before its week) nor its output (the week itself) reaches the week being planned. The rule is
  checked again on every candidate.
- Never a week the notes mark as aggravating, painful or excessive (`BAD_TAGS`): the candidates are built
  with `repair=False`, which leaves those weeks out, and any that slipped through are dropped again.

How they are ranked: the same scenario first (a deload is best shown by a past deload), then similar
training state, with weeks the notes mark as worked preferred. Similarity is plain feature similarity over
numbers the store already holds — the week before each example's week (sets and tonnage), the note tags and
regions of the three weeks before it, and how long ago it was. Not a text index or an embedding model: every
input is rendered from the same template, so word overlap would mostly measure template sameness, and an
embedding model means a download and a second model in memory for a ranking three numbers already give;
these features are transparent (each example's `why` says what matched), deterministic and free.

How many: as many of the best as fit the token budget of the examples section (counted on the target
model's own tokenizer), at most `K_MAX`; the rest are named in `left_out`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from ..log.context import AthleteContext
from ..plans.schema import Scenario
from .dataset import BAD_TAGS, build_dataset, monday, slice_context

K_MAX = 8  # examples shown at most: past ~8 the prompt grows and a small model gains nothing more
NOTE_WEEKS = 3  # "recent notes": the tags of the three weeks before a week
RECENCY_HALF_LIFE_WEEKS = 26  # a programme drifts: a week half a year older counts half as similar
# Weights of the training-state similarity (each part in [0, 1]). Volume is the state a plan must continue
# from, so it leads; notes say what the body was telling; "worked" is the athlete's own verdict on a week,
# strong enough to lift a slightly less similar week above a neutral one, but never over the scenario.
W_VOLUME, W_NOTES, W_RECENCY, W_WORKED = 0.4, 0.25, 0.15, 0.2


class WeekState(BaseModel):
    """The training state before a week: last week's working sets and tonnage, recent note tags."""

    sets: int
    tonnage_kg: float
    tags: list[str] = Field(default_factory=list)  # tags and regions of the notes of the NOTE_WEEKS before


class RetrievedExample(BaseModel):
    """One past week chosen as an example, with why."""

    week_start: dt.date
    scenario: Scenario
    label: str  # worked | neutral
    tags: list[str] = Field(default_factory=list)
    same_scenario: bool
    similarity: float  # 0-1, the training-state part of the ranking
    tokens: int  # its user + assistant turns on the target tokenizer
    why: str
    messages: list[dict[str, str]]  # the user and assistant turns


class FewShotPrompt(BaseModel):
    """The retrieval-augmented prompt and its token breakdown (sections: system, examples, request)."""

    messages: list[dict[str, str]]
    sections: list[Any]  # peri.prompts.builder.Section
    examples: list[RetrievedExample]
    candidates: int  # eligible past weeks
    left_out: list[str] = Field(default_factory=list)  # eligible weeks that did not fit, best first
    excluded: list[str] = Field(default_factory=list)  # weeks not eligible and why (aggravating, ...)
    budget: int
    example_tokens: int
    total_tokens: int
    scenario: Scenario
    tokenizer: str
    exact: bool


def planning_cutoff(ctx: AthleteContext) -> dt.date:
    """The first day no example may touch: the Monday of the week being planned (`as_of` itself when it
    is a Monday; days of that week already logged are history for the request, never an example)."""
    return ctx.week_start()


def week_state(ctx: AthleteContext, week: dt.date) -> WeekState:
    """The state before `week` (a Monday): the previous week's working sets and tonnage, recent notes."""
    prev = week - dt.timedelta(days=7)
    sets, tonnage = 0, 0.0
    for s in ctx.sessions:
        if prev <= s.day < week:
            for w in s.sets:
                if w.set_type.value == "warmup" or not w.reps:
                    continue
                sets += 1
                tonnage += (w.weight_kg or 0.0) * w.reps
    since = week - dt.timedelta(weeks=NOTE_WEEKS)
    tags = sorted({t for a in ctx.annotations if since <= a.date < week for t in [*a.tags, *a.regions]})
    return WeekState(sets=sets, tonnage_kg=round(tonnage, 1), tags=tags)


def _ratio(a: float, b: float) -> float:
    """min/max: 1 for equal numbers, toward 0 as they part; two zeros are equal."""
    if a <= 0 and b <= 0:
        return 1.0
    return min(a, b) / max(a, b)


def state_similarity(query: WeekState, other: WeekState) -> tuple[float, float]:
    """(volume similarity, note similarity), each 0-1: the mean of the sets and tonnage ratios, and the
    Jaccard overlap of recent note tags (two weeks without notes are alike)."""
    volume = (_ratio(query.sets, other.sets) + _ratio(query.tonnage_kg, other.tonnage_kg)) / 2
    q, o = set(query.tags), set(other.tags)
    notes = 1.0 if not q and not o else len(q & o) / len(q | o)
    return volume, notes


def _turn_tokens(tokenizer: Any, turns: list[dict[str, str]]) -> int:
    """Tokens a pair of turns adds to a chat: with the template's per-message framing, without the
    framing a conversation pays once (measured as the difference to an empty-user chat)."""
    base = tokenizer.count_messages([{"role": "user", "content": ""}])
    return max(1, tokenizer.count_messages([*turns, {"role": "user", "content": ""}]) - base)


def retrieve_examples(
    ctx: AthleteContext, catalog: Any, scenario: Scenario | str, *, tokenizer: Any, budget: int = 3000,
    k_max: int = K_MAX,
) -> tuple[list[RetrievedExample], list[RetrievedExample], list[str], int]:
    """The past examples for the week `ctx` plans: (chosen, in prompt order — the best nearest the request;
    eligible but left out by the budget, best first; excluded weeks with why; eligible count)."""
    scenario = Scenario(scenario)
    cut = planning_cutoff(ctx)
    past = slice_context(ctx, cut)
    # repair=False: a week the notes mark as aggravating is left out, never shown "repaired" as a model answer
    build = build_dataset(past, catalog, val_fraction=0.0, repair=False, tokenizer=tokenizer, cost_model=None)
    excluded = [f"week of {d.week_start}: {d.reason}" for d in build.dropped if d.reason.startswith("notes say")]
    query = week_state(past, cut)
    ranked: list[tuple[tuple[bool, float], RetrievedExample]] = []
    for e in [*build.train, *build.val]:
        if e.week_start + dt.timedelta(days=7) > cut:  # its output week reaches the planning week
            excluded.append(f"week of {e.week_start}: not over before {cut}")
            continue
        if set(e.tags) & set(BAD_TAGS):
            excluded.append(f"week of {e.week_start}: notes say {', '.join(sorted(set(e.tags) & set(BAD_TAGS)))}")
            continue
        state = week_state(past, e.week_start)
        volume, notes = state_similarity(query, state)
        weeks_ago = (cut - e.week_start).days / 7
        recency = 0.5 ** (weeks_ago / RECENCY_HALF_LIFE_WEEKS)
        worked = e.label == "worked"
        similarity = W_VOLUME * volume + W_NOTES * notes + W_RECENCY * recency
        score = similarity + (W_WORKED if worked else 0.0)
        same = e.scenario == scenario
        turns = [m for m in e.messages if m["role"] != "system"]
        why = (("same scenario" if same else f"{e.scenario.value} week") + f"; volume {volume:.0%} alike"
               + f" ({state.sets} vs {query.sets} sets the week before)" + f"; notes {notes:.0%} alike"
               + ("; notes say it worked" if worked else "") + f"; {weeks_ago:.0f} week{'' if round(weeks_ago) == 1 else 's'} ago")
        ranked.append(((same, score), RetrievedExample(
            week_start=e.week_start, scenario=e.scenario, label=e.label, tags=e.tags, same_scenario=same,
            similarity=round(similarity, 4), tokens=_turn_tokens(tokenizer, turns), why=why, messages=turns)))
    # same scenario first, then score; ties to the more recent week (deterministic)
    ranked.sort(key=lambda kv: (kv[0][0], kv[0][1], kv[1].week_start), reverse=True)
    chosen: list[RetrievedExample] = []
    left: list[RetrievedExample] = []
    used = 0
    for _, ex in ranked:
        if len(chosen) < k_max and used + ex.tokens <= budget:
            chosen.append(ex)
            used += ex.tokens
        else:
            left.append(ex)
    return list(reversed(chosen)), left, excluded, len(ranked)


def fewshot_prompt(
    ctx: AthleteContext, catalog: Any, scenario: Scenario | str = Scenario.normal, *, tokenizer: Any,
    budget: int = 3000, k_max: int = K_MAX, event_date: dt.date | str | None = None,
    equipment: list[str] | None = None,
) -> FewShotPrompt:
    """The short request with the athlete's best-matching past weeks before it as example turns,
    fitted to `budget` tokens of examples (see the module docstring)."""
    from ..prompts.builder import Section, short_prompt

    scenario = Scenario(scenario)
    chosen, left, excluded, n = retrieve_examples(ctx, catalog, scenario, tokenizer=tokenizer, budget=budget,
                                                  k_max=k_max)
    request = short_prompt(ctx, catalog, scenario, event_date=event_date, equipment=equipment)
    system, ask = request[0], request[1]
    turns = [m for ex in chosen for m in ex.messages]
    messages = [system, *turns, ask]
    total = tokenizer.count_messages(messages)
    # the whole chat is the real count: trim the least relevant example (first in prompt order) if framing
    # made the sum of the parts differ from it
    while chosen and total - tokenizer.count_messages([system, ask]) > budget:
        left.insert(0, chosen.pop(0))
        turns = [m for ex in chosen for m in ex.messages]
        messages = [system, *turns, ask]
        total = tokenizer.count_messages(messages)
    example_tokens = total - tokenizer.count_messages([system, ask]) if chosen else 0
    sections = [
        Section(name="system", text=system["content"], tokens=tokenizer.count(system["content"]), kind="system"),
        Section(name=f"examples ({len(chosen)} past weeks)",
                text="\n\n".join(f"[week of {ex.week_start}] {ex.why}" for ex in chosen), tokens=example_tokens,
                kind="context"),
        Section(name="request", text=ask["content"], tokens=tokenizer.count(ask["content"]), kind="request"),
    ]
    return FewShotPrompt(
        messages=messages, sections=sections, examples=chosen, candidates=n,
        left_out=[f"week of {ex.week_start} ({ex.tokens} tokens; {ex.why})" for ex in left], excluded=excluded,
        budget=budget, example_tokens=example_tokens, total_tokens=total, scenario=scenario,
        tokenizer=getattr(tokenizer, "name", "?"), exact=bool(getattr(tokenizer, "exact", False)),
    )
