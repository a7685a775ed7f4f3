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


# StrongLifts: one row per exercise, sets in "Set N (Reps)" / "Set N (KG)" groups (a wide sheet), the date column
# named with its format; a set not done is 0 reps beside the load the app filled in advance
STRONGLIFTS = ("Date (yyyy/mm/dd),Workout,Workout Name,Program Name,Body Weight (KG),Exercise,Sets×Reps,Sets×Time,"
               "Top Set (Reps×KG),e1RM (KG),Reps,Volume (KG),Workout Volume (KG),Duration (hours),Start Time (h:mm),"
               "End Time (h:mm),Notes,Set 1 (Reps),Set 1 (KG),Set 2 (Reps),Set 2 (KG),Set 3 (Reps),Set 3 (KG)\n"
               '2024/03/04,1,"Workout A","Stronglifts 5×5",80,"Squat",5/5/-,,5×60,69.5,10,600,920,0.75,6:02 PM,'
               '6:47 PM,"",5,60,5,60,0,60\n'
               '2024/03/04,1,"Workout A","Stronglifts 5×5",80,"Bench Press",5/5/4,,5×40,46.3,14,560,920,0.75,6:02 PM,'
               '6:47 PM,"",5,40,5,40,4,40\n'
               '2024/03/06,2,"Workout B","Stronglifts 5×5",80,"Deadlift",1×5,,5×80,92.6,5,400,400,0.5,6:10 PM,'
               '6:40 PM,"felt heavy",5,80,,,,\n')


@pytest.mark.parametrize("unit, factor", [("KG", 1.0), ("LB", LB)])
def test_stronglifts_export(ana: Store, tmp_path: Path, unit: str, factor: float) -> None:
    f = tmp_path / "stronglifts.csv"
    f.write_text(STRONGLIFTS.replace("(KG)", f"({unit})").replace("Reps×KG", f"Reps×{unit}"))
    r = import_file(ana, "ana", "auto", f)
    # squat 2 sets (the third, 0 reps at 60, was not done), bench 3, deadlift 1
    assert r.fmt == "csv" and (r.sessions_new, r.sets_new) == (2, 6)
    assert r.unit == unit.lower()
    rows = stored(ana)
    assert [(x[0].date(), x[1], x[2], x[3], x[5]) for x in rows] == [
        (dt.date(2024, 3, 4), "Workout A", "Squat", round(60 * factor, 4), 5),
        (dt.date(2024, 3, 4), "Workout A", "Squat", round(60 * factor, 4), 5),
        (dt.date(2024, 3, 4), "Workout A", "Bench Press", round(40 * factor, 4), 5),
        (dt.date(2024, 3, 4), "Workout A", "Bench Press", round(40 * factor, 4), 5),
        (dt.date(2024, 3, 4), "Workout A", "Bench Press", round(40 * factor, 4), 4),
        (dt.date(2024, 3, 6), "Workout B", "Deadlift", round(80 * factor, 4), 5)]
    assert any(w.startswith(f"1 sets of the wide sheet have 0 reps beside their load (first at {f}:2)")
               for w in r.warnings)
    assert any("'Date (yyyy/mm/dd)' as date" in w for w in r.warnings)


def test_a_name_with_a_bracketed_note_is_read_by_the_name_after_any_whole_name() -> None:
    from peri.log.importers.dialect import generic_match

    assert generic_match("Date (yyyy/mm/dd)")[0] == "date"
    assert generic_match("Notes (optional)")[0] == "note"
    # read whole first: "Weight (kg)" is its own name, and any name read whole outranks one read without brackets
    assert generic_match("Weight (kg)")[0] == "weight_kg"
    assert generic_match("Start Time (h:mm)")[1] > generic_match("Date")[1]
    assert generic_match("Top Set (Reps×KG)") is None and generic_match("Body Weight (KG)") is None


# LiftLog's plain-text export: a row per set stamped with its own time, the unit in a WeightUnit column
LIFTLOG = """SessionId,Timestamp,Exercise,Weight,WeightUnit,Reps,TargetReps,Notes
a1,2024-10-16T10:05:06,Squats,97.5,kg,8,8,
a1,2024-10-16T10:09:40,Squats,97.5,kg,7,8,
a1,2024-10-16T10:20:38,Bench Press,67.5,kg,12,12,felt easy
b2,2024-10-18T18:00:00,Squats,100,kg,,8,
b2,2024-10-18T18:04:00,Squats,100,kg,6,8,
"""


