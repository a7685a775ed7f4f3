"""Hand-worked edges of `peri.log.importers.zones` (issue 20: mutation testing; mutation8c).

Every instant below was worked by hand: day 19787 since 1970 is 2024-03-05 (19787 x 86400 = 1709596800), so
1709658900 = 1709596800 + 17:15 (62100 s) is 2024-03-05 17:15 UTC; 1,000,000,000 s is 11,574 days (2001-09-09)
and 6,400 s (01:46:40); 9,999,999,999 s is 115,740 days (2286-11-20) and 9,999,999,999 - 115,740 x 86,400 =
63,999 s (17:46:39). Zones in March 2024: Tokyo UTC+9, New
York EST = UTC-5 (EDT from 10 March 07:00 UTC), Los Angeles PDT = UTC-7 from 10 March 10:00 UTC; London BST =
UTC+1 in July. A POSIX zone "XYZ+3" is three hours west of Greenwich (UTC-3)."""
from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from peri.errors import ConfigError
from peri.log.importers import parse_file
from peri.log.importers.base import Table
from peri.log.importers.zones import (Stamp, Zoned, _localtime_name, localise_zones, machine_zone, read_stamp,
                                      zone_option)

D = dt.datetime
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def table(*rows: list[str], header: tuple[str, ...] = ("Date", "Exercise")) -> Table:
    return Table(path="x.csv", header=list(header), delimiter=",",
                 rows=iter([(i + 2, list(r)) for i, r in enumerate(rows)]), total_lines=len(rows) + 1, warnings=[])


def cells(t: Table, col: int = 0) -> list[str]:
    return [r[col] if col < len(r) else None for _, r in t.rows]


# --- read_stamp --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, wall", [
    ("1000000000", D(2001, 9, 9, 1, 46, 40)),  # the first ten-digit second read
    ("9999999999", D(2286, 11, 20, 17, 46, 39)),  # the last
    ("1709658900500", D(2024, 3, 5, 17, 15)),  # milliseconds: the half second dropped, whole seconds kept
    ("1000000000000", D(2001, 9, 9, 1, 46, 40)),
    (" 1709658900 ", D(2024, 3, 5, 17, 15)),  # spaces around a cell
])
def test_epoch_counts_at_their_edges(cell: str, wall: dt.datetime) -> None:
    assert read_stamp(cell) == Stamp(wall, dt.timedelta(0), True)


@pytest.mark.parametrize("cell", ["999999999", "0999999999", "0999999999999", "170965890000", "17096589000000",
                                  "10000000000", "-1709658900"])
def test_counts_too_short_long_or_small_are_no_stamp(cell: str) -> None:
    # 9 or 11/12/14 digits, a ten-digit count below 1,000,000,000 (0999999999: 1983), a negative count
    assert read_stamp(cell) is None


@pytest.mark.parametrize("cell, wall, offset, utc", [
    ("2024-03-05T17:15:00+14:00", D(2024, 3, 5, 17, 15), 14 * H, False),  # Kiribati, the furthest zone
    ("2024-03-05T17:15:00-14", D(2024, 3, 5, 17, 15), -14 * H, False),
    ("2024-03-05T17:15:00+05:59", D(2024, 3, 5, 17, 15), 5 * H + 59 * M, False),
    ("2024-03-05T19:15:00+02", D(2024, 3, 5, 19, 15), 2 * H, False),  # hours alone: no minutes
    ("2024-03-05T12:15:00\u221205:00", D(2024, 3, 5, 12, 15), -5 * H, False),  # a typeset minus sign
    ("2024-03-05 17:15:00 GMT+00:00", D(2024, 3, 5, 17, 15), dt.timedelta(0), True),  # GMT with a zero offset
    ("2024-03-05 17:15:00 GMT+01:00", D(2024, 3, 5, 17, 15), H, False),
    ("2024-03-05t17:15:00z", D(2024, 3, 5, 17, 15), dt.timedelta(0), True),  # lower case
    ("2024-03-05 17:15 utc", D(2024, 3, 5, 17, 15), dt.timedelta(0), True),
    ("2024-03-05 17:15:00 Z", D(2024, 3, 5, 17, 15), dt.timedelta(0), True),  # a space before the Z
])
def test_offsets_at_their_edges(cell: str, wall: dt.datetime, offset: dt.timedelta, utc: bool) -> None:
    assert read_stamp(cell) == Stamp(wall, offset, utc)


@pytest.mark.parametrize("cell", ["2024-03-05T17:15:00+15:00", "2024-03-05T17:15:00+05:60", "2024-03-05T17:15:00Z.",
                                  "2024-03-05T17:15:00Z,", "   "])
