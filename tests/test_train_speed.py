"""The speed-saving paths of local LoRA training: the fused LoRA dropout's arithmetic and draws, and the
heap trimmed once a step.

Fast: small tensors, and the tiny random llama of test_train.py for the one training run.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from peri.tune.train import _dropout_linear_class, draw_keep_mask
from test_train import data, tiny_base_dir  # noqa: F401  (fixtures)


def _fused_and_reference(p: float, keep, *, autocast: bool):
    """The fused layer's output and gradients for a given keep mask, and torch's `linear(dropout(x))`
    with the same mask: x * (mask / (1 - p)) @ W.T, differentiated by autograd."""
    import torch
    import torch.nn.functional as F

    import peri.tune.train as train_module

    torch.manual_seed(0)
    x = torch.randn(2, 9, 24, requires_grad=True)
    linear = torch.nn.Linear(24, 5, bias=False)
    layer = _dropout_linear_class()(linear, p)
    layer.train()
    g = torch.randn(2, 9, 5)
    real = train_module.draw_keep_mask
    train_module.draw_keep_mask = lambda shape, q: keep
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            out = layer(x)
        gx, gw = torch.autograd.grad(out, [x, layer.weight], g)
    finally:
        train_module.draw_keep_mask = real
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        ref = F.linear(x * (keep.to(torch.float32) / (1 - p)), linear.weight)
    rx, rw = torch.autograd.grad(ref, [x, linear.weight], g)
    return (out, gx, gw), (ref, rx, rw), (x.detach(), linear.weight.detach())


def test_fused_dropout_equals_torch_dropout_then_linear_for_a_fixed_mask() -> None:
    """Forward, input gradient and weight gradient of the fused layer are torch's, to fp32 rounding; a
    dropped input gets no gradient and does not reach the output."""
    import torch

    keep = (torch.arange(2 * 9 * 24).reshape(2, 9, 24) % 7 != 3).to(torch.uint8)  # every 7th input dropped
    (out, gx, gw), (ref, rx, rw), _ = _fused_and_reference(0.3, keep, autocast=False)
    assert out.dtype == gx.dtype == gw.dtype == torch.float32
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(gx, rx, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(gw, rw, rtol=1e-5, atol=1e-6)
    assert torch.all(gx[keep == 0] == 0) and torch.all(gx[keep == 1] != 0)
    # the scale is 1 / (1 - p): with every input kept, the output is the plain product divided by 0.7
    (all_kept, _, _), _, (x, w) = _fused_and_reference(0.3, torch.ones_like(keep), autocast=False)
    torch.testing.assert_close(all_kept.detach() * 0.7, x @ w.T, rtol=1e-5, atol=1e-6)


def test_fused_dropout_under_bf16_autocast_matches_torch_to_bf16_rounding() -> None:
    """Under bf16 autocast (the CPUs with AVX-512-BF16) the backward pass runs under the forward's autocast,
    as autograd's own linear does, and the gradients come back in the inputs' dtypes."""
    import torch

    keep = (torch.arange(2 * 9 * 24).reshape(2, 9, 24) % 5 != 0).to(torch.uint8)
    (out, gx, gw), (ref, rx, rw), _ = _fused_and_reference(0.2, keep, autocast=True)
    assert out.dtype == ref.dtype == torch.bfloat16
    assert gx.dtype == gw.dtype == torch.float32
    for mine, theirs in ((out, ref), (gx, rx), (gw, rw)):
        scale = float(theirs.detach().float().abs().max())
        assert float((mine.detach().float() - theirs.detach().float()).abs().max()) <= 0.02 * scale


def test_fused_dropout_is_off_in_eval_and_without_gradients() -> None:
    """Evaluation (model.eval()) and no-grad passes are the plain product: no draw, no scale."""
    import torch

    torch.manual_seed(0)
    linear = torch.nn.Linear(16, 4, bias=False)
    layer = _dropout_linear_class()(linear, 0.5)
    x = torch.randn(3, 16)
    layer.eval()
    torch.testing.assert_close(layer(x), x @ linear.weight.T)
    layer.train()
    state = torch.get_rng_state()
    with torch.no_grad():  # training mode without gradients: torch's own dropout, live
        out = layer(x)
    assert not torch.equal(torch.get_rng_state(), state)
    assert not torch.allclose(out, x @ linear.weight.T)


@pytest.mark.parametrize("p", [0.05, 0.5, 0.9])
def test_keep_mask_keeps_each_input_with_probability_one_minus_p(p: float) -> None:
    """Fraction kept within 5 standard errors of 1 − p over 300,000 draws; only 0 and 1; the shape asked."""
    import torch

    torch.manual_seed(11)
    keep = draw_keep_mask((300, 1000), p)
    assert keep.shape == (300, 1000) and keep.dtype == torch.uint8
    assert set(torch.unique(keep).tolist()) <= {0, 1}
    frac = float(keep.float().mean())
    assert abs(frac - (1 - p)) < 5 * math.sqrt(p * (1 - p) / keep.numel())
    # independent across positions: the rows' kept fractions spread as binomial ones do, not all equal
    rows = keep.float().mean(dim=1)
    assert float(rows.std()) == pytest.approx(math.sqrt(p * (1 - p) / 1000), rel=0.25)


def test_keep_masks_follow_torch_seed_and_differ_call_to_call() -> None:
    """torch.manual_seed decides the masks (so a checkpoint's saved torch RNG state does); each call draws
    afresh and advances torch's generator."""
    import torch

    torch.manual_seed(3)
    a1, a2 = draw_keep_mask((50, 40), 0.3), draw_keep_mask((50, 40), 0.3)
    torch.manual_seed(3)
    state = torch.get_rng_state()
    b1 = draw_keep_mask((50, 40), 0.3)
    assert not torch.equal(torch.get_rng_state(), state)
    b2 = draw_keep_mask((50, 40), 0.3)
    assert torch.equal(a1, b1) and torch.equal(a2, b2) and not torch.equal(a1, a2)
    torch.manual_seed(4)
    assert not torch.equal(draw_keep_mask((50, 40), 0.3), a1)
    big, small = draw_keep_mask((7, 3000), 0.3), draw_keep_mask((5,), 0.3)  # the scratch buffer grows, then is reused
    assert big.shape == (7, 3000) and small.shape == (5,)


def test_heap_is_trimmed_once_a_step_not_once_a_pass(
        tiny_base_dir: Path, data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Several forward/backward passes a step (micro-batches), one trim a step: trimming after every pass
    cost ~750 against ~250 page faults a token of the embedded model (docs/results.md)."""
    import peri.tune.train as train_module
    from peri.tune.base_model import load_base
    from peri.tune.train import TrainConfig, train_lora

    counts = {"trim": 0, "pass": 0}
    real_loss = train_module._loss_sum

    def counting_loss(*a, **kw):
        counts["pass"] += 1
        return real_loss(*a, **kw)

    monkeypatch.setattr(train_module, "return_freed_heap", lambda: counts.__setitem__("trim", counts["trim"] + 1) or True)
    monkeypatch.setattr(train_module, "_loss_sum", counting_loss)
    seen: list[tuple[int, int]] = []

    def progress(p) -> None:
        if p.phase == "train":
            seen.append((counts["trim"], counts["pass"]))

    cfg = TrainConfig(base=str(tiny_base_dir), rank=4, alpha=8, epochs=1, max_steps=4, batch_tokens=1024,
                      micro_batch_tokens=16, lr=1e-2, precision="fp32", threads=1, device="cpu")
    train_lora(cfg, data[0], data[1], tmp_path / "out", base=load_base(tiny_base_dir), write_gguf=False, progress=progress)
    assert len(seen) == 4
    steps = list(zip(seen, seen[1:]))
    assert all(t1 - t0 == 1 for (t0, _), (t1, _) in steps)
    assert sum(q1 - q0 for (_, q0), (_, q1) in steps) > len(steps)  # more passes than steps: the rule is tested
