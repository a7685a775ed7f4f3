"""Any CSV, through a column mapping: for logs kept in a spreadsheet or an app peri has no importer for.

A mapping names, for each peri field, the column that holds it, plus a few options:

    columns:            # peri field: column in the file  (column: field is accepted too)
      date: When
      exercise: Lift
      weight: Load
      reps: Reps
    date_format: "%d/%m/%Y"   # strptime; default: ISO and the shapes the app importers know
    unit: lb                  # weight unit when no `unit` column says it (default kg)
    delimiter: ";"            # default: sniffed from the header

It comes from a YAML/JSON file, a dict, or `--map COLUMN=FIELD` pairs on the command line. Fields:
date and exercise are required; time, session_name, session_notes, duration, weight, unit, weight_kg,
weight_lb, reps, rpe, rir, distance_m, distance_km, distance_mi, seconds, set_type, warmup (a yes/no
column), note, logs (JEFIT's sets of an exercise in one cell, "100x5,102.5x3"), planned_weight and
planned_reps (a coach's prescription, read where the performed weight or reps cell is empty, as coaching apps
such as Barbell Logic write only what differed), missed and completed (yes/no columns: a missed exercise, or
a workout marked not completed, is no set), distance with distance_unit (or its unit in the cell: "5 km")
and sets (a row standing for several identical sets: "3" sets of
10 reps at 100 - unless the column numbers the sets 1, 2, 3 within an exercise) are optional. Sets that share the date (and time, and session name when mapped) form one
session; a log that stamps every set with its own time (Fitbod) has its sets less than
`SESSION_GAP` apart on one day joined into one session.

Fields no mapping names are read from columns whose names say them (`data/import_vocabulary.yaml`,
`generic_columns`: "Date", "Exercise", "Weight (kg)", "Reps", "isWarmup", "Notes" ... in several
languages), so an export of an app peri has no importer for imports with no mapping at all; the report
lists which column was read as what and which were left unread. A wide sheet (sets in numbered column groups,
`wide`) gives one set per filled group; a column named only "Time" or "Duration" is read as what its values
show (`timecol`), or left unread with the report saying why.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ...errors import ConfigError, ImportFormatError
from ..notes import parse_note
from .blocks import looks_like_blocks, parse_blocks
from .grouptags import split_group_tag
from .resaved import from_sheet, unhide
from .setcell import read_set_cell, set_cell_columns, with_remark
from .dialect import ambiguous_column, fold, generic_match, set_type_word
from .timecol import classify
from .wide import SetCell, SetGroup, _own_order, decide_order, find_groups, group_columns, resolve_cell
from .base import (
    exercise_name,
    MI_TO_M,
    AmbiguousDate,
    ParsedFile,
    ParsedSession,
    Problems,
    Table,
    ValueCache,
    clean_text,
    distance_factor,
    table_rows,
    parse_datetime,
    parse_duration,
    parse_number,
    SETS,
    RowRefused,
    read_reps,
    single_reps,
    parse_weight,
    to_kg,
    weight_unit,
)

FIELDS = (
    "date", "time", "session_name", "session_notes", "duration", "exercise", "weight", "unit", "weight_kg",
    "weight_lb", "reps", "rpe", "rir", "distance_m", "distance_km", "distance_mi", "seconds", "set_type", "warmup",
    "note", "logs", "planned_weight", "planned_reps", "missed", "completed", "sets", "distance", "distance_unit",
)
# (planned_sets, TurnKey's assigned_sets, is read by its column name only: no --map field)
# "5 km", "3.1 mi", "400m": a distance with its unit in the cell
_DISTANCE_WITH_UNIT = re.compile(r"^\s*(\d[\d.,]*)\s*([^\W\d_]+\.?)\s*$")
# fields that are other ways of logging the same thing: a mapping naming one of them rules out reading the others
# by their column names (mapping Load=weight must not lose to a column named "Weight (kg)")
_GROUPS = [{"weight", "weight_kg", "weight_lb", "logs", "planned_weight"}, {"reps", "logs", "planned_reps"},
           {"distance", "distance_m", "distance_km", "distance_mi"}]
_ALTERNATIVES: dict[str, set[str]] = {}
for _group in _GROUPS:
    for _field in _group:
        _ALTERNATIVES.setdefault(_field, set()).update(_group - {_field})
MAX_SETS_PER_ROW = 50  # a row standing for more sets than this is no count of sets
_NO = frozenset({"false", "no", "n", "0", "nein", "non", "não", "nao", "falsch", "faux", "falso", "✗", "✘",
                 # a Status column's words for a set not done (a set "skipped" or "missed" is no set)
                 "skipped", "missed", "not completed", "incomplete", "not done", "uncompleted", "planned"})
# a set is logged by at least one of these; a file with none of them mapped holds no training to import
_SET_FIELDS = ("weight", "weight_kg", "weight_lb", "reps", "seconds", "distance_m", "distance_km", "distance_mi",
               "logs", "planned_weight", "planned_reps")
# JEFIT's `logs` cell: every set of an exercise in one cell, "WEIGHTxREPS" joined by commas ("100x5,102.5x3,")
_LOGGED_SET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+)\s*$", re.I)
# a yes/no column's words for yes (isWarmup: true); anything else non-empty is no
_YES = frozenset({"true", "yes", "y", "1", "x", "ja", "oui", "si", "sí", "sim", "wahr", "vrai", "verdadero", "✓", "✔"})
# sets stamped with their own times (Fitbod) less than this apart on one day are one session
SESSION_GAP = dt.timedelta(minutes=90)
OPTIONS = ("date_format", "unit", "delimiter")
_SET_TYPES = {"": "normal", "normal": "normal", "working": "normal", "work": "normal", "w": "warmup",
              "warmup": "warmup", "warm-up": "warmup", "warm up": "warmup", "drop": "drop", "dropset": "drop",
              "drop set": "drop", "d": "drop", "failure": "failure", "f": "failure"}


def parse_map_pairs(pairs: list[str]) -> dict[str, Any]:
    """`["When=date", "Lift=exercise", "date_format=%d/%m/%Y"]` -> a mapping dict."""
    mapping: dict[str, Any] = {"columns": {}}
    for pair in pairs:
        if "=" not in pair:
            raise ConfigError(f"--map {pair!r} is not COLUMN=FIELD", hint=f"fields: {', '.join(FIELDS)}")
        left, right = (p.strip() for p in pair.split("=", 1))
        if left in OPTIONS:
            mapping[left] = right
        else:
            mapping["columns"][left] = right
    return mapping


def load_mapping(spec: dict[str, Any] | str | Path | None) -> dict[str, Any]:
    """Normalise a mapping (file path, dict) to `{"columns": {field: column}, option: value, ...}`."""
    if spec is None:
        spec = {}  # every column read by its name (see `infer_columns`)
    if isinstance(spec, str | Path):
        p = Path(spec)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read the mapping file: {getattr(e, 'strerror', None) or e}", place=str(p)) from None
        try:
            if p.suffix.lower() == ".json":
                spec = json.loads(text)
            else:
                import yaml

                spec = yaml.safe_load(text)
        except Exception as e:  # yaml/json syntax errors
            raise ConfigError(f"the mapping file is not valid {p.suffix or 'YAML'}: {e}", place=str(p)) from None
        if not isinstance(spec, dict):
            raise ConfigError("the mapping file must be a mapping of fields to columns", place=str(p))
    extra = {k: v for k, v in spec.items() if k not in ("columns", *OPTIONS, "progress")}
    raw_cols = dict(spec.get("columns") or {})
    raw_cols.update(extra)  # a flat mapping: fields/columns at the top level
    columns: dict[str, str] = {}
    for k, v in raw_cols.items():
        k, v = str(k).strip(), str(v).strip()
        if k in FIELDS and v not in FIELDS:
            columns[k] = v
        elif v in FIELDS:
            columns[v] = k
        else:
            raise ConfigError(f"mapping {k!r}: {v!r} names no peri field", hint=f"fields: {', '.join(FIELDS)}")
    out: dict[str, Any] = {k: spec[k] for k in (*OPTIONS, "progress") if spec.get(k) is not None}
    out["columns"] = columns
    return out


def infer_columns(header: list[str], columns: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The fields `columns` (field -> column) leaves out, read from the header's names: (the fields found,
    the columns read as nothing). A column already mapped, or whose field is taken, is not used twice."""
    taken = {c.strip().lower() for c in columns.values()}
    best: dict[str, tuple[int, int]] = {}  # field -> (rank of its word, column index)
    for i, name in enumerate(header):
        if not name.strip() or name.strip().lower() in taken:
            continue
        match = generic_match(name)
        if match is None or match[0] in columns or _ALTERNATIVES.get(match[0], set()) & columns.keys():
            continue  # a field the mapping names, or one of its alternatives: the person's choice stands
        if match[0] not in best or match[1] < best[match[0]][0]:
            best[match[0]] = (match[1], i)
    used = {i for _, i in best.values()}
    found = {f: header[i] for f, (_, i) in sorted(best.items(), key=lambda kv: kv[1][1])}
    unread = [name for i, name in enumerate(header)
              if i not in used and name.strip() and name.strip().lower() not in taken]
    return found, unread


