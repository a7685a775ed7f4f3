"""A throw-away PostgreSQL server from the system's own binaries, for tests and benchmarks.

`initdb` + `pg_ctl` in a folder of its own, listening on a unix socket in that folder only (no TCP), trust
authentication for the role `peri`. PostgreSQL refuses to run as root, so under root the server runs as
`nobody` (via `runuser`), with the folder handed to that user. The binaries are looked up in
PERI_PG_BIN, then /usr/lib/postgresql/<newest>/bin (Debian, Ubuntu), then PATH; `scripts/setup.sh`
installs the server package when none is found.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import uuid
from pathlib import Path

from ..errors import ConfigError

ROLE = "peri"


def find_pg_bin() -> Path:
    """The folder holding initdb and pg_ctl, or ConfigError saying how to install them."""
    env = os.environ.get("PERI_PG_BIN")
    candidates = [Path(env)] if env else []
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates += [Path(p) for p in reversed(versions)]
    which = shutil.which("initdb")
    if which:
        candidates.append(Path(which).parent)
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    raise ConfigError("no PostgreSQL server binaries (initdb, pg_ctl) found",
                      hint="install them (Debian/Ubuntu: apt-get install postgresql) or set PERI_PG_BIN to their folder")


class LocalPostgres:
    """One PostgreSQL server in `root` (created), started by `start()` and stopped by `stop()` (or `with`)."""

    def __init__(self, root: Path | str, *, fast: bool = False):
        """`fast`: fsync off, for tests that create many databases (a killed process still loses nothing:
        only a crash of the machine itself would)."""
        self.root = Path(root)
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.fast = fast
        self.bin = find_pg_bin()
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb: "cannot be run as root"
            runuser = shutil.which("runuser")
            if not runuser:
                raise ConfigError("PostgreSQL cannot run as root and runuser is missing", hint="run the tests as a normal user")
            self._as = [runuser, "-u", "nobody", "--"]

    def _run(self, *args: str) -> None:
        proc = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise ConfigError(f"{Path(args[0]).name} failed: {(proc.stderr or proc.stdout).strip()[-800:]}",
                              place=str(self.root))

    def start(self) -> str:
        """initdb + pg_ctl start; returns the URL of the `postgres` database."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self._as:
            for p in (self.root, self.socket_dir):
                shutil.chown(p, "nobody")
            self.root.chmod(0o755)
        if not (self.data / "PG_VERSION").exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", ROLE, "--auth=trust", "-E", "UTF8",
                      "--locale=C", "--no-sync")
        opts = f"-k {self.socket_dir} -c listen_addresses='' -c max_connections=200"
        if self.fast:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.root / "server.log"),
                  "-w", "-t", "60", "start")
        return self.url("postgres")

    def url(self, dbname: str) -> str:
        return f"postgresql://{ROLE}@/{dbname}?host={self.socket_dir}"

    def create_database(self, name: str | None = None) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def __enter__(self) -> "LocalPostgres":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
