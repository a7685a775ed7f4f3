"""`peri.log.importers` (the package's __init__.py) pinned down where mutmut found it loose (issue 20): the
options parse_file reads (--year, --date-format, --unit), the direction a file's rows run, the weight unit given
to loads without one, the stale-log note, and the import's report and transaction. Small files and hand-made
parsed files only; every expected value and message worked out by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from peri.errors import ConfigError, ImportFormatError, NotFound, PeriError
from peri.log import importers
from peri.log.importers import (
    _date_options,
    _format_hint,
    _oldest_first,
    _year_option,
    base,
    detect_format,
    get_importer,
    import_file,
    parse_file,
    resolve_units,
    session_annotations,
    stale_log_note,
)
from peri.log.importers.generic_csv import GenericCsvImporter
from peri.log.importers.strong import StrongImporter
from peri.log.models import Athlete
from peri.log.store import Store

# the set list's positions, written out (base: EXERCISE, EXERCISE_ID, ORDER, WEIGHT, UNIT, WEIGHT_KG, REPS, RPE, RIR,
# DISTANCE_M, SECONDS, SET_TYPE, NOTE)
EX, ORD, WT, UN, KG, DIST, TYPE, NOTE = 0, 2, 3, 4, 5, 9, 11, 12

ENGLISH_GENERIC = "Date,Exercise,Weight (kg),Reps\n2024-03-04,Squat,100,5\n2024-03-05,Squat,105,5\n"


def _set(name: str, order: int = 1, *, weight: float | None = 100.0, unit: str | None = "kg",
         set_type: str = "normal", note: str | None = None, reps: int | None = 5) -> list:
    kg = weight if unit == "kg" else None
    return [name, None, order, weight, unit, kg, reps, None, None, None, None, set_type, note]


def _session(day: int, sets: list[list], *, notes: str | None = None, month: int = 3) -> base.ParsedSession:
    return base.ParsedSession(started_at=dt.datetime(2024, month, day, 18), name="", duration_s=None, notes=notes,
                              source="csv", line=2, sets=sets)


def _parsed(*sessions: base.ParsedSession, steps: tuple[int, int] = (0, 0)) -> base.ParsedFile:
    p = base.ParsedFile(path="log.csv", fmt="csv")
    p.sessions = list(sessions)
    p.set_number_steps = list(steps)
    return p


# --- get_importer, _format_hint, detect_format --------------------------------------------------------------
def test_get_importer_by_any_case_and_the_unknown_refused_with_the_list() -> None:
    assert isinstance(get_importer("Strong"), StrongImporter)
    assert isinstance(get_importer("CSV"), GenericCsvImporter)
    with pytest.raises(ConfigError) as e:
        get_importer("excel")
    assert e.value.message == "unknown import format 'excel'"
    assert e.value.hint == "one of: strong, hevy, fitnotes, csv"


STRONG_HEADER = ["Date", "Workout Name", "Duration", "Exercise Name", "Set Order", "Weight", "Reps", "Distance",
                 "Seconds", "Notes", "Workout Notes", "RPE"]
GENERIC_HINT = ("`peri import csv FILE` reads any log with columns named like Date, Exercise, Weight, Reps "
                "(--map COLUMN=FIELD for others)")


def test_format_hint_names_the_other_app_or_the_generic_reader() -> None:
    assert _format_hint(STRONG_HEADER, "hevy") == "this looks like a Strong export: use `peri import strong`"
    assert _format_hint(STRONG_HEADER, "STRONG") == GENERIC_HINT  # the same app in any case: no other to name
    assert _format_hint(["When", "What"], "strong") == GENERIC_HINT


GERMAN_STRONG = ("Datum,Trainingsname,Dauer,Übungsname,Satzreihenfolge,Gewicht,Wiederholungen,Distanz,Sekunden,"
                 "Notizen,Trainingsnotizen,RPE\n"
                 "2026-03-02 18:00:00,Beine,1h,Squat (Barbell),1,100,5,0,0,,,\n")


def test_detect_format_by_columns_by_header_words_or_generic() -> None:
    strong = ",".join(STRONG_HEADER) + "\n2026-03-02 18:00:00,Legs,1h,Squat,1,100,5,0,0,,,\n"
    assert detect_format("s.csv", data=strong.encode()) == ("strong", "read as a Strong export (its columns)")
    table = base.read_table("g.csv", data=GERMAN_STRONG.encode())
    assert detect_format("g.csv", table=table) == ("strong", "read as a Strong export (German column names)")
    # the header is left as the file wrote it, for the import to resolve again
    assert table.header == ["Datum", "Trainingsname", "Dauer", "Übungsname", "Satzreihenfolge", "Gewicht",
                            "Wiederholungen", "Distanz", "Sekunden", "Notizen", "Trainingsnotizen", "RPE"]
    assert detect_format("e.csv", data=ENGLISH_GENERIC.encode()) == (
        "csv", "read by its column names (no app's own layout recognised)")


# --- _year_option ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, year", [(None, None), ("", None), ("2024", 2024), (" 2024 ", 2024), (2023, 2023),
                                         ("1970", 1970)])
def test_year_option_reads_a_year(value, year) -> None:
    assert _year_option(value) == year


def test_year_option_next_year_is_the_last_accepted() -> None:
    next_year = dt.date.today().year + 1
    assert _year_option(str(next_year)) == next_year
    with pytest.raises(ConfigError) as e:
        _year_option(str(next_year + 1))
    assert e.value.message == f"--year '{next_year + 1}' is not a year from 1970 to next year"


@pytest.mark.parametrize("value, quoted", [("1969", "'1969'"), ("twenty", "'twenty'"), ("0", "'0'"),
                                           ("2024 and then some more", "'2024 and then some m'")])
def test_year_option_refusals_word_for_word(value: str, quoted: str) -> None:
    with pytest.raises(ConfigError) as e:
        _year_option(value)
    assert e.value.message == f"--year {quoted} is not a year from 1970 to next year"
    assert e.value.hint == "the year of the file's first date, e.g. --year 2024"
    assert e.value.place is None


# --- _date_options --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("word, order", [("dmy", "dmy"), (" Day-First ", "dmy"), ("DD/MM/YYYY", "dmy"),
                                         ("mdy", "mdy"), ("month-first", "mdy"), ("mm/dd/yyyy", "mdy")])
def test_date_format_words_set_the_order(word: str, order: str) -> None:
    options = {"date_format": word}
    table = SimpleNamespace(date_order="mdy" if order == "dmy" else "dmy", date_evidence="x")
    assert _date_options(options, table) is None
    assert options == {"date_format": None, "date_order": order}  # the word wins over the file's own order


def test_a_strptime_date_format_is_kept_as_given() -> None:
    options = {"date_format": "%d.%m.%Y"}
    assert _date_options(options, SimpleNamespace(date_order="mdy", date_evidence="x")) is None
    assert options == {"date_format": "%d.%m.%Y"}


def test_a_date_format_neither_strptime_nor_an_order_is_refused_quoted_to_40() -> None:
    with pytest.raises(ConfigError) as e:
        _date_options({"date_format": "day month year, the European way, please!"}, SimpleNamespace(date_order=None))
    assert e.value.message == ("--date-format 'day month year, the European way, please' is neither a strptime "
                               "format nor a day/month order")
    assert e.value.hint == 'e.g. --date-format "%d/%m/%Y", or --date-format dmy | mdy'


@pytest.mark.parametrize("order, first", [("dmy", "day"), ("mdy", "month")])
def test_the_files_own_date_order_is_said(order: str, first: str) -> None:
    options: dict = {"date_format": ""}
    note = _date_options(options, SimpleNamespace(date_order=order, date_evidence="13/03/2024 fits one way"))
    assert note == f"numeric dates read {first} first (13/03/2024 fits one way); pass --date-format to override"
    assert options["date_order"] == order


@pytest.mark.parametrize("order", ["ambiguous", None])
def test_no_date_order_is_set_when_the_file_does_not_tell(order) -> None:
    options: dict = {}
    assert _date_options(options, SimpleNamespace(date_order=order, date_evidence="both fit")) is None
    assert options == {}


# --- stale_log_note -------------------------------------------------------------------------------------------
THURSDAY = dt.date(2023, 3, 2)  # 2 March 2023 was a Thursday: the Monday after is 6 March


def test_a_log_within_eight_weeks_is_current() -> None:
    assert stale_log_note(None, THURSDAY) is None
    assert stale_log_note(dt.date(2023, 1, 5), THURSDAY) is None  # 56 days: exactly eight weeks


def test_a_log_older_than_eight_weeks_says_its_weeks_and_the_next_monday() -> None:
    # 57 days: 8 whole weeks; 5 January 2023 - 1 day
    assert stale_log_note(dt.date(2023, 1, 4), THURSDAY) == (
        "the log ends on 2023-01-04, 8 weeks ago: `peri plan` plans the week after its last session; to plan "
        "from now on this history pass --as-of 2023-03-06")
    # 69 days (9.86 weeks): 9 whole weeks; on a Monday the Monday after is a week later, on a Sunday the next day
    assert "2022-12-23, 9 weeks ago" in stale_log_note(dt.date(2022, 12, 23), THURSDAY)
    assert stale_log_note(dt.date(2022, 12, 1), dt.date(2023, 3, 6)).endswith("--as-of 2023-03-13")
    assert stale_log_note(dt.date(2022, 12, 1), dt.date(2023, 3, 5)).endswith("--as-of 2023-03-06")


def test_stale_log_note_reads_today_when_not_given() -> None:
    today = dt.date.today()
    assert stale_log_note(today - dt.timedelta(days=10)) is None
    assert f"{today - dt.timedelta(days=100)}, 14 weeks ago" in stale_log_note(today - dt.timedelta(days=100))


# --- _oldest_first --------------------------------------------------------------------------------------------
def _forwards_session(day: int) -> base.ParsedSession:
    return _session(day, [_set("Squat", 1), _set("Squat", 2), _set("Bench", 1)])


def test_set_numbers_falling_in_more_than_twice_the_steps_reverse_the_sets() -> None:
    s = _session(4, [_set("Bench", 2), _set("Squat", 3, note="last"), _set("Squat", 2), _set("Bench", 1),
                     _set("Squat", 1)])
    s.extra_notes = [("Squat", "second"), ("Bench", "first")]
    p = _parsed(s, steps=(1, 3))
    _oldest_first(p, "strong")
    assert [(w[EX], w[ORD], w[NOTE]) for w in s.sets] == [
        ("Squat", 1, None), ("Bench", 1, None), ("Squat", 2, None), ("Squat", 3, "last"), ("Bench", 2, None)]
    assert s.extra_notes == [("Bench", "first"), ("Squat", "second")]
    assert p.warnings == ["the file runs backwards (in 3 of 4 steps the file's set numbers fall within an "
                          "exercise); sets were put back in logged order"]


@pytest.mark.parametrize("steps", [(1, 2), (0, 2), (2, 4)])
def test_set_numbers_not_falling_enough_leave_the_rows(steps) -> None:
    # (1, 2): 2 falls are not more than twice 1 rise; (0, 2): two steps are too few, and nothing else tells
    # (2, 4): 4 is not more than 4
    p = _parsed(_forwards_session(4), _forwards_session(5), steps=steps)
    _oldest_first(p, "strong")
    assert p.warnings == [] and [w[ORD] for w in p.sessions[0].sets] == [1, 2, 1]


def test_set_numbers_decide_before_warm_ups() -> None:
    # three steps that rise say forwards, though every warm-up comes after its working sets
    late = _session(4, [_set("Squat", 1), _set("Squat", 2, set_type="warmup"), _set("Squat", 3, set_type="warmup"),
                        _set("Squat", 4, set_type="warmup")])
    p = _parsed(late, steps=(3, 0))
    _oldest_first(p, "strong")
    assert p.warnings == []


def test_warm_ups_after_their_working_sets_more_than_twice_reverse_the_sets() -> None:
    s = _session(4, [_set("Squat", 1), _set("Squat", 2, set_type="warmup"), _set("Bench", 1),
                     _set("Squat", 3, set_type="warmup"), _set("Bench", 2, set_type="warmup"),
                     _set("Row", 1, set_type="warmup"), _set("Row", 2)])
    p = _parsed(s, _session(5, [_set("Curl", 1)]), steps=(1, 1))
    _oldest_first(p, "fitnotes")
    # after: Squat's two and Bench's one (3); before: Row's, ahead of its working set (1); 3 > 2 x 1
    assert p.warnings == ["the file runs backwards (3 warm-up sets come after their working sets); sets were put "
                          "back in logged order"]
    assert [(w[EX], w[ORD], w[TYPE]) for w in s.sets] == [
        ("Row", 1, "normal"), ("Row", 2, "warmup"), ("Bench", 1, "warmup"), ("Squat", 1, "warmup"),
        ("Bench", 2, "normal"), ("Squat", 2, "warmup"), ("Squat", 3, "normal")]


def test_a_session_without_warm_ups_does_not_end_the_count() -> None:
    late = _session(5, [_set("Squat", 1), _set("Squat", 2, set_type="warmup"), _set("Squat", 3, set_type="warmup"),
                        _set("Squat", 4, set_type="warmup")])
    p = _parsed(_session(4, [_set("Curl", 1)]), late)
    _oldest_first(p, "fitnotes")
    assert p.warnings == ["the file runs backwards (3 warm-up sets come after their working sets); sets were put "
                          "back in logged order"]


@pytest.mark.parametrize("sets", [
    # two after, one before: 2 is not more than 2
    [_set("Squat", 1), _set("Squat", 2, set_type="warmup"), _set("Bench", 1), _set("Bench", 2, set_type="warmup"),
     _set("Row", 1, set_type="warmup"), _set("Row", 2)],
    # three before: forwards
    [_set("Squat", 1, set_type="warmup"), _set("Squat", 2, set_type="warmup"), _set("Squat", 3, set_type="warmup"),
     _set("Squat", 4)],
])
def test_warm_ups_that_do_not_tell_leave_the_rows(sets) -> None:
    # the sessions run newest-first, but three warm-ups decide before the dates
    p = _parsed(_session(9, list(sets)), _session(8, [_set("Curl")]), _session(7, [_set("Curl")]),
                _session(6, [_set("Curl")]))
    _oldest_first(p, "fitnotes")
    assert p.warnings == []
    assert [s.started_at.day for s in p.sessions] == [6, 7, 8, 9]  # sorted, never reversed
    assert [w[ORD] for w in p.sessions[3].sets] == [w[ORD] for w in sets]


def test_two_warm_ups_after_leave_the_decision_to_the_dates() -> None:
    s = _session(9, [_set("Squat", 1), _set("Squat", 2, set_type="warmup"), _set("Bench", 1),
                     _set("Bench", 2, set_type="warmup")])
    p = _parsed(s, _forwards_session(8), _forwards_session(7), _forwards_session(6))
    _oldest_first(p, "fitnotes")
    assert p.warnings == ["the file runs backwards (the file has no set numbers or warm-ups to tell, and lists its "
                          "sessions newest-first (3 of 3 steps go back in time): read as reversed row by row); sets "
                          "were put back in logged order"]
    assert [s.started_at.day for s in p.sessions] == [6, 7, 8, 9]
    assert [(w[EX], w[ORD]) for w in p.sessions[0].sets] == [("Bench", 1), ("Squat", 1), ("Squat", 2)]


@pytest.mark.parametrize("days, reversed_", [
    ((9, 8, 7, 6), True),  # 3 of 3 back in time
    ((9, 8, 10, 7, 6), True),  # 3 back, 1 forwards: 3 > 2
    ((9, 8, 7), False),  # 2 back: too few
    ((9, 8, 10, 11, 7, 6), False),  # 3 back, 2 forwards: 3 is not more than 4
    ((9, 8, 10, 7, 6, 5), True),  # 4 back, 1 forwards
    ((9, 9, 8, 7, 6), True),  # a step within the same time is neither
    ((9, 9, 8, 7), False),  # two back and one within the same time: too few
    ((10, 9, 9, 8, 7, 7, 6), True),  # four back, two within the same time: none forwards
    ((9, 8, 10, 11, 7, 6, 5), False),  # four back, two forwards: 4 is not more than 4
    ((12, 11, 15, 14, 13), True),  # three back, one forwards (11 -> 15), each step against the one before it
])
def test_sessions_latest_first_are_read_reversed_only_when_they_clearly_are(days, reversed_: bool) -> None:
    p = _parsed(*[_forwards_session(d) for d in days])
    _oldest_first(p, "csv")
    assert bool(p.warnings) is reversed_
    assert [s.started_at.day for s in p.sessions] == sorted(days)
    assert [w[EX] for w in p.sessions[0].sets] == (["Bench", "Squat", "Squat"] if reversed_ else
                                                    ["Squat", "Squat", "Bench"])


def test_the_dates_note_counts_the_steps_both_ways() -> None:
    p = _parsed(*[_forwards_session(d) for d in (9, 8, 10, 7, 6)])
    _oldest_first(p, "csv")
    assert p.warnings == ["the file runs backwards (the file has no set numbers or warm-ups to tell, and lists its "
                          "sessions newest-first (3 of 4 steps go back in time): read as reversed row by row); sets "
                          "were put back in logged order"]


def test_two_warm_ups_after_and_two_before_do_not_tell() -> None:
    s = _session(4, [_set("Squat", 1), _set("Squat", 2, set_type="warmup"), _set("Bench", 1),
                     _set("Bench", 2, set_type="warmup"), _set("Row", 1, set_type="warmup"), _set("Row", 2),
                     _set("Curl", 1, set_type="warmup"), _set("Curl", 2)])
    p = _parsed(s)
    _oldest_first(p, "fitnotes")
    assert p.warnings == [] and [w[EX] for w in s.sets][:2] == ["Squat", "Squat"]


def test_sessions_in_order_are_left_as_they_are() -> None:
    first, second = _forwards_session(4), _forwards_session(5)
    second.started_at = first.started_at  # the same time: no step either way, no sorting
    p = _parsed(second, first)
    _oldest_first(p, "csv")
    assert p.sessions == [second, first] and p.warnings == []


# --- resolve_units --------------------------------------------------------------------------------------------
def test_stated_units_give_the_file_its_unit_and_the_counts() -> None:
    p = _parsed(_session(4, [_set("Squat"), _set("Squat", weight=225.0, unit="lb"), _set("Bench"),
                             _set("Plank", weight=None, unit=None)]))
    resolve_units(p, None)
    assert (p.unit.unit, p.unit.source, p.unit.confidence) == ("kg", "stated", "high")
    assert p.unit.evidence == ["2 weights in kg", "1 weights in lb"]
    assert p.sessions[0].sets[3][UN] is None and p.warnings == []
    resolve_units(p, "lb")
    assert (p.unit.unit, p.unit.source) == ("kg", "option")  # --unit given, but every weight says its own


def test_no_weights_at_all_leave_the_unit_unset() -> None:
    p = _parsed(_session(4, [_set("Plank", weight=None, unit=None)]))
    resolve_units(p, None)
    assert p.unit is None and p.warnings == []


def test_the_unit_option_gives_loads_without_one_that_unit() -> None:
    p = _parsed(_session(4, [_set("Squat", weight=225.0, unit=None), _set("Plank", weight=None, unit=None),
                             _set("Bench", weight=100.0, unit="kg")]))
    run, row = _set("Run", weight=None, unit=None), _set("Row", weight=None, unit=None)
    p.pending_distance = [(run, 2.0), (row, 1.3)]
    resolve_units(p, "lb")
    assert row[DIST] == 2092.147  # 1.3 x 1609.344 = 2092.1472, to the millimetre
    squat, plank, bench = p.sessions[0].sets
    assert (squat[UN], squat[KG]) == ("lb", 102.0583)  # 225 x 0.45359237 = 102.05828...
    assert (plank[UN], plank[KG]) == (None, None) and (bench[UN], bench[KG]) == ("kg", 100.0)
    assert run[DIST] == 3218.688  # 2 miles of 1609.344 m
    assert (p.unit.unit, p.unit.source, p.unit.confidence, p.unit.evidence) == ("lb", "option", "high", ["--unit lb"])
    assert p.warnings == []


def test_loads_without_a_unit_take_the_unit_the_rest_of_the_file_states() -> None:
    p = _parsed(_session(4, [_set("Squat", weight=102.5, unit=None), _set("Bench", weight=60.0, unit=None),
                             _set("Row", weight=80.0, unit="kg"), _set("Curl", weight=20.0, unit="kg"),
                             _set("Press", weight=95.0, unit="lb")]))
    run = _set("Run", weight=None, unit=None)
    p.pending_distance = [(run, 1.5)]
    resolve_units(p, None)
    assert [(w[UN], w[KG]) for w in p.sessions[0].sets[:2]] == [("kg", 102.5), ("kg", 60.0)]
    assert run[DIST] == 1500.0
    assert (p.unit.unit, p.unit.source, p.unit.confidence) == ("kg", "stated", "high")
    assert p.unit.evidence == ["2 weights in kg", "1 weights in lb"]
    assert p.warnings == ["2 weights had no unit; took kg, the unit the rest of the file uses"]


POUND_LOADS = (135, 225, 315, 185, 95, 45, 275, 135, 225, 315, 405, 225, 135)


def test_loads_of_a_file_that_states_no_unit_are_inferred_and_said() -> None:
    p = _parsed(_session(4, [_set("Squat", weight=float(x), unit=None) for x in POUND_LOADS]))
    resolve_units(p, None)
    assert (p.unit.unit, p.unit.source, p.unit.confidence) == ("lb", "inferred", "medium")
    assert p.sessions[0].sets[1][KG] == 102.0583
    assert p.warnings == ["the export does not say its weight unit: assumed lb for 13 weights, inferred with medium "
                          "confidence (the report's unit evidence says why); pass --unit kg|lb to override"]


def test_notes_of_sets_and_sessions_are_unit_evidence() -> None:
    sets = [_set("Squat", weight=float(x), unit=None) for x in POUND_LOADS[:7]]
    sets[0][NOTE] = "felt heavy 225 lbs"
    p = _parsed(_session(4, sets, notes="warm-up 135 lbs"))
    resolve_units(p, None)  # 4.5 points from the loads alone are too weak (below); the two notes make it medium
    assert p.unit.evidence[1:] == ["notes name lb 2 times (2 points for lb)"] and p.unit.confidence == "medium"


def test_weak_unit_evidence_stops_the_import_naming_the_count() -> None:
    p = _parsed(_session(4, [_set("Squat", weight=float(x), unit=None) for x in POUND_LOADS[:7]]))
    with pytest.raises(ConfigError) as e:
        resolve_units(p, None)
    assert e.value.message == (
        "the file does not say its weight unit, and its 7 loads do not tell kg from lb (loads on the 45 lb "
        "bar-and-plate landmarks (135/225/315...) (4.5 points for lb)); nothing was imported")
    assert e.value.place == "log.csv" and e.value.hint == "re-run with --unit kg or --unit lb"


def test_body_mass_reaches_the_inference(monkeypatch) -> None:
    from peri.log import units

    seen = {}
    real = units.infer_unit

    def spy(loads, **kw):
        seen.update(kw, loads=loads)
        return real(loads, **kw)

    monkeypatch.setattr(units, "infer_unit", spy)
    p = _parsed(_session(4, [_set("Squat", weight=float(x), unit=None) for x in POUND_LOADS]))
    p.raw_weights = {"225"}
    resolve_units(p, None, body_mass_kg=80.0)
    assert seen["body_mass_kg"] == 80.0 and seen["raw_texts"] == {"225"} and seen["notes"] == []
    assert seen["loads"] == [("Squat", float(x)) for x in POUND_LOADS]  # every load: far fewer than the sample


@pytest.mark.parametrize("pending, sampled", [(39_999, 39_999), (40_000, 20_000)])
def test_at_most_about_20000_loads_are_sampled_evenly(monkeypatch, pending: int, sampled: int) -> None:
    from peri.log import units

    seen = []

    def fake(loads, **kw):
        seen.append(loads)
        return units.UnitInference(unit="kg", confidence="high", source="inferred", evidence=["by hand"])

    monkeypatch.setattr(units, "infer_unit", fake)
    p = _parsed(_session(4, [_set("Squat", weight=float(i % 500), unit=None) for i in range(pending)]))
    resolve_units(p, None)
    # 39,999 // 20,000 = 1: every load; 40,000 // 20,000 = 2: every second
    assert len(seen[0]) == sampled and seen[0][1] == ("Squat", float(pending // sampled % 500))


# --- session_annotations --------------------------------------------------------------------------------------
def test_session_annotations_from_set_notes_note_rows_and_session_notes() -> None:
    quiet = _session(4, [_set("Squat")])
    noted = _session(5, [_set("Squat", note="knee ok")])
    noted.extra_notes = [("Bench", "grip slipped")]
    only_session = _session(6, [_set("Squat")], notes="felt strong")
    per = session_annotations(_parsed(quiet, noted, only_session))
    assert per[0] == []
    assert [a.text for a in per[1]] == ["knee ok", "grip slipped"]
    assert [a.text for a in per[2]] == ["felt strong"]


# --- parse_file: what it composes around a reader ---------------------------------------------------------------
class _Reader:
    """A reader standing in for an app's: it records the options it was given and returns (or raises) what the
    test prepared, so that only parse_file's own work is checked."""

    fmt = "fake"
    seen: dict = {}
    result: object = None

    def parse(self, table, options):
        _Reader.seen = dict(options)
        if isinstance(_Reader.result, Exception):
            raise _Reader.result
        return _Reader.result


