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


def set_counts(path: Path, fmt: str) -> Counter[str]:
    """Sets per logged name, as peri's importer reads the file."""
    from peri.log.importers import parse_file
    from peri.log.importers.base import EXERCISE

    parsed = parse_file(fmt, path)
    return Counter(w[EXERCISE] for s in parsed.sessions for w in s.sets)


def score(catalog: Catalog, counts: Counter[str], gold: dict) -> dict:
    """Coverage and precision of one catalog on weighted names (weights: sets, or 1 per name)."""
    total = sum(counts.values())
    mapped = right = placeable = placed = 0
    wrong: list[dict] = []
    unmapped: list[tuple[str, int]] = []
    unlabelled: list[str] = []
    for name, n in counts.items():
        hit = catalog.match(name)
        ex_id = hit.entry.id if hit.entry else None
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
            wrong.append({"name": name, "weight": n, "got": ex_id, "method": hit.method, "want": sorted(ok)})
    return {
        "total": total, "mapped": mapped, "right": right,
        "coverage": round(100 * mapped / total, 2) if total else None,
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
        counts = set_counts(path, fmt)
        g = gold["exports"].get(fname, {})
        held_out = Catalog.load(exclude_sources=[fname])
        report["exports"][fname] = {
            "names": len(counts),
            "held-out": score(held_out, counts, g), "words": score(words, counts, g), "shipped": score(shipped, counts, g),
        }
    for lst, g in (gold.get("public") or {}).items():
        counts = Counter({n: 1 for n in g})
        report["public"][lst] = {"names": len(counts), "shipped": score(shipped, counts, g), "words": score(words, counts, g)}
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print("exports (by sets; held-out = this file's own aliases removed)")
    print("  cov = % of sets mapped; placeable = % of the sets whose name has a catalog entry (gold); prec = % right")
    print(f"  {'file':20} {'sets':>6} {'names':>5} | {'held-out cov placeable prec':>28} | {'words only':>14} | {'shipped':>14}")
    for fname, r in report["exports"].items():
        h, w, s = r["held-out"], r["words"], r["shipped"]
        print(f"  {fname:20} {h['total']:6d} {r['names']:5d} | {h['coverage']:7.1f}% {h['coverage_placeable']:7.1f}% "
              f"{h['precision']:7.1f}%  | {w['coverage']:5.1f}% {w['precision']:5.1f}% | {s['coverage']:5.1f}% {s['precision']:5.1f}%")
    tot = [r["held-out"] for r in report["exports"].values()]
    if tot:
        t, m, ri = sum(h["total"] for h in tot), sum(h["mapped"] for h in tot), sum(h["right"] for h in tot)
        print(f"  {'all held-out':20} {t:6d}       | {100 * m / t:7.1f}%          {100 * ri / max(m, 1):7.1f}%")
    print("public lists (by name)")
    for lst, r in report["public"].items():
        s, w = r["shipped"], r["words"]
        print(f"  {lst:20} {r['names']:6d} names | shipped cov {s['coverage']:5.1f}% (placeable {s['coverage_placeable']:5.1f}%) "
              f"prec {s['precision']:5.1f}% | words only cov {w['coverage']:5.1f}% prec {w['precision']:5.1f}%")
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
