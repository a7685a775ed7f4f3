"""peri.plans.coach: what mutation testing found unchecked (issue 20), by hand.

`_fallback_day` (a day whose every exercise had to go) ran under no test at all. The shipped catalog's entries
used: Bodyweight Squat, Pushups, Plank (body only), Inverted Row (no equipment given: body only), Side Lateral
Raise (dumbbell); Glute_Bridge is not in it.
"""
from __future__ import annotations

from peri.log.catalog import default_catalog
from peri.plans.checker import AthleteFlags
from peri.plans.coach import _fallback_day
from peri.plans.schema import PlanDay, Prescription

DAY = PlanDay(name="Legs", exercises=[Prescription(exercise="Barbell Squat", sets=5, reps_low=5, reps_high=5)])


def fallback(equipment: list[str] | None, regions: set[str], flags_equipment: set[str] | None = None) -> list:
    flags = AthleteFlags(constraint_regions=regions, equipment=flags_equipment)
    return _fallback_day(DAY, flags, default_catalog(), equipment, 7.5)


def test_the_first_three_safe_simple_exercises() -> None:
    out = fallback(None, set())
    assert [p.exercise for p in out] == ["Bodyweight Squat", "Pushups", "Plank"]
    assert all((p.sets, p.reps_low, p.reps_high, p.rpe, p.rest_s) == (3, 10, 15, 7.5, 75) for p in out)
    assert all(p.note == "replaces what could not be kept" for p in out)


def test_a_constrained_region_skips_what_loads_it() -> None:
    # a knee constraint makes the squat a must-go; a shoulder constraint makes push-ups a wanted swap: both skipped
    assert [p.exercise for p in fallback(None, {"knee"})] == ["Pushups", "Plank", "Inverted Row"]
    assert [p.exercise for p in fallback(None, {"shoulder"})] == ["Bodyweight Squat", "Plank", "Inverted Row"]


def test_the_equipment_at_hand_decides() -> None:
    # dumbbells (and body weight): the side lateral raise is in reach; Glute_Bridge is not in the catalog
    assert [p.exercise for p in fallback(["dumbbell"], {"knee", "shoulder"})] == [
        "Plank", "Inverted Row", "Side Lateral Raise"]
    # nothing but body weight: two are left, and two is what the day gets
    assert [p.exercise for p in fallback([], {"knee", "shoulder"})] == ["Plank", "Inverted Row"]
    # no equipment given on the road: the athlete's own list decides; a barbell-only gym has none of them
    assert fallback(None, set(), flags_equipment={"barbell"}) == DAY.exercises
