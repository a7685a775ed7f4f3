"""Simulate an athlete: years of training history written into the store exactly as an import would.

The simulated lifter follows their own programme the way real people do: the same exercises week
after week with an occasional rotation, double progression on every lift (add reps until the top
of the range, then add weight), warm-up sets before main lifts, a deload every five to eight weeks,
now and then a hotel-gym week, a missed session, a sick week, a higher-volume block that proves too
much, and for powerlifters a peaking block before each meet. Underneath, hidden traits decide what
really happens: the true e1RM of every lift moves at the athlete's own rate and stalls; lifts that
aggravate them produce pain notes; weeks above their recoverable volume produce "wrecked" notes and
little progress; variations they respond to progress faster and "feel great".

Only what a real log would hold reaches the store: `Session(source="sim")` with `WorkoutSet`s named
by catalog name, RPE on a minority of sets, notes in free text; annotations come from
`peri.log.notes.annotations_for_session`, as for any import. The traits go to `PERI_HOME/oracle/`.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from ..errors import NotFound, PeriError
from ..log.catalog import Catalog, ExerciseEntry
from ..log.models import LB_TO_KG, Athlete, Goal, Level, Session, SetType, WorkoutSet
from ..log.notes import annotations_for_session
from ..log.store import Store
from .names import sim_catalog
from .population import draw_hidden
from .presets import AthleteSpec, Slot, resolve_spec
from .traits import HiddenTraits, entry_muscles, save_traits, traits_path
from .writer import NoteWriter, nickname

# e1RM as a multiple of body mass for an intermediate man (per hand for dumbbells): where lifts start.
BASE_STRENGTH: dict[str, float] = {
    "Barbell_Squat": 1.5, "Front_Barbell_Squat": 1.2, "Box_Squat": 1.45, "Barbell_Deadlift": 1.8,
    "Trap_Bar_Deadlift": 1.85, "Sumo_Deadlift": 1.75, "Romanian_Deadlift": 1.3, "Good_Morning": 0.8,
    "Barbell_Bench_Press_-_Medium_Grip": 1.1, "Bench_Press_-_Powerlifting": 1.1, "Close-Grip_Barbell_Bench_Press": 0.95,
    "Pin_Presses": 1.0, "Barbell_Incline_Bench_Press_-_Medium_Grip": 0.9, "Standing_Military_Press": 0.65,
    "Seated_Barbell_Military_Press": 0.65, "Bent_Over_Barbell_Row": 0.9, "T-Bar_Row_with_Handle": 0.9,
    "Leg_Press": 2.8, "Hack_Squat": 1.6, "Barbell_Hip_Thrust": 1.8, "Barbell_Glute_Bridge": 1.6,
    "Barbell_Curl": 0.45, "EZ-Bar_Curl": 0.45, "EZ-Bar_Skullcrusher": 0.4, "Lying_Triceps_Press": 0.4,
    "Upright_Barbell_Row": 0.5, "Wide-Grip_Lat_Pulldown": 0.85, "Close-Grip_Front_Lat_Pulldown": 0.85,
    "Wide-Grip_Pulldown_Behind_The_Neck": 0.75, "Seated_Cable_Rows": 0.85, "Triceps_Pushdown": 0.45,
    "Triceps_Pushdown_-_Rope_Attachment": 0.4, "Cable_Rope_Overhead_Triceps_Extension": 0.35, "Face_Pull": 0.35,
    "Cable_Seated_Lateral_Raise": 0.12, "Cable_Crossover": 0.3, "Flat_Bench_Cable_Flyes": 0.3,
    "Leg_Extensions": 0.9, "Lying_Leg_Curls": 0.6, "Seated_Leg_Curl": 0.65, "Standing_Calf_Raises": 1.4,
    "Seated_Calf_Raise": 0.9, "Machine_Bench_Press": 1.0, "Leverage_Chest_Press": 1.0, "Reverse_Machine_Flyes": 0.4,
    "Thigh_Adductor": 0.8, "Cable_Crunch": 0.6, "Pallof_Press": 0.2,
    "Dumbbell_Bench_Press": 0.42, "Dumbbell_Bench_Press_with_Neutral_Grip": 0.4, "Incline_Dumbbell_Press": 0.37,
    "Dumbbell_Shoulder_Press": 0.3, "Arnold_Dumbbell_Press": 0.27, "One-Arm_Dumbbell_Row": 0.45,
    "Dumbbell_Incline_Row": 0.35, "Side_Lateral_Raise": 0.13, "Reverse_Flyes": 0.1, "Dumbbell_Flyes": 0.2,
    "Dumbbell_Bicep_Curl": 0.19, "Hammer_Curls": 0.2, "Incline_Dumbbell_Curl": 0.16,
    "Standing_Dumbbell_Triceps_Extension": 0.3, "Tricep_Dumbbell_Kickback": 0.1, "Goblet_Squat": 0.45,
    "Dumbbell_Squat": 0.4, "Dumbbell_Lunges": 0.33, "Split_Squat_with_Dumbbells": 0.33,
    "Stiff-Legged_Dumbbell_Deadlift": 0.5, "Standing_Dumbbell_Calf_Raise": 0.5, "Dumbbell_Floor_Press": 0.4,
}
# Body-weight lifts: (share of body mass moved, max reps for an intermediate man).
BODYWEIGHT: dict[str, tuple[float, float]] = {
    "Pullups": (1.0, 9), "Chin-Up": (1.0, 10), "Dips_-_Triceps_Version": (1.0, 14), "Dips_-_Chest_Version": (1.0, 14),
    "Pushups": (0.65, 30), "Hanging_Leg_Raise": (0.3, 14), "Dead_Bug": (0.2, 20), "Single_Leg_Glute_Bridge": (0.6, 20),
    "Glute_Ham_Raise": (0.5, 8),
}
LEVEL_STRENGTH = {"beginner": 0.55, "intermediate": 1.0, "advanced": 1.35}
# Base weekly e1RM gain and the training age (weeks) at which it has halved: beginners gain fast, briefly.
LEVEL_RATE = {"beginner": (0.012, 40.0), "intermediate": (0.004, 104.0), "advanced": (0.002, 156.0)}
DAY_LAYOUT = {1: [0], 2: [0, 3], 3: [0, 2, 4], 4: [0, 1, 3, 4], 5: [0, 1, 2, 4, 5], 6: [0, 1, 2, 3, 4, 5],
              7: [0, 1, 2, 3, 4, 5, 6]}
LOWER_MUSCLES = {"quadriceps", "hamstrings", "glutes", "calves", "adductors", "abductors", "lower back"}


class SimReport(BaseModel):
    """What a simulation wrote. Never carries the hidden traits."""

    athlete: str
    preset: str | None
    seed: int
    weeks: int
    start: dt.date
    end: dt.date
    sessions: int
    sets: int
    annotations: int
    notes: int  # session and set notes written
    missed_sessions: int
    deload_weeks: int
    travel_weeks: int
    meets: int


class _Lift:
    """One exercise in the athlete's world: the true e1RM (kg) and how it moves."""

    def __init__(self, entry: ExerciseEntry, e1rm: float, rate: float, bw_load: float | None):
        self.entry = entry
        self.e1rm = e1rm
        self.peak = e1rm
        self.rate = rate
        self.bw_load = bw_load  # kg moved for body-weight lifts; None for loaded ones
        self.stall_until = -1
        self.trained_ever = False
        self.last_trained = -1


