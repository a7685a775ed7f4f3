"""Killing tests for the importer modules added in the imports5-7 sessions (issue 20, mutation6b): archive_guard,
archive, resaved, groups, gymaholic, jsonlog, wholesets, unitcheck, yearless, localdates. Each module's entry in
scripts/mutation_modules.yaml selects this file with its own tests; expected values are worked by hand."""
from __future__ import annotations
