"""Killing tests for the importer modules added in the imports5-7 sessions (issue 20, mutation6b): archive_guard,
archive, resaved, groups, gymaholic, jsonlog, wholesets, unitcheck, yearless, localdates. Each module's entry in
scripts/mutation_modules.yaml selects this file with its own tests; expected values are worked by hand."""
from __future__ import annotations

import gzip
import zipfile
import zlib

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import archive_guard

_HINT = "not a training-log export? Unzip it yourself and pass the log's .csv"
MIB = 1 << 20


# --- archive_guard --------------------------------------------------------------------------------------------
def _info(name: str, size: int, compressed: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, size if compressed is None else compressed
    return info


def test_bomb_ratio_at_its_edges() -> None:
    floor = 16 * MIB  # 16,777,216 bytes
    # nothing compressed counts as one byte: the ratio is the expanded size itself
    assert archive_guard.bomb_ratio(floor + 1, 0) == 16_777_217.0
    assert archive_guard.bomb_ratio(floor + 1, 1) == 16_777_217.0
    # exactly 200 times is allowed, a little more is a bomb; 16 MiB itself is never one
    assert archive_guard.bomb_ratio(20_000_000, 100_000) is None
    assert archive_guard.bomb_ratio(20_000_000, 99_999) == pytest.approx(200.002)
    assert archive_guard.bomb_ratio(floor, 1) is None


def _refusal(infos, read, limit=64 * MIB) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as e:
        archive_guard.check_zip(infos, read, "z.zip", limit)
    return e.value


def test_check_zip_refusals_word_for_word() -> None:
    many = [_info(f"{i}.csv", 10) for i in range(10_001)]
    e = _refusal(many, [])
    assert (e.message, e.place, e.hint) == (
        "the ZIP archive holds 10001 entries, more than the 10000 an export could hold", "z.zip:1", _HINT)
    archive_guard.check_zip(many[:10_000], [], "z.zip", 64 * MIB)  # 10,000 entries pass
    long = "../" + "a" * 100 + ".csv"
    e = _refusal([_info(long, 10)], [])
    assert (e.message, e.place, e.hint) == (
        f"a member of the ZIP archive is named {long[:80]!r}, a path climbing out of the archive with '..'",
        "z.zip:1", _HINT)
    # 30 MiB from 31,457 bytes: 1000.009 times
    bomb = _info("log.csv", 30 * MIB, 31_457)
    e = _refusal([bomb], [bomb])
    assert (e.message, e.place, e.hint) == (
        "this member of the ZIP archive expands 1000 times its compressed size, to 30 MiB: a zip bomb, not an export",
        "z.zip/log.csv", _HINT)
    two = [_info("a.csv", 2 * MIB), _info("b.csv", 2 * MIB)]
    e = _refusal(two, two, limit=3 * MIB)
    assert (e.message, e.place, e.hint) == (
        "the tables in the ZIP archive expand to 4 MiB together, over the 3 MiB limit of a file", "z.zip:1", _HINT)
    # a member of exactly the limit and one more byte: over together
    edge = [_info("a.csv", 3 * MIB), _info("b.csv", 1)]
    assert _refusal(edge, edge, limit=3 * MIB).message.startswith("the tables in the ZIP archive expand to 3 MiB")
    # exactly the limit together passes; a member alone past it is left to `archive`, which names it
    halves = [_info("a.csv", 3 * MIB // 2), _info("b.csv", 3 * MIB // 2)]
    archive_guard.check_zip(halves, halves, "z.zip", 3 * MIB)
    big = [_info("a.csv", 4 * MIB), _info("b.csv", 1)]
    archive_guard.check_zip(big, big, "z.zip", 3 * MIB)


@pytest.mark.parametrize("name, why", [
    ("a\x7fb.csv", "which holds control or direction characters"),  # DEL
    ("a\x9fb.csv", "which holds control or direction characters"),  # the last C1 control
    ("a\xa0b.csv", None),  # a no-break space is a name's character
    ("\\evil.csv", "an absolute path"),
    ("C:", "an absolute path"),
    ("a", None),
    ("logs\\..\\..\\evil.csv", "a path climbing out of the archive with '..'"),
    ("logs/a..b.csv", None),
])
def test_unsafe_names_by_hand(name: str, why: str | None) -> None:
    assert archive_guard.unsafe_name(name) == why


def test_inflate_gzip_at_its_limits() -> None:
    a10 = gzip.compress(b"a" * 10)
    assert archive_guard.inflate_gzip(gzip.compress(b"a" * 1000), 10) == (b"a" * 11, True)  # one byte past: over
    assert archive_guard.inflate_gzip(a10, 10) == (b"a" * 10, True)
    # members one after another: the second read up to one byte past the limit, whatever the first held
    assert archive_guard.inflate_gzip(gzip.compress(b"a" * 8) + gzip.compress(b"b" * 8), 10) == (b"a" * 8 + b"bbb", True)
    assert archive_guard.inflate_gzip(a10 + gzip.compress(b"b" * 5), 10) == (b"a" * 10 + b"b", True)
    # cut short (the trailer gone) at exactly the limit: not ended, not over
    assert archive_guard.inflate_gzip(a10[:-8], 10) == (b"a" * 10, False)
    # NUL padding after a member is no member; other bytes there, or zlib's own header, are no gzip
    assert archive_guard.inflate_gzip(a10 + b"\0" * 512, 100) == (b"a" * 10, True)
    with pytest.raises(zlib.error):
        archive_guard.inflate_gzip(a10 + b"XX", 100)
    with pytest.raises(zlib.error):
        archive_guard.inflate_gzip(zlib.compress(b"a" * 10), 100)


# --- resaved --------------------------------------------------------------------------------------------------
def test_from_sheet_reads_only_the_tables_first_warning() -> None:
    from peri.log.importers.resaved import from_sheet

    assert from_sheet([]) is False
    assert from_sheet(["read sheet 'Log' of the workbook"]) is True
    assert from_sheet(["read 3 sheets of the workbook as one log, one after the other: ..."]) is True
    assert from_sheet(["1 lines above the header were not read", "read sheet 'Log' of the workbook"]) is False
    assert from_sheet(["2 rows of notes", "read 3 sheets of the workbook as one log"]) is False
    assert from_sheet(["read 3 lines as one log"]) is False
    assert from_sheet(["the sheets of the workbook were read"]) is False


def test_unhide_skips_the_last_column_and_empty_cells() -> None:
    from peri.log.importers.resaved import unhide

    def reads(row: list[str]) -> bool:  # a row reads when its third cell is a number
        return row[2].strip().isdigit()

    assert unhide([], [0], reads) is None
    # the last column has no next cell to join; the columns are tried in order whatever order they are given in
    assert unhide(["d", "Press", " DB)", "20"], [3, 1], reads) == ["d", "Press, DB)", "20", ""]
    # a blank cell on either side is no split name, even where the join would read
    assert unhide(["d", "Press", " ", "20"], [1], reads) is None
    assert unhide(["d", " ", "x", "20"], [1], reads) is None
    # the next-to-last column joins the last (the row then ends in the empty cell the sheet dropped)
    assert unhide(["d", "Press", " DB)"], [1], lambda row: row[-1] == "") == ["d", "Press, DB)", ""]
    # a blank column is passed over, and the next one still tried
    assert unhide(["d", " ", "Press", " DB)", "20"], [1, 2], lambda row: row[3].strip().isdigit()) == [
        "d", " ", "Press, DB)", "20", ""]


# --- groups ---------------------------------------------------------------------------------------------------
def _grouped(text: str):
    from peri.log.importers.base import read_table
    from peri.log.importers.groups import ungroup

    table = read_table("g.csv", data=text.encode())
    return ungroup(table), table


def test_ungroup_its_note_header_and_short_rows() -> None:
    note, table = _grouped("Date,Exercise 1,Weight 1,Reps 1,Exercise 2,Weight 2,Reps 2\n"
                           "2024-03-01,Squat,100,5,Bench Press,80\n2024-03-03,Deadlift,140\n2024-03-05,,,,,,\n")
    assert note == ("a row per workout with 2 exercises side by side ('Exercise' groups from column 2): read as a "
                    "row per exercise, each group's columns under one header")
    assert (table.header, table.raw_header, table.width) == (["Date", "Exercise", "Weight", "Reps"],) * 2 + (4,)
    # cells past a short row's end are empty; a row of no exercise is kept once, for the reader to name
    assert list(table.rows) == [(2, ["2024-03-01", "Squat", "100", "5"]), (2, ["2024-03-01", "Bench Press", "80", ""]),
                                (3, ["2024-03-03", "Deadlift", "140", ""]), (4, ["2024-03-05", "", "", ""])]


def test_ungroup_names_with_and_without_the_groups_number() -> None:
    # numbers written without a space, columns that stay the same in every group, three groups
    note, table = _grouped("Day,Lift1,Weight (KG)1,Set 1,Lift2,Weight (KG)2,Set 1,Lift3,Weight (KG)3,Set 1\n"
                           "2024-03-01,Squat,100,5,Bench,80,8,Row,60,10\n")
    assert note is not None and "3 exercises side by side ('Exercise' groups from column 2)" in note
    assert table.header == ["Day", "Exercise", "Weight (KG)", "Set 1"]
    assert [row for _, row in table.rows] == [["2024-03-01", "Squat", "100", "5"], ["2024-03-01", "Bench", "80", "8"],
                                              ["2024-03-01", "Row", "60", "10"]]


@pytest.mark.parametrize("header", [
    "Date,Exercise 1,Weight 1",  # one group
    "Date,Exercise 1,Weight 1,Reps 1,Exercise 2,Weight 2",  # groups of different widths
    "Date,Exercise 1,Weight 1,Exercise 2,Weight",  # numbered in one group only
    "Date,Exercise 1,Weight 1,Exercise 2,Load 2",  # the same place, other columns
    "Date,Exercise 1,Set 1,Exercise 2,Set 2,Exercise 3,Set 2",  # numbered, but not by the group
    "Date,Exercise 1,Weight,Exercise 2,Load",  # the same place, other columns, neither numbered
    "Date,Exercise 1,Weight 1,Exercise 3,Weight 3",  # a group missing
    "Date,Exercise 1,1,Exercise 2,2",  # a bare number is no numbered name
])
def test_ungroup_leaves_tables_that_are_no_grouped_log(header: str) -> None:
    note, table = _grouped(header + "\n" + ",".join(["2024-03-01"] + ["5"] * header.count(",")) + "\n")
    assert note is None and table.header == header.split(",")


# --- archive --------------------------------------------------------------------------------------------------
LOG = b"Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100,5\n"


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def _refused(call, *args) -> tuple[str, str | None, str | None]:
    with pytest.raises(ImportFormatError) as e:
        call(*args)
    return e.value.message, e.value.place, e.value.hint


def test_gunzip_reads_names_and_refuses_word_for_word() -> None:
    from peri.log.importers.archive import Member, gunzip

    assert gunzip(gzip.compress(LOG), "log.csv.GZ", 100) == Member(LOG, "log.csv", "read 'log.csv' from the gzip file")
    assert gunzip(gzip.compress(LOG), "log", 100) == Member(LOG, "log (decompressed)",
                                                             "read 'log (decompressed)' from the gzip file")
    # a whole gzip header, then a deflate block of the type no encoder writes (3)
    assert _refused(gunzip, b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xff\xff", "x.gz", 100) == (
        "this is a gzip-compressed file, and it is damaged (Error -3 while decompressing data: invalid block type)",
        "x.gz:1", "download or export it again, or pass the .csv inside")
    assert len(gunzip(gzip.compress(b"a" * 2 * MIB), "x.gz", 2 * MIB).data) == 2 * MIB  # the limit itself is read
    assert _refused(gunzip, gzip.compress(b"a" * (2 * MIB + 1)), "x.gz", 2 * MIB) == (
        "the gzip file expands past the 2 MiB limit of a file", "x.gz", "not a training-log export?")
    assert _refused(gunzip, gzip.compress(LOG)[:-8], "x.gz", 100) == (
        "this gzip file is cut short (its compressed data ends early, or is no gzip data)", "x.gz:1",
        "download or export it again")
    bomb = gzip.compress(b"\0" * (17 * MIB))
    assert _refused(gunzip, bomb, "x.gz", 64 * MIB) == (
        f"the gzip file expands {17 * MIB / len(bomb):.0f} times its size: a bomb, not an export", "x.gz",
        "not a training-log export?")
    for inner in (gzip.compress(LOG), _zip({"log.csv": LOG})):
        assert _refused(gunzip, gzip.compress(inner), "x.gz", 10_000) == (
            "an archive inside the archive is not opened", "x.gz", "unzip it and pass the .csv inside")


def test_zip_member_picks_the_log_and_names_the_rest() -> None:
    from peri.log.importers.archive import Member, zip_member

    assert zip_member(b"not a zip", "x.zip", 100) is None
    hidden = {"__MACOSX/._log.csv": b"x", "__MACOSX/log.csv": b"x", ".DS_Store": b"x", "notes/.hidden.csv": b"x"}
    assert zip_member(_zip({"log.csv": LOG, "readme.md": b"hi", **hidden}), "x.zip", 10_000) == Member(
        LOG, "x.zip/log.csv", "read 'log.csv' from the ZIP archive; not read: 'readme.md'")
    assert zip_member(_zip({"log.csv": LOG}), "x.zip", 10_000).note == "read 'log.csv' from the ZIP archive"
    # the same bytes in two folders count once
    assert zip_member(_zip({"a/log.csv": LOG, "b/log.csv": LOG}), "x.zip", 10_000).path == "x.zip/a/log.csv"
    body = b"Date,Bodyweight\n2024-03-01,80\n"
    assert zip_member(_zip({"body.csv": body, "log.csv": LOG, "a.png": b"x"}), "x.zip", 10_000) == Member(
        LOG, "x.zip/log.csv", "read 'log.csv' from the ZIP archive of 2 tables, the one whose columns are a "
        "training log's; not read: 'body.csv', 'a.png'")
    assert _refused(zip_member, _zip({"a.csv": body, "b.csv": body + b"\n"}), "x.zip", 10_000) == (
        "no file in the ZIP archive has a header naming a date and an exercise column (it holds 'a.csv', 'b.csv')",
        "x.zip:1", "unzip it and pass the log's file; `peri import csv FILE --map COLUMN=FIELD` reads other columns")
    assert _refused(zip_member, _zip({"a.csv": LOG, "b.csv": LOG + b"\n"}), "x.zip", 10_000) == (
        "the ZIP archive holds 2 training logs ('a.csv', 'b.csv'); which one to import is not guessed", "x.zip:1",
        "unzip it and pass the log's file (`peri import auto FILE`) for each log you mean, one at a time")


def test_zip_member_without_a_table_lists_what_it_holds() -> None:
    from peri.log.importers.archive import zip_member

    pictures = {f"{i}.png": b"x" for i in range(8)}
    assert _refused(zip_member, _zip(pictures), "x.zip", 10_000) == (
        "this is a ZIP archive holding no CSV file, workbook or JSON log (it holds '0.png', '1.png', '2.png', "
        "'3.png', '4.png', '5.png' and 2 more)", "x.zip:1",
        "export your log from the app as CSV (or unzip it and pass the .csv inside)")
    assert _refused(zip_member, _zip(dict(list(pictures.items())[:6])), "x.zip", 10_000)[0] == (
        "this is a ZIP archive holding no CSV file, workbook or JSON log (it holds '0.png', '1.png', '2.png', "
        "'3.png', '4.png', '5.png')")  # six named, none counted
    assert _refused(zip_member, _zip({"logs.ZIP": b"x"}), "x.zip", 10_000) == (
        "this is a ZIP archive holding no CSV file, workbook or JSON log (it holds 'logs.ZIP')", "x.zip:1",
        "unzip it, and the archive inside it, and pass the .csv")
    assert _refused(zip_member, _zip({"empty/": b""}), "x.zip", 10_000)[0] == (
        "this is a ZIP archive holding no CSV file, workbook or JSON log (it holds nothing)")


def test_zip_members_refused_by_name() -> None:
    from peri.log.importers.archive import zip_member

    assert _refused(zip_member, _zip({"log.csv": b"a" * (2 * MIB)}), "x.zip", MIB) == (
        "this member of the ZIP archive expands to 2 MiB, over the 1 MiB limit of a file", "x.zip/log.csv",
        "not a training-log export?")
    # a member of exactly the limit is read whole
    assert zip_member(_zip({"log.csv": LOG}), "x.zip", len(LOG)).data == LOG
    encrypted = bytearray(_zip({"log.csv": LOG}))
    encrypted[encrypted.index(b"PK\x01\x02") + 8] |= 1  # the central directory's flag: encrypted
    assert _refused(zip_member, bytes(encrypted), "x.zip", 10_000) == (
        "this member of the ZIP archive is encrypted", "x.zip/log.csv",
        "unzip it with its password and pass the file inside")
    data = bytearray(_zip({"log.csv": LOG}, zipfile.ZIP_STORED))
    data[data.index(b"Squat")] = ord("s")  # the stored bytes no longer match their CRC
    assert _refused(zip_member, bytes(data), "x.zip", 10_000) == (
        "this member of the ZIP archive is damaged (Bad CRC-32 for file 'log.csv')", "x.zip/log.csv",
        "download or export the archive again")
    assert _refused(zip_member, _zip({"log.csv": gzip.compress(LOG)}), "x.zip", 10_000) == (
        "an archive inside the archive is not opened", "x.zip/log.csv", "unzip it and pass the .csv inside")


# --- unitcheck ------------------------------------------------------------------------------------------------
# 20 loads of three barbell lifts on pound plate landmarks (the 45 lb bar, 135/225/315/405, steps of 5)
PLATES_LB = [45, 45, 135, 225, 225, 225, 315, 135, 225, 315, 405, 405, 185, 95, 135, 185, 275, 365, 455, 495]
LIFTS = ["Squat (Barbell)"] * 7 + ["Bench Press (Barbell)"] * 6 + ["Deadlift (Barbell)"] * 7


def _stated(loads: list[float], header: str = "Weight (kg)", **options):
    from peri.log.importers import parse_file

    rows = [f"2024-03-{1 + i // 10:02d},{ex},{w:g},5" for i, (ex, w) in enumerate(zip(LIFTS, loads))]
    return parse_file("csv", "u.csv", data=("\n".join([f"Date,Exercise,{header},Reps", *rows]) + "\n").encode(),
                      mapping=options)


def test_doubt_stated_units_from_twenty_loads_word_for_word() -> None:
    from peri.log.importers.unitcheck import doubt_stated_units
    from peri.log.units import infer_unit

    p = _stated(PLATES_LB)
    evidence = infer_unit([(ex, float(w)) for ex, w in zip(LIFTS, PLATES_LB)]).evidence
    assert len(evidence) == 2
    assert doubt_stated_units(p, None, ["Date", "Exercise", "Weight (kg)", "Reps"]) == (
        "the file states kg for 20 loads, but they look like lb: " + "; ".join(evidence) + ". They were stored as "
        "kg, as stated; if they are lb, `peri import reunit --athlete NAME --from kg --to lb` re-reads them once "
        "imported (the numbers as logged are kept; swapping --from and --to undoes it), or undo this import "
        "(`peri import undo`) and re-import with the weight column read without its unit (`peri import csv FILE "
        "--map 'Weight (kg)=weight' --unit lb`)")
    assert doubt_stated_units(p, "kg") is None  # --unit given: never doubted
    assert doubt_stated_units(_stated(PLATES_LB[:19]), None) is None  # 19 loads are too few to doubt
    assert doubt_stated_units(_stated(PLATES_LB, header="Weight", unit="kg"), None) is None  # not stated: --unit


def test_weight_column_named_in_the_re_import() -> None:
    from peri.log.importers.unitcheck import _weight_column

    assert _weight_column(["Date", "Exercise", "weight_kg", "Reps"]) == "weight_kg"
    assert _weight_column(["Date", "Load", "Reps"]) == "Load"
    assert _weight_column(["Date", "Weight's load (kg)"]) == "Weights load (kg)"  # no quote to break the shell's
    assert _weight_column(["Date", "Reps"]) == "COLUMN"
    assert _weight_column(None) == "COLUMN"


def _session(day: int, line: int, *sets: tuple[str, float | None, str | None]):
    import datetime as dt

    from peri.log.importers.base import ParsedSession

    s = ParsedSession(started_at=dt.datetime(2024, 3, 1) + dt.timedelta(days=day), name="", duration_s=None,
                      notes=None, source="csv", line=line)
    s.sets = [[ex, None, 1, w, u, None, 5, None, None, None, None, "normal", None] for ex, w, u in sets]
    return s


def _carry_on(*sessions) -> str | None:
    from peri.log.importers.base import ParsedFile
    from peri.log.importers.unitcheck import _numbers_carry_on

    p = ParsedFile(path="u.csv", fmt="csv")
    p.sessions = list(sessions)
    return _numbers_carry_on(p)


def test_numbers_carrying_on_across_a_change_of_unit_at_the_edges() -> None:
    # 92 / 80 is 1.15: within 15 %; 21 days apart: close. The heaviest set of a session is its top load; loads of
    # 0, no load and no unit are none; sessions are taken in date order whatever their order in the file
    first = _session(0, 2, ("Squat", 60.0, "kg"), ("Squat", 80.0, "kg"), ("Bench", 60.0, "kg"), ("Row", 0.0, "kg"),
                     ("Curl", None, "kg"), ("Dip", 20.0, None))
    later = _session(21, 9, ("Squat", 92.0, "lb"), ("Bench", 55.0, "lb"), ("Row", 0.0, "lb"), ("Dip", 20.0, "lb"))
    assert _carry_on(later, first) == (
        "the stated unit changes between close sessions while the loads carry on as if it had not, in 2 lifts "
        "(Squat: 80 kg (line 2) then 92 lb (line 9); Bench: 60 kg (line 2) then 55 lb (line 9)): one side's unit "
        "looks wrong (pounds are 2.2 times the number of kilograms). Stored as stated; check those rows, and "
        "re-import them with the right unit")
    # 22 days apart, or one lift alone, says nothing; 92.5 / 80 is 15.6 % more
    assert _carry_on(_session(0, 2, ("Squat", 80.0, "kg"), ("Bench", 60.0, "kg")),
                     _session(22, 9, ("Squat", 92.0, "lb"), ("Bench", 55.0, "lb"))) is None
    assert _carry_on(_session(0, 2, ("Squat", 80.0, "kg"), ("Bench", 60.0, "kg")),
                     _session(21, 9, ("Squat", 92.5, "lb"), ("Bench", 55.0, "lb"))) is None
    # a lift that switches back and forth counts once, with its first switch; four lifts, three named
    many = [_session(7 * k, 2 + k, *[(ex, 100.0, "kg" if k % 2 == 0 else "lb") for ex in "ABCD"]) for k in range(3)]
    assert _carry_on(*many).startswith(
        "the stated unit changes between close sessions while the loads carry on as if it had not, in 4 lifts (A: "
        "100 kg (line 2) then 100 lb (line 3); B: 100 kg (line 2) then 100 lb (line 3); C: 100 kg (line 2) then "
        "100 lb (line 3)): one side's")


# --- gymaholic ------------------------------------------------------------------------------------------------
GYM = """
;-----------------
;Upper A
;-----------------
;Date;Dec 30., 06:04
;Duration;1h:28m
;KCAL;495

#;Side Plank;;TIME;REST
1;;;0:30;0:00
#;Military Press;REPS;TIME;REST
W;;65 lbs x 8;;0:00
1;;95.5 LBS. x 5;;1:30
2;; x 8
;Push
;Date;Jan 2., 18:30
#;Squat
Warmup;;100 kg × 5
3;;5 x 3
"""


def _gym(text: str):
    from peri.log.importers.base import read_table

    return read_table("g.csv", data=text.encode())


def test_gymaholic_flattened_row_by_row() -> None:
    from peri.log.importers.gymaholic import flatten, looks_like_gymaholic

    table = _gym(GYM)
    assert looks_like_gymaholic(table) is True
    assert flatten(table) == ("read as Gymaholic's export (a block per workout: its title, ';Date;...', then "
                              "'#;EXERCISE' and its numbered set lines)")
    head = ["Date", "Workout Name", "Workout Duration", "Exercise", "Set Type", "Weight", "Unit", "Reps", "Seconds"]
    assert (table.header, table.raw_header, table.width, table.warnings) == (head, head, 9, [])
    # 1h:28m = 5,280 s; a time of 0:00 is none; the rest column is not the time; a title line names the next workout
    assert list(table.rows) == [
        (10, ["Dec 30., 06:04", "Upper A", "5280", "Side Plank", "normal", "", "", "", "30"]),
        (12, ["Dec 30., 06:04", "Upper A", "5280", "Military Press", "W", "65", "lbs", "8", ""]),
        (13, ["Dec 30., 06:04", "Upper A", "5280", "Military Press", "normal", "95.5", "LBS.", "5", ""]),
        (14, ["Dec 30., 06:04", "Upper A", "5280", "Military Press", "normal", "", "", "8", ""]),
        (18, ["Jan 2., 18:30", "Push", "", "Squat", "Warmup", "100", "kg", "5", ""]),
        (19, ["Jan 2., 18:30", "Push", "", "Squat", "normal", "5", "", "3", ""])]


@pytest.mark.parametrize("first, found", [
    (";Date;Dec 30., 06:04\n#;Squat\n1;;100 kg x 5\n", True),
    ("x;Date;Dec 30., 06:04\n#;Squat\n1;;100 kg x 5\n", False),  # a first cell
    (";Day;Dec 30., 06:04\n#;Squat\n1;;100 kg x 5\n", False),  # not Date
    (";Date;Dec 30., 06:04\n#;\n1;;100 kg x 5\n", False),  # an exercise line without its name
    (";Date;Dec 30., 06:04\n" + ";KCAL;1\n" * 59 + "#;Squat\n", True),  # the 60th row
    (";Date;Dec 30., 06:04\n" + ";KCAL;1\n" * 60 + "#;Squat\n", False),  # the 61st
])
def test_looks_like_gymaholic_at_its_edges(first: str, found: bool) -> None:
    from peri.log.importers.gymaholic import looks_like_gymaholic

    assert looks_like_gymaholic(_gym(first)) is found


@pytest.mark.parametrize("lines, line, message, hint", [
    ("#;Squat\n1;;225 lbs by 5\n", 3, "set '225 lbs by 5' is not like '95 lbs x 5'", "nothing was imported"),
    ("#;Squat\nfoo;;1 x 5\n", 3, "a line that is no Gymaholic title, field, exercise or set line: 'foo;;1 x 5'",
     "nothing was imported; export the workout again or fix the line"),
    (";Duration;soon\n#;Squat\n1;;1 x 5\n", 2, "duration 'soon' is not like '1h 3m'", "nothing was imported"),
    ("#;\n1;;1 x 5\n", 3, "a line that is no Gymaholic title, field, exercise or set line: '1;;1 x 5'",
     "nothing was imported; export the workout again or fix the line"),  # an exercise without its name
    ("#;Squat\n1;;" + "y" * 70 + " x 5\n", 3, "set '" + "y" * 40 + "' is not like '95 lbs x 5'", "nothing was imported"),
    ("#;Squat;;TIME\n1;;;soon\n", 3, "duration 'soon' is not like '1h 3m'", "nothing was imported"),
])
def test_gymaholic_lines_refused_word_for_word(lines: str, line: int, message: str, hint: str) -> None:
    from peri.log.importers.gymaholic import flatten

    table = _gym(";Date;Dec 30., 06:04\n" + lines)
    flatten(table)
    with pytest.raises(ImportFormatError) as e:
        list(table.rows)
    assert (e.value.message, e.value.place, e.value.hint) == (message, f"g.csv:{line}", hint)


# --- jsonlog --------------------------------------------------------------------------------------------------
def _json(doc) -> tuple[str, str] | None:
    import json

    from peri.log.importers.jsonlog import json_table

    return json_table(doc if isinstance(doc, str) else json.dumps(doc), "j.json")


def test_json_table_of_hevy_workouts_word_for_word() -> None:
    doc = {"workouts": [{"title": "Push", "start_time": "2024-03-01 10:00", "description": "good", "exercises": [
        {"title": "Bench", "sets": [{"type": "warmup", "weight_kg": 60, "reps": 10, "rpe": None},
                                    {"type": "normal", "weight_kg": 100.5, "reps": 5, "rpe": 8.5}]},
        {"exercise": {"name": "Row"}, "sets": [{"weight_kg": 70, "reps": 8}, {"duration": 30}]}]}]}
    assert _json(doc) == (
        "Date,Workout Name,Workout Notes,Exercise,Set Type,Weight (kg),Reps,RPE\n"
        "2024-03-01 10:00,Push,good,Bench,warmup,60,10,\n2024-03-01 10:00,Push,good,Bench,normal,100.5,5,8.5\n"
        "2024-03-01 10:00,Push,good,Row,,70,8,\n",
        "read as a JSON log: 3 sets of workouts holding exercises holding sets; line N is the (N-1)th set in the "
        "file's order; 1 entries among the sets log no reps, load, time or distance peri reads (such as "
        "$.workouts[0].exercises[1].sets[1]: a cardio machine's 'duration', which can be a time or a length, is "
        "one) - not read")


def test_json_table_of_flat_records_and_other_shapes() -> None:
    records = [{"date": "2024-03-02", "exercise": "Squat", "weight": 100, "unit": "kg", "reps": 5, "warmup": True},
               {"date": "2024-03-02", "exercise": "Squat", "weightLb": 225, "reps": 3, "warmup": False}]
    assert _json(records) == (
        "Date,Workout Name,Workout Notes,Exercise,Weight,Weight (lbs),Unit,Reps,isWarmup\n"
        "2024-03-02,,,Squat,100,,kg,5,true\n2024-03-02,,,Squat,,225,,3,false\n",
        "read as a JSON log: 2 sets of workouts holding exercises holding sets; line N is the (N-1)th set in the "
        "file's order")
    # a workout's date and title above its exercises; a date on the exercise itself names no workout
    assert _json({"date": "2024-03-03", "title": "Upper", "exercises": [
        {"name": "Curl", "sets": [{"weight": 20, "reps": 12}]}]})[0] == (
        "Date,Workout Name,Workout Notes,Exercise,Weight,Reps\n2024-03-03,Upper,,Curl,20,12\n")
    assert _json([{"date": "2024-03-05", "name": "Press", "sets": [{"weight": 40, "reps": 6}]}])[0] == (
        "Date,Workout Name,Workout Notes,Exercise,Weight,Reps\n2024-03-05,,,Press,40,6\n")
    assert _json({"sessions": [{"date": "2024-03-04", "name": "Legs", "exercises": [
        {"exercise_name": "Lunge", "sets": [{"reps": 10, "distanceKm": 0.1, "seconds": 60}]}]}]})[0] == (
        "Date,Workout Name,Workout Notes,Exercise,Reps,Seconds,Distance (km)\n2024-03-04,Legs,,Lunge,10,60,0.1\n")


@pytest.mark.parametrize("doc, where, what", [
    ({"date": "2024-03-01", "sets": [{"reps": 5}]}, "$.sets[0]", "exercise with a name"),
    ({"date": "2024-03-01", "exercise": " ", "sets": [{"reps": 5}]}, "$.sets[0]", "exercise with a name"),
    ({"exercises": [{"name": "Curl", "sets": [{"reps": 5}]}]}, "$.exercises[0].sets[0]", "workout with a date"),
    ({"date": "", "exercises": [{"name": "Curl", "sets": [{"reps": 5}]}]}, "$.exercises[0].sets[0]",
     "workout with a date"),
])
def test_json_sets_without_an_exercise_or_a_date_are_refused(doc, where: str, what: str) -> None:
    with pytest.raises(ImportFormatError) as e:
        _json(doc)
    assert (e.value.message, e.value.place, e.value.hint) == (
        f"the set at {where} in the JSON belongs to no {what}", "j.json:1",
        "nothing was imported; export your log from the app as CSV")


def test_json_that_is_no_log() -> None:
    with pytest.raises(ImportFormatError) as cut:  # broken JSON is named where it breaks (importers/jsonguard.py)
        _json("{")
    assert cut.value.place == "j.json:1" and "cut short" in cut.value.message
    assert _json({"a": [1, 2], "b": {"sets": []}}) is None
    with pytest.raises(ImportFormatError) as e:
        _json("[" * 5000 + "]" * 5000)
    assert (e.value.message, e.value.place, e.value.hint) == (
        "the JSON nests its lists and objects hundreds of levels deep: no training log's shape", "j.json:1",
        "export your log from the app as CSV")


# --- wholesets ------------------------------------------------------------------------------------------------
def _whole(fmt: str, text: str):
    from peri.log.importers.base import read_table
    from peri.log.importers.wholesets import split_whole_sets

    table = read_table("w.csv", data=text.encode())
    done = split_whole_sets(fmt, table)
    return done, (list(table.rows) if done is not None else None)


def test_whole_sets_under_a_unit_column_word_for_word() -> None:
    done, rows = _whole("strong", "Date,Exercise Name,Weight,Weight Unit,Reps\n2024-03-01,Squat,,lbs,225x5\n"
                        "2024-03-01,Squat,,,100 kg x 5\n2024-03-01,Squat,100,kg,5x100\n2024-03-01,Squat,,kg,3x5x100\n"
                        "2024-03-01,Pull Up,,kg,BW x 8\n2024-03-01,Pull Up,10,kg,BW+10 x 8\n2024-03-01,Squat,,kg,5\n"
                        "2024-03-01,Squat,,kg,\n2024-03-01,Squat,,kg,abc\n2024-03-01,Squat\n")
    # the row's unit column names the load's unit where the weight column's name does not; a plain count, an
    # empty cell, words, a short row and a count beside a load are left to the reader
    assert rows == [(2, ["2024-03-01", "Squat", "225 lb", "lbs", "5"]), (3, ["2024-03-01", "Squat", "100 kg", "", "5"]),
                    (4, ["2024-03-01", "Squat", "100", "kg", "5x100"]), (6, ["2024-03-01", "Pull Up", "", "kg", "8"]),
                    (8, ["2024-03-01", "Squat", "", "kg", "5"]), (9, ["2024-03-01", "Squat", "", "kg", ""]),
                    (10, ["2024-03-01", "Squat", "", "kg", "abc"]), (11, ["2024-03-01", "Squat"])]
    assert done.refused == [
        "w.csv:5: reps '3x5x100' holds 3 sets in one cell, and this layout has a row per set: the row was not read",
        "w.csv:7: reps 'BW+10 x 8' is a bodyweight set, and the row has a load ('10') or adds one this layout has no "
        "column for: the row was not read"]
    assert done.note() == ("3 Reps cells held a whole set (such as '225x5' at w.csv:2): read as the set's reps and "
                           "load, the load into the weight column")


def test_whole_sets_beside_kg_and_lb_columns() -> None:
    # 225 lb = 102.0583 kg: "102.06 kg" is the same load, "102.11 kg" is not (more than 0.05 kg apart)
    done, rows = _whole("fitnotes", "Date,Exercise,Weight (kg),Weight (lbs),Reps\n2024-03-01,Squat,,,100 kg x 5\n"
                        "2024-03-01,Squat,,,225 lb x 5\n2024-03-01,Squat,100,,100 kg x 5\n2024-03-01,Squat,100,,102 kg x 5\n"
                        "2024-03-01,Squat,,225,102.06 kg x 5\n2024-03-01,Squat,,225,102.11 kg x 5\n2024-03-01,Squat,,,100x5\n")
    assert rows == [(2, ["2024-03-01", "Squat", "100", "", "5"]), (3, ["2024-03-01", "Squat", "225 lb", "", "5"]),
                    (4, ["2024-03-01", "Squat", "100", "", "5"]), (6, ["2024-03-01", "Squat", "", "225", "5"]),
                    (8, ["2024-03-01", "Squat", "100", "", "5"])]
    assert done.refused == [
        "w.csv:5: reps '102 kg x 5' gives a load of 102 kg, and the weight column '100': the same set's load reads "
        "two ways, the row was not read",
        "w.csv:7: reps '102.11 kg x 5' gives a load of 102.11 kg, and the weight column '225': the same set's load "
        "reads two ways, the row was not read"]
    assert (done.count, done.first) == (5, (2, "100 kg x 5"))
    one, _ = _whole("hevy", "Date,Exercise,Weight,Reps\n2024-03-01,Squat,,100x5\n")
    assert one.note() == ("1 Reps cell held a whole set (such as '100x5' at w.csv:2): read as the set's reps and "
                          "load, the load into the weight column")


def test_whole_sets_apply_to_the_apps_layouts_only() -> None:
    assert _whole("csv", "Date,Exercise,Weight,Reps\n2024-03-01,Squat,,100x5\n") == (None, None)
    assert _whole("hevy", "Date,Exercise,Reps\n2024-03-01,Squat,100x5\n") == (None, None)
    assert _whole("hevy", "Date,Exercise,Weight\n2024-03-01,Squat,5\n") == (None, None)
    done, rows = _whole("hevy", "Date,Exercise,Weight,Reps\n2024-03-01,Squat,100,5\n")
    assert done.note() is None and rows == [(2, ["2024-03-01", "Squat", "100", "5"])]


# --- localdates -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, cell", [
    ("2024年3月5日 午後 2:05", (2024, 3, 5, (14, 5, 0), ())),
    ("2024년 3월 5일 (화) 오후 2:05", (2024, 3, 5, (14, 5, 0), ())),
    ("2024/03/05 (火) 14:05:09", (2024, 3, 5, (14, 5, 9), ())),
    ("2024/3/5 下午 2:05", (2024, 3, 5, (14, 5, 0), ())),
    ("2024.3.5.", (2024, 3, 5, (0, 0, 0), ())),
    ("2024. márc. 5. 14:05", (2024, "márc", 5, (14, 5, 0), ())),
    ("Mo., 3. März 2024", (2024, "März", 3, (0, 0, 0), ("Mo",))),
    ("15 de marzo de 2024 a las 9:05 p. m.", (2024, "marzo", 15, (21, 5, 0), ())),
    ("5 lut 2024 r.", (2024, "lut", 5, (0, 0, 0), ("r",))),
    ("31 lut 2024", (2024, "lut", 31, (0, 0, 0), ())),  # no real date: read, for the reader to refuse
    ("5 mar", (None, "mar", 5, (0, 0, 0), ())),
    ("  5\u00a0mar   2024 ", (2024, "mar", 5, (0, 0, 0), ())),
    ("5-mar-2024", (2024, "mar", 5, (0, 0, 0), ())),
    ("5 mar 2024 12:05 am", (2024, "mar", 5, (0, 5, 0), ())),
    ("5 mar 2024 12:05 pm", (2024, "mar", 5, (12, 5, 0), ())),
    ("2024/13/05", None), ("2024/00/05", None), ("32 mar 2024", None), ("0 mar 2024", None),
    ("5 mar 2024 13:05 pm", None), ("5 mar 2024 0:05 am", None), ("2024年3月5日 午後", None),
    ("5 mar 2024" + " " * 70 + "x", None),  # over 80 characters: no date
])
def test_read_cell_by_hand(text: str, cell) -> None:
    import datetime as dt

    from peri.log.importers.localdates import Cell, read_cell

    want = None if cell is None else Cell(cell[0], cell[1], cell[2], dt.time(*cell[3]), cell[4])
    assert read_cell(text) == want


def test_month_in_whole_forms_and_starts() -> None:
    from peri.log.importers.localdates import month_in

    assert month_in("pl", "lut") == 2
    assert month_in("en", "mar") == 3
    assert month_in("en", "Sept") == 9  # the start of one month's forms only
    assert month_in("en", "ma") is None  # under three letters
    assert month_in("fr", "jui") is None  # juin and juillet


# --- yearless -------------------------------------------------------------------------------------------------
TODAY = (2026, 12, 2)
_AFTER = (", the dates running {}, a step back in the calendar being the turn of a year; a pause of a year or more "
          "cannot be seen - pass --year to correct")


def _years(text: str, year: int | None = None):
    import datetime as dt

    from peri.log.importers.base import read_table
    from peri.log.importers.yearless import add_years

    table = read_table("y.csv", data=text.encode())
    note = add_years(table, year, dt.date(*TODAY))
    return note, [(line, row[0]) for line, row in table.rows]


def test_add_years_counted_on_from_the_year_given_or_a_dated_row() -> None:
    # Dec 30 in 2023, then the turn of the year; 2024 has a 29 February; a time of day is kept
    assert _years("Date,Exercise,Reps\nDec 30,Squat,5\nJan 2 18:30,Squat,5\nFeb 29,Squat,5\n", 2023) == (
        "3 dates in column 'Date' carry no year (the first 'Dec 30' at y.csv:2, read as 2023): years read from "
        "--year 2023" + _AFTER.format("oldest first"),
        [(2, "2023-12-30"), (3, "2024-01-02 18:30:00"), (4, "2024-02-29")])
    assert _years("Date,Exercise,Reps\n2023-12-28,Squat,5\nDec 30,Squat,5\nJan 2,Squat,5\n") == (
        "2 dates in column 'Date' carry no year (the first 'Dec 30' at y.csv:3, read as 2023): years read from the "
        "dates with a year beside them" + _AFTER.format("oldest first"),
        [(2, "2023-12-28"), (3, "2023-12-30"), (4, "2024-01-02")])
    assert _years("Date,Exercise,Reps\nJan 2,Squat,5\nDec 30,Squat,5\n2023-12-28,Squat,5\n") == (
        "2 dates in column 'Date' carry no year (the first 'Jan 2' at y.csv:2, read as 2024): years read from the "
        "dates with a year beside them" + _AFTER.format("newest first"),
        [(2, "2024-01-02"), (3, "2023-12-30"), (4, "2023-12-28")])


def test_add_years_from_the_weekdays() -> None:
    # 1 December is a Monday in 2025 alone of the last five years (a Tuesday in 2026, a Sunday in 2024)
    assert _years('Date,Exercise,Reps\n"Mon, Dec 1",Squat,5\n"Wed, Dec 3",Squat,5\n') == (
        "2 dates in column 'Date' carry no year (the first 'Mon, Dec 1' at y.csv:2, read as 2025): years read from "
        "their weekdays (they fit only 2025 in the last 5 years)" + _AFTER.format("oldest first"),
        [(2, "2025-12-01"), (3, "2025-12-03")])
    assert _years('Date,Exercise,Reps\n"Tue, Dec 1",Squat,5\n"Thu, Dec 3",Squat,5\n')[1] == [
        (2, "2026-12-01"), (3, "2026-12-03")]
    assert _years('Date,Exercise,Reps\n"Wed, Dec 3",Squat,5\n"Mon, Dec 1",Squat,5\n')[1] == [
        (2, "2025-12-03"), (3, "2025-12-01")]


@pytest.mark.parametrize("text, year, message, line, hint", [
    ("Date,Exercise,Reps\nDec 30,Squat,5\nJan 2,Squat,5\n", None,
     "the dates carry no year (such as 'Dec 30'), and nothing in the file tells it: no date with a year, and not "
     "every date names its weekday", 2,
     "pass --year YYYY, the year of the file's first date (later dates count on from it), or add the year to the "
     "dates; nothing was imported"),
    ('Date,Exercise,Reps\n"Mon, Feb 29",Squat,5\n', None,
     "the dates carry no year (such as 'Mon, Feb 29'), and their weekdays fit no run of years ending in the last 5 "
     "years", 2, "pass --year YYYY, the year of the file's first date; nothing was imported"),
    ("Date,Exercise,Reps\nFeb 29,Squat,5\n", 2023, "date 'Feb 29' read in 2023 (from --year 2023) is no date of that "
     "year", 2, "pass --year YYYY, or add the year to the dates; nothing was imported"),
    ('Date,Exercise,Reps\n"Tue, Dec 2",Squat,5\n', 2024, "date 'Tue, Dec 2' read in 2024 (from --year 2024, the "
     "file's dates running oldest first) is a Monday: its weekday does not fit", 2,
     "a pause of a year or more between sessions cannot be seen without years: add the year to the dates, or pass "
     "--year YYYY; nothing was imported"),
    ("start_time,end_time,exercise_title,reps\nDec 31 23:30,Jan 1 00:30,Squat,5\n,Jan 3 00:30,Squat,5\n", 2023,
     "date 'Jan 3 00:30' carries no year, and its row's first date gives none", 3,
     "add the year to the dates, or pass --year YYYY; nothing was imported"),
])
def test_add_years_refusals_word_for_word(text: str, year, message: str, line: int, hint: str) -> None:
    with pytest.raises(ImportFormatError) as e:
        _years(text, year)
    assert (e.value.message, e.value.place, e.value.hint) == (message, f"y.csv:{line}", hint)


def test_add_years_second_column_and_files_it_leaves_alone() -> None:
    from peri.log.importers.base import read_table
    from peri.log.importers.yearless import add_years

    table = read_table("y.csv", data=b"start_time,end_time,exercise_title,reps\nDec 31 23:30,Jan 1 00:30,Squat,5\n")
    assert add_years(table, 2023) == (
        "1 dates in column 'start_time' carry no year (the first 'Dec 31 23:30' at y.csv:2, read as 2023): years "
        "read from --year 2023" + _AFTER.format("oldest first") + "; 1 dates in column 'end_time' carry no year: "
        "each read in the year nearest its row's first date")
    assert list(table.rows) == [(2, ["2023-12-31 23:30:00", "2024-01-01 00:30:00", "Squat", "5"])]
    assert _years("Date,Exercise,Reps\n2024-03-01,Squat,5\n") == (None, [(2, "2024-03-01")])
    table = read_table("y.csv", data=b"Exercise,Reps\nSquat,5\n")
    assert add_years(table) is None and list(table.rows) == [(2, ["Squat", "5"])]


def _localised(text: str):
    from peri.log.importers.base import read_table
    from peri.log.importers.localdates import localise_dates

    table = read_table("l.csv", data=text.encode())
    note = localise_dates(table)
    return note, [(line, row[0]) for line, row in table.rows]


@pytest.mark.parametrize("cells, note, read", [
    # Polish "lut" is luty, February; "mar" (marzec) is March in Polish as in English
    (["5 lut 2024", "7 mar 2024 14:05"], "2 localised dates read (the first, '5 lut 2024' as 2024-02-05 00:00:00) in "
     "Polish ('lut' = Feb; 'mar' = Mar) from their months' words in the whole file",
     ["2024-02-05 00:00:00", "2024-03-07 14:05:00"]),
    (["3. März 2024", "5. Mai 2024"], "2 localised dates read (the first, '3. März 2024' as 2024-03-03 00:00:00) in "
     "German ('marz' = Mar; 'mai' = May) from their months' words in the whole file",
     ["2024-03-03 00:00:00", "2024-05-05 00:00:00"]),
    (["2024年3月5日 午後 2:05"], "1 localised dates read (the first, '2024年3月5日 午後 2:05' as 2024-03-05 14:05:00)",
     ["2024-03-05 14:05:00"]),
    # no real date: written as read, for the reader to refuse its row naming it; without a year for `yearless`
    (["31 lut 2024", "5 lut 2024"], "2 localised dates read (the first, '31 lut 2024' as 2024-02-31 00:00:00) in "
     "Polish ('lut' = Feb) from their months' words in the whole file", ["2024-02-31 00:00:00", "2024-02-05 00:00:00"]),
    (["5 lut", "31 lut"], "2 localised dates read (the first, '5 lut' as 5 Feb 00:00:00) in Polish ('lut' = Feb) from "
     "their months' words in the whole file", ["5 Feb 00:00:00", "31 Feb 00:00:00"]),
    # four months' words named, the fifth counted
    (["5 janv. 2024", "5 févr. 2024", "5 mars 2024", "5 avr. 2024", "5 mai 2024"], "5 localised dates read (the "
     "first, '5 janv. 2024' as 2024-01-05 00:00:00) in French ('janv' = Jan; 'fevr' = Feb; 'mars' = Mar; 'avr' = Apr) "
     "from their months' words in the whole file", ["2024-01-05 00:00:00", "2024-02-05 00:00:00",
                                                      "2024-03-05 00:00:00", "2024-04-05 00:00:00", "2024-05-05 00:00:00"]),
    # Polish lipiec (July): the readers would take "lip" as Croatian June
    (["5 lipca 2024"], "1 localised dates read (the first, '5 lipca 2024' as 2024-07-05 00:00:00) in Polish "
     "('lipca' = Jul) from their months' words in the whole file", ["2024-07-05 00:00:00"]),
    # dates the readers know, and a word of no language, are left to them
    (["2024-03-05"], None, ["2024-03-05"]), (["5 Mar 2024"], None, ["5 Mar 2024"]),
    (["5 zork 2024"], None, ["5 zork 2024"]),
])
def test_localise_dates_by_hand(cells: list[str], note: str | None, read: list[str]) -> None:
    text = "Date,Exercise,Reps\n" + "".join(f"{c},Squat,5\n" for c in cells)
    assert _localised(text) == (note, list(enumerate(read, start=2)))


def test_localise_dates_refuses_a_month_the_file_cannot_tell() -> None:
    # "lis": listopad is November in Czech and Polish, October in Croatian
    with pytest.raises(ImportFormatError) as e:
        _localised("Date,Exercise,Reps\n2024-03-01,Squat,5\n5 lis 2024,Squat,5\n")
    assert (e.value.message, e.value.place, e.value.hint) == (
        "the month of '5 lis 2024' depends on the phone's language (Nov in cs, pl; Oct in hr), and no other date of "
        "the file tells which", "l.csv:3",
        "export the file again with numeric dates (or English), or write one date's month in full; nothing was imported")
    assert _localised("Exercise,Reps\nSquat,5\n") == (None, [(2, "Squat")])


def test_ungroup_rows_a_group_at_a_time() -> None:
    # the header's names as the first group writes them; a group with an exercise and no load is a set, one with a
    # load and no exercise is none; an empty first group does not hide the second; a row shorter than the
    # workout's own columns
    note, table = _grouped("Date,Note,Exercise 1,Weight (KG),Exercise 2,weight (kg)\n"
                           "2024-03-01,,Squat,,,80\n2024-03-02,ok,,,Bench,80\n2024-03-05\n")
    assert note is not None and table.header == ["Date", "Note", "Exercise", "Weight (KG)"]
    assert list(table.rows) == [(2, ["2024-03-01", "", "Squat", ""]), (3, ["2024-03-02", "ok", "Bench", "80"]),
                                (4, ["2024-03-05", "", "", ""])]


def test_gymaholic_columns_short_lines_and_times() -> None:
    from peri.log.importers.gymaholic import flatten, looks_like_gymaholic

    # no title above: the workout has none; a lone "#" names no exercise; REPS and TIME in the fourth column; a
    # set line of its number alone; a time of 0:00 is none, one in capitals (1M:30S) is 90 s
    table = _gym(";Date;Dec 30., 06:04\n#\n#;Squat;;REPS\n1\n1;;;100 kg x 5\n#;Plank;;TIME\n1;;;0:00\n1;;;1M:30S\n"
                 ";Duration;1H:28M\n#;Row\n1;;60 kg x 8\n")
    assert looks_like_gymaholic(table) is True
    flatten(table)
    assert list(table.rows) == [
        (4, ["Dec 30., 06:04", "", "", "Squat", "normal", "", "", "", ""]),
        (5, ["Dec 30., 06:04", "", "", "Squat", "normal", "100", "kg", "5", ""]),
        (7, ["Dec 30., 06:04", "", "", "Plank", "normal", "", "", "", ""]),
        (8, ["Dec 30., 06:04", "", "", "Plank", "normal", "", "", "", "90"]),
        (11, ["Dec 30., 06:04", "", "5280", "Row", "normal", "60", "kg", "8", ""])]


def test_gymaholic_rows_past_those_peeked_and_a_two_cell_first_record() -> None:
    from peri.log.importers.gymaholic import flatten, looks_like_gymaholic

    table = _gym(";Date;Dec 30., 06:04\n#;Squat\n" + "1;;100 kg x 5\n" * 65)
    assert looks_like_gymaholic(table) is True
    flatten(table)
    assert len(list(table.rows)) == 65
    table = _gym(";Date;Dec 30., 06:04\n#;Squat\n1;;100 kg x 5\n")
    table.header = ["", "Date"]
    assert looks_like_gymaholic(table) is True


@pytest.mark.parametrize("lines, line, cells", [
    ("#\n1;;100 kg x 5\n", 3, "1;;100 kg x 5"),  # after a "#" without a name
    ("#;Squat\n1;;100 kg x 5\n;Date;Jan 2., 18:30\n1;;100 kg x 5\n", 5, "1;;100 kg x 5"),  # a new workout's first
    ("#;Squat\nfoo;" + "x" * 70 + "\n", 3, "foo;" + "x" * 56),
])
def test_gymaholic_set_lines_outside_an_exercise_are_named(lines: str, line: int, cells: str) -> None:
    from peri.log.importers.gymaholic import flatten

    table = _gym(";Date;Dec 30., 06:04\n" + lines)
    flatten(table)
    with pytest.raises(ImportFormatError) as e:
        list(table.rows)
    assert (e.value.message, e.value.place) == (
        f"a line that is no Gymaholic title, field, exercise or set line: {cells!r}", f"g.csv:{line}")


def test_json_names_of_workouts_and_exercises_by_their_place() -> None:
    sets = [{"weight": 40, "reps": 6}]
    head = "Date,Workout Name,Workout Notes,Exercise,Weight,Reps\n"
    # a workout's name under a key of its own (not a plain name or title); "performedOn" is a date
    assert _json({"workouts": [{"performedOn": "2024-03-01", "workout_name": "Push", "exercises": [
        {"name": "Bench", "sets": sets}]}]})[0] == head + "2024-03-01,Push,,Bench,40,6\n"
    # a dated exercise at the top names its workout; one deeper down is an exercise, its workout unnamed
    assert _json([{"date": "2024-03-02", "workout_name": "Push", "name": "Bench", "sets": sets}])[0] == (
        head + "2024-03-02,Push,,Bench,40,6\n")
    assert _json({"log": [{"date": "2024-03-03", "workout_name": "Push", "name": "Bench", "sets": sets}]})[0] == (
        head + "2024-03-03,,,Bench,40,6\n")
    # an exercise object without a name, or with a blank one, gives way to its holder's title; its name, not
    # another text, is the name
    for exercise in ({"id": 5}, {"name": " "}, {"id": "e1", "name": "Row"}):
        assert _json({"date": "2024-03-04", "exercises": [{"exercise": exercise, "title": "Row", "sets": sets}]})[0] == (
            head + "2024-03-04,,,Row,40,6\n")


def test_json_sets_read_past_an_unread_entry_and_named_sets() -> None:
    # an entry that logs nothing peri reads before one that does; a set's own "name" is no exercise's
    assert _json({"date": "2024-03-05", "exercise": "Squat", "sets": [
        {"duration": 30}, {"name": "Set 1", "weight": 100, "reps": 5}]}) == (
        "Date,Workout Name,Workout Notes,Exercise,Weight,Reps\n2024-03-05,,,Squat,100,5\n",
        "read as a JSON log: 1 sets of workouts holding exercises holding sets; line N is the (N-1)th set in the "
        "file's order; 1 entries among the sets log no reps, load, time or distance peri reads (such as $.sets[0]: a "
        "cardio machine's 'duration', which can be a time or a length, is one) - not read")


def test_whole_sets_long_cells_bodyweight_and_loads_compared() -> None:
    long = "100." + "0" * 36  # a 40-character load: the cell's first 40 characters are quoted
    done, rows = _whole("strong", "Date,Exercise Name,Weight,Weight Unit,Reps\n"
                        f"2024-03-01,Squat,,kg,{long} kg x 5\n2024-03-01,Squat,90,kg,{long} kg x 5\n"
                        f"2024-03-01,Squat,,kg,3 x 5 x {long} kg\n2024-03-01,Pull Up,,kg,BW+1{long[1:]} x 8\n"
                        "2024-03-01,Squat,,kg,bodyweight x 8\n2024-03-01,Squat,,kg,BW+10 x 8\n"
                        # 225 lb (the row's unit column) = 102.058 kg; 0.1 - 0.05 kg is 0.05 kg: the same load
                        "2024-03-01,Squat,225,lbs,102.06 kg x 5\n2024-03-01,Squat,0.1,kg,0.05 kg x 5\n"
                        # beside a load, "12 x 10" is a scheme (left to the reader); alone, 12 kg x 10
                        "2024-03-01,Squat,60,kg,12 x 10\n2024-03-01,Squat,,kg,12 x 10\n2024-03-01,Squat,100,kg,100 x 5\n")
    assert rows == [(2, ["2024-03-01", "Squat", "100 kg", "kg", "5"]), (6, ["2024-03-01", "Squat", "", "kg", "8"]),
                    (8, ["2024-03-01", "Squat", "225", "lbs", "5"]), (9, ["2024-03-01", "Squat", "0.1", "kg", "5"]),
                    (10, ["2024-03-01", "Squat", "60", "kg", "12 x 10"]), (11, ["2024-03-01", "Squat", "12 kg", "kg", "10"]),
                    (12, ["2024-03-01", "Squat", "100", "kg", "5"])]
    assert done.refused == [
        f"w.csv:3: reps {long!r} gives a load of {long} kg, and the weight column '90': the same set's load reads two "
        "ways, the row was not read",
        f"w.csv:4: reps {('3 x 5 x ' + long)[:40]!r} holds 3 sets in one cell, and this layout has a row per set: "
        "the row was not read",
        f"w.csv:5: reps {('BW+1' + long[1:])[:40]!r} is a bodyweight set, and the row has a load ('') or adds one "
        "this layout has no column for: the row was not read",
        "w.csv:7: reps 'BW+10 x 8' is a bodyweight set, and the row has a load ('') or adds one this layout has no "
        "column for: the row was not read"]
    assert done.note() == (f"6 Reps cells held a whole set (such as {long!r} at w.csv:2): read as the set's reps and "
                           "load, the load into the weight column")


def test_whole_sets_loads_without_a_unit_and_short_rows() -> None:
    # a weight column with no unit beside a cell that names one; a cell without a unit beside a kg column, and
    # one in pounds (225 lb = 102.058 kg)
    assert _whole("strong", "Date,Exercise Name,Weight,Reps\n2024-03-01,Squat,100,100 kg x 5\n")[1] == [
        (2, ["2024-03-01", "Squat", "100", "5"])]
    assert _whole("fitnotes", "Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100,100 x 5\n"
                  "2024-03-01,Squat,102.06,225 lb x 5\n")[1] == [
        (2, ["2024-03-01", "Squat", "100", "5"]), (3, ["2024-03-01", "Squat", "102.06", "5"])]
    # rows that end before the weight column, at the reps column, or before the unit column
    assert _whole("fitnotes", "Date,Exercise,Reps,Weight (kg)\n2024-03-01,Squat,100x5\n")[1] == [
        (2, ["2024-03-01", "Squat", "100x5"])]
    assert _whole("fitnotes", "Date,Exercise,Weight (kg),Reps\n2024-03-01,Squat,100\n")[1] == [
        (2, ["2024-03-01", "Squat", "100"])]
    assert _whole("strong", "Date,Exercise Name,Weight,Reps,Weight Unit\n2024-03-01,Squat,,100x5\n")[1] == [
        (2, ["2024-03-01", "Squat", "100", "5"])]


def test_doubt_counts_loaded_sets_only_and_reads_the_notes() -> None:
    from peri.log.importers import parse_file
    from peri.log.importers.unitcheck import doubt_stated_units

    # a bodyweight set and a load of 0 (stored as none) are no loads; a load of 1 is one: 21 loads
    rows = [f"2024-03-{1 + i // 10:02d},{ex},{w},5" for i, (ex, w) in enumerate(zip(LIFTS, PLATES_LB))]
    rows += ["2024-03-02,Pull Up,,8", "2024-03-02,Plate Pinch,1,30", "2024-03-02,Plank,0,1"]
    p = parse_file("csv", "u.csv", data=("\n".join(["Date,Exercise,Weight (kg),Reps", *rows]) + "\n").encode())
    assert doubt_stated_units(p, None, ["Weight (kg)"]).startswith("the file states kg for 21 loads, but they look "
                                                                    "like lb: ")
    # four weeks of pound loads under a kg header, with notes naming pounds: the notes are evidence too, and three
    # of the four reasons are named
    weeks = [("Squat (Barbell)", [45, 45, 135, 225, 225, 225, 315]), ("Bench Press (Barbell)", [45, 45, 95, 135, 185, 185]),
             ("Deadlift (Barbell)", [135, 225, 315, 405, 405])]
    rows = [f"2024-03-{4 + 7 * k:02d},{ex},{w + (5 if k % 2 and w > 100 else 0)},5,"
            + ("felt heavy; add 5 lbs next time" if w == 315 else "") for k in range(4) for ex, loads in weeks for w in loads]
    p = parse_file("csv", "u.csv", data=("\n".join(["Date,Exercise,Weight (kg),Reps,Notes", *rows]) + "\n").encode())
    assert doubt_stated_units(p, None, ["Weight (kg)"]).startswith(
        "the file states kg for 72 loads, but they look like lb: loads on the 45 lb bar-and-plate landmarks "
        "(135/225/315...) (26 points for lb); notes name lb 8 times (8 points for lb); 2 barbell lifts start from 45, "
        "the empty 45 lb bar, far below their working loads (6 points for lb). They were stored as kg, as stated")


def test_doubt_of_one_unit_and_numbers_carrying_on_both_said() -> None:
    from peri.log.importers import parse_file
    from peri.log.importers.unitcheck import doubt_stated_units

    # four weeks of kilogram loads written "lbs" (64 loads), then a week in "kg" that goes on from the same numbers
    # (16 loads: too few to doubt, and read after the kg loads' turn in the units' order)
    weeks = [("Squat (Barbell)", [20, 20, 60, 100, 102.5, 102.5]), ("Bench Press (Barbell)", [20, 20, 40, 62.5, 62.5, 61.25]),
             ("Deadlift (Barbell)", [60, 100, 140, 142.5])]
    rows = [f"2024-0{3 + k // 4}-{4 + 7 * k - 28 * (k // 4):02d},{ex},{w + (5 if k % 2 and w > 100 else 0)},"
            f"{'kg' if k == 4 else 'lbs'},5"
            for k in range(5) for ex, loads in weeks for w in loads]
    p = parse_file("csv", "u.csv", data=("\n".join(["Date,Exercise,Weight,Unit,Reps", *rows]) + "\n").encode())
    said = doubt_stated_units(p, None, ["Date", "Exercise", "Weight", "Unit", "Reps"])
    assert said.startswith("the file states lb for 64 loads, but they look like kg: ")
    assert ("--map 'Weight=weight' --unit kg`); the stated unit changes between close sessions while the loads carry "
            "on as if it had not, in 3 lifts (Squat (Barbell): 107.5 lb (line 50) then 102.5 kg (line 66); Bench Press "
            "(Barbell): 62.5 lb (line 50) then 62.5 kg (line 66); Deadlift (Barbell): 147.5 lb (line 50) then 142.5 kg "
            "(line 66)): one side's unit looks wrong") in said


def test_numbers_carrying_on_top_loads_of_one_and_sessions_on_one_day() -> None:
    # a top load of 1 is a load; the first of two equal loads in a session is its top; two sessions at the same
    # time keep the file's order
    assert _carry_on(_session(0, 2, ("Pinch", 1.0, "kg"), ("Squat", 80.0, "kg"), ("Squat", 80.0, "lb")),
                     _session(7, 9, ("Pinch", 1.1, "lb"), ("Squat", 82.0, "lb"))).startswith(
        "the stated unit changes between close sessions while the loads carry on as if it had not, in 2 lifts (Pinch: "
        "1 kg (line 2) then 1.1 lb (line 9); Squat: 80 kg (line 2) then 82 lb (line 9))")
    assert _carry_on(_session(0, 2, ("Squat", 100.0, "kg"), ("Bench", 80.0, "kg")),
                     _session(0, 5, ("Squat", 90.0, "lb"), ("Bench", 72.0, "lb"))).startswith(
        "the stated unit changes between close sessions while the loads carry on as if it had not, in 2 lifts (Squat: "
        "100 kg (line 2) then 90 lb (line 5); Bench: 80 kg (line 2) then 72 lb (line 5))")


def test_weight_column_by_its_generic_field() -> None:
    from peri.log.importers.unitcheck import _weight_column

    assert _weight_column(["Date", "Load (kg)"]) == "Load (kg)"
    assert _weight_column(["Date", "Load (lb)"]) == "Load (lb)"


@pytest.mark.parametrize("text, read", [
    ("3 Mar", (3, 3, (0, 0, 0), None)), ("3. März", (3, 3, (0, 0, 0), None)), ("14 Jan 06:04", (1, 14, (6, 4, 0), None)),
    ("Mar 3", (3, 3, (0, 0, 0), None)), ("Jan 14., 06:04", (1, 14, (6, 4, 0), None)),
    ("March 3rd", (3, 3, (0, 0, 0), None)), ("2nd Jan", (1, 2, (0, 0, 0), None)), ("3-Mar", (3, 3, (0, 0, 0), None)),
    ("3 de marzo", (3, 3, (0, 0, 0), None)), ("  3 Mar  ", (3, 3, (0, 0, 0), None)),
    ("Mon 3 Mar", (3, 3, (0, 0, 0), 0)), ("Mon, Mar 3", (3, 3, (0, 0, 0), 0)),
    ("Sat. 3 Mar at 6:04:09", (3, 3, (6, 4, 9), 5)), ("Fr, 3. März um 18:30", (3, 3, (18, 30, 0), 4)),
    ("Mar 3 2:05 pm", (3, 3, (14, 5, 0), None)), ("3 Mar 12:05 am", (3, 3, (0, 5, 0), None)),
    ("3 Mar 12:05 p.m.", (3, 3, (12, 5, 0), None)), ("29 Feb", (2, 29, (0, 0, 0), None)),
    ("31 Mar", (3, 31, (0, 0, 0), None)),
    ("Mar-24", None), ("3 Mar 13:05 pm", None), ("3 Mar 0:05 am", None), ("30 Feb", None), ("31 Apr", None),
    ("31 Jun", None), ("31 Sep", None), ("31 Nov", None), ("32 Mar", None), ("0 Mar", None), ("3 Zork", None),
    ("Xyz 3 Mar", None),
])
def test_read_yearless_by_hand(text: str, read) -> None:
    import datetime as dt

    from peri.log.importers.yearless import Yearless, read_yearless

    want = None if read is None else Yearless(read[0], read[1], dt.time(*read[2]), read[3])
    assert read_yearless(text) == want


def test_yearless_columns_and_a_day_no_year_has() -> None:
    import datetime as dt

    from peri.log.importers.yearless import Yearless, date_columns

    assert date_columns(["Date", "Start Time", "end_time", "Datum", "Exercise", "When"]) == [0, 1, 2, 3]
    leap = Yearless(2, 29, dt.time(6, 4), None)
    assert (leap.on(2023), leap.on(2024), leap.key) == (None, dt.datetime(2024, 2, 29, 6, 4), (2, 29, dt.time(6, 4)))


def test_add_years_counted_back_from_a_dated_row_and_across_turns() -> None:
    # undated rows above a dated one count back from it; newest first with --year; a written midnight keeps its
    # time; a tie of steps (one forward, one back, one none) reads oldest first
    assert _years("Date,Exercise,Reps\nDec 30,Squat,5\nJan 2,Squat,5\n2024-01-05,Squat,5\nJan 9,Squat,5\n")[1] == [
        (2, "2023-12-30"), (3, "2024-01-02"), (4, "2024-01-05"), (5, "2024-01-09")]
    assert _years("Date,Exercise,Reps\nJan 2,Squat,5\nDec 30,Squat,5\n", 2024) == (
        "2 dates in column 'Date' carry no year (the first 'Jan 2' at y.csv:2, read as 2024): years read from "
        "--year 2024" + _AFTER.format("newest first"), [(2, "2024-01-02"), (3, "2023-12-30")])
    assert _years("Date,Exercise,Reps\n3 Mar 00:00,Squat,5\n3 Mar,Squat,5\n", 2024)[1] == [
        (2, "2024-03-03 00:00:00"), (3, "2024-03-03")]
    assert _years("Date,Exercise,Reps\nDec 30,Squat,5\nDec 30,Squat,5\nJan 2,Squat,5\nDec 28,Squat,5\n", 2023)[1] == [
        (2, "2023-12-30"), (3, "2023-12-30"), (4, "2024-01-02"), (5, "2024-12-28")]


def test_a_second_date_column_read_in_the_nearest_year() -> None:
    from peri.log.importers.base import read_table
    from peri.log.importers.yearless import add_years

    # an end written before its start across New Year's Eve is the year before; others the same year
    table = read_table("y.csv", data=b"start_time,end_time,exercise_title,reps\nJan 1 00:10,Dec 31 23:50,Squat,5\n"
                                     b"Jun 1 10:00,Jun 1 11:00,Squat,5\n")
    assert add_years(table, 2024).endswith("; 2 dates in column 'end_time' carry no year: each read in the year "
                                           "nearest its row's first date")
    assert [row[:2] for _, row in table.rows] == [["2024-01-01 00:10:00", "2023-12-31 23:50:00"],
                                                  ["2024-06-01 10:00:00", "2024-06-01 11:00:00"]]


@pytest.mark.parametrize("cells, note, read", [
    # a word several languages share names them all
    (["5 mai 2024"], "1 localised dates read (the first, '5 mai 2024' as 2024-05-05 00:00:00) in French / German / "
     "Norwegian / Portuguese ('mai' = May) from their months' words in the whole file", ["2024-05-05 00:00:00"]),
    # "lis" is told by "lut", a word only Polish has
    (["5 lis 2024", "5 lut 2024"], "2 localised dates read (the first, '5 lis 2024' as 2024-11-05 00:00:00) in "
     "Polish ('lis' = Nov; 'lut' = Feb) from their months' words in the whole file",
     ["2024-11-05 00:00:00", "2024-02-05 00:00:00"]),
    # a word read once, however often it comes
    (["5 maj 2024"] * 3 + ["5 lis 2024"], "4 localised dates read (the first, '5 maj 2024' as 2024-05-05 00:00:00) "
     "in Polish ('maj' = May; 'lis' = Nov) from their months' words in the whole file",
     ["2024-05-05 00:00:00"] * 3 + ["2024-11-05 00:00:00"]),
    (["5 de marzo de 2024 a las 9:05 p. m."], "1 localised dates read (the first, '5 de marzo de 2024 a las 9:05 p. "
     "m.' as 2024-03-05 21:05:00) in Italian / Spanish ('marzo' = Mar) from their months' words in the whole file",
     ["2024-03-05 21:05:00"]),
    (["2024/3/5 下午 2:05", "31 lut 2024"], "2 localised dates read (the first, '2024/3/5 下午 2:05' as 2024-03-05 "
     "14:05:00) in Polish ('lut' = Feb) from their months' words in the whole file",
     ["2024-03-05 14:05:00", "2024-02-31 00:00:00"]),
])
def test_localise_dates_languages_named(cells: list[str], note: str, read: list[str]) -> None:
    text = "Date,Exercise,Reps\n" + "".join(f"{c},Squat,5\n" for c in cells)
    assert _localised(text) == (note, list(enumerate(read, start=2)))


def test_gymaholic_a_set_line_that_ends_before_its_reps_column() -> None:
    from peri.log.importers.gymaholic import flatten

    table = _gym(";Date;Dec 30., 06:04\n#;Squat;;REPS\n1;;\n")
    flatten(table)
    assert list(table.rows) == [(3, ["Dec 30., 06:04", "", "", "Squat", "normal", "", "", "", ""])]


def test_whole_sets_after_a_weight_cell_that_does_not_read() -> None:
    # a weight cell that does not read leaves its row to the reader, and the rows after it are still split; a
    # bodyweight set beside a load is refused
    done, rows = _whole("strong", "Date,Exercise Name,Weight,Weight Unit,Reps\n2024-03-01,Squat,abc,kg,100x5\n"
                        "2024-03-01,Squat,,kg,100x5\n2024-03-01,Dip,20,kg,bodyweight x 8\n")
    assert rows == [(2, ["2024-03-01", "Squat", "abc", "kg", "100x5"]), (3, ["2024-03-01", "Squat", "100 kg", "kg", "5"])]
    assert done.refused == ["w.csv:4: reps 'bodyweight x 8' is a bodyweight set, and the row has a load ('20') or "
                            "adds one this layout has no column for: the row was not read"]


@pytest.mark.parametrize("cell, year", [
    # the last date must fall within five years (and two days) of today, 2 December 2026, or one day after it
    ("Wed, Dec 1", "2021"), ("Tue, Nov 30", None), ("Thu, Dec 3", "2026"), ("Fri, Dec 4", None)])
def test_weekday_years_at_the_edges_of_the_window(cell: str, year: str | None) -> None:
    text = f'Date,Exercise,Reps\n"{cell}",Squat,5\n'
    if year is None:
        with pytest.raises(ImportFormatError) as e:
            _years(text)
        assert e.value.message == (f"the dates carry no year (such as {cell!r}), and their weekdays fit no run of "
                                   "years ending in the last 5 years")
    else:
        assert _years(text)[1][0][1].startswith(year + "-")


def test_a_second_date_column_past_a_dated_cell_and_a_long_one_refused() -> None:
    from peri.log.importers.base import read_table
    from peri.log.importers.yearless import add_years

    table = read_table("y.csv", data=b"start_time,end_time,exercise_title,reps\nDec 31 23:30,2024-01-01 00:30,Squat,5\n"
                                     b"Jan 2 10:00,Jan 2 11:00,Squat,5\n")
    add_years(table, 2023)
    assert [row[:2] for _, row in table.rows] == [["2023-12-31 23:30:00", "2024-01-01 00:30"],
                                                  ["2024-01-02 10:00:00", "2024-01-02 11:00:00"]]
    long = "Wednesday, December 31st at 11:59:59 p.m."  # 41 characters
    with pytest.raises(ImportFormatError) as e:
        _years(f'start_time,end_time,exercise_title,reps\nDec 31 23:30,Jan 1 00:30,Squat,5\n,"{long}",Squat,5\n', 2023)
    assert (e.value.message, e.value.place) == (
        f"date {long[:40]!r} carries no year, and its row's first date gives none", "y.csv:3")


def test_add_years_newest_first_with_a_date_twice() -> None:
    assert _years("Date,Exercise,Reps\nJan 2,Squat,5\nJan 2,Bench,5\nDec 30,Squat,5\n", 2024)[1] == [
        (2, "2024-01-02"), (3, "2024-01-02"), (4, "2023-12-30")]


@pytest.mark.parametrize("dates, read", [
    # one-day steps forward outvote one back; two back outvote one forward; a step of exactly 183 days goes back,
    # one of 184 days back goes forward
    (["Dec 29", "Dec 30", "Dec 31", "Dec 25"], ["2024-12-29", "2024-12-30", "2024-12-31", "2025-12-25"]),
    (["Jan 3", "Jan 4", "Jan 2", "Jan 1"], ["2024-01-03", "2023-01-04", "2023-01-02", "2023-01-01"]),
    (["Jan 1", "Jul 2"], ["2024-01-01", "2023-07-02"]),
    (["Jul 3", "Jan 1"], ["2024-07-03", "2025-01-01"]),
    # the time of day decides a step within one day, and a step at the edge of half a year
    (["Jan 2 10:00", "Jan 2 08:00", "Dec 30 09:00"], ["2024-01-02 10:00:00", "2024-01-02 08:00:00", "2023-12-30 09:00:00"]),
    (["Jan 2 10:50", "Jan 2 10:10", "Dec 30"], ["2024-01-02 10:50:00", "2024-01-02 10:10:00", "2023-12-30"]),
    (["Jan 2 10:50", "Jan 2 11:10", "Dec 30"], ["2024-01-02 10:50:00", "2024-01-02 11:10:00", "2024-12-30"]),
    (["Jan 1 00:00", "Jul 1 23:40"], ["2024-01-01 00:00:00", "2024-07-01 23:40:00"]),
])
def test_add_years_direction_by_steps(dates: list[str], read: list[str]) -> None:
    text = "Date,Exercise,Reps\n" + "".join(f"{d},Squat,5\n" for d in dates)
    assert [cell for _, cell in _years(text, 2024)[1]] == read


def test_add_years_above_an_anchor_and_past_cells_that_are_no_date() -> None:
    # equal dates above the dated row; an empty cell, a cell that is no date and a short row do not stop the
    # reading of the rows after them
    assert _years("Date,Exercise,Reps\nDec 30,Squat,5\nDec 30,Squat,5\n2024-01-02,Squat,5\n")[1] == [
        (2, "2023-12-30"), (3, "2023-12-30"), (4, "2024-01-02")]
    assert _years("Date,Exercise,Reps\nJan 2,Squat,5\nJan 2,Squat,5\n2023-12-30,Squat,5\n")[1] == [
        (2, "2024-01-02"), (3, "2024-01-02"), (4, "2023-12-30")]
    from peri.log.importers.base import read_table
    from peri.log.importers.yearless import add_years

    table = read_table("y.csv", data=b"Exercise,Reps,Date\nSquat,5,Dec 30\nSquat,5,\nSquat,5,xyz\nSquat,5\nSquat,5,Jan 2\n")
    add_years(table, 2023)
    assert [row[2] if len(row) > 2 else None for _, row in table.rows] == ["2023-12-30", "", "xyz", None, "2024-01-02"]


def test_add_years_refusals_of_long_dates_and_two_fitting_runs() -> None:
    import datetime as dt

    from peri.log.importers.base import read_table
    from peri.log.importers.yearless import add_years

    # 2 March was a Thursday in 2023 and is again in 2028: on 2 March 2028 both runs end within five years
    table = read_table("y.csv", data=b'Date,Exercise,Reps\n"Thu, Mar 2",Squat,5\n')
    with pytest.raises(ImportFormatError) as e:
        add_years(table, None, dt.date(2028, 3, 2))
    assert e.value.message == ("the dates carry no year (such as 'Thu, Mar 2'), and their weekdays fit 2 runs of years "
                               "ending in the last 5 years (starting 2023, 2028)")
    long = "Thursday, December 31st, at 11:59:59 p.m."  # 41 characters; 31 December is no Thursday in the window
    for text, said in ((f'"{long}"', "their weekdays fit no run of years ending in the last 5 years"),
                       (f'"{long}"\nJan 2', "nothing in the file tells it: no date with a year, and not every date "
                                            "names its weekday")):
        with pytest.raises(ImportFormatError) as e:
            _years("Date\n" + text + "\n")
        assert e.value.message == f"the dates carry no year (such as {long[:40]!r}), and {said}"


@pytest.mark.parametrize("cell, year, said", [
    ("Thursday, February 29th, at 11:59:59 p.m.", 2023, "read in 2023 (from --year 2023) is no date of that year"),
    ("Thursday, December 31st, at 11:59:59 p.m.", 2024, "read in 2024 (from --year 2024, the file's dates running "
     "oldest first) is a Tuesday: its weekday does not fit"),
])
def test_add_years_long_dates_refused_with_the_year_given(cell: str, year: int, said: str) -> None:
    with pytest.raises(ImportFormatError) as e:
        _years(f'Date\n"{cell}"\n', year)
    assert e.value.message == f"date {cell[:40]!r} {said}"


def test_localdates_words_by_language() -> None:
    from peri.log.importers.localdates import _key, month_in, words

    assert month_in("fi", "maalisk") == 3 and month_in("fi", "maalis") is None  # Finnish: listed forms only
    assert month_in("tr", "Kasım") == 11 and _key("Kasım") == "kasim"  # the dotless i folded
    assert _key("пʼятниця") == "пятниця"  # the Ukrainian apostrophe dropped
    assert words().names["pl"] == "Polish" and "fi" in words().whole_only and "pl" not in words().whole_only
    assert "пт" in words().evidence["uk"] and "року" in words().evidence["uk"]  # weekdays and year words
    assert _localised("Date,Exercise,Reps\n5 Kasım 2024,Squat,5\n") == (
        "1 localised dates read (the first, '5 Kasım 2024' as 2024-11-05 00:00:00) in Turkish ('kasim' = Nov) from "
        "their months' words in the whole file", [(2, "2024-11-05 00:00:00")])


def test_yearless_last_edges() -> None:
    import datetime as dt

    from peri.log.importers.base import read_table
    from peri.log.importers.yearless import Yearless, add_years, read_yearless

    assert read_yearless("31 Feb") is None
    assert read_yearless("3 Mar 1:05 pm") == Yearless(3, 3, dt.time(13, 5), None)
    # a date without its year after the first 200 rows is not looked for; every row comes back
    table = read_table("y.csv", data=("Date,Exercise,Reps\n" + "2024-03-01,Squat,5\n" * 200 + "Jan 2,Squat,5\n").encode())
    assert add_years(table, 2024) is None and len(list(table.rows)) == 201
    # a short row first
    table = read_table("y.csv", data=b"Exercise,Reps,Date\nSquat,5\nSquat,5,Jan 2\n")  # ends before its date
    assert add_years(table, 2024) is not None and list(table.rows)[1][1][2] == "2024-01-02"
    long = "Wednesday, December 31st at 11:59:59 p.m."  # 41 characters; a Wednesday in 2025
    note, read = _years(f'Date\n"{long}"\n', 2025)
    assert note.startswith(f"1 dates in column 'Date' carry no year (the first {long[:40]!r} at y.csv:2, read as 2025)")
    assert read == [(2, "2025-12-31 23:59:59")]


def test_localdates_clocks_rows_and_words_past_the_first() -> None:
    import datetime as dt

    from peri.log.importers.base import read_table
    from peri.log.importers.localdates import localise_dates, read_cell

    # the afternoon word after the time, and at one o'clock
    assert read_cell("2024/3/5 2:05 下午").time == dt.time(14, 5)
    assert read_cell("2024/3/5 下午 1:05").time == dt.time(13, 5)
    # an English date without its year is the readers' (untouched); a file whose first localised date comes after
    # 200 ISO rows has it read (the whole column decides), every row kept
    assert _localised("Date,Exercise,Reps\n5 Mar,Squat,5\n") == (None, [(2, "5 Mar")])
    table = read_table("l.csv", data=("Date,Exercise,Reps\n" + "2024-03-01,Squat,5\n" * 200 + "5 lut 2024,Squat,5\n").encode())
    said = localise_dates(table)  # the whole column decides (imports7): a localised date past row 200 is read too
    assert said == ("1 localised dates read (the first, '5 lut 2024' as 2024-02-05 00:00:00) in Polish ('lut' = Feb) "
                    "from their months' words in the whole file")
    assert len(list(table.rows)) == 201
    # a short row first; a word of no language before one of Polish
    table = read_table("l.csv", data=b"Exercise,Reps,Date\nSquat,5\nSquat,5,5 zork 2024\nSquat,5,5 lut 2024\n")
    assert localise_dates(table) is not None
    assert [row[2] if len(row) > 2 else None for _, row in table.rows] == [None, "5 zork 2024", "2024-02-05 00:00:00"]
    # the cell's first 40 characters, as written, in the note and in the refusal
    spaced = "5" + " " * 40 + "lut 2024"
    assert _localised(f"Date,Exercise,Reps\n{spaced},Squat,5\n")[0].startswith(
        f"1 localised dates read (the first, {spaced[:40]!r} as 2024-02-05 00:00:00)")
    with pytest.raises(ImportFormatError) as e:
        _localised(f"Date,Exercise,Reps\n{spaced.replace('lut', 'lis')},Squat,5\n")
    assert e.value.message.startswith(f"the month of {spaced[:40]!r} depends on the phone's language")


def test_read_cell_at_eighty_characters_and_numeric_months_at_their_ends() -> None:
    from peri.log.importers.localdates import read_cell

    assert read_cell("5" + " " * 71 + "lut 2024").month == "lut"  # 80 characters: read
    assert read_cell("5" + " " * 72 + "lut 2024") is None  # 81: no date
    assert (read_cell("2024/1/5").month, read_cell("2024/12/5").month) == (1, 12)


def test_localise_dates_drops_a_languages_year_marks_and_joins_both_notes() -> None:
    """Numeric dates with a language's year mark ("12.03.2024 г.") lose the mark through localise_dates itself
    (imports7's datemarks hook), and a file holding both kinds says both in one note, marks first."""
    from peri.log.importers.base import read_table
    from peri.log.importers.localdates import localise_dates

    both = read_table("m.csv", data="Date,Exercise,Reps\n12.03.2024 г.,Squat,5\n5 lut 2024,Bench,5\n".encode())
    assert localise_dates(both) == (
        "1 numeric dates read without the marks their language writes around them (the first, '12.03.2024 г.' as "
        "12.03.2024); 1 localised dates read (the first, '5 lut 2024' as 2024-02-05 00:00:00) in Polish ('lut' = Feb) "
        "from their months' words in the whole file")
    assert [r for _, r in both.rows] == [["12.03.2024", "Squat", "5"], ["2024-02-05 00:00:00", "Bench", "5"]]
    marks = read_table("m.csv", data="Date,Exercise,Reps\n12.03.2024 г.,Squat,5\n13.03.2024 г.,Bench,5\n".encode())
    assert localise_dates(marks) == ("2 numeric dates read without the marks their language writes around them "
                                     "(the first, '12.03.2024 г.' as 12.03.2024)")
    assert [r[0] for _, r in marks.rows] == ["12.03.2024", "13.03.2024"]


# --- datemarks (mutation7a) -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, bare_date", [
    ("12.03.2024" + " " * 48 + "г.", "12.03.2024"),  # 60 characters: read (the spaces are one)
    ("12.03.2024" + " " * 49 + "г.", None),  # 61: longer than any such date, never matched
    ("12.03.2024\u00a0г.", "12.03.2024"),  # a no-break space, as phones write before the mark
    ("12.03.2024\u202fг.", "12.03.2024"),  # CLDR's narrow no-break space
    ("2024. 03. 12.", "2024-03-12"),  # year first, as ISO
    ("2024-3-5 г.", "2024-03-05"),
    ("2024. 03. 123.", None),  # a year first then three digits: no date
    ("2024. 03. 2024.", None),
    ("12.03.24 г.", "12.03.24"),  # a two-digit year is kept for the reader
    ("12.03.124 г.", None),
    ("123.03.2024 г.", None),
    ("5. 3. 2024", "5.3.2024"),  # Czech spaces after the dots: the numbers kept as written
    ("12-03-2024 r.", "12-03-2024"),
    ("12.03.2024 R.", "12.03.2024"),  # any case
    ("12.03.2024 roku.", "12.03.2024"), ("12.03.2024r.", "12.03.2024"), ("12.03.2024 rok", "12.03.2024"),
    ("12.03.2024.", "12.03.2024"),  # the year's closing dot alone
    ("12.03.2024 г. в 7:05:09", "12.03.2024 07:05:09"),  # the hour padded, the seconds kept
    ("12.03.2024 г. 7.05", "12.03.2024 07:05:00"),
    ("12.03.2024 г. um 7:05", "12.03.2024 07:05:00"),
    ("12.03.2024 godz 17:15 óra", "12.03.2024 17:15:00"),
    ("12.03.2024 г. 17:15 ч.", "12.03.2024 17:15:00"),
    ("12.03.2024 17:15 ч.", "12.03.2024 17:15:00"),  # marked only by the word after its time
])
def test_datemarks_bare_by_hand(text: str, bare_date: str | None) -> None:
    from peri.log.importers.datemarks import bare

    assert bare(text) == bare_date


