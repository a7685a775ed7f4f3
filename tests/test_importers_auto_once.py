"""`peri import auto` decodes a file once: the table `detect_format` read is the one the import reads
(`parse_file(table=...)`), and what is stored is exactly what the named importer stores."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.log.importers import base, detect_format, import_file
from peri.log.importers.base import read_table
from peri.log.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
GERMAN_STRONG = ("Datum,Trainingsname,Dauer,Übungsname,Satzreihenfolge,Gewicht,Wiederholungen,Distanz,Sekunden,"
                 "Notizen,Trainingsnotizen,RPE\n"
                 "2026-03-02 18:00:00,Beine,1h,Squat (Barbell),1,100,5,0,0,,,\n"
                 "2026-03-02 18:00:00,Beine,1h,Squat (Barbell),2,102.5,5,0,0,,,\n")


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each call of the decoder (bytes -> text), by path."""
    calls: list[str] = []
    real = base.decode_bytes

    def counted(data: bytes, path: str):
        calls.append(path)
        return real(data, path)

    monkeypatch.setattr(base, "decode_bytes", counted)
    return calls


def _stored(store: Store) -> list[tuple]:
    athlete = store.get_athlete("lee")
    return [(s.started_at, x.exercise, x.exercise_id, x.order, x.weight_kg, x.unit, x.reps, x.set_type)
            for s in store.sessions(athlete.id) for x in s.sets]


OWN_SHEET = "Date,Exercise,Weight (kg),Reps\n2026-04-03,Back Squat,100,5\n2026-04-03,Back Squat,100,5\n2026-04-05,Bench,70,8\n"


def _german(tmp_path: Path, text: str = GERMAN_STRONG) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fixture, named", [
    ("strong_ios.csv", "strong"), ("hevy.csv", "hevy"), ("fitnotes.csv", "fitnotes"), ("own", "csv"),
    ("german", "strong"),
])
def test_auto_decodes_once_and_stores_what_the_named_importer_stores(
        tmp_path: Path, decodes: list[str], fixture: str, named: str) -> None:
    path = (_german(tmp_path) if fixture == "german" else _german(tmp_path, OWN_SHEET) if fixture == "own"
            else FIXTURES / fixture)
    options = {"unit": "kg"}
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        want = import_file(a, "lee", named, path, mapping=options, create_athlete=True)
        decodes.clear()
        got = import_file(b, "lee", "auto", path, mapping=options, create_athlete=True)
        assert decodes == [str(path)]  # one decode for the detection and the import together
        assert got.fmt == named and got.sets_new == want.sets_new > 0
        assert got.warnings[1:] == want.warnings and got.dialect == want.dialect and got.language == want.language
        assert _stored(b) == _stored(a)


def test_detection_leaves_the_table_as_it_read_it(tmp_path: Path) -> None:
    # a German header: trying each app's dialect rewrites the header to that app's names; the table the
    # import goes on to read must still hold the file's own header and every row
    path = _german(tmp_path)
    table = read_table(path)
    header = list(table.header)
    assert detect_format(path, table=table)[0] == "strong"
    assert table.header == header
    assert [line for line, _ in table.rows] == [2, 3]


def test_auto_with_a_delimiter_option_detects_with_it(tmp_path: Path, decodes: list[str]) -> None:
    path = tmp_path / "log.csv"
    path.write_text("Date|Exercise|Weight (kg)|Reps\n2026-03-02|Squat|100|5\n2026-03-04|Squat|102.5|5\n")
    with Store(tmp_path / "p.db") as s:
        r = import_file(s, "lee", "auto", path, mapping={"delimiter": "|"}, create_athlete=True)
        assert r.fmt == "csv" and r.sets_new == 2 and len(decodes) == 1
