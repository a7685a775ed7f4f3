"""The graduation trigger, per person: when a tuned model is expected to overtake the best prompting path.

Instead of a fixed "prompt for about two months", the estimate comes from the athlete's own numbers:

1. Their learning curve (`peri eval --learning-curve`, kept by `peri.evaluate.learning.write_curve`): quality
   of a tuned model against the number of training examples, each point with its 95 % interval.
2. The best prompting path measured on the same held-out weeks (the curve's references — detail levels —
   and `prompt-fewshot` from the evaluation summary when it ran), with its interval when known.
3. How fast they produce examples: logged weeks per calendar week over their recent log, times the share of
   logged weeks that become examples (the dataset build's yield).

The curve is fitted as score = a + b·ln(examples) — quality grows with the logarithm of data in nearly every
learning curve, and two parameters are all a handful of points can carry. The crossing with the best
prompting score gives the examples needed, and the examples still to log divided by examples per week gives
the weeks. The interval comes from the measurements themselves: every point and the reference are redrawn
from their own intervals (normal, sd = half-width / 1.96) `DRAWS` times with a fixed seed, the line refitted
and the weeks recomputed; the 2.5th and 97.5th percentiles of those weeks are the interval. A draw whose line
does not rise never crosses (infinitely many weeks), so a flat or falling curve reads "not expected".
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..artefacts import EvalSummary
from ..log.store import Store

DRAWS = 2000
SEED = 14
RECENT_WEEKS = 26  # the logging rate is measured over the last half year of the log (habits change)
DEFAULT_SPREAD = 5.0  # score points (95 % half-width) assumed for a point measured without an interval


class GraduationEstimate(BaseModel):
    """When a tuned model is expected to overtake the best prompting path, in weeks of logging, with a
    95 % interval — or what is missing to say."""

    athlete: str
    status: Literal["expected", "already", "not_expected", "missing"]
    text: str
    weeks: float | None = None  # median over the draws
    weeks_low: float | None = None  # 2.5th percentile
    weeks_high: float | None = None  # 97.5th percentile; None: beyond any horizon (no crossing in > 2.5 % of draws)
    horizon_weeks: int = 52
    p_within_horizon: float | None = None  # share of draws that cross within the horizon
    examples_needed: float | None = None  # median crossing point
    examples_now: int | None = None
    logging_rate: float | None = None  # logged weeks per calendar week
    examples_per_logged_week: float | None = None
    best_prompting: str | None = None
    best_prompting_score: float | None = None
    curve_points: int = 0
    missing: list[str] = Field(default_factory=list)


def logging_rate(store: Store, athlete: str, *, weeks: int = RECENT_WEEKS) -> tuple[float | None, int]:
    """(logged weeks per calendar week over the last `weeks` weeks of the log, weeks logged in all).

    The window ends at the last logged week, not today: an import of an older log says how that person
    logs; a person who stopped logging is not extrapolated from. A log shorter than the window is measured
    over its own span."""
    a = store.get_athlete(athlete)
    assert a.id is not None
    mondays = sorted({s.day - dt.timedelta(days=s.day.weekday()) for s in store.sessions(a.id, with_sets=False)})
    if not mondays:
        return None, 0
    last = mondays[-1]
    start = max(mondays[0], last - dt.timedelta(weeks=weeks - 1))
    span = (last - start).days // 7 + 1
    logged = sum(1 for m in mondays if m >= start)
    return logged / span, len(mondays)


def _yield_and_count(athlete: str, home: Path | None, fallback_examples: int | None) -> tuple[float, int | None, str | None]:
    """(examples per logged week, training examples now, missing note) from the dataset build."""
    from ..artefacts import load_build_info

    info = load_build_info(athlete, home)
    if info is not None:
        weeks, examples, train = info.report.weeks_logged, info.report.examples, info.report.train
        if weeks and examples:
            return examples / weeks, train, None
    # no build: one example per logged week after the first is the builder's rule before anything is dropped
    return 1.0, fallback_examples, f"no dataset build: assumed every logged week becomes an example (`peri dataset build --athlete {athlete}`)"


def _best_prompting(curve_refs: dict[str, float], summary: EvalSummary | None) -> tuple[str | None, float | None, float | None]:
    """(name, score, 95 % half-width or None) of the best prompting path: the base model with an engineered
    prompt at any detail level, or with the athlete's examples (prompt-fewshot)."""
    scores: dict[str, tuple[float, float | None]] = {k: (v, None) for k, v in curve_refs.items() if k.startswith("prompt")}
    for k, v in (summary.approaches if summary else {}).items():
        if k.startswith("prompt") and v.score_mean is not None:
            if k in scores or k == "prompt-fewshot":
                scores[k] = (v.score_mean, v.score_ci)
    if not scores:
        return None, None, None
    best = max(scores, key=lambda k: scores[k][0])
    return best, scores[best][0], scores[best][1]


