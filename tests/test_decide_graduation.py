"""peri.decide.graduation: when a tuned model is expected to overtake the best prompting path for this person,
from their own learning curve (written through the real writer) and logging rate — or what is missing."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.decide.graduation import crossing_weeks, graduation_estimate, logging_rate
from peri.evaluate.learning import CurvePoint, LearningCurve, curve_path, write_curve
from peri.log.catalog import default_catalog
from peri.log.context import load_context
from peri.tune.dataset import build_dataset, write_dataset

from test_dataset import seed_store

runner = CliRunner()


def _curve(athlete: str, points: list[tuple[int, float, float]], refs: dict[str, float]) -> LearningCurve:
    return LearningCurve(athlete=athlete, references=refs, points=[
        CurvePoint(examples=n, model=f"ft:{athlete}-n{n}", score_mean=m, score_ci=ci, valid_rate=1.0,
                   val_loss_before=None, val_loss_after=None, train_seconds=0.0) for n, m, ci in points])


# The synthetic curve, worked by hand: scores 40, 45, 50 at 25, 50, 100 examples lie exactly on
#   score(n) = 45 + b·ln(n / 50),  b = (50 - 40) / ln(100 / 25) = 10 / ln 4 = 7.2135
# The best prompting path is prompt-d3 at 55 (rules is not prompting). 55 = 45 + b·ln(n / 50)
#   → ln(n / 50) = 10 / b = ln 4 → n* = 200 examples.
POINTS = [(25, 40.0, 4.0), (50, 45.0, 4.0), (100, 50.0, 4.0)]
REFS = {"rules": 70.0, "prompt-d3": 55.0, "prompt-d4": 52.0}


def test_crossing_by_hand_without_noise() -> None:
    exact = [(n, m, 1e-9) for n, m, _ in POINTS]
    weeks, n_star = crossing_weeks(exact, 55.0, 1e-9, examples_now=100, examples_per_week=2.0, draws=50)
    # 200 needed - 100 now = 100 examples at 2 a week = 50 weeks
    assert all(n == pytest.approx(200.0, rel=1e-6) for n in n_star)
    assert all(w == pytest.approx(50.0, rel=1e-6) for w in weeks)
    # already past the crossing: 0 weeks
    weeks, _ = crossing_weeks(exact, 55.0, 1e-9, examples_now=250, examples_per_week=2.0, draws=10)
    assert weeks == [0.0] * 10
    # a curve that does not rise never crosses
    flat = [(25, 50.0, 1e-9), (50, 50.0, 1e-9), (100, 49.0, 1e-9)]
    weeks, _ = crossing_weeks(flat, 55.0, None, examples_now=100, examples_per_week=2.0, draws=10)
    assert all(math.isinf(w) for w in weeks)


def test_logging_rate_counts_logged_weeks_per_calendar_week(store) -> None:
    name = seed_store(store)  # weeks 0-23 with week 5 missed: 23 logged weeks over 24 calendar weeks
    rate, logged = logging_rate(store, name)
    assert logged == 23 and rate == pytest.approx(23 / 24)
    rate, _ = logging_rate(store, name, weeks=12)  # the last 12 weeks (12-23): all logged
    assert rate == pytest.approx(1.0)


def _athlete_with_dataset(store, home: Path) -> tuple[str, dict]:
    name = seed_store(store)
    write_dataset(build_dataset(load_context(store, name), default_catalog()))
    from peri.tune.dataset import dataset_dir

    report = json.loads((dataset_dir(name, home) / "build.json").read_text())["report"]
    return name, report


def test_estimate_with_a_learning_curve_matches_the_hand_calculation(store, home: Path) -> None:
    name, report = _athlete_with_dataset(store, home)
    path = write_curve(_curve(name, POINTS, REFS))  # through the real writer, where `peri eval` keeps it
    assert path == curve_path(name)
    est = graduation_estimate(store, name, horizon_weeks=520)
    # by hand: 200 examples needed; now = the training split; each logged week yields examples/weeks_logged
    # examples and the athlete logs 23 of 24 calendar weeks
    per_week = report["examples"] / report["weeks_logged"] * 23 / 24
    expected = (200 - report["train"]) / per_week
    assert est.status == "expected" and est.best_prompting == "prompt-d3"
    assert est.examples_now == report["train"]
    assert est.examples_needed == pytest.approx(200, rel=0.15)  # the median over draws of the noisy points
    assert est.weeks == pytest.approx(expected, rel=0.2)
    assert est.weeks_low is not None and est.weeks_low < est.weeks
    assert est.weeks_high is None or est.weeks_high > est.weeks
    assert f"in about {est.weeks:.0f} weeks of logging" in est.text and "95% interval" in est.text
    # a two-year horizon is not enough for ~200 weeks: said so, with the share of fits that would make it
    short = graduation_estimate(store, name, horizon_weeks=52)
    assert short.status == "not_expected" and "not expected" in short.text and short.p_within_horizon < 0.5


def test_decide_reports_the_trigger_with_its_interval(store, home: Path) -> None:
    name, _ = _athlete_with_dataset(store, home)
    write_curve(_curve(name, POINTS, REFS))
    r = runner.invoke(app, ["decide", "--athlete", name, "--model", "gpt-4o-mini", "--horizon", "520", "--json"])
    assert r.exit_code == 0, r.output
    grad = json.loads(r.stdout)["graduation"]
    assert grad["status"] == "expected" and grad["weeks_low"] < grad["weeks"]
    assert "weeks of logging" in grad["text"] and "95% interval" in grad["text"]
    r = runner.invoke(app, ["decide", "--athlete", name, "--model", "gpt-4o-mini", "--horizon", "520"])
    assert r.exit_code == 0 and "Graduation trigger:" in r.output and "weeks of logging" in r.output


def test_decide_says_what_is_missing_without_a_learning_curve(store, home: Path) -> None:
    name = seed_store(store)
    r = runner.invoke(app, ["decide", "--athlete", name, "--model", "gpt-4o-mini", "--json"])
    assert r.exit_code == 0, r.output
    grad = json.loads(r.stdout)["graduation"]
    assert grad["status"] == "missing" and grad["weeks"] is None
    assert "no learning curve" in grad["text"] and "--learning-curve" in grad["text"]
    assert "0.96 weeks per calendar week" in grad["text"]  # what is known is still said: 23 of 24 weeks logged
    # a curve with one size is no trend
    write_curve(_curve(name, [(50, 45.0, 4.0)], REFS))
    est = graduation_estimate(store, name)
    assert est.status == "missing" and "two or more" in est.text


def test_a_curve_that_does_not_rise_is_not_expected(store, home: Path) -> None:
    name, _ = _athlete_with_dataset(store, home)
    write_curve(_curve(name, [(25, 50.0, 1.0), (50, 49.0, 1.0), (100, 48.0, 1.0)], REFS))
    est = graduation_estimate(store, name, horizon_weeks=520)
    assert est.status == "not_expected" and est.weeks is None and "Keep prompting" in est.text
