"""Background jobs: long work (a model generating, an experiment, an evaluation) runs in a worker thread, so a
page never waits on it; the job's page shows its progress and, when done, links to the result.

Each job opens its own `Store` in its thread (SQLite connections are per thread; WAL and the store's busy
timeout let a job write while pages read and other requests rate). Errors are kept as one readable line
(`PeriError` text, or the exception's type for anything else) — never a traceback on a page.

Job state is kept in the store (`web_jobs`, store migration 4) as well as in memory, so a restarted server
still shows what finished jobs made. Each job names its owner — `host|pid|runner` — and a job left queued or
running by an owner that is gone (its process ended on this machine; or, on another machine sharing a
PostgreSQL store or behind a reused pid, no heartbeat from it for `STALE_S`) is marked failed, with a message saying so, when a runner starts and
whenever the job is looked at. A late finish from an owner already given up on changes nothing.

A job can be cancelled (`JobRunner.cancel`): a queued one never starts; a running one sees `handle.cancelled`
(or gets `JobCancelled` from `handle.check()`) at its next progress report and stops there, status "cancelled".
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..errors import PeriError

log = logging.getLogger("peri.web")

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
MAX_KEPT = 200  # finished jobs remembered for their pages
STALE_S = 300.0  # a job on another machine with no update for this long: its server is taken to be gone
HEARTBEAT_S = 30.0  # how often a runner with unfinished jobs says it is still there
STOPPED = ("the server stopped while this job was running (restarted, closed or killed): nothing more will come "
           "of it; start it again")
_LIVE_RUNNERS: set[str] = set()  # runners of this process that are still up (a job's owner names one)


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
    owner: str = ""  # host|pid|runner that runs it
    started_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    finished_at: dt.datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled")


class JobCancelled(PeriError):
    """Raised inside a job (by `JobHandle.check`) once someone asked to cancel it."""


class JobHandle:
    """What a running job's function uses to report progress and to learn it was cancelled."""

    def __init__(self, runner: "JobRunner", job_id: str) -> None:
        self._runner, self.id = runner, job_id

    @property
    def cancelled(self) -> bool:
        """Whether someone asked to cancel this job."""
        return self._runner._cancel_event(self.id).is_set()

    def check(self) -> None:
        """Raise JobCancelled when the job was asked to stop (call it between steps of long work)."""
        if self.cancelled:
            raise JobCancelled("cancelled on request")

    def say(self, message: str, progress: float | None = None) -> None:
        from ..redact import redact

        with self._runner.lock:
            job = self._runner.jobs[self.id]
            job.messages.append(redact(message) or message)
            del job.messages[:-MAX_MESSAGES]
            if progress is not None:
                job.progress = max(0.0, min(1.0, progress))
            fields = {"messages": list(job.messages), "progress": job.progress}
        self._runner._persist(self.id, **fields)


MAX_MESSAGES = 500  # a job's progress lines kept (a training run can say a great deal)


def error_text(e: BaseException) -> str:
    """One readable line for a failure: a PeriError as it reads, anything else by its kind (details to the log)."""
    if isinstance(e, PeriError):
        return str(e)
    from ..redact import redact

    return f"unexpected {type(e).__name__}: {redact(str(e)) or ''}".strip().rstrip(":")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def owner_gone(owner: str, updated_at: str | None, now: dt.datetime | None = None) -> bool:
    """Whether the server that owns a job is gone (module docstring)."""
    host, _, rest = owner.partition("|")
    pid_text, _, runner = rest.partition("|")
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            return runner not in _LIVE_RUNNERS
        if not _pid_alive(pid):
            return True
    # another machine, or a live process holding the pid (reused by something else?): gone when it went quiet
    try:
        seen = dt.datetime.fromisoformat(updated_at or "")
    except ValueError:
        return True
    now = now or dt.datetime.now(dt.timezone.utc)
    return (now - seen).total_seconds() > STALE_S


