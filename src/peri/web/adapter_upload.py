"""An adapter trained on another machine, uploaded as a ZIP of its folder (`peri finetune import` for a person
without a terminal: a Colab or a rented GPU gives the folder back as a download).

`unpack_adapter` checks the archive before anything is written - a ZIP at all, at most `MAX_MEMBERS` entries,
every name a plain relative path (`archive_guard.unsafe_name`), no links, the files it would write at most
`MAX_EXPANDED` bytes and `MAX_RATIO` times the upload - then writes only the files that sit beside the one
`peri_adapter.json` (the folder `peri finetune local` wrote; its `checkpoints/` are the trainer's, which
`import_adapter` leaves out too). `import_adapter` then checks the adapter itself against the local base.
"""
from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import ConfigError
from ..log.importers.archive_guard import unsafe_name

META_FILE = "peri_adapter.json"  # `tune.train.META_FILE`, the file that marks an adapter folder
MAX_MEMBERS = 200  # an adapter folder holds a handful of files; a checkpoint folder a few dozen
MAX_EXPANDED = 2 << 30  # 2 GiB: a rank-64 adapter on a 1B base is a few hundred MB
MAX_RATIO = 50  # safetensors and GGUF weights hardly deflate; a thousandfold one is a bomb


def unpack_adapter(data: bytes, original: str, into: Path) -> Path:
    """The adapter folder inside the ZIP `data` (named `original` in messages), written under `into`; a
    ConfigError naming the upload for anything else."""
    if not data.startswith(b"PK\x03\x04"):
        raise ConfigError(f"{original} is not a ZIP file", place="file",
                          hint="zip the adapter folder `peri finetune local` wrote (PERI_HOME/adapters/NAME) and "
                               "upload the .zip")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ConfigError(f"{original} is a damaged ZIP file ({e})", place="file") from None
    if len(infos) > MAX_MEMBERS:
        raise ConfigError(f"{original} holds {len(infos):,} entries; an adapter folder holds a handful",
                          place="file", hint="zip the adapter folder alone")
    for info in infos:
        why = unsafe_name(info.filename)
        if why:
            raise ConfigError(f"{original}: refused an entry ({why}); nothing was written", place="file")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ConfigError(f"{original}: {info.filename[:80]!r} is a link; nothing was written", place="file",
                              hint="zip the real files")
    def path(i: zipfile.ZipInfo) -> PurePosixPath:
        return PurePosixPath(i.filename.replace("\\", "/"))  # a ZIP made on Windows may write backslashes

    metas = [i for i in infos if not i.is_dir() and path(i).name == META_FILE]
    if len(metas) != 1:
        raise ConfigError(f"{original} holds {'no' if not metas else len(metas)} {META_FILE}: "
                          f"{'not a peri adapter folder' if not metas else 'several adapters'}", place="file",
                          hint="zip the one folder `peri finetune local` wrote (PERI_HOME/adapters/NAME)")
    folder = path(metas[0]).parent
    files = [i for i in infos if not i.is_dir() and path(i).parent == folder]
    expanded = sum(i.file_size for i in files)
    if expanded > MAX_EXPANDED or expanded > MAX_RATIO * max(len(data), 1):
        raise ConfigError(f"{original} would expand to {expanded:,} bytes, more than an adapter holds; nothing was "
                          "written", place="file")
    out = into / "adapter"
    out.mkdir(parents=True)
    for info in files:
        target = out / path(info).name
        left = info.file_size  # zipfile stops at the stated size: a member that lies is a damaged one
        try:
            with z.open(info) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    left -= len(chunk)
                    if left < 0:
                        raise ConfigError(f"{original}: {info.filename[:80]!r} is larger than it says",
                                          place="file")
                    dst.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:  # bad CRC, truncated data
            raise ConfigError(f"{original}: {info.filename[:80]!r} is damaged ({e})", place="file") from None
    return out
