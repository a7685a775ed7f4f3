"""What the prompt templates render: facts pulled from an athlete's own history, nothing else.

`extract_facts(ctx, catalog)` gathers the profile, last week's numbers (from `peri.log.stats.weekly_stats`),
the constraints, what the notes say aggravated or worked, and a digest of recent weeks (the week as logged,
as a plan in the compact text form, plus its notes as outcomes). It also scores every note and week for
relevance, which is what the token budget keeps first.

Note text is the athlete's data, not instructions: `neutralise` makes it a single line with no angle
brackets, so it cannot close the block it is quoted in or smuggle chat-template tokens such as `<|im_end|>`.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, Field

from ..log.context import AthleteContext
from ..log.models import PROFILE_FIELDS, Annotation, Session

# Tags that say something went wrong / something went right (peri.log.models.ANNOTATION_TAGS).
PROBLEM_TAGS = ("aggravated", "pain", "excessive")
GOOD_TAGS = ("worked", "felt_strong")

# How a region reads in a first-person prompt: (noun, what to avoid, why).
REGION_PHRASES: dict[str, tuple[str, str, str]] = {
    "lower_back": ("lower back", "exercises that load the lower back", "to reduce spinal compression"),
    "upper_back": ("upper back", "exercises that load the upper back", "to reduce upper-back strain"),
    "shoulder": ("shoulder", "exercises that stress the shoulders", "to reduce shoulder strain"),
    "elbow": ("elbow", "exercises that stress the elbows", "to reduce elbow strain"),
    "wrist": ("wrist", "exercises that load the wrists", "to reduce wrist strain"),
    "hip": ("hip", "exercises that stress the hips", "to reduce hip irritation"),
    "knee": ("knee", "exercises that stress the knees", "to reduce knee stress"),
    "neck": ("neck", "exercises that load the neck", "to reduce neck strain"),
    "ankle": ("ankle", "exercises that stress the ankles", "to reduce ankle stress"),
}

GOAL_PHRASES = {
    "hypertrophy": "focus on hypertrophy",
    "strength": "focus on strength",
    "powerlifting": "focus on powerlifting",
    "endurance": "focus on muscular endurance",
    "general": "train for general fitness",
}

# Angle brackets and their look-alikes (full-width, small, CJK, mathematical) all become ‹ ›: a note can
# then neither close the block it is quoted in (`</notes>`, `＜/notes＞`) nor form `<|im_start|>`.
_ANGLE = str.maketrans({c: "‹" for c in "<＜﹤〈〈⟨《❮❰⧼"} | {c: "›" for c in ">＞﹥〉〉⟩》❯❱⧽"})
_SPACE = re.compile(r"\s+")
# Chat-template and instruction markers written out in text: [INST], [/INST], <<SYS>>, [SYSTEM]...
_BRACKET_MARKER = re.compile(r"[\[［]\s*/?\s*(inst|sys|system|assistant|user|tool|im_start|im_end|eos|bos)\s*[\]］]", re.I)
# A role label opening a line or a sentence ("SYSTEM:", "Assistant:", "### Instruction:") reads as a turn.
_ROLE_LABEL = re.compile(r"(?i)\b(system|assistant|user|human|instruction|instructions|developer|tool|response)\s*[:：]")
_FENCE = re.compile(r"#{2,}|`{3,}|~{3,}|={4,}|-{4,}")


def _visible(c: str) -> bool:
    """False for control and format characters: bidi overrides (U+202A-202E, U+2066-2069), zero-width
    spaces and joiners, BOM, soft hyphen -- invisible in a prompt, able to reorder or hide what follows."""
    return unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs") or c in "\t\n\r"


def neutralise(text: str | None, *, limit: int = 400) -> str:
    """One line of data that cannot close a delimited block, form a chat-template token or pose as a turn.

    Angle brackets (and look-alikes) become ‹ ›; `[INST]`-style markers lose their brackets; role labels
    (`SYSTEM:`) and markdown fences (`###`) are defused; bidi overrides, zero-width and other invisible
    characters are dropped; whitespace is one space; the result is at most `limit` characters.
    """
    if not text:
        return ""
    text = text[: limit * 4]  # the rest is cut below anyway; a megabyte note costs no more than a short one
    if not text.isascii():
        text = "".join(c for c in text if _visible(c))
    else:
        text = "".join(c for c in text if c.isprintable() or c in "\t\n\r")
    text = text.translate(_ANGLE)
    text = _BRACKET_MARKER.sub(lambda m: f"({m.group(1).lower()})", text)
    text = _ROLE_LABEL.sub(lambda m: f"{m.group(1).lower()} -", text)
    text = _FENCE.sub(lambda m: m.group(0)[0], text)
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def fmt_num(x: float | None, digits: int = 1) -> str:
    """A number as a person writes it: 7.2, 140, 18,340."""
    if x is None:
        return "n/a"
    if abs(x - round(x)) < 1e-9 or abs(x) >= 1000:
        return f"{round(x):,}"
    return f"{x:,.{digits}f}"


class Profile(BaseModel):
    """The profile as a prompt may say it: stated facts in the first person, derived ones as what the log
    shows, unknown ones not at all (None). `intro`, `derived`, `short_parts` and the `*_ref` words are
    what the shipped templates render; the plain fields stay for user templates."""

    age: int | None
    level: str | None  # stated or derived; None when unknown
    days_per_week: int | None
    goal: str | None
    goal_phrase: str | None
    split: str | None
    equipment: list[str]
    sources: dict[str, str] = Field(default_factory=dict)  # field -> stated | derived | unknown
    intro: str = ""  # stated facts, first person: "I'm 38, intermediate lifter, train 4x/week, focus on hypertrophy"
    derived: list[str] = Field(default_factory=list)  # "~3 training days a week", worded as what the log shows
    short_parts: list[str] = Field(default_factory=list)  # the short prompt's profile, comma-joined
    split_ref: str = "training"  # "upper/lower split" (stated), "... split (as my log shows)", "training"
    constraints: list[str]  # free text as the athlete wrote it, neutralised
    regions: list[str]  # normalised REGIONS
    region_nouns: list[str]  # "lower back"
    avoid: list[str]  # "exercises that load the lower back"
    why: list[str]  # "to reduce spinal compression"


class LastWeek(BaseModel):
    week_start: dt.date
    weeks_ago: int = 1  # 1 = the week right before the one being planned
    sessions: int
    sets: int
    hard_sets: int
    reps: int
    tonnage_kg: float
    avg_rpe: float | None
    sets_per_muscle: list[tuple[str, float]]  # most-trained first
    top_e1rm: list[tuple[str, float]]  # heaviest first


class NoteItem(BaseModel):
    """One distinct note (identical notes folded together), with its relevance for the budget."""

    key: str
    date: dt.date  # the latest occurrence
    first_date: dt.date
    count: int = 1
    text: str  # neutralised
    exercise: str | None = None  # neutralised
    tags: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    relevance: float = 0.0

    def describe(self) -> str:
        return f"note {self.date.isoformat()} \"{self.text[:40]}\""


class WeekDigest(BaseModel):
    key: str
    week_start: dt.date
    sessions: int
    hard_sets: int
    avg_rpe: float | None
    plan_text: str  # the week as logged, in the compact plan text form (neutralised line by line)
    outcomes: list[str]  # that week's notes, neutralised
    relevance: float = 0.0

    def describe(self) -> str:
        return f"week of {self.week_start.isoformat()}"


class PromptFacts(BaseModel):
    """Everything the templates may render, already safe to paste into a prompt."""

    athlete: str
    as_of: dt.date
    week_start: dt.date  # Monday of the week being planned
    profile: Profile
    last_week: LastWeek | None
    notes: list[NoteItem]  # tagged notes (aggravated / worked ...), most relevant first
    weeks: list[WeekDigest]  # recent weeks, most recent first
    plan_exercises: list[str]  # exercise names of the last logged week


def _e1rm_pairs(raw: Any) -> list[tuple[str, float]]:
    """weekly_stats' e1rm ({logged exercise name: kg}) as (name, kg) pairs, heaviest first."""
    pairs = [(str(k), float(v)) for k, v in (raw or {}).items() if isinstance(v, int | float) and v > 0]
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


