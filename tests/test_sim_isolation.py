"""The hidden traits stay hidden: who may import peri.sim, and what the oracle hands back.

Rules (DESIGN: "the oracle is not the model's teacher"):
- Inside peri.sim anything goes.
- peri.evaluate may import peri.sim.oracle, and nothing else from peri.sim.
- The CLI composition roots that create simulated athletes (`peri simulate`, `peri demo`,
  `peri eval --simulated`) may import the simulator's write side (peri.sim.generate, peri.sim.presets),
  never the traits or the oracle. They are listed by name so a new importer is a conscious decision.
- No other module under src/peri imports peri.sim at all: prompts, datasets, models, checker and
  coach never see a trait.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "peri"

ORACLE_USERS = "peri.evaluate"
SIMULATOR_WIRING = {"peri.cli.sim_commands", "peri.cli.demo_command", "peri.cli.eval_commands"}
WRITE_SIDE = {"peri.sim", "peri.sim.generate", "peri.sim.presets"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement in `path` loads, made absolute (relative imports resolved)."""
    mod = module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "peri.sim":  # `from peri.sim import oracle`: the names are the modules
                out += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                out.append((node.lineno, target))
    return out


def violations() -> list[str]:
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        importer = module_name(path)
        if importer == "peri.sim" or importer.startswith("peri.sim."):
            continue
        for line, target in imported_modules(path):
            if not (target == "peri.sim" or target.startswith("peri.sim.")):
                continue
            if importer.startswith(ORACLE_USERS + ".") or importer == ORACLE_USERS:
                ok = target == "peri.sim.oracle"
            elif importer in SIMULATOR_WIRING:
                ok = target in WRITE_SIDE
            else:
                ok = False
            if not ok:
                bad.append(f"{path.relative_to(SRC)}:{line} {importer} imports {target}")
    return bad


def test_nothing_outside_peri_sim_reaches_the_traits() -> None:
    assert violations() == []


