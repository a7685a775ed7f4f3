"""plans.freeform: plans as people, coaches, forums, tables and chatbots write them, read into peri's Plan.

Each text below was written for this test in one style; the expected plan is worked out by hand from the text
(pounds converted by hand: 225 lb x 0.45359237 = 102.058 kg), never from the reader's own output. The round
trip writes peri's own plans out in three free-form styles and reads them back equal."""
from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peri.errors import PlanParseError
from peri.log.catalog import default_catalog
from peri.plans.freeform import describe, read_plan
from peri.plans.schema import Plan, PlanDay, Prescription, Scenario
from peri.plans.text import format_number, plan_to_text


def P(name: str, sets: int, lo: int, hi: int | None = None, **kw) -> Prescription:  # noqa: N802
    return Prescription(exercise=name, sets=sets, reps_low=lo, reps_high=hi or lo, **kw)


def days(plan: Plan) -> list[tuple[str, list[Prescription]]]:
    return [(d.name, d.exercises) for d in plan.days]


def noted(notes: list[str], line: int, *words: str) -> bool:
    return any(n.startswith(f"line {line}:") and all(w in n for w in words) for n in notes)


CHATGPT = """\
# 4-Day Upper/Lower Split

Here's a plan tailored for an intermediate lifter. **Warm up** for 5-10 minutes before each session.

## Day 1 – Upper (Strength)
- **Bench Press**: 4 x 6-8 @ 75% 1RM, rest 2-3 min
- **Barbell Row**: 4 sets of 8 reps, RPE 8
- **Overhead Press** – 3x8 @ 40 kg
- Pull-ups: 3 x AMRAP
- **Plank**: 3 x 45 s

### Accessories
1. Dumbbell Curl 3 sets x 12 reps (rest 60 s)
2. Tricep Pushdown 3 × 12-15, 2 RIR

## Day 2 – Lower
* Back Squat: 5x5 @ 100 kg
* Romanian Deadlift: 3x10 @ 225 lb
* Walking Lunges: 3 x 10 per leg
* Leg Curl 3x12 to failure

## Day 3 – Rest

## Notes
- Add 2.5 kg when you hit 3x8 on the bench.
- Sleep well.
"""


def test_a_chatbots_markdown_plan() -> None:
    r = read_plan(CHATGPT)
    assert r.form == "free-form"
    assert days(r.plan) == [
        ("Day 1 – Upper (Strength)", [
            P("Bench Press", 4, 6, 8, pct_e1rm=75, rest_s=120, note="rest 2-3 min"),  # a rest range: its lower end
            P("Barbell Row", 4, 8, rpe=8),
            P("Overhead Press", 3, 8, load_kg=40),
            # AMRAP with no number: at least one rep a set; a plank's 45 s: a timed set (one hold), said so
            P("Pull-ups", 3, 1, note="AMRAP: as many reps as possible"),
            P("Plank", 3, 1, duration_s=45, note="timed: 45 s a set"),
            P("Dumbbell Curl", 3, 12, rest_s=60),  # "### Accessories" is part of Day 1
            P("Tricep Pushdown", 3, 12, 15, rir=2),
        ]),
        ("Day 2 – Lower", [
            P("Back Squat", 5, 5, load_kg=100),
            P("Romanian Deadlift", 3, 10, load_kg=102.058),
            P("Walking Lunges", 3, 10, note="per leg"),
            P("Leg Curl", 3, 12, note="to failure"),
        ]),
    ]
    assert r.plan.scenario == Scenario.normal
    # nothing invented: how AMRAP and timed sets were read is said; the rest day and the advice are said
    assert noted(r.notes, 9, "Pull-ups", "at least 1 rep", "AMRAP")
    assert noted(r.notes, 10, "Plank", "3 timed sets of 45 s")
    assert noted(r.notes, 22, "Day 3 – Rest", "rest day")
    assert noted(r.notes, 25, "Notes", "2.5 kg")
    assert not any(n.startswith(("line 1:", "line 3:")) for n in r.notes)  # the title and the prose are no exercise
    assert describe(r) == "read as free-form text: 2 days, 11 exercises, 4 notes"


