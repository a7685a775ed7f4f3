"""Hand-worked cases for `peri.log.importers.numbersdoc` (issue 20, mutation8b): the tables read and their names,
merged and error cells, the size walls at and one byte past their limits, a package folder's parts and its
refusals word for word. numbers-parser itself is replaced by a small stand-in where only numbersdoc's own work
is checked (the real library's documents are tests/test_importers_numbers.py's); the ZIP files are made here."""
from __future__ import annotations

import datetime as dt
import io
import sys
import types
import zipfile
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import archive_guard, numbersdoc
from peri.log.importers.numbersdoc import _value, folder_bytes, is_numbers, is_package, numbers_sheets, zipped_package

HINT = "in Numbers: File > Export To > CSV (or Excel), and import that file"
MIB = 1 << 20


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


# --- a stand-in for numbers-parser: sheets of tables of cells ------------------------------------------------
class Cell:
    def __init__(self, value: object) -> None:
        self.value = value


class MergedCell:
    def __init__(self, rect: tuple[int, int, int, int] | None) -> None:
        self.rect = rect


class ErrorCell:
    value = "#DIV/0!"


class FakeTable:
    def __init__(self, name: str, rows: list[list[object]]) -> None:
        self.name = name
        self._rows = rows
        self.asked: list[tuple[int, int]] = []

    def rows(self) -> list[list[object]]:
        return self._rows

    def cell(self, row: int, col: int) -> object:
        self.asked.append((row, col))
        return self._rows[row][col]


class FakeSheet:
    def __init__(self, name: str, tables: list[FakeTable]) -> None:
        self.name = name
        self.tables = tables


def fake_parser(monkeypatch: pytest.MonkeyPatch, sheets: list[FakeSheet], opened: list[Path]) -> None:
    class Document:
        def __init__(self, path: str) -> None:
            p = Path(path)
            opened.append(p)
            assert p.read_bytes()[:2] == b"PK"  # the document's bytes written out whole
            self.sheets = sheets

    monkeypatch.setitem(sys.modules, "numbers_parser", types.SimpleNamespace(Document=Document))


def c(*values: object) -> list[Cell]:
    return [Cell(v) for v in values]


DOC = zipped({"Index/Document.iwa": b"\0" * 10, "Metadata/Properties.plist": b"p"})


def test_each_table_of_each_sheet_is_read_as_text_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    log = FakeTable("Log", [c("Date", "Exercise", "Weight", None),
                            c(dt.datetime(2024, 3, 5, 18, 30), "Squat", 100.0, None),
                            c(None, None, None, None)])
    maxes = FakeTable("Maxes", [c("Lift", "1RM"), c("Squat", 140)])
    body = FakeTable("Table 1", [c("Date", "Body weight"), c(dt.date(2024, 3, 1), 80.5)])
    fake_parser(monkeypatch, [FakeSheet("Weight", [body]), FakeSheet("Training", [log, maxes])], opened)
    got = list(numbers_sheets(DOC, "log.numbers"))
    assert got == [("Weight", [["Date", "Body weight"], ["2024-03-01", "80.5"]]),
                   ("Training / Log", [["Date", "Exercise", "Weight"], ["2024-03-05 18:30:00", "Squat", "100"]]),
                   ("Training / Maxes", [["Lift", "1RM"], ["Squat", "140"]])]
    assert len(opened) == 1 and opened[0].suffix == ".numbers"
    assert not opened[0].exists()  # the copy handed to the library is removed


def test_the_copy_is_removed_when_the_library_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []

    class Document:
        def __init__(self, path: str) -> None:
            opened.append(Path(path))
            raise ValueError("damaged")

    monkeypatch.setitem(sys.modules, "numbers_parser", types.SimpleNamespace(Document=Document))
    with pytest.raises(ValueError):
        list(numbers_sheets(DOC, "log.numbers"))
    assert len(opened) == 1 and not opened[0].exists()


def test_without_the_package_the_refusal_word_for_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numbers_parser", None)
    with pytest.raises(ImportFormatError) as e:
        next(numbers_sheets(DOC, "a/log.numbers"))
    assert e.value.message == ("this is an Apple Numbers document, and numbers-parser, the package that reads it, "
                               "is not installed")
    assert e.value.place == "a/log.numbers"
    assert e.value.hint == ("pip install 'peri[numbers]' and re-run, or in Numbers: File > Export To > CSV (or "
                            "Excel), and import that file")


