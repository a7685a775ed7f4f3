"""The one owner of peri's files on disk that other modules read back: where each lives and its typed loader.

Written by one module, read by several: the dataset build (`datasets/<athlete>/build.json`, written by
`peri.tune.dataset.write_dataset`; read by evaluation, export, hosted jobs, the decision and the guide) and the
evaluation summary (`eval/<athlete>/summary.json`, written by `peri.evaluate.harness.run_eval`; read by the
decision, graduation and the guide). Every read goes through `read_model`, so a file that is cut short, not
JSON, another program's, or from a peri that wrote a different shape is one `ArtefactError` naming the file,
what is wrong with it and the command that writes it again, never a traceback and never a silently wrong
number (a missing key read as 0).

Sits in the ground layer (errors, paths only) so that every package that reads an artefact may import it.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import PeriError

BUILD_FILE = "build.json"
BUILD_FORMAT = "openai-chat-jsonl"
SUMMARY_FILE = "summary.json"

M = TypeVar("M", bound=BaseModel)


class ArtefactError(PeriError):
    """A file peri wrote earlier cannot be read back: damaged, foreign, or from an older peri."""


def read_model(path: Path, model: type[M], *, what: str, remake: str) -> M:
    """`path` read as `model`; every way it can be wrong is one ArtefactError with `place` = the file.

    `what` names the artefact in the message ("dataset build"), `remake` is the command that writes it again
    (the hint). Extra keys are allowed by the models (a newer peri may add some); a missing or mistyped key
    the readers depend on is an error, named by its path in the file.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise ArtefactError(f"cannot read this {what}: {e.strerror or e}", place=str(p), hint=remake) from None
    if not raw.strip():
        raise ArtefactError(f"this {what} is empty (cut short when it was written?)", place=str(p), hint=remake)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ArtefactError(f"this {what} is not UTF-8 text", place=str(p), hint=remake) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        # ends inside a string, or inside its last value (`tr` of true, `1` of 12, nothing after a comma)
        cut = e.msg.startswith("Unterminated string") or (
            e.msg != "Extra data" and not re.search(r"[\s,:\[\]{}]", text[e.pos:].rstrip()))
        why = "cut short" if cut else f"not JSON at line {e.lineno} column {e.colno} ({e.msg})"
        raise ArtefactError(f"this {what} is {why}", place=str(p), hint=remake) from None
    if not isinstance(data, dict):
        raise ArtefactError(f"this {what} holds a JSON {type(data).__name__}, not an object: not a file peri wrote",
                            place=str(p), hint=remake)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(x) for x in first["loc"]) or "(top)"
        more = f" (and {e.error_count() - 1} more)" if e.error_count() > 1 else ""
        missing = first["type"] == "missing"
        why = (f"has no '{field}'{more}: written by an older peri or another program" if missing
               else f"has a bad '{field}': {first['msg']}{more}")
        raise ArtefactError(f"this {what} {why}", place=str(p), hint=remake) from None


class _Loose(BaseModel):
    """A section of a file of which peri reads some keys: the rest are kept, unchecked."""

    model_config = ConfigDict(extra="allow")


# --- the dataset build ------------------------------------------------------------------------------------
class BuildConfigInfo(_Loose):
    athlete: str


class BuildTokens(_Loose):
    mean: float = Field(ge=0)
    total: int = Field(ge=0)


class BuildReportInfo(_Loose):
    examples: int = Field(ge=0)
    train: int = Field(ge=0)
    val: int = Field(ge=0)
    weeks_logged: int = Field(ge=0)
    tokens: BuildTokens


class BuildExampleInfo(_Loose):
    split: Literal["train", "val"]
    line: int = Field(ge=1)
    week_start: dt.date
    scenario: str


class BuildInfo(_Loose):
    """What `build.json` holds (`peri.tune.dataset.write_dataset`): the resolved config, the report, the
    dataset hash (of train + val) and where each example came from."""

    format: Literal["openai-chat-jsonl"]
    config: BuildConfigInfo
    dataset_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    report: BuildReportInfo
    examples: list[BuildExampleInfo]

    @property
    def athlete(self) -> str:
        return self.config.athlete

    def train_cutoff(self) -> dt.date | None:
        """The last week a model trained on this build saw."""
        weeks = [e.week_start for e in self.examples if e.split == "train"]
        return max(weeks) if weeks else None


