"""Hand-made mutants of peri's core that once survived the suite: each must now be killed.

mutmut (scripts/mutation.sh) mutates code inside functions; it never touches a module-level constant
(the pound, the oracle's weights) and its operators do not make the "realistic" slips a person makes
(`and` -> `or` in one rule, a boundary one day late). This script keeps those as a corpus
(`scripts/hand_mutants.yaml`): for each entry it copies `src/` to a temporary folder, applies the one
textual change, runs the named tests against the copy, and expects them to FAIL. A mutant whose tests
still pass has survived: the script lists it and exits 1.

    .venv/bin/python scripts/hand_mutants.py            # every mutant
    .venv/bin/python scripts/hand_mutants.py --only lb   # ids containing 'lb'
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def load(path: Path) -> list[dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for e in entries:
        missing = {"id", "file", "find", "replace", "tests"} - set(e)
        if missing:
            sys.exit(f"{path}: mutant {e.get('id', '?')} lacks {', '.join(sorted(missing))}")
    return entries


def run_one(entry: dict, python: str) -> tuple[str, float, str]:
    """'killed' | 'survived' | 'stale' (the text to mutate is no longer in the file exactly once)."""
    source = (ROOT / entry["file"]).read_text(encoding="utf-8")
    if source.count(entry["find"]) != 1:
        return "stale", 0.0, f"{entry['find']!r} occurs {source.count(entry['find'])} times in {entry['file']}"
    with tempfile.TemporaryDirectory(prefix="peri-mutant-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        target = src / Path(entry["file"]).relative_to("src")
        target.write_text(source.replace(entry["find"], entry["replace"]), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
        t0 = time.perf_counter()
        proc = subprocess.run(
            [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *entry["tests"]],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        took = time.perf_counter() - t0
    if proc.returncode == 0:
        return "survived", took, proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    if proc.returncode not in (1,):  # 2-5: the tests could not run at all, which proves nothing
        return "error", took, (proc.stdout + proc.stderr).strip().splitlines()[-1]
    return "killed", took, ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=ROOT / "scripts" / "hand_mutants.yaml")
    ap.add_argument("--only", default="", help="run the mutants whose id contains this text")
    args = ap.parse_args(argv)
    entries = [e for e in load(args.file) if args.only in e["id"]]
    counts: dict[str, int] = {}
    for e in entries:
        status, took, detail = run_one(e, sys.executable)
        counts[status] = counts.get(status, 0) + 1
        print(f"{status:9} {took:6.1f}s  {e['id']}: {e.get('why', '')}" + (f"  [{detail}]" if detail else ""))
    killed = counts.get("killed", 0)
    print(f"{killed} of {len(entries)} hand-made mutants killed"
          + "".join(f", {n} {s}" for s, n in sorted(counts.items()) if s != "killed"))
    return 0 if killed == len(entries) else 1


if __name__ == "__main__":
    raise SystemExit(main())
