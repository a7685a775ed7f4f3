"""The unit each import's loads were read in, the doubt about it, and re-reading one import's loads in the other.

An import keeps the unit its file stated or the one it was read in (`--unit`, inferred). When that was wrong
(pounds read as kilograms, or the reverse) every load of the import is 2.2 times off. `import_units` says, per
import, the unit its loads are stored in and any doubt the unit check raises about it: the loads' own evidence
(`units.infer_unit`, as the import's stated-unit check reads it, `importers.unitcheck`) and estimated 1RMs beyond
any human lift (`units.plausibility`). `reread_preview` says what re-reading one import in the other unit
changes, before anything is written; `reread_import` does it through `Store.reunit`. The numbers as logged are
kept, so re-reading back undoes it exactly.

An import whose loads are stored in both units (a file with a unit per row) is never re-read here: afterwards
all would be one unit, and re-reading back would change the sets that were right. Undo it and import it again
with the unit chosen instead.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import ConfigError, NotFound
from .importers.unitcheck import MIN_LOADS
from .models import LB_TO_KG
from .store import Store
from .units import infer_unit, plausibility_of_rows

Unit = Literal["kg", "lb"]
OTHER: dict[str, Unit] = {"kg": "lb", "lb": "kg"}


class ImportUnit(BaseModel):
    """One import's loads: how many sets per stored unit, its one unit (None when mixed or unloaded), and the
    doubt about it (the evidence, in words) with the unit the loads look like."""

    import_id: int
    sets: dict[str, int] = Field(default_factory=dict)
    unit: Unit | None = None
    looks_like: Unit | None = None
    doubt: list[str] = Field(default_factory=list)

    @property
    def mixed(self) -> bool:
        return len(self.sets) > 1


class Reread(BaseModel):
    """What re-reading one import's loads from `from_unit` as `to_unit` changes (or changed): the sets, and the
    heaviest load before and after in kg (the number as logged stays)."""

    import_id: int
    from_unit: Unit
    to_unit: Unit
    sets: int
    top_exercise: str | None = None
    top_logged: float | None = None  # the number as logged: unchanged by the re-read
    top_kg_before: float | None = None
    top_kg_after: float | None = None


def _kg(number: float, unit: str) -> float:
    return round(number * LB_TO_KG, 4) if unit == "lb" else number


def _loads(store: Store, athlete_id: int, import_id: int | None = None) -> list[tuple]:
    """(import_id, exercise, weight as logged, unit, weight_kg, reps, note) of the athlete's loaded imported sets."""
    q = ("SELECT st.import_id, st.exercise, st.weight, st.unit, st.weight_kg, st.reps, st.note FROM sets st"
         " JOIN sessions se ON st.session_id = se.id WHERE se.athlete_id = ? AND st.import_id IS NOT NULL"
         " AND st.weight IS NOT NULL AND st.weight > 0 AND st.unit IN ('kg', 'lb')")
    args: list = [athlete_id]
    if import_id is not None:
        q += " AND st.import_id = ?"
        args.append(import_id)
    return [tuple(r) for r in store.conn.execute(q, args).fetchall()]


def import_units(store: Store, athlete: str) -> dict[int, ImportUnit]:
    """Every import of `athlete` that still holds loaded sets, by id: its unit and the unit check's doubt."""
    a = store.get_athlete(athlete)
    assert a.id is not None
    by_import: dict[int, list[tuple]] = defaultdict(list)
    for row in _loads(store, a.id):
        by_import[row[0]].append(row)
    return {iid: _check(iid, rows, athlete, a.body_mass_kg) for iid, rows in sorted(by_import.items())}


def _check(import_id: int, rows: list[tuple], athlete: str, body_mass_kg: float | None) -> ImportUnit:
    counts = Counter(r[3] for r in rows)
    out = ImportUnit(import_id=import_id, sets=dict(sorted(counts.items())))
    if len(counts) != 1:
        return out
    unit: Unit = next(iter(counts))  # type: ignore[assignment]
    out.unit = unit
    notes = [r[6] for r in rows if r[6]]
    if len(rows) >= MIN_LOADS:  # fewer loads are too few to doubt (the import's own check's bound)
        reading = infer_unit([(r[1], r[2]) for r in rows], notes=notes, body_mass_kg=body_mass_kg)
        if reading.unit != unit and reading.confidence == "high":
            out.looks_like = reading.unit
            out.doubt += reading.evidence[:3]
    for flag in plausibility_of_rows(((r[1], r[4], r[5], r[3]) for r in rows), athlete, body_mass_kg=body_mass_kg):
        out.looks_like = "lb"  # only kg loads are checked: too heavy as kg
        out.doubt.append(f"{flag.exercise}: {flag.reason}")
    return out


