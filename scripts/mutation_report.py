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

Each module may set its own `target` in `scripts/mutation_modules.yaml` (default 90 %). The report is also
written to `docs/mutation_report.md` (one section per module: score, counts, the run's date and command, and
every survivor with its reason); a module with no results in this checkout keeps its section from the last
run that had them, so modules run one at a time (or on another machine) add up to one report.

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
TARGET = 0.90  # the core's score to hold, unless a module's entry sets its own `target`
REPORT = ROOT / "docs" / "mutation_report.md"
MODULES = ROOT / "scripts" / "mutation_modules.yaml"
EQUIVALENT = ROOT / "scripts" / "mutation_equivalent.yaml"
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
    out["unchecked"] = sum(len(v) for s, v in statuses.items() if s in UNCHECKED)
    out["other"] = out["checked"] - sum(out[k] for k in ("killed", "timeout", "explained", "survived", "no tests"))
    return out


def load_equivalent(path: Path = EQUIVALENT) -> dict[str, str]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def entry_of(module: str, entries: list[dict]) -> dict:
    """The scripts/mutation_modules.yaml entry a mutated module belongs to (`peri.log.importers` holds
    `peri.log.importers.strong`), or {}."""
    exact = next((e for e in entries if module == e["module"]), None)  # a file's own entry, wherever it is listed
    return exact or next((e for e in entries if module.startswith(e["module"] + ".")), {})


def target_of(module: str, entries: list[dict], default: float = TARGET) -> float:
    return float(entry_of(module, entries).get("target", default))


def score(c: dict[str, int]) -> float:
    """Caught (killed, timed out, or explained) over every checked mutant."""
    caught = c["killed"] + c["timeout"] + c["explained"]
    return caught / c["checked"] if c["checked"] else 1.0


