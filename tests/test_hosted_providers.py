"""Together AI and Fireworks AI as hosted tuners: each provider's real SDK (`together`, `fireworks-ai`)
driven through an in-process HTTP transport (httpx.MockTransport) that answers as the provider's documented
API does: upload -> job -> events -> success -> inference on the tuned model's name, and refusal without
consent, a failed job, a cancelled job, a rate-limit retry, a malformed dataset refused before any upload.
Every request the SDKs send is recorded and checked. Inference goes through peri's OpenAI-compatible
backend (the openai SDK, over httpx2) to the provider's OpenAI-compatible endpoint, answered by the same fake."""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import httpx
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
    """Common parts of a fake provider: records every request, answers 429 (with Retry-After) to the first
    `rate_limited` calls, plays the job through its states. It serves the SDKs (httpx) and peri's
    OpenAI-compatible backend (httpx2) alike: each answer is built with the request's own library."""

    OUTPUT = ""

    def __init__(self, outcome: str = "succeeded", rate_limited: int = 0, retry_after: str = "0"):
        self.requests: list = []
        self.outcome = outcome
        self.rate_limited = rate_limited
        self.retry_after = retry_after
        self.polls = 0
        self.cancelled = False

    @staticmethod
    def reply(request, status: int = 200, **kwargs):
        lib = httpx2 if type(request).__module__.startswith("httpx2") else httpx
        return lib.Response(status, **kwargs)

    def __call__(self, request):
        self.requests.append(request)
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return self.reply(request, 429, headers={"retry-after": self.retry_after},
                              json={"error": {"message": "rate limited", "code": "rate_limit_exceeded"}})
        return self.route(request, request.method, request.url.path)

    def chat(self, request):
        body = json.loads(request.content)
        if body["model"] != self.OUTPUT:
            return self.reply(request, 404, json={"error": {"message": f"model {body['model']} not found"}})
        return self.reply(request, 200, json={
            "id": "chat-1", "object": "chat.completion", "created": 1767225600, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": "WEEK normal\\nDAY Upper\\nBench Press: 3x8"}}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 12, "total_tokens": 62}})

    def paths(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path) for r in self.requests]

    def api_paths(self) -> list[tuple[str, str]]:
        """The calls to the provider's API (not the signed storage URL, not inference)."""
        return [(m, p) for m, p in self.paths() if not p.startswith("/uploads/")]


class FakeTogether(Fake):
    """Together's API as documented (and as the `together` SDK expects it): `POST /v1/files` answers 302 to a
    signed storage URL with the file id in `X-Together-File-Id`; the bytes are PUT there; `POST
    /v1/files/{id}/preprocess` completes the upload. A job's tuned model is its `model_output_name`."""

    OUTPUT = "ana/Meta-Llama-3.1-8B-Instruct-Reference-ana-coach-5f2a"
    JOB = "ft-7a1b2c3d-0000-4e5f-8a9b-0123456789ab"
    FILE = "file-3c1d6a2e-9b7f-4d7e-8f10-2a4b6c8d0e1f"
    STORAGE = "https://together-ft-uploads.s3.us-west-2.amazonaws.com/uploads/file-3c1d?X-Amz-Signature=abc"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.uploaded = b""

    def event(self, n: int, type_: str, message: str, level: str = "info") -> dict:
        return {"object": "fine-tune-event", "created_at": f"2026-12-01T09:{n:02d}:00Z", "type": type_,
                "message": message, "level": level, "hash": f"h{n}"}

    def events_now(self) -> list[dict]:
        evs = [self.event(0, "job_pending", "Fine tune request created")]
        st = self.status_now()
        if self.polls >= 1 and st != "cancelled":
            evs.append(self.event(10, "epoch_complete", "Epoch completed, at step 10"))
        if st == "completed":
            evs.append(self.event(20, "job_complete", "Job finished at 2026-12-01 10:00"))
        if st == "error":
            evs.append(self.event(20, "job_error", "Training data could not be tokenized: line 3", "error"))
        if self.cancelled:
            evs.append(self.event(30, "cancel_requested", "Job cancellation requested"))
        return evs

    def job(self, status: str) -> dict:
        j = {"id": self.JOB, "status": status, "model": TOGETHER_MODEL, "training_file": self.FILE,
             "validation_file": "", "user_id": "user-ana", "n_epochs": 1, "n_evals": 0, "suffix": "ana-coach",
             "created_at": "2026-12-01T09:00:00Z", "updated_at": "2026-12-01T10:00:00Z",
             "training_method": {"method": "sft", "train_on_inputs": "auto"},
             "training_type": {"type": "Lora", "lora_r": 16, "lora_alpha": 32}}
        if status == "completed":
            j.update(model_output_name=self.OUTPUT, token_count=36000)
        if status in ("completed", "error"):
            j["events"] = self.events_now()
        return j

    def status_now(self) -> str:
        if self.cancelled:
            return "cancelled"
        seq = {"succeeded": ["pending", "running", "completed"], "failed": ["queued", "error"],
               "running": ["running"]}[self.outcome]
        return seq[min(self.polls, len(seq) - 1)]

    def route(self, request, m: str, path: str):
        if request.url.host != "api.together.ai" or not path.startswith("/v1/"):
            if (m, str(request.url)) == ("PUT", self.STORAGE):
                self.uploaded = request.read()
                return self.reply(request, 200)
            return self.reply(request, 404, text="NoSuchBucket")
        path = path.removeprefix("/v1")
        if (m, path) == ("POST", "/files"):
            return self.reply(request, 302, headers={"Location": self.STORAGE, "X-Together-File-Id": self.FILE})
        if (m, path) == ("POST", f"/files/{self.FILE}/preprocess"):
            return self.reply(request, 200, json={
                "id": self.FILE, "object": "file", "bytes": len(self.uploaded), "created_at": 1764579600,
                "filename": "train.jsonl", "FileType": "jsonl", "Processed": True, "purpose": "fine-tune",
                "processing_status": "COMPLETED"})
        if (m, path) == ("GET", "/fine-tunes/models/limits"):
            assert request.url.params["model_name"] == TOGETHER_MODEL
            return self.reply(request, 200, json={
                "model_name": TOGETHER_MODEL, "max_num_epochs": 20, "max_num_evals": 100,
                "max_learning_rate": 1.0, "min_learning_rate": 1e-8, "max_num_checkpoints": 20,
                "max_seq_length_sft": 8192, "max_seq_length_dpo": 4096, "min_max_seq_length": 128,
                "default_gradient_accumulation_steps": 1, "merge_output_lora": False,
                "supports_full_training": True, "supports_reasoning": False, "supports_tools": True,
                "supports_vision": False,
                "lora_training": {"default_rank": 16, "max_rank": 64, "min_batch_size": 8, "max_batch_size": 32,
                                  "max_batch_size_dpo": 16, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]},
                "full_training": {"min_batch_size": 8, "max_batch_size": 16, "max_batch_size_dpo": 8}})
        if (m, path) == ("POST", "/fine-tunes/estimate-price"):
            return self.reply(request, 200, json={"estimation_available": True, "estimated_total_price": 0.02,
                                                  "allowed_to_proceed": True, "estimated_train_token_count": 36000,
                                                  "estimated_eval_token_count": 0, "user_limit": 100.0})
        if (m, path) == ("POST", "/fine-tunes"):
            return self.reply(request, 200, json=self.job("pending"))
        if (m, path) == ("GET", f"/fine-tunes/{self.JOB}"):
            st = self.status_now()
            self.polls += 1
            return self.reply(request, 200, json=self.job(st))
        if (m, path) == ("GET", f"/fine-tunes/{self.JOB}/events"):
            return self.reply(request, 200, json={"data": self.events_now()})
        if (m, path) == ("POST", f"/fine-tunes/{self.JOB}/cancel"):
            self.cancelled = True
            return self.reply(request, 200, json=self.job("cancel_requested"))
        if (m, path) == ("POST", "/chat/completions"):
            return self.chat(request)
        return self.reply(request, 404, json={"error": {"message": f"no route {m} {path}"}})


