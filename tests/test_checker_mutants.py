"""The plan checker pinned down where mutmut found it loose (issue 20), with entries and plans written by hand."""
from __future__ import annotations

import pytest

from peri.log.catalog import ExerciseEntry, default_catalog
from peri.plans import checker
from peri.plans.checker import mentioned, region_stress

# Loaded at import, not in a fixture: mutmut's fork server imports the selection's test files once and forks every
# mutant from it, so the catalog (0.7 s to load) is then in memory for each mutant's tests instead of loaded anew.
CATALOG = default_catalog()


def entry(pattern: str = "other", spinal: str = "none", joints: tuple[str, ...] = (), primary: tuple[str, ...] = (),
          **kw) -> ExerciseEntry:
    return ExerciseEntry(id=kw.pop("id", "x"), name=kw.pop("name", "X"), category="strength", pattern=pattern,
                         spinal_load=spinal, joints=list(joints), primary_muscles=list(primary), **kw)


@pytest.mark.parametrize("e, region, severity", [
    # lower back: by spinal load, else a lower-back joint tag
    (entry(spinal="high"), "lower_back", "high"),
    (entry(spinal="moderate"), "lower_back", "medium"),
    (entry(spinal="low", joints=("lower_back",)), "lower_back", "low"),
    (entry(spinal="low"), "lower_back", None),
    # other regions only when the joint is tagged
    (entry("vertical_push"), "shoulder", None),
    (entry("vertical_push", joints=("shoulder",)), "shoulder", "high"),
    (entry("other", joints=("neck",)), "neck", "high"),
    (entry("squat", joints=("knee",)), "knee", "high"),
    (entry("lunge", joints=("knee",)), "knee", "high"),
    (entry("hinge", joints=("hip",)), "hip", "high"),
    (entry("carry", joints=("upper_back",)), "upper_back", "high"),
    (entry("other", joints=("wrist",)), "wrist", "medium"),
    (entry("other", joints=("ankle",)), "ankle", "medium"),
    (entry("other", joints=("upper_back",)), "upper_back", "medium"),
    (entry("horizontal_push", joints=("shoulder",)), "shoulder", "medium"),
    (entry("hinge", joints=("knee",)), "knee", "medium"),
    (entry("isolation", joints=("elbow",), primary=("biceps",)), "elbow", "medium"),
    (entry("isolation", joints=("elbow",), primary=("triceps",)), "elbow", "medium"),
    (entry("isolation", joints=("elbow",), primary=("forearms",)), "elbow", "low"),
    (entry("vertical_pull", joints=("elbow",), primary=("biceps",)), "elbow", "low"),
    (entry("isolation", joints=("knee",), primary=("quadriceps",)), "knee", "medium"),
    (entry("isolation", joints=("knee",), primary=("hamstrings",)), "knee", "low"),
    (entry("isolation", joints=("shoulder",)), "shoulder", "low"),
])
def test_region_stress_table(e: ExerciseEntry, region: str, severity: str | None) -> None:
    assert region_stress(e, region) == severity


def test_mentioned_picks_the_best_covered_names() -> None:
    candidates = [("Barbell Bench Press", None), ("Incline Barbell Bench Press", None), ("Leg Press", None),
                  ("Barbell Squat", None)]
    assert mentioned("incline bench hurt my shoulder", candidates) == [1]
    assert mentioned("bench felt off", candidates) == [0]  # bench press: 1 of 2 key words, incline 1 of 3
    assert mentioned("my shoulder", candidates) == []  # no movement word
    assert mentioned("the squats tweaked my back", candidates) == [3]
    # a name made only of generic words still has its words as the key
    assert mentioned("barbell", [("Barbell", None)]) == []


def test_mean_of_nothing_is_zero() -> None:
    assert checker._mean([]) == 0.0
    assert checker._mean([2.0, 3.0, 7.0]) == pytest.approx(4.0)


# --- small pieces, by hand ---------------------------------------------------------------------

def finding(severity: str, code: str = "x") -> checker.Finding:
    return checker.Finding(code=code, severity=severity, message="m")


def test_worst_ranks_by_severity_not_by_spelling() -> None:
    # alphabetically "high" < "low" < "medium": only the severity ranking makes medium the worse of low and medium
    assert checker.CheckResult(findings=[finding("low"), finding("medium")]).worst() == "medium"
    assert checker.CheckResult(findings=[finding("low"), finding("high"), finding("medium")]).worst() == "high"
    assert checker.CheckResult(findings=[]).worst() is None


def flag(severity: str = "high") -> checker.NoteFlag:
    import datetime as dt

    return checker.NoteFlag(severity, "note", dt.date(2026, 1, 1), [])


def test_prefer_is_liked_or_frequent_less_flagged() -> None:
    flags = checker.AthleteFlags(constraint_regions=set(), equipment=None, liked={"a"}, frequent=["b", "c"],
                                 exercises={"c": flag()})
    assert flags.prefer() == {"a", "b"}


def test_avoid_regions_are_constraints_noted_regions_unless_low_and_extra() -> None:
    flags = checker.AthleteFlags(constraint_regions={"knee"}, equipment=None,
                                 regions={"shoulder": flag("medium"), "wrist": flag("low")})
    assert checker.avoid_regions(flags, ["elbow"]) == {"knee", "shoulder", "elbow"}
    assert checker.avoid_regions(flags) == {"knee", "shoulder"}


def test_stresses_counts_high_and_medium_only() -> None:
    press = entry("vertical_push", joints=("shoulder",))  # high for the shoulder
    bench = entry("horizontal_push", joints=("shoulder",))  # medium
    raise_ = entry("isolation", joints=("shoulder",))  # low
    assert checker._stresses(press, ["knee", "shoulder"]) is True
    assert checker._stresses(bench, ["shoulder"]) is True
    assert checker._stresses(raise_, ["shoulder"]) is False
    assert checker._stresses(press, []) is False


def test_explosive_by_name() -> None:
    assert checker._explosive(entry(name="Power Clean")) is True
    assert checker._explosive(entry(name="Box JUMP")) is True
    assert checker._explosive(entry(name="Barbell Squat")) is False


def test_plan_rpe_reads_rir_as_ten_minus_rir() -> None:
    from peri.plans.schema import Plan, PlanDay, Prescription

    def plan(*ps: Prescription) -> Plan:
        return Plan(days=[PlanDay(name="A", exercises=list(ps))])

    # RPE 7 and RIR 2 (= RPE 8): mean 7.5; a prescription with neither is left out
    p = plan(Prescription(exercise="A", sets=3, reps_low=5, reps_high=5, rpe=7.0),
             Prescription(exercise="B", sets=3, reps_low=5, reps_high=5, rir=2),
             Prescription(exercise="C", sets=3, reps_low=5, reps_high=5))
    assert checker._plan_rpe(p) == pytest.approx(7.5)
    assert checker._plan_rpe(plan(Prescription(exercise="C", sets=3, reps_low=5, reps_high=5))) is None


@pytest.mark.parametrize("sets, factor, expected", [
    (3, 0.5, 2),   # 1.5 rounds half up to 2
    (4, 0.5, 2),
    (4, 0.1, 1),   # 0.4 -> 0, but never below one set
    (3, 2.0, 3),   # never above what was there
    (5, 0.7, 4),   # 3.5 -> 4
])
def test_scale_sets_by_hand(sets: int, factor: float, expected: int) -> None:
    assert checker._scale_sets(sets, factor) == expected


def test_mentioned_generic_words_do_not_dilute_the_key() -> None:
    # "Barbell Bench Press": key bench + press (barbell is generic), so "bench press" covers it as fully as the
    # plain "Bench Press": both are named
    assert mentioned("bench press hurt", [("Barbell Bench Press", None), ("Bench Press", None)]) == [0, 1]


# --- safe_substitute on hand-made catalogs --------------------------------------------------------
# Each catalog holds a target and a few candidates built so that exactly one rule of the swap's ranking decides.
# The catalog's own order (Catalog.substitutes: tier, preference, muscle overlap, spinal load, joint count,
# expert, name) is worked out by hand for each; safe_substitute's key then re-ranks it.

def ex(name: str, pattern: str = "squat", primary: tuple[str, ...] = ("quadriceps",), equipment: str | None = "barbell",
       **kw) -> ExerciseEntry:
    kw.setdefault("mechanic", "isolation" if pattern == "isolation" else "compound")
    return entry(pattern, primary=primary, id=name, name=name, equipment=equipment, **kw)


def swap(target: ExerciseEntry, *cands: ExerciseEntry, flags: checker.AthleteFlags | None = None, **kw) -> str | None:
    from peri.log.catalog import Catalog

    flags = flags or checker.AthleteFlags(constraint_regions=set(), equipment=None)
    got = checker.safe_substitute(target, flags, Catalog([target, *cands]), **kw)
    return got.name if got is not None else None


SQUAT = ex("Target Squat", secondary_muscles=["glutes"])


def test_swap_same_pattern_and_muscle_beats_a_loadable_lift_of_a_lower_tier() -> None:
    air = ex("Air Squat", equipment=None)  # squat + quadriceps: tier 0, but body weight
    hip = ex("Hip Squat", primary=("glutes",))  # squat, no shared primary: tier 1
    lunge = ex("Quad Lunge", "lunge")  # another pattern, shared primary: tier 2
    assert swap(SQUAT, air, hip, lunge) == "Air Squat"
    # same pattern alone (tier 1) still beats another pattern (tier 2), loadable or not
    assert swap(SQUAT, ex("Hip Squat", primary=("glutes",), equipment=None), lunge) == "Hip Squat"


def test_swap_prefers_what_the_athlete_likes() -> None:
    flags = checker.AthleteFlags(constraint_regions=set(), equipment=None, liked={"B Squat"})
    assert swap(SQUAT, ex("A Squat"), ex("B Squat"), flags=flags) == "B Squat"


def test_swap_puts_expert_lifts_last() -> None:
    # the catalog ranks the expert one first (no spinal load against low), the swap's key puts it last
    expert = ex("A Squat", level="expert")
    plain = ex("B Squat", spinal="low")
    assert swap(SQUAT, expert, plain) == "B Squat"


@pytest.mark.parametrize("equipment", ["barbell", "dumbbell", "machine", "cable", "kettlebells", "e-z curl bar"])
def test_swap_prefers_a_loadable_lift_to_body_weight(equipment: str) -> None:
    target = ex("Target Press", "horizontal_push", ("chest",), equipment="bands")
    assert swap(target, ex("Alpha Press", "horizontal_push", ("chest",), equipment=None),
                ex("Beta Press", "horizontal_push", ("chest",), equipment=equipment)) == "Beta Press"