COACH = """\
Monday
Squat 3 sets of 5 at 120kg
Bench press 3x5 @ 90
Row 3x8

Wednesday
Deadlift 1x5 @ 150 kg
OHP 3 x 5
Chin-ups 3x8

Friday: Squat 5x5, Bench 5x5, Row 3x10 @ 60 kg
"""


def test_a_coachs_plain_list_with_weekdays_and_one_line_days() -> None:
    r = read_plan(COACH, unit="lb")
    assert days(r.plan) == [
        ("Monday", [P("Squat", 3, 5, load_kg=120), P("Bench press", 3, 5, load_kg=90), P("Row", 3, 8)]),
        ("Wednesday", [P("Deadlift", 1, 5, load_kg=150), P("OHP", 3, 5), P("Chin-ups", 3, 8)]),
        ("Friday", [P("Squat", 5, 5), P("Bench", 5, 5), P("Row", 3, 10, load_kg=60)]),
    ]
    # "@ 90" has no unit: the text writes kg elsewhere, so kg (not the athlete's lb), and the notes say so
    assert noted(r.notes, 3, "@ 90", "kg")


def test_a_load_with_no_unit_anywhere_is_read_in_the_athletes_unit() -> None:
    text = "Day 1\n- Squat 3x5 @ 225\n- Bench 3x5 @ 185\n"
    lb = read_plan(text, unit="lb")
    assert [p.load_kg for p in lb.plan.days[0].exercises] == [102.058, 83.915]  # 225 and 185 lb by hand
    assert noted(lb.notes, 2, "@ 225", "lb")
    kg = read_plan(text, unit="kg")
    assert [p.load_kg for p in kg.plan.days[0].exercises] == [225, 185]


FORUM = """\
Been running this for 8 weeks, thoughts?

Workout A
1) Squat 3x5
2) Bench 3x5 @8
3) Barbell row 3x5

Workout B
1) Squat 3x5
2) OHP 3x5
3) Deadlift 1x5 @ RPE 7-8

Alternate A/B three times a week. Add 5lbs each session.
"""


def test_a_forum_post_with_workout_letters() -> None:
    r = read_plan(FORUM)
    assert days(r.plan) == [
        ("Workout A", [P("Squat", 3, 5), P("Bench", 3, 5, rpe=8), P("Barbell row", 3, 5)]),  # "@8" is RPE 8
        ("Workout B", [P("Squat", 3, 5), P("OHP", 3, 5), P("Deadlift", 1, 5, rpe=7, note="@ RPE 7-8")]),
    ]
    assert noted(r.notes, 13, "Add 5lbs")  # a line with a count that is no exercise: named, not dropped


TABLE = """\
## Push Day
| Exercise | Sets | Reps | Weight (lbs) | Rest |
|---|---|---|---|---|
| Bench Press | 4 | 8-10 | 185 | 90 s |
| Incline DB Press | 3 | 10 | 60 | 2 min |
| Lateral Raise | 3 | 15 | | 60 |
| Cable Fly | | 12 | | |

## Pull Day
| Reps | Exercise | Sets | RPE | Notes |
|:--|:--:|:--:|--|--|
| 5 | Deadlift | 3 | 8 | belt on top set |
| 10-12 | Lat Pulldown | 3 | 7-8 | |
"""


def test_markdown_tables_with_columns_in_any_order_and_some_missing() -> None:
    r = read_plan(TABLE)
    assert days(r.plan) == [
        ("Push Day", [
            P("Bench Press", 4, 8, 10, load_kg=83.915, rest_s=90),  # 185 lb
            P("Incline DB Press", 3, 10, load_kg=27.216, rest_s=120),  # 60 lb
            P("Lateral Raise", 3, 15, rest_s=60),  # a bare rest over 10: seconds
        ]),
        ("Pull Day", [
            P("Deadlift", 3, 5, rpe=8, note="belt on top set"),
            P("Lat Pulldown", 3, 10, 12, rpe=7, note="RPE 7-8"),
        ]),
    ]
    assert noted(r.notes, 7, "Cable Fly", "no set count")


