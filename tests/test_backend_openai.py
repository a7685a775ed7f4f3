"""The OpenAI-compatible backend: the request it sends (mock transport), the schema fallback, prices, and a
real plan from llama.cpp's own server (xllamacpp's loopback HTTP endpoint) on the embedded model."""
from __future__ import annotations

import json

import httpx2 as httpx
import pytest

from peri.backends.base import GenerationRequest
from peri.backends.openai_compat import OpenAICompatBackend
from peri.backends.registry import get_backend
from peri.errors import BackendError

MESSAGES = [{"role": "system", "content": "You are Peri."}, {"role": "user", "content": "Plan my week."}]
SCHEMA = {"type": "object", "properties": {"days": {"type": "array"}}, "required": ["days"]}


def completion(text: str = '{"days": []}', pt: int = 40, ot: int = 12) -> dict:
    return {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": pt, "completion_tokens": ot, "total_tokens": pt + ot},
    }


def backend(handler, spec="openai:gpt-4o-mini", env=None) -> OpenAICompatBackend:
    b = get_backend(spec, env=env or {"OPENAI_API_KEY": "sk-test-key"})
    b._http_client = httpx.Client(transport=httpx.MockTransport(handler))
    return b


def test_openai_request_and_cost(home):
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json=completion(pt=1_000_000, ot=1_000_000))

    res = backend(handler).generate(GenerationRequest(messages=MESSAGES, json_schema=SCHEMA, max_tokens=99, seed=7))
    req = seen[0]
    assert str(req.url) == "https://api.openai.com/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer sk-test-key"
    body = json.loads(req.content)
    assert body["model"] == "gpt-4o-mini" and body["messages"] == MESSAGES
    assert body["max_tokens"] == 99 and body["seed"] == 7 and body["temperature"] == 0.0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert res.text == '{"days": []}' and res.prompt_tokens == 1_000_000 and res.output_tokens == 1_000_000
    from peri.prices import load_prices

    assert res.cost_usd == pytest.approx(load_prices().cost("gpt-4o-mini", 1_000_000, 1_000_000))
    assert res.cost_usd and res.cost_usd > 0 and res.meta["constrained"] == "json_schema"


def test_server_that_refuses_response_format_gets_plain_text_and_it_is_recorded():
    bodies: list[dict] = []

    def handler(request):
        body = json.loads(request.content)
        bodies.append(body)
        if "response_format" in body:
            return httpx.Response(400, json={"error": {"message": "response_format is not supported", "type": "invalid_request_error"}})
        return httpx.Response(200, json=completion("DAY A\nLeg Press: 3x10"))

    b = backend(handler, "openai-compatible:http://127.0.0.1:9/v1#tiny", env={})
    res = b.generate(GenerationRequest(messages=MESSAGES, json_schema=SCHEMA))
    assert [("response_format" in x) for x in bodies] == [True, False]
    assert "not supported" in res.meta["schema_fallback"] and res.text.startswith("DAY A")
    assert res.cost_usd is None  # a local server costs no tokens
    # remembered: the next call does not ask again, and still says so
    res2 = b.generate(GenerationRequest(messages=MESSAGES, json_schema=SCHEMA))
    assert len(bodies) == 3 and "response_format" not in bodies[2] and "schema_fallback" in res2.meta


def test_errors_are_backend_errors():
    def unauthorized(request):
        return httpx.Response(401, json={"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})

    with pytest.raises(BackendError, match="key was rejected"):
        backend(unauthorized).generate(GenerationRequest(messages=MESSAGES))

    def down(request):
        raise httpx.ConnectError("connection refused")

    with pytest.raises(BackendError, match="cannot reach"):
        backend(down, "openai-compatible:http://127.0.0.1:9/v1#m", env={}).generate(GenerationRequest(messages=MESSAGES))


@pytest.fixture(scope="module")
def llama_server():
    """llama.cpp's server engine on loopback (127.0.0.1, a free port) serving the embedded model."""
    from peri.backends.llamacpp import LlamaCppBackend
    from peri.paths import embedded_model_path

    engine = LlamaCppBackend(embedded_model_path(), name="server")
    address = engine.listening_address
    assert address.startswith("http://127.0.0.1:")
    yield address
    engine.close()


@pytest.mark.slow
def test_plan_from_a_real_local_llama_cpp_server(store, llama_server):
    from test_generate import seed_athlete

    from peri.generate import generate_plan
    from peri.plans.schema import Plan

    seed_athlete(store)
    g = generate_plan(store, "ana", f"openai-compatible:{llama_server}/v1#smollm2", detail=1)
    assert g.valid, g.error
    plan = Plan.model_validate(g.plan)
    assert len(plan.days) == 3
    attempt = g.meta["attempts"][-1]
    assert attempt["backend"]["constrained"] == "json_schema" and "schema_fallback" not in attempt["backend"]
    assert g.prompt_tokens > 50 and g.output_tokens > 50 and g.cost_usd is None
