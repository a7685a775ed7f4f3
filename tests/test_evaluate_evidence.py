"""The Evidence table: per-athlete paired differences, Student's t across athletes, held-for counts.

Records are made by hand so every expected number can be worked out on paper."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.evaluate.evidence import athlete_diffs, evidence, evidence_markdown
from peri.evaluate.harness import EvalConfig, EvalRecord, EvalResults

W1, W2 = dt.date(2026, 1, 5), dt.date(2026, 1, 12)


def _rec(approach: str, week: dt.date, score: float, *, scenario: str = "normal", safety: float = 50.0, high: int = 0) -> EvalRecord:
    return EvalRecord(key=f"{approach}{week}", approach=approach, model="m", week_of=week, scenario=scenario, valid=True,
                      oracle=score, oracle_breakdown={"safety": safety}, findings={"high": high})


def _res(name: str, recs: list[EvalRecord]) -> EvalResults:
    return EvalResults(athlete=name, simulated=True, config=EvalConfig(athlete=name), held_out_weeks=[W1, W2],
                       training_cutoff=None, records=recs, summary={}, verdict=[])


def _cohort() -> dict[str, EvalResults]:
    # d4 - d0 per athlete (mean over two weeks): a: (10+20)/2 = 15, b: (4+6)/2 = 5, c: (-2+-4)/2 = -3
    gains = {"a": (10, 20), "b": (4, 6), "c": (-2, -4)}
    out = {}
    for name, (g1, g2) in gains.items():
        recs = [_rec("prompt-d0", W1, 50), _rec("prompt-d0", W2, 50), _rec("prompt-d4", W1, 50 + g1), _rec("prompt-d4", W2, 50 + g2)]
        # constrained d0 vs unconstrained d0: +4 score, +10 safety, one high finding fewer, on every athlete
        recs += [_rec("prompt-d0-unconstrained", W1, 46, safety=40, high=1), _rec("prompt-d0-unconstrained", W2, 46, safety=40, high=1)]
        # the hybrid only answers the scenario week (W2 a deload), where the tuned model scores 60
        recs += [_rec("finetuned-short", W1, 70), _rec("finetuned-short", W2, 60, scenario="deload"),
                 _rec("hybrid", W2, 66 if name != "c" else 55, scenario="deload")]
        recs[1] = _rec("prompt-d0", W2, 50, scenario="deload")
        recs[3] = _rec("prompt-d4", W2, 50 + g2, scenario="deload")
        out[name] = _res(name, recs)
    return out


def test_detail_claim_is_the_mean_of_per_athlete_differences_with_a_t_interval() -> None:
    rows = {r.claim: r for r in evidence(_cohort())}
    d = rows["Quality rises with prompt detail (d0 → d4)"]
    assert d.status == "measured" and d.athletes == 3 and d.held == 2
    assert d.effect == pytest.approx(17 / 3)  # (15 + 5 - 3) / 3
    sd = ((15 - 17 / 3) ** 2 + (5 - 17 / 3) ** 2 + (-3 - 17 / 3) ** 2) ** 0.5 / 2 ** 0.5
    half = 4.303 * sd / 3 ** 0.5
    assert (d.ci_low, d.ci_high) == (pytest.approx(17 / 3 - half, rel=1e-3), pytest.approx(17 / 3 + half, rel=1e-3))


def test_constraint_rows_pair_each_approach_with_its_unconstrained_twin() -> None:
    rows = {r.claim: r for r in evidence(_cohort())}
    q = rows["Decoding constraints raise quality"]
    assert q.effect == pytest.approx(4) and q.held == 3 and "prompt-d0" in q.comparison
    assert q.ci_low == pytest.approx(4) and q.ci_high == pytest.approx(4)  # the same +4 everywhere: no spread
    assert rows["Decoding constraints raise safety"].effect == pytest.approx(10)
    f = rows["Decoding constraints cut high-severity checker findings"]
    assert f.effect == pytest.approx(-1) and f.held == 3  # fewer is the claimed direction


def test_hybrid_claim_uses_scenario_weeks_and_the_best_alternative_that_week() -> None:
    rows = {r.claim: r for r in evidence(_cohort())}
    h = rows["The hybrid beats either alone on scenario weeks"]
    # W2 (deload): best of finetuned-short 60 and prompt-d4 (50 + g2: 70, 56, 46) -> a: 66-70, b: 66-60, c: 55-60
    assert h.effect == pytest.approx((-4 + 6 - 5) / 3) and h.held == 1 and h.athletes == 3
    assert athlete_diffs(_cohort(), [("hybrid", "finetuned-short")], weeks={"normal"}) == {}  # no normal week for the hybrid


def test_claims_whose_approaches_did_not_run_say_not_measured() -> None:
    rows = {r.claim: r for r in evidence(_cohort())}
    fewshot = rows["Examples in the prompt vs the same examples in the weights"]
    assert fewshot.status == "not measured" and "prompt-fewshot" in fewshot.note and fewshot.effect is None
    assert rows["How many examples are enough (learning curve over athletes)"].status == "not measured"
    md = evidence_markdown(evidence(_cohort()), 3)
    assert "| Examples in the prompt vs the same examples in the weights |" in md and "not measured" in md
    assert "2 of 3" in md and "Student's t" in md


def test_learning_curve_claim_finds_the_smallest_size_within_noise() -> None:
    curves = {"a": [(25, 50.0), (100, 68.0), (200, 70.0)], "b": [(25, 40.0), (100, 61.0), (200, 60.0)],
              "c": [(25, 45.0), (100, 66.0), (200, 65.0)]}
    row = {r.claim: r for r in evidence({}, curves)}["How many examples are enough (learning curve over athletes)"]
    # 25 vs 200: -20, -20, -20 -> interval excludes 0; 100 vs 200: -2, +1, +1 -> mean 0, interval includes 0
    assert "100 examples" in row.note and row.effect == pytest.approx(0.0) and row.athletes == 3
