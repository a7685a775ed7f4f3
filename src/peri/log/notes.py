"""Facts pulled out of free-text training notes: RPE/RIR, what the note says happened, and where it hurts.

Real logs leave the RPE column nearly empty and write effort and pain into notes instead
("RPE: 8 on the last set", "3x 8-10 RPE7", "2 RIR", "the squats tweaked my lower back again"),
sometimes in other languages. `parse_note` reads those with small keyword tables (English, Croatian,
German, Spanish, French, Portuguese, Italian) and deliberately errs on the side of saying nothing:
exercise names that contain a body part ("hip thrust", "back squat", "shoulder press") are masked
first, and negated mentions ("no pain", "pain-free", "sin dolor", "bez boli") do not count.

`annotations_for_session` turns a session's notes into `Annotation`s with the text kept verbatim.
It is a pure function of the `Session`, so the simulator and the importers share it.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from pydantic import BaseModel, Field

from .models import ANNOTATION_TAGS, REGIONS, Annotation, Scope, Session

__all__ = ["NoteFacts", "annotations_for_session", "note_annotations", "parse_note", "regions_in"]


class NoteFacts(BaseModel):
    """What one note says: effort (RPE/RIR), tags from ANNOTATION_TAGS and regions from REGIONS."""

    rpe: float | None = None
    rir: float | None = None
    tags: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)


def _fold(text: str) -> str:
    """Lower-case, strip accents (đ→d, ß→ss) so one keyword table covers accented and plain spellings."""
    text = text.lower().replace("đ", "d").replace("ß", "ss").replace("ø", "o").replace("ł", "l")
    if text.isascii():
        return text  # nothing to decompose: most notes, and the cheap path for long ones
    text = unicodedata.normalize("NFKD", text)
    return _NON_ASCII.sub(lambda m: "" if unicodedata.combining(m.group()) else m.group(), text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# --- effort ---------------------------------------------------------------------------------
_NUM = r"(\d{1,2}(?:[.,]\d)?)"
_RPE_PATTERNS = [
    re.compile(rf"\brpe\s*[:=]?\s*(?:of\s+|was\s+|is\s+|@\s*)?{_NUM}(?:\s*[-–/]\s*{_NUM})?"),
    re.compile(rf"(?<![\d.,]){_NUM}(?:\s*[-–/]\s*{_NUM})?\s*rpe\b"),
    # "@8", "100kg @ 8.5" -- but not "@80kg" or "@ 8 kg"
    re.compile(r"@\s*(\d{1,2}(?:[.,]5)?)(?![\d.,]|\s*(?:kg|kgs|lb|lbs|%|x|reps?)\b)"),
]
_RIR_PATTERNS = [
    re.compile(rf"(?<![\d.,]){_NUM}(?:\s*[-–/]\s*{_NUM})?\s*(?:rir\b|reps? in (?:the )?reserve|(?:reps? )?in the tank|left in the tank)"),
    re.compile(rf"\brir\s*[:=]?\s*{_NUM}(?:\s*[-–/]\s*{_NUM})?"),
]


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def _effort(folded: str, patterns: list[re.Pattern[str]], low: float, high: float) -> float | None:
    for pat in patterns:
        for m in pat.finditer(folded):
            values = [_num(g) for g in m.groups() if g is not None]
            value = sum(values) / len(values)  # "RPE 7-8" -> 7.5
            if low <= value <= high:
                return value
    return None


# --- body regions ---------------------------------------------------------------------------
# Exercise names that contain a body-part word: masked before looking for regions.
_EXERCISE_PHRASES = re.compile(
    r"\b(?:hip|shoulder|back|knee|wrist|neck|ankle|elbow|calf|leg|trap)s?[\s-]+"
    r"(?:thrusts?|squats?|press(?:es)?|raises?|extensions?|ext|curls?|rows?|flys?|flyes|flies|bridges?|abduct\w*|adduct\w*|"
    r"hinges?|circles?|shrugs?|rollers?|tucks?|ups?|bar|day|off|bench|sleeves?|wraps?|straps?|belt|workout|session|"
    r"rotations?|crunch\w*|lever|hyper\w*|pull\w*|drive|flexor stretch)\b"
    r"|\b(?:lat|upper|lower|front|rear|good|side)[\s-]+(?:pulldown|raise|delt|morning)s?\b"
    r"|\bback[\s-]*offs?\b|\b(?:bi|tri|chest)\w*\s*(?:and|&|/|\+)\s*back\b|\bback\s*(?:and|&|/|\+)\s*(?:bi|tri|chest)\w*|\b(?:came|come|coming|get|got|go|went|bounce\w*)\s+back\b"
    r"|\bhyperextension\w*|\bback[\s-]?squat\w*\b"
)

# Specific region words (any language, folded). Generic "back" words are handled separately: they
# count as lower_back only when the same note also speaks of pain, so "back straight" stays a cue.
_REGION_WORDS: dict[str, list[str]] = {
    "shoulder": [
        r"shoulders?", r"rotator cuffs?", r"ac joint", r"labrum", r"rame(?:na|nu|nom|ni)?", r"schultern?",
        r"hombros?", r"epaules?", r"ombros?", r"spall[ae]",
    ],
    "elbow": [
        r"elbows?", r"tennis elbow", r"golfer'?s elbow", r"lak(?:at|ta|tu|tovi|tom)", r"ell?(?:en)?bogen",
        r"codos?", r"coudes?", r"cotovelos?", r"gomit[oi]",
    ],
    "wrist": [
        r"wrists?", r"zapes(?:ce|ca|cu)?", r"rucn\w* zglob\w*", r"handgelenke?n?", r"munecas?", r"poignets?",
        r"pulsos?", r"pols[oi]",
    ],
    "lower_back": [
        r"lower back", r"low back", r"lumbar", r"lumbago", r"si joint", r"sciatica", r"krsta", r"krizima", r"kriza",
        r"donj\w* led\w*", r"unter(?:e[rnm]?)? rucken", r"kreuz", r"lendenwirbel\w*", r"espalda baja", r"zona lumbar",
        r"lumbares?", r"bas du dos", r"lombaires?", r"lombar", r"lombare", r"zona lombare", r"bassa schiena",
    ],
    "hip": [
        r"hips?", r"hip flexors?", r"kuk(?:a|u|ovi|ove|om)?", r"huften?", r"caderas?", r"hanches?", r"quadris?",
        r"quadril", r"anca", r"anche",
    ],
    "knee": [
        r"knees?", r"patella\w*", r"kolje(?:no|na|nu|nima)", r"knien?", r"knie", r"rodillas?", r"genou[xs]?",
        r"joelhos?", r"ginocch(?:io|ia)",
    ],
    "neck": [r"neck", r"vrat(?:a|u)?", r"nacken", r"halswirbel\w*", r"cuello", r"nuque", r"pescoco", r"collo", r"cervical\w*"],
    "ankle": [
        r"ankles?", r"achilles", r"glez(?:anj|nja|nju|njevi)", r"knochel", r"sprunggelenke?", r"tobillos?",
        r"chevilles?", r"tornozelos?", r"cavigli[ae]",
    ],
    "upper_back": [
        r"upper back", r"mid back", r"middle back", r"thoracic", r"rhomboids?", r"traps?(?! bar)", r"trapezius",
        r"gornj\w* led\w*", r"ober(?:e[rnm]?)? rucken", r"espalda alta", r"haut du dos", r"parte superior das costas",
        r"parte alta della schiena",
    ],
}
_GENERIC_BACK = re.compile(r"\b(?:back|led(?:a|ima)|rucken|espalda|(?:du|le|au|mon|les) dos|costas|schiena)\b")


@lru_cache(maxsize=1)
def _region_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(region, re.compile(r"\b(?:" + "|".join(words) + r")\b")) for region, words in _REGION_WORDS.items()]


# --- tags -----------------------------------------------------------------------------------
_PAIN = (
    r"pain\w*|hurts?|hurting|hurted|aches?|achy|aching|twinges?|tweak\w*|injur\w*|strain\w*|sprain\w*|niggl\w*|tender|"
    r"discomfort|pinch\w*|impinge\w*|tendin\w*|tendon pain|inflam\w*|recovering from|still recovering|pulled (?:a|my)|"
    r"flare\w*|cramp\w*|tear|torn|sore(?:ness)?|"
    r"bol(?:i|e|ovi|jelo|jela|jeti|no|na|an)?|ozljed\w*|ozlijed\w*|istegn\w*|upal\w*|"  # hr
    r"schmerz\w*|tut weh|weh|verletz\w*|zerrung|"  # de
    r"dolor\w*|duele\w*|lesion\w*|molestia\w*|"  # es
    r"douleurs?|mal (?:au|aux|a la|a l|dans)|blessu\w*|blesse\w*|"  # fr
    r"dor(?:es)?|doi|doeu|lesao|machuc\w*|"  # pt
    r"dolor[ei]|fa male|infortuni\w*|lesione|fastidio"  # it
)
_AGGRAVATED = (
    r"aggravat\w*|tweak\w*|flared?(?: up)?|flaring|re-?injur\w*|acting up|irritat\w*|worse|again|"
    r"pogorsa\w*|opet|ponovno|verschlimmer\w*|schlimmer|wieder|empeor\w*|agrav\w*|otra vez|aggrav\w*|pire|"
    r"de nouveau|encore|piorou|de novo|outra vez|peggior\w*|aggravat\w*|di nuovo"
)
_EXCESSIVE = (
    r"too (?:much|many|heavy|hard|long)|way too|wrecked|destroyed|exhausted|exhausting|overtrain\w*|overreach\w*|fried|"
    r"burn(?:ed|t)? out|gassed|cooked|smoked|tired|fatigue\w*|drained|not (?:fully )?recovered|"
    r"umor\w*|previse|iscrplje\w*|prenaporn\w*|"  # hr
    r"mude|erschopft|zu (?:viel|schwer)|kaputt|uberlastet|"  # de
    r"cansad[oa]s?|agotad[oa]s?|demasiad[oa]s?|reventad[oa]|"  # es
    r"fatigue?e?s?|epuise\w*|trop (?:de|lourd)|creve\w*|"  # fr
    r"exaust[oa]s?|demais|destruid[oa]|esgotad[oa]|"  # pt
    r"stanc[oa]|esaust[oa]|troppo|distrutt[oa]|sfinit[oa]"  # it
)
_WORKED = (
    r"worked|works well|working well|(?:is|are|'s) working|paid off|effective|progress(?:ed|ing|ion worked)?|new pr|\bpr\b|\bpb\b|personal (?:best|record)|"
    r"uspjel\w*|napredak|napredujem|funkcionir\w*|"  # hr
    r"hat funktioniert|funktioniert|fortschritt\w*|bestleistung|"  # de
    r"funciono|funciona|progreso|record personal|"  # es
    r"a (?:bien )?marche|fonctionne|progres|"  # fr
    r"funcionou|progresso|"  # pt
    r"ha funzionato|funziona|progressi"  # it
)
_STRONG = (
    r"felt (?:strong|great|good|amazing|light|easy|solid|fast)|feeling (?:strong|great|good)|strong|stronger|"
    r"(?:was|felt|went|moved|so|too) easy|"
    r"flew|moved well|smooth|crushed it|"
    r"jak[ao]?|jaci|lagano|lako|odlicno|"  # hr
    r"stark|starker|leicht|gut gefuhlt|"  # de
    r"fuerte|facil|ligero|genial|"  # es
    r"fort|forte|facile|leger|en forme|"  # fr
    r"facil|leve|otimo|"  # pt
    r"facile|leggero|ottimo|in forma"  # it
)
_NEGATOR = re.compile(
    r"(?:\bno|\bnot|\bwithout|\bnever|\bzero|n't|\bfree of|\bisn'?t|\bsin|\bohne|\bkein\w*|\bsans|\bpas de|\bpas|\bsem|\bsenza|"
    r"\bbez|\bnema|\bne|\bnisam|\bnicht|\bnon|\bnada de|\bnada|\bsin nada de)\s+(?:\w+\s+){0,2}$"
)
# The same test read backwards from the match: `_NEGATOR` anchored at the end ($) is tried by `search` at
# every position of the text before it; reversed, it is one anchored `match` that reads at most three words.
_NEGATOR_WORDS = (
    r"\bno", r"\bnot", r"\bwithout", r"\bnever", r"\bzero", r"n't", r"\bfree of", r"\bisn'?t", r"\bsin", r"\bohne",
    r"\bkein\w*", r"\bsans", r"\bpas de", r"\bpas", r"\bsem", r"\bsenza", r"\bbez", r"\bnema", r"\bne", r"\bnisam",
    r"\bnicht", r"\bnon", r"\bnada de", r"\bnada", r"\bsin nada de",
)


def _reverse_word(pattern: str) -> str:
    """A negator pattern written for reversed text: `\\bkein\\w*` -> `\\w*niek\\b`, `\\bisn'?t` -> `t'?nsi\\b`."""
    lead = pattern.startswith(r"\b")
    body = pattern[2:] if lead else pattern
    tail = ""
    if body.endswith(r"\w*"):
        body, tail = body[:-3], r"\w*"
    tokens = re.findall(r".\?|.", body)  # "n'?t" -> ["n", "'?", "t"]: a quantifier stays with its character
    return tail + "".join(reversed(tokens)) + (r"\b" if lead else "")


_NEGATOR_BACKWARDS = re.compile(r"(?:\s+\w+){0,2}\s+(?:" + "|".join(_reverse_word(w) for w in _NEGATOR_WORDS) + ")")
_OTHER_TIREDNESS = re.compile(r"\b(?:slept|sleep\w*|sick|ill|cold|flu|jet ?lag\w*|work|baby|kids?)\b")
# Complaints that are only complaints when a body region is named in the same note.
_SOFT_PAIN = re.compile(
    r"\b(?:tight(?:ness)?|stiff(?:ness)?|did ?n[o']?t like (?:this|that|it)|not happy|grumpy|cranky|unhappy|"
    r"zategnut\w*|ukocen\w*|verspannt|steif|tenso|rigido|raide|contratto|contrat\w*)\b"
)
_PAIN_FREE = re.compile(r"\b(?:pain|hurt|injury)[\s-]*free\b|\bbez bol\w*\b|\bschmerzfrei\b")
_TAG_PATTERNS = {
    "pain": re.compile(rf"\b(?:{_PAIN})\b"),
    "aggravated": re.compile(rf"\b(?:{_AGGRAVATED})\b"),
    "excessive": re.compile(rf"\b(?:{_EXCESSIVE})\b"),
    "worked": re.compile(rf"\b(?:{_WORKED})\b"),
    "felt_strong": re.compile(rf"\b(?:{_STRONG})\b"),
}
# "dolor fuerte", "strong pain", "bol jaka": strength words that describe the pain, not the lifter.
_STRONG_PAIN = re.compile(rf"\b(?:{_PAIN})\s+(?:\w+\s+)?(?:fuerte|forte|fort|stark\w*|strong|jak\w*)\b|\b(?:strong|sharp|starke[rn]?|jak\w*|fort\w*)\s+(?:{_PAIN})\b")


_CLAUSE_BREAK = re.compile(r"[.;,!?\n]|\b(?:but|aber|pero|mais|mas|ma|ali)\b")
# A negator reaches at most two words (plus a three-word negator such as "sin nada de") back; this many
# characters hold that for any real words. The bound is what keeps a long note linear: each match looks
# back a fixed distance instead of re-reading the note from its start.
_NEGATOR_REACH = 160


@lru_cache(maxsize=4)
def _clause_ends(text: str) -> list[int]:
    """Where each clause break ends; one note is asked about five tag patterns, so it is read once."""
    return [b.end() for b in _CLAUSE_BREAK.finditer(text)]


def _any_hit(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `_hits` would find anything, reading no further than the first hit."""
    return next(_iter_hits(pattern, text), None) is not None


def _iter_hits(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches that are not negated by a word just before them in the same clause.

    Clause breaks are found once per text and each match looks back only within its own clause and
    `_NEGATOR_REACH` characters, so the cost grows with the length of the note, not with its square.
    """
    ends: list[int] | None = None
    for m in pattern.finditer(text):
        if ends is None:
            ends = _clause_ends(text)
        start = m.start()
        i = bisect.bisect_right(ends, start) - 1  # the last clause break ending at or before the match
        clause_start = ends[i] if i >= 0 else 0
        before = text[max(clause_start, start - _NEGATOR_REACH): start]
        if before[-1:].isspace() and _NEGATOR_BACKWARDS.match(before[::-1]):
            continue
        yield m


def regions_in(text: str, *, pain_context: bool | None = None) -> list[str]:
    """The REGIONS a text names (exercise names masked), in vocabulary order."""
    return _regions(_EXERCISE_PHRASES.sub(" ", _fold(text)), pain_context)


def _regions(folded: str, pain_context: bool | None) -> list[str]:
    """`regions_in` on text already folded and with exercise names masked."""
    found = {region for region, pat in _region_patterns() if pat.search(folded)}
    if pain_context is None:
        pain_context = _any_hit(_TAG_PATTERNS["pain"], folded) or _any_hit(_TAG_PATTERNS["aggravated"], folded)
    if pain_context and not found & {"lower_back", "upper_back"} and _GENERIC_BACK.search(folded):
        found.add("lower_back")
    return [r for r in REGIONS if r in found]


def parse_note(text: str | None) -> NoteFacts:
    """Read RPE/RIR, tags and named body regions out of one free-text note (any of the seven languages)."""
    if not text or not text.strip():
        return NoteFacts()
    # the cache is for the short notes repeated on every set; a long one would only pin its text in memory
    rpe, rir, tags, regions = _parse_cached(text) if len(text) <= 4096 else _parse_text(text)
    return NoteFacts(rpe=rpe, rir=rir, tags=list(tags), regions=list(regions))


@lru_cache(maxsize=8192)
def _parse_cached(text: str) -> tuple[float | None, float | None, tuple[str, ...], tuple[str, ...]]:
    # logs repeat the same notes on every set of an exercise: parse each distinct text once
    return _parse_text(text)


def _parse_text(text: str) -> tuple[float | None, float | None, tuple[str, ...], tuple[str, ...]]:
    folded = _fold(text)
    rpe = _effort(folded, _RPE_PATTERNS, 1.0, 10.0)
    rir = _effort(folded, _RIR_PATTERNS, 0.0, 10.0)
    exercises_masked = _EXERCISE_PHRASES.sub(" ", folded)
    masked = _PAIN_FREE.sub(" ", exercises_masked)
    tags: set[str] = set()
    # hits are read lazily: each question below stops at the first match that settles it
    pain_hits = _iter_hits(_TAG_PATTERNS["pain"], masked)
    first_pain = next(pain_hits, None)
    pain = first_pain is not None
    regions = _regions(exercises_masked, pain)
    sore_only = pain and all(re.fullmatch(r"sore(?:ness)?", m.group(0)) for m in itertools.chain([first_pain], pain_hits))
    if sore_only and not regions:
        pain = False  # "Still sore" is muscle soreness, not a complaint about a joint
    if not pain and regions and _SOFT_PAIN.search(masked):
        pain = True  # "knee didn't like this", "low back tight": vague, but about a named joint
    if pain:
        tags.add("pain")
        # "again", "worse" only mean aggravation next to a pain word; the explicit verbs always do
        if _any_hit(_TAG_PATTERNS["aggravated"], masked):
            tags.add("aggravated")
    elif re.search(r"\b(?:aggravat\w*|tweak\w*|flared? up|re-?injur\w*|pogorsa\w*|verschlimmer\w*|empeor\w*|agrav\w*|aggrav\w*|piorou|peggior\w*)\b", masked) and regions:
        tags.update({"aggravated", "pain"})
    excessive_hits = _iter_hits(_TAG_PATTERNS["excessive"], masked)
    first_excessive = next(excessive_hits, None)
    excessive = first_excessive is not None
    if excessive and all(m.group(0) == "tired" for m in itertools.chain([first_excessive], excessive_hits)) \
            and _OTHER_TIREDNESS.search(masked):
        excessive = False  # "tired, slept badly": tired for a reason other than training
    if excessive:
        tags.add("excessive")
    if _any_hit(_TAG_PATTERNS["worked"], masked):
        tags.add("worked")
    strong_text = _STRONG_PAIN.sub(" ", masked)
    if _any_hit(_TAG_PATTERNS["felt_strong"], strong_text):
        tags.add("felt_strong")
    return rpe, rir, tuple(t for t in ANNOTATION_TAGS if t in tags), tuple(regions)


def note_annotations(
    day: dt.date, session_notes: str | None, exercise_notes: Iterable[tuple[str, str | None, str | None]], *,
    source: str = "note",
) -> list[Annotation]:
    """Annotations for one session from its notes and its (exercise, exercise_id, note) triples.

    One per non-empty session note, one per distinct (exercise, note) pair; text verbatim.
    """
    out: list[Annotation] = []
    if session_notes and session_notes.strip():
        f = parse_note(session_notes)
        out.append(
            Annotation(scope=Scope.session, date=day, text=session_notes, tags=f.tags, regions=f.regions, rpe=f.rpe,
                       rir=f.rir, source=source)
        )
    seen: set[tuple[str, str]] = set()
    for exercise, exercise_id, note in exercise_notes:
        if not note or not note.strip() or (exercise, note) in seen:
            continue
        seen.add((exercise, note))
        f = parse_note(note)
        out.append(
            Annotation(scope=Scope.exercise, date=day, text=note, exercise=exercise, exercise_id=exercise_id, tags=f.tags,
                       regions=f.regions, rpe=f.rpe, rir=f.rir, source=source)
        )
    return out


def annotations_for_session(session: Session) -> list[Annotation]:
    """One annotation per non-empty session note and per distinct set/exercise note (a pure function)."""
    source = "sim" if session.source == "sim" else "note"
    return note_annotations(
        session.day, session.notes, ((s.exercise, s.exercise_id, s.note) for s in session.sets), source=source
    )
