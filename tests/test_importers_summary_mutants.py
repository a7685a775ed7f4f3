"""Hand-worked summary rows as `table_rows` walks them (`base._summary_row`, `_figure_or_unit`, `_skip_summary`)
and the vocabulary's summary words (`dialect.vocabulary`); issue 20, mutation testing (mutation8c)."""
from __future__ import annotations

import pytest

from peri.log.importers.base import ParsedFile, Table, _figure_or_unit, _summary_row, table_rows
from peri.log.importers.dialect import vocabulary

HEADER = ["Date", "Exercise", "Weight (kg)", "Reps", "Volume"]


def walk(*rows: list[str]) -> tuple[list[int], ParsedFile]:
    t = Table(path="log.csv", header=list(HEADER), delimiter=",", rows=iter([(i + 2, r) for i, r in enumerate(rows)]),
              total_lines=len(rows) + 1, warnings=[], raw_header=list(HEADER), width=len(HEADER))
    out = ParsedFile(path="log.csv", fmt="csv")
    return [line for line, _ in table_rows(t, out, None)], out


def test_totals_between_workouts_are_skipped_and_the_rows_around_them_read() -> None:
    lines, out = walk(
        ["2024-03-04", "Squat", "100", "5", "500"],
        ["Total", "", "", "", "500"],  # two cells: held as a closing row, then a total when a set follows
        ["Great block!", "", "", "", ""],  # a note held beside it, read on as a row
        ["2024-03-06", "Deadlift", "140", "3", "420"],
        ["Workout total", "", "", "3", "420"],  # three cells: a total at once
        ["2024-03-08", "Bench", "70", "8", "560"],
    )
    assert lines == [2, 4, 5, 7]
    assert out.skipped == ["line 3: a summary row ('Total' and figures: a total, not a set)",
                           "line 6: a summary row ('Workout total' and figures: a total, not a set)"]
    assert out.rows_read == 6 and not out.refused


def test_a_summary_rows_label_is_shown_stripped_and_cut_at_30() -> None:
    lines, out = walk(["2024-03-04", "Squat", "100", "5", "500"],
                      ["  Total volume of all the training sessions ", "", "", "5", "500 kg"],
                      ["2024-03-06", "Deadlift", "140", "3", "420"])
    assert lines == [2, 4]
    assert out.skipped == ["line 3: a summary row ('Total volume of all the traini' and figures: a total, not a set)"]


@pytest.mark.parametrize("row, ok", [
    ([" Total ", " 13 "], True),  # two cells, spaces around them
    (["Total:", "", "13", "kg"], True),
    ([":", "13"], False),  # a label of no word
    (["Total", "easy", "13"], False),  # a word among the figures, second or later
    (["Total", "13", "easy"], False),
    (["Workout", "13"], False),  # summary words without a closing word
    (["Total", "Squat", "13"], False),
])
def test_a_summary_row_by_hand(row: list[str], ok: bool) -> None:
    assert _summary_row(row) is ok


@pytest.mark.parametrize("cell, ok", [
    ("m.", True),  # a unit alone with its abbreviating dot
    ("min.", True),
    ("1,420 kg", True),
    ("12 sets", True),
    ("5 x", True),
    ("98 %", True),
    ("-", False),
    ("%", False),  # a unit alone must be a word
    ("5 box", False),
    ("kgs", True),  # a weight unit peri knows, not in the summary units
    ("1.5 Lbs", True),
])
def test_a_totals_cell_by_hand(cell: str, ok: bool) -> None:
    assert _figure_or_unit(cell) is ok


def test_the_vocabulary_holds_the_summary_words_folded() -> None:
    vocabulary.cache_clear()  # the words read afresh, not from a cache an earlier test filled
    try:
        words = vocabulary()["summary_label_words"]
        assert isinstance(words, frozenset)
        # as written in data/import_vocabulary.yaml: "volume", "Gesamtvolumen" (lower case), "séance" (no accent)
        assert {"volume", "workout", "gesamtvolumen", "seance", "satze", "sesion"} <= words
        assert "total" not in words and "none" not in words
    finally:
        vocabulary.cache_clear()
