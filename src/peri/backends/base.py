"""The one small interface every model backend implements: messages in, text (or schema-constrained JSON) out.

A backend reports what the call cost (tokens, latency, dollars) alongside the text, so `peri.generate`
can record every generation whole. Failures surface as `BackendError`; a backend never fakes success.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from ..errors import BackendError

__all__ = ["Backend", "BackendError", "GenerationRequest", "GenerationResult", "RuleInputs"]


class RuleInputs(BaseModel):
    """What a backend that plans from the log itself (rules) needs instead of a prompt.

    `context` is a `peri.log.context.AthleteContext`; typed loosely so this module stays import-light.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    context: Any
    scenario: str = "normal"
    event_date: dt.date | None = None
    equipment: list[str] | None = None


class GenerationRequest(BaseModel):
    """One chat call. `json_schema` asks for constrained JSON output when the backend supports it."""

    messages: list[dict[str, str]]
    json_schema: dict | None = None
    grammar: str | None = None  # an LLGuidance grammar (llama.cpp backends); wins over json_schema there
    max_tokens: int = Field(700, ge=1)
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    seed: int = 0
    stop: list[str] | None = None
    # Only backends with `needs_context` read this; model backends see the prompt and nothing else.
    rule_inputs: RuleInputs | None = None


class GenerationResult(BaseModel):
    """What came back, and what it cost. `cost_usd` is None when no price is known (local models)."""

    text: str
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    latency_s: float
    cost_usd: float | None = None
    model: str
    finish_reason: str | None = None
    meta: dict = Field(default_factory=dict)  # backend-specific facts worth recording (e.g. a schema fallback)

    @property
    def tokens_per_s(self) -> float | None:
        if not self.output_tokens or self.latency_s <= 0:
            return None
        return self.output_tokens / self.latency_s


@runtime_checkable
class Backend(Protocol):
    """A model (or the rule-based coach) behind one method.

    name: the spec it was made from (recorded as the generation's model).
    supports_json_schema: whether `req.json_schema` constrains the output.
    needs_context: whether it plans from `req.rule_inputs` rather than the messages.
    adapter: the LoRA adapter served on top of the base, when there is one.
    """

    name: str
    supports_json_schema: bool
    needs_context: bool
    adapter: str | None

    def generate(self, req: GenerationRequest) -> GenerationResult: ...
