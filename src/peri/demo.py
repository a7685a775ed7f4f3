"""The whole journey as one library function: `run_demo` — the log (simulated, or the person's own export),
stats, the engineered prompt and a plan from the embedded model, the fine-tuning dataset, a short local LoRA
fine-tune, the evaluation on held-out weeks, and the decision.

Each step is the same library call its own command makes; nothing here is demo-only logic. `peri demo` (and
anything else, e.g. the web app) watches the steps through `progress(DemoEvent)`: a `start` event before a
step runs and a `done` event carrying the step's typed result, so the output appears as the journey goes.
The simulator is injected (`simulate`), as the cohort's is: only the simulation commands may import it.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import ConfigError, NotFound
from .log.store import Store

IMPORT_FORMATS = ("auto", "strong", "hevy", "fitnotes", "csv")  # as `peri import`; auto names the app itself
# On one's own export there is no oracle to tell detail levels apart, and each level costs ~1 minute a week
# on 2 cores: the journey compares the default detail with the tuned model (all levels: `peri eval`).
OWN_EXPORT_APPROACHES = ["rules", "prompt-d3", "finetuned-short", "hybrid"]


class DemoConfig(BaseModel):
    """What `peri demo` takes: its own export (fmt + file) or the seed's simulated athlete."""

    file: Path | None = None
    import_fmt: str | None = None
    unit: str | None = None
    athlete: str | None = None
    weeks: int = 156
    train_epochs: int = 1
    train_steps: int | None = None
    eval_weeks: int = 3
    report: Path = Path("out/demo-report")
    queries_per_week: float = 7.0

    def checked(self) -> "DemoConfig":
        """The config with the athlete's name filled in, or a ConfigError naming the wrong flag."""
        if (self.import_fmt is None) != (self.file is None):
            raise ConfigError("--import and FILE go together", place="--import", hint="peri demo --import strong my-export.csv")
        if self.import_fmt is not None and self.import_fmt not in IMPORT_FORMATS:
            raise ConfigError(f"cannot import {self.import_fmt!r} in the demo", place="--import",
                              hint="auto, strong, hevy, fitnotes or csv")
        name = self.athlete or (self.file.stem if self.file is not None else "demo-seed")
        return self.model_copy(update={"athlete": name})


class PlanSummary(BaseModel):
    generation_id: int | None
    valid: bool
    plan: dict | None
    latency_s: float | None
    prompt_tokens: int | None
    output_tokens: int | None
    findings: int
    error: str | None


class DemoResult(BaseModel):
    """Everything the journey produced, step by step (filled as the steps finish)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    athlete: str
    imported: Any = None  # ImportReport, when the journey ran on an export
    simulated: Any = None  # SimReport, when it simulated the athlete now
    reused: bool = False  # the simulated athlete was already in the store
    profile: Any = None  # the Athlete, unstated fields derived from the log
    unit: str = "kg"  # the unit the athlete's loads are shown in (log.shown_unit)
    weeks: list[Any] = Field(default_factory=list)  # WeekStats, the last four weeks
    prompt: Any = None  # BuiltPrompt (detail 3, JSON format, the embedded model's tokenizer)
    plan: PlanSummary | None = None
    rules: PlanSummary | None = None
    dataset: Any = None  # DatasetReport
    dataset_dir: Path | None = None
    training: Any = None  # TrainResult
    tuned_model: str | None = None
    evaluation: Any = None  # EvalResults
    report: Path | None = None
    decision: Any = None  # Recommendation
    seconds: float = 0.0


class DemoEvent(BaseModel):
    """One step starting (`start`, with its title) or finished (`done`, the result so far), or a training tick."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    kind: Literal["start", "done", "train"]
    step: int
    title: str
    elapsed_s: float
    result: DemoResult
    train: Any = None  # TrainProgress for kind == "train"


Simulate = Callable[[Store, str, int], Any]  # (store, athlete, weeks) -> SimReport


def _summary(g: Any) -> PlanSummary:
    return PlanSummary(generation_id=g.id, valid=g.valid, plan=g.plan, latency_s=g.latency_s, prompt_tokens=g.prompt_tokens,
                       output_tokens=g.output_tokens, findings=len(g.findings), error=g.error)


