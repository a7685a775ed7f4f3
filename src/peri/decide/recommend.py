"""The recommendation: prompting, few-shot prompting, fine-tuning, the hybrid, or the graduation path — with
reasons that cite the numbers that drove them.

The criteria are the seed's: exploring, a standard paradigm, seasonal changes of focus and cost
sensitivity point to prompting; a consistent complex methodology, non-standard constraints, daily use and a
need for instant answers point to fine-tuning; both sets present point to the hybrid; and a lifter without
enough logged weeks to build 100+ examples starts by prompting and graduates later — when, their own learning
curve and logging rate say (`peri.decide.graduation`). Few-shot prompting (their own past weeks as examples in
the prompt) is the prompting path's strongest form and the step before training: it is recommended when it
measured best without tuning, and offered first whenever the answer is to graduate.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from .cost import CostReport, usd, weeks_label

STANDARD_GOALS = {"hypertrophy", "strength", "endurance", "general"}
DAILY_QUERIES = 5.0  # queries a week from which use counts as "daily"
MIN_EXAMPLES = 100  # the low end of the 100-500 examples fine-tuning needs


def _per_week(q: float) -> str:
    n, per = (q, "week") if q >= 1 else (float(f"{q * 52 / 12:.2g}"), "month")
    return f"{n:g} {'query' if n == 1 else 'queries'} a {per}"


def _constraints_said(constraints: list[str], notes: int) -> str:
    """'no stated constraint and 13 notes of aggravation or pain in your log', '1 stated constraint (knee) and ...'."""
    said = (f"{len(constraints)} stated constraint{'s' if len(constraints) > 1 else ''} ({', '.join(constraints)})"
            if constraints else "no stated constraint")
    return f"{said} and {notes} note{'' if notes == 1 else 's'} of aggravation or pain in your log"


class Situation(BaseModel):
    """What the user told the interview, plus what peri measured about them."""

    queries_per_week: float = 1.0
    goal: str = "hypertrophy"
    goal_source: str = "stated"  # stated | derived (read from the log) | unknown (assumed: neither says it)
    constraints: list[str] = Field(default_factory=list)
    aggravation_notes: int = 0  # annotations tagged aggravated/pain in the log
    exploring: bool = False  # still trying out what works
    seasonal_focus: bool = False  # changes focus with the season
    complex_methodology: bool = False  # a consistent, non-standard system (e.g. conjugate, custom RPE waves)
    cost_sensitive: bool = False
    needs_instant: bool = False  # answers needed in seconds (in the gym, between sets)
    logged_weeks: int | None = None  # None: unknown (no athlete given)
    dataset_examples: int | None = None  # from `peri dataset build`, when run
    quality: dict[str, float] = Field(default_factory=dict)  # approach -> mean score from `peri eval`
    quality_ci: dict[str, float] = Field(default_factory=dict)  # approach -> 95% half-width
    latency_s: dict[str, float] = Field(default_factory=dict)
    graduation: str | None = None  # the graduation trigger's sentence (peri.decide.graduation), when estimated
    graduation_status: str | None = None  # expected | already | not_expected | missing


class Reason(BaseModel):
    criterion: str
    favours: str  # "prompting" | "finetuning" | "graduate" | "fewshot" (the last two are not votes)
    text: str  # cites the number


class Recommendation(BaseModel):
    path: str  # "prompting" | "fewshot" | "finetuning" | "hybrid" | "graduate"
    headline: str
    reasons: list[Reason]
    journey: str  # name of the journey in peri.guide
    quality_note: str | None = None
    provider: str | None = None  # where a tuned path runs: a hosted provider, or "local"
    tune_model: str | None = None
    warnings: list[str] = Field(default_factory=list)  # what of the recommended path ends within the horizon


def recommend(s: Situation, costs: CostReport | None = None, *, tuning: Any = None) -> Recommendation:
    """The path and its reasons. `tuning` (a `peri.prices.TuningAvailability`, or None for "no hosted tuning
    open on the decision date") names where a tuned path runs; a recommendation never points at a provider
    that accepts no jobs that day, and warns when the path it names ends within the horizon."""
    rec = _recommend(s, costs)
    if rec.path == "prompting":
        return rec
    if tuning is None:
        rec.provider = "local"
        rec.headline += " Tune locally (`peri finetune local`): no hosted provider in the price table takes a job today."
    else:
        rec.provider, rec.tune_model = tuning.provider, tuning.model
        rec.headline += f" Tune on {tuning.provider} ({tuning.model}, `peri finetune {tuning.provider}`)."
        if costs is not None:
            start = dt.date.fromisoformat(tuning.on)
            rec.warnings = tuning.ends_within(start, costs.inputs.horizon_weeks)
    return rec


def _recommend(s: Situation, costs: CostReport | None = None) -> Recommendation:
    r: list[Reason] = []
    if s.exploring:
        r.append(Reason(criterion="exploring", favours="prompting", text="you are still exploring what works; a prompt changes in minutes, weights don't"))
    if s.goal in STANDARD_GOALS and not s.complex_methodology:
        r.append(Reason(criterion="standard paradigm", favours="prompting", text=_goal_said(s) + " is a standard paradigm any model knows"))
    if s.seasonal_focus:
        r.append(Reason(criterion="seasonal focus", favours="prompting", text="your focus changes with the season; a tuned model would need retraining each time"))
    if s.cost_sensitive:
        r.append(Reason(criterion="cost sensitivity", favours="prompting", text="you asked to keep costs low"))
    if s.complex_methodology:
        r.append(Reason(criterion="complex methodology", favours="finetuning", text="you follow a consistent, non-standard methodology that a short prompt can't carry"))
    n_constraints = len(s.constraints)
    if n_constraints or s.aggravation_notes >= 3:
        r.append(Reason(
            criterion="non-standard constraints", favours="finetuning",
            text=_constraints_said(s.constraints, s.aggravation_notes),
        ))
    if s.queries_per_week >= DAILY_QUERIES:
        r.append(Reason(criterion="daily use", favours="finetuning", text=f"{_per_week(s.queries_per_week)} is daily use: short prompts add up"))
    else:
        r.append(Reason(criterion="occasional use", favours="prompting", text=f"{_per_week(s.queries_per_week)} is occasional use"))
    if s.needs_instant:
        fast = f" (measured: {', '.join(f'{k} {v:.1f}s' for k, v in s.latency_s.items())})" if s.latency_s else ""
        r.append(Reason(criterion="instant responses", favours="finetuning", text="you need instant answers; a short prompt is faster to send and process" + fast))

    if costs is not None:
        be = costs.break_even_week.get("finetuned")
        p, f = costs.approaches["prompting"], costs.approaches["finetuned"]
        if be is None or be > costs.inputs.horizon_weeks:
            r.append(Reason(
                criterion="cost", favours="prompting",
                text=f"fine-tuning costs {usd(f.setup_usd)} up front and {usd(f.monthly_usd)}/month vs {usd(p.monthly_usd)}/month for prompting; it breaks even {weeks_label(be, costs.inputs.horizon_weeks)}"
                     + (f"; {costs.time_only.text}" if costs.time_only else ""),
            ))
        else:
            r.append(Reason(
                criterion="cost", favours="finetuning",
                text=f"fine-tuning's {usd(f.setup_usd)} set-up is paid back by {weeks_label(be, costs.inputs.horizon_weeks)} ({usd(p.monthly_usd)}/month prompting vs {usd(f.monthly_usd)}/month tuned)",
            ))

        fs, be_fs = costs.approaches.get("fewshot"), costs.break_even_vs_fewshot.get("finetuned")
        if fs is not None:
            r.append(Reason(
                criterion="examples in the prompt", favours="fewshot",
                text=f"few-shot prompting pays for its examples ({costs.inputs.fewshot.prompt_tokens:.0f} prompt tokens) on "
                     f"every query, {usd(fs.monthly_usd)}/month with nothing to train; fine-tuning pays "
                     f"{usd(f.setup_usd)} once and breaks even against it {weeks_label(be_fs, costs.inputs.horizon_weeks)}",
            ))

    quality_note = None
    if s.quality:
        best = max(s.quality, key=lambda k: s.quality[k])
        ci = s.quality_ci.get(best)
        quality_note = f"measured quality: best is {best} at {s.quality[best]:.1f}" + (f" ± {ci:.1f}" if ci is not None else "") + " ("
        quality_note += ", ".join(f"{k} {v:.1f}" for k, v in sorted(s.quality.items(), key=lambda kv: -kv[1])) + ")"
        tuned = max((k for k in s.quality if k.startswith(("finetuned", "hybrid"))), key=lambda k: s.quality[k], default=None)
        other = max((k for k in s.quality if k.startswith(("prompt", "rules"))), key=lambda k: s.quality[k], default=None)
        if tuned is not None and other is not None:
            favours = "finetuning" if s.quality[tuned] > s.quality[other] else "prompting"
            r.append(Reason(criterion="measured quality", favours=favours,
                            text=f"best tuned ({tuned}) {s.quality[tuned]:.1f} vs best without tuning ({other}) {s.quality[other]:.1f} on your held-out weeks"))

    examples = s.dataset_examples
    too_few = (examples is not None and examples < MIN_EXAMPLES) or (
        examples is None and s.logged_weeks is not None and s.logged_weeks < MIN_EXAMPLES
    )
    votes_p = sum(x.favours == "prompting" for x in r)
    votes_f = sum(x.favours == "finetuning" for x in r)
    fewshot_best = _fewshot_measured_best(s)
    if votes_f > votes_p and too_few:
        have = f"{examples} examples" if examples is not None else f"{s.logged_weeks} logged weeks"
        r.append(Reason(criterion="not enough data yet", favours="graduate", text=f"you have {have}; fine-tuning needs about {MIN_EXAMPLES}-500"))
        path, journey = "graduate", "graduation"
        headline = ("Start with your own past weeks as examples in the prompt (few-shot) now, log what works, and graduate "
                    "to fine-tuning " + ("when your learning curve says a tuned model will overtake it."
                                         if s.graduation_status in ("expected", "not_expected") else "when you have the examples."))
    elif votes_f > votes_p and votes_p >= 2:
        path, journey = "hybrid", "hybrid"
        headline = f"Hybrid: a fine-tuned model for your constants, scenario prompts for what changes ({votes_f} reasons for tuning, {votes_p} for prompting)."
    elif votes_f > votes_p:
        path, journey = "finetuning", "hybrid"
        headline = f"Fine-tune: {votes_f} reasons for it against {votes_p} for prompting."
    elif fewshot_best:
        path, journey = "fewshot", "graduation"
        headline = (f"Few-shot prompting: your own past weeks as examples in the prompt measured best without tuning "
                    f"({fewshot_best}); {votes_p} reasons for prompting against {votes_f} for fine-tuning.")
    else:
        path, journey = "prompting", "prompt-sprint"
        headline = f"Prompt engineering: {votes_p} reasons for it against {votes_f} for fine-tuning" + (" (a tie goes to the path that costs less to start)." if votes_p == votes_f else ".")
    return Recommendation(path=path, headline=headline, reasons=r, journey=journey, quality_note=quality_note)


def _fewshot_measured_best(s: Situation) -> str | None:
    """'prompt-fewshot 61.2 vs prompt-d3 55.0' when few-shot measured best among the prompting paths, else None."""
    fs = s.quality.get("prompt-fewshot")
    others = {k: v for k, v in s.quality.items() if k.startswith("prompt-") and k != "prompt-fewshot"}
    if fs is None or not others:
        return None
    best = max(others, key=lambda k: others[k])
    return f"prompt-fewshot {fs:.1f} vs {best} {others[best]:.1f}" if fs > others[best] else None


def _goal_said(s: Situation) -> str:
    """The goal as the reason may claim it: stated, read from the log, or assumed when neither says it."""
    if s.goal_source == "unknown":
        return f"no goal stated or shown by your log; the assumed goal ({s.goal})"
    return f"your goal ({s.goal}{', read from your log' if s.goal_source == 'derived' else ''})"
