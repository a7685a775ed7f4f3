"""Local LoRA training of a chat model on an athlete's dataset, resumable, on CPU by default.

Read it top to bottom: configuration, data (chat JSONL → token ids + assistant-only labels → length
buckets), setup (base model + LoRA), the training loop with checkpoints, then saving (PEFT adapter,
metadata, GGUF LoRA adapter for llama.cpp) and registering the model so `peri plan --model ft:NAME`
serves it.

Choices, and why:
- Loss on assistant tokens only. SmolLM2's chat template has no `{% generation %}` markers, so the mask
  is built here: for each assistant turn, the conversation rendered up to that turn with
  `add_generation_prompt=True` is a token prefix of the conversation rendered through the turn; the
  tokens between the two, up to and including the end-of-turn token, are the labels.
- Length bucketing rather than packing. Examples are shuffled, then sorted by length inside windows of
  `bucket_window` examples and cut into micro-batches under a token budget, so a batch holds examples of
  nearly equal length; padding stays a few percent (reported as `pad_fraction`: 3.0% on bench/train.py's
  plan-like examples of 120–708 tokens, against 34.5% for random batches of 4 padded to their longest). Packing
  would need a block-diagonal attention mask, which forces the slow masked attention path on CPU and
  computes attention across the whole packed row anyway; bucketing keeps plain causal attention.
- The output projection (576 × 49,152 for the embedded model, a fifth of the compute per token) runs
  only on label positions: prompt tokens need hidden states, not logits.
- bf16 autocast on CPUs with AVX-512-BF16 (or on CUDA): a LoRA step on 4 × 414 tokens of the embedded
  model took ~4 s in bf16 against ~9–10 s in fp32 on this 2-core machine (quiet moments; it is shared).
  LoRA weights and optimizer state stay fp32.
- Activation memory on a CPU: LoRA's input dropout kept two float copies of each LoRA layer's input for
  the backward pass (the noise and the dropped input): 1.2 of 2.1 MB a token of the embedded model.
  `keep_lora_dropout_masks_as_bits` fuses dropout and `lora_A` so a 1-byte mask is kept instead (-35 %
  activations, measured with saved-tensor hooks); the same dropout, its mask drawn with numpy (torch's
  CPU `bernoulli_` was a tenth of a step) and its scale put on the small weight (`draw_keep_mask`).
- glibc on a CPU: blocks over 4 MB are mmapped (freed is gone) and the heap is trimmed after each
  optimizer step, so the resident set does not grow step after step; a lower threshold (128 KB) made every
  activation fresh zeroed pages, a fifth of a step's CPU time, and a trim after every pass (not step) cost
  ~3x the page faults. Where the time of a step went, measured: not the pass size (passes of 512 tokens
  cost no more CPU a token than the whole batch) nor the chunked loss (the same), but page faults, the
  dropout's draws and, under load, OpenMP threads spinning (`MMAP_THRESHOLD`, bench/train_memory.py).
  `OMP_WAIT_POLICY=PASSIVE` is not set for the person: on a near-idle machine it made a pass 1.7x slower by
  the clock (10.9 against 6.5 ms a token), however much CPU it saves under load (docs/results.md).
- Checkpoints every `checkpoint_every` optimizer steps and at each epoch end hold the LoRA weights,
  optimizer, scheduler, RNG states and the data position; the batch order of an epoch is a pure
  function of (seed, epoch), so a resumed run continues the very same sequence of batches and ends with
  the same number of optimizer steps as an uninterrupted one. Written to a temporary directory and
  renamed, so a kill never leaves a half-written checkpoint.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError, DatasetError, TrainingError

__all__ = [
    "DEFAULT_TARGET_MODULES",
    "EncodedExample",
    "TrainConfig",
    "TrainProgress",
    "TrainResult",
    "cpu_supports_bf16",
    "encode_conversation",
    "keep_lora_dropout_masks_as_bits",
    "load_chat_jsonl",
    "plan_batches",
    "split_batch",
    "register_tuned_model",
    "release_freed_memory_promptly",
    "return_freed_heap",
    "store_frozen_weights_in_bf16",
    "train_lora",
]

DEFAULT_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
IGNORE = -100
CONFIG_FILE = "train_config.yaml"
META_FILE = "peri_adapter.json"
GGUF_ADAPTER_FILE = "adapter.gguf"


# --- configuration -------------------------------------------------------------------------------


class TrainConfig(BaseModel):
    """Everything that decides a training run. Defaults → YAML file → CLI flags; saved beside the adapter."""

    model_config = ConfigDict(extra="forbid")

    base: str = Field("embedded", description="Base model: 'embedded' (the shipped SmolLM2 GGUF), a .gguf file or an HF model directory.")
    rank: int = Field(16, ge=1, description="LoRA rank r.")
    alpha: float = Field(32.0, gt=0, description="LoRA alpha; the update is scaled by alpha / r.")
    dropout: float = Field(0.05, ge=0, lt=1, description="Dropout on the LoRA input.")
    target_modules: list[str] = Field(default_factory=lambda: list(DEFAULT_TARGET_MODULES), description="Linear layers that get a LoRA (all seven projections by default).")
    epochs: int = Field(3, ge=1, description="Passes over the training set.")
    max_steps: int | None = Field(None, ge=1, description="Stop after this many optimizer steps (overrides epochs when smaller).")
    # Chosen on validation loss, never on the oracle: one epoch (40 steps) on the seed preset's dataset took
    # validation loss from 2.02 to 1.19 at 2e-4 (the model still answered in prose) and to 0.52 at 1e-3.
    lr: float = Field(1e-3, gt=0, description="Peak learning rate of AdamW.")
    weight_decay: float = Field(0.0, ge=0, description="AdamW weight decay on the LoRA weights.")
    warmup_ratio: float = Field(0.05, ge=0, le=1, description="Fraction of optimizer steps with linear warm-up; linear decay to 0 after.")
    batch_tokens: int = Field(2048, ge=16, description="Token budget of one batch (longest example × examples, padding included).")
    # Memory, not maths: activations kept for the backward pass cost ~1.8 MB a token for the embedded model
    # in fp32, so a 2,048-token pass held ~3.7 GB of them. The passes of one batch add their gradients up
    # before the step, which is the same update as one pass over the whole batch (up to float rounding).
    micro_batch_tokens: int | None = Field(512, ge=16, description="Token budget of one forward/backward pass; a batch over it runs as several passes (None: the whole batch in one pass).")
    loss_chunk: int | None = Field(256, ge=1, description="Label tokens whose 49k-word logits exist at once in the loss (None: all of a pass's at once).")
    grad_accum: int = Field(1, ge=1, description="Micro-batches per optimizer step.")
    max_seq_len: int = Field(1024, ge=8, description="Examples longer than this (in tokens) are left out and counted.")
    bucket_window: int = Field(64, ge=1, description="Examples sorted by length inside windows of this many shuffled examples.")
    checkpoint_every: int = Field(20, ge=1, description="Write a resumable checkpoint every this many optimizer steps (and at each epoch end).")
    seed: int = Field(0, description="Seed for LoRA init, data order and dropout.")
    precision: Literal["auto", "bf16", "fp32"] = Field(
        "auto", description="auto: bf16 autocast on CPUs with AVX-512-BF16 and on CUDA for bases of 1B+ parameters, else fp32.")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="auto: CUDA when present, else CPU.")
    threads: int | None = Field(None, ge=1, description="CPU threads for torch (default: all cores).")
    gguf_dtype: Literal["f32", "f16"] = Field("f32", description="Tensor type of the GGUF LoRA adapter written for llama.cpp.")

    @classmethod
    def from_yaml(cls, path: Path) -> TrainConfig:
        return cls.from_layers(path, {})

    @classmethod
    def from_layers(cls, path: Path | None, overrides: dict[str, Any]) -> TrainConfig:
        """Defaults, then the YAML file (if any), then explicit overrides (CLI flags; None means unset)."""
        data: dict[str, Any] = {}
        if path is not None:
            from ..paths import read_text_file

            try:
                loaded = yaml.safe_load(read_text_file(path, what="training config", max_bytes=1024 * 1024)) or {}
            except yaml.YAMLError as e:
                raise ConfigError(f"cannot read training config: {e}", place=str(path)) from None
            except RecursionError:
                raise ConfigError("training config nested too deeply", place=str(path)) from None
            if not isinstance(loaded, dict):
                raise ConfigError("training config must be a mapping of field: value", place=str(path))
            data.update(loaded)
        data.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**data)
        except ValidationError as e:
            err = e.errors()[0]
            field = ".".join(str(x) for x in err["loc"])
            raise ConfigError(err["msg"], place=f"{path or 'flags'}: {field}", hint="see `peri finetune local --help`") from e

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False)


class TrainProgress(BaseModel):
    """One progress report: after each optimizer step, each validation pass, each checkpoint."""

    phase: Literal["validate", "train", "checkpoint", "done"]
    step: int
    total_steps: int
    epoch: int
    loss: float | None = None
    val_loss: float | None = None
    tokens_per_s: float | None = None
    lr: float | None = None
    train_tokens: int = 0  # real (non-padding) tokens trained on so far
    train_seconds: float = 0.0  # time in forward/backward/optimizer so far (validation excluded)


class TrainResult(BaseModel):
    """What a finished run produced and measured."""

    out_dir: str
    peft_adapter: str
    gguf_adapter: str | None
    base_path: str
    base_sha256: str
    dataset_sha256: str
    steps: int
    epochs_done: int
    train_examples: int
    val_examples: int
    dropped_too_long: int
    train_tokens: int
    tokens_per_s: float
    train_seconds: float
    wall_seconds: float
    pad_fraction: float
    precision: str
    device: str
    val_loss_before: float | None
    val_loss_after: float | None
    val_losses: list[float]
    final_train_loss: float | None
    resumed_from_step: int | None


# --- data -------------------------------------------------------------------------------------------


@dataclass
class EncodedExample:
    input_ids: list[int]
    labels: list[int]  # IGNORE (-100) where no loss is taken

    @property
    def n_label_tokens(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE)


def load_chat_jsonl(path: Path) -> list[list[dict[str, str]]]:
    """Conversations from an OpenAI chat JSONL file; a bad line is a DatasetError naming it."""
    path = Path(path)
    if not path.exists():
        raise DatasetError(f"dataset file {path} not found", hint="run `peri dataset build --athlete NAME` first")
    out: list[list[dict[str, str]]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            msgs = row["messages"]
            if not isinstance(msgs, list) or not all(isinstance(m, dict) and "role" in m and "content" in m for m in msgs):
                raise ValueError("messages must be a list of {role, content}")
        except (ValueError, KeyError, TypeError) as e:
            raise DatasetError(f"not a chat example: {e}", place=f"{path}:{n}", hint="check it with `peri dataset check`") from e
        if not any(m["role"] == "assistant" for m in msgs):
            raise DatasetError("example has no assistant message", place=f"{path}:{n}")
        out.append([{"role": m["role"], "content": m["content"]} for m in msgs])
    return out


def _render(tokenizer: Any, messages: list[dict[str, str]], *, gen_prompt: bool) -> list[int]:
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=gen_prompt)
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def encode_conversation(tokenizer: Any, messages: list[dict[str, str]]) -> EncodedExample:
    """Token ids of the whole conversation, labels only on assistant replies and their end-of-turn token."""
    ids = _render(tokenizer, messages, gen_prompt=False)
    labels = [IGNORE] * len(ids)
    end_id = tokenizer.eos_token_id
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        prompt = _render(tokenizer, messages[:i], gen_prompt=True)
        through = _render(tokenizer, messages[: i + 1], gen_prompt=False)
        if ids[: len(through)] != through or through[: len(prompt)] != prompt:
            raise DatasetError(
                "the chat template does not render conversations as prefixes of each other",
                hint="this base model's template cannot be masked turn by turn",
            )
        # The template ends a turn with the end-of-turn token and then a newline; learn to stop, not the
        # newline. Found by what the tokens are, not by eos_token_id alone: transformers 5.24 reads SmolLM2's
        # GGUF with eos = <|im_end|>, 5.17 with eos = <|im_start|>, and the turn ends with <|im_end|> in both.
        stop = len(through)
        while stop > len(prompt) and ids[stop - 1] != end_id and not tokenizer.decode([ids[stop - 1]]).strip():
            stop -= 1
        for j in range(len(prompt), stop):
            labels[j] = ids[j]
    return EncodedExample(ids, labels)


def plan_batches(lengths: Sequence[int], *, batch_tokens: int, window: int, seed: int, shuffle: bool = True) -> list[list[int]]:
    """Micro-batches of example indices: shuffled, sorted by length per window, cut under a token budget.

    A pure function of its arguments: a resumed run recomputes exactly the batches it was working through.
    """
    order = list(range(len(lengths)))
    rng = random.Random(seed)
    if shuffle:
        rng.shuffle(order)
    batches: list[list[int]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        cur: list[int] = []
        for i in chunk:
            longest = max([lengths[j] for j in cur] + [lengths[i]])
            if cur and longest * (len(cur) + 1) > batch_tokens:
                batches.append(cur)
                cur = []
            cur.append(i)
        if cur:
            batches.append(cur)
    if shuffle:
        rng.shuffle(batches)  # otherwise every window would go short → long
    return batches


def split_batch(batch: list[int], lengths: Sequence[int], budget: int | None) -> list[list[int]]:
    """`batch` cut, in order, into passes whose longest example × examples stays within `budget` tokens.

    An example longer than the budget gets a pass of its own. `None` keeps the batch whole.
    """
    if budget is None:
        return [list(batch)]
    passes: list[list[int]] = []
    cur: list[int] = []
    for i in batch:
        longest = max([lengths[j] for j in cur] + [lengths[i]])
        if cur and longest * (len(cur) + 1) > budget:
            passes.append(cur)
            cur = []
        cur.append(i)
    if cur:
        passes.append(cur)
    return passes


def _collate(examples: list[EncodedExample], pad_id: int) -> dict[str, Any]:
    import torch

    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for r, e in enumerate(examples):
        n = len(e.input_ids)
        ids[r, :n] = torch.tensor(e.input_ids)
        labels[r, :n] = torch.tensor(e.labels)
        mask[r, :n] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def _dataset_sha256(paths: Sequence[Path | None]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(b"\0" if p is None else Path(p).read_bytes())
    return h.hexdigest()


# --- hardware -----------------------------------------------------------------------------------------


def cpu_supports_bf16() -> bool:
    """True where the CPU has native bf16 dot products (AVX-512-BF16 or AMX), the case bf16 autocast pays off."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


