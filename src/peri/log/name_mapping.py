"""Explain how a logged name maps, and propose mappings for an athlete's unmapped names.

The library behind `peri catalog match`, `peri catalog unmapped --suggest`, `peri catalog alias` and the
web app's Exercises page: each shows the evidence (the parse of the name, the rule used, the candidates)
so a person can judge a mapping before it changes their log. Accepting a suggestion writes a user alias
(which wins over every shipped table) and re-maps the athlete's stored sets of that name; `add_alias`
writes one alias and re-maps every athlete's sets of that name.
"""
from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from .catalog import Catalog, MatchResult
from .non_exercise import NameShape, classify, shapes_of_sessions
from .store import Store


class Candidate(BaseModel):
    """A catalog entry close to a name, by free-text search."""

    id: str
    name: str
    score: float


class Explanation(BaseModel):
    """How one name maps (``result``) and the closest catalog names (``candidates``)."""

    name: str
    result: MatchResult
    candidates: list[Candidate] = Field(default_factory=list)


class Suggestion(BaseModel):
    """A proposed mapping for a logged name no set of the athlete has an id for."""

    name: str
    sets: int
    exercise_id: str | None
    exercise_name: str | None
    score: float
    method: str  # the matcher's method; "not_exercise", "base_movement", or "search" (free-text search only)
    reason: str


# The matcher's own answers: what an import applies by itself (held to the mapping target, >= 98 % precision,
# docs/results.md). `base_movement` (about 96 %) and free-text `search` hits are for a person to check one by one.
CONFIDENT_METHODS = frozenset({"alias", "shipped_alias", "exact", "parsed", "fuzzy"})


class AliasResult(BaseModel):
    """What `add_alias` wrote: the alias key, the catalog entry, and the stored sets re-mapped (all athletes)."""

    name: str
    exercise_id: str
    exercise: str
    sets_remapped: int


def explain(catalog: Catalog, name: str, aliases: dict[str, str] | None = None, limit: int = 5) -> Explanation:
    """The match of ``name`` with its evidence, plus the ``limit`` closest catalog names."""
    result = catalog.match(name, aliases=aliases)
    cands = [Candidate(id=e.id, name=e.name, score=s) for e, s in catalog.search(name, limit=limit)]
    return Explanation(name=name, result=result, candidates=cands)


def unmapped_counts(store: Store, athlete_id: int) -> tuple[Counter[str], int]:
    """(sets per logged name with no catalog id, total sets) for one athlete."""
    counts: Counter[str] = Counter()
    total = 0
    for sess in store.sessions(athlete_id):
        for s in sess.sets:
            total += 1
            if not s.exercise_id:
                counts[s.exercise] += 1
    return counts, total


class UnmappedName(BaseModel):
    """One logged name with no catalog id: its sets, the closest catalog entry (to check before aliasing), or
    why it is not a strength exercise at all."""

    name: str
    sets: int
    suggestion: str | None = None
    suggestion_score: float | None = None
    not_exercise: str | None = None


class Unmapped(BaseModel):
    """An athlete's unmapped names, most-logged first (`peri catalog unmapped`, the web app)."""

    sets_total: int
    sets_unmapped: int
    names: list[UnmappedName]
    counts: dict[str, int] = Field(default_factory=dict, exclude=True)
    shapes: dict[str, NameShape] = Field(default_factory=dict, exclude=True)


def unmapped(store: Store, athlete_id: int, catalog: Catalog) -> Unmapped:
    """The athlete's unmapped names with set counts; a name shaped like a session rating or an activity is
    said to be one instead of being offered a catalog entry."""
    counts, total = unmapped_counts(store, athlete_id)
    shapes = shapes_of_sessions(store.sessions(athlete_id)) if counts else {}
    rows = []
    for n, c in counts.most_common():
        ne = classify(n, shapes.get(n))
        best = catalog.search(n, limit=1) if ne is None else []
        rows.append(UnmappedName(name=n, sets=c, suggestion=best[0][0].id if best else None,
                                 suggestion_score=best[0][1] if best else None,
                                 not_exercise=f"{ne.kind}: {ne.evidence}" if ne else None))
    return Unmapped(sets_total=total, sets_unmapped=sum(counts.values()), names=rows, counts=dict(counts),
                    shapes=shapes)


