"""`--moderate-stress keep|demote|block` on `peri plan` and `peri eval`: the flag reaches the library
(`PlanRequest.moderate_stress`, `EvalConfig.moderate_stress`), demote by default, and a non-default
choice keys the evaluation's cached records apart."""
from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.errors import ConfigError

runner = CliRunner()


class Stop(ConfigError):
    """Raised by the stand-ins once they have seen what the command passed (the CLI prints one line)."""


@pytest.mark.parametrize("args, expected", [([], "demote"), (["--moderate-stress", "block"], "block"),
                                            (["--moderate-stress", "keep"], "keep")])
def test_plan_passes_the_flag_to_the_library(home, monkeypatch, args, expected):
    import peri.generate

    seen = {}

    def fake_generate_plan(store, athlete, model, **fields):
        seen.update(fields)
        raise Stop("seen")

    monkeypatch.setattr(peri.generate, "generate_plan", fake_generate_plan)
    r = runner.invoke(app, ["plan", "-a", "x", "-m", "embedded", *args])
    assert r.exit_code == 1 and "seen" in r.output
    assert seen["moderate_stress"] == expected
    # and the library's request takes it as it came
    assert peri.generate.PlanRequest.of("x", "embedded", moderate_stress=seen["moderate_stress"]).moderate_stress == expected


def test_a_choice_outside_the_three_is_refused_before_any_work(home):
    r = runner.invoke(app, ["plan", "-a", "x", "--moderate-stress", "sometimes"])
    assert r.exit_code == 2 and "sometimes" in r.output


@pytest.mark.parametrize("args, expected", [([], "demote"), (["--moderate-stress", "block"], "block")])
def test_eval_passes_the_flag_to_the_harness(home, monkeypatch, args, expected):
    import peri.evaluate.harness as harness

    seen = {}

    def fake_run_eval(store, cfg, progress=None):
        seen["cfg"] = cfg
        raise Stop("seen")

    monkeypatch.setattr(harness, "run_eval", fake_run_eval)
    r = runner.invoke(app, ["eval", "-a", "x", "--approaches", "prompt-d0", *args])
    assert r.exit_code == 1 and "seen" in r.output
    assert seen["cfg"].moderate_stress == expected


def test_only_a_non_default_choice_keys_the_records_apart(home):
    """The evaluation's record key: demote keeps the key a record had before the choice existed (cached
    records stay valid); keep and block each get their own."""
    import peri.evaluate.harness as harness

    a = harness.Approach(name="prompt-d0", model="embedded", detail=0)

    def key(recipe: str) -> str:
        return harness.record_key(a, "fp", dt.date(2026, 1, 5), "normal", 0, recipe)

    before = harness.generation_recipe()
    keys = {c: key(harness.generation_recipe(moderate_stress=c)) for c in ("demote", "keep", "block")}
    assert keys["demote"] == key(before) and len(set(keys.values())) == 3
