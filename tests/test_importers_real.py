"""The real app exports in ../shared/data/exports, read in place (never copied into the repo).

Expected numbers come from an independent count of each file with the csv module: data records minus
rows that are not sets (Strong's `Rest Timer` / `Note` rows, empty rows). Warm-up, drop and failure sets
ARE sets (kept with their set_type), so they count.
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import import_file
from peri.log.models import LB_TO_KG, Athlete
from peri.log.store import Store

FILES = [
    ("strong", "strong-ios.csv", ",", "Set Order"),
    ("strong", "strong-android.csv", ";", "Set Order"),
    ("hevy", "hevy.csv", ",", None),
    ("fitnotes", "fitnotes.csv", ",", None),
]


def ids(name: str) -> str:
    return name.lower()


def independent_count(path: Path, delimiter: str, order_col: str | None) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = next(reader)
        oi = header.index(order_col) if order_col else None
        n = 0
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            if oi is not None and row[oi].strip().lower() in ("rest timer", "note"):
                continue
            n += 1
    return n


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


@pytest.mark.parametrize("fmt, name, delim, order_col", FILES)
def test_real_export_imports_every_set_once(ana: Store, shared_data: Path, fmt, name, delim, order_col) -> None:
    path = shared_data / "exports" / name
    expected = independent_count(path, delim, order_col)
    r = import_file(ana, "ana", fmt, path, map_exercise=ids)
    assert r.sets_new == expected
    assert ana.count_sets(ana.get_athlete("ana").id) == expected
    dump = ana.dump()
    again = import_file(ana, "ana", fmt, path, map_exercise=ids)
    assert (again.sessions_new, again.sets_new, again.annotations_new) == (0, 0, 0)
    assert again.sets_existing == expected
    assert ana.dump() == dump


def test_documented_row_counts(shared_data: Path) -> None:
    """The counts in shared/data/README.md, checked against the files (fitnotes: README says 1,623, the file
    has 1,624 records - its last line has no newline, so `wc -l` under-counts by one)."""
    counts = {name: independent_count(shared_data / "exports" / name, d, o) for _, name, d, o in FILES}
    assert counts == {"strong-ios.csv": 4690, "strong-android.csv": 1521, "hevy.csv": 8650, "fitnotes.csv": 1624}


def test_hevy_set_types_match_the_file(ana: Store, shared_data: Path) -> None:
    path = shared_data / "exports" / "hevy.csv"
    with path.open(encoding="utf-8", newline="") as f:
        want = Counter(r["set_type"] for r in csv.DictReader(f))
    import_file(ana, "ana", "hevy", path, map_exercise=ids)
    got = Counter(w.set_type.value for s in ana.sessions(ana.get_athlete("ana").id) for w in s.sets)
    assert got == Counter({"normal": want["normal"], "warmup": want["warmup"], "drop": want["dropset"],
                           "failure": want["failure"]})
    rpe_rows = sum(1 for s in ana.sessions(ana.get_athlete("ana").id) for w in s.sets if w.rpe is not None)
    assert rpe_rows >= 62  # the RPE column (62 values), plus any read from notes


def test_strong_ios_pounds_and_notes(ana: Store, shared_data: Path) -> None:
    path = shared_data / "exports" / "strong-ios.csv"
    with path.open(encoding="utf-8", newline="") as f:
        total_lb = sum(float(r["Weight"]) for r in csv.DictReader(f))
    r = import_file(ana, "ana", "strong", path, map_exercise=ids)
    assert any("assumed lb" in w for w in r.warnings)
    a = ana.get_athlete("ana")
    sessions = ana.sessions(a.id)
    assert sum(w.weight_kg or 0 for s in sessions for w in s.sets) == pytest.approx(total_lb * LB_TO_KG, rel=1e-6)
    notes = {n.text: n for n in ana.annotations(a.id)}
    assert notes["Still recovering from hip"].regions == ["hip"] and "pain" in notes["Still recovering from hip"].tags
    assert notes["RPE: 8 on the last set"].rpe == 8
    rpe8 = [w for s in sessions for w in s.sets if w.note == "RPE: 8 on the last set"]
    assert rpe8 and all(w.rpe == 8 for w in rpe8)
    # the "Hip Thrust (Barbell)" sets carry no note, and no note anywhere says hip except the recovery one
    assert [t for t, n in notes.items() if "hip" in n.regions] == ["Still recovering from hip"]


def test_strong_android_croatian_and_units(ana: Store, shared_data: Path) -> None:
    path = shared_data / "exports" / "strong-android.csv"
    import_file(ana, "ana", "strong", path, map_exercise=ids)
    a = ana.get_athlete("ana")
    units = Counter(w.unit for s in ana.sessions(a.id) for w in s.sets)
    assert set(units) <= {"lb", None} and units["lb"] > 1400
    texts = {n.text for n in ana.annotations(a.id)}
    assert "Kod Mahera zvanog Ivan" in texts
    assert all(not n.tags for n in ana.annotations(a.id))  # cues and chatter, no complaints


def test_fitnotes_days_and_repaired_names(ana: Store, shared_data: Path) -> None:
    path = shared_data / "exports" / "fitnotes.csv"
    with path.open(encoding="utf-8", newline="") as f:
        days = {r[0] for r in list(csv.reader(f))[1:]}
    r = import_file(ana, "ana", "fitnotes", path, map_exercise=ids)
    assert r.sessions_new == len(days)
    assert any("99 rows" in w for w in r.warnings)
    names = {w.exercise for s in ana.sessions(ana.get_athlete("ana").id) for w in s.sets}
    assert "Overhead Press (Each Side, Dumbbells)" in names


def _cut_mid_line(data: bytes, line: int) -> bytes:
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 10]
    a, b = starts[line - 1], starts[line] - 1
    return data[: (a + b) // 2]


@pytest.mark.parametrize("fmt, name, delim, order_col", FILES)
@pytest.mark.parametrize("where", [0.3, 0.999])
def test_truncated_copy_fails_with_line_and_store_unchanged(
    ana: Store, shared_data: Path, tmp_path: Path, fmt, name, delim, order_col, where
) -> None:
    import_file(ana, "ana", "strong", Path(__file__).parent / "fixtures" / "imports" / "strong_new.csv", map_exercise=ids)
    dump = ana.dump()
    data = (shared_data / "exports" / name).read_bytes()
    n_lines = data.count(b"\n")
    line = max(2, int(n_lines * where))
    # a line that is a whole record (not inside a multi-line Hevy note)
    while data.split(b"\n")[line - 1].count(b'"') % 2:
        line -= 1
    cut = tmp_path / name
    cut.write_bytes(_cut_mid_line(data, line))
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", fmt, cut, map_exercise=ids)
    assert e.value.place == f"{cut}:{line}"
    assert ana.dump() == dump


def _garbled(shared_data: Path, tmp_path: Path, fmt: str, name: str, delim: str, garble: str) -> tuple[Path, int]:
    """A copy of a real export with the row in the middle garbled; its path and the row's line."""
    lines = (shared_data / "exports" / name).read_text(encoding="utf-8").split("\n")
    target = len(lines) // 2
    while lines[target - 1].count('"') % 2:  # not a line inside a multi-line note
        target += 1
    fields = next(csv.reader([lines[target - 1]], delimiter=delim))
    header = next(csv.reader([lines[0]], delimiter=delim))
    if garble == "reps":
        fields[[h.lower() for h in header].index("reps")] = "twelve"
    elif garble == "columns":
        fields = fields[:3]
    elif garble == "nul":
        fields[1] = fields[1] + "\x00"
    else:
        fields[[h.lower() for h in header].index("start_time" if fmt == "hevy" else "date")] = "31/31/2024 25:99"
    out = tmp_path / name
    buf = []
    csv.writer(_Lines(buf), delimiter=delim, lineterminator="").writerow(fields)
    lines[target - 1] = buf[0]
    out.write_text("\n".join(lines), encoding="utf-8")
    return out, target


