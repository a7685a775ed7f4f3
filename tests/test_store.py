"""The store under faults: a busy database waits then says so, a full disk and a read-only file are named,
and nothing half-written is left behind."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.errors import StorageError
from peri.log.models import Athlete, Session, WorkoutSet
from peri.log.store import Store, busy_timeout_s


def _sessions(n: int, note: str = "") -> list[Session]:
    start = dt.datetime(2025, 1, 6, 18)
    return [
        Session(started_at=start + dt.timedelta(days=i), name=f"Day {i}", notes=note or None, source="csv",
                sets=[WorkoutSet(exercise="Barbell Squat", order=k + 1, weight=100, unit="kg", weight_kg=100, reps=5)
                      for k in range(5)])
        for i in range(n)
    ]


def _locker(path: Path) -> sqlite3.Connection:
    """A second connection holding the write lock, as another peri importing would."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO aliases VALUES ('held', 'x')")
    return other


def test_busy_database_waits_then_names_it(tmp_path):
    path = tmp_path / "peri.db"
    Store(path).close()
    other = _locker(path)
    try:
        store = Store(path, timeout_s=0.2)
        with pytest.raises(StorageError) as err:
            store.add_athlete(Athlete(name="ana"))
        assert "busy" in str(err.value) and "PERI_DB_TIMEOUT" in str(err.value)
        assert store.list_athletes() == []  # reads still work while another peri writes
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.add_athlete(Athlete(name="ana"))  # and the same handle writes once the lock is gone
    assert [a.name for a in store.list_athletes()] == ["ana"]


def test_busy_database_is_waited_for(tmp_path):
    import threading

    path = tmp_path / "peri.db"
    Store(path).close()
    other = _locker(path)
    threading.Timer(0.3, lambda: (other.execute("COMMIT"), other.close())).start()
    store = Store(path, timeout_s=10)
    store.add_athlete(Athlete(name="ana"))  # blocks until the other writer commits, then succeeds
    assert store.get_athlete("ana").name == "ana"


def test_busy_timeout_setting():
    assert busy_timeout_s({}) == 60.0
    assert busy_timeout_s({"PERI_DB_TIMEOUT": "5"}) == 5.0
    assert busy_timeout_s({"PERI_DB_TIMEOUT": "nan"}) == 60.0
    assert busy_timeout_s({"PERI_DB_TIMEOUT": "-3"}) == 60.0


def test_cli_writers_on_a_busy_database_say_so(home):
    Store(home / "peri.db").close()
    other = _locker(home / "peri.db")
    try:
        runner = CliRunner()
        r = runner.invoke(app, ["athlete", "add", "ana"], env={"PERI_DB_TIMEOUT": "0.2"})
        assert r.exit_code == 1 and "busy" in r.output and "Traceback" not in r.output
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_disk_full_is_named_and_leaves_the_file_whole(tmp_path):
    store = Store(tmp_path / "peri.db")
    a = store.add_athlete(Athlete(name="ana"))
    store.add_sessions(a.id, _sessions(2), [])
    before = store.dump()
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up a few pages later
    with pytest.raises(StorageError) as err:
        store.add_sessions(a.id, _sessions(400, note="x" * 500), [])
    assert "disk is full" in str(err.value) and "rollback" not in str(err.value)
    assert store.dump() == before
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_read_only_store_reads_and_refuses_writes(tmp_path):
    path = tmp_path / "peri.db"
    with Store(path) as s:
        s.add_athlete(Athlete(name="ana"))
    store = Store(path, read_only=True)
    assert [a.name for a in store.list_athletes()] == ["ana"]
    with pytest.raises(StorageError, match="read-only"):
        store.add_athlete(Athlete(name="bo"))


def test_read_only_is_detected_from_the_file_system(tmp_path, monkeypatch):
    import os

    path = tmp_path / "peri.db"
    Store(path).close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw))
    store = Store(path)
    assert store.read_only
    assert store.list_athletes() == []


def test_storage_errors_in_the_cli(tmp_path, monkeypatch):
    runner = CliRunner()
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    for home in (afile, afile / "below"):
        r = runner.invoke(app, ["athlete", "list"], env={"PERI_HOME": str(home)})
        assert r.exit_code == 1 and "Traceback" not in r.output and "PERI_HOME" in r.output, r.output
        assert len(r.output.strip().splitlines()) == 1
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "peri.db").write_bytes(b"this is not sqlite" * 100)
    r = runner.invoke(app, ["athlete", "list"], env={"PERI_HOME": str(junk)})
    assert r.exit_code == 1 and "not a peri database" in r.output and "Traceback" not in r.output


def test_plan_is_kept_when_the_store_is_busy(home):
    from tests.test_generate import seed_athlete

    with Store(home / "peri.db") as s:
        seed_athlete(s, "ana")
    other = _locker(home / "peri.db")
    try:
        r = CliRunner().invoke(app, ["plan", "--athlete", "ana", "--model", "rules"], env={"PERI_DB_TIMEOUT": "0.2"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.exit_code == 0 and "Traceback" not in r.output, r.output
    kept = list((home / "unsaved").glob("generation-*.json"))
    assert len(kept) == 1 and "kept in" in r.output
    import json

    g = json.loads(kept[0].read_text())
    assert g["valid"] and g["plan"]["days"]


def test_read_only_commands_work_on_a_read_only_store(home, monkeypatch):
    import os

    from tests.test_generate import seed_athlete

    with Store(home / "peri.db") as s:
        seed_athlete(s, "ana")
    real_access = os.access
    # root ignores file modes, so the file system's answer is what is changed here: nothing is writable
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real_access(p, mode, **kw))
    runner = CliRunner()
    for args in (["athlete", "list"], ["stats", "--athlete", "ana"], ["prompt", "show", "--athlete", "ana", "-m", "rules"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (args, r.output)
    r = runner.invoke(app, ["athlete", "add", "bo"])
    assert r.exit_code == 1 and "read-only" in r.output and "Traceback" not in r.output
