#!/usr/bin/env bash
# Mutation testing of peri's core (issue 20): mutmut module by module, each module with only the tests that
# exercise it (scripts/mutation_modules.yaml, run by scripts/mutation_run.py in .mutation/<module>/), then the
# per-module report held against the target, then the hand-made mutants that mutmut cannot make (module
# constants, realistic boundary slips). Not part of the README's test command: it takes long.
#   bash scripts/mutation.sh                         # the whole core
#   bash scripts/mutation.sh peri.log.stats oracle   # the modules whose name contains these
#   MUTMUT_CHILDREN=1 MUTMUT_NICE=15 bash scripts/mutation.sh   # on shared cores
#   PYTHON=/path/to/venv/bin/python bash scripts/mutation.sh    # an existing environment (skips install.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
  bash scripts/install.sh >/dev/null || exit 1
  PYTHON=.venv/bin/python
fi
"$PYTHON" -c "import mutmut" 2>/dev/null || "$PYTHON" -m pip install -q "mutmut>=3.8,<4" || exit 1
# the tests run inside .mutation/<module>/mutants/, three folders deeper: point them at the real exports
export PERI_SHARED_DATA="${PERI_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
"$PYTHON" scripts/mutation_run.py "$@"; run=$?
"$PYTHON" scripts/mutation_report.py; report=$?
if [ "$#" -eq 0 ]; then "$PYTHON" scripts/hand_mutants.py; hand=$?; else hand=0; fi
[ "$run" -eq 0 ] && [ "$report" -eq 0 ] && [ "$hand" -eq 0 ]
