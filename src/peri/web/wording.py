"""The library's messages said for the web pages (the import form above all) instead of the terminal.

The importers write one message for every face, and their next steps name the CLI's flags ("pass --unit
kg|lb to override", "re-run with --date-format dmy"). A person at the import form has no flags: the same
step is a field of the form (weight unit, dates like 03/04, year, only this person's rows), or, where the
form has none (the column mapping, re-reading stored loads), the way round it the web app offers (undo
the import, import again) with the command kept for a terminal. `for_the_form` rewrites those phrases;
anything it does not know passes through unchanged.
"""
from __future__ import annotations

import re

# (pattern, replacement): the most specific phrase first; each says the same step as the form's fields
_PHRASES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in (
    (r"(?:pass|re-run with) --unit kg\|lb to override", "choose the weight unit (kg or lb) in the import form to override"),
    (r"re-run with --unit kg or --unit lb", "import again choosing the weight unit (kg or lb) in the form"),
    (r"re-run with --date-format dmy \(day first\) or --date-format mdy \(month first\)",
     "import again choosing 'dates like 03/04': day first or month first"),
    (r"pass --date-format to override", "choose 'dates like 03/04' in the import form to override"),
    (r"pass --year YYYY", "fill in the form's year field"),
    (r"--year\b", "the year field"),
    (r"\(pass --tz with the lifter's zone, e\.g\. --tz Europe/Berlin, if it is not theirs\)",
     "(fill in the form's time zone, e.g. Europe/Berlin, if it is not the lifter's)"),
    (r"; --tz converts them\)", "; the form's time zone converts them)"),
    (r"read in ([\w/+-]+) \(--tz\)", r"read in \1 (the form's time zone)"),
    (r"^--tz ([\w/+-]+): the file's times carry no zone", r"time zone \1: the file's times carry no zone"),
    (r"\(--person ('[^']*'|\"[^\"]*\"), or the import form's person field\)",
     r"(the import form's 'only this person's rows', e.g. \1)"),
    (r"leave --person out", "leave 'only this person's rows' empty"),
    (r"--person takes a name", "'only this person's rows' takes a name"),
    (r"pass --map COLUMN=FIELD to change",
     "to read a column as another field, choose the columns yourself (the button below the preview; at a "
     "terminal, `peri import csv --map COLUMN=FIELD`)"),
    (r"and no --map names it", "and no column is chosen for it"),
    (r"add --map COLUMN=(\w+)", r"choose below which column holds the \1 (at a terminal, "
                                r"`peri import csv --map COLUMN=\1`)"),
    (r"`peri import reunit [^`]*` re-reads them once imported \(the numbers as logged are kept; swapping --from and "
     r"--to undoes it\), or undo this import \(`peri import undo`\) and re-import[^;]*?\(`peri import csv [^`]*`\)",
     "undo this import (the Imports page) and import again choosing the weight unit in the form (or, at a "
     "terminal, `peri import reunit` re-reads the stored loads)"),
    (r": (peri import reunit --athlete .*? --from (?:kg|lb) --to (kg|lb))$",
     r": if these loads are \2, undo this import (the Imports page) and import again choosing \2 as the weight "
     r"unit (at a terminal: `\1`)"),
    (r"export ([A-Z][A-Z_]*_(?:API_KEY|ACCOUNT_ID))=\.\.\.",
     r"set \1 in the environment `peri serve` runs in, then start it again"),
    (r"Use --redact to strip", "Tick 'redact' to strip"),
    (r"\(--redact strips them\)", "(tick 'redact' to strip them)"),
    (r"or rerun with --redact before", "or export it again with 'redact' ticked before"),
    (r"`peri plan` plans the week after its last session", "a plan is for the week after its last session"),
    # the decision's reasons (Decide page)
    (r"\(--minutes-saved\)", "(minutes saved per query)"),
    (r"`peri eval --athlete [^`]* --learning-curve --sizes ([\d,]+)`",
     r"the Experiment page's Learning curve with sizes \1"),
    (r"`peri eval --athlete [^`]* --learning-curve` measures one \(it needs a dataset: `peri dataset build`; or "
     r"`--curve-models ft:A,ft:B` for adapters trained elsewhere\)",
     "the Experiment page's Learning curve measures one (it needs the dataset built on the Fine-tune page, or "
     "adapters trained elsewhere named there)"),
    (r"\(`peri dataset build --athlete [^`]*`\)", "(the Fine-tune page's 'Build the dataset')"),
    (r"\(`peri plan --athlete [^`]* --style fewshot`\)", "(a few-shot plan on the Plans page)"),
    (r"as `peri dataset build` would build it", "as the Fine-tune page's 'Build the dataset' would build it"),
    (r"`peri finetune (openai|together|fireworks)`", r"the Fine-tune page's \1 form"),
    (r"add one with `peri athlete add`", "add one on the Athletes page, or import an export on the Import page"),
    (r"run `peri dataset build --athlete [^`]*` first", "build the dataset first (the Fine-tune page's 'Build the dataset')"),
    (r"`peri import undo ID` removes that import with its notes",
     "undoing that import on the Imports page removes it with its notes"),
    (r"to plan from now on this history pass --as-of (\d{4}-\d\d-\d\d)",
     r"to plan from now on this history choose the week of \1 on the Plans page"),
)]


def for_the_form(text: str | None) -> str | None:
    """`text` with the CLI's flags said as the import form's fields (None stays None)."""
    if not text:
        return text
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text
