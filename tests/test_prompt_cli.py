"""`peri prompt show`: the engineered prompt and its token table, as text and as JSON."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.cli.prompt_commands import prompt_app
from peri.log.catalog import default_catalog
from peri.log.models import Annotation, Scope
from peri.log.stats import weekly_stats

# tests/ is on sys.path (rootdir-relative test modules): reuse the seed athlete of the builder tests
from test_prompt_builder import FIRST_MONDAY, INJECTION, seed_athlete


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_show_prints_prompt_and_token_table(store, runner):
    ctx = seed_athlete(store)
    w = weekly_stats(ctx.sessions, default_catalog())[-1]
    r = runner.invoke(app, ["prompt", "show", "--athlete", "sam", "--detail", "3"])
    assert r.exit_code == 0, r.output
    assert "have lower back sensitivity" in r.output
    assert f"{w.hard_sets} hard sets" in r.output
    assert "tokens by section" in r.output and "embedded" in r.output
    for name in ("system", "profile", "last_week", "notes", "request", "format", "whole request"):
        assert name in r.output


def test_show_json_is_the_built_prompt(store, runner):
    seed_athlete(store)
    r = runner.invoke(app, ["prompt", "show", "-a", "sam", "-d", "4", "--model", "openai:gpt-4o-mini", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["detail"] == 4 and out["scenario"] == "normal" and out["exact"] is True
    assert "o200k_base" in out["tokenizer"]
    assert [m["role"] for m in out["messages"]] == ["system", "user"]
    assert out["context_tokens"] == sum(s["tokens"] for s in out["sections"] if s["kind"] == "context")
    assert out["over_budget"] is False


def test_show_over_budget_warns_and_lists_what_was_left_out(store, runner):
    seed_athlete(store)
    r = runner.invoke(app, ["prompt", "show", "-a", "sam", "-d", "4", "--budget", "200"])
    assert r.exit_code == 0, r.output
    assert "warning:" in r.output and "over the 200-token budget" in r.output
    assert "left out: week of" in r.output
    r = runner.invoke(app, ["prompt", "show", "-a", "sam", "-d", "4", "--budget", "200", "--json"])
    out = json.loads(r.output)
    assert out["over_budget"] and out["dropped"] and out["context_tokens"] <= 200


def test_show_scenarios_and_anthropic_estimate(store, runner):
    seed_athlete(store)
    r = runner.invoke(app, ["prompt", "show", "-a", "sam", "-s", "travel", "-e", "dumbbell,bands", "-e", "bench",
                            "--model", "anthropic:claude-sonnet-4-5"])
    assert r.exit_code == 0, r.output
    assert "dumbbell, bands, bench" in r.output and "not exact" in r.output
    r = runner.invoke(app, ["prompt", "show", "-a", "sam", "-s", "peaking", "--event-date", "2026-04-04", "--json"])
    assert "2026-04-04" in json.loads(r.output)["messages"][1]["content"]


def test_show_short_prompt(store, runner):
    seed_athlete(store)
    r = runner.invoke(app, ["prompt", "show", "-a", "sam", "--short", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["messages"][1]["content"].startswith("38y intermediate, 4x/wk upper/lower")
    assert out["total_tokens"] <= 82 and out["exact"] is True


def test_note_markup_is_printed_verbatim(store, runner):
    note = Annotation(scope=Scope.session, date=FIRST_MONDAY + dt.timedelta(days=22),
                      text="[bold red]knee[/] pain on lunges " + INJECTION, tags=["pain"], regions=["knee"])
    seed_athlete(store, extra_notes=[note])
    r = runner.invoke(app, ["prompt", "show", "-a", "sam", "-d", "3"])
    assert r.exit_code == 0, r.output
    assert "[bold red]knee[/] pain" in r.output


def test_user_mistakes_are_one_line_errors(store, runner):
    seed_athlete(store)
    for args, message in [
        (["-a", "nobody"], "no athlete named"),
        (["-a", "sam", "--model", "llama:7b"], "unknown model spec"),
        (["-a", "sam", "--event-date", "soon"], "not a date"),
        (["-a", "sam", "--format", "yaml"], "unknown output format"),
    ]:
        r = runner.invoke(app, ["prompt", "show", *args])
        assert r.exit_code == 1, (args, r.output)
        assert message in r.output and "Traceback" not in r.output


def test_prompt_app_is_shared_by_name():
    names = {c.name for c in prompt_app.registered_commands}
    assert "show" in names
