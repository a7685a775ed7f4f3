"""Weight units: inferred from evidence when a file does not state them, and checked for plausibility after.

Strong's plain `Weight` column (and any export whose unit column was lost) carries numbers without a unit.
Storing pounds as kilograms makes every prompt and plan 2.2 times too heavy, so the unit is never assumed:
`infer_unit` weighs evidence and says how sure it is, and an importer that gets a weak answer stops and asks
for `--unit`.

Evidence, each turned into points for kg or lb:
- plate arithmetic: pound loads sit on 45 / 95 / 135 / 185 / 225 / 315 / 405 (a 45 lb bar plus 45 or 25 lb
  plates) and move in steps of 5; kilogram loads move in steps of 2.5 or 1.25 (22.5, 102.5, 61.25) and kg
  dumbbells and kettlebells in steps of 2 (12, 14, 16, 24, 32), which pound equipment does not make;
- conversion traces: a number that is a round pound load converted to kg (102.058 = 225 lb) was stored in kg
  by an app for a pound user, and the other way round; Strong's kg-to-lb export artefacts
  (185.00000000000003) mark a pound export;
- the same lift over time: its smallest step between loads (1.25-2.5 for kg plates, 5 for pound plates), and
  a heaviest load beyond what any human has lifted in kilograms is pounds;
- unit words in notes ("5 kg more", "225lbs");
- the athlete's stated body mass: a top bench press over 2.5x body mass read as kg, or under 0.25x read as lb.

`plausibility(...)` is the check after the fact: estimated 1RMs of the stored data against the same human
ceilings flag a log that looks off by the factor 2.2, with the command that fixes it, losing nothing.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from .models import LB_TO_KG, Session
from .stats import e1rm_epley

KG_PER_LB = LB_TO_KG
LB_PER_KG = 1 / LB_TO_KG  # 2.20462...

# Landmark pound loads: a 45 lb bar plus pairs of 45 lb plates (135, 225, 315, 405, 495) weigh most, plus pairs
# of 25s on top (95, 185, 275, 365).
_LB_BAR_LOADS = {135.0: 1.0, 225.0: 1.0, 315.0: 1.0, 405.0: 1.0, 495.0: 1.0, 95.0: 0.5, 185.0: 0.5, 275.0: 0.5,
                 365.0: 0.5}

# "lifts progressing in 5 steps" says something about one lifter's smallest plates, whatever the number of lifts
MAX_FIVE_STEP_POINTS = 3.0

# Approximate heaviest raw (unequipped) lifts on record, rounded up, in kg, by a word of the exercise name
# (from general knowledge of the records, not a cited table: a bound, not a statistic). A load above these read
# as kilograms is almost surely pounds; an equipped lifter's log can exceed them and would get a false flag (a
# flag only suggests a command, it changes nothing). Leg presses, sleds and hip thrusts load far beyond a squat
# and are not bounded.
HUMAN_CEILING_KG: dict[str, float] = {"deadlift": 510.0, "squat": 500.0, "bench": 360.0, "overhead press": 230.0,
                                      "military press": 230.0, "clean": 270.0, "snatch": 230.0, "row": 320.0,
                                      "curl": 130.0, "pull up": 150.0, "chin up": 150.0, "dip": 200.0}
_NOT_CEILINGED = ("leg press", "sled", "hip thrust", "machine", "smith", "calf", "shrug", "hack", "belt")
# Bench press 1RM over body mass: above 2.5x read as kg is a world-class lifter; under 0.25x read as lb is less
# than an untrained adult's first session. Either way the other reading is far likelier.
_BENCH_RATIO_HIGH = 2.5
_BENCH_RATIO_LOW = 0.25

_KG_NOTE = re.compile(r"\d\s*(?:kg|kgs|kilos?|kilograms?)\b", re.I)
_LB_NOTE = re.compile(r"\d\s*(?:lb|lbs|pounds?)\b", re.I)
_ARTEFACT = re.compile(r"\.\d*(?:0000000|9999999)\d*$")

# Below this margin, or with fewer informative points, the answer is weak and the import asks for --unit.
WEAK_MARGIN = 0.4
MIN_POINTS = 6.0


class UnitInference(BaseModel):
    """The unit a file's unlabelled weights are in, how sure, and why (one line per piece of evidence)."""

    unit: Literal["kg", "lb"]
    confidence: Literal["high", "medium", "low"]
    kg_points: float = 0.0
    lb_points: float = 0.0
    evidence: list[str] = Field(default_factory=list)
    source: Literal["inferred", "stated", "option"] = "inferred"

    @property
    def weak(self) -> bool:
        return self.confidence == "low"

    def summary(self) -> str:
        if self.source != "inferred":
            return f"{self.unit} ({'stated by the file' if self.source == 'stated' else 'from --unit'})"
        return f"{self.unit} (inferred, {self.confidence} confidence: " + "; ".join(self.evidence) + ")"


