"""A converted copy of a GGUF base model, so that training loads it in about a second instead of half a minute.

transformers reads a GGUF by parsing its whole metadata (for the embedded model, a 49,152-token vocabulary: once
for the config, once for the tokenizer, once for the weights) and dequantizing every tensor: ~35 CPU s for the 135M
embedded model on this project's 2-core machine, paid by every fine-tune, every Ray worker of `peri batch finetune`
and every fine-tune started from the web app. The dequantized model and its tokenizer written with
`save_pretrained` load in ~1 CPU s and give the same tensors bit for bit (tests/test_base_cache.py;
`bench/base_load.py` measures the ratio).

One folder per (GGUF content hash, dtype, transformers version), so a different file, precision or loader never
meets another's copy. It lives under $PERI_BASE_CACHE, else PERI_HOME/cache/bases; `PERI_BASE_CACHE=off` turns it
off. Nothing personal is in it (the base model only), so one folder may serve several PERI_HOMEs (the tests share
one per session). One process converts while the others wanting the same copy wait for it (a file lock: the Ray
workers of a batch start together, and 8 of them converting at once would cost 8 times the CPU and memory). A copy
appears whole or not at all (written beside, then renamed into place), one that does not
load is removed and made again, and only the two most recently used are kept (a fp32 copy of a base is 4 bytes a
parameter: 0.54 GB for the embedded model).
"""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger(__name__)

__all__ = ["KEEP", "cache_root", "entry_dir", "load_copy", "load_or_convert", "save_copy"]

KEEP = 2  # copies kept: the base in use and the one before it (switching back costs nothing)
_DONE = "peri-base.done"  # written last inside the folder before it is renamed into place
_OFF = {"off", "0", "no", "false", "none"}
LOCK_WAIT_S = 3600  # a big base's conversion takes minutes; a lock held longer than an hour is a stuck process


def cache_root(env: dict[str, str] | None = None) -> Path | None:
    """Where copies live, or None when PERI_BASE_CACHE turns the cache off."""
    env = os.environ if env is None else env
    given = (env.get("PERI_BASE_CACHE") or "").strip()
    if given.lower() in _OFF:
        return None
    if given:
        return Path(given).expanduser()
    from ..paths import peri_home

    return peri_home(env) / "cache" / "bases"


def entry_dir(root: Path, sha256: str, dtype: Any) -> Path:
    """The folder of one copy: the GGUF's content hash, the dtype and the loader's version name it."""
    import transformers

    return root / f"{sha256[:24]}-{str(dtype).removeprefix('torch.')}-tf{transformers.__version__}"


def load_or_convert(root: Path, sha256: str, dtype: Any, convert: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
    """(model, tokenizer) from the copy; without one, `convert()` (the GGUF read) and keep what it gives.

    Holds a lock per copy meanwhile, so a process arriving during a conversion waits and loads the copy rather than
    convert too. A lock that cannot be taken (a read-only folder, an hour's wait) only costs the wait: convert."""
    from filelock import FileLock, Timeout

    lock: Any = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(root / f".{entry_dir(root, sha256, dtype).name}.lock"), timeout=LOCK_WAIT_S)
        lock.acquire()
    except (OSError, Timeout) as e:
        log.warning("converting the base without the cache's lock in %s: %s", root, e)
        lock = None
    try:
        got = load_copy(root, sha256, dtype)
        if got is None:
            got = convert()
            save_copy(root, sha256, dtype, *got)
        return got
    finally:
        if lock is not None:
            lock.release()


def load_copy(root: Path, sha256: str, dtype: Any) -> tuple[Any, Any] | None:
    """(model, tokenizer) from the copy, or None when there is none or it does not load (then it is removed)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    d = entry_dir(root, sha256, dtype)
    if not (d / _DONE).is_file():
        return None
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(d))
        model = AutoModelForCausalLM.from_pretrained(str(d), dtype=dtype)
    except Exception as e:  # noqa: BLE001 - any damage (a cut file, a disk error): the GGUF is still there
        log.warning("the converted copy of the base at %s does not load (%s): converting the GGUF again", d, e)
        shutil.rmtree(d, ignore_errors=True)
        return None
    try:
        (d / _DONE).touch()  # last used: what the eviction keeps
    except OSError:
        pass
    return model, tokenizer


def save_copy(root: Path, sha256: str, dtype: Any, model: Any, tokenizer: Any) -> Path | None:
    """Write the copy (whole or not at all) and keep only the KEEP most recently used; None if it cannot be written.

    A cache that cannot be written (a full disk, a read-only folder) costs speed, never the training run."""
    final = entry_dir(root, sha256, dtype)
    tmp = root / f".writing-{uuid.uuid4().hex}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(str(tmp))
        tokenizer.save_pretrained(str(tmp))
        (tmp / _DONE).write_text(sha256 + "\n")
        try:
            tmp.rename(final)
        except OSError:
            if not (final / _DONE).is_file():  # not a twin written meanwhile by another worker: a real failure
                raise
    except OSError as e:
        log.warning("could not keep a converted copy of the base in %s: %s", root, e)
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _evict(root)
    return final


def _evict(root: Path) -> None:
    """Remove all but the KEEP most recently used copies, and folders a killed run left half-written a day ago."""
    import time

    def used(d: Path) -> float:
        try:
            return (d / _DONE).stat().st_mtime
        except OSError:  # removed meanwhile by another run's eviction
            return 0.0

    done = sorted((d for d in root.iterdir() if (d / _DONE).is_file()), key=used, reverse=True)
    for d in done[KEEP:]:
        shutil.rmtree(d, ignore_errors=True)
    for d in root.glob(".writing-*"):  # (a lock file is a few bytes and stays: removing it could split a waiter)
        try:
            if time.time() - d.stat().st_mtime > 86400:  # a live writer is minutes old at most
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass
