"""Together AI as a hosted tuner, over its documented REST API (LoRA supervised fine-tuning).

What the docs say (pages below, seen 2026-12-01):
- dataset: JSONL, conversational form `{"messages": [...]}` with roles system/user/assistant; the
  conversation starts with system or user and then alternates user and assistant; a file mixing forms is
  rejected; files up to 100 GB; no minimum number of examples is documented (peri needs one);
- jobs: `POST /v1/files/upload` (multipart, purpose fine-tune), `POST /v1/fine-tunes/estimate-price`,
  `POST /v1/fine-tunes` (training_type Lora is the default), `GET /v1/fine-tunes/{id}`,
  `GET /v1/fine-tunes/{id}/events`, `POST /v1/fine-tunes/{id}/cancel`; statuses pending, queued, running,
  compressing, uploading, cancel_requested, cancelled, error, completed;
- serving: a LoRA fine-tune of a listed base model (Meta-Llama-3.1-8B-Instruct-Reference, 70B-Reference,
  Qwen2.5-72B-Instruct, ...) is served serverless through the OpenAI-compatible endpoint
  `https://api.together.xyz/v1` with `model` = the job's `output_name`, at the base model's price; other
  bases need a dedicated endpoint billed per minute;
- price: tokens processed (epochs x training tokens + evals x validation tokens) x the per-1M rate of the
  model-size bracket, no minimum charge (`data/prices.yaml` has the figures with dates).
Pages: https://docs.together.ai/docs/fine-tuning/data-preparation, https://docs.together.ai/docs/lora-inference,
https://docs.together.ai/docs/adapter-upload, https://docs.together.ai/reference/post-fine-tunes-estimate-price,
https://docs.together.ai/reference/get-fine-tunes-id-events, https://docs.together.ai/docs/fine-tuning/pricing.

Why REST and not the `together` SDK: `pip install --dry-run together` (3.1.1) would downgrade rich
(15.0 -> 14.3) and filelock (4.3 -> 3.32), which peri's other code uses. The client here is ~40 lines
over httpx2 (already installed with the openai SDK), retries 429/5xx with Retry-After, and tests drive it
through an in-process transport that answers as the documented API does.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

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

PROVIDER = "together"
KEY_ENV = "TOGETHER_API_KEY"
API_URL = "https://api.together.xyz/v1"
_STATUS = {"pending": "queued", "queued": "queued", "running": "running", "compressing": "running",
           "uploading": "running", "cancel_requested": "running", "cancelled": "cancelled", "error": "failed",
           "failed": "failed", "completed": "succeeded"}


class TogetherFineTuner:
    """Together AI LoRA fine-tuning for one key. `consent` (or PERI_HOSTED_CONSENT=1) is needed to upload."""

    provider = PROVIDER
    key_env = KEY_ENV
    inference_base_url = API_URL

    def __init__(self, client: RestClient, *, consent: bool = False, env: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] | None = None, lora_r: int = 8):
        self.client = client
        self.consent = consent
        self.env = env
        self.sleep = sleep
        self.lora_r = lora_r
        self._meta: dict[str, dict[str, str]] = {}  # Together keeps no job metadata: peri remembers its own

    def validate(self, path: Path, model: str) -> list[Any]:
        from ..validate import check_file

        return check_file(path, model=model, fmt=PROVIDER)

    def _body(self, file_id: str, model: str, epochs: int | None) -> dict[str, Any]:
        return {"training_file": file_id, "model": model, "n_epochs": epochs or 1,
                "training_method": {"method": "sft"}, "training_type": {"type": "Lora", "lora_r": self.lora_r}}

    def estimate(self, path: Path, model: str, epochs: int | None = None, *, file_id: str | None = None) -> Estimate:
        """peri's estimate from the dated price table; with an uploaded `file_id`, also Together's own."""
        est = estimate_from_table(PROVIDER, Path(path), model, epochs or 1)
        if file_id:
            got = self.client.request("POST", "/fine-tunes/estimate-price", "price estimate",
                                      json=self._body(file_id, model, epochs))
            if got.get("estimation_available", True) and got.get("estimated_total_price") is not None:
                est.provider_usd = float(got["estimated_total_price"])
        return est

    def upload(self, path: Path | str, *, model: str) -> str:
        """Check the file against Together's rules, then upload it (purpose fine-tune); returns the file id."""
        require_consent(self.consent, self.env)
        p = Path(path)
        check_before_upload(PROVIDER, p, model)
        got = self.client.request("POST", "/files/upload", "upload",
                                  data={"purpose": "fine-tune", "file_name": p.name},
                                  files={"file": (p.name, p.read_bytes(), "application/jsonl")})
        return str(got["id"])

    def create_job(self, req: JobRequest) -> HostedJob:
        body = self._body(req.training_file, req.model, req.epochs)
        if req.validation_file:
            body.update(validation_file=req.validation_file, n_evals=1)
        if req.suffix:
            body["suffix"] = req.suffix
        if req.seed is not None:
            body["random_seed"] = req.seed
        job = self._job(self.client.request("POST", "/fine-tunes", "job creation", json=body))
        self._meta[job.id] = dict(req.metadata)
        job.metadata = dict(req.metadata)
        return job

    def _job(self, j: dict[str, Any]) -> HostedJob:
        raw = str(j.get("status", "pending"))
        status = _STATUS.get(raw, "running")
        return HostedJob(
            provider=PROVIDER, id=str(j["id"]), status=status, raw_status=raw,  # type: ignore[arg-type]
            base_model=str(j.get("model", "")),
            tuned_model=(j.get("output_name") or None) if status == "succeeded" else None,
            trained_tokens=j.get("token_count") or j.get("total_tokens"),
            error=(j.get("error") or j.get("message")) if status == "failed" else None,
            metadata=self._meta.get(str(j["id"]), {}), finished_at=j.get("updated_at") if status in ("succeeded", "failed", "cancelled") else None,
            training_file=j.get("training_file"), validation_file=j.get("validation_file") or None,
        )

    def status(self, job_id: str) -> HostedJob:
        return self._job(self.client.request("GET", f"/fine-tunes/{job_id}", "job lookup"))

    def events(self, job_id: str, *, seen: set[str] | None = None) -> list[HostedEvent]:
        """Events not in `seen`, oldest first (Together lists them oldest first; an event has no id, so
        peri keys it by its hash when present, else its time and message)."""
        seen = seen if seen is not None else set()
        got = self.client.request("GET", f"/fine-tunes/{job_id}/events", "event listing")
        out = []
        for e in got.get("data", []):
            eid = str(e.get("hash") or f"{e.get('created_at')}|{e.get('message')}")
            if eid in seen:
                continue
            seen.add(eid)
            out.append(HostedEvent(id=eid, created_at=e.get("created_at"), level=str(e.get("level") or "info"),
                                   message=str(e.get("message") or e.get("type") or "")))
        return out

    def follow(self, job_id: str, *, poll_s: float = 10.0, max_polls: int | None = None) -> Iterator[HostedEvent]:
        return follow_job(self, job_id, poll_s=poll_s, max_polls=max_polls, sleep=self.sleep)

    def cancel(self, job_id: str) -> HostedJob:
        return self._job(self.client.request("POST", f"/fine-tunes/{job_id}/cancel", "cancel"))

    def inference_model(self, job: HostedJob) -> str:
        return job.tuned_model or ""


def build(env: Mapping[str, str] | None = None, *, consent: bool = False, http_client: Any = None,
          sleep: Callable[[float], None] | None = None) -> TogetherFineTuner:
    """The registry's factory: a tuner keyed from TOGETHER_API_KEY (TOGETHER_BASE_URL overrides the URL)."""
    env = os.environ if env is None else env
    key = key_from_env(KEY_ENV, "Together AI", env)
    client = RestClient(env.get("TOGETHER_BASE_URL") or API_URL, key, "Together AI", http_client=http_client, sleep=sleep)
    return TogetherFineTuner(client, consent=consent, env=env, sleep=sleep)
