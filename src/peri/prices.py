"""The price table: hosted model prices per 1M tokens, each row with its own date and source, model
retirements, and local electricity costs.

Prices are data (src/peri/data/prices.yaml), overridable from PERI_HOME/prices.yaml, never code. This module
is ground layer (it imports nothing of peri above errors/paths) because backends, the dataset builder, the
evaluation and the decision all price tokens, and none of them may import another from below.

Each model has three separate rows — `base` (the model as is), `training` (fine-tuning it) and `finetuned`
(calling the fine-tune) — because they differ (OpenAI bills a fine-tune's inference at twice its base's) and
are read from the provider at different times.
"""
from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from .errors import ConfigError
from .paths import peri_home

# OpenAI clamps epochs so that examples x epochs stays within this range (fine-tuning guide).
OPENAI_MIN_EXAMPLE_EPOCHS = 100
OPENAI_MAX_EXAMPLE_EPOCHS = 25_000


class TokenPrice(BaseModel):
    """USD per 1M prompt (input) and output tokens, read on `date` from `source`."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    date: str
    source: str


class TrainingPrice(BaseModel):
    """USD per 1M trained tokens (training-file tokens x epochs), read on `date` from `source`."""

    per_million: float = Field(ge=0)
    date: str
    source: str


class ModelPrice(BaseModel):
    """One model's rows. `base` is required; `training`/`finetuned` exist only where the provider tunes it."""

    provider: str = "openai"
    base: TokenPrice
    training: TrainingPrice | None = None
    finetuned: TokenPrice | None = None
    retires: str | None = None  # YYYY-MM-DD the provider retires the model (and its fine-tunes): "inference until"
    retires_source: str | None = None
    # How a fine-tune of this model is served: per token without hosting ("serverless", the `finetuned` row), or
    # only on dedicated hardware billed by the hour ("deployment": no per-token price, so no cost-model path).
    serving: Literal["serverless", "deployment"] = "serverless"

    @model_validator(mode="before")
    @classmethod
    def _flat_form(cls, data: Any) -> Any:
        """Accept the flat form a user writes in PERI_HOME/prices.yaml (input/output/training/finetuned_*,
        one date and source for all) and turn it into the three rows."""
        if not isinstance(data, dict) or "base" in data or "input" not in data:
            return data
        d = dict(data)
        date, source = d.pop("date", None), d.pop("source", None)
        out: dict[str, Any] = {k: d.pop(k) for k in ("provider", "retires", "retires_source", "serving") if k in d}
        out["base"] = {"input": d.pop("input"), "output": d.pop("output", None), "date": date, "source": source}
        if d.get("training") is not None:
            out["training"] = {"per_million": d.pop("training"), "date": date, "source": source}
        fi, fo = d.pop("finetuned_input", None), d.pop("finetuned_output", None)
        if fi is not None or fo is not None:
            out["finetuned"] = {"input": fi if fi is not None else 0, "output": fo if fo is not None else 0,
                                "date": date, "source": source}
        d.pop("training", None)
        if d:
            out.update(d)  # unknown keys reach validation and are named there
        return out

    def dates(self) -> list[str]:
        return [r.date for r in (self.base, self.training, self.finetuned) if r is not None]

    def retired(self, today: dt.date) -> bool:
        return self.retires is not None and dt.date.fromisoformat(self.retires) <= today

    def inference(self, finetuned: bool) -> TokenPrice:
        """The row that prices a call: the fine-tuned one for a fine-tune, else the base."""
        if finetuned and self.finetuned is not None:
            return self.finetuned
        return self.base


class UsageRule(BaseModel):
    """From `from_` on, only organisations meeting `rule` may create fine-tuning jobs."""

    from_: str = Field(alias="from")
    rule: str

    model_config = {"populate_by_name": True}


