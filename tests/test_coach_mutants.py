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


# --- reading the history, by hand ------------------------------------------------------------------------
import pytest  # noqa: E402

from peri.log.models import Goal, Level, Session, SetType  # noqa: E402
from peri.plans import coach  # noqa: E402

MONDAY = dt.date(2026, 3, 2)


def sess(day: dt.date, name: str = "A", *exercises: tuple[str, int], hour: int = 18, warmups: int = 0) -> Session:
    """A session on `day`: for each (exercise id, n) n working sets of 10 reps at 20 kg, after `warmups` warm-ups."""
    sets = [WorkoutSet(exercise=e, exercise_id=e, weight_kg=10, reps=5, set_type=SetType.warmup)
            for e, _ in exercises for _ in range(warmups)]
    sets += [WorkoutSet(exercise=e, exercise_id=e, weight_kg=20, reps=10) for e, n in exercises for _ in range(n)]
    return Session(started_at=dt.datetime.combine(day, dt.time(hour)), name=name, sets=sets)


def wk(n: int, weekday: int = 0) -> dt.date:
    return MONDAY + dt.timedelta(weeks=n, days=weekday)


@pytest.mark.parametrize("name, clean", [
    ("Deload - Lower A", "Lower A"), ("Upper B (deload)", "Upper B"), ("Light Day", "Day"), ("  Push [easy]  ", "Push"),
    ("Recovery", ""), ("Legs   Day", "Legs Day"), ("DELOADING: Pull", "Pull"), ("Lightning", "Lightning"),
])
def test_clean_day_name_by_hand(name, clean) -> None:
    assert coach.clean_day_name(name) == clean


def test_light_weeks_by_hand() -> None:
    x = ("X", 10)
    sessions = [
        sess(wk(0), "A", x), sess(wk(1), "Deload A", ("X", 9)),      # week 1: named a deload
        sess(wk(2), "A", x), sess(wk(3), "A", ("X", 6)),              # week 3: 6 of a median 10: 60 %, not under it
        sess(wk(4), "A", ("X", 5), warmups=3),                        # week 4: 5 working sets (warm-ups not counted)
        sess(wk(5), "A", x), sess(wk(5, 2), "B", ("X", 2)),           # week 5: 6 a session (a short second session)
    ]
    # before week 4: weeks 0, 2, 3 (the named deload left out): median 10; 5 < 6
    assert coach.light_weeks(sessions) == {wk(1), wk(4)}
    # a week needs two normal weeks before it to be judged by its sets
    assert coach.light_weeks([sess(wk(0), "A", x), sess(wk(1), "A", ("X", 1))]) == set()
    assert coach.light_weeks([sess(wk(0), "A", x), sess(wk(1), "A", x), sess(wk(2), "A", ("X", 5))]) == {wk(2)}


def test_light_weeks_look_back_eight_weeks() -> None:
    # weeks 0-5 at 4 sets, 6-9 at 10: the eight weeks before week 10 (2-9) have a median of (4 + 10) / 2 = 7,
    # so 4 sets (under 4.2) is light and 5 is not; nine weeks back (1-9) the median would be 4
    sessions = [sess(wk(w), "A", ("X", 4 if w < 6 else 10)) for w in range(10)]
    assert coach.light_weeks([*sessions, sess(wk(10), "A", ("X", 4))]) == {wk(10)}
    assert coach.light_weeks([*sessions, sess(wk(10), "A", ("X", 5))]) == set()


def context(sessions, as_of=MONDAY, **athlete):
    from peri.log.context import AthleteContext
    from peri.log.models import Athlete

    return AthleteContext(athlete=Athlete(name="t", **athlete), sessions=list(sessions), annotations=[], as_of=as_of)


def test_window_is_four_weeks_of_normal_sessions_else_eight() -> None:
    x = ("X", 3)
    s = [sess(wk(-5), "old", x), sess(wk(-4), "first", x), sess(wk(-4, -1), "before", x), sess(wk(-1), "last", x),
         sess(wk(0), "today", x)]
    # from the Monday 4 weeks back (included) to the day before as_of
    assert [x.name for x in coach._window(context(s), set())] == ["first", "last"]
    # a light week left out; one session left is too few: eight weeks then
    assert [x.name for x in coach._window(context(s), {wk(-1)})] == ["old", "before", "first"]
    # only light weeks: the recent sessions anyway
    assert [x.name for x in coach._window(context(s[1:4]), {wk(-4), wk(-1), wk(-5)})] == ["before", "first", "last"]
    # sessions with no working set do not count
    empty = sess(wk(-2), "empty")
    assert [x.name for x in coach._window(context([*s, empty]), set())] == ["first", "last"]


def test_day_order_by_hand() -> None:
    a, b, c = (lambda d: sess(d, "A")), (lambda d: sess(d, "B")), (lambda d: sess(d, "C"))
    rotation = [a(wk(0)), b(wk(0, 2)), c(wk(1)), a(wk(1, 2))]
    # three groups for two days: the least recently done come next
    assert coach._day_order(rotation, 2) == ["b", "c"]
    # as many days as groups but no week with three sessions: the rotation from least recent
    assert coach._day_order(rotation, 3) == ["b", "c", "a"]
    # the latest week with that many sessions gives the order
    assert coach._day_order([a(wk(0)), b(wk(0, 2)), b(wk(1)), a(wk(1, 2))], 2) == ["b", "a"]
    # fewer groups than days: repeated
    assert coach._day_order([a(wk(0)), b(wk(0, 2))], 3) == ["a", "b", "a"]
    # an unnamed session is grouped by its weekday
    assert coach._day_order([sess(wk(0, 2), "Deload")], 1) == ["wednesday"]


def test_day_selection_by_hand() -> None:
    group = [sess(wk(0), "A", ("a", 3), ("b", 2), ("c", 1)), sess(wk(1), "A", ("b", 4), ("a", 3)),
             sess(wk(2), "A", ("a", 3), ("b", 1), warmups=2)]
    # a at 0, 1/2, 0 (mean 1/6), b at 1/3, 0, 1/2 (mean 5/18); c once in three sessions: under half, left out.
    # sets: a 3, 3, 3; b 2, 4, 1 -> median 2
    assert coach._day_selection(group) == [("a", 3), ("b", 2)]
    # no exercise in half the sessions: all of them
    assert coach._day_selection([sess(wk(0), "A", ("a", 1)), sess(wk(1), "A", ("b", 2)), sess(wk(2), "A", ("c", 3))]) \
        == [("a", 1), ("b", 2), ("c", 3)]
    # half is enough; at most 10 sets and 10 exercises
    assert coach._day_selection([sess(wk(0), "A", ("a", 12), ("b", 2)), sess(wk(1), "A", ("a", 12))]) == [("a", 10), ("b", 2)]
    many = [(f"e{i:02d}", 1) for i in range(12)]
    assert [k for k, _ in coach._day_selection([sess(wk(0), "A", *many)])] == [f"e{i:02d}" for i in range(10)]


