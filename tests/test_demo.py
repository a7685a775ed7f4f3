"""peri.demo: the journey's configuration is checked before any work; the simulator is injected, never imported."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.demo import DemoConfig, run_demo, step_titles
from peri.errors import ConfigError


@pytest.mark.parametrize("cfg, msg", [
    (DemoConfig(import_fmt="strong"), "go together"),
    (DemoConfig(file=Path("x.csv")), "go together"),
    (DemoConfig(file=Path("x.csv"), import_fmt="xlsx"), "auto, strong, hevy, fitnotes or csv"),
])
def test_bad_configs_are_refused_before_any_work(store, tmp_path, cfg, msg) -> None:
    with pytest.raises(ConfigError, match=msg):
        run_demo(store, cfg.model_copy(update={"report": tmp_path / "r"}), simulate=lambda *a: pytest.fail("ran"))
    assert store.list_athletes() == []


def test_the_athletes_name_defaults_to_the_files() -> None:
    assert DemoConfig(file=Path("/x/my-log.csv"), import_fmt="hevy").checked().athlete == "my-log"
    assert DemoConfig().checked().athlete == "demo-seed"
    assert DemoConfig(athlete="kim").checked().athlete == "kim"


def test_without_an_export_the_simulator_is_required(store, tmp_path) -> None:
    with pytest.raises(ConfigError, match="simulator"):
        run_demo(store, DemoConfig(report=tmp_path / "r"))


def test_own_export_steps_name_the_compared_detail() -> None:
    assert "detail 3," in step_titles(True)[5] and "detail 0-4" in step_titles(False)[5]
    assert len(step_titles(True)) == len(step_titles(False)) == 7


@pytest.mark.parametrize("total, shown", [
    (16, [1, 2, 4, 6, 8, 10, 12, 14, 16]),       # every ceil(16 / 10) = 2 steps, the first and last
    (5, [1, 2, 3, 4, 5]),                         # a short run shows every step
    (100, [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
    (101, [1, 11, 22, 33, 44, 55, 66, 77, 88, 99, 101]),
])
def test_the_fine_tune_shows_about_ten_steps_whatever_its_length(total: int, shown: list[int], capsys) -> None:
    from peri.cli.demo_command import _show
    from peri.demo import DemoEvent, DemoResult
    from peri.tune.train import TrainProgress

    for step in range(1, total + 1):
        p = TrainProgress(phase="train", step=step, total_steps=total, epoch=0, loss=1.5, tokens_per_s=200.0)
        _show(DemoEvent(kind="train", step=5, title="t", elapsed_s=0.0, result=DemoResult.model_construct(), train=p))
    _show(DemoEvent(kind="train", step=5, title="t", elapsed_s=0.0, result=DemoResult.model_construct(),
                    train=TrainProgress(phase="validate", step=total, total_steps=total, epoch=0, val_loss=1.0)))
    out = capsys.readouterr().out
    assert [int(line.split()[1].split("/")[0]) for line in out.splitlines()] == shown
    assert f"step 1/{total} loss 1.500 200 tok/s" in out
