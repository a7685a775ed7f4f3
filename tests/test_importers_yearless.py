"""Dates written without their year ("Mon 3 Mar", "Jan 14., 06:04"), given one only from what the file says
(`peri.log.importers.yearless`): dated neighbours, --year, or weekdays that fit a single recent run of years;
else refused naming the place. Expected dates are worked out by hand with a calendar."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.errors import ConfigError, ImportFormatError
from peri.log.importers import parse_file
from peri.log.importers.base import read_table
from peri.log.importers.yearless import Yearless, add_years, read_yearless

HEAD = "Date,Exercise,Weight (kg),Reps\n"


def days(parsed) -> list[dt.datetime]:
    return [s.started_at for s in parsed.sessions]


def write(tmp_path: Path, dates: list[str]) -> Path:
    f = tmp_path / "log.csv"
    f.write_text(HEAD + "".join(f'"{d}",Squat,{100 + 2.5 * i},5\n' for i, d in enumerate(dates)))
    return f


@pytest.mark.parametrize("text, want", [
    ("Mon 3 Mar", Yearless(3, 3, dt.time(), 0)),
    ("Jan 14., 06:04", Yearless(1, 14, dt.time(6, 4), None)),     # Gymaholic's writing
    ("3 March 18:30", Yearless(3, 3, dt.time(18, 30), None)),
    ("Tue, 4 Mar 7:05 PM", Yearless(3, 4, dt.time(19, 5), 1)),
    ("March 3rd", Yearless(3, 3, dt.time(), None)),
    ("Mar 3", Yearless(3, 3, dt.time(), None)),                   # "mar" is no weekday here
    ("lundi 3 mars", Yearless(3, 3, dt.time(), 0)),
    ("3-Mar", Yearless(3, 3, dt.time(), None)),                   # a spreadsheet's "d-mmm" display
    ("Mar-24", None),                                             # its "mmm-yy": March 2024, no day - not read
    ("30 Feb", None), ("Week 3", None), ("Squat", None), ("3 Mar 2024", Yearless(3, 3, dt.time(), None)),
])
def test_read_yearless(text: str, want: Yearless | None) -> None:
    # "3 Mar 2024" is read with its year by `base.parse_datetime` first: `add_years` never asks here for it
    assert read_yearless(text) == (want if text != "3 Mar 2024" else None) or text == "3 Mar 2024"


def test_dated_neighbours_give_the_year_and_the_turn_of_the_year_counts_on(tmp_path: Path) -> None:
    f = write(tmp_path, ["Mon 30 Dec", "2025-01-02", "Mon 6 Jan", "Wed 31 Dec", "Fri 2 Jan"])
    p = parse_file("csv", f)
    # above the first dated row: counted back (30 Dec before 2 Jan 2025 is 2024); below: on, over a second new year
    assert days(p) == [dt.datetime(2024, 12, 30), dt.datetime(2025, 1, 2), dt.datetime(2025, 1, 6),
                       dt.datetime(2025, 12, 31), dt.datetime(2026, 1, 2)]
    note = next(w for w in p.warnings if "carry no year" in w)
    assert note.startswith("4 dates") and f"{f}:2" in note and "read as 2024" in note and "oldest first" in note


def test_year_option_for_a_newest_first_file_with_times(tmp_path: Path) -> None:
    f = write(tmp_path, ["Jan 14., 06:04", "Jan 2., 18:30", "Dec 30., 07:15", "Dec 20., 07:00"])
    p = parse_file("csv", f, mapping={"year": 2025})
    # --year is the first row's year; the file runs newest first, so Dec after Jan is the year before
    assert sorted(days(p)) == [dt.datetime(2024, 12, 20, 7, 0), dt.datetime(2024, 12, 30, 7, 15),
                               dt.datetime(2025, 1, 2, 18, 30), dt.datetime(2025, 1, 14, 6, 4)]
    assert any("newest first" in w and "--year 2025" in w for w in p.warnings)


def test_weekdays_that_fit_one_recent_run_of_years(tmp_path: Path) -> None:
    # 30 Dec is a Monday in 2019 and 2024; with 2 Jan a Thursday and 6 Jan a Monday the next year, 2024-25 and
    # 2019-20 fit; only 2024-25 ends in the five years before 2026-12-02
    f = write(tmp_path, ["Mon 30 Dec", "Thu 2 Jan", "Mon 6 Jan"])
    table = read_table(f)
    note = add_years(table, today=dt.date(2026, 12, 2))
    assert [row[0] for _, row in table.rows] == ["2024-12-30", "2025-01-02", "2025-01-06"]
    assert note is not None and "weekdays" in note and "2024" in note
    # seen from 6 Jan 2025 both runs end in the five years (and two days) before: which one is not guessed
    with pytest.raises(ImportFormatError, match="2 runs of years") as e:
        add_years(read_table(f), today=dt.date(2025, 1, 6))
    assert e.value.place == f"{f}:2" and "--year" in (e.value.hint or "")
    # seen from 2030, 2024-25 is more than five years back and 2030-31 is to come: none fits
    with pytest.raises(ImportFormatError, match="fit no run"):
        add_years(read_table(f), today=dt.date(2030, 6, 1))


def test_no_year_anywhere_is_refused_naming_the_first_date(tmp_path: Path) -> None:
    f = write(tmp_path, ["Jan 14., 06:04", "Jan 16., 06:10"])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:2" and "'Jan 14., 06:04'" in e.value.message and "--year" in (e.value.hint or "")


def test_a_weekday_that_does_not_fit_the_year_given_is_refused(tmp_path: Path) -> None:
    f = write(tmp_path, ["Mon 30 Dec", "Thu 2 Jan"])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f, mapping={"year": 2023})  # 30 Dec 2023 is a Saturday
    assert e.value.place == f"{f}:2" and "Saturday" in e.value.message


def test_29_february_of_a_year_without_one_is_refused(tmp_path: Path) -> None:
    f = write(tmp_path, ["Feb 27", "Feb 29"])
    with pytest.raises(ImportFormatError, match="no date of that year") as e:
        parse_file("csv", f, mapping={"year": 2025})
    assert e.value.place == f"{f}:3"
    assert [s.started_at.date() for s in parse_file("csv", f, mapping={"year": 2024}).sessions] == [
        dt.date(2024, 2, 27), dt.date(2024, 2, 29)]


@pytest.mark.parametrize("year", ["1969", "abc", str(dt.date.today().year + 2)])
def test_a_year_option_that_is_no_year(tmp_path: Path, year: str) -> None:
    with pytest.raises(ConfigError, match="--year"):
        parse_file("csv", write(tmp_path, ["Jan 14"]), mapping={"year": year})


def test_a_file_whose_dates_carry_years_is_untouched(tmp_path: Path) -> None:
    f = write(tmp_path, ["2024-12-30", "3 Jan 2025", "01/06/2025"])
    table = read_table(f)
    assert add_years(table) is None
    assert [row[0] for _, row in table.rows] == ["2024-12-30", "3 Jan 2025", "01/06/2025"]


def test_hevy_start_and_end_times_without_a_year(tmp_path: Path) -> None:
    f = tmp_path / "hevy.csv"
    f.write_text(
        '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index",'
        '"set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n'
        '"Late","31 Dec, 23:30","1 Jan, 00:40","","Squat (Barbell)",,"",0,"normal",100,5,,,\n'
        '"Early","2 Jan, 07:00","2 Jan, 08:00","","Squat (Barbell)",,"",0,"normal",100,5,,,\n')
    p = parse_file("hevy", f, mapping={"year": 2024})
    assert days(p) == [dt.datetime(2024, 12, 31, 23, 30), dt.datetime(2025, 1, 2, 7, 0)]
    assert p.sessions[0].duration_s == 70 * 60  # the end time crossed into 2025 too


_CELLS = st.sampled_from(["Mon 3 Mar", "Thu 29 Feb", "Feb 29", "31 Apr", "Jan 14., 06:04", "Dec 31., 23:59",
                          "2024-12-30", "3 Jan 2025", "Sun 1 Jan", "mar 3", "lundi 3 mars", "", "Week 1", "13:00",
                          "Tue, 4 Mar 7:05 PM", "Tue, 4 Mar 13:05 PM", "00 Jan", "Mon 3 Foo"])


@settings(max_examples=80, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=10), st.one_of(st.none(), st.integers(1970, 2026)))
def test_any_mix_of_dates_is_read_or_refused_in_one_line(cells: list[str], year: int | None) -> None:
    import tempfile

    from peri.errors import PeriError

    f = Path(tempfile.mkdtemp()) / "log.csv"
    f.write_text(HEAD + "".join(f'"{c}",Squat,100,5\n' for c in cells))
    try:
        parse_file("csv", f, mapping={"year": year} if year else None)
    except PeriError:
        pass
