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


def _script(name: str):
    import importlib.util
    import sys

    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RESULTS = """
    peri.a.b.x_f__mutmut_1: killed
    peri.a.b.x_f__mutmut_2: survived
    peri.a.b.x_g__mutmut_1: survived
    peri.a.b.x_g__mutmut_2: timeout
    peri.a.b.x_g__mutmut_3: no tests
    peri.a.b.x_g__mutmut_4: not checked
"""


def test_report_counts_scores_and_targets() -> None:
    report = _script("mutation_report")
    statuses = report.parse(RESULTS)["peri.a.b"]
    equivalent = {"peri.a.b.x_g__mutmut_*": "a whole function judged equivalent, with its reason"}
    c = report.counts(statuses, equivalent)
    # 5 checked (the unchecked one is not counted): 1 killed, 1 timeout, 2 explained (g's survivor and its
    # untested mutant), 1 open survivor of f
    assert (c["checked"], c["killed"], c["timeout"], c["explained"], c["survived"], c["no tests"]) == (5, 1, 1, 2, 1, 0)
    assert report.score(c) == 4 / 5
    entries = [{"module": "peri.a", "target": 0.85}, {"module": "peri.c"}]
    assert report.target_of("peri.a.b", entries) == 0.85  # a package's entry holds its files
    assert report.target_of("peri.c", entries) == report.TARGET == 0.90
    assert report.target_of("peri.ab", entries) == 0.90  # a name prefix is not a package


def test_report_file_keeps_the_sections_of_modules_not_run_here(tmp_path: Path) -> None:
    report = _script("mutation_report")
    path = tmp_path / "report.md"
    entries = [{"module": "m.one"}, {"module": "m.two"}, {"module": "m.three"}]
    path.write_text("# old head\n\n## m.two\n\nold two\n\n## m.one\n\nold one\n", encoding="utf-8")
    report.write_report({"m.one": "## m.one\n\nnew one"}, entries, path)
    text = path.read_text(encoding="utf-8")
    assert "new one" in text and "old one" not in text and "old two" in text
    # in the order of scripts/mutation_modules.yaml; a module with no section yet is listed as such
    assert text.index("## m.one") < text.index("## m.two") < text.index("## m.three")
    assert "## m.three\n\nno results in this report yet" in text


def test_run_exits_non_zero_when_a_module_falls_below_its_target(monkeypatch) -> None:
    run = _script("mutation_run")
    monkeypatch.setattr(run, "load_modules", lambda: [{"module": "m.one", "mutate": [], "tests": []},
                                                      {"module": "m.two", "mutate": [], "tests": []}])
    monkeypatch.setattr(run, "run_module", lambda entry, args: 0)
    scores = {"m.one": (0.95, 0.90), "m.two": (0.91, 0.90)}
    monkeypatch.setattr(run, "module_score", lambda name: scores[name])
    assert run.main([]) == 0
    scores["m.two"] = (0.899, 0.90)
    assert run.main([]) == 1
    assert run.main(["m.one"]) == 0  # only the modules asked for are held
    monkeypatch.setattr(run, "run_module", lambda entry, args: 1)  # mutmut did not finish
    assert run.main(["m.one"]) == 1


def test_a_files_own_entry_wins_over_its_packages_wherever_listed() -> None:
    report = _script("mutation_report")
    package, own = {"module": "peri.a", "target": 0.85}, {"module": "peri.a.b", "target": 0.95}
    for entries in ([package, own], [own, package]):
        assert report.entry_of("peri.a.b", entries) is own
        assert report.entry_of("peri.a.c", entries) is package  # a file without an entry of its own
        assert report.entry_of("peri.a", entries) is package  # the package's __init__.py
