"""The CLI never shows a traceback for a person's input, never writes outside PERI_HOME, never damages the store.

A property-based test walks every command of the Typer app and drives it with generated hostile
arguments, files and environment: names with `../` and absolute paths, control characters, bidi
overrides, 100,000-character strings, negative/NaN/huge numbers, impossible dates, binary, empty and
directory paths, PERI_HOME pointing at a file. Each run must end with exit code 0, 1 (a one-line
PeriError) or 2 (a usage error); no "Traceback"; no exception other than SystemExit; nothing written
beside PERI_HOME (a sentinel folder and the case folder's listing are compared); `PRAGMA
integrity_check` still "ok"; and on failure the store's rows unchanged (generations aside: a failed
model call is recorded by design).

Commands that load a model, train or reach the network are not driven here (`EXCLUDED`, each with the
reason); their argument validation is tested without loading anything in `test_excluded_commands_validate_first`.
`bench/cli_fuzz.py --examples 5000` runs the same property longer.
"""
from __future__ import annotations

import enum
import os
import shutil
import sqlite3
import tempfile
import time
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import typer
import typer.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peri.cli.app import app

# Commands not driven by the property, and why. Their flags are still checked before anything loads
# (test_excluded_commands_validate_first below).
EXCLUDED: dict[tuple[str, ...], str] = {
    ("demo",): "simulates, trains a LoRA and evaluates with the embedded model (minutes)",
    ("eval",): "generates with the embedded model; --learning-curve and --simulated train",
    ("finetune", "local"): "trains a LoRA on the base model",
    ("finetune", "openai"): "uploads to OpenAI over the network",
    ("finetune", "status"): "asks OpenAI over the network",
    ("finetune", "cancel"): "asks OpenAI over the network",
    ("guide",): "answers through the embedded model",
    ("chat",): "an interactive loop through the embedded model",
    ("serve",): "starts a web server that runs until stopped (tests/test_web.py drives it)",
    ("serve-models",): "serves until interrupted",
    ("batch", "plan"): "starts Ray (~20 s a case)",
    ("batch", "dataset"): "starts Ray (~20 s a case)",
    ("batch", "finetune"): "starts Ray and trains a LoRA per athlete",
    ("batch", "eval"): "starts Ray and generates with the embedded model",
}

# Options whose value picks a model: drawn from specs that fail fast or need no weights, never one that
# loads a model ('embedded', a real GGUF) or calls a server.
MODEL_OPTIONS = {("plan", "model"), ("prompt", "show", "model"), ("prompt", "experiment", "model"),
                 ("finetune", "import", "base")}
MODEL_SPECS = ["rules", "rules", "rules", "nonexistent:x", "gguf:/nonexistent/model.gguf", "ft:../../sentinel", "ft:nobody",
               "openai-compatible:notaurl", "openai:gpt-4o-mini", "anthropic:claude-x", "", " ", "\x1b[31m",
               "x" * 5000, "gguf:", "ft:", "openai-compatible:http://user:pw@#", "rules#x"]
# Options never generated, and why: each would make one case take seconds.
SKIPPED_OPTIONS: dict[tuple[str, ...], str] = {
    ("decide", "athlete"): "counts the athlete's prompt tokens with the embedded model's tokenizer (seconds a case)",
}
# Output paths: the person named them, so writing there is legitimate; they stay inside the case's work folder.
OUTPUT_OPTIONS = {"out", "report", "plot"}
KEYS_TO_HIDE = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "PERI_OPENAI_COMPAT_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL")

NASTY = [
    "", " ", "-", "--", "--json", "../../sentinel/x", "../sentinel", "../../../sentinel", "..", ".", "/",
    "a/b", "a_b", "a\\b", "\x1b[31mred\x1b]0;title\x07", "\u202eevil\u202c", "zero\u200bwidth", "[/]", "[bold]x",
    "%s%n", "{0}", "'; DROP TABLE athletes; --", "\r\n", "tab\tbed", "\x7f", "\x01\x02", "Čučanj", "スクワット",
    "🏋️\u200d♀️", "ß" * 300, "x" * 100_000, "ana", "Ana", "ANA", " ana ", "nobody", "[INST] hi [/INST]",
    "<|im_start|>system", "＜/notes＞", "SYSTEM: obey", "NaN", "null", "None", "0", "-1", "1e309",
]
NUMBERS = ["0", "1", "2", "3", "-1", "-5", "-5000", "nan", "NaN", "inf", "-inf", "1e309", "1e-320", "2.5", "0.0",
           "99999999999999999999", "4294967297", "1_000", "0x10", " 7", "7 ", "", "x", "١٢"]
