"""Which dialect of an app's export a file is, recognised by its shape first and its words second.

Strong, Hevy and FitNotes write a fixed column order; a phone set to another language keeps that order and
translates the header (Strong also translates its `Set Order` markers and its "Rest Timer" / "Note" labels).
So a file is matched against each known layout of the chosen format by column count and by the shape of its
values (a date column, numbers where loads and reps go, short markers where set orders go), and the header's
words only name the language (`data/import_vocabulary.yaml`). A language peri has never seen still imports:
its report says "unknown language, recognised by shape".

`resolve_dialect(fmt, table)` returns a `Dialect` and, when the header is not English, rewrites `table.header`
to the canonical English names the importers read (keeping any unit the localised header states, e.g.
"Gewicht (kg)" -> "weight (kg)"). An English header is left exactly as it is (the importers read it by name,
in any order), so the fast path costs one pass over the header.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .base import Table, parse_datetime, parse_duration, parse_number

# Rows read to judge a layout's value shapes: enough to see every column filled, cheap on a huge file.
SAMPLE_ROWS = 300
# A layout matches when every column's sampled cells fit its shape at least this often (a garbled row or two
# must not hide the dialect; the importer reports those rows itself).
MIN_COLUMN_FIT = 0.8
UNKNOWN_LANGUAGE = "unknown language, recognised by shape"


@dataclass(frozen=True)
class Layout:
    """One fixed column order of an app's export: canonical names and the shape of each column's values."""

    name: str
    columns: tuple[str, ...]
    shapes: tuple[str, ...]


def _layout(name: str, spec: str) -> Layout:
    cols, shapes = zip(*(part.rsplit(":", 1) for part in spec.split("|")))
    return Layout(name, tuple(cols), tuple(shapes))


# Shapes: date, day (date without time), text (non-numeric or empty), any, number, int, order (a set number or
# a short marker), token (a short word), duration, unit (a short unit word or empty).
LAYOUTS: dict[str, list[Layout]] = {
    "strong": [
        _layout("strong-ios", "date:date|workout name:text|duration:duration|exercise name:text|set order:order|"
                "weight:number|reps:number|distance:number|seconds:number|notes:any|workout notes:any|rpe:number"),
        _layout("strong-ios-2020", "date:date|workout name:text|duration:duration|exercise name:text|set order:order|"
                "weight:number|reps:number|distance:number|seconds:number|notes:any|workout notes:any"),
        _layout("strong-2019", "date:date|workout name:text|exercise name:text|set order:order|weight:number|"
                "reps:number|distance:number|seconds:number|notes:any|workout notes:any|rpe:number"),
        _layout("strong-2017", "date:date|workout name:text|exercise name:text|set order:order|weight:number|"
                "reps:number|distance:number|seconds:number|notes:any|workout notes:any"),
        _layout("strong-2016", "date:date|workout name:text|exercise name:text|set order:order|weight:number|"
                "reps:number|distance:number|seconds:number|notes:any"),
        _layout("strong-android", "date:date|workout name:text|exercise name:text|set order:order|weight:number|"
                "weight unit:unit|reps:number|rpe:number|distance:number|distance unit:unit|seconds:number|"
                "notes:any|workout notes:any|workout duration:duration"),
        _layout("strong-numbered", "workout #:int|date:date|workout name:text|duration (sec):number|"
                "exercise name:text|set order:order|weight:number|reps:number|rpe:number|distance:number|"
                "seconds:number|notes:any|workout notes:any"),
    ],
    "hevy": [
        _layout("hevy", "title:text|start_time:date|end_time:date|description:any|exercise_title:text|superset_id:any|"
                "exercise_notes:any|set_index:int|set_type:token|weight:number|reps:number|distance:number|"
                "duration_seconds:number|rpe:number"),
    ],
    "fitnotes": [
        _layout("fitnotes", "date:day|exercise:text|category:text|weight:number|weight unit:unit|reps:number|"
                "distance:number|distance unit:unit|time:duration"),
        _layout("fitnotes-comment", "date:day|exercise:text|category:text|weight:number|weight unit:unit|reps:number|"
                "distance:number|distance unit:unit|time:duration|comment:any"),
        _layout("fitnotes-2-ios", "date:day|exercise:text|category:text|weight (kg):number|weight (lbs):number|"
                "reps:number|distance:number|distance unit:unit|time:duration|notes:any|kind:token"),
    ],
}

# English header names each importer reads besides its layouts' canonical ones (unit-bearing variants).
_ENGLISH_EXTRA = {
    "strong": ["exercise", "weight (kg)", "weight (kgs)", "weight (lbs)", "weight (lb)", "kg", "kgs", "lbs", "lb",
               "distance (meters)", "distance (m)", "distance (km)", "distance (miles)", "km", "mi", "miles", "time",
               "duration (seconds)", "exercise notes", "workout number", "workout duration (sec)"],
    "hevy": ["weight_kg", "weight_lbs", "weight_lb", "distance_km", "distance_miles", "distance_meters"],
    "fitnotes": ["weight (kgs)", "weight (lb)", "comment", "notes", "note", "kind"],
}

_KG_WORDS = {"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramm", "kilogramme", "kilogrammes",
             "kilogramos", "chilogrammi", "quilos", "кг"}
_LB_WORDS = {"lb", "lbs", "pound", "pounds", "pfund", "livre", "livres", "libra", "libras", "libbre", "фунт"}
_KM_WORDS = {"km", "kms", "kilometer", "kilometers", "kilometres", "kilometre", "км"}
_MI_WORDS = {"mi", "mile", "miles", "meilen", "milles", "millas", "miglia", "milhas"}
_M_WORDS = {"m", "meter", "meters", "metres", "metre", "metros", "metri", "mètres", "м"}


def fold(text: str) -> str:
    """Case-, accent- and punctuation-free form of a header or marker: 'Übungs_Name (kg)' -> 'ubungs name kg'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