def test_offsets_past_their_edges_are_no_stamp(cell: str) -> None:
    assert read_stamp(cell) is None


def test_a_stamp_of_80_characters_is_read_and_of_81_is_not() -> None:
    head = "Tue Mar 05 2024 12:15:00 GMT-0500 ("  # 35 characters, then a zone's name in brackets
    cell = head + "E" * 44 + ")"
    assert len(cell) == 80 and read_stamp(cell) == Stamp(D(2024, 3, 5, 12, 15), -5 * H, False)
    assert read_stamp(head + "E" * 45 + ")") is None


def test_a_numeric_date_follows_the_files_order() -> None:
    assert read_stamp("05/03/2024 17:15 UTC") is None  # no order: 5 March or 3 May, not guessed
    assert read_stamp("05/03/2024 17:15 UTC", "dmy") == Stamp(D(2024, 3, 5, 17, 15), dt.timedelta(0), True)
    assert read_stamp("05/03/2024 17:15 UTC", "mdy") == Stamp(D(2024, 5, 3, 17, 15), dt.timedelta(0), True)


# --- zone_option -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [None, "", "   "])
def test_no_zone_given_is_none(name: str | None) -> None:
    assert zone_option(name) is None


def test_a_zone_is_read_with_spaces_around_it() -> None:
    assert zone_option("  Asia/Tokyo ").key == "Asia/Tokyo"


@pytest.mark.parametrize("name, shown", [
    ("Europe", "Europe"),  # a folder of the tz database (IsADirectoryError)
    ("../etc/passwd", "../etc/passwd"),  # a path (ValueError)
    (" Mars/Olympus_Mons_Base_Camp_North_Ridge_Station ", "Mars/Olympus_Mons_Base_Camp_North_Ridge_"),  # 40 shown
])
def test_an_unknown_zone_is_refused_word_for_word(name: str, shown: str) -> None:
    with pytest.raises(ConfigError) as e:
        zone_option(name)
    assert e.value.message == f"time zone {shown!r} is not one peri knows (--tz)"
    assert e.value.hint == ("an IANA zone name, e.g. --tz Europe/Berlin, --tz America/New_York, --tz UTC "
                            "(on Windows: pip install tzdata)")


# --- machine_zone ------------------------------------------------------------------------------------------------

class _Link:
    """A stand-in for Path("/etc/localtime"): where it resolves to, or an OSError."""

    target: str | Exception = ""

    def __init__(self, path: str) -> None:
        assert path == "/etc/localtime"

    def resolve(self) -> str:
        if isinstance(self.target, Exception):
            raise self.target
        return self.target


@pytest.fixture
def no_machine_zone(monkeypatch: pytest.MonkeyPatch):
    """No MACHINE_ZONE, no TZ, /etc/localtime a stand-in; the C library's zone restored after the test."""
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", None)
    monkeypatch.setattr("peri.log.importers.zones.Path", _Link)
    monkeypatch.setattr(_Link, "target", "")
    old = os.environ.pop("TZ", None)
    yield monkeypatch
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_the_machine_zone_setting_comes_first(no_machine_zone: pytest.MonkeyPatch) -> None:
    no_machine_zone.setattr("peri.log.importers.zones.MACHINE_ZONE", "Asia/Kolkata")
    os.environ["TZ"] = "Asia/Tokyo"
    _Link.target = "/usr/share/zoneinfo/Europe/Berlin"
    zone, name = machine_zone()
    assert (zone.key, name) == ("Asia/Kolkata", "Asia/Kolkata")


def test_then_tz_with_or_without_its_colon(no_machine_zone: pytest.MonkeyPatch) -> None:
    _Link.target = "/usr/share/zoneinfo/Europe/Berlin"
    os.environ["TZ"] = ":America/Chicago"
    assert machine_zone()[1] == "America/Chicago"
    no_machine_zone.setattr("peri.log.importers.zones.MACHINE_ZONE", "Not/AZone")  # unknown: the next is tried
    os.environ["TZ"] = "Asia/Tokyo"
    assert machine_zone()[1] == "Asia/Tokyo"


def test_then_the_zone_etc_localtime_links_to(no_machine_zone: pytest.MonkeyPatch) -> None:
    _Link.target = "/usr/share/zoneinfo/Europe/Berlin"
    assert machine_zone()[1] == "Europe/Berlin"  # TZ unset
    os.environ["TZ"] = "Not/AZone"
    assert machine_zone()[1] == "Europe/Berlin"


