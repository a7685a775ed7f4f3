"""Apps peri has no reader of its own for, in the layouts their exports were confirmed to have from public
sources (docs/importing.md lists each with its source): each file here is this project's own small log
written in that layout, imported through `auto` with the values worked out by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peri.log.importers import import_file
from peri.log.models import Athlete
from peri.log.store import Store

LB = 0.45359237

# MacroFactor's workout-history CSV: one row per set, loads in the column's unit, set types in words
MACROFACTOR = """date,workout,exercise,set type,reps,weight (lb),rir,duration
2024-03-04,Upper,Barbell Bench Press,Warmup Set,10,95,5,
2024-03-04,Upper,Barbell Bench Press,Standard Set,8,155,2,
2024-03-04,Upper,Barbell Bench Press,Standard Set,8-10,155,1,
2024-03-04,Upper,Lateral Raise,Drop Set,12,20,0,
2024-03-06,Lower,Barbell Back Squat,Standard Set,5,225,2,
"""

# flexRep: a row per set stamped with its own time of day, loads in kg (the file does not say so)
FLEXREP = """Date,Time,Exercise,Group,Equipment,Set Type,Weight,Reps,RPE,RIR,Notes
2026-05-19,06:14:03,Bench Press,Chest,Barbell,warmup,60,8,,,
2026-05-19,06:17:40,Bench Press,Chest,Barbell,working,102.05,5,7.5,2.5,"top set; bar speed clean"
2026-05-19,06:21:02,Bench Press,Chest,Barbell,working,102.05,5,8,2,
2026-05-19,06:30:11,Barbell Row,Back,Barbell,working,80,8,7,3,
2026-05-21,18:02:00,Squat,Legs,Barbell,working,140,5,8,2,
"""


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def stored(store: Store) -> list[tuple]:
    a = store.get_athlete("ana")
    return [(s.started_at, s.name, w.exercise, w.weight_kg, w.unit, w.reps, w.rir, w.set_type.value)
            for s in store.sessions(a.id) for w in s.sets]


def test_macrofactor_workout_history(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "macrofactor.csv"
    f.write_text(MACROFACTOR)
    r = import_file(ana, "ana", "auto", f)
    assert r.fmt == "csv" and (r.sessions_new, r.sets_new) == (2, 5) and r.unit == "lb"
    mon, wed = dt.datetime(2024, 3, 4), dt.datetime(2024, 3, 6)
    assert stored(ana) == [
        (mon, "Upper", "Barbell Bench Press", round(95 * LB, 4), "lb", 10, 5.0, "warmup"),
        (mon, "Upper", "Barbell Bench Press", round(155 * LB, 4), "lb", 8, 2.0, "normal"),
        (mon, "Upper", "Barbell Bench Press", round(155 * LB, 4), "lb", 8, 1.0, "normal"),  # "8-10": its lower end
        (mon, "Upper", "Lateral Raise", round(20 * LB, 4), "lb", 12, 0.0, "drop"),
        (wed, "Lower", "Barbell Back Squat", round(225 * LB, 4), "lb", 5, 2.0, "normal"),
    ]
    # every set type is a word peri knows: no "unknown set type" in the report
    assert not [w for w in r.warnings if "set_type peri does not know" in w]


def test_flexrep_export(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "flexrep.csv"
    f.write_text(FLEXREP)
    r = import_file(ana, "ana", "auto", f, mapping={"unit": "kg"})
    assert r.fmt == "csv" and (r.sessions_new, r.sets_new) == (2, 5)
    rows = stored(ana)
    # the sets of 19 May, stamped 06:14 to 06:30, are one session starting at its first set
    assert [x[0] for x in rows] == [dt.datetime(2026, 5, 19, 6, 14, 3)] * 4 + [dt.datetime(2026, 5, 21, 18, 2)]
    assert [(x[2], x[3], x[5], x[7]) for x in rows] == [
        ("Bench Press", 60.0, 8, "warmup"), ("Bench Press", 102.05, 5, "normal"), ("Bench Press", 102.05, 5, "normal"),
        ("Barbell Row", 80.0, 8, "normal"), ("Squat", 140.0, 5, "normal")]
    assert any("'Group', 'Equipment'" in w for w in r.warnings)  # listed as not read
