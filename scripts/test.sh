#!/usr/bin/env bash
# Install (if needed) and run the whole test suite, slow real-model tests included.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh || exit 1
# The browser tests drive `peri serve` in Debian's headless Chromium (never a browser downloaded at run time).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
      || echo "could not install chromium: the browser tests will fail and say so" >&2
  else
    echo "chromium/chromedriver missing: install them (apt-get install chromium chromium-driver) or the browser tests fail" >&2
  fi
fi
# The tests run in 2 processes (pytest-xdist, in the dev extra): one process left a 2-core machine's second core
# mostly idle (user+sys 14.6 of 32.6 core-minutes). Each test has its own PERI_HOME, tmp dir, port and PostgreSQL
# database; a file's tests stay in one process (--dist loadfile), so a module's Ray cluster or model fixture is
# started once. PERI_TEST_WORKERS=1 runs them in one process; PERI_TEST_WORKERS=N in N.
n="${PERI_TEST_WORKERS:-2}"
workers=()
if [ "$n" != "1" ]; then
  if .venv/bin/python -c "import xdist" 2>/dev/null; then
    workers=(-n "$n" --dist loadfile)
  else
    echo "pytest-xdist is missing (an older .venv?): the tests run in one process; bash scripts/install.sh adds it" >&2
  fi
fi
# --durations: CI prints the slowest tests, so the suite's time (kept well under 15 minutes) is watched where it is run
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=900 --durations=25 ${workers[@]+"${workers[@]}"} "$@"
rc=$?
if [ "$rc" -eq 0 ] && [ "$#" -eq 0 ]; then
  # the store, import and CLI tests again, on a real PostgreSQL server (PERI_DATABASE_URL per test)
  PERI_TEST_STORE=postgres .venv/bin/python -m pytest -q -p no:cacheprovider --timeout=900 -m "not slow" ${workers[@]+"${workers[@]}"} \
    tests/test_store_postgres.py tests/test_importers.py tests/test_importers_undo.py tests/test_importers_bounds.py \
    tests/test_importers_hostile.py tests/test_log_cli.py tests/test_cli_hostile.py tests/test_context.py tests/test_batch.py tests/test_your_data.py tests/test_log_import_units.py
  rc=$?
fi
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests (exit 5): treated as a failure, a suite that runs nothing proves nothing" >&2
  exit 1
fi
exit "$rc"
