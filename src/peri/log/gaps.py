"""What a log does not show that a week's plan would need — said with the plan, never papered over.

A plan is read from the log: days a week, exercises, loads, progression. A log of one session, of runs and
planks only, of bodyweight sets only, of one lift, or one that ended two years ago still yields a plan (the
rule coach falls back to a template, a model writes something), and that plan looks as sure as one read
from a year of training. `log_gaps(ctx, aliases)` names each thing the plan could not read, and what the
person can do about it, so every face (the plan page, `peri plan`, the athlete page, `peri athlete show`)
says it beside the plan instead of leaving the person to guess why the plan looks generic.

Each `Gap` says what is missing (`says`) and the next step (`next`, naming the web page and the command);
`kind` is stable for code and tests. Thresholds are the smallest evidence the planners read from: the
profile derives days a week from the last active weeks and the rule coach progresses from the last
sessions of each lift (`plans.coach`).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel

from .context import AthleteContext, next_monday
from .models import SetType

# Fewer sessions than this and "days a week", the usual exercises and their progression are read from a
# handful of days: two weeks of a three-day routine is the least that shows a week's shape.
FEW_SESSIONS = 6
# A break longer than this before the planned week: the last loads are from before it (detraining shows
# within a few weeks off; the rule coach only progresses from recent sessions).
BREAK_DAYS = 28
# The window the plan reads "what you train now" from (the profile and the rule coach look back about as far).
RECENT_DAYS = 56
# A log that ended longer ago than this is planned for the week after it ends, not for now.
PAST_DAYS = 56
# More than this share of recent working sets under names the catalog does not know: the checker only
# guesses their muscles and risks from the name.
UNMAPPED_SHARE = 0.5


class Gap(BaseModel):
    """One thing the log does not show: `kind` (stable), what is missing, and what to do next."""

    kind: str
    says: str
    next: str

    def line(self) -> str:
        """The gap as one sentence for a terminal or a list item."""
        return f"{self.says}; {self.next}"


def _working(ctx: AthleteContext, since: dt.date) -> list:
    return [st for s in ctx.sessions if s.day >= since for st in s.sets if st.set_type != SetType.warmup]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def log_gaps(ctx: AthleteContext, aliases: dict[str, str] | None = None, today: dt.date | None = None) -> list[Gap]:
    """What `ctx`'s log (the history before the planned week) does not show that a plan needs.

    `aliases` are the store's name -> catalog id mappings (a name mapped there is known); `today` is the
    clock (tests pass it). An empty list means the log shows enough to plan from.
    """
    today = today or dt.date.today()
    aliases = {k.strip().lower(): v for k, v in (aliases or {}).items()}
    name = ctx.athlete.name
    sessions = ctx.sessions
    if not sessions:
        return [Gap(kind="no_sessions", says="the log holds no training sessions: days, exercises and loads cannot be "
                    "read from you (a plan from it is a generic template)",
                    next=f"import your app's export (the Import page, or `peri import auto FILE -a {name}`), or "
                    "state your days a week, goal and equipment on the profile")]
    gaps: list[Gap] = []
    last = sessions[-1].day
    week = ctx.week_start()
    if len(sessions) < FEW_SESSIONS:
        gaps.append(Gap(kind="few_sessions",
                        says=f"the log holds only {_plural(len(sessions), 'session')}: days a week, your usual "
                        "exercises and their progression are read from too little to be sure",
                        next="log a few more weeks and plan again, or state your days a week and goal on the "
                        f"profile (`peri athlete set {name}`)"))
    off = (week - last).days
    if off > BREAK_DAYS:
        gaps.append(Gap(kind="break",
                        says=f"nothing is logged in the {off // 7} weeks before the planned week (the last session "
                        f"is {last}): the loads and exercises come from before the break",
                        next="start lighter than your last loads and build back; check the loads against how "
                        "you feel in the first sessions"))
    elif (today - week).days > PAST_DAYS:
        gaps.append(Gap(kind="past",
                        # "the history before the planned week", not "the log": a plan asked for a past week
                        # (--as-of) reads a log that may go on after it
                        says=f"the log a plan reads ends on {last}, {(today - last).days // 7} weeks ago: a plan "
                        f"from it is for the week of {week}, the week after it, not for now",
                        next="to plan from now, choose the coming week in the Plans page's 'week of' (`peri plan "
                        f"-a {name} --as-of {next_monday(today)}`); after a long break start lighter than the "
                        "log's last loads"))
    recent = _working(ctx, week - dt.timedelta(days=RECENT_DAYS)) or _working(ctx, last - dt.timedelta(days=RECENT_DAYS))
    loaded = [st for st in recent if st.reps and (st.weight_kg or 0) > 0]
    with_reps = [st for st in recent if st.reps]
    if recent and not with_reps:
        gaps.append(Gap(kind="no_reps",
                        says=f"the log's recent sets are timed or distance work only ({_plural(len(recent), 'set')}: "
                        "runs, rides, holds): peri plans strength training from sets of reps, so the exercises "
                        "and their doses in a plan are a template, not read from you",
                        next="import a log that holds your lifting, or state your goal and equipment on the "
                        "profile so the template fits you"))
    elif with_reps and not loaded:
        gaps.append(Gap(kind="no_loads",
                        says=f"the log's recent sets carry no load ({_plural(len(with_reps), 'set')} of bodyweight "
                        "or unweighted work): the plan progresses reps, it cannot suggest a weight",
                        next="if you lifted weights, check that the file's weight column was read (the import's "
                        "report names the columns it read), or log the load you use"))
    names = Counter(st.exercise.strip().lower() for st in with_reps)
    if len(names) == 1:
        only = next(st.exercise for st in with_reps)
        gaps.append(Gap(kind="one_exercise",
                        says=f"the log's recent training is one exercise ({only}): the rest of a week's training "
                        "cannot be read from it",
                        next="state your goal, split and equipment on the profile, or import the log of your "
                        "whole training"))
    unknown = [st for st in with_reps if st.exercise_id is None and st.exercise.strip().lower() not in aliases]
    if with_reps and len(unknown) > UNMAPPED_SHARE * len(with_reps):
        shown = sorted({st.exercise for st in unknown})
        listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
        gaps.append(Gap(kind="unmapped",
                        says=f"{len(unknown)} of {len(with_reps)} recent sets are under names the catalog does not "
                        f"know ({listed}): their muscles and risks are guessed from the name",
                        next=f"map them on the Exercises page (`peri catalog unmapped -a {name} --suggest`)"))
    return gaps
