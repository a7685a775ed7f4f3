"""Program apps' exports of every prescribed set, done or not (`peri.log.importers.undone`), and Liftosaur's
history CSV read by its column names. The layout is Liftosaur's own exporter's (astashov/liftosaur
src/models/history.ts History_exportAsCSV@baeb43430f4f2eb18cddce06fa29641fba3d6848: its header, a row per set,
`Is Warmup Set?` 1/0, a unit per load); the rows are this project's own, the expected sets worked out by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from peri.log.importers import detect_format, parse_file

HEAD = ("Workout DateTime,Program,Day Name,Exercise,Is Warmup Set?,Required Reps,Completed Reps,Is AMRAP?,"
        "Required RPE,Completed RPE,Log RPE?,Required Weight Value,Required Weight Unit,Completed Weight Value,"
        "Completed Weight Unit,Ask Weight?,Completed Reps Time,Target Muscles,Synergist Muscles,Notes\n")
ROWS = [
    # warm-up, 45 lb bar x 5
    '2024-03-05T17:15:00.000Z,GZCLP,Day 1,"Squat, Barbell",1,5,5,0,,,0,45,lb,45,lb,0,2024-03-05T17:18:00.000Z,'
    '"Quadriceps,Glutes",Adductors,',
    '2024-03-05T17:15:00.000Z,GZCLP,Day 1,"Squat, Barbell",0,3,3,0,,,0,225,lb,225,lb,0,2024-03-05T17:25:00.000Z,'
    '"Quadriceps,Glutes",Adductors,belt',
    # done lighter than prescribed: the done load is read, never the prescription
    '2024-03-05T17:15:00.000Z,GZCLP,Day 1,"Squat, Barbell",0,3,2,0,,,0,225,lb,215,lb,0,2024-03-05T17:29:00.000Z,'
    '"Quadriceps,Glutes",Adductors,belt',
    # prescribed, not done: nothing under Completed
    '2024-03-05T17:15:00.000Z,GZCLP,Day 1,"Squat, Barbell",0,3,,1,,,0,225,lb,,,0,,"Quadriceps,Glutes",Adductors,belt',
    '2024-03-05T17:15:00.000Z,GZCLP,Day 1,"Bench Press, Barbell",0,10,12,1,8,9,1,60,kg,60,kg,0,'
    '2024-03-05T17:40:00.000Z,Pectoralis Major,Triceps,',
    '2024-03-07T17:10:00.000Z,GZCLP,Day 2,"Deadlift, Barbell",0,5,5,0,,,0,140,kg,140,kg,0,2024-03-07T17:20:00.000Z,'
    '"Glutes,Hamstrings",,',
]


def write(tmp: Path, rows: list[str], head: str = HEAD) -> Path:
    f = tmp / "liftosaur.csv"
    f.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return f


def test_a_liftosaur_history_reads_its_done_sets(tmp_path: Path) -> None:
    f = write(tmp_path, ROWS)
    assert detect_format(f)[0] == "csv"
    p = parse_file("csv", f)
    assert [(s.started_at, s.name) for s in p.sessions] == [(dt.datetime(2024, 3, 5, 17, 15), "Day 1"),
                                                           (dt.datetime(2024, 3, 7, 17, 10), "Day 2")]
    got = [(w[0], w[3], w[4], w[5], w[6], w[7], w[11]) for s in p.sessions for w in s.sets]
    assert got == [("Squat, Barbell", 45.0, "lb", 20.4117, 5, None, "warmup"),  # 45 lb = 20.4117 kg
                   ("Squat, Barbell", 225.0, "lb", 102.0583, 3, None, "normal"),
                   ("Squat, Barbell", 215.0, "lb", 97.5224, 2, None, "normal"),
                   ("Bench Press, Barbell", 60.0, "kg", 60.0, 12, 9.0, "normal"),  # the completed RPE, not 8
                   ("Deadlift, Barbell", 140.0, "kg", 140.0, 5, None, "normal")]


def test_a_prescribed_set_not_done_is_left_out_and_counted(tmp_path: Path) -> None:
    f = write(tmp_path, ROWS)
    p = parse_file("csv", f)
    note = next(w for w in p.warnings if "prescribed and not done" in w)
    assert note.startswith("1 sets prescribed") and note.endswith(f"first at {f}:5")
    assert "'Required Reps'" in note


def test_without_the_rule_the_undone_set_would_be_a_set(tmp_path: Path) -> None:
    # the same rows with the prescription columns renamed to nothing peri knows as one: every row is a set
    head = HEAD.replace("Required ", "Other ")
    p = parse_file("csv", write(tmp_path, ROWS, head))
    assert sum(len(s.sets) for s in p.sessions) == 6


def test_liftlogs_target_reps_beside_no_reps_is_no_set(tmp_path: Path) -> None:
    f = tmp_path / "liftlog.csv"
    f.write_text("SessionId,Timestamp,Exercise,Weight,WeightUnit,Reps,TargetReps,Notes\n"
                 "a,2024-03-05T18:00:00,Squat,100,kg,5,5,\n"
                 "a,2024-03-05T18:04:00,Squat,100,kg,5,5,\n"
                 "a,2024-03-05T18:08:00,Squat,,,,5,\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert sum(len(s.sets) for s in p.sessions) == 2
    assert any("1 sets prescribed and not done" in w for w in p.warnings)


def test_a_prescription_the_reader_reads_is_left_to_it(tmp_path: Path) -> None:
    # TurnKey's assigned columns are read where nothing was recorded (that app's meaning): no row is left out here
    f = tmp_path / "turnkey.csv"
    f.write_text("workout_date,exercise_name,assigned_reps,assigned_weight,actual_reps,actual_weight,weight_units\n"
                 "2024-03-05,Squat,5,100,,,kg\n2024-03-05,Squat,5,100,5,102.5,kg\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert not any("prescribed and not done" in w for w in p.warnings)
    assert sum(len(s.sets) for s in p.sessions) == 2


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(done=st.lists(st.tuples(st.booleans(), st.sampled_from([60, 62.5, 100, 140]), st.integers(1, 12)),
                     min_size=1, max_size=25))
def test_generated_histories_keep_exactly_the_done_sets(tmp_path_factory, done) -> None:
    rows = [f'2024-03-05T17:15:00.000Z,P,Day 1,"Squat, Barbell",0,5,{reps if did else ""},0,,,0,{kg},kg,'
            f'{kg if did else ""},{"kg" if did else ""},0,,,,' for did, kg, reps in done]
    if not any(did for did, _, _ in done):
        rows.append('2024-03-05T17:15:00.000Z,P,Day 1,"Bench Press, Barbell",0,5,5,0,,,0,60,kg,60,kg,0,,,,')
        done = done + [(True, 60, 5)]
    p = parse_file("csv", write(tmp_path_factory.mktemp("g"), rows), mapping={"unit": "kg"})
    assert [(w[3], w[6]) for s in p.sessions for w in s.sets] == [(float(kg), reps) for did, kg, reps in done if did]
