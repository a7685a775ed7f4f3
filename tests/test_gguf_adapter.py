"""PEFT → GGUF LoRA adapter: names, shapes, metadata, the q/k permutation, and a numerical comparison.

The slow test is the one that matters: the same random LoRA gives next-token distributions through
transformers + peft and through llama.cpp (xllamacpp) with the GGUF adapter, and they must agree as
closely as the two engines' base models agree with each other; the same adapter written without the
q/k permutation must disagree, which shows the test would catch that trap.
"""
from __future__ import annotations

import gc
import json
from pathlib import Path

import numpy as np
import pytest

from peri.errors import TrainingError
from peri.paths import embedded_model_path
from peri.tune.gguf_adapter import GGUF_NAMES, base_gguf_info, peft_to_gguf_lora, permute_qk_rows


def test_permutation_interleaves_the_rotary_halves_of_each_head() -> None:
    w = np.arange(8)[:, None] * np.ones((1, 3))
    out = permute_qk_rows(w, n_head=2)
    # head 0 rows 0..3 = halves [0,1] and [2,3] → 0,2,1,3; head 1 likewise
    assert out[:, 0].tolist() == [0, 2, 1, 3, 4, 6, 5, 7]
    assert out.shape == w.shape


def test_base_gguf_info_reads_the_head_counts() -> None:
    info = base_gguf_info(embedded_model_path())
    assert info == {"arch": "llama", "n_head": 9, "n_head_kv": 3, "n_layer": 30}


