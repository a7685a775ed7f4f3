"""The training log's data model: athletes, sessions, sets, annotations.

These pydantic models are the boundary between importers/simulator and the store, and
what every downstream reader (stats, prompts, datasets, checker) gets back.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field, model_validator

LB_TO_KG = 0.45359237


class Level(str, Enum):
    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"


class Goal(str, Enum):
    hypertrophy = "hypertrophy"
    strength = "strength"
    endurance = "endurance"
    powerlifting = "powerlifting"
    general = "general"


class SetType(str, Enum):
    normal = "normal"
    warmup = "warmup"
    drop = "drop"
    failure = "failure"


class Scope(str, Enum):
    week = "week"
    session = "session"
    exercise = "exercise"
    set = "set"


# Tags derived from annotation text; the checker and dataset builder key on these.
ANNOTATION_TAGS = ("worked", "excessive", "aggravated", "pain", "felt_strong")
# Body regions a note or a constraint can name; same vocabulary as catalog joint tags.
REGIONS = ("shoulder", "elbow", "wrist", "lower_back", "hip", "knee", "neck", "ankle", "upper_back")


# Profile fields that can be stated by the person, derived from the log (peri.log.profile) or unknown.
PROFILE_FIELDS = ("level", "days_per_week", "goal", "split", "equipment")
_DEFAULT_EQUIPMENT = ["barbell", "dumbbell", "cable", "machine", "body only"]


class FieldSource(BaseModel):
    """Where one profile field's value comes from. `phrase`/`short` word a derived fact as what the log
    shows (prompts); `evidence` says why (`peri athlete show`)."""

    kind: Literal["stated", "derived", "unknown"]
    evidence: str | None = None
    phrase: str | None = None  # "~3 training days a week" (long prompts)
    short: str | None = None  # "~3x/wk" (the tuned model's short prompt)


class Athlete(BaseModel):
    """A lifter's profile. Each of PROFILE_FIELDS has a source in `sources`; a field the person did not
    state keeps the default value below only for computing (coach, checker), never to be said as theirs.

    Built without `sources`, a field passed explicitly is stated and one left to its default is unknown.
    A stored row from before sources existed holds every field: it reads as stated, except the profile
    `Athlete(name=...)` used to store for an imported athlete (every field at its default, not simulated),
    which reads as unknown, so the log is read instead of the defaults."""

    id: int | None = None
    name: str
    age: int | None = None
    body_mass_kg: float | None = None
    sex: str | None = None
    level: Level = Level.intermediate
    days_per_week: int = Field(4, ge=1, le=7)
    goal: Goal = Goal.hypertrophy
    split: str = "upper/lower"  # e.g. "upper/lower", "push/pull/legs", "full body"
    equipment: list[str] = Field(default_factory=lambda: list(_DEFAULT_EQUIPMENT))
    constraints: list[str] = Field(default_factory=list)  # free text, e.g. "lower back sensitivity"
    constraint_regions: list[str] = Field(default_factory=list)  # normalised REGIONS derived from constraints
    simulated: bool = False
    # the unit loads are shown in (plans, stats); None: the unit most of the recent log is kept in
    # (peri.log.shown_unit). Loads are stored and computed in kg whatever this says.
    unit: Literal["kg", "lb"] | None = None
    sources: dict[str, FieldSource] = Field(default_factory=dict)  # PROFILE_FIELDS -> where the value is from

    @model_validator(mode="after")
    def _fill_sources(self) -> "Athlete":
        given = self.model_fields_set
        defaults = {"level": Level.intermediate, "days_per_week": 4, "goal": Goal.hypertrophy, "split": "upper/lower",
                    "equipment": _DEFAULT_EQUIPMENT}
        legacy_defaults = (
            "sources" not in given and not self.simulated and all(f in given for f in PROFILE_FIELDS)
            and all(getattr(self, f) == v for f, v in defaults.items())
        )
        for f in PROFILE_FIELDS:
            if f not in self.sources:
                stated = f in given and not legacy_defaults
                self.sources[f] = FieldSource(kind="stated" if stated else "unknown")
        return self

    def source(self, field: str) -> FieldSource:
        """Where `field` (one of PROFILE_FIELDS) comes from."""
        return self.sources.get(field) or FieldSource(kind="stated")


class WorkoutSet(BaseModel):
    exercise: str  # the name as logged
    exercise_id: str | None = None  # catalog id when mapped
    order: int = 1  # 1-based position within the exercise in the session
    weight: float | None = None  # as logged, in `unit`
    unit: str | None = None  # "kg" | "lb" | None (bodyweight / not logged)
    weight_kg: float | None = None
    reps: int | None = None
    rpe: float | None = None
    rir: float | None = None
    distance_m: float | None = None
    seconds: float | None = None
    set_type: SetType = SetType.normal
    note: str | None = None  # original note text, kept verbatim
    id: int | None = None

    def effective_rpe(self) -> float | None:
        if self.rpe is not None:
            return self.rpe
        if self.rir is not None:
            return 10.0 - self.rir
        return None


class Session(BaseModel):
    id: int | None = None
    athlete_id: int | None = None
    started_at: dt.datetime
    name: str = ""
    duration_s: int | None = None
    notes: str | None = None  # session/workout notes, verbatim
    source: str = "manual"  # strong | hevy | fitnotes | csv | sim | manual
    sets: list[WorkoutSet] = Field(default_factory=list)

    @property
    def day(self) -> dt.date:
        return self.started_at.date()


class Annotation(BaseModel):
    id: int | None = None
    athlete_id: int | None = None
    scope: Scope = Scope.session
    date: dt.date
    text: str  # verbatim
    exercise: str | None = None  # the exercise named (as logged) when scope is exercise/set
    exercise_id: str | None = None
    session_id: int | None = None
    tags: list[str] = Field(default_factory=list)  # subset of ANNOTATION_TAGS
    regions: list[str] = Field(default_factory=list)  # subset of REGIONS
    rpe: float | None = None
    rir: float | None = None
    source: str = "note"  # note (from an import), manual (peri note), sim


class ImportReport(BaseModel):
    """What an import did, or would do with --dry-run."""

    file: str
    fmt: str
    rows_read: int = 0
    sessions_new: int = 0
    sets_new: int = 0
    sets_existing: int = 0
    annotations_new: int = 0
    skipped: list[str] = Field(default_factory=list)  # "line N: reason" for rows deliberately skipped (e.g. Rest Timer)
    unmapped_exercises: list[str] = Field(default_factory=list)
    # unmapped names that are not strength exercises (a session rating, a walk): name -> "kind: evidence"
    not_exercises: dict[str, str] = Field(default_factory=dict)
    dry_run: bool = False
    warnings: list[str] = Field(default_factory=list)  # e.g. "assumed lb", "read as Windows-1252", repaired rows
    # what the importer recognised and decided (peri.log.importers.dialect, peri.log.units)
    dialect: str | None = None  # e.g. "strong-ios"
    language: str | None = None  # e.g. "German", or "unknown language, recognised by shape"
    unit: str | None = None  # "kg" | "lb": the weight unit of the file's unlabelled loads, or the one it states
    unit_source: str | None = None  # "stated" | "option" (--unit) | "inferred"
    unit_evidence: list[str] = Field(default_factory=list)
    refused: list[str] = Field(default_factory=list)  # "line N: why" for rows refused at the boundary, not stored
    refused_count: int = 0  # all refused rows (`refused` lists the first 1,000)
    unit_flags: list[str] = Field(default_factory=list)  # lifts that look off by the kg/lb factor, with the fix
    import_id: int | None = None  # the batch this import wrote (`peri import undo ID`)
    # the file's newest session (or None): a log that ended long ago is told how to plan from now
    # (`peri.log.importers.stale_log_note`)
    last_session: dt.date | None = None
