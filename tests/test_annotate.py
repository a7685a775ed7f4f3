"""peri.log.annotate: a person's own notes, checked at the edges of every limit before anything is stored."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peri.errors import ConfigError, NotFound
from peri.log.annotate import add_note, delete_note, list_notes
from peri.log.models import Athlete, Scope
from peri.log.store import Store

TODAY = dt.date(2026, 6, 10)


@pytest.fixture
def store(home: Path):
    with Store(home / "peri.db") as s:
        s.add_athlete(Athlete(name="ana"))
        yield s


@pytest.mark.parametrize("day, ok", [
    (dt.date(2026, 6, 11), True),  # tomorrow: a day of slack for time zones
    (dt.date(2026, 6, 12), False),
    (dt.date(1950, 1, 1), True),
    (dt.date(1949, 12, 31), False),
])
def test_the_date_range_edges(store: Store, day: dt.date, ok: bool) -> None:
    if ok:
        assert add_note(store, "ana", day, "x", today=TODAY).date == day
    else:
        with pytest.raises(ConfigError) as e:
            add_note(store, "ana", day, "x", today=TODAY)
        assert e.value.place == "date"
        assert list_notes(store, "ana") == []


def test_the_length_edge_and_what_is_read_from_the_text(store: Store) -> None:
    with pytest.raises(ConfigError) as e:
        add_note(store, "ana", TODAY, "a" * 2001, today=TODAY)
    assert e.value.place == "text" and list_notes(store, "ana") == []
    n = add_note(store, "ana", TODAY, "b" * 1999 + "!", today=TODAY)
    assert len(n.text) == 2000 and n.scope == Scope.session and n.source == "manual"
    m = add_note(store, "ana", TODAY, "bench tweaked my elbow, RIR 1", exercise=" Bench Press ", today=TODAY)
    assert m.exercise == "Bench Press" and m.scope == Scope.exercise  # an exercise named: a note on it
    assert m.regions == ["elbow"] and "aggravated" in m.tags and m.rir == 1


def test_listing_is_newest_first_and_delete_takes_only_own_notes(store: Store) -> None:
    a = add_note(store, "ana", dt.date(2026, 1, 5), "older", today=TODAY)
    b = add_note(store, "ana", dt.date(2026, 2, 5), "newer", today=TODAY)
    assert [n.text for n in list_notes(store, "ana")] == ["newer", "older"]
    assert [n.text for n in list_notes(store, "ana", limit=1)] == ["newer"]
    assert delete_note(store, "ana", a.id).text == "older"
    assert [n.id for n in list_notes(store, "ana")] == [b.id]
    with pytest.raises(NotFound):
        delete_note(store, "ana", a.id)  # gone already
    store.add_athlete(Athlete(name="kim"))
    with pytest.raises(NotFound):
        delete_note(store, "kim", b.id)  # not kim's
    assert store.delete_annotation(store.get_athlete("kim").id, b.id) is False
    assert [n.id for n in list_notes(store, "ana")] == [b.id]