def test_day_selection_keys_unmapped_names_by_their_words() -> None:
    s = Session(started_at=dt.datetime(2026, 3, 2, 18), name="A", sets=[
        WorkoutSet(exercise=" Zorblax ", weight_kg=20, reps=10), WorkoutSet(exercise="zorblax", weight_kg=20, reps=10),
        WorkoutSet(exercise="Zorblax", weight_kg=20, reps=0)])  # no reps: not a working set
    assert coach._day_selection([s]) == [("name:zorblax", 2)]


@pytest.mark.parametrize("goal, level, rpe", [
    (Goal.strength, Level.beginner, 7.5), (Goal.endurance, Level.beginner, 7.5),
    (Goal.endurance, Level.intermediate, 7.0), (Goal.general, Level.advanced, 7.5),
    (Goal.hypertrophy, Level.intermediate, 8.0), (Goal.strength, Level.advanced, 8.0),
])
def test_target_rpe_by_hand(goal, level, rpe) -> None:
    assert coach.target_rpe(goal, level) == rpe


def kit(equipment, pattern, mechanic="compound") -> ExerciseEntry:
    return ExerciseEntry(id="x", name="x", category="strength", equipment=equipment, pattern=pattern, mechanic=mechanic)


@pytest.mark.parametrize("e, load, step", [
    (kit("barbell", "squat"), 60, 5.0), (kit("barbell", "hinge"), 100, 5.0), (kit("barbell", "squat"), 59.5, 2.5),
    (kit("barbell", "horizontal_push"), 100, 2.5), (kit("machine", "squat"), 100, 2.5),
    (kit("dumbbell", "isolation"), 14.5, 1.0), (kit("dumbbell", "isolation"), 15, 2.0), (kit("dumbbell", "horizontal_push"), 10, 2.0),
    (kit("kettlebells", "isolation"), 8, 1.0), (kit("kettlebells", "hinge"), 24, 2.0),
    (kit("cable", "isolation"), 19.5, 1.0), (kit("cable", "isolation"), 20, 2.5), (None, 10, 2.5),
])
def test_load_step_by_hand(e, load, step) -> None:
    assert coach.load_step(e, load) == step


def exposures(*reps_lists: list[int], kg: float | None = 20.0, rpe: float | None = None) -> list[Exposure]:
    return [Exposure(wk(i), [WorkoutSet(exercise="x", weight_kg=kg, reps=r, rpe=rpe) for r in reps])
            for i, reps in enumerate(reps_lists)]


@pytest.mark.parametrize("reps, rng", [
    ([[8, 8, 7], [10, 9], [6, 12]], (7, 10)),            # lows 7, 9, 6 -> 7; highs 8, 10, 12 -> 10
    ([[1, 12], [1, 12], [1, 12]], (8, 12)),              # at most 4 apart: 12 - 4
    ([[5, 8], [8, 10]], (6, 10)),                        # two: the lower low 5 (-> 10 - 4 = 6), the higher high 10
    ([[3, 12], [8], [9], [10]], (9, 9)),                 # the last three only (all four: 8-10)
    ([[60], [60], [60]], (50, 50)),                      # at most 50
])
def test_rep_range_by_hand(reps, rng) -> None:
    assert coach._rep_range(exposures(*reps)) == rng


def test_rest_by_hand() -> None:
    assert coach._rest(kit("barbell", "squat"), 5) == 180
    assert coach._rest(kit("barbell", "squat"), 6) == 120
    assert coach._rest(kit("cable", "isolation", "isolation"), 3) == 75
    assert coach._rest(None, 3) == 75


def test_exposure_reads_the_top_sets() -> None:
    e = Exposure(wk(0), [WorkoutSet(exercise="x", weight_kg=100, reps=5, rpe=8), WorkoutSet(exercise="x", weight_kg=100, reps=4, rir=1),
                         WorkoutSet(exercise="x", weight_kg=90, reps=8, rpe=6), WorkoutSet(exercise="x", weight_kg=100, reps=3)])
    assert e.top_load == 100 and [s.reps for s in e.at_top()] == [5, 4, 3]
    assert e.rpe() == pytest.approx(8.5)  # RPE 8 and RIR 1 (9); the set without effort is left out
    bodyweight = Exposure(wk(0), [WorkoutSet(exercise="x", reps=10), WorkoutSet(exercise="x", weight_kg=0, reps=8)])
    assert bodyweight.top_load is None and len(bodyweight.at_top()) == 2 and bodyweight.rpe() is None


# --- progression branches, by hand (target RPE 8) ------------------------------------------------------------
CURL = ExerciseEntry(id="Curl", name="Curl", category="strength", equipment="dumbbell", mechanic="isolation",
                     pattern="isolation")


def hist(entry: ExerciseEntry | None, *sessions: tuple[float | None, list[int], float | None]) -> ExerciseHistory:
    return ExerciseHistory(key="k", name="Lift", entry=entry, exposures=[
        Exposure(wk(i), [WorkoutSet(exercise="Lift", weight_kg=kg, reps=r, rpe=rpe) for r in reps])
        for i, (kg, reps, rpe) in enumerate(sessions)])


def prog(h: ExerciseHistory, goal: Goal = Goal.hypertrophy) -> tuple:
    p = coach.progress(h, 3, 8.0, goal)
    assert p.sets == 3 and p.rpe == 8.0 and p.exercise == "Lift"
    return p.reps_low, p.reps_high, p.load_kg, p.rest_s, p.note


@pytest.mark.parametrize("sessions, goal, expected", [
    # isolation in doubles: back to the goal's isolation range, 20 % lighter (20 x 0.8 = 16)
    ([(20, [2, 2], None)], Goal.hypertrophy, (10, 15, 16.0, 75, "reps were very low: lighter, back in range")),
    ([(20.5, [4, 3], None)], Goal.strength, (8, 12, 16.5, 75, "reps were very low: lighter, back in range")),
    # five reps is a range, not a slip (a dumbbell isolation lift at 15 kg or more: 2 kg steps)
    ([(20, [5, 5], None)], Goal.hypertrophy, (5, 5, 22.0, 75, "hit 5 reps: add load")),
])
def test_isolation_in_singles_steps_back(sessions, goal, expected) -> None:
    assert prog(hist(CURL, *sessions), goal) == expected


@pytest.mark.parametrize("sessions, expected", [
    # body weight: lows 10, 12 -> 10; highs 12 -> 12; the last reached 12 on every set: one more rep both ends
    ([(None, [10, 10], None), (None, [12, 12], None)], (11, 13, None, 120, "add a rep")),
    # the last missed it: aim one over its lowest set (11 + 1 = 12)
    ([(None, [10, 10], None), (None, [12, 11], None)], (12, 12, None, 120, "add reps")),
])
def test_body_weight_progression(sessions, expected) -> None:
    assert prog(hist(SQUAT, *sessions)) == expected


