"""A log passed inside a ZIP archive or a gzip file (`peri.log.importers.archive`): the table inside is read as
if it had been passed itself; several tables are told apart by their columns; ambiguity is refused by name."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import import_file, parse_file
from peri.log.importers.archive import gunzip, zip_member
from peri.log.models import Athlete
from peri.log.store import Store

# this project's own small Hevy-layout log (imperial account: weight_lbs), 1 workout, 3 sets
HEVY = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index",'
    '"set_type","weight_lbs","reps","distance_miles","duration_seconds","rpe"\n'
    '"Lower","26 Jul 2025, 07:06","26 Jul 2025, 08:11","","Squat (Barbell)",,"",0,"warmup",135,5,,,\n'
    '"Lower","26 Jul 2025, 07:06","26 Jul 2025, 08:11","","Squat (Barbell)",,"",1,"normal",225,5,,,\n'
    '"Lower","26 Jul 2025, 07:06","26 Jul 2025, 08:11","","Squat (Barbell)",,"",2,"normal",225,5,,,\n'
)
MEASUREMENTS = "date,weight_kg,fat_percent\n2025-07-26,82.5,15\n"


def ids(name: str) -> str:
    return name.lower().replace(" ", "-")


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def zipped(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return path


def sets(parsed) -> list[tuple]:
    return [(s.started_at, w[0], w[5], w[6]) for s in parsed.sessions for w in s.sets]


def test_a_zip_of_one_csv_imports_as_the_csv_does(tmp_path: Path) -> None:
    plain = tmp_path / "workouts.csv"
    plain.write_text(HEVY)
    archive = zipped(tmp_path / "export.zip", {"export/workouts.csv": HEVY, "__MACOSX/export/._workouts.csv": b"\0\1",
                                               ".DS_Store": b"\0"})
    want, got = parse_file("hevy", plain), parse_file("hevy", archive)
    assert sets(got) == sets(want) and len(sets(got)) == 3
    assert any("'export/workouts.csv'" in w and "ZIP archive" in w for w in got.warnings)


def test_a_problem_inside_the_archive_is_named_archive_member_line(tmp_path: Path) -> None:
    archive = zipped(tmp_path / "export.zip", {"workouts.csv": HEVY.replace('225,5,,,\n', '225,"x",,,\n')})
    with pytest.raises(ImportFormatError) as e:
        parse_file("hevy", archive)
    assert e.value.place == f"{archive}/workouts.csv:3" and "'x'" in e.value.message


def test_the_log_is_told_from_other_tables_by_its_columns(ana: Store, tmp_path: Path) -> None:
    archive = zipped(tmp_path / "hevy.zip", {"measurements.csv": MEASUREMENTS, "workouts.csv": HEVY,
                                             "readme.txt.json": "{}"})
    r = import_file(ana, "ana", "auto", archive, map_exercise=ids)
    assert r.fmt == "hevy" and (r.sessions_new, r.sets_new) == (1, 3) and r.unit == "lb"
    note = next(w for w in r.warnings if "ZIP archive" in w)
    assert "'workouts.csv'" in note and "'measurements.csv'" in note and "not read" in note


def test_the_same_table_twice_counts_once(tmp_path: Path) -> None:
    archive = zipped(tmp_path / "x.zip", {"a/workouts.csv": HEVY, "b/workouts.csv": HEVY})
    assert len(sets(parse_file("hevy", archive))) == 3


def test_two_logs_are_refused_naming_both_and_nothing_is_written(ana: Store, tmp_path: Path) -> None:
    archive = zipped(tmp_path / "two.zip", {"ana.csv": HEVY, "ben.csv": HEVY.replace("225", "185")})
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", archive, map_exercise=ids)
    assert "'ana.csv'" in e.value.message and "'ben.csv'" in e.value.message and "not guessed" in e.value.message
    assert e.value.place == f"{archive}:1" and e.value.hint
    assert ana.dump() == before


@pytest.mark.parametrize("members, words", [
    ({"export.xml": "<HealthData/>", "photo.png": b"\x89PNG"}, ["no CSV file, workbook or JSON log", "'export.xml'",
                                                                 "'photo.png'"]),
    ({"settings.json": "{}", "steps.json": "[]", "photo.png": b"\x89PNG"},
     ["no file in the ZIP archive has a header naming a date and an exercise column", "'steps.json'"]),
    ({"measurements.csv": MEASUREMENTS, "steps.csv": "date,steps\n2025-01-01,9000\n"},
     ["no file in the ZIP archive has a header naming a date and an exercise column", "'steps.csv'"]),
])
def test_an_archive_without_a_log_says_what_it_holds(tmp_path: Path, members: dict, words: list[str]) -> None:
    archive = zipped(tmp_path / "x.zip", members)
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", archive)
    assert all(w in e.value.message for w in words) and e.value.place == f"{archive}:1"


def test_an_archive_inside_the_archive_is_not_opened(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("workouts.csv", HEVY)
    archive = zipped(tmp_path / "x.zip", {"workouts.csv": inner.getvalue()})
    with pytest.raises(ImportFormatError, match="archive inside the archive") as e:
        parse_file("csv", archive)
    assert e.value.place == f"{archive}/workouts.csv"


def test_a_member_past_the_limit_is_refused_by_name_without_expanding_it() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.csv", "Date,Exercise,Weight,Reps\n" + "2024-01-01,Squat,100,5\n" * 5000)
    with pytest.raises(ImportFormatError, match="limit") as e:
        zip_member(buf.getvalue(), "x.zip", limit=10_000)
    assert e.value.place == "x.zip/big.csv"


def test_a_gzip_csv_is_read_and_a_bomb_is_not() -> None:
    packed = gzip.compress(HEVY.encode())
    member = gunzip(packed, "w.csv.gz", limit=1 << 20)
    assert member.data == HEVY.encode() and member.path == "w.csv"
    with pytest.raises(ImportFormatError, match="limit"):
        gunzip(gzip.compress(b"0" * 100_000), "b.csv.gz", limit=1000)


def test_a_gzip_export_imports(tmp_path: Path) -> None:
    f = tmp_path / "workouts.csv.gz"
    f.write_bytes(gzip.compress(HEVY.encode()))
    got = parse_file("hevy", f)
    assert len(sets(got)) == 3 and any("gzip" in w for w in got.warnings)


def test_bytes_that_do_not_open_as_a_zip_are_still_named_a_zip(tmp_path: Path) -> None:
    f = tmp_path / "cut.zip"
    f.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(ImportFormatError, match="ZIP archive"):
        parse_file("csv", f)


def test_a_real_export_zipped_imports_with_its_counts(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "exports" / "fitnotes.csv"
    archive = zipped(tmp_path / "FitNotes_Export.zip", {"FitNotes_Export.csv": src.read_bytes()})
    assert sets(parse_file("fitnotes", archive)) == sets(parse_file("fitnotes", src))


from hypothesis import HealthCheck, given, settings  # noqa: E402

from test_importers_csv_fuzz import table as any_table  # noqa: E402  (generated tables of the fuzz test)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_table())
def test_a_zipped_table_reads_as_the_table_does(data: bytes) -> None:
    """Any table, zipped: the same sets, or the same refusal (its place inside the archive)."""
    import tempfile

    from peri.errors import PeriError

    folder = Path(tempfile.mkdtemp())
    plain = folder / "log.csv"
    plain.write_bytes(data)
    archive = zipped(folder / "log.zip", {"log.csv": data})

    def outcome(f: Path) -> tuple:
        try:
            return ("read", sets(parse_file("csv", f, mapping={"unit": "kg"})))
        except PeriError as e:
            return ("refused", e.message.replace(str(archive) + "/log.csv", str(plain)))
    assert outcome(archive) == outcome(plain)


def test_a_json_log_in_a_zip(tmp_path: Path) -> None:
    log = {"workouts": [{"title": "Legs", "start_time": "2025-07-28T18:00:00Z", "exercises": [
        {"title": "Squat (Barbell)", "sets": [{"type": "normal", "weight_kg": 120, "reps": 5}]}]}]}
    import json

    archive = zipped(tmp_path / "hevy-api.zip", {"workouts.json": json.dumps(log), "readme.txt": "saved from the API"})
    p = parse_file("csv", archive)
    assert sets(p) == [(dt.datetime(2025, 7, 28, 18, 0), "Squat (Barbell)", 120.0, 5)]
