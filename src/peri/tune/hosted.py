"""Hosted fine-tuning on OpenAI through the official SDK: upload, create the job, follow it, cancel, register.

A training file holds health data (loads, pain notes, injuries), so nothing is uploaded without the
user's explicit consent: the `--i-consent-to-send-health-data` flag or PERI_HOSTED_CONSENT=1. The API
key comes from OPENAI_API_KEY only and is handed to the SDK, never written to the store, datasets or logs.

The client is injected (`OpenAIFineTuner(client)`), so tests drive the real SDK over an in-process
transport and check the exact requests it sends; there is no simulated success path here.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DatasetError, TrainingError
from ..log.store import RegisteredModel, Store

CONSENT_ENV = "PERI_HOSTED_CONSENT"
CONSENT_FLAG = "--i-consent-to-send-health-data"
TERMINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled"})
HEALTH_DATA_WARNING = (
    "This dataset holds health data (training loads, effort, pain and injury notes). Sending it to a hosted "
    "provider hands it to a third party under that provider's terms. Use --redact to strip names, dates and "
    "free-text notes first."
)


def has_consent(flag: bool = False, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(flag) or env.get(CONSENT_ENV, "").strip() == "1"


def require_consent(flag: bool = False, env: Mapping[str, str] | None = None) -> None:
    """Raise ConfigError unless the user consented to sending health data to a hosted provider."""
    if not has_consent(flag, env):
        raise ConfigError(
            "refusing to send health data to a hosted provider without explicit consent",
            hint=f"pass {CONSENT_FLAG} (or set {CONSENT_ENV}=1); export with --redact first to strip names, "
            "dates and free-text notes",
        )


def make_client(env: Mapping[str, str] | None = None, *, http_client: Any = None) -> Any:
    """An `openai.OpenAI` client keyed from OPENAI_API_KEY (and OPENAI_BASE_URL when set), nothing else."""
    env = os.environ if env is None else env
    key = env.get("OPENAI_API_KEY", "").strip()
    if not key:
        raise ConfigError("OPENAI_API_KEY is not set", hint="export OPENAI_API_KEY=... (peri never stores it)")
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a declared dependency
        raise ConfigError("the openai package is not installed", hint="pip install openai") from None
    kwargs: dict[str, Any] = {"api_key": key, "max_retries": 2}
    if env.get("OPENAI_BASE_URL"):
        kwargs["base_url"] = env["OPENAI_BASE_URL"]
    if http_client is not None:
        kwargs["http_client"] = http_client
    return openai.OpenAI(**kwargs)


def _api_error(action: str, e: Exception) -> TrainingError:
    status = getattr(e, "status_code", None)
    msg = getattr(e, "message", None) or str(e)
    return TrainingError(f"OpenAI {action} failed{f' (HTTP {status})' if status else ''}: {msg}",
                         hint="check OPENAI_API_KEY, the model name and your organisation's fine-tuning access")


class OpenAIFineTuner:
    """OpenAI fine-tuning jobs for one client. `consent` (or PERI_HOSTED_CONSENT=1) is needed to upload."""

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

    def upload(self, path: Path | str, *, model: str = "gpt-4o-mini") -> str:
        """Check the file against OpenAI's rules, then upload it with purpose=fine-tune; returns the file id."""
        require_consent(self.consent, self.env)
        from .validate import check_file

        p = Path(path)
        problems = check_file(p, model=model)
        if problems:
            first = problems[0]
            raise DatasetError(
                f"{len(problems)} problem(s) in the file, first: {first.kind}: {first.message}",
                place=f"{p}:{first.line}" if first.line else str(p), hint=f"run `peri dataset check {p}`",
            )
        f = self._call("upload", self.client.files.create, file=(p.name, p.read_bytes(), "application/jsonl"),
                       purpose="fine-tune")
        return f.id

    def create_job(
        self, file_id: str, model: str = "gpt-4o-mini", val_file_id: str | None = None, *,
        hyperparameters: Mapping[str, Any] | None = None, suffix: str | None = None, seed: int | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> Any:
        """Start a supervised fine-tuning job; hyperparameters (n_epochs, batch_size, learning_rate_multiplier)
        go under `method`, as the API now expects."""
        supervised: dict[str, Any] = {}
        if hyperparameters:
            supervised["hyperparameters"] = dict(hyperparameters)
        kwargs: dict[str, Any] = {
            "model": model, "training_file": file_id, "method": {"type": "supervised", "supervised": supervised},
        }
        if val_file_id:
            kwargs["validation_file"] = val_file_id
        if suffix:
            kwargs["suffix"] = suffix
        if seed is not None:
            kwargs["seed"] = seed
        if metadata:
            kwargs["metadata"] = dict(metadata)
        return self._call("job creation", self.client.fine_tuning.jobs.create, **kwargs)

    def status(self, job_id: str) -> Any:
        """The job as OpenAI reports it now."""
        return self._call("job lookup", self.client.fine_tuning.jobs.retrieve, job_id)

    def events(self, job_id: str, *, seen: set[str] | None = None) -> list[Any]:
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
        return new

    def follow(self, job_id: str, *, poll_s: float = 10.0, max_polls: int | None = None) -> Iterator[Any]:
        """Yield the job's events in order as they appear, until the job succeeds, fails or is cancelled."""
        seen: set[str] = set()
        polls = 0
        while True:
            yield from self.events(job_id, seen=seen)
            job = self.status(job_id)
            if job.status in TERMINAL_STATUSES:
                yield from self.events(job_id, seen=seen)  # the final events arrive with the status change
                return
            polls += 1
            if max_polls is not None and polls >= max_polls:
                return
            (self.sleep or time.sleep)(poll_s)

    def cancel(self, job_id: str) -> Any:
        return self._call("cancel", self.client.fine_tuning.jobs.cancel, job_id)


def default_model_name(job: Any) -> str:
    """`peri_name` from the job's metadata, else the suffix inside the model id, else the job id."""
    meta = getattr(job, "metadata", None) or {}
    if meta.get("peri_name"):
        return str(meta["peri_name"])
    # ft:gpt-4o-mini-2024-07-18:org:SUFFIX:id
    parts = (job.fine_tuned_model or "").split(":")
    if len(parts) >= 5 and parts[3]:
        return parts[3]
    return str(job.id)


def register_result(store: Store, job: Any, name: str | None = None) -> RegisteredModel:
    """Register a succeeded job's model so `peri plan --model ft:NAME` reaches it through the OpenAI backend."""
    if job.status != "succeeded" or not job.fine_tuned_model:
        detail = f": {job.error.message}" if getattr(job, "error", None) else ""
        raise TrainingError(f"job {job.id} is {job.status}, no model to register{detail}",
                            hint=f"`peri finetune status {job.id}` registers it once it has succeeded")
    meta = getattr(job, "metadata", None) or {}
    model = RegisteredModel(
        name=name or default_model_name(job),
        kind="openai",
        meta={
            "model": job.fine_tuned_model,
            "spec": f"openai:{job.fine_tuned_model}",
            "base_model": job.model,
            "job_id": job.id,
            "training_file": job.training_file,
            "validation_file": job.validation_file,
            "trained_tokens": job.trained_tokens,
            "finished_at": job.finished_at,
            "athlete": meta.get("peri_athlete"),
            "dataset_hash": meta.get("peri_dataset"),
        },
    )
    store.register_model(model)
    return model
