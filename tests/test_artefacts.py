"""peri.artefacts: every file peri reads back is read by one typed loader, and a damaged, foreign or older file
is one readable error naming the file, for every module that reads it — never a traceback, never a silent 0."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Callable

import httpx2
import pytest
from typer.testing import CliRunner

from peri.artefacts import (
    ArtefactError, BuildInfo, EvalSummary, build_info_path, dataset_dir, load_build_info, load_eval_summary, read_model,
)
from peri.log.catalog import default_catalog
from peri.log.context import load_context
from peri.log.store import Store
from peri.tune.dataset import build_dataset, write_dataset

from test_dataset import seed_store


@pytest.fixture(scope="module")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a build.json written by the real writer (built once for the module)."""
    home = tmp_path_factory.mktemp("home")
    s = Store(home / "peri.db")
    try:
        name = seed_store(s)
        files = write_dataset(build_dataset(load_context(s, name), default_catalog()), home / "ds")
        return files.build_json.read_bytes()
    finally:
        s.close()


def _without(data: bytes, key: str) -> str:
    d = json.loads(data)
    d.pop(key)
    return json.dumps(d)


def _retyped(data: bytes) -> str:
    d = json.loads(data)
    d["report"]["examples"] = "many"
    return json.dumps(d)


# (label, damage(real bytes) -> text written, words the message must hold)
DAMAGES: list[tuple[str, Callable[[bytes], str | bytes], str]] = [
    ("truncated", lambda b: b[: len(b) // 2], "cut short"),
    ("empty", lambda b: "", "empty"),
    ("not-json", lambda b: "<html>502 Bad Gateway</html>", "not JSON"),
    ("binary", lambda b: b"\xff\xfe\x00garbage", "not UTF-8"),
    ("a-list", lambda b: "[1, 2, 3]", "not an object"),
    ("foreign", lambda b: json.dumps({"name": "left-pad", "version": "1.3.0"}), "has no 'format'"),
    ("older", lambda b: _without(b, "examples"), "has no 'examples'"),
    ("mistyped", _retyped, "bad 'report.examples'"),
]


def _damage(path: Path, real: bytes, damage: Callable[[bytes], str | bytes]) -> None:
    out = damage(real)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out if isinstance(out, bytes) else out.encode())


def test_a_real_build_loads_typed(real_build: bytes, tmp_path: Path) -> None:
    p = tmp_path / "build.json"
    p.write_bytes(real_build)
    info = read_model(p, BuildInfo, what="dataset build", remake="x")
    raw = json.loads(real_build)
    assert info.athlete == "Ana Lopez" and info.dataset_hash == raw["dataset_hash"]
    assert info.report.examples == len(raw["examples"]) == info.report.train + info.report.val
    train_weeks = [dt.date.fromisoformat(e["week_start"]) for e in raw["examples"] if e["split"] == "train"]
    assert info.train_cutoff() == max(train_weeks)


@pytest.mark.parametrize("label,damage,words", DAMAGES, ids=[d[0] for d in DAMAGES])
def test_the_loader_names_the_file_and_the_fault(real_build: bytes, tmp_path: Path, label, damage, words) -> None:
    p = tmp_path / "build.json"
    _damage(p, real_build, damage)
    with pytest.raises(ArtefactError) as e:
        read_model(p, BuildInfo, what="dataset build", remake="`peri dataset build`")
    msg = str(e.value)
    assert str(p) in msg and "dataset build" in msg and words in msg and "peri dataset build" in msg
    assert "\n" not in msg  # one line


# --- every reader of build.json -----------------------------------------------------------------------------
def _training_cutoff(store: Store, name: str, home: Path) -> None:
    from peri.evaluate.harness import training_cutoff

    training_cutoff(name, home)


def _export(store: Store, name: str, home: Path) -> None:
    from peri.tune.export import export_openai

    d = dataset_dir(name, home)
    (d / "train.jsonl").write_text(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                                            {"role": "assistant", "content": "ok"}]}) + "\n")
    export_openai(d, home / "out")


def _hosted(store: Store, name: str, home: Path) -> None:
    from peri.tune.hosted import start_job

    sent: list = []

    def refuse(request):  # nothing may leave the machine before the build is read
        sent.append(request)
        return httpx2.Response(500)

    d = dataset_dir(name, home)
    (d / "train.jsonl").write_text(json.dumps({"messages": [{"role": "user", "content": "hi"},
                                                            {"role": "assistant", "content": "ok"}]}) + "\n")
    try:
        start_job(lambda: store, "openai", name, consent=True, follow=False, home=home,
                  env={"OPENAI_API_KEY": "sk-test-0000000000000000"},
                  http_client=httpx2.Client(transport=httpx2.MockTransport(refuse)), sleep=lambda s: None)
    finally:
        assert sent == []


def _cost_inputs(store: Store, name: str, home: Path) -> None:
    from peri.decide.gather import example_tokens

    example_tokens(name, home)


def _situation(store: Store, name: str, home: Path) -> None:
    from peri.decide.gather import situation_from_store

    situation_from_store(store, name, home)


