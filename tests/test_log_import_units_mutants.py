"""Hand-worked cases for `peri.log.import_units` (issue 20, mutation8b): the doubt from 20 loads (19 too few), a
doubt the loads' evidence holds only weakly, too heavy as kg, the body mass, the heaviest set named, every refusal
word for word with its field, and a re-read that finds the loads already moved. Every load is written here and
every kg value worked out by hand (315 lb x 0.45359237 = 142.881597 -> 142.8816 kg)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peri.errors import ConfigError, NotFound
from peri.log.import_units import _kg, _loads, import_units, reread_import, reread_preview, reunit_log, reunit_preview
from peri.log.importers import import_file
from peri.log.models import Athlete
from peri.log.store import Store

HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"


def log(path: Path, month: int, sets: list[tuple[str, float | str, int, str]], per_day: int = 5) -> Path:
    """A Strong export: `per_day` sets a day from the 4th of `month` on, (exercise, weight, reps, note) each."""
    rows = [f'2024-{month:02d}-{4 + k // per_day:02d} 18:00:00,"Day",1h,"{ex}",{k % per_day + 1},{w},{r},0,0,"{n}",,\n'
            for k, (ex, w, r, n) in enumerate(sets)]
    path.write_text(HEADER + "".join(rows))
    return path


def imported(store: Store, path: Path, unit: str) -> int:
    return import_file(store, "lee", "strong", path, mapping={"unit": unit}, create_athlete=True).import_id


def squats(loads: list[float], n: int, note: str = "") -> list[tuple[str, float, int, str]]:
    return [("Squat (Barbell)", loads[k % len(loads)], 5, note) for k in range(n)]


POUNDS = [45, 135, 225, 135, 225]  # the bar, then the landmarks, five sets a day


def test_kg_of_a_logged_number() -> None:
    assert _kg(315, "lb") == 142.8816
    assert _kg(225, "lb") == 102.0583  # 102.05828 rounded to 4 places
    assert _kg(100.0, "kg") == 100.0


def test_twenty_loads_are_enough_to_doubt_and_nineteen_are_not(store: Store, tmp_path: Path) -> None:
    few = imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 19)), "kg")
    enough = imported(store, log(tmp_path / "b.csv", 4, squats(POUNDS, 20)), "kg")
    units = import_units(store, "lee")
    assert list(units) == [few, enough]
    assert units[few].model_dump() == {"import_id": few, "sets": {"kg": 19}, "unit": "kg", "looks_like": None,
                                       "doubt": []}
    # 20 loads: 45 four times (the empty bar, 3 points), 135 and 225 eight times each (landmarks)
    assert units[enough].unit == "kg" and units[enough].looks_like == "lb"
    assert units[enough].doubt == [
        "loads on the 45 lb bar-and-plate landmarks (135/225/315...) (16 points for lb)",
        "1 barbell lifts start from 45, the empty 45 lb bar, far below their working loads (3 points for lb)"]


def test_three_reasons_at_most_then_the_lift_too_heavy_as_kg(store: Store, tmp_path: Path) -> None:
    # four reasons for lb (beyond any squat, landmarks, the notes' "lbs", the 45 bar) and a 600 x 5 squat:
    # Epley 600 x (1 + 5/30) = 700 kg, as pounds 700 x 0.45359 = 317.5 -> 318 kg
    iid = imported(store, log(tmp_path / "a.csv", 3, squats([45, 45, 45, 135, 225, 315, 225, 135, 405, 600], 20,
                                                            "225 lbs")), "kg")
    u = import_units(store, "lee")[iid]
    assert (u.unit, u.looks_like, u.sets) == ("kg", "lb", {"kg": 20})
    assert u.doubt == [
        "heaviest Squat (Barbell) 600 is beyond any human lift in kg (500 kg) (20 points for lb)",
        "loads on the 45 lb bar-and-plate landmarks (135/225/315...) (12 points for lb)",
        "notes name lb 20 times (10 points for lb)",
        "Squat (Barbell): estimated 1RM 700 kg is beyond the heaviest Squat (Barbell) ever lifted (~500 kg); as pounds "
        "it is 318 kg"]


def test_kilogram_loads_stored_as_pounds_look_like_kg(store: Store, tmp_path: Path) -> None:
    kg_loads = [20, 20, 20, 60, 62.5, 101.25, 102.5, 103.75, 100, 97.5]
    iid = imported(store, log(tmp_path / "a.csv", 4, squats(kg_loads, 20, "100 kg")), "lb")
    u = import_units(store, "lee")[iid]
    assert (u.unit, u.looks_like) == ("lb", "kg")
    assert u.doubt == ["notes name kg 20 times (10 points for kg)", "loads in 1.25 steps (1.25 kg plates) (4 points for kg)",
                       "loads in 2.5 steps off the 5s (22.5, 102.5: kg plates) (3 points for kg)"]
    right = imported(store, log(tmp_path / "b.csv", 5, squats(kg_loads, 20, "100 kg")), "kg")
    assert import_units(store, "lee")[right].doubt == []  # the same loads stored as kg: no doubt


def test_weak_evidence_raises_no_doubt(store: Store, tmp_path: Path) -> None:
    # 135-155 in 5s as kg: the landmark 135 (4 points) and the 5s (1 point) lean to lb, too weakly to doubt
    iid = imported(store, log(tmp_path / "a.csv", 6, squats([135, 140, 145, 150, 155], 20)), "kg")
    u = import_units(store, "lee")[iid]
    assert (u.unit, u.looks_like, u.doubt) == ("kg", None, [])


def test_too_heavy_as_kg_for_the_stated_body_mass(store: Store, tmp_path: Path) -> None:
    # a 200 x 1 bench (a single is its own 1RM): 200 / 60 = 3.3 times a body mass of 60 kg (past 3); 3 sets, too
    # few for the loads' own evidence
    store.add_athlete(Athlete(name="lee", body_mass_kg=60))
    iid = imported(store, log(tmp_path / "a.csv", 3, [("Bench Press (Barbell)", w, 1, "") for w in (100, 150, 200)]),
                   "kg")
    u = import_units(store, "lee")[iid]
    assert (u.unit, u.looks_like) == ("kg", "lb")
    assert u.doubt == ["Bench Press (Barbell): estimated 1RM 200 kg is 3.3x the stated body mass"]


def test_the_body_mass_is_evidence_of_twenty_loads(store: Store, tmp_path: Path) -> None:
    # 20 benches of 100-120 for 13 reps (past Epley's 12: no 1RM flag) by a lifter of 40 kg, 120 / 40 = 3.0 > 2.5 as
    # kg (10 points), notes naming lb 10 times (10) and the 5s (1): 21 points, enough to doubt; without the body
    # mass 11, too few
    store.add_athlete(Athlete(name="lee", body_mass_kg=40))
    loads = [100, 105, 110, 115, 120]
    sets = [("Bench Press (Barbell)", loads[k % 5], 13, "100 lb" if k % 2 else "") for k in range(20)]
    iid = imported(store, log(tmp_path / "a.csv", 3, sets), "kg")
    u = import_units(store, "lee")[iid]
    assert u.looks_like == "lb"
    assert u.doubt == ["heaviest bench 120 is 3.0x the stated body mass if kg (10 points for lb)",
                       "notes name lb 10 times (10 points for lb)",
                       "lifts progressing in 5 steps (the smallest pound plate pair) (1 points for lb)"]


def test_loads_of_one_import_only(store: Store, tmp_path: Path) -> None:
    first = imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 10)), "kg")
    second = imported(store, log(tmp_path / "b.csv", 4, squats([315], 2) + [("Plank", "", 0, "")]), "kg")
    lee = store.get_athlete("lee").id
    assert sorted((r[0], r[2], r[3], r[4], r[5]) for r in _loads(store, lee, second)) == [
        (second, 315, "kg", 315, 5), (second, 315, "kg", 315, 5)]
    assert len(_loads(store, lee)) == 12
    p = reread_preview(store, "lee", first, "lb")
    assert p.sets == 10


def test_the_preview_names_the_heaviest_set(store: Store, tmp_path: Path) -> None:
    # the heaviest load is done for the fewest reps: it is named by its load, never its reps
    sets = [("Squat (Barbell)", 225, 8, ""), ("Deadlift (Barbell)", 315, 1, ""), ("Bench Press (Barbell)", 135, 10, "")]
    iid = imported(store, log(tmp_path / "a.csv", 3, sets), "kg")
    p = reread_preview(store, "lee", iid, "lb")
    assert p.model_dump() == {"import_id": iid, "from_unit": "kg", "to_unit": "lb", "sets": 3,
                              "top_exercise": "Deadlift (Barbell)", "top_logged": 315, "top_kg_before": 315,
                              "top_kg_after": 142.8816}
    back = imported(store, log(tmp_path / "b.csv", 4, sets), "lb")
    p = reread_preview(store, "lee", back, "kg")
    assert (p.from_unit, p.to_unit, p.sets) == ("lb", "kg", 3)
    assert (p.top_exercise, p.top_logged, p.top_kg_before, p.top_kg_after) == ("Deadlift (Barbell)", 315, 142.8816, 315)


def refusal(store: Store, iid: int, unit: str, err: type = ConfigError, athlete: str = "lee") -> Exception:
    before = store.dump()
    with pytest.raises(err) as e:
        reread_import(store, athlete, iid, unit)
    assert store.dump() == before
    return e.value


def test_refusals_word_for_word(store: Store, tmp_path: Path) -> None:
    iid = imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 5)), "kg")
    e = refusal(store, iid, "kilograms and pounds both")  # 25 characters: the first 20 said
    assert (e.message, e.place, e.hint) == ("unit 'kilograms and pounds' is not kg or lb", "unit", "kg or lb")
    e = refusal(store, iid + 1, "lb", NotFound)
    assert (e.message, e.place) == (f"import {iid + 1} is not one of lee's imports", "import")
    e = refusal(store, iid, "kg")
    assert (e.message, e.place) == (f"import {iid}'s loads are already in kg; nothing was changed", "unit")


def test_an_import_of_no_loads_word_for_word(store: Store, tmp_path: Path) -> None:
    iid = imported(store, log(tmp_path / "a.csv", 3, [("Pull Up", "", 8, ""), ("Push Up", 0, 20, "")]), "kg")
    e = refusal(store, iid, "lb")
    assert (e.message, e.place) == (f"import {iid} holds no loads (body weight or timed sets only); nothing to re-read",
                                    "import")
    assert import_units(store, "lee") == {}


def test_an_undone_import_word_for_word(store: Store, tmp_path: Path) -> None:
    iid = imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 5)), "kg")
    store.undo_import(iid)
    when = next(r["undone_at"] for r in store.imports(store.get_athlete("lee").id) if r["id"] == iid)
    e = refusal(store, iid, "lb")
    assert len(str(when)) > 19  # stored with its fraction of a second and zone: the message keeps the seconds
    assert (e.message, e.place) == (f"import {iid} was undone at {str(when)[:19]}; it holds no loads to re-read",
                                    "import")


def test_both_units_word_for_word(store: Store, tmp_path: Path) -> None:
    head = ("Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;"
            "Notes;Workout Notes;Workout Duration\n")
    rows = [f"2024-03-0{d};Day;Squat (Barbell);{i};{w};{u};5;;;;;;;1h\n" for d in (4, 6)
            for i, (w, u) in enumerate([(100, "kg"), (225, "lbs"), (102.5, "kg")], 1)]
    (tmp_path / "a.csv").write_text(head + "".join(rows))
    iid = import_file(store, "lee", "strong", tmp_path / "a.csv", create_athlete=True).import_id
    for unit in ("lb", "kg"):
        e = refusal(store, iid, unit)
        assert (e.message, e.place, e.hint) == (
            f"import {iid} holds loads in both units (4 sets in kg, 2 in lb); re-reading one side could not be "
            "undone exactly, so nothing was changed", "import", "undo the import and import the file again with the "
            "unit chosen")


def test_a_reread_reports_the_sets_the_store_changed(store: Store, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    iid = imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 5)), "kg")
    lee = store.get_athlete("lee").id
    calls = []

    def reunit(athlete_id, from_unit, to_unit, since=None, import_id=None):
        calls.append((athlete_id, from_unit, to_unit, since, import_id))
        return 4  # another request changed one set between the check and the write

    monkeypatch.setattr(store, "reunit", reunit)
    done = reread_import(store, "lee", iid, "lb")
    assert calls == [(lee, "kg", "lb", None, iid)]
    assert (done.sets, done.from_unit, done.to_unit, done.top_logged, done.top_kg_after) == (4, "kg", "lb", 225, 102.0583)
    monkeypatch.setattr(store, "reunit", lambda *a, **k: 0)  # re-read by another request meanwhile
    with pytest.raises(ConfigError) as e:
        reread_import(store, "lee", iid, "lb")
    assert (e.value.message, e.value.place) == (f"import {iid}'s loads are already in lb; nothing was changed", "unit")


# --- the whole log from a day on (`reunit_preview`, `reunit_log`: peri import reunit, the web's Imports page) ---

def whole_log_refusal(store: Store, to_unit: str, since=None) -> ConfigError:
    with pytest.raises(ConfigError) as e:
        reunit_preview(store, "lee", to_unit, since)
    return e.value


def test_the_whole_log_preview_by_hand(store: Store, tmp_path: Path) -> None:
    # March: 10 sets over 2 days (4th, 5th), the heaviest 225; April: 5 sets on the 4th, 315 the heaviest
    imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 10)), "kg")
    imported(store, log(tmp_path / "b.csv", 4, squats([45, 135, 315], 5)), "kg")
    p = reunit_preview(store, "lee", "lb")
    assert p.model_dump() == {"from_unit": "kg", "to_unit": "lb", "since": None, "sets": 15,
                              "first_day": dt.date(2024, 3, 4), "last_day": dt.date(2024, 4, 4),
                              "top_exercise": "Squat (Barbell)", "top_logged": 315, "top_kg_before": 315.0,
                              "top_kg_after": 142.8816}
    # from 1 April on: April's 5 sets only, the same heaviest
    april = reunit_preview(store, "lee", "lb", dt.date(2024, 4, 1))
    assert (april.sets, april.since, april.first_day, april.last_day) == (5, dt.date(2024, 4, 1),
                                                                           dt.date(2024, 4, 4), dt.date(2024, 4, 4))
    # from the 5th of March on: March's second day (its 5 sets) and April's
    assert reunit_preview(store, "lee", "lb", dt.date(2024, 3, 5)).sets == 10


def test_the_heaviest_is_the_most_kilograms(store: Store, tmp_path: Path) -> None:
    imported(store, log(tmp_path / "a.csv", 3, squats([100, 250, 60, 200, 40], 5)), "lb")
    p = reunit_preview(store, "lee", "kg")  # pounds stored that were kilograms
    assert (p.from_unit, p.top_logged, p.top_kg_before, p.top_kg_after) == ("lb", 250, 113.3981, 250.0)


def test_the_whole_log_refusals_word_for_word(store: Store, tmp_path: Path) -> None:
    imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 5)), "lb")
    e = whole_log_refusal(store, "stone")
    assert (e.message, e.place, e.hint) == ("unit 'stone' is not kg or lb", "unit", "kg or lb")
    e = whole_log_refusal(store, "lb")
    assert (e.message, e.place) == ("lee has no loads stored in kg; nothing to re-read", "unit")
    e = whole_log_refusal(store, "kg", dt.date(2024, 5, 1))
    assert (e.message, e.place) == ("lee has no loads stored in lb on or after 2024-05-01; nothing to re-read",
                                    "since")
    imported(store, log(tmp_path / "b.csv", 4, squats([100, 140], 3)), "kg")
    e = whole_log_refusal(store, "kg")
    assert (e.message, e.place, e.hint) == (
        "lee's loads are in both units (5 sets in lb, 3 in kg); re-reading the lb ones could not be undone exactly, "
        "so nothing was changed", "since", "choose the day the wrong unit began, or re-read one import at a time")
    e = whole_log_refusal(store, "lb", dt.date(2024, 3, 1))
    assert e.message.startswith("lee's loads on or after 2024-03-01 are in both units (3 sets in kg, 5 in lb)")


def test_the_whole_log_reread_writes_and_reads_back(store: Store, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    imported(store, log(tmp_path / "a.csv", 3, squats(POUNDS, 10)), "kg")
    before = store.dump()
    lee = store.get_athlete("lee").id
    done = reunit_log(store, "lee", "lb", dt.date(2024, 3, 5))
    assert (done.sets, done.from_unit, done.to_unit, done.top_kg_after) == (5, "kg", "lb", 102.0583)
    kg = sorted({s.weight_kg for se in store.sessions(lee) if se.started_at.day == 5 for s in se.sets})
    assert kg == [20.4117, 61.235, 102.0583]  # 45, 135, 225 lb
    assert {s.unit for se in store.sessions(lee) if se.started_at.day == 4 for s in se.sets} == {"kg"}
    back = reunit_log(store, "lee", "kg", dt.date(2024, 3, 5))
    assert back.sets == 5 and store.dump() == before
    calls = []

    def reunit(athlete_id, from_unit, to_unit, since=None, import_id=None):
        calls.append((athlete_id, from_unit, to_unit, since, import_id))
        return 0  # re-read by another request between the check and the write

    monkeypatch.setattr(store, "reunit", reunit)
    with pytest.raises(ConfigError) as e:
        reunit_log(store, "lee", "lb", dt.date(2024, 3, 4))
    assert calls == [(lee, "kg", "lb", dt.date(2024, 3, 4), None)]
    assert (e.value.message, e.value.place) == ("lee's loads are already in lb; nothing was changed", "unit")


def test_the_whole_log_heaviest_and_days_at_their_edges(store: Store, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # one set on 4 March (a 300 bench), then 60..100 squats on the 5th and 6th: the heaviest is the first day's and
    # an exercise earlier in the alphabet, the first day holds one set, the last day too
    rows = ("2024-03-04 18:00:00,Day,1h,Bench Press (Barbell),1,300,5,0,0,,,\n"
            + "".join(f"2024-03-05 18:00:00,Day,1h,Squat (Barbell),{i},{w},5,0,0,,,\n" for i, w in enumerate([60, 100], 1))
            + "2024-03-06 18:00:00,Day,1h,Squat (Barbell),1,80,5,0,0,,,\n")
    (tmp_path / "a.csv").write_text(HEADER + rows)
    imported(store, tmp_path / "a.csv", "kg")
    p = reunit_preview(store, "lee", "lb")
    assert (p.top_exercise, p.top_logged, p.first_day, p.last_day) == (
        "Bench Press (Barbell)", 300, dt.date(2024, 3, 4), dt.date(2024, 3, 6))
    e = whole_log_refusal(store, "x" * 25)
    assert e.message == f"unit {'x' * 20!r} is not kg or lb"  # the unit as typed, cut to 20 characters
    monkeypatch.setattr(store, "reunit", lambda *a, **k: 3)  # one set re-read by another request meanwhile
    done = reunit_log(store, "lee", "lb")
    assert (done.sets, p.sets) == (3, 4)