class ProviderLifecycle(BaseModel):
    """A hosted tuner's availability, dated. End dates are exclusive: closed on and after the date."""

    key_env: str | None = None
    default_epochs: int | None = None  # the provider's own default; None: OpenAI's rule (3, clamped)
    accepts_new_jobs_until: str | None = None  # first day no new fine-tuning job can be created
    requires_prior_usage: list[UsageRule] = Field(default_factory=list)
    inference_note: str = ""
    date: str = ""
    source: str = ""
    pages: list[str] = Field(default_factory=list)  # the pages read, each with the date seen
    # the earlier names (a user's PERI_HOME/prices.yaml may still use them)
    finetuning_restricted: str | None = None
    finetuning_closes: str | None = None

    @model_validator(mode="after")
    def _old_names(self) -> "ProviderLifecycle":
        if self.accepts_new_jobs_until is None and self.finetuning_closes:
            self.accepts_new_jobs_until = self.finetuning_closes
        self.finetuning_closes = self.accepts_new_jobs_until
        if self.finetuning_restricted and not self.requires_prior_usage:
            self.requires_prior_usage = [UsageRule(from_=self.finetuning_restricted, rule="restricted to earlier users")]
        return self

    def closed(self, today: dt.date) -> bool:
        return self.accepts_new_jobs_until is not None and dt.date.fromisoformat(self.accepts_new_jobs_until) <= today

    def restriction(self, today: dt.date) -> UsageRule | None:
        """The strictest prior-usage rule in force on `today` (the latest that has begun), if any."""
        active = [r for r in self.requires_prior_usage if dt.date.fromisoformat(r.from_) <= today]
        return max(active, key=lambda r: r.from_) if active else None


class TuningAvailability(BaseModel):
    """Whether a hosted fine-tune of `model` can be started on `on`, and why not when it cannot."""

    model: str
    provider: str
    on: str
    available: bool
    reason: str = ""  # why not, with the date and source
    condition: str = ""  # available only if this holds (a prior-usage rule)
    serving: str = "serverless"
    jobs_until: str | None = None  # exclusive end of new jobs
    inference_until: str | None = None  # exclusive end of inference on the fine-tune

    def ends_within(self, start: dt.date, weeks: int) -> list[str]:
        """What of this path ends inside the horizon, as sentences."""
        end = start + dt.timedelta(weeks=weeks)
        out = []
        if self.jobs_until and dt.date.fromisoformat(self.jobs_until) <= end:
            out.append(f"{self.provider} accepts no new fine-tuning jobs from {self.jobs_until}: retraining after that "
                       "needs another provider or a local fine-tune")
        if self.inference_until and dt.date.fromisoformat(self.inference_until) <= end:
            out.append(f"{self.model} and its fine-tunes stop serving on {self.inference_until}")
        return out


class LocalCost(BaseModel):
    watts: float = Field(65.0, ge=0)
    usd_per_kwh: float = Field(0.30, ge=0)
    date: str = ""
    source: str = ""

    def cost_of_seconds(self, seconds: float) -> float:
        return self.watts * seconds / 3600.0 / 1000.0 * self.usd_per_kwh


