"""The shapes another app's export of the same log takes (`peri.log.importers.headrows` and the readers around it):
a title or metadata block above the header, group labels over it, units under it, a totals row or a "Total
volume" line at the bottom, the unit only in the header, decimal commas with `;`, a JSON list of workouts with
nested sets, columns in an order never seen, blank lines between workouts. Each variant is generated from a small
hand-made log in three layouts (a log of one's own, Strong's, Hevy's) and must read as the log itself does;
the real exports in ../shared/data are turned into the same variants in place (never copied)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.log.importers import detect_format, parse_file

# a log of one's own: 2 sessions, 5 sets, in kg
OWN = (["Date", "Exercise", "Weight", "Unit", "Reps", "Notes"], [
    ["2024-03-04", "Back Squat", "100", "kg", "5", ""],
    ["2024-03-04", "Back Squat", "102.5", "kg", "5", "belt"],
    ["2024-03-04", "Bench Press", "70", "kg", "8", ""],
    ["2024-03-06", "Deadlift", "140", "kg", "3", ""],
    ["2024-03-06", "Deadlift", "150", "kg", "1", "PR"],
])
# Strong's Android export (its header; `;` in the app, `,` here), loads in lb
STRONG = (["Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Weight Unit", "Reps", "RPE", "Distance",
           "Distance Unit", "Seconds", "Notes", "Workout Notes", "Workout Duration"], [
    ["2024-03-04 18:02:11", "Legs", "Squat (Barbell)", "1", "225", "lbs", "5", "", "", "", "0", "", "", "45m"],
    ["2024-03-04 18:02:11", "Legs", "Squat (Barbell)", "2", "225", "lbs", "5", "", "", "", "0", "", "", "45m"],
    ["2024-03-04 18:02:11", "Legs", "Bench Press (Barbell)", "1", "155", "lbs", "8", "8", "", "", "0", "", "", "45m"],
    ["2024-03-06 17:40:00", "Pull", "Deadlift (Barbell)", "1", "315", "lbs", "3", "", "", "", "0", "easy", "", "50m"],
    ["2024-03-06 17:40:00", "Pull", "Deadlift (Barbell)", "2", "335", "lbs", "1", "", "", "", "0", "", "", "50m"],
])
HEVY = (["title", "start_time", "end_time", "description", "exercise_title", "superset_id", "exercise_notes",
         "set_index", "set_type", "weight_kg", "reps", "distance_km", "duration_seconds", "rpe"], [
    ["Legs", "4 Mar 2024, 18:02", "4 Mar 2024, 18:50", "", "Squat (Barbell)", "", "", "0", "warmup", "60", "5", "", "", ""],
    ["Legs", "4 Mar 2024, 18:02", "4 Mar 2024, 18:50", "", "Squat (Barbell)", "", "", "1", "normal", "100", "5", "", "", ""],
    ["Legs", "4 Mar 2024, 18:02", "4 Mar 2024, 18:50", "", "Squat (Barbell)", "", "", "2", "normal", "102.5", "5", "", "", ""],
    ["Pull", "6 Mar 2024, 17:40", "6 Mar 2024, 18:30", "", "Deadlift (Barbell)", "", "", "0", "normal", "140", "3", "", "", "8.5"],
    ["Pull", "6 Mar 2024, 17:40", "6 Mar 2024, 18:30", "", "Deadlift (Barbell)", "", "", "1", "normal", "150", "1", "", "", ""],
])
LAYOUTS = {"own": OWN, "strong": STRONG, "hevy": HEVY}


def _csv(header: list[str], rows: list[list[str] | None], delimiter: str = ",", before: str = "", after: str = "") -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        out.write("\n") if r is None else w.writerow(r)
    return before + out.getvalue() + after


def _index(header: list[str], *names: str) -> int | None:
    low = [h.lower() for h in header]
    return next((low.index(n) for n in names if n in low), None)


def variants(header: list[str], rows: list[list[str]], unit: str) -> dict[str, tuple[str, str]]:
    """name -> (file suffix, text) of each shape of the log (header, rows) whose loads are in `unit`."""
    n, date = len(header), _index(header, "date", "start_time") or 0
    out = {"as exported": (".csv", _csv(header, rows))}
    out["title lines above"] = (".csv", _csv(header, rows, before="Training log - exported from MyApp\nAthlete: Jane,,\n\n"))
    out["metadata block above"] = (".csv", _csv(header, rows, before="Athlete,Jane Doe\nExported,2024-03-07\n"
                                                                    "Program,5/3/1\n\n"))
    groups = [""] * n
    groups[0], groups[n // 2] = "Workout", "Set"
    out["group labels above"] = (".csv", _csv(groups, [header] + rows))
    total = [""] * n
    total[0], total[-1] = "Total", "12345"
    out["totals row"] = (".csv", _csv(header, rows + [total]))
    out["total volume line"] = (".csv", _csv(header, rows, after="\nTotal volume: 12,345 kg\n"))
    sub = [""] * n
    sub[0], sub[-2], sub[-1] = "Workout total", "3", "1,234.5 kg"
    totalled: list[list[str] | None] = []
    for i, r in enumerate(rows):
        if i and r[date] != rows[i - 1][date]:
            totalled.append(sub)
        totalled.append(r)
    out["a total row after each workout"] = (".csv", _csv(header, totalled + [sub]))
    weight, unit_col = _index(header, "weight"), _index(header, "unit", "weight unit")
    if weight is not None:
        under = [""] * n
        under[weight] = f"({unit})"
        keep = [i for i in range(n) if i != unit_col]
        out["units under the header"] = (".csv", _csv([header[i] for i in keep], [[under[i] for i in keep]]
                                                      + [[r[i] for i in keep] for r in rows]))
        named = [f"{h} ({unit})" if i == weight else h for i, h in enumerate(header)]
        out["unit only in the header"] = (".csv", _csv([named[i] for i in keep], [[r[i] for i in keep] for r in rows]))

    def comma(cell: str) -> str:
        try:
            float(cell)
        except ValueError:
            return cell
        return cell.replace(".", ",")
    out["decimal commas with ;"] = (".csv", _csv(header, [[comma(c) for c in r] for r in rows], delimiter=";"))
    order = [i for i in range(n) if i % 2] + [i for i in range(n) if not i % 2]
    out["columns in another order"] = (".csv", _csv([header[i] for i in order], [[r[i] for i in order] for r in rows]))
    spaced: list[list[str] | None] = []
    for i, r in enumerate(rows):
        if i and r[date] != rows[i - 1][date]:
            spaced.append(None)
        spaced.append(r)
    out["blank lines between workouts"] = (".csv", _csv(header, spaced))
    out["JSON workouts with nested sets"] = (".json", _json(header, rows, unit))
    return out


def _json(header: list[str], rows: list[list[str]], unit: str) -> str:
    date = _index(header, "date", "start_time")
    name = _index(header, "workout name", "title")
    exercise = _index(header, "exercise name", "exercise", "exercise_title")
    weight, reps = _index(header, "weight", "weight_kg"), _index(header, "reps")
    workouts: list[dict] = []
    for r in rows:
        key = (r[date], r[name] if name is not None else "")
        if not workouts or workouts[-1]["key"] != key:
            workouts.append({"key": key, "date": r[date], "name": key[1], "exercises": []})
        ex = workouts[-1]["exercises"]
        if not ex or ex[-1]["name"] != r[exercise]:
            ex.append({"name": r[exercise], "sets": []})
        ex[-1]["sets"].append({"weight": float(r[weight]), "reps": int(r[reps]), "unit": unit})
    for w in workouts:
        del w["key"]
    return json.dumps({"workouts": workouts})


def read(path: Path) -> tuple[list[tuple], str]:
    fmt, _ = detect_format(path)
    p = parse_file(fmt, path)
    return [(s.started_at.date(), w[0], None if w[5] is None else round(w[5], 3), w[6])
            for s in p.sessions for w in s.sets], p.unit.unit


CASES = [(layout, shape) for layout, (h, r) in LAYOUTS.items()
         for shape in variants(h, r, "lb" if layout == "strong" else "kg")]


@pytest.mark.parametrize("layout, shape", CASES)
def test_every_shape_of_a_log_reads_as_the_log(tmp_path: Path, layout: str, shape: str) -> None:
    header, rows = LAYOUTS[layout]
    unit = "lb" if layout == "strong" else "kg"
    base = tmp_path / "base.csv"
    base.write_text(_csv(header, rows), encoding="utf-8")
    expected = read(base)
    assert len(expected[0]) == 5 and expected[1] == unit
    suffix, text = variants(header, rows, unit)[shape]
    f = tmp_path / f"variant{suffix}"
    f.write_text(text, encoding="utf-8")
    assert read(f) == expected


def test_the_own_log_reads_its_hand_worked_sets(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text(_csv(*STRONG), encoding="utf-8")
    sets, unit = read(f)
    # 225 lb = 102.058 kg, 155 lb = 70.307 kg, 315 lb = 142.882 kg, 335 lb = 151.953 kg
    assert unit == "lb" and [(s[1], s[2], s[3]) for s in sets] == [
        ("Squat (Barbell)", 102.058, 5), ("Squat (Barbell)", 102.058, 5), ("Bench Press (Barbell)", 70.307, 8),
        ("Deadlift (Barbell)", 142.882, 3), ("Deadlift (Barbell)", 151.953, 1)]


def test_rows_above_the_column_names_are_named_in_the_report(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Athlete,Jane Doe\nExported,2024-03-07\nDate,Exercise,Weight (kg),Reps\n2024-03-04,Squat,100,5\n",
                 encoding="utf-8")
    p = parse_file("csv", f)
    assert "the column names are on line 3: 2 rows above them were not read (such as 'Athlete')" in p.warnings
    assert [(w[0], w[5], w[6]) for s in p.sessions for w in s.sets] == [("Squat", 100.0, 5)]
    # before: the metadata row was the header, its 'Athlete' column a person's, and the file "315 people"


def test_a_unit_row_under_the_names_states_the_unit(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight,Reps\n,,lbs,\n2024-03-04,Squat,225,5\n2024-03-04,Squat,235,3\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert "line 2 writes the units under the column names: read as 'Weight (lbs)'" in p.warnings
    assert p.unit.source == "stated" and [w[5] for s in p.sessions for w in s.sets] == [102.0583, 106.5942]
    assert not p.refused  # before: the units row was a row refused for its empty date


def test_a_units_row_that_is_not_one_is_a_row(tmp_path: Path) -> None:
    # a row under the header holding a unit and a figure is a row of the log (here refused: it has no date)
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight,Reps\n,,kg,5\n2024-03-04,Squat,100,5\n" + "2024-03-05,Squat,100,5\n" * 10,
                 encoding="utf-8")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert not any("units under the column names" in w for w in p.warnings)
    assert p.refused and p.refused[0].startswith(f"{f}:2:")


def test_a_block_log_keeps_its_session_line(tmp_path: Path) -> None:
    # Alpha Progression's blocks: the first line is a session, the column lines name no date - nothing is moved
    f = tmp_path / "ap.csv"
    f.write_text('"Legs";"2026-02-19 4:54 h";"1:02 hr"\n"1. Hack Squats · Machine · 8 reps";""\n#;KG;REPS;RIR\n'
                 "1;115;8;1\n2;102,5;6;0\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert not any("column names are on line" in w for w in p.warnings)
    assert [(w[5], w[6]) for s in p.sessions for w in s.sets] == [(115.0, 8), (102.5, 6)]


REAL = {"strong-android.csv": ";", "fitnotes.csv": ","}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_exports_read_alike_in_the_new_shapes(shared_data: Path, tmp_path: Path, name: str) -> None:
    """The real exports, read in place and written in the shapes that were refused before (group labels or a
    metadata block above the header, a units row under it), read as the export itself does."""
    src = shared_data / "exports" / name
    records = list(csv.reader(io.StringIO(src.read_text(encoding="utf-8-sig")), delimiter=REAL[name]))
    header, rows = records[0], [r for r in records[1:] if r]
    expected = read(src)
    groups = [""] * len(header)
    groups[0], groups[3] = "Workout", "Set"
    shapes = {"groups": [groups, header] + rows,
              "metadata": [["Athlete", "Jane"], ["Exported", "2024-03-07"], []] + [header] + rows}
    for shape, records in shapes.items():
        f = tmp_path / f"{shape}.csv"
        with f.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, delimiter=REAL[name]).writerows(records)
        assert read(f) == expected, shape


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=3, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None)
@given(above=st.lists(st.lists(st.one_of(_WORD, st.just(""), st.dates().map(str)), min_size=1, max_size=4),
                      max_size=5),
       unit_row=st.booleans())
def test_any_rows_above_and_a_unit_row_under_read_as_the_log(above: list[list[str]], unit_row: bool) -> None:
    """Rows of labels, values and dates above the column names (no row naming a date column and another peri
    reads) and a units row under them: the sets are the log's own."""
    import tempfile

    header, rows = OWN[0][:3] + OWN[0][4:5], [r[:3] + r[4:5] for r in OWN[1]]  # Date, Exercise, Weight, Reps
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "log.csv"
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerows(above)
        w.writerow(header)
        w.writerow(["", "", "kg", ""] if unit_row else [])
        w.writerows(rows)
        f.write_text(out.getvalue(), encoding="utf-8")
        p = parse_file("csv", f, mapping=None if unit_row else {"unit": "kg"})
        assert [(str(s.started_at.date()), w[0], w[5], w[6]) for s in p.sessions for w in s.sets] == [
            (r[0], r[1], float(r[2]), int(r[3])) for r in rows]


def _sets(p) -> list[tuple]:
    return [(str(s.started_at.date()), w[0], w[5], w[6]) for s in p.sessions for w in s.sets]


WIDE = [("2024-03-04", "Squat", 100.0, 5), ("2024-03-04", "Squat", 102.5, 5), ("2024-03-06", "Deadlift", 140.0, 3),
        ("2024-03-06", "Deadlift", 150.0, 1)]


@pytest.mark.parametrize("head", [
    "Date,Exercise,Weight,Reps,Weight,Reps\n",  # a set's columns again for each set, no label
    ",,Set 1,,Set 2,\nDate,Exercise,Weight,Reps,Weight,Reps\n",  # labels over them
    "Date,Exercise,Set 1,,Set 2,\n,,Weight,Reps,Weight,Reps\n",  # labels, names under them
    "Date,Exercise,Top set,,Back-off,\n,,Weight,Reps,Weight,Reps\n",  # labels that are no set numbers
])
def test_a_sets_columns_written_once_per_set_read_every_set(tmp_path: Path, head: str) -> None:
    f = tmp_path / "wide.csv"
    f.write_text(head + "2024-03-04,Squat,100,5,102.5,5\n2024-03-06,Deadlift,140,3,150,1\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert _sets(p) == WIDE  # before: only the first set of each row (2 of 4), or the file refused


def test_repeated_columns_are_said_in_the_report(tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    f.write_text("Date,Exercise,Weight,Reps,Reps,Reps\n2024-03-04,Squat,100,5,5,4\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert _sets(p) == [("2024-03-04", "Squat", 100.0, 5), ("2024-03-04", "Squat", 100.0, 5),
                        ("2024-03-04", "Squat", 100.0, 4)]
    assert ("the columns 'Reps' are written once per set: read as sets 1 to 3 in their order ('Set 1 Reps', "
            "'Set 2 Reps', 'Set 3 Reps')") in p.warnings
    f.write_text("Date,Exercise,Weight,Reps\n,,Weight,Reps\n" + "2024-03-04,Squat,100,5\n" * 10, encoding="utf-8")
    # names under names that name fields themselves: no sub-header, that row is read as a row (and refused)
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert not any("names the columns" in w for w in p.warnings) and len(_sets(p)) == 10
    assert p.refused == [f"{f}:2: date is empty (column 'Date')"]


def test_an_exercise_written_again_in_a_row_is_a_group_per_exercise(tmp_path: Path) -> None:
    f = tmp_path / "groups.csv"
    f.write_text("Date,Exercise,Weight,Reps,Exercise,Weight,Reps\n2024-03-04,Squat,100,5,Bench,70,8\n",
                 encoding="utf-8")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert _sets(p) == [("2024-03-04", "Squat", 100.0, 5), ("2024-03-04", "Bench", 70.0, 8)]  # before: Squat alone
    assert any("written once per exercise: read as exercises 1 to 2" in w for w in p.warnings)


def test_a_columns_name_peri_does_not_read_written_twice_is_left(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight,Reps,Tempo,Tempo\n2024-03-04,Squat,100,5,3-1,x\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert _sets(p) == [("2024-03-04", "Squat", 100.0, 5)] and not any("once per" in w for w in p.warnings)
