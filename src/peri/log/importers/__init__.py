"""Importers for training-log exports, registered by format name, and `import_file`, the one entry point.

`import_file` parses the whole file first (a malformed file raises `ImportFormatError` naming 'FILE:LINE'
and the reason, and the store is not touched), maps each distinct exercise name to the catalog once, turns
notes into annotations, then writes everything in one transaction (idempotent: importing the same file
again adds nothing). With `dry_run=True` the same write runs and is rolled back, so the report says exactly
what would change and the store stays as it was.

Before anything is written, `parse_file` recognises the file's dialect and language (`dialect`), gives every
unlabelled weight a unit - stated, `--unit`, or inferred with its evidence (`peri.log.units`; weak evidence
stops here and asks for `--unit`) - refuses rows outside the limits in `bounds` (listed in the report), and
puts sessions in time order. Each write is one import batch (`ImportReport.import_id`, `peri import undo`).

Counting: every logged set is a set, warm-ups and drop sets included (with their `set_type`); `Rest Timer`
and `Note` rows and empty rows are not sets and are listed in `ImportReport.skipped`.
"""
from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...errors import ConfigError, ImportFormatError, PeriError
from ..models import LB_TO_KG, Annotation, Athlete, ImportReport
from ..notes import note_annotations
from ..store import Store
from .base import (
    DISTANCE_M,
    EXERCISE,
    EXERCISE_ID,
    MI_TO_M,
    NOTE,
    ORDER,
    REPS,
    RPE,
    SECONDS,
    SET_TYPE,
    UNIT,
    WEIGHT,
    WEIGHT_KG,
    ExerciseMapper,
    Importer,
    ParsedFile,
    Progress,
    Table,
    read_capped,
    read_table,
    reps_report,
    weight_unit,
)
from .bounds import apply_bounds
from .dialect import resolve_dialect, which_format
from .fitnotes import FitNotesImporter
from .generic_csv import GenericCsvImporter, load_mapping
from .groups import ungroup
from .headrows import settle_header
from .gymaholic import flatten, looks_like_gymaholic
from .hevy import HevyImporter
from .people import keep_person
from .strong import StrongImporter
from .wholesets import split_whole_sets
from .localdates import localise_dates
from .undone import drop_undone
from .unitcheck import doubt_stated_units
from .yearless import add_years
from .zones import localise_zones, zone_option

__all__ = [
    "IMPORTERS",
    "ParsedFile",
    "annotations_for",
    "apply_mapping",
    "catalog_mapper",
    "detect_format",
    "get_importer",
    "import_file",
    "load_mapping",
    "parse_file",
    "session_annotations",
    "stale_log_note",
]

IMPORTERS: dict[str, type] = {
    "strong": StrongImporter,
    "hevy": HevyImporter,
    "fitnotes": FitNotesImporter,
    "csv": GenericCsvImporter,
}


def get_importer(fmt: str) -> Importer:
    cls = IMPORTERS.get(fmt.lower())
    if cls is None:
        raise ConfigError(f"unknown import format {fmt!r}", hint=f"one of: {', '.join(IMPORTERS)}")
    return cls()


def catalog_mapper(store: Store | None = None) -> ExerciseMapper:
    """Logged name -> catalog id via `peri.log.catalog` (user aliases first), each name looked up once."""
    from ..catalog import default_catalog

    catalog = default_catalog()
    aliases = store.aliases() if store is not None else {}
    cache: dict[str, str | None] = {}

    def mapper(name: str) -> str | None:
        if name not in cache:
            hit = catalog.match(name, aliases=aliases)
            cache[name] = hit.entry.id if hit.entry is not None else None
        return cache[name]

    return mapper


