"""The cost model: what prompting, fine-tuning and the hybrid cost per month and in total, and when
fine-tuning's set-up pays for itself (the break-even week).

Everything is in USD and weeks. A user's time is money too: set-up hours (writing templates, collecting and
annotating examples) and minutes spent per query on long prompts are priced at `hour_value`.
"""
from __future__ import annotations

import math

from pydantic import BaseModel, Field

from ..errors import ConfigError
from .prices import PriceTable

WEEKS_PER_MONTH = 52 / 12


class ApproachUsage(BaseModel):
    """Tokens one query costs on an approach: measured by `peri eval` when available, else estimated."""

    prompt_tokens: float = Field(ge=0)
    output_tokens: float = Field(ge=0)
    latency_s: float | None = Field(None, ge=0, description="seconds per query on a local model (for electricity)")
    source: str = "estimate"  # "measured (peri eval ...)" or "estimate (...)"


class CostInputs(BaseModel):
    queries_per_week: float = Field(1.0, ge=0, description="plans or questions asked per week")
    model: str = Field("gpt-4o-mini", description="priced model name (price table), or 'local' for your own machine")
    prompting: ApproachUsage = ApproachUsage(prompt_tokens=1200, output_tokens=400)
    finetuned: ApproachUsage = ApproachUsage(prompt_tokens=80, output_tokens=400)
    hybrid: ApproachUsage = ApproachUsage(prompt_tokens=160, output_tokens=400)
    dataset_examples: int = Field(200, ge=0)
    tokens_per_example: float = Field(450, ge=0)
    epochs: int | None = Field(None, description="None: OpenAI's default rule (3, clamped)")
    retrain_every_weeks: float | None = Field(12, description="retrain with new weeks this often; None: never")
    prompt_setup_hours: float = Field(6.0, ge=0, description="writing and testing templates (typically 4-8 h)")
    finetune_setup_hours: float = Field(30.0, ge=0, description="collecting and annotating examples (20-40 h)")
    retrain_hours: float = Field(1.0, ge=0, description="your time per retraining (review new weeks)")
    hour_value: float = Field(0.0, ge=0, description="USD per hour of your time; 0 counts money only")
    minutes_saved_per_query: float = Field(0.0, ge=0, description="minutes a short prompt saves you per query")
    horizon_weeks: int = Field(52, ge=1, le=1040, description="weeks to compare over (at most 20 years: one row a week)")
    local_train_tokens_per_s: float = Field(630.0, gt=0, description="local LoRA training speed (bf16, 2 cores)")
    local_seconds_per_query: float = Field(10.0, ge=0, description="local generation time when not measured")


class ApproachCost(BaseModel):
    approach: str
    setup_usd: float  # one-off: time + first training
    per_query_usd: float  # tokens only
    weekly_usd: float  # queries x (tokens + time), plus retraining amortised
    monthly_usd: float
    retrain_usd: float  # one retraining (tokens + time); 0 for prompting
    cumulative_usd: list[float]  # at the end of week 0..horizon
    training_tokens: float = 0.0


class CostReport(BaseModel):
    inputs: CostInputs
    approaches: dict[str, ApproachCost]
    break_even_week: dict[str, float | None]  # fine-tuned/hybrid vs prompting; None = never within reach
    price_date: str
    notes: list[str] = Field(default_factory=list)


LOCAL = "local"


def _check_priced(prices: PriceTable, model: str) -> None:
    if model != LOCAL and prices.get(model) is None:
        raise ConfigError(f"no price for {model!r} in the price table (dated {prices.as_of})",
                          hint="use a model it lists, 'local', or add yours to PERI_HOME/prices.yaml")


def _query_usd(prices: PriceTable, inp: "CostInputs", usage: ApproachUsage, finetuned: bool) -> float:
    if inp.model == LOCAL:  # electricity for the seconds the local model runs
        return prices.local.cost_of_seconds(usage.latency_s if usage.latency_s is not None else inp.local_seconds_per_query)
    p = prices.get(inp.model)
    assert p is not None
    pin = p.finetuned_input if finetuned and p.finetuned_input is not None else p.input
    pout = p.finetuned_output if finetuned and p.finetuned_output is not None else p.output
    return (usage.prompt_tokens * pin + usage.output_tokens * pout) / 1_000_000


