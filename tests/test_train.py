"""Local LoRA training: label mask, bucketing, two-step update, kill-and-resume, config layering.

Fast tests use a tiny random llama with the embedded model's real tokenizer (read from the GGUF once per
session); the slow test trains a few steps on the real embedded base.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from peri.errors import ConfigError, DatasetError, TrainingError
from peri.tune.train import (
    IGNORE,
    TrainConfig,
    encode_conversation,
    load_chat_jsonl,
    plan_batches,
    register_tuned_model,
    train_lora,
)


def write_chat_jsonl(path: Path, n: int, seed: int) -> Path:
    """Plan-like chat examples of varied lengths."""
    rng = random.Random(seed)
    lifts = ["Squat", "Bench Press", "Deadlift", "Overhead Press", "Barbell Row", "Pull Up", "Lunge"]
    lines = []
    for i in range(n):
        days = rng.randint(1, 4)
        plan = "\n".join(
            f"Day {d + 1}\n" + "\n".join(f"- {rng.choice(lifts)}: {rng.randint(2, 5)}x{rng.randint(3, 10)} @ {rng.randint(40, 180)} kg" for _ in range(rng.randint(2, 5)))
            for d in range(days)
        )
        msgs = [
            {"role": "system", "content": "You are a strength coach. Answer with next week's plan."},
            {"role": "user", "content": f"Intermediate, 4 days. Last week {i}: squat {rng.randint(80, 200)} kg x5, {rng.randint(8, 20)} hard sets."},
            {"role": "assistant", "content": plan},
        ]
        lines.append(json.dumps({"messages": msgs}))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="session")
def tiny_base_dir(tmp_path_factory: pytest.TempPathFactory, embedded_hf_tokenizer) -> Path:
    """A 2-layer random llama saved as an HF directory with the embedded model's tokenizer."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tok = embedded_hf_tokenizer
    d = tmp_path_factory.mktemp("tiny-llama")
    torch.manual_seed(0)
    cfg = LlamaConfig(
        vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=1024, tie_word_embeddings=True,
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.eos_token_id,
    )
    LlamaForCausalLM(cfg).save_pretrained(d)
    tok.save_pretrained(d)
    return d


@pytest.fixture
def tiny_base(tiny_base_dir: Path):
    from peri.tune.base_model import load_base

    return load_base(tiny_base_dir)


@pytest.fixture
def data(tmp_path: Path) -> tuple[Path, Path]:
    return write_chat_jsonl(tmp_path / "train.jsonl", 24, 1), write_chat_jsonl(tmp_path / "val.jsonl", 6, 2)


def tiny_config(base: Path, **kw) -> TrainConfig:
    fields = dict(base=str(base), rank=4, alpha=8, epochs=2, batch_tokens=512, lr=1e-2, checkpoint_every=2, precision="fp32", threads=1)
    return TrainConfig(**{**fields, **kw})


def test_label_mask_covers_only_assistant_replies_and_their_end_token(tiny_base) -> None:
    tok = tiny_base.tokenizer
    msgs = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Plan?"},
        {"role": "assistant", "content": "Day 1\n- Squat: 3x5"},
        {"role": "user", "content": "And a second day?"},
        {"role": "assistant", "content": "Day 2\n- Bench Press: 3x8"},
    ]
    ex = encode_conversation(tok, msgs)
    assert len(ex.input_ids) == len(ex.labels)
    labelled = [i for i, x in enumerate(ex.labels) if x != IGNORE]
    # two contiguous runs, one per assistant turn
    runs = sum(1 for a, b in zip(labelled, labelled[1:]) if b != a + 1) + 1
    assert runs == 2
    text = tok.decode([ex.input_ids[i] for i in labelled])
    assert text == "Day 1\n- Squat: 3x5<|im_end|>Day 2\n- Bench Press: 3x8<|im_end|>"
    assert all(ex.labels[i] == ex.input_ids[i] for i in labelled)
    # nothing of the prompts is labelled: the user text and the role headers are outside
    unlabelled = tok.decode([t for t, lab in zip(ex.input_ids, ex.labels) if lab == IGNORE])
    assert "Plan?" in unlabelled and "And a second day?" in unlabelled and "<|im_start|>assistant" in unlabelled
    assert "Squat" not in unlabelled


