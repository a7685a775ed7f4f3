"""A coach with many athletes: import rates on SQLite and PostgreSQL, rules plans on Ray, one server for many adapters.

    PYTHONPATH=src .venv/bin/python bench/scale.py [--athletes 1000] [--plans 100] [--adapters 20] [--parts import,ray,lora] [--json]

Every figure is a ratio against a baseline measured in the same run, on this machine:

* ``import``: N athletes with short simulated histories (a few simulated athletes' logs, replayed under N
  names) written by peri's store - one transaction per athlete, as an import - into SQLite and into a local
  PostgreSQL server (default durability: fsync on); baseline: the same sets as a CSV, pandas ``read_csv`` +
  ``to_sql`` into the same database (one flat table, no ids, no idempotency: an upper bound on raw speed).
* ``ray``: rules plans for M athletes, one process (a loop over ``generate_plan``) vs ``peri batch plan`` on a
  local Ray with one worker per core; the speed-up, and per core.
* ``lora``: K tiny random adapters on the embedded base, one ``peri serve-models`` engine vs K single-adapter
  llama.cpp processes; resident memory (RSS), requests per second and p50/p95 latency under concurrent
  requests spread over the adapters.
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
def bench_ray(m: int, weeks: int) -> dict:
    from peri.batch import BatchOptions, run_batch
    from peri.generate import generate_plan
    from peri.sim.generate import simulate

    home = Path(tempfile.mkdtemp(prefix="peri-bench-"))
    os.environ["PERI_HOME"] = str(home)
    try:
        with Store(home / "peri.db") as s:
            names = [f"s{i:04d}" for i in range(m)]
            for i, name in enumerate(names):
                simulate(s, None, seed=700 + i, weeks=weeks, athlete_name=name)
            t0 = time.perf_counter()
            for name in names:
                generate_plan(s, name, "rules", score=None, experiment="one-process")
            one = time.perf_counter() - t0
            cores = os.cpu_count() or 1
            import ray

            t0 = time.perf_counter()
            ray.init(num_cpus=cores, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
            start = time.perf_counter() - t0
            report = run_batch(s, "plan", names, BatchOptions(model="rules"), target=home / "peri.db", home=home)
            ray.shutdown()
        assert report.count("done") == m, report
        speedup = one / report.seconds
        return {"athletes": m, "one_process_s": round(one, 2), "ray_s": round(report.seconds, 2),
                "ray_start_s": round(start, 1), "cores": cores, "speedup": round(speedup, 2),
                "speedup_per_core": round(speedup / cores, 2)}
    finally:
        shutil.rmtree(home, ignore_errors=True)


# --- multi-LoRA -------------------------------------------------------------------------------------
SINGLE = """
import sys, time
from peri.backends.llamacpp import LlamaCppBackend
b = LlamaCppBackend(sys.argv[1], adapter_path=sys.argv[2], n_threads=1, n_ctx=2048)
print(b.listening_address, flush=True)
time.sleep(3600)
"""


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def load(urls: list[str], models: list[str], requests: int, concurrency: int) -> dict:
    import httpx2 as httpx

    body = {"messages": [{"role": "user", "content": "Plan my squat week."}], "max_tokens": 16, "temperature": 0}
    lat: list[float] = []
    lock = threading.Lock()
    jobs = list(range(requests))

    def worker() -> None:
        with httpx.Client(timeout=300) as c:
            while True:
                with lock:
                    if not jobs:
                        return
                    j = jobs.pop()
                t0 = time.perf_counter()
                r = c.post(f"{urls[j % len(urls)]}/v1/chat/completions", json={**body, "model": models[j % len(models)]})
                r.raise_for_status()
                with lock:
                    lat.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(lat, n=20)
    return {"rps": round(requests / wall, 2), "p50_s": round(statistics.median(lat), 3), "p95_s": round(q[18], 3)}


def bench_lora(k: int, requests: int, concurrency: int) -> dict:
    from test_gguf_adapter import fake_peft_dir

    from peri.backends.multi_lora import MultiLoraEngine, ServedAdapter, serve_http
    from peri.paths import embedded_model_path
    from peri.tune.gguf_adapter import peft_to_gguf_lora

    base = embedded_model_path()
    tmp = Path(tempfile.mkdtemp(prefix="peri-bench-"))
    adapters = [ServedAdapter(name=f"a{i}", path=str(peft_to_gguf_lora(
        fake_peft_dir(tmp / f"p{i}", r=16, alpha=1.0, layers=30, seed=i), base, tmp / f"a{i}.gguf"))) for i in range(k)]
    out: dict = {"adapters": k, "requests": requests, "concurrency": concurrency}
    # one engine: run it in a child process so its RSS is its own
    child = subprocess.Popen([sys.executable, "-c", f"""
import sys, json, threading
sys.path.insert(0, {str(ROOT / 'src')!r})
from peri.backends.multi_lora import MultiLoraEngine, ServedAdapter, serve_http
ads = [ServedAdapter(**a) for a in json.loads(sys.argv[1])]
e = MultiLoraEngine({str(base)!r}, ads, n_parallel={concurrency}, n_threads=2, n_ctx_per_slot=1024)
h = serve_http(e, "127.0.0.1", 0)
print(f"http://127.0.0.1:{{h.server_address[1]}}", flush=True)
h.serve_forever()
""", json.dumps([a.model_dump() for a in adapters])], stdout=subprocess.PIPE, text=True)
    try:
        url = child.stdout.readline().strip()
        out["one_server"] = {"rss_mb": round(rss_mb(child.pid)), **load([url], [f"ft:{a.name}" for a in adapters],
                                                                          requests, concurrency)}
        out["one_server"]["rss_after_mb"] = round(rss_mb(child.pid))
    finally:
        child.kill()
    singles = []
    try:
        for a in adapters:
            p = subprocess.Popen([sys.executable, "-c", SINGLE, str(base), a.path], stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
            singles.append((p, p.stdout.readline().strip()))
        res = load([u for _, u in singles], ["x"], requests, concurrency)
        out["per_adapter_processes"] = {"rss_mb": round(sum(rss_mb(p.pid) for p, _ in singles)), **res}
    finally:
        for p, _ in singles:
            p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    out["memory_ratio"] = round(out["per_adapter_processes"]["rss_mb"] / out["one_server"]["rss_after_mb"], 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--athletes", type=int, default=1000)
    ap.add_argument("--weeks", type=int, default=4, help="weeks of history per athlete")
    ap.add_argument("--plans", type=int, default=100, help="athletes planned in the Ray part")
    ap.add_argument("--adapters", type=int, default=20)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--parts", default="import,ray,lora")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    parts = set(a.parts.split(","))
    out: dict = {}
    if "import" in parts:
        out["import"] = bench_import(a.athletes, a.weeks)
    if "ray" in parts:
        out["ray"] = bench_ray(a.plans, a.weeks)
    if "lora" in parts:
        out["lora"] = bench_lora(a.adapters, a.requests, a.concurrency)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
