"""Each hosted provider's documented dataset rules, read from `data/hosted_providers.yaml` (with the pages
and the dates they were seen). `peri.tune.validate` checks files against them; `peri.tune.hosted` talks to
the providers; the docs' provider table is generated from the same file."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from ..errors import ConfigError


class DatasetRules(BaseModel):
    format: str
    min_examples: int = Field(ge=0)
    max_examples: int | None = None
    roles: list[str]
    message_keys: list[str]
    top_keys: list[str]
    # any: at least one assistant message; alternate: system or user first, then user/assistant alternating;
    # system_first: a system message only as the first one
    order: Literal["any", "alternate", "system_first"] = "any"
    token_limit: int
    token_limits: dict[str, int] = Field(default_factory=dict)
    default_epochs: int | None = None

    def limit_for(self, model: str) -> int:
        """The per-example token limit for `model` (longest matching prefix), else the provider's default."""
        from ..model_spec import ModelSpec

        spec = ModelSpec.maybe(model)
        name = spec.name if spec is not None and spec.kind == "openai" else model
        best = max((k for k in self.token_limits if name.startswith(k)), key=len, default=None)
        return self.token_limits[best] if best else self.token_limit


class ProviderRules(BaseModel):
    name: str = ""
    title: str
    dataset: DatasetRules
    serving: str
    inference_base_url: str
    api: str
    pages: list[str]


@lru_cache(maxsize=1)
def all_rules() -> dict[str, ProviderRules]:
    data = yaml.safe_load(resources.files("peri.data").joinpath("hosted_providers.yaml").read_text())
    return {k: ProviderRules(name=k, **v) for k, v in data.items()}


def provider_names() -> list[str]:
    return list(all_rules())


def rules_for(provider: str) -> ProviderRules:
    rules = all_rules()
    if provider not in rules:
        raise ConfigError(f"unknown hosted provider {provider!r}", hint=f"use one of: {', '.join(rules)}")
    return rules[provider]