def suggest(catalog: Catalog, counts: Counter[str], aliases: dict[str, str] | None = None,
            shapes: dict[str, NameShape] | None = None) -> list[Suggestion]:
    """A proposal for each unmapped name, most sets first.

    The matcher's own answer when it has one (names imported before the word tables knew them);
    a name that is not a strength exercise (a session rating, a walk: ``non_exercise``, with the
    rows' ``shapes`` when given) is said to be one, with no entry proposed; then the base movement
    of a name with unknown variant words (``base_movement``); otherwise the best free-text search
    hit, marked ``search`` with its score. All for a person to confirm -- never applied without them.
    """
    out = []
    for name, n in counts.most_common():
        r = catalog.match(name, aliases=aliases)
        if r.entry is not None:
            reason = r.evidence.note if r.evidence else r.method
            out.append(Suggestion(name=name, sets=n, exercise_id=r.entry.id, exercise_name=r.entry.name,
                                  score=r.score, method=r.method, reason=reason))
            continue
        ne = classify(name, (shapes or {}).get(name))
        if ne is not None:
            out.append(Suggestion(name=name, sets=n, exercise_id=None, exercise_name=None, score=0.0,
                                  method="not_exercise", reason=f"not a strength exercise ({ne.kind}): {ne.evidence}"))
            continue
        _, base = catalog.parse(name, base_fallback=True)
        if base is not None and base.exercise_id is not None:
            e = catalog.get(base.exercise_id)
            out.append(Suggestion(name=name, sets=n, exercise_id=e.id, exercise_name=e.name, score=round(base.score, 1),
                                  method="base_movement", reason=base.reason))
            continue
        why = r.evidence.note if r.evidence and r.evidence.note else "no match"
        hits = catalog.search(name, limit=1)
        if hits:
            e, s = hits[0]
            out.append(Suggestion(name=name, sets=n, exercise_id=e.id, exercise_name=e.name, score=s,
                                  method="search", reason=f"closest catalog name; the matcher said: {why}"))
        else:
            out.append(Suggestion(name=name, sets=n, exercise_id=None, exercise_name=None, score=0.0,
                                  method="none", reason=why))
    return out


def accept(store: Store, athlete_id: int, accepted: list[Suggestion]) -> int:
    """Write each accepted suggestion as a user alias and re-map the athlete's sets; sets changed."""
    mapping = {s.name: s.exercise_id for s in accepted if s.exercise_id}
    if not mapping:
        return 0
    with store.transaction():
        for name, ex_id in mapping.items():
            store.set_alias(name, ex_id)
        return store.set_exercise_ids(athlete_id, mapping)


def confident(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions an import would have applied itself (`CONFIDENT_METHODS`), safe to accept in bulk."""
    return [s for s in suggestions if s.exercise_id is not None and s.method in CONFIDENT_METHODS]


def add_alias(store: Store, catalog: Catalog, name: str, exercise_id: str) -> AliasResult:
    """Map a logged name to a catalog exercise for every athlete (`peri catalog alias`, the web Exercises page).

    The alias (key: the name stripped and lower-cased) and the re-mapping of every athlete's stored sets whose
    name has that key are one transaction. An id not in the catalog raises NotFound before anything is written.
    """
    entry = catalog.get(exercise_id)
    key = name.strip().lower()
    remapped = 0
    with store.transaction():
        store.set_alias(name, entry.id)
        for a in store.list_athletes():
            assert a.id is not None
            logged = {s.exercise for sess in store.sessions(a.id) for s in sess.sets}
            same = {n: entry.id for n in logged if n.strip().lower() == key}
            if same:
                remapped += store.set_exercise_ids(a.id, same)
    return AliasResult(name=key, exercise_id=entry.id, exercise=entry.name, sets_remapped=remapped)
