#!/usr/bin/env bash
# Health of the local servers: one line each; exit 1 if any is not healthy.
#   infra/local/status.sh [server...]
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

case "${1:-}" in
  -h | --help)
    sed -n '2,3p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

load_servers
mapfile -t SERVERS < <(select_servers "$@")

rc=0
for s in "${SERVERS[@]}"; do
  if pid="$(server_pid "$s")"; then
    if "${s}_health" >/dev/null 2>&1; then
      state=healthy
    else
      state=UNHEALTHY
      rc=1
    fi
    printf '%-14s %-10s pid %-8s %s\n' "$s" "$state" "$pid" "$("${s}_url")"
  else
    printf '%-14s %-10s %-12s %s\n' "$s" stopped "" "$("${s}_url")"
    rc=1
  fi
done
exit "$rc"