@pytest.mark.parametrize("sessions, expected", [
    # three sessions at 120 kg, no more reps (16, 15, 16): reset 10 % lighter (108), the range 5-6 kept
    ([(120, [6, 5, 5], None), (120, [5, 5, 5], None), (120, [6, 5, 5], None)],
     (5, 6, 108.0, 120, "stalled 3 sessions: reset 10% lighter")),
    # more reps in the last (17 against 16): not stalled, add reps (lowest 5 + 1 = 6)
    ([(120, [6, 5, 5], None), (120, [5, 5, 5], None), (120, [6, 6, 5], None)],
     (6, 6, 120.0, 120, "same load, add reps")),
    # only two sessions: not yet a stall
    ([(120, [6, 5, 5], None), (120, [6, 5, 5], None)], (6, 6, 120.0, 120, "same load, add reps")),
    # RPE 9.5 (target + 1.5) and short of the top (8 of 10): 5 % lighter, 100 x 0.95 = 95, range 8-10
    ([(100, [10, 10], 8), (100, [9, 8], 9.5)], (8, 10, 95.0, 120, "RPE 9.5 last time: 5% lighter")),
    # RPE 9: not that hard, add a rep
    ([(100, [10, 10], 8), (100, [9, 8], 9)], (9, 10, 100.0, 120, "same load, add reps")),
    # the top at RPE 8 (the target): add the barbell squat's 5 kg
    ([(100, [8, 8], 8), (100, [10, 10], 8)], (8, 10, 105.0, 120, "hit 10 reps: add load")),
    # the top at RPE 8.5: same load, own it (the low end moves to the top)
    ([(100, [8, 8], 8), (100, [10, 10], 8.5)], (10, 10, 100.0, 120, "top of range but hard: same load, own it")),
    # RPE 6 (target - 2) short of the top: add load anyway, keep the reps done (9)
    ([(100, [8, 10], 8), (100, [9, 9], 6)], (9, 10, 105.0, 120, "RPE 6 last time: add load")),
    # RPE 6.5: add reps (lowest 9 + 1)
    ([(100, [8, 10], 8), (100, [9, 9], 6.5)], (10, 10, 100.0, 120, "same load, add reps")),
    # never over 600 kg
    ([(598, [3, 3], None), (598, [5, 5], None)], (3, 5, 600.0, 180, "hit 5 reps: add load")),
    # a load off the half kilo is rounded: 101.3 + 5 = 106.3 -> 106.5
    ([(101.3, [5, 5], None), (101.3, [5, 5], None)], (5, 5, 106.5, 180, "hit 5 reps: add load")),
])
def test_progression_branches_by_hand(sessions, expected) -> None:
    assert prog(hist(SQUAT, *sessions)) == expected


# --- swaps, by hand ---------------------------------------------------------------------------------------------
from peri.plans.checker import NoteFlag  # noqa: E402


def nf(severity: str) -> NoteFlag:
    return NoteFlag(severity, "ouch", dt.date(2026, 1, 1), ["knee"])


def entry_of(pattern: str, joints: tuple[str, ...] = (), **kw) -> ExerciseEntry:
    return ExerciseEntry(id=kw.pop("id", "x"), name=kw.pop("name", "X"), category="strength", pattern=pattern,
                         joints=list(joints), primary_muscles=list(kw.pop("primary", ["quadriceps"])), **kw)


@pytest.mark.parametrize("flags_kw, e, need", [
    ({"exercises": {"x": nf("high")}}, entry_of("core"), "hard"),       # blamed by a note
    ({"exercises": {"x": nf("medium")}}, entry_of("core"), "hard"),     # an old note still blames it
    ({"exercises": {"x": nf("low")}}, entry_of("core"), None),          # a note later resolved
    ({"constraint_regions": {"knee"}}, entry_of("squat", ("knee",)), "hard"),        # constraint, high
    ({"constraint_regions": {"knee"}}, entry_of("hinge", ("knee",)), "soft"),        # constraint, medium
    ({"constraint_regions": {"knee"}}, entry_of("other", ("knee",)), None),          # constraint, low
    ({"regions": {"knee": nf("high")}}, entry_of("squat", ("knee",)), "hard"),       # noted region, high
    ({"regions": {"knee": nf("medium")}}, entry_of("squat", ("knee",)), "soft"),     # the milder: medium
    ({"equipment": {"barbell"}}, entry_of("core", equipment="cable"), None),         # equipment: not a swap
])
def test_swap_need_by_hand(flags_kw, e, need) -> None:
    flags = AthleteFlags(constraint_regions=flags_kw.pop("constraint_regions", set()),
                         equipment=flags_kw.pop("equipment", None), **flags_kw)
    assert coach.swap_need("X", e, flags) == need


def test_swap_takes_the_load_from_the_substitutes_own_history() -> None:
    from peri.log.catalog import Catalog

    target = entry_of("squat", id="T", name="Target Squat", equipment="barbell")
    a = entry_of("squat", id="A", name="A Squat", equipment="barbell")
    b = entry_of("squat", id="B", name="B Squat", equipment="barbell")
    cat = Catalog([target, a, b])
    flags = AthleteFlags(constraint_regions=set(), equipment=None)
    p = Prescription(exercise="Target Squat", sets=4, reps_low=5, reps_high=8, load_kg=100, note="x")
    histories = {"B": hist(b, (80.3, [5], None), (90.3, [5], None))}
    used: set[str] = {"A"}  # already in the day
    got = coach._swap(p, target, flags, cat, used, histories)
    # B, the one left; its last top load 90.3 rounded to the half kilo; sets and reps kept
    assert (got.exercise, got.load_kg, got.note, got.sets, got.reps_low) == ("B Squat", 90.5, "instead of Target Squat", 4, 5)
    assert used == {"A", "B"}
    # no history of A: no load
    got = coach._swap(p, target, flags, cat, set(), {})
    assert (got.exercise, got.load_kg) == ("A Squat", None)
    # nothing left: None
    assert coach._swap(p, target, flags, cat, {"A", "B"}, {}) is None


def test_main_lifts_and_their_recent_e1rm() -> None:
    assert coach._is_main_lift(SQUAT) and not coach._is_main_lift(DB_PRESS) and not coach._is_main_lift(None)
    assert not coach._is_main_lift(kit("barbell", "isolation", "isolation"))
    # singles: their own 1RM; the best of the last four exposures (150 five back is left out)
    h = hist(SQUAT, (150, [1], None), (100, [1], None), (120, [1], None), (110, [1], None), (105, [1], None))
    assert coach._recent_e1rm(h) == 120.0
    assert coach._recent_e1rm(hist(SQUAT, (None, [10], None))) is None


