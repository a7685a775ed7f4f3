"""The memory-saving paths of local LoRA training compute what the plain paths computed.

Tiny random llama with the embedded model's real tokenizer (fixtures from test_train.py's conftest-free
helpers are rebuilt here in a few lines); no real model, fast.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.tune.train import encode_conversation, keep_lora_dropout_masks_as_bits, load_chat_jsonl
from test_train import data, tiny_base_dir, write_chat_jsonl  # noqa: F401  (fixtures)

ALL_SEVEN = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def _lora_model(base_dir: Path, dropout: float, fused: bool):
    import torch
    from peft import LoraConfig, get_peft_model

    from peri.tune.base_model import load_base

    base = load_base(base_dir)
    torch.manual_seed(1)
    model = get_peft_model(base.model, LoraConfig(r=4, lora_alpha=8, lora_dropout=dropout, target_modules=ALL_SEVEN, task_type="CAUSAL_LM"))
    for p in model.parameters():  # B starts at zero; move it so every LoRA weight gets a gradient
        if p.requires_grad:
            torch.nn.init.normal_(p, std=0.1)
    n = keep_lora_dropout_masks_as_bits(model) if fused else None
    model.train()
    return model, base.tokenizer, n


class MaskSequence:
    """The k-th dropout call of a run gets the k-th mask of a seeded sequence, in either implementation.

    The fused layer draws its masks with numpy, PEFT's with torch's `bernoulli_`: to compare the arithmetic
    the two must drop the same inputs. Both models call dropout once per LoRA layer in the same order (PEFT
    right before `lora_A`; the fused `lora_A` in its place), so call k of one is call k of the other.
    """

    def __init__(self, seed: int) -> None:
        self.seed, self.calls = seed, 0

    def draw(self, shape, p: float):
        import torch

        g = torch.Generator().manual_seed(self.seed * 100_003 + self.calls)
        self.calls += 1
        return (torch.rand(tuple(shape), generator=g) >= p).to(torch.uint8)

    def patch(self, model, monkeypatch: pytest.MonkeyPatch, fused: bool) -> None:
        """Route `model`'s dropout draws through this sequence (PEFT's Dropout modules, or draw_keep_mask)."""
        import torch

        import peri.tune.train as train_module

        if fused:
            monkeypatch.setattr(train_module, "draw_keep_mask", self.draw)
            return
        seq = self

        class SequencedDropout(torch.nn.Module):
            def __init__(self, p: float) -> None:
                super().__init__()
                self.p = p

            def forward(self, x):  # torch's dropout: x * (mask / (1 - p)), the mask given
                if not self.training:
                    return x
                return x * seq.draw(x.shape, self.p).to(x.dtype).div_(1 - self.p)

        for module in model.modules():
            drops = getattr(module, "lora_dropout", None)
            if isinstance(drops, torch.nn.ModuleDict):
                for name, drop in list(drops.items()):
                    if isinstance(drop, torch.nn.Dropout):
                        drops[name] = SequencedDropout(drop.p)


def test_fused_lora_dropout_computes_and_differentiates_as_peft_did(
        tiny_base_dir: Path, data, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Given the same dropped inputs, the same loss, LoRA gradients and input gradients as PEFT's dropout
    (to float rounding: the fused layer scales the r x d weight, PEFT the N x d input); and the dropout
    stays live (a second draw gives another loss)."""
    import torch

    from peri.tune.train import _collate, _loss_sum

    runs = []
    for fused in (False, True):
        model, tok, n = _lora_model(tiny_base_dir, 0.2, fused)
        seq = MaskSequence(5)
        seq.patch(model, monkeypatch, fused)
        batch = _collate([encode_conversation(tok, m) for m in load_chat_jsonl(data[0])[:3]], tok.pad_token_id)
        loss = _loss_sum(model, batch, gather=True, chunk=7)
        loss.backward()
        again = _loss_sum(model, batch, gather=True, chunk=7).detach()
        grads = {k: p.grad.clone() for k, p in model.named_parameters() if p.requires_grad}
        runs.append((loss.detach(), again, grads, seq.calls, n))
        monkeypatch.undo()
    (l0, a0, g0, c0, _), (l1, a1, g1, c1, n) = runs
    assert n == 2 * 7  # two layers, seven projections each
    assert c0 == c1 == 2 * 2 * 7  # one draw per LoRA layer and pass in both
    torch.testing.assert_close(l1, l0, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(a1, a0, rtol=1e-5, atol=1e-5)
    assert not torch.equal(l1, a1)
    assert g0.keys() == g1.keys()
    for k in g0:
        torch.testing.assert_close(g1[k], g0[k], rtol=1e-4, atol=1e-6)
    assert any(float(g.abs().sum()) > 0 for k, g in g1.items() if "lora_A" in k)


def test_fused_lora_dropout_keeps_the_adapter_and_its_eval_path(tiny_base_dir: Path, data) -> None:  # noqa: F811
    """State-dict keys unchanged (the adapter saves and loads as before); no dropout in eval; dropout 0 left alone."""
    import torch
    from peft import get_peft_model_state_dict

    from peri.tune.train import _collate, _loss_sum

    plain, tok, _ = _lora_model(tiny_base_dir, 0.2, False)
    fused, _, _ = _lora_model(tiny_base_dir, 0.2, True)
    assert get_peft_model_state_dict(plain).keys() == get_peft_model_state_dict(fused).keys()
    batch = _collate([encode_conversation(tok, m) for m in load_chat_jsonl(data[0])[:2]], tok.pad_token_id)
    plain.eval(), fused.eval()
    with torch.no_grad():
        assert torch.equal(_loss_sum(plain, batch, chunk=7), _loss_sum(fused, batch, chunk=7))
    _, _, n = _lora_model(tiny_base_dir, 0.0, True)
    assert n == 0


def test_training_with_fused_dropout_gives_the_losses_and_adapter_of_peft_dropout(
        tiny_base_dir: Path, data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """train_lora fuses the dropout on a CPU; three steps with it, dropping the inputs PEFT's dropout drops,
    give PEFT's step losses, validation losses and LoRA weights (to float rounding)."""
    import torch

    import peri.tune.train as train_module
    from peri.tune.base_model import load_base
    from peri.tune.train import TrainConfig, train_lora

    real_fuse = train_module.keep_lora_dropout_masks_as_bits
    runs = []
    for fused in (False, True):
        seq = MaskSequence(3)
        if fused:
            seq.patch(None, monkeypatch, True)
        else:  # PEFT's dropout, its draws taken from the sequence once the model exists
            monkeypatch.setattr(train_module, "keep_lora_dropout_masks_as_bits", lambda model: seq.patch(model, monkeypatch, False) or 0)
        base = load_base(tiny_base_dir)
        cfg = TrainConfig(base=str(tiny_base_dir), rank=4, alpha=8, dropout=0.2, epochs=1, max_steps=3, batch_tokens=512,
                          micro_batch_tokens=128, lr=1e-2, precision="fp32", threads=1)
        losses: list[float] = []
        res = train_lora(cfg, data[0], data[1], tmp_path / str(fused), base=base, write_gguf=False,
                         progress=lambda p: losses.append(p.loss) if p.phase == "train" else None)
        kinds = {type(m).__name__ for n, m in base.model.named_modules() if n.endswith("lora_A.default")}
        lora = {k: v.detach().clone() for k, v in base.model.state_dict().items() if "lora_" in k}
        runs.append((losses, res.val_loss_before, res.val_loss_after, lora, kinds, seq.calls))
        monkeypatch.undo()
    assert train_module.keep_lora_dropout_masks_as_bits is real_fuse
    (l0, vb0, va0, w0, k0, c0), (l1, vb1, va1, w1, k1, c1) = runs
    assert k0 == {"Linear"} and k1 == {"DropoutLinear"}
    assert c0 == c1 > 0
    assert len(l0) == 3 and l1 == pytest.approx(l0, rel=1e-5)
    assert vb1 == pytest.approx(vb0, rel=1e-6) and va1 == pytest.approx(va0, rel=1e-5)
    assert w0.keys() == w1.keys()
    for k in w0:
        torch.testing.assert_close(w1[k], w0[k], rtol=1e-4, atol=1e-5)


def _resident_bytes() -> int:
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the resident set from /proc (Linux)")
def test_return_freed_heap_gives_back_holes_that_free_alone_keeps() -> None:
    """Freed heap blocks between live ones stay resident after free(); the trim after each pass hands their
    pages back. 4,000 blocks of 64 KB (under any mmap threshold peri sets, so in the heap), every other one
    freed: 125 MB of holes that cannot merge with each other or with the heap's top."""
    import ctypes

    from peri.tune.train import return_freed_heap

    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    blocks = []
    for _ in range(4000):
        p = libc.malloc(64 << 10)
        libc.memset(p, 1, 64 << 10)  # touched: resident
        blocks.append(p)
    try:
        for p in blocks[::2]:
            libc.free(p)
        before = _resident_bytes()
        assert return_freed_heap() is True
        after = _resident_bytes()
    finally:
        for p in blocks[1::2]:
            libc.free(p)
    assert before - after > 100 * 2**20
