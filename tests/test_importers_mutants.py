"""Importers pinned down where mutmut found them loose (issue 20): values parsed from cells and small files
written here, every expected value worked out by hand (not read back from the module's own constants)."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.importers import base


def test_pounds_become_kilograms_by_hand() -> None:
    # 1 lb = 0.45359237 kg exactly: 225 lb = 102.05828325 kg, 45 lb = 20.41165665 kg (four decimals kept)
    assert base.to_kg(225, "lb") == 102.0583
    assert base.to_kg(45, "lb") == 20.4117
    assert base.to_kg(102.58333, "kg") == 102.5833
    assert base.to_kg(None, "lb") is None


@pytest.mark.parametrize("text, value", [
    ("102,5", 102.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1 234,5", 1234.5), ("1,234,567", 1234567.0),
    ("149.99999999999997", 150.0), ("  7 ", 7.0), ("", None), ("   ", None),
])
def test_parse_number_by_hand(text: str, value: float | None) -> None:
    assert base.parse_number(text, "weight") == value


def test_parse_duration_by_hand() -> None:
    assert base.parse_duration("1h 3m") == 3780.0
    assert base.parse_duration("45s") == 45.0
    assert base.parse_duration("1:02:03") == 3723.0
    assert base.parse_duration("2:05") == 125.0
    assert base.parse_duration("90") == 90.0
    assert base.parse_duration("1,5 min") == 90.0
    assert base.parse_duration("") is None


def test_parse_datetime_shapes_by_hand() -> None:
    assert base.parse_datetime("7 Apr 2026, 10:14") == dt.datetime(2026, 4, 7, 10, 14)
    assert base.parse_datetime("Jan 7, 2024, 5:15 PM") == dt.datetime(2024, 1, 7, 17, 15)
    assert base.parse_datetime("2024-01-07 12:05 AM") == dt.datetime(2024, 1, 7, 0, 5)
    assert base.parse_datetime("07.01.2024, 17:15") == dt.datetime(2024, 1, 7, 17, 15)
