"""`peri athlete add|list|show`, `peri import strong|hevy|fitnotes|csv`, `peri note`: the training log's CLI."""
from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table as RichTable

from ..errors import PeriError
from ..log.models import PROFILE_FIELDS, REGIONS, Athlete, FieldSource, Goal, ImportReport, Level, Scope
from .common import console, friendly, open_store, print_json

athlete_app = typer.Typer(help="Add, list, show, export and delete athletes (one database can hold several).", no_args_is_help=True)
import_app = typer.Typer(help="Import a training-log export (Strong, Hevy, FitNotes, or any CSV with a mapping).",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(athlete_app, name="athlete")
    app.add_typer(import_app, name="import")
    app.command("note")(note)


# --- athletes ---------------------------------------------------------------------------------
@athlete_app.command("add")
@friendly
def athlete_add(
    name: str = typer.Argument(..., help="A name unique in this database."),
    age: Optional[int] = typer.Option(None, "--age", min=10, max=100, help="Age in years."),
    body_mass: Optional[float] = typer.Option(None, "--body-mass", help="Body mass in kg.", min=20, max=400),
    sex: Optional[str] = typer.Option(None, "--sex", help="Optional; used only as context for plans."),
    level: Optional[Level] = typer.Option(None, "--level", help="Training experience (not given: read from the log)."),
    days: Optional[int] = typer.Option(None, "--days", min=1, max=7,
                                       help="Training days per week (not given: read from the log)."),
    goal: Optional[Goal] = typer.Option(None, "--goal", help="What the training is for (not given: read from the log)."),
    split: Optional[str] = typer.Option(None, "--split", help='e.g. "upper/lower", "push/pull/legs", "full body" '
                                        "(not given: read from the log)."),
    equipment: Optional[list[str]] = typer.Option(
        None, "--equipment", help="Repeatable or comma-separated: barbell, dumbbell, cable, machine, body only, ..."
    ),
    constraint: Optional[list[str]] = typer.Option(
        None, "--constraint", help='Repeatable free text, e.g. "lower back sensitivity"; body regions are derived.'
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the stored profile as JSON."),
) -> None:
    """Add an athlete profile. Only the flags given are stated; the rest is read from the log once there is one."""
    from ..log.notes import regions_in

    fields: dict[str, Any] = dict(name=name, age=age, body_mass_kg=body_mass, sex=sex)
    given = {"level": level, "days_per_week": days, "goal": goal, "split": split}
    fields.update({k: v for k, v in given.items() if v is not None})
    if equipment:
        fields["equipment"] = [e.strip() for item in equipment for e in item.split(",") if e.strip()]
    constraints = [c.strip() for c in constraint or [] if c.strip()]
    named = {r for c in constraints for r in regions_in(c, pain_context=True)}
    regions = [r for r in REGIONS if r in named]
    fields["constraints"] = constraints
    fields["constraint_regions"] = regions
    # the flags given are what the person said, even when they equal a default
    fields["sources"] = {f: FieldSource(kind="stated" if f in fields else "unknown") for f in PROFILE_FIELDS}
    with open_store() as store:
        athlete = store.add_athlete(Athlete(**fields))
    if as_json:
        print_json(athlete)
        return
    console.print(f"added athlete [bold]{athlete.name}[/] (id {athlete.id})"
                  + (f"; constraint regions: {', '.join(regions)}" if regions else ""))


@athlete_app.command("list")
@friendly
def athlete_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the athletes in the database."""
    from ..log.context import load_context

    with open_store() as store:
        # the profile as load_context reads it: stated, or derived from the log, never a default
        rows = [(load_context(store, a.name).athlete, _counts(store, a.id)) for a in store.list_athletes()]
    if as_json:
        print_json([{**a.model_dump(mode="json"), **c} for a, c in rows])
        return
    if not rows:
        console.print("no athletes yet: add one with `peri athlete add NAME`")
        return
    t = RichTable("name", "level", "goal", "days", "sessions", "sets", "last session")
    def shown(a: Athlete, field: str) -> str:
        src = a.source(field)
        if src.kind == "unknown":
            return "-"
        value = getattr(a, field)
        return str(value.value if hasattr(value, "value") else value) + (" (log)" if src.kind == "derived" else "")

    for a, c in rows:
        t.add_row(a.name, shown(a, "level"), shown(a, "goal"), shown(a, "days_per_week"), str(c["sessions"]),
                  str(c["sets"]), c["last_session"] or "-")
    console.print(t)


@athlete_app.command("show")
@friendly
def athlete_show(name: str = typer.Argument(..., help="The athlete's name."),
                 as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show one athlete's profile (each field with its source: stated, derived from the log, or unknown)
    and what the log holds for them."""
    from ..log.context import load_context

    from ..log.shown_unit import shown_unit

    from ..log.gaps import log_gaps

    with open_store() as store:
        ctx = load_context(store, name)
        a = ctx.athlete
        counts = _counts(store, a.id)
        store_counts = store.logged_units(a.id)
        gaps = log_gaps(ctx, store.aliases())
    if as_json:
        print_json({"athlete": a, "counts": counts, "gaps": gaps})
        return
    t = RichTable.grid(padding=(0, 2))
    for key, value in a.model_dump(mode="json", exclude={"id", "sources"}).items():
        src = a.source(key) if key in PROFILE_FIELDS else None
        if src is not None and src.kind == "unknown":
            value = None
        if isinstance(value, list):
            value = ", ".join(value) or "-"
        shown = "-" if value is None else str(value)
        if key == "unit":
            shown = f"{value}  [dim](stated)[/]" if value else \
                f"{shown_unit(a, counts=store_counts)}  [dim](the unit your log is kept in)[/]"
        if src is not None:
            how = {"stated": "stated", "derived": "derived from the log", "unknown": "unknown"}[src.kind]
            shown += f"  [dim]({how}{': ' + src.evidence if src.evidence else ''})[/]"
        t.add_row(f"[bold]{key}[/]", shown)
    for key, value in counts.items():
        t.add_row(f"[bold]{key}[/]", "-" if value is None else str(value))
    console.print(t)
    if gaps:
        console.print("what the log does not show yet, so a plan cannot read it from you:")
    for gap in gaps:
        console.print(f"  - {gap.line()}", markup=False, highlight=False)


class ShownUnit(str, Enum):
    """`peri athlete set --unit`: kg, lb, or back to the log's own unit."""

    kg = "kg"
    lb = "lb"
    log = "log"


@athlete_app.command("set")
@friendly
def athlete_set(
    name: str = typer.Argument(..., help="The athlete's name."),
    age: Optional[int] = typer.Option(None, "--age", min=10, max=100, help="Age in years."),
    body_mass: Optional[float] = typer.Option(None, "--body-mass", help="Body mass in kg.", min=20, max=400),
    level: Optional[Level] = typer.Option(None, "--level", help="Training experience."),
    days: Optional[int] = typer.Option(None, "--days", min=1, max=7, help="Training days per week."),
    goal: Optional[Goal] = typer.Option(None, "--goal", help="What the training is for."),
    split: Optional[str] = typer.Option(None, "--split", help='e.g. "upper/lower", "push/pull/legs", "full body".'),
    equipment: Optional[list[str]] = typer.Option(None, "--equipment", help="Repeatable or comma-separated."),
    unit: Optional[ShownUnit] = typer.Option(None, "--unit", help="The unit plans and stats show loads in (log: the "
                                             "one most of your recent sets were logged in). Stored loads are unchanged."),
    unset: Optional[list[str]] = typer.Option(None, "--unset", help="A profile field to read from the log again "
                                              f"({', '.join(PROFILE_FIELDS)}); repeatable."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored profile as JSON."),
) -> None:
    """Correct profile fields: each one given is marked stated (what the log shows no longer replaces it)."""
    from ..log.profile import set_profile

    changes: dict[str, Any] = {"age": age, "body_mass_kg": body_mass, "level": level, "days_per_week": days,
                               "goal": goal, "split": split}
    if equipment:
        changes["equipment"] = [e.strip() for item in equipment for e in item.split(",") if e.strip()]
    changes = {k: v for k, v in changes.items() if v is not None}
    if unit is not None:
        changes["unit"] = None if unit == ShownUnit.log else unit.value
    with open_store() as store:
        athlete = set_profile(store, name, changes, unset=list(unset or []))
    if as_json:
        print_json(athlete)
        return
    said = ", ".join(f"{k}={v.value if hasattr(v, 'value') else 'from the log' if v is None else v}"
                     for k, v in changes.items())
    console.print(f"{athlete.name}: " + "; ".join(x for x in (f"stated {said}" if said else "",
                                                              f"read from the log: {', '.join(unset)}" if unset else "")
                                                  if x) or f"{athlete.name}: nothing to change", highlight=False)


@athlete_app.command("export")
@friendly
def athlete_export(name: str = typer.Argument(..., help="The athlete's name."),
                   out: Path = typer.Option(..., "--out", "-o", help="The ZIP file to write (never overwritten)."),
                   as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Write everything peri holds about one athlete to a ZIP file: their log, notes, profile, imports, plans and
    ratings (athlete.json) and their dataset and evaluation folders. A copy to keep, or to take elsewhere."""
    from ..log.your_data import export_athlete

    with open_store() as store:
        fp = export_athlete(store, name, out)
    if as_json:
        print_json({"file": str(out), "footprint": fp})
        return
    console.print(f"wrote {out}")
    for line in fp.lines():
        console.print(f"  {line}", markup=False)


@athlete_app.command("delete")
@friendly
def athlete_delete(name: str = typer.Argument(..., help="The athlete's name."),
                   yes: bool = typer.Option(False, "--yes", help="Delete; without it, only list what would go."),
                   as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Delete everything peri holds about one athlete: their log, notes, profile, imports, plans, ratings, their
    dataset and evaluation folders, and the models tuned on their data. Without --yes it lists what would go
    and deletes nothing (`peri athlete export` first keeps a copy)."""
    from ..log.your_data import erase_athlete, footprint

    with open_store() as store:
        if not yes:
            fp = footprint(store, name)
            if as_json:
                print_json({"deleted": False, "footprint": fp})
                return
            for line in fp.lines():
                console.print(line, markup=False)
            console.print(f"nothing was deleted: run `peri athlete delete {name!r} --yes` to delete all of it",
                          markup=False)
            return
        erased = erase_athlete(store, name, confirm=name)
    if as_json:
        print_json({"deleted": True, **erased.model_dump(mode="json")})
    else:
        console.print(f"deleted {name}:", markup=False)
        for line in erased.footprint.lines():
            console.print(f"  {line}", markup=False)
        for line in erased.elsewhere:
            console.print(f"  still kept elsewhere: {line}", markup=False)
    for line in erased.left:
        console.print(f"  could not remove {line}", markup=False)
    if erased.left:
        raise typer.Exit(1)


def _counts(store: Any, athlete_id: int) -> dict[str, Any]:
    from ..log.summary import log_counts  # one owner: the web app's Athletes pages read the same counts

    return log_counts(store, athlete_id).model_dump()


# --- import -----------------------------------------------------------------------------------
def _run_import(fmt: str, file: Path, athlete: str, dry_run: bool, as_json: bool, mapping: dict[str, Any] | None,
                create: bool) -> None:
    from ..errors import NotFound
    from ..log.importers import import_file

    with open_store() as store:
        if not create:
            try:
                store.get_athlete(athlete)
            except NotFound as e:  # a first import: the flag that creates the athlete is the likeliest fix
                known = ", ".join(a.name for a in store.list_athletes()) or "none yet"
                raise NotFound(e.message, hint=f"add --create to create {athlete!r} with this import (known: {known})"
                               ) from None
        size = file.stat().st_size if file.exists() else 0
        if as_json or size < 2_000_000:
            report = import_file(store, athlete, fmt, file, dry_run=dry_run, mapping=mapping, create_athlete=create)
        else:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("[bold]reading[/] {task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                          TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task(file.name, total=1)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = import_file(store, athlete, fmt, file, dry_run=dry_run, mapping=mapping,
                                     create_athlete=create, progress=progress)
    if as_json:
        print_json(report)
        return
    _print_report(report)
    if not dry_run:
        _print_gaps(athlete)


def _print_gaps(athlete: str) -> None:
    """After an import: what the log still does not show for a plan, with the next step (`log.gaps`); a log
    that ended long ago is said by the report's own note already."""
    from ..log.context import load_context
    from ..log.gaps import log_gaps

    with open_store() as store:
        gaps = [g for g in log_gaps(load_context(store, athlete), store.aliases()) if g.kind != "past"]
    for gap in gaps:
        console.print(f"note: {gap.says}; next: {gap.next}", style="yellow", markup=False, highlight=False)


def _print_report(r: ImportReport) -> None:
    verb = "would add" if r.dry_run else "added"
    head = "[yellow]dry run[/] - nothing written. " if r.dry_run else ""
    console.print(
        f"{head}{r.file} ({r.fmt}): read {r.rows_read} rows; {verb} {r.sessions_new} sessions, {r.sets_new} sets, "
        f"{r.annotations_new} notes; {r.sets_existing} sets already there.", highlight=False
    )
    if r.dialect:
        console.print(f"recognised as {r.dialect} ({r.language})", highlight=False)
    if r.unit:
        how = {"stated": "stated by the file", "option": "from --unit"}.get(r.unit_source or "", "inferred")
        console.print(f"weight unit: {r.unit} ({how})" + (": " + "; ".join(r.unit_evidence[:4])
                      if r.unit_source == "inferred" else ""), highlight=False)
    if r.import_id is not None:
        console.print(f"import id {r.import_id} (`peri import undo {r.import_id}` removes it)", highlight=False)
    if r.skipped:
        console.print(f"skipped {len(r.skipped)} rows that are not sets: " + "; ".join(r.skipped[:5])
                      + (" ..." if len(r.skipped) > 5 else ""), highlight=False)
    if r.refused:
        console.print(f"[yellow]refused {r.refused_count or len(r.refused)} rows (not stored):[/] " + "; ".join(r.refused[:5])
                      + (" ..." if len(r.refused) > 5 else ""), highlight=False)
    for flag in r.unit_flags:
        console.print(f"[yellow]unit check:[/] {flag}", highlight=False)
    for w in r.warnings:
        console.print(f"[yellow]note:[/] {w}", highlight=False)
    from ..log.importers import stale_log_note

    stale = stale_log_note(r.last_session)
    if stale:
        console.print(f"[yellow]note:[/] {stale}", highlight=False)
    names = [n for n in r.unmapped_exercises if n not in r.not_exercises]
    if names:
        console.print(f"[yellow]{len(names)} exercise names not in the catalog[/] "
                      "(add aliases to map them): " + ", ".join(names), highlight=False)
    if r.not_exercises:
        n = len(r.not_exercises)
        console.print(f"{n} logged name{'s are' if n > 1 else ' is'} not a strength exercise (kept as logged, not mapped): "
                      + "; ".join(f"{n} ({why.split(':')[0]})" for n, why in r.not_exercises.items()), highlight=False)


_ATHLETE = typer.Option(..., "--athlete", "-a", help="Whose log this is.")
_DRY = typer.Option(False, "--dry-run", help="Show what would change; write nothing.")
_JSON = typer.Option(False, "--json", help="Print the import report as JSON.")
_CREATE = typer.Option(False, "--create", help="Create the athlete with a default profile if missing.")
_UNIT = typer.Option(None, "--unit", help="Weight unit (kg|lb) when the file does not say.")
_PERSON = typer.Option(None, "--person", help="Whose rows to read from a file that holds several people's "
                       "training (an Athlete, Client or User column), as the column writes the name.")
_YEAR = typer.Option(None, "--year", help="The year of the file's first date, where its dates carry none "
                     "(\"Mon 3 Mar\"); later dates count on from it.")
_TZ = typer.Option(None, "--tz", help="The lifter's time zone (an IANA name: Europe/Berlin, America/New_York), "
                   "for times the file writes in UTC (2024-03-05T17:15:00Z) or another zone; default: the offsets "
                   "the file gives, else this machine's zone.")
_DATE_FMT = typer.Option(None, "--date-format", help='Numeric dates: dmy (day first), mdy (month first) or a '
                         'strptime format, when the file\'s dates do not tell.')


def _options(unit: Optional[str], date_format: Optional[str], tz: Optional[str] = None) -> Optional[dict[str, Any]]:
    options = {k: v for k, v in (("unit", unit), ("date_format", date_format), ("tz", tz)) if v}
    return options or None


@import_app.command("auto")
@friendly
def import_auto(file: Path = typer.Argument(..., help="An export from any app, or a spreadsheet (.csv, .xlsx, .xls, .ods, Apple .numbers), a JSON or JSON Lines log, a Garmin strength workout (.fit), also zipped (.zip, .gz)."),
                athlete: str = _ATHLETE,
                dry_run: bool = _DRY, as_json: bool = _JSON, unit: Optional[str] = _UNIT,
                date_format: Optional[str] = _DATE_FMT, create: bool = _CREATE,
                person: Optional[str] = _PERSON, year: Optional[int] = _YEAR, tz: Optional[str] = _TZ) -> None:
    """Import an export without naming the app: Strong, Hevy or FitNotes by their columns, else any table by its
    column names (as `peri import csv`); the report says which was used."""
    options = {**(_options(unit, date_format, tz) or {}), **({"person": person} if person else {}),
               **({"year": year} if year else {})}
    _run_import("auto", file, athlete, dry_run, as_json, options or None, create)


@import_app.command("strong")
@friendly
def import_strong(file: Path = typer.Argument(..., help="Strong CSV export."), athlete: str = _ATHLETE,
                  dry_run: bool = _DRY, as_json: bool = _JSON, unit: Optional[str] = _UNIT,
                  date_format: Optional[str] = _DATE_FMT,
                  create: bool = _CREATE, tz: Optional[str] = _TZ) -> None:
    """Import a Strong export (iOS or Android, any version)."""
    _run_import("strong", file, athlete, dry_run, as_json, _options(unit, date_format, tz), create)


@import_app.command("hevy")
@friendly
def import_hevy(file: Path = typer.Argument(..., help="Hevy CSV export."), athlete: str = _ATHLETE,
                dry_run: bool = _DRY, as_json: bool = _JSON, unit: Optional[str] = _UNIT,
                  date_format: Optional[str] = _DATE_FMT,
                create: bool = _CREATE, tz: Optional[str] = _TZ) -> None:
    """Import a Hevy export."""
    _run_import("hevy", file, athlete, dry_run, as_json, _options(unit, date_format, tz), create)


@import_app.command("fitnotes")
@friendly
def import_fitnotes(file: Path = typer.Argument(..., help="FitNotes CSV export."), athlete: str = _ATHLETE,
                    dry_run: bool = _DRY, as_json: bool = _JSON, unit: Optional[str] = _UNIT,
                  date_format: Optional[str] = _DATE_FMT,
                    create: bool = _CREATE, tz: Optional[str] = _TZ) -> None:
    """Import a FitNotes export (one session per day)."""
    _run_import("fitnotes", file, athlete, dry_run, as_json, _options(unit, date_format, tz), create)


@import_app.command("csv")
@friendly
def import_csv(
    file: Path = typer.Argument(..., help="Any CSV, or an .xlsx/.xls/.ods workbook or Apple .numbers document, with one set (or exercise) per row."),
    athlete: str = _ATHLETE,
    map_: Optional[list[str]] = typer.Option(None, "--map", help="COLUMN=FIELD, repeatable (fields: date, exercise, "
                                             "weight, unit, reps, rpe, rir, note, session_name, set_type, ...)."),
    mapping_file: Optional[Path] = typer.Option(None, "--mapping", help="YAML/JSON mapping file."),
    date_format: Optional[str] = _DATE_FMT,
    unit: Optional[str] = _UNIT,
    delimiter: Optional[str] = typer.Option(None, "--delimiter", help="Field separator (default: read from the header)."),
    dry_run: bool = _DRY,
    as_json: bool = _JSON,
    create: bool = _CREATE,
    person: Optional[str] = _PERSON,
    year: Optional[int] = _YEAR,
    tz: Optional[str] = _TZ,
) -> None:
    """Import any CSV: columns named like Date, Exercise, Weight, Reps are read by name, as are wide sheets
    (Set 1, Set 2 ... columns, cells like 100x5); --map the others."""
    from ..log.importers.generic_csv import load_mapping, parse_map_pairs

    mapping: dict[str, Any] = {"columns": {}}
    if mapping_file is not None:
        mapping = load_mapping(mapping_file)
    if map_:
        pairs = parse_map_pairs(map_)
        mapping["columns"].update({**pairs.pop("columns")})
        mapping.update(pairs)
    for key, value in (("date_format", date_format), ("unit", unit), ("delimiter", delimiter), ("person", person),
                       ("year", year), ("tz", tz)):
        if value:
            mapping[key] = value
    _run_import("csv", file, athlete, dry_run, as_json, mapping, create)


@import_app.command("list")
@friendly
def import_list(athlete: str = _ATHLETE, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List an athlete's imports (batches), with the id `peri import undo` takes."""
    with open_store() as store:
        rows = store.imports(store.get_athlete(athlete).id)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"no imports for {athlete} yet")
        return
    t = RichTable("id", "when", "format", "file", "sessions", "sets", "sets now", "undone")
    for r in rows:
        t.add_row(str(r["id"]), r["created_at"][:19], r["fmt"], r["file"], str(r["sessions_new"]), str(r["sets_new"]),
                  str(r["sets_now"]), (r["undone_at"] or "")[:19])
    console.print(t)


@import_app.command("undo")
@friendly
def import_undo(import_id: int = typer.Argument(..., help="The import's id (`peri import list`)."),
                as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Remove everything one import wrote (its sessions, sets and notes), all or nothing."""
    with open_store() as store:
        counts = store.undo_import(import_id)
    if as_json:
        print_json(counts)
        return
    console.print(f"undid import {import_id}: removed {counts['sessions']} sessions, {counts['sets']} sets, "
                  f"{counts['annotations']} notes", highlight=False)


@import_app.command("delete-session")
@friendly
def import_delete_session(
    athlete: str = _ATHLETE,
    date: str = typer.Option(..., "--date", help="The session's date as stored, YYYY-MM-DD (any year)."),
    name: Optional[str] = typer.Option(None, "--name", help="Only the session with this workout name."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Delete one day's session(s) of an athlete, with their sets and notes (all or nothing)."""
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.strip()):
        raise PeriError(f"date {date!r} is not YYYY-MM-DD", hint="e.g. 9999-01-01")
    with open_store() as store:
        counts = store.delete_sessions(store.get_athlete(athlete).id, date.strip(), name)
    if as_json:
        print_json(counts)
        return
    console.print(f"deleted {counts['sessions']} sessions on {date} ({counts['sets']} sets, {counts['annotations']} "
                  "notes)", highlight=False)


@import_app.command("reunit")
@friendly
def import_reunit(
    athlete: str = _ATHLETE,
    from_unit: str = typer.Option(..., "--from", help="The unit the loads were stored as (kg|lb)."),
    to_unit: str = typer.Option(..., "--to", help="The unit they really are in (kg|lb)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only sessions on or after YYYY-MM-DD."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Re-read stored loads in the other unit (e.g. pounds stored as kg); numbers as logged are kept, so
    swapping --from and --to undoes it."""
    from ..log.importers.base import weight_unit

    try:
        src, dst = weight_unit(from_unit), weight_unit(to_unit)
        day = dt.date.fromisoformat(since) if since else None
    except ValueError as e:
        raise PeriError(str(e), hint="--from/--to kg|lb, --since YYYY-MM-DD") from None
    if not src or not dst or src == dst:
        raise PeriError("--from and --to must be two different units", hint="kg and lb")
    with open_store() as store:
        n = store.reunit(store.get_athlete(athlete).id, src, dst, day)
    if as_json:
        print_json({"sets_changed": n, "from": src, "to": dst})
        return
    console.print(f"{n} sets re-read from {src} to {dst} (undo: `peri import reunit --athlete {athlete} --from {dst} "
                  f"--to {src}`)", highlight=False)


@import_app.command("check-units")
@friendly
def import_check_units(athlete: str = _ATHLETE,
                       as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Flag lifts whose stored loads look off by the kg/lb factor (estimated 1RM beyond human records or body
    mass), with the command that fixes them."""
    from ..log.units import plausibility

    with open_store() as store:
        a = store.get_athlete(athlete)
        flags = plausibility(store.sessions(a.id), a.name, body_mass_kg=a.body_mass_kg)
    if as_json:
        print_json(flags)
        return
    if not flags:
        console.print("no lift looks off by the kg/lb factor")
        return
    for f in flags:
        console.print(f"[yellow]{f.exercise}[/]: {f.reason}", highlight=False)
    console.print(f"fix (keeps every number as logged): {flags[0].command}", highlight=False)


# --- notes ------------------------------------------------------------------------------------
@friendly
def note(
    date: str = typer.Argument(..., help="YYYY-MM-DD, or 'today'."),
    text: str = typer.Argument(..., help="The note, kept verbatim."),
    athlete: str = _ATHLETE,
    exercise: Optional[str] = typer.Option(None, "--exercise", "-e", help="The exercise the note is about."),
    scope: Optional[Scope] = typer.Option(None, "--scope", help="week, session or exercise (default: exercise "
                                          "when --exercise is given, else session)."),
    as_json: bool = typer.Option(False, "--json", help="Print the stored note as JSON."),
) -> None:
    """Add a note; tags (worked, excessive, aggravated, pain, felt_strong), regions and RPE/RIR are derived."""
    from ..log.annotate import add_note

    try:
        day = dt.date.today() if date.strip().lower() == "today" else dt.date.fromisoformat(date.strip())
    except ValueError:
        raise PeriError(f"date {date!r} is not YYYY-MM-DD", hint="e.g. 2026-03-14 or 'today'") from None
    if scope == Scope.exercise and not exercise:
        raise PeriError("an exercise note needs --exercise NAME")
    with open_store() as store:
        saved = add_note(store, athlete, day, text, exercise=exercise, scope=scope)
    sc = saved.scope
    if as_json:
        print_json(saved)
        return
    bits = [f"tags: {', '.join(saved.tags)}" if saved.tags else "", f"regions: {', '.join(saved.regions)}" if saved.regions else "",
            f"RPE {saved.rpe:g}" if saved.rpe is not None else "", f"RIR {saved.rir:g}" if saved.rir is not None else ""]
    extra = "; ".join(b for b in bits if b)
    console.print(f"noted ({sc.value}, {day.isoformat()})" + (f" - {extra}" if extra else ""), highlight=False)
