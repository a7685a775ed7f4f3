"""A training log kept or exported as JSON: workouts holding exercises holding sets.

Apps that export JSON, and the scripts people use to save their history, nest a log the same way whatever the
names: a list of workouts (a date, a title), each with a list of exercises (a name), each with a list of sets
(reps, a load, perhaps RPE, a set type). Seen in public sources (2026-12-02):

- Hevy's public API, which people save whole (`{"workouts": [{"title", "start_time", "exercises": [{"title",
  "notes", "sets": [{"type", "weight_kg", "reps", "distance_meters", "duration_seconds", "rpe"}]}]}]}`: the
  `hevy` crate's models on docs.rs, https://docs.rs/crate/hevy/latest/source/src/models/workout.rs);
- JEFIT's day log as a public client returns it (`{"date", "exercises": [{"name", "sets": [{"weight", "reps"}]}]}`:
  https://npmjs.com/package/jefit);
- hand-written or converted logs (`{"sessions": [{"date", "name", "exercises": [{"exercise_name", "sets":
  [{"weight", "reps", "unit", "type"}]}]}]}`).

`json_table` finds every list of set objects (objects with a reps, load, time or distance key named as the
generic reader's column words name them, `weightKg` and `weight_kg` alike), takes the exercise's name from the
object holding the list and the date and title from the nearest object above that has them, and writes the
sets as a table - `Date, Workout Name, Workout Notes, Exercise, ...` and the sets' own fields - that the generic
reader then reads by its column names (units, set types, bounds, notes, as for any table). Line N of that table
is the (N-1)th set in the JSON's order; the report says so.

A set whose exercise has no name, or whose workout has no date, is never guessed: the file is refused naming
the first such set's path in the JSON. JSON that holds no set at all is refused as before ("a JSON file, not a CSV table"); JSON that does not parse,
or is over the size a JSON log is read up to, is refused by `jsonguard` naming where it breaks.
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any

from ...errors import ImportFormatError
from .dialect import fold, generic_field
from .jsonguard import load_json

# the set fields written as columns, in this order, with the column name the generic reader reads them by
_SET_COLUMNS = {"set_type": "Set Type", "weight": "Weight", "weight_kg": "Weight (kg)", "weight_lb": "Weight (lbs)",
                "unit": "Unit", "reps": "Reps", "rpe": "RPE", "rir": "RIR", "seconds": "Seconds",
                "distance_m": "Distance (m)", "distance_km": "Distance (km)", "distance_mi": "Distance (mi)",
                "warmup": "isWarmup", "note": "Note"}
_MEASURES = {"weight", "weight_kg", "weight_lb", "reps", "seconds", "distance_m", "distance_km", "distance_mi"}
# keys of a workout's or an exercise's name beyond the generic vocabulary ("name": an exercise's, or a workout's)
_NAMES = {"name", "title"}
_DATE_KEYS = {"start date", "startdate", "started", "start", "performed on", "day"}
_HINT = "export your log from the app as CSV"


def _field(key: str) -> str | None:
    """The generic field a JSON key names: `weightKg` is 'weight kg', `start_time` 'start time'."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)
    found = generic_field(spaced)
    if found is None and fold(spaced) in _DATE_KEYS:
        return "date"
    return found


# a measure written as an object with its unit, `"weight": {"value": 100, "unit": "kg"}` (apps and APIs that keep
# quantities typed): the number's and the unit's keys
_VALUE_KEYS = ("value", "amount", "quantity", "val", "number")
_UNIT_KEYS = ("unit", "units", "uom")
_DISTANCE_BY_UNIT = {"m": "distance_m", "meter": "distance_m", "meters": "distance_m", "metre": "distance_m",
                     "metres": "distance_m", "km": "distance_km", "kilometers": "distance_km",
                     "kilometres": "distance_km", "mi": "distance_mi", "mile": "distance_mi", "miles": "distance_mi"}


def _quantity(value: Any) -> tuple[Any, str] | None:
    """(number, unit) of a measure written as an object (`{"value": 100, "unit": "kg"}`), else None."""
    if not isinstance(value, dict):
        return None
    keys = {fold(k): k for k in value}
    number = next((value[keys[k]] for k in _VALUE_KEYS if k in keys), None)
    if number is None or isinstance(number, (dict, list, bool)):
        return None
    unit = next((value[keys[k]] for k in _UNIT_KEYS if k in keys and isinstance(value[keys[k]], str)), "")
    return number, unit.strip()


