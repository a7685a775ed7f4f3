"""Many athletes: the same comparison over N simulated athletes, so a claim is tested across people.

The simulator and the trainer are injected (`make_athlete`, `tune`): this module never imports the
simulator, only the oracle via the harness. Each athlete's records are cached by the harness, and an
athlete already in the store is reused, so an interrupted cohort run resumes where it stopped.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from ..errors import NotFound
from ..log.store import Store
from .harness import EvalConfig, EvalResults, run_eval
from .stats import mean_ci

MakeAthlete = Callable[[Store, str, int, str], None]  # (store, preset, seed, name)
Tune = Callable[[Store, str], None]  # (store, name): build the dataset and train ft:<name>-lora


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


def run_cohort(
    store: Store, n: int, presets: list[str], *, make_athlete: MakeAthlete, tune: Tune | None, base: EvalConfig,
    seed0: int = 1, home: Path | None = None, progress: Callable[[str, int, int], None] | None = None,
) -> CohortResults:
    names, results = [], {}
    for i in range(n):
        preset, seed = presets[i % len(presets)], seed0 + i
        name = f"sim-{preset}-{seed}"
        if progress:
            progress(name, i, n)
        try:
            store.get_athlete(name)
        except NotFound:
            make_athlete(store, preset, seed, name)
        if tune is not None:
            try:
                store.get_model(f"{name}-lora")
            except NotFound:
                tune(store, name)
        results[name] = run_eval(store, base.model_copy(update={"athlete": name}), home=home)
        names.append(name)
    if progress:
        progress("done", n, n)
    return aggregate(results)


def aggregate(results: dict[str, EvalResults]) -> CohortResults:
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
    return CohortResults(athletes=list(results), rows=rows, per_athlete=per, verdict=verdict)