@pytest.fixture
def reader(monkeypatch) -> type[_Reader]:
    monkeypatch.setitem(importers.IMPORTERS, "fake", _Reader)
    _Reader.seen, _Reader.result = {}, None
    return _Reader


def _file(*sessions: base.ParsedSession, refused: list[str] | None = None,
          warnings: list[str] | None = None) -> base.ParsedFile:
    p = _parsed(*sessions)
    p.path, p.fmt = "x.csv", "fake"
    p.refused, p.warnings = list(refused or []), list(warnings or [])
    return p


PERSON_FILE = "Date,Person,Exercise,Weight,Reps\n13/03/2024,Ann,Squat,225,5\n14/03/2024,Ann,Squat,230,5\n"


def test_parse_file_options_units_warnings_and_progress(reader) -> None:
    reader.result = _file(_session(13, [_set("Squat", weight=225.0, unit=None)]), warnings=["from the reader"])
    calls = []
    p = parse_file("FAKE", "x.csv", data=PERSON_FILE.encode(), progress=lambda n, total: calls.append((n, total)),
                   mapping={"person": "ann", "year": "2024", "unit": "LB", "delimiter": ","})
    # person and year are parse_file's own; the unit, the delimiter and the progress reach the reader
    assert set(reader.seen) == {"unit", "delimiter", "progress", "date_order"} and reader.seen["unit"] == "LB"
    assert reader.seen["date_order"] == "dmy"
    assert p.warnings == ["from the reader", "column 'Person' names one person, 'Ann': all rows read as theirs",
                          "numeric dates read day first (13/03/2024 (and 1 more dates) can only be day first); "
                          "pass --date-format to override"]
    assert p.sessions[0].sets[0][UN] == "lb" and p.sessions[0].sets[0][KG] == 102.0583
    assert (p.unit.unit, p.unit.source) == ("lb", "option")
    lines = base.read_table("x.csv", data=PERSON_FILE.encode()).total_lines
    assert calls[-1] == (lines, lines) and p.refused == [] and p.refused_count == 0 and p.dialect is None


