"""Export a built dataset as a hosted provider's chat JSONL (OpenAI, Together AI, Fireworks AI: the same
examples and the same time split, each file then checked against that provider's documented rules) or a
Hugging Face `datasets` dataset, optionally redacted.

Redaction (`redact=True`) rewrites every message before it is written:
- the athlete's name (whole, and each capitalised part of three letters or more) becomes "the athlete";
- dates become "[date]": ISO (2026-03-02), slashed or dotted (02/03/2026, 2.3.26), and written-out
  ("Mar 2, 2026", "2 March", "March 2nd"); a plan's `WEEK scenario YYYY-MM-DD` header loses its date
  instead, so the output still parses as a plan;
- free-text notes: the note after ` | ` on a plan line, quoted text ("...", “...”, «...») and anything
  inside <note>/<notes>/<data> delimiters becomes "[note]".
Numbers (loads, sets, RPE), exercise names and annotation tags stay: they are what the model learns from.
Health data remains health data after redaction; the export still warns when it is meant for a provider.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..artefacts import BUILD_FILE, load_build_info_file
from ..errors import DatasetError, PeriError
from ..redact import redact_obj
from .dataset import DatasetBuild, DatasetFiles, example_line, read_examples
from .hosted.base import HEALTH_DATA_WARNING

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE_PATTERNS = [
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"),
    re.compile(r"\b\d{4}/\d{1,2}/\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTHS}\.?(?:,?\s+\d{{4}})?\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTHS}\.?\s+\d{{4}}\b", re.IGNORECASE),
]
_WEEK_HEADER = re.compile(r"^(\s*WEEK\s+\w+)\s+\d{4}-\d{2}-\d{2}\s*$", re.IGNORECASE | re.MULTILINE)
_PLAN_NOTE = re.compile(r"^(.*?:\s*\d+\s*[x×]\s*\d[^|\n]*?)\s*\|[^\n]*$", re.IGNORECASE | re.MULTILINE)
_DELIMITED = re.compile(r"<(note|notes|data)>.*?</\1>", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"\"[^\"\n]+\"|“[^”\n]+”|«[^»\n]+»|„[^“”\n]+[“”]")


class ExportResult(BaseModel):
    format: Literal["openai", "together", "fireworks", "hf"]
    paths: list[Path]
    examples: dict[str, int]
    redacted: bool
    warnings: list[str] = Field(default_factory=list)


def redact_text(text: str, athlete: str | None = None) -> str:
    """`text` with names, dates and free-text notes taken out (see the module docstring)."""
    out = _WEEK_HEADER.sub(r"\1", text)
    out = _PLAN_NOTE.sub(r"\1", out)
    out = _DELIMITED.sub(lambda m: f"<{m.group(1)}>[note]</{m.group(1)}>", out)
    out = _QUOTED.sub('"[note]"', out)
    for p in _DATE_PATTERNS:
        out = p.sub("[date]", out)
    if athlete and athlete.strip():
        out = re.sub(rf"(?<!\w){re.escape(athlete.strip())}(?!\w)", "the athlete", out, flags=re.IGNORECASE)
        for part in re.split(r"[\s_.-]+", athlete.strip()):
            if len(part) >= 3 and part[0].isupper():
                out = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", "the athlete", out)
    return out


def redact_messages(messages: list[dict[str, Any]], athlete: str | None = None) -> list[dict[str, Any]]:
    return [{**m, "content": redact_text(m["content"], athlete) if isinstance(m.get("content"), str) else m.get("content")}
            for m in messages]


def _load(source: DatasetBuild | DatasetFiles | Path | str) -> tuple[dict[str, list[list[dict[str, Any]]]], str | None]:
    """The split -> examples of a build, its files, or a dataset directory; plus the athlete's name."""
    if isinstance(source, DatasetBuild):
        return ({"train": [e.messages for e in source.train], "val": [e.messages for e in source.val]},
                source.config.athlete)
    d = source.dir if isinstance(source, DatasetFiles) else Path(source)
    if d.is_file():
        return {"train": read_examples(d), "val": []}, None
    train, val, meta = d / "train.jsonl", d / "val.jsonl", d / BUILD_FILE
    if not train.exists():
        raise DatasetError("no train.jsonl here", place=str(d), hint="run `peri dataset build --athlete NAME` first")
    athlete = None
    if meta.exists():
        athlete = load_build_info_file(meta).athlete
    return {"train": read_examples(train), "val": read_examples(val) if val.exists() else []}, athlete


