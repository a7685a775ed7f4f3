"""Fireworks AI as a hosted tuner, over its documented REST API (supervised LoRA fine-tuning).

What the docs say (pages below, seen 2026-12-01):
- dataset: JSONL in the OpenAI chat form, each line a `messages` array with roles system/user/assistant
  (a system message, if any, first); at least 3 and at most 3 million examples;
- jobs: create a dataset record `POST /v1/accounts/{account}/datasets` (`userUploaded`), upload the file
  `POST .../datasets/{id}:upload` (multipart, files under 150 MB), start
  `POST /v1/accounts/{account}/supervisedFineTuningJobs` (dataset, baseModel, outputModel, epochs,
  evaluationDataset), read `GET .../supervisedFineTuningJobs/{id}` (`state` JOB_STATE_*, `jobProgress`,
  `status.message`), stop `DELETE .../supervisedFineTuningJobs/{id}`; there is no event feed, so peri
  reports each change of state and progress as an event;
- serving: a fine-tuned LoRA can only be deployed to an on-demand (dedicated) deployment, billed per
  GPU-hour; serverless LoRA serving is not supported. Once deployed it is called through the
  OpenAI-compatible endpoint `https://api.fireworks.ai/inference/v1` as `accounts/ACCOUNT/models/MODEL`;
- price: training per 1M training tokens (dataset tokens x epochs), $0.50 up to 16B parameters on the
  pricing page (`data/prices.yaml`).
Pages: https://docs.fireworks.ai/fine-tuning/fine-tuning-models, https://docs.fireworks.ai/fine-tuning/fine-tuning-via-api,
https://docs.fireworks.ai/api-reference/create-supervised-fine-tuning-job,
https://docs.fireworks.ai/api-reference/get-supervised-fine-tuning-job,
https://docs.fireworks.ai/fine-tuning/deploying-loras.md, https://fireworks.ai/pricing.

Why REST and not the `fireworks-ai` SDK: it installs cleanly (1.2.30, with aiohttp and friends), but the
REST calls above are few, documented, and the same retry/redaction client serves Together; keeping one
small client keeps the tests' fake server honest about the exact requests. The account id comes from
FIREWORKS_ACCOUNT_ID, the key from FIREWORKS_API_KEY.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ...errors import ConfigError
from .base import (
    Estimate,
    HostedEvent,
    HostedJob,
    JobRequest,
    RestClient,
    check_before_upload,
    estimate_from_table,
    follow_job,
    key_from_env,
    require_consent,
)

PROVIDER = "fireworks"
KEY_ENV = "FIREWORKS_API_KEY"
ACCOUNT_ENV = "FIREWORKS_ACCOUNT_ID"
API_URL = "https://api.fireworks.ai"
INFERENCE_URL = "https://api.fireworks.ai/inference/v1"
_STATE = {"JOB_STATE_CREATING": "queued", "JOB_STATE_PENDING": "queued", "JOB_STATE_VALIDATING": "queued",
          "JOB_STATE_RUNNING": "running", "JOB_STATE_WRITING_RESULTS": "running", "JOB_STATE_COMPLETED": "succeeded",
          "JOB_STATE_FAILED": "failed", "JOB_STATE_EXPIRED": "failed", "JOB_STATE_CANCELLED": "cancelled",
          "JOB_STATE_DELETING": "cancelled"}


class FireworksFineTuner:
    """Fireworks supervised fine-tuning for one account. `consent` (or PERI_HOSTED_CONSENT=1) is needed to upload."""

    provider = PROVIDER
    key_env = KEY_ENV
    inference_base_url = INFERENCE_URL

    def __init__(self, client: RestClient, account: str, *, consent: bool = False,
                 env: Mapping[str, str] | None = None, sleep: Callable[[float], None] | None = None):
        self.client = client
        self.account = account
        self.consent = consent
        self.env = env
        self.sleep = sleep
        self._meta: dict[str, dict[str, str]] = {}
        self._last: dict[str, HostedJob] = {}
        self._progress: tuple[str, Any] = ("", None)

    @property
    def _root(self) -> str:
        return f"/v1/accounts/{self.account}"

    def validate(self, path: Path, model: str) -> list[Any]:
        from ..validate import check_file

        return check_file(path, model=model, fmt=PROVIDER)

    def estimate(self, path: Path, model: str, epochs: int | None = None, *, file_id: str | None = None) -> Estimate:
        """peri's estimate from the dated price table (Fireworks offers no estimate endpoint)."""
        return estimate_from_table(PROVIDER, Path(path), model, epochs or 1)

    def upload(self, path: Path | str, *, model: str) -> str:
        """Check the file against Fireworks' rules, create a dataset record named by the file's content hash
        (an identical file is not uploaded twice) and upload it; returns the dataset's resource name."""
        require_consent(self.consent, self.env)
        p = Path(path)
        check_before_upload(PROVIDER, p, model)
        data = p.read_bytes()
        dataset_id = "peri-" + hashlib.sha256(data).hexdigest()[:16]
        examples = sum(1 for line in data.decode("utf-8").splitlines() if line.strip())
        made = self.client.request("POST", f"{self._root}/datasets", "dataset creation", accept=(409,),
                                   json={"datasetId": dataset_id, "dataset": {"userUploaded": {}, "exampleCount": str(examples)}})
        if made.get("_status") != 409:
            self.client.request("POST", f"{self._root}/datasets/{dataset_id}:upload", "upload",
                                files={"file": (p.name, data, "application/jsonl")})
        return f"accounts/{self.account}/datasets/{dataset_id}"

    def create_job(self, req: JobRequest) -> HostedJob:
        body: dict[str, Any] = {"dataset": req.training_file, "baseModel": req.model, "epochs": req.epochs or 1}
        if req.validation_file:
            body["evaluationDataset"] = req.validation_file
        if req.suffix:
            body["displayName"] = req.suffix
            body["outputModel"] = f"accounts/{self.account}/models/{_model_id(req.suffix)}"
        job = self._job(self.client.request("POST", f"{self._root}/supervisedFineTuningJobs", "job creation", json=body))
        self._meta[job.id] = dict(req.metadata)
        job.metadata = dict(req.metadata)
        return job

    def _job(self, j: dict[str, Any]) -> HostedJob:
        raw = str(j.get("state", "JOB_STATE_CREATING"))
        status = _STATE.get(raw, "running")
        jid = str(j.get("name", "")).rsplit("/", 1)[-1]
        st = j.get("status") or {}
        progress = j.get("jobProgress") or {}
        job = HostedJob(
            provider=PROVIDER, id=jid, status=status, raw_status=raw,  # type: ignore[arg-type]
            base_model=str(j.get("baseModel", "")),
            tuned_model=(j.get("outputModel") or None) if status == "succeeded" else None,
            trained_tokens=int(progress["inputTokens"]) if progress.get("inputTokens") else None,
            error=(st.get("message") or st.get("code")) if status == "failed" else None,
            metadata=self._meta.get(jid, {}), finished_at=j.get("completedTime"),
            training_file=j.get("dataset"), validation_file=j.get("evaluationDataset") or None,
        )
        self._last[jid] = job
        self._progress = (jid, progress.get("percent"))
        return job

    def status(self, job_id: str) -> HostedJob:
        return self._job(self.client.request("GET", f"{self._root}/supervisedFineTuningJobs/{job_id}", "job lookup"))

    def events(self, job_id: str, *, seen: set[str] | None = None) -> list[HostedEvent]:
        """Fireworks has no event feed: each new state (and progress percentage) of the job is one event."""
        seen = seen if seen is not None else set()
        job = self.status(job_id)
        pct = self._progress[1] if self._progress[0] == job_id else None
        eid = f"{job.raw_status}:{pct}"
        if eid in seen:
            return []
        seen.add(eid)
        text = job.raw_status.removeprefix("JOB_STATE_").lower().replace("_", " ")
        if pct is not None:
            text += f" ({pct}%)"
        if job.error:
            text += f": {job.error}"
        return [HostedEvent(id=eid, level="error" if job.status == "failed" else "info", message=text)]

    def follow(self, job_id: str, *, poll_s: float = 10.0, max_polls: int | None = None) -> Iterator[HostedEvent]:
        return follow_job(self, job_id, poll_s=poll_s, max_polls=max_polls, sleep=self.sleep)

    def cancel(self, job_id: str) -> HostedJob:
        """Stop the job (Fireworks' documented way is to delete it); the answer is the job as last seen, cancelled."""
        before = self._last.get(job_id) or self.status(job_id)
        self.client.request("DELETE", f"{self._root}/supervisedFineTuningJobs/{job_id}", "cancel")
        return before.model_copy(update={"status": "cancelled", "raw_status": "JOB_STATE_DELETING", "tuned_model": None})

    def inference_model(self, job: HostedJob) -> str:
        return job.tuned_model or ""


def _model_id(suffix: str) -> str:
    """A Fireworks resource id from a free-form suffix: lower-case letters, digits and hyphens, at most 63."""
    import re

    out = re.sub(r"[^a-z0-9-]+", "-", suffix.lower()).strip("-")[:63]
    return out or "peri-model"


def build(env: Mapping[str, str] | None = None, *, consent: bool = False, http_client: Any = None,
          sleep: Callable[[float], None] | None = None) -> FireworksFineTuner:
    """The registry's factory: FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID from the environment."""
    env = os.environ if env is None else env
    key = key_from_env(KEY_ENV, "Fireworks AI", env)
    account = (env.get(ACCOUNT_ENV) or "").strip()
    if not account:
        raise ConfigError(f"{ACCOUNT_ENV} is not set", hint=f"export {ACCOUNT_ENV}=your-account-id (see `firectl whoami`)")
    client = RestClient(env.get("FIREWORKS_BASE_URL") or API_URL, key, "Fireworks AI", http_client=http_client, sleep=sleep)
    return FireworksFineTuner(client, account, consent=consent, env=env, sleep=sleep)
