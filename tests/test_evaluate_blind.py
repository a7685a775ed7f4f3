"""peri.evaluate.blind: letters hide the approach; ratings go through Store.rate; one rating per comparison."""
from __future__ import annotations

import random
import threading

import pytest

from peri.errors import ConfigError, NotFound
from peri.evaluate.blind import Arm, load, parse_arm, rate_comparison, start_comparison


@pytest.fixture
def sam(store):
    from peri.sim.generate import simulate

    simulate(store, "seed", seed=7, weeks=8, athlete_name="sam")
    return "sam"


def test_arms_parse_and_bad_ones_are_refused() -> None:
    assert parse_arm("ft:x|short|3") == Arm(model="ft:x", style="short", detail=3)
    assert parse_arm("rules") == Arm(model="rules")
    for bad in ("embedded|fancy|3", "embedded|engineered|9", "|engineered|3", "embedded|engineered|x"):
        with pytest.raises(ConfigError):
            parse_arm(bad)


def test_comparison_shuffles_letters_and_keeps_the_mapping_off_the_page(store, home, sam) -> None:
    arms = [Arm(model="rules"), Arm(model="rules", detail=1)]
    orders = set()
    for seed in range(8):
        c = start_comparison(store, sam, arms, rng=random.Random(seed))
        orders.add(tuple(s.arm.detail for s in c.slots))
        assert [s.letter for s in c.slots] == ["A", "B"]
        assert (home / "blind" / f"{c.id}.json").is_file() and not c.revealed
    assert len(orders) == 2  # both orders occur: the letter says nothing about the approach
    with pytest.raises(ConfigError, match="2 to 6"):
        start_comparison(store, sam, arms[:1])


def test_rating_stores_through_store_rate_once(store, home, sam) -> None:
    c = start_comparison(store, sam, [Arm(model="rules"), Arm(model="rules", detail=1)])
    for ratings, better, msg in (({"A": 6}, None, "outside 1-5"), ({"C": 3}, None, "no plan C"),
                                 ({"A": None}, None, "rate at least one"), ({}, "Z", "no plan Z")):
        with pytest.raises(ConfigError, match=msg):
            rate_comparison(store, c.id, ratings, better=better)
    assert all(store.get_generation(s.generation_id).rating is None for s in c.slots)  # nothing half-written
    done = rate_comparison(store, c.id, {"A": 5, "B": 1}, {"A": " great ", "B": ""}, better="A")
    assert done.revealed and done.better == "A"
    by_letter = {s.letter: s for s in load(c.id).slots}
    assert store.get_generation(by_letter["A"].generation_id).rating == 5
    assert by_letter["A"].comment == "great" and by_letter["B"].comment is None
    with pytest.raises(ConfigError, match="already rated"):
        rate_comparison(store, c.id, {"A": 1})


def test_two_tabs_rating_the_same_comparison_record_it_once(store, home, sam) -> None:
    from peri.log.store import Store

    c = start_comparison(store, sam, [Arm(model="rules"), Arm(model="rules", detail=1)])
    outcomes: list[str] = []

    def tab(n: int) -> None:
        with Store(home / "peri.db") as s:
            try:
                rate_comparison(s, c.id, {"A": n})
                outcomes.append("rated")
            except ConfigError:
                outcomes.append("refused")

    threads = [threading.Thread(target=tab, args=(n,)) for n in (2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["rated", "refused", "refused"]
    gid = load(c.id).slots[0].generation_id
    assert store.conn.execute("SELECT COUNT(*) FROM ratings WHERE generation_id=?", (gid,)).fetchone()[0] == 1


def test_an_unknown_or_hostile_id_is_not_found(home) -> None:
    for cid in ("nope", "../../etc/passwd", "", "x" * 100):
        with pytest.raises(NotFound):
            load(cid)
