#!/usr/bin/env bash
# Mutation testing of peri's core (issue 20): mutmut over the modules listed in pyproject's [tool.mutmut],
# then the per-module report held against the target, then the hand-made mutants that mutmut cannot make
# (module constants, realistic boundary slips). Not part of the README's test command: it takes long.
#   bash scripts/mutation.sh                      # the whole core
#   bash scripts/mutation.sh "peri.log.stats.*"   # one module (mutmut's mutant-name globs)
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh >/dev/null || exit 1
.venv/bin/python -m pip install -q "mutmut>=3.3,<4" || exit 1
# the tests run inside mutants/, one folder deeper than the repository: point them at the real exports
export PERI_SHARED_DATA="${PERI_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
.venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-$(nproc)}" "$@"
.venv/bin/python scripts/mutation_report.py; report=$?
.venv/bin/python scripts/hand_mutants.py; hand=$?
[ "$report" -eq 0 ] && [ "$hand" -eq 0 ]
