"""OpenAI and every server that speaks its chat API (Ollama, vLLM, llama.cpp's server, LM Studio), via the official SDK.

When a JSON schema is asked for, the request carries `response_format: json_schema`; a server that refuses
it gets the same request without it, and the fallback is recorded in the result's meta (never hidden).
"""
from __future__ import annotations

import time
from typing import Any

from ..errors import BackendError
from ..model_spec import is_openai_finetune
from .base import GenerationRequest, GenerationResult

OPENAI_URL = "https://api.openai.com/v1"


def _price(model: str, prompt_tokens: int | None, output_tokens: int | None, finetuned: bool) -> float | None:
    if prompt_tokens is None or output_tokens is None:
        return None
    try:
        from ..prices import load_prices
    except ImportError:  # price table not installed in this build
        return None
    try:
        return load_prices().cost(model, prompt_tokens, output_tokens, finetuned=finetuned)
    except Exception:  # a broken user price file must not lose a paid-for answer; cost stays unknown
        return None


class OpenAICompatBackend:
    """A chat model behind an OpenAI-compatible HTTP API.

    `priced`: look the model up in peri's price table (true for OpenAI itself; a local server costs no tokens).
    `client`: an `openai.OpenAI` to use instead of building one (tests inject one with a mock transport).
    """

    supports_json_schema = True
    needs_context = False
    adapter: str | None = None

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        priced: bool = False,
        client: Any = None,
        http_client: Any = None,
        timeout_s: float = 300.0,
        price_model: str | None = None,
        finetuned: bool | None = None,
        send_grammar: bool = False,
    ):
        self.model = model
        # a hosted fine-tune's id (Together's output_name, a Fireworks model path) is not in the price table:
        # it is priced by its base model's fine-tuned row
        self.price_model = price_model
        from ..redact import redact

        self.name = redact(name or f"openai-compatible:{base_url}#{model}")  # recorded and printed: no credentials
        self.base_url = base_url
        self.priced = priced
        self.finetuned = is_openai_finetune(model) if finetuned is None else finetuned
        # A llama.cpp server (peri serve-models) takes an LLGuidance grammar in the body's `grammar` field;
        # other servers do not, so only a backend told so sends one (and only then claims to constrain).
        self.supports_grammar = send_grammar
        self._api_key = api_key
        self._client = client
        self._http_client = http_client
        self.timeout_s = timeout_s
        self.schema_refused: str | None = None  # the server's reason, once it has refused response_format

    def __repr__(self) -> str:  # never shows the key
        from ..redact import redact

        return f"OpenAICompatBackend(name={redact(self.name)!r}, base_url={redact(self.base_url)!r})"

    @property
    def client(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                api_key=self._api_key or "not-needed",  # local servers ignore it; the SDK insists on one
                base_url=self.base_url,
                timeout=self.timeout_s,
                max_retries=1,
                http_client=self._http_client,
            )
        return self._client

    def _call(self, req: GenerationRequest, with_schema: bool) -> Any:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": req.messages,
            "max_tokens": req.max_tokens,
            "temperature": req.temperature,
            "seed": req.seed,
        }
        if req.stop:
            kwargs["stop"] = req.stop
        if self.supports_grammar and req.grammar is not None:
            kwargs["extra_body"] = {"grammar": req.grammar}
        elif with_schema:
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "plan", "schema": req.json_schema, "strict": False},
            }
        return self.client.chat.completions.create(**kwargs)

    def generate(self, req: GenerationRequest) -> GenerationResult:
        import openai

        meta: dict[str, Any] = {}
        want_schema = req.json_schema is not None and self.schema_refused is None
        if self.supports_grammar and req.grammar is not None:
            want_schema = False  # the grammar wins, as on the in-process llama.cpp backend
            meta["constrained"] = "grammar"
        t0 = time.perf_counter()
        try:
            try:
                resp = self._call(req, want_schema)
                if want_schema:
                    meta["constrained"] = "json_schema"
            except openai.BadRequestError as e:
                if not want_schema:
                    raise
                # The server does not take response_format (or this schema): ask again in plain text.
                self.schema_refused = str(e)[:300]
                meta["schema_fallback"] = self.schema_refused
                t0 = time.perf_counter()
                resp = self._call(req, False)
        except openai.AuthenticationError as e:
            raise BackendError(f"{self.name}: the API key was rejected", hint="check the key in your environment") from e
        except openai.APIConnectionError as e:
            raise BackendError(f"{self.name}: cannot reach {self.base_url or OPENAI_URL}", hint="is the server running?") from e
        except openai.APIStatusError as e:
            raise BackendError(f"{self.name}: the server answered {e.status_code}: {e.message}") from e
        except openai.OpenAIError as e:
            raise BackendError(f"{self.name}: {e}") from e
        latency = time.perf_counter() - t0
        if req.json_schema is not None and self.schema_refused and "schema_fallback" not in meta:
            meta["schema_fallback"] = self.schema_refused
        if not resp.choices:
            raise BackendError(f"{self.name}: the response holds no choices")
        choice = resp.choices[0]
        usage = resp.usage
        pt = usage.prompt_tokens if usage else None
        ot = usage.completion_tokens if usage else None
        return GenerationResult(
            text=choice.message.content or "",
            prompt_tokens=pt,
            output_tokens=ot,
            latency_s=latency,
            cost_usd=_price(self.price_model or self.model, pt, ot, self.finetuned) if self.priced else None,
            model=self.name,
            finish_reason=choice.finish_reason,
            meta=meta,
        )
