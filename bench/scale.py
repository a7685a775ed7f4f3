"""A coach with many athletes: import rates on SQLite and PostgreSQL, rules plans on Ray, one server for many adapters.

    PYTHONPATH=src .venv/bin/python bench/scale.py [--athletes 1000] [--plans 100] [--ray-kind plan|eval] [--adapters 20] [--parts import,ray,lora]

Every figure is a ratio against a baseline measured in the same run, on this machine:

* ``import``: N athletes with short simulated histories (a few simulated athletes' logs, replayed under N
  names) written by peri's store - one transaction per athlete, as an import - into SQLite and into a local
  PostgreSQL server (default durability: fsync on); baseline: the same sets as a CSV, pandas ``read_csv`` +
  ``to_sql`` into the same database (one flat table, no ids, no idempotency: an upper bound on raw speed).
* ``ray``: M athletes, one process (a loop) vs ``peri batch`` on a local Ray with one worker per core: one rules
  plan each (``--ray-kind plan``), or the rules approach evaluated on several weeks each (``--ray-kind eval``,
  several times the work per task); the speed-up, per worker, and where the time went (the mean seconds of a
  task inside its worker against the loop's seconds per athlete, and the driver's overhead).
* ``lora``: K adapters of the shape ``peri finetune local`` writes (random weights, peri's own PEFT→GGUF
  converter) on the embedded base, one ``peri serve-models`` engine vs K processes of base + one adapter:
  memory (sum of PSS from /proc/PID/smaps_rollup - the mmapped base counted once - with RSS and USS beside
  it), then the same requests spread over the adapters, sequential and concurrent: requests per second and
  p50/p95 latency; every answer of the engine is checked against the adapter's own process.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from peri.log.models import Athlete  # noqa: E402
from peri.log.store import Store  # noqa: E402


# --- import ---------------------------------------------------------------------------------------
def template_logs(n_templates: int, weeks: int) -> list[list]:
    """A few simulated athletes' logs as session rows (what an importer hands the store)."""
    from peri.sim.generate import simulate

    tmp = Path(tempfile.mkdtemp(prefix="peri-bench-"))
    os.environ["PERI_HOME"] = str(tmp)
    logs = []
    with Store(tmp / "t.db") as s:
        for i in range(n_templates):
            simulate(s, None, seed=900 + i, weeks=weeks, athlete_name=f"t{i}")
            rows = []
            for sess in s.sessions(s.get_athlete(f"t{i}").id):
                sets = [(w.exercise, w.exercise_id, w.order, w.weight, w.unit, w.weight_kg, w.reps, w.rpe, w.rir,
                         w.distance_m, w.seconds, w.set_type.value, w.note) for w in sess.sets]
                rows.append(((sess.started_at, sess.name, sess.duration_s, sess.notes, sess.source), sets))
            logs.append(rows)
    shutil.rmtree(tmp, ignore_errors=True)
    return logs


def peri_import(target, logs: list[list], n: int) -> float:
    """Seconds to write n athletes (one transaction each) through peri's store."""
    with Store(target) as s:
        t0 = time.perf_counter()
        for i in range(n):
            with s.transaction():
                aid = s.add_athlete(Athlete(name=f"a{i:05d}")).id
                s.add_session_rows(aid, logs[i % len(logs)])
        return time.perf_counter() - t0


def flat_csv(logs: list[list], n: int, path: Path) -> int:
    import csv

    rows = 0
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["athlete", "started_at", "session", "source", "seq", "exercise", "exercise_id", "ord", "weight",
                    "unit", "weight_kg", "reps", "rpe", "rir", "distance_m", "seconds", "set_type", "note"])
        for i in range(n):
            for (started, name, _d, _notes, source), sets in logs[i % len(logs)]:
                for k, st in enumerate(sets):
                    w.writerow([f"a{i:05d}", started.isoformat(sep=" "), name, source, k, *st])
                    rows += 1
    return rows


def pandas_import(con, csv_path: Path) -> float:
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(csv_path)
    df.to_sql("sets_flat", con, if_exists="append", index=False, chunksize=10_000)
    return time.perf_counter() - t0


