"""What one model-mode question costs, and what the rephrasing request's size buys: variants of the request
Peri sends the embedded model, interleaved question by question on the same machine (so load hits each alike).

    python bench/guide_rephrase.py [--split test] [--start 0] [--n 6] [--variant old --variant 400:60 ...]

A variant is `CHARS:TOKENS` (the grounded lead up to CHARS characters, at most TOKENS new tokens; Peri's own
is peri.guide.peri.REPHRASE_FACT_CHARS:REPHRASE_MAX_TOKENS) or `old` (the first 1,500 characters of the whole
answer and 80 tokens, the request before 2026-12-01). For each: seconds a question, prompt tokens, answers
where `check_model_text` kept a sentence. The check always reads the whole grounded answer.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--n", type=int, default=6)
    ap.add_argument("--variant", action="append", help="CHARS:TOKENS or old (repeatable)")
    args = ap.parse_args()
    variants = args.variant or ["old", "400:60"]

    home = Path(tempfile.mkdtemp(prefix="peri-rephrase-bench-"))
    os.environ["PERI_HOME"] = str(home)
    import guide as bench_guide

    from peri.backends.base import GenerationRequest
    from peri.backends.registry import get_backend
    from peri.guide.peri import REPHRASE_SYSTEM, Peri, check_model_text, rephrase_request
    from peri.log.catalog import default_catalog
    from peri.log.context import load_context
    from peri.log.store import Store
    from peri.sim.generate import simulate
    from peri.tune.dataset import build_dataset, write_dataset

    store = Store(home / "peri.db")
    simulate(store, "seed", seed=11, weeks=60, athlete_name="sam", home=home)
    write_dataset(build_dataset(load_context(store, "sam"), default_catalog()))
    peri = Peri(store, "sam", home=home)
    backend = get_backend("embedded")

    def request(ans, v: str) -> GenerationRequest:
        if v == "old":
            return GenerationRequest(messages=[{"role": "system", "content": REPHRASE_SYSTEM},
                                               {"role": "user", "content": f"Facts:\n{ans.text[:1500]}\n\nQuestion: {ans.question}"}],
                                     max_tokens=80, temperature=0.0)
        chars, tokens = (int(x) for x in v.split(":"))
        return rephrase_request(ans, fact_chars=chars, max_tokens=tokens)

    totals = {v: {"n": 0, "s": 0.0, "prompt": 0, "kept": 0, "cut": 0} for v in variants}
    for row in bench_guide.load(args.split)[args.start: args.start + args.n]:
        ans = peri.ask(row["q"])
        if not ans.in_scope:
            continue
        for v in variants:
            t0 = time.perf_counter()
            out = backend.generate(request(ans, v))
            t = totals[v]
            t["n"] += 1
            t["s"] += time.perf_counter() - t0
            t["prompt"] += out.prompt_tokens or 0
            t["kept"] += bool(check_model_text(out.text.strip(), ans)[0])
            t["cut"] += out.finish_reason == "length"
    print(f"split {args.split}, questions {args.start}..{args.start + args.n - 1}, model loaded in {backend.load_s:.1f} s")
    for v, t in totals.items():
        n = max(t["n"], 1)
        print(f"{v:>8}: {t['s'] / n:6.1f} s a question  {t['prompt'] / n:5.0f} prompt tokens  "
              f"kept on {t['kept']}/{t['n']}  cut at the cap {t['cut']}/{t['n']}")
    backend.close()


if __name__ == "__main__":
    sys.exit(main())
