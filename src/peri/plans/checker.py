"""The plan checker: findings a real product can justify, and a repair that keeps the week's shape.

It knows only what a real product knows: the athlete's profile, the catalog's coach tags
(pattern, spinal_load, joints), the annotations (free-text notes turned into tags and regions)
and the logged history. It never sees a simulated athlete's hidden traits.

Checks and their codes:

- ``constraint_region`` - the exercise loads a region in ``athlete.constraint_regions``.
  Lower back: high spinal load is high severity, moderate load (or a lower-back joint tag) medium.
  Other regions: high when the pattern is the classic stressor of that joint (overhead pressing for
  the shoulder, squats and lunges for the knee, hinges for the hip, anything for the neck), else medium.
- ``aggravated`` - a note tagged ``aggravated``/``pain`` names this exercise (the annotation's
  exercise, or an exercise of that day's session that the note's words name, e.g. "the squats
  tweaked my lower back"), or a close variant of it (``catalog.variants``: same pattern, shared
  primary muscle, same spinal-load class, overlapping joints - so a back-squat note flags the front
  squat but not the leg press). High; medium when the note is over a year old; low when a later
  note on the same exercise says it went well, or when the log shows it tolerated again: the athlete
  has since done it (or, for a variant, the lift the note named) in ``CLEAN_SESSIONS`` sessions after
  the last complaint touching it (a note blaming it, or a pain note naming the note's region on a day
  they did it). Time alone never clears a note: a lift dropped after a complaint stays flagged.
- ``noted_region`` - a pain note names a region but no exercise: exercises loading that region are
  medium (low when the note is over a year old, or when ``CLEAN_SESSIONS`` sessions loading the region
  have followed the last note naming it).
- ``unknown_exercise`` - neither in the catalog (by name or the catalog's matcher) nor placeable from
  its words: medium, since nothing else can be checked for it; low when it is one of the athlete's own
  logged exercises (they do it already; a plan may keep it).
- ``guessed_tags`` - not in the catalog, checked with tags guessed from its name
  (``peri.log.guessed_tags``): low, saying what was guessed. A guessed entry is read as the worse case:
  with no equipment word its tags are the worst over every usual equipment, and ``region_stress``
  grades its joint stress one level higher (low -> medium -> high), so a guessed "Squat" next to a
  lower-back constraint is high.
- ``equipment`` - needs equipment the athlete has not listed: low.
- ``volume_high`` / ``volume_low`` / ``volume_jump`` - weekly hard sets per muscle, counted like
  ``peri.log.stats`` (1 per primary muscle, 0.5 per secondary muscle of a compound lift). The sane
  range is 4-25 sets for intermediate/advanced lifters and 2-20 for beginners (FACTS: 10-20 is the
  usual default; the margins leave room for specialisation). Over the top is medium (high past 1.5x);
  under the bottom is low and only for major muscles the athlete trained at least that much in the
  last 4 logged weeks. A jump is more than ``max_jump`` (20%) and at least 2 sets over the mean
  of the last 4 logged weeks: medium, high when the volume doubles (and rises by 6+ sets). A set held for a
  time or carried over a distance (``Prescription.duration_s`` / ``distance_m``) is no hard set, in the plan
  as in the log, and its load is no single's (no ``load_jump``).
- ``load_jump`` - a prescription whose load, reps and RPE imply an e1RM more than 10% + 2.5 kg over
  the best e1RM logged for the exercise in the last 4 logged weeks (peri.log.stats' estimate; for
  sets of over 12 reps, the load against the heaviest load logged): medium. Heavier triples after
  weeks of eights are fine as long as they fit the same 1RM.
- ``too_many_days`` - more days than ``athlete.days_per_week`` (stated, or derived from the log and
  worded so; not checked when unknown): medium, high for 2+ extra days.
- ``deload_volume`` / ``deload_intensity`` - a deload week whose hard sets exceed 80% of the recent
  weekly mean (high when not lower at all), or whose mean RPE is not at least 1 below recent RPE.

`repair_plan` swaps exercises flagged high/medium for safety for ``catalog.substitutes`` (same
pattern and muscles first, avoiding the flagged regions, within the athlete's equipment,
preferring what the athlete has done and liked), keeps sets and reps, never changes the day count,
and trims volume and deload findings proportionally. With no safe swap, a lift flagged high, blamed
by a note or unknown is dropped (unless it is the day's last); a medium joint-load one is kept.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from ..log.catalog import Catalog, ExerciseEntry, normalize_name
from ..log.context import AthleteContext, plausible_sessions
from ..log.guessed_tags import guess_entry, is_guessed
from ..log.models import Annotation, Level, Session, SetType, WorkoutSet
from ..log.stats import WeekStats, monday, set_e1rm, weekly_stats
from .schema import Plan, PlanDay, Prescription, Scenario

Severity = Literal["high", "medium", "low"]
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}

# Codes whose fix is to swap the exercise (repair) or avoid it (coach).
SAFETY_CODES = ("constraint_region", "aggravated", "noted_region", "unknown_exercise")
VOLUME_CODES = ("volume_high", "volume_jump")
# Weekly hard sets per muscle: (bottom, top) of the sane range by level (module docstring).
VOLUME_RANGE: dict[Level, tuple[float, float]] = {
    Level.beginner: (2.0, 20.0),
    Level.intermediate: (4.0, 25.0),
    Level.advanced: (4.0, 25.0),
}
MAJOR_MUSCLES = ("chest", "lats", "middle back", "quadriceps", "hamstrings", "glutes", "shoulders")
RECENT_WEEKS = 4
NOTE_MEMORY_DAYS = 365
# Sessions of a blamed lift after its last complaint that clear the note: three uneventful exposures is the
# usual return-to-training test (one could be luck, two a good day; a third in a row is a pattern), and
# the athlete's log, not the calendar, is the evidence. Fewer keep the note; a new complaint starts again.
CLEAN_SESSIONS = 3
LOAD_JUMP = 0.10
# (region, pattern) pairs where the pattern is the classic stressor of that joint.
_HIGH_STRESS = {
    ("shoulder", "vertical_push"), ("knee", "squat"), ("knee", "lunge"), ("hip", "hinge"),
    ("upper_back", "carry"),
}
# Pairs that load the joint substantially but are not its classic stressor.
_MEDIUM_STRESS = {
    ("shoulder", "horizontal_push"), ("shoulder", "vertical_pull"), ("hip", "squat"), ("hip", "lunge"),
    ("knee", "hinge"), ("elbow", "horizontal_push"), ("elbow", "vertical_push"),
}


class Finding(BaseModel):
    """One thing wrong with a plan. `day`/`exercise` name where (None: the whole plan or day)."""

    code: str
    severity: Severity
    message: str
    day: str | None = None
    exercise: str | None = None
    regions: list[str] = Field(default_factory=list)  # the regions at stake (safety findings)
    muscle: str | None = None  # the muscle (volume findings)


class CheckResult(BaseModel):
    findings: list[Finding]
    repaired: Plan | None = None

    @property
    def high(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "high"]

    def worst(self) -> Severity | None:
        return min((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__, default=None)


# --- what the athlete's history says --------------------------------------------------------

@dataclass
class NoteFlag:
    """Why an exercise or region is flagged: the note, its date and how strongly."""

    severity: Severity
    text: str
    date: dt.date
    regions: list[str]
    via: str | None = None  # the exercise the note named, when this one is its variant
    resolved: str | None = None  # why the log no longer holds it against the lift (severity low)


@dataclass
class AthleteFlags:
    """Everything the checker and the coach need from one athlete, computed once."""

    constraint_regions: set[str]
    equipment: set[str] | None
    exercises: dict[str, NoteFlag] = field(default_factory=dict)  # catalog id -> flag
    names: dict[str, NoteFlag] = field(default_factory=dict)  # normalised unmapped name -> flag
    regions: dict[str, NoteFlag] = field(default_factory=dict)  # region named without an exercise
    liked: set[str] = field(default_factory=set)  # ids the athlete wrote worked/felt_strong about
    frequent: list[str] = field(default_factory=list)  # ids by how often done recently, most first
    logged: set[str] = field(default_factory=set)  # normalised names of every exercise in the log

    def prefer(self) -> set[str]:
        """Ids to prefer as substitutes: liked or regularly done, and not flagged."""
        return (self.liked | set(self.frequent)) - set(self.exercises)


def resolve(name: str, catalog: Catalog, logged: set[str] | None = None) -> ExerciseEntry | None:
    """The entry a plan's exercise name means: exact catalog name first, then the matcher; for a name
    in `logged` (normalised names of the athlete's own exercises), tags guessed from its words (a
    `GuessedEntry`). A name nobody logged is not guessed: it stays unknown. None when nothing places it."""
    entry = catalog.by_name(name) or catalog.match(name).entry
    if entry is None and logged and normalize_name(name) in logged:
        return guess_entry(name)
    return entry


def entry_for_set(exercise: str, exercise_id: str | None, catalog: Catalog) -> ExerciseEntry | None:
    """The catalog entry of a logged set (or annotation): its id when known, else the matcher."""
    if exercise_id:
        try:
            return catalog.get(exercise_id)
        except Exception:  # an id from an older catalog: fall back to the name
            pass
    if not exercise:
        return None
    return catalog.match(exercise).entry or guess_entry(exercise)


_GENERIC = set(
    "barbell dumbbell cable machine seated standing lying medium grip wide close narrow with the a to on of and "
    "smith ez bar kettlebell one arm single alternate alternating version body only bodyweight weighted flat "
    "back lower upper my again".split()
)
_MOVEMENT_NOUNS = set(
    "squat deadlift bench press row curl lunge pulldown pullup chinup dip raise fly extension thrust pushdown "
    "shrug clean snatch morning hack skullcrusher stepup pushup crossover kickback pullover jerk swing "
    "romanian sumo".split()
)


def mentioned(text: str, candidates: Sequence[tuple[str, ExerciseEntry | None]]) -> list[int]:
    """Indices of the candidate exercises a note's words name ("the squats tweaked my back").

    A candidate is named when a movement word of its name (squat, bench, row...) is in the note;
    among those, only the ones whose distinctive words are best covered count, so "incline bench"
    names the incline press and not the flat one.
    """
    words = set(normalize_name(text).split())
    scored: list[tuple[float, int]] = []
    for i, (name, _) in enumerate(candidates):
        key = [w for w in normalize_name(name).split() if w not in _GENERIC] or normalize_name(name).split()
        hit = [w for w in key if w in words]
        if not any(w in _MOVEMENT_NOUNS for w in hit):
            continue
        scored.append((len(hit) / len(key), i))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    return [i for s, i in scored if s == best]


def _session_exercises(sessions: Iterable[Session], catalog: Catalog) -> list[tuple[str, ExerciseEntry | None]]:
    seen: dict[str, tuple[str, ExerciseEntry | None]] = {}
    for sess in sessions:
        for s in sess.sets:
            key = s.exercise_id or s.exercise
            if key not in seen:
                entry = entry_for_set(s.exercise, s.exercise_id, catalog)
                seen[key] = (entry.name if entry else s.exercise, entry)
    return list(seen.values())


def _annotation_targets(
    a: Annotation, by_day: dict[dt.date, list[Session]], history: list[tuple[str, ExerciseEntry | None]],
    catalog: Catalog,
) -> list[tuple[str, ExerciseEntry | None]]:
    """The exercises an annotation is about: its own exercise, else those its words name."""
    if a.exercise or a.exercise_id:
        entry = entry_for_set(a.exercise or "", a.exercise_id, catalog)
        return [(entry.name if entry else (a.exercise or ""), entry)]
    same_day = _session_exercises(by_day.get(a.date, []), catalog)
    hits = mentioned(a.text, same_day)
    if hits:
        return [same_day[i] for i in hits]
    return [history[i] for i in mentioned(a.text, history)]


def athlete_flags(ctx: AthleteContext, catalog: Catalog) -> AthleteFlags:
    """Read the profile and annotation history into flags (what to avoid, what the athlete likes)."""
    athlete = ctx.athlete
    flags = AthleteFlags(
        constraint_regions=set(athlete.constraint_regions),
        equipment={e.lower() for e in athlete.equipment} | {"body only"} if athlete.equipment else None,
    )
    by_day: dict[dt.date, list[Session]] = defaultdict(list)
    for s in ctx.sessions:
        by_day[s.day].append(s)
    history = _session_exercises(ctx.sessions, catalog)
    flags.logged = {normalize_name(n) for n in {s.exercise for sess in ctx.sessions for s in sess.sets if s.exercise}}

    last_good: dict[str, dt.date] = {}
    bad: list[tuple[Annotation, list[tuple[str, ExerciseEntry | None]]]] = []
    for a in sorted(ctx.annotations, key=lambda a: a.date):
        hurt = bool({"aggravated", "pain"} & set(a.tags))
        good = bool({"worked", "felt_strong"} & set(a.tags))
        if not hurt and not good:
            continue
        targets = _annotation_targets(a, by_day, history, catalog)
        if hurt:
            bad.append((a, targets))
        elif good:
            for _, entry in targets:
                if entry is not None:
                    flags.liked.add(entry.id)
                    last_good[entry.id] = a.date

    touched: dict[str, dt.date] = {}  # flag key -> the last note that blamed it (directly or as a variant)
    sources: dict[str, set[str]] = defaultdict(set)  # flag key -> lifts whose sessions show it tolerated
    for a, targets in bad:
        old = (ctx.as_of - a.date).days > NOTE_MEMORY_DAYS
        if not targets:
            for region in a.regions:
                flags.regions[region] = NoteFlag("low" if old else "medium", a.text, a.date, list(a.regions))
            continue
        for name, entry in targets:
            if entry is None:
                key = "name:" + normalize_name(name)
                flags.names[normalize_name(name)] = NoteFlag("medium" if old else "high", a.text, a.date, list(a.regions))
                touched[key], sources[key] = a.date, {key}
                continue
            resolved = last_good.get(entry.id, dt.date.min) > a.date
            if not resolved:
                flags.liked.discard(entry.id)
            sev: Severity = "low" if resolved else ("medium" if old else "high")
            flags.exercises[entry.id] = NoteFlag(sev, a.text, a.date, list(a.regions))
            touched[entry.id] = a.date
            sources[entry.id] = {entry.id}  # its own complaint: only its own sessions clear it
            for v in catalog.variants(entry):
                prev = flags.exercises.get(v.id)
                touched[v.id] = a.date
                if prev is None or prev.via is not None:
                    flags.exercises[v.id] = NoteFlag(sev, a.text, a.date, list(a.regions), via=entry.name)
                    sources[v.id] = {v.id, entry.id}  # the latest note's lift, not an older note's
    _clear_tolerated(flags, ctx, catalog, bad, touched, sources)

    since = ctx.as_of - dt.timedelta(weeks=8)
    counts: Counter[str] = Counter()
    for sess in ctx.sessions:
        if sess.day >= since:
            for ex_id in {s.exercise_id for s in sess.sets if s.exercise_id}:
                counts[ex_id] += 1
    flags.frequent = [ex_id for ex_id, n in counts.most_common() if n >= 2]
    return flags


def _clear_tolerated(
    flags: AthleteFlags, ctx: AthleteContext, catalog: Catalog,
    bad: list[tuple[Annotation, list[tuple[str, ExerciseEntry | None]]]],
    touched: dict[str, dt.date], sources: dict[str, set[str]],
) -> None:
    """Lower to low every flag the log shows tolerated again (module docstring, ``aggravated``): at least
    `CLEAN_SESSIONS` sessions of the lift (or, for a variant, of the lift the note named) after the last
    complaint touching it. A complaint is a note blaming it, or a pain note on a day it was done that names
    a region of its flag's note (which lift hurt is then unclear, so the day counts against it). A region
    named without an exercise clears the same way, by sessions that load it after the last note naming it."""
    trained: list[tuple[dt.date, set[str]]] = []  # per session, the flag keys its sets hold (ids and names)
    for sess in sorted(ctx.sessions, key=lambda s: s.day):
        keys = {"name:" + normalize_name(s.exercise) for s in sess.sets if s.exercise}
        keys |= {e.id for _, e in _session_exercises([sess], catalog) if e is not None}
        trained.append((sess.day, keys))
    hurt_regions: dict[dt.date, set[str]] = defaultdict(set)
    for a, _ in bad:
        hurt_regions[a.date] |= set(a.regions)

    def streak(keys: set[str], since: dt.date, regions: set[str]) -> tuple[int, dt.date]:
        """Sessions holding one of `keys` after the last complaint (from `since` on), and that complaint's date."""
        last, n = since, 0
        for day, held in trained:
            if day <= since or not held & keys:
                continue
            if hurt_regions.get(day, set()) & regions:
                last, n = day, 0
            else:
                n += 1
        return n, last

    def clear(note: NoteFlag, n: int, last: dt.date, what: str) -> None:
        if n >= CLEAN_SESSIONS and note.severity != "low":
            note.severity = "low"
            note.resolved = f"{what} {n} times without a complaint since the last one ({last})"

    for key, note in [*flags.exercises.items(), *(("name:" + k, v) for k, v in flags.names.items())]:
        if key in touched:
            n, last = streak(sources[key] or {key}, touched[key], set(note.regions))
            clear(note, n, last, "you have trained it" if sources[key] <= {key} else "you have trained it or "
                  f"{note.via or 'the lift your note named'}")
    for region, note in flags.regions.items():
        last_note = max(a.date for a, _ in bad if region in a.regions)
        loads = {key for key in set().union(*(held for _, held in trained)) if not key.startswith("name:")
                 and (e := _entry_of(catalog, key)) is not None and region_stress(e, region) in ("high", "medium")}
        n, last = streak(loads, last_note, {region})
        clear(note, n, last, f"you have loaded your {region.replace('_', ' ')}")


