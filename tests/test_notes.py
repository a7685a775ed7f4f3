"""parse_note and annotations_for_session: effort, tags and regions out of free text, without over-triggering."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.models import ANNOTATION_TAGS, REGIONS, Scope, Session, WorkoutSet
from peri.log.notes import annotations_for_session, parse_note, regions_in


@pytest.mark.parametrize(
    "text, rpe, rir",
    [
        ("RPE: 8 on the last set", 8.0, None),
        ("3x 8-10 RPE7", 7.0, None),
        ("@8", 8.0, None),
        ("top set 140 @ 8.5", 8.5, None),
        ("RPE 7-8", 7.5, None),
        ("rpe 9,5", 9.5, None),
        ("2 RIR", None, 2.0),
        ("RIR: 1", None, 1.0),
        ("left 3 reps in the tank", None, 3.0),
        ("5x5 @100kg", None, None),  # a load, not an RPE
        ("Target: 10", None, None),
        ("Height: 8, seat: +6", None, None),
        ("RPE 14", None, None),  # out of range
        ("115 rpe", None, None),  # a three-digit number is not "15" or "5" with its head cut off
        ("did 1,5 rpe? no: 115 rpe", 1.5, None),
        ("105 rir", None, None),
    ],
)
def test_effort(text: str, rpe: float | None, rir: float | None) -> None:
    f = parse_note(text)
    assert (f.rpe, f.rir) == (rpe, rir)


@pytest.mark.parametrize(
    "text, tags, regions",
    [
        ("Still recovering from hip", ["pain"], ["hip"]),
        ("R leg weaker", [], []),
        ("the squats tweaked my lower back again", ["aggravated", "pain"], ["lower_back"]),
        ("incline DB press felt great", ["felt_strong"], []),
        ("way too much volume this week, wrecked", ["excessive"], []),
        ("this progression worked", ["worked"], []),
        ("aggravated my shoulder", ["aggravated", "pain"], ["shoulder"]),
        ("Right shoulder pain, didnt warm up", ["pain"], ["shoulder"]),
        ("Wrist pain", ["pain"], ["wrist"]),
        ("Felt back strain a little on past reps", ["pain"], ["lower_back"]),
        ("right chest tendon pain again", ["aggravated", "pain"], []),
        ("lower back and hip pain", ["pain"], ["lower_back", "hip"]),
        ("was not fully recovered", ["excessive"], []),
        ("knee didn't like this", ["pain"], ["knee"]),
        ("low back tight after squats", ["pain"], ["lower_back"]),
        ("hamstrings tight", [], []),  # tightness without a joint is not a complaint
        ("bench up 5kg this block, program is working", ["worked"], []),
        ("tired, slept badly", [], []),
        ("bit of a cold, took it easy", [], []),
        ("easy week (deload)", [], []),
        ("so tired, volume is too high right now", ["excessive"], []),
        # exercises named after body parts are not complaints
        ("hip thrust felt strong", ["felt_strong"], []),
        ("back squat heavy today", [], []),
        ("shoulder press 3x8", [], []),
        ("hanging knee raises", [], []),
        ("back and biceps day", [], []),
        # negation
        ("no pain today", [], []),
        ("Knee felt fine, no pain", [], ["knee"]),
        ("pain-free squats", [], []),
        ("didn't hurt at all", [], []),
        ("not too heavy", [], []),
        # soreness alone is not a joint complaint
        ("Still sore", [], []),
        # a form cue naming the back is not a back complaint
        ("Vuci kettlebell prema iza, tako da se leđa aktiviraju, leđa ravna, možeš skočiti ", [], []),
        ("Kod Mahera zvanog Ivan", [], []),
        ("laganica s kolegom, ispravljao formu malo na bench", [], []),
    ],
)
def test_tags_and_regions_english_and_real_notes(text: str, tags: list[str], regions: list[str]) -> None:
    f = parse_note(text)
    assert f.tags == tags
    assert f.regions == regions


@pytest.mark.parametrize(
    "text, tag, region",
    [
        # Croatian
        ("boli me koljeno", "pain", "knee"),
        ("opet me boli rame", "aggravated", "shoulder"),
        ("bole me leđa", "pain", "lower_back"),
        ("umoran sam, previše volumena", "excessive", None),
        ("osjećao sam se jako, lagano", "felt_strong", None),
        # German
        ("Schmerzen in der Schulter", "pain", "shoulder"),
        ("Knie tut weh", "pain", "knee"),
        ("Hüfte wieder schlimmer, Schmerzen", "aggravated", "hip"),
        ("sehr müde heute", "excessive", None),
        ("fühlte mich stark", "felt_strong", None),
        # Spanish
        ("dolor en la rodilla", "pain", "knee"),
        ("me duele el hombro", "pain", "shoulder"),
        ("dolor de espalda", "pain", "lower_back"),
        ("muy cansado", "excessive", None),
        ("me sentí fuerte", "felt_strong", None),
        # French
        ("mal au genou", "pain", "knee"),
        ("douleur à la hanche", "pain", "hip"),
        ("fatigué, trop de volume", "excessive", None),
        ("je me sens fort", "felt_strong", None),
        # Portuguese
        ("dor no ombro", "pain", "shoulder"),
        ("dor lombar", "pain", "lower_back"),
        ("estou cansado", "excessive", None),
        ("senti-me forte", "felt_strong", None),
        # Italian
        ("fa male il ginocchio", "pain", "knee"),
        ("dolore alla spalla", "pain", "shoulder"),
        ("dolore all'anca", "pain", "hip"),
        ("molto stanco", "excessive", None),
        ("mi sentivo forte", "felt_strong", None),
    ],
)
def test_other_languages(text: str, tag: str, region: str | None) -> None:
    f = parse_note(text)
    assert tag in f.tags, f
    if region:
        assert region in f.regions, f


@pytest.mark.parametrize("text", ["sin dolor", "ohne Schmerzen", "bez boli", "sans douleur", "sem dor", "senza dolore"])
def test_negated_pain_in_other_languages(text: str) -> None:
    assert "pain" not in parse_note(text).tags


def test_strong_describing_pain_is_not_felt_strong() -> None:
    f = parse_note("dolor fuerte en la rodilla")
    assert f.tags == ["pain"] and f.regions == ["knee"]


def test_vocabularies_only() -> None:
    for text in ["aggravated my shoulder and knee, RPE 9, exhausted, felt strong though, this worked", "", "   "]:
        f = parse_note(text)
        assert set(f.tags) <= set(ANNOTATION_TAGS)
        assert set(f.regions) <= set(REGIONS)


def test_regions_in_constraints() -> None:
    assert regions_in("lower back sensitivity", pain_context=True) == ["lower_back"]
    assert regions_in("bad left knee", pain_context=True) == ["knee"]
    assert regions_in("back issues", pain_context=True) == ["lower_back"]
    assert regions_in("back straight") == []


def _session() -> Session:
    return Session(
        started_at=dt.datetime(2024, 3, 4, 18, 0),
        name="Lower",
        notes="way too much volume, wrecked",
        source="strong",
        sets=[
            WorkoutSet(exercise="Squat (Barbell)", order=1, weight=100, unit="kg", weight_kg=100, reps=5,
                       note="the squats tweaked my lower back again"),
            WorkoutSet(exercise="Squat (Barbell)", order=2, weight=100, unit="kg", weight_kg=100, reps=5,
                       note="the squats tweaked my lower back again"),
            WorkoutSet(exercise="Squat (Barbell)", order=3, weight=100, unit="kg", weight_kg=100, reps=5, note="@9"),
            WorkoutSet(exercise="Leg Press", exercise_id="Leg_Press", order=1, reps=10, note="  "),
            WorkoutSet(exercise="Hip Thrust", order=1, reps=10),
        ],
    )


def test_annotations_for_session() -> None:
    s = _session()
    notes = annotations_for_session(s)
    assert [(a.scope, a.text, a.exercise) for a in notes] == [
        (Scope.session, "way too much volume, wrecked", None),
        (Scope.exercise, "the squats tweaked my lower back again", "Squat (Barbell)"),
        (Scope.exercise, "@9", "Squat (Barbell)"),
    ]
    assert notes[0].tags == ["excessive"]
    assert notes[1].tags == ["aggravated", "pain"] and notes[1].regions == ["lower_back"]
    assert notes[2].rpe == 9.0
    assert all(a.date == dt.date(2024, 3, 4) for a in notes)


def test_annotations_for_session_is_pure() -> None:
    s = _session()
    before = s.model_dump()
    first = annotations_for_session(s)
    second = annotations_for_session(s)
    assert [a.model_dump() for a in first] == [a.model_dump() for a in second]
    assert s.model_dump() == before
    sim = s.model_copy(update={"source": "sim"})
    assert {a.source for a in annotations_for_session(sim)} == {"sim"}


def test_no_notes_no_annotations() -> None:
    s = Session(started_at=dt.datetime(2024, 1, 1), sets=[WorkoutSet(exercise="Squat", reps=5)])
    assert annotations_for_session(s) == []


# --- long notes: linear-time parsing, same facts -------------------------------------------------
LONG_PARTS = [
    "RPE: 8 on the last set", "the squats tweaked my lower back again", "no pain in the knee", "2 RIR",
    "way too much volume this week, wrecked", "felt strong today", "dolor en el hombro otra vez", "Still sore",
    "hip thrust felt easy", "tired, slept badly",
]


@pytest.mark.parametrize("part", LONG_PARTS)
def test_a_200kb_note_says_what_its_repeated_part_says(part: str) -> None:
    long = ". ".join([part] * (200_000 // (len(part) + 2) + 1))
    assert len(long) >= 200_000
    assert parse_note(long) == parse_note(part)


def test_a_long_note_mixes_its_parts() -> None:
    long = ". ".join(LONG_PARTS * 800)  # ~200 KB
    facts = parse_note(long)
    assert facts == parse_note(". ".join(LONG_PARTS))
    parts = [parse_note(p) for p in LONG_PARTS]
    assert facts.rpe == 8.0 and facts.rir == 2.0
    assert set(facts.tags) == {t for f in parts for t in f.tags}
    assert set(facts.regions) == {r for f in parts for r in f.regions}


def test_negation_still_reaches_back_in_a_long_clause() -> None:
    padding = "lorem ipsum " * 20_000  # one 240 KB clause
    assert "pain" not in parse_note(padding + "no knee pain").tags
    facts = parse_note(padding + "knee pain")
    assert "pain" in facts.tags and facts.regions == ["knee"]


def test_backwards_negator_matches_the_forward_one() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from peri.log import notes

    words = st.sampled_from(["no", "not", "pain", "isn't", "isnt", "keinen", "free", "of", "sin", "nada", "de", "x",
                             "ne", "non", "pas", "don't", "knee", "ohne", "nisam", "é", "_"])
    sep = st.sampled_from([" ", "  ", "\t", "-"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(words, sep), max_size=7), st.sampled_from(["", " ", "  "]))
    def check(pairs, tail):
        text = "".join(w + s for w, s in pairs) + tail
        forward = bool(notes._NEGATOR.search(text))
        backward = bool(text[-1:].isspace() and notes._NEGATOR_BACKWARDS.match(text[::-1]))
        assert forward == backward, text

    check()
