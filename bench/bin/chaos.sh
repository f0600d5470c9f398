#!/usr/bin/env bash
# pnpm test:chaos [--short] [options] — the fleet under load while its processes are killed and its
# servers restarted (bench/src/chaos). The servers are infra/local's instance that CHAT_INFRA_RUN
# and the port overrides name (default /tmp/chat-infra): the run restarts and stops them.
set -euo pipefail
cd "$(dirname "$0")/../.."
env_file="${CHAT_INFRA_RUN:-/tmp/chat-infra}/env"
[ -f "$env_file" ] || { echo "no $env_file: start the servers first (infra/local/up.sh)" >&2; exit 2; }
set -a
# shellcheck source=/dev/null
. "$env_file"
set +a
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# Every process of the fleet writes its output there: what a run that found something leaves to read.
export CHAT_PROCESS_LOG_DIR="${CHAT_PROCESS_LOG_DIR:-$(mktemp -d /tmp/chat-chaos-logs.XXXXXX)}"
echo "process logs: $CHAT_PROCESS_LOG_DIR" >&2
exec node --max-old-space-size=4096 --import tsx bench/src/chaos/main.ts "$@"
