"""Run mutmut module by module over peri's core, each module with only the tests that exercise it (issue 20).

mutmut 3 runs its stats pass over its whole test selection and keeps one selection per `mutants/` folder
(changing it throws every cached result away). So each core module listed in `scripts/mutation_modules.yaml`
gets its own workspace, `.mutation/<module>/`: links to the repository's `src/`, `tests/` and the folders the
tests read, and a `pyproject.toml` that is the repository's with `[tool.mutmut]` narrowed to that module's
files and tests. mutmut runs there (its `mutants/` copy, stats and results stay beside it, so a second run
only tests what changed), then its `mutmut results --all true` is saved to `.mutation/<module>/results.txt`
for `scripts/mutation_report.py`.

Mutants that survived (or had no test) in an earlier run are run again by name after the normal run, since
mutmut keeps an old verdict otherwise: a test added to kill one is seen.

    python scripts/mutation_run.py                          # every module, in the file's order
    python scripts/mutation_run.py peri.log.stats oracle    # modules whose name contains any of these
    python scripts/mutation_run.py --exact peri.log.importers   # that entry only (the importers' __init__.py)
    python scripts/mutation_run.py --save --exact peri.log.importers.base   # after stopping a run: keep its verdicts
    python scripts/mutation_run.py --fresh peri.log.notes   # forget the module's cached results first
    python scripts/mutation_run.py --recheck-only checker   # only the earlier open survivors (after new tests)
    python scripts/mutation_run.py checker --mutants 'peri.plans.checker.x__load_jump*'   # these mutants only

Exits 1 when mutmut did not finish a module or a module's score (scripts/mutation_report.py: killed, timed
out or explained over all checked) falls below its target (the entry's `target`, else 90 %).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_report import explained_by, load_equivalent, module_score  # noqa: E402  (a sibling script)

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
MODULES = ROOT / "scripts" / "mutation_modules.yaml"
# what every workspace links to (the tests read docs/, bench/ data and README.md; mutmut copies them too)
LINKED = ["src", "tests", "docs", "scripts", "bench", "README.md"]
RECHECK = {"survived", "no tests"}
FAST_PYTEST = ["-p", "no:unraisableexception"]  # see workspace_pyproject
ORDER_PLUGIN = ["-p", "mutation_order"]  # scripts/mutation_order.py: a mutant's tests fastest first
RESULT_LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>.+?)\s*$")


def load_modules(path: Path = MODULES) -> list[dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for e in entries:
        missing = {"module", "mutate", "tests"} - set(e)
        if missing:
            sys.exit(f"{path}: entry {e.get('module', '?')} lacks {', '.join(sorted(missing))}")
    return entries


def toml_value(value: object) -> str:
    """The few TOML values [tool.mutmut] holds: strings, numbers, booleans and lists of strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} to TOML")


def test_args(entry: dict) -> list[str]:
    """The entry's pytest arguments, less test files that do not exist (yet): pytest would refuse to start."""
    missing = [a for a in entry["tests"] if a.endswith(".py") and not (ROOT / a).exists()]
    for a in missing:
        print(f"   {entry['module']}: {a} does not exist, left out", file=sys.stderr)
    return [a for a in entry["tests"] if a not in missing]


