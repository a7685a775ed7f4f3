"""The oracle: scores a plan against a simulated athlete's hidden traits. The one public door to them.

Only `peri.evaluate` may import this module (tests/test_sim_isolation.py). It returns numbers and short
notes that name problems ("Barbell Squat aggravates this athlete"), never the traits themselves, so a
score can be reported without leaking what the planners must infer from the log.

`total` (0-100) is a weighted mean of five parts, each 0-100:

| part        | weight | what it measures |
|-------------|--------|------------------|
| safety      | 0.35   | prescriptions that aggravate the athlete: each costs 30 x severity (0-1) x a set factor (0.6 for 1 set up to 1.0 for 5+); safety = 1 / (1 + cost / 60). Severity comes from the oracle's OWN tissue-load model (peri.sim.tissues, cited there), the athlete's hidden tissue sensitivities and per-exercise idiosyncrasy; never from peri's coach tags or the checker |
| volume_fit  | 0.20   | weekly hard sets per muscle (1 primary, 0.5 secondary) inside the athlete's [min effective, max recoverable] band, weighted by muscle size; linear to 0 at no sets below, at twice the top above |
| progression | 0.20   | per prescription (set-weighted), the reps in reserve its load implies on the athlete's OWN strength curve at their TRUE 1RM that week, inside the scenario's band (normal 0-4, deload 2-7, peaking 0-3 with main lifts at 6 reps or fewer); %e1RM resolved on the true 1RM; an effort target without a load gets 0.35 x the fit of the effort really reached (the athlete must find the load), a load the oracle cannot check 0.5, nothing at all 0.15; the whole part is scaled by 0.4 + 0.6 x min(1, compound share of sets / 0.4) (isolation work alone does not move a lifter's strength) |
| adherence   | 0.15   | 0.6 days (the athlete's real days/week: -0.35 per extra day, -0.2 per missing day; travel allows 2 fewer) + 0.4 split (share of days whose muscles match the athlete's split) |
| preference  | 0.10   | 0.6 x share of the athlete's responsive variations the plan includes + 0.4 x min(1, their share of sets / 0.25) |

The weighted mean is then scaled by min(1, training effect / 0.6), the training effect being the mean of
volume_fit and progression (0-1): a plan that trains little cannot score high by being safe and short.
An effort target without a load is judged at the effort the athlete really ends up at (the stated reps
in reserve plus the athlete's hidden misjudgement, `rir_bias`) and earns half credit.

Unknown exercises (not in the catalog) count as prescribed sets that help nothing: no volume, zero
progression, and they dilute preference. Deload and peaking scenarios move the volume and intensity
targets as described; travel relaxes the day count.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import NotFound
from ..log.catalog import Catalog, ExerciseEntry
from ..plans.schema import Plan, Prescription, Scenario
from .names import is_cardio, is_compound, resolve, sim_catalog
from .traits import MUSCLE_WEIGHT, HiddenTraits, entry_muscles, load_traits, traits_path

__all__ = ["WEIGHTS", "OracleScore", "is_simulated", "score_plan"]

WEIGHTS: dict[str, float] = {"safety": 0.35, "volume_fit": 0.20, "progression": 0.20, "adherence": 0.15,
                             "preference": 0.10}
# Credit for a prescription the athlete cannot load from the plan itself.
# Information the oracle cannot check earns little: omitting a load must never beat a sensible loaded plan.
EFFORT_ONLY_CREDIT = 0.35  # an RPE/RIR target without a load: times how well the effort the athlete ends up at fits
UNCHECKED_LOAD = 0.5  # a load on a lift the oracle has no truth for
NOTHING = 0.15  # neither load nor effort: the athlete is left to guess
EFFECT_FULL = 0.6  # training effect (mean of volume fit and progression) from which the total is not scaled down
COMPOUND_SHARE = 0.4
SAFETY_HALF = 60.0  # aggravation cost at which safety is halved  # share of sets in multi-joint lifts below which progression is scaled down
# Reps-in-reserve band that counts as a productive, safe prescription, by scenario.
RIR_BAND: dict[str, tuple[float, float]] = {"normal": (0.0, 4.0), "travel": (0.0, 4.5), "injury": (1.0, 5.0),
                                            "deload": (2.0, 7.0), "peaking": (0.0, 3.0)}
UPPER = {"chest", "shoulders", "triceps", "biceps", "lats", "middle back"}
LOWER = {"quadriceps", "hamstrings", "glutes", "calves"}
PUSH = {"chest", "shoulders", "triceps"}
PULL = {"lats", "middle back", "biceps"}


class OracleScore(BaseModel):
    """One plan's score for one simulated athlete: a total, its five parts, and short notes."""

    total: float = Field(ge=0, le=100)
    breakdown: dict[str, float]  # safety, volume_fit, progression, adherence, preference: each 0-100
    notes: list[str] = Field(default_factory=list)


def is_simulated(athlete_name: str, home: Path | None = None) -> bool:
    """True when `athlete_name` was made by `peri simulate` (its hidden traits exist)."""
    return traits_path(athlete_name, home).exists()