def module_sections(by_module: dict, equivalent: dict[str, str], entries: list[dict]) -> dict[str, str]:
    """One markdown section per module run here, keyed by its entry's name (a package's files grouped)."""
    runs = {}
    for path in (ROOT / ".mutation").glob("*/run.json"):
        run = json.loads(path.read_text(encoding="utf-8"))
        runs[run["module"]] = run
    grouped: dict[str, list[str]] = defaultdict(list)
    for module in sorted(by_module):
        grouped[entry_of(module, entries).get("module", module)].append(module)
    sections = {}
    for name, modules in grouped.items():
        run = runs.get(name, {})
        target = target_of(name, entries)
        lines = [f"## {name}", ""]
        if run:
            args = " ".join(f"'{a}'" if " " in a else a for a in run.get("tests", []))
            flag = {"recheck-only": "--recheck-only ", "mutants": "--mutants NAME... "}.get(run.get("mode", "full"), "")
            if run.get("mode") == "saved after a stopped run":
                lines.append(f"Run stopped before its end, results saved {run.get('date', '?')[:16]} UTC: go on with "
                             f"`python scripts/mutation_run.py --exact {name}` (tests: `{args}`)")
            else:
                lines.append(f"Last run {run.get('date', '?')[:16]} UTC, {run.get('cpu_seconds', 0) / 60:.1f} CPU min: "
                             f"`python scripts/mutation_run.py {flag}{name}` (tests: `{args}`)")
            lines.append("")
        lines += ["| file | mutants | killed | timeout | explained | survived | no test | score | target |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        listed = []
        for module in modules:
            statuses = by_module[module]
            c = counts(statuses, equivalent)
            verdict = "" if score(c) >= target else " ✘"
            lines.append(f"| {module} | {c['checked']} | {c['killed']} | {c['timeout']} | {c['explained']} "
                         f"| {c['survived']} | {c['no tests']} | {score(c):.1%}{verdict} | {target:.0%} |")
            if c["unchecked"]:
                lines.append(f"| (partial: {c['unchecked']} more mutants not checked) | | | | | | | | |")
            for status in ("survived", "no tests"):
                for full in statuses.get(status, []):
                    why = explained_by(full, equivalent)
                    listed.append(f"- `{full.split('.')[-1]}` ({status}): " + (" ".join(why.split()) if why
                                                                                  else "**open**"))
        if listed:
            lines += ["", "Survivors (each explained in `scripts/mutation_equivalent.yaml`, or open):", ""] + listed
        sections[name] = "\n".join(lines)
    return sections


def write_report(sections: dict[str, str], entries: list[dict], path: Path = REPORT) -> None:
    """Replace the sections of the modules run here; keep the others from the file as it was."""
    kept: dict[str, str] = {}
    if path.exists():
        current = None
        for block in re.split(r"(?m)^(?=## )", path.read_text(encoding="utf-8")):
            if block.startswith("## "):
                current = block.splitlines()[0][3:].strip()
                kept[current] = block.rstrip()
    kept.update(sections)
    order = [e["module"] for e in entries] + sorted(set(kept) - {e["module"] for e in entries})
    head = ("# Mutation report (issue 20)\n\nWritten by `scripts/mutation_report.py` from mutmut's results "
            "(`scripts/mutation.sh`, or `scripts/mutation_run.py MODULE` then `scripts/mutation_report.py`). "
            "Score = (killed + timeout + explained) / mutants checked; explained survivors are listed with their "
            "reason. A module not run in the checkout that last wrote this file keeps its earlier section.\n")
    body = [kept[m] for m in order if m in kept]
    listed = {e["module"] for e in entries}
    body += [f"## {m}\n\nno results in this report yet (earlier runs: docs/results.md)" for m in order
             if m not in kept and m in listed]
    path.write_text(head + "\n" + "\n\n".join(body) + "\n", encoding="utf-8")


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
        run = runs.get(module) or next((r for name, r in runs.items() if module.startswith(name + ".")), {})
        cpu = f"{run['cpu_seconds'] / 60:.1f}" if run.get("cpu_seconds") else "-"
        print(f"| {module} | {c['checked']} | {c['killed']} | {c['timeout']} | {c['explained']} | {c['survived']} "
              f"| {c['no tests']} | {score:.1%} | {cpu} | {run.get('date', '-')[:16]} |")
    for name in not_run(by_module):
        print(f"| {name} | not run | | | | | | | | |")
    return 0


def not_run(by_module: dict) -> list[str]:
    """The core modules of scripts/mutation_modules.yaml that have no results yet."""
    listed = yaml.safe_load((ROOT / "scripts" / "mutation_modules.yaml").read_text(encoding="utf-8"))
    return [e["module"] for e in listed if not any(entry_of(m, listed) is e for m in by_module)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, help="a saved `mutmut results --all true` output (default: run it)")
    ap.add_argument("--target", type=float, default=None,
                    help="hold every module to this score (default: each entry's `target`, else 0.90)")
    ap.add_argument("--markdown", action="store_true",
                    help="print the per-module table for docs/results.md (with each run's date and CPU time)")
    ap.add_argument("--no-write", action="store_true", help=f"do not rewrite {REPORT.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    saved = sorted((ROOT / ".mutation").glob("*/results.txt"))
    if args.results:
        text = args.results.read_text(encoding="utf-8")
    elif saved:
        text = "\n".join(p.read_text(encoding="utf-8") for p in saved)
    else:
        text = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout
    equivalent = load_equivalent()
    entries = yaml.safe_load(MODULES.read_text(encoding="utf-8"))
    by_module = parse(text)
    if not by_module:
        print("no mutmut results found: run scripts/mutation.sh first", file=sys.stderr)
        return 2
    if args.markdown:
        return markdown(by_module, equivalent)
    if not args.results and not args.no_write:
        write_report(module_sections(by_module, equivalent, entries), entries)
    failing = []
    print(f"{'module':34} {'mutants':>7} {'caught':>7} {'survived':>8} {'no test':>7} {'other':>6} {'score':>6} "
          f"{'target':>6}")
    for module in sorted(by_module):
        statuses = by_module[module]
        c = counts(statuses, equivalent)
        survivors = [n for n in statuses.get("survived", []) if not explained_by(n, equivalent)]
        no_tests = [n for n in statuses.get("no tests", []) if not explained_by(n, equivalent)]
        caught = c["killed"] + c["timeout"] + c["explained"]
        target = args.target if args.target is not None else target_of(module, entries)
        print(f"{module:34} {c['checked']:7d} {caught:7d} {c['survived']:8d} {c['no tests']:7d} {c['other']:6d} "
              f"{score(c):6.1%} {target:6.0%}")
        if score(c) < target:
            failing.append(module)
        elif c["unchecked"]:  # a pass that did not finish holds nothing
            print(f"    partial: {c['unchecked']} mutants not checked")
            failing.append(f"{module} (partial)")
        for name in survivors + no_tests:
            print(f"    {'survived' if name in survivors else 'no tests'}: {name}")
    for name in not_run(by_module):
        print(f"{name:34} not run (scripts/mutation_run.py {name})")
    if failing:
        print(f"below target or not fully run: {', '.join(failing)}")
        return 1
    print("every module at or above its target")
    return 0


def module_score(module: str) -> tuple[float, float] | None:
    """(score, target) of one scripts/mutation_modules.yaml entry from its workspace's saved results, or None
    when it has none: what scripts/mutation_run.py checks after running a module."""
    path = ROOT / ".mutation" / module / "results.txt"
    if not path.exists():
        return None
    entries = yaml.safe_load(MODULES.read_text(encoding="utf-8"))
    equivalent = load_equivalent()
    total: dict[str, int] = defaultdict(int)
    for statuses in parse(path.read_text(encoding="utf-8")).values():
        for key, value in counts(statuses, equivalent).items():
            total[key] += value
    if not total:
        return None
    return score(total), target_of(module, entries)


if __name__ == "__main__":
    raise SystemExit(main())
