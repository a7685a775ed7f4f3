"""Strong (iOS and Android) CSV exports, every header variant seen in the wild.

- 2016: `Date,Workout Name,Exercise Name,Set Order,kg,Reps,km,Seconds,Notes` (unit in the header, Set Order from 0)
- 2017/2019 and iOS: `Date,Workout Name,[Duration,]Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,
  Workout Notes[,RPE]` (no unit anywhere: inferred by `peri.log.units`, or `--unit`)
- Android: semicolon, with `Weight Unit`, `Distance Unit`, `Workout Duration`
- newer: `Workout #,Date,Workout Name,Duration (sec),Exercise Name,Set Order,Weight (kg)|Weight (lbs),Reps,RPE,
  Distance (meters)|Distance (miles),Seconds,Notes,Workout Notes`, comma or semicolon, Set Order `W`/`D`/`F`,
  and `Rest Timer` / `Note` rows that are not sets.

Headers in another language are mapped to these names by `dialect.resolve_dialect` (by shape). Set Order
markers are read in any spelling or known language (`W`, `WARM_UP`, `Aufwärmen`...); an unknown word never
fails the file: a row with a load or reps is a working set of unknown type (warned), one without is a rest
timer (seconds only) or a note (text only) by its shape.

Sets are numbered by position within the exercise in the session, so 0- and 1-based Set Orders and
`W`/`D` markers all give the same 1-based `order`. A weight of 0 or empty is a bodyweight set (no unit).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ...errors import ImportFormatError
from ..notes import parse_note
from .setcell import with_remark
from ..models import LB_TO_KG
from .dialect import not_set_word, set_type_word
from .base import (
    exercise_name,
    ValueCache,
    DISTANCE_M,
    MI_TO_M,
    UNIT,
    WEIGHT,
    WEIGHT_KG,
    ParsedFile,
    ParsedSession,
    Problems,
    Table,
    clean_text,
    distance_factor,
    table_rows,
    header_index,
    parse_datetime,
    parse_duration,
    parse_number,
    RowRefused,
    parse_weight,
    to_kg,
    weight_unit,
)

_SET_MARKS = {"w": "warmup", "d": "drop", "f": "failure"}
_WHOLE = re.compile(r"^\d+\.0*$")


def _col(idx: dict[str, int], *names: str) -> int | None:
    for n in names:
        if n in idx:
            return idx[n]
    return None


class StrongImporter:
    """Strong's CSV export (all known variants, detected from the header)."""

    fmt = "strong"

    def parse(self, table: Table, options: dict[str, Any]) -> ParsedFile:
        path = table.path
        idx = header_index(table.header)
        c_date = _col(idx, "date")
        c_name = _col(idx, "workout name")
        c_ex = _col(idx, "exercise name", "exercise")
        c_order = _col(idx, "set order")
        c_reps = _col(idx, "reps")
        missing = [n for n, c in (("Date", c_date), ("Exercise Name", c_ex), ("Reps", c_reps)) if c is None]
        c_w = _col(idx, "weight", "weight (kg)", "weight (kgs)", "weight (lbs)", "weight (lb)", "kg", "kgs", "lbs", "lb")
        if c_w is None:
            missing.append("Weight")
        if missing:
            raise ImportFormatError(
                f"not a Strong export: no {', '.join(missing)} column", place=f"{path}:1",
                hint="check the format (strong, hevy, fitnotes, csv) or map the columns with `peri import csv --map`",
            )
        wname = table.header[c_w].strip().lower()
        header_unit = "kg" if "kg" in wname else "lb" if "lb" in wname else None
        c_wunit = _col(idx, "weight unit")
        c_dist = _col(idx, "distance", "distance (meters)", "distance (m)", "distance (km)", "distance (miles)", "km", "mi", "miles")
        c_dunit = _col(idx, "distance unit")
        dname = table.header[c_dist].strip().lower() if c_dist is not None else ""
        c_sec = _col(idx, "seconds", "time", "duration (seconds)")
        c_notes = _col(idx, "notes", "exercise notes")
        c_wnotes = _col(idx, "workout notes")
        c_rpe = _col(idx, "rpe")
        c_wnum = _col(idx, "workout #", "workout number")
        c_dur_s = _col(idx, "duration (sec)", "duration (seconds)", "workout duration (sec)")
        c_dur = _col(idx, "duration", "workout duration") if c_dur_s is None else None
        if c_sec is not None and c_sec == c_dur_s:
            c_sec = None

        forced_unit = weight_unit(options.get("unit")) if options.get("unit") else None
        unit_known = bool(c_wunit is not None or header_unit or forced_unit)
        file_unit = forced_unit or header_unit
        if "meter" in dname or dname in ("distance (m)",):
            dist_default = 1.0
        elif "km" in dname:
            dist_default = 1000.0
        elif "mile" in dname or dname == "mi":
            dist_default = MI_TO_M
        else:
            dist_default = None  # plain "Distance": follows the weight unit (miles for lb users, km for kg)

        out = ParsedFile(path=path, fmt=self.fmt, warnings=list(table.warnings))
        problems = Problems(path)
        sessions: dict[tuple[str, str, str], ParsedSession] = {}
        positions: dict[tuple[int, str], int] = {}
        numbers: dict[tuple[int, str], int] = {}  # the file's last set number per (session, exercise)
        date_cache: dict[str, Any] = {}
        dur_cache: dict[str, int | None] = {}
        # one parse per distinct cell text: the hot loop below is mostly dictionary look-ups
        weights = ValueCache(_weight_cell)
        seconds_of = ValueCache(lambda t: parse_number(t, "seconds", low=0, high=1e7) or None)
        distance_of = ValueCache(lambda t: parse_number(t, "distance", low=0, high=1e6) or None)
        rpe_of = ValueCache(lambda t: parse_number(t, "RPE", low=0, high=10) or None)
        exercise_of = ValueCache(_exercise_name)
        order_of = ValueCache(_set_order)
        unit_of = ValueCache(weight_unit)
        dfactor_of = ValueCache(distance_factor)
        notes_of = ValueCache(_note_facts)
        weight_texts: set[str] = set()
        unknown_markers: Counter[str] = Counter()
        unguessed: list[list[Any]] = []
        dist_rows: list[tuple[list[Any], float]] = []
        progress = options.get("progress")
        date_fmt, date_order = options.get("date_format"), options.get("date_order")
        last_key: tuple[str, str, str] | None = None
        s: ParsedSession | None = None

        for line, row in table_rows(table, out, problems, progress, every=50000):
            try:
                set_type = order_of[row[c_order]] if c_order is not None else "normal"
                marker = None
                if set_type is _UNKNOWN:
                    marker, set_type = row[c_order].strip()[:40], "normal"
                key = (row[c_wnum] if c_wnum is not None else "", row[c_date], row[c_name] if c_name is not None else "")
                if key != last_key:
                    found = sessions.get(key)
                    if found is None:
                        found = self._new_session(row, line, c_date, c_name, c_dur, c_dur_s, c_wnotes, date_cache, dur_cache,
                                                  date_fmt, date_order)
                        sessions[key] = found
                    s, last_key = found, key
                if set_type is _REST:
                    out.skipped.append(f"line {line}: Rest Timer row (not a set)")
                    continue
                if set_type is _NOTE:
                    out.skipped.append(f"line {line}: Note row (kept as a note, not a set)")
                    note = clean_text(row[c_notes]) if c_notes is not None else None
                    if note:
                        s.extra_notes.append((row[c_ex].strip(), note))
                    continue
                if s.notes is None and c_wnotes is not None and row[c_wnotes]:
                    s.notes = clean_text(row[c_wnotes])
                exercise = exercise_of[row[c_ex]]
                w_text = row[c_w]
                weight, cell_unit = weights[w_text]
                reps = out.reps(row[c_reps], line)
                if weight is None:
                    unit = None
                elif cell_unit is not None:  # "225 lbs" in the cell: the cell's own word wins
                    unit = cell_unit
                elif c_wunit is not None:
                    unit = unit_of[row[c_wunit]] or file_unit or _MISSING
                else:
                    unit = file_unit
                    if not unit_known:
                        weight_texts.add(w_text)
                seconds = seconds_of[row[c_sec]] if c_sec is not None else None
                distance = distance_of[row[c_dist]] if c_dist is not None else None
                distance_m = None
                if distance:
                    if c_dunit is not None and row[c_dunit].strip():
                        distance_m = round(distance * dfactor_of[row[c_dunit]], 3)
                    elif dist_default is not None:
                        distance_m = round(distance * dist_default, 3)
                rpe = rpe_of[row[c_rpe]] if c_rpe is not None else None
                rir = note = None
                if c_notes is not None and row[c_notes]:
                    note, facts = notes_of[row[c_notes]]
                    if facts is not None and rpe is None:
                        rpe, rir = facts.rpe, facts.rir
                if "(" in row[c_reps] or "[" in row[c_reps]:  # "10 (assisted)": the words kept with the set
                    with_words = with_remark(note, row[c_reps])
                    if with_words != note and rpe is None and rir is None:  # "8 (RPE 9)" says its effort too
                        _, facts = notes_of[with_words]
                        if facts is not None:
                            rpe, rir = facts.rpe, facts.rir
                    note = with_words
            except RowRefused as e:
                out.refused.append(f"{path}:{line}: {e}")
                continue
            except ValueError as e:
                problems.add(line, str(e))
                continue
            if marker is not None:
                # an unknown marker: the row's shape says what it is, whatever its label's language
                if weight is None and not reps and not distance:
                    if note:
                        out.skipped.append(f"line {line}: {marker!r} row with text only (kept as a note, not a set)")
                        s.extra_notes.append((exercise, note))
                    elif seconds:
                        out.skipped.append(f"line {line}: {marker!r} row with seconds only (a rest timer, not a set)")
                    else:
                        out.skipped.append(f"line {line}: {marker!r} row with no load, reps or time")
                    continue
                unknown_markers[marker] += 1
            if reps == 0 and weight is None and (distance or seconds):
                reps = None  # cardio rows log 0 reps
            pos_key = (id(s), exercise)
            if c_order is not None:
                number = row[c_order].strip()
                out.count_set_number(numbers, pos_key, int(number) if number.isdigit() else None)
            order = positions.get(pos_key, 0) + 1
            positions[pos_key] = order
            if unit == "lb":
                kg = round(weight * LB_TO_KG, 4)
            elif unit is None or unit is _MISSING:
                kg = None
            else:
                kg = weight
            w = [exercise, None, order, weight, unit, kg, reps, rpe, rir, distance_m, seconds, set_type, note]
            s.sets.append(w)
            if weight is not None and unit is None or unit is _MISSING:
                unguessed.append(w)
            if distance and distance_m is None:
                dist_rows.append((w, distance))

        problems.settle(out, table)  # a few unreadable rows are refused one by one
        if unknown_markers:
            listed = ", ".join(f"{m!r} x{n}" for m, n in unknown_markers.most_common(5))
            out.warnings.append(f"{sum(unknown_markers.values())} sets carry a Set Order marker peri does not know "
                                f"({listed}); kept as working sets of unknown type")
        if unit_known and unguessed:
            # a weight with an empty Weight Unit cell: take the unit the rest of the file uses
            seen = Counter(w[UNIT] for sess in sessions.values() for w in sess.sets if w[UNIT] in ("kg", "lb"))
            if seen:
                usual = seen.most_common(1)[0][0]
                for w in unguessed:
                    w[UNIT] = usual
                    w[WEIGHT_KG] = to_kg(w[WEIGHT], usual)
                out.warnings.append(f"{len(unguessed)} weights had no unit; took {usual}, the unit the rest of the file uses")
            else:  # every Weight Unit cell empty: inferred from the loads, like a file without the column
                for w in unguessed:
                    w[UNIT] = w[WEIGHT_KG] = None
                out.raw_weights = weight_texts
            unguessed = []
        if not unit_known:
            # the unit is inferred for the whole file by `peri.log.units` (parse_file), distances follow it
            out.raw_weights = weight_texts
            out.pending_distance = dist_rows
        else:
            for w, distance in dist_rows:
                w[DISTANCE_M] = round(distance * (MI_TO_M if file_unit == "lb" else 1000.0), 3)
        out.sessions = [s for s in sessions.values() if s.sets or s.extra_notes]
        return out

    @staticmethod
    def _new_session(row, line, c_date, c_name, c_dur, c_dur_s, c_wnotes, date_cache, dur_cache, date_fmt=None,
                     date_order=None) -> ParsedSession:
        date_text = row[c_date]
        started = date_cache.get(date_text)
        if started is None:
            started = date_cache[date_text] = parse_datetime(date_text, date_fmt, date_order)
        dur_col = c_dur_s if c_dur_s is not None else c_dur
        duration = None
        if dur_col is not None:
            d_text = row[dur_col]
            if d_text in dur_cache:
                duration = dur_cache[d_text]
            else:
                try:
                    secs = parse_duration(d_text)
                except ValueError:
                    # a workout's duration written in words peri does not know ("1 Std. 3 Min."): optional
                    # metadata, so the session keeps its sets and no duration
                    secs = None
                duration = dur_cache[d_text] = int(round(secs)) if secs else None
        name = row[c_name].strip() if c_name is not None else ""
        notes = clean_text(row[c_wnotes]) if c_wnotes is not None else None
        return ParsedSession(started_at=started, name=name, duration_s=duration, notes=notes, source="strong", line=line)


