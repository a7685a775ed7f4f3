"""peri.tune.retrieval: the athlete's own past weeks as examples in the prompt — strictly before the planning
week, never an aggravating week, same scenario first, worked weeks preferred, k fitted to the budget."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from peri.backends.base import GenerationRequest, GenerationResult
from peri.log.catalog import default_catalog
from peri.log.context import load_context
from peri.log.models import Annotation, Scope
from peri.prompts.tokens import tokenizer_for
from peri.tune.dataset import BAD_TAGS
from peri.tune.retrieval import K_MAX, fewshot_prompt, retrieve_examples, state_similarity, WeekState

from test_dataset import START, seed_store, week_sessions

TOK = None


def tok():
    global TOK
    if TOK is None:
        TOK = tokenizer_for("embedded")
    return TOK


@pytest.fixture
def ana(store):
    return store, seed_store(store)  # 24 weeks; week 5 off, 7 worked, 9 deload, 11 aggravated, 13 travel


def _monday(w: int) -> dt.date:
    return START + dt.timedelta(weeks=w)


@pytest.mark.parametrize("as_of", [_monday(17), _monday(11) + dt.timedelta(days=3), _monday(20) + dt.timedelta(days=6),
                                   _monday(24)])
def test_no_example_touches_the_planning_week_or_later(ana, as_of):
    store, name = ana
    ctx = load_context(store, name, as_of)
    planning_monday = as_of - dt.timedelta(days=as_of.weekday())
    chosen, left, _, n = retrieve_examples(ctx, default_catalog(), "normal", tokenizer=tok(), budget=100_000, k_max=100)
    assert n == len(chosen) + len(left) and n > 0
    for ex in chosen + left:
        # the example's output week ends before the planning week begins (no leak through the output)
        assert ex.week_start + dt.timedelta(days=7) <= planning_monday
    # a mid-week as_of holds sessions of the planning week itself: they are history, never an example output
    assert max(ex.week_start for ex in chosen + left) == planning_monday - dt.timedelta(days=7)
    # loads rise 2.5 kg a week, so a leak would show the planning week's bench load in an answer
    leaked = f"Barbell Bench Press - Medium Grip: 3x8 @{80 + 2.5 * ((planning_monday - START).days // 7):g}kg"
    assert not any(leaked in m["content"] for ex in chosen + left for m in ex.messages)


def test_aggravating_weeks_are_never_examples_even_when_they_also_worked(store):
    name = seed_store(store)
    a = store.get_athlete(name)
    # week 15 says both "felt strong" and "aggravated": the aggravation wins, whatever else the notes say
    store.add_annotation(a.id, Annotation(scope=Scope.week, date=_monday(15) + dt.timedelta(days=1),
                                          text="felt strong but my knee hurt after squats",
                                          tags=["felt_strong", "pain"], regions=["knee"]))
    bad_weeks = {_monday(11), _monday(15)}
    for planning_week in (16, 20, 24):
        ctx = load_context(store, name, _monday(planning_week))
        for scenario in ("normal", "deload", "injury"):
            chosen, left, excluded, _ = retrieve_examples(ctx, default_catalog(), scenario, tokenizer=tok(),
                                                          budget=100_000, k_max=100)
            shown = {ex.week_start for ex in chosen + left}
            assert not shown & bad_weeks
            assert all(not set(ex.tags) & set(BAD_TAGS) for ex in chosen + left)
            assert any(str(_monday(11)) in e for e in excluded) and any(str(_monday(15)) in e for e in excluded)


def test_same_scenario_first_then_worked_weeks_preferred(ana):
    store, name = ana
    ctx = load_context(store, name, _monday(20))
    chosen, left, _, _ = retrieve_examples(ctx, default_catalog(), "deload", tokenizer=tok(), budget=100_000, k_max=100)
    ranked = list(reversed(chosen)) + left  # best first
    assert ranked[0].week_start == _monday(9) and ranked[0].same_scenario  # the one past deload leads
    assert chosen[-1].week_start == _monday(9)  # ...and sits nearest the request
    # week 7's notes say it worked: it outranks its unmarked neighbours, whose state is as alike or more
    pos = {ex.week_start: i for i, ex in enumerate(ranked)}
    assert pos[_monday(7)] < pos[_monday(6)] and pos[_monday(7)] < pos[_monday(8)]
    assert ranked[pos[_monday(7)]].label == "worked" and "worked" in ranked[pos[_monday(7)]].why


def test_state_similarity_by_hand():
    q = WeekState(sets=24, tonnage_kg=1000.0, tags=["worked", "knee"])
    o = WeekState(sets=12, tonnage_kg=750.0, tags=["knee"])
    volume, notes = state_similarity(q, o)
    assert volume == pytest.approx((12 / 24 + 750 / 1000) / 2)  # 0.625
    assert notes == pytest.approx(1 / 2)  # {knee} of {worked, knee}
    assert state_similarity(WeekState(sets=0, tonnage_kg=0), WeekState(sets=0, tonnage_kg=0)) == (1.0, 1.0)


@pytest.mark.parametrize("budget", [150, 400, 900, 2000, 100_000])
def test_k_is_the_most_examples_that_fit_the_budget(ana, budget):
    store, name = ana
    ctx = load_context(store, name, _monday(22))
    fs = fewshot_prompt(ctx, default_catalog(), "normal", tokenizer=tok(), budget=budget)
    t = tok()
    assert fs.total_tokens == t.count_messages(fs.messages)  # the table shows the real count
    system, ask = fs.messages[0], fs.messages[-1]
    assert fs.example_tokens == (fs.total_tokens - t.count_messages([system, ask]) if fs.examples else 0)
    assert fs.example_tokens <= budget
    assert len(fs.examples) <= K_MAX
    if len(fs.examples) < K_MAX:  # nothing left out would still have fitted
        remaining = budget - fs.example_tokens
        left_tokens = [int(s.split("(")[1].split(" tokens")[0]) for s in fs.left_out]
        assert all(n > remaining for n in left_tokens)
    if budget < 200:
        assert fs.examples == []  # one example is ~250 tokens on this tokenizer
    if budget >= 100_000:
        assert len(fs.examples) == K_MAX
    # shape: system, then user/assistant pairs, then the short request; the examples are their own section
    roles = [m["role"] for m in fs.messages]
    assert roles == ["system"] + ["user", "assistant"] * len(fs.examples) + ["user"]
    assert [s.name for s in fs.sections] == ["system", f"examples ({len(fs.examples)} past weeks)", "request"]
    assert fs.sections[1].tokens == fs.example_tokens


class TextBackend:
    """A model that answers the plan text form; keeps the requests (the fast, rules-free generate test)."""

    name = "scripted-text"
    supports_json_schema = True
    needs_context = False
    adapter = None

    def __init__(self) -> None:
        self.requests: list[GenerationRequest] = []

    def generate(self, req: GenerationRequest) -> GenerationResult:
        self.requests.append(req)
        text = "WEEK normal\nDAY Upper A\nBarbell Bench Press - Medium Grip: 3x8 @80kg RPE8\nDAY Lower A\nBarbell Squat: 3x8 @100kg RPE8"
        return GenerationResult(text=text, prompt_tokens=900, output_tokens=40, latency_s=0.1, cost_usd=None,
                                model=self.name, finish_reason="stop")


def test_generate_plan_fewshot_sends_examples_and_records_them(ana):
    from peri.generate import generate_plan

    store, name = ana
    backend = TextBackend()
    g = generate_plan(store, name, "embedded", scenario="deload", prompt_style="fewshot", backend=backend,
                      as_of=_monday(20), budget=1000)
    assert g.valid, g.error
    req = backend.requests[0]
    assert req.json_schema is None  # the examples are in the text form: no JSON asked of the model
    assert g.approach == "prompt-fewshot" and g.meta["style"] == "fewshot"
    info = g.meta["prompt"]
    assert info["examples"] and all(dt.date.fromisoformat(w) < _monday(19) + dt.timedelta(days=1) for w in info["examples"])
    assert str(_monday(9)) in info["examples"]  # the past deload, for a deload
    assert info["example_tokens"] <= 1000
    assert [m["role"] for m in req.messages][-1] == "user" and "Deload" in req.messages[-1]["content"]


def test_eval_offers_the_fewshot_approaches(ana):
    from peri.evaluate.harness import EvalConfig, available_approaches
    from peri.log.store import RegisteredModel

    store, name = ana
    found, notes = available_approaches(store, EvalConfig(athlete=name))
    by = {a.name: a for a in found}
    assert by["prompt-fewshot"].style == "fewshot" and by["prompt-fewshot"].model == "embedded"
    assert "finetuned-fewshot" not in by and notes  # no tuned model yet: said why
    store.register_model(RegisteredModel(name=f"{name}-lora", kind="finetuned-local", path="/nowhere", meta={}))
    found, _ = available_approaches(store, EvalConfig(athlete=name))
    by = {a.name: a for a in found}
    assert by["finetuned-fewshot"].model == f"ft:{name}-lora" and by["finetuned-fewshot"].style == "fewshot"


def test_prompt_show_fewshot_prints_the_examples_section(ana):
    from typer.testing import CliRunner

    from peri.cli.app import app

    store, name = ana
    r = CliRunner().invoke(app, ["prompt", "show", "-a", name, "--fewshot", "--budget", "600", "-s", "deload",
                                 "--as-of", str(_monday(20)), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["example_tokens"] <= 600 and out["sections"][1]["name"].startswith("examples (")
    r = CliRunner().invoke(app, ["prompt", "show", "-a", name, "--fewshot", "--budget", "600"])
    assert r.exit_code == 0 and "examples (" in r.output and "never shown: week of" in r.output


@pytest.mark.slow
def test_cli_plan_fewshot_on_the_embedded_model(ana):
    from typer.testing import CliRunner

    from peri.cli.app import app

    store, name = ana
    r = CliRunner().invoke(app, ["plan", "-a", name, "--style", "fewshot", "--as-of", str(_monday(20)), "--json"])
    assert r.exit_code == 0, r.output
    g = json.loads(r.stdout)["generation"]
    assert g["valid"] and g["approach"] == "prompt-fewshot" and g["meta"]["prompt"]["examples"]
    assert g["meta"]["constrained"] is True  # the text-form grammar on llama.cpp