def _graduation(store: Store, name: str, home: Path) -> None:
    from peri.decide.graduation import graduation_estimate
    from peri.evaluate.learning import CurvePoint, LearningCurve, write_curve

    write_curve(LearningCurve(athlete=name, references={"prompt-d3": 55.0}, points=[
        CurvePoint(examples=n, model=f"ft:{name}-n{n}", score_mean=m, score_ci=4.0, valid_rate=1.0,
                   val_loss_before=None, val_loss_after=None, train_seconds=0.0)
        for n, m in ((25, 40.0), (50, 45.0), (100, 50.0))]), home)
    graduation_estimate(store, name, home=home)


def _guide(store: Store, name: str, home: Path) -> None:
    from peri.guide.peri import Peri

    ans = Peri(store, name, home=home).ask("how many examples do I need to fine-tune?")
    assert ans.intent == "example_count"  # the question reached the part that reads the build


READERS = [("evaluate.training_cutoff", _training_cutoff), ("tune.export", _export), ("tune.hosted", _hosted),
           ("decide.example_tokens", _cost_inputs), ("decide.situation", _situation),
           ("decide.graduation", _graduation), ("guide.peri", _guide)]
SOME_DAMAGES = [d for d in DAMAGES if d[0] in ("truncated", "foreign", "older")]


@pytest.mark.parametrize("reader", [r[1] for r in READERS], ids=[r[0] for r in READERS])
@pytest.mark.parametrize("label,damage,words", SOME_DAMAGES, ids=[d[0] for d in SOME_DAMAGES])
def test_every_reader_of_a_damaged_build_names_it(store: Store, home: Path, real_build: bytes, reader,
                                                  label, damage, words) -> None:
    name = seed_store(store)
    path = build_info_path(name, home)
    _damage(path, real_build, damage)
    with pytest.raises(ArtefactError) as e:
        reader(store, name, home)
    assert str(path) in str(e.value) and words in str(e.value)


def test_the_cli_prints_one_line_for_a_damaged_build(store: Store, home: Path, real_build: bytes) -> None:
    from peri.cli.app import app

    name = seed_store(store)
    path = build_info_path(name, home)
    _damage(path, real_build, SOME_DAMAGES[0][1])
    r = CliRunner().invoke(app, ["decide", "--athlete", name])
    assert r.exit_code != 0 and "Traceback" not in r.output
    text = " ".join(r.output.split())  # Rich may wrap a long path
    assert "cut short" in text and "build.json" in text


def test_a_damaged_legacy_build_is_not_claimed(home: Path) -> None:
    legacy = home / "datasets" / "Ana_Lopez"
    legacy.mkdir(parents=True)
    (legacy / "build.json").write_text('{"config": {"athl')
    assert dataset_dir("Ana Lopez") != legacy
    assert load_build_info("Ana Lopez") is None  # nothing built under the new name either


# --- the evaluation summary ---------------------------------------------------------------------------------
def test_the_summary_round_trips_and_a_damaged_one_is_named(store: Store, home: Path) -> None:
    from peri.artefacts import ApproachSummary, eval_summary_path
    from peri.decide.run import run_decision

    name = seed_store(store)
    p = eval_summary_path(name, home)
    p.parent.mkdir(parents=True, exist_ok=True)
    row = ApproachSummary(approach="prompt-d3", model="embedded", n=4, valid_rate=1.0, score_mean=61.5,
                          prompt_tokens_mean=1800.0, output_tokens_mean=350.0, latency_mean=40.0)
    p.write_text(EvalSummary(athlete=name, approaches={"prompt-d3": row}).model_dump_json())
    assert load_eval_summary(name, home).approaches["prompt-d3"].score_mean == 61.5
    p.write_text(json.dumps({"athlete": name, "approaches": {"prompt-d3": {"approach": "prompt-d3"}}}))
    with pytest.raises(ArtefactError) as e:
        run_decision({}, name, store)
    assert str(p) in str(e.value) and "evaluation summary" in str(e.value) and "approaches.prompt-d3" in str(e.value)
    assert "peri eval --athlete" in str(e.value)


def test_a_damaged_evaluation_record_names_its_file(home: Path) -> None:
    from peri.evaluate.harness import load_records, records_dir

    f = records_dir("eve", home) / "abc.json"
    f.write_text('{"key": "abc", "appro')
    with pytest.raises(ArtefactError) as e:
        load_records("eve", home)
    assert str(f) in str(e.value) and "evaluation record" in str(e.value) and "delete this file" in str(e.value)


@pytest.mark.parametrize("text,cut", [
    ('{"a": 1', True), ('{"a": tr', True), ('{"a": "Ana Lo', True), ('{"a": [1, 2', True), ('{"a": 1,', True),
    ('{"a": 1} x', False), ("<html>502 Bad Gateway</html>", False), ("{'a': 1}", False), ('{"a": 1}{"b"', False),
])
def test_cut_short_is_told_from_not_json(tmp_path: Path, text: str, cut: bool) -> None:
    p = tmp_path / "summary.json"
    p.write_text(text)
    with pytest.raises(ArtefactError) as e:
        read_model(p, EvalSummary, what="evaluation summary", remake="x")
    assert ("cut short" in str(e.value)) == cut and ("not JSON" in str(e.value)) == (not cut)
