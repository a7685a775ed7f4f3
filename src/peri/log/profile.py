"""An athlete's profile with the source of every field: stated by the person, derived from the log, or unknown.

An import brings sessions, not a profile: nobody told peri how often they train or what for. So each profile
field (`PROFILE_FIELDS`: level, days_per_week, goal, split, equipment) carries a `FieldSource`:

- ``stated``: the person said it (`peri athlete add/set` flags; a simulated athlete's spec);
- ``derived``: read from the log, with the evidence in a short string ("3.1 training days a week over the
  last 12 active weeks"), and a phrase that words it as what the log shows, never as a claim;
- ``unknown``: neither. The field keeps the model's default value only so the coach and checker have
  something to compute with; prompts and datasets leave it out.

`derive_profile(ctx)` derives every field that is not stated from the history in `ctx` (strictly before
`ctx.as_of`, so an evaluation or a dataset week sees only its past); `profiled(ctx)` is `ctx` with those
values and sources applied to the athlete. It is idempotent: a derived field is derived again from the
context it is given.

How each field is read (last 12 active weeks, i.e. weeks with a session, within the last year):
- days_per_week: the median of the distinct training days per active week (weeks off do not pull it
  down, nor does a holiday week or the half week an export ends in), halves rounded up;
- split: workout names first (push/pull/legs, upper/lower, full body, body-part words), else the muscles
  each session trained (upper, lower, push, pull, one body part, or both halves);
- level: relative strength (best squat/bench/deadlift e1RM over body mass) when body mass is stated, else
  the log's span (at least a year of logged training: intermediate; four: advanced); a short log says
  nothing about experience (it may just have started late), so it stays unknown;
- goal: the rep ranges of working sets (mostly 1-5: strength; 6-12: hypertrophy; over 15: endurance);
- equipment: the equipment of the exercises the log uses (the catalog's, or a guessed name's).
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from .context import AthleteContext
from .models import PROFILE_FIELDS, Athlete, FieldSource, Goal, Level, Session, SetType, WorkoutSet

WINDOW_WEEKS = 12  # active weeks read for days, split and goal
LOOKBACK_DAYS = 365
LOWER = {"quadriceps", "hamstrings", "glutes", "calves", "adductors", "abductors"}
PUSH = {"chest", "shoulders", "triceps"}
PULL = {"lats", "middle back", "biceps", "traps", "forearms"}
BODY_PARTS = {"chest": {"chest"}, "back": {"lats", "middle back", "traps", "lower back"},
              "shoulders": {"shoulders"}, "arms": {"biceps", "triceps", "forearms"}, "legs": LOWER}
# Session-name words that name a split (any language peri's users were seen to use is welcome here).
_NAME_WORDS: dict[str, tuple[str, ...]] = {
    "push": ("push",), "pull": ("pull",), "legs": ("legs", "leg day", "leg"),
    "upper": ("upper", "oberkörper"), "lower": ("lower", "unterkörper"), "full": ("full body", "fullbody", "full", "total body", "ganzkörper"),
    "part": ("chest", "back", "arms", "shoulders", "biceps", "triceps"),
}
# Relative strength (best e1RM / body mass) at which a lift reads as intermediate and as advanced: round
# numbers from common strength standards (e.g. a 1.25x/2x body-mass squat), on the conservative side.
STRENGTH_STANDARDS = {"squat": (1.25, 2.0), "bench": (0.9, 1.4), "deadlift": (1.5, 2.5)}
LEVEL_PHRASE = {"beginner": "a beginner", "intermediate": "an intermediate", "advanced": "an advanced lifter"}


class DerivedField(BaseModel):
    """One profile field as the log shows it (or not)."""

    field: str
    value: Any = None
    source: FieldSource


class DerivedProfile(BaseModel):
    """Every profile field's value and source for one athlete at one date."""

    fields: dict[str, DerivedField]

    def value(self, name: str) -> Any:
        return self.fields[name].value


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _recent(ctx: AthleteContext) -> tuple[list[Session], int]:
    """Sessions of the last WINDOW_WEEKS active weeks within a year before as_of, and that week count."""
    days = [s.day for s in ctx.sessions]
    cut = bisect.bisect_left(days, ctx.as_of)
    start = bisect.bisect_left(days, ctx.as_of - dt.timedelta(days=LOOKBACK_DAYS))
    sessions = [s for s in ctx.sessions[start:cut] if s.sets]
    weeks = sorted({_monday(s.day) for s in sessions})[-WINDOW_WEEKS:]
    if not weeks:
        return [], 0
    return [s for s in sessions if _monday(s.day) >= weeks[0]], len(weeks)