class FakeFireworks(Fake):
    """Fireworks' API as documented: a dataset record, its `:upload`, a supervised fine-tuning job read by
    `state` and `jobProgress`, `:cancel`; inference at /inference/v1 as `accounts/ACCOUNT/models/NAME`."""

    ROOT = f"/v1/accounts/{ACCOUNT}"
    OUTPUT = f"accounts/{ACCOUNT}/models/ana-coach"
    JOB = "sftj-42"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.datasets: dict[str, str] = {}  # id -> state

    def job(self, state: str) -> dict:
        j = {"name": f"accounts/{ACCOUNT}/supervisedFineTuningJobs/{self.JOB}", "state": state,
             "baseModel": FIREWORKS_MODEL, "dataset": f"accounts/{ACCOUNT}/datasets/x", "epochs": 1,
             "createTime": "2026-12-01T09:00:00Z", "createdBy": "ana@example.com",
             "jobProgress": {"percent": {"JOB_STATE_RUNNING": 50, "JOB_STATE_COMPLETED": 100}.get(state, 0)}}
        if state == "JOB_STATE_COMPLETED":
            j.update(outputModel=self.OUTPUT, completedTime="2026-12-01T10:00:00Z")
            j["jobProgress"]["inputTokens"] = 36000
        if state == "JOB_STATE_FAILED":
            j["status"] = {"code": "INVALID_ARGUMENT", "message": "dataset has too few valid rows"}
        return j

    def state_now(self) -> str:
        if self.cancelled:
            return "JOB_STATE_CANCELLED"
        seq = {"succeeded": ["JOB_STATE_CREATING", "JOB_STATE_RUNNING", "JOB_STATE_COMPLETED"],
               "failed": ["JOB_STATE_PENDING", "JOB_STATE_FAILED"], "running": ["JOB_STATE_RUNNING"]}[self.outcome]
        return seq[min(self.polls // 2, len(seq) - 1)]  # events() and status() each read the job once per poll

    def route(self, request, m: str, path: str):
        if request.url.host != "api.fireworks.ai":
            return self.reply(request, 404, json={"error": {"message": "unknown host"}})
        ds = path.removeprefix(f"{self.ROOT}/datasets/") if path.startswith(f"{self.ROOT}/datasets/") else None
        if (m, path) == ("POST", f"{self.ROOT}/datasets"):
            body = json.loads(request.content)
            if body["datasetId"] in self.datasets:
                return self.reply(request, 409, json={"error": {"code": 6, "message": "dataset already exists"}})
            self.datasets[body["datasetId"]] = "UPLOADING"
            return self.reply(request, 200, json={"name": f"accounts/{ACCOUNT}/datasets/{body['datasetId']}",
                                                  "state": "UPLOADING", **body["dataset"]})
        if m == "GET" and ds and ":" not in ds:
            if ds not in self.datasets:
                return self.reply(request, 404, json={"error": {"code": 5, "message": f"dataset {ds} not found"}})
            return self.reply(request, 200, json={"name": f"accounts/{ACCOUNT}/datasets/{ds}", "state": self.datasets[ds]})
        if m == "POST" and ds and ds.endswith(":upload"):
            self.datasets[ds.removesuffix(":upload")] = "READY"
            return self.reply(request, 200, json={"filenameToSignedUrls": {}})
        if (m, path) == ("POST", f"{self.ROOT}/supervisedFineTuningJobs"):
            return self.reply(request, 200, json=self.job("JOB_STATE_CREATING"))
        if (m, path) == ("GET", f"{self.ROOT}/supervisedFineTuningJobs/{self.JOB}"):
            st = self.state_now()
            self.polls += 1
            return self.reply(request, 200, json=self.job(st))
        if (m, path) == ("POST", f"{self.ROOT}/supervisedFineTuningJobs/{self.JOB}:cancel"):
            self.cancelled = True
            return self.reply(request, 200, json={})
        if (m, path) == ("POST", "/inference/v1/chat/completions"):
            return self.chat(request)
        return self.reply(request, 404, json={"error": {"message": f"no route {m} {path}"}})


FAKES = {"together": FakeTogether, "fireworks": FakeFireworks}
MODELS = {"together": TOGETHER_MODEL, "fireworks": FIREWORKS_MODEL}


def env_for(provider: str, consent: bool = False) -> dict[str, str]:
    env = {f"{provider.upper()}_API_KEY": KEYS[provider]}
    if provider == "fireworks":
        env["FIREWORKS_ACCOUNT_ID"] = ACCOUNT
    if consent:
        env["PERI_HOSTED_CONSENT"] = "1"
    return env


def sdk_http(fake) -> httpx.Client:
    """What the provider SDKs take as `http_client`: an httpx client over the fake, in-process."""
    return httpx.Client(transport=httpx.MockTransport(fake))


def tuner_for(provider: str, fake: Fake, consent: bool = True, sleeps: list | None = None):
    sleeps = sleeps if sleeps is not None else []
    return get_tuner(provider, env=env_for(provider), consent=consent, http_client=sdk_http(fake), sleep=sleeps.append)


def make_dataset(home: Path, athlete: str = "ana", n: int = 12, broken_line: int | None = None) -> Path:
    from peri.tune.dataset import dataset_dir

    d = dataset_dir(athlete)
    d.mkdir(parents=True)
    write_train(d / "train.jsonl", n, broken_line)
    (d / "val.jsonl").write_text("")
    (d / "build.json").write_text(json.dumps({"format": "openai-chat-jsonl", "config": {"athlete": athlete}, "dataset_hash": "abcdef0123456789ff" + "0" * 46, "report": {"examples": 1, "train": 1, "val": 0, "weeks_logged": 2, "tokens": {"mean": 90.0, "total": 90}}, "examples": []}))
    return d


@pytest.fixture
def sdk_sleeps(monkeypatch) -> list[float]:
    """The SDKs wait between retries with time.sleep: record the waits instead of waiting."""
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


PROVIDERS = pytest.mark.parametrize("provider", ["together", "fireworks"])


@PROVIDERS
def test_members_meet_the_protocol_and_are_registered_in_one_place(provider):
    assert set(hosted.TUNERS) == {"openai", "together", "fireworks"}
    t = tuner_for(provider, FAKES[provider]())
    assert isinstance(t, HostedTuner)
    assert type(t.client).__module__.split(".")[0] == {"together": "together", "fireworks": "fireworks"}[provider]


@PROVIDERS
def test_missing_sdk_is_a_config_error_naming_the_extra(provider, monkeypatch):
    monkeypatch.setitem(sys.modules, {"together": "together", "fireworks": "fireworks"}[provider], None)
    with pytest.raises(ConfigError) as e:
        tuner_for(provider, FAKES[provider]())
    assert "not installed" in str(e.value) and "peri[hosted]" in (e.value.hint or "")


@PROVIDERS
def test_upload_refused_without_consent_nothing_sent(provider, tmp_path):
    fake = FAKES[provider]()
    with pytest.raises(ConfigError, match="consent"):
        tuner_for(provider, fake, consent=False).upload(write_train(tmp_path / "t.jsonl"), model=MODELS[provider])
    assert fake.requests == []


@PROVIDERS
def test_start_job_without_consent_reads_no_key_and_sends_nothing(provider, home, store):
    fake = FAKES[provider]()
    make_dataset(home)
    with pytest.raises(ConfigError, match="consent"):
        start_job(lambda: Store(home / "peri.db"), provider, "ana", env=env_for(provider), http_client=sdk_http(fake))
    assert fake.requests == [] and store.list_models() == []


@PROVIDERS
def test_key_only_from_its_own_variable(provider, monkeypatch):
    monkeypatch.delenv(f"{provider.upper()}_API_KEY", raising=False)
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


@PROVIDERS
def test_malformed_built_dataset_stops_start_job_before_any_upload(provider, home, store):
    fake = FAKES[provider]()
    make_dataset(home, broken_line=2)
    with pytest.raises(DatasetError, match="unrecognized_role"):
        start_job(lambda: Store(home / "peri.db"), provider, "ana", consent=True, env=env_for(provider),
                  http_client=sdk_http(fake), sleep=lambda s: None, poll_s=0)
    assert fake.requests == []


def test_together_sdk_own_check_also_runs_before_any_upload(tmp_path):
    """peri's rules pass a file the SDK's own check refuses (an extension it does not read): still a
    DatasetError naming the file, and nothing sent."""
    fake = FakeTogether()
    path = write_train(tmp_path / "train.txt")
    with pytest.raises(DatasetError) as e:
        tuner_for("together", fake).upload(path, model=TOGETHER_MODEL)
    assert "Together's SDK refused the file" in str(e.value) and e.value.place == str(path)
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


def test_together_sdk_upload_goes_through_the_signed_url(tmp_path):
    """The SDK asks the API for a signed URL (302 + X-Together-File-Id), PUTs the bytes there without the
    key, then asks the API to preprocess the file."""
    fake = FakeTogether()
    path = write_train(tmp_path / "train.jsonl")
    fid = tuner_for("together", fake).upload(path, model=TOGETHER_MODEL)
    assert fid == FakeTogether.FILE
    ask, put, done = fake.requests
    assert (ask.method, ask.url.path, done.url.path) == ("POST", "/v1/files", f"/v1/files/{fid}/preprocess")
    assert ask.headers["authorization"] == done.headers["authorization"] == f"Bearer {KEYS['together']}"
    assert b'name="purpose"' in ask.content and b"fine-tune" in ask.content and b"train.jsonl" in ask.content
    assert put.method == "PUT" and str(put.url) == FakeTogether.STORAGE and fake.uploaded == path.read_bytes()
    assert "authorization" not in put.headers  # the signed URL carries its own authority


def test_together_job_body_and_estimate(tmp_path):
    fake = FakeTogether()
    t = tuner_for("together", fake)
    path = write_train(tmp_path / "train.jsonl")
    fid = t.upload(path, model=TOGETHER_MODEL)
    est = t.estimate(path, TOGETHER_MODEL, 2, file_id=fid)
    assert est.provider_usd == pytest.approx(0.02) and est.epochs == 2
    assert est.usd == pytest.approx(round(est.billable_tokens * 2 * 0.48 / 1e6, 4))  # the dated LoRA rate
    asked = json.loads(fake.requests[-1].content)
    assert asked["training_file"] == fid and asked["n_epochs"] == 2 and asked["training_method"]["method"] == "sft"
    n = len(fake.requests)
    job = t.create_job(JobRequest(training_file=fid, model=TOGETHER_MODEL, epochs=2, suffix="ana-coach", seed=7))
    # the SDK reads the model's limits, asks for the price, then creates the job
    assert fake.paths()[n:] == [("GET", "/v1/fine-tunes/models/limits"), ("POST", "/v1/fine-tunes/estimate-price"),
                                ("POST", "/v1/fine-tunes")]
    body = json.loads(fake.requests[-1].content)
    assert (body["training_file"], body["model"], body["n_epochs"], body["suffix"], body["random_seed"]) == \
        (fid, TOGETHER_MODEL, 2, "ana-coach", 7)
    assert body["training_type"]["type"] == "Lora" and body["training_type"]["lora_r"] == 16  # the model's default rank
    assert body["training_method"]["method"] == "sft" and not body.get("validation_file")
    assert (job.id, job.status, job.raw_status) == (FakeTogether.JOB, "queued", "pending")


def test_fireworks_dataset_then_job_body(tmp_path):
    fake = FakeFireworks()
    t = tuner_for("fireworks", fake)
    path = write_train(tmp_path / "t.jsonl")
    ds = t.upload(path, model=FIREWORKS_MODEL)
    look, create, upload = fake.requests
    assert look.method == "GET" and create.url.path == f"{FakeFireworks.ROOT}/datasets"
    made = json.loads(create.content)
    assert made["dataset"] == {"userUploaded": {}, "exampleCount": "12", "format": "CHAT"}
    assert ds == f"accounts/{ACCOUNT}/datasets/{made['datasetId']}" and made["datasetId"].startswith("peri-")
    assert upload.url.path.endswith(f"/datasets/{made['datasetId']}:upload") and path.read_bytes() in upload.content
    assert all(r.headers["authorization"] == f"Bearer {KEYS['fireworks']}" for r in fake.requests)
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
                       redact=True, env=env_for(provider), http_client=sdk_http(fake), sleep=lambda s: None,
                       on_event=events.append, poll_s=0)
    assert result.job.status == "succeeded" and result.registered == f"ana-{provider}"
    assert result.job.tuned_model == fake.OUTPUT and result.job.trained_tokens == 36000
    assert [e.message for e in events][-1] in ("Job finished at 2026-12-01 10:00", "completed (100%)")
    assert len({e.id for e in events}) == len(events) >= 3  # each event once, in order
    reg = store.get_model(f"ana-{provider}")
    assert reg.kind == provider and reg.meta["model"] == fake.OUTPUT and reg.meta["key_env"] == f"{provider.upper()}_API_KEY"
    assert reg.meta["base_model"] == MODELS[provider]
    # inference: ft:NAME goes through the provider's OpenAI-compatible endpoint with the tuned model's name
    monkeypatch.setenv(f"{provider.upper()}_API_KEY", KEYS[provider])
    backend = get_backend(f"ft:ana-{provider}", store)
    backend._http_client = httpx2.Client(transport=httpx2.MockTransport(fake))
    out = backend.generate(GenerationRequest(messages=[{"role": "user", "content": "plan"}]))
    assert "Bench Press" in out.text
    chat = fake.requests[-1]
    assert str(chat.url) == hosted.get_tuner(provider, env=env_for(provider)).inference_base_url + "/chat/completions"
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
    events = []
    result = start_job(lambda: Store(home / "peri.db"), provider, "ana", consent=True, env=env_for(provider),
                       http_client=sdk_http(fake), sleep=lambda s: None, poll_s=0, on_event=events.append)
    assert result.job.status == "failed" and result.registered is None
    reason = "could not be tokenized" if provider == "together" else "too few valid rows"
    assert reason in result.job.error and reason in events[-1].message and events[-1].level == "error"
    assert store.list_models() == []
    with pytest.raises(TrainingError, match="no model to register"):
        hosted.register_job(store, result.job, tuner_for(provider, fake))


@PROVIDERS
def test_cancelled_job(provider, home, store):
    fake = FAKES[provider](outcome="running")
    t = tuner_for(provider, fake)
    job_id = fake.JOB
    assert t.status(job_id).status == "running"
    job = t.cancel(job_id)
    cancel = next(r for r in fake.requests if r.url.path.endswith("cancel"))
    assert fake.cancelled and cancel.method == "POST"
    if provider == "together":  # cancel_requested, then cancelled on the next look
        assert job.raw_status == "cancel_requested" and t.status(job_id).status == "cancelled"
    else:  # `:cancel` answers an empty body; the job read afterwards is cancelled
        assert job.status == "cancelled" and job.raw_status == "JOB_STATE_CANCELLED"
    # a cancelled job is not followed for ever, and never registered
    assert t.status(job_id).done
    job, reg = hosted.job_status(lambda: Store(home / "peri.db"), provider, job_id, env=env_for(provider),
                                 http_client=sdk_http(fake))
    assert job.status == "cancelled" and reg is None and store.list_models() == []


@PROVIDERS
def test_rate_limit_is_retried_after_the_servers_delay(provider, sdk_sleeps):
    fake = FAKES[provider](outcome="running", rate_limited=2, retry_after="3")
    t = tuner_for(provider, fake)
    assert t.status(fake.JOB).status == "running"
    assert len(fake.requests) == 3 and sdk_sleeps == [3.0, 3.0]  # Retry-After: 3, twice, then the answer


@PROVIDERS
def test_rate_limited_upload_is_retried_and_sent_once(provider, tmp_path, sdk_sleeps):
    fake = FAKES[provider](rate_limited=1, retry_after="1")
    path = write_train(tmp_path / "t.jsonl")
    tuner_for(provider, fake).upload(path, model=MODELS[provider])
    assert sdk_sleeps == [1.0] and fake.api_paths()[0] == fake.api_paths()[1]  # the same call, again
    sent = [r for r in fake.requests if path.read_bytes() in r.content]
    assert len(sent) == 1


@PROVIDERS
def test_rate_limit_without_end_is_an_error_naming_the_status(provider, sdk_sleeps):
    fake = FAKES[provider](rate_limited=100)
    with pytest.raises(TrainingError, match="HTTP 429"):
        tuner_for(provider, fake).status(fake.JOB)
    assert len(fake.requests) == 3 and len(sdk_sleeps) == 2  # one try and the SDK's two retries, no more


@PROVIDERS
def test_server_echoing_the_key_is_redacted_in_errors(provider):
    key = KEYS[provider]

    def echo(request):
        return httpx.Response(401, json={"error": {"message": f"invalid key {key}"}})

    t = get_tuner(provider, env=env_for(provider), http_client=httpx.Client(transport=httpx.MockTransport(echo)))
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


@PROVIDERS
def test_planted_key_reaches_no_upload_store_or_log(provider, home, store, caplog):
    """The same planted key, through `start_job --redact`: the bytes the SDK sends, the store, the logs and
    every file under PERI_HOME hold it nowhere; it travels only in the Authorization header."""
    caplog.set_level(logging.DEBUG)
    key = KEYS[provider]
    fake = FAKES[provider]()
    d = make_dataset(home)
    lines = d.joinpath("train.jsonl").read_text().splitlines()
    row = json.loads(lines[0])
    row["messages"][1]["content"] += f" my key is {key}"
    d.joinpath("train.jsonl").write_text("\n".join([json.dumps(row)] + lines[1:]) + "\n")
    start_job(lambda: Store(home / "peri.db"), provider, "ana", consent=True, redact=True, env=env_for(provider),
              http_client=sdk_http(fake), sleep=lambda s: None, poll_s=0)
    uploaded = b"".join(r.content for r in fake.requests)
    assert b"my key is ***" in uploaded and key.encode() not in uploaded
    assert all(r.headers.get("authorization") in (None, f"Bearer {key}") for r in fake.requests)
    assert key not in store.dump() and key not in caplog.text
    assert not any(key in p.read_text(errors="ignore") for p in home.rglob("*") if p.is_file() and p != d / "train.jsonl")


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
        env_for("together"), consent=kw.get("consent", False), http_client=sdk_http(fake), sleep=lambda s: None))
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
    r = runner.invoke(app, ["finetune", "status", FakeTogether.JOB, "--provider", "together", "--name", "again", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["registered"] == "again"
    r = runner.invoke(app, ["finetune", "cancel", FakeTogether.JOB, "--provider", "together"])
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
    prints = []
    for _ in range(2):
        job, reg = hosted.job_status(lambda: Store(home / "peri.db"), provider, fake.JOB, name="ana-coach",
                                     env=env_for(provider), http_client=sdk_http(fake))
        assert job.status == "succeeded" and reg == "ana-coach"
        prints.append(model_fingerprint(store, "ft:ana-coach"))
    assert prints[0] == prints[1]


def test_fireworks_same_file_is_not_uploaded_twice(tmp_path):
    fake = FakeFireworks()
    path = write_train(tmp_path / "t.jsonl")
    t = tuner_for("fireworks", fake)
    first = t.upload(path, model=FIREWORKS_MODEL)
    n = len(fake.requests)
    assert t.upload(path, model=FIREWORKS_MODEL) == first
    assert [m for m, _ in fake.paths()[n:]] == ["GET"]  # found READY: nothing created, nothing sent


def test_fireworks_half_finished_upload_is_completed(tmp_path):
    """A dataset record left UPLOADING by an earlier attempt is not created again: the file is uploaded into it."""
    fake = FakeFireworks()
    path = write_train(tmp_path / "t.jsonl")
    t = tuner_for("fireworks", fake)
    t.upload(path, model=FIREWORKS_MODEL)
    (ds,) = fake.datasets
    fake.datasets[ds] = "UPLOADING"
    n = len(fake.requests)
    t.upload(path, model=FIREWORKS_MODEL)
    assert fake.paths()[n:] == [("GET", f"{FakeFireworks.ROOT}/datasets/{ds}"),
                                ("POST", f"{FakeFireworks.ROOT}/datasets/{ds}:upload")]
    assert fake.datasets[ds] == "READY"
