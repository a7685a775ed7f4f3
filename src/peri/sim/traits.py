"""The hidden truth about a simulated athlete: what hurts them, what works for them, where they really are.

A simulated athlete's log shows these traits only the way a real log would (sets, loads, RPE, notes).
The traits themselves are written once by `peri.sim.generate` to `PERI_HOME/oracle/<athlete>.json` and
read back only by `peri.sim.oracle`. Nothing on the prompt, dataset, model, checker or coach side may
import this module (tests/test_sim_isolation.py enforces it).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..paths import name_slug, oracle_dir

SPINAL_LOAD_ORDER = {"none": 0, "low": 1, "moderate": 2, "high": 3}

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


class Aggravator(BaseModel):
    """One thing that hurts this athlete.

    An exercise aggravates when its id is listed, or when its catalog pattern is in `patterns` and it
    loads the region: spinal load at or above `min_spinal_load` when that is set (the lower back), else
    the region among the entry's `joints`.
    """

    region: str
    severity: float = Field(ge=0, le=1)
    patterns: list[str] = Field(default_factory=list)
    min_spinal_load: str | None = None
    exercise_ids: list[str] = Field(default_factory=list)

    def matches(self, entry: Any) -> bool:
        if entry is None:
            return False
        if getattr(entry, "id", None) in self.exercise_ids:
            return True
        if not self.patterns or getattr(entry, "pattern", None) not in self.patterns:
            return False
        if self.min_spinal_load is not None:
            load = SPINAL_LOAD_ORDER.get(getattr(entry, "spinal_load", "none") or "none", 0)
            return load >= SPINAL_LOAD_ORDER[self.min_spinal_load]
        return self.region in (getattr(entry, "joints", None) or [])


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
    days_per_week: int  # what the athlete really sustains when things go well
    split: str  # "upper/lower" | "push/pull/legs" | "full body"
    adherence: float  # share of planned sessions actually done
    aggravators: list[Aggravator] = Field(default_factory=list)
    responsive: list[str] = Field(default_factory=list)  # exercise ids this athlete responds to best
    volume: dict[str, VolumeBand] = Field(default_factory=dict)  # by MUSCLE_GROUPS
    progression: dict[str, float] = Field(default_factory=dict)  # exercise id -> base weekly relative e1RM gain
    main_lifts: list[str] = Field(default_factory=list)
    trajectory: dict[str, list[float]] = Field(default_factory=dict)  # exercise id -> true e1RM (kg) per week
    meet_dates: list[dt.date] = Field(default_factory=list)

    def aggravation(self, entry: Any) -> float:
        """Severity (0-1) with which `entry` aggravates this athlete; 0 when it does not."""
        return max((a.severity for a in self.aggravators if a.matches(entry)), default=0.0)

    def week_index(self, day: dt.date) -> int:
        return (day - self.start).days // 7

    def true_e1rm(self, exercise_id: str, day: dt.date) -> float | None:
        """Where the athlete really is on `exercise_id` in the week of `day` (last known value after the history)."""
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