def _entry_of(catalog: Catalog, exercise_id: str) -> ExerciseEntry | None:
    try:
        return catalog.get(exercise_id)
    except Exception:  # a guessed entry's id, or one an older catalog had: no tags to read
        return None


def region_stress(entry: ExerciseEntry, region: str) -> Severity | None:
    """How hard `entry` loads `region`: 'high', 'medium', 'low' or None (module docstring); a guessed
    entry one level higher, since its tags are a reading of its name."""
    sev = _region_stress(entry, region)
    if sev is not None and is_guessed(entry):
        return "high" if sev in ("high", "medium") else "medium"
    return sev


def _region_stress(entry: ExerciseEntry, region: str) -> Severity | None:
    if region == "lower_back":
        if entry.spinal_load == "high":
            return "high"
        if entry.spinal_load == "moderate":
            return "medium"
        return "low" if "lower_back" in entry.joints else None
    if region not in entry.joints:
        return None
    if region == "neck" or (region, entry.pattern) in _HIGH_STRESS:
        return "high"
    if region in ("wrist", "ankle", "upper_back") or (region, entry.pattern) in _MEDIUM_STRESS:
        return "medium"
    if region == "elbow" and entry.pattern == "isolation" and {"biceps", "triceps"} & set(entry.primary_muscles):
        return "medium"
    if region == "knee" and entry.pattern == "isolation" and "quadriceps" in entry.primary_muscles:
        return "medium"
    return "low"


