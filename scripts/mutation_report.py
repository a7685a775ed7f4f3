"""Per-module mutation scores from mutmut's results, held against targets (issue 20).

Reads `mutmut results --all true` (lines `    peri.log.stats.x_weekly_stats__mutmut_3: survived`), groups
the mutants by module, prints killed / survived / other and the score (killed + timeout over all checked
mutants: a mutant that makes the tests hang is caught), lists each survivor with `mutmut show NAME` as the
way to read it, and exits 1 when a module with a target falls below it. Survivors judged equivalent or
harmless are listed with their reason in `scripts/mutation_equivalent.yaml` and count as killed.

    .venv/bin/python scripts/mutation_report.py            # after `mutmut run` (scripts/mutation.sh)
"""
from __future__ import annotations

import argparse
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


def parse(text: str) -> dict[str, dict[str, list[str]]]:
    by_module: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            full = line.strip().split(":")[0]
            by_module[module_of(m["name"])][m["status"]].append(full)
    return by_module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, help="a saved `mutmut results --all true` output (default: run it)")
    ap.add_argument("--target", type=float, default=TARGET)
    args = ap.parse_args(argv)
    if args.results:
        text = args.results.read_text(encoding="utf-8")
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
    failing = []
    print(f"{'module':34} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>6} {'score':>6}")
    for module in sorted(by_module):
        statuses = by_module[module]
        survivors = [n for n in statuses.get("survived", []) if n not in equivalent]
        explained = len(statuses.get("survived", [])) - len(survivors)
        caught = sum(len(v) for s, v in statuses.items() if s in CAUGHT) + explained
        checked = sum(len(v) for s, v in statuses.items() if s not in UNCHECKED)
        other = checked - caught - len(survivors)
        score = caught / checked if checked else 1.0
        print(f"{module:34} {checked:7d} {caught:7d} {len(survivors):8d} {other:6d} {score:6.1%}")
        if score < args.target:
            failing.append(module)
        for name in survivors:
            print(f"    survived: {name}   (mutmut show {name})")
    if failing:
        print(f"below the {args.target:.0%} target: {', '.join(failing)}")
        return 1
    print(f"every module at or above {args.target:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
