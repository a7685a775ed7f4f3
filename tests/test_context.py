"""Readers of the log survive impossible dates already in a store: left out with a warning, never a crash."""
from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.log.context import load_context, plausible_sessions, plausible_window
from peri.log.models import Annotation, Scope, Session, WorkoutSet
from peri.log.store import Store
from tests.test_generate import seed_athlete

BAD_DAYS = [dt.datetime(1, 1, 1, 9), dt.datetime(9999, 12, 31, 9), dt.datetime(2099, 6, 1, 9)]


def _bad_session(when: dt.datetime) -> Session:
    return Session(started_at=when, name="odd", source="csv",
                   sets=[WorkoutSet(exercise="Barbell Squat", order=1, weight=100, unit="kg", weight_kg=100, reps=5)])


@pytest.fixture
def poisoned(home):
    from peri.log.store import store_target

    with Store(store_target()) as s:  # the database the CLI opens (PERI_TEST_STORE=postgres: PostgreSQL)
        a = seed_athlete(s, "ana")
        notes = [Annotation(scope=Scope.session, date=d.date(), text="knee hurts", tags=["pain"], regions=["knee"])
                 for d in BAD_DAYS]
        s.add_sessions(a.id, [_bad_session(d) for d in BAD_DAYS], notes)  # as an old importer would have stored them
    return home


def test_window_and_split():
    first, last = plausible_window(dt.date(2026, 1, 1))
    assert first == dt.date(1970, 1, 1) and last == dt.date(2027, 1, 2)
    kept, warnings = plausible_sessions([_bad_session(d) for d in BAD_DAYS] + [_bad_session(dt.datetime(2025, 1, 6))])
    assert [s.day for s in kept] == [dt.date(2025, 1, 6)]
    assert len(warnings) == 1 and "3 session(s)" in warnings[0] and "0001-01-01" in warnings[0]


def test_context_leaves_impossible_dates_out(poisoned):
    from peri.log.store import store_target

    with Store(store_target()) as s:
        ctx = load_context(s, "ana")
    assert ctx.as_of.year == 2026 and all(1970 <= x.day.year <= 2027 for x in ctx.sessions)
    assert all(1970 <= a.date.year for a in ctx.annotations)
    assert ctx.warnings and "impossible date" in ctx.warnings[0]


@pytest.mark.parametrize("args", [
    ["stats", "--athlete", "ana"],
    ["stats", "--athlete", "ana", "--json"],
    ["prompt", "show", "--athlete", "ana", "--model", "rules"],
    ["plan", "--athlete", "ana", "--model", "rules"],
    ["dataset", "build", "--athlete", "ana"],
])
def test_commands_survive_a_poisoned_store(poisoned, args):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0 or (r.exit_code == 1 and args[0] == "dataset"), r.output
    assert "Traceback" not in r.output and (r.exception is None or isinstance(r.exception, SystemExit)), r.output
    assert "2099" not in r.stdout  # the plan is not aimed at the far future


def test_stats_weeks_span_only_the_real_log(poisoned):
    import json

    r = CliRunner().invoke(app, ["stats", "--athlete", "ana", "--json"])
    assert r.exit_code == 0, r.output
    weeks = json.loads(r.stdout)
    assert 1 <= len(weeks) <= 4  # three logged weeks, not 100,000
    assert "impossible date" in r.stderr


@pytest.mark.parametrize("as_of", [dt.date(1, 1, 1), dt.date(1969, 12, 29), dt.date(9999, 12, 27)])
def test_a_planning_date_outside_the_window_is_refused_by_name(poisoned, as_of):
    """`--as-of 0001-01-01` once overflowed the profile's look-back window: the date itself is refused."""
    from peri.errors import ConfigError

    with Store(poisoned / "peri.db") as s, pytest.raises(ConfigError, match="outside the dates") as e:
        load_context(s, "ana", as_of=as_of)
    assert e.value.place == "--as-of"
    result = CliRunner().invoke(app, ["prompt", "show", "--athlete", "ana", "--as-of", as_of.isoformat()])
    assert result.exit_code != 0 and "Traceback" not in result.output and "outside the dates" in result.output
