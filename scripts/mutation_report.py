"""Per-module mutation scores from mutmut's results, held against targets (issue 20).

Reads the `mutmut results --all true` saved by scripts/mutation_run.py in each module's workspace
(`.mutation/*/results.txt`; with no workspace, runs `mutmut results` here) - lines like
`    peri.log.stats.x_weekly_stats__mutmut_3: survived` -, groups
the mutants by module, prints killed / survived / other and the score (killed + timeout over all checked
mutants: a mutant that makes the tests hang is caught), lists each survivor (read one with `mutmut show NAME` inside
its module's workspace), and exits 1 when a module with a target falls below it. Survivors judged equivalent or
harmless are listed with their reason in `scripts/mutation_equivalent.yaml` (a mutant name, or a glob over
names for a whole function) and count as killed; every other survivor, and every mutant no selected test
runs ("no tests"), counts against the module.

    .venv/bin/python scripts/mutation_report.py            # after `mutmut run` (scripts/mutation.sh)
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.90  # the core's score to hold
LINE = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+: (?P<status>.+?)\s*$")
CAUGHT = {"killed", "timeout", "caught by type check"}
UNCHECKED = {"not checked", "skipped", "check was interrupted by user"}


def module_of(function_name: str) -> str:
    """`peri.log.stats.x_weekly_stats` / `peri.plans.checker.xǁCheckerǁmethod` -> `peri.log.stats`."""
    parts = function_name.split(".")
    return ".".join(parts[:-1])


def explained_by(name: str, equivalent: dict[str, str]) -> str | None:
    """The reason a survivor is equivalent or harmless: its own entry, else a glob entry that matches it."""
    if name in equivalent:
        return equivalent[name]
    return next((why for pattern, why in equivalent.items() if "*" in pattern and fnmatch.fnmatchcase(name, pattern)),
                None)


def parse(text: str) -> dict[str, dict[str, list[str]]]:
    by_module: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            full = line.strip().split(":")[0]
            by_module[module_of(m["name"])][m["status"]].append(full)
    return by_module


def counts(statuses: dict[str, list[str]], equivalent: dict[str, str]) -> dict[str, int]:
    """killed, timeout, explained (equivalent survivors), survived, no tests, other; and checked."""
    survived = [n for n in statuses.get("survived", []) if not explained_by(n, equivalent)]
    no_tests = [n for n in statuses.get("no tests", []) if not explained_by(n, equivalent)]
    explained = len(statuses.get("survived", [])) + len(statuses.get("no tests", [])) - len(survived) - len(no_tests)
    out = {"killed": len(statuses.get("killed", [])) + len(statuses.get("caught by type check", [])),
           "timeout": len(statuses.get("timeout", [])), "explained": explained, "survived": len(survived),
           "no tests": len(no_tests)}
    out["checked"] = sum(len(v) for s, v in statuses.items() if s not in UNCHECKED)
    out["other"] = out["checked"] - sum(out[k] for k in ("killed", "timeout", "explained", "survived", "no tests"))
    return out


def markdown(by_module: dict, equivalent: dict[str, str]) -> int:
    """The docs/results.md table: one row per module, with the run's date and CPU minutes (.mutation/*/run.json)."""
    runs = {}
    for path in (ROOT / ".mutation").glob("*/run.json"):
        run = json.loads(path.read_text(encoding="utf-8"))
        runs[run["module"]] = run
    print("| module | mutants | killed | timeout | explained | survived | no test | score | CPU min (last run) "
          "| last run (UTC) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for module in sorted(by_module):
        c = counts(by_module[module], equivalent)
        caught = c["killed"] + c["timeout"] + c["explained"]
        score = caught / c["checked"] if c["checked"] else 1.0
        run = next((r for name, r in runs.items() if module == name or module.startswith(name + ".")), {})
        cpu = f"{run['cpu_seconds'] / 60:.1f}" if run.get("cpu_seconds") else "-"
        print(f"| {module} | {c['checked']} | {c['killed']} | {c['timeout']} | {c['explained']} | {c['survived']} "
              f"| {c['no tests']} | {score:.1%} | {cpu} | {run.get('date', '-')[:16]} |")
    for name in not_run(by_module):
        print(f"| {name} | not run | | | | | | | | |")
    return 0


def not_run(by_module: dict) -> list[str]:
    """The core modules of scripts/mutation_modules.yaml that have no results yet."""
    listed = yaml.safe_load((ROOT / "scripts" / "mutation_modules.yaml").read_text(encoding="utf-8"))
    return [e["module"] for e in listed
            if not any(m == e["module"] or m.startswith(e["module"] + ".") for m in by_module)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, help="a saved `mutmut results --all true` output (default: run it)")
    ap.add_argument("--target", type=float, default=TARGET)
    ap.add_argument("--markdown", action="store_true",
                    help="print the per-module table for docs/results.md (with each run's date and CPU time)")
    args = ap.parse_args(argv)
    saved = sorted((ROOT / ".mutation").glob("*/results.txt"))
    if args.results:
        text = args.results.read_text(encoding="utf-8")
    elif saved:
        text = "\n".join(p.read_text(encoding="utf-8") for p in saved)
    else:
        text = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
    equivalent_file = ROOT / "scripts" / "mutation_equivalent.yaml"
    equivalent = yaml.safe_load(equivalent_file.read_text(encoding="utf-8")) if equivalent_file.exists() else {}
    equivalent = equivalent or {}
    by_module = parse(text)
    if not by_module:
        print("no mutmut results found: run scripts/mutation.sh first", file=sys.stderr)
        return 2
    if args.markdown:
        return markdown(by_module, equivalent)
    failing = []
    print(f"{'module':34} {'mutants':>7} {'caught':>7} {'survived':>8} {'no test':>7} {'other':>6} {'score':>6}")
    for module in sorted(by_module):
        statuses = by_module[module]
        c = counts(statuses, equivalent)
        survivors = [n for n in statuses.get("survived", []) if not explained_by(n, equivalent)]
        no_tests = [n for n in statuses.get("no tests", []) if not explained_by(n, equivalent)]
        caught = c["killed"] + c["timeout"] + c["explained"]
        score = caught / c["checked"] if c["checked"] else 1.0
        print(f"{module:34} {c['checked']:7d} {caught:7d} {c['survived']:8d} {c['no tests']:7d} {c['other']:6d} "
              f"{score:6.1%}")
        if score < args.target:
            failing.append(module)
        for name in survivors + no_tests:
            print(f"    {'survived' if name in survivors else 'no tests'}: {name}")
    for name in not_run(by_module):
        print(f"{name:34} not run (scripts/mutation_run.py {name})")
    if failing:
        print(f"below the {args.target:.0%} target: {', '.join(failing)}")
        return 1
    print(f"every module at or above {args.target:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
