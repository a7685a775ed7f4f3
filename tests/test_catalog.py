"""The exercise catalog: coach tags, name matching on real exports, variants, substitutes, CLI."""
from __future__ import annotations

import csv
import datetime as dt
import json
import time
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.errors import NotFound, PeriError
from peri.log.catalog import (
    PATTERNS,
    SPINAL_LOADS,
    Catalog,
    default_catalog,
    derive_tags,
    normalize_name,
)
from peri.log.models import REGIONS, Athlete, Session, WorkoutSet


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return default_catalog()


# (id, pattern, spinal_load, joints that must be present, joints that must be absent)
KEY_LIFTS = [
    ("Barbell_Squat", "squat", "high", {"knee", "hip", "lower_back"}, set()),
    ("Leg_Press", "squat", "low", {"knee", "hip"}, {"lower_back"}),
    ("Romanian_Deadlift", "hinge", "high", {"lower_back", "hip"}, {"knee"}),
    ("Barbell_Deadlift", "hinge", "high", {"lower_back", "hip", "knee"}, set()),
    ("Good_Morning", "hinge", "high", {"lower_back", "hip"}, set()),
    ("Dumbbell_Incline_Row", "horizontal_pull", "none", {"shoulder", "elbow"}, {"lower_back"}),
    ("Bent_Over_Barbell_Row", "horizontal_pull", "high", {"lower_back", "shoulder", "elbow"}, set()),
    ("Seated_Cable_Rows", "horizontal_pull", "low", {"shoulder", "elbow"}, {"lower_back"}),
    ("Standing_Military_Press", "vertical_push", "moderate", {"shoulder", "lower_back", "elbow"}, set()),
    ("Machine_Shoulder_Military_Press", "vertical_push", "none", {"shoulder", "elbow"}, {"lower_back"}),
    ("Dips_-_Chest_Version", "horizontal_push", "none", {"shoulder", "elbow"}, {"lower_back"}),
    ("Barbell_Bench_Press_-_Medium_Grip", "horizontal_push", "low", {"shoulder", "elbow"}, {"lower_back"}),
    ("Pullups", "vertical_pull", "none", {"shoulder", "elbow"}, {"lower_back"}),
    ("Barbell_Hip_Thrust", "hinge", "low", {"hip"}, {"lower_back"}),
    ("Barbell_Lunge", "lunge", "moderate", {"knee", "hip"}, set()),
    ("Farmers_Walk", "carry", "moderate", {"wrist"}, set()),
    ("Barbell_Curl", "isolation", "none", {"elbow"}, {"lower_back"}),
    ("Leg_Extensions", "isolation", "none", {"knee"}, {"hip"}),
    ("Side_Lateral_Raise", "isolation", "none", {"shoulder"}, set()),
    ("Plank", "core", "low", set(), set()),
    ("Running_Treadmill", "cardio", "low", {"knee", "ankle"}, set()),
]


@pytest.mark.parametrize("ex_id,pattern,spinal,has,lacks", KEY_LIFTS)
def test_key_lift_tags(cat: Catalog, ex_id, pattern, spinal, has, lacks) -> None:
    e = cat.get(ex_id)
    assert (e.pattern, e.spinal_load) == (pattern, spinal)
    assert has <= set(e.joints), e.joints
    assert not (lacks & set(e.joints)), e.joints


def test_rules_alone_get_the_main_lifts_right() -> None:
    """Without the override file the rules still tag the big lifts sensibly (overrides only pin them)."""
    shipped = Path(str(resources.files("peri") / "data" / "exercises.json"))
    raw = {r["id"]: r for r in json.loads(shipped.read_text())}
    expect = {
        "Barbell_Squat": ("squat", "high"), "Leg_Press": ("squat", "low"), "Romanian_Deadlift": ("hinge", "high"),
        "Bent_Over_Barbell_Row": ("horizontal_pull", "high"), "Dumbbell_Incline_Row": ("horizontal_pull", "low"),
        "Standing_Military_Press": ("vertical_push", "moderate"), "Wide-Grip_Lat_Pulldown": ("vertical_pull", "none"),
        "Bodyweight_Walking_Lunge": ("lunge", "none"), "Triceps_Pushdown": ("isolation", "none"),
        "Leverage_Iso_Row": ("horizontal_pull", "none"), "Hanging_Leg_Raise": ("core", "low"),
    }
    for ex_id, (pattern, spinal) in expect.items():
        p, s, joints = derive_tags(raw[ex_id])
        assert (p, s) == (pattern, spinal), ex_id
        assert set(joints) <= set(REGIONS)
    _, _, squat_joints = derive_tags(raw["Barbell_Squat"])
    assert {"knee", "hip", "lower_back"} <= set(squat_joints)


