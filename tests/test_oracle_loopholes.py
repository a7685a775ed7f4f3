"""The oracle's loopholes, searched for: no generated bad plan may score above the repeat-last-week floor,
and omitting information (loads) never lifts a sensible plan's score."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.evaluate.baselines import human_plan, repeat_last_week
from peri.log.catalog import default_catalog
from peri.log.context import load_context
from peri.log.store import Store
from peri.plans.schema import Plan, PlanDay, Prescription, Scenario
from peri.sim import oracle
from peri.sim.generate import simulate

START = dt.date(2024, 1, 1)
PRESETS = ("seed", "knee-beginner", "powerlifter-elbow")
SPECIAL = ("deload", "hotel", "peak", "meet", "openers")


def _ordinary_as_of(store: Store, name: str) -> dt.date:
    """The Monday after the last ordinary logged week (the floor is judged on an ordinary week)."""
    ctx = load_context(store, name)
    weeks: dict[dt.date, list] = {}
    for s in ctx.sessions:
        weeks.setdefault(s.day - dt.timedelta(days=s.day.weekday()), []).append(s)
    ok = [w for w, ss in weeks.items() if not any(k in s.name.lower() for s in ss for k in SPECIAL)]
    return max(ok) + dt.timedelta(weeks=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("loophole-home")
    store = Store(home / "peri.db")
    out = {}
    for key in PRESETS:
        simulate(store, key, seed=None, weeks=40, athlete_name=key, start=START, home=home)
        as_of = _ordinary_as_of(store, key)
        ctx = load_context(store, key, as_of=as_of)
        floor_plan = repeat_last_week(ctx, default_catalog(), Scenario.normal, as_of)
        floor = oracle.score_plan(floor_plan, key, as_of=as_of, home=home).total
        out[key] = (ctx, floor_plan, floor)
    yield home, out
    store.close()


CATALOG = default_catalog()
LIFTS = sorted(e.name for e in CATALOG.entries if e.category in ("strength", "powerlifting") and e.equipment)
ISOLATION = sorted(e.name for e in CATALOG.entries if e.category == "strength" and e.mechanic == "isolation")


@st.composite
def prescription(draw, names: list[str]) -> Prescription:
    lo = draw(st.integers(1, 20))
    kind = draw(st.sampled_from(["load", "rpe", "pct", "nothing"]))
    return Prescription(
        exercise=draw(st.sampled_from(names)), sets=draw(st.integers(1, 10)), reps_low=lo,
        reps_high=draw(st.integers(lo, min(50, lo + 10))),
        load_kg=draw(st.floats(0.5, 600)) if kind == "load" else None,
        pct_e1rm=draw(st.floats(30, 110)) if kind == "pct" else None,
        rpe=draw(st.sampled_from([6.0, 7.0, 8.0, 9.0, 10.0])) if kind == "rpe" else None,
    )


@st.composite
def bad_plan(draw, floor_plan: Plan) -> tuple[str, Plan]:
    kind = draw(st.sampled_from(["no_exercise", "one_exercise", "all_isolation", "one_set_each", "absurd_loads",
                                 "effort_only"]))
    if kind == "no_exercise":  # nothing the catalog knows: made-up names only
        names = [f"Mystery Move {i}" for i in range(5)]
        days = [PlanDay(name=f"Day {i}", exercises=draw(st.lists(prescription(names), min_size=1, max_size=6)))
                for i in range(draw(st.integers(1, 6)))]
    elif kind == "one_exercise":
        days = [PlanDay(name="Day 1", exercises=[draw(prescription(LIFTS))])]
    elif kind == "all_isolation":
        days = [PlanDay(name=f"Day {i}", exercises=draw(st.lists(prescription(ISOLATION), min_size=2, max_size=8)))
                for i in range(draw(st.integers(1, 6)))]
    elif kind == "one_set_each":  # the schema's floor for "zero sets": every prescription a single set
        days = [PlanDay(name=d.name, exercises=[p.model_copy(update={"sets": 1}) for p in d.exercises])
                for d in floor_plan.days]
    elif kind == "absurd_loads":
        factor = draw(st.sampled_from([0.05, 0.2, 3.0, 6.0]))
        days = [PlanDay(name=d.name, exercises=[p.model_copy(update={
            "load_kg": min(600.0, max(0.5, (p.load_kg or 20.0) * factor)), "rpe": None}) for p in d.exercises])
            for d in floor_plan.days]
    else:  # effort only: last week's lifts with an RPE target and no load
        rpe = draw(st.sampled_from([6.0, 7.0, 8.0, 9.0]))
        days = [PlanDay(name=d.name, exercises=[p.model_copy(update={"load_kg": None, "pct_e1rm": None, "rpe": rpe})
                                                for p in d.exercises]) for d in floor_plan.days]
    return kind, Plan(days=days[:7])


@pytest.mark.parametrize("preset", PRESETS)
def test_no_bad_plan_scores_above_the_repeat_last_week_floor(world, preset: str) -> None:
    home, athletes = world
    ctx, floor_plan, floor = athletes[preset]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
    @given(bad_plan(floor_plan))
    def check(case: tuple[str, Plan]) -> None:
        kind, plan = case
        score = oracle.score_plan(plan, preset, as_of=ctx.as_of, home=home)
        assert score.total < floor, (kind, score, floor)

    check()


@pytest.mark.parametrize("preset", PRESETS)
def test_omitting_loads_never_lifts_a_sensible_plan(world, preset: str) -> None:
    """The issue's loophole: a hand plan scored 91.2 with loads and 97.3 without. No longer."""
    home, athletes = world
    ctx, floor_plan, _ = athletes[preset]
    for plan in (human_plan(ctx, CATALOG, Scenario.normal, ctx.as_of), floor_plan):
        with_loads = oracle.score_plan(plan, preset, as_of=ctx.as_of, home=home)
        for rpe in (7.0, 8.0, 9.0):
            bare = plan.model_copy(update={"days": [PlanDay(name=d.name, exercises=[
                p.model_copy(update={"load_kg": None, "pct_e1rm": None, "rpe": rpe}) for p in d.exercises])
                for d in plan.days]})
            without = oracle.score_plan(bare, preset, as_of=ctx.as_of, home=home)
            assert without.total <= with_loads.total, (rpe, with_loads, without)
            assert without.breakdown["progression"] <= 35