def test_swap_keeps_free_weights_together() -> None:
    # a barbell lift: a dumbbell swap (free weight) before a machine; a machine lift: no such family
    row = ("middle back",)
    assert swap(ex("Target Row", "horizontal_pull", row, equipment="barbell"),
                ex("Alpha Row", "horizontal_pull", row, equipment="machine"),
                ex("Beta Row", "horizontal_pull", row, equipment="dumbbell")) == "Beta Row"
    assert swap(ex("Target Row", "horizontal_pull", row, equipment="machine"),
                ex("Alpha Row", "horizontal_pull", row, equipment="cable"),
                ex("Beta Row", "horizontal_pull", row, equipment="barbell")) == "Alpha Row"


def test_swap_puts_explosive_lifts_last_and_never_swaps_one_in_for_a_strength_lift() -> None:
    clean = ex("Power Clean", "hinge", ("hamstrings",))
    assert swap(clean, ex("Hang Clean", "hinge", ("hamstrings",)), ex("High Pull", "hinge", ("hamstrings",))) == "High Pull"
    assert swap(SQUAT, ex("Jump Squat")) is None


PRESS = ex("Target Press", "horizontal_push", ("chest", "shoulders"))


def test_swap_pattern_rules() -> None:
    overhead = ex("Overhead Press", "vertical_push", ("shoulders",))
    assert swap(PRESS, overhead) == "Overhead Press"  # another compound pattern may stand in
    assert swap(PRESS, overhead, same_pattern=True) is None
    assert swap(PRESS, ex("Dumbbell Press", "horizontal_push", ("chest",)), same_pattern=True) == "Dumbbell Press"
    # not an expert lift of another pattern, nor an isolation lift for a compound one, nor the other way round
    assert swap(PRESS, ex("Handstand Push-Up", "vertical_push", ("shoulders",), level="expert")) is None
    assert swap(PRESS, ex("Cable Fly", "isolation", ("chest",))) is None
    assert swap(ex("Target Fly", "isolation", ("chest",)), ex("Push Up", "horizontal_push", ("chest",))) is None


def test_swap_skips_excluded_lifts() -> None:
    assert swap(SQUAT, ex("A Squat"), ex("B Squat"), exclude=["A Squat"]) == "B Squat"


# hip: low stress for a press (neither (hip, horizontal_push) pair is graded), so a hip-tagged press is a fallback
HIP_PRESS = ex("Alpha Press", "horizontal_push", ("chest",), joints=("hip",))
FREE_PRESS = ex("Beta Press", "horizontal_push", ("chest",), joints=("elbow", "wrist"))


def test_swap_spares_the_regions_first_then_accepts_light_load() -> None:
    # Alpha has fewer joints, so the catalog ranks it first; it loads the hip (lightly), Beta does not
    assert swap(PRESS, HIP_PRESS, FREE_PRESS, extra_regions=["hip"]) == "Beta Press"
    assert swap(PRESS, HIP_PRESS, extra_regions=["hip"]) == "Alpha Press"
    # the fallback still skips what is excluded
    assert swap(PRESS, HIP_PRESS, ex("Gamma Press", "horizontal_push", ("chest",), joints=("hip",)),
                extra_regions=["hip"], exclude=["Alpha Press"]) == "Gamma Press"


def test_swap_fallback_still_avoids_a_lower_back_joint() -> None:
    flags = checker.AthleteFlags(constraint_regions={"lower_back"}, equipment=None)
    back = ex("Alpha Press", "horizontal_push", ("chest",), joints=("lower_back",))  # low: no spinal load
    hip = ex("Beta Press", "horizontal_push", ("chest",), joints=("hip",))
    assert swap(PRESS, back, hip, flags=flags, extra_regions=["hip"]) == "Beta Press"


def test_swap_uses_only_the_equipment_at_hand() -> None:
    barbell = ex("Alpha Press", "horizontal_push", ("chest",))
    dumbbell = ex("Beta Press", "horizontal_push", ("chest",), equipment="dumbbell")
    kit = checker.AthleteFlags(constraint_regions=set(), equipment={"dumbbell", "body only"})
    assert swap(PRESS, barbell, dumbbell) == "Alpha Press"  # same equipment as the target
    assert swap(PRESS, barbell, dumbbell, flags=kit) == "Beta Press"
    assert swap(PRESS, barbell, dumbbell, equipment=["dumbbell"]) == "Beta Press"
    # and in the fallback
    hip_bar = ex("Alpha Press", "horizontal_push", ("chest",), joints=("hip",))
    hip_db = ex("Beta Press", "horizontal_push", ("chest",), equipment="dumbbell", joints=("hip",))
    assert swap(PRESS, hip_bar, hip_db, flags=kit, extra_regions=["hip"]) == "Beta Press"


def test_swap_looks_past_the_first_ten_candidates() -> None:
    # eleven equal presses; the first ten excluded: the eleventh is found (the catalog lists 60, then 120)
    presses = [ex(f"C{i:02d} Press", "horizontal_push", ("chest",)) for i in range(11)]
    liked = checker.AthleteFlags(constraint_regions=set(), equipment=None, liked={"B Press"})
    # a liked press loading the hip lightly: no swap while a press sparing the hip is left, the pick after that
    hip_b = ex("B Press", "horizontal_push", ("chest",), joints=("hip",))
    assert swap(PRESS, *presses, hip_b, flags=liked, extra_regions=["hip"],
                exclude=[p.id for p in presses[:10]]) == "C10 Press"
    hip_squats = [ex(f"C{i:02d} Press", "horizontal_push", ("chest",), joints=("hip",)) for i in range(11)]
    assert swap(PRESS, *hip_squats, extra_regions=["hip"], exclude=[s.id for s in hip_squats[:10]]) == "C10 Press"


# --- trimming volume, by hand -----------------------------------------------------------------------
# Biceps curls (isolation: one biceps set a set), a row and a chin-up (compound: half a biceps set a set, as the
# secondary muscle) and a squat. The recent weekly means are given directly (recent_weeks replaced), so each
# target is worked out from the rule: the level's top (25 for an intermediate), or, with a recent mean of at least
# 2 sets, min(top, max(mean x (1 + max_jump), mean + 2)).

def _trim_catalog():
    from peri.log.catalog import Catalog

    curls = [ex(f"Curl {c}", "isolation", ("biceps",), equipment="dumbbell") for c in "ABCDE"]
    row = ex("Row", "horizontal_pull", ("middle back",), secondary_muscles=["biceps"])
    chin = ex("Chin", "vertical_pull", ("lats",), equipment=None, secondary_muscles=["biceps"])
    return Catalog([*curls, row, chin, ex("Squat")])


TRIM_CATALOG = _trim_catalog()


def week(**sets: float):
    from types import SimpleNamespace

    return SimpleNamespace(sets_per_muscle={m.replace("_", " "): n for m, n in sets.items()})


def days(*day_sets: dict[str, int]):
    from peri.plans.schema import Plan, PlanDay, Prescription

    return Plan(days=[PlanDay(name=f"Day {i + 1}", exercises=[
        Prescription(exercise=name, sets=n, reps_low=10, reps_high=10) for name, n in d.items()])
        for i, d in enumerate(day_sets)])


def sets_of(plan) -> list[dict[str, int]]:
    return [{p.exercise: p.sets for p in d.exercises} for d in plan.days]


def trim(monkeypatch, plan, weeks=(), max_jump: float = 0.2):
    import datetime as dt

    from peri.log.context import AthleteContext
    from peri.log.models import Athlete

    monkeypatch.setattr(checker, "recent_weeks", lambda ctx, catalog, n=4: list(weeks))
    ctx = AthleteContext(athlete=Athlete(name="t"), sessions=[], annotations=[], as_of=dt.date(2026, 3, 2))
    return sets_of(checker._trim_volume(plan, ctx, TRIM_CATALOG, max_jump))


@pytest.mark.parametrize("before, after", [
    # 26 biceps sets, top 25: factor 25/26; 10 -> round(9.6) = 10 kept, so one set off: 9; 6 -> round(5.8) = 6: 5
    ({"Curl A": 10, "Curl B": 10, "Curl C": 6}, {"Curl A": 9, "Curl B": 9, "Curl C": 5}),
    # exactly 25: nothing to trim
    ({"Curl A": 10, "Curl B": 10, "Curl C": 5}, {"Curl A": 10, "Curl B": 10, "Curl C": 5}),
    # 31: factor 25/31; 10 -> round(8.06) = 8; a single set stays a single set: 25
    ({"Curl A": 10, "Curl B": 10, "Curl C": 10, "Curl D": 1}, {"Curl A": 8, "Curl B": 8, "Curl C": 8, "Curl D": 1}),
    # 32: factor 25/32; 10 -> round(7.8) = 8; 2 -> round(1.56) = 2 kept, so one off: 1
    ({"Curl A": 10, "Curl B": 10, "Curl C": 10, "Curl D": 2}, {"Curl A": 8, "Curl B": 8, "Curl C": 8, "Curl D": 1}),
    # an exercise the catalog does not know is left as it is
    ({"Curl A": 10, "Curl B": 10, "Curl C": 6, "Mystery Move": 3},
     {"Curl A": 9, "Curl B": 9, "Curl C": 5, "Mystery Move": 3}),
])
def test_trim_to_the_top_of_the_range(monkeypatch, before, after) -> None:
    assert trim(monkeypatch, days(before)) == [after]


def test_trim_takes_as_many_passes_as_it_needs(monkeypatch) -> None:
    # recent mean 15 -> target max(18, 17) = 18. 24 sets: factor 0.75, each 6 -> round(4.5) = 5 (20, still over);
    # second pass factor 0.9, 5 -> round(4.5) = 5 kept, so 4 each: 16
    plan = days({"Curl A": 6, "Curl B": 6, "Curl C": 6, "Curl D": 6})
    assert trim(monkeypatch, plan, [week(biceps=15), week(biceps=15)]) == [
        {"Curl A": 4, "Curl B": 4, "Curl C": 4, "Curl D": 4}]


@pytest.mark.parametrize("weeks, before, after", [
    # mean 20: target max(24, 22) = 24 -> 23 sets stay
    ([week(biceps=20)], {"Curl A": 10, "Curl B": 10, "Curl C": 3}, {"Curl A": 10, "Curl B": 10, "Curl C": 3}),
    # mean 5: target max(6, 7) = 7 -> 7 stay, 8 go to 3 + 3 (factor 7/8: 4 -> round(3.5) = 4 kept, so 3)
    ([week(biceps=5)], {"Curl A": 4, "Curl B": 3}, {"Curl A": 4, "Curl B": 3}),
    ([week(biceps=5)], {"Curl A": 4, "Curl B": 4}, {"Curl A": 3, "Curl B": 3}),
    # mean exactly 2: target max(2.4, 4) = 4 -> 6 sets, factor 2/3: 3 -> round(2) = 2
    ([week(biceps=2)], {"Curl A": 3, "Curl B": 3}, {"Curl A": 2, "Curl B": 2}),
    # mean 1.5 (3 sets, then a week without biceps): under 2, so the top of 25 -> nothing to trim
    ([week(biceps=3), week(quadriceps=9)], {"Curl A": 3, "Curl B": 3}, {"Curl A": 3, "Curl B": 3}),
    # mean 1: the same
    ([week(biceps=1)], {"Curl A": 2, "Curl B": 2}, {"Curl A": 2, "Curl B": 2}),
])
def test_trim_to_the_recent_mean_plus_the_jump(monkeypatch, weeks, before, after) -> None:
    assert trim(monkeypatch, days(before), weeks) == [after]