def test_template_plan_by_hand() -> None:
    ctx = context([], days_per_week=5, split="full body", level=Level.beginner, goal=Goal.strength)
    plan = coach.template_plan(ctx, CATALOG, MONDAY)
    # five days of a three-day template: the first two again, numbered
    assert [d.name for d in plan.days] == ["Full Body A", "Full Body B", "Full Body C", "Full Body A 2", "Full Body B 2"]
    assert plan.week_of == MONDAY and plan.scenario.value == "normal"
    squat = plan.days[0].exercises[0]
    # a beginner: 2 sets at RPE 7.5; strength: 3-5 for a compound lift, with 3 minutes' rest
    assert (squat.exercise, squat.sets, squat.reps_low, squat.reps_high, squat.rpe, squat.rest_s) == (
        "Barbell Squat", 2, 3, 5, 7.5, 180)
    assert squat.note == "pick a load you could lift 2 more reps"
    curl = next(p for p in plan.days[0].exercises if p.exercise == "Lying Leg Curls")  # isolation: 8-12
    assert (curl.sets, curl.reps_low, curl.reps_high, curl.rest_s) == (2, 8, 12, 75)
    assert [p.exercise for p in plan.days[3].exercises] == [p.exercise for p in plan.days[0].exercises]
    # at most six days; an intermediate gets 3 sets
    six = coach.template_plan(context([], days_per_week=7, split="push/pull/legs"), CATALOG, MONDAY)
    assert [d.name for d in six.days] == ["Push", "Pull", "Legs", "Push 2", "Pull 2", "Legs 2"]
    assert {p.sets for d in six.days for p in d.exercises} == {3}


# --- a whole week from a hand-made log --------------------------------------------------------------------------

def lifts(ex_id: str, n: int, reps: int, kg: float) -> list[WorkoutSet]:
    name = CATALOG.get(ex_id).name
    return [WorkoutSet(exercise=name, exercise_id=ex_id, weight_kg=kg, reps=reps) for _ in range(n)]


def four_weeks() -> list[Session]:
    """Four weeks of Lower A (Monday: squat 3x8 @ 100, leg press 3x12 @ 150) and Upper A (Wednesday: bench 3x8 @ 80)."""
    out = []
    for w in range(-4, 0):
        out.append(Session(started_at=dt.datetime.combine(wk(w), dt.time(18)), name="Lower A",
                           sets=lifts("Barbell_Squat", 3, 8, 100) + lifts("Leg_Press", 3, 12, 150)))
        out.append(Session(started_at=dt.datetime.combine(wk(w, 2), dt.time(18)), name="Upper A (light)" if w == -4 else "Upper A",
                           sets=lifts("Barbell_Bench_Press_-_Medium_Grip", 3, 8, 80)))
    return out


def week_of(plan) -> list[tuple]:
    return [(d.name, [(p.exercise, p.sets, p.reps_low, p.reps_high, p.load_kg, p.rpe) for p in d.exercises])
            for d in plan.days]


def test_rule_plan_progresses_each_lift_by_hand() -> None:
    from peri.plans.schema import Scenario

    ctx = context(four_weeks(), days_per_week=4)
    # the first week, with its "Upper A (light)", is a light week and left out; two days (the fullest week and the
    # groups agree; 4 a week would allow more); every set at the top of its one-number range with no effort logged: add load (barbell squat
    # over 60 kg: 5; leg press on a machine and the bench: 2.5); RPE 8 (an intermediate's hypertrophy target)
    assert week_of(coach.rule_plan(ctx, CATALOG)) == [
        ("Lower A", [("Barbell Squat", 3, 8, 8, 105.0, 8.0), ("Leg Press", 3, 12, 12, 152.5, 8.0)]),
        ("Upper A", [("Barbell Bench Press - Medium Grip", 3, 8, 8, 82.5, 8.0)]),
    ]
    # a deload: 3 sets -> 2, the last top load 10 % lighter (to the half kilo), RPE 8 - 2
    assert week_of(coach.rule_plan(ctx, CATALOG, Scenario.deload)) == [
        ("Lower A", [("Barbell Squat", 2, 8, 8, 90.0, 6.0), ("Leg Press", 2, 12, 12, 135.0, 6.0)]),
        ("Upper A", [("Barbell Bench Press - Medium Grip", 2, 8, 8, 72.0, 6.0)]),
    ]
    # an injury week with no region to spare: RPE one lower
    injured = coach.rule_plan(ctx, CATALOG, Scenario.injury)
    assert {p.rpe for d in injured.days for p in d.exercises} == {7.0}
    # one day a week: the day done least recently (Lower A, on Mondays)
    assert [d.name for d in coach.rule_plan(context(four_weeks(), days_per_week=1), CATALOG).days] == ["Lower A"]


# --- the full pass's survivors (issue 20), by hand ------------------------------------------------------------

def test_a_single_is_a_working_set() -> None:
    assert coach._working(WorkoutSet(exercise="x", weight_kg=100, reps=1))
    assert not coach._working(WorkoutSet(exercise="x", weight_kg=100, reps=1, set_type=SetType.warmup))
    assert not coach._working(WorkoutSet(exercise="x", weight_kg=100, reps=-3))  # a broken row is no work


def test_brackets_inside_a_name_go_too() -> None:
    assert coach.clean_day_name("Lower [light] B") == "Lower B"


def test_a_week_is_light_by_its_sets_per_session() -> None:
    # weeks 0 and 1: one session of 10 sets; week 2: two sessions of 5 (10 in the week, 5 a session: under 6)
    sessions = [sess(wk(0), "A", ("X", 10)), sess(wk(1), "A", ("X", 10)), sess(wk(2), "A", ("X", 5)),
                sess(wk(2, 2), "B", ("X", 5))]
    assert coach.light_weeks(sessions) == {wk(2)}


def test_the_window_widens_to_eight_weeks_not_more() -> None:
    x = ("X", 3)
    s = [sess(wk(-10), "ten", x), sess(wk(-1), "last", x)]
    # one session in 4 weeks, still one in 8: the recent one alone (ten weeks back is outside both)
    assert [x.name for x in coach._window(context(s), set())] == ["last"]


def test_histories_by_hand() -> None:
    s1 = Session(started_at=dt.datetime(2026, 3, 2, 18), name="A", sets=[
        WorkoutSet(exercise="My squat", exercise_id="Barbell_Squat", weight_kg=100, reps=5),  # the id decides
        WorkoutSet(exercise="barbell bench press", weight_kg=80, reps=5),  # no id: the matcher
        WorkoutSet(exercise=" Zorblax ", weight_kg=20, reps=10), WorkoutSet(exercise="zorblax", weight_kg=20, reps=9)])
    s2 = Session(started_at=dt.datetime(2026, 3, 4, 18), name="A", sets=[
        WorkoutSet(exercise="My squat", exercise_id="Barbell_Squat", weight_kg=105, reps=5)])
    h = coach._histories([s1, s2], CATALOG)
    assert sorted(h) == ["Barbell_Squat", "name:barbell bench press", "name:zorblax"]
    squat = h["Barbell_Squat"]
    assert (squat.key, squat.name, squat.entry.id) == ("Barbell_Squat", "Barbell Squat", "Barbell_Squat")
    assert [(e.day, e.top_load) for e in squat.exposures] == [(dt.date(2026, 3, 2), 100), (dt.date(2026, 3, 4), 105)]
    assert h["name:barbell bench press"].entry is not None
    # unmapped: the first set's own words, trimmed
    assert (h["name:zorblax"].name, len(h["name:zorblax"].exposures[0].sets)) == ("Zorblax", 2)


