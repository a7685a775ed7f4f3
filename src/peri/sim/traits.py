"""The hidden truth about a simulated athlete: what hurts them, what works for them, where they really are.

A simulated athlete's log shows these traits only the way a real log would (sets, loads, RPE, notes).
The traits themselves are written once by `peri.sim.generate` to `PERI_HOME/oracle/<athlete>.json` and
read back only by `peri.sim.oracle`. Nothing on the prompt, dataset, model, checker or coach side may
import this module (tests/test_sim_isolation.py enforces it).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..paths import name_slug, oracle_dir

# The muscle groups volume tolerance is kept for; catalog muscle names map onto these (`muscle_group`).
MUSCLE_GROUPS = (
    "chest", "shoulders", "triceps", "biceps", "lats", "middle back", "quadriceps", "hamstrings", "glutes", "calves",
    "abdominals",
)
# Small muscles matter less to a week's volume fit than the big movers.
MUSCLE_WEIGHT = {"calves": 0.5, "abdominals": 0.5, "biceps": 0.75, "triceps": 0.75}


def muscle_group(name: str) -> str | None:
    """Map a catalog muscle name (free-exercise-db, or a split deltoid head) onto MUSCLE_GROUPS."""
    n = name.strip().lower()
    if "delt" in n or "shoulder" in n:
        return "shoulders"
    if n in ("upper back", "middle back", "rhomboids", "mid back"):
        return "middle back"
    if n in ("lats", "latissimus dorsi"):
        return "lats"
    if n in ("quads", "quadriceps"):
        return "quadriceps"
    if n in ("abs", "abdominals", "obliques"):
        return "abdominals"
    return n if n in MUSCLE_GROUPS else None


def entry_muscles(entry: Any) -> dict[str, float]:
    """Hard-set credit one working set of `entry` gives each muscle group: 1 primary, 0.5 secondary."""
    out: dict[str, float] = {}
    for m in getattr(entry, "secondary_muscles", None) or []:
        g = muscle_group(m)
        if g:
            out[g] = max(out.get(g, 0.0), 0.5)
    for m in getattr(entry, "primary_muscles", None) or []:
        g = muscle_group(m)
        if g:
            out[g] = 1.0
    return out


# How a tissue-load level (0-3, peri.sim.tissues) turns into aggravation for a sensitive tissue.
LOAD_SCALE = {0: 0.0, 1: 0.3, 2: 0.65, 3: 1.0}


def _unit_normal(*parts: object) -> float:
    """A deterministic standard-normal draw from a hash of `parts` (per athlete, per exercise)."""
    h = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    u1 = (int.from_bytes(h[:8], "big") + 0.5) / 2**64
    u2 = (int.from_bytes(h[8:16], "big") + 0.5) / 2**64
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def equipment_class(entry: Any) -> str:
    """The strength-curve class of an exercise, from the public catalog's equipment field."""
    eq = (getattr(entry, "equipment", None) or "body only").lower()
    if eq in ("machine", "cable"):
        return "machine"
    if eq in ("dumbbell", "kettlebells"):
        return "dumbbell"
    if eq in ("barbell", "e-z curl bar"):
        return "barbell"
    return "other"


class VolumeBand(BaseModel):
    """Weekly hard sets for one muscle: below `mev` is no stimulus, above `mrv` the athlete cannot recover."""

    mev: float
    mrv: float


