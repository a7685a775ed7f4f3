"""What every hosted tuner shares: the `HostedTuner` protocol, the job and event shapes peri sees whatever
the provider, consent, keys, availability on a date, the providers' SDKs (imported lazily, errors redacted),
and registering the result as `ft:NAME`.

A training file holds health data (loads, pain notes, injuries), so nothing is uploaded without the person's
explicit consent: `--i-consent-to-send-health-data` or PERI_HOSTED_CONSENT=1, the same for every provider.
A hosted provider is reached only when the person names it (`peri finetune PROVIDER`); nothing else in peri
sends the dataset anywhere. Each provider's key comes from its own environment variable only (the price
table's `key_env`), goes into the Authorization header and nowhere else: stores, logs, exports and error
messages pass through `peri.redact`.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from ...errors import ConfigError, DatasetError, TrainingError
from ...log.store import RegisteredModel, Store
from ...redact import redact, redact_obj

CONSENT_ENV = "PERI_HOSTED_CONSENT"
CONSENT_FLAG = "--i-consent-to-send-health-data"
HEALTH_DATA_WARNING = (
    "This dataset holds health data (training loads, effort, pain and injury notes). Sending it to a hosted "
    "provider hands it to a third party under that provider's terms. Use --redact to strip names, dates and "
    "free-text notes first."
)
Status = Literal["queued", "running", "succeeded", "failed", "cancelled"]
TERMINAL: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})


def has_consent(flag: bool = False, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(flag) or env.get(CONSENT_ENV, "").strip() == "1"


def require_consent(flag: bool = False, env: Mapping[str, str] | None = None) -> None:
    """Raise ConfigError unless the person consented to sending health data to a hosted provider."""
    if not has_consent(flag, env):
        raise ConfigError(
            "refusing to send health data to a hosted provider without explicit consent",
            hint=f"pass {CONSENT_FLAG} (or set {CONSENT_ENV}=1); export with --redact first to strip names, "
            "dates and free-text notes",
        )


def key_from_env(var: str, provider: str, env: Mapping[str, str] | None = None) -> str:
    """The provider's key from its one environment variable, or a ConfigError naming the variable."""
    env = os.environ if env is None else env
    key = (env.get(var) or "").strip()
    if not key:
        raise ConfigError(f"{var} is not set", hint=f"export {var}=... ({provider}'s key; peri never stores it)")
    return key


class HostedEvent(BaseModel):
    """One line of a job's progress, as the provider reported it."""

    id: str
    created_at: str | int | None = None
    level: str = "info"
    message: str


class HostedJob(BaseModel):
    """A fine-tuning job, the same shape for every provider. `status` is peri's; `raw_status` the provider's."""

    provider: str
    id: str
    status: Status
    raw_status: str
    base_model: str
    tuned_model: str | None = None  # the name inference takes, once the job has succeeded
    trained_tokens: int | None = None
    error: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    finished_at: str | int | None = None
    training_file: str | None = None
    validation_file: str | None = None

    @property
    def done(self) -> bool:
        return self.status in TERMINAL


class Estimate(BaseModel):
    """What a job would cost before it starts: peri's own estimate from the dated price table, plus the
    provider's when it offers one (Together's estimate-price endpoint)."""

    provider: str
    model: str
    examples: int
    billable_tokens: int
    epochs: int
    usd: float
    price_per_million: float
    price_date: str
    price_source: str
    provider_usd: float | None = None


class JobRequest(BaseModel):
    """Everything `create_job` needs, provider-neutral."""

    training_file: str
    model: str
    validation_file: str | None = None
    epochs: int | None = None
    suffix: str | None = None
    seed: int | None = None
    metadata: dict[str, str] = Field(default_factory=dict)


@runtime_checkable
class HostedTuner(Protocol):
    """One hosted fine-tuning provider. Every member checks the file against the provider's documented rules
    before any upload (`validate`), refuses to upload without consent, and reports jobs as `HostedJob`."""

    provider: str
    key_env: str
    inference_base_url: str

    def validate(self, path: Path, model: str) -> list[Any]: ...
    def estimate(self, path: Path, model: str, epochs: int | None = None, *, file_id: str | None = None) -> Estimate: ...
    def upload(self, path: Path | str, *, model: str) -> str: ...
    def create_job(self, req: JobRequest) -> HostedJob: ...
    def status(self, job_id: str) -> HostedJob: ...
    def events(self, job_id: str, *, seen: set[str] | None = None) -> list[HostedEvent]: ...
    def follow(self, job_id: str, *, poll_s: float = 10.0, max_polls: int | None = None) -> Iterator[HostedEvent]: ...
    def cancel(self, job_id: str) -> HostedJob: ...
    def inference_model(self, job: HostedJob) -> str: ...


def check_before_upload(provider: str, path: Path, model: str) -> None:
    """A malformed dataset is refused here, before anything leaves the machine: every problem has its line."""
    from ..validate import check_file

    problems = check_file(path, model=model, fmt=provider)
    if problems:
        first = problems[0]
        raise DatasetError(
            f"{len(problems)} problem(s) in the file for {provider}, first: {first.kind}: {first.message}",
            place=f"{path}:{first.line}" if first.line else str(path),
            hint=f"run `peri dataset check {path} --provider {provider}`",
        )


