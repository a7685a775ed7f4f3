"""The cost model on a small price table whose rows all differ, every figure worked out by hand (issue 20).

tests/test_decide.py checks the seed's figures, where one price ($3 per 1M) stands for every row: a path
priced on the wrong row (base for fine-tuned, the base model for the tuned one), a wrong epoch count or a
hybrid set-up that subtracts the templates all give the same numbers there. Here each row has its own price,
so each of those slips moves a figure, and mutmut's survivors in `peri.decide.cost` are killed by name.
"""
from __future__ import annotations

import datetime as dt

import pytest

from peri.decide.cost import (ApproachCost, CostInputs, break_even_week, cost_report, time_break_even, training_usd,
                              usd, weeks_label)
from peri.errors import ConfigError
from peri.prices import LocalCost, ModelPrice, PriceTable, ProviderLifecycle

TODAY = dt.date(2026, 12, 1)


def _row(i: float, o: float, date: str = "2026-11-01", source: str = "test") -> dict:
    return {"input": i, "output": o, "date": date, "source": source}


def _training(per_million: float, date: str = "2026-11-01", source: str = "test") -> dict:
    return {"per_million": per_million, "date": date, "source": source}


def table() -> PriceTable:
    """`m`: base $1 in / $2 out, training $10, fine-tuned $0.5 / $1 (per 1M), each row read on its own date.
    `t`, the tuned model of another provider (one default epoch): base $0.5 / $0.5, training $20, fine-tuned
    $3 / $6. `bare`: no training row. `free`: every price 0. `r`: retires 2027-01-26 (8 weeks after TODAY).
    `late`: its provider takes no new jobs from 2026-11-15. `old`: tuning only for earlier customers.
    `gone`: retired on 2026-11-15."""
    return PriceTable(
        models={
            "m": ModelPrice(provider="acme", base=_row(1, 2, "2026-05-01", "m base"),
                            finetuned=_row(0.5, 1, "2026-06-01", "m tuned"),
                            training=_training(10, "2026-05-15", "m training")),
            "t": ModelPrice(provider="tuneco", base=_row(0.5, 0.5, "2026-10-01", "t base"),
                            finetuned=_row(3, 6, "2026-11-01", "t tuned"),
                            training=_training(20, "2026-11-01", "t training")),
            "bare": ModelPrice(provider="acme", base=_row(1, 1)),
            "free": ModelPrice(provider="acme", base=_row(0, 0), finetuned=_row(0, 0), training=_training(0)),
            "r": ModelPrice(provider="acme", base=_row(1, 1), finetuned=_row(1, 1), training=_training(1),
                            retires="2027-01-26"),
            "late": ModelPrice(provider="closing", base=_row(1, 1), finetuned=_row(1, 1), training=_training(1)),
            "old": ModelPrice(provider="picky", base=_row(1, 1), finetuned=_row(1, 1), training=_training(1)),
            "gone": ModelPrice(provider="acme", base=_row(1, 1), finetuned=_row(1, 1), training=_training(1),
                               retires="2026-11-15"),
        },
        providers={"tuneco": ProviderLifecycle(default_epochs=1),
                   "closing": ProviderLifecycle(accepts_new_jobs_until="2026-11-15"),
                   "picky": ProviderLifecycle(
                       requires_prior_usage=[{"from": "2026-01-01", "rule": "earlier users only"}])},
        local=LocalCost(watts=100, usd_per_kwh=0.36, date="2026-11-01", source="test"),
    )


def inputs(**kw) -> CostInputs:
    base = dict(
        queries_per_week=2, model="m", dataset_examples=50, tokens_per_example=200,
        prompting={"prompt_tokens": 1000, "output_tokens": 500}, finetuned={"prompt_tokens": 100, "output_tokens": 500},
        hybrid={"prompt_tokens": 200, "output_tokens": 500}, fewshot={"prompt_tokens": 900, "output_tokens": 500},
        finetuned_fewshot={"prompt_tokens": 1100, "output_tokens": 500},
        hour_value=20, minutes_saved_per_query=3, prompt_setup_hours=5, finetune_setup_hours=25,
        fewshot_setup_hours=2, retrain_hours=1, retrain_every_weeks=4, horizon_weeks=8,
    )
    base.update(kw)
    return CostInputs(**base)