def test_iwa_data_at_the_limit_is_read_and_one_byte_past_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_parser(monkeypatch, [], [])
    monkeypatch.setattr(numbersdoc, "MAX_IWA_BYTES", 3 * MIB)
    # 3 MiB of IWA in two files, beside a larger file that is no IWA (a preview): at the limit, read
    at = zipped({"Index/Document.iwa": b"\0" * (2 * MIB), "Index/Tables/t.iwa": b"\0" * MIB,
                 "preview.jpg": b"\0" * (4 * MIB)}, zipfile.ZIP_DEFLATED)
    assert list(numbers_sheets(at, "log.numbers")) == []
    past = zipped({"Index/Document.iwa": b"\0" * (2 * MIB), "Index/Tables/t.iwa": b"\0" * (MIB + 1)},
                  zipfile.ZIP_DEFLATED)
    with pytest.raises(ImportFormatError) as e:
        next(numbers_sheets(past, "log.numbers"))
    assert e.value.message == "the Numbers document's data is 3 MiB compressed, over the 3 MiB limit"
    assert (e.value.place, e.value.hint) == ("log.numbers", "not a training log?")


def test_a_merged_cell_down_a_column_takes_its_first_cells_value() -> None:
    t = FakeTable("T", [c("a", "b", "c"), c("d", "e", "f"), c("g", "h", "i"), c("j", "k", "l")])
    assert _value(t, MergedCell((1, 2, 3, 2))) == "f"  # rows 1-3 of column 2: its first cell, (1, 2)
    assert t.asked == [(1, 2)]
    assert _value(t, MergedCell((1, 0, 1, 2))) is None  # across a row: the cells after the first are empty
    assert _value(t, MergedCell((0, 1, 2, 2))) is None  # a block over two columns
    assert _value(t, MergedCell(None)) is None
    assert _value(t, type("MergedCell", (), {})()) is None  # a merged cell that gives no range
    assert t.asked == [(1, 2)]
    assert _value(t, ErrorCell()) is None
    assert _value(t, Cell(102.5)) == 102.5


def test_a_numbers_document_is_told_by_its_index() -> None:
    assert is_numbers({"Index/Document.iwa", "Metadata/Properties.plist"})
    assert not is_numbers({"Document.iwa", "index/document.iwa", "Index/Tables/t.iwa"})


# --- a package folder ----------------------------------------------------------------------------------------
def package(root: Path, files: dict[str, bytes]) -> Path:
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(body)
    return root


def names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_a_loose_package_keeps_its_index_and_metadata_only(tmp_path: Path) -> None:
    f = package(tmp_path / "Log.numbers", {"Index/Tables/t.iwa": b"tt", "Index/Document.iwa": b"doc",
                                           "Metadata/Properties.plist": b"p", "Data/image.png": b"img",
                                           "preview.jpg": b"jpg"})
    assert is_package(f)
    data = folder_bytes(f, 1 << 20)
    assert names(data) == ["Index/Document.iwa", "Index/Tables/t.iwa", "Metadata/Properties.plist"]
    assert zipfile.ZipFile(io.BytesIO(data)).read("Index/Tables/t.iwa") == b"tt"


def test_a_package_with_its_index_zipped(tmp_path: Path) -> None:
    f = package(tmp_path / "Log.numbers", {"Metadata/Properties.plist": b"p",
                                           "Index.zip": zipped({"Index/Document.iwa": b"doc", "Index/Tables/": b"",
                                                                "Index/Tables/t.iwa": b"tt"})})
    assert is_package(f) and not is_package(tmp_path)
    data = folder_bytes(f, 1 << 20)
    assert names(data) == ["Metadata/Properties.plist", "Index/Document.iwa", "Index/Tables/t.iwa"]
    assert zipfile.ZipFile(io.BytesIO(data)).read("Index/Document.iwa") == b"doc"


