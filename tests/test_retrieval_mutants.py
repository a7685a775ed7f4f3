"""Retrieval pinned down where mutmut found it loose (issue 20), on six hand-made weeks instead of a simulated
athlete: every state, similarity, ranking, token count and budget decision worked out by hand in the comments.
A word-count tokenizer stands in for a model's, so counts are words (plus one a message)."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.catalog import default_catalog
from peri.log.context import AthleteContext
from peri.log.models import Annotation, Athlete, Scope, Session, SetType, WorkoutSet
from peri.plans.schema import Scenario
from peri.tune import retrieval
from peri.tune.retrieval import (WeekState, fewshot_prompt, planning_cutoff, retrieve_examples, state_similarity,
                                 week_state)

M = dt.date(2025, 1, 6)  # a Monday


from hand_tokenizers import Words  # noqa: E402  (tests/: words, plus one a message)


class Framed(Words):
    """Words, plus the square of the message count: a chat's framing grows faster than its parts, so the sum
    of the examples' own counts undercounts the whole prompt (what fewshot_prompt trims for)."""

    name = "framed"
    exact = True

    def count_messages(self, messages) -> int:
        return sum(len(m["content"].split()) for m in messages) + len(messages) ** 2


# Loaded at import, not in a fixture: mutmut's fork server imports this module once and every mutant's
# process inherits the loaded catalog (a fixture would load it again for each mutant, a second apiece).
CATALOG = default_catalog()
# the builder's lazy imports, done here for the same reason
from peri.plans import checker, from_log, text  # noqa: E402,F401
from peri.prompts import builder  # noqa: E402,F401


@pytest.fixture
def catalog():
    return CATALOG


def week(w: int) -> dt.date:
    return M + dt.timedelta(weeks=w)


def squats(day: dt.date, kg: float, sets: int, name: str = "Full A") -> Session:
    return Session(started_at=dt.datetime.combine(day, dt.time(18)), name=name,
                   sets=[WorkoutSet(exercise="Squat", exercise_id="Barbell_Squat", order=i + 1, weight=kg, unit="kg",
                                    weight_kg=kg, reps=5) for i in range(sets)])


def six_weeks(names: dict[int, str] | None = None, notes: list[Annotation] | None = None) -> AthleteContext:
    """Weeks 0-5, one Monday squat session each: 100 kg + 5 kg a week, 3 sets in even weeks and 4 in odd;
    a note "worked" on week 2's Tuesday; planning on week 5's Wednesday (its Monday session is history)."""
    sessions = [squats(week(w), 100 + 5 * w, 3 + w % 2, (names or {}).get(w, "Full A")) for w in range(6)]
    worked = Annotation(scope=Scope.week, date=week(2) + dt.timedelta(days=1), text="felt great", tags=["worked"])
    return AthleteContext(athlete=Athlete(name="Bo"), sessions=sessions, annotations=[worked, *(notes or [])],
                          as_of=week(5) + dt.timedelta(days=2))


def test_planning_cutoff_is_the_monday_of_the_planning_week() -> None:
    ctx = six_weeks()
    assert planning_cutoff(ctx) == week(5)
    assert planning_cutoff(ctx.model_copy(update={"as_of": week(5)})) == week(5)
    assert planning_cutoff(ctx.model_copy(update={"as_of": week(5) + dt.timedelta(days=6)})) == week(5)


