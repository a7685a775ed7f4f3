"""Excel's "Unicode Text (*.txt)": UTF-16 little-endian with a byte-order mark, tab-separated, CRLF lines, a cell
holding a line break or a quote written quoted (herongyang.com/Unicode/Excel-Save-File-in-Unicode-Text-txt.html,
a hex dump of such a file: `FFFE` then UTF-16LE, `0D000A00` line ends; office-forums.com thread "Excel 2000: File
format of Unicode text files" on the quotes). macOS Excel names it "UTF-16 Unicode Text (.txt)"
(strata.uga.edu/8370/rtips/textFiles.html). Such files read as any CSV; a cut-short or odd one is refused naming
the file. Expected sets worked out by hand."""
from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import parse_file

TEXT = ("Date\tExercise\tWeight (kg)\tReps\tNotes\r\n"
        "05.03.2024\tKniebeuge\t100\t5\t\"felt \"\"heavy\"\"\r\nnext time belt\"\r\n"
        "07.03.2024\tBankdrücken\t82,5\t8\t\r\n"
        "07.03.2024\tКлимчик 💪\t30\t10\t\r\n")


def unicode_text(tmp_path: Path, text: str = TEXT, name: str = "log.txt") -> Path:
    f = tmp_path / name
    f.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return f


def test_excels_unicode_text_reads_as_its_table(tmp_path: Path) -> None:
    p = parse_file("csv", unicode_text(tmp_path))
    got = [(s.started_at, w[0], w[3], w[6], w[-1]) for s in p.sessions for w in s.sets]
    assert got == [(dt.datetime(2024, 3, 5), "Kniebeuge", 100.0, 5, 'felt "heavy"\r\nnext time belt'),  # the note as typed
                   (dt.datetime(2024, 3, 7), "Bankdrücken", 82.5, 8, None),
                   (dt.datetime(2024, 3, 7), "Климчик 💪", 30.0, 10, None)]


def test_the_big_endian_byte_order_reads_too(tmp_path: Path) -> None:
    f = tmp_path / "be.txt"
    f.write_bytes(codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"))
    assert sum(len(s.sets) for s in parse_file("csv", f).sessions) == 3


def test_a_unicode_text_file_cut_inside_a_character_is_refused_naming_it(tmp_path: Path) -> None:
    whole = unicode_text(tmp_path).read_bytes()
    f = tmp_path / "cut.txt"
    f.write_bytes(whole[:-1])  # a download cut one byte short of the end
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place.startswith(str(f)) and "UTF-16" in e.value.message


def test_a_unicode_text_file_cut_inside_its_last_row_is_refused(tmp_path: Path) -> None:
    f = unicode_text(tmp_path, TEXT[: TEXT.rindex("\t\r\n") - 20], "cut.txt")  # cut mid-row, on a character
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:5" and "cut short" in (e.value.hint or "")  # nothing read up to the cut


def test_a_lone_surrogate_in_utf16_is_refused_naming_the_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(codecs.BOM_UTF16_LE + "Date\tExercise\r\n".encode("utf-16-le") + b"\x00\xd8" + "x\r\n".encode("utf-16-le"))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place.startswith(str(f))


def test_a_bad_character_is_named_by_line_and_column_not_byte(tmp_path: Path) -> None:
    # line 4 "07.03.2024\tКлимчик" and then a lone high surrogate: the 19th character of that line, 47th of the
    # text past the header lines (a byte offset no editor shows)
    text = TEXT.replace("Климчик 💪", "Климчик\ud800", 1)
    f = tmp_path / "bad.txt"
    f.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le", errors="surrogatepass"))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:5"  # the note's line break in row 2 makes the Климчик row line 5
    assert "illegal UTF-16 surrogate" in e.value.message and "at line 5, column 19" in e.value.message
    assert "byte" in e.value.message and "text editor at that line" in (e.value.hint or "")


def test_a_file_cut_inside_its_last_character_says_so_with_its_line(tmp_path: Path) -> None:
    whole = unicode_text(tmp_path).read_bytes()
    f = tmp_path / "cut.txt"
    f.write_bytes(whole[:-1])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    # the cut is in the last row's closing line break: line 5, after its 27 characters (💪 is one) and the "\r"
    assert e.value.place == f"{f}:5" and "column 29: it ends inside a character" in e.value.message
    assert "cut short" in (e.value.hint or "")
