"""peri.log.units: the evidence points of `infer_unit` worked out by hand (issue 20: mutation testing found the
points, their thresholds and the evidence lines unchecked; only the winning unit was)."""
from __future__ import annotations

from peri.log.units import flags_from_best, infer_unit


def test_kg_file_points_by_hand() -> None:
    loads = ([("Bench Press", 102.5)] * 2 + [("Bench Press", 61.25)] + [("Dumbbell Curl", 12.0)] * 3
             + [("Squat", 225.0), ("Squat", 185.0), ("Row", 102.058)])
    r = infer_unit(loads)
    # 102.5 x2: a 2.5 step off the 5s, half a point each -> 1; 61.25: a 1.25 step -> 1;
    # 12 x3: a 2 kg dumbbell step under 60, half a point each -> 1.5; 102.058 = 225 lb converted -> 1.
    # 225 (a full landmark) 1 + 185 (a 25 lb plate landmark) 0.5 -> lb 1.5.
    # No lift has 4 distinct loads: no step-over-time evidence.
    assert (r.kg_points, r.lb_points) == (4.5, 1.5)
    # total 6 >= 6 points, margin 3/6 = 0.5 >= 0.4 but total < 18: medium
    assert (r.unit, r.confidence) == ("kg", "medium")
    assert r.evidence == [
        "loads on the 45 lb bar-and-plate landmarks (135/225/315...) (1.5 points for lb)",
        "dumbbells/kettlebells in 2 kg steps (12, 16, 24, 32) (1.5 points for kg)",
        "loads in 2.5 steps off the 5s (22.5, 102.5: kg plates) (1 points for kg)",
        "loads in 1.25 steps (1.25 kg plates) (1 points for kg)",
        "kg numbers that are round pound loads converted (102.058 = 225 lb) (1 points for kg)",
    ]


def test_lb_file_points_by_hand() -> None:
    loads = [("Bench Press", 135.0), ("Bench Press", 140.0), ("Bench Press", 145.0), ("Bench Press", 150.0),
             ("Deadlift", 600.0)]
    r = infer_unit(loads, notes=["225lbs today", "felt heavy, 5 lb more next week", "2 kg", ""],
                   raw_texts=["185.00000000000003", "135", "20.099999999999998"], body_mass_kg=50)
    # 135: a landmark, 1 lb. 140, 145, 150, 600 are multiples of 5: no plate evidence.
    # the bench over time: 4 distinct loads, smallest step 5 -> 1 lb.
    # two raw cells carry Strong's conversion artefacts -> 10 each, 20 lb.
    # deadlift 600 > 510 kg, beyond any human -> 20 lb.
    # bench 150 / 50 kg body mass = 3.0 > 2.5 -> 10 lb.
    # notes: "225lbs", "5 lb" -> 2 lb; "2 kg" -> 1 kg.
    assert (r.kg_points, r.lb_points) == (1.0, 54.0)
    # total 55, margin 53/55 = 0.96: high
    assert (r.unit, r.confidence) == ("lb", "high")
    assert r.evidence == [
        "2 weights carry the float artefacts of Strong's kg-to-lb conversion (20 points for lb)",
        "heaviest Deadlift 600 is beyond any human lift in kg (510 kg) (20 points for lb)",
        "heaviest bench 150 is 3.0x the stated body mass if kg (10 points for lb)",
        "notes name lb 2 times (2 points for lb)",
        "loads on the 45 lb bar-and-plate landmarks (135/225/315...) (1 points for lb)",
        "lifts progressing in 5 steps (the smallest pound plate pair) (1 points for lb)",
        "notes name kg 1 times (1 points for kg)",
    ]
    assert not r.weak
    assert r.summary().startswith("lb (inferred, high confidence: 2 weights carry")


def test_light_bench_for_the_body_mass_reads_as_kg() -> None:
    # 40 as pounds is 18.14 kg: 18.14 / 80 = 0.23 < 0.25 of body mass -> 10 kg; 40 itself is a multiple of 5
    r = infer_unit([("Bench Press", 40.0)], body_mass_kg=80)
    assert (r.kg_points, r.lb_points, r.unit, r.confidence) == (10.0, 0.0, "kg", "medium")
    assert r.evidence == ["heaviest bench 40 is 0.23x the stated body mass if lb (10 points for kg)"]
    # 0.25 x 80 = 20 kg = 44.09 lb: a 45 lb bench is not below it (and 45 is no landmark)
    r = infer_unit([("Bench Press", 45.0)], body_mass_kg=80)
    assert (r.kg_points, r.lb_points, r.confidence) == (0.0, 0.0, "low")
    assert r.evidence == ["no load in the file tells kg from lb"]
    # a machine bench has no ceiling, so no body-mass evidence either
    assert infer_unit([("Machine Bench Press", 40.0)], body_mass_kg=80).kg_points == 0.0