def test_a_linked_index_zip_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.zip"
    outside.write_bytes(zipped({"Index/Document.iwa": b"doc"}))
    f = package(tmp_path / "Log.numbers", {"Metadata/Properties.plist": b"p"})
    (f / "Index.zip").symlink_to(outside)
    assert names(folder_bytes(f, 1 << 20)) == ["Metadata/Properties.plist"]


def test_a_folder_up_to_the_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    f = package(tmp_path / "Log.numbers", {"Index/Document.iwa": b"d" * 600, "Metadata/Properties.plist": b"p" * 400})
    assert len(names(folder_bytes(f, 1000))) == 2
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 999)
    assert e.value.message == ("the Numbers document's folder is not a document's ('Metadata/Properties.plist': "
                               "past the 0 MiB or 10000 files of one, or an odd name)")
    assert (e.value.place, e.value.hint) == (str(f), HINT)
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 599)
    assert "('Index/Document.iwa': past the 0 MiB" in e.value.message
    big = package(tmp_path / "Big.numbers", {"Index/Document.iwa": b"d" * (2 * MIB + 1)})
    with pytest.raises(ImportFormatError, match=r"\('Index/Document.iwa': past the 2 MiB or 10000 files"):
        folder_bytes(big, 2 * MIB)


def test_a_folder_of_too_many_files_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_guard, "MAX_MEMBERS", 3)
    f = package(tmp_path / "Log.numbers", {"Index/Document.iwa": b"a", "Index/b.iwa": b"b", "Metadata/c.plist": b"c"})
    assert len(names(folder_bytes(f, 1000))) == 3
    (f / "Metadata" / "d.plist").write_bytes(b"d")
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 1000)
    assert e.value.message == ("the Numbers document's folder is not a document's ('Metadata/d.plist': past the 0 "
                               "MiB or 3 files of one, or an odd name)")


def test_an_odd_name_in_a_folder_is_refused(tmp_path: Path) -> None:
    f = package(tmp_path / "Log.numbers", {"Index/Document.iwa": b"d", "Metadata/a\x07b.plist": b"p"})
    with pytest.raises(ImportFormatError, match=r"\('Metadata/a\\x07b.plist': past the 0 MiB or 10000 files"):
        folder_bytes(f, 1000)


def test_a_folder_without_an_index_word_for_word(tmp_path: Path) -> None:
    for name in ("Log.numbers", "LOG.NUMBERS"):
        f = package(tmp_path / name, {"Metadata/Properties.plist": b"p"})
        with pytest.raises(ImportFormatError) as e:
            folder_bytes(f, 1000)
        assert e.value.message == ("this is an Apple Numbers document kept as a folder, and it holds no Index "
                                   "(Index.zip or Index/Document.iwa): copied only in part?")
        assert e.value.place == str(f)
        assert e.value.hint == ("copy it again from the Mac, zipped (right-click > Compress), or in Numbers: File > "
                                "Export To > CSV (or Excel), and import that file")
    f = package(tmp_path / "logs", {"log.csv": b"Date\n"})
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 1000)
    assert (e.value.message, e.value.place) == ("this is a folder, not a file", str(f))
    assert e.value.hint == ("pass the log's file inside it (`peri import auto FOLDER/log.csv`), or zip the folder and "
                            "pass the .zip; a Numbers document copied off a Mac as a folder (its Index.zip inside) is "
                            "read as it is")