def test_every_entry_has_valid_tags(cat: Catalog) -> None:
    assert len(cat) == 873
    for e in cat.entries:
        assert e.pattern in PATTERNS and e.spinal_load in SPINAL_LOADS
        assert set(e.joints) <= set(REGIONS)
        assert e.joints == [r for r in REGIONS if r in e.joints]  # canonical order
    counts = Counter(e.pattern for e in cat.entries)
    assert all(counts[p] > 0 for p in PATTERNS)


def test_bad_override_file_names_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "tags.yaml"
    bad.write_text("overrides:\n  No_Such_Lift: {pattern: squat}\n")
    with pytest.raises(PeriError, match="No_Such_Lift"):
        Catalog.load(tags_path=bad)
    bad.write_text("overrides:\n  Barbell_Squat: {joints: [spleen]}\n")
    with pytest.raises(PeriError, match="spleen"):
        Catalog.load(tags_path=bad)
    bad_alias = tmp_path / "aliases.yaml"
    bad_alias.write_text("strong:\n  Squat (Barbell): Not_An_Id\n")
    with pytest.raises(PeriError, match="Not_An_Id"):
        Catalog.load(aliases_path=bad_alias)


def test_lookup(cat: Catalog) -> None:
    assert cat.get("Barbell_Squat").name == "Barbell Squat"
    with pytest.raises(NotFound):
        cat.get("nope")
    assert cat.by_name("barbell squat").id == "Barbell_Squat"
    assert cat.by_name("Nothing Like It") is None
    assert "Barbell Squat" in cat.names()
    hits = cat.search("romanian deadlift", limit=3)
    assert hits[0][0].id == "Romanian_Deadlift" and len(hits) == 3
    assert hits[0][1] >= hits[1][1]
    assert default_catalog() is default_catalog()


def test_normalize_name() -> None:
    assert normalize_name("Pull-Ups") == normalize_name("pull up") == normalize_name("Pullups") == "pullup"
    assert normalize_name("Flat Barbell Bench Press (Each Side) (Smith Machine)") == "flat barbell bench press smith machine"
    assert normalize_name("Overhead Press (Each Side") == "overhead press"
    assert normalize_name("DB RDL") == "dumbbell romanian deadlift"
    assert normalize_name("Crunches") == normalize_name("Crunch")


SPOT_CHECK = {
    # Strong
    "Squat (Barbell)": "Barbell_Squat",
    "Bench Press (Barbell)": "Barbell_Bench_Press_-_Medium_Grip",
    "Overhead Press (Barbell)": "Standing_Military_Press",
    "Paused Bench Press": "Barbell_Bench_Press_-_Medium_Grip",
    "Pendlay Row (Barbell)": "Bent_Over_Barbell_Row",
    "Romanian Deadlift (Dumbbell)": "Stiff-Legged_Dumbbell_Deadlift",
    "Lat Pulldown (Cable)": "Wide-Grip_Lat_Pulldown",
    "Knee Raise (Captain's Chair)": "Knee_Hip_Raise_On_Parallel_Bars",
    "farmer carry": "Farmers_Walk",
    # Hevy
    "Chest Supported Incline Row (Dumbbell)": "Dumbbell_Incline_Row",
    "Seated Cable Row - V Grip (Cable)": "Seated_Cable_Rows",
    "Pull Up (Weighted)": "Weighted_Pull_Ups",
    "Triceps Rope Pushdown": "Triceps_Pushdown_-_Rope_Attachment",
    "Lying Neck Curls (Weighted)": "Lying_Face_Up_Plate_Neck_Resistance",
    # FitNotes
    "Flat Barbell Bench Press (Each Side) (Smith Machine)": "Smith_Machine_Bench_Press",
    "Overhead Press (Each Side": "Standing_Military_Press",
    "Bench Press (With Bar": "Barbell_Bench_Press_-_Medium_Grip",
    "Cable Lateral Raise (Each Side)": "Standing_Low-Pulley_Deltoid_Raise",
    # no alias needed: exact after normalisation
    "Face Pull": "Face_Pull",
    "hang snatch": "Hang_Snatch",
}


