"""peri.plans.coach: what mutation testing found unchecked (issue 20), by hand.

`_fallback_day` (a day whose every exercise had to go) ran under no test at all, and half the peaking
arithmetic survived (loads, phases, the accessory cut). The shipped catalog's entries
used: Bodyweight Squat, Pushups, Plank (body only), Inverted Row (no equipment given: body only), Side Lateral
Raise (dumbbell); Glute_Bridge is not in it.
"""
from __future__ import annotations

import datetime as dt

from peri.log.catalog import ExerciseEntry, default_catalog
from peri.log.models import WorkoutSet
from peri.plans.checker import AthleteFlags
from peri.plans.coach import (
    Exposure,
    ExerciseHistory,
    _deload,
    _fallback_day,
    _load_for,
    _peak,
    _peaking_phase,
    _template_split,
)
from peri.plans.schema import PlanDay, Prescription

DAY = PlanDay(name="Legs", exercises=[Prescription(exercise="Barbell Squat", sets=5, reps_low=5, reps_high=5)])

# Loaded at import, not in a fixture: mutmut's fork server imports the selection's test files once and forks every
# mutant from it, so the catalog (0.7 s to load) is then in memory for each mutant's tests instead of loaded anew.
CATALOG = default_catalog()


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
    # a dumbbell-only list: the body-weight ones are skipped, and the search goes on to the dumbbell raise
    assert [p.exercise for p in fallback(None, set(), flags_equipment={"dumbbell"})] == ["Side Lateral Raise"]


# --- peaking, by hand -------------------------------------------------------------------------------------
SQUAT = ExerciseEntry(id="Barbell_Squat", name="Barbell Squat", category="strength", equipment="barbell",
                      mechanic="compound", pattern="squat")
DB_PRESS = ExerciseEntry(id="Dumbbell_Bench_Press", name="Dumbbell Bench Press", category="strength",
                         equipment="dumbbell", mechanic="compound", pattern="horizontal_push")


def squat_history() -> ExerciseHistory:
    def exposure(week: int, kg: float, reps: int) -> Exposure:
        return Exposure(day=dt.date(2024, 1, 1) + dt.timedelta(weeks=week),
                        sets=[WorkoutSet(exercise="Barbell Squat", weight=kg, unit="kg", weight_kg=kg, reps=reps)])
    # the oldest (200 x 1) is more than 4 exposures back: not "recent"
    return ExerciseHistory(key="Barbell_Squat", name="Barbell Squat", entry=SQUAT, exposures=[
        exposure(0, 200, 1), exposure(1, 140, 3), exposure(2, 145, 2), exposure(3, 100, 5), exposure(4, 100, 5)])


def test_load_for_by_hand() -> None:
    # Epley with reps in reserve: 1 / (1 + (reps + 10 - RPE) / 30), floored to 2.5 kg
    assert _load_for(150, 3, 8.5) == 130.0  # 150 / 1.15 = 130.43
    assert _load_for(100, 6, 8.0) == 77.5  # 100 / 1.2667 = 78.95
    assert _load_for(100, 2, 8.5) == 87.5  # 100 / 1.1167 = 89.55


def test_peaking_phases_by_hand() -> None:
    assert [_peaking_phase(w) for w in (8, 6, 5, 3, 2, 1, 0)] == [
        (5, 6, 8.0, 0), (5, 6, 8.0, 0), (3, 4, 8.5, 0), (3, 4, 8.5, 0), (2, 3, 8.5, -1), (2, 3, 8.5, -1),
        (1, 2, 8.0, -99)]


def test_a_main_lift_peaks_on_its_recent_e1rm_by_hand() -> None:
    p = Prescription(exercise="Barbell Squat", sets=4, reps_low=8, reps_high=10, rpe=7)
    # recent e1RM: the best of the last 4 exposures: 145 x 2 -> (Epley 154.67 + Brzycki 149.14) / 2 = 151.90
    three = _peak(p, squat_history(), SQUAT, 3)
    # 3 weeks out: 3-4 reps at RPE 8.5, sets unchanged; load 151.90 / (1 + 5.5/30) = 128.37 -> 127.5
    assert (three.sets, three.reps_low, three.reps_high, three.rpe, three.load_kg, three.rest_s) == (
        4, 3, 4, 8.5, 127.5, 180)
    assert three.note == "peaking, 3 weeks out"
    one = _peak(p, squat_history(), SQUAT, 1)  # 2-3 reps, one set fewer; 151.90 / 1.15 = 132.09 -> 130.0
    assert (one.sets, one.reps_low, one.reps_high, one.load_kg) == (3, 2, 3, 130.0)
    assert one.note == "peaking, 1 weeks out"
    two_sets = _peak(p.model_copy(update={"sets": 2}), squat_history(), SQUAT, 1)
    assert two_sets.sets == 2  # never below 2
    event = _peak(p, squat_history(), SQUAT, 0)  # openers: 2 sets of 1-2 at RPE 8; 151.90 / 1.1333 -> 132.5
    assert (event.sets, event.reps_low, event.reps_high, event.rpe, event.load_kg) == (2, 1, 2, 8.0, 132.5)
    assert event.note == "event week: openers, stay fresh"


