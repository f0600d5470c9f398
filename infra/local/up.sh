#!/usr/bin/env bash
# Installs (if missing, cached) and starts local servers on loopback, waits
# until each is healthy, prints their URLs and writes $CHAT_INFRA_RUN/env.
#   infra/local/up.sh                 # all: redis kafka elasticsearch ferretdb minio
#   infra/local/up.sh kafka redis     # a subset (aliases: es, mongo, mongodb, s3)
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

case "${1:-}" in
  -h | --help)
    sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

load_servers
mapfile -t SERVERS < <(select_servers "$@")
mkdir -p "$CHAT_INFRA_HOME" "$CHAT_INFRA_RUN"
chmod 755 "$CHAT_INFRA_RUN" 2>/dev/null || true
T0=$SECONDS

declare -A STATE=()   # name -> running | started | failed
declare -A REASON=()
declare -A INSTALL_PID=()

# under a per-server lock, so two concurrent up.sh runs cannot both start it
# shellcheck disable=SC2317 # called indirectly through with_lock
start_if_needed() {
  is_running "$1" && return 0
  "${1}_start"
}

start_one() {
  local s="$1"
  run_isolated with_lock "start-$s" start_if_needed "$s"
  if ((ISOLATED_RC == 0)); then
    STATE[$s]=started
  else
    STATE[$s]=failed
    REASON[$s]="start failed"
    tail_logs "$s"
  fi
}

# 1. already running servers are left alone; missing ones are installed in
#    parallel; installed ones start right away.
for s in "${SERVERS[@]}"; do
  if is_running "$s"; then
    STATE[$s]=running
  elif "${s}_installed"; then
    start_one "$s"
  else
    mkdir -p "$(run_dir "$s")"
    log "$s: installing (log: $(run_dir "$s")/install.log)"
    (
      set -euo pipefail
      with_lock "$s" "${s}_install"
    ) >"$(run_dir "$s")/install.log" 2>&1 &
    INSTALL_PID[$s]=$!
  fi
done

# 2. start each server as soon as its install finishes.
while ((${#INSTALL_PID[@]} > 0)); do
  for s in "${!INSTALL_PID[@]}"; do
    pid="${INSTALL_PID[$s]}"
    kill -0 "$pid" 2>/dev/null && continue
    unset "INSTALL_PID[$s]"
    if wait "$pid" && "${s}_installed"; then
      log "$s: installed ($((SECONDS - T0))s)"
      start_one "$s"
    else
      STATE[$s]=failed
      REASON[$s]="install failed (log: $(run_dir "$s")/install.log)"
      printf -- '----- last 30 lines of %s -----\n' "$(run_dir "$s")/install.log" >&2
      tail -n 30 "$(run_dir "$s")/install.log" >&2 || true
    fi
  done
  ((${#INSTALL_PID[@]} > 0)) && sleep 1
done

# 3. wait (bounded) for health, then run post-start hooks (e.g. bucket creation).
for s in "${SERVERS[@]}"; do
  [[ "${STATE[$s]}" == failed ]] && continue
  if ! wait_healthy "$s" "$("${s}_timeout")"; then
    STATE[$s]=failed
    REASON[$s]="not healthy; logs: $(run_dir "$s")/ (try: infra/local/down.sh $s && infra/local/up.sh $s)"
    continue
  fi
  if declare -F "${s}_post_start" >/dev/null; then
    run_isolated "${s}_post_start"
    if ((ISOLATED_RC != 0)); then
      STATE[$s]=failed
      REASON[$s]="healthy, but its post-start step failed"
    fi
  fi
done

# 4. env file for the apps/tests (all servers, whether or not selected now).
{
  echo "# written by infra/local/up.sh at $(date -Is); servers on loopback"
  for s in "${ALL_SERVERS[@]}"; do "${s}_env"; done
} >"$CHAT_INFRA_RUN/env.tmp"
mv -f "$CHAT_INFRA_RUN/env.tmp" "$CHAT_INFRA_RUN/env"

rc=0
for s in "${SERVERS[@]}"; do
  case "${STATE[$s]}" in
    running) printf '%-14s %-44s (already running)\n' "$s" "$("${s}_url")" ;;
    started) printf '%-14s %-44s (started)\n' "$s" "$("${s}_url")" ;;
    *)
      printf '%-14s FAILED: %s\n' "$s" "${REASON[$s]:-unknown}"
      rc=1
      ;;
  esac
done
echo "env: $CHAT_INFRA_RUN/env   (set -a; . $CHAT_INFRA_RUN/env; set +a)"
log "done in $((SECONDS - T0))s"
exit "$rc"