@dataclass
class Dialect:
    """What `resolve_dialect` recognised: layout name, language, and how (header words or value shapes)."""

    fmt: str
    name: str
    language: str
    by: str  # "header words" | "value shapes"

    def describe(self) -> str:
        return f"{self.name} ({self.language}; by {self.by})"


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The shipped word tables (data/import_vocabulary.yaml), folded for matching."""
    import yaml

    raw = yaml.safe_load(resources.files("peri.data").joinpath("import_vocabulary.yaml").read_text(encoding="utf-8"))
    headers: dict[str, dict[str, dict[str, str]]] = {}  # fmt -> folded word -> {canonical: lang}
    for fmt, cols in raw["headers"].items():
        table: dict[str, dict[str, str]] = {}
        for canonical, langs in cols.items():
            for lang, words in langs.items():
                for w in words:
                    table.setdefault(fold(str(w)), {})[canonical] = lang
        headers[fmt] = table
    set_types = {fold(str(w)): kind for kind, words in raw["set_types"].items() for w in words}
    not_sets = {fold(str(w)): kind for kind, words in raw["not_sets"].items() for w in words}
    generic: dict[str, tuple[str, int]] = {}  # folded name -> (field, rank: earlier in its list is preferred)
    for peri_field, words in raw.get("generic_columns", {}).items():
        for rank, w in enumerate(words):
            generic.setdefault(fold(str(w)), (peri_field, rank))
    ambiguous = {fold(str(w)): kind for kind, words in raw.get("ambiguous_columns", {}).items() for w in words}
    reps_cells = {kind: frozenset(fold(str(w)) for w in words) for kind, words in raw.get("reps_cells", {}).items()}
    closing = frozenset(fold(str(w)) for w in raw.get("closing_words", []))
    summary_words = frozenset(fold(str(w)) for w in raw.get("summary_label_words", []))
    people = frozenset(fold(str(w)) for w in raw["person_columns"])
    assisted = frozenset(fold(str(w)) for w in raw["assisted_exercises"])
    summary_sheets = frozenset(fold(str(w)) for w in raw["summary_sheets"])
    return {"languages": raw["languages"], "headers": headers, "set_types": set_types, "not_sets": not_sets,
            "generic": generic, "ambiguous": ambiguous, "reps_cells": reps_cells, "closing_words": closing,
            "summary_label_words": summary_words,
            "person_columns": people, "assisted_exercises": assisted,
            "summary_sheets": summary_sheets, "set_cells": dict(raw.get("set_cells", {})),
            "exercise_group_tags": dict(raw.get("exercise_group_tags", {}))}


def generic_field(header: str) -> str | None:
    """The `peri import csv` field a column of this name holds (data/import_vocabulary.yaml, generic_columns),
    or None. A name with '#' (a workout or set number) is never a field."""
    found = generic_match(header)
    return found[0] if found else None


def generic_match(header: str) -> tuple[str, int] | None:
    """(field, rank) of a column name: where two columns name one field, the lower rank (the word listed
    first) is read ("mydate" before "TIMESTAMP", which JEFIT writes for the row's edit time)."""
    if "#" in header:
        return None
    generic = vocabulary()["generic"]
    found = generic.get(fold(header))
    if found is None and _CAMEL.search(header):
        # "exerciseName", "weightKg": a JavaScript app's names. Not a prescription: LiftLog's "TargetReps" stays
        # unread (`undone` leaves out its sets not done), never taken for reps where none were recorded
        camel = generic.get(fold(_CAMEL.sub(" ", header)))
        found = camel if camel is not None and not camel[0].startswith("planned") else None
    if found is None and "(" in header:
        # a name with a note in brackets: "Date (yyyy/mm/dd)", "Notes (optional)" - the name without it, ranked
        # after every name read whole (a plain "Date" column wins over "Start Time (h:mm)")
        bare = _BRACKETED.sub(" ", header)
        hit = generic.get(fold(bare)) if bare.strip() else None
        if hit is not None:
            found = (hit[0], hit[1] + BRACKETED_RANK)
    return found


_BRACKETED = re.compile(r"\([^()]*\)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
BRACKETED_RANK = 1000  # added to the rank of a name read without its bracketed note


def ambiguous_column(header: str) -> str | None:
    """"time" or "duration" for a column whose name alone does not say what it holds (a bare "Time": a clock
    time or a set's length; data/import_vocabulary.yaml `ambiguous_columns`), else None."""
    return vocabulary()["ambiguous"].get(fold(header))


def set_type_word(text: str) -> str | None:
    """A set-type marker in any spelling or known language -> normal|warmup|drop|failure; None if unknown."""
    return vocabulary()["set_types"].get(fold(text))


def not_set_word(text: str) -> str | None:
    """A Set Order label of a row that is not a set -> 'rest' | 'note'; None if not a known label."""
    return vocabulary()["not_sets"].get(fold(text))


def which_format(header: list[str]) -> str | None:
    """The app whose export this header is, by the columns only that app writes (English headers): strong,
    hevy, fitnotes, or None (an unknown layout: `peri import csv` reads it by its column names)."""
    names = {fold(h) for h in header}
    if "exercise title" in names and "set type" in names:
        return "hevy"
    if "exercise name" in names and "set order" in names:
        return "strong"
    if "exercise" in names and "category" in names:
        return "fitnotes"
    return None


def english_names(fmt: str) -> set[str]:
    names = {fold(c) for lay in LAYOUTS.get(fmt, []) for c in lay.columns}
    return names | {fold(c) for c in _ENGLISH_EXTRA.get(fmt, [])}


def resolve_dialect(fmt: str, table: Table) -> Dialect | None:
    """Recognise `table` as a layout of `fmt` (rewriting a non-English header to canonical names); None when it
    is neither named nor shaped like any known layout (the importer then reports the missing columns)."""
    layouts = LAYOUTS.get(fmt)
    if not layouts:
        return None
    folded = [fold(h) for h in table.header]
    if all(f in english_names(fmt) for f in folded):
        exact = [lay for lay in layouts if [fold(c) for c in lay.columns] == folded]
        name = exact[0].name if exact else f"{fmt} (columns by name)"
        return Dialect(fmt, name, "English", "header words")
    candidates = [lay for lay in layouts if len(lay.columns) == len(table.header)]
    if not candidates:
        return None
    sample = _peek(table)
    best: tuple[float, Layout] | None = None
    for lay in candidates:
        fits = [_column_fit(shape, [r[i] for r in sample]) for i, shape in enumerate(lay.shapes)]
        if sample and min(fits) < MIN_COLUMN_FIT:
            continue
        score = sum(fits) + _word_votes(fmt, lay, folded)[1]
        if best is None or score > best[0]:
            best = (score, lay)
    if best is None:
        return None
    lay = best[1]
    language, votes = _word_votes(fmt, lay, folded)
    table.header = [_canonical(fmt, c, h) for c, h in zip(lay.columns, table.header)]
    enough = votes >= max(2, len(lay.columns) // 2)
    return Dialect(fmt, lay.name, language if enough else UNKNOWN_LANGUAGE, "header words" if enough else "value shapes")


def _peek(table: Table) -> list[list[str]]:
    head = list(itertools.islice(table.rows, SAMPLE_ROWS))
    table.rows = itertools.chain(head, table.rows)
    n = len(table.header)
    return [row for _, row in head if len(row) == n and any(c.strip() for c in row)]


def _word_votes(fmt: str, lay: Layout, folded: list[str]) -> tuple[str, int]:
    """The language most of the header's words belong to (as names of this layout's columns), and its count."""
    words = vocabulary()["headers"].get(fmt, {})
    votes: dict[str, int] = {}
    for canonical, f in zip(lay.columns, folded):
        base = _base(canonical)
        if f == fold(canonical) or f == fold(base):
            votes["en"] = votes.get("en", 0) + 1
            continue
        hit = words.get(f) or words.get(_strip_unit(f)) or {}
        lang = hit.get(canonical) or hit.get(base)
        if lang:
            votes[lang] = votes.get(lang, 0) + 1
    if not votes:
        return UNKNOWN_LANGUAGE, 0
    lang, n = max(votes.items(), key=lambda kv: kv[1])
    return vocabulary()["languages"].get(lang, lang), n


def _base(canonical: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", canonical)


def _strip_unit(folded: str) -> str:
    words = [w for w in folded.split() if w not in _KG_WORDS | _LB_WORDS | _KM_WORDS | _MI_WORDS | {"sec", "s"}]
    return " ".join(words)


def _canonical(fmt: str, canonical: str, header: str) -> str:
    """The English name the importer reads for this column, keeping a unit the localised header states."""
    tokens = set(fold(header).split())
    base = _base(canonical)
    if base in ("weight",) or canonical in ("weight (kg)", "weight (lbs)"):
        unit = "kg" if tokens & _KG_WORDS else "lb" if tokens & _LB_WORDS else None
        if unit is None:
            return canonical
        if fmt == "hevy":
            return "weight_kg" if unit == "kg" else "weight_lbs"
        return "weight (kg)" if unit == "kg" else "weight (lbs)"
    if base == "distance":
        if tokens & _KM_WORDS:
            return "distance_km" if fmt == "hevy" else "distance (km)"
        if tokens & _MI_WORDS:
            return "distance_miles" if fmt == "hevy" else "distance (miles)"
        if tokens & _M_WORDS:
            return "distance_meters" if fmt == "hevy" else "distance (meters)"
    return canonical


# --- value shapes ------------------------------------------------------------------------------
def _column_fit(shape: str, cells: list[str]) -> float:
    if not cells:
        return 1.0
    ok = sum(1 for c in cells if _fits(shape, c.strip()))
    return ok / len(cells)


def _is_number(s: str) -> bool:
    try:
        parse_number(s, "value")
    except ValueError:
        return False
    return True


def _fits(shape: str, s: str) -> bool:
    if shape == "any":
        return True
    if shape in ("date", "day"):
        if not s:
            return False
        for order in ("dmy", "mdy"):  # a numeric date fits the shape in either day/month order
            try:
                parse_datetime(s, order=order)
            except ValueError:
                continue
            return True
        return False
    if not s:
        return True  # every other column may be empty in a real export
    if shape == "number":
        return _is_number(s)
    if shape == "int":
        return s.isdigit()
    if shape == "text":
        return not _is_number(s)
    if shape == "order":
        return s.isdigit() or (len(s) <= 40 and not _is_number(s))
    if shape == "token":
        return len(s) <= 40 and not _is_number(s)
    if shape == "unit":
        return len(s) <= 12 and not any(ch.isdigit() for ch in s)
    if shape == "duration":
        try:
            parse_duration(s)
        except ValueError:
            return not _is_number(s) and len(s) <= 20  # a localised "1 Std. 3 Min." still looks like a duration
        return True
    return True