def _is_step(w: float, step: float) -> bool:
    q = w / step
    return abs(q - round(q)) < 1e-6


def ceiling_of(exercise: str) -> float | None:
    """The heaviest load (kg) any human has lifted in this exercise's pattern, or None when unknown/unbounded."""
    return _ceiling(exercise)


@lru_cache(maxsize=4096)
def _ceiling(exercise: str) -> float | None:
    low = exercise.lower()
    if any(word in low for word in _NOT_CEILINGED):
        return None
    for word, kg in HUMAN_CEILING_KG.items():
        if word in low:
            return kg
    return None


def infer_unit(
    loads: Iterable[tuple[str, float]],
    *,
    notes: Iterable[str] = (),
    body_mass_kg: float | None = None,
    raw_texts: Iterable[str] = (),
) -> UnitInference:
    """Weigh the evidence that unlabelled `loads` ((exercise, number) pairs) are kg or lb.

    `notes`: free text of the same file (unit words); `raw_texts`: the weight cells as written (conversion
    artefacts); `body_mass_kg`: the athlete's stated body mass, when known.
    """
    kg = lb = 0.0
    why_kg: dict[str, float] = defaultdict(float)
    why_lb: dict[str, float] = defaultdict(float)
    heaviest: dict[str, float] = {}
    counted = Counter(loads)  # a log repeats the same few hundred loads: judge each once, weigh by its count
    per_load: Counter[float] = Counter()
    for (exercise, w), n in counted.items():
        if w is not None and math.isfinite(w) and w > 0:
            per_load[w] += n
    for (exercise, w), n in counted.items():
        if w is None or not math.isfinite(w) or w <= 0:
            continue
        if w > heaviest.get(exercise, 0.0):
            heaviest[exercise] = w
        if w in _LB_BAR_LOADS:
            # a landmark is evidence only where the log dwells on it more than on its neighbours: pound lifters
            # warm up and settle on 135/225/315; a kilogram lifter moving in 5s passes 95 and 135 like any load
            if per_load[w] > _neighbours(per_load, w):
                why_lb["loads on the 45 lb bar-and-plate landmarks (135/225/315...)"] += _LB_BAR_LOADS[w] * n
        elif _is_step(w, 1.25) and not _is_step(w, 2.5):
            why_kg["loads in 1.25 steps (1.25 kg plates)"] += n
        elif _is_step(w, 2.5) and not _is_step(w, 5):
            # half weight: pound lifters microload too (12.5 lb dumbbells, 2.5 lb plates), kg lifters far more
            why_kg["loads in 2.5 steps off the 5s (22.5, 102.5: kg plates)"] += 0.5 * n
        elif _is_step(w, 2) and not _is_step(w, 5) and w < 60:
            why_kg["dumbbells/kettlebells in 2 kg steps (12, 16, 24, 32)"] += 0.5 * n
        elif not _is_step(w, 0.25):
            as_lb = w * LB_PER_KG
            as_kg = w * KG_PER_LB
            if _is_near_step(as_lb, 2.5):
                why_kg["kg numbers that are round pound loads converted (102.058 = 225 lb)"] += n
            elif _is_near_step(as_kg, 1.25):
                why_lb["lb numbers that are round kg loads converted (44.09 = 20 kg)"] += n
    # the same lift over time: its smallest step between distinct loads is the smallest plate pair it uses -
    # 1.25-2.5 for kg plates, 5 for pound plates (2.5 lb x 2)
    by_lift: dict[str, set[float]] = defaultdict(set)
    for (exercise, w), _n in counted.items():
        if w is not None and math.isfinite(w) and w > 0:
            by_lift[exercise].add(w)
    for loads_of in by_lift.values():
        if len(loads_of) < 4:
            continue
        ordered = sorted(loads_of)
        step = min(b - a for a, b in zip(ordered, ordered[1:]))
        if 1.0 <= step <= 2.5 + 1e-9:
            why_kg["lifts progressing in 1-2.5 steps (kg plates)"] += 2
        elif abs(step - 5) < 1e-9:
            # a kilogram lifter with 2.5 kg plates moves in 5s too: one lifter's smallest plates, said once
            # however many lifts show it, never enough alone to outweigh a kilogram sign
            five = "lifts progressing in 5 steps (the smallest pound plate pair)"
            why_lb[five] = min(why_lb[five] + 1, MAX_FIVE_STEP_POINTS)
    # the empty bar: a barbell lift's warm-ups start on it - 20 (kg) or 45 (lb) - logged again and again, far
    # below the lift's working loads
    bars = {20.0: 0, 45.0: 0}
    for exercise, loads_of in by_lift.items():
        lightest = min(loads_of)
        if lightest in bars and _is_barbell(exercise) and lightest <= 0.5 * max(loads_of) \
                and counted[(exercise, lightest)] >= 3:
            bars[lightest] += 1
    if bars[20.0]:
        why_kg[f"{bars[20.0]} barbell lifts start from 20, the empty 20 kg bar, far below their working loads"] += \
            3.0 * bars[20.0]
    if bars[45.0]:
        why_lb[f"{bars[45.0]} barbell lifts start from 45, the empty 45 lb bar, far below their working loads"] += \
            3.0 * bars[45.0]
    artefacts = sum(1 for t in set(raw_texts) if _ARTEFACT.search(t.strip()))
    if artefacts:
        why_lb[f"{artefacts} weights carry the float artefacts of Strong's kg-to-lb conversion"] += 10.0 * artefacts
    for exercise, top in heaviest.items():
        ceiling = _ceiling(exercise)
        if ceiling is not None and top > ceiling:
            why_lb[f"heaviest {exercise} {top:g} is beyond any human lift in kg ({ceiling:g} kg)"] += 20.0
    if body_mass_kg:
        bench = [top for ex, top in heaviest.items() if "bench" in ex.lower() and _ceiling(ex) is not None]
        if bench:
            top = max(bench)
            if top / body_mass_kg > _BENCH_RATIO_HIGH:
                why_lb[f"heaviest bench {top:g} is {top / body_mass_kg:.1f}x the stated body mass if kg"] += 10.0
            elif top * KG_PER_LB / body_mass_kg < _BENCH_RATIO_LOW:
                why_kg[f"heaviest bench {top:g} is {top * KG_PER_LB / body_mass_kg:.2f}x the stated body mass if lb"] += 10.0
    n_kg = n_lb = 0
    for text in notes:
        if text:
            n_kg += len(_KG_NOTE.findall(text))
            n_lb += len(_LB_NOTE.findall(text))
    if n_kg:
        why_kg[f"notes name kg {n_kg} times"] += min(n_kg, 10)
    if n_lb:
        why_lb[f"notes name lb {n_lb} times"] += min(n_lb, 10)
    kg, lb = sum(why_kg.values()), sum(why_lb.values())
    total = kg + lb
    margin = abs(lb - kg) / total if total else 0.0
    unit: Literal["kg", "lb"] = "lb" if lb > kg else "kg"
    if total >= 3 * MIN_POINTS and margin >= 0.6:
        confidence: Literal["high", "medium", "low"] = "high"
    elif total >= MIN_POINTS and margin >= WEAK_MARGIN:
        confidence = "medium"
    else:
        confidence = "low"
    evidence = [f"{why} ({pts:g} points for lb)" for why, pts in sorted(why_lb.items(), key=lambda kv: -kv[1])]
    evidence += [f"{why} ({pts:g} points for kg)" for why, pts in sorted(why_kg.items(), key=lambda kv: -kv[1])]
    if not evidence:
        evidence = ["no load in the file tells kg from lb"]
    return UnitInference(unit=unit, confidence=confidence, kg_points=round(kg, 2), lb_points=round(lb, 2),
                         evidence=evidence)


