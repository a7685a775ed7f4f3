"""Everything known about one athlete up to a date: the single input of coach, prompts and datasets.

`as_of` is exclusive, so evaluation can hand a planner exactly the history before a held-out week.
"""
from __future__ import annotations

import datetime as dt

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel, Field

from ..errors import ConfigError
from .models import Annotation, Athlete, Session
from .store import Store


class AthleteContext(BaseModel):
    athlete: Athlete
    sessions: list[Session]
    annotations: list[Annotation]
    as_of: dt.date  # the first day NOT included (the week being planned starts here)
    warnings: list[str] = Field(default_factory=list)  # e.g. sessions left out for an impossible date

    def week_start(self) -> dt.date:
        """Monday of the week being planned."""
        return self.as_of - dt.timedelta(days=self.as_of.weekday())


# Dates a training log can hold. Importers refuse rows outside this window, but stores written before
# they did may still hold a session dated 0001 or 9999: every reader leaves those out (with a warning)
# instead of walking 100,000 empty weeks or overflowing the calendar.
FIRST_PLAUSIBLE_DAY = dt.date(1970, 1, 1)
FUTURE_DAYS = 366

T = TypeVar("T")


def plausible_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(first, last) day a logged session may have: 1970-01-01 to a year after `today`."""
    today = today or dt.date.today()
    return FIRST_PLAUSIBLE_DAY, today + dt.timedelta(days=FUTURE_DAYS)


def plausible(items: Iterable[T], day_of: Callable[[T], dt.date], today: dt.date | None = None) -> tuple[list[T], list[T]]:
    """Split `items` into those dated inside the plausible window and those outside it."""
    first, last = plausible_window(today)
    kept: list[T] = []
    out: list[T] = []
    for item in items:
        (kept if first <= day_of(item) <= last else out).append(item)
    return kept, out


def plausible_sessions(sessions: Sequence[Session], today: dt.date | None = None) -> tuple[list[Session], list[str]]:
    """The sessions dated inside the plausible window, and a warning naming the ones left out."""
    kept, out = plausible(sessions, lambda s: s.day, today)
    return kept, [_left_out(out)] if out else []


def _left_out(out: Sequence[Session]) -> str:
    days = sorted({s.day.isoformat() for s in out})
    shown = ", ".join(days[:3]) + (f" and {len(days) - 3} more" if len(days) > 3 else "")
    first, last = plausible_window()
    return (f"{len(out)} session(s) with an impossible date left out ({shown}; kept: {first} to {last}); "
            "`peri import undo` removes them")


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday())


def load_context(store: Store, athlete_name: str, as_of: dt.date | None = None) -> AthleteContext:
    """History strictly before `as_of` (default: the Monday after the last logged session), with the
    athlete's unstated profile fields derived from it (`peri.log.profile.profiled`)."""
    if as_of is not None:
        first, last = plausible_window()
        if not first <= as_of <= last + dt.timedelta(days=7):
            # a planning date outside the window a log can hold: every week walk and window below would
            # run off the calendar (0001, 9999) or plan for a century away
            raise ConfigError(f"{as_of} is outside the dates a training log can hold", place="--as-of",
                              hint=f"give a date from {first} to {last}")
    athlete = store.get_athlete(athlete_name)
    assert athlete.id is not None
    sessions, warnings = plausible_sessions(store.sessions(athlete.id, until=as_of))
    if as_of is None:
        last = sessions[-1].day if sessions else dt.date.today()
        as_of = next_monday(last)
        sessions = [s for s in sessions if s.day < as_of]
    annotations, _ = plausible(store.annotations(athlete.id, until=as_of), lambda a: a.date)
    from .profile import profiled  # profile reads contexts: imported here, not at the top

    # the profile as the person stated it, and what they did not state as this history shows it
    return profiled(AthleteContext(athlete=athlete, sessions=sessions, annotations=annotations, as_of=as_of,
                                   warnings=warnings))
