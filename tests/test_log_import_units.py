"""peri.log.import_units, the library under the web's Imports page: each import's stored unit and the unit check's
doubt, what re-reading one import in the other unit changes (hand-worked: 315 lb = 142.8816 kg), the re-read and
the re-read back (the store restored exactly), and every refusal naming its field. Runs on SQLite and, in the
second pass of scripts/test.sh, on PostgreSQL (the module queries the store's connection itself)."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.errors import ConfigError, NotFound
from peri.log.import_units import import_units, reread_import, reread_preview
from peri.log.importers import import_file
from peri.log.models import Athlete
from peri.log.store import Store

HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
# a pound lifter's landmarks: the 45 lb bar, then 135 / 225 / 315
LIFTS = {"Squat (Barbell)": (45, 135, 185, 225, 245), "Bench Press (Barbell)": (45, 95, 135, 155, 185),
         "Deadlift (Barbell)": (135, 225, 275, 315)}
DAYS = ["2024-03-04", "2024-03-06", "2024-03-08", "2024-03-11", "2024-03-13"]


def pounds_log(path: Path, days: list[str] = DAYS) -> Path:
    rows = [f'{d} 18:00:00,"Day",1h,"{ex}",{i + 1},{w},5,0,0,"",,\n'
            for d in days for ex, loads in LIFTS.items() for i, w in enumerate(loads)]
    path.write_text(HEADER + "".join(rows))
    return path


def imported(store: Store, path: Path, unit: str) -> int:
    rep = import_file(store, "lee", "strong", path, mapping={"unit": unit}, create_athlete=True)
    return rep.import_id


def test_a_pound_log_read_as_kg_is_doubted_and_one_read_as_lb_is_not(store: Store, tmp_path: Path) -> None:
    wrong = imported(store, pounds_log(tmp_path / "a.csv"), "kg")
    right = imported(store, pounds_log(tmp_path / "b.csv", ["2024-04-01", "2024-04-03"]), "lb")
    units = import_units(store, "lee")
    assert set(units) == {wrong, right}
    assert units[wrong].unit == "kg" and units[wrong].sets == {"kg": 70} and units[wrong].looks_like == "lb"
    assert units[wrong].doubt and not units[wrong].mixed
    assert units[right].unit == "lb" and units[right].sets == {"lb": 28}
    assert units[right].looks_like is None and units[right].doubt == []


def test_the_preview_says_what_changes_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    iid = imported(store, pounds_log(tmp_path / "a.csv"), "kg")
    before = store.dump()
    p = reread_preview(store, "lee", iid, "lb")
    assert store.dump() == before
    assert (p.from_unit, p.to_unit, p.sets) == ("kg", "lb", 70)
    assert (p.top_exercise, p.top_logged, p.top_kg_before) == ("Deadlift (Barbell)", 315, 315)
    assert p.top_kg_after == pytest.approx(142.8816, abs=1e-4)  # 315 x 0.45359237


def test_a_reread_changes_every_load_and_reading_back_restores_the_store(store: Store, tmp_path: Path) -> None:
    iid = imported(store, pounds_log(tmp_path / "a.csv"), "kg")
    before = store.dump()
    done = reread_import(store, "lee", iid, "lb")
    assert done.sets == 70
    kg = {(w.exercise, w.weight): (w.unit, w.weight_kg)
          for s in store.sessions(store.get_athlete("lee").id) for w in s.sets if w.weight}
    assert kg[("Deadlift (Barbell)", 315)] == ("lb", pytest.approx(142.8816, abs=1e-4))
    assert kg[("Squat (Barbell)", 45)] == ("lb", pytest.approx(20.4117, abs=1e-4))  # the 45 lb bar
    assert import_units(store, "lee")[iid].doubt == []  # read right now
    back = reread_import(store, "lee", iid, "kg")
    assert (back.from_unit, back.to_unit, back.sets) == ("lb", "kg", 70)
    assert store.dump() == before


def test_only_the_chosen_import_is_reread(store: Store, tmp_path: Path) -> None:
    first = imported(store, pounds_log(tmp_path / "a.csv"), "kg")
    second = imported(store, pounds_log(tmp_path / "b.csv", ["2024-04-01"]), "kg")
    reread_import(store, "lee", second, "lb")
    units = import_units(store, "lee")
    assert units[first].sets == {"kg": 70} and units[second].sets == {"lb": 14}


@pytest.mark.parametrize("iid, unit, err, words", [
    (1, "stone", ConfigError, "unit 'stone' is not kg or lb"),
    (9, "lb", NotFound, "import 9 is not one of lee's imports"),
    (1, "kg", ConfigError, "import 1's loads are already in kg; nothing was changed"),
])
def test_refusals_name_the_field_and_change_nothing(store: Store, tmp_path: Path, iid, unit, err, words) -> None:
    assert imported(store, pounds_log(tmp_path / "a.csv"), "kg") == 1
    before = store.dump()
    with pytest.raises(err) as e:
        reread_import(store, "lee", iid, unit)
    assert words in str(e.value)
    assert store.dump() == before


def test_an_undone_import_is_never_reread(store: Store, tmp_path: Path) -> None:
    iid = imported(store, pounds_log(tmp_path / "a.csv"), "kg")
    store.undo_import(iid)
    with pytest.raises(ConfigError, match=f"import {iid} was undone at"):
        reread_preview(store, "lee", iid, "lb")
    assert import_units(store, "lee") == {}


def test_another_athletes_import_is_not_found(store: Store, tmp_path: Path) -> None:
    iid = imported(store, pounds_log(tmp_path / "a.csv"), "kg")
    store.add_athlete(Athlete(name="kim"))
    with pytest.raises(NotFound, match=f"import {iid} is not one of kim's imports"):
        reread_preview(store, "kim", iid, "lb")


def test_an_import_in_both_units_is_never_reread(store: Store, tmp_path: Path) -> None:
    head = "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
    rows = [f"2024-03-0{d} 18:00:00;Day;{ex};{i};{w};{u};5;;;;;;;1h\n" for d in (4, 6, 8)
            for i, (ex, w, u) in enumerate([("Squat (Barbell)", 100, "kg"), ("Squat (Barbell)", 225, "lbs"),
                                             ("Bench Press (Barbell)", 80, "kg")], 1)]
    path = tmp_path / "android.csv"
    path.write_text(head + "".join(rows))
    iid = import_file(store, "lee", "strong", path, create_athlete=True).import_id
    u = import_units(store, "lee")[iid]
    assert u.sets == {"kg": 6, "lb": 3} and u.unit is None and u.mixed and u.doubt == []
    before = store.dump()
    with pytest.raises(ConfigError, match=r"holds loads in both units \(6 sets in kg, 3 in lb\)"):
        reread_import(store, "lee", iid, "lb")
    assert store.dump() == before
