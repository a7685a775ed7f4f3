"""Shared fixtures. Every test gets its own PERI_HOME so nothing touches the user's data."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from peri.log.store import Store

# The real exports live beside the repository, in ../shared/data; PERI_SHARED_DATA points elsewhere (the
# mutation run works in a copy of the repository, one folder deeper).
SHARED_DATA = Path(os.environ.get("PERI_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = tmp_path / "peri-home"
    h.mkdir()
    monkeypatch.setenv("PERI_HOME", str(h))
    return h


@pytest.fixture
def store(home: Path) -> Store:
    s = Store(home / "peri.db")
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that reads the real exports, so `-m 'not shared_data'` can leave them out knowingly."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)
