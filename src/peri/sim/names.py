"""How the simulator and the oracle know exercises: the public catalog's names, ids and muscles only.

The catalog (free-exercise-db, `peri/data/exercises.json`, with the name aliases) is shared public data
that maps a written name onto an id. peri's coach tags (`peri/data/exercise_tags.yaml`: pattern, spinal
load, joints) are not: they are the checker's judgement, and the oracle must not judge safety with the
rulebook it is grading. So the sim side loads the catalog WITHOUT the coach tag file (the path below
never exists) and never reads an entry's `pattern`, `spinal_load` or `joints`
(tests/test_sim_isolation.py checks both).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..log.catalog import Catalog, ExerciseEntry

# Deliberately absent: Catalog.load applies tag overrides only from a file that exists.
NO_COACH_TAGS = Path(__file__).with_name("data") / "no-coach-tags.yaml"


@lru_cache(maxsize=1)
def sim_catalog() -> Catalog:
    """The public catalog for the sim side: names, ids, equipment, muscles; no coach tag overrides."""
    return Catalog.load(tags_path=NO_COACH_TAGS)


def resolve(name: str, catalog: Catalog | None = None) -> ExerciseEntry | None:
    """A plan's exercise name onto a catalog entry (exact name, then the catalog's matcher), or None."""
    catalog = catalog or sim_catalog()
    entry = catalog.by_name(name)
    if entry is None:
        entry = catalog.match(name).entry
    return entry


def is_cardio(entry: ExerciseEntry) -> bool:
    """Cardio by the public catalog's category (not the coach's pattern tag)."""
    return (entry.category or "").lower() == "cardio"


def is_compound(entry: ExerciseEntry) -> bool:
    """A multi-joint lift by the public catalog's `mechanic` field."""
    return (entry.mechanic or "").lower() == "compound"