def _neighbours(per_load: Counter[float], w: float) -> float:
    """The mean count of the loads 5 and 10 either side of `w` (absent ones count 0)."""
    return sum(per_load.get(w + d, 0) for d in (-10.0, -5.0, 5.0, 10.0)) / 4


_BARBELL = re.compile(r"\b(?:barbell|bb)\b|\(bar\)", re.I)
_CLASSIC_BARBELL = ("squat", "bench press", "deadlift", "overhead press", "military press", "barbell row")
_NOT_A_STRAIGHT_BAR = ("dumbbell", "db", "machine", "cable", "smith", "kettlebell", "band", "trap", "hex", "ez",
                       "goblet", "leg press", "hack", "landmine", "safety", "cambered", "swiss", "football", "sled")


def _is_barbell(exercise: str) -> bool:
    """A lift on a standard straight bar (20 kg / 45 lb): named so, or a classic barbell lift named with no
    other implement (a trap, EZ or safety bar, a machine or dumbbells weigh something else)."""
    low = exercise.lower()
    if any(re.search(rf"\b{w}\b", low) for w in _NOT_A_STRAIGHT_BAR):
        return False
    return bool(_BARBELL.search(low)) or any(word in low for word in _CLASSIC_BARBELL)


def _is_near_step(x: float, step: float, tol: float = 0.02) -> bool:
    q = x / step
    return abs(q - round(q)) * step < tol and round(q) > 0


