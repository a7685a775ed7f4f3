"""One decision: inputs (flags, YAML, interview answers, the athlete's numbers) → cost report + recommendation.

Shared by `peri decide` and Peri, so both give the same answer for the same inputs.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ConfigError, InvalidInput
from ..log.store import Store
from ..prices import load_prices
from .cost import LOCAL, PATHS, CostInputs, cost_report
from .gather import estimated_usage, load_eval_summary, measured_usage, situation_from_store
from .recommend import Situation, recommend

# field -> (flag a person typed, lowest allowed, whether the lowest is allowed, highest, what the range means)
RANGES: dict[str, tuple[str, float, bool, float, str]] = {
    "queries_per_week": ("--queries-per-week", 0, True, 1000, "a number of queries a week from 0 to 1000 (0.077 = quarterly)"),
    "hour_value": ("--hour-value", 0, True, 100_000, "USD per hour from 0 to 100000"),
    "minutes_saved_per_query": ("--minutes-saved", 0, True, 600, "minutes from 0 to 600"),
    "retrain_every_weeks": ("--retrain-every", 0, True, 520, "weeks from 1 to 520, or 0 for never"),
    "dataset_examples": ("--examples", 1, True, 1_000_000, "a whole number of examples from 1 up"),
    "epochs": ("--epochs", 1, True, 25, "a whole number from 1 to 25"),
    "horizon_weeks": ("--horizon", 1, True, 520, "a whole number of weeks from 1 to 520"),
    "prompt_setup_hours": ("prompt_setup_hours", 0, True, 10_000, "hours from 0 up"),
    "finetune_setup_hours": ("finetune_setup_hours", 0, True, 10_000, "hours from 0 up"),
    "fewshot_setup_hours": ("fewshot_setup_hours", 0, True, 10_000, "hours from 0 up"),
    "retrain_hours": ("retrain_hours", 0, True, 10_000, "hours from 0 up"),
    "tokens_per_example": ("tokens_per_example", 0, True, 1_000_000, "tokens from 0 up"),
}
INTEGER_FIELDS = {"dataset_examples", "epochs", "horizon_weeks"}


def validate_values(values: dict[str, Any]) -> dict[str, Any]:
    """Check every number a person gave against its allowed range; an InvalidInput naming the flag and the
    range for the first that is not (NaN, infinity, negatives, zero where zero means nothing)."""
    out = dict(values)
    for key, (flag, lo, lo_ok, hi, allowed) in RANGES.items():
        v = out.get(key)
        if v is None:
            continue
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise InvalidInput(f"{v!r} is not a number", place=flag, hint=f"allowed: {allowed}") from None
        if isinstance(v, bool) or math.isnan(x) or math.isinf(x) or x < lo or (x == lo and not lo_ok) or x > hi \
                or (key in INTEGER_FIELDS and x != int(x)):
            raise InvalidInput(f"{x:g} is out of range", place=flag, hint=f"allowed: {allowed}")
        out[key] = int(x) if key in INTEGER_FIELDS else x
    if out.get("retrain_every_weeks") == 0:
        out["retrain_every_weeks"] = None  # 0 = never retrain
    return out


# Building a dataset in memory checks one plan per logged week (seconds for a long log); the web app's Decide
# page and a Peri conversation ask again for every change of an unrelated input. Keyed on the athlete's whole
# context (log, notes, profile as loaded), so an import or a new note is never answered from a stale build.
_BUILD_MEMO: dict[tuple[str, str], list[list[dict[str, str]]]] = {}
_BUILD_MEMO_SIZE = 8


def _training_messages_in_memory(store: Store, athlete: str, cost_model: str) -> list[list[dict[str, str]]]:
    import hashlib

    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..prompts.builder import templates_fingerprint
    from ..tune.dataset import build_dataset

    ctx = load_context(store, athlete)
    # the examples' prompts come from the templates (a person's overrides included): an edit is a new key
    key = (hashlib.sha256(ctx.model_dump_json().encode()).hexdigest() + templates_fingerprint(), cost_model)
    if key not in _BUILD_MEMO:
        build = build_dataset(ctx, default_catalog(), cost_model=cost_model)
        if len(_BUILD_MEMO) >= _BUILD_MEMO_SIZE:
            _BUILD_MEMO.pop(next(iter(_BUILD_MEMO)))
        _BUILD_MEMO[key] = [e.messages for e in build.train]
    return [list(m) for m in _BUILD_MEMO[key]]


class NoExamples(ConfigError):
    """The athlete's log gives no fine-tuning example yet (too few weeks): `run_decision` still decides, with the
    tuned paths costed on the default dataset and a note saying so."""


def training_from_dataset(store: Store, athlete: str, model: str, epochs: int | None = None,
                          home: Path | None = None) -> tuple[int, float, str]:
    """(training examples, tokens per example, source) for this athlete's training split, priced by the same
    function `peri dataset build` uses (`peri.tune.dataset.training_estimate`): the built dataset's train.jsonl
    when there is one, else the dataset built in memory exactly as `peri dataset build` would."""
    from ..tune.dataset import dataset_dir, read_examples, training_estimate

    train_file = dataset_dir(athlete, home) / "train.jsonl"
    if train_file.exists():
        messages = read_examples(train_file)  # a damaged line: one DatasetError naming FILE:LINE
        where = f"your dataset's training split ({train_file})"
    else:
        messages = _training_messages_in_memory(store, athlete, model if model != LOCAL else "gpt-4o-mini")
        where = "your log's training split (as `peri dataset build` would build it)"
    if not messages:
        raise NoExamples(f"{athlete} has no training examples yet", hint="log more weeks, then `peri dataset build`")
    est = training_estimate(messages, model if model != LOCAL else "gpt-4o-mini", epochs)
    return est.examples, est.billable_tokens / est.examples, f"{est.examples} examples, {est.billable_tokens:,} {est.tokenizer} tokens ({where})"


def run_decision(values: dict[str, Any], athlete: str | None, store: Store | None = None, *,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Library entry the CLI and Peri share: cost report + recommendation for these inputs."""
    cost_fields = set(CostInputs.model_fields)
    sit_fields = set(Situation.model_fields)
    unknown = set(values) - cost_fields - sit_fields
    if unknown:
        raise ConfigError(f"unknown input(s): {', '.join(sorted(unknown))}", hint=f"known: {', '.join(sorted(cost_fields | sit_fields))}")
    values = validate_values(values)  # never changes the caller's dict
    prices = load_prices()
    model = values.get("model", CostInputs.model_fields["model"].default)
    switched: dict[str, Any] = {}
    if model != LOCAL:
        prices.check_usable(model, today)  # a retired or unknown model is refused before any work
        switched = choose_tuning(prices, model, values, today)
        values.update(switched)
    situation = Situation()
    usage = {}
    assumed = None  # the note for a log that gives no examples
    if athlete:
        if store is None:
            raise ConfigError("an athlete needs a store")
        situation = situation_from_store(store, athlete)
        summary = load_eval_summary(athlete)
        usage = measured_usage(summary) if summary else {}
        if len(usage) < len(PATHS):  # what `peri eval` did not measure is counted from the athlete's own prompts
            est = estimated_usage(store, athlete, model)
            usage = {**est, **usage}
        if "dataset_examples" not in values and "tokens_per_example" not in values:
            try:
                n, per, src = training_from_dataset(store, athlete, model, values.get("epochs"))
            except NoExamples:
                # a log too short to tune on still gets a decision: the tuned paths priced on the default
                # dataset, said as an assumption, and the recommender told there are no examples
                fields = CostInputs.model_fields
                assumed = (f"{athlete}'s log gives no fine-tuning examples yet ({situation.logged_weeks or 0} weeks "
                           f"logged; each example is a logged week): the tuned paths are costed on an assumed "
                           f"{fields['dataset_examples'].default} examples of {fields['tokens_per_example'].default:g} "
                           "tokens, a dataset you do not have yet; log more weeks before fine-tuning")
                situation.dataset_examples = 0
            else:
                values.update(dataset_examples=n, tokens_per_example=per, training_source=src)
                situation.dataset_examples = situation.dataset_examples or n
    try:
        inputs = CostInputs(**{**usage, **{k: v for k, v in values.items() if k in cost_fields}})  # the user's own numbers win
    except ValidationError as e:
        err = e.errors()[0]
        field = str(err["loc"][0]) if err.get("loc") else "input"
        flag = RANGES.get(field, (field,))[0]
        raise InvalidInput(str(err["msg"]), place=flag) from None
    situation = situation.model_copy(update={k: v for k, v in values.items() if k in sit_fields})
    situation.queries_per_week = inputs.queries_per_week
    costs = cost_report(inputs, prices, today=today)
    if assumed:
        costs.notes.insert(0, assumed)
    if switched:
        why = prices.tuning(model, today, prior_usage=inputs.prior_usage).reason
        costs.notes.insert(0, f"fine-tuning {model} is not open on {today or dt.date.today()}: {why}; the tuned "
                              f"paths are costed on {switched['tune_model']} instead")
    elif values.get("tune_model") and model != LOCAL:  # named by the person: costed as asked, said when closed
        av = prices.tuning(inputs.tune_model, today, prior_usage=inputs.prior_usage)
        if not av.available:
            costs.notes.insert(0, f"fine-tuning {inputs.tune_model} is not open on {today or dt.date.today()}: "
                                  f"{av.reason}; its tuned paths are costed as asked, but no hosted job can start on it")
    graduation = None
    if athlete and store is not None:
        from .graduation import graduation_estimate

        graduation = graduation_estimate(store, athlete, horizon_weeks=inputs.horizon_weeks)
        situation.graduation = graduation.text
        situation.graduation_status = graduation.status
    rec = recommend(situation, costs, tuning=tuning_path(prices, inputs, today))
    return {
        "inputs": inputs.model_dump(), "situation": situation.model_dump(),
        "costs": {k: v.model_dump(exclude={"cumulative_usd"}) for k, v in costs.approaches.items()},
        "break_even_week": costs.break_even_week, "price_date": costs.price_date, "price_sources": costs.price_sources,
        "notes": costs.notes, "time_only": costs.time_only.model_dump() if costs.time_only else None,
        "break_even_vs_fewshot": costs.break_even_vs_fewshot,
        "graduation": graduation.model_dump() if graduation else None,
        "recommendation": rec.model_dump(), "costs_model": costs, "recommendation_model": rec,
    }


def choose_tuning(prices: Any, model: str, values: dict[str, Any], today: dt.date | None) -> dict[str, Any]:
    """The hosted model the tuned paths are costed on: the one asked for (`tune_model`, else `model`) when a
    job can start on `today`; otherwise the cheapest-to-train model another provider tunes and serves per
    token that day. Nothing changes when no hosted tuning is open (the recommendation then says local)."""
    wanted = values.get("tune_model") or model
    av = prices.tuning(wanted, today, prior_usage=bool(values.get("prior_usage")))
    if av.available or values.get("tune_model"):
        return {}
    options = prices.tuning_options(today, prior_usage=bool(values.get("prior_usage")), serverless_only=True)
    return {"tune_model": options[0].model} if options else {}


def tuning_path(prices: Any, inputs: CostInputs, today: dt.date | None) -> Any:
    """Where the tuned paths would run on `today` (provider, model, what ends in the horizon), or None for local."""
    if inputs.model == LOCAL:
        return None
    av = prices.tuning(inputs.tune_model or inputs.model, today, prior_usage=inputs.prior_usage)
    return av if av.available and av.serving == "serverless" else None