def exercise_findings(name: str, entry: ExerciseEntry | None, flags: AthleteFlags, day: str | None = None) -> list[Finding]:
    """The per-exercise findings (safety, unknown, equipment) for one prescribed exercise."""
    if entry is None:
        note = flags.names.get(normalize_name(name))
        if note is not None:
            since = f"; {note.resolved}" if note.resolved else ""
            return [Finding(code="aggravated", severity=note.severity, day=day, exercise=name, regions=note.regions,
                            message=f"your note of {note.date}: {note.text!r}{since}")]
        if normalize_name(name) in flags.logged:
            return [Finding(code="unknown_exercise", severity="low", day=day, exercise=name,
                            message=f"{name!r} is your own exercise but neither the catalog nor its words say what "
                                    "it loads, so it cannot be checked")]
        return [Finding(code="unknown_exercise", severity="medium", day=day, exercise=name,
                        message=f"{name!r} is not in the exercise catalog, so it cannot be checked")]
    out: list[Finding] = []
    guessed = is_guessed(entry)
    if guessed:
        out.append(Finding(code="guessed_tags", severity="low", day=day, exercise=name,
                           message=f"{name!r} is not in the catalog; checked with tags "
                                   f"{getattr(entry, 'evidence', 'guessed from its name')} (read as the worse case)"))
    for region in sorted(flags.constraint_regions):
        sev = region_stress(entry, region)
        if sev in ("high", "medium"):
            why = f"{entry.spinal_load} spinal load" if region == "lower_back" else f"{entry.pattern} loads the {region}"
            if guessed:
                why += "; tags guessed from its name, read as the worse case"
            out.append(Finding(code="constraint_region", severity=sev, day=day, exercise=name, regions=[region],
                               message=f"stresses your {region.replace('_', ' ')} constraint ({why})"))
    note = flags.exercises.get(entry.id)
    if note is not None:
        via = f" (a close variant of {note.via})" if note.via else ""
        since = f"; {note.resolved}" if note.resolved else ""
        out.append(Finding(code="aggravated", severity=note.severity, day=day, exercise=name, regions=note.regions,
                           message=f"your note of {note.date}{via}: {note.text!r}{since}"))
    for region, rnote in sorted(flags.regions.items()):
        stress = region_stress(entry, region)
        if region not in flags.constraint_regions and stress in ("high", "medium"):
            sev: Severity = max(stress, rnote.severity, key=SEVERITY_RANK.__getitem__)  # the milder of the two
            guess = " (tags guessed from its name, read as the worse case)" if guessed else ""
            out.append(Finding(code="noted_region", severity=sev, day=day, exercise=name, regions=[region],
                               message=f"loads your {region.replace('_', ' ')}{guess}; your note of {rnote.date}: {rnote.text!r}"
                                       + (f"; {rnote.resolved}" if rnote.resolved else "")))
    if flags.equipment is not None and (entry.equipment or "body only") not in flags.equipment:
        out.append(Finding(code="equipment", severity="low", day=day, exercise=name,
                           message=f"needs {entry.equipment}, which is not in your equipment list"))
    return out


