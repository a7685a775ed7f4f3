"""The Evidence table: each of peri's claims as an effect across athletes, with its interval and its count.

One row per claim. The effect is the mean over athletes of a per-athlete paired difference: for each
athlete, the mean over the held-out weeks both approaches planned of (A − B), so an athlete who is easy for
every approach does not count twice. The 95 % interval is Student's t over those per-athlete differences
(`stats.mean_ci`; athletes are the unit, weeks within an athlete are not independent). "Held for" counts
the athletes whose own difference points the claimed way. A claim whose approaches were not run says
"not measured" and what it needs.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from .harness import EvalRecord, EvalResults
from .stats import mean_ci

SCENARIO_WEEKS = {"deload", "travel", "peaking", "injury"}
UNCONSTRAINED = "-unconstrained"


class Claim(BaseModel):
    """One row: what is claimed, how it was measured, and what came out."""

    claim: str
    comparison: str  # "A − B" and the measure
    status: str  # "measured" | "not measured"
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    athletes: int = 0  # with both sides measured
    held: int = 0  # for whom the difference points the claimed way
    note: str = ""


Metric = Callable[[EvalRecord], float | None]


def oracle_score(r: EvalRecord) -> float | None:
    return r.oracle


def safety(r: EvalRecord) -> float | None:
    """The oracle's safety component (0-100); an invalid plan has none."""
    return (r.oracle_breakdown or {}).get("safety") if r.valid else None


def high_findings(r: EvalRecord) -> float | None:
    return float(r.findings.get("high", 0)) if r.valid else None


def _by_week(res: EvalResults, approach: str, metric: Metric, weeks: set[str] | None) -> dict[str, float]:
    out = {}
    for r in res.records:
        if r.approach != approach or (weeks is not None and r.scenario not in weeks):
            continue
        v = metric(r)
        if v is not None:
            out[r.week_of.isoformat()] = float(v)
    return out


def athlete_diffs(
    results: dict[str, EvalResults], pairs: Iterable[tuple[str, str | tuple[str, ...]]], metric: Metric = oracle_score,
    weeks: set[str] | None = None,
) -> dict[str, float]:
    """Per athlete: mean over matched weeks (and over `pairs`) of A − B. B may be several approaches: then
    the best of them that week (the claim "A beats either alone")."""
    out = {}
    for athlete, res in results.items():
        diffs = []
        for a, b in pairs:
            wa = _by_week(res, a, metric, weeks)
            bs = [_by_week(res, x, metric, weeks) for x in ((b,) if isinstance(b, str) else b)]
            if not wa or any(not wb for wb in bs):
                continue
            for w in wa:
                if all(w in wb for wb in bs):
                    diffs.append(wa[w] - max(wb[w] for wb in bs))
        if diffs:
            out[athlete] = sum(diffs) / len(diffs)
    return out


def _row(claim: str, comparison: str, diffs: dict[str, float], *, lower_is_better: bool = False, needs: str = "") -> Claim:
    if not diffs:
        return Claim(claim=claim, comparison=comparison, status="not measured", note=f"needs {needs}" if needs else "")
    m, hw = mean_ci(list(diffs.values()))
    held = sum(1 for d in diffs.values() if (d < 0 if lower_is_better else d > 0))
    return Claim(claim=claim, comparison=comparison, status="measured", effect=m,
                 ci_low=None if hw is None else m - hw, ci_high=None if hw is None else m + hw,  # type: ignore[operator]
                 athletes=len(diffs), held=held,
                 note="" if hw is not None else "one athlete: no interval")