# On a GPU, bf16 autocast pays a cast kernel per op, which only large matrices repay. Measured on an H200
# with the embedded 135M base (bench/train.py, same run): fp32 6,632 tok/s, bf16 autocast 2,335. Where it
# starts to pay was not measured here; from 1B parameters the fp32 weights alone (4 GB+) begin to crowd a
# consumer GPU, so bf16 is the default from there.
CUDA_BF16_MIN_PARAMS = 1_000_000_000


def _pick_device(cfg: TrainConfig) -> str:
    import torch

    device = cfg.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device cuda requested but no CUDA GPU is visible", hint="use --device cpu")
    return device


def pick_precision(requested: str, device: str, n_params: int) -> str:
    """bf16 autocast where it is faster: CPUs with AVX-512-BF16 (~3x on a LoRA step here), GPUs only for big bases."""
    if requested != "auto":
        return requested
    if device == "cuda":
        return "bf16" if n_params >= CUDA_BF16_MIN_PARAMS else "fp32"
    return "bf16" if cpu_supports_bf16() else "fp32"


def release_freed_memory_promptly() -> bool:
    """Make glibc hand large freed blocks back to the system at once; True where it could (Linux, glibc).

    A training step allocates and frees activation tensors of a few MB by the hundred. glibc serves a block
    over its mmap threshold with mmap and unmaps it when freed, but raises that threshold to the size of each
    such block freed (up to 32 MB): after the first step every activation lives in the heap, whose freed
    holes fragment and stay resident (RSS grew step after step: 5.4 → 8.4 GB over four steps of the demo's
    fine-tune, for the same live tensors). A fixed threshold keeps the big ones mmapped, so freed is gone;
    the smaller ones live in the heap, which `return_freed_heap` trims after each pass (see `MMAP_THRESHOLD`
    for why 4 MB). Setting it is process-wide and stays set, which only makes later large allocations return
    their memory too.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt, their own policy
        return False
    m_mmap_threshold = -3
    return bool(mallopt(m_mmap_threshold, MMAP_THRESHOLD))


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def return_freed_heap() -> bool:
    """Hand the heap's free pages back to the system (glibc `malloc_trim(0)`); True where it could.

    Called after each optimizer step on a CPU (and each validation pass): the step's activations are all
    freed then, so their pages leave the resident set between steps instead of staying as heap holes (which
    is what let the resident set grow step after step before `release_freed_memory_promptly`). It costs a
    walk of the heap's free lists and one fault per page touched again afterwards. Once a pass (the
    previous rule) cost ~750 minor faults a token against ~250 once a step, 0.2-0.8 CPU ms a token
    (/tmp micro-runs, one and two batches of the demo's data, 2026-12-01 19:00-19:30 UTC, load 3-8), for
    a pass's peak ~0.14 GiB higher in those runs (2.47 against 2.33 GiB) — see docs/results.md.
    """
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def store_frozen_weights_in_bf16(model: Any) -> int:
    """Keep the frozen projections' weights in bf16 (bf16 runs only); the bytes it freed.

    Under bf16 autocast every matmul casts its fp32 weight to bf16 first, so the projections compute with
    bf16 weights either way, and storing them so gives the very same products. What it saves: the fp32
    copies (426 MB for the embedded 135M base), and the bf16 copy autocast made of each weight in every
    forward pass, which autograd keeps for the backward pass (another 213 MB at the peak), and the time of
    those casts. The input embedding (tied to the output projection in SmolLM2) stays fp32: a lookup is not
    autocast, so bf16 there would change the numbers; so do norms and the trainable LoRA weights.
    """
    import torch

    keep = {id(p) for emb in (model.get_input_embeddings(), model.get_output_embeddings()) if emb is not None
            for p in emb.parameters()}
    freed = 0
    for module in model.modules():
        if not isinstance(module, torch.nn.Linear):
            continue
        for p in module.parameters(recurse=False):
            if p.requires_grad or id(p) in keep or p.dtype != torch.float32:
                continue
            freed += p.numel() * 2
            p.data = p.data.to(torch.bfloat16)
    return freed


def keep_lora_dropout_masks_as_bits(model: Any) -> int:
    """Fuse each LoRA layer's input dropout with its `lora_A` projection; the number of layers fused.

    PEFT computes `lora_A(dropout(x))`. On a CPU, dropout is `x * noise` with a float noise tensor, so
    autograd keeps two float copies of the layer's input per LoRA layer for the backward pass: the noise
    (for the gradient of x) and the dropped input (for the gradient of `lora_A`). With LoRA on all seven
    projections that was 1.2 MB a token of the embedded model's 2.1 MB of activations (measured with saved-
    tensor hooks), more than the whole rest of the network. The fused layer keeps which inputs survived as
    one byte each and `x` itself (a tensor the network holds anyway: q, k and v share it).

    The same dropout (each input kept with probability 1 − p, independently per layer and per call, kept
    ones scaled by 1/(1−p)), computed more cheaply (`_dropout_linear_class`): the keep mask is drawn by
    `draw_keep_mask`, and the scale is applied to the r × d weight rather than to the N × d input. Layers
    without dropout, and evaluation, keep PEFT's path.
    """
    import torch

    dropout_linear = _dropout_linear_class()
    fused = 0
    for module in model.modules():
        drops = getattr(module, "lora_dropout", None)
        lora_a = getattr(module, "lora_A", None)
        if not isinstance(drops, torch.nn.ModuleDict) or not isinstance(lora_a, torch.nn.ModuleDict):
            continue
        for name, drop in list(drops.items()):
            a = lora_a[name] if name in lora_a else None
            if not isinstance(drop, torch.nn.Dropout) or type(a) is not torch.nn.Linear or a.bias is not None or drop.p <= 0:
                continue
            lora_a[name] = dropout_linear(a, drop.p)
            drops[name] = torch.nn.Identity()
            fused += 1
    return fused


def draw_keep_mask(shape: Sequence[int], p: float) -> Any:
    """A uint8 tensor of 0/1 of `shape`: 1 (kept) with probability 1 − p, independently; CPU.

    torch's CPU `bernoulli_` (what `F.dropout` draws with) cost ~6 ns an element here, a tenth of a
    training step's CPU time with dropout on every LoRA input (~150,000 draws a token of the embedded
    model); numpy's SFC64 generator draws float32 uniforms at ~2.8 ns an element with the comparison.
    Its seed is drawn from torch's generator, so `torch.manual_seed` and the RNG state a checkpoint saves
    decide the masks as they decided torch's own draws (a resumed run repeats them). A uniform float32 in
    [0, 1) is below p with probability p to within 2^-24. The uniforms go to one scratch buffer kept for
    the next call: a fresh 4-byte-an-element temporary per call, freed between the 1-byte masks that stay
    alive for the backward pass, left heap holes that raised a pass's peak by ~0.1 GiB (measured).
    """
    import numpy as np
    import torch

    n = math.prod(shape)
    if not _UNIFORM_SCRATCH or _UNIFORM_SCRATCH[0].size < n:
        _UNIFORM_SCRATCH[:] = [np.empty(n, dtype=np.float32)]
    uniform = _UNIFORM_SCRATCH[0][:n]
    seed = int(torch.randint(0, 2**63 - 1, (), dtype=torch.int64))
    np.random.Generator(np.random.SFC64(seed)).random(out=uniform, dtype=np.float32)
    keep = torch.empty(n, dtype=torch.bool)
    np.greater_equal(uniform, np.float32(p), out=keep.numpy())
    return keep.view(torch.uint8).view(tuple(shape))


_UNIFORM_SCRATCH: list[Any] = []  # the largest float32 buffer draw_keep_mask has needed, reused


@functools.cache
def _dropout_linear_class() -> Any:
    """`DropoutLinear`: `linear(dropout(x), weight)` keeping a 1-byte mask, not two float copies of x.

    With `keep` the 0/1 mask and s = 1/(1−p): forward `(x·keep) Wᵀ s`, computed as `(x·keep)(sW)ᵀ` (the
    scale on the r × d weight, not the N × d input); backward `∂x = (g (sW))·keep` and
    `∂W = s gᵀ(x·keep)`, the products autograd forms for `linear(x·keep·s, W)` with the scale moved onto
    the small factor (equal up to float rounding). Elementwise work on N × d tensors: one product in the
    forward pass, two in the backward; measured at 455 tokens on this machine's 2 cores, the dropout's
    share of a token fell from 2.49 CPU ms (torch's draw, the mask rebuilt as floats and the forward
    recomputed in the backward pass) to 1.45 (PEFT's own dropout: 1.78).
    """
    import torch
    import torch.nn.functional as F

    class DropoutThenLinear(torch.autograd.Function):
        @staticmethod
        @torch.amp.custom_fwd(device_type="cpu")
        def forward(ctx: Any, x: Any, weight: Any, keep: Any, scale: float) -> Any:
            ctx.scale = scale
            ctx.save_for_backward(x, keep, weight)
            return F.linear(x * keep, weight * scale)

        @staticmethod
        @torch.amp.custom_bwd(device_type="cpu")  # the backward under the forward's autocast, as autograd's own
        def backward(ctx: Any, grad_out: Any) -> Any:
            x, keep, weight = ctx.saved_tensors
            scaled = weight * ctx.scale
            grad_x = grad_w = None
            if ctx.needs_input_grad[0]:
                grad_x = (grad_out @ scaled.to(grad_out.dtype)).mul_(keep).to(x.dtype)
            if ctx.needs_input_grad[1]:
                dropped = (x * keep).to(grad_out.dtype)
                grad_w = (grad_out.flatten(0, -2).T @ dropped.flatten(0, -2)).to(weight.dtype).mul_(ctx.scale)
            return grad_x, grad_w, None, None

    class DropoutLinear(torch.nn.Linear):
        """A LoRA `lora_A` that applies its layer's input dropout itself (same parameter, same state-dict key)."""

        def __init__(self, linear: Any, p: float) -> None:
            torch.nn.Module.__init__(self)
            self.in_features, self.out_features, self.p = linear.in_features, linear.out_features, p
            self.weight = linear.weight
            self.register_parameter("bias", None)

        def forward(self, x: Any) -> Any:
            if self.training and torch.is_grad_enabled() and (x.requires_grad or self.weight.requires_grad):
                keep = draw_keep_mask(x.shape, self.p).to(x.device)
                return DropoutThenLinear.apply(x, self.weight, keep, 1.0 / (1.0 - self.p))
            return F.linear(F.dropout(x, self.p, self.training), self.weight)

    return DropoutLinear


# 4 MB, fixed, with the heap trimmed (`return_freed_heap`; after each pass when this was measured, now each step). A block over the threshold is
# mmapped and unmapped when freed, so every such allocation is fresh zeroed pages: at 128 KB (the previous
# value) a 455-token pass faulted in 2,723 pages a token, 4.2 ms a token of system time, and the pass cost
# 15.2 CPU ms a token against 12.3 at 4 MB with a trim after each pass (724 faults a token), the same batch
# in one process, OMP_WAIT_POLICY=PASSIVE so spinning threads do not count (/tmp micro-runs of 17:10 UTC at
# load 14; glibc's own threshold, which it raises to 32 MB after the first pass, gave 12.7). The price is
# the freed blocks the heap keeps within a pass: that pass peaked 2.26 GiB against 1.71 at 128 KB (2.30 with
# glibc's own threshold); the demo's whole fine-tune 2.57 GB against 1.91 (bench/train_memory.py). Larger
# passes were no faster: 15.8 (1,024 tokens) and 18.0 (the whole batch) CPU ms a token at 128 KB.
MMAP_THRESHOLD = 4 << 20


# --- the loss -----------------------------------------------------------------------------------------


def _loss_sum(model: Any, batch: dict[str, Any], *, gather: bool = True, chunk: int | None = None) -> Any:
    """Summed cross-entropy over the label tokens (callers count them on the host, from the CPU batch).

    `gather` (the CPU path): logits only where there is a label, since the lm_head over 49k words is a large
    share of a CPU step. On a GPU that selection costs more than it saves: its size must be read back from
    the device, a sync that stops the host from queuing kernels ahead, and a 135M-parameter step there is
    kernel launches, not arithmetic. So on a GPU the lm_head runs on every position and ignore_index masks.
    `chunk` (with `gather`): at most this many label tokens' logits at once (`_ChunkedLinearCrossEntropy`).
    """
    import torch.nn.functional as F

    causal_lm = model.get_base_model()
    hidden = causal_lm.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    targets = batch["labels"][:, 1:]
    if gather:
        keep = targets != IGNORE
        weight = causal_lm.lm_head.weight
        if chunk is not None and causal_lm.lm_head.bias is None and not weight.requires_grad:
            return _chunked_linear_cross_entropy()(hidden[:, :-1][keep], weight, targets[keep], chunk)
        logits = causal_lm.lm_head(hidden[:, :-1][keep])
        return F.cross_entropy(logits.float(), targets[keep], reduction="sum")
    logits = causal_lm.lm_head(hidden[:, :-1])
    return F.cross_entropy(logits.float().flatten(0, 1), targets.flatten(), ignore_index=IGNORE, reduction="sum")


def _chunked_linear_cross_entropy() -> Any:
    """`sum(cross_entropy(hidden @ weight.T, targets))` without keeping the logits for the backward pass.

    Autograd would keep, per label token, 49,152 fp32 logits and as many log-probabilities (400 KB a token:
    ~0.8 GB for a 2,048-token batch of plans). The lm_head is frozen (tied to the input embedding, and LoRA
    leaves it alone), so the only gradient needed is the hidden states': (softmax − one-hot) @ weight, which
    is computed here chunk by chunk in the forward pass, where the logits exist anyway, and kept instead
    (576 floats a token). The arithmetic is the one autograd does, in the same order per chunk: no extra
    matmul, no recomputation.
    """
    import torch

    class ChunkedLinearCrossEntropy(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, hidden: Any, weight: Any, targets: Any, chunk: int) -> Any:
            total = torch.zeros((), dtype=torch.float32, device=hidden.device)
            grad = torch.empty_like(hidden) if ctx.needs_input_grad[0] else None
            for s in range(0, hidden.shape[0], chunk):
                logits = (hidden[s : s + chunk] @ weight.T).float()
                t = targets[s : s + chunk]
                lse = torch.logsumexp(logits, dim=-1)
                total += (lse - logits.gather(1, t[:, None]).squeeze(1)).sum()
                if grad is not None:
                    probs = logits.sub_(lse[:, None]).exp_()  # softmax, in place: the logits are not needed again
                    probs[torch.arange(len(t), device=t.device), t] -= 1.0
                    grad[s : s + chunk] = (probs.to(weight.dtype) @ weight).to(grad.dtype)
            ctx.save_for_backward(grad if grad is not None else hidden.new_empty(0))
            return total

        @staticmethod
        def backward(ctx: Any, grad_total: Any) -> Any:
            (grad,) = ctx.saved_tensors
            return grad * grad_total.to(grad.dtype), None, None, None

    return ChunkedLinearCrossEntropy.apply


def _n_labels(batch: dict[str, Any]) -> int:
    return int((batch["labels"][:, 1:] != IGNORE).sum())


def _evaluate(model: Any, examples: list[EncodedExample], cfg: TrainConfig, pad_id: int, device: str, autocast: Any) -> float | None:
    import torch

    if not examples:
        return None
    model.eval()
    total, count = 0.0, 0
    # no gradients here, but the same pass size keeps the memory of the forward pass within the training's
    batches = plan_batches([len(e.input_ids) for e in examples], batch_tokens=cfg.micro_batch_tokens or cfg.batch_tokens,
                           window=len(examples), seed=0, shuffle=False)
    with torch.no_grad():
        for b in batches:
            cpu_batch = _collate([examples[i] for i in b], pad_id)
            batch = {k: v.to(device) for k, v in cpu_batch.items()}
            with autocast():
                loss = _loss_sum(model, batch, gather=device == "cpu", chunk=cfg.loss_chunk)
            total += float(loss)
            count += _n_labels(cpu_batch)
            if device == "cpu":
                del loss
                return_freed_heap()
    model.train()
    return total / max(count, 1)


# --- checkpoints --------------------------------------------------------------------------------------


def _latest_checkpoint(out_dir: Path) -> Path | None:
    root = out_dir / "checkpoints"
    done = sorted(p for p in root.glob("step-*") if p.is_dir()) if root.exists() else []
    return done[-1] if done else None


def _write_checkpoint(out_dir: Path, model: Any, optimizer: Any, scheduler: Any, state: dict[str, Any]) -> Path:
    import torch
    from peft import get_peft_model_state_dict

    root = out_dir / "checkpoints"
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"step-{state['step']:07d}"
    tmp = root / f".tmp-{final.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    rng = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    torch.save(
        {"lora": get_peft_model_state_dict(model), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "rng": rng},
        tmp / "state.pt",
    )
    (tmp / "progress.json").write_text(json.dumps(state, indent=1))
    if final.exists():  # the epoch-end checkpoint can land on a step that was just saved
        shutil.rmtree(final)
    os.replace(tmp, final)  # atomic: a checkpoint directory either exists complete or not at all
    for old in root.glob("step-*"):
        if old != final:
            shutil.rmtree(old, ignore_errors=True)
    return final