def is_safe(entry: ExerciseEntry, flags: AthleteFlags) -> bool:
    """True when no high or medium safety finding applies to `entry`."""
    return not any(
        f.code in SAFETY_CODES and f.severity in ("high", "medium") for f in exercise_findings(entry.name, entry, flags)
    )


def avoid_regions(flags: AthleteFlags, extra: Iterable[str] = ()) -> set[str]:
    """Regions a substitute must not load: constraints, noted regions, and `extra`."""
    return flags.constraint_regions | {r for r, n in flags.regions.items() if n.severity != "low"} | set(extra)


def _stresses(entry: ExerciseEntry, regions: Iterable[str]) -> bool:
    return any(region_stress(entry, r) in ("high", "medium") for r in regions)


def _explosive(entry: ExerciseEntry) -> bool:
    return bool(re.search(r"jump|plyo|speed|explosive|clap|hop|clean|snatch|jerk|swing|throw", entry.name.lower()))


_FREE_WEIGHTS = {"barbell", "dumbbell", "kettlebells", "e-z curl bar"}


def safe_substitute(
    entry: ExerciseEntry, flags: AthleteFlags, catalog: Catalog, *, extra_regions: Iterable[str] = (),
    equipment: Iterable[str] | None = None, exclude: Iterable[str] = (), same_pattern: bool = False,
) -> ExerciseEntry | None:
    """The best swap for `entry` that the checker would not flag (None when the catalog has none);
    `same_pattern` accepts only the same movement pattern."""
    have = equipment if equipment is not None else (sorted(flags.equipment) if flags.equipment else None)
    skip = set(exclude) | {entry.id}
    prefer = flags.prefer()
    avoid = avoid_regions(flags, extra_regions)
    cands = [
        c for c in catalog.substitutes(entry, avoid, equipment=have, prefer=prefer, limit=60)
        if c.id not in skip and is_safe(c, flags) and not _stresses(c, extra_regions)
    ]
    if not cands:
        # No candidate spares those joints entirely (every chest press loads the shoulder): accept
        # ones that load them only lightly, by the same grading the findings use.
        cands = [
            c for c in catalog.substitutes(entry, avoid & {"lower_back"}, equipment=have, prefer=prefer, limit=120)
            if c.id not in skip and is_safe(c, flags) and not _stresses(c, extra_regions)
        ]
    primary = set(entry.primary_muscles)
    # Olympic lifts and jumps are no swap for a strength movement, and a different pattern only
    # stands in when it is as simple: a handstand push-up is not a lateral raise.
    cands = [
        c for c in cands
        if (_explosive(c) <= _explosive(entry))
        and (c.pattern == entry.pattern or (not same_pattern and c.level != "expert"
                                            and (c.pattern == "isolation") == (entry.pattern == "isolation")))
    ]
    if not cands:
        return None

    def key(ic: tuple[int, ExerciseEntry]) -> tuple:
        i, c = ic
        same = c.pattern == entry.pattern
        shared = bool(set(c.primary_muscles) & primary)
        tier = 0 if same and shared else (1 if same else 2)
        # The catalog ranks the lightest-loading candidates first, which puts bodyweight drills
        # ahead of a dumbbell squat; a lifter's swap should stay a loadable lift.
        explosive = _explosive(c)
        loadable = (c.equipment or "body only") in {"barbell", "dumbbell", "machine", "cable", "kettlebells", "e-z curl bar"}
        family = _FREE_WEIGHTS if (entry.equipment or "") in _FREE_WEIGHTS else {entry.equipment}
        return (tier, c.id not in prefer, explosive, c.level == "expert", not loadable,
                c.equipment != entry.equipment, c.equipment not in family, i)

    return min(enumerate(cands), key=key)[1]