def _working(w: WorkoutSet) -> bool:
    return w.set_type != SetType.warmup and bool(w.reps) and (w.reps or 0) > 0


class _Entries:
    """Catalog entries (or guesses) of logged sets, looked up once per name."""

    def __init__(self, catalog: Any):
        from .guessed_tags import guess_entry

        self.catalog, self.guess, self.cache = catalog, guess_entry, {}

    def __call__(self, w: WorkoutSet) -> Any:
        key = w.exercise_id or "name:" + w.exercise
        if key not in self.cache:
            entry = None
            if w.exercise_id:
                try:
                    entry = self.catalog.get(w.exercise_id)
                except Exception:  # an id from an older catalog: fall back to the name
                    entry = None
            if entry is None and w.exercise:
                entry = self.catalog.match(w.exercise).entry or self.guess(w.exercise)
            self.cache[key] = entry
        return self.cache[key]


def derive_days(sessions: list[Session], weeks: int) -> DerivedField:
    """Training days a week: the median of the distinct training days in each of the last active weeks.

    The median, not the mean: a holiday week with one session, or the week an export was taken in the
    middle of, pulls a mean down (4 4 4 4 4 1 3 2 4 5 5 1 has a mean of 3.4, yet the person trains four
    days a week); the evidence gives both and the weeks themselves. Halves round up.
    """
    if not weeks:
        return DerivedField(field="days_per_week", source=FieldSource(kind="unknown", evidence="no sessions logged"))
    per_week = Counter(_monday(d) for d in {s.day for s in sessions})
    counts = [per_week[w] for w in sorted(per_week)]
    mean = sum(counts) / weeks
    median = statistics.median(counts)
    days = max(1, min(7, int(median + 0.5)))
    span = f"the last {weeks} active weeks" if weeks > 1 else "the one week logged"
    return DerivedField(field="days_per_week", value=days, source=FieldSource(
        kind="derived",
        evidence=f"median {median:g} training days a week over {span} (mean {mean:.1f}; weeks: {' '.join(map(str, counts))})",
        phrase=f"~{days} training days a week", short=f"~{days}x/wk"))


def _has_word(name: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![a-zäöü]){re.escape(w)}(?![a-zäöü])", name) for w in words)


def _split_from_names(sessions: list[Session]) -> tuple[str, str] | None:
    kinds: Counter[str] = Counter()
    named = 0
    for s in sessions:
        n = (s.name or "").lower()
        hit = [k for k, words in _NAME_WORDS.items() if _has_word(n, words)]
        if hit:
            named += 1
            kinds.update(hit)
    if named < max(2, 0.5 * len(sessions)):
        return None
    share = {k: kinds[k] / named for k in kinds}
    evidence = f"workout names ({', '.join(f'{k} {kinds[k]}' for k, _ in kinds.most_common(4))} of {named} named sessions)"
    if share.get("full", 0) >= 0.6:
        return "full body", evidence
    if all(share.get(k, 0) >= 0.15 for k in ("push", "pull", "legs")):
        return "push/pull/legs", evidence
    if share.get("upper", 0) >= 0.2 and share.get("lower", 0) >= 0.2:
        return "upper/lower", evidence
    if share.get("part", 0) >= 0.5:
        return "body-part split", evidence
    return None


PART_SHARE = 0.25  # a body part is one a session "trains" when it takes this share of its working sets
MIN_SPLIT_SESSIONS = 4  # fewer readable sessions say nothing about a split: unknown
MIXED = "mixed"  # sessions that follow no one split: a derived value in its own right, not "unknown"


LOWER_PATTERNS = {"squat", "hinge", "lunge"}


