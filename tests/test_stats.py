"""Weekly stats: numbers checked by hand on a small built log, e1RM formulas, the plot, the CLI."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.log.catalog import default_catalog
from peri.log.models import Athlete, Session, SetType, WorkoutSet
from peri.log.stats import (
    e1rm_brzycki,
    e1rm_epley,
    e1rm_rpe,
    is_hard_set,
    stats_plot,
    top_lifts,
    weekly_stats,
)

BENCH = "Barbell_Bench_Press_-_Medium_Grip"


def kg(ex: str, w: float | None, r: int | None, **kw) -> WorkoutSet:
    return WorkoutSet(exercise=ex, weight=w, unit="kg" if w is not None else None, weight_kg=w, reps=r, **kw)


def small_log() -> list[Session]:
    """Week of 2024-01-01: two sessions; 2024-01-08: nothing; 2024-01-15: one session."""
    a = Session(started_at=dt.datetime(2024, 1, 1, 18), sets=[
        kg("Bench Press (Barbell)", 40, 10, exercise_id=BENCH, set_type=SetType.warmup),
        kg("Bench Press (Barbell)", 100, 5, exercise_id=BENCH, rpe=8, order=2),
        kg("Bench Press (Barbell)", 100, 5, exercise_id=BENCH, order=3),
        kg("Barbell Curl", 30, 10, rpe=5),  # too easy to be a hard set; mapped by name
        kg("Barbell Curl", 30, 8, rir=2, order=2),
    ])
    b = Session(started_at=dt.datetime(2024, 1, 3, 7), sets=[
        kg("Squat (Barbell)", 140, 3),
        kg("Plank", None, None, seconds=60),
    ])
    c = Session(started_at=dt.datetime(2024, 1, 17, 7), sets=[
        kg("Squat (Barbell)", 150, 2), kg("Squat (Barbell)", 150, 2, order=2),
    ])
    return [a, b, c]


def test_e1rm_formulas() -> None:
    assert e1rm_epley(100, 5) == pytest.approx(116.667, abs=1e-3)
    assert e1rm_brzycki(100, 5) == pytest.approx(112.5)
    assert e1rm_epley(100, 1) == 100 and e1rm_brzycki(100, 1) == pytest.approx(100)
    assert e1rm_epley(100, 10) == pytest.approx(e1rm_brzycki(100, 10), abs=0.01)  # the two agree near 10
    for bad in [(100, 13), (100, 0), (0, 5), (-5, 5), (100, 36)]:
        assert e1rm_epley(*bad) is None and e1rm_brzycki(*bad) is None
    assert e1rm_rpe(100, 1, 10) == pytest.approx(100)
    assert e1rm_rpe(100, 5, 8) == pytest.approx(100 / 0.811)  # 5 reps + 2 in reserve = 7RM = 81.1 %
    assert e1rm_rpe(100, 3, 9.5) == pytest.approx(100 / 0.907)
    assert e1rm_rpe(100, 5, 5) is None and e1rm_rpe(100, 13, 9) is None


def test_hard_set_definition() -> None:
    assert is_hard_set(kg("x", 100, 5))
    assert is_hard_set(kg("x", 100, 5, rpe=6))
    assert not is_hard_set(kg("x", 100, 5, rpe=5.5))
    assert is_hard_set(kg("x", 100, 5, rir=4))
    assert not is_hard_set(kg("x", 100, 5, rir=5))
    assert not is_hard_set(kg("x", 100, 5, set_type=SetType.warmup))
    assert is_hard_set(kg("x", 60, 12, set_type=SetType.drop))
    assert not is_hard_set(kg("x", None, None, seconds=60))


def test_weekly_numbers_by_hand() -> None:
    weeks = weekly_stats(small_log(), default_catalog())
    assert [w.week_start for w in weeks] == [dt.date(2024, 1, 1), dt.date(2024, 1, 8), dt.date(2024, 1, 15)]
    w1, w2, w3 = weeks
    assert (w1.sessions, w1.sets, w1.hard_sets, w1.reps) == (2, 7, 4, 31)
    assert w1.tonnage_kg == pytest.approx(1000 + 540 + 420)
    assert w1.avg_rpe == pytest.approx(7.0)  # 8, 5 and 10-2 over working sets
    assert w1.sets_per_muscle == {
        "chest": 2, "quadriceps": 1, "shoulders": 1, "triceps": 1, "biceps": 1,  # curl: isolation, no forearms
        "calves": 0.5, "glutes": 0.5, "hamstrings": 0.5, "lower back": 0.5,
    }
    assert w1.e1rm == {
        "Squat (Barbell)": pytest.approx(151.1, abs=0.05),  # mean(154.0, 148.24)
        "Bench Press (Barbell)": pytest.approx(123.3, abs=0.05),  # RPE 8 set beats the unlabelled 114.6
        "Barbell Curl": pytest.approx(40.6, abs=0.05),  # RIR 2 set: 30 / 0.739
    }
    assert all(v is None for v in w1.change.values())
    assert (w2.sessions, w2.sets, w2.hard_sets, w2.tonnage_kg, w2.avg_rpe, w2.e1rm) == (0, 0, 0, 0, None, {})
    assert w2.change == {"sessions": -1.0, "hard_sets": -1.0, "reps": -1.0, "tonnage_kg": -1.0}
    assert (w3.sessions, w3.hard_sets, w3.reps, w3.tonnage_kg) == (1, 2, 4, 600)
    assert w3.e1rm["Squat (Barbell)"] == pytest.approx(157.1, abs=0.05)
    assert w3.change["sessions"] is None  # the week before was empty


def test_weeks_keeps_the_last_n_with_their_change() -> None:
    last2 = weekly_stats(small_log(), default_catalog(), weeks=2)
    assert [w.week_start for w in last2] == [dt.date(2024, 1, 8), dt.date(2024, 1, 15)]
    assert last2[0].change["hard_sets"] == -1.0
    assert weekly_stats([], default_catalog()) == []


def test_change_is_a_fraction() -> None:
    log = small_log()
    log[2] = log[2].model_copy(update={"started_at": dt.datetime(2024, 1, 10, 7)})
    w1, w2 = weekly_stats(log, default_catalog())
    assert w2.change["sessions"] == pytest.approx(-0.5)
    assert w2.change["hard_sets"] == pytest.approx(-0.5)
    assert w2.change["tonnage_kg"] == pytest.approx(600 / 1960 - 1, abs=1e-4)


def test_assisted_lifts_add_no_tonnage() -> None:
    s = Session(started_at=dt.datetime(2024, 1, 1), sets=[kg("Pull Up (Assisted)", 30, 8)])
    (w,) = weekly_stats([s], default_catalog())
    assert w.hard_sets == 1 and w.tonnage_kg == 0 and w.e1rm == {}


def test_plot_is_written(tmp_path: Path) -> None:
    weeks = weekly_stats(small_log(), default_catalog())
    assert top_lifts(weeks)[0] == "Squat (Barbell)"
    out = stats_plot(weeks, tmp_path / "sub" / "trend.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


runner = CliRunner()


def test_cli_stats(store, home: Path, tmp_path: Path) -> None:
    a = store.add_athlete(Athlete(name="kim"))
    store.add_sessions(a.id, small_log())
    r = runner.invoke(app, ["stats", "--athlete", "kim", "--json"])
    assert r.exit_code == 0, r.output
    weeks = json.loads(r.stdout)
    assert [w["week_start"] for w in weeks] == ["2024-01-01", "2024-01-08", "2024-01-15"]
    assert weeks[0]["hard_sets"] == 4 and weeks[0]["tonnage_kg"] == 1960
    r = runner.invoke(app, ["stats", "--athlete", "kim", "--weeks", "1", "--json"])
    assert [w["week_start"] for w in json.loads(r.stdout)] == ["2024-01-15"]
    png = tmp_path / "kim.png"
    r = runner.invoke(app, ["stats", "--athlete", "kim", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert "2024-01-15" in r.stdout and "-100%" in r.stdout and png.stat().st_size > 10_000
    r = runner.invoke(app, ["stats", "--athlete", "nobody"])
    assert r.exit_code == 1 and "nobody" in r.output and "Traceback" not in r.output