def test_gpu_loss_path_equals_the_cpu_one(tiny_base, data) -> None:
    """The GPU path (lm_head on every position, ignore_index) and the CPU path (logits only at labels)
    are the same loss; checked here on the CPU so a GPU-only branch is not untested arithmetic."""
    import torch
    from peft import LoraConfig, get_peft_model

    from peri.tune.train import _collate, _loss_sum, _n_labels, load_chat_jsonl

    tok = tiny_base.tokenizer
    examples = [encode_conversation(tok, m) for m in load_chat_jsonl(data[0])[:3]]
    batch = _collate(examples, tok.pad_token_id)
    model = get_peft_model(tiny_base.model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))
    with torch.no_grad():
        cpu, gpu = _loss_sum(model, batch, gather=True), _loss_sum(model, batch, gather=False)
    assert torch.allclose(cpu, gpu, rtol=1e-5) and float(cpu) > 0
    assert _n_labels(batch) == sum(e.n_label_tokens for e in examples)


def test_plan_batches_respects_budget_and_is_deterministic() -> None:
    rng = random.Random(3)
    lengths = [rng.randint(20, 300) for _ in range(200)]
    a = plan_batches(lengths, batch_tokens=1024, window=64, seed=7)
    assert a == plan_batches(lengths, batch_tokens=1024, window=64, seed=7)
    assert a != plan_batches(lengths, batch_tokens=1024, window=64, seed=8)
    assert sorted(i for b in a for i in b) == list(range(200))
    assert all(max(lengths[i] for i in b) * len(b) <= 1024 for b in a)

    def pad_fraction(batches: list[list[int]]) -> float:
        return 1 - sum(lengths) / sum(max(lengths[i] for i in b) * len(b) for b in batches)

    # random batches of 4 pad about a third; length buckets a few percent
    shuffled = random.Random(1).sample(range(200), 200)
    assert pad_fraction([shuffled[i : i + 4] for i in range(0, 200, 4)]) > 0.25
    assert pad_fraction(a) < 0.08


def test_load_chat_jsonl_names_the_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}\nnot json\n')
    with pytest.raises(DatasetError) as e:
        load_chat_jsonl(p)
    assert e.value.place.endswith("bad.jsonl:2")


def test_two_steps_change_lora_weights_and_not_base_weights(tiny_base_dir: Path, data, tmp_path: Path) -> None:
    from peri.tune.base_model import load_base

    base = load_base(tiny_base_dir)
    before = {k: v.detach().clone() for k, v in base.model.state_dict().items()}
    cfg = tiny_config(tiny_base_dir, max_steps=2)
    res = train_lora(cfg, data[0], data[1], tmp_path / "out", base=base)
    assert res.steps == 2
    state = base.model.state_dict()  # base.model now carries the LoRA layers
    lora_b = {k: v for k, v in state.items() if "lora_B" in k}
    assert lora_b and all(float(v.abs().sum()) > 0 for v in lora_b.values())  # B starts at zero
    for k, v in state.items():
        if "lora_" in k:
            continue
        orig = k.replace("base_model.model.", "", 1).replace(".base_layer", "")
        assert orig in before, k
        assert (v.cpu() == before[orig].cpu()).all(), f"base weight {orig} changed"
    out = tmp_path / "out"
    assert (out / "adapter_model.safetensors").exists() and (out / "adapter_config.json").exists()
    meta = json.loads((out / "peri_adapter.json").read_text())
    assert meta["base_sha256"] == base.sha256 and meta["metrics"]["steps"] == 2
    assert meta["metrics"]["val_loss_before"] is not None and meta["hyperparameters"]["rank"] == 4
    assert TrainConfig.from_yaml(out / "train_config.yaml") == cfg
    assert res.gguf_adapter is None  # an HF-directory base has no GGUF to serve on
    with pytest.raises(TrainingError):
        register_tuned_model(None, "x", res)