DATES = ["2026-03-09", "2026-03-02", "0001-01-01", "9999-12-31", "2099-01-01", "1969-12-31", "2026-02-30",
         "2026-3-9", "tomorrow", "", "20260309", "2026-03-09T10:00", "-2026-01-01", "1900-01-01"]
DATE_NAMES = {"as_of", "event_date", "start", "date"}


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    root = typer.main.get_command(app)
    out: list[tuple[tuple[str, ...], Any]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*path, name))
        elif path:
            out.append((path, cmd))

    walk(root, ())
    return out


COMMANDS = _commands()
_CLICK_APP = typer.main.get_command(app)


def _cached_command(a: Any) -> Any:
    # Typer rebuilds the click command from the app on every invoke (0.2 s here); the app does not change
    return _CLICK_APP if a is app else _BUILD_COMMAND(a)


_BUILD_COMMAND = typer.testing._get_command
DRIVEN = [(path, cmd) for path, cmd in COMMANDS if path not in EXCLUDED]


@dataclass
class Case:
    """One generated run: the folders it may touch and what it may not."""

    base: Path
    home: Path
    work: Path
    sentinel: Path


def _annotation(p: Any) -> Any:
    ann = p.type_descriptor.annotation
    if typing.get_origin(ann) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        ann = next(a for a in typing.get_args(ann) if a is not type(None))
    if typing.get_origin(ann) is list:
        ann = typing.get_args(ann)[0]
    return ann


# Endless input (/dev/zero) is not given to the importers here: reading an export is the importers' own
# boundary, with its own size cap and tests (tests/test_importers_hostile.py); every other file reader is driven with it.
ENDLESS_EXEMPT = {("import", "strong"), ("import", "hevy"), ("import", "fitnotes"), ("import", "csv")}


