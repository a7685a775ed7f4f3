"""peri.web.jobs: job state lives in the store, so a restarted server shows finished jobs' results and marks the
jobs that were running when it died as failed, with a message saying so."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from peri.web.app import WebSettings, create_app
from peri.web.jobs import STALE_S, STOPPED, JobRunner, owner_gone

from test_web import HOST, alert, csrf_of, run_job, sam, token_of  # noqa: F401  (sam: fixture)


def opener(home: Path):
    return lambda: Store(home / "peri.db")


def test_a_restarted_server_shows_a_finished_jobs_result(home: Path, sam: str) -> None:
    first = create_app(WebSettings())
    c1 = TestClient(first, base_url=HOST)
    url = run_job(c1, c1.post("/plans/generate", data={"csrf": token_of(c1, "/plans?athlete=sam"), "athlete": "sam",
                                                        "model": "rules", "scenario": "normal"}, follow_redirects=False))
    jid = next(iter(first.pages.jobs.jobs))
    first.pages.jobs.shutdown()

    second = create_app(WebSettings())  # a new server process would start exactly like this
    try:
        assert second.pages.jobs.jobs == {}  # nothing in its memory: what it shows comes from the store
        c2 = TestClient(second, base_url=HOST)
        page = c2.get(f"/jobs/{jid}")
        assert page.status_code == 200 and 'class="status done"' in page.text
        assert f'url={url}"' in page.text.replace("&#34;", '"')  # forwards to the result, as before
        assert c2.get(url).status_code == 200
    finally:
        second.pages.jobs.shutdown()


def test_a_failed_job_keeps_its_message_across_a_restart(home: Path) -> None:
    from peri.errors import ConfigError

    r1 = JobRunner(1, opener(home))

    def bad(handle):
        handle.say("loading", 0.1)
        raise ConfigError("no such model", hint="check the spec")

    job = r1.submit("plan", "plan for ann", bad)
    assert r1.wait(job.id, 10).status == "failed"
    r1.shutdown()
    r2 = JobRunner(1, opener(home))
    try:
        again = r2.get(job.id)
        assert again.status == "failed" and again.error == "no such model (check the spec)"
        assert again.messages == ["loading"] and again.title == "plan for ann"
        assert r2.recovered == []  # a finished job is not touched
    finally:
        r2.shutdown()


def test_a_job_given_up_on_stays_failed_even_if_its_old_worker_finishes_later(home: Path) -> None:
    release = threading.Event()
    r1 = JobRunner(1, opener(home))
    job = r1.submit("eval", "evaluation of ann", lambda h: (release.wait(30), ("/done", {}))[1])
    deadline = time.monotonic() + 10
    while r1.get(job.id).status != "running" and time.monotonic() < deadline:
        time.sleep(0.02)
    r1.shutdown()  # as far as the store can tell, that server is gone
    r2 = JobRunner(1, opener(home))
    try:
        assert r2.recovered == [job.id]
        seen = r2.get(job.id)
        assert seen.status == "failed" and "server stopped" in seen.error
        release.set()
        time.sleep(0.3)  # the old worker returns and tries to record "done"
        with Store(home / "peri.db") as s:
            assert s.web_job(job.id)["status"] == "failed"
    finally:
        r2.shutdown()


CRASHING_SERVER = """
import sys, time
from peri.log.store import Store
from peri.web.jobs import JobRunner

runner = JobRunner(1, lambda: Store(sys.argv[1]))
job = runner.submit("eval", "evaluation of ann", lambda h: (h.say("generating week 1 of 4", 0.25), time.sleep(600)))
while not Store(sys.argv[1]).web_job(job.id)["messages"]:  # the progress line is in the store
    time.sleep(0.02)
