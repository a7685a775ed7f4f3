"""The exercise catalog: free-exercise-db plus the coach tags it lacks, and name matching.

Each of the 873 public-domain entries (``data/exercises.json``) gets three tags a coach needs:

* ``pattern`` - squat, hinge, horizontal_push, vertical_push, horizontal_pull, vertical_pull,
  lunge, carry, isolation, core, cardio or other;
* ``spinal_load`` - none, low, moderate or high (how much the lumbar spine carries or resists);
* ``joints`` - the regions (a subset of ``peri.log.models.REGIONS``) the movement loads.

Tags come from explicit rules over name, category, equipment, force, mechanic and muscles
(``derive_tags``), then ``data/exercise_tags.yaml`` overrides them for the lifts where a wrong tag
would matter most (squat, deadlift and row variants, presses...). Those tags are what lets the
checker avoid what aggravates an athlete.

Logged names ("Bench Press (Barbell)", "Flat Barbell Bench Press (Each Side) (Smith Machine)")
map to entries in this order: the user's alias table, shipped aliases (``data/aliases.yaml``),
an exact match after normalisation, then the name's words read by ``peri.log.exercise_names``
(movement + equipment + modifiers, typos corrected), and only for names with no movement word
at all rapidfuzz above a threshold. Otherwise the name stays unmapped: a clear unmapped list
beats a wrong mapping.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import NotFound, PeriError
from .exercise_names import NameVocabulary, ParsedName, Resolution, default_vocabulary, normalize_name
from .models import REGIONS

Pattern = Literal[
    "squat", "hinge", "horizontal_push", "vertical_push", "horizontal_pull", "vertical_pull",
    "lunge", "carry", "isolation", "core", "cardio", "other",
]
SpinalLoad = Literal["none", "low", "moderate", "high"]
PATTERNS: tuple[str, ...] = Pattern.__args__  # type: ignore[attr-defined]
SPINAL_LOADS: tuple[str, ...] = ("none", "low", "moderate", "high")

# A fuzzy score (0-100, rapidfuzz token_sort_ratio on normalised names) below this is no match.
# Chosen on the real Strong/Hevy/FitNotes exports: at 88 every fuzzy hit we checked was the right
# movement; at 80 "Cable Kickback" became a triceps kickback and "Lateral Squat" a lateral raise.
FUZZY_THRESHOLD = 88.0


class ExerciseEntry(BaseModel):
    """One catalog exercise with its coach tags."""

    id: str
    name: str
    category: str
    equipment: str | None = None
    mechanic: str | None = None
    force: str | None = None
    level: str = "beginner"
    primary_muscles: list[str] = Field(default_factory=list)
    secondary_muscles: list[str] = Field(default_factory=list)
    pattern: Pattern = "other"
    spinal_load: SpinalLoad = "none"
    joints: list[str] = Field(default_factory=list)  # subset of REGIONS, in REGIONS order


class MatchEvidence(BaseModel):
    """Why a name mapped (or did not): the parse of its words and where the parse led."""

    parsed: ParsedName | None = None
    resolution: Resolution | None = None
    alias_key: str | None = None  # the normalised key found in an alias table
    alias_sources: list[str] = Field(default_factory=list)  # where a shipped alias was written from
    note: str = ""


class MatchResult(BaseModel):
    """How a logged name mapped: the entry (None when unmapped), a 0-100 score, the method and why."""

    entry: ExerciseEntry | None
    score: float
    method: Literal["alias", "shipped_alias", "exact", "parsed", "fuzzy", "none"]
    evidence: MatchEvidence | None = None


# --- name normalisation (in peri.log.exercise_names, re-exported here) -----------------------

def _reordered(name: str, drop_qualifiers: bool = False) -> list[str]:
    """App names put equipment last, in parentheses: also try it first ("Squat (Barbell)" -> "barbell squat")."""
    quals = re.findall(r"\(([^)]*)\)?", name)
    base = re.sub(r"\([^)]*\)?", " ", name)
    base = re.split(r"\s+-\s+", base)
    out = []
    if quals or len(base) > 1:
        q = " ".join(quals)
        head, rest = base[0], " ".join(base[1:])
        out.append(normalize_name(f"{q} {rest} {head}"))
        out.append(normalize_name(f"{rest} {head} {q}"))
        if drop_qualifiers or not normalize_name(q):
            # dropping a qualifier that says something ("(Assisted)") is no exact match, only a fuzzy start
            out.append(normalize_name(f"{head} {rest}"))
    return [o for o in out if o]


_EQUIPMENT_WORDS = {
    "barbell": {"barbell"}, "dumbbell": {"dumbbell"}, "cable": {"cable"}, "kettlebell": {"kettlebells"},
    "ez": {"e-z curl bar", "barbell"}, "band": {"bands"}, "smith": {"machine"}, "machine": {"machine"},
    "bar": {"barbell", "e-z curl bar"},
}
# Words that change the movement: a fuzzy candidate must have each of these exactly when the
# query does (an incline press is not a decline press; a lying extension is not a standing one).
_DECISIVE = frozenset({
    "incline", "decline", "low", "high", "reverse", "front", "rear", "behind", "one", "lying",
    "seated", "standing", "sumo", "deficit", "romanian", "stiff", "hack", "overhead", "jump", "split",
    "side", "close", "wide", "band", "assisted", "push", "pull", "clean", "snatch", "jerk",
})


def _compatible(query: str, candidate: str) -> bool:
    qw, cw = set(query.split()), set(candidate.split())
    q, c = qw & _DECISIVE, cw & _DECISIVE
    if "lateral" in qw and "lateral" in cw:  # "side lateral raise" is a lateral raise
        q, c = q - {"side"}, c - {"side"}
    return q == c


def _query_equipment(norm: str) -> set[str] | None:
    words = set(norm.split())
    found: set[str] = set()
    for w, eq in _EQUIPMENT_WORDS.items():
        if w in words:
            found |= eq
    return found or None


# --- tag rules -------------------------------------------------------------------------------

def _has(text: str, *words: str) -> bool:
    return any(re.search(rf"\b{re.escape(w)}", text) for w in words)


_LOWER_BODY = {"quadriceps", "hamstrings", "glutes", "calves", "adductors", "abductors"}


def derive_pattern(e: dict) -> str:
    """Movement pattern from the name first (most specific), then from force/mechanic/muscles."""
    n = e["name"].lower().replace("-", " ")
    cat, primary = e["category"], set(e["primaryMuscles"])
    if cat == "cardio":
        return "cardio"
    if cat == "stretching":
        return "other"
    if cat == "plyometrics":
        return "other"
    if "abdominals" in primary:
        return "core"
    if _has(n, "farmer", "carry", "yoke", "suitcase") or (n.endswith("walk") and "lunge" not in n):
        return "carry"
    if _has(n, "deadlift", "romanian", "good morning", "hip thrust", "glute bridge", "hip lift", "pull through",
            "back extension", "hyperextension", "swing", "rack pull", "stiff leg", "atlas stone", "keg load",
            "hip extension", "butt lift", "hip bridge"):
        return "hinge"
    if _has(n, "calf", "curl", "extension", "raise", "fly", "flye", "kickback", "pushdown", "shrug", "crossover",
            "pullover", "skull", "wrist", "butterfly", "adduct", "abduct", "straight arm", "iron cross",
            "rotation", "scaption", "pull apart"):
        return "isolation"
    if _has(n, "sled", "drag", "tire flip", "conans wheel"):
        return "other"  # strongman and conditioning: loaded locomotion, not a lift pattern
    if _has(n, "lunge", "split squat", "step up", "step-up", "bulgarian"):
        return "lunge"
    if _has(n, "squat", "leg press", "thruster"):
        return "squat"
    if _has(n, "clean", "snatch") or re.search(r"\bhigh pull\b", n):
        return "hinge"
    if _has(n, "upright", "pulldown", "pull up", "pullup", "chin", "muscle up", "rope climb"):
        return "vertical_pull"
    if _has(n, "row", "face pull"):
        return "horizontal_pull"
    if _has(n, "jerk", "overhead press", "shoulder press", "military press", "push press", "handstand",
            "arnold", "behind neck", "behind the neck", "log lift", "bradford"):
        return "vertical_push"
    if _has(n, "bench press", "chest press", "floor press", "push up", "pushup", "dip", "board press",
            "pin press", "incline press", "decline press"):
        return "horizontal_push"
    if e["mechanic"] == "isolation" or primary & {"biceps", "triceps", "forearms", "calves", "neck", "traps"}:
        return "isolation"
    force = e["force"]
    if force == "push" and "shoulders" in primary:
        return "vertical_push"
    if force == "push" and primary & {"chest", "triceps"}:
        return "horizontal_push"
    if force == "push" and primary & {"quadriceps", "glutes"}:
        return "squat"
    if force == "pull" and primary & {"hamstrings", "lower back", "glutes"}:
        return "hinge"
    if force == "pull" and "lats" in primary:
        return "vertical_pull"
    if force == "pull" and primary & {"middle back", "shoulders"}:
        return "horizontal_pull"
    return "other"


def derive_spinal_load(e: dict, pattern: str) -> str:
    """How much the lumbar spine carries: free weight on the back or in bent-over hands loads it most."""
    n = e["name"].lower().replace("-", " ")
    eq = e["equipment"]
    cat = e["category"]
    supported = _has(n, "seated", "lying", "incline row", "chest supported", "supported", "prone", "leverage")
    machine = eq in ("machine", "cable") and "smith" not in n
    if cat == "stretching":
        return "none"
    if cat == "cardio":
        return "low" if _has(n, "running", "jogging", "rope jumping", "rowing", "trail") else "none"
    if cat == "plyometrics":
        return "low"
    if pattern == "squat":
        if _has(n, "leg press", "lying machine", "chair squat"):
            return "low"
        if machine and "hack" in n:
            return "moderate"
        if eq in ("barbell",) or "smith" in n or cat in ("powerlifting", "olympic weightlifting"):
            return "high"
        if eq in ("dumbbell", "kettlebells") or "goblet" in n:
            return "low"
        if eq == "machine":
            return "moderate"
        return "none" if eq in ("body only", None) else "moderate"
    if pattern == "hinge":
        if _has(n, "hip thrust", "glute bridge", "hip lift", "butt lift", "hip bridge", "hip extension"):
            return "low"
        if _has(n, "pull through", "cable deadlift") or eq == "cable" or eq == "bands":
            return "low" if "good morning" not in n else "moderate"
        if _has(n, "back extension", "hyperextension", "reverse hyper", "single leg", "one legged", "one leg"):
            return "moderate"
        if eq in ("dumbbell", "kettlebells"):
            return "moderate"
        if _has(n, "leverage"):
            return "moderate"
        return "high"
    if pattern == "lunge":
        if eq == "barbell" or "smith" in n:
            return "moderate"
        return "low" if eq not in ("body only", None) else "none"
    if pattern == "vertical_push":
        if machine or supported:
            return "none" if machine else "low"
        if _has(n, "seated"):
            return "low"
        if _has(n, "handstand"):
            return "low"
        if _has(n, "jerk", "push press", "log lift", "circus bell"):
            return "high"
        return "moderate" if eq in ("barbell", "dumbbell", "kettlebells", "other") else "low"
    if pattern == "horizontal_push":
        if machine:
            return "none"
        if eq == "barbell" or "smith" in n:
            return "low"
        return "none"
    if pattern == "horizontal_pull":
        if machine or supported or _has(n, "inverted", "face pull", "suspended", "bodyweight", "one arm dumbbell"):
            return "none" if (machine or _has(n, "inverted", "face pull", "suspended", "bodyweight")) else "low"
        if _has(n, "bent over", "t bar", "pendlay", "long bar", "landmine", "sled row"):
            return "high" if eq == "barbell" or "t bar" in n or "smith" in n else "moderate"
        if eq in ("dumbbell", "kettlebells"):
            return "low"
        return "moderate"
    if pattern == "vertical_pull":
        return "none"
    if pattern == "carry":
        return "high" if _has(n, "yoke") else "moderate"
    if pattern == "core":
        if _has(n, "rollout", "ab roller", "side bend", "good morning", "bent press", "windmill", "landmine"):
            return "moderate"
        return "low"
    if pattern == "isolation":
        if _has(n, "shrug") and eq in ("barbell", "machine", "dumbbell") and not supported:
            return "moderate"
        if _has(n, "standing calf", "standing barbell calf", "rocking standing", "smith machine calf", "donkey"):
            return "moderate"
        if _has(n, "bent over", "bent-over") and not supported:
            return "low"
        if eq == "barbell" and _has(n, "standing") and not supported:
            return "low"
        return "none"
    # "other" strength/strongman: judge by what the spine holds.
    if cat == "strongman":
        return "high"
    return "low" if "lower back" in e["primaryMuscles"] + e["secondaryMuscles"] else "none"


_ISOLATION_JOINTS = {
    "biceps": ["elbow"], "triceps": ["elbow"], "forearms": ["wrist", "elbow"], "shoulders": ["shoulder"],
    "chest": ["shoulder"], "lats": ["shoulder"], "quadriceps": ["knee"], "hamstrings": ["knee"],
    "glutes": ["hip"], "adductors": ["hip"], "abductors": ["hip"], "calves": ["ankle"],
    "traps": ["upper_back", "neck"], "neck": ["neck"], "middle back": ["upper_back"], "lower back": ["lower_back"],
}


def derive_joints(e: dict, pattern: str, spinal: str) -> list[str]:
    """The regions a movement loads: a base set per pattern, then what the name adds (overhead, front rack)."""
    n = e["name"].lower().replace("-", " ")
    eq, cat = e["equipment"], e["category"]
    primary = e["primaryMuscles"]
    spine = spinal in ("moderate", "high")
    j: set[str] = set()
    if cat == "stretching":
        return []
    if pattern == "cardio":
        if _has(n, "running", "jogging", "rope jumping", "trail", "stair", "step mill"):
            j |= {"knee", "ankle"}
        elif _has(n, "bicycl", "bike", "elliptical"):
            j |= {"knee"}
        elif _has(n, "rowing"):
            j |= {"knee", "hip", "lower_back"}
        elif _has(n, "skating"):
            j |= {"knee", "hip"}
    elif cat == "plyometrics":
        if set(primary) & _LOWER_BODY:
            j |= {"knee", "ankle", "hip"}
        else:
            j |= {"shoulder", "elbow"}
    elif pattern in ("squat", "lunge"):
        j |= {"knee", "hip"}
        if spine:
            j.add("lower_back")
        if _has(n, "front", "clean grip", "zercher"):
            j.add("wrist" if eq == "barbell" and "zercher" not in n else "elbow")
        if _has(n, "overhead", "snatch", "jerk"):
            j |= {"shoulder", "wrist"}
        if _has(n, "thruster"):
            j |= {"shoulder", "elbow"}
    elif pattern == "hinge":
        j |= {"hip"}
        if spine or _has(n, "back extension", "hyperextension"):
            j.add("lower_back")
        if _has(n, "deadlift", "clean", "snatch", "atlas", "keg", "car deadlift", "rack pull") and not _has(
            n, "romanian", "stiff", "one legged", "single leg", "one leg"
        ):
            j.add("knee")
        if _has(n, "clean") and not _has(n, "deadlift", "pull", "shrug"):
            j |= {"wrist", "elbow"}
        if _has(n, "snatch") and not _has(n, "deadlift", "pull", "shrug"):
            j |= {"shoulder", "wrist"}
        if _has(n, "jerk", "press"):
            j |= {"shoulder", "elbow"}
        if _has(n, "glute ham", "nordic"):
            j.add("knee")
    elif pattern in ("horizontal_push", "vertical_push"):
        j |= {"shoulder", "elbow"}
        if spine:
            j.add("lower_back")
        if _has(n, "push up", "pushup", "handstand") or (eq == "body only" and "dip" not in n):
            j.add("wrist")
        if _has(n, "behind the neck", "behind neck"):
            j.add("neck")
        if _has(n, "jerk", "push press", "thruster"):  # the legs drive the bar
            j |= {"knee", "hip"}
    elif pattern in ("horizontal_pull", "vertical_pull"):
        j |= {"shoulder", "elbow"}
        if spine:
            j.add("lower_back")
        if _has(n, "upright"):
            j.add("wrist")
        if _has(n, "behind the neck"):
            j.add("neck")
    elif pattern == "carry":
        j |= {"wrist", "hip"}
        if spine:
            j.add("lower_back")
        if _has(n, "overhead"):
            j.add("shoulder")
        if _has(n, "yoke"):
            j.add("knee")
    elif pattern == "core":
        if spine:
            j.add("lower_back")
        if _has(n, "hanging", "rollout", "ab roller", "parallel bars", "chin"):
            j.add("shoulder")
        if _has(n, "leg raise", "knee raise", "hip raise", "leg pull", "knee hip", "flutter", "scissor"):
            j.add("hip")
        if _has(n, "side bend", "russian twist", "wood chop", "twist", "windmill"):
            j.add("lower_back")
    elif pattern == "isolation":
        for m in primary:
            j |= set(_ISOLATION_JOINTS.get(m, []))
        if spine:
            j.add("lower_back")
        if _has(n, "overhead", "behind the head", "french") and "triceps" in primary:
            j.add("shoulder")
        if _has(n, "curl") and eq in ("barbell",) and "biceps" in primary and "reverse" not in n:
            j.add("wrist")
        if "glute ham" in n or "nordic" in n:
            j |= {"knee", "hip"}
    else:  # other
        for m in primary:
            j |= set(_ISOLATION_JOINTS.get(m, []))
        if spine:
            j.add("lower_back")
    return [r for r in REGIONS if r in j]


def derive_tags(e: dict) -> tuple[str, str, list[str]]:
    """(pattern, spinal_load, joints) for one raw free-exercise-db record, by rule."""
    pattern = derive_pattern(e)
    spinal = derive_spinal_load(e, pattern)
    return pattern, spinal, derive_joints(e, pattern, spinal)


# --- the catalog -----------------------------------------------------------------------------

def _data_file(name: str) -> Path:
    return Path(str(resources.files("peri") / "data" / name))


def _load_yaml(path: Path) -> dict:
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as e:
        raise PeriError(f"cannot read {path.name}: {e}", place=str(path)) from e
    if not isinstance(data, dict):
        raise PeriError("expected a mapping at the top level", place=str(path))
    return data


def read_aliases(
    path: Path, exclude_sources: Iterable[str] = ()
) -> tuple[dict[str, str], list[str], dict[str, list[str]]]:
    """(name -> id, unmappable names, name -> sources) from an aliases file.

    An alias is ``Name: Id`` or ``Name: {id: Id, source: [file, ...]}``; an unmappable name is a
    string or ``{name: ..., source: [...]}``. Entries with a source in ``exclude_sources`` are left out.
    """
    data = _load_yaml(path)
    drop = set(exclude_sources)
    shipped: dict[str, str] = {}
    unmappable: list[str] = []
    sources: dict[str, list[str]] = {}
    for group, table in data.items():
        if group == "unmappable":
            for item in table or []:
                name, src = (item.get("name"), item.get("source") or []) if isinstance(item, dict) else (item, [])
                if not set(_as_list(src)) & drop:
                    unmappable.append(str(name))
        elif isinstance(table, dict):
            for k, v in table.items():
                ex_id, src = (v.get("id"), _as_list(v.get("source"))) if isinstance(v, dict) else (v, [])
                if ex_id is None:
                    raise PeriError(f"alias {k!r} has no id", place=f"{path.name}:{k}")
                if set(src) & drop:
                    continue
                shipped[str(k)] = str(ex_id)
                sources[str(k)] = src
    return shipped, unmappable, sources


def _as_list(v: object) -> list[str]:
    if v is None:
        return []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


class Catalog:
    """The exercise catalog. Build it once (``default_catalog()``) and pass it in; matching is cached."""

    def __init__(
        self,
        entries: Iterable[ExerciseEntry],
        shipped_aliases: dict[str, str] | None = None,
        unmappable: Iterable[str] = (),
        threshold: float = FUZZY_THRESHOLD,
        vocabulary: NameVocabulary | None = None,
        alias_sources: dict[str, list[str]] | None = None,
    ):
        self.entries: list[ExerciseEntry] = list(entries)
        self._by_id = {e.id: e for e in self.entries}
        self._by_norm: dict[str, ExerciseEntry] = {}
        for e in self.entries:
            self._by_norm.setdefault(normalize_name(e.name), e)
        self._by_lower_name = {e.name.lower(): e for e in self.entries}
        self.shipped_aliases: dict[str, str] = {}
        for name, ex_id in (shipped_aliases or {}).items():
            if ex_id not in self._by_id:
                raise PeriError(f"alias {name!r} points to unknown exercise id {ex_id!r}", place="aliases.yaml")
            self.shipped_aliases[normalize_name(name)] = ex_id
        self.alias_sources = {normalize_name(k): list(v) for k, v in (alias_sources or {}).items()}
        self.unmappable = {normalize_name(n) for n in unmappable}
        # The word tables; ids they name must exist (a catalog built from another file, as in
        # tests, gets only the rules whose ids it holds).
        self.vocabulary = vocabulary
        # Entries the apps' own names map to are the lifts people actually do: rank them first
        # among equals when suggesting variants and substitutes.
        self.common_ids = set(self.shipped_aliases.values())
        self.threshold = threshold
        # Fuzzy candidates: strength-type entries only (nobody logs a stretch as a set of reps
        # with a name close to a lift; leaving them out stops "Squat" landing on a squat stretch).
        self._fuzzy_entries = [e for e in self.entries if e.category != "stretching"]
        self._fuzzy_names = [normalize_name(e.name) for e in self._fuzzy_entries]
        self._cache: dict[str, MatchResult] = {}
        self._named_words_cache: frozenset[str] | None = None

    # -- loading
    @classmethod
    def load(
        cls, path: Path | str | None = None, *, tags_path: Path | str | None = None,
        aliases_path: Path | str | None = None, words_path: Path | str | None = None,
        exclude_sources: Iterable[str] = (),
    ) -> "Catalog":
        """Read free-exercise-db JSON (default: the shipped copy), derive tags, apply overrides and aliases.

        ``exclude_sources`` leaves out the shipped aliases (and unmappable names) written from
        those sources -- how ``bench/catalog_mapping.py`` measures mapping on a file whose own
        names the alias table must not know.
        """
        own_entries = path is not None  # a catalog from another file may lack ids the word tables name
        path = Path(path) if path else _data_file("exercises.json")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise PeriError(f"cannot read the exercise catalog: {e}", place=str(path)) from e
        tags_file = Path(tags_path) if tags_path else _data_file("exercise_tags.yaml")
        overrides = (_load_yaml(tags_file).get("overrides") or {}) if tags_file.exists() else {}
        entries = []
        for r in raw:
            pattern, spinal, joints = derive_tags(r)
            entries.append(
                ExerciseEntry(
                    id=r["id"], name=r["name"], category=r["category"], equipment=r.get("equipment"),
                    mechanic=r.get("mechanic"), force=r.get("force"), level=r.get("level") or "beginner",
                    primary_muscles=r.get("primaryMuscles") or [], secondary_muscles=r.get("secondaryMuscles") or [],
                    pattern=pattern, spinal_load=spinal, joints=joints,
                )
            )
        by_id = {e.id: i for i, e in enumerate(entries)}
        for ex_id, tag in overrides.items():
            if ex_id not in by_id:
                raise PeriError(f"tag override for unknown exercise id {ex_id!r}", place=f"{tags_file}:{ex_id}")
            bad = set(tag.get("joints", [])) - set(REGIONS)
            if bad:
                raise PeriError(f"unknown joints {sorted(bad)}", place=f"{tags_file}:{ex_id}", hint=f"use {REGIONS}")
            upd = {k: tag[k] for k in ("pattern", "spinal_load", "joints") if k in tag}
            if "joints" in upd:
                upd["joints"] = [r for r in REGIONS if r in upd["joints"]]
            i = by_id[ex_id]
            entries[i] = ExerciseEntry.model_validate(entries[i].model_dump() | upd)
        aliases_file = Path(aliases_path) if aliases_path else _data_file("aliases.yaml")
        shipped, unmappable, sources = read_aliases(aliases_file, exclude_sources) if aliases_file.exists() else ({}, [], {})
        vocabulary = NameVocabulary.load(words_path) if words_path else default_vocabulary()
        unknown = vocabulary.exercise_ids() - {e.id for e in entries}
        if unknown and not own_entries:
            raise PeriError(f"exercise_words.yaml names unknown exercise ids {sorted(unknown)}", place=vocabulary.source)
        return cls(entries, shipped, unmappable, vocabulary=vocabulary, alias_sources=sources)

    # -- lookup
    def __len__(self) -> int:
        return len(self.entries)

    def get(self, exercise_id: str) -> ExerciseEntry:
        """The entry with this id; NotFound otherwise."""
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise NotFound(f"no catalog exercise with id {exercise_id!r}", hint="`peri catalog search TEXT` finds ids") from None

    def by_name(self, name: str) -> ExerciseEntry | None:
        """The entry whose catalog name is this one (case and punctuation ignored), else None."""
        return self._by_lower_name.get(name.strip().lower()) or self._by_norm.get(normalize_name(name))

    def names(self) -> list[str]:
        """All catalog names, in catalog order."""
        return [e.name for e in self.entries]

    def search(self, text: str, limit: int = 10) -> list[tuple[ExerciseEntry, float]]:
        """Best entries for free text, score 0-100 (partial words count: "pulldown" finds every pulldown)."""
        from rapidfuzz import fuzz, process

        q = normalize_name(text)
        if not q:
            return []
        names = [normalize_name(e.name) for e in self.entries]

        def scorer(a: str, b: str, **kw: object) -> float:
            # token_set rewards containing every query word; WRatio keeps near-misses (typos) in.
            return 0.6 * fuzz.token_set_ratio(a, b) + 0.4 * fuzz.WRatio(a, b)

        hits = process.extract(q, names, scorer=scorer, limit=limit)
        return [(self.entries[i], round(float(s), 1)) for _, s, i in hits]

    # -- matching
    def match(self, name: str, aliases: dict[str, str] | None = None) -> MatchResult:
        """Map a logged name: user alias -> shipped alias -> exact -> parsed words -> fuzzy -> none.

        ``aliases`` is the user's table (``store.aliases()``: lower-cased name -> id). The result
        without user aliases is cached per name, so a large import maps each distinct name once.
        """
        if aliases:
            key = name.strip().lower()
            ex_id = aliases.get(key) or aliases.get(normalize_name(name))
            if ex_id and ex_id in self._by_id:
                return MatchResult(entry=self._by_id[ex_id], score=100.0, method="alias",
                                   evidence=MatchEvidence(alias_key=key, note="your alias"))
        hit = self._cache.get(name)
        if hit is None:
            hit = self._match_uncached(name)
            self._cache[name] = hit
        return hit

    def parse(self, name: str, base_fallback: bool = False) -> tuple[ParsedName | None, Resolution | None]:
        """The parse of a name's words and where it leads (None, None without word tables).

        ``base_fallback``: read unknown words as a variant of the base movement (see
        `NameVocabulary.resolve`). Off for `match`: on held-out public names it mapped more but
        below the precision target (docs/results.md), so it only proposes, for a person to accept.
        """
        if self.vocabulary is None:
            return None, None
        parsed = self.vocabulary.parse(name)
        res = self.vocabulary.resolve(parsed, named_words=self._named_words() if base_fallback else None)
        if res.exercise_id is not None and res.exercise_id not in self._by_id:
            res = res.model_copy(update={"exercise_id": None, "reason": f"{res.exercise_id} is not in this catalog"})
        return parsed, res

    def _named_words(self) -> frozenset[str]:
        """Words of the catalog's names that the word tables do not know (they may name other exercises)."""
        if self._named_words_cache is None:
            words = {w for e in self.entries for w in normalize_name(e.name).split()}
            self._named_words_cache = frozenset(words - (self.vocabulary.vocab if self.vocabulary else set()))
        return self._named_words_cache

    def _match_uncached(self, name: str) -> MatchResult:
        norm = normalize_name(name)
        if not norm or norm in self.unmappable:
            note = "listed as unmappable (too vague to place)" if norm else "empty name"
            return MatchResult(entry=None, score=0.0, method="none", evidence=MatchEvidence(note=note))
        keys = [norm, *_reordered(name)]
        for k in keys:
            if k in self.shipped_aliases:
                ev = MatchEvidence(alias_key=k, alias_sources=self.alias_sources.get(k, []), note="shipped alias")
                return MatchResult(entry=self._by_id[self.shipped_aliases[k]], score=100.0, method="shipped_alias", evidence=ev)
        want = _query_equipment(norm)

        def equipment_ok(e: ExerciseEntry) -> bool:
            # right words, wrong equipment: a dumbbell curl is not a cable curl
            return not want or (e.equipment or "body only") in want

        for k in keys:
            e = self._by_norm.get(k)
            if e is not None and equipment_ok(e):
                # a logged set is a lift: "Split Squat" and "Torso Rotation" name stretches in the
                # catalog, and a machine torso rotation is not a stretch on a ball
                if e.category != "stretching":
                    return MatchResult(entry=e, score=100.0, method="exact", evidence=MatchEvidence(alias_key=k, note="catalog name"))
        parsed, res = self.parse(name)
        ev = MatchEvidence(parsed=parsed, resolution=res)
        if res is not None and res.exercise_id is not None:
            ev.note = res.reason
            return MatchResult(entry=self._by_id[res.exercise_id], score=round(res.score, 1), method="parsed", evidence=ev)
        if parsed is not None and (parsed.movement or parsed.competing_movements):
            # the words name a movement but no entry fits for sure: no fuzzy guess over that
            ev.note = res.reason if res else ""
            return MatchResult(entry=None, score=0.0, method="none", evidence=ev)
        from rapidfuzz import fuzz, process

        best: tuple[float, int] | None = None
        for k in dict.fromkeys([*keys, *_reordered(name, drop_qualifiers=True)]):
            for _, score, i in process.extract(
                k, self._fuzzy_names, scorer=fuzz.token_sort_ratio, score_cutoff=self.threshold, limit=10
            ):
                e = self._fuzzy_entries[i]
                if not equipment_ok(e) or not _compatible(norm, self._fuzzy_names[i]):
                    continue
                if best is None or score > best[0]:
                    best = (float(score), i)
                break
        if best is None:
            ev.note = res.reason if res else "no catalog name close enough"
            return MatchResult(entry=None, score=0.0, method="none", evidence=ev)
        ev.note = f"closest catalog name {self._fuzzy_names[best[1]]!r}"
        return MatchResult(entry=self._fuzzy_entries[best[1]], score=round(best[0], 1), method="fuzzy", evidence=ev)

    # -- coaching helpers
    @staticmethod
    def _spinal_class(e: ExerciseEntry) -> int:
        return 1 if e.spinal_load in ("moderate", "high") else 0

    def variants(self, entry: ExerciseEntry, limit: int | None = None) -> list[ExerciseEntry]:
        """Close variants that load the same regions the same way as ``entry``.

        Same pattern, a shared primary muscle, the same side of the spinal-load divide
        (none/low vs moderate/high) and joint sets overlapping by at least half (Jaccard).
        Used to extend "squats aggravated my back" to front and box squats, not to the leg press.
        """
        out: list[tuple[float, ExerciseEntry]] = []
        a = set(entry.joints)
        for e in self.entries:
            if e.id == entry.id or e.category == "stretching" or e.pattern != entry.pattern:
                continue
            if not set(e.primary_muscles) & set(entry.primary_muscles):
                continue
            if self._spinal_class(e) != self._spinal_class(entry):
                continue
            b = set(e.joints)
            jac = len(a & b) / len(a | b) if a | b else 1.0
            if jac < 0.5:
                continue
            same_eq = 0.2 if e.equipment == entry.equipment else 0.0
            common = 0.3 if e.id in self.common_ids else 0.0
            out.append((jac + same_eq + common, e))
        out.sort(key=lambda t: (-t[0], t[1].name))
        res = [e for _, e in out]
        return res[:limit] if limit else res

    def substitutes(
        self,
        entry: ExerciseEntry,
        avoid_regions: Iterable[str],
        equipment: Iterable[str] | None = None,
        prefer: set[str] | None = None,
        limit: int = 10,
    ) -> list[ExerciseEntry]:
        """Safer swaps for ``entry``, best first.

        Candidates never stress a region in ``avoid_regions`` (a "lower_back" avoidance also rules
        out moderate/high spinal load) and use available ``equipment`` ("body only" is always
        available; None means any). Ranking: same pattern and shared primary muscles first, then
        same pattern (compound patterns only), then shared primary muscles in another pattern; within
        a tier ids in ``prefer`` (e.g. what the athlete already does) come first, then closer muscle
        overlap, common gym lifts (the targets of shipped aliases) before obscure ones, lighter spinal
        load and fewer stressed joints.
        """
        avoid = set(avoid_regions)
        prefer = prefer or set()
        have = None if equipment is None else {x.lower() for x in equipment} | {"body only"}
        p1 = set(entry.primary_muscles)
        s1 = set(entry.secondary_muscles)
        ranked: list[tuple[tuple, ExerciseEntry]] = []
        for e in self.entries:
            if e.id == entry.id or e.category in ("stretching", "plyometrics") or e.pattern in ("other", "cardio"):
                continue
            if set(e.joints) & avoid:
                continue
            if "lower_back" in avoid and e.spinal_load in ("moderate", "high"):
                continue
            if have is not None and (e.equipment or "body only") not in have:
                continue
            prim = len(set(e.primary_muscles) & p1) / max(len(p1), 1)
            same = e.pattern == entry.pattern
            if same and prim > 0:
                tier = 0
            elif same and entry.pattern not in ("isolation", "core", "carry") and (
                set(e.primary_muscles + e.secondary_muscles) & (p1 | s1)
            ):
                tier = 1  # another squat is a squat; another isolation lift is just some other muscle
            elif prim > 0:
                tier = 2
            else:
                continue
            sec = len(set(e.secondary_muscles) & s1) / max(len(s1), 1)
            key = (
                tier,
                0 if e.id in prefer else 1,
                -round(prim + 0.3 * sec, 3),
                _has(e.name.lower(), "jump", "sprint", "throw", "kipping"),  # power drills swap poorly for strength work
                0 if e.id in self.common_ids else 1,
                SPINAL_LOADS.index(e.spinal_load),
                len(e.joints),
                e.level == "expert",
                e.name,
            )
            ranked.append((key, e))
        ranked.sort(key=lambda t: t[0])
        return [e for _, e in ranked[:limit]]


@functools.lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    return Catalog.load()
