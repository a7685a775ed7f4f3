"""Recognise logged "exercise" names that are not strength exercises at all.

People log more than sets in a lifting app: a number for how hard the session felt ("Intensity",
one set of 7 at the end of every workout), a walk or a swim, a rest or note row. The catalog has
no entry for these and should not: counting them as unmapped exercises makes coverage look worse
than it is, and proposing a catalog entry for them is nonsense. A name is classified only when the
catalog cannot place it AND its words hold no strength movement (``exercise_names.parse_name``; a
cardio "movement" of the word tables such as a stair machine counts as an activity word); then

* ``marker``   - a marker word (``data/non_exercise_words.yaml``: intensity, RPE, effort, mood...),
  or, whatever the name's language, the shape of a rating: in nearly every session it appears in (at
  least ``MIN_MARKER_SESSIONS``, and most sessions of the time it was in use), exactly one set, no load,
  a value (reps or RPE) on a 0-10 scale, standing at the same end of the session;
* ``activity`` - an activity word (walking, treadmill, swimming, yoga...) and, when the rows are
  known, mostly no load (a loaded "walk" is a carry, not an outing);
* ``label``    - a label word (rest, note, superset).

Everything else is left an (unmapped) exercise: a name is called "not an exercise" only on
evidence, and the evidence is returned in words so a person can check it.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from ..errors import PeriError
from .exercise_names import NameVocabulary, normalize_name, parse_name

# a rating needs a few sessions before its shape says anything, and is given in most sessions of the time
# it was used (a finisher done now and then is not a rating)
MIN_MARKER_SESSIONS = 5
MARKER_SPAN_SHARE = 0.5
# share of sessions that must show the rating shape (one unloaded set, a 0-10 value, at one end)
MARKER_SHARE = 0.9


class NameShape(BaseModel):
    """How one logged name's sets look across sessions (the evidence the shape rules read)."""

    sessions: int = 0
    sets: int = 0
    one_set_sessions: int = 0  # sessions holding exactly one set of the name
    loaded_sets: int = 0  # sets with a load > 0
    rating_sets: int = 0  # unloaded sets whose reps or RPE is a 0-10 number
    timed_sets: int = 0  # sets with seconds or distance and no reps
    at_start: int = 0  # sessions where the name's sets come first
    at_end: int = 0  # sessions where they come last
    span_sessions: int = 0  # sessions from the name's first to its last, inclusive (with or without it)


class NotExercise(BaseModel):
    """A name that is not a strength exercise: its kind and the evidence, in words."""

    name: str
    kind: Literal["marker", "activity", "label"]
    evidence: str


# one set as the shape rules need it: (name, load in kg or None, reps, rpe, seconds, distance_m)
SetRow = tuple[str, float | None, int | None, float | None, float | None, float | None]


def shapes(sessions: Iterable[Sequence[SetRow]]) -> dict[str, NameShape]:
    """The `NameShape` of every name in some sessions, in time order, each session its sets in logged order.

    An empty session stands for one holding none of the names of interest: it counts in the spans only.
    """
    out: dict[str, NameShape] = defaultdict(NameShape)
    first: dict[str, int] = {}
    for i, rows in enumerate(sessions):
        if not rows:
            continue
        per: dict[str, int] = defaultdict(int)
        for name, load, reps, rpe, seconds, dist in rows:
            sh = out[name]
            sh.sets += 1
            per[name] += 1
            if load:
                sh.loaded_sets += 1
            else:
                value = reps if reps is not None else rpe
                if value is not None and 0 <= value <= 10:
                    sh.rating_sets += 1
            if reps is None and (seconds or dist):
                sh.timed_sets += 1
        head, tail = rows[0][0], rows[-1][0]
        for name, n in per.items():
            sh = out[name]
            first.setdefault(name, i)
            sh.span_sessions = i - first[name] + 1
            sh.sessions += 1
            sh.one_set_sessions += n == 1
            sh.at_start += name == head
            sh.at_end += name == tail
    return dict(out)


def shapes_of_sessions(sessions: Iterable) -> dict[str, NameShape]:
    """`shapes` of stored `Session`s (``peri.log.models``)."""
    return shapes(
        [(s.exercise, s.weight_kg, s.reps, s.rpe, s.seconds, s.distance_m) for s in sess.sets] for sess in sessions
    )


