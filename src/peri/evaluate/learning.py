"""The learning curve: how many of *this* athlete's examples a tuned model needs.

Trains LoRA adapters on growing, nested subsets of the athlete's training examples (the most recent n
weeks: a lifter with a shorter history has the recent part), evaluates each on the same held-out weeks with
the short prompt, and plots quality against the number of examples, with the rule-based coach and the best
prompted level as reference lines.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from ..log.store import Store
from ..model_spec import ModelSpec
from ..paths import adapters_dir, name_slug, peri_home
from .harness import EvalConfig, EvalResults, run_eval

DEFAULT_SIZES = (25, 50, 100, 200, 0)  # 0 = all


class CurvePoint(BaseModel):
    examples: int
    model: str
    score_mean: float | None
    score_ci: float | None
    valid_rate: float
    val_loss_before: float | None
    val_loss_after: float | None
    train_seconds: float


class LearningCurve(BaseModel):
    athlete: str
    points: list[CurvePoint]
    references: dict[str, float]  # approach -> mean score on the same weeks


def curve_sizes(train_file: Path, sizes: tuple[int, ...] | list[int]) -> list[int]:
    """The example counts to train on: each size capped at the file's length (0: all), duplicates once."""
    total = sum(1 for ln in train_file.read_text().splitlines() if ln.strip())
    out: list[int] = []
    for n in sizes:
        n_eff = total if n <= 0 or n >= total else n
        if n_eff not in out:
            out.append(n_eff)
    return out


def recent_subset(train_file: Path, n: int, out: Path) -> int:
    """Write the most recent `n` examples (0: all) of a time-ordered JSONL file to `out`; return how many."""
    lines = [ln for ln in train_file.read_text().splitlines() if ln.strip()]
    keep = lines if n <= 0 or n >= len(lines) else lines[-n:]  # the file is in time order
    out.write_text("\n".join(keep) + "\n")
    return len(keep)


def _point(store: Store, cfg: EvalConfig, model: str, examples: int, home: Path | None, meta: dict) -> CurvePoint:
    res: EvalResults = run_eval(store, cfg.model_copy(update={"approaches": ["finetuned-short"], "tuned_model": model}),
                                home=home, write_summary=False)
    s = res.summary["finetuned-short"]
    return CurvePoint(
        examples=examples, model=model, score_mean=s.score_mean, score_ci=s.score_ci, valid_rate=s.valid_rate,
        val_loss_before=meta.get("val_loss_before"), val_loss_after=meta.get("val_loss_after"),
        train_seconds=meta.get("train_seconds") or 0.0,
    )


def _references(store: Store, cfg: EvalConfig, home: Path | None) -> dict[str, float]:
    refs = run_eval(store, cfg.model_copy(update={"approaches": ["rules", "prompt-d3", "prompt-d4"]}), home=home, write_summary=False)
    return {k: v.score_mean for k, v in refs.summary.items() if v.score_mean is not None}


def curve_from_models(
    store: Store, cfg: EvalConfig, models: list[str], *, home: Path | None = None, progress: Callable[[str], None] | None = None,
) -> LearningCurve:
    """The learning curve of adapters trained elsewhere (e.g. `scripts/train_sizes.py` on a GPU, then
    `peri finetune import`): each ft:NAME is evaluated as trained; its size is the example count it records.
    They must come from this athlete's current dataset, so that every training week precedes the held-out ones."""
    from ..errors import ConfigError

    points = []
    for spec in models:
        parsed = ModelSpec.maybe(spec) or ModelSpec(kind="ft", name=spec.strip())  # a bare name: a registered one
        if parsed.kind != "ft":
            raise ConfigError(f"a learning-curve model must be a registered one, ft:NAME, not {spec!r}",
                              place="--curve-models", hint="`peri finetune import` registers an adapter trained elsewhere")
        name = parsed.name
        meta = store.get_model(name).meta
        n = meta.get("train_examples")
        if not n:
            raise ConfigError(f"ft:{name} records no training-example count", hint="retrain or re-import it with this version of peri")
        if progress:
            progress(f"evaluating ft:{name} ({n} examples)")
        points.append(_point(store, cfg, f"ft:{name}", int(n), home, meta))
    points.sort(key=lambda p: p.examples)
    return save_curve(LearningCurve(athlete=cfg.athlete, points=points, references=_references(store, cfg, home)), home)