class HiddenTraits(BaseModel):
    """Everything the oracle knows and no planner may see."""

    athlete: str
    preset: str | None = None
    seed: int
    start: dt.date  # Monday of week 0 of the history
    weeks: int
    level: str
    goal: str
    days_per_week: int  # what the athlete really sustains (may differ from the profile's number)
    split: str  # "upper/lower" | "push/pull/legs" | "full body"
    adherence: float  # share of planned sessions actually done
    # tissue -> sensitivity 0-1: stated problems, and problems the profile never mentions
    sensitivity: dict[str, float] = Field(default_factory=dict)
    # tissue -> how readily a flare ends up in a note (a hidden problem is often trained through silently)
    reveal: dict[str, float] = Field(default_factory=dict)
    # per-exercise idiosyncrasy: the same tissue load hurts one lifter on the leg press, another on the hack
    # squat. factor = exp(spread * z(salt, exercise id)), drawn on demand so every catalog lift has one.
    idiosyncrasy_salt: int = 0
    idiosyncrasy_spread: float = 0.0
    # strength curve per equipment class: the load fraction f of 1RM a lifter moves for r reps is
    # exp(-k (r - 1)); k is the athlete's own (not Epley's fixed 1/30)
    curve_k: dict[str, float] = Field(default_factory=dict)
    # reps in reserve this athlete really leaves when told a target (positive: stops short of the target)
    rir_bias: float = 0.0
    responsive: list[str] = Field(default_factory=list)  # exercise ids this athlete responds to best
    volume: dict[str, VolumeBand] = Field(default_factory=dict)  # by MUSCLE_GROUPS
    progression: dict[str, float] = Field(default_factory=dict)  # exercise id -> base weekly relative e1RM gain
    main_lifts: list[str] = Field(default_factory=list)
    trajectory: dict[str, list[float]] = Field(default_factory=dict)  # exercise id -> true 1RM (kg) per week
    meet_dates: list[dt.date] = Field(default_factory=list)

    def exercise_factor(self, exercise_id: str) -> float:
        """This athlete's idiosyncratic multiplier on the tissue load of one exercise (about 0.3-3)."""
        if self.idiosyncrasy_spread <= 0:
            return 1.0
        return math.exp(self.idiosyncrasy_spread * _unit_normal(self.idiosyncrasy_salt, exercise_id))

    def _tissue_aggravation(self, entry: Any) -> dict[str, float]:
        from .tissues import tissue_model

        if entry is None:
            return {}
        loads = tissue_model().loads(getattr(entry, "id", None), getattr(entry, "name", None))
        factor = self.exercise_factor(getattr(entry, "id", None) or getattr(entry, "name", ""))
        out = {}
        for t, s in self.sensitivity.items():
            v = s * LOAD_SCALE.get(loads.get(t, 0), 0.0) * factor
            if v >= 0.05:  # below that nobody notices
                out[t] = min(1.0, v)
        return out

    def aggravation(self, entry: Any) -> float:
        """Severity (0-1) with which `entry` (anything with an id and a name) aggravates this athlete; 0 when not."""
        return max(self._tissue_aggravation(entry).values(), default=0.0)

    def aggravated_tissue(self, entry: Any) -> str | None:
        """The tissue `entry` aggravates most, or None."""
        t = self._tissue_aggravation(entry)
        return max(t, key=lambda k: t[k]) if t else None

    def _k(self, entry: Any) -> float:
        return self.curve_k.get(equipment_class(entry)) or self.curve_k.get("barbell") or 1 / 30

    def max_reps(self, entry: Any, fraction: float) -> float:
        """Reps this athlete can do at `fraction` of their 1RM on `entry` (fresh); below 1 when over the 1RM."""
        return 1 + math.log(1 / max(fraction, 1e-6)) / self._k(entry)

    def load_fraction(self, entry: Any, reps: float) -> float:
        """The fraction of 1RM this athlete moves for exactly `reps` reps to failure on `entry`."""
        return math.exp(-self._k(entry) * (max(reps, 1.0) - 1))

    def week_index(self, day: dt.date) -> int:
        return (day - self.start).days // 7

    def true_e1rm(self, exercise_id: str, day: dt.date) -> float | None:
        """Where the athlete really is on `exercise_id` (true 1RM, kg) in the week of `day` (last known value after the history)."""
        traj = self.trajectory.get(exercise_id)
        if not traj:
            return None
        i = min(max(self.week_index(day), 0), len(traj) - 1)
        return traj[i]


def traits_path(athlete_name: str, home: Path | None = None) -> Path:
    """The hidden-traits file of one athlete: a readable slug plus a short hash (names may collide as slugs)."""
    return oracle_dir(home) / f"{name_slug(athlete_name, always_hash=True)}.json"


def save_traits(traits: HiddenTraits, home: Path | None = None) -> Path:
    """Write atomically (temp file, then rename) so a crash never leaves half a traits file."""
    path = traits_path(traits.athlete, home)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(traits.model_dump_json(indent=1))
    tmp.replace(path)
    return path


def load_traits(athlete_name: str, home: Path | None = None) -> HiddenTraits | None:
    path = traits_path(athlete_name, home)
    if not path.exists():
        return None
    return HiddenTraits.model_validate_json(path.read_text())
