"""The store: one SQLite file (the embedded default) or a PostgreSQL database, several athletes,
append-only named migrations.

Every public write method runs in one transaction (nested calls join the outer one through
savepoints), so a failure anywhere leaves the store exactly as it was. The SQL is written once, in
SQLite's dialect; `peri.log.postgres` translates it for PostgreSQL (PERI_DATABASE_URL=postgresql://...).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..errors import NotFound, PeriError, StorageError
from .models import Annotation, Athlete, Scope, Session, SetType, WorkoutSet

# (version, name, sql). Append only: never edit a shipped migration, add the next one.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "initial",
        """
        CREATE TABLE athletes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            profile TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            duration_s INTEGER,
            notes TEXT,
            source TEXT NOT NULL,
            UNIQUE (athlete_id, source, started_at, name)
        );
        CREATE INDEX sessions_by_athlete_time ON sessions(athlete_id, started_at);
        CREATE TABLE sets (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            exercise TEXT NOT NULL,
            exercise_id TEXT,
            ord INTEGER NOT NULL,
            weight REAL,
            unit TEXT,
            weight_kg REAL,
            reps INTEGER,
            rpe REAL,
            rir REAL,
            distance_m REAL,
            seconds REAL,
            set_type TEXT NOT NULL,
            note TEXT,
            UNIQUE (session_id, seq)
        );
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
            scope TEXT NOT NULL,
            date TEXT NOT NULL,
            text TEXT NOT NULL,
            exercise TEXT,
            exercise_id TEXT,
            session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
            tags TEXT NOT NULL,
            regions TEXT NOT NULL,
            rpe REAL,
            rir REAL,
            source TEXT NOT NULL,
            natural_key TEXT NOT NULL,
            UNIQUE (athlete_id, natural_key)
        );
        CREATE INDEX annotations_by_athlete_date ON annotations(athlete_id, date);
        CREATE TABLE aliases (
            name TEXT PRIMARY KEY,          -- lower-cased logged name
            exercise_id TEXT NOT NULL
        );
        CREATE TABLE generations (
            id INTEGER PRIMARY KEY,
            athlete_id INTEGER REFERENCES athletes(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            approach TEXT NOT NULL,
            model TEXT NOT NULL,
            adapter TEXT,
            scenario TEXT,
            detail INTEGER,
            experiment TEXT,
            messages TEXT NOT NULL,
            prompt_tokens INTEGER,
            output_tokens INTEGER,
            latency_s REAL,
            cost_usd REAL,
            raw_text TEXT,
            plan TEXT,
            valid INTEGER NOT NULL,
            error TEXT,
            findings TEXT,
            repaired_plan TEXT,
            meta TEXT
        );
        CREATE INDEX generations_by_athlete ON generations(athlete_id, created_at);
        CREATE TABLE ratings (
            id INTEGER PRIMARY KEY,
            generation_id INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            comment TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE models (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            path TEXT,
            meta TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE journey (
            athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
            journey TEXT NOT NULL,
            step TEXT NOT NULL,
            done_at TEXT NOT NULL,
            PRIMARY KEY (athlete_id, journey, step)
        );
        """,
    ),
    (
        2,
        "import batches",
        # every import is a batch: what it wrote carries its id, so `peri import undo ID` removes exactly that.
        # No index on sets.import_id: keeping one costs every import's write ~10 %; a (rare) undo scans instead.
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            file TEXT NOT NULL,
            fmt TEXT NOT NULL,
            sessions_new INTEGER NOT NULL DEFAULT 0,
            sets_new INTEGER NOT NULL DEFAULT 0,
            annotations_new INTEGER NOT NULL DEFAULT 0,
            undone_at TEXT
        );
        ALTER TABLE sessions ADD COLUMN import_id INTEGER;
        ALTER TABLE sets ADD COLUMN import_id INTEGER;
        ALTER TABLE annotations ADD COLUMN import_id INTEGER;
        CREATE INDEX sessions_by_import ON sessions(import_id)
        """,
    ),
    (
        3,
        "batch items",
        # `peri batch`: one row per (job, athlete), so a killed batch resumes and a re-run does nothing twice
        """
        CREATE TABLE batch_items (
            job TEXT NOT NULL,
            athlete_id INTEGER NOT NULL REFERENCES athletes(id) ON DELETE CASCADE,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            result TEXT,
            error TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (job, athlete_id)
        )
        """,
    ),
    (
        4,
        "web jobs",
        # `peri serve`'s background jobs: a restarted server still shows finished ones, and marks the ones
        # that were running when it died as failed (owner: which server process ran it)
        """
        CREATE TABLE web_jobs (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL,
            progress REAL NOT NULL DEFAULT 0,
            messages TEXT NOT NULL DEFAULT '[]',
            result_url TEXT,
            result TEXT NOT NULL DEFAULT '{}',
            error TEXT,
            owner TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX web_jobs_by_status ON web_jobs(status)
        """,
    ),
]

DUMP_TABLES = ("athletes", "sessions", "sets", "annotations", "aliases", "generations", "ratings", "models", "journey",
               "imports", "batch_items")


class WriteCounts(BaseModel):
    sessions_new: int = 0
    sets_new: int = 0
    sets_existing: int = 0
    annotations_new: int = 0


class Generation(BaseModel):
    """One model call, recorded whole: the log the prompt experiment, evaluation and decision read."""

    id: int | None = None
    athlete_id: int | None = None
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    approach: str  # e.g. "prompt", "finetuned", "hybrid", "rules"
    model: str
    adapter: str | None = None
    scenario: str | None = None
    detail: int | None = None
    experiment: str | None = None
    messages: list[dict[str, Any]]
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    latency_s: float | None = None
    cost_usd: float | None = None
    raw_text: str | None = None
    plan: dict | None = None
    valid: bool = False
    error: str | None = None
    findings: list[dict] = Field(default_factory=list)
    repaired_plan: dict | None = None
    meta: dict = Field(default_factory=dict)
    rating: int | None = None  # latest rating, filled on read


class RegisteredModel(BaseModel):
    name: str
    kind: str  # "gguf" | "finetuned-local" | "openai" | "anthropic" | "openai-compatible"
    path: str | None = None
    meta: dict = Field(default_factory=dict)


DEFAULT_BUSY_TIMEOUT_S = 60.0  # a 500,000-set import commits in well under this on a laptop


def busy_timeout_s(env: dict[str, str] | None = None) -> float:
    """Seconds to wait for another writer: PERI_DB_TIMEOUT when set to a number, else 60."""
    import os

    raw = (os.environ if env is None else env).get("PERI_DB_TIMEOUT", "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S
    return value if 0 <= value < 86_400 else DEFAULT_BUSY_TIMEOUT_S


def store_target(home: Path | None = None) -> Path | str:
    """Where peri's data lives: PERI_DATABASE_URL (postgresql://...) when set, else PERI_HOME/peri.db."""
    import os

    from ..paths import db_path

    url = os.environ.get("PERI_DATABASE_URL", "").strip()
    if url:
        from .postgres import is_database_url

        if not is_database_url(url):
            raise StorageError("PERI_DATABASE_URL must start with postgresql://",
                               hint="unset it to use the SQLite file under PERI_HOME")
        return url
    return db_path(home)


def _not_writable(path: Path) -> bool:
    import os

    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK)
    parent = path.parent
    return parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK)


