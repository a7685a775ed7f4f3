"""Fill the cost model and the recommendation from what peri knows about an athlete: measured numbers from
`peri eval` when present, else estimates from the athlete's own prompts; the log's constraints and notes."""
from __future__ import annotations

from pathlib import Path

from ..artefacts import EvalSummary, load_build_info, load_eval_summary
from ..artefacts import eval_summary_path as eval_summary_path  # where it always was, for its readers
from ..log.store import Store
from .cost import ApproachUsage
from .recommend import Situation


def measured_usage(summary: EvalSummary) -> dict[str, ApproachUsage]:
    """Tokens per query of the best-scoring prompted level, the tuned short prompt and the hybrid."""
    rows = summary.approaches
    out: dict[str, ApproachUsage] = {}
    prompted = {k: v for k, v in rows.items() if k.startswith("prompt-") and v.prompt_tokens_mean is not None
                and v.output_tokens_mean is not None}
    if prompted:
        best = max(prompted, key=lambda k: prompted[k].score_mean or 0.0)
        v = prompted[best]
        out["prompting"] = ApproachUsage(prompt_tokens=v.prompt_tokens_mean, output_tokens=v.output_tokens_mean,
                                         latency_s=v.latency_mean, source=f"measured ({best})")
    for src, dst in (("finetuned-short", "finetuned"), ("hybrid", "hybrid"), ("prompt-fewshot", "fewshot"),
                     ("finetuned-fewshot", "finetuned_fewshot")):
        v = rows.get(src)
        if v and v.prompt_tokens_mean is not None and v.output_tokens_mean is not None:
            out[dst] = ApproachUsage(prompt_tokens=v.prompt_tokens_mean, output_tokens=v.output_tokens_mean,
                                     latency_s=v.latency_mean, source=f"measured ({src})")
    return out


def example_tokens(athlete: str, home: Path | None = None) -> float | None:
    """Mean tokens per fine-tuning example, from the dataset build when there is one."""
    info = load_build_info(athlete, home)
    return (info.report.tokens.mean or None) if info else None


def estimated_usage(store: Store, athlete: str, model: str = "local") -> dict[str, ApproachUsage]:
    """Token counts of this athlete's own engineered (detail 3), short and few-shot prompts, output at a typical
    plan length. The few-shot count is the prompt `peri plan --style fewshot` would send for the next week: the
    examples actually retrieved from this athlete's past weeks, not an assumed number of them.

    Counted with the priced model's own tokenizer (OpenAI models: tiktoken, offline), else the embedded one.
    """
    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..plans.schema import Scenario
    from ..prompts.builder import build_prompt, short_prompt
    from ..prompts.tokens import tokenizer_for

    ctx = load_context(store, athlete)
    cat = default_catalog()
    from ..prices import load_prices

    price = load_prices().get(model) if model != "local" else None
    tok = tokenizer_for(f"openai:{model}" if price is not None and price.provider == "openai" else "embedded")
    engineered = build_prompt(ctx, cat, Scenario.normal, 3, tokenizer=tok)
    short = tok.count_messages(short_prompt(ctx, cat))
    hybrid = tok.count_messages(short_prompt(ctx, cat, Scenario.deload))
    from ..tune.retrieval import fewshot_prompt

    fs = fewshot_prompt(ctx, cat, Scenario.normal, tokenizer=tok)
    fs_src = (f"estimate ({tok.name} tokens of your few-shot prompt: {len(fs.examples)} of your past weeks, "
              f"{fs.example_tokens} example tokens)")
    out_tokens = 400.0  # a 4-day plan in the compact text form is ~300-450 tokens
    src = f"estimate ({tok.name} tokens of your own prompts)"
    return {
        "prompting": ApproachUsage(prompt_tokens=engineered.total_tokens, output_tokens=out_tokens, source=src),
        "finetuned": ApproachUsage(prompt_tokens=short, output_tokens=out_tokens, source=src),
        "hybrid": ApproachUsage(prompt_tokens=hybrid, output_tokens=out_tokens, source=src),
        "fewshot": ApproachUsage(prompt_tokens=fs.total_tokens, output_tokens=out_tokens, source=fs_src),
        "finetuned_fewshot": ApproachUsage(prompt_tokens=fs.total_tokens, output_tokens=out_tokens, source=fs_src),
    }


def situation_from_store(store: Store, athlete: str, home: Path | None = None) -> Situation:
    from ..log.context import load_context

    # the profile as every other reader takes it: stated, else read from the log (never the model's default)
    a = load_context(store, athlete).athlete
    assert a.id is not None
    sessions = store.sessions(a.id, with_sets=False)
    weeks = {s.started_at.date().isocalendar()[:2] for s in sessions}
    notes = store.annotations(a.id)
    aggravations = sum(1 for n in notes if {"aggravated", "pain"} & set(n.tags))
    info = load_build_info(athlete, home)
    examples = (info.report.examples or None) if info else None
    s = Situation(
        goal=a.goal.value, goal_source=a.source("goal").kind, constraints=list(a.constraints),
        aggravation_notes=aggravations,
        logged_weeks=len(weeks), dataset_examples=examples,
    )
    summary = load_eval_summary(athlete, home)
    if summary:
        for name, v in summary.approaches.items():
            if v.score_mean is not None:
                s.quality[name] = v.score_mean
                if v.score_ci is not None:
                    s.quality_ci[name] = v.score_ci
            if v.latency_mean is not None:
                s.latency_s[name] = v.latency_mean
    return s
