"""A pytest plugin for mutmut's mutant runs (issue 20): run a mutant's tests fastest first.

mutmut 3.8 hands each mutant's tests to pytest as a set of node ids, in no particular order, and stops at the first
failure (`-x`). Sorted by the durations mutmut measured in its stats pass (`mutants/mutmut-stats.json`), the cheap
hand-made tests run first. Only the order changes, never which tests run, so verdicts and scores do not.

Loaded by scripts/mutation_run.py (`-p mutation_order`, with scripts/ on PYTHONPATH). Outside a mutant run (the
stats pass, the forkserver's warm-up collection, a plain pytest) it leaves the order alone.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

_NOT_A_MUTANT = {"", "stats", "list_all_tests", "fail"}
_durations: dict[str, float] | None = None


def _load() -> dict[str, float]:
    global _durations
    if _durations is None:
        try:  # mutmut runs pytest inside mutants/
            _durations = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8")).get("duration_by_test", {})
        except (OSError, ValueError):
            _durations = {}
    return _durations


def pytest_collection_modifyitems(items: list) -> None:
    if os.environ.get("MUTANT_UNDER_TEST", "") in _NOT_A_MUTANT:
        return
    durations = _load()
    if durations:
        # a test the stats pass never timed (added since) goes first: most likely the one written to kill
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
