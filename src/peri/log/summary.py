"""What the log holds for an athlete, as `peri athlete list|show` and the web app's Athletes pages show it:
counts, each profile field with its source (stated, derived from the log with the evidence, or unknown),
and the recent weekly stats."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .catalog import default_catalog
from .context import load_context, plausible_sessions
from .gaps import Gap, log_gaps
from .models import PROFILE_FIELDS, Athlete
from .stats import WeekStats, top_lifts, weekly_stats
from .store import Store


class LogCounts(BaseModel):
    sessions: int
    sets: int
    annotations: int
    first_session: str | None
    last_session: str | None


class ProfileField(BaseModel):
    name: str
    value: Any
    source: str | None  # stated | derived | unknown; None for fields without a source (name, age, ...)
    evidence: str | None = None


class AthleteRow(BaseModel):
    athlete: Athlete
    counts: LogCounts


class AthleteSummary(BaseModel):
    athlete: Athlete
    counts: LogCounts
    fields: list[ProfileField]
    weeks: list[WeekStats] = Field(default_factory=list)
    top_lifts: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)  # what the log does not show for a plan (`log.gaps`)


def log_counts(store: Store, athlete_id: int) -> LogCounts:
    c = store.conn
    sessions, first, last = c.execute(
        "SELECT COUNT(*), MIN(started_at), MAX(started_at) FROM sessions WHERE athlete_id = ?", (athlete_id,)
    ).fetchone()
    annotations = c.execute("SELECT COUNT(*) FROM annotations WHERE athlete_id = ?", (athlete_id,)).fetchone()[0]
    return LogCounts(sessions=sessions, sets=store.count_sets(athlete_id), annotations=annotations,
                     first_session=first[:10] if first else None, last_session=last[:10] if last else None)


def profile_fields(a: Athlete) -> list[ProfileField]:
    """Every profile field with its value and where it comes from (unknown fields have no value)."""
    out = []
    for key, value in a.model_dump(mode="json", exclude={"id", "sources"}).items():
        if key not in PROFILE_FIELDS:
            out.append(ProfileField(name=key, value=value, source=None))
            continue
        src = a.source(key)
        out.append(ProfileField(name=key, value=None if src.kind == "unknown" else value, source=src.kind,
                                evidence=src.evidence))
    return out


def athlete_rows(store: Store) -> list[AthleteRow]:
    """Every athlete (profile derived from the log where unstated) with the log's counts."""
    return [AthleteRow(athlete=load_context(store, a.name).athlete, counts=log_counts(store, a.id))
            for a in store.list_athletes()]


def athlete_summary(store: Store, name: str, *, weeks: int | None = 12) -> AthleteSummary:
    """One athlete: profile fields with sources, counts, the last `weeks` weeks of stats and the top lifts."""
    ctx = load_context(store, name)
    a = ctx.athlete
    assert a.id is not None
    sessions, warnings = plausible_sessions(store.sessions(a.id))
    stats = weekly_stats(sessions, default_catalog(), weeks=weeks)
    return AthleteSummary(athlete=a, counts=log_counts(store, a.id), fields=profile_fields(a), weeks=stats,
                          top_lifts=top_lifts(stats, n=4) if stats else [], warnings=warnings + list(ctx.warnings),
                          gaps=log_gaps(ctx, store.aliases()))