def test_a_table_with_a_day_column_and_a_scheme_column() -> None:
    text = ("| Day | Exercise | Sets x Reps | Load |\n|---|---|---|---|\n"
            "| Mon | Squat | 3x5 | 100 kg |\n|  | Leg Curl | 3x12 | |\n| Thu | Bench | 5x5 | 70% |\n")
    r = read_plan(text)
    assert days(r.plan) == [("Mon", [P("Squat", 3, 5, load_kg=100), P("Leg Curl", 3, 12)]),
                            ("Thu", [P("Bench", 5, 5, pct_e1rm=70)])]


def test_a_table_with_its_days_as_rows_and_an_unnamed_name_column() -> None:
    text = ("|  | Sets | Reps | Load |\n|---|---|---|---|\n| **Day 1 – Upper** | | | |\n| Bench | 4 | 8 | 80 kg |\n"
            "| Plank | | | |\n| **Day 2 – Lower** | | | |\n| Squat | 5 | 5 | 100 kg |\n")
    r = read_plan(text)
    assert days(r.plan) == [("Day 1 – Upper", [P("Bench", 4, 8, load_kg=80)]),
                            ("Day 2 – Lower", [P("Squat", 5, 5, load_kg=100)])]
    assert noted(r.notes, 5, "Plank", "no sets and reps")


GERMAN = """\
**Tag 1: Oberkörper**
- Bankdrücken: 4 Sätze à 8 Wiederholungen, 80 kg, Pause 2 min
- Rudern mit Langhantel 3x10 @ 60 kg
**Tag 2: Unterkörper**
- Kniebeuge 5x5 mit 102,5 kg
- Kreuzheben 3 x 5, RPE 8
"""

SPANISH = """\
### Lunes – Pierna
1. Sentadilla: 4 series de 6 repeticiones @ 90 kg, descanso 3 min
2. Peso muerto rumano 3x10
### Miércoles – Torso
1. Press de banca 4 x 8-10
"""


FRENCH = """\
Séance A – Haut du corps
- Développé couché : 4 séries de 8 répétitions à 70 kg, repos 2 min
- Tractions : 3 séries de 6
Séance B – Bas du corps
- Squat : 5 séries de 5 à 100 kg
- Soulevé de terre roumain : 3 x 10
"""


def test_plans_in_other_languages_the_catalog_reads() -> None:
    de = read_plan(GERMAN)
    assert days(de.plan) == [
        ("Tag 1: Oberkörper", [P("Bankdrücken", 4, 8, load_kg=80, rest_s=120), P("Rudern mit Langhantel", 3, 10, load_kg=60)]),
        ("Tag 2: Unterkörper", [P("Kniebeuge", 5, 5, load_kg=102.5), P("Kreuzheben", 3, 5, rpe=8)]),
    ]
    es = read_plan(SPANISH)
    assert days(es.plan) == [
        ("Lunes – Pierna", [P("Sentadilla", 4, 6, load_kg=90, rest_s=180), P("Peso muerto rumano", 3, 10)]),
        ("Miércoles – Torso", [P("Press de banca", 4, 8, 10)]),
    ]
    fr = read_plan(FRENCH)
    assert days(fr.plan) == [
        ("Séance A – Haut du corps", [P("Développé couché", 4, 8, load_kg=70, rest_s=120), P("Tractions", 3, 6)]),
        ("Séance B – Bas du corps", [P("Squat", 5, 5, load_kg=100), P("Soulevé de terre roumain", 3, 10)]),
    ]
    # and the catalog places the names read, as `peri check` does: the checker sees the lifts
    catalog = default_catalog()
    patterns = [catalog.match(name).entry.pattern for r in (de, es, fr) for name in r.plan.exercise_names()]
    assert patterns == ["horizontal_push", "horizontal_pull", "squat", "hinge",
                        "squat", "hinge", "horizontal_push",
                        "horizontal_push", "vertical_pull", "squat", "hinge"]