def test_every_path_priced_on_its_own_row_by_hand() -> None:
    r = cost_report(inputs(), table(), today=TODAY)
    a = r.approaches
    # per query: base row (1, 2) for the untuned paths, fine-tuned row (0.5, 1) for the tuned ones
    assert a["prompting"].per_query_usd == pytest.approx((1000 * 1 + 500 * 2) / 1e6)  # 0.002
    assert a["fewshot"].per_query_usd == pytest.approx((900 * 1 + 500 * 2) / 1e6)  # 0.0019
    assert a["finetuned"].per_query_usd == pytest.approx((100 * 0.5 + 500 * 1) / 1e6)  # 0.00055
    assert a["hybrid"].per_query_usd == pytest.approx((200 * 0.5 + 500 * 1) / 1e6)  # 0.0006
    assert a["finetuned-fewshot"].per_query_usd == pytest.approx((1100 * 0.5 + 500 * 1) / 1e6)  # 0.00105
    # training: 50 examples x 200 tokens x 3 epochs (150 example-epochs, inside [100, 25000]) x $10 / 1M = $0.30
    assert a["finetuned"].training_tokens == 30_000 and a["prompting"].training_tokens == 0
    # set-up: hours x $20, plus the training for the tuned paths
    assert a["prompting"].setup_usd == pytest.approx(100.0)
    assert a["fewshot"].setup_usd == pytest.approx(40.0)
    assert a["finetuned"].setup_usd == pytest.approx(500.3)
    assert a["hybrid"].setup_usd == pytest.approx(600.3)  # (25 + 5) h: the examples AND the templates
    assert a["finetuned-fewshot"].setup_usd == pytest.approx(540.3)
    # one retraining: $0.30 + 1 h x $20; nothing for the untuned paths
    assert a["finetuned"].retrain_usd == pytest.approx(20.3) and a["hybrid"].retrain_usd == pytest.approx(20.3)
    assert a["prompting"].retrain_usd == 0 and a["fewshot"].retrain_usd == 0
    # weekly: 2 queries x (tokens + 3 min x $20/60 on prompting only) + a retraining every 4 weeks
    assert a["prompting"].weekly_usd == pytest.approx(2 * (0.002 + 1.0))  # 2.004
    assert a["fewshot"].weekly_usd == pytest.approx(2 * 0.0019)
    assert a["finetuned"].weekly_usd == pytest.approx(2 * 0.00055 + 20.3 / 4)  # 5.0761
    assert a["hybrid"].weekly_usd == pytest.approx(2 * 0.0006 + 20.3 / 4)
    assert a["finetuned-fewshot"].weekly_usd == pytest.approx(2 * 0.00105 + 20.3 / 4)
    assert a["prompting"].monthly_usd == pytest.approx(2.004 * 52 / 12)
    assert a["finetuned"].monthly_usd == pytest.approx((2 * 0.00055 + 20.3 / 4) * 52 / 12)
    # the cumulative curve: set-up at week 0, a retraining in week 4 but not in the horizon's last week (8)
    cum = a["finetuned"].cumulative_usd
    assert len(cum) == 9 and cum[0] == pytest.approx(500.3)
    assert cum[4] - cum[3] == pytest.approx(0.0011 + 20.3)
    assert cum[8] - cum[7] == pytest.approx(0.0011)
    assert cum[8] == pytest.approx(500.3 + 8 * 0.0011 + 20.3)
    assert a["prompting"].cumulative_usd[8] == pytest.approx(100 + 8 * 2.004)
    # few-shot: cheaper set-up and cheaper weeks than prompting, so it pays off at once; the tuned paths never
    assert r.break_even_week["fewshot"] == 0.0
    assert r.break_even_week["finetuned"] is None and r.break_even_vs_fewshot["hybrid"] is None
    assert set(r.break_even_week) == {"fewshot", "finetuned", "hybrid", "finetuned-fewshot"}
    assert set(r.break_even_vs_fewshot) == {"finetuned", "hybrid", "finetuned-fewshot"}
    # the three rows of m, oldest first, and the one note they need: 214 days since 2026-05-01
    assert r.price_date == "2026-05-01 / 2026-05-15 / 2026-06-01"
    assert r.price_sources == ["m base", "m training", "m tuned"]
    assert r.notes == ["m's prices are from 2026-05-01, 214 days ago: check them"]


