"""Decoding benchmark: what the decoding constraints cost (time, model calls, tokens) and what they buy (oracle).

    python bench/decoding.py [--presets seed,shoulder-ppl,knee-beginner] [--weeks-back 1] [--before REF]
                             [--moderate keep|demote|block] [--json]

For each simulated preset (12 weeks of history, seed 3, as the embedded test) and each held-out week
(`--weeks-back`: the plan for the last week of history, the one before, ...) it plans the week with the
embedded model twice — unconstrained (`constrain=False`) and constrained — at detail 0, in alternating
order (machine noise hits both), and reports per plan: wall time, model calls (the plan's attempts plus
every decoding step), decoded tokens, repeats and out-of-band loads left, the checker's `aggravated`
findings (a lift the athlete's own notes blame), the oracle's total and safety component, and the plan's days
(name and exercises; `off_focus`: exercises outside their day's focus, by `plans.constraints.fits_focus`).
`--moderate` sets the constrained plans' `moderate_stress` (lifts that moderately stress a region the log or
profile blames: keep, demote behind the safer ones, or block; unset: the library's default, demote).

The figure is the ratio constrained / unconstrained wall time, each tree against its OWN unconstrained
baseline measured in the same run. `--before REF` runs a second tree (`git archive REF src`) in the same
run, preset by preset alternating with the working tree, so before/after share the machine's load.
`--baseline-once` runs the unconstrained baseline in the working tree only and shares it (where the
unconstrained path is the same code in both trees). Each tree runs in its own process (its own `src` first on PYTHONPATH) with its own scratch PERI_HOME.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PRESETS = "seed,shoulder-ppl,knee-beginner"


def worker(preset: str, weeks_back: int, seed: int, order: str, modes_wanted: list[str], moderate: str = "") -> list[dict]:
    """One preset in this process (whatever `peri` PYTHONPATH gives): every week, both modes."""
    home = tempfile.mkdtemp(prefix="peri-bench-decoding-")
    os.environ["PERI_HOME"] = home
    from peri.backends.base import GenerationRequest
    from peri.backends.llamacpp import LlamaCppBackend
    from peri.generate import generate_plan
    from peri.log.store import Store
    from peri.paths import db_path, embedded_model_path
    from peri.plans.constraints import repeats
    from peri.plans.schema import Plan
    from peri.sim.generate import simulate
    from peri.sim.oracle import score_plan

    store = Store(db_path())
    simulate(store, preset, seed=seed, weeks=12, athlete_name="p")
    last = max(s.day for s in store.sessions(store.get_athlete("p").id))
    monday = last - dt.timedelta(days=last.weekday())
    backend = LlamaCppBackend(embedded_model_path(), name="embedded")
    rows = []
    try:
        backend.generate(GenerationRequest(messages=[{"role": "user", "content": "hi"}], max_tokens=4))  # load + warm up
        for w in range(weeks_back):
            as_of = monday - dt.timedelta(weeks=w)
            modes = [m for m in ("unconstrained", "constrained") if m in modes_wanted]
            if (w + (order == "b")) % 2:
                modes.reverse()
            for mode in modes:
                t0 = time.perf_counter()
                extra = {"moderate_stress": moderate} if mode == "constrained" and moderate else {}
                g = generate_plan(store, "p", "embedded", detail=0, backend=backend, as_of=as_of,
                                  constrain=mode == "constrained", seed=0, **extra)
                wall = time.perf_counter() - t0
                info = g.meta.get("constraints") or {}
                row = {"preset": preset, "as_of": as_of.isoformat(), "mode": mode, "valid": g.valid, "wall_s": round(wall, 2),
                       "model_s": g.latency_s, "calls": len(g.meta.get("attempts", [])) + int(info.get("steps", 0)),
                       "steps": info.get("steps", 0), "output_tokens": g.output_tokens, "prompt_tokens": g.prompt_tokens,
                       "mechanism": info.get("mechanism"), "error": g.error,
                       "prompt_processed": g.meta.get("attempts", [{}])[-1].get("prompt_processed"),
                       "prompt_cached": g.meta.get("attempts", [{}])[-1].get("prompt_cached")}
                if g.plan:
                    plan = Plan.model_validate(g.plan)
                    row["exercises"] = sum(len(d.exercises) for d in plan.days)
                    row["repeats"] = len(repeats(plan))
                    row["aggravated"] = sum(1 for f in g.findings if f.get("code") == "aggravated"
                                            and f.get("severity") in ("high", "medium"))
                    row["high_findings"] = sum(1 for f in g.findings if f.get("severity") == "high")
                    sc = score_plan(plan, "p", as_of=as_of)
                    row["oracle"] = sc.total
                    row["safety"] = sc.breakdown["safety"]
                    row["days"] = [[d.name, [p.exercise for p in d.exercises]] for d in plan.days]
                    focus = (info.get("days") or {}).get("focus")
                    if focus:
                        from peri.log.catalog import default_catalog
                        from peri.log.guessed_tags import place
                        from peri.plans.constraints import fits_focus

                        cat = default_catalog()
                        row["off_focus"] = sum(1 for d in plan.days for p in d.exercises
                                               if not fits_focus(place(p.exercise, cat), focus.get(d.name, "full")))
                        row["widened"] = len(info.get("widened", []))
                rows.append(row)
    finally:
        backend.close()
    return rows


def tree_of(ref: str) -> Path:
    """`src` of git revision `ref`, unpacked into a scratch folder."""
    d = Path(tempfile.mkdtemp(prefix="peri-bench-tree-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(d)], input=archive, check=True)
    return d


def run_worker(tree: Path, preset: str, args: argparse.Namespace, order: str, modes: str) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    cmd = [sys.executable, __file__, "--worker", preset, "--weeks-back", str(args.weeks_back), "--seed", str(args.seed),
           "--order", order, "--modes", modes, "--moderate", args.moderate]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        raise SystemExit(f"worker {tree} {preset} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def summary(rows: list[dict], baseline: list[dict] | None = None) -> dict:
    rows = rows + [r for r in baseline or [] if r["mode"] == "unconstrained" and not any(
        x["mode"] == "unconstrained" for x in rows)]
    def tot(mode: str, key: str) -> float:
        return sum(r.get(key) or 0 for r in rows if r["mode"] == mode)

    def mean(mode: str, key: str) -> float | None:
        xs = [r[key] for r in rows if r["mode"] == mode and r.get(key) is not None]
        return round(statistics.mean(xs), 1) if xs else None

    out = {"plans": sum(1 for r in rows if r["mode"] == "constrained"), "ratio_wall": round(tot("constrained", "wall_s") / max(tot("unconstrained", "wall_s"), 1e-9), 2)}
    for mode in ("unconstrained", "constrained"):
        out[mode] = {"wall_s": round(tot(mode, "wall_s"), 1), "calls": int(tot(mode, "calls")),
                     "output_tokens": int(tot(mode, "output_tokens")), "repeats": int(tot(mode, "repeats")),
                     "aggravated": int(tot(mode, "aggravated")), "high_findings": int(tot(mode, "high_findings")),
                     "off_focus": int(tot(mode, "off_focus")), "widened": int(tot(mode, "widened")),
                     "oracle": mean(mode, "oracle"), "safety": mean(mode, "safety"),
                     "valid": sum(1 for r in rows if r["mode"] == mode and r["valid"])}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--order", default="a", help=argparse.SUPPRESS)
    ap.add_argument("--presets", default=DEFAULT_PRESETS)
    ap.add_argument("--weeks-back", type=int, default=1, help="held-out weeks per preset (the last ones of the history)")
    ap.add_argument("--seed", type=int, default=3, help="the simulation seed")
    ap.add_argument("--before", help="a git revision to run in the same run, alternating with the working tree")
    ap.add_argument("--baseline-once", action="store_true",
                    help="with --before: the unconstrained baseline is run by the working tree only and shared "
                         "(the unconstrained path must then be the same code in both trees: compare its tokens)")
    ap.add_argument("--modes", default="unconstrained,constrained", help=argparse.SUPPRESS)
    ap.add_argument("--moderate", default="", choices=("", "keep", "demote", "block"),
                    help="the constrained plans' moderate_stress (lifts that moderately stress a blamed region); "
                         "default: the library's")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.weeks_back, args.seed, args.order, args.modes.split(","), args.moderate)))
        return
    trees = {"after": ROOT}
    if args.before:
        trees = {"before": tree_of(args.before), "after": ROOT}
    rows: dict[str, list[dict]] = {k: [] for k in trees}
    for i, preset in enumerate(args.presets.split(",")):
        names = list(trees) if i % 2 == 0 else list(reversed(trees))
        for name in names:
            modes = "constrained" if args.baseline_once and name == "before" else "unconstrained,constrained"
            got = run_worker(trees[name], preset, args, "a" if i % 2 == 0 else "b", modes)
            rows[name] += got
            if not args.json:
                for r in got:
                    print(f"{name:6s} {r['preset']:18s} {r['as_of']} {r['mode']:13s} {r['wall_s']:7.1f} s "
                          f"{r['calls']:3d} calls {r['output_tokens'] or 0:5d} tok repeats={r.get('repeats')} "
                          f"aggravated={r.get('aggravated')} oracle={r.get('oracle')} safety={r.get('safety')} "
                          f"off_focus={r.get('off_focus')}"
                          + (f" ERROR {r['error']}" if r.get("error") else ""), flush=True)
    result = {"load_avg_1m": round(os.getloadavg()[0], 2), "before": args.before,
              "summary": {k: summary(v, rows.get("after")) for k, v in rows.items()}, "rows": rows}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, s in result["summary"].items():
            u, c = s["unconstrained"], s["constrained"]
            print(f"{k}: constrained/unconstrained wall = {s['ratio_wall']} ({c['wall_s']} s vs {u['wall_s']} s over "
                  f"{s['plans']} plans); calls {c['calls']} vs {u['calls']}; tokens {c['output_tokens']} vs "
                  f"{u['output_tokens']}; repeats {c['repeats']} vs {u['repeats']}; blamed lifts {c['aggravated']} vs "
                  f"{u['aggravated']}; oracle {c['oracle']} vs {u['oracle']}; safety {c['safety']} vs {u['safety']}")
        print(f"load average (1 min) at the end: {result['load_avg_1m']}")


if __name__ == "__main__":
    main()
