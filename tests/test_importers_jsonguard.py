"""Hostile JSON logs (`peri.log.importers.jsonguard`): over the size a JSON log is read up to, cut short,
malformed, JSON Lines with a broken line, the wrong encoding - each refused naming the file (and the line where
it breaks), never a traceback, and an import that fails stores nothing. JSON Lines logs read as the list of
their lines. Expected sets worked out by hand."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from peri.errors import ImportFormatError, PeriError
from peri.log.importers import import_file, parse_file
from peri.log.importers import jsonguard
from peri.log.models import Athlete
from peri.log.store import Store

WORKOUT = {"date": "2025-03-01", "title": "Legs", "exercises": [
    {"name": "Squat", "sets": [{"weight_kg": 100, "reps": 5}, {"weight_kg": 105, "reps": 3}]}]}


@pytest.fixture
def ana_store(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def test_a_json_log_over_the_limit_is_refused_naming_the_file_and_its_size(tmp_path: Path) -> None:
    # the real limit, not a patched one: the refusal comes before any parsing (whitespace is valid JSON padding)
    f = tmp_path / "huge.json"
    body = json.dumps({"workouts": [WORKOUT]})
    f.write_text(body[:-1] + " " * (jsonguard.MAX_JSON_CHARS + 1 - len(body)) + "}", encoding="utf-8")
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == str(f)
    assert "32 Mi characters" in e.value.message and "over the 32 Mi" in e.value.message
    assert "CSV" in (e.value.hint or "") and "nothing was imported" in (e.value.hint or "")


def test_a_json_log_at_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = json.dumps({"workouts": [WORKOUT]})
    monkeypatch.setattr(jsonguard, "MAX_JSON_CHARS", len(text))  # exactly at the limit: read
    f = tmp_path / "log.json"
    f.write_text(text, encoding="utf-8")
    assert [s[3] for s in parse_file("csv", f).sessions[0].sets] == [100.0, 105.0]
    monkeypatch.setattr(jsonguard, "MAX_JSON_CHARS", len(text) - 1)  # one character over: refused
    with pytest.raises(ImportFormatError, match="over the"):
        parse_file("csv", f)


@pytest.mark.parametrize("text, line, words", [
    ('{"workouts": [\n  {"date": "2025-03-01",\n', 3, "cut short"),  # a download cut off
    ('{"workouts": [\n  {"date": "2025-03-01", "exercises": [\n', 3, "cut short"),
    ('{"workouts": [\n  {"date": "2025-03-01" "title": "x"}\n]}', 2, "Expecting ',' delimiter"),  # a comma missing
    ('[\n{"a": 1},\n]\n', 3, "at column 1"),  # a trailing comma
    ('{"workouts": [1, 2]} {', 1, "Extra data"),  # something after the value
])
def test_json_that_does_not_parse_is_refused_naming_the_line_where_it_breaks(tmp_path: Path, text: str, line: int,
                                                                            words: str) -> None:
    f = tmp_path / "bad.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:{line}"
    assert words in e.value.message and "does not parse" in e.value.message


def test_a_json_lines_log_reads_as_the_list_of_its_lines(tmp_path: Path) -> None:
    # one set a line, as a script saving an API's records writes them (a blank line in between is skipped)
    f = tmp_path / "sets.jsonl"
    f.write_text('{"date": "2025-03-01", "exercise": "Squat", "weight_kg": 100, "reps": 5}\n\n'
                 '{"date": "2025-03-01", "exercise": "Squat", "weight_kg": 105, "reps": 3}\n'
                 '{"date": "2025-03-04", "exercise": "Bench Press", "weight_kg": 80, "reps": 8}\n', encoding="utf-8")
    p = parse_file("csv", f)
    assert [s.started_at.date() for s in p.sessions] == [dt.date(2025, 3, 1), dt.date(2025, 3, 4)]
    assert [(s[0], s[3], s[6]) for s in p.sessions[0].sets] == [("Squat", 100.0, 5), ("Squat", 105.0, 3)]


def test_a_json_lines_log_of_workouts(tmp_path: Path) -> None:
    second = dict(WORKOUT, date="2025-03-04")
    f = tmp_path / "workouts.jsonl"
    f.write_text(json.dumps(WORKOUT) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert len(p.sessions) == 2 and sum(len(s.sets) for s in p.sessions) == 4


def test_a_json_lines_log_with_a_broken_line_is_refused_naming_it(tmp_path: Path) -> None:
    f = tmp_path / "sets.jsonl"
    f.write_text('{"date": "2025-03-01", "exercise": "Squat", "weight_kg": 100, "reps": 5}\n'
                 '{"date": "2025-03-02", "exercise": "Squat", "weight_kg": 100, "reps": 5}\n'
                 '{"date": "2025-03-04", "exercise": "Bench", "weight": 80,\n', encoding="utf-8")
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f)
    assert e.value.place == f"{f}:3" and "JSON Lines" in e.value.message


def test_json_in_a_wrong_encoding_is_refused_or_read_never_a_crash(tmp_path: Path) -> None:
    f = tmp_path / "log.json"
    # UTF-16 without its byte-order mark, then Latin-1 bytes where UTF-8 is expected
    f.write_bytes(json.dumps({"workouts": [WORKOUT]}).encode("utf-16-le"))
    assert sum(len(s.sets) for s in parse_file("csv", f).sessions) == 2
    g = tmp_path / "latin.json"
    g.write_bytes(json.dumps({"workouts": [dict(WORKOUT, title="Séance")]}, ensure_ascii=False).encode("latin-1"))
    p = parse_file("csv", g)
    assert p.sessions[0].name == "Séance"  # read as Windows-1252, with the warning the CSV path gives
    assert any("not valid UTF-8" in w for w in p.warnings)


@pytest.mark.parametrize("text", [
    '{"workouts": [\n  {"date": "2025-03-01", "exercises": [{"name": "Squat", "sets": [{"weight_kg": 100, "reps": 5}',
    "[" * 100_000,  # deep nesting, cut short
    '{"workouts": [' + ",".join(json.dumps(WORKOUT) for _ in range(3)) + "]} trailing words",
])
def test_a_failed_json_import_stores_nothing(ana_store: Store, tmp_path: Path, text: str) -> None:
    f = tmp_path / "bad.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(PeriError) as e:
        import_file(ana_store, "ana", "auto", f, map_exercise=lambda n: None)
    assert e.value.place and str(f) in e.value.place
    athlete = ana_store.get_athlete("ana")
    assert ana_store.count_sets(athlete.id) == 0 and ana_store.imports(athlete.id) == []


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WHOLE = json.dumps({"workouts": [WORKOUT, dict(WORKOUT, date="2025-03-04")]}, indent=2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=len(_WHOLE) - 1), lines=st.booleans())
def test_a_json_log_cut_anywhere_is_refused_naming_where_never_read_in_part(tmp_path: Path, cut: int,
                                                                             lines: bool) -> None:
    from peri.errors import PeriError

    text = _WHOLE[:cut]
    if lines:  # the same cut in a JSON Lines log after two whole lines
        text = json.dumps(WORKOUT) + "\n" + json.dumps(WORKOUT) + "\n" + text
    f = tmp_path / "cut.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(PeriError) as e:
        parse_file("csv", f)
    assert e.value.place.startswith(str(f))
    line = e.value.place[len(str(f)) + 1:]
    assert line == "" or 1 <= int(line) <= text.count("\n") + 1
