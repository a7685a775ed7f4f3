"""OpenAI as a hosted tuner: the real OpenAI SDK over an in-process transport, the exact requests it sends."""
from __future__ import annotations

import email.parser
import email.policy
import json
import logging
from pathlib import Path

import httpx2
import pytest

from peri.errors import ConfigError, DatasetError, TrainingError
from peri.log.store import Store
from peri.tune.hosted import HostedTuner, JobRequest, OpenAIFineTuner, make_client, register_result, require_consent

KEY = "sk-test-SECRET-do-not-store-4242"
TUNED = "ft:gpt-4o-mini-2024-07-18:org-xyz:ana-coach:AbC123"


def write_train(path: Path, n: int = 12) -> Path:
    lines = []
    for i in range(n):
        lines.append(json.dumps({"messages": [
            {"role": "system", "content": "You are a strength coach."},
            {"role": "user", "content": f"Week {i}: plan next week."},
            {"role": "assistant", "content": f"WEEK normal\nDAY Upper\nBench Press: 3x{8 + i % 3}"},
        ]}))
    path.write_text("\n".join(lines) + "\n")
    return path


def job_json(status: str = "validating_files", **over) -> dict:
    j = {
        "id": "ftjob-abc123", "object": "fine_tuning.job", "created_at": 1767225600, "error": None,
        "fine_tuned_model": None, "finished_at": None,
        "hyperparameters": {"n_epochs": 3, "batch_size": "auto", "learning_rate_multiplier": "auto"},
        "model": "gpt-4o-mini-2024-07-18", "organization_id": "org-xyz", "result_files": [], "seed": 7,
        "status": status, "trained_tokens": None, "training_file": "file-train1", "validation_file": "file-val1",
        "metadata": {"peri_name": "ana-coach", "peri_athlete": "ana"},
    }
    j.update(over)
    return j


def event(i: int, msg: str) -> dict:
    return {"id": f"ftevent-{i}", "object": "fine_tuning.job.event", "created_at": 1767225600 + i,
            "level": "info", "message": msg, "type": "message", "data": {}}


class FakeOpenAI:
    """An in-process OpenAI API: records every request the SDK sends and answers like the real service."""

    def __init__(self):
        self.requests: list[httpx2.Request] = []
        self.status_calls = 0
        self.statuses = ["running", "running", "succeeded"]
        self.event_pages = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        path, m = request.url.path, request.method
        if m == "POST" and path == "/v1/files":
            return httpx2.Response(200, json={"id": "file-train1", "object": "file", "bytes": 100,
                                              "created_at": 1767225600, "filename": "train.jsonl",
                                              "purpose": "fine-tune", "status": "uploaded"})
        if m == "POST" and path == "/v1/fine_tuning/jobs":
            return httpx2.Response(200, json=job_json())
        if m == "GET" and path == "/v1/fine_tuning/jobs/ftjob-abc123/events":
            after = request.url.params.get("after")
            self.event_pages += 1
            # Newest first, two per page, like the API's cursor pagination.
            if self.status_calls == 0:
                allev = [event(2, "Validating training file"), event(1, "Created fine-tuning job")]
            else:
                allev = [event(4, "The job has successfully completed"), event(3, "Step 10/30: training loss=0.8"),
                         event(2, "Validating training file"), event(1, "Created fine-tuning job")]
            start = 0 if after is None else [e["id"] for e in allev].index(after) + 1
            page = allev[start:start + 2]
            return httpx2.Response(200, json={"object": "list", "data": page,
                                              "has_more": start + 2 < len(allev)})
        if m == "GET" and path == "/v1/fine_tuning/jobs/ftjob-abc123":
            st = self.statuses[min(self.status_calls, len(self.statuses) - 1)]
            self.status_calls += 1
            extra = {"fine_tuned_model": TUNED,
                     "finished_at": 1767229200, "trained_tokens": 36000} if st == "succeeded" else {}
            return httpx2.Response(200, json=job_json(st, **extra))
        if m == "POST" and path == "/v1/fine_tuning/jobs/ftjob-abc123/cancel":
            return httpx2.Response(200, json=job_json("cancelled"))
        if m == "POST" and path == "/v1/chat/completions":
            model = json.loads(request.content)["model"]
            if model != TUNED:
                return httpx2.Response(404, json={"error": {"message": f"The model {model} does not exist",
                                                            "type": "invalid_request_error", "code": "model_not_found"}})
            return httpx2.Response(200, json={
                "id": "chatcmpl-1", "object": "chat.completion", "created": 1767225600, "model": model,
                "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                             "message": {"role": "assistant", "content": "WEEK normal\nDAY Upper\nBench Press: 3x8"}}],
                "usage": {"prompt_tokens": 50, "completion_tokens": 12, "total_tokens": 62}})
        return httpx2.Response(404, json={"error": {"message": f"no route {m} {path}", "type": "invalid_request_error"}})


