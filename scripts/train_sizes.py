"""Train one LoRA adapter per training-set size, for a learning curve trained where the compute is.

The learning curve (`peri eval --learning-curve`) trains and evaluates on one machine; on 2 CPU cores three
epochs over every size take hours. This script does the training half anywhere (a lent or rented GPU), on
the most recent N examples of an athlete's dataset (the same nested subsets as peri.evaluate.learning),
and writes each adapter as a directory that `peri finetune import` registers on the machine that serves
and evaluates it. It needs only the dataset files and the base model; no store, no simulator.

    python scripts/train_sizes.py --train D/train.jsonl --val D/val.jsonl --out DIR [--sizes 25,50,100,0] [--epochs 3]
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--val", type=Path)
    ap.add_argument("--out", type=Path, required=True, help="one sub-directory per size is written here")
    ap.add_argument("--prefix", default="n", help="adapter directory name prefix (name = PREFIX + size)")
    ap.add_argument("--sizes", default="25,50,100,0", help="comma-separated example counts; 0 = all")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-steps", type=int, default=None, help="cap optimizer steps (smoke tests)")
    ap.add_argument("--gguf-dtype", default="f16", choices=["f16", "f32"], help="f16 halves the file to copy back")
    args = ap.parse_args(argv)

    from peri.evaluate.learning import curve_sizes, recent_subset
    from peri.tune.base_model import load_base
    from peri.tune.train import TrainConfig, train_lora

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    t0 = time.perf_counter()
    base = load_base(None)
    load_s = time.perf_counter() - t0
    pristine = copy.deepcopy(base.model)  # train_lora injects LoRA layers into the model it is given
    summary = {"load_seconds": load_s, "adapters": []}
    for n_eff in curve_sizes(args.train, sizes):
        out = args.out / f"{args.prefix}{n_eff}"
        out.mkdir(parents=True, exist_ok=True)
        subset = out / "train_subset.jsonl"
        recent_subset(args.train, n_eff, subset)
        base.model = copy.deepcopy(pristine)
        cfg = TrainConfig(epochs=args.epochs, max_steps=args.max_steps, gguf_dtype=args.gguf_dtype)
        r = train_lora(cfg, subset, args.val, out, base=base)
        row = {"examples": n_eff, "dir": str(out), **r.model_dump(mode="json", include={
            "steps", "epochs_done", "train_tokens", "tokens_per_s", "train_seconds", "wall_seconds", "device", "precision",
            "val_loss_before", "val_loss_after", "val_losses"})}
        summary["adapters"].append(row)
        print(json.dumps(row), flush=True)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