@pytest.mark.parametrize("name,ex_id", sorted(SPOT_CHECK.items()))
def test_real_app_names_map_to_the_right_exercise(cat: Catalog, name: str, ex_id: str) -> None:
    r = cat.match(name)
    assert r.entry is not None and r.entry.id == ex_id, (name, r)
    assert r.method in ("shipped_alias", "exact")


@pytest.mark.parametrize("name", ["Intensity", "Cable Kickback", "Triceps Extension", "Treadmill", "Lu Raises", "xyzzy"])
def test_vague_or_custom_names_stay_unmapped(cat: Catalog, name: str) -> None:
    r = cat.match(name)
    assert r.entry is None and r.method == "none" and r.score == 0


def test_fuzzy_refuses_the_wrong_variant(cat: Catalog) -> None:
    """Without shipped aliases, the matcher must not swap incline/decline or cable/dumbbell."""
    bare = Catalog(cat.entries, {}, [])
    incline = bare.match("Incline Bench Press (Barbell)")
    assert incline.entry is None or "Decline" not in incline.entry.name
    hammer = bare.match("Hammer Curl (Cable)")
    assert hammer.entry is None or hammer.entry.equipment == "cable"
    calf = bare.match("Standing Calf Raise (Dumbbell)")
    assert calf.entry is None or calf.entry.equipment == "dumbbell"
    ok = bare.match("Seated Lateral Raise (Dumbbell)")
    assert ok.method == "fuzzy" and ok.entry.id == "Seated_Side_Lateral_Raise" and ok.score >= bare.threshold
    assert bare.match("Single Arm Tricep Extension (Dumbbell)").entry.id == "Dumbbell_One-Arm_Triceps_Extension"


def test_user_alias_wins(cat: Catalog) -> None:
    r = cat.match("Intensity", aliases={"intensity": "Barbell_Squat"})
    assert (r.entry.id, r.method) == ("Barbell_Squat", "alias")
    r = cat.match("Squat (Barbell)", aliases={"squat (barbell)": "Front_Barbell_Squat"})
    assert r.entry.id == "Front_Barbell_Squat"
    # an alias to an id the catalog no longer has falls through to the normal matcher
    assert cat.match("Squat (Barbell)", aliases={"squat (barbell)": "Gone"}).entry.id == "Barbell_Squat"


def test_matching_is_cached_and_fast() -> None:
    c = Catalog.load()
    names = [f"Mystery Lift {i}" for i in range(50)] + list(SPOT_CHECK)
    for n in names:
        c.match(n)
    t = time.perf_counter()
    for _ in range(1000):
        for n in names:
            c.match(n)
    assert time.perf_counter() - t < 2.0  # 70,000 cached lookups
    assert c.match("Mystery Lift 3") is c.match("Mystery Lift 3")


EXPORTS = [
    ("strong-ios.csv", "Exercise Name", ",", 0.88, 0.94),
    ("strong-android.csv", "Exercise Name", ";", 0.90, 0.99),
    ("hevy.csv", "exercise_title", ",", 0.93, 0.99),
    ("fitnotes.csv", "Exercise", ",", 0.90, 0.99),
]


@pytest.mark.parametrize("fname,col,delim,min_names,min_sets", EXPORTS)
def test_coverage_on_real_exports(cat: Catalog, shared_data: Path, fname, col, delim, min_names, min_sets) -> None:
    counts: Counter[str] = Counter()
    with open(shared_data / "exports" / fname, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=delim):
            counts[row[col]] += 1
    mapped = {n for n in counts if cat.match(n).entry is not None}
    name_share = len(mapped) / len(counts)
    set_share = sum(counts[n] for n in mapped) / sum(counts.values())
    assert name_share >= min_names and set_share >= min_sets, (fname, name_share, set_share)


def test_variants_extend_the_same_loading(cat: Catalog) -> None:
    ids = {e.id for e in cat.variants(cat.get("Barbell_Squat"))}
    assert {"Front_Barbell_Squat", "Box_Squat", "Barbell_Full_Squat"} <= ids
    assert not ids & {"Leg_Press", "Goblet_Squat", "Barbell_Squat"}
    rdl = {e.id for e in cat.variants(cat.get("Romanian_Deadlift"))}
    assert "Stiff-Legged_Barbell_Deadlift" in rdl and "Barbell_Hip_Thrust" not in rdl