def _primary(e: Any) -> list[str]:
    """An entry's primary muscles, a hip hinge or squat counted with the legs whatever its catalog muscle (the
    deadlift's is "lower back"): every split trains it on a lower-body day."""
    if e.pattern in LOWER_PATTERNS and not any(m in LOWER for m in e.primary_muscles):
        return ["glutes"]
    return list(e.primary_muscles)


def _readable(s: Session, entries: _Entries) -> Iterator[Any]:
    """The catalog entries of a session's working sets whose muscles say what the set trained (core and
    cardio left out: they do not tell a split)."""
    for w in s.sets:
        if not _working(w):
            continue
        e = entries(w)
        if e is not None and e.pattern not in ("cardio", "core") and e.primary_muscles:
            yield e


def _part_shares(s: Session, entries: _Entries) -> dict[str, float]:
    """Share of a session's working sets per body part (``BODY_PARTS``), by the primary muscles of each
    set's exercise (core and cardio left out); empty when fewer than 3 sets can be read."""
    parts: Counter[str] = Counter()
    n = 0
    for e in _readable(s, entries):
        hit = {p for p, group in BODY_PARTS.items() for m in _primary(e) if m in group}
        if not hit:
            continue
        n += 1
        for p in hit:
            parts[p] += 1 / len(hit)
    return {p: c / n for p, c in parts.items()} if n >= 3 else {}


def _signature(shares: dict[str, float]) -> frozenset[str]:
    """The body parts a session trains: every part with at least PART_SHARE of it, else its top one."""
    top = frozenset(p for p, v in shares.items() if v >= PART_SHARE)
    return top or frozenset([max(shares, key=lambda p: shares[p])])


def _session_kind(s: Session, entries: _Entries) -> str | None:
    muscles: Counter[str] = Counter()
    for e in _readable(s, entries):
        muscles.update(_primary(e))
    total = sum(muscles.values())
    if total < 3:
        return None
    lower = sum(n for m, n in muscles.items() if m in LOWER) / total
    if lower >= 0.75:
        return "lower"
    if lower <= 0.2:
        push = sum(n for m, n in muscles.items() if m in PUSH) / total
        pull = sum(n for m, n in muscles.items() if m in PULL) / total
        for part, group in BODY_PARTS.items():
            if part != "legs" and sum(n for m, n in muscles.items() if m in group) / total >= 0.7:
                return "part"
        if push >= 0.75:
            return "push"
        if pull >= 0.75:
            return "pull"
        return "upper"
    return "full" if lower >= 0.3 else "mixed"


def _label(sig: frozenset[str]) -> str:
    return "+".join(p for p in BODY_PARTS if p in sig)


def _cycle(sigs: list[frozenset[str]]) -> int | None:
    """The shortest period (2-7 sessions) after which the sessions' body parts repeat, in at least 60 %
    of the places it can be checked; None when they follow no rotation."""
    for k in range(2, 8):
        pairs = len(sigs) - k
        if pairs >= max(3, k) and sum(sigs[i] == sigs[i + k] for i in range(pairs)) >= 0.6 * pairs:
            return k
    return None


