"""The plan checker pinned down where mutmut found it loose (issue 20), with entries and plans written by hand."""
from __future__ import annotations

import pytest

from peri.log.catalog import ExerciseEntry
from peri.plans import checker
from peri.plans.checker import mentioned, region_stress


def entry(pattern: str = "other", spinal: str = "none", joints: tuple[str, ...] = (), primary: tuple[str, ...] = (),
          **kw) -> ExerciseEntry:
    return ExerciseEntry(id=kw.pop("id", "x"), name=kw.pop("name", "X"), category="strength", pattern=pattern,
                         spinal_load=spinal, joints=list(joints), primary_muscles=list(primary), **kw)


@pytest.mark.parametrize("e, region, severity", [
    # lower back: by spinal load, else a lower-back joint tag
    (entry(spinal="high"), "lower_back", "high"),
    (entry(spinal="moderate"), "lower_back", "medium"),
    (entry(spinal="low", joints=("lower_back",)), "lower_back", "low"),
    (entry(spinal="low"), "lower_back", None),
    # other regions only when the joint is tagged
    (entry("vertical_push"), "shoulder", None),
    (entry("vertical_push", joints=("shoulder",)), "shoulder", "high"),
    (entry("other", joints=("neck",)), "neck", "high"),
    (entry("squat", joints=("knee",)), "knee", "high"),
    (entry("lunge", joints=("knee",)), "knee", "high"),
    (entry("hinge", joints=("hip",)), "hip", "high"),
    (entry("carry", joints=("upper_back",)), "upper_back", "high"),
    (entry("other", joints=("wrist",)), "wrist", "medium"),
    (entry("other", joints=("ankle",)), "ankle", "medium"),
    (entry("other", joints=("upper_back",)), "upper_back", "medium"),
    (entry("horizontal_push", joints=("shoulder",)), "shoulder", "medium"),
    (entry("hinge", joints=("knee",)), "knee", "medium"),
    (entry("isolation", joints=("elbow",), primary=("biceps",)), "elbow", "medium"),
    (entry("isolation", joints=("elbow",), primary=("triceps",)), "elbow", "medium"),
    (entry("isolation", joints=("elbow",), primary=("forearms",)), "elbow", "low"),
    (entry("vertical_pull", joints=("elbow",), primary=("biceps",)), "elbow", "low"),
    (entry("isolation", joints=("knee",), primary=("quadriceps",)), "knee", "medium"),
    (entry("isolation", joints=("knee",), primary=("hamstrings",)), "knee", "low"),
    (entry("isolation", joints=("shoulder",)), "shoulder", "low"),
])
def test_region_stress_table(e: ExerciseEntry, region: str, severity: str | None) -> None:
    assert region_stress(e, region) == severity


def test_mentioned_picks_the_best_covered_names() -> None:
    candidates = [("Barbell Bench Press", None), ("Incline Barbell Bench Press", None), ("Leg Press", None),
                  ("Barbell Squat", None)]
    assert mentioned("incline bench hurt my shoulder", candidates) == [1]
    assert mentioned("bench felt off", candidates) == [0]  # bench press: 1 of 2 key words, incline 1 of 3
    assert mentioned("my shoulder", candidates) == []  # no movement word
    assert mentioned("the squats tweaked my back", candidates) == [3]
    # a name made only of generic words still has its words as the key
    assert mentioned("barbell", [("Barbell", None)]) == []


def test_mean_of_nothing_is_zero() -> None:
    assert checker._mean([]) == 0.0
    assert checker._mean([2.0, 3.0, 7.0]) == pytest.approx(4.0)
