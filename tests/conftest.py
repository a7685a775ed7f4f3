"""Shared fixtures. Every test gets its own PERI_HOME so nothing touches the user's data."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.log.store import Store

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


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
        pytest.fail(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