class _BuildOwner(_Loose):
    config: BuildConfigInfo


def _legacy_dataset_dir(d: Path, athlete: str) -> Path:
    return d.parent / (re.sub(r"[^A-Za-z0-9._-]+", "_", athlete).strip("._")[:200] or "athlete")


def dataset_dir(athlete: str, home: Path | None = None) -> Path:
    """PERI_HOME/datasets/<slug>: one folder per athlete, named by `peri.paths.name_slug`.

    A dataset built before names were hashed (`Ana_Lopez` for "Ana Lopez") is still found there, as long
    as its build.json says it is this athlete's (a damaged legacy build is not claimed).
    """
    from .paths import home_subdir

    d = home_subdir("datasets", athlete, home)
    if not d.exists():
        legacy = _legacy_dataset_dir(d, athlete)
        if (legacy / BUILD_FILE).is_file():
            try:  # only the owner is asked here: the build itself is checked when it is read
                owner = read_model(legacy / BUILD_FILE, _BuildOwner, what="dataset build", remake="").config.athlete
            except PeriError:
                owner = None
            if owner == athlete:
                return legacy
    return d


def build_info_path(athlete: str, home: Path | None = None) -> Path:
    return dataset_dir(athlete, home) / BUILD_FILE


def load_build_info_file(path: Path, athlete: str | None = None) -> BuildInfo:
    """One build.json, checked (see `read_model`)."""
    who = athlete or "NAME"
    return read_model(path, BuildInfo, what="dataset build",
                      remake=f"build it again: `peri dataset build --athlete {who}`")


def load_build_info(athlete: str, home: Path | None = None) -> BuildInfo | None:
    """The athlete's dataset build, or None when none was built; a damaged one is an ArtefactError."""
    p = build_info_path(athlete, home)
    if not p.exists():
        return None
    return load_build_info_file(p, athlete)


# --- the evaluation summary --------------------------------------------------------------------------------
class ApproachSummary(BaseModel):
    """One approach's row of an evaluation: its scores, findings, tokens, latency and cost."""

    approach: str
    model: str
    kind: str = "product"
    n: int
    valid_rate: float
    score_mean: float | None = None
    score_ci: float | None = None
    score_repaired_mean: float | None = None
    score_repaired_ci: float | None = None
    breakdown_mean: dict[str, float] = Field(default_factory=dict)
    high_findings_mean: float = 0.0
    findings_mean: float = 0.0
    findings_after_repair_mean: float = 0.0
    rating_mean: float | None = None
    prompt_tokens_mean: float | None = None
    output_tokens_mean: float | None = None
    latency_mean: float | None = None
    latency_ci: float | None = None
    cost_per_query: float | None = None
    cost_per_month: float | None = None


class EvalSummary(BaseModel):
    """What `summary.json` holds (`peri.evaluate.harness.run_eval`): the products a person could choose under
    `approaches`, the baselines and references that frame them under `baselines`."""

    model_config = ConfigDict(extra="allow")

    athlete: str
    approaches: dict[str, ApproachSummary]
    baselines: dict[str, ApproachSummary] = Field(default_factory=dict)
    headline: str = "raw"
    verdict: list[str] = Field(default_factory=list)


def eval_summary_path(athlete: str, home: Path | None = None) -> Path:
    from .paths import home_subdir, peri_home

    return home_subdir("eval", athlete, home or peri_home()) / SUMMARY_FILE


def load_eval_summary(athlete: str, home: Path | None = None) -> EvalSummary | None:
    """The athlete's latest evaluation summary, or None when none was run; a damaged one is an ArtefactError."""
    p = eval_summary_path(athlete, home)
    if not p.exists():
        return None
    return read_model(p, EvalSummary, what="evaluation summary",
                      remake=f"run the evaluation again: `peri eval --athlete {athlete}`")
