# shellcheck shell=bash
# Redis from Debian's redis-server package; our own instance, never the system service.

: "${REDIS_PORT:=6380}"
: "${REDIS_APPENDONLY:=no}" # yes = AOF persistence under $CHAT_INFRA_RUN/redis/data

redis_url() { echo "redis://$CHAT_INFRA_HOST:$REDIS_PORT/0"; }
redis_env() { echo "REDIS_URL=$(redis_url)"; }

redis_installed() { command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; }

redis_install() {
  redis_installed && return 0
  # policy-rc.d-less machines would start the system service on port 6379;
  # we do not use it, and leave it as the package configures it.
  apt_install redis-server
  redis_installed || die "redis: redis-server still not installed"
}

redis_start() {
  local dir
  dir="$(run_dir redis)"
  mkdir -p "$dir/data"
  ensure_ports_free redis "$REDIS_PORT"
  spawn redis redis-server \
    --bind "$CHAT_INFRA_HOST" --port "$REDIS_PORT" \
    --dir "$dir/data" --save '' --appendonly "$REDIS_APPENDONLY" \
    --daemonize no --supervised no --protected-mode yes \
    --logfile '' --loglevel notice
}

redis_health() {
  [[ "$(redis-cli -h "$CHAT_INFRA_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

redis_stop() { stop_server redis 20; }

redis_timeout() { echo 30; }
