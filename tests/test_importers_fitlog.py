"""Garmin strength-training activities (`peri.log.importers.fitlog`): the `set` messages of a FIT activity whose
sub_sport is `strength_training` (Garmin's FIT SDK profile: `set` with `set_type`, `repetitions`, `weight` in kg,
`start_time`, `duration`, `category` / `category_subtype`; the layout a public extractor of Garmin Connect
exports reads, McSwaggalot/garmin-strength `main.py`@21f830465c00ffe2703830aabb3e5f3147d55421). The files are
written here byte by byte in the FIT protocol (a 14-byte header, definition and data records, the CRC-16 the
protocol defines, fitdecode's `compute_crc`), in the order a watch writes them: file_id, sport, then sets and
rests, session, activity. Expected sets worked out by hand; hostile files refused naming the file."""
from __future__ import annotations

import datetime as dt
import struct
import sys
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import import_file, parse_file
from peri.log.models import Athlete
from peri.log.store import Store

fitdecode = pytest.importorskip("fitdecode")  # the dev extra installs it; see pyproject's `garmin`
from fitdecode.utils import compute_crc  # noqa: E402

T0 = dt.datetime(2024, 3, 5, 17, 30, tzinfo=dt.timezone.utc)
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.timezone.utc)
# (category, subtype, kg, reps, seconds), Garmin's numbering: squat (28) 6 = barbell back squat, bench press (0)
# 1 = barbell bench press, pull up (21) 0 = banded pull ups, plank (19) 0 = 45 degree plank, unknown = 65534;
# None where the watch records none
SQUAT, BENCH, PULL_UP, PLANK, UNKNOWN = 28, 0, 21, 19, 65534
SETS = [(SQUAT, 6, 100.0, 5, 40.0), (SQUAT, 6, 102.5, 5, 45.0), (BENCH, 1, 80.0, 8, 35.0),
        (PULL_UP, 0, None, 10, 30.0), (PLANK, 0, None, None, 60.0)]
# FIT base types: enum, uint8, uint16, uint32
ENUM, U8, U16, U32 = (0x00, "B"), (0x02, "B"), (0x84, "H"), (0x86, "I")
INVALID = {"B": 0xFF, "H": 0xFFFF, "I": 0xFFFFFFFF}
# message number, (field number, base type, count) in order
LAYOUT = {
    "file_id": (0, [(0, ENUM, 1), (1, U16, 1), (4, U32, 1)]),
    "sport": (12, [(0, ENUM, 1), (1, ENUM, 1)]),
    "set": (225, [(254, U32, 1), (6, U32, 1), (0, U32, 1), (5, U8, 1), (3, U16, 1), (4, U16, 1), (7, U16, 1),
                  (8, U16, 1), (10, U16, 1)]),
    "session": (18, [(253, U32, 1), (2, U32, 1), (5, ENUM, 1), (6, ENUM, 1)]),
    "activity": (34, [(253, U32, 1), (5, U32, 1), (1, U16, 1)]),
}


def _fit_time(when: dt.datetime) -> int:
    return int((when - FIT_EPOCH).total_seconds())


def encode(records: list[tuple[str, list[int | None]]]) -> bytes:
    """A FIT file of `records` (message name, field values in LAYOUT's order; None is the invalid value)."""
    body = bytearray()
    local = {}
    for name, values in records:
        num, fields = LAYOUT[name]
        if name not in local:
            local[name] = len(local)
            body += struct.pack("<BBBHB", 0x40 | local[name], 0, 0, num, len(fields))
            for fnum, (base, fmt), count in fields:
                body += struct.pack("<BBB", fnum, struct.calcsize(fmt) * count, base)
        body += bytes([local[name]])
        for (fnum, (base, fmt), count), v in zip(fields, values):
            body += struct.pack("<" + fmt, INVALID[fmt] if v is None else v)
    header = bytearray(struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT"))
    header += struct.pack("<H", compute_crc(header))
    out = header + body
    return bytes(out + struct.pack("<H", compute_crc(out)))


def activity(path: Path, sets=SETS, *, sub_sport: int = 20, sport: int = 10, local_hours: float | None = 1,
             start: dt.datetime = T0) -> Path:
    """A watch's strength activity (sport 10 training, sub_sport 20 strength_training): a rest after each set,
    its first set at `start`."""
    T0 = start  # noqa: N806 - the module's start unless told
    records = [("file_id", [4, 1, _fit_time(T0)]), ("sport", [sport, sub_sport])]
    for i, (cat, sub, kg, reps, secs) in enumerate(sets):
        start = T0 + dt.timedelta(minutes=3 * i)
        records.append(("set", [_fit_time(start + dt.timedelta(seconds=secs)), _fit_time(start), int(secs * 1000), 1,
                                reps, None if kg is None else round(kg * 16), cat, sub, 2 * i]))
        records.append(("set", [_fit_time(start + dt.timedelta(seconds=150)), _fit_time(start + dt.timedelta(
            seconds=secs)), 90_000, 0, None, None, None, None, 2 * i + 1]))
    end = T0 + dt.timedelta(minutes=3 * len(sets))
    records.append(("session", [_fit_time(end), _fit_time(T0), sport, sub_sport]))
    local = None if local_hours is None else _fit_time(end + dt.timedelta(hours=local_hours))
    records.append(("activity", [_fit_time(end), local, 1]))
    path.write_bytes(encode(records))
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
    sets = SETS[:3] * 4 + [(UNKNOWN, 0, 60.0, 10, 30.0)]  # 13 sets: one unnamed stays under a tenth
    f = activity(tmp_path / "a.fit", sets)
    p = parse_file("csv", f)
    assert sum(len(s.sets) for s in p.sessions) == 12
    assert len(p.refused) == 1 and p.refused[0].startswith(f"{f}:14")
    assert any("1 sets the watch did not name" in w for w in p.warnings)


def test_another_sports_activity_is_refused_naming_it(tmp_path: Path) -> None:
    f = activity(tmp_path / "run.fit", [], sport=1, sub_sport=0)  # running, generic
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "no strength sets (a running activity)" in e.value.message


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
    monkeypatch.setitem(sys.modules, "fitdecode", None)
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
    data[-2:] = compute_crc(data[:-2]).to_bytes(2, "little")
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


def test_garmin_connects_export_original_a_zip_of_one_activity_reads(tmp_path: Path) -> None:
    # Garmin Connect's "Export Original" downloads the activity's .fit inside a ZIP
    import zipfile

    fit_bytes = activity(tmp_path / "a.fit").read_bytes()
    z = tmp_path / "14203746712.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("14203746712_ACTIVITY.fit", fit_bytes)
    p = parse_file("csv", z)
    assert sum(len(s.sets) for s in p.sessions) == 5
    assert any("14203746712_ACTIVITY.fit" in w for w in p.warnings)

