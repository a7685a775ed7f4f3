"""The converted copy of a GGUF base (`peri.tune.base_cache`): the same model in a second instead of half a minute.

The cache's rules are checked on a tiny random Llama and a word-level tokenizer made here (milliseconds); the
slow test converts the real embedded GGUF into a fresh cache and loads it back without reading the GGUF again.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from peri.tune import base_cache  # noqa: E402
from peri.tune.base_cache import cache_root, entry_dir, load_copy, load_or_convert, save_copy  # noqa: E402

SHA = "ab" * 32
OTHER = "cd" * 32


def tiny() -> tuple:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    torch.manual_seed(7)
    words = ["<unk>", "<eos>", "squat", "bench", "deadlift", "5x5", "at", "100", "kg"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", eos_token="<eos>")
    tokenizer.chat_template = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
    cfg = LlamaConfig(vocab_size=len(words), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                      num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=64)
    return LlamaForCausalLM(cfg), tokenizer


def same_weights(a, b) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def test_where_the_copies_live_and_how_the_cache_is_turned_off(tmp_path):
    assert cache_root({"PERI_HOME": str(tmp_path / "home")}) == tmp_path / "home" / "cache" / "bases"
    assert cache_root({"PERI_BASE_CACHE": str(tmp_path / "shared"), "PERI_HOME": str(tmp_path)}) == tmp_path / "shared"
    for off in ("off", "OFF", "0", "no", "false", "none", " off "):
        assert cache_root({"PERI_BASE_CACHE": off, "PERI_HOME": str(tmp_path)}) is None
    name = entry_dir(tmp_path, SHA, torch.float32).name
    assert name == f"{SHA[:24]}-float32-tf{transformers.__version__}"
    assert entry_dir(tmp_path, SHA, torch.bfloat16).name.startswith(f"{SHA[:24]}-bfloat16-")


def test_a_saved_copy_loads_the_same_weights_and_tokenizer(tmp_path):
    model, tokenizer = tiny()
    assert load_copy(tmp_path, SHA, torch.float32) is None  # nothing yet
    where = save_copy(tmp_path, SHA, torch.float32, model, tokenizer)
    assert where == entry_dir(tmp_path, SHA, torch.float32) and (where / "peri-base.done").read_text() == SHA + "\n"
    got_model, got_tok = load_copy(tmp_path, SHA, torch.float32)
    assert same_weights(model, got_model)
    text = "squat 5x5 at 100 kg bench"
    assert got_tok(text)["input_ids"] == tokenizer(text)["input_ids"] == [2, 5, 6, 7, 8, 3]
    msgs = [{"role": "user", "content": "deadlift"}]
    assert got_tok.apply_chat_template(msgs, tokenize=False) == "user: deadlift\n"
    assert got_tok.eos_token == "<eos>"
    # another file or another precision never meets this copy
    assert load_copy(tmp_path, OTHER, torch.float32) is None
    assert load_copy(tmp_path, SHA, torch.bfloat16) is None
    assert not list(tmp_path.glob(".writing-*"))


def test_a_damaged_copy_is_removed_and_reported_missing_not_an_error(tmp_path, caplog):
    model, tokenizer = tiny()
    where = save_copy(tmp_path, SHA, torch.float32, model, tokenizer)
    weights = where / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])  # cut short, as a full disk leaves it
    assert load_copy(tmp_path, SHA, torch.float32) is None
    assert not where.exists()
    assert "does not load" in caplog.text and str(where) in caplog.text
    # made again on the next save, and read
    save_copy(tmp_path, SHA, torch.float32, model, tokenizer)
    assert same_weights(model, load_copy(tmp_path, SHA, torch.float32)[0])


def test_a_folder_without_its_done_mark_is_never_read(tmp_path):
    """A copy is renamed into place only after its mark is written: a folder without it is someone's half-copy."""
    model, tokenizer = tiny()
    where = entry_dir(tmp_path, SHA, torch.float32)
    model.save_pretrained(str(where))
    tokenizer.save_pretrained(str(where))
    assert load_copy(tmp_path, SHA, torch.float32) is None


def test_only_the_two_most_recently_used_copies_are_kept(tmp_path):
    model, tokenizer = tiny()
    shas = ["11" * 32, "22" * 32, "33" * 32]
    save_copy(tmp_path, shas[0], torch.float32, model, tokenizer)
    save_copy(tmp_path, shas[1], torch.float32, model, tokenizer)
    old = time.time() - 60
    for s in shas[:2]:  # both made a minute ago; the first is then used now, the second not since
        os.utime(entry_dir(tmp_path, s, torch.float32) / "peri-base.done", (old, old))
    assert load_copy(tmp_path, shas[0], torch.float32) is not None
    save_copy(tmp_path, shas[2], torch.float32, model, tokenizer)
    kept = {p.name for p in tmp_path.iterdir()}
    assert kept == {entry_dir(tmp_path, shas[0], torch.float32).name, entry_dir(tmp_path, shas[2], torch.float32).name}