class JobRunner:
    """Runs jobs in worker threads; with `open_store`, keeps their state in the store (module docstring)."""

    def __init__(self, workers: int = 2, open_store: Callable[[], Any] | None = None) -> None:
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="peri-job")
        self.runner_id = uuid.uuid4().hex[:12]
        self.owner = f"{socket.gethostname()}|{os.getpid()}|{self.runner_id}"
        self._open = open_store
        self._stop = threading.Event()
        self._cancels: dict[str, threading.Event] = {}
        _LIVE_RUNNERS.add(self.runner_id)
        self.recovered = self.recover()
        if open_store is not None:
            threading.Thread(target=self._heartbeat, name="peri-job-heartbeat", daemon=True).start()

    # --- the store ---------------------------------------------------------------------------------
    def _persist(self, job_id: str, **fields: Any) -> None:
        if self._open is None:
            return
        for k in ("started_at", "finished_at"):
            if isinstance(fields.get(k), dt.datetime):
                fields[k] = fields[k].isoformat()
        try:
            with self._open() as s:
                s.update_web_job(job_id, self.owner, **fields)
        except PeriError as e:  # a full disk must not kill the job: the page still has it in memory
            log.warning("job %s: state not saved: %s", job_id, e)

    def recover(self) -> list[str]:
        """Mark jobs whose server is gone as failed; return their ids."""
        if self._open is None:
            return []
        out = []
        try:
            with self._open() as s:
                for row in s.unfinished_web_jobs():
                    if row["owner"] != self.owner and owner_gone(row["owner"], row["updated_at"]):
                        if s.update_web_job(row["id"], row["owner"], status="failed", error=STOPPED,
                                            finished_at=dt.datetime.now(dt.timezone.utc).isoformat()):
                            out.append(row["id"])
        except PeriError as e:  # a read-only or busy store: the server still starts; the pages say what fails
            log.warning("jobs of a stopped server not checked: %s", e)
        if out:
            log.warning("%d job(s) left running by a stopped server marked failed", len(out))
        return out

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            with self.lock:
                live = [j.id for j in self.jobs.values() if not j.finished]
            for jid in live:
                self._persist(jid)

    # --- jobs ---------------------------------------------------------------------------------------
    def submit(self, kind: str, title: str, fn: Callable[[JobHandle], tuple[str | None, dict[str, Any]]]) -> Job:
        """Start `fn(handle) -> (result_url, result)` in a worker; return the job at once."""
        from ..redact import redact

        # a spec may carry credentials
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, title=redact(title) or title, owner=self.owner)
        if self._open is not None:
            with self._open() as s:  # written before it runs: a job the store does not know never starts
                s.add_web_job(job.model_dump(mode="json"))
                s.prune_web_jobs(MAX_KEPT)
        with self.lock:
            self.jobs[job.id] = job
            self._forget_old()
        self.pool.submit(self._run, job.id, fn)
        return job

    def _run(self, job_id: str, fn: Callable[[JobHandle], tuple[str | None, dict[str, Any]]]) -> None:
        handle = JobHandle(self, job_id)
        try:
            handle.check()  # cancelled while it waited in the queue: it never starts
            with self.lock:
                self.jobs[job_id].status = "running"
            self._persist(job_id, status="running")
            url, result = fn(handle)
        except BaseException as e:  # noqa: BLE001 - a job's failure is shown on its page, never raised into the pool
            if not isinstance(e, PeriError):
                log.exception("job %s failed", job_id)
            # stopped by the server shutting down: failed, said as for any job the server left behind
            stopped = isinstance(e, JobCancelled) and self._stop.is_set()
            status = "cancelled" if isinstance(e, JobCancelled) and not stopped else "failed"
            with self.lock:
                job = self.jobs[job_id]
                job.status, job.error = status, STOPPED if stopped else error_text(e)
                job.finished_at = dt.datetime.now(dt.timezone.utc)
                fields = {"status": status, "error": job.error, "finished_at": job.finished_at}
                self._cancels.pop(job_id, None)
            self._persist(job_id, **fields)
            return
        with self.lock:
            job = self.jobs[job_id]
            job.status, job.result_url, job.result, job.progress = "done", url, result, 1.0
            job.finished_at = dt.datetime.now(dt.timezone.utc)
            fields = {"status": "done", "result_url": url, "result": result, "progress": 1.0,
                      "finished_at": job.finished_at}
            self._cancels.pop(job_id, None)
        self._persist(job_id, **fields)

    def _cancel_event(self, job_id: str) -> threading.Event:
        with self.lock:
            return self._cancels.setdefault(job_id, threading.Event())

    def cancel(self, job_id: str) -> bool:
        """Ask this runner's unfinished job to stop; False when it is not this runner's or already finished."""
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None or job.finished:
                return False
            self._cancels.setdefault(job_id, threading.Event()).set()
            job.messages.append("cancelling: the job stops at its next step…")
            fields = {"messages": list(job.messages)}
        self._persist(job_id, **fields)
        return True

    def running(self, kind: str) -> list[Job]:
        """This runner's unfinished jobs of one kind."""
        with self.lock:
            return [j.model_copy(deep=True) for j in self.jobs.values() if j.kind == kind and not j.finished]

    def get(self, job_id: str) -> Job | None:
        """The job from memory (this runner's), else from the store (a job of an earlier or another server)."""
        with self.lock:
            job = self.jobs.get(job_id)
            if job is not None:
                return job.model_copy(deep=True)
        if self._open is None:
            return None
        with self._open() as s:
            row = s.web_job(job_id)
            if row is not None and row["status"] in ("queued", "running") and owner_gone(row["owner"], row["updated_at"]):
                try:
                    s.update_web_job(job_id, row["owner"], status="failed", error=STOPPED,
                                     finished_at=dt.datetime.now(dt.timezone.utc).isoformat())
                    row = s.web_job(job_id)
                except PeriError:  # a read-only store: show it as failed all the same
                    row = {**row, "status": "failed", "error": STOPPED}
        if row is None:
            return None
        row.pop("updated_at", None)
        return Job.model_validate(row)

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
        """Stop taking work. Jobs still running are given up on: this runner counts as gone from now on."""
        self._stop.set()
        with self.lock:  # jobs that look for a cancel stop at their next step instead of holding the process
            for jid, job in self.jobs.items():
                if not job.finished:
                    self._cancels.setdefault(jid, threading.Event()).set()
        _LIVE_RUNNERS.discard(self.runner_id)
        self.pool.shutdown(wait=False, cancel_futures=True)