def test_as_many_groups_as_days_keep_the_latest_full_weeks_order() -> None:
    a, b = (lambda d: sess(d, "A")), (lambda d: sess(d, "B"))
    # week 0: A then B; week 1: A only. Two groups, two days: week 0's order, not the least recently done first
    assert coach._day_order([a(wk(0)), b(wk(0, 2)), a(wk(1))], 2) == ["a", "b"]


def test_day_selection_orders_by_relative_place() -> None:
    # z at 1/4 and 0 (mean 1/8), b at 0 and 1/2 (1/4), c at 2/4, d at 3/4: by place, not by name or raw index
    group = [sess(wk(0), "A", ("b", 1), ("z", 1), ("c", 1), ("d", 1)), sess(wk(1), "A", ("z", 1), ("b", 1))]
    assert [k for k, _ in coach._day_selection(group)] == ["z", "b", "c", "d"]


def test_isolation_singles_step_back_with_the_entrys_rest() -> None:
    # an isolation-pattern lift the catalog calls compound rests as a compound: 120 s at 10-15 reps
    assert prog(hist(kit("dumbbell", "isolation"), (20, [2, 2], None)))[3] == 120


def test_a_stall_is_read_from_the_last_three_sessions() -> None:
    # four sessions; the last three at 120 kg with no more reps: reset, whatever came before
    h = hist(SQUAT, (110, [6, 6, 6], None), (120, [6, 5, 5], None), (120, [5, 5, 5], None), (120, [6, 5, 5], None))
    assert prog(h)[2:] == (108.0, 120, "stalled 3 sessions: reset 10% lighter")


def test_body_weight_reps_stop_at_fifty() -> None:
    h = hist(SQUAT, (None, [60, 60], None), (None, [60, 60], None), (None, [60, 60], None))
    assert prog(h)[:3] == (50, 50, None)


def test_body_weight_short_of_the_top_aims_one_rep_over() -> None:
    # lows 8, 8, 9 -> 8; highs 12, 12, 9 -> 12; the last's lowest 9: aim at 10-12
    h = hist(SQUAT, (None, [8, 12], None), (None, [8, 12], None), (None, [9, 9], None))
    assert prog(h)[:2] == (10, 12)


def test_template_split_reads_upper_alone() -> None:
    assert coach._template_split("Upper focus", 3) == "upper/lower"


def test_template_plan_takes_the_days_and_goal() -> None:
    # an unknown split name over 4 days: upper/lower; an intermediate's endurance target is RPE 7
    plan = coach.template_plan(context([], days_per_week=4, split="bro", goal=Goal.endurance), CATALOG, MONDAY)
    assert [d.name for d in plan.days] == ["Upper A", "Lower A", "Upper B", "Lower B"]
    assert {p.rpe for d in plan.days for p in d.exercises} == {7.0}


def test_swap_need_of_an_unmapped_lift() -> None:
    flags = AthleteFlags(constraint_regions=set(), equipment=None, names={"zorblax": nf("high")})
    assert coach.swap_need("Zorblax", None, flags) == "hard"  # the notes blame it by name
    # not in the catalog and not blamed: a medium "unknown" finding is no reason to swap
    assert coach.swap_need("Florp", None, flags) is None


def test_swap_pattern_and_the_last_load() -> None:
    from peri.log.catalog import Catalog

    target = entry_of("squat", id="T", name="Target Squat", equipment="barbell")
    other = entry_of("hinge", id="H", name="A Hinge", equipment="barbell")
    cat = Catalog([target, other])
    flags = AthleteFlags(constraint_regions=set(), equipment=None)
    p = Prescription(exercise="Target Squat", sets=4, reps_low=5, reps_high=8, load_kg=100)
    # only another pattern left: found by default, not when the same pattern is asked for
    assert coach._swap(p, target, flags, cat, set(), {}, same_pattern=True) is None
    # its last exposure's top load, not an earlier one (the middle one was body weight)
    histories = {"H": hist(other, (80, [5], None), (None, [5], None), (90.3, [5], None))}
    got = coach._swap(p, target, flags, cat, set(), histories)
    assert (got.exercise, got.load_kg) == ("A Hinge", 90.5)


def on(day: dt.date, name: str, *sets_lists: list[WorkoutSet]) -> Session:
    return Session(started_at=dt.datetime.combine(day, dt.time(18)), name=name, sets=[s for x in sets_lists for s in x])


def test_a_lift_on_two_days_progresses_from_its_last_exposure() -> None:
    from peri.log.models import Goal

    s = []
    for w in range(-4, 0):
        s.append(on(wk(w), "Lower A", lifts("Barbell_Squat", 3, 8, 100), lifts("Hammer_Curls", 2, 2, 20)))
        s.append(on(wk(w, 3), "Lower B", lifts("Barbell_Squat", 3, 8, 80)))
    plan = coach.rule_plan(context(s, days_per_week=2, goal=Goal.strength), CATALOG, repair=False)
    # the squat's last exposure is Thursday's 80 kg: 85 on both days (not 105 on Monday from Monday's alone);
    # curls in doubles: a strength athlete's isolation range 8-12, 20 x 0.8 = 16 kg
    assert week_of(plan) == [
        ("Lower A", [("Barbell Squat", 3, 8, 8, 85.0, 8.0), ("Hammer Curls", 2, 8, 12, 16.0, 8.0)]),
        ("Lower B", [("Barbell Squat", 3, 8, 8, 85.0, 8.0)]),
    ]


def test_a_window_of_deloads_reads_its_own_sessions() -> None:
    from peri.log.models import Goal

    s = [on(wk(-12), "Old", lifts("Leg_Press", 3, 12, 150)), on(wk(-11), "Old", lifts("Leg_Press", 3, 12, 150)),
         on(wk(-2), "Deload A", lifts("Barbell_Squat", 3, 5, 60), lifts("Hammer_Curls", 2, 2, 20)),
         on(wk(-1), "Deload A", lifts("Barbell_Squat", 3, 5, 60), lifts("Hammer_Curls", 2, 2, 20))]
    # the recent weeks are all deloads and the normal history (leg press) has neither lift: the deload sessions
    # give the progression: 60 x 5 at the top, +5 kg (a barbell squat at 60 kg); curls as above
    plan = coach.rule_plan(context(s, days_per_week=3, goal=Goal.strength), CATALOG, repair=False)
    assert week_of(plan) == [
        ("A", [("Barbell Squat", 3, 5, 5, 65.0, 8.0), ("Hammer Curls", 2, 8, 12, 16.0, 8.0)])]


