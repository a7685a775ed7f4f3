"""Gymaholic's export, a block of `;` lines per workout (`peri.log.importers.gymaholic`), its dates without a
year (`yearless`). The layout is that of a public parser's fixture (thekrakens/toad-python
tests/fixtures/gymaholic/valid_workout.csv @f8ed3d322925b56f93ac56d4010b602348cb59d0); the workouts below are
this project's own, the expected sets worked out by hand (1 lb = 0.45359237 kg)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peri.errors import ImportFormatError
from peri.log.importers import detect_format, import_file, parse_file
from peri.log.models import Athlete
from peri.log.store import Store

LB = 0.45359237
GYMAHOLIC = """
;-----------------
;Upper A
;-----------------
;Date;Dec 30., 06:04
;Duration;1h:28m
;KCAL;495
;Heart rate;116 bpm

#;Side Plank;;TIME;REST
1;;;0:30;0:00
2;;;0:45;0:00

#;Standing Military Press;REPS;TIME;REST
W;;65 lbs x 8;;0:00
1;;95 lbs x 5;;0:00
2;;95 lbs x 4;;1:30

#;Inverted Row;REPS;TIME;REST
1;; x 8;;0:00

;-----------------
;Lower
;-----------------
;Date;Jan 2., 18:30
;Duration;55m

#;Barbell Squat
1;;225 lbs x 5
2;;225 lbs x 5
"""


def sets(parsed) -> list[tuple]:
    return [(s.started_at, s.name, s.duration_s, w[0], w[5], w[6], w[10], w[11]) for s in parsed.sessions
            for w in s.sets]


def test_gymaholic_workouts_with_the_year_given(tmp_path: Path) -> None:
    f = tmp_path / "gymaholic.csv"
    f.write_text(GYMAHOLIC)
    p = parse_file("csv", f, mapping={"year": 2024})
    upper, lower = dt.datetime(2024, 12, 30, 6, 4), dt.datetime(2025, 1, 2, 18, 30)  # the turn of the year
    press, squat = round(95 * LB, 4), round(225 * LB, 4)
    assert sets(p) == [
        (upper, "Upper A", 5280, "Side Plank", None, None, 30.0, "normal"),
        (upper, "Upper A", 5280, "Side Plank", None, None, 45.0, "normal"),
        (upper, "Upper A", 5280, "Standing Military Press", round(65 * LB, 4), 8, None, "warmup"),
        (upper, "Upper A", 5280, "Standing Military Press", press, 5, None, "normal"),
        (upper, "Upper A", 5280, "Standing Military Press", press, 4, None, "normal"),
        (upper, "Upper A", 5280, "Inverted Row", None, 8, None, "normal"),       # " x 8": bodyweight
        (lower, "Lower", 3300, "Barbell Squat", squat, 5, None, "normal"),
        (lower, "Lower", 3300, "Barbell Squat", squat, 5, None, "normal"),
    ]
    assert any("Gymaholic" in w for w in p.warnings) and not any("above the header" in w for w in p.warnings)


def test_gymaholic_without_a_year_is_refused_asking_for_it(tmp_path: Path, store: Store) -> None:
    f = tmp_path / "gymaholic.csv"
    f.write_text(GYMAHOLIC)
    store.add_athlete(Athlete(name="ana"))
    before = store.dump()
    with pytest.raises(ImportFormatError) as e:
        import_file(store, "ana", "auto", f)
    assert "'Dec 30., 06:04'" in e.value.message and "--year" in (e.value.hint or "")
    assert e.value.place and e.value.place.startswith(f"{f}:")
    assert store.dump() == before
    assert detect_format(f)[0] == "csv"


def test_a_line_gymaholic_does_not_write_is_named(tmp_path: Path) -> None:
    f = tmp_path / "gymaholic.csv"
    f.write_text(GYMAHOLIC.replace("1;;225 lbs x 5", "1;;225 lbs by 5"))
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f, mapping={"year": 2024})
    assert e.value.place == f"{f}:29" and "'225 lbs by 5'" in e.value.message


_LINES = st.sampled_from([";-----------------", ";Upper", ";Date;Jan 14., 06:04", ";Date;Feb 30., 06:04", ";Date;",
                          ";Duration;1h:28m", ";Duration;soon", ";KCAL;495", "#;Squat;REPS;TIME;REST", "#;",
                          "#;Plank;;TIME", "1;;100 kg x 5;;0:00", "W;;65 lbs x 8", "2;; x 8", "3;;;0:30", "1;;5 x",
                          "D;;50 kg x 10", "1;;-20 kg x 5", "", "x;y;z", "1;;999999 kg x 5"])


@settings(max_examples=80, deadline=None)
@given(st.lists(_LINES, max_size=15))
def test_any_gymaholic_like_file_is_read_or_refused_in_one_line(lines: list[str]) -> None:
    import tempfile

    from hypothesis import assume

    from peri.errors import PeriError

    text = ";Date;Jan 10., 06:00\n#;Squat;REPS\n" + "\n".join(lines) + "\n"
    assume(text.strip())
    f = Path(tempfile.mkdtemp()) / "g.csv"
    f.write_text(text)
    try:
        parse_file("csv", f, mapping={"year": 2025})
    except PeriError:
        pass
