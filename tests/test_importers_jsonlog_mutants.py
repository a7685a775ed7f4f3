"""Hand-worked JSON logs for `peri.log.importers.jsonlog`'s quantities with units, units stated above the sets and
lists of sets not done (issue 20, mutation testing, mutation8c): the table `json_table` writes, line by line, and
its note word for word."""
from __future__ import annotations

import json

import pytest

from peri.log.importers.jsonlog import json_table

NOTE = "read as a JSON log: {n} sets of workouts holding exercises holding sets; line N is the (N-1)th set in the file's order"


def table(sets: list, **above) -> tuple[str, str]:
    data = {**above.pop("top", {}), "workouts": [{"date": "2024-03-05", "title": "Legs", **above,
                                                   "exercises": [{"name": "Squat", "sets": sets}]}]}
    got = json_table(json.dumps(data), "log.json")
    assert got is not None
    return got


def test_a_quantitys_keys_in_any_case_the_value_first_and_its_unit_stripped() -> None:
    text, note = table([{"weight": {"Amount": 5, "Value": 100, "UNIT": " LBS "}, "reps": 5}])
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight,Unit,Reps\n2024-03-05,Legs,,Squat,100,LBS,5\n"
    assert note == NOTE.format(n=1)


@pytest.mark.parametrize("key, value", [("val", 60), ("quantity", 60.5), ("number", 0)])
def test_every_key_of_a_quantitys_number(key: str, value: float) -> None:
    text, _ = table([{"weight": {key: value, "uom": "kg"}, "reps": 5}])
    assert text.splitlines()[1] == f"2024-03-05,Legs,,Squat,{value},kg,5"


@pytest.mark.parametrize("weight", [{"unit": "kg"}, {"value": None, "unit": "kg"}, {"value": True, "unit": "kg"},
                                    {"value": [100], "unit": "kg"}, {"value": {"kg": 100}, "unit": "kg"}])
def test_an_object_without_a_number_is_no_load(weight: dict) -> None:
    text, _ = table([{"weight": weight, "reps": 5}])
    assert text == "Date,Workout Name,Workout Notes,Exercise,Reps\n2024-03-05,Legs,,Squat,5\n"


def test_a_quantitys_unit_that_is_no_text_or_empty_is_not_written() -> None:
    text, _ = table([{"weight": {"value": 100, "unit": 1}, "reps": 5}, {"weight": {"value": 90, "units": "  "}, "reps": 5}])
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight,Reps\n2024-03-05,Legs,,Squat,100,5\n2024-03-05,Legs,,Squat,90,5\n"


def test_a_sets_own_unit_column_wins_over_its_quantitys() -> None:
    text, _ = table([{"weight": {"value": 100, "unit": "kg"}, "unit": "lb", "reps": 5}])
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight,Unit,Reps\n2024-03-05,Legs,,Squat,100,lb,5\n"


def test_distances_by_their_units() -> None:
    # a bare "distance" is read by the unit its object gives; "distance_km" written in miles is miles
    text, _ = table([{"distance": {"value": 40, "unit": "Metres"}}, {"distance": {"value": 2, "unit": "MILES"}},
                     {"distance_km": {"value": 3, "unit": "mi"}}, {"distance_km": {"value": 5, "unit": ""}}])
    assert text == ("Date,Workout Name,Workout Notes,Exercise,Distance (m),Distance (km),Distance (mi)\n"
                    "2024-03-05,Legs,,Squat,40,,\n2024-03-05,Legs,,Squat,,,2\n2024-03-05,Legs,,Squat,,,3\n"
                    "2024-03-05,Legs,,Squat,,5,\n")


def test_a_distance_in_a_unit_peri_does_not_know_and_a_note_object_are_no_measure() -> None:
    assert json_table(json.dumps({"workouts": [{"date": "2024-03-05", "exercises": [{"name": "Sled", "sets": [
        {"distance": {"value": 3, "unit": "furlongs"}, "note": {"value": "heavy"}}]}]}]}), "log.json") is None


def test_a_unit_stated_above_the_sets_nearest_first() -> None:
    text, _ = table([{"weight": 225, "reps": 5}], top={"unit": "kg"}, weightUnit=" LB ")
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight,Unit,Reps\n2024-03-05,Legs,,Squat,225,LB,5\n"


@pytest.mark.parametrize("key", ["Units", "weight unit", "mass_unit", "massUnit", "unit_system", "Weight Units"])
def test_every_key_that_states_a_unit(key: str) -> None:
    text, _ = table([{"weight": 225, "reps": 5}], **{key: "lb"})
    assert text.splitlines()[1] == "2024-03-05,Legs,,Squat,225,lb,5"


