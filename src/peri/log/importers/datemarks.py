"""Numeric dates with the marks a language writes around them: `12.03.2024 г.`, `12/03/2024 r.`, `12. 03. 2024.`.

Several languages write a numeric date with a word or a dot after the year, or a space after each dot, and the
readers (`base.parse_datetime`) know only the bare numbers: Bulgarian `d.MM.y 'г'.` (CLDR's medium date, with
`H:mm 'ч'.` for the time), Russian and Belarusian `г.` (года), Ukrainian `р.` (року), Polish `r.` (roku:
`dd.MM.yyyy 'r.'` in Polish apps' date formats), Serbian and Croatian `god.` and the year's closing dot of
CLDR's Croatian short date `dd. MM. y.`, Czech and Slovak `d. M. y`. The words are
`numeric_date_marks` in `data/import_month_names.yaml`, with their sources.

A cell of a date column that is such a date is rewritten as the bare date the readers know - day, month and
year as the file wrote them, in its order, so a slash date's day/month order is still read from the whole
file (`base.numeric_date_order`, which sees these dates too); a year-first date as ISO - and the time kept. A
word after the year that is no year word (`12.03.2024 foo`) leaves the cell as it was, for the readers to
refuse naming its line: nothing is guessed. Only the date columns are touched.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


_MAYBE = re.compile(r"[^\W\d_]|[./-]\s|\.\s*$")  # what a mark needs: a letter, a spaced separator, a closing dot
MAX_CHARS = 60  # no such date is longer; the pattern never runs over a long cell


@lru_cache(maxsize=1)
def pattern() -> re.Pattern[str]:
    """The shape of a marked date, its words (`numeric_date_marks` in data/import_month_names.yaml, and every
    language's `year_words`) written into it so that a word is read only where it belongs."""
    import yaml

    raw = yaml.safe_load(resources.files("peri.data").joinpath("import_month_names.yaml").read_text(encoding="utf-8"))
    table = raw["numeric_date_marks"]
    year = {str(w) for w in table["year_words"]}
    year |= {str(w) for lang in raw["languages"].values() for w in lang.get("year_words", [])}

    def either(words: set[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))

    return re.compile(
        r"^(?P<a>[0-9]{1,4})(?P<s>[./-])(?P<sp1>\s*)(?P<b>[0-9]{1,2})(?P=s)(?P<sp2>\s*)(?P<c>[0-9]{1,4})"
        rf"(?P<dot>\.)?\s*(?:(?P<word>{either(year)})\.?(?![^\W\d_]))?"
        rf"(?:[,\s]*(?:(?P<at>{either({str(w) for w in table['before_time']})})\.?\s*)?"
        r"(?P<hh>[0-9]{1,2})[:.](?P<mm>[0-9]{2})(?:[:.](?P<ss>[0-9]{2}))?"
        rf"(?:\s*(?P<unit>{either({str(w) for w in table['after_time']})})\.?)?)?\s*$",
        re.I,
    )


def bare(text: str) -> str | None:
    """The date `text` writes with a language's marks, as the bare numeric date (or ISO for a year-first one)
    with its time; None for any other text, a bare date included (the readers read it as it is)."""
    if len(text) > MAX_CHARS or not _MAYBE.search(text):
        return None  # no letter, no space after a separator, no closing dot: a bare date or no date
    s = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    m = pattern().match(s)
    if m is None:
        return None
    marked = any(m.group(g) for g in ("sp1", "sp2", "dot", "word", "at", "unit"))
    if not marked:
        return None  # a bare date: already the readers'
    a, sep, b, c = m.group("a"), m.group("s"), m.group("b"), m.group("c")
    if len(a) == 4:  # year first (2024. 03. 12., 2024-03-12 г.)
        if len(c) > 2:
            return None
        date = f"{a}-{int(b):02d}-{int(c):02d}"
    elif len(a) <= 2 and len(c) in (2, 4):
        date = f"{a}{sep}{b}{sep}{c}"
    else:
        return None
    if m.group("hh") is None:
        return date
    return f"{date} {int(m.group('hh')):02d}:{m.group('mm')}:{m.group('ss') or '00'}"


def drop_marks(rows: list[tuple[int, list[str]]], cols: list[int]) -> str | None:
    """Rewrite, in place, the cells of `cols` that are dates with a language's marks (see `bare`); the report's
    note (how many, the first), or None where there were none."""
    count, first = 0, ""
    seen: dict[str, str | None] = {}
    for _, row in rows:
        for c in cols:
            if c >= len(row) or not row[c] or row[c][0] not in "0123456789 ":
                continue
            text = row[c]
            if text not in seen:
                seen[text] = bare(text)
            new = seen[text]
            if new is not None:
                row[c] = new
                count += 1
                first = first or f"{text.strip()[:40]!r} as {new}"
    if not count:
        return None
    return f"{count} numeric dates read without the marks their language writes around them (the first, {first})"