print(job.id, flush=True)
time.sleep(600)
"""


def test_jobs_running_when_the_server_was_killed_are_marked_failed_on_restart(home: Path) -> None:
    """A real process killed with SIGKILL mid-job (no clean-up of any kind ran), then a new server."""
    src = str(Path(__file__).resolve().parents[1] / "src")
    proc = subprocess.Popen([sys.executable, "-c", CRASHING_SERVER, str(home / "peri.db")], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": src, "PERI_HOME": str(home)})
    try:
        jid = proc.stdout.readline().strip()
        assert jid, "the server never started its job"
        with Store(home / "peri.db") as s:
            assert s.web_job(jid)["status"] == "running"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    app = create_app(WebSettings())
    try:
        assert app.pages.jobs.recovered == [jid]
        page = TestClient(app, base_url=HOST).get(f"/jobs/{jid}")
        assert 'class="status failed"' in page.text and "server stopped while this job was running" in alert(page.text)
        assert "generating week 1 of 4" in page.text  # its progress up to the crash is kept
        assert "refresh" not in page.text.split("</head>")[0]  # a failed job's page stops refreshing itself
    finally:
        app.pages.jobs.shutdown()


def test_a_job_of_another_machine_is_given_up_only_when_it_has_gone_quiet() -> None:
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)
    owner = "some-other-host.example|4242|abc123"
    fresh = (now - dt.timedelta(seconds=STALE_S / 2)).isoformat()
    quiet = (now - dt.timedelta(seconds=STALE_S + 1)).isoformat()
    assert not owner_gone(owner, fresh, now) and owner_gone(owner, quiet, now)
    assert owner_gone("garbage", None, now)


def test_a_job_of_a_live_process_on_this_machine_is_gone_only_when_quiet() -> None:
    """The pid is alive (this test's parent) — maybe a reused pid: only a long silence gives its job up."""
    import socket

    now = dt.datetime.now(dt.timezone.utc)
    owner = f"{socket.gethostname()}|{os.getppid()}|abc123"
    assert not owner_gone(owner, now.isoformat(), now)
    assert owner_gone(owner, (now - dt.timedelta(seconds=STALE_S + 1)).isoformat(), now)


def test_the_store_keeps_only_the_newest_finished_jobs(home: Path) -> None:
    with Store(home / "peri.db") as s:
        for i in range(5):
            s.add_web_job({"id": f"j{i}", "kind": "plan", "title": "t", "status": "queued", "owner": "o",
                           "started_at": f"2026-12-01T10:0{i}:00+00:00"})
            s.update_web_job(f"j{i}", "o", status="done" if i != 2 else "running")
        s.prune_web_jobs(2)
        left = {j for j in ("j0", "j1", "j2", "j3", "j4") if s.web_job(j)}
    assert left == {"j2", "j3", "j4"}  # the newest two finished, and the unfinished one


@pytest.mark.parametrize("field", ["id", "owner; DROP TABLE web_jobs"])
def test_only_job_fields_can_be_updated(home: Path, field: str) -> None:
    with Store(home / "peri.db") as s, pytest.raises(ValueError):
        s.update_web_job("x", "o", **{field: "y"})


def test_job_rows_round_trip_on_both_stores(any_store: Store) -> None:
    """The table and its conditional update behave the same on SQLite and PostgreSQL (migration 4)."""
    any_store.add_web_job({"id": "j1", "kind": "plan", "title": "plan for ann", "status": "queued", "owner": "me",
                           "started_at": "2026-12-01T10:00:00+00:00"})
    assert any_store.update_web_job("j1", "me", status="running", messages=["loading"], progress=0.5)
    assert not any_store.update_web_job("j1", "someone else", status="failed")  # not its owner
    assert [j["id"] for j in any_store.unfinished_web_jobs()] == ["j1"]
    assert any_store.update_web_job("j1", "me", status="done", result={"generation": 7}, result_url="/plans/7")
    assert not any_store.update_web_job("j1", "me", status="failed", error="late")  # finished: left alone
    row = any_store.web_job("j1")
    assert (row["status"], row["messages"], row["result"], row["result_url"], row["progress"]) == \
        ("done", ["loading"], {"generation": 7}, "/plans/7", 0.5)
    assert any_store.unfinished_web_jobs() == []


def test_a_queued_job_cancelled_never_runs_and_a_running_one_stops_at_its_next_check(home: Path) -> None:
    release, ran = threading.Event(), []
    r = JobRunner(1, opener(home))
    try:
        first = r.submit("finetune", "long", lambda h: [(h.check(), time.sleep(0.01)) for _ in range(3000)] and (None, {}))
        blocker = r.submit("eval", "waits", lambda h: (release.wait(30), (None, {}))[1])
        queued = r.submit("dataset", "queued", lambda h: (ran.append(1), (None, {}))[1])
        assert r.cancel(first.id) and r.cancel(queued.id)
        assert r.wait(first.id, 30).status == "cancelled"
        release.set()
        assert r.wait(blocker.id, 30).status == "done"
        q = r.wait(queued.id, 30)
        assert q.status == "cancelled" and ran == []  # it never started
        assert r.cancel(blocker.id) is False and r.cancel("no-such-job") is False  # finished, unknown
        with Store(home / "peri.db") as s:
            assert s.web_job(first.id)["status"] == "cancelled" and s.web_job(blocker.id)["status"] == "done"
    finally:
        r.shutdown()


def test_a_server_shutting_down_stops_its_cooperative_jobs_as_stopped(home: Path) -> None:
    r1 = JobRunner(1, opener(home))
    job = r1.submit("finetune", "long", lambda h: [(h.check(), time.sleep(0.01)) for _ in range(3000)] and (None, {}))
    while r1.get(job.id).status != "running":
        time.sleep(0.02)
    r1.shutdown()
    deadline = time.monotonic() + 10
    while r1.get(job.id).status == "running" and time.monotonic() < deadline:
        time.sleep(0.02)
    seen = r1.get(job.id)
    assert seen.status == "failed" and seen.error == STOPPED


def test_a_long_jobs_page_shows_its_latest_lines(home: Path) -> None:
    app = create_app(WebSettings())
    try:
        runner = app.pages.jobs
        job = runner.submit("finetune", "chatty", lambda h: ([h.say(f"line {i}") for i in range(100)], (None, {}))[1])
        runner.wait(job.id, 30)
        html = TestClient(app, base_url=HOST).get(f"/jobs/{job.id}").text
        assert "40 earlier lines not shown" in html
        assert "<li>line 99</li>" in html and "<li>line 40</li>" in html and "<li>line 39</li>" not in html
    finally:
        app.pages.jobs.shutdown()
