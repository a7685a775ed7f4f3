"""`peri decide`'s cost table: every cell whole and aligned, within 80 columns for the usual five approaches."""
from __future__ import annotations

from peri.cli.decide_commands import cost_table

ROWS = [
    ("prompting", "731/400", "0.00", "0.00035", "0.0015", "0.02", "-"),
    ("fewshot", "2358/400", "0.00", "0.00059", "0.0026", "0.03", "never"),
    ("finetuned", "76/400", "0.02", "0.00009", "0.0059", "0.08", "week 12"),
    ("hybrid", "97/400", "0.02", "0.00009", "0.0059", "0.08", "never"),
    ("finetuned-fewshot", "2358/400", "1,234.56", "0.00050", "0.0077", "0.10", "never"),
]


def test_every_cell_is_whole_and_the_two_finetuned_rows_differ() -> None:
    lines = cost_table(ROWS, 52).splitlines()
    assert lines[0].split() == ["tokens", "set-up", "a", "query", "a", "month", "52", "weeks", "break"]
    assert lines[1].split() == ["approach", "in/out", "$", "$", "$", "$", "even"]
    body = lines[3:]
    assert [line.split("  ")[0].strip() for line in body] == [r[0] for r in ROWS]
    for line, row in zip(body, ROWS):
        assert line.split(maxsplit=6) == list(row)  # no cell cut or merged
    assert max(map(len, lines)) <= 80


def test_columns_line_up_on_the_right_and_the_names_on_the_left() -> None:
    lines = cost_table(ROWS, 104).splitlines()
    assert "104 weeks" in lines[0]
    body = lines[3:]
    assert len({len(line) for line in body if not line.endswith("-")}) == 1  # right-aligned: every full row ends together
    assert body[4].startswith("finetuned-fewshot  ") and body[2].startswith("finetuned          ")
    assert set(lines[2].replace(" ", "")) == {"-"}