def test_trim_reaches_a_muscle_only_through_the_lifts_that_train_it_as_secondary(monkeypatch) -> None:
    # biceps only as the secondary of a row and a chin-up: 8 + 8 sets = 8 biceps sets; recent mean 4 -> target
    # max(4.8, 6) = 6; factor 0.75: 8 -> round(6) = 6 each (6 biceps sets). middle back and lats: no recent mean.
    assert trim(monkeypatch, days({"Row": 8, "Chin": 8}), [week(biceps=4)]) == [{"Row": 6, "Chin": 6}]
    # curls train the biceps directly: they are trimmed and the row is not (30 biceps sets: 25 from curls, 5 from
    # the row; factor 25/30: 10 -> round(8.3) = 8, 5 -> round(4.2) = 4; 8 + 8 + 4 + 5 = 25)
    assert trim(monkeypatch, days({"Row": 10, "Curl A": 10, "Curl B": 10, "Curl C": 5})) == [
        {"Row": 10, "Curl A": 8, "Curl B": 8, "Curl C": 4}]


def test_single_sets_are_dropped_when_trimming_cannot_go_lower(monkeypatch) -> None:
    # mean 2 -> target 4; five single sets: none can shrink, so the last day's last one goes
    plan = days({"Curl A": 1, "Curl B": 1, "Curl C": 1}, {"Curl D": 1, "Curl E": 1})
    assert trim(monkeypatch, plan, [week(biceps=2)]) == [{"Curl A": 1, "Curl B": 1, "Curl C": 1}, {"Curl D": 1}]


def drop(plan, weeks=(), hi: float = 25.0, max_jump: float = 0.2):
    return sets_of(checker._drop_over_volume(plan, TRIM_CATALOG, list(weeks), hi, max_jump))


@pytest.mark.parametrize("weeks, before, after", [
    # no history: the top (25). 26 biceps sets: the last single set that trains them goes (the squat does not)
    ([], [{"Curl A": 10, "Curl B": 10}, {"Curl C": 5, "Curl D": 1, "Squat": 1}],
     [{"Curl A": 10, "Curl B": 10}, {"Curl C": 5, "Squat": 1}]),
    # exactly at the top: nothing goes
    ([], [{"Curl A": 10, "Curl B": 10}, {"Curl C": 4, "Curl D": 1}], [{"Curl A": 10, "Curl B": 10}, {"Curl C": 4, "Curl D": 1}]),
    # a last day of one exercise is kept whole: the day before gives up its last single set
    ([], [{"Curl A": 10, "Curl B": 10}, {"Curl C": 1, "Curl D": 1, "Curl E": 4}, {"Squat": 1}],
     [{"Curl A": 10, "Curl B": 10}, {"Curl C": 1, "Curl E": 4}, {"Squat": 1}]),
    # the last single set of the day, not the one before it
    ([], [{"Curl A": 10, "Curl B": 10}, {"Curl C": 4, "Curl D": 1, "Curl E": 1}],
     [{"Curl A": 10, "Curl B": 10}, {"Curl C": 4, "Curl D": 1}]),
    ([], [{"Curl A": 10, "Curl B": 10}, {"Curl C": 1, "Curl D": 5}, {"Curl E": 1}],
     [{"Curl A": 10, "Curl B": 10}, {"Curl D": 5}, {"Curl E": 1}]),
    # nothing droppable (no single sets): the plan stays over
    ([], [{"Curl A": 10, "Curl B": 10, "Curl C": 10}], [{"Curl A": 10, "Curl B": 10, "Curl C": 10}]),
    # mean 20 -> target 24: 23 stay; mean 5 -> target 7: 8 lose one single set; mean 2 -> target 4
    ([week(biceps=20)], [{"Curl A": 10, "Curl B": 10, "Curl C": 2, "Curl D": 1}],
     [{"Curl A": 10, "Curl B": 10, "Curl C": 2, "Curl D": 1}]),
    ([week(biceps=5)], [{"Curl A": 3, "Curl B": 3, "Curl C": 1}], [{"Curl A": 3, "Curl B": 3, "Curl C": 1}]),
    ([week(biceps=5)], [{"Curl A": 3, "Curl B": 3, "Curl C": 1, "Curl D": 1}], [{"Curl A": 3, "Curl B": 3, "Curl C": 1}]),
    ([week(biceps=2)], [{"Curl A": 3, "Curl B": 1, "Curl C": 1}], [{"Curl A": 3, "Curl B": 1}]),
    # mean 1.5 (3, then a week without biceps), or 1: under 2, so the top of 25
    ([week(biceps=3), week(quadriceps=9)], [{"Curl A": 3, "Curl B": 1, "Curl C": 1}], [{"Curl A": 3, "Curl B": 1, "Curl C": 1}]),
    ([week(biceps=1)], [{"Curl A": 3, "Curl B": 1, "Curl C": 1}], [{"Curl A": 3, "Curl B": 1, "Curl C": 1}]),
])
def test_drop_over_volume_by_hand(weeks, before, after) -> None:
    assert drop(days(*before), weeks) == after


# --- region_stress and is_safe for guessed and flagged entries -------------------------------------

def guessed(pattern: str, joints: tuple[str, ...]):
    from peri.log.guessed_tags import GuessedEntry

    return GuessedEntry(id="guessed:x", name="X", category="strength", pattern=pattern, joints=list(joints),
                        movement="x", equipment_known=False, evidence="by hand")


@pytest.mark.parametrize("pattern, joints, region, severity", [
    ("squat", ("knee",), "knee", "high"),                        # high stays high
    ("horizontal_push", ("shoulder",), "shoulder", "high"),      # medium goes up to high
    ("isolation", ("shoulder",), "shoulder", "medium"),          # low goes up to medium
    ("isolation", (), "shoulder", None),                         # not loaded stays not loaded
])
def test_a_guessed_entry_is_graded_one_level_higher(pattern, joints, region, severity) -> None:
    assert region_stress(guessed(pattern, joints), region) == severity


@pytest.mark.parametrize("e, note, safe", [
    (entry("vertical_push", joints=("shoulder",)), None, False),    # constraint, high
    (entry("horizontal_push", joints=("shoulder",)), None, False),  # constraint, medium
    (entry("isolation", joints=("shoulder",)), None, True),         # constraint, low
    (entry("core"), "low", True),        # a note the athlete later said went well: low, still safe
    (entry("core"), "medium", False),
])
def test_is_safe_means_no_high_or_medium_safety_finding(e, note, safe) -> None:
    flags = checker.AthleteFlags(constraint_regions={"shoulder"}, equipment={"barbell", "body only"},
                                 exercises={e.id: flag(note)} if note else {})
    # equipment "bands" is missing (a low equipment finding, not a safety one)
    assert checker.is_safe(e.model_copy(update={"equipment": "bands"}), flags) is safe


# --- repair_plan on hand-made plans -----------------------------------------------------------------
# recent_weeks and recent_bests replaced by hand-written values, the flags given: what is left is the repair.

def repair(monkeypatch, plan, findings, *, catalog=None, weeks=(), top_load=None, flags=None, **kw):
    import datetime as dt

    from peri.log.context import AthleteContext
    from peri.log.models import Athlete

    monkeypatch.setattr(checker, "recent_weeks", lambda ctx, catalog, n=4: list(weeks))
    monkeypatch.setattr(checker, "recent_bests", lambda ctx, catalog, weeks=4: checker.RecentBests(
        top_load=dict(top_load or {})))
    ctx = AthleteContext(athlete=Athlete(name="t"), sessions=[], annotations=[], as_of=dt.date(2026, 3, 2))
    flags = flags or checker.AthleteFlags(constraint_regions=set(), equipment=None)
    return checker.repair_plan(plan, findings, ctx, catalog or TRIM_CATALOG, flags=flags, **kw)


def safety(code: str, severity: str, exercise: str, day: str | None = "Day 1", regions=()) -> checker.Finding:
    return checker.Finding(code=code, severity=severity, message="m", day=day, exercise=exercise, regions=list(regions))


def test_repair_uses_the_default_jump_limit(monkeypatch) -> None:
    # mean 5, jump 20 %: target max(6, 7) = 7; 8 sets -> 3 + 3 (see the trim tests)
    got = repair(monkeypatch, days({"Curl A": 4, "Curl B": 4}), [checker.Finding(code="volume_jump", severity="medium",
                                                                                 message="m", muscle="biceps")],
                 weeks=[week(biceps=5)])
    assert sets_of(got) == [{"Curl A": 3, "Curl B": 3}]


@pytest.mark.parametrize("code, severity, day, kept", [
    ("constraint_region", "medium", "Day 1", True),    # a medium joint load with no swap: kept, still reported
    ("noted_region", "medium", "Day 1", True),
    ("constraint_region", "high", "Day 1", False),     # high: dropped
    ("aggravated", "medium", "Day 1", False),          # blamed by a note: dropped
    ("unknown_exercise", "medium", "Day 1", False),    # cannot be checked: dropped
    ("constraint_region", "high", None, False),        # a finding for the whole plan applies to every day
    ("constraint_region", "low", "Day 1", True),       # low: not a repair
])
def test_repair_drops_or_keeps_a_lift_without_a_swap(monkeypatch, code, severity, day, kept) -> None:
    # the only squat of the catalog: no swap exists
    plan = days({"Squat": 3, "Curl A": 3})
    got = sets_of(repair(monkeypatch, plan, [safety(code, severity, "Squat", day)]))
    assert got == [{"Squat": 3, "Curl A": 3} if kept else {"Curl A": 3}]


def test_repair_keeps_a_day_it_would_empty(monkeypatch) -> None:
    got = repair(monkeypatch, days({"Squat": 3}), [safety("constraint_region", "high", "Squat")])
    assert sets_of(got) == [{"Squat": 3}]


