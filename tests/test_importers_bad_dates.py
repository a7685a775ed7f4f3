"""A date cell that is no date (`base.Problems`): the row is refused alone, listed with its line, the date column's
name and the cell as written, and the rest of the log imports - in every reader (column names, Strong, Hevy,
FitNotes, a workbook). A row below that writes no date of its own carries the unreadable one and is refused
with it, never joined to another session; more than a tenth of the rows failing still refuses the whole file,
naming the first place. Logs written here by hand; the expected counts worked out from them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peri.errors import ImportFormatError
from peri.log.importers import import_file, parse_file
from peri.log.models import Athlete
from peri.log.store import Store

START = dt.date(2024, 1, 1)


def generic(n: int = 40, bad: dict[int, str] | None = None) -> str:
    """n sets, four a session every other day; `bad` replaces the date cell of those rows (0 = the first set)."""
    rows = ["Date,Exercise,Weight,Reps"]
    for i in range(n):
        day = (START + dt.timedelta(days=2 * (i // 4))).isoformat()
        rows.append(f"{(bad or {}).get(i, day)},Squat,{100 + 5 * (i % 4)},5")
    return "\n".join(rows) + "\n"


def write(tmp: Path, name: str, text: str) -> Path:
    f = tmp / name
    f.write_text(text, encoding="utf-8")
    return f


def sets(p) -> int:
    return sum(len(s.sets) for s in p.sessions)


@pytest.mark.parametrize("cell", ["next week", "2024-13-45", "31/02/2024"])
def test_one_date_that_is_no_date_refuses_its_row_alone(tmp_path: Path, cell: str) -> None:
    f = write(tmp_path, "log.csv", generic(bad={9: cell}))
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert sets(p) == 39 and len(p.sessions) == 10
    assert len(p.refused) == 1 and p.refused[0].startswith(f"{f}:11: date {cell!r}")
    assert p.refused[0].endswith("(column 'Date')")


def test_rows_carrying_an_unreadable_date_are_refused_with_it_never_joined_elsewhere(tmp_path: Path) -> None:
    # rows 9..11 are one session written with its date once (9) and two empty cells below it (10, 11)
    f = write(tmp_path, "log.csv", generic(bad={8: "tbd", 9: "", 10: ""}))
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert sets(p) == 37
    assert [r.split(": ", 1)[0] for r in p.refused] == [f"{f}:10", f"{f}:11", f"{f}:12"]
    # the session before keeps its own four sets: nothing was carried into it
    assert [len(s.sets) for s in p.sessions][:3] == [4, 4, 1]


def test_more_than_a_tenth_of_dates_that_do_not_read_refuse_the_file_naming_the_first(tmp_path: Path) -> None:
    f = write(tmp_path, "log.csv", generic(bad={i: "n/a" for i in range(3, 40, 8)}))  # 5 of 40 rows
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", f, mapping={"unit": "kg"})
    assert e.value.place == f"{f}:5" and "5 problems: line 5: date 'n/a'" in e.value.message
    assert "(column 'Date')" in e.value.message


def test_a_strong_export_with_one_bad_date_imports_the_rest(tmp_path: Path) -> None:
    head = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
    rows = [f"2024-03-{5 + 2 * (i // 3):02d} 18:00:00,Legs,40m,Squat (Barbell),{i % 3 + 1},100,5,0,0,,," for i in range(12)]
    rows[4] = rows[4].replace("2024-03-07 18:00:00", "2024-03-07 25:61:00")
    f = write(tmp_path, "strong.csv", head + "\n".join(rows) + "\n")
    p = parse_file("strong", f, mapping={"unit": "kg"})
    assert sets(p) == 11 and len(p.refused) == 1
    assert p.refused[0].startswith(f"{f}:6: date '2024-03-07 25:61:00'") and p.refused[0].endswith("(column 'Date')")


def test_a_hevy_export_names_its_own_date_column(tmp_path: Path) -> None:
    head = ('"title","start_time","end_time","description","exercise_title","superset_id","exercise_notes",'
            '"set_index","set_type","weight_kg","reps","distance_km","duration_seconds","rpe"\n')
    rows = [f'"Push","{5 + i // 4} Apr 2026, 10:14","{5 + i // 4} Apr 2026, 11:14","","Bench Press (Barbell)",,"",'
            f'{i % 4},"normal",80,8,,,' for i in range(12)]
    rows[7] = rows[7].replace('"6 Apr 2026, 10:14"', '"yesterday"')
    f = write(tmp_path, "hevy.csv", head + "\n".join(rows) + "\n")
    p = parse_file("hevy", f)
    assert sets(p) == 11 and p.refused[0].startswith(f"{f}:9: date 'yesterday'")
    assert p.refused[0].endswith("(column 'start_time')")


def test_a_fitnotes_export_with_one_bad_date_imports_the_rest(tmp_path: Path) -> None:
    head = "Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time\n"
    rows = [f"2025-04-{10 + i // 3},Flat Barbell Bench Press,Chest,60.0,kgs,8,,," for i in range(12)]
    rows[0] = rows[0].replace("2025-04-10", "2025-04-00")
    f = write(tmp_path, "fitnotes.csv", head + "\n".join(rows) + "\n")
    p = parse_file("fitnotes", f)
    assert sets(p) == 11 and p.refused[0].startswith(f"{f}:2: date '2025-04-00'")


def test_a_workbook_text_cell_under_its_dates_is_refused_by_its_sheet_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Workout Date", "Exercise", "Weight (kg)", "Reps"])
    for i in range(12):
        ws.append([dt.datetime(2024, 5, 1 + 2 * (i // 3)), "Deadlift", 140, 3])
    ws.cell(row=8, column=1).value = "moved to Sunday"  # a text cell typed over a date
    f = tmp_path / "log.xlsx"
    wb.save(f)
    p = parse_file("csv", f)
    assert sets(p) == 11 and len(p.refused) == 1
    assert p.refused[0].startswith(f"{f}:8: date 'moved to Sunday'") and "(column 'Workout Date')" in p.refused[0]


def test_the_refused_row_is_not_stored_and_the_rest_is(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="ana"))
    f = write(tmp_path, "log.csv", generic(bad={9: "next week"}))
    r = import_file(store, "ana", "csv", f, mapping={"unit": "kg"}, map_exercise=lambda n: None)
    assert (r.sets_new, r.refused_count) == (39, 1)
    assert store.count_sets(store.get_athlete("ana").id) == 39


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(n=st.integers(10, 60), bad=st.dictionaries(st.integers(0, 59), st.sampled_from(
    ["next week", "2024-02-30", "??", "13/13/2024", "Montag"]), max_size=8))
def test_generated_logs_lose_exactly_the_rows_whose_dates_do_not_read(tmp_path_factory, n, bad) -> None:
    """Whatever rows hold a date that is no date: within a tenth of the rows, exactly those are refused (listed by
    line) and every other set is read; past it, the whole file is refused naming the first such row."""
    bad = {i: c for i, c in bad.items() if i < n}
    f = write(tmp_path_factory.mktemp("g"), "log.csv", generic(n, bad))
    if len(bad) > 0.1 * n:
        with pytest.raises(ImportFormatError) as e:
            parse_file("csv", f, mapping={"unit": "kg"})
        assert e.value.place == f"{f}:{min(bad) + 2}"
        return
    if len(bad) == n:
        return
    p = parse_file("csv", f, mapping={"unit": "kg"})
    assert sets(p) == n - len(bad)
    assert sorted(int(r.split(":")[1]) for r in p.refused) == sorted(i + 2 for i in bad)