def test_parse_file_refuses_an_unknown_unit_before_reading(reader) -> None:
    with pytest.raises(ConfigError) as e:
        parse_file("fake", "missing.csv", mapping={"unit": "stone"})
    assert (e.value.message, e.value.hint, e.value.place) == ("weight unit 'stone' is not kg or lb", "use kg or lb",
                                                              None)
    assert reader.seen == {}


def test_parse_file_without_progress_passes_none(reader) -> None:
    reader.result = _file(_session(13, [_set("Squat")]))
    parse_file("fake", "x.csv", data=PERSON_FILE.encode(), mapping={"person": "Ann"})
    assert reader.seen == {"date_order": "dmy"}


@pytest.mark.parametrize("error", [ValueError("bad value"), KeyError("k"), ZeroDivisionError("by zero"),
                                   UnicodeError("bytes")])
def test_a_readers_crash_is_a_refusal_naming_the_file(reader, error) -> None:
    reader.result = error
    with pytest.raises(ImportFormatError) as e:
        parse_file("fake", "x.csv", data=ENGLISH_GENERIC.encode())
    assert e.value.message == f"could not read the file: {error}"
    assert e.value.place == "x.csv" and e.value.hint == "nothing was imported; please report this with the file"
    assert e.value.__cause__ is error


