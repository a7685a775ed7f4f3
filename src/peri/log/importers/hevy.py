"""Hevy CSV exports: every field quoted, `title,start_time,end_time,description,exercise_title,superset_id,
exercise_notes,set_index,set_type,weight_kg|weight_lbs,reps,distance_km|distance_miles,duration_seconds,rpe`.

Times come as '7 Apr 2026, 10:14' (month names may be localised) or '2024-01-07 17:15:00'; `set_index`
counts from 0; `set_type` is normal, warmup, dropset or failure. Exercise notes repeat on every set of the
exercise; notes may contain newlines and emoji, kept verbatim.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ...errors import ImportFormatError
from ..models import LB_TO_KG
from ..notes import parse_note
from .setcell import with_remark
from .dialect import set_type_word
from .base import (
    exercise_name,
    MI_TO_M,
    ParsedFile,
    ParsedSession,
    Problems,
    Table,
    ValueCache,
    clean_text,
    table_rows,
    header_index,
    parse_datetime,
    parse_number,
    RowRefused,
    parse_weight,
)

_SET_TYPES = {"normal": "normal", "warmup": "warmup", "warm_up": "warmup", "dropset": "drop", "drop": "drop",
              "failure": "failure", "": "normal"}


class HevyImporter:
    """Hevy's workout CSV export (metric and imperial accounts)."""

    fmt = "hevy"

    def parse(self, table: Table, options: dict[str, Any]) -> ParsedFile:
        path = table.path
        idx = header_index(table.header)
        need = ["title", "start_time", "exercise_title", "set_type", "reps"]
        missing = [n for n in need if n not in idx]
        if "weight_kg" in idx:
            c_w, unit = idx["weight_kg"], "kg"
        elif "weight_lbs" in idx or "weight_lb" in idx:
            c_w, unit = idx.get("weight_lbs", idx.get("weight_lb")), "lb"
        elif "weight" in idx:  # a localised header that names no unit: inferred from the loads (peri.log.units)
            c_w, unit = idx["weight"], None
        else:
            c_w, unit = None, None
            missing.append("weight_kg or weight_lbs")
        if missing:
            raise ImportFormatError(
                f"not a Hevy export: no {', '.join(missing)} column", place=f"{path}:1",
                hint="check the format (strong, hevy, fitnotes, csv)",
            )
        if "distance_km" in idx:
            c_d, d_factor = idx["distance_km"], 1000.0
        elif "distance_miles" in idx:
            c_d, d_factor = idx["distance_miles"], MI_TO_M
        elif "distance_meters" in idx:
            c_d, d_factor = idx["distance_meters"], 1.0
        else:
            c_d, d_factor = None, 1.0
        c_title, c_start, c_end = idx["title"], idx["start_time"], idx.get("end_time")
        c_desc, c_ex, c_exn = idx.get("description"), idx["exercise_title"], idx.get("exercise_notes")
        c_type, c_reps, c_sec, c_rpe = idx["set_type"], idx["reps"], idx.get("duration_seconds"), idx.get("rpe")
        date_fmt, date_order = options.get("date_format"), options.get("date_order")

        out = ParsedFile(path=path, fmt=self.fmt, warnings=list(table.warnings))
        problems = Problems(path)
        sessions: dict[tuple[str, str], ParsedSession] = {}
        positions: dict[tuple[int, str], int] = {}
        numbers: dict[tuple[int, str], int] = {}  # the file's last set_index per (session, exercise)
        c_idx = idx.get("set_index")
        dates: dict[str, Any] = {}
        note_cache = ValueCache(parse_note)  # notes repeat: each distinct text is parsed once
        progress = options.get("progress")
        unknown_types: Counter[str] = Counter()
        for line, row in table_rows(table, out, problems, progress):
            try:
                exercise = exercise_name(row[c_ex], "exercise_title")  # before its session: a bad row makes none
                key = (row[c_start], row[c_title])
                s = sessions.get(key)
                if s is None:
                    start = self._date(row[c_start], dates, date_fmt, date_order)
                    duration = None
                    if c_end is not None and row[c_end].strip():
                        end = self._date(row[c_end], dates, date_fmt, date_order)
                        secs = (end - start).total_seconds()
                        duration = int(secs) if 0 <= secs <= 7 * 86400 else None
                    notes = clean_text(row[c_desc]) if c_desc is not None else None
                    s = sessions[key] = ParsedSession(
                        started_at=start, name=row[c_title].strip(), duration_s=duration, notes=notes, source="hevy",
                        line=line,
                    )
                set_type = _SET_TYPES.get(row[c_type].strip().lower())
                if set_type is None:
                    set_type = set_type_word(row[c_type])
                    if set_type is None:
                        # never fail a file for a marker word: a working set of unknown type, counted below
                        unknown_types[row[c_type].strip()[:40]] += 1
                        set_type = "normal"
                weight, cell_unit = parse_weight(row[c_w])
                if weight == 0:
                    weight = None
                w_unit = (cell_unit or unit) if weight is not None else None
                reps = out.reps(row[c_reps], line)
                distance = parse_number(row[c_d], "distance", low=0, high=1e5) if c_d is not None else None
                seconds = parse_number(row[c_sec], "duration_seconds", low=0, high=1e7) if c_sec is not None else None
                rpe = parse_number(row[c_rpe], "rpe", low=0, high=10) if c_rpe is not None else None
                if rpe == 0:
                    rpe = None
                note = clean_text(row[c_exn]) if c_exn is not None else None
                note = with_remark(note, row[c_reps])  # "10 (assisted)": the words kept with the set
                rir = None
                if note is not None and rpe is None:
                    facts = note_cache[note]
                    rpe, rir = facts.rpe, facts.rir
            except RowRefused as e:
                out.refused.append(f"{path}:{line}: {e}")
                continue
            except ValueError as e:
                problems.add(line, str(e))
                continue
            pos_key = (id(s), exercise)
            if c_idx is not None:
                number = row[c_idx].strip()
                out.count_set_number(numbers, pos_key, int(number) if number.isdigit() else None)
            order = positions.get(pos_key, 0) + 1
            positions[pos_key] = order
            s.sets.append([
                exercise, None, order, weight, w_unit,
                round(weight * (LB_TO_KG if w_unit == "lb" else 1.0), 4) if weight is not None else None, reps, rpe, rir,
                round(distance * d_factor, 3) if distance else None, seconds or None, set_type, note,
            ])
        problems.settle(out, table)  # a few unreadable rows are refused one by one
        if unknown_types:
            listed = ", ".join(f"{m!r} x{n}" for m, n in unknown_types.most_common(5))
            out.warnings.append(f"{sum(unknown_types.values())} sets carry a set_type peri does not know ({listed}); "
                                "kept as working sets of unknown type")
        out.sessions = list(sessions.values())
        return out

    @staticmethod
    def _date(text: str, cache: dict[str, Any], fmt: str | None, order: str | None = None) -> Any:
        d = cache.get(text)
        if d is None:
            d = cache[text] = parse_datetime(text, fmt, order)
        return d
