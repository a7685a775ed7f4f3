"""Note-parsing benchmark: time to parse one note against its length, 1 KB to 1 MB, with a linear fit.

    .venv/bin/python bench/notes.py [--max-kb 1024] [--repeat 3] [--seed 7]

A note is built from real-looking clauses (effort, pain, negations, other languages) drawn at random,
plus two shapes that used to be worst cases: one clause without any break, and a run of slash-joined
pain words. For each length the best of `--repeat` runs is kept (first parse: no cache). The fit
`time = a + b * length` and the ratio time(1 MB) / (1024 * time(1 KB)) say whether the parser is linear
(a ratio near 1 or below; a quadratic parser gives a ratio of hundreds). Target: 1 MB in under a second.
"""
from __future__ import annotations

import argparse
import random
import time

CLAUSES = [
    "RPE: 8 on the last set", "3x 8-10 RPE7", "2 RIR", "the squats tweaked my lower back again", "no pain in the knee",
    "shoulder felt a bit off but not painful", "way too much volume, wrecked", "felt strong today", "hip thrust heavy",
    "bez boli u koljenu", "dolor en el hombro otra vez", "Schulter tut weh", "this progression worked", "@8.5",
    "tired, slept badly", "back squat paused", "pain-free", "isn't sore", "sin nada de dolor", "new PR",
]


def make_note(n: int, shape: str, rng: random.Random) -> str:
    if shape == "clauses":
        parts: list[str] = []
        size = 0
        while size < n:
            c = rng.choice(CLAUSES)
            parts.append(c)
            size += len(c) + 2
        return (". ".join(parts))[:n]
    if shape == "one-clause":
        words = " ".join(w for c in CLAUSES for w in c.replace(",", " ").replace(".", " ").split())
        return (words + " ") * (n // (len(words) + 1) + 1)
    return ("pain/" * (n // 5 + 1))[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-kb", type=int, default=1024)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    from peri.log.notes import parse_note

    rng = random.Random(args.seed)
    sizes = [kb * 1024 for kb in (1, 4, 16, 64, 256, 1024) if kb <= args.max_kb]
    print(f"{'shape':<11} {'KB':>6} {'seconds':>9} {'us/KB':>8}")
    worst = 0.0
    for shape in ("clauses", "one-clause", "slashes"):
        xs, ys = [], []
        for n in sizes:
            best = float("inf")
            for r in range(args.repeat):
                text = make_note(n, shape, rng) + f" #{r}"  # a distinct text each time: never a cache hit
                t0 = time.perf_counter()
                parse_note(text)
                best = min(best, time.perf_counter() - t0)
            xs.append(n)
            ys.append(best)
            print(f"{shape:<11} {n // 1024:>6} {best:>9.4f} {best / (n / 1024) * 1e6:>8.0f}")
        k = len(xs)
        mx, my = sum(xs) / k, sum(ys) / k
        b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        a = my - b * mx
        ss_tot = sum((y - my) ** 2 for y in ys)
        r2 = 1 - sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys)) / ss_tot if ss_tot else 1.0
        ratio = (ys[-1] / xs[-1]) / (ys[0] / xs[0])
        print(f"  fit: {a * 1e3:.2f} ms + {b * 1e9:.0f} ns/byte (R^2 {r2:.3f}); per-byte cost at the largest size / "
              f"at the smallest: {ratio:.2f}")
        worst = max(worst, ys[-1])
    if sizes and sizes[-1] >= 1024 * 1024:
        verdict = "PASS" if worst < 1.0 else "MISS"
        print(f"1 MB note, slowest shape: {worst:.2f} s -> {verdict} (target < 1 s)")


if __name__ == "__main__":
    main()