def _read_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any) -> dict[str, Any]:
    import torch
    from peft import set_peft_model_state_dict

    blob = torch.load(path / "state.pt", weights_only=False)
    set_peft_model_state_dict(model, blob["lora"])
    optimizer.load_state_dict(blob["optimizer"])
    scheduler.load_state_dict(blob["scheduler"])
    torch.set_rng_state(blob["rng"]["torch"])
    random.setstate(blob["rng"]["python"])
    if "cuda" in blob["rng"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(blob["rng"]["cuda"])
    return json.loads((path / "progress.json").read_text())


# --- the run ------------------------------------------------------------------------------------------


def train_lora(
    config: TrainConfig,
    train_path: Path,
    val_path: Path | None,
    out_dir: Path,
    *,
    resume: bool = False,
    progress: Callable[[TrainProgress], None] | None = None,
    base: Any = None,
    write_gguf: bool = True,
) -> TrainResult:
    """Train a LoRA adapter on chat JSONL files and save it (PEFT + metadata + GGUF adapter) in `out_dir`.

    `base` may be a preloaded `LoadedBase` (tests and benchmarks reuse one); otherwise `config.base` is
    loaded. With `resume=True` the run continues from the newest checkpoint in `out_dir`, with the
    configuration saved there (a different configuration or dataset is an error, not a silent restart).
    """
    import contextlib

    import torch
    from peft import LoraConfig, get_peft_model

    from .base_model import load_base

    wall_start = time.perf_counter()
    out_dir = Path(out_dir)
    report = progress or (lambda _p: None)
    dataset_sha = _dataset_sha256([train_path, val_path])

    # --- setup: config, resume point, hardware -------------------------------------------------------
    ckpt = _latest_checkpoint(out_dir) if resume else None
    if ckpt is not None:
        saved = TrainConfig.from_yaml(out_dir / CONFIG_FILE)
        if saved.model_dump(exclude={"threads", "device"}) != config.model_dump(exclude={"threads", "device"}):
            raise TrainingError(
                "--resume with a different training configuration",
                place=str(out_dir / CONFIG_FILE),
                hint="resume with the same settings, or start afresh without --resume",
            )
        saved_sha = json.loads((ckpt / "progress.json").read_text()).get("dataset_sha256")
        if saved_sha != dataset_sha:
            raise TrainingError("--resume with a different dataset than the interrupted run", place=str(ckpt), hint="start afresh without --resume")
    elif out_dir.exists() and _latest_checkpoint(out_dir) is not None and not resume:
        shutil.rmtree(out_dir / "checkpoints")  # a fresh run must not be mistaken for a resumable one later
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / CONFIG_FILE).write_text(config.to_yaml())

    device = _pick_device(config)
    if device == "cpu":
        torch.set_num_threads(config.threads or os.cpu_count() or 1)
        release_freed_memory_promptly()

    def autocast() -> Any:
        if precision == "bf16":
            return torch.autocast(device_type=device, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    # --- setup: model, data --------------------------------------------------------------------------
    base = base or load_base(config.base)
    precision = pick_precision(config.precision, device, sum(p.numel() for p in base.model.parameters()))
    if hasattr(base.model, "peft_config"):
        raise TrainingError("the base model already carries a LoRA adapter", hint="load the base afresh for each run")
    tokenizer = base.tokenizer
    torch.manual_seed(config.seed)
    lora = LoraConfig(
        r=config.rank,
        lora_alpha=config.alpha,
        lora_dropout=config.dropout,
        target_modules=list(config.target_modules),
        bias="none",
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(base.model, lora).to(device)
    if device == "cpu":  # a GPU step is kernel launches: two more per LoRA layer would cost more than its memory
        keep_lora_dropout_masks_as_bits(model)
    if precision == "bf16":
        store_frozen_weights_in_bf16(model)
    model.train()

    def encode_file(path: Path | None) -> tuple[list[EncodedExample], int]:
        if path is None:
            return [], 0
        enc = [encode_conversation(tokenizer, msgs) for msgs in load_chat_jsonl(path)]
        kept = [e for e in enc if len(e.input_ids) <= config.max_seq_len and e.n_label_tokens > 0]
        return kept, len(enc) - len(kept)

    train_set, dropped_train = encode_file(train_path)
    val_set, dropped_val = encode_file(val_path)
    if not train_set:
        raise DatasetError(f"no usable training examples in {train_path}", hint=f"examples must fit max_seq_len={config.max_seq_len}")
    lengths = [len(e.input_ids) for e in train_set]
    if max(lengths) > config.batch_tokens:
        raise ConfigError(f"batch_tokens={config.batch_tokens} is below the longest example ({max(lengths)} tokens)", hint="raise --batch-tokens or lower max_seq_len")

    def epoch_batches(epoch: int) -> list[list[int]]:
        return plan_batches(lengths, batch_tokens=config.batch_tokens, window=config.bucket_window, seed=config.seed * 1_000_003 + epoch)

    steps_per_epoch = [math.ceil(len(epoch_batches(e)) / config.grad_accum) for e in range(config.epochs)]
    total_steps = sum(steps_per_epoch)
    if config.max_steps is not None:
        total_steps = min(total_steps, config.max_steps)

    params = [p for p in model.parameters() if p.requires_grad]
    # fused on CUDA: one kernel for all ~420 LoRA tensors instead of a dozen multi-tensor passes
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay, fused=device == "cuda")
    warmup = max(1, round(config.warmup_ratio * total_steps)) if config.warmup_ratio > 0 else 0

    def lr_factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)

    state: dict[str, Any] = {
        "step": 0, "epoch": 0, "batch": 0, "train_tokens": 0, "padded_tokens": 0, "train_seconds": 0.0,
        "val_before": None, "val_losses": [], "last_loss": None, "dataset_sha256": dataset_sha,
    }
    resumed_from = None
    if ckpt is not None:
        state = _read_checkpoint(ckpt, model, optimizer, scheduler)
        resumed_from = state["step"]
    else:
        report(TrainProgress(phase="validate", step=0, total_steps=total_steps, epoch=0))
        state["val_before"] = _evaluate(model, val_set, config, tokenizer.pad_token_id, device, autocast)
        report(TrainProgress(phase="validate", step=0, total_steps=total_steps, epoch=0, val_loss=state["val_before"]))

    def checkpoint() -> None:
        _write_checkpoint(out_dir, model, optimizer, scheduler, state)
        report(TrainProgress(phase="checkpoint", step=state["step"], total_steps=total_steps, epoch=state["epoch"]))

    # --- train ---------------------------------------------------------------------------------------
    while state["epoch"] < config.epochs and state["step"] < total_steps:
        batches = epoch_batches(state["epoch"])
        while state["batch"] < len(batches) and state["step"] < total_steps:
            group = batches[state["batch"] : state["batch"] + config.grad_accum]
            micro = [_collate([train_set[i] for i in p], tokenizer.pad_token_id)
                     for b in group for p in split_batch(b, lengths, config.micro_batch_tokens)]
            n_labels = sum(_n_labels(m) for m in micro)
            t0 = time.perf_counter()
            step_loss: Any = 0.0
            for m in micro:
                # token counts from the host copy: reading them off the GPU would be a sync per micro-batch
                state["train_tokens"] += int(m["attention_mask"].sum())
                state["padded_tokens"] += int(m["attention_mask"].numel())
                m = {k: v.to(device, non_blocking=True) for k, v in m.items()}
                with autocast():
                    loss = _loss_sum(model, m, gather=device == "cpu", chunk=config.loss_chunk)
                (loss / n_labels).backward()
                step_loss = step_loss + loss.detach()
                del loss
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            if device == "cpu":
                return_freed_heap()  # once a step, not once a pass: see return_freed_heap
            state["last_loss"] = float(step_loss) / n_labels  # the step's one sync, so its time is all in
            state["train_seconds"] += time.perf_counter() - t0
            state["step"] += 1
            state["batch"] += len(group)
            report(TrainProgress(
                phase="train", step=state["step"], total_steps=total_steps, epoch=state["epoch"], loss=state["last_loss"],
                tokens_per_s=state["train_tokens"] / max(state["train_seconds"], 1e-9), lr=scheduler.get_last_lr()[0],
                train_tokens=state["train_tokens"], train_seconds=state["train_seconds"],
            ))
            if state["step"] % config.checkpoint_every == 0 and state["batch"] < len(batches):
                checkpoint()
        if state["batch"] >= len(batches):  # the epoch ran to its end (not cut by max_steps)
            val = _evaluate(model, val_set, config, tokenizer.pad_token_id, device, autocast)
            if val is not None:
                state["val_losses"].append(val)
            report(TrainProgress(phase="validate", step=state["step"], total_steps=total_steps, epoch=state["epoch"], val_loss=val))
            state["epoch"] += 1
            state["batch"] = 0
        else:
            break
        checkpoint()

    # --- save ----------------------------------------------------------------------------------------
    val_after = _evaluate(model, val_set, config, tokenizer.pad_token_id, device, autocast)
    model.save_pretrained(str(out_dir))
    _fix_base_name(out_dir, base.path)
    gguf_path = None
    if write_gguf and base.gguf_path is not None:
        from .gguf_adapter import peft_to_gguf_lora

        gguf_path = peft_to_gguf_lora(out_dir, base.gguf_path, out_dir / GGUF_ADAPTER_FILE, dtype=config.gguf_dtype)
    result = TrainResult(
        out_dir=str(out_dir),
        peft_adapter=str(out_dir),
        gguf_adapter=str(gguf_path) if gguf_path else None,
        base_path=str(base.path),
        base_sha256=base.sha256,
        dataset_sha256=dataset_sha,
        steps=state["step"],
        epochs_done=state["epoch"],
        train_examples=len(train_set),
        val_examples=len(val_set),
        dropped_too_long=dropped_train + dropped_val,
        train_tokens=state["train_tokens"],
        tokens_per_s=state["train_tokens"] / max(state["train_seconds"], 1e-9),
        train_seconds=state["train_seconds"],
        wall_seconds=time.perf_counter() - wall_start,
        pad_fraction=1 - state["train_tokens"] / max(state["padded_tokens"], 1),
        precision=precision,
        device=device,
        val_loss_before=state["val_before"],
        val_loss_after=val_after,
        val_losses=state["val_losses"],
        final_train_loss=state["last_loss"],
        resumed_from_step=resumed_from,
    )
    meta = {
        "base_model": str(base.path),
        "base_sha256": base.sha256,
        "dataset": {"train": str(train_path), "val": str(val_path) if val_path else None, "sha256": dataset_sha},
        "hyperparameters": config.model_dump(mode="json"),
        "metrics": result.model_dump(mode="json", include={
            "steps", "epochs_done", "train_examples", "val_examples", "dropped_too_long", "train_tokens", "tokens_per_s",
            "train_seconds", "wall_seconds", "pad_fraction", "precision", "device", "val_loss_before", "val_loss_after",
            "val_losses", "final_train_loss", "resumed_from_step",
        }),
        "gguf_adapter": result.gguf_adapter,
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2))
    report(TrainProgress(phase="done", step=state["step"], total_steps=total_steps, epoch=state["epoch"], val_loss=val_after))
    return result


