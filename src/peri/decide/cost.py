"""The cost model: what prompting, few-shot prompting, fine-tuning and the two combinations cost per month
and in total, and when a tuned path's set-up pays for itself (the break-even week).

Five paths, each a (set-up, per-query) pair:

- prompting: the engineered (detailed) prompt on the base model; template work up front, a long prompt per query.
- fewshot: the short request plus the athlete's own past weeks as examples (`peri.tune.retrieval`) on the base
  model; no training, but the example tokens are paid on EVERY query.
- finetuned: the tuned model with the short prompt; collecting examples and training paid ONCE (plus retraining).
- hybrid: the tuned model plus scenario prompts (tuned + prompt): both set-ups, a short prompt per query.
- finetuned-fewshot: the tuned model plus the retrieved examples: the training and the example tokens.

Few-shot against fine-tuning is the same examples two ways: in the prompt (paid per query) or in the weights
(paid once), so `break_even_vs_fewshot` says after how many weeks the weights are the cheaper place for them.

Everything is in USD and weeks. A user's time is money too: set-up hours (writing templates, collecting and
annotating examples) and minutes spent per query on long prompts are priced at `hour_value`.
"""
from __future__ import annotations

import datetime as dt
import math

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ConfigError
from ..prices import PriceTable

WEEKS_PER_MONTH = 52 / 12


class ApproachUsage(BaseModel):
    """Tokens one query costs on an approach: measured by `peri eval` when available, else estimated."""

    model_config = ConfigDict(allow_inf_nan=False)

    prompt_tokens: float = Field(ge=0)
    output_tokens: float = Field(ge=0)
    latency_s: float | None = Field(None, ge=0, description="seconds per query on a local model (for electricity)")
    source: str = "estimate"  # "measured (peri eval ...)" or "estimate (...)"


class CostInputs(BaseModel):
    """Everything the cost model needs. Ranges are enforced here (NaN and infinity refused) and named per
    flag by `peri.decide.run.validate_values` before a person ever sees a validation error."""

    model_config = ConfigDict(allow_inf_nan=False)

    queries_per_week: float = Field(1.0, ge=0, le=1000, description="plans or questions asked per week")
    model: str = Field("gpt-4o-mini", description="priced model name (price table), or 'local' for your own machine")
    tune_model: str | None = Field(None, description="the hosted model fine-tuned and served (its training and "
                                   "fine-tuned rows price the tuned paths); None: `model`")
    prior_usage: bool = Field(False, description="your organisation meets the provider's prior-usage rule "
                              "(OpenAI: fine-tuned inference in the past 60 days)")
    prompting: ApproachUsage = ApproachUsage(prompt_tokens=1200, output_tokens=400)
    finetuned: ApproachUsage = ApproachUsage(prompt_tokens=80, output_tokens=400)
    hybrid: ApproachUsage = ApproachUsage(prompt_tokens=160, output_tokens=400)
    # the short request (~80) plus ~4 retrieved past weeks of ~250 tokens each (peri.tune.retrieval)
    fewshot: ApproachUsage = ApproachUsage(prompt_tokens=1080, output_tokens=400)
    finetuned_fewshot: ApproachUsage = ApproachUsage(prompt_tokens=1080, output_tokens=400)
    dataset_examples: int = Field(200, ge=1, description="training examples (the training split)")
    tokens_per_example: float = Field(450, ge=0)
    training_source: str = "estimate (200 examples x 450 tokens)"
    epochs: int | None = Field(None, ge=1, le=25, description="None: OpenAI's default rule (3, clamped)")
    retrain_every_weeks: float | None = Field(12, gt=0, description="retrain with new weeks this often; None: never")
    prompt_setup_hours: float = Field(6.0, ge=0, description="writing and testing templates (typically 4-8 h)")
    finetune_setup_hours: float = Field(30.0, ge=0, description="collecting and annotating examples (20-40 h)")
    # peri retrieves the examples from the log; the person's part is noting which weeks worked or aggravated
    fewshot_setup_hours: float = Field(2.0, ge=0, description="noting which past weeks worked (few-shot)")
    retrain_hours: float = Field(1.0, ge=0, description="your time per retraining (review new weeks)")
    hour_value: float = Field(0.0, ge=0, description="USD per hour of your time; 0 counts money only")
    minutes_saved_per_query: float = Field(0.0, ge=0, description="minutes a short prompt saves you per query")
    horizon_weeks: int = Field(52, ge=1, le=520)
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
    break_even_week: dict[str, float | None]  # every other path vs prompting; None = never within reach
    # the tuned paths vs few-shot: when the examples are cheaper in the weights than in every prompt
    break_even_vs_fewshot: dict[str, float | None] = Field(default_factory=dict)
    price_date: str  # the dates of the rows this report used (base, training, fine-tuned)
    price_sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    time_only: "TimeBreakEven | None" = None  # set when money alone never pays fine-tuning back


