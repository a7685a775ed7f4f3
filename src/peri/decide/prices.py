"""The price table: hosted model prices per 1M tokens with their dates, and local electricity costs.

Prices are data (src/peri/data/prices.yaml), overridable from PERI_HOME/prices.yaml, never code.
"""
from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from ..errors import ConfigError
from ..paths import peri_home

# OpenAI clamps epochs so that examples x epochs stays within this range (fine-tuning guide).
OPENAI_MIN_EXAMPLE_EPOCHS = 100
OPENAI_MAX_EXAMPLE_EPOCHS = 25_000


class ModelPrice(BaseModel):
    provider: str = "openai"
    input: float  # USD per 1M prompt tokens
    output: float  # USD per 1M output tokens
    training: float | None = None  # USD per 1M training tokens (tokens x epochs)
    finetuned_input: float | None = None
    finetuned_output: float | None = None
    retires: str | None = None
    date: str
    source: str


class LocalCost(BaseModel):
    watts: float = 65.0
    usd_per_kwh: float = 0.30
    date: str = ""
    source: str = ""

    def cost_of_seconds(self, seconds: float) -> float:
        return self.watts * seconds / 3600.0 / 1000.0 * self.usd_per_kwh


class PriceTable(BaseModel):
    currency: str = "USD"
    as_of: str
    default_epochs: int = 3
    models: dict[str, ModelPrice]
    local: LocalCost = Field(default_factory=LocalCost)
    sources: list[str] = Field(default_factory=list)  # files merged, in order

    def get(self, model: str) -> ModelPrice | None:
        """Exact name, else the longest known prefix (a dated snapshot or a fine-tune of a known base)."""
        name = model.split(":", 1)[1] if model.startswith(("openai:", "anthropic:")) else model
        if name.startswith("ft:"):  # OpenAI fine-tune ids look like ft:gpt-4o-mini-2024-07-18:org::id
            name = name[3:]
        if name in self.models:
            return self.models[name]
        best = max((k for k in self.models if name.startswith(k)), key=len, default=None)
        return self.models[best] if best else None

    def cost(self, model: str, prompt_tokens: int, output_tokens: int, *, finetuned: bool = False) -> float | None:
        """USD for one call, or None when the model is not priced (local models cost electricity, not tokens)."""
        p = self.get(model)
        if p is None:
            return None
        finetuned = finetuned or model.startswith(("ft:", "openai:ft:"))
        pin = (p.finetuned_input if finetuned and p.finetuned_input is not None else p.input)
        pout = (p.finetuned_output if finetuned and p.finetuned_output is not None else p.output)
        return (prompt_tokens * pin + output_tokens * pout) / 1_000_000

    def effective_epochs(self, n_examples: int, epochs: int | None = None) -> int:
        """OpenAI's default-epoch rule: examples x epochs clamped into [100, 25,000]."""
        e = epochs or self.default_epochs
        if n_examples <= 0:
            return e
        if epochs is None:
            if n_examples * e < OPENAI_MIN_EXAMPLE_EPOCHS:
                e = min(25, -(-OPENAI_MIN_EXAMPLE_EPOCHS // n_examples))
            elif n_examples * e > OPENAI_MAX_EXAMPLE_EPOCHS:
                e = max(1, OPENAI_MAX_EXAMPLE_EPOCHS // n_examples)
        return e

    def training_cost(self, model: str, tokens: int, epochs: int) -> float:
        p = self.get(model)
        if p is None or p.training is None:
            raise ConfigError(f"no training price for {model!r} in the price table", hint="add it to PERI_HOME/prices.yaml")
        return tokens * epochs * p.training / 1_000_000

    def age_days(self, today: dt.date | None = None) -> int:
        return ((today or dt.date.today()) - dt.date.fromisoformat(self.as_of)).days


def _read(path: Path | str, text: str) -> dict:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"price table is not valid YAML: {e}", place=str(path)) from e
    if not isinstance(data, dict):
        raise ConfigError("price table must be a mapping", place=str(path))
    return data


def load_prices(path: Path | None = None, *, home: Path | None = None) -> PriceTable:
    """The shipped table, with PERI_HOME/prices.yaml (or `path`) merged over it by model name."""
    shipped = resources.files("peri.data").joinpath("prices.yaml")
    data = _read("peri/data/prices.yaml", shipped.read_text())
    sources = ["peri/data/prices.yaml"]
    override = path or (home or peri_home()) / "prices.yaml"
    if override.exists():
        extra = _read(override, override.read_text())
        data["models"] = {**data.get("models", {}), **(extra.get("models") or {})}
        for key in ("as_of", "default_epochs", "currency"):
            if key in extra:
                data[key] = extra[key]
        if "local" in extra:
            data["local"] = {**data.get("local", {}), **extra["local"]}
        sources.append(str(override))
    try:
        return PriceTable(**data, sources=sources)
    except Exception as e:  # pydantic ValidationError: name the file
        raise ConfigError(f"price table has bad entries: {e}", place=sources[-1]) from e
