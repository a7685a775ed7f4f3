"""The generic CSV reader's `parse` pinned down where mutmut found it loose (issue 20, mutation7b): small files
written here, every expected value worked out by hand (225 lb = 102.0583 kg), every message word for word."""
from __future__ import annotations

from peri.log.importers import base
from peri.log.importers.generic_csv import GenericCsvImporter, load_mapping


def _generic(text: str, mapping: dict | None = None, name: str = "g.csv") -> base.ParsedFile:
    return GenericCsvImporter().parse(base.read_table(name, data=text.encode()), load_mapping(mapping or {}))


def _sets(p: base.ParsedFile) -> list[tuple]:
    """(exercise, order, weight, unit, kg, reps) of every set, session by session."""
    return [(w[0], w[2], w[3], w[4], w[5], w[6]) for s in p.sessions for w in s.sets]


def test_pounds_in_a_weight_lb_column() -> None:
    p = _generic("Date,Exercise,Weight (lb),Reps\n2024-03-04,Squat,225,5\n2024-03-04,Squat,45,8\n",
                 {"columns": {"Weight (lb)": "weight_lb"}})
    # 225 lb = 225 x 0.45359237 = 102.05828 kg; 45 lb = 20.41166 kg (four decimals kept)
    assert _sets(p) == [("Squat", 1, 225.0, "lb", 102.0583, 5), ("Squat", 2, 45.0, "lb", 20.4117, 8)]
