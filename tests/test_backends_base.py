"""The backend interface and the registry: specs, keys from the environment only, lazy construction."""
from __future__ import annotations

import pytest

from peri.backends.anthropic_backend import AnthropicBackend
from peri.backends.base import Backend, GenerationRequest, GenerationResult
from peri.backends.llamacpp import LlamaCppBackend, auto_threads, schema_grammar
from peri.backends.openai_compat import OpenAICompatBackend
from peri.backends.registry import approach_for, get_backend, parse_spec
from peri.backends.rules import RulesBackend
from peri.errors import ConfigError, NotFound
from peri.log.store import RegisteredModel
from peri.paths import embedded_model_path


def test_request_defaults_and_bounds():
    r = GenerationRequest(messages=[{"role": "user", "content": "hi"}])
    assert (r.max_tokens, r.temperature, r.seed, r.json_schema, r.stop) == (700, 0.0, 0, None, None)
    with pytest.raises(ValueError):
        GenerationRequest(messages=[], max_tokens=0)


def test_result_tokens_per_second():
    r = GenerationResult(text="x", output_tokens=100, latency_s=2.0, model="m")
    assert r.tokens_per_s == 50
    assert GenerationResult(text="", latency_s=0.0, model="m").tokens_per_s is None


def test_embedded_spec_is_lazy_and_a_backend():
    b = get_backend("embedded", env={})
    assert isinstance(b, LlamaCppBackend) and isinstance(b, Backend)
    assert b.name == "embedded" and b.model_path == embedded_model_path()
    assert b._server is None  # nothing loaded until the first call
    assert b.supports_json_schema and not b.needs_context and b.adapter is None


def test_gguf_spec_needs_an_existing_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        get_backend(f"gguf:{tmp_path / 'missing.gguf'}", env={})
    b = get_backend(f"gguf:{embedded_model_path()}", env={})
    assert b.name == f"gguf:{embedded_model_path()}"


def test_openai_needs_its_key_and_never_shows_it():
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        get_backend("openai:gpt-4o-mini", env={})
    b = get_backend("openai:gpt-4o-mini", env={"OPENAI_API_KEY": "sk-secret-123", "OPENAI_BASE_URL": "http://x/v1"})
    assert isinstance(b, OpenAICompatBackend)
    assert b.model == "gpt-4o-mini" and b.base_url == "http://x/v1" and b.priced
    assert "sk-secret-123" not in repr(b) and "sk-secret-123" not in str(vars(b).get("name"))


def test_openai_compatible_spec():
    b = get_backend("openai-compatible:http://127.0.0.1:11434/v1#llama3.2", env={})
    assert (b.base_url, b.model, b.priced) == ("http://127.0.0.1:11434/v1", "llama3.2", False)
    assert b._api_key is None
    b = get_backend("openai-compatible:http://h/v1#m", env={"PERI_OPENAI_COMPAT_KEY": "k"})
    assert b._api_key == "k"
    with pytest.raises(ConfigError, match="base URL"):
        get_backend("openai-compatible:localhost#m", env={})


def test_anthropic_needs_its_key():
    with pytest.raises(ConfigError, match="ANTHROPIC_API_KEY"):
        get_backend("anthropic:claude-haiku-4-5", env={})
    b = get_backend("anthropic:claude-haiku-4-5", env={"ANTHROPIC_API_KEY": "sk-ant-xyz"})
    assert isinstance(b, AnthropicBackend) and "sk-ant-xyz" not in repr(b)


def test_rules_spec():
    b = get_backend("rules", env={})
    assert isinstance(b, RulesBackend) and b.needs_context and not b.supports_json_schema


def test_unknown_spec():
    with pytest.raises(ConfigError, match="unknown model"):
        get_backend("llama:7b", env={})
    assert parse_spec("gguf:/a:b.gguf") == ("gguf", "/a:b.gguf")
    assert approach_for("ft:me") == "finetuned" and approach_for("rules") == "rules" and approach_for("embedded") == "prompt"


def test_finetuned_local_model_gets_its_adapter(store, tmp_path):
    adapter = tmp_path / "adapter.gguf"
    adapter.write_bytes(b"GGUF")
    store.register_model(RegisteredModel(name="me", kind="finetuned-local", path=str(tmp_path),
                                         meta={"base_gguf": str(embedded_model_path()), "gguf_adapter": str(adapter),
                                               "lora_scale": 0.5}))
    b = get_backend("ft:me", store, env={})
    assert isinstance(b, LlamaCppBackend)
    assert b.name == "ft:me" and b.adapter == str(adapter) and b.lora_scale == 0.5
    assert b.model_path == embedded_model_path()


def test_finetuned_openai_model(store):
    store.register_model(RegisteredModel(name="hosted", kind="openai", meta={"model": "ft:gpt-4o-mini-2024-07-18:org::abc"}))
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        get_backend("ft:hosted", store, env={})
    b = get_backend("ft:hosted", store, env={"OPENAI_API_KEY": "sk"})
    assert isinstance(b, OpenAICompatBackend) and b.model.startswith("ft:gpt-4o-mini") and b.finetuned
    assert b.name == "ft:hosted"


def test_finetuned_errors(store):
    with pytest.raises(NotFound):
        get_backend("ft:nobody", store, env={})
    store.register_model(RegisteredModel(name="half", kind="finetuned-local", meta={"base_gguf": "x"}))
    with pytest.raises(ConfigError, match="no GGUF base or adapter"):
        get_backend("ft:half", store, env={})


def test_schema_grammar_is_compact_llguidance():
    g = schema_grammar({"type": "object", "properties": {"a": {"type": "integer"}}})
    assert g.startswith("%llguidance {}\nstart: %json ")
    assert '"whitespace_flexible": false' in g


def test_auto_threads_respects_override():
    assert auto_threads({"PERI_THREADS": "3"}) == 3
    assert 1 <= auto_threads({}) <= 2


def test_auto_threads_leaves_a_busy_core_alone():
    import os

    cores = min(os.cpu_count() or 1, 2)
    assert auto_threads({}, busy=0.0) == cores
    assert auto_threads({}, busy=float(cores)) == 1  # never zero
    if cores == 2:
        assert auto_threads({}, busy=0.9) == 1
