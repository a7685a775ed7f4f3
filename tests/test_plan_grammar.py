"""The text-form grammar: what it lets a model write always parses (checked by generating through it)."""
from __future__ import annotations

import pytest

from peri.plans.grammar import plan_text_grammar


def test_grammar_names_the_vocabulary_and_day_count() -> None:
    g = plan_text_grammar(["Leg Press", 'Odd "Quoted" Name'], days=3)
    assert g.startswith("%llguidance {}")
    assert 'start: "WEEK " SCEN "\\n" day day day' in g
    assert '"Leg Press"' in g and '"Odd \\"Quoted\\" Name"' in g
    with pytest.raises(ValueError):
        plan_text_grammar([], days=3)


@pytest.mark.slow
def test_constrained_output_parses_as_a_plan_with_the_right_days() -> None:
    from peri.backends.base import GenerationRequest
    from peri.backends.registry import get_backend
    from peri.plans.text import parse_plan_text

    vocab = ["Leg Press", "Seated Cable Rows", "Incline Dumbbell Press", "Lying Leg Curls"]
    backend = get_backend("embedded")
    try:
        res = backend.generate(GenerationRequest(
            messages=[{"role": "user", "content": "Plan my week."}], grammar=plan_text_grammar(vocab, days=2),
            max_tokens=400, temperature=0.7, seed=3,
        ))
    finally:
        backend.close()
    plan = parse_plan_text(res.text)
    assert len(plan.days) == 2
    assert {p.exercise for p in plan.days[0].exercises} <= set(vocab)
