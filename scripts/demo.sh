#!/usr/bin/env bash
# Install (if needed) and run peri's whole journey end to end on the embedded model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PERI_HOME=${PERI_HOME:-$PWD/.peri}
.venv/bin/peri demo "$@"
