#!/usr/bin/env bash
# Create .venv and install everything, offline-safe: torch first, pinned to the
# local CPU wheel (an unpinned torch would pull gigabytes of CUDA), then the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
STAMP=.venv/.installed
if [ ! -f "$STAMP" ] || [ requirements.txt -nt "$STAMP" ] || [ requirements-dev.txt -nt "$STAMP" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q torch==2.13.0
  .venv/bin/pip install -q -r requirements-dev.txt
  touch "$STAMP"
fi
