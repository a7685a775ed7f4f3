"""Import benchmark: a generated 500,000-set Strong export (iOS format) into a fresh SQLite store, against
pandas `read_csv` merely reading the same file, measured in the same run.

    .venv/bin/python bench/import.py [--sets 500000] [--repeat 1] [--seed 7]

peri's figure is the whole import: decode, parse and check every row, normalise units, parse notes,
map exercise names to the catalog (each distinct name once), build annotations, and write everything
in one transaction (`import_file`). Target: within 3x of pandas' time.

Memory, on the same file (a 500,000-set export is ~40 MB; a lifetime of logging is tens of MB): peak resident
memory of a fresh process importing it (`import_file` into a new store) against a fresh process in which
pandas `read_csv` merely loads it. Target: within 2x of pandas' peak.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

EXERCISES = [
    "Squat (Barbell)", "Bench Press (Barbell)", "Deadlift (Barbell)", "Overhead Press (Barbell)",
    "Bent Over Row (Barbell)", "Pull Up", "Chin Up", "Incline Bench Press (Dumbbell)", "Lat Pulldown (Cable)",
    "Seated Cable Row", "Romanian Deadlift (Barbell)", "Leg Press", "Leg Extension (Machine)",
    "Lying Leg Curl (Machine)", "Hip Thrust (Barbell)", "Bulgarian Split Squat", "Lateral Raise (Dumbbell)",
    "Face Pull (Cable)", "Bicep Curl (Dumbbell)", "Hammer Curl (Dumbbell)", "Triceps Pushdown (Cable - Straight Bar)",
    "Skullcrusher (Barbell)", "Chest Fly (Dumbbell)", "Arnold Press (Dumbbell)", "Front Squat (Barbell)",
    "Pendlay Row (Barbell)", "Seated Calf Raise (Plate Loaded)", "Standing Calf Raise (Machine)", "Plank",
    "Hanging Leg Raise", "Cable Crunch", "Goblet Squat (Kettlebell)", "Walking Lunge (Dumbbell)", "Good Morning (Barbell)",
    "Shrug (Dumbbell)", "Preacher Curl (Barbell)", "Chest Dip", "Push Up", "Rowing (Machine)", "Running (Treadmill)",
]
WORKOUTS = ["Push", "Pull", "Legs", "Upper A", "Lower A", "Upper B", "Lower B", "Full Body", "1. Upper", "2. Push + Legs"]
NOTES = [
    "RPE: 8 on the last set", "3x 8-10 RPE7", "@8", "2 RIR", "Target: 10", "PAUSE AT TOP", "Close grip",
    "Still recovering from hip", "the squats tweaked my lower back again", "felt great", "Wide stance",
    "Height: 8, seat: +6", "aggravated my shoulder", "this progression worked", "Form focus",
]
WORKOUT_NOTES = ["way too much volume this week, wrecked", "For recovery days", "TEMPO + MIND MUSCLE CONNECTION",
                 "Still sore", "felt strong today"]
HEADER = ["Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps", "Distance", "Seconds",
          "Notes", "Workout Notes", "RPE"]
LB_TO_KG = 0.45359237


def _lb(lb: float) -> str:
    # Strong stores kg and converts back to lb on export: the float artefacts come with it
    return repr(lb * LB_TO_KG / LB_TO_KG) if lb else "0"


def generate(path: Path, n_sets: int, seed: int) -> int:
    rng = random.Random(seed)
    # 500,000 sets are ~23,000 sessions: a session every 10-30 hours from 1972 fits them inside the dates an
    # import accepts (1970 .. today + 1 year, peri.log.importers.bounds)
    when = dt.datetime(1972, 1, 1, 7, 0, 0)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        while written < n_sets:
            when += dt.timedelta(hours=rng.randint(10, 30), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
            date = when.strftime("%Y-%m-%d %H:%M:%S")
            name = rng.choice(WORKOUTS)
            minutes = rng.randint(30, 110)
            duration = f"{minutes // 60}h {minutes % 60}m" if minutes >= 60 else f"{minutes}m"
            wnote = rng.choice(WORKOUT_NOTES) if rng.random() < 0.03 else ""
            for ex in rng.sample(EXERCISES, rng.randint(4, 7)):
                base_lb = rng.choice([0, 25, 45, 65, 95, 115, 135, 185, 225, 275, 315, 17.5, 32.5])
                note = rng.choice(NOTES) if rng.random() < 0.08 else ""
                for order in range(1, rng.randint(3, 5) + 1):
                    if written >= n_sets:
                        break
                    reps = rng.randint(3, 15)
                    rpe = str(rng.choice([7, 8, 9])) if rng.random() < 0.01 else ""
                    first = order == 1
                    w.writerow([date, name, duration, ex, order, _lb(base_lb), reps, 0, 0,
                                note if first else "", wnote if first else "", rpe])
                    written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", type=int, default=500_000)
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs for each side")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    import pandas as pd

    from peri.log.catalog import default_catalog
    from peri.log.importers import import_file
    from peri.log.models import Athlete
    from peri.log.store import Store

    with tempfile.TemporaryDirectory(prefix="peri-bench-") as tmp:
        path = Path(tmp) / "strong-export.csv"
        t0 = time.perf_counter()
        n = generate(path, args.sets, args.seed)
        print(f"generated {n:,} sets ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        default_catalog()  # load the shipped catalog once, as a running CLI would have it

        pandas_best = peri_best = float("inf")
        report = None
        for i in range(args.repeat):
            t0 = time.perf_counter()
            df = pd.read_csv(path)
            pandas_best = min(pandas_best, time.perf_counter() - t0)
            assert len(df) == n
            del df

            store = Store(Path(tmp) / f"peri-{i}.db")
            store.add_athlete(Athlete(name="bench"))
            t0 = time.perf_counter()
            report = import_file(store, "bench", "strong", path)
            peri_best = min(peri_best, time.perf_counter() - t0)
            assert report.sets_new == n, report
            assert store.count_sets(store.get_athlete("bench").id) == n
            store.close()

        phases = _phases(path, Path(tmp) / "phases.db")
        peri_mb = _peak_mb(_PERI_IMPORT, path, Path(tmp) / "peak.db")
        pandas_mb = _peak_mb(_PANDAS_READ, path, Path(tmp) / "unused.db")

    print(f"pandas read_csv : {pandas_best:6.2f} s  {n / pandas_best:>12,.0f} sets/s  (reading only)")
    print(f"peri import     : {peri_best:6.2f} s  {n / peri_best:>12,.0f} sets/s  "
          f"(parse, normalise, map, store: {report.sessions_new:,} sessions, {report.annotations_new:,} notes)")
    ratio = peri_best / pandas_best
    print(f"ratio peri/pandas: {ratio:.2f}x  (target <= 3x: {'met' if ratio <= 3 else 'missed'})")
    print("where peri's time goes (one more run, phase by phase): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()))
    print(f"SQLite write / bare insert floor: {phases['SQLite write'] / phases['bare insert floor']:.2f}x "
          f"(the floor alone is {phases['bare insert floor'] / pandas_best:.1f}x pandas' read)")
    mem = peri_mb / pandas_mb
    print(f"peak memory: peri import {peri_mb:.0f} MB, pandas read_csv {pandas_mb:.0f} MB, ratio {mem:.2f}x "
          f"(target <= 2x: {'met' if mem <= 2 else 'missed'})")
    return 0


# Each measured in a fresh interpreter, so one's peak is not the other's leftover.
_PERI_IMPORT = """
from peri.log.importers import import_file
from peri.log.models import Athlete
from peri.log.store import Store
store = Store(DB)
store.add_athlete(Athlete(name="bench"))
import_file(store, "bench", "strong", PATH)
"""
_PANDAS_READ = """
import pandas as pd
pd.read_csv(PATH)
"""


def _peak_mb(code: str, path: Path, db: Path) -> float:
    """Peak resident memory (MB) of a fresh Python process running `code` on `path`."""
    import subprocess

    # VmHWM, not getrusage's ru_maxrss: a forked child's ru_maxrss starts at its parent's peak (this process,
    # which holds pandas' frame), while VmHWM belongs to the fresh address space exec gives the child
    prog = (f"PATH, DB = {str(path)!r}, {str(db)!r}\n" + code
            + "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])\n")
    out = subprocess.run([sys.executable, "-c", prog], check=True, capture_output=True, text=True).stdout
    return int(out.strip().splitlines()[-1]) / 1024  # VmHWM is in kB


def _phases(path: Path, db: Path) -> dict[str, float]:
    """The same import as `import_file`, timed phase by phase (garbage collector paused, as there)."""
    import gc

    from peri.log.importers import apply_mapping, catalog_mapper, parse_file, session_annotations
    from peri.log.models import Athlete
    from peri.log.store import Store

    store = Store(db)
    athlete = store.add_athlete(Athlete(name="bench"))
    out: dict[str, float] = {}
    gc.disable()
    try:
        t = time.perf_counter()
        parsed = parse_file("strong", path)
        out["read+parse+check"] = time.perf_counter() - t
        t = time.perf_counter()
        apply_mapping(parsed, catalog_mapper(store))
        notes = session_annotations(parsed)
        out["map+notes"] = time.perf_counter() - t
        t = time.perf_counter()
        store.add_session_rows(athlete.id, [((s.started_at, s.name, s.duration_s, s.notes, s.source), s.sets, n)
                                            for s, n in zip(parsed.sessions, notes)])
        out["SQLite write"] = time.perf_counter() - t
        out["bare insert floor"] = _insert_floor(parsed)
    finally:
        gc.enable()
        store.close()
    return out


def _insert_floor(parsed) -> float:
    """The least any SQLite write of these sets can cost: the same rows, one prepared executemany in one
    transaction, into an in-memory table with the sets columns and no index, key or constraint. The store's
    write against this (same run) says how much room insert tuning (pragmas, keys, batching) has left."""
    import sqlite3

    from peri.log.store import Store

    cols = Store._SET_COLUMNS
    rows = [(k, i, *w, None) for k, s in enumerate(parsed.sessions) for i, w in enumerate(s.sets)]
    c = sqlite3.connect(":memory:", isolation_level=None)
    c.execute(f"CREATE TABLE sets ({', '.join(cols)})")
    t = time.perf_counter()
    c.execute("BEGIN")
    c.executemany(f"INSERT INTO sets ({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})", rows)
    c.execute("COMMIT")
    elapsed = time.perf_counter() - t
    c.close()
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
