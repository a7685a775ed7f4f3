"""The limits an imported row must keep, in one place, and the pass that applies them to a parsed file.

A value outside these limits is not a training log's value (a year-9999 date bricks every weekly view; a
10,000-rep set skews every volume figure), but one such row must not cost the person the rest of their log:
the row (or, for a date, the whole session) is refused, listed in the import report with why, and never
stored. Oversized notes are cut to `MAX_NOTE_CHARS` with a warning.

A negative load is not out of bounds but a convention: lifters (FitNotes users among them) log an assisted
pull-up or dip as minus the machine's help. Refusing the row lost the set; reading it as a load would be
absurd. On an exercise a machine or band assists (its name says so: `assisted_exercises` in the vocabulary) the
set is kept with its load unknown (as a bodyweight set) and the assistance in its note; a negative load on any
other exercise (a squat) is a slip and refused as out of bounds.
"""
from __future__ import annotations

import datetime as dt

from .base import EXERCISE, NOTE, ORDER, REPS, UNIT, WEIGHT, WEIGHT_KG, ParsedFile
from .dialect import fold, vocabulary

EARLIEST_DATE = dt.date(1970, 1, 1)
# today + one year: a phone with its clock a few months out is still a real log
FUTURE_DAYS = 366
MIN_LOAD_KG = 0.0
MAX_LOAD_KG = 600.0  # above the heaviest lift ever recorded (~510 kg deadlift); leg-press sleds stay under it
MAX_REPS = 1000
MAX_NAME_CHARS = 200  # exercise and workout names
MAX_NOTE_CHARS = 10_000  # a note is cut here (peri keeps notes verbatim; 10,000 characters is pages of text)


def limits_text(today: dt.date | None = None) -> str:
    """The limits as one sentence, for reports and help."""
    latest = latest_date(today)
    return (f"dates {EARLIEST_DATE.isoformat()}..{latest.isoformat()}, loads {MIN_LOAD_KG:g}..{MAX_LOAD_KG:g} kg, "
            f"reps 0..{MAX_REPS}, names up to {MAX_NAME_CHARS} characters, notes up to {MAX_NOTE_CHARS} characters")


def latest_date(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) + dt.timedelta(days=FUTURE_DAYS)


def apply_bounds(parsed: ParsedFile, today: dt.date | None = None) -> None:
    """Refuse sessions dated outside the window and sets outside the load/rep limits (into `parsed.refused`),
    cut oversized notes (a warning). Runs after units are resolved, so loads are compared in kg."""
    # names over the cap: found once per distinct name, their sets refused below
    long_names = {n for n in parsed.exercise_names() if len(n) > MAX_NAME_CHARS}
    earliest = dt.datetime.combine(EARLIEST_DATE, dt.time())
    latest = dt.datetime.combine(latest_date(today), dt.time.max)
    kept = []
    cut = 0
    assisted: list[int] = []  # the lines of sets logged with a negative load
    for s in parsed.sessions:
        if not earliest <= s.started_at <= latest:
            parsed.refused.append(
                f"line {s.line}: session {s.name!r} dated {s.started_at.date().isoformat()} is outside "
                f"{EARLIEST_DATE.isoformat()}..{latest.date().isoformat()}; its {len(s.sets)} sets were not stored")
            continue
        if len(s.name) > MAX_NAME_CHARS:
            parsed.refused.append(f"line {s.line}: workout name is longer than {MAX_NAME_CHARS} characters; "
                                  f"its {len(s.sets)} sets were not stored")
            continue
        bad = False
        for w in s.sets:  # the hot loop: plain comparisons, the message only for a set that breaks a limit
            kg, reps, note = w[WEIGHT_KG], w[REPS], w[NOTE]
            if kg is not None and kg < MIN_LOAD_KG and -kg <= MAX_LOAD_KG and assistable(w[EXERCISE]):
                assisted.append(s.line)
                help_text = f"assisted by {-w[WEIGHT]:g} {w[UNIT]}"  # units are resolved before bounds run
                w[NOTE] = note = f"{note}; {help_text}" if note else help_text  # readers give stripped notes or None
                w[WEIGHT] = w[WEIGHT_KG] = w[UNIT] = kg = None
            if (kg is not None and (kg < MIN_LOAD_KG or kg > MAX_LOAD_KG)) or (reps is not None and reps > MAX_REPS):
                bad = True
            elif long_names and w[EXERCISE] in long_names:
                bad = True
            if note is not None and len(note) > MAX_NOTE_CHARS:
                w[NOTE] = note[:MAX_NOTE_CHARS]
                cut += 1
        if bad:
            good = []
            for w in s.sets:
                why = _set_problem(w)
                if why is None:
                    good.append(w)
                else:
                    parsed.refused.append(f"line {s.line}: session {s.started_at.date().isoformat()} "
                                          f"{w[EXERCISE][:60]!r} set {w[ORDER]}: {why}")
            s.sets = good
        if s.notes is not None and len(s.notes) > MAX_NOTE_CHARS:
            s.notes = s.notes[:MAX_NOTE_CHARS]
            cut += 1
        if any(len(text) > MAX_NOTE_CHARS for _, text in s.extra_notes):
            cut += sum(1 for _, text in s.extra_notes if len(text) > MAX_NOTE_CHARS)
            s.extra_notes = [(ex, text[:MAX_NOTE_CHARS]) for ex, text in s.extra_notes]
        if s.sets or s.extra_notes:
            kept.append(s)
    parsed.sessions = kept
    if assisted:
        parsed.warnings.append(
            f"{len(assisted)} sets were logged with a negative load (first at line {min(assisted)}), read as an "
            "assisted exercise's help: each is kept with its load unknown, as a bodyweight set, and the assistance "
            "in its note")
    if cut:
        parsed.warnings.append(f"{cut} notes were longer than {MAX_NOTE_CHARS} characters and were cut there")


def assistable(name: str) -> bool:
    """Whether a machine or band can assist this exercise, by its name's words (a negative load is its help)."""
    words = fold(name).split()
    # one- and two-word phrases of the name ("pull up", "chin up"), looked up in the vocabulary's set
    phrases = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    return not vocabulary()["assisted_exercises"].isdisjoint(phrases)


def _set_problem(w: list) -> str | None:
    if len(w[EXERCISE]) > MAX_NAME_CHARS:
        return f"exercise name is longer than {MAX_NAME_CHARS} characters"
    kg = w[WEIGHT_KG]
    if kg is not None and not MIN_LOAD_KG <= kg <= MAX_LOAD_KG:
        return f"load {w[WEIGHT]:g} ({kg:g} kg) is outside {MIN_LOAD_KG:g}..{MAX_LOAD_KG:g} kg"
    reps = w[REPS]
    if reps is not None and reps > MAX_REPS:
        return f"{reps} reps is over {MAX_REPS}"
    return None