@pytest.fixture
def api():
    return FakeOpenAI()


@pytest.fixture
def client(api):
    return make_client({"OPENAI_API_KEY": KEY}, http_client=httpx2.Client(transport=httpx2.MockTransport(api)))


def multipart_fields(req: httpx2.Request) -> dict[str, tuple[str | None, bytes]]:
    raw = b"Content-Type: " + req.headers["content-type"].encode() + b"\r\n\r\n" + req.content
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    return {part.get_param("name", header="content-disposition"): (part.get_filename(), part.get_payload(decode=True))
            for part in msg.iter_parts()}


def test_upload_refuses_without_consent(client, tmp_path, api):
    tuner = OpenAIFineTuner(client, env={})
    with pytest.raises(ConfigError) as e:
        tuner.upload(write_train(tmp_path / "train.jsonl"))
    assert "consent" in e.value.message and "--redact" in (e.value.hint or "")
    assert api.requests == []  # nothing left the machine


def test_consent_from_env_or_flag():
    require_consent(True, env={})
    require_consent(False, env={"PERI_HOSTED_CONSENT": "1"})
    with pytest.raises(ConfigError):
        require_consent(False, env={"PERI_HOSTED_CONSENT": "yes please"})


def test_missing_key_is_a_config_error():
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        make_client({})


def test_upload_sends_multipart_with_purpose_fine_tune(client, tmp_path, api):
    path = write_train(tmp_path / "train.jsonl")
    file_id = OpenAIFineTuner(client, consent=True).upload(path)
    assert file_id == "file-train1"
    (req,) = api.requests
    assert (req.method, req.url.path) == ("POST", "/v1/files")
    assert req.headers["authorization"] == f"Bearer {KEY}"
    fields = multipart_fields(req)
    assert fields["purpose"][1] == b"fine-tune"
    assert fields["file"] == ("train.jsonl", path.read_bytes())


def test_upload_refuses_an_invalid_file(client, tmp_path, api):
    path = write_train(tmp_path / "train.jsonl", n=3)  # under OpenAI's minimum of 10
    with pytest.raises(DatasetError, match="too_few_examples"):
        OpenAIFineTuner(client, consent=True).upload(path)
    assert api.requests == []


def test_create_job_body(client, api):
    job = OpenAIFineTuner(client).create_job(JobRequest(
        training_file="file-train1", model="gpt-4o-mini", validation_file="file-val1", epochs=3, suffix="ana-coach",
        metadata={"peri_name": "ana-coach"},
    ))
    assert isinstance(OpenAIFineTuner(client), HostedTuner)
    assert job.id == "ftjob-abc123" and (job.status, job.raw_status) == ("queued", "validating_files")
    (req,) = api.requests
    assert (req.method, req.url.path) == ("POST", "/v1/fine_tuning/jobs")
    assert json.loads(req.content) == {
        "model": "gpt-4o-mini", "training_file": "file-train1", "validation_file": "file-val1",
        "suffix": "ana-coach", "metadata": {"peri_name": "ana-coach"},
        "method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 3}}},
    }