def test_training_lowers_validation_loss(tiny_base, data, tmp_path: Path) -> None:
    res = train_lora(tiny_config(tiny_base.path, epochs=3), data[0], data[1], tmp_path / "out", base=tiny_base)
    assert res.val_loss_after < res.val_loss_before
    assert len(res.val_losses) == 3
    assert res.pad_fraction < 0.2 and res.train_tokens > 0 and res.tokens_per_s > 0


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from peri.tune.train import TrainConfig, train_lora
    cfg = TrainConfig.from_yaml(Path(sys.argv[1]))
    slow = lambda p: time.sleep(0.3) if p.phase == "train" else None
    train_lora(cfg, Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), progress=slow)
    """
)


def test_killed_run_resumes_to_the_same_step_count(tiny_base_dir: Path, data, tmp_path: Path) -> None:
    """SIGKILL after the first checkpoint, then --resume: same optimizer steps and weights as a clean run."""
    from safetensors.torch import load_file

    from peri.tune.base_model import load_base

    cfg = tiny_config(tiny_base_dir, grad_accum=2)
    cfg_file = tmp_path / "cfg.yaml"
    cfg_file.write_text(cfg.to_yaml())
    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(cfg_file), str(data[0]), str(data[1]), str(killed)])
    try:
        # only a guard against a hung child: importing torch and reaching the first checkpoint took over 90 s on
        # 2 cores shared with a dozen other jobs (and with a second pytest worker under PERI_TEST_WORKERS=2)
        deadline = time.time() + 300
        while not list((killed / "checkpoints").glob("step-*")):
            assert proc.poll() is None, "training finished or died before its first checkpoint"
            assert time.time() < deadline, "no checkpoint within 300 s"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    ckpt_step = json.loads((next((killed / "checkpoints").glob("step-*")) / "progress.json").read_text())["step"]
    assert not (killed / "peri_adapter.json").exists()

    resumed = train_lora(cfg, data[0], data[1], killed, resume=True, base=load_base(tiny_base_dir))
    clean = train_lora(cfg, data[0], data[1], tmp_path / "clean", base=load_base(tiny_base_dir))
    assert resumed.resumed_from_step == ckpt_step and 0 < ckpt_step < clean.steps
    assert resumed.steps == clean.steps
    assert resumed.train_tokens == clean.train_tokens
    a, b = load_file(killed / "adapter_model.safetensors"), load_file(tmp_path / "clean" / "adapter_model.safetensors")
    assert a.keys() == b.keys()
    for k in a:
        assert (a[k] - b[k]).abs().max() < 1e-4, k


def test_resume_refuses_a_changed_config(tiny_base, data, tmp_path: Path) -> None:
    out = tmp_path / "out"
    train_lora(tiny_config(tiny_base.path, max_steps=2, checkpoint_every=1, epochs=1), data[0], data[1], out, base=tiny_base, write_gguf=False)
    with pytest.raises(TrainingError):
        train_lora(tiny_config(tiny_base.path, max_steps=2, checkpoint_every=1, epochs=1, rank=8), data[0], data[1], out, resume=True, base=tiny_base)


def test_config_yaml_round_trip_and_layers(tmp_path: Path) -> None:
    cfg = TrainConfig(rank=8, lr=1e-4, target_modules=["q_proj", "v_proj"], max_steps=5)
    p = tmp_path / "c.yaml"
    p.write_text(cfg.to_yaml())
    assert TrainConfig.from_yaml(p) == cfg
    layered = TrainConfig.from_layers(p, {"rank": 32, "lr": None})
    assert layered.rank == 32 and layered.lr == 1e-4 and layered.max_steps == 5
    assert TrainConfig().rank == 16 and TrainConfig().target_modules[-1] == "down_proj"
    assert all(f.description for f in TrainConfig.model_fields.values())
    p.write_text("rank: -1\n")
    with pytest.raises(ConfigError) as e:
        TrainConfig.from_yaml(p)
    assert "rank" in e.value.place
    p.write_text("rnak: 4\n")
    with pytest.raises(ConfigError):
        TrainConfig.from_yaml(p)


def test_register_tuned_model(store, tmp_path: Path) -> None:
    from peri.tune.train import TrainResult

    res = TrainResult(
        out_dir=str(tmp_path), peft_adapter=str(tmp_path), gguf_adapter=str(tmp_path / "adapter.gguf"), base_path="/b.gguf",
        base_sha256="ab", dataset_sha256="cd", steps=3, epochs_done=1, train_examples=3, val_examples=1, dropped_too_long=0,
        train_tokens=10, tokens_per_s=1.0, train_seconds=1.0, wall_seconds=2.0, pad_fraction=0.0, precision="fp32", device="cpu",
        val_loss_before=2.0, val_loss_after=1.0, val_losses=[1.0], final_train_loss=1.0, resumed_from_step=None,
    )
    register_tuned_model(store, "ann-lora", res)
    m = store.get_model("ann-lora")
    assert m.kind == "finetuned-local" and m.meta["base_gguf"] == "/b.gguf" and m.meta["gguf_adapter"].endswith("adapter.gguf")
    assert m.meta["lora_scale"] == 1.0 and m.meta["prompt_style"] == "short"


@pytest.mark.slow
def test_a_few_steps_on_the_embedded_base(tmp_path: Path, embedded_base) -> None:
    train = write_chat_jsonl(tmp_path / "train.jsonl", 8, 5)
    val = write_chat_jsonl(tmp_path / "val.jsonl", 2, 6)
    base = embedded_base  # load_base(None), loaded once per session (conftest)
    assert base.gguf_path is not None and len(base.sha256) == 64
    cfg = TrainConfig(rank=8, alpha=16, max_steps=2, batch_tokens=512, lr=1e-3, checkpoint_every=100)
    res = train_lora(cfg, train, val, tmp_path / "out", base=base)
    assert res.steps == 2 and res.val_loss_before is not None and res.val_loss_after is not None
    assert res.val_loss_after < res.val_loss_before
    assert Path(res.gguf_adapter).stat().st_size > 0


def test_cli_finetune_local_trains_and_reports(home: Path, tiny_base_dir: Path) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app

    ddir = home / "datasets" / "ann"
    ddir.mkdir(parents=True)
    write_chat_jsonl(ddir / "train.jsonl", 8, 1)
    write_chat_jsonl(ddir / "val.jsonl", 2, 2)
    cfg = home / "cfg.yaml"
    cfg.write_text("rank: 2\nalpha: 4\nbatch_tokens: 512\nprecision: fp32\nthreads: 1\n")
    r = CliRunner().invoke(app, ["finetune", "local", "--athlete", "ann", "--base", str(tiny_base_dir), "--config", str(cfg),
                                 "--max-steps", "2", "--rank", "3", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["steps"] == 2 and out["model"] is None  # an HF-directory base is trained but not served by llama.cpp
    saved = TrainConfig.from_yaml(home / "adapters" / "ann-lora" / "train_config.yaml")
    assert saved.rank == 3 and saved.alpha == 4 and saved.max_steps == 2  # flags over file over defaults
    r = CliRunner().invoke(app, ["finetune", "local", "--athlete", "nobody"])
    assert r.exit_code == 1 and "peri dataset build" in r.output


def test_precision_auto_follows_measurements(monkeypatch: pytest.MonkeyPatch) -> None:
    from peri.tune import train as t

    assert t.pick_precision("fp32", "cpu", 10) == "fp32" and t.pick_precision("bf16", "cuda", 10) == "bf16"
    # on a GPU, autocast's per-op casts cost more than they save on a 135M base (measured on an H200)
    assert t.pick_precision("auto", "cuda", 135_000_000) == "fp32"
    assert t.pick_precision("auto", "cuda", 7_000_000_000) == "bf16"
    monkeypatch.setattr(t, "cpu_supports_bf16", lambda: True)
    assert t.pick_precision("auto", "cpu", 135_000_000) == "bf16"
    monkeypatch.setattr(t, "cpu_supports_bf16", lambda: False)
    assert t.pick_precision("auto", "cpu", 135_000_000) == "fp32"


# --- memory: passes and the chunked loss must not change the maths --------------------------------------


def test_split_batch_keeps_order_and_budget_and_gives_long_examples_a_pass_of_their_own() -> None:
    from peri.tune.train import split_batch

    lengths = [100, 120, 130, 300, 600, 90]
    batch = [0, 1, 2, 3, 4, 5]
    passes = split_batch(batch, lengths, 256)
    assert [i for p in passes for i in p] == batch
    # 100, 120 fit (2 × 120 = 240); 130 would make 3 × 130 = 390; 300 and 600 exceed the budget alone
    assert passes == [[0, 1], [2], [3], [4], [5]]
    assert split_batch(batch, lengths, None) == [batch]


def test_chunked_loss_equals_the_plain_loss_and_its_gradient(tiny_base, data) -> None:
    import torch
    from peft import LoraConfig, get_peft_model

    from peri.tune.train import _collate, _loss_sum

    tok = tiny_base.tokenizer
    batch = _collate([encode_conversation(tok, m) for m in load_chat_jsonl(data[0])[:3]], tok.pad_token_id)
    model = get_peft_model(tiny_base.model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"))
    for p in model.parameters():  # B starts at zero; move it so every LoRA weight gets a gradient
        if p.requires_grad:
            torch.nn.init.normal_(p, std=0.1)
    grads = []
    losses = []
    for chunk in (None, 7):  # 7: chunks that do not divide the label count
        model.zero_grad()
        loss = _loss_sum(model, batch, gather=True, chunk=chunk)
        loss.backward()
        losses.append(loss.detach())
        grads.append([p.grad.clone() for p in model.parameters() if p.requires_grad])
    assert torch.allclose(losses[0], losses[1], rtol=1e-5) and float(losses[0]) > 0
    assert all(torch.allclose(a, b, rtol=1e-4, atol=1e-7) for a, b in zip(grads[0], grads[1]))
    assert any(float(g.abs().sum()) > 0 for g in grads[1])


def test_passes_and_chunked_loss_train_the_same_adapter_as_whole_batches(tiny_base_dir: Path, data, tmp_path: Path) -> None:
    """A few steps with small passes and a chunked loss give the losses and LoRA weights of one pass per batch."""
    import torch

    from peri.tune.base_model import load_base

    runs = []
    for name, kw in (("whole", dict(micro_batch_tokens=None, loss_chunk=None)), ("passes", dict(micro_batch_tokens=64, loss_chunk=16))):
        losses: list[float] = []
        base = load_base(tiny_base_dir)
        cfg = tiny_config(tiny_base_dir, max_steps=4, dropout=0.0, **kw)
        res = train_lora(cfg, data[0], data[1], tmp_path / name, base=base, write_gguf=False,
                         progress=lambda p: losses.append(p.loss) if p.phase == "train" else None)
        lora = {k: v.detach().clone() for k, v in base.model.state_dict().items() if "lora_" in k}
        runs.append((losses, res.val_loss_before, res.val_loss_after, lora))
    (l0, vb0, va0, w0), (l1, vb1, va1, w1) = runs
    assert len(l0) == 4 and l0 == pytest.approx(l1, rel=1e-4)
    assert vb0 == pytest.approx(vb1, rel=1e-5) and va0 == pytest.approx(va1, rel=1e-4)
    assert w0.keys() == w1.keys() and all(torch.allclose(w0[k], w1[k], rtol=1e-3, atol=1e-5) for k in w0)


def test_frozen_weights_in_bf16_compute_what_autocast_computed_and_leave_the_embedding(tiny_base_dir: Path, data) -> None:
    """Stored in bf16, the frozen projections give bf16 autocast the very products it computed from fp32
    weights (it cast them to bf16 itself): same loss, same LoRA gradients. The tied embedding, the norms and
    the LoRA weights stay fp32."""
    import torch
    from peft import LoraConfig, get_peft_model

    from peri.tune.base_model import load_base
    from peri.tune.train import _collate, _loss_sum, store_frozen_weights_in_bf16

    runs = []
    for stored_bf16 in (False, True):
        base = load_base(tiny_base_dir)
        tok = base.tokenizer
        batch = _collate([encode_conversation(tok, m) for m in load_chat_jsonl(data[0])[:3]], tok.pad_token_id)
        torch.manual_seed(1)
        model = get_peft_model(base.model, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, task_type="CAUSAL_LM",
                                                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
        for p in model.parameters():  # B starts at zero; move it so every LoRA weight gets a gradient
            if p.requires_grad:
                torch.nn.init.normal_(p, std=0.1)
        freed = store_frozen_weights_in_bf16(model) if stored_bf16 else None
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            loss = _loss_sum(model, batch, gather=True, chunk=7)
        loss.backward()
        runs.append((loss.detach(), [p.grad.clone() for p in model.parameters() if p.requires_grad], model, freed))
    (l0, g0, _, _), (l1, g1, model, freed) = runs
    assert torch.equal(l0, l1) and float(l0) > 0
    assert len(g0) == len(g1) and all(torch.equal(a, b) for a, b in zip(g0, g1))
    # by hand: 2 layers of q 32x32, k 32x16, v 32x16, o 32x32, gate/up/down 32x64 = 9,216 weights a layer, 2 bytes freed each
    assert freed == 2 * 9216 * 2
    assert model.get_input_embeddings().weight.dtype == torch.float32
    assert all(p.dtype == torch.float32 for n, p in model.named_parameters() if "lora_" in n or "norm" in n)
    assert all(p.dtype == torch.bfloat16 for n, p in model.named_parameters() if n.endswith("base_layer.weight"))
