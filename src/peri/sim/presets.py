"""Named simulated athletes, and the recipe that draws a new one from a seed.

A preset is two things: the profile a user would type in (age, level, days, goal, split, equipment,
the constraint they know about) and the hidden truth behind it (what really aggravates them, which
variations they respond to, how fast they progress, how reliably they show up). Exercise choices are
catalog ids (src/peri/data/exercises.json); each programme slot lists the lift the athlete usually does
first and the variations they rotate to, plus what they do instead in a hotel gym.
"""
from __future__ import annotations

import random

from pydantic import BaseModel, Field



class Slot(BaseModel):
    """One exercise position in a training day."""

    options: list[str]  # catalog ids; options[0] is the usual choice, the rest what the athlete rotates to
    sets: int
    reps: tuple[int, int]
    main: bool = False  # a main lift: warm-up sets, heavier, tracked closely
    travel: str | None = "same"  # hotel-gym substitute id; "same" keeps the lift, None skips the slot
    kind: str = "lift"  # "lift" | "timed" (seconds) | "cardio" (distance + time)


class DayTemplate(BaseModel):
    name: str
    slots: list[Slot]


class AthleteSpec(BaseModel):
    """A concrete athlete: the profile a user would enter plus the hidden traits that drive the log."""

    key: str
    summary: str
    # --- the profile, as entered by the user ---
    age: int
    sex: str
    body_mass_kg: float
    level: str
    goal: str
    split: str  # the split the programme really follows (the truth the oracle judges by)
    days_per_week: int
    stated_split: str | None = None  # what the user typed, when it differs from the programme they really run
    equipment: list[str] = Field(default_factory=lambda: ["barbell", "dumbbell", "cable", "machine", "body only"])
    constraints: list[str] = Field(default_factory=list)
    constraint_regions: list[str] = Field(default_factory=list)
    unit: str = "kg"
    days: list[DayTemplate]
    # --- hidden ---
    # tissue -> sensitivity (0-1) the athlete really has; the simulator may add a problem nobody stated
    problems: dict[str, float] = Field(default_factory=dict)
    responsive: list[str] = Field(default_factory=list)  # some of them; the simulator adds population favourites
    recovery: float = 1.0  # scales the population volume tolerance drawn for this athlete
    progression_scale: float = 1.0
    adherence: float = 0.85
    meets: bool = False
    rpe_habit: float = 0.1  # share of exercises with RPE logged on the last set
    chattiness: float = 1.0
    languages: list[str] = Field(default_factory=lambda: ["en"])
    session_hour: int = 18


def S(options: str | list[str], sets: int, lo: int, hi: int, *, main: bool = False, travel: str | None = "same",
      kind: str = "lift") -> Slot:
    """A slot, written compactly: `S(["Barbell_Squat", "Box_Squat"], 4, 5, 8, main=True)`."""
    return Slot(options=[options] if isinstance(options, str) else options, sets=sets, reps=(lo, hi), main=main,
                travel=travel, kind=kind)