def bench_import(n: int, weeks: int) -> dict:
    import sqlite3

    from peri.log.pg_local import LocalPostgres

    logs = template_logs(8, weeks)
    tmp = Path(tempfile.mkdtemp(prefix="peri-bench-"))
    csv_path = tmp / "sets.csv"
    n_sets = flat_csv(logs, n, csv_path)
    out: dict = {"athletes": n, "sets": n_sets}
    sec = peri_import(tmp / "peri.db", logs, n)
    con = sqlite3.connect(tmp / "pandas.db")
    base = pandas_import(con, csv_path)
    con.close()
    out["sqlite"] = {"peri_sets_per_s": round(n_sets / sec), "pandas_sets_per_s": round(n_sets / base),
                     "ratio": round(base / sec, 3)}
    root = tempfile.mkdtemp(prefix="peri-pg-")
    pg = LocalPostgres(root)
    try:
        pg.start()
        sec = peri_import(pg.create_database("peri"), logs, n)
        from sqlalchemy import create_engine

        eng = create_engine(pg.url("pandas").replace("postgresql://", "postgresql+psycopg://"))
        pg.create_database("pandas")
        with eng.begin() as c:
            base = pandas_import(c, csv_path)
        eng.dispose()
        out["postgres"] = {"peri_sets_per_s": round(n_sets / sec), "pandas_sets_per_s": round(n_sets / base),
                           "ratio": round(base / sec, 3)}
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return out


# --- ray --------------------------------------------------------------------------------------------
def bench_ray(m: int, weeks: int, kind: str = "plan", eval_weeks: int = 4, workers: int | None = None,
              db: str = "sqlite") -> dict:
    """One process (a loop) vs `peri batch` on a local Ray, one worker per core, for m simulated athletes.

    kind "plan": one rules plan per athlete (~0.1 s of work a task); "eval": the rules approach evaluated on
    `eval_weeks` held-out weeks per athlete (a plan and an oracle score per week: several times the work per
    task, the same per-task cost of Ray). Each side gets its own PERI_HOME with the same athletes (the
    evaluation caches its records on disk). Besides the ratio: the mean seconds a task took inside its
    worker (its own store connection included) against the loop's seconds per athlete, and the driver's
    overhead (wall time minus the tasks' seconds spread over the workers). `db` "postgres": both sides on a
    local PostgreSQL server (fsync on) instead of SQLite files, where concurrent writers do not wait on one lock.
    """
    from peri.batch import BatchOptions, run_batch
    from peri.evaluate.harness import EvalConfig, run_eval
    from peri.generate import generate_plan
    from peri.sim.generate import simulate

    names = [f"s{i:04d}" for i in range(m)]
    homes = [Path(tempfile.mkdtemp(prefix="peri-bench-")) for _ in range(2)]
    pg = None
    targets: list = [home / "peri.db" for home in homes]
    if db == "postgres":
        from peri.log.pg_local import LocalPostgres

        pg = LocalPostgres(tempfile.mkdtemp(prefix="peri-pg-"))
        pg.start()
        targets = [pg.create_database(f"bench{i}") for i in range(2)]
    try:
        for home, target in zip(homes, targets):
            with Store(target) as s:
                for i, name in enumerate(names):
                    simulate(s, None, seed=700 + i, weeks=weeks, athlete_name=name, home=home)
        os.environ["PERI_HOME"] = str(homes[0])
        with Store(targets[0]) as s:
            t0 = time.perf_counter()
            for name in names:
                if kind == "plan":
                    generate_plan(s, name, "rules", score=None, experiment="one-process")
                else:
                    run_eval(s, EvalConfig(athlete=name, weeks=eval_weeks, approaches=["rules"]))
            one = time.perf_counter() - t0
        os.environ["PERI_HOME"] = str(homes[1])
        cores = workers or os.cpu_count() or 1
        import ray

        t0 = time.perf_counter()
        ray.init(address="local", num_cpus=cores, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
                 runtime_env={"env_vars": {"PERI_HOME": str(homes[1]),
                                           "PYTHONPATH": os.pathsep.join(
                     p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)}})
        start = time.perf_counter() - t0
        opts = BatchOptions(model="rules") if kind == "plan" else BatchOptions(weeks=eval_weeks, approaches=["rules"])
        with Store(targets[1]) as s:
            report = run_batch(s, kind, names, opts, target=targets[1], home=homes[1])
        ray.shutdown()
    finally:
        for home in homes:
            shutil.rmtree(home, ignore_errors=True)
        if pg is not None:
            pg.stop()
            shutil.rmtree(pg.root, ignore_errors=True)
    assert report.count("done") == m, [i.error for i in report.items if i.error][:3]
    tasks = [i.seconds for i in report.items]
    speedup = one / report.seconds
    return {"kind": kind, "store": db, "athletes": m, "one_process_s": round(one, 2), "one_process_per_athlete_s": round(one / m, 3),
            "ray_s": round(report.seconds, 2), "ray_task_mean_s": round(statistics.mean(tasks), 3),
            "ray_task_max_s": round(max(tasks), 2), "ray_overhead_s": round(report.seconds - sum(tasks) / cores, 2),
            "ray_start_s": round(start, 1), "workers": cores, "speedup": round(speedup, 2),
            "speedup_per_worker": round(speedup / cores, 2)}


