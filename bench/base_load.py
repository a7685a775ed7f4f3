"""Loading the base model for training: from the GGUF (the baseline) against its cached copy, measured in one run.

`peri.tune.base_model.load_base` reads a GGUF through transformers, which parses the file's whole metadata and
dequantizes every tensor; `peri.tune.base_cache` keeps the result on disk. This times both on the same file, in
fresh processes (nothing warm in memory but the OS's file cache, as for a training run or a Ray worker), and
checks that the copy holds the same tensors. Reported: wall and CPU seconds of each (whole process, and the load
alone after importing torch and transformers), and their ratios.

    .venv/bin/python bench/base_load.py [--base PATH.gguf] [--repeat 2] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ONE_LOAD = r"""
import json, sys, time, resource
t, c = time.perf_counter(), time.process_time()
import torch, transformers
from peri.tune.base_model import load_base
imp_wall, imp_cpu = time.perf_counter() - t, time.process_time() - c
b = load_base(sys.argv[1] if sys.argv[1] != "embedded" else None)
wall, cpu = time.perf_counter() - t, time.process_time() - c
import torch
sd = b.model.state_dict()
digest = float(sum(v.double().abs().sum() for v in sd.values()))
print(json.dumps({"wall": wall, "cpu": cpu, "load_wall": wall - imp_wall, "load_cpu": cpu - imp_cpu, "tensors": len(sd), "digest": digest,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def one(base: str, cache: str) -> dict:
    env = {**os.environ, "PERI_BASE_CACHE": cache, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run([sys.executable, "-c", ONE_LOAD, base], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="embedded")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        gguf = [one(a.base, "off") for _ in range(a.repeat)]
        first = one(a.base, tmp)  # converts and writes the copy (the first run's extra cost)
        copy = [one(a.base, tmp) for _ in range(a.repeat)]
    same = all(r["digest"] == gguf[0]["digest"] and r["tensors"] == gguf[0]["tensors"] for r in copy + [first])
    med = {k: {m: statistics.median(r[m] for r in rs) for m in ("wall", "cpu", "load_wall", "load_cpu", "max_rss_mb")}
           for k, rs in (("gguf", gguf), ("copy", copy))}
    report = {"base": a.base, "repeat": a.repeat, "same_tensors": same, "gguf": med["gguf"], "copy": med["copy"],
              "first_with_cache": {m: first[m] for m in ("wall", "cpu")},
              "cpu_ratio": med["gguf"]["cpu"] / med["copy"]["cpu"], "wall_ratio": med["gguf"]["wall"] / med["copy"]["wall"],
              "load_cpu_ratio": med["gguf"]["load_cpu"] / med["copy"]["load_cpu"]}
    if a.json:
        print(json.dumps(report, indent=2))
        return
    print(f"base {a.base}: same tensors from the copy: {same}")
    for k in ("gguf", "copy"):
        print(f"  {k:>4}: {med[k]['wall']:.1f} s wall, {med[k]['cpu']:.1f} s CPU, peak RSS {med[k]['max_rss_mb']:.0f} MB "
              f"(median of {a.repeat}); the load alone, imports aside: {med[k]['load_cpu']:.1f} s CPU")
    print(f"  first load with the cache (converts and writes): {first['wall']:.1f} s wall, {first['cpu']:.1f} s CPU")
    print(f"  copy vs GGUF: {report['cpu_ratio']:.1f}x less CPU, {report['wall_ratio']:.1f}x less wall time for a fresh "
          f"process; {report['load_cpu_ratio']:.1f}x less CPU for the load alone")
    if not same:
        sys.exit("the copy's tensors differ from the GGUF's")


if __name__ == "__main__":
    main()
