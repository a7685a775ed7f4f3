"""Importers on peri's own small fixtures (tests/fixtures/imports): every format variant, units, set types,
notes, skipped rows, dry runs, idempotency, encodings and malformed files."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from peri.errors import ConfigError, ImportFormatError, NotFound
from peri.log.importers import import_file, parse_file
from peri.log.importers.base import parse_datetime, parse_duration, parse_number
from peri.log.importers.generic_csv import load_mapping, parse_map_pairs
from peri.log.models import LB_TO_KG, Athlete, Scope
from peri.log.store import Store

FIX = Path(__file__).parent / "fixtures" / "imports"


def ids(name: str) -> str | None:
    """A stand-in for the catalog: deterministic, and leaves 'Running' unmapped."""
    return None if name.startswith("Running") else name.lower().replace(" ", "_")


@pytest.fixture
def ana(store: Store) -> Store:
    store.add_athlete(Athlete(name="ana"))
    return store


def sets_of(parsed):
    return [w for s in parsed.sessions for w in s.sets]


# --- Strong ----------------------------------------------------------------------------------
def test_strong_ios_units_notes_and_rpe_from_notes() -> None:
    p = parse_file("strong", FIX / "strong_ios.csv")
    assert p.set_count == 8 and len(p.sessions) == 2
    lower = p.sessions[0]
    assert lower.name == "Lower A" and lower.duration_s == 3780 and lower.notes == "Knee felt fine, no pain"
    squat1, squat2, squat3 = lower.sets[:3]
    assert squat1[4] == "lb" and squat1[5] == pytest.approx(225 * LB_TO_KG, abs=1e-3)
    assert squat3[3] == 230.0  # float artefact cleaned
    assert squat1[7] == 8.0 and squat1[12] == "RPE: 8 on the last set"  # RPE from the note, note kept
    assert squat2[7] is None
    assert squat3[7] == 9.0  # RPE column wins
    chin = lower.sets[4]
    assert chin[3] is None and chin[4] is None and chin[6] == 8  # bodyweight
    run = lower.sets[5]
    assert run[9] == pytest.approx(1.5 * 1609.344) and run[10] == 720 and run[6] is None
    assert any("assumed lb" in w for w in p.warnings)
    assert [w[2] for w in lower.sets] == [1, 2, 3, 1, 1, 1]


def test_strong_unit_override() -> None:
    p = parse_file("strong", FIX / "strong_ios.csv", mapping={"unit": "kg"})
    assert sets_of(p)[0][4] == "kg" and sets_of(p)[0][5] == 225.0
    assert not p.warnings


def test_pounds_are_converted_by_the_international_pound() -> None:
    """1 lb = 0.45359237 kg exactly (by definition since 1959): worked by hand, 322.5 lb = 146.2835 kg and
    135 lb = 61.2350 kg; a rounded factor (0.454) would be off by 0.1 kg here and by 0.4 kg at 900 lb."""
    assert LB_TO_KG == 0.45359237
    s = parse_file("strong", FIX / "strong_new_lbs.csv").sessions[0]
    assert s.sets[1][3] == 322.5 and s.sets[1][5] == pytest.approx(146.2835, abs=5e-4)
    row = "2024-05-02 17:40:08;A;Squat (Barbell);1;135;lbs;5;;;;0;;;58m"
    header = "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration"
    p = parse_file("strong", "x.csv", data=f"{header}\n{row}\n".encode())
    assert sets_of(p)[0][5] == pytest.approx(61.2350, abs=5e-4)


def test_strong_android_semicolon_decimal_comma_croatian() -> None:
    p = parse_file("strong", FIX / "strong_android.csv")
    assert p.set_count == 4
    s = p.sessions[0]
    assert s.duration_s == 58 * 60 and s.notes == "umoran, previše volumena"
    assert s.sets[1][3] == 42.5 and s.sets[1][4] == "kg"
    assert s.sets[2][9] == pytest.approx(3 * 1609.344)
    assert p.sessions[1].sets[0][7] == 8.0


def test_strong_2016_zero_based_set_order_and_unit_headers() -> None:
    p = parse_file("strong", FIX / "strong_2016.csv")
    squat = p.sessions[0].sets[:2]
    assert [w[2] for w in squat] == [1, 2]
    assert squat[0][4] == "kg" and squat[0][5] == 100.0
    assert p.sessions[0].sets[2][9] == 2000.0


def test_strong_new_format_set_types_and_non_set_rows() -> None:
    p = parse_file("strong", FIX / "strong_new.csv")
    assert p.set_count == 7
    push = p.sessions[0]
    assert [w[11] for w in push.sets] == ["warmup", "normal", "normal", "drop", "failure", "normal"]
    assert push.duration_s == 3900 and push.notes == "Felt good"
    assert push.sets[2][7] == 9.0 and push.sets[2][12] == "@9 grip slipped"
    assert push.extra_notes == [("Bench Press (Barbell)", "aggravated my shoulder")]
    assert p.skipped == [
        "line 4: Rest Timer row (not a set)",
        "line 8: Note row (kept as a note, not a set)",
        "line 10: empty row",
    ]
    legs = p.sessions[1]
    assert legs.sets[0][8] == 2.0 and legs.sets[0][7] is None  # RIR from "2 RIR"


def test_strong_new_lbs_semicolon_12h_clock() -> None:
    p = parse_file("strong", FIX / "strong_new_lbs.csv")
    s = p.sessions[0]
    assert s.started_at.hour == 18 and s.started_at.minute == 5
    assert s.sets[1][3] == 322.5 and s.sets[1][4] == "lb"
    assert s.sets[2][9] == pytest.approx(1.5 * 1609.344)


# --- Hevy, FitNotes, generic -------------------------------------------------------------------
def test_hevy_set_types_multiline_notes_emoji() -> None:
    p = parse_file("hevy", FIX / "hevy.csv")
    assert p.set_count == 7 and len(p.sessions) == 2
    morning = p.sessions[0]
    assert morning.name == "Morning workout ☀️" and morning.duration_s == 3600
    assert [w[11] for w in morning.sets] == ["warmup", "normal", "drop", "failure", "normal"]
    assert [w[2] for w in morning.sets] == [1, 2, 3, 1, 2]
    assert morning.sets[1][7] == 8.5
    assert morning.sets[3][12] == "Wrist pain\nleft side worse"
    assert p.sessions[1].notes == "Hotel gym, felt strong"
    assert p.sessions[1].sets[1][9] == 2500.0 and p.sessions[1].sets[1][10] == 900


def test_hevy_imperial_and_iso_times() -> None:
    p = parse_file("hevy", FIX / "hevy_imperial.csv")
    s = p.sessions[0]
    assert s.duration_s == 65 * 60
    assert s.sets[0][4] == "lb" and s.sets[0][5] == pytest.approx(225 * LB_TO_KG, abs=1e-3)
    assert s.sets[0][7] == 8.0  # from the "@8" note
    assert s.sets[2][9] == pytest.approx(1609.344)


def test_fitnotes_one_session_per_day_units_comment_repair() -> None:
    p = parse_file("fitnotes", FIX / "fitnotes.csv")
    assert p.set_count == 6 and len(p.sessions) == 2
    day1 = p.sessions[0]
    assert day1.sets[2][4] == "lb" and day1.sets[2][5] == pytest.approx(110 * LB_TO_KG, abs=1e-3)
    assert day1.sets[1][12] == "hurt my elbow, aggravated"
    assert day1.sets[3][3] is None  # weight 0: bodyweight
    day2 = p.sessions[1]
    assert day2.sets[0][9] == 5000.0 and day2.sets[0][10] == 1800.0
    assert day2.sets[1][0] == "Overhead Press (Each Side, Dumbbells)"
    assert any("unquoted comma" in w for w in p.warnings)


def test_fitnotes_old_and_v2_headers() -> None:
    old = parse_file("fitnotes", FIX / "fitnotes_old.csv")
    assert [w[4] for w in sets_of(old)] == ["lb", "lb"]
    v2 = parse_file("fitnotes", FIX / "fitnotes2_ios.csv")
    assert [w[11] for w in sets_of(v2)] == ["warmup", "normal", "drop"]
    assert sets_of(v2)[2][4] == "lb" and sets_of(v2)[1][12] == "this progression worked"


def test_generic_csv_with_mapping_file_and_pairs() -> None:
    p = parse_file("csv", FIX / "generic.csv", mapping=load_mapping(FIX / "generic_mapping.yaml"))
    assert p.set_count == 3 and len(p.sessions) == 2
    s = sets_of(p)
    assert s[0][3] == 102.5 and s[0][11] == "warmup"
    assert s[1][7] == 8.0
    assert s[2][4] == "lb"
    pairs = parse_map_pairs(["When=date", "Lift=exercise", "Load=weight", "Unit=unit", "Reps=reps",
                             "date_format=%d/%m/%Y"])
    p2 = parse_file("csv", FIX / "generic.csv", mapping=pairs)
    assert [w[3] for w in sets_of(p2)] == [w[3] for w in s]


def test_generic_csv_mapping_errors(tmp_path: Path) -> None:
    # no column named like an exercise and none mapped: one line naming the header and the flag
    no_exercise = _write(tmp_path, "When;Thing;Load\n14/03/2026;Squat;100\n", "x.csv")
    with pytest.raises(ImportFormatError, match="no column holds the exercise.*--map COLUMN=exercise"):
        parse_file("csv", no_exercise, mapping={"columns": {"When": "date"}})
    with pytest.raises(ConfigError):
        load_mapping({"columns": {"When": "date", "Lift": "exercise", "X": "nonsense"}})
    with pytest.raises(ImportFormatError, match="not in the header"):
        parse_file("csv", FIX / "generic.csv", mapping={"columns": {"date": "Nope", "exercise": "Lift"}})


# --- import_file: store, idempotency, dry run --------------------------------------------------
def test_import_then_reimport_adds_nothing(ana: Store) -> None:
    r1 = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids)
    assert (r1.sessions_new, r1.sets_new, r1.sets_existing) == (2, 7, 0)
    assert r1.annotations_new == 4  # workout note, "@9 grip slipped", the Note row, "2 RIR"
    dump = ana.dump()
    r2 = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids)
    assert (r2.sessions_new, r2.sets_new, r2.sets_existing, r2.annotations_new) == (0, 0, 7, 0)
    assert ana.dump() == dump


def test_import_maps_names_and_lists_unmapped(ana: Store) -> None:
    r = import_file(ana, "ana", "strong", FIX / "strong_ios.csv", map_exercise=ids)
    assert r.unmapped_exercises == ["Running (Treadmill)"]
    a = ana.get_athlete("ana")
    sessions = ana.sessions(a.id)
    assert sessions[0].sets[0].exercise_id == "squat_(barbell)"
    notes = ana.annotations(a.id)
    by_text = {n.text: n for n in notes}
    assert by_text["RPE: 8 on the last set"].scope == Scope.exercise and by_text["RPE: 8 on the last set"].rpe == 8
    assert by_text["Knee felt fine, no pain"].scope == Scope.session
    assert "pain" not in by_text["Knee felt fine, no pain"].tags


def test_import_with_real_catalog(ana: Store) -> None:
    r = import_file(ana, "ana", "hevy", FIX / "hevy.csv")
    a = ana.get_athlete("ana")
    mapped = {w.exercise: w.exercise_id for s in ana.sessions(a.id) for w in s.sets}
    assert mapped["Bench Press (Barbell)"] is not None
    assert set(r.unmapped_exercises) == {n for n, i in mapped.items() if i is None}


def test_dry_run_changes_nothing_and_reports_counts(ana: Store) -> None:
    import_file(ana, "ana", "hevy", FIX / "hevy.csv", map_exercise=ids)
    dump = ana.dump()
    r = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids, dry_run=True)
    assert r.dry_run and (r.sessions_new, r.sets_new) == (2, 7)
    assert ana.dump() == dump
    real = import_file(ana, "ana", "strong", FIX / "strong_new.csv", map_exercise=ids)
    assert (real.sessions_new, real.sets_new, real.annotations_new) == (r.sessions_new, r.sets_new, r.annotations_new)


def test_unknown_athlete_and_create(store: Store) -> None:
    with pytest.raises(NotFound):
        import_file(store, "nobody", "strong", FIX / "strong_new.csv", map_exercise=ids)
    assert store.list_athletes() == []
    r = import_file(store, "newbie", "strong", FIX / "strong_new.csv", map_exercise=ids, create_athlete=True)
    assert r.sets_new == 7 and store.get_athlete("newbie").id


def test_unknown_format_and_missing_file(ana: Store) -> None:
    with pytest.raises(ConfigError):
        import_file(ana, "ana", "excel", FIX / "strong_new.csv", map_exercise=ids)
    with pytest.raises(NotFound):
        import_file(ana, "ana", "strong", FIX / "nope.csv", map_exercise=ids)


def test_wrong_format_for_file(ana: Store) -> None:
    with pytest.raises(ImportFormatError, match="not a Hevy export"):
        import_file(ana, "ana", "hevy", FIX / "strong_ios.csv", map_exercise=ids)


# --- malformed files ---------------------------------------------------------------------------
def _write(tmp_path: Path, text: str | bytes, name: str = "x.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


STRONG_HEAD = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
ROW = '2024-03-04 18:02:11,"Lower",1h,"Squat (Barbell)",{n},100,{reps},0,0,"","",\n'


@pytest.mark.parametrize(
    "bad_row, reason",
    [
        (ROW.format(n=3, reps="-5"), "outside"),
        (ROW.format(n=3, reps="abc"), "not a number"),
        (ROW.format(n=3, reps="5.5"), "whole number"),
        (ROW.format(n=3, reps="nan"), "finite"),
        (ROW.format(n="2.5", reps="5"), "Set Order"),  # a number that is not a set number (a word is a marker)
        (ROW.format(n="inf", reps="5"), "Set Order"),  # found by the property test: once an OverflowError
        ('2024-03-04 18:02:11,"Lower",1h,"Squat (Barbell)",3,100\n', "expected 12 fields, found 6"),
        ('not a date,"Lower",1h,"Squat (Barbell)",3,100,5,0,0,"","",\n', "date"),
        ('2024-03-04 18:02:11,"Lower",1h,"Squat (Barbell)",3,1e9,5,0,0,"","",\n', "outside"),
    ],
)
def test_bad_row_fails_with_line_and_reason(ana: Store, tmp_path: Path, bad_row: str, reason: str) -> None:
    import_file(ana, "ana", "hevy", FIX / "hevy.csv", map_exercise=ids)
    dump = ana.dump()
    text = STRONG_HEAD + ROW.format(n=1, reps=5) + ROW.format(n=2, reps=5) + bad_row + ROW.format(n=4, reps=5)
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "strong", _write(tmp_path, text), map_exercise=ids)
    assert e.value.place.endswith("x.csv:4")
    assert reason in str(e.value)
    assert ana.dump() == dump


def test_all_problems_are_collected(ana: Store, tmp_path: Path) -> None:
    text = STRONG_HEAD + ROW.format(n=1, reps="a") + ROW.format(n=2, reps=5) + ROW.format(n=3, reps="-1")
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "strong", _write(tmp_path, text), map_exercise=ids)
    assert "2 problems" in str(e.value) and "line 2" in str(e.value) and "line 4" in str(e.value)


def test_unterminated_quote(ana: Store, tmp_path: Path) -> None:
    text = STRONG_HEAD + ROW.format(n=1, reps=5) + '2024-03-04 18:02:11,"Lower,1h,"Squat'
    with pytest.raises(ImportFormatError) as e:
        import_file(ana, "ana", "strong", _write(tmp_path, text), map_exercise=ids)
    assert ":3" in e.value.place


def test_encodings(ana: Store, tmp_path: Path) -> None:
    text = (FIX / "strong_android.csv").read_text(encoding="utf-8")
    for i, (data, warn) in enumerate([
        (codecs.BOM_UTF8 + text.encode("utf-8"), False),
        (text.encode("utf-16"), False),  # with BOM
        (text.encode("utf-16-le"), True),  # without BOM
        (text.encode("cp1252", errors="replace"), False),
    ]):
        p = parse_file("strong", _write(tmp_path, data, f"enc{i}.csv"))
        assert p.set_count == 4
        assert p.sessions[0].sets[0][0] == "Overhead Press (Barbell)"
        assert bool(p.warnings) == warn or i == 3
    latin = parse_file("strong", _write(tmp_path, text.replace("š", "é").replace("đ", "d").encode("latin-1"), "latin.csv"))
    assert latin.sessions[0].notes == "umoran, previée volumena"
    assert any("UTF-8" in w for w in latin.warnings)


def test_nul_bytes_and_huge_fields(ana: Store, tmp_path: Path) -> None:
    dump = ana.dump()
    nul = STRONG_HEAD + ROW.format(n=1, reps=5) + ROW.format(n=2, reps=5).replace("Lower", "Lo\x00wer")
    with pytest.raises(ImportFormatError, match="NUL") as e:
        import_file(ana, "ana", "strong", _write(tmp_path, nul), map_exercise=ids)
    assert e.value.place.endswith(":3")
    huge = STRONG_HEAD + ROW.format(n=1, reps=5) + ROW.format(n=2, reps=5).replace('"",""', '"' + "x" * 2_000_000 + '",""')
    with pytest.raises(ImportFormatError, match="larger than 1 MiB") as e:
        import_file(ana, "ana", "strong", _write(tmp_path, huge, "huge.csv"), map_exercise=ids)
    assert e.value.place.endswith(":3")
    assert ana.dump() == dump


def test_empty_and_header_only(ana: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="empty"):
        import_file(ana, "ana", "strong", _write(tmp_path, ""), map_exercise=ids)
    r = import_file(ana, "ana", "strong", _write(tmp_path, STRONG_HEAD, "h.csv"), map_exercise=ids)
    assert r.sets_new == 0 and r.rows_read == 0


# --- value parsers -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [("102,5", 102.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
                                         ("149.99999999999997", 150.0), ("", None), (" 7 ", 7.0)])
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text, "w") == value


@pytest.mark.parametrize("text, seconds", [("31m", 1860), ("1h 3m", 3780), ("145h 27m", 523620), ("45s", 45),
                                           ("1:02:03", 3723), ("0:30:00", 1800), ("90", 90), ("", None)])
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text, iso", [
    ("7 Apr 2026, 10:14", "2026-04-07T10:14:00"),
    ("2024-01-07 17:15:00", "2024-01-07T17:15:00"),
    ("Jan 7, 2024, 5:15 PM", "2024-01-07T17:15:00"),
    ("7 abr 2026, 10:14", "2026-04-07T10:14:00"),
    ("7 Mai 2026, 10:14", "2026-05-07T10:14:00"),
    ("2025-04-01 6:05:00\u202fPM", "2025-04-01T18:05:00"),
    ("2025-04-01", "2025-04-01T00:00:00"),
])
def test_parse_datetime(text: str, iso: str) -> None:
    assert parse_datetime(text).isoformat() == iso


def test_bulk_write_equals_model_write(tmp_path: Path) -> None:
    """store.add_session_rows (the importers' bulk path) writes exactly what store.add_sessions writes."""
    from peri.log.importers import annotations_for, apply_mapping

    parsed = parse_file("strong", FIX / "strong_new.csv")
    apply_mapping(parsed, ids)
    notes = annotations_for(parsed)
    tables = []
    for i, bulk in enumerate([True, False]):
        s = Store(tmp_path / f"{i}.db")
        a = s.add_athlete(Athlete(name="ana"))
        if bulk:
            s.add_session_rows(a.id, [((p.started_at, p.name, p.duration_s, p.notes, p.source), p.sets)
                                      for p in parsed.sessions], notes)
        else:
            s.add_sessions(a.id, parsed.to_sessions(), notes)
        tables.append([tuple(r) for t in ("sessions", "sets", "annotations")
                       for r in s.conn.execute(f"SELECT * FROM {t} ORDER BY id")])
        s.close()
    assert tables[0] == tables[1] and len(tables[0]) > 10


def test_progress_is_reported(ana: Store) -> None:
    seen: list[tuple[int, int]] = []
    import_file(ana, "ana", "hevy", FIX / "hevy.csv", map_exercise=ids, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]


def test_empty_weight_unit_cell_takes_the_files_unit(tmp_path: Path) -> None:
    head = "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
    rows = ["2024-05-02 17:40:08;A;Squat (Barbell);1;135;lbs;5;;;;0;;;58m",
            "2024-05-02 17:40:08;A;Squat (Barbell);2;185;;5;;;;0;;;58m",
            "2024-05-02 17:40:08;A;Squat (Bodyweight);1;;;12;;;;0;;;58m"]
    p = parse_file("strong", _write(tmp_path, head + "\n".join(rows) + "\n"))
    sets = sets_of(p)
    assert [w[4] for w in sets] == ["lb", "lb", None]
    assert sets[1][5] == pytest.approx(185 * LB_TO_KG, abs=1e-3)
    assert any("had no unit" in w for w in p.warnings)


@pytest.mark.parametrize("header, row", [
    # Strong 2017: no RPE, no Duration
    ("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes",
     '2017-05-01 18:00:00,"Legs","Squat (Barbell)",1,100,5,0,0,"",""'),
    # Strong 2019: 2017 plus RPE
    ("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE",
     '2019-05-01 18:00:00,"Legs","Squat (Barbell)",1,100,5,0,0,"","",8'),
])
def test_strong_2017_and_2019_headers(tmp_path: Path, header: str, row: str) -> None:
    # one load of 100 cannot tell kg from lb: the unit is given (see test_units for the file that asks)
    p = parse_file("strong", _write(tmp_path, header + "\n" + row + "\n"), mapping={"unit": "kg"})
    (w,) = sets_of(p)
    assert w[0] == "Squat (Barbell)" and w[3] == 100.0 and w[6] == 5 and p.sessions[0].duration_s is None
    assert w[7] == (8.0 if header.endswith("RPE") else None)


def test_notes_link_to_their_own_session_on_a_two_session_day(ana: Store, tmp_path: Path) -> None:
    rows = ['2024-03-04 07:00:00,"AM",1h,"Squat (Barbell)",1,100,5,0,0,"knee didn\'t like this","",',
            '2024-03-04 18:00:00,"PM",1h,"Bench Press (Barbell)",1,80,5,0,0,"felt great","",']
    import_file(ana, "ana", "strong", _write(tmp_path, STRONG_HEAD + "\n".join(rows) + "\n"), map_exercise=ids,
                mapping={"unit": "kg"})
    a = ana.get_athlete("ana")
    by_name = {s.name: s.id for s in ana.sessions(a.id)}
    links = {n.text: n.session_id for n in ana.annotations(a.id)}
    assert links == {"knee didn't like this": by_name["AM"], "felt great": by_name["PM"]}


def test_bad_unit_option_is_a_config_error(ana: Store) -> None:
    with pytest.raises(ConfigError, match="stone"):
        import_file(ana, "ana", "strong", FIX / "strong_ios.csv", map_exercise=ids, mapping={"unit": "stone"})