def _set_fields(obj: dict[str, Any]) -> dict[str, str]:
    """{field: key} of an object's keys that a set's columns are, when it logs a measure; else {}. A load or a
    distance written with its unit as an object counts (see `_quantity`)."""
    fields: dict[str, str] = {}
    for key, value in obj.items():
        f = _field(key)
        q = _quantity(value)
        if f == "distance" and q is not None and fold(q[1]) in _DISTANCE_BY_UNIT:
            f = _DISTANCE_BY_UNIT[fold(q[1])]  # "distance": {"value": 40, "unit": "m"}
        if f in _SET_COLUMNS and f not in fields and (not isinstance(value, (dict, list))
                                                      or (f in _MEASURES and q is not None)):
            fields[f] = key
    return fields if _MEASURES & set(fields) else {}


def _cells(found: dict[str, str], item: dict[str, Any], unit: str) -> dict[str, str]:
    """A set's cells by field; a quantity object gives its number, and its unit (a load's to the Unit column, a
    distance's to the distance column of that unit); `unit` is the one an object above the set states."""
    cells: dict[str, str] = {}
    for f, key in found.items():
        q = _quantity(item[key])
        if q is None:
            cells[f] = _text(item[key])
            continue
        number, qunit = q
        if f.startswith("distance") and fold(qunit) in _DISTANCE_BY_UNIT:
            f = _DISTANCE_BY_UNIT[fold(qunit)]
        elif f.startswith("weight") and qunit and "unit" not in found:
            cells["unit"] = qunit
        cells[f] = _text(number)
    if unit and "unit" not in cells and "weight" in cells:
        cells["unit"] = unit
    return cells


def _stated_unit(above: list[dict[str, Any]]) -> str:
    """The weight unit an object above the sets states for them all (`{"unit": "lb", "workouts": [...]}`)."""
    from .base import weight_unit

    for obj in reversed(above):
        for key, value in obj.items():
            if isinstance(value, str) and fold(key) in ("unit", "units", "weight unit", "weightunit", "weight units",
                                                        "mass unit", "massunit", "unit system"):
                try:
                    if weight_unit(value.strip()) is not None:
                        return value.strip()
                except ValueError:
                    continue
    return ""


def json_table(text: str, path: str) -> tuple[str, str] | None:
    """The sets of a JSON log as CSV text, and the report's note (see the module docstring); None for JSON that
    does not parse or holds no sets (the caller refuses it as a JSON file, not a table)."""
    rows: list[dict[str, str]] = []
    fields: list[str] = []
    unread: list[str] = []  # JSON paths of objects in a list of sets that log nothing peri reads
    undone: list[str] = []  # JSON paths of sets in a list of sets not done ("skippedSets")
    try:
        data = load_json(text, path)  # size limit, JSON Lines, a break named by its line (`jsonguard`)
        _walk(data, [], "$", rows, fields, path, unread, undone)
    except RecursionError:  # a log nests workouts > exercises > sets: hundreds of levels are no export
        raise ImportFormatError("the JSON nests its lists and objects hundreds of levels deep: no training log's "
                                "shape", place=f"{path}:1", hint="export your log from the app as CSV") from None
    if not rows:
        return None
    header = ["Date", "Workout Name", "Workout Notes", "Exercise", *(_SET_COLUMNS[f] for f in fields)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get("date", ""), r.get("session_name", ""), r.get("session_notes", ""), r["exercise"],
                    *(r.get(f, "") for f in fields)])
    note = (f"read as a JSON log: {len(rows)} sets of workouts holding exercises holding sets; line N is the "
            "(N-1)th set in the file's order")
    if undone:
        note += (f"; {len(undone)} sets listed as not done (such as {undone[0]}: skipped, planned or a target) - "
                 "not read")
    if unread:
        note += (f"; {len(unread)} entries among the sets log no reps, load, time or distance peri reads (such as "
                 f"{unread[0]}: a cardio machine's 'duration', which can be a time or a length, is one) - not read")
    return buf.getvalue(), note