_MISSING = "?"  # a weight whose Weight Unit cell is empty (resolved after the whole file is read)
_REST = "rest timer"
_NOTE = "note"
_UNKNOWN = "?marker"  # a Set Order word no vocabulary knows


def _set_order(text: str) -> str:
    """Set Order cell -> set_type, the _REST/_NOTE markers for rows that are not sets, or _UNKNOWN for a marker
    word no vocabulary knows (the row's shape decides: see the row loop). Markers are matched in any spelling
    and known language (`dialect.set_type_word`); a number that is not a whole set number is an error."""
    t = text.strip()
    if not t or t.isdigit():
        return "normal"
    kind = _SET_MARKS.get(t.lower())
    if kind is not None:
        return kind
    if _WHOLE.match(t):  # "3.0"
        return "normal"
    try:
        float(t.replace(",", "."))
    except ValueError:
        pass
    else:
        raise ValueError(f"Set Order {t[:20]!r} is not a whole set number")
    label = not_set_word(t)
    if label == "rest":
        return _REST
    if label == "note":
        return _NOTE
    return set_type_word(t) or _UNKNOWN


def _weight_cell(text: str) -> tuple[float | None, str | None]:
    weight, unit = parse_weight(text)
    return (weight or None), (unit if weight else None)


def _exercise_name(text: str) -> str:
    return exercise_name(text, "Exercise Name")


def _note_facts(text: str) -> tuple[str | None, Any]:
    note = clean_text(text)
    return note, (parse_note(note) if note else None)