def _splits(source: Any, redact: bool, athlete: str | None) -> tuple[dict[str, list[list[dict[str, Any]]]], str | None]:
    splits, name = _load(source)
    name = athlete or name
    # an export leaves the machine: no key (pasted into a note, echoed into a build file) goes with it
    splits = redact_obj(splits)
    if redact:
        splits = {k: [redact_messages(m, name) for m in v] for k, v in splits.items()}
    return splits, name


def _refuse_existing(paths: list[Path], force: bool) -> None:
    """Every file an export would write is named up front; an existing one is replaced only with force."""
    for p in paths:
        if p.is_dir() and p.suffix == ".jsonl":
            raise PeriError(f"{p} is a directory", place=str(p), hint="give a file name or a folder without .jsonl")
        if p.exists() and not force:
            raise PeriError(f"{p} already exists", place=str(p), hint="choose another --out, or pass --force to replace it")


def export_provider(source: DatasetBuild | DatasetFiles | Path | str, out: Path | str, provider: str, *,
                    redact: bool = False, athlete: str | None = None, force: bool = False) -> ExportResult:
    """Chat JSONL for `provider` (openai, together, fireworks): written as `export_openai` writes it, then each
    file checked against the provider's rules; every problem, with its file and line, becomes a warning."""
    from .hosted import DEFAULT_MODELS
    from .provider_rules import rules_for
    from .validate import check_file

    rules_for(provider)  # an unknown provider is refused before anything is written
    result = export_openai(source, out, redact=redact, athlete=athlete, force=force)
    result.format = provider  # type: ignore[assignment]
    for path in result.paths:
        problems = check_file(path, fmt=provider, model=DEFAULT_MODELS[provider])  # type: ignore[arg-type]
        result.warnings += [f"{path}:{p.line or ''} {p.kind}: {p.message}" for p in problems]
    return result


def export_openai(source: DatasetBuild | DatasetFiles | Path | str, out: Path | str, *, redact: bool = False,
                  athlete: str | None = None, force: bool = False) -> ExportResult:
    """OpenAI chat JSONL. `out` ending in .jsonl: training file there and validation beside it as
    `<stem>.val.jsonl`; otherwise a directory receiving train.jsonl and val.jsonl. Those are the only
    files written, and an existing one is replaced only with `force` (checked before anything is written)."""
    splits, _ = _splits(source, redact, athlete)
    out = Path(out)
    if out.suffix == ".jsonl":
        paths = {"train": out, "val": out.with_name(f"{out.stem}.val.jsonl")}
    else:
        if out.exists() and not out.is_dir():
            raise PeriError(f"{out} is a file, not a folder", place=str(out), hint="give a folder, or a name ending in .jsonl")
        paths = {"train": out / "train.jsonl", "val": out / "val.jsonl"}
    _refuse_existing([p for split, p in paths.items() if split == "train" or splits[split]], force)
    written = []
    for split, p in paths.items():
        if split == "val" and not splits[split]:
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.tmp")
        tmp.write_text("".join(example_line(m) + "\n" for m in splits[split]), encoding="utf-8")
        tmp.replace(p)
        written.append(p)
    warnings = [HEALTH_DATA_WARNING]
    if not redact:
        warnings.append("Not redacted: names, dates and free-text notes are still in the file (--redact strips them).")
    return ExportResult(format="openai", paths=written, examples={k: len(v) for k, v in splits.items()},
                        redacted=redact, warnings=warnings)


def export_hf(source: DatasetBuild | DatasetFiles | Path | str, out_dir: Path | str, *, redact: bool = False,
              athlete: str | None = None, force: bool = False) -> ExportResult:
    """A `datasets.DatasetDict` (train / validation, one `messages` column) saved with `save_to_disk`."""
    try:
        from datasets import Dataset, DatasetDict
    except ImportError:  # pragma: no cover - datasets is a declared dependency
        from ..errors import ConfigError

        raise ConfigError("the datasets package is not installed", hint="pip install datasets") from None
    splits, _ = _splits(source, redact, athlete)
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise PeriError(f"{out} already exists", place=str(out), hint="choose another --out, or pass --force to replace it")
    features = _messages_features()
    dd = DatasetDict({
        "train": Dataset.from_dict({"messages": splits["train"]}, features=features),
        "validation": Dataset.from_dict({"messages": splits["val"]}, features=features),
    })
    dd.save_to_disk(str(out))
    warnings = []
    if not redact:
        warnings.append("This dataset holds health data and is not redacted; keep it local, or rerun with --redact "
                        "before pushing it to a hub or a hosted trainer.")
    return ExportResult(format="hf", paths=[out], examples={"train": len(splits["train"]), "validation": len(splits["val"])},
                        redacted=redact, warnings=warnings)


def _messages_features() -> Any:
    from datasets import Features, List, Value

    return Features({"messages": List({"role": Value("string"), "content": Value("string")})})
