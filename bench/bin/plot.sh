#!/usr/bin/env bash
# pnpm bench plot — PNGs of bench/results/*.json under bench/results/plots/, drawn with matplotlib
# from a virtualenv made on first use. The virtualenv lives under bench/node_modules/.cache: git,
# ESLint and Prettier all skip node_modules, and matplotlib ships JavaScript files they would lint.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=node_modules/.cache/plot-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import matplotlib' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'matplotlib>=3.8,<4'
fi
exec "$VENV/bin/python" plots.py