class GenericCsvImporter:
    """A CSV read through a column mapping (see the module docstring)."""

    fmt = "csv"

    def parse(self, table: Table, options: dict[str, Any]) -> ParsedFile:
        path = table.path
        columns: dict[str, str] = dict(options.get("columns") or {})
        if not columns and looks_like_blocks(table):
            out = ParsedFile(path=path, fmt=self.fmt, warnings=list(table.warnings))
            parse_blocks(table, out)
            out.warnings.append("read as blocks: a session line, then per exercise its title, a column line and its "
                                "sets (Alpha Progression's layout)")
            return out
        mapped = {h.strip().lower() for h in columns.values()}
        groups = find_groups(table.header, taken={i for i, h in enumerate(table.header) if h.strip().lower() in mapped})
        in_groups = group_columns(groups)
        # the numbered set columns of a wide sheet are read by their groups, not by their names
        named = [("" if i in in_groups else h) for i, h in enumerate(table.header)]
        inferred, unread = infer_columns(named, columns)
        if groups and "sets" in inferred:  # a wide sheet's Sets column is the plan; its set columns are what was done
            unread.append(inferred.pop("sets"))
        columns.update(inferred)
        dated = _date_columns(table.header)
        if "date" not in columns and len(dated) >= 2 and len(dated) < len(table.header):
            raise ImportFormatError(
                f"the dates are column names ({', '.join(repr(d) for d in dated[:3])}...): a sheet with a column per "
                "day, which peri does not read", place=f"{path}:1",
                hint="turn it into one row per set (or per exercise per session) with a Date column, e.g. "
                     "Date,Exercise,Weight,Reps, or Date,Exercise,Set 1,Set 2 with cells like 100x5")
        if ("date" not in columns or "exercise" not in columns) and _looks_like_data(table.header):
            raise ImportFormatError(
                "the first line holds values, not column names: the file has no header row", place=f"{path}:1",
                hint="add a first line naming the columns, e.g. Date,Exercise,Weight,Reps")
        for need in ("date", "exercise"):
            if need not in columns:
                raise ImportFormatError(
                    f"no column holds the {need}: none is named like one, and no --map names it",
                    place=f"{path}:1",
                    hint=f"add --map COLUMN={need}; the header has: {_listed(table.header)}")
        lookup = {h.strip().lower(): i for i, h in reversed(list(enumerate(table.header)))}
        col: dict[str, int] = {}
        absent = []
        for field, name in columns.items():
            i = lookup.get(name.strip().lower())
            if i is None:
                absent.append(name)
            else:
                col[field] = i
        if absent:
            raise ImportFormatError(
                f"the mapped column(s) {', '.join(repr(a) for a in absent)} are not in the header",
                place=f"{path}:1", hint=f"the header has: {_listed(table.header)}",
            )
        out = ParsedFile(path=path, fmt=self.fmt, warnings=list(table.warnings))
        read = _read_ambiguous(table, col, columns, in_groups, out)
        unread = [u for u in unread if u not in read]
        if not groups and not any(f in columns for f in (*_SET_FIELDS, "sets")):
            # nothing else gives a load or reps: a column named only "Set" holds the sets whole ("100 x 5")
            lone = next((u for u in unread if fold(u) in set_cell_columns()), None)
            if lone is not None:
                col["sets"], columns["sets"] = lookup[lone.strip().lower()], lone
                inferred["sets"] = lone
                unread.remove(lone)
        # a Sets column alone may hold whole sets ("3x8 @ 60", "100 x 8"): looked at once its rows are read
        sets_only = not groups and not any(f in columns for f in _SET_FIELDS) and "sets" in columns
        if not groups and not any(f in columns for f in _SET_FIELDS) and not sets_only:
            raise _no_set_column(path, table.header)
        date_fmt, date_order = options.get("date_format"), options.get("date_order")
        default_unit = weight_unit(options.get("unit"))  # None: inferred from the loads (peri.log.units)
        if default_unit is None and table.unit_setting is not None:
            default_unit, why = table.unit_setting
            out.warnings.append(f"loads without a unit read in {default_unit}: {why}; pass --unit kg|lb to override")
        if groups:
            out.warnings.append(
                f"a wide sheet: one row per exercise, sets in {len(groups)} numbered column groups "
                f"({_group_names(groups, table.header)}); each filled group is one set")
        if inferred:
            out.warnings.append(
                "columns read by their names: " + ", ".join(f"{c!r} as {f}" for f, c in inferred.items())
                + (f"; not read: {', '.join(repr(u) for u in unread[:12])}" if unread else "")
                + "; pass --map COLUMN=FIELD to change")
        problems = Problems(path)
        sessions: dict[tuple[str, str, str], ParsedSession] = {}
        positions: dict[tuple[int, str], int] = {}
        note_cache = ValueCache(parse_note)  # notes repeat: each distinct text is parsed once
        g = col.get
        progress = options.get("progress")
        unknown_types: Counter[str] = Counter()
        counts: list[tuple[ParsedSession, list[Any], int]] = []  # (session, set, the row's count of sets)
        unitless: list[int] = []  # lines whose distance names no unit
        cells: list[tuple[int, list[Any], SetCell, str | None]] = []  # wide sheets' one-cell sets, read at the end
        ncols, repaired = len(table.header), 0
        weight_fields = tuple(f for f in ("weight_kg", "weight_lb", "weight", "planned_weight") if f in col)
        last_key: tuple[str, str, str] | None = None  # the previous row's session, for rows with an empty date
        carried = 0
        first_carried = 0  # the line of the first row read as the session above, for the report
        zero_sets: list[tuple[int, int]] = []  # (line, how many) of a wide sheet's sets logged with 0 reps
        whole_kinds: dict[str, list[Any]] = {}  # writing of a whole-set cell -> [cells, first line, first text]
        tagged: list[tuple[int, str, str]] = []  # (line, name as written, group) of names carrying a group tag
        sheet, hidden = from_sheet(table.warnings), []
        texts = [col[f] for f in _TEXT_FIELDS if f in col]
        for line, row in table_rows(table, out, None, progress):
            if len(row) != ncols:
                fixed = _rejoined(row, ncols, col, table.delimiter, date_fmt, date_order)
                if fixed is None:
                    problems.add(line, f"expected {ncols} fields, found {len(row)}")
                    continue
                row, repaired = fixed, repaired + 1
            elif sheet:  # a CSV re-saved as a workbook hides such a split (`resaved`)
                fixed = unhide(row, texts, lambda r: _reads(r, col, date_fmt, date_order))
                if fixed is not None:
                    row = fixed
                    hidden.append(line)

            def cell(field: str) -> str:
                i = g(field)
                return row[i] if i is not None else ""

            if cell("missed").strip().lower() in _YES:
                out.skipped.append(f"line {line}: marked missed (not a set)")
                continue
            if cell("completed").strip().lower() in _NO:  # planned, never done: its numbers are a prescription
                out.skipped.append(f"line {line}: marked not completed (not a set)")
                continue
            try:
                key = (cell("date"), cell("time"), cell("session_name"))
                if not key[0].strip() and last_key is not None and cell("exercise").strip():
                    # a spreadsheet writes the date once, on a session's first row: an empty date (and time,
                    # and name) is the session above
                    key = (last_key[0], key[1] if key[1].strip() else last_key[1],
                           key[2] if key[2].strip() else last_key[2])
                    carried += 1
                    first_carried = first_carried or line
                elif (not key[1].strip() and "time" in col and last_key is not None
                      and (key[0], key[2]) == (last_key[0], last_key[2])):
                    key = last_key  # the session's time written once, on its first row
                last_key = key
                s = sessions.get(key)
                if s is None:
                    # the key's date, time and name: a row that writes none carries those of the session above
                    text = key[0] + (" " + key[1] if key[1].strip() else "")
                    started = parse_datetime(text, date_fmt, date_order)
                    dur = parse_duration(cell("duration")) if "duration" in col else None
                    s = sessions[key] = ParsedSession(
                        started_at=started, name=key[2].strip(), duration_s=int(dur) if dur else None,
                        notes=clean_text(cell("session_notes")), source="csv", line=line,
                    )
                exercise = exercise_name(cell("exercise"), "exercise")
                exercise, group = split_group_tag(exercise)
                if group is not None:  # MacroFactor's "Reverse Nordic Curl ∈ SS1": the lift without its tag
                    tagged.append((line, cell("exercise").strip(), group))
                reps_cell = cell("reps")
                reps_text = reps_cell if reps_cell.strip() else cell("planned_reps")
                sets_text = cell("sets")
                if not sets_text.strip() and not reps_cell.strip():  # the prescription, where nothing was recorded
                    sets_text = cell("planned_sets")
                # a set written whole in the Sets or Reps column ("100 x 8", "3x8 @ 60"): `setcell`
                whole = None
                if (not _plain(reps_cell) or not _plain(sets_text)) and not groups and not cell("logs").strip():
                    whole = _whole_cells(sets_text, reps_cell, any(cell(f).strip() for f in weight_fields))
                listed = None if groups or whole or cell("logs").strip() else _per_set_lists(cell, weight_fields,
                                                                                            reps_text)
                if listed is not None:  # "5/5/4" reps (and "100/105/105" loads): one set per entry
                    cells_w, cells_r, w_field = listed
                    out.reps_cell(reps_text, line)  # counted once for the report, its entries read below
                    listed = []
                    for wt, rt in zip(cells_w, cells_r):
                        w, u = parse_weight(wt, w_field) if wt.strip() else (None, None)
                        u = u or {"weight_kg": "kg", "weight_lb": "lb"}.get(w_field) or weight_unit(cell("unit")) \
                            or default_unit
                        listed.append((w or None, u if w else None, read_reps(rt).reps))
                weight, unit = None, None
                if listed is not None:
                    pass
                elif cell("weight_kg").strip():
                    weight, unit = parse_weight(cell("weight_kg"), "weight_kg")
                    unit = unit or "kg"
                elif cell("weight_lb").strip():
                    weight, unit = parse_weight(cell("weight_lb"), "weight_lb")
                    unit = unit or "lb"
                elif cell("weight").strip() or cell("planned_weight").strip():
                    text = cell("weight") if cell("weight").strip() else cell("planned_weight")
                    weight, unit = parse_weight(text)  # a unit in the cell ("225 lbs") wins
                    unit = unit or weight_unit(cell("unit")) or default_unit
                if not weight:
                    weight, unit = None, None
                scheme = _scheme(sets_text, reps_cell) if listed is None and whole is None else None
                if listed is not None or whole is not None:
                    reps = None
                elif scheme is not None and not groups:  # "3x5" in a Sets, Reps or Sets x Reps column
                    count, reps = scheme
                else:
                    scheme = None
                    reps = out.reps(reps_text, line)
                rpe = parse_number(cell("rpe"), "rpe", low=0, high=10) or None
                rir = parse_number(cell("rir"), "rir", low=0, high=10)
                distance_m = None
                for field, factor in (("distance_m", 1.0), ("distance_km", 1000.0), ("distance_mi", MI_TO_M)):
                    d = parse_number(cell(field), field, low=0, high=1e6)
                    if d:
                        distance_m = round(d * factor, 3)
                if distance_m is None and cell("distance").strip():
                    distance_m = _distance_m(cell("distance"), cell("distance_unit"))
                    if distance_m is _NO_UNIT:
                        distance_m = None
                        unitless.append(line)
                seconds = parse_duration(cell("seconds")) or None
                if reps == 0 and weight is None and (distance_m or seconds):
                    reps = None  # cardio and holds log 0 reps
                st = cell("set_type").strip().lower()
                set_type = "normal" if st.isdigit() else _SET_TYPES.get(st) or set_type_word(st)
                if cell("warmup").strip().lower() in _YES and set_type == "normal":
                    set_type = "warmup"
                if set_type is None:  # never fail a file for a marker word: a working set of unknown type
                    unknown_types[st[:40]] += 1
                    set_type = "normal"
                note = with_remark(clean_text(cell("note")), reps_cell)  # "10 (assisted)": kept with the set
                if note is not None and rpe is None and rir is None:
                    facts = note_cache[note]
                    rpe, rir = facts.rpe, facts.rir
                count = scheme[0] if scheme is not None else None
                counted = whole is not None and (whole[0] == "sets" or any(c.sets > 1 for c in whole[1]))
                if counted and sets_text.strip():
                    if whole[0] == "reps":
                        raise RowRefused(f"reps {reps_cell.strip()[:40]!r} counts its sets and so does sets "
                                         f"{sets_text.strip()[:20]!r}: the row was not read")
                elif sets_text.strip() and not groups and scheme is None:
                    n = parse_number(sets_text, "sets", low=0, high=MAX_SETS_PER_ROW)
                    if n != int(n):
                        raise ValueError(f"sets {sets_text.strip()[:20]!r} is not a whole number of sets")
                    count = int(n)
                # the unit column is read only where a load needs it (a junk unit beside no load is no error)
                row_unit = (weight_unit(cell("unit")) or default_unit) if groups or cell("logs").strip() else None
                loads: list[tuple[Any, ...]]
                if groups:
                    skipped_sets: list[int] = []
                    loads = _wide_sets(row, groups, col, weight, unit or row_unit, reps, rpe, rir, seconds, note,
                                       lambda text: out.reps(text, line), skipped_sets, whole_kinds, line)
                    if skipped_sets:
                        zero_sets.append((line, len(skipped_sets)))
                    if not loads and (seconds or distance_m):
                        # a timed or cardio row (the plank, the run) in a wide sheet: one set of its own columns
                        loads = [(weight, unit, reps, rpe, rir, seconds, note, None)]
                    if not loads:
                        out.skipped.append(f"line {line}: no set column filled (not a set)")
                        continue
                elif whole is not None:
                    loads = _whole_loads(whole, weight, unit, weight_unit(cell("unit")) or default_unit, rpe, rir,
                                         seconds, note, line, out, whole_kinds)
                elif listed is not None:
                    loads = [(w, u, r, rpe, rir, seconds, note if k == 0 else None, None)
                             for k, (w, u, r) in enumerate(listed)]
                elif cell("logs").strip():
                    logged_unit = unit or row_unit
                    loads = [(w or None, logged_unit if w else None, r, rpe, rir, seconds, note, None)
                             for w, r in _logged_sets(cell("logs"))]
                else:
                    loads = [(weight, unit, reps, rpe, rir, seconds, note, None)]
            except RowRefused as e:
                out.refused.append(f"{path}:{line}: {e}")
                continue
            except ValueError as e:
                problems.add(line, str(e))
                continue
            pos_key = (id(s), exercise)
            for weight, u, reps, set_rpe, set_rir, set_seconds, set_note, whole in loads:
                order = positions.get(pos_key, 0) + 1
                positions[pos_key] = order
                s.sets.append([exercise, None, order, weight, u, to_kg(weight, u), reps, set_rpe, set_rir, distance_m,
                               set_seconds, set_type, set_note])
                if whole is not None:
                    cells.append((line, s.sets[-1], whole, row_unit))
                if count is not None:
                    counts.append((s, s.sets[-1], count))
        if cells:
            failed = _resolve_cells(cells, problems, out)
            if failed:  # sets whose cell did not read: out of their sessions, refused with their row below
                for s in sessions.values():
                    s.sets = [w for w in s.sets if id(w) not in failed]
        problems.settle(out, table)  # a few unreadable rows are refused one by one
        if sets_only and not out.refused and not any(w[3] is not None or w[6] is not None
                                                     for s in sessions.values() for w in s.sets):
            raise _no_set_column(path, table.header)  # the Sets column held counts of nothing
        if zero_sets:
            out.warnings.append(
                f"{sum(n for _, n in zero_sets)} sets of the wide sheet have 0 reps beside their load (first at "
                f"{path}:{zero_sets[0][0]}): read as sets not done, not stored (a load written in advance, as "
                "programme apps and templates do)")
        out.warnings.extend(whole_report(whole_kinds, path))
        if tagged:
            kinds = sorted({g.split()[0] for _, _, g in tagged})
            out.warnings.append(
                f"{len(tagged)} row{'s name' if len(tagged) != 1 else ' names'} their exercise with a "
                f"{' or '.join(kinds)} tag such as {tagged[0][1]!r} (first at {path}:{tagged[0][0]}): read as the "
                f"exercise without the tag; peri keeps no {'/'.join(kinds)} grouping, so the grouping was not stored")
        if carried:
            out.warnings.append(f"{carried} rows with an empty date were read as the session above (a spreadsheet "
                                f"writing the date once per session; first at {path}:{first_carried})")
        if hidden:
            out.warnings.append(f"{len(hidden)} rows had a comma inside a name or note that a spreadsheet split into "
                                f"the next cell (first at {path}:{hidden[0]}); the cells were joined back")
        if repaired:
            out.warnings.append(f"{repaired} rows had an unquoted {table.delimiter!r} inside a name or note (one more "
                                "field than the header); it was joined back where only that reading fits the row")
        if unitless:
            name = columns.get("distance", "distance")
            out.warnings.append(
                f"{len(unitless)} distances in the {name!r} column name no unit (first at line {unitless[0]}): they "
                f"were not stored, the sets were; to keep them, `peri import undo` this import and re-run with "
                f"--map '{name}=distance_km' (or distance_m, distance_mi)")
        if counts:
            _expand_set_counts(counts, out, columns.get("sets", "sets"))
        if unknown_types:
            listed = ", ".join(f"{m!r} x{n}" for m, n in unknown_types.most_common(5))
            out.warnings.append(f"{sum(unknown_types.values())} sets carry a set_type peri does not know ({listed}); "
                                "kept as working sets of unknown type")
        out.sessions = _join_stamped_sets(list(sessions.values()), out)
        return out