class _Simulator:
    def __init__(self, spec: AthleteSpec, seed: int, weeks: int, start: dt.date, name: str, catalog: Catalog):
        self.spec = spec
        self.seed = seed
        self.weeks = weeks
        self.start = start
        self.name = name
        self.catalog = catalog
        self.rng = random.Random(f"history:{spec.key}:{seed}")
        self.writer = NoteWriter(self.rng, spec.languages)
        self.unit = spec.unit
        self.factor = LB_TO_KG if self.unit == "lb" else 1.0
        programme = self._all_ids()
        hidden = draw_hidden(spec, seed, programme)
        self.entries: dict[str, ExerciseEntry] = {}
        for ex_id in list(dict.fromkeys(programme + hidden["responsive"])):
            try:
                self.entries[ex_id] = catalog.get(ex_id)
            except NotFound as e:  # a preset naming an id the catalog lacks is a bug in the preset
                raise PeriError(f"preset {spec.key!r} names unknown exercise {ex_id!r}", place="peri/sim/presets.py") from e
        self.traits = HiddenTraits(
            athlete=name, preset=spec.key if not spec.key.startswith("seed-") else None, seed=seed, start=start,
            weeks=weeks, level=spec.level, goal=spec.goal, split=spec.split, adherence=spec.adherence, **hidden,
        )
        self.lifts: dict[str, _Lift] = {}
        self._init_lifts()
        self.current: dict[tuple[int, int], str] = {
            (d, s): slot.options[0] for d, day in enumerate(spec.days) for s, slot in enumerate(day.slots)
        }
        self.weight: dict[tuple, float] = {}  # double-progression working weight (in the logged unit)
        self.pain_log: dict[str, list[int]] = {}  # exercise id -> weeks with a pain note
        self.flare_until: dict[str, int] = {}
        self.pending_swaps: dict[tuple[int, int], str] = {}
        self.report = dict(sessions=0, sets=0, notes=0, missed=0, deloads=0, travel=0, meets=0)
        self.true_rpe: dict[int, float] = {}  # id(WorkoutSet) -> the RPE the lifter felt, logged or not

    # --- set-up ---------------------------------------------------------------------------
    def _all_ids(self) -> list[str]:
        ids: list[str] = []
        for day in self.spec.days:
            for slot in day.slots:
                ids += slot.options
                if slot.travel and slot.travel != "same":
                    ids.append(slot.travel)
        return list(dict.fromkeys(ids))

    def _init_lifts(self) -> None:
        spec, rng = self.spec, self.rng
        base_rate, _ = LEVEL_RATE[spec.level]
        strength = LEVEL_STRENGTH[spec.level] * (1 - max(0, spec.age - 50) * 0.01)
        mains = {o for day in spec.days for s in day.slots if s.main for o in s.options}
        for ex_id, entry in self.entries.items():
            lower = bool(set(entry.primary_muscles) & LOWER_MUSCLES)
            sex = 1.0 if spec.sex == "male" else (0.72 if lower else 0.6)
            jitter = rng.uniform(0.9, 1.1)
            if ex_id in BODYWEIGHT:
                share, reps = BODYWEIGHT[ex_id]
                load = spec.body_mass_kg * share
                max_reps = max(1.0, reps * strength * (sex if sex == 1.0 else sex * 0.6) * jitter)
                e1rm, bw = load / self.traits.load_fraction(entry, max_reps), load
            else:
                ratio = BASE_STRENGTH.get(ex_id) or _default_ratio(entry)
                e1rm, bw = spec.body_mass_kg * ratio * strength * sex * jitter, None
            rate = base_rate * spec.progression_scale * rng.uniform(0.7, 1.3) * (1.0 if ex_id in mains else 0.8)
            if ex_id in self.traits.responsive:
                rate *= 1.4
            self.lifts[ex_id] = _Lift(entry, e1rm, rate, bw)
            self.traits.progression[ex_id] = round(rate, 5)
            self.traits.trajectory[ex_id] = []
        self.traits.main_lifts = [i for i in self.lifts if i in mains]

    def _weekly_sets(self, picks: list[tuple[Slot, str]], sessions_per_rotation: float) -> dict[str, float]:
        out: dict[str, float] = {}
        for slot, ex_id in picks:
            if slot.kind == "cardio":
                continue
            for m, credit in entry_muscles(self.entries[ex_id]).items():
                out[m] = out.get(m, 0.0) + credit * slot.sets * sessions_per_rotation
        return out

    # --- helpers ----------------------------------------------------------------------------
    def _increment(self, entry: ExerciseEntry, weight: float | None = None) -> float:
        """The next load step in the logged unit; light dumbbells come in finer steps."""
        lower = bool(set(entry.primary_muscles) & LOWER_MUSCLES)
        eq = entry.equipment or "body only"
        if eq == "dumbbell" and weight is not None and weight * self.factor < 10:
            return 2.5 if self.unit == "lb" else 1.0
        if self.unit == "lb":
            return {"barbell": 10.0 if lower else 5.0, "machine": 10.0}.get(eq, 5.0)
        return {"barbell": 5.0 if lower else 2.5, "dumbbell": 2.0, "machine": 5.0, "kettlebells": 2.0}.get(eq, 2.5)

    def _round(self, weight_kg: float, entry: ExerciseEntry) -> float:
        step = (5.0 if self.unit == "lb" else 2.5) if entry.equipment == "barbell" else self._increment(
            entry, weight_kg / self.factor)
        w = max(step, round(weight_kg / self.factor / step) * step)
        if entry.equipment == "barbell":
            w = max(w, 45.0 if self.unit == "lb" else 20.0)
        return w

    def _kg(self, w: float) -> float:
        return round(w * self.factor, 2)

    def _start_weight(self, lift: _Lift, reps: int) -> float:
        return self._round(lift.e1rm * self.traits.load_fraction(lift.entry, reps + 2.5), lift.entry)

    # --- the week loop ----------------------------------------------------------------------
    def run(self, progress: Callable[[int, int], None] | None = None) -> list[Session]:
        spec, rng = self.spec, self.rng
        sessions: list[Session] = []
        meets = self._meet_weeks()
        self.traits.meet_dates = [self.start + dt.timedelta(weeks=w, days=5) for w in meets]
        peak_weeks = {m - k: k for m in meets for k in range(1, 5)}
        post_meet = {m + 1 for m in meets}
        since_deload, deload_every = 0, rng.randint(5, 8)
        volume_until, sick_last = -1, False
        ptr = 0
        block_start_e1rm = {i: lift.e1rm for i, lift in self.lifts.items()}
        base_rate_half = LEVEL_RATE[spec.level][1]
        for w in range(self.weeks):
            monday = self.start + dt.timedelta(weeks=w)
            for ex_id, lift in self.lifts.items():
                self.traits.trajectory[ex_id].append(round(lift.e1rm, 1))
            # what kind of week the athlete has
            holiday = any((monday + dt.timedelta(days=i)).month == 12 and (monday + dt.timedelta(days=i)).day >= 24
                          for i in range(7))
            mode, weeks_out = "normal", 0
            if w in meets:
                mode = "meet"
            elif w in peak_weeks:
                mode, weeks_out = "peak", peak_weeks[w]
            elif w in post_meet:
                mode = "deload"
            elif w > 2 and (rng.random() < 0.02 or (holiday and rng.random() < 0.5)):
                mode = "off"
            elif since_deload >= deload_every and rng.random() < 0.85:
                mode = "deload"
            elif w > 2 and rng.random() < 0.035:
                mode = "travel"
            if mode == "deload":
                self.report["deloads"] += 1
                since_deload, deload_every = 0, rng.randint(5, 8)
            elif mode != "off":
                since_deload += 1
            if mode == "travel":
                self.report["travel"] += 1
            if mode == "normal" and w > volume_until and rng.random() < 0.03:
                volume_until = w + rng.randint(2, 4)
                volume_start = True
            else:
                volume_start = False
            volume = mode == "normal" and w <= volume_until
            if mode == "off":
                self.report["missed"] += self.traits.days_per_week
                self._update_week(w, set(), "off", {}, base_rate_half)
                sick_last = True
                continue
            if mode == "normal" and since_deload == 1:
                self._rotate(w)
            week_sessions, trained, ratios = self._week(
                w, monday, mode, weeks_out, volume, volume_start, sick_last, ptr, block_start_e1rm)
            ptr += sum(1 for s in week_sessions if not s.name.startswith(("Meet", "Openers")))
            if mode == "deload":
                block_start_e1rm = {i: lift.e1rm for i, lift in self.lifts.items()}
            sessions += week_sessions
            self._update_week(w, trained, mode, ratios, base_rate_half)
            sick_last = False
            if progress:
                progress(w + 1, self.weeks)
        return sessions

    def _meet_weeks(self) -> list[int]:
        if not self.spec.meets:
            return []
        out, w = [], self.rng.randint(16, 26)
        while w < self.weeks:
            out.append(w)
            w += self.rng.randint(20, 28)
        return out

    def _rotate(self, w: int) -> None:
        """At a block start the athlete sometimes rotates a variation; recent pain makes a swap likelier."""
        for key, ex_id in list(self.current.items()):
            d, s = key
            slot = self.spec.days[d].slots[s]
            if len(slot.options) < 2:
                continue
            recent_pain = sum(1 for pw in self.pain_log.get(ex_id, []) if pw >= w - 10)
            new = None
            if recent_pain >= 3 and self.rng.random() < 0.5:
                gentler = sorted(slot.options, key=lambda o: self.traits.aggravation(self.entries[o]))
                if self.traits.aggravation(self.entries[gentler[0]]) < self.traits.aggravation(self.entries[ex_id]):
                    new = gentler[0]
            elif self.rng.random() < 0.15:
                new = self.rng.choice([o for o in slot.options if o != ex_id])
            if new and new != ex_id:
                self.current[key] = new
                self.pending_swaps[key] = ex_id

    def _week(self, w: int, monday: dt.date, mode: str, weeks_out: int, volume: bool, volume_start: bool,
              sick_last: bool, ptr: int, block_start: dict[str, float]) -> tuple[list[Session], set[str], dict[str, float]]:
        spec, rng = self.spec, self.rng
        layout = DAY_LAYOUT[self.traits.days_per_week]  # the days really sustained, not the profile's
        if mode == "travel":
            layout = sorted(rng.sample(layout, k=max(1, len(layout) - rng.randint(1, 2))))
        planned: list[tuple[int, int]] = []  # (weekday, template index)
        done_ptr = ptr
        for wd in layout:
            if mode not in ("meet",) and rng.random() > spec.adherence:
                self.report["missed"] += 1
                continue
            planned.append((wd, done_ptr % len(spec.days)))
            done_ptr += 1
        if mode == "meet":
            planned = []
        # the volume this week, against what the athlete can recover from
        picks = [(slot, self.current[(t, s)]) for _, t in planned for s, slot in enumerate(spec.days[t].slots)]
        week_sets = self._weekly_sets(picks, 1.0)
        if volume:
            for slot, ex_id in picks:
                if slot.kind == "lift":
                    for m, credit in entry_muscles(self.entries[ex_id]).items():
                        week_sets[m] = week_sets.get(m, 0.0) + credit
        if mode == "deload":
            week_sets = {m: v / 2 for m, v in week_sets.items()}
        ratios = {m: v / self.traits.volume[m].mrv for m, v in week_sets.items()
                  if m in self.traits.volume and self.traits.volume[m].mrv > 0}
        overreach = max(ratios.values(), default=0.0)
        wrecked_at = None
        if overreach > 1.0 and planned and rng.random() < min(0.9, (overreach - 1) * 3 + 0.2) * spec.chattiness:
            wrecked_at = rng.randrange(len(planned) // 2, len(planned))
        sessions: list[Session] = []
        trained: set[str] = set()
        for i, (wd, t) in enumerate(planned):
            notes: list[str] = []
            if i == 0:
                if sick_last:
                    notes.append(self.writer.back_after_break())
                if mode == "deload" and rng.random() < 0.8:
                    notes.append(self.writer.deload())
                    notes += self._worked_notes(block_start)
                elif mode == "travel" and rng.random() < 0.85:
                    notes.append(self.writer.travel())
                elif mode == "peak" and rng.random() < 0.6:
                    notes.append(self.writer.peak(weeks_out))
                elif volume_start and rng.random() < 0.7:
                    notes.append(self.writer.volume_block())
            fatigue = 1.0 - (0.03 * i / max(1, len(planned)) if overreach > 1.0 else 0.0)
            s = self._session(w, monday + dt.timedelta(days=wd), t, mode, weeks_out, volume, fatigue, notes, trained)
            if wrecked_at == i:
                s.notes = ". ".join(filter(None, [s.notes, self.writer.wrecked()]))
            if not s.notes and rng.random() < 0.05 * spec.chattiness:
                s.notes = self.writer.generic() or None
            sessions.append(s)
        if mode == "meet":
            sessions += self._meet(w, monday, trained)
        for s in sessions:
            self.report["sessions"] += 1
            self.report["sets"] += len(s.sets)
            self.report["notes"] += (1 if s.notes else 0) + sum(1 for x in s.sets if x.note)
        return sessions, trained, ratios

    def _worked_notes(self, block_start: dict[str, float]) -> list[str]:
        out = []
        for ex_id in self.traits.main_lifts:
            lift = self.lifts[ex_id]
            gain = lift.e1rm - block_start.get(ex_id, lift.e1rm)
            if lift.trained_ever and gain / lift.e1rm > 0.025 and self.rng.random() < 0.4 * self.spec.chattiness:
                step = self._increment(lift.entry)
                shown = max(step, round(gain / self.factor / step) * step)
                out.append(self.writer.worked(nickname(ex_id, lift.entry.name, self.rng), f"{shown:g}{self.unit}"))
                break
        return out

    def _session(self, w: int, day: dt.date, t: int, mode: str, weeks_out: int, volume: bool, fatigue: float,
                 notes: list[str], trained: set[str]) -> Session:
        spec, rng = self.spec, self.rng
        template = spec.days[t]
        name = template.name
        if mode == "deload":
            name = f"Deload - {name}" if rng.random() < 0.7 else f"{name} (deload)"
        elif mode == "travel":
            name = f"Hotel gym - {name}" if rng.random() < 0.6 else f"{name} (hotel)"
        elif mode == "peak":
            name = f"Peak wk{5 - weeks_out} - {name}"
        sets: list[WorkoutSet] = []
        day_noise = rng.gauss(0, 0.025)
        duration = 0
        for s_idx, slot in enumerate(template.slots):
            ex_id = self.current[(t, s_idx)]
            if mode == "travel":
                if slot.travel is None:
                    continue
                if slot.travel != "same":
                    ex_id = slot.travel
            if (t, s_idx) in self.pending_swaps and mode == "normal":
                old = self.pending_swaps.pop((t, s_idx))
                if rng.random() < 0.6 * spec.chattiness:
                    notes.append(self.writer.swap(nickname(old, self.entries[old].name, rng),
                                                  nickname(ex_id, self.entries[ex_id].name, rng)))
            lift = self.lifts[ex_id]
            entry = lift.entry
            ex_sets = self._exercise_sets(w, (t, s_idx, ex_id, mode == "travel"), slot, lift, mode, weeks_out, volume,
                                          (1 + day_noise) * fatigue)
            if not ex_sets:
                continue
            trained.add(ex_id)
            lift.trained_ever = True
            self._effort_and_notes(w, ex_id, entry, slot, ex_sets, mode, notes)
            working = [x for x in ex_sets if x.set_type == SetType.normal]
            for k, x in enumerate(ex_sets, 1):
                x.order = k
            sets += ex_sets
            duration += 150 * len(working) + 60 * (len(ex_sets) - len(working)) + (slot.kind == "cardio") * 1200
        hour = spec.session_hour + rng.choice([-1, 0, 0, 0, 1])
        started = dt.datetime.combine(day, dt.time(min(22, max(5, hour)), rng.randrange(0, 60, 5)))
        return Session(
            started_at=started, name=name, duration_s=int(round(duration * rng.uniform(0.9, 1.2) / 60) * 60) or None,
            notes=". ".join(notes) or None, source="sim", sets=sets,
        )

    def _exercise_sets(self, w: int, key: tuple, slot: Slot, lift: _Lift, mode: str, weeks_out: int, volume: bool,
                       form: float) -> list[WorkoutSet]:
        rng, entry = self.rng, lift.entry
        base = dict(exercise=entry.name, exercise_id=entry.id)
        if slot.kind == "cardio":
            seconds = rng.choice([900, 1200, 1200, 1500, 1800]) * (0.7 if mode == "deload" else 1)
            speed = 3.9 if "Rowing" in entry.id else 7.0
            return [WorkoutSet(**base, seconds=float(seconds), distance_m=round(seconds * speed * rng.uniform(0.9, 1.1), -1))]
        n_sets = slot.sets + (1 if volume else 0)
        lo, hi = slot.reps
        rir = rng.uniform(0.5, 2.5)
        if mode == "deload":
            n_sets, rir = max(1, round(slot.sets / 2)), 4.0
        elif mode == "peak":
            if slot.main:
                lo, hi = {4: (3, 5), 3: (2, 3), 2: (1, 2), 1: (1, 1)}[weeks_out]
                n_sets, rir = (3 if weeks_out == 1 else slot.sets), (2.5 if weeks_out == 1 else 1.5)
            else:
                n_sets = max(2, round(slot.sets * 0.6))
        if slot.kind == "timed":
            secs = 30 + 5 * rng.randint(0, 6) + 2 * min(w, 30)
            return [WorkoutSet(**base, seconds=float(secs)) for _ in range(n_sets)]
        eff = lift.e1rm * form
        if lift.bw_load is not None:  # body weight: reps only
            max_reps = self.traits.max_reps(entry, lift.bw_load / eff)
            out = []
            for i in range(n_sets):
                r = max(1, min(hi + 4, math.floor(max_reps - rir - 0.7 * i)))
                out.append(WorkoutSet(**base, reps=r))
                self.true_rpe[id(out[-1])] = _rpe(max_reps - 0.7 * i, r)
            return out
        wkey = key
        if mode == "peak" and slot.main:
            weight = self._round(eff * 0.97 * self.traits.load_fraction(entry, hi + rir), entry)
        else:
            if wkey not in self.weight:
                self.weight[wkey] = self._start_weight(lift, (lo + hi) // 2)
            weight = self.weight[wkey]
            if mode == "deload":
                weight = self._round(weight * self.factor * 0.85, entry)
            if mode == "travel" and entry.equipment == "dumbbell":  # the hotel's rack stops at 30 kg
                weight = min(weight, 65.0 if self.unit == "lb" else 30.0)
        w_kg = weight * self.factor
        max_reps = self.traits.max_reps(entry, w_kg / eff)
        out: list[WorkoutSet] = []
        warm_up = slot.main and (entry.equipment in ("barbell", "other") or rng.random() < 0.3)
        if warm_up:
            bar = 45.0 if self.unit == "lb" else 20.0
            steps = [(0.5, 5), (0.7, 3)] + ([(0.85, 1)] if hi <= 5 else [])
            if entry.equipment == "barbell":
                out.append(WorkoutSet(**base, weight=bar, unit=self.unit, weight_kg=self._kg(bar), reps=10,
                                      set_type=SetType.warmup))
            for share, reps in steps:
                wu = self._round(w_kg * share, entry)
                if wu < weight and (not out or wu > (out[-1].weight or 0)):
                    out.append(WorkoutSet(**base, weight=wu, unit=self.unit, weight_kg=self._kg(wu), reps=reps,
                                          set_type=SetType.warmup))
        reps_done = []
        for i in range(n_sets):
            cap = lo if mode == "deload" else hi
            r = max(1, min(cap, math.floor(max_reps - rir - 0.5 * i)))
            reps_done.append(r)
            x = WorkoutSet(**base, weight=weight, unit=self.unit, weight_kg=self._kg(weight), reps=r)
            self.true_rpe[id(x)] = _rpe(max_reps - 0.5 * i, r)
            out.append(x)
        if mode in ("normal", "travel") and wkey in self.weight:
            if all(r >= hi for r in reps_done):
                self.weight[wkey] = weight + self._increment(entry, weight)
            elif reps_done[0] < lo:
                self.weight[wkey] = self._round(w_kg * 0.92, entry)
        return out

    def _effort_and_notes(self, w: int, ex_id: str, entry: ExerciseEntry, slot: Slot, ex_sets: list[WorkoutSet],
                          mode: str, notes: list[str]) -> None:
        """Pain, "felt great" and RPE notes for one exercise; may drop the last set (stopped early)."""
        spec, rng = self.spec, self.rng
        working = [x for x in ex_sets if x.set_type == SetType.normal]
        if not working:
            return
        last = working[-1]
        # pain from lifts that aggravate this athlete
        severity = self.traits.aggravation(entry)
        pained = False
        if severity > 0 and slot.kind == "lift":
            region = self.traits.aggravated_tissue(entry) or ""
            told = self.traits.reveal.get(region, 1.0)  # a hidden problem is often trained through silently
            intensity = {"deload": 0.4, "peak": 1.4, "travel": 0.8}.get(mode, 1.0) * (1.3 if slot.reps[1] <= 5 else 1.0)
            flare = 1.5 if self.flare_until.get(region, -1) >= w else 1.0
            if rng.random() < severity * 0.22 * intensity * flare * spec.chattiness * told:
                pained = True
                self.pain_log.setdefault(ex_id, []).append(w)
                self.flare_until[region] = w + 2
                if rng.random() < 0.7:
                    last.note = self.writer.pain_on_set(region)
                else:
                    notes.append(self.writer.pain_in_session(region, nickname(ex_id, entry.name, rng)))
                if len(working) > 1 and rng.random() < 0.35:  # stopped early: the last set never happened
                    dropped = working.pop()
                    working[-1].note, last = dropped.note, working[-1]
                    ex_sets[:] = [x for x in ex_sets if x is not dropped]
        if not pained and ex_id in self.traits.responsive and rng.random() < 0.08 * spec.chattiness:
            last.note = self.writer.felt_great(nickname(ex_id, entry.name, rng))
        # RPE: logged on a minority of sets, sometimes only in the note
        roll = rng.random()
        if roll < spec.rpe_habit:
            targets = working if rng.random() < 0.3 else [last]
            for x in targets:
                x.rpe = self.true_rpe.get(id(x))
        elif roll < spec.rpe_habit * 1.5 + 0.02 and not last.note and self.true_rpe.get(id(last)) is not None:
            last.note = self.writer.rpe(self.true_rpe[id(last)])

    def _meet(self, w: int, monday: dt.date, trained: set[str]) -> list[Session]:
        """Meet week: a light openers session on Monday, three attempts per lift on Saturday."""
        rng = self.rng
        lifts = []
        for name in ("Barbell_Squat", "Bench_Press_-_Powerlifting"):
            if name in self.lifts:
                lifts.append(name)
        dl = next((v for (d, s), v in self.current.items() if "Deadlift" in v and self.spec.days[d].slots[s].main), None)
        if dl:
            lifts.append(dl)
        openers, meet, total = [], [], 0.0
        for ex_id in lifts:
            lift = self.lifts[ex_id]
            e = lift.entry
            base = dict(exercise=e.name, exercise_id=e.id)
            for share in (0.8, 0.88):
                wt = self._round(lift.e1rm * share, e)
                openers.append(WorkoutSet(**base, weight=wt, unit=self.unit, weight_kg=self._kg(wt), reps=1))
            best = 0.0
            for share in (0.91, 0.96, 1.01):
                wt = self._round(lift.e1rm * share, e)
                ok = wt * self.factor <= lift.e1rm * (1 + rng.gauss(0.0, 0.02))
                meet.append(WorkoutSet(**base, weight=wt, unit=self.unit, weight_kg=self._kg(wt), reps=1 if ok else 0,
                                       note=None if ok else "missed"))
                if ok:
                    best = max(best, wt)
            total += best
            trained.add(ex_id)
        for i, x in enumerate(openers):
            x.order = i % 2 + 1
        for i, x in enumerate(meet):
            x.order = i % 3 + 1
        self.report["meets"] += 1
        hour = self.spec.session_hour
        return [
            Session(started_at=dt.datetime.combine(monday, dt.time(hour, 0)), name="Openers", source="sim",
                    notes="meet week, openers only", sets=openers, duration_s=2400),
            Session(started_at=dt.datetime.combine(monday + dt.timedelta(days=5), dt.time(9, 0)), name="Meet day",
                    source="sim", notes=f"meet day! total {total:g}{self.unit}", sets=meet, duration_s=6 * 3600),
        ]

    def _update_week(self, w: int, trained: set[str], mode: str, ratios: dict[str, float], half: float) -> None:
        """Move every true e1RM one week: gains slow with training age, stall, and vanish when overreached."""
        age = 1.0 / (1.0 + w / half)
        for ex_id, lift in self.lifts.items():
            if ex_id in trained:
                lift.last_trained = w
            primary = [g for g, credit in entry_muscles(lift.entry).items() if credit == 1.0]
            over = max((ratios.get(g, 0.0) for g in primary), default=0.0)
            recover = max(0.2, 1.0 - max(0.0, over - 1.0) * 3)
            if mode == "off":
                g = -0.004
            elif ex_id not in trained:
                idle = w - lift.last_trained
                g = -0.001 if lift.trained_ever and idle > 3 and lift.e1rm > 0.85 * lift.peak else 0.0
            elif mode == "deload":
                g = lift.rate * age * 0.3
            elif w <= lift.stall_until:
                g = 0.0
            else:
                g = lift.rate * age * recover * (1.1 if mode == "peak" else 1.0) * (0.5 if mode == "travel" else 1.0)
                if self.rng.random() < 0.05:
                    lift.stall_until = w + self.rng.randint(2, 7)
            lift.e1rm *= 1 + g
            lift.peak = max(lift.peak, lift.e1rm)


def _rpe(max_reps_fresh: float, reps: int) -> float:
    """The true RPE of a set: 10 minus the reps left in reserve, rounded to half points, 6-10."""
    return min(10.0, max(6.0, round((10 - (max_reps_fresh - reps)) * 2) / 2))


def _default_ratio(entry: ExerciseEntry) -> float:
    return {"dumbbell": 0.25, "cable": 0.4, "machine": 0.8, "kettlebells": 0.3, "barbell": 0.6}.get(
        entry.equipment or "", 0.4)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def simulate(
    store: Store,
    preset: str | None,
    *,
    seed: int | None,
    weeks: int,
    athlete_name: str,
    start: dt.date | None = None,
    home: Path | None = None,
    catalog: Catalog | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimReport:
    """Create a simulated athlete and write `weeks` weeks of history, as an import would.

    `preset` names a preset (`presets.preset_names()`); without one, `seed` draws a new athlete.
    `start` (moved back to its Monday) defaults to `weeks` weeks before the current week, so the
    history ends last week. The same preset/seed/weeks/start always write the same log. Athlete,
    sessions, sets and annotations are written in one transaction; the hidden traits go to
    `PERI_HOME/oracle/` and never into the store.
    """
    if weeks < 1 or weeks > 520:
        raise PeriError(f"--weeks {weeks} is outside 1-520", place="--weeks")
    if not athlete_name.strip():
        raise PeriError("the athlete needs a name", place="--athlete")
    spec, seed = resolve_spec(preset, seed)
    start = _monday(start) if start else _monday(dt.date.today()) - dt.timedelta(weeks=weeks)
    catalog = catalog or sim_catalog()
    if any(a.name == athlete_name for a in store.list_athletes()):
        raise PeriError(f"athlete {athlete_name!r} already exists", place="--athlete", hint="choose another name")
    sim = _Simulator(spec, seed, weeks, start, athlete_name, catalog)
    sessions = sim.run(progress)
    annotations = [a for s in sessions for a in annotations_for_session(s)]
    athlete = Athlete(
        name=athlete_name, age=spec.age, body_mass_kg=spec.body_mass_kg, sex=spec.sex, level=Level(spec.level),
        days_per_week=spec.days_per_week, goal=Goal(spec.goal), split=spec.stated_split or spec.split, equipment=list(spec.equipment),
        constraints=list(spec.constraints), constraint_regions=list(spec.constraint_regions), simulated=True,
    )
    with store.transaction():
        saved = store.add_athlete(athlete)
        assert saved.id is not None
        counts = store.add_sessions(saved.id, sessions, annotations)
        try:
            save_traits(sim.traits, home)
        except OSError as e:  # rolls the store back too: no athlete without its oracle
            raise PeriError(f"cannot write the hidden traits: {e}", place=str(traits_path(athlete_name, home))) from e
    r = sim.report
    return SimReport(
        athlete=athlete_name, preset=sim.traits.preset, seed=seed, weeks=weeks, start=start,
        end=start + dt.timedelta(weeks=weeks, days=-1), sessions=counts.sessions_new, sets=counts.sets_new,
        annotations=counts.annotations_new, notes=r["notes"], missed_sessions=r["missed"], deload_weeks=r["deloads"],
        travel_weeks=r["travel"], meets=r["meets"],
    )