def test_break_even_weeks_without_retraining_by_hand() -> None:
    r = cost_report(inputs(retrain_every_weeks=None, horizon_weeks=52), table(), today=TODAY)
    # weekly: prompting 2.004, finetuned 0.0011, hybrid 0.0012, tuned few-shot 0.0021, few-shot 0.0038
    assert r.break_even_week["finetuned"] == pytest.approx((500.3 - 100) / (2.004 - 0.0011))  # 199.86
    assert r.break_even_week["hybrid"] == pytest.approx((600.3 - 100) / (2.004 - 0.0012))
    assert r.break_even_week["finetuned-fewshot"] == pytest.approx((540.3 - 100) / (2.004 - 0.0021))
    assert r.break_even_vs_fewshot["finetuned"] == pytest.approx((500.3 - 40) / (0.0038 - 0.0011))
    # beyond the 52-week horizon: the time-only answer is attached
    assert r.time_only is not None


def test_a_tuned_model_prices_the_tuned_paths_and_only_them() -> None:
    r = cost_report(inputs(tune_model="t"), table(), today=TODAY)
    a = r.approaches
    assert a["prompting"].per_query_usd == pytest.approx(0.002)  # still m's base row, not t's (0.5, 0.5)
    assert a["finetuned"].per_query_usd == pytest.approx((100 * 3 + 500 * 6) / 1e6)  # t's fine-tuned row
    # training on t: its provider's own default of 1 epoch, at $20: 50 x 200 x 1 x $20 / 1M = $0.20
    assert a["finetuned"].training_tokens == 10_000
    assert a["finetuned"].setup_usd == pytest.approx(25 * 20 + 0.2)
    # dated by m's base row and t's training and fine-tuned rows (t's base prices nothing here)
    assert r.price_date == "2026-05-01 / 2026-11-01"
    assert r.price_sources == ["m base", "t training", "t tuned"]


def test_prices_are_old_after_180_days_not_on_the_180th() -> None:
    # 2026-05-01 + 180 days = 2026-10-28 (May 30 + Jun 31 + Jul 31 + Aug 31 + Sep 30 days to Oct 1, + 27)
    assert cost_report(inputs(), table(), today=dt.date(2026, 10, 28)).notes == []
    assert cost_report(inputs(), table(), today=dt.date(2026, 10, 29)).notes == [
        "m's prices are from 2026-05-01, 181 days ago: check them"]


def test_a_retirement_on_the_horizons_last_day_is_a_note() -> None:
    # r retires 2027-01-26: 56 days = 8 weeks after TODAY, the last day of an 8-week horizon
    r = cost_report(inputs(model="r"), table(), today=TODAY)
    assert r.notes == ["r and its fine-tunes retire on 2027-01-26 (in 8 weeks, inside your 8-week horizon; provider "
                       "notice): the costs after that date assume a successor at the same price"]
    # served by t but tuned on r: the end of r's fine-tunes is what matters, said once
    r = cost_report(inputs(model="t", tune_model="r"), table(), today=TODAY)
    assert r.notes == ["r and its fine-tunes stop serving on 2027-01-26"]
    assert cost_report(inputs(model="r", horizon_weeks=7), table(), today=TODAY).notes == []