def last_week_numbers(ctx: AthleteContext, catalog: Any, *, top: int = 3, muscles: int = 6) -> LastWeek | None:
    """The most recent logged week before `ctx.as_of`, from `weekly_stats`."""
    from ..log.stats import weekly_stats

    if not ctx.sessions:
        return None
    # a week's numbers depend on that week's sessions only: don't recount the whole history (the
    # dataset builder calls this once per logged week)
    last_monday = max(_monday(s.day) for s in ctx.sessions)
    weeks = weekly_stats([s for s in ctx.sessions if _monday(s.day) == last_monday], catalog)
    if not weeks:
        return None
    w = weeks[-1]
    spm_pairs = sorted(((k, float(v)) for k, v in w.sets_per_muscle.items() if v), key=lambda p: (-p[1], p[0]))
    return LastWeek(
        week_start=w.week_start,
        weeks_ago=max(1, (ctx.week_start() - w.week_start).days // 7),
        sessions=w.sessions,
        sets=w.sets,
        hard_sets=w.hard_sets,
        reps=w.reps,
        tonnage_kg=w.tonnage_kg,
        avg_rpe=w.avg_rpe,
        sets_per_muscle=spm_pairs[:muscles],
        top_e1rm=[(neutralise(n, limit=60), kg) for n, kg in _e1rm_pairs(w.e1rm)[:top]],
    )


def profile_of(ctx: AthleteContext, catalog: Any = None) -> Profile:
    """The profile a prompt may state: what the person said, what `ctx`'s history shows (re-derived from
    this context, so a dataset week sees only its past) and nothing else (peri.log.profile)."""
    from ..log.profile import profiled

    a = profiled(ctx, catalog).athlete
    kind = {f: a.source(f).kind for f in PROFILE_FIELDS}
    known = {f: k != "unknown" for f, k in kind.items()}
    regions = [r for r in a.constraint_regions if r in REGION_PHRASES]
    goal = (a.goal.value if hasattr(a.goal, "value") else str(a.goal)) if known["goal"] else None
    level = (a.level.value if hasattr(a.level, "value") else str(a.level)) if known["level"] else None
    split = (neutralise(a.split, limit=40) or None) if known["split"] else None
    days = a.days_per_week if known["days_per_week"] else None
    constraints = [neutralise(c, limit=120) for c in a.constraints if c.strip()]
    stated = {f: kind[f] == "stated" for f in PROFILE_FIELDS}

    head = [str(a.age)] if a.age else []
    if stated["level"]:
        head.append(f"{level} lifter")
    rest = [f"train {days}x/week"] if stated["days_per_week"] else []
    if stated["goal"]:
        rest.append(GOAL_PHRASES.get(goal or "", f"focus on {goal}"))
    intro = ("I'm " + ", ".join(head + rest)) if head else ("I " + ", ".join(rest) if rest else "")
    order = ("days_per_week", "split", "level", "goal", "equipment")
    derived = [neutralise(a.source(f).phrase, limit=120) for f in order if kind[f] == "derived" and a.source(f).phrase]
    short_derived = [neutralise(a.source(f).short, limit=60) for f in order[:4]
                     if kind[f] == "derived" and a.source(f).short]

    short_head = " ".join(x for x in (f"{a.age}y" if a.age else "", level if stated["level"] else "") if x)
    short_week = " ".join(x for x in (f"{days}x/wk" if stated["days_per_week"] else "",
                                      split if stated["split"] else "") if x)
    short_parts = [x for x in (short_head, short_week, goal if stated["goal"] else "") if x]
    short_parts += [f"{REGION_PHRASES[r][0]} sensitive" for r in regions] or constraints
    if short_derived:
        short_parts.append("log shows " + ", ".join(short_derived))
    if split and stated["split"]:
        split_ref = f"{split} split"
    elif split:
        split_ref = f"{split if split.endswith('split') else split + ' split'} (as my log shows)"
    else:
        split_ref = "training"
    return Profile(
        age=a.age,
        level=level,
        days_per_week=days,
        goal=goal,
        goal_phrase=GOAL_PHRASES.get(goal, f"focus on {goal}") if goal else None,
        split=split,
        equipment=[neutralise(e, limit=40) for e in a.equipment] if known["equipment"] else [],
        sources=kind,
        intro=intro,
        derived=derived,
        short_parts=short_parts,
        split_ref=split_ref,
        constraints=constraints,
        regions=regions,
        region_nouns=[REGION_PHRASES[r][0] for r in regions],
        avoid=[REGION_PHRASES[r][1] for r in regions],
        why=[REGION_PHRASES[r][2] for r in regions],
    )


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _mentions(text: str, names: Iterable[str]) -> bool:
    low = text.lower()
    return any(n and n.lower() in low for n in names)


def _exercise_names(sessions: Sequence[Session], catalog: Any) -> list[str]:
    names: list[str] = []
    for s in sessions:
        for st in s.sets:
            for n in (st.exercise, _catalog_name(catalog, st.exercise_id)):
                if n and n not in names:
                    names.append(n)
    return names


def _catalog_name(catalog: Any, exercise_id: str | None) -> str | None:
    if not exercise_id or catalog is None:
        return None
    try:
        entry = catalog.get(exercise_id)
    except Exception:  # an id the catalog no longer has: the logged name still stands
        return None
    return getattr(entry, "name", None)


def note_relevance(
    note: NoteItem, *, as_of: dt.date, plan_exercises: Sequence[str], regions: Sequence[str]
) -> float:
    """Higher is kept first: problems over praise, recent over old, about this plan or a known constraint."""
    score = 0.0
    if set(note.tags) & {"aggravated", "pain"}:
        score += 4.0
    elif "excessive" in note.tags:
        score += 3.0
    if set(note.tags) & set(GOOD_TAGS):
        score += 2.0
    if set(note.regions) & set(regions):
        score += 2.0
    if (note.exercise and _mentions(note.exercise, plan_exercises)) or _mentions(note.text, plan_exercises):
        score += 2.0
    score += min(note.count - 1, 3) * 0.5
    weeks_ago = max(0, (as_of - note.date).days) / 7
    return round(score + 4.0 / (1.0 + weeks_ago), 4)


def collect_notes(
    annotations: Sequence[Annotation], *, as_of: dt.date, plan_exercises: Sequence[str], regions: Sequence[str]
) -> list[NoteItem]:
    """Tagged notes (aggravated, pain, excessive, worked, felt strong), folded and ranked.

    Notes about one exercise that say the same kind of thing (a problem in the same regions, or praise) fold
    into one item quoting the latest wording with a count: fourteen ways of saying "squats hurt my lower back"
    are one fact, and the budget is better spent on the next fact. Notes with no exercise fold when identical.
    """
    folded: dict[str, NoteItem] = {}
    for a in sorted(annotations, key=lambda a: a.date):
        tags = [t for t in a.tags if t in PROBLEM_TAGS + GOOD_TAGS]
        if not tags:
            continue
        text = neutralise(a.text)
        if not text:
            continue
        exercise = neutralise(a.exercise, limit=80) or None
        if exercise:
            kind = "problem" if set(tags) & set(PROBLEM_TAGS) else "good"
            key = f"{exercise.lower()}|{kind}|{','.join(sorted(a.regions))}"
        else:
            key = f"|{text.lower()}"
        if key in folded:
            item = folded[key]
            item.count += 1
            if a.date >= item.date:  # quote the latest wording
                item.text = text
            item.date = max(item.date, a.date)
            item.tags = sorted(set(item.tags) | set(tags))
            item.regions = sorted(set(item.regions) | set(a.regions))
        else:
            folded[key] = NoteItem(
                key=key, date=a.date, first_date=a.date, text=text, exercise=exercise,
                tags=sorted(tags), regions=sorted(a.regions),
            )
    items = list(folded.values())
    for it in items:
        it.relevance = note_relevance(it, as_of=as_of, plan_exercises=plan_exercises, regions=regions)
    return sorted(items, key=lambda n: (-n.relevance, -n.date.toordinal(), n.key))


def week_digests(ctx: AthleteContext, catalog: Any, *, weeks: int = 4) -> list[WeekDigest]:
    """The last `weeks` logged weeks, most recent first: the week as a plan, and its notes as outcomes."""
    from ..log.stats import weekly_stats
    from ..plans.from_log import plan_from_sessions
    from ..plans.schema import Scenario
    from ..plans.text import plan_to_text

    by_week: dict[dt.date, list[Session]] = {}
    for s in ctx.sessions:
        by_week.setdefault(_monday(s.day), []).append(s)
    recent = sorted(by_week)[-weeks:][::-1]
    out: list[WeekDigest] = []
    for i, monday in enumerate(recent):
        sessions = sorted(by_week[monday], key=lambda s: s.started_at)
        stats = weekly_stats(sessions, catalog)
        w = stats[-1] if stats else None
        try:
            plan = plan_from_sessions(sessions, catalog, Scenario.normal)
            # the "WEEK ..." header repeats what "Week of" already says
            plan_text = "\n".join(
                neutralise(line, limit=200) for line in plan_to_text(plan).splitlines() if not line.startswith("WEEK ")
            )
        except Exception as e:  # a week that cannot be read as a plan still has numbers and notes
            plan_text = f"(not readable as a plan: {neutralise(str(e), limit=80)})"
        sunday = monday + dt.timedelta(days=7)
        outcomes: list[str] = []
        for a in ctx.annotations:
            if monday <= a.date < sunday:
                line = neutralise(a.text, limit=200)
                if a.exercise:
                    line = f"{neutralise(a.exercise, limit=80)}: {line}"
                if line and line not in outcomes:
                    outcomes.append(line)
        out.append(
            WeekDigest(
                key=monday.isoformat(),
                week_start=monday,
                sessions=len(sessions),
                hard_sets=w.hard_sets if w is not None else 0,
                avg_rpe=w.avg_rpe if w is not None else None,
                plan_text=plan_text,
                outcomes=outcomes,
                # recency first; a week whose notes report trouble is worth more than a quiet one
                relevance=round(10.0 - i + 0.5 * min(len(outcomes), 4), 4),
            )
        )
    return out


def extract_facts(ctx: AthleteContext, catalog: Any, *, detail: int = 4, history_weeks: int = 4) -> PromptFacts:
    """The facts the templates render for `ctx` at `detail` (history strictly before `ctx.as_of`);
    parts a lower detail level never shows are not computed."""
    profile = profile_of(ctx, catalog)
    last = last_week_numbers(ctx, catalog) if detail >= 2 else None
    last_sessions = [s for s in ctx.sessions if last is not None and _monday(s.day) == last.week_start]
    plan_exercises = _exercise_names(last_sessions, catalog)
    notes = collect_notes(ctx.annotations, as_of=ctx.as_of, plan_exercises=plan_exercises, regions=profile.regions)
    return PromptFacts(
        athlete=ctx.athlete.name,
        as_of=ctx.as_of,
        week_start=ctx.week_start(),
        profile=profile,
        last_week=last,
        notes=notes if detail >= 3 else [],
        weeks=week_digests(ctx, catalog, weeks=history_weeks) if ctx.sessions and detail >= 4 else [],
        plan_exercises=plan_exercises,
    )
