"""Hosted fine-tuning as a family of providers, registered in one place (like the log importers).

Every member implements `HostedTuner` (`base.py`): validate the file against the provider's documented
rules, estimate the cost, upload (only with consent), create the job, follow it, cancel it, and name the
tuned model for inference through the provider's OpenAI-compatible endpoint; `register_job` then makes it
`ft:NAME`. Members: `openai`, `together` and `fireworks`, each through its official SDK (the last two in
the optional `hosted` extra). A provider is contacted only when the person names it (`peri finetune PROVIDER`).

`start_job` is the one workflow the CLI calls: availability on the day (the dated price table), consent,
export of the built dataset (optionally redacted) to a temporary folder, checks, upload, job, following,
registration.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ...artefacts import BUILD_FILE, load_build_info_file
from ...errors import ConfigError
from ...log.store import RegisteredModel, Store
from . import fireworks, openai, together
from .base import (
    CONSENT_ENV,
    CONSENT_FLAG,
    HEALTH_DATA_WARNING,
    TERMINAL,
    Estimate,
    HostedEvent,
    HostedJob,
    HostedTuner,
    JobRequest,
    default_name,
    has_consent,
    register_job,
    require_consent,
)
from .openai import OpenAIFineTuner, make_client

__all__ = [
    "CONSENT_ENV",
    "CONSENT_FLAG",
    "DEFAULT_MODELS",
    "Estimate",
    "HEALTH_DATA_WARNING",
    "HostedEvent",
    "HostedJob",
    "HostedTuner",
    "JobRequest",
    "OpenAIFineTuner",
    "StartResult",
    "TERMINAL",
    "TUNERS",
    "cancel_job",
    "check_available",
    "default_model_name",
    "default_name",
    "get_tuner",
    "has_consent",
    "job_status",
    "make_client",
    "register_job",
    "register_result",
    "require_consent",
    "start_job",
]

# provider -> factory(env, consent=, http_client=, sleep=) -> HostedTuner. The one place members are listed.
TUNERS: dict[str, Callable[..., Any]] = {
    "openai": openai.build,
    "together": together.build,
    "fireworks": fireworks.build,
}
# the base model each provider tunes when the person names none (serverless-served where the provider can)
DEFAULT_MODELS: dict[str, str] = {
    "openai": "gpt-4o-mini",
    "together": "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
    "fireworks": "accounts/fireworks/models/llama-v3p1-8b-instruct",
}


def get_tuner(provider: str, *, env: Mapping[str, str] | None = None, consent: bool = False,
              http_client: Any = None, sleep: Callable[[float], None] | None = None) -> Any:
    """The tuner for `provider`, keyed from that provider's environment variable only."""
    if provider not in TUNERS:
        raise ConfigError(f"unknown hosted provider {provider!r}", place="provider", hint=f"use one of: {', '.join(TUNERS)}")
    return TUNERS[provider](env, consent=consent, http_client=http_client, sleep=sleep)


def check_available(provider: str, model: str, today: dt.date | None = None) -> list[str]:
    """Refuse (ConfigError naming the end date and the providers that remain) a job the dated price table
    rules out on `today`; return the warnings for one it allows only under a condition."""
    from ...prices import load_prices

    table = load_prices()
    today = today or dt.date.today()
    entry = table.get(model)
    if entry is None:
        raise ConfigError(f"{model!r} has no entry in the price table", place="--model",
                          hint=f"{provider}'s default is {DEFAULT_MODELS.get(provider)}; add others to PERI_HOME/prices.yaml")
    if entry.provider != provider:
        raise ConfigError(f"{model} is tuned by {entry.provider}, not {provider}", place="--model",
                          hint=f"run `peri finetune {entry.provider}`, or use {DEFAULT_MODELS.get(provider)}")
    av = table.tuning(model, today, prior_usage=True)
    if not av.available:
        others = [a for a in table.tuning_options(today) if a.provider != provider]
        remain = ", ".join(f"{a.provider} ({a.model}, {a.serving})" for a in others) or "none hosted; `peri finetune local`"
        raise ConfigError(f"{provider} fine-tuning is not available on {today}: {av.reason}",
                          hint=f"providers that remain: {remain}; or `peri finetune local`")
    warnings = []
    if av.condition:
        warnings.append(f"{provider}: {av.condition}; the provider refuses the job otherwise")
    if av.serving == "deployment":
        warnings.append(f"{provider} serves this fine-tune only on a dedicated deployment billed per GPU-hour, "
                        "not per token: deploy it before calling ft:NAME")
    warnings += av.ends_within(today, 52)
    return warnings


