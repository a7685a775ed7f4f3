"""GymRun's "CSV (Entries)" layout: `Date;Time;Exercise;Set;Weight;Reps;Note`, `;`-separated, dates `dd.mm.yy`,
each set stamped with its own time - the file a public converter writes for GymRun to import
(AchrafYndz/StrongToGymRun `src/strong_to_gymrun.py`@97ab667089a32cd22857dad2edb472c39e9742ee, whose README
says GymRun imports it via More > Backup > CSV (Entries)). Read by its column names; loads in kg, which the
file does not state. Expected sets worked out by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from peri.log.importers import detect_format, parse_file


def test_gymruns_entries_layout_reads(tmp_path: Path) -> None:
    f = tmp_path / "gymrun.csv"
    f.write_text("Date;Time;Exercise;Set;Weight;Reps;Note\n"
                 "05.03.24;18:30:00;Squat;1;100;5;\n"
                 "05.03.24;18:30:01;Squat;2;102,5;5;belt\n"
                 "05.03.24;18:30:02;Bench Press;1;80;8;\n"
                 "07.03.24;18:00:00;Deadlift;1;140;3;\n", encoding="utf-8")
    assert detect_format(f)[0] == "csv"
    p = parse_file("csv", f, mapping={"unit": "kg"})
    got = [(s.started_at, w[0], w[3], w[6], w[-1]) for s in p.sessions for w in s.sets]
    assert got == [(dt.datetime(2024, 3, 5, 18, 30), "Squat", 100.0, 5, None),
                   (dt.datetime(2024, 3, 5, 18, 30), "Squat", 102.5, 5, "belt"),
                   (dt.datetime(2024, 3, 5, 18, 30), "Bench Press", 80.0, 8, None),
                   (dt.datetime(2024, 3, 7, 18, 0), "Deadlift", 140.0, 3, None)]