def training_usd(prices: PriceTable, inp: CostInputs) -> tuple[float, float]:
    """(USD, trained tokens) for one training run of the dataset: hosted price, or local electricity."""
    epochs = prices.effective_epochs(inp.dataset_examples, inp.epochs)
    tokens = inp.dataset_examples * inp.tokens_per_example * epochs
    if inp.model == LOCAL:
        return prices.local.cost_of_seconds(tokens / inp.local_train_tokens_per_s), tokens
    p = prices.get(inp.model)
    if p is None or p.training is None:
        raise ConfigError(f"no training price for {inp.model!r}", hint="add it to PERI_HOME/prices.yaml")
    return tokens * p.training / 1_000_000, tokens


def cost_report(inp: CostInputs, prices: PriceTable) -> CostReport:
    """Monthly and cumulative costs for each approach and the break-even week against prompting."""
    _check_priced(prices, inp.model)
    train_usd, train_tokens = training_usd(prices, inp)
    minute = inp.hour_value / 60.0
    time_per_query = inp.minutes_saved_per_query * minute  # the long prompt's extra minutes, paid on prompting
    retrain_usd = train_usd + inp.retrain_hours * inp.hour_value
    out: dict[str, ApproachCost] = {}
    specs = {
        "prompting": (inp.prompting, False, inp.prompt_setup_hours * inp.hour_value, time_per_query, 0.0),
        "finetuned": (inp.finetuned, True, inp.finetune_setup_hours * inp.hour_value + train_usd, 0.0, retrain_usd),
        # the hybrid needs both: the examples and a set of scenario templates
        "hybrid": (
            inp.hybrid, True, (inp.finetune_setup_hours + inp.prompt_setup_hours) * inp.hour_value + train_usd, 0.0,
            retrain_usd,
        ),
    }
    for name, (usage, ft, setup, time_q, retrain) in specs.items():
        per_query = _query_usd(prices, inp, usage, ft)
        weekly_queries = inp.queries_per_week * (per_query + time_q)
        amortised = retrain / inp.retrain_every_weeks if (retrain and inp.retrain_every_weeks) else 0.0
        cumulative = [setup]
        for week in range(1, inp.horizon_weeks + 1):
            step = weekly_queries
            if retrain and inp.retrain_every_weeks and week % inp.retrain_every_weeks == 0 and week < inp.horizon_weeks:
                step += retrain
            cumulative.append(cumulative[-1] + step)
        out[name] = ApproachCost(
            approach=name, setup_usd=setup, per_query_usd=per_query, weekly_usd=weekly_queries + amortised,
            monthly_usd=(weekly_queries + amortised) * WEEKS_PER_MONTH, retrain_usd=retrain,
            cumulative_usd=cumulative, training_tokens=train_tokens if ft else 0.0,
        )
    base = out["prompting"]
    breaks = {name: break_even_week(base, out[name]) for name in ("finetuned", "hybrid")}
    notes = []
    if prices.age_days() > 180:
        notes.append(f"prices are from {prices.as_of}, {prices.age_days()} days ago: check them")
    return CostReport(inputs=inp, approaches=out, break_even_week=breaks, price_date=prices.as_of, notes=notes)


def break_even_week(base: ApproachCost, other: ApproachCost) -> float | None:
    """Weeks until `other`'s higher set-up is paid back by its lower weekly cost (amortised, continuous).

    0 when it is never more expensive; None when its weekly cost is not lower (it never pays back).
    """
    extra = other.setup_usd - base.setup_usd
    saving = base.weekly_usd - other.weekly_usd
    if extra <= 0 and saving >= 0:
        return 0.0
    if saving <= 0:
        return None
    return extra / saving


def weeks_label(weeks: float | None) -> str:
    if weeks is None:
        return "never"
    if weeks == 0:
        return "immediately"
    if weeks > 520:
        return f"{weeks / 52:.0f} years"
    return f"week {math.ceil(weeks)}"
