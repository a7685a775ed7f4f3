"""Training maxes a programme states, so that "70% TM" under that lift is a load and not a guess.

5/3/1 and its offshoots write every working set as a percentage of a training max (TM) and state the TMs once,
above the weeks: ``Training maxes: Squat 140 kg, Bench 100, Deadlift 180``, ``Squat TM = 140``, ``Deadlift (TM
180 kg)``. Without them peri takes a TM as 90% of the 1RM (the programme's own rule) and the 1RM from the log's
best e1RM; with them, "70% TM" of a lift whose TM is stated is 70% of that number (to 0.5 kg), and the reading
says which line stated it. A bare percentage ("5 x 5 @ 75%") of such a lift is read of its TM too: a text that
states a lift's TM writes its percentages of it. An explicit "% 1RM" never is.

One-rep maxes stated the same way (``1RM: Squat 160 kg``, ``Maxes: Bench 120``, ``Deadlift 1RM = 200``) are read
too (`StatedMax.kind` "1rm"): "75% 1RM" of such a lift is 75% of it, a bare "75%" too when no TM is stated for the
lift, and "70% TM" is 70% of a training max taken as 90% of the stated 1RM (85% of a 140 kg TM is 119 kg; 70% TM
of a 160 kg 1RM is 0.7 x 144 = 100.8 -> 101 kg).

`stated_maxes(lines, tm_words, unit) -> list[StatedMax]` reads the statements (a line naming a training max, no
percentage and no sets x reps on it, one or more "lift number [unit]" pieces); `find(maxes, lift, fold, key)`
matches a lift as written in the plan: the same words; else the same exercise by `key` (the catalog's reading of a
name, as the log's names are read: "OHP" is "Overhead Press", "DL" "Deadlift", "BP" "Bench Press"); else a stated
name whose words are all in it, the one whose first word comes earliest when several do: "Bench" states "Bench
Press" and "Close-grip Bench Press", "Press" "Overhead Press". A number out of 2.5-1000 kg is no training max.
Reads text, never the log.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Literal

from .text import pounds_to_kg

__all__ = ["StatedMax", "find", "stated_maxes"]

_NUM = r"\d+(?:[.,]\d+)?"
_UNIT = r"(?P<u>kgs?|kilos?|lbs?|pounds?|#)?"
_NAME = r"(?P<name>[^\W\d_][^,;/|:=()\d\x00]{0,40}?)"
# "Squat 140 kg" / "Squat: 140" / "Squat = 140", one piece of a list that a training-max label opens
_PIECE = re.compile(rf"{_NAME}\s*[:=–-]?\s*(?P<v>{_NUM})\s*{_UNIT}(?!\d)\s*$", re.IGNORECASE)
# "Squat TM: 140 kg", "Squat - TM = 140", "Deadlift (TM 180 kg)": one lift, the label between name and number
_ONE = re.compile(rf"^{_NAME}\s*[-–:(]?\s*\x00\s*[:=]?\s*(?P<v>{_NUM})\s*{_UNIT}\s*\)?\s*[:.]?\s*$", re.IGNORECASE)
_LIST = re.compile(r"^\x00\s*[:=–-]?\s*(?P<rest>.+)$")  # "Training maxes: Squat 140 kg, Bench 100"
_SCHEME = re.compile(r"\d\s*[x×]\s*\d|%")
MIN_KG, MAX_KG = 2.5, 1000.0
MAX_NAME_WORDS = 4  # "Close Grip Bench Press"; a longer run of words is a sentence, not a lift


@dataclass(frozen=True)
class StatedMax:
    """A lift's training max as the text states it: the lift's name as written, kilograms, the line, the words."""

    name: str
    kg: float
    line: int
    written: str  # the line, cut to 80 characters
    value: str  # the max as written, with its unit ("315 lb", "140 kg")
    alone: bool  # the only lift its line names ("Squat (TM 140 kg)"): the line may head that lift's weeks
    kind: Literal["tm", "1rm"] = "tm"  # a training max, or a one-rep max ("1RM: Squat 160 kg")


def _words(text: str, fold: Callable[[str], str]) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def stated_maxes(lines: list[str], tm: re.Pattern[str], unit: Literal["kg", "lb"],
                 fold: Callable[[str], str], *, kind: Literal["tm", "1rm"] = "tm",
                 unless: re.Pattern[str] | None = None) -> list[StatedMax]:
    """Every training max a line states (module docstring): a line opened by a training-max label and listing
    "lift number [unit]" pieces, or one lift with the label between its name and its number. A sentence that
    mentions a TM ("my TM went up 5 kg") states none. With `kind` "1rm" and `tm` the one-rep max's words, the
    one-rep maxes stated the same way ("1RM: Squat 160 kg", "Bench max: 120"), on lines `unless` does not find
    (a training max's line, whose "max" is no 1RM)."""
    out: list[StatedMax] = []
    for lineno, raw in enumerate(lines, start=1):
        low = fold(raw)
        if not tm.search(low) or _SCHEME.search(low) or (unless is not None and unless.search(low)):
            continue
        text = re.sub(r"[*_`]", "", raw)
        text = re.sub(r"^[\s#>\-•+]+", "", text).strip()
        marked = tm.sub("\x00", fold(text))
        if "\x00" not in marked:
            continue
        # positions shift where the label is replaced: cut the names from the marked text, cased from `text` by word
        one = _ONE.match(marked)
        for m in [one] if one else _listed(marked):
            if m is None:
                continue
            name = _EDGES.sub("", _cased(m.group("name"), text, fold))
            if not name or not 1 <= len(_words(name, fold)) <= MAX_NAME_WORDS:
                continue
            value = float(m.group("v").replace(",", "."))
            u = "lb" if (m.group("u") or unit).lower().startswith(("lb", "pound", "#")) else "kg"
            kg = pounds_to_kg(value) if u == "lb" else value
            if MIN_KG <= kg <= MAX_KG:  # "Week 1 TM: ..." states no 1 kg max
                out.append(StatedMax(name=name, kg=round(kg, 2), line=lineno, written=raw.strip()[:80],
                                     value=f"{m.group('v')} {u}", alone=one is not None, kind=kind))
    return out


_EDGES = re.compile(r"^[\s\-–:=(]+|[\s\-–:=(]+$")  # "Squat --" before its label: the dashes are no name's


def _listed(marked: str) -> list[re.Match[str] | None]:
    """The "lift number [unit]" pieces of a list a label opens ("\x00: Squat 140 kg, Bench 102,5"), split at
    commas (not a decimal comma), semicolons, slashes and bars; None for a piece that is no lift and number."""
    listed = _LIST.match(marked)
    if listed is None:
        return []
    return [_PIECE.match(x.strip()) for x in re.split(r",(?!\d)|[;/|]", listed.group("rest"))]


def _cased(folded: str, text: str, fold: Callable[[str], str]) -> str:
    """`folded` (a lift's name as matched in the folded text) in the text's own letters, where it is first found,
    its spaces made one."""
    words = folded.split()
    m = re.search(r"\s+".join(map(re.escape, words)), fold(text))
    return re.sub(r"\s+", " ", text[m.start(): m.end()]) if m else " ".join(words)


def find(maxes: list[StatedMax], lift: str, fold: Callable[[str], str],
         key: Callable[[str], str | None] | None = None) -> StatedMax | None:
    """The stated max of `lift`: the same words, else the same exercise by `key` (a name -> the exercise it means,
    None when unknown), else the one stated name whose words are all in the lift's."""
    words = _words(lift, fold)
    if not words:
        return None
    same = [m for m in maxes if _words(m.name, fold) == words]
    if not same and key is not None and (mine := key(lift)) is not None:
        same = [m for m in maxes if key(m.name) == mine]  # "OHP" under "Overhead Press 60 kg"
    if same:
        return same[-1]  # stated twice (a new block's TMs below the old): the later
    inside = {tuple(_words(m.name, fold)): m for m in maxes if set(_words(m.name, fold)) <= set(words)}
    if not inside:
        return None
    # several fit ("Bench" and "Press" in "Bench Press"): the one named earliest in the lift, its main word; of
    # those, the one naming most of it ("Bench Incline" over "Bench" in "Bench Incline Press"); a tie is none
    first = {k: min(words.index(w) for w in k) for k in inside}
    best = min(first.values())
    leaders = [k for k, v in first.items() if v == best]
    most = max(len(set(k)) for k in leaders)
    leaders = [k for k in leaders if len(set(k)) == most]
    return inside[leaders[0]] if len(leaders) == 1 else None