def test_week_state_by_hand() -> None:
    day = week(1) + dt.timedelta(days=6)  # the Sunday before week 2
    s = Session(started_at=dt.datetime.combine(day, dt.time(9)), sets=[
        WorkoutSet(exercise="Squat", weight_kg=100, reps=5),
        WorkoutSet(exercise="Squat", weight_kg=60, reps=5, set_type=SetType.warmup),  # a warm-up: not counted
        WorkoutSet(exercise="Squat", weight_kg=100, reps=None),  # no reps: not counted
        WorkoutSet(exercise="Pull Up", weight_kg=None, reps=8),  # body weight: a set, no tonnage
        WorkoutSet(exercise="Curl", weight_kg=12.25, reps=10),
        WorkoutSet(exercise="Raise", weight_kg=10.125, reps=2)])
    notes = [Annotation(scope=Scope.week, date=week(2) - dt.timedelta(weeks=3), text="a", tags=["tired"],
                        regions=["knee"]),  # exactly three weeks before: counted
             Annotation(scope=Scope.week, date=week(2) - dt.timedelta(weeks=3, days=1), text="b", tags=["pain"]),
             Annotation(scope=Scope.week, date=week(2), text="c", tags=["worked"]),  # the week itself: not before
             Annotation(scope=Scope.week, date=week(1), text="d", tags=["excessive", "tired"])]
    before = Session(started_at=dt.datetime.combine(week(1) - dt.timedelta(days=1), dt.time(9)),
                     sets=[WorkoutSet(exercise="Squat", weight_kg=100, reps=5)])  # two weeks before: not last week
    on = Session(started_at=dt.datetime.combine(week(2), dt.time(9)),
                 sets=[WorkoutSet(exercise="Squat", weight_kg=100, reps=5)])  # the week itself
    ctx = AthleteContext(athlete=Athlete(name="Bo"), sessions=[before, s, on], annotations=notes, as_of=week(3))
    # 4 sets: 100 x 5 + 0 x 8 + 12.25 x 10 + 10.125 x 2 = 642.75 kg, kept to one decimal (642.8)
    assert week_state(ctx, week(2)) == WeekState(sets=4, tonnage_kg=642.8, tags=["excessive", "knee", "tired"])
    assert week_state(ctx, week(5)) == WeekState(sets=0, tonnage_kg=0.0, tags=["worked"])  # notes from week 2 on


@pytest.mark.parametrize("a, b, ratio", [(0, 0, 1.0), (2, 4, 0.5), (4, 2, 0.5), (0, 5, 0.0), (-1, 0, 1.0),
                                         (3, 3, 1.0), (0.5, 0, 0.0), (0, 0.5, 0.0)])
def test_ratio_by_hand(a: float, b: float, ratio: float) -> None:
    assert retrieval._ratio(a, b) == ratio


def test_state_similarity_by_hand() -> None:
    # sets 10 vs 5: 0.5; tonnage 1000 vs 4000: 0.25; volume (0.5 + 0.25) / 2 = 0.375; tags {a b} vs {b c}: 1 / 3
    v, n = state_similarity(WeekState(sets=10, tonnage_kg=1000, tags=["a", "b"]),
                            WeekState(sets=5, tonnage_kg=4000, tags=["b", "c"]))
    assert v == 0.375 and n == pytest.approx(1 / 3)
    assert state_similarity(WeekState(sets=1, tonnage_kg=1), WeekState(sets=1, tonnage_kg=1)) == (1.0, 1.0)
    # notes on one side only share nothing
    assert state_similarity(WeekState(sets=1, tonnage_kg=1, tags=["a"]), WeekState(sets=1, tonnage_kg=1)) == (1.0, 0.0)
    assert state_similarity(WeekState(sets=1, tonnage_kg=1), WeekState(sets=1, tonnage_kg=1, tags=["a"])) == (1.0, 0.0)


def test_turn_tokens_by_hand() -> None:
    turns = [{"role": "user", "content": "a b c"}, {"role": "assistant", "content": "d e"}]
    # (3 + 1) + (2 + 1) + (0 + 1) for the turns and an empty request, less the empty request's 1
    assert retrieval._turn_tokens(Words(), turns) == 7
    # with framing: 5 words + 3 messages squared, less the empty request's 1 squared
    assert retrieval._turn_tokens(Framed(), turns) == 13
    assert retrieval._turn_tokens(Words(), []) == 1  # never less than one

    class Roles(Words):
        """Words plus a framing by role, as chat templates have: "user" 1, "assistant" 2 (no other role)."""

        def count_messages(self, messages) -> int:
            return sum(len(m["content"].split()) + {"user": 1, "assistant": 2}[m["role"]] for m in messages)

    # (3 + 1) + (2 + 2) + (0 + 1) for the turns and an empty request, less the empty request's (0 + 1)
    assert retrieval._turn_tokens(Roles(), turns) == 8