def _traits(athlete_name: str, home: Path | None) -> HiddenTraits:
    traits = load_traits(athlete_name, home)
    if traits is None:
        raise NotFound(f"{athlete_name!r} is not a simulated athlete", hint="only `peri simulate` athletes have an oracle")
    return traits


def score_plan(
    plan: Plan,
    athlete_name: str,
    *,
    as_of: dt.date | None = None,
    scenario: Scenario | str | None = None,
    home: Path | None = None,
    catalog: Catalog | None = None,
) -> OracleScore:
    """Score `plan` for the simulated athlete against the truth at `as_of` (default: the week after the history).

    `scenario` defaults to the plan's own. Raises NotFound for an athlete who is not simulated. `catalog`
    only maps names onto ids (default: the public catalog without peri's coach tags, peri.sim.names).
    """
    traits = _traits(athlete_name, home)
    catalog = catalog or sim_catalog()
    sc = Scenario(scenario).value if scenario is not None else plan.scenario.value
    day = as_of or plan.week_of or (traits.start + dt.timedelta(weeks=traits.weeks))
    resolved = [[(p, resolve(p.exercise, catalog)) for p in d.exercises] for d in plan.days]
    notes: list[str] = []
    parts = {
        "safety": _safety(resolved, traits, notes),
        "volume_fit": _volume(resolved, traits, sc, notes),
        "progression": _progression(resolved, traits, sc, day, notes),
        "adherence": _adherence(plan, resolved, traits, sc, notes),
        "preference": _preference(resolved, traits),
    }
    unknown = sorted({p.exercise for d in resolved for p, e in d if e is None})
    if unknown:
        notes.append(f"not in the catalog, counted as no help: {', '.join(unknown[:5])}")
    breakdown = {k: round(100 * v, 1) for k, v in parts.items()}
    total = round(sum(WEIGHTS[k] * breakdown[k] for k in WEIGHTS), 1)
    # A plan that trains little is trivially safe and easy to stick to; that must not make it good.
    effect = (parts["volume_fit"] + parts["progression"]) / 2
    if effect < EFFECT_FULL:
        total = round(total * effect / EFFECT_FULL, 1)
        notes.append("too little training effect: the score is scaled down")
    return OracleScore(total=max(0.0, min(100.0, total)), breakdown=breakdown, notes=notes)


Resolved = list[list[tuple[Prescription, ExerciseEntry | None]]]


def _safety(resolved: Resolved, traits: HiddenTraits, notes: list[str]) -> float:
    cost, named = 0.0, []
    for d in resolved:
        for p, e in d:
            sev = traits.aggravation(e) if e is not None else 0.0
            if sev > 0:
                cost += 30 * sev * (0.6 + 0.1 * min(4, p.sets - 1))
                if sev >= 0.5 and p.exercise not in named:
                    named.append(p.exercise)
    if named:
        notes.append(f"aggravates this athlete: {', '.join(named[:5])}")
    # Smooth, never saturating: a plan that adds harm to an already harmful week still scores lower.
    return 1 / (1 + cost / SAFETY_HALF)


def _plan_sets(resolved: Resolved) -> dict[str, float]:
    out: dict[str, float] = {}
    for d in resolved:
        for p, e in d:
            if e is None or is_cardio(e):
                continue
            for m, credit in entry_muscles(e).items():
                out[m] = out.get(m, 0.0) + credit * p.sets
    return out


def _band(lo: float, hi: float, scenario: str) -> tuple[float, float]:
    if scenario == "deload":
        return 0.3 * lo, 0.6 * hi
    if scenario == "peaking":
        return 0.5 * lo, 0.8 * hi
    if scenario in ("travel", "injury"):
        return 0.6 * lo, hi
    return lo, hi


def _volume(resolved: Resolved, traits: HiddenTraits, scenario: str, notes: list[str]) -> float:
    sets = _plan_sets(resolved)
    total_w, score = 0.0, 0.0
    over, under = [], []
    for m, band in traits.volume.items():
        lo, hi = _band(band.mev, band.mrv, scenario)
        x = sets.get(m, 0.0)
        if x < lo:
            s = x / lo if lo > 0 else 1.0
            if s < 0.6:
                under.append(m)
        elif x > hi:
            s = max(0.0, 1 - (x - hi) / hi)
            if s < 0.8:
                over.append(f"{m} ({x:g} sets)")
        else:
            s = 1.0
        w = MUSCLE_WEIGHT.get(m, 1.0)
        total_w += w
        score += w * s
    if over:
        notes.append(f"more volume than this athlete recovers from: {', '.join(over)}")
    if under:
        notes.append(f"too little volume to grow: {', '.join(under)}")
    return score / total_w if total_w else 1.0


def _rir_score(rir: float, scenario: str) -> float:
    lo, hi = RIR_BAND.get(scenario, RIR_BAND["normal"])
    if rir < lo:
        return max(0.0, 1 - (lo - rir) / 2.5)  # past failure fast: too heavy is risky
    if rir > hi:
        return max(0.0, 1 - (rir - hi) / 6)  # too light decays slowly: no stimulus, no harm
    return 1.0