def test_an_index_zip_past_the_iwa_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(numbersdoc, "MAX_IWA_BYTES", 2 * MIB)
    # stored, so that no bomb ratio refuses it first. 2 MiB of IWA and 1 MiB of something else: the IWA alone
    # are counted against the limit, and each member is read up to it
    ok = {"Index/Document.iwa": b"\1" * MIB, "Index/Tables/t.iwa": b"\1" * MIB, "Index/x.bin": b"\1" * MIB}
    f = package(tmp_path / "Log.numbers", {"Index.zip": zipped(ok)})
    assert names(folder_bytes(f, 8 * MIB)) == ["Index/Document.iwa", "Index/Tables/t.iwa", "Index/x.bin"]
    past = {"Index/Document.iwa": b"\1" * MIB, "Index/Tables/t.iwa": b"\1" * (MIB + 1)}
    g = package(tmp_path / "Past.numbers", {"Index.zip": zipped(past)})
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(g, 8 * MIB)
    assert e.value.message == "the Numbers document's data is 2 MiB, over the 2 MiB limit"
    assert (e.value.place, e.value.hint) == (f"{g}/Index.zip", "not a training log?")
    # one member that is no IWA, one byte past the limit of one: refused as it is read
    h = package(tmp_path / "One.numbers", {"Index.zip": zipped({"Index/Document.iwa": b"d",
                                                               "Index/x.bin": b"\1" * (2 * MIB + 1)})})
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(h, 8 * MIB)
    assert e.value.message == "the Numbers document's Index.zip expands past the limit of a file"
    assert (e.value.place, e.value.hint) == (f"{h}/Index.zip", "not a training log?")
    k = package(tmp_path / "At.numbers", {"Index.zip": zipped({"Index/Document.iwa": b"d",
                                                              "Index/x.bin": b"\1" * (2 * MIB)})})
    assert names(folder_bytes(k, 8 * MIB)) == ["Index/Document.iwa", "Index/x.bin"]


def test_an_index_zip_is_read_within_the_folders_budget(tmp_path: Path) -> None:
    # 100 bytes of metadata and an Index.zip of 300 bytes of IWA: a limit of 400 holds them, 399 does not
    f = package(tmp_path / "Log.numbers", {"Metadata/Properties.plist": b"p" * 100,
                                           "Index.zip": zipped({"Index/Document.iwa": b"d" * 300})})
    assert len(names(folder_bytes(f, 400))) == 2
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 399)
    assert e.value.message == "the Numbers document's Index.zip expands past the limit of a file"
    assert (e.value.place, e.value.hint) == (f"{f}/Index.zip", "not a training log?")


def test_a_damaged_index_zip_word_for_word(tmp_path: Path) -> None:
    f = package(tmp_path / "Log.numbers", {"Index.zip": b"PK\3\4 not a zip at all"})
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 1000)
    assert e.value.message == "the Numbers document's Index.zip is damaged (File is not a zip file)"
    assert (e.value.place, e.value.hint) == (f"{f}/Index.zip", HINT)


# --- a package folder zipped ---------------------------------------------------------------------------------
def test_a_zipped_package_is_the_document_it_stands_for(tmp_path: Path) -> None:
    members = {"Training.numbers/Metadata/Properties.plist": b"p", "Training.numbers/preview.jpg": b"jpg",
               "Training.numbers/Index/Document.iwa": b"doc", "Training.numbers/Index/Tables/t.iwa": b"tt",
               "Other/Index/x.iwa": b"x", "Training.numbersIndex/y.iwa": b"y", "Training.numbers/Data/z": b"z",
               "Another_folder_x/Index/w.iwa": b"w"}  # 16 characters, as "Training.numbers": no member of it
    z = zipfile.ZipFile(io.BytesIO(zipped(members)))
    data, root = zipped_package(z, z.namelist(), "a.zip", 1000)
    assert root == "Training.numbers"
    assert names(data) == ["Metadata/Properties.plist", "Index/Document.iwa", "Index/Tables/t.iwa"]


def test_a_zipped_package_with_its_index_zipped(tmp_path: Path) -> None:
    index = zipped({"Index/Document.iwa": b"d" * 300})
    members = {"Log.numbers/Metadata/Properties.plist": b"p" * 100, "Log.numbers/Index.zip": index}
    z = zipfile.ZipFile(io.BytesIO(zipped(members)))
    data, root = zipped_package(z, z.namelist(), "a.zip", 100 + len(index) + 300)
    assert root == "Log.numbers"
    assert names(data) == ["Metadata/Properties.plist", "Index/Document.iwa"]
    with pytest.raises(ImportFormatError) as e:  # the Index.zip's bytes and what it expands to both count
        zipped_package(z, z.namelist(), "a.zip", 100 + len(index) + 299)
    assert e.value.message == "the Numbers document's Index.zip expands past the limit of a file"
    assert e.value.place == "a.zip/Log.numbers/Index.zip"


