"""One llama.cpp engine for every athlete's adapter: the base model once, each LoRA adapter selected per request.

`peri serve-models` loads the base GGUF and every registered GGUF adapter on that base into one xllamacpp
engine, and answers OpenAI-shaped chat requests on loopback. A request names its adapter the way a
multi-LoRA server expects it (`"model": "ft:NAME"` or `"model": "NAME"`); the server turns that into
llama.cpp's per-request `lora` field, so a thousand athletes need one base model in memory.

Two traps of llama.cpp's engine, both measured here and both handled in `map_request`:
- adapters are loaded with scale 0 (`lora_init_without_apply` alone is not enough: a request that names no
  adapter gets the load-time scales, so loading at 1.0 would apply every adapter to a "base" request);
- the prompt cache is not keyed on the adapter: a request reusing a prompt that an earlier request with
  another adapter computed gets that adapter's KV cache, and the base's answer came back different after an
  adapter request. Every request is sent with `cache_prompt: false`.

On GPUs the same adapters (their PEFT folders, `meta.peft_adapter`) are served by vLLM or SGLang; see
docs/serving.md. peri addresses all of them with `lora:URL#NAME`.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import BackendError, ConfigError
from ..model_spec import ModelSpec

BASE_NAMES = ("base", "embedded")  # a request for one of these gets no adapter
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAX_BODY = 8 * 1024 * 1024  # a chat request is a few KB; refuse anything absurd before reading it


class ServedAdapter(BaseModel):
    """One adapter the engine holds: its registered name, its GGUF file and the scale it is applied at."""

    name: str
    path: str
    scale: float = 1.0


class UnknownModel(ConfigError):
    """A request named a model this server does not hold."""


def served_adapters(store: Any, base_gguf: Path | str) -> tuple[list[ServedAdapter], list[str]]:
    """The registered local adapters trained on `base_gguf` (in name order), and why others were left out.

    An adapter only works on the base it was exported against (tensor shapes, the q/k permutation), so
    adapters on another base are skipped, each with its reason.
    """
    base = Path(base_gguf).resolve()
    keep: list[ServedAdapter] = []
    skipped: list[str] = []
    for m in sorted(store.list_models(), key=lambda m: m.name):
        if m.kind != "finetuned-local":
            continue
        adapter, their_base = m.meta.get("gguf_adapter"), m.meta.get("base_gguf")
        if not adapter or not Path(adapter).is_file():
            skipped.append(f"{m.name}: no GGUF adapter file")
        elif not their_base or Path(their_base).resolve() != base:
            skipped.append(f"{m.name}: trained on another base ({their_base})")
        else:
            keep.append(ServedAdapter(name=m.name, path=str(adapter), scale=float(m.meta.get("lora_scale", 1.0))))
    return keep, skipped


def adapter_name(model: str | None) -> str | None:
    """The adapter a request's `model` names: 'ft:NAME' and 'NAME' → NAME; the base (or nothing) → None."""
    if not model:
        return None
    model = model.strip()
    spec = ModelSpec.maybe(model)
    if spec is not None and spec.kind == "ft":
        model = spec.name
    return None if model in BASE_NAMES else model


def map_request(body: dict[str, Any], adapters: list[ServedAdapter]) -> dict[str, Any]:
    """The llama.cpp request for an OpenAI-shaped one: `model` becomes the per-request `lora` list.

    Only the chosen adapter is listed (the others stay at their load-time scale, 0); a base request lists
    none. The prompt cache is turned off (see the module docstring). Raises `UnknownModel` for a name the
    server does not hold and `ConfigError` for a streaming request (not served).
    """
    if body.get("stream"):
        raise ConfigError("streaming is not served", hint="send the request with stream=false")
    out = {k: v for k, v in body.items() if k not in ("model", "lora")}
    name = adapter_name(body.get("model"))
    out["lora"] = []
    if name is not None:
        index = {a.name: i for i, a in enumerate(adapters)}
        if name not in index:
            raise UnknownModel(f"no adapter {name!r} on this server", hint="GET /v1/models lists the served names")
        out["lora"] = [{"id": index[name], "scale": adapters[index[name]].scale}]
    out["cache_prompt"] = False
    return out