class NonExerciseWords:
    """The word lists of ``data/non_exercise_words.yaml``, as normalised phrases."""

    KINDS = ("marker", "label", "activity")  # the order a name is tested in

    def __init__(self, data: dict, source: str = "non_exercise_words.yaml"):
        self.source = source
        self.phrases: dict[str, set[tuple[str, ...]]] = {}
        for kind in self.KINDS:
            words = data.get(kind) or []
            bad = [w for w in words if not isinstance(w, str)]
            if bad:
                raise PeriError(f"{kind}: {bad} are not words", place=f"{source}:{kind}", hint="quote on/no/yes/off")
            self.phrases[kind] = {tuple(normalize_name(w).split()) for w in words if normalize_name(w)}

    @classmethod
    def load(cls, path: Path | str | None = None) -> "NonExerciseWords":
        """Read the word lists (default: the shipped ``data/non_exercise_words.yaml``)."""
        from ..paths import load_word_table

        data, p = load_word_table(path, "non_exercise_words.yaml")
        return cls(data, source=str(p))

    def found(self, name: str, kind: str) -> list[str]:
        """The phrases of ``kind`` standing as whole words in ``name``."""
        words = normalize_name(name).split()
        hits = []
        for p in self.phrases[kind]:
            if any(tuple(words[k:k + len(p)]) == p for k in range(len(words) - len(p) + 1)):
                hits.append(" ".join(p))
        return sorted(hits)


@functools.lru_cache(maxsize=1)
def default_words() -> NonExerciseWords:
    """The shipped word lists, loaded once per process."""
    return NonExerciseWords.load()


def _rating_shape(sh: NameShape) -> str | None:
    """The evidence that a name is a per-session rating, or None."""
    if sh.sessions < MIN_MARKER_SESSIONS or sh.sets == 0 or sh.sessions < MARKER_SPAN_SHARE * sh.span_sessions:
        return None
    need = MARKER_SHARE * sh.sessions
    end = max(sh.at_start, sh.at_end)
    if sh.one_set_sessions >= need and sh.rating_sets >= MARKER_SHARE * sh.sets and end >= need:
        where = "last" if sh.at_end >= sh.at_start else "first"
        return (f"one unloaded set with a 0-10 value in {sh.one_set_sessions} of {sh.sessions} sessions, "
                f"logged {where} in {end}")
    return None


def classify(name: str, shape: NameShape | None = None, words: NonExerciseWords | None = None,
             vocabulary: NameVocabulary | None = None) -> NotExercise | None:
    """Whether ``name`` is not a strength exercise, with the evidence; None = treat it as an exercise.

    Call it for names the catalog does not place: a name with a movement word is always an exercise.
    ``shape`` (from `shapes`) adds the evidence of the rows; without it only the words decide.
    """
    parsed = parse_name(name, vocabulary)
    w = words or default_words()
    if parsed.competing_movements:
        return None
    if parsed.movement and tuple(parsed.movement_words) not in w.phrases["activity"]:
        return None  # a strength movement ("Stair Machine" is a movement of the word tables AND an activity)
    hits = w.found(name, "marker")
    rating = _rating_shape(shape) if shape is not None else None
    if hits or rating:
        why = [f"marker word(s) {hits}"] if hits else []
        why += [rating] if rating else []
        return NotExercise(name=name, kind="marker", evidence="; ".join(why))
    hits = w.found(name, "label")
    if hits:
        return NotExercise(name=name, kind="label", evidence=f"label word(s) {hits}")
    hits = w.found(name, "activity")
    if hits:
        if shape is not None and shape.sets and shape.loaded_sets > shape.sets / 2:
            return None  # mostly loaded: a carry or a sled, not an outing
        why = f"activity word(s) {hits}"
        if shape is not None and shape.timed_sets:
            why += f"; {shape.timed_sets} of {shape.sets} sets are time or distance only"
        return NotExercise(name=name, kind="activity", evidence=why)
    return None


def strength_rows(sessions: Sequence[Any]) -> list[Any]:
    """The sessions without rows that are not exercises — a session rating ("Intensity" 7), a free-text label
    (`classify`, by the rows' shape and words): they stay in the log, and are never prescribed."""
    unplaced = {w.exercise for s in sessions for w in s.sets if not w.exercise_id}
    shapes = shapes_of_sessions(sessions) if unplaced else {}
    skip = {n for n in unplaced if (ne := classify(n, shapes.get(n))) is not None and ne.kind in ("marker", "label")}
    if not skip:
        return list(sessions)
    return [s.model_copy(update={"sets": [w for w in s.sets if w.exercise not in skip]}) for s in sessions]
