"""The Decide page takes every input `peri decide` takes (queries, the model and the model to tune, prior usage, the
horizon, examples and epochs, the person's time and set-up hours, the five yes/no facts of their situation): each
shown with the value the decision used, each changing the recommendation exactly as `run_decision` does with it,
and each refused by its field with what was sent kept in the form."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.decide.run import run_decision
from peri.log.store import Store
from peri.web.wording import for_the_form
from test_web import HOST, alert, app, client, csrf_of  # noqa: F401  (fixtures)


@pytest.fixture
def sam(home: Path) -> str:
    """A short simulated log (4 weeks): the decision reads its numbers, fewer weeks build faster."""
    from peri.sim.generate import simulate

    with Store(home / "peri.db") as s:
        simulate(s, "seed", seed=7, weeks=4, athlete_name="sam")
    return "sam"


@pytest.fixture(autouse=True)
def no_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost chart (matplotlib, ~0.6 s a page; tests/test_web_charts.py checks it) left out: these tests read
    the inputs, the recommendation and the cost table."""
    monkeypatch.setattr("peri.web.charts.cost_svg", lambda costs: "<svg></svg>")


def fields(html: str) -> dict[str, str]:
    """The Decide form as the browser would post it: text inputs' values, selected options, ticked boxes."""
    form = html.split('id="decide-form"')[1].split("</form>")[0]
    out = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="(\w+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag).group(1)
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                out[name] = value
        else:
            out[name] = value
    for name, body in re.findall(r'<select name="(\w+)">(.*?)</select>', form, re.S):
        picked = re.search(r"<option[^>]*selected[^>]*>([^<]*)<", body)
        out[name] = picked.group(1) if picked else ""
    return out


def reasons(html: str) -> list[str]:
    body = html.split('id="recommendation"')[1].split("</ul>")[0]
    return [unescape(re.sub(r"<[^>]+>", "", li)).strip() for li in re.findall(r"<li>(.*?)</li>", body, re.S)]


def results(html: str) -> str:
    """The recommendation and the cost table, as text."""
    return re.sub(r"<[^>]+>", " ", html.split('id="recommendation"')[1].split('id="cost-chart"')[0])


def test_every_input_is_shown_with_the_value_the_decision_used(client: TestClient, sam: str, home: Path) -> None:
    page = client.get("/decide?athlete=sam").text
    shown = fields(page)
    with Store(home / "peri.db") as s:
        used = run_decision({"queries_per_week": 7.0}, "sam", s)["inputs"]
    for key in ("queries_per_week", "hour_value", "minutes_saved_per_query", "retrain_every_weeks", "horizon_weeks",
                "prompt_setup_hours", "finetune_setup_hours", "fewshot_setup_hours", "retrain_hours"):
        assert float(shown[key]) == float(used[key]), key
    assert shown["model"] == used["model"]
    for box in ("prior_usage", "exploring", "seasonal_focus", "complex_methodology", "cost_sensitive", "needs_instant"):
        assert box not in shown  # not ticked: the library's default (no)
    # the examples counted from sam's log are said, not put in the field (sent back they would be the person's own)
    assert shown["dataset_examples"] == "" and "fine-tuning costed on" in page
    said = page.split('id="recommendation"')[1].split('id="cost-chart"')[0]
    assert not re.search(r"--[a-z]|`peri ", said)  # the library's reasons said as the page's fields and pages


@pytest.mark.parametrize("change", [
    {"model": "local"}, {"horizon_weeks": "8"}, {"dataset_examples": "1000", "epochs": "5"},
    {"prior_usage": "on"}, {"exploring": "on"}, {"complex_methodology": "on"}, {"needs_instant": "on"},
    {"cost_sensitive": "on"}, {"seasonal_focus": "on"}, {"retrain_every_weeks": "0"},
    {"prompt_setup_hours": "40", "hour_value": "60"}, {"tune_model": "gpt-4.1-mini", "prior_usage": "on"},
])
def test_each_input_changes_the_decision_as_the_library_does(client: TestClient, change: dict[str, str]) -> None:
    page = client.get("/decide").text  # no athlete: the inputs alone (an athlete's page is the test above)
    before = reasons(page), results(page)
    sent = {**fields(page), **change}
    r = client.post("/decide", data=sent)
    assert r.status_code == 200, alert(r.text)
    values = {"queries_per_week": 7.0, **{k: (True if v == "on" else v if k in ("model", "tune_model") else float(v))
                                          for k, v in change.items()}}
    for k in ("dataset_examples", "epochs", "horizon_weeks"):
        if k in values:
            values[k] = int(values[k])
    lib = run_decision(values, None)
    assert f"Recommendation: {lib['recommendation']['path']}" in r.text
    after = reasons(r.text)
    assert after == [f"{x['criterion']} → {x['favours']}: {for_the_form(x['text'])}"
                     for x in lib["recommendation"]["reasons"]]
    assert (after, results(r.text)) != before  # the input moved the decision or its costs
    shown = fields(r.text)
    for k, v in change.items():  # and the page shows it as the person set it
        assert shown.get(k) == v or (v.replace(".", "").isdigit() and float(shown[k]) == float(v)), (k, shown.get(k))


@pytest.mark.parametrize("field, value", [
    ("queries_per_week", "-3"), ("queries_per_week", "nan"), ("hour_value", "inf"), ("epochs", "26"),
    ("epochs", "2.5"), ("horizon_weeks", "0"), ("dataset_examples", "lots"), ("model", "gpt-9"),
    ("model", "<script>x</script>"), ("tune_model", "local"), ("exploring", "yes"), ("retrain_every_weeks", "1e9"),
])
def test_a_hostile_input_is_refused_naming_its_field_and_keeping_the_form(client: TestClient, field: str,
                                                                         value: str) -> None:
    page = client.get("/decide").text
    sent = {**fields(page), "hour_value": "45", field: value}
    r = client.post("/decide", data=sent)
    assert r.status_code == 400
    assert unescape(alert(r.text)).strip().startswith(f"{field}:")
    assert "Recommendation:" not in r.text and "<script>x" not in r.text
    kept = fields(r.text)
    if field != "hour_value":
        assert kept["hour_value"] == "45"  # the other inputs as the person sent them
    if not field.startswith(("model", "tune_model", "exploring")):
        assert kept[field] == value  # the refused one too, to correct


def test_a_refused_input_records_no_decision_step(client: TestClient, sam: str, home: Path) -> None:
    from peri.guide.journeys import journey_status

    sent = {**fields(client.get("/decide?athlete=sam").text), "epochs": "99"}
    r = client.post("/decide", data=sent)
    assert r.status_code == 400 and unescape(alert(r.text)).strip().startswith("epochs:")
    assert fields(r.text)["athlete"] == "sam"
    with Store(home / "peri.db") as s:  # a refused decision is not the journey's "decide" step
        assert not next(x for x in journey_status(s, "sam", "prompt-sprint") if x.step.id == "decide").done


def test_without_an_athlete_the_page_decides_on_the_inputs_alone(client: TestClient) -> None:
    r = client.get("/decide?queries_per_week=3&model=local&needs_instant=on")
    assert r.status_code == 200, alert(r.text)
    lib = run_decision({"queries_per_week": 3.0, "model": "local", "needs_instant": True}, None)
    assert f"Recommendation: {lib['recommendation']['path']}" in r.text
    assert fields(r.text)["needs_instant"] == "on"