def test_follow_pages_events_until_terminal(client, api):
    tuner = OpenAIFineTuner(client, sleep=lambda s: None)
    messages = [e.message for e in tuner.follow("ftjob-abc123", poll_s=0)]
    assert messages == ["Created fine-tuning job", "Validating training file",
                        "Step 10/30: training loss=0.8", "The job has successfully completed"]
    event_reqs = [r for r in api.requests if r.url.path.endswith("/events")]
    # First poll: one page; later polls page with ?after= until they reach an event already seen.
    assert event_reqs[0].url.params.get("limit") == "50" and "after" not in event_reqs[0].url.params
    assert any(r.url.params.get("after") == "ftevent-3" for r in event_reqs)
    assert [r.url.path for r in api.requests if not r.url.path.endswith("/events")] == \
        ["/v1/fine_tuning/jobs/ftjob-abc123"] * 3


def test_cancel(client, api):
    job = OpenAIFineTuner(client).cancel("ftjob-abc123")
    assert job.status == "cancelled"
    assert [(r.method, r.url.path) for r in api.requests] == [("POST", "/v1/fine_tuning/jobs/ftjob-abc123/cancel")]


def test_api_errors_become_training_errors(client):
    with pytest.raises(TrainingError, match="HTTP 404"):
        OpenAIFineTuner(client).status("ftjob-missing")


def test_register_result_and_secret_never_stored(client, api, store: Store, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    tuner = OpenAIFineTuner(client, consent=True, sleep=lambda s: None)
    path = write_train(tmp_path / "train.jsonl")
    file_id = tuner.upload(path)
    job = tuner.create_job(JobRequest(training_file=file_id, model="gpt-4o-mini",
                                      metadata={"peri_name": "ana-coach", "peri_athlete": "ana"}))
    with pytest.raises(TrainingError, match="validating_files"):
        register_result(store, job)
    list(tuner.follow(job.id, poll_s=0))
    final = tuner.status(job.id)
    model = register_result(store, final)
    assert model.name == "ana-coach" and model.kind == "openai"
    got = store.get_model("ana-coach")
    assert got.meta["model"] == "ft:gpt-4o-mini-2024-07-18:org-xyz:ana-coach:AbC123"
    assert got.meta["spec"] == "openai:ft:gpt-4o-mini-2024-07-18:org-xyz:ana-coach:AbC123"
    # The key went to the API in the Authorization header, and nowhere else.
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in api.requests)
    assert KEY not in store.dump()
    assert KEY not in path.read_text()
    assert KEY not in caplog.text
    assert all(KEY.encode() not in r.content for r in api.requests)


def cli():
    import typer
    from typer.testing import CliRunner

    from peri.cli.tune_commands import register

    app = typer.Typer()
    register(app)
    return app, CliRunner()


def test_cli_refuses_without_consent(home, monkeypatch, api):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.delenv("PERI_HOSTED_CONSENT", raising=False)
    app, runner = cli()
    r = runner.invoke(app, ["finetune", "openai", "--athlete", "ana"])
    assert r.exit_code == 1
    assert "consent" in r.output and "--i-consent-to-send-health-data" in r.output and "--redact" in r.output
    assert api.requests == []