def step_titles(own: bool) -> list[str]:
    return [
        "Your own log" if own else "A simulated lifter: the seed's athlete, 3 years of history",
        "Stats: the last four weeks",
        "The engineered prompt (detail 3) and a plan from the embedded model",
        "The fine-tuning dataset from weeks and annotations",
        "A short local LoRA fine-tune of the embedded model",
        "Evaluation on held-out weeks: rules, prompting at detail " + ("3" if own else "0-4") + ", tuned, hybrid",
        "The decision",
    ]


def run_demo(store: Store, cfg: DemoConfig, *, simulate: Simulate | None = None,
             progress: Callable[[DemoEvent], None] | None = None) -> DemoResult:
    """Run the whole journey; see the module docstring. `simulate` is needed unless `cfg.file` is given."""
    from .decide.run import run_decision
    from .evaluate.harness import EvalConfig, run_eval
    from .evaluate.report import write_report
    from .generate import generate_plan
    from .log.catalog import default_catalog
    from .log.context import load_context
    from .log.shown_unit import shown_unit
    from .log.stats import weekly_stats
    from .paths import adapters_dir, check_writable, name_slug
    from .plans.schema import Scenario
    from .prompts.builder import build_prompt
    from .prompts.tokens import tokenizer_for
    from .tune.dataset import build_dataset, write_dataset
    from .tune.train import TrainConfig, register_tuned_model, train_lora

    check_writable(cfg.report, flag="--report", folder=True)
    cfg = cfg.checked()
    athlete = cfg.athlete
    assert athlete is not None
    own = cfg.file is not None
    if not own and simulate is None:
        raise ConfigError("the demo needs a simulator or an export", hint="peri demo --import strong FILE")
    titles = step_titles(own)
    t0 = time.perf_counter()
    res = DemoResult(athlete=athlete)
    cat = default_catalog()
    current = 0

    def emit(kind: Literal["start", "done", "train"], train: Any = None) -> None:
        res.seconds = time.perf_counter() - t0
        if progress:
            title = titles[current - 1] + (f": {cfg.file.name}" if own and current == 1 and cfg.file else "")
            progress(DemoEvent(kind=kind, step=current, title=title, elapsed_s=res.seconds, result=res, train=train))

    def start(n: int) -> None:
        nonlocal current
        current = n
        emit("start")

    start(1)
    if own:
        from .log.importers import import_file

        assert cfg.file is not None and cfg.import_fmt is not None
        res.imported = import_file(store, athlete, cfg.import_fmt, cfg.file,
                                   mapping={"unit": cfg.unit} if cfg.unit else None, create_athlete=True)
    else:
        try:
            store.get_athlete(athlete)
            res.reused = True
        except NotFound:
            assert simulate is not None
            res.simulated = simulate(store, athlete, cfg.weeks)
    ctx = load_context(store, athlete)
    res.profile = ctx.athlete
    res.unit = shown_unit(ctx.athlete, sessions=ctx.sessions)
    emit("done")

    start(2)
    res.weeks = weekly_stats(ctx.sessions, cat, weeks=4)
    emit("done")

    start(3)
    # the prompt as the embedded model gets it: with the JSON instruction its schema decodes under
    res.prompt = build_prompt(ctx, cat, Scenario.normal, 3, tokenizer=tokenizer_for("embedded"), output_format="json")
    res.plan = _summary(generate_plan(store, athlete, "embedded", scenario=Scenario.normal, detail=3,
                                      prompt_style="engineered", repair=True))
    res.rules = _summary(generate_plan(store, athlete, "rules", scenario=Scenario.normal, prompt_style="engineered"))
    emit("done")

    start(4)
    build = build_dataset(ctx, cat)
    files = write_dataset(build)
    res.dataset, res.dataset_dir = build.report, files.dir
    emit("done")

    start(5)
    name = f"{athlete}-lora"
    tc = TrainConfig.from_layers(None, {"epochs": cfg.train_epochs, "max_steps": cfg.train_steps})
    res.training = train_lora(tc, files.train, files.val, adapters_dir() / name_slug(name),
                              progress=lambda p: emit("train", p))
    register_tuned_model(store, name, res.training)
    res.tuned_model = f"ft:{name}"
    emit("done")

    start(6)
    res.evaluation = run_eval(store, EvalConfig(athlete=athlete, weeks=cfg.eval_weeks, queries_per_week=cfg.queries_per_week,
                                                approaches=OWN_EXPORT_APPROACHES if own else None))
    res.report = write_report(res.evaluation, cfg.report)
    emit("done")

    start(7)
    res.decision = run_decision({"queries_per_week": cfg.queries_per_week}, athlete, store)["recommendation_model"]
    emit("done")
    return res