# --- programmes --------------------------------------------------------------------------------
UPPER_LOWER = [
    DayTemplate(name="Upper A", slots=[
        S(["Barbell_Bench_Press_-_Medium_Grip", "Dumbbell_Bench_Press"], 4, 5, 8, main=True, travel="Dumbbell_Bench_Press"),
        S(["Bent_Over_Barbell_Row", "T-Bar_Row_with_Handle"], 3, 6, 10, main=True, travel="One-Arm_Dumbbell_Row"),
        S(["Dumbbell_Shoulder_Press", "Arnold_Dumbbell_Press"], 3, 8, 12),
        S(["Wide-Grip_Lat_Pulldown", "Close-Grip_Front_Lat_Pulldown"], 3, 8, 12, travel="Dumbbell_Incline_Row"),
        S("Side_Lateral_Raise", 3, 12, 20),
        S(["EZ-Bar_Skullcrusher", "Triceps_Pushdown"], 3, 10, 12, travel="Standing_Dumbbell_Triceps_Extension"),
        S(["Barbell_Curl", "EZ-Bar_Curl"], 3, 8, 12, travel="Dumbbell_Bicep_Curl"),
    ]),
    DayTemplate(name="Lower A", slots=[
        S("Barbell_Squat", 4, 5, 8, main=True, travel="Goblet_Squat"),
        S(["Romanian_Deadlift", "Stiff-Legged_Dumbbell_Deadlift"], 3, 8, 10, travel="Stiff-Legged_Dumbbell_Deadlift"),
        S(["Leg_Press", "Hack_Squat"], 3, 10, 15, travel="Split_Squat_with_Dumbbells"),
        S("Lying_Leg_Curls", 3, 10, 15, travel=None),
        S("Standing_Calf_Raises", 4, 10, 15, travel="Standing_Dumbbell_Calf_Raise"),
        S(["Cable_Crunch", "Hanging_Leg_Raise"], 3, 10, 15, travel="Hanging_Leg_Raise"),
    ]),
    DayTemplate(name="Upper B", slots=[
        S(["Incline_Dumbbell_Press", "Barbell_Incline_Bench_Press_-_Medium_Grip"], 4, 8, 12, main=True,
          travel="Incline_Dumbbell_Press"),
        S(["Pullups", "Chin-Up"], 4, 6, 10, travel="Dumbbell_Incline_Row"),
        S("Seated_Cable_Rows", 3, 10, 12, travel="One-Arm_Dumbbell_Row"),
        S("Face_Pull", 3, 12, 15, travel="Reverse_Flyes"),
        S(["Side_Lateral_Raise", "Cable_Seated_Lateral_Raise"], 3, 12, 20, travel="Side_Lateral_Raise"),
        S("Triceps_Pushdown_-_Rope_Attachment", 3, 10, 15, travel="Tricep_Dumbbell_Kickback"),
        S(["Hammer_Curls", "Incline_Dumbbell_Curl"], 3, 10, 12),
    ]),
    DayTemplate(name="Lower B", slots=[
        S(["Barbell_Deadlift", "Trap_Bar_Deadlift"], 3, 3, 6, main=True, travel="Stiff-Legged_Dumbbell_Deadlift"),
        S(["Front_Barbell_Squat", "Hack_Squat"], 3, 6, 10, travel="Goblet_Squat"),
        S(["Split_Squat_with_Dumbbells", "Dumbbell_Lunges"], 3, 10, 12),
        S("Seated_Leg_Curl", 3, 10, 15, travel=None),
        S("Leg_Extensions", 3, 12, 15, travel=None),
        S("Seated_Calf_Raise", 3, 12, 20, travel="Standing_Dumbbell_Calf_Raise"),
    ]),
]

PUSH_PULL_LEGS = [
    DayTemplate(name="Push A", slots=[
        S(["Barbell_Bench_Press_-_Medium_Grip", "Dumbbell_Bench_Press_with_Neutral_Grip"], 4, 6, 8, main=True,
          travel="Dumbbell_Bench_Press"),
        S(["Dumbbell_Shoulder_Press", "Seated_Barbell_Military_Press"], 3, 8, 10, travel="Dumbbell_Shoulder_Press"),
        S("Incline_Dumbbell_Press", 3, 8, 12),
        S("Side_Lateral_Raise", 4, 12, 15),
        S(["Dips_-_Triceps_Version", "Triceps_Pushdown"], 3, 8, 12, travel="Tricep_Dumbbell_Kickback"),
    ]),
    DayTemplate(name="Pull A", slots=[
        S("Bent_Over_Barbell_Row", 4, 6, 10, main=True, travel="One-Arm_Dumbbell_Row"),
        S(["Pullups", "Chin-Up"], 4, 6, 10, travel="Dumbbell_Incline_Row"),
        S("Face_Pull", 3, 12, 15, travel="Reverse_Flyes"),
        S("Barbell_Curl", 3, 8, 12, travel="Dumbbell_Bicep_Curl"),
        S("Hammer_Curls", 3, 10, 12),
    ]),
    DayTemplate(name="Legs A", slots=[
        S("Barbell_Squat", 4, 6, 8, main=True, travel="Goblet_Squat"),
        S("Romanian_Deadlift", 3, 8, 10, travel="Stiff-Legged_Dumbbell_Deadlift"),
        S("Leg_Press", 3, 10, 15, travel="Dumbbell_Lunges"),
        S("Lying_Leg_Curls", 3, 10, 12, travel=None),
        S("Standing_Calf_Raises", 4, 10, 15, travel="Standing_Dumbbell_Calf_Raise"),
    ]),
    DayTemplate(name="Push B", slots=[
        S(["Barbell_Incline_Bench_Press_-_Medium_Grip", "Incline_Dumbbell_Press"], 4, 6, 10, main=True,
          travel="Incline_Dumbbell_Press"),
        S("Standing_Military_Press", 3, 6, 8, travel="Dumbbell_Shoulder_Press"),
        S(["Cable_Crossover", "Flat_Bench_Cable_Flyes"], 3, 12, 15, travel="Dumbbell_Flyes"),
        S(["Upright_Barbell_Row", "Cable_Seated_Lateral_Raise"], 3, 10, 12, travel="Side_Lateral_Raise"),
        S("Cable_Rope_Overhead_Triceps_Extension", 3, 10, 15, travel="Standing_Dumbbell_Triceps_Extension"),
    ]),
    DayTemplate(name="Pull B", slots=[
        S(["Wide-Grip_Lat_Pulldown", "Wide-Grip_Pulldown_Behind_The_Neck"], 4, 8, 12, travel="Dumbbell_Incline_Row"),
        S("Seated_Cable_Rows", 3, 10, 12, travel="One-Arm_Dumbbell_Row"),
        S("Reverse_Machine_Flyes", 3, 12, 15, travel="Reverse_Flyes"),
        S("Incline_Dumbbell_Curl", 3, 10, 12),
    ]),
    DayTemplate(name="Legs B", slots=[
        S(["Front_Barbell_Squat", "Hack_Squat"], 4, 6, 10, main=True, travel="Goblet_Squat"),
        S("Barbell_Hip_Thrust", 3, 8, 12, travel="Single_Leg_Glute_Bridge"),
        S("Leg_Extensions", 3, 12, 15, travel=None),
        S("Seated_Leg_Curl", 3, 10, 15, travel=None),
        S("Seated_Calf_Raise", 3, 12, 20, travel="Standing_Dumbbell_Calf_Raise"),
        S("Hanging_Leg_Raise", 3, 10, 15),
    ]),
]

