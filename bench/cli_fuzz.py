"""The hostile-CLI property of tests/test_cli_hostile.py, run longer: every command with generated hostile input.

    PYTHONPATH=src .venv/bin/python bench/cli_fuzz.py [--examples 5000] [--seed 0] [--memory-gb 6]

Prints how each command ended (exit 0 / 1 / 2 counts), the time per case, and every distinct failure
(uncaught exception, traceback, write outside PERI_HOME, damaged store) with the arguments that caused it.
A memory limit turns a runaway allocation into a MemoryError finding instead of the machine's OOM killer.
Exit status 1 when anything failed.
"""
from __future__ import annotations

import argparse
import collections
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--memory-gb", type=float, default=6.0)
    args = ap.parse_args()
    limit = int(args.memory_gb * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    from hypothesis import HealthCheck, given, seed, settings

    import tests.test_cli_hostile as t

    root = t._template(Path(tempfile.mkdtemp(prefix="cli-fuzz-")))
    log = Path(tempfile.mkstemp(prefix="cli-fuzz-", suffix=".log")[1])
    os.environ["PERI_FUZZ_LOG"] = str(log)
    failures: dict[tuple[str, str], str] = collections.OrderedDict()
    runs = 0

    @seed(args.seed)
    @settings(max_examples=args.examples, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(t.invocations())
    def drive(inv: tuple) -> None:
        nonlocal runs
        runs += 1
        path, argv, env = inv
        try:
            t.run_case(root, path, argv, env)
        except (AssertionError, MemoryError) as e:  # tallied, not raised: one run finds every distinct failure
            lines = str(e).strip().splitlines() or [type(e).__name__]
            failures.setdefault((lines[0][:60], lines[-1][:160]), str(e))

    t0 = time.perf_counter()
    drive()
    took = time.perf_counter() - t0
    outcomes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in log.read_text(encoding="utf-8").splitlines():
        cmd, code, *_ = line.split("\t")
        outcomes[cmd][code] += 1
    print(f"{runs} cases in {took:.0f} s ({took / max(runs, 1) * 1000:.0f} ms a case)")
    print(f"{'command':<20} {'exit 0':>7} {'exit 1':>7} {'exit 2':>7}")
    for cmd in sorted(outcomes):
        c = outcomes[cmd]
        print(f"{cmd:<20} {c['0']:>7} {c['1']:>7} {c['2']:>7}")
    print(f"{len(failures)} distinct failure(s)")
    for (head, tail), text in failures.items():
        print("=" * 80)
        print(text[:1500])
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
