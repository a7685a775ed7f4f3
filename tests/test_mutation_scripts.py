"""The mutation-testing data files (issue 20) stay usable: they parse, name real files and tests, and every
hand-made mutant still applies (its text occurs exactly once), so a refactor cannot silently retire one."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


def test_every_hand_mutant_still_applies_and_names_existing_tests() -> None:
    for m in yaml.safe_load((SCRIPTS / "hand_mutants.yaml").read_text(encoding="utf-8")):
        source = (ROOT / m["file"]).read_text(encoding="utf-8")
        assert source.count(m["find"]) == 1, f"{m['id']}: its text no longer occurs once in {m['file']}"
        assert m["replace"] != m["find"], m["id"]
        for test in m["tests"]:
            path, _, name = test.partition("::")
            assert (ROOT / path).exists(), f"{m['id']}: {path}"
            assert re.search(rf"^def {re.escape(name)}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), test


def test_module_map_names_existing_sources() -> None:
    entries = yaml.safe_load((SCRIPTS / "mutation_modules.yaml").read_text(encoding="utf-8"))
    assert len({e["module"] for e in entries}) == len(entries)
    for e in entries:
        for pattern in e["mutate"]:
            assert list(ROOT.glob(pattern)), f"{e['module']}: {pattern} matches nothing"
        assert any(t.startswith("tests/") for t in e["tests"]), e["module"]


def test_equivalents_are_mutant_names_with_a_reason() -> None:
    equivalent = yaml.safe_load((SCRIPTS / "mutation_equivalent.yaml").read_text(encoding="utf-8"))
    for name, why in equivalent.items():
        assert re.fullmatch(r"peri(\.\w+)+\.x\w*__mutmut_(\d+|\*)", name), name
        assert isinstance(why, str) and len(why) > 20, name
