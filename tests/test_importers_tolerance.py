"""A few rows that do not read in a long log are refused one by one (listed with their place, never stored) and
the rest is imported (base.Problems.settle); more than a tenth of the rows, a date that does not read, or a file
that ends inside its last row (a copy cut short) still refuse the whole file, with nothing written."""
from __future__ import annotations

from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import REPS, WEIGHT, parse_file

HEAD = "Date,Exercise,Weight (kg),Reps\n"


def log(rows: int, odd: dict[int, str], end: str = "\n") -> str:
    """`rows` squat sets of 5 on consecutive days in March and April 2025; row i (1-based) replaced by odd[i]."""
    lines = [odd.get(i, f"2025-{3 + (i - 1) // 31:02d}-{(i - 1) % 31 + 1:02d},Squat,{100 + i},5")
             for i in range(1, rows + 1)]
    return HEAD + "\n".join(lines) + end


def parse(tmp_path: Path, text: str):
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return parse_file("csv", path), path


def test_two_odd_cells_in_twenty_rows_cost_those_rows_only(tmp_path: Path) -> None:
    parsed, path = parse(tmp_path, log(20, {4: "2025-03-04,Squat,2x20kg,5", 9: "2025-03-09,Squat,109,see notes"}))
    loads = sorted(w[WEIGHT] for s in parsed.sessions for w in s.sets)
    assert loads == [100 + i for i in range(1, 21) if i not in (4, 9)]
    assert all(w[REPS] == 5 for s in parsed.sessions for w in s.sets)
    # the header is line 1, so row i is line i + 1
    assert parsed.refused == [f"{path}:5: weight_kg '2x20kg' is not a number",
                              f"{path}:10: reps 'see notes' is not a number"]


def test_more_than_a_tenth_of_the_rows_refuses_the_file(tmp_path: Path) -> None:
    odd = {i: f"2025-03-{i:02d},Squat,heavy,5" for i in (2, 5, 8)}  # 3 of 20 > 2.0
    with pytest.raises(ImportFormatError) as e:
        parse(tmp_path, log(20, odd))
    assert e.value.message.startswith("3 problems: line 3: weight_kg 'heavy' is not a number")
    assert e.value.place.endswith("log.csv:3") and "nothing was imported" in e.value.hint


def test_a_date_that_does_not_read_refuses_the_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as e:
        parse(tmp_path, log(40, {7: "2025-02-30,Squat,107,5"}))
    assert e.value.place.endswith("log.csv:8") and "date" in e.value.message


def test_a_copy_cut_inside_its_last_row_is_refused_as_cut_short(tmp_path: Path) -> None:
    cut = log(40, {40: "2025-04-09,Squat,14"}, end="")  # the download stopped inside the last row
    with pytest.raises(ImportFormatError) as e:
        parse(tmp_path, cut)
    assert e.value.place.endswith("log.csv:41") and "cut short" in e.value.hint
    # the same odd last row with its line break is one odd row of forty: refused alone
    parsed, path = parse(tmp_path, log(40, {40: "2025-04-09,Squat,140"}))
    assert parsed.refused == [f"{path}:41: expected 4 fields, found 3"] and len(parsed.sessions) == 39