def test_the_wrong_reader_names_the_app_that_reads_the_file(reader) -> None:
    strong = ",".join(STRONG_HEADER) + "\n2026-03-02 18:00:00,Legs,1h,Squat,1,100,5,0,0,,,\n"
    reader.result = ImportFormatError("not a Fake export: no fake column", place="x.csv:1", hint="the reader's")
    with pytest.raises(ImportFormatError) as e:
        parse_file("fake", "x.csv", data=strong.encode())
    assert (e.value.message, e.value.place) == ("not a Fake export: no fake column", "x.csv:1")
    assert e.value.hint == "this looks like a Strong export: use `peri import strong`"
    # any other refusal passes through as the reader worded it
    reader.result = ImportFormatError("a Fake export whose line 2 is bad", place="x.csv:2", hint="the reader's")
    with pytest.raises(ImportFormatError) as e:
        parse_file("fake", "x.csv", data=strong.encode())
    assert (e.value.message, e.value.place, e.value.hint) == ("a Fake export whose line 2 is bad", "x.csv:2",
                                                              "the reader's")


def test_an_apps_export_the_generic_reader_refuses_names_its_own_importer(monkeypatch) -> None:
    def refuse(self, table, options):
        raise ImportFormatError("line 2: a bad cell", place="x.csv:2", hint="the reader's")

    monkeypatch.setattr(GenericCsvImporter, "parse", refuse)
    strong = ",".join(STRONG_HEADER) + "\n2026-03-02 18:00:00,Legs,1h,Squat,1,100,5,0,0,,,\n"
    with pytest.raises(ImportFormatError) as e:
        parse_file("CSV", "x.csv", data=strong.encode())
    assert (e.value.message, e.value.place) == ("line 2: a bad cell", "x.csv:2")
    assert e.value.hint == "this looks like a Strong export: `peri import strong` reads it"
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", "x.csv", data=ENGLISH_GENERIC.encode())
    assert e.value.hint == "the reader's"  # no app's layout: the generic reader's own words


