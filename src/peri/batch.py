"""Batch work over many athletes on Ray: plan, dataset, finetune or eval, one Ray task per athlete.

`run_batch` starts Ray on this machine (`ray.init()`) or joins a cluster (`address`), sends one task per
athlete and reports each as it finishes. Every athlete's state is kept in the store (`batch_items`, keyed by
the job: the kind and every option that changes the result), so:
- a re-run of the same job skips the athletes already done, and a killed batch resumes where it stopped;
- one athlete's failure is recorded with its reason and the others go on; a re-run tries it again.
A plan is done exactly once even when a worker dies between writing the plan and writing its status: the
generation is recorded with the job as its experiment, and a worker first looks for a valid one.

Workers open the store themselves (the SQLite file, or PERI_DATABASE_URL's PostgreSQL server); on a cluster
the store must be PostgreSQL and PERI_HOME a folder every node sees (datasets and adapters live there).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from .errors import ConfigError, PeriError

Kind = Literal["plan", "dataset", "finetune", "eval"]
KINDS: tuple[str, ...] = ("plan", "dataset", "finetune", "eval")


class BatchOptions(BaseModel):
    """What a batch does for each athlete (the fields each kind reads; all of them name the job)."""

    model: str = Field("rules", description="plan: the model spec")
    scenario: str = Field("normal", description="plan: the kind of week")
    style: str = Field("engineered", description="plan: prompt style")
    detail: int = Field(3, description="plan: prompt detail level")
    as_of: str | None = Field(None, description="plan: plan the week starting here (YYYY-MM-DD)")
    val_fraction: float = Field(0.15, description="dataset: share of the latest weeks kept for validation")
    base: str | None = Field(None, description="finetune: the base model")
    epochs: int | None = Field(None, description="finetune: passes over the training set")
    max_steps: int | None = Field(None, description="finetune: stop after this many optimizer steps")
    weeks: int = Field(4, description="eval: held-out weeks")
    approaches: list[str] | None = Field(None, description="eval: approaches to run (None: every available)")


class ItemResult(BaseModel):
    """One athlete's outcome in a batch."""

    athlete: str
    status: Literal["done", "skipped", "failed"]
    result: dict | None = None
    error: str | None = None
    seconds: float = 0.0


class BatchReport(BaseModel):
    """What a batch did: the job's key, each athlete's outcome, and the wall time."""

    job: str
    kind: str
    items: list[ItemResult]
    seconds: float
    ray_address: str | None = Field(None, description="the Ray cluster the tasks ran on (its GCS address); None: no task ran")

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)