def test_a_half_written_folder_left_by_a_killed_run_is_cleared_after_a_day_only(tmp_path):
    model, tokenizer = tiny()
    stale, live = tmp_path / ".writing-stale", tmp_path / ".writing-live"
    for d in (stale, live):
        d.mkdir(parents=True)
        (d / "model.safetensors").write_bytes(b"x")
    day_ago = time.time() - 86400 - 60
    os.utime(stale, (day_ago, day_ago))
    save_copy(tmp_path, SHA, torch.float32, model, tokenizer)
    assert not stale.exists() and live.exists()


def test_a_twin_written_meanwhile_is_kept_and_the_own_copy_dropped(tmp_path, monkeypatch):
    """Two Ray workers convert the same base at once: the second rename finds the first's copy in place."""
    model, tokenizer = tiny()
    first = save_copy(tmp_path, SHA, torch.float32, model, tokenizer)
    mark = (first / "peri-base.done").stat().st_mtime_ns
    assert save_copy(tmp_path, SHA, torch.float32, model, tokenizer) == first
    assert (first / "peri-base.done").stat().st_mtime_ns >= mark
    assert not list(tmp_path.glob(".writing-*"))
    assert same_weights(model, load_copy(tmp_path, SHA, torch.float32)[0])


def test_a_cache_that_cannot_be_written_costs_speed_not_the_run(tmp_path, caplog):
    model, tokenizer = tiny()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert save_copy(blocked, SHA, torch.float32, model, tokenizer) is None
    assert "could not keep a converted copy" in caplog.text
    assert blocked.read_text() == "not a folder"


def test_workers_arriving_together_convert_once_and_the_others_load_the_copy(tmp_path):
    """The Ray workers of a batch start at once: one converts (here 0.3 s), the rest wait on the lock, then read."""
    import threading

    model, tokenizer = tiny()
    calls: list[int] = []

    def convert():
        calls.append(1)
        time.sleep(0.3)
        return model, tokenizer

    got: list = []
    threads = [threading.Thread(target=lambda: got.append(load_or_convert(tmp_path, SHA, torch.float32, convert)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(got) == 3
    assert all(same_weights(model, m) for m, _ in got)
    assert sum(m is model for m, _ in got) == 1  # the converter's own; the others loaded the copy


def test_a_failed_conversion_keeps_nothing_and_frees_the_lock(tmp_path):
    from peri.errors import ConfigError

    def broken():
        raise ConfigError("could not load base model x.gguf: not a llama")

    with pytest.raises(ConfigError, match="not a llama"):
        load_or_convert(tmp_path, SHA, torch.float32, broken)
    assert load_copy(tmp_path, SHA, torch.float32) is None
    model, tokenizer = tiny()
    assert load_or_convert(tmp_path, SHA, torch.float32, lambda: (model, tokenizer))[0] is model  # not blocked
    assert load_copy(tmp_path, SHA, torch.float32) is not None


@pytest.mark.slow
def test_the_embedded_gguf_is_converted_once_then_loaded_from_its_copy(monkeypatch):
    """The GGUF read without the cache is the truth. With the cache (the session's shared folder, so the tests after
    this one find the copy made), a load gives the same model; then a load reading no GGUF at all gives the same
    tensors, logits, tokenizer, chat template, hash and GGUF path (the adapter conversion still needs that file)."""
    import transformers.modeling_gguf_pytorch_utils as gguf_utils

    from peri.tune.base_model import load_base

    shared = os.environ["PERI_BASE_CACHE"]  # tests/conftest.py's folder for the session
    monkeypatch.setenv("PERI_BASE_CACHE", "off")
    truth = load_base(None)
    monkeypatch.setenv("PERI_BASE_CACHE", shared)
    cached = load_base(None)  # converts and keeps the copy, or (a test before made it) reads the copy
    entry = entry_dir(Path(shared), truth.sha256, torch.float32)
    assert (entry / "peri-base.done").is_file()

    def no_gguf(*a, **k):
        raise AssertionError("the GGUF was read again despite the copy")

    monkeypatch.setattr(gguf_utils, "load_gguf_checkpoint", no_gguf)
    again = load_base(None)
    text = "Squat 3x5 @ 102.5 kg RPE 8, felt easy. Bench 5x5"
    ids = torch.tensor([truth.tokenizer(text)["input_ids"]])
    msgs = [{"role": "system", "content": "coach"}, {"role": "user", "content": "next week?"}]
    for got in (cached, again):
        assert same_weights(truth.model, got.model)
        assert (got.sha256, got.gguf_path, got.path) == (truth.sha256, truth.gguf_path, truth.path)
        assert not getattr(got.model, "is_quantized", False) and not hasattr(got.model.config, "quantization_config")
        assert got.tokenizer(text)["input_ids"] == truth.tokenizer(text)["input_ids"]
        assert (got.tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
                == truth.tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True))
        assert got.tokenizer.pad_token_id == truth.tokenizer.pad_token_id is not None
        with torch.no_grad():
            assert torch.equal(truth.model(ids).logits, got.model(ids).logits)
