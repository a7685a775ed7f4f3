"""Load the base model that local LoRA training starts from.

The default base is the embedded SmolLM2-135M-Instruct GGUF. transformers reads a GGUF file
(`gguf_file=`) by dequantizing every tensor to fp32, so training sees the same weights llama.cpp
serves (up to the Q4_1 rounding, which the GGUF itself carries). The tokenizer comes from the same
file, and it tokenizes exactly like llama.cpp does. Any local Hugging Face model directory works too.
A GGUF's dequantized copy is kept on disk (`base_cache`): the conversion costs ~35 CPU s, the copy ~1.

torch and transformers are imported inside the functions: `import peri` stays light.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, NotFound
from .base_cache import cache_root, load_or_convert

__all__ = ["LoadedBase", "file_sha256", "load_base", "resolve_base_path"]

# Hashing a 100 MB file takes a fraction of a second; cache by (path, size, mtime) anyway so a
# benchmark or test loading the base twice does not pay it twice.
_HASH_CACHE: dict[tuple[str, int, int], str] = {}


@dataclass
class LoadedBase:
    """A base model ready for training: fp32 weights, its tokenizer, where it came from and its hash."""

    model: Any
    tokenizer: Any
    path: Path
    sha256: str
    gguf_path: Path | None  # the GGUF llama.cpp serves; None for a Hugging Face directory

    @property
    def is_gguf(self) -> bool:
        return self.gguf_path is not None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a directory's weight and config files (sorted by name, names included)."""
    path = Path(path)
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(path.iterdir()):
            if f.is_file() and f.suffix in {".safetensors", ".bin", ".json", ".gguf", ".model"}:
                h.update(f.name.encode())
                h.update(file_sha256(f).encode())
        return h.hexdigest()
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _HASH_CACHE:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _HASH_CACHE[key] = h.hexdigest()
    return _HASH_CACHE[key]


def resolve_base_path(spec: str | Path | None) -> Path:
    """`None` or "embedded" → the embedded GGUF; otherwise a local GGUF file or HF model directory."""
    if spec is None or str(spec) == "embedded":
        from ..paths import embedded_model_path

        return embedded_model_path()
    path = Path(spec).expanduser()
    if not path.exists():
        raise NotFound(f"base model {str(spec)!r} not found", hint="give a .gguf file or a Hugging Face model directory")
    if path.is_file() and path.suffix != ".gguf":
        raise ConfigError(f"base model {path} is a file but not a .gguf", hint="give a .gguf file or a model directory")
    if path.is_dir() and not (path / "config.json").exists():
        raise ConfigError(f"{path} has no config.json", hint="give a Hugging Face model directory or a .gguf file")
    return path


def load_base(spec: str | Path | None = None, *, dtype: Any = None) -> LoadedBase:
    """Load model (fp32 unless `dtype` says otherwise) and tokenizer from a GGUF or an HF directory."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = resolve_base_path(spec)
    dtype = dtype or torch.float32
    if path.suffix == ".gguf":
        kw = {"gguf_file": path.name}
        src = str(path.parent)
    else:
        kw, src = {}, str(path)

    def read() -> tuple[Any, Any]:
        try:
            tokenizer = AutoTokenizer.from_pretrained(src, **kw)
            model = AutoModelForCausalLM.from_pretrained(src, dtype=dtype, **kw)
        except (OSError, ValueError) as e:
            raise ConfigError(f"could not load base model {path}: {e}", hint="is it a llama-family GGUF or HF model?") from e
        if path.suffix == ".gguf":
            _forget_gguf_quantization(model)
        return model, tokenizer

    sha = file_sha256(path)
    root = cache_root() if path.suffix == ".gguf" else None
    model, tokenizer = load_or_convert(root, sha, dtype, read) if root is not None else read()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return LoadedBase(
        model=model,
        tokenizer=tokenizer,
        path=path,
        sha256=sha,
        gguf_path=path if path.suffix == ".gguf" else None,
    )


def _forget_gguf_quantization(model: Any) -> None:
    """The GGUF loader dequantized every tensor to dense fp32, yet leaves the model flagged as GGUF-quantized,
    which makes the Hugging Face Trainer refuse it and save_pretrained record a quantization it no longer has."""
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
