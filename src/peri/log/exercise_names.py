"""Read a logged exercise name as movement + equipment + modifiers, and place it in the catalog.

People log "Squat", "DB Incline Press", "Press Bench Incline Dumbbell", "Bench Pres" or
"Seated Cable Row - V Grip (Cable)". A table of whole names only knows the names it was written
from; this module reads the WORDS instead, with the vocabulary in ``data/exercise_words.yaml``
(movement phrases and their synonyms, equipment words, grip/stance/variant modifiers, noise):

1. ``normalize_name`` lower-cases, drops punctuation and accents, expands abbreviations (DB, RDL,
   OHP...) and singularises; ``parse_name`` then corrects typos word by word (rapidfuzz against
   the vocabulary, only when one word is clearly closest) and splits run-together words;
2. the movement is the longest movement phrase whose words all occur in the name, in any order;
   a name holding two unrelated movements ("Calf Press on Leg Press") is ambiguous;
3. the remaining words are equipment, modifiers or noise; anything else is an unknown word;
4. ``NameVocabulary.resolve`` picks the movement's catalog entry for that equipment (stated, or
   the movement's usual one) with the most of the name's modifiers. A decisive modifier that no
   entry of the movement has (a "Lateral Squat" is not a squat), an unknown word, two equipment
   classes or a tie leaves the name unmapped: a wrong mapping is worse than none. Modifiers that
   do not change the movement (paused, strict, weighted, single-arm) fall back to the base lift.

Everything the decision rests on is kept (``ParsedName``, ``Resolution``) so `peri catalog match`
can show why a name mapped, or why not.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import PeriError

# --- normalisation -------------------------------------------------------------------------

# Qualifiers that say nothing about the movement (how the app counts weight, which cable stack).
_NOISE = re.compile(r"\b(each side|easy cable|hard cable)\b")
_WORD_SUBS: tuple[tuple[str, str], ...] = (
    (r"\bpull ups?\b", "pullup"), (r"\bchin ups?\b", "chinup"), (r"\bpush ups?\b", "pushup"),
    (r"\bsit ups?\b", "situp"), (r"\bstep ups?\b", "stepup"), (r"\bpush downs?\b", "pushdown"),
    (r"\bpull downs?\b", "pulldown"), (r"\bskull crushers?\b", "skullcrusher"), (r"\bt bar\b", "tbar"),
    (r"\be z\b", "ez"), (r"\bdb\b", "dumbbell"), (r"\bbb\b", "barbell"), (r"\bkb\b", "kettlebell"),
    (r"\brdl\b", "romanian deadlift"), (r"\bohp\b", "overhead press"), (r"\bsldl\b", "stiff legged deadlift"),
    (r"\btricep\b", "triceps"), (r"\bbicep\b", "biceps"), (r"\bflyes\b", "fly"), (r"\bflye\b", "fly"),
    (r"\bflies\b", "fly"), (r"\bflys\b", "fly"), (r"\bkettlebells\b", "kettlebell"), (r"\bbody ?weight\b", "bodyweight"),
    (r"\bsingle\b", "one"), (r"\blegged\b", "leg"),
)
_WORD_SUBS_RE = [(re.compile(a), b) for a, b in _WORD_SUBS]


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith("ss") or word in {"triceps", "biceps", "abs", "press"}:
        return word
    if word.endswith(("ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


# cached: the checker keys every logged set by its name on every check (38,000 calls for one `peri eval` of a
# 4,690-set log, 7 of its 11 s), and a log has a few hundred distinct names
@functools.lru_cache(maxsize=16384)
def normalize_name(name: str) -> str:
    """A stable key for an exercise name: lower case, no punctuation, qualifiers kept as words.

    "Flat Barbell Bench Press (Each Side) (Smith Machine)" -> "flat barbell bench press smith machine";
    "Pull-Ups" and "pull up" -> "pullup". Unclosed parentheses (seen in FitNotes) are tolerated.
    """
    # NFKD then drop accents, so "Čučanj" keys as "cucanj" rather than losing letters.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    text = text.lower().replace("\u2019", "'")
    text = _NOISE.sub(" ", text)
    text = re.sub(r"[^a-z0-9']+", " ", text).replace("'", "")
    text = re.sub(r"\s+", " ", text).strip()
    for pat, rep in _WORD_SUBS_RE:
        text = pat.sub(rep, text)
    return " ".join(_singular(w) for w in text.split())


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(normalize_name(phrase).split())


# --- results ---------------------------------------------------------------------------------

class ParsedName(BaseModel):
    """What the words of a logged name say."""

    name: str
    words: list[str] = Field(default_factory=list)  # normalised, after corrections
    movement: str | None = None
    movement_words: list[str] = Field(default_factory=list)
    competing_movements: list[str] = Field(default_factory=list)  # >1 = ambiguous
    equipment: str | None = None
    equipment_stated: list[str] = Field(default_factory=list)  # every equipment class named
    modifiers: list[str] = Field(default_factory=list)
    ignored: list[str] = Field(default_factory=list)  # noise words dropped
    unknown: list[str] = Field(default_factory=list)
    corrections: dict[str, str] = Field(default_factory=dict)  # logged word -> vocabulary word(s)


class Resolution(BaseModel):
    """Where a parsed name lands: an id (None = unmapped), a 0-100 score and why."""

    exercise_id: str | None = None
    score: float = 0.0
    reason: str
    rule: str | None = None  # the "EQUIPMENT+MODS" key of the movement's table that was used
    equipment_used: str | None = None
    equipment_assumed: bool = False
    ignored_modifiers: list[str] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)  # ids that tied or were considered
    unknown_variant: list[str] = Field(default_factory=list)  # unknown words read as a variant of the base movement


class _Rule(BaseModel):
    key: str
    eqs: frozenset[str]  # {"*"} = any
    mods: frozenset[str]
    exercise_id: str


class _Movement(BaseModel):
    name: str
    phrases: list[tuple[str, ...]]
    eq: str | None = None
    ignore: frozenset[str] = frozenset()
    fallback: bool = False
    rules: list[_Rule] = Field(default_factory=list)


# A word is corrected to the closest vocabulary word at or above this rapidfuzz ratio, and only
# when the runner-up is clearly further (a typo between "adductor" and "abductor" stays unknown).
# One letter off a 4-5 letter word ("pres", "squt") scores 88.9; "skiing"/"skipping" 85.7 must not pass.
FUZZY_WORD_RATIO = 88.0
# base-movement fallback: at most this many unknown words, each costing this much score
MAX_VARIANT_WORDS = 2
VARIANT_WORD_PENALTY = 15.0
FUZZY_MARGIN = 6.0


def _check_words(data: dict, source: str) -> None:
    """Every word a string: YAML turns a bare ``on``/``no`` into a boolean, which would silently never match."""
    lists = [("noise", data.get("noise") or [])]
    lists += [(f"equipment.{k}", v) for k, v in (data.get("equipment") or {}).items()]
    lists += [(f"modifiers.{k}", (v or {}).get("words") or []) for k, v in (data.get("modifiers") or {}).items()]
    lists += [(f"movements.{k}", (v or {}).get("words") or []) for k, v in (data.get("movements") or {}).items()]
    for where, words in lists:
        bad = [w for w in words if not isinstance(w, str)]
        if bad:
            raise PeriError(f"{where}: {bad} are not words", place=f"{source}:{where}", hint="quote on/no/yes/off")


class NameVocabulary:
    """The word tables of ``data/exercise_words.yaml``, compiled for parsing."""

    def __init__(self, data: dict, source: str = "exercise_words.yaml"):
        self.source = source
        _check_words(data, source)
        self.equipment: dict[tuple[str, ...], str] = {}
        for cls, words in (data.get("equipment") or {}).items():
            for w in words:
                if _words(str(w)):  # a word the normaliser drops entirely can never match
                    self.equipment[_words(str(w))] = str(cls)
        self.modifiers: dict[tuple[str, ...], str] = {}
        self.decisive: set[str] = set()
        self.implies: dict[str, str] = {}
        for mod, spec in (data.get("modifiers") or {}).items():
            for w in spec.get("words") or []:
                if _words(str(w)):
                    self.modifiers[_words(str(w))] = str(mod)
            if spec.get("decisive"):
                self.decisive.add(str(mod))
            if spec.get("implies"):
                self.implies[str(mod)] = str(spec["implies"])
        self.noise: set[tuple[str, ...]] = {_words(str(w)) for w in data.get("noise") or [] if _words(str(w))}
        self.movements: dict[str, _Movement] = {}
        for name, spec in (data.get("movements") or {}).items():
            rules = []
            for key, ex_id in (spec.get("ids") or {}).items():
                eq_part, *mods = str(key).split("+")
                unknown = set(mods) - set(self.decisive) - set(self.modifiers.values())
                if unknown:
                    raise PeriError(f"movement {name!r}: unknown modifier(s) {sorted(unknown)} in {key!r}", place=source)
                rules.append(_Rule(key=str(key), eqs=frozenset(eq_part.split("|")), mods=frozenset(mods), exercise_id=str(ex_id)))
            self.movements[str(name)] = _Movement(
                name=str(name), phrases=[_words(str(w)) for w in spec.get("words") or [] if _words(str(w))],
                eq=spec.get("eq"), ignore=frozenset(spec.get("ignore") or []), fallback=bool(spec.get("fallback")),
                rules=rules,
            )
        self._phrases: list[tuple[tuple[str, ...], str, str]] = sorted(
            [(p, "equipment", c) for p, c in self.equipment.items()]
            + [(p, "modifier", m) for p, m in self.modifiers.items()]
            + [(p, "noise", "") for p in self.noise],
            key=lambda t: -len(t[0]),
        )
        vocab: set[str] = set()
        for p in [*self.equipment, *self.modifiers, *self.noise]:
            vocab.update(p)
        for m in self.movements.values():
            for p in m.phrases:
                vocab.update(p)
        self.vocab = vocab
        self._equipment_words = {w for p in self.equipment for w in p}
        self._vocab_list = sorted(w for w in vocab if len(w) >= 3)

    @classmethod
    def load(cls, path: Path | str | None = None) -> "NameVocabulary":
        """Read the word tables (default: the shipped ``data/exercise_words.yaml``)."""
        from ..paths import load_word_table

        data, p = load_word_table(path, "exercise_words.yaml")
        return cls(data, source=str(p))

    def exercise_ids(self) -> set[str]:
        """Every catalog id the tables point to (checked against the catalog when it loads)."""
        return {r.exercise_id for m in self.movements.values() for r in m.rules}

    # -- parsing
    def _correct(self, word: str) -> str | None:
        """The vocabulary word(s) a word not in the vocabulary stands for, or None."""
        if word.isdigit() or len(word) < 4:
            return None
        for i in range(3, len(word) - 2):  # run-together words: "benchpress", "legcurl"
            a, b = word[:i], word[i:]
            if a in self.vocab and b in self.vocab:
                return f"{a} {b}"
        from rapidfuzz import fuzz, process

        # typos keep the first letter ("Bench Pres", "Dumbell"); without that rule "flying" would
        # become "lying" and change the movement
        from rapidfuzz.distance import OSA

        pool = [w for w in self._vocab_list if w[0] == word[0]]

        def score(cand: str) -> float:
            # one swapped pair of letters ("deadlfit") is one slip of the finger, not two edits
            if len(word) >= 5 and OSA.distance(word, cand) <= 1:
                return max(fuzz.ratio(word, cand), 95.0)
            return fuzz.ratio(word, cand)

        near = process.extract(word, pool, scorer=fuzz.ratio, limit=8, score_cutoff=70)
        hits = sorted(((c, score(c)) for c, _, _ in near), key=lambda t: -t[1])
        if not hits or hits[0][1] < FUZZY_WORD_RATIO or abs(len(hits[0][0]) - len(word)) > 2:
            return None
        if len(hits) > 1 and hits[0][1] - hits[1][1] < FUZZY_MARGIN:
            return None
        return hits[0][0]

    def _movement_phrases(self, words: list[str]) -> list[tuple[str, tuple[str, ...], bool]]:
        """Movement phrases whose words all occur in the name (any order: "Press Bench Incline"),
        each flagged whether its words stand together in order."""
        def together(p: tuple[str, ...]) -> bool:
            return any(tuple(words[k:k + len(p)]) == p for k in range(len(words) - len(p) + 1))

        have = Counter(words)
        out = []
        for m in self.movements.values():
            for p in m.phrases:
                if Counter(p) - have:
                    continue
                t = together(p)
                # a phrase holding an equipment word ("cable row") counts only as written: in
                # "Bent Over Row, Cable" the cable is the equipment, not part of a seated cable row
                if not t and any(w in self._equipment_words for w in p):
                    continue
                out.append((m.name, p, t))
        return out

    def parse(self, name: str) -> ParsedName:
        """Split a logged name into movement, equipment, modifiers, noise and unknown words."""
        out = ParsedName(name=name)
        words: list[str] = []
        for w in normalize_name(name).split():
            if w in self.vocab or w.isdigit():
                words.append(w)
                continue
            # "Bench Pres" singularises to "pre": try the word as logged too
            fix = self._correct(w) or (self._correct(w + "s") if len(w) >= 3 and not w.endswith("s") else None)
            if fix:
                out.corrections[w] = fix
                words.extend(fix.split())
            else:
                words.append(w)
        out.words = words
        matched = self._movement_phrases(words)
        # a phrase inside a longer matched phrase is not a second movement ("curl" in "leg curl")
        keep = [
            (m, p, t) for m, p, t in matched
            if not any(len(q) > len(p) and not Counter(p) - Counter(q) for _, q, _ in matched)
        ]
        movements = sorted({m for m, _, _ in keep})
        if len(movements) > 1:
            # two movements in one name: the one whose words stand together ("Single Leg Standing
            # Calf Raise" is a calf raise, not a leg raise), else the non-fallback one
            together = sorted({m for m, _, t in keep if t})
            movements = together or movements
        if len(movements) > 1:
            non_fallback = [m for m in movements if not self.movements[m].fallback]
            movements = non_fallback or movements
        rest = list(words)
        if len(movements) == 1:
            out.movement = movements[0]
            phrase = max((p for m, p, _ in keep if m == out.movement), key=len)
            out.movement_words = list(phrase)
            for w in phrase:
                rest.remove(w)
            # a second synonym of the same movement is no news ("Back Extension (Hyperextension)")
            for p in self.movements[out.movement].phrases:
                if not Counter(p) - Counter(rest):
                    for w in p:
                        rest.remove(w)
                        out.ignored.append(w)
        elif len(movements) > 1:
            out.competing_movements = movements
        # the rest, longest phrases first, in the order the words stand
        equipment: list[str] = []
        i = 0
        while i < len(rest):
            for phrase, kind, value in self._phrases:
                n = len(phrase)
                if tuple(rest[i:i + n]) == phrase:
                    if kind == "equipment":
                        equipment.append(value)
                    elif kind == "modifier":
                        if value not in out.modifiers:
                            out.modifiers.append(value)
                    else:
                        out.ignored.extend(phrase)
                    i += n
                    break
            else:
                if rest[i].isdigit():
                    out.ignored.append(rest[i])
                else:
                    out.unknown.append(rest[i])
                i += 1
        if not equipment:  # "Reverse Pec Deck", "Cable Crossover": the movement's own words name it
            for k in range(len(out.movement_words)):
                for phrase, cls in self.equipment.items():
                    if tuple(out.movement_words[k:k + len(phrase)]) == phrase:
                        equipment.append(cls)
        out.equipment_stated = list(dict.fromkeys(equipment))
        out.equipment = self._pick_equipment(name, out.equipment_stated)
        if out.equipment is None and not out.equipment_stated:
            for m in out.modifiers:
                if m in self.implies:
                    out.equipment = self.implies[m]
                    break
        return out

    def _pick_equipment(self, name: str, found: list[str]) -> str | None:
        if not found:
            return None
        s = set(found)
        # a Smith machine holds a barbell; a trap bar / EZ bar is a kind of bar
        for specific in ("smith", "trapbar", "ez"):
            if specific in s:
                return specific
        if len(s) == 1:
            return found[0]
        # "Flat Barbell Bench Press (Machine)": the app's parenthesised equipment is the stated one
        inside = set()
        for part in re.findall(r"\(([^)]*)\)?", name):
            words = normalize_name(part).split()
            for phrase, cls in self.equipment.items():
                if any(tuple(words[k:k + len(phrase)]) == phrase for k in range(len(words))):
                    inside.add(cls)
        return next(iter(inside)) if len(inside) == 1 else None

    # -- resolving
    def resolve(self, parsed: ParsedName, named_words: frozenset[str] | set[str] | None = None) -> Resolution:
        """The catalog id a parsed name stands for, or None with the reason.

        Unknown words: with ``named_words`` (the words of the catalog's own names), a name with at
        most ``MAX_VARIANT_WORDS`` unknown words, none of them a word the catalog uses, falls back to
        its base movement ("Waiter Curl" -> a dumbbell curl), scored ``VARIANT_WORD_PENALTY`` lower
        per word: a word no exercise list knows is a person's label for a variant, while a catalog
        word the tables lack may name another exercise ("Jefferson Curl" is not a biceps curl) and
        keeps the name unmapped. Without ``named_words`` any unknown word keeps it unmapped.
        """
        if parsed.competing_movements:
            return Resolution(reason=f"ambiguous: the name holds several movements ({', '.join(parsed.competing_movements)})")
        if parsed.movement is None:
            return Resolution(reason="no movement word recognised")
        if parsed.unknown:
            blocking = sorted(set(parsed.unknown) & set(named_words or ()))
            if named_words is None or blocking or len(parsed.unknown) > MAX_VARIANT_WORDS:
                why = f"; {blocking} name other catalog exercises" if blocking else ""
                return Resolution(reason=f"unknown word(s) {parsed.unknown}: they may change the movement{why}")
            base = self.resolve(parsed.model_copy(update={"unknown": []}))
            if base.exercise_id is None:
                return base.model_copy(update={"reason": f"unknown word(s) {parsed.unknown}, and {base.reason}"})
            return base.model_copy(update={
                "score": base.score - VARIANT_WORD_PENALTY * len(parsed.unknown),
                "reason": f"{base.reason}; base movement for the unknown variant word(s) {parsed.unknown}",
                "unknown_variant": list(parsed.unknown),
            })
        if len(parsed.equipment_stated) > 1 and parsed.equipment is None:
            return Resolution(reason=f"conflicting equipment {parsed.equipment_stated}")
        mv = self.movements[parsed.movement]
        mods = set(parsed.modifiers)
        decisive = {m for m in mods if m in self.decisive and m not in mv.ignore}
        assumed = parsed.equipment is None
        eq = parsed.equipment or mv.eq

        def fits(r: _Rule, eq_: str | None) -> bool:
            eq_ok = eq_ is None or "*" in r.eqs or eq_ in r.eqs or (assumed and "?" in r.eqs)
            return eq_ok and r.mods <= mods and decisive <= r.mods

        def best(rules: list[_Rule]) -> tuple[_Rule | None, list[str]]:
            if not rules:
                return None, []
            top = max(len(r.mods) for r in rules)
            tops = [r for r in rules if len(r.mods) == top]
            # "?" rules say what a variant means when no equipment is named ("Preacher Curl")
            tops = [r for r in tops if "?" in r.eqs] or tops
            ids = sorted({r.exercise_id for r in tops})
            return (tops[0] if len(ids) == 1 else None), ids

        rule, ids = best([r for r in mv.rules if fits(r, eq)])
        widened = False
        if rule is None and not ids and assumed and decisive:
            # no equipment stated and the usual one has no such variant ("One Leg RDL"): any
            # equipment, if every fitting entry is the same exercise
            rule, ids = best([r for r in mv.rules if fits(r, None)])
            widened = rule is not None
        if rule is None:
            if len(ids) > 1:
                return Resolution(reason="several entries fit equally well", candidates=ids)
            what = f"{eq} " if eq else ""
            extra = f" with {sorted(decisive)}" if decisive else ""
            if eq is None and not mv.eq:
                return Resolution(reason=f"{mv.name}: the name does not say the equipment, and the variants differ")
            return Resolution(reason=f"the catalog has no {what}{mv.name}{extra}")
        ignored = sorted(mods - rule.mods)
        if assumed and "?" in rule.eqs:
            eq = None  # the variant itself says what it is done with
        score = 100.0 - 4.0 * len(parsed.corrections) - 1.0 * len(ignored) - (3.0 if assumed else 0.0) - (5.0 if widened else 0.0)
        return Resolution(
            exercise_id=rule.exercise_id, score=score, rule=rule.key, equipment_used=eq if not widened else None,
            equipment_assumed=assumed, ignored_modifiers=ignored, candidates=ids,
            reason=(
                f"{mv.name}" + (f" ({eq}{', assumed' if assumed else ''})" if eq and not widened else "")
                + (f" + {sorted(rule.mods)}" if rule.mods else "")
                + (f"; base lift for {ignored}" if ignored else "")
            ),
        )


@functools.lru_cache(maxsize=1)
def default_vocabulary() -> NameVocabulary:
    """The shipped word tables, loaded once per process."""
    return NameVocabulary.load()


def parse_name(name: str, vocabulary: NameVocabulary | None = None) -> ParsedName:
    """Parse one logged name with the shipped (or a given) vocabulary."""
    return (vocabulary or default_vocabulary()).parse(name)
