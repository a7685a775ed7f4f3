"""A whole set typed under an app export's Reps column ("62.5 x 8", "135 lb x 5"), as a person mending an export
in a spreadsheet writes it (`peri.log.importers.wholesets`): read as the set's reps and load, the same way the
generic reader reads such cells (`setcell`). Expected values are worked out by hand from the rows below."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.log.importers import parse_file

LB = 0.45359237

# Strong Android's layout (its unit per row), this project's own rows
STRONG = """Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";1;60;kg;8;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";2;;kg;62.5 x 8;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";3;62.5;kg;62.5x8;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";4;;kg;135 lb x 5;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Pull Up";1;;;BW x 10;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";5;70;kg;62.5 x 8;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";6;;kg;3x8 @ 60;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";7;60;kg;8 @ 60 kg;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";8;60;kg;3x10;;;;0;;;1h
2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";9;60;kg;8-10;;;;0;;;1h
"""

HEVY = (
    '"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes","set_index",'
    '"set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n'
    '"Legs","7 Apr 2026, 10:14","7 Apr 2026, 11:14","","Squat (Barbell)",,"",0,"normal",100,5,,,\n'
    '"Legs","7 Apr 2026, 10:14","7 Apr 2026, 11:14","","Squat (Barbell)",,"",1,"normal",,"102.5 x 5",,,\n'
)

FITNOTES = """Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time
2025-04-29,Deadlift,Back,140.0,kgs,5,,,
2025-04-29,Deadlift,Back,,kgs,150 x 3,,,
"""


def sets(parsed) -> list[tuple]:
    return [(w[0], w[5], w[4], w[6]) for s in parsed.sessions for w in s.sets]


def test_strong_reps_cells_holding_a_whole_set(tmp_path: Path) -> None:
    f = tmp_path / "strong.csv"
    f.write_text(STRONG)
    p = parse_file("strong", f)
    assert sets(p) == [
        ("Bench Press (Barbell)", 60.0, "kg", 8),
        ("Bench Press (Barbell)", 62.5, "kg", 8),       # the load from the cell, the weight column empty
        ("Bench Press (Barbell)", 62.5, "kg", 8),       # the same load in both: read once
        ("Bench Press (Barbell)", round(135 * LB, 4), "lb", 5),  # the cell's own unit wins over the row's
        ("Pull Up", None, None, 10),                     # BW: a bodyweight set
        ("Bench Press (Barbell)", 60.0, "kg", 8),       # "8 @ 60 kg" beside 60: read once
        ("Bench Press (Barbell)", 60.0, "kg", 8),       # "8-10": a range's lower end, as before
    ]
    refused = "\n".join(p.refused)
    assert f"{f}:7:" in refused and "'62.5 x 8'" in refused and "'70'" in refused   # two loads for one set
    assert f"{f}:8:" in refused and "3 sets" in refused                             # several sets in a row per set
    assert f"{f}:10:" in refused                                                     # "3x10": a scheme, as before
    note = next(w for w in p.warnings if "held a whole set" in w)
    assert note.startswith("5 Reps cells") and f"{f}:3" in note


def test_hevy_and_fitnotes_reps_cells_holding_a_whole_set(tmp_path: Path) -> None:
    h, fn = tmp_path / "hevy.csv", tmp_path / "fitnotes.csv"
    h.write_text(HEVY)
    fn.write_text(FITNOTES)
    assert sets(parse_file("hevy", h)) == [("Squat (Barbell)", 100.0, "kg", 5), ("Squat (Barbell)", 102.5, "kg", 5)]
    assert sets(parse_file("fitnotes", fn)) == [("Deadlift", 140.0, "kg", 5), ("Deadlift", 150.0, "kg", 3)]


@pytest.mark.parametrize("fmt, text", [("strong", STRONG), ("hevy", HEVY), ("fitnotes", FITNOTES)])
def test_plain_counts_are_left_as_they_were(tmp_path: Path, fmt: str, text: str) -> None:
    from peri.log.importers.base import read_table
    from peri.log.importers.wholesets import split_whole_sets

    f = tmp_path / "x.csv"
    f.write_text(text)
    table = read_table(f)
    before = [(line, list(row)) for line, row in read_table(f).rows]
    done = split_whole_sets(fmt, table)
    after = list(table.rows)
    plain = [(line, row) for line, row in before if row[[h.lower() for h in table.header].index("reps")].isdigit()]
    assert [x for x in after if x in plain] == plain and done is not None


def test_the_generic_reader_is_not_wrapped(tmp_path: Path) -> None:
    from peri.log.importers.base import read_table
    from peri.log.importers.wholesets import split_whole_sets

    f = tmp_path / "x.csv"
    f.write_text("Date,Exercise,Weight,Reps\n2024-01-01,Squat,,100 x 5\n")
    assert split_whole_sets("csv", read_table(f)) is None


_REPS = st.sampled_from(["8", "62.5 x 8", "100kg x 5", "BW x 12", "BW+10 x 5", "3x8 @ 60", "5x5x5", "100kg x 5 x 40",
                         "8 @ 100 kg", "3x8 @ 8", "x", "x 8", "60 kg", "8-10", "AMRAP", "12 x 10", "100 x 8 x", "",
                         "1e309 x 5", "-20 x 5", "100 lb x 5", "100 stone x 5"])
_WEIGHTS = st.sampled_from(["", "0", "60", "62.5", "100", "abc", "-20"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_WEIGHTS, _REPS), min_size=1, max_size=12), st.sampled_from(["strong", "hevy", "fitnotes"]))
def test_any_reps_cell_is_read_or_refused_in_one_line(rows, fmt) -> None:
    import tempfile

    from peri.errors import PeriError

    f = Path(tempfile.mkdtemp()) / "x.csv"
    if fmt == "strong":
        body = "".join(f'2024-03-05 17:15:00;"Push";"Bench Press (Barbell)";{i + 1};{w};kg;{r};;;;0;;;1h\n'
                       for i, (w, r) in enumerate(rows))
        f.write_text(STRONG.splitlines()[0] + "\n" + body)
    elif fmt == "hevy":
        body = "".join(f'"Legs","7 Apr 2026, 10:14","7 Apr 2026, 11:14","","Squat (Barbell)",,"",{i},"normal",'
                       f'{w},"{r}",,,\n' for i, (w, r) in enumerate(rows))
        f.write_text(HEVY.splitlines()[0] + "\n" + body)
    else:
        body = "".join(f'2025-04-29,Deadlift,Back,{w},kgs,{r},,,\n' for w, r in rows)
        f.write_text(FITNOTES.splitlines()[0] + "\n" + body)
    try:
        parse_file(fmt, f, mapping={"unit": "kg"})
    except PeriError:
        pass
