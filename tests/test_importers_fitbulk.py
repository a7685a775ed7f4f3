"""Garmin Connect's bulk export (`peri.log.importers.fitbulk`): the account's data ZIP, its `.fit` files inside
`DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_PartN.zip` (the layout public readers of the export
write in their fixtures and notes), of every kind and sport. Every strength activity is read into one log; the
report counts what was passed over and names what could not be read. The FIT files are written byte by byte
(`tests/test_importers_fitlog.py`); the expected sets are worked out by hand."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import import_file, parse_file
from peri.log.importers.archive import zip_member
from peri.log.models import Athlete
from peri.log.store import Store

pytest.importorskip("fitdecode")
from tests.test_importers_fitlog import BENCH, SQUAT, UNKNOWN, _fit_time, activity, encode  # noqa: E402

UPLOADS = "DI_CONNECT/DI-Connect-Uploaded-Files/"
MONDAY = dt.datetime(2024, 3, 4, 17, 0, tzinfo=dt.timezone.utc)  # 18:00 at the watch's UTC+1
THURSDAY = dt.datetime(2024, 3, 7, 6, 30, tzinfo=dt.timezone.utc)  # 07:30 local
MONDAY_SETS = [(SQUAT, 6, 100.0, 5, 40.0), (SQUAT, 6, 105.0, 5, 40.0), (BENCH, 1, 80.0, 8, 35.0)]
THURSDAY_SETS = [(BENCH, 1, 82.5, 6, 30.0), (BENCH, 1, 82.5, 6, 30.0)]


def fit(tmp: Path, name: str, sets=MONDAY_SETS, *, start: dt.datetime = MONDAY, **kw) -> bytes:
    return activity(tmp / name, sets, start=start, **kw).read_bytes()


def not_an_activity(kind: int) -> bytes:
    """A watch's monitoring (32) or settings (2) file: a file_id naming its type, and nothing a log holds."""
    return encode([("file_id", [kind, 1, _fit_time(MONDAY)])])


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def export(tmp: Path) -> Path:
    """An account's data export: JSON beside two Part ZIPs holding two strength activities, a copy of one, a run, a
    ride, a monitoring and a settings file, and a strength activity cut short."""
    monday = fit(tmp, "m.fit")
    part1 = zipped({"user@example.com_101.fit": monday, "user@example.com_102.fit": fit(tmp, "r.fit", [], sport=1,
                                                                                          sub_sport=0),
                    "user@example.com_103.fit": not_an_activity(32), "user@example.com_104.fit": not_an_activity(2)})
    part2 = zipped({"user@example.com_201.fit": fit(tmp, "t.fit", THURSDAY_SETS, start=THURSDAY),
                    "user@example.com_202.fit": monday,  # uploaded twice
                    "user@example.com_203.fit": fit(tmp, "c.fit", [], sport=2, sub_sport=7),
                    "user@example.com_204.fit": fit(tmp, "x.fit")[:-40],  # a copy cut short
                    "user@example.com_205.tcx": b"<TrainingCenterDatabase/>"})
    path = tmp / "b1c3d-export.zip"
    path.write_bytes(zipped({"customer_data/customer.json": b"{}",
                             "DI_CONNECT/DI-Connect-Fitness/user_0_summarizedActivities.json": b"[]",
                             UPLOADS + "UploadedFiles_0-_Part1.zip": part1,
                             UPLOADS + "UploadedFiles_0-_Part2.zip": part2}))
    return path


def sets_of(p) -> list[tuple]:
    return [(s.started_at, w[0], w[3], w[6]) for s in p.sessions for w in s.sets]


def test_every_strength_activity_of_the_export_reads_into_one_log(tmp_path: Path) -> None:
    p = parse_file("csv", export(tmp_path))
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 4, 18, 0), dt.datetime(2024, 3, 7, 7, 30)]
    assert [(w[0], w[3], w[6]) for s in p.sessions for w in s.sets] == [
        ("Barbell Back Squat", 100.0, 5), ("Barbell Back Squat", 105.0, 5), ("Barbell Bench Press", 80.0, 8),
        ("Barbell Bench Press", 82.5, 6), ("Barbell Bench Press", 82.5, 6)]
    note = next(w for w in p.warnings if "bulk export" in w)
    assert "2 strength-training activities, 5 active sets" in note and "from 8 .fit files" in note
    assert "2 activities of other sports (running 1, cycling/road 1)" in note
    assert "2 files that are no activity (monitoring_b 1, settings 1)" in note
    assert "1 activities were copies of another and counted once" in note
    assert "1 files could not be read" in note and "'user@example.com_204.fit' (the FIT file ends before" in note
    assert "3 other files of the export" in note  # two JSON files and the .tcx


