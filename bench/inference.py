"""Inference benchmark: does peri's embedded backend cost anything over llama.cpp called directly?

    python bench/inference.py [--rounds 4] [--calls 3] [--max-tokens 256] [--threads N] [--json]
    python bench/inference.py --presets [--weeks 16]      # `peri plan --model embedded` on every sim preset

The first form runs the same chat request on the same GGUF (the embedded SmolLM2-135M Q4_1) two ways:
`peri` (LlamaCppBackend.generate, what `peri plan` calls) and `direct` (xllamacpp.Server.handle_chat_completions
with the identical request body). Each way runs in its own process (several llama.cpp models in one process
slow each other down), the order alternates every round (machine noise hits both), and each process
loads the model once, warms up, then times `--calls` generations. Tokens/s is output tokens over the wall
time of the call, measured the same way for both. Target: peri/direct >= 0.9.

The second form simulates each preset athlete into a scratch PERI_HOME and times generate_plan on it
(median latency, tokens/s, validity): the issue's "under 30 s, every time, for every preset".
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PROMPT = [
    {"role": "system", "content": "You are Peri, a strength coach. Reply with next week's plan."},
    {"role": "user", "content": (
        "I'm 38, intermediate lifter, train 4x/week, focus on hypertrophy, have lower back sensitivity. "
        "Last week: 412 reps, 52 hard sets, average RPE 8, tonnage 31,200 kg. Suggest next week's upper/lower "
        "split maintaining volume but modifying exercises that load the lower back, to reduce spinal compression."
    )},
]


def worker(mode: str, calls: int, max_tokens: int, threads: int) -> list[dict]:
    """Load once, warm up, time `calls` generations. Runs in its own process."""
    from peri.backends.base import GenerationRequest
    from peri.backends.llamacpp import LlamaCppBackend
    from peri.paths import embedded_model_path

    req = GenerationRequest(messages=PROMPT, max_tokens=max_tokens, temperature=0.0, seed=0)
    backend = LlamaCppBackend(embedded_model_path(), name="embedded", n_threads=threads)
    body = backend.request_body(req)
    if mode == "direct":
        import xllamacpp as xlc

        params = backend._params()  # the very same engine settings, without peri's layer on the call path
        server = xlc.Server(params)

        def call() -> tuple[int, float, float | None]:
            t0 = time.perf_counter()
            out = server.handle_chat_completions(dict(body))
            dt_ = time.perf_counter() - t0
            return out["usage"]["completion_tokens"], dt_, out.get("timings", {}).get("predicted_per_second")
    else:
        def call() -> tuple[int, float, float | None]:
            r = backend.generate(req)
            return r.output_tokens or 0, r.latency_s, r.meta.get("decode_tok_s")

    call()  # warm-up: first-call allocations are not what we measure
    out = []
    for _ in range(calls):
        n, secs, decode = call()
        out.append({"tokens": n, "seconds": secs, "tok_s": n / secs, "decode_tok_s": decode})
    return out


def run_worker(mode: str, args: argparse.Namespace, threads: int) -> list[dict]:
    cmd = [sys.executable, __file__, "--worker", mode, "--calls", str(args.calls), "--max-tokens", str(args.max_tokens),
           "--threads", str(threads)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def compare(args: argparse.Namespace) -> dict:
    from peri.backends.llamacpp import auto_threads

    threads = args.threads or auto_threads()
    runs: dict[str, list[dict]] = {"peri": [], "direct": []}
    for i in range(args.rounds):
        order = ("peri", "direct") if i % 2 == 0 else ("direct", "peri")
        for mode in order:
            runs[mode] += run_worker(mode, args, threads)
            if not args.json:
                last = runs[mode][-args.calls:]
                print(f"round {i + 1} {mode:6s} " + " ".join(f"{r['tok_s']:.1f}" for r in last) + " tok/s", flush=True)
    med = {m: statistics.median(r["tok_s"] for r in rs) for m, rs in runs.items()}
    tokens = {m: sorted({r["tokens"] for r in rs}) for m, rs in runs.items()}
    return {
        "model": "embedded (SmolLM2-135M-Instruct Q4_1)", "threads": threads, "max_tokens": args.max_tokens,
        "rounds": args.rounds, "calls_per_round": args.calls, "output_tokens": tokens,
        "peri_tok_s": round(med["peri"], 1), "direct_tok_s": round(med["direct"], 1),
        "ratio": round(med["peri"] / med["direct"], 3),
        "spread": {m: [round(min(r["tok_s"] for r in rs), 1), round(max(r["tok_s"] for r in rs), 1)] for m, rs in runs.items()},
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def presets(args: argparse.Namespace) -> dict:
    """generate_plan with the embedded model on every simulated preset (bench only: uses peri.sim)."""
    home = tempfile.mkdtemp(prefix="peri-bench-")
    os.environ["PERI_HOME"] = home
    from peri.backends.registry import get_backend
    from peri.generate import generate_plan
    from peri.log.store import Store
    from peri.paths import db_path
    from peri.sim.generate import simulate
    from peri.sim.presets import preset_names

    store = Store(db_path())
    backend = get_backend("embedded", store)
    rows = []
    for name in preset_names():
        simulate(store, name, seed=None, weeks=args.weeks, athlete_name=name)
        for detail in args.details:
            g = generate_plan(store, name, "embedded", detail=detail, backend=backend)
            tps = (g.output_tokens or 0) / g.latency_s if g.latency_s else None
            rows.append({"preset": name, "detail": detail, "valid": g.valid, "attempts": len(g.meta["attempts"]),
                         "latency_s": round(g.latency_s or 0, 2), "prompt_tokens": g.prompt_tokens,
                         "output_tokens": g.output_tokens, "tok_s": round(tps or 0, 1), "error": g.error,
                         "threads": g.meta["attempts"][-1].get("backend", {}).get("threads"),
                         "decode_tok_s": g.meta["attempts"][-1].get("backend", {}).get("decode_tok_s"),
                         "prefill_s": g.meta["attempts"][-1].get("backend", {}).get("prefill_s"),
                         "exercises": sum(len(d["exercises"]) for d in (g.plan or {}).get("days", []))})
            if not args.json:
                r = rows[-1]
                print(f"{name:18s} detail {detail} valid={r['valid']} {r['latency_s']:6.1f} s "
                      f"{r['prompt_tokens']}+{r['output_tokens']} tok (prefill {r['prefill_s']} s, decode {r['decode_tok_s']} tok/s) "
                      f"{r['exercises']} exercises, {r['attempts']} attempt(s)", flush=True)
    lat = [r["latency_s"] for r in rows]
    return {
        "plans": rows, "all_valid": all(r["valid"] for r in rows),
        "median_latency_s": round(statistics.median(lat), 2), "max_latency_s": max(lat),
        "median_tok_s": round(statistics.median(r["tok_s"] for r in rows), 1),
        "under_30s": sum(x < 30 for x in lat), "n": len(rows), "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", choices=["peri", "direct"], help=argparse.SUPPRESS)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=256)
    ap.add_argument("--threads", type=int, default=0, help="llama.cpp threads (default: peri's auto choice)")
    ap.add_argument("--presets", action="store_true", help="time peri plan --model embedded on every sim preset")
    ap.add_argument("--weeks", type=int, default=16)
    ap.add_argument("--details", type=lambda s: [int(x) for x in s.split(",")], default=[3])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.calls, args.max_tokens, args.threads or 1)))
        return
    result = presets(args) if args.presets else compare(args)
    if args.json:
        print(json.dumps(result, indent=2))
    elif args.presets:
        print(f"median {result['median_latency_s']} s, max {result['max_latency_s']} s, median {result['median_tok_s']} tok/s, "
              f"{result['under_30s']}/{result['n']} under 30 s, all valid: {result['all_valid']}")
    else:
        print(f"peri {result['peri_tok_s']} tok/s vs xllamacpp direct {result['direct_tok_s']} tok/s: "
              f"ratio {result['ratio']} ({result['threads']} threads, tokens {result['output_tokens']})")


if __name__ == "__main__":
    main()
