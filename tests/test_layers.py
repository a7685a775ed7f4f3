"""The import graph: data flows one way (docs/architecture.md), so no package imports one above it and no two
packages import each other through any path; and the two faces (CLI, web app) hold no workflow of their own.

Read from the source with `ast` (imports inside functions count too: a lazy import is still an arrow).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "peri"

# Lowest first. A package may import only packages of a lower rank (never its own rank's siblings): the
# ground (redaction, errors, paths, prices), the log, plans, the two sides that read the log (simulator,
# prompts), what turns prompts into plans or datasets (backends, tune), generation, evaluation, the decision,
# the guide, then the faces: the web app, and the CLI (which starts the web app).
LAYERS: list[set[str]] = [
    {"redact", "data"}, {"errors"}, {"paths"}, {"artefacts", "model_spec"}, {"prices"},
    {"log"}, {"plans"}, {"sim", "prompts"}, {"backends", "tune"}, {"decoding"}, {"generate", "prompt_view"}, {"evaluate"}, {"decide"},
    {"guide", "demo", "batch"}, {"web"}, {"cli"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _module_name(path: Path) -> tuple[str, bool]:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    is_pkg = parts[-1] == "__init__"
    if is_pkg:
        parts = parts[:-1]
    return ".".join(parts), is_pkg


def _units() -> set[str]:
    """The top-level units of peri: its subpackages and its top-level modules."""
    out = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    out |= {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    return out


def import_graph() -> dict[str, dict[str, list[str]]]:
    """unit -> imported unit -> the files (file:line) that import it."""
    units = _units()
    graph: dict[str, dict[str, list[str]]] = {}
    for f in SRC.rglob("*.py"):
        mod, is_pkg = _module_name(f)
        parts = mod.split(".")
        src = parts[1] if len(parts) > 1 else None
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for n in ast.walk(tree):
            targets: list[str] = []
            if isinstance(n, ast.Import):
                targets = [a.name for a in n.names]
            elif isinstance(n, ast.ImportFrom):
                if n.level:
                    base = parts if is_pkg else parts[:-1]
                    base = base[: len(base) - (n.level - 1)]
                    stem = ".".join(base + ([n.module] if n.module else []))
                    targets = [stem] if n.module else [f"{stem}.{a.name}" for a in n.names]
                else:
                    targets = [n.module or ""]
            for t in targets:
                tp = t.split(".")
                if tp[0] != "peri" or len(tp) < 2 or tp[1] not in units:
                    continue
                dst = tp[1]
                if src is not None and dst != src:
                    graph.setdefault(src, {}).setdefault(dst, []).append(f"{f.relative_to(SRC.parent)}:{n.lineno}")
    return graph


def test_every_unit_has_a_layer() -> None:
    missing = _units() - set(RANK) - {"__main__"}
    assert not missing, f"new top-level unit(s) {sorted(missing)}: give each a layer in LAYERS (tests/test_layers.py) " \
                        "and a line in docs/architecture.md"


def test_no_arrow_runs_up_or_sideways() -> None:
    bad = []
    for src, dsts in import_graph().items():
        for dst, where in dsts.items():
            if src in RANK and dst in RANK and RANK[dst] >= RANK[src]:
                bad.append(f"{src} -> {dst} ({', '.join(where[:3])})")
    assert not bad, "imports against the data flow:\n" + "\n".join(sorted(bad))


def test_no_package_loop() -> None:
    graph = {s: set(d) for s, d in import_graph().items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(u: str) -> list[str] | None:
        state[u] = 1
        stack.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                return stack[stack.index(v):] + [v]
            if v not in state and (loop := visit(v)):
                return loop
        stack.pop()
        state[u] = 2
        return None

    for u in sorted(graph):
        if u not in state:
            loop = visit(u)
            assert loop is None, "package loop: " + " -> ".join(loop)


def test_every_unit_has_a_layer() -> None:
    """A new package or top-level module must be placed in LAYERS, or its arrows would go unchecked."""
    unranked = sorted(_units() - set(RANK))
    assert not unranked, f"place these in LAYERS (tests/test_layers.py): {unranked}"


def test_the_checker_finds_a_planted_upward_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The graph reader sees relative, absolute and function-local imports (else the tests above prove nothing)."""
    import shutil

    fake = tmp_path / "peri"
    for name in ("log", "decide", "web"):
        (fake / name).mkdir(parents=True)
        (fake / name / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "log" / "a.py").write_text("def f():\n    from ..decide import x\n")
    (fake / "log" / "b.py").write_text("import peri.web.app\n")
    (fake / "decide" / "c.py").write_text("from peri.log import a\n")
    monkeypatch.setattr(__import__(__name__), "SRC", fake)
    g = import_graph()
    assert set(g["log"]) == {"decide", "web"} and set(g["decide"]) == {"log"}
    shutil.rmtree(fake)


# --- the faces hold no workflow -------------------------------------------------------------------------

CLI = SRC / "cli"
# Imports that are types, formatting or the CLI's own helpers, not a workflow step.
NOT_A_STEP = {"errors", "paths", "redact", "plans.view", "plans.schema", "log.models", "decide.cost"}
MAX_STEPS = 5  # library modules one command may reach into (load the context, build, call, format)
MAX_LINES = 60  # lines of one command function, docstring left out


def _library_imports(fn: ast.AST) -> set[str]:
    out = set()
    for n in ast.walk(fn):
        if isinstance(n, ast.ImportFrom):
            if n.level >= 2 and n.module:
                m = n.module
            elif n.level == 0 and (n.module or "").startswith("peri."):
                m = n.module[5:]
            else:
                continue
            if not m.startswith(("cli", "web")) and m not in NOT_A_STEP:
                out.add(m)
    return out


def _commands() -> list[tuple[str, ast.FunctionDef]]:
    out = []
    for f in sorted(CLI.glob("*.py")):
        if f.name in ("__init__.py", "app.py", "common.py"):
            continue
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(n, ast.FunctionDef) and not n.name.startswith("_") and n.name != "register":
                out.append((f"{f.name}:{n.name}", n))
    return out


def test_commands_are_parse_call_print() -> None:
    """A command parses its flags, calls one library function and prints: it reaches into at most MAX_STEPS
    library modules and is at most MAX_LINES long. A workflow (the demo, the prompt experiment) lives in the
    library, where the web app calls it too."""
    heavy = []
    for name, fn in _commands():
        steps = _library_imports(fn)
        body = fn.body[1:] if isinstance(fn.body[0], ast.Expr) and isinstance(fn.body[0].value, ast.Constant) else fn.body
        lines = body[-1].end_lineno - body[0].lineno + 1 if body else 0
        if len(steps) > MAX_STEPS or lines > MAX_LINES:
            heavy.append(f"{name}: {len(steps)} library modules ({', '.join(sorted(steps))}), {lines} lines")
    assert not heavy, "commands holding workflow logic (move it into a library function):\n" + "\n".join(heavy)


def test_the_web_app_calls_the_library_not_the_cli() -> None:
    for f in (SRC / "web").rglob("*.py"):
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(n, ast.ImportFrom):
                assert not (n.module or "").startswith(("cli", "peri.cli")), f"{f.name} imports the CLI"


def test_the_prompt_experiment_command_calls_the_library_function() -> None:
    from peri.cli import generate_commands

    src = Path(generate_commands.__file__).read_text(encoding="utf-8")
    assert "run_prompt_experiment(" in src and "prompt_history(" in src
    assert "generate_plan(" not in src.split("def experiment_command")[1]  # no loop of its own over the levels
