"""Shared fixtures. Every test gets its own PERI_HOME so nothing touches the user's data."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from peri.log.store import Store

# The real exports live beside the repository, in ../shared/data; PERI_SHARED_DATA points elsewhere (the
# mutation run works in a copy of the repository, one folder deeper).
SHARED_DATA = Path(os.environ.get("PERI_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")

# Generated tests draw the same examples on every run (derandomized), so CI passes or fails on the code, never on
# the draw: a fresh random draw once failed CI on a bug no change had touched. PERI_HYPOTHESIS=explore draws new
# examples (run it when changing a module; what it finds becomes a fixed test).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
_hypothesis_settings.register_profile("explore", derandomize=False)
_hypothesis_settings.load_profile("explore" if os.environ.get("PERI_HYPOTHESIS") == "explore" else "repeatable")


@pytest.fixture(autouse=True)
def _machine_zone_utc(monkeypatch: pytest.MonkeyPatch):
    """Timestamps written in UTC (`...Z`) are read in the machine's zone (`peri.log.importers.zones`): every test
    runs as if on a machine in UTC, wherever it runs; a test of another zone sets it itself."""
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", "UTC")


@pytest.fixture(scope="session", autouse=True)
def _one_base_cache_per_session(tmp_path_factory: pytest.TempPathFactory):
    """One cache of the dequantized base model (`peri.tune.base_cache`) for the whole session, shared by every test,
    CLI subprocess and Ray worker (they inherit the environment): the GGUF's conversion (~35 CPU s) is paid once,
    not by each test that trains in a fresh PERI_HOME. The cache's own tests use folders of their own."""
    with pytest.MonkeyPatch.context() as mp:
        if not os.environ.get("PERI_BASE_CACHE"):
            # under pytest-xdist every worker has a temporary root of its own inside one shared by the run: the
            # cache goes there, so the workers share it too (its file lock lets one convert while the other waits)
            root = tmp_path_factory.getbasetemp()
            shared = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root
            cache = shared / "base-cache"
            cache.mkdir(exist_ok=True)
            mp.setenv("PERI_BASE_CACHE", str(cache))
        yield


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Path:
    h = tmp_path / "peri-home"
    h.mkdir()
    monkeypatch.setenv("PERI_HOME", str(h))
    monkeypatch.delenv("PERI_DATABASE_URL", raising=False)
    if TEST_STORE == "postgres":  # the CLI and every Store(store_target()) then use a fresh PostgreSQL database
        monkeypatch.setenv("PERI_DATABASE_URL", request.getfixturevalue("pg_server").create_database())
    return h


# PERI_TEST_STORE=postgres runs every test that uses `store` (and the CLI, through PERI_DATABASE_URL) on a
# real PostgreSQL server the tests start; the default is the embedded SQLite file.
TEST_STORE = os.environ.get("PERI_TEST_STORE", "sqlite")


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server from the system's binaries, in a temporary folder, stopped after the session.

    A failure, not a skip, when it cannot start: CI must run the PostgreSQL tests, and a person is told why.
    """
    import shutil
    import tempfile

    from peri.log.pg_local import LocalPostgres

    root = tempfile.mkdtemp(prefix="peri-pg-")  # under /tmp itself: the server may run as another user
    try:
        server = LocalPostgres(root, fast=True)
        server.start()
    except Exception as e:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"the PostgreSQL tests need a local server and it did not start: {e}. Install the server package "
                    "(scripts/install.sh does: apt-get install postgresql) or set PERI_PG_BIN to the folder of initdb "
                    "and pg_ctl; psycopg comes with the `postgres` extra", pytrace=False)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def open_test_store(kind: str, home: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A fresh store of `kind` (sqlite: PERI_HOME/peri.db; postgres: a new database, also the CLI's via
    PERI_DATABASE_URL)."""
    if kind == "postgres":
        url = request.getfixturevalue("pg_server").create_database()
        monkeypatch.setenv("PERI_DATABASE_URL", url)
        return Store(url)
    return Store(home / "peri.db")


@pytest.fixture
def store(home: Path) -> Store:
    from peri.log.store import store_target

    s = Store(store_target())  # the same database the CLI opens in this test
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(home: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The same test on both stores, always (tests of the store contract itself)."""
    s = open_test_store(request.param, home, request, monkeypatch)
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    """The real app exports in ../shared/data (read in place, never copied)."""
    if not SHARED_DATA.exists():
        # A failure, not a skip: CI has ../shared and must run these; a person's clone does not, and is told why.
        pytest.fail(f"the real app exports these tests read are not at {SHARED_DATA}: they live in ../shared/data "
                    "beside the repository (not part of a clone); set PERI_SHARED_DATA to their folder, or deselect "
                    "the tests that use them with -m 'not shared_data'")
    return SHARED_DATA


@pytest.fixture(scope="session")
def embedded_hf_tokenizer():
    """The embedded model's tokenizer as Hugging Face reads it from the GGUF (`AutoTokenizer`, ~5 s: it parses the
    whole vocabulary), once per session; tests only encode and render chat templates with it."""
    from transformers import AutoTokenizer

    from peri.paths import embedded_model_path

    gguf = embedded_model_path()
    return AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)


@pytest.fixture(scope="session")
def _embedded_base_once():
    from peri.tune.base_model import load_base

    return load_base(None)


@pytest.fixture
def embedded_base(_embedded_base_once):
    """The embedded model as a trainable Hugging Face model (`peri.tune.base_model.load_base(None)`), loaded once
    per session (dequantizing the GGUF is the slow part of every test that trains or compares it) and handed to
    each test as its own deep copy: a test wraps it in LoRA layers or trains it, and none of that reaches the next."""
    import copy

    return copy.deepcopy(_embedded_base_once)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that reads the real exports, so `-m 'not shared_data'` can leave them out knowingly."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)
