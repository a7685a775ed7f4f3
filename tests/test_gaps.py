"""`peri.log.gaps`: what a log does not show that a plan needs, one kind per class of thin log, each with a
next step; a log of ordinary lifting shows none."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.context import AthleteContext
from peri.log.gaps import log_gaps
from peri.log.models import Athlete, Session, SetType, WorkoutSet

TODAY = dt.date(2026, 12, 2)  # a Wednesday


def lift(name: str, kg: float | None = None, reps: int | None = 5, *, ex_id: str | None = "x", seconds=None,
         distance=None, kind=SetType.normal) -> WorkoutSet:
    return WorkoutSet(exercise=name, exercise_id=ex_id, weight_kg=kg, weight=kg, unit="kg" if kg else None,
                      reps=reps, seconds=seconds, distance_m=distance, set_type=kind)


def weeks_of(sets: list[WorkoutSet], *, weeks: int = 6, per_week: int = 3, last: dt.date = TODAY) -> list[Session]:
    """`weeks` weeks of `per_week` sessions ending on `last`, each holding `sets` (six weeks: all inside the
    eight weeks the gaps read as recent)."""
    days = sorted(last - dt.timedelta(days=7 * w + 2 * k) for w in range(weeks) for k in range(per_week))
    return [Session(started_at=dt.datetime.combine(d, dt.time(18)), sets=list(sets)) for d in days]


def ctx_of(sessions: list[Session], as_of: dt.date | None = None) -> AthleteContext:
    last = sessions[-1].day if sessions else TODAY
    as_of = as_of or last + dt.timedelta(days=7 - last.weekday())
    return AthleteContext(athlete=Athlete(id=1, name="kim"), sessions=sessions, annotations=[], as_of=as_of)


ORDINARY = [lift("Squat", 100), lift("Squat", 100), lift("Bench Press", 70), lift("Row", 60)]


def kinds(ctx: AthleteContext, aliases: dict[str, str] | None = None) -> list[str]:
    return [g.kind for g in log_gaps(ctx, aliases, today=TODAY)]


def test_a_log_of_ordinary_recent_lifting_shows_no_gap() -> None:
    assert kinds(ctx_of(weeks_of(ORDINARY))) == []


def test_no_sessions_says_so_and_names_the_import() -> None:
    (gap,) = log_gaps(ctx_of([]), today=TODAY)
    assert gap.kind == "no_sessions" and "no training sessions" in gap.says
    assert "Import page" in gap.next and "peri import auto FILE -a kim" in gap.next


@pytest.mark.parametrize("n, few", [(1, True), (5, True), (6, False)])
def test_few_sessions_below_two_weeks_of_a_three_day_routine(n: int, few: bool) -> None:
    sessions = weeks_of(ORDINARY)[-n:]
    assert ("few_sessions" in kinds(ctx_of(sessions))) is few
    if few:
        assert f"only {n} session" in log_gaps(ctx_of(sessions), today=TODAY)[0].says


def test_only_runs_and_holds_is_no_reps_not_a_strength_log() -> None:
    runs = [lift("Running", reps=None, distance=5000, seconds=1800), lift("Plank", reps=None, seconds=60)]
    gaps = log_gaps(ctx_of(weeks_of(runs)), today=TODAY)
    assert [g.kind for g in gaps] == ["no_reps"]
    assert "36 sets" in gaps[0].says  # 2 sets x 18 sessions, counted
    assert "template" in gaps[0].says


def test_only_bodyweight_sets_is_no_loads() -> None:
    body = [lift("Pull Up", None, 8), lift("Push Up", 0.0, 20)]  # no weight and a weight of 0 alike
    assert kinds(ctx_of(weeks_of(body))) == ["no_loads"]


def test_one_loaded_set_in_the_window_is_enough_to_read_loads() -> None:
    body = [lift("Pull Up", None, 8), lift("Push Up", None, 20), lift("Goblet Squat", 24, 10)]
    assert kinds(ctx_of(weeks_of(body))) == []


def test_warmups_are_not_working_sets() -> None:
    # the only loaded sets are warm-ups: what the plan reads as working sets is bodyweight
    sets = [lift("Pull Up", None, 8), lift("Dip", None, 10), lift("Pull Up", 20, 3, kind=SetType.warmup)]
    assert kinds(ctx_of(weeks_of(sets))) == ["no_loads"]


def test_one_exercise_only_names_it() -> None:
    gaps = log_gaps(ctx_of(weeks_of([lift("Bench Press", 70), lift("bench press ", 72.5)])), today=TODAY)
    assert [g.kind for g in gaps] == ["one_exercise"]
    assert "(Bench Press)" in gaps[0].says


def test_a_log_that_ended_long_ago_is_planned_for_then_and_the_next_step_is_this_week() -> None:
    last = TODAY - dt.timedelta(days=730)
    gaps = log_gaps(ctx_of(weeks_of(ORDINARY, last=last)), today=TODAY)
    assert [g.kind for g in gaps] == ["past"]
    assert str(last) in gaps[0].says and "104 weeks ago" in gaps[0].says
    assert "--as-of 2026-12-07" in gaps[0].next  # the coming Monday


def test_recent_log_is_not_past() -> None:
    last = TODAY - dt.timedelta(days=50)  # planned week starts 8 weeks - a few days before today
    assert kinds(ctx_of(weeks_of(ORDINARY, last=last))) == []


def test_planning_now_after_a_break_says_the_loads_are_from_before_it() -> None:
    last = TODAY - dt.timedelta(days=730)
    monday = TODAY + dt.timedelta(days=7 - TODAY.weekday())
    gaps = log_gaps(ctx_of(weeks_of(ORDINARY, last=last), as_of=monday), today=TODAY)
    assert [g.kind for g in gaps] == ["break"]
    assert "start lighter" in gaps[0].next
    # four weeks off is no break; five is
    for days, gap in ((monday - dt.timedelta(days=28), False), (monday - dt.timedelta(days=35), True)):
        assert ("break" in kinds(ctx_of(weeks_of(ORDINARY, last=days), as_of=monday))) is gap


def test_names_the_catalog_does_not_know_count_unless_aliased() -> None:
    own = [lift("Zorbo Press", 50, ex_id=None), lift("Gizmo Pull", 40, ex_id=None), lift("Squat", 100)]
    gaps = log_gaps(ctx_of(weeks_of(own)), today=TODAY)
    assert [g.kind for g in gaps] == ["unmapped"]
    assert "36 of 54" in gaps[0].says and "Gizmo Pull, Zorbo Press" in gaps[0].says
    assert "Exercises page" in gaps[0].next
    # once one name is mapped, half of the sets are known: not more than half unknown
    assert kinds(ctx_of(weeks_of(own)), {"zorbo press": "barbell_press"}) == []


def test_every_gap_has_a_next_step() -> None:
    logs = [[], weeks_of(ORDINARY)[:1], weeks_of([lift("Plank", reps=None, seconds=60)]),
            weeks_of([lift("Dip", None, 10)]), weeks_of([lift("Zorbo", 5, ex_id=None)]),
            weeks_of(ORDINARY, last=TODAY - dt.timedelta(days=400))]
    for sessions in logs:
        gaps = log_gaps(ctx_of(sessions), today=TODAY)
        assert gaps
        for g in gaps:
            assert g.says and g.next and g.line().startswith(g.says)
