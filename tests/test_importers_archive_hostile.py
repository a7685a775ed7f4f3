"""Archives and JSON a person did not make (`archive_guard`, `archive`, `jsonlog`): a zip bomb, members that
expand past the file limit together, names climbing out with `..` or printing control characters, a gzip file
cut short or holding several members, JSON nested hundreds deep. Each is refused with a PeriError naming the
place (ARCHIVE:1 or ARCHIVE/MEMBER) and the store's dump is unchanged; a log kept whole imports whole."""
from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from peri.errors import ImportFormatError, PeriError
from peri.log.importers import base, import_file, parse_file
from peri.log.importers.archive_guard import MAX_RATIO, RATIO_FLOOR, bomb_ratio, unsafe_name
from peri.log.models import Athlete
from peri.log.store import Store

LOG = "Date,Exercise,Weight (kg),Reps\n" + "".join(f"2024-03-{d:02d},Squat,{100 + d},5\n" for d in range(1, 11))


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def zipped(path: Path, members: list[tuple[str, bytes]]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members:
            z.writestr(zipfile.ZipInfo(name), body, zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())
    return path


def refused_and_nothing_written(store: Store, path: Path) -> ImportFormatError:
    before = store.dump()
    with pytest.raises(PeriError) as e:
        import_file(store, "ana", "auto", path)
    assert store.dump() == before
    assert isinstance(e.value, ImportFormatError) and str(path) in (e.value.place or "")
    return e.value


def test_a_zip_bomb_is_refused_by_its_ratio_before_it_is_expanded(ana: Store, tmp_path: Path) -> None:
    size = RATIO_FLOOR + (1 << 20)
    e = refused_and_nothing_written(ana, zipped(tmp_path / "export.zip", [("workouts.csv", b"0" * size)]))
    assert "zip bomb" in e.message and e.place == f"{tmp_path / 'export.zip'}/workouts.csv"


def test_members_over_the_file_limit_together_are_refused(ana: Store, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1 << 20)  # 1 MiB: three tables of 400 KiB each are 1.2 MiB
    body = (LOG * 2000)[: 400 << 10].encode()
    archive = zipped(tmp_path / "export.zip", [(f"log{i}.csv", body + bytes([65 + i])) for i in range(3)])
    e = refused_and_nothing_written(ana, archive)
    assert "together" in e.message and e.place == f"{archive}:1"


@pytest.mark.parametrize("name, why", [
    ("../../evil/workouts.csv", "'..'"), ("/etc/workouts.csv", "absolute"), ("C:\\logs\\workouts.csv", "absolute"),
    ("work\x1b[31mouts.csv", "control"), ("work\nouts.csv", "control"), ("vsc.\u202eworkouts.csv", "direction"),
])
def test_a_member_name_no_export_gives_is_refused(ana: Store, tmp_path: Path, name: str, why: str) -> None:
    e = refused_and_nothing_written(ana, zipped(tmp_path / "export.zip", [(name, LOG.encode())]))
    assert why in e.message
    assert "\x1b" not in str(e) and "\n" not in e.message  # printed as repr, never raw


def test_names_people_give_pass(tmp_path: Path) -> None:
    for name in ["workouts.csv", "Strong export/strong.csv", "🏋️\u200d♀️ log.csv", "Übungen 2024.csv", "a..b.csv"]:
        assert unsafe_name(name) is None, name
    p = parse_file("csv", zipped(tmp_path / "e.zip", [("🏋️\u200d♀️ log.csv", LOG.encode())]))
    assert len(p.sessions) == 10


def test_bomb_ratio_is_a_bomb_only_when_both_large_and_extreme() -> None:
    assert bomb_ratio(RATIO_FLOOR + 1, (RATIO_FLOOR + 1) // (MAX_RATIO + 1)) is not None
    assert bomb_ratio(RATIO_FLOOR + 1, (RATIO_FLOOR + 1) // (MAX_RATIO - 1)) is None  # a well-compressed CSV
    assert bomb_ratio(RATIO_FLOOR, 1) is None  # small: the file limit is enough


def test_a_gzip_file_cut_short_is_refused_not_half_imported(ana: Store, tmp_path: Path) -> None:
    whole = gzip.compress(LOG.encode() * 50)
    cut = tmp_path / "workouts.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    e = refused_and_nothing_written(ana, cut)
    assert "cut short" in e.message


def test_a_gzip_header_before_garbage_is_refused_naming_the_file(ana: Store, tmp_path: Path) -> None:
    bad = tmp_path / "workouts.csv.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage that is no deflate stream")
    refused_and_nothing_written(ana, bad)


def test_a_gzip_file_of_several_members_imports_every_one(tmp_path: Path) -> None:
    lines = LOG.splitlines(keepends=True)
    f = tmp_path / "workouts.csv.gz"
    f.write_bytes(gzip.compress("".join(lines[:6]).encode()) + gzip.compress("".join(lines[6:]).encode()))
    assert len(parse_file("csv", f).sessions) == 10  # `cat a.gz b.gz`: gunzip reads both


def test_a_plain_csv_named_gz_is_read_as_the_csv_it_is(tmp_path: Path) -> None:
    f = tmp_path / "workouts.csv.gz"
    f.write_text(LOG)
    assert len(parse_file("csv", f).sessions) == 10


@pytest.mark.parametrize("depth", [2000, 100_000])
def test_json_nested_hundreds_deep_is_refused(ana: Store, tmp_path: Path, depth: int) -> None:
    f = tmp_path / "log.json"
    f.write_text('{"workouts":' + "[" * depth + "]" * depth + "}")
    e = refused_and_nothing_written(ana, f)
    assert "JSON" in e.message


def test_nul_bytes_inside_an_archived_csv_are_named_at_their_line(ana: Store, tmp_path: Path) -> None:
    archive = zipped(tmp_path / "export.zip", [("log.csv", (LOG + "2024-03-12,Sq\x00uat,100,5\n").encode())])
    e = refused_and_nothing_written(ana, archive)
    assert e.place == f"{archive}/log.csv:12" and "NUL" in e.message


def test_a_latin_1_file_inside_an_archive_is_read_as_windows_1252_and_said(tmp_path: Path) -> None:
    body = LOG.encode() + "2024-03-12,Bankdrücken,60,5\n".encode("latin-1")
    p = parse_file("csv", zipped(tmp_path / "export.zip", [("log.csv", body)]))
    assert p.sessions[-1].sets[0][0] == "Bankdrücken"
    assert any("Windows-1252" in w for w in p.warnings)


def test_mixed_encodings_inside_an_archive_refuse_only_the_odd_row_and_list_it(tmp_path: Path) -> None:
    body = LOG.replace("Squat", "Kniebeuge ä").encode() + "2024-03-12,Bankdrücken,60,5\n".encode("latin-1")
    p = parse_file("csv", zipped(tmp_path / "export.zip", [("log.csv", body)]))
    assert len(p.sessions) == 10 and p.sessions[0].sets[0][0] == "Kniebeuge ä"
    assert len(p.refused) == 1 and "export.zip/log.csv:12" in p.refused[0]
