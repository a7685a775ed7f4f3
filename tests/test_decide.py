"""The cost model against hand calculations with the seed's figures, and the recommendation's direction."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from peri.decide.cost import CostInputs, cost_report
from peri.prices import load_prices
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


# --- a decision to trust: inputs, retirements, time, the horizon, one training figure -----------------
from typer.testing import CliRunner  # noqa: E402

from peri.cli.app import app  # noqa: E402

runner = CliRunner()


@pytest.mark.parametrize("args, flag", [
    (["--retrain-every", "-4"], "--retrain-every"),
    (["--queries-per-week", "-1"], "--queries-per-week"),
    (["--queries-per-week", "nan"], "--queries-per-week"),
    (["--horizon", "0"], "--horizon"),
    (["--hour-value", "-20"], "--hour-value"),
    (["--examples", "0"], "--examples"),
    (["--minutes-saved", "inf"], "--minutes-saved"),
])
def test_invalid_input_is_one_line_naming_the_flag_and_exit_2(home: Path, args: list[str], flag: str) -> None:
    r = runner.invoke(app, ["decide", "--model", "gpt-4o-mini", *args])
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and flag in lines[0] and "allowed" in lines[0], r.output
    assert "Traceback" not in r.output and "validation error" not in r.output


def test_retired_model_is_refused_by_decide(home: Path) -> None:
    r = runner.invoke(app, ["decide", "--model", "gpt-3.5-turbo", "--queries-per-week", "1"])
    assert r.exit_code != 0 and "retired on 2026-10-23" in r.output


def test_retirement_inside_the_horizon_is_a_note(home: Path) -> None:
    import datetime as dt

    r = cost_report(seed_inputs(WEEKLY, model="gpt-4o-mini"), load_prices(), today=dt.date(2026, 12, 1))
    assert any("retire on 2027-01-14" in n for n in r.notes)
    assert any("2027-01-06" in n for n in r.notes)  # OpenAI closes self-serve fine-tuning
    assert r.price_date == "2026-02-01" and len(r.price_sources) == 3


def test_money_alone_says_time_is_the_only_way_back_with_the_hour_value(home: Path) -> None:
    r = cost_report(seed_inputs(WEEKLY, minutes_saved_per_query=2.0, horizon_weeks=52), load_prices())
    assert r.break_even_week["finetuned"] is None or r.break_even_week["finetuned"] > 52
    h = r.time_only.hour_value
    # by hand over 52 weeks: prompting 6h·h + 52·(0.0048 + 2/60·h); tuned 30h·h + 0.81 + 52·0.00144
    # → 6h + 1.7333h + 0.2496 = 30h + 0.81 + 0.07488 → h = (0.81 + 0.07488 − 0.2496) / (7.7333 − 30) < 0: never
    assert h is None and "does not pay back" in r.time_only.text
    # weekly at 40 minutes saved: prompting 6h + 52·(0.0048 + 40/60·h), tuned 30h + 0.81 + 52·0.00144
    forty = cost_report(seed_inputs(WEEKLY, minutes_saved_per_query=40.0), load_prices())
    expected = (0.81 + 52 * 0.00144 - 52 * 0.0048) / (6 + 52 * 40 / 60 - 30)
    assert forty.time_only.hour_value == pytest.approx(expected)
    assert "only through time saved" in forty.time_only.text
    # no minutes given: says so, and what 1 saved minute would do (6h + 52/60·h never reaches 30h)
    none = cost_report(seed_inputs(WEEKLY), load_prices())
    assert "gave none" in none.time_only.text and none.time_only.hour_value is None


def test_break_even_past_the_horizon_is_labelled(home: Path) -> None:
    from peri.decide.cost import weeks_label

    assert weeks_label(241.07, 52) == "week 242 (beyond your 52-week horizon)"
    assert weeks_label(30.2, 52) == "week 31"
    rec = recommend(Situation(queries_per_week=WEEKLY, logged_weeks=150), cost_report(seed_inputs(WEEKLY), load_prices()))
    cost_reason = next(r for r in rec.reasons if r.criterion == "cost")
    assert "beyond your 52-week horizon" in cost_reason.text and "time saved" in cost_reason.text


def test_hour_value_and_minutes_are_asked_at_a_terminal(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import peri.cli.decide_commands as dc

    monkeypatch.setattr(dc, "stdin_is_terminal", lambda: True)
    r = runner.invoke(app, ["decide", "--model", "seed-example", "--queries-per-week", "7", "--retrain-every", "0"],
                      input="40\n3\n")
    assert r.exit_code == 0, r.output
    assert "hour of your time" in r.output and "Minutes a short prompt" in r.output
    # prompting pays 7 x (0.0048 tokens + 3 min x $40/h) = $14.0336 a week = $60.81 a month
    assert "60.81" in r.output


def test_one_training_cost_figure_for_dataset_build_and_decide(store, home: Path) -> None:
    from peri.decide.run import run_decision
    from peri.log.catalog import default_catalog
    from peri.log.context import load_context
    from peri.sim.generate import simulate
    from peri.tune.dataset import build_dataset, write_dataset

    simulate(store, "seed", seed=5, weeks=40, athlete_name="tess", home=home)
    build = build_dataset(load_context(store, "tess"), default_catalog(), cost_model="gpt-4o-mini")
    # before the dataset is written, decide builds the same training split in memory
    # prior usage: OpenAI still takes this organisation's jobs, so the tuned path is costed on gpt-4o-mini
    before = run_decision({"model": "gpt-4o-mini", "retrain_every_weeks": 0, "prior_usage": True}, "tess", store)
    write_dataset(build)
    after = run_decision({"model": "gpt-4o-mini", "retrain_every_weeks": 0, "prior_usage": True}, "tess", store)
    for out in (before, after):
        train_usd = out["costs"]["finetuned"]["setup_usd"] - 30 * out["inputs"]["hour_value"]
        assert train_usd == pytest.approx(build.report.cost.usd, abs=1e-4)
        assert out["inputs"]["dataset_examples"] == build.report.train  # the train split, not all examples
    assert "training split" in after["inputs"]["training_source"]


# --- the third path: few-shot prompting (examples in the prompt) against fine-tuning (examples in the weights)
def test_fewshot_break_even_by_hand(home: Path) -> None:
    inp = seed_inputs(DAILY, fewshot={"prompt_tokens": 1080, "output_tokens": 400},
                      finetuned_fewshot={"prompt_tokens": 1080, "output_tokens": 400})
    r = cost_report(inp, load_prices())
    # by hand, everything at $3 per 1M tokens (seed-example):
    #   prompting query  (1200 + 400) x 3 / 1e6 = $0.0048
    #   few-shot query   (1080 + 400) x 3 / 1e6 = $0.00444   <- the examples are paid on EVERY query
    #   tuned query      (  80 + 400) x 3 / 1e6 = $0.00144
    #   hybrid query     ( 160 + 400) x 3 / 1e6 = $0.00168
    assert r.approaches["fewshot"].per_query_usd == pytest.approx(0.00444)
    assert r.approaches["finetuned-fewshot"].per_query_usd == pytest.approx(0.00444)
    assert r.approaches["hybrid"].per_query_usd == pytest.approx(0.00168)
    # set-up at $0/hour: few-shot trains nothing ($0); fine-tuning pays 200 x 450 x 3 epochs x $3/1M = $0.81 once
    assert r.approaches["fewshot"].setup_usd == 0.0
    assert r.approaches["finetuned"].setup_usd == pytest.approx(0.81)
    assert r.approaches["finetuned-fewshot"].setup_usd == pytest.approx(0.81)
    # daily: few-shot costs 7 x 0.00444 = $0.03108 a week, tuned 7 x 0.00144 = $0.01008; the $0.81 is paid back
    # after 0.81 / (0.03108 - 0.01008) = 0.81 / 0.021 = 38.571 weeks
    assert r.break_even_vs_fewshot["finetuned"] == pytest.approx(0.81 / 0.021)
    assert r.break_even_vs_fewshot["finetuned"] == pytest.approx(38.571, abs=1e-3)
    # few-shot is cheaper per query than the long engineered prompt and costs nothing more to start: immediately
    assert r.break_even_week["fewshot"] == 0.0
    # tuned + few-shot pays the examples on every query AND the training: never cheaper than few-shot alone
    assert r.break_even_vs_fewshot["finetuned-fewshot"] is None
    # weekly use: 0.81 / (1 x 0.003) = 270 weeks — the examples stay cheaper in the prompt for five years
    weekly = cost_report(seed_inputs(WEEKLY, fewshot={"prompt_tokens": 1080, "output_tokens": 400}), load_prices())
    assert weekly.break_even_vs_fewshot["finetuned"] == pytest.approx(270.0)
    # every path has its cumulative curve, in the report's order
    assert list(r.approaches) == ["prompting", "fewshot", "finetuned", "hybrid", "finetuned-fewshot"]
    assert r.approaches["fewshot"].cumulative_usd[52] == pytest.approx(52 * 0.03108)


def test_fewshot_setup_time_is_priced(home: Path) -> None:
    r = cost_report(seed_inputs(WEEKLY, hour_value=30), load_prices())
    # 2 h noting which weeks worked at $30/h; tuned + few-shot pays that and the 30 h of the tuned path + training
    assert r.approaches["fewshot"].setup_usd == pytest.approx(2 * 30)
    assert r.approaches["finetuned-fewshot"].setup_usd == pytest.approx(32 * 30 + 0.81)


def test_chart_draws_every_path(home: Path, tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from unittest import mock

    from peri.decide.chart import cost_chart

    r = cost_report(seed_inputs(DAILY), load_prices())
    import matplotlib.axes

    with mock.patch.object(matplotlib.axes.Axes, "plot", autospec=True, side_effect=matplotlib.axes.Axes.plot) as plot:
        out = cost_chart(r, tmp_path / "cost.png")
    labels = [c.kwargs["label"].split(" ")[0] for c in plot.call_args_list]
    assert labels == ["prompting", "fewshot", "finetuned", "hybrid", "finetuned-fewshot"]
    assert out.stat().st_size > 1000


def test_fewshot_tokens_are_measured_from_the_athletes_own_retrieved_examples(store, home: Path) -> None:
    import sys

    from peri.decide.run import run_decision
    from peri.log.catalog import default_catalog
    from peri.log.context import load_context
    from peri.prompts.tokens import tokenizer_for
    from peri.tune.retrieval import fewshot_prompt

    sys.path.insert(0, str(Path(__file__).parent))
    from test_dataset import seed_store

    name = seed_store(store)
    out = run_decision({"model": "gpt-4o-mini", "retrain_every_weeks": 0}, name, store)
    fs = fewshot_prompt(load_context(store, name), default_catalog(), "normal", tokenizer=tokenizer_for("openai:gpt-4o-mini"))
    assert fs.examples  # the athlete has past weeks to show
    assert out["inputs"]["fewshot"]["prompt_tokens"] == fs.total_tokens
    assert f"{len(fs.examples)} of your past weeks" in out["inputs"]["fewshot"]["source"]
    assert set(out["costs"]) == {"prompting", "fewshot", "finetuned", "hybrid", "finetuned-fewshot"}
    assert "finetuned" in out["break_even_vs_fewshot"]
    assert any(r["criterion"] == "examples in the prompt" for r in out["recommendation"]["reasons"])


def test_fewshot_measured_best_is_recommended_with_the_journey_that_offers_it(home: Path) -> None:
    s = Situation(queries_per_week=WEEKLY, logged_weeks=150,
                  quality={"prompt-d3": 50.0, "prompt-fewshot": 58.0, "finetuned-short": 52.0})
    rec = recommend(s, cost_report(seed_inputs(WEEKLY), load_prices()))
    assert rec.path == "fewshot" and "prompt-fewshot 58.0 vs prompt-d3 50.0" in rec.headline
    from peri.guide.journeys import JOURNEYS

    assert any("fewshot" in st.command for st in JOURNEYS[rec.journey].steps)
    # when graduating, few-shot is what to do meanwhile
    grad = recommend(Situation(queries_per_week=DAILY, goal="powerlifting", constraints=["shoulder"],
                               complex_methodology=True, dataset_examples=40), cost_report(seed_inputs(DAILY), load_prices()))
    assert grad.path == "graduate" and "few-shot" in grad.headline


def test_in_memory_training_split_is_reused_until_the_log_changes(home: Path, store, monkeypatch) -> None:
    """The Decide page asks again for every changed input: the in-memory dataset is built once per log state,
    and a new note (the log changed) is never answered from the old build."""
    import datetime as dt

    import peri.tune.dataset as dataset_mod
    from peri.decide import run
    from peri.log.models import Annotation
    from peri.sim.generate import simulate

    simulate(store, "seed", seed=7, weeks=20, athlete_name="memo")
    run._BUILD_MEMO.clear()
    builds: list[int] = []
    real = dataset_mod.build_dataset

    def counting(*a, **kw):
        builds.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(dataset_mod, "build_dataset", counting)
    first = run.training_from_dataset(store, "memo", "gpt-4o-mini", home=home)
    again = run.training_from_dataset(store, "memo", "gpt-4o-mini", home=home)
    assert again == first and len(builds) == 1
    athlete = store.get_athlete("memo")
    last = max(s.day for s in store.sessions(athlete.id))
    store.add_annotation(athlete.id, Annotation(date=last - dt.timedelta(days=1), text="bench press felt great, this progression worked"))
    run.training_from_dataset(store, "memo", "gpt-4o-mini", home=home)
    assert len(builds) == 2  # the log changed: built again