def crossing_weeks(
    points: list[tuple[int, float, float | None]], reference: float, reference_ci: float | None, *,
    examples_now: int, examples_per_week: float, draws: int = DRAWS, seed: int = SEED,
) -> tuple[list[float], list[float]]:
    """Weeks of logging until the fitted curve reaches `reference`, and the examples needed, one per draw
    (inf: that draw never crosses). `points` are (examples, score, 95 % half-width or None)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = np.log(np.array([p[0] for p in points], dtype=float))
    mean = np.array([p[1] for p in points], dtype=float)
    sd = np.array([(p[2] if p[2] is not None else DEFAULT_SPREAD) / 1.96 for p in points], dtype=float)
    y = mean + sd * rng.standard_normal((draws, len(points)))
    ref = reference + ((reference_ci or 0.0) / 1.96) * rng.standard_normal(draws)
    xc = x - x.mean()
    slope = (y - y.mean(axis=1, keepdims=True)) @ xc / (xc @ xc)
    intercept = y.mean(axis=1) - slope * x.mean()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        n_star = np.where(slope > 0, np.exp(np.clip((ref - intercept) / np.where(slope > 0, slope, 1.0), -50, 50)), np.inf)
    weeks = np.maximum(n_star - examples_now, 0.0) / examples_per_week
    return weeks.tolist(), n_star.tolist()


def _percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    i = min(len(s) - 1, max(0, math.ceil(q / 100 * len(s)) - 1))
    return s[i]


def graduation_estimate(
    store: Store, athlete: str, *, horizon_weeks: int = 52, home: Path | None = None,
) -> GraduationEstimate:
    """The graduation trigger for `athlete` from their stored learning curve and logging rate (module docstring)."""
    from ..evaluate.learning import read_curve
    from ..artefacts import load_eval_summary

    rate, logged = logging_rate(store, athlete)
    curve = read_curve(athlete, home)
    missing: list[str] = []
    if curve is None:
        missing.append(f"no learning curve: `peri eval --athlete {athlete} --learning-curve` measures one "
                       "(it needs a dataset: `peri dataset build`; or `--curve-models ft:A,ft:B` for adapters trained elsewhere)")
    if rate is None:
        missing.append("no logged weeks: import or log your training first")
    points = [(p.examples, p.score_mean, p.score_ci) for p in (curve.points if curve else [])
              if p.score_mean is not None and p.examples > 0]
    if curve is not None and len({p[0] for p in points}) < 2:
        missing.append(f"the learning curve has {len({p[0] for p in points})} scored size(s); a trend needs two or more "
                       f"(`peri eval --athlete {athlete} --learning-curve --sizes 25,50,0`)")
    summary = load_eval_summary(athlete, home)
    best, ref, ref_ci = _best_prompting(curve.references if curve else {}, summary)
    if curve is not None and best is None:
        missing.append("no prompting score on the same weeks to overtake (the curve's references hold none)")
    base = GraduationEstimate(athlete=athlete, status="missing", text="", horizon_weeks=horizon_weeks,
                              logging_rate=rate, best_prompting=best, best_prompting_score=ref,
                              curve_points=len(points), missing=missing)
    if missing:
        have = f"you log {rate:.2f} weeks per calendar week" if rate is not None else "nothing logged yet"
        base.text = ("No graduation estimate yet (" + have + "): " + "; ".join(missing) + ".")
        return base
    assert rate is not None and ref is not None
    largest = max(p[0] for p in points)
    per_week, now, note = _yield_and_count(athlete, home, largest)
    now = now if now is not None else largest
    examples_per_week = max(per_week * rate, 1e-6)
    weeks, n_star = crossing_weeks(points, ref, ref_ci, examples_now=now, examples_per_week=examples_per_week)
    finite = [w for w in weeks if math.isfinite(w)]
    median, low, high = _percentile(weeks, 50), _percentile(weeks, 2.5), _percentile(weeks, 97.5)
    within = sum(1 for w in weeks if w <= horizon_weeks) / len(weeks)
    base.missing = [note] if note else []
    base.examples_now, base.examples_per_logged_week = now, round(per_week, 3)
    base.p_within_horizon = round(within, 3)
    base.weeks_low = round(low, 1) if math.isfinite(low) else None
    base.weeks_high = round(high, 1) if math.isfinite(high) else None
    base.weeks = round(median, 1) if math.isfinite(median) else None
    n_med = _percentile(n_star, 50)
    base.examples_needed = round(n_med, 1) if math.isfinite(n_med) else None
    rate_text = f"at your current rate ({rate:.2f} logged weeks per calendar week, {per_week:.2f} examples each)"
    interval = (f"95% interval {low:.0f} to " + (f"{high:.0f} weeks" if math.isfinite(high) else "beyond any horizon")
                if finite else "")
    vs = f"your best prompting path ({best}, {ref:.1f})"
    if math.isfinite(median) and median == 0:
        base.status = "already"
        base.text = (f"A tuned model is expected to overtake {vs} already with your {now} examples"
                     + (f" ({interval})" if interval else "") + ".")
    elif math.isfinite(median) and median <= horizon_weeks:
        base.status = "expected"
        base.text = (f"A tuned model is expected to overtake {vs} in about {median:.0f} weeks of logging, {rate_text}: "
                     f"about {n_med:.0f} examples against your {now} now ({interval}; "
                     f"{within:.0%} of the curve's plausible fits cross within {horizon_weeks} weeks).")
    else:
        base.status = "not_expected"
        if not finite:
            why = "your learning curve does not rise toward it"
        elif not math.isfinite(median):
            why = "in most fits of your curve it never gets there"
        else:
            why = f"the median crossing is {median:.0f} weeks away"
        base.text = (f"A tuned model is not expected to overtake {vs} within {horizon_weeks} weeks of logging {rate_text}: "
                     f"{why} ({within:.0%} of the curve's plausible fits cross within the horizon"
                     + (f"; {interval}" if interval and math.isfinite(median) else "") + "). Keep prompting — with your "
                     f"own past weeks as examples (`peri plan --athlete {athlete} --style fewshot`).")
    return base
