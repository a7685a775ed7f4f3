"""Profile derivation pinned down where mutmut found it loose (issue 20): every evidence sentence and value
written out by hand for small logs built here."""
from __future__ import annotations

import datetime as dt

from peri.log.models import Session, WorkoutSet
from peri.log.profile import derive_days

MONDAY = dt.date(2026, 1, 5)


def _day(day: dt.date) -> Session:
    return Session(started_at=dt.datetime.combine(day, dt.time(18)),
                   sets=[WorkoutSet(exercise="Squat", weight_kg=100, reps=5)])


def test_derive_days_evidence_by_hand() -> None:
    # weeks of 3, 1 and 2 distinct days (two sessions on one Monday count once): median 2, mean 2.0
    days = [MONDAY, MONDAY, MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4),
            MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=14), MONDAY + dt.timedelta(days=20)]
    f = derive_days([_day(d) for d in days], 3)
    assert f.value == 2
    assert f.source.evidence == "median 2 training days a week over the last 3 active weeks (mean 2.0; weeks: 3 1 2)"
    assert (f.source.phrase, f.source.short) == ("~2 training days a week", "~2x/wk")
    # one week of two days; then weeks of 1 and 2 days: a median of 1.5 rounds up to 2
    one = derive_days([_day(MONDAY), _day(MONDAY + dt.timedelta(days=1))], 1)
    assert one.value == 2 and one.source.evidence == ("median 2 training days a week over the one week logged "
                                                      "(mean 2.0; weeks: 2)")
    half = derive_days([_day(MONDAY), _day(MONDAY + dt.timedelta(days=7)), _day(MONDAY + dt.timedelta(days=9))], 2)
    assert half.value == 2 and half.source.evidence.startswith("median 1.5 training days a week over the last 2")
    none = derive_days([], 0)
    assert none.value is None and none.source.kind == "unknown" and none.source.evidence == "no sessions logged"