def derive_split(sessions: list[Session], entries: _Entries) -> DerivedField:
    """The split as the workout names say it, else as the body parts trained per session and their rotation
    show it: full body, push/pull/legs, upper/lower, body-part split, or ``mixed`` (sessions follow none of
    these: stated as derived, with the evidence). Unknown only with fewer than MIN_SPLIT_SESSIONS readable
    sessions."""
    by_name = _split_from_names(sessions)
    if by_name is not None:
        split, evidence = by_name
    else:
        read = [(s, sh) for s in sessions if (sh := _part_shares(s, entries))]
        kinds = Counter(k for s, _ in read if (k := _session_kind(s, entries)) is not None)
        n = len(read)
        split = None
        evidence = f"{n} sessions with enough sets to read (at least {MIN_SPLIT_SESSIONS} needed)"
        if n >= MIN_SPLIT_SESSIONS:
            sigs = [_signature(sh) for _, sh in read]
            recurring = [(sig, c) for sig, c in Counter(sigs).most_common() if c >= 2]
            few_parts = sum(len(sig) <= 2 for sig in sigs) / n
            cycle = _cycle(sigs)
            evidence = ("body parts per session (" + ", ".join(f"{k} {c}" for k, c in kinds.most_common()) +
                        f" of {n} sessions; most trained: " +
                        ", ".join(f"{_label(sig)} x{c}" for sig, c in recurring[:4]) + ")" +
                        (f"; the same parts come back every {cycle} sessions" if cycle else ""))
            upper = kinds["upper"] + kinds["push"] + kinds["pull"] + kinds["part"]
            if kinds["full"] / n >= 0.6:
                split = "full body"
            elif min(kinds["push"], kinds["pull"], kinds["lower"]) / n >= 0.15 and \
                    (kinds["push"] + kinds["pull"] + kinds["lower"]) / n >= 0.6:
                split = "push/pull/legs"
            elif kinds["part"] / n >= 0.5 or (few_parts >= 0.6 and len(recurring) >= 3
                                               and sum(c for _, c in recurring[:3]) / n >= 0.5
                                               and kinds["full"] / n < 0.5):
                # one or two body parts a session, a few recurring pairings ("chest+arms, back+arms, legs+
                # shoulders"): each part has its day
                split = "body-part split"
            elif upper / n >= 0.2 and kinds["lower"] / n >= 0.2 and (upper + kinds["lower"]) / n >= 0.6:
                split = "upper/lower"
            else:
                split = MIXED
    if split is None:
        return DerivedField(field="split", source=FieldSource(kind="unknown", evidence=evidence))
    if split == MIXED:
        return DerivedField(field="split", value=split, source=FieldSource(
            kind="derived", evidence=evidence, phrase="sessions that mix body parts with no fixed split",
            short="mixed sessions"))
    word = split if split.endswith("split") else f"{split} split"
    return DerivedField(field="split", value=split, source=FieldSource(
        kind="derived", evidence=evidence, phrase=f"a {word}" if not word[0] in "aeiou" else f"an {word}", short=split))


def _lift(entry: Any) -> str | None:
    if entry is None or getattr(entry, "equipment", None) != "barbell":
        return None
    name = entry.name.lower()
    if entry.pattern == "squat" and "front" not in name and "box" not in name:
        return "squat"
    if entry.pattern == "horizontal_push" and "bench" in name and "incline" not in name and "decline" not in name:
        return "bench"
    if entry.pattern == "hinge" and "deadlift" in name and not any(w in name for w in ("romanian", "stiff", "sumo", "deficit")):
        return "deadlift"
    return None


def derive_level(ctx: AthleteContext, sessions: list[Session], entries: _Entries) -> DerivedField:
    from .stats import set_e1rm

    past = [s for s in ctx.sessions if s.day < ctx.as_of]
    if not past:
        return DerivedField(field="level", source=FieldSource(kind="unknown", evidence="no sessions logged"))
    years = (ctx.as_of - past[0].day).days / 365.25
    span = f"{years:.1f} years of training logged"
    bm = ctx.athlete.body_mass_kg if _stated(ctx.athlete, "body_mass_kg") else None
    if bm:
        best: dict[str, float] = {}
        for s in sessions:
            for w in s.sets:
                lift = _lift(entries(w)) if _working(w) and w.weight_kg else None
                if lift and (e := set_e1rm(w.model_copy(update={"rpe": None, "rir": None}))) is not None:
                    best[lift] = max(best.get(lift, 0.0), e)
        if best:
            grades = []
            for lift, e1rm in best.items():
                mid, top = STRENGTH_STANDARDS[lift]
                ratio = e1rm / bm
                grades.append(2 if ratio >= top else 1 if ratio >= mid else 0)
            level = ("beginner", "intermediate", "advanced")[int(statistics.median_low(grades))]
            rel = ", ".join(f"{lift} {v / bm:.2f}x" for lift, v in sorted(best.items()))
            return DerivedField(field="level", value=level, source=FieldSource(
                kind="derived", evidence=f"best e1RM over body mass: {rel}; {span}",
                phrase=f"strength of {LEVEL_PHRASE[level]} ({rel} body mass)", short=f"{level} by strength"))
    if years >= 1:
        level = "advanced" if years >= 4 else "intermediate"
        return DerivedField(field="level", value=level, source=FieldSource(
            kind="derived", evidence=span, phrase=f"{int(years)}+ years of logged training",
            short=f"{int(years)}+ yrs logged"))
    return DerivedField(field="level", source=FieldSource(
        kind="unknown", evidence=f"only {span}: a short log does not show experience"))


