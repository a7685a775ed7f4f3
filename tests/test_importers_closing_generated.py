"""Generated closing rows (hypothesis): totals, sums and averages in any language of the vocabulary file, with or
without a figure beside them, and notes with no digit, appended to or inserted in valid logs of every reader.

- appended after the last set (a total, an average, a SUM with no label, a note; blank rows between, any
  number of them): the sets are exactly those of the log without them, and each is listed by its line in the
  report's skipped rows;
- inserted inside the log (a set follows it): never silently dropped - the import stops naming its line, or the
  row is read and the report names its line.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.errors import ImportFormatError
from peri.log.importers import parse_file
from peri.log.importers.dialect import vocabulary

FIX = Path(__file__).parent / "fixtures" / "imports"
GENERIC = ("Date,Exercise,Weight,Reps,Notes\n2026-03-02,Squat,100,5,\n2026-03-02,Squat,100,5,\n"
           "2026-03-04,Bench Press,80,8,\n2026-03-06,Deadlift,140,3,\n")
LOGS = [("generic", "csv", GENERIC), ("strong", "strong", (FIX / "strong_ios.csv").read_text(encoding="utf-8")),
        ("hevy", "hevy", (FIX / "hevy.csv").read_text(encoding="utf-8")),
        ("fitnotes", "fitnotes", (FIX / "fitnotes.csv").read_text(encoding="utf-8"))]
WORDS = sorted(vocabulary()["closing_words"])
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

figure = st.one_of(st.integers(0, 100_000).map(str), st.floats(0, 1e5, allow_nan=False).map(lambda v: f"{v:.1f}"),
                   st.integers(1000, 99_999).map(lambda v: f"{v:,}"))
summary = st.tuples(st.sampled_from(WORDS), st.sampled_from(["", ":", " ", " of sets"]),
                    st.sampled_from([str.lower, str.upper, str.title])).map(lambda t: t[2](t[0] + t[1]).strip())
note = st.text(st.characters(whitelist_categories=("Lu", "Ll"), whitelist_characters=" !.'-,"), min_size=1,
               max_size=40).filter(lambda s: s.strip() and s.strip()[0] not in "-'")


@st.composite
def closing_row(draw, width: int) -> list[str]:
    """A row of `width` cells: a summary word with a figure in another cell (or none), figures alone off the
    first column, or a note alone."""
    cells = [""] * width
    first = draw(st.integers(0, width - 1))
    if first > 0 and draw(st.integers(0, 3)) == 0:  # a SUM with no label under a column (or two)
        cells[first] = draw(figure)
        if first < width - 1 and draw(st.booleans()):
            cells[draw(st.integers(first + 1, width - 1))] = draw(figure)
    elif draw(st.booleans()):
        cells[first] = draw(summary)
        if first < width - 1 and draw(st.booleans()):
            cells[draw(st.integers(first + 1, width - 1))] = draw(figure)
    else:
        cells[first] = draw(note)
    return cells


def rows_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def parse(tmp_path: Path, fmt: str, text: str, name: str):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f, parse_file(fmt, f, mapping={"unit": "kg"})


def width_of(text: str) -> int:
    return len(next(csv.reader(io.StringIO(text))))


@pytest.mark.parametrize("name, fmt, log", LOGS, ids=[x[0] for x in LOGS])
@SETTINGS
@given(data=st.data())
def test_closing_rows_appended_never_change_the_sets(tmp_path: Path, name: str, fmt: str, log: str, data) -> None:
    width = width_of(log)
    tail = data.draw(st.lists(st.one_of(closing_row(width), st.just([""] * width)), min_size=1, max_size=4)
                     .filter(lambda rs: any(any(c for c in r) for r in rs)))
    _, plain = parse(tmp_path, fmt, log, "plain.csv")
    f, parsed = parse(tmp_path, fmt, log.rstrip("\n") + "\n" + rows_text(tail), "with-closing.csv")
    assert [s.sets for s in parsed.sessions] == [s.sets for s in plain.sessions] and plain.sessions
    first = log.rstrip("\n").count("\n") + 2  # the line of the first appended row
    for k, row in enumerate(tail):
        line = first + k
        assert any(s.startswith(f"line {line}: ") for s in parsed.skipped), (line, row, parsed.skipped)


@pytest.mark.parametrize("name, fmt, log", LOGS, ids=[x[0] for x in LOGS])
@SETTINGS
@given(data=st.data())
def test_a_closing_row_inside_a_log_is_never_silently_dropped(tmp_path: Path, name: str, fmt: str, log: str,
                                                             data) -> None:
    records = list(csv.reader(io.StringIO(log)))  # records, not lines: a quoted note may hold line breaks
    at = data.draw(st.integers(2, len(records) - 1))  # after the header and at least one set, before the last set
    row = data.draw(closing_row(width_of(log)))
    before = rows_text(records[:at])
    text = before + rows_text([row] + records[at:])
    line = before.count("\n") + 1
    _, plain = parse(tmp_path, fmt, rows_text(records), "plain.csv")
    f = tmp_path / "inserted.csv"
    f.write_text(text, encoding="utf-8")
    try:
        parsed = parse_file(fmt, f, mapping={"unit": "kg"})
    except ImportFormatError as e:
        assert f"{f}:{line}" in str(e) or f"line {line}:" in str(e)
        return
    said = parsed.skipped + parsed.refused + parsed.warnings
    assert any(f"line {line}:" in s or f"{f}:{line}" in s for s in said), (row, said)
    # whatever was made of the row, every set of the log is still there
    assert sum(len(s.sets) for s in parsed.sessions) >= sum(len(s.sets) for s in plain.sessions)