def test_cli_openai_job_end_to_end(home, monkeypatch, api):
    """`peri finetune openai` with consent: redacted upload, job, events, registration; the key stored nowhere."""
    import peri.tune.hosted as hosted
    from peri.tune.dataset import dataset_dir

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setitem(hosted.TUNERS, "openai", lambda env=None, **kw: hosted.openai.build(
        {"OPENAI_API_KEY": KEY}, consent=kw.get("consent", False),
        http_client=httpx2.Client(transport=httpx2.MockTransport(api)), sleep=lambda s: None))
    d = dataset_dir("ana")
    d.mkdir(parents=True)
    write_train(d / "train.jsonl")
    (d / "val.jsonl").write_text("")
    (d / "build.json").write_text(json.dumps({"format": "openai-chat-jsonl", "config": {"athlete": "ana"}, "dataset_hash": "abcdef0123456789ff" + "0" * 46, "report": {"examples": 1, "train": 1, "val": 0, "weeks_logged": 2, "tokens": {"mean": 90.0, "total": 90}}, "examples": []}))
    app, runner = cli()
    r = runner.invoke(app, ["finetune", "openai", "--athlete", "ana", "--suffix", "ana-coach",
                            "--i-consent-to-send-health-data", "--redact"])
    assert r.exit_code == 0, r.output
    assert "succeeded" in r.output and "ft:ana-openai" in r.output and "health data" in r.output
    create = next(req for req in api.requests if req.url.path == "/v1/fine_tuning/jobs")
    body = json.loads(create.content)
    assert body["suffix"] == "ana-coach" and "validation_file" not in body  # an empty val file is not sent
    assert body["metadata"] == {"peri_name": "ana-openai", "peri_athlete": "ana", "peri_dataset": "abcdef0123456789"}
    store = Store(home / "peri.db")
    assert store.get_model("ana-openai").meta["model"].startswith("ft:gpt-4o-mini")
    assert KEY not in store.dump() and KEY not in r.output
    assert not any(KEY in p.read_text(errors="ignore") for p in home.rglob("*") if p.is_file() and p.suffix != ".db")
    store.close()
    r = runner.invoke(app, ["finetune", "status", "ftjob-abc123"])
    assert r.exit_code == 0 and "succeeded" in r.output and "ft:ana-coach" in r.output
    store = Store(home / "peri.db")
    assert store.get_model("ana-coach").meta["job_id"] == "ftjob-abc123"  # named from the job's metadata
    store.close()
    r = runner.invoke(app, ["finetune", "cancel", "ftjob-abc123", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "cancelled"


def test_rate_limit_is_retried_by_the_sdk_after_the_servers_delay(api, tmp_path, monkeypatch):
    import time

    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)  # the SDK waits with time.sleep: record, don't wait
    calls = {"n": 0}

    def limited(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx2.Response(429, headers={"retry-after": "2"}, json={"error": {"message": "slow down"}})
        return api(request)

    c = make_client({"OPENAI_API_KEY": KEY}, http_client=httpx2.Client(transport=httpx2.MockTransport(limited)))
    assert OpenAIFineTuner(c).status("ftjob-abc123").raw_status == "running"
    assert calls["n"] == 2 and waits == [2.0]


def test_failed_job_is_not_registered(home, api):
    from peri.tune.hosted import start_job
    from peri.tune.dataset import dataset_dir

    api.statuses = ["running", "failed"]
    d = dataset_dir("ana")
    d.mkdir(parents=True)
    write_train(d / "train.jsonl")
    (d / "val.jsonl").write_text("")
    r = start_job(lambda: Store(home / "peri.db"), "openai", "ana", consent=True, env={"OPENAI_API_KEY": KEY},
                  http_client=httpx2.Client(transport=httpx2.MockTransport(api)), sleep=lambda s: None, poll_s=0,
                  today=__import__("datetime").date(2026, 12, 1))
    assert r.job.status == "failed" and r.registered is None
    with Store(home / "peri.db") as s:
        assert s.list_models() == []


def test_cli_refuses_openai_after_it_closes_and_names_the_rest(home, monkeypatch, api):
    """On a date after 2027-01-06 (clock injected) `peri finetune openai` refuses before any key is read or
    request sent, naming the end date and the providers that remain."""
    import datetime as dt

    import peri.cli.tune_commands as tc

    monkeypatch.setattr(tc, "today", lambda: dt.date(2027, 1, 7))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    app, runner = cli()
    r = runner.invoke(app, ["finetune", "openai", "--athlete", "ana", "--i-consent-to-send-health-data"])
    assert r.exit_code == 1
    out = " ".join(r.output.split())
    assert "2027-01-06" in out and "together" in out and "fireworks" in out and "local" in out
    assert "Traceback" not in out and api.requests == []
    # the day before it closes, the same command gets as far as the key
    monkeypatch.setattr(tc, "today", lambda: dt.date(2027, 1, 5))
    r = runner.invoke(app, ["finetune", "openai", "--athlete", "ana", "--i-consent-to-send-health-data"])
    assert r.exit_code == 1 and "OPENAI_API_KEY" in r.output


def test_hosted_openai_fine_tune_is_served_as_ft_name(api, store):
    """After success, `ft:NAME` answers through the OpenAI backend, calling the tuned model by its name."""
    from peri.backends.base import GenerationRequest
    from peri.backends.registry import get_backend
    from peri.tune.hosted import register_job

    api.statuses = ["succeeded"]
    tuner = OpenAIFineTuner(make_client({"OPENAI_API_KEY": KEY}, http_client=httpx2.Client(transport=httpx2.MockTransport(api))))
    job = tuner.status("ftjob-abc123")
    register_job(store, job, tuner, "ana-coach")
    b = get_backend("ft:ana-coach", store, env={"OPENAI_API_KEY": KEY})
    assert b.model == TUNED and b.finetuned
    b._http_client = httpx2.Client(transport=httpx2.MockTransport(api))
    out = b.generate(GenerationRequest(messages=[{"role": "user", "content": "plan"}]))
    chat = api.requests[-1]
    assert "Bench Press" in out.text and (chat.method, chat.url.path) == ("POST", "/v1/chat/completions")
    assert json.loads(chat.content)["model"] == TUNED and chat.headers["authorization"] == f"Bearer {KEY}"
    from peri.prices import load_prices

    want = load_prices().get("gpt-4o-mini").inference(True)  # the fine-tuned rate of the dated row
    assert out.cost_usd == pytest.approx((50 * want.input + 12 * want.output) / 1e6)


def test_planted_key_reaches_no_upload_store_or_log(home, store, api, caplog):
    """A key pasted into a note travels into the built dataset; through `start_job --redact` the bytes the SDK
    uploads, the store, the logs and every file under PERI_HOME hold it nowhere (only the Authorization header)."""
    import datetime as dt

    from peri.tune.dataset import dataset_dir
    from peri.tune.hosted import start_job

    caplog.set_level(logging.DEBUG)
    d = dataset_dir("ana")
    d.mkdir(parents=True)
    write_train(d / "train.jsonl")
    (d / "val.jsonl").write_text("")
    lines = (d / "train.jsonl").read_text().splitlines()
    row = json.loads(lines[0])
    row["messages"][1]["content"] += f" my key is {KEY}"
    (d / "train.jsonl").write_text("\n".join([json.dumps(row)] + lines[1:]) + "\n")
    r = start_job(lambda: Store(home / "peri.db"), "openai", "ana", consent=True, redact=True,
                  env={"OPENAI_API_KEY": KEY}, http_client=httpx2.Client(transport=httpx2.MockTransport(api)),
                  sleep=lambda s: None, poll_s=0, today=dt.date(2026, 12, 1))
    assert r.registered == "ana-openai"
    uploaded = next(req for req in api.requests if req.url.path == "/v1/files").content
    assert b"my key is ***" in uploaded and KEY.encode() not in b"".join(req.content for req in api.requests)
    assert all(req.headers["authorization"] == f"Bearer {KEY}" for req in api.requests)
    assert KEY not in store.dump() and KEY not in caplog.text
    assert not any(KEY in p.read_text(errors="ignore") for p in home.rglob("*") if p.is_file() and p != d / "train.jsonl")