def _fix_base_name(out_dir: Path, base_path: Path) -> None:
    """PEFT records the base as the GGUF's directory; name the file itself so the adapter finds its base."""
    cfg_path = out_dir / "adapter_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["base_model_name_or_path"] = str(base_path)
    cfg_path.write_text(json.dumps(cfg, indent=2))


def register_tuned_model(store: Any, name: str, result: TrainResult) -> Any:
    """Register the adapter as `ft:NAME`, served by llama.cpp as the base GGUF plus the GGUF LoRA adapter."""
    if result.gguf_adapter is None:
        raise TrainingError(
            f"cannot register {name!r} for llama.cpp: the base {result.base_path} is not a GGUF",
            hint="train from the embedded base or a .gguf file",
        )
    return register_adapter(
        store, name, out_dir=result.out_dir, base_path=result.base_path, base_sha256=result.base_sha256,
        gguf_adapter=result.gguf_adapter, peft_adapter=result.peft_adapter, dataset_sha256=result.dataset_sha256,
        val_loss_before=result.val_loss_before, val_loss_after=result.val_loss_after,
        metrics=result.model_dump(mode="json"),
    )


REGISTRY_METRICS = ("train_examples", "train_seconds", "epochs_done", "device", "precision")


def register_adapter(
    store: Any, name: str, *, out_dir: str | Path, base_path: str | Path, base_sha256: str, gguf_adapter: str | Path,
    peft_adapter: str | Path | None, dataset_sha256: str | None, val_loss_before: float | None, val_loss_after: float | None,
    metrics: dict[str, Any] | None = None,
) -> Any:
    """The registry entry `ft:NAME` for a GGUF LoRA adapter on a GGUF base (trained here or imported)."""
    from ..log.store import RegisteredModel

    model = RegisteredModel(
        name=name,
        kind="finetuned-local",
        path=str(out_dir),
        meta={
            "base_gguf": str(base_path),
            "base_sha256": base_sha256,
            "gguf_adapter": str(gguf_adapter),
            "peft_adapter": str(peft_adapter) if peft_adapter is not None else None,
            "lora_scale": 1.0,
            "prompt_style": "short",
            "dataset_sha256": dataset_sha256,
            "val_loss_before": val_loss_before,
            "val_loss_after": val_loss_after,
            **{k: (metrics or {}).get(k) for k in REGISTRY_METRICS},
        },
    )
    store.register_model(model)
    return model
