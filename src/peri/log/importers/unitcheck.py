"""A file's stated unit doubted where its own loads say the other one (`peri.log.units.infer_unit`).

A header or unit column says kg, but a person who typed pounds into a kg account (Strong, Fitbod, Hevy keep
the account's unit and the person's numbers) logs 135 / 225 / 315 / 405 on the bar, steps of 5 and an empty
bar of 45. Stated units are never converted: the import keeps what the file says, and the report SAYS, with
the evidence, that the loads look like the other unit and how to re-import them as such. Only strong evidence
speaks (`infer_unit`'s high confidence, as it would read the numbers with no unit at all): a kilogram lifter's
loads in 5s, without the pound landmarks' dwelling and the 45 bar, never do.
"""

from __future__ import annotations

from collections import defaultdict

from .base import EXERCISE, NOTE, UNIT, WEIGHT, ParsedFile

MIN_LOADS = 20  # fewer stated loads than this are too few to doubt the file
# A lift's top load from one session to the next (at most SWITCH_DAYS apart) across a change of stated unit:
# honest units move the number by the factor 2.2 (100 kg -> 225 lb); a number that carries on within
# CONTINUES of the last (100 kg -> 102.5 "lb") says one side's unit is wrong. Said when MIN_SWITCHES lifts show it.
SWITCH_DAYS = 21
CONTINUES = 0.15
MIN_SWITCHES = 2


def doubt_stated_units(parsed: ParsedFile, forced: str | None, header: list[str] | None = None) -> str | None:
    """The report's warning when the loads a file states in one unit read, by their own evidence, as the other
    with high confidence; None otherwise (and always for units given by --unit). `header`: the file's columns,
    to name its weight column in the re-import."""
    from ..units import infer_unit

    if forced or parsed.unit is None or parsed.unit.source != "stated":
        return None
    by_unit: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for s in parsed.sessions:
        for w in s.sets:
            if w[UNIT] in ("kg", "lb") and w[WEIGHT] is not None and w[WEIGHT] > 0:
                by_unit[w[UNIT]].append((w[EXERCISE], w[WEIGHT]))
    notes = [w[NOTE] for s in parsed.sessions for w in s.sets if w[NOTE]] + [s.notes for s in parsed.sessions if s.notes]
    said = []
    for unit, loads in sorted(by_unit.items()):
        if len(loads) < MIN_LOADS:
            continue
        reading = infer_unit(loads, notes=notes)
        if reading.unit != unit and reading.confidence == "high":
            other = reading.unit
            said.append(
                f"the file states {unit} for {len(loads)} loads, but they look like {other}: "
                + "; ".join(reading.evidence[:3])
                + f". They were stored as {unit}, as stated; if they are {other}, `peri import reunit --athlete NAME "
                f"--from {unit} --to {other}` re-reads them once imported (the numbers as logged are kept; swapping "
                f"--from and --to undoes it), or undo this import (`peri import undo`) and re-import with the weight "
                f"column read without its unit (`peri import csv FILE --map '{_weight_column(header)}=weight' "
                f"--unit {other}`)")
    switched = _numbers_carry_on(parsed)
    if switched:
        said.append(switched)
    return "; ".join(said) or None


def _numbers_carry_on(parsed: ParsedFile) -> str | None:
    """The report's line when, in MIN_SWITCHES lifts or more, the stated unit changes between two close sessions
    and the load's number carries on as if it had not (see SWITCH_DAYS), naming the first with its lines."""
    top: dict[str, list[tuple[object, float, str, int]]] = defaultdict(list)  # lift -> (when, load, unit, line)
    for s in parsed.sessions:
        best: dict[str, tuple[float, str]] = {}
        for w in s.sets:
            if w[UNIT] in ("kg", "lb") and w[WEIGHT] is not None and w[WEIGHT] > 0:
                if w[EXERCISE] not in best or w[WEIGHT] > best[w[EXERCISE]][0]:
                    best[w[EXERCISE]] = (w[WEIGHT], w[UNIT])
        for ex, (load, unit) in best.items():
            top[ex].append((s.started_at, load, unit, s.line))
    found = []
    for ex, seq in top.items():
        seq.sort(key=lambda t: t[0])
        for (d0, a, u0, l0), (d1, b, u1, l1) in zip(seq, seq[1:]):
            if u0 != u1 and (d1 - d0).days <= SWITCH_DAYS and abs(b / a - 1) <= CONTINUES:
                found.append(f"{ex}: {a:g} {u0} (line {l0}) then {b:g} {u1} (line {l1})")
                break
    if len(found) < MIN_SWITCHES:
        return None
    return (f"the stated unit changes between close sessions while the loads carry on as if it had not, in "
            f"{len(found)} lifts ({'; '.join(found[:3])}): one side's unit looks wrong (pounds are 2.2 times the "
            "number of kilograms). Stored as stated; check those rows, and re-import them with the right unit")


def _weight_column(header: list[str] | None) -> str:
    """The file's weight column by its name ("Weight (kg)", "weight_kg"), else COLUMN for the person to fill in."""
    from .dialect import fold, generic_field

    for h in header or []:
        if generic_field(h) in ("weight_kg", "weight_lb", "weight") or fold(h).startswith("weight"):
            return h.replace("'", "")
    return "COLUMN"