def parse_file(
    fmt: str, path: Path | str, *, mapping: dict[str, Any] | None = None, progress: Progress | None = None,
    data: bytes | None = None, body_mass_kg: float | None = None, table: Table | None = None,
) -> ParsedFile:
    """Read and check a whole export without touching any store. Raises ImportFormatError on a bad file.
    `table`: the file already decoded (`detect_format`'s), read from its first row; else the file is read."""
    importer = get_importer(fmt)
    options = dict(mapping or {})
    person = options.pop("person", None)  # whose rows to keep, for every reader (`people`), not a column mapping
    year = _year_option(options.pop("year", None))  # the year of dates written without one (`yearless`)
    tz = options.pop("tz", None)  # the lifter's zone, for timestamps that carry one (`zones`)
    zone_option(tz)  # an unknown zone stops here, before the file is read
    if fmt.lower() == "csv":
        options = load_mapping(options)
    if options.get("unit"):
        try:
            weight_unit(str(options["unit"]))
        except ValueError as e:
            raise ConfigError(str(e), hint="use kg or lb") from None
    if progress is not None:
        options["progress"] = progress
    if table is None:
        table = read_table(path, delimiter=options.get("delimiter"), data=data)
    settle_header(table)  # group labels or metadata above the column names, units under them (`headrows`)
    date_note = _date_options(options, table)
    chosen = keep_person(table, str(person) if person else None)
    grouped = None
    if fmt.lower() == "csv" and not options.get("columns") and looks_like_gymaholic(table):
        grouped = flatten(table)  # a block per workout (`gymaholic`): a table of a row per set
    elif fmt.lower() == "csv":
        grouped = ungroup(table)  # "Exercise 1 .. Exercise N" groups (`groups`)
    try:
        dialect = resolve_dialect(fmt.lower(), table)
        whole = split_whole_sets(fmt.lower(), table)  # "62.5 x 8" typed under an app's Reps (`wholesets`)
        undone = drop_undone(fmt.lower(), table, bool(options.get("columns")))  # prescribed, not done (`undone`)
        zoned = localise_zones(table, tz, options.get("date_order"))  # "...T17:15:00Z": the lifter's local time
        local = localise_dates(table)  # "5 lis 2024", "2024年3月5日": a phone's language (`localdates`)
        years = add_years(table, year)  # "Mon 3 Mar": dates without their year (`yearless`)
        parsed = importer.parse(table, options)
    except ImportFormatError as e:
        if e.message.startswith("not a "):  # the wrong command for this file: say which one reads it
            raise ImportFormatError(e.message, place=e.place, hint=_format_hint(table.header, fmt)) from None
        app = which_format(table.header) if fmt.lower() == "csv" else None
        if app is not None:  # an app's own export through the generic reader: its own importer knows its quirks
            raise ImportFormatError(e.message, place=e.place,
                                    hint=f"this looks like a {APP_NAMES[app]} export: `peri import {app}` reads it"
                                    ) from None
        raise
    except (ValueError, ArithmeticError, LookupError, UnicodeError) as e:
        # row problems are collected as ImportFormatError; anything else is a bug, but still not a crash
        raise ImportFormatError(f"could not read the file: {e}", place=str(path),
                                hint="nothing was imported; please report this with the file") from e
    parsed.dialect = dialect
    if grouped:
        parsed.warnings.append(grouped)
    if undone is not None and undone.note():
        parsed.warnings.append(undone.note())
    if zoned is not None:
        parsed.warnings.append(zoned.note(parsed.sessions))
    elif tz:
        parsed.warnings.append(f"--tz {tz}: the file's times carry no zone, read as written (the lifter's local time)")
    if local:
        parsed.warnings.append(local)
    if years:
        parsed.warnings.append(years)
    if whole is not None:
        parsed.refused.extend(whole.refused)
        if whole.note():
            parsed.warnings.append(whole.note())
    parsed.warnings.extend(reps_report(parsed))
    if chosen is not None:
        parsed.warnings.append(chosen.note())
    if date_note:
        parsed.warnings.append(date_note)
    forced = weight_unit(str(options["unit"])) if options.get("unit") else None
    resolve_units(parsed, forced, body_mass_kg=body_mass_kg)
    doubt = doubt_stated_units(parsed, forced, table.header)  # kg stated, pounds typed (`unitcheck`): said, never converted
    if doubt:
        parsed.warnings.append(doubt)
    apply_bounds(parsed)
    parsed.refused_count = len(parsed.refused)
    if parsed.refused and not parsed.sessions:  # the whole file is refused only when nothing readable is left
        raise ImportFormatError(
            f"nothing in the file could be read: {len(parsed.refused)} rows refused, the first {parsed.refused[0]}",
            place=str(path), hint="nothing was imported; fix those rows (or export the file again) and re-run")
    if len(parsed.refused) > MAX_LISTED_REFUSED:  # a report, not a copy of the file: the count says the rest
        more = len(parsed.refused) - MAX_LISTED_REFUSED
        parsed.refused = parsed.refused[:MAX_LISTED_REFUSED] + [f"... and {more} more rows refused"]
    _oldest_first(parsed, fmt.lower())
    if progress is not None:
        progress(table.total_lines, table.total_lines)
    return parsed


