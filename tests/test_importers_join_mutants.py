"""Sets stamped with their own times joined into sessions across midnight (`generic_csv._join_stamped_sets`;
issue 20, mutation testing, mutation8c). Times are local, written without a zone; a session gap is 90 minutes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from peri.log.importers import parse_file

D = dt.datetime


def read(tmp_path: Path, *stamps: str):
    f = tmp_path / "sets.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n" + "".join(f"{s},Squat,100,5\n" for s in stamps), encoding="utf-8")
    p = parse_file("csv", f)
    return [(s.started_at, [w[2] for w in s.sets]) for s in p.sessions], p.warnings[-1]


def test_two_nights_each_joined_and_counted(tmp_path: Path) -> None:
    # 23:30 and 00:15 (45 minutes) join on 5-6 March; 23:50, 00:40 and 01:20 on 7-8 March: two sessions across
    # midnight, each dated its evening, sets numbered 1, 2 and 1, 2, 3
    sessions, note = read(tmp_path, "2024-03-05 23:30", "2024-03-06 00:15", "2024-03-07 23:50", "2024-03-08 00:40",
                          "2024-03-08 01:20")
    assert sessions == [(D(2024, 3, 5, 23, 30), [1, 2]), (D(2024, 3, 7, 23, 50), [1, 2, 3])]
    assert note == ("the file stamps sets with their own times: 5 times joined into 2 sessions (sets less than 90 "
                    "minutes apart; 2 sessions across midnight, each dated the day it started)")


def test_sets_on_one_day_are_said_so(tmp_path: Path) -> None:
    # 18:00, 18:20, 18:40 join; 21:00 (140 minutes on) starts another session on the same day
    sessions, note = read(tmp_path, "2024-03-05 18:00", "2024-03-05 18:20", "2024-03-05 18:40", "2024-03-05 21:00")
    assert sessions == [(D(2024, 3, 5, 18), [1, 2, 3]), (D(2024, 3, 5, 21), [1])]
    assert note == ("the file stamps sets with their own times: 4 times joined into 2 sessions (sets less than 90 "
                    "minutes apart on one day)")


def test_a_gap_over_midnight_longer_than_90_minutes_parts_them(tmp_path: Path) -> None:
    # 22:50 and 00:21 are 91 minutes apart: two sessions; 00:21 and 01:51 are exactly 90 minutes apart: joined
    sessions, note = read(tmp_path, "2024-03-05 22:50", "2024-03-06 00:21", "2024-03-06 01:51")
    assert sessions == [(D(2024, 3, 5, 22, 50), [1]), (D(2024, 3, 6, 0, 21), [1, 2])]
    assert note.endswith("3 times joined into 2 sessions (sets less than 90 minutes apart on one day)")