# --- volume ---------------------------------------------------------------------------------

def plan_sets_per_muscle(plan: Plan, catalog: Catalog) -> dict[str, float]:
    """Weekly sets per muscle, counted as peri.log.stats counts logged hard sets."""
    out: dict[str, float] = defaultdict(float)
    for day in plan.days:
        for p in day.exercises:
            if not p.is_lifting:  # a plank's 45 s or a carry's 40 m: the log counts no such set either
                continue
            entry = resolve(p.exercise, catalog)
            # guessed entries are not counted: peri.log.stats counts the history without them, and
            # counting them on one side only would read every unmapped lift as a volume jump
            if entry is None or is_guessed(entry):
                continue
            for m in entry.primary_muscles:
                out[m] += p.sets
            if entry.mechanic == "compound":
                for m in entry.secondary_muscles:
                    if m not in entry.primary_muscles:
                        out[m] += 0.5 * p.sets
    return dict(out)


def recent_weeks(ctx: AthleteContext, catalog: Catalog, n: int = RECENT_WEEKS) -> list[WeekStats]:
    """The last `n` weeks with at least one session, before `ctx.as_of`."""
    before, _ = plausible_sessions([s for s in ctx.sessions if s.day < ctx.as_of])
    mondays = sorted({monday(s.day) for s in before})
    if len(mondays) > n:
        # Only those weeks and the calendar week before them (whose totals make the first one's `change`) are
        # summed: a dataset build checks one plan per logged week, and summing the whole history for each
        # made it quadratic in the log's length. The weeks kept are the same as from the whole history.
        cut = mondays[-n] - dt.timedelta(days=7)
        before = [s for s in before if s.day >= cut]
    weeks = [w for w in weekly_stats(before, catalog) if w.sessions > 0]
    return weeks[-n:]


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