def test_a_kg_load_converted_to_pounds_is_lb_evidence() -> None:
    # 44.092 lb = 19.9998 kg, within 0.02 of a 1.25 kg step (20 kg); as kg it is 97.2 lb, no round pound load
    r = infer_unit([("Bench Press", 44.092)])
    assert (r.kg_points, r.lb_points) == (0.0, 1.0)
    assert r.evidence == ["lb numbers that are round kg loads converted (44.09 = 20 kg) (1 points for lb)"]
    # 0.004 as kg or lb is near the step 0 only, which is no load
    assert infer_unit([("Bench Press", 0.004)]).lb_points == infer_unit([("Bench Press", 0.004)]).kg_points == 0.0


def test_kg_plates_over_time() -> None:
    # one lift at 4 distinct loads 100, 101.5, 103, 104.5: smallest step 1.5, within 1-2.5 -> 2 kg points
    # (none of the loads is on a 1.25, 2.5 or 2 step off the 5s; 101.5 and 104.5 are 0.25 steps: no trace)
    r = infer_unit([("Squat", 100.0), ("Squat", 101.5), ("Squat", 103.0), ("Squat", 104.5)])
    assert r.kg_points == 2.0 and "lifts progressing in 1-2.5 steps (kg plates) (2 points for kg)" in r.evidence
    # three distinct loads are not enough
    assert infer_unit([("Squat", 100.0), ("Squat", 101.5), ("Squat", 103.0)]).kg_points == 0.0
    # a smallest step of 0.5 is neither plates in kg nor in lb
    assert infer_unit([("Squat", 100.0), ("Squat", 100.5), ("Squat", 103.0), ("Squat", 104.5)]).kg_points == 0.0


def notes_of(n_kg: int, n_lb: int) -> list[str]:
    return ["5 kg"] * n_kg + ["5 lb"] * n_lb


def test_confidence_thresholds_by_hand() -> None:
    assert infer_unit([], notes=notes_of(5, 0)).confidence == "low"  # 5 points < 6
    assert infer_unit([], notes=notes_of(6, 0)).confidence == "medium"  # 6 points, margin 1
    assert infer_unit([], notes=notes_of(7, 3)).confidence == "medium"  # margin 4/10 = 0.4, the weak edge
    assert infer_unit([], notes=notes_of(7, 4)).confidence == "low"  # margin 3/11 = 0.27
    assert infer_unit([], notes=notes_of(12, 0)).kg_points == 10.0  # unit words count 10 at most
    assert infer_unit([], notes=notes_of(0, 12)).lb_points == 10.0
    # high needs 18 points and a margin of 0.6: 18 landmark loads of 135
    assert infer_unit([("Squat", 135.0)] * 18).confidence == "high"
    assert infer_unit([("Squat", 135.0)] * 17).confidence == "medium"
    # 16 lb against 4 kg: total 20, margin 12/20 = 0.6 -> high; 15 against 4: 11/19 = 0.58 -> medium
    assert infer_unit([("Squat", 135.0)] * 16, notes=notes_of(4, 0)).confidence == "high"
    assert infer_unit([("Squat", 135.0)] * 15, notes=notes_of(4, 0)).confidence == "medium"
    tie = infer_unit([], notes=notes_of(3, 3))
    assert (tie.unit, tie.confidence) == ("kg", "low")  # a tie is not pounds


def test_flags_by_hand() -> None:
    # squat e1RM 520 > 500: flagged, as pounds 520 x 0.4536 = 236 kg; bench 250 kg for an 80 kg lifter:
    # 3.1x > 3.0, flagged against 240 kg; bench 240 is exactly 3.0x: not flagged; an unbounded lift never is
    flags = flags_from_best({"Squat": 520.0, "Bench Press": 250.0, "Leg Press": 900.0}, "Jo Ann", body_mass_kg=80)
    assert [(f.exercise, f.e1rm_kg, f.limit_kg) for f in flags] == [("Bench Press", 250.0, 240.0),
                                                                     ("Squat", 520.0, 500.0)]
    assert flags[1].reason == ("estimated 1RM 520 kg is beyond the heaviest Squat ever lifted (~500 kg); "
                               "as pounds it is 236 kg")
    assert flags[0].reason == "estimated 1RM 250 kg is 3.1x the stated body mass"
    assert flags[0].command == "peri import reunit --athlete 'Jo Ann' --from kg --to lb"
    assert flags_from_best({"Bench Press": 240.0}, "jo", body_mass_kg=80) == []
    assert flags_from_best({"Squat": 500.0}, "jo") == []
    assert flags_from_best({"Squat": 500.1}, "jo.o@x+y-z")[0].command.endswith("--athlete jo.o@x+y-z --from kg --to lb")
    assert flags_from_best({"Squat": 600.0}, "it's")[0].command.endswith("--athlete 'it'\\''s' --from kg --to lb")


