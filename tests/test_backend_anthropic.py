"""The Anthropic backend, without network: the SDK sends through an httpx mock transport that records the
exact request and answers with a Messages API response as the real API shapes it."""
from __future__ import annotations

import json
import logging

import httpx2 as httpx
import pytest

from peri.backends.base import GenerationRequest
from peri.backends.registry import get_backend
from peri.errors import BackendError

KEY = "sk-ant-test-0123456789"

MESSAGES = [
    {"role": "system", "content": "You are Peri, a strength coach."},
    {"role": "user", "content": "Plan my week."},
]

RESPONSE = {
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
    "type": "message",
    "role": "assistant",
    "model": "claude-haiku-4-5-20251001",
    "content": [{"type": "text", "text": "DAY Upper\nSeated Cable Rows: 3x10-12 @60kg RPE8"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 31, "output_tokens": 22, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
}


def _backend(handler, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    b = get_backend("anthropic:claude-haiku-4-5")
    b._http_client = httpx.Client(transport=httpx.MockTransport(handler))
    return b


def test_request_is_what_the_api_expects(monkeypatch, caplog):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=RESPONSE)

    b = _backend(handler, monkeypatch)
    with caplog.at_level(logging.DEBUG):
        res = b.generate(GenerationRequest(messages=MESSAGES, max_tokens=321, stop=["END"]))
    assert len(seen) == 1
    req = seen[0]
    assert req.method == "POST" and str(req.url) == "https://api.anthropic.com/v1/messages"
    # the key from the environment, in the header this SDK version uses (x-api-key, or a Bearer token since 2.x)
    assert req.headers.get("x-api-key") == KEY or req.headers.get("authorization") == f"Bearer {KEY}"
    assert "anthropic-version" in req.headers
    body = json.loads(req.content)
    assert body["model"] == "claude-haiku-4-5"
    assert body["system"] == "You are Peri, a strength coach."  # split out of the turns
    assert body["messages"] == [{"role": "user", "content": "Plan my week."}]
    assert body["max_tokens"] == 321 and body["stop_sequences"] == ["END"]
    assert "output_config" not in body
    # what came back
    assert res.text.startswith("DAY Upper") and res.prompt_tokens == 31 and res.output_tokens == 22
    assert res.finish_reason == "end_turn" and res.model == "anthropic:claude-haiku-4-5" and res.latency_s >= 0
    # the key went to the API and nowhere else
    assert KEY not in caplog.text and KEY not in repr(b) and KEY not in res.model_dump_json()


def test_schema_becomes_structured_output(monkeypatch):
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={**RESPONSE, "content": [{"type": "text", "text": '{"days": []}'}]})

    schema = {"type": "object", "properties": {"sets": {"type": "integer", "minimum": 1, "maximum": 10}},
              "required": ["sets"], "additionalProperties": False}
    res = _backend(handler, monkeypatch).generate(GenerationRequest(messages=MESSAGES, json_schema=schema))
    fmt = seen[0]["output_config"]["format"]
    assert fmt["type"] == "json_schema"
    assert fmt["schema"]["properties"]["sets"]["type"] == "integer"
    assert "minimum" not in fmt["schema"]["properties"]["sets"]  # the SDK moves unsupported bounds to the description
    assert res.meta["constrained"] == "json_schema" and res.text == '{"days": []}'


def test_api_errors_are_backend_errors(monkeypatch):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}})

    with pytest.raises(BackendError, match="key was rejected"):
        _backend(handler, monkeypatch).generate(GenerationRequest(messages=MESSAGES))

    def overloaded(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens too large"}})

    with pytest.raises(BackendError, match="400"):
        _backend(overloaded, monkeypatch).generate(GenerationRequest(messages=MESSAGES))
