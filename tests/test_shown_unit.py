"""peri.log.shown_unit: a lifter who logs in pounds reads pounds in plans and stats; loads stay stored in kg.

Hand-worked conversions (1 lb = 0.45359237 kg): 102.058 kg = 225.0 lb; 100 kg = 220.46 lb (220 on a 2.5 lb step);
86.5 kg = 190.70 lb (190); 2 kg = 4.41 lb (4.5 on the 0.5 lb step under 10 lb); a tonnage of 1,000 kg = 2,204.6 lb.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.log.models import Athlete, Session, WorkoutSet
from peri.log.shown_unit import in_unit, shown_load, shown_unit, store_unit, unit_from_counts, unit_of_sessions
from peri.log.store import Store, store_target

FIX = Path(__file__).parent / "fixtures" / "imports"


def test_the_majority_unit_of_recent_sets_more_than_half_for_pounds() -> None:
    assert unit_from_counts({"lb": 3, "kg": 2}) == "lb"
    assert unit_from_counts({"lb": 2, "kg": 2}) == "kg"  # a tie is not "mostly pounds"
    assert unit_from_counts({"lb": 1}) == "lb"
    assert unit_from_counts({"kg": 1}) == "kg"  # no pounds at all
    assert unit_from_counts({}) == "kg"


def session(day: int, unit: str, n: int) -> Session:
    kg = 100.0 if unit == "kg" else 102.058
    return Session(started_at=dt.datetime(2026, 1, 1 + day, 18), name="A", sets=[
        WorkoutSet(exercise="Barbell Squat", weight=100 if unit == "kg" else 225, unit=unit, weight_kg=kg, reps=5)
        for _ in range(n)])


def test_the_recent_sets_decide_not_the_whole_history() -> None:
    # 5 old sets in kg, then 3 recent in lb: over the last 3 sets pounds, over all 8 kilograms
    log = [session(0, "kg", 5), session(3, "lb", 3)]
    assert unit_of_sessions(log, last=3) == "lb"
    assert unit_of_sessions(log, last=8) == "kg"
    # bodyweight sets (no weight) say nothing
    bodyweight = Session(started_at=dt.datetime(2026, 1, 9), sets=[WorkoutSet(exercise="Pullups", reps=8, unit="kg")] * 9)
    assert unit_of_sessions([*log, bodyweight], last=3) == "lb"
    assert unit_of_sessions([]) == "kg"


def one_set(hour: int, unit: str) -> Session:
    return Session(started_at=dt.datetime(2026, 2, 1, hour), sets=[
        WorkoutSet(exercise="Curl", weight=20, unit=unit, weight_kg=20 if unit == "kg" else 9.07, reps=10)])


def test_the_window_counts_each_set_once_and_exactly_last_sets() -> None:
    # newest first: lb, kg, kg. The last 1: lb; the last 2: a tie, kg; the last 3: kg
    log = [one_set(8, "kg"), one_set(9, "kg"), one_set(10, "lb")]
    assert [unit_of_sessions(log, last=n) for n in (1, 2, 3)] == ["lb", "kg", "kg"]
    # three pounds sets against one kg: pounds, by count (each set counted once, the unit of each its own)
    assert unit_of_sessions([one_set(7, "kg"), one_set(8, "lb"), one_set(9, "lb"), one_set(10, "lb")]) == "lb"


def test_the_default_window_is_300_sets() -> None:
    # newest 150 lb, then 150 kg (a tie over 300: kg), then pounds (the 301st would make it pounds)
    newest = Session(started_at=dt.datetime(2026, 3, 3), sets=one_set(1, "lb").sets * 150)
    middle = Session(started_at=dt.datetime(2026, 3, 2), sets=one_set(1, "kg").sets * 150)
    oldest = Session(started_at=dt.datetime(2026, 3, 1), sets=one_set(1, "lb").sets * 50)
    assert unit_of_sessions([oldest, middle, newest]) == "kg"
    assert unit_of_sessions([oldest, middle, newest], last=301) == "lb"


def test_a_stored_athletes_unit(home: Path) -> None:
    with Store(store_target()) as s:
        a = s.add_athlete(Athlete(name="ana"))
        s.add_sessions(a.id, [one_set(8, "kg"), one_set(9, "lb"), one_set(10, "lb")])
        assert s.logged_units(a.id) == {"kg": 1, "lb": 2}
        assert s.logged_units(a.id, last=1) == {"lb": 1}
        assert store_unit(s, "ana") == "lb"
        s.update_athlete(a.model_copy(update={"unit": "kg"}))
        assert store_unit(s, "ana") == "kg"
        b = s.add_athlete(Athlete(name="bo", unit="lb"))
        s.add_sessions(b.id, [one_set(8, "kg")])
        assert store_unit(s, "bo") == "lb"  # stated pounds over a kg log


def test_a_stated_unit_wins_over_the_log() -> None:
    lb_log = [session(0, "lb", 4)]
    assert shown_unit(Athlete(name="a"), sessions=lb_log) == "lb"
    assert shown_unit(Athlete(name="a", unit="kg"), sessions=lb_log) == "kg"
    assert shown_unit(Athlete(name="a", unit="lb"), counts={"kg": 9}) == "lb"
    assert shown_unit(Athlete(name="a"), counts={"kg": 9, "lb": 1}) == "kg"


@pytest.mark.parametrize("kg, unit, shown", [
    (102.058, "lb", 225.0), (100.0, "lb", 220.0), (86.5, "lb", 190.0), (2.0, "lb", 4.5), (0.5, "lb", 1.0),
    (0.1, "lb", 0.5), (0.0, "lb", 0.0), (86.5, "kg", 86.5), (83.91, "lb", 185.0),
])
def test_loads_shown_on_a_loadable_step(kg: float, unit: str, shown: float) -> None:
    assert shown_load(kg, unit) == pytest.approx(shown)


def test_figures_converted_unrounded() -> None:
    assert in_unit(1000.0, "lb") == pytest.approx(2204.62, abs=0.01)
    assert in_unit(1000.0, "kg") == 1000.0


@pytest.fixture
def cli(home: Path):
    from peri.cli.app import app

    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        r = runner.invoke(app, list(args), env={"COLUMNS": "200"})
        if ok:
            assert r.exit_code == 0, r.output
        return r

    return run


def test_a_pound_lifter_reads_pounds_until_they_say_otherwise(cli) -> None:
    cli("import", "hevy", str(FIX / "hevy_imperial.csv"), "--athlete", "ana", "--create")
    with Store(store_target()) as s:
        assert store_unit(s, "ana") == "lb"
        sets = [w for sess in s.sessions(s.get_athlete("ana").id) for w in sess.sets if w.weight_kg]
    # stored in kg whatever is shown: the 225 lb squat is 102.058 kg
    assert any(w.weight == 225 and w.weight_kg == pytest.approx(102.058, abs=0.001) for w in sets)
    shown = cli("athlete", "show", "ana").stdout
    assert "lb  (the unit your log is kept in)" in " ".join(shown.split("\n"))
    plan = cli("plan", "--athlete", "ana", "--model", "rules").stdout
    assert " lb " in plan and " kg " not in plan
    # (the console may wrap a header cell when other tests built it narrower: words, not layout, are checked)
    stats = " ".join(cli("stats", "--athlete", "ana").stdout.split())
    assert "tonnage" in stats and "(lb)" in stats and "kg" not in stats
    # the stored plan's loads are kg: its JSON is unchanged by the shown unit
    raw = json.loads(cli("plan", "--athlete", "ana", "--model", "rules", "--json").stdout)["plan"]
    squat = [p for d in raw["days"] for p in d["exercises"] if p.get("load_kg")]
    assert squat and all(p["load_kg"] < 150 for p in squat)  # kg, not 225+ lb
    cli("athlete", "set", "ana", "--unit", "kg")
    assert json.loads(cli("athlete", "show", "ana", "--json").stdout)["athlete"]["unit"] == "kg"
    assert " kg " in cli("plan", "--athlete", "ana", "--model", "rules").stdout
    stats = " ".join(cli("stats", "--athlete", "ana").stdout.split())
    assert "(kg)" in stats and "lb" not in stats
    cli("athlete", "set", "ana", "--unit", "log")
    assert json.loads(cli("athlete", "show", "ana", "--json").stdout)["athlete"]["unit"] is None
    bad = cli("athlete", "set", "ana", "--unit", "stone", ok=False)
    assert bad.exit_code == 2 and "stone" in bad.output
