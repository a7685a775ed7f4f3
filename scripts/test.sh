#!/usr/bin/env bash
# Install (if needed) and run the whole test suite, slow real-model tests included.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh || exit 1
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=900 "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests (exit 5): treated as a failure, a suite that runs nothing proves nothing" >&2
  exit 1
fi
exit "$rc"