def test_repair_swaps_within_the_day_without_repeating_a_lift(monkeypatch) -> None:
    plan = days({"Curl A": 3, "Curl B": 4, "Curl C": 2})
    plan.days[0].exercises[0].note = "slow eccentric"
    found = [safety("constraint_region", "medium", "Curl A"), safety("noted_region", "medium", "Curl B", day=None)]
    got = repair(monkeypatch, plan, found, top_load={"Curl E": 12.0})
    a, b, c = got.days[0].exercises
    # Curl C is in the day: A goes to D (first free by name), B to E; sets and reps kept, load from the history
    assert (a.exercise, a.sets, a.note, a.load_kg) == ("Curl D", 3, "instead of Curl A; slow eccentric", None)
    assert (b.exercise, b.sets, b.note, b.load_kg) == ("Curl E", 4, "instead of Curl B", 12.0)
    assert c.exercise == "Curl C"


def test_repair_swap_spares_the_finding_regions(monkeypatch) -> None:
    from peri.log.catalog import Catalog

    curl = ex("Curl A", "isolation", ("biceps",), equipment="dumbbell")
    elbow = ex("Curl B", "isolation", ("biceps",), equipment="dumbbell", joints=("elbow",))  # medium for the elbow
    other = ex("Curl C", "isolation", ("biceps",), equipment="dumbbell", joints=("shoulder", "wrist"))
    got = repair(monkeypatch, days({"Curl A": 3}), [safety("constraint_region", "medium", "Curl A", regions=["elbow"])],
                 catalog=Catalog([curl, elbow, other]))
    assert got.days[0].exercises[0].exercise == "Curl C"


def test_repair_brings_a_load_jump_back_to_the_recent_top(monkeypatch) -> None:
    # no effort logged: the heaviest recent load is the yardstick; 40 > 20 x 1.1 + 2.5, so back to 20
    plan = days({"curl a": 3, "Zorblax": 3})
    plan.days[0].exercises[0].load_kg = 40.0
    plan.days[0].exercises[1].load_kg = 40.0
    found = [checker.Finding(code="load_jump", severity="medium", message="m", day="Day 1", exercise=n)
             for n in ("curl a", "Zorblax")]
    got = repair(monkeypatch, plan, found, top_load={"Curl A": 20.0, "Zorblax": 30.0})
    # "curl a" is the catalog's Curl A (its history is under that name); Zorblax is known only by its own name
    assert [p.load_kg for p in got.days[0].exercises] == [20.0, 30.0]


def test_repair_drops_an_unknown_lift_nothing_replaces(monkeypatch) -> None:
    got = repair(monkeypatch, days({"Zorblax": 3, "Curl A": 3}), [safety("unknown_exercise", "medium", "Zorblax")])
    assert sets_of(got) == [{"Curl A": 3}]


def test_repair_reads_the_athletes_own_unmapped_lift_by_its_guessed_tags(monkeypatch) -> None:
    # "Mystery Squat" is the athlete's own (logged): guessed as a squat, swapped for the catalog's squat
    flags = checker.AthleteFlags(constraint_regions=set(), equipment=None, logged={"mystery squat"})
    got = repair(monkeypatch, days({"Mystery Squat": 3, "Curl A": 3}),
                 [safety("constraint_region", "high", "Mystery Squat", regions=["knee"])], flags=flags)
    assert [p.exercise for p in got.days[0].exercises] == ["Squat", "Curl A"]


# --- the load jump, on loads whose e1RM is worked by hand --------------------------------------------
# A single at RPE 10 is its own 1RM; ten reps with no effort logged: Epley 100 x (1 + 10/30) and Brzycki
# 100 x 36/27 are both 133.3 kg, so their mean is 4/3 of the load. The slack: best x 1.1 + 2.5 (112.5 for 100).

def rx(load: float | None, reps: int = 1, rpe: float | None = None, rir: int | None = None):
    from peri.plans.schema import Prescription

    return Prescription(exercise="X", sets=3, reps_low=reps, reps_high=reps, load_kg=load, rpe=rpe, rir=rir)


def bests(e1rm=None, plain=None, top=None) -> checker.RecentBests:
    return checker.RecentBests(top_load={"X": top} if top else {}, e1rm={"X": e1rm} if e1rm else {},
                               e1rm_plain={"X": plain} if plain else {})


@pytest.mark.parametrize("p, b, safer", [
    (rx(None, rpe=10), bests(e1rm=100, plain=100, top=100), None),       # no load, nothing to compare
    (rx(113, rpe=10), bests(e1rm=100), 100.0),                           # 113 > 112.5: back to 113 x 100/113
    (rx(112.5, rpe=10), bests(e1rm=100), None),                          # exactly the slack: fine
    (rx(113, rir=0), bests(e1rm=100), 100.0),                            # RIR 0 is RPE 10
    (rx(113, rpe=10), bests(e1rm=100, plain=200), 100.0),                # effort on both sides: the RPE estimates
    (rx(113), bests(e1rm=200, plain=100), 100.0),                        # no effort prescribed: the plain ones
    (rx(113, rpe=10), bests(plain=100), 100.0),                          # no RPE history: the plain ones
    (rx(90, reps=10), bests(plain=100), 75.0),                           # implied 120: 90 x 100/120 = 75
    (rx(84, reps=10), bests(plain=100), None),                           # implied 112: inside the slack
    (rx(113, reps=13), bests(plain=100, top=100), 100.0),                # past 12 reps: against the top load
    (rx(112.5, reps=13), bests(plain=100, top=100), None),
    (rx(113, reps=13), bests(plain=100), None),                          # nothing to compare with
    (rx(113, rpe=10), bests(top=100), 100.0),                            # no e1RM logged: the top load
    (rx(112.5, rpe=10), bests(top=100), None),
    # 40 x 1.1 + 2.5 = 46.5, exact in binary floating point (100 x 1.1 is not): the slack itself is fine
    (rx(46.5, rpe=10), bests(e1rm=40), None),
    (rx(47, rpe=10), bests(e1rm=40), 40.0),
    (rx(46.5, reps=13), bests(top=40), None),
    # effort prescribed but none logged: the plan is read without its RPE too. 100 x 5 @ 8 would be 123.3 by the
    # RPE table (over 105 x 1.1 + 2.5 = 118), but plain it is (116.7 + 112.5) / 2 = 114.6: fine
    (rx(100, reps=5, rpe=8), bests(plain=105), None),
])
def test_load_jump_by_hand(p, b, safer) -> None:
    assert checker._load_jump(p, "X", b) == safer


def test_implied_e1rm_by_hand() -> None:
    assert checker.implied_e1rm(rx(None, rpe=10)) is None
    assert checker.implied_e1rm(rx(100, rpe=10)) == pytest.approx(100.0)
    assert checker.implied_e1rm(rx(100, rir=1)) == pytest.approx(100 / 0.955)  # RPE 9 single: 95.5 % in the table
    assert checker.implied_e1rm(rx(100, reps=10, rpe=10), use_rpe=False) == pytest.approx(400 / 3)
    assert checker.implied_e1rm(rx(100, reps=10)) == pytest.approx(400 / 3)


# --- weekly sets of a plan, and the volume findings ---------------------------------------------------

def test_plan_sets_per_muscle_by_hand() -> None:
    from peri.log.catalog import Catalog

    row = ex("Row", "horizontal_pull", ("middle back",), secondary_muscles=["biceps", "middle back"])
    curl = ex("Curl", "isolation", ("biceps",), secondary_muscles=["forearms"])  # isolation: no secondary count
    plan = days({"Row": 4, "Curl": 3, "Zorblax": 5})
    # row: 4 middle back (its secondary middle back not counted twice), 2 biceps; curl: 3 biceps; Zorblax unknown
    assert checker.plan_sets_per_muscle(plan, Catalog([row, curl])) == {"middle back": 4.0, "biceps": 5.0}


def volume(plan, weeks, *, level=None, scenario=None, max_jump=0.2):
    import datetime as dt

    from peri.log.context import AthleteContext
    from peri.log.models import Athlete, Level
    from peri.plans.schema import Scenario

    athlete = Athlete(name="t", level=level or Level.intermediate)
    ctx = AthleteContext(athlete=athlete, sessions=[], annotations=[], as_of=dt.date(2026, 3, 2))
    found = checker._volume_findings(plan, ctx, TRIM_CATALOG, list(weeks), scenario or Scenario.normal, max_jump)
    return sorted((f.code, f.muscle, f.severity) for f in found)


def curls(n: int) -> dict[str, int]:
    """`n` biceps sets as curls of at most 10 sets each (Curl A, B, ...)."""
    return {f"Curl {c}": min(10, n - 10 * i) for i, c in enumerate("ABCDE") if n > 10 * i}


def test_volume_high_at_exactly_one_and_a_half_times_the_top_is_medium() -> None:
    # 37 curl sets and half a biceps set from one set of rows: 37.5 = 1.5 x 25, not past it
    assert volume(days({**curls(37), "Row": 1}), []) == [("volume_high", "biceps", "medium")]


@pytest.mark.parametrize("sets, found", [
    (25, []),                                          # the top itself is fine
    (26, [("volume_high", "biceps", "medium")]),
    (37, [("volume_high", "biceps", "medium")]),       # up to 1.5 x 25 = 37.5: medium
    (38, [("volume_high", "biceps", "high")]),
])
def test_volume_high_by_hand(sets, found) -> None:
    assert volume(days(curls(sets)), []) == found


def test_volume_high_for_a_beginner_is_over_20() -> None:
    from peri.log.models import Level

    assert volume(days({"Curl A": 10, "Curl B": 10}), [], level=Level.beginner) == []
    assert volume(days({"Curl A": 10, "Curl B": 10, "Curl C": 1}), [], level=Level.beginner) == [
        ("volume_high", "biceps", "medium")]


@pytest.mark.parametrize("weeks, sets, severity", [
    ([week(biceps=4), week(biceps=6)], 7, "medium"),   # mean 5: 7 > 6 and 2 more
    ([week(biceps=4), week(biceps=6)], 6, None),       # 6 is not over 5 x 1.2
    ([week(biceps=10)], 12, None),                     # +20 % exactly
    ([week(biceps=10)], 13, "medium"),
    ([week(biceps=10)], 20, "high"),                   # doubled and +10
    ([week(biceps=5)], 10, "medium"),                  # doubled but only +5
    ([week(biceps=6)], 12, "high"),                    # doubled and +6 exactly
    ([week(biceps=9)], 15, "medium"),                  # +6 but not doubled
    ([week(biceps=2)], 5, "medium"),                   # a mean of exactly 2 counts
    ([week(biceps=3), week(quadriceps=9)], 10, None),  # mean 1.5 (a week without biceps counts as 0): too little to judge
    ([week(biceps=1)], 10, None),
    ([], 10, None),                                    # no history
])
def test_volume_jump_by_hand(weeks, sets, severity) -> None:
    plan = days(curls(sets))
    jumps = [s for c, m, s in volume(plan, weeks) if c == "volume_jump" and m == "biceps"]
    assert jumps == ([severity] if severity else [])


