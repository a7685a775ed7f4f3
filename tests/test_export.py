"""Export: OpenAI JSONL and a Hugging Face dataset on disk; redaction of names, dates and notes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from peri.errors import PeriError
from peri.plans.text import parse_plan_text
from peri.tune.export import export_hf, export_openai, redact_text
from peri.tune.validate import check_file

PLAN = ("WEEK deload 2026-03-02\nDAY Upper A\n"
        "Barbell Bench Press - Medium Grip: 3x8-10 @80kg RPE8 rest90 | Ana said elbows hurt on 2026-02-24\n"
        "Seated Cable Rows: 3x10-12 @60% RIR2\n")


def make_dataset(d: Path, athlete: str = "Ana Lopez", n_train: int = 12, n_val: int = 3) -> Path:
    d.mkdir(parents=True, exist_ok=True)

    def row(i: int) -> str:
        return json.dumps({"messages": [
            {"role": "system", "content": "You are a strength coach. Answer in the plan text form."},
            {"role": "user", "content": f"38y intermediate, 4x/wk upper/lower. Last wk ({i}): 4 sessions. "
                                        f"Notes from Ana Lopez on 3 Mar 2026: \"back felt tight\". Plan next week."},
            {"role": "assistant", "content": PLAN},
        ]})

    (d / "train.jsonl").write_text("".join(row(i) + "\n" for i in range(n_train)))
    (d / "val.jsonl").write_text("".join(row(100 + i) + "\n" for i in range(n_val)))
    (d / "build.json").write_text(json.dumps({"format": "openai-chat-jsonl", "config": {"athlete": athlete}, "dataset_hash": "ab" * 32, "report": {"examples": 1, "train": 1, "val": 0, "weeks_logged": 2, "tokens": {"mean": 90.0, "total": 90}}, "examples": []}))
    return d


def test_redact_text_strips_names_dates_and_notes():
    text = ("Ana Lopez (ana lopez) trained 2026-03-02, 02/03/2026, 2.3.26, Mar 2, 2026, 2 March and March 2nd. "
            "Note: \"my knee hurt\" and <notes>shoulder tweak</notes>. Analysis stays.")
    out = redact_text(text, "Ana Lopez")
    for gone in ("Ana", "ana lopez", "Lopez", "2026", "02/03", "2.3.26", "March", "Mar 2", "knee hurt", "shoulder tweak"):
        assert not re.search(rf"\b{re.escape(gone)}\b", out), (gone, out)
    assert "Analysis stays" in out  # a word that merely starts with the name is kept
    assert out.count("[date]") == 6 and "the athlete" in out and "[note]" in out


def test_redacted_plan_still_parses_without_its_note_and_date():
    out = redact_text(PLAN, "Ana Lopez")
    plan = parse_plan_text(out)
    assert plan.week_of is None and plan.scenario.value == "deload"
    assert all(p.note is None for d in plan.days for p in d.exercises)
    assert plan.days[0].exercises[0].load_kg == 80 and plan.days[0].exercises[1].pct_e1rm == 60
    assert "elbows" not in out and "2026" not in out


def test_export_openai_round_trips_and_warns(tmp_path):
    src = make_dataset(tmp_path / "ds")
    res = export_openai(src, tmp_path / "out" / "coach.jsonl", redact=False)
    train, val = res.paths
    assert train.name == "coach.jsonl" and val.name == "coach.val.jsonl"
    assert train.read_text() == (src / "train.jsonl").read_text()  # unredacted: byte-identical
    assert check_file(train) == []
    assert any("health data" in w for w in res.warnings) and any("Not redacted" in w for w in res.warnings)


def test_export_openai_redacted(tmp_path):
    src = make_dataset(tmp_path / "ds")
    res = export_openai(src, tmp_path / "out", redact=True)
    assert [p.name for p in res.paths] == ["train.jsonl", "val.jsonl"]
    text = "".join(p.read_text() for p in res.paths)
    for gone in ("Ana", "Lopez", "2026", "back felt tight", "elbows hurt"):
        assert gone not in text
    assert check_file(res.paths[0]) == []
    assert any("health data" in w for w in res.warnings) and res.redacted


def test_export_hf_loads_back(tmp_path):
    from datasets import load_from_disk

    src = make_dataset(tmp_path / "ds")
    res = export_hf(src, tmp_path / "hf", redact=True)
    dd = load_from_disk(str(res.paths[0]))
    assert set(dd) == {"train", "validation"}
    assert (len(dd["train"]), len(dd["validation"])) == (12, 3)
    msgs = dd["train"][0]["messages"]
    assert [m["role"] for m in msgs] == ["system", "user", "assistant"]
    assert "Lopez" not in msgs[1]["content"] and msgs[2]["content"].startswith("WEEK deload\n")


@pytest.mark.slow
def test_hf_export_renders_through_the_base_models_chat_template(tmp_path):
    """The done-when check: load the embedded GGUF's tokenizer (no weights) and apply its chat template."""
    from datasets import load_from_disk
    from transformers import AutoTokenizer

    from peri.paths import embedded_model_path

    res = export_hf(make_dataset(tmp_path / "ds"), tmp_path / "hf")
    gguf = embedded_model_path()
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    for split in load_from_disk(str(res.paths[0])).values():
        for row in split:
            text = tok.apply_chat_template(row["messages"], tokenize=False)
            assert text.count("<|im_start|>") == 3 and text.rstrip().endswith("<|im_end|>")
            assert "<|im_start|>assistant\nWEEK deload" in text


def test_cli_export_openai_and_hf(home, tmp_path):
    import typer
    from typer.testing import CliRunner

    from peri.cli.tune_commands import register
    from peri.tune.dataset import dataset_dir

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    make_dataset(dataset_dir("Ana Lopez"))
    r = runner.invoke(app, ["dataset", "export", "--athlete", "Ana Lopez", "--format", "openai",
                            "--out", str(tmp_path / "o"), "--redact", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["redacted"] and res["examples"] == {"train": 12, "val": 3}
    assert "health data" in r.stderr
    assert "Lopez" not in (tmp_path / "o" / "train.jsonl").read_text()
    r = runner.invoke(app, ["dataset", "export", "--athlete", "Ana Lopez", "--format", "hf", "--out", str(tmp_path / "h")])
    assert r.exit_code == 0 and (tmp_path / "h" / "dataset_dict.json").exists()
    r = runner.invoke(app, ["dataset", "export", "--athlete", "Ana Lopez", "--format", "csv", "--out", str(tmp_path / "x")])
    assert r.exit_code == 1 and "unknown export format" in r.stderr
    r = runner.invoke(app, ["dataset", "export", "--athlete", "Nobody", "--format", "openai", "--out", str(tmp_path / "n")])
    assert r.exit_code == 1 and "peri dataset build" in r.stderr


def test_export_never_overwrites_without_force(tmp_path):
    src = make_dataset(tmp_path / "ds")
    out = tmp_path / "out" / "coach.jsonl"
    out.parent.mkdir()
    sibling = out.with_name("coach.val.jsonl")
    sibling.write_text("someone else's file\n")
    with pytest.raises(PeriError, match="already exists"):
        export_openai(src, out)
    assert sibling.read_text() == "someone else's file\n" and not out.exists()  # checked before anything is written
    res = export_openai(src, out, force=True)
    assert sorted(p.name for p in res.paths) == ["coach.jsonl", "coach.val.jsonl"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["coach.jsonl", "coach.val.jsonl"]
    hf = tmp_path / "hf"
    hf.mkdir()
    (hf / "mine.txt").write_text("x")
    with pytest.raises(PeriError, match="already exists"):
        export_hf(src, hf)
