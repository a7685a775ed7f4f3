"""Training throughput: peri's LoRA trainer against a plain Hugging Face `Trainer`, measured in one run.

Same base (the embedded SmolLM2-135M, dequantized from its GGUF), same LoRA (r16, alpha 32, all seven
projections), same generated plan-like chat examples of varied lengths, same assistant-only labels, same
number of optimizer steps. The plain Trainer runs as most scripts do: fp32, random batches padded to the
batch's longest example, logits for every position. peri's trainer: length-bucketed batches, logits only
at label positions (on a CPU), bf16 autocast where peri picks it (CPUs with AVX-512-BF16; GPUs only for 1B+
bases); it also runs at the other precision so the effects can be told apart. Tokens/s counts real
(non-padding) tokens. On a GPU use more steps (--steps 30): the first steps there are kernel warm-up.

    .venv/bin/python bench/train.py [--steps 3] [--examples 48] [--batch-size 4] [--auto-only] [--json]
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

LIFTS = ["Squat", "Bench Press", "Deadlift", "Overhead Press", "Barbell Row", "Pull Up", "Romanian Deadlift", "Lunge", "Dip"]


def plan_like_examples(n: int, seed: int) -> list[dict]:
    """Short prompt in, a week's plan in peri's compact text out; 1–6 days, so lengths vary ~4x."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        days = []
        for d in range(rng.randint(1, 6)):
            lines = [f"- {rng.choice(LIFTS)}: {rng.randint(2, 5)}x{rng.randint(3, 12)} @ {rng.randint(20, 220)} kg RPE {rng.randint(6, 9)}"
                     for _ in range(rng.randint(2, 6))]
            days.append(f"Day {d + 1}: {rng.choice(['Upper', 'Lower', 'Full body', 'Push', 'Pull'])}\n" + "\n".join(lines))
        rows.append({"messages": [
            {"role": "system", "content": "You are Peri, a strength coach. Reply with next week's plan only."},
            {"role": "user", "content": f"Intermediate, goal strength, {len(days)} days. Last week {i}: squat {rng.randint(80, 200)} kg x5, "
                                        f"bench {rng.randint(50, 140)} kg x5, {rng.randint(8, 24)} hard sets, avg RPE {rng.randint(6, 9)}."},
            {"role": "assistant", "content": "\n".join(days)},
        ]})
    return rows


def summarize(step_tokens: list[int], step_seconds: list[float]) -> dict:
    """Totals, and the median of per-step tokens/s: this machine is shared, and one slow step (another
    process taking the cores) should not decide the comparison."""
    rates = [t / s for t, s in zip(step_tokens, step_seconds)]
    return {"tokens": sum(step_tokens), "seconds": sum(step_seconds), "tokens_per_s": sum(step_tokens) / sum(step_seconds),
            "median_step_tokens_per_s": statistics.median(rates), "step_tokens_per_s": [round(r) for r in rates]}


def bench_peri(base, data: Path, steps: int, batch_tokens: int, precision: str, device: str) -> dict:
    from peri.tune.train import TrainConfig, train_lora

    cfg = TrainConfig(max_steps=steps, epochs=100, batch_tokens=batch_tokens, precision=precision, device=device,
                      checkpoint_every=10**6, warmup_ratio=0.0)
    seen = [(0, 0.0)]  # cumulative (train tokens, train seconds) after each optimizer step

    def on_progress(p) -> None:
        if p.phase == "train":
            seen.append((p.train_tokens, p.train_seconds))

    with tempfile.TemporaryDirectory() as out:
        r = train_lora(cfg, data, None, Path(out), base=base, write_gguf=False, progress=on_progress)
    step_tokens = [b[0] - a[0] for a, b in zip(seen, seen[1:])]
    step_seconds = [b[1] - a[1] for a, b in zip(seen, seen[1:])]
    return {**summarize(step_tokens, step_seconds), "pad_fraction": r.pad_fraction, "precision": r.precision,
            "final_loss": r.final_train_loss}


