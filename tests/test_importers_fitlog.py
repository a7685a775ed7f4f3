"""Garmin strength-training activities (`peri.log.importers.fitlog`): the `set` messages of a FIT activity whose
sub_sport is `strength_training` (Garmin's FIT SDK profile: `set` with `set_type`, `repetitions`, `weight` in kg,
`start_time`, `duration`, `category` / `category_subtype`; the layout a public extractor of Garmin Connect
exports reads, McSwaggalot/garmin-strength `main.py`@21f830465c00ffe2703830aabb3e5f3147d55421). The files are
written here with Garmin's own encoder (garmin-fit-sdk), as a watch writes them: file_id, sport, then sets and
rests, session, activity. Expected sets worked out by hand; hostile files refused naming the file."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import import_file, parse_file
from peri.log.models import Athlete
from peri.log.store import Store

fit = pytest.importorskip("garmin_fit_sdk")  # the dev extra installs it; see pyproject's `garmin`

T0 = dt.datetime(2024, 3, 5, 17, 30, tzinfo=dt.timezone.utc)
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.timezone.utc)
# (category, subtype, kg, reps, seconds): Garmin's numbering (squat 6 = barbell back squat, bench press 1 =
# barbell bench press); None where the watch records none
SETS = [("squat", 6, 100.0, 5, 40.0), ("squat", 6, 102.5, 5, 45.0), ("bench_press", 1, 80.0, 8, 35.0),
        ("pull_up", 0, None, 10, 30.0), ("plank", 0, None, None, 60.0)]


def activity(path: Path, sets=SETS, *, sub_sport: str = "strength_training", sport: str = "training",
             local_hours: float | None = 1) -> Path:
    e = fit.Encoder()
    e.write_mesg({"mesg_num": 0, "type": "activity", "manufacturer": "garmin", "product": 1, "time_created": T0,
                  "serial_number": 1234})
    e.write_mesg({"mesg_num": 12, "sport": sport, "sub_sport": sub_sport})
    for i, (cat, sub, kg, reps, secs) in enumerate(sets):
        start = T0 + dt.timedelta(minutes=3 * i)
        mesg = {"mesg_num": 225, "timestamp": start + dt.timedelta(seconds=secs), "start_time": start,
                "set_type": "active", "duration": secs, "message_index": 2 * i}
        if cat is not None:
            mesg |= {"category": [cat], "category_subtype": [sub]}
        if kg is not None:
            mesg["weight"] = kg
        if reps is not None:
            mesg["repetitions"] = reps
        e.write_mesg(mesg)
        e.write_mesg({"mesg_num": 225, "timestamp": start + dt.timedelta(seconds=150), "set_type": "rest",
                      "start_time": start + dt.timedelta(seconds=secs), "duration": 90.0, "message_index": 2 * i + 1})
    end = T0 + dt.timedelta(minutes=3 * len(sets))
    e.write_mesg({"mesg_num": 18, "timestamp": end, "start_time": T0, "sport": sport, "sub_sport": sub_sport,
                  "total_elapsed_time": (end - T0).total_seconds()})
    act = {"mesg_num": 34, "timestamp": end, "num_sessions": 1}
    if local_hours is not None:
        act["local_timestamp"] = int((end + dt.timedelta(hours=local_hours) - FIT_EPOCH).total_seconds())
    e.write_mesg(act)
    path.write_bytes(e.close())
    return path


def test_a_strength_activity_reads_as_its_active_sets(tmp_path: Path) -> None:
    p = parse_file("csv", activity(tmp_path / "a.fit"))
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 5, 18, 30)]  # UTC 17:30 at UTC+1
    got = [(w[0], w[3], w[6]) for w in p.sessions[0].sets]
    assert got == [("Barbell Back Squat", 100.0, 5), ("Barbell Back Squat", 102.5, 5),
                   ("Barbell Bench Press", 80.0, 8), ("Banded Pull Ups", None, 10), ("45 Degree Plank", None, None)]
    assert any("5 active sets (rest periods left out)" in w for w in p.warnings)


def test_without_a_local_time_the_times_are_utc_and_said(tmp_path: Path) -> None:
    p = parse_file("csv", activity(tmp_path / "a.fit", local_hours=None))
    assert p.sessions[0].started_at == dt.datetime(2024, 3, 5, 17, 30)
    assert any("times in UTC" in w for w in p.warnings)


def test_a_set_the_watch_did_not_name_is_refused_by_line_never_guessed(tmp_path: Path) -> None:
    sets = SETS[:3] * 4 + [("unknown", 0, 60.0, 10, 30.0)]  # 13 sets: one unnamed stays under a tenth
    f = activity(tmp_path / "a.fit", sets)
    p = parse_file("csv", f)
    assert sum(len(s.sets) for s in p.sessions) == 12
    assert len(p.refused) == 1 and p.refused[0].startswith(f"{f}:14")
    assert any("1 sets the watch did not name" in w for w in p.warnings)


def test_another_sports_activity_is_refused_naming_it(tmp_path: Path) -> None:
    f = activity(tmp_path / "run.fit", [], sport="running", sub_sport="generic")
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "no strength sets" in e.value.message and "generic" in e.value.message


@pytest.mark.parametrize("damage", ["cut", "checksum", "header"])
def test_a_damaged_fit_file_is_refused_naming_it(tmp_path: Path, damage: str) -> None:
    data = bytearray(activity(tmp_path / "a.fit").read_bytes())
    if damage == "cut":
        data = data[: len(data) * 2 // 3]  # a download cut short
    elif damage == "checksum":
        data[40] ^= 0xFF  # a flipped byte in the records
    else:
        data[4:8] = (10**6).to_bytes(4, "little")  # a data size the file does not have
    f = tmp_path / "bad.fit"
    f.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "FIT file" in e.value.message


def test_without_the_decoder_the_file_is_named_with_the_package(tmp_path: Path, monkeypatch) -> None:
    f = activity(tmp_path / "a.fit")
    monkeypatch.setitem(sys.modules, "garmin_fit_sdk", None)
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "peri[garmin]" in (e.value.hint or "")


def test_a_failed_fit_import_stores_nothing(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="ana"))
    data = activity(tmp_path / "a.fit").read_bytes()
    f = tmp_path / "cut.fit"
    f.write_bytes(data[:-10])
    with pytest.raises(ImportFormatError):
        import_file(store, "ana", "auto", f, map_exercise=lambda n: None)
    athlete = store.get_athlete("ana")
    assert store.count_sets(athlete.id) == 0 and store.imports(athlete.id) == []


def _with_crc(data: bytearray) -> bytes:
    """The file with its closing CRC recomputed, so a change inside reaches the decoder rather than the checksum."""
    crc = fit.CrcCalculator.calculate_crc(data, 0, len(data) - 2)
    data[-2:] = crc.to_bytes(2, "little")
    return bytes(data)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(14, 10_000), st.integers(1, 255)), min_size=1, max_size=4))
def test_garbled_records_behind_a_valid_checksum_are_refused_or_read_never_a_crash(tmp_path: Path, flips) -> None:
    from peri.errors import PeriError

    data = bytearray(activity(tmp_path / "a.fit").read_bytes())
    for at, x in flips:
        data[14 + at % (len(data) - 16)] ^= x
    f = tmp_path / "garbled.fit"
    f.write_bytes(_with_crc(data))
    try:
        p = parse_file("csv", f)
    except PeriError as e:
        assert e.place and str(f) in e.place
        return
    assert all(w[6] is None or 0 <= w[6] <= 1000 for s in p.sessions for w in s.sets)