@dataclass
class RecentBests:
    """Per exercise (catalog name, else the logged name): heaviest working load and best e1RM, in kg."""

    top_load: dict[str, float] = field(default_factory=dict)
    e1rm: dict[str, float] = field(default_factory=dict)  # from sets with RPE/RIR (RPE table)
    e1rm_plain: dict[str, float] = field(default_factory=dict)  # every set, effort ignored (Epley/Brzycki)


def recent_bests(ctx: AthleteContext, catalog: Catalog, weeks: int = RECENT_WEEKS) -> RecentBests:
    """Heaviest load and best estimated 1RM per exercise over the last `weeks` logged weeks."""
    out = RecentBests()
    recent = recent_weeks(ctx, catalog, weeks)
    if not recent:
        return out
    since = recent[0].week_start
    cache: dict[str, str] = {}
    for sess in ctx.sessions:
        if not since <= sess.day < ctx.as_of:
            continue
        for s in sess.sets:
            if s.set_type == SetType.warmup or not s.weight_kg or "assist" in s.exercise.lower():
                continue
            key = s.exercise_id or s.exercise
            if key not in cache:
                entry = entry_for_set(s.exercise, s.exercise_id, catalog)
                cache[key] = entry.name if entry else s.exercise
            name = cache[key]
            out.top_load[name] = max(out.top_load.get(name, 0.0), s.weight_kg)
            if s.effective_rpe() is not None:
                est = set_e1rm(s)
                if est is not None:
                    out.e1rm[name] = max(out.e1rm.get(name, 0.0), est)
            plain = set_e1rm(s.model_copy(update={"rpe": None, "rir": None}))
            if plain is not None:
                out.e1rm_plain[name] = max(out.e1rm_plain.get(name, 0.0), plain)
    return out


def implied_e1rm(p: Prescription, *, use_rpe: bool = True) -> float | None:
    """The 1RM a prescription assumes: its load for reps_low at its RPE (RIR), by peri.log.stats' rules."""
    if not p.load_kg:
        return None
    rpe = p.rpe if p.rpe is not None else (10.0 - p.rir if p.rir is not None else None)
    return set_e1rm(WorkoutSet(exercise="", weight_kg=p.load_kg, reps=p.reps_low, rpe=rpe if use_rpe else None))


def _load_jump(p: Prescription, name: str, bests: RecentBests) -> float | None:
    """A safer load when `p` asks for clearly more than the athlete recently showed, else None.

    Like is compared with like: an RPE-based estimate with the RPE-based history; when the history
    has no effort logged its estimate assumes sets near failure, so the plan's is read that way too.
    """
    if not p.load_kg or not p.is_lifting:  # a carry's load over 40 m is no single's
        return None
    has_rpe = p.rpe is not None or p.rir is not None
    if has_rpe and name in bests.e1rm:
        implied, best = implied_e1rm(p), bests.e1rm[name]
    else:
        implied, best = implied_e1rm(p, use_rpe=False), bests.e1rm_plain.get(name)
    if implied is not None and best:
        if implied > best * (1 + LOAD_JUMP) + 2.5:
            return round(p.load_kg * best / implied * 2) / 2
        return None
    top = bests.top_load.get(name)
    if top and p.load_kg > top * (1 + LOAD_JUMP) + 2.5:
        return top
    return None


def _plan_rpe(plan: Plan) -> float | None:
    values = [p.rpe if p.rpe is not None else 10.0 - p.rir for d in plan.days for p in d.exercises
              if p.rpe is not None or p.rir is not None]
    return _mean(values) if values else None


def _volume_findings(plan: Plan, ctx: AthleteContext, catalog: Catalog, recent: list[WeekStats],
                     scenario: Scenario, max_jump: float) -> list[Finding]:
    out: list[Finding] = []
    lo, hi = VOLUME_RANGE[ctx.athlete.level]
    planned = plan_sets_per_muscle(plan, catalog)
    means = {m: _mean([w.sets_per_muscle.get(m, 0.0) for w in recent]) for m in set(planned) | set(MAJOR_MUSCLES)}
    for m, sets in sorted(planned.items()):
        if sets > hi:
            out.append(Finding(code="volume_high", severity="high" if sets > 1.5 * hi else "medium", muscle=m,
                               message=f"{sets:g} weekly sets for {m}, above the sane {hi:g}"))
        mean = means.get(m, 0.0)
        if recent and mean >= 2 and sets > mean * (1 + max_jump) and sets - mean >= 2:
            doubled = sets >= 2 * mean and sets - mean >= 6
            out.append(Finding(code="volume_jump", severity="high" if doubled else "medium", muscle=m,
                               message=f"{sets:g} weekly sets for {m}, +{(sets / mean - 1):.0%} over your recent "
                                       f"{mean:.1f} (limit +{max_jump:.0%})"))
    if scenario not in (Scenario.deload, Scenario.injury, Scenario.travel) and recent:
        for m in MAJOR_MUSCLES:
            sets = planned.get(m, 0.0)
            if means[m] >= lo and sets < lo:
                out.append(Finding(code="volume_low", severity="low", muscle=m,
                                   message=f"{sets:g} weekly sets for {m}, below {lo:g} (you did {means[m]:.1f} recently)"))
    return out


