"""Together AI as a hosted tuner, through its official SDK (`together`, Stainless-generated like openai's).

What the docs say (pages below, seen 2026-12-01):
- dataset: JSONL, conversational form `{"messages": [...]}` with roles system/user/assistant; the
  conversation starts with system or user and then alternates user and assistant; a file mixing forms is
  rejected; files up to 100 GB; no minimum number of examples is documented (peri needs one);
- jobs: upload a file (`POST /v1/files` answers 302 with a signed URL and `X-Together-File-Id`; the SDK
  PUTs the bytes there and calls `POST /v1/files/{id}/preprocess`), `GET /v1/fine-tunes/models/limits`,
  `POST /v1/fine-tunes/estimate-price`, `POST /v1/fine-tunes` (LoRA is the default), `GET /v1/fine-tunes/{id}`,
  `GET /v1/fine-tunes/{id}/events`, `POST /v1/fine-tunes/{id}/cancel`; statuses pending, queued, running,
  compressing, uploading, cancel_requested, cancelled, error, completed; the tuned model's name is the job's
  `model_output_name`;
- serving: a LoRA fine-tune of a listed base model (Meta-Llama-3.1-8B-Instruct-Reference, 70B-Reference,
  Qwen2.5-72B-Instruct, ...) is served serverless through the OpenAI-compatible endpoint
  `https://api.together.ai/v1` with `model` = the job's output name, at the base model's price; other
  bases need a dedicated endpoint billed per minute;
- price: tokens processed (epochs x training tokens + evals x validation tokens) x the per-1M rate of the
  model-size bracket, no minimum charge (`data/prices.yaml` has the figures with dates).
Pages: https://docs.together.ai/docs/fine-tuning/data-preparation, https://docs.together.ai/docs/lora-inference,
https://docs.together.ai/docs/adapter-upload, https://docs.together.ai/reference/post-fine-tunes-estimate-price,
https://docs.together.ai/reference/get-fine-tunes-id-events, https://docs.together.ai/docs/fine-tuning/pricing.

Which SDK: `together` 2.36.0 is the newest release that installs beside peri's other dependencies without
downgrading any: 2.37.0 and later (3.1.1 on 2026-12-01) cap rich<15 and filelock<4, so installing them would
move rich 15.0 -> 14.x and filelock 4.3 -> 3.x. This module's tests pass on both 2.36.0 and 3.1.1 (3.x moved
`/v1` from the base URL into each path; peri passes no base URL unless TOGETHER_BASE_URL is set). The client is built here (`make_client`) with the key from
TOGETHER_API_KEY only, and takes an injected `http_client` (httpx), so tests drive the real SDK over an
in-process transport. The SDK retries 429 and 5xx itself, honouring Retry-After.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ...errors import DatasetError
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

PROVIDER = "together"
KEY_ENV = "TOGETHER_API_KEY"
API_URL = "https://api.together.ai/v1"
SDK = "together>=2.36"
_STATUS = {"pending": "queued", "queued": "queued", "running": "running", "compressing": "running",
           "uploading": "running", "cancel_requested": "running", "cancelled": "cancelled", "error": "failed",
           "failed": "failed", "completed": "succeeded"}


def make_client(env: Mapping[str, str] | None = None, *, http_client: Any = None, max_retries: int = 2) -> Any:
    """A `together.Together` client keyed from TOGETHER_API_KEY (TOGETHER_BASE_URL overrides the URL)."""
    env = os.environ if env is None else env
    key = key_from_env(KEY_ENV, "Together AI", env)
    together = import_sdk("together", SDK, "Together AI")
    return together.Together(**client_options(key, env, "TOGETHER_BASE_URL", http_client=http_client,
                                              max_retries=max_retries))


def _field(obj: Any, name: str) -> Any:
    """A field of an SDK object, including the extra fields its pydantic models keep (forward compatibility)."""
    if obj is None:
        return None
    got = getattr(obj, name, None)
    if got is None and getattr(obj, "model_extra", None):
        got = obj.model_extra.get(name)
    return got


class TogetherFineTuner:
    """Together AI LoRA fine-tuning for one client. `consent` (or PERI_HOSTED_CONSENT=1) is needed to upload."""

    provider = PROVIDER
    key_env = KEY_ENV
    inference_base_url = API_URL

    def __init__(self, client: Any, *, consent: bool = False, env: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] | None = None, lora_r: int | None = None):
        self.client = client
        self.consent = consent
        self.env = env
        self.sleep = sleep
        self.lora_r = lora_r  # None: the base model's default rank (the SDK reads the model's limits)
        self._meta: dict[str, dict[str, str]] = {}  # Together keeps no job metadata: peri remembers its own

    def _call(self, action: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import together

        return sdk_call("Together AI", action, (together.TogetherError, ValueError), fn, *args, **kwargs)

    def validate(self, path: Path, model: str) -> list[Any]:
        from ..validate import check_file

        return check_file(path, model=model, fmt=PROVIDER)

    def estimate(self, path: Path, model: str, epochs: int | None = None, *, file_id: str | None = None) -> Estimate:
        """peri's estimate from the dated price table; with an uploaded `file_id`, also Together's own."""
        est = estimate_from_table(PROVIDER, Path(path), model, epochs or 1)
        if file_id:
            got = self._call("price estimate", self.client.fine_tuning.estimate_price, training_file=file_id,
                             model=model, n_epochs=epochs or 1,
                             training_method={"method": "sft", "train_on_inputs": "auto"})
            if _field(got, "estimation_available") and _field(got, "estimated_total_price") is not None:
                est.provider_usd = float(got.estimated_total_price)
        return est

    def upload(self, path: Path | str, *, model: str) -> str:
        """Check the file against Together's rules, then upload it (purpose fine-tune); returns the file id."""
        require_consent(self.consent, self.env)
        p = Path(path)
        check_before_upload(PROVIDER, p, model)
        from together.lib.types.error import FileTypeError

        def send() -> Any:
            try:  # the SDK checks the file again itself before sending a byte
                return self.client.files.upload(file=p, purpose="fine-tune", check=True)
            except FileTypeError as e:
                raise DatasetError(f"Together's SDK refused the file: {str(e).splitlines()[0]}", place=str(p),
                                   hint=f"run `peri dataset check {p} --provider together`") from None

        got = self._call("upload", send)
        return str(got.id)

    def create_job(self, req: JobRequest) -> HostedJob:
        kwargs: dict[str, Any] = {"training_file": req.training_file, "model": req.model, "n_epochs": req.epochs or 1,
                                  "lora": True, "training_method": "sft"}
        if self.lora_r:
            kwargs["lora_r"] = self.lora_r
        if req.validation_file:
            kwargs.update(validation_file=req.validation_file, n_evals=1)
        if req.suffix:
            kwargs["suffix"] = req.suffix
        if req.seed is not None:
            kwargs["random_seed"] = req.seed
        job = self._job(self._call("job creation", self.client.fine_tuning.create, **kwargs))
        self._meta[job.id] = dict(req.metadata)
        job.metadata = dict(req.metadata)
        return job

    def _job(self, j: Any) -> HostedJob:
        raw = str(_field(j, "status") or "pending")
        status = _STATUS.get(raw, "running")
        error = None
        if status == "failed":  # the reason is the job's last error event (the job itself has no error field)
            evs = [e for e in (_field(j, "events") or []) if not isinstance(e, str)]
            errs = [_field(e, "message") for e in evs if _field(e, "type") == "job_error" or _field(e, "level") == "error"]
            error = (errs[-1] if errs else None) or _field(j, "message") or raw
        output = _field(j, "output_name") or _field(j, "x_model_output_name") or _field(j, "model_output_name")
        updated = _field(j, "updated_at")
        return HostedJob(
            provider=PROVIDER, id=str(j.id), status=status, raw_status=raw,  # type: ignore[arg-type]
            base_model=str(_field(j, "model") or ""),
            tuned_model=(output or None) if status == "succeeded" else None,
            trained_tokens=_field(j, "token_count"), error=error,
            metadata=self._meta.get(str(j.id), {}),
            finished_at=(updated.isoformat() if hasattr(updated, "isoformat") else updated)
            if status in ("succeeded", "failed", "cancelled") else None,
            training_file=_field(j, "training_file"), validation_file=_field(j, "validation_file") or None,
        )

    def status(self, job_id: str) -> HostedJob:
        return self._job(self._call("job lookup", self.client.fine_tuning.retrieve, job_id))

    def events(self, job_id: str, *, seen: set[str] | None = None) -> list[HostedEvent]:
        """Events not in `seen`, oldest first (Together lists them oldest first; an event has no id, so
        peri keys it by its hash when present, else its time, type and message)."""
        seen = seen if seen is not None else set()
        got = self._call("event listing", self.client.fine_tuning.list_events, job_id)
        out = []
        for e in got.data:
            msg = _field(e, "message") or _field(e, "type") or ""
            eid = str(_field(e, "hash") or f"{_field(e, 'created_at')}|{_field(e, 'type')}|{msg}")
            if eid in seen:
                continue
            seen.add(eid)
            out.append(HostedEvent(id=eid, created_at=_field(e, "created_at"), level=str(_field(e, "level") or "info"),
                                   message=str(msg)))
        return out

    def follow(self, job_id: str, *, poll_s: float = 10.0, max_polls: int | None = None) -> Iterator[HostedEvent]:
        return follow_job(self, job_id, poll_s=poll_s, max_polls=max_polls, sleep=self.sleep)

    def cancel(self, job_id: str) -> HostedJob:
        return self._job(self._call("cancel", self.client.fine_tuning.cancel, job_id))

    def inference_model(self, job: HostedJob) -> str:
        return job.tuned_model or ""


def build(env: Mapping[str, str] | None = None, *, consent: bool = False, http_client: Any = None,
          sleep: Callable[[float], None] | None = None) -> TogetherFineTuner:
    """The registry's factory: a tuner keyed from TOGETHER_API_KEY."""
    return TogetherFineTuner(make_client(env, http_client=http_client), consent=consent, env=env, sleep=sleep)