NESTED = """\
### 🏋️ Week 1 – Day 1: Push (Chest, Shoulders, Triceps)

**Warm-up:** 5–10 min light cardio, then 2x15 band pull-aparts

**Main lifts:**
1. **Barbell Bench Press** – 4 sets × 6–8 reps
   - Rest: 2–3 minutes
2. **Incline Dumbbell Press**
   - Sets: 3
   - Reps: 8-10
   - Weight: 30 kg
3. **Lateral Raises**
   - 3 sets of 15
4. **Dips**
   - Do as many as you can

### Week 1 – Day 2: Pull
1. Deadlift
   - Sets: 3
   - Reps: 5
   - RPE: 8
2. Pull-ups: 3 sets / 8 reps

### Week 2 – Day 1: Push
1. Bench 4x6
"""


def test_a_chatbots_exercise_blocks_with_their_detail_lines() -> None:
    r = read_plan(NESTED)
    assert days(r.plan) == [
        ("Week 1 – Day 1: Push (Chest, Shoulders, Triceps)", [  # the emoji is no part of the name
            P("Barbell Bench Press", 4, 6, 8, rest_s=120, note="Rest: 2–3 minutes"),
            P("Incline Dumbbell Press", 3, 8, 10, load_kg=30),  # "Sets: 3" / "Reps: 8-10" / "Weight: 30 kg"
            P("Lateral Raises", 3, 15),
        ]),
        ("Week 1 – Day 2: Pull", [P("Deadlift", 3, 5, rpe=8), P("Pull-ups", 3, 8)]),
    ]
    assert noted(r.notes, 3, "Warm-up", "band pull-aparts")  # a warm-up line with a scheme: skipped, named
    assert noted(r.notes, 14, "Dips", "no sets and reps")  # "as many as you can": no number invented
    # "Week 2 – Day 1" starts the second week: read as its own week, the first stays the plan
    assert [(w.label, w.numbers, w.line) for w in r.weeks] == [
        ("Week 1 – Day 1: Push (Chest, Shoulders, Triceps)", [1], 1), ("Week 2 – Day 1: Push", [2], 24)]
    assert r.weeks[0].plan == r.plan
    assert days(r.weeks[1].plan) == [("Week 2 – Day 1: Push", [P("Bench", 4, 6)])]


def test_pyramids_tabs_and_a_load_never_read_as_reps() -> None:
    r = read_plan("Day 1\n- Bench 4 sets x 12/10/8/6\n- Squat 3 sets: 10, 8, 6\n- Curl 12, 10, 8 reps\n"
                  "- Kniebeuge 3 x 102,5 kg\n- Leg press 3x10 @ 102,5 kg\n")
    assert days(r.plan) == [("Day 1", [
        P("Bench", 4, 6, 12, note="reps 12/10/8/6"), P("Squat", 3, 6, 10, note="reps 10/8/6"),
        P("Curl", 3, 8, 12, note="reps 12/10/8"), P("Leg press", 3, 10, load_kg=102.5)])]
    assert noted(r.notes, 5, "Kniebeuge")  # three sets at 102.5 kg, reps unsaid: not 3 x 102 nor 3 x 10
    tabs = read_plan("Monday\nExercise\tSets\tReps\tWeight (kg)\nSquat\t3\t5\t100\nBench\t3\t8\t\n")
    assert days(tabs.plan) == [("Monday", [P("Squat", 3, 5, load_kg=100), P("Bench", 3, 8)])]


BOOK = """\
PHASE 1 (WEEKS 1-4)

Monday: Heavy Day
Squat: 5 sets of 5 reps at 80% of 1RM
Bench press: 5 x 5 @ 75%
Farmer's carry 3 x 40 m

Friday: Light Day
Squat 2 x 5 at 60%, rest90
"""

COACH_SHEET = """\
WEEK 1 - HYPERTROPHY BLOCK
Session A
| Exercise | Sets x Reps | Tempo | Rest |
| A1) Back Squat | 4 x 6 | 31X0 | 120s |
| A2) Plank | 3 x 30s | - | 60s |
Session B
| Exercise | Sets x Reps | Tempo | Rest |
| Superset A: Bench Press | 4 x 8 | 2010 | 2 min |
"""


