"""How well logged exercise names map to the catalog on names the tables never saw.

    PYTHONPATH=src .venv/bin/python bench/catalog_mapping.py [--data ../shared/data] [--gold bench/data/catalog_gold.yaml] [--json]

For each real export in ``DATA/exports`` (parsed by peri's own importer, so a set is what the
import stores) three catalogs are measured:

* ``held-out``  - leave one export out: every shipped alias (and unmappable name) whose ``source``
  in aliases.yaml is the file being measured is removed, so the file's names reach the catalog
  only through aliases written from other files, exact catalog names and the word tables. This is
  the figure that says how a stranger's export will fare. Target: >= 97 % of sets mapped at >= 98 %
  precision.
* ``words``     - no shipped aliases at all: the parser alone.
* ``shipped``   - everything as shipped (these files' own aliases included: an upper bound, not a
  measurement of generalisation).

Coverage = % of sets whose name maps to an entry; precision = % of mapped sets whose entry is the
gold id or an accepted equivalent (``bench/data/catalog_gold.yaml``, hand-labelled by name); an
unmapped name is never counted wrong, a name the gold says has no entry (``none``) and maps anyway
is. The public lists (other apps' built-in exercise names) are measured by name.

Names that are not strength exercises are counted apart (``not-ex``) and left out of the coverage
denominator: an unmapped name that ``peri.log.non_exercise.classify`` calls a session rating, an activity
or a rest/note row (by its words, or for exports by its rows' shape) AND that the gold's ``not_exercise``
list names. A name only the classifier excludes stays in the denominator and is listed. ``+base`` adds
the base-movement fallback (`Catalog.parse(name, base_fallback=True)`), which `match` does not use.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from peri.log.catalog import Catalog  # noqa: E402

FILES = {"strong-ios.csv": "strong", "strong-android.csv": "strong", "hevy.csv": "hevy", "fitnotes.csv": "fitnotes"}


def accepted(label: object) -> tuple[set[str], bool]:
    """(accepted ids, 'none' among them, as the string 'none'), ambiguous flag."""
    if isinstance(label, dict):
        return {str(x) for x in label.get("accept") or []}, bool(label.get("ambiguous"))
    if isinstance(label, list):
        return {str(x) for x in label}, False
    return {str(label)}, False


def set_counts(path: Path, fmt: str) -> tuple[Counter[str], dict]:
    """Sets per logged name as peri's importer reads the file, and each name's row shape."""
    from peri.log.importers import parse_file
    from peri.log.importers.base import DISTANCE_M, EXERCISE, REPS, RPE, SECONDS, WEIGHT_KG
    from peri.log.non_exercise import shapes

    parsed = parse_file(fmt, path)
    counts = Counter(w[EXERCISE] for s in parsed.sessions for w in s.sets)
    rows = [[(w[EXERCISE], w[WEIGHT_KG], w[REPS], w[RPE], w[SECONDS], w[DISTANCE_M]) for w in s.sets] for s in parsed.sessions]
    return counts, shapes(rows)


def base_matcher(catalog: Catalog):
    """The matcher plus the base-movement fallback (what `catalog unmapped --suggest` proposes)."""
    def match(name: str) -> str | None:
        hit = catalog.match(name)
        if hit.entry:
            return hit.entry.id
        _, res = catalog.parse(name, base_fallback=True)
        return res.exercise_id if res else None
    return match


def score(catalog: Catalog, counts: Counter[str], gold: dict, shapes: dict | None = None,
          not_exercise: dict | None = None, matcher=None) -> dict:
    """Coverage and precision of one catalog on weighted names (weights: sets, or 1 per name).

    An unmapped name that peri's classifier calls "not an exercise" (with the rows' shape when
    known) AND the gold lists under ``not_exercise`` leaves the denominator (``excluded``); one the
    classifier calls so but the gold does not stays in it (``false_excluded``).
    """
    from peri.log.non_exercise import classify

    total = sum(counts.values())
    mapped = right = placeable = placed = excluded = 0
    wrong: list[dict] = []
    unmapped: list[tuple[str, int]] = []
    unlabelled: list[str] = []
    excluded_names: list[dict] = []
    false_excluded: list[dict] = []
    for name, n in counts.items():
        if matcher is not None:
            ex_id = matcher(name)
            hit = None
        else:
            hit = catalog.match(name)
            ex_id = hit.entry.id if hit.entry else None
        if ex_id is None:
            ne = classify(name, (shapes or {}).get(name))
            if ne is not None:
                row = {"name": name, "weight": n, "kind": ne.kind, "evidence": ne.evidence}
                if name in (not_exercise or {}):
                    excluded += n
                    excluded_names.append(row)
                    continue
                false_excluded.append(row)
        if name not in gold:
            unlabelled.append(name)
        ok, _ = accepted(gold.get(name, "none"))
        if "none" not in ok:  # the gold says an entry fits: a name the mapper should place
            placeable += n
            placed += n if ex_id is not None else 0
        if ex_id is None:
            unmapped.append((name, n))
            continue
        mapped += n
        if ex_id in ok:
            right += n
        else:
            wrong.append({"name": name, "weight": n, "got": ex_id, "method": hit.method if hit else "base", "want": sorted(ok)})
    counted = total - excluded
    return {
        "total": total, "excluded": excluded, "counted": counted, "mapped": mapped, "right": right,
        "coverage": round(100 * mapped / counted, 2) if counted else None,
        "excluded_names": sorted(excluded_names, key=lambda r: -r["weight"]),
        "false_excluded": false_excluded,
        "precision": round(100 * right / mapped, 2) if mapped else None,
        # of the sets whose name has a catalog entry by the gold, how many were placed
        "coverage_placeable": round(100 * placed / placeable, 2) if placeable else None,
        "wrong": sorted(wrong, key=lambda w: -w["weight"]),
        "unmapped": [n for n, _ in sorted(unmapped, key=lambda t: -t[1])],
        "unlabelled": unlabelled,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--gold", type=Path, default=ROOT / "bench" / "data" / "catalog_gold.yaml")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    import yaml

    gold = yaml.safe_load(args.gold.read_text(encoding="utf-8"))
    nonex = gold.get("not_exercise") or {}
    words = Catalog.load(aliases_path=args.gold.parent / "__no_aliases__.yaml")
    shipped = Catalog.load()
    report: dict = {"exports": {}, "public": {}}
    exports = args.data / "exports"
    if not exports.is_dir():
        print(f"no exports at {exports}: pass --data", file=sys.stderr)
        return 2
    for fname, fmt in FILES.items():
        path = exports / fname
        if not path.exists():
            continue
        counts, shp = set_counts(path, fmt)
        g = gold["exports"].get(fname, {})
        held_out = Catalog.load(exclude_sources=[fname])
        report["exports"][fname] = {
            "names": len(counts),
            "held-out": score(held_out, counts, g, shp, nonex),
            "held-out+base": score(held_out, counts, g, shp, nonex, matcher=base_matcher(held_out)),
            "words": score(words, counts, g, shp, nonex), "shipped": score(shipped, counts, g, shp, nonex),
        }
    for lst, g in (gold.get("public") or {}).items():
        counts = Counter({n: 1 for n in g})
        report["public"][lst] = {"names": len(counts), "shipped": score(shipped, counts, g, None, nonex),
                                 "words": score(words, counts, g, None, nonex),
                                 "shipped+base": score(shipped, counts, g, None, nonex, matcher=base_matcher(shipped))}
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print("exports (by sets; held-out = this file's own aliases removed)")
    print("  not-ex = sets of unmapped names that are not strength exercises (a session rating, a cardio or sport")
    print("  activity, a rest/note row: peri.log.non_exercise, by words or the rows' shape) and that the gold agrees")
    print("  about; they are left out of cov. cov = % of the other sets mapped; placeable = % of the sets whose")
    print("  name has a catalog entry (gold); prec = % of mapped sets right; +base = with the base-movement fallback")
    print(f"  {'file':20} {'sets':>6} {'not-ex':>6} {'names':>5} | {'held-out cov placeable prec':>28} | {'+base cov prec':>14} "
          f"| {'words only':>14} | {'shipped':>14}")
    for fname, r in report["exports"].items():
        h, b, w, s = r["held-out"], r["held-out+base"], r["words"], r["shipped"]
        print(f"  {fname:20} {h['total']:6d} {h['excluded']:6d} {r['names']:5d} | {h['coverage']:7.1f}% {h['coverage_placeable']:7.1f}% "
              f"{h['precision']:7.1f}%  | {b['coverage']:5.1f}% {b['precision']:5.1f}% "
              f"| {w['coverage']:5.1f}% {w['precision']:5.1f}% | {s['coverage']:5.1f}% {s['precision']:5.1f}%")
    tot = [r["held-out"] for r in report["exports"].values()]
    if tot:
        t, c, m, ri = (sum(h[k] for h in tot) for k in ("total", "counted", "mapped", "right"))
        print(f"  {'all held-out':20} {t:6d} {t - c:6d}       | {100 * m / c:7.1f}%          {100 * ri / max(m, 1):7.1f}%")
    print("public lists (by name; not-ex names left out as above)")
    for lst, r in report["public"].items():
        s, w, b = r["shipped"], r["words"], r["shipped+base"]
        print(f"  {lst:20} {r['names']:6d} names, {len(s['excluded_names']):2d} not-ex | shipped cov {s['coverage']:5.1f}% "
              f"(placeable {s['coverage_placeable']:5.1f}%) prec {s['precision']:5.1f}% | +base cov {b['coverage']:5.1f}% "
              f"prec {b['precision']:5.1f}% | words only cov {w['coverage']:5.1f}% prec {w['precision']:5.1f}%")
    print("\nnot strength exercises (held-out exports, public lists as shipped), with the evidence:")
    for src, h in [(f, r["held-out"]) for f, r in report["exports"].items()] + [(lst, r["shipped"]) for lst, r in report["public"].items()]:
        for x in h["excluded_names"]:
            print(f"  {src}: {x['name']!r} ({x['weight']}) {x['kind']}: {x['evidence']}")
        for x in h["false_excluded"]:
            print(f"  {src}: {x['name']!r} ({x['weight']}) called {x['kind']} but the gold says it is an exercise: kept in cov")
    print("\nwrong mappings with the base-movement fallback (not shipped in `match`; proposed by `catalog unmapped --suggest`):")
    for src, h in [(f, r["held-out+base"]) for f, r in report["exports"].items()] + [(lst, r["shipped+base"]) for lst, r in report["public"].items()]:
        for x in h["wrong"]:
            print(f"  {src}: {x['name']!r} ({x['weight']}) -> {x['got']}, gold {x['want']}")
    print("\nwrong mappings (held-out exports, public lists as shipped):")
    for fname, r in report["exports"].items():
        for x in r["held-out"]["wrong"]:
            print(f"  {fname}: {x['name']!r} ({x['weight']} sets) -> {x['got']} [{x['method']}], gold {x['want']}")
    for lst, r in report["public"].items():
        for x in r["shipped"]["wrong"] + [x for x in r["words"]["wrong"] if x not in r["shipped"]["wrong"]]:
            print(f"  {lst}: {x['name']!r} -> {x['got']} [{x['method']}], gold {x['want']}")
    print("\nunmapped public names (as shipped):")
    for lst, r in report["public"].items():
        print(f"  {lst}: {', '.join(repr(n) for n in r['shipped']['unmapped']) or '-'}")
    print("\nunmapped (held-out exports, most sets first):")
    for fname, r in report["exports"].items():
        print(f"  {fname}: {', '.join(repr(n) for n in r['held-out']['unmapped']) or '-'}")
    missing = [n for r in report["exports"].values() for n in r["held-out"]["unlabelled"]]
    if missing:
        print(f"\nnames without a gold label (counted wrong when mapped): {missing}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