def job_key(kind: str, options: BatchOptions) -> str:
    """The job's name in the store: the kind and a hash of the options that change the result.

    The same command over the same options is the same job (a re-run skips what is done); another model or
    scenario is another job.
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown batch kind {kind!r}", hint=f"use one of: {', '.join(KINDS)}")
    used = {"plan": ("model", "scenario", "style", "detail", "as_of"), "dataset": ("val_fraction",),
            "finetune": ("base", "epochs", "max_steps"), "eval": ("weeks", "approaches", "model")}[kind]
    blob = json.dumps({k: getattr(options, k) for k in used}, sort_keys=True)
    return f"{kind}:{hashlib.sha1(blob.encode()).hexdigest()[:10]}"


# --- one athlete (runs in a Ray worker) -----------------------------------------------------------
def _plan(store: Any, name: str, options: BatchOptions, job: str) -> dict:
    import datetime as dt

    from .generate import generate_plan

    aid = store.get_athlete(name).id
    for g in store.generations(aid, experiment=job):
        if g.valid:  # written by an earlier run that died before it could say so
            return {"generation_id": g.id, "recovered": True}
    g = generate_plan(store, name, options.model, scenario=options.scenario, detail=options.detail,
                      prompt_style=options.style,  # type: ignore[arg-type]
                      as_of=dt.date.fromisoformat(options.as_of) if options.as_of else None, experiment=job, score=None)
    if not g.valid:
        raise PeriError(f"no usable plan (generation {g.id}): {g.error}")
    return {"generation_id": g.id}


def _dataset(store: Any, name: str, options: BatchOptions, job: str) -> dict:
    from .log.catalog import default_catalog
    from .log.context import load_context
    from .tune.dataset import build_dataset, write_dataset

    from .errors import DatasetError

    build = build_dataset(load_context(store, name), default_catalog(), val_fraction=options.val_fraction)
    if not build.train:  # nothing to fine-tune on: a failure the batch reports, not a done item
        raise DatasetError(f"no training example from {name}'s log", hint="log more weeks, then run the batch again")
    write_dataset(build)
    return {"train": len(build.train), "val": len(build.val)}


def task_cpus() -> int | None:
    """The cores Ray gave the running task (None outside a Ray task).

    torch would otherwise take every core of the node in each worker: two 2-thread trainings on 2 cores
    wait on each other's threads at every operation.
    """
    try:
        import ray

        if not ray.is_initialized():
            return None
        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU")
    except Exception:  # noqa: BLE001 - no Ray, or not inside a task: torch's default
        return None
    return max(1, int(cpus)) if cpus else None


def _finetune(store: Any, name: str, options: BatchOptions, job: str) -> dict:
    from .errors import DatasetError
    from .paths import adapters_dir, inside, name_slug
    from .tune.dataset import dataset_dir
    from .tune.train import TrainConfig, register_tuned_model, train_lora

    cfg = TrainConfig.from_layers(None, {"base": options.base, "epochs": options.epochs, "max_steps": options.max_steps,
                                         "threads": task_cpus()})
    ddir = dataset_dir(name)
    if not (ddir / "train.jsonl").exists():
        raise DatasetError(f"no dataset for {name!r}", hint="run `peri batch dataset` first")
    model_name = f"{name}-lora"
    out_dir = inside(adapters_dir() / name_slug(model_name), adapters_dir())
    val = ddir / "val.jsonl"
    result = train_lora(cfg, ddir / "train.jsonl", val if val.exists() else None, out_dir, resume=True)
    if result.gguf_adapter is not None:
        register_tuned_model(store, model_name, result)
    return {"model": f"ft:{model_name}" if result.gguf_adapter else None, "adapter": result.peft_adapter}


def _eval(store: Any, name: str, options: BatchOptions, job: str) -> dict:
    from .evaluate.harness import EvalConfig, run_eval

    res = run_eval(store, EvalConfig(athlete=name, weeks=options.weeks, approaches=options.approaches,
                                     base_model=options.model if options.model != "rules" else "embedded"))
    return {"records": len(getattr(res, "records", []) or [])}


WORK: dict[str, Callable[[Any, str, BatchOptions, str], dict]] = {
    "plan": _plan, "dataset": _dataset, "finetune": _finetune, "eval": _eval,
}


def run_item(kind: str, name: str, options: dict, job: str, target: str, home: str | None) -> dict:
    """Do `kind` for one athlete and record its state in the store; never raises (a failure is a result).

    Module-level and given plain values so Ray can ship it to a worker process.
    """
    from .log.store import Store

    if home:
        os.environ["PERI_HOME"] = home
    t0 = time.perf_counter()
    opts = BatchOptions.model_validate(options)
    store = None
    aid = None
    try:
        store = Store(target)
        aid = store.get_athlete(name).id
        store.set_batch_item(job, aid, "running", attempt=True)
        result = WORK[kind](store, name, opts, job)
        store.set_batch_item(job, aid, "done", result=result)
        return ItemResult(athlete=name, status="done", result=result, seconds=time.perf_counter() - t0).model_dump()
    except Exception as e:  # noqa: BLE001 - one athlete's failure of any kind is reported, the batch goes on
        from .redact import redact

        error = redact(f"{type(e).__name__}: {e}" if not isinstance(e, PeriError) else str(e)) or type(e).__name__
        if store is not None and aid is not None:
            try:
                store.set_batch_item(job, aid, "failed", error=error)
            except Exception:  # noqa: BLE001 - the store itself failed: the driver reports the error anyway
                pass
        return ItemResult(athlete=name, status="failed", error=error, seconds=time.perf_counter() - t0).model_dump()
    finally:
        if store is not None:
            store.close()


# --- the driver ---------------------------------------------------------------------------------
def _ray(address: str | None, workers: int | None, env: dict[str, str]) -> tuple[Any, bool]:
    """Ray, started here unless the caller already did (then: whether this call started it, to stop it after).

    No `address`: a new Ray on this machine (`address="local"`), never one that RAY_ADDRESS or an earlier
    `ray start` happens to point at (joining it would also refuse `num_cpus`). An `address` joins that cluster;
    its size is the cluster's. A Ray the caller already initialised is used as it is.
    """
    try:
        import ray
    except ImportError as e:
        raise ConfigError("peri batch runs on Ray, which is not installed", hint="pip install 'peri[batch]'") from e
    started = not ray.is_initialized()
    if started:
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR",
                                  "runtime_env": {"env_vars": env}}
        if address:
            kwargs["address"] = address
        else:
            kwargs.update(address="local", num_cpus=workers or os.cpu_count() or 1)
        try:
            ray.init(**kwargs)
        except (ConnectionError, ValueError) as e:  # no cluster there, or an address Ray cannot read
            raise ConfigError(f"could not join the Ray cluster at {address}: {e}" if address else f"Ray did not start: {e}",
                              hint="start it with `ray start --head` and pass the address it prints; a cluster with "
                                   "token authentication (a new cluster's default) also needs RAY_AUTH_MODE=token here, with its "
                                   "token in RAY_AUTH_TOKEN or ~/.ray/auth_token") from e
    return ray, started


def run_batch(
    store: Any,
    kind: str,
    athletes: list[str] | None = None,
    options: BatchOptions | None = None,
    *,
    target: Path | str,
    home: Path | str | None = None,
    address: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, ItemResult], None] | None = None,
) -> BatchReport:
    """Run `kind` for `athletes` (default: every athlete in `store`), one Ray task each (see the module docstring).

    `target` is the store every worker opens (a SQLite path or a PostgreSQL URL); `progress(done, total,
    item)` is called as each athlete finishes (skipped ones included).
    """
    from .log.postgres import is_database_url

    options = options or BatchOptions()
    job = job_key(kind, options)
    if address and not is_database_url(str(target)):
        raise ConfigError("a Ray cluster needs a store every node can reach",
                          hint="set PERI_DATABASE_URL=postgresql://... (and a PERI_HOME every node sees)")
    t0 = time.perf_counter()
    known = {a.name: a.id for a in store.list_athletes()}
    names = list(dict.fromkeys(athletes)) if athletes else sorted(known)
    state = store.batch_items(job)
    items: list[ItemResult] = []
    todo: list[str] = []
    cluster: str | None = None
    for n in names:
        if n not in known:
            items.append(ItemResult(athlete=n, status="failed", error=f"no athlete named {n!r}"))
        elif state.get(known[n], {}).get("status") == "done":
            items.append(ItemResult(athlete=n, status="skipped", result=state[known[n]].get("result")))
        else:
            todo.append(n)
    total = len(names)
    for i, it in enumerate(items, start=1):
        if progress:
            progress(i, total, it)
    if todo:
        env = {k: v for k, v in os.environ.items() if k.startswith("PERI_") and k != "PERI_DATABASE_URL"}
        if os.environ.get("PYTHONPATH"):
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]  # a source checkout's workers import the same peri
        ray, started = _ray(address, workers, env)
        cluster = ray.get_runtime_context().gcs_address
        remote = ray.remote(num_cpus=1, max_retries=0)(run_item)
        args = options.model_dump(mode="json")
        pending = {remote.remote(kind, n, args, job, str(target), str(home) if home else None): n for n in todo}
        try:
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    name = pending.pop(ref)
                    try:
                        item = ItemResult.model_validate(ray.get(ref))
                    except Exception as e:  # noqa: BLE001 - the worker process died: this athlete failed
                        item = ItemResult(athlete=name, status="failed", error=f"worker failed: {str(e)[:300]}")
                    items.append(item)
                    if progress:
                        progress(len(items), total, item)
        finally:
            for ref in pending:  # interrupted: stop the rest; their rows stay 'running' and are redone next time
                ray.cancel(ref, force=True)
            if started:  # a Ray this call started goes with it (a caller's own Ray stays)
                ray.shutdown()
    return BatchReport(job=job, kind=kind, items=items, seconds=time.perf_counter() - t0, ray_address=cluster)