def test_substitutes_avoid_regions_and_respect_equipment(cat: Catalog) -> None:
    squat = cat.get("Barbell_Squat")
    subs = cat.substitutes(squat, {"lower_back"})
    assert subs and subs[0].pattern == "squat" and "quadriceps" in subs[0].primary_muscles
    for e in subs:
        assert "lower_back" not in e.joints and e.spinal_load in ("none", "low")
    assert "Leg_Press" in {e.id for e in subs}
    db_only = cat.substitutes(squat, {"lower_back"}, equipment=["dumbbell"])
    assert db_only and all((e.equipment or "body only") in ("dumbbell", "body only") for e in db_only)
    preferred = cat.substitutes(squat, {"lower_back"}, prefer={"Goblet_Squat"})
    assert preferred[0].id == "Goblet_Squat"
    row = cat.substitutes(cat.get("Bent_Over_Barbell_Row"), ["lower_back"])
    assert row[0].pattern == "horizontal_pull" and not any("lower_back" in e.joints for e in row)
    knee = cat.substitutes(cat.get("Barbell_Lunge"), {"knee"})
    assert all("knee" not in e.joints for e in knee)
    # a swap must share muscles: no upright row for a pull-up, nothing at all when every option hurts
    pull = cat.substitutes(cat.get("Pullups"), {"elbow"})
    assert pull and "Upright_Barbell_Row" not in {e.id for e in pull}
    assert all("lats" in e.primary_muscles for e in pull)
    assert cat.substitutes(cat.get("Leg_Extensions"), {"knee"}) == []


def test_conditioning_drills_are_not_lifts(cat: Catalog) -> None:
    squat_variants = {e.id for e in cat.variants(cat.get("Barbell_Squat"))}
    assert "Sled_Push" not in squat_variants and cat.get("Sled_Push").pattern == "other"
    assert cat.get("Kneeling_High_Pulley_Row").pattern == "horizontal_pull"
    assert "Battling_Ropes" not in {e.id for e in cat.variants(cat.get("Standing_Military_Press"))}


def test_load_from_a_given_file(tmp_path: Path) -> None:
    src = tmp_path / "mini.json"
    src.write_text(json.dumps([
        {"id": "Zercher_Squats", "name": "Zercher Squats", "category": "strength", "equipment": "barbell",
         "mechanic": "compound", "force": "push", "level": "expert", "primaryMuscles": ["quadriceps"],
         "secondaryMuscles": ["glutes"], "instructions": [], "images": []},
    ]))
    none = tmp_path / "none.yaml"
    mini = Catalog.load(src, tags_path=none, aliases_path=none)
    assert mini.names() == ["Zercher Squats"] and mini.get("Zercher_Squats").pattern == "squat"
    assert mini.match("Squat (Barbell)").entry is None
    with pytest.raises(PeriError):
        Catalog.load(tmp_path / "missing.json")