def test_a_file_whose_every_row_is_refused_is_refused_whole(reader) -> None:
    reader.result = _file(refused=["line 2: weight '9999' is outside -5000..5000", "line 3: no date"])
    with pytest.raises(ImportFormatError) as e:
        parse_file("fake", "x.csv", data=ENGLISH_GENERIC.encode())
    assert e.value.message == ("nothing in the file could be read: 2 rows refused, the first line 2: weight '9999' "
                               "is outside -5000..5000")
    assert e.value.place == "x.csv"
    assert e.value.hint == "nothing was imported; fix those rows (or export the file again) and re-run"


@pytest.mark.parametrize("count, listed", [(1000, 1000), (1001, 1001), (1003, 1001)])
def test_refused_rows_are_listed_up_to_a_thousand(reader, count: int, listed: int) -> None:
    reader.result = _file(_session(13, [_set("Squat")]), refused=[f"line {n}: no date" for n in range(2, count + 2)])
    p = parse_file("fake", "x.csv", data=ENGLISH_GENERIC.encode())
    assert p.refused_count == count and len(p.refused) == listed
    assert p.refused[999] == "line 1001: no date"
    if count > 1000:
        assert p.refused[-1] == f"... and {count - 1000} more rows refused"


def test_parse_file_puts_the_sessions_in_time_order(reader) -> None:
    reader.result = _file(_session(14, [_set("Squat")]), _session(13, [_set("Squat")]))
    p = parse_file("fake", "x.csv", data=ENGLISH_GENERIC.encode())
    assert [s.started_at.day for s in p.sessions] == [13, 14]


def test_parse_file_reads_the_table_given_from_its_first_row() -> None:
    table = base.read_table("t.csv", data=GERMAN_STRONG.encode())
    p = parse_file("strong", "elsewhere.csv", table=table, mapping={"unit": "kg"})
    assert [s.started_at for s in p.sessions] == [dt.datetime(2026, 3, 2, 18)]
    assert p.dialect.language == "German"  # the dialect found is kept for the report


def test_parse_file_reads_the_delimiter_option() -> None:
    text = "Date|Exercise|Weight (kg)|Reps\n2024-03-04|Squat|100|5\n"  # a bar no sniffing looks for
    p = parse_file("csv", "x.csv", data=text.encode(), mapping={"delimiter": "|"})
    assert [w[WT] for s in p.sessions for w in s.sets] == [100.0]


# --- import_file / _import: the report and the transaction ------------------------------------------------------
BENCH_HEAVY = ("Date,Exercise,Weight (kg),Reps,Notes\n"
               "2024-03-04,Bench Press,200,5,\n2024-03-04,Bench Press,200,5,\n2024-03-11,Bench Press,200,5,easy\n")


def _ids(name: str) -> str | None:
    return None if name == "Walk" else name.lower().replace(" ", "_")


def _write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_auto_import_says_how_the_file_was_read_and_names_its_source(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, GERMAN_STRONG, "upload-123.csv")
    r = import_file(store, "lee", "AUTO", path, mapping={"unit": "kg"}, create_athlete=True, map_exercise=_ids,
                    source_name="my strong export.csv")
    assert r.fmt == "strong" and r.warnings[0] == "read as a Strong export (German column names)"
    assert (r.dialect, r.language) == ("strong-ios", "German")
    assert (r.unit, r.unit_source, r.unit_evidence) == ("kg", "option", ["1 weights in kg"])
    assert r.last_session == dt.date(2026, 3, 2) and r.file == str(path)
    athlete = store.get_athlete("lee")
    assert [(i["file"], i["fmt"]) for i in store.imports(athlete.id)] == [("my strong export.csv", "strong")]


def test_an_auto_import_reads_the_delimiter_it_is_given(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "Date|Exercise|Weight (kg)|Reps\n2024-03-04|Squat|100|5\n")
    r = import_file(store, "lee", "auto", path, mapping={"delimiter": "|"}, create_athlete=True, map_exercise=_ids)
    assert r.fmt == "csv" and r.sets_new == 1
    assert r.warnings[0] == "read by its column names (no app's own layout recognised)"


def test_a_named_format_adds_no_detection_note(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="lee"))
    r = import_file(store, "lee", "Strong", _write(tmp_path, GERMAN_STRONG), mapping={"unit": "kg"},
                    map_exercise=_ids)
    assert r.fmt == "strong" and not any(w.startswith("read as") for w in r.warnings)
    assert [i["file"] for i in store.imports(store.get_athlete("lee").id)] == [str(tmp_path / "log.csv")]


def test_a_missing_athlete_is_refused_unless_created(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, ENGLISH_GENERIC)
    with pytest.raises(NotFound):
        import_file(store, "nobody", "csv", path, map_exercise=_ids)
    r = import_file(store, "newbie", "csv", path, map_exercise=_ids, create_athlete=True)
    assert (r.sessions_new, r.sets_new, r.sets_existing) == (2, 2, 0) and r.import_id is not None
    assert store.get_athlete("newbie").name == "newbie"


def test_a_dry_run_counts_flags_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    store.add_athlete(Athlete(name="bo", body_mass_kg=60.0))
    path = _write(tmp_path, BENCH_HEAVY)
    r = import_file(store, "bo", "csv", path, dry_run=True, map_exercise=_ids)
    assert (r.sessions_new, r.sets_new, r.sets_existing, r.annotations_new) == (2, 3, 0, 1)
    assert r.import_id is None and r.dry_run
    # 200 kg x 5 (1RM about 233 kg) is 3.9 times a 60 kg body: the flag is said even in a dry run
    assert r.unit_flags == ["estimated 1RM 233 kg is 3.9x the stated body mass: peri import reunit --athlete bo "
                            "--from kg --to lb"]
    assert store.sessions(store.get_athlete("bo").id) == []
    assert store.imports(store.get_athlete("bo").id) == []
    real = import_file(store, "bo", "csv", path, map_exercise=_ids)
    assert real.import_id is not None and real.unit_flags == r.unit_flags and real.sets_new == 3
    again = import_file(store, "bo", "csv", path, map_exercise=_ids)
    assert again.import_id is None and again.unit_flags == [] and again.sets_existing == 3