def test_a_books_page_and_a_coachs_sheet() -> None:
    book = read_plan(BOOK)
    # "Squat:" starts an exercise, not a day; "Heavy Day" is a day; "rest90" is 90 s as in peri's own form
    assert days(book.plan) == [
        ("Monday: Heavy Day", [P("Squat", 5, 5, pct_e1rm=80), P("Bench press", 5, 5, pct_e1rm=75),
                               # a carry's 40 m is its distance (one rep a set), no 40 reps
                               P("Farmer's carry", 3, 1, distance_m=40, note="distance: 40 m a set")]),
        ("Friday: Light Day", [P("Squat", 2, 5, pct_e1rm=60, rest_s=90)]),
    ]
    assert noted(book.notes, 6, "Farmer's carry", "3 distance sets of 40 m")
    # an upper-case "WEEK 1 - ..." is a person's heading, not peri's compact form (which would refuse it)
    sheet = read_plan(COACH_SHEET)
    assert sheet.form == "free-form"
    assert days(sheet.plan) == [
        ("Session A", [P("Back Squat", 4, 6, rest_s=120, note="31X0"),
                       P("Plank", 3, 1, rest_s=60, duration_s=30, note="timed: 30 s a set")]),  # a timed set; "-" is no note
        ("Session B", [P("Bench Press", 4, 8, rest_s=120, note="Superset A; 2010")]),
    ]
    assert noted(sheet.notes, 5, "Plank", "timed")


DASHES = """\
#### Day 1: Upper Body
| Exercise | Sets | Reps | Rest |
|----------|------|------|------|
| **Bench Press** | 4 | 8–10 | 90 sec |
| **Seated Cable Row** | 3 | 10–12 | 60–90 sec |

#### Day 2: Lower Body
- Back squat — 4×8–10 — 90s rest
- Romanian deadlift — 3×10 — 2 min rest
- Calf raises: three sets of fifteen

Workout 3 (Sat)
- Kettlebell swings x 20, 3 rounds
- Push-ups: 3 sets to failure
"""


def test_dashes_between_fields_counts_in_words_and_trailing_reps() -> None:
    r = read_plan(DASHES)
    assert days(r.plan) == [
        ("Day 1: Upper Body", [P("Bench Press", 4, 8, 10, rest_s=90),
                               P("Seated Cable Row", 3, 10, 12, rest_s=60, note="rest 60–90 sec")]),
        ("Day 2: Lower Body", [P("Back squat", 4, 8, 10, rest_s=90),
                               P("Romanian deadlift", 3, 10, rest_s=120),  # "10 — 2 min": no falling range
                               P("Calf raises", 3, 15)]),
        ("Workout 3 (Sat)", [P("Kettlebell swings", 3, 20),
                             P("Push-ups", 3, 1, note="AMRAP: as many reps as possible")]),  # to failure: no number
    ]
    assert noted(r.notes, 14, "Push-ups", "at least 1 rep")


def test_a_second_week_is_read_as_its_own_week() -> None:
    text = ("Upper Body\nIncline bench press - 3 sets x 10 reps (rest 90 seconds)\n\nLower Body\nLeg press 4x12\n\n"
            "Week 2\nUpper Body\nIncline bench press - 3 sets x 10 reps\n")
    r = read_plan(text)
    assert days(r.plan) == [("Upper Body", [P("Incline bench press", 3, 10, rest_s=90)]),
                            ("Lower Body", [P("Leg press", 4, 12)])]
    # the days before any week heading are the first week
    assert [(w.label, w.numbers, w.line) for w in r.weeks] == [("Week 1", [1], 1), ("Week 2", [2], 7)]
    assert days(r.weeks[1].plan) == [("Upper Body", [P("Incline bench press", 3, 10)])]
    assert r.notes[0].startswith("2 weeks read: Week 1 (line 1, 2 days); Week 2 (line 7, 1 day)")


def test_eight_days_keep_seven_and_name_the_rest() -> None:
    text = "".join(f"Day {i}\nSquat 3x5\n" for i in range(1, 9))
    r = read_plan(text)
    assert [d.name for d in r.plan.days] == [f"Day {i}" for i in range(1, 8)]
    assert noted(r.notes, 16, "at most 7 days")


