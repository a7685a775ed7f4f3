"""Note parsing pinned down where mutmut found it loose (issue 20): folding, effort ranges, the backwards
negator, the clause bound, soreness and tiredness exceptions, and the annotations' fields, each with a note
written by hand and the facts a person reads in it."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log import notes
from peri.log.models import Scope, Session, WorkoutSet
from peri.log.notes import annotations_for_session, note_annotations, parse_note, regions_in


@pytest.mark.parametrize("text, folded", [
    ("Đaci ŁAPA ßø", "daci lapa sso"),  # the four letters NFKD does not decompose
    ("Épaule", "epaule"),
    ("Schulter", "schulter"),  # plain ASCII: only lower-cased
    ("½ set", "1⁄2 set"),  # a compatibility character decomposes; a non-combining result is kept
])
def test_fold(text: str, folded: str) -> None:
    assert notes._fold(text) == folded


@pytest.mark.parametrize("pattern, reversed_", [
    (r"\bno", r"on\b"),
    (r"\bkein\w*", r"\w*niek\b"),
    (r"\bisn'?t", r"t'?nsi\b"),
    (r"n't", r"t'n"),
    (r"\bfree of", r"fo eerf\b"),
])
def test_reverse_word(pattern: str, reversed_: str) -> None:
    assert notes._reverse_word(pattern) == reversed_


@pytest.mark.parametrize("text, rpe, rir", [
    ("RPE 10", 10.0, None),  # the top of the scale counts
    ("RPE 1", 1.0, None),
    ("RPE 0.5", None, None),  # below the scale
    ("RPE 10.5", None, None),  # above it
    ("0 RIR", None, 0.0),  # nothing left counts
    ("RIR 10", None, 10.0),
    ("RIR 11", None, None),
    ("rpe 6/8", 7.0, None),  # a range is its middle
    ("RPE 12 then RPE 8", 8.0, None),  # an out-of-range value does not stop the search
    ("1-3 RIR", None, 2.0),
])
def test_effort_bounds_and_ranges(text: str, rpe: float | None, rir: float | None) -> None:
    f = parse_note(text)
    assert (f.rpe, f.rir) == (rpe, rir)


def test_note_annotations_fields_dedup_and_source() -> None:
    day = dt.date(2024, 5, 6)
    out = note_annotations(day, "  ", [("Squat", "sq", "knee pain, 2 RIR"), ("Squat", "sq", "knee pain, 2 RIR"),
                                       ("Bench", None, "knee pain"), ("Row", None, None), ("Row", None, " ")],
                           source="import")
    assert [(a.scope, a.exercise, a.exercise_id, a.text) for a in out] == [
        (Scope.exercise, "Squat", "sq", "knee pain, 2 RIR"), (Scope.exercise, "Bench", None, "knee pain")]
    assert all(a.source == "import" and a.date == day and a.tags == ["pain"] and a.regions == ["knee"] for a in out)
    assert [(a.rpe, a.rir) for a in out] == [(None, 2.0), (None, None)]
    session = note_annotations(day, "RPE 8, 2 RIR, hip pain", [])
    assert len(session) == 1 and session[0].scope == Scope.session
    assert (session[0].rpe, session[0].rir, session[0].source) == (8.0, 2.0, "note")
    assert session[0].regions == ["hip"] and session[0].tags == ["pain"]


def test_annotations_of_a_logged_session_are_notes() -> None:
    s = Session(started_at=dt.datetime(2024, 3, 4, 18, 0), notes="knee pain", source="strong",
                sets=[WorkoutSet(exercise="Squat", reps=5, note="@8")])
    assert [a.source for a in annotations_for_session(s)] == ["note", "note"]


def test_regions_in_decides_back_by_pain_unless_told() -> None:
    assert regions_in("my back hurts") == ["lower_back"]  # pain found in the text itself
    assert regions_in("my back again") == ["lower_back"]  # an aggravation word is pain context too
    assert regions_in("keep the back straight") == []
    assert regions_in("back aggravated") == ["lower_back"]
    assert regions_in("my back hurts", pain_context=False) == []  # the caller's word wins
    assert regions_in("upper back and back pain", pain_context=True) == ["upper_back"]  # a named back is enough


@pytest.mark.parametrize("text, tags, regions", [
    # an exercise name counts as no words between a negator and the pain word
    ("no more hip thrust pain", [], []),
    # "pain free" is not pain, so a generic "back" in it is not the lower back
    ("back felt pain free today", [], []),
    # "again" is not pain either, and a back kept straight is a cue, not a region
    ("kept my back straight again", [], []),
    # soreness alone is muscle soreness; an ache after it is pain
    ("still sore", [], []),
    ("still sore and achy", ["pain"], []),
    # a negator does not reach past a clause break ("but"), even within two words
    ("no issues but pain", ["pain"], []),
    ("no issues, but knee pain. no pain elsewhere", ["pain"], ["knee"]),
    # a negated pain word does not hide a later one
    ("no pain yesterday, knee aches today", ["pain"], ["knee"]),
    # tired for another reason is not training fatigue; tired AND exhausted is, in either order
    ("tired, slept badly", [], []),
    ("tired and exhausted, slept badly", ["excessive"], []),
    ("exhausted and tired, slept badly", ["excessive"], []),
])
def test_masked_phrases_and_the_back(text: str, tags: list[str], regions: list[str]) -> None:
    f = parse_note(text)
    assert (f.tags, f.regions) == (tags, regions)


def test_no_note_is_no_facts() -> None:
    assert parse_note(None) == notes.NoteFacts()
    assert parse_note("") == parse_note("  \n ") == notes.NoteFacts()
