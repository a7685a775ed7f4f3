"""Fireworks AI as a hosted tuner, through its official SDK (`fireworks-ai`, Stainless-generated like openai's).

What the docs say (pages below, seen 2026-12-01):
- dataset: JSONL in the OpenAI chat form, each line a `messages` array with roles system/user/assistant
  (a system message, if any, first); at least 3 and at most 3 million examples;
- jobs: create a dataset record `POST /v1/accounts/{account}/datasets` (`userUploaded`), upload the file
  `POST .../datasets/{id}:upload` (multipart, files under 150 MB), start
  `POST /v1/accounts/{account}/supervisedFineTuningJobs` (dataset, baseModel, outputModel, epochs,
  evaluationDataset), read `GET .../supervisedFineTuningJobs/{id}` (`state` JOB_STATE_*, `jobProgress`,
  `status.message`), stop `POST .../supervisedFineTuningJobs/{id}:cancel`; there is no event feed, so peri
  reports each change of state and progress as an event;
- serving: a fine-tuned LoRA can only be deployed to an on-demand (dedicated) deployment, billed per
  GPU-hour; serverless LoRA serving is not supported. Once deployed it is called through the
  OpenAI-compatible endpoint `https://api.fireworks.ai/inference/v1` as `accounts/ACCOUNT/models/MODEL`;
- price: training per 1M training tokens (dataset tokens x epochs), $0.50 up to 16B parameters on the
  pricing page (`data/prices.yaml`).
Pages: https://docs.fireworks.ai/fine-tuning/fine-tuning-models, https://docs.fireworks.ai/fine-tuning/fine-tuning-via-api,
https://docs.fireworks.ai/api-reference/create-supervised-fine-tuning-job,
https://docs.fireworks.ai/api-reference/get-supervised-fine-tuning-job,
https://docs.fireworks.ai/tools-sdks/firectl/commands/supervised-fine-tuning-job-cancel,
https://docs.fireworks.ai/fine-tuning/deploying-loras.md, https://fireworks.ai/pricing.

Which SDK: `fireworks-ai` 1.2.30 (the newest on 2026-12-01) installs beside peri's other dependencies without
changing any of them (it adds aiohttp and friends); 1.2.23 is the first release with
`supervised_fine_tuning_jobs.cancel` (this module's tests pass on 1.2.23 and 1.2.30). The client is built here (`make_client`) with the key
from FIREWORKS_API_KEY and the account from FIREWORKS_ACCOUNT_ID only, and takes an injected `http_client`
(httpx), so tests drive the real SDK over an in-process transport. The SDK retries 429 and 5xx itself,
honouring Retry-After.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ...errors import ConfigError
from .base import (
    client_options,
    Estimate,
    HostedEvent,
    HostedJob,
    JobRequest,
    check_before_upload,
    estimate_from_table,
    follow_job,
    import_sdk,
    key_from_env,
    require_consent,
    sdk_call,
)

PROVIDER = "fireworks"
KEY_ENV = "FIREWORKS_API_KEY"
ACCOUNT_ENV = "FIREWORKS_ACCOUNT_ID"
INFERENCE_URL = "https://api.fireworks.ai/inference/v1"
SDK = "fireworks-ai>=1.2.23"
_STATE = {"JOB_STATE_CREATING": "queued", "JOB_STATE_PENDING": "queued", "JOB_STATE_VALIDATING": "queued",
          "JOB_STATE_RUNNING": "running", "JOB_STATE_WRITING_RESULTS": "running", "JOB_STATE_COMPLETED": "succeeded",
          "JOB_STATE_FAILED": "failed", "JOB_STATE_EXPIRED": "failed", "JOB_STATE_CANCELLED": "cancelled",
          "JOB_STATE_DELETING": "cancelled"}


def make_client(env: Mapping[str, str] | None = None, *, http_client: Any = None, max_retries: int = 2) -> Any:
    """A `fireworks.Fireworks` client keyed from FIREWORKS_API_KEY for the account in FIREWORKS_ACCOUNT_ID
    (FIREWORKS_BASE_URL overrides the URL)."""
    env = os.environ if env is None else env
    key = key_from_env(KEY_ENV, "Fireworks AI", env)
    account = (env.get(ACCOUNT_ENV) or "").strip()
    if not account:
        raise ConfigError(f"{ACCOUNT_ENV} is not set", hint=f"export {ACCOUNT_ENV}=your-account-id (see `firectl whoami`)")
    fireworks = import_sdk("fireworks", SDK, "Fireworks AI")
    return fireworks.Fireworks(**client_options(key, env, "FIREWORKS_BASE_URL", http_client=http_client,
                                                max_retries=max_retries, account_id=account))


class FireworksFineTuner:
    """Fireworks supervised fine-tuning for one client. `consent` (or PERI_HOSTED_CONSENT=1) is needed to upload."""

    provider = PROVIDER
    key_env = KEY_ENV
    inference_base_url = INFERENCE_URL

    def __init__(self, client: Any, *, consent: bool = False, env: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] | None = None):
        self.client = client
        self.account = client.account_id
        self.consent = consent
        self.env = env
        self.sleep = sleep
        self._meta: dict[str, dict[str, str]] = {}
        self._progress: tuple[str, Any] = ("", None)

    def _call(self, action: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import fireworks

        return sdk_call("Fireworks AI", action, (fireworks.FireworksError, ValueError), fn, *args, **kwargs)

    def validate(self, path: Path, model: str) -> list[Any]:
        from ..validate import check_file

        return check_file(path, model=model, fmt=PROVIDER)

    def estimate(self, path: Path, model: str, epochs: int | None = None, *, file_id: str | None = None) -> Estimate:
        """peri's estimate from the dated price table (Fireworks offers no estimate endpoint)."""
        return estimate_from_table(PROVIDER, Path(path), model, epochs or 1)

    def upload(self, path: Path | str, *, model: str) -> str:
        """Check the file against Fireworks' rules, create a dataset record named by the file's content hash
        (an identical file already READY is not uploaded again) and upload it; returns the dataset's resource name."""
        require_consent(self.consent, self.env)
        p = Path(path)
        check_before_upload(PROVIDER, p, model)
        import fireworks

        data = p.read_bytes()
        dataset_id = "peri-" + hashlib.sha256(data).hexdigest()[:16]
        examples = sum(1 for line in data.decode("utf-8").splitlines() if line.strip())

        def state() -> str | None:
            # look before creating: the SDK retries a 409 conflict as if it were transient
            try:
                return str(self.client.datasets.get(dataset_id).state or "")
            except fireworks.NotFoundError:
                return None

        found = self._call("dataset lookup", state)
        if found == "READY":
            return f"accounts/{self.account}/datasets/{dataset_id}"  # the same bytes were uploaded before
        if found is None:
            self._call("dataset creation", self.client.datasets.create, dataset_id=dataset_id,
                       dataset={"user_uploaded": {}, "example_count": str(examples), "format": "CHAT"})
        # else: a record left UPLOADING by an attempt that stopped half-way: upload into it again
        self._call("upload", self.client.datasets.upload, dataset_id, file=(p.name, data, "application/jsonl"))
        return f"accounts/{self.account}/datasets/{dataset_id}"

    def create_job(self, req: JobRequest) -> HostedJob:
        kwargs: dict[str, Any] = {"dataset": req.training_file, "base_model": req.model, "epochs": req.epochs or 1}
        if req.validation_file:
            kwargs["evaluation_dataset"] = req.validation_file
        if req.suffix:
            kwargs["display_name"] = req.suffix
            kwargs["output_model"] = f"accounts/{self.account}/models/{_model_id(req.suffix)}"
        job = self._job(self._call("job creation", self.client.supervised_fine_tuning_jobs.create, **kwargs))
        self._meta[job.id] = dict(req.metadata)
        job.metadata = dict(req.metadata)
        return job

    def _job(self, j: Any) -> HostedJob:
        raw = str(j.state or "JOB_STATE_CREATING")
        status = _STATE.get(raw, "running")
        jid = str(j.name or "").rsplit("/", 1)[-1]
        st, progress = j.status, j.job_progress
        done = j.completed_time
        job = HostedJob(
            provider=PROVIDER, id=jid, status=status, raw_status=raw,  # type: ignore[arg-type]
            base_model=str(j.base_model or ""),
            tuned_model=(j.output_model or None) if status == "succeeded" else None,
            trained_tokens=(progress.input_tokens or None) if progress else None,
            error=((st.message or st.code) if st else None) if status == "failed" else None,
            metadata=self._meta.get(jid, {}), finished_at=done.isoformat() if done else None,
            training_file=j.dataset, validation_file=j.evaluation_dataset or None,
        )
        self._progress = (jid, progress.percent if progress else None)
        return job

    def status(self, job_id: str) -> HostedJob:
        return self._job(self._call("job lookup", self.client.supervised_fine_tuning_jobs.get, job_id))

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
        """Cancel the job (`:cancel` answers an empty body); the answer is the job as it is afterwards."""
        self._call("cancel", self.client.supervised_fine_tuning_jobs.cancel, job_id, body={})  # the API's body is `{}`
        return self.status(job_id)

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
    return FireworksFineTuner(make_client(env, http_client=http_client), consent=consent, env=env, sleep=sleep)
