"""Blind side-by-side comparison: plans for one week from two or more approaches, shown as "Plan A / Plan B"
with the approach hidden, rated by the person, and only then revealed.

This is how a real athlete (no oracle) measures quality without the bias of knowing which approach wrote a
plan. Ratings go through `Store.rate` exactly as `peri rate` stores them, so they feed `peri prompt history`,
`peri eval` and the decision. The mapping from letters to generations is kept in `PERI_HOME/blind/<id>.json`
(never in the page).

A "pick the better one" choice is stored as ratings too, so a pick counts wherever a rating does
(`pick_ratings`). A pick says which plan is better, not how good either is, so a plan the person did not rate
gets a rating from the pick: the picked plan 4 and every other plan 2 — one step either side of the scale's
neutral 3, so a pick-only comparison moves the mean of the two approaches apart by the same amount up and
down and leaves their average at 3. A rating the person gave is kept as given; a derived one bends to it so
the pick still holds (the picked plan never below a plan it beat: at least the highest rating given to
another plan, and the others at most the picked plan's). A pick that contradicts the given ratings (Plan B
rated above Plan A, Plan A picked) is refused. Every rating stored from a comparison with a pick carries it
in its comment: `[blind pick: better than Plan B]` on the picked plan, `[blind pick: Plan A was picked]` on
the others, with `; rating from the pick` when the number was derived rather than given.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import secrets
import string
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, Field

from ..artefacts import read_model
from ..errors import ConfigError, NotFound, PeriError
from ..log.store import Store
from ..paths import peri_home
from ..plans.schema import Scenario

MIN_PLANS, MAX_PLANS = 2, 6


class Arm(BaseModel):
    """One approach to compare: a model spec and, for models, the prompt style and detail."""

    model: str
    style: str = "engineered"
    detail: int = 3

    @property
    def label(self) -> str:
        if self.model == "rules":
            return "rules (rule-based coach)"
        return f"{self.model} · {self.style}" + (f" · detail {self.detail}" if self.style == "engineered" else "")


class BlindSlot(BaseModel):
    letter: str
    generation_id: int
    arm: Arm
    rating: int | None = None  # the rating stored for this plan (given, or derived from the pick)
    comment: str | None = None  # what the person wrote
    from_pick: bool = False  # `rating` was derived from the pick, not given


PICKED, NOT_PICKED = 4, 2  # a pick's ratings: one step above and below the scale's neutral 3 (module docstring)


def pick_ratings(given: dict[str, int], better: str | None, letters: list[str]) -> dict[str, tuple[int, bool]]:
    """letter -> (rating to store, derived from the pick?) for the given 1-5 ratings and an optional pick.

    Without a pick only the given ratings are stored. With one, every plan gets a rating (module docstring);
    a given rating that puts another plan above the picked one is a ConfigError."""
    if better is None:
        return {k: (v, False) for k, v in given.items()}
    others = [k for k in letters if k != better]
    higher = sorted(k for k in others if k in given and better in given and given[k] > given[better])
    if higher:
        raise ConfigError(f"Plan {better} is picked as the better plan but Plan {', Plan '.join(higher)} is rated "
                          f"higher ({given[higher[0]]} against {given[better]})",
                          hint="change the pick or the ratings: the picked plan cannot be rated below another")
    top = max([given[k] for k in others if k in given], default=PICKED)
    picked = given[better] if better in given else max(PICKED, top)
    out = {better: (picked, better not in given)}
    for k in others:
        out[k] = (given[k], False) if k in given else (min(NOT_PICKED, picked), True)
    return out


def pick_note(letter: str, better: str, letters: list[str], derived: bool) -> str:
    """The comment note a rating from a comparison with a pick carries (module docstring)."""
    if letter == better:
        note = "blind pick: better than " + ", ".join(f"Plan {k}" for k in letters if k != better)
    else:
        note = f"blind pick: Plan {better} was picked"
    return f"[{note}{'; rating from the pick' if derived else ''}]"


class BlindComparison(BaseModel):
    id: str
    athlete: str
    week_of: dt.date | None
    scenario: str
    slots: list[BlindSlot]
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    rated_at: dt.datetime | None = None
    better: str | None = None  # the letter picked as better, when the person picked rather than (or as well as) rated

    @property
    def revealed(self) -> bool:
        return self.rated_at is not None


def blind_dir(home: Path | None = None) -> Path:
    return (home or peri_home()) / "blind"


def _path(cid: str, home: Path | None) -> Path:
    if not cid or any(c not in string.ascii_letters + string.digits + "-_" for c in cid) or len(cid) > 64:
        raise NotFound(f"no blind comparison {cid!r}")
    return blind_dir(home) / f"{cid}.json"


def save(c: BlindComparison, home: Path | None = None) -> None:
    d = blind_dir(home)
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / f".{c.id}.{secrets.token_hex(4)}.tmp"
    tmp.write_text(c.model_dump_json(indent=2))
    os.replace(tmp, _path(c.id, home))  # atomic: two tabs never see half a file


def load(cid: str, home: Path | None = None) -> BlindComparison:
    p = _path(cid, home)
    if not p.is_file():
        raise NotFound(f"no blind comparison {cid!r}", hint="start one on the Blind comparison page")
    return read_model(p, BlindComparison, what="blind comparison",
                      remake="start a new comparison on the Blind comparison page")


def start_comparison(
    store: Store, athlete: str, arms: list[Arm], *, as_of: dt.date | None = None,
    scenario: Scenario | str = Scenario.normal, home: Path | None = None,
    progress: Callable[[int, int, Arm], None] | None = None, rng: random.Random | None = None,
) -> BlindComparison:
    """Generate one plan per arm for the same week, shuffle them into letters, and save the hidden mapping.

    An arm whose model gives no usable plan is left out (its generation stays recorded); fewer than two
    usable plans is an error naming the arms that failed."""
    from ..generate import generate_plan

    if not MIN_PLANS <= len(arms) <= MAX_PLANS:
        raise ConfigError(f"a blind comparison needs {MIN_PLANS} to {MAX_PLANS} approaches, got {len(arms)}",
                          hint="choose at least two approaches")
    store.get_athlete(athlete)
    scenario = Scenario(scenario)
    made: list[tuple[int, Arm]] = []
    failed: list[str] = []
    for i, arm in enumerate(arms, 1):
        g = generate_plan(store, athlete, arm.model, scenario=scenario, detail=arm.detail,
                          prompt_style=arm.style, as_of=as_of, repair=True)  # type: ignore[arg-type]
        if g.valid and g.id is not None:
            made.append((g.id, arm))
        else:
            failed.append(f"{arm.label}: {g.error or 'no usable plan'}")
        if progress:
            progress(i, len(arms), arm)
    if len(made) < MIN_PLANS:
        raise ConfigError("fewer than two approaches gave a usable plan: " + "; ".join(failed),
                          hint="try again, or choose other approaches")
    (rng or secrets.SystemRandom()).shuffle(made)
    slots = [BlindSlot(letter=string.ascii_uppercase[i], generation_id=gid, arm=arm) for i, (gid, arm) in enumerate(made)]
    c = BlindComparison(id=secrets.token_urlsafe(9), athlete=athlete, week_of=as_of, scenario=scenario.value, slots=slots)
    save(c, home)
    return c


def rate_comparison(
    store: Store, cid: str, ratings: dict[str, int | None], comments: dict[str, str | None] | None = None,
    better: str | None = None, *, home: Path | None = None,
) -> BlindComparison:
    """Store each given 1-5 rating with `Store.rate` (as `peri rate` does), record the pick, and reveal.

    At least one rating or a pick is needed; a comparison is rated once (a second submission, e.g. from
    another tab, is refused rather than silently doubling the ratings)."""
    with _locked(home):
        return _rate(store, cid, ratings, comments, better, home)


@contextlib.contextmanager
def _locked(home: Path | None) -> Iterator[None]:
    """One rater at a time (two tabs, two processes): the check for "already rated" and the write are one step."""
    import fcntl

    d = blind_dir(home)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / ".lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _rate(store: Store, cid: str, ratings: dict[str, int | None], comments: dict[str, str | None] | None,
          better: str | None, home: Path | None) -> BlindComparison:
    c = load(cid, home)
    if c.revealed:
        raise ConfigError("this comparison is already rated: its approaches are shown below",
                          hint="start a new blind comparison to rate again")
    letters = {s.letter for s in c.slots}
    comments = comments or {}
    unknown = (set(ratings) | ({better} if better else set())) - letters
    if unknown:
        raise ConfigError(f"no plan {', '.join(sorted(unknown))} in this comparison")
    given = {k: v for k, v in ratings.items() if v is not None}
    for k, v in given.items():
        if not 1 <= v <= 5:
            raise ConfigError(f"rating {v} for Plan {k} is outside 1-5", place=f"Plan {k}")
    if not given and not better:
        raise ConfigError("rate at least one plan 1-5, or pick the better one", hint="nothing was recorded")
    order = [s.letter for s in c.slots]
    stored = pick_ratings(given, better, order)
    with store.transaction():  # all ratings or none
        for s in c.slots:
            if s.letter in stored:
                rating, derived = stored[s.letter]
                comment = (comments.get(s.letter) or "").strip() or None
                note = pick_note(s.letter, better, order, derived) if better else None
                store.rate(s.generation_id, rating, " ".join(x for x in (comment, note) if x) or None)
                s.rating, s.comment, s.from_pick = rating, comment, derived
    c.better = better
    c.rated_at = dt.datetime.now(dt.timezone.utc)
    save(c, home)
    return c


def list_comparisons(athlete: str | None = None, home: Path | None = None) -> list[BlindComparison]:
    d = blind_dir(home)
    out = []
    for p in sorted(d.glob("*.json")) if d.is_dir() else []:
        try:
            c = load(p.stem, home)
        except PeriError:  # a damaged comparison is named when it is opened; the list leaves it out
            continue
        if athlete is None or c.athlete == athlete:
            out.append(c)
    return sorted(out, key=lambda c: c.created_at, reverse=True)


def parse_arm(value: str) -> Arm:
    """"MODEL|STYLE|DETAIL" (the web form's value; style and detail optional) -> Arm."""
    parts = value.split("|")
    try:
        arm = Arm(model=parts[0].strip(), style=(parts[1] if len(parts) > 1 else "engineered") or "engineered",
                  detail=int(parts[2]) if len(parts) > 2 and parts[2] else 3)
    except ValueError:
        raise ConfigError(f"not an approach: {value!r}", hint="MODEL|STYLE|DETAIL, e.g. embedded|engineered|3") from None
    if arm.style not in ("engineered", "short", "hybrid") or arm.detail not in range(5) or not arm.model:
        raise ConfigError(f"not an approach: {value!r}", hint="style engineered, short or hybrid; detail 0-4")
    from ..model_spec import ModelSpec

    ModelSpec.parse(arm.model)  # a mistyped spec is named now, not after a job has started
    return arm


def json_of(c: BlindComparison) -> str:
    return json.dumps(c.model_dump(mode="json"))