class StartResult(BaseModel):
    job: HostedJob
    registered: str | None = None  # the ft: name, when the job succeeded while followed
    train_file: str
    validation_file: str | None = None
    estimate: Estimate | None = None
    warnings: list[str] = Field(default_factory=list)


def start_job(
    store_opener: Callable[[], Store], provider: str, athlete: str, *, model: str | None = None,
    name: str | None = None, suffix: str | None = None, epochs: int | None = None, redact: bool = False,
    consent: bool = False, follow: bool = True, today: dt.date | None = None,
    env: Mapping[str, str] | None = None, http_client: Any = None, sleep: Callable[[float], None] | None = None,
    on_event: Callable[[HostedEvent], None] | None = None, on_job: Callable[[HostedJob], None] | None = None,
    poll_s: float = 10.0, home: Path | None = None,
) -> StartResult:
    """Fine-tune `athlete`'s built dataset on `provider`: refuse what the day rules out, require consent,
    export (redacted if asked), check, upload, start, follow, and register the result as `ft:NAME`."""
    from ..dataset import dataset_dir
    from ..export import export_openai

    model = model or DEFAULT_MODELS.get(provider, "")
    warnings = check_available(provider, model, today)  # before any key is read or byte is sent
    require_consent(consent, env)
    tuner = get_tuner(provider, env=env, consent=True, http_client=http_client, sleep=sleep)
    src = dataset_dir(athlete, home)
    reg_name = name or f"{athlete}-{provider}"
    meta_file = src / BUILD_FILE
    digest = load_build_info_file(meta_file, athlete).dataset_hash if meta_file.exists() else ""
    with tempfile.TemporaryDirectory() as tmp:
        # the same examples and the same time split as every other export: one exporter, one build
        result = export_openai(src, Path(tmp), redact=redact, athlete=athlete)
        train = result.paths[0]
        val = result.paths[1] if len(result.paths) > 1 else None
        from ..provider_rules import rules_for

        minimum = max(rules_for(provider).dataset.min_examples, 1)
        train_id = tuner.upload(train, model=model)
        estimate = tuner.estimate(train, model, epochs, file_id=train_id)  # with the provider's own, where it has one
        val_id = tuner.upload(val, model=model) if val and result.examples.get("val", 0) >= minimum else None
    job = tuner.create_job(JobRequest(
        training_file=train_id, model=model, validation_file=val_id, epochs=epochs, suffix=suffix,
        metadata={"peri_name": reg_name, "peri_athlete": athlete, "peri_dataset": digest[:16]},
    ))
    if on_job:
        on_job(job)
    registered = None
    if follow:
        for ev in tuner.follow(job.id, poll_s=poll_s):
            if on_event:
                on_event(ev)
        job = tuner.status(job.id)
        job.metadata = {**{"peri_name": reg_name, "peri_athlete": athlete, "peri_dataset": digest[:16]}, **job.metadata}
        if job.status == "succeeded":
            store = store_opener()
            try:
                registered = register_job(store, job, tuner, reg_name).name
            finally:
                store.close()
    return StartResult(job=job, registered=registered, train_file=train_id, validation_file=val_id,
                       estimate=estimate, warnings=warnings)


def job_status(store_opener: Callable[[], Store], provider: str, job_id: str, *, name: str | None = None,
               env: Mapping[str, str] | None = None, http_client: Any = None) -> tuple[HostedJob, str | None]:
    """The job now; when it has succeeded, its model registered (as `name`, else the job's own name)."""
    tuner = get_tuner(provider, env=env, http_client=http_client)
    job = tuner.status(job_id)
    reg = None
    if job.status == "succeeded" and job.tuned_model:
        store = store_opener()
        try:
            reg = register_job(store, job, tuner, name).name
        finally:
            store.close()
    return job, reg


def cancel_job(provider: str, job_id: str, *, env: Mapping[str, str] | None = None, http_client: Any = None) -> HostedJob:
    return get_tuner(provider, env=env, http_client=http_client).cancel(job_id)


def register_result(store: Store, job: Any, name: str | None = None) -> RegisteredModel:
    """Register a succeeded OpenAI job (an SDK job or a `HostedJob`); kept for callers of the old module."""
    if not isinstance(job, HostedJob):
        job = openai.to_job(job)
    return register_job(store, job, OpenAIFineTuner(None), name)


def default_model_name(job: Any) -> str:
    """Kept for callers of the old module: `peri_name` from the job's metadata, else the job id."""
    return default_name(job if isinstance(job, HostedJob) else openai.to_job(job))
