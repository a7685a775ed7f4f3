"""peri.log.importers.people word for word (issue 20: each test kills mutants that tests/test_importers_people.py
let live): the messages, places and hints a person reads, the list of people cut at six, the second person found
by where they first appear (not by name), and a row too short to reach the person column."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.errors import ConfigError, ImportFormatError
from peri.log.importers.base import read_table
from peri.log.importers.people import keep_person


def table(tmp_path: Path, text: str):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path)


def test_a_person_named_for_a_file_with_no_person_column(tmp_path: Path) -> None:
    t = table(tmp_path, "Date,Exercise,Weight,Reps\n2025-01-06,Squat,100,5\n")
    with pytest.raises(ConfigError) as e:
        keep_person(t, "Ann")
    assert (e.value.message, e.value.place, e.value.hint) == (
        "--person 'Ann': the file has no column naming people (columns: Date, Exercise, Weight, Reps)", t.path,
        "leave --person out: the whole file is read as one person's log")


def test_the_columns_listed_are_the_first_twelve(tmp_path: Path) -> None:
    header = [f"c{i}" for i in range(14)]
    t = table(tmp_path, ",".join(header) + "\n" + ",".join("1" * 14) + "\n")
    with pytest.raises(ConfigError) as e:
        keep_person(t, "Ann")
    assert e.value.message.endswith("(columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11)")


def test_several_people_word_for_word_and_the_second_found_by_where_they_first_appear(tmp_path: Path) -> None:
    # Zed first (line 2), then Amy (line 3), then Bob (line 4): Amy is the second person, though Bob sorts before Zed
    t = table(tmp_path, "Date,Athlete,Exercise,Weight,Reps\n2025-01-06,Zed,Squat,100,5\n2025-01-06,Amy,Squat,60,5\n"
                        "2025-01-06,Bob,Squat,80,5\n2025-01-07,Bob,Squat,80,5\n")
    with pytest.raises(ImportFormatError) as e:
        keep_person(t, None)
    assert e.value.message == ("the file holds the training of 3 people (column 'Athlete': Bob 2 rows, Zed 1 rows, "
                               "Amy 1 rows); peri keeps one person's log per athlete, and reading them together would "
                               "mix their lifts")
    assert e.value.place == f"{t.path}:3"
    assert e.value.hint == ("import each person into their own athlete, naming whose rows to read (--person 'Bob', "
                            "or the import form's person field); nothing was imported")


@pytest.mark.parametrize("people, tail", [(6, "P6 1 rows"), (7, "P6 1 rows, and 1 more people"),
                                          (9, "P6 1 rows, and 3 more people")])
def test_six_people_are_named_and_the_rest_counted(tmp_path: Path, people: int, tail: str) -> None:
    rows = "".join(f"2025-01-06,P{i},Squat,100,5\n" for i in range(1, people + 1))
    t = table(tmp_path, "Date,Client,Exercise,Weight,Reps\n" + rows)
    with pytest.raises(ImportFormatError) as e:
        keep_person(t, None)
    listed = e.value.message.split("(column 'Client': ")[1].split("); peri")[0]
    assert listed == ", ".join(f"P{i} 1 rows" for i in range(1, 6)) + ", " + tail


def test_a_person_the_file_does_not_name_word_for_word(tmp_path: Path) -> None:
    t = table(tmp_path, "Date,Client,Exercise,Weight,Reps\n2025-01-06,Ann,Squat,100,5\n2025-01-06,Bob,Squat,90,5\n")
    with pytest.raises(ImportFormatError) as e:
        keep_person(t, "Carl")
    assert (e.value.message, e.value.place, e.value.hint) == (
        "no row of 'Carl' in column 'Client' (the file names: Ann 1 rows, Bob 1 rows)", t.path,
        "--person takes a name as the column writes it; nothing was imported")


def test_the_notes_word_for_word(tmp_path: Path) -> None:
    text = "Date,Client,Exercise,Weight,Reps\n2025-01-06,Ann,Squat,100,5\n2025-01-06,Bob,Squat,90,5\n"
    chosen = keep_person(table(tmp_path, text), "ann")
    assert chosen.note() == ("only the rows of 'Ann' were read (1, column 'Client'); 1 rows of other people were "
                             "left out (Bob 1 rows)")
    one = keep_person(table(tmp_path, "Date,Client,Exercise,Weight,Reps\n2025-01-06,Ann,Squat,100,5\n"), None)
    assert (one.kept, one.rows_kept, dict(one.others), one.unnamed) == ("Ann", 1, {}, 0)
    assert one.note() == "column 'Client' names one person, 'Ann': all rows read as theirs"


def test_a_row_too_short_to_reach_the_person_column_is_the_person_above(tmp_path: Path) -> None:
    t = table(tmp_path, "Date,Exercise,Weight,Reps,Client\n2025-01-06,Squat,100,5,Ann\n2025-01-07,Squat,100,5\n"
                        "2025-01-08,Squat,90,5,Bob\n")
    chosen = keep_person(t, "Ann")
    assert [line for line, _ in t.rows] == [2, 3] and chosen.rows_kept == 2 and dict(chosen.others) == {"Bob": 1}
