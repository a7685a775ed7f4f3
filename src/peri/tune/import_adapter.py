"""Register a LoRA adapter trained on another machine (a rented or lent GPU) so this machine serves it.

Training wants a GPU; serving a 135M model with an adapter does not. `peri finetune local` run elsewhere
(or `scripts/train_sizes.py`) writes an adapter directory; copying it here and importing it gives `ft:NAME`
on llama.cpp as if it had been trained here. The adapter is only valid on the exact base it was trained
on, so the base's SHA-256 recorded at training time must match the local base file.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ConfigError, NotFound, PeriError
from ..paths import adapters_dir
from .base_model import file_sha256, resolve_base_path
from .train import GGUF_ADAPTER_FILE, META_FILE, _fix_base_name, register_adapter

PEFT_WEIGHTS = "adapter_model.safetensors"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def _refuse_outward_links(src: Path) -> None:
    """An adapter folder is copied file by file: a symlink pointing out of it (to ~/.ssh, another adapter) is refused."""
    root = src.resolve()
    for f in src.iterdir():
        if f.is_symlink():
            target = f.resolve()
            if target != root and root not in target.parents:
                raise PeriError(f"{f.name} is a link to {target}, outside the adapter folder", place=str(f),
                                hint="copy the real file into the adapter folder")


def _read_meta(src: Path) -> dict[str, Any]:
    meta_path = src / META_FILE
    if not meta_path.is_file():
        raise NotFound(f"{src} is not a peri adapter directory: no {META_FILE}",
                       hint="copy the whole directory `peri finetune local` wrote (PERI_HOME/adapters/NAME)")
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"unreadable adapter metadata: {e}", place=str(meta_path)) from e
    if not isinstance(meta, dict) or not meta.get("base_sha256"):
        raise ConfigError("adapter metadata names no base model hash (base_sha256)", place=str(meta_path))
    return meta


def _check_gguf_adapter(path: Path, base_gguf: Path) -> None:
    """A GGUF file whose metadata says it is a LoRA adapter for the base's architecture, not a model or a
    truncated copy."""
    from gguf import GGUFReader

    from .gguf_adapter import base_gguf_info

    try:
        reader = GGUFReader(str(path))
    except Exception as e:  # gguf raises ValueError, struct.error, IndexError… on damaged files
        raise ConfigError(f"not a readable GGUF file: {e}", place=str(path)) from e
    kind = reader.get_field("general.type")
    if kind is None or kind.contents() != "adapter":
        raise ConfigError("this GGUF is not an adapter (general.type != 'adapter')", place=str(path))
    arch = reader.get_field("general.architecture")
    want = base_gguf_info(base_gguf)["arch"]
    if arch is None or arch.contents() != want:
        raise ConfigError(f"adapter for {arch.contents() if arch else 'an unnamed architecture'!r}, base is {want!r}",
                          place=str(path))


def import_adapter(store: Any, src: Path, name: str, *, base: str | Path | None = None, home: Path | None = None,
                   replace: bool = False, origin: str | None = None) -> Any:
    """Copy the adapter directory `src` under PERI_HOME/adapters/NAME and register it as ft:NAME.

    `base` is the local base model (default: the embedded one); it must be the very file the adapter was
    trained on. Nothing is registered or left behind unless every check passes. `origin`: where it came from, as
    recorded (`imported_from`), when `src` is a temporary copy (the web's upload) and its path would mean nothing.
    """
    if not _NAME.fullmatch(name):
        raise ConfigError(f"model name {name!r}: use letters, digits, '.', '_' and '-' (it names a folder)")
    src = Path(src).expanduser()
    if not src.is_dir():
        raise NotFound(f"adapter directory {src} not found")
    _refuse_outward_links(src)
    meta = _read_meta(src)
    base_path = resolve_base_path(base)
    if base_path.suffix != ".gguf":
        raise ConfigError(f"the local base {base_path} is not a GGUF: llama.cpp cannot serve the adapter on it",
                          hint="pass --base with the .gguf file the adapter was trained on")
    local_sha = file_sha256(base_path)
    if local_sha != meta["base_sha256"]:
        raise ConfigError(
            f"the adapter was trained on a different base (sha256 {meta['base_sha256'][:12]}…, "
            f"{meta.get('base_model', '?')}) than the local {base_path} (sha256 {local_sha[:12]}…)",
            place=str(src / META_FILE), hint="pass --base with the exact file it was trained on",
        )
    has_gguf = (src / GGUF_ADAPTER_FILE).is_file()
    has_peft = (src / PEFT_WEIGHTS).is_file() and (src / "adapter_config.json").is_file()
    if not has_gguf and not has_peft:
        raise NotFound(f"{src} holds neither {GGUF_ADAPTER_FILE} nor a PEFT adapter ({PEFT_WEIGHTS} + adapter_config.json)")

    root = adapters_dir(home)
    dest = root / name
    try:
        store.get_model(name)
        registered = True
    except NotFound:
        registered = False
    if (registered or dest.exists()) and not replace:
        raise PeriError(f"a model or adapter directory named {name!r} already exists", place=str(dest),
                        hint="choose another --name, or pass --replace")

    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".import-{name}-", dir=root))
    try:
        for f in src.iterdir():
            if f.is_file():  # checkpoints/ and other folders are the trainer's, not the adapter's
                shutil.copy2(f, staging / f.name)
        if has_gguf:
            _check_gguf_adapter(staging / GGUF_ADAPTER_FILE, base_path)
        else:
            from .gguf_adapter import peft_to_gguf_lora

            peft_to_gguf_lora(staging, base_path, staging / GGUF_ADAPTER_FILE,
                              dtype=(meta.get("hyperparameters") or {}).get("gguf_dtype", "f32"))
        if (staging / "adapter_config.json").is_file():
            _fix_base_name(staging, base_path)
        meta.update(base_model=str(base_path), gguf_adapter=str(dest / GGUF_ADAPTER_FILE),
                    imported_from=origin or str(src.resolve()))
        (staging / META_FILE).write_text(json.dumps(meta, indent=2))
        old = None
        if dest.exists():  # set aside, not deleted, until the new one is in place
            old = dest.with_name(f".replaced-{name}-{staging.name[-8:]}")
            dest.rename(old)
        try:
            staging.rename(dest)
        except OSError:
            if old is not None:
                old.rename(dest)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    metrics = meta.get("metrics") or {}
    return register_adapter(
        store, name, out_dir=dest, base_path=base_path, base_sha256=local_sha, gguf_adapter=dest / GGUF_ADAPTER_FILE,
        peft_adapter=dest if has_peft else None, dataset_sha256=(meta.get("dataset") or {}).get("sha256"),
        val_loss_before=metrics.get("val_loss_before"), val_loss_after=metrics.get("val_loss_after"), metrics=metrics,
    )