@pytest.mark.parametrize("fmt, name, delim, order_col", FILES)
@pytest.mark.parametrize("garble", ["reps", "columns", "date"])
def test_one_garbled_row_is_refused_alone_and_named(
    ana: Store, shared_data: Path, tmp_path: Path, fmt, name, delim, order_col, garble
) -> None:
    """An odd cell, a short row or a date cell that is no date in a long log costs that row only
    (base.Problems.settle): it is listed with its place and never stored; every other set of the export is
    imported."""
    whole = import_file(ana, "ana", fmt, shared_data / "exports" / name, map_exercise=ids, dry_run=True)
    out, target = _garbled(shared_data, tmp_path, fmt, name, delim, garble)
    r = import_file(ana, "ana", fmt, out, map_exercise=ids)
    assert r.refused_count == 1 and r.refused[0].startswith(f"{out}:{target}: ")
    assert whole.sets_new - 1 <= r.sets_new <= whole.sets_new and r.sets_new > 0


@pytest.mark.parametrize("fmt, name, delim, order_col", FILES)
@pytest.mark.parametrize("garble", ["nul"])
def test_garbled_copy_fails_with_line_and_store_unchanged(
    ana: Store, shared_data: Path, tmp_path: Path, fmt, name, delim, order_col, garble
) -> None:
    """Binary bytes refuse the file (a date that is no date refuses its row alone, above)."""
    dump = ana.dump()
    out, target = _garbled(shared_data, tmp_path, fmt, name, delim, garble)
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", fmt, out, map_exercise=ids)
    assert e.value.place == f"{out}:{target}"
    assert ana.dump() == dump


class _Lines:
    def __init__(self, buf: list[str]):
        self.buf = buf

    def write(self, s: str) -> None:
        self.buf.append(s)


def test_names_that_are_not_exercises_are_reported_apart(ana: Store, shared_data: Path) -> None:
    """strong-ios.csv logs "Intensity" (one unloaded 1-10 set at the end of 185 sessions): a session rating,
    reported as not an exercise rather than as an exercise the catalog lacks; its sets are kept as logged."""
    r = import_file(ana, "ana", "strong", shared_data / "exports" / "strong-ios.csv", mapping={"unit": "lb"})
    assert r.sets_new == 4690
    assert "Intensity" in r.unmapped_exercises and r.not_exercises["Intensity"].startswith("marker:")
    assert "185 of 185 sessions" in r.not_exercises["Intensity"]
    # exercises the catalog lacks stay exercises
    assert not set(r.not_exercises) & {"Lateral Squat", "Cable Kickback", "Lu Raises", "Birddog"}
