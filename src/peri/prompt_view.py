"""The prompt a model would be sent for an athlete's next week, in any of the three forms peri builds.

One workflow for `peri prompt show` and anything else that shows a prompt: read the athlete's history
before the planning date, count tokens with the target model's tokenizer, and build the engineered prompt
(detail 0-4), the tuned model's short prompt, or the few-shot prompt (past weeks as example turns). It sits
at the generation layer because the few-shot form needs the dataset builder (peri.tune.retrieval).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from .log.catalog import default_catalog
from .log.context import load_context
from .log.store import Store
from .plans.schema import Scenario
from .prompts.builder import BuiltPrompt, build_prompt, short_prompt
from .prompts.tokens import tokenizer_for

PromptKind = Literal["engineered", "short", "fewshot"]


class PromptView(BaseModel):
    """One prompt as built: exactly one of `built` (engineered), `fewshot`, or the short prompt's messages."""

    kind: PromptKind
    messages: list[dict[str, str]]
    total_tokens: int
    tokenizer: str
    exact: bool
    warnings: list[str] = Field(default_factory=list)  # the context's (sessions left out of the history, ...)
    built: BuiltPrompt | None = None
    fewshot: Any = None  # peri.tune.retrieval.FewShotPrompt


def prompt_view(store: Store, athlete: str, *, kind: PromptKind = "engineered", scenario: Scenario = Scenario.normal,
                detail: int = 3, model: str = "embedded", budget: int = 3000, event_date: dt.date | None = None,
                equipment: list[str] | None = None, output_format: Literal["text", "json"] = "text",
                as_of: dt.date | None = None) -> PromptView:
    """Build the athlete's prompt of `kind` for the week at `as_of` (default: the week after the log ends)."""
    ctx = load_context(store, athlete, as_of)
    catalog = default_catalog()
    tokenizer = tokenizer_for(model, store=store)
    common = {"tokenizer": tokenizer.name, "exact": tokenizer.exact, "warnings": list(ctx.warnings)}
    if kind == "fewshot":
        from .tune.retrieval import fewshot_prompt

        fs = fewshot_prompt(ctx, catalog, scenario, tokenizer=tokenizer, budget=budget, event_date=event_date,
                            equipment=equipment)
        return PromptView(kind=kind, messages=fs.messages, total_tokens=fs.total_tokens, fewshot=fs, **common)
    if kind == "short":
        messages = short_prompt(ctx, catalog, scenario, event_date=event_date, equipment=equipment)
        return PromptView(kind=kind, messages=messages, total_tokens=tokenizer.count_messages(messages), **common)
    built = build_prompt(ctx, catalog, scenario, detail, tokenizer=tokenizer, budget=budget, event_date=event_date,
                         equipment=equipment, output_format=output_format)
    return PromptView(kind=kind, messages=built.messages, total_tokens=built.total_tokens, built=built, **common)