class PriceTable(BaseModel):
    currency: str = "USD"
    default_epochs: int = 3
    models: dict[str, ModelPrice]
    providers: dict[str, ProviderLifecycle] = Field(default_factory=dict)
    local: LocalCost = Field(default_factory=LocalCost)
    sources: list[str] = Field(default_factory=list)  # files merged, in order

    @property
    def as_of(self) -> str:
        """The oldest row date in the table: what 'prices of DATE' may honestly claim for all of it."""
        return min(d for m in self.models.values() for d in m.dates())

    def key(self, model: str) -> str | None:
        """The table's name for `model`: exact, else the longest known prefix (a dated snapshot, a fine-tune)."""
        from .model_spec import OPENAI_FINETUNE_PREFIX, ModelSpec

        spec = ModelSpec.maybe(model)
        name = spec.name if spec is not None and spec.kind in ("openai", "anthropic") else model
        # an OpenAI fine-tune id (ft:gpt-4o-mini-2024-07-18:org::id) is priced by its base's row
        name = name.removeprefix(OPENAI_FINETUNE_PREFIX)
        if name in self.models:
            return name
        return max((k for k in self.models if name.startswith(k)), key=len, default=None)

    def get(self, model: str) -> ModelPrice | None:
        k = self.key(model)
        return self.models[k] if k else None

    def cost(self, model: str, prompt_tokens: int, output_tokens: int, *, finetuned: bool = False) -> float | None:
        """USD for one call, or None when the model is not priced (local models cost electricity, not tokens)."""
        p = self.get(model)
        if p is None:
            return None
        from .model_spec import ModelSpec, is_openai_finetune

        spec = ModelSpec.maybe(model)
        finetuned = finetuned or (spec.tuned if spec is not None else is_openai_finetune(model))
        row = p.inference(finetuned)
        return (prompt_tokens * row.input + output_tokens * row.output) / 1_000_000

    def effective_epochs(self, n_examples: int, epochs: int | None = None, model: str | None = None) -> int:
        """OpenAI's default-epoch rule: examples x epochs clamped into [100, 25,000]; an explicit `epochs` wins;
        a provider with its own default (`providers.X.default_epochs`) uses that for its models."""
        entry = self.get(model) if model else None
        life = self.providers.get(entry.provider) if entry else None
        if epochs is None and life is not None and life.default_epochs:
            return life.default_epochs
        e = epochs or self.default_epochs
        if n_examples <= 0:
            return e
        if epochs is None:
            if n_examples * e < OPENAI_MIN_EXAMPLE_EPOCHS:
                e = min(25, -(-OPENAI_MIN_EXAMPLE_EPOCHS // n_examples))
            elif n_examples * e > OPENAI_MAX_EXAMPLE_EPOCHS:
                e = max(1, OPENAI_MAX_EXAMPLE_EPOCHS // n_examples)
        return e

    def training_cost(self, model: str, tokens: float, epochs: int) -> float:
        p = self.get(model)
        if p is None or p.training is None:
            raise ConfigError(f"no training price for {model!r} in the price table", hint="add it to PERI_HOME/prices.yaml")
        return tokens * epochs * p.training.per_million / 1_000_000

    def check_usable(self, model: str, today: dt.date | None = None) -> ModelPrice:
        """The model's prices, or a ConfigError when it is unpriced or already retired (with the date)."""
        p = self.get(model)
        if p is None:
            raise ConfigError(f"no price for {model!r} in the price table",
                              hint=f"use one it lists ({', '.join(self.usable(today))}), 'local', or add yours to PERI_HOME/prices.yaml")
        if p.retired(today or dt.date.today()):
            raise ConfigError(f"{model} was retired on {p.retires} ({p.retires_source or 'provider notice'})",
                              hint=f"choose a current model: {', '.join(self.usable(today))}")
        return p

    def usable(self, today: dt.date | None = None) -> list[str]:
        today = today or dt.date.today()
        return [k for k, m in self.models.items() if not m.retired(today)]

    def tuning(self, model: str, today: dt.date | None = None, *, prior_usage: bool = False) -> TuningAvailability:
        """Can a hosted fine-tuning job of `model` start on `today`? Closed providers, retired or untunable
        models and prior-usage rules the person does not meet (`prior_usage`) make it unavailable."""
        today = today or dt.date.today()
        key = self.key(model) or model
        p = self.models.get(key)
        if p is None:
            return TuningAvailability(model=model, provider="?", on=str(today), available=False,
                                      reason=f"{model} is not in the price table")
        life = self.providers.get(p.provider, ProviderLifecycle())
        av = TuningAvailability(model=key, provider=p.provider, on=str(today), available=True, serving=p.serving,
                                jobs_until=life.accepts_new_jobs_until, inference_until=p.retires)
        src = f" ({life.source})" if life.source else ""
        if p.training is None:
            av.available, av.reason = False, f"{p.provider} does not fine-tune {key}"
        elif life.closed(today):
            av.available, av.reason = False, f"{p.provider} accepts no new fine-tuning jobs since {life.accepts_new_jobs_until}{src}"
        elif p.retired(today):
            av.available, av.reason = False, f"{key} was retired on {p.retires} ({p.retires_source or 'provider notice'})"
        elif (rule := life.restriction(today)) is not None:
            av.condition = f"since {rule.from_}, {rule.rule}{src}"
            if not prior_usage:
                av.available, av.reason = False, av.condition
        return av

    def tuning_options(self, today: dt.date | None = None, *, prior_usage: bool = False,
                       serverless_only: bool = False) -> list[TuningAvailability]:
        """Every priced model a hosted fine-tune can start on `today`, cheapest training first."""
        out = [a for k in self.models if self.models[k].provider != "example"
               and (a := self.tuning(k, today, prior_usage=prior_usage)).available
               and (not serverless_only or a.serving == "serverless")]
        return sorted(out, key=lambda a: self.models[a.model].training.per_million)  # type: ignore[union-attr]

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
    data.pop("notes", None)
    sources = ["peri/data/prices.yaml"]
    override = path or (home or peri_home()) / "prices.yaml"
    if override.exists():
        extra = _read(override, override.read_text())
        data["models"] = {**data.get("models", {}), **(extra.get("models") or {})}
        data["providers"] = {**data.get("providers", {}), **(extra.get("providers") or {})}
        for key in ("default_epochs", "currency"):
            if key in extra:
                data[key] = extra[key]
        if "local" in extra:
            data["local"] = {**data.get("local", {}), **extra["local"]}
        sources.append(str(override))
    try:
        return PriceTable(**data, sources=sources)
    except Exception as e:  # pydantic ValidationError: name the file
        raise ConfigError(f"price table has bad entries: {e}", place=sources[-1]) from e

