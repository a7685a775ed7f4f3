"""PEFT LoRA adapter → GGUF LoRA adapter, so llama.cpp serves a tuned model on its unchanged base GGUF.

Two traps, both silent, both caught only by comparing logits against transformers + peft (the slow test
in tests/test_gguf_adapter.py does that):

- llama.cpp scales a LoRA by `adapter.lora.alpha / r`; without the alpha key it silently uses another
  scale. It is written here as float32 (for rsLoRA, the alpha that gives the same alpha/sqrt(r) scale).
- llama.cpp's HF→GGUF conversion of llama models permutes the rows of the q and k projections (per head,
  the two rotary halves interleaved). The base GGUF holds q/k in that order, so the adapter's `lora_b` of
  attn_q / attn_k must get the same row permutation (head count for q, KV head count for k). Without it
  the adapter loads and still shifts the output's style, but its logits are far off.

Adapter or merged GGUF? Measured with bench/serve_tuned.py (SmolLM2-135M, random LoRA r16 on all seven
projections, |ΔW|/|W| ≈ 5%; 134 positions of a chat-formatted plan; agreement with transformers + peft:
top-1 and mean |logprob difference| over llama.cpp's top 10):

    base Q4_1 vs transformers base (the floor)   top-1 0.985   |Δlogprob| 0.084   98 MB
    adapter on the Q4_1 base                      top-1 0.978   |Δlogprob| 0.089   98 MB + 20 MB adapter
    merged, projections F16                       top-1 0.993   |Δlogprob| 0.038   244 MB
    merged, projections Q8_0                      top-1 0.978   |Δlogprob| 0.109   145 MB
    merged, re-quantized to Q4_1                  top-1 0.903   |Δlogprob| 0.496   98 MB   (loses the tune)
    adapter without the q/k permutation           top-1 0.85    |Δlogprob| 0.55    (tests/test_gguf_adapter.py)

Decode speed could not be measured cleanly here (the 2-core machine was shared with other training jobs;
the same run gave 2–150 tok/s for files of equal size). /work/shared/FACTS.md's quiet-machine figures, 2
threads: Q4_1 base 85–125 tok/s, Q4_1 + adapter 62–81, merged Q8_0 84–94, merged F16 66–75.
peri keeps the adapter: it agrees with transformers + peft as closely as the base models agree with each
other, every athlete shares one base and adds a 20 MB file instead of a 145–244 MB model, and there is no
re-quantization step that can silently erase the training (a real LoRA update is ~1% of a weight's norm,
finer than the 5% used above, so a Q4_1 merge loses even more). A merged Q8_0 decodes ~20% faster; that
is the option to revisit if decode speed ever matters more than disk and simplicity.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError, TrainingError

__all__ = ["GGUF_NAMES", "base_gguf_info", "peft_to_gguf_lora", "permute_qk_rows"]

# PEFT module name → llama.cpp tensor name, for llama-architecture models.
GGUF_NAMES = {
    "q_proj": "attn_q",
    "k_proj": "attn_k",
    "v_proj": "attn_v",
    "o_proj": "attn_output",
    "gate_proj": "ffn_gate",
    "up_proj": "ffn_up",
    "down_proj": "ffn_down",
}


def base_gguf_info(base_gguf: Path) -> dict[str, Any]:
    """Architecture, head counts and layer count read from the base GGUF's metadata."""
    path = Path(base_gguf).resolve()
    st = path.stat()
    return dict(_read_base_gguf_info(str(path), st.st_size, st.st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _read_base_gguf_info(base_gguf: str, size: int, mtime_ns: int) -> dict[str, Any]:
    # Cached per file version (size and mtime in the key): GGUFReader parses every metadata field, the whole
    # tokenizer vocabulary included, ~5-10 s on 2 cores for the embedded model, to answer four numbers.
    from gguf import GGUFReader

    reader = GGUFReader(base_gguf)

    def field(key: str) -> Any:
        f = reader.get_field(key)
        if f is None:
            raise ConfigError(f"base GGUF has no {key!r} metadata", place=str(base_gguf))
        return f.contents()

    arch = field("general.architecture")
    return {
        "arch": arch,
        "n_head": int(field(f"{arch}.attention.head_count")),
        "n_head_kv": int(field(f"{arch}.attention.head_count_kv")),
        "n_layer": int(field(f"{arch}.block_count")),
    }


def permute_qk_rows(weights: Any, n_head: int) -> Any:
    """The row order llama.cpp's converter gives q/k weights: per head, rotary halves interleaved."""
    rows = weights.shape[0]
    return weights.reshape(n_head, 2, rows // n_head // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(weights.shape)


def peft_to_gguf_lora(
    peft_dir: Path,
    base_gguf: Path,
    out_path: Path,
    dtype: Literal["f32", "f16"] = "f32",
    *,
    permute_qk: bool = True,
) -> Path:
    """Write `out_path`, a GGUF LoRA adapter for `base_gguf`, from a PEFT adapter directory.

    `permute_qk=False` exists only so a test can show what the permutation prevents.
    """
    import numpy as np
    from gguf import GGUFType, GGUFWriter, Keys
    from safetensors.numpy import load_file

    peft_dir, out_path = Path(peft_dir), Path(out_path)
    cfg = json.loads((peft_dir / "adapter_config.json").read_text())
    if cfg.get("peft_type", "LORA") != "LORA":
        raise TrainingError(f"not a LoRA adapter: peft_type={cfg.get('peft_type')}", place=str(peft_dir))
    if cfg.get("rank_pattern") or cfg.get("alpha_pattern"):
        raise TrainingError("per-module ranks or alphas cannot be written as one GGUF adapter", place=str(peft_dir))
    if cfg.get("use_dora"):
        raise TrainingError("DoRA adapters are not supported by llama.cpp's LoRA loader", place=str(peft_dir))
    r, alpha = int(cfg["r"]), float(cfg["lora_alpha"])
    if cfg.get("use_rslora"):
        alpha = alpha * math.sqrt(r)  # llama.cpp scales by alpha / r; rsLoRA means alpha / sqrt(r)

    info = base_gguf_info(base_gguf)
    if info["arch"] != "llama":
        raise ConfigError(f"GGUF adapters are written for llama-architecture bases, not {info['arch']!r}", place=str(base_gguf))
    weights = load_file(str(peft_dir / "adapter_model.safetensors"))
    np_dtype = np.float32 if dtype == "f32" else np.float16

    writer = GGUFWriter(str(out_path), info["arch"])
    writer.add_type(GGUFType.ADAPTER)
    writer.add_string(Keys.Adapter.TYPE, "lora")
    writer.add_float32(Keys.Adapter.LORA_ALPHA, alpha)
    written = 0
    for key in sorted(weights):
        # base_model.model.model.layers.{N}.{self_attn|mlp}.{proj}.lora_{A|B}.weight
        parts = key.split(".")
        if "layers" not in parts or parts[-2] not in ("lora_A", "lora_B"):
            raise TrainingError(f"unexpected tensor {key} in the PEFT adapter", place=str(peft_dir), hint="only LoRA on linear projections converts")
        layer = int(parts[parts.index("layers") + 1])
        proj = parts[-3]
        if proj not in GGUF_NAMES:
            raise TrainingError(f"no llama.cpp tensor for module {proj!r}", place=key)
        tensor = weights[key].astype(np.float32)
        if parts[-2] == "lora_B" and permute_qk and proj in ("q_proj", "k_proj"):
            tensor = permute_qk_rows(tensor, info["n_head"] if proj == "q_proj" else info["n_head_kv"])
        suffix = "lora_a" if parts[-2] == "lora_A" else "lora_b"
        writer.add_tensor(f"blk.{layer}.{GGUF_NAMES[proj]}.weight.{suffix}", np.ascontiguousarray(tensor.astype(np_dtype)))
        written += 1
    if not written:
        raise TrainingError("the PEFT adapter holds no LoRA tensors", place=str(peft_dir))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out_path