def workspace_pyproject(entry: dict) -> str:
    """The repository's pyproject.toml with [tool.mutmut] narrowed to one module's files and tests."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    base = tomllib.loads(text).get("tool", {}).get("mutmut", {})
    # drop the [tool.mutmut] table: from its header to the next table header
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("["):
            skipping = line.strip() == "[tool.mutmut]"
        if not skipping:
            kept.append(line)
    config = {**base, "only_mutate": list(entry["mutate"]), "pytest_add_cli_args_test_selection": test_args(entry)}
    # pytest's unraisableexception plugin runs gc.collect() several times as every session ends; each mutant is a
    # session, forked from a server that holds the catalog and torch, so that alone cost ~0.4 s a mutant (more
    # than most tests). Unraisable exceptions (in __del__) only ever warn, so no verdict depends on the plugin.
    args = list(base.get("pytest_add_cli_args", []))
    config["pytest_add_cli_args"] = args + ([] if FAST_PYTEST[-1] in args else FAST_PYTEST)
    # mutmut hands pytest a mutant's tests in a set's arbitrary order and stops at the first failure; sorted fastest
    # first (scripts/mutation_order.py, by the stats pass's durations), a killed mutant dies in a cheap test more
    # often. Only the order changes, never which tests run, so verdicts do not.
    if entry.get("fastest_first", True):
        config["pytest_add_cli_args"] += ORDER_PLUGIN
    table = ["[tool.mutmut]", f"# generated by scripts/mutation_run.py for {entry['module']}"]
    table += [f"{key} = {toml_value(value)}" for key, value in config.items()]
    return "\n".join(kept).rstrip() + "\n\n" + "\n".join(table) + "\n"


def prepare(entry: dict, fresh: bool) -> Path:
    ws = WORK / entry["module"]
    if fresh and ws.exists():
        shutil.rmtree(ws)
    ws.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = ws / name
        # a workspace copied from another checkout (a worktree's .mutation/ taken from main) links to that
        # checkout: re-point it, or the mutants would be made from, and judged by, the other checkout's files
        if link.is_symlink() and Path(os.readlink(link)) != ROOT / name:
            link.unlink()
        if (ROOT / name).exists() and not link.is_symlink():
            link.symlink_to(ROOT / name)
    pyproject = ws / "pyproject.toml"
    new = workspace_pyproject(entry)
    if not pyproject.exists() or pyproject.read_text(encoding="utf-8") != new:
        pyproject.write_text(new, encoding="utf-8")
    return ws


def results(ws: Path, python: str) -> dict[str, str]:
    proc = subprocess.run([python, "-m", "mutmut", "results", "--all", "true"], cwd=ws,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return {}
    (ws / "results.txt").write_text(proc.stdout, encoding="utf-8")
    found = {}
    for line in proc.stdout.splitlines():
        m = RESULT_LINE.match(line)
        if m:
            found[m["name"]] = m["status"]
    return found


def _children_cpu() -> float:
    """CPU seconds used by finished child processes: the cost of a run, whatever else shares the cores."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_module(entry: dict, args: argparse.Namespace) -> int:
    ws = prepare(entry, args.fresh)
    before = results(ws, args.python) if (ws / "mutants").exists() else {}
    recheck = sorted(n for n, s in before.items() if s in RECHECK)
    mutmut = ["nice", "-n", str(args.nice), args.python, "-m", "mutmut", "run", "--max-children", str(args.children)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    # mutmut puts mutants/src first; a PYTHONPATH to the real src would shadow it. scripts/ holds the order plugin.
    env["PYTHONPATH"] = str(ROOT / "scripts")
    if os.environ.get("MUTMUT_PYTHONPATH"):  # a path put first on purpose (e.g. a shim for a shadowed package)
        env["PYTHONPATH"] = os.environ["MUTMUT_PYTHONPATH"] + os.pathsep + env["PYTHONPATH"]
    t0, cpu0 = time.perf_counter(), _children_cpu()
    print(f"== {entry['module']}: mutmut in {ws.relative_to(ROOT)} (tests: {' '.join(test_args(entry))})", flush=True)
    if args.save:
        # a run stopped before its end (killed, or the deadline): its verdicts so far are in mutants/; save them
        # for the report, the unchecked mutants counted as such (run the module again to go on from there)
        mode = "saved after a stopped run"
        counts = {}
        for status in before.values():
            counts[status] = counts.get(status, 0) + 1
        summary = {"module": entry["module"], "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                   "mode": mode, "children": args.children, "tests": test_args(entry), "counts": counts}
        (ws / "run.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"   {entry['module']}: saved, " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), flush=True)
        return 0
    if args.recheck_only:
        # only the earlier survivors / untested mutants no equivalence entry explains (the new tests' effect,
        # without finishing a long first pass); the rest keep their verdicts or stay unchecked
        equivalent = load_equivalent()
        recheck = [n for n in recheck if not explained_by(n, equivalent)]
        rc, now = 0, before
    elif args.mutants:
        recheck, rc, now = list(args.mutants), 0, before
    else:
        rc = subprocess.run(mutmut, cwd=ws, env=env).returncode
        # run again only what still shows survived / no tests (a run after a reset has just tested those afresh too)
        now = results(ws, args.python) if rc == 0 and recheck else {}
    if not args.mutants:
        recheck = [n for n in recheck if now.get(n) in RECHECK]
    if recheck:
        print(f"   re-running {len(recheck)} {'mutants by name' if args.mutants else 'earlier survivors / untested mutants'}",
              flush=True)
        rc = subprocess.run(mutmut + recheck, cwd=ws, env=env).returncode
    took, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    after = results(ws, args.python)
    counts: dict[str, int] = {}
    for status in after.values():
        counts[status] = counts.get(status, 0) + 1
    summary = {"module": entry["module"], "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
               "seconds": round(took, 1), "cpu_seconds": round(cpu, 1), "exit": rc, "children": args.children,
               "mode": "recheck-only" if args.recheck_only else ("mutants" if args.mutants else "full"),
               "tests": test_args(entry), "counts": counts}
    (ws / "run.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    tally = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"   {entry['module']}: {took / 60:.1f} min ({cpu / 60:.1f} CPU min), {tally}", flush=True)
    return rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="*", help="run the modules whose name contains any of these (default: all)")
    ap.add_argument("--children", type=int, default=int(os.environ.get("MUTMUT_CHILDREN", os.cpu_count() or 2)))
    ap.add_argument("--nice", type=int, default=int(os.environ.get("MUTMUT_NICE", "10")))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--fresh", action="store_true", help="delete the module's workspace (cached results) first")
    ap.add_argument("--list", action="store_true", help="list the modules and their tests, run nothing")
    ap.add_argument("--save", action="store_true",
                    help="run nothing: save the results so far of a module whose run was stopped, for the report")
    ap.add_argument("--exact", action="store_true",
                    help="run the modules named exactly (`peri.log.importers` alone is the package's __init__.py)")
    ap.add_argument("--recheck-only", action="store_true",
                    help="skip the normal pass: re-run only the earlier survivors / untested mutants not explained")
    ap.add_argument("--mutants", nargs="+", metavar="NAME",
                    help="skip the normal pass: run these mutants (names or globs, as mutmut takes them); one module")
    args = ap.parse_args(argv)
    entries = [e for e in load_modules() if not args.modules
               or any(m == e["module"] if args.exact else m in e["module"] for m in args.modules)]
    if not entries:
        print(f"no module in {MODULES.relative_to(ROOT)} matches {' '.join(args.modules)}", file=sys.stderr)
        return 2
    if args.list:
        for e in entries:
            print(f"{e['module']:28} {' '.join(e['mutate'])}  <-  {' '.join(e['tests'])}")
        return 0
    failed, below = [], []
    for e in entries:
        if run_module(e, args) != 0:
            failed.append(e["module"])
            continue
        held = module_score(e["module"])
        if held is not None:
            got, target = held
            print(f"   {e['module']}: score {got:.1%} (target {target:.0%})", flush=True)
            if got < target:
                below.append(f"{e['module']} {got:.1%} < {target:.0%}")
    if failed:
        print(f"mutmut did not finish for: {', '.join(failed)}", file=sys.stderr)
    if below:
        print(f"below target: {'; '.join(below)} (scripts/mutation_report.py lists the survivors)", file=sys.stderr)
    return 1 if failed or below else 0


if __name__ == "__main__":
    raise SystemExit(main())
