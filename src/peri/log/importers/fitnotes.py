"""FitNotes CSV exports: a date per row and no time, so all sets of one day are one session.

Variants: `Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time[,Comment]` (Android,
`kgs`/`lbs`), older `Weight (lbs)` / `Weight (kgs)` headers, and FitNotes 2 (iOS)
`Date,Exercise,Category,Weight (kg),Weight (lbs),Reps,Distance,Distance Unit,Time,Notes,Kind`.

Some real exports write an exercise name with a comma unquoted ("Overhead Press (Each Side, Dumbbells)");
such a row has too many fields. When joining the surplus back into the name leaves a row whose other
fields all read correctly, the row is repaired and counted in the report's warnings; otherwise it is an error.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from ...errors import ImportFormatError
from .dialect import set_type_word
from .base import (
    exercise_name,
    ParsedFile,
    ParsedSession,
    Problems,
    Table,
    ValueCache,
    clean_text,
    distance_factor,
    table_rows,
    header_index,
    parse_datetime,
    parse_duration,
    parse_number,
    RowRefused,
    single_reps,
    parse_weight,
    to_kg,
    weight_unit,
)
from ..notes import parse_note
from .setcell import with_remark


@lru_cache(maxsize=512)
def _kind(text: str) -> str:
    """FitNotes 2's Kind cell -> set type: a known word in any language first, then English word parts."""
    known = set_type_word(text) if text.strip() else None
    if known:
        return known
    s = text.strip().lower()
    if "warm" in s:
        return "warmup"
    if "drop" in s:
        return "drop"
    if "fail" in s:
        return "failure"
    return "normal"


# a part of an exercise name split off at a comma: it holds a word ("Dumbbells)", " Wide"), not a bare number
_NAME_PART = re.compile(r"[^\W\d_]{2}")


