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