# The four candidates, worked by hand. The request's state (week 4: 3 sets of 120 kg x 5 = 1800 kg; the
# "worked" note of week 2 is within the three weeks before week 5) is compared with each example week's:
#   week 1: its week before, 0: 3 sets, 1500 kg; volume (1 + 1500/1800)/2 = 0.916667; notes {} vs {worked} 0;
#           4 weeks ago: recency 0.5^(4/26) = 0.899192; 0.4 x 0.916667 + 0.15 x 0.899192 = 0.501545
#   week 2: 4 sets, 4 x 5 x 105 = 2100 kg; volume (3/4 + 1800/2100)/2 = 0.803571; notes 0; recency
#           0.5^(3/26) = 0.923180; 0.321429 + 0.138477 = 0.459906, and 0.2 more for its "worked" note
#   week 3: 3 sets, 1650 kg; volume (1 + 1650/1800)/2 = 0.958333; notes 1; recency 0.5^(2/26) = 0.948078;
#           0.383333 + 0.25 + 0.142212 = 0.775545
#   week 4: 4 sets, 2300 kg; volume (3/4 + 1800/2300)/2 = 0.766304; notes 1; recency 0.5^(1/26) = 0.973694;
#           0.306522 + 0.25 + 0.146054 = 0.702576
# Ranking (similarity + worked): week 3 0.7755, week 4 0.7026, week 2 0.6599, week 1 0.5015.
# Tokens (words + 1 a message): week 1's turns 16 + 1 and 9 + 1 words = 27; week 2 29; weeks 3 and 4 31.
WHY = {
    week(1): "same scenario; volume 92% alike (3 vs 3 sets the week before); notes 0% alike; 4 weeks ago",
    week(2): ("same scenario; volume 80% alike (4 vs 3 sets the week before); notes 0% alike; notes say it worked; "
              "3 weeks ago"),
    week(3): "same scenario; volume 96% alike (3 vs 3 sets the week before); notes 100% alike; 2 weeks ago",
    week(4): "same scenario; volume 77% alike (4 vs 3 sets the week before); notes 100% alike; 1 week ago",
}


def test_every_candidate_ranked_by_hand(catalog) -> None:
    chosen, left, excluded, n = retrieve_examples(six_weeks(), catalog, "normal", tokenizer=Words(), budget=10_000)
    assert (n, left, excluded) == (4, [], [])
    # prompt order: the best nearest the request
    assert [e.week_start for e in chosen] == [week(1), week(2), week(4), week(3)]
    assert [e.similarity for e in chosen] == [0.5015, 0.4599, 0.7026, 0.7755]
    assert [e.tokens for e in chosen] == [27, 29, 31, 31]
    assert [e.why for e in chosen] == [WHY[e.week_start] for e in chosen]
    assert [(e.label, e.tags, e.same_scenario, e.scenario) for e in chosen] == [
        ("neutral", [], True, Scenario.normal), ("worked", ["worked"], True, Scenario.normal),
        ("neutral", [], True, Scenario.normal), ("neutral", [], True, Scenario.normal)]
    # the turns only, no system message: week 1 answered with what week 1 logged
    assert chosen[0].messages == [
        {"role": "user", "content": "log shows ~1x/wk. Last wk: 1 session, 3 hard sets, top: Squat 115kg. "
                                    "Plan next week."},
        {"role": "assistant", "content": "WEEK normal\nDAY Full A\nBarbell Squat: 4x5 @105kg\n"}]