def storage_error(e: BaseException, path: Path, timeout_s: float | None = None) -> StorageError:
    """One line naming a storage failure (busy, full, read-only, unopenable) and what to do about it."""
    import errno

    text = str(e).lower()
    code = getattr(e, "sqlite_errorname", "") or ""
    if "locked" in text or "busy" in text or code.startswith("SQLITE_BUSY"):
        waited = f" (waited {timeout_s:g} s)" if timeout_s else ""
        return StorageError(f"the database is busy: another peri is writing to it{waited}", place=str(path),
                            hint="try again when it has finished, or set PERI_DB_TIMEOUT=SECONDS to wait longer")
    if "full" in text or code == "SQLITE_FULL" or getattr(e, "errno", None) == errno.ENOSPC:
        return StorageError("the disk is full: nothing was written", place=str(path),
                            hint="free some space (or move PERI_HOME), then run the command again")
    if "readonly" in text or "read-only" in text or getattr(e, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError("the database or its folder is read-only: nothing was written", place=str(path),
                            hint="make PERI_HOME writable, or point PERI_HOME at a folder you can write")
    if "unable to open" in text or getattr(e, "errno", None) in (errno.ENOTDIR, errno.EISDIR, errno.ENOENT):
        return StorageError(f"cannot open the database: {e}", place=str(path),
                            hint="set PERI_HOME to a folder you can write")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StorageError(f"the database file is damaged or not a peri database: {e}", place=str(path),
                            hint="restore it from a backup, or move it aside and re-import your exports")
    if "disk i/o" in text:
        return StorageError(f"the disk reported an error: {e}", place=str(path), hint="check the disk, then try again")
    return StorageError(f"database error: {e}", place=str(path))


def redacted_generation(g: Generation) -> Generation:
    """`g` as it may be written anywhere: a server's error body or a URL may carry a key, so nothing secret
    stays (the messages are the athlete's own log and prompt, kept verbatim)."""
    from ..redact import redact, redact_obj

    return g.model_copy(update={
        "model": redact(g.model), "adapter": redact(g.adapter), "error": redact(g.error), "raw_text": redact(g.raw_text),
        "meta": redact_obj(g.meta), "experiment": redact(g.experiment),
    })


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def annotation_key(a: Annotation, session_key: str = "") -> str:
    raw = "|".join([a.scope.value, a.date.isoformat(), session_key, a.exercise or "", a.text])
    return hashlib.sha1(raw.encode()).hexdigest()


class Store:
    """A handle on one peri database. Pass it in; nothing opens a database at import time."""

    def __init__(self, path: Path | str, *, read_only: bool | None = None, timeout_s: float | None = None):
        """Open (and migrate) the database at `path`.

        `read_only`: None decides from the file system (a store we cannot write is opened read-only, so
        `stats` and `athlete list` keep working on it; writes then fail with one clear StorageError).
        `timeout_s`: how long to wait for another peri's write to finish (default PERI_DB_TIMEOUT or 60 s,
        long enough for a large import to commit).
        """
        from .postgres import is_database_url

        self.timeout_s = busy_timeout_s() if timeout_s is None else timeout_s
        self._depth = 0
        self.dialect = "postgres" if is_database_url(path) else "sqlite"
        if self.dialect == "postgres":
            self._open_postgres(str(path), bool(read_only))
            return
        self.path = Path(path)
        memory = str(path) == ":memory:"
        if read_only is None:
            read_only = not memory and _not_writable(self.path)
        if not memory and not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise storage_error(e, self.path) from None
        self.read_only = read_only
        try:
            self.conn = self._connect(memory)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not memory and not read_only:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as e:
            raise storage_error(e, self.path) from None
        if read_only:
            if self._pending_migrations():
                self.conn.close()
                raise StorageError("the database is read-only and needs an upgrade this version of peri must write",
                                   place=str(self.path), hint="make the file and its folder writable, then run peri once")
        else:
            self.migrate()

    def _open_postgres(self, url: str, read_only: bool) -> None:
        from ..redact import redact
        from .postgres import PgConnection

        self.path = redact(url) or "PostgreSQL"  # printed in messages: never a password
        self.read_only = read_only
        try:
            self.conn = PgConnection(url, timeout_s=self.timeout_s)  # type: ignore[assignment]
        except sqlite3.Error as e:
            raise storage_error(e, self.path) from None
        if read_only:
            if self._pending_migrations():
                self.conn.close()
                raise StorageError("the database needs an upgrade this version of peri must write", place=self.path,
                                   hint="run peri once with a role that may write")
        else:
            self.migrate()

    def _connect(self, memory: bool) -> sqlite3.Connection:
        if memory:
            return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if not self.read_only:
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=self.timeout_s)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
            return conn
        if not self.path.exists():
            raise StorageError("there is no database yet, and its folder is read-only", place=str(self.path),
                               hint="set PERI_HOME to a folder you can write")
        uri = self.path.resolve().as_uri()
        # mode=ro still needs the -shm file of a WAL database; on a read-only folder only immutable=1 opens it
        for query in ("?mode=ro", "?immutable=1"):
            conn = sqlite3.connect(uri + query, uri=True, isolation_level=None, check_same_thread=False,
                                   timeout=self.timeout_s)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError:
                conn.close()
        raise StorageError("cannot open the read-only database", place=str(self.path),
                           hint="make the file and its folder readable (and writable, to change anything)")

    def _pending_migrations(self) -> bool:
        try:
            done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        except sqlite3.OperationalError:
            return True
        return any(v not in done for v, _, _ in MIGRATIONS)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions and migrations -------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing. Nested use becomes a savepoint of the outer transaction.

        A busy database is waited for (`timeout_s`); a full disk, a read-only file or a lock that outlasts
        the wait ends in one StorageError naming it, with the file left as it was.
        """
        if self.read_only:
            raise StorageError("the database is read-only: this command needs to write", place=str(self.path),
                               hint="make the file and its folder writable (read-only commands still work)")
        try:
            if self._depth == 0:
                # SQLite: take the write lock now, not at the first write (no deadlock between two writers)
                self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
            else:
                self.conn.execute(f"SAVEPOINT sp{self._depth}")
        except sqlite3.Error as e:
            raise storage_error(e, self.path, self.timeout_s) from None
        self._depth += 1
        try:
            yield self.conn
        except BaseException as exc:
            self._depth -= 1
            # SQLite rolls a transaction back by itself after some errors (a full disk): only undo what is open
            try:
                if self.conn.in_transaction:
                    if self._depth == 0:
                        self.conn.execute("ROLLBACK")
                    else:
                        self.conn.execute(f"ROLLBACK TO sp{self._depth}")
                        self.conn.execute(f"RELEASE sp{self._depth}")
            except sqlite3.Error:
                pass  # the original error below says what went wrong; this one would only hide it
            if isinstance(exc, sqlite3.Error) and self._depth == 0:
                raise storage_error(exc, self.path, self.timeout_s) from None
            raise
        else:
            self._depth -= 1
            try:
                if self._depth == 0:
                    self.conn.execute("COMMIT")
                else:
                    self.conn.execute(f"RELEASE sp{self._depth}")
            except sqlite3.Error as e:
                if self._depth == 0 and self.conn.in_transaction:
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise storage_error(e, self.path, self.timeout_s) from None

    def migrate(self) -> list[int]:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in MIGRATIONS:
            if version in done:
                continue
            with self.transaction() as c:
                if self.dialect == "postgres":
                    # many workers may open a new database at once: one migrates, the others wait, then see it done
                    c.execute("SELECT pg_advisory_xact_lock(7410016)")
                if c.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                    continue
                for stmt in filter(str.strip, sql.split(";")):
                    if self.dialect == "postgres":
                        from .postgres import ddl

                        stmt = ddl(stmt)
                    c.execute(stmt)
                c.execute("INSERT INTO schema_migrations VALUES (?,?,?)", (version, name, _now()))
            applied.append(version)
        return applied

    def schema_version(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(version),0) FROM schema_migrations").fetchone()[0]

    # --- athletes ---------------------------------------------------------------------
    def add_athlete(self, athlete: Athlete, *, replace: bool = False) -> Athlete:
        profile = athlete.model_dump_json(exclude={"id"})
        with self.transaction() as c:
            row = c.execute("SELECT id FROM athletes WHERE name = ?", (athlete.name,)).fetchone()
            if row and not replace:
                raise PeriError(f"athlete {athlete.name!r} already exists", hint="use another name or update it")
            if row:
                c.execute("UPDATE athletes SET profile = ? WHERE id = ?", (profile, row[0]))
                aid = row[0]
            else:
                aid = c.execute(
                    "INSERT INTO athletes (name, profile, created_at) VALUES (?,?,?)", (athlete.name, profile, _now())
                ).lastrowid
        return athlete.model_copy(update={"id": aid})

    def update_athlete(self, athlete: Athlete) -> Athlete:
        return self.add_athlete(athlete, replace=True)

    def get_athlete(self, name: str) -> Athlete:
        row = self.conn.execute("SELECT id, profile FROM athletes WHERE name = ?", (name,)).fetchone()
        if not row:
            known = ", ".join(a.name for a in self.list_athletes()) or "none yet"
            raise NotFound(f"no athlete named {name!r}", hint=f"known: {known}; add one with `peri athlete add`")
        return Athlete.model_validate_json(row["profile"]).model_copy(update={"id": row["id"]})

    def list_athletes(self) -> list[Athlete]:
        rows = self.conn.execute("SELECT id, profile FROM athletes ORDER BY name").fetchall()
        return [Athlete.model_validate_json(r["profile"]).model_copy(update={"id": r["id"]}) for r in rows]

    def delete_athlete(self, name: str) -> None:
        a = self.get_athlete(name)
        with self.transaction() as c:
            c.execute("DELETE FROM athletes WHERE id = ?", (a.id,))

    # --- sessions and sets ------------------------------------------------------------
    def add_sessions(
        self, athlete_id: int, sessions: Iterable[Session], annotations: Iterable[Annotation] = ()
    ) -> WriteCounts:
        """Insert sessions, their sets and annotations idempotently, in one transaction.

        A session is identified by (source, started_at, name), a set by its position in the
        session, an annotation by its text, scope, date and exercise: importing the same file
        twice adds nothing. Annotations may carry `session_id=None` and are linked to the
        session of the same date when one was written here.
        """
        counts = WriteCounts()
        with self.transaction() as c:
            by_day: dict[dt.date, int] = {}
            for s in sessions:
                started = s.started_at.isoformat(sep=" ")
                row = c.execute(
                    "SELECT id FROM sessions WHERE athlete_id=? AND source=? AND started_at=? AND name=?",
                    (athlete_id, s.source, started, s.name),
                ).fetchone()
                if row:
                    sid = row[0]
                else:
                    sid = c.execute(
                        "INSERT INTO sessions (athlete_id, started_at, name, duration_s, notes, source) VALUES (?,?,?,?,?,?)",
                        (athlete_id, started, s.name, s.duration_s, s.notes, s.source),
                    ).lastrowid
                    counts.sessions_new += 1
                by_day.setdefault(s.started_at.date(), sid)
                before = c.total_changes
                c.executemany(
                    "INSERT OR IGNORE INTO sets (session_id, seq, exercise, exercise_id, ord, weight, unit, weight_kg,"
                    " reps, rpe, rir, distance_m, seconds, set_type, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            sid, i, w.exercise, w.exercise_id, w.order, w.weight, w.unit, w.weight_kg, w.reps,
                            w.rpe, w.rir, w.distance_m, w.seconds, w.set_type.value if isinstance(w.set_type, SetType) else w.set_type, w.note,
                        )
                        for i, w in enumerate(s.sets)
                    ],
                )
                new = c.total_changes - before
                counts.sets_new += new
                counts.sets_existing += len(s.sets) - new
            for a in annotations:
                sid = a.session_id or by_day.get(a.date)
                counts.annotations_new += self._insert_annotation(c, athlete_id, a, sid)
        return counts

    def add_session_rows(
        self,
        athlete_id: int,
        sessions: Iterable[tuple[Any, ...]],
        annotations: Iterable[Annotation] = (),
        *,
        import_id: int | None = None,
    ) -> WriteCounts:
        """Bulk twin of `add_sessions` for importers: same identity, idempotency and single transaction,
        but no model objects per set. Each session is `((started_at, name, duration_s, notes, source), sets)`
        or `(..., sets, session_annotations)`, with every set a sequence in the sets-table column order
        (exercise, exercise_id, ord, weight, unit, weight_kg, reps, rpe, rir, distance_m, seconds, set_type,
        note). Annotations given with their session are linked to it exactly; `annotations` are linked by
        date, as in `add_sessions`. All sets go in one executemany.
        """
        counts = WriteCounts()
        sessions = list(sessions)
        with self.transaction() as c:
            # the athlete's existing sessions of these sources, looked up once instead of once per session
            existing: dict[tuple[str, str, str], int] = {}
            for src in {item[0][4] for item in sessions}:
                for r in c.execute("SELECT id, started_at, name FROM sessions WHERE athlete_id=? AND source=?",
                                   (athlete_id, src)):
                    existing[(src, r[1], r[2])] = r[0]
            by_day: dict[dt.date, int] = {}
            rows: list[tuple[Any, ...]] = []
            linked: list[tuple[Annotation, int]] = []
            new: dict[tuple[str, str, str], tuple[Any, ...]] = {}
            for item in sessions:
                (started_at, name, duration_s, notes, source) = item[0]
                key = (source, started_at.isoformat(sep=" "), name)
                if key not in existing and key not in new:
                    new[key] = (athlete_id, key[1], name, duration_s, notes, source, import_id)
            if new:
                # every new session in one go (PostgreSQL: one pipelined round trip), ids in the same order
                ids = self._insert_sessions(c, list(new.values()))
                existing.update(zip(new, ids))
                counts.sessions_new = len(new)
            for item in sessions:
                (started_at, name, duration_s, notes, source), sets = item[0], item[1]
                sid = existing[(source, started_at.isoformat(sep=" "), name)]
                by_day.setdefault(started_at.date(), sid)
                rows.extend([(sid, i, *w, import_id) for i, w in enumerate(sets)])
                if len(item) > 2:
                    linked.extend((a, sid) for a in item[2])
            counts.sets_new = self._insert_sets(c, rows)
            counts.sets_existing = len(rows) - counts.sets_new
            for a, sid in linked:
                counts.annotations_new += self._insert_annotation(c, athlete_id, a, a.session_id or sid)
            for a in annotations:
                sid = a.session_id or by_day.get(a.date)
                counts.annotations_new += self._insert_annotation(c, athlete_id, a, sid)
        return counts

    _SET_COLUMNS = ("session_id", "seq", "exercise", "exercise_id", "ord", "weight", "unit", "weight_kg", "reps", "rpe",
                    "rir", "distance_m", "seconds", "set_type", "note", "import_id")

    def _insert_sets(self, c: Any, rows: list[tuple[Any, ...]]) -> int:
        """Each database's fast path for many sets (existing ones skipped); returns how many were new.

        SQLite: one executemany of a prepared INSERT OR IGNORE (batched in one transaction). PostgreSQL:
        COPY into a temporary table, then one INSERT ... SELECT that skips existing sets.
        """
        if self.dialect == "postgres":
            return c.insert_ignore_many("sets", self._SET_COLUMNS, rows)
        before = c.total_changes
        c.executemany(
            f"INSERT OR IGNORE INTO sets ({', '.join(self._SET_COLUMNS)}) VALUES ({','.join('?' * len(self._SET_COLUMNS))})",
            rows,
        )
        return c.total_changes - before

    def _insert_sessions(self, c: Any, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert new sessions (athlete_id, started_at, name, duration_s, notes, source, import_id); their ids."""
        sql = ("INSERT INTO sessions (athlete_id, started_at, name, duration_s, notes, source, import_id)"
               " VALUES (?,?,?,?,?,?,?)")
        if self.dialect == "postgres":
            return c.insert_returning_ids(sql, rows)
        return [c.execute(sql, r).lastrowid for r in rows]

    def _insert_annotation(self, c: sqlite3.Connection, athlete_id: int, a: Annotation, session_id: int | None) -> int:
        cur = c.execute(
            "INSERT OR IGNORE INTO annotations (athlete_id, scope, date, text, exercise, exercise_id, session_id, tags,"
            " regions, rpe, rir, source, natural_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                athlete_id, a.scope.value, a.date.isoformat(), a.text, a.exercise, a.exercise_id, session_id,
                json.dumps(a.tags), json.dumps(a.regions), a.rpe, a.rir, a.source, annotation_key(a),
            ),
        )
        return cur.rowcount

    def sessions(
        self, athlete_id: int, since: dt.date | None = None, until: dt.date | None = None, *, with_sets: bool = True
    ) -> list[Session]:
        """Sessions in time order, `since` inclusive, `until` exclusive."""
        q = "SELECT * FROM sessions WHERE athlete_id = ?"
        args: list[Any] = [athlete_id]
        if since:
            q += " AND started_at >= ?"
            args.append(since.isoformat())
        if until:
            q += " AND started_at < ?"
            args.append(until.isoformat())
        rows = self.conn.execute(q + " ORDER BY started_at, id", args).fetchall()
        out = [
            Session(
                id=r["id"], athlete_id=athlete_id, started_at=dt.datetime.fromisoformat(r["started_at"]), name=r["name"],
                duration_s=r["duration_s"], notes=r["notes"], source=r["source"],
            )
            for r in rows
        ]
        if with_sets and out:
            by_id = {s.id: s for s in out}
            marks = ",".join("?" * len(by_id))
            for r in self.conn.execute(
                f"SELECT * FROM sets WHERE session_id IN ({marks}) ORDER BY session_id, seq", list(by_id)
            ):
                by_id[r["session_id"]].sets.append(
                    WorkoutSet(
                        id=r["id"], exercise=r["exercise"], exercise_id=r["exercise_id"], order=r["ord"],
                        weight=r["weight"], unit=r["unit"], weight_kg=r["weight_kg"], reps=r["reps"], rpe=r["rpe"],
                        rir=r["rir"], distance_m=r["distance_m"], seconds=r["seconds"], set_type=SetType(r["set_type"]),
                        note=r["note"],
                    )
                )
        return out

    def count_sets(self, athlete_id: int) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM sets JOIN sessions ON sets.session_id = sessions.id WHERE athlete_id = ?", (athlete_id,)
        ).fetchone()[0]

    def logged_units(self, athlete_id: int, *, last: int = 300) -> dict[str, int]:
        """How many of the athlete's `last` most recent loaded sets were logged in each unit ("kg", "lb")."""
        rows = self.conn.execute(
            "SELECT unit FROM sets JOIN sessions ON sets.session_id = sessions.id"
            " WHERE athlete_id = ? AND unit IS NOT NULL AND weight IS NOT NULL AND weight > 0"
            " ORDER BY started_at DESC, seq DESC LIMIT ?", (athlete_id, last)).fetchall()
        out: dict[str, int] = {}
        for (unit,) in rows:
            out[unit] = out.get(unit, 0) + 1
        return out

    def set_exercise_ids(self, athlete_id: int, mapping: dict[str, str | None]) -> int:
        """Re-map logged names to catalog ids (after an alias edit)."""
        n = 0
        with self.transaction() as c:
            for name, ex_id in mapping.items():
                n += c.execute(
                    "UPDATE sets SET exercise_id = ? WHERE exercise = ? AND session_id IN (SELECT id FROM sessions WHERE athlete_id = ?)",
                    (ex_id, name, athlete_id),
                ).rowcount
        return n

    # --- annotations ------------------------------------------------------------------
    def add_annotation(self, athlete_id: int, a: Annotation) -> Annotation:
        with self.transaction() as c:
            sid = a.session_id
            if sid is None:
                row = c.execute(
                    "SELECT id FROM sessions WHERE athlete_id = ? AND substr(started_at,1,10) = ? ORDER BY started_at LIMIT 1",
                    (athlete_id, a.date.isoformat()),
                ).fetchone()
                sid = row[0] if row else None
            self._insert_annotation(c, athlete_id, a, sid)
            row = c.execute(
                "SELECT id FROM annotations WHERE athlete_id = ? AND natural_key = ?", (athlete_id, annotation_key(a))
            ).fetchone()
        return a.model_copy(update={"id": row[0], "athlete_id": athlete_id, "session_id": sid})

    def annotations(self, athlete_id: int, since: dt.date | None = None, until: dt.date | None = None) -> list[Annotation]:
        q = "SELECT * FROM annotations WHERE athlete_id = ?"
        args: list[Any] = [athlete_id]
        if since:
            q += " AND date >= ?"
            args.append(since.isoformat())
        if until:
            q += " AND date < ?"
            args.append(until.isoformat())
        return [
            Annotation(
                id=r["id"], athlete_id=athlete_id, scope=Scope(r["scope"]), date=dt.date.fromisoformat(r["date"]),
                text=r["text"], exercise=r["exercise"], exercise_id=r["exercise_id"], session_id=r["session_id"],
                tags=json.loads(r["tags"]), regions=json.loads(r["regions"]), rpe=r["rpe"], rir=r["rir"], source=r["source"],
            )
            for r in self.conn.execute(q + " ORDER BY date, id", args)
        ]

    def delete_annotation(self, athlete_id: int, annotation_id: int) -> bool:
        """Delete one of the athlete's annotations (`peri.log.annotate.delete_note`); False when there was none."""
        with self.transaction() as c:
            n = c.execute("DELETE FROM annotations WHERE id = ? AND athlete_id = ?", (annotation_id, athlete_id)).rowcount
        return n > 0

    # --- aliases (user-editable name -> catalog id) ----------------------------------
    def aliases(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT name, exercise_id FROM aliases")}

    def set_alias(self, name: str, exercise_id: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (name.strip().lower(), exercise_id))

    # --- generations and ratings ------------------------------------------------------
    def record_generation(self, g: Generation) -> Generation:
        g = redacted_generation(g)
        with self.transaction() as c:
            gid = c.execute(
                "INSERT INTO generations (athlete_id, created_at, approach, model, adapter, scenario, detail, experiment,"
                " messages, prompt_tokens, output_tokens, latency_s, cost_usd, raw_text, plan, valid, error, findings,"
                " repaired_plan, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    g.athlete_id, g.created_at.isoformat(), g.approach, g.model, g.adapter, g.scenario, g.detail,
                    g.experiment, json.dumps(g.messages), g.prompt_tokens, g.output_tokens, g.latency_s, g.cost_usd,
                    g.raw_text, json.dumps(g.plan) if g.plan is not None else None, int(g.valid), g.error,
                    json.dumps(g.findings), json.dumps(g.repaired_plan) if g.repaired_plan is not None else None,
                    json.dumps(g.meta),
                ),
            ).lastrowid
        return g.model_copy(update={"id": gid})

    def _generation(self, r: sqlite3.Row) -> Generation:
        return Generation(
            id=r["id"], athlete_id=r["athlete_id"], created_at=dt.datetime.fromisoformat(r["created_at"]),
            approach=r["approach"], model=r["model"], adapter=r["adapter"], scenario=r["scenario"], detail=r["detail"],
            experiment=r["experiment"], messages=json.loads(r["messages"]), prompt_tokens=r["prompt_tokens"],
            output_tokens=r["output_tokens"], latency_s=r["latency_s"], cost_usd=r["cost_usd"], raw_text=r["raw_text"],
            plan=json.loads(r["plan"]) if r["plan"] else None, valid=bool(r["valid"]), error=r["error"],
            findings=json.loads(r["findings"] or "[]"),
            repaired_plan=json.loads(r["repaired_plan"]) if r["repaired_plan"] else None,
            meta=json.loads(r["meta"] or "{}"), rating=r["rating"],
        )

    _GEN_SELECT = (
        "SELECT g.*, (SELECT rating FROM ratings WHERE generation_id = g.id ORDER BY id DESC LIMIT 1) AS rating"
        " FROM generations g"
    )

    def get_generation(self, gid: int) -> Generation:
        r = self.conn.execute(self._GEN_SELECT + " WHERE g.id = ?", (gid,)).fetchone()
        if not r:
            raise NotFound(f"no generation with id {gid}", hint="`peri prompt history` lists them")
        return self._generation(r)

    def generations(
        self, athlete_id: int | None = None, *, experiment: str | None = None, approach: str | None = None
    ) -> list[Generation]:
        q, args = self._GEN_SELECT + " WHERE 1=1", []
        if athlete_id is not None:
            q += " AND g.athlete_id = ?"
            args.append(athlete_id)
        if experiment is not None:
            q += " AND g.experiment = ?"
            args.append(experiment)
        if approach is not None:
            q += " AND g.approach = ?"
            args.append(approach)
        return [self._generation(r) for r in self.conn.execute(q + " ORDER BY g.id", args)]

    def rate(self, generation_id: int, rating: int, comment: str | None = None) -> None:
        if not 1 <= rating <= 5:
            raise PeriError(f"rating {rating} is outside 1-5")
        self.get_generation(generation_id)
        with self.transaction() as c:
            c.execute(
                "INSERT INTO ratings (generation_id, rating, comment, created_at) VALUES (?,?,?,?)",
                (generation_id, rating, comment, _now()),
            )

    # --- model registry ---------------------------------------------------------------
    def register_model(self, m: RegisteredModel) -> None:
        from ..redact import redact, redact_obj

        m = m.model_copy(update={"path": redact(m.path), "meta": redact_obj(m.meta)})
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO models (name, kind, path, meta, created_at) VALUES (?,?,?,?,?)",
                (m.name, m.kind, m.path, json.dumps(m.meta), _now()),
            )

    def get_model(self, name: str) -> RegisteredModel:
        r = self.conn.execute("SELECT * FROM models WHERE name = ?", (name,)).fetchone()
        if not r:
            raise NotFound(f"no registered model {name!r}", hint="`peri finetune local` registers tuned models")
        return RegisteredModel(name=r["name"], kind=r["kind"], path=r["path"], meta=json.loads(r["meta"]))

    def list_models(self) -> list[RegisteredModel]:
        return [
            RegisteredModel(name=r["name"], kind=r["kind"], path=r["path"], meta=json.loads(r["meta"]))
            for r in self.conn.execute("SELECT * FROM models ORDER BY name")
        ]

    # --- journey progress -------------------------------------------------------------
    def mark_step(self, athlete_id: int, journey: str, step: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO journey VALUES (?,?,?,?)", (athlete_id, journey, step, _now()))

    def steps_done(self, athlete_id: int, journey: str | None = None) -> dict[str, str]:
        q, args = "SELECT journey, step, done_at FROM journey WHERE athlete_id = ?", [athlete_id]
        if journey:
            q += " AND journey = ?"
            args.append(journey)
        return {f"{r[0]}:{r[1]}": r[2] for r in self.conn.execute(q, args)}

    # --- batch work (peri batch) -------------------------------------------------------
    def batch_items(self, job: str) -> dict[int, dict[str, Any]]:
        """Each athlete's state in batch `job`: athlete id -> {status, attempts, result, error, updated_at}."""
        rows = self.conn.execute("SELECT athlete_id, status, attempts, result, error, updated_at FROM batch_items"
                                 " WHERE job = ?", (job,)).fetchall()
        return {r[0]: {"status": r[1], "attempts": r[2], "result": json.loads(r[3]) if r[3] else None,
                       "error": r[4], "updated_at": r[5]} for r in rows}

    def set_batch_item(self, job: str, athlete_id: int, status: str, *, result: dict | None = None,
                       error: str | None = None, attempt: bool = False) -> None:
        """Record an athlete's state in batch `job` (status: running, done, failed); `attempt` counts a new try."""
        from ..redact import redact

        with self.transaction() as c:
            c.execute(
                "INSERT INTO batch_items (job, athlete_id, status, attempts, result, error, updated_at)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT (job, athlete_id) DO UPDATE SET status = excluded.status,"
                " attempts = batch_items.attempts + excluded.attempts, result = excluded.result,"
                " error = excluded.error, updated_at = excluded.updated_at",
                (job, athlete_id, status, int(attempt), json.dumps(result) if result is not None else None,
                 redact(error), _now()),
            )

    # --- web app jobs (peri serve) ---------------------------------------------------
    WEB_JOB_FIELDS = ("id", "kind", "title", "status", "progress", "messages", "result_url", "result", "error", "owner",
                      "started_at", "finished_at")
    WEB_JOB_UPDATES = ("title", "status", "progress", "messages", "result_url", "result", "error", "finished_at",
                       "updated_at")  # never id or owner: the owner check is what keeps a given-up job failed

    def add_web_job(self, job: dict[str, Any]) -> None:
        """Record a new job (`WEB_JOB_FIELDS`; messages a list, result a dict, times ISO strings)."""
        row = {k: job[k] for k in self.WEB_JOB_FIELDS if job.get(k) is not None}  # the rest: the table's defaults
        row["messages"] = json.dumps(job.get("messages") or [])
        row["result"] = json.dumps(job.get("result") or {}, default=str)
        with self.transaction() as c:
            c.execute(f"INSERT INTO web_jobs ({', '.join(row)}, updated_at) VALUES ({', '.join('?' * len(row))}, ?)",
                      (*row.values(), _now()))

    def update_web_job(self, job_id: str, owner: str, **fields: Any) -> bool:
        """Change a job that is still queued or running under `owner`; False when it is not (finished, or
        already marked failed by a server that found its owner gone): a late finish never overwrites that."""
        bad = set(fields) - set(self.WEB_JOB_UPDATES)
        if bad:
            raise ValueError(f"not web job fields: {sorted(bad)}")
        if "messages" in fields:
            fields["messages"] = json.dumps(fields["messages"])
        if "result" in fields:
            fields["result"] = json.dumps(fields["result"] or {}, default=str)
        fields.setdefault("updated_at", _now())
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.transaction() as c:
            cur = c.execute(f"UPDATE web_jobs SET {sets} WHERE id = ? AND owner = ? AND status IN ('queued', 'running')",
                            (*fields.values(), job_id, owner))
            return cur.rowcount > 0

    def web_job(self, job_id: str) -> dict[str, Any] | None:
        rows = self._web_jobs("WHERE id = ?", (job_id,))
        return rows[0] if rows else None

    def unfinished_web_jobs(self) -> list[dict[str, Any]]:
        return self._web_jobs("WHERE status IN ('queued', 'running')", ())

    def prune_web_jobs(self, keep: int) -> None:
        """Forget all but the newest `keep` finished jobs."""
        with self.transaction() as c:
            c.execute("DELETE FROM web_jobs WHERE status IN ('done', 'failed') AND id NOT IN (SELECT id FROM web_jobs"
                      " WHERE status IN ('done', 'failed') ORDER BY started_at DESC LIMIT ?)", (keep,))

    def _web_jobs(self, where: str, args: tuple) -> list[dict[str, Any]]:
        cols = ", ".join(self.WEB_JOB_FIELDS + ("updated_at",))
        out = []
        for r in self.conn.execute(f"SELECT {cols} FROM web_jobs {where} ORDER BY started_at", args).fetchall():
            d = dict(zip(self.WEB_JOB_FIELDS + ("updated_at",), tuple(r)))
            d["messages"], d["result"] = json.loads(d["messages"] or "[]"), json.loads(d["result"] or "{}")
            out.append(d)
        return out

    # --- import batches (undo) ---------------------------------------------------------
    def record_import(self, athlete_id: int, file: str, fmt: str, write: Any) -> int | None:
        """Run `write(import_id)` (which passes the id to `add_session_rows`) as one import batch, inside the
        caller's transaction; notes it adds are marked too. Returns the batch id, or None (and no batch) when
        the write added nothing (a re-import)."""
        c = self.conn
        mark = c.execute("SELECT COALESCE(MAX(id), 0) FROM annotations").fetchone()[0]
        iid = c.execute("INSERT INTO imports (athlete_id, created_at, file, fmt) VALUES (?,?,?,?)",
                        (athlete_id, _now(), file, fmt)).lastrowid
        counts = write(iid)
        if not (counts.sessions_new or counts.sets_new or counts.annotations_new):
            c.execute("DELETE FROM imports WHERE id = ?", (iid,))
            return None
        c.execute("UPDATE imports SET sessions_new = ?, sets_new = ?, annotations_new = ? WHERE id = ?",
                  (counts.sessions_new, counts.sets_new, counts.annotations_new, iid))
        c.execute("UPDATE annotations SET import_id = ? WHERE id > ?", (iid, mark))
        return iid

    def imports(self, athlete_id: int) -> list[dict[str, Any]]:
        """The athlete's import batches, oldest first, with what each still holds in the store."""
        rows = self.conn.execute(
            "SELECT i.*, (SELECT COUNT(*) FROM sets WHERE sets.import_id = i.id) AS sets_now"
            " FROM imports i WHERE athlete_id = ? ORDER BY id", (athlete_id,)).fetchall()
        return [dict(r) for r in rows]

    def undo_import(self, import_id: int) -> dict[str, int]:
        """Remove everything one import wrote, all or nothing: its sessions (with their sets and notes), the
        sets and notes it added to sessions that were already there. The batch stays listed as undone."""
        row = self.conn.execute("SELECT * FROM imports WHERE id = ?", (import_id,)).fetchone()
        if row is None:
            raise NotFound(f"no import with id {import_id}", hint="`peri import list --athlete NAME` lists them")
        if row["undone_at"]:
            raise PeriError(f"import {import_id} was already undone at {row['undone_at']}")
        with self.transaction() as c:
            # the check above read outside the write lock: two undos of one import (two browser tabs confirming
            # at once) both pass it. Claiming the batch with a conditional update under the lock lets one win;
            # the other is refused here and its transaction rolls back, changing nothing.
            if c.execute("UPDATE imports SET undone_at = ? WHERE id = ? AND undone_at IS NULL",
                         (_now(), import_id)).rowcount != 1:
                raise PeriError(f"import {import_id} was already undone (by another command at the same time)")
            out = {"annotations": c.execute("DELETE FROM annotations WHERE import_id = ?", (import_id,)).rowcount,
                   "sets": c.execute("DELETE FROM sets WHERE import_id = ?", (import_id,)).rowcount}
            out["sets"] += c.execute(
                "DELETE FROM sets WHERE session_id IN (SELECT id FROM sessions WHERE import_id = ?)", (import_id,)
            ).rowcount
            out["sessions"] = c.execute("DELETE FROM sessions WHERE import_id = ?", (import_id,)).rowcount
        return out

    def delete_sessions(self, athlete_id: int, day: str, name: str | None = None) -> dict[str, int]:
        """Delete the athlete's sessions on `day` (the date as stored, 'YYYY-MM-DD', any year: a 9999-01-01
        session included), optionally only those named `name`; all or nothing, sets and notes with them."""
        q = "SELECT id FROM sessions WHERE athlete_id = ? AND substr(started_at, 1, 10) = ?"
        args: list[Any] = [athlete_id, day]
        if name is not None:
            q += " AND name = ?"
            args.append(name)
        with self.transaction() as c:
            ids = [r[0] for r in c.execute(q, args)]
            if not ids:
                raise NotFound(f"no session on {day}" + (f" named {name!r}" if name else ""),
                               hint="`peri athlete show NAME` gives the first and last session dates")
            marks = ",".join("?" * len(ids))
            out = {"sets": c.execute(f"DELETE FROM sets WHERE session_id IN ({marks})", ids).rowcount,
                   "annotations": c.execute(f"DELETE FROM annotations WHERE session_id IN ({marks})", ids).rowcount,
                   "sessions": c.execute(f"DELETE FROM sessions WHERE id IN ({marks})", ids).rowcount}
        return out

    def reunit(self, athlete_id: int, from_unit: str, to_unit: str, since: dt.date | None = None,
               import_id: int | None = None) -> int:
        """Re-read the athlete's loads logged as `from_unit` as `to_unit` (only one import's, given `import_id`):
        the number as logged stays, its unit and kg value change. Undo by swapping the units. Returns the sets
        changed."""
        from .models import LB_TO_KG

        factor = LB_TO_KG if to_unit == "lb" else 1.0
        q = ("UPDATE sets SET unit = ?, weight_kg = ROUND(CAST(weight * ? AS NUMERIC), 4) WHERE unit = ? AND weight IS NOT NULL"
             + (" AND import_id = ?" if import_id is not None else "")
             + " AND session_id IN (SELECT id FROM sessions WHERE athlete_id = ?")
        args: list[Any] = [to_unit, factor, from_unit, *([import_id] if import_id is not None else []), athlete_id]
        if since is not None:
            q += " AND started_at >= ?"
            args.append(since.isoformat())
        with self.transaction() as c:
            return c.execute(q + ")", args).rowcount

    # --- whole-store dump, for before/after identity checks ---------------------------
    def dump(self) -> str:
        lines = []
        for t in DUMP_TABLES:
            for r in self.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2"):
                lines.append(f"{t}\t" + "\t".join(repr(v) for v in tuple(r)))
        return "\n".join(lines)
