"""`peri decide` offers only the hosted tuning open on the decision date, names the provider, and warns when
the recommended path ends within the horizon (dates from data/prices.yaml; the clock is injected)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from peri.decide.run import run_decision

TUNING_WINS = {"queries_per_week": 14, "complex_methodology": True, "needs_instant": True, "hour_value": 40,
               "minutes_saved_per_query": 3, "model": "gpt-4o-mini"}


def test_after_openai_closes_the_recommendation_names_another_provider(home: Path) -> None:
    out = run_decision(dict(TUNING_WINS), None, today=dt.date(2027, 1, 10))
    rec = out["recommendation_model"]
    assert rec.path in ("finetuning", "hybrid")
    assert rec.provider == "together" and rec.tune_model == "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"
    assert "openai" not in rec.headline.lower() and "peri finetune together" in rec.headline
    assert out["inputs"]["tune_model"] == rec.tune_model
    assert not any("openai" in w for w in rec.warnings)
    # the tuned path is priced by Together's dated rows: 0.48/1M training, one epoch by Together's default
    inp = out["inputs"]
    want = inp["dataset_examples"] * inp["tokens_per_example"] * 1 * 0.48 / 1e6
    assert out["costs"]["finetuned"]["training_tokens"] == inp["dataset_examples"] * inp["tokens_per_example"]
    assert out["costs"]["finetuned"]["setup_usd"] - 30 * 40 == __import__("pytest").approx(want)
    # even for an organisation that fine-tuned recently, OpenAI takes no job after 2027-01-06
    again = run_decision({**TUNING_WINS, "prior_usage": True}, None, today=dt.date(2027, 1, 10))
    assert again["recommendation_model"].provider == "together"


def test_before_the_end_openai_is_offered_with_a_warning_inside_the_horizon(home: Path) -> None:
    out = run_decision({**TUNING_WINS, "prior_usage": True}, None, today=dt.date(2026, 12, 1))
    rec = out["recommendation_model"]
    assert rec.provider == "openai" and rec.tune_model == "gpt-4o-mini"
    assert any("2027-01-06" in w for w in rec.warnings) and any("2027-01-14" in w for w in rec.warnings)
    # a short horizon that ends before both dates carries no warning
    short = run_decision({**TUNING_WINS, "prior_usage": True, "horizon_weeks": 4}, None, today=dt.date(2026, 12, 1))
    assert short["recommendation_model"].warnings == []


def test_without_prior_usage_openai_is_not_offered_today(home: Path) -> None:
    out = run_decision(dict(TUNING_WINS), None, today=dt.date(2026, 12, 1))
    assert out["recommendation_model"].provider == "together"
    assert out["inputs"]["tune_model"] != "gpt-4o-mini"
    assert any("not open on 2026-12-01" in n and "60 days" in n for n in out["notes"])


def test_prompting_names_no_provider(home: Path) -> None:
    out = run_decision({"queries_per_week": 0.1, "exploring": True, "model": "gpt-4o-mini"}, None,
                       today=dt.date(2027, 1, 10))
    assert out["recommendation_model"].path == "prompting" and out["recommendation_model"].provider is None


def test_user_override_file_closes_a_provider_and_the_decision_follows(home: Path) -> None:
    (home / "prices.yaml").write_text(
        "providers:\n  together: {accepts_new_jobs_until: '2027-01-08', source: 'my reading of their notice'}\n")
    out = run_decision(dict(TUNING_WINS), None, today=dt.date(2027, 1, 10))
    rec = out["recommendation_model"]
    # Fireworks serves fine-tunes only on a dedicated deployment (no per-token price): nothing hosted is left
    assert rec.provider == "local" and "peri finetune local" in rec.headline
    (home / "prices.yaml").write_text(
        "models:\n  meta-llama/Meta-Llama-3.1-8B-Instruct-Reference:\n    provider: together\n"
        "    base: {input: 0.2, output: 0.2, date: '2027-01-01', source: me}\n"
        "    training: {per_million: 1.0, date: '2027-01-01', source: me}\n"
        "    finetuned: {input: 0.2, output: 0.2, date: '2027-01-01', source: me}\n")
    out = run_decision(dict(TUNING_WINS), None, today=dt.date(2027, 1, 10))
    inp = out["inputs"]
    assert out["costs"]["finetuned"]["setup_usd"] - 30 * 40 == __import__("pytest").approx(
        inp["dataset_examples"] * inp["tokens_per_example"] * 1.0 / 1e6)
