"""Files that hold more than one person's training: keep one person's rows, or refuse the file naming them.

A coach's export (one row per set, with an "Athlete" or "Client" column), a gym's or a family's shared
sheet, a team's log: every reader would otherwise take all of it, and one athlete's history would mix two
people's squats without a word (the person column was simply "not read"). peri keeps one person's log per
athlete, so a file whose person column names several people is refused, naming each with a row count, unless
the import says whose rows to keep (`--person NAME`, the web form's "person" field).

A person column is found by its name alone (`person_columns` in data/import_vocabulary.yaml: athlete, client,
user, member, ... in the vocabulary's languages). A bare "Name" is not one: apps write the exercise under it.
An empty cell is the person of the row above (a sheet that writes the name on a block's first row only);
rows above the first name belong to nobody and are kept only when the file names one person.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ...errors import ConfigError, ImportFormatError
from .base import Table
from .dialect import fold, vocabulary

MAX_NAMED = 6  # people listed by name in a message; the rest are counted


@dataclass
class PersonChoice:
    """What `keep_person` did: the column, the person kept, and the rows of other people left out."""

    column: str
    kept: str
    rows_kept: int
    others: Counter[str]  # person as written -> rows left out
    unnamed: int = 0  # rows above the first name, left out

    def note(self) -> str:
        """The report's line."""
        if not self.others and not self.unnamed:
            return f"column {self.column!r} names one person, {self.kept!r}: all rows read as theirs"
        left = sum(self.others.values()) + self.unnamed
        who = _listed(self.others) + (f"; {self.unnamed} above the first name" if self.unnamed else "")
        return (f"only the rows of {self.kept!r} were read ({self.rows_kept}, column {self.column!r}); {left} rows of "
                f"other people were left out ({who})")


def person_column(header: list[str]) -> int | None:
    """The index of the header's first column that names the person a row belongs to, or None."""
    words = vocabulary()["person_columns"]
    return next((i for i, h in enumerate(header) if fold(h) in words), None)


def _listed(counts: Counter[str]) -> str:
    named = [f"{p} {n} rows" for p, n in counts.most_common(MAX_NAMED)]
    if len(counts) > MAX_NAMED:
        named.append(f"and {len(counts) - MAX_NAMED} more people")
    return ", ".join(named)


def keep_person(table: Table, person: str | None) -> PersonChoice | None:
    """Leave in `table.rows` one person's rows: `person`'s (matched ignoring case and accents), or the only
    person the file names. None when the file has no person column (the table is untouched).

    Raises ImportFormatError when the column names several people and `person` is None, or names no row of
    `person`; ConfigError when `person` is given for a file with no person column. Nothing is read twice:
    the rows are held once in memory (the file already is, whole).
    """
    index = person_column(table.header)
    if index is None:
        if person:
            raise ConfigError(f"--person {person!r}: the file has no column naming people "
                              f"(columns: {', '.join(table.header[:12])})", place=table.path,
                              hint="leave --person out: the whole file is read as one person's log")
        return None
    column = table.header[index]
    rows = list(table.rows)
    owners: list[str | None] = []  # the person of each row, by its folded name; None above the first name
    shown: dict[str, str] = {}  # folded -> as first written
    first_line: dict[str, int] = {}
    current: str | None = None
    header_word = fold(column)
    for line, fields in rows:
        cell = fields[index].strip() if index < len(fields) else ""
        # the header again (two exports joined) names no one: the reader skips that row as a repeated header
        if cell and fold(cell) != header_word:
            current = fold(cell) or cell
            shown.setdefault(current, cell)
            first_line.setdefault(current, line)
        owners.append(current)
    counts = Counter(shown[o] for o in owners if o is not None)
    unnamed = sum(o is None for o in owners)
    if not shown and person is None:  # a person column left empty: the file is one person's, as without one
        table.rows = iter(rows)
        return None
    if person is None:
        if len(shown) > 1:
            second = list(first_line)[1]  # keys in the order people first appear
            example = shown[max(shown, key=lambda k: counts[shown[k]])]
            raise ImportFormatError(
                f"the file holds the training of {len(shown)} people (column {column!r}: {_listed(counts)}); peri "
                "keeps one person's log per athlete, and reading them together would mix their lifts",
                place=f"{table.path}:{first_line[second]}",
                hint=f"import each person into their own athlete, naming whose rows to read (--person {example!r}, "
                     "or the import form's person field); nothing was imported")
        wanted = next(iter(shown))  # the one person (a column of no names returned above)
        keep = [o in (wanted, None) for o in owners]  # one person: rows above their name are theirs too
    else:
        wanted = fold(person) or person.strip()
        if wanted not in shown:
            raise ImportFormatError(f"no row of {person!r} in column {column!r} (the file names: {_listed(counts)})",
                                    place=table.path, hint="--person takes a name as the column writes it; "
                                                           "nothing was imported")
        keep = [o == wanted for o in owners]
    table.rows = iter([r for r, k in zip(rows, keep) if k])
    others = Counter({p: n for p, n in counts.items() if p != shown[wanted]})
    return PersonChoice(column=column, kept=shown[wanted], rows_kept=sum(keep), others=others,
                        unnamed=unnamed if person is not None else 0)