def test_a_deload_title_sets_the_scenario_and_warm_ups_are_skipped_but_named() -> None:
    text = ("# Deload Week\n\n## Warm-up\n- 5 min bike\n- Band pull-aparts 2x15\n\n## Day 1 - Full Body\n"
            "- Goblet Squat 2x8\n- Push-ups 2 x 10\n")
    r = read_plan(text)
    assert r.plan.scenario == Scenario.deload and "deload" in r.notes[0]
    assert days(r.plan) == [("Day 1 - Full Body", [P("Goblet Squat", 2, 8), P("Push-ups", 2, 10)])]
    assert noted(r.notes, 4, "Warm-up", "5 min bike") and noted(r.notes, 5, "Warm-up", "Band pull-aparts")


def test_exercises_with_no_day_heading_are_one_day_said_so() -> None:
    r = read_plan("Squat 3x5 @ 100 kg\nBench 3x5\n")
    assert days(r.plan) == [("Day 1", [P("Squat", 3, 5, load_kg=100), P("Bench", 3, 5)])]
    assert noted(r.notes, 1, "no day heading")


def test_a_load_or_effort_before_the_scheme_is_read_and_left_out_of_the_name() -> None:
    r = read_plan("Day 1\n- Squat @ 100kg: 3x5\n- Bench (RPE 8) 3x8\n- Superset B: Curl @ 20 kg 3x12\n")
    assert days(r.plan) == [("Day 1", [P("Squat", 3, 5, load_kg=100), P("Bench", 3, 8, rpe=8),
                                       P("Curl", 3, 12, load_kg=20, note="Superset B")])]


@pytest.mark.parametrize("line, why", [
    ("- Squat 12x5", "sets"),  # over the schema's 10 sets: not trimmed to fit
    ("- Curl: 12 reps", "no set count"),
    ("- Dips 3 sets", "no rep count"),
    ("- Jump rope 3 x 2 s", "distances"),  # a time too short to be a set's
    ("- Sled drag 2 x 1 m", "distances"),  # a lone "m" under 5: no carry's metres, maybe minutes
])
def test_a_scheme_that_cannot_be_read_whole_is_a_note_never_numbers(line: str, why: str) -> None:
    r = read_plan(f"Day 1\n- Row 3x8\n{line}\n")
    assert days(r.plan) == [("Day 1", [P("Row", 3, 8)])]
    assert noted(r.notes, 3, why)


def test_nothing_readable_fails_naming_what_was_expected_and_the_lines() -> None:
    with pytest.raises(PlanParseError) as e:
        read_plan("Just do some squats and bench, and eat well.\nYou'll be fine!\n")
    assert e.value.place == "line 1"
    assert "no exercise" in e.value.message
    assert "Day 1" in e.value.hint and "3 sets of 8" in e.value.hint and "You'll be fine" in e.value.hint


def test_peri_forms_first_json_and_compact_read_strictly() -> None:
    plan = Plan(days=[PlanDay(name="Upper A", exercises=[P("Barbell Bench Press - Medium Grip", 3, 8, 10, load_kg=80)])])
    assert read_plan(plan.model_dump_json()) == read_plan(plan_to_text(plan)).model_copy(update={"form": "json"})
    compact = read_plan(plan_to_text(plan))
    assert compact.form == "compact" and compact.plan == plan and compact.notes == []
    # peri's own form keeps its strictness: a model's unknown token is an error, not read around
    with pytest.raises(PlanParseError, match="unknown token"):
        read_plan("DAY A\nSquat: 3x5 heavy\n")
    with pytest.raises(PlanParseError, match="JSON"):
        read_plan('{"days": [')
    # a chatbot's answer around a JSON block: the block is the plan, the rest said
    wrapped = read_plan(f"Sure! Here is your plan:\n\n```json\n{plan.model_dump_json(indent=1)}\n```\nGood luck!\n")
    assert wrapped.plan == plan and wrapped.form == "json" and noted(wrapped.notes, 3, "JSON block")


def test_hostile_text_is_read_or_refused_never_a_crash() -> None:
    for text in ("\x00\x01\x02" * 1000, "x" * 100_000, "|" * 5000, "#" * 3000 + " Day 1\nSquat 3x5",
                 "Day 1\n" + "Squat 3x5 " * 500, "3x" * 10_000, "\u202eDay 1\nSquat 3x5\n"):
        try:
            r = read_plan(text)
        except PlanParseError:
            continue
        assert r.plan.days


