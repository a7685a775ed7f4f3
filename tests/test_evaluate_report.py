"""Summary statistics, the verdict and the report files, from synthetic records (no model needed)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from peri.evaluate.harness import Approach, EvalConfig, EvalRecord, EvalResults, summarise, verdict
from peri.evaluate.report import write_report
from peri.evaluate.stats import mean_ci

WEEKS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=i) for i in range(4)]


def _rec(approach: str, week: dt.date, score: float, tokens: int, latency: float, high: int = 0, valid: bool = True) -> EvalRecord:
    return EvalRecord(key=f"{approach}{week}", approach=approach, model="embedded", week_of=week, scenario="normal",
                      valid=valid, oracle=score if valid else 0.0, oracle_breakdown={"safety": score}, prompt_tokens=tokens,
                      output_tokens=300, latency_s=latency, findings={"high": high, "medium": 1, "low": 0},
                      cost_local_usd=0.0001)


def _results() -> EvalResults:
    approaches = [Approach(name="rules", model="rules"), Approach(name="prompt-d0", model="embedded", detail=0),
                  Approach(name="prompt-d3", model="embedded", detail=3)]
    recs = []
    for i, w in enumerate(WEEKS):
        recs.append(_rec("rules", w, 80 + i, 0, 0.01))
        recs.append(_rec("prompt-d0", w, 30 + i, 60, 8.0, high=2, valid=i != 0))
        recs.append(_rec("prompt-d3", w, 50 + 2 * i, 700, 12.0, high=1))
    summary = summarise(recs, approaches, queries_per_week=7)
    return EvalResults(athlete="ann", simulated=True, config=EvalConfig(athlete="ann", queries_per_week=7),
                       held_out_weeks=WEEKS, training_cutoff=None, records=recs, summary=summary,
                       verdict=verdict(recs, summary, True))


def test_mean_ci_matches_t_distribution() -> None:
    m, ci = mean_ci([1.0, 2.0, 3.0, 4.0])
    assert m == pytest.approx(2.5)
    # sd = 1.291, t(3) = 3.182 -> 3.182 * 1.291 / 2
    assert ci == pytest.approx(3.182 * 1.2909944 / 2, rel=1e-4)
    assert mean_ci([5.0]) == (5.0, None)
    assert mean_ci([]) == (None, None)


def test_summary_counts_invalid_plans_as_zero_and_reports_validity() -> None:
    s = _results().summary
    assert s["prompt-d0"].valid_rate == pytest.approx(0.75)
    assert s["prompt-d0"].score_mean == pytest.approx((0 + 31 + 32 + 33) / 4)
    assert s["rules"].score_mean == pytest.approx(81.5)
    assert s["prompt-d3"].prompt_tokens_mean == pytest.approx(700)
    assert s["prompt-d0"].high_findings_mean == pytest.approx(2)
    assert s["prompt-d3"].cost_per_month == pytest.approx(0.0001 * 7 * 52 / 12)


def test_verdict_names_winner_margin_and_certainty() -> None:
    v = _results().verdict
    assert v[0].startswith("rules wins with a mean oracle score of 81.5/100")
    assert "paired weeks" in v[1] and "prompt-d3" in v[1]
    assert any("75% valid" in line for line in v)


def test_report_writes_html_with_inlined_charts(tmp_path: Path) -> None:
    path = write_report(_results(), tmp_path)
    html = path.read_text()
    assert "rules wins" in html
    assert html.count("data:image/png;base64,") == 4
    for name in ("quality_vs_tokens.png", "safety.png", "latency.png", "cost.png"):
        assert (tmp_path / name).stat().st_size > 5000
    data = json.loads((tmp_path / "results.json").read_text())
    assert len(data["records"]) == 12 and set(data["summary"]) == {"rules", "prompt-d0", "prompt-d3"}
