"""Local GGUF models on llama.cpp, in-process through xllamacpp: the embedded model, any GGUF file, LoRA adapters.

xllamacpp runs llama.cpp's own server engine inside this process (prebuilt wheels, no compile) and answers
OpenAI-shaped chat requests. The model loads once per backend object, on first use, and is reused.
JSON-schema requests go to llama.cpp's LLGuidance engine with no whitespace: left to itself the small model
spends most of its token budget on indentation, which is how a plan gets cut off mid-JSON.
"""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import BackendError, ConfigError
from .base import GenerationRequest, GenerationResult

MAX_THREADS = 2  # the target machine has 2 cores
DEFAULT_CTX = 8192  # SmolLM2's training context; a 3,000-token context budget plus the answer fits easily

# LLGuidance options: no whitespace at all. Each newline+indent costs tokens, and so does a space: digits
# tokenise alone, so `"sets": 4` is one token longer than `"sets":4` (55 vs 44 tokens for one exercise).
_COMPACT_JSON = {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}


def _busy_cores(sample_s: float = 0.25) -> float:
    """Cores other work keeps busy right now, from two /proc/stat samples (0 where that file is missing).

    Sampled at load time, while this process itself is idle: the load average would count peri's own
    earlier work (a training run a minute ago) and starve the next generation of a free core.
    """
    def read() -> tuple[int, int]:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return idle, sum(fields)

    try:
        i0, t0 = read()
        time.sleep(sample_s)
        i1, t1 = read()
    except (OSError, ValueError, IndexError):
        return 0.0
    if t1 <= t0:
        return 0.0
    return (1.0 - (i1 - i0) / (t1 - t0)) * (os.cpu_count() or 1)


def engine_params(model_path: Path | str, *, n_ctx: int, n_parallel: int, n_threads: int) -> Any:
    """The llama.cpp engine settings every peri engine shares (the one-model backend here, the multi-LoRA
    server of `multi_lora.py`): `n_ctx` split between `n_parallel` slots, loopback only, quiet."""
    import xllamacpp as xlc

    p = xlc.CommonParams()
    p.model.path = str(model_path)
    p.n_ctx = n_ctx
    p.n_parallel = n_parallel
    p.cpuparams.n_threads = n_threads
    p.cpuparams_batch.n_threads = n_threads
    # Flash attention off: on these CPU wheels it halved decode speed at 3-6k tokens of context
    # (15 vs 34 tok/s measured, 1 thread); prefill is ~20% slower without it, and plans are decode-bound.
    p.flash_attn_type = xlc.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_DISABLED
    p.verbosity = -1  # llama.cpp's own log would drown the CLI's output
    p.hostnames = ["127.0.0.1"]  # the engine always listens; never beyond loopback
    p.port = 0  # any free port
    return p


def auto_threads(env: dict[str, str] | None = None, busy: float | None = None) -> int:
    """Threads for llama.cpp: PERI_THREADS if set, else one per core that is not already busy (at most 2).

    llama.cpp's threads meet at a barrier after every operation, so when another process holds a core
    the whole decode waits on the descheduled thread: measured here with a training job running, 2 threads
    decoded at 4-13 tok/s and 1 thread at ~95 tok/s; on an idle machine 2 threads are faster (a detail-3
    plan: 33 s with 2 threads, 48 s with 1).
    """
    env = os.environ if env is None else env
    if env.get("PERI_THREADS"):
        return max(1, int(env["PERI_THREADS"]))
    cores = min(os.cpu_count() or 1, MAX_THREADS)
    busy = _busy_cores() if busy is None else busy
    return max(1, min(cores, cores - int(busy + 0.5)))


def schema_grammar(schema: dict) -> str:
    """The LLGuidance grammar for `schema`, with compact JSON (what `json_schema` would do, minus the whitespace)."""
    return "%llguidance {}\nstart: %json " + json.dumps({**schema, "x-guidance": _COMPACT_JSON})