FULL_BODY_BEGINNER = [
    DayTemplate(name="Full Body A", slots=[
        S(["Goblet_Squat", "Dumbbell_Squat"], 3, 8, 12, main=True),
        S(["Leverage_Chest_Press", "Machine_Bench_Press"], 3, 8, 12, travel="Dumbbell_Bench_Press"),
        S("Seated_Cable_Rows", 3, 10, 12, travel="One-Arm_Dumbbell_Row"),
        S(["Barbell_Glute_Bridge", "Barbell_Hip_Thrust"], 3, 10, 12, travel="Single_Leg_Glute_Bridge"),
        S("Plank", 3, 30, 60, kind="timed"),
    ]),
    DayTemplate(name="Full Body B", slots=[
        S("Leg_Press", 3, 10, 12, main=True, travel="Split_Squat_with_Dumbbells"),
        S("Dumbbell_Bench_Press", 3, 8, 12),
        S("Wide-Grip_Lat_Pulldown", 3, 10, 12, travel="Dumbbell_Incline_Row"),
        S("Stiff-Legged_Dumbbell_Deadlift", 3, 10, 12),
        S("Side_Lateral_Raise", 2, 12, 15),
        S("Dead_Bug", 2, 10, 12),
    ]),
    DayTemplate(name="Full Body C", slots=[
        S(["Dumbbell_Lunges", "Split_Squat_with_Dumbbells"], 3, 10, 12),
        S("Incline_Dumbbell_Press", 3, 10, 12),
        S("One-Arm_Dumbbell_Row", 3, 10, 12),
        S("Lying_Leg_Curls", 3, 10, 15, travel=None),
        S("Leg_Extensions", 2, 12, 15, travel=None),
        S("Dumbbell_Bicep_Curl", 2, 10, 12),
        S("Triceps_Pushdown", 2, 10, 12, travel="Tricep_Dumbbell_Kickback"),
    ]),
]

