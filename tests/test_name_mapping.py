"""Explaining matches and proposing mappings for unmapped names (peri.log.name_mapping)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from peri.log.catalog import default_catalog
from peri.log.models import Athlete, Session, WorkoutSet
from peri.log.name_mapping import accept, add_alias, confident, explain, suggest, unmapped_counts


def test_explain_carries_parse_and_candidates() -> None:
    ex = explain(default_catalog(), "Sumo Deadlfit", limit=3)
    assert ex.result.entry.id == "Sumo_Deadlift" and ex.result.method == "parsed"
    assert ex.result.evidence.parsed.corrections == {"deadlfit": "deadlift"}
    assert len(ex.candidates) == 3 and all(0 <= c.score <= 100 for c in ex.candidates)


def test_suggest_prefers_the_matcher_and_marks_search_guesses() -> None:
    props = suggest(default_catalog(), Counter({"Squat": 5, "Zorbing Squat": 2, "qqq": 1}))
    by = {p.name: p for p in props}
    assert [p.name for p in props] == ["Squat", "Zorbing Squat", "qqq"]  # most sets first
    assert by["Squat"].method == "parsed" and by["Squat"].exercise_id == "Barbell_Squat"
    # an unknown word on a known movement: the base lift, proposed below the usual acceptance score
    z = by["Zorbing Squat"]
    assert z.method == "base_movement" and z.exercise_id == "Barbell_Squat" and "zorbing" in z.reason and z.score < 90
    assert by["qqq"].method in ("search", "none")


def test_accept_writes_aliases_and_remaps_only_that_athlete(store) -> None:
    a = store.add_athlete(Athlete(name="ann"))
    b = store.add_athlete(Athlete(name="bob"))
    day = dt.datetime(2024, 3, 4, 18, 0)
    for who in (a, b):
        store.add_sessions(who.id, [Session(started_at=day, source="strong", sets=[
            WorkoutSet(exercise="Squat", reps=5, weight=100, unit="kg", weight_kg=100)])])
    counts, total = unmapped_counts(store, a.id)
    assert counts == Counter({"Squat": 1}) and total == 1
    props = suggest(default_catalog(), counts)
    assert accept(store, a.id, props) == 1 and accept(store, a.id, []) == 0
    assert store.aliases()["squat"] == "Barbell_Squat"
    assert store.sessions(a.id)[0].sets[0].exercise_id == "Barbell_Squat"
    assert store.sessions(b.id)[0].sets[0].exercise_id is None  # bob's log is his to change


def test_suggest_says_not_an_exercise_and_proposes_the_base_movement() -> None:
    from peri.log.non_exercise import NameShape

    shape = NameShape(sessions=5, sets=5, one_set_sessions=5, rating_sets=5, at_end=5)
    props = {p.name: p for p in suggest(default_catalog(), Counter({"Zztop": 5, "Zorbing Curl": 3, "Swimming": 1}),
                                        shapes={"Zztop": shape})}
    assert props["Zztop"].method == "not_exercise" and props["Zztop"].exercise_id is None and "marker" in props["Zztop"].reason
    assert props["Swimming"].method == "not_exercise" and "activity" in props["Swimming"].reason
    p = props["Zorbing Curl"]
    assert p.method == "base_movement" and p.exercise_id == "Dumbbell_Bicep_Curl" and "zorbing" in p.reason and p.score < 90


def test_add_alias_remaps_every_athletes_sets_of_that_name_in_any_case(store) -> None:
    import pytest

    from peri.errors import NotFound

    a = store.add_athlete(Athlete(name="ann"))
    b = store.add_athlete(Athlete(name="bob"))
    day = dt.datetime(2024, 3, 4, 18, 0)
    store.add_sessions(a.id, [Session(started_at=day, source="strong", sets=[
        WorkoutSet(exercise="Birddog", reps=10, order=1), WorkoutSet(exercise="Birddog", reps=10, order=2),
        WorkoutSet(exercise="Birddog Row", reps=8, order=3)])])
    store.add_sessions(b.id, [Session(started_at=day, source="strong", sets=[WorkoutSet(exercise=" birddog ", reps=12)])])
    before = store.dump()
    with pytest.raises(NotFound):
        add_alias(store, default_catalog(), "Birddog", "No_Such_Id")
    assert store.dump() == before  # an unknown id writes nothing
    r = add_alias(store, default_catalog(), "Birddog", "Side_Bridge")
    assert (r.name, r.exercise_id, r.exercise, r.sets_remapped) == ("birddog", "Side_Bridge", "Side Bridge", 3)
    assert store.aliases()["birddog"] == "Side_Bridge"
    assert [s.exercise_id for s in store.sessions(a.id)[0].sets] == ["Side_Bridge", "Side_Bridge", None]
    assert store.sessions(b.id)[0].sets[0].exercise_id == "Side_Bridge"


def test_confident_keeps_only_the_matchers_own_answers() -> None:
    props = suggest(default_catalog(), Counter({"Squat": 5, "Zorbing Squat": 2, "Swimming": 1, "qqq": 1}))
    assert [p.name for p in confident(props)] == ["Squat"]  # base movement, search, not-exercise: one by one
