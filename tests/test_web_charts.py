"""`peri.web.charts`: the athlete page's chart is drawn once per distinct content, and redrawn when the log changes."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.stats import WeekStats
from peri.web import charts


@pytest.fixture
def drawn(monkeypatch):
    """Count the matplotlib draws behind stats_svg (the cache starts empty)."""
    import peri.log.stats as stats

    calls: list[int] = []
    real = stats.stats_plot

    def counting(weeks, path, **kw):
        calls.append(len(weeks))
        return real(weeks, path, **kw)

    monkeypatch.setattr(stats, "stats_plot", counting)
    monkeypatch.setattr(charts, "_DRAWN", type(charts._DRAWN)())
    return calls


def weeks(sets: int) -> list[WeekStats]:
    return [WeekStats(week_start=dt.date(2026, 3, 2), sessions=2, sets=sets),
            WeekStats(week_start=dt.date(2026, 3, 9), sessions=3, sets=18)]


def test_the_same_weeks_are_drawn_once_and_give_the_same_svg(drawn) -> None:
    a = charts.stats_svg(weeks(12), "ana: training trends", "kg")
    b = charts.stats_svg(weeks(12), "ana: training trends", "kg")
    assert a == b and a.startswith("<svg") and drawn == [2]


@pytest.mark.parametrize("change", ["sets", "title", "unit"])
def test_anything_shown_that_changes_draws_again(drawn, change: str) -> None:
    first = charts.stats_svg(weeks(12), "ana: training trends", "kg")
    again = charts.stats_svg(weeks(13) if change == "sets" else weeks(12),
                             "bob: training trends" if change == "title" else "ana: training trends",
                             "lb" if change == "unit" else "kg")
    assert drawn == [2, 2] and first != again


def test_the_cache_keeps_the_newest_charts_only(drawn, monkeypatch) -> None:
    monkeypatch.setattr(charts, "_DRAWN_MAX", 2)
    for n in (10, 11, 12):
        charts.stats_svg(weeks(n), "t", "kg")
    charts.stats_svg(weeks(12), "t", "kg")  # kept: no draw
    charts.stats_svg(weeks(10), "t", "kg")  # the oldest was dropped: drawn again
    assert len(drawn) == 4 and len(charts._DRAWN) == 2