def test_datemarks_drop_marks_counts_names_the_first_and_skips_what_is_no_date() -> None:
    from peri.log.importers.datemarks import drop_marks

    rows = [(2, ["12.03.2024 г.", "12.03.2024 г."]), (3, ["5. 3. 2024"]), (4, [" 12.03.2024 г.", "y"]),
            (5, ["", "z"]), (6, ["Squat", "13.03.2024 г."]), (7, ["12.03.2024 г."])]
    # column 0 only, its empty and word cells passed over, a short row (line 3) too for column 1
    assert drop_marks(rows, [0, 1][:1]) == ("4 numeric dates read without the marks their language writes around "
                                            "them (the first, '12.03.2024 г.' as 12.03.2024)")
    assert [r for _, r in rows] == [["12.03.2024", "12.03.2024 г."], ["5.3.2024"], ["12.03.2024", "y"], ["", "z"],
                                    ["Squat", "13.03.2024 г."], ["12.03.2024"]]
    short = [(2, ["x"]), (3, ["x", "5. 3. 2024"])]
    assert drop_marks(short, [1]) == ("1 numeric dates read without the marks their language writes around them "
                                      "(the first, '5. 3. 2024' as 5.3.2024)")
    assert drop_marks([(2, ["12.03.2024", "Squat"])], [0, 1]) is None  # bare dates and words: nothing to say


