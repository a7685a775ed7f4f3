"""Which logged sessions are the same programme day: by name where the names mark days, else by content.

The rule coach plans a week as the athlete's own days (``coach.rule_plan``). A session's name is the
cheapest guide to its day ("Upper A", "Push", "SBS - Day 2"), but many real logs carry names that say
nothing about the day: apps name an untitled workout by the time of day ("Afternoon workout",
"Evening Workout"), some lifters name every session differently ("Week 9 Day 2"), and FitNotes has no
names at all (the weekday stands in). Grouping those by name puts an arms day and a bench day under one
"Afternoon workout", and the week that comes out repeats one mixed-up day.

So the names are trusted only when they behave like day names over the window being planned from:

* **they repeat**: at least half of the sessions share their name with another session, and
* **they agree with what was trained**: the sessions are grouped by content (average-linkage clustering of
  the Jaccard similarity of the sets of exercises trained, scipy, cut where two groups share less than
  ``SAME_DAY``), and at least ``AGREE`` of the sessions under repeated names sit in their name's main
  content group. (A name finer than the content, "Upper A" and "Upper B" in one content group, is fine;
  one name over two contents is not.)

Otherwise the content groups are the days. A content group is named by a name most of its sessions share
when that name belongs to it (80 % of the sessions carrying it are in the group), else by what it trains
("Upper", "Arms", "Chest+back"; ``profile.parts_labeller``), made unique with a letter.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from ..log.models import Session, SetType

# Two sessions of one programme day share most of their lifts; two different days (push and pull, upper and
# lower) share few. A third in common is where "the same day with variations" ends: 4 of 5 kept and one
# accessory swapped is 4/6 = 0.67, 3 of 5 kept is 3/7 = 0.43, 2 of 5 kept is 2/8 = 0.25.
SAME_DAY = 1 / 3
AGREE = 0.8  # share of a repeated name's sessions that must be one content group for names to count as days
OWN = 0.8  # share of a name's sessions in one content group for the name to belong to (and name) that group
MIN_SESSIONS = 3  # fewer sessions than this say nothing about how names behave: the names are kept


def _working(s: Session) -> frozenset[str]:
    """The exercises a session trained with at least one working set (catalog id, else the name as logged)."""
    return frozenset(w.exercise_id or w.exercise.strip().lower() for w in s.sets
                     if w.set_type != SetType.warmup and (w.reps or 0) > 0)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared exercises over all exercises of the two sessions (1.0 for two empty ones)."""
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def _top(counts: Counter) -> tuple[object, int]:
    """The most common item and its count (the first seen among equals)."""
    item = max(counts, key=counts.__getitem__)
    return item, counts[item]


def names_mark_days(sessions: Sequence[Session], name_key: Callable[[Session], str]) -> bool:
    """Whether the sessions' names behave like programme-day names (module docstring)."""
    if len(sessions) < MIN_SESSIONS:
        return True
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(sessions):
        groups.setdefault(name_key(s), []).append(i)
    repeated = [g for g in groups.values() if len(g) >= 2]
    if sum(map(len, repeated)) < len(sessions) / 2:
        return False
    content = content_groups(sessions)
    # the sessions of a repeated name that sit in that name's main content group
    agree = sum(_top(Counter(content[i] for i in g))[1] for g in repeated)
    return agree >= AGREE * sum(map(len, repeated))


def content_groups(sessions: Sequence[Session]) -> list[int]:
    """A group number per session (1, 2, ... in order of first appearance): sessions that trained mostly the
    same exercises share one."""
    if len(sessions) < 2:
        return [1] * len(sessions)
    contents = [_working(s) for s in sessions]
    n = len(contents)
    # condensed distance matrix, the order scipy's linkage expects (row-major upper triangle)
    distances = np.array([1.0 - jaccard(contents[i], contents[j]) for i in range(n) for j in range(i + 1, n)])
    labels = fcluster(linkage(distances, method="average"), t=1.0 - SAME_DAY, criterion="distance")
    renumber: dict[int, int] = {}
    return [renumber.setdefault(int(label), len(renumber) + 1) for label in labels]


def day_keys(sessions: Sequence[Session], name_key: Callable[[Session], str],
             parts: Callable[[Session], str], display_name: Callable[[Session], str]) -> tuple[list[str], dict[str, str]]:
    """The day key of each session (in order) and each key's display name.

    `name_key` is the session's day by name (the coach's), `display_name` how that name is shown, and
    `parts` what a session trains as a label ("upper", "chest+back"; "" when unknown), used to name a
    content group that no name belongs to.
    """
    if names_mark_days(sessions, name_key):
        keys = [name_key(s) for s in sessions]
        return keys, {k: display_name(s) for k, s in zip(keys, sessions)}
    numbers = content_groups(sessions)
    # a name belongs to a group when at least OWN of the sessions carrying it are in that group: a time-of-day
    # name spread over an arms day and a bench day names neither
    spread: dict[str, Counter[int]] = {}
    for s, n in zip(sessions, numbers):
        spread.setdefault(display_name(s), Counter())[n] += 1
    own = {name: _top(c)[0] for name, c in spread.items() if name and _top(c)[1] >= OWN * sum(c.values())}
    shown: dict[int, str] = {}
    for n in sorted(set(numbers)):
        members = [s for s, m in zip(sessions, numbers) if m == n]
        name, count = _top(Counter(display_name(s) for s in members))
        if own.get(name) != n or count <= len(members) / 2:
            # the group's sessions read as one: what the day trains, not what one of its sessions did
            name = parts(members[0].model_copy(update={"sets": [w for s in members for w in s.sets]})).capitalize()
        shown[n] = name
    # names two groups share (or none at all) get a letter: "Upper A", "Upper B", "Day A"; past Z a number
    taken = Counter(shown.values())
    seen: Counter[str] = Counter()
    for n, name in shown.items():
        if taken[name] > 1 or not name:
            i = seen[name]
            seen[name] += 1
            shown[n] = f"{name or 'Day'} {chr(ord('A') + i) if i < 26 else i + 1}"
    return [f"content:{n}" for n in numbers], {f"content:{n}": name for n, name in shown.items()}
