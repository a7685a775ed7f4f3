"""Dates in a phone's language (`peri.log.importers.localdates`): month words read in the ONE language that
explains all the file's date cells ("lis" is October in Croatian, November in Polish), East Asian numeric
forms, Russian "г.", and a month the file cannot tell refused naming FILE:LINE. Expected dates by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.errors import ImportFormatError, PeriError
from peri.log.importers import parse_file
from peri.log.importers.localdates import month_in, read_cell

HEAD = "Date,Exercise,Weight (kg),Reps\n"
HEVY_HEAD = ('"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
             '"set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n')


def write(tmp_path: Path, dates: list[str]) -> Path:
    f = tmp_path / "log.csv"
    f.write_text(HEAD + "".join(f'"{d}",Squat,{100 + 2.5 * i},5\n' for i, d in enumerate(dates)), encoding="utf-8")
    return f


def days(parsed) -> list[dt.datetime]:
    return [s.started_at for s in parsed.sessions]


@pytest.mark.parametrize("dates, want", [
    # Polish: "lis" is November because the file's other words (sty, "wt." = Tuesday) are Polish
    (["wt., 16 sty 2024, 17:15", "pt., 8 lis 2024, 18:00"], [dt.datetime(2024, 1, 16, 17, 15), dt.datetime(2024, 11, 8, 18)]),
    # Croatian: the same "lis" is October beside "stu" (studeni, November)
    (["5. lis 2024. 17:15", "12. stu 2024. 17:15"], [dt.datetime(2024, 10, 5, 17, 15), dt.datetime(2024, 11, 12, 17, 15)]),
    # Polish genitive in full, and "lipca" (July) where Croatian "lipnja" would be June
    (["5 marca 2024 17:15", "9 lipca 2024 17:15"], [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 7, 9, 17, 15)]),
    # Russian with the year's "г." and the genitive, short and long
    (["5 марта 2024 г., 17:15", "7 апр. 2024 г. в 10:14"], [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 4, 7, 10, 14)]),
    # Ukrainian "р." and its month words
    (["5 лют. 2024 р., 17:15", "1 листопада 2024 р., 08:00"], [dt.datetime(2024, 2, 5, 17, 15), dt.datetime(2024, 11, 1, 8)]),
    # Czech: "srpna" is August (Croatian "srpanj" is July), "listopadu" November
    (["5. srpna 2024 17:15", "3. listopadu 2024 9:00"], [dt.datetime(2024, 8, 5, 17, 15), dt.datetime(2024, 11, 3, 9)]),
    (["5 Şub 2024 17:15", "9 Ağu 2024 17:15"], [dt.datetime(2024, 2, 5, 17, 15), dt.datetime(2024, 8, 9, 17, 15)]),  # Turkish
    (["5 mrt 2024 17:15", "6 okt. 2024 17:15"], [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 10, 6, 17, 15)]),  # Dutch
    (["5 mars 2024 kl. 17:15", "1 maj 2024 kl. 06:30"], [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 5, 1, 6, 30)]),  # Swedish
    (["5. maaliskuuta 2024 klo 17.15"], [dt.datetime(2024, 3, 5, 17, 15)]),  # Finnish
    (["2024. márc. 5. 17:15"], [dt.datetime(2024, 3, 5, 17, 15)]),  # Hungarian: year first
    # Japanese / Chinese / Korean: numeric, with the afternoon word before the time
    (["2024年3月5日 17:15", "2024年3月7日(木) 午後5:15"], [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 3, 7, 17, 15)]),
    (["2024/3/5 下午5:15", "2024/03/07 午後5:15:00"], [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 3, 7, 17, 15)]),
    (["2024/3/5 5:15 下"], None),  # not a shape this module reads: left to the readers (refused or read there)
    (["2024. 3. 5. 오후 5:15", "2024년 3월 9일 오전 7:05"], [dt.datetime(2024, 3, 5, 17, 15), dt.datetime(2024, 3, 9, 7, 5)]),
])
def test_localised_dates(tmp_path: Path, dates: list[str], want: list[dt.datetime] | None) -> None:
    f = write(tmp_path, dates)
    if want is None:
        try:
            parse_file("csv", f)
        except ImportFormatError as e:
            assert e.place  # refused naming the place, never a crash
        return
    p = parse_file("csv", f)
    assert days(p) == want
    assert any("localised dates read" in w for w in p.warnings)


def test_a_month_only_the_phones_language_tells_is_refused_naming_the_line(tmp_path: Path) -> None:
    f = write(tmp_path, ["2024-10-01 17:00", "5 lis 2024, 17:15"])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:3"
    assert "Oct in hr" in e.value.message and "Nov in" in e.value.message
    assert "numeric dates" in (e.value.hint or "")


def test_english_and_iso_files_are_untouched(tmp_path: Path) -> None:
    p = parse_file("csv", write(tmp_path, ["7 Apr 2024, 10:14", "2024-04-09 10:00"]))
    assert days(p) == [dt.datetime(2024, 4, 7, 10, 14), dt.datetime(2024, 4, 9, 10)]
    assert not any("localised" in w for w in p.warnings)


def test_hevy_export_from_a_polish_phone_with_end_times(tmp_path: Path) -> None:
    f = tmp_path / "workouts.csv"
    f.write_text(HEVY_HEAD
                 + '"Push","8 lis 2024, 17:15","8 lis 2024, 18:25","","Bench Press (Barbell)",,"",0,"normal",60,8,,,\n'
                 + '"Legs","16 sty 2025, 07:00","16 sty 2025, 08:00","","Squat (Barbell)",,"",0,"normal",100,5,,,\n',
                 encoding="utf-8")
    p = parse_file("hevy", f)
    assert days(p) == [dt.datetime(2024, 11, 8, 17, 15), dt.datetime(2025, 1, 16, 7)]
    assert p.sessions[0].duration_s == 70 * 60


def test_a_localised_date_without_its_year_gets_one_from_year_option(tmp_path: Path) -> None:
    p = parse_file("csv", write(tmp_path, ["30 gru 17:15", "2 sty 17:15"]), mapping={"year": 2024})
    assert days(p) == [dt.datetime(2024, 12, 30, 17, 15), dt.datetime(2025, 1, 2, 17, 15)]


def test_an_impossible_localised_date_is_refused_naming_its_line(tmp_path: Path) -> None:
    f = write(tmp_path, ["5 lut 2024 17:15", "31 lut 2024 17:15"])  # 31 February
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert str(e.value.place).endswith(":3")


@pytest.mark.parametrize("lang, word, month", [
    ("pl", "lis", 11), ("hr", "lis", 10), ("cs", "lis", 11), ("pl", "lip", 7), ("hr", "lip", 6),
    ("hr", "srp", 7), ("cs", "srp", 8), ("cs", "čer", None),  # červen / červenec: never guessed
    ("fi", "mar", None), ("fi", "marrask", 11), ("en", "Sept", 9), ("tr", "MAYIS", 5), ("ru", "мая", 5),
])
def test_month_in(lang: str, word: str, month: int | None) -> None:
    assert month_in(lang, word) == month


@pytest.mark.parametrize("text", ["", "Week 1", "2024-03-05", "Squat", "5", "2024年13月5日", "31 lis 2024 25:00",
                                  "0 sty 2024", "2024年3月5日 午後", "x" * 81])
def test_other_text_is_no_localised_date(text: str) -> None:
    assert read_cell(text) is None


def test_a_clashing_month_after_the_first_rows_is_read_in_the_files_language(tmp_path: Path) -> None:
    # 250 sets in May ("maj": Polish, not English), then November's "lis": the first rows decide the file is
    # in a phone's language, and "lis" is read with the whole file's words (Polish "maj" and "pt."), not as Croatian
    may = [f"pt., {d} maj 2024, 17:15" for d in range(1, 32) for _ in range(8)]
    f = tmp_path / "log.csv"
    f.write_text(HEAD + "".join(f'"{d}",Squat,100,5\n' for d in [*may, "pt., 8 lis 2024, 17:15"]), encoding="utf-8")
    p = parse_file("csv", f)
    assert max(days(p)) == dt.datetime(2024, 11, 8, 17, 15) and len(p.sessions) == 32
    assert any("Polish" in w for w in p.warnings)


def test_french_hevy_months_read_as_before(tmp_path: Path) -> None:
    p = parse_file("csv", write(tmp_path, ["7 févr. 2026, 10:14", "3 déc. 2025, 18:00", "1 juil. 2025, 07:30"]))
    assert sorted(days(p)) == [dt.datetime(2025, 7, 1, 7, 30), dt.datetime(2025, 12, 3, 18), dt.datetime(2026, 2, 7, 10, 14)]


_CELLS = st.sampled_from(["5 lis 2024, 17:15", "5 lip 2024", "12. stu 2024.", "5 maj 2024", "2024年3月5日 午後5:15",
                          "2024. 3. 5. 오후 13:15", "31 lut 2024", "5 марта 2024 г.", "30 gru 17:15", "2024-03-05",
                          "7 Apr 2024, 10:14", "", "Week 1", "5 xyz 2024", "5 ma 2024", "0 sty 2024", "5 lis" + "," * 5000,
                          "2024年13月5日", "pt., 8 lis 2024, 25:00"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=8))
def test_any_mix_of_dates_imports_or_is_refused_naming_the_place(cells: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = write(Path(d), cells)
        try:
            p = parse_file("csv", f, mapping={"year": 2024})
        except PeriError as e:
            assert e.place  # one line naming where
        else:
            assert all(1970 <= s.started_at.year <= dt.date.today().year + 1 for s in p.sessions)
