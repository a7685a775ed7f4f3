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
    assert by_letter["A"].comment == "great" and by_letter["B"].comment is None  # the person's words, as typed
    stored = dict(store.conn.execute("SELECT generation_id, comment FROM ratings").fetchall())
    assert stored[by_letter["A"].generation_id] == "great [blind pick: better than Plan B]"
    assert stored[by_letter["B"].generation_id] == "[blind pick: Plan A was picked]"
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


# --- a pick stored as ratings -----------------------------------------------------------------------------
def test_a_pick_alone_is_stored_as_ratings_that_feed_history_and_eval(store, home, sam) -> None:
    from peri.evaluate.experiment import prompt_history

    c = start_comparison(store, sam, [Arm(model="rules"), Arm(model="rules", detail=1), Arm(model="rules", detail=2)])
    done = rate_comparison(store, c.id, {}, better="B")
    by_letter = {s.letter: s for s in done.slots}
    ratings = {k: store.get_generation(s.generation_id).rating for k, s in by_letter.items()}
    assert ratings == {"A": 2, "B": 4, "C": 2}  # by the rule: picked 4, the others 2
    assert all(s.from_pick for s in done.slots)
    comments = dict(store.conn.execute("SELECT generation_id, comment FROM ratings").fetchall())
    assert comments[by_letter["B"].generation_id] == "[blind pick: better than Plan A, Plan C; rating from the pick]"
    assert comments[by_letter["C"].generation_id] == "[blind pick: Plan B was picked; rating from the pick]"
    rated = sorted(g.rating for g in prompt_history(store, sam).generations if g.rating)
    assert rated == [2, 2, 4]  # `peri prompt history` sees the pick


@pytest.mark.parametrize("given,better,expected", [
    ({"A": 5}, "B", {"A": 5, "B": 5}),  # the pick bends up to the given rating it beats
    ({"B": 1}, "B", {"A": 1, "B": 1}),  # ... and the others down below the picked plan's given rating
    ({"A": 3, "B": 3}, "A", {"A": 3, "B": 3}),  # a tie the pick breaks keeps both given numbers
    ({"A": 2}, None, {"A": 2}),  # no pick: only what was given
])
def test_pick_ratings_keep_given_numbers_and_the_pick(given, better, expected) -> None:
    from peri.evaluate.blind import pick_ratings

    assert {k: v for k, (v, _) in pick_ratings(given, better, ["A", "B"]).items()} == expected


def test_a_pick_against_the_given_ratings_is_refused_and_nothing_is_stored(store, home, sam) -> None:
    c = start_comparison(store, sam, [Arm(model="rules"), Arm(model="rules", detail=1)])
    with pytest.raises(ConfigError, match="Plan A is picked .* Plan B is rated higher"):
        rate_comparison(store, c.id, {"A": 2, "B": 4}, better="A")
    assert all(store.get_generation(s.generation_id).rating is None for s in c.slots)
    assert not load(c.id).revealed


def test_pick_ratings_properties() -> None:
    from hypothesis import given, strategies as st

    from peri.evaluate.blind import pick_ratings

    letters = ["A", "B", "C", "D"]

    @given(st.dictionaries(st.sampled_from(letters), st.integers(1, 5)), st.sampled_from(letters))
    def check(given_, better):
        try:
            out = pick_ratings(given_, better, letters)
        except ConfigError:
            assert any(v > given_[better] for k, v in given_.items() if k != better and better in given_)
            return
        assert set(out) == set(letters)  # every plan gets a rating
        assert all(out[k] == (v, False) for k, v in given_.items())  # a given rating is kept as given
        assert all(1 <= v <= 5 for v, _ in out.values())
        assert all(out[better][0] >= out[k][0] for k in letters)  # the picked plan is never below another

    check()
