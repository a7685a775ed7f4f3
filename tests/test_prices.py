"""The price table: three separately dated rows per model (the corrected OpenAI figures), retired models
refused, the flat override form, and docs/prices.md agreeing with the data file row by row."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from peri.errors import ConfigError
from peri.prices import load_prices

DOCS = Path(__file__).resolve().parents[1] / "docs" / "prices.md"
TODAY = dt.date(2026, 12, 1)


def test_base_and_finetuned_rows_differ_by_two_for_openai(home: Path) -> None:
    t = load_prices()
    # shared/FACTS.md (corrected): gpt-4o-mini base 0.15/0.60, training 3.00, fine-tuned 0.30/1.20
    m = t.get("gpt-4o-mini")
    assert (m.base.input, m.base.output) == (0.15, 0.60)
    assert m.training.per_million == 3.00
    assert (m.finetuned.input, m.finetuned.output) == (0.30, 1.20)
    for name, p in t.models.items():
        if p.provider == "openai" and name != "gpt-3.5-turbo":  # legacy 3.5 fine-tunes are priced on their own
            assert p.finetuned.input == pytest.approx(2 * p.base.input), name
            assert p.finetuned.output == pytest.approx(2 * p.base.output), name
        # a fine-tune served only on dedicated hardware has no per-token row; every other row is dated and sourced
        rows = (p.base, p.training) + ((p.finetuned,) if p.serving == "serverless" else ())
        for row in rows:
            assert row is not None and dt.date.fromisoformat(row.date) and row.source, name


def test_a_call_is_priced_by_its_own_row(home: Path) -> None:
    t = load_prices()
    assert t.cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.15 + 0.60)
    assert t.cost("ft:gpt-4o-mini-2024-07-18:org::abc", 1_000_000, 1_000_000) == pytest.approx(0.30 + 1.20)
    assert t.cost("gpt-3.5-turbo", 1_000_000, 0) == pytest.approx(0.50)  # not its fine-tuning price


def test_retired_model_is_refused_with_its_date(home: Path) -> None:
    t = load_prices()
    with pytest.raises(ConfigError) as e:
        t.check_usable("gpt-3.5-turbo", TODAY)
    assert "retired on 2026-10-23" in str(e.value) and "gpt-4o-mini" in str(e.value)
    assert t.check_usable("gpt-3.5-turbo", dt.date(2026, 10, 22)).base.input == 0.50
    assert "gpt-4.1-nano" not in t.usable(TODAY) and "gpt-4o-mini" in t.usable(TODAY)


def test_flat_override_form_still_reads(home: Path) -> None:
    (home / "prices.yaml").write_text("models:\n  mine: {provider: other, input: 1, output: 2, training: 4, "
                                      "finetuned_input: 2, finetuned_output: 4, date: '2026-11-01', source: me}\n")
    m = load_prices().get("mine")
    assert (m.base.input, m.training.per_million, m.finetuned.output, m.base.date) == (1, 4, 4, "2026-11-01")


def _doc_rows() -> dict[tuple[str, str], tuple]:
    rows = {}
    for line in DOCS.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[1] in {"base", "training", "fine-tuned"}:
            num = [float(c) if c else None for c in cells[2:5]]
            rows[(cells[0], cells[1])] = (*num, cells[5], cells[6])
    return rows


def test_docs_table_matches_the_data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERI_HOME", str(tmp_path))  # shipped table only
    t = load_prices()
    expected = {}
    for name, m in t.models.items():
        expected[(name, "base")] = (m.base.input, m.base.output, None, m.base.date, m.base.source)
        if m.training:
            expected[(name, "training")] = (None, None, m.training.per_million, m.training.date, m.training.source)
        if m.finetuned:
            expected[(name, "fine-tuned")] = (m.finetuned.input, m.finetuned.output, None, m.finetuned.date, m.finetuned.source)
    assert _doc_rows() == expected
    retire = dict(re.findall(r"^\| (\S+) \| (\d{4}-\d\d-\d\d) \|", DOCS.read_text(), re.M))
    assert retire == {n: m.retires for n, m in t.models.items() if m.retires}


def test_training_estimate_refuses_a_retired_model(home: Path) -> None:
    from peri.tune.dataset import training_estimate

    msgs = [[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Day 1: squat 3x5"}]] * 20
    est = training_estimate(msgs, "gpt-4o-mini")
    # 20 examples x 3 epochs < 100 → OpenAI's rule raises epochs to ceil(100 / 20) = 5
    assert est.epochs == 5 and est.examples == 20
    assert est.usd == pytest.approx(round(est.billable_tokens * 5 * 3.00 / 1e6, 4))
    with pytest.raises(ConfigError, match="retired on 2026-10-23"):
        training_estimate(msgs, "gpt-4.1-nano")


def test_docs_file_is_the_generated_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from peri.tune.provider_table import render_prices_doc

    monkeypatch.setenv("PERI_HOME", str(tmp_path))  # shipped table only
    assert DOCS.read_text() == render_prices_doc(), "run scripts/gen_prices_doc.py"
    # the provider table names each provider's minimum, a dated training price and how a fine-tune is served
    text = DOCS.read_text()
    assert "| Fireworks AI | accounts/fireworks/models/llama-v3p1-8b-instruct | OpenAI-style chat JSONL | 3 | 0.50 (2026-12-01) | dedicated" in text
    assert "| OpenAI | gpt-4o-mini | chat JSONL | 10 | 3.00 (2026-02-01) | serverless" in text


def test_openai_tuning_availability_by_date(home: Path) -> None:
    t = load_prices()
    before = t.tuning("gpt-4o-mini", dt.date(2026, 5, 6))
    assert before.available and not before.condition
    restricted = t.tuning("gpt-4o-mini", dt.date(2026, 7, 2))  # the 60-day rule starts that day
    assert not restricted.available and "60 days" in restricted.reason
    assert t.tuning("gpt-4o-mini", dt.date(2026, 7, 2), prior_usage=True).available
    assert "never ran" in t.tuning("gpt-4o-mini", dt.date(2026, 6, 1)).reason
    closed = t.tuning("gpt-4o-mini", dt.date(2027, 1, 6), prior_usage=True)
    assert not closed.available and "since 2027-01-06" in closed.reason
    assert t.tuning("gpt-4o-mini", dt.date(2027, 1, 5), prior_usage=True).available
    after = [a.provider for a in t.tuning_options(dt.date(2027, 2, 1), prior_usage=True)]
    assert "openai" not in after and {"together", "fireworks"} <= set(after)
    assert [a.provider for a in t.tuning_options(dt.date(2027, 2, 1), serverless_only=True)] == ["together"]
    # what ends inside a 52-week horizon, seen from 2026-12-01
    ends = t.tuning("gpt-4o-mini", TODAY, prior_usage=True).ends_within(TODAY, 52)
    assert any("2027-01-06" in e for e in ends) and any("2027-01-14" in e for e in ends)


def test_user_override_of_availability(home: Path) -> None:
    (home / "prices.yaml").write_text(
        "providers:\n  together: {accepts_new_jobs_until: '2027-03-01', source: 'my note'}\n"
        "  openai: {finetuning_closes: '2026-12-15', source: 'old form'}\n")
    t = load_prices()
    assert t.tuning("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", dt.date(2027, 3, 1)).reason.startswith(
        "together accepts no new fine-tuning jobs since 2027-03-01")
    assert t.providers["openai"].accepts_new_jobs_until == "2026-12-15"  # the earlier key still works
    assert not t.tuning("gpt-4o-mini", dt.date(2026, 12, 15), prior_usage=True).available