def derive_goal(sessions: list[Session]) -> DerivedField:
    reps = [w.reps for s in sessions for w in s.sets if _working(w) and w.weight_kg]
    if len(reps) < 10:
        return DerivedField(field="goal", source=FieldSource(kind="unknown", evidence=f"{len(reps)} loaded working sets"))
    n = len(reps)
    low = sum(r <= 5 for r in reps) / n
    mid = sum(6 <= r <= 12 for r in reps) / n
    high = sum(r > 15 for r in reps) / n
    med = statistics.median(reps)
    rpes = [r for s in sessions for w in s.sets if _working(w) and (r := w.effective_rpe()) is not None]
    effort = f", mean RPE {statistics.fmean(rpes):.1f}" if len(rpes) >= 10 else ""
    evidence = (f"median {med:g} reps; {low:.0%} of loaded working sets at 1-5 reps, {mid:.0%} at 6-12, "
                f"{high:.0%} over 15{effort}")
    goal = None
    if low >= 0.5:
        goal, words = "strength", "mostly heavy sets of 1-5 reps"
    elif mid >= 0.5:
        goal, words = "hypertrophy", "mostly sets of 6-12 reps"
    elif high >= 0.5:
        goal, words = "endurance", "mostly sets of over 15 reps"
    if goal is None:
        return DerivedField(field="goal", source=FieldSource(kind="unknown", evidence=evidence + ": no one range dominates"))
    return DerivedField(field="goal", value=goal, source=FieldSource(
        kind="derived", evidence=evidence, phrase=words, short=f"{med:g}-rep sets"))


def derive_equipment(sessions: list[Session], entries: _Entries) -> DerivedField:
    kit: Counter[str] = Counter()
    for s in sessions:
        for w in s.sets:
            e = entries(w) if _working(w) else None
            if e is not None and e.pattern != "cardio" and (e.equipment or not getattr(e, "guessed", False)):
                kit[e.equipment or "body only"] += 1
    total = sum(kit.values())
    if not total:
        return DerivedField(field="equipment", source=FieldSource(kind="unknown", evidence="no placeable exercises"))
    # "other" is the catalog's word for everything without a category: it says nothing to a coach
    used = [k for k, c in kit.most_common() if c >= 2 and c / total >= 0.02 and k != "other"]
    if not used:
        return DerivedField(field="equipment", source=FieldSource(kind="unknown", evidence="no placeable exercises"))
    evidence = ", ".join(f"{k} {kit[k] / total:.0%}" for k in used) + " of working sets"
    return DerivedField(field="equipment", value=used, source=FieldSource(
        kind="derived", evidence=evidence, phrase=_and(used[:5]) + " work", short="uses " + ", ".join(used[:5])))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _stated(athlete: Athlete, field: str) -> bool:
    if field not in PROFILE_FIELDS:
        return getattr(athlete, field) is not None
    src = athlete.sources.get(field)
    return src is not None and src.kind == "stated"


def derive_profile(ctx: AthleteContext, catalog: Any = None) -> DerivedProfile:
    """Each profile field as stated, else as the history in `ctx` shows it, else unknown (module docstring)."""
    a = ctx.athlete
    out: dict[str, DerivedField] = {}
    todo = [f for f in PROFILE_FIELDS if not _stated(a, f)]
    for f in PROFILE_FIELDS:
        if f not in todo:
            out[f] = DerivedField(field=f, value=getattr(a, f), source=a.sources[f])
    if todo:
        if catalog is None:
            from .catalog import default_catalog

            catalog = default_catalog()
        sessions, weeks = _recent(ctx)
        entries = _Entries(catalog)
        derive = {
            "days_per_week": lambda: derive_days(sessions, weeks),
            "split": lambda: derive_split(sessions, entries),
            "level": lambda: derive_level(ctx, sessions, entries),
            "goal": lambda: derive_goal(sessions),
            "equipment": lambda: derive_equipment(sessions, entries),
        }
        for f in todo:
            out[f] = derive[f]()
    return DerivedProfile(fields=out)