_READ_AS = {"time": "the time of day", "seconds": "each set's length",
            "duration": "each session's length"}
_CHOICES = {"time": ("time", "seconds"), "duration": ("duration", "seconds")}


def _read_ambiguous(table: Table, col: dict[str, int], columns: dict[str, str], skip: set[int],
                    out: ParsedFile) -> set[str]:
    """Columns named only "Time" or "Duration" (`dialect.ambiguous_column`), which no --map names: read as
    what their values show (`timecol.classify`), or left unread with the report saying why and which --map
    settles it. Only a file with such a column is held in memory for the look (the rows are read twice).
    Returns the names of the columns read."""
    used = set(col.values()) | skip
    found = [(i, kind) for i, h in enumerate(table.header) if i not in used and (kind := ambiguous_column(h))]
    read: set[str] = set()
    if not found:
        return read
    rows = list(table.rows)
    table.rows = iter(rows)
    c_date, c_name = col.get("date"), col.get("session_name")
    width = len(table.header)

    # each row's session: its date and name, or those of the row above where it writes none (a spreadsheet
    # writing the date once per session), with whether the row wrote its own date
    keyed: list[tuple[tuple[str, str], list[str], bool]] = []
    last = ("", "")
    for _, r in rows:
        if len(r) != width:
            continue
        date = r[c_date].strip() if c_date is not None else ""
        name = r[c_name].strip() if c_name is not None else ""
        key = (date, name) if date else (last[0], name or last[1])
        keyed.append((key, r, bool(date)))
        last = key

    for i, kind in found:
        name = table.header[i]
        pairs = [(k, r[i], dated) for k, r, dated in keyed]
        field, why = classify(kind, pairs)
        choices = " or ".join(f"--map '{name}={f}' ({_READ_AS[f]})" for f in _CHOICES[kind])
        if field is None:
            if why != "the column is empty":
                out.warnings.append(f"the {name!r} column was not read: its values do not tell what it holds - {why}; "
                                    f"pass {choices}")
            continue
        if field in col:
            out.warnings.append(f"the {name!r} column was not read: it looks like {_READ_AS[field]} ({why}), which "
                                f"the {columns.get(field, field)!r} column already gives")
            continue
        if field == "time" and c_date is not None and any(":" in r[c_date] for _, r in rows[:200] if len(r) == width):
            out.warnings.append(f"the {name!r} column was not read: it looks like {_READ_AS[field]} ({why}), and the "
                                "dates already carry their times")
            continue
        col[field], columns[field] = i, name
        read.add(name)
        out.warnings.append(f"the {name!r} column read as {_READ_AS[field]}: {why}; pass {choices} to change")
    return read