def test_three_sessions_of_one_day_make_three_days() -> None:
    s = [on(wk(w, d), "Full Body", lifts("Barbell_Squat", 3, 8, 100)) for w in (-2, -1) for d in (0, 2, 4)]
    s.append(on(wk(0), "Full Body", lifts("Barbell_Squat", 3, 8, 200)))  # today's session is not history yet
    plan = coach.rule_plan(context(s, days_per_week=4, level=Level.beginner), CATALOG, repair=False)
    # a beginner's RPE 7.5
    assert week_of(plan) == [("Full Body", [("Barbell Squat", 3, 8, 8, 105.0, 7.5)])] * 3


def test_an_unnamed_day_is_named_by_its_weekday_and_a_deload_week_is_no_history() -> None:
    s = [on(wk(w, 2), "", lifts("Barbell_Squat", 3, 8, 100)) for w in (-4, -3, -2)]
    s.append(on(wk(-1, 2), "Deload", lifts("Barbell_Squat", 3, 8, 80)))
    plan = coach.rule_plan(context(s, days_per_week=3, goal=Goal.endurance), CATALOG, repair=False)
    # from the last normal week's 100 kg (not the deload's 80); an intermediate's endurance target RPE 7
    assert week_of(plan) == [("Wednesday", [("Barbell Squat", 3, 8, 8, 105.0, 7.0)])]


def test_travel_keeps_the_equipment_given() -> None:
    from peri.plans.schema import Scenario

    s = [on(wk(w), "Push", lifts("Dumbbell_Bench_Press", 3, 8, 30)) for w in (-2, -1)]
    plan = coach.rule_plan(context(s), CATALOG, Scenario.travel, equipment=["Dumbbell"], repair=False)
    assert week_of(plan) == [("Push", [("Dumbbell Bench Press", 3, 8, 8, 32.0, 8.0)])]


def test_peaking_weeks_out_by_hand() -> None:
    from peri.plans.schema import Scenario

    ctx = context([on(wk(w), "Legs", lifts("Barbell_Squat", 3, 8, 100)) for w in (-2, -1)])

    def note(event: dt.date | None) -> str:
        return coach.rule_plan(ctx, CATALOG, Scenario.peaking, event_date=event, repair=False).days[0].exercises[0].note

    assert note(None) == "peaking, 3 weeks out"  # no date: three weeks
    assert note(MONDAY + dt.timedelta(days=2)) == "event week: openers, stay fresh"  # 2 // 7 = 0
    assert note(MONDAY + dt.timedelta(days=10)) == "peaking, 1 weeks out"  # 10 // 7 = 1


def zorblax(n: int, kg: float) -> list[WorkoutSet]:
    return [WorkoutSet(exercise="Zorblax", weight_kg=kg, reps=10) for _ in range(n)]


def test_an_unmapped_lift_is_kept_at_home_and_left_on_the_road() -> None:
    from peri.plans.schema import Scenario

    s = [on(wk(w), "A", zorblax(3, 20), lifts("Dumbbell_Bench_Press", 3, 8, 30)) for w in (-2, -1)]
    # at home: kept (no note blames it), +2.5 kg (no entry: the plain step); the dumbbell press +2 kg
    assert week_of(coach.rule_plan(context(s), CATALOG, repair=False)) == [
        ("A", [("Zorblax", 3, 10, 10, 22.5, 8.0), ("Dumbbell Bench Press", 3, 8, 8, 32.0, 8.0)])]
    # on the road its equipment is unknown: left out, and the rest of the day goes on
    assert week_of(coach.rule_plan(context(s), CATALOG, Scenario.travel, repair=False)) == [
        ("A", [("Dumbbell Bench Press", 3, 8, 8, 32.0, 8.0)])]


def test_a_day_with_nothing_left_gets_the_fallback() -> None:
    from peri.plans.schema import Scenario

    s = [on(wk(w), "A", zorblax(3, 20)) for w in (-2, -1)]
    plan = coach.rule_plan(context(s), CATALOG, Scenario.travel, repair=False)
    # the first three safe simple exercises, 3 x 10-15 at the target RPE 8, no load
    assert week_of(plan) == [("A", [(n, 3, 10, 15, None, 8.0) for n in ("Bodyweight Squat", "Pushups", "Plank")])]


def own_catalog_plan(lift: ExerciseEntry, other: ExerciseEntry):
    from peri.log.catalog import Catalog

    s = [on(wk(w), "A", [WorkoutSet(exercise=lift.name, exercise_id=lift.id, weight_kg=100, reps=8)] * 3)
         for w in (-2, -1)]
    return week_of(coach.rule_plan(context(s, constraint_regions=["knee"]), Catalog([lift, other]), repair=False))


def test_a_wanted_swap_keeps_the_pattern_and_a_needed_one_does_not() -> None:
    # a hinge loading the knee (medium for a knee constraint): only another hinge would do; a squat is all there is,
    # so the hinge stays (+2.5 kg: no equipment given)
    knee_hinge = entry_of("hinge", ("knee",), id="KH", name="Knee Hinge")
    assert own_catalog_plan(knee_hinge, entry_of("squat", id="BS", name="Box Squat")) == [
        ("A", [("Knee Hinge", 3, 8, 8, 102.5, 8.0)])]
    # a squat loading the knee (high): it must go, to any pattern: the hinge, with no load (never done)
    knee_squat = entry_of("squat", ("knee",), id="KS", name="Knee Squat")
    assert own_catalog_plan(knee_squat, entry_of("hinge", id="BH", name="Back Hinge")) == [
        ("A", [("Back Hinge", 3, 8, 8, None, 8.0)])]


def test_a_deload_swap_takes_the_substitutes_own_last_load() -> None:
    from peri.log.catalog import Catalog
    from peri.plans.schema import Scenario

    knee_squat = entry_of("squat", ("knee",), id="KS", name="Knee Squat")
    back_hinge = entry_of("hinge", id="BH", name="Back Hinge")
    s = []
    for w in (-2, -1):
        s.append(on(wk(w), "A", [WorkoutSet(exercise="Knee Squat", exercise_id="KS", weight_kg=100, reps=8)] * 3))
        s.append(on(wk(w, 3), "B", [WorkoutSet(exercise="Back Hinge", exercise_id="BH", weight_kg=60, reps=8)] * 3))
    plan = coach.rule_plan(context(s, constraint_regions=["knee"]), Catalog([knee_squat, back_hinge]), Scenario.deload,
                           repair=False)
    # the squat must go: the hinge, deloaded from its own last top load (60 x 0.9 = 54), 3 sets -> 2, RPE 8 - 2
    assert week_of(plan) == [("A", [("Back Hinge", 2, 8, 8, 54.0, 6.0)]), ("B", [("Back Hinge", 2, 8, 8, 54.0, 6.0)])]


