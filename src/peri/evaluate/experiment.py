"""The one-week prompt experiment and the prompt history: library functions the CLI and the web app share.

`run_prompt_experiment` sends the same request at every detail level to one model (loaded once), records each
answer with its checker findings (and, for a simulated athlete, the oracle's score through `oracle_scorer`);
`prompt_history` groups every recorded generation of an athlete into quality against prompt tokens. Ratings
(`Store.rate`, `peri rate`, the web app's blind comparison) appear in both as the latest rating per plan.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ..errors import ConfigError
from ..log.store import Generation, Store
from ..plans.schema import Scenario
from . import oracle_scorer

Progress = Callable[[int, int, "GenerationQuality"], None]


class GenerationQuality(BaseModel):
    """One recorded generation as the experiment and history tables show it."""

    id: int | None
    created_at: str
    experiment: str | None
    model: str
    approach: str
    style: str | None
    scenario: str | None
    detail: int | None
    prompt_tokens: int | None
    output_tokens: int | None
    latency_s: float | None
    cost_usd: float | None
    valid: bool
    error: str | None
    rating: int | None
    oracle: float | None
    findings_high: int
    findings_medium: int
    findings_low: int


class ExperimentResult(BaseModel):
    experiment: str
    athlete: str
    model: str
    scenario: str
    generations: list[GenerationQuality]


class HistoryGroup(BaseModel):
    """Generations of one detail level (or rules, or a prompt style), averaged."""

    group: str
    n: int
    valid: int
    mean_prompt_tokens: float | None
    mean_rating: float | None
    mean_oracle: float | None
    high_findings_per_plan: float | None


class PromptHistory(BaseModel):
    athlete: str
    generations: list[GenerationQuality]
    summary: list[HistoryGroup]


def quality(g: Generation) -> GenerationQuality:
    """The table row of one generation: tokens, latency, validity, findings by severity, rating, oracle score."""
    sev = [str(f.get("severity")) for f in g.findings]
    oracle = (g.meta.get("oracle") or {}).get("total")
    return GenerationQuality(
        id=g.id, created_at=g.created_at.isoformat(timespec="seconds"), experiment=g.experiment, model=g.model,
        approach=g.approach, style=g.meta.get("style"), scenario=g.scenario, detail=g.detail,
        prompt_tokens=g.prompt_tokens, output_tokens=g.output_tokens, latency_s=g.latency_s, cost_usd=g.cost_usd,
        valid=g.valid, error=g.error, rating=g.rating, oracle=oracle, findings_high=sev.count("high"),
        findings_medium=sev.count("medium"), findings_low=sev.count("low"),
    )


def parse_levels(levels: str) -> list[int]:
    """"0,1,2,3,4" -> sorted distinct detail levels, or a ConfigError naming the value."""
    try:
        details = sorted({int(x) for x in levels.split(",") if x.strip()})
    except ValueError:
        raise ConfigError(f"levels {levels!r} is not a list of numbers", place="--levels", hint="e.g. 0,1,2,3,4") from None
    if not details or any(d not in range(5) for d in details):
        raise ConfigError(f"levels {levels!r} must name levels 0-4", place="--levels")
    return details


def new_experiment_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"exp-{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:4]}"


def run_prompt_experiment(
    store: Store, athlete: str, model: str, *, scenario: Scenario | str = Scenario.normal,
    levels: list[int] | None = None, as_of: dt.date | None = None, progress: Progress | None = None,
) -> ExperimentResult:
    """The same request at every detail level in `levels` (default 0-4), each answer recorded and checked.

    The model is loaded once and reused; `progress(done, total, row)` is called after each level."""
    from ..backends.registry import get_backend
    from ..generate import generate_plan

    details = levels if levels is not None else list(range(5))
    if not details or any(d not in range(5) for d in details):
        raise ConfigError(f"detail levels {details} must be within 0-4", place="--levels")
    scenario = Scenario(scenario)
    store.get_athlete(athlete)  # a clear error before the model loads
    backend = get_backend(model, store)
    experiment = new_experiment_id()
    score = oracle_scorer(athlete)
    rows: list[GenerationQuality] = []
    try:
        for i, d in enumerate(details, 1):
            g = generate_plan(store, athlete, model, scenario=scenario, detail=d, backend=backend,
                              experiment=experiment, as_of=as_of, score=score)
            rows.append(quality(g))
            if progress:
                progress(i, len(details), rows[-1])
    finally:
        close = getattr(backend, "close", None)
        if callable(close):
            close()
    return ExperimentResult(experiment=experiment, athlete=athlete, model=model, scenario=scenario.value, generations=rows)


def _group(r: GenerationQuality) -> str:
    if r.approach == "rules":
        return "rules"
    return f"detail {r.detail}" if r.detail is not None else (r.style or "?")


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 2) if xs else None


def summarise_history(rows: list[GenerationQuality]) -> list[HistoryGroup]:
    """Rows grouped by detail level (rules apart), ordered by mean prompt tokens."""
    groups: dict[str, list[GenerationQuality]] = {}
    for r in rows:
        groups.setdefault(_group(r), []).append(r)
    out = []
    for name, rs in groups.items():
        valid = sum(r.valid for r in rs)
        high = sum(r.findings_high for r in rs)
        out.append(HistoryGroup(
            group=name, n=len(rs), valid=valid,
            mean_prompt_tokens=_mean([r.prompt_tokens for r in rs if r.prompt_tokens is not None]),
            mean_rating=_mean([r.rating for r in rs if r.rating is not None]),
            mean_oracle=_mean([r.oracle for r in rs if r.oracle is not None]),
            high_findings_per_plan=round(high / valid, 2) if valid else None,
        ))
    return sorted(out, key=lambda g: g.mean_prompt_tokens or 0)


def prompt_history(store: Store, athlete: str, experiment: str | None = None) -> PromptHistory:
    """Every recorded generation of `athlete` (or of one experiment) and the groups' means."""
    a = store.get_athlete(athlete)
    rows = [quality(g) for g in store.generations(a.id, experiment=experiment)]
    return PromptHistory(athlete=athlete, generations=rows, summary=summarise_history(rows))


def quality_rows(rows: list[GenerationQuality]) -> list[dict[str, Any]]:
    return [r.model_dump() for r in rows]
