"""peri.log.stats: the details mutation testing found unchecked (issue 20), every number worked by hand.

A hand-made catalog (three entries) keeps the muscle credits independent of the shipped catalog.
"""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.catalog import Catalog, ExerciseEntry
from peri.log.models import Session, SetType, WorkoutSet
from peri.log.stats import (
    WeekStats,
    e1rm_brzycki,
    e1rm_epley,
    e1rm_rpe,
    is_hard_set,
    monday,
    set_e1rm,
    top_lifts,
    weekly_stats,
)

CATALOG = Catalog([
    ExerciseEntry(id="Press", name="Press", category="strength", mechanic="compound",
                  primary_muscles=["chest", "shoulders"], secondary_muscles=["triceps", "shoulders"]),
    ExerciseEntry(id="Curl", name="Curl", category="strength", mechanic="isolation",
                  primary_muscles=["biceps"], secondary_muscles=["forearms"]),
    ExerciseEntry(id="Bent_Row", name="Bent Row", category="strength", mechanic="compound",
                  primary_muscles=["middle back"], secondary_muscles=["biceps"]),
])


def kg(ex: str, w: float | None, r: int | None, **kw) -> WorkoutSet:
    return WorkoutSet(exercise=ex, weight=w, unit="kg" if w is not None else None, weight_kg=w, reps=r, **kw)


def week_one() -> Session:
    return Session(started_at=dt.datetime(2024, 3, 6, 18), sets=[  # a Wednesday
        kg("Press", 100, 5, exercise_id="Press", rpe=8),
        kg("Press", 100, 5, exercise_id="Gone_Id", order=2),  # an id the catalog no longer has: mapped by name
        kg("Curl", 22.33, 10, rir=1),  # mapped by name
        kg("Bent Row", 60, 8, rpe=7.5),
        kg("Press", 50, 5, exercise_id="Press", set_type=SetType.warmup, order=0),
    ])


def test_one_week_by_hand() -> None:
    (w,) = weekly_stats([week_one()], CATALOG)
    assert w.week_start == dt.date(2024, 3, 4)
    assert (w.sessions, w.sets, w.hard_sets, w.reps) == (1, 5, 4, 28)  # the warm-up counts as a set only
    # 100 x 5 + 100 x 5 + 22.33 x 10 + 60 x 8 = 1703.3 (rounded to 0.1: the float sum is 1703.3000000000002)
    assert w.tonnage_kg == 1703.3
    # RPE 8, 9 (RIR 1), 7.5 -> 24.5 / 3 = 8.1667 -> 8.17
    assert w.avg_rpe == 8.17
    # Press x2: chest 2, shoulders 2 (a secondary that is also primary is not counted twice), triceps 0.5 x 2;
    # Curl (isolation): biceps 1, no forearms; Bent Row (compound): middle back 1, biceps 0.5.
    # Largest first, ties by name.
    assert list(w.sets_per_muscle.items()) == [("chest", 2.0), ("shoulders", 2.0), ("biceps", 1.5),
                                               ("middle back", 1.0), ("triceps", 1.0)]
    # Press RPE 8 x 5: 7 reps to failure -> 81.1 % -> 123.3 (beats the unlabelled set's (116.67 + 112.5) / 2);
    # Bent Row RPE 7.5 x 8: 10.5 to failure -> 72.3 % -> 82.99; Curl RIR 1 x 10: 11 -> 70.7 % -> 31.58.
    # Heaviest first.
    assert list(w.e1rm.items()) == [("Press", 123.3), ("Bent Row", 83.0), ("Curl", 31.6)]


def test_change_is_rounded_to_four_places() -> None:
    second = Session(started_at=dt.datetime(2024, 3, 11, 18), sets=[kg("Press", 100, 5), kg("Press", 100, 5)])
    w1, w2 = weekly_stats([week_one(), second], CATALOG)
    # hard sets 4 -> 2: -0.5; reps 28 -> 10: -18/28 = -0.642857 -> -0.6429; tonnage 1703.3 -> 1000: -0.412904 -> -0.4129
    assert w2.change == {"sessions": 0.0, "hard_sets": -0.5, "reps": -0.6429, "tonnage_kg": -0.4129}
    assert weekly_stats([week_one(), second], CATALOG, weeks=1) == [w2]
    assert weekly_stats([week_one(), second], CATALOG, weeks=0) == [w1, w2]  # 0 keeps every week


def test_monday() -> None:
    assert monday(dt.date(2024, 3, 4)) == dt.date(2024, 3, 4)
    assert monday(dt.date(2024, 3, 10)) == dt.date(2024, 3, 4)  # Sunday ends the week
    assert monday(dt.date(2024, 3, 11)) == dt.date(2024, 3, 11)


