"""One decision: inputs (flags, YAML, interview answers, the athlete's numbers) → cost report + recommendation.

Shared by `peri decide` and Peri, so both give the same answer for the same inputs.
"""
from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..errors import ConfigError
from ..log.store import Store
from .cost import CostInputs, cost_report
from .gather import estimated_usage, example_tokens, load_eval_summary, measured_usage, situation_from_store
from .prices import load_prices
from .recommend import Situation, recommend


def run_decision(values: dict[str, Any], athlete: str | None, store: Store | None = None) -> dict[str, Any]:
    """Library entry the CLI and Peri share: cost report + recommendation for these inputs."""
    cost_fields = set(CostInputs.model_fields)
    sit_fields = set(Situation.model_fields)
    unknown = set(values) - cost_fields - sit_fields
    if unknown:
        raise ConfigError(f"unknown input(s): {', '.join(sorted(unknown))}", hint=f"known: {', '.join(sorted(cost_fields | sit_fields))}")
    situation = Situation()
    usage = {}
    if athlete:
        if store is None:
            raise ConfigError("an athlete needs a store")
        situation = situation_from_store(store, athlete)
        summary = load_eval_summary(athlete)
        usage = measured_usage(summary) if summary else {}
        if len(usage) < 3:
            est = estimated_usage(store, athlete, values.get("model", CostInputs.model_fields["model"].default))
            usage = {**est, **usage}
        values = dict(values)  # never change the caller's dict
        if situation.dataset_examples and "dataset_examples" not in values:
            values["dataset_examples"] = situation.dataset_examples
        tokens = example_tokens(athlete)
        if tokens and "tokens_per_example" not in values:
            values["tokens_per_example"] = tokens
    try:
        inputs = CostInputs(**{**usage, **{k: v for k, v in values.items() if k in cost_fields}})  # the user's own numbers win
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"{field}: {first['msg']} (got {first.get('input')!r})", place=field,
                          hint="see `peri decide --help` for each input") from None
    situation = situation.model_copy(update={k: v for k, v in values.items() if k in sit_fields})
    situation.queries_per_week = inputs.queries_per_week
    costs = cost_report(inputs, load_prices())
    rec = recommend(situation, costs)
    return {
        "inputs": inputs.model_dump(), "situation": situation.model_dump(),
        "costs": {k: v.model_dump(exclude={"cumulative_usd"}) for k, v in costs.approaches.items()},
        "break_even_week": costs.break_even_week, "price_date": costs.price_date, "notes": costs.notes,
        "recommendation": rec.model_dump(), "costs_model": costs, "recommendation_model": rec,
    }