PIECES = ["## Day 1", "**Monday**", "Workout A:", "- ", "1. ", "| Exercise | Sets | Reps |", "|---|---|", "| ", " | ",
          "Squat", "Bench Press", "3x8", "4 x 6-8", "3 sets of 10", "@ 100 kg", "225 lb", "70%", "RPE 8", "2 RIR",
          "rest 90 s", "2-3 min", "AMRAP", "per side", "Week 2", "Warm-up", "\t", "\n", " ", ":", ",", "(", ")", "12/10/8",
          "Sets: 3", "Reps: 8", "   - ", "x", "0", "99", "1:30", "# ", "🏋️", "\u202e", "\x00"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join))
def test_any_text_is_read_or_refused_in_one_error(text: str) -> None:
    try:
        r = read_plan(text)
    except PlanParseError as e:
        assert e.place and e.message
        return
    assert 1 <= len(r.plan.days) <= 7 and all(d.exercises for d in r.plan.days)
    Plan.model_validate(r.plan.model_dump())  # every value within the schema's bounds


# --- round trip: peri's plans written in three free-form styles read back equal ----------------------

def _plain(name: str) -> bool:
    # a name the styles can carry: no digits, no markup, no separators that start a note
    return name == name.strip() and not any(c in name for c in string.digits + "%@:|#()/*_`[]&+,;") and len(name) < 60


NAMES = sorted(n for n in {e.name for e in default_catalog().entries} if _plain(n))
DAY_NAMES = ["Day 1", "Day 2 – Upper", "Monday", "Push", "Upper Body", "Legs", "Workout A", "Full Body B",
             "Tuesday – Pull", "Chest and Triceps", "Lower (Strength)", "Session 3"]


@st.composite
def prescriptions(draw, pounds: bool = False) -> tuple[Prescription, float | None]:
    lo = draw(st.integers(1, 50))
    hi = draw(st.integers(lo, 50))
    lb = None
    if pounds:
        lb = draw(st.none() | st.integers(0, 520).map(lambda n: n * 2.5))
        load = None if lb is None else round(lb * 0.45359237, 3)
    else:
        load = draw(st.none() | st.integers(0, 1200).map(lambda n: n / 2))
    return P(draw(st.sampled_from(NAMES)), draw(st.integers(1, 10)), lo, hi, load_kg=load,
             pct_e1rm=draw(st.none() | st.integers(30, 100).map(float)),
             rpe=draw(st.none() | st.integers(10, 20).map(lambda n: n / 2)),
             rir=draw(st.none() | st.integers(0, 5)),
             rest_s=draw(st.none() | st.integers(0, 60).map(lambda n: n * 15))), lb


@st.composite
def plans(draw, pounds: bool = False) -> tuple[Plan, list[list[float | None]]]:
    n = draw(st.integers(1, 7))
    out, lbs = [], []
    for _ in range(n):
        items = draw(st.lists(prescriptions(pounds), min_size=1, max_size=6))
        out.append(PlanDay(name=draw(st.sampled_from(DAY_NAMES)), exercises=[p for p, _ in items]))
        lbs.append([lb for _, lb in items])
    return Plan(days=out), lbs


def _reps(p: Prescription, dash: str = "-") -> str:
    return str(p.reps_low) if p.reps_low == p.reps_high else f"{p.reps_low}{dash}{p.reps_high}"


def chatbot_markdown(plan: Plan, lbs) -> str:
    out = ["# Your plan", "", "Here is a week that fits your goals.", ""]
    for d in plan.days:
        out += [f"## {d.name}"]
        for p in d.exercises:
            bits = [f"- **{p.exercise}**: {p.sets} x {_reps(p)}"]
            if p.load_kg is not None:
                bits.append(f"@ {format_number(p.load_kg)} kg")
            if p.pct_e1rm is not None:
                bits.append(f"({format_number(p.pct_e1rm)}% 1RM)")
            if p.rpe is not None:
                bits.append(f"RPE {format_number(p.rpe)}")
            if p.rir is not None:
                bits.append(f"{p.rir} RIR")
            if p.rest_s is not None:
                bits.append(f"rest {p.rest_s} s")
            out.append(", ".join(bits))
        out.append("")
    return "\n".join(out + ["## Tips", "- Eat enough protein."])