def test_the_bulk_export_imports_and_is_stored_whole(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="ana"))
    r = import_file(store, "ana", "auto", export(tmp_path), map_exercise=lambda n: None)
    assert (r.sessions_new, r.sets_new) == (2, 5)
    assert r.unit == "kg"


def test_a_part_zip_passed_itself_reads_the_same(tmp_path: Path) -> None:
    part = tmp_path / "UploadedFiles_0-_Part2.zip"
    part.write_bytes(zipped({"201.fit": fit(tmp_path, "t.fit", THURSDAY_SETS, start=THURSDAY),
                             "202.fit": fit(tmp_path, "m.fit")}))
    p = parse_file("csv", part)
    assert len(sets_of(p)) == 5 and len(p.sessions) == 2


def test_two_activities_of_one_day_hours_apart_are_two_sessions(tmp_path: Path) -> None:
    evening = MONDAY + dt.timedelta(hours=4)
    z = tmp_path / "activities.zip"
    z.write_bytes(zipped({"a.fit": fit(tmp_path, "a.fit"), "b.fit": fit(tmp_path, "b.fit", THURSDAY_SETS,
                                                                         start=evening)}))
    p = parse_file("csv", z)
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 4, 18, 0), dt.datetime(2024, 3, 4, 22, 0)]


def test_an_unnamed_set_is_refused_by_line_and_its_activity_named(tmp_path: Path) -> None:
    sets = MONDAY_SETS * 4 + [(UNKNOWN, 0, 60.0, 10, 30.0)]  # 13 sets; the 14th row of the table is unnamed
    z = tmp_path / "activities.zip"
    z.write_bytes(zipped({"early.fit": fit(tmp_path, "e.fit", THURSDAY_SETS, start=MONDAY - dt.timedelta(days=3)),
                          "late.fit": fit(tmp_path, "l.fit", sets)}))
    p = parse_file("csv", z)
    assert len(sets_of(p)) == 14 and len(p.refused) == 1 and p.refused[0].startswith(f"{z}:16")
    note = next(w for w in p.warnings if "bulk export" in w)
    assert "lines 4-16 are 'late.fit'" in note and "1 sets the watch did not name" in note


def test_an_export_of_runs_alone_is_refused_with_what_it_holds(tmp_path: Path) -> None:
    z = tmp_path / "export.zip"
    z.write_bytes(zipped({UPLOADS + "UploadedFiles_0-_Part1.zip": zipped({
        "1.fit": fit(tmp_path, "r.fit", [], sport=1, sub_sport=0), "2.fit": not_an_activity(32)})}))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", z)
    assert e.value.place == f"{z}:1"
    assert "hold no strength-training activity" in e.value.message and "running 1" in e.value.message
    assert "monitoring_b 1" in e.value.message


def test_a_fit_bomb_in_a_part_is_refused_naming_it(tmp_path: Path) -> None:
    z = tmp_path / "export.zip"
    part = zipped({"1.fit": fit(tmp_path, "a.fit"), "2.fit": b"\x0e" + bytes(17 << 20)})
    z.write_bytes(zipped({UPLOADS + "UploadedFiles_0-_Part1.zip": part}))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", z)
    assert e.value.place == f"{z}/{UPLOADS}UploadedFiles_0-_Part1.zip/2.fit" and "zip bomb" in e.value.message