def test_summary_says_where_the_unit_came_from() -> None:
    from peri.log.units import UnitInference

    assert UnitInference(unit="kg", confidence="high", source="stated").summary() == "kg (stated by the file)"
    assert UnitInference(unit="lb", confidence="high", source="option").summary() == "lb (from --unit)"
    r = UnitInference(unit="kg", confidence="medium", evidence=["a", "b"])
    assert r.summary() == "kg (inferred, medium confidence: a; b)"


def test_unusable_loads_are_skipped_not_fatal() -> None:
    # None, inf, nan, 0 and negatives say nothing, and do not stop the loads after them from counting
    bad = [("Bench Press", None), ("Bench Press", float("inf")), ("Bench Press", float("nan")), ("Bench Press", 0.0),
           ("Bench Press", -5.0)]
    r = infer_unit(bad + [("Bench Press", 61.25)])
    assert (r.kg_points, r.lb_points) == (1.0, 0.0)
    # an infinite or zero load is no step over time either: 3 real loads are not enough
    assert infer_unit([("Squat", float("inf")), ("Squat", 0.0), ("Squat", 100.0), ("Squat", 101.5),
                       ("Squat", 103.0)]).kg_points == 0.0
    # 1 kg is a load: with it a lift has 4 distinct loads, smallest step 1.5
    assert infer_unit([("Squat", 1.0), ("Squat", 100.0), ("Squat", 101.5), ("Squat", 103.0)]).kg_points == 2.0


def test_every_load_adds_its_points() -> None:
    # (no lift reaches 4 distinct loads: no steps over time)
    loads = [("Bench Press", 61.25), ("Bench Press", 63.75),  # two 1.25 steps: 2
             ("Incline Press", 102.5), ("Incline Press", 22.5),  # two 2.5 steps off the 5s: 0.5 + 0.5
             ("Dumbbell Curl", 12.0), ("Dumbbell Curl", 14.0),  # two 2 kg dumbbells: 0.5 + 0.5
             ("Row", 102.058), ("Row", 124.738)]  # 225 lb and 275 lb converted: 2
    r = infer_unit(loads)
    assert (r.kg_points, r.lb_points) == (6.0, 0.0)
    # 20 kg and 25 kg converted to lb (44.092, 55.116): 2 lb
    assert infer_unit([("Bench Press", 44.092), ("Bench Press", 55.116)]).lb_points == 2.0


def test_the_heaviest_load_is_the_largest_not_the_last() -> None:
    r = infer_unit([("Deadlift", 600.0), ("Deadlift", 100.0)])
    assert r.lb_points == 20.0  # 600 > 510 kg
    assert infer_unit([("Deadlift", 510.0)]).lb_points == 0.0  # the ceiling itself is a human lift
    # a bench of exactly 2.5x body mass is not yet suspicious; above it is
    assert infer_unit([("Bench Press", 200.0)], body_mass_kg=80).lb_points == 0.0
    assert infer_unit([("Bench Press", 200.5)], body_mass_kg=80).lb_points == 10.0


def test_steps_over_time_by_hand() -> None:
    def points(*loads: float, first: list | None = None) -> tuple[float, float]:
        r = infer_unit((first or []) + [("Squat", w) for w in loads])
        return r.kg_points, r.lb_points

    assert points(100, 101, 102, 103) == (2.0, 0.0)  # a step of exactly 1: kg plates
    assert points(100, 103, 106, 109) == (0.0, 0.0)  # 3: neither
    assert points(100, 104.5, 109, 113.5) == (0.0, 0.0)  # 4.5: not the 5 of pound plates
    assert points(100, 101.5, 103, 104.5, first=[("Bench Press", 50.0)]) == (2.0, 0.0)  # another lift first
    # two lifts progressing: their points add up
    assert infer_unit([("Squat", w) for w in (100, 101.5, 103, 104.5)]
                      + [("Row", w) for w in (60, 61.5, 63, 64.5)]).kg_points == 4.0
    assert infer_unit([("Squat", w) for w in (100, 105, 110, 115)]
                      + [("Row", w) for w in (60, 65, 70, 75)]).lb_points == 2.0