@pytest.mark.parametrize("target, name", [
    ("/usr/share/zoneinfo/Europe/Berlin", "Europe/Berlin"),
    ("/usr/share/zoneinfo/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    # a database installed under a folder itself named zoneinfo: the zone is after the last one
    ("/opt/zoneinfo/share/zoneinfo/Europe/Berlin", "Europe/Berlin"),
    ("/etc/localtime", ""),  # a file, not a link into the database
    (OSError("loop"), ""),
])
def test_the_zone_etc_localtime_names(no_machine_zone: pytest.MonkeyPatch, target, name: str) -> None:
    _Link.target = target
    assert _localtime_name() == name


@pytest.mark.parametrize("target", ["/etc/localtime", OSError("loop")])
def test_else_the_c_librarys_abbreviations(no_machine_zone: pytest.MonkeyPatch, target) -> None:
    # a POSIX zone the tz database does not name: only the C library knows it
    _Link.target = target
    os.environ["TZ"] = "XYZ+3"
    time.tzset()
    assert machine_zone() == (None, "XYZ")  # standard and summer time the same abbreviation: said once
    os.environ["TZ"] = "ABC+3DEF"
    time.tzset()
    assert machine_zone() == (None, "ABC/DEF")


def test_utc_stamps_on_a_machine_only_the_c_library_knows(no_machine_zone: pytest.MonkeyPatch) -> None:
    os.environ["TZ"] = "XYZ+3"  # UTC-3 all year
    time.tzset()
    t = table(["2024-03-06T02:00:00Z", "Squat"])
    done = localise_zones(t)
    assert cells(t) == ["2024-03-05 23:00:00"]  # 02:00 UTC is 23:00 the day before at UTC-3
    assert done.zone == ("UTC, read in this machine's zone, XYZ (pass --tz with the lifter's zone, e.g. "
                         "--tz Europe/Berlin, if it is not theirs)")
    assert done.moved == {D(2024, 3, 5, 23): -1}


# --- localise_zones and its note ---------------------------------------------------------------------------------

def test_a_table_without_date_columns_or_stamps_is_untouched() -> None:
    t = table(["2024-03-05T17:15:00Z", "Squat"], header=("Exercise", "Notes"))
    assert localise_zones(t) is None and cells(t) == ["2024-03-05T17:15:00Z"]
    t = table(["2024-03-05 17:15", "Squat"], ["2024-03-06", "Bench"])
    assert localise_zones(t, "Asia/Tokyo") is None and cells(t) == ["2024-03-05 17:15", "2024-03-06"]


def test_an_unknown_zone_is_refused_before_the_columns_are_looked_at() -> None:
    with pytest.raises(ConfigError):
        localise_zones(table(["x", "Squat"], header=("Exercise", "Notes")), "Europe/Berlinn")


def test_a_short_row_and_the_same_cell_twice() -> None:
    # the date in the third column; the second row stops before it; the third repeats the first's stamp
    t = table(["Squat", "100", "2024-03-05T20:00:00Z"], ["Squat", "100"], ["Squat", "100", "2024-03-05T20:00:00Z"],
              header=("Exercise", "Weight", "Date"))
    done = localise_zones(t, "Asia/Tokyo")
    assert cells(t, 2) == ["2024-03-06 05:00:00", None, "2024-03-06 05:00:00"]  # 20:00 UTC is 05:00 next day
    assert (done.stamps, done.as_written, done.moved) == (2, 0, {D(2024, 3, 6, 5): 1})
    assert done.first == "'2024-03-05T20:00:00Z' as 2024-03-06 05:00:00"


def test_the_first_stamp_is_shown_stripped_and_cut_at_40() -> None:
    t = table(["  Tue Mar 05 2024 12:15:00 GMT-0500 (Eastern Standard Time)  ", "Squat"])
    done = localise_zones(t)
    assert done.first == "'Tue Mar 05 2024 12:15:00 GMT-0500 (Easte' as 2024-03-05 12:15:00"


def test_a_utc_word_among_local_offsets_is_converted_the_rest_read_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", "Europe/London")
    t = table(["2024-07-05T23:30:00+01:00", "Squat"], ["2024-07-09T22:30:00Z", "Squat"],
              ["2024-07-12T06:00:00-04:00", "Squat"])
    done = localise_zones(t)
    # as written: 23:30 and 06:00; the Z stamp in London's summer time (BST, UTC+1): 23:30 on the 9th
    assert cells(t) == ["2024-07-05 23:30:00", "2024-07-09 23:30:00", "2024-07-12 06:00:00"]
    assert (done.stamps, done.as_written, done.moved) == (3, 2, {})
    assert done.zone == "read as written, in the offsets the file gives (each stamp's local time; --tz converts them)"


def test_a_numeric_stamp_is_read_in_the_files_order() -> None:
    t = table(["05/03/2024 20:00 UTC", "Squat"])
    localise_zones(t, "Asia/Tokyo", "dmy")
    assert cells(t) == ["2024-03-06 05:00:00"]  # 5 March 20:00 UTC, 05:00 on the 6th in Tokyo
    t = table(["05/03/2024 20:00 UTC", "Squat"])
    localise_zones(t, "Asia/Tokyo", "mdy")
    assert cells(t) == ["2024-05-04 05:00:00"]  # 3 May


LIFTOSAUR = ("Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?,Required Reps,Completed Reps,Is AMRAP?,"
             "Required RPE,Completed RPE,Log RPE?,Required Weight Value,Required Weight Unit,Completed Weight Value,"
             "Completed Weight Unit,Ask Weight?,Completed Reps Time,Target Muscles,Synergist Muscles,Notes\n")


def test_sessions_moved_back_on_and_not_at_all_are_counted_apart(tmp_path: Path) -> None:
    # in Tokyo (UTC+9): 20:00 UTC on 5 March is 05:00 on the 6th (on a day); 13:00 UTC on 10 March (08:00 at
    # -05:00) is 22:00 the same day; 01:00 at +14:00 on 12 March is 11:00 UTC on the 11th, 20:00 on the 11th (back)
    stamps = ["2024-03-05T20:00:00Z", "2024-03-10T08:00:00-05:00", "2024-03-12T01:00:00+14:00"]
    f = tmp_path / "liftosaur.csv"
    f.write_text(LIFTOSAUR + "".join(f'{s},P,Day {i},"Squat, Barbell",0,5,5,0,,,0,100,kg,100,kg,0,{s},,,\n'
                                     for i, s in enumerate(stamps)), encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "Asia/Tokyo"})
    assert [s.started_at for s in p.sessions] == [D(2024, 3, 6, 5), D(2024, 3, 10, 22), D(2024, 3, 11, 20)]
    note = next(w for w in p.warnings if "carry a zone" in w)
    assert note == ("3 timestamps carry a zone (the first, '2024-03-05T20:00:00Z' as 2024-03-06 05:00:00): read in "
                    "Asia/Tokyo (--tz); 2 sessions moved day (1 to the day before, 1 to the day after)")


