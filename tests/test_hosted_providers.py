"""Together AI and Fireworks AI as hosted tuners, driven through in-process servers that answer as their
documented REST APIs do: upload -> job -> events -> success -> inference on the tuned model's name, and
refusal without consent, a failed job, a cancelled job, a rate-limit retry, a malformed dataset refused
before any upload. Every request peri sends is recorded and checked."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx2
import pytest

from peri.backends.base import GenerationRequest
from peri.backends.registry import get_backend
from peri.errors import ConfigError, DatasetError, TrainingError
from peri.log.store import Store
from peri.tune import hosted
from peri.tune.hosted import HostedTuner, JobRequest, get_tuner, start_job

KEYS = {"together": "tgp_v1_PLANTEDtogetherKEY0123456789", "fireworks": "fw_PLANTEDfireworksKEY0123456789"}
ACCOUNT = "acct-ana"
TOGETHER_MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"
FIREWORKS_MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"


def write_train(path: Path, n: int = 12, broken_line: int | None = None) -> Path:
    lines = []
    for i in range(n):
        msgs = [{"role": "system", "content": "You are a strength coach."},
                {"role": "user", "content": f"Week {i}: plan next week."},
                {"role": "assistant", "content": f"WEEK normal\nDAY Upper\nBench Press: 3x{8 + i % 3}"}]
        if broken_line == i + 1:
            msgs[1] = {"role": "athlete", "content": msgs[1]["content"]}  # a role neither provider knows
        lines.append(json.dumps({"messages": msgs}))
    path.write_text("\n".join(lines) + "\n")
    return path


class Fake:
    """Common parts of a fake provider: records requests, answers 429 to the first `rate_limited` calls
    of a route, plays the job through `statuses`."""

    def __init__(self, outcome: str = "succeeded", rate_limited: int = 0):
        self.requests: list[httpx2.Request] = []
        self.outcome = outcome
        self.rate_limited = rate_limited
        self.polls = 0
        self.cancelled = False

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return httpx2.Response(429, headers={"retry-after": "0"}, json={"error": {"message": "rate limited"}})
        return self.route(request)

    def chat(self, request: httpx2.Request, model_ok: str) -> httpx2.Response:
        body = json.loads(request.content)
        if body["model"] != model_ok:
            return httpx2.Response(404, json={"error": {"message": f"model {body['model']} not found"}})
        return httpx2.Response(200, json={
            "id": "chat-1", "object": "chat.completion", "created": 1767225600, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "WEEK normal\nDAY Upper\nBench Press: 3x8"}}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 12, "total_tokens": 62}})

    def paths(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path) for r in self.requests]


class FakeTogether(Fake):
    OUTPUT = "ana/Meta-Llama-3.1-8B-Instruct-Reference-ana-coach-5f2a"

    def job(self, status: str) -> dict:
        j = {"id": "ft-7a1b", "status": status, "model": TOGETHER_MODEL, "training_file": "file-tr",
             "validation_file": "", "updated_at": "2026-12-01T10:00:00Z"}
        if status == "completed":
            j.update(output_name=self.OUTPUT, token_count=36000)
        if status == "error":
            j["error"] = "training data could not be tokenized"
        return j

    def status_now(self) -> str:
        if self.cancelled:
            return "cancelled"
        seq = {"succeeded": ["pending", "running", "completed"], "failed": ["queued", "error"],
               "running": ["running"]}[self.outcome]
        return seq[min(self.polls, len(seq) - 1)]

    def route(self, request: httpx2.Request) -> httpx2.Response:
        m, path = request.method, request.url.path
        if (m, path) == ("POST", "/v1/files/upload"):
            return httpx2.Response(200, json={"id": "file-tr", "object": "file", "purpose": "fine-tune"})
        if (m, path) == ("POST", "/v1/fine-tunes/estimate-price"):
            return httpx2.Response(200, json={"estimation_available": True, "estimated_total_price": 0.02,
                                              "allowed_to_proceed": True, "estimated_train_token_count": 36000})
        if (m, path) == ("POST", "/v1/fine-tunes"):
            return httpx2.Response(200, json=self.job("pending"))
        if (m, path) == ("GET", "/v1/fine-tunes/ft-7a1b"):
            st = self.status_now()
            self.polls += 1
            return httpx2.Response(200, json=self.job(st))
        if (m, path) == ("GET", "/v1/fine-tunes/ft-7a1b/events"):
            evs = [{"object": "fine-tune-event", "created_at": "2026-12-01T09:00:00Z", "type": "job_pending",
                    "message": "Fine tune request created", "hash": "h1", "level": None}]
            if self.polls >= 1:
                evs.append({"object": "fine-tune-event", "created_at": "2026-12-01T09:10:00Z", "type": "epoch_complete",
                            "message": "Epoch completed, at step 10", "hash": "h2", "level": "info"})
            if self.status_now() in ("completed", "error"):
                evs.append({"object": "fine-tune-event", "created_at": "2026-12-01T10:00:00Z", "type": "job_complete",
                            "message": "Job finished" if self.outcome == "succeeded" else "Job failed", "hash": "h3",
                            "level": "info"})
            return httpx2.Response(200, json={"data": evs})
        if (m, path) == ("POST", "/v1/fine-tunes/ft-7a1b/cancel"):
            self.cancelled = True
            return httpx2.Response(200, json=self.job("cancel_requested"))
        if (m, path) == ("POST", "/v1/chat/completions"):
            return self.chat(request, self.OUTPUT)
        return httpx2.Response(404, json={"error": {"message": f"no route {m} {path}"}})


class FakeFireworks(Fake):
    ROOT = f"/v1/accounts/{ACCOUNT}"
    OUTPUT = f"accounts/{ACCOUNT}/models/ana-coach"

    def job(self, state: str) -> dict:
        j = {"name": f"accounts/{ACCOUNT}/supervisedFineTuningJobs/sftj-42", "state": state,
             "baseModel": FIREWORKS_MODEL, "dataset": f"accounts/{ACCOUNT}/datasets/x",
             "jobProgress": {"percent": {"JOB_STATE_RUNNING": 50, "JOB_STATE_COMPLETED": 100}.get(state, 0)}}
        if state == "JOB_STATE_COMPLETED":
            j.update(outputModel=self.OUTPUT, completedTime="2026-12-01T10:00:00Z")
            j["jobProgress"]["inputTokens"] = 36000
        if state == "JOB_STATE_FAILED":
            j["status"] = {"code": "INVALID_ARGUMENT", "message": "dataset has too few valid rows"}
        return j

    def state_now(self) -> str:
        seq = {"succeeded": ["JOB_STATE_CREATING", "JOB_STATE_RUNNING", "JOB_STATE_COMPLETED"],
               "failed": ["JOB_STATE_PENDING", "JOB_STATE_FAILED"], "running": ["JOB_STATE_RUNNING"]}[self.outcome]
        return seq[min(self.polls // 2, len(seq) - 1)]  # events() and status() each read the job once per poll

    def route(self, request: httpx2.Request) -> httpx2.Response:
        m, path = request.method, request.url.path
        if (m, path) == ("POST", f"{self.ROOT}/datasets"):
            body = json.loads(request.content)
            return httpx2.Response(200, json={"name": f"accounts/{ACCOUNT}/datasets/{body['datasetId']}", "state": "UPLOADING"})
        if m == "POST" and path.startswith(f"{self.ROOT}/datasets/") and path.endswith(":upload"):
            return httpx2.Response(200, json={})
        if (m, path) == ("POST", f"{self.ROOT}/supervisedFineTuningJobs"):
            return httpx2.Response(200, json=self.job("JOB_STATE_CREATING"))
        if (m, path) == ("GET", f"{self.ROOT}/supervisedFineTuningJobs/sftj-42"):
            st = self.state_now()
            self.polls += 1
            return httpx2.Response(200, json=self.job(st))
        if (m, path) == ("DELETE", f"{self.ROOT}/supervisedFineTuningJobs/sftj-42"):
            self.cancelled = True
            return httpx2.Response(200, json={})
        if (m, path) == ("POST", "/inference/v1/chat/completions"):
            return self.chat(request, self.OUTPUT)
        return httpx2.Response(404, json={"error": {"message": f"no route {m} {path}"}})


FAKES = {"together": FakeTogether, "fireworks": FakeFireworks}
MODELS = {"together": TOGETHER_MODEL, "fireworks": FIREWORKS_MODEL}


def env_for(provider: str, consent: bool = False) -> dict[str, str]:
    env = {f"{provider.upper()}_API_KEY": KEYS[provider]}
    if provider == "fireworks":
        env["FIREWORKS_ACCOUNT_ID"] = ACCOUNT
    if consent:
        env["PERI_HOSTED_CONSENT"] = "1"
    return env


def tuner_for(provider: str, fake: Fake, consent: bool = True, sleeps: list | None = None):
    sleeps = sleeps if sleeps is not None else []
    return get_tuner(provider, env=env_for(provider), consent=consent,
                     http_client=httpx2.Client(transport=httpx2.MockTransport(fake)), sleep=sleeps.append)


def make_dataset(home: Path, athlete: str = "ana", n: int = 12, broken_line: int | None = None) -> Path:
    from peri.tune.dataset import dataset_dir

    d = dataset_dir(athlete)
    d.mkdir(parents=True)
    write_train(d / "train.jsonl", n, broken_line)
    (d / "val.jsonl").write_text("")
    (d / "build.json").write_text(json.dumps({"format": "openai-chat-jsonl", "config": {"athlete": athlete}, "dataset_hash": "abcdef0123456789ff" + "0" * 46, "report": {"examples": 1, "train": 1, "val": 0, "weeks_logged": 2, "tokens": {"mean": 90.0, "total": 90}}, "examples": []}))
    return d


PROVIDERS = pytest.mark.parametrize("provider", ["together", "fireworks"])


@PROVIDERS
def test_members_meet_the_protocol_and_are_registered_in_one_place(provider):
    assert set(hosted.TUNERS) == {"openai", "together", "fireworks"}
    assert isinstance(tuner_for(provider, FAKES[provider]()), HostedTuner)


@PROVIDERS
def test_upload_refused_without_consent_nothing_sent(provider, tmp_path):
    fake = FAKES[provider]()
    with pytest.raises(ConfigError, match="consent"):
        tuner_for(provider, fake, consent=False).upload(write_train(tmp_path / "t.jsonl"), model=MODELS[provider])
    assert fake.requests == []


@PROVIDERS
def test_key_only_from_its_own_variable(provider):
    with pytest.raises(ConfigError, match=f"{provider.upper()}_API_KEY"):
        get_tuner(provider, env={"OPENAI_API_KEY": "sk-other-provider-key-123"})


@PROVIDERS
def test_malformed_dataset_refused_locally_with_its_line(provider, tmp_path):
    fake = FAKES[provider]()
    path = write_train(tmp_path / "t.jsonl", broken_line=4)
    with pytest.raises(DatasetError) as e:
        tuner_for(provider, fake).upload(path, model=MODELS[provider])
    assert e.value.place == f"{path}:4" and "unrecognized_role" in str(e.value)
    assert fake.requests == []


def test_fireworks_minimum_is_three_examples(tmp_path):
    from peri.tune.validate import check_file

    two = write_train(tmp_path / "two.jsonl", n=2)
    three = write_train(tmp_path / "three.jsonl", n=3)
    assert [p.kind for p in check_file(two, fmt="fireworks", model=FIREWORKS_MODEL)] == ["too_few_examples"]
    assert check_file(three, fmt="fireworks", model=FIREWORKS_MODEL) == []
    assert [p.kind for p in check_file(three, fmt="openai")] == ["too_few_examples"]  # OpenAI needs 10


def test_together_requires_alternation_fireworks_only_system_first(tmp_path):
    from peri.tune.validate import check_lines

    two_users = json.dumps({"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"},
                                         {"role": "assistant", "content": "c"}]})
    late_system = json.dumps({"messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "s"},
                                           {"role": "assistant", "content": "c"}]})
    tog = check_lines([two_users, late_system], fmt="together", model=TOGETHER_MODEL, count=len)
    fw = check_lines([two_users, late_system] * 2, fmt="fireworks", model=FIREWORKS_MODEL, count=len)
    assert [(p.line, p.kind) for p in tog] == [(1, "bad_order"), (2, "bad_order")]
    assert [(p.line, p.kind) for p in fw] == [(2, "bad_order"), (4, "bad_order")]


def test_together_job_body_and_estimate(tmp_path):
    fake = FakeTogether()
    t = tuner_for("together", fake)
    path = write_train(tmp_path / "t.jsonl")
    fid = t.upload(path, model=TOGETHER_MODEL)
    up = fake.requests[0]
    assert up.headers["authorization"] == f"Bearer {KEYS['together']}"
    assert b'name="purpose"' in up.content and b"fine-tune" in up.content and path.read_bytes() in up.content
    est = t.estimate(path, TOGETHER_MODEL, 2, file_id=fid)
    assert est.provider_usd == pytest.approx(0.02) and est.epochs == 2
    assert est.usd == pytest.approx(round(est.billable_tokens * 2 * 0.48 / 1e6, 4))  # the dated LoRA rate
    job = t.create_job(JobRequest(training_file=fid, model=TOGETHER_MODEL, epochs=2, suffix="ana-coach"))
    body = json.loads(fake.requests[-1].content)
    assert body == {"training_file": "file-tr", "model": TOGETHER_MODEL, "n_epochs": 2, "suffix": "ana-coach",
                    "training_method": {"method": "sft"}, "training_type": {"type": "Lora", "lora_r": 8}}
    assert (job.id, job.status, job.raw_status) == ("ft-7a1b", "queued", "pending")


def test_fireworks_dataset_then_job_body(tmp_path):
    fake = FakeFireworks()
    t = tuner_for("fireworks", fake)
    path = write_train(tmp_path / "t.jsonl")
    ds = t.upload(path, model=FIREWORKS_MODEL)
    create, upload = fake.requests
    assert json.loads(create.content)["dataset"] == {"userUploaded": {}, "exampleCount": "12"}
    assert upload.url.path.endswith(":upload") and path.read_bytes() in upload.content
    assert ds.startswith(f"accounts/{ACCOUNT}/datasets/peri-")
    t.create_job(JobRequest(training_file=ds, model=FIREWORKS_MODEL, epochs=3, suffix="Ana Coach!"))
    assert json.loads(fake.requests[-1].content) == {
        "dataset": ds, "baseModel": FIREWORKS_MODEL, "epochs": 3, "displayName": "Ana Coach!",
        "outputModel": f"accounts/{ACCOUNT}/models/ana-coach"}


@PROVIDERS
def test_end_to_end_then_inference_on_the_tuned_name(provider, home, store, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    fake = FAKES[provider]()
    make_dataset(home)
    events = []
    result = start_job(lambda: Store(home / "peri.db"), provider, "ana", suffix="ana-coach", consent=True,
                       redact=True, env=env_for(provider),
                       http_client=httpx2.Client(transport=httpx2.MockTransport(fake)), sleep=lambda s: None,
                       on_event=events.append, poll_s=0)
    assert result.job.status == "succeeded" and result.registered == f"ana-{provider}"
    assert [e.message for e in events][-1] in ("Job finished", "completed (100%)")
    assert len({e.id for e in events}) == len(events)  # each event once
    reg = store.get_model(f"ana-{provider}")
    assert reg.kind == provider and reg.meta["model"] == fake.OUTPUT and reg.meta["key_env"] == f"{provider.upper()}_API_KEY"
    # inference: ft:NAME goes through the provider's OpenAI-compatible endpoint with the tuned model's name
    monkeypatch.setenv(f"{provider.upper()}_API_KEY", KEYS[provider])
    backend = get_backend(f"ft:ana-{provider}", store)
    backend._http_client = httpx2.Client(transport=httpx2.MockTransport(fake))
    out = backend.generate(GenerationRequest(messages=[{"role": "user", "content": "plan"}]))
    assert "Bench Press" in out.text
    chat = fake.requests[-1]
    assert json.loads(chat.content)["model"] == fake.OUTPUT
    assert chat.headers["authorization"] == f"Bearer {KEYS[provider]}"
    # priced by the base model's dated row: 50 in, 12 out
    from peri.prices import load_prices

    row = load_prices().get(MODELS[provider])
    want = row.inference(True)
    assert out.cost_usd == pytest.approx((50 * want.input + 12 * want.output) / 1e6)
    # the key went only into Authorization headers
    key = KEYS[provider]
    assert all(key.encode() not in r.content for r in fake.requests)
    assert key not in store.dump() and key not in caplog.text
    assert not any(key in p.read_text(errors="ignore") for p in home.rglob("*") if p.is_file())


@PROVIDERS
def test_failed_job_is_reported_and_not_registered(provider, home, store):
    fake = FAKES[provider](outcome="failed")
    make_dataset(home)
    result = start_job(lambda: Store(home / "peri.db"), provider, "ana", consent=True, env=env_for(provider),
                       http_client=httpx2.Client(transport=httpx2.MockTransport(fake)), sleep=lambda s: None, poll_s=0)
    assert result.job.status == "failed" and result.registered is None
    assert ("could not be tokenized" if provider == "together" else "too few valid rows") in result.job.error
    assert store.list_models() == []
    with pytest.raises(TrainingError, match="no model to register"):
        hosted.register_job(store, result.job, tuner_for(provider, fake))


@PROVIDERS
def test_cancelled_job(provider, tmp_path):
    fake = FAKES[provider](outcome="running")
    t = tuner_for(provider, fake)
    job_id = "ft-7a1b" if provider == "together" else "sftj-42"
    assert t.status(job_id).status == "running"
    job = t.cancel(job_id)
    assert fake.cancelled and fake.requests[-1].method in ("POST", "DELETE")
    if provider == "together":  # cancel_requested, then cancelled on the next look
        assert job.raw_status == "cancel_requested" and t.status(job_id).status == "cancelled"
    else:
        assert job.status == "cancelled"


@PROVIDERS
def test_rate_limit_is_retried_after_the_servers_delay(provider, tmp_path):
    fake = FAKES[provider](outcome="running", rate_limited=2)
    sleeps: list[float] = []
    t = tuner_for(provider, fake, sleeps=sleeps)
    job_id = "ft-7a1b" if provider == "together" else "sftj-42"
    assert t.status(job_id).status == "running"
    assert len(fake.requests) == 3 and sleeps == [0.0, 0.0]  # Retry-After: 0, twice, then the answer


@PROVIDERS
def test_rate_limit_without_end_is_an_error_naming_the_status(provider):
    fake = FAKES[provider](rate_limited=100)
    with pytest.raises(TrainingError, match="HTTP 429"):
        tuner_for(provider, fake).status("x")
    assert len(fake.requests) == 4  # one try and three retries, no more


@PROVIDERS
def test_server_echoing_the_key_is_redacted_in_errors(provider):
    key = KEYS[provider]

    def echo(request):
        return httpx2.Response(401, json={"error": {"message": f"invalid key {key}"}})

    t = get_tuner(provider, env=env_for(provider), http_client=httpx2.Client(transport=httpx2.MockTransport(echo)))
    with pytest.raises(TrainingError) as e:
        t.status("x")
    assert key not in str(e.value) and "HTTP 401" in str(e.value)


@pytest.mark.parametrize("provider", ["openai", "together", "fireworks"])
def test_planted_key_reaches_no_export(provider, home, monkeypatch):
    """A key pasted into a note travels into the dataset; no export for any provider carries it out."""
    from peri.tune.export import export_provider

    key = KEYS.get(provider, "sk-proj-PLANTEDopenaiKEY0123456789")
    monkeypatch.setenv(f"{provider.upper()}_API_KEY", key)
    d = make_dataset(home)
    lines = d.joinpath("train.jsonl").read_text().splitlines()
    row = json.loads(lines[0])
    row["messages"][1]["content"] += f" my key is {key}"
    d.joinpath("train.jsonl").write_text("\n".join([json.dumps(row)] + lines[1:]) + "\n")
    res = export_provider(d, home / "out", provider)
    assert res.format == provider and res.examples["train"] == 12
    assert not any(key in p.read_text() for p in res.paths)
    assert "my key is ***" in res.paths[0].read_text()


def test_export_checks_each_provider_rules(home):
    from peri.tune.export import export_provider

    d = make_dataset(home, n=5)
    ok = export_provider(d, home / "fw", "fireworks")
    short = export_provider(d, home / "oa", "openai")
    assert not [w for w in ok.warnings if "too_few_examples" in w]
    assert [w for w in short.warnings if "too_few_examples" in w]  # 5 < OpenAI's 10
    assert (home / "fw" / "train.jsonl").read_text() == (home / "oa" / "train.jsonl").read_text()  # same examples


def test_cli_together_end_to_end(home, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from peri.cli.tune_commands import register

    fake = FakeTogether()
    monkeypatch.setitem(hosted.TUNERS, "together", lambda env=None, **kw: hosted.together.build(
        env_for("together"), consent=kw.get("consent", False),
        http_client=httpx2.Client(transport=httpx2.MockTransport(fake)), sleep=lambda s: None))
    make_dataset(home)
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    r = runner.invoke(app, ["finetune", "together", "--athlete", "ana"])
    assert r.exit_code == 1 and "consent" in r.output and fake.requests == []
    r = runner.invoke(app, ["finetune", "together", "--athlete", "ana", "--i-consent-to-send-health-data",
                            "--suffix", "ana-coach"])
    assert r.exit_code == 0, r.output
    assert "ft:ana-together" in r.output and "completed" in r.output and "Epoch completed" in r.output
    assert "together says $0.02" in " ".join(r.output.split())  # the provider's own estimate beside peri's dated one
    r = runner.invoke(app, ["finetune", "status", "ft-7a1b", "--provider", "together", "--name", "again", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["registered"] == "again"
    r = runner.invoke(app, ["finetune", "cancel", "ft-7a1b", "--provider", "together"])
    assert r.exit_code == 0 and "cancel_requested" in r.output
    r = runner.invoke(app, ["dataset", "check", str(home / "datasets"), "--provider", "nope"])
    assert r.exit_code != 0


def test_cli_dataset_check_and_export_per_provider(home, tmp_path):
    import typer
    from typer.testing import CliRunner

    from peri.cli.tune_commands import register

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    f = tmp_path / "d.jsonl"
    good = {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"},
                         {"role": "assistant", "content": "a"}]}
    two_users = {"messages": [{"role": "user", "content": "u"}, {"role": "user", "content": "u2"},
                              {"role": "assistant", "content": "a"}]}
    f.write_text("\n".join(json.dumps(x) for x in [good, two_users, good]) + "\n")
    r = runner.invoke(app, ["dataset", "check", str(f), "--provider", "together"])
    assert r.exit_code == 1 and f"{f}:2: bad_order" in " ".join(r.output.split())
    r = runner.invoke(app, ["dataset", "check", str(f), "--provider", "fireworks", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["ok"] is True  # 3 examples, no order rule broken there
    r = runner.invoke(app, ["dataset", "check", str(f), "--provider", "openai", "--json"])
    assert [p["kind"] for p in json.loads(r.stdout)["problems"]] == ["too_few_examples"]
    make_dataset(home)
    for fmt in ("openai", "together", "fireworks"):
        r = runner.invoke(app, ["dataset", "export", "--athlete", "ana", "--format", fmt, "--out", str(tmp_path / fmt)])
        assert r.exit_code == 0, r.output
    texts = {fmt: (tmp_path / fmt / "train.jsonl").read_text() for fmt in ("openai", "together", "fireworks")}
    assert len(set(texts.values())) == 1 and texts["together"].count("\n") == 12  # same examples, same split
    r = runner.invoke(app, ["dataset", "export", "--athlete", "ana", "--format", "mistral", "--out", str(tmp_path / "m")])
    assert r.exit_code != 0 and "mistral" in r.output


def test_registry_data_and_price_table_agree(home):
    """One list of members: each has documented rules, an availability entry whose key variable is the one
    the member reads, a default model it tunes in the price table, and a redacted key variable."""
    from peri.prices import load_prices
    from peri.redact import KEY_VARS
    from peri.tune.provider_rules import provider_names

    table = load_prices()
    assert set(hosted.TUNERS) == set(provider_names()) == set(hosted.DEFAULT_MODELS)
    for name in hosted.TUNERS:
        module = getattr(hosted, name)
        assert table.providers[name].key_env == module.KEY_ENV and module.KEY_ENV in KEY_VARS
        entry = table.get(hosted.DEFAULT_MODELS[name])
        assert entry.provider == name and entry.training is not None
        assert "https://" in (module.__doc__ or "")  # the pages read are cited where the code is


@PROVIDERS
def test_status_registers_the_same_record_each_time(provider, home, store):
    """`peri finetune status` re-registers a succeeded job; the record (and so the evaluation's model
    fingerprint, which caches results) must not change between calls."""
    from peri.evaluate.harness import model_fingerprint

    fake = FAKES[provider]()
    fake.polls = 10  # the job has long finished
    client = httpx2.Client(transport=httpx2.MockTransport(fake))
    job_id = "ft-7a1b" if provider == "together" else "sftj-42"
    prints = []
    for _ in range(2):
        job, reg = hosted.job_status(lambda: Store(home / "peri.db"), provider, job_id, name="ana-coach",
                                     env=env_for(provider), http_client=client)
        assert job.status == "succeeded" and reg == "ana-coach"
        prints.append(model_fingerprint(store, "ft:ana-coach"))
    assert prints[0] == prints[1]


def test_fireworks_same_file_is_not_uploaded_twice(tmp_path):
    fake = FakeFireworks()
    route = fake.route

    def exists(request):
        if request.url.path.endswith("/datasets"):
            return httpx2.Response(409, json={"error": {"message": "dataset already exists"}})
        return route(request)

    fake.route = exists
    path = write_train(tmp_path / "t.jsonl")
    name = tuner_for("fireworks", fake).upload(path, model=FIREWORKS_MODEL)
    assert [m for m, _ in fake.paths()] == ["POST"] and name.startswith(f"accounts/{ACCOUNT}/datasets/peri-")
