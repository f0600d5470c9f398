#!/usr/bin/env bash
# Stops local servers started by up.sh (pid file; SIGTERM, bounded wait, SIGKILL).
#   infra/local/down.sh                  # all
#   infra/local/down.sh kafka es         # a subset
#   infra/local/down.sh --purge [...]    # also delete their runtime data and logs
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

PURGE=0
ARGS=()
for a in "$@"; do
  case "$a" in
    --purge) PURGE=1 ;;
    -h | --help)
      sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) ARGS+=("$a") ;;
  esac
done

load_servers
mapfile -t SERVERS < <(select_servers "${ARGS[@]+"${ARGS[@]}"}")

for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do
  s="${SERVERS[$i]}"
  if pid="$(server_pid "$s")"; then
    "${s}_stop"
    printf '%-14s stopped (pid %s)\n' "$s" "$pid"
  else
    rm -f "$(pid_file "$s")"
    printf '%-14s not running\n' "$s"
  fi
  if ((PURGE)); then
    rm -rf "${CHAT_INFRA_RUN:?}/$s"
    printf '%-14s runtime data removed\n' "$s"
  fi
done

if ((PURGE)) && ((${#ARGS[@]} == 0)); then
  rm -f "$CHAT_INFRA_RUN/env"
  rmdir "$CHAT_INFRA_RUN" 2>/dev/null || true
fi