def _group_names(groups: list[SetGroup], header: list[str]) -> str:
    first, last = groups[0], groups[-1]
    names = [header[i] for i in first.columns.values()]
    return ", ".join(repr(n) for n in names[:3]) + f" ... {header[min(last.columns.values())]!r}"


_WEIGHT_FIELDS = ("weight", "weight_kg", "weight_lb")


def _wide_sets(row: list[str], groups: list[SetGroup], col: dict[str, int], weight: float | None, unit: str | None,
               reps: int | None, rpe: float | None, rir: float | None, seconds: float | None,
               note: str | None, reps_of: Any = None, not_done: list[int] | None = None,
               whole_kinds: dict[str, list[Any]] | None = None, line: int = 0) -> list[tuple[Any, ...]]:
    """The sets of one row of a wide sheet: one per filled group, in set order, each (weight, unit, reps, rpe,
    rir, seconds, note, a one-cell set to read at the end or None). The row's own weight, reps, RPE... fill
    what a group leaves out ("Weight" with "Set 1..N" holding the reps)."""
    out: list[tuple[Any, ...]] = []
    reps_of = reps_of or single_reps
    row_weight = any(f in col for f in _WEIGHT_FIELDS)
    for g in groups:
        text = {f: row[i].strip() for f, i in g.columns.items() if i < len(row)}
        if not any(text.get(f) for f in ("weight", "weight_kg", "weight_lb", "reps", "cell", "seconds")):
            continue  # an empty group: a set not done (or not planned)
        w, u, r = weight, unit, reps
        whole = None
        if text.get("cell"):
            whole = read_set_cell(text["cell"], one_set=True)
            if whole is not None and whole.sets > 1 and whole_kinds is not None:
                tally(whole_kinds, whole.shape, line, text["cell"])
            if whole is None:  # a bare value: the row's other column says which it is
                if row_weight and "reps" not in col:
                    r = reps_of(text["cell"])
                elif "reps" in col and not row_weight:
                    w, cell_unit = parse_weight(text["cell"])
                    u = cell_unit or unit
                else:
                    raise ValueError(f"set {g.number} {text['cell'][:30]!r} is neither WEIGHTxREPS nor REPS@WEIGHT, "
                                     "and no Weight or Reps column says what a bare number is")
        for f, fixed in (("weight_kg", "kg"), ("weight_lb", "lb"), ("weight", None)):
            if text.get(f):
                w, cell_unit = parse_weight(text[f], f"set {g.number} {f}")
                u = cell_unit or fixed or unit
                break
        if text.get("reps"):
            r = reps_of(text["reps"])
        set_rpe = parse_number(text.get("rpe", ""), f"set {g.number} rpe", low=0, high=10) or rpe
        set_rir = parse_number(text.get("rir", ""), f"set {g.number} rir", low=0, high=10)
        set_seconds = parse_duration(text.get("seconds", "")) or seconds
        if not w:
            w, u = None, None
        if r == 0 and (text.get("reps") or text.get("cell") and whole is None) and not set_seconds \
                and not_done is not None:  # a bare "0" under Set N beside the row's load, as StrongLifts writes it
            # 0 reps in a set's own column beside its load: a set not done (programme apps and templates fill
            # every set's load in advance) - no training to store; counted for the report, never silent
            not_done.append(g.number)
            continue
        # the row's note is said once, with its first set (a per-set note column stays with its set)
        for _ in range(whole.sets if whole is not None else 1):  # "3x8 @ 60" in a set's cell: three sets
            out.append((w, u, r, set_rpe, rir if set_rir is None else set_rir, set_seconds,
                        with_remark(clean_text(text.get("note")) or (None if out else note), text.get("reps", "")),
                        whole))
    return out


