"""Validation at the import boundary: dates, loads, reps and sizes outside the limits are refused row by row
(listed in the report, never stored); stray bytes cost only their own line; bad delimiters and devices are
one-line errors."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peri.errors import PeriError
from peri.log.importers import import_file, parse_file
from peri.log.importers.bounds import MAX_NOTE_CHARS, limits_text
from peri.log.models import Athlete

HEAD = "Workout #,Date,Workout Name,Duration (sec),Exercise Name,Set Order,Weight (kg),Reps,RPE,Distance (meters),Seconds,Notes,Workout Notes\n"


def row(n: int, date: str, weight: str = "100", reps: str = "5", note: str = "") -> str:
    return f"{n},{date},W{n},3600,Squat (Barbell),1,{weight},{reps},,,,{note},\n"


@pytest.fixture
def ana(store):
    store.add_athlete(Athlete(name="ana"))
    return store


def test_dates_outside_the_window_are_refused_not_stored(ana, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text(HEAD + row(1, "2024-01-01 10:00:00") + row(2, "9999-01-01 10:00:00") + row(3, "0001-01-01 10:00:00")
                    + row(4, "2099-06-01 10:00:00") + row(5, "2024-01-03 10:00:00"))
    r = import_file(ana, "ana", "strong", path, map_exercise=str.lower)
    assert r.sessions_new == 2 and r.sets_new == 2
    assert len(r.refused) == 3
    assert {x.split(":")[0] for x in r.refused} == {"line 3", "line 4", "line 5"}
    days = [s.started_at.year for s in ana.sessions(ana.get_athlete("ana").id)]
    assert days == [2024, 2024]


def test_loads_and_reps_outside_human_limits_are_refused(ana, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text(HEAD + row(1, "2024-01-01 10:00:00") + row(2, "2024-01-02 10:00:00", weight="-5000")
                    + row(3, "2024-01-03 10:00:00", reps="10000") + row(4, "2024-01-04 10:00:00", weight="601")
                    + row(5, "2024-01-05 10:00:00", weight="600"))
    r = import_file(ana, "ana", "strong", path, map_exercise=str.lower)
    assert r.sets_new == 2 and len(r.refused) == 3
    assert any("-5000" in x and "0..600 kg" in x for x in r.refused)
    assert any("10000 reps is over 1000" in x for x in r.refused)
    assert "0..600 kg" in limits_text() and "reps 0..1000" in limits_text()


def test_oversized_note_is_cut_with_a_warning(ana, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text(HEAD + row(1, "2024-01-01 10:00:00", note="x" * (MAX_NOTE_CHARS + 500)))
    p = parse_file("strong", path)
    assert len(p.sessions[0].sets[0][12]) == MAX_NOTE_CHARS
    assert any("cut" in w for w in p.warnings)


def test_one_stray_byte_costs_only_its_line(ana, tmp_path: Path):
    names = ["Squat 🏋️", "Développé couché", "Čučanj", "Press militaire", "Ñandú row"] * 4
    lines = [f"{i},2024-01-{i:02d} 10:00:00,Séance {i} ☀️,3600,{n},1,100,5,,,,,\n" for i, n in enumerate(names, 1)]
    clean = (HEAD + "".join(lines)).encode("utf-8")
    encoded = [l.encode("utf-8") for l in lines]
    encoded[6] = encoded[6].replace("Séance".encode(), b"S\xe9ance")  # one latin-1 byte, on line 8
    dirty = HEAD.encode() + b"".join(encoded)
    (tmp_path / "dirty.csv").write_bytes(dirty)
    (tmp_path / "clean.csv").write_bytes(clean)
    r = import_file(ana, "ana", "strong", tmp_path / "dirty.csv", map_exercise=str.lower)
    assert r.sets_new == len(names) - 1
    assert len(r.refused) == 1 and r.refused[0].endswith("the row was not imported") and ":8:" in r.refused[0]
    stored = {w.exercise for s in ana.sessions(ana.get_athlete("ana").id) for w in s.sets}
    assert stored == set(names)  # every accent and emoji intact
    again = import_file(ana, "ana", "strong", tmp_path / "clean.csv", map_exercise=str.lower)
    assert again.sessions_new == 1 and again.sets_new == 1  # only the refused row's session; no duplicates


def test_bad_delimiter_and_devices_are_one_line_errors(ana, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text(HEAD + row(1, "2024-01-01 10:00:00"))
    with pytest.raises(PeriError, match="not one character"):
        import_file(ana, "ana", "csv", path, mapping={"columns": {"date": "Date", "exercise": "Exercise Name"},
                                                      "delimiter": "ab"})
    with pytest.raises(PeriError, match="not a regular file"):
        import_file(ana, "ana", "strong", Path("/dev/zero"))
    with pytest.raises(PeriError, match="this is a folder, not a file"):  # and not a Numbers package (numbersdoc)
        import_file(ana, "ana", "strong", tmp_path)


def test_stray_byte_in_a_real_export_keeps_every_other_name_intact(store, shared_data: Path, tmp_path: Path):
    store.add_athlete(Athlete(name="ana"))
    store.add_athlete(Athlete(name="bo"))
    clean = (shared_data / "exports" / "hevy.csv").read_bytes()
    lines = clean.split(b"\n")
    target = len(lines) // 2
    while lines[target - 1].count(b'"') % 2 or not lines[target - 1].startswith(b'"'):
        target += 1  # a whole record, not a line inside a multi-line note
    lines[target - 1] = b'"\xff' + lines[target - 1][1:]
    (tmp_path / "dirty.csv").write_bytes(b"\n".join(lines))
    r = import_file(store, "ana", "hevy", tmp_path / "dirty.csv", map_exercise=str.lower)
    assert r.sets_new == 8650 - 1 and len(r.refused) == 1 and f":{target}:" in r.refused[0]
    import_file(store, "bo", "hevy", shared_data / "exports" / "hevy.csv", map_exercise=str.lower)

    def texts(name):
        a = store.get_athlete(name)
        return {s.name for s in store.sessions(a.id)} | {w.exercise for s in store.sessions(a.id) for w in s.sets}

    non_ascii = {t for t in texts("bo") if not t.isascii()}
    assert non_ascii and non_ascii <= texts("ana")  # accents and emoji intact, nothing read as latin-1
    again = import_file(store, "ana", "hevy", shared_data / "exports" / "hevy.csv", map_exercise=str.lower)
    assert (again.sessions_new, again.sets_new) == (0, 1)  # the refused row, and no duplicate session


def test_a_name_over_the_cap_refuses_its_sets_only(ana, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text(HEAD + row(1, "2024-01-01 10:00:00")
                    + f"2,2024-01-02 10:00:00,W2,3600,{'Squat ' * 50},1,100,5,,,,,\n")
    r = import_file(ana, "ana", "strong", path, map_exercise=str.lower)
    assert r.sets_new == 1 and len(r.refused) == 1 and "longer than 200 characters" in r.refused[0]


def test_many_refused_rows_are_counted_and_listed_up_to_a_cap(ana, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text(HEAD + row(1, "2024-01-01 10:00:00")
                    + "".join(f"2,2024-01-02 10:00:00,W2,3600,Squat,{n},100,5000,,,,,\n" for n in range(1, 1203)))
    r = import_file(ana, "ana", "strong", path, map_exercise=str.lower)
    assert r.sets_new == 1 and r.refused_count == 1202
    assert len(r.refused) == 1001 and r.refused[-1] == "... and 202 more rows refused"
