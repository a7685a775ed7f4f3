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


def doubt_stated_units(parsed: ParsedFile, forced: str | None) -> str | None:
    """The report's warning when the loads a file states in one unit read, by their own evidence, as the other
    with high confidence; None otherwise (and always for units given by --unit)."""
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
                + f". They were stored as {unit}, as stated; if they are {other}, undo this import (`peri import undo`)"
                f" and re-import with the weight column read without its unit and --unit {other} (`peri import csv "
                f"FILE --map 'COLUMN=weight' --unit {other}`)")
    return "; ".join(said) or None