def check_plan(
    plan: Plan, ctx: AthleteContext, catalog: Catalog, scenario: Scenario | None = None, *,
    max_jump: float = 0.2, repair: bool = True,
) -> CheckResult:
    """Check `plan` for this athlete (module docstring); with `repair`, also a repaired plan
    whenever a high or medium finding exists."""
    scenario = scenario or plan.scenario
    flags = athlete_flags(ctx, catalog)
    findings: list[Finding] = []
    for day in plan.days:
        for p in day.exercises:
            findings.extend(exercise_findings(p.exercise, resolve(p.exercise, catalog, flags.logged), flags, day.name))
    recent = recent_weeks(ctx, catalog)
    findings.extend(_volume_findings(plan, ctx, catalog, recent, scenario, max_jump))

    bests = recent_bests(ctx, catalog)
    for day in plan.days:
        for p in day.exercises:
            entry = resolve(p.exercise, catalog, flags.logged)
            safer = _load_jump(p, entry.name if entry else p.exercise, bests)
            if safer is not None:
                findings.append(Finding(code="load_jump", severity="medium", day=day.name, exercise=p.exercise,
                                        message=f"{p.load_kg:g} kg for {p.reps_low} reps is well beyond what you "
                                                f"showed in the last {RECENT_WEEKS} weeks (about {safer:g} kg fits)"))

    days_src = ctx.athlete.source("days_per_week").kind
    extra = len(plan.days) - ctx.athlete.days_per_week
    if extra > 0 and days_src != "unknown":  # an unknown frequency is no yardstick
        usual = (f"you train {ctx.athlete.days_per_week} a week" if days_src == "stated"
                 else f"your log shows ~{ctx.athlete.days_per_week} training days a week")
        findings.append(Finding(code="too_many_days", severity="high" if extra >= 2 else "medium",
                                message=f"{len(plan.days)} training days; {usual}"))

    if scenario == Scenario.deload and recent:
        mean_sets = _mean([w.hard_sets for w in recent])
        sets = plan.hard_sets()
        if mean_sets and sets > 0.8 * mean_sets:
            findings.append(Finding(code="deload_volume", severity="high" if sets >= mean_sets else "medium",
                                    message=f"a deload with {sets} hard sets vs your recent {mean_sets:.0f} a week"))
        recent_rpe = [w.avg_rpe for w in recent if w.avg_rpe is not None]
        plan_rpe = _plan_rpe(plan)
        if recent_rpe and plan_rpe is not None and plan_rpe > _mean(recent_rpe) - 1:
            findings.append(Finding(code="deload_intensity", severity="medium",
                                    message=f"a deload at RPE {plan_rpe:.1f} vs your recent {_mean(recent_rpe):.1f}"))

    findings.sort(key=lambda f: SEVERITY_RANK[f.severity])
    repaired = None
    if repair and any(f.severity in ("high", "medium") for f in findings):
        repaired = repair_plan(plan, findings, ctx, catalog, max_jump=max_jump, flags=flags)
    return CheckResult(findings=findings, repaired=repaired)


# --- repair ---------------------------------------------------------------------------------

def _scale_sets(sets: int, factor: float) -> int:
    return max(1, min(sets, math.floor(sets * factor + 0.5)))