def test_base_gguf_info_is_read_again_when_the_file_changes(tmp_path: Path) -> None:
    """The info is cached per file version: a GGUF rewritten in place is read anew, and a caller's edit of the
    returned dict reaches no other caller."""
    import os

    from gguf import GGUFWriter

    def write(heads: int, stamp: int) -> Path:
        path = tmp_path / "model.gguf"
        w = GGUFWriter(str(path), "llama")
        w.add_head_count(heads)
        w.add_head_count_kv(heads // 3)
        w.add_block_count(heads + 1)
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        os.utime(path, ns=(stamp, stamp))
        return path

    path = write(9, 1_000_000_000)
    first = base_gguf_info(path)
    assert first == {"arch": "llama", "n_head": 9, "n_head_kv": 3, "n_layer": 10}
    first["n_head"] = 99
    assert base_gguf_info(path)["n_head"] == 9
    write(12, 2_000_000_000)
    assert base_gguf_info(path) == {"arch": "llama", "n_head": 12, "n_head_kv": 4, "n_layer": 13}


def fake_peft_dir(d: Path, *, r: int = 4, alpha: float = 8.0, layers: int = 2, seed: int = 0, **cfg_extra) -> Path:
    """A PEFT adapter directory with SmolLM2-135M shapes (576 hidden, 1536 MLP, 9 q heads / 3 kv heads of 64)."""
    from safetensors.numpy import save_file

    rng = np.random.default_rng(seed)
    shapes = {"q_proj": (576, 576), "k_proj": (192, 576), "v_proj": (192, 576), "o_proj": (576, 576),
              "gate_proj": (1536, 576), "up_proj": (1536, 576), "down_proj": (576, 1536)}
    tensors = {}
    for n in range(layers):
        for proj, (out, inp) in shapes.items():
            block = "self_attn" if proj.endswith(("q_proj", "k_proj", "v_proj", "o_proj")) else "mlp"
            pre = f"base_model.model.model.layers.{n}.{block}.{proj}"
            tensors[f"{pre}.lora_A.weight"] = rng.standard_normal((r, inp)).astype(np.float32)
            tensors[f"{pre}.lora_B.weight"] = rng.standard_normal((out, r)).astype(np.float32)
    d.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(d / "adapter_model.safetensors"))
    (d / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": r, "lora_alpha": alpha, **cfg_extra}))
    return d


def test_adapter_names_shapes_metadata_and_permutation(tmp_path: Path) -> None:
    from gguf import GGUFReader
    from safetensors.numpy import load_file

    peft = fake_peft_dir(tmp_path / "peft")
    out = peft_to_gguf_lora(peft, embedded_model_path(), tmp_path / "a.gguf")
    reader = GGUFReader(str(out))
    assert reader.get_field("general.architecture").contents() == "llama"
    assert reader.get_field("general.type").contents() == "adapter"
    assert reader.get_field("adapter.type").contents() == "lora"
    alpha = reader.get_field("adapter.lora.alpha")
    assert alpha.contents() == 8.0 and alpha.parts[alpha.data[0]].dtype == np.float32
    tensors = {t.name: t for t in reader.tensors}
    assert len(tensors) == 2 * 7 * 2
    src = load_file(str(peft / "adapter_model.safetensors"))
    for proj, gname in GGUF_NAMES.items():
        block = "self_attn" if proj in ("q_proj", "k_proj", "v_proj", "o_proj") else "mlp"
        a = src[f"base_model.model.model.layers.1.{block}.{proj}.lora_A.weight"]
        b = src[f"base_model.model.model.layers.1.{block}.{proj}.lora_B.weight"]
        ta, tb = tensors[f"blk.1.{gname}.weight.lora_a"], tensors[f"blk.1.{gname}.weight.lora_b"]
        # GGUF stores dims reversed; the data comes back in PEFT's (rows, cols) order
        assert np.asarray(ta.data).reshape(a.shape).tolist() == a.tolist()
        heads = {"q_proj": 9, "k_proj": 3}.get(proj)
        want = permute_qk_rows(b, heads) if heads else b
        assert np.array_equal(np.asarray(tb.data).reshape(b.shape), want)
        if heads:
            assert not np.array_equal(want, b)


def test_adapter_f16_and_rslora_alpha(tmp_path: Path) -> None:
    from gguf import GGUFReader

    peft = fake_peft_dir(tmp_path / "peft", r=16, alpha=4.0, layers=1, use_rslora=True)
    reader = GGUFReader(str(peft_to_gguf_lora(peft, embedded_model_path(), tmp_path / "a.gguf", dtype="f16")))
    assert reader.get_field("adapter.lora.alpha").contents() == pytest.approx(16.0)  # 4/sqrt(16) == 16/16
    assert all(t.data.dtype == np.float16 for t in reader.tensors)


def test_refuses_per_module_ranks(tmp_path: Path) -> None:
    peft = fake_peft_dir(tmp_path / "peft", layers=1, rank_pattern={"q_proj": 8})
    with pytest.raises(TrainingError):
        peft_to_gguf_lora(peft, embedded_model_path(), tmp_path / "a.gguf")


# --- numerical comparison against transformers + peft (slow) -----------------------------------------

TEXT = [
    {"role": "system", "content": "You are a strength coach. Reply with next week's plan only."},
    {"role": "user", "content": "Intermediate lifter, 4 days, goal strength. Last week: squat 140 kg x5, bench 100 kg x5, 14 hard sets."},
    {"role": "assistant", "content": "Day 1\n- Squat: 4x5 @ 142.5 kg\n- Bench Press: 4x5 @ 102.5 kg\n- Barbell Row: 3x8 @ 70 kg\nDay 2\n- Deadlift: 3x4 @ 180 kg"},
]


def llamacpp_top(model: Path, ids: list[int], starts: range, adapter: Path | None, n_probs: int = 10) -> list[dict[int, float]]:
    """llama.cpp's top next-token logprobs after each prefix ids[:i], i in starts."""
    import xllamacpp as xl

    p = xl.CommonParams()
    p.model.path = str(model)
    p.n_ctx = 512
    p.n_parallel = 1
    p.cpuparams.n_threads = 2
    p.warmup = False
    if adapter is not None:
        info = xl.CommonAdapterLoraInfo()
        info.path, info.scale = str(adapter), 1.0
        p.lora_adapters = [info]
    server = xl.Server(p)
    out = []
    try:
        for i in starts:
            r = server.handle_completions({"prompt": ids[:i], "max_tokens": 1, "n_probs": n_probs, "temperature": 0, "cache_prompt": True})
            assert r["usage"]["prompt_tokens"] == i, r["usage"]  # no BOS added: both engines see the same ids
            out.append({t["id"]: t["logprob"] for t in r["choices"][0]["logprobs"]["content"][0]["top_logprobs"]})
    finally:
        del server
        gc.collect()
    return out


def agreement(cpp: list[dict[int, float]], ref_logprobs: np.ndarray) -> dict[str, float]:
    """Top-1 agreement, and mean |logprob difference| over llama.cpp's top tokens."""
    top1 = np.mean([max(c, key=c.get) == int(ref.argmax()) for c, ref in zip(cpp, ref_logprobs)])
    err = np.mean([np.mean([abs(lp - ref[t]) for t, lp in c.items()]) for c, ref in zip(cpp, ref_logprobs)])
    return {"top1": float(top1), "logprob_err": float(err)}


@pytest.mark.slow
def test_llamacpp_with_gguf_adapter_matches_transformers_peft(tmp_path: Path, embedded_base) -> None:
    import torch
    from peft import LoraConfig, get_peft_model

    gguf = embedded_model_path()
    base = embedded_base  # load_base of this GGUF, loaded once per session (conftest), this test's own copy
    assert base.gguf_path == gguf
    tok = base.tokenizer
    ids = tok(tok.apply_chat_template(TEXT, tokenize=False), add_special_tokens=False)["input_ids"]
    starts = range(8, len(ids) + 1)

    def hf_logprobs(model) -> np.ndarray:
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([ids])).logits[0].float()
        lp = torch.log_softmax(logits, -1).numpy()
        return np.stack([lp[i - 1] for i in starts])

    ref_base = hf_logprobs(base.model)
    torch.manual_seed(0)
    model = get_peft_model(base.model, LoraConfig(r=16, lora_alpha=32, target_modules=list(GGUF_NAMES), lora_dropout=0.0))
    with torch.no_grad():  # B starts at zero; random B so that the adapter (and its q/k rows) matter
        for n, p in model.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 0.1)
    model.eval()
    ref_tuned = hf_logprobs(model)
    model.save_pretrained(str(tmp_path / "peft"))
    good = peft_to_gguf_lora(tmp_path / "peft", gguf, tmp_path / "good.gguf")
    bad = peft_to_gguf_lora(tmp_path / "peft", gguf, tmp_path / "bad.gguf", permute_qk=False)
    del model, base
    gc.collect()

    floor = agreement(llamacpp_top(gguf, ids, starts, None), ref_base)
    tuned = agreement(llamacpp_top(gguf, ids, starts, good), ref_tuned)
    unpermuted = agreement(llamacpp_top(gguf, ids, starts, bad), ref_tuned)
    effect = float(np.mean(ref_base.argmax(-1) == ref_tuned.argmax(-1)))
    print(f"\npositions={len(starts)} base-vs-tuned top1={effect:.3f} floor={floor} adapter={tuned} unpermuted={unpermuted}")

    assert effect < 0.8  # the LoRA changes the predictions, so agreement below is not the base agreeing
    assert tuned["top1"] >= floor["top1"] - 0.05
    assert tuned["logprob_err"] <= 1.5 * floor["logprob_err"] + 0.02
    assert unpermuted["logprob_err"] > 3 * tuned["logprob_err"]
    assert unpermuted["top1"] < tuned["top1"]