def test_a_stated_value_that_is_no_weight_unit_is_passed_over() -> None:
    # "imperial" and "metres" are no weight unit, 2 is no text: the file's own "lb" above them is read
    text, _ = table([{"weight": 225, "reps": 5}], top={"unit": "lb"}, unitSystem="imperial", units=2, unit="metres")
    assert text.splitlines()[1] == "2024-03-05,Legs,,Squat,225,lb,5"
    text, _ = table([{"weight": 225, "reps": 5}], unit="metres")
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight,Reps\n2024-03-05,Legs,,Squat,225,5\n"


def test_a_stated_unit_is_only_for_a_bare_weight() -> None:
    text, _ = table([{"weight_kg": 100, "reps": 5}, {"reps": 8}], top={"unit": "lb"})
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight (kg),Reps\n2024-03-05,Legs,,Squat,100,5\n2024-03-05,Legs,,Squat,,8\n"


def test_sets_not_done_are_counted_and_named() -> None:
    data = {"workouts": [{"date": "2024-03-05", "exercises": [
        {"name": "Squat", "sets": [{"weight_kg": 100, "reps": 5}],
         "skippedSets": [{"weight_kg": 110, "reps": 5}, {"foo": 1}, {"weight_kg": 110, "reps": 3}],
         "targets": [{"reps": 8}]}]}]}
    text, note = json_table(json.dumps(data), "log.json")
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight (kg),Reps\n2024-03-05,,,Squat,100,5\n"
    assert note == (NOTE.format(n=1) + "; 3 sets listed as not done (such as $.workouts[0].exercises[0].skippedSets[0]: "
                    "skipped, planned or a target) - not read")


def test_lists_named_like_sets_not_done_but_holding_none_or_done_sets_are_read_on() -> None:
    # "skippedSets" holding nothing peri reads is walked like any list; "setsPlanned" starts with "sets"
    data = {"workouts": [{"date": "2024-03-05", "exercises": [
        {"name": "Squat", "skippedSets": [{"foo": 1}], "setsPlanned": [{"weight_kg": 100, "reps": 5}]}]}]}
    text, note = json_table(json.dumps(data), "log.json")
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight (kg),Reps\n2024-03-05,,,Squat,100,5\n"
    assert note == NOTE.format(n=1)


def test_a_sets_unit_key_written_before_its_quantity_still_wins() -> None:
    text, _ = table([{"unit": "lb", "weight": {"value": 100, "unit": "kg"}, "reps": 5}])
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight,Unit,Reps\n2024-03-05,Legs,,Squat,100,lb,5\n"


def test_a_sets_own_unit_wins_over_one_stated_above() -> None:
    text, _ = table([{"weight": 100, "unit": "kg", "reps": 5}], top={"unit": "lb"})
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight,Unit,Reps\n2024-03-05,Legs,,Squat,100,kg,5\n"


def test_a_key_that_is_no_weight_unit_does_not_hide_the_next_key() -> None:
    # the workout's "unit_system": "imperial" is passed over, its "weightUnit": "kg" read before the file's "lb"
    text, _ = table([{"weight": 100, "reps": 5}], top={"unit": "lb"}, unit_system="imperial", weightUnit="kg")
    assert text.splitlines()[1] == "2024-03-05,Legs,,Squat,100,kg,5"


def test_sets_not_done_grouped_in_lists_are_left_out_too() -> None:
    # "skippedSets" holding lists of sets (grouped by round): still sets not done (before: read as done sets)
    data = {"workouts": [{"date": "2024-03-05", "exercises": [
        {"name": "Squat", "sets": [{"weight_kg": 100, "reps": 5}],
         "skippedSets": [[{"weight_kg": 110, "reps": 5}], [{"weight_kg": 110, "reps": 3}]]}]}]}
    text, note = json_table(json.dumps(data), "log.json")
    assert text == "Date,Workout Name,Workout Notes,Exercise,Weight (kg),Reps\n2024-03-05,,,Squat,100,5\n"
    assert note == (NOTE.format(n=1) + "; 2 sets listed as not done (such as "
                    "$.workouts[0].exercises[0].skippedSets[0][0]: skipped, planned or a target) - not read")
    # a list of lists at the top, or under a key of done sets, is read as done
    data = [[{"date": "2024-03-05", "exercise": "Squat", "weight_kg": 100, "reps": 5}]]
    text, _ = json_table(json.dumps(data), "log.json")
    assert text.splitlines()[1:] == ["2024-03-05,,,Squat,100,5"]
