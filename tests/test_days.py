"""peri.plans.days: which sessions are one programme day, by name when names mark days, else by content.

Every expected value is worked by hand from the sets of exercises written below.
"""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.catalog import default_catalog
from peri.log.context import AthleteContext
from peri.log.models import Athlete, Session, SetType, WorkoutSet
from peri.log.profile import parts_labeller
from peri.plans import days
from peri.plans.coach import rule_plan

MONDAY = dt.date(2026, 3, 2)
CATALOG = default_catalog()


def sess(day: int, name: str, *exercises: str, warmup: str | None = None) -> Session:
    """A session `day` days after MONDAY: 3 working sets of 8 at 50 kg of each exercise (catalog names)."""
    sets = [WorkoutSet(exercise=e, weight_kg=50, reps=8) for e in exercises for _ in range(3)]
    if warmup:
        sets.insert(0, WorkoutSet(exercise=warmup, weight_kg=20, reps=5, set_type=SetType.warmup))
    return Session(started_at=dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(17)), name=name, sets=sets)


def by_name(s: Session) -> str:
    return s.name.lower()


def shown(s: Session) -> str:
    return s.name


ARMS = ("Preacher Curl", "Triceps Pushdown", "Hammer Curls")
CHEST_BACK = ("Barbell Bench Press - Medium Grip", "Bent Over Barbell Row", "Pullups")
LEGS = ("Barbell Squat", "Leg Press", "Seated Calf Raise")


def test_jaccard_by_hand() -> None:
    assert days.jaccard(frozenset("abc"), frozenset("bcd")) == 2 / 4
    assert days.jaccard(frozenset("ab"), frozenset("cd")) == 0
    assert days.jaccard(frozenset(), frozenset()) == 1.0
    assert days.jaccard(frozenset("ab"), frozenset("abcdef")) == 1 / 3


def test_consistent_day_names_are_kept() -> None:
    week = [sess(0, "Upper A", *CHEST_BACK), sess(2, "Lower A", *LEGS), sess(7, "Upper A", *CHEST_BACK[:2], "Dips"),
            sess(9, "Lower A", *LEGS)]
    # Upper A: 2 shared of 4 = 0.5, Lower A: 1.0; mean 0.75 >= 1/3
    assert days.names_mark_days(week, by_name)
    keys, names = days.day_keys(week, by_name, parts_labeller(CATALOG), shown)
    assert keys == ["upper a", "lower a", "upper a", "lower a"]
    assert names == {"upper a": "Upper A", "lower a": "Lower A"}


def test_time_of_day_names_over_different_days_are_not_day_names() -> None:
    log = [sess(0, "Afternoon workout", *ARMS), sess(1, "Afternoon workout", *CHEST_BACK),
           sess(3, "Evening workout", *LEGS), sess(5, "Afternoon workout", *ARMS), sess(7, "Evening workout", *CHEST_BACK)]
    # afternoon: arms-chest 0, arms-arms 1, chest-arms 0; evening: legs-chest 0: mean of 4 pairs = 0.25 < 1/3
    assert not days.names_mark_days(log, by_name)
    assert days.content_groups(log) == [1, 2, 3, 1, 2]
    keys, names = days.day_keys(log, by_name, parts_labeller(CATALOG), shown)
    assert keys == ["content:1", "content:2", "content:3", "content:1", "content:2"]
    # no name belongs to one group (afternoon: 2 of 3 in the arms group, under 80 %): named by what they train:
    # curls and pushdowns are all arms (a body-part day); bench, row and pull-ups 1/3 push and 2/3 pull (neither
    # reaches 3/4): upper; squat, leg press and calf raise all legs: lower
    assert names == {"content:1": "Arms", "content:2": "Upper", "content:3": "Lower"}


def test_names_that_never_repeat_are_not_day_names() -> None:
    log = [sess(0, "Week 9 Day 1", *LEGS), sess(2, "Week 9 Day 2", *ARMS), sess(7, "Week 10 Day 1", *LEGS),
           sess(9, "Week 10 Day 2", *ARMS)]
    assert not days.names_mark_days(log, by_name)
    # half the sessions sharing a name is enough: 2 of 4 (and the pair agrees)
    assert days.names_mark_days([*log[:2], sess(7, "Week 9 Day 1", *LEGS), log[3]], by_name)
    # too few sessions to tell: names kept
    assert days.names_mark_days(log[:2], by_name)


