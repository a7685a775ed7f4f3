"""Generated tests (hypothesis, derandomized by tests/conftest.py's profile) where only hand-made examples were:
`base.exercise_name` (a name with no letter is refused, any script's letters and pictographs are names whatever
surrounds them, through a reader too) and `unitcheck` (a pound lifter's log stated in kg is doubted, honest logs
in either unit never are). Each runs in a few seconds."""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.log.importers import parse_file
from peri.log.importers.base import exercise_name

LETTERS = ("Lu", "Ll", "Lt", "Lm", "Lo")
# no letter of any script and no pictograph: figures, marks, punctuation, symbols of maths and money, spaces
NOT_A_NAME = st.characters(blacklist_categories=(*LETTERS, "So", "Cs"))
A_NAME_CHARACTER = st.characters(whitelist_categories=(*LETTERS, "So"))
ANY = st.characters(blacklist_categories=("Cs",))


@settings(max_examples=200, deadline=None)
@given(text=st.text(NOT_A_NAME, max_size=30))
def test_a_cell_without_a_letter_or_pictograph_names_no_exercise(text: str) -> None:
    with pytest.raises(ValueError) as e:
        exercise_name(text, "Exercise")
    assert "Exercise" in str(e.value)  # the column named in the row's refusal


@settings(max_examples=200, deadline=None)
@given(before=st.text(ANY, max_size=15), core=A_NAME_CHARACTER, after=st.text(ANY, max_size=15))
def test_one_letter_of_any_script_or_a_pictograph_makes_a_name_whatever_surrounds_it(before: str, core: str,
                                                                                       after: str) -> None:
    text = before + core + after
    assert exercise_name(text, "Exercise") == text.strip()
    assert unicodedata.category(core)[0] == "L" or unicodedata.category(core) == "So"


# names as people write them in a sheet: letters of several scripts, figures, marks, pictographs
_SCRIPTS = "abcXYZ éüßøł ДЖЯж ΩΣλ 中文字 ひらカタ 한글 عربي हिन्दी 💪🏋️🔥 0123456789 -()/.+&"
_NAME = st.text(st.sampled_from(sorted(set(_SCRIPTS))), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAME, min_size=3, max_size=6))
def test_through_a_reader_named_rows_read_and_nameless_rows_are_refused_by_line(tmp_path: Path,
                                                                                 names: list[str]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Date", "Exercise", "Weight (kg)", "Reps"])
    # sixty rows that always read: up to six refused rows stay under the tenth that refuses the whole file
    good = ["Squat", "Bench Press", "Deadlift"] * 20
    rows = [*good, *names]
    for i, name in enumerate(rows):
        w.writerow([dt.date(2024, 1, 1) + dt.timedelta(days=i), name, 100, 5])
    f = tmp_path / "names.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    named = [n for n in rows if any(unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "So" for c in n)]
    p = parse_file("csv", f)
    got = [s[0] for sess in p.sessions for s in sess.sets]
    assert sorted(got) == sorted(n.strip() for n in named)
    assert {r.split(": ")[0] for r in p.refused} == {f"{f}:{i + 2}" for i, n in enumerate(rows) if n not in named}
    assert all("names no exercise" in r or "is empty" in r for r in p.refused)


# ---- unitcheck: a stated unit doubted only where the loads say the other one ----

def _sessions(draw, bar: float, plates: list[float], weeks: int) -> list[tuple[dt.date, str, list[float]]]:
    """Barbell sessions as the unit's lifter loads them: the empty bar twice, then pairs of that unit's plates."""
    out = []
    start = dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 300)))
    lifts = {"Squat (Barbell)": draw(st.integers(3, 6)), "Bench Press (Barbell)": draw(st.integers(2, 4)),
             "Deadlift (Barbell)": draw(st.integers(4, 7))}
    for k in range(weeks):
        day = start + dt.timedelta(days=7 * k + draw(st.integers(0, 2)))
        for lift, big in lifts.items():
            top = bar + 2 * plates[0] * (big // 2) + 2 * plates[-1] * draw(st.integers(0, 3))
            ramp = [bar, bar] + [bar + 2 * plates[0] * n for n in range(1, big // 2 + 1)]
            out.append((day, lift, [x for x in ramp if x < top] + [top] * draw(st.integers(2, 4))))
    return out


@st.composite
def pound_log(draw) -> list[tuple[dt.date, str, list[float]]]:
    return _sessions(draw, 45.0, [45.0, 25.0, 10.0, 5.0], draw(st.integers(3, 6)))


@st.composite
def kilo_log(draw) -> list[tuple[dt.date, str, list[float]]]:
    return _sessions(draw, 20.0, [20.0, 10.0, 5.0, 2.5, 1.25], draw(st.integers(3, 6)))


def _write(path: Path, sessions, header: str) -> Path:
    rows = [f"{day},{lift},{w:g},5" for day, lift, loads in sessions for w in loads]
    path.write_text(f"Date,Exercise,{header},Reps\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _doubted(parsed) -> bool:
    return any("look like" in w for w in parsed.warnings)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=pound_log())
def test_a_pound_lifters_log_stated_in_kg_is_doubted_and_stated_in_lb_is_not(tmp_path: Path, sessions) -> None:
    assert _doubted(parse_file("csv", _write(tmp_path / "kg.csv", sessions, "Weight (kg)")))
    assert not _doubted(parse_file("csv", _write(tmp_path / "lb.csv", sessions, "Weight (lbs)")))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=kilo_log())
def test_a_kilogram_lifters_honest_log_is_never_doubted(tmp_path: Path, sessions) -> None:
    assert not _doubted(parse_file("csv", _write(tmp_path / "kg.csv", sessions, "Weight (kg)")))