def test_the_body_mass_of_the_athlete_reaches_the_unit_inference(store: Store, tmp_path: Path, monkeypatch) -> None:
    store.add_athlete(Athlete(name="bo", body_mass_kg=72.5))
    seen = []

    def spy(parsed, forced, *, body_mass_kg=None):
        seen.append(body_mass_kg)

    monkeypatch.setattr(importers, "resolve_units", spy)
    import_file(store, "bo", "csv", _write(tmp_path, ENGLISH_GENERIC), map_exercise=_ids)
    import_file(store, "nobody", "csv", _write(tmp_path, ENGLISH_GENERIC), map_exercise=_ids, create_athlete=True)
    assert seen == [72.5, None]


def test_unmapped_names_and_what_they_are(store: Store, tmp_path: Path) -> None:
    text = "Date,Exercise,Weight (kg),Reps,Seconds\n2024-03-04,Squat,100,5,\n2024-03-04,Walk,,,1800\n"
    r = import_file(store, "lee", "csv", _write(tmp_path, text), map_exercise=_ids, create_athlete=True)
    assert r.unmapped_exercises == ["Walk"]
    assert r.not_exercises == {"Walk": "activity: activity word(s) ['walk']; 1 of 1 sets are time or distance only"}
    assert r.rows_read == 2 and r.file == str(tmp_path / "log.csv") and r.fmt == "csv"


def test_the_catalog_maps_names_when_no_mapper_is_given(store: Store, tmp_path: Path) -> None:
    r = import_file(store, "lee", "csv", _write(tmp_path, ENGLISH_GENERIC), create_athlete=True)
    assert r.unmapped_exercises == []
    assert store.sessions(store.get_athlete("lee").id)[0].sets[0].exercise_id is not None


def test_a_write_that_fails_is_an_error_naming_the_file(store: Store, tmp_path: Path, monkeypatch) -> None:
    store.add_athlete(Athlete(name="lee"))

    def broken(*args, **kwargs):
        raise RuntimeError("a driver fault")  # the store words its own sqlite errors; anything else is wrapped here

    monkeypatch.setattr(store, "add_session_rows", broken)
    path = _write(tmp_path, ENGLISH_GENERIC)
    with pytest.raises(PeriError) as e:
        import_file(store, "lee", "csv", path, map_exercise=_ids)
    assert type(e.value) is PeriError
    assert e.value.message == "the import could not be written: a driver fault"
    assert e.value.place == str(path)
    assert e.value.hint == "nothing was written; report this with the file if it persists"
    assert isinstance(e.value.__cause__, RuntimeError)


def test_a_peri_error_inside_the_write_passes_through(store: Store, tmp_path: Path, monkeypatch) -> None:
    store.add_athlete(Athlete(name="lee"))

    def refused(*args, **kwargs):
        raise ImportFormatError("a row the store refuses", place="log.csv:3")

    monkeypatch.setattr(store, "add_session_rows", refused)
    with pytest.raises(ImportFormatError) as e:
        import_file(store, "lee", "csv", _write(tmp_path, ENGLISH_GENERIC), map_exercise=_ids)
    assert (e.value.message, e.value.place) == ("a row the store refuses", "log.csv:3")


def test_the_garbage_collector_is_paused_during_an_import_and_restored(store: Store, tmp_path: Path,
                                                                        monkeypatch) -> None:
    import gc

    states = []
    real = importers._import

    def spy(*args, **kwargs):
        states.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(importers, "_import", spy)
    path = _write(tmp_path, ENGLISH_GENERIC)
    assert gc.isenabled()
    import_file(store, "lee", "csv", path, map_exercise=_ids, create_athlete=True)
    assert states == [False] and gc.isenabled()
    gc.disable()
    try:
        import_file(store, "lee", "csv", path, map_exercise=_ids)
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


# --- parse_file through the real helpers: each one's note, where it goes ------------------------------------------
COLUMNS_READ = ("columns read by their names: 'Date' as date, 'Exercise' as exercise, 'Weight (kg)' as weight_kg, "
                "'Reps' as reps; pass --map COLUMN=FIELD to change")
GYMAHOLIC = """
;-----------------
;Upper A
;-----------------
;Date;Dec 30., 06:04
;Duration;1h:28m

#;Standing Military Press;REPS;TIME;REST
1;;95 lbs x 5;;0:00

;-----------------
;Lower
;-----------------
;Date;Jan 2., 18:30

#;Barbell Squat
1;;225 lbs x 5
"""


def test_gymaholics_blocks_are_flattened_and_their_years_read() -> None:
    p = parse_file("csv", "g.csv", data=GYMAHOLIC.encode(), mapping={"year": "2025"})  # the line of its first set
    assert p.warnings[1:] == [
        "read as Gymaholic's export (a block per workout: its title, ';Date;...', then '#;EXERCISE' and its numbered "
        "set lines)",
        "2 dates in column 'Date' carry no year (the first 'Dec 30., 06:04' at g.csv:9, read as 2025): years read "
        "from --year 2025, the dates running oldest first, a step back in the calendar being the turn of a year; a "
        "pause of a year or more cannot be seen - pass --year to correct"]
    assert [(s.started_at, w[EX], w[KG]) for s in p.sessions for w in s.sets] == [
        (dt.datetime(2025, 12, 30, 6, 4), "Standing Military Press", 43.0913),  # 95 lb
        (dt.datetime(2026, 1, 2, 18, 30), "Barbell Squat", 102.0583)]  # 225 lb, in the next year


def test_a_mapped_file_is_never_read_as_gymaholics() -> None:
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", "g.csv", data=GYMAHOLIC.encode(), mapping={"year": "2025", "columns": {"Date": "date"}})
    assert e.value.message == "no column holds the exercise: none is named like one, and no --map names it"


def test_gymaholics_blocks_are_read_by_the_generic_reader_only(reader) -> None:
    reader.result = _file(_session(13, [_set("Squat")]))
    parse_file("fake", "g.csv", data=GYMAHOLIC.encode())
    assert reader.seen == {}


def test_exercises_side_by_side_are_ungrouped_and_said() -> None:
    text = "Date,Exercise 1,Weight 1,Reps 1,Exercise 2,Weight 2,Reps 2\n2024-03-01,Squat,100,5,Bench Press,80,8\n"
    p = parse_file("csv", "w.csv", data=text.encode(), mapping={"unit": "kg"})
    assert p.warnings[1:] == ["a row per workout with 2 exercises side by side ('Exercise' groups from column 2): "
                              "read as a row per exercise, each group's columns under one header"]
    assert [(w[EX], w[KG], w[6]) for w in p.sessions[0].sets] == [("Squat", 100.0, 5), ("Bench Press", 80.0, 8)]


def test_localised_dates_are_read_and_said() -> None:
    text = 'Date,Exercise,Weight (kg),Reps\n"wt., 16 sty 2024, 17:15",Squat,100,5\n'
    p = parse_file("csv", "pl.csv", data=text.encode())
    assert p.warnings == [COLUMNS_READ, "1 localised dates read (the first, 'wt., 16 sty 2024, 17:15' as 2024-01-16 "
                                        "17:15:00) in Polish ('sty' = Jan) from their months' words in the whole file"]
    assert p.sessions[0].started_at == dt.datetime(2024, 1, 16, 17, 15)