class TimeBreakEven(BaseModel):
    """When money alone never pays fine-tuning back: what an hour of your time would have to be worth."""

    minutes_saved_per_query: float
    hour_value: float | None  # USD/hour from which fine-tuning breaks even within the horizon; None: never
    text: str


CostReport.model_rebuild()

LOCAL = "local"
PATHS = ("prompting", "fewshot", "finetuned", "hybrid", "finetuned-fewshot")  # report and chart order
TUNED = ("finetuned", "hybrid", "finetuned-fewshot")
USAGE_FIELDS = {"prompting": "prompting", "fewshot": "fewshot", "finetuned": "finetuned", "hybrid": "hybrid",
                "finetuned-fewshot": "finetuned_fewshot"}  # path -> its CostInputs field


def usage_of(inp: "CostInputs", path: str) -> ApproachUsage:
    """The tokens per query a path uses."""
    return getattr(inp, USAGE_FIELDS[path])


def _check_priced(prices: PriceTable, model: str, today: dt.date) -> None:
    if model != LOCAL:
        prices.check_usable(model, today)


def _query_usd(prices: PriceTable, inp: "CostInputs", usage: ApproachUsage, finetuned: bool) -> float:
    if inp.model == LOCAL:  # electricity for the seconds the local model runs
        return prices.local.cost_of_seconds(usage.latency_s if usage.latency_s is not None else inp.local_seconds_per_query)
    p = prices.get((inp.tune_model or inp.model) if finetuned else inp.model)
    assert p is not None
    row = p.inference(finetuned)
    return (usage.prompt_tokens * row.input + usage.output_tokens * row.output) / 1_000_000


def training_usd(prices: PriceTable, inp: CostInputs) -> tuple[float, float]:
    """(USD, trained tokens) for one training run of the dataset: hosted price, or local electricity."""
    epochs = prices.effective_epochs(inp.dataset_examples, inp.epochs, None if inp.model == LOCAL else (inp.tune_model or inp.model))
    tokens = inp.dataset_examples * inp.tokens_per_example * epochs
    if inp.model == LOCAL:
        return prices.local.cost_of_seconds(tokens / inp.local_train_tokens_per_s), tokens
    tune = inp.tune_model or inp.model
    p = prices.get(tune)
    if p is None or p.training is None:
        raise ConfigError(f"no training price for {tune!r}", hint="add it to PERI_HOME/prices.yaml")
    return tokens * p.training.per_million / 1_000_000, tokens


def cost_report(inp: CostInputs, prices: PriceTable, *, today: dt.date | None = None) -> CostReport:
    """Monthly and cumulative costs for each approach, the break-even week against prompting, the notes a
    person needs to trust them (retirements, price age), and — when money alone never pays fine-tuning back —
    the hour value at which time saved would."""
    today = today or dt.date.today()
    _check_priced(prices, inp.model, today)
    if inp.tune_model and inp.model != LOCAL:
        _check_priced(prices, inp.tune_model, today)
    report = _costs(inp, prices, today)
    be = report.break_even_week.get("finetuned")
    if be is None or be > inp.horizon_weeks:
        report.time_only = time_break_even(inp, prices, today)
    return report


