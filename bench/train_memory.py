"""Peak resident memory and tokens/s of `peri demo`'s fine-tune: whole-batch passes against peri's passes.

The demo's configuration (one epoch of LoRA r16 on the embedded SmolLM2-135M, fp32 on a CPU without
AVX-512-BF16, `batch_tokens` 2048) on the demo's own dataset (the seed athlete, seed 7, 156 weeks, built as
`peri demo` builds it). Each variant trains in a child process of its own, so its peak resident set
(`ru_maxrss`: model load, tokenisation, validation passes, training, the GGUF adapter) is its alone:

- `baseline`: each batch in one forward/backward pass, logits of every label token kept for the backward
  pass (`micro_batch_tokens=None, loss_chunk=None`), glibc's default allocation policy, PEFT's LoRA
  dropout (two float copies of each LoRA input kept) and the frozen weights kept in fp32 (cast to bf16 by
  autocast in every pass): the trainer before the memory work.
- `improved`: peri's defaults (passes of at most `micro_batch_tokens` tokens, chunked loss, glibc told to
  unmap freed blocks over 4 MB at once and the heap trimmed after each optimizer step: `release_freed_memory_promptly`,
  `return_freed_heap`, LoRA dropout fused with
  `lora_A` keeping a 1-byte mask drawn with numpy: `keep_lora_dropout_masks_as_bits`, frozen projections stored in bf16 on
  bf16 runs: `store_frozen_weights_in_bf16`). Peaks are printed in GiB and in decimal GB (the issue's 3 GB).

Both run in the same invocation, alternating baseline, improved, baseline, improved... (`--rounds` pairs),
each in a fresh child process on the same data for the same steps, because this machine is shared and only
ratios measured side by side mean anything: the report gives each pair's speed ratio and their spread
(min / median / max), and the peak of every run. `--steps 0` runs the whole epoch, as the demo does.

CPU time on a shared machine: libgomp's threads spin while they wait for each other, and a partner thread
that the neighbours' load has descheduled makes the other spin for its whole time slice. perf on a training
child at load 13 on 2 cores found 80-85 % of its cycles in libgomp's spin loop, so under load both tokens/s
and CPU seconds per token measure the neighbours more than the trainer. `--passive` runs both children with
`OMP_WAIT_POLICY=PASSIVE` (waiting threads sleep): their CPU seconds are then the work done, the fair
comparison under load; on a quiet machine the default (spinning) wall-clock ratio is the user's figure.

    nice -n 5 .venv/bin/python bench/train_memory.py [--steps 6] [--rounds 1] [--threads 2] [--passive] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

VARIANTS = {
    "baseline": {"micro_batch_tokens": None, "loss_chunk": None},
    "improved": {},
}


def build_demo_dataset(home: Path) -> tuple[Path, Path]:
    """The dataset `peri demo` fine-tunes on: the seed athlete (seed 7, 156 weeks), built with the defaults."""
    os.environ["PERI_HOME"] = str(home)
    from peri.log.catalog import default_catalog
    from peri.log.context import load_context
    from peri.log.store import Store
    from peri.sim.generate import simulate
    from peri.tune.dataset import build_dataset, write_dataset

    store = Store(home / "peri.db")
    simulate(store, "seed", seed=7, weeks=156, athlete_name="demo-seed", home=home)
    files = write_dataset(build_dataset(load_context(store, "demo-seed"), default_catalog()))
    return files.train, files.val


def child(spec: dict) -> dict:
    """One training run in this process; its peak resident set is this process's."""
    import torch

    import peri.tune.train as train_module
    from peri.tune.train import TrainConfig, train_lora

    if spec["variant"] == "baseline":
        train_module.release_freed_memory_promptly = lambda: False  # glibc's default policy, as before
        train_module.return_freed_heap = lambda: False  # no trim between passes, as before
        train_module.store_frozen_weights_in_bf16 = lambda model: 0  # fp32 weights, cast in every pass, as before
        train_module.keep_lora_dropout_masks_as_bits = lambda model: 0  # PEFT's dropout: two float copies of each input kept
    torch.set_num_threads(spec["threads"])
    cfg = TrainConfig(epochs=1, max_steps=spec["steps"] or None, threads=spec["threads"], **VARIANTS[spec["variant"]])
    losses: list[float] = []
    # CPU seconds (user + sys, all threads) of the training steps alone, read at each progress report: the
    # interval ending at a "train" report is one optimizer step (validation and loading fall outside it)
    cpu = {"last": _cpu_s(), "train": 0.0}
    # where the peak is: resident set sampled every 20 ms, by phase (the progress reports name them)
    phase = ["libraries, base model, encoding"]
    by_phase: dict[str, float] = {"libraries imported": _rss_gb()}

    def sample() -> None:
        while True:
            by_phase[phase[0]] = max(by_phase.get(phase[0], 0.0), _rss_gb())
            time.sleep(0.02)

    threading.Thread(target=sample, daemon=True).start()

    def on_progress(p) -> None:
        now = _cpu_s()
        if p.phase == "train":
            losses.append(p.loss)
            cpu["train"] += now - cpu["last"]
        cpu["last"] = now
        name = {"validate": "validation passes", "train": "training steps (and the closing validation)", "done": "saving"}.get(p.phase, phase[0])
        by_phase.setdefault(name, _rss_gb())  # keys added here only: the sampler never resizes the dict under json.dumps
        phase[0] = name

    with tempfile.TemporaryDirectory() as out:
        r = train_lora(cfg, Path(spec["train"]), Path(spec["val"]), Path(out), progress=on_progress)
    return {
        "variant": spec["variant"], "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,  # KiB on Linux -> GiB
        "tokens_per_s": r.tokens_per_s, "train_tokens": r.train_tokens, "train_seconds": r.train_seconds,
        "wall_seconds": r.wall_seconds, "steps": r.steps, "train_cpu_seconds": cpu["train"],
        "cpu_s_per_ktoken": 1000 * cpu["train"] / max(r.train_tokens, 1), "losses": losses, "val_loss_before": r.val_loss_before,
        "val_loss_after": r.val_loss_after, "precision": r.precision, "peak_rss_gb_by_phase": by_phase,
    }


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_gb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**30