def _progression(resolved: Resolved, traits: HiddenTraits, scenario: str, day: dt.date, notes: list[str]) -> float:
    total, score, compound = 0, 0.0, 0
    heavy, light = [], []
    for d in resolved:
        for p, e in d:
            total += p.sets
            if e is None:
                continue
            if is_cardio(e):
                score += p.sets * 0.8
                compound += p.sets
                continue
            if is_compound(e):
                compound += p.sets
            reps = (p.reps_low + p.reps_high) / 2
            e1rm = traits.true_e1rm(e.id, day)
            load = p.load_kg
            if load is None and p.pct_e1rm is not None and e1rm is not None:
                load = e1rm * p.pct_e1rm / 100
            effort = p.rir if p.rir is not None else (10 - p.rpe if p.rpe is not None else None)
            if load is not None and load > 0 and e1rm is not None and e.equipment not in ("body only", None):
                rir = traits.max_reps(e, load / e1rm) - reps
                s = _rir_score(rir, scenario)
                if s < 0.5:
                    (heavy if rir < 0 else light).append(p.exercise)
            elif effort is not None:
                # The plan states how hard, not how heavy: the athlete has to find the load, and a target of
                # many reps "at RPE 8" on a lift they can barely move is judged on their true curve too.
                s = EFFORT_ONLY_CREDIT * _rir_score(effort + traits.rir_bias, scenario)
                if e1rm is not None and traits.load_fraction(e, reps + effort) < 0.3:
                    s *= 0.5  # so many reps the load is no longer strength work
            elif load is not None and load > 0:
                s = UNCHECKED_LOAD  # a load the oracle cannot check against this athlete
            else:
                s = NOTHING
            if scenario == "peaking" and e.id in traits.main_lifts and p.reps_high > 6:
                s *= 0.7
            score += p.sets * s
    if heavy:
        notes.append(f"loads beyond what the athlete can do for those reps: {', '.join(dict.fromkeys(heavy))}")
    if light:
        notes.append(f"loads too light to be a stimulus: {', '.join(list(dict.fromkeys(light))[:5])}")
    if not total:
        return 0.0
    share = min(1.0, (compound / total) / COMPOUND_SHARE)
    if share < 0.6:
        notes.append("little multi-joint work: main lifts will not progress")
    return score / total * (0.4 + 0.6 * share)


def _day_kind(day: list[tuple[Prescription, ExerciseEntry | None]]) -> str:
    sets: dict[str, float] = {}
    for p, e in day:
        if e is not None:
            for m, credit in entry_muscles(e).items():
                if credit == 1.0:
                    sets[m] = sets.get(m, 0.0) + p.sets
    up = sum(v for m, v in sets.items() if m in UPPER)
    low = sum(v for m, v in sets.items() if m in LOWER)
    if up + low == 0:
        return "other"
    if low / (up + low) >= 0.7:
        return "lower"
    if up / (up + low) >= 0.8:
        push = sum(v for m, v in sets.items() if m in PUSH)
        pull = sum(v for m, v in sets.items() if m in PULL)
        if push >= 0.75 * up:
            return "push"
        if pull >= 0.75 * up:
            return "pull"
        return "upper"
    return "full"


SPLIT_KINDS = {
    "upper/lower": {"upper", "lower", "push", "pull"},
    "push/pull/legs": {"push", "pull", "lower"},
    "full body": {"full"},
}


def _adherence(plan: Plan, resolved: Resolved, traits: HiddenTraits, scenario: str, notes: list[str]) -> float:
    n, want = len(plan.days), traits.days_per_week
    realistic = max(1, round(want * traits.adherence))
    if n > want:
        days = max(0.0, 1 - 0.35 * (n - want))
        notes.append(f"{n} training days; this athlete trains fewer")
    elif n >= min(realistic, want - (2 if scenario == "travel" else 0)):
        days = 1.0
    else:
        days = max(0.0, 1 - 0.2 * (min(realistic, want) - n))
    kinds = [_day_kind(d) for d in resolved]
    ok_kinds = SPLIT_KINDS.get(traits.split, {"upper", "lower", "push", "pull", "full"})
    split = sum(1 for k in kinds if k in ok_kinds) / len(kinds) if kinds else 0.0
    if split < 0.5:
        notes.append(f"days do not follow the athlete's {traits.split} split")
    return 0.6 * days + 0.4 * split


def _preference(resolved: Resolved, traits: HiddenTraits) -> float:
    if not traits.responsive:
        return 1.0
    ids = [(p.sets, e.id if e else None) for d in resolved for p, e in d]
    total = sum(s for s, _ in ids)
    liked = sum(s for s, i in ids if i in traits.responsive)
    covered = len({i for _, i in ids if i in traits.responsive}) / len(traits.responsive)
    share = min(1.0, (liked / total) / 0.25) if total else 0.0
    return 0.6 * covered + 0.4 * share
