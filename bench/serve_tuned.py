"""Serving a tuned model on llama.cpp: GGUF LoRA adapter on the Q4_1 base, or the LoRA merged into a GGUF?

Builds one LoRA on the embedded SmolLM2-135M (random B of std --b-std, so the adapter matters), takes
transformers + peft as the reference, and for each way of serving it measures in its own process (several
llama.cpp models in one process slow each other): agreement with the reference over every position of a
chat-formatted plan (top-1, mean |logprob difference| over llama.cpp's top 10) and decode speed (tokens/s
for 128 generated tokens, median of 3). Variants: the bare Q4_1 base (against the base reference: the
floor two engines reach), the adapter on Q4_1, the LoRA merged into the projections written as F16, Q8_0
and Q4_1 (other tensors copied unchanged).

    .venv/bin/python bench/serve_tuned.py [--threads 2] [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TEXT = [
    {"role": "system", "content": "You are a strength coach. Reply with next week's plan only."},
    {"role": "user", "content": "Intermediate lifter, 4 days, goal strength. Last week: squat 140 kg x5, bench 100 kg x5, 14 hard sets."},
    {"role": "assistant", "content": "Day 1\n- Squat: 4x5 @ 142.5 kg\n- Bench Press: 4x5 @ 102.5 kg\n- Barbell Row: 3x8 @ 70 kg\nDay 2\n- Deadlift: 3x4 @ 180 kg"},
]
FIRST = 8  # first prefix length compared


def merge_into_gguf(base_gguf: Path, peft_dir: Path, out: Path, qtype: str) -> Path:
    """The base GGUF with W + (alpha/r)·B·A in every LoRA'd projection (q/k rows permuted as the base's)."""
    import numpy as np
    from gguf import GGMLQuantizationType, GGUFReader, GGUFValueType, GGUFWriter, Keys
    from gguf.quants import dequantize, quantize
    from safetensors.numpy import load_file

    from peri.tune.gguf_adapter import GGUF_NAMES, base_gguf_info, permute_qk_rows

    info = base_gguf_info(base_gguf)
    cfg = json.loads((peft_dir / "adapter_config.json").read_text())
    scale = cfg["lora_alpha"] / cfg["r"]
    lora = load_file(str(peft_dir / "adapter_model.safetensors"))
    deltas = {}
    for key in lora:
        if ".lora_A." not in key:
            continue
        parts = key.split(".")
        layer, proj = int(parts[parts.index("layers") + 1]), parts[-3]
        a, b = lora[key], lora[key.replace("lora_A", "lora_B")]
        if proj in ("q_proj", "k_proj"):
            b = permute_qk_rows(b, info["n_head"] if proj == "q_proj" else info["n_head_kv"])
        deltas[f"blk.{layer}.{GGUF_NAMES[proj]}.weight"] = scale * (b @ a)

    reader = GGUFReader(str(base_gguf))
    writer = GGUFWriter(str(out), info["arch"])
    for field in reader.fields.values():
        if field.name == Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), vtype, sub_type=sub)
    target = {"F16": None, "Q8_0": GGMLQuantizationType.Q8_0, "Q4_1": GGMLQuantizationType.Q4_1}[qtype]
    for t in reader.tensors:
        if t.name not in deltas:
            writer.add_tensor(t.name, t.data, raw_shape=t.data.shape, raw_dtype=t.tensor_type)
            continue
        w = dequantize(t.data, t.tensor_type).astype(np.float32) + deltas[t.name]
        if target is None:
            writer.add_tensor(t.name, w.astype(np.float16))
        else:
            q = quantize(w, target)
            writer.add_tensor(t.name, q, raw_shape=q.shape, raw_dtype=target)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out


def child(model: str, adapter: str, ref_path: str, threads: int) -> None:
    """One llama.cpp model in this process: agreement with the reference, then decode speed."""
    import numpy as np
    import xllamacpp as xl

    ref = np.load(ref_path)
    ids, ref_lp = ref["ids"].tolist(), ref["logprobs"]
    p = xl.CommonParams()
    p.model.path = model
    p.n_ctx = 1024
    p.n_parallel = 1
    p.cpuparams.n_threads = threads
    p.cpuparams_batch.n_threads = threads
    if adapter:
        a = xl.CommonAdapterLoraInfo()
        a.path, a.scale = adapter, 1.0
        p.lora_adapters = [a]
    server = xl.Server(p)
    top1, err = [], []
    for n, i in enumerate(range(FIRST, len(ids) + 1)):
        r = server.handle_completions({"prompt": ids[:i], "max_tokens": 1, "n_probs": 10, "temperature": 0})
        top = {t["id"]: t["logprob"] for t in r["choices"][0]["logprobs"]["content"][0]["top_logprobs"]}
        top1.append(max(top, key=top.get) == int(ref_lp[n].argmax()))
        err.append(float(np.mean([abs(lp - ref_lp[n][t]) for t, lp in top.items()])))
    speeds = []
    for k in range(3):
        r = server.handle_completions({"prompt": ids[: 40 + k], "max_tokens": 128, "temperature": 0, "ignore_eos": True, "cache_prompt": False})
        speeds.append(r["timings"]["predicted_per_second"])
    print(json.dumps({"top1": float(np.mean(top1)), "logprob_err": float(np.mean(err)), "decode_tok_s": statistics.median(speeds),
                      "decode_runs": speeds, "size_mb": Path(model).stat().st_size / 1e6 + (Path(adapter).stat().st_size / 1e6 if adapter else 0)}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--b-std", type=float, default=0.05, help="std of the random LoRA B matrices")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child, threads=args.threads)
        return 0

    import numpy as np
    import torch
    from peft import LoraConfig, get_peft_model

    from peri.paths import embedded_model_path
    from peri.tune.base_model import load_base
    from peri.tune.gguf_adapter import GGUF_NAMES, peft_to_gguf_lora

    gguf = embedded_model_path()
    base = load_base(gguf)
    tok = base.tokenizer
    ids = tok(tok.apply_chat_template(TEXT, tokenize=False), add_special_tokens=False)["input_ids"]

    def logprobs(model) -> np.ndarray:
        with torch.no_grad():
            lp = torch.log_softmax(model(input_ids=torch.tensor([ids])).logits[0].float(), -1).numpy()
        return lp[FIRST - 1 :]

    ref_base = logprobs(base.model)
    torch.manual_seed(0)
    model = get_peft_model(base.model, LoraConfig(r=16, lora_alpha=32, target_modules=list(GGUF_NAMES), lora_dropout=0.0))
    ratios = []
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, args.b_std)
        for mod in model.modules():
            if hasattr(mod, "lora_A") and "default" in getattr(mod, "lora_A", {}):
                d = mod.lora_B["default"].weight @ mod.lora_A["default"].weight * mod.scaling["default"]
                ratios.append(float(d.norm() / mod.base_layer.weight.norm()))
    model.eval()
    ref_tuned = logprobs(model)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        model.save_pretrained(str(d / "peft"))
        np.savez(d / "base.npz", ids=np.array(ids), logprobs=ref_base)
        np.savez(d / "tuned.npz", ids=np.array(ids), logprobs=ref_tuned)
        adapter = peft_to_gguf_lora(d / "peft", gguf, d / "adapter.gguf")
        variants = {"base Q4_1 (floor)": (gguf, "", "base.npz"), "adapter on Q4_1": (gguf, adapter, "tuned.npz")}
        for q in ("F16", "Q8_0", "Q4_1"):
            variants[f"merged {q}"] = (merge_into_gguf(gguf, d / "peft", d / f"merged-{q}.gguf", q), "", "tuned.npz")
        for label, (m, a, ref) in variants.items():
            out = subprocess.run([sys.executable, __file__, "--threads", str(args.threads), "--child", str(m), str(a), str(d / ref)],
                                 capture_output=True, text=True, check=True)
            results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    summary = {
        "lora_delta_to_weight_norm": {"mean": statistics.mean(ratios), "max": max(ratios)},
        "hf_base_vs_tuned_top1": float(np.mean(ref_base.argmax(-1) == ref_tuned.argmax(-1))),
        "positions": len(ref_tuned),
        "threads": args.threads,
        "results": results,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"positions {summary['positions']}, LoRA |ΔW|/|W| mean {summary['lora_delta_to_weight_norm']['mean']:.3f}, "
          f"transformers base vs tuned top-1 {summary['hf_base_vs_tuned_top1']:.3f}, {args.threads} threads")
    for k, v in results.items():
        print(f"{k:20s} top-1 {v['top1']:.3f}  |Δlogprob| {v['logprob_err']:.3f}  decode {v['decode_tok_s']:6.1f} tok/s  {v['size_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
