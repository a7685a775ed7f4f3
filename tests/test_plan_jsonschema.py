"""The plan's JSON schema (constrained decoding) and reading JSON back into a Plan."""
from __future__ import annotations

import json

import pytest

from peri.errors import PlanParseError
from peri.plans.jsonschema import RPE_STEPS, plan_from_json, plan_json_schema
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