def test_liftlog_export(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "liftlog.csv"
    f.write_text(LIFTLOG)
    r = import_file(ana, "ana", "auto", f)
    assert r.fmt == "csv" and (r.sessions_new, r.sets_new) == (2, 5) and r.unit == "kg" and r.unit_source == "stated"
    rows = stored(ana)
    assert [x[0] for x in rows] == [dt.datetime(2024, 10, 16, 10, 5, 6)] * 3 + [dt.datetime(2024, 10, 18, 18)] * 2
    # the set whose reps cell is empty keeps its reps unknown: the target (8) is not taken for reps done
    assert [(x[2], x[3], x[5]) for x in rows] == [("Squats", 97.5, 8), ("Squats", 97.5, 7), ("Bench Press", 67.5, 12),
                                                  ("Squats", 100.0, None), ("Squats", 100.0, 6)]
    assert any("'WeightUnit' as unit" in w and "'TargetReps'" in w for w in r.warnings)


# TurnKey Coaching (Barbell Logic's platform): a row per exercise with what was assigned and what was done,
# sets counted in assigned_sets / actual_sets; column headings of a public importer's fixture
# (wayneschuller/strengthjourneys scripts/validate-import-contract.mjs @a9fdaf39a55920c10dff95dd4f93f6135e7942cc)
TURNKEY = """user_name,workout_id,workout_date,workout_completed,workout_type,workout_title,tonnage,assigned_exercise_missed,exercise_name,exercise_type,exercise_text,assigned_reps,assigned_reps_type,assigned_sets,assigned_sets_type,assigned_weight,assigned_weight_type,weight_type_value,weight_units,actual_reps,actual_sets,actual_weight
Jo,11,2024-04-01,TRUE,workout,Week 1 Day 1,2400,FALSE,Squat,resistance,,5,standard,3,standard,100,standard,,kg,,,
Jo,11,2024-04-01,TRUE,workout,Week 1 Day 1,2400,FALSE,Bench Press,resistance,,5,standard,3,standard,70,standard,,kg,4,2,72.5
Jo,11,2024-04-01,TRUE,workout,Week 1 Day 1,2400,TRUE,Deadlift,resistance,,5,standard,1,standard,140,standard,,kg,,,
Jo,12,2024-04-03,FALSE,workout,Week 1 Day 2,,FALSE,Squat,resistance,,5,standard,3,standard,102.5,standard,,kg,,,
"""

# Strength Journeys' own sheet export: `Date,Lift Type,Reps,Weight,Notes`, the unit in the load cell (same source)
STRENGTH_JOURNEYS = """Date,Lift Type,Reps,Weight,Notes
2026-03-02,Deadlift,3,150kg,Felt strong
2026-03-04,Back Squat,5,225lb,
"""


def test_turnkey_assigned_and_actual_sets(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "turnkey.csv"
    f.write_text(TURNKEY)
    r = import_file(ana, "ana", "auto", f)
    # the squat as assigned (nothing recorded: 3 x 5 @ 100), the bench as done (2 x 4 @ 72.5); the missed
    # deadlift and the workout never completed are no training
    assert r.fmt == "csv" and (r.sessions_new, r.sets_new) == (1, 5)
    day = dt.datetime(2024, 4, 1)
    assert [(w[2], w[3], w[5]) for w in stored(ana)] == [("Squat", 100.0, 5)] * 3 + [("Bench Press", 72.5, 4)] * 2
    assert {w[0] for w in stored(ana)} == {day}


def test_strength_journeys_sheet(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "sj.csv"
    f.write_text(STRENGTH_JOURNEYS)
    import_file(ana, "ana", "auto", f)
    assert [(w[0].date(), w[2], w[3], w[4], w[5]) for w in stored(ana)] == [
        (dt.date(2026, 3, 2), "Deadlift", 150.0, "kg", 3), (dt.date(2026, 3, 4), "Back Squat", round(225 * LB, 4), "lb", 5)]


def test_strong_ios_dates_with_a_narrow_space_before_pm(tmp_path: Path) -> None:
    """Newer Strong iOS exports write "2024-03-05 5:15:00\u202fPM" (the date format public Strong converters
    parse, "yyyy-MM-dd h:mm:ss\u202fa")."""
    from peri.log.importers import parse_file

    f = tmp_path / "strong.csv"
    f.write_text("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
                 '2024-03-05 5:15:00\u202fPM,"Push",1h 2m,"Bench Press (Barbell)",1,60,8,0,0,"","",\n'
                 '2024-03-07 7:01:00\u202fAM,"Pull",50m,"Deadlift (Barbell)",1,100,5,0,0,"","",\n', encoding="utf-8")
    p = parse_file("strong", f, mapping={"unit": "kg"})
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 3, 7, 7, 1)]