# --- multi-LoRA -------------------------------------------------------------------------------------
SERVER = """
import json, sys
from peri.backends.multi_lora import MultiLoraEngine, ServedAdapter, serve_http
base, ads, slots, threads, ctx = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
from peri.backends.llamacpp import auto_threads
threads = threads or auto_threads()  # 0: what `peri serve-models` picks by itself
e = MultiLoraEngine(base, [ServedAdapter(**a) for a in ads], n_parallel=slots, n_threads=threads, n_ctx_per_slot=ctx)
h = serve_http(e, "127.0.0.1", 0)
print(f"http://127.0.0.1:{h.server_address[1]} {threads}", flush=True)
h.serve_forever()
"""
SINGLE = """
import sys, time
from peri.backends.llamacpp import LlamaCppBackend
b = LlamaCppBackend(sys.argv[1], adapter_path=sys.argv[2], n_threads=int(sys.argv[3]), n_ctx=int(sys.argv[4]))
print(b.listening_address, flush=True)
time.sleep(3600)
"""
PROMPTS = ["Plan my squat week.", "Two days, upper body only this week.", "My left knee hurts after lunges.",
           "Deload week please.", "I have 45 minutes on Tuesday and Friday."]


def random_peft(d: Path, seed: int, *, r: int = 16, alpha: float = 32.0, layers: int = 30, b_std: float = 0.05) -> Path:
    """A PEFT LoRA folder of the shape `peri finetune local` writes for SmolLM2-135M (r 16, alpha 32, all seven
    projections of all 30 layers): A drawn as PEFT initialises it (uniform, ±1/sqrt(fan_in)), B random (a trained
    adapter's B is non-zero; std `b_std` makes each adapter change the answers, as in bench/serve_tuned.py)."""
    import numpy as np
    from safetensors.numpy import save_file

    rng = np.random.default_rng(seed)
    shapes = {"q_proj": (576, 576), "k_proj": (192, 576), "v_proj": (192, 576), "o_proj": (576, 576),
              "gate_proj": (1536, 576), "up_proj": (1536, 576), "down_proj": (576, 1536)}
    tensors = {}
    for n in range(layers):
        for proj, (out, inp) in shapes.items():
            block = "mlp" if proj in ("gate_proj", "up_proj", "down_proj") else "self_attn"
            pre = f"base_model.model.model.layers.{n}.{block}.{proj}"
            tensors[f"{pre}.lora_A.weight"] = rng.uniform(-1, 1, (r, inp)).astype(np.float32) / np.sqrt(inp)
            tensors[f"{pre}.lora_B.weight"] = (rng.standard_normal((out, r)) * b_std).astype(np.float32)
    d.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(d / "adapter_model.safetensors"))
    (d / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": r, "lora_alpha": alpha,
                                                       "target_modules": list(shapes)}))
    return d


