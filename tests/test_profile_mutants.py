"""Profile derivation pinned down where mutmut found it loose (issue 20): every evidence sentence and value
written out by hand for small logs built here."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from peri.errors import ConfigError
from peri.log import profile
from peri.log.context import AthleteContext
from peri.log.models import Athlete, FieldSource, Goal, Level, Session, SetType, WorkoutSet
from peri.log.profile import (derive_days, derive_equipment, derive_goal, derive_level, derive_profile, derive_split,
                              profiled,
                              set_profile)

MONDAY = dt.date(2026, 1, 5)


def _day(day: dt.date) -> Session:
    return Session(started_at=dt.datetime.combine(day, dt.time(18)),
                   sets=[WorkoutSet(exercise="Squat", weight_kg=100, reps=5)])


def test_derive_days_evidence_by_hand() -> None:
    # weeks of 3, 1 and 2 distinct days (two sessions on one Monday count once): median 2, mean 2.0
    days = [MONDAY, MONDAY, MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4),
            MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=14), MONDAY + dt.timedelta(days=20)]
    f = derive_days([_day(d) for d in days], 3)
    assert f.value == 2
    assert f.source.evidence == "median 2 training days a week over the last 3 active weeks (mean 2.0; weeks: 3 1 2)"
    assert (f.source.phrase, f.source.short) == ("~2 training days a week", "~2x/wk")
    # one week of two days; then weeks of 1 and 2 days: a median of 1.5 rounds up to 2
    one = derive_days([_day(MONDAY), _day(MONDAY + dt.timedelta(days=1))], 1)
    assert one.value == 2 and one.source.evidence == ("median 2 training days a week over the one week logged "
                                                      "(mean 2.0; weeks: 2)")
    half = derive_days([_day(MONDAY), _day(MONDAY + dt.timedelta(days=7)), _day(MONDAY + dt.timedelta(days=9))], 2)
    assert half.value == 2 and half.source.evidence.startswith("median 1.5 training days a week over the last 2")
    none = derive_days([], 0)
    assert none.value is None and none.source.kind == "unknown" and none.source.evidence == "no sessions logged"
    assert none.field == f.field == "days_per_week"


def _sets(day: dt.date, exercise: str, reps: list[int], kg: float = 60.0, **kw) -> Session:
    return Session(started_at=dt.datetime.combine(day, dt.time(18)),
                   sets=[WorkoutSet(exercise=exercise, order=i + 1, weight_kg=kg, reps=r, **kw)
                         for i, r in enumerate(reps)])


@pytest.mark.parametrize("reps, goal, evidence", [
    # 6 of 10 at 1-5 reps, 2 at 6-12, 2 over 15; median of 3 3 3 3 3 3 8 8 20 20 is 3
    ([3, 3, 3, 3, 3, 3, 8, 8, 20, 20], "strength",
     "median 3 reps; 60% of loaded working sets at 1-5 reps, 20% at 6-12, 20% over 15"),
    # exactly half at 5 reps is enough; 13-15 reps count in no range
    ([5] * 5 + [13] * 5, "strength", "median 9 reps; 50% of loaded working sets at 1-5 reps, 0% at 6-12, 0% over 15"),
    ([6, 6, 6, 12, 12, 14, 14, 14, 14, 14], "hypertrophy",
     "median 13 reps; 0% of loaded working sets at 1-5 reps, 50% at 6-12, 0% over 15"),
    ([16] * 5 + [15] * 5, "endurance",
     "median 15.5 reps; 0% of loaded working sets at 1-5 reps, 0% at 6-12, 50% over 15"),
    ([14] * 10, None, "median 14 reps; 0% of loaded working sets at 1-5 reps, 0% at 6-12, 0% over 15: no one range "
                      "dominates"),
])
def test_derive_goal_by_hand(reps: list[int], goal: str | None, evidence: str) -> None:
    # a warm-up and an unloaded set are not read
    sessions = [_sets(MONDAY, "Squat", reps), _sets(MONDAY, "Squat", [1], set_type=SetType.warmup),
                _sets(MONDAY, "Pull Up", [1], kg=0)]
    f = derive_goal(sessions)
    assert (f.value, f.source.evidence) == (goal, evidence)
    assert f.source.kind == ("derived" if goal else "unknown") and f.field == "goal"


def test_derive_goal_words_and_effort() -> None:
    f = derive_goal([_sets(MONDAY, "Squat", [8] * 10, rpe=7.5)])
    assert f.source.evidence == ("median 8 reps; 0% of loaded working sets at 1-5 reps, 100% at 6-12, 0% over 15, "
                                 "mean RPE 7.5")
    assert (f.source.phrase, f.source.short) == ("mostly sets of 6-12 reps", "8-rep sets")
    assert derive_goal([_sets(MONDAY, "Squat", [3] * 10)]).source.phrase == "mostly heavy sets of 1-5 reps"
    assert derive_goal([_sets(MONDAY, "Squat", [20] * 10)]).source.phrase == "mostly sets of over 15 reps"
    # 9 sets with an RPE are too few for a mean RPE; 9 loaded sets too few for a goal
    nine = derive_goal([_sets(MONDAY, "Squat", [8] * 9, rpe=8), _sets(MONDAY, "Squat", [8])])
    assert "RPE" not in nine.source.evidence
    few = derive_goal([_sets(MONDAY, "Squat", [8] * 9)])
    assert (few.value, few.source.kind, few.source.evidence) == (None, "unknown", "9 loaded working sets")
    assert few.field == "goal"


def _kit(equipment: str | None, pattern: str = "other", guessed: bool = False) -> SimpleNamespace:
    return SimpleNamespace(equipment=equipment, pattern=pattern, guessed=guessed, primary_muscles=[])


KIT = {"Bar": _kit("barbell"), "Db": _kit("dumbbell"), "Cable": _kit("cable"), "Push Up": _kit(None),
       "Thing": _kit("other"), "Guess": _kit(None, guessed=True), "Bike": _kit("machine", pattern="cardio"),
       "Catalog Push Up": SimpleNamespace(equipment=None, pattern="other", primary_muscles=[])}  # a catalog entry


def _entries(w: WorkoutSet) -> SimpleNamespace | None:
    return KIT.get(w.exercise)


def test_derive_equipment_by_hand() -> None:
    sessions = [_sets(MONDAY, "Bar", [5] * 6), _sets(MONDAY, "Db", [8] * 3), _sets(MONDAY, "Push Up", [10] * 2),
                _sets(MONDAY, "Thing", [10] * 2), _sets(MONDAY, "Cable", [10]), _sets(MONDAY, "Guess", [10] * 3),
                _sets(MONDAY, "Bike", [1] * 3), _sets(MONDAY, "Unknown", [5] * 3),
                _sets(MONDAY, "Db", [5] * 4, set_type=SetType.warmup)]
    # read: barbell 6, dumbbell 3, body only 2, other 2, cable 1 = 14 sets; other says nothing, 1 set is too few
    f = derive_equipment(sessions, _entries)
    assert f.value == ["barbell", "dumbbell", "body only"]
    assert f.source.evidence == "barbell 43%, dumbbell 21%, body only 14% of working sets"
    assert (f.source.phrase, f.source.short) == ("barbell, dumbbell and body only work",
                                                 "uses barbell, dumbbell, body only")
    assert f.field == "equipment"
    # a catalog entry with no equipment (no `guessed` attribute at all) is body-weight work
    f = derive_equipment([_sets(MONDAY, "Catalog Push Up", [10] * 3)], _entries)
    assert f.value == ["body only"]
    # 2 sets of 100 (2 %) still count; one kind is worded alone
    f = derive_equipment([_sets(MONDAY, "Bar", [5] * 98), _sets(MONDAY, "Cable", [5] * 2)], _entries)
    assert f.value == ["barbell", "cable"] and f.source.evidence == "barbell 98%, cable 2% of working sets"
    f = derive_equipment([_sets(MONDAY, "Bar", [5] * 99), _sets(MONDAY, "Cable", [5] * 2)], _entries)
    assert f.value == ["barbell"] and f.source.phrase == "barbell work"
    for sessions in ([], [_sets(MONDAY, "Thing", [5] * 5)]):
        f = derive_equipment(sessions, _entries)
        assert (f.value, f.source.kind, f.source.evidence) == (None, "unknown", "no placeable exercises")
        assert f.field == "equipment"


LIFTS = {
    "Squat": SimpleNamespace(name="Barbell Squat", equipment="barbell", pattern="squat"),
    "Front": SimpleNamespace(name="Front Barbell Squat", equipment="barbell", pattern="squat"),
    "Box": SimpleNamespace(name="Box Squat", equipment="barbell", pattern="squat"),
    "Goblet": SimpleNamespace(name="Goblet Squat", equipment="dumbbell", pattern="squat"),
    "Bench": SimpleNamespace(name="Barbell Bench Press", equipment="barbell", pattern="horizontal_push"),
    "Incline": SimpleNamespace(name="Incline Barbell Bench Press", equipment="barbell", pattern="horizontal_push"),
    "Decline": SimpleNamespace(name="Decline Barbell Bench Press", equipment="barbell", pattern="horizontal_push"),
    "Floor": SimpleNamespace(name="Barbell Floor Press", equipment="barbell", pattern="horizontal_push"),
    "Deadlift": SimpleNamespace(name="Barbell Deadlift", equipment="barbell", pattern="hinge"),
    "RDL": SimpleNamespace(name="Romanian Deadlift", equipment="barbell", pattern="hinge"),
    "Stiff": SimpleNamespace(name="Stiff-Legged Barbell Deadlift", equipment="barbell", pattern="hinge"),
    "Sumo": SimpleNamespace(name="Sumo Deadlift", equipment="barbell", pattern="hinge"),
    "Deficit": SimpleNamespace(name="Deficit Deadlift", equipment="barbell", pattern="hinge"),
    "Good": SimpleNamespace(name="Good Morning", equipment="barbell", pattern="hinge"),
    "Row": SimpleNamespace(name="Bent Over Barbell Row", equipment="barbell", pattern="horizontal_pull"),
}


def _level(sets: list[Session], first: dt.date | None = None, bm: float | None = 80.0):
    sessions = sorted(sets + ([_sets(first, "Row", [8])] if first else []), key=lambda s: s.started_at)
    ctx = AthleteContext(athlete=Athlete(name="a", body_mass_kg=bm), sessions=sessions, annotations=[],
                         as_of=MONDAY + dt.timedelta(days=7))
    return derive_level(ctx, sets, lambda w: LIFTS.get(w.exercise))


def test_level_from_relative_strength_by_hand() -> None:
    # singles: squat 200 / 80 = 2.50 (advanced), bench 100 / 80 = 1.25 (intermediate), deadlift 100 / 80 = 1.25
    # (beginner): the middle grade; a week of log is 7 / 365.25 = 0.0 years
    f = _level([_sets(MONDAY, "Squat", [1], 200), _sets(MONDAY, "Bench", [1], 100), _sets(MONDAY, "Deadlift", [1], 100)])
    assert f.value == "intermediate"
    assert f.source.evidence == ("best e1RM over body mass: bench 1.25x, deadlift 1.25x, squat 2.50x; 0.0 years of "
                                 "training logged")
    assert f.source.phrase == "strength of an intermediate (bench 1.25x, deadlift 1.25x, squat 2.50x body mass)"
    assert f.source.short == "intermediate by strength" and f.field == "level"
    # at a standard counts: squat 160 / 80 = 2.0 advanced, bench 72 / 80 = 0.9 intermediate, 71 below it
    assert _level([_sets(MONDAY, "Squat", [1], 160)]).value == "advanced"
    assert _level([_sets(MONDAY, "Bench", [1], 72)]).value == "intermediate"
    bench = _level([_sets(MONDAY, "Bench", [1], 71)])
    assert bench.value == "beginner" and bench.source.phrase.startswith("strength of a beginner (bench 0.89x")
    # the logged RPE is ignored: 150 x 1 @ 8 reads as 150 (1.88x, intermediate), not as a harder single
    assert _level([_sets(MONDAY, "Squat", [1], 150, rpe=8)]).value == "intermediate"
    # the heaviest single counts; a warm-up and a set without reps do not
    assert _level([_sets(MONDAY, "Squat", [1, 1], 100), _sets(MONDAY, "Squat", [1], 170),
                   _sets(MONDAY, "Squat", [1], 300, set_type=SetType.warmup)]).value == "advanced"


def test_only_the_competition_barbell_lifts_grade_strength() -> None:
    # each of these at 3x body mass would read as advanced; none is the squat, bench or deadlift
    for name in ("Front", "Box", "Goblet", "Incline", "Decline", "Floor", "RDL", "Stiff", "Sumo", "Deficit", "Good",
                 "Row"):
        f = _level([_sets(MONDAY, name, [1], 240)])
        assert f.value is None and f.source.kind == "unknown", name
    # without a stated body mass strength says nothing
    assert _level([_sets(MONDAY, "Squat", [1], 240)], bm=None).value is None


@pytest.mark.parametrize("first, level, evidence, phrase", [
    # as of 2026-01-12: 731 days from 2024-01-11 = 2.0 years; 1462 from 2022-01-11 = 4.0; 365 = 0.999
    (dt.date(2024, 1, 11), "intermediate", "2.0 years of training logged", "2+ years of logged training"),
    (dt.date(2022, 1, 11), "advanced", "4.0 years of training logged", "4+ years of logged training"),
    (dt.date(2022, 1, 13), "intermediate", "4.0 years of training logged", "3+ years of logged training"),
])
def test_level_from_the_logs_span(first: dt.date, level: str, evidence: str, phrase: str) -> None:
    f = _level([_sets(MONDAY, "Row", [8])], first=first, bm=None)
    assert (f.value, f.source.evidence, f.source.phrase) == (level, evidence, phrase)
    assert f.source.short == phrase.split("+")[0] + "+ yrs logged" and f.field == "level"


def test_a_short_log_or_none_says_nothing_about_level() -> None:
    f = _level([_sets(MONDAY, "Row", [8])], first=dt.date(2025, 1, 12), bm=None)  # 365 days
    assert (f.value, f.source.kind) == (None, "unknown")
    assert f.source.evidence == "only 1.0 years of training logged: a short log does not show experience"
    assert f.field == "level"
    ctx = AthleteContext(athlete=Athlete(name="a"), sessions=[_sets(MONDAY + dt.timedelta(days=7), "Row", [8])],
                         annotations=[], as_of=MONDAY + dt.timedelta(days=7))
    f = derive_level(ctx, [], lambda w: None)  # the one session is on as_of: not the past
    assert (f.value, f.source.evidence, f.field) == (None, "no sessions logged", "level")


def _named(*names: str | None) -> list[Session]:
    return [Session(started_at=dt.datetime.combine(MONDAY + dt.timedelta(days=i), dt.time(18)), name=n,
                    sets=[WorkoutSet(exercise="Nothing", reps=5, weight_kg=50)]) for i, n in enumerate(names)]


@pytest.mark.parametrize("names, split, evidence, phrase", [
    (["Push A", "Pull A", "Legs", "Push B", "Pull B", "Leg day"], "push/pull/legs",
     "workout names (push 2, pull 2, legs 2 of 6 named sessions)", "a push/pull/legs split"),
    (["Upper", "Lower", "Upper 2", "lower 2"], "upper/lower", "workout names (upper 2, lower 2 of 4 named sessions)",
     "an upper/lower split"),
    (["Full body", "Ganzkörper", "Total body", "Fullbody A", "Upper"], "full body",
     "workout names (full 4, upper 1 of 5 named sessions)", "a full body split"),
    (["Chest day", "Back", "Arms", "Shoulders", "Legs"], "body-part split",
     "workout names (part 4, legs 1 of 5 named sessions)", "a body-part split"),
    # 2 of 5 sessions named: fewer than half say nothing; a named word inside another ("pushup") is no name
    (["Push", "Pull", "", "Workout", "Pushups"], None, "0 sessions with enough sets to read (at least 4 needed)", None),
])
def test_split_from_workout_names_by_hand(names, split, evidence, phrase) -> None:
    f = derive_split(_named(*names), lambda w: None)
    assert (f.value, f.source.evidence, f.source.phrase) == (split, evidence, phrase)
    assert f.source.short == split and f.field == "split"


def test_split_names_at_their_thresholds() -> None:
    # full body at 3 of 5 (60 %) counts; 2 of 4 upper and lower at 1 of 5 each (20 %) still make upper/lower
    assert derive_split(_named("Full", "Full", "Full", "Push", "Pull"), lambda w: None).value == "full body"
    assert derive_split(_named("Upper", "Lower", "Chest", "Back", "Arms"), lambda w: None).value == "upper/lower"
    # one named session of one: fewer than 2 named say nothing
    assert derive_split(_named("Push"), lambda w: None).value is None


def test_signature_is_every_part_from_a_quarter_else_the_top_one() -> None:
    assert profile._signature({"chest": 0.25, "back": 0.2, "arms": 0.55}) == frozenset({"chest", "arms"})
    # no part reaches a quarter: the biggest alone
    assert profile._signature({"chest": 0.2, "back": 0.1, "arms": 0.15, "legs": 0.24, "shoulders": 0.21}) == \
        frozenset({"legs"})


def test_only_a_barbell_entry_is_a_competition_lift() -> None:
    assert profile._lift(None) is None
    assert profile._lift(SimpleNamespace(name="Barbell Squat", pattern="squat")) is None  # no equipment at all


class _KettlebellCatalog:
    """A catalog that places every name as a kettlebell exercise: what derive_profile reads when given it."""

    def get(self, exercise_id: str):
        raise KeyError(exercise_id)

    def match(self, name: str):
        return SimpleNamespace(entry=SimpleNamespace(name=name, equipment="kettlebell", pattern="other",
                                                     primary_muscles=["glutes"], guessed=False))


def test_profiled_reads_the_log_with_the_catalog_given_and_sets_enum_values() -> None:
    # two years of weekly sets of 8 (after a first session two years back): intermediate, hypertrophy
    start = MONDAY - dt.timedelta(days=731)
    sessions = [_sets(start, "Swing", [8] * 3)] + [_sets(MONDAY + dt.timedelta(weeks=w), "Swing", [8] * 4)
                                                   for w in range(4)]
    ctx = AthleteContext(athlete=Athlete(name="a"), sessions=sessions, annotations=[],
                         as_of=MONDAY + dt.timedelta(weeks=4))
    athlete = profiled(ctx, _KettlebellCatalog()).athlete
    assert athlete.equipment == ["kettlebell"]
    assert athlete.level == Level.intermediate and isinstance(athlete.level, Level)
    assert athlete.goal == Goal.hypertrophy and isinstance(athlete.goal, Goal)
    assert athlete.days_per_week == 1 and athlete.sources["days_per_week"].kind == "derived"


def test_set_profile_refuses_an_unknown_field_before_reading_the_store() -> None:
    with pytest.raises(ConfigError) as e:
        set_profile(None, "a", {}, unset=["nope", "level", "bad"])
    assert e.value.message == "not a profile field: nope, bad"
    assert e.value.place == "--unset"
    assert e.value.hint == "one of level, days_per_week, goal, split, equipment"


def test_label_names_the_parts_in_body_order() -> None:
    assert profile._label(frozenset({"arms", "chest"})) == "chest+arms"
    assert profile._label(frozenset({"legs"})) == "legs"


def test_cycle_by_hand() -> None:
    a, b, c, d = (frozenset({x}) for x in "abcd")
    # A B A B A: period 2 checked at 3 places (the fewest allowed), all equal
    assert profile._cycle([a, b, a, b, a]) == 2
    assert profile._cycle([a, b, a, b]) is None  # 2 places are too few
    # C D then A B A B A B: period 2 holds at 4 of 6 places (>= 60 %)
    assert profile._cycle([c, d, a, b, a, b, a, b]) == 2
    # 8 different sessions repeated: a period of 8 is past the longest rotation looked for (7)
    eight = [frozenset({str(i)}) for i in range(8)]
    assert profile._cycle(eight + eight) is None
    seven = [frozenset({str(i)}) for i in range(7)]
    assert profile._cycle(seven + seven) == 7


def _ex(*muscles: str, pattern: str = "other") -> SimpleNamespace:
    return SimpleNamespace(pattern=pattern, primary_muscles=list(muscles), equipment="barbell", name="x")


MUSCLES = {"Squat": _ex("quadriceps", pattern="squat"), "Bench": _ex("chest"), "Row": _ex("lats"),
           "Curl": _ex("biceps"), "Press": _ex("shoulders"), "Pushdown": _ex("triceps"), "Shrug": _ex("middle back"),
           "Dip": _ex("chest", "triceps"), "Deadlift": _ex("lower back", pattern="hinge"),
           "Crunch": _ex("abdominals", pattern="core"), "Bike": _ex("quadriceps", pattern="cardio"),
           "Neck": _ex("neck")}


def _session(*names: str, warmup_first: bool = False) -> Session:
    sets = [WorkoutSet(exercise=n, reps=8, weight_kg=50) for n in names]
    if warmup_first:
        sets.insert(0, WorkoutSet(exercise="Curl", reps=8, weight_kg=20, set_type=SetType.warmup))
    return Session(started_at=dt.datetime.combine(MONDAY, dt.time(18)), sets=sets)


def _muscles(w: WorkoutSet) -> SimpleNamespace | None:
    return MUSCLES.get(w.exercise)


@pytest.mark.parametrize("names, kind", [
    (["Curl", "Curl"], None),  # fewer than 3 muscle hits say nothing
    (["Curl", "Curl", "Curl"], "part"),
    (["Squat", "Squat", "Squat", "Bench"], "lower"),  # 75 % lower
    (["Deadlift", "Deadlift", "Deadlift", "Bench"], "lower"),  # a hinge counts with the legs
    (["Squat", "Bench", "Bench", "Row", "Row"], "upper"),  # 20 % lower is still an upper day
    (["Bench"] * 7 + ["Row"] * 3, "part"),  # 70 % chest
    (["Bench", "Press", "Pushdown", "Row"], "push"),  # 75 % push, no part at 70 %
    (["Row", "Curl", "Shrug", "Bench"], "pull"),  # 75 % pull
    (["Squat"] * 3 + ["Bench", "Row", "Curl", "Press", "Pushdown", "Shrug", "Bench"], "full"),  # 30 % lower
    (["Squat", "Bench", "Row", "Curl"], "mixed"),  # 25 % lower: neither an upper nor a full-body day
    (["Curl", "Curl", "Curl", "Crunch", "Crunch", "Crunch"], "part"),  # core says nothing
    (["Curl", "Curl", "Curl", "Bike", "Bike", "Bike"], "part"),  # nor does cardio
])
def test_session_kind_by_hand(names: list[str], kind: str | None) -> None:
    assert profile._session_kind(_session(*names), _muscles) == kind


def test_a_warm_up_set_is_skipped_not_the_end_of_the_session() -> None:
    assert profile._session_kind(_session("Curl", "Curl", "Curl", warmup_first=True), _muscles) == "part"


def test_part_shares_by_hand() -> None:
    assert profile._part_shares(_session("Bench", "Row"), _muscles) == {}  # 2 readable sets are too few
    assert profile._part_shares(_session("Bench", "Bench", "Row", "Curl"), _muscles) == \
        {"chest": 0.5, "back": 0.25, "arms": 0.25}
    # a set of no body part is skipped; 3 readable sets are enough
    assert profile._part_shares(_session("Neck", "Bench", "Bench", "Row"), _muscles) == \
        {"chest": pytest.approx(2 / 3), "back": pytest.approx(1 / 3)}
    # a set of two parts counts half to each
    assert profile._part_shares(_session("Dip", "Bench", "Row", "Row"), _muscles) == \
        {"chest": 0.375, "arms": 0.125, "back": 0.5}


def test_cycle_at_exactly_sixty_percent_and_one_match_is_not_a_rotation() -> None:
    a, b, c, d, e = (frozenset({x}) for x in "abcde")
    assert profile._cycle([a, b, a, b, a, c, d]) == 2  # 3 of 5 places
    assert profile._cycle([a, b, c, a, d, e]) is None  # period 3 holds at 1 of 3 places


def test_days_read_only_the_year_before_as_of() -> None:
    # 3 recent weeks of 2 days; a week of 5 days 400 days back and one after as_of are not read
    recent = [MONDAY + dt.timedelta(weeks=w, days=d) for w in range(3) for d in (0, 2)]
    old = [MONDAY - dt.timedelta(days=400) + dt.timedelta(days=d) for d in range(5)]
    later = [MONDAY + dt.timedelta(weeks=4, days=d) for d in range(5)]
    ctx = AthleteContext(athlete=Athlete(name="a"), sessions=[_day(d) for d in old + recent + later], annotations=[],
                         as_of=MONDAY + dt.timedelta(weeks=3))
    f = derive_profile(ctx, _KettlebellCatalog()).fields["days_per_week"]
    assert f.source.evidence == "median 2 training days a week over the last 3 active weeks (mean 2.0; weeks: 2 2 2)"


class _TwoWayCatalog:
    """`get` knows the id "sq" (entry A); `match` places a name as an entry named after it, or nothing."""

    def get(self, exercise_id: str):
        if exercise_id == "sq":
            return SimpleNamespace(name="A")
        raise KeyError(exercise_id)

    def match(self, name: str):
        return SimpleNamespace(entry=None if name == "Barbell Squat" else SimpleNamespace(name=f"match {name}"))


def test_entries_by_id_then_name_then_guess_each_name_once() -> None:
    entries = profile._Entries(_TwoWayCatalog())
    assert entries(WorkoutSet(exercise="Whatever", exercise_id="sq", reps=5)).name == "A"  # the id wins
    assert entries(WorkoutSet(exercise="Row", exercise_id="old-id", reps=5)).name == "match Row"  # stale id
    assert entries(WorkoutSet(exercise="Curl", reps=5)).name == "match Curl"
    assert entries(WorkoutSet(exercise="Dip", reps=5)).name == "match Dip"  # not Curl's cached entry
    guessed = entries(WorkoutSet(exercise="Barbell Squat", reps=5))  # unplaced: guessed from its words
    assert guessed is not None and guessed.name == "Barbell Squat" and guessed.pattern == "squat"


def test_stated_fields_are_kept_and_no_log_is_unknown() -> None:
    athlete = Athlete(name="a", level=Level.advanced, sources={"level": FieldSource(kind="stated")})
    p = derive_profile(AthleteContext(athlete=athlete, sessions=[], annotations=[], as_of=MONDAY),
                       _KettlebellCatalog())
    assert p.fields["level"].value == Level.advanced and p.fields["level"].source.kind == "stated"
    assert p.fields["days_per_week"].source.evidence == "no sessions logged"
    assert p.fields["days_per_week"].value is None


def test_split_names_at_each_threshold_exactly() -> None:
    none = lambda w: None  # noqa: E731  (no catalog: only the names can tell)
    # 2 named of 4 sessions is half: enough; 3 of 7 is under half; 2 of 3 is enough (at least two named)
    assert derive_split(_named("Full", "Full", "", ""), none).value == "full body"
    assert derive_split(_named("Full", "Full", "Full", "", "", "", ""), none).value is None
    assert derive_split(_named("Full", "", "Full"), none).value == "full body"
    # push, pull and legs at exactly 15 % each (3 of 20) lead; the body-part names would win otherwise
    ppl = ["Push", "Pull", "Legs"] * 3 + ["Chest"] * 11
    assert derive_split(_named(*ppl), none).value == "push/pull/legs"
    assert derive_split(_named(*(["Push", "Pull", "Legs"] * 2 + ["Legs"] + ["Chest"] * 13)), none).value == (
        "body-part split")  # push and pull at 10 %
    # body parts at exactly half; push and pull without legs are no push/pull/legs
    assert derive_split(_named("Chest", "Back", "Push", "Pull"), none).value == "body-part split"
    assert derive_split(_named("Push", "Pull", "Push", "Pull"), none).value is None
    assert derive_split(_named("Upper", "Upper", "Upper", "Upper"), none).value is None  # no lower day
    assert derive_split(_named("Lower", "Lower", "Lower", "Lower"), none).value is None


def test_split_evidence_names_the_four_most_common_words() -> None:
    f = derive_split(_named("Push", "Pull", "Legs", "Upper", "Chest", "Push", "Pull", "Legs"), lambda w: None)
    assert (f.value, f.source.evidence) == ("push/pull/legs",
                                            "workout names (push 2, pull 2, legs 2, upper 1 of 8 named sessions)")


def test_equipment_words_at_most_five_kinds() -> None:
    kit = {name: _kit(name.lower()) for name in ("Barbell", "Dumbbell", "Cable", "Machine", "Kettlebell", "Bands")}
    sessions = [_sets(MONDAY, name, [5] * n) for name, n in zip(kit, (7, 6, 5, 4, 3, 2))]
    f = derive_equipment(sessions, lambda w: kit.get(w.exercise))
    # 27 sets: 7/27 = 26 %, 6/27 = 22 %, 5/27 = 19 %, 4/27 = 15 %, 3/27 = 11 %, 2/27 = 7 %
    assert f.value == ["barbell", "dumbbell", "cable", "machine", "kettlebell", "bands"]
    assert f.source.evidence == ("barbell 26%, dumbbell 22%, cable 19%, machine 15%, kettlebell 11%, bands 7% of "
                                 "working sets")
    assert f.source.phrase == "barbell, dumbbell, cable, machine and kettlebell work"
    assert f.source.short == "uses barbell, dumbbell, cable, machine, kettlebell"


def test_level_reads_the_best_working_set_whatever_its_order_or_effort() -> None:
    # the heaviest single first, a lighter one after: the best (170 / 80 = 2.13x, advanced) is kept
    assert _level([_sets(MONDAY, "Squat", [1], 170), _sets(MONDAY, "Squat", [1], 100)]).value == "advanced"
    # a heavy warm-up is no evidence of strength: 100 / 80 = 1.25x stays intermediate
    assert _level([_sets(MONDAY, "Squat", [1], 100), _sets(MONDAY, "Squat", [1], 200, set_type=SetType.warmup)
                   ]).value == "intermediate"
    # the logged RIR is ignored as the RPE is: 150 x 1 with 2 in reserve reads as 150 (1.88x), not as a triple
    assert _level([_sets(MONDAY, "Squat", [1], 150, rir=2)]).value == "intermediate"


@pytest.mark.parametrize("days, level, phrase", [
    (1461, "advanced", "4+ years of logged training"),  # 1461 / 365.25 = 4.0 exactly: four years
    (548, "intermediate", "1+ years of logged training"),  # 548 / 365.25 = 1.50
])
def test_level_from_the_span_at_four_years_exactly_and_between_one_and_two(days: int, level: str, phrase: str) -> None:
    f = _level([_sets(MONDAY, "Row", [8])], first=MONDAY + dt.timedelta(days=7 - days), bm=None)
    assert (f.value, f.source.phrase) == (level, phrase)


# --- the split from the body parts of unnamed sessions, at each rule's edge ------------------------------------
# Sessions by their sets (see MUSCLES): F full body (30 % legs: its one part of 25 % or more is legs), L lower,
# P push (chest, shoulders, triceps, one row: four parts at 25 %), Q pull (three parts: back 50 %, arms, chest),
# U upper (chest and back), A arms, C chest, B back, S shoulders, M mixed (25 % legs), X chest+arms (an upper
# day), Y back+arms (a pull day), Z legs+shoulders (50 % legs: full body).
KINDS = {"F": ["Squat"] * 3 + ["Bench", "Row", "Curl", "Press", "Pushdown", "Shrug", "Bench"], "L": ["Squat"] * 4,
         "P": ["Bench", "Press", "Pushdown", "Row"], "Q": ["Row", "Curl", "Shrug", "Bench"],
         "U": ["Bench", "Bench", "Row", "Row"], "A": ["Curl"] * 3, "C": ["Bench"] * 3, "B": ["Row"] * 3,
         "S": ["Press"] * 3, "M": ["Squat", "Bench", "Row", "Curl"], "X": ["Bench", "Bench", "Curl", "Curl"],
         "Y": ["Row", "Row", "Curl", "Curl"], "Z": ["Squat", "Squat", "Press", "Press"]}
PARTS = "body parts per session ("


@pytest.mark.parametrize("days, split, evidence", [
    # four readable sessions are enough; 60 % full-body days make a full-body split
    ("FFFF", "full body", PARTS + "full 4 of 4 sessions; most trained: legs x4)"),
    ("FFF", None, "3 sessions with enough sets to read (at least 4 needed)"),
    ("FFFLL", "full body", PARTS + "full 3, lower 2 of 5 sessions; most trained: legs x5); the same parts come back "
                                   "every 2 sessions"),
    # upper/lower: push, pull and one-part days are all upper days (40 % of them, 40 % lower)
    ("PPLLM", "upper/lower", PARTS + "push 2, lower 2, mixed 1 of 5 sessions; most trained: "
                                     "chest+back+shoulders+arms x2, legs x2)"),
    ("QQLLM", "upper/lower", PARTS + "pull 2, lower 2, mixed 1 of 5 sessions; most trained: chest+back+arms x2, legs x2)"),
    ("AALLM", "upper/lower", PARTS + "part 2, lower 2, mixed 1 of 5 sessions; most trained: arms x2, legs x2)"),
    ("UULLM", "upper/lower", PARTS + "upper 2, lower 2, mixed 1 of 5 sessions; most trained: chest+back x2, legs x2)"),
    ("PQLPQL", "push/pull/legs", PARTS + "push 2, pull 2, lower 2 of 6 sessions; most trained: "
                                         "chest+back+shoulders+arms x2, chest+back+arms x2, legs x2); the same parts "
                                         "come back every 3 sessions"),
    # five parts twice each: the four most trained are listed
    ("CCBBAALLSS", "body-part split", PARTS + "part 8, lower 2 of 10 sessions; most trained: chest x2, back x2, "
                                              "arms x2, legs x2)"),
    # one or two parts a session in three recurring pairings, though no day is a one-part day
    ("XYZXYZ", "body-part split", PARTS + "upper 2, pull 2, full 2 of 6 sessions; most trained: chest+arms x2, "
                                          "back+arms x2, shoulders+legs x2); the same parts come back every 3 sessions"),
    # the same with five three-part pull days: 6 of 11 sessions with at most two parts (55 %) is not enough
    ("XYZXYZQQQQQ", "mixed", PARTS + "pull 7, upper 2, full 2 of 11 sessions; most trained: chest+back+arms x5, "
                                     "chest+arms x2, back+arms x2, shoulders+legs x2); the same parts come back every "
                                     "3 sessions"),
])
def test_split_from_body_parts_by_hand(days: str, split, evidence: str) -> None:
    f = derive_split([_session(*KINDS[d]) for d in days], _muscles)
    assert (f.value, f.source.evidence) == (split, evidence)


@pytest.mark.parametrize("days, split", [
    ("PPQQ", "mixed"),  # push and pull days but no leg day: no push/pull/legs, no lower half either
    ("PPPQQQL", "mixed"),  # one leg day in seven: 1/7 = 14 %, under the 15 % each of the three needs
    ("PPPQQQLLLLLL" + "M" * 8, "push/pull/legs"),  # exactly 15 % (3 of 20) and exactly 60 % (12 of 20)
    ("CBMM", "body-part split"),  # exactly half the days one-part days
    ("XYZXYZPPPP", "body-part split"),  # exactly 60 % of the days with at most two parts, four recurring
    ("XYZXYZCBASLW", "body-part split"),  # the three recurring pairings exactly half the days (6 of 12)
    ("ULLMM", "upper/lower"),  # upper days exactly 20 %, upper and lower together exactly 60 %
    ("UULMM", "upper/lower"),  # lower days exactly 20 %
    ("ULMMM", "mixed"),  # together 40 %
    ("PQLMMM", "mixed"),  # each of push, pull and legs a sixth (over 15 %), but together half the days (under 60 %)
    ("XYZWXYZWCBASLU", "mixed"),  # four recurring pairings, the three most common 6 of 14 days (under half)
    ("XXYYZZZZ", "mixed"),  # recurring pairings, but half the days full-body days
    ("ULLLMM", "mixed"),  # upper days a sixth (under 20 %), though upper and lower together are two thirds
])
def test_split_from_body_parts_at_each_edge(days: str, split: str) -> None:
    kinds = {**KINDS, "W": ["Bench", "Bench", "Press", "Press"]}  # W: chest+shoulders, a push day
    assert derive_split([_session(*kinds[d]) for d in days], _muscles).value == split


def test_a_split_read_from_body_parts_is_derived_and_worded() -> None:
    def field(days: str):
        return derive_split([_session(*KINDS[d]) for d in days], _muscles)

    mixed = field("ULMMM")
    assert (mixed.field, mixed.value, mixed.source.kind, mixed.source.phrase, mixed.source.short) == (
        "split", "mixed", "derived", "sessions that mix body parts with no fixed split", "mixed sessions")
    assert mixed.source.evidence == PARTS + "mixed 3, upper 1, lower 1 of 5 sessions; most trained: " \
                                            "chest+back+arms+legs x3)"  # in body order
    ul = field("ULLMM")
    assert (ul.source.kind, ul.source.phrase, ul.source.short) == ("derived", "an upper/lower split", "upper/lower")
    bp = field("CBMM")
    assert (bp.source.phrase, bp.source.short) == ("a body-part split", "body-part split")
    none = field("FFF")
    assert (none.field, none.value, none.source.kind) == ("split", None, "unknown")


class _OneAthleteStore:
    """The two calls set_profile makes of a store."""

    def get_athlete(self, name: str) -> Athlete:
        return Athlete(name=name)

    def update_athlete(self, a: Athlete) -> Athlete:
        return a


def test_stated_constraints_bring_their_body_regions_in_a_fixed_order() -> None:
    store = _OneAthleteStore()
    a = set_profile(store, "ana", {"constraints": ["bad left knee", "shoulder impingement", "old back surgery"]})
    # regions in the models' order (shoulder, elbow, wrist, lower back, hip, knee, ...), not the text's; a
    # constraint is read as a complaint, so a bare "back" is the lower back
    assert a.constraints == ["bad left knee", "shoulder impingement", "old back surgery"]
    assert a.constraint_regions == ["shoulder", "lower_back", "knee"]
    # regions the person states win over those read from the text
    assert set_profile(store, "ana", {"constraints": ["bad left knee"], "constraint_regions": ["hip"]}
                       ).constraint_regions == ["hip"]
    # no constraints stated: no regions read
    assert set_profile(store, "ana", {"days_per_week": 4}).constraint_regions == []


def test_add_athlete_keeps_only_what_was_stated(store) -> None:
    # `peri athlete add` / the web's Add an athlete: stated fields "stated", the rest "unknown" until a log says;
    # blank constraints dropped, the others stripped, their regions in REGIONS' order (elbow before knee)
    a = profile.add_athlete(store, "kim", {"days_per_week": 4, "goal": None, "age": 38,
                                           "constraints": ["  sore knees and a bad elbow ", " ", "lower back pain"]})
    assert (a.name, a.days_per_week, a.goal, a.age) == ("kim", 4, Athlete(name="x").goal, 38)  # None: the default
    assert a.constraints == ["sore knees and a bad elbow", "lower back pain"]
    assert a.constraint_regions == ["elbow", "lower_back", "knee"]
    assert {f: s.kind for f, s in a.sources.items()} == {"level": "unknown", "days_per_week": "stated",
                                                         "goal": "unknown", "split": "unknown",
                                                         "equipment": "unknown"}
    stored = store.get_athlete("kim")
    assert (stored.days_per_week, stored.constraints, stored.sources["days_per_week"].kind) == (
        4, ["sore knees and a bad elbow", "lower back pain"], "stated")
    # a constraint is about pain whatever its words: "my back" alone is the lower back
    assert profile.add_athlete(store, "max", {"constraints": ["go easy on my back"]}).constraint_regions == ["lower_back"]
    bare = profile.add_athlete(store, "lou")
    assert (bare.constraints, bare.constraint_regions) == ([], [])
    assert {s.kind for s in bare.sources.values()} == {"unknown"}