def test_tuning_availability_is_judged_on_the_reports_day_and_prior_usage() -> None:
    # on 2026-11-01 the provider still takes jobs, and stops inside the 8-week horizon
    r = cost_report(inputs(model="late"), table(), today=dt.date(2026, 11, 1))
    assert r.notes == ["closing accepts no new fine-tuning jobs from 2026-11-15: retraining after that needs "
                       "another provider or a local fine-tune"]
    assert cost_report(inputs(model="old", prior_usage=True), table(), today=TODAY).notes == []
    assert cost_report(inputs(model="old"), table(), today=TODAY).notes == [
        "fine-tuning old: since 2026-01-01, earlier users only"]


def test_break_even_of_two_equal_paths_is_immediate() -> None:
    same = ApproachCost(approach="a", setup_usd=10, per_query_usd=1, weekly_usd=1, monthly_usd=4.3, retrain_usd=0,
                        cumulative_usd=[10])
    assert break_even_week(same, same.model_copy()) == 0.0


def test_explicit_epochs_win_over_the_default_rule() -> None:
    usd_, tokens = training_usd(table(), inputs(epochs=2))
    assert tokens == 50 * 200 * 2 and usd_ == pytest.approx(0.2)


def test_local_training_ignores_a_hosted_tuners_epoch_default() -> None:
    # on your own machine the epochs follow peri's rule (3 here), never tuneco's default of 1
    usd_, tokens = training_usd(table(), inputs(model="local", tune_model="t", local_train_tokens_per_s=500))
    assert tokens == 30_000
    # 30,000 tokens / 500 tok/s = 60 s at 100 W and $0.36 / kWh = $0.0006
    assert usd_ == pytest.approx(100 * 60 / 3600 / 1000 * 0.36)


def test_a_model_without_a_training_row_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigError) as e:
        training_usd(table(), inputs(model="bare"))
    assert e.value.message == "no training price for 'bare'"
    assert e.value.hint == "add it to PERI_HOME/prices.yaml"


def test_time_break_even_when_no_minutes_were_given_prices_one_saved_minute() -> None:
    # free tokens, no retraining, 1 query a week over 48 weeks; prompting 6 h, fine-tuning 30 h of set-up.
    # With 1 saved minute: prompting's total grows 6 + 48/60 = 6.8 per USD/hour, fine-tuning's 30: never.
    inp = inputs(model="free", queries_per_week=1, minutes_saved_per_query=0, retrain_every_weeks=None,
                 prompt_setup_hours=6, finetune_setup_hours=30, horizon_weeks=48, hour_value=0)
    t = time_break_even(inp, table(), TODAY)
    assert t.hour_value is None
    assert t.text == ("on money alone fine-tuning never pays back; it pays back only through time saved per query, "
                      "and you gave none (--minutes-saved); even 1 minute saved per query would not pay back within "
                      "48 weeks")
    # with m's prices and 1 query a week, no set-up hours for the templates: one saved minute a query gives
    # prompting 48/60 = 0.8 per USD/hour against fine-tuning's 0 (finetune_setup_hours 0), and money:
    # prompting 48 x 0.002 = 0.096, fine-tuning 0.3 + 48 x 0.00055 = 0.3264 -> h = (0.3264 - 0.096) / 0.8
    inp = inputs(queries_per_week=1, minutes_saved_per_query=0, retrain_every_weeks=None, prompt_setup_hours=0,
                 finetune_setup_hours=0, horizon_weeks=48, hour_value=0)
    t = time_break_even(inp, table(), TODAY)
    assert t.hour_value == pytest.approx(0.288)
    assert t.text.endswith(": at 1 minute saved per query it would break even within 48 weeks if an hour of "
                           "your time is worth $0 or more")


def test_time_break_even_with_minutes_given_uses_them() -> None:
    # half a minute saved a query (not rounded up to one): prompting grows 48 x 0.5/60 = 0.4 per USD/hour
    inp = inputs(queries_per_week=1, minutes_saved_per_query=0.5, retrain_every_weeks=None, prompt_setup_hours=0,
                 finetune_setup_hours=0, horizon_weeks=48, hour_value=0)
    t = time_break_even(inp, table(), TODAY)
    assert t.hour_value == pytest.approx((0.3264 - 0.096) / 0.4)  # 0.576
    assert t.text == ("fine-tuning pays back only through time saved: at 0.5 minutes saved per query it breaks even "
                      "within 48 weeks if an hour of your time is worth $1 or more")
    # more set-up than the minutes can ever cover: the sentence says so
    t = time_break_even(inp.model_copy(update={"finetune_setup_hours": 30}), table(), TODAY)
    assert t.hour_value is None
    assert t.text == ("fine-tuning does not pay back within 48 weeks at any hour value: 0.5 minutes saved per query "
                      "do not cover its longer set-up")