def _year_option(value: Any) -> int | None:
    """`--year` as a year peri can store (`bounds`: 1970 to next year), or a ConfigError naming it."""
    if value is None or value == "":
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 1970 <= year <= dt.date.today().year + 1:
        raise ConfigError(f"--year {str(value)[:20]!r} is not a year from 1970 to next year",
                          hint="the year of the file's first date, e.g. --year 2024")
    return year


APP_NAMES = {"strong": "Strong", "hevy": "Hevy", "fitnotes": "FitNotes"}
AUTO = "auto"


def detect_format(path: Path | str, *, data: bytes | None = None, table: Table | None = None) -> tuple[str, str]:
    """The importer that reads this file and why: an app whose own columns the header shows (in English, or in
    another language its header words name), else `csv`, which reads any table by its column names. For people
    who do not know which app wrote a file (the web form's default, `peri import auto`).

    `table`: the file already decoded (`read_table`), left as it was - header and rows - so that the import
    reads the same table (`parse_file(table=...)`) instead of decoding the bytes again."""
    if table is None:
        table = read_table(path, data=data)
    settle_header(table)
    app = which_format(table.header)
    if app is not None:
        return app, f"read as a {APP_NAMES[app]} export (its columns)"
    header = list(table.header)
    for fmt in APP_NAMES:
        dialect = resolve_dialect(fmt, table)
        table.header = list(header)  # a dialect rewrites the header to its names: the import resolves it again
        # header words in the app's own language, not value shapes alone: a generic log has the same shapes
        if dialect is not None and dialect.language != "English" and dialect.by == "header words":
            return fmt, f"read as a {APP_NAMES[fmt]} export ({dialect.language} column names)"
    return "csv", "read by its column names (no app's own layout recognised)"


def _format_hint(header: list[str], fmt: str) -> str:
    other = which_format(header)
    if other is not None and other != fmt.lower():
        return f"this looks like a {APP_NAMES[other]} export: use `peri import {other}`"
    return ("`peri import csv FILE` reads any log with columns named like Date, Exercise, Weight, Reps "
            "(--map COLUMN=FIELD for others)")


DATE_ORDERS = {"dmy": "dmy", "day-first": "dmy", "dd/mm/yyyy": "dmy", "mdy": "mdy", "month-first": "mdy",
               "mm/dd/yyyy": "mdy"}


def _date_options(options: dict[str, Any], table: Any) -> str | None:
    """Set how numeric dates are read: `date_format` as given (strptime, or a day/month order word such as
    "dmy"), else the order the file's own dates show (`base.numeric_date_order`). Returns the report's note
    when the order was inferred from the dates' sequence rather than from a date that can only be one way."""
    fmt = options.get("date_format")
    if fmt:
        order = DATE_ORDERS.get(str(fmt).strip().lower())
        if order is not None:
            options["date_format"], options["date_order"] = None, order
        elif "%" not in str(fmt):
            raise ConfigError(f"--date-format {str(fmt)[:40]!r} is neither a strptime format nor a day/month order",
                              hint='e.g. --date-format "%d/%m/%Y", or --date-format dmy | mdy')
        return None
    if table.date_order in ("dmy", "mdy"):
        options["date_order"] = table.date_order
        return (f"numeric dates read {'day' if table.date_order == 'dmy' else 'month'} first ({table.date_evidence}); "
                "pass --date-format to override")
    return None


