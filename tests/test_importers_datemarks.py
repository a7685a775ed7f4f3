"""Numeric dates with a language's marks (`peri.log.importers.datemarks`) and the file's month language decided
from its whole date column (`localdates`). Expected dates worked by hand.

Sources of the shapes: CLDR's date formats as public code ships them (Bulgarian medium `d.MM.y 'г'.` and time
`H:mm 'ч'.`; Croatian short `dd. MM. y.`; Czech/Slovak medium `d. M. y`), Polish apps' `dd.MM.yyyy 'r.'`
patterns (date-fns `format(date, "dd.MM.yyyy 'r.'", { locale: pl })` in public Polish apps), and the Russian
`г.`/Ukrainian `р.` year abbreviations (see `numeric_date_marks` in data/import_month_names.yaml)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.errors import ImportFormatError
from peri.log.importers import parse_file
from peri.log.importers.datemarks import bare

HEAD = "Date,Exercise,Weight (kg),Reps\n"


def write(tmp_path: Path, dates: list[str], name: str = "log.csv") -> Path:
    f = tmp_path / name
    f.write_text(HEAD + "".join(f'"{d}",Squat,{100 + 2.5 * (i % 8)},5\n' for i, d in enumerate(dates)), encoding="utf-8")
    return f


def days(parsed) -> list[dt.datetime]:
    return [s.started_at for s in parsed.sessions]


@pytest.mark.parametrize("dates, want", [
    # Bulgarian (CLDR medium date and its time mark "ч.")
    (["12.03.2024 г., 17:15 ч.", "14.03.2024 г., 18:00 ч."], [dt.datetime(2024, 3, 12, 17, 15), dt.datetime(2024, 3, 14, 18)]),
    # Russian with "г." and "в" before the time; a two-digit year
    (["12.03.2024 г. в 17:15", "14.03.24 г."], [dt.datetime(2024, 3, 12, 17, 15), dt.datetime(2024, 3, 14)]),
    # Polish "r." with and without a space, and "godz." before the time
    (["12.03.2024 r.", "14.03.2024r., godz. 07:05"], [dt.datetime(2024, 3, 12), dt.datetime(2024, 3, 14, 7, 5)]),
    # Ukrainian "р." (Cyrillic er), "року" in full
    (["12.03.2024 р.", "14.03.2024 року"], [dt.datetime(2024, 3, 12), dt.datetime(2024, 3, 14)]),
    # Croatian / Serbian: the year's closing dot, spaces after the dots, "god."
    (["12. 03. 2024.", "14.03.2024. god. 18:30"], [dt.datetime(2024, 3, 12), dt.datetime(2024, 3, 14, 18, 30)]),
    # Czech / Slovak spaces after the dots, no closing dot
    (["5. 3. 2024", "7. 3. 2024 17:15"], [dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 7, 17, 15)]),
    # year first with a year word
    (["2024-03-12 г.", "2024.03.14. 9:00"], [dt.datetime(2024, 3, 12), dt.datetime(2024, 3, 14, 9)]),
])
def test_numeric_dates_with_a_languages_marks_read(tmp_path: Path, dates: list[str], want: list[dt.datetime]) -> None:
    p = parse_file("csv", write(tmp_path, dates))
    assert days(p) == want
    assert any("without the marks their language writes" in w for w in p.warnings)


def test_before_the_marks_were_read_these_dates_were_refused() -> None:
    from peri.log.importers.base import parse_datetime

    for text in ("12.03.2024 г.", "12/03/2024 r.", "12. 03. 2024."):
        with pytest.raises(ValueError):
            parse_datetime(text)  # the reader alone; `datemarks` is what reads them


def test_slash_dates_with_a_year_word_keep_the_files_day_month_order(tmp_path: Path) -> None:
    # 13/03 can only be day first: 05/04 is then 5 April, not May 4
    p = parse_file("csv", write(tmp_path, ["13/03/2024 r.", "05/04/2024 r."]))
    assert days(p) == [dt.datetime(2024, 3, 13), dt.datetime(2024, 4, 5)]
    q = parse_file("csv", write(tmp_path, ["03/13/2024 r.", "04/05/2024 r."], "us.csv"))
    assert days(q) == [dt.datetime(2024, 3, 13), dt.datetime(2024, 4, 5)]


@pytest.mark.parametrize("text", [
    "12.03.2024 foo",  # no year word: never guessed
    "12.03.2024 гг",
    "12.03.2024 rr.",
    "12.03.2024 г. 17:15 xyz",
])
def test_a_word_that_is_no_year_word_is_left_for_the_reader_to_refuse(tmp_path: Path, text: str) -> None:
    assert bare(text) is None
    f = write(tmp_path, ["11.03.2024", text])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:3"


def test_a_marked_date_that_is_no_real_date_is_refused_naming_its_line(tmp_path: Path) -> None:
    f = write(tmp_path, ["11.03.2024 г.", "31.02.2024 г."])
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:3"


def test_bare_dates_and_other_cells_are_untouched() -> None:
    for text in ("12.03.2024", "12/03/2024 17:15", "2024-03-12", "Squat", "", "1.2.3 г.", "12.03.2024 г." + " " * 80):
        assert bare(text) is None


def test_only_date_columns_are_rewritten(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps,Notes\n12.03.2024 г.,Squat,100,5,12. 03. 2024.\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert days(p) == [dt.datetime(2024, 3, 12)]
    assert "12. 03. 2024." in p.sessions[0].sets[0]  # the note as written


# ---- the month language read from the whole column, not its first rows ----

@settings(max_examples=4, deadline=None)
@given(lead=st.integers(min_value=201, max_value=260),
       later=st.sampled_from([("lip", 7), ("lis", 11), ("lipca", 7)]))
def test_a_polish_file_whose_first_rows_hold_only_a_month_english_shares(tmp_path_factory, lead: int,
                                                                           later: tuple[str, int]) -> None:
    # "mar" is March in English and Polish alike; the later "lip"/"lis" are July/November in Polish, June/October
    # in Croatian (which a reader alone reads them as). Rows of one session share its date.
    word, month = later
    dates = [f"{1 + i // 20} mar 2024 17:{i // 20:02d}" for i in range(lead)] + [f"9 {word} 2024 18:00"] * 3
    f = write(tmp_path_factory.mktemp("pl"), dates)
    p = parse_file("csv", f)
    last = max(days(p))
    assert (last.month, last.day) == (month, 9)
    assert sorted(d.month for d in days(p))[:-1] == [3] * (len(days(p)) - 1)
    assert any("Polish" in w for w in p.warnings)


def test_a_clashing_month_after_the_first_rows_is_refused_as_in_the_first_rows(tmp_path: Path) -> None:
    # only "lis" and English-shared numerics: the file cannot tell October (hr) from November (pl)
    dates = [f"2024-10-{1 + i % 28:02d} 17:00" for i in range(250)] + ["5 lis 2024, 17:15"]
    f = write(tmp_path, dates)
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:{len(dates) + 1}"


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(st.text(max_size=70),
                      st.from_regex(r"[0-9]{1,4}[./-] ?[0-9]{1,2}[./-] ?[0-9]{1,4}\.? ?(г|r|р|god|roku|x)?\.?,? ?"
                                    r"(в |o |godz\. )?([0-9]{1,2}:[0-9]{2})?( ч\.)?", fullmatch=True)))
def test_any_cell_is_left_alone_or_made_a_bare_date_the_reader_reads_or_refuses(text: str) -> None:
    from peri.log.importers.base import parse_datetime

    out = bare(text)
    if out is None:
        return
    assert out.isascii() and len(out) <= 19  # digits, separators and a time: nothing of the cell's words
    try:
        parse_datetime(out, order="dmy")
    except ValueError:
        pass  # "31.02.2024 г.": refused by the reader, naming the row's line


def test_digits_of_other_scripts_are_not_read_as_a_date() -> None:
    assert bare("١٢.٠٣.٢٠٢٤ г.") is None  # Arabic-Indic digits: left to the readers, which refuse them by line