def estimate_from_table(provider: str, path: Path, model: str, epochs: int | None = None) -> Estimate:
    """Peri's estimate for a training file: the same `training_estimate` that `peri dataset build` and
    `peri decide` use, over this file's examples."""
    import json

    from ..dataset import training_estimate

    messages = [json.loads(line)["messages"] for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    est = training_estimate(messages, model, epochs)
    return Estimate(provider=provider, model=model, examples=est.examples, billable_tokens=est.billable_tokens,
                    epochs=est.epochs, usd=est.usd, price_per_million=est.price_per_million,
                    price_date=est.price_date, price_source=est.price_source)


def follow_job(tuner: Any, job_id: str, *, poll_s: float, max_polls: int | None,
               sleep: Callable[[float], None] | None) -> Iterator[HostedEvent]:
    """Yield a job's new events until it succeeds, fails or is cancelled (shared by every provider)."""
    seen: set[str] = set()
    polls = 0
    while True:
        yield from tuner.events(job_id, seen=seen)
        job = tuner.status(job_id)
        if job.done:
            yield from tuner.events(job_id, seen=seen)  # the last events arrive with the status change
            return
        polls += 1
        if max_polls is not None and polls >= max_polls:
            return
        (sleep or time.sleep)(poll_s)


def client_options(key: str, env: Mapping[str, str], base_url_var: str, *, http_client: Any = None,
                   max_retries: int = 2, **extra: Any) -> dict[str, Any]:
    """The keyword arguments every provider SDK client takes alike: the key, retries, the base URL when
    `base_url_var` is set in `env`, and an injected httpx client (the tests' in-process transport)."""
    kwargs: dict[str, Any] = {"api_key": key, **extra, "max_retries": max_retries}
    if env.get(base_url_var):
        kwargs["base_url"] = env[base_url_var]
    if http_client is not None:
        kwargs["http_client"] = http_client
    return kwargs


def import_sdk(module: str, package: str, provider: str) -> Any:
    """The provider's SDK, imported only when that provider is used; a ConfigError naming the extra when it is
    missing (the SDKs are optional: `pip install 'peri[hosted]'`)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(f"{provider}'s SDK ({package}) is not installed",
                          hint=f"pip install 'peri[hosted]' (or pip install '{package}')") from None


def sdk_call(provider: str, action: str, errors: tuple[type[BaseException], ...], fn: Callable[..., Any],
             *args: Any, **kwargs: Any) -> Any:
    """Call one SDK method; its errors (after the SDK's own retries on 429/5xx, which honour Retry-After)
    become a TrainingError naming the HTTP status, redacted so an echoed key never reaches a message."""
    try:
        return fn(*args, **kwargs)
    except errors as e:
        status = getattr(e, "status_code", None)
        msg = redact(str(getattr(e, "message", None) or e))[:300]
        raise TrainingError(f"{provider} {action} failed{f' (HTTP {status})' if status else ''}: {msg}",
                            hint=f"check {provider}'s key, the model name and your account's fine-tuning access") from None


def register_job(store: Store, job: HostedJob, tuner: Any, name: str | None = None) -> RegisteredModel:
    """Register a succeeded job's model as `ft:NAME`, served through the provider's OpenAI-compatible endpoint
    (`peri.backends.registry` reads `base_url`, `key_env` and `model` from the meta)."""
    if job.status != "succeeded" or not job.tuned_model:
        detail = f": {job.error}" if job.error else ""
        raise TrainingError(f"job {job.id} is {job.raw_status}, no model to register{detail}",
                            hint=f"`peri finetune status {job.id} --provider {job.provider}` registers it once it has succeeded")
    model_id = tuner.inference_model(job)
    # OpenAI's fine-tunes are served by the OpenAI backend itself; the others by the OpenAI-compatible one
    spec = f"openai:{model_id}" if job.provider == "openai" else f"openai-compatible:{tuner.inference_base_url}#{model_id}"
    from ...prices import load_prices

    entry = load_prices().get(job.base_model)
    meta = redact_obj({
        "provider": job.provider, "model": model_id, "base_model": job.base_model, "job_id": job.id,
        "base_url": tuner.inference_base_url, "key_env": tuner.key_env, "spec": spec,
        "serving": entry.serving if entry else "serverless",
        "training_file": job.training_file, "validation_file": job.validation_file,
        "trained_tokens": job.trained_tokens, "finished_at": job.finished_at,
        "athlete": job.metadata.get("peri_athlete"), "dataset_hash": job.metadata.get("peri_dataset"),
    })  # nothing that changes between registrations: the evaluation cache keys on this record
    reg = RegisteredModel(name=name or default_name(job), kind=job.provider, meta=meta)
    store.register_model(reg)
    return reg


def default_name(job: HostedJob) -> str:
    """`peri_name` from the job's metadata when the provider keeps it, else the job id."""
    return job.metadata.get("peri_name") or job.id