POWERLIFTING = [
    DayTemplate(name="Squat / Bench", slots=[
        S("Barbell_Squat", 5, 3, 5, main=True, travel="Goblet_Squat"),
        S("Bench_Press_-_Powerlifting", 5, 3, 5, main=True, travel="Dumbbell_Bench_Press"),
        S(["Close-Grip_Barbell_Bench_Press", "Pin_Presses"], 3, 5, 8, travel="Dumbbell_Floor_Press"),
        S(["EZ-Bar_Skullcrusher", "Lying_Triceps_Press"], 3, 8, 12, travel="Standing_Dumbbell_Triceps_Extension"),
        S("Face_Pull", 3, 15, 20, travel="Reverse_Flyes"),
    ]),
    DayTemplate(name="Deadlift / OHP", slots=[
        S(["Barbell_Deadlift", "Sumo_Deadlift"], 4, 2, 5, main=True, travel="Stiff-Legged_Dumbbell_Deadlift"),
        S("Standing_Military_Press", 3, 5, 8, travel="Dumbbell_Shoulder_Press"),
        S("Bent_Over_Barbell_Row", 4, 6, 10, travel="One-Arm_Dumbbell_Row"),
        S(["Pullups", "Chin-Up"], 3, 6, 10, travel="Dumbbell_Incline_Row"),
        S("Barbell_Curl", 3, 8, 12, travel="Dumbbell_Bicep_Curl"),
    ]),
    DayTemplate(name="Bench Volume", slots=[
        S("Bench_Press_-_Powerlifting", 4, 6, 8, main=True, travel="Dumbbell_Bench_Press"),
        S(["Incline_Dumbbell_Press", "Dumbbell_Bench_Press"], 3, 8, 12),
        S("Seated_Cable_Rows", 4, 10, 12, travel="One-Arm_Dumbbell_Row"),
        S("Triceps_Pushdown_-_Rope_Attachment", 3, 10, 15, travel="Tricep_Dumbbell_Kickback"),
        S("Side_Lateral_Raise", 3, 12, 20),
    ]),
    DayTemplate(name="Squat Volume", slots=[
        S(["Barbell_Squat", "Box_Squat"], 3, 6, 8, main=True, travel="Goblet_Squat"),
        S("Romanian_Deadlift", 3, 6, 10, travel="Stiff-Legged_Dumbbell_Deadlift"),
        S("Leg_Press", 3, 8, 12, travel="Split_Squat_with_Dumbbells"),
        S(["Lying_Leg_Curls", "Glute_Ham_Raise"], 3, 8, 12, travel=None),
        S("Hanging_Leg_Raise", 3, 10, 15),
    ]),
]

FULL_BODY_CONDITIONING = [
    DayTemplate(name="Full Body A", slots=[
        S("Rowing_Stationary", 1, 1, 1, kind="cardio"),
        S("Leg_Press", 3, 12, 15, main=True, travel="Goblet_Squat"),
        S("Machine_Bench_Press", 3, 10, 15, travel="Dumbbell_Bench_Press"),
        S("Seated_Cable_Rows", 3, 12, 15, travel="One-Arm_Dumbbell_Row"),
        S("Barbell_Glute_Bridge", 2, 12, 15, travel="Single_Leg_Glute_Bridge"),
        S("Plank", 2, 30, 60, kind="timed"),
    ]),
    DayTemplate(name="Full Body B", slots=[
        S("Bicycling_Stationary", 1, 1, 1, kind="cardio"),
        S("Trap_Bar_Deadlift", 3, 8, 10, main=True, travel="Stiff-Legged_Dumbbell_Deadlift"),
        S("Dumbbell_Shoulder_Press", 3, 10, 12),
        S("Wide-Grip_Lat_Pulldown", 3, 10, 15, travel="Dumbbell_Incline_Row"),
        S("Goblet_Squat", 3, 10, 12),
        S("Pallof_Press", 2, 12, 15, travel="Dead_Bug"),
    ]),
    DayTemplate(name="Full Body C", slots=[
        S("Rowing_Stationary", 1, 1, 1, kind="cardio"),
        S(["Barbell_Squat", "Box_Squat"], 3, 8, 10, main=True, travel="Goblet_Squat"),
        S("Incline_Dumbbell_Press", 3, 10, 12),
        S("One-Arm_Dumbbell_Row", 3, 10, 12),
        S("Thigh_Adductor", 2, 12, 15, travel=None),
        S("Standing_Calf_Raises", 3, 12, 15, travel="Standing_Dumbbell_Calf_Raise"),
    ]),
]

PROGRAMMES: dict[str, tuple[str, list[DayTemplate]]] = {
    "upper/lower": ("upper/lower", UPPER_LOWER),
    "push/pull/legs": ("push/pull/legs", PUSH_PULL_LEGS),
    "full body": ("full body", FULL_BODY_BEGINNER),
    "powerlifting": ("upper/lower", POWERLIFTING),
    "conditioning": ("full body", FULL_BODY_CONDITIONING),
}

