"""peri.plans.days on generated programmes, not only the hand-made logs of tests/test_days.py.

A programme of 2-5 days, each a set of catalog exercises no other day trains, is logged for 2-6 weeks with
the variation real lifters log (an exercise skipped, an accessory added that session only) and with the
session names real logs carry: day names, one time-of-day name for everything ("Afternoon workout"), a
different name every session ("Week 3 Day 2"), or none (FitNotes). Whatever the names and the order of the
sessions, the days found must be the programme's days, and no two days may be shown under one name.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.log.catalog import default_catalog
from peri.log.models import Session, WorkoutSet
from peri.log.profile import parts_labeller
from peri.plans import days

CATALOG = default_catalog()
# fixed order (the catalog's common set is a set), so a failing example replays
POOL = sorted(CATALOG.get(i).name for i in CATALOG.common_ids)
LABEL = parts_labeller(CATALOG)
MONDAY = dt.date(2026, 3, 2)
NAMINGS = ("day names", "one name for all", "a new name each session", "no names")


def partition(keys: Sequence[object]) -> set[frozenset[int]]:
    """The sessions' grouping as a set of sets of positions (what is grouped with what, not the labels)."""
    groups: dict[object, set[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, set()).add(i)
    return {frozenset(g) for g in groups.values()}


@st.composite
def programmes(draw: st.DrawFn) -> tuple[list[Session], list[int], str]:
    """Sessions in log order, the programme day each one is, and how they are named.

    Variation is at most one change per session on days of 4-6 exercises, so two sessions of one day always
    share at least half their exercises (4 of 6 worst case: one skipped each, or one added each), and two days
    share none: the generated days are unambiguous, and finding anything else is the grouping's fault.
    """
    n_days = draw(st.integers(2, 5), label="days")
    chosen = draw(st.permutations(POOL))
    sizes = [draw(st.integers(4, 6), label="size") for _ in range(n_days)]
    starts = [sum(sizes[:d]) for d in range(n_days)]
    templates = [chosen[s:s + n] for s, n in zip(starts, sizes)]
    extras = iter(chosen[sum(sizes):])  # accessories no day trains, each used once
    weeks = draw(st.integers(2, 6), label="weeks")
    naming = draw(st.sampled_from(NAMINGS), label="naming")
    sessions: list[Session] = []
    day_of: list[int] = []
    for w in range(weeks):
        for d, template in enumerate(templates):
            exercises = list(template)
            change = draw(st.sampled_from(("none", "skip", "add")), label="change")
            if change == "skip":
                exercises.pop(draw(st.integers(0, len(exercises) - 1), label="skipped"))
            elif change == "add":
                exercises.append(next(extras))
            name = {"day names": f"Day {d + 1}", "one name for all": "Afternoon workout",
                    "a new name each session": f"Week {w + 1} Day {d + 1}", "no names": ""}[naming]
            start = dt.datetime.combine(MONDAY + dt.timedelta(weeks=w, days=d), dt.time(17))
            sets = [WorkoutSet(exercise=e, weight_kg=40, reps=8) for e in exercises for _ in range(3)]
            sessions.append(Session(started_at=start, name=name, sets=sets))
            day_of.append(d)
    order = draw(st.permutations(range(len(sessions))), label="log order")
    return [sessions[i] for i in order], [day_of[i] for i in order], naming


def by_name(s: Session) -> str:
    return (s.name or "").lower()


def shown(s: Session) -> str:
    return s.name or ""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_the_days_found_are_the_programmes_days_whatever_the_names(prog) -> None:
    sessions, day_of, naming = prog
    keys, names = days.day_keys(sessions, by_name, LABEL, shown)
    assert partition(keys) == partition(day_of), naming
    # each day is shown once, under a name no other day has (two days under one name plan as one)
    assert len(set(names.values())) == len(names) == len(set(day_of))
    assert all(names.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes(), st.randoms(use_true_random=False))
def test_content_groups_do_not_depend_on_the_order_of_the_log(prog, rnd) -> None:
    sessions, _, _ = prog
    order = list(range(len(sessions)))
    rnd.shuffle(order)
    grouped = days.content_groups(sessions)
    reordered = days.content_groups([sessions[i] for i in order])
    assert partition([grouped[i] for i in order]) == partition(reordered)
    # numbered 1, 2, ... in order of first appearance
    firsts = list(dict.fromkeys(grouped))
    assert firsts == list(range(1, len(firsts) + 1))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_names_that_cut_across_days_are_not_trusted(prog) -> None:
    """Names that rotate independently of the days ("Morning"/"Evening" alternating over a 3-day programme)
    are each spread over several days: the days still come from what was trained."""
    sessions, day_of, _ = prog
    n_days = len(set(day_of))
    # rotate two names so that every name covers every day (rotation period coprime with the day count)
    period = 2 if n_days % 2 else 3
    rotated = [s.model_copy(update={"name": ("Morning", "Evening", "Lunch")[i % period]})
               for i, s in enumerate(sorted(sessions, key=lambda s: s.started_at))]
    day_by_time = {s.started_at: d for s, d in zip(sessions, day_of)}
    keys, _ = days.day_keys(rotated, by_name, LABEL, shown)
    assert partition(keys) == partition([day_by_time[s.started_at] for s in rotated])
