"""The dataset builder pinned down where mutmut found it loose (issue 20), on small logs written here: every
example, dropped week, split and reason listed by hand. No store and no model tokenizer (a word count stands
in for one), so a mutant costs a fraction of a second."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from peri.errors import DatasetError
from peri.log.catalog import default_catalog
from peri.log.context import AthleteContext
from peri.log.models import Annotation, Athlete, Scope, Session, SetType, WorkoutSet
from peri.plans.schema import Scenario
from peri.tune import dataset
from peri.tune.dataset import (Example, build_dataset, detect_scenario, example_line, read_examples, slice_context,
                               week_equipment, week_texts, write_dataset)
from peri.prices import LocalCost, ModelPrice, PriceTable, ProviderLifecycle

M = dt.date(2025, 1, 6)  # a Monday
SQUAT = ("Squat", "Barbell_Squat")
DEADLIFT = ("Deadlift", "Barbell_Deadlift")
BENCH = ("Bench", "Barbell_Bench_Press_-_Medium_Grip")


from hand_tokenizers import Words  # noqa: E402  (tests/: words, plus one a message)


# Loaded at import, not in a fixture: mutmut's fork server imports this module once and every mutant's
# process inherits the loaded catalog (a fixture would load it again for each mutant, a second apiece).
CATALOG = default_catalog()
# the builder's lazy imports, done here for the same reason
from peri.plans import checker, from_log, text  # noqa: E402,F401
from peri.prompts import builder  # noqa: E402,F401
from peri.prompts.tokens import tokenizer_for  # noqa: E402

O200K = tokenizer_for("openai:gpt-4o-mini")  # the hosted estimate's tokenizer (2 s to build), loaded once too


@pytest.fixture
def catalog():
    return CATALOG


def week(w: int) -> dt.date:
    return M + dt.timedelta(weeks=w)


def session(day: dt.date, kg: float, *, name: str = "Full A", notes: str | None = None,
            lifts: tuple[tuple[str, str], ...] = (SQUAT,), set_note: str | None = None, hour: int = 18) -> Session:
    sets = [WorkoutSet(exercise=ex, exercise_id=eid, order=i + 1, weight=kg, unit="kg", weight_kg=kg, reps=5,
                       note=set_note if i == 0 else None)
            for ex, eid in lifts for i in range(3)]
    return Session(started_at=dt.datetime.combine(day, dt.time(hour)), name=name, notes=notes, sets=sets)


def ctx_of(sessions: list[Session], as_of: dt.date, notes: list[Annotation] | None = None,
           athlete: Athlete | None = None) -> AthleteContext:
    return AthleteContext(athlete=athlete or Athlete(name="Bo"), sessions=sessions, annotations=notes or [],
                          as_of=as_of)


def build(ctx: AthleteContext, catalog, **kw):
    kw.setdefault("cost_model", None)
    return build_dataset(ctx, catalog, tokenizer=Words(), **kw)


def squat_weeks(n: int) -> list[Session]:
    """One Monday squat session a week, 100 kg in week 0 and 5 kg more each week."""
    return [session(week(w), 100 + 5 * w) for w in range(n)]


def test_a_three_week_log_gives_two_examples_listed_by_hand(catalog) -> None:
    b = build(ctx_of(squat_weeks(3), week(3)), catalog, val_fraction=0.5)
    # week 0 has no history before it; weeks 1 and 2 are examples; 2 x 0.5 = 1 validation week, the last
    assert [(d.week_start, d.reason) for d in b.dropped] == [
        (week(0), "first logged week: no earlier history for the input")]
    assert [e.week_start for e in b.train] == [week(1)] and [e.week_start for e in b.val] == [week(2)]
    assert [e.messages[2] for e in b.train + b.val] == [
        {"role": "assistant", "content": "WEEK normal\nDAY Full A\nBarbell Squat: 3x5 @105kg\n"},
        {"role": "assistant", "content": "WEEK normal\nDAY Full A\nBarbell Squat: 3x5 @110kg\n"}]
    # the input is the history before the week: one session of 3 hard sets the week before, never the week itself
    for e in b.train + b.val:
        assert [m["role"] for m in e.messages] == ["system", "user", "assistant"]
        assert "Last wk: 1 session, 3 hard sets" in e.messages[1]["content"]
        assert (e.label, e.tags, e.note, e.scenario) == ("neutral", [], None, Scenario.normal)
        assert e.tokens == sum(len(m["content"].split()) + 1 for m in e.messages)
    r = b.report
    assert (r.examples, r.train, r.val, r.weeks_logged, r.worked, r.repaired, r.dropped) == (2, 1, 1, 3, 0, 0, 1)
    assert r.scenarios == {"normal": 2} and r.drop_reasons == {"first logged week": 1}
    assert r.in_range is False and r.range_note.startswith("2 examples: BELOW the recommended 100-500")
    assert r.cost is None and r.cost_note == "no cost estimate asked for"
    assert (r.tokens.tokenizer, r.tokens.total) == ("words", b.train[0].tokens + b.val[0].tokens)
    assert b.config.model_dump() == {"athlete": "Bo", "as_of": week(3), "val_fraction": 0.5, "repair": True,
                                     "cost_model": "none", "epochs": None}


def test_train_then_validation_in_time_order_asserted(catalog) -> None:
    """The last weeks are validation (not a runtime guard alone): 7 examples x 0.3 = 2.1 -> 2 validation weeks."""
    b = build(ctx_of(squat_weeks(8), week(8)), catalog, val_fraction=0.3)
    assert [e.week_start for e in b.train] == [week(w) for w in (1, 2, 3, 4, 5)]
    assert [e.week_start for e in b.val] == [week(6), week(7)]
    # 7 x 0.15 = 1.05 -> 1; 7 x 0.5 = 3.5 -> 4 (round half to even)
    assert [e.week_start for e in build(ctx_of(squat_weeks(8), week(8)), catalog).val] == [week(7)]
    assert [e.week_start for e in build(ctx_of(squat_weeks(8), week(8)), catalog, val_fraction=0.5).val] == [
        week(4), week(5), week(6), week(7)]


@pytest.mark.parametrize("weeks, fraction, n_val", [
    (3, 0.15, 1),  # 2 examples x 0.15 = 0.3 rounds to 0, but two or more examples keep one validation week
    (2, 0.15, 0),  # 1 example: nothing to validate against, it trains
    (3, 0.0, 0),  # no validation asked for
    (4, 0.4, 1),  # 3 x 0.4 = 1.2 -> 1
])
def test_validation_size_by_hand(catalog, weeks: int, fraction: float, n_val: int) -> None:
    b = build(ctx_of(squat_weeks(weeks), week(weeks)), catalog, val_fraction=fraction)
    assert (len(b.train), len(b.val)) == (weeks - 1 - n_val, n_val)
    assert (b.report.train, b.report.val) == (weeks - 1 - n_val, n_val)


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5])
def test_a_validation_fraction_outside_zero_to_one_is_refused(catalog, fraction: float) -> None:
    with pytest.raises(DatasetError) as e:
        build(ctx_of(squat_weeks(3), week(3)), catalog, val_fraction=fraction)
    assert e.value.place == "val_fraction" and str(fraction) in str(e.value)


def test_a_week_is_finished_on_its_sunday_not_a_day_later(catalog) -> None:
    # as_of on the Monday after week 2: week 2 (Monday..Sunday) is over, an example
    done = build(ctx_of(squat_weeks(3), week(3)), catalog)
    assert [e.week_start for e in done.train + done.val] == [week(1), week(2)]
    # as_of on week 2's Sunday: its Monday session is history, yet the week is not over: dropped, said why
    sunday = week(2) + dt.timedelta(days=6)
    cut = build(ctx_of(squat_weeks(3), sunday), catalog)
    assert [e.week_start for e in cut.train + cut.val] == [week(1)]
    assert [(d.week_start, d.reason) for d in cut.dropped][1:] == [
        (week(2), f"week not finished before {sunday}")]
    assert cut.report.drop_reasons == {"first logged week": 1, "week not finished": 1}


def _aggravated(day: dt.date, text: str = "deadlifts aggravated my lower back") -> Annotation:
    return Annotation(scope=Scope.exercise, date=day, text=text, tags=["aggravated"], regions=["lower_back"],
                      exercise="Deadlift", exercise_id=DEADLIFT[1])


def _dead_bench_weeks(n: int) -> list[Session]:
    return [session(week(w), 100 + 5 * w, name="Day A", lifts=(DEADLIFT, BENCH)) for w in range(n)]


def test_a_note_dated_the_next_monday_marks_that_week_not_the_one_before(catalog) -> None:
    # the note falls on week 2's Monday: week 1 (Monday..Sunday before it) stays a plain example
    b = build(ctx_of(_dead_bench_weeks(4), week(4), [_aggravated(week(2))]), catalog, repair=False)
    assert [e.week_start for e in b.train + b.val] == [week(1), week(3)]
    assert [(d.week_start, d.reason) for d in b.dropped] == [
        (week(0), "first logged week: no earlier history for the input"),
        (week(2), 'notes say aggravated: "deadlifts aggravated my lower back"')]
    # the same note on week 1's Sunday marks week 1 instead
    b = build(ctx_of(_dead_bench_weeks(4), week(4), [_aggravated(week(2) - dt.timedelta(days=1))]), catalog,
              repair=False)
    assert [e.week_start for e in b.train + b.val] == [week(2), week(3)]


def test_an_aggravated_week_is_repaired_by_the_checker_and_labelled(catalog) -> None:
    athlete = Athlete(name="Bo", constraints=["lower back sensitivity"], constraint_regions=["lower_back"])
    b = build(ctx_of(_dead_bench_weeks(4), week(4), [_aggravated(week(2) + dt.timedelta(days=1))], athlete),
              catalog)
    why = ('notes say aggravated ("deadlifts aggravated my lower back"); repaired by the checker '
           "(aggravated, constraint_region)")
    assert [(r.week_start, r.reason) for r in b.repaired] == [(week(2), why)]
    (e,) = [e for e in b.train + b.val if e.week_start == week(2)]
    assert (e.label, e.note, e.tags) == ("repaired", why, ["aggravated"])
    assert "Barbell Deadlift:" not in e.messages[2]["content"]
    assert "Barbell Bench Press - Medium Grip: 3x5 @110kg" in e.messages[2]["content"]
    assert (b.report.repaired, b.report.examples, b.report.dropped) == (1, 3, 1)


def test_an_aggravated_week_the_checker_cannot_repair_is_dropped_said_why(catalog) -> None:
    # a squat-only log, no constraint: the checker names the aggravation but has no swap to make
    note = Annotation(scope=Scope.exercise, date=week(2) + dt.timedelta(days=2),
                      text="squats aggravated my knee " + "x" * 80, tags=["aggravated"], regions=["knee"],
                      exercise="Squat", exercise_id=SQUAT[1])
    b = build(ctx_of(squat_weeks(4), week(4), [note]), catalog)
    (d,) = [d for d in b.dropped if d.week_start == week(2)]
    # the note quoted to 60 characters: 26 of words, then 34 x
    assert d.reason == ('notes say aggravated ("squats aggravated my knee ' + "x" * 34 + '"); the checker found '
                        "nothing it could repair (aggravated)")
    assert b.report.drop_reasons == {"first logged week": 1, "notes say": 1}


def test_worked_notes_keep_and_mark_the_week_and_tags_are_sorted(catalog) -> None:
    notes = [Annotation(scope=Scope.week, date=week(1) + dt.timedelta(days=3), text="felt great", tags=["worked"]),
             Annotation(scope=Scope.week, date=week(1) + dt.timedelta(days=4), text="strong",
                        tags=["felt_strong", "tired"]),
             Annotation(scope=Scope.week, date=week(2), text="strong again", tags=["felt_strong"])]
    b = build(ctx_of(squat_weeks(4), week(4), notes), catalog)
    got = {e.week_start: (e.label, e.tags) for e in b.train + b.val}
    assert got == {week(1): ("worked", ["felt_strong", "tired", "worked"]), week(2): ("worked", ["felt_strong"]),
                   week(3): ("neutral", [])}
    assert b.report.worked == 2


def test_identical_weeks_are_kept_once_the_earliest(catalog) -> None:
    # the same 100 kg every week: from week 3 the input and the output repeat week 2's
    b = build(ctx_of([session(week(w), 100) for w in range(5)], week(5)), catalog)
    assert [e.week_start for e in b.train + b.val] == [week(1), week(2), week(4)]
    assert [(d.week_start, d.reason) for d in b.dropped][1:] == [(week(3), f"duplicate of the week of {week(2)}")]
    assert b.report.drop_reasons == {"first logged week": 1, "duplicate": 1}


def test_sessions_on_or_after_as_of_and_out_of_order_are_handled(catalog) -> None:
    # given newest first, with one session on as_of itself (not history) and one in the evening of a Monday
    # before an earlier-logged morning session of the same day
    sessions = [session(week(3), 200), session(week(2), 110), session(week(1), 105, hour=19),
                session(week(1), 90, hour=7, lifts=(BENCH,)), session(week(0), 100)]
    b = build(ctx_of(sessions, week(3)), catalog)
    assert b.report.weeks_logged == 3
    assert [e.week_start for e in b.train + b.val] == [week(1), week(2)]
    # week 1 in the order logged: the morning bench session first
    assert b.train[0].messages[2]["content"].index("Bench") < b.train[0].messages[2]["content"].index("Squat")


def test_progress_is_told_every_week_and_the_end(catalog) -> None:
    calls = []
    build(ctx_of(squat_weeks(3), week(3)), catalog, progress=lambda i, n: calls.append((i, n)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_a_cardio_week_is_dropped_as_not_a_plan(catalog) -> None:
    sessions = squat_weeks(3)
    sessions[2] = Session(started_at=dt.datetime.combine(week(2), dt.time(7)), name="Run",
                          sets=[WorkoutSet(exercise="Treadmill", exercise_id="Jogging_Treadmill", duration_s=1800)])
    b = build(ctx_of(sessions, week(3)), catalog)
    (d,) = [d for d in b.dropped if d.week_start == week(2)]
    assert d.reason.startswith("not expressible as a plan: ")
    assert b.report.drop_reasons == {"first logged week": 1, "not expressible": 1}


def test_scenario_from_the_weeks_own_words(catalog) -> None:
    sessions = squat_weeks(4)
    sessions[1] = session(week(1), 105, name="Deload day")
    sessions[2] = session(week(2), 110, notes="hotel gym")
    sessions[3] = session(week(3), 115, set_note="mock meet single")
    b = build(ctx_of(sessions, week(4)), catalog)
    assert [(e.week_start, e.scenario) for e in b.train + b.val] == [
        (week(1), Scenario.deload), (week(2), Scenario.travel), (week(3), Scenario.peaking)]
    assert b.report.scenarios == {"deload": 1, "travel": 1, "peaking": 1}


@pytest.mark.parametrize("texts, scenario", [
    (["deload week", "hotel gym", "hotel room"], Scenario.travel),  # most mentions: 2 travel, 1 deload
    (["hotel", "deload"], Scenario.deload),  # a tie: the first in SCENARIO_WORDS order
    (["sprained ankle", "rehab", "meet"], Scenario.injury),
    (["back from holiday", "after the meet"], Scenario.normal),  # words about the week before
    (["", "felt fine"], Scenario.normal),
    ([], Scenario.normal),
])
def test_detect_scenario_by_hand(texts: list[str], scenario: Scenario) -> None:
    assert detect_scenario(texts) == scenario


def test_week_texts_reads_names_notes_set_notes_and_annotations() -> None:
    s = session(week(0), 100, name="Legs", notes="session note", set_note="set note")
    a = Annotation(scope=Scope.week, date=week(0), text="annotation")
    assert week_texts([s], [a]) == ["Legs", "session note", "set note", "annotation"]
    assert week_texts([session(week(0), 100, name="")], []) == ["", ""]


def test_week_equipment_is_the_catalog_equipment_sorted(catalog) -> None:
    # a set without an id and one with an id the catalog lacks come first: both are passed over, not the end
    s = session(week(0), 30, lifts=(("By name", ""), ("Mystery", "No_Such_Id"), ("DB Press", "Dumbbell_Bench_Press"),
                                     SQUAT, ("Groin", "Adductor_Groin")))  # the last has no equipment
    assert week_equipment([s], catalog) == ["barbell", "dumbbell"]
    assert week_equipment([session(week(0), 30, lifts=(("By name", ""),))], catalog) is None


def test_a_travel_week_prompt_names_the_equipment_at_hand(catalog) -> None:
    sessions = squat_weeks(3)
    sessions[2] = session(week(2), 30, notes="hotel gym", lifts=(("DB Press", "Dumbbell_Bench_Press"),))
    b = build(ctx_of(sessions, week(3)), catalog)
    (e,) = [e for e in b.train + b.val if e.week_start == week(2)]
    assert e.scenario == Scenario.travel and "dumbbell" in e.messages[1]["content"]
    (plain,) = [e for e in b.train + b.val if e.week_start == week(1)]
    assert "dumbbell" not in plain.messages[1]["content"] and "barbell" not in plain.messages[1]["content"]


def test_slice_context_keeps_only_what_came_strictly_before() -> None:
    notes = [Annotation(scope=Scope.week, date=week(1) - dt.timedelta(days=1), text="before"),
             Annotation(scope=Scope.week, date=week(1), text="on the day")]
    ctx = ctx_of(squat_weeks(3), week(3), notes)
    cut = slice_context(ctx, week(1))
    assert [s.day for s in cut.sessions] == [week(0)]
    assert [a.text for a in cut.annotations] == ["before"]
    assert cut.as_of == week(1) and cut.athlete.name == "Bo"
    assert [s.day for s in slice_context(ctx, week(1) + dt.timedelta(days=1)).sessions] == [week(0), week(1)]


def test_example_line_is_openai_chat_jsonl() -> None:
    line = example_line([{"role": "user", "content": "Señor ✓", "extra": "dropped"}])
    assert line == '{"messages": [{"role": "user", "content": "Señor ✓"}]}'


@pytest.mark.parametrize("n, in_range, start", [
    (99, False, "99 examples: BELOW the recommended 100-500"), (100, True, "100 examples: within the recommended 100-500"),
    (500, True, "500 examples: within the recommended 100-500"), (501, False, "501 examples: ABOVE the recommended 100-500"),
])
def test_range_note_at_its_edges(n: int, in_range: bool, start: str) -> None:
    ok, note = dataset._range_note(n)
    assert ok is in_range and note.startswith(start)


def _example(tokens: int, w: int = 1) -> Example:
    return Example(week_start=week(w), scenario=Scenario.normal, label="neutral",
                   messages=[{"role": "user", "content": "x"}], tokens=tokens)


def test_token_stats_by_hand() -> None:
    s = dataset._token_stats([_example(1), _example(2), _example(4)], "words")
    assert (s.tokenizer, s.min, s.mean, s.max, s.total) == ("words", 1, 2.3, 4, 7)  # 7 / 3 = 2.33
    empty = dataset._token_stats([], "words")
    assert (empty.tokenizer, empty.min, empty.mean, empty.max, empty.total) == ("words", 0, 0.0, 0, 0)


@pytest.mark.parametrize("reason, kind", [
    ("first logged week: no earlier history", "first logged week"), ("week not finished before 2025-01-01",
                                                                     "week not finished"),
    ("duplicate of the week of 2025-01-06", "duplicate"), ("not expressible as a plan: x", "not expressible"),
    ("notes say pain", "notes say"), ("something else entirely, longer than forty characters", "something else "
                                                                                                "entirely, longer than for"),
])
def test_reason_kind_by_hand(reason: str, kind: str) -> None:
    assert dataset._reason_kind(reason) == kind


def test_an_unpriced_model_leaves_the_report_without_a_cost_said_why(catalog) -> None:
    b = build(ctx_of(squat_weeks(3), week(3)), catalog, cost_model="no-such-model-anywhere")
    assert b.report.cost is None and b.report.cost_note.startswith("no cost estimate: ")
    assert "no-such-model-anywhere" in b.report.cost_note
    assert b.config.cost_model == "no-such-model-anywhere"
    # no training example: neither a cost nor a note
    one = build(ctx_of(squat_weeks(1), week(1)), catalog, cost_model="no-such-model-anywhere")
    assert (one.report.cost, one.report.cost_note, one.report.examples) == (None, None, 0)


def test_write_and_read_back_by_hand(catalog, tmp_path: Path) -> None:
    b = build(ctx_of(squat_weeks(4), week(4)), catalog, val_fraction=0.3)  # 3 x 0.3 = 0.9 -> 1 validation week
    files = write_dataset(b, tmp_path / "ds")
    train = "".join(example_line(e.messages) + "\n" for e in b.train).encode()
    val = (example_line(b.val[0].messages) + "\n").encode()
    assert files.train.read_bytes() == train and files.val.read_bytes() == val
    assert files.dataset_hash == hashlib.sha256(train + b"\0" + val).hexdigest()
    assert (files.dir, files.train.name, files.val.name) == (tmp_path / "ds", "train.jsonl", "val.jsonl")
    meta = json.loads(files.build_json.read_text(encoding="utf-8"))
    assert files.build_json.name == "build.json"
    assert (meta["dataset_hash"], meta["format"]) == (files.dataset_hash, "openai-chat-jsonl")
    assert meta["config"]["as_of"] == "2025-02-03" and meta["report"]["examples"] == 3
    assert [(x["split"], x["line"], x["week_start"]) for x in meta["examples"]] == [
        ("train", 1, "2025-01-13"), ("train", 2, "2025-01-20"), ("val", 1, "2025-01-27")]
    assert meta["examples"][0] == {"split": "train", "line": 1, "week_start": "2025-01-13", "scenario": "normal",
                                   "label": "neutral", "tags": [], "tokens": b.train[0].tokens, "note": None}
    assert meta["dropped"] == [{"week_start": "2025-01-06", "reason": "first logged week: no earlier history for "
                                                                     "the input"}]
    assert meta["repaired"] == []
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == ["build.json", "train.jsonl", "val.jsonl"]
    assert read_examples(files.train) == [e.messages for e in b.train]


def test_read_examples_skips_blank_lines_and_names_a_bad_one(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text('{"messages": [{"role": "user", "content": "a"}]}\n\n  \n{"messages": []}\n', encoding="utf-8")
    assert read_examples(p) == [[{"role": "user", "content": "a"}], []]
    p.write_text('{"messages": []}\n{"no": 1}\n', encoding="utf-8")
    with pytest.raises(DatasetError) as e:
        read_examples(p)
    assert e.value.place == f"{p}:2" and e.value.hint == f"peri dataset check {p}"
    assert e.value.message.startswith("not a chat example")


def test_write_to_the_athletes_folder_twice_and_into_a_new_nested_one(catalog, tmp_path: Path, monkeypatch) -> None:
    from peri.artefacts import dataset_dir

    monkeypatch.setenv("PERI_HOME", str(tmp_path / "home"))
    b = build(ctx_of(squat_weeks(5), week(5)), catalog, val_fraction=0.5)  # 4 x 0.5 = 2 validation weeks
    first = write_dataset(b)
    assert first.dir == dataset_dir("Bo") and first.dir.parent == tmp_path / "home" / "datasets"
    again = write_dataset(b)  # rewriting an existing dataset replaces it
    assert again.dataset_hash == first.dataset_hash
    # two validation lines, each ending in a newline, nothing between them
    assert first.val.read_text(encoding="utf-8") == "".join(example_line(e.messages) + "\n" for e in b.val)
    assert len(first.val.read_text(encoding="utf-8").splitlines()) == 2
    nested = write_dataset(b, tmp_path / "a" / "b")
    assert nested.train.read_bytes() == first.train.read_bytes()


def _prices(per_million: float, default_epochs: int | None = None) -> PriceTable:
    row = {"input": 1.0, "output": 1.0, "date": "2026-11-01", "source": "test"}
    return PriceTable(models={"gpt-4o-mini": ModelPrice(
        provider="openai", base=row, finetuned=row,
        training={"per_million": per_million, "date": "2026-11-02", "source": "test training"})},
        providers={"openai": ProviderLifecycle(default_epochs=default_epochs)} if default_epochs else {},
        local=LocalCost(watts=100, usd_per_kwh=0.36, date="2026-11-01", source="test"))


def test_the_hosted_estimate_prices_the_training_split_by_hand(catalog) -> None:
    b = build(ctx_of(squat_weeks(5), week(5)), catalog, cost_model="gpt-4o-mini", prices=_prices(10.0),
              val_fraction=0.25)  # 4 examples x 0.25: 1 validation week, 3 to train on
    tokens = sum(O200K.count_messages(e.messages) for e in b.train)  # only the training split is billed
    c = b.report.cost
    # 3 examples x OpenAI's default 3 epochs = 9, under the 100 example-epochs floor: ceil(100 / 3) = 34, capped at 25
    assert (c.model, c.examples, c.epochs, c.billable_tokens) == ("gpt-4o-mini", 3, 25, tokens)
    assert c.usd == round(tokens * 25 * 10.0 / 1e6, 4)
    assert (c.price_per_million, c.price_date, c.price_source) == (10.0, "2026-11-02", "test training")
    assert c.tokenizer == O200K.name == "openai:gpt-4o-mini (o200k_base)"
    assert b.report.cost_note is None
    two = build(ctx_of(squat_weeks(5), week(5)), catalog, cost_model="gpt-4o-mini", prices=_prices(10.0),
                val_fraction=0.25, epochs=2)  # an explicit epoch count wins
    assert (two.report.cost.epochs, two.report.cost.usd) == (2, round(tokens * 2 * 10.0 / 1e6, 4))
    assert two.config.epochs == 2


@pytest.mark.parametrize("note, athlete, why", [
    # an "excessive" week with nothing the checker can name: no findings at all
    (Annotation(scope=Scope.week, date=week(2) + dt.timedelta(days=2), text="ouch", tags=["excessive"]),
     Athlete(name="Bo"), 'notes say excessive ("ouch"); the checker found nothing it could repair (no findings)'),
    # squats aggravated a knee the athlete guards, and the squat-only week has nothing to swap to: two codes
    (Annotation(scope=Scope.exercise, date=week(2) + dt.timedelta(days=2), text="ouch", tags=["aggravated"],
                regions=["knee"], exercise="Squat", exercise_id=SQUAT[1]),
     Athlete(name="Bo", constraints=["knee"], constraint_regions=["knee"]),
     'notes say aggravated ("ouch"); the checker found nothing it could repair (aggravated, constraint_region)'),
])
def test_why_the_checker_could_not_repair_by_hand(catalog, note: Annotation, athlete: Athlete, why: str) -> None:
    b = build(ctx_of(squat_weeks(4), week(4), [note], athlete), catalog)
    assert [(d.week_start, d.reason) for d in b.dropped][1:] == [(week(2), why)]


def test_sessions_any_day_of_a_week_make_one_example() -> None:
    assert dataset.monday(dt.date(2025, 1, 8)) == M and dataset.monday(dt.date(2025, 1, 12)) == M  # Wed, Sun
    assert dataset.monday(M) == M


def test_a_wednesday_and_a_sunday_session_are_the_same_week(catalog) -> None:
    sessions = [session(week(0), 100), session(week(1) + dt.timedelta(days=2), 105, name="Wed"),
                session(week(1) + dt.timedelta(days=6), 107.5, name="Sun"), session(week(2) + dt.timedelta(days=3), 110)]
    b = build(ctx_of(sessions, week(3)), catalog)
    assert [e.week_start for e in b.train + b.val] == [week(1), week(2)]
    assert b.train[0].messages[2]["content"] == ("WEEK normal\nDAY Wed\nBarbell Squat: 3x5 @105kg\n"
                                                 "DAY Sun\nBarbell Squat: 3x5 @107.5kg\n")


def test_build_json_is_indented_utf8_and_holds_repairs(catalog, tmp_path: Path) -> None:
    athlete = Athlete(name="Zoë", constraints=["lower back sensitivity"], constraint_regions=["lower_back"])
    b = build(ctx_of(_dead_bench_weeks(4), week(4), [_aggravated(week(2) + dt.timedelta(days=1))], athlete), catalog)
    files = write_dataset(b, tmp_path)
    text = files.build_json.read_text(encoding="utf-8")
    assert text.startswith('{\n  "config": {\n    "athlete": "Zoë",') and text.endswith("}\n")
    meta = json.loads(text)
    assert meta["repaired"] == [{"week_start": "2025-01-20", "reason": b.repaired[0].reason}]
    assert meta["report"]["repaired"] == 1 and meta["report"]["scenarios"] == {"normal": 3}


def test_week_texts_of_two_sessions() -> None:
    a, b = session(week(0), 100, name="Mon", notes="first"), session(week(0) + dt.timedelta(days=2), 100, name="Wed")
    assert week_texts([a, b], []) == ["Mon", "first", "Wed", ""]


def test_range_notes_word_for_word() -> None:
    assert dataset._range_note(3) == (False, "3 examples: BELOW the recommended 100-500; a fine-tune on this little "
                                             "data is unlikely to beat a good prompt (log more weeks, or stay with "
                                             "prompting)")
    assert dataset._range_note(600) == (False, "600 examples: ABOVE the recommended 100-500; training costs more for "
                                               "little gain (consider only the most recent weeks)")
    assert dataset._range_note(250) == (True, "250 examples: within the recommended 100-500")


def test_defaults_the_embedded_tokenizer_and_gpt_4o_mini(catalog, monkeypatch) -> None:
    from peri.prompts import tokens

    asked = []

    def fake(spec: str, **kw):  # the embedded model's tokenizer takes seconds to load: record what was asked for
        asked.append(spec)
        return Words() if spec == "embedded" else O200K

    monkeypatch.setattr(tokens, "tokenizer_for", fake)
    b = build_dataset(ctx_of(squat_weeks(3), week(3)), catalog, prices=_prices(10.0))
    assert asked == ["embedded", "openai:gpt-4o-mini"]
    assert b.report.tokens.tokenizer == "words" and b.report.cost.model == "gpt-4o-mini"
    assert (b.config.cost_model, b.config.repair, b.config.val_fraction) == ("gpt-4o-mini", True, 0.15)
    assert build(ctx_of(squat_weeks(3), week(3)), catalog, repair=False).config.repair is False


def test_a_dropped_week_mid_log_does_not_end_the_log(catalog) -> None:
    # a cardio-only week, then a week the checker cannot repair, each followed by a plain example
    sessions = squat_weeks(5)
    sessions[1] = Session(started_at=dt.datetime.combine(week(1), dt.time(7)), name="Run",
                          sets=[WorkoutSet(exercise="Treadmill", exercise_id="Jogging_Treadmill", duration_s=1800)])
    note = Annotation(scope=Scope.week, date=week(3) + dt.timedelta(days=2), text="ouch", tags=["excessive"])
    b = build(ctx_of(sessions, week(5), [note]), catalog)
    assert [e.week_start for e in b.train + b.val] == [week(2), week(4)]
    assert [d.week_start for d in b.dropped] == [week(0), week(1), week(3)]


def test_a_scenario_week_is_answered_as_that_scenario(catalog) -> None:
    sessions = squat_weeks(3)
    sessions[2] = session(week(2), 90, name="Deload day")
    b = build(ctx_of(sessions, week(3)), catalog)
    (e,) = [e for e in b.train + b.val if e.week_start == week(2)]
    assert e.messages[2]["content"].startswith("WEEK deload\n")


def test_every_bad_note_of_a_week_quoted_and_cut_at_200(catalog) -> None:
    day = week(2) + dt.timedelta(days=1)
    notes = [Annotation(scope=Scope.week, date=day, text="felt fine", tags=["worked"]),  # not a bad note: not quoted
             Annotation(scope=Scope.week, date=day, text="a" * 70, tags=["pain"]),
             Annotation(scope=Scope.week, date=day, text="b" * 70, tags=["aggravated"]),
             Annotation(scope=Scope.week, date=day, text="c" * 70, tags=["excessive"]),
             Annotation(scope=Scope.week, date=day, text="d" * 70, tags=["pain"])]
    b = build(ctx_of(squat_weeks(4), week(4), notes), catalog, repair=False)
    (d,) = [d for d in b.dropped if d.week_start == week(2)]
    # the bad tags in BAD_TAGS order; each note in quotes, cut to 60; joined by "; " and the whole cut to 200:
    # three notes of 62 and three separators (192), then 8 characters of the fourth
    quoted = '"' + "a" * 60 + '"; "' + "b" * 60 + '"; "' + "c" * 60 + '"; "' + "d" * 7
    assert d.reason == f"notes say excessive, aggravated, pain: {quoted}"


def test_a_repaired_week_names_both_its_bad_tags(catalog) -> None:
    athlete = Athlete(name="Bo", constraints=["lower back sensitivity"], constraint_regions=["lower_back"])
    note = _aggravated(week(2) + dt.timedelta(days=1)).model_copy(update={"tags": ["aggravated", "pain"]})
    b = build(ctx_of(_dead_bench_weeks(4), week(4), [note], athlete), catalog)
    assert b.repaired[0].reason.startswith('notes say aggravated, pain ("deadlifts aggravated my lower back"); ')
    two = Annotation(scope=Scope.week, date=week(2) + dt.timedelta(days=2), text="ouch", tags=["excessive", "pain"])
    b = build(ctx_of(squat_weeks(4), week(4), [two]), catalog)
    assert [d.reason for d in b.dropped if d.week_start == week(2)] == [
        'notes say excessive, pain ("ouch"); the checker found nothing it could repair (no findings)']


def test_a_providers_own_epoch_default_is_used_for_its_model(catalog) -> None:
    b = build(ctx_of(squat_weeks(5), week(5)), catalog, cost_model="gpt-4o-mini", prices=_prices(10.0, 4),
              val_fraction=0.25)
    assert b.report.cost.epochs == 4  # the provider's 4, not OpenAI's 3-clamped-to-25