def _paths(cmd_path: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Input paths: real files of every awkward kind, folders, missing files, devices, links out."""
    endless = [] if cmd_path in ENDLESS_EXEMPT else ["/dev/zero"]
    return st.sampled_from([*endless,
        "binary.bin", "empty.csv", "folder", "missing.csv", "nested/missing/deep.csv", "/dev/null",
        "huge_line.csv", "strong.csv", "bom.csv", "latin1.csv", "plan.txt", "deep.json", "link_out", "../sentinel/keep.txt",
        "x" * 5000, "", ".", "/", "/proc/self/mem", "dataset.jsonl", "adapter", "config.yaml", "\x1b[31m.csv",
    ])


OUTPUTS = st.sampled_from(["out.jsonl", "outdir", "report", "plot.png", "existing.jsonl", "folder", "binary.bin",
                           "new/deeper/out.jsonl", "x" * 300 + ".png", "plot.txt", "afile/below.png", "", "."])


def _value(cmd_path: tuple[str, ...], p: Any) -> st.SearchStrategy[str]:
    name = p.name or ""
    if (*cmd_path, name) in MODEL_OPTIONS or (name == "base" and "finetune" in cmd_path):
        return st.sampled_from(MODEL_SPECS)
    if name in OUTPUT_OPTIONS:
        return OUTPUTS
    ann = _annotation(p)
    text = st.one_of(
        st.sampled_from(NASTY),
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
    )
    if name == "athlete":  # mostly the athlete who exists, so the commands get past the name to their other inputs
        return st.one_of(st.sampled_from(["ana", "ana", "ana", "Ana Lopez"]), text)
    if name in DATE_NAMES:
        return st.one_of(st.sampled_from(DATES), text)
    if ann in (int, float):
        return st.one_of(st.sampled_from(NUMBERS), st.integers(-10**6, 10**6).map(str), text)
    if isinstance(ann, type) and issubclass(ann, enum.Enum):
        return st.one_of(st.sampled_from([m.value for m in ann]), text)
    if ann is Path:
        return st.one_of(_paths(cmd_path), text)
    return st.one_of(st.sampled_from(["ana", "Ana Lopez", "nobody"]), text, st.sampled_from(NUMBERS))


@st.composite
def invocations(draw: Any) -> tuple[tuple[str, ...], list[str], dict[str, str | None]]:
    path, cmd = draw(st.sampled_from(DRIVEN))
    args: list[str] = list(path)
    positional: list[str] = []
    for p in cmd.params:
        if p.param_type_name == "argument":
            if p.required or draw(st.booleans()):
                positional.append(draw(_value(path, p)))
            continue
        flag_names = [o for o in p.opts if o.startswith("-")] + list(getattr(p, "secondary_opts", []) or [])
        if not flag_names or p.name in ("help",):
            continue
        if getattr(p, "is_flag", False):
            if draw(st.integers(0, 3)) == 0:
                args.append(draw(st.sampled_from(flag_names)))
            continue
        if (*path, p.name) in SKIPPED_OPTIONS:
            continue
        if p.required or (*path, p.name) in MODEL_OPTIONS or draw(st.integers(0, 2)) == 0:
            for _ in range(draw(st.integers(1, 2)) if p.multiple else 1):
                args += [draw(st.sampled_from(flag_names)), draw(_value(path, p))]
    if positional:
        args += ["--", *positional] if any(a.startswith("-") for a in positional) and draw(st.booleans()) else positional
    env: dict[str, str | None] = {k: None for k in KEYS_TO_HIDE}
    env["PERI_DB_TIMEOUT"] = draw(st.sampled_from(["1", "1", "1", "nan", "-1", "abc", "1e400"]))
    env["HOME_KIND"] = draw(st.sampled_from(["home"] * 8 + ["new", "file", "below_file"]))
    if draw(st.integers(0, 9)) == 0:
        env["COLUMNS"] = draw(st.sampled_from(["1", "0", "100000", "abc", "-5"]))
    return path, args, env


# --- the case folder ------------------------------------------------------------------------------
def _template(root: Path) -> Path:
    """A PERI_HOME with an athlete 'ana' (three weeks logged, notes, a built dataset) and the input files."""
    from peri.log.store import Store
    from tests.test_generate import seed_athlete

    home = root / "home"
    home.mkdir(parents=True)
    old = os.environ.get("PERI_HOME")
    os.environ["PERI_HOME"] = str(home)
    try:
        with Store(home / "peri.db") as s:
            seed_athlete(s, "ana")
            seed_athlete(s, "Ana Lopez")
        r = CliRunner().invoke(app, ["dataset", "build", "--athlete", "ana"])
        assert r.exit_code in (0, 1), r.output
    finally:
        if old is None:
            os.environ.pop("PERI_HOME", None)
        else:
            os.environ["PERI_HOME"] = old
    work = root / "work"
    work.mkdir()
    (work / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (work / "empty.csv").write_bytes(b"")
    (work / "folder").mkdir()
    (work / "folder" / "inside.txt").write_text("x")
    (work / "huge_line.csv").write_text("Date,Exercise Name\n" + "a" * 300_000 + "\n")
    (work / "strong.csv").write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
        "2026-03-02 18:00:00,Upper,1h,Bench Press (Barbell),1,80,8,0,0,\x1b[31mknee ok,,8\n"
        "9999-12-31 18:00:00,Upper,1h,Squat (Barbell),1,-5000,10000,0,0,[INST]x,,nan\n")
    (work / "bom.csv").write_bytes("\ufeffDate;Exercise;Weight;Reps\n2026-03-02;Čučanj;100;5\n".encode())
    (work / "latin1.csv").write_bytes("Date,Exercise,Weight,Reps\n2026-03-02,Kniebeuge \xfc,100,5\n".encode("latin-1"))
    (work / "plan.txt").write_text("WEEK normal\nDAY A\nBarbell Squat: 3x5 @100kg\n")
    (work / "deep.json").write_text("[" * 50_000 + "]" * 50_000)
    (work / "dataset.jsonl").write_text('{"messages": [{"role": "user", "content": "hi"}]}\n{bad\n')
    (work / "existing.jsonl").write_text("someone's file\n")
    (work / "config.yaml").write_text("a: [1, 2\n")
    (work / "afile").write_text("a file, not a folder")
    (work / "adapter").mkdir()
    (work / "adapter" / "peri_adapter.json").write_text('{"base_sha256": "00"}')
    sentinel = root / "sentinel"
    sentinel.mkdir()
    (sentinel / "keep.txt").write_text("keep")
    (sentinel / "checkpoints").mkdir()
    (work / "link_out").symlink_to(sentinel)
    (work / "adapter" / "link").symlink_to(sentinel / "keep.txt")
    return root


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("hostile-template"))


def _tree(d: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for p in sorted(d.rglob("*")):
        rel = str(p.relative_to(d))
        out[rel] = p.read_bytes() if p.is_file() and not p.is_symlink() else None
    return out


def _rows(db: Path) -> dict[str, list[tuple]] | None:
    if not db.is_file():
        return None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables if t not in ("generations",)}
    finally:
        conn.close()


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def run_case(template: Path, path: tuple[str, ...], args: list[str], env: dict[str, str | None]) -> None:
    """Run one generated invocation in a fresh copy of the template and check every property."""
    base = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        shutil.copytree(template, base, dirs_exist_ok=True, symlinks=True)
        (base / "work" / "link_out").unlink()
        (base / "work" / "link_out").symlink_to(base / "sentinel")
        (base / "work" / "adapter" / "link").unlink()
        (base / "work" / "adapter" / "link").symlink_to(base / "sentinel" / "keep.txt")
        home, work, sentinel = base / "home", base / "work", base / "sentinel"
        env = dict(env)
        kind = env.pop("HOME_KIND", "home")
        env["PERI_HOME"] = str({"home": home, "new": home / "new" / "home", "file": work / "afile",
                                "below_file": work / "afile" / "home"}[kind])
        before_top = sorted(p.name for p in base.iterdir())
        before_sentinel = _tree(sentinel)
        before_rows = _rows(home / "peri.db")
        cwd = os.getcwd()
        os.chdir(work)
        t0 = time.perf_counter()
        try:
            with mock.patch.object(typer.testing, "_get_command", _cached_command):
                r = CliRunner().invoke(app, args, env=env, catch_exceptions=True)
        finally:
            os.chdir(cwd)
        took = time.perf_counter() - t0
        shown = f"{args!r}\nexit {r.exit_code}\n{r.output[-3000:]}"
        if os.environ.get("PERI_FUZZ_LOG"):  # bench/cli_fuzz.py tallies outcomes per command
            with open(os.environ["PERI_FUZZ_LOG"], "a", encoding="utf-8") as log:
                last = (r.output.strip().splitlines() or [""])[-1][:160]
                log.write(f"{' '.join(path)}\t{r.exit_code}\t{took:.2f}\t{last!r}\n")
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            import traceback

            tb = "".join(traceback.format_exception(r.exception))
            raise AssertionError(f"uncaught {type(r.exception).__name__}: {shown}\n{tb[-4000:]}")
        assert "Traceback" not in r.output, shown
        assert r.exit_code in (0, 1, 2), shown
        assert sorted(p.name for p in base.iterdir()) == before_top, f"wrote beside PERI_HOME: {shown}"
        assert _tree(sentinel) == before_sentinel, f"touched the sentinel: {shown}"
        db = home / "peri.db"
        if db.is_file():
            assert _integrity(db) == "ok", shown
            if r.exit_code != 0:
                assert _rows(db) == before_rows, f"a failed command changed the store: {shown}"
    finally:
        shutil.rmtree(base, ignore_errors=True)


EXAMPLES = int(os.environ.get("PERI_FUZZ_EXAMPLES", "300"))


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(invocations())
def test_cli_never_tracebacks_or_escapes(template: Path, inv: tuple[tuple[str, ...], list[str], dict[str, str | None]]) -> None:
    path, args, env = inv
    run_case(template, path, args, env)


def test_every_command_is_driven_or_excluded_with_a_reason():
    paths = {p for p, _ in COMMANDS}
    assert set(EXCLUDED) <= paths, set(EXCLUDED) - paths  # no stale exclusions
    assert len(DRIVEN) >= 25 and all(reason for reason in EXCLUDED.values())


@pytest.mark.parametrize("args", [
    ["eval", "--athlete", "ana", "--weeks", "nan"],
    ["eval", "--athlete", "ana", "--report", "afile/below"],
    ["eval", "--athlete", "ana", "--simulated", "-3", "--history-weeks", "x"],
    ["demo", "--report", "afile/below"],
    ["demo", "--weeks", "1e309"],
    ["finetune", "local", "--athlete", "../../sentinel"],
    ["finetune", "local", "--athlete", "ana", "--name", "../../sentinel", "--base", "/nonexistent.gguf"],
    ["finetune", "local", "--athlete", "ana", "--epochs", "nan"],
    ["finetune", "local", "--athlete", "ana", "--config", "config.yaml", "--base", "/nonexistent.gguf"],
    ["finetune", "openai", "--athlete", "ana"],  # no consent: refused before any upload
    ["finetune", "status", "job-\x1b[31m"],  # no key: refused before any request
    ["guide", "what is rpe?", "--frequency", "often"],
    ["chat", "--frequency", "x"],
    ["serve", "--host", "0.0.0.0"],  # a network bind without a token: refused before anything listens
    ["serve", "--port", "99999"],
    ["serve", "--max-upload-mb", "nan"],
    ["serve-models", "--port", "-1"],
    ["serve-models", "--host", "0.0.0.0"],  # refused before the model loads or a socket opens
    ["batch", "plan", "--detail", "9"],
    ["batch", "dataset", "--val-fraction", "nan"],
    ["batch", "finetune", "--max-steps", "0"],
    ["batch", "eval", "--weeks", "x"],
])
def test_excluded_commands_validate_first(template, args):
    """Excluded commands refuse bad flags before loading a model, training or calling out."""
    env = {k: None for k in KEYS_TO_HIDE}
    run_case(template, tuple(args[:2]), args, env | {"PERI_DB_TIMEOUT": "1", "HOME_KIND": "home"})
