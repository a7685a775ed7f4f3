"""peri.evaluate.baselines: the floor, last week minus blamed lifts, and the human coach's plan, from the log only."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from peri.evaluate.baselines import (
    brzycki_fraction,
    human_plan,
    last_week,
    minus_blamed,
    pick_human_plan,
    repeat_last_week,
)
from peri.evaluate.harness import EvalConfig, run_eval
from peri.log.catalog import default_catalog
from peri.log.context import load_context
from peri.log.models import Annotation, SetType
from peri.log.store import Store
from peri.plans.schema import Scenario
from peri.sim.generate import simulate

START = dt.date(2024, 1, 1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("baselines-home")
    store = Store(home / "peri.db")
    for key in ("seed", "powerlifter-elbow"):
        simulate(store, key, seed=None, weeks=30, athlete_name=key, start=START, home=home)
    yield store, home
    store.close()


def test_repeat_last_week_is_the_last_logged_week(world) -> None:
    store, _ = world
    ctx = load_context(store, "seed")
    week = last_week(ctx)
    assert len({s.day - dt.timedelta(days=s.day.weekday()) for s in week}) == 1
    plan = repeat_last_week(ctx, default_catalog(), Scenario.normal, ctx.as_of)
    assert [d.name for d in plan.days] == [s.name for s in week]
    logged = {w.exercise for s in week for w in s.sets if w.set_type != SetType.warmup and w.reps}
    assert {p.exercise for d in plan.days for p in d.exercises} == logged


def test_minus_blamed_drops_what_a_pain_note_names(world) -> None:
    store, _ = world
    ctx = load_context(store, "seed")
    catalog = default_catalog()
    week = last_week(ctx)
    target = next(w for s in week for w in s.sets if w.exercise_id and w.set_type != SetType.warmup and w.reps)
    note = Annotation(date=week[-1].day, text=f"{target.exercise} hurt my elbow", exercise=target.exercise,
                      exercise_id=target.exercise_id, tags=["pain"], regions=["elbow"], scope="exercise")
    ctx = ctx.model_copy(update={"annotations": [*ctx.annotations, note]})
    base = repeat_last_week(ctx, catalog, Scenario.normal, ctx.as_of)
    plan = minus_blamed(ctx, catalog, Scenario.normal, ctx.as_of)
    names = {p.exercise for d in plan.days for p in d.exercises}
    assert target.exercise not in names
    assert names and names < {p.exercise for d in base.days for p in d.exercises}


def test_the_human_plan_is_recognised_from_the_log_and_loaded_from_it(world) -> None:
    store, _ = world
    assert pick_human_plan(load_context(store, "seed"))[0] == "upper/lower"
    assert pick_human_plan(load_context(store, "powerlifter-elbow"))[0] == "powerlifting"
    ctx = load_context(store, "powerlifter-elbow")
    plan = human_plan(ctx, default_catalog(), Scenario.normal, ctx.as_of)
    squat = next(p for d in plan.days for p in d.exercises if p.exercise == "Barbell Squat")
    # by hand: best Brzycki e1RM of the squat's normal working sets in the last six ordinary weeks, then
    # Brzycki's fraction for the top of the range plus two in reserve
    since = ctx.as_of - dt.timedelta(weeks=6)
    e1rm = max(w.weight_kg * 36 / (37 - min(w.reps, 20)) for s in ctx.sessions if s.day >= since
               and not any(k in s.name.lower() for k in ("deload", "hotel", "peak", "meet", "openers"))
               for w in s.sets if w.exercise_id == "Barbell_Squat" and w.set_type != SetType.warmup and w.reps and w.weight_kg)
    assert squat.load_kg == pytest.approx(e1rm * (37 - (squat.reps_high + 2)) / 36, abs=0.26)
    assert brzycki_fraction(1) == 1.0


def test_human_loads_follow_the_log_so_the_plan_fits_any_seed(world) -> None:
    store, _ = world
    ctx = load_context(store, "seed")
    heavier = ctx.model_copy(update={"sessions": [s.model_copy(update={"sets": [
        w.model_copy(update={"weight_kg": w.weight_kg * 1.2 if w.weight_kg else w.weight_kg}) for w in s.sets]})
        for s in ctx.sessions]})
    a = human_plan(ctx, default_catalog(), Scenario.normal, ctx.as_of)
    b = human_plan(heavier, default_catalog(), Scenario.normal, ctx.as_of)
    pairs = [(p.load_kg, q.load_kg) for d, e in zip(a.days, b.days, strict=True)
             for p, q in zip(d.exercises, e.exercises, strict=True) if p.load_kg and p.load_kg > 20]
    assert pairs and all(q == pytest.approx(p * 1.2, rel=0.03) for p, q in pairs)
    deload = human_plan(ctx, default_catalog(), Scenario.deload, ctx.as_of)
    assert deload.hard_sets() < a.hard_sets()


def test_every_approach_is_scored_raw_and_repaired_with_baselines(store: Store, home: Path) -> None:
    simulate(store, "seed", seed=3, weeks=30, athlete_name="seed", start=START, home=home)
    cfg = EvalConfig(athlete="seed", approaches=["rules", "rules-raw", "repeat-last-week", "minus-blamed", "human"],
                     weeks=2)
    res = run_eval(store, cfg, home=home)
    assert {r.approach for r in res.records} == set(cfg.approaches)
    assert all(r.valid and r.oracle is not None and r.oracle_repaired is not None for r in res.records)
    s = res.summary
    assert s["rules"].kind == "product" and s["rules-raw"].kind == "reference" and s["human"].kind == "baseline"
    assert res.headline == "raw" and "raw plans as given" in res.verdict[0] and res.verdict[0].startswith("rules wins")
    assert any(v.startswith("Frame (raw): repeat-last-week") for v in res.verdict)
    assert any("rules (with the checker's repair inside) vs rules-raw" in v for v in res.verdict)
    summary = json.loads((home / "eval" / "seed" / "summary.json").read_text())
    assert set(summary["approaches"]) == {"rules"}  # what peri decide may choose from
    assert set(summary["baselines"]) == {"rules-raw", "repeat-last-week", "minus-blamed", "human"}
    again = run_eval(store, cfg, home=home)  # baselines come from the cache too
    assert [r.oracle for r in again.records] == [r.oracle for r in res.records]


def test_the_frame_places_products_between_floor_and_human() -> None:
    from peri.evaluate.harness import ApproachSummary, _frame

    def row(name: str, kind: str, score: float) -> ApproachSummary:
        return ApproachSummary(approach=name, model="m", kind=kind, n=3, valid_rate=1.0, score_mean=score)

    summary = {"rules": row("rules", "product", 70.0), "prompt-d3": row("prompt-d3", "product", 40.0),
               "tuned": row("tuned", "product", 90.0), "repeat-last-week": row("repeat-last-week", "baseline", 60.0),
               "human": row("human", "baseline", 80.0)}
    lines = _frame(summary)
    assert lines[0].startswith("Frame (raw): repeat-last-week 60.0 (the floor), human coach 80.0")
    assert "rules 50%" in lines[1] and "prompt-d3 below the floor by 20.0 points" in lines[1]
    assert "tuned above the human plan by 10.0 points" in lines[1]
    summary["human"] = row("human", "baseline", 61.0)  # no room between them: nobody is placed
    assert "no approach is placed" in _frame(summary)[1]

