"""peri.log.importers.people: a file holding several people's training (a coach's export with an Athlete or
Client column, a shared sheet) is refused with each person named and counted, unless the import says whose rows
to read; then only theirs are imported, and the report says how many rows of whom were left out. Counts are
worked by hand from the rows written below."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.errors import ConfigError, ImportFormatError
from peri.log.importers import EXERCISE, REPS, WEIGHT, import_file, parse_file
from peri.log.importers.people import person_column
from peri.log.models import Athlete
from test_web import alert, app, client, csrf_of  # noqa: F401  (fixtures)
from tests.test_log_cli import cli  # noqa: F401  (the log commands' CliRunner fixture)

# Ann: 3 sets over 2 days (squat 100x5 twice, bench 60x5); Bob: 2 sets (squat 140x5, bench 100x5)
COACH = ("Date,Client,Exercise,Weight,Reps\n"
         "2025-01-06,Ann,Back Squat,100,5\n"
         "2025-01-06,Ann,Back Squat,100,5\n"
         "2025-01-06,Bob,Back Squat,140,5\n"
         "2025-01-08,Bob,Bench Press,100,5\n"
         "2025-01-08,Ann,Bench Press,60,5\n")


def write(tmp_path: Path, text: str, name: str = "coach.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def loads(parsed) -> list[tuple[str, float, int]]:
    return [(w[EXERCISE], w[WEIGHT], w[REPS]) for s in parsed.sessions for w in s.sets]


@pytest.fixture
def ana(store):
    store.add_athlete(Athlete(name="ana"))
    return store


def test_a_file_of_two_people_is_refused_naming_each_with_their_rows(ana, tmp_path: Path) -> None:
    before = ana.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "auto", write(tmp_path, COACH), mapping={"unit": "kg"})
    assert "2 people" in e.value.message and "Ann 3 rows" in e.value.message and "Bob 2 rows" in e.value.message
    assert e.value.place.endswith("coach.csv:4")  # where the second person first appears
    assert "--person 'Ann'" in e.value.hint  # the one with most rows as the example
    assert ana.dump() == before


def test_the_named_persons_rows_only_are_read(tmp_path: Path) -> None:
    parsed = parse_file("csv", write(tmp_path, COACH), mapping={"unit": "kg", "person": "ann"})  # any case
    assert sorted(loads(parsed)) == [("Back Squat", 100, 5), ("Back Squat", 100, 5), ("Bench Press", 60, 5)]
    assert len(parsed.sessions) == 2
    note = next(w for w in parsed.warnings if "left out" in w)
    assert "only the rows of 'Ann' were read (3, column 'Client')" in note and "2 rows" in note and "Bob 2 rows" in note
    bob = parse_file("csv", write(tmp_path, COACH), mapping={"unit": "kg", "person": "Bob"})
    assert sorted(loads(bob)) == [("Back Squat", 140, 5), ("Bench Press", 100, 5)]


def test_names_match_ignoring_case_and_accents_and_an_empty_cell_is_the_person_above(tmp_path: Path) -> None:
    # a sheet that names the lifter on a block's first row only; the header in German
    text = ("Datum;Sportler;Übung;Gewicht;Wdh\n"
            "2025-02-03;Zoë;Kniebeuge;80;5\n"
            "2025-02-03;;Kniebeuge;80;5\n"
            "2025-02-03;Jörg;Kniebeuge;120;3\n"
            "2025-02-03;;Kniebeuge;120;3\n"
            "2025-02-03;;Kniebeuge;120;3\n")
    zoe = parse_file("csv", write(tmp_path, text), mapping={"unit": "kg", "person": "ZOE"})
    assert [(w, r) for _, w, r in loads(zoe)] == [(80, 5), (80, 5)]
    assert any("Jörg 3 rows" in w for w in zoe.warnings)
    with pytest.raises(ImportFormatError, match="2 people"):
        parse_file("csv", write(tmp_path, text), mapping={"unit": "kg"})


def test_rows_above_the_first_name_are_nobodys_when_a_person_is_chosen(tmp_path: Path) -> None:
    text = ("Date,Athlete,Exercise,Weight,Reps\n"
            "2025-01-06,,Back Squat,90,5\n"
            "2025-01-06,Ann,Back Squat,100,5\n"
            "2025-01-06,Bob,Back Squat,140,5\n")
    parsed = parse_file("csv", write(tmp_path, text), mapping={"unit": "kg", "person": "Ann"})
    assert loads(parsed) == [("Back Squat", 100, 5)]
    assert any("2 rows of other people were left out (Bob 1 rows; 1 above the first name)" in w for w in parsed.warnings)


def test_a_column_naming_one_person_reads_every_row(tmp_path: Path) -> None:
    text = ("Date,User,Exercise,Weight,Reps\n"
            "2025-01-06,,Back Squat,90,5\n"  # above the only name: theirs
            "2025-01-06,ann@example.org,Back Squat,100,5\n"
            "2025-01-08,,Bench Press,60,5\n")
    parsed = parse_file("csv", write(tmp_path, text), mapping={"unit": "kg"})
    assert len(loads(parsed)) == 3
    assert "column 'User' names one person, 'ann@example.org': all rows read as theirs" in parsed.warnings
    # an empty person column is no person column: no note, every row read
    empty = parse_file("csv", write(tmp_path, text.replace("ann@example.org", "")), mapping={"unit": "kg"})
    assert len(loads(empty)) == 3 and not any("person" in w for w in empty.warnings)


def test_a_person_the_file_does_not_name_or_a_file_with_no_person_column(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"no row of 'Carl' in column 'Client' \(the file names: Ann 3 rows"):
        parse_file("csv", write(tmp_path, COACH), mapping={"unit": "kg", "person": "Carl"})
    plain = "Date,Exercise,Weight,Reps\n2025-01-06,Back Squat,100,5\n"
    with pytest.raises(ConfigError, match="no column naming people"):
        parse_file("csv", write(tmp_path, plain), mapping={"unit": "kg", "person": "Ann"})


def test_an_apps_layout_with_a_person_column_is_filtered_too(tmp_path: Path) -> None:
    """A coach's export in Strong's own layout, with a column added: Strong's reader gets one person's rows."""
    head = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE,Athlete\n"
    rows = "".join(f"2024-03-04 18:00:00,Day,1h,Squat (Barbell),{o},{w},5,0,0,,,,{who}\n"
                   for o, w, who in ((1, 100, "Ann"), (2, 100, "Ann"), (1, 150, "Bob")))
    parsed = parse_file("strong", write(tmp_path, head + rows), mapping={"unit": "kg", "person": "Bob"})
    assert loads(parsed) == [("Squat (Barbell)", 150, 5)]
    with pytest.raises(ImportFormatError, match="2 people"):
        parse_file("strong", write(tmp_path, head + rows), mapping={"unit": "kg"})


@pytest.mark.parametrize("header, index", [
    (["Date", "Client", "Exercise"], 1), (["Datum", "Kunde", "Übung"], 1), (["date", "athlete_name", "lift"], 1),
    (["Fecha", "Atleta", "Ejercicio"], 1), (["Date", "Name", "Reps"], None),  # a bare Name is the exercise in apps
    (["Date", "Exercise Name", "Reps"], None), (["Date", "Workout Name", "Athlete"], 2),
])
def test_which_column_names_people(header: list[str], index: int | None) -> None:
    assert person_column(header) == index


def test_cli_person_option(cli, tmp_path: Path) -> None:
    cli("athlete", "add", "ann")
    refused = cli("import", "auto", str(write(tmp_path, COACH)), "-a", "ann", "--unit", "kg", ok=False)
    assert refused.exit_code != 0 and "2 people" in refused.output and "Traceback" not in refused.output
    done = cli("import", "auto", str(write(tmp_path, COACH)), "-a", "ann", "--unit", "kg", "--person", "Ann")
    assert "added 2 sessions, 3 sets" in " ".join(done.output.split())


def test_the_web_import_form_reads_one_persons_rows(client: TestClient, tmp_path: Path) -> None:
    path = write(tmp_path, COACH)
    token = csrf_of(client.get("/import").text)
    with open(path, "rb") as f:
        refused = client.post("/import/preview", data={"csrf": token, "athlete": "ann", "fmt": "auto", "unit": "kg"},
                              files={"file": ("coach.csv", f, "text/csv")})
    assert "2 people" in refused.text and str(tmp_path) not in refused.text  # the person's file name, not ours
    with open(path, "rb") as f:
        r = client.post("/import/preview", data={"csrf": token, "athlete": "ann", "fmt": "auto", "unit": "kg",
                                                 "person": "Ann"}, files={"file": ("coach.csv", f, "text/csv")})
    assert r.status_code == 200, alert(r.text)
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
    assert form["person"] == "Ann"
    done = client.post("/import/confirm", data=form)
    assert done.status_code == 200 and "3" in done.text, alert(done.text)
    with open(path, "rb") as f:
        hostile = client.post("/import/preview", data={"csrf": token, "athlete": "ann", "fmt": "auto",
                                                       "person": "Ann\x00" + "x" * 300},
                              files={"file": ("coach.csv", f, "text/csv")})
    assert "person" in hostile.text and "control characters" in hostile.text


def test_the_header_repeated_inside_the_file_is_no_person(tmp_path: Path) -> None:
    """Two exports of one client joined into one file: the second header row is not a second person."""
    one = "Date,Client,Exercise,Weight,Reps\n2025-01-06,Ann,Back Squat,100,5\n"
    parsed = parse_file("csv", write(tmp_path, one + one.replace("01-06", "01-08")), mapping={"unit": "kg"})
    assert len(loads(parsed)) == 2 and len(parsed.sessions) == 2