class FitNotesImporter:
    """FitNotes (Android and FitNotes 2 for iOS) CSV exports."""

    fmt = "fitnotes"

    def parse(self, table: Table, options: dict[str, Any]) -> ParsedFile:
        path = table.path
        idx = header_index(table.header)
        missing = [n for n in ("date", "exercise", "reps") if n not in idx]
        c_wkg = idx.get("weight (kg)", idx.get("weight (kgs)"))
        c_wlb = idx.get("weight (lbs)", idx.get("weight (lb)"))
        c_w = idx.get("weight")
        if c_w is None and c_wkg is None and c_wlb is None:
            missing.append("Weight")
        if missing:
            raise ImportFormatError(
                f"not a FitNotes export: no {', '.join(missing)} column", place=f"{path}:1",
                hint="check the format (strong, hevy, fitnotes, csv)",
            )
        c_date, c_ex, c_reps = idx["date"], idx["exercise"], idx["reps"]
        c_unit, c_dist, c_dunit = idx.get("weight unit"), idx.get("distance"), idx.get("distance unit")
        c_time = idx.get("time")
        c_note = idx.get("comment", idx.get("notes", idx.get("note")))
        c_kind = idx.get("kind")
        forced = weight_unit(options.get("unit")) if options.get("unit") else None
        date_fmt = (options.get("date_format"), options.get("date_order"))
        ncols = len(table.header)
        out = ParsedFile(path=path, fmt=self.fmt, warnings=list(table.warnings))
        problems = Problems(path)
        sessions: dict[dt.date, ParsedSession] = {}
        positions: dict[tuple[int, str], int] = {}
        dates: dict[str, dt.datetime] = {}
        note_cache = ValueCache(parse_note)  # notes repeat: each distinct text is parsed once
        repaired = 0
        hidden: list[int] = []  # lines whose name's comma a spreadsheet split and hid (`_hidden_comma`)
        progress = options.get("progress")
        for line, row in table_rows(table, out, None, progress):
            if len(row) != ncols:
                if len(row) > ncols:
                    extra = len(row) - ncols
                    fixed = row[:c_ex] + [",".join(row[c_ex : c_ex + extra + 1])] + row[c_ex + extra + 1 :]
                    try:
                        self._row(fixed, c_date, c_ex, c_reps, c_w, c_wkg, c_wlb, c_unit, c_dist, c_dunit, c_time,
                                  c_note, c_kind, forced, dates, note_cache, date_fmt, single_reps)
                    except ValueError:
                        pass
                    else:
                        row = fixed
                        repaired += 1
                if len(row) != ncols:
                    problems.add(line, f"expected {ncols} fields, found {len(row)}")
                    continue
            try:
                day, w = self._row(row, c_date, c_ex, c_reps, c_w, c_wkg, c_wlb, c_unit, c_dist, c_dunit, c_time,
                                   c_note, c_kind, forced, dates, note_cache, date_fmt,
                                   lambda text: out.reps(text, line))
            except RowRefused as e:
                out.refused.append(f"{path}:{line}: {e}")
                continue
            except ValueError as e:
                found = self._hidden_comma(row, c_ex, (c_date, c_ex, c_reps, c_w, c_wkg, c_wlb, c_unit, c_dist,
                                                       c_dunit, c_time, c_note, c_kind, forced, dates, note_cache,
                                                       date_fmt))
                if found is None:
                    problems.add(line, str(e))
                    continue
                day, w = found
                hidden.append(line)
            s = sessions.get(day.date())
            if s is None:
                s = sessions[day.date()] = ParsedSession(
                    started_at=day, name="", duration_s=None, notes=None, source="fitnotes", line=line
                )
            pos_key = (id(s), w[0])
            w[2] = positions.get(pos_key, 0) + 1
            positions[pos_key] = w[2]
            s.sets.append(w)
        problems.settle(out, table)  # a few unreadable rows are refused one by one
        if repaired:
            out.warnings.append(
                f"{repaired} rows had an unquoted comma in the exercise name; the name was joined back together"
            )
        if hidden:
            out.warnings.append(
                f"{len(hidden)} rows had an unquoted comma in the exercise name that a spreadsheet split into the next "
                "column and then hid (the file was saved from a sheet, which drops the empty cell the split pushed "
                f"off the row's end; first at {path}:{hidden[0]}): the name was joined back together and the "
                "row read; check those names")
        out.sessions = list(sessions.values())
        return out

    @staticmethod
    def _hidden_comma(row: list[str], c_ex: int, args: tuple[Any, ...]) -> tuple[dt.datetime, list[Any]] | None:
        """A row that does not read, re-read as a FitNotes CSV row with an unquoted comma in its exercise name
        that was opened in a spreadsheet and saved as a workbook (or CSV again): the name's second part pushed
        the row one column right, and the sheet dropped the empty cell pushed off its end, so the row has the
        header's width and nothing to show the split. Up to three commas are tried; the first reading that keeps
        a FitNotes row's shape (below) and whose numbers and date all read wins, else None (the row fails as
        before, naming its line). The dropped cells are not in the row to check: the cells now at its end are the
        ones before them (asking those to be empty, as this once did, never let three commas be joined back on
        FitNotes' 9 or 10 columns, where they hold the reps)."""
        for extra in (1, 2, 3):
            if len(row) - c_ex <= extra + 1:  # the name's parts and at least one cell after them
                return None
            fixed = (row[:c_ex] + [",".join(row[c_ex:c_ex + extra + 1])] + row[c_ex + extra + 1:]
                     + [""] * extra)
            # the reading must keep a FitNotes row's shape: the name's parts words, the reps and the unit (written
            # on every row) still there - never a row read with its numbers slid into other columns
            c_reps, c_unit = args[2], args[6]
            if (any(not _NAME_PART.search(part) for part in row[c_ex + 1:c_ex + extra + 1])
                    or not fixed[c_reps].strip() or (c_unit is not None and not fixed[c_unit].strip())):
                continue
            try:
                return FitNotesImporter._row(fixed, *args, single_reps)
            except ValueError:
                continue
        return None

    @staticmethod
    def _row(row, c_date, c_ex, c_reps, c_w, c_wkg, c_wlb, c_unit, c_dist, c_dunit, c_time, c_note, c_kind, forced,
             dates, note_cache, date_fmt=(None, None), reps_of=None) -> tuple[dt.datetime, list[Any]]:
        d_text = row[c_date]
        day = dates.get(d_text)
        if day is None:
            day = parse_datetime(d_text, *date_fmt)
            day = dates[d_text] = dt.datetime(day.year, day.month, day.day)
        exercise = exercise_name(row[c_ex], "Exercise")
        weight, unit = None, None
        if c_wkg is not None and row[c_wkg].strip():
            weight, unit = parse_weight(row[c_wkg])
            unit = unit or "kg"
        elif c_wlb is not None and row[c_wlb].strip():
            weight, unit = parse_weight(row[c_wlb])
            unit = unit or "lb"
        elif c_w is not None:
            weight, unit = parse_weight(row[c_w])  # a unit in the cell ("100 kg") wins
            unit = unit or (weight_unit(row[c_unit]) if c_unit is not None else None) or forced  # None: inferred
        if not weight:
            weight, unit = None, None
        reps = (reps_of or single_reps)(row[c_reps])
        distance_m = None
        if c_dist is not None:
            distance = parse_number(row[c_dist], "distance", low=0, high=1e6)
            if distance:
                distance_m = round(distance * distance_factor(row[c_dunit] if c_dunit is not None else None, 1000.0), 3)
        seconds = parse_duration(row[c_time]) if c_time is not None else None
        note = clean_text(row[c_note]) if c_note is not None else None
        note = with_remark(note, row[c_reps])  # "10 (assisted)": the words kept with the set
        rpe = rir = None
        if note is not None:
            facts = note_cache[note]
            rpe, rir = facts.rpe, facts.rir
        set_type = _kind(row[c_kind]) if c_kind is not None else "normal"
        return day, [exercise, None, 0, weight, unit, to_kg(weight, unit), reps, rpe, rir, distance_m, seconds or None,
                     set_type, note]