def test_accessories_are_cut_for_the_taper_by_hand() -> None:
    p = Prescription(exercise="Dumbbell Bench Press", sets=4, reps_low=8, reps_high=10, rpe=8)
    # a dumbbell press is no main lift: 2 weeks out, 4 sets x 2/3 = 2.67 -> 3 (rounded half up), RPE 7
    cut = _peak(p, squat_history(), DB_PRESS, 2)
    assert (cut.sets, cut.rpe, cut.note) == (3, 7.0, "accessory, cut for the taper")
    assert _peak(p.model_copy(update={"sets": 2}), None, DB_PRESS, 1).sets == 1  # 1.33 -> 1
    assert _peak(p.model_copy(update={"sets": 1}), None, DB_PRESS, 0).sets == 1  # never below 1
    assert _peak(p, None, DB_PRESS, 3) == p  # 3 weeks out: left alone
    # a main lift without a history is treated as an accessory
    assert _peak(p.model_copy(update={"exercise": "Barbell Squat"}), None, SQUAT, 2).note == (
        "accessory, cut for the taper")


def test_deload_halves_the_sets_by_hand() -> None:
    def exposure(week: int, kg: float) -> Exposure:
        return Exposure(day=dt.date(2024, 1, 1) + dt.timedelta(weeks=week),
                        sets=[WorkoutSet(exercise="Barbell Squat", weight=kg, unit="kg", weight_kg=kg, reps=5)])
    h = ExerciseHistory(key="Barbell_Squat", name="Barbell Squat", entry=SQUAT,
                        exposures=[exposure(0, 140), exposure(1, 120), exposure(2, 105)])
    p = Prescription(exercise="Barbell Squat", sets=5, reps_low=5, reps_high=5, rpe=8)
    d = _deload(p, h, 8.0)
    # 5 sets / 2 = 2.5 -> 3 (half up); the last exposure's top 105 x 0.9 = 94.5; RPE 8 - 2 = 6
    assert (d.sets, d.load_kg, d.rpe, d.note) == (3, 94.5, 6.0, "deload: half the sets, easy")
    assert _deload(p.model_copy(update={"sets": 4}), h, 8.0).sets == 2
    assert _deload(p.model_copy(update={"sets": 1}), h, 8.0).sets == 1
    assert _deload(p, h, 6.5).rpe == 5.0  # 4.5, but never below RPE 5
    assert _deload(p, None, 8.0).load_kg is None  # no history: no load to take 10 % off


def test_template_split_by_hand() -> None:
    assert _template_split("Push/Pull/Legs", 4) == "push/pull/legs"
    assert _template_split("PPL", 3) == "push/pull/legs"
    assert _template_split("Full Body", 5) == "full body"
    assert _template_split("Upper/Lower", 3) == "upper/lower"
    assert _template_split("Lower body focus", 3) == "upper/lower"
    # a split named otherwise: by the days, full body up to 3, upper/lower at 4, push/pull/legs above
    assert [_template_split("bro", d) for d in (3, 4, 5)] == ["full body", "upper/lower", "push/pull/legs"]


def test_goal_reps_by_hand() -> None:
    from peri.log.models import Goal
    from peri.plans.coach import _goal_reps

    assert [_goal_reps(g, c) for g in (Goal.strength, Goal.powerlifting) for c in (True, False)] == [
        (3, 5), (8, 12), (3, 5), (8, 12)]
    assert (_goal_reps(Goal.endurance, True), _goal_reps(Goal.endurance, False)) == ((12, 15), (15, 20))
    assert (_goal_reps(Goal.hypertrophy, True), _goal_reps(Goal.hypertrophy, False)) == ((6, 10), (10, 15))


def test_injury_regions_are_stated_or_recently_noted_by_hand() -> None:
    from peri.log.context import AthleteContext
    from peri.log.models import Annotation, Athlete
    from peri.plans.coach import _injury_regions

    as_of = dt.date(2024, 3, 4)  # the 4-week window starts 2024-02-05

    def note(day: dt.date, tags: list[str], region: str) -> Annotation:
        return Annotation(date=day, text="x", tags=tags, regions=[region])

    ctx = AthleteContext(athlete=Athlete(name="jo", constraint_regions=["wrist"]), sessions=[], as_of=as_of,
                         annotations=[
                             note(dt.date(2024, 2, 5), ["pain"], "knee"),  # the window's first day: counts
                             note(dt.date(2024, 2, 4), ["pain"], "hip"),  # the day before: too old
                             note(dt.date(2024, 2, 20), ["aggravated"], "shoulder"),
                             note(dt.date(2024, 2, 21), ["worked"], "elbow"),  # not a complaint
                         ])
    assert _injury_regions(ctx) == {"wrist", "knee", "shoulder"}
