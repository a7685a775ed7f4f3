"""Many athletes: the same comparison over N simulated athletes, so a claim is tested across people.

Athlete i of a cohort is `sim-<preset>-<seed0 + i>` with the presets taken in turn (N/5 each for the five
presets), so the same command always means the same athletes. The simulator and the trainer are injected
(`make_athlete`, `tune`): this module never imports the simulator, only the oracle via the harness.

Resumable and incremental: an athlete already in the store is reused, a tuned model already registered
(trained here or brought in with `peri finetune import`) is used, and every (athlete, approach, week)
record is its own file under `PERI_HOME/eval/<athlete>/records/`, written atomically as it completes
(`harness.save_record`). A killed run, or one stopped by its time limit, continues where it stopped; a
re-run does nothing twice.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import NotFound
from ..log.store import Store
from .evidence import Claim, evidence
from .harness import EvalConfig, EvalResults, TimeLimitReached, run_eval
from .stats import mean_ci

MakeAthlete = Callable[[Store, str, int, str], None]  # (store, preset, seed, name)
Tune = Callable[[Store, str], None]  # (store, name): build the dataset and train ft:<name>-lora
TUNED_APPROACHES = ("finetuned-short", "hybrid", "finetuned-fewshot")


class CohortRow(BaseModel):
    approach: str
    athletes: int
    score_mean: float | None
    score_ci: float | None  # across athletes' means
    wins: int  # athletes for whom this approach scored best
    high_findings_mean: float
    prompt_tokens_mean: float | None
    latency_mean: float | None


class CohortResults(BaseModel):
    athletes: list[str]
    rows: dict[str, CohortRow]
    per_athlete: dict[str, dict[str, float | None]]
    verdict: list[str]
    evidence: list[Claim] = Field(default_factory=list)
    complete: bool = True
    pending: list[str] = Field(default_factory=list)  # athletes not finished (time limit); a pending athlete's
    # finished records are in the rows and the Evidence (listed under `athletes` too)


def cohort_members(n: int, presets: list[str], seed0: int = 1) -> list[tuple[str, str, int]]:
    """(name, preset, seed) of the cohort's athletes: presets in turn, seeds counted from `seed0`."""
    return [(f"sim-{presets[i % len(presets)]}-{seed0 + i}", presets[i % len(presets)], seed0 + i) for i in range(n)]


def needs_tuning(cfg: EvalConfig) -> bool:
    """Whether the approaches asked for use the athlete's tuned model (all approaches: yes)."""
    return cfg.approaches is None or any(a.removesuffix("-unconstrained") in TUNED_APPROACHES for a in cfg.approaches)


def run_cohort(
    store: Store, n: int, presets: list[str], *, make_athlete: MakeAthlete, tune: Tune | None, base: EvalConfig,
    seed0: int = 1, home: Path | None = None, progress: Callable[[str, int, int], None] | None = None,
    deadline: float | None = None, job_progress: Callable[[str, int, int], None] | None = None,
) -> CohortResults:
    """Evaluate `base` (its athlete replaced) on each cohort member, creating and tuning what is missing.

    With `deadline` (a `time.monotonic()` value) the run stops before the first job past it and returns the
    athletes finished so far with `complete=False`; running again continues."""
    results: dict[str, EvalResults] = {}
    members = cohort_members(n, presets, seed0)
    pending: list[str] = []
    for i, (name, preset, seed) in enumerate(members):
        # past the limit nothing new starts, but an athlete already made is still visited: run_eval then
        # stops at its first unfinished record and reports the finished ones
        past = deadline is not None and time.monotonic() >= deadline
        if progress:
            progress(name, i, n)
        try:
            store.get_athlete(name)
        except NotFound:
            if past:
                pending = [m[0] for m in members[i:]]
                break
            make_athlete(store, preset, seed, name)
        if tune is not None and needs_tuning(base):
            try:
                store.get_model(f"{name}-lora")
            except NotFound:
                if past:
                    pending = [m[0] for m in members[i:]]
                    break
                tune(store, name)
        try:
            results[name] = run_eval(store, base.model_copy(update={"athlete": name}), home=home, deadline=deadline,
                                     progress=job_progress)
        except TimeLimitReached as stop:
            pending = [m[0] for m in members[i:]]
            if stop.partial is not None:  # its finished records count; the athlete is still pending
                results[name] = stop.partial
            break
    if progress:
        progress("done", len(results), n)
    from .learning import load_curves

    out = aggregate(results, load_curves(list(results), home))
    return out.model_copy(update={"complete": not pending, "pending": pending})


def aggregate(results: dict[str, EvalResults], curves: dict[str, list[tuple[int, float]]] | None = None) -> CohortResults:
    """Per-approach rows across athletes, the verdict, and the Evidence rows (learning curves where measured)."""
    per: dict[str, dict[str, float | None]] = {a: {k: v.score_mean for k, v in r.summary.items()} for a, r in results.items()}
    approaches = sorted({k for r in results.values() for k in r.summary})
    rows = {}
    for ap in approaches:
        means = [per[a][ap] for a in per if per[a].get(ap) is not None]
        m, ci = mean_ci(means)  # type: ignore[arg-type]
        sums = [r.summary[ap] for r in results.values() if ap in r.summary]
        product = all(x.kind == "product" for x in sums)  # baselines and rules-raw frame, they never "win"
        wins = sum(1 for a, r in results.items() if product and per[a].get(ap) is not None and per[a][ap] == max(
            v for k, v in per[a].items() if v is not None and r.summary[k].kind == "product")) if product else 0
        rows[ap] = CohortRow(
            approach=ap, athletes=len(means), score_mean=m, score_ci=ci, wins=wins,
            high_findings_mean=sum(s.high_findings_mean for s in sums) / len(sums) if sums else 0.0,
            prompt_tokens_mean=mean_ci([s.prompt_tokens_mean for s in sums if s.prompt_tokens_mean is not None])[0],
            latency_mean=mean_ci([s.latency_mean for s in sums if s.latency_mean is not None])[0],
        )
    kinds = {k: v.kind for r in results.values() for k, v in r.summary.items()}
    ranked = sorted((r for r in rows.values() if r.score_mean is not None and kinds.get(r.approach) == "product"),
                    key=lambda r: -(r.score_mean or 0))
    verdict = []
    if ranked:
        b = ranked[0]
        verdict.append(f"Across {len(results)} simulated athletes, {b.approach} scores best on average "
                       f"({b.score_mean:.1f}" + (f" ± {b.score_ci:.1f}" if b.score_ci else "") + f"), winning for {b.wins} of them.")
        for r in ranked[1:4]:
            verdict.append(f"{r.approach}: {r.score_mean:.1f}" + (f" ± {r.score_ci:.1f}" if r.score_ci else "") + f", best for {r.wins}.")
    return CohortResults(athletes=list(results), rows=rows, per_athlete=per, verdict=verdict, evidence=evidence(results, curves))


def cohort_results(athletes: list[str], home: Path | None = None) -> dict[str, EvalResults]:
    """The finished per-athlete results (eval/<athlete>/results.json) of these athletes, where present."""
    from .harness import load_results

    out = {}
    for a in athletes:
        if (r := load_results(a, home)) is not None:
            out[a] = r
    return out
