# shellcheck shell=bash
# Shared helpers for infra/local/{up,down,status}.sh and servers/*.sh.
# Sourced, never executed. Callers run with `set -euo pipefail`.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHAT_INFRA_HOME="${CHAT_INFRA_HOME:-$HOME/.cache/chat-infra}" # downloaded/built artifacts (kept)
CHAT_INFRA_RUN="${CHAT_INFRA_RUN:-/tmp/chat-infra}"           # data, logs, pid files (disposable)
export CHAT_INFRA_HOME CHAT_INFRA_RUN

# Start order; down.sh stops in reverse.
ALL_SERVERS=(redis kafka elasticsearch ferretdb minio)

# Loopback only. Overridable, but everything here is written for a single
# local node, so keep it on 127.0.0.1.
: "${CHAT_INFRA_HOST:=127.0.0.1}"

log() { printf '[chat-infra] %s\n' "$*" >&2; }
die() { printf '[chat-infra] ERROR: %s\n' "$*" >&2; exit 1; }

need_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is required but not on PATH"
  done
}

# canonical server name for a CLI argument (aliases accepted)
canon_name() {
  case "$1" in
    redis) echo redis ;;
    kafka) echo kafka ;;
    elasticsearch | es | search) echo elasticsearch ;;
    ferretdb | mongo | mongodb) echo ferretdb ;;
    minio | s3) echo minio ;;
    *) return 1 ;;
  esac
}

