"""peri.evaluate.experiment: the prompt experiment and history as library functions (the CLI and web share them)."""
from __future__ import annotations

import pytest

from peri.errors import ConfigError
from peri.evaluate.experiment import GenerationQuality, parse_levels, prompt_history, run_prompt_experiment, summarise_history


def row(i: int, *, detail: int | None, approach: str = "prompt", tokens: int | None = None, rating: int | None = None,
        valid: bool = True, high: int = 0, oracle: float | None = None) -> GenerationQuality:
    return GenerationQuality(id=i, created_at="2026-01-01T00:00:00", experiment=None, model="m", approach=approach,
                             style="engineered", scenario="normal", detail=detail, prompt_tokens=tokens,
                             output_tokens=10, latency_s=1.0, cost_usd=None, valid=valid, error=None, rating=rating,
                             oracle=oracle, findings_high=high, findings_medium=0, findings_low=0)


def test_history_groups_by_detail_with_hand_worked_means() -> None:
    rows = [row(1, detail=3, tokens=400, rating=4, high=1, oracle=50.0),
            row(2, detail=3, tokens=420, rating=2, high=2),
            row(3, detail=3, tokens=410, valid=False),
            row(4, detail=0, tokens=90, rating=5),
            row(5, detail=None, approach="rules", tokens=0, rating=3)]
    groups = {g.group: g for g in summarise_history(rows)}
    d3 = groups["detail 3"]
    assert (d3.n, d3.valid) == (3, 2)
    assert d3.mean_prompt_tokens == 410.0  # (400 + 420 + 410) / 3
    assert d3.mean_rating == 3.0 and d3.mean_oracle == 50.0
    assert d3.high_findings_per_plan == 1.5  # 3 high findings over 2 valid plans
    assert groups["rules"].mean_rating == 3.0 and groups["detail 0"].mean_prompt_tokens == 90.0
    assert [g.group for g in summarise_history(rows)] == ["rules", "detail 0", "detail 3"]  # by prompt tokens


@pytest.mark.parametrize("text, expected", [("0,1,2,3,4", [0, 1, 2, 3, 4]), ("3, 0,3", [0, 3]), ("4", [4])])
def test_levels_parse(text: str, expected: list[int]) -> None:
    assert parse_levels(text) == expected


@pytest.mark.parametrize("text", ["", "a", "0,5", "-1", "1.5"])
def test_bad_levels_are_refused(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_levels(text)


def test_experiment_records_every_level_and_history_reads_ratings(store, home) -> None:
    from peri.sim.generate import simulate

    simulate(store, "seed", seed=7, weeks=8, athlete_name="sam")
    seen = []
    r = run_prompt_experiment(store, "sam", "rules", levels=[0, 2], progress=lambda i, n, q: seen.append((i, n)))
    assert seen == [(1, 2), (2, 2)] and len(r.generations) == 2
    store.rate(r.generations[0].id, 4, "ok")
    h = prompt_history(store, "sam", r.experiment)
    assert [g.rating for g in h.generations] == [4, None]
    assert h.summary[0].group == "rules" and h.summary[0].n == 2 and h.summary[0].mean_rating == 4.0
    with pytest.raises(ConfigError):
        run_prompt_experiment(store, "sam", "rules", levels=[7])
