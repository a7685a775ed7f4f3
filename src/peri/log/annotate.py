"""A person's own notes on their training (`peri note`, the web app's Notes page): add one, list them, delete one.

A note is kept verbatim; its tags (worked, excessive, aggravated, pain, felt_strong), body regions and RPE/RIR
are read from the text by `peri.log.notes.parse_note`, exactly as for notes that come with an import. The
fine-tuning dataset reads the tags (a week marked aggravated is repaired or left out) and the coach's safety
rules read the regions, so a note is checked before it is stored: a date in range, a text of bounded length,
an exercise name of bounded length; each refusal names the field and nothing is written.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import ConfigError, NotFound
from .models import Annotation, Scope
from .notes import parse_note

__all__ = ["EARLIEST_NOTE_DATE", "MAX_EXERCISE_CHARS", "MAX_NOTE_CHARS", "add_note", "check_note", "delete_note",
           "list_notes"]

MAX_NOTE_CHARS = 2000  # a long paragraph; a pasted diary belongs in an import, not a note
MAX_EXERCISE_CHARS = 120  # longer than any exercise name in the catalog or in the real exports
EARLIEST_NOTE_DATE = dt.date(1950, 1, 1)  # older than anyone's training log; catches a mistyped year


def check_note(day: dt.date, text: str, *, exercise: str | None = None, scope: Scope | None = None,
               today: dt.date | None = None) -> tuple[str, str | None, Scope]:
    """The note's text, exercise and scope as they will be stored; ConfigError naming the field otherwise.

    A date after tomorrow is refused (a note says what happened; a day of slack covers time zones)."""
    latest = (today or dt.date.today()) + dt.timedelta(days=1)
    if not EARLIEST_NOTE_DATE <= day <= latest:
        raise ConfigError(f"date {day.isoformat()} is outside {EARLIEST_NOTE_DATE.isoformat()} … {latest.isoformat()}",
                          place="date", hint="a note is about a day that has happened")
    if not text or not text.strip():
        raise ConfigError("the note is empty", place="text", hint='e.g. "this progression worked"')
    if len(text) > MAX_NOTE_CHARS:
        raise ConfigError(f"the note is {len(text):,} characters; at most {MAX_NOTE_CHARS:,}", place="text",
                          hint="split it into several notes")
    if "\x00" in text:
        raise ConfigError("the note holds a NUL character", place="text")
    ex = (exercise or "").strip() or None
    if ex is not None and (len(ex) > MAX_EXERCISE_CHARS or any(ord(c) < 32 for c in ex)):
        raise ConfigError(f"the exercise name is longer than {MAX_EXERCISE_CHARS} characters or holds control "
                          "characters", place="exercise", hint="the exercise as your log names it")
    sc = scope or (Scope.exercise if ex else Scope.session)
    if sc in (Scope.exercise, Scope.set) and not ex:
        raise ConfigError(f"a note on one {sc.value} needs the exercise it is about", place="exercise",
                          hint="name the exercise, or choose the session or week")
    return text, ex, sc


def add_note(store: Any, athlete: str, day: dt.date, text: str, *, exercise: str | None = None,
             scope: Scope | None = None, today: dt.date | None = None) -> Annotation:
    """Store a note as `peri note` does (source "manual"); its tags, regions and RPE/RIR read from the text.

    Scope defaults to exercise when an exercise is named, else session. The note is linked to that day's
    session when there is one. Raises ConfigError (field named) before anything is written."""
    text, ex, sc = check_note(day, text, exercise=exercise, scope=scope, today=today)
    a = store.get_athlete(athlete)
    exercise_id = None
    if ex:
        try:
            from .importers import catalog_mapper

            exercise_id = catalog_mapper(store)(ex)
        except ImportError:  # catalog not available: keep the name only
            exercise_id = None
    facts = parse_note(text)
    return store.add_annotation(a.id, Annotation(
        scope=sc, date=day, text=text, exercise=ex, exercise_id=exercise_id, tags=facts.tags,
        regions=facts.regions, rpe=facts.rpe, rir=facts.rir, source="manual",
    ))


def list_notes(store: Any, athlete: str, *, limit: int | None = None) -> list[Annotation]:
    """The athlete's notes (their own and those that came with imports), newest first."""
    a = store.get_athlete(athlete)
    notes = sorted(store.annotations(a.id), key=lambda n: (n.date, n.id or 0), reverse=True)
    return notes[:limit] if limit is not None else notes


def delete_note(store: Any, athlete: str, note_id: int) -> Annotation:
    """Delete one of the athlete's own notes (source "manual"); return it. A note that came with an import is
    not deleted here (importing the file again would bring it back): undo that import instead."""
    a = store.get_athlete(athlete)
    note = next((n for n in store.annotations(a.id) if n.id == note_id), None)
    if note is None:
        raise NotFound(f"{athlete} has no note {note_id}", place="note")
    if note.source != "manual":
        raise ConfigError(f"note {note_id} came with an import ({note.source}); it is part of the log",
                          place="note", hint="`peri import undo ID` removes that import with its notes")
    store.delete_annotation(a.id, note_id)
    return note
