"""Names logged as exercises that are not strength exercises (peri.log.non_exercise)."""
from __future__ import annotations

import pytest

from peri.log.non_exercise import NameShape, NonExerciseWords, classify, shapes


def _sessions(n: int, marker: str = "Zztop", value: int = 7, where: str = "last") -> list[list[tuple]]:
    """n sessions of two lifts plus one unloaded set of ``marker`` holding a 0-10 value."""
    out = []
    for i in range(n):
        lifts = [("Bench Press", 80.0, 5, None, None, None), ("Bench Press", 80.0, 5, None, None, None),
                 ("Squat", 100.0, 5, None, None, None)]
        row = (marker, None, (value + i) % 11, None, None, None)
        out.append(lifts + [row] if where == "last" else [row] + lifts)
    return out


def test_shapes_count_sets_sessions_and_ends() -> None:
    sh = shapes(_sessions(4))
    assert sh["Zztop"] == NameShape(sessions=4, sets=4, one_set_sessions=4, loaded_sets=0, rating_sets=4,
                                    timed_sets=0, at_start=0, at_end=4, span_sessions=4)
    assert sh["Bench Press"].sets == 8 and sh["Bench Press"].one_set_sessions == 0 and sh["Bench Press"].loaded_sets == 8
    assert sh["Squat"].at_end == 0 and sh["Bench Press"].at_start == 4


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_rating_is_recognised_by_its_shape_in_any_language(where: str) -> None:
    # "Zztop" is no word of any list: only the rows say it is a rating
    sh = shapes(_sessions(6, where=where))["Zztop"]
    got = classify("Zztop", sh)
    assert got is not None and got.kind == "marker" and where in got.evidence and "6 of 6" in got.evidence


def test_too_few_sessions_or_a_loaded_set_is_no_rating_shape() -> None:
    assert classify("Zztop", shapes(_sessions(4))["Zztop"]) is None
    # six rating-shaped sessions scattered over twenty: an exercise done now and then, not a rating
    scattered = [s if i % 3 == 0 else s[:-1] for i, s in enumerate(_sessions(18))]
    sh = shapes(scattered)["Zztop"]
    assert sh.sessions == 6 and sh.span_sessions == 16 and classify("Zztop", sh) is None
    # empty sessions count in the span only
    assert shapes([[("A", None, 5, None, None, None)], [], [("A", None, 5, None, None, None)]])["A"].span_sessions == 3
    rows = _sessions(6)
    rows[0][-1] = ("Zztop", 20.0, 8, None, None, None)
    rows[1][-1] = ("Zztop", 20.0, 8, None, None, None)
    assert classify("Zztop", shapes(rows)["Zztop"]) is None  # 4 of 6 unloaded: under 90 %
    many = [s + [("Zztop", None, 5, None, None, None)] for s in _sessions(6)]  # two sets a session
    assert classify("Zztop", shapes(many)["Zztop"]) is None


def test_words_say_marker_activity_or_label_when_no_movement_is_named() -> None:
    assert classify("Session RPE").kind == "marker"
    assert classify("Intensität").kind == "marker"  # accents dropped
    assert classify("Evening Swim").kind == "activity"
    assert classify("Yoga Class").kind == "activity"
    assert classify("Rest").kind == "label"
    # a movement word wins: these are exercises whatever else the name says
    for name in ("Walking Lunge", "Farmer's Walk", "Jump Squat", "Paused Bench Press", "Sled Push"):
        assert classify(name) is None, name
    assert classify("Zorbing Thing") is None  # no evidence: an unknown exercise, not "not an exercise"


def test_a_cardio_movement_of_the_word_tables_is_an_activity_but_a_loaded_walk_is_not() -> None:
    assert classify("Stair Machine (Floors)").kind == "activity"
    loaded = NameShape(sessions=3, sets=6, loaded_sets=6)
    assert classify("Walking", loaded) is None  # a loaded walk is a carry
    timed = NameShape(sessions=2, sets=2, timed_sets=2)
    assert "2 of 2 sets are time or distance only" in classify("Walking", timed).evidence


def test_word_lists_refuse_non_words() -> None:
    from peri.errors import PeriError

    with pytest.raises(PeriError):
        NonExerciseWords({"marker": ["rpe", True]})