# --- CLI ---------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_search_and_show(home: Path) -> None:
    r = runner.invoke(app, ["catalog", "search", "bent over row", "--limit", "3", "--json"])
    assert r.exit_code == 0, r.output
    hits = json.loads(r.stdout)
    assert len(hits) == 3 and hits[0]["pattern"] == "horizontal_pull"
    r = runner.invoke(app, ["catalog", "show", "Squat (Barbell)", "--json"])
    assert r.exit_code == 0, r.output
    shown = json.loads(r.stdout)
    assert shown["id"] == "Barbell_Squat" and "Box_Squat" in shown["variants"]
    r = runner.invoke(app, ["catalog", "show", "Barbell_Squat"])
    assert r.exit_code == 0 and "lower_back" in r.stdout
    r = runner.invoke(app, ["catalog", "show", "qqqq zzzz"])
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_cli_unmapped_and_alias(store, home: Path) -> None:
    a = store.add_athlete(Athlete(name="kim"))
    day = dt.datetime(2024, 3, 4, 18, 0)
    sets = [
        WorkoutSet(exercise="Intensity", reps=10, weight=20, unit="kg", weight_kg=20),
        WorkoutSet(exercise="intensity", reps=10, weight=20, unit="kg", weight_kg=20, order=2),
        WorkoutSet(exercise="Squat (Barbell)", exercise_id="Barbell_Squat", reps=5, weight=100, unit="kg", weight_kg=100),
    ]
    store.add_sessions(a.id, [Session(started_at=day, sets=sets, source="strong")])
    r = runner.invoke(app, ["catalog", "unmapped", "--athlete", "kim", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["sets_total"] == 3 and out["sets_unmapped"] == 2
    assert {x["name"] for x in out["names"]} == {"Intensity", "intensity"}
    # a session rating is said to be one, with no catalog entry offered for it
    assert all(x["not_exercise"].startswith("marker") and x["suggestion"] is None for x in out["names"])
    r = runner.invoke(app, ["catalog", "unmapped", "--athlete", "kim"])
    assert r.exit_code == 0 and "not a strength exercise (marker)" in r.stdout
    r = runner.invoke(app, ["catalog", "alias", "Intensity", "Leg_Press", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["sets_remapped"] == 2
    assert store.aliases()["intensity"] == "Leg_Press"
    ids = {s.exercise: s.exercise_id for s in store.sessions(a.id)[0].sets}
    assert ids == {"Intensity": "Leg_Press", "intensity": "Leg_Press", "Squat (Barbell)": "Barbell_Squat"}
    r = runner.invoke(app, ["catalog", "unmapped", "--athlete", "kim"])
    assert r.exit_code == 0 and "every logged exercise" in r.stdout
    r = runner.invoke(app, ["catalog", "alias", "Intensity", "No_Such_Id"])
    assert r.exit_code == 1 and "No_Such_Id" in r.output


def test_cli_match_explains(home: Path) -> None:
    r = runner.invoke(app, ["catalog", "match", "DB Incline Pres", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    res = out["result"]
    assert res["entry"]["id"] == "Incline_Dumbbell_Press" and res["method"] == "parsed"
    parsed = res["evidence"]["parsed"]
    assert parsed["movement"] == "incline_press" and parsed["equipment"] == "dumbbell"
    assert "press" in parsed["corrections"].values() and out["candidates"]
    r = runner.invoke(app, ["catalog", "match", "Lateral Squat"])
    assert r.exit_code == 0 and "unmapped" in r.stdout and "ambiguous" in r.stdout


def test_cli_unmapped_suggest_and_accept(store, home: Path) -> None:
    a = store.add_athlete(Athlete(name="lee"))
    day = dt.datetime(2024, 3, 4, 18, 0)
    # names stored unmapped, as an import from before the word tables would have left them
    sets = [
        WorkoutSet(exercise="Squat", reps=5, weight=100, unit="kg", weight_kg=100),
        WorkoutSet(exercise="Squat", reps=5, weight=100, unit="kg", weight_kg=100, order=2),
        WorkoutSet(exercise="DB Incline Press", reps=10, weight=30, unit="kg", weight_kg=30, order=3),
        WorkoutSet(exercise="Intensity", reps=10, weight=20, unit="kg", weight_kg=20, order=4),
    ]
    store.add_sessions(a.id, [Session(started_at=day, sets=sets, source="strong")])
    r = runner.invoke(app, ["catalog", "unmapped", "--athlete", "lee", "--suggest", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    props = {p["name"]: p for p in out["suggestions"]}
    assert props["Squat"]["exercise_id"] == "Barbell_Squat" and props["Squat"]["method"] == "parsed"
    assert props["Squat"]["sets"] == 2 and props["Intensity"]["method"] == "not_exercise"
    assert out["accepted"] == [] and out["sets_remapped"] == 0  # nothing changes without consent
    r = runner.invoke(app, ["catalog", "unmapped", "--athlete", "lee", "--suggest", "--accept", "90", "--json"])
    out = json.loads(r.stdout)
    assert sorted(out["accepted"]) == ["DB Incline Press", "Squat"] and out["sets_remapped"] == 3
    assert store.aliases()["squat"] == "Barbell_Squat"
    ids = {s.exercise: s.exercise_id for s in store.sessions(a.id)[0].sets}
    assert ids == {"Squat": "Barbell_Squat", "DB Incline Press": "Incline_Dumbbell_Press", "Intensity": None}
    # interactive: the person declines the one proposal left
    r = runner.invoke(app, ["catalog", "unmapped", "--athlete", "lee", "--interactive"], input="n\n")
    assert r.exit_code == 0, r.output
    assert store.aliases().get("intensity") is None
