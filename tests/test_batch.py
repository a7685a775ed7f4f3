"""`peri batch`: one Ray task per athlete, per-athlete state in the store, resume, failures reported, not fatal.

The Ray tests share one local Ray (started once, ~20 s here). The slow test is the issue's own check: 100
simulated athletes, `peri batch plan` killed with SIGKILL half-way, re-run: exactly one plan per athlete.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from peri.batch import BatchOptions, job_key, run_batch, run_item
from peri.errors import ConfigError
from peri.log.models import Athlete
from peri.log.store import Store, store_target
from peri.sim.generate import simulate

SRC = str(Path(__file__).parents[1] / "src")


def athletes(store: Store, n: int, weeks: int = 4) -> list[str]:
    names = [f"sim{i:03d}" for i in range(n)]
    for i, name in enumerate(names):
        simulate(store, None, seed=500 + i, weeks=weeks, athlete_name=name)
    return names


def plans(store: Store, job: str) -> dict[str, int]:
    """Valid plans recorded under the job, per athlete."""
    out: dict[str, int] = {}
    for a in store.list_athletes():
        out[a.name] = sum(1 for g in store.generations(a.id, experiment=job) if g.valid)
    return out


def test_job_key_names_the_options_that_change_the_result() -> None:
    rules = job_key("plan", BatchOptions(model="rules"))
    assert rules == job_key("plan", BatchOptions(model="rules", val_fraction=0.3))  # not a plan option
    assert rules != job_key("plan", BatchOptions(model="embedded"))
    assert rules != job_key("plan", BatchOptions(model="rules", scenario="deload"))
    assert job_key("dataset", BatchOptions(model="a")) == job_key("dataset", BatchOptions(model="b"))
    assert rules.startswith("plan:") and job_key("dataset", BatchOptions()).startswith("dataset:")
    with pytest.raises(ConfigError):
        job_key("train", BatchOptions())


def test_one_athlete_plan_is_recorded_once_even_after_a_crash_before_its_status(store: Store, home: Path) -> None:
    [name] = athletes(store, 1)
    job = job_key("plan", BatchOptions())
    target = str(store_target())
    first = run_item("plan", name, {}, job, target, str(home))
    assert first["status"] == "done" and plans(store, job) == {name: 1}
    aid = store.get_athlete(name).id
    assert store.batch_items(job)[aid]["status"] == "done"
    # a worker that died after writing the plan but before its status: the next try finds the plan
    store.set_batch_item(job, aid, "running")
    again = run_item("plan", name, {}, job, target, str(home))
    assert again["status"] == "done" and again["result"]["recovered"] is True
    assert plans(store, job) == {name: 1}
    assert store.batch_items(job)[aid]["attempts"] == 2


def test_a_failing_athlete_is_recorded_with_its_reason(store: Store, home: Path) -> None:
    store.add_athlete(Athlete(name="nodata"))
    job = job_key("finetune", BatchOptions())
    out = run_item("finetune", "nodata", {}, job, str(store_target()), str(home))
    assert out["status"] == "failed" and "no dataset" in out["error"]
    row = store.batch_items(job)[store.get_athlete("nodata").id]
    assert row["status"] == "failed" and "no dataset" in row["error"] and row["attempts"] == 1


def test_batch_address_reaches_run_batch_and_a_sqlite_store_is_refused_before_ray(home: Path, monkeypatch) -> None:
    """`--address` is wired from the CLI to the library: with the SQLite file (which a cluster's nodes cannot
    share) the command stops with one line, before any Ray starts; the slow test below joins a real cluster."""
    from typer.testing import CliRunner

    from peri.cli.app import app

    monkeypatch.delenv("PERI_DATABASE_URL", raising=False)  # the SQLite file, also in the PostgreSQL run
    with Store(home / "peri.db") as store:
        athletes(store, 1, weeks=2)
    r = CliRunner().invoke(app, ["batch", "plan", "--address", "127.0.0.1:1", "--json"])
    assert r.exit_code != 0 and "every node can reach" in r.output and "Traceback" not in r.output
    with Store(home / "peri.db") as store:
        assert store.batch_items(job_key("plan", BatchOptions())) == {}  # nothing ran


@pytest.fixture(scope="module")
def local_ray():
    import ray  # a missing Ray fails here, loudly: `pip install 'peri[batch]'`

    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray
    if started:
        ray.shutdown()


def test_a_task_trains_on_the_cores_ray_gave_it(local_ray) -> None:
    from peri.batch import task_cpus

    assert task_cpus() is None  # the driver is no task: torch keeps its default
    assert local_ray.get(local_ray.remote(num_cpus=1)(task_cpus).remote()) == 1
    assert local_ray.get(local_ray.remote(num_cpus=2)(task_cpus).remote()) == 2


def test_batch_plan_on_ray_resumes_after_an_interruption_and_reports_failures(store: Store, home: Path, local_ray) -> None:
    names = athletes(store, 5)
    opts = BatchOptions(model="rules")
    job = job_key("plan", opts)
    seen: list[str] = []

    class Stop(Exception):
        pass

    def stop_after_two(done: int, total: int, item) -> None:
        seen.append(item.athlete)
        if len([s for s in seen if s != "ghost"]) == 2:
            raise Stop

    with pytest.raises(Stop):
        run_batch(store, "plan", names + ["ghost"], opts, target=store_target(), home=home, progress=stop_after_two)
    done_first = {n for n, k in plans(store, job).items() if k}
    assert len(done_first) >= 2 and done_first != set(names)  # stopped half-way

    report = run_batch(store, "plan", names + ["ghost"], opts, target=store_target(), home=home)
    by = {i.athlete: i for i in report.items}
    assert by["ghost"].status == "failed" and "no athlete" in by["ghost"].error  # reported, the others went on
    assert plans(store, job) == {n: 1 for n in names}  # exactly one plan each
    assert {n for n in names if by[n].status == "skipped"} >= {n for n in done_first if
                                                                store.batch_items(job)[store.get_athlete(n).id]["attempts"] == 1}
    assert all(store.batch_items(job)[store.get_athlete(n).id]["status"] == "done" for n in names)

    third = run_batch(store, "plan", None, opts, target=store_target(), home=home)
    assert third.count("skipped") == len(names) and third.count("done") == 0
    assert plans(store, job) == {n: 1 for n in names}


def test_batch_dataset_failure_of_one_athlete_does_not_stop_the_others(store: Store, home: Path, local_ray) -> None:
    names = athletes(store, 2, weeks=8)
    store.add_athlete(Athlete(name="empty"))
    report = run_batch(store, "dataset", None, BatchOptions(), target=store_target(), home=home)
    by = {i.athlete: i for i in report.items}
    assert by["empty"].status == "failed" and by["empty"].error
    assert all(by[n].status == "done" and by[n].result["train"] > 0 for n in names)
    from peri.tune.dataset import dataset_dir

    assert all((dataset_dir(n) / "train.jsonl").is_file() for n in names)


@pytest.mark.slow
def test_batch_finetune_and_eval_train_and_evaluate_each_athlete_resume_and_report_failures(
        store: Store, home: Path, local_ray) -> None:
    """Real LoRA training (one optimizer step each) and a real evaluation with each athlete's own adapter, over
    two simulated athletes and one with no log. The eval batch is stopped after its first athlete (the other's
    worker is killed mid-generation) and resumed; a re-run of the finetune batch trains nobody twice."""
    from peri.evaluate.harness import load_records

    names = athletes(store, 2, weeks=8)
    store.add_athlete(Athlete(name="empty"))
    data = run_batch(store, "dataset", None, BatchOptions(), target=store_target(), home=home)
    assert {i.athlete: i.status for i in data.items} == {**{n: "done" for n in names}, "empty": "failed"}

    opts = BatchOptions(max_steps=1)
    tune = run_batch(store, "finetune", None, opts, target=store_target(), home=home)
    by = {i.athlete: i for i in tune.items}
    assert by["empty"].status == "failed" and "no dataset" in by["empty"].error  # reported; the others went on
    for n in names:
        assert by[n].status == "done" and by[n].result["model"] == f"ft:{n}-lora"
        model = store.get_model(f"{n}-lora")  # registered: the GGUF adapter llama.cpp serves
        assert Path(model.meta["gguf_adapter"]).is_file() and model.meta.get("base_gguf")
    again = run_batch(store, "finetune", None, opts, target=store_target(), home=home)
    assert {i.athlete: i.status for i in again.items} == {**{n: "skipped" for n in names}, "empty": "failed"}
    job = job_key("finetune", opts)
    assert all(store.batch_items(job)[store.get_athlete(n).id]["attempts"] == 1 for n in names)

    eval_opts = BatchOptions(weeks=1, approaches=["finetuned-short"])

    class Stop(Exception):
        pass

    first: list[str] = []

    def stop_after_first_done(done: int, total: int, item) -> None:
        if item.status == "done":
            first.append(item.athlete)
            raise Stop

    with pytest.raises(Stop):
        run_batch(store, "eval", None, eval_opts, target=store_target(), home=home, progress=stop_after_first_done)
    ev = run_batch(store, "eval", None, eval_opts, target=store_target(), home=home)
    by = {i.athlete: i for i in ev.items}
    assert by[first[0]].status == "skipped" and by["empty"].status == "failed"
    assert all(by[n].status in ("done", "skipped") for n in names)
    for n in names:
        row = store.batch_items(job_key("eval", eval_opts))[store.get_athlete(n).id]
        assert row["status"] == "done" and row["result"] == {"records": 1}
        [rec] = load_records(n, home).values()  # one record: a resumed run adds none twice
        assert rec.approach == "finetuned-short" and rec.model == f"ft:{n}-lora"
        gens = {g.id: g for g in store.generations(store.get_athlete(n).id)}
        assert rec.generation_id in gens and gens[rec.generation_id].model == f"ft:{n}-lora"


@pytest.mark.slow
def test_batch_plan_over_100_athletes_killed_half_way_then_rerun_gives_one_plan_each(store: Store, home: Path) -> None:
    names = athletes(store, 100, weeks=3)
    job = job_key("plan", BatchOptions(model="rules"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)}
    cmd = [sys.executable, "-c", "from peri.cli.app import main; main()", "batch", "plan", "--model", "rules", "--workers", "2", "--json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 600
        while time.time() < deadline and proc.poll() is None:
            if sum(plans(store, job).values()) >= 50:
                break
            time.sleep(0.5)
        assert proc.poll() is None, "the batch ended before it could be killed half-way"
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its Ray workers, all at once
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    half = sum(plans(store, job).values())
    assert 50 <= half < 100
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert plans(store, job) == {n: 1 for n in names}


# A Ray head in a process of its own, as `ray start --head` gives one (without writing /tmp/ray's pointer to
# the "current cluster" that every later ray.init() on the machine would join): it prints its address and
# keeps the cluster up until its stdin closes.
HEAD = """
import sys, ray
ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level="ERROR")
print(ray.get_runtime_context().gcs_address, flush=True)
sys.stdin.read()
ray.shutdown()
"""


@pytest.mark.slow
def test_batch_plan_joins_the_ray_cluster_given_by_address(home: Path, pg_server, monkeypatch) -> None:
    url = pg_server.create_database()  # a cluster's workers reach the store over the network: PostgreSQL
    monkeypatch.setenv("PERI_DATABASE_URL", url)
    with Store(url) as s:
        names = athletes(s, 3, weeks=3)
    # token authentication, as Ray sets up a new cluster by default; a client joining by address must ask
    # for it (Ray never turns it on for an explicit address), with a token of the test's own
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p),
           "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": uuid.uuid4().hex}
    head = subprocess.Popen([sys.executable, "-c", HEAD], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        address = head.stdout.readline().strip()
        assert ":" in address, "the Ray head did not start"
        cmd = [sys.executable, "-c", "from peri.cli.app import main; main()", "batch", "plan", "--model", "rules",
               "--address", address, "--json"]
        run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        report = json.loads(run.stdout)
        assert report["ray_address"] == address  # the tasks ran on that cluster, not on a Ray of the CLI's own
        assert sorted(i["athlete"] for i in report["items"] if i["status"] == "done") == names
        with Store(url) as s:
            assert plans(s, report["job"]) == {n: 1 for n in names}
        assert head.poll() is None  # the CLI left the cluster it joined running
    finally:
        head.stdin.close()
        try:
            head.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)  # the head's own process group: its GCS, raylet and workers
            head.wait(30)