def test_volume_jump_limit_is_a_knob() -> None:
    # mean 10, 13 sets: +30 %; over a 20 % limit, not over a 50 % one
    plan = days({"Curl A": 10, "Curl B": 3})
    assert [c for c, m, s in volume(plan, [week(biceps=10)], max_jump=0.5) if m == "biceps"] == []


@pytest.mark.parametrize("mean, planned, scenario, low", [
    (5, 3, "normal", True),      # a major muscle trained 5 a week recently, 3 planned: under the bottom of 4
    (4, 3, "normal", True),      # trained exactly the bottom
    (3, 3, "normal", False),     # trained under the bottom anyway: no finding
    (5, 4, "normal", False),     # the bottom itself is fine
    (5, 3, "deload", False),     # a deload, injury or travel week may be light
    (5, 3, "injury", False),
    (5, 3, "travel", False),
    (5, 3, "peaking", True),
])
def test_volume_low_by_hand(mean, planned, scenario, low) -> None:
    from peri.plans.schema import Scenario

    plan = days({"Squat": planned})
    found = volume(plan, [week(quadriceps=mean)], scenario=Scenario(scenario))
    assert (("volume_low", "quadriceps", "low") in found) is low
    # lats, middle back...: never trained, never low
    assert all(m == "quadriceps" for c, m, s in found if c == "volume_low")


def test_volume_low_needs_history() -> None:
    assert volume(days({"Squat": 1}), []) == []


# --- exercise_findings on hand-made flags ---------------------------------------------------------------

def note(severity: str, text: str = "it hurt", regions=(), via: str | None = None) -> checker.NoteFlag:
    import datetime as dt

    return checker.NoteFlag(severity, text, dt.date(2026, 1, 1), list(regions), via=via)


def found(name, e, flags, day="Mon"):
    out = checker.exercise_findings(name, e, flags, day)
    assert all(f.day == day and f.exercise == name for f in out)
    return [(f.code, f.severity, f.regions, f.message) for f in out]


def no_flags(**kw) -> checker.AthleteFlags:
    return checker.AthleteFlags(constraint_regions=kw.pop("constraints", set()), equipment=kw.pop("equipment", None), **kw)


def test_findings_for_an_exercise_nobody_can_place() -> None:
    assert found("Zorblax", None, no_flags(names={"zorblax": note("high", "zorblax hurt", ["knee"])})) == [
        ("aggravated", "high", ["knee"], "your note of 2026-01-01: 'zorblax hurt'")]
    assert found("Zorblax", None, no_flags(logged={"zorblax"})) == [
        ("unknown_exercise", "low", [], "'Zorblax' is your own exercise but neither the catalog nor its words say what "
                                        "it loads, so it cannot be checked")]
    assert found("Zorblax", None, no_flags()) == [
        ("unknown_exercise", "medium", [], "'Zorblax' is not in the exercise catalog, so it cannot be checked")]


def test_constraint_findings_by_region_in_order() -> None:
    press = entry("vertical_push", spinal="moderate", joints=("shoulder",))
    flags = no_flags(constraints={"shoulder", "lower_back", "knee"})
    assert found("X", press, flags) == [
        ("constraint_region", "medium", ["lower_back"], "stresses your lower back constraint (moderate spinal load)"),
        ("constraint_region", "high", ["shoulder"], "stresses your shoulder constraint (vertical_push loads the shoulder)"),
    ]
    assert found("X", entry("isolation", joints=("shoulder",)), flags) == []  # low: no finding


def test_guessed_entry_findings_say_so() -> None:
    g = guessed("isolation", ("shoulder",))  # low, read one level up: medium
    got = found("X", g, no_flags(constraints={"shoulder"}))
    assert got == [
        ("guessed_tags", "low", [], "'X' is not in the catalog; checked with tags by hand (read as the worse case)"),
        ("constraint_region", "medium", ["shoulder"], "stresses your shoulder constraint (isolation loads the shoulder; "
                                                      "tags guessed from its name, read as the worse case)"),
    ]
    got = found("X", g, no_flags(regions={"shoulder": note("medium", "sore")}))
    assert got[1] == ("noted_region", "medium", ["shoulder"],
                      "loads your shoulder (tags guessed from its name, read as the worse case); your note of 2026-01-01: 'sore'")


def test_note_findings_name_the_variant() -> None:
    e = entry("squat", joints=("knee",))
    assert found("X", e, no_flags(exercises={"x": note("medium", "ouch", ["knee"], via="Back Squat")})) == [
        ("aggravated", "medium", ["knee"], "your note of 2026-01-01 (a close variant of Back Squat): 'ouch'")]
    assert found("X", e, no_flags(exercises={"x": note("low", "ouch")})) == [
        ("aggravated", "low", [], "your note of 2026-01-01: 'ouch'")]


@pytest.mark.parametrize("pattern, severity, expected", [
    ("squat", "medium", "medium"),   # high stress, a medium note: the milder, medium
    ("squat", "low", "low"),         # an old note: low
    ("hinge", "medium", "medium"),   # (knee, hinge) is medium stress
    ("other", "medium", None),       # low stress: no finding
])
def test_noted_region_findings_take_the_milder_severity(pattern, severity, expected) -> None:
    e = entry(pattern, joints=("knee",))
    got = found("X", e, no_flags(regions={"knee": note(severity, "knees ache")}))
    assert got == ([("noted_region", expected, ["knee"], "loads your knee; your note of 2026-01-01: 'knees ache'")]
                   if expected else [])
    # a region that is also a constraint is reported once, as the constraint
    assert [c for c, *_ in found("X", e, no_flags(constraints={"knee"}, regions={"knee": note(severity)}))] == (
        ["constraint_region"] if pattern in ("squat", "hinge") else [])


def test_equipment_finding() -> None:
    kit = {"barbell", "body only"}
    assert found("X", entry(equipment="dumbbell"), no_flags(equipment=kit)) == [
        ("equipment", "low", [], "needs dumbbell, which is not in your equipment list")]
    assert found("X", entry(equipment="barbell"), no_flags(equipment=kit)) == []
    assert found("X", entry(), no_flags(equipment=kit)) == []  # no equipment: body weight
    assert found("X", entry(equipment="dumbbell"), no_flags()) == []  # no list: anything goes


# --- athlete_flags from hand-made logs -------------------------------------------------------------------

AS_OF = __import__("datetime").date(2026, 3, 2)  # a Monday


def session(day: int, *names: str, ids: bool = True):
    """A session `day` days before AS_OF, one set of each exercise (by catalog id when `ids`)."""
    import datetime as dt

    from peri.log.models import Session, WorkoutSet

    when = dt.datetime.combine(AS_OF - dt.timedelta(days=day), dt.time(18))
    return Session(started_at=when, name="S", sets=[
        WorkoutSet(exercise=n, exercise_id=n if ids else None, weight_kg=20, reps=10) for n in names])


def pain(day: int, text: str = "ouch", exercise=None, exercise_id=None, tags=("pain",), regions=()):
    import datetime as dt

    from peri.log.models import Annotation

    return Annotation(date=AS_OF - dt.timedelta(days=day), text=text, exercise=exercise, exercise_id=exercise_id,
                      tags=list(tags), regions=list(regions))


def flags_of(sessions=(), annotations=(), **athlete) -> checker.AthleteFlags:
    from peri.log.context import AthleteContext
    from peri.log.models import Athlete

    ctx = AthleteContext(athlete=Athlete(name="t", **athlete), sessions=list(sessions), annotations=list(annotations),
                         as_of=AS_OF)
    return checker.athlete_flags(ctx, TRIM_CATALOG)


def sev(flags: checker.AthleteFlags) -> dict[str, tuple[str, str | None]]:
    return {k: (v.severity, v.via) for k, v in flags.exercises.items()}


def test_flags_profile() -> None:
    f = flags_of(constraint_regions=["knee"], equipment=["Barbell", "Dumbbell"])
    assert f.constraint_regions == {"knee"} and f.equipment == {"barbell", "dumbbell", "body only"}
    assert flags_of(equipment=[]).equipment is None


def test_flags_from_a_note_on_an_exercise_and_its_variants() -> None:
    f = flags_of(annotations=[pain(10, exercise="Curl A", exercise_id="Curl A", regions=["elbow"])])
    # the curls are one another's close variants (same pattern and muscle, no joints)
    assert sev(f) == {"Curl A": ("high", None), **{f"Curl {c}": ("high", "Curl A") for c in "BCDE"}}
    assert f.exercises["Curl A"].regions == ["elbow"] and f.names == {} and f.regions == {}


@pytest.mark.parametrize("kw", [{"exercise": "Curl A"}, {"exercise_id": "Curl A"}, {"exercise": "", "exercise_id": "Curl A"}])
def test_flags_the_exercise_a_note_names_by_name_or_id(kw) -> None:
    assert sev(flags_of(annotations=[pain(10, **kw)]))["Curl A"] == ("high", None)


def test_flags_an_exercise_the_catalog_cannot_place_by_its_name() -> None:
    f = flags_of(annotations=[pain(10, exercise="Zorblax")])
    assert {k: v.severity for k, v in f.names.items()} == {"zorblax": "high"} and f.exercises == {}
    f = flags_of(annotations=[pain(400, exercise="Zorblax")])
    assert {k: v.severity for k, v in f.names.items()} == {"zorblax": "medium"}


@pytest.mark.parametrize("days_ago, severity", [(365, "high"), (366, "medium")])
def test_flags_a_note_over_a_year_old_as_medium(days_ago, severity) -> None:
    assert sev(flags_of(annotations=[pain(days_ago, exercise_id="Row")]))["Row"] == (severity, None)


def test_flags_a_later_good_note_resolves_a_bad_one() -> None:
    bad, good = pain(20, exercise_id="Row"), pain(10, exercise_id="Row", tags=("worked",))
    f = flags_of(annotations=[good, bad])  # read in date order, whatever the list's order
    assert sev(f)["Row"] == ("low", None) and f.liked == {"Row"}
    # the good note first: the bad one stands, and the lift is no longer liked
    f = flags_of(annotations=[pain(20, exercise_id="Row", tags=("felt_strong",)), pain(10, exercise_id="Row")])
    assert sev(f)["Row"] == ("high", None) and f.liked == set()
    # a note that is neither (a plain session remark) changes nothing
    assert sev(flags_of(annotations=[pain(10, exercise_id="Row", tags=("tired",))])) == {}