class MultiLoraEngine:
    """A base GGUF with many GGUF LoRA adapters in one llama.cpp engine (xllamacpp), `n_parallel` slots."""

    def __init__(
        self,
        base_gguf: Path | str,
        adapters: Iterable[ServedAdapter],
        *,
        n_parallel: int = 2,
        n_threads: int | None = None,
        n_ctx_per_slot: int = 4096,
    ):
        self.base = Path(base_gguf)
        if not self.base.is_file():
            raise ConfigError(f"GGUF base model not found: {self.base}", hint="give the path of a .gguf file")
        self.adapters = list(adapters)
        names = [a.name for a in self.adapters]
        if len(set(names)) != len(names):
            raise ConfigError("two adapters share a name", hint="register each adapter under its own name")
        for a in self.adapters:
            if not Path(a.path).is_file():
                raise ConfigError(f"GGUF LoRA adapter not found: {a.path}", place=f"models.{a.name}")
        self.n_parallel = n_parallel
        self.n_threads = n_threads
        self.n_ctx = n_ctx_per_slot * n_parallel  # llama.cpp splits n_ctx between the slots
        self._server: Any = None
        self._lock = threading.Lock()

    def _params(self) -> Any:
        import xllamacpp as xlc

        from .llamacpp import auto_threads, engine_params

        p = engine_params(self.base, n_ctx=self.n_ctx, n_parallel=self.n_parallel,
                          n_threads=self.n_threads or auto_threads())
        p.lora_init_without_apply = True
        # scale 0 at load: a request without a `lora` list gets these scales (see the module docstring)
        p.lora_adapters = [xlc.CommonAdapterLoraInfo(a.path, 0.0) for a in self.adapters]
        return p

    @property
    def server(self) -> Any:
        """The loaded engine, loaded on first use."""
        with self._lock:
            if self._server is None:
                import xllamacpp as xlc

                try:
                    self._server = xlc.Server(self._params())
                except Exception as e:
                    raise BackendError(f"llama.cpp could not load {self.base.name} with {len(self.adapters)} adapters: {e}") from e
            return self._server

    def close(self) -> None:
        with self._lock:
            self._server = None

    def model_names(self) -> list[str]:
        """What `model` may say: the base, and `ft:NAME` for each adapter."""
        return ["base"] + [f"ft:{a.name}" for a in self.adapters]

    def chat(self, body: dict[str, Any]) -> dict[str, Any]:
        """Answer one OpenAI-shaped chat request (the adapter chosen by its `model`)."""
        out = self.server.handle_chat_completions(map_request(body, self.adapters))
        if isinstance(out, dict) and out.get("choices"):
            out["model"] = body.get("model") or "base"
        return out


def _handler(engine: MultiLoraEngine) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            return  # one line per request would drown the terminal under load

        def _send(self, code: int, obj: Any) -> None:
            data = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, code: int, message: str, kind: str) -> None:
            self._send(code, {"error": {"message": message, "type": kind, "code": code}})

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            path = self.path.split("?")[0].rstrip("/")
            if path in ("/health", "/v1/health"):
                self._send(200, {"status": "ok", "adapters": len(engine.adapters)})
            elif path == "/v1/models":
                self._send(200, {"object": "list", "data": [
                    {"id": n, "object": "model", "owned_by": "peri"} for n in engine.model_names()]})
            else:
                self._error(404, f"no route {path}", "not_found")

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?")[0].rstrip("/")
            if path not in ("/v1/chat/completions", "/chat/completions"):
                self._error(404, f"no route {path}", "not_found")
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length <= 0 or length > MAX_BODY:
                self._error(413 if length > MAX_BODY else 400, "a JSON body up to 8 MiB is needed", "invalid_request_error")
                self.close_connection = True
                return
            try:
                body = json.loads(self.rfile.read(length))
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError as e:
                self._error(400, f"the body is not a JSON object: {e}", "invalid_request_error")
                return
            try:
                out = engine.chat(body)
            except UnknownModel as e:
                self._error(404, str(e), "model_not_found")
                return
            except ConfigError as e:
                self._error(400, str(e), "invalid_request_error")
                return
            except Exception as e:  # the engine's failure, reported to the client rather than a dropped socket
                self._error(500, f"llama.cpp failed: {e}", "server_error")
                return
            if isinstance(out, dict) and "error" in out:
                err = out["error"]
                code = int(err.get("code", 400)) if isinstance(err, dict) and str(err.get("code", "")).isdigit() else 400
                self._send(code, out)
            else:
                self._send(200, out)

    return Handler


def serve_http(engine: MultiLoraEngine, host: str = "127.0.0.1", port: int = 8088) -> ThreadingHTTPServer:
    """An OpenAI-compatible HTTP server for `engine` on loopback (call `.serve_forever()`; port 0: any free one).

    Loopback only: the server has no authentication, and an athlete's adapter is personal data.
    """
    if host not in LOOPBACK:
        raise ConfigError(f"serve-models listens on loopback only, not {host!r}",
                          hint="put a reverse proxy with authentication in front of it to reach it from elsewhere")
    engine.server  # load before accepting requests: the first client should not pay (or time out on) the load
    httpd = ThreadingHTTPServer((host, port), _handler(engine))
    httpd.daemon_threads = True
    return httpd
