"""The dialect module pinned down where mutmut found it loose (issue 20, mutation7b): words and headers written
here by hand, every expected value worked out by hand (never read back from the module's own tables)."""
from __future__ import annotations

import pytest

from peri.log.importers.dialect import (
    LAYOUTS, _strip_unit, _word_votes, ambiguous_column, fold, generic_field, generic_match,
)


@pytest.mark.parametrize("header, kind", [
    ("Time", "time"), ("  TIME ", "time"), ("Uhrzeit", "time"), ("Heure", "time"), ("Время", "time"),
    ("Duration", "duration"), ("Durée", "duration"), ("Duração", "duration"), ("length", "duration"),
    ("Dauer", "duration"),
    # named more fully, the column says what it holds: not ambiguous
    ("Time of day", None), ("Duration (s)", None), ("Weight", None), ("", None),
])
def test_ambiguous_column_by_its_name_alone(header: str, kind: str | None) -> None:
    assert ambiguous_column(header) == kind


def test_a_unit_is_stripped_from_a_name_of_several_words() -> None:
    assert _strip_unit("poids kg") == "poids"
    assert _strip_unit("duree de l entrainement sec") == "duree de l entrainement"
    assert _strip_unit("distance en miles") == "distance en"


def test_a_localised_name_of_several_words_with_a_unit_votes_for_its_language() -> None:
    # Strong Android's 14 columns in French; the last, "Durée de l'entraînement", with its unit in brackets: 14
    # French words (its bare name is in the French table), where a name read with the unit would find none
    android = next(lay for lay in LAYOUTS["strong"] if lay.name == "strong-android")
    header = ["Date", "Nom de l'entraînement", "Nom de l'exercice", "Ordre des séries", "Poids", "Unité de poids",
              "Répétitions", "RPE", "Distance", "Unité de distance", "Secondes", "Notes", "Notes d'entraînement",
              "Durée de l'entraînement (s)"]
    # "Date", "RPE", "Distance" and "Notes" are English words too: they vote English (4), the other 10 French
    assert _word_votes("strong", android, [fold(h) for h in header]) == ("French", 10)


@pytest.mark.parametrize("header, found", [
    ("Date", ("date", 0)), ("  DATE ", ("date", 0)), ("Workout Date", ("date", 6)),
    ("Weight (kg)", ("weight_kg", 0)),  # read whole: "weight kg" is a name of its own
    # a note in brackets: the name without it, ranked after every name read whole (1000 on)
    ("Date (yyyy/mm/dd)", ("date", 1000)), ("Start Time (h:mm)", ("date", 1009)), ("Notes (optional)", ("note", 1001)),
    ("(kg)", ("weight_kg", 2)), ("(optional)", None), ("Thing (kg)", None), ("Set #", None), ("Workout # (id)", None),
    ("Colour", None),
])
def test_generic_match_reads_a_column_name_and_its_rank(header: str, found: tuple[str, int] | None) -> None:
    assert generic_match(header) == found
    assert generic_field(header) == (found[0] if found else None)


# --- camelCase column names (mutation8c: imports9's generic_match) ------------------------------------------------

@pytest.mark.parametrize("header, field", [("exerciseName", "exercise"), ("weightKg", "weight_kg"),
                                           ("distanceMeters", "distance_m"), ("durationSeconds", "seconds")])
def test_a_camel_case_name_is_read_as_its_words(header: str, field: str) -> None:
    assert generic_match(header)[0] == field


@pytest.mark.parametrize("header", ["TargetReps", "plannedReps"])
def test_a_camel_case_prescription_stays_unread(header: str) -> None:
    assert generic_match(header) is None


@pytest.mark.parametrize("header", ["StartTime", "isWarmup", "DateTime"])
def test_a_name_the_vocabulary_holds_whole_is_read_whole(header: str) -> None:
    # read as written (as its lower case is), never re-read as separate words, which rank otherwise
    assert generic_match(header) == generic_match(header.lower()) and generic_match(header) is not None