def test_an_archive_of_no_package_or_of_two_is_read_as_any() -> None:
    for members in ({"log.csv": b"Date\n", "Log.numbers/Metadata/Properties.plist": b"p"},
                    {"A.numbers/Index.zip": zipped({"Index/Document.iwa": b"d"}),
                     "B.numbers/Index/Document.iwa": b"d"}):
        z = zipfile.ZipFile(io.BytesIO(zipped(members)))
        assert zipped_package(z, z.namelist(), "a.zip", 1000) is None


def test_a_zipped_package_past_the_limit_is_refused() -> None:
    members = {"Log.numbers/Index/Document.iwa": b"d" * 600, "Log.numbers/Metadata/Properties.plist": b"p" * 400}
    z = zipfile.ZipFile(io.BytesIO(zipped(members)))
    assert len(names(zipped_package(z, z.namelist(), "a.zip", 1000)[0])) == 2
    with pytest.raises(ImportFormatError) as e:
        zipped_package(z, z.namelist(), "a.zip", 999)
    assert e.value.message == "the Numbers document in the ZIP archive expands past the limit of a file"
    assert e.value.place == "a.zip/Log.numbers"
    assert e.value.hint == "not a training log?"


def test_an_unsafe_name_in_a_zipped_package_is_refused_before_anything_is_read() -> None:
    members = {"Log.numbers/Index/Document.iwa": b"d", "Log.numbers/Metadata/../../x": b"p"}
    z = zipfile.ZipFile(io.BytesIO(zipped(members)))
    with pytest.raises(ImportFormatError) as e:
        zipped_package(z, z.namelist(), "a.zip", 1000)
    assert e.value.message == ("a member of the ZIP archive is named 'Log.numbers/Metadata/../../x', a path climbing "
                               "out of the archive with '..'")
    assert e.value.place == "a.zip:1"


def test_a_zipped_packages_index_past_what_is_left_word_for_word() -> None:
    # 100 bytes of metadata, then an Index.zip of n bytes: a limit of 100 + n - 1 leaves too little for the
    # Index.zip itself; it is refused as past the limit, never read cut short and called damaged
    index = zipped({"Index/Document.iwa": b"d" * 300})
    n = len(index)
    members = {"Log.numbers/Metadata/Properties.plist": b"p" * 100, "Log.numbers/Index.zip": index}
    z = zipfile.ZipFile(io.BytesIO(zipped(members)))
    for limit in (100 + n - 1, 100 + n - 2, 150):
        with pytest.raises(ImportFormatError) as e:
            zipped_package(z, z.namelist(), "a.zip", limit)
        assert e.value.message == "the Numbers document in the ZIP archive expands past the limit of a file", limit
        assert (e.value.place, e.value.hint) == ("a.zip/Log.numbers", "not a training log?")
    with pytest.raises(ImportFormatError) as e:  # the Index.zip read whole, nothing left for what it holds
        zipped_package(z, z.namelist(), "a.zip", 100 + n)
    assert (e.value.message, e.value.place) == ("the Numbers document's Index.zip expands past the limit of a file",
                                                "a.zip/Log.numbers/Index.zip")


def test_an_index_zip_with_an_odd_name_is_refused_naming_it(tmp_path: Path) -> None:
    f = package(tmp_path / "Log.numbers", {"Index.zip": zipped({"Index/Document.iwa": b"d", "../x.iwa": b"x"})})
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 1000)
    assert e.value.message == "a member of the ZIP archive is named '../x.iwa', a path climbing out of the archive with '..'"
    assert e.value.place == f"{f}/Index.zip:1"


def test_a_damaged_member_of_an_index_zip_names_the_first_80_characters_of_why(tmp_path: Path) -> None:
    name = "Index/Tables/" + "x" * 70 + ".iwa"
    data = bytearray(zipped({"Index/Document.iwa": b"d", name: b"table" * 10}))
    at = data.find(b"table")
    data[at] ^= 0xFF  # its CRC-32 no longer matches
    f = package(tmp_path / "Log.numbers", {"Index.zip": bytes(data)})
    with pytest.raises(ImportFormatError) as e:
        folder_bytes(f, 1000)
    # "Bad CRC-32 for file '" (21) + "Index/Tables/" (13) + 46 of the x's = 80
    assert e.value.message == "the Numbers document's Index.zip is damaged (Bad CRC-32 for file 'Index/Tables/" + "x" * 46 + ")"