# --- what can hurt, by region: the words a lifter would enter; the mechanics live in peri.sim.tissues ---
ARCHETYPES: dict[str, list[str]] = {
    "lower_back": ["lower back sensitivity", "herniated disc (L5-S1) a few years ago", "bad lower back"],
    "shoulder": ["shoulder impingement", "rotator cuff issues (right)", "cranky shoulder"],
    "knee": ["knee pain (patellofemoral)", "old ACL reconstruction, left knee", "sore knees"],
    "elbow": ["elbow tendinitis (medial)", "golfer's elbow"],
    "hip": ["hip osteoarthritis (left)", "hip impingement"],
    "wrist": ["wrist pain on pressing", "old wrist fracture"],
}


PRESETS: dict[str, AthleteSpec] = {
    "seed": AthleteSpec(
        key="seed", summary="38, intermediate, 4 days upper/lower, hypertrophy; lower-back sensitivity",
        age=38, sex="male", body_mass_kg=82, level="intermediate", goal="hypertrophy", split="upper/lower",
        days_per_week=4, constraints=["lower back sensitivity"], constraint_regions=["lower_back"], days=UPPER_LOWER,
        problems={"lower_back": 0.8, "elbow": 0.3},  # a mild elbow niggle the profile never mentions
        responsive=["Incline_Dumbbell_Press", "Leg_Press", "Seated_Cable_Rows", "Hack_Squat", "Lying_Leg_Curls"],
        adherence=0.86, languages=["en", "de"], rpe_habit=0.1,
    ),
    "shoulder-ppl": AthleteSpec(
        key="shoulder-ppl", summary="29, intermediate, push/pull/legs 6 days, hypertrophy; shoulder impingement",
        age=29, sex="male", body_mass_kg=79, level="intermediate", goal="hypertrophy", split="push/pull/legs",
        days_per_week=6, constraints=["shoulder impingement (right side)"], constraint_regions=["shoulder"],
        days=PUSH_PULL_LEGS, problems={"shoulder": 0.8},
        responsive=["Dumbbell_Bench_Press_with_Neutral_Grip", "Incline_Dumbbell_Press", "Cable_Crossover", "Face_Pull",
                    "Cable_Seated_Lateral_Raise"],
        adherence=0.82, languages=["en", "es"], recovery=0.95, session_hour=19,
    ),
    "knee-beginner": AthleteSpec(
        key="knee-beginner", summary="45, beginner, 3 days full body, general fitness; knee pain",
        age=45, sex="female", body_mass_kg=68, level="beginner", goal="general", split="full body", days_per_week=3,
        constraints=["knee pain (patellofemoral)"], constraint_regions=["knee"], days=FULL_BODY_BEGINNER,
        problems={"knee": 0.75}, responsive=["Barbell_Hip_Thrust", "Leverage_Chest_Press", "Wide-Grip_Lat_Pulldown",
                                      "Lying_Leg_Curls"],
        adherence=0.76, languages=["en", "fr"], rpe_habit=0.03, session_hour=7, chattiness=1.2,
    ),
    "powerlifter-elbow": AthleteSpec(
        key="powerlifter-elbow", summary="31, advanced powerlifter, 4 days, peaking for meets; elbow tendinitis",
        age=31, sex="male", body_mass_kg=93, level="advanced", goal="powerlifting", split="upper/lower",
        days_per_week=4, constraints=["elbow tendinitis (medial)"], constraint_regions=["elbow"], days=POWERLIFTING,
        equipment=["barbell", "dumbbell", "cable", "machine", "body only"], unit="lb",
        problems={"elbow": 0.8},
        responsive=["Pin_Presses", "Triceps_Pushdown_-_Rope_Attachment", "Sumo_Deadlift", "Chin-Up"],
        adherence=0.93, meets=True, rpe_habit=0.35, chattiness=0.8, recovery=1.1,
    ),
    "older-hip": AthleteSpec(
        key="older-hip", summary="61, intermediate, 3 days full body + cardio, endurance-leaning; hip osteoarthritis",
        age=61, sex="male", body_mass_kg=84, level="intermediate", goal="endurance", split="full body",
        days_per_week=3, constraints=["hip osteoarthritis (left)"], constraint_regions=["hip"],
        days=FULL_BODY_CONDITIONING, problems={"hip": 0.7},
        responsive=["Trap_Bar_Deadlift", "Machine_Bench_Press", "Seated_Cable_Rows", "Wide-Grip_Lat_Pulldown"],
        adherence=0.8, languages=["en", "hr"], recovery=0.8, progression_scale=0.6, session_hour=9,
    ),
}