def test_a_name_that_belongs_to_its_group_names_it_and_repeats_get_letters() -> None:
    log = [sess(0, "Gun show", *ARMS), sess(1, "Afternoon workout", *LEGS), sess(3, "Gun show", *ARMS),
           sess(5, "Afternoon workout", *CHEST_BACK), sess(7, "Gun show", *ARMS[:2], "Barbell Curl"),
           sess(8, "Afternoon workout", *LEGS[:2], "Leg Extensions"), sess(9, "Morning", *LEGS),
           sess(10, "Afternoon workout", *CHEST_BACK)]
    # content: arms (the third session shares 2 of 4: 0.5), legs (the variant 2 of 4), chest/back.
    # Repeated names: gun show 3 of 3 in arms, afternoon 2 of 4 in legs: 5 of 7 agree, under 80 %: by content
    assert not days.names_mark_days(log, by_name)
    keys, names = days.day_keys(log, by_name, lambda s: "same", shown)
    assert keys == ["content:1", "content:2", "content:1", "content:3", "content:1", "content:2", "content:2",
                    "content:3"]
    # "Gun show" belongs to the arms group; "Afternoon workout" is half legs, half chest/back and names neither,
    # so both take the label, lettered
    assert names == {"content:1": "Gun show", "content:2": "Same A", "content:3": "Same B"}
    # one session fewer of the chest/back afternoon: 5 of 6 agree (0.83): the names are the days
    assert days.names_mark_days(log[:-1], by_name)


def test_groups_with_no_readable_label_are_days_with_letters() -> None:
    log = [sess(0, "x", "A"), sess(1, "y", "B"), sess(2, "z", "A"), sess(3, "w", "B")]
    keys, names = days.day_keys(log, by_name, lambda s: "", shown)
    assert keys == ["content:1", "content:2", "content:1", "content:2"]
    assert names == {"content:1": "Day A", "content:2": "Day B"}
    # a name that most of a group carries, and only that group: it names the group
    keys, names = days.day_keys([*log, sess(4, "y", "B")], by_name, lambda s: "", shown)
    assert names == {"content:1": "Day A", "content:2": "y"}


def test_warm_ups_do_not_count_as_what_a_session_trained() -> None:
    a, b = sess(0, "x", *LEGS, warmup="Pushups"), sess(1, "x", *LEGS)
    assert days.content_groups([a, b]) == [1, 1]
    assert days.jaccard(days._working(a), days._working(b)) == 1.0


@pytest.mark.parametrize("shift", [0, 1])
def test_the_coach_plans_each_content_day_once_not_one_mixed_day_thrice(shift: int) -> None:
    # four weeks of an app's time-of-day names: arms, chest/back and legs days, all "Afternoon"/"Evening" workouts
    log = []
    for w in range(4):
        log += [sess(7 * w + shift, "Afternoon workout", *ARMS), sess(7 * w + 2, "Afternoon workout", *CHEST_BACK),
                sess(7 * w + 4, "Evening workout", *LEGS)]
    ctx = AthleteContext(athlete=Athlete(name="t", days_per_week=3), sessions=log, annotations=[],
                         as_of=MONDAY + dt.timedelta(weeks=4))
    plan = rule_plan(ctx, CATALOG)
    contents = sorted(tuple(sorted(p.exercise for p in d.exercises)) for d in plan.days)
    assert contents == sorted(tuple(sorted(CATALOG.match(e).entry.name for e in day)) for day in (ARMS, CHEST_BACK, LEGS))
    # the evening sessions are all legs: that name belongs to its group and names it
    assert sorted(d.name for d in plan.days) == ["Arms", "Evening workout", "Upper"]


# --- the edges mutation testing found unchecked (issue 20), by hand ------------------------------------------------
def raw(day: int, name: str, *sets: WorkoutSet) -> Session:
    return Session(started_at=dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(9)), name=name, sets=list(sets))


def test_what_counts_as_trained() -> None:
    s = raw(0, "x", WorkoutSet(exercise=" Squat ", weight_kg=100, reps=5),
            WorkoutSet(exercise="Plank", seconds=60),                                # timed: no reps
            WorkoutSet(exercise="Row", reps=0),                                      # no rep done
            WorkoutSet(exercise="Curl", reps=1),                                     # a single counts
            WorkoutSet(exercise="Bench", reps=5, set_type=SetType.warmup),           # a warm-up does not
            WorkoutSet(exercise="Dip", exercise_id="Dips_-_Chest_Version", reps=8))  # the catalog id when known
    assert days._working(s) == frozenset({"squat", "curl", "Dips_-_Chest_Version"})