def test_time_break_even_at_equal_growth_is_never_not_a_division_by_zero() -> None:
    # free tokens; prompting 6 h + 48 queries x 30 min = 30 h per USD/hour, fine-tuning 30 h: the lines are
    # parallel, so no hour value makes them cross
    inp = inputs(model="free", queries_per_week=1, minutes_saved_per_query=30, retrain_every_weeks=None,
                 prompt_setup_hours=6, finetune_setup_hours=30, horizon_weeks=48, hour_value=0)
    assert time_break_even(inp, table(), TODAY).hour_value is None
    # 30.625 min: prompting grows 6 + 24.5 = 30.5, half a USD/hour per USD/hour faster; equal at $0
    t = time_break_even(inp.model_copy(update={"minutes_saved_per_query": 30.625}), table(), TODAY)
    assert t.hour_value == pytest.approx(0.0)


def test_usd_formats_by_hand() -> None:
    assert usd(0) == "$0.00"
    assert usd(0.005) == "$0.005"
    assert usd(0.01) == "$0.01"
    assert usd(0.5) == "$0.50"
    assert usd(1) == "$1.00"
    assert usd(1234.5) == "$1,234.50"
    assert usd(0.0001) == "$0.0001"
    assert usd(0.00005) == "$5.0e-05"
    assert usd(-0.005) == "$-0.005"


def test_weeks_label_by_hand() -> None:
    assert weeks_label(None) == "never"
    assert weeks_label(0) == "immediately" and weeks_label(0.0) == "immediately"
    assert weeks_label(1) == "week 1"
    assert weeks_label(0.2) == "week 1"
    assert weeks_label(520) == "week 520"
    assert weeks_label(521) == "10 years"
    assert weeks_label(1560) == "30 years"
    assert weeks_label(52, 52) == "week 52"
    assert weeks_label(52.5, 52) == "week 53 (beyond your 52-week horizon)"


def test_retirement_is_judged_on_the_reports_day_for_both_models() -> None:
    # before 2026-11-15 `gone` is priced, as the model and as the tuned model
    assert cost_report(inputs(model="gone"), table(), today=dt.date(2026, 11, 1)).approaches
    assert cost_report(inputs(tune_model="gone"), table(), today=dt.date(2026, 11, 1)).approaches
    # from then on it is refused, whichever of the two it is
    for kw in ({"model": "gone"}, {"tune_model": "gone"}):
        with pytest.raises(ConfigError) as e:
            cost_report(inputs(**kw), table(), today=TODAY)
        assert e.value.message == "gone was retired on 2026-11-15 (provider notice)"


def test_time_only_answer_only_when_money_does_not_pay_back_within_the_horizon() -> None:
    # within a 520-week horizon fine-tuning pays back in week 199.86 (above): no time-only answer
    assert cost_report(inputs(retrain_every_weeks=None, horizon_weeks=520), table(), today=TODAY).time_only is None
    # free tokens; 1 query a week saving 1 minute at $60/h = $1 a week; fine-tuning's set-up 1 h = $60 more:
    # it breaks even in exactly week 60, which a 60-week horizon still reaches and a 59-week one does not
    kw = dict(model="free", queries_per_week=1, minutes_saved_per_query=1, hour_value=60, prompt_setup_hours=0,
              finetune_setup_hours=1, retrain_every_weeks=None)
    on_time = cost_report(inputs(horizon_weeks=60, **kw), table(), today=TODAY)
    assert on_time.break_even_week["finetuned"] == 60.0 and on_time.time_only is None
    assert cost_report(inputs(horizon_weeks=59, **kw), table(), today=TODAY).time_only is not None
