"""Everything known about one athlete up to a date: the single input of coach, prompts and datasets.

`as_of` is exclusive, so evaluation can hand a planner exactly the history before a held-out week.
"""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from .models import Annotation, Athlete, Session
from .store import Store


class AthleteContext(BaseModel):
    athlete: Athlete
    sessions: list[Session]
    annotations: list[Annotation]
    as_of: dt.date  # the first day NOT included (the week being planned starts here)

    def week_start(self) -> dt.date:
        """Monday of the week being planned."""
        return self.as_of - dt.timedelta(days=self.as_of.weekday())


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday())


def load_context(store: Store, athlete_name: str, as_of: dt.date | None = None) -> AthleteContext:
    """History strictly before `as_of` (default: the Monday after the last logged session), with the
    athlete's unstated profile fields derived from it (`peri.log.profile.profiled`)."""
    athlete = store.get_athlete(athlete_name)
    assert athlete.id is not None
    if as_of is None:
        sessions = store.sessions(athlete.id)
        last = sessions[-1].day if sessions else dt.date.today()
        as_of = next_monday(last)
        sessions = [s for s in sessions if s.day < as_of]
    else:
        sessions = store.sessions(athlete.id, until=as_of)
    annotations = store.annotations(athlete.id, until=as_of)
    from .profile import profiled  # profile reads contexts: imported here, not at the top

    # the profile as the person stated it, and what they did not state as this history shows it
    return profiled(AthleteContext(athlete=athlete, sessions=sessions, annotations=annotations, as_of=as_of))