def reread_preview(store: Store, athlete: str, import_id: int, to_unit: str) -> Reread:
    """What re-reading `import_id`'s loads as `to_unit` would change; refused (ConfigError/NotFound naming the
    field) for another athlete's import, an undone one, one already in `to_unit`, or one in both units."""
    if to_unit not in OTHER:
        raise ConfigError(f"unit {to_unit[:20]!r} is not kg or lb", place="unit", hint="kg or lb")
    a = store.get_athlete(athlete)
    assert a.id is not None
    row = next((r for r in store.imports(a.id) if r["id"] == import_id), None)
    if row is None:
        raise NotFound(f"import {import_id} is not one of {athlete}'s imports", place="import")
    if row["undone_at"]:
        raise ConfigError(f"import {import_id} was undone at {row['undone_at'][:19]}; it holds no loads to re-read",
                          place="import")
    rows = _loads(store, a.id, import_id)
    counts = Counter(r[3] for r in rows)
    src = OTHER[to_unit]
    if not rows:
        raise ConfigError(f"import {import_id} holds no loads (body weight or timed sets only); nothing to re-read",
                          place="import")
    if len(counts) > 1:
        raise ConfigError(
            f"import {import_id} holds loads in both units ({counts['kg']} sets in kg, {counts['lb']} in lb); "
            "re-reading one side could not be undone exactly, so nothing was changed", place="import",
            hint="undo the import and import the file again with the unit chosen")
    if src not in counts:
        raise ConfigError(f"import {import_id}'s loads are already in {to_unit}; nothing was changed", place="unit")
    top = max(rows, key=lambda r: (r[4] or 0.0, r[2]))
    return Reread(import_id=import_id, from_unit=src, to_unit=to_unit, sets=len(rows),  # type: ignore[arg-type]
                  top_exercise=top[1], top_logged=top[2], top_kg_before=top[4], top_kg_after=_kg(top[2], to_unit))


def reread_import(store: Store, athlete: str, import_id: int, to_unit: str) -> Reread:
    """Re-read `import_id`'s loads as `to_unit` (`Store.reunit` on that import only), after `reread_preview`'s
    checks; re-reading as the other unit undoes it. Returns what changed."""
    plan = reread_preview(store, athlete, import_id, to_unit)
    a = store.get_athlete(athlete)
    assert a.id is not None
    changed = store.reunit(a.id, plan.from_unit, plan.to_unit, import_id=import_id)
    if not changed:  # another request re-read it between the check and the write
        raise ConfigError(f"import {import_id}'s loads are already in {to_unit}; nothing was changed", place="unit")
    return plan.model_copy(update={"sets": changed})


class LogReread(BaseModel):
    """What re-reading every load of the athlete stored as `from_unit` (from `since` on) as `to_unit` changes (or
    changed): the sets, their first and last day, and the heaviest load before and after in kg."""

    from_unit: Unit
    to_unit: Unit
    since: dt.date | None = None
    sets: int
    first_day: dt.date
    last_day: dt.date
    top_exercise: str
    top_logged: float
    top_kg_before: float
    top_kg_after: float


def reunit_preview(store: Store, athlete: str, to_unit: str, since: dt.date | None = None) -> LogReread:
    """What `peri import reunit --from OTHER --to TO_UNIT [--since DAY]` would change, before anything is
    written; refused naming the field when there are no loads in the other unit, or when the days hold loads in
    both units (re-reading back would then change the ones that were right: choose a later `since`)."""
    if to_unit not in OTHER:
        raise ConfigError(f"unit {to_unit[:20]!r} is not kg or lb", place="unit", hint="kg or lb")
    src = OTHER[to_unit]
    a = store.get_athlete(athlete)
    q = ("SELECT st.exercise, st.weight, st.unit, st.weight_kg, se.started_at FROM sets st JOIN sessions se"
         " ON st.session_id = se.id WHERE se.athlete_id = ? AND st.weight IS NOT NULL AND st.unit IN ('kg', 'lb')")
    args: list = [a.id]
    if since is not None:  # as `Store.reunit` selects the days
        q += " AND se.started_at >= ?"
        args.append(since.isoformat())
    rows = [tuple(r) for r in store.conn.execute(q, args).fetchall()]
    mine = [r for r in rows if r[2] == src]
    after = f" on or after {since}" if since else ""
    if not mine:
        raise ConfigError(f"{athlete} has no loads stored in {src}{after}; nothing to re-read",
                          place="since" if since else "unit")
    other = len(rows) - len(mine)
    if other:
        raise ConfigError(
            f"{athlete}'s loads{after} are in both units ({len(mine)} sets in {src}, {other} in {to_unit}); "
            f"re-reading the {src} ones could not be undone exactly, so nothing was changed", place="since",
            hint="choose the day the wrong unit began, or re-read one import at a time")
    top = max(mine, key=lambda r: (r[3] or 0.0, r[1]))
    days = sorted(str(r[4])[:10] for r in mine)
    return LogReread(from_unit=src, to_unit=to_unit, since=since, sets=len(mine),  # type: ignore[arg-type]
                     first_day=dt.date.fromisoformat(days[0]), last_day=dt.date.fromisoformat(days[-1]),
                     top_exercise=top[0], top_logged=top[1], top_kg_before=top[3], top_kg_after=_kg(top[1], to_unit))


def reunit_log(store: Store, athlete: str, to_unit: str, since: dt.date | None = None) -> LogReread:
    """Re-read the athlete's loads (from `since` on) as `to_unit` through `Store.reunit`, after `reunit_preview`'s
    checks; the same with the units swapped undoes it. Returns what changed."""
    plan = reunit_preview(store, athlete, to_unit, since)
    a = store.get_athlete(athlete)
    assert a.id is not None
    changed = store.reunit(a.id, plan.from_unit, plan.to_unit, since)
    if not changed:
        raise ConfigError(f"{athlete}'s loads are already in {to_unit}; nothing was changed", place="unit")
    return plan.model_copy(update={"sets": changed})