def _costs(inp: CostInputs, prices: PriceTable, today: dt.date) -> CostReport:
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
        # few-shot: no training and no template work; the request the person types is short (peri retrieves
        # the examples), so no minutes are charged — its price is the example tokens on every query
        "fewshot": (inp.fewshot, False, inp.fewshot_setup_hours * inp.hour_value, 0.0, 0.0),
        "finetuned-fewshot": (
            inp.finetuned_fewshot, True, (inp.finetune_setup_hours + inp.fewshot_setup_hours) * inp.hour_value + train_usd,
            0.0, retrain_usd,
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
    out = {name: out[name] for name in PATHS}
    base = out["prompting"]
    breaks = {name: break_even_week(base, out[name]) for name in out if name != "prompting"}
    vs_fewshot = {name: break_even_week(out["fewshot"], out[name]) for name in TUNED}
    notes: list[str] = []
    dates, sources = [], []
    if inp.model == LOCAL:
        dates, sources = [prices.local.date], [prices.local.source]
    else:
        p = prices.get(inp.model)
        tp = prices.get(inp.tune_model) if inp.tune_model else None
        assert p is not None
        rows = [r for r in (p.base, p.training, p.finetuned) if r is not None]
        if tp is not None and tp is not p:  # the tuned paths are priced by the tuned model's rows
            rows = [p.base] + [r for r in (tp.training, tp.finetuned) if r is not None]
        dates = sorted({r.date for r in rows})
        sources = list(dict.fromkeys(r.source for r in rows))
        oldest = dt.date.fromisoformat(dates[0])
        if (today - oldest).days > 180:
            notes.append(f"{inp.model}'s prices are from {dates[0]}, {(today - oldest).days} days ago: check them")
        end = today + dt.timedelta(weeks=inp.horizon_weeks)
        if p.retires and dt.date.fromisoformat(p.retires) <= end:
            weeks = (dt.date.fromisoformat(p.retires) - today).days / 7
            notes.append(f"{inp.model} and its fine-tunes retire on {p.retires} (in {weeks:.0f} weeks, inside your "
                         f"{inp.horizon_weeks}-week horizon; {p.retires_source or 'provider notice'}): the costs after "
                         "that date assume a successor at the same price")
        # what the tuned path can still do on `today`, and what of it ends inside the horizon (dated data)
        tune = inp.tune_model or inp.model
        av = prices.tuning(tune, today, prior_usage=inp.prior_usage)
        if not av.available:
            notes.append(f"fine-tuning {tune}: {av.reason}")
        notes += [n for n in av.ends_within(today, inp.horizon_weeks) if tune != inp.model or "stop serving" not in n]
    return CostReport(inputs=inp, approaches=out, break_even_week=breaks, break_even_vs_fewshot=vs_fewshot,
                      price_date=" / ".join(dates), price_sources=sources, notes=notes)


def _at_horizon(inp: CostInputs, prices: PriceTable, today: dt.date, hour_value: float) -> tuple[float, float]:
    r = _costs(inp.model_copy(update={"hour_value": hour_value}), prices, today)
    return r.approaches["prompting"].cumulative_usd[-1], r.approaches["finetuned"].cumulative_usd[-1]


def time_break_even(inp: CostInputs, prices: PriceTable, today: dt.date | None = None) -> TimeBreakEven:
    """The hour value at which fine-tuning's total over the horizon falls to prompting's.

    Both totals are linear in the hour value (set-up hours, retraining hours and minutes saved per query are
    all priced at it), so two evaluations give the line and its crossing. With no minutes saved per query,
    time only adds to fine-tuning's (longer) set-up, so it never pays back through time either; the text then
    says what one saved minute per query would need."""
    today = today or dt.date.today()
    minutes = inp.minutes_saved_per_query
    probe = inp if minutes > 0 else inp.model_copy(update={"minutes_saved_per_query": 1.0})
    p0, f0 = _at_horizon(probe, prices, today, 0.0)
    p1, f1 = _at_horizon(probe, prices, today, 1.0)
    slope = (p1 - p0) - (f1 - f0)  # how much more prompting's total grows per USD/hour
    h = (f0 - p0) / slope if slope > 0 else None
    h = max(h, 0.0) if h is not None else None
    horizon = f"within {inp.horizon_weeks} weeks"
    if minutes > 0:
        text = (f"fine-tuning pays back only through time saved: at {minutes:g} minutes saved per query it breaks even "
                f"{horizon} if an hour of your time is worth ${h:,.0f} or more" if h is not None else
                f"fine-tuning does not pay back {horizon} at any hour value: {minutes:g} minutes saved per query do not "
                "cover its longer set-up")
    else:
        text = ("on money alone fine-tuning never pays back; it pays back only through time saved per query, and you "
                "gave none (--minutes-saved)")
        text += (f": at 1 minute saved per query it would break even {horizon} if an hour of your time is worth "
                 f"${h:,.0f} or more" if h is not None else f"; even 1 minute saved per query would not pay back {horizon}")
    return TimeBreakEven(minutes_saved_per_query=minutes, hour_value=h, text=text)


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


def usd(x: float) -> str:
    """'$1,200.17', '$0.81', and for amounts under a cent two significant figures ('$0.00014'), so a tiny
    cost never reads as zero."""
    if x != 0 and abs(x) < 0.01:
        return f"${x:.2g}" if abs(x) >= 1e-4 else f"${x:.1e}"
    return f"${x:,.2f}"


def weeks_label(weeks: float | None, horizon: int | None = None) -> str:
    """'never', 'immediately', 'week N', 'N years'; past `horizon`, said so."""
    if weeks is None:
        return "never"
    if weeks == 0:
        return "immediately"
    label = f"{weeks / 52:.0f} years" if weeks > 520 else f"week {math.ceil(weeks)}"
    if horizon is not None and weeks > horizon:
        label += f" (beyond your {horizon}-week horizon)"
    return label
