"""Background jobs: long work (a model generating, an experiment, an evaluation) runs in a worker thread, so a
page never waits on it; the job's page shows its progress and, when done, links to the result.

Each job opens its own `Store` in its thread (SQLite connections are per thread; WAL and the store's busy
timeout let a job write while pages read and other requests rate). Errors are kept as one readable line
(`PeriError` text, or the exception's type for anything else) — never a traceback on a page.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..errors import PeriError

log = logging.getLogger("peri.web")

JobStatus = Literal["queued", "running", "done", "failed"]
MAX_KEPT = 200  # finished jobs remembered for their pages


class Job(BaseModel):
    id: str
    kind: str
    title: str
    status: JobStatus = "queued"
    progress: float = 0.0  # 0..1
    messages: list[str] = Field(default_factory=list)
    result_url: str | None = None
    result: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    started_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    finished_at: dt.datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class JobHandle:
    """What a running job's function uses to report progress."""

    def __init__(self, runner: "JobRunner", job_id: str) -> None:
        self._runner, self.id = runner, job_id

    def say(self, message: str, progress: float | None = None) -> None:
        with self._runner.lock:
            job = self._runner.jobs[self.id]
            from ..redact import redact

            job.messages.append(redact(message) or message)
            if progress is not None:
                job.progress = max(0.0, min(1.0, progress))


def error_text(e: BaseException) -> str:
    """One readable line for a failure: a PeriError as it reads, anything else by its kind (details to the log)."""
    if isinstance(e, PeriError):
        return str(e)
    from ..redact import redact

    return f"unexpected {type(e).__name__}: {redact(str(e)) or ''}".strip().rstrip(":")


class JobRunner:
    def __init__(self, workers: int = 2) -> None:
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="peri-job")

    def submit(self, kind: str, title: str, fn: Callable[[JobHandle], tuple[str | None, dict[str, Any]]]) -> Job:
        """Start `fn(handle) -> (result_url, result)` in a worker; return the job at once."""
        from ..redact import redact

        job = Job(id=uuid.uuid4().hex[:12], kind=kind, title=redact(title) or title)  # a spec may carry credentials
        with self.lock:
            self.jobs[job.id] = job
            self._forget_old()
        self.pool.submit(self._run, job.id, fn)
        return job

    def _run(self, job_id: str, fn: Callable[[JobHandle], tuple[str | None, dict[str, Any]]]) -> None:
        with self.lock:
            self.jobs[job_id].status = "running"
        try:
            url, result = fn(JobHandle(self, job_id))
        except BaseException as e:  # noqa: BLE001 - a job's failure is shown on its page, never raised into the pool
            if not isinstance(e, PeriError):
                log.exception("job %s failed", job_id)
            with self.lock:
                job = self.jobs[job_id]
                job.status, job.error = "failed", error_text(e)
                job.finished_at = dt.datetime.now(dt.timezone.utc)
            return
        with self.lock:
            job = self.jobs[job_id]
            job.status, job.result_url, job.result, job.progress = "done", url, result, 1.0
            job.finished_at = dt.datetime.now(dt.timezone.utc)

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            job = self.jobs.get(job_id)
            return job.model_copy(deep=True) if job else None

    def _forget_old(self) -> None:
        done = [j for j in self.jobs.values() if j.finished]
        for j in sorted(done, key=lambda j: j.started_at)[: max(0, len(self.jobs) - MAX_KEPT)]:
            del self.jobs[j.id]

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until the job finishes (tests; the pages never wait)."""
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.get(job_id)
            if job is None or job.finished:
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