def test_flags_a_region_named_without_an_exercise() -> None:
    f = flags_of(annotations=[pain(10, "knees ache", regions=["knee"])])
    assert {k: v.severity for k, v in f.regions.items()} == {"knee": "medium"} and f.exercises == {}
    f = flags_of(annotations=[pain(400, "knees ache", regions=["knee"])])
    assert {k: v.severity for k, v in f.regions.items()} == {"knee": "low"}


def test_flags_read_the_notes_words_on_that_day_first() -> None:
    # day 10: a row and a squat; day 3: a squat. "the row and the squat hurt" on day 3 names only that day's squat
    sessions = [session(10, "Row", "Squat"), session(3, "Squat")]
    f = flags_of(sessions, [pain(3, "the row and the squat hurt")])
    assert sev(f) == {"Squat": ("high", None)}
    # on a day without a session, the whole history's lifts: both
    f = flags_of(sessions, [pain(5, "the row and the squat hurt")])
    assert sev(f) == {"Squat": ("high", None), "Row": ("high", None)}


def test_flags_frequent_and_logged() -> None:
    sessions = [session(3, "Row", "Squat"), session(10, "Row", "Squat"), session(17, "Row"), session(50, "Chin"),
                session(57, "Chin"), session(60, "Chin"), session(5, "Curl A", ids=False), session(30, "Curl B")]
    f = flags_of(sessions)
    # in the last 8 weeks (from 56 days back): Row 3 sessions, Squat 2, Chin 1 (day 50; days 57 and 60 are
    # older), Curl B 1: twice or more is frequent; a set with no id is not counted
    assert f.frequent == ["Row", "Squat"]
    assert flags_of([*sessions, session(56, "Chin")]).frequent == ["Row", "Squat", "Chin"]
    assert f.logged == {"row", "squat", "chin", "curl a", "curl b"}


# --- check_plan: days, deload and the findings' order, with recent weeks given by hand ------------------

def weekly(hard_sets: int, avg_rpe: float | None = None, **muscles: float):
    from types import SimpleNamespace

    return SimpleNamespace(hard_sets=hard_sets, avg_rpe=avg_rpe,
                           sets_per_muscle={m.replace("_", " "): n for m, n in muscles.items()})


def check(monkeypatch, plan, weeks=(), scenario=None, top_load=None, sessions=(), max_jump=0.2, **athlete):
    import datetime as dt

    from peri.log.context import AthleteContext
    from peri.log.models import Athlete

    monkeypatch.setattr(checker, "recent_weeks", lambda ctx, catalog, n=4: list(weeks))
    monkeypatch.setattr(checker, "recent_bests", lambda ctx, catalog, weeks=4: checker.RecentBests(
        top_load=dict(top_load or {})))
    ctx = AthleteContext(athlete=Athlete(name="t", **athlete), sessions=list(sessions), annotations=[],
                         as_of=dt.date(2026, 3, 2))
    return checker.check_plan(plan, ctx, TRIM_CATALOG, scenario, max_jump=max_jump)


def codes(result) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in result.findings]


@pytest.mark.parametrize("n_days, kind, expected", [
    (2, "stated", []),
    (3, "stated", [("too_many_days", "medium", "3 training days; you train 2 a week")]),
    (4, "stated", [("too_many_days", "high", "4 training days; you train 2 a week")]),
    (3, "derived", [("too_many_days", "medium", "3 training days; your log shows ~2 training days a week")]),
    (4, "unknown", []),   # an unknown frequency is no yardstick
])
def test_too_many_days(monkeypatch, n_days, kind, expected) -> None:
    from peri.log.models import FieldSource

    plan = days(*[{"Curl A": 2}] * n_days)
    result = check(monkeypatch, plan, days_per_week=2, sources={"days_per_week": FieldSource(kind=kind)})
    assert [(f.code, f.severity, f.message) for f in result.findings if f.code == "too_many_days"] == expected


@pytest.mark.parametrize("planned, severity", [
    (16, None),       # 80 % of the recent 20 hard sets: light enough
    (17, "medium"),
    (19, "medium"),
    (20, "high"),     # not lower at all
])
def test_deload_volume_by_hand(monkeypatch, planned, severity) -> None:
    from peri.plans.schema import Scenario

    result = check(monkeypatch, days(curls(planned)), [weekly(18), weekly(22)], scenario=Scenario.deload)
    got = [(f.severity, f.message) for f in result.findings if f.code == "deload_volume"]
    assert got == ([(severity, f"a deload with {planned} hard sets vs your recent 20 a week")] if severity else [])


@pytest.mark.parametrize("rpe, rir, flagged", [
    (7.0, None, False),   # recent RPE 8 (7.5 and 8.5): a deload must be at most 7
    (7.5, None, True),
    (None, 3, False),     # RIR 3 is RPE 7
    (None, 2, True),
    (None, None, False),  # no effort prescribed: nothing to compare
])
def test_deload_intensity_by_hand(monkeypatch, rpe, rir, flagged) -> None:
    from peri.plans.schema import Plan, PlanDay, Prescription, Scenario

    plan = Plan(scenario=Scenario.deload, days=[PlanDay(name="A", exercises=[
        Prescription(exercise="Curl A", sets=1, reps_low=10, reps_high=10, rpe=rpe, rir=rir)])])
    # the scenario is the plan's own when none is given
    result = check(monkeypatch, plan, [weekly(20, 7.5), weekly(20, 8.5), weekly(20, None)])
    got = [(f.severity, f.message) for f in result.findings if f.code == "deload_intensity"]
    effort = rpe if rpe is not None else 10 - rir if rir is not None else None
    assert got == ([("medium", f"a deload at RPE {effort:.1f} vs your recent 8.0")] if flagged else [])


def test_deload_checks_need_history_and_a_deload(monkeypatch) -> None:
    from peri.plans.schema import Scenario

    heavy = days(curls(20))
    assert not [c for c, _ in codes(check(monkeypatch, heavy, [], scenario=Scenario.deload)) if c.startswith("deload")]
    assert not [c for c, _ in codes(check(monkeypatch, heavy, [weekly(20, 9.0)], scenario=Scenario.normal))
                if c.startswith("deload")]
    # no RPE logged recently: only the volume is judged
    got = codes(check(monkeypatch, heavy, [weekly(20, None)], scenario=Scenario.deload))
    assert [c for c, _ in got if c.startswith("deload")] == ["deload_volume"]


def test_findings_worst_first_and_a_repair_only_for_high_or_medium(monkeypatch) -> None:
    from peri.log.models import FieldSource

    # Zorblax: unknown, medium; too many days: high; equipment: low
    plan = days({"Curl A": 2, "Zorblax": 2}, {"Curl A": 2}, {"Curl A": 2}, {"Curl A": 2})
    result = check(monkeypatch, plan, days_per_week=2, equipment=["barbell"],
                   sources={"days_per_week": FieldSource(kind="stated")})
    assert [s for _, s in codes(result)] == ["high", "medium", "low", "low", "low", "low"]
    assert result.repaired is not None and "Zorblax" not in result.repaired.exercise_names()
    low_only = check(monkeypatch, days({"Curl A": 2}), equipment=["barbell"])
    assert codes(low_only) == [("equipment", "low")] and low_only.repaired is None


def test_load_jump_finding_and_its_repair(monkeypatch) -> None:
    plan = days({"Curl A": 3})
    plan.days[0].exercises[0].load_kg = 40.0
    result = check(monkeypatch, plan, top_load={"Curl A": 20.0})
    jumps = [(f.severity, f.day, f.exercise, f.message) for f in result.findings if f.code == "load_jump"]
    assert jumps == [("medium", "Day 1", "Curl A", "40 kg for 10 reps is well beyond what you showed in the last 4 "
                                                   "weeks (about 20 kg fits)")]
    assert result.repaired.days[0].exercises[0].load_kg == 20.0


# --- repair of deload findings, by hand ------------------------------------------------------------------

def deload_repair(monkeypatch, plan, code, weeks):
    return repair(monkeypatch, plan, [checker.Finding(code=code, severity="medium", message="m")], weeks=weeks)


def test_deload_volume_repair_scales_to_60_percent_of_recent(monkeypatch) -> None:
    # recent 20 hard sets a week: target 12 of the plan's 16, factor 0.75: 8 -> round(6) = 6 each
    got = deload_repair(monkeypatch, days({"Curl A": 8, "Curl B": 8}), "deload_volume", [weekly(18), weekly(22)])
    assert sets_of(got) == [{"Curl A": 6, "Curl B": 6}]
    # no recent weeks: nothing to scale to
    assert sets_of(deload_repair(monkeypatch, days({"Curl A": 8}), "deload_volume", [])) == [{"Curl A": 8}]


def test_only_volume_findings_trim_volume(monkeypatch) -> None:
    # 26 biceps sets, over the top of 25, but the finding is a deload's intensity: the sets stay
    got = deload_repair(monkeypatch, days(curls(26)), "deload_intensity", [])
    assert sum(p.sets for p in got.days[0].exercises) == 26


def effort_plan():
    from peri.plans.schema import Plan, PlanDay, Prescription

    def p(name, **kw):
        return Prescription(exercise=name, sets=2, reps_low=10, reps_high=10, **kw)

    return Plan(days=[PlanDay(name="Day 1", exercises=[p("Curl A", rpe=8.0), p("Curl B", rpe=6.0), p("Curl C", rir=1),
                                                       p("Curl D")])])


@pytest.mark.parametrize("weeks, cap, rir", [
    # recent RPE 8.5: cap 8.5 - 2 = 6.5 (on the half point); a RIR of 1 becomes at least 10 - 6.5 -> 3
    ([weekly(20, 8.5)], 6.5, 3),
    # recent 7: cap 5.0 (never under 5); RIR at least 5
    ([weekly(20, 7.0)], 5.0, 5),
    # recent 6: 4, raised to the floor of 5
    ([weekly(20, 6.0)], 5.0, 5),
    # no RPE logged: cap 6; RIR at least 4
    ([weekly(20, None)], 6.0, 4),
])
def test_deload_intensity_repair_caps_the_effort(monkeypatch, weeks, cap, rir) -> None:
    got = deload_repair(monkeypatch, effort_plan(), "deload_intensity", weeks).days[0].exercises
    # RPE 8 -> the cap; RPE 6 stays when under it; RIR -> raised; neither -> the cap as RPE
    assert [(p.rpe, p.rir) for p in got] == [(cap, None), (min(6.0, cap), None), (None, rir), (cap, None)]


# --- recent bests from a hand-made log -------------------------------------------------------------------------

def logged_set(name, kg, reps, ex_id=None, rpe=None, warmup=False, rir=None):
    from peri.log.models import SetType, WorkoutSet

    return WorkoutSet(exercise=name, exercise_id=ex_id, weight_kg=kg, reps=reps, rpe=rpe, rir=rir,
                      set_type=SetType.warmup if warmup else SetType.normal)


