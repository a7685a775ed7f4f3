"""The in-process llama.cpp backend (xllamacpp) on the embedded model: text, schema-constrained JSON, and a
GGUF LoRA adapter on the unchanged base. Each test loads at most one model at a time."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from peri.backends.base import GenerationRequest
from peri.backends.llamacpp import LlamaCppBackend
from peri.errors import ConfigError
from peri.paths import embedded_model_path

MESSAGES = [{"role": "user", "content": "Name one leg exercise."}]


def test_missing_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="model file not found"):
        LlamaCppBackend(tmp_path / "nope.gguf")
    with pytest.raises(ConfigError, match="adapter not found"):
        LlamaCppBackend(embedded_model_path(), adapter_path=tmp_path / "nope.gguf")


def test_request_body_uses_the_compact_grammar_for_schemas():
    b = LlamaCppBackend(embedded_model_path())
    body = b.request_body(GenerationRequest(messages=MESSAGES, json_schema={"type": "object"}, stop=["\n\n"], seed=3))
    assert body["grammar"].startswith("%llguidance") and body["stop"] == ["\n\n"] and body["seed"] == 3
    assert "json_schema" not in body and b._server is None


@pytest.fixture(scope="module")
def embedded():
    b = LlamaCppBackend(embedded_model_path(), name="embedded")
    yield b
    b.close()


@pytest.mark.slow
def test_text_generation_counts_tokens_and_reuses_the_model(embedded):
    r1 = embedded.generate(GenerationRequest(messages=MESSAGES, max_tokens=24))
    server = embedded.server
    r2 = embedded.generate(GenerationRequest(messages=MESSAGES, max_tokens=24))
    assert embedded.server is server  # loaded once
    assert r1.text and r1.text == r2.text  # temperature 0: the same answer
    assert r1.prompt_tokens and r1.prompt_tokens > 5 and 0 < r1.output_tokens <= 24
    assert r1.finish_reason in ("stop", "length") and r1.latency_s > 0 and r1.cost_usd is None
    assert r1.model == "embedded" and r1.meta["engine"] == "xllamacpp" and r1.meta["threads"] in (1, 2)


@pytest.mark.slow
def test_schema_constrains_names_to_the_vocabulary(embedded):
    vocab = ["Leg Press", "Seated Cable Rows", "Romanian Deadlift"]
    schema = {
        "type": "object",
        "properties": {"exercises": {"type": "array", "minItems": 2, "maxItems": 3,
                                     "items": {"type": "object", "properties": {
                                         "exercise": {"type": "string", "enum": vocab},
                                         "sets": {"type": "integer", "minimum": 1, "maximum": 10}},
                                         "required": ["exercise", "sets"], "additionalProperties": False}}},
        "required": ["exercises"], "additionalProperties": False,
    }
    msgs = [{"role": "user", "content": "Give me a leg workout with a Bulgarian split squat and a hack squat, as JSON."}]
    r = embedded.generate(GenerationRequest(messages=msgs, json_schema=schema, max_tokens=200))
    data = json.loads(r.text)
    assert 2 <= len(data["exercises"]) <= 3
    assert all(e["exercise"] in vocab and 1 <= e["sets"] <= 10 for e in data["exercises"])
    assert "\n" not in r.text  # compact separators: no tokens spent on indentation
    assert r.meta["constrained"] == "json_schema"


def write_lora_adapter(path: Path, *, rank: int = 8, scale: float = 0.5, seed: int = 0) -> Path:
    """A GGUF LoRA adapter for SmolLM2-135M (hidden 576) on every layer's attn_q, as llama.cpp's loader wants it:
    general.type=adapter, adapter.type=lora, adapter.lora.alpha as float32, PEFT's array shapes."""
    import gguf

    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(str(path), arch="llama")
    w.add_string("general.type", "adapter")
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", float(rank))
    for layer in range(30):
        a = (rng.standard_normal((rank, 576)) * scale).astype(np.float32)  # lora_A: (r, in)
        b = (rng.standard_normal((576, rank)) * scale).astype(np.float32)  # lora_B: (out, r)
        w.add_tensor(f"blk.{layer}.attn_q.weight.lora_a", a)
        w.add_tensor(f"blk.{layer}.attn_q.weight.lora_b", b)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


@pytest.mark.slow
def test_lora_adapter_changes_the_output(tmp_path, embedded):
    base = embedded.generate(GenerationRequest(messages=MESSAGES, max_tokens=16)).text
    embedded.close()  # one model in memory at a time
    adapter = write_lora_adapter(tmp_path / "adapter.gguf")
    tuned = LlamaCppBackend(embedded_model_path(), name="ft:test", adapter_path=adapter, lora_scale=1.0)
    try:
        r = tuned.generate(GenerationRequest(messages=MESSAGES, max_tokens=16))
    finally:
        tuned.close()
    assert tuned.adapter == str(adapter)
    assert r.output_tokens and r.text != base  # the adapter is applied, on the unchanged Q4_1 base