def run_child(spec: dict, *, passive: bool = False) -> dict:
    """One variant in a fresh child; adds the child's whole CPU time (user + sys, from wait4) to its report."""
    env = {**os.environ, "OMP_NUM_THREADS": str(spec["threads"])}
    if passive:  # read by libgomp when torch loads it, so only a fresh process can be told
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([sys.executable, __file__, "--child", json.dumps(spec)], stdout=subprocess.PIPE, stderr=err,
                                text=True, env=env)
        with proc.stdout:
            out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # reaps the child: its rusage is its alone (and its threads')
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{spec['variant']} failed:\n{err.read()[-3000:]}")
    report = json.loads(out.strip().splitlines()[-1])
    report["child_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=6, help="optimizer steps per run (0: the whole epoch, as the demo)")
    ap.add_argument("--rounds", type=int, default=1, help="baseline/improved pairs, alternating")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the demo uses every core; 2 here)")
    ap.add_argument("--passive", action="store_true", help="OMP_WAIT_POLICY=PASSIVE in both children (CPU time without spin-waiting)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0

    with tempfile.TemporaryDirectory(prefix="peri-train-memory-") as d:
        train, val = build_demo_dataset(Path(d))
        runs = []
        for _ in range(args.rounds):
            for variant in VARIANTS:
                spec = {"variant": variant, "steps": args.steps, "threads": args.threads, "train": str(train), "val": str(val)}
                runs.append(run_child(spec, passive=args.passive))
                print(f"{variant:>9}: peak {runs[-1]['peak_rss_gb']:.2f} GiB, {runs[-1]['tokens_per_s']:.0f} tok/s", file=sys.stderr, flush=True)

    def best(variant: str, key: str, pick) -> float:
        return pick(r[key] for r in runs if r["variant"] == variant)

    summary = {
        "steps": args.steps or "epoch", "threads": args.threads, "rounds": args.rounds, "passive": args.passive, "runs": runs,
        "peak_rss_gb": {v: best(v, "peak_rss_gb", max) for v in VARIANTS},
        # the best round of each: on a shared machine the slow rounds measure the neighbours
        "tokens_per_s": {v: best(v, "tokens_per_s", max) for v in VARIANTS},
    }
    summary["memory_ratio"] = summary["peak_rss_gb"]["improved"] / summary["peak_rss_gb"]["baseline"]
    summary["speed_ratio"] = summary["tokens_per_s"]["improved"] / summary["tokens_per_s"]["baseline"]
    pairs = [(a, b) for a, b in zip(runs[::2], runs[1::2])]
    # two ratios per pair, each improved over baseline (above 1: improved is faster): tokens per wall second,
    # and tokens per CPU second of the training steps (user + sys of all threads). On a shared machine wall
    # time counts the neighbours; CPU time counts only this process's work (but spin-waiting OpenMP threads
    # still burn more of it when a partner thread is descheduled, so neither is clean under heavy load)
    summary["pair_speed_ratios"] = [b["tokens_per_s"] / a["tokens_per_s"] for a, b in pairs]
    summary["pair_cpu_ratios"] = [a["cpu_s_per_ktoken"] / b["cpu_s_per_ktoken"] for a, b in pairs]
    for key in ("pair_speed_ratios", "pair_cpu_ratios"):
        ratios = sorted(summary[key])
        summary[key.replace("ratios", "ratio_spread")] = {"min": ratios[0], "median": statistics.median(ratios), "max": ratios[-1]}
    summary["max_loss_difference"] = max(
        (abs(x - y) for a, b in pairs for x, y in zip(a["losses"], b["losses"])), default=None)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"demo fine-tune, {summary['steps']} steps, {args.threads} threads, {args.rounds} round(s)"
          + (", OMP_WAIT_POLICY=PASSIVE" if args.passive else ""))
    for v in VARIANTS:
        print(f"{v:>9}: peak resident {summary['peak_rss_gb'][v]:.2f} GiB = {summary['peak_rss_gb'][v] * 2**30 / 1e9:.2f} GB, "
              f"{summary['tokens_per_s'][v]:.0f} tokens/s")
    for r in runs:
        print(f"  {r['variant']:>9} peak by phase: " + ", ".join(f"{k} {v:.2f}" for k, v in r["peak_rss_gb_by_phase"].items()))
    for i, (a, b) in enumerate(pairs, 1):
        print(f"  pair {i}: baseline {a['peak_rss_gb']:.2f} GiB {a['tokens_per_s']:.1f} tok/s {a['cpu_s_per_ktoken']:.2f} CPU s/1k tok "
              f"(child {a['child_cpu_seconds']:.0f} CPU s) | improved {b['peak_rss_gb']:.2f} GiB {b['tokens_per_s']:.1f} tok/s "
              f"{b['cpu_s_per_ktoken']:.2f} CPU s/1k tok (child {b['child_cpu_seconds']:.0f} CPU s) | "
              f"speed ratio wall {b['tokens_per_s'] / a['tokens_per_s']:.3f}, CPU {a['cpu_s_per_ktoken'] / b['cpu_s_per_ktoken']:.3f}")
    sp, cp = summary["pair_speed_ratio_spread"], summary["pair_cpu_ratio_spread"]
    print(f"improved / baseline: memory {summary['memory_ratio']:.2f}x, speed (best of each) {summary['speed_ratio']:.2f}x, "
          f"wall per pair min {sp['min']:.3f} median {sp['median']:.3f} max {sp['max']:.3f}, "
          f"CPU per pair min {cp['min']:.3f} median {cp['median']:.3f} max {cp['max']:.3f}; "
          f"largest step-loss difference {summary['max_loss_difference']:.2e} (dropout draws differ per pass)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