def test_the_fit_files_together_are_held_to_the_limit_of_a_file(tmp_path: Path) -> None:
    data = zipped({"1.fit": fit(tmp_path, "a.fit"), "2.fit": fit(tmp_path, "b.fit", start=THURSDAY)})
    one = len(fit(tmp_path, "a.fit"))
    with pytest.raises(ImportFormatError) as e:
        zip_member(data, "x.zip", one + one // 2)
    assert "expand past" in e.value.message and "UploadedFiles_0-_Part1.zip" in (e.value.hint or "")
    assert zip_member(data, "x.zip", 3 * one) is not None


def test_too_many_fit_files_are_refused(tmp_path: Path, monkeypatch) -> None:
    from peri.log.importers import fitbulk

    monkeypatch.setattr(fitbulk, "MAX_FIT_FILES", 3)
    z = tmp_path / "export.zip"
    z.write_bytes(zipped({f"{i}.fit": not_an_activity(32) for i in range(4)}))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", z)
    assert "holds 4 .fit files, more than the 3" in e.value.message


def test_an_archive_inside_a_part_is_named_not_opened(tmp_path: Path) -> None:
    part = zipped({"1.fit": fit(tmp_path, "a.fit"), "2.fit": not_an_activity(2), "deeper.zip": zipped({"x.csv": b"a"})})
    z = tmp_path / "export.zip"
    z.write_bytes(zipped({UPLOADS + "UploadedFiles_0-_Part1.zip": part}))
    p = parse_file("csv", z)
    assert len(sets_of(p)) == 3
    assert any(f"not opened: {UPLOADS}UploadedFiles_0-_Part1.zip/deeper.zip" in w for w in p.warnings)


def test_a_zip_inside_a_zip_holding_no_fit_is_still_refused_as_before(tmp_path: Path) -> None:
    z = tmp_path / "export.zip"
    z.write_bytes(zipped({"inner.zip": zipped({"log.csv": b"Date,Exercise,Weight,Reps\n2024-01-01,Squat,100,5\n"})}))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", z)
    assert "inside the archive" in e.value.message or "holding no CSV" in e.value.message


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SET = st.tuples(st.sampled_from([(SQUAT, 6), (BENCH, 1)]), st.sampled_from([60.0, 62.5, 100.0, 142.5]),
                 st.integers(1, 12))
_FILE = st.one_of(
    st.tuples(st.just("strength"), st.lists(_SET, min_size=1, max_size=6)),
    st.tuples(st.sampled_from(["run", "ride", "monitoring", "settings"]), st.just([])),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(_FILE, min_size=2, max_size=8), parts=st.integers(1, 3))
def test_generated_exports_read_every_strength_set_and_count_the_rest(tmp_path: Path, files, parts) -> None:
    """Each strength activity on its own day; whatever the mix and however the files are spread over the Parts,
    exactly its sets are read, in order, and the others are counted by what they are."""
    bodies, expected = [], []
    for day, (kind, sets) in enumerate(files):
        start = MONDAY + dt.timedelta(days=day)
        if kind == "strength":
            bodies.append(fit(tmp_path, "s.fit", [(c, s, kg, reps, 30.0) for (c, s), kg, reps in sets], start=start))
            expected += [(start.replace(tzinfo=None) + dt.timedelta(hours=1), kg, reps) for _, kg, reps in sets]
        elif kind in ("run", "ride"):
            bodies.append(fit(tmp_path, "o.fit", [], sport=1 if kind == "run" else 2, sub_sport=0, start=start))
        else:
            bodies.append(not_an_activity(32 if kind == "monitoring" else 2))
    members = {f"{UPLOADS}UploadedFiles_0-_Part{k + 1}.zip": zipped(
        {f"{i}.fit": b for i, b in enumerate(bodies) if i % parts == k}) for k in range(parts)}
    z = tmp_path / "export.zip"
    z.write_bytes(zipped({k: v for k, v in members.items() if len(v) > 22}))
    strength = sum(k == "strength" for k, _ in files)
    if not strength:
        with pytest.raises(ImportFormatError, match="no strength-training activity"):
            parse_file("csv", z)
        return
    p = parse_file("csv", z)
    got = [(s.started_at, w[3], w[6]) for s in p.sessions for w in s.sets]
    assert [(g[1], g[2]) for g in got] == [(e[1], e[2]) for e in expected]
    assert [s.started_at for s in p.sessions] == sorted({e[0] for e in expected})
    note = next(w for w in p.warnings if "bulk export" in w)
    others = sum(k in ("run", "ride") for k, _ in files)
    assert f"{strength} strength-training activities" in note and f"{others} activities of other sports" in note
