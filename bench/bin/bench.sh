#!/usr/bin/env bash
# pnpm bench <scenario|all|report|plot|build-centrifugo> [options] — see bench/src/main.ts.
# Every socket is a file descriptor in the generator and in the server it starts: take the whole
# open-files allowance (children inherit it). Then run the harness, which stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "${1:-}" = plot ]; then
  exec bash bench/bin/plot.sh
fi
exec node --max-old-space-size=4096 --import tsx bench/src/main.ts "$@"
