"""The dialect module pinned down where mutmut found it loose (issue 20, mutation7b): words and headers written
here by hand, every expected value worked out by hand (never read back from the module's own tables)."""
from __future__ import annotations

import pytest

from peri.log.importers.dialect import ambiguous_column


@pytest.mark.parametrize("header, kind", [
    ("Time", "time"), ("  TIME ", "time"), ("Uhrzeit", "time"), ("Heure", "time"), ("Время", "time"),
    ("Duration", "duration"), ("Durée", "duration"), ("Duração", "duration"), ("length", "duration"),
    ("Dauer", "duration"),
    # named more fully, the column says what it holds: not ambiguous
    ("Time of day", None), ("Duration (s)", None), ("Weight", None), ("", None),
])
def test_ambiguous_column_by_its_name_alone(header: str, kind: str | None) -> None:
    assert ambiguous_column(header) == kind
