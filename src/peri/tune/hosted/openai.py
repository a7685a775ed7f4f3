"""OpenAI as a hosted tuner, through the official SDK: upload, create the job, follow it, cancel, register.

OpenAI is closing self-serve fine-tuning (its deprecations page, notice of 2026-05-07): organisations that
never fine-tuned lost job creation on 2026-05-07, organisations without fine-tuned inference in the past 60
days on 2026-07-02, and from 2027-01-06 no one can create new jobs; inference on a fine-tune continues until
its base model retires. Those dates are data (`data/prices.yaml`, provider `openai`), and
`peri.tune.hosted.start_job` refuses a job on a date they rule out, naming the providers that remain.

Rules checked before upload (`data/hosted_providers.yaml`): chat JSONL, at least 10 examples (50 suggested),
65,536 tokens per example for gpt-4o-mini / gpt-4.1* (16,385 for gpt-3.5-turbo). Pages read:
- https://developers.openai.com/docs/guides/distillation (seen 2026-12-01)
- https://developers.openai.com/api/reference/python/resources/fine_tuning/subresources/jobs/methods/list_events (seen 2026-12-01)
- https://techscurrent.com/2026/07/openai-fine-tuning-cutoff-migration-clock/ and
  https://wpnews.pro/news/openai-enacts-new-self-serve-fine-tuning-restrictions-effective-july-2-2026.md
  (both quote the deprecations page; seen 2026-12-01)

The client is injected (`OpenAIFineTuner(client)`), so tests drive the real SDK over an in-process
transport and check the exact requests it sends.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ...errors import ConfigError, TrainingError
from .base import (
    client_options,
    Estimate,
    HostedEvent,
    HostedJob,
    JobRequest,
    check_before_upload,
    estimate_from_table,
    follow_job,
    key_from_env,
    require_consent,
)

PROVIDER = "openai"
KEY_ENV = "OPENAI_API_KEY"
INFERENCE_URL = "https://api.openai.com/v1"
_STATUS = {"validating_files": "queued", "queued": "queued", "running": "running", "succeeded": "succeeded",
           "failed": "failed", "cancelled": "cancelled"}


def make_client(env: Mapping[str, str] | None = None, *, http_client: Any = None, max_retries: int = 2) -> Any:
    """An `openai.OpenAI` client keyed from OPENAI_API_KEY (and OPENAI_BASE_URL when set), nothing else.
    The SDK retries 429 and 5xx answers itself (`max_retries`), honouring Retry-After."""
    env = os.environ if env is None else env
    key = key_from_env(KEY_ENV, "OpenAI", env)
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a declared dependency
        raise ConfigError("the openai package is not installed", hint="pip install openai") from None
    return openai.OpenAI(**client_options(key, env, "OPENAI_BASE_URL", http_client=http_client, max_retries=max_retries))


def _api_error(action: str, e: Exception) -> TrainingError:
    from ...redact import redact

    status = getattr(e, "status_code", None)
    msg = redact(getattr(e, "message", None) or str(e))
    return TrainingError(f"OpenAI {action} failed{f' (HTTP {status})' if status else ''}: {msg}",
                         hint="check OPENAI_API_KEY, the model name and your organisation's fine-tuning access")


def to_job(job: Any) -> HostedJob:
    """The SDK's job as peri's `HostedJob`."""
    err = getattr(job, "error", None)
    return HostedJob(
        provider=PROVIDER, id=job.id, status=_STATUS.get(job.status, "running"), raw_status=job.status,  # type: ignore[arg-type]
        base_model=job.model, tuned_model=job.fine_tuned_model, trained_tokens=job.trained_tokens,
        error=(f"{err.code}: {err.message}" if err and getattr(err, "message", None) else None),
        metadata=dict(getattr(job, "metadata", None) or {}), finished_at=job.finished_at,
        training_file=job.training_file, validation_file=job.validation_file,
    )


class OpenAIFineTuner:
    """OpenAI fine-tuning jobs for one client. `consent` (or PERI_HOSTED_CONSENT=1) is needed to upload."""

    provider = PROVIDER
    key_env = KEY_ENV
    inference_base_url = INFERENCE_URL

    def __init__(self, client: Any, *, consent: bool = False, env: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] | None = None):
        self.client = client
        self.consent = consent
        self.env = env
        self.sleep = sleep

    def _call(self, action: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import openai

        try:
            return fn(*args, **kwargs)
        except openai.APIError as e:
            raise _api_error(action, e) from e

    def validate(self, path: Path, model: str) -> list[Any]:
        from ..validate import check_file

        return check_file(path, model=model, fmt="openai")

    def estimate(self, path: Path, model: str, epochs: int | None = None, *, file_id: str | None = None) -> Estimate:
        """peri's estimate from the dated price table (OpenAI offers no estimate endpoint)."""
        return estimate_from_table(PROVIDER, Path(path), model, epochs)

    def upload(self, path: Path | str, *, model: str = "gpt-4o-mini") -> str:
        """Check the file against OpenAI's rules, then upload it with purpose=fine-tune; returns the file id."""
        require_consent(self.consent, self.env)
        p = Path(path)
        check_before_upload(PROVIDER, p, model)
        f = self._call("upload", self.client.files.create, file=(p.name, p.read_bytes(), "application/jsonl"),
                       purpose="fine-tune")
        return f.id

    def create_job(self, req: JobRequest) -> HostedJob:
        """Start a supervised job; hyperparameters go under `method`, as the API now expects."""
        supervised: dict[str, Any] = {}
        if req.epochs:
            supervised["hyperparameters"] = {"n_epochs": req.epochs}
        kwargs: dict[str, Any] = {
            "model": req.model, "training_file": req.training_file,
            "method": {"type": "supervised", "supervised": supervised},
        }
        if req.validation_file:
            kwargs["validation_file"] = req.validation_file
        if req.suffix:
            kwargs["suffix"] = req.suffix
        if req.seed is not None:
            kwargs["seed"] = req.seed
        if req.metadata:
            kwargs["metadata"] = dict(req.metadata)
        return to_job(self._call("job creation", self.client.fine_tuning.jobs.create, **kwargs))

    def status(self, job_id: str) -> HostedJob:
        return to_job(self._call("job lookup", self.client.fine_tuning.jobs.retrieve, job_id))

    def events(self, job_id: str, *, seen: set[str] | None = None) -> list[HostedEvent]:
        """Events not in `seen`, oldest first. The API lists newest first, paged with `after`; paging
        stops at the first already-seen event."""
        seen = seen if seen is not None else set()
        new: list[Any] = []
        page = self._call("event listing", self.client.fine_tuning.jobs.list_events, job_id, limit=50)
        while True:
            stop = False
            for ev in page.data:
                if ev.id in seen:
                    stop = True
                    break
                new.append(ev)
            if stop or not page.has_next_page():
                break
            page = self._call("event listing", page.get_next_page)
        new.reverse()
        seen.update(ev.id for ev in new)
        return [HostedEvent(id=e.id, created_at=e.created_at, level=e.level, message=e.message) for e in new]

    def follow(self, job_id: str, *, poll_s: float = 10.0, max_polls: int | None = None) -> Iterator[HostedEvent]:
        """Yield the job's events in order as they appear, until it succeeds, fails or is cancelled."""
        return follow_job(self, job_id, poll_s=poll_s, max_polls=max_polls, sleep=self.sleep)

    def cancel(self, job_id: str) -> HostedJob:
        return to_job(self._call("cancel", self.client.fine_tuning.jobs.cancel, job_id))

    def inference_model(self, job: HostedJob) -> str:
        return job.tuned_model or ""


def build(env: Mapping[str, str] | None = None, *, consent: bool = False, http_client: Any = None,
          sleep: Callable[[float], None] | None = None) -> OpenAIFineTuner:
    """The registry's factory: a tuner keyed from the environment."""
    return OpenAIFineTuner(make_client(env, http_client=http_client), consent=consent, env=env, sleep=sleep)
