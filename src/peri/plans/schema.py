"""One plan representation: a week of days, each a list of prescriptions.

The compact text form (plans.text), the JSON schema for constrained decoding
(`plan_json_schema`) and the Rich view (plans.view) are all views of these models.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, Field, model_validator


class Scenario(str, Enum):
    normal = "normal"
    deload = "deload"
    travel = "travel"
    peaking = "peaking"
    injury = "injury"


MAX_DURATION_S = 4 * 3600  # a long ride; a set's time beyond it is a typing slip
MAX_DISTANCE_M = 100_000.0  # an ultra; beyond it a slip


class Prescription(BaseModel):
    exercise: str  # catalog name
    sets: int = Field(ge=1, le=10)
    reps_low: int = Field(ge=1, le=50)
    reps_high: int = Field(ge=1, le=50)
    load_kg: float | None = Field(None, ge=0, le=600)
    pct_e1rm: float | None = Field(None, gt=0, le=110)  # percent of estimated 1RM
    rpe: float | None = Field(None, ge=5, le=10)
    rir: int | None = Field(None, ge=0, le=5)
    rest_s: int | None = Field(None, ge=0, le=900)
    # a set held for a time or carried over a distance ("Plank 3 x 45 s", "Farmer carry 3 x 40 m", "Row 5 min"):
    # one rep a set, and no lifting volume (peri.log.stats counts no set logged by time or distance as a hard set)
    duration_s: int | None = Field(None, ge=1, le=MAX_DURATION_S)
    distance_m: float | None = Field(None, gt=0, le=MAX_DISTANCE_M)
    note: str | None = None

    @property
    def is_lifting(self) -> bool:
        """Sets x reps (of a load or the body): not a set held for a time or carried over a distance."""
        return self.duration_s is None and self.distance_m is None

    @model_validator(mode="after")
    def _range(self) -> "Prescription":
        if self.reps_high < self.reps_low:
            raise ValueError(f"rep range {self.reps_low}-{self.reps_high} is reversed")
        return self


class PlanDay(BaseModel):
    name: str
    exercises: list[Prescription] = Field(min_length=1)


class Plan(BaseModel):
    scenario: Scenario = Scenario.normal
    week_of: dt.date | None = None
    days: list[PlanDay] = Field(min_length=1, max_length=7)

    def exercise_names(self) -> list[str]:
        return [p.exercise for d in self.days for p in d.exercises]

    def hard_sets(self) -> int:
        """Sets of lifting: timed and distance sets are no hard sets (as the log counts them)."""
        return sum(p.sets for d in self.days for p in d.exercises if p.is_lifting)