def _resolve_cells(cells: list[tuple[int, list[Any], SetCell, str | None]], problems: Problems,
                   out: ParsedFile) -> set[int]:
    """Fill the sets written whole in one cell, once the file has said which way round it writes A x B; the ids
    of the sets whose cell did not read (each a problem of its row)."""
    failed: set[int] = set()
    try:
        order, why = decide_order([c for _, _, c, _ in cells])
    except ValueError as e:
        # named at the line of the cell refused (decide_order reads them in this order), not the first cell's
        line = cells[0][0]
        for cell_line, _, c, _ in cells:
            try:
                _own_order(c)
            except ValueError:
                line = cell_line
                break
        problems.add(line, str(e), whole_file=True)  # no cell's order is settled: none of them can be read
        return failed
    if why:
        out.warnings.append(why)
    for line, w, c, row_unit in cells:
        try:
            weight, unit, reps = resolve_cell(c, order)
            out.reps_cell(c.b if (_own_order(c) or order) == "load-reps" else c.a, line)  # counted for the report
        except ValueError as e:
            problems.add(line, str(e))
            failed.add(id(w))
            continue
        unit = (unit or row_unit) if weight else None
        w[3], w[4], w[5], w[6] = weight or None, unit, to_kg(weight or None, unit), reps
        if c.rpe is not None:
            w[7] = c.rpe
    return failed


