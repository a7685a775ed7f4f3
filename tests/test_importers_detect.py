"""`detect_format` / `peri import auto`: a file imported without naming the app that wrote it. An app's export
is read by its own importer (English columns, or its header words in another language); anything else by the
generic reader, and the report says which."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.cli.app import app
from peri.log.importers import detect_format, import_file
from peri.log.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "imports"

GERMAN_STRONG = ("Datum,Trainingsname,Dauer,Übungsname,Satzreihenfolge,Gewicht,Wiederholungen,Distanz,Sekunden,"
                 "Notizen,Trainingsnotizen,RPE\n"
                 "2026-03-02 18:00:00,Beine,1h,Squat (Barbell),1,100,5,0,0,,,\n"
                 "2026-03-02 18:00:00,Beine,1h,Squat (Barbell),2,100,5,0,0,,,\n")
# a layout no app writes, with columns a person would name (the generic reader's class)
OWN_SHEET = ("Date,Exercise,Weight (kg),Reps\n"
             "03/04/2026,Back Squat,100,5\n03/04/2026,Back Squat,100,5\n05/04/2026,Bench Press,70,8\n")


@pytest.mark.parametrize("fixture, expected", [
    ("strong_ios.csv", "strong"), ("strong_android.csv", "strong"), ("hevy.csv", "hevy"),
    ("fitnotes.csv", "fitnotes"), ("generic.csv", "csv"),
])
def test_each_apps_export_goes_to_its_own_importer(fixture: str, expected: str) -> None:
    fmt, why = detect_format(FIXTURES / fixture)
    assert fmt == expected
    assert ("columns" in why or "column names" in why) and why


def test_a_german_strong_header_is_strong_by_its_words(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(GERMAN_STRONG, encoding="utf-8")
    fmt, why = detect_format(path)
    assert fmt == "strong" and "German" in why


def test_a_persons_own_sheet_is_read_by_column_names(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(OWN_SHEET, encoding="utf-8")
    assert detect_format(path)[0] == "csv"


def test_auto_import_stores_what_the_named_importer_stores(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        named = import_file(a, "lee", "hevy", FIXTURES / "hevy.csv", create_athlete=True)
        auto = import_file(b, "lee", "auto", FIXTURES / "hevy.csv", create_athlete=True)
        assert auto.fmt == "hevy" and auto.warnings[0].startswith("read as a Hevy export")
        assert (auto.sessions_new, auto.sets_new) == (named.sessions_new, named.sets_new) and auto.sets_new > 0
        sets_a = [(x.exercise_id, x.weight_kg, x.reps) for s in a.sessions(a.get_athlete("lee").id) for x in s.sets]
        sets_b = [(x.exercise_id, x.weight_kg, x.reps) for s in b.sessions(b.get_athlete("lee").id) for x in s.sets]
        assert sets_a == sets_b


def test_auto_import_passes_the_date_order_to_the_generic_reader(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(OWN_SHEET, encoding="utf-8")
    with Store(tmp_path / "p.db") as s:
        r = import_file(s, "lee", "auto", path, mapping={"date_format": "dmy"}, create_athlete=True)
        assert r.fmt == "csv" and r.sessions_new == 2 and r.sets_new == 3
        days = sorted(x.started_at.date().isoformat() for x in s.sessions(s.get_athlete("lee").id))
    assert days == ["2026-04-03", "2026-04-05"]  # day first: 3 and 5 April, not 4 March and 4 May


def test_peri_import_auto_on_the_command_line(tmp_path: Path, home: Path) -> None:
    from typer.testing import CliRunner

    path = tmp_path / "mine.csv"
    path.write_text(OWN_SHEET, encoding="utf-8")
    r = CliRunner().invoke(app, ["import", "auto", str(path), "--athlete", "lee", "--create", "--date-format", "mdy"])
    assert r.exit_code == 0, r.output
    assert "read by its column names" in r.output
    with Store(home / "peri.db") as s:
        days = sorted(x.started_at.date().isoformat() for x in s.sessions(s.get_athlete("lee").id))
    assert days == ["2026-03-04", "2026-05-04"]


def test_a_file_that_is_not_a_table_is_refused_by_auto_with_its_reason(tmp_path: Path, home: Path) -> None:
    from typer.testing import CliRunner

    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    r = CliRunner().invoke(app, ["import", "auto", str(path), "--athlete", "lee", "--create"])
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "export.xlsx" in r.output
    with Store(home / "peri.db") as s:
        assert s.list_athletes() == []
