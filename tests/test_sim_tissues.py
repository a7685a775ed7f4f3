"""peri.sim.tissues: the oracle's own tissue-load model, and where it disagrees with the checker's rulebook."""
from __future__ import annotations

import pytest

from peri.log.catalog import default_catalog
from peri.plans.checker import region_stress
from peri.sim.presets import PRESETS
from peri.sim.tissues import TISSUE_FILE, tissue_model

LEVEL = {None: 0, "low": 1, "medium": 2, "high": 3}  # the checker's words on the oracle's 0-3 scale


def checker_level(ex_id: str, tissue: str) -> int:
    return LEVEL[region_stress(default_catalog().get(ex_id), tissue)]


def test_the_file_cites_a_source_and_is_valid() -> None:
    head = TISSUE_FILE.read_text()[:4000]
    assert "Powers et al. 2014" in head and "Kolber et al. 2010" in head and "exercise_tags.yaml" in head
    m = tissue_model()
    catalog = default_catalog()
    assert all(catalog.get(i) for i in m.exercises)  # every listed id is a real catalog id


def test_every_preset_lift_is_rated_by_id_not_guessed() -> None:
    m = tissue_model()
    ids = {o for spec in PRESETS.values() for d in spec.days for s in d.slots if s.kind == "lift"
           for o in [*s.options, *([s.travel] if s.travel and s.travel != "same" else [])]}
    assert ids - set(m.exercises) == set()


@pytest.mark.parametrize(("ex_id", "tissue", "oracle", "checker"), [
    # PFJ stress is highest near full extension on the leg extension (Powers 2014): the coach tags call it isolation
    ("Leg_Extensions", "knee", 3, 2),
    # the hack squat's pad takes the bar off the spine: the coach tags say moderate spinal load
    ("Hack_Squat", "lower_back", 1, 2),
    # deep leg pressing flexes the lumbar spine under load: the coach tags say it spares the back
    ("Leg_Press", "lower_back", 1, 0),
    # deep dips are a classic shoulder provocation (Kolber 2010): the checker calls them a horizontal push
    ("Dips_-_Triceps_Version", "shoulder", 3, 2),
    # the front squat compresses the spine less than the back squat (Gullett 2009): the coach tags say high
    ("Front_Barbell_Squat", "lower_back", 2, 3),
])
def test_the_two_models_disagree_where_sources_disagree(ex_id: str, tissue: str, oracle: int, checker: int) -> None:
    assert tissue_model().loads(ex_id, None).get(tissue, 0) == oracle
    assert checker_level(ex_id, tissue) == checker


def test_they_agree_on_the_classic_stressors_and_differ_elsewhere() -> None:
    """Two honest readings: the same verdict on the obvious lifts, a real share of differences overall."""
    m = tissue_model()
    for ex_id, tissue in (("Barbell_Deadlift", "lower_back"), ("Good_Morning", "lower_back"),
                          ("Standing_Military_Press", "shoulder")):
        assert m.loads(ex_id, None)[tissue] == 3 and checker_level(ex_id, tissue) == 3
    pairs = [(i, t) for i in m.exercises for t in ("lower_back", "knee", "shoulder", "elbow")]
    differ = sum(1 for i, t in pairs if m.loads(i, None).get(t, 0) != checker_level(i, t))
    assert 0.15 * len(pairs) < differ < 0.85 * len(pairs)


def test_unlisted_lifts_are_read_by_their_movement_words() -> None:
    m = tissue_model()
    assert m.loads("Barbell_Walking_Lunge", "Barbell Walking Lunge") == {"knee": 3, "hip": 2, "lower_back": 2}
    assert m.loads(None, "Seated Behind The Neck Press")["shoulder"] == 3
    assert m.loads(None, "Quantum Flux Gizmo") == {}
    assert m.loads("Face_Pull", "Face Pull") == {}  # listed as loading nothing in particular