def learning_curve(
    store: Store, cfg: EvalConfig, *, sizes: tuple[int, ...] = DEFAULT_SIZES, train_overrides: dict | None = None,
    home: Path | None = None, progress: Callable[[str], None] | None = None,
) -> LearningCurve:
    from ..tune.train import TrainConfig, register_tuned_model, train_lora

    home = home or peri_home()
    from ..tune.dataset import dataset_dir

    ds = dataset_dir(cfg.athlete, home)
    train_file, val_file = ds / "train.jsonl", ds / "val.jsonl"
    if not train_file.exists():
        from ..errors import PeriError

        raise PeriError(f"no dataset for {cfg.athlete}", place=str(train_file), hint=f"peri dataset build --athlete {cfg.athlete}")
    points: list[CurvePoint] = []
    for n_eff in curve_sizes(train_file, sizes):
        name = f"{cfg.athlete}-n{n_eff}"
        out = adapters_dir(home) / name_slug(name)
        out.mkdir(parents=True, exist_ok=True)
        subset = out / "train_subset.jsonl"
        recent_subset(train_file, n_eff, subset)
        if progress:
            progress(f"training on {n_eff} examples")
        tc = TrainConfig.from_layers(None, dict(train_overrides or {}))
        result = train_lora(tc, subset, val_file if val_file.exists() else None, out)
        model = register_tuned_model(store, name, result)
        if progress:
            progress(f"evaluating ft:{name}")
        points.append(_point(store, cfg, f"ft:{name}", n_eff, home, model.meta))
    return save_curve(LearningCurve(athlete=cfg.athlete, points=points, references=_references(store, cfg, home)), home)


def plot_learning_curve(curve: LearningCurve, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    pts = [p for p in curve.points if p.score_mean is not None]
    ax.errorbar([p.examples for p in pts], [p.score_mean for p in pts], yerr=[p.score_ci or 0 for p in pts],
                fmt="-o", color="#d62728", capsize=3, label="tuned model, short prompt")
    for (name, score), color in zip(sorted(curve.references.items()), ("#7f7f7f", "#1f77b4", "#17becf"), strict=False):
        ax.axhline(score, color=color, ls="--", lw=1, label=f"{name} ({score:.1f})")
    ax.set_xlabel("training examples (weeks of your log)")
    ax.set_ylabel("oracle score (0-100)")
    ax.set_title(f"How many examples does {curve.athlete} need?")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


# --- the stored curve (read by peri.decide.graduation) -------------------------------------------------
CURVE_FILE = "learning_curve.json"


def curve_path(athlete: str, home: Path | None = None) -> Path:
    """Where an athlete's latest learning curve is kept: PERI_HOME/eval/<athlete>/learning_curve.json."""
    from ..paths import home_subdir

    return home_subdir("eval", athlete, home or peri_home()) / CURVE_FILE


def write_curve(curve: LearningCurve, home: Path | None = None) -> Path:
    """Keep `curve` as the athlete's latest (replaced whole, never half-written); `peri decide` reads it for
    the graduation trigger."""
    path = curve_path(curve.athlete, home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(curve.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def read_curve(athlete: str, home: Path | None = None) -> LearningCurve | None:
    """The athlete's stored learning curve, or None when none was measured."""
    path = curve_path(athlete, home)
    if not path.exists():
        return None
    from ..artefacts import read_model

    return read_model(path, LearningCurve, what="learning curve",
                      remake=f"measure it again: `peri eval --athlete {athlete} --learning-curve`")


def save_curve(curve: LearningCurve, home: Path | None = None) -> LearningCurve:
    """Keep the athlete's latest curve beside their evaluation (the cohort's Evidence and the graduation
    trigger read it)."""
    write_curve(curve, home)
    return curve


def load_curves(athletes: list[str], home: Path | None = None) -> dict[str, list[tuple[int, float]]]:
    """athlete -> [(examples, mean score)] for the athletes whose curve was measured (saved by save_curve)."""
    out = {}
    for a in athletes:
        c = read_curve(a, home)
        pts = [(p.examples, p.score_mean) for p in c.points if p.score_mean is not None] if c else []
        if pts:
            out[a] = pts
    return out