@pytest.mark.parametrize("budget, k, chosen, left", [
    (62, 8, [4, 3], [2, 1]),  # 31 + 31 = 62 fits exactly; 29 more would not
    (61, 8, [2, 3], [4, 1]),  # week 4's 31 does not fit after week 3's, week 2's 29 still does (60)
    (30, 8, [2], [3, 4, 1]),  # week 2's 29 fits, then nothing more
    (28, 8, [1], [3, 4, 2]),  # only week 1's 27 fits at all
    (26, 8, [], [3, 4, 2, 1]),
    (10_000, 1, [3], [4, 2, 1]),  # k at most one
    (10_000, 2, [4, 3], [2, 1]),
])
def test_budget_and_k_decide_by_hand(catalog, budget: int, k: int, chosen: list[int], left: list[int]) -> None:
    got, rest, _, n = retrieve_examples(six_weeks(), catalog, Scenario.normal, tokenizer=Words(), budget=budget,
                                        k_max=k)
    assert [e.week_start for e in got] == [week(w) for w in chosen]
    assert [e.week_start for e in rest] == [week(w) for w in left]
    assert n == 4


def test_the_same_scenario_leads_whatever_its_score(catalog) -> None:
    # week 1 named a deload: its scenario; it ranks first for a deload request despite the lowest score
    ctx = six_weeks(names={1: "Deload squats"})
    chosen, _, _, _ = retrieve_examples(ctx, catalog, "deload", tokenizer=Words(), budget=10_000)
    assert [e.week_start for e in chosen] == [week(2), week(4), week(3), week(1)]
    assert chosen[-1].same_scenario and chosen[-1].scenario == Scenario.deload
    assert chosen[-1].why.startswith("same scenario; ")
    assert chosen[0].why.startswith("normal week; volume 80% alike") and not chosen[0].same_scenario


def test_an_aggravating_week_is_excluded_said_why(catalog) -> None:
    bad = Annotation(scope=Scope.week, date=week(3) + dt.timedelta(days=2), text="knee pain after squats",
                     tags=["pain"], regions=["knee"])
    chosen, left, excluded, n = retrieve_examples(six_weeks(notes=[bad]), catalog, "normal", tokenizer=Words(),
                                                  budget=10_000)
    assert n == 3 and week(3) not in [e.week_start for e in chosen + left]
    assert excluded == [f'week of {week(3)}: notes say pain: "knee pain after squats"']


def test_fewshot_prompt_by_hand(catalog) -> None:
    fs = fewshot_prompt(six_weeks(), catalog, "normal", tokenizer=Words(), budget=62)
    assert [e.week_start for e in fs.examples] == [week(4), week(3)]
    assert [m["role"] for m in fs.messages] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert fs.messages[1:3] == fs.examples[0].messages and fs.messages[3:5] == fs.examples[1].messages
    # system "You are Peri, a strength coach." 6 words + 1; the request 20 + 1; the examples 31 + 31
    assert (fs.total_tokens, fs.example_tokens, fs.budget, fs.candidates) == (7 + 62 + 21, 62, 62, 4)
    assert [(s.name, s.tokens, s.kind) for s in fs.sections] == [
        ("system", 6, "system"), ("examples (2 past weeks)", 62, "context"), ("request", 20, "request")]
    assert fs.sections[1].text == f"[week of {week(4)}] {WHY[week(4)]}\n\n[week of {week(3)}] {WHY[week(3)]}"
    assert fs.sections[0].text == "You are Peri, a strength coach." and fs.sections[2].text == fs.messages[-1]["content"]
    assert fs.left_out == [f"week of {week(2)} (29 tokens; {WHY[week(2)]})", f"week of {week(1)} (27 tokens; {WHY[week(1)]})"]
    assert (fs.scenario, fs.tokenizer, fs.exact, fs.excluded) == (Scenario.normal, "words", False, [])


def test_fewshot_prompt_trims_the_least_relevant_when_framing_overshoots(catalog) -> None:
    # Framed: each example's turns count their words + 3^2 - 1 = 29 + 8 = 37 (weeks 3 and 4), so 74 fits two;
    # the whole prompt with both has 6 messages: 58 words + 36 - 4 (system and request alone) = 90 > 74, so
    # the first in prompt order (week 4) goes back to the front of the left-out list; with one: 29 + 16 - 4 = 41
    fs = fewshot_prompt(six_weeks(), catalog, "normal", tokenizer=Framed(), budget=74)
    assert [e.week_start for e in fs.examples] == [week(3)]
    assert fs.example_tokens == 41 and fs.total_tokens == 6 + 20 + 29 + 16
    assert [x.split(" (")[0] for x in fs.left_out] == [f"week of {w}" for w in (week(4), week(2), week(1))]
    assert (fs.tokenizer, fs.exact) == ("framed", True)


