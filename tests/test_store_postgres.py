"""The store's contract on both databases: SQLite (embedded) and a real PostgreSQL server the tests start.

Each test here runs twice (`any_store`); the whole suite's store, import and CLI tests run on PostgreSQL too
with PERI_TEST_STORE=postgres (scripts/test.sh does both). PostgreSQL-only behaviour (COPY, the dialect
translation, a kill -9 in the middle of an import) is tested below them.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from peri.errors import PeriError, StorageError
from peri.log.importers import import_file
from peri.log.models import Athlete
from peri.log.postgres import ddl, is_database_url, translate
from peri.log.store import MIGRATIONS, RegisteredModel, Store, store_target

FIX = Path(__file__).parent / "fixtures" / "imports"
SET = ("Squat", "squat", 0, 102.3, "kg", 102.3, 5, 8.5, None, None, None, "normal", None)


def session_rows(n: int, sets: int = 3, day0: dt.datetime = dt.datetime(2024, 1, 1, 7, 30)) -> list:
    return [((day0 + dt.timedelta(days=2 * i), "Legs", 3600, None, "test"), [SET] * sets) for i in range(n)]


def test_named_migrations_are_applied_once(any_store: Store) -> None:
    rows = any_store.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(v, n) for v, n, _ in MIGRATIONS]
    assert any_store.migrate() == []  # a second open migrates nothing
    assert any_store.schema_version() == MIGRATIONS[-1][0]


def test_bulk_write_is_idempotent_and_keeps_loads_exact(any_store: Store) -> None:
    aid = any_store.add_athlete(Athlete(name="ana")).id
    first = any_store.add_session_rows(aid, session_rows(4))
    assert (first.sessions_new, first.sets_new, first.sets_existing) == (4, 12, 0)
    again = any_store.add_session_rows(aid, session_rows(5))  # the first four are known, the fifth is new
    assert (again.sessions_new, again.sets_new, again.sets_existing) == (1, 3, 12)
    sessions = any_store.sessions(aid)
    assert len(sessions) == 5 and [len(s.sets) for s in sessions] == [3] * 5
    # 102.3 is not a float32 number: a 4-byte column would give back 102.30000305
    assert {w.weight_kg for s in sessions for w in s.sets} == {102.3}
    assert any_store.count_sets(aid) == 15


def test_transaction_is_all_or_nothing_and_nested_is_a_savepoint(any_store: Store) -> None:
    aid = any_store.add_athlete(Athlete(name="ana")).id
    with pytest.raises(RuntimeError):
        with any_store.transaction():
            any_store.add_session_rows(aid, session_rows(3))
            raise RuntimeError("half-way")
    assert any_store.sessions(aid) == []
    with any_store.transaction():
        any_store.add_session_rows(aid, session_rows(1))
        with pytest.raises(RuntimeError):
            with any_store.transaction():
                any_store.add_athlete(Athlete(name="bo"))
                raise RuntimeError("inner only")
    assert len(any_store.sessions(aid)) == 1
    assert [a.name for a in any_store.list_athletes()] == ["ana"]


def test_a_database_error_rolls_back_and_is_one_storage_error(any_store: Store) -> None:
    any_store.add_athlete(Athlete(name="ana"))
    with pytest.raises(StorageError):
        with any_store.transaction() as c:
            c.execute("INSERT INTO athletes (name, profile, created_at) VALUES (?,?,?)", ("bo", "{}", "now"))
            c.execute("INSERT INTO athletes (name, profile, created_at) VALUES (?,?,?)", ("ana", "{}", "now"))
    assert [a.name for a in any_store.list_athletes()] == ["ana"]
    with pytest.raises(PeriError, match="already exists"):
        any_store.add_athlete(Athlete(name="ana"))


def test_imports_undo_and_upserts_behave_the_same(any_store: Store) -> None:
    any_store.add_athlete(Athlete(name="ana"))
    aid = any_store.get_athlete("ana").id
    rep = import_file(any_store, "ana", "hevy", FIX / "hevy.csv", map_exercise=str.lower)
    assert rep.import_id and rep.sets_new > 0
    assert import_file(any_store, "ana", "hevy", FIX / "hevy.csv", map_exercise=str.lower).import_id is None
    [batch] = any_store.imports(aid)
    assert batch["sets_now"] == rep.sets_new and batch["file"].endswith("hevy.csv")
    assert any_store.undo_import(rep.import_id)["sets"] == rep.sets_new
    assert any_store.count_sets(aid) == 0
    any_store.register_model(RegisteredModel(name="m", kind="gguf", path="/a", meta={"v": 1}))
    any_store.register_model(RegisteredModel(name="m", kind="gguf", path="/b", meta={"v": 2}))
    assert [(m.path, m.meta) for m in any_store.list_models()] == [("/b", {"v": 2})]
    any_store.set_alias("Pause Squat", "squat")
    any_store.set_alias("pause squat", "front_squat")
    assert any_store.aliases() == {"pause squat": "front_squat"}


def test_both_stores_hold_the_same_log_after_the_same_import(home: Path, pg_server) -> None:
    out = []
    for target in (home / "same.db", pg_server.create_database()):
        with Store(target) as s:
            s.add_athlete(Athlete(name="ana"))
            import_file(s, "ana", "strong", FIX / "strong_new.csv", map_exercise=str.lower)
            aid = s.get_athlete("ana").id
            out.append(([x.model_dump() for x in s.sessions(aid)], [a.model_dump() for a in s.annotations(aid)]))
    assert out[0] == out[1] and out[0][0]


def test_database_url_selects_postgres_and_sqlite_stays_default(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PERI_HOME", str(tmp_path))
    monkeypatch.delenv("PERI_DATABASE_URL", raising=False)
    assert store_target() == tmp_path / "peri.db"
    monkeypatch.setenv("PERI_DATABASE_URL", "postgresql://coach@db.example/peri")
    assert store_target() == "postgresql://coach@db.example/peri"
    monkeypatch.setenv("PERI_DATABASE_URL", "mysql://x/y")
    with pytest.raises(StorageError, match="postgresql://"):
        store_target()
    assert is_database_url("postgres://h/d") and not is_database_url(tmp_path / "x.db")


def test_dialect_translation() -> None:
    assert translate("SELECT * FROM t WHERE a = ? AND b LIKE '%?'") == ("SELECT * FROM t WHERE a = %s AND b LIKE '%%?'", False)
    q, ret = translate("INSERT INTO sessions (a) VALUES (?)")
    assert q.endswith("VALUES (%s) RETURNING id") and ret
    assert translate("INSERT OR IGNORE INTO journey VALUES (?,?)")[0] == "INSERT INTO journey VALUES (%s,%s) ON CONFLICT DO NOTHING"
    q, _ = translate("INSERT OR REPLACE INTO aliases VALUES (?, ?)")
    assert q.endswith("ON CONFLICT (name) DO UPDATE SET exercise_id = EXCLUDED.exercise_id")
    assert translate("INSERT INTO schema_migrations VALUES (?,?,?)")[1] is False  # no id column there
    assert ddl("id INTEGER PRIMARY KEY,\n weight REAL, rpe REAL") == (
        "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n weight DOUBLE PRECISION, rpe DOUBLE PRECISION")


def test_unreachable_server_is_one_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot open") as e:
        Store(f"postgresql://peri:s3cret@/nope?host={tmp_path}", timeout_s=1)
    assert "s3cret" not in str(e.value)


def test_a_locked_row_is_waited_for_then_named_busy(pg_server) -> None:
    url = pg_server.create_database()
    a, b = Store(url), Store(url, timeout_s=0.5)
    try:
        with a.transaction():
            a.add_athlete(Athlete(name="ana"))  # uncommitted: b's insert of the same name must wait for it
            with pytest.raises(StorageError, match="busy"):
                b.add_athlete(Athlete(name="ana"))
        assert [x.name for x in b.list_athletes()] == ["ana"]
    finally:
        a.close()
        b.close()


def test_copy_path_writes_many_sets_in_one_statement(pg_server) -> None:
    with Store(pg_server.create_database()) as s:
        aid = s.add_athlete(Athlete(name="ana")).id
        counts = s.add_session_rows(aid, session_rows(300, sets=20))
        assert (counts.sessions_new, counts.sets_new) == (300, 6000)
        again = s.add_session_rows(aid, session_rows(300, sets=21))  # one more set in each session
        assert (again.sets_new, again.sets_existing) == (300, 6000)
        seqs = s.conn.execute("SELECT seq FROM sets WHERE session_id = (SELECT MIN(id) FROM sessions)").fetchall()
        assert sorted(r[0] for r in seqs) == list(range(21))


def test_kill_9_during_a_postgres_import_leaves_nothing_partial(pg_server) -> None:
    url = pg_server.create_database()
    Store(url).close()
    child = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_store_postgres import session_rows
        from peri.log.models import Athlete
        from peri.log.store import Store
        s = Store({url!r})
        with s.transaction():
            aid = s.add_athlete(Athlete(name="ana")).id
            s.add_session_rows(aid, session_rows(200, sets=10))
            print("written", flush=True)
            time.sleep(120)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(Path(__file__).parents[1] / "src"), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "written"  # 2,000 sets are in the open transaction now
        with Store(url) as look:
            assert look.list_athletes() == []  # not visible before the commit
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    with Store(url) as s:
        assert s.list_athletes() == []
        assert s.conn.execute("SELECT COUNT(*) FROM sets").fetchone()[0] == 0
        assert s.conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
        aid = s.add_athlete(Athlete(name="ana")).id  # and the database takes the same import afterwards
        assert s.add_session_rows(aid, session_rows(200, sets=10)).sets_new == 2000
