"""Dates written the way a phone set to another language writes them, read in the file's one language.

Apps localise the dates of their exports (Hevy writes `7 févr. 2026, 10:14` on a French phone, `5 lis 2024,
17:15` on a Polish one, `5 марта 2024 г., 17:15` on a Russian one; East Asian phones write `2024年3月5日
17:15` or `2024. 3. 5. 오후 5:15`). Month words clash between languages - "lis" and "listopada" are October in
Croatian and November in Polish and Czech, "lip" is June in Croatian and July in Polish - so a cell is never
read on its own: the file's language is the one that knows the most of ALL the month, weekday and year words
of its date cells (`data/import_month_names.yaml`). A word whose languages disagree is read in the language
that best explains the file; when languages tie and disagree (a file whose only month is "lis"), the import
stops naming the first such date (FILE:LINE): a month is never guessed.

The module rewrites the cells it reads as ISO dates (a date without its year as `5 Nov 17:15`, left to
`yearless`), before any reader sees them; a file whose date cells the importers already read without doubt
passes untouched (every distinct date cell of the file is looked at once to decide that). Numeric dates with
a language's marks (`12.03.2024 г.`) are made bare first (`datemarks`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ...errors import ImportFormatError
from .base import Table, parse_datetime
from .datemarks import drop_marks
from .dialect import fold
from .yearless import date_columns, read_yearless

MAX_DATE_CHARS = 80
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2009": " "})
_AMPM = {"午前": "a", "上午": "a", "오전": "a", "午後": "p", "下午": "p", "오후": "p"}
_TIME = (r"[,\s]*(?:(?:at|um|o|в|kl|om|saat|à|às|alle|a las|u|klo)\.?\s*)?(?:(午前|午後|上午|下午|오전|오후)\s*)?"
         r"(?:(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s*m\.?|(午前|午後|上午|下午|오전|오후))?)?\s*$")
_WORD = r"([^\W\d_]{2,})"
_CJK = re.compile(r"^(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?\s*(?:\([^)]{1,4}\)|[^\W\d_]{1,3}요일)?"
                  + _TIME, re.I)
_YMD_DOTS = re.compile(r"^(\d{4})[./]\s*(\d{1,2})[./]\s*(\d{1,2})\.?(?:\s*\([^)]{1,4}\))?" + _TIME, re.I)
_YEAR_WORD_DAY = re.compile(rf"^(\d{{4}})\.?\s*{_WORD}\.?\s*(\d{{1,2}})\.?" + _TIME, re.I)
_DAY_WORD_YEAR = re.compile(rf"^(\d{{1,2}})\.?[\s-]*(?:de\s+)?{_WORD}\.?(?:[\s,-]*(?:de\s+)?(\d{{4}})\.?"
                            r"(?:\s*([^\W\d_]+)\.?)?)?" + _TIME, re.I)
_LEADING_WEEKDAY = re.compile(rf"^{_WORD}\.?,?\s+(?=\d)", re.I)


def _key(word: str) -> str:
    return fold(word).replace("ı", "i").replace("ʼ", "")


@dataclass(frozen=True)
class Words:
    """Per language: folded month forms -> month number, weekday and year words (evidence of the language)."""

    months: dict[str, dict[str, int]]
    evidence: dict[str, frozenset[str]]
    whole_only: frozenset[str]  # languages whose abbreviations are listed, never read as starts of words
    names: dict[str, str]  # code -> the language's English name, for the report


@lru_cache(maxsize=1)
def words() -> Words:
    """The shipped month, weekday and year words (data/import_month_names.yaml), folded for matching."""
    import yaml

    raw = yaml.safe_load(resources.files("peri.data").joinpath("import_month_names.yaml").read_text(encoding="utf-8"))
    months: dict[str, dict[str, int]] = {}
    evidence: dict[str, frozenset[str]] = {}
    for lang, table in raw["languages"].items():
        months[str(lang)] = {_key(str(w)): i + 1 for i, forms in enumerate(table["months"]) for w in forms}
        extra = [str(w) for forms in table.get("weekdays", []) for w in forms] + list(map(str, table.get("year_words", [])))
        evidence[str(lang)] = frozenset(_key(w) for w in extra)
    whole_only = frozenset(str(lang) for lang, table in raw["languages"].items() if table.get("prefixes") is False)
    names = {str(lang): str(table.get("name", lang)) for lang, table in raw["languages"].items()}
    return Words(months, evidence, whole_only, names)


def month_in(lang: str, word: str) -> int | None:
    """The month `word` names in `lang`: a whole form, or the start (3+ letters) of forms of one month only."""
    table = words().months[lang]
    k = _key(word)
    if k in table:
        return table[k]
    if len(k) < 3 or lang in words().whole_only:
        return None
    found = {m for form, m in table.items() if form.startswith(k)}
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class Cell:
    """A localised date cell as read: its month word (None for a numeric East Asian date), the other words."""

    year: int | None
    month: int | str  # the number, or the word still to be read in the file's language
    day: int
    time: dt.time
    others: tuple[str, ...]  # weekday / year words: evidence of the language


def read_cell(text: str) -> Cell | None:
    """A date cell in one of the localised shapes, month word unread; None for any other text."""
    if len(text) > MAX_DATE_CHARS:
        return None  # no date is this long; and the patterns are never run over a megabyte of commas
    s = " ".join(text.translate(_SPACES).split())
    others: list[str] = []
    m = _LEADING_WEEKDAY.match(s)
    if m:
        others.append(m.group(1))
        s = s[m.end():]
    for pattern, kind in ((_CJK, "ymd"), (_YMD_DOTS, "ymd"), (_YEAR_WORD_DAY, "ywd"), (_DAY_WORD_YEAR, "dwy")):
        m = pattern.match(s)
        if m is None:
            continue
        g = m.groups()
        try:
            if kind == "ymd":
                year, month, day, rest = int(g[0]), int(g[1]), int(g[2]), g[3:]
            elif kind == "ywd":
                year, month, day, rest = int(g[0]), g[1], int(g[2]), g[3:]
            else:
                year, month, day, rest = (int(g[2]) if g[2] else None), g[1], int(g[0]), g[4:]
                if g[3]:
                    others.append(g[3])
            if not 1 <= day <= 31 or (isinstance(month, int) and not 1 <= month <= 12):
                return None
            return Cell(year, month, day, _clock(*rest), tuple(others))
        except ValueError:
            return None
    return None


def _clock(before: str | None, hh: str | None, mm: str | None, ss: str | None, ap: str | None,
           after: str | None) -> dt.time:
    if hh is None:
        if before or after:
            raise ValueError("a morning/afternoon word without a time")
        return dt.time()
    hour = int(hh)
    half = (ap or "").lower() or _AMPM.get(before or after or "", "")
    if half:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock with an hour outside 1..12")
        hour = hour % 12 + (12 if half == "p" else 0)
    return dt.time(hour, int(mm), int(ss or 0))


def _plain_month(text: str) -> int | None:
    """The month the importers read in a cell without this module (ISO, numeric, English, a date without its
    year), None where they do not read it."""
    try:
        return parse_datetime(text).month
    except ValueError:
        found = read_yearless(text)
        return found.month if found is not None else None


def _meanings(word: str) -> dict[str, int]:
    return {lang: m for lang in words().months if (m := month_in(lang, word)) is not None}


def localise_dates(table: Table) -> str | None:
    """Rewrite `table`'s localised date cells (see the module docstring) as dates the readers know; the
    report's note, or None where the file has none (its rows untouched). Raises ImportFormatError naming the
    first date whose month the file's words cannot tell."""
    cols = date_columns(table.header)
    if not cols:
        return None
    # the whole column decides (a Polish file's first 200 rows may all be in "mar", its later ones in "lis"):
    # each distinct cell is looked at once (a session's rows repeat its date), the first that needs reading stops
    rows = list(table.rows)
    table.rows = iter(rows)
    marked = drop_marks(rows, cols)  # "12.03.2024 г.", "12. 03. 2024.": numeric dates with a language's marks
    looked: dict[str, bool] = {}

    def needed(text: str) -> bool:
        if text not in looked:
            looked[text] = _needed(text)
        return looked[text]

    def _needed(text: str) -> bool:
        if text[4:5] == "-" and text[:4].isdigit():
            return False  # ISO ("2024-03-05 17:15"): no localised shape starts with a year and a dash
        cell = read_cell(text) if text.strip() else None
        if cell is None:
            return False
        if isinstance(cell.month, str):
            meanings = _meanings(cell.month)
            months = set(meanings.values())
            if len(months) > 1:
                return True  # "lis": read in the file's language even where a reader would read it one way
            if meanings and "en" not in meanings:
                # a phone's language ("maj", "févr."): its later months may clash ("lis" after 200 rows of "maj")
                return True
            # a reader that reads the word another way ("lipca", July, by its first letters as Croatian June)
            return _plain_month(text) not in months
        return _plain_month(text) is None

    if not any(needed(row[c]) for _, row in rows for c in cols if c < len(row)):
        return marked
    found: list[tuple[int, int, Cell]] = []  # (index in rows, column, cell)
    for i, (_, row) in enumerate(rows):
        for c in cols:
            if c < len(row) and row[c].strip() and (cell := read_cell(row[c])) is not None:
                found.append((i, c, cell))
    # the file's language: each language scores the distinct words of its date cells it knows
    seen = {_key(cell.month) for _, _, cell in found if isinstance(cell.month, str)}
    seen |= {_key(w) for _, _, cell in found for w in cell.others}
    score = {lang: sum(1 for w in seen if month_in(lang, w) is not None or w in words().evidence[lang])
             for lang in words().months}
    chosen: dict[str, tuple[int, str]] = {}
    for i, c, cell in found:
        if not isinstance(cell.month, str) or _key(cell.month) in chosen:
            continue
        meanings = _meanings(cell.month)
        if not meanings:
            continue  # no language's month: left to the readers, which refuse it with their own message
        best = max(score[lang] for lang in meanings)
        tied = {lang: m for lang, m in meanings.items() if score[lang] == best}
        if len(set(tied.values())) > 1:
            line, text = rows[i][0], rows[i][1][c]
            readings = "; ".join(f"{_MONTH_NAMES[m - 1]} in {', '.join(sorted(ls))}"
                                 for m, ls in _by_month(tied).items())
            raise ImportFormatError(
                f"the month of {text[:40]!r} depends on the phone's language ({readings}), and no other date of "
                "the file tells which", place=f"{table.path}:{line}",
                hint="export the file again with numeric dates (or English), or write one date's month in full; "
                     "nothing was imported")
        month = next(iter(tied.values()))
        chosen[_key(cell.month)] = (month, ", ".join(sorted(tied)))
    rewritten, first = 0, ""
    for i, c, cell in found:
        month = cell.month if isinstance(cell.month, int) else chosen.get(_key(cell.month), (None, ""))[0]
        if month is None:
            continue
        row = rows[i][1]
        before = row[c]
        try:
            if cell.year is None:
                dt.date(2000, month, cell.day)  # checked in a leap year; `yearless` gives the year
                row[c] = f"{cell.day} {_MONTH_NAMES[month - 1]} {cell.time:%H:%M:%S}"
            else:
                row[c] = dt.datetime.combine(dt.date(cell.year, month, cell.day), cell.time).isoformat(sep=" ")
        except ValueError:  # no real date ("31 lut"): written as read, for the readers to refuse its row, naming it
            row[c] = (f"{cell.year:04d}-{month:02d}-{cell.day:02d} " if cell.year is not None
                      else f"{cell.day} {_MONTH_NAMES[month - 1]} ") + f"{cell.time:%H:%M:%S}"
        rewritten += 1
        first = first or f"{before.strip()[:40]!r} as {row[c]}"
    table.rows = iter(rows)
    if not rewritten:
        return marked
    langs = sorted({words().names.get(lang, lang) for _, codes in chosen.values() for lang in codes.split(", ")})
    said = "; ".join(f"{w!r} = {_MONTH_NAMES[m - 1]}" for w, (m, _) in list(chosen.items())[:4])
    note = (f"{rewritten} localised dates read (the first, {first})" + (f" in {' / '.join(langs)} ({said})" if chosen else "")
            + (" from their months' words in the whole file" if chosen else ""))
    return f"{marked}; {note}" if marked else note


_MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _by_month(tied: dict[str, int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for lang, m in tied.items():
        out.setdefault(m, []).append(lang)
    return out