def test_dates_without_a_year_take_the_year_given() -> None:
    # 4 March 2024 was a Monday (2 March 2023 a Thursday; 2024 a leap year: 367 days on, 2 days of the week later)
    text = "Date,Exercise,Weight (kg),Reps\nMon 4 Mar,Squat,100,5\nWed 6 Mar,Squat,100,5\n"
    p = parse_file("csv", "y.csv", data=text.encode(), mapping={"year": 2024})
    assert p.warnings == [COLUMNS_READ, (
        "2 dates in column 'Date' carry no year (the first 'Mon 4 Mar' at y.csv:2, read as 2024): years read from "
        "--year 2024, the dates running oldest first, a step back in the calendar being the turn of a year; a pause "
        "of a year or more cannot be seen - pass --year to correct")]
    assert [s.started_at.date() for s in p.sessions] == [dt.date(2024, 3, 4), dt.date(2024, 3, 6)]


STRONG_HEAD = ("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,"
               "RPE\n")


def test_a_whole_set_typed_under_reps_is_split_and_said() -> None:
    text = STRONG_HEAD + "2026-03-02 18:00:00,Legs,1h,Squat,1,,62.5 x 8,0,0,,,\n"
    p = parse_file("strong", "s.csv", data=text.encode(), mapping={"unit": "kg"})
    assert p.warnings == ["1 Reps cell held a whole set (such as '62.5 x 8' at s.csv:2): read as the set's reps and "
                          "load, the load into the weight column"]
    assert [(w[WT], w[6]) for w in p.sessions[0].sets] == [(62.5, 8)]


def test_a_whole_set_whose_load_differs_from_the_weight_cell_is_refused_and_listed() -> None:
    text = (STRONG_HEAD + "2026-03-02 18:00:00,Legs,1h,Squat,1,60,62.5 x 8,0,0,,,\n"
            "2026-03-02 18:00:00,Legs,1h,Squat,2,60,8,0,0,,,\n")
    p = parse_file("strong", "s.csv", data=text.encode(), mapping={"unit": "kg"})
    assert len(p.refused) == 1 and p.refused[0].startswith("s.csv:2: reps '62.5 x 8' gives a load of 62.5")
    assert p.refused_count == 1 and [(w[WT], w[6]) for w in p.sessions[0].sets] == [(60.0, 8)]


def test_pounds_stated_as_kilograms_are_doubted_after_the_units_are_resolved() -> None:
    text = "Date,Exercise,Weight (kg),Reps\n" + "".join(f"2024-03-{d:02d},Squat,{w},5\n" for d in range(1, 8)
                                                      for w in (135, 225, 315))
    p = parse_file("csv", "d.csv", data=text.encode())
    assert p.warnings[0] == COLUMNS_READ and len(p.warnings) == 2
    assert p.warnings[1].startswith("the file states kg for 21 loads, but they look like lb: loads on the 45 lb "
                                    "bar-and-plate landmarks (135/225/315...) (21 points for lb).")
    assert p.sessions[0].sets[1][KG] == 225.0  # stored as stated, never converted
    # the way back names the file's own weight column
    assert p.warnings[1].endswith("(`peri import csv FILE --map 'Weight (kg)=weight' --unit lb`)")


def test_the_person_option_picks_their_rows() -> None:
    text = "Date,Person,Exercise,Weight (kg),Reps\n2024-03-01,Ann,Squat,100,5\n2024-03-02,Bo,Squat,60,5\n"
    p = parse_file("csv", "p.csv", data=text.encode(), mapping={"person": "bo"})
    assert p.warnings[1:] == ["only the rows of 'Bo' were read (1, column 'Person'); 1 rows of other people were "
                              "left out (Ann 1 rows)"]
    assert [(s.started_at.day, s.sets[0][KG]) for s in p.sessions] == [(2, 60.0)]
    with pytest.raises(ImportFormatError) as e:
        parse_file("csv", "p.csv", data=text.encode(), mapping={"person": ""})  # no person: both, refused
    assert e.value.message.startswith("the file holds the training of 2 people")


def test_the_report_lists_skipped_and_refused_rows_and_the_last_session(store: Store, tmp_path: Path) -> None:
    text = (STRONG_HEAD + "2026-03-09 18:00:00,Legs,1h,Squat,1,100,5,0,0,,,\n"
            "2026-03-02 18:00:00,Push,45m,Bench,1,80,5,0,0,,felt good,\n"
            "2026-03-02 18:00:00,Push,45m,Bench,Rest Timer,,,0,90,,felt good,\n"
            "2026-03-02 18:00:00,Push,45m,Bench,2,80,1500,0,0,,felt good,\n")
    path = _write(tmp_path, text)
    r = import_file(store, "lee", "STRONG", path, mapping={"unit": "kg"}, map_exercise=_ids, create_athlete=True)
    assert r.fmt == "strong" and r.rows_read == 4
    assert r.skipped == ["line 4: Rest Timer row (not a set)"]
    assert r.refused == ["line 3: session 2026-03-02 'Bench' set 2: 1500 reps is over 1000"] and r.refused_count == 1
    assert r.last_session == dt.date(2026, 3, 9)  # the latest, though the file lists it first
    assert (r.sessions_new, r.sets_new) == (2, 2)
    athlete = store.get_athlete("lee")
    push, legs = store.sessions(athlete.id)
    assert (push.name, push.duration_s, push.notes, push.source) == ("Push", 2700, "felt good", "strong")
    assert (legs.name, legs.duration_s, legs.notes) == ("Legs", 3600, None)
    assert [i["fmt"] for i in store.imports(athlete.id)] == ["strong"]


# --- distances that follow the weight unit, in a file whose loads do not say it (a bug found here) ---------------
def test_distances_without_any_load_to_tell_their_unit_stop_the_import() -> None:
    # Strong's plain Distance column is in km or miles as the weight unit is; a file with runs and no load
    # dropped every distance silently before (the unit was only resolved for loads)
    text = (STRONG_HEAD + "2026-03-02 18:00:00,Run,1h,Running (Treadmill),1,,,1.5,720,,,\n"
            "2026-03-04 18:00:00,Run,1h,Running (Treadmill),1,,,3,900,,,\n")
    with pytest.raises(ConfigError) as e:
        parse_file("strong", "runs.csv", data=text.encode())
    assert e.value.message == ("the file does not say its distance unit, which follows its weight unit, and it has no "
                               "loads to tell kg from lb (2 distances); nothing was imported")
    assert e.value.place == "runs.csv"
    assert e.value.hint == "re-run with --unit kg (distances in km) or --unit lb (distances in miles)"
    p = parse_file("strong", "runs.csv", data=text.encode(), mapping={"unit": "lb"})
    assert [w[DIST] for s in p.sessions for w in s.sets] == [2414.016, 4828.032]  # 1.5 and 3 miles of 1609.344 m


@pytest.mark.parametrize("stated, forced, metres", [("lb", None, 2092.147), ("kg", "lb", 1300.0),
                                                    (None, "lb", 2092.147), (None, "kg", 1300.0)])
