"""Anthropic's Messages API through the official `anthropic` SDK.

System messages become the request's `system`; the rest stay `messages`. A JSON schema becomes the
API's structured-output format (`output_config.format`), passed through the SDK's own schema transform.
"""
from __future__ import annotations

import time
from typing import Any

from ..errors import BackendError
from .base import GenerationRequest, GenerationResult
from .openai_compat import _price


class AnthropicBackend:
    """A Claude model. `http_client` (an httpx client) is the seam tests use to see the exact request."""

    supports_json_schema = True
    needs_context = False
    adapter: str | None = None

    def __init__(self, model: str, *, api_key: str, name: str | None = None, http_client: Any = None, base_url: str | None = None):
        self.model = model
        self.name = name or f"anthropic:{model}"
        self._api_key = api_key
        self._http_client = http_client
        self._base_url = base_url
        self._client: Any = None

    def __repr__(self) -> str:  # never shows the key
        return f"AnthropicBackend(name={self.name!r})"

    @property
    def client(self) -> Any:
        if self._client is None:
            import anthropic

            self._client = anthropic.Anthropic(
                api_key=self._api_key, http_client=self._http_client, base_url=self._base_url, max_retries=1
            )
        return self._client

    @staticmethod
    def split_messages(messages: list[dict[str, str]]) -> tuple[str | None, list[dict[str, str]]]:
        """Anthropic takes the system prompt apart from the turns."""
        system = "\n\n".join(m["content"] for m in messages if m["role"] == "system") or None
        turns = [{"role": m["role"], "content": m["content"]} for m in messages if m["role"] != "system"]
        return system, turns

    def generate(self, req: GenerationRequest) -> GenerationResult:
        import anthropic

        system, turns = self.split_messages(req.messages)
        kwargs: dict[str, Any] = {"model": self.model, "max_tokens": req.max_tokens, "messages": turns}
        if system:
            kwargs["system"] = system
        if req.stop:
            kwargs["stop_sequences"] = req.stop
        meta: dict[str, Any] = {}
        if req.json_schema is not None:
            kwargs["output_config"] = {"format": {"type": "json_schema", "schema": anthropic.transform_schema(req.json_schema)}}
            meta["constrained"] = "json_schema"
        t0 = time.perf_counter()
        try:
            resp = self.client.messages.create(**kwargs)
        except anthropic.AuthenticationError as e:
            raise BackendError(f"{self.name}: the API key was rejected", hint="check ANTHROPIC_API_KEY") from e
        except anthropic.APIConnectionError as e:
            raise BackendError(f"{self.name}: cannot reach the Anthropic API", hint="check the network") from e
        except anthropic.APIStatusError as e:
            raise BackendError(f"{self.name}: the API answered {e.status_code}: {e.message}") from e
        except anthropic.AnthropicError as e:
            raise BackendError(f"{self.name}: {e}") from e
        latency = time.perf_counter() - t0
        text = "".join(getattr(b, "text", "") for b in resp.content if getattr(b, "type", None) == "text")
        pt, ot = resp.usage.input_tokens, resp.usage.output_tokens
        return GenerationResult(
            text=text,
            prompt_tokens=pt,
            output_tokens=ot,
            latency_s=latency,
            cost_usd=_price(self.name, pt, ot, False),
            model=self.name,
            finish_reason=resp.stop_reason,
            meta=meta,
        )
