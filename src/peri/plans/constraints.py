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
profile and the notes exactly as the checker reads them. Never from anything a simulator hides.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from statistics import median
from typing import Any, Literal

from pydantic import BaseModel

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


def _exercise_object(name: str, band: LoadBand | None, base: dict[str, Any]) -> dict[str, Any]:
    """The wire exercise object for one name: the same fields as `base`, its load an enum of the band."""
    props = {k: v for k, v in base["properties"].items()}
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


def exercise_step_schema(allowed: list[str], bands: dict[str, LoadBand], base_exercise: dict[str, Any]) -> dict[str, Any]:
    """One wire exercise object whose name is one of `allowed` and whose load is in that name's band."""
    if not allowed:
        raise ValueError("no exercise is left to choose")
    return {"anyOf": [_exercise_object(n, bands.get(n), base_exercise) for n in allowed]}


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
