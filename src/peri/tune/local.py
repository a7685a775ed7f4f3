"""One local fine-tune from start to registry (`peri finetune local`, the web app's Fine-tune page).

The athlete's built dataset (PERI_HOME/datasets/ATHLETE/) is trained on with `train_lora`; the adapter goes
to PERI_HOME/adapters/SLUG (the model's name is the person's words, its folder a slug); on a GGUF base the
adapter is registered as `ft:NAME`, which `peri plan --model ft:NAME` and the Plans page then offer. Every check
that can fail (the settings, the dataset, the base) runs before anything is written.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .train import TrainConfig, TrainProgress, TrainResult

__all__ = ["LocalFinetune", "LocalPlan", "finetune_local", "plan_local_finetune"]


class LocalPlan(BaseModel):
    """What a local fine-tune will do, all checked: its settings, files and registered name."""

    config: TrainConfig
    model_name: str
    train_path: Path
    val_path: Path | None
    out_dir: Path
    base_path: Path


class LocalFinetune(BaseModel):
    """A finished local fine-tune: the run's result and, on a GGUF base, the registered name (else None)."""

    result: TrainResult
    registered: str | None


def plan_local_finetune(athlete: str, *, name: str | None = None, overrides: dict[str, Any] | None = None,
                        config_file: Path | None = None) -> LocalPlan:
    """Check everything a run needs (settings layered defaults → YAML → overrides, the dataset, the base) and say
    where it will write; raises ConfigError / DatasetError / NotFound, with nothing written."""
    from ..errors import DatasetError
    from ..paths import adapters_dir, inside, name_slug
    from .base_model import resolve_base_path
    from .dataset import dataset_dir

    cfg = TrainConfig.from_layers(config_file, overrides or {})
    ddir = dataset_dir(athlete)
    train_path, val_path = ddir / "train.jsonl", ddir / "val.jsonl"
    if not train_path.exists():
        raise DatasetError(f"no dataset for {athlete!r} at {ddir}", hint=f"run `peri dataset build --athlete {athlete}` first")
    model_name = name or f"{athlete}-lora"
    out_dir = inside(adapters_dir() / name_slug(model_name), adapters_dir())
    base_path = resolve_base_path(cfg.base)  # a missing base fails here, before anything is written
    return LocalPlan(config=cfg, model_name=model_name, train_path=train_path,
                     val_path=val_path if val_path.exists() else None, out_dir=out_dir, base_path=base_path)


def finetune_local(open_store: Callable[[], Any], plan: LocalPlan, *, resume: bool = False,
                   progress: Callable[[TrainProgress], None] | None = None) -> LocalFinetune:
    """Train as `plan` says and register `ft:NAME` when the base is a GGUF (llama.cpp serves only that).

    `progress` is called after each step, validation and checkpoint; an exception it raises stops the run
    (a checkpoint already written lets `resume=True` continue later)."""
    from .train import register_tuned_model, train_lora

    result = train_lora(plan.config, plan.train_path, plan.val_path, plan.out_dir, resume=resume, progress=progress)
    if result.gguf_adapter is None:
        return LocalFinetune(result=result, registered=None)
    store = open_store()
    try:
        register_tuned_model(store, plan.model_name, result)
    finally:
        store.close()
    return LocalFinetune(result=result, registered=plan.model_name)
