"""Model specs, parsed in one place: the text a person types after `--model` (and the web app's model field)
becomes a `ModelSpec`, and every module that needs to know what a spec names asks it, never the text.

    embedded                      the shipped small model, in-process
    rules                         the rule-based coach
    gguf:PATH                     a local GGUF file
    openai:MODEL                  OpenAI (MODEL may be an OpenAI fine-tune id, `ft:gpt-4o-mini-...:org::id`)
    anthropic:MODEL               Anthropic
    ft:NAME                       a fine-tuned model registered in the store (local adapter or hosted)
    openai-compatible:URL[#MODEL] any OpenAI-compatible server (no MODEL: the server's default)
    lora:URL#NAME                 one adapter by name on a multi-LoRA server (NAME may hold ':', SGLang's BASE:NAME)

`str(ModelSpec.parse(text))` gives the text back (trimmed); which backend serves each kind is
`peri.backends.registry`'s business. Ground layer: prices, prompts (tokenizers), backends, generation and
evaluation all read specs.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from .errors import ConfigError

SpecKind = Literal["embedded", "rules", "gguf", "openai", "anthropic", "ft", "openai-compatible", "lora"]
BARE: tuple[SpecKind, ...] = ("embedded", "rules")  # no argument
NAMED: tuple[SpecKind, ...] = ("gguf", "openai", "anthropic", "ft")  # KIND:NAME
SERVED: tuple[SpecKind, ...] = ("openai-compatible", "lora")  # KIND:URL#NAME
KINDS: tuple[SpecKind, ...] = BARE + NAMED + SERVED
SPEC_HELP = ("embedded, gguf:PATH, openai:MODEL, openai-compatible:URL#MODEL, anthropic:MODEL, rules, ft:NAME, "
             "lora:URL#NAME")
OPENAI_FINETUNE_PREFIX = "ft:"  # OpenAI names its fine-tuned models ft:BASE:ORG::ID


def is_openai_finetune(model_id: str) -> bool:
    """Whether an OpenAI model id names a fine-tune (OpenAI's own naming, not a peri spec)."""
    return model_id.startswith(OPENAI_FINETUNE_PREFIX)


class ModelSpec(BaseModel):
    """One model spec: `kind`, `name` (path, model id, registered name or adapter; empty for bare kinds and for
    an openai-compatible server's default model) and `url` (the server of the two served kinds)."""

    model_config = ConfigDict(frozen=True)

    kind: SpecKind
    name: str = ""
    url: str | None = None

    @classmethod
    def parse(cls, text: str) -> ModelSpec:
        """The spec `text` names; anything else is one ConfigError naming the text and what is wrong."""
        spec = (text or "").strip()

        def bad(why: str, example: str | None = None) -> ConfigError:
            return ConfigError(f"unknown model spec {spec!r}: {why}", place="model",
                               hint=f"e.g. {example}" if example else f"use one of: {SPEC_HELP}")

        if not spec:
            raise bad("it is empty")
        if any(ord(c) < 32 or ord(c) == 127 for c in spec):
            raise bad("it holds a control character")
        kind, colon, arg = spec.partition(":")
        if kind not in KINDS:
            raise bad(f"no model kind {kind!r}")
        if kind in BARE:
            if colon:
                raise bad(f"{kind} takes nothing after it", kind)
            return cls(kind=kind)
        if kind in NAMED:
            if not arg.strip():
                what = {"gguf": "a file path", "ft": "a registered model's name"}.get(kind, "a model name")
                raise bad(f"{kind}: needs {what}", {"gguf": "gguf:/models/qwen2.5-1.5b-instruct-q4_k_m.gguf",
                                                    "openai": "openai:gpt-4o-mini", "anthropic": "anthropic:claude-haiku-4-5",
                                                    "ft": "ft:ana-lora"}[kind])
            if arg != arg.strip():
                raise bad("spaces around the name")
            return cls(kind=kind, name=arg)
        url, hash_, name = arg.rpartition("#") if "#" in arg else (arg, "", "")
        example = ("lora:http://127.0.0.1:8088/v1#alex" if kind == "lora"
                   else "openai-compatible:http://127.0.0.1:11434/v1#llama3.2")
        if not url.startswith(("http://", "https://")) or not url.partition("://")[2] or any(c.isspace() for c in url):
            what = "a server URL" if kind == "lora" else "a base URL"
            raise bad(f"{kind}: needs {what} (http:// or https://)", example)
        if kind == "lora" and not name.strip():
            raise bad("lora: needs an adapter name after '#'", example)
        if name != name.strip():
            raise bad("spaces around the name")
        return cls(kind=kind, name=name, url=url)

    @classmethod
    def maybe(cls, text: str | None) -> ModelSpec | None:
        """The spec `text` names, or None when it is not one (a provider's own model id, a custom backend)."""
        try:
            return cls.parse(text or "")
        except ConfigError:
            return None

    @property
    def arg(self) -> str:
        """What follows `kind:` (empty for the bare kinds)."""
        if self.kind in SERVED:
            return f"{self.url}#{self.name}" if self.name else str(self.url)
        return self.name

    @property
    def tuned(self) -> bool:
        """A fine-tuned model: a registered one, an adapter on a server, or an OpenAI fine-tune id."""
        return self.kind in ("ft", "lora") or (self.kind == "openai" and is_openai_finetune(self.name))

    def __str__(self) -> str:
        return self.kind if self.kind in BARE else f"{self.kind}:{self.arg}"