def test_distances_follow_the_stated_unit_or_the_option_when_no_load_is_pending(stated, forced, metres) -> None:
    sets = [_set("Squat", weight=100.0, unit=stated)] if stated else [_set("Plank", weight=None, unit=None)]
    p = _parsed(_session(4, sets))
    run = _set("Run", weight=None, unit=None)
    p.pending_distance = [(run, 1.3)]
    resolve_units(p, forced)
    assert run[DIST] == metres  # 1.3 miles = 2092.1472 m; 1.3 km = 1300 m
    assert p.warnings == []


def test_the_athletes_own_aliases_map_names_in_an_import(store: Store, tmp_path: Path) -> None:
    store.set_alias("my squat", "Barbell_Deadlift")
    text = "Date,Exercise,Weight (kg),Reps\n2024-03-04,My Squat,100,5\n"
    r = import_file(store, "lee", "csv", _write(tmp_path, text), create_athlete=True)
    assert r.unmapped_exercises == []
    assert store.sessions(store.get_athlete("lee").id)[0].sets[0].exercise_id == "Barbell_Deadlift"


def test_an_auto_import_decodes_the_file_once(store: Store, tmp_path: Path, monkeypatch) -> None:
    calls = []
    real = importers.read_table

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(importers, "read_table", counted)
    path = _write(tmp_path, ENGLISH_GENERIC)
    r = import_file(store, "lee", "auto", path, create_athlete=True, map_exercise=_ids)
    assert calls == [path] and r.sets_new == 2  # detected and imported from the one table


def test_weak_evidence_of_several_kinds_is_listed_in_the_refusal() -> None:
    sets = [_set("Squat", weight=float(x), unit=None) for x in POUND_LOADS[:7]]
    sets[0][NOTE] = "felt heavy 225 lbs"  # one note: 5.5 points, still too weak
    with pytest.raises(ConfigError) as e:
        resolve_units(_parsed(_session(4, sets)), None)
    assert e.value.message == (
        "the file does not say its weight unit, and its 7 loads do not tell kg from lb (loads on the 45 lb "
        "bar-and-plate landmarks (135/225/315...) (4.5 points for lb); notes name lb 1 times (1 points for lb)); "
        "nothing was imported")


# --- parse_file's hook for sets prescribed and not done (`undone`, imports8), as mutation showed it unguarded ---
UNDONE_HEAD = "Date,Exercise,Required Reps,Reps,Weight,Unit\n"
UNDONE_ROWS = ["2024-03-05,Squat,5,5,100,kg", "2024-03-05,Squat,5,4,100,kg", "2024-03-05,Squat,5,,,",
               "2024-03-07,Bench,8,8,60,kg"]


def _undone_file(tmp_path: Path) -> Path:
    f = tmp_path / "program.csv"
    f.write_text(UNDONE_HEAD + "\n".join(UNDONE_ROWS) + "\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("fmt", ["csv", "CSV"])
def test_a_set_prescribed_and_not_done_is_left_out_of_a_csv_and_said(tmp_path: Path, fmt: str) -> None:
    f = _undone_file(tmp_path)
    p = parse_file(fmt, f)
    assert [(w[0], w[6]) for s in p.sessions for w in s.sets] == [("Squat", 5), ("Squat", 4), ("Bench", 8)]
    assert (f"1 sets prescribed and not done (a prescription under 'Required Reps', nothing under the columns of "
            f"what was done) were left out, never stored as sets; first at {f}:4") in p.warnings


def test_with_a_column_map_nothing_is_left_out_as_undone(tmp_path: Path) -> None:
    # a --map names the columns itself: the row with only its prescription filled is read as the map says
    f = _undone_file(tmp_path)
    p = parse_file("csv", f, mapping={"date": "Date", "exercise": "Exercise", "reps": "Reps", "weight": "Weight",
                                      "unit": "kg"})
    assert len([w for s in p.sessions for w in s.sets]) == 4
    assert not [w for w in p.warnings if "prescribed and not done" in w]


# --- the lifter's zone, `tz` (mutation8c: imports9's zones pass in parse_file) -------------------------------------

def test_tz_converts_a_utc_stamp_in_any_format(tmp_path: Path) -> None:
    # 03:15 UTC on 6 March is 19:15 PST (UTC-8) on the 5th; the option is taken off before the column map is read
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-06T03:15:00Z,Squat,100,5\n", encoding="utf-8")
    for fmt, mapping in (("csv", {"tz": "America/Los_Angeles"}), ("auto", {"tz": "America/Los_Angeles"}),
                         ("csv", {"tz": "America/Los_Angeles", "date": "Date", "exercise": "Exercise",
                                  "weight": "Weight (kg)", "reps": "Reps", "unit": "kg"})):
        p = parse_file(fmt if fmt != "auto" else detect_format(f)[0], f, mapping=mapping)
        assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 5, 19, 15)], (fmt, mapping)
        assert ("1 timestamps carry a zone (the first, '2024-03-06T03:15:00Z' as 2024-03-05 19:15:00): read in "
                "America/Los_Angeles (--tz); 1 sessions moved day (1 to the day before, 0 to the day after)") in p.warnings


def test_an_unknown_zone_stops_before_the_file_is_read(tmp_path: Path) -> None:
    # the file does not exist: the zone is refused first, naming it
    with pytest.raises(ConfigError) as e:
        parse_file("csv", tmp_path / "missing.csv", mapping={"tz": "Mars/Olympus"})
    assert e.value.message == "time zone 'Mars/Olympus' is not one peri knows (--tz)"


def test_a_zoned_stamp_with_a_numeric_date_reads_in_the_files_order(tmp_path: Path) -> None:
    # 05/03/2024 day first is 5 March: 20:00 UTC is 05:00 on the 6th in Tokyo (UTC+9); month first, 3 May
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n05/03/2024 20:00 UTC,Squat,100,5\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "Asia/Tokyo", "date_format": "dmy"})
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 6, 5)]
    p = parse_file("csv", f, mapping={"tz": "Asia/Tokyo", "date_format": "mdy"})
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 5, 4, 5)]


def test_tz_on_a_file_whose_times_carry_no_zone_is_said(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text("Date,Exercise,Weight (kg),Reps\n2024-03-05 19:15,Squat,100,5\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "Asia/Tokyo"})
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 5, 19, 15)]  # as written
    assert "--tz Asia/Tokyo: the file's times carry no zone, read as written (the lifter's local time)" in p.warnings


@pytest.mark.parametrize("columns", [
    {"date": "When", "exercise": "Lift", "weight": "Kg", "reps": "Reps"},
    {"When": "date", "Lift": "exercise", "Kg": "weight", "Reps": "reps"},  # a map written column: field
])
def test_parse_file_passes_the_mapped_date_column_to_the_zones_pass(tmp_path: Path, columns: dict) -> None:
    # `--map When=date --tz America/New_York`: 03:15 UTC on 6 March is 22:15 EST (UTC-5) on the 5th; the column's
    # name says no date, the map does (before, the stamp was kept as UTC wall time, with no note)
    f = tmp_path / "log.csv"
    f.write_text("When,Lift,Kg,Reps\n2024-03-06T03:15:00Z,Squat,100,5\n", encoding="utf-8")
    p = parse_file("csv", f, mapping={"tz": "America/New_York", "unit": "kg", "columns": columns})
    assert [s.started_at for s in p.sessions] == [dt.datetime(2024, 3, 5, 22, 15)]
    assert any(w.startswith("1 timestamps carry a zone") and "read in America/New_York (--tz)" in w
               for w in p.warnings)
