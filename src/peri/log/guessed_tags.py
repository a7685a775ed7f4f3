"""Coach tags guessed from the words of an exercise name the catalog cannot place.

A real log holds names no alias table has seen ("Squat", "Bench Press", "Zottman Curl Thing"). They are
still the athlete's own exercises, so a plan may prescribe them; what the checker and the coach need is a
pattern, spinal load and joints to check them with. `guess_entry(name)` reads the name's movement and
equipment words (``data/guessed_words.yaml``) into a free-exercise-db-like record and tags it with the very
``derive_*`` rules that tag the catalog. The result is a `GuessedEntry`: an `ExerciseEntry` marked
``guessed=True`` with the evidence in words.

Guesses lean to the worse case, because a wrong "safe" tag is what hurts: a name with no equipment word is
tagged with the worst spinal load and the union of the joints over every usual equipment (a plain "Squat"
is tagged like the barbell back squat), and the checker grades a guessed entry's joint stress one level
higher (``peri.plans.checker.region_stress``). A name with no movement word gives None: nothing is guessed.

`place(name, catalog, aliases)` is the one lookup for "what is this exercise": the catalog (exact name, then
its matcher), else a guess.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import PeriError
from .catalog import SPINAL_LOADS, ExerciseEntry, derive_joints, derive_pattern, derive_spinal_load, normalize_name
from .models import REGIONS

GUESSED_PREFIX = "guessed:"


class GuessedEntry(ExerciseEntry):
    """An exercise the catalog does not hold, with tags guessed from its name (never from a catalog entry)."""

    guessed: bool = True
    movement: str  # the phrase of the name the guess rests on, e.g. "squat"
    equipment_known: bool  # False: the tags are the worst over every usual equipment
    evidence: str  # one line: what was read from the name and how the tags were chosen


class _Rule(BaseModel):
    words: list[str]
    unless: list[str] = []
    category: str = "strength"
    primary: list[str]
    secondary: list[str] = []
    mechanic: str | None = None
    force: str | None = None
    pattern_word: str | None = None


class _Words(BaseModel):
    movements: list[_Rule]
    equipment: dict[str, str]
    candidates: list[str]


@functools.lru_cache(maxsize=4)
def _words(path: str | None = None) -> _Words:
    import yaml
    from importlib import resources

    file = Path(path) if path else Path(str(resources.files("peri") / "data" / "guessed_words.yaml"))
    try:
        return _Words.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError) as e:
        raise PeriError(f"cannot read the guessed-tag words: {e}", place=str(file)) from e


def _has_phrase(tokens: set[str], phrase: str) -> bool:
    parts = normalize_name(phrase).split()
    return bool(parts) and all(p in tokens for p in parts)


def _movement(tokens: set[str], table: _Words) -> tuple[_Rule, str] | None:
    for rule in table.movements:
        if any(_has_phrase(tokens, u) for u in rule.unless):
            continue
        for w in rule.words:
            if _has_phrase(tokens, w):
                return rule, w
    return None


def _equipment(tokens: set[str], table: _Words) -> str | None:
    # longest phrase first, so "hammer strength" wins over a lone word
    for phrase, eq in sorted(table.equipment.items(), key=lambda kv: -len(kv[0])):
        if _has_phrase(tokens, phrase):
            return eq
    return None


@functools.lru_cache(maxsize=4096)
def guess_entry(name: str) -> GuessedEntry | None:
    """Tags for `name` guessed from its words, or None when no movement word is recognised."""
    norm = normalize_name(name)
    tokens = set(norm.split())
    if not tokens:
        return None
    table = _words()
    hit = _movement(tokens, table)
    if hit is None:
        return None
    rule, phrase = hit
    words = norm
    if rule.pattern_word and not _has_phrase(tokens, rule.pattern_word):
        words = f"{norm} {rule.pattern_word}"
    equipment = _equipment(tokens, table)
    options = [equipment] if equipment else list(table.candidates)
    patterns: list[str] = []
    spinal = "none"
    joints: set[str] = set()
    for eq in options:
        raw: dict[str, Any] = {
            "name": f"{eq} {words}" if not equipment and eq in ("barbell", "dumbbell", "cable", "machine") else words,
            "category": rule.category, "equipment": eq, "mechanic": rule.mechanic, "force": rule.force,
            "primaryMuscles": list(rule.primary), "secondaryMuscles": list(rule.secondary),
        }
        pattern = derive_pattern(raw)
        load = derive_spinal_load(raw, pattern)
        patterns.append(pattern)
        spinal = max(spinal, load, key=SPINAL_LOADS.index)
        joints |= set(derive_joints(raw, pattern, load))
    pattern = patterns[0]
    if spinal in ("moderate", "high") and pattern not in ("cardio",):
        joints.add("lower_back")
    ordered = [r for r in REGIONS if r in joints]
    how = f"equipment {equipment}" if equipment else "no equipment named: the worst of " + "/".join(options)
    evidence = (f"guessed from the name: {phrase!r} -> {pattern}, {how}; spinal load {spinal}"
                + (f", loads {', '.join(r.replace('_', ' ') for r in ordered)}" if ordered else ""))
    return GuessedEntry(
        id=GUESSED_PREFIX + norm.replace(" ", "_"), name=name.strip(), category=rule.category, equipment=equipment,
        mechanic=rule.mechanic, force=rule.force, level="beginner", primary_muscles=list(rule.primary),
        secondary_muscles=list(rule.secondary), pattern=pattern, spinal_load=spinal, joints=ordered,  # type: ignore[arg-type]
        movement=phrase, equipment_known=equipment is not None, evidence=evidence,
    )


def is_guessed(entry: ExerciseEntry | None) -> bool:
    """True for an entry whose tags were guessed from its name."""
    return bool(getattr(entry, "guessed", False))


def place(name: str, catalog: Any, aliases: dict[str, str] | None = None) -> ExerciseEntry | None:
    """The entry `name` means: the catalog's by exact name, then its matcher, else a guess (None: neither)."""
    entry = catalog.by_name(name) or catalog.match(name, aliases).entry
    return entry if entry is not None else guess_entry(name)