def test_a_swap_never_lands_on_a_lift_already_in_the_day() -> None:
    from peri.log.catalog import Catalog

    knee_squat = entry_of("squat", ("knee",), id="KS", name="Knee Squat")
    back_hinge = entry_of("hinge", id="BH", name="Back Hinge")
    s = [on(wk(w), "A", [WorkoutSet(exercise="Knee Squat", exercise_id="KS", weight_kg=100, reps=8)] * 3,
            [WorkoutSet(exercise="Back Hinge", exercise_id="BH", weight_kg=60, reps=8)] * 3) for w in (-2, -1)]
    plan = coach.rule_plan(context(s, constraint_regions=["knee"]), Catalog([knee_squat, back_hinge]), repair=False)
    # the hinge is already in the day: the squat has nowhere to go and is dropped; the hinge progresses (+2.5)
    assert week_of(plan) == [("A", [("Back Hinge", 3, 8, 8, 62.5, 8.0)])]


def test_the_logged_id_decides_over_the_words() -> None:
    s = Session(started_at=dt.datetime(2026, 3, 2, 18), name="A", sets=[
        WorkoutSet(exercise="Zorblax", exercise_id="Barbell_Squat", weight_kg=100, reps=5)])
    assert coach._histories([s], CATALOG)["Barbell_Squat"].name == "Barbell Squat"


def test_body_weight_lifts_go_on_the_road_with_any_equipment() -> None:
    from peri.plans.schema import Scenario

    def bw(ex_id: str) -> list[WorkoutSet]:
        return [WorkoutSet(exercise=CATALOG.get(ex_id).name, exercise_id=ex_id, reps=10) for _ in range(3)]

    s = [on(wk(w), "A", bw("Pushups"), bw("Inverted_Row")) for w in (-2, -1)]
    # push-ups ("body only") and inverted rows (no equipment named: body only) stay with only dumbbells given;
    # every set at the top of 10: one more rep
    plan = coach.rule_plan(context(s), CATALOG, Scenario.travel, equipment=["Dumbbell"], repair=False)
    assert week_of(plan) == [("A", [("Pushups", 3, 11, 11, None, 8.0), ("Inverted Row", 3, 11, 11, None, 8.0)])]


def test_a_lift_logged_with_and_without_its_id_is_planned_once() -> None:
    unnamed = [WorkoutSet(exercise="barbell squat", weight_kg=100, reps=8) for _ in range(2)]
    s = [on(wk(w), "A", lifts("Barbell_Squat", 3, 8, 100), unnamed, lifts("Leg_Press", 3, 12, 150)) for w in (-2, -1)]
    # two histories (by id, by words) of one catalog lift: the day keeps the first, and goes on to the leg press
    assert week_of(coach.rule_plan(context(s), CATALOG, repair=False)) == [
        ("A", [("Barbell Squat", 3, 8, 8, 105.0, 8.0), ("Leg Press", 3, 12, 12, 152.5, 8.0)])]


def test_an_unmapped_lift_a_note_blames_is_dropped() -> None:
    from peri.log.models import Annotation

    s = [on(wk(w), "A", zorblax(3, 20), lifts("Dumbbell_Bench_Press", 3, 8, 30)) for w in (-2, -1)]
    hurt = Annotation(date=MONDAY - dt.timedelta(days=10), text="zorblax hurt", exercise="Zorblax", tags=["pain"])
    ctx = context(s).model_copy(update={"annotations": [hurt]})
    # a recent pain note on it: it must go, and with no catalog entry there is nothing to swap it for
    assert week_of(coach.rule_plan(ctx, CATALOG, repair=False)) == [("A", [("Dumbbell Bench Press", 3, 8, 8, 32.0, 8.0)])]


def test_the_fallback_on_the_road_uses_the_road_equipment() -> None:
    from peri.plans.schema import Scenario

    s = [on(wk(w), "A", zorblax(3, 20)) for w in (-2, -1)]
    # a barbell-only home gym does not matter on the road: body weight and dumbbells are what is at hand, so with
    # knee and shoulder spared (no squat, no push-ups) the dumbbell raise comes third (see the fallback tests above)
    ctx = context(s, equipment=["barbell"], constraint_regions=["knee", "shoulder"])
    plan = coach.rule_plan(ctx, CATALOG, Scenario.travel, repair=False)
    assert [p.exercise for p in plan.days[0].exercises] == ["Plank", "Inverted Row", "Side Lateral Raise"]


def test_a_guessed_lift_with_no_equipment_word_stays_home() -> None:
    from peri.plans.schema import Scenario

    row = [WorkoutSet(exercise="Zorblax Row", weight_kg=20, reps=10) for _ in range(3)]
    s = [on(wk(w), "A", row, lifts("Dumbbell_Bench_Press", 3, 8, 30)) for w in (-2, -1)]
    # "Zorblax Row" is read from its words (a row, equipment unknown): planned at home, not taken on the road
    home = coach.rule_plan(context(s), CATALOG, repair=False)
    road = coach.rule_plan(context(s), CATALOG, Scenario.travel, repair=False)
    assert "Zorblax Row" in [p.exercise for p in home.days[0].exercises]
    assert "Zorblax Row" not in [p.exercise for p in road.days[0].exercises]
    assert "Dumbbell Bench Press" in [p.exercise for p in road.days[0].exercises]


# --- the checker's repair of the rule plan (rule_plan's last lines), by hand -------------------------------------
# Each week below is one where the rules alone give a plan the checker finds fixable fault with; the repaired plan is
# worked out by hand from the checker's rules (scale sets towards the recent mean, cap the deload RPE, bring a load
# back to the recent best).

LEG = ExerciseEntry(id="LX", name="Leg Thing", category="strength", pattern="isolation", mechanic="isolation",
                    equipment="machine", primary_muscles=["quadriceps"])


def leg(day: dt.date, name: str, n: int = 6, rpe: float | None = None) -> Session:
    return on(day, name, [WorkoutSet(exercise="Leg Thing", exercise_id="LX", weight_kg=50, reps=10, rpe=rpe)] * n)


def rotation(rpe: float | None = None) -> list[Session]:
    """Four named days A-D done two a week (A, B; C, D; A, B; C, D), each 6 sets of the one quad lift at 50 x 10."""
    return [leg(wk(w, d), name, rpe=rpe) for w, pair in zip(range(-4, 0), ["AB", "CD", "AB", "CD"])
            for d, name in zip((0, 3), pair)]


def test_a_rotation_planned_in_full_is_trimmed_to_the_recent_volume() -> None:
    from peri.log.catalog import Catalog

    ctx = context(rotation(), days_per_week=4)
    cat = Catalog([LEG])
    # the rules alone: four groups and four days a week allowed, so all four days, each 6 sets at the top of 10 reps
    # (+2.5 kg on a machine): 24 quad sets against 12 a week recently, a doubling (+12 >= 6): volume_jump, high
    raw = [(n, [("Leg Thing", 6, 10, 10, 52.5, 8.0)]) for n in "ABCD"]
    assert week_of(coach.rule_plan(ctx, cat, repair=False)) == raw
    # repaired (and repair is the default): the target is max(12 x 1.2, 12 + 2) = 14.4 sets; pass 1 scales by
    # 14.4 / 24 = 0.6: 6 -> 4 (3.6 rounded); pass 2, 16 > 14.4, by 0.9: 4 -> 3.6 -> 4, kept by rounding, so one set
    # off: 3; 12 sets is under the target and the passes stop
    assert week_of(coach.rule_plan(ctx, cat)) == [(n, [("Leg Thing", 3, 10, 10, 52.5, 8.0)]) for n in "ABCD"]


