"""MacroFactor's superset and circuit tags in exercise names ("Reverse Nordic Curl ∈ SS1", "... ∈ C1"; the shape
as a public importer's fixture of that export writes it, see `exercise_group_tags` in the vocabulary file): the
exercise is read without its tag, the same lift whether tagged or not, and the report says the grouping was
not stored (peri keeps none)."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.log.importers import import_file, parse_file
from peri.log.importers.grouptags import split_group_tag
from peri.log.store import Store
from test_importers_unseen import ana, sets_of  # noqa: F401  (the `ana` fixture)


@pytest.mark.parametrize("name, split", [
    ("Reverse Nordic Curl ∈ SS1", ("Reverse Nordic Curl", "superset 1")),
    ("Scapular Retraction ∈ C1", ("Scapular Retraction", "circuit 1")),
    ("Bench Press (Barbell)∈SS12", ("Bench Press (Barbell)", "superset 12")),
    ("Lateral Raise ∈ ss2 ", ("Lateral Raise", "superset 2")),
    ("Bench Press", ("Bench Press", None)),
    ("x ∈ SS", ("x ∈ SS", None)),           # no number: no tag of that shape, the name as written
    ("∈ SS1", ("∈ SS1", None)),             # nothing before the tag: no exercise to keep
    ("Curl ∈ DS1", ("Curl ∈ DS1", None)),   # a label the export does not write
])
def test_split_group_tag_by_hand(name: str, split) -> None:
    assert split_group_tag(name) == split


MF = ("date,workout,exercise,set type,reps,weight (lb),rir,duration\n"
      "2024-02-01,Push Day,Reverse Nordic Curl,Standard Set,8,,3,\n"
      "2024-02-01,Push Day,Reverse Nordic Curl ∈ SS1,Standard Set,6,,3,\n"
      "2024-02-01,Push Day,Lateral Raise ∈ SS1,Standard Set,12,20,2,\n"
      "2024-02-01,Push Day,Plank ∈ C1,Standard Set,,,,60\n")


def test_a_macrofactor_log_with_superset_tags(ana: Store, tmp_path: Path) -> None:
    f = tmp_path / "mf.csv"
    f.write_text(MF, encoding="utf-8")
    p = parse_file("csv", f)
    assert [(w[0], w[2]) for w in sets_of(p)] == [
        ("Reverse Nordic Curl", 1), ("Reverse Nordic Curl", 2), ("Lateral Raise", 1), ("Plank", 1)]
    said = [w for w in p.warnings if "tag such as" in w]
    assert len(said) == 1
    assert said[0].startswith("3 rows name their exercise with a circuit or superset tag such as "
                              "'Reverse Nordic Curl ∈ SS1'") and f"(first at {f}:3)" in said[0]
    assert "the grouping was not stored" in said[0]
    r = import_file(ana, "ana", "auto", f)
    assert "Reverse Nordic Curl ∈ SS1" not in r.unmapped_exercises
    assert not any("∈" in n for n in r.unmapped_exercises)


def test_a_log_without_tags_says_nothing_about_them(tmp_path: Path) -> None:
    f = tmp_path / "mf.csv"
    f.write_text(MF.replace(" ∈ SS1", "").replace(" ∈ C1", ""), encoding="utf-8")
    assert not [w for w in parse_file("csv", f).warnings if "tag" in w]