def _walk(node: Any, above: list[dict[str, Any]], where: str, rows: list[dict[str, str]], fields: list[str],
          path: str, unread: list[str], undone: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                _walk(value, [*above, node], f"{where}.{key}", rows, fields, path, unread, undone)
        return
    if not isinstance(node, list):
        return
    sets = [(i, item, _set_fields(item)) for i, item in enumerate(node) if isinstance(item, dict)]
    if _not_done(where) and any(f for _, _, f in sets):
        # "skippedSets", "plannedSets", "targetSets": sets not done (or a prescription) beside the done ones
        undone.extend(f"{where}[{i}]" for i, _, f in sets if f)
        return
    if not any(f for _, _, f in sets):
        if fold(where.rsplit(".", 1)[-1]) == "sets":  # a list named sets whose entries log nothing peri reads
            unread.extend(f"{where}[{i}]" for i, _, _ in sets)
            return
        for i, item in enumerate(node):
            _walk(item, above, f"{where}[{i}]", rows, fields, path, unread, undone)
        return
    exercise = _exercise(above)
    unit = _stated_unit(above)
    for i, item, found in sets:
        if not found:
            unread.append(f"{where}[{i}]")
            continue
        place = f"{where}[{i}]"
        # a flat record names its own exercise and date: [{"date", "exercise", "weight", "reps"}, ...]
        own = _exercise([item], names=False)
        if own is None and exercise is None:
            raise ImportFormatError(f"the set at {place} in the JSON belongs to no exercise with a name",
                                    place=f"{path}:1", hint="nothing was imported; " + _HINT)
        row = _workout(above, place, path, item)
        row["exercise"] = own or exercise
        for f, text in _cells(found, item, unit).items():
            if f not in fields:
                fields.append(f)
            row[f] = text
        rows.append(row)
    fields.sort(key=list(_SET_COLUMNS).index)


# a list of sets named for sets not done, or for a prescription beside the done ones ("skippedSets", "plannedSets",
# "targetSets", "missed_sets"): its first word
_NOT_DONE = frozenset({"skipped", "skip", "missed", "planned", "plan", "target", "targets", "prescribed", "template",
                       "incomplete", "uncompleted", "undone", "pending", "remaining", "upcoming", "scheduled"})


def _not_done(where: str) -> bool:
    # a list in a list ("skippedSets": [[...], [...]], sets grouped by round) is named by the key above it
    key = re.sub(r"(\[\d+\])+$", "", where).rsplit(".", 1)[-1]
    words = fold(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key)).split()
    return bool(words) and words[0] in _NOT_DONE


def _exercise(above: list[dict[str, Any]], names: bool = True) -> str | None:
    """The name of the object holding a list of sets: its exercise (a name nested one level down, as
    `{"exercise": {"name": ...}}`, counts), else (`names`) its plain name or title."""
    if not above:
        return None
    holder = above[-1]
    for key, value in holder.items():
        if _field(key) == "exercise":
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, dict):
                inner = next((v for k, v in value.items() if fold(k) in _NAMES and isinstance(v, str)), None)
                if inner and inner.strip():
                    return inner.strip()
    if not names:
        return None
    name = next((v for k, v in holder.items() if fold(k) in _NAMES and isinstance(v, str) and v.strip()), None)
    return name.strip() if name else None


def _workout(above: list[dict[str, Any]], place: str, path: str, item: dict[str, Any]) -> dict[str, str]:
    """Date, name and notes of the nearest object above the exercise that has a date (the set's own date, in a
    flat list of records)."""
    dated = {_field(k): k for k in item if not isinstance(item[k], (dict, list))}
    if "date" in dated and _text(item[dated["date"]]):
        row = {"date": _text(item[dated["date"]])}
        if "session_name" in dated:
            row["session_name"] = _text(item[dated["session_name"]])
        return row
    for obj in reversed(above):
        keys = {_field(k): k for k in obj if not isinstance(obj[k], (dict, list))}
        if "date" in keys and _text(obj[keys["date"]]):
            row = {"date": _text(obj[keys["date"]])}
            # a date on the exercise itself (a flat list of exercises): its name is the exercise's, not a workout's
            name = keys.get("session_name") if obj is not above[-1] or len(above) == 1 else None
            if name is None and obj is not above[-1]:
                name = next((k for k in obj if fold(k) in _NAMES and isinstance(obj[k], str)), None)
            if name is not None:
                row["session_name"] = _text(obj[name])
            if "session_notes" in keys:
                row["session_notes"] = _text(obj[keys["session_notes"]])
            return row
    raise ImportFormatError(f"the set at {place} in the JSON belongs to no workout with a date",
                            place=f"{path}:1", hint="nothing was imported; " + _HINT)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
