"""A person's words never become a path outside PERI_HOME; outputs they name are checked before the work."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.errors import PeriError
from peri.paths import check_writable, home_subdir, inside, name_slug
from peri.tune.dataset import dataset_dir


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _plant_victim(d: Path) -> Path:
    step = d / "checkpoints" / "step-0000001"
    step.mkdir(parents=True)
    (step / "progress.json").write_text("{}")
    (d / "keep.txt").write_text("mine")
    return d


def _tree(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_slug_keeps_safe_names_and_separates_unsafe_ones():
    assert name_slug("alice") == "alice"
    assert name_slug("a_b") != name_slug("a/b")
    assert "/" not in name_slug("../../x") and not name_slug("../../x").startswith(".")
    long = name_slug("x" * 100_000)
    assert len(long) < 64
    assert long != name_slug("x" * 99_999)  # one prefix, two names: two folders
    assert name_slug("é") != name_slug("è")


def test_athlete_folders_never_collide_and_stay_home(home):
    assert dataset_dir("a/b") != dataset_dir("a_b")
    for name in ("../../x", "/etc/passwd", "..", ".", "x" * 100_000, "\x1b[31mred"):
        d = dataset_dir(name)
        assert d.parent == home / "datasets" and len(d.name) < 64


def test_inside_refuses_escapes(home, tmp_path):
    assert inside(home / "a" / "b", home) == (home / "a" / "b").resolve()
    with pytest.raises(PeriError):
        inside(home / ".." / "elsewhere", home)
    (home / "link").symlink_to(tmp_path)
    with pytest.raises(PeriError):
        inside(home / "link" / "x", home)  # a link out of PERI_HOME is followed by the check, then refused
    # a folder the person linked to another disk keeps working: the name still cannot leave it
    assert home_subdir("link", "../../x", home).parent == home / "link"


def _dataset(athlete: str) -> None:
    d = dataset_dir(athlete)
    d.mkdir(parents=True)
    line = json.dumps({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "WEEK 2025-01-06"}]})
    (d / "train.jsonl").write_text(line + "\n")


@pytest.mark.parametrize("kind", ["relative", "absolute", "athlete"])
def test_finetune_name_cannot_touch_outside_home(home, tmp_path, kind):
    victim = _plant_victim(tmp_path / "victim")
    before = _tree(victim)
    if kind == "relative":
        athlete, extra = "al", ["--name", "../../victim"]
    elif kind == "absolute":
        athlete, extra = "al", ["--name", str(victim)]
    else:
        athlete, extra = "../../victim", []  # the default name ATHLETE-lora
        victim = _plant_victim(tmp_path / "victim-lora")
        before = _tree(victim)
    _dataset(athlete)
    # a base that does not exist: the command must stop at it, having written nothing anywhere
    r = _run("finetune", "local", "--athlete", athlete, *extra, "--base", str(tmp_path / "missing.gguf"))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert _tree(victim) == before
    assert not (home / "adapters").exists() or not any((home / "adapters").rglob("train_config.yaml"))


def _adapter_dir(tmp_path: Path) -> Path:
    src = tmp_path / "adapter"
    src.mkdir()
    (src / "peri_adapter.json").write_text(json.dumps({"base_sha256": "0" * 64}))
    return src


def test_finetune_import_refuses_links_out_of_the_folder(home, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    src = _adapter_dir(tmp_path)
    (src / "adapter_model.safetensors").symlink_to(secret)
    r = _run("finetune", "import", str(src), "--name", "m1")
    assert r.exit_code == 1 and "outside the adapter folder" in r.output
    assert not any(p.read_bytes() == b"private" for p in home.rglob("*") if p.is_file())


def test_check_writable_fails_before_the_work(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(PeriError):
        check_writable(f / "report", flag="--report", folder=True)  # under a file
    with pytest.raises(PeriError):
        check_writable(f, flag="--report", folder=True)
    with pytest.raises(PeriError):
        check_writable(tmp_path, flag="--plot")  # a folder where a file goes
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if not os.access(ro, os.W_OK):  # root ignores permissions; the other cases above still hold
            with pytest.raises(PeriError):
                check_writable(ro / "out", flag="--report", folder=True)
    finally:
        ro.chmod(0o700)
    assert check_writable(tmp_path / "new" / "deeper", flag="--report", folder=True) == tmp_path / "new" / "deeper"


def test_eval_report_and_plot_into_bad_paths_fail_first(home, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = _run("eval", "--athlete", "nobody", "--report", str(f / "sub"))
    assert r.exit_code == 1 and "--report" in r.output and "Traceback" not in r.output
    r = _run("stats", "--athlete", "nobody", "--plot", str(f / "x.png"))
    assert r.exit_code == 1 and "--plot" in r.output


def test_eval_and_oracle_files_are_named_by_slug(home):
    from peri.decide.gather import eval_summary_path
    from peri.evaluate.harness import eval_dir
    from peri.sim.traits import traits_path

    for name in ("../../x", "/abs/x", "x" * 100_000):
        d = eval_dir(name)
        assert d.parent == home / "eval" and len(d.name) < 64
        assert eval_summary_path(name).parent == d
        assert traits_path(name).parent == home / "oracle" and len(traits_path(name).name) < 80
    assert eval_dir("eve") == home / "eval" / "eve"