def _expand_set_counts(counts: list[tuple[ParsedSession, list[Any], int]], out: ParsedFile, column: str) -> None:
    """A summary row ("3" sets, 10 reps, 100) stands for that many identical sets - unless the column numbers
    the sets (1, 2, 3 ... within an exercise of a session, one row each), the evidence read across the file."""
    runs: dict[tuple[int, str], list[int]] = {}
    for s, w, n in counts:
        runs.setdefault((id(s), w[0]), []).append(n)
    several = [r for r in runs.values() if len(r) > 1]
    numbered = [r for r in several if r in (list(range(1, len(r) + 1)), list(range(len(r))))]
    if several and len(numbered) * 2 >= len(several):
        out.warnings.append(f"the {column!r} column numbers the sets (1, 2, 3 within an exercise in "
                            f"{len(numbered)} of {len(several)} exercises logged with several rows): each row is one set")
        return
    times = {id(w): n for _, w, n in counts}
    extra = dropped = 0
    for s in {id(s): s for s, _, _ in counts}.values():
        sets: list[list[Any]] = []
        for w in s.sets:
            n = times.get(id(w), 1)
            if n == 0:
                dropped += 1  # "0 sets": nothing was done
                continue
            sets.append(w)
            sets.extend(list(w) for _ in range(n - 1))
            extra += n - 1
        seen: dict[str, int] = {}
        for w in sets:
            seen[w[0]] = w[2] = seen.get(w[0], 0) + 1
        s.sets = sets
    if extra or dropped:
        out.warnings.append(f"rows stand for several sets each (the {column!r} column): {extra} sets added as copies "
                            f"of their row" + (f", {dropped} rows of 0 sets left out" if dropped else ""))


# columns of free text, where an unquoted delimiter can split a cell in two ("Press (Each Side, Dumbbells)")
_TEXT_FIELDS = ("exercise", "note", "session_name", "session_notes")


def _rejoined(row: list[str], ncols: int, col: dict[str, int], delimiter: str, date_fmt: str | None,
              date_order: str | None) -> list[str] | None:
    """A row with more fields than the header, put back together: the surplus joined into one free-text
    column, when exactly one such column gives a row whose numbers and date all read. None otherwise."""
    extra = len(row) - ncols
    if extra <= 0:
        return None
    fits = []
    for c in sorted(col[f] for f in _TEXT_FIELDS if f in col):
        candidate = row[:c] + [delimiter.join(row[c:c + extra + 1])] + row[c + extra + 1:]
        if _reads(candidate, col, date_fmt, date_order):
            fits.append(candidate)
    return fits[0] if len(fits) == 1 else None


