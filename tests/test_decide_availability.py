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


OPENAI_MODELS = ("gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-3.5-turbo")


def _assert_no_openai_tuning(out: dict, named: str | None, day: dt.date) -> None:
    rec = out["recommendation_model"]
    assert rec.provider != "openai", rec.headline
    assert "peri finetune openai" not in rec.headline and rec.tune_model not in OPENAI_MODELS
    tuned = out["inputs"]["tune_model"]
    if tuned in OPENAI_MODELS:  # only when the person named it: costed as asked, and (hosted) said to be closed
        assert tuned == named
        if out["inputs"]["model"] != "local":  # on your own machine no hosted tune is costed at all
            assert any(f"{named} is not open on {day}" in n for n in out["notes"])


def test_after_openai_closes_no_input_gets_openai_tuning(home: Path) -> None:
    """On any day from 2027-01-06 (clock injected), whatever the person answers — any model, asking for an
    OpenAI tune by name, claiming prior usage, a long or short horizon — the decision never recommends
    fine-tuning at OpenAI: it names another provider, local training, or refuses a model no longer served."""
    from hypothesis import example, given, settings
    from hypothesis import strategies as st

    from peri.errors import ConfigError

    @settings(max_examples=60, deadline=None, database=None)
    @example(day=dt.date(2027, 1, 6), model="gpt-4o-mini", tune="gpt-4o-mini", prior=True, qpw=14.0, hour=40.0,
             minutes=3.0, complex_=True, instant=True, horizon=52)
    @given(day=st.dates(dt.date(2027, 1, 6), dt.date(2028, 12, 31)),
           model=st.sampled_from(OPENAI_MODELS + ("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
                                                  "accounts/fireworks/models/llama-v3p1-8b-instruct", "local")),
           tune=st.sampled_from((None,) + OPENAI_MODELS),
           prior=st.booleans(), qpw=st.sampled_from([0.1, 1.0, 7.0, 14.0, 60.0]),
           hour=st.sampled_from([0.0, 40.0, 200.0]), minutes=st.sampled_from([0.0, 3.0, 10.0]),
           complex_=st.booleans(), instant=st.booleans(), horizon=st.sampled_from([4, 52, 260]))
    def check(day, model, tune, prior, qpw, hour, minutes, complex_, instant, horizon):
        values = {"queries_per_week": qpw, "model": model, "prior_usage": prior, "hour_value": hour,
                  "minutes_saved_per_query": minutes, "complex_methodology": complex_, "needs_instant": instant,
                  "horizon_weeks": horizon}
        if tune:
            values["tune_model"] = tune
        try:
            out = run_decision(values, None, today=day)
        except ConfigError as e:  # a model no longer served is refused outright: no recommendation at all
            assert "retired" in str(e) and (model in OPENAI_MODELS or tune in OPENAI_MODELS)
            return
        _assert_no_openai_tuning(out, tune, day)

    check()


def test_cli_decide_after_openai_closes_recommends_another_provider(home: Path, monkeypatch) -> None:
    """`peri decide` judges availability on its own clock (`decide_commands.today`, injected here)."""
    import json

    from typer.testing import CliRunner

    import peri.cli.decide_commands as dc
    from peri.cli.app import app

    args = ["decide", "--json", "--queries-per-week", "14", "--model", "gpt-4o-mini", "--prior-usage", "--complex",
            "--instant", "--hour-value", "40", "--minutes-saved", "3"]
    monkeypatch.setattr(dc, "today", lambda: dt.date(2026, 12, 1))
    before = json.loads(CliRunner().invoke(app, args).stdout)
    assert before["recommendation"]["provider"] == "openai"  # the same answers, while OpenAI still tunes
    monkeypatch.setattr(dc, "today", lambda: dt.date(2027, 1, 7))
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    after = json.loads(r.stdout)
    rec = after["recommendation"]
    assert rec["provider"] == "together" and "peri finetune together" in rec["headline"]
    assert after["inputs"]["tune_model"] == "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"
    assert any("gpt-4o-mini is not open on 2027-01-07" in n for n in after["notes"])
    # asking for an OpenAI tune by name: costed as asked, said to be closed, and the tuning goes local
    r = CliRunner().invoke(app, args + ["--tune-model", "gpt-4o-mini"])
    named = json.loads(r.stdout)
    assert named["recommendation"]["provider"] in ("local", None) and named["inputs"]["tune_model"] == "gpt-4o-mini"
    assert any("gpt-4o-mini is not open on 2027-01-07" in n and "2027-01-06" in n for n in named["notes"])
