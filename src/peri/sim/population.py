"""Hidden traits drawn per athlete from population distributions, not copied from the profile or the log.

A preset or a drawn `AthleteSpec` says what the athlete tells a coach and what their programme is. What
they really are is drawn here, from a random stream of its own (so the history's randomness is untouched):

- problems the profile never states: besides the stated ones, about half of lifters carry a second,
  milder sensitive tissue. Regions are weighted by how often each is injured in the weight-training
  sports (Keogh & Winwood 2017, "The epidemiology of injuries across the weight-training sports",
  Sports Med 47:479-501: shoulder, lower back and knee dominate; elbow, wrist and hip follow). A hidden
  problem reaches a note only sometimes (`reveal`).
- per-exercise sensitivities: the same tissue load hurts lifters differently (one tolerates the hack squat
  and hurts on the leg press, another the reverse); a log-normal factor per exercise with a per-athlete spread.
- volume tolerance per muscle: weekly hard sets between a minimum effective and a maximum recoverable
  volume drawn around the population landmarks of Israetel, Hoffmann & Smith, "Scientific Principles of
  Hypertrophy Training" (Renaissance Periodization, 2021) and the dose-response of Schoenfeld, Ogborn &
  Krieger 2017 (J Sports Sci 35(11):1073-1082; 10+ weekly sets per muscle), scaled by training level,
  age and goal: never a multiple of what the athlete happens to log.
- a strength curve of their own: load fraction of 1RM for r reps = exp(-k (r - 1)), k per athlete and
  per equipment class. Reps at a given %1RM vary widely between lifters and lifts (Shimano et al. 2006,
  J Strength Cond Res 20(4):819-823; Richens & Cleather 2014, Biol Sport 31(2):157-161), and machine leg
  work allows many more reps at the same %1RM than free-weight pressing (Hoeger et al. 1990, J Appl Sport
  Sci Res 4(2):47-54).
- effort judgement: the reps in reserve a lifter really leaves when told an RPE target (Halperin et al. 2022).
- the days really sustained: sometimes one fewer than the profile says (life), now and then one more.
- preferences: a couple of the programme's lifts and a couple of popular variations the athlete never logged.
"""
from __future__ import annotations

import random

from .presets import AthleteSpec
from .traits import MUSCLE_GROUPS, VolumeBand

# Relative frequency of the injured region among weight-training injuries (Keogh & Winwood 2017, rounded).
REGION_WEIGHTS = {"shoulder": 0.30, "lower_back": 0.28, "knee": 0.15, "elbow": 0.11, "wrist": 0.08, "hip": 0.08}
# Population volume landmarks, weekly hard sets (primary 1, secondary 0.5): (min effective, max recoverable)
# for an intermediate trainee, after Israetel/Hoffmann/Smith 2021.
LANDMARKS: dict[str, tuple[float, float]] = {
    "chest": (8, 22), "shoulders": (8, 26), "triceps": (6, 20), "biceps": (6, 22), "lats": (8, 24),
    "middle back": (8, 24), "quadriceps": (8, 20), "hamstrings": (6, 18), "glutes": (4, 18), "calves": (6, 18),
    "abdominals": (0, 22),
}
LEVEL_RECOVERY = {"beginner": 0.85, "intermediate": 1.0, "advanced": 1.15}
GOAL_MEV = {"hypertrophy": 1.0, "strength": 0.8, "powerlifting": 0.8, "general": 0.6, "endurance": 0.5}
# Popular variations a lifter may respond to best without ever having logged them.
POPULAR = [
    "Dumbbell_Bench_Press", "Incline_Dumbbell_Press", "Hack_Squat", "Leg_Press", "Seated_Cable_Rows",
    "One-Arm_Dumbbell_Row", "Chin-Up", "Close-Grip_Front_Lat_Pulldown", "Barbell_Hip_Thrust", "Lying_Leg_Curls",
    "Seated_Leg_Curl", "Cable_Seated_Lateral_Raise", "Hammer_Curls", "Triceps_Pushdown_-_Rope_Attachment",
    "Machine_Bench_Press", "Trap_Bar_Deadlift", "Goblet_Squat", "Face_Pull", "Romanian_Deadlift",
    "Dumbbell_Lunges", "Cable_Crossover", "Leverage_Chest_Press",
]


def draw_hidden(spec: AthleteSpec, seed: int, programme_ids: list[str]) -> dict:
    """The hidden fields of HiddenTraits for one athlete; same spec and seed, same draw."""
    rng = random.Random(f"hidden:{spec.key}:{seed}")
    out: dict = {}
    # days really sustained
    roll = rng.random()
    days = spec.days_per_week
    if roll < 0.25 and days > 2:
        days -= 1
    elif roll > 0.92 and days < 6:
        days += 1
    out["days_per_week"] = days
    # sensitive tissues: what the spec says, plus sometimes one nobody mentions
    sens = {t: float(v) for t, v in spec.problems.items()}
    if rng.random() < 0.45:
        others = [r for r in REGION_WEIGHTS if r not in sens]
        extra = rng.choices(others, weights=[REGION_WEIGHTS[r] for r in others])[0]
        sens[extra] = round(rng.uniform(0.25, 0.55), 2)
    out["sensitivity"] = sens
    stated = set(spec.constraint_regions)
    out["reveal"] = {t: (1.0 if t in stated else round(rng.uniform(0.25, 0.7), 2)) for t in sens}
    out["idiosyncrasy_salt"] = rng.getrandbits(32)
    out["idiosyncrasy_spread"] = round(rng.uniform(0.25, 0.6), 3)
    # strength curve
    k = rng.uniform(0.026, 0.040)
    out["curve_k"] = {"barbell": round(k, 5), "dumbbell": round(k * rng.uniform(0.85, 1.0), 5),
                      "machine": round(k * rng.uniform(0.6, 0.85), 5), "other": round(k * rng.uniform(0.8, 1.0), 5)}
    # how far off the athlete's effort judgement is: lifters under-predict reps in reserve by about one rep on
    # average, more so far from failure (Halperin et al. 2022, Sports Med 52:377-390; Zourdos et al. 2016)
    out["rir_bias"] = round(min(3.0, max(-1.0, rng.gauss(0.9, 0.8))), 2)
    # volume tolerance
    recovery = LEVEL_RECOVERY.get(spec.level, 1.0) * spec.recovery * (0.85 if spec.age >= 50 else 1.0)
    goal = GOAL_MEV.get(spec.goal, 0.8)
    volume = {}
    for m in MUSCLE_GROUPS:
        lo, hi = LANDMARKS[m]
        mev = lo * rng.uniform(0.6, 1.25) * goal
        mrv = max(mev + 4, hi * rng.uniform(0.7, 1.3) * recovery)
        volume[m] = VolumeBand(mev=round(mev, 1), mrv=round(mrv, 1))
    out["volume"] = volume
    # preferences
    from_spec = rng.sample(spec.responsive, k=min(len(spec.responsive), max(1, len(spec.responsive) // 2)))
    pool = [p for p in POPULAR if p not in programme_ids and p not in from_spec]
    out["responsive"] = list(dict.fromkeys(from_spec + rng.sample(pool, k=min(2, len(pool)))))
    return out