def memory_mb(pids: list[int]) -> dict:
    """Resident memory of a group of processes, MiB: RSS summed (counts the shared, mmapped base once per
    process), PSS summed (each shared page split between the processes that map it: the group's real share
    of RAM) and USS (private pages only), from /proc/PID/smaps_rollup."""
    tot = {"rss": 0, "pss": 0, "uss": 0}
    for pid in pids:
        fields = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            k, v = line.split(":", 1)
            fields[k] = int(v.split()[0])  # kB
        tot["rss"] += fields["Rss"]
        tot["pss"] += fields["Pss"]
        tot["uss"] += fields["Private_Clean"] + fields["Private_Dirty"]
    return {f"{k}_mb": round(v / 1024) for k, v in tot.items()}


def send(jobs: list[tuple[str, dict]], concurrency: int) -> tuple[dict, list[str]]:
    """Send every (url, body) with `concurrency` clients; throughput, p50/p95 latency and each answer."""
    import httpx2 as httpx

    lat: list[float] = [0.0] * len(jobs)
    texts: list[str] = [""] * len(jobs)
    tokens = [0]
    todo = list(range(len(jobs)))[::-1]
    lock = threading.Lock()
    failed: list[str] = []

    def client() -> None:
        with httpx.Client(timeout=600) as c:
            while True:
                with lock:
                    if not todo:
                        return
                    j = todo.pop()
                url, body = jobs[j]
                t0 = time.perf_counter()
                r = c.post(f"{url}/v1/chat/completions", json=body)
                dt = time.perf_counter() - t0
                if r.status_code != 200:
                    failed.append(r.text[:200])
                    continue
                out = r.json()
                with lock:
                    lat[j] = dt
                    texts[j] = out["choices"][0]["message"]["content"]
                    tokens[0] += int((out.get("usage") or {}).get("completion_tokens", 0))

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if failed:
        raise RuntimeError(f"{len(failed)} request(s) failed: {failed[0]}")
    q = statistics.quantiles(lat, n=20)
    return ({"wall_s": round(wall, 2), "rps": round(len(jobs) / wall, 2), "tok_s": round(tokens[0] / wall, 1),
             "p50_s": round(statistics.median(lat), 3), "p95_s": round(q[18], 3)}, texts)