def test_formula_edges_by_hand() -> None:
    assert e1rm_epley(100, 12) == pytest.approx(140.0)  # 12 reps is still estimated
    assert e1rm_brzycki(100, 12) == pytest.approx(144.0)  # 100 x 36 / 25
    assert e1rm_epley(100, 15, max_reps=15) == pytest.approx(150.0)
    assert e1rm_brzycki(100, 15, max_reps=15) == pytest.approx(100 * 36 / 22)
    assert e1rm_epley(100, 2) == pytest.approx(100 * 32 / 30)
    assert e1rm_epley(None, 5) is None and e1rm_epley(100, None) is None
    # RPE rounded to the nearest half point: 8.3 -> 8.5, 5 reps + 1.5 in reserve = 6.5 to failure -> 82.4 %
    assert e1rm_rpe(100, 5, 8.3) == pytest.approx(100 / 0.824)
    assert e1rm_rpe(100, 5, 7.7) == pytest.approx(100 / 0.799)  # 7.5: 7.5 to failure -> 79.9 %
    assert e1rm_rpe(100, 12, 6) == pytest.approx(100 / 0.574)  # the table's last cell: 16 to failure
    assert e1rm_rpe(100, 12, 10) == pytest.approx(100 / 0.680)  # 12 to failure -> 68.0 %
    assert e1rm_rpe(100, 1, 6) == pytest.approx(100 / 0.863)  # 5 to failure -> 86.3 %
    assert e1rm_rpe(100, 5, 10.5) is None and e1rm_rpe(100, 5, 5.9) is None and e1rm_rpe(100, 5, None) is None
    assert e1rm_rpe(0, 5, 8) is None and e1rm_rpe(100, 0, 8) is None


def test_set_e1rm_by_hand() -> None:
    assert set_e1rm(kg("Press", 100, 5, rpe=8)) == pytest.approx(100 / 0.811)
    # RPE 5 is off the table: the mean of Epley and Brzycki, (116.667 + 112.5) / 2
    assert set_e1rm(kg("Press", 100, 5, rpe=5)) == pytest.approx(114.5833, abs=1e-4)
    assert set_e1rm(kg("Press", 100, 5)) == pytest.approx(114.5833, abs=1e-4)
    assert set_e1rm(kg("Press", 100, 13)) is None
    assert set_e1rm(kg("Press", 100, 5, set_type=SetType.warmup)) is None
    assert set_e1rm(kg("Pull Up Assist", 30, 5)) is None
    assert set_e1rm(kg("Press", None, 5)) is None
    assert set_e1rm(kg("Plank", None, None, seconds=60)) is None


def test_hard_set_needs_reps() -> None:
    assert not is_hard_set(kg("Press", 100, 0))
    assert is_hard_set(kg("Press", 100, 1, rpe=6))


def weeks_of(*e1rms: dict[str, float]) -> list[WeekStats]:
    start = dt.date(2024, 1, 1)
    return [WeekStats(week_start=start + dt.timedelta(weeks=i), e1rm=e) for i, e in enumerate(e1rms)]


def test_top_lifts_by_hand() -> None:
    # 3 weeks with estimates (the empty one does not count): A in 3 of them, B and C in 1 -> only A is regular
    assert top_lifts(weeks_of({"A": 100, "B": 150}, {"A": 105}, {}, {"A": 110, "C": 90})) == ["A"]
    # 4 weeks with estimates: A and B in 2 each (2 x 2 >= 4), C in 1; heaviest peak first
    weeks = weeks_of({"A": 100, "C": 300}, {"B": 120}, {"A": 101, "B": 90}, {"D": 5})
    assert top_lifts(weeks) == ["B", "A"]
    # none regular: every lift, heaviest first, ties by name, at most n
    weeks = weeks_of({"A": 100}, {"B": 120}, {"C": 110}, {"D": 110})
    assert top_lifts(weeks) == ["B", "C", "D", "A"]
    assert top_lifts(weeks, n=2) == ["B", "C"]
    assert top_lifts(weeks_of({"A": 1}, {"B": 2}, {"C": 3}, {"D": 4}, {"E": 5})) == ["E", "D", "C", "B"]  # 4 by default
    assert top_lifts([]) == []


def test_the_id_decides_the_muscles_over_the_name() -> None:
    # an app's own name the catalog cannot place, with the catalog id stored: the id's muscles count
    s = Session(started_at=dt.datetime(2024, 3, 4), sets=[kg("Machine Chest Thing", 80, 8, exercise_id="Press")])
    (w,) = weekly_stats([s], CATALOG)
    assert w.sets_per_muscle == {"chest": 1.0, "shoulders": 1.0, "triceps": 0.5}


def test_light_loads_and_rounding_by_hand() -> None:
    # a 0.5 kg single is its own max (any load above 0 counts); tonnage 0.5 + 20.125 x 2 = 40.75 kg, rounded to
    # 0.1 (half to even): 40.8
    s = Session(started_at=dt.datetime(2024, 3, 4), sets=[kg("Band Raise", 0.5, 1), kg("Curl", 20.125, 2)])
    (w,) = weekly_stats([s], CATALOG)
    assert w.e1rm["Band Raise"] == 0.5
    assert e1rm_epley(0.5, 5) == pytest.approx(0.5 * 35 / 30)
    assert w.tonnage_kg == 40.8
