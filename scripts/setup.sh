#!/usr/bin/env bash
# Create .venv and install everything, offline-safe: torch first, pinned to the
# local CPU wheel (an unpinned torch would pull gigabytes of CUDA), then the
# package (editable, with its dev extra) at the exact versions of constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
STAMP=.venv/.installed
stale=0
[ -f "$STAMP" ] || stale=1
for f in constraints.txt requirements.txt requirements-dev.txt pyproject.toml; do
  if [ "$f" -nt "$STAMP" ]; then stale=1; fi
done
if [ "$stale" = 1 ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q torch==2.13.0
  .venv/bin/pip install -q -c constraints.txt -r requirements-dev.txt
  touch "$STAMP"
fi