def bench_lora(k: int, requests: int, concurrency: int, max_tokens: int = 16, server_threads: int = 0) -> dict:
    """One `serve-models` engine holding k adapters vs k processes of base + one adapter (see the docstring).

    Memory is measured with each set-up alone (a process mapping the same base file would take a share of
    its pages' PSS); the timed runs then alternate the set-ups (server, processes for the sequential run;
    processes, server for the concurrent one) so that a change in the machine's load hits both.
    """
    from peri.backends.multi_lora import ServedAdapter
    from peri.paths import embedded_model_path
    from peri.tune.gguf_adapter import peft_to_gguf_lora

    base = embedded_model_path()
    tmp = Path(tempfile.mkdtemp(prefix="peri-bench-"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)}
    ctx = 1024  # context per request, the same in both set-ups (one slot each in the single processes)
    procs: list[subprocess.Popen] = []

    def start(args: list[str]) -> tuple[subprocess.Popen, list[str]]:
        p = subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE, text=True, env=env)
        procs.append(p)
        return p, p.stdout.readline().split()

    def stop(group: list[subprocess.Popen]) -> None:
        for p in group:
            p.kill()
            p.wait()

    try:
        adapters = [ServedAdapter(name=f"a{i:02d}", path=str(peft_to_gguf_lora(
            random_peft(tmp / f"p{i}", seed=i), base, tmp / f"a{i:02d}.gguf"))) for i in range(k)]
        spec = json.dumps([a.model_dump() for a in adapters])

        def body(j: int, model: str) -> dict:
            return {"model": model, "messages": [{"role": "user", "content": PROMPTS[j % len(PROMPTS)]}],
                    "max_tokens": max_tokens, "temperature": 0, "seed": 1, "cache_prompt": False}

        def up_server() -> tuple[subprocess.Popen, list[tuple[str, dict]], int]:
            p, (url, threads) = start([SERVER, str(base), spec, str(concurrency), str(server_threads), str(ctx)])
            return p, [(url, body(j, f"ft:{adapters[j % k].name}")) for j in range(requests)], int(threads)

        def up_singles() -> tuple[list[subprocess.Popen], list[tuple[str, dict]]]:
            started = [start([SINGLE, str(base), a.path, "1", str(ctx)]) for a in adapters]
            urls = [u for _, (u,) in started]
            return [p for p, _ in started], [(urls[j % k], body(j, "x")) for j in range(requests)]

        result: dict = {"adapters": k, "adapter_mb": round(os.path.getsize(adapters[0].path) / 2**20, 1),
                        "requests": requests, "max_tokens": max_tokens, "concurrency": concurrency}
        one: dict = {}
        per: dict = {"processes": k, "threads_each": 1}
        # memory, each set-up alone: loaded, then after every adapter has answered once
        server, sjobs, threads = up_server()
        one.update(processes=1, threads=threads, slots=concurrency, loaded=memory_mb([server.pid]))
        send(sjobs[:k], 1)
        one["after_requests"] = memory_mb([server.pid])
        stop([server])
        singles, pjobs = up_singles()
        per["loaded"] = memory_mb([p.pid for p in singles])
        send(pjobs[:k], 1)
        per["after_requests"] = memory_mb([p.pid for p in singles])
        # latency and throughput, both set-ups up, alternating
        server, sjobs, _ = up_server()
        send(sjobs[:k], 1)
        one["sequential"], served = send(sjobs, 1)
        per["sequential"], alone = send(pjobs, 1)
        per["concurrent"], _ = send(pjobs, concurrency)
        one["concurrent"], _ = send(sjobs, concurrency)
    finally:
        stop(procs)
        shutil.rmtree(tmp, ignore_errors=True)
    result.update(one_server=one, per_adapter_processes=per)
    result["same_answers"] = f"{sum(a == b for a, b in zip(served, alone))}/{requests}"
    result["distinct_answers"] = len(set(served))
    result["ratios"] = {  # per-process baseline / one server, so > 1 means the one server is better
        "pss": round(per["after_requests"]["pss_mb"] / one["after_requests"]["pss_mb"], 2),
        "rss": round(per["after_requests"]["rss_mb"] / one["after_requests"]["rss_mb"], 2),
        "sequential_rps": round(one["sequential"]["rps"] / per["sequential"]["rps"], 2),
        "sequential_p50": round(per["sequential"]["p50_s"] / one["sequential"]["p50_s"], 2),
        "concurrent_rps": round(one["concurrent"]["rps"] / per["concurrent"]["rps"], 2),
        "concurrent_p95": round(per["concurrent"]["p95_s"] / one["concurrent"]["p95_s"], 2),
    }
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--athletes", type=int, default=1000)
    ap.add_argument("--weeks", type=int, default=4, help="weeks of history per athlete")
    ap.add_argument("--plans", type=int, default=100, help="athletes planned in the Ray part")
    ap.add_argument("--ray-kind", default="plan", choices=["plan", "eval"], help="the Ray part's task: one rules plan, "
                    "or the rules approach evaluated on --eval-weeks weeks")
    ap.add_argument("--eval-weeks", type=int, default=4)
    ap.add_argument("--ray-store", default="sqlite", choices=["sqlite", "postgres"], help="the Ray part's store")
    ap.add_argument("--ray-workers", type=int, default=None, help="Ray workers (default: one per core); 1 isolates "
                    "the per-task cost from the parallelism")
    ap.add_argument("--adapters", type=int, default=20)
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--concurrency", type=int, default=4, help="clients at once (and the server's slots)")
    ap.add_argument("--max-tokens", type=int, default=16)
    ap.add_argument("--server-threads", type=int, default=0, help="0: what `peri serve-models` picks (free cores, at most 2)")
    ap.add_argument("--parts", default="import,ray,lora")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    parts = set(a.parts.split(","))
    out: dict = {}
    if "import" in parts:
        out["import"] = bench_import(a.athletes, a.weeks)
    if "ray" in parts:
        out["ray"] = bench_ray(a.plans, a.weeks, a.ray_kind, a.eval_weeks, a.ray_workers, a.ray_store)
    if "lora" in parts:
        out["lora"] = bench_lora(a.adapters, a.requests, a.concurrency, a.max_tokens, a.server_threads)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