def test_the_note_counts_only_the_sessions_given() -> None:
    z = Zoned("read in Asia/Tokyo (--tz)", stamps=2, moved={D(2024, 3, 6, 5): 1}, first="'x' as y")

    class S:
        def __init__(self, at: dt.datetime) -> None:
            self.started_at = at

    assert z.note([S(D(2024, 3, 6, 5)), S(D(2024, 3, 7, 5))]) == (
        "2 timestamps carry a zone (the first, 'x' as y): read in Asia/Tokyo (--tz); 1 sessions moved day "
        "(0 to the day before, 1 to the day after)")
    assert z.note([S(D(2024, 3, 7, 5))]).endswith("read in Asia/Tokyo (--tz); no session moved day")
    assert Zoned("z").note([]) == "0 timestamps carry a zone (the first, ): z; no session moved day"


def test_offsets_given_anywhere_in_the_file_make_it_read_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", "Asia/Tokyo")
    # a Londoner's summer (+01:00), then winter (+00:00) last: every stamp as written, none in Tokyo's zone
    t = table(["2024-07-05T23:30:00+01:00", "Squat"], ["2024-07-05T23:30:00+01:00", "Squat"],
              ["2024-01-10T23:30:00+00:00", "Squat"])
    done = localise_zones(t)
    assert cells(t) == ["2024-07-05 23:30:00", "2024-07-05 23:30:00", "2024-01-10 23:30:00"]
    assert (done.stamps, done.as_written, done.moved) == (3, 2, {})  # two stamps as written, one of them twice


def test_a_mapped_date_column_adds_only_itself(tmp_path: Path) -> None:
    # `--map When=date`: the When column's stamp is read in the zone; a note that happens to be a whole stamp is a
    # note, left as written (a column map names one column the date, not every column)
    f = tmp_path / "log.csv"
    f.write_text("When,Lift,Kg,Reps,Notes\n2024-03-06T03:15:00Z,Squat,100,5,2024-03-06T03:15:00Z\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "America/New_York", "unit": "kg", "columns": {
        "date": "When", "exercise": "Lift", "weight": "Kg", "reps": "Reps", "note": "Notes"}})
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 5, 22, 15)]  # 03:15 UTC = 22:15 EST
    assert p.sessions[0].sets[0][-1] == "2024-03-06T03:15:00Z"  # the set's note, its last field
    assert next(w for w in p.warnings if "carry a zone" in w).startswith("1 timestamps carry a zone")