DEFAULT_SEEDS = {key: 1000 + i for i, key in enumerate(PRESETS)}


def preset_names() -> list[str]:
    """The preset names, for listings and CLI choices (the specs themselves hold hidden traits)."""
    return list(PRESETS)


def draw_athlete(seed: int) -> AthleteSpec:
    """A new athlete from a seed: a programme, a body, one or two hidden issues, habits. Same seed, same athlete."""
    rng = random.Random(f"athlete:{seed}")
    programme = rng.choice(list(PROGRAMMES))
    split, days = PROGRAMMES[programme]
    days_per_week = len(days) if programme != "push/pull/legs" else rng.choice([5, 6])
    level = {"full body": "beginner"}.get(programme) or rng.choice(["intermediate", "intermediate", "advanced"])
    goal = "powerlifting" if programme == "powerlifting" else (
        "endurance" if programme == "conditioning" else rng.choice(["hypertrophy", "strength", "general"]))
    sex = rng.choice(["male", "female"])
    body_mass = round(rng.uniform(70, 100) if sex == "male" else rng.uniform(55, 80), 1)
    age = rng.randint(50, 68) if programme == "conditioning" else rng.randint(19, 55)
    regions = list(ARCHETYPES)
    primary = rng.choice(regions)
    texts = ARCHETYPES[primary]
    problems = {primary: round(rng.uniform(0.55, 0.9), 2)}
    reported = rng.random() < 0.75  # some lifters never write their issue into the profile
    # the programme's own lifts and a few the athlete never logged (peri.sim.population adds more)
    options = [o for d in days for s in d.slots if s.kind == "lift" for o in s.options]
    options = list(dict.fromkeys(options))
    responsive = rng.sample(options, k=min(2, len(options)))
    extra_lang = rng.choice(["de", "es", "fr", "hr", "pt", "it"])
    # now and then the profile names another split than the programme the log shows
    stated_split = rng.choice([x for x in ("upper/lower", "push/pull/legs", "full body") if x != split]) \
        if rng.random() < 0.15 else None
    return AthleteSpec(
        key=f"seed-{seed}",
        summary=f"{age}, {level}, {days_per_week} days {split}, {goal}" + (f"; {texts[0]}" if reported else ""),
        age=age, sex=sex, body_mass_kg=body_mass, level=level, goal=goal, split=split, days_per_week=days_per_week,
        constraints=[rng.choice(texts)] if reported else [], constraint_regions=[primary] if reported else [],
        stated_split=stated_split,
        unit="lb" if rng.random() < 0.25 else "kg", days=days, problems=problems, responsive=responsive,
        recovery=round(rng.uniform(0.85, 1.15), 2), progression_scale=rng.uniform(0.6, 1.4),
        adherence=round(rng.uniform(0.65, 0.95), 2), meets=goal == "powerlifting",
        rpe_habit=rng.choice([0.02, 0.05, 0.1, 0.2, 0.35]), chattiness=rng.uniform(0.6, 1.4),
        languages=["en", extra_lang] if rng.random() < 0.6 else ["en"], session_hour=rng.choice([6, 7, 12, 17, 18, 19, 20]),
    )


def resolve_spec(preset: str | None, seed: int | None) -> tuple[AthleteSpec, int]:
    """The athlete for a preset (seed only changes the history's randomness) or one drawn from `seed`."""
    from ..errors import PeriError

    if preset is not None:
        if preset not in PRESETS:
            raise PeriError(f"unknown preset {preset!r}", place="PRESET",
                            hint=f"one of: {', '.join(PRESETS)} (`peri simulate presets` lists them)")
        return PRESETS[preset], DEFAULT_SEEDS[preset] if seed is None else seed
    if seed is None:
        raise PeriError("give a preset or --seed", hint="e.g. `peri simulate seed --weeks 52 --athlete sam`")
    return draw_athlete(seed), seed
