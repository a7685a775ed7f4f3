"""Sets a program prescribed and the lifter did not do: rows left out, counted, never stored as sets.

Program apps export every set the program prescribed, done or not: Liftosaur's "Export history to CSV file" writes
`Required Reps` / `Required Weight Value` (the prescription) beside `Completed Reps` / `Completed Weight Value`
(what was done), and a set not done has its Completed cells empty (astashov/liftosaur src/models/history.ts
History_exportAsCSV and src/utils/importFromLiftosaur.ts@baeb43430f4f2eb18cddce06fa29641fba3d6848: a set is
completed when its completed reps, weight or RPE is there); LiftLog's export writes `TargetReps` beside `Reps`.
The generic reader reads the done columns by their names and leaves the prescription unread, so such a row
would read as a set of unknown reps and load - a set that never happened, counted in every weekly volume.

For a log read by its column names whose header has an unread prescription column (its folded name is
`required`, `target`, `planned`, `prescribed`, `assigned` or `goal` and then what a set logs: `Required Reps`,
`TargetReps`, `Required Weight Value`; not `Target Muscles`), a row whose prescription is filled and whose
every performed cell (reps, loads, RPE, RIR, seconds, distance, sets) is empty is left out; the report counts
them with the first line. Where the reader itself reads the prescription (TurnKey's `assigned_reps`, read where
nothing was recorded, as that app means it: `planned_reps` in the vocabulary), or a `--map` is given, nothing
is left out here.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .base import Table

PRESCRIPTION_WORDS = ("required", "target", "planned", "prescribed", "assigned", "goal")
PERFORMED = {"reps", "weight", "weight_kg", "weight_lb", "rpe", "rir", "seconds", "distance", "distance_m",
             "distance_km", "distance_mi", "logs", "sets"}
# what a set logs, as the first word after the prescription word
LOGGED_WORDS = {"reps", "rep", "repetitions", "weight", "load", "rpe", "rir", "sets", "seconds", "duration",
                "distance", "time"}
READ_PRESCRIPTION = {"planned_reps", "planned_weight", "planned_sets"}


@dataclass
class Undone:
    path: str
    count: int = 0
    first: int = 0
    columns: str = ""

    def note(self) -> str | None:
        if not self.count:
            return None
        return (f"{self.count} sets prescribed and not done (a prescription under {self.columns}, nothing under the "
                f"columns of what was done) were left out, never stored as sets; first at {self.path}:{self.first}")


def drop_undone(fmt: str, table: Table, mapped: bool = False) -> Undone | None:
    """Wrap `table.rows` to leave out the sets prescribed and not done (see the module docstring); None where
    this does not apply (the rows left as they are)."""
    from .dialect import fold, generic_field

    if fmt != "csv" or mapped:
        return None
    fields = [generic_field(h) for h in table.header]
    if READ_PRESCRIPTION & set(fields):
        return None
    performed = [i for i, f in enumerate(fields) if f in PERFORMED]
    planned = [i for i, (h, f) in enumerate(zip(table.header, fields)) if f is None and _prescribes(fold(h))]
    if not performed or not planned:
        return None
    undone = Undone(table.path, columns=", ".join(repr(table.header[i]) for i in planned[:3]))
    table.rows = _drop(table.rows, performed, planned, undone)
    return undone


def _prescribes(name: str) -> bool:
    """"required reps", "target weight value", "targetreps": a prescription word and then what a set logs (not
    Liftosaur's "Target Muscles")."""
    for word in PRESCRIPTION_WORDS:
        if name.startswith(word):
            rest = name[len(word):].lstrip(" _-").split(" ")[0]
            return rest in LOGGED_WORDS
    return False


def _drop(rows: Iterator[tuple[int, list[str]]], performed: list[int], planned: list[int],
          undone: Undone) -> Iterator[tuple[int, list[str]]]:
    for line, row in rows:
        def filled(i: int) -> bool:
            return i < len(row) and bool(row[i].strip())

        if any(filled(i) for i in planned) and not any(filled(i) for i in performed):
            undone.count += 1
            undone.first = undone.first or line
            continue
        yield line, row
