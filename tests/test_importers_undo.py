"""Import batches: every import is recorded, `undo` removes exactly what it wrote (all or nothing), a single
day's session can be deleted whatever its year, and stored loads can be re-read in the other unit."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from peri.errors import NotFound, PeriError
from peri.log.importers import import_file
from peri.log.models import LB_TO_KG, Athlete, Session, WorkoutSet
from tests.test_log_cli import cli  # noqa: F401  (the log commands' CliRunner fixture)

FIX = Path(__file__).parent / "fixtures" / "imports"


def ids(name: str) -> str:
    return name.lower()


@pytest.fixture
def ana(store):
    store.add_athlete(Athlete(name="ana"))
    return store


def test_undo_removes_exactly_one_import(ana):
    aid = ana.get_athlete("ana").id
    first = import_file(ana, "ana", "hevy", FIX / "hevy.csv", map_exercise=ids)
    after_first = ana.dump()
    second = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids)
    assert first.import_id and second.import_id and first.import_id != second.import_id
    again = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids)
    assert again.import_id is None  # nothing new: no batch
    assert [r["id"] for r in ana.imports(aid)] == [first.import_id, second.import_id]
    counts = ana.undo_import(second.import_id)
    assert counts["sets"] == second.sets_new and counts["sessions"] == second.sessions_new
    # the store is what it was after the first import, but for the batch marked undone
    without_batches = [ln for ln in ana.dump().splitlines() if not ln.startswith("imports")]
    assert without_batches == [ln for ln in after_first.splitlines() if not ln.startswith("imports")]
    with pytest.raises(PeriError, match="already undone"):
        ana.undo_import(second.import_id)
    with pytest.raises(NotFound):
        ana.undo_import(999)
    redo = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids)
    assert (redo.sessions_new, redo.sets_new) == (second.sessions_new, second.sets_new)


def test_two_undos_of_one_import_at_once_remove_it_once(ana):
    """Two browser tabs (or a tab and `peri import undo`) confirm the same undo at the same instant: both read
    the batch as not undone before either takes the write lock. The second must be refused and change nothing,
    not report "0 sets removed" and stamp the batch again."""
    from peri.log.store import Store, store_target

    batch = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids)
    other = Store(store_target())  # a second connection to the same database, as a second request has
    try:
        enter = other.transaction

        def the_first_undo_lands_between_check_and_lock():
            # `other` has read the batch as not undone; the first undo commits before `other` takes the lock
            first = ana.undo_import(batch.import_id)
            assert (first["sets"], first["sessions"]) == (batch.sets_new, batch.sessions_new)
            seen.update(dump=ana.dump(), stamps=[r["undone_at"] for r in ana.imports(ana.get_athlete("ana").id)])
            return enter()

        seen: dict = {}
        other.transaction = the_first_undo_lands_between_check_and_lock
        with pytest.raises(PeriError, match="already undone"):
            other.undo_import(batch.import_id)
    finally:
        other.close()
    assert seen["stamps"][0]  # the first undo happened, between the second's check and its lock
    assert ana.dump() == seen["dump"]  # the refused undo rolled back: the first undo's stamp is kept as it was


def test_undo_also_removes_sets_added_to_existing_sessions(ana, tmp_path: Path):
    head = "Workout #,Date,Workout Name,Duration (sec),Exercise Name,Set Order,Weight (kg),Reps,RPE,Distance (meters),Seconds,Notes,Workout Notes\n"
    one = "1,2025-03-01 07:30:00,Push,3900,Bench Press (Barbell),1,80,8,,,,,\n"
    two = "1,2025-03-01 07:30:00,Push,3900,Bench Press (Barbell),2,80,7,,,,a note,\n"
    (tmp_path / "a.csv").write_text(head + one)
    (tmp_path / "b.csv").write_text(head + one + two)
    a = import_file(ana, "ana", "strong", tmp_path / "a.csv", map_exercise=ids)
    b = import_file(ana, "ana", "strong", tmp_path / "b.csv", map_exercise=ids)
    assert (b.sessions_new, b.sets_new, b.annotations_new) == (0, 1, 1)
    assert ana.undo_import(b.import_id) == {"annotations": 1, "sets": 1, "sessions": 0}
    assert ana.count_sets(ana.get_athlete("ana").id) == 1 and a.import_id


def test_a_year_9999_session_already_stored_can_be_deleted(ana):
    aid = ana.get_athlete("ana").id
    ana.add_sessions(aid, [Session(started_at=dt.datetime(9999, 1, 1, 10), name="bad", source="strong",
                                   sets=[WorkoutSet(exercise="Squat", weight=100, unit="kg", weight_kg=100, reps=5)]),
                           Session(started_at=dt.datetime(2024, 1, 1, 10), name="ok", source="strong",
                                   sets=[WorkoutSet(exercise="Squat", weight=100, unit="kg", weight_kg=100, reps=5)])])
    assert ana.delete_sessions(aid, "9999-01-01") == {"sets": 1, "annotations": 0, "sessions": 1}
    assert [s.name for s in ana.sessions(aid)] == ["ok"]
    with pytest.raises(NotFound):
        ana.delete_sessions(aid, "9999-01-01")


def test_cli_list_undo_delete_and_reunit(cli, tmp_path: Path):
    cli("athlete", "add", "ana")
    # pounds imported as kg by mistake (the old silent default): 315 x 10 "kg" bench
    path = tmp_path / "x.csv"
    path.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes\n"
                    + "".join(f"2024-01-{d:02d} 18:00:00,Push,Bench Press (Barbell),1,315,10,0,0,,\n"
                              for d in range(1, 4)))
    r = json.loads(cli("import", "strong", str(path), "-a", "ana", "--unit", "kg", "--json").stdout)
    assert r["unit_flags"] and "peri import reunit --athlete ana --from kg --to lb" in r["unit_flags"][0]
    check = cli("import", "check-units", "-a", "ana")
    assert "Bench Press (Barbell)" in check.output
    fixed = json.loads(cli("import", "reunit", "-a", "ana", "--from", "kg", "--to", "lb", "--json").stdout)
    assert fixed["sets_changed"] == 3
    assert "no lift looks off" in cli("import", "check-units", "-a", "ana").output
    from peri.log.store import Store, store_target

    with Store(store_target()) as store:  # the database the CLI used (PERI_TEST_STORE=postgres: PostgreSQL)
        w = store.sessions(store.get_athlete("ana").id)[0].sets[0]
    assert (w.weight, w.unit) == (315, "lb") and w.weight_kg == pytest.approx(315 * LB_TO_KG, abs=1e-3)  # 142.88 kg
    listed = json.loads(cli("import", "list", "-a", "ana", "--json").stdout)
    assert [x["sets_now"] for x in listed] == [3]
    undone = json.loads(cli("import", "undo", str(r["import_id"]), "--json").stdout)
    assert undone == {"annotations": 0, "sets": 3, "sessions": 3}
    bad = cli("import", "undo", str(r["import_id"]), ok=False)
    assert bad.exit_code == 1 and "already undone" in bad.output and "Traceback" not in bad.output
    assert cli("import", "delete-session", "-a", "ana", "--date", "2024-13", ok=False).exit_code == 1


def test_cli_report_states_dialect_unit_and_refusals(cli, tmp_path: Path):
    cli("athlete", "add", "ana")
    out = cli("import", "strong", str(FIX / "strong_ios.csv"), "-a", "ana").output
    assert "recognised as strong-ios (English)" in out
    assert "weight unit: lb (inferred)" in out and "float artefacts" in out
    assert "import id 1" in out
    bad = tmp_path / "b.csv"
    bad.write_text("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
                   '9999-01-01 10:00:00,"A",1h,"Squat (Barbell)",1,100,5,0,0,"","",\n'
                   '2024-01-01 10:00:00,"A",1h,"Squat (Barbell)",1,100,5,0,0,"","",\n')
    out = cli("import", "strong", str(bad), "-a", "ana", "--unit", "kg").output
    assert "refused 1 rows (not stored)" in out and "9999-01-01" in out


def test_cli_bad_delimiter_device_and_binary_are_one_line(cli, tmp_path: Path):
    cli("athlete", "add", "ana")
    r = cli("import", "csv", str(FIX / "generic.csv"), "-a", "ana", "--map", "When=date", "--map", "Lift=exercise",
            "--delimiter", "ab", ok=False)
    assert r.exit_code == 1 and "not one character" in r.output and "Traceback" not in r.output
    r = cli("import", "strong", "/dev/zero", "-a", "ana", ok=False)
    assert r.exit_code == 1 and "not a regular file" in r.output
    blob = tmp_path / "blob.csv"
    blob.write_bytes(b"Date,Weight\n" + bytes(range(256)) * 40_000)  # 10 MB of binary after a header
    r = cli("import", "strong", str(blob), "-a", "ana", ok=False)
    assert r.exit_code == 1 and "NUL bytes" in r.output and "Traceback" not in r.output


def test_cli_reunit_refuses_days_holding_both_units(cli, tmp_path: Path):
    # the web's check, on the CLI too: re-reading 315 "kg" as lb beside a set already in lb could not be undone
    # exactly (the lb set would come back as kg), so nothing changes until --since leaves the right days out
    cli("athlete", "add", "ana")
    head = "Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes\n"
    (tmp_path / "kg.csv").write_text(head + "2024-01-08 18:00:00,Push,Bench Press (Barbell),1,315,10,0,0,,\n")
    (tmp_path / "lb.csv").write_text(head + "2024-01-01 18:00:00,Push,Bench Press (Barbell),1,225,5,0,0,,\n")
    cli("import", "strong", str(tmp_path / "lb.csv"), "-a", "ana", "--unit", "lb")
    cli("import", "strong", str(tmp_path / "kg.csv"), "-a", "ana", "--unit", "kg")
    bad = cli("import", "reunit", "-a", "ana", "--from", "kg", "--to", "lb", ok=False)
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert "in both units (1 sets in kg, 1 in lb)" in " ".join(bad.output.split())
    fixed = json.loads(cli("import", "reunit", "-a", "ana", "--from", "kg", "--to", "lb", "--since", "2024-01-08",
                           "--json").stdout)
    assert fixed["sets_changed"] == 1
