"""Apps' exports read by their column names (`generic_csv`), layouts confirmed from public sources; the rows are
this project's own, the expected sets worked out by hand.

Fitbod: sinan92/fitbod-to-hevy-converter `src/app/converter/fitbod-csv.spec.ts`@46bbd16c4462f72e9a25f3b1bef0d6ad64709e59
(a public converter's tests): the app's export `Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,
Resistance,isWarmup,Note,multiplier` with stamps carrying the phone's offset (`+0000`, `+0200`, `-0500`) and a space
before numbers (` 10`), and the "support export" Fitbod mails to Android users, `date,exercise_name,Reps,weight_kg,
duration_seconds,distance_meters,Incline,Resistance,isWarmup`: a date without a time, kilograms converted from pounds
(`31.751465900000003`), empty cells."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from peri.log.importers import detect_format, parse_file

D = dt.datetime


def sets(p) -> list[tuple]:
    # exercise, kg, reps, distance m, seconds, set type, note
    return [(s.started_at, w[0], w[5], w[6], w[9], w[10], w[11], w[12]) for s in p.sessions for w in s.sets]


def test_fitbods_support_export_reads(tmp_path: Path) -> None:
    f = tmp_path / "fitbod.csv"
    f.write_text("date,exercise_name,Reps,weight_kg,duration_seconds,distance_meters,Incline,Resistance,isWarmup\n"
                 "2025-06-23,Seated Leg Curl,5,31.751465900000003,,,,,false\n"
                 "2025-06-23,Back Squat,5,61.23496995,,,,,true\n"
                 "2025-06-16,Elliptical,,,600.0,804.67224894628168,,1.0,false\n"
                 "2025-07-09,Farmer's Walk,,20.41165665,,18.288,,,false\n", encoding="utf-8")
    assert detect_format(f)[0] == "csv"
    p = parse_file("csv", f)
    # 70 lb = 31.7515 kg, 135 lb = 61.235 kg, 45 lb = 20.4117 kg: kept as the kilograms the file states
    assert sets(p) == [(D(2025, 6, 16), "Elliptical", None, None, 804.672, 600.0, "normal", None),
                       (D(2025, 6, 23), "Seated Leg Curl", 31.7515, 5, None, None, "normal", None),
                       (D(2025, 6, 23), "Back Squat", 61.235, 5, None, None, "warmup", None),
                       (D(2025, 7, 9), "Farmer's Walk", 20.4117, None, 18.288, None, "normal", None)]
    assert p.unit.unit == "kg" and p.unit.source == "stated" and not p.refused


def test_fitbods_app_export_reads_its_offsets_as_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("peri.log.importers.zones.MACHINE_ZONE", "America/Los_Angeles")  # not asked: offsets given
    f = tmp_path / "WorkoutExport.csv"
    f.write_text("Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,multiplier\n"
                 "2023-10-24 18:24:59 +0200,Barbell Incline Bench Press, 10,20.0,0.0,0.0,0.0,0.0,true,, 1.0\n"
                 '2023-10-24 18:27:59 +0200,Back Squat, 5,100.0,0.0,0.0,0.0,0.0,false,"felt heavy, stop at 8", 1.0\n'
                 "2023-10-24 18:35:00 +0200,Elliptical, 0,0.0,360.0,500.0,0.0,0.0,false,, 0.0\n", encoding="utf-8")
    p = parse_file("csv", f)
    assert sets(p) == [(D(2023, 10, 24, 18, 24, 59), "Barbell Incline Bench Press", 20.0, 10, None, None, "warmup", None),
                       (D(2023, 10, 24, 18, 24, 59), "Back Squat", 100.0, 5, None, None, "normal", "felt heavy, stop at 8"),
                       (D(2023, 10, 24, 18, 24, 59), "Elliptical", None, None, 500.0, 360.0, "normal", None)]
    assert any("read as written, in the offsets the file gives" in w for w in p.warnings)
    # the same export of a UTC phone (+0000 only) is read in the lifter's zone: 03:10 UTC is 20:10 PDT the day before
    f.write_text("Date,Exercise,Reps,Weight(kg),Duration(s),Distance(m),Incline,Resistance,isWarmup,Note,multiplier\n"
                 "2023-10-25 03:10:00 +0000,Back Squat, 5,100.0,0.0,0.0,0.0,0.0,false,, 1.0\n", encoding="utf-8")
    assert [s.started_at for s in parse_file("csv", f).sessions] == [D(2023, 10, 24, 20, 10)]


# Strong's sets as its unofficial backend API returns them, saved by a public exporter:
# TheAlexLichter/strong-exporter README.md@08ad3f6a94b683d1a75365019b203a140fb353ff - JSON workouts with
# `completedSets` and `skippedSets`, and a CSV `date,workoutName,exerciseName,setNumber,weightKg,reps,rpe,distance,
# duration,status` (loads always in kg, dates in UTC)
STRONG_API_JSON = {"exportedAt": "2026-02-17T15:00:00.000Z", "totalWorkouts": 1, "workouts": [
    {"id": "w1", "name": "Push Day", "startDate": "2026-02-16T02:30:00.000Z", "endDate": "2026-02-16T03:40:00.000Z",
     "exercises": [{"name": "Bench Press (Barbell)", "completedSets": [{"weightKg": 80, "reps": 5}, {"weightKg": 85, "reps": 3}],
                    "skippedSets": [{"weightKg": 85, "reps": 3}]}]}]}
STRONG_API_CSV = ("date,workoutName,exerciseName,setNumber,weightKg,reps,rpe,distance,duration,status\n"
                  '2026-02-16T02:30:00.000Z,"Push Day","Bench Press (Barbell)",1,80,5,,,,completed\n'
                  '2026-02-16T02:30:00.000Z,"Push Day","Bench Press (Barbell)",2,85,3,8,,,completed\n'
                  '2026-02-16T02:30:00.000Z,"Push Day","Bench Press (Barbell)",3,85,3,,,,skipped\n')


def test_strongs_api_json_reads_the_done_sets_only(tmp_path: Path) -> None:
    import json

    f = tmp_path / "strong-export.json"
    f.write_text(json.dumps(STRONG_API_JSON), encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "America/New_York"})
    # 02:30 UTC on 16 Feb is 21:30 EST (UTC-5) on the 15th; the skipped set is no set (before: read as a third one)
    assert sets(p) == [(D(2026, 2, 15, 21, 30), "Bench Press (Barbell)", 80.0, 5, None, None, "normal", None),
                       (D(2026, 2, 15, 21, 30), "Bench Press (Barbell)", 85.0, 3, None, None, "normal", None)]
    assert "1 sets listed as not done (such as $.workouts[0].exercises[0].skippedSets[0]" in p.warnings[0]


def test_strongs_api_csv_reads_its_camel_case_names_and_status(tmp_path: Path) -> None:
    f = tmp_path / "strong-export.csv"
    f.write_text(STRONG_API_CSV, encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "America/New_York"})
    # before: refused, "no column holds the exercise" (exerciseName unread)
    assert sets(p) == [(D(2026, 2, 15, 21, 30), "Bench Press (Barbell)", 80.0, 5, None, None, "normal", None),
                       (D(2026, 2, 15, 21, 30), "Bench Press (Barbell)", 85.0, 3, None, None, "normal", None)]
    assert [w[7] for s in p.sessions for w in s.sets] == [None, 8.0]
    assert p.skipped == ["line 4: marked not completed (not a set)"]
    assert any("'exerciseName' as exercise" in w and "'status' as completed" in w for w in p.warnings)
