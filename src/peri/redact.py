"""One redaction step for secrets: applied where text is recorded or shown, never left to each caller.

Servers echo keys in their error bodies, people paste credentials into URLs
(`openai-compatible:http://user:KEY@host/v1#model`), and SDK messages quote headers. Everything that
reaches the store (generation records, the model registry), an export, an error message or the terminal
passes through `redact` (text) or `redact_obj` (JSON-like values) first. It removes:

- the literal values of the key variables peri reads (`KEY_VARS`) and of any other environment variable
  whose name says it holds a secret (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD`), when set;
- URL userinfo (`scheme://user:pass@host` -> `scheme://***@host`);
- secret-looking query parameters (`?key=`, `api_key=`, `token=`, `access_token=`, `sig=`, `password=`);
- `Authorization`/`x-api-key`/`api-key` header values and `Bearer ...` tokens;
- the shapes of provider keys: `sk-...` (OpenAI, Anthropic's `sk-ant-...`), `hf_...`, `AIza...`, `gsk_...`,
  `fw_...` (Fireworks), `tgp_v1_...` (Together).
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["KEY_VARS", "MASK", "redact", "redact_obj", "secret_values"]

MASK = "***"

# Every provider key variable peri itself reads (grep: peri.backends.registry, peri.tune.hosted, data/prices.yaml key_env).
KEY_VARS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "PERI_OPENAI_COMPAT_KEY", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN",
            "TOGETHER_API_KEY", "FIREWORKS_API_KEY")
_SECRET_NAME = re.compile(r"(?:API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$", re.I)
_MIN_SECRET = 6  # shorter values ("1", "true") would blank out ordinary text, and are no secret anyway

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # scheme://userinfo@  (userinfo may hold ':' and percent-escapes, never '/', '@' or whitespace)
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@"), rf"\1{MASK}@"),
    (re.compile(r"(?i)([?&;](?:api[_-]?key|key|token|access[_-]?token|auth|secret|password|passwd|sig|signature)=)"
                r"[^&\s#\"'<>]+"), rf"\1{MASK}"),
    (re.compile(r"(?i)\b(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key)(\"?\s*[:=]\s*\"?)"
                r"(?:(?:bearer|basic|token)\s+)?[^\s\"',;}]+"), rf"\1\2{MASK}"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {MASK}"),
    (re.compile(r"(?i)([\"']?(?:api[_-]?key|access[_-]?token|secret|password)[\"']?\s*[:=]\s*[\"']?)"
                r"[^\s\"',;}]{6,}"), rf"\1{MASK}"),
    (re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}"), MASK),
    (re.compile(r"\b(?:hf|gsk|ghp|gho|github_pat|xox[abp]|fw|tgp_v1)_[A-Za-z0-9_]{8,}"), MASK),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{20,}"), MASK),
]


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """The values of the environment's secret variables, longest first (so a key is masked before its prefix)."""
    env = os.environ if env is None else env
    values = {v.strip() for k, v in env.items() if (k in KEY_VARS or _SECRET_NAME.search(k)) and v and v.strip()}
    return sorted((v for v in values if len(v) >= _MIN_SECRET), key=len, reverse=True)


def redact(text: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """`text` with every secret it holds replaced by `***` (None stays None)."""
    return _redact(text, secret_values(env))


def redact_obj(obj: Any, env: Mapping[str, str] | None = None) -> Any:
    """A JSON-like value (dicts, lists, strings) with `redact` applied to every string in it, keys included."""
    return _redact_obj(obj, secret_values(env))


def _redact(text: str | None, secrets: list[str]) -> str | None:
    if not text:
        return text
    for value in secrets:
        if value in text:
            text = text.replace(value, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def _redact_obj(obj: Any, secrets: list[str]) -> Any:
    if isinstance(obj, str):
        return _redact(obj, secrets)
    if isinstance(obj, Mapping):
        return {_redact(k, secrets) if isinstance(k, str) else k: _redact_obj(v, secrets) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(_redact_obj(v, secrets) for v in obj)
    return obj