def _reads(row: list[str], col: dict[str, int], date_fmt: str | None, date_order: str | None) -> bool:
    try:
        for f in ("weight", "weight_kg", "weight_lb", "planned_weight"):
            if f in col:
                parse_weight(row[col[f]])
        for f in ("reps", "planned_reps"):
            if f in col and not _SCHEME.match(row[col[f]]) and read_set_cell(row[col[f]], one_set=False) is None:
                read_reps(row[col[f]])
        for f in ("rpe", "rir", "sets"):
            if f in col and not _SCHEME.match(row[col[f]]) and (f != "sets" or _whole_cells(row[col[f]], "") is None):
                parse_number(row[col[f]], f)
        if "seconds" in col:
            parse_duration(row[col["seconds"]])
        if "date" in col:
            try:
                parse_datetime(row[col["date"]], date_fmt, date_order)
            except AmbiguousDate:
                pass  # a date all the same: which way round is asked later, for the whole file
    except ValueError:
        return False
    return True


# several sets in one cell: reps "5/5/4", "8, 8, 6", "10 10 8" (read by `base.read_reps`); loads "100/105/105" or
# "100; 105" (a comma is a decimal comma in a load, so it never separates loads)
_LOAD_SEPARATOR = re.compile(r"\s*[/;|]\s*")


def _per_set_lists(cell: Any, weight_fields: tuple[str, ...], r_text: str) -> tuple[list[str], list[str], str] | None:
    """(load cells, reps cells, the load's field) for a row that lists its sets in one cell: reps "5/5/4" and
    one load for all, or a load per set ("100/105/105"); None when neither cell holds a list. Lists of
    different lengths name both cells. `weight_fields`: the load fields the file has, in the reader's order;
    `r_text`: the row's reps cell (else its planned reps)."""
    r = r_text.strip()
    w_field = next((f for f in weight_fields if cell(f).strip()), "weight")
    w_text = cell(w_field)
    # most rows hold one number in each: a look at their characters settles them before any pattern runs
    listed = read_reps(r) if r and not r.isdigit() else None
    reps = list(listed.items) if listed is not None and SETS in listed.kinds else None
    loads = _LOAD_SEPARATOR.split(w_text.strip()) if ("/" in w_text or ";" in w_text or "|" in w_text) else None
    if reps is None and loads is None:
        return None
    reps = reps or [r_text] * len(loads or [])
    loads = loads or [w_text] * len(reps)
    if len(loads) != len(reps):
        raise ValueError(f"{w_field} {w_text.strip()[:30]!r} and reps {r_text.strip()[:30]!r} list different "
                         "numbers of sets")
    if len(reps) > MAX_SETS_PER_ROW:
        raise ValueError(f"reps {r_text.strip()[:30]!r} lists more than {MAX_SETS_PER_ROW} sets")
    return loads, reps, w_field


# "3x5": sets x reps, the way lifters write a scheme (5x5, 3x10) - in the Sets column (also "Sets x Reps",
# "Scheme": data/import_vocabulary.yaml) or the Reps column; JEFIT's `logs` cells are WEIGHTxREPS, read apart
_SCHEME = re.compile(r"^\s*(\d{1,2})\s*[x×*]\s*(\d{1,3})\s*$", re.I)


def _scheme(sets_text: str, reps_text: str) -> tuple[int, int] | None:
    """(sets, reps) of a row that writes its scheme as "3x5" in its Sets (or Sets x Reps) or Reps cell."""
    for f, text in (("sets", sets_text), ("reps", reps_text)):
        if not text or text.strip().isdigit():
            continue  # a plain count: no scheme (the common row, settled without a pattern)
        m = _SCHEME.match(text)
        if m is not None:
            sets, reps = int(m.group(1)), int(m.group(2))
            if f == "reps" and sets_text.strip():
                return None  # a Sets column beside it: "3x5" in Reps is no scheme this reads
            if 0 < sets <= MAX_SETS_PER_ROW:
                return sets, reps
    return None


_NO_UNIT = -1.0  # a distance logged without its unit (see `_distance_m`)


def _distance_m(text: str, unit_cell: str) -> float | None:
    """Metres from a distance whose unit is in its cell ("5 km") or in the unit column. With neither, the
    number cannot be told from metres, kilometres or miles: `_NO_UNIT`, and the import leaves that distance
    out and says so (a cardio distance is no reason to refuse a whole strength log, nor to guess)."""
    m = _DISTANCE_WITH_UNIT.match(text)
    number, unit = (m.group(1), m.group(2)) if m else (text, unit_cell)
    d = parse_number(number, "distance", low=0, high=1e6)
    if not d:
        return None
    if not unit.strip():
        return _NO_UNIT
    return round(d * distance_factor(unit), 3)


def _date_columns(header: list[str]) -> list[str]:
    """The column names that are dates (a sheet with a column per day)."""
    out = []
    for cell in header:
        text = cell.strip()
        if not text or not any(c.isdigit() for c in text):
            continue
        try:
            parse_datetime(text, None, "dmy")  # either order: only whether it is a date matters here
        except ValueError:
            continue
        out.append(text)
    return out


def _looks_like_data(header: list[str]) -> bool:
    """A header that holds a date or a number where names belong: the file's first set, not its columns."""
    for cell in header:
        text = cell.strip()
        if not text:
            continue
        try:
            parse_number(text, "cell")
            return True
        except ValueError:
            pass
        try:
            parse_datetime(text)
            return True
        except ValueError:
            pass
    return False


def _listed(header: list[str]) -> str:
    """Column names for a one-line message: quoted, control characters escaped, cut at 300 characters."""
    return ", ".join(repr(h) for h in header)[:300]


def _logged_sets(text: str) -> list[tuple[float, int]]:
    """JEFIT's logs cell "100x5,102.5x3," -> [(100.0, 5), (102.5, 3)]; anything else names the cell."""
    out = []
    for part in text.split(","):
        if not part.strip():
            continue  # JEFIT ends the list with a comma
        m = _LOGGED_SET.match(part)
        if m is None:
            raise ValueError(f"logs {text[:60]!r}: {part.strip()[:20]!r} is not WEIGHTxREPS")
        weight = parse_number(m.group(1), "logged weight", low=0, high=5000) or 0.0
        out.append((weight, int(m.group(2))))
    return out