# --- plausibility of stored data ------------------------------------------------------------
class UnitFlag(BaseModel):
    """One lift whose stored loads look off by the kg/lb factor, and the command that fixes it."""

    exercise: str
    e1rm_kg: float
    limit_kg: float
    reason: str
    command: str


def plausibility(
    sessions: Iterable[Session], athlete: str, *, body_mass_kg: float | None = None
) -> list[UnitFlag]:
    """Lifts whose estimated 1RM (stored kg) is beyond any human record for the pattern, or beyond
    `_BENCH_RATIO_HIGH` x body mass for a bench press: the log looks like pounds stored as kilograms. The
    command re-reads the stored numbers as pounds (`peri import reunit`), keeping every number as logged."""
    rows = ((w.exercise, w.weight_kg, w.reps, w.unit) for s in sessions for w in s.sets)
    return plausibility_of_rows(rows, athlete, body_mass_kg=body_mass_kg)


def plausibility_of_rows(
    rows: Iterable[tuple[str, float | None, int | None, str | None]], athlete: str, *,
    body_mass_kg: float | None = None,
) -> list[UnitFlag]:
    """`plausibility` over plain (exercise, weight_kg, reps, unit) rows: the importer's fast path."""
    best: dict[str, float] = {}
    for exercise, kg, reps, unit in rows:
        # only loads stored as kg: pounds mistaken for kg make a log heavier, never lighter
        if kg and reps and unit == "kg":
            e = e1rm_epley(kg, reps)  # None past 12 reps, where Epley drifts
            if e is not None and e > best.get(exercise, 0.0):
                best[exercise] = e
    return flags_from_best(best, athlete, body_mass_kg=body_mass_kg)


def flags_from_best(best: dict[str, float], athlete: str, *, body_mass_kg: float | None = None) -> list[UnitFlag]:
    """The flags for a best-e1RM-per-exercise table (kg loads only)."""
    flags: list[UnitFlag] = []
    command = f"peri import reunit --athlete {_quote(athlete)} --from kg --to lb"
    for exercise, e in sorted(best.items()):
        ceiling = _ceiling(exercise)
        if ceiling is not None and e > ceiling:
            flags.append(UnitFlag(exercise=exercise, e1rm_kg=round(e, 1), limit_kg=ceiling, command=command,
                                  reason=f"estimated 1RM {e:.0f} kg is beyond the heaviest {exercise} ever lifted "
                                         f"(~{ceiling:g} kg); as pounds it is {e * KG_PER_LB:.0f} kg"))
        elif body_mass_kg and "bench" in exercise.lower() and ceiling is not None and e / body_mass_kg > 3.0:
            flags.append(UnitFlag(exercise=exercise, e1rm_kg=round(e, 1), limit_kg=round(3.0 * body_mass_kg, 1),
                                  command=command,
                                  reason=f"estimated 1RM {e:.0f} kg is {e / body_mass_kg:.1f}x the stated body mass"))
    return flags


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[\w.@+-]+", text) else "'" + text.replace("'", "'\\''") + "'"