def test_a_deload_of_a_rotation_is_cut_to_sixty_percent_and_eased() -> None:
    from peri.log.catalog import Catalog
    from peri.plans.schema import Scenario

    ctx = context(rotation(rpe=6.5), days_per_week=4)
    cat = Catalog([LEG])
    # the rules alone: half of 6 sets (3), 50 x 0.9 = 45 kg, RPE 8 - 2 = 6 on four days: 12 hard sets against a recent
    # 12 a week (deload_volume, high: not under the mean) and RPE 6 against a logged 6.5 (over 6.5 - 1:
    # deload_intensity, medium)
    assert week_of(coach.rule_plan(ctx, cat, Scenario.deload, repair=False)) == [
        (n, [("Leg Thing", 3, 10, 10, 45.0, 6.0)]) for n in "ABCD"]
    # repaired: 60 % of 12 = 7.2 sets over 12 planned: 3 x 0.6 = 1.8 -> 2 a day; the RPE capped at
    # max(5, (6.5 - 2) to the half) = max(5, 4.5) = 5
    assert week_of(coach.rule_plan(ctx, cat, Scenario.deload)) == [
        (n, [("Leg Thing", 2, 10, 10, 45.0, 5.0)]) for n in "ABCD"]


def test_back_from_a_light_month_the_load_comes_back_to_what_was_shown() -> None:
    from peri.log.catalog import Catalog

    squat = ExerciseEntry(id="LS", name="Leg Squat", category="strength", pattern="squat", mechanic="compound",
                          equipment="barbell", primary_muscles=["quadriceps"])

    def sets(kg: float) -> list[WorkoutSet]:
        return [WorkoutSet(exercise="Leg Squat", exercise_id="LS", weight_kg=kg, reps=5)] * 5

    # four normal weeks of 5 x 5 at 100 kg, then four "Deload A" weeks at 60 kg: the deload weeks are no history, so the
    # rules go on from 100 x 5 (+5 kg on a barbell over 60 kg): 105. The checker's last four logged weeks are the
    # deloads: 105 x 5 is far past 60 x 5 (load_jump, medium), and the repair scales the load by the two e1RMs at the
    # same 5 reps, 105 x 60 / 105 = 60 kg
    s = [on(wk(w), "A", sets(100)) for w in range(-8, -4)] + [on(wk(w), "Deload A", sets(60)) for w in range(-4, 0)]
    ctx, cat = context(s), Catalog([squat])
    assert week_of(coach.rule_plan(ctx, cat, repair=False)) == [("A", [("Leg Squat", 5, 5, 5, 105.0, 8.0)])]
    assert week_of(coach.rule_plan(ctx, cat)) == [("A", [("Leg Squat", 5, 5, 5, 60.0, 8.0)])]


def test_only_the_fixable_findings_are_repaired() -> None:
    from peri.log.catalog import Catalog

    knee_hinge = entry_of("hinge", ("knee",), id="KH", name="Knee Hinge")
    s = [on(wk(w), "A", [WorkoutSet(exercise="Knee Hinge", exercise_id="KH", weight_kg=100, reps=8)] * 3)
         for w in (-2, -1)]
    # as in test_a_wanted_swap_keeps_the_pattern_and_a_needed_one_does_not, now with the repair on: the hinge
    # stays with its medium knee finding; the checker's repair would swap it for the squat (any pattern), but a
    # safety finding is the rules' call, not the repair's
    plan = coach.rule_plan(context(s, constraint_regions=["knee"]),
                           Catalog([knee_hinge, entry_of("squat", id="BS", name="Box Squat")]))
    assert week_of(plan) == [("A", [("Knee Hinge", 3, 8, 8, 102.5, 8.0)])]


def test_an_injury_swap_spares_every_injured_region() -> None:
    from peri.log.catalog import Catalog
    from peri.log.models import Annotation
    from peri.plans.schema import Scenario

    knee_squat = entry_of("squat", ("knee",), id="KS", name="Knee Squat")
    wrist_squat = entry_of("squat", ("wrist",), id="WS", name="Wrist Squat")
    back_hinge = entry_of("hinge", id="BH", name="Back Hinge")
    s = [on(wk(w), "A", [WorkoutSet(exercise="Knee Squat", exercise_id="KS", weight_kg=100, reps=8)] * 3)
         for w in (-2, -1)]
    # a knee constraint, and a recent pain note on another lift about the wrist (it flags that lift, not the region)
    hurt = Annotation(date=MONDAY - dt.timedelta(days=10), text="zorblax hurt my wrist", exercise="Zorblax",
                      tags=["pain"], regions=["wrist"])
    ctx = context(s, constraint_regions=["knee"]).model_copy(update={"annotations": [hurt]})
    cat = Catalog([knee_squat, wrist_squat, back_hinge])
    # the squat loads the knee (high): it must go. In a normal week the wrist is no reason to pass over the
    # same-pattern squat; in an injury week every injured region is spared: the hinge, RPE 8 - 1
    assert week_of(coach.rule_plan(ctx, cat, repair=False)) == [("A", [("Wrist Squat", 3, 8, 8, None, 8.0)])]
    assert week_of(coach.rule_plan(ctx, cat, Scenario.injury, repair=False)) == [
        ("A", [("Back Hinge", 3, 8, 8, None, 7.0)])]


def test_a_guessed_lift_goes_on_the_road_with_its_equipment() -> None:
    from peri.plans.schema import Scenario

    row = [WorkoutSet(exercise="Zorblax Dumbbell Row", weight_kg=20, reps=10) for _ in range(3)]
    s = [on(wk(w), "A", row) for w in (-2, -1)]
    # not in the catalog, read from its words as a dumbbell row: with dumbbells at hand it stays (+2 kg, a dumbbell)
    plan = coach.rule_plan(context(s), CATALOG, Scenario.travel, equipment=["dumbbell"], repair=False)
    assert week_of(plan) == [("A", [("Zorblax Dumbbell Row", 3, 10, 10, 22.0, 8.0)])]


def test_with_no_fallback_in_the_catalog_the_day_keeps_its_own() -> None:
    from peri.log.catalog import Catalog
    from peri.plans.schema import Scenario

    s = [on(wk(w), "A", zorblax(3, 20)) for w in (-2, -1)]
    # on the road the unmapped lift goes; a catalog with none of the fallback exercises has nothing to put in its
    # place, so the day keeps what the rules gave it (+2.5 kg, the plain step)
    plan = coach.rule_plan(context(s), Catalog([entry_of("hinge", id="BH", name="Back Hinge")]), Scenario.travel,
                           repair=False)
    assert week_of(plan) == [("A", [("Zorblax", 3, 10, 10, 22.5, 8.0)])]