def test_no_example_fits_and_none_is_claimed(catalog) -> None:
    fs = fewshot_prompt(six_weeks(), catalog, "normal", tokenizer=Words(), budget=5)
    assert fs.examples == [] and fs.example_tokens == 0 and len(fs.left_out) == 4
    assert fs.total_tokens == 7 + 21 and [m["role"] for m in fs.messages] == ["system", "user"]
    assert fs.sections[1].name == "examples (0 past weeks)" and fs.sections[1].text == ""


class Heavy(Words):
    """Words, plus 2,970 for an assistant turn: week 3's and week 4's turns come to 3,001 tokens, week 2's to
    2,999 and week 1's to 2,997 (their words 29, 29, 27 and 25, one a message, 2,970), around the default budget."""

    name = "heavy"

    def count_messages(self, messages) -> int:
        return super().count_messages(messages) + 2970 * sum(m["role"] == "assistant" for m in messages)


def test_the_default_budget_is_3000_tokens(catalog) -> None:
    # 3,001 does not fit 3,000; week 2's 2,999 does, and then nothing more
    chosen, left, _, _ = retrieve_examples(six_weeks(), catalog, "normal", tokenizer=Heavy())
    assert [e.week_start for e in chosen] == [week(2)] and [e.tokens for e in chosen] == [2999]
    assert [e.week_start for e in left] == [week(3), week(4), week(1)]
    fs = fewshot_prompt(six_weeks(), catalog, tokenizer=Words())
    assert (fs.budget, fs.scenario, len(fs.examples)) == (3000, Scenario.normal, 4)


def test_fewshot_passes_its_budget_and_k_to_retrieval(catalog) -> None:
    # budget 61: retrieval's own choice, weeks 2 and 3 (29 + 31 = 60), not the four trimmed down to week 3
    fs = fewshot_prompt(six_weeks(), catalog, "normal", tokenizer=Words(), budget=61)
    assert [e.week_start for e in fs.examples] == [week(2), week(3)]
    assert [x.split(" (")[0] for x in fs.left_out] == [f"week of {week(4)}", f"week of {week(1)}"]
    one = fewshot_prompt(six_weeks(), catalog, "normal", tokenizer=Words(), k_max=1)
    assert [e.week_start for e in one.examples] == [week(3)] and len(one.left_out) == 3


def test_fewshot_request_is_the_short_prompt_for_the_scenario_date_and_kit(catalog) -> None:
    from peri.prompts.builder import short_prompt

    ctx = six_weeks()
    for scenario, kw in (("deload", {}), ("peaking", {"event_date": week(9)}), ("travel", {"equipment": ["dumbbell"]})):
        fs = fewshot_prompt(ctx, catalog, scenario, tokenizer=Words(), **kw)
        want = short_prompt(ctx, catalog, scenario, **kw)
        assert fs.messages[0] == want[0] and fs.messages[-1] == want[1]
    assert "2025-03-10" in fewshot_prompt(ctx, catalog, "peaking", tokenizer=Words(),
                                          event_date=week(9)).messages[-1]["content"]
    assert "dumbbell" in fewshot_prompt(ctx, catalog, "travel", tokenizer=Words(),
                                        equipment=["dumbbell"]).messages[-1]["content"]


def test_fewshot_names_the_excluded_weeks(catalog) -> None:
    bad = Annotation(scope=Scope.week, date=week(3) + dt.timedelta(days=2), text="knee pain", tags=["pain"])
    fs = fewshot_prompt(six_weeks(notes=[bad]), catalog, "normal", tokenizer=Words())
    assert fs.excluded == [f'week of {week(3)}: notes say pain: "knee pain"']
    assert (fs.tokenizer, fs.exact, fs.candidates) == ("words", False, 3)