def on(day: int, *sets):
    """A session `day` days after Monday 2026-02-02 (AS_OF is Monday 2026-03-02, day 28)."""
    import datetime as dt

    from peri.log.models import Session

    return Session(started_at=dt.datetime.combine(dt.date(2026, 2, 2) + dt.timedelta(days=day), dt.time(18)), name="S",
                   sets=list(sets))


def bests_of(*sessions, weeks: int = 4):
    from peri.log.context import AthleteContext
    from peri.log.models import Athlete

    ctx = AthleteContext(athlete=Athlete(name="t"), sessions=list(sessions), annotations=[], as_of=AS_OF)
    return checker.recent_bests(ctx, TRIM_CATALOG, weeks)


def test_recent_bests_by_hand() -> None:
    sessions = [
        on(-7, logged_set("Row", 200, 1, "Row")),                      # the week before the last four logged: out
        on(0, logged_set("Row", 150, 1, "Row", warmup=True),           # a warm-up: out (and the sets after it count)
           logged_set("Row", 100, 5, "Row", rpe=8.0),                  # the first logged week's Monday: in
           logged_set("Assisted Row", 50, 10)),                        # an assisted lift: out
        on(9, logged_set("My Curl", 20, 10, "Curl A"),                 # by its id: the catalog's Curl A
           logged_set("curl b", 21, 10), logged_set("Row", 100, 5, "Row", rir=2)),  # by its name: Curl B
        on(16, logged_set("Zorblax", 30, 10), logged_set("Zorblax Two", 31, 10)),  # unknown: their own names
        on(23, logged_set("Row", 90, 10, "Row"), logged_set("Row", 0, 10, "Row"), logged_set("Row", 80, 1, "Row", rpe=10.0)),
        on(28, logged_set("Row", 300, 1, "Row")),                      # as_of itself: out
    ]
    b = bests_of(*sessions)
    assert b.top_load == {"Row": 100, "Curl A": 20, "Curl B": 21, "Zorblax": 30, "Zorblax Two": 31}
    # RPE-based, from the sets with effort only: 100 x 5 @ 8 (or RIR 2) is 7 reps to failure, 81.1 % in the RPE
    # table: 123.3; 80 x 1 @ 10 is 80, lower, logged last
    assert b.e1rm == {"Row": pytest.approx(100 / 0.811)}
    # plain, effort ignored: 100 x 5 is (116.7 + 112.5) / 2 = 114.6; 90 x 10 is 120 (both formulas 4/3 of the
    # load), the best though not the last; ten reps of 20 / 21 / 30 / 31 alike
    assert b.e1rm_plain == pytest.approx({"Row": 120.0, "Curl A": 80 / 3, "Curl B": 28.0, "Zorblax": 40.0,
                                          "Zorblax Two": 124 / 3})
    # the last two logged weeks only
    assert bests_of(*sessions, weeks=2).top_load == {"Row": 90, "Zorblax": 30, "Zorblax Two": 31}
    assert bests_of().top_load == {}


# --- placing a name -------------------------------------------------------------------------------------------

def test_resolve_guesses_only_the_athletes_own_names() -> None:
    assert checker.resolve("Curl A", TRIM_CATALOG).id == "Curl A"
    assert checker.resolve("Mystery Squat", TRIM_CATALOG) is None
    assert checker.resolve("Mystery Squat", TRIM_CATALOG, {"other"}) is None
    guess = checker.resolve("Mystery Squat", TRIM_CATALOG, {"mystery squat"})
    assert guess is not None and guess.pattern == "squat" and getattr(guess, "guessed", False)


def test_entry_for_set_by_id_then_name() -> None:
    assert checker.entry_for_set("My Curl", "Curl A", TRIM_CATALOG).id == "Curl A"
    assert checker.entry_for_set("Curl B", "Gone_Lift", TRIM_CATALOG).id == "Curl B"  # an id from an older catalog
    assert checker.entry_for_set("", "Gone_Lift", TRIM_CATALOG) is None
    assert checker.entry_for_set("", None, TRIM_CATALOG) is None
    assert checker.entry_for_set("Mystery Squat", None, TRIM_CATALOG).pattern == "squat"  # guessed from its words
    assert checker.entry_for_set("Zorblax", None, TRIM_CATALOG) is None


def test_session_exercises_once_each_by_id_or_name() -> None:
    s = [on(0, logged_set("My Curl", 20, 10, "Curl A"), logged_set("Curl A again", 20, 10, "Curl A"),
            logged_set("Zorblax", 20, 10), logged_set("Zorblax", 20, 10), logged_set("curl b", 20, 10))]
    got = checker._session_exercises(s, TRIM_CATALOG)
    assert [(n, e.id if e else None) for n, e in got] == [("Curl A", "Curl A"), ("Zorblax", None), ("Curl B", "Curl B")]


def test_check_reads_the_athletes_own_unmapped_lift_by_its_guessed_tags(monkeypatch) -> None:
    # "Mystery Squat" logged by the athlete: checked with tags guessed from "squat" (a knee constraint: high);
    # nobody's: unknown, medium
    logged = [on(3, logged_set("Mystery Squat", 60, 5))]
    got = codes(check(monkeypatch, days({"Mystery Squat": 3}), sessions=logged, constraint_regions=["knee"]))
    assert sorted(got) == [("constraint_region", "high"), ("guessed_tags", "low")]
    got = codes(check(monkeypatch, days({"Mystery Squat": 3}), constraint_regions=["knee"]))
    assert got == [("unknown_exercise", "medium")]


def test_repair_swaps_a_guessed_lift_by_its_pattern(monkeypatch) -> None:
    from peri.log.catalog import Catalog

    # the catalog's only squat has a name no search would take for "Mystery Squat": the guessed squat's pattern
    # and muscles find it
    drive = ex("Leg Drive")
    flags = checker.AthleteFlags(constraint_regions=set(), equipment=None, logged={"mystery squat"})
    got = repair(monkeypatch, days({"Mystery Squat": 3, "Curl A": 3}),
                 [safety("constraint_region", "high", "Mystery Squat", regions=["knee"])], flags=flags,
                 catalog=Catalog([drive, ex("Curl A", "isolation", ("biceps",))]))
    assert [p.exercise for p in got.days[0].exercises] == ["Leg Drive", "Curl A"]


def test_repair_swaps_an_unplaced_lift_for_a_close_name(monkeypatch) -> None:
    # nobody logged "Mystery Squat": the search finds "Squat" (scoring 96 of 100): the swap
    got = repair(monkeypatch, days({"Mystery Squat": 3, "Curl A": 3}), [safety("unknown_exercise", "medium", "Mystery Squat")])
    assert [p.exercise for p in got.days[0].exercises] == ["Squat", "Curl A"]
    # the squat already in the day: nothing else scores 80, so the unknown lift goes
    got = repair(monkeypatch, days({"Mystery Squat": 3, "Squat": 3}), [safety("unknown_exercise", "medium", "Mystery Squat")])
    assert [p.exercise for p in got.days[0].exercises] == ["Squat"]


def test_check_passes_its_scenario_to_the_volume_findings(monkeypatch) -> None:
    from peri.plans.schema import Scenario

    # quadriceps 5 a week recently, 3 planned: low in a normal week, not in a deload
    weeks = [weekly(20, None, quadriceps=5)]
    assert ("volume_low", "low") in codes(check(monkeypatch, days({"Squat": 3}), weeks, scenario=Scenario.normal))
    assert ("volume_low", "low") not in codes(check(monkeypatch, days({"Squat": 3}), weeks, scenario=Scenario.deload))


def test_check_compares_a_load_with_the_history_under_the_catalog_name(monkeypatch) -> None:
    # the plan writes "curl a"; the history is under the catalog's "Curl A": 40 kg after 20 is a jump
    plan = days({"curl a": 3})
    plan.days[0].exercises[0].load_kg = 40.0
    assert ("load_jump", "medium") in codes(check(monkeypatch, plan, top_load={"Curl A": 20.0}))


def test_check_repairs_with_its_own_jump_limit(monkeypatch) -> None:
    # mean 10, 16 planned: +60 %, over a 50 % limit. The repair trims to max(10 x 1.5, 12) = 15: factor 15/16,
    # 10 -> round(9.4) = 9, 6 -> round(5.6) = 6 kept, so 5 (14 in all); with a 20 % limit it would trim to 12
    result = check(monkeypatch, days(curls(16)), [weekly(20, None, biceps=10)], max_jump=0.5)
    assert ("volume_jump", "medium") in codes(result)
    assert sets_of(result.repaired) == [{"Curl A": 9, "Curl B": 5}]


# --- flags: every field of a note, the order of notes, variants never overriding a direct note -------------------

def test_flags_keep_the_notes_text_date_and_regions() -> None:
    import datetime as dt

    day = AS_OF - dt.timedelta(days=10)
    f = flags_of(annotations=[pain(10, "curls hurt", exercise_id="Curl A", tags=("aggravated",), regions=["elbow"]),
                              pain(10, "knees ache", regions=["knee"]), pain(10, "zorblax hurt", exercise="Zorblax",
                                                                             regions=["hip"])])
    assert f.exercises["Curl A"] == checker.NoteFlag("high", "curls hurt", day, ["elbow"])
    assert f.exercises["Curl B"] == checker.NoteFlag("high", "curls hurt", day, ["elbow"], via="Curl A")
    assert f.regions["knee"] == checker.NoteFlag("medium", "knees ache", day, ["knee"])
    assert f.names["zorblax"] == checker.NoteFlag("high", "zorblax hurt", day, ["hip"])


def test_flags_read_every_note_in_date_order() -> None:
    # a remark, a region-only note, an unplaceable lift, then a lift: each is read, none stops the others
    f = flags_of(annotations=[pain(40, "tired", tags=("tired",)), pain(30, "knees", regions=["knee"]),
                              pain(20, exercise="Zorblax"), pain(10, exercise_id="Row")])
    assert set(f.regions) == {"knee"} and set(f.names) == {"zorblax"} and sev(f)["Row"] == ("high", None)
    assert f.liked == set()  # the remark is no good note either


def test_flags_a_good_note_the_same_day_does_not_resolve() -> None:
    assert sev(flags_of(annotations=[pain(10, exercise_id="Row", tags=("worked",)), pain(10, exercise_id="Row")]))[
        "Row"] == ("high", None)


def test_flags_a_direct_note_is_not_overridden_by_a_variants() -> None:
    # Curl B blamed on its own first, then Curl A (its variant): B keeps its own note
    f = flags_of(annotations=[pain(20, "b hurt", exercise_id="Curl B"), pain(10, "a hurt", exercise_id="Curl A")])
    assert (f.exercises["Curl B"].text, f.exercises["Curl B"].via) == ("b hurt", None)
    assert (f.exercises["Curl C"].text, f.exercises["Curl C"].via) == ("a hurt", "Curl A")


