"""Hosted fine-tuning from the Fine-tune page, as `peri finetune openai` runs it (`start_job`), over the real
OpenAI SDK and an in-process OpenAI (test_hosted's `FakeOpenAI`): one form per provider, each with a consent box
that names that provider; nothing is sent without it, nor with a consent that names another provider, nor
without the key, the dataset, or on a day the dated price table rules the provider out. With it the dataset is
uploaded and the job started in the background; its page asks the provider how it stands and registers the
succeeded model as ft:NAME, or cancels it."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from peri.tune.dataset import dataset_dir
from peri.web.app import WebSettings, create_app
from test_hosted import KEY, TUNED, FakeOpenAI, write_train
from test_web import HOST, alert, csrf_of, dump, run_job, sam  # noqa: F401  (fixtures)

OPEN_DAY = dt.date(2026, 12, 1)  # OpenAI still takes jobs (the price table: until 2027-01-06)


@pytest.fixture
def api() -> FakeOpenAI:
    return FakeOpenAI()


def make_client(api: FakeOpenAI, day: dt.date = OPEN_DAY) -> TestClient:
    app = create_app(WebSettings(http_client=httpx2.Client(transport=httpx2.MockTransport(api)), today=lambda: day))
    return TestClient(app, base_url=HOST)


@pytest.fixture
def client(api: FakeOpenAI, sam: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    c = make_client(api)
    yield c
    c.app.pages.jobs.shutdown()


@pytest.fixture
def built(sam: str) -> Path:
    d = dataset_dir("sam")
    d.mkdir(parents=True, exist_ok=True)
    write_train(d / "train.jsonl")
    with open(d / "train.jsonl", "a") as f:  # one week with a plan note and a date: what redaction strips
        f.write(json.dumps({"messages": [
            {"role": "system", "content": "You are a strength coach."},
            {"role": "user", "content": "Week of 2024-03-04: plan next week."},
            {"role": "assistant", "content": "WEEK normal\nDAY Upper\nBench Press: 3x8 | left shoulder felt off"}]}) + "\n")
    (d / "val.jsonl").write_text("")
    return d


def send(client: TestClient, **data: str):
    token = csrf_of(client.get("/tune?athlete=sam").text)
    return client.post("/tune/hosted", data={"csrf": token, "athlete": "sam", **data}, follow_redirects=False)


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_each_provider_has_its_own_consent_naming_it(client: TestClient, built: Path) -> None:
    html = client.get("/tune?athlete=sam").text
    for p, who in (("openai", "OpenAI"), ("together", "Together AI"), ("fireworks", "Fireworks AI")):
        form = html.split(f'id="hosted-{p}"')[1].split("</form>")[0]
        assert f'name="consent" value="{p}" required' in form
        said = " ".join(re.sub(r"<[^>]+>", "", form).replace("&#39;", "'").split())
        assert f"to send sam's training data (loads, effort, pain and injury notes; redacted if ticked above) to {who}, " \
               f"a third party, under {who}'s terms" in said
    assert "Tick 'redact' to strip names" in words(html.split('id="health-warning"')[1].split("</p>")[0])
    assert 'action="/tune/hosted"' in html.split('id="hosted-open"')[0][-200:]  # a job started at the terminal
    page = client.get("/tune/hosted", params={"athlete": "sam", "provider": "together", "job": "ft-8b1c"}).text
    assert "Job ft-8b1c at Together AI" in words(page) and 'id="status-form"' in page


def test_with_consent_the_dataset_goes_up_and_the_job_is_followed_to_a_registered_model(
        client: TestClient, api: FakeOpenAI, built: Path, home: Path) -> None:
    url = run_job(client, send(client, provider="openai", consent="openai", redact="on"))
    assert url.startswith("/tune/hosted?athlete=sam&provider=openai&job=ftjob-abc123")
    sent = [(r.method, r.url.path) for r in api.requests]
    assert sent == [("POST", "/v1/files"), ("POST", "/v1/fine_tuning/jobs")]
    assert b"Bench Press: 3x8" in api.requests[0].content  # the dataset's own examples, uploaded...
    assert b"left shoulder felt off" not in api.requests[0].content  # ...redacted, as ticked
    assert b"2024-03-04" not in api.requests[0].content
    page = client.get(url).text
    assert "Job ftjob-abc123 at OpenAI" in words(page)
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.split('id="status-form"')[1].split("</form>")[0]))
    for status in ("running", "running"):
        r = client.post("/tune/hosted/status", data=form)
        assert r.status_code == 200 and f"status {status}" in words(r.text) and 'id="registered"' not in r.text
    r = client.post("/tune/hosted/status", data=form)
    assert "status succeeded" in words(r.text) and "Registered as ft:ana-coach" in words(r.text)
    with Store(home / "peri.db") as s:
        assert [(m.name, m.kind) for m in s.list_models()] == [("ana-coach", "openai")]
        assert s.list_models()[0].meta["model"] == TUNED
    assert 'id="cancel-form"' not in r.text  # a finished job has nothing to cancel


def test_a_job_is_cancelled_from_its_page(client: TestClient, api: FakeOpenAI, built: Path) -> None:
    url = run_job(client, send(client, provider="openai", consent="openai"))  # not redacted: the note goes
    assert b"left shoulder felt off" in api.requests[0].content
    page = client.get(url).text
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.split('id="cancel-form"')[1].split("</form>")[0]))
    r = client.post("/tune/hosted/status", data=form)
    assert r.status_code == 200 and "status cancelled" in words(r.text)
    assert ("POST", "/v1/fine_tuning/jobs/ftjob-abc123/cancel") in [(q.method, q.url.path) for q in api.requests]


@pytest.mark.parametrize("data, said", [
    ({"provider": "openai"}, "consent: nothing was sent: tick the box that agrees to send sam's training data to OpenAI"),
    ({"provider": "openai", "consent": "on"}, "consent: nothing was sent"),
    ({"provider": "openai", "consent": "together"}, "consent: nothing was sent"),  # consent given another provider
    ({"provider": "anthropic", "consent": "anthropic"}, "provider: provider 'anthropic' is not one of the choices"),
    ({"consent": "openai"}, "provider: choose the provider to train at"),
    ({"provider": "openai", "consent": "openai", "model": "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"},
     "model: model 'meta-llama/Meta-Llama-3.1-8B-Instruct-Re' is not one of the choices"),  # another provider's model
    ({"provider": "openai", "consent": "openai", "redact": "yes"}, "redact: redact 'yes' is not one of the choices"),
    ({"provider": "openai", "consent": "openai", "name": "x" * 81}, "name: name is 81 characters; at most 80"),
])
def test_nothing_is_sent_without_consent_for_that_provider_or_with_a_forged_field(
        client: TestClient, api: FakeOpenAI, built: Path, home: Path, data: dict, said: str) -> None:
    before = dump(home)
    r = send(client, **data)
    assert r.status_code == 400 and said in words(alert(r.text)), alert(r.text)
    assert api.requests == [] and client.app.pages.jobs.jobs == {} and dump(home) == before


def test_nothing_is_sent_without_the_key_the_dataset_or_after_the_provider_closes(
        api: FakeOpenAI, sam: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    c = make_client(api)
    r = send(c, provider="openai", consent="openai")
    assert r.status_code == 400 and "no dataset built yet for sam; nothing was sent" in words(alert(r.text))
    d = dataset_dir("sam")
    d.mkdir(parents=True, exist_ok=True)
    write_train(d / "train.jsonl")
    r = send(c, provider="openai", consent="openai")
    assert r.status_code == 400 and "OPENAI_API_KEY is not set" in words(alert(r.text))
    assert "set OPENAI_API_KEY in the environment `peri serve` runs in, then start it again" in words(alert(r.text))
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    late = make_client(api, dt.date(2027, 1, 7))
    r = send(late, provider="openai", consent="openai")
    assert r.status_code == 400 and "not available on 2027-01-07" in words(alert(r.text))
    assert api.requests == [] and c.app.pages.jobs.jobs == {} and late.app.pages.jobs.jobs == {}
    for x in (c, late):
        x.app.pages.jobs.shutdown()


@pytest.mark.parametrize("job, said", [("../files", "job: job '../files' is not a job id"), ("", "job: job is empty"),
                                       ("ftjob-1?x=1", "is not a job id")])
def test_a_forged_job_id_never_reaches_the_provider(client: TestClient, api: FakeOpenAI, job: str, said: str) -> None:
    token = csrf_of(client.get("/tune?athlete=sam").text)
    r = client.post("/tune/hosted/status", data={"csrf": token, "athlete": "sam", "provider": "openai", "job": job})
    assert r.status_code == 400 and said in words(alert(r.text))
    assert client.get("/tune/hosted", params={"athlete": "sam", "provider": "openai", "job": job}).status_code == 400
    assert api.requests == []