def test_datemarks_a_cell_passed_over_leaves_the_rows_other_date_columns_read() -> None:
    from peri.log.importers.datemarks import drop_marks

    rows = [(2, ["Squat", "12.03.2024 г."]), (3, ["", "13.03.2024 г."]), (4, ["x"])]
    assert drop_marks(rows, [0, 1]) == ("2 numeric dates read without the marks their language writes around them "
                                        "(the first, '12.03.2024 г.' as 12.03.2024)")
    assert [r for _, r in rows] == [["Squat", "12.03.2024"], ["", "13.03.2024"], ["x"]]


def test_datemarks_the_first_is_quoted_stripped_to_40_characters() -> None:
    from peri.log.importers.datemarks import drop_marks

    long = " 12.03.2024" + " " * 35 + "г."  # 48 characters: stripped to 47, quoted to its first 40
    rows = [(2, [long]), (3, ["13.03.2024 г."])]
    assert drop_marks(rows, [0]) == ("2 numeric dates read without the marks their language writes around them "
                                     f"(the first, {'12.03.2024' + ' ' * 30!r} as 12.03.2024)")


# --- jsonguard (mutation7a) -----------------------------------------------------------------------------------
_CSV_HINT = "nothing was imported; export your log from the app as CSV"


def test_jsonguard_size_refusal_word_for_word(monkeypatch) -> None:
    from peri.log.importers import jsonguard

    monkeypatch.setattr(jsonguard, "MAX_JSON_CHARS", 3 << 20)
    text = "[" + " " * (3 * (1 << 20) + 629_145) + "]"  # 3.6 Mi characters: said as 4
    with pytest.raises(ImportFormatError) as e:
        jsonguard.load_json(text, "big.json")
    assert e.value.message == ("the JSON log is 4 Mi characters, over the 3 Mi a JSON log is read up to (it is read "
                               "whole; a lifetime's log is a few MiB)")
    assert e.value.place == "big.json"
    assert e.value.hint == ("export the log as CSV (read row by row, up to 256 MiB), or split the JSON into files of "
                            "a few years each and import them one after the other; nothing was imported")


