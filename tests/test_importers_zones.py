"""Timestamps that carry a zone (`peri.log.importers.zones`): a session is dated on the lifter's local day.

Every conversion below was worked by hand from the zones' rules for 2024 (tz database): Los Angeles PST = UTC-8
until 10 Mar 10:00 UTC, then PDT = UTC-7; New York EST = UTC-5, EDT = UTC-4 until 3 Nov 06:00 UTC; Berlin
CET = UTC+1 until 31 Mar 01:00 UTC, then CEST = UTC+2 (and in summer 2025); Tokyo UTC+9; Kolkata UTC+5:30;
Chicago CST = UTC-6 in winter; Sydney AEDT = UTC+11 until 6 Apr 16:00 UTC, then AEST = UTC+10."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from peri.errors import ConfigError
from peri.log.importers import parse_file
from peri.log.importers.zones import read_stamp

D = dt.datetime
# Liftosaur's own header (astashov/liftosaur src/models/history.ts History_exportAsCSV@baeb434)
LIFTOSAUR = ("Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?,Required Reps,Completed Reps,Is AMRAP?,"
             "Required RPE,Completed RPE,Log RPE?,Required Weight Value,Required Weight Unit,Completed Weight Value,"
             "Completed Weight Unit,Ask Weight?,Completed Reps Time,Target Muscles,Synergist Muscles,Notes\n")


def liftosaur(tmp: Path, *stamps: str, names: tuple[str, ...] = ()) -> Path:
    rows = [f'{s},P,{names[i] if names else "Day 1"},"Squat, Barbell",0,5,5,0,,,0,100,kg,100,kg,0,{s},,,'
            for i, s in enumerate(stamps)]
    f = tmp / "liftosaur.csv"
    f.write_text(LIFTOSAUR + "\n".join(rows) + "\n", encoding="utf-8")
    return f


def starts(p) -> list[dt.datetime]:
    return [s.started_at for s in p.sessions]


def zone_note(p) -> str:
    return next(w for w in p.warnings if "carry a zone" in w)


@pytest.mark.parametrize("cell, wall, hours, utc", [
    ("2024-03-05T17:15:00.000Z", D(2024, 3, 5, 17, 15), 0, True),  # JavaScript's toISOString (Liftosaur)
    ("2024-03-05 19:15:00 +02:00", D(2024, 3, 5, 19, 15), 2, False),
    ("2024-03-05T21:15:00-0500", D(2024, 3, 5, 21, 15), -5, False),
    ("2024-02-01 06:00:00 +0000", D(2024, 2, 1, 6), 0, False),  # Fitbod: a space before the zone
    ("2024-03-05 17:15:00 UTC", D(2024, 3, 5, 17, 15), 0, True),
    ("2024-03-05 17:15:00 +0000 UTC", D(2024, 3, 5, 17, 15), 0, False),  # Go's time.String()
    ("Tue Mar 05 2024 12:15:00 GMT-0500 (Eastern Standard Time)", D(2024, 3, 5, 12, 15), -5, False),  # Date.toString()
    ("Tue, 05 Mar 2024 17:15:00 GMT", D(2024, 3, 5, 17, 15), 0, True),  # RFC 2822
    ("Mar 5, 2024, 5:15 PM UTC", D(2024, 3, 5, 17, 15), 0, True),
    ("2024-03-05T17:15+05:30", D(2024, 3, 5, 17, 15), 5.5, False),
    # seconds and milliseconds since 1970: 2024-03-05 is day 19787, 19787 x 86400 = 1709596800, + 17:15 = 62100
    ("1709658900", D(2024, 3, 5, 17, 15), 0, True),
    ("1709658900000", D(2024, 3, 5, 17, 15), 0, True),
])
def test_a_zoned_stamp_is_read_with_its_offset(cell: str, wall: dt.datetime, hours: float, utc: bool) -> None:
    s = read_stamp(cell)
    assert s is not None and s.wall == wall and s.offset == dt.timedelta(hours=hours) and s.utc_word is utc


@pytest.mark.parametrize("cell", ["2024-03-05 17:15:00", "2024-03-05", "20240305", "45356", "123456789", "17:15 -18:30", "2024-03-05T17:15:00+25:00",
                                  "2024-13-45T17:15:00Z", "next week Z", ""])
def test_a_cell_without_a_zone_or_date_is_no_stamp(cell: str) -> None:
    assert read_stamp(cell) is None


def test_an_evening_west_of_greenwich_is_dated_that_evening(tmp_path: Path) -> None:
    # 03:15 UTC on 6 March is 19:15 PST (UTC-8) on the 5th; 02:30 UTC on 12 March, after the switch to PDT
    # (UTC-7) on the 10th, is 19:30 on the 11th
    f = liftosaur(tmp_path, "2024-03-06T03:15:00.000Z", "2024-03-12T02:30:00.000Z")
    p = parse_file("csv", f, mapping={"tz": "America/Los_Angeles"})
    assert starts(p) == [D(2024, 3, 5, 19, 15), D(2024, 3, 11, 19, 30)]
    assert zone_note(p) == ("2 timestamps carry a zone (the first, '2024-03-06T03:15:00.000Z' as 2024-03-05 "
                            "19:15:00): read in America/Los_Angeles (--tz); 2 sessions moved day (2 to the day "
                            "before, 0 to the day after)")


def test_after_midnight_east_of_greenwich_moves_on_a_day(tmp_path: Path) -> None:
    # 17:15 UTC is 02:15 the next day in Tokyo (UTC+9)
    p = parse_file("csv", liftosaur(tmp_path, "2024-03-05T17:15:00.000Z"), mapping={"tz": "Asia/Tokyo"})
    assert starts(p) == [D(2024, 3, 6, 2, 15)]
    assert "1 sessions moved day (0 to the day before, 1 to the day after)" in zone_note(p)


def test_daylight_saving_edges_are_read_at_each_stamps_instant(tmp_path: Path) -> None:
    # Berlin springs forward at 01:00 UTC on 31 March: 00:30 UTC is 01:30 CET, 01:30 UTC is 03:30 CEST
    f = liftosaur(tmp_path, "2024-03-31T00:30:00Z", "2024-03-31T01:30:00Z", names=("A", "B"))
    assert starts(parse_file("csv", f, mapping={"tz": "Europe/Berlin"})) == [D(2024, 3, 31, 1, 30), D(2024, 3, 31, 3, 30)]
    # New York falls back at 06:00 UTC on 3 November: 05:30 UTC is 01:30 EDT, 06:30 UTC is 01:30 EST - an hour apart,
    # the same wall clock, both on the 3rd
    f = liftosaur(tmp_path, "2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z", names=("A", "B"))
    p = parse_file("csv", f, mapping={"tz": "America/New_York"})
    assert sorted((s.started_at, s.name) for s in p.sessions) == [(D(2024, 11, 3, 1, 30), "A"), (D(2024, 11, 3, 1, 30), "B")]
    # Sydney falls back at 16:00 UTC on 6 April: 15:30 UTC is 02:30 AEDT on the 7th, 16:30 UTC 02:30 AEST
    f = liftosaur(tmp_path, "2024-04-06T15:30:00Z", "2024-04-06T16:30:00Z", names=("A", "B"))
    p = parse_file("csv", f, mapping={"tz": "Australia/Sydney"})
    assert {s.started_at for s in p.sessions} == {D(2024, 4, 7, 2, 30)}
    assert "2 sessions moved day (0 to the day before, 2 to the day after)" in zone_note(p)


def test_without_tz_utc_stamps_are_read_in_the_machines_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", "Asia/Kolkata")
    # 20:00 UTC is 01:30 the next day in Kolkata (UTC+5:30)
    p = parse_file("csv", liftosaur(tmp_path, "2024-03-05T20:00:00.000Z"))
    assert starts(p) == [D(2024, 3, 6, 1, 30)]
    assert "UTC, read in this machine's zone, Asia/Kolkata (pass --tz" in zone_note(p)
    # Fitbod-like stamps all at +0000 are UTC too: 03:00 UTC on 1 Feb is 21:00 CST (UTC-6) on 31 Jan
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", "America/Chicago")
    p = parse_file("csv", liftosaur(tmp_path, "2024-02-01 03:00:00 +0000"))
    assert starts(p) == [D(2024, 1, 31, 21)]


def test_a_file_giving_local_offsets_is_read_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", "Asia/Tokyo")  # the machine's zone is not asked
    # a Londoner's phone: +00:00 in winter, +01:00 in summer - each stamp's local time as written
    f = liftosaur(tmp_path, "2024-01-10T23:30:00+00:00", "2024-07-05T23:30:00+01:00", "2024-07-09T06:00:00+0100")
    p = parse_file("csv", f)
    assert starts(p) == [D(2024, 1, 10, 23, 30), D(2024, 7, 5, 23, 30), D(2024, 7, 9, 6)]
    assert "read as written, in the offsets the file gives" in zone_note(p) and "no session moved day" in zone_note(p)
    # --tz converts them: 23:30+01:00 is 22:30 UTC, 18:30 EDT (UTC-4); 23:30+00:00 is 18:30 EST (UTC-5)
    p = parse_file("csv", f, mapping={"tz": "America/New_York"})
    assert starts(p) == [D(2024, 1, 10, 18, 30), D(2024, 7, 5, 18, 30), D(2024, 7, 9, 1)]


def test_a_session_spanning_midnight_stays_whole(tmp_path: Path) -> None:
    # each set stamped in UTC: 04:40, 04:55, 05:10, 05:25 UTC on 6 March are 23:40, 23:55 (5th), 00:10, 00:25 (6th)
    # in New York (EST, UTC-5): one session, dated the evening it started
    f = tmp_path / "sets.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n" + "".join(
        f"2024-03-06T{t}:00Z,Bench Press,{w},5\n" for t, w in (("04:40", 60), ("04:55", 70), ("05:10", 80), ("05:25", 80))),
        encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "America/New_York"})
    assert starts(p) == [D(2024, 3, 5, 23, 40)]
    assert [(w[3], w[2]) for w in p.sessions[0].sets] == [(60.0, 1), (70.0, 2), (80.0, 3), (80.0, 4)]
    assert "1 sessions moved day (1 to the day before, 0 to the day after)" in zone_note(p)


def test_a_local_session_past_midnight_is_joined_too(tmp_path: Path) -> None:
    f = tmp_path / "sets.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-05 23:40,Squat,100,5\n2024-03-05 23:55,Squat,100,5\n"
                 "2024-03-06 00:10,Squat,100,5\n2024-03-06 18:00,Squat,100,5\n2024-03-06 18:10,Squat,100,5\n",
                 encoding="utf-8")
    p = parse_file("csv", f)
    assert [(s.started_at, len(s.sets)) for s in p.sessions] == [(D(2024, 3, 5, 23, 40), 3), (D(2024, 3, 6, 18), 2)]
    assert p.warnings[-1] == ("the file stamps sets with their own times: 5 times joined into 2 sessions (sets less "
                              "than 90 minutes apart; 1 sessions across midnight, each dated the day it started)")


def test_an_app_reader_and_a_json_log_read_zones_too(tmp_path: Path) -> None:
    # Strong's reader: 2024-03-06 02:00 UTC is 2024-03-05 21:00 EST
    f = tmp_path / "strong.csv"
    f.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes\n"
                 "2024-03-06 02:00:00 UTC,Push,Bench Press (Barbell),1,100,5,0,0,,\n", encoding="utf-8")
    p = parse_file("strong", f, mapping={"tz": "America/New_York", "unit": "kg"})
    assert starts(p) == [D(2024, 3, 5, 21)]
    # Hevy's API workouts saved as JSON: 22:30 UTC on 28 July is 00:30 CEST (UTC+2) on the 29th
    f = tmp_path / "workouts.json"
    f.write_text(json.dumps({"workouts": [{"title": "Legs", "start_time": "2025-07-28T22:30:00Z", "exercises": [
        {"title": "Squat", "sets": [{"weight_kg": 100, "reps": 5}]}]}]}), encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "Europe/Berlin"})
    assert starts(p) == [D(2025, 7, 29, 0, 30)]
    # an API's epoch seconds: 1709692500 = 1709596800 + 86400 + 2:35 = 6 March 02:35 UTC, 21:35 EST on the 5th
    f.write_text(json.dumps({"workouts": [{"title": "Legs", "start_time": 1709692500, "exercises": [
        {"title": "Squat", "sets": [{"weight_kg": 100, "reps": 5}]}]}]}), encoding="utf-8")
    assert starts(parse_file("csv", f, mapping={"tz": "America/New_York"})) == [D(2024, 3, 5, 21, 35)]


def test_a_workbooks_text_stamps_read_zones(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Exercise", "Weight (kg)", "Reps"])
    ws.append(["2024-03-06T03:15:00.000Z", "Squat", 100, 5])  # 19:15 PST on the 5th
    f = tmp_path / "log.xlsx"
    wb.save(f)
    assert starts(parse_file("csv", f, mapping={"tz": "America/Los_Angeles"})) == [D(2024, 3, 5, 19, 15)]


def test_an_unknown_zone_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        parse_file("csv", liftosaur(tmp_path, "2024-03-05T17:15:00Z"), mapping={"tz": "Europe/Berlinn"})
    assert e.value.message == "time zone 'Europe/Berlinn' is not one peri knows (--tz)"
    assert "IANA" in e.value.hint


def test_tz_on_a_file_without_zones_says_so(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-05 19:15,Squat,100,5\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "Asia/Tokyo"})
    assert starts(p) == [D(2024, 3, 5, 19, 15)]
    assert "--tz Asia/Tokyo: the file's times carry no zone, read as written (the lifter's local time)" in p.warnings


def test_the_cli_takes_tz(tmp_path: Path, home) -> None:
    from peri.cli.app import app

    f = liftosaur(tmp_path, "2024-03-06T03:15:00.000Z")
    r = CliRunner().invoke(app, ["import", "auto", str(f), "-a", "Ana", "--create", "--tz", "America/Los_Angeles",
                                 "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert any("read in America/Los_Angeles (--tz); 1 sessions moved day" in w for w in report["warnings"])
    assert report["last_session"] == "2024-03-05"


ZONES = ["America/Los_Angeles", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney",
         "Pacific/Auckland", "America/St_Johns", "UTC"]


@given(instant=st.datetimes(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31)).map(lambda d: d.replace(second=0)),
       zone=st.sampled_from(ZONES))
def test_a_utc_stamp_and_the_same_instant_in_local_offset_read_alike(instant: dt.datetime, zone: str) -> None:
    """The same instant written in UTC (`Z`) or in the lifter's local offset is the same local time: the first
    read with --tz, the second as written."""
    from zoneinfo import ZoneInfo

    from peri.log.importers.base import Table
    from peri.log.importers.zones import localise_zones

    local = instant.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(zone))
    off = local.utcoffset()
    sign, off = ("-", -off) if off < dt.timedelta(0) else ("+", off)
    as_local = f"{local:%Y-%m-%dT%H:%M:%S}{sign}{off.seconds // 3600:02d}:{off.seconds % 3600 // 60:02d}"
    cells = {}
    for cell, tz in ((f"{instant:%Y-%m-%dT%H:%M:%S}Z", zone), (as_local, None)):
        t = Table(path="x", header=["Date", "Exercise"], delimiter=",", rows=iter([(2, [cell, "Squat"])]),
                  total_lines=2, warnings=[])
        localise_zones(t, tz)
        cells[tz] = next(t.rows)[1][0]
    assert cells[zone] == f"{local:%Y-%m-%d %H:%M:%S}" and cells[None] == cells[zone]