def test_three_sessions_are_enough_to_judge_names() -> None:
    # three sessions, names never repeating: not day names (with two, names are kept whatever they are)
    log = [sess(0, "a", *LEGS), sess(1, "b", *ARMS), sess(2, "c", *LEGS)]
    assert not days.names_mark_days(log, by_name)
    assert days.names_mark_days(log[:2], by_name)


def test_names_count_as_days_at_exactly_four_in_five() -> None:
    # "x" five times: four legs sessions and one arms session: 4 of 5 = 0.8 agree
    log = [sess(d, "x", *LEGS) for d in range(4)] + [sess(4, "x", *ARMS)]
    assert days.names_mark_days(log, by_name)
    assert not days.names_mark_days([*log[:3], sess(3, "x", *ARMS), log[4]], by_name)  # 3 of 5


def test_two_different_sessions_are_two_groups_and_one_is_group_one() -> None:
    assert days.content_groups([sess(0, "x", *LEGS), sess(1, "x", *ARMS)]) == [1, 2]
    assert days.content_groups([sess(0, "x", *LEGS), sess(1, "y", *LEGS)]) == [1, 1]
    assert days.content_groups([sess(0, "x", *LEGS)]) == [1]
    assert days.content_groups([]) == []


def test_groups_join_on_the_average_similarity_not_the_closest_pair() -> None:
    # A {a,b} and B {a,b,c,d} share 2 of 4 (0.5); B and C {c,d} too; A and C nothing. A and B join first; C is
    # at distance (1 + 0.5) / 2 = 0.75 from them on average, beyond 2/3: its own group (single linkage, going by
    # the closest pair, would chain all three into one)
    log = [raw(0, "", *(WorkoutSet(exercise=e, reps=5) for e in ex)) for ex in ("ab", "abcd", "cd")]
    assert days.content_groups(log) == [1, 1, 2]


def test_a_name_belongs_to_a_group_at_exactly_four_in_five() -> None:
    # "x": 4 sessions in the legs group and 1 in the arms group (0.8): it names the legs group; the arms group
    # (its one session is x) takes the label. With a second arms "x" (4 of 6) it belongs nowhere.
    log = [sess(d, "x", *LEGS) for d in range(4)] + [sess(4, "x", *ARMS), sess(5, "y", *ARMS), sess(6, "z", *ARMS)]
    keys, names = days.day_keys(log, lambda s: str(s.started_at), lambda s: "arms", shown)
    assert names == {"content:1": "x", "content:2": "Arms"}
    keys, names = days.day_keys([*log, sess(7, "x", *ARMS)], lambda s: str(s.started_at), lambda s: "arms", shown)
    assert names == {"content:1": "Arms A", "content:2": "Arms B"}


def test_a_group_is_labelled_from_all_its_sessions_sets() -> None:
    log = [raw(d, "x", *(WorkoutSet(exercise=e, reps=5) for e in ex)) for d, ex in enumerate(["ab", "ab", "abc", "yz"])]
    # "x" is 3 of 4 in the first group (under 80 %): no name; the label function sees one session holding every
    # set of the group: 2 + 2 + 3 sets
    keys, names = days.day_keys(log, by_name, lambda s: f"{len(s.sets)} sets", shown)
    assert names == {"content:1": "7 sets", "content:2": "2 sets"}


def test_letters_run_to_z_then_numbers() -> None:
    # 28 sessions each of its own exercise, every one named "x": 28 groups, no name of theirs, no label
    log = [raw(d, "x", WorkoutSet(exercise=f"e{d}", reps=5)) for d in range(28)]
    keys, names = days.day_keys(log, by_name, lambda s: "", shown)
    assert keys == [f"content:{n}" for n in range(1, 29)]
    assert [names[f"content:{n}"] for n in (1, 2, 26, 27, 28)] == ["Day A", "Day B", "Day Z", "Day 27", "Day 28"]


def test_what_a_session_trains_as_a_label() -> None:
    label = parts_labeller(CATALOG)
    # fewer than 3 working sets that say what they trained: no label
    assert label(raw(0, "x", WorkoutSet(exercise="Barbell Squat", reps=5), WorkoutSet(exercise="Leg Press", reps=5))) == ""
    assert label(sess(0, "x", *LEGS)) == "lower"
    assert label(sess(0, "x", *ARMS)) == "arms"  # a body-part day: its part
    assert label(sess(0, "x", "Barbell Bench Press - Medium Grip", "Dumbbell Flyes", "Pushups")) == "chest"