def test_noted_region_milder_of_medium_stress_and_a_low_note_is_low() -> None:
    e = entry("hinge", joints=("knee",))  # medium for the knee
    assert found("X", e, no_flags(regions={"knee": note("low", "old")}))[0][1] == "low"
    carry = entry("carry", joints=("upper_back",))
    assert found("X", carry, no_flags(regions={"upper_back": note("medium", "sore")}))[0][3] == (
        "loads your upper back; your note of 2026-01-01: 'sore'")


def test_resolve_uses_the_matcher_when_the_name_is_not_exact() -> None:
    assert checker.resolve("Squatz", TRIM_CATALOG).id == "Squat"


def test_plan_sets_an_unknown_lift_first_does_not_stop_the_count() -> None:
    assert checker.plan_sets_per_muscle(days({"Zorblax": 5, "Curl A": 3}), TRIM_CATALOG) == {"biceps": 3.0}


def test_volume_messages_by_hand() -> None:
    import datetime as dt

    from peri.log.context import AthleteContext
    from peri.log.models import Athlete
    from peri.plans.schema import Scenario

    ctx = AthleteContext(athlete=Athlete(name="t"), sessions=[], annotations=[], as_of=dt.date(2026, 3, 2))
    got = checker._volume_findings(days({"Curl A": 7}), ctx, TRIM_CATALOG, [week(biceps=5, quadriceps=5)],
                                   Scenario.normal, 0.2)
    assert sorted(f.message for f in got) == [
        "0 weekly sets for quadriceps, below 4 (you did 5.0 recently)",
        "7 weekly sets for biceps, +40% over your recent 5.0 (limit +20%)"]


def test_flags_a_remark_naming_a_lift_is_no_good_note() -> None:
    # "tired" is neither a complaint nor praise: the row it names is not liked
    f = flags_of([session(3, "Row")], [pain(3, "row day, tired", tags=("tired",))])
    assert f.liked == set() and f.exercises == {}
    assert flags_of([session(3, "Row")], [pain(3, "row day, felt strong", tags=("felt_strong",))]).liked == {"Row"}


# --- a note cleared by the log: CLEAN_SESSIONS (3) uneventful sessions after the last complaint -----------------
# A hand-made catalog: a squat and its close variant (same pattern and muscle, both on the knee), a quad and a
# hamstring isolation on the knee (medium and low stress), a bench (shoulder), and three hinges by spinal load
# (high, moderate, low with a lower-back joint). Dates: AS_OF is Monday 2026-03-02; 40 days before is
# 2026-01-21, 20 days before 2026-02-10.

def _clear_catalog():
    from peri.log.catalog import Catalog

    return Catalog([
        ex("Squat", joints=("knee",)), ex("Box Squat", joints=("knee",)),
        ex("Leg Ext", "isolation", ("quadriceps",), joints=("knee",)),
        ex("Leg Curl", "isolation", ("hamstrings",), joints=("knee",)),
        ex("Bench", "horizontal_push", ("chest",), joints=("shoulder",)),
        ex("Deadlift", "hinge", ("hamstrings",), spinal="high"),
        ex("Back Ext", "hinge", ("lower back",), spinal="moderate"),
        ex("Hip Thrust", "hinge", ("glutes",), spinal="low", joints=("lower_back",)),
    ])


CLEAR_CATALOG = _clear_catalog()


def cleared(sessions=(), annotations=()) -> checker.AthleteFlags:
    from peri.log.context import AthleteContext
    from peri.log.models import Athlete

    ctx = AthleteContext(athlete=Athlete(name="t"), sessions=list(sessions), annotations=list(annotations), as_of=AS_OF)
    return checker.athlete_flags(ctx, CLEAR_CATALOG)


def state(note: checker.NoteFlag) -> tuple[str, str | None]:
    return note.severity, note.resolved


def test_clear_catalog_is_as_the_comment_says() -> None:
    got = {e.id: (region_stress(e, "knee"), region_stress(e, "lower_back")) for e in CLEAR_CATALOG.entries}
    assert got == {"Squat": ("high", None), "Box Squat": ("high", None), "Leg Ext": ("medium", None),
                   "Leg Curl": ("low", None), "Bench": (None, None), "Deadlift": (None, "high"),
                   "Back Ext": (None, "medium"), "Hip Thrust": (None, "low")}
    assert [v.id for v in CLEAR_CATALOG.variants(CLEAR_CATALOG.get("Squat"))] == ["Box Squat"]


@pytest.mark.parametrize("after, expected", [
    (2, ("high", None)),
    (3, ("low", "you have trained it 3 times without a complaint since the last one (2026-01-21)")),
    (4, ("low", "you have trained it 4 times without a complaint since the last one (2026-01-21)")),
])
def test_a_lift_clears_after_three_sessions_since_its_note(after, expected) -> None:
    # a squat session before the note (day 50) never counts; the bench sessions in between hold no squat
    sessions = [session(50, "Squat"), session(35, "Bench"), *[session(30 - 5 * k, "Squat") for k in range(after)]]
    f = cleared(sessions, [pain(40, "knee hurt on squats", exercise_id="Squat", regions=["knee"])])
    assert state(f.exercises["Squat"]) == expected
    # the variant, flagged through the squat, clears by the squat's sessions too, and says so
    box = f.exercises["Box Squat"]
    assert box.via == "Squat"
    assert state(box) == (expected[0], expected[1] and expected[1].replace("trained it", "trained it or Squat"))


def test_a_lift_clears_only_by_sessions_holding_it() -> None:
    f = cleared([session(30, "Bench"), session(20, "Bench"), session(10, "Bench")],
                [pain(40, exercise_id="Squat", regions=["knee"])])
    assert state(f.exercises["Squat"]) == ("high", None)


def test_a_session_on_the_note_s_own_day_is_not_after_it() -> None:
    # the note names no region, so nothing on day 40 restarts the count: only days 30 and 20 follow it
    f = cleared([session(40, "Squat"), session(30, "Squat"), session(20, "Squat")], [pain(40, exercise_id="Squat")])
    assert state(f.exercises["Squat"]) == ("high", None)


def test_a_same_day_complaint_in_the_region_restarts_the_count() -> None:
    # day 20: a squat session, a knee note naming no lift and then a shoulder note on the bench. The knee is the
    # squat note's region, so day 20 is a complaint: days 10 and 5 follow it (2), day 2 makes 3
    notes = [pain(40, exercise_id="Squat", regions=["knee"]), pain(20, "knees ache", regions=["knee"]),
             pain(20, exercise_id="Bench", regions=["shoulder"])]
    sessions = [session(d, "Squat") for d in (30, 20, 10, 5)]
    assert state(cleared(sessions, notes).exercises["Squat"]) == ("high", None)
    assert state(cleared([*sessions, session(2, "Squat")], notes).exercises["Squat"]) == (
        "low", "you have trained it 3 times without a complaint since the last one (2026-02-10)")


def test_a_note_already_low_is_left_as_it_is() -> None:
    # the bench note was answered by a good note: low, and no "trained since" reason is added to it
    notes = [pain(40, exercise_id="Bench"), pain(35, exercise_id="Bench", tags=("worked",))]
    f = cleared([session(d, "Bench") for d in (30, 20, 10)], notes)
    assert state(f.exercises["Bench"]) == ("low", None)


def test_a_lift_the_catalog_cannot_place_clears_by_its_name() -> None:
    notes = [pain(40, exercise="Zorblax")]
    assert state(cleared([session(d, "Zorblax", ids=False) for d in (30, 20)], notes).names["zorblax"]) == ("high", None)
    f = cleared([session(d, "Zorblax", ids=False) for d in (30, 20, 10)], notes)
    assert state(f.names["zorblax"]) == (
        "low", "you have trained it 3 times without a complaint since the last one (2026-01-21)")


@pytest.mark.parametrize("lift, expected", [
    ("Deadlift", ("low", "you have loaded your lower back 3 times without a complaint since the last one (2026-01-21)")),
    ("Back Ext", ("low", "you have loaded your lower back 3 times without a complaint since the last one (2026-01-21)")),
    ("Hip Thrust", ("medium", None)),  # loads it lightly: not evidence it is tolerated
    ("Bench", ("medium", None)),  # does not load it at all
])
def test_a_region_note_clears_by_sessions_that_load_the_region(lift, expected) -> None:
    f = cleared([session(d, lift) for d in (30, 20, 10)], [pain(40, "back sore", regions=["lower_back"])])
    assert state(f.regions["lower_back"]) == expected


def test_findings_carry_the_reason_a_note_was_cleared() -> None:
    import datetime as dt

    day = dt.date(2026, 1, 21)
    why = "you have trained it 3 times without a complaint since the last one (2026-01-21)"
    flags = checker.AthleteFlags(
        constraint_regions=set(), equipment=None,
        exercises={"x": checker.NoteFlag("low", "ouch", day, [], resolved=why)},
        names={"zorblax": checker.NoteFlag("low", "ouch", day, [], resolved=why)},
        regions={"knee": checker.NoteFlag("low", "knees ache", day, ["knee"], resolved="loaded")})
    (f,) = checker.exercise_findings("Zorblax", None, flags)
    assert f.message == f"your note of 2026-01-21: 'ouch'; {why}"
    got = {g.code: g.message for g in checker.exercise_findings("X", entry("squat", joints=("knee",)), flags)}
    assert got == {"aggravated": f"your note of 2026-01-21: 'ouch'; {why}",
                   "noted_region": "loads your knee; your note of 2026-01-21: 'knees ache'; loaded"}


def test_recent_bests_from_the_first_day_past_a_warm_up_and_under_a_kilogram() -> None:
    # two logged weeks from Monday 2026-02-02: the Monday's row (110) is the heaviest; the curl after a warm-up
    # row counts; a 0.5 kg set is its own best
    b = bests_of(on(0, logged_set("Row", 110, 5, "Row"), logged_set("Row", 150, 5, "Row", warmup=True),
                    logged_set("Curl A", 20, 10, "Curl A")),
                 on(9, logged_set("Row", 90, 5, "Row"), logged_set("Curl B", 0.5, 10, "Curl B")))
    assert b.top_load == {"Row": 110, "Curl A": 20, "Curl B": 0.5}


def test_repair_keeps_the_plans_scenario_and_week(monkeypatch) -> None:
    import datetime as dt

    from peri.plans.schema import Scenario

    plan = days({"Curl A": 3}).model_copy(update={"scenario": Scenario.travel, "week_of": dt.date(2026, 3, 9)})
    got = repair(monkeypatch, plan, [])
    assert (got.scenario, got.week_of) == (Scenario.travel, dt.date(2026, 3, 9))
