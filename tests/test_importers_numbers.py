"""Apple Numbers documents (`peri.log.importers.numbersdoc`), read with numbers-parser
(https://github.com/masaccio/numbers-parser, MIT; its test suite holds documents saved by Numbers itself, and
`Document()` starts from the Apple-made template it ships, `numbers_parser/data/empty.numbers`, so the documents
written here have Numbers' own structure: `Index/Document.iwa`, tables of typed cells). The logs are this
project's own; expected sets worked out by hand. Hostile documents (cut short, password-protected, an IWA
bomb, the package missing) are refused naming the file, and a failed import stores nothing."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import detect_format, import_file, parse_file
from peri.log.importers import numbersdoc
from peri.log.models import Athlete
from peri.log.store import Store

numbers_parser = pytest.importorskip("numbers_parser")  # the dev extra installs it; see pyproject's `numbers`

ROWS = [["Date", "Exercise", "Weight (kg)", "Reps", "Notes"],
        [dt.datetime(2024, 3, 5, 18, 30), "Squat", 100, 5, "belt"],
        [None, "Squat", 102.5, 3, None],  # the date written once per session, merged down below
        [dt.datetime(2024, 3, 7), "Bench Press", 80.5, 8, None]]


def document(path: Path, tables: list[tuple[str, str, list[list[object]]]], *, password: str | None = None,
             merge: str | None = None) -> Path:
    doc = numbers_parser.Document(sheet_name=tables[0][0], table_name=tables[0][1], num_rows=1, num_cols=1)
    for n, (sheet, table, rows) in enumerate(tables):
        if n:
            names = [s.name for s in doc.sheets]
            if sheet not in names:
                doc.add_sheet(sheet, table)
                t = doc.sheets[sheet].tables[0]
            else:
                t = doc.sheets[sheet].add_table(table)
        else:
            t = doc.sheets[0].tables[0]
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    t.write(r, c, v)
        if merge and n == 0:
            t.merge_cells(merge)
    doc.save(path, password=password) if password else doc.save(path)
    return path


def sets(parsed) -> list[tuple[dt.datetime, str, float, int]]:
    return [(s.started_at, w[0], w[3], w[6]) for s in parsed.sessions for w in s.sets]


def test_a_numbers_log_reads_as_its_typed_cells(tmp_path: Path) -> None:
    f = document(tmp_path / "log.numbers", [("Sheet 1", "Table 1", ROWS)], merge="A2:A3")
    p = parse_file("csv", f)
    assert sets(p) == [(dt.datetime(2024, 3, 5, 18, 30), "Squat", 100.0, 5),
                       (dt.datetime(2024, 3, 5, 18, 30), "Squat", 102.5, 3),
                       (dt.datetime(2024, 3, 7), "Bench Press", 80.5, 8)]
    assert any("'Sheet 1'" in w for w in p.warnings)
    assert detect_format(f)[0] == "csv"


def test_the_log_table_is_found_among_a_documents_tables(tmp_path: Path) -> None:
    # a first sheet of body weights, then the log on a second sheet beside a table of maxes
    f = document(tmp_path / "log.numbers", [("Weight", "Table 1", [["Date", "Body weight"], [dt.datetime(2024, 3, 1), 80]]),
                                            ("Training", "Log", ROWS),
                                            ("Training", "Maxes", [["Lift", "1RM"], ["Squat", 140]])])
    p = parse_file("csv", f)
    assert [w[1] for w in sets(p)] == ["Squat", "Squat", "Bench Press"]  # a date-less row is the session above's
    assert any("Training / Log" in w for w in p.warnings)


def test_a_document_cut_short_is_refused_naming_the_file(tmp_path: Path) -> None:
    whole = document(tmp_path / "log.numbers", [("Sheet 1", "Table 1", ROWS)]).read_bytes()
    f = tmp_path / "cut.numbers"
    f.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert str(f) in (e.value.place or "")


def test_a_password_protected_document_is_refused_naming_the_file(tmp_path: Path) -> None:
    f = document(tmp_path / "locked.numbers", [("Sheet 1", "Table 1", ROWS)], password="secret")
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "Apple Numbers" in e.value.message


def test_an_iwa_bomb_is_refused_before_it_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = document(tmp_path / "log.numbers", [("Sheet 1", "Table 1", ROWS)])
    monkeypatch.setattr(numbersdoc, "MAX_IWA_BYTES", 1000)  # the document's IWA files are a few KiB
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "over the" in e.value.message


def test_without_the_package_the_document_is_named_with_the_ways_to_read_it(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    f = document(tmp_path / "log.numbers", [("Sheet 1", "Table 1", ROWS)])
    monkeypatch.setitem(sys.modules, "numbers_parser", None)  # import fails as where it is not installed
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "Apple Numbers document" in e.value.message
    assert "peri[numbers]" in (e.value.hint or "") and "Export To > CSV" in (e.value.hint or "")


def test_a_failed_numbers_import_stores_nothing(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="ana"))
    rows = ROWS + [["the 9th", "Squat", 100, 5]]  # a date that does not read stops the import
    f = document(tmp_path / "log.numbers", [("Sheet 1", "Table 1", rows)])
    with pytest.raises(ImportFormatError):
        import_file(store, "ana", "auto", f, map_exercise=lambda n: None)
    athlete = store.get_athlete("ana")
    assert store.count_sets(athlete.id) == 0 and store.imports(athlete.id) == []


def test_a_numbers_document_in_a_zip_reads_too(tmp_path: Path) -> None:
    import zipfile

    doc = document(tmp_path / "log.numbers", [("Sheet 1", "Table 1", ROWS)]).read_bytes()
    z = tmp_path / "log.zip"
    with zipfile.ZipFile(z, "w") as out:
        out.writestr("Training.numbers", doc)
    p = parse_file("csv", z)
    assert sum(len(s.sets) for s in p.sessions) == 3 and any("Training.numbers" in w for w in p.warnings)


_SAVED: list[Path] = []  # one package written by numbers-parser (slow), copied for each test


def package(path: Path, *, loose_index: bool = False) -> Path:
    """A Numbers document kept as a folder (a package, as a Mac keeps it and numbers-parser writes it with
    `package=True`): Index.zip, Metadata/, previews; `loose_index` unpacks Index.zip into an Index/ folder."""
    import atexit
    import shutil
    import tempfile
    import zipfile

    if not _SAVED:
        doc = numbers_parser.Document(sheet_name="Sheet 1", table_name="Table 1", num_rows=1, num_cols=1)
        t = doc.sheets[0].tables[0]
        for r, row in enumerate(ROWS):
            for c, v in enumerate(row):
                if v is not None:
                    t.write(r, c, v)
        folder = tempfile.mkdtemp()
        atexit.register(shutil.rmtree, folder, True)
        saved = Path(folder) / "saved.numbers"
        doc.save(saved, package=True)
        _SAVED.append(saved)
    shutil.copytree(_SAVED[0], path)
    if loose_index:
        with zipfile.ZipFile(path / "Index.zip") as z:
            z.extractall(path)
        (path / "Index.zip").unlink()
    return path


@pytest.mark.parametrize("loose", [False, True])
def test_a_numbers_package_folder_reads_as_the_document(tmp_path: Path, loose: bool) -> None:
    f = package(tmp_path / "Training.numbers", loose_index=loose)
    assert f.is_dir()
    p = parse_file("csv", f)
    assert sets(p) == [(dt.datetime(2024, 3, 5, 18, 30), "Squat", 100.0, 5),
                       (dt.datetime(2024, 3, 5, 18, 30), "Squat", 102.5, 3),
                       (dt.datetime(2024, 3, 7), "Bench Press", 80.5, 8)]


def test_a_numbers_package_folder_imports_through_auto(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="ana"))
    r = import_file(store, "ana", "auto", package(tmp_path / "Training.numbers"), map_exercise=lambda n: None)
    assert (r.sessions_new, r.sets_new) == (2, 3)


def test_a_numbers_folder_without_its_index_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    f = package(tmp_path / "Training.numbers")
    (f / "Index.zip").unlink()  # copied in part
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f) and "holds no Index" in e.value.message
    assert "Compress" in (e.value.hint or "") and "Export To > CSV" in (e.value.hint or "")


def test_any_other_folder_is_refused_naming_what_to_pass(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", tmp_path / "logs")
    assert e.value.message == "this is a folder, not a file" and "FOLDER/log.csv" in (e.value.hint or "")


def test_a_damaged_index_zip_in_a_package_is_refused_naming_it(tmp_path: Path) -> None:
    f = package(tmp_path / "Training.numbers")
    (f / "Index.zip").write_bytes((f / "Index.zip").read_bytes()[:200])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}/Index.zip" and "damaged" in e.value.message


def test_a_link_out_of_the_package_is_not_followed(tmp_path: Path) -> None:
    f = package(tmp_path / "Training.numbers")
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    (f / "Metadata" / "link.plist").symlink_to(secret)
    from peri.log.importers.numbersdoc import folder_bytes
    import zipfile, io  # noqa: E401

    names = zipfile.ZipFile(io.BytesIO(folder_bytes(f, 1 << 20))).namelist()
    assert "Metadata/link.plist" not in names and "Index/Document.iwa" in names


@pytest.mark.parametrize("loose", [False, True])
def test_a_numbers_package_folder_zipped_reads(tmp_path: Path, loose: bool) -> None:
    # a Mac's Compress of a package folder: "Training.numbers/Index.zip", "Training.numbers/Metadata/..."
    import zipfile

    f = package(tmp_path / "Training.numbers", loose_index=loose)
    z = tmp_path / "Training.numbers.zip"
    with zipfile.ZipFile(z, "w") as out:
        for member in sorted(f.rglob("*")):
            if member.is_file():
                out.write(member, member.relative_to(tmp_path).as_posix())
    p = parse_file("csv", z)
    assert len(sets(p)) == 3
    assert any("'Training.numbers' from the ZIP archive" in w for w in p.warnings)
