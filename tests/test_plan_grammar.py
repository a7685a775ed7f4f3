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


def test_step_grammars_open_a_day_only_when_asked() -> None:
    import json

    from peri.plans.grammar import json_step_grammar, text_line_grammar

    ex = {"anyOf": [{"type": "object", "properties": {"exercise": {"type": "string", "enum": ["Leg Press"]}}}]}
    plain, head = json_step_grammar(ex), json_step_grammar(ex, head=True)
    assert "start: ex" in plain and "dname" not in plain
    assert 'start: "{\\"name\\":" dname ",\\"exercises\\":[" ex' in head
    # the exercise is the given schema, written with no whitespace
    body = json.loads(next(x for x in head.splitlines() if x.startswith("ex: %json "))[len("ex: %json "):])
    assert body["anyOf"] == ex["anyOf"] and body["x-guidance"]["whitespace_flexible"] is False
    assert text_line_grammar(["Leg Press"]).splitlines()[1] == "start: line"
    assert text_line_grammar(["Leg Press"], head=True).splitlines()[1] == 'start: "DAY " DAYNAME "\\n" line'


@pytest.mark.slow
def test_step_grammars_continue_a_prefilled_answer_with_an_allowed_exercise() -> None:
    """llama.cpp takes the step grammars (LLGuidance) and continues the answer so far with one allowed line."""
    import json

    from peri.backends.base import GenerationRequest
    from peri.backends.registry import get_backend
    from peri.plans.grammar import json_step_grammar, text_line_grammar
    from peri.plans.text import parse_prescription

    allowed = ["Seated Cable Rows", "Lying Leg Curls"]
    ex = {"anyOf": [{"type": "object", "properties": {"exercise": {"type": "string", "enum": [n]},
                                                      "sets": {"type": "integer", "minimum": 1, "maximum": 10}},
                     "required": ["exercise", "sets"], "additionalProperties": False} for n in allowed]}
    ask = [{"role": "user", "content": "Plan my week."}]
    backend = get_backend("embedded")
    try:
        prefix = '{"days":['
        res = backend.generate(GenerationRequest(messages=[*ask, {"role": "assistant", "content": prefix}],
                                                 grammar=json_step_grammar(ex, head=True), max_tokens=60))
        step = res.text[len(prefix):] if res.text.startswith(prefix) else res.text
        assert step.startswith('{"name":"')
        obj = json.loads(step[step.index("[") + 1:])
        assert obj["exercise"] in allowed
        prefix = "WEEK normal\nDAY Pull\nLeg Press: 3x10\n"
        res = backend.generate(GenerationRequest(messages=[*ask, {"role": "assistant", "content": prefix}],
                                                 grammar=text_line_grammar(allowed), max_tokens=40))
        line = res.text[len(prefix):] if res.text.startswith(prefix) else res.text
        assert parse_prescription(line.strip()).exercise in allowed
    finally:
        backend.close()
