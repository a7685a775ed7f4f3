"""One engine, many adapters: the request mapping, the adapters a store offers, the `lora:` spec, and a real server.

The slow test loads the embedded model with two tiny random adapters (two layers each, built the way
test_gguf_adapter builds them) into one `peri serve-models` engine, and checks over HTTP, with requests sent
at the same time, that each adapter's answer is the one that adapter gives when served alone, that it differs
from the base's, and that the base's answer is unchanged after adapter requests (the prompt-cache trap).
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx2 as httpx
import pytest

from peri.backends.base import GenerationRequest
from peri.backends.multi_lora import (
    MultiLoraEngine,
    ServedAdapter,
    UnknownModel,
    adapter_name,
    map_request,
    serve_http,
    served_adapters,
)
from peri.backends.registry import approach_for, get_backend
from peri.errors import ConfigError
from peri.log.store import RegisteredModel

ADAPTERS = [ServedAdapter(name="alex", path="/a.gguf"), ServedAdapter(name="sam", path="/s.gguf", scale=0.5)]
MESSAGES = [{"role": "user", "content": "Plan my squat week."}]


def test_adapter_name_reads_ft_prefix_bare_name_and_base() -> None:
    assert adapter_name("ft:alex") == "alex"
    assert adapter_name("alex") == "alex"
    assert adapter_name(" ft:sam ") == "sam"
    assert adapter_name("base") is None and adapter_name("ft:embedded") is None
    assert adapter_name(None) is None and adapter_name("") is None


def test_map_request_selects_one_adapter_by_index_with_its_scale() -> None:
    body = {"model": "ft:sam", "messages": MESSAGES, "max_tokens": 9, "lora": [{"id": 0, "scale": 1.0}]}
    out = map_request(body, ADAPTERS)
    assert out["lora"] == [{"id": 1, "scale": 0.5}]  # the client's own lora list never reaches the engine
    assert "model" not in out and out["messages"] == MESSAGES and out["max_tokens"] == 9
    assert out["cache_prompt"] is False
    assert map_request({"model": "alex", "messages": MESSAGES}, ADAPTERS)["lora"] == [{"id": 0, "scale": 1.0}]
    assert map_request({"model": "base", "messages": MESSAGES}, ADAPTERS)["lora"] == []
    assert map_request({"messages": MESSAGES}, ADAPTERS)["lora"] == []
    assert body["model"] == "ft:sam"  # the caller's body is not changed


def test_map_request_refuses_unknown_adapter_and_streaming() -> None:
    with pytest.raises(UnknownModel, match="kim"):
        map_request({"model": "ft:kim", "messages": MESSAGES}, ADAPTERS)
    with pytest.raises(ConfigError, match="stream"):
        map_request({"model": "ft:alex", "messages": MESSAGES, "stream": True}, ADAPTERS)


def test_served_adapters_keeps_only_adapters_on_this_base(store, tmp_path: Path) -> None:
    base, other = tmp_path / "base.gguf", tmp_path / "other.gguf"
    for f in (base, other, tmp_path / "a.gguf", tmp_path / "b.gguf", tmp_path / "c.gguf"):
        f.write_bytes(b"x")
    reg = [
        ("zed", {"base_gguf": str(base), "gguf_adapter": str(tmp_path / "a.gguf"), "lora_scale": 0.8}),
        ("amy", {"base_gguf": str(base), "gguf_adapter": str(tmp_path / "b.gguf")}),
        ("far", {"base_gguf": str(other), "gguf_adapter": str(tmp_path / "c.gguf")}),
        ("gone", {"base_gguf": str(base), "gguf_adapter": str(tmp_path / "missing.gguf")}),
    ]
    for name, meta in reg:
        store.register_model(RegisteredModel(name=name, kind="finetuned-local", path=str(tmp_path), meta=meta))
    store.register_model(RegisteredModel(name="hosted", kind="openai", meta={"model": "ft:gpt-4o-mini:x"}))
    keep, skipped = served_adapters(store, base)
    assert [(a.name, a.scale) for a in keep] == [("amy", 1.0), ("zed", 0.8)]
    assert sorted(s.split(":")[0] for s in skipped) == ["far", "gone"]


def test_engine_refuses_missing_files_and_duplicate_names(tmp_path: Path) -> None:
    base = tmp_path / "b.gguf"
    base.write_bytes(b"x")
    with pytest.raises(ConfigError, match="base model not found"):
        MultiLoraEngine(tmp_path / "nope.gguf", [])
    with pytest.raises(ConfigError, match="adapter not found"):
        MultiLoraEngine(base, [ServedAdapter(name="a", path=str(tmp_path / "nope.gguf"))])
    with pytest.raises(ConfigError, match="share a name"):
        MultiLoraEngine(base, [ServedAdapter(name="a", path=str(base)), ServedAdapter(name="a", path=str(base))])


def test_serve_http_listens_on_loopback_only(tmp_path: Path) -> None:
    base = tmp_path / "b.gguf"
    base.write_bytes(b"x")
    with pytest.raises(ConfigError, match="loopback"):
        serve_http(MultiLoraEngine(base, []), "0.0.0.0", 0)


def test_lora_spec_asks_the_server_for_the_adapter_by_name() -> None:
    bodies: list[dict] = []

    def handler(request):
        bodies.append(json.loads(request.content))
        assert str(request.url) == "http://127.0.0.1:8088/v1/chat/completions"
        return httpx.Response(200, json={"id": "x", "object": "chat.completion", "created": 1, "model": "alex",
                                         "choices": [{"index": 0, "message": {"role": "assistant", "content": "DAY A"},
                                                      "finish_reason": "stop"}]})

    b = get_backend("lora:http://127.0.0.1:8088/v1#alex", env={})
    b._http_client = httpx.Client(transport=httpx.MockTransport(handler))
    assert b.adapter == "alex" and not b.supports_grammar and approach_for("lora:http://h/v1#alex") == "finetuned"
    b.generate(GenerationRequest(messages=MESSAGES, grammar="start: x"))
    assert bodies[0]["model"] == "alex" and "grammar" not in bodies[0]  # vLLM and SGLang take no llama.cpp grammar
    sg = get_backend("lora:http://127.0.0.1:8088/v1#meta-llama/Llama-3.2-1B-Instruct:alex", env={})
    assert sg.model == "meta-llama/Llama-3.2-1B-Instruct:alex"  # SGLang's BASE:ADAPTER form passes through
    for bad in ("lora:http://127.0.0.1:8088/v1", "lora:127.0.0.1#alex", "lora:http://h/v1#"):
        with pytest.raises(ConfigError):
            get_backend(bad, env={})


def test_ft_name_goes_to_peri_serve_models_when_peri_lora_server_is_set(store, tmp_path: Path) -> None:
    store.register_model(RegisteredModel(name="alex", kind="finetuned-local", path=str(tmp_path),
                                         meta={"base_gguf": "/b.gguf", "gguf_adapter": "/a.gguf"}))
    bodies: list[dict] = []

    def handler(request):
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"id": "x", "object": "chat.completion", "created": 1, "model": "alex",
                                         "choices": [{"index": 0, "message": {"role": "assistant", "content": "DAY A"},
                                                      "finish_reason": "stop"}]})

    b = get_backend("ft:alex", store, env={"PERI_LORA_SERVER": "http://127.0.0.1:8088/v1/"})
    b._http_client = httpx.Client(transport=httpx.MockTransport(handler))
    assert b.name == "ft:alex" and b.adapter == "alex" and b.supports_grammar
    res = b.generate(GenerationRequest(messages=MESSAGES, grammar="start: x", json_schema={"type": "object"}))
    assert bodies[0]["model"] == "alex" and bodies[0]["grammar"] == "start: x"
    assert "response_format" not in bodies[0] and res.meta["constrained"] == "grammar"


# --- a real engine over HTTP (slow) -----------------------------------------------------------------

@pytest.mark.slow
def test_one_server_answers_each_adapter_as_that_adapter_alone(tmp_path: Path) -> None:
    from test_gguf_adapter import fake_peft_dir

    from peri.backends.llamacpp import LlamaCppBackend
    from peri.paths import embedded_model_path
    from peri.tune.gguf_adapter import peft_to_gguf_lora

    base = embedded_model_path()
    adapters = []
    for i, name in enumerate(("alex", "sam")):
        peft = fake_peft_dir(tmp_path / f"peft-{name}", r=4, alpha=1.0, layers=2, seed=i)
        path = peft_to_gguf_lora(peft, base, tmp_path / f"{name}.gguf")
        adapters.append(ServedAdapter(name=name, path=str(path)))
    req = GenerationRequest(messages=MESSAGES, max_tokens=12)

    def alone(adapter: ServedAdapter | None) -> str:
        b = LlamaCppBackend(base, adapter_path=adapter.path if adapter else None, n_threads=1, n_ctx=1024)
        try:
            return b.generate(req).text
        finally:
            b.close()

    want = {"base": alone(None), "alex": alone(adapters[0]), "sam": alone(adapters[1])}
    assert len(set(want.values())) == 3  # each adapter changes the base's answer, and differently

    engine = MultiLoraEngine(base, adapters, n_parallel=3, n_threads=1, n_ctx_per_slot=1024)
    httpd = serve_http(engine, "127.0.0.1", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        models = httpx.get(f"{url}/models").json()["data"]
        assert [m["id"] for m in models] == ["base", "ft:alex", "ft:sam"]
        got: dict[str, str] = {}

        def ask(key: str, spec: str) -> None:
            got[key] = get_backend(spec, env={}).generate(req).text

        jobs = [("alex", f"lora:{url}#alex"), ("sam", f"lora:{url}#ft:sam"), ("base", f"lora:{url}#base")]
        threads = [threading.Thread(target=ask, args=j) for j in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert got == want
        ask("base_after", f"lora:{url}#base")  # after adapter requests on the same prompt: still the base
        assert got["base_after"] == want["base"]
        r = httpx.post(f"{url}/chat/completions", json={"model": "ft:kim", "messages": MESSAGES})
        assert r.status_code == 404 and "kim" in r.json()["error"]["message"]
    finally:
        httpd.shutdown()
        httpd.server_close()
        engine.close()