def _join_stamped_sets(sessions: list[ParsedSession], out: ParsedFile) -> list[ParsedSession]:
    """A log that stamps each set with its own time gives one "session" per set: sets of one name less than
    SESSION_GAP after the previous one are joined into one session (sets renumbered per exercise), across
    midnight too (a session from 23:40 to 00:25 is one session, dated the day it started)."""
    timed = [s for s in sessions if s.started_at.time() != dt.time()]
    if len(timed) < 2 or len(timed) * 2 < sum(len(s.sets) for s in sessions):
        return sessions  # most sessions already hold several sets: the file groups them itself
    joined: list[ParsedSession] = []
    last_start: dt.datetime | None = None
    overnight = 0  # sessions joined across midnight
    for s in sorted(sessions, key=lambda s: s.started_at):
        cur = joined[-1] if joined else None
        if (cur is not None and last_start is not None and s.name == cur.name
                and s.started_at - last_start <= SESSION_GAP):
            overnight += s.started_at.date() != last_start.date()
            cur.sets.extend(s.sets)
            cur.notes = cur.notes or s.notes
        else:
            joined.append(s)
        last_start = s.started_at
    if len(joined) < len(sessions):
        for s in joined:
            seen: dict[str, int] = {}
            for w in s.sets:
                seen[w[0]] = w[2] = seen.get(w[0], 0) + 1
        out.warnings.append(f"the file stamps sets with their own times: {len(sessions)} times joined into "
                            f"{len(joined)} sessions (sets less than {SESSION_GAP.seconds // 60} minutes apart"
                            + (" on one day)" if not overnight else f"; {overnight} sessions across midnight, each "
                               "dated the day it started)"))
    return joined



# a list of whole sets in one cell ("100x5; 100x5; 105x3", "100x5, 100x5"), by the separators tried in turn (a
# comma alone is tried last: it is a decimal comma in "62,5x5")
_WHOLE_SEPARATORS = (re.compile(r"\s*[;|]\s*"), re.compile(r",\s+"), re.compile(r"\s*,\s*"), re.compile(r"\s*/\s*"))


def _plain(text: str) -> bool:
    """An empty cell or a plain count: no whole set in it (most cells; settled without a pattern)."""
    t = text.strip()
    return not t or t.isdigit()


def _whole_cells(sets_text: str, reps_text: str, row_load: bool = False) -> tuple[str, list[SetCell]] | None:
    """("sets" | "reps", the whole sets) of a row that writes its sets whole in its Sets or Reps column ("100 x 8",
    "3x8 @ 60", "100x5; 105x3"), else None (a count, a scheme "3x10", sets listed as counts "8/8/7": read as
    before). Raises ValueError for a cell that reads two ways (`setcell.read_set_cell`)."""
    for field, text in (("sets", sets_text), ("reps", reps_text)):
        t = text.strip()
        if not t or t.isdigit():
            continue
        one = read_set_cell(t, one_set=False, row_load=row_load)
        if one is not None:
            return field, [one]
        for sep in _WHOLE_SEPARATORS:
            parts = sep.split(t)
            if len(parts) < 2 or len(parts) > MAX_SETS_PER_ROW:
                continue
            try:
                cells = [read_set_cell(p, one_set=False, row_load=row_load) for p in parts]
            except ValueError:
                continue
            if all(c is not None for c in cells):
                return field, cells  # type: ignore[return-value]
    return None


def _whole_loads(whole: tuple[str, list[SetCell]], weight: float | None, unit: str | None, row_unit: str | None,
                 rpe: float | None, rir: float | None, seconds: float | None, note: str | None, line: int,
                 out: ParsedFile, kinds: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    """The sets of a row's whole-set cells: each cell's load (its own unit, else the row's, else the file's) and
    count, as many times as the cell says. A load in the cell and another in the row's weight column refuse the
    row: which the lifter lifted cannot be told."""
    field, cells = whole
    loads: list[tuple[Any, ...]] = []
    for c in cells:
        w, u, r = resolve_cell(c, "load-reps" if c.order == "either" else c.order)
        out.reps_cell(c.b if c.order == "load-reps" else c.a, line)  # a range or "5+" counted for the report
        tally(kinds, c.shape, line, f"{c.a} x {c.b}" if c.sets == 1 else "")
        both = (to_kg(w, u or unit), to_kg(weight, unit))
        if both[0] is not None and both[1] is not None and abs(both[0] - both[1]) > 0.01:
            raise RowRefused(f"{field} {c.a if c.order == 'load-reps' else c.b!r} is a load, and the row's weight "
                             f"column says {weight:g}: which was lifted cannot be told; the row was not read")
        if w is None and weight is not None:
            w, u = weight, unit
        u = (u or unit or row_unit) if w else None
        for _ in range(c.sets):
            loads.append((w or None, u, r, c.rpe if c.rpe is not None else rpe, rir, seconds,
                          None if loads else note, None))
    return loads


def tally(kinds: dict[str, list[Any]], shape: str, line: int, text: str) -> None:
    """Count a whole-set cell by its writing, keeping the first place and text."""
    t = kinds.get(shape)
    if t is None:
        kinds[shape] = [1, line, text]
    else:
        t[0] += 1


def whole_report(kinds: dict[str, list[Any]], path: str) -> list[str]:
    """The report's lines for the whole-set cells read, one per writing, with the first place (FILE:LINE)."""
    out = []
    for shape, (n, line, _) in kinds.items():
        what = {"sets x reps @ load": "a count of sets, the reps and the load (each stands for that many sets)",
                "load x reps x sets": "the load, the reps and a count of sets (load first: load x reps x sets; "
                                      "load last: sets x reps x load)",
                "reps @ load": "the reps at a load (one set each)",
                "reps x load": "the reps, then a load no count can be (one set each)",
                "load x reps": "the load and the reps (one set each)"}.get(shape, shape)
        out.append(f"{n} cell{'s' if n != 1 else ''} write{'' if n != 1 else 's'} a whole set as {shape}: {what}; "
                   f"a unit in the cell wins over the file's (first at {path}:{line})")
    return out


def _no_set_column(path: str, header: list[str]) -> ImportFormatError:
    return ImportFormatError(
        "no column holds a load, reps, time or distance: none is named like one, and no --map names it",
        place=f"{path}:1",
        hint=f"add --map COLUMN=weight and --map COLUMN=reps; the header has: {_listed(header)}")
