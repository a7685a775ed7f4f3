"""What a decoded plan may not do, as data a decoder can enforce: no exercise twice in a day, loads in a band,
no lift the athlete's own log blames.

Three rules, each stated once and used three ways — in the one-exercise step (`exercise_step_schema`:
its name enum leaves out the names the day already holds and the blamed lifts, its load is an enum of
that name's band, so llama.cpp's grammar engine cannot write a load outside it; `peri.decoding` decodes a
llama.cpp plan step by step), in the whole-plan JSON schema / text grammar a hosted provider's structured
output gets (then repeats are re-decoded as steps), and in `enforce`, the last check every path passes
through.

The load band of a lift comes from the athlete's own log: the heaviest working set of the last
`RECENT_WEEKS` weeks (or the last time they did it), from `LOW` (a deep deload) to `HIGH` (a bold weekly
step) of it. A lift they never loaded gets a catalog-relative band: from their logged lifts of the same
movement pattern (same equipment first), or, with none, from body mass by pattern. A body-weight
exercise they never loaded has no load at all.

A lift the log blames (`blocked_names`) is left out of the names a constrained decoder may choose: the
notes mark it (or a close variant) as aggravating or painful, or it is the classic stressor of a joint the
athlete states as a constraint — the rule coach's "hard" swap (`plans.coach.swap_need`), read from the
profile and the notes exactly as the checker reads them. Never from anything a simulator hides. A note
stops blocking once the log shows the lift tolerated again (`plans.checker.CLEAN_SESSIONS` sessions of it
after its last complaint): a year of old complaints no longer empties the upper days of a lifter who kept
benching and rowing without a word; a lift dropped after a note stays blocked.

A step-wise plan's days are peri's own (`athlete_layout`, `day_choices`): each day's name and focus come
from the athlete's split, and its steps choose among the names that fit that focus by the catalog's tags,
widening to related muscles, then the whole vocabulary, only when the focus is spent.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from statistics import median
from typing import Any, Literal

from pydantic import BaseModel

from ..log.profile import BODY_PARTS, LOWER, LOWER_PATTERNS, PULL, PUSH
from .schema import Plan, PlanDay, Prescription

RECENT_WEEKS = 12
# A deload rarely goes below ~60% of working loads; half is the floor of a plausible prescription. More
# than 10% above the heaviest recent working set in one week is beyond any weekly progression scheme for
# a lifter past the novice stage (the checker flags 20%+ as a load jump).
LOW, HIGH = 0.5, 1.1
# A lift the athlete never did, placed from their lifts of the same pattern: a new variation starts
# lighter than the one they know (30-100% of it).
RELATED_LOW, RELATED_HIGH = 0.3, 1.0
# With no related lift either: a fraction of body mass by movement pattern (rough ranges for trained
# recreational lifters, barbell/machine; dumbbells per hand take half). Wide on purpose: it only keeps
# out the absurd (a 300 kg curl), it does not coach.
BODY_MASS_BANDS: dict[str, tuple[float, float]] = {
    "squat": (0.3, 1.5), "hinge": (0.3, 1.8), "lunge": (0.1, 0.8), "horizontal_push": (0.2, 1.1),
    "vertical_push": (0.1, 0.7), "horizontal_pull": (0.2, 1.0), "vertical_pull": (0.2, 1.0),
    "carry": (0.2, 1.0), "isolation": (0.03, 0.4), "core": (0.0, 0.3), "cardio": (0.0, 0.0), "other": (0.05, 0.6),
}
ASSUMED_BODY_MASS_KG = 75.0  # when the athlete's is not known; the band says so in its evidence
MAX_BAND_VALUES = 48  # the enum stays small enough for a provider's schema limits


class LoadBand(BaseModel):
    """The loads (kg) a plan may prescribe for one exercise, and where the band comes from."""

    exercise: str
    low: float
    high: float
    step: float
    source: Literal["log", "related", "body_mass", "no_load"]
    evidence: str

    def values(self) -> list[float]:
        """Every admissible load, `step` apart (what the schema's enum and the grammar list)."""
        if self.source == "no_load":
            return []
        lo, hi = math.ceil(self.low / self.step - 1e-9), math.floor(self.high / self.step + 1e-9)
        vals = [_tidy(k * self.step) for k in range(lo, hi + 1)]
        if len(vals) > MAX_BAND_VALUES:  # keep the ends; thin the middle evenly
            keep = [vals[round(i * (len(vals) - 1) / (MAX_BAND_VALUES - 1))] for i in range(MAX_BAND_VALUES)]
            vals = sorted(set(keep))
        return vals or [_tidy(round(self.low / self.step) * self.step)]

    def admits(self, kg: float | None) -> bool:
        if kg is None:
            return True  # an effort-only prescription (RPE, no load) prescribes no load to be out of band
        if self.source == "no_load":
            return kg == 0
        return self.low - 1e-6 <= kg <= self.high + 1e-6

    def clamp(self, kg: float | None) -> float | None:
        if kg is None or self.admits(kg):
            return kg
        if self.source == "no_load":
            return None
        vals = self.values()
        return min(vals, key=lambda v: abs(v - kg))


def _tidy(x: float) -> float | int:
    r = round(x, 2)
    return int(r) if r == int(r) else r


def _step(high: float, equipment: str | None) -> float:
    # plates come in 1.25 kg pairs (2.5 kg steps); dumbbells and light loads move in 1-2 kg steps
    if high < 20 or (equipment or "").lower() in {"dumbbell", "kettlebells"}:
        return 1.0 if high < 40 else 2.0
    return 2.5


def _is_working(w: Any) -> bool:
    st = getattr(w, "set_type", None)
    return getattr(st, "value", st) != "warmup" and (w.weight_kg or 0) > 0


def load_bands(
    ctx: Any, catalog: Any, names: list[str], *, aliases: dict[str, str] | None = None,
    recent_weeks: int = RECENT_WEEKS,
) -> dict[str, LoadBand]:
    """A band for each of `names` (the exercises a model may prescribe) from the history in `ctx`."""
    entry_of: dict[str, Any] = {}

    def entry(name: str) -> Any:
        key = name.lower()
        if key not in entry_of:
            e = catalog.by_name(name)
            entry_of[key] = e if e is not None else catalog.match(name, aliases).entry
        return entry_of[key]

    since = ctx.as_of - dt.timedelta(weeks=recent_weeks)
    by_key: dict[str, list[tuple[dt.date, float]]] = {}
    for s in ctx.sessions:
        for w in s.sets:
            if not _is_working(w):
                continue
            keys = {"name:" + w.exercise.strip().lower()}
            e = entry(w.exercise)
            if e is not None:
                keys.add("id:" + e.id)
            for k in keys:
                by_key.setdefault(k, []).append((s.day, float(w.weight_kg)))

    def reference(key: str) -> tuple[float, str] | None:
        rows = by_key.get(key)
        if not rows:
            return None
        recent = [kg for d, kg in rows if d >= since]
        if recent:
            return max(recent), f"heaviest working set of the last {recent_weeks} weeks: {_tidy(max(recent))} kg"
        last = max(d for d, _ in rows)
        top = max(kg for d, kg in rows if d == last)
        return top, f"heaviest working set when last done ({last}): {_tidy(top)} kg"

    refs = {k: reference(k) for k in by_key}
    bands: dict[str, LoadBand] = {}
    bm = ctx.athlete.body_mass_kg
    for name in names:
        e = entry(name)
        equipment = getattr(e, "equipment", None)
        ref = refs.get("name:" + name.strip().lower()) or (refs.get("id:" + e.id) if e is not None else None)
        if ref is not None:
            top, why = ref
            bands[name] = LoadBand(exercise=name, low=LOW * top, high=HIGH * top, step=_step(HIGH * top, equipment),
                                   source="log", evidence=f"{why}; band {LOW:.0%}-{HIGH:.0%} of it")
            continue
        related = _related(e, catalog, by_key, refs)
        if related:
            mid = median(related)
            bands[name] = LoadBand(exercise=name, low=RELATED_LOW * mid, high=RELATED_HIGH * mid,
                                   step=_step(RELATED_HIGH * mid, equipment), source="related",
                                   evidence=f"not in the log; median of {len(related)} logged "
                                            f"{getattr(e, 'pattern', 'similar')} lift(s): {_tidy(mid)} kg")
            continue
        pattern = getattr(e, "pattern", None) or "other"
        lo_f, hi_f = BODY_MASS_BANDS.get(pattern, BODY_MASS_BANDS["other"])
        if (equipment or "").lower() == "body only" or hi_f == 0:
            bands[name] = LoadBand(exercise=name, low=0, high=0, step=1, source="no_load",
                                   evidence="body-weight or cardio exercise never loaded in the log")
            continue
        if (equipment or "").lower() in {"dumbbell", "kettlebells"}:
            lo_f, hi_f = lo_f / 2, hi_f / 2
        mass = bm or ASSUMED_BODY_MASS_KG
        bands[name] = LoadBand(exercise=name, low=lo_f * mass, high=hi_f * mass, step=_step(hi_f * mass, equipment),
                               source="body_mass",
                               evidence=f"no related lift logged; {lo_f:g}-{hi_f:g} x body mass "
                                        f"({_tidy(mass)} kg{'' if bm else ', assumed'}) for a {pattern} lift")
    return bands


class SetsCap(BaseModel):
    """The sets a plan may prescribe of one exercise in one session, and where that range comes from."""

    min_sets: int = 1
    max_sets: int
    evidence: str


def sets_cap(ctx: Any, *, recent_weeks: int = RECENT_WEEKS) -> SetsCap:
    """The working sets the athlete does of one exercise in a session: from the 10th to the 90th percentile
    over the last `recent_weeks` weeks (the top at least 2). The set count is a load too: a step that may
    write 10 sets writes "10x10" on every line (a week no log would hold), and one that may write 1 writes
    the 1 of a "10" it cannot finish. 1-10 with nothing logged."""
    since = ctx.as_of - dt.timedelta(weeks=recent_weeks)
    counts = []
    for s in ctx.sessions:
        if s.day < since or s.day >= ctx.as_of:
            continue
        per: dict[str, int] = {}
        for w in s.sets:
            st = getattr(w, "set_type", None)
            if getattr(st, "value", st) != "warmup" and (w.reps or 0) > 0:
                per[w.exercise.strip().lower()] = per.get(w.exercise.strip().lower(), 0) + 1
        counts += per.values()
    if not counts:
        return SetsCap(min_sets=1, max_sets=10, evidence="no working sets in the last weeks: any count up to 10")
    counts.sort()

    def pct(q: float) -> int:
        return counts[min(len(counts) - 1, max(0, math.ceil(q * len(counts)) - 1))]

    lo, hi = pct(0.1), pct(0.9)
    top = max(2, min(10, hi))
    return SetsCap(min_sets=max(1, min(lo, top)), max_sets=top,
                   evidence=f"10th-90th percentile of working sets per exercise per session over the last "
                            f"{recent_weeks} weeks ({len(counts)} exercise sessions): {lo}-{hi}")


def _related(e: Any, catalog: Any, by_key: dict[str, list], refs: dict[str, Any]) -> list[float]:
    """Reference loads of the athlete's logged lifts with the same pattern (same equipment when any)."""
    if e is None or not getattr(e, "pattern", None):
        return []
    same_pattern, same_both = [], []
    for key, ref in refs.items():
        if not key.startswith("id:") or ref is None:
            continue
        try:
            other = catalog.get(key[3:])
        except Exception:
            continue
        if other.id == e.id or other.pattern != e.pattern:
            continue
        same_pattern.append(ref[0])
        if other.equipment == e.equipment:
            same_both.append(ref[0])
    return same_both or same_pattern


# ------------------------------------------------------------------------------------- schemas, grammar


def _exercise_object(name: str, band: LoadBand | None, base: dict[str, Any], sets: SetsCap | None = None) -> dict[str, Any]:
    """The wire exercise object for one name: the same fields as `base`, its load an enum of the band (and
    its sets in `sets`' range)."""
    props = {k: v for k, v in base["properties"].items()}
    if sets is not None and "sets" in props:
        props["sets"] = {**props["sets"], "minimum": sets.min_sets, "maximum": sets.max_sets}
    props["exercise"] = {"type": "string", "enum": [name]}
    required = [r for r in base["required"]]
    if band is not None:
        if band.source == "no_load":
            props.pop("kg", None)
        else:
            props["kg"] = {"type": "number", "enum": band.values()}
            if band.source == "log" and "kg" not in required:
                required.append("kg")  # they load this lift: a load is part of the prescription
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def exercise_step_schema(allowed: list[str], bands: dict[str, LoadBand], base_exercise: dict[str, Any],
                         sets: SetsCap | None = None) -> dict[str, Any]:
    """One wire exercise object whose name is one of `allowed`, whose load is in that name's band (and whose
    sets are in `sets`' range)."""
    if not allowed:
        raise ValueError("no exercise is left to choose")
    return {"anyOf": [_exercise_object(n, bands.get(n), base_exercise, sets) for n in allowed]}


def constrained_wire_schema(schema: dict[str, Any], bands: dict[str, LoadBand]) -> dict[str, Any]:
    """A (fitted) wire schema whose every exercise carries its own load band.

    A JSON schema cannot say "no name twice in this array" in a form decoders honour (`uniqueItems` is
    not enforced by llama.cpp's grammar engine nor by providers), so repeats are re-decoded step by step."""
    s = json.loads(json.dumps(schema))
    exercises = s["properties"]["days"]["items"]["properties"]["exercises"]
    base = exercises["items"]
    names = base["properties"]["exercise"].get("enum") or sorted(bands)
    exercises["items"] = exercise_step_schema(list(names), bands, base)
    return s


def repeats(plan: Plan) -> list[tuple[int, int]]:
    """(day, slot) of every line that names an exercise its day already named (case ignored)."""
    out = []
    for di, day in enumerate(plan.days):
        seen: set[str] = set()
        for si, p in enumerate(day.exercises):
            key = p.exercise.strip().lower()
            if key in seen:
                out.append((di, si))
            seen.add(key)
    return out


def out_of_band(plan: Plan, bands: dict[str, LoadBand]) -> list[tuple[int, int]]:
    """(day, slot) of every prescription whose load is outside its exercise's band."""
    return [(di, si) for di, day in enumerate(plan.days) for si, p in enumerate(day.exercises)
            if p.exercise in bands and not bands[p.exercise].admits(p.load_kg)]


def blocked_names(ctx: Any, catalog: Any, names: list[str]) -> dict[str, str]:
    """{name: why} for each of `names` the athlete's log rules out: a pain/aggravation note blames it (or a
    close variant, `catalog.variants`), or it is the classic stressor of a stated constraint region.

    The checker's reading of the notes and profile (`plans.checker.athlete_flags`, `exercise_findings`)
    and the rule coach's rule for a lift that must go (`plans.coach.swap_need` == "hard"), so a
    constrained model, the checker and the rule coach agree on what is off limits."""
    from .checker import athlete_flags, exercise_findings, resolve
    from .coach import swap_need

    flags = athlete_flags(ctx, catalog)
    out: dict[str, str] = {}
    for name in names:
        entry = resolve(name, catalog, flags.logged)
        if swap_need(name, entry, flags) != "hard":
            continue
        findings = exercise_findings(name, entry, flags)
        # the athlete's own note first (their words), then the stated constraint it stresses
        why = next((f for f in findings if f.code == "aggravated" and f.severity in ("high", "medium")), None) or next(
            (f for f in findings if f.code in ("constraint_region", "noted_region") and f.severity == "high"), None)
        # the coach's rule and the checker's findings agree today; should they drift, the lift is still
        # blocked (the coach would swap it) with the coach's reason instead of a StopIteration mid-plan
        out[name] = f"{why.code}: {why.message}" if why else "the rule coach must swap it for this athlete"
    return out


def blocked(plan: Plan, names: set[str] | dict[str, str]) -> list[tuple[int, int]]:
    """(day, slot) of every prescription of a blocked name (case ignored)."""
    keys = {n.strip().lower() for n in names}
    return [(di, si) for di, day in enumerate(plan.days) for si, p in enumerate(day.exercises)
            if p.exercise.strip().lower() in keys]


class Enforced(BaseModel):
    plan: Plan
    dropped: list[str]  # "day N: NAME" lines removed as repeats or blocked lifts
    clamped: list[str]  # "day N: NAME X -> Y kg"


def enforce(plan: Plan, bands: dict[str, LoadBand], blocked: set[str] | dict[str, str] | None = None) -> Enforced:
    """The last word: a repeated line or a `blocked` lift is dropped (never kept; a day it would empty keeps
    nothing else either, so the day goes) and a load outside its band moved to the nearest admissible one.
    Decoders that honour the schema/grammar leave nothing for this to do."""
    banned = {n.strip().lower() for n in blocked or ()}
    dropped, clamped, days = [], [], []
    for di, day in enumerate(plan.days):
        seen: set[str] = set()
        kept: list[Prescription] = []
        for p in day.exercises:
            key = p.exercise.strip().lower()
            if key in seen or key in banned:
                dropped.append(f"day {di + 1}: {p.exercise}" + (" (blamed by the log)" if key in banned else ""))
                continue
            seen.add(key)
            band = bands.get(p.exercise)
            if band is not None and not band.admits(p.load_kg):
                new = band.clamp(p.load_kg)
                clamped.append(f"day {di + 1}: {p.exercise} {p.load_kg} -> {new} kg")
                p = p.model_copy(update={"load_kg": new})
            kept.append(p)
        if kept:
            days.append(PlanDay(name=day.name, exercises=kept))
    if not days:
        from ..errors import PlanParseError

        raise PlanParseError("every line of the plan was a repeat or a lift the log blames", place="plan")
    return Enforced(plan=plan.model_copy(update={"days": days}), dropped=dropped, clamped=clamped)


# ------------------------------------------------------------------------- the week's days and their focus
#
# A step-wise plan's days are peri's, not the model's: their names and body parts come from the split the
# athlete states or the log shows (`log.profile.derive_split`), else from a default by days a week (the
# rule coach's: up to 3 days full body, 4 upper/lower, 5+ push/pull/legs). Each day's step grammar offers
# the names that fit its focus by the catalog's tags, in tiers of preference (`DayChoices.allowed`).

# The muscles each focus trains (the catalog's primary-muscle words), from the profile's own groups.
FOCUS_MUSCLES: dict[str, frozenset[str]] = {
    "upper": frozenset(PUSH | PULL | {"neck"}), "lower": frozenset(LOWER), "legs": frozenset(LOWER),
    "push": frozenset(PUSH), "pull": frozenset(PULL), "full": frozenset(),
    **{part: frozenset(m) for part, m in BODY_PARTS.items() if part != "legs"},
}
FOCUS_WORDS = {"upper": "upper-body", "lower": "lower-body", "legs": "leg", "push": "push", "pull": "pull",
               "full": "full-body", "chest": "chest", "back": "back", "shoulders": "shoulder", "arms": "arm"}
PUSH_PATTERNS = frozenset({"horizontal_push", "vertical_push"})
PULL_PATTERNS = frozenset({"horizontal_pull", "vertical_pull"})
# (day name, focus) in the order the days come; a name that comes twice in a week gets A, B, ...
SPLIT_DAYS: dict[str, list[tuple[str, str]]] = {
    "full body": [("Full Body", "full")],
    "upper/lower": [("Upper", "upper"), ("Lower", "lower")],
    "push/pull/legs": [("Push", "push"), ("Pull", "pull"), ("Legs", "legs")],
    "body-part split": [("Chest", "chest"), ("Back", "back"), ("Legs", "legs"), ("Shoulders", "shoulders"),
                        ("Arms", "arms")],
}
# a body-part split on fewer days than it has parts pairs them (a part with its usual partner)
BODY_PART_PAIRS: dict[int, list[tuple[str, str]]] = {
    4: [("Chest & Shoulders", "chest+shoulders"), ("Back", "back"), ("Legs", "legs"), ("Arms", "arms")],
    3: [("Chest & Shoulders", "chest+shoulders"), ("Back & Arms", "back+arms"), ("Legs", "legs")],
}


class DayFocus(BaseModel):
    """One day of the week: the name peri writes for it and the body parts it trains (`FOCUS_MUSCLES` keys
    joined by "+")."""

    name: str
    focus: str


class WeekLayout(BaseModel):
    """The week's days, and the split they follow with where it comes from."""

    split: str
    source: Literal["stated", "derived", "default"]
    evidence: str
    days: list[DayFocus]


    def request(self) -> str:
        """The days as a sentence for a prompt (a path where the model writes the whole plan): their names in
        order, each with its focus."""
        named = "; ".join(f"{d.name} ({' & '.join(FOCUS_WORDS.get(f, f) for f in d.focus.split('+'))})"
                          for d in self.days)
        n = len(self.days)
        return (f"Write {n} training day{'s' if n > 1 else ''}, named exactly and in this order: {named}. "
                f"Each day trains its focus.")


def named_days_schema(schema: dict[str, Any], layout: WeekLayout) -> dict[str, Any]:
    """A (fitted) wire schema whose day names are the layout's: an enum of them (a JSON schema cannot tie a
    name to an array position in a form providers honour — `prefixItems` is not in their subset — so the
    order is `relabel_days`' to restore)."""
    s = json.loads(json.dumps(schema))
    s["properties"]["days"]["items"]["properties"]["name"] = {"type": "string",
                                                              "enum": list(dict.fromkeys(d.name for d in layout.days))}
    return s


def relabel_days(plan: Plan, layout: WeekLayout) -> tuple[Plan, list[str]]:
    """`plan` with the layout's day names, and a line for each day the model named otherwise.

    A day the model named as one of the layout's (case and spacing aside) keeps that name, so its lifts
    and its name still agree; every other day (a name of its own, or a layout name already taken) gets the
    layout's first unused name, in order; days beyond the layout keep theirs and are reported."""
    def key(name: str) -> str:
        return " ".join(name.split()).lower()

    canon = {key(d.name): d.name for d in layout.days}
    used: set[str] = set()
    names: list[str | None] = []
    for day in plan.days:
        k = key(day.name)
        if k in canon and canon[k] not in used:
            names.append(canon[k])
            used.add(canon[k])
        else:
            names.append(None)
    free = [d.name for d in layout.days if d.name not in used]
    out, report = [], []
    for i, (day, name) in enumerate(zip(plan.days, names)):
        if name is None and free:
            name = free.pop(0)
            report.append(f"day {i + 1}: {day.name!r} -> {name!r}")
        elif name is None:
            name = day.name
            report.append(f"day {i + 1}: {day.name!r} is beyond the {len(layout.days)} days asked for")
        elif name != day.name:
            report.append(f"day {i + 1}: {day.name!r} -> {name!r}")
        out.append(day.model_copy(update={"name": name}))
    if free:
        report.append(f"{len(free)} day(s) asked for but not written: {', '.join(free)}")
    return plan.model_copy(update={"days": out}), report


def default_split(days: int) -> str:
    """The split a week of `days` days follows when the athlete neither states nor shows one."""
    return "full body" if days <= 3 else "upper/lower" if days == 4 else "push/pull/legs"


def known_split(split: str | None) -> str | None:
    """`split` as one of `SPLIT_DAYS`' keys (a stated "PPL" or "Upper/Lower 4x" too); None for a split that
    names no layout of days (``mixed``, empty, anything else)."""
    s = (split or "").lower()
    if "push" in s or "ppl" in s:
        return "push/pull/legs"
    if "upper" in s or "lower" in s:
        return "upper/lower"
    if "full" in s or "total" in s:
        return "full body"
    if "body-part" in s or "body part" in s or "bro" in s:
        return "body-part split"
    return None


def week_layout(split: str | None, days: int, *, source: str = "derived", evidence: str = "") -> WeekLayout:
    """The days of a week of `days` sessions for `split`: names and focus (module section above).

    A split that names no layout (or an `unknown` source) gets `default_split(days)`, and says so; a body-part
    split on fewer than 3 days is full body (two days cannot hold five body parts)."""
    days = max(1, min(7, days))
    name = known_split(split) if source != "unknown" else None
    if name == "body-part split" and days < 3:
        name = None
    if name is None:
        name, why = default_split(days), (f"the log shows no split ({split})" if source != "unknown" and split
                                          else "no split stated or shown by the log")
        kind, evidence = "default", f"{why}: the usual split for {days} day{'s' if days > 1 else ''} a week"
    else:
        kind = "stated" if source == "stated" else "derived"
    cycle = SPLIT_DAYS[name]
    if name == "body-part split" and days in BODY_PART_PAIRS:
        cycle = BODY_PART_PAIRS[days]
    picked = [cycle[i % len(cycle)] for i in range(days)]
    counts: dict[str, int] = {}
    for n, _ in picked:
        counts[n] = counts.get(n, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for n, focus in picked:
        seen[n] = seen.get(n, 0) + 1
        out.append(DayFocus(name=f"{n} {chr(64 + seen[n])}" if counts[n] > 1 else n, focus=focus))
    return WeekLayout(split=name, source=kind, evidence=evidence, days=out)


def athlete_layout(athlete: Any) -> WeekLayout:
    """`week_layout` for an athlete: their split (stated, or derived by `log.profile`) and days a week."""
    src = (getattr(athlete, "sources", None) or {}).get("split")
    kind = getattr(src, "kind", "stated")
    return week_layout(athlete.split, athlete.days_per_week, source=kind, evidence=getattr(src, "evidence", "") or "")


def _parts(e: Any) -> set[str]:
    return set(getattr(e, "primary_muscles", None) or [])


def is_lower(e: Any) -> bool:
    """A lower-body exercise: a squat, hinge or lunge (whatever its catalog muscle: the deadlift's is the
    lower back), or one whose primary muscles are the legs'."""
    return e.pattern in LOWER_PATTERNS or bool(_parts(e) & LOWER)


def fits_focus(e: Any, focus: str) -> bool:
    """Whether catalog entry `e` trains a day of `focus` ("+"-joined parts: any one of them). Core and
    cardio fit only a full-body day; push and pull are told apart by pattern, then by the catalog's force."""
    if "+" in focus:
        return any(fits_focus(e, f) for f in focus.split("+"))
    if focus == "full":
        return True
    if e is None or e.pattern in ("core", "cardio"):
        return False
    if focus in ("lower", "legs"):
        return is_lower(e)
    group = "upper" if focus in ("push", "pull") else focus  # push and pull split the upper body's lifts
    if is_lower(e) or not _parts(e) & FOCUS_MUSCLES[group]:
        return False
    force = getattr(e, "force", None)
    if focus == "push":
        return e.pattern in PUSH_PATTERNS or (e.pattern not in PULL_PATTERNS and (
            force == "push" or (force != "pull" and bool(_parts(e) & PUSH))))
    if focus == "pull":
        return e.pattern in PULL_PATTERNS or (e.pattern not in PUSH_PATTERNS and (
            force == "pull" or (force != "push" and bool(_parts(e) & PULL))))
    return True


def related_to_focus(e: Any, focus: str) -> bool:
    """The first widening of a day: core work, or an exercise whose primary or secondary muscles include
    one the focus trains (a row's rear delts for a push day)."""
    if e is None or e.pattern == "cardio":
        return False
    if e.pattern == "core":
        return True
    muscles = _parts(e) | set(getattr(e, "secondary_muscles", None) or [])
    return any(muscles & FOCUS_MUSCLES[f] for f in focus.split("+"))


class ChoiceTier(BaseModel):
    """Names a day's step may choose from, before the next tier is opened: the day's focus, related
    muscles or the whole vocabulary (`kind`), the lifts that moderately stress a blamed region apart."""

    kind: Literal["focus", "related", "all"]
    demoted: bool = False
    names: list[str]

    def label(self, word: str) -> str:
        what = {"focus": f"{word} exercises", "related": "related muscles", "all": "the whole vocabulary"}[self.kind]
        return what + (" that moderately stress a region the log or profile blames" if self.demoted else "")


class DayChoices(BaseModel):
    """One day of a step-wise plan: its name and focus, and the vocabulary in tiers of preference — the
    focus's names (those that moderately stress a region the log or profile blames after the rest, when
    `demoted`), then related muscles, then the whole vocabulary. `blocked` names the focus's lifts the log
    blames (why a day may have to widen)."""

    name: str
    focus: str
    tiers: list[ChoiceTier]
    blocked: list[str] = []
    kinds: dict[str, str] = {}  # name -> its movement (`movement_kind`), for variety within the day

    @property
    def word(self) -> str:
        return " & ".join(FOCUS_WORDS.get(f, f) for f in self.focus.split("+"))

    def allowed(self, taken: list[str] | set[str] = (), earlier: list[str] | set[str] = ()) -> tuple[list[str], int]:
        """(names a step may write, the tier they come from): the first tier with a name the day does not
        hold yet; in it, names of a movement the day has not trained yet (`kinds`: no third vertical pull
        while a press is left) that no `earlier` day of the same focus holds (Upper B is not Upper A
        again), else either, else any. ([], -1) when the vocabulary is spent."""
        have = {t.strip().lower() for t in taken}
        before = {t.strip().lower() for t in earlier}
        done = {self.kinds.get(t) for t in taken} - {None}
        for i, tier in enumerate(self.tiers):
            left = [n for n in tier.names if n.lower() not in have]
            novel = [n for n in left if self.kinds.get(n) not in done]
            fresh = [n for n in left if n.lower() not in before]
            both = [n for n in novel if n in fresh]
            if left:
                return both or novel or fresh or left, i
        return [], -1

    def note(self, tier: int, slot: int) -> str | None:
        """Why a step (0-based `slot`) of this day came from `tier`, for the generation's record; None when
        it came from the focus's own safe names."""
        t = self.tiers[tier]
        if t.kind == "focus" and not t.demoted:
            return None
        n_focus = sum(len(x.names) for x in self.tiers if x.kind == "focus")
        blamed = (f"; {len(self.blocked)} more blocked by the log ({', '.join(self.blocked[:4])}"
                  + (", ..." if len(self.blocked) > 4 else "") + ")") if self.blocked else ""
        why = (f"the vocabulary's {n_focus} {self.word} exercise(s) are already in the day{blamed}"
               if t.kind != "focus" else f"the safer {self.word} exercises are already in the day")
        return f"{self.name} slot {slot + 1}: {t.label(self.word)} — {why}"


def movement_kind(e: Any) -> str | None:
    """What a day should not hold twice while it has a choice: the movement pattern, or for isolation
    work the muscle it isolates."""
    if e is None:
        return None
    if e.pattern in ("isolation", "other"):
        return f"{e.pattern}:{(e.primary_muscles or ['?'])[0]}"
    return e.pattern


def vocabulary_entries(names: list[str], catalog: Any, aliases: dict[str, str] | None = None) -> dict[str, Any]:
    """{name: catalog entry, a guess from its words, or None} for each of `names`."""
    from ..log.guessed_tags import place

    return {n: place(n, catalog, aliases) for n in names}


def day_choices(
    layout: WeekLayout, vocabulary: list[str], entries: dict[str, Any], *,
    blocked: dict[str, str] | None = None, demoted: dict[str, str] | None = None,
) -> list[DayChoices]:
    """Each day of `layout` with its tiers over `vocabulary` (the names a step may choose, blocked lifts
    already out), by the catalog tags in `entries` ({name: entry or None}; a name nothing places comes
    only in the last tier, or first on a full-body day). `demoted` names wait behind the safe ones of
    their tier."""
    low = {d.lower() for d in demoted or ()}
    out = []
    for day in layout.days:
        focus = [n for n in vocabulary if fits_focus(entries.get(n), day.focus)]
        related = [n for n in vocabulary if n not in focus and related_to_focus(entries.get(n), day.focus)]
        rest = [n for n in vocabulary if n not in focus and n not in related]
        tiers = []
        for kind, names in (("focus", focus), ("related", related), ("all", rest)):
            for demote in (False, True):
                part = [n for n in names if (n.lower() in low) == demote]
                if part:
                    tiers.append(ChoiceTier(kind=kind, demoted=demote, names=part))
        out.append(DayChoices(name=day.name, focus=day.focus, tiers=tiers,
                              blocked=[n for n in blocked or {} if fits_focus(entries.get(n), day.focus)],
                              kinds={n: k for n in vocabulary if (k := movement_kind(entries.get(n))) is not None}))
    return out


# A stated constraint region the athlete's pain notes name again within this many weeks is still hurting:
# every lift the catalog says loads it counts as moderate stress, not only the checker's "medium" ones.
STILL_HURTING_WEEKS = 8


def moderate_names(ctx: Any, catalog: Any, names: list[str]) -> dict[str, str]:
    """{name: why} for each of `names` that moderately stresses a region the athlete blames, read from their
    profile and notes exactly as the checker reads them: the rule coach's "soft" swap (`coach.swap_need`: a
    medium stress on a constraint or noted region), or any load (the catalog's `joints`) on a stated
    constraint region that a pain note of the last `STILL_HURTING_WEEKS` weeks names again — a lift to put
    behind the safe ones, or to leave out. Never from anything a simulator hides."""
    from .checker import athlete_flags, exercise_findings, resolve
    from .coach import swap_need

    flags = athlete_flags(ctx, catalog)
    since = ctx.as_of - dt.timedelta(weeks=STILL_HURTING_WEEKS)
    hurting = {r for a in ctx.annotations if a.date >= since and {"pain", "aggravated"} & set(a.tags)
               for r in a.regions} & set(flags.constraint_regions)
    out: dict[str, str] = {}
    for name in names:
        entry = resolve(name, catalog, flags.logged)
        need = swap_need(name, entry, flags)
        if need == "soft":
            why = next(f for f in exercise_findings(name, entry, flags)
                       if f.code in ("constraint_region", "noted_region") and f.severity == "medium")
            out[name] = f"{why.code}: {why.message}"
        elif need is None and entry is not None and (loaded := sorted(hurting & set(entry.joints or []))):
            region = loaded[0].replace("_", " ")
            out[name] = (f"still_hurting: loads your {region} (a stated constraint your notes of the last "
                         f"{STILL_HURTING_WEEKS} weeks name again)")
    return out
