"""PEFT → GGUF LoRA conversion on tiny random tensors and a tiny metadata-only base GGUF (issue 20).

tests/test_gguf_adapter.py converts SmolLM2-135M-shaped adapters against the real base GGUF (and, marked
slow, compares logits with transformers + peft); these tests check the same conversion in milliseconds so
mutmut can run them for every mutant: 4 query heads and 2 KV heads (so a q/k head count mix-up shows), head
dimension 4, hidden size 16, every expected tensor worked out from the input by hand-written index lists.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from peri.errors import ConfigError, TrainingError
from peri.tune.gguf_adapter import base_gguf_info, peft_to_gguf_lora, permute_qk_rows

N_HEAD, N_HEAD_KV, HEAD_DIM, HIDDEN = 4, 2, 4, 16


def tiny_base(path: Path, arch: str = "llama", *, drop: str | None = None) -> Path:
    """A GGUF holding only the metadata the converter reads (no tensors)."""
    from gguf import GGUFWriter

    w = GGUFWriter(str(path), arch)
    for key, value in ((f"{arch}.attention.head_count", N_HEAD), (f"{arch}.attention.head_count_kv", N_HEAD_KV),
                       (f"{arch}.block_count", 3)):
        if key != drop:
            w.add_uint32(key, value)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def peft_dir(d: Path, *, r: int = 2, alpha: float = 4.0, tensors: dict | None = None, **cfg) -> Path:
    """A PEFT adapter: q (16 rows), k and v (8 rows each) and down on layer 1, values 0, 1, 2, ... in order."""
    from safetensors.numpy import save_file

    if tensors is None:
        shapes = {"self_attn.q_proj": (HIDDEN, HIDDEN), "self_attn.k_proj": (N_HEAD_KV * HEAD_DIM, HIDDEN),
                  "self_attn.v_proj": (N_HEAD_KV * HEAD_DIM, HIDDEN), "mlp.down_proj": (HIDDEN, 8)}
        tensors = {}
        for name, (rows, cols) in shapes.items():
            pre = f"base_model.model.model.layers.1.{name}"
            tensors[f"{pre}.lora_A.weight"] = np.arange(r * cols, dtype=np.float32).reshape(r, cols)
            tensors[f"{pre}.lora_B.weight"] = np.arange(rows * r, dtype=np.float32).reshape(rows, r)
    d.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(d / "adapter_model.safetensors"))
    (d / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": r, "lora_alpha": alpha, **cfg}))
    return d


def read(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    from gguf import GGUFReader

    reader = GGUFReader(str(path))
    fields = {k: f.contents() for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    alpha = reader.get_field("adapter.lora.alpha")
    fields["alpha dtype"] = alpha.parts[alpha.data[0]].dtype
    tensors = {t.name: np.asarray(t.data).reshape([int(x) for x in reversed(t.shape)]) for t in reader.tensors}
    return fields, tensors


# rows of a 16-row q lora_B after llama.cpp's permutation with 4 heads of 4 rows: per head, the rotary
# halves [0,1] and [2,3] interleaved -> 0,2,1,3; k's 8 rows are its 2 KV heads of 4 rows, the same per head.
# Mixed up, q by 2 heads of 8 rows would read 0,4,1,5,2,6,3,7,... and k by 4 heads of 2 rows stay in order.
Q_ORDER = [0, 2, 1, 3, 4, 6, 5, 7, 8, 10, 9, 11, 12, 14, 13, 15]
K_ORDER = [0, 2, 1, 3, 4, 6, 5, 7]


def test_permutation_by_hand_for_q_and_kv_head_counts() -> None:
    q = np.arange(16)[:, None] * np.ones((1, 2))
    assert permute_qk_rows(q, N_HEAD)[:, 0].tolist() == Q_ORDER
    k = np.arange(8)[:, None] * np.ones((1, 2))
    assert permute_qk_rows(k, N_HEAD_KV)[:, 1].tolist() == K_ORDER
    assert permute_qk_rows(q, N_HEAD_KV)[:, 0].tolist() == [0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15]


def test_base_gguf_info_and_a_missing_key(tmp_path: Path) -> None:
    assert base_gguf_info(tiny_base(tmp_path / "b.gguf")) == {"arch": "llama", "n_head": 4, "n_head_kv": 2,
                                                                "n_layer": 3}
    base = tiny_base(tmp_path / "nokv.gguf", drop="llama.attention.head_count_kv")
    with pytest.raises(ConfigError) as e:
        base_gguf_info(base)
    assert e.value.message == "base GGUF has no 'llama.attention.head_count_kv' metadata"
    assert e.value.place == str(base)


def test_conversion_names_values_alpha_and_permutation(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "a.gguf"
    out = peft_to_gguf_lora(peft_dir(tmp_path / "peft"), tiny_base(tmp_path / "b.gguf"), target)
    assert out == target  # its folders are created
    fields, t = read(out)
    assert fields["general.architecture"] == "llama" and fields["general.type"] == "adapter"
    assert fields["adapter.type"] == "lora"
    assert fields["adapter.lora.alpha"] == 4.0 and fields["alpha dtype"] == np.float32
    assert sorted(t) == sorted(f"blk.1.{n}.weight.lora_{ab}" for n in ("attn_q", "attn_k", "attn_v", "ffn_down")
                               for ab in "ab")
    assert all(x.dtype == np.float32 for x in t.values())
    # lora_A of every projection and lora_B of v and down are copied as they are
    assert t["blk.1.attn_q.weight.lora_a"].tolist() == np.arange(32).reshape(2, 16).tolist()
    assert t["blk.1.attn_v.weight.lora_b"].tolist() == np.arange(16).reshape(8, 2).tolist()
    assert t["blk.1.ffn_down.weight.lora_a"].tolist() == np.arange(16).reshape(2, 8).tolist()
    assert t["blk.1.ffn_down.weight.lora_b"].tolist() == np.arange(32).reshape(16, 2).tolist()
    # lora_B of q and k get the base's row order: q by its 4 heads, k by its 2 KV heads
    q_rows = np.arange(32).reshape(16, 2)
    assert t["blk.1.attn_q.weight.lora_b"].tolist() == q_rows[Q_ORDER].tolist()
    k_rows = np.arange(16).reshape(8, 2)
    assert t["blk.1.attn_k.weight.lora_b"].tolist() == k_rows[K_ORDER].tolist()


def test_without_permutation_and_in_f16(tmp_path: Path) -> None:
    out = peft_to_gguf_lora(peft_dir(tmp_path / "peft"), tiny_base(tmp_path / "b.gguf"), tmp_path / "a.gguf",
                            "f16", permute_qk=False)
    _, t = read(out)
    assert all(x.dtype == np.float16 for x in t.values())
    assert t["blk.1.attn_q.weight.lora_b"].tolist() == np.arange(32).reshape(16, 2).tolist()


def test_rslora_alpha_is_alpha_times_root_r(tmp_path: Path) -> None:
    # rsLoRA scales by alpha / sqrt(r) = 4 / 2; llama.cpp by alpha' / r, so alpha' = 4 x 2 = 8 at r = 4
    peft = peft_dir(tmp_path / "peft", r=4, alpha=4.0, use_rslora=True)
    fields, _ = read(peft_to_gguf_lora(peft, tiny_base(tmp_path / "b.gguf"), tmp_path / "a.gguf"))
    assert fields["adapter.lora.alpha"] == pytest.approx(8.0)


@pytest.mark.parametrize("cfg, message", [
    ({"peft_type": "PREFIX_TUNING"}, "not a LoRA adapter: peft_type=PREFIX_TUNING"),
    ({"rank_pattern": {"q_proj": 8}}, "per-module ranks or alphas cannot be written as one GGUF adapter"),
    ({"alpha_pattern": {"q_proj": 8}}, "per-module ranks or alphas cannot be written as one GGUF adapter"),
    ({"use_dora": True}, "DoRA adapters are not supported by llama.cpp's LoRA loader"),
])
def test_refused_configurations(tmp_path: Path, cfg: dict, message: str) -> None:
    peft = peft_dir(tmp_path / "peft", **cfg)
    with pytest.raises(TrainingError) as e:
        peft_to_gguf_lora(peft, tiny_base(tmp_path / "b.gguf"), tmp_path / "a.gguf")
    assert e.value.message == message and e.value.place == str(peft)
    assert not (tmp_path / "a.gguf").exists()


def test_a_lora_without_peft_type_is_a_lora(tmp_path: Path) -> None:
    peft = peft_dir(tmp_path / "peft")
    cfg = json.loads((peft / "adapter_config.json").read_text())
    del cfg["peft_type"]
    (peft / "adapter_config.json").write_text(json.dumps(cfg))
    assert peft_to_gguf_lora(peft, tiny_base(tmp_path / "b.gguf"), tmp_path / "a.gguf").exists()


def test_refuses_a_base_of_another_architecture(tmp_path: Path) -> None:
    base = tiny_base(tmp_path / "b.gguf", arch="gpt2")
    with pytest.raises(ConfigError) as e:
        peft_to_gguf_lora(peft_dir(tmp_path / "peft"), base, tmp_path / "a.gguf")
    assert e.value.message == "GGUF adapters are written for llama-architecture bases, not 'gpt2'"
    assert e.value.place == str(base)


def _one(key: str) -> dict:
    return {key: np.zeros((2, 4), dtype=np.float32)}


@pytest.mark.parametrize("key, message, place, hint", [
    ("base_model.model.lm_head.lora_A.weight", "unexpected tensor base_model.model.lm_head.lora_A.weight in the "
     "PEFT adapter", "peft", "only LoRA on linear projections converts"),
    ("base_model.model.model.layers.0.mlp.up_proj.lora_magnitude_vector.weight", "unexpected tensor "
     "base_model.model.model.layers.0.mlp.up_proj.lora_magnitude_vector.weight in the PEFT adapter", "peft",
     "only LoRA on linear projections converts"),
    ("base_model.model.model.layers.0.mlp.fc1.lora_A.weight", "no llama.cpp tensor for module 'fc1'",
     "base_model.model.model.layers.0.mlp.fc1.lora_A.weight", None),
])
def test_refused_tensors(tmp_path: Path, key: str, message: str, place: str, hint: str | None) -> None:
    peft = peft_dir(tmp_path / "peft", tensors=_one(key))
    with pytest.raises(TrainingError) as e:
        peft_to_gguf_lora(peft, tiny_base(tmp_path / "b.gguf"), tmp_path / "a.gguf")
    assert e.value.message == message
    assert e.value.place == (str(peft) if place == "peft" else place)
    assert e.value.hint == hint


def test_an_adapter_without_tensors_is_refused(tmp_path: Path) -> None:
    peft = peft_dir(tmp_path / "peft", tensors={})
    with pytest.raises(TrainingError) as e:
        peft_to_gguf_lora(peft, tiny_base(tmp_path / "b.gguf"), tmp_path / "a.gguf")
    assert e.value.message == "the PEFT adapter holds no LoRA tensors" and e.value.place == str(peft)


def test_base_gguf_info_is_read_again_when_the_file_changes_and_hands_out_copies(tmp_path: Path, monkeypatch) -> None:
    path = tiny_base(tmp_path / "b.gguf")
    first = base_gguf_info(path)
    first["n_head"] = 99  # the caller's own dict: the cached answer is not changed
    assert base_gguf_info(path)["n_head"] == 4
    tiny_base(path, arch="qwen2")  # the same path rewritten with another model's metadata
    assert base_gguf_info(path) == {"arch": "qwen2", "n_head": 4, "n_head_kv": 2, "n_layer": 3}
    monkeypatch.chdir(tmp_path)
    assert base_gguf_info(Path("b.gguf"))["arch"] == "qwen2"  # a relative path names the same file