def repair_plan(
    plan: Plan, findings: Sequence[Finding], ctx: AthleteContext, catalog: Catalog, *,
    max_jump: float = 0.2, flags: AthleteFlags | None = None,
) -> Plan:
    """Fix what can be fixed without changing the week's shape (module docstring).

    Flagged exercises (high/medium safety findings) are swapped for a safe substitute with the same
    sets and reps, or dropped when none exists and the day keeps another exercise; volume and
    deload findings trim sets (and RPE) proportionally; load jumps come back to the recent best.
    The number and names of days never change.
    """
    flags = flags or athlete_flags(ctx, catalog)
    bests = recent_bests(ctx, catalog)
    flagged: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    must_go: set[tuple[str | None, str]] = set()
    for f in findings:
        if f.exercise and f.code in SAFETY_CODES and f.severity in ("high", "medium"):
            flagged[(f.day, f.exercise)].update(f.regions)
            if f.severity == "high" or f.code in ("aggravated", "unknown_exercise"):
                must_go.add((f.day, f.exercise))
    load_fix = {(f.day, f.exercise) for f in findings if f.code == "load_jump"}

    days: list[PlanDay] = []
    for day in plan.days:
        used = {e.id for p in day.exercises if (e := resolve(p.exercise, catalog)) is not None}
        out: list[Prescription] = []
        for p in day.exercises:
            regions = flagged.get((day.name, p.exercise), flagged.get((None, p.exercise)))
            if regions is None:
                if (day.name, p.exercise) in load_fix:
                    entry = resolve(p.exercise, catalog)
                    safer = _load_jump(p, entry.name if entry else p.exercise, bests)
                    if safer is not None:
                        p = p.model_copy(update={"load_kg": safer})
                out.append(p)
                continue
            entry = resolve(p.exercise, catalog, flags.logged)
            sub = None
            if entry is not None:
                sub = safe_substitute(entry, flags, catalog, extra_regions=regions, exclude=used)
            else:
                for cand, score in catalog.search(p.exercise, limit=5):
                    if score >= 80 and cand.id not in used and is_safe(cand, flags):
                        sub = cand
                        break
            if sub is None:
                if (day.name, p.exercise) in must_go or (None, p.exercise) in must_go:
                    continue  # dropped (restored below if the day would be empty)
                out.append(p)  # a medium joint-load finding with no swap: kept, still reported
                continue
            used.add(sub.id)
            note = f"instead of {p.exercise}" + (f"; {p.note}" if p.note else "")
            out.append(p.model_copy(update={"exercise": sub.name, "load_kg": bests.top_load.get(sub.name), "note": note}))
        days.append(PlanDay(name=day.name, exercises=out or list(day.exercises)))
    repaired = Plan(scenario=plan.scenario, week_of=plan.week_of, days=days)

    codes = {f.code for f in findings}
    if codes & set(VOLUME_CODES):
        repaired = _trim_volume(repaired, ctx, catalog, max_jump)
    recent = recent_weeks(ctx, catalog)
    if "deload_volume" in codes and recent:
        target = 0.6 * _mean([w.hard_sets for w in recent])
        factor = min(1.0, target / max(repaired.hard_sets(), 1))
        repaired = _map_prescriptions(repaired, lambda p: p.model_copy(update={"sets": _scale_sets(p.sets, factor)}))
    if "deload_intensity" in codes:
        rpes = [w.avg_rpe for w in recent if w.avg_rpe is not None]
        cap = max(5.0, round((_mean(rpes) - 2) * 2) / 2) if rpes else 6.0
        repaired = _map_prescriptions(repaired, lambda p: p.model_copy(update={
            "rpe": min(p.rpe, cap) if p.rpe is not None else (cap if p.rir is None else None),
            "rir": max(p.rir, min(5, int(10 - cap))) if p.rir is not None else None,
        }))
    return repaired


def _map_prescriptions(plan: Plan, fn) -> Plan:  # type: ignore[no-untyped-def]
    return plan.model_copy(update={"days": [
        PlanDay(name=d.name, exercises=[fn(p) for p in d.exercises]) for d in plan.days
    ]})


def _trim_volume(plan: Plan, ctx: AthleteContext, catalog: Catalog, max_jump: float) -> Plan:
    """Scale down the sets of exercises hitting over-volume muscles until none is over (a few passes)."""
    recent = recent_weeks(ctx, catalog)
    _, hi = VOLUME_RANGE[ctx.athlete.level]
    for _ in range(6):
        planned = plan_sets_per_muscle(plan, catalog)
        factors: dict[str, float] = {}
        for m, sets in planned.items():
            target = hi
            mean = _mean([w.sets_per_muscle.get(m, 0.0) for w in recent]) if recent else 0.0
            if recent and mean >= 2:
                target = min(target, max(mean * (1 + max_jump), mean + 2))
            if sets > target:
                factors[m] = target / sets
        if not factors:
            break
        primed = {m for d in plan.days for p in d.exercises if (e := resolve(p.exercise, catalog)) is not None
                  for m in e.primary_muscles}
        changed = False

        def trim(p: Prescription) -> Prescription:
            nonlocal changed
            entry = resolve(p.exercise, catalog)
            if entry is None or is_guessed(entry):
                return p
            hit = [factors[m] for m in entry.primary_muscles if m in factors]
            if entry.mechanic == "compound":
                # a muscle only trained as a secondary is trimmed through the lifts that reach it
                hit += [factors[m] for m in entry.secondary_muscles if m in factors and m not in primed]
            if not hit:
                return p
            sets = _scale_sets(p.sets, min(hit))
            if sets == p.sets and p.sets > 1:
                sets -= 1  # rounding kept it: take one set so each pass makes progress
            changed = changed or sets != p.sets
            return p.model_copy(update={"sets": sets})

        plan = _map_prescriptions(plan, trim)
        if not changed:
            break
    return _drop_over_volume(plan, catalog, recent, hi, max_jump)


def _drop_over_volume(plan: Plan, catalog: Catalog, recent: list, hi: float, max_jump: float) -> Plan:
    """Sets cannot go below one: when a muscle is still over its target, drop single-set exercises that reach
    it, last day first, from days that keep another exercise."""
    for _ in range(20):
        planned = plan_sets_per_muscle(plan, catalog)
        over = set()
        for m, sets in planned.items():
            mean = _mean([w.sets_per_muscle.get(m, 0.0) for w in recent]) if recent else 0.0
            target = min(hi, max(mean * (1 + max_jump), mean + 2)) if recent and mean >= 2 else hi
            if sets > target:
                over.add(m)
        if not over:
            return plan
        hit = next(((j, i) for j in range(len(plan.days) - 1, -1, -1) if len(plan.days[j].exercises) > 1
                    for i in range(len(plan.days[j].exercises) - 1, -1, -1)
                    if plan.days[j].exercises[i].sets == 1
                    and (e := resolve(plan.days[j].exercises[i].exercise, catalog)) is not None
                    and over & {*e.primary_muscles, *e.secondary_muscles}), None)
        if hit is None:
            return plan
        j, i = hit
        days = list(plan.days)
        days[j] = days[j].model_copy(update={"exercises": days[j].exercises[:i] + days[j].exercises[i + 1:]})
        plan = plan.model_copy(update={"days": days})
    return plan