def test_the_import_scanner_catches_what_it_must(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule itself is tested: relative and absolute forms, allowed and forbidden importers."""
    fake = tmp_path / "src" / "peri"
    cases = {
        "prompts/builder.py": "from ..sim import traits\n",
        "tune/dataset.py": "import peri.sim.oracle\n",
        "plans/coach.py": "from peri.sim.presets import PRESETS\n",
        "evaluate/harness.py": "from ..sim import oracle\nfrom ..sim.traits import HiddenTraits\n",
        "cli/sim_commands.py": "from ..sim.generate import simulate\n",
        "cli/log_commands.py": "from ..sim import generate\n",
        "sim/oracle.py": "from .traits import load_traits\n",
    }
    for rel, text in cases.items():
        (fake / rel).parent.mkdir(parents=True, exist_ok=True)
        (fake / rel).write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path / "src")
    monkeypatch.setattr(sys.modules[__name__], "PKG", fake)
    found = {v.split(" ")[0].rsplit(":", 1)[0] for v in violations()}
    assert found == {"peri/prompts/builder.py", "peri/tune/dataset.py", "peri/plans/coach.py",
                     "peri/evaluate/harness.py", "peri/cli/log_commands.py"}
    assert [v for v in violations() if "harness" in v] == [
        "peri/evaluate/harness.py:2 peri.evaluate.harness imports peri.sim.traits"]


def test_peri_sim_package_reexports_nothing() -> None:
    text = (PKG / "sim" / "__init__.py").read_text()
    assert "import" not in text


def _contains_trait_types(tp: object, trait_types: tuple[type, ...], seen: set[int] | None = None) -> bool:
    seen = seen or set()
    if id(tp) in seen:
        return False
    seen.add(id(tp))
    if isinstance(tp, type) and issubclass(tp, trait_types):
        return True
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return any(_contains_trait_types(f.annotation, trait_types, seen) for f in tp.model_fields.values())
    return any(_contains_trait_types(a, trait_types, seen) for a in typing.get_args(tp))


def test_the_oracle_hands_back_no_trait_objects() -> None:
    from peri.sim import oracle, traits

    trait_types = tuple(v for v in vars(traits).values()
                        if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == traits.__name__)
    assert trait_types
    public = [getattr(oracle, n) for n in oracle.__all__]
    for obj in public:
        if callable(obj) and not isinstance(obj, type):
            hints = typing.get_type_hints(obj)
            assert not _contains_trait_types(hints.get("return"), trait_types), obj
        if isinstance(obj, type):
            assert not issubclass(obj, trait_types) and not _contains_trait_types(obj, trait_types), obj
    assert not any(isinstance(getattr(oracle, n), type) and issubclass(getattr(oracle, n), trait_types)
                   for n in oracle.__all__)


def test_the_model_side_does_not_load_the_traits_at_runtime() -> None:
    """Import every module of prompts, tune, backends and plans in a fresh interpreter: peri.sim stays unloaded."""
    code = r"""
import importlib, json, pkgutil, sys
failed = {}
for pkg_name in ("peri.prompts", "peri.tune", "peri.backends", "peri.plans", "peri.log"):
    pkg = importlib.import_module(pkg_name)
    for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
        try:
            importlib.import_module(info.name)
        except Exception as e:  # a broken module is another test's business; what it loaded still counts
            failed[info.name] = repr(e)[:200]
print(json.dumps({"sim": sorted(m for m in sys.modules if m == "peri.sim" or m.startswith("peri.sim.")),
                  "failed": failed}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["sim"] == [], result


# --- the oracle shares no data file, formula or value with the checker/coach ------------------------
SIM = PKG / "sim"
COACH_TAG_FIELDS = {"pattern", "spinal_load", "joints"}
RULEBOOK = {"peri.plans.checker", "peri.plans.coach", "peri.plans.from_log", "peri.log.profile"}


def test_peri_sim_never_imports_the_rulebook() -> None:
    bad = [f"{p.name}:{line} {t}" for p in sorted(SIM.rglob("*.py")) for line, t in imported_modules(p)
           if t in RULEBOOK or any(t.startswith(r + ".") for r in RULEBOOK)]
    assert bad == []


def test_peri_sim_never_reads_the_coach_tags_of_an_entry() -> None:
    """No `.pattern`, `.spinal_load` or `.joints` (peri's coach tags) anywhere in peri.sim, nor the tag file."""
    bad = []
    for path in sorted(SIM.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Attribute) and node.attr in COACH_TAG_FIELDS:
                bad.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in COACH_TAG_FIELDS:
                bad.append(f"{path.name}:{node.lineno} {node.value!r}")
        if "exercise_tags" in text.replace("exercise_tags.yaml`", "").replace("exercise_tags.yaml)", ""):
            bad.append(f"{path.name}: names exercise_tags")
    assert bad == []


def _constants(module: object) -> list[tuple[str, object]]:
    out = []
    for name, v in vars(module).items():
        if name.startswith("__") or callable(v) or isinstance(v, type):
            continue
        if isinstance(v, (dict, set, frozenset, tuple, list)) and len(v) >= 3:
            out.append((name, v))
    return out


def test_no_table_of_the_checker_or_coach_reappears_in_peri_sim() -> None:
    import importlib

    rule_tables = [(m, n, v) for m in ("peri.plans.checker", "peri.plans.coach")
                   for n, v in _constants(importlib.import_module(m))]
    assert rule_tables
    sim_tables = [(m, n, v) for m in ("peri.sim.oracle", "peri.sim.traits", "peri.sim.tissues", "peri.sim.population",
                                      "peri.sim.names") for n, v in _constants(importlib.import_module(m))]
    same = [f"{sm}.{sn} == {rm}.{rn}" for sm, sn, sv in sim_tables for rm, rn, rv in rule_tables if sv == rv]
    assert same == []


ORACLE_RUN = r"""
import builtins, datetime as dt, io, json, pathlib, sys
from pathlib import Path
from peri.log.store import Store
from peri.sim.generate import simulate
home = Path(sys.argv[1])
store = Store(home / "peri.db")
simulate(store, "seed", seed=None, weeks=12, athlete_name="a", start=dt.date(2024, 1, 1), home=home)
from peri.sim import names
names.sim_catalog.cache_clear()
from peri.sim import tissues
tissues.tissue_model.cache_clear()
before = set(sys.modules)
opened = []
real_open, real_read = builtins.open, pathlib.Path.read_text
def spy_open(file, *a, **k):
    opened.append(str(file)); return real_open(file, *a, **k)
def spy_read(self, *a, **k):
    opened.append(str(self)); return real_read(self, *a, **k)
builtins.open, io.open, pathlib.Path.read_text = spy_open, spy_open, spy_read
from peri.plans.schema import Plan, PlanDay, Prescription
from peri.sim import oracle
plan = Plan(days=[PlanDay(name="Lower A", exercises=[
    Prescription(exercise="Barbell Squat", sets=4, reps_low=5, reps_high=8, load_kg=100),
    Prescription(exercise="Leg Press", sets=3, reps_low=10, reps_high=12, rpe=8)])])
s = oracle.score_plan(plan, "a", home=home)
print(json.dumps({"opened": opened, "loaded": sorted(set(sys.modules) - before), "total": s.total}))
"""


def test_oracle_scoring_opens_no_coach_file_and_loads_no_rulebook(tmp_path: Path) -> None:
    """Run a score in a fresh interpreter with open/read_text spied: what the oracle really reads."""
    out = subprocess.run([sys.executable, "-c", ORACLE_RUN, str(tmp_path)], capture_output=True, text=True,
                         timeout=240, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    opened = result["opened"]
    assert any(p.endswith("tissue_load.yaml") for p in opened)  # the spy works: the oracle's own file is read
    assert any(p.endswith("exercises.json") for p in opened)  # the public catalog (names, muscles)
    assert not [p for p in opened if "exercise_tags" in p or "checker" in p or "coach" in p]
    assert not [m for m in result["loaded"] if m in RULEBOOK]
    assert 0 < result["total"] <= 100


def test_scrambled_coach_tags_do_not_move_a_score(tmp_path: Path) -> None:
    """Values, not just files: give the oracle a catalog whose coach tags are nonsense; every score is the same."""
    import datetime as dt

    from peri.log.catalog import Catalog
    from peri.log.store import Store
    from peri.plans.schema import Plan, PlanDay, Prescription
    from peri.sim import oracle
    from peri.sim.generate import simulate
    from peri.sim.names import sim_catalog

    store = Store(tmp_path / "peri.db")
    simulate(store, "seed", seed=None, weeks=12, athlete_name="a", start=dt.date(2024, 1, 1), home=tmp_path)
    real = sim_catalog()
    scrambled = Catalog([e.model_copy(update={"pattern": "cardio", "spinal_load": "high",
                                              "joints": ["neck", "ankle"]}) for e in real.entries],
                        {k: v for k, v in real.shipped_aliases.items()})
    plan = Plan(days=[PlanDay(name="Lower A", exercises=[
        Prescription(exercise=n, sets=3, reps_low=6, reps_high=10, load_kg=60)
        for n in ("Barbell Squat", "Romanian Deadlift", "Leg Press", "Leg Extensions", "Bent Over Barbell Row")])])
    a = oracle.score_plan(plan, "a", home=tmp_path, catalog=real)
    b = oracle.score_plan(plan, "a", home=tmp_path, catalog=scrambled)
    assert a == b
    store.close()
