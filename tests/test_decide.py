"""The cost model against hand calculations with the seed's figures, and the recommendation's direction."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from peri.decide.cost import CostInputs, cost_report
from peri.decide.prices import load_prices
from peri.decide.recommend import Situation, recommend
from peri.errors import ConfigError

QUARTERLY, WEEKLY, DAILY = 4 / 52, 1.0, 7.0


def seed_inputs(q: float, **kw) -> CostInputs:
    # The seed's figures: ~$3 per 1M tokens for everything (price-table entry "seed-example").
    base = dict(
        queries_per_week=q, model="seed-example", dataset_examples=200, tokens_per_example=450,
        retrain_every_weeks=None, hour_value=0.0,
        prompting={"prompt_tokens": 1200, "output_tokens": 400},
        finetuned={"prompt_tokens": 80, "output_tokens": 400},
        hybrid={"prompt_tokens": 160, "output_tokens": 400},
    )
    base.update(kw)
    return CostInputs(**base)


@pytest.mark.parametrize("q", [QUARTERLY, WEEKLY, DAILY])
def test_monthly_costs_and_break_even_match_hand_calculation(home: Path, q: float) -> None:
    r = cost_report(seed_inputs(q), load_prices())
    # by hand: prompting query = (1200 + 400) x $3 / 1M = $0.0048; tuned query = (80 + 400) x $3 / 1M = $0.00144
    assert r.approaches["prompting"].per_query_usd == pytest.approx(0.0048)
    assert r.approaches["finetuned"].per_query_usd == pytest.approx(0.00144)
    # a month is 52/12 weeks
    assert r.approaches["prompting"].monthly_usd == pytest.approx(q * 0.0048 * 52 / 12)
    assert r.approaches["finetuned"].monthly_usd == pytest.approx(q * 0.00144 * 52 / 12)
    # training: 200 examples x 450 tokens x 3 epochs (600 example-epochs, inside OpenAI's [100, 25000]) x $3/1M
    assert r.approaches["finetuned"].setup_usd == pytest.approx(200 * 450 * 3 * 3 / 1e6)  # $0.81
    # break-even: $0.81 extra set-up / (q x $0.00336 saved per query)
    assert r.break_even_week["finetuned"] == pytest.approx(0.81 / (q * 0.00336))


def test_break_even_weeks_order_daily_weekly_quarterly(home: Path) -> None:
    weeks = {q: cost_report(seed_inputs(q), load_prices()).break_even_week["finetuned"] for q in (QUARTERLY, WEEKLY, DAILY)}
    assert weeks[DAILY] == pytest.approx(34.44, abs=0.01)
    assert weeks[WEEKLY] == pytest.approx(241.07, abs=0.01)
    assert weeks[QUARTERLY] == pytest.approx(3133.93, abs=0.01)


def test_retraining_that_costs_more_than_it_saves_never_breaks_even(home: Path) -> None:
    r = cost_report(seed_inputs(WEEKLY, retrain_every_weeks=12), load_prices())
    # weekly tuned = $0.00144 + $0.81/12 retraining > weekly prompting $0.0048
    assert r.approaches["finetuned"].weekly_usd == pytest.approx(0.00144 + 0.81 / 12)
    assert r.break_even_week["finetuned"] is None
    # the cumulative curve steps by one retraining every 12 weeks
    cum = r.approaches["finetuned"].cumulative_usd
    assert cum[12] - cum[11] == pytest.approx(0.00144 + 0.81)


def test_time_value_counts(home: Path) -> None:
    r = cost_report(seed_inputs(DAILY, hour_value=30, minutes_saved_per_query=3), load_prices())
    # prompting pays 3 minutes x $0.50/min per query on top of tokens
    assert r.approaches["prompting"].weekly_usd == pytest.approx(7 * (0.0048 + 1.5))
    assert r.approaches["prompting"].setup_usd == pytest.approx(6 * 30)
    assert r.approaches["finetuned"].setup_usd == pytest.approx(30 * 30 + 0.81)


def test_openai_epoch_rule_clamps_small_datasets(home: Path) -> None:
    prices = load_prices()
    assert prices.effective_epochs(20) == 5  # 20 x 3 < 100 -> ceil(100/20)
    assert prices.effective_epochs(200) == 3
    assert prices.effective_epochs(10000) == 2  # 10000 x 3 > 25000 -> 25000 // 10000


def test_user_price_override_wins_and_bad_file_names_itself(home: Path) -> None:
    (home / "prices.yaml").write_text("models:\n  gpt-4o-mini: {input: 1, output: 2, training: 4, date: '2026-11-01', source: me}\n")
    p = load_prices()
    assert p.cost("gpt-4o-mini", 1_000_000, 0) == pytest.approx(1.0)
    assert p.get("gpt-4.1-mini") is not None  # shipped entries stay
    (home / "prices.yaml").write_text("models: [oops")
    with pytest.raises(ConfigError) as e:
        load_prices()
    assert "prices.yaml" in str(e.value)


def _cites_number(text: str) -> bool:
    return bool(re.search(r"\d", text))


def test_quarterly_standard_user_gets_prompting(home: Path) -> None:
    costs = cost_report(seed_inputs(QUARTERLY), load_prices())
    rec = recommend(Situation(queries_per_week=QUARTERLY, goal="hypertrophy", logged_weeks=150), costs)
    assert rec.path == "prompting"
    assert any(r.criterion == "cost" and _cites_number(r.text) for r in rec.reasons)
    assert any("a month" in r.text for r in rec.reasons)


def test_daily_user_with_nonstandard_constraints_gets_tuning_or_hybrid(home: Path) -> None:
    costs = cost_report(seed_inputs(DAILY, hour_value=30, minutes_saved_per_query=3), load_prices())
    s = Situation(
        queries_per_week=DAILY, goal="powerlifting", constraints=["lower back sensitivity", "elbow tendinopathy"],
        aggravation_notes=9, complex_methodology=True, needs_instant=True, logged_weeks=150, dataset_examples=180,
    )
    rec = recommend(s, costs)
    assert rec.path in {"finetuning", "hybrid"}
    cited = [r for r in rec.reasons if r.favours == "finetuning"]
    assert cited and all(_cites_number(r.text) or r.criterion in {"complex methodology", "instant responses"} for r in cited)
    assert any("9 notes" in r.text for r in rec.reasons)


def test_too_few_examples_means_graduate_first(home: Path) -> None:
    s = Situation(queries_per_week=DAILY, goal="powerlifting", constraints=["shoulder"], complex_methodology=True, dataset_examples=40)
    rec = recommend(s, cost_report(seed_inputs(DAILY), load_prices()))
    assert rec.path == "graduate" and rec.journey == "graduation"
    assert any("40 examples" in r.text for r in rec.reasons)


def test_local_model_costs_electricity_for_its_seconds(home: Path) -> None:
    prices = load_prices()
    inp = seed_inputs(DAILY, model="local", local_train_tokens_per_s=500.0,
                      prompting={"prompt_tokens": 1200, "output_tokens": 400, "latency_s": 20.0},
                      finetuned={"prompt_tokens": 80, "output_tokens": 400, "latency_s": 8.0})
    r = cost_report(inp, prices)
    kwh = prices.local.watts / 1000 * prices.local.usd_per_kwh  # USD per hour of running
    assert r.approaches["prompting"].per_query_usd == pytest.approx(kwh * 20 / 3600)
    assert r.approaches["finetuned"].per_query_usd == pytest.approx(kwh * 8 / 3600)
    # training: 200 x 450 x 3 tokens at 500 tokens/s
    assert r.approaches["finetuned"].setup_usd == pytest.approx(kwh * (200 * 450 * 3 / 500) / 3600)


def test_unpriced_hosted_model_is_an_error_not_zero_cost(home: Path) -> None:
    with pytest.raises(ConfigError) as e:
        cost_report(seed_inputs(WEEKLY, model="gpt-99-ultra"), load_prices())
    assert "gpt-99-ultra" in str(e.value)


def test_user_values_override_measured_usage(home: Path) -> None:
    from peri.decide.run import run_decision

    values = {"queries_per_week": 1.0, "model": "seed-example", "prompting": {"prompt_tokens": 999, "output_tokens": 1}}
    out = run_decision(values, None)
    assert out["inputs"]["prompting"]["prompt_tokens"] == 999
    assert values == {"queries_per_week": 1.0, "model": "seed-example", "prompting": {"prompt_tokens": 999, "output_tokens": 1}}


def test_measured_quality_reason_names_the_approaches_compared(home: Path) -> None:
    s = Situation(queries_per_week=WEEKLY, logged_weeks=150,
                  quality={"rules": 92.3, "prompt-d3": 50.9, "finetuned-short": 65.6, "hybrid": 66.2})
    rec = recommend(s)
    reason = next(r for r in rec.reasons if r.criterion == "measured quality")
    assert reason.favours == "prompting"
    assert "best tuned (hybrid) 66.2 vs best without tuning (rules) 92.3" in reason.text