_ENUMS = {"level": Level, "goal": Goal}


def profiled(ctx: AthleteContext, catalog: Any = None) -> AthleteContext:
    """`ctx` with the athlete's unstated fields set as the log shows them (or marked unknown, value kept)."""
    a = ctx.athlete
    if all(_stated(a, f) for f in PROFILE_FIELDS):
        return ctx
    prof = derive_profile(ctx, catalog)
    update: dict[str, Any] = {"sources": dict(a.sources)}
    for f, d in prof.fields.items():
        update["sources"][f] = d.source
        if d.source.kind == "derived":
            update[f] = _ENUMS[f](d.value) if f in _ENUMS else d.value
    athlete = a.model_copy(update=update)
    return ctx.model_copy(update={"athlete": athlete})


def add_athlete(store: Any, name: str, stated: dict[str, Any] | None = None) -> Athlete:
    """A new athlete whose profile holds only what the person stated (`peri athlete add`, the web app's Add an
    athlete): those fields are "stated", every other profile field is read from the log once there is one.
    Constraints (free text) bring their body regions as `set_profile` reads them. Raises PeriError for a name
    already taken, nothing written."""
    from .models import REGIONS
    from .notes import regions_in

    fields = {k: v for k, v in (stated or {}).items() if v is not None}
    constraints = [c.strip() for c in fields.pop("constraints", None) or [] if c.strip()]
    named = {r for c in constraints for r in regions_in(c, pain_context=True)}
    sources = {f: FieldSource(kind="stated" if f in fields else "unknown") for f in PROFILE_FIELDS}
    athlete = Athlete(name=name, **fields, constraints=constraints,
                      constraint_regions=[r for r in REGIONS if r in named], sources=sources)
    return store.add_athlete(athlete)


def set_profile(store: Any, name: str, changes: dict[str, Any], *, unset: list[str] | tuple[str, ...] = ()) -> Athlete:
    """Set profile fields as stated by the person (`peri athlete set`); fields in `unset` go back to
    being read from the log. Raises ConfigError for a field that is not a profile field. New `constraints`
    (free text such as "left shoulder impingement") bring their body regions, read as `peri athlete add` reads them."""
    from ..errors import ConfigError
    from .models import REGIONS
    from .notes import regions_in

    bad = [f for f in unset if f not in PROFILE_FIELDS]
    if bad:
        raise ConfigError(f"not a profile field: {', '.join(bad)}", place="--unset", hint=f"one of {', '.join(PROFILE_FIELDS)}")
    if "constraints" in changes and "constraint_regions" not in changes:
        named = {r for c in changes["constraints"] for r in regions_in(c, pain_context=True)}
        changes = {**changes, "constraint_regions": [r for r in REGIONS if r in named]}
    a = store.get_athlete(name)
    sources = dict(a.sources)
    for f in changes:
        if f in PROFILE_FIELDS:
            sources[f] = FieldSource(kind="stated")
    for f in unset:
        if f not in changes:
            sources[f] = FieldSource(kind="unknown")
    updated = Athlete.model_validate({**a.model_dump(), **changes, "sources": sources})
    return store.update_athlete(updated)


def parts_labeller(catalog: Any) -> Callable[[Session], str]:
    """A function naming what a session trains, the way a split names its days: "full body", "upper", "lower",
    "push", "pull", or its body parts ("chest+back", "arms") for a body-part day or a mix; "" when fewer than 3
    of its working sets can be read. Catalog lookups are cached across sessions."""
    entries = _Entries(catalog)

    def label(s: Session) -> str:
        kind = _session_kind(s, entries)
        if kind in _KIND_NAMES:
            return _KIND_NAMES[kind]
        shares = _part_shares(s, entries)
        return _label(_signature(shares)) if shares else ""

    return label


_KIND_NAMES = {"full": "full body", "upper": "upper", "lower": "lower", "push": "push", "pull": "pull"}