def evidence(results: dict[str, EvalResults], curves: dict[str, list[tuple[int, float]]] | None = None) -> list[Claim]:
    """Every claim's row from the cohort's per-athlete results (and learning curves, when given:
    athlete -> [(examples, score)])."""
    ran = {r.approach for res in results.values() for r in res.records}
    rows = [
        _row("Quality rises with prompt detail (d0 → d4)", "prompt-d4 − prompt-d0, oracle score",
             athlete_diffs(results, [("prompt-d4", "prompt-d0")]), needs="prompt-d0 and prompt-d4"),
        _row("After tuning, a short prompt gives the personalisation of a detailed one",
             "finetuned-short − prompt-d4, oracle score (≥ 0: as good)",
             athlete_diffs(results, [("finetuned-short", "prompt-d4")]), needs="finetuned-short and prompt-d4"),
        _row("Examples in the prompt vs the same examples in the weights",
             "prompt-fewshot − finetuned-short, oracle score",
             athlete_diffs(results, [("prompt-fewshot", "finetuned-short")]), needs="prompt-fewshot and finetuned-short"),
        _curve_row(curves),
    ]
    alone = tuple(a for a in ("finetuned-short", "prompt-fewshot", "prompt-d4") if a in ran)
    rows.append(_row("The hybrid beats either alone on scenario weeks",
                     f"hybrid − best of ({', '.join(alone) or 'finetuned-short, prompt-d4'}), oracle score, "
                     "deload/travel/peaking/injury weeks",
                     athlete_diffs(results, [("hybrid", alone)], weeks=SCENARIO_WEEKS) if alone else {},
                     needs="hybrid and a tuned or prompting approach on scenario weeks"))
    pairs = sorted((a.removesuffix(UNCONSTRAINED), a) for a in ran if a.endswith(UNCONSTRAINED)
                   and a.removesuffix(UNCONSTRAINED) in ran)
    needs = "an approach run both ways (e.g. prompt-d3 and prompt-d3-unconstrained)"
    label = ", ".join(p[0] for p in pairs) or "—"
    rows.append(_row("Decoding constraints raise quality", f"constrained − unconstrained ({label}), oracle score",
                     athlete_diffs(results, pairs), needs=needs))
    rows.append(_row("Decoding constraints raise safety", f"constrained − unconstrained ({label}), oracle safety component",
                     athlete_diffs(results, pairs, metric=safety), needs=needs))
    rows.append(_row("Decoding constraints cut high-severity checker findings",
                     f"constrained − unconstrained ({label}), high findings per plan (< 0: fewer)",
                     athlete_diffs(results, pairs, metric=high_findings), lower_is_better=True, needs=needs))
    return rows


def _curve_row(curves: dict[str, list[tuple[int, float]]] | None) -> Claim:
    """How many examples are enough: the smallest size whose per-athlete gap to the largest size is within
    noise (its interval includes 0 or lies above it). Effect: that gap."""
    claim = "How many examples are enough (learning curve over athletes)"
    if not curves or len(curves) < 2:
        return Claim(claim=claim, comparison="score(n) − score(all), per athlete", status="not measured",
                     note="needs learning curves (peri eval --learning-curve or --curve-models) for 2+ athletes")
    sizes = sorted(set.intersection(*(set(n for n, _ in c) for c in curves.values())))
    if len(sizes) < 2:
        return Claim(claim=claim, comparison="score(n) − score(all)", status="not measured", note="no common sizes")
    top = sizes[-1]
    for n in sizes[:-1]:
        diffs = {a: dict(c)[n] - dict(c)[top] for a, c in curves.items()}
        row = _row(claim, f"score({n} examples) − score({top}), oracle score", diffs)
        if row.ci_high is not None and row.ci_high >= 0:
            row.note = f"{n} examples are within noise of {top}"
            return row
    row = _row(claim, f"score({sizes[-2]}) − score({top}), oracle score",
               {a: dict(c)[sizes[-2]] - dict(c)[top] for a, c in curves.items()})
    row.note = f"every smaller size is below {top}: more examples still help"
    return row


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:+.1f}"


def evidence_markdown(claims: list[Claim], n_athletes: int) -> str:
    """The table as Markdown (docs/results.md, the CLI's report folder)."""
    lines = ["| claim | comparison | effect | 95 % interval | held for | |", "|---|---|---|---|---|---|"]
    for c in claims:
        if c.status != "measured":
            lines.append(f"| {c.claim} | {c.comparison} | not measured | | | {c.note} |")
            continue
        ci = "–" if c.ci_low is None else f"{_f(c.ci_low)} … {_f(c.ci_high)}"
        lines.append(f"| {c.claim} | {c.comparison} | {_f(c.effect)} | {ci} | {c.held} of {c.athletes} | {c.note} |")
    lines.append("")
    lines.append(f"Effect: mean over athletes of each athlete's mean paired difference (same held-out weeks); "
                 f"95 % interval: Student's t across athletes ({n_athletes} in the cohort).")
    return "\n".join(lines)