@pytest.mark.parametrize("text, why, line", [
    ('{"a": 1', "it ends inside a list or object: the download or copy was cut short", 1),
    ('{"a": [1,\n 2\n  \n', "it ends inside a list or object: the download or copy was cut short", 4),
    ('{"a": 1 "b": 2}', "Expecting ',' delimiter at column 9", 1),
    ('[1,\n2,\n]', "Expecting value at column 1", 3),
    ('{"a":\n1}\n{"b": 2}', "Extra data at column 1", 3),  # the first line is no value of its own: not JSON Lines
])
def test_jsonguard_broken_json_word_for_word(text: str, why: str, line: int) -> None:
    from peri.log.importers import jsonguard

    with pytest.raises(ImportFormatError) as e:
        jsonguard.load_json(text, "log.json")
    assert e.value.message == f"this is a JSON file, not a CSV table, and it does not parse: {why}"
    assert (e.value.place, e.value.hint) == (f"log.json:{line}", _CSV_HINT)


def test_jsonguard_json_lines_read_and_a_broken_line_named() -> None:
    from peri.log.importers import jsonguard

    assert jsonguard.load_json('{"a": 1}\n\n  \n[2]\n3\n', "log.jsonl") == [{"a": 1}, [2], 3]
    assert jsonguard.load_json('{"a": 1}', "log.json") == {"a": 1}
    with pytest.raises(ImportFormatError) as e:
        jsonguard.load_json('{"a": 1}\n\n{"b": 2}\n{"c" 3}\n{"d": 4}\n', "log.jsonl")
    assert e.value.message == ("this is a JSON Lines file whose line 4 does not parse (Expecting ':' delimiter, "
                               "column 6)")
    assert (e.value.place, e.value.hint) == ("log.jsonl:4", _CSV_HINT)
