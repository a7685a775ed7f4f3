"""The generic CSV reader on a spreadsheet that writes a session's date once, on its first row, and a time on
every set (found by mutation6a, issue 20: such a row's session was started from its own empty date cell)."""
from __future__ import annotations

from peri.log.importers import base
from peri.log.importers.generic_csv import GenericCsvImporter, load_mapping


def _generic(text: str, mapping: dict) -> base.ParsedFile:
    return GenericCsvImporter().parse(base.read_table("g.csv", data=text.encode()), load_mapping(mapping))


def test_rows_without_a_date_carry_the_sessions_date_with_their_own_time_and_name() -> None:
    # the date on a session's first row only, a time on every set: before the fix such a row's session was
    # started from its own empty date cell ("date '18:05' is not a date") and named "" rather than A
    m = {"unit": "kg", "columns": {"Time": "time", "W": "session_name"}}
    p = _generic("Date,Time,W,Exercise,Reps\n2024-03-04,18:00,A,Squat,5\n,18:05,,Squat,5\n,19:50,,Bench,5\n"
                 ",,B,Curl,8\n", m)
    # 18:00 and 18:05 are one session of A (stamped sets 5 minutes apart); 19:50 is 105 minutes on: A again; the
    # last row names B and carries 19:50
    assert [(str(s.started_at), s.name, [w[0] for w in s.sets]) for s in p.sessions] == [
        ("2024-03-04 18:00:00", "A", ["Squat", "Squat"]), ("2024-03-04 19:50:00", "A", ["Bench"]),
        ("2024-03-04 19:50:00", "B", ["Curl"])]
    assert p.warnings[1:] == [
        "3 rows with an empty date were read as the session above (a spreadsheet writing the date once per session; "
        "first at g.csv:3)",
        "the file stamps sets with their own times: 4 times joined into 3 sessions (sets less than 90 minutes apart "
        "on one day)"]

