"""peri.log.units: the weight unit inferred from evidence (with hand-worked conversions), weak evidence stops
the import before anything is written, and the plausibility check flags pounds stored as kilograms."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from peri.errors import ConfigError
from peri.log.importers import import_file, parse_file
from peri.log.models import Athlete, Session, WorkoutSet
from peri.log.units import infer_unit, plausibility


def test_hand_worked_conversions():
    # 225 lb = 225 x 0.45359237 = 102.05828 kg; 20 kg = 44.0925 lb
    assert 225 * 0.45359237 == pytest.approx(102.058, abs=1e-3)
    r = infer_unit([("Squat", 102.058)] * 8 + [("Bench", 61.235)] * 4)  # 225 lb, 135 lb stored as kg
    assert r.unit == "kg"  # the numbers ARE kilograms (converted from round pound loads)
    r = infer_unit([("Squat", 44.0925)] * 8 + [("Bench", 88.185)] * 4)  # 20 kg, 40 kg written in lb
    assert r.unit == "lb"


def test_plate_arithmetic():
    lb = infer_unit([("Squat", w) for w in (135, 185, 225, 225, 275, 315, 315, 135, 95, 225)])
    assert lb.unit == "lb" and not lb.weak
    kg = infer_unit([("Squat", w) for w in (22.5, 42.5, 62.5, 102.5, 61.25, 16, 24, 32, 12, 14, 47.5)])
    assert kg.unit == "kg" and not kg.weak
    assert any("2.5 steps" in e for e in kg.evidence)


def test_weak_evidence_is_weak():
    assert infer_unit([("Squat", 100.0), ("Bench", 60.0)]).weak
    assert infer_unit([]).weak


def test_human_ceiling_and_body_mass():
    r = infer_unit([("Deadlift (Barbell)", 600.0)])
    assert r.unit == "lb" and any("beyond any human" in e for e in r.evidence)
    r = infer_unit([("Bench Press", 250.0), ("Bench Press", 240.0)], body_mass_kg=80)
    assert r.unit == "lb"


def _strip_unit(shared: Path, tmp: Path, name: str, delim: str, drop: str | None = None,
                rename: dict[str, str] | None = None) -> Path:
    with (shared / "exports" / name).open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=delim))
    if drop:
        i, n = rows[0].index(drop), len(rows[0])
        rows = [r[: i + len(r) - n] + r[i + len(r) - n + 1:] if len(r) >= n else r for r in rows]
    if rename:
        rows[0] = [rename.get(c, c) for c in rows[0]]
    out = tmp / name
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delim).writerows(rows)
    return out


def test_strong_ios_plain_weight_is_inferred_lb(shared_data: Path):
    p = parse_file("strong", shared_data / "exports" / "strong-ios.csv")
    assert p.unit.unit == "lb" and p.unit.source == "inferred" and p.unit.confidence == "high"


@pytest.mark.parametrize("fmt, name, delim, drop, rename, unit", [
    ("strong", "strong-android.csv", ";", "Weight Unit", None, "lb"),
    ("fitnotes", "fitnotes.csv", ",", "Weight Unit", None, "kg"),
    ("hevy", "hevy.csv", ",", None, {"weight_kg": "weight"}, "kg"),
])
def test_unit_column_removed_is_inferred(shared_data, tmp_path, fmt, name, delim, drop, rename, unit):
    p = parse_file(fmt, _strip_unit(shared_data, tmp_path, name, delim, drop, rename))
    assert p.unit.unit == unit and p.unit.source == "inferred" and not p.unit.weak
    full = parse_file(fmt, shared_data / "exports" / name)
    assert p.set_count == full.set_count
    got = [w[5] for s in p.sessions for w in s.sets]
    want = [w[5] for s in full.sessions for w in s.sets]
    assert got == pytest.approx(want, abs=1e-3)


def test_tiny_ambiguous_file_stops_before_writing(store, tmp_path: Path):
    store.add_athlete(Athlete(name="ana"))
    path = tmp_path / "tiny.csv"
    path.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes\n"
                    "2024-05-01 18:00:00,Legs,Squat,1,100,5,0,0,,\n2024-05-01 18:00:00,Legs,Squat,2,100,5,0,0,,\n")
    dump = store.dump()
    with pytest.raises(ConfigError, match="--unit kg or --unit lb"):
        import_file(store, "ana", "strong", path, map_exercise=str.lower)
    assert store.dump() == dump
    r = import_file(store, "ana", "strong", path, map_exercise=str.lower, mapping={"unit": "lb"})
    assert r.unit == "lb" and r.unit_source == "option" and r.sets_new == 2
    w = store.sessions(store.get_athlete("ana").id)[0].sets[0]
    assert w.weight == 100 and w.weight_kg == pytest.approx(45.359, abs=1e-3)



def test_plausibility_hand_worked():
    # 315 lb x 10 logged as kg: Epley 315 x (1 + 10/30) = 420 kg bench, beyond the ~360 kg bench record
    s = Session(started_at=dt.datetime(2024, 1, 1), sets=[
        WorkoutSet(exercise="Bench Press (Barbell)", weight=315, unit="kg", weight_kg=315, reps=10)])
    (flag,) = plausibility([s], "ana")
    assert flag.e1rm_kg == pytest.approx(420.0) and flag.limit_kg == 360
    assert flag.command == "peri import reunit --athlete ana --from kg --to lb"
    ok = Session(started_at=dt.datetime(2024, 1, 1), sets=[
        WorkoutSet(exercise="Bench Press (Barbell)", weight=315, unit="lb", weight_kg=142.88, reps=10)])
    assert plausibility([ok], "ana") == []


def test_the_same_lift_over_time():
    # a squat progressing 100, 102.5, 105, 107.5, 110 (kg microloading) vs 135, 140, 145, 150 (5 lb jumps)
    kg = infer_unit([("Squat", w) for w in (100, 105, 110, 115, 120)] + [("Squat", 102.5)])
    assert any("1-2.5 steps" in e for e in kg.evidence)
    lb = infer_unit([("Squat", w) for w in (135, 140, 145, 150, 155)])
    assert any("5 steps" in e for e in lb.evidence) and lb.unit == "lb"


def test_unit_words_in_notes_decide_an_otherwise_silent_file():
    loads = [("Squat", 100.0), ("Bench", 60.0), ("Row", 70.0)]
    assert infer_unit(loads).weak
    r = infer_unit(loads, notes=["added 5 kg since last week", "100kg felt easy", "next: 105 kg"] * 3)
    assert r.unit == "kg" and not r.weak and any("notes name kg" in e for e in r.evidence)
    r = infer_unit(loads, notes=["hit 225lbs", "315 lbs next"] * 4)
    assert r.unit == "lb" and not r.weak


def test_plausibility_against_body_mass():
    # 200 kg bench x 1 by a 60 kg athlete: 3.3x body mass (no human ceiling crossed: 200 < 360)
    s = Session(started_at=dt.datetime(2024, 1, 1), sets=[
        WorkoutSet(exercise="Bench Press (Barbell)", weight=200, unit="kg", weight_kg=200, reps=1)])
    assert plausibility([s], "ana") == []
    (flag,) = plausibility([s], "ana", body_mass_kg=60)
    assert "3.3x the stated body mass" in flag.reason


def _progression(name: str, start: float, step: float, sessions: int, sets: int = 3) -> list[tuple[str, float]]:
    """`sets` sets a session, the load rising by `step` every second session."""
    return [(name, start + step * (i // 2)) for i in range(sessions) for _ in range(sets)]


def test_a_landmark_counts_only_where_the_log_dwells_on_it():
    # a kg lifter moving in 5s passes 95 and 135 as often as 90, 100, 130, 140: no pound evidence there.
    # bench 40..110 and squat 60..130 (6 sets at each load): 95 is logged 12 times, its neighbours 85, 90, 100,
    # 105 12 times each - no dwelling, no points
    loads = _progression("Squat (Barbell)", 60, 5, 30) + _progression("Bench Press (Barbell)", 40, 5, 30)
    r = infer_unit(loads)
    assert not any("landmarks" in e for e in r.evidence)
    assert r.weak  # 5 kg steps alone do not tell: the import asks for --unit rather than guess pounds
    # a pound lifter warming up on 135 every session: 135 logged 30 times, 130/140 six times each
    lb = infer_unit(loads + [("Squat (Barbell)", 135.0)] * 24)
    assert any(e.startswith("loads on the 45 lb bar-and-plate landmarks") for e in lb.evidence)


def test_the_empty_bar_tells_the_unit():
    # warm-ups on the empty bar, 30 sets each, far below working loads 150..220 / 110..180: 20 is the kg bar
    work = _progression("Squat (Barbell)", 150, 10, 30) + _progression("Bench Press (Barbell)", 110, 10, 30)
    kg = infer_unit([(e, 20.0) for e in ("Squat (Barbell)", "Bench Press (Barbell)") for _ in range(30)] + work)
    # two lifts x 3 points
    assert "2 barbell lifts start from 20, the empty 20 kg bar, far below their working loads (6 points for kg)" \
        in kg.evidence
    lb = infer_unit([(e, 45.0) for e in ("Squat (Barbell)", "Bench Press (Barbell)") for _ in range(30)] + work)
    assert (lb.unit, lb.confidence, lb.lb_points) == ("lb", "medium", 6.0)
    # a dumbbell press at 20 is no bar; a lift whose working load is 45 (45 <= 0.5 x 45 fails) is no warm-up
    no_bar = infer_unit([("Dumbbell Bench Press", 20.0)] * 5 + [("Dumbbell Bench Press", 40.0)] * 5
                        + [("Bench Press (Barbell)", 45.0)] * 5 + [("Bench Press (Barbell)", 50.0)] * 5)
    assert not any("empty" in e for e in no_bar.evidence)


def test_five_steps_are_one_lifters_plates_however_many_lifts():
    # ten lifts, each over the loads 40, 45, 50, 55 (no landmark among them): a kilogram lifter with 2.5 kg
    # plates logs the same - the sign counts once, capped at 3 points, not 10
    loads = [(f"Lift {i}", 40.0 + 5 * k) for i in range(10) for k in range(4)]
    r = infer_unit(loads)
    assert "lifts progressing in 5 steps (the smallest pound plate pair) (3 points for lb)" in r.evidence
    assert r.lb_points == 3.0 and r.weak  # 3 points alone never decide a file: the import asks for --unit
    # the same with the 20 kg bar as each barbell lift's repeated warm-up: kilograms
    bar = [(f"Barbell Lift {i}", 40.0 + 5 * k) for i in range(4) for k in range(4)]
    bar += [(f"Barbell Lift {i}", 20.0) for i in range(4) for _ in range(3)]
    r = infer_unit(bar)
    # 4 lifts x 3 points for the empty bar = 12 kg; 3 lb: margin 9/15 = 0.6, total 15 < 18 -> medium
    assert (r.unit, r.confidence, r.kg_points, r.lb_points) == ("kg", "medium", 12.0, 3.0)