def _oldest_first(parsed: ParsedFile, fmt: str) -> None:
    """Sessions in time order and each session's sets in logged order, whichever way the file's rows run.

    A file whose rows run backwards (an export reversed, or sorted newest-first in a spreadsheet that
    reversed every row) lists each exercise's sets last-first. The direction is read from the strongest
    evidence the file has, in this order:

    1. set numbers as the file writes them (Strong's Set Order, Hevy's set_index): they fall within an
       exercise when the rows run backwards;
    2. warm-ups: they come after an exercise's working sets instead of before;
    3. only when the file has neither (FitNotes, a mapped CSV): the order of its dates. A file listing
       its sessions newest-first is read as reversed row by row. (Hevy's own export lists workouts
       newest-first with their sets in order, which is why dates are the last resort: its set numbers
       say the sets run forwards.)

    A reversed file's sessions get their sets (and Note rows) back in logged order and renumbered, so
    it imports exactly as the original; the report says which evidence decided.
    """
    sessions = parsed.sessions
    up, down = parsed.set_number_steps
    before = after = 0
    for s in sessions:
        if "warmup" not in [w[SET_TYPE] for w in s.sets]:
            continue
        first_work: dict[str, int] = {}
        for i, w in enumerate(s.sets):
            if w[SET_TYPE] == "warmup":
                if w[EXERCISE] in first_work:
                    after += 1
                else:
                    before += 1
            else:
                first_work.setdefault(w[EXERCISE], i)
    why = None
    if up + down >= 3:
        if down > 2 * up:
            why = f"in {down} of {up + down} steps the file's set numbers fall within an exercise"
    elif after + before >= 3:
        if after > 2 * before:
            why = f"{after} warm-up sets come after their working sets"
    else:
        newer = sum(b.started_at > a.started_at for a, b in zip(sessions, sessions[1:]))
        older = sum(b.started_at < a.started_at for a, b in zip(sessions, sessions[1:]))
        if older >= 3 and older > 2 * newer:
            why = (f"the file has no set numbers or warm-ups to tell, and lists its sessions newest-first "
                   f"({older} of {older + newer} steps go back in time): read as reversed row by row")
    if why is not None:
        for s in sessions:
            s.sets.reverse()
            s.extra_notes.reverse()
            seen: dict[str, int] = {}
            for w in s.sets:
                seen[w[EXERCISE]] = w[ORDER] = seen.get(w[EXERCISE], 0) + 1
        parsed.warnings.append(f"the file runs backwards ({why}); sets were put back in logged order")
    if any(b.started_at < a.started_at for a, b in zip(sessions, sessions[1:])):
        sessions.sort(key=lambda s: s.started_at)


UNIT_SAMPLE = 20_000
MAX_LISTED_REFUSED = 1000


