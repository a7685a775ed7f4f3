"""The plan's JSON schema (constrained decoding) and reading JSON back into a Plan."""
from __future__ import annotations

import json

import pytest

from peri.errors import PlanParseError
from peri.plans.jsonschema import RPE_STEPS, plan_from_json, plan_json_schema, plan_to_wire, plan_wire_schema
from peri.plans.schema import Plan, PlanDay, Prescription, Scenario

VOCAB = ["Barbell Squat", "Leg Press", "Barbell Bench Press - Medium Grip"]


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_schema_shape_for_constrained_decoding():
    schema = plan_json_schema(VOCAB)
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text and "anyOf" not in text
    days = schema["properties"]["days"]
    assert (days["minItems"], days["maxItems"]) == (1, 7)
    exercises = days["items"]["properties"]["exercises"]
    assert (exercises["minItems"], exercises["maxItems"]) == (1, 10)
    item = exercises["items"]["properties"]
    assert item["exercise"]["enum"] == sorted(VOCAB)
    assert (item["sets"]["minimum"], item["sets"]["maximum"]) == (1, 10)
    assert item["rpe"]["enum"] == RPE_STEPS
    for node in _walk(schema):
        if node.get("type") == "integer":
            assert "minimum" in node and "maximum" in node
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
    assert "enum" not in plan_json_schema()["properties"]["days"]["items"]["properties"]["exercises"]["items"][
        "properties"]["exercise"]


@pytest.mark.parametrize("vocab", [None, VOCAB])
def test_llama_cpp_accepts_the_schema(vocab):
    import xllamacpp

    schema = plan_json_schema(vocab)
    grammar = xllamacpp.json_schema_to_grammar(json.dumps(schema))
    assert isinstance(grammar, str) and grammar
    # this build hands the schema to llguidance whole: it must arrive unchanged
    assert json.dumps(schema, separators=(",", ":")) in grammar or "root" in grammar


def _plan() -> Plan:
    return Plan(scenario=Scenario.deload, days=[PlanDay(name="Lower", exercises=[
        Prescription(exercise="Barbell Squat", sets=2, reps_low=5, reps_high=6, load_kg=90, rpe=6.5, rest_s=180)])])


def test_a_plan_dump_fits_the_schema_keys():
    obj = _plan().model_dump(mode="json", exclude_none=True)
    schema = plan_json_schema(VOCAB)
    assert set(obj) <= set(schema["properties"]) and set(schema["required"]) <= set(obj)
    ex = obj["days"][0]["exercises"][0]
    props = schema["properties"]["days"]["items"]["properties"]["exercises"]["items"]
    assert set(ex) <= set(props["properties"]) and set(props["required"]) <= set(ex)
    assert ex["rpe"] in RPE_STEPS


def test_plan_from_json_dict_text_and_fence():
    plan = _plan()
    obj = plan.model_dump(mode="json")
    assert plan_from_json(obj) == plan
    assert plan_from_json(json.dumps(obj)) == plan
    assert plan_from_json("```json\n" + json.dumps(obj, indent=2) + "\n```") == plan
    assert plan_from_json(json.dumps(obj).encode()) == plan


def test_bad_json_names_line_and_column():
    with pytest.raises(PlanParseError) as err:
        plan_from_json('{"scenario": "normal",\n "days": [}')
    assert err.value.place.startswith("line 2 column")


@pytest.mark.parametrize(
    ("mutate", "place", "fragment"),
    [
        (lambda o: o["days"][0]["exercises"][0].update(sets=0), "days[0].exercises[0].sets", "greater than or equal"),
        (lambda o: o["days"][0]["exercises"][0].update(reps_low=8, reps_high=5), "days[0].exercises[0]", "reversed"),
        (lambda o: o.update(days=[]), "days", "at least 1"),
        (lambda o: o.update(scenario="bulk"), "scenario", "normal"),
        (lambda o: o["days"][0].update(exercises=[]), "days[0].exercises", "at least 1"),
    ],
)
def test_schema_violations_name_the_field(mutate, place, fragment):
    obj = _plan().model_dump(mode="json")
    mutate(obj)
    with pytest.raises(PlanParseError) as err:
        plan_from_json(obj)
    assert err.value.place == place
    assert fragment in err.value.message


def test_not_an_object():
    with pytest.raises(PlanParseError, match="expected a JSON object"):
        plan_from_json("[1, 2]")


# --- the wire shape: what a model writes ---------------------------------------------------------


def test_wire_schema_shape_and_llama_cpp_accepts_it():
    import xllamacpp

    schema = plan_wire_schema(VOCAB)
    assert set(schema["properties"]) == {"days"}
    item = schema["properties"]["days"]["items"]["properties"]["exercises"]["items"]
    assert item["required"] == ["exercise", "sets", "reps"] and item["properties"]["exercise"]["enum"] == sorted(VOCAB)
    reps = item["properties"]["reps"]
    assert (reps["minItems"], reps["maxItems"]) == (2, 2)
    for node in _walk(schema):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
    assert xllamacpp.json_schema_to_grammar(json.dumps(schema))


def test_wire_is_shorter_than_the_plan_shape_on_the_embedded_tokenizer():
    from peri.paths import embedded_model_path
    from peri.prompts.tokens import GGUFTokenizer

    tok = GGUFTokenizer(embedded_model_path())
    plan = Plan(days=[PlanDay(name="Upper A", exercises=[
        Prescription(exercise="Barbell Bench Press - Medium Grip", sets=4, reps_low=6, reps_high=8, load_kg=82.5, rpe=8)] * 5)])
    full = tok.count(json.dumps(plan.model_dump(mode="json", exclude_none=True)))
    wire = tok.count(json.dumps(plan_to_wire(plan), separators=(",", ":")))
    assert wire < 0.7 * full


def test_wire_round_trip_keeps_what_the_wire_carries():
    plan = _plan()
    back = plan_from_json(json.dumps(plan_to_wire(plan), separators=(",", ":")))
    p, q = plan.days[0].exercises[0], back.days[0].exercises[0]
    assert (q.exercise, q.sets, q.reps_low, q.reps_high, q.load_kg, q.rpe) == (p.exercise, p.sets, p.reps_low, p.reps_high, p.load_kg, p.rpe)
    assert q.rest_s is None and back.days[0].name == "Lower"  # rest times are not on the wire


def test_wire_reading_is_lenient_only_where_meaning_is_unambiguous():
    wire = {"days": [{"name": "A", "exercises": [{"exercise": "Leg Press", "sets": 3, "reps": [12, 8]},
                                                  {"exercise": "Leg Press", "sets": 3, "reps": 10, "kg": 100}]}]}
    plan = plan_from_json(wire)
    a, b = plan.days[0].exercises
    assert (a.reps_low, a.reps_high) == (8, 12) and (b.reps_low, b.reps_high, b.load_kg) == (10, 10, 100)
    assert plan_from_json({"scenario": "deload", **wire}).scenario == Scenario.deload  # extra keys around wire days
    wire["days"][0]["exercises"][1]["kg"] = 900
    with pytest.raises(PlanParseError) as err:
        plan_from_json(wire)
    assert err.value.place == "days[0].exercises[1].kg"  # the model's key, not the Plan field