def test_conversion_traces_by_hand() -> None:
    # 2.75 lb = 1.2474 kg, 0.0026 from a 1.25 kg plate; yet 2.75 is a quarter step, which pound and kg
    # equipment both make: no trace read from it
    assert infer_unit([("Plate", 2.75)]).lb_points == 0.0
    # 1.13398 kg = 2.5000 lb: the smallest pound plate converted
    assert infer_unit([("Plate", 1.13398)]).kg_points == 1.0
    # 102.0811 kg = 225.05 lb: 0.05 off a 2.5 lb step, beyond the 0.02 tolerance
    assert infer_unit([("Row", 102.0811)]).kg_points == 0.0


def test_plausibility_reads_only_kg_rows_by_hand() -> None:
    from peri.log.units import plausibility_of_rows

    assert plausibility_of_rows([("Squat", 600.0, 5, "lb")], "jo") == []  # a pound row is never mistaken
    assert plausibility_of_rows([("Squat", 600.0, 13, "kg")], "jo") == []  # no estimate past 12 reps
    # the best set counts, not the last: 600 x 1 then 100 x 1
    flags = plausibility_of_rows([("Squat", 600.0, 1, "kg"), ("Squat", 100.0, 1, "kg")], "jo")
    assert [(f.exercise, f.e1rm_kg) for f in flags] == [("Squat", 600.0)]


def test_flag_numbers_are_rounded_to_a_tenth() -> None:
    (flag,) = flags_from_best({"Squat": 500.25}, "jo")
    assert flag.e1rm_kg == 500.2  # half to even
    (flag,) = flags_from_best({"Bench Press": 250.25}, "jo", body_mass_kg=80.25)  # 3.118x
    assert (flag.e1rm_kg, flag.limit_kg) == (250.2, 240.8)  # 3 x 80.25 = 240.75 -> 240.8


def test_a_landmark_counts_only_where_the_log_dwells_on_it_more_than_on_its_neighbours() -> None:

    # 135 three times; its neighbours are 125, 130, 140 and 145, their mean count against its own
    # 125 twenty times: (20 + 0 + 0 + 0) / 4 = 5 >= 3, so 135 is a load passed on the way, no pound landmark
    assert infer_unit([("Squat", 125.0)] * 20 + [("Squat", 135.0)] * 3).evidence == [
        "no load in the file tells kg from lb"]
    # the same with 130 (5 below) twenty times
    assert infer_unit([("Squat", 130.0)] * 20 + [("Squat", 135.0)] * 3).evidence == [
        "no load in the file tells kg from lb"]
    # 145 four times: (0 + 0 + 0 + 4) / 4 = 1 < 3: the landmark counts, 1 point for each of its 3 sets
    r = infer_unit([("Squat", 145.0)] * 4 + [("Squat", 135.0)] * 3)
    assert (r.kg_points, r.lb_points) == (0.0, 3.0)
    # 150 and 155 (15 and 20 above) are no neighbours: 135 counts
    assert infer_unit([("Squat", 150.0)] * 20 + [("Squat", 155.0)] * 20 + [("Squat", 135.0)] * 3).lb_points == 3.0


def test_the_empty_bar_at_exactly_half_the_heaviest_load_counts() -> None:
    # 20 kg logged three times, the heaviest 40: 20 <= 0.5 x 40, the empty bar under the working loads
    # (20, 30, 40 are multiples of 5 and the lift has three loads: no other rule speaks)
    r = infer_unit([("Barbell Bench Press", 20.0)] * 3 + [("Barbell Bench Press", 30.0), ("Barbell Bench Press", 40.0)])
    assert (r.kg_points, r.lb_points) == (3.0, 0.0)
    assert r.evidence == ["1 barbell lifts start from 20, the empty 20 kg bar, far below their working loads "
                          "(3 points for kg)"]
    # heaviest 35: 20 > 17.5, no empty bar
    assert infer_unit([("Barbell Bench Press", 20.0)] * 3 + [("Barbell Bench Press", 35.0)]).evidence == [
        "no load in the file tells kg from lb"]


def test_which_lifts_are_on_a_straight_bar() -> None:
    from peri.log.units import _is_barbell

    assert _is_barbell("Bench Press") and _is_barbell("DEADLIFT") and _is_barbell("Barbell Curl")
    assert _is_barbell("bb row") and _is_barbell("Curl (Bar)")
    assert not _is_barbell("EZ Barbell Curl") and not _is_barbell("Dumbbell Bench Press")
    assert not _is_barbell("Leg Extension") and not _is_barbell("Smith Machine Squat")
