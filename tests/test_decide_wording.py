"""The recommendation's reasons read as sentences: singular and plural, no "(s)", no "none stated" in brackets."""
from __future__ import annotations

import pytest

from peri.decide.recommend import Situation, recommend


def reason(s: Situation, criterion: str) -> str:
    (r,) = [r for r in recommend(s).reasons if r.criterion == criterion]
    return r.text


@pytest.mark.parametrize("q, said", [
    (1, "1 query a week is occasional use"),
    (2, "2 queries a week is occasional use"),
    (1.5, "1.5 queries a week is occasional use"),
    (0.5, "2.2 queries a month is occasional use"),        # 0.5 x 52 / 12 = 2.17
    (0.2308, "1 query a month is occasional use"),         # 0.2308 x 52 / 12 = 1.0001
    (0.077, "0.33 queries a month is occasional use"),     # quarterly
    (7, "7 queries a week is daily use: short prompts add up"),
])
def test_how_often_is_said_with_its_number(q: float, said: str) -> None:
    crit = "daily use" if q >= 5 else "occasional use"
    assert reason(Situation(queries_per_week=q), crit) == said


@pytest.mark.parametrize("constraints, notes, said", [
    ([], 13, "no stated constraint and 13 notes of aggravation or pain in your log"),
    (["knee"], 0, "1 stated constraint (knee) and 0 notes of aggravation or pain in your log"),
    (["knee", "lower back"], 1, "2 stated constraints (knee, lower back) and 1 note of aggravation or pain in your log"),
])
def test_constraints_are_said_as_a_sentence(constraints: list[str], notes: int, said: str) -> None:
    s = Situation(constraints=constraints, aggravation_notes=notes)
    assert reason(s, "non-standard constraints") == said


def test_two_pain_notes_and_no_constraint_give_no_constraint_reason() -> None:
    assert not [r for r in recommend(Situation(aggravation_notes=2)).reasons if r.criterion == "non-standard constraints"]