class LlamaCppBackend:
    """A GGUF model (optionally with a GGUF LoRA adapter) served in-process by llama.cpp."""

    supports_grammar = True  # LLGuidance grammars (the plan text form) as well as JSON schemas
    supports_json_schema = True
    supports_prefill = True  # a trailing assistant message is continued (the step-wise re-decode relies on it)
    needs_context = False

    def __init__(
        self,
        model_path: Path | str,
        *,
        name: str | None = None,
        adapter_path: Path | str | None = None,
        lora_scale: float = 1.0,
        n_threads: int | None = None,
        n_ctx: int = DEFAULT_CTX,
    ):
        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise ConfigError(f"GGUF model file not found: {self.model_path}", hint="give the path of a .gguf file")
        self.adapter = str(adapter_path) if adapter_path else None
        if self.adapter and not Path(self.adapter).is_file():
            raise ConfigError(f"GGUF LoRA adapter not found: {self.adapter}", hint="re-run the export of the tuned model")
        self.lora_scale = lora_scale
        self.name = name or f"gguf:{self.model_path}"
        self.n_threads = n_threads  # None: decided when the model loads (auto_threads)
        self.n_ctx = n_ctx
        self._server: Any = None
        self._lock = threading.Lock()
        self.load_s: float | None = None

    # --- model lifetime -----------------------------------------------------------------
    def _params(self) -> Any:
        import xllamacpp as xlc

        if self.n_threads is None:
            self.n_threads = auto_threads()
        p = engine_params(self.model_path, n_ctx=self.n_ctx, n_parallel=1, n_threads=self.n_threads)  # all of n_ctx for one request
        if hasattr(p, "prefill_assistant"):
            p.prefill_assistant = True  # continue a trailing assistant message (peri.decoding's steps)
        if self.adapter:
            p.lora_adapters = [xlc.CommonAdapterLoraInfo(self.adapter, float(self.lora_scale))]
        return p

    @property
    def server(self) -> Any:
        """The loaded engine (an `xllamacpp.Server`), loaded on first use."""
        with self._lock:
            if self._server is None:
                try:
                    import xllamacpp as xlc
                except ImportError as e:  # pragma: no cover - xllamacpp is a core dependency
                    raise ConfigError("xllamacpp is not installed", hint="pip install xllamacpp") from e
                t0 = time.perf_counter()
                try:
                    self._server = xlc.Server(self._params())
                except Exception as e:
                    raise BackendError(f"llama.cpp could not load {self.model_path.name}: {e}", place=str(self.model_path)) from e
                self.load_s = time.perf_counter() - t0
            return self._server

    @property
    def listening_address(self) -> str:
        """The engine's loopback HTTP address (an OpenAI-compatible endpoint under /v1)."""
        return self.server.listening_address

    def close(self) -> None:
        """Unload the model (the engine stops its loop when the Server object goes)."""
        with self._lock:
            self._server = None

    # --- generation ---------------------------------------------------------------------
    def request_body(self, req: GenerationRequest) -> dict[str, Any]:
        """The llama.cpp chat request for `req` (exposed so the benchmark sends the very same body)."""
        body: dict[str, Any] = {
            "messages": req.messages,
            "max_tokens": req.max_tokens,
            "temperature": req.temperature,
            "seed": req.seed,
        }
        if req.stop:
            body["stop"] = req.stop
        if req.grammar is not None:
            body["grammar"] = req.grammar
        elif req.json_schema is not None:
            body["grammar"] = schema_grammar(req.json_schema)
        return body

    def generate(self, req: GenerationRequest) -> GenerationResult:
        server = self.server
        body = self.request_body(req)
        t0 = time.perf_counter()
        try:
            out = server.handle_chat_completions(body)
        except Exception as e:
            raise BackendError(f"llama.cpp failed: {e}", place=self.name) from e
        latency = time.perf_counter() - t0
        if not isinstance(out, dict) or "error" in out or not out.get("choices"):
            err = out.get("error") if isinstance(out, dict) else out
            msg = err.get("message") if isinstance(err, dict) else err
            raise BackendError(f"llama.cpp refused the request: {msg}", place=self.name)
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        timings = out.get("timings") or {}
        meta: dict[str, Any] = {"engine": "xllamacpp", "threads": self.n_threads}
        if timings.get("predicted_per_second"):
            meta["decode_tok_s"] = round(float(timings["predicted_per_second"]), 1)
        if timings.get("prompt_n") is not None:  # what this call processed; the rest came from the prompt cache
            meta["prompt_processed"] = int(timings["prompt_n"])
            meta["prompt_cached"] = int(timings.get("cache_n") or 0)
        if timings.get("prompt_per_second"):
            meta["prefill_tok_s"] = round(float(timings["prompt_per_second"]), 1)
            meta["prefill_s"] = round(float(timings.get("prompt_ms") or 0) / 1000, 3)
        if self.load_s is not None:
            meta["load_s"] = round(self.load_s, 3)
        if req.json_schema is not None:
            meta["constrained"] = "json_schema"
        return GenerationResult(
            text=(choice.get("message") or {}).get("content") or "",
            prompt_tokens=usage.get("prompt_tokens"),
            output_tokens=usage.get("completion_tokens"),
            latency_s=latency,
            cost_usd=None,  # local: electricity, not tokens (peri.decide prices that separately)
            model=self.name,
            finish_reason=choice.get("finish_reason"),
            meta=meta,
        )