def resolve_units(parsed: ParsedFile, forced: str | None, *, body_mass_kg: float | None = None) -> None:
    """Give every weight without a unit one: `forced` (--unit), else the unit the rest of the file states,
    else one inferred from the evidence (`peri.log.units.infer_unit`). Weak evidence stops the import here,
    before anything is written, asking for --unit. Sets `parsed.unit`."""
    from ..units import UnitInference, infer_unit

    stated = Counter([w[UNIT] for s in parsed.sessions for w in s.sets])
    pending = [w for s in parsed.sessions for w in s.sets if w[UNIT] is None and w[WEIGHT] is not None] \
        if stated[None] else []
    del stated[None]
    if not pending:
        unit = forced
        if stated:
            unit = stated.most_common(1)[0][0]
            parsed.unit = UnitInference(unit=unit, confidence="high", source="option" if forced else "stated",
                                        evidence=[f"{n} weights in {u}" for u, n in stated.most_common()])
        elif parsed.pending_distance and not forced:  # distances follow a unit no load tells: never dropped
            raise ConfigError(
                f"the file does not say its distance unit, which follows its weight unit, and it has no loads to "
                f"tell kg from lb ({len(parsed.pending_distance)} distances); nothing was imported",
                place=parsed.path, hint="re-run with --unit kg (distances in km) or --unit lb (distances in miles)")
        _follow_unit(parsed, unit)
        return
    if forced:
        unit, parsed.unit = forced, UnitInference(unit=forced, confidence="high", source="option",
                                                  evidence=["--unit " + forced])
    elif stated:
        unit = stated.most_common(1)[0][0]
        parsed.unit = UnitInference(unit=unit, confidence="high", source="stated",
                                    evidence=[f"{n} weights in {u}" for u, n in stated.most_common()])
        parsed.warnings.append(f"{len(pending)} weights had no unit; took {unit}, the unit the rest of the file uses")
    else:
        notes = [w[NOTE] for s in parsed.sessions for w in s.sets if w[NOTE]]
        notes += [s.notes for s in parsed.sessions if s.notes]
        # an even sample of at most UNIT_SAMPLE loads carries the same evidence at a fraction of the cost
        step = max(1, len(pending) // UNIT_SAMPLE)
        inference = infer_unit([(w[EXERCISE], w[WEIGHT]) for w in pending[::step]], notes=notes,
                               body_mass_kg=body_mass_kg, raw_texts=parsed.raw_weights)
        if inference.weak:
            raise ConfigError(
                f"the file does not say its weight unit, and its {len(pending)} loads do not tell kg from lb ("
                + "; ".join(inference.evidence) + "); nothing was imported",
                place=parsed.path, hint="re-run with --unit kg or --unit lb",
            )
        unit, parsed.unit = inference.unit, inference
        parsed.warnings.append(
            f"the export does not say its weight unit: assumed {unit} for {len(pending)} weights, inferred with "
            f"{inference.confidence} confidence (the report's unit evidence says why); pass --unit kg|lb to override")
    factor = LB_TO_KG if unit == "lb" else 1.0
    for w in pending:
        w[UNIT] = unit
        w[WEIGHT_KG] = round(w[WEIGHT] * factor, 4)
    _follow_unit(parsed, unit)


def _follow_unit(parsed: ParsedFile, unit: str | None) -> None:
    """Distances logged without their unit (Strong's plain Distance column) in the weight unit's: km or miles."""
    for w, distance in parsed.pending_distance:
        w[DISTANCE_M] = round(distance * (MI_TO_M if unit == "lb" else 1000.0), 3)


def _not_exercises(parsed: ParsedFile, unmapped: list[str]) -> dict[str, str]:
    """The unmapped names that are not strength exercises (`peri.log.non_exercise`), with the evidence."""
    if not unmapped:
        return {}
    from ..non_exercise import classify, shapes

    wanted = set(unmapped)
    # rows only of the sessions holding such a name (the others count, empty, in the spans): a large,
    # well-mapped export pays next to nothing here
    rows = [[(w[EXERCISE], w[WEIGHT_KG], w[REPS], w[RPE], w[SECONDS], w[DISTANCE_M]) for w in s.sets]
            if any(w[EXERCISE] in wanted for w in s.sets) else [] for s in parsed.sessions]
    shape = shapes(rows)
    out = {}
    for name in unmapped:
        ne = classify(name, shape.get(name))
        if ne is not None:
            out[name] = f"{ne.kind}: {ne.evidence}"
    return out


def apply_mapping(parsed: ParsedFile, map_exercise: ExerciseMapper) -> list[str]:
    """Fill each set's catalog id (one lookup per distinct name); return the names left unmapped."""
    ids = {name: map_exercise(name) for name in parsed.exercise_names()}
    for s in parsed.sessions:
        for w in s.sets:
            w[EXERCISE_ID] = ids[w[EXERCISE]]
    return sorted(n for n, i in ids.items() if i is None)


def session_annotations(parsed: ParsedFile) -> list[list[Annotation]]:
    """For each parsed session, its notes as annotations (text verbatim, facts derived)."""
    out: list[list[Annotation]] = []
    for s in parsed.sessions:
        notes = [(w[EXERCISE], w[EXERCISE_ID], w[NOTE]) for w in s.sets if w[NOTE] is not None]
        notes += [(ex, None, text) for ex, text in s.extra_notes]
        out.append(note_annotations(s.started_at.date(), s.notes, notes) if s.notes or notes else [])
    return out


def annotations_for(parsed: ParsedFile) -> list[Annotation]:
    """All session and exercise notes of a parsed file as annotations."""
    return [a for per in session_annotations(parsed) for a in per]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a large import allocates millions of small objects that all stay
    alive until the write, and repeated full collections over them cost more than the parsing itself."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _unit_flags(parsed: ParsedFile, athlete: str, body_mass: float | None) -> list[str]:
    """The plausibility check of `peri.log.units` (pounds stored as kg?) on what this file stores; only the
    lifts that have a human ceiling are looked at, so a large file costs one cheap pass."""
    from ..units import ceiling_of, plausibility_of_rows

    names = {name for name in parsed.exercise_names() if ceiling_of(name) is not None}
    if not names:
        return []
    rows = [(w[EXERCISE], w[WEIGHT_KG], w[REPS], w[UNIT]) for s in parsed.sessions for w in s.sets
            if w[EXERCISE] in names]
    return [f"{f.reason}: {f.command}" for f in plausibility_of_rows(rows, athlete, body_mass_kg=body_mass)]


# A log whose last session is further back than this is a history, not this week's training: the report says
# that `peri plan` plans the week after it unless told otherwise.
STALE_AFTER = dt.timedelta(weeks=8)


def stale_log_note(last: dt.date | None, today: dt.date | None = None) -> str | None:
    """What to tell about a log whose newest session (`last`) ended long ago, or None while it is current."""
    if last is None:
        return None
    today = today or dt.date.today()
    if today - last <= STALE_AFTER:
        return None
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    return (f"the log ends on {last}, {(today - last).days // 7} weeks ago: `peri plan` plans the week after its "
            f"last session; to plan from now on this history pass --as-of {monday}")


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_file(
    store: Store,
    athlete_name: str,
    fmt: str,
    path: Path | str,
    *,
    dry_run: bool = False,
    mapping: dict[str, Any] | None = None,
    map_exercise: ExerciseMapper | None = None,
    create_athlete: bool = False,
    progress: Progress | None = None,
    source_name: str | None = None,
) -> ImportReport:
    """Import one export file for one athlete; see the module docstring for the guarantees.

    `fmt` "auto" reads the file with the importer `detect_format` names (said in the report's warnings).
    `mapping`: options for the format (`unit`: kg|lb when the file does not say; `tz`: the lifter's IANA time
    zone, for timestamps the file writes in UTC or another zone, see `zones`; `year`, `person`; for `csv` the
    column mapping, see `generic_csv`). `map_exercise` replaces the catalog lookup (tests, simulators).
    `create_athlete` adds a default profile when the athlete does not exist yet. `source_name` is the file's
    name as `peri import list` shows it when `path` is not the person's own (a web upload's saved copy).
    """
    detected, table = None, None
    if fmt.lower() == AUTO:  # the file is read and decoded once, for the detection and the import
        delimiter = mapping.get("delimiter") if isinstance(mapping, dict) else None
        table = read_table(path, delimiter=delimiter, data=read_capped(Path(path)))
        fmt, detected = detect_format(path, table=table)
    with _gc_paused():
        report = _import(store, athlete_name, fmt, path, dry_run=dry_run, mapping=mapping, map_exercise=map_exercise,
                         create_athlete=create_athlete, progress=progress, table=table, source_name=source_name)
    if detected:
        report.warnings.insert(0, detected)
    return report


def _import(store: Store, athlete_name: str, fmt: str, path: Path | str, *, dry_run: bool,
            mapping: dict[str, Any] | None, map_exercise: ExerciseMapper | None, create_athlete: bool,
            progress: Progress | None, table: Table | None = None, source_name: str | None = None) -> ImportReport:
    try:
        body_mass = store.get_athlete(athlete_name).body_mass_kg
    except PeriError:
        body_mass = None
    parsed = parse_file(fmt, path, mapping=mapping, progress=progress, body_mass_kg=body_mass, table=table)
    if map_exercise is None:
        map_exercise = catalog_mapper(store)
    unmapped = apply_mapping(parsed, map_exercise)
    per_session = session_annotations(parsed)
    report = ImportReport(
        file=str(path), fmt=fmt.lower(), rows_read=parsed.rows_read, skipped=parsed.skipped,
        unmapped_exercises=unmapped, dry_run=dry_run, warnings=parsed.warnings, refused=parsed.refused,
        refused_count=parsed.refused_count, not_exercises=_not_exercises(parsed, unmapped),
    )
    if parsed.sessions:
        report.last_session = max(s.started_at for s in parsed.sessions).date()
    if parsed.dialect is not None:
        report.dialect, report.language = parsed.dialect.name, parsed.dialect.language
    if parsed.unit is not None:
        report.unit, report.unit_source, report.unit_evidence = parsed.unit.unit, parsed.unit.source, parsed.unit.evidence
    rows = [((s.started_at, s.name, s.duration_s, s.notes, s.source), s.sets, notes)
            for s, notes in zip(parsed.sessions, per_session)]
    try:
        with store.transaction():
            try:
                athlete = store.get_athlete(athlete_name)
            except PeriError:
                if not create_athlete:
                    raise
                athlete = store.add_athlete(Athlete(name=athlete_name))
            counts: Any = None

            def write(import_id: int) -> Any:
                nonlocal counts
                counts = store.add_session_rows(athlete.id, rows, import_id=import_id)
                return counts

            report.import_id = store.record_import(athlete.id, source_name or str(path), fmt.lower(), write)
            if report.import_id is not None:
                report.unit_flags = _unit_flags(parsed, athlete_name, body_mass)
            report.sessions_new = counts.sessions_new
            report.sets_new = counts.sets_new
            report.sets_existing = counts.sets_existing
            report.annotations_new = counts.annotations_new
            if dry_run:
                report.import_id = None
                raise _Rollback
    except _Rollback:
        pass
    except PeriError:
        raise
    except Exception as e:  # sqlite3 errors and the like: the transaction is already rolled back
        raise PeriError(f"the import could not be written: {e}", place=str(path),
                        hint="nothing was written; report this with the file if it persists") from e
    return report