def coach_list(plan: Plan, lbs) -> str:
    out = []
    for d, day_lbs in zip(plan.days, lbs):
        out.append(f"{d.name}:")
        for p, lb in zip(d.exercises, day_lbs):
            line = f"{p.exercise} – {p.sets} sets of {_reps(p, ' to ')} reps"
            if lb is not None:
                line += f" at {format_number(lb)} lbs"
            if p.pct_e1rm is not None:
                line += f" ({format_number(p.pct_e1rm)}%)"
            if p.rpe is not None:
                line += f" @ RPE {format_number(p.rpe)}"
            if p.rir is not None:
                line += f", RIR {p.rir}"
            if p.rest_s is not None:
                line += f", {p.rest_s // 60} min rest" if p.rest_s % 60 == 0 else f", {p.rest_s} sec rest"
            out.append(line)
        out.append("")
    return "\n".join(out)


def table(plan: Plan, lbs) -> str:
    out = []
    for d in plan.days:
        out += [f"### {d.name}", "", "| Exercise | Sets | Reps | Load (kg) | % 1RM | RPE | RIR | Rest (s) |",
                "|---|---|---|---|---|---|---|---|"]
        for p in d.exercises:
            cells = [p.exercise, str(p.sets), _reps(p), "" if p.load_kg is None else format_number(p.load_kg),
                     "" if p.pct_e1rm is None else f"{format_number(p.pct_e1rm)}%",
                     "" if p.rpe is None else format_number(p.rpe), "" if p.rir is None else str(p.rir),
                     "" if p.rest_s is None else str(p.rest_s)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


@pytest.mark.parametrize("style, pounds", [(chatbot_markdown, False), (coach_list, True), (table, False)])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_perIs_plans_written_free_form_read_back_equal(style, pounds, data) -> None:
    plan, lbs = data.draw(plans(pounds))
    text = style(plan, lbs)
    r = read_plan(text, unit="kg")
    assert r.form == "free-form"
    assert r.plan == plan, text


# --- `peri check` reads them -----------------------------------------------------------------------------

def test_peri_check_reads_a_chatbots_plan_and_prints_what_it_could_not_use(home, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from peri.cli.app import app
    from peri.log.annotate import add_note
    from peri.log.models import Athlete
    from peri.log.store import Store

    with Store(home / "peri.db") as s:
        s.add_athlete(Athlete(name="kim", unit="lb"))
        # kim's own note blames the RDL; the chatbot's plan has one
        add_note(s, "kim", dt.date.today() - dt.timedelta(days=30), "romanian deadlifts aggravated my lower back",
                 exercise="Romanian Deadlift")
    plan = tmp_path / "from-chatgpt.md"
    plan.write_text(CHATGPT.replace("@ 225 lb", "@ 225"), encoding="utf-8")  # no unit: kim's pounds
    r = CliRunner().invoke(app, ["check", str(plan), "--athlete", "kim", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["read_as"] == "free-form"
    assert any(n.startswith("line 9:") and "AMRAP" in n for n in out["reader_notes"])
    rdl = [p for d in out["plan"]["days"] for p in d["exercises"] if p["exercise"] == "Romanian Deadlift"][0]
    # "@ 225" with no unit where the text writes kg elsewhere: kg, said so (the text's own unit wins over kim's)
    assert rdl["load_kg"] == 225 and any("@ 225" in n and "kg" in n for n in out["reader_notes"])
    assert any(f["code"] == "aggravated" and f["exercise"] == "Romanian Deadlift" and f["severity"] == "high"
               for f in out["findings"])
    r = CliRunner().invoke(app, ["check", str(plan), "--athlete", "kim"])
    assert r.exit_code == 0 and "read as free-form text: 2 days, 11 exercises" in r.output
    assert "line 10: Plank: read as 3 timed sets of 45 s" in r.output
    bad = tmp_path / "advice.txt"
    bad.write_text("Just lift heavy and eat.\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["check", str(bad), "--athlete", "kim"])
    assert r.exit_code == 1 and "advice.txt:line 1: no exercise" in r.output