def bench_hf_trainer(model, tokenizer, encoded: list, steps: int, batch_size: int, device: str) -> dict:
    import torch
    from datasets import Dataset
    from peft import LoraConfig, get_peft_model
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainerCallback, TrainingArguments

    from peri.tune.train import DEFAULT_TARGET_MODULES

    torch.manual_seed(0)
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules=DEFAULT_TARGET_MODULES, task_type="CAUSAL_LM"))
    ds = Dataset.from_list([{"input_ids": e.input_ids, "labels": e.labels, "attention_mask": [1] * len(e.input_ids)} for e in encoded])
    pad = DataCollatorForSeq2Seq(tokenizer, padding="longest", label_pad_token_id=-100)
    real: list[int] = []  # per collated batch, in order (the Trainer fetches a batch before its step begins)
    padded: list[int] = []
    step_seconds: list[float] = []

    def collate(features):
        batch = pad(features)
        real.append(int(batch["attention_mask"].sum()))
        padded.append(int(batch["attention_mask"].numel()))
        return batch

    class StepTimer(TrainerCallback):
        def on_step_begin(self, *a, **k):
            self.t0 = time.perf_counter()

        def on_step_end(self, *a, **k):
            step_seconds.append(time.perf_counter() - self.t0)

    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(
            output_dir=out, per_device_train_batch_size=batch_size, max_steps=steps, learning_rate=2e-4,
            lr_scheduler_type="linear", save_strategy="no", report_to=[], logging_steps=10**6, disable_tqdm=True,
            use_cpu=device == "cpu", dataloader_num_workers=0, seed=0,
        )
        trainer = Trainer(model=model, args=args, train_dataset=ds, data_collator=collate, callbacks=[StepTimer()])
        with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its summary; --json owns stdout
            trainer.train()
    n = len(step_seconds)
    return {**summarize(real[:n], step_seconds), "pad_fraction": 1 - sum(real[:n]) / max(sum(padded[:n]), 1), "precision": "fp32"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=3, help="optimizer steps per trainer")
    ap.add_argument("--examples", type=int, default=48)
    ap.add_argument("--batch-size", type=int, default=4, help="examples per step for the plain Trainer")
    ap.add_argument("--auto-only", action="store_true", help="run peri only at the precision it picks (skip the other one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import torch

    from peri.tune.base_model import load_base
    from peri.tune.train import cpu_supports_bf16, encode_conversation, pick_precision

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        torch.set_num_threads(os.cpu_count() or 1)
    base = load_base(None)
    pristine = copy.deepcopy(base.model)
    rows = plan_like_examples(args.examples, seed=0)
    encoded = [encode_conversation(base.tokenizer, r["messages"]) for r in rows]
    lengths = [len(e.input_ids) for e in encoded]
    mean_len = sum(lengths) / len(lengths)
    # peri's micro-batch budget: the plain Trainer's batch size times the mean length, so both see about
    # the same tokens per optimizer step
    batch_tokens = max(max(lengths), int(args.batch_size * mean_len))

    with tempfile.TemporaryDirectory() as d:
        data = Path(d) / "train.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
        results = {}
        results["hf_trainer_fp32_padded"] = bench_hf_trainer(copy.deepcopy(pristine), base.tokenizer, encoded, args.steps, args.batch_size, device)
        precision = pick_precision("auto", device, sum(p.numel() for p in pristine.parameters()))
        base.model = copy.deepcopy(pristine)
        results[f"peri_{precision}"] = bench_peri(base, data, args.steps, batch_tokens, "auto", device)
        other = "fp32" if precision == "bf16" else "bf16"
        if not args.auto_only and (other == "fp32" or device == "cuda" or cpu_supports_bf16()):
            base.model = copy.deepcopy(pristine)
            results[f"peri_{other}"] = bench_peri(base, data, args.steps, batch_tokens, other, device)

    hf = results["hf_trainer_fp32_padded"]["tokens_per_s"]
    hf_median = results["hf_trainer_fp32_padded"]["median_step_tokens_per_s"]
    summary = {
        "device": torch.cuda.get_device_name(0) if device == "cuda" else f"cpu x{torch.get_num_threads()} threads",
        "avx512_bf16": cpu_supports_bf16(),
        "steps": args.steps,
        "examples": args.examples,
        "example_tokens": {"min": min(lengths), "mean": round(mean_len), "max": max(lengths)},
        "results": results,
        "ratio_vs_hf_trainer": {k: v["tokens_per_s"] / hf for k, v in results.items() if k.startswith("peri")},
        "ratio_vs_hf_trainer_median_step": {k: v["median_step_tokens_per_s"] / hf_median for k, v in results.items() if k.startswith("peri")},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"device: {summary['device']}  avx512_bf16: {summary['avx512_bf16']}  steps: {args.steps}  "
          f"example tokens min/mean/max: {min(lengths)}/{round(mean_len)}/{max(lengths)}")
    for k, v in results.items():
        print(f"{k:26s} {v['tokens_per_s']:8.0f} tokens/s  (median step {v['median_step_tokens_per_s']:.0f}; {v['tokens']} real tokens "
              f"in {v['seconds']:.1f} s, {v['pad_fraction']:.1%} padding)")
    for k, ratio in summary["ratio_vs_hf_trainer"].items():
        print(f"{k} / plain HF Trainer: {ratio:.2f}x (median step: {summary['ratio_vs_hf_trainer_median_step'][k]:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