# Expands CLI args into canonical names (default: all), de-duplicated, in start order.
select_servers() {
  local -A want=()
  local a n
  if (($# == 0)); then
    printf '%s\n' "${ALL_SERVERS[@]}"
    return
  fi
  for a in "$@"; do
    n="$(canon_name "$a")" || die "unknown server '$a' (known: ${ALL_SERVERS[*]}; aliases: es, mongo, mongodb, s3)"
    want[$n]=1
  done
  for n in "${ALL_SERVERS[@]}"; do
    [[ -n "${want[$n]:-}" ]] && echo "$n"
  done
  return 0
}

load_servers() {
  local n
  for n in "${ALL_SERVERS[@]}"; do
    # shellcheck source=/dev/null
    source "$INFRA_DIR/servers/$n.sh"
  done
}

run_dir() { echo "$CHAT_INFRA_RUN/$1"; }
pid_file() { echo "$CHAT_INFRA_RUN/$1/$1.pid"; }
log_file() { echo "$CHAT_INFRA_RUN/$1/$1.log"; }

# Prints the pid of a live server started by us, else fails.
# A pid counts only if the process is alive and still leads the process group
# that setsid created for it (guards against pid reuse after a reboot/crash).
server_pid() {
  local f pid pgid
  f="$(pid_file "$1")"
  [[ -s "$f" ]] || return 1
  pid="$(<"$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" || return 1
  [[ "$pgid" == "$pid" ]] || return 1
  echo "$pid"
}

is_running() { server_pid "$1" >/dev/null; }

# true if something accepts TCP connections on host:port
tcp_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Fails if a port we are about to bind is taken by a process that is not ours.
ensure_ports_free() {
  local name="$1" p
  shift
  for p in "$@"; do
    if tcp_open "$CHAT_INFRA_HOST" "$p"; then
      die "$name: port $CHAT_INFRA_HOST:$p is already in use by another process (not started by these scripts). Stop it or override the port (see infra/local/README.md)."
    fi
  done
}

# spawn NAME CMD...  — start CMD detached (own session, survives this shell),
# stdout+stderr appended to the server log, pid written to the pid file.
spawn() {
  local name="$1"
  shift
  local dir lf pid
  dir="$(run_dir "$name")"
  lf="$(log_file "$name")"
  mkdir -p "$dir"
  printf '\n===== %s starting: %s\n' "$(date -Is)" "$*" >>"$lf"
  # setsid execs the command directly (we are not a group leader), so $! is
  # the server (or its launcher) and also the id of its new process group.
  # 9>&-: never hand a held install/start lock (fd 9, see with_lock) to the server
  setsid nohup "$@" >>"$lf" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$(pid_file "$name")"
}

# Shows the end of a server's logs (stdout log + any extra files it names).
tail_logs() {
  local name="$1" f extra=()
  if declare -F "${name}_extra_logs" >/dev/null; then
    mapfile -t extra < <("${name}_extra_logs")
  fi
  for f in "$(log_file "$name")" "${extra[@]}"; do
    [[ -s "$f" ]] || continue
    printf -- '----- last 30 lines of %s -----\n' "$f" >&2
    tail -n 30 "$f" | cut -c1-400 >&2
  done
}

# wait_healthy NAME TIMEOUT_SECONDS — polls NAME_health once a second.
wait_healthy() {
  local name="$1" timeout="$2" start=$SECONDS
  while true; do
    if "${name}_health" >/dev/null 2>&1; then
      return 0
    fi
    if ! is_running "$name"; then
      tail_logs "$name"
      log "$name: process exited during startup (see the log lines above; full log: $(log_file "$name"))"
      return 1
    fi
    if ((SECONDS - start >= timeout)); then
      tail_logs "$name"
      log "$name: not healthy after ${timeout}s (see the log lines above; full log: $(log_file "$name"))"
      return 1
    fi
    sleep 1
  done
}

# stop_pid NAME [TIMEOUT] — SIGTERM the server's process group, wait, then SIGKILL.
stop_server() {
  local name="$1" timeout="${2:-30}" pid start
  if ! pid="$(server_pid "$name")"; then
    rm -f "$(pid_file "$name")"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  start=$SECONDS
  while kill -0 "$pid" 2>/dev/null || pgrep -g "$pid" >/dev/null 2>&1; do
    if ((SECONDS - start >= timeout)); then
      log "$name: still running ${timeout}s after SIGTERM, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$(pid_file "$name")"
}

# Serialises installs of one artifact across concurrent up.sh runs.
with_lock() {
  local lock="$1"
  shift
  mkdir -p "$CHAT_INFRA_HOME/.locks"
  (
    flock -w 1800 9 || die "timed out waiting for install lock $lock"
    "$@"
  ) 9>"$CHAT_INFRA_HOME/.locks/$lock.lock"
}

# java binary: $JAVA_HOME/bin/java if set, else the one on PATH
java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java || die "java (JDK 17+) is required"
  fi
}

java_home() {
  local j
  j="$(readlink -f "$(java_bin)")"
  dirname "$(dirname "$j")"
}

java_major() {
  "$(java_bin)" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

require_java() {
  local want="$1" have
  have="$(java_major)"
  [[ -n "$have" && "$have" -ge "$want" ]] || die "Java $want+ required, found '${have:-none}' ($(java_bin))"
}

# Maven in batch mode. Extra options (e.g. -Dmaven.repo.local=...) via MAVEN_OPTS
# or CHAT_INFRA_MVN_ARGS.
mvn_q() {
  need_cmd mvn
  # shellcheck disable=SC2086
  mvn -q -B -Dstyle.color=never ${CHAT_INFRA_MVN_ARGS:-} "$@"
}

# go_module_dir MODULE@VERSION — downloads a module via the Go module proxy and
# prints its (read-only) directory in the module cache.
go_module_dir() {
  need_cmd go
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1
}

# run_isolated CMD... — runs CMD in a subshell with errexit really in effect
# and stores its exit status in ISOLATED_RC (errexit is silently ignored
# inside `if cmd`, `cmd || ...` contexts, so call this as a plain statement).
# shellcheck disable=SC2034 # read by the callers
ISOLATED_RC=0
run_isolated() {
  set +e
  (
    set -euo pipefail
    "$@"
  )
  # shellcheck disable=SC2034
  ISOLATED_RC=$?
  set -e
}

node_ok() { command -v node >/dev/null 2>&1; }

# apt_install PACKAGE... — Debian packages, as root or through passwordless sudo; `apt-get update`
# only if the first attempt fails (a fresh machine's package lists may be missing or stale).
apt_install() {
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "$* missing; install: apt-get install -y $*"
    sudo=(sudo -n)
  fi
  log "installing Debian package(s): $*"
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$@"; then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$@"
  fi
}
