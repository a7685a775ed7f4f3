"""A training log kept as JSON - workouts holding exercises holding sets (`peri.log.importers.jsonlog`), in the
shapes public sources show: Hevy's API workouts (the `hevy` crate's models,
https://docs.rs/crate/hevy/latest/source/src/models/workout.rs), JEFIT's day log as a public client returns it
(https://npmjs.com/package/jefit), a converted log with an exercise_name per exercise. The workouts are this
project's own; expected sets worked out by hand (1 lb = 0.45359237 kg)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.errors import ImportFormatError
from peri.log.importers import detect_format, import_file, parse_file
from peri.log.models import Athlete
from peri.log.store import Store

LB = 0.45359237
HEVY_API = {"page": 1, "page_count": 1, "workouts": [
    {"id": "w2", "title": "Legs", "description": "", "start_time": "2025-07-28T18:00:00Z",
     "end_time": "2025-07-28T19:00:00Z", "exercises": [
         {"index": 0, "title": "Squat (Barbell)", "notes": "belt", "superset_id": None, "sets": [
             {"index": 0, "type": "warmup", "weight_kg": 60, "reps": 8, "distance_meters": None,
              "duration_seconds": None, "rpe": None},
             {"index": 1, "type": "normal", "weight_kg": 120, "reps": 5, "distance_meters": None,
              "duration_seconds": None, "rpe": 8.5}]}]},
    {"id": "w1", "title": "Push", "description": "felt good", "start_time": "2025-07-26T07:06:00Z",
     "end_time": "2025-07-26T08:11:00Z", "exercises": [
         {"index": 0, "title": "Bench Press (Barbell)", "notes": "", "sets": [
             {"index": 0, "type": "normal", "weight_kg": 100, "reps": 5, "rpe": None}]},
         {"index": 1, "title": "Plank", "notes": "", "sets": [
             {"index": 0, "type": "normal", "weight_kg": None, "reps": None, "duration_seconds": 60}]}]}]}

JEFIT_DAY = {"date": "2015-08-03", "sessionLength": 1602, "exercises": [
    {"name": "Elliptical Training", "type": "Cardio", "sets": [{"index": 1, "duration": 600}]},
    {"name": "Dumbbell Bench Press", "type": "Lift", "oneRepMax": 49,
     "sets": [{"index": 1, "weight": 25, "reps": 12}, {"index": 2, "weight": 30, "reps": 10}]}]}

CONVERTED = {"sessions": [{"date": "2025-01-28", "name": "Upper A", "exercises": [
    {"exercise_name": "Barbell Bench Press", "sets": [{"weight": 135, "reps": 8, "unit": "lb", "type": "warmup"},
                                                      {"weight": 185, "reps": 5, "unit": "lb", "rpe": 8}]}]}]}


def write(tmp_path: Path, data: object, name: str = "log.json") -> Path:
    f = tmp_path / name
    f.write_text(json.dumps(data, indent=1))
    return f


def sets(parsed) -> list[tuple]:
    return [(s.started_at, s.name, w[0], w[5], w[6], w[7], w[10], w[11]) for s in parsed.sessions for w in s.sets]


def test_hevy_api_workouts(tmp_path: Path) -> None:
    p = parse_file("csv", write(tmp_path, HEVY_API))
    push, legs = dt.datetime(2025, 7, 26, 7, 6), dt.datetime(2025, 7, 28, 18, 0)
    assert sets(p) == [  # sessions in time order, whichever way the file lists them
        (push, "Push", "Bench Press (Barbell)", 100.0, 5, None, None, "normal"),
        (push, "Push", "Plank", None, None, None, 60.0, "normal"),
        (legs, "Legs", "Squat (Barbell)", 60.0, 8, None, None, "warmup"),
        (legs, "Legs", "Squat (Barbell)", 120.0, 5, 8.5, None, "normal"),
    ]
    assert p.sessions[0].notes == "felt good" and p.unit.unit == "kg"
    assert any(w.startswith("read as a JSON log: 4 sets") for w in p.warnings)


def test_jefit_day_log_and_the_entries_it_cannot_read(tmp_path: Path) -> None:
    p = parse_file("csv", write(tmp_path, JEFIT_DAY), mapping={"unit": "lb"})
    day = dt.datetime(2015, 8, 3)
    assert sets(p) == [(day, "", "Dumbbell Bench Press", round(25 * LB, 4), 12, None, None, "normal"),
                       (day, "", "Dumbbell Bench Press", round(30 * LB, 4), 10, None, None, "normal")]
    note = next(w for w in p.warnings if "JSON log" in w)
    assert "1 entries among the sets" in note and "$.exercises[0].sets[0]" in note  # the elliptical, named


def test_a_converted_log_with_units_per_set(ana_store: Store, tmp_path: Path) -> None:
    f = write(tmp_path, CONVERTED)
    assert detect_format(f)[0] == "csv"
    r = import_file(ana_store, "ana", "auto", f, map_exercise=lambda n: None)
    assert (r.sessions_new, r.sets_new, r.unit) == (1, 2, "lb")


def test_a_flat_list_of_records(tmp_path: Path) -> None:
    data = [{"date": "2025-02-01", "exercise": "Squat", "weight": 100, "reps": 5, "unit": "kg"},
            {"date": "2025-02-01", "exercise": "Squat", "weight": 105, "reps": 3, "unit": "kg"},
            {"date": "2025-02-03", "workout": "B", "exercise": "Bench Press", "weight": 80, "reps": 8, "unit": "kg"}]
    p = parse_file("csv", write(tmp_path, data))
    assert sets(p) == [(dt.datetime(2025, 2, 1), "", "Squat", 100.0, 5, None, None, "normal"),
                       (dt.datetime(2025, 2, 1), "", "Squat", 105.0, 3, None, None, "normal"),
                       (dt.datetime(2025, 2, 3), "B", "Bench Press", 80.0, 8, None, None, "normal")]


@pytest.mark.parametrize("data, words", [
    ({"sessions": [{"name": "A", "exercises": [{"exercise_name": "Squat", "sets": [{"weight": 100, "reps": 5}]}]}]},
     "$.sessions[0].exercises[0].sets[0] in the JSON belongs to no workout with a date"),
    ({"workouts": [{"date": "2025-01-01", "sets": [{"weight": 100, "reps": 5}]}]},
     "$.workouts[0].sets[0] in the JSON belongs to no exercise with a name"),
    ({"workouts": [{"date": "2024-01-01"}]}, "this is a JSON file, not a CSV table"),  # no sets: as before
])
def test_what_is_not_read_is_named_never_guessed(tmp_path: Path, data: object, words: str) -> None:
    f = write(tmp_path, data)
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert words in e.value.message and "JSON" in e.value.message and e.value.place == f"{f}:1"


def test_json_that_does_not_parse_is_refused_as_json(tmp_path: Path) -> None:
    f = tmp_path / "cut.json"
    f.write_text('{"workouts": [\n  {"date": "2025-01-01",\n')
    with pytest.raises(ImportFormatError, match="this is a JSON file, not a CSV table") as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:3" and "cut short" in e.value.message  # where it breaks (`jsonguard`)


@pytest.fixture
def ana_store(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


# any JSON: read, or refused with a PeriError (the CLI's one line) - never another exception
_KEYS = st.sampled_from(["date", "start_time", "startedAt", "title", "name", "exercise_name", "exercises", "sets",
                         "weight", "weight_kg", "weightKg", "reps", "rpe", "type", "unit", "notes", "duration",
                         "duration_seconds", "workouts", "x"])
_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-1000, 100000), st.floats(allow_nan=True),
                    st.sampled_from(["2025-01-01", "7 Apr 2026, 10:14", "Squat", "kg", "lbs", "warmup", "", "abc",
                                     "Jan 14", "1e309", "-5"]))
_JSON = st.recursive(_LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(_KEYS, inner, max_size=5)), max_leaves=30)


@settings(max_examples=60, deadline=None)
@given(_JSON)
def test_any_json_is_read_or_refused_in_one_line(data) -> None:
    import tempfile

    from peri.errors import PeriError

    f = Path(tempfile.mkdtemp()) / "any.json"
    f.write_text(json.dumps(data))
    try:
        parse_file("csv", f, mapping={"unit": "kg"})
    except PeriError:
        pass


def test_a_load_and_a_distance_written_with_their_units_as_objects(tmp_path: Path) -> None:
    # apps that keep quantities typed: {"value": 50, "unit": "lb"} - before, such a load was dropped silently
    data = {"workouts": [{"date": "2024-03-04", "name": "Legs", "exercises": [
        {"name": "Squat", "sets": [{"weight": {"value": 100, "unit": "kg"}, "reps": 5},
                                   {"weight": {"value": 102.5, "unit": "kg"}, "reps": 5}]},
        {"name": "Farmer Walk", "sets": [{"weight": {"amount": 50, "unit": "lb"}, "distance": {"value": 40, "unit": "m"}}]}]}]}
    p = parse_file("csv", write(tmp_path, data))
    got = [(w[0], w[3], w[4], w[5], w[6], w[9]) for s in p.sessions for w in s.sets]
    assert got == [("Squat", 100.0, "kg", 100.0, 5, None), ("Squat", 102.5, "kg", 102.5, 5, None),
                   ("Farmer Walk", 50.0, "lb", round(50 * LB, 4), None, 40.0)]  # 50 lb = 22.6796 kg


def test_a_unit_stated_above_the_sets_is_theirs(tmp_path: Path) -> None:
    # {"unit": "lb"} on the file, "weightUnit" on a workout: the sets' loads are in it (before: --unit asked for)
    data = {"unit": "lb", "workouts": [{"date": "2024-03-04", "exercises": [
        {"name": "Squat", "sets": [{"weight": 225, "reps": 5}, {"weight": 235, "reps": 3}]}]},
        {"date": "2024-03-06", "weightUnit": "kg", "exercises": [{"name": "Squat", "sets": [{"weight": 100, "reps": 5}]}]}]}
    p = parse_file("csv", write(tmp_path, data))
    # 225 lb = 102.0583 kg, 235 lb = 106.5942 kg; the workout's own "kg" wins over the file's "lb"
    assert [(w[4], w[5]) for s in p.sessions for w in s.sets] == [("lb", 102.0583), ("lb", 106.5942), ("kg", 100.0)]


@pytest.mark.parametrize("key", ["plannedSets", "targetSets", "skipped_sets", "missedSets"])
def test_a_list_of_sets_not_done_beside_the_done_ones_is_left_out(tmp_path: Path, key: str) -> None:
    data = {"workouts": [{"date": "2024-03-04", "exercises": [
        {"name": "Squat", "sets": [{"weight_kg": 100, "reps": 5}], key: [{"weight_kg": 110, "reps": 5}] * 2}]}]}
    p = parse_file("csv", write(tmp_path, data))
    assert [(w[5], w[6]) for s in p.sessions for w in s.sets] == [(100.0, 5)]
    assert f"2 sets listed as not done (such as $.workouts[0].exercises[0].{key}[0]" in p.warnings[0]
