# shellcheck shell=bash
# MongoDB wire protocol: FerretDB 1.x with its SQLite backend, built from the
# Go module proxy. (FerretDB 2.x needs PostgreSQL + the DocumentDB extension;
# 1.x's SQLite handler is self-contained.)

: "${FERRETDB_VERSION:=v1.24.2}"
: "${MONGO_PORT:=27018}"
: "${FERRETDB_DEBUG_PORT:=28088}" # FerretDB's own HTTP: /debug/livez, /debug/metrics
: "${MONGO_DB:=chat_db}"

ferretdb_bin() { echo "$CHAT_INFRA_HOME/bin/ferretdb-$FERRETDB_VERSION"; }
ferretdb_url() { echo "mongodb://$CHAT_INFRA_HOST:$MONGO_PORT/$MONGO_DB"; }
ferretdb_env() { echo "MONGODB_URL=$(ferretdb_url)"; }

ferretdb_installed() { [[ -x "$(ferretdb_bin)" ]]; }

# `go install .../cmd/ferretdb@version` builds, but the binary panics at start:
# FerretDB embeds build/version/version.txt, which its build tooling generates
# and the published module lacks. So: copy the module source, write that file,
# and `go build` it.
ferretdb_install() {
  ferretdb_installed && return 0
  need_cmd go
  local src tmp out
  out="$(ferretdb_bin)"
  log "ferretdb: building github.com/FerretDB/FerretDB@$FERRETDB_VERSION (Go module proxy)"
  src="$(go_module_dir "github.com/FerretDB/FerretDB@$FERRETDB_VERSION")"
  [[ -n "$src" && -d "$src/cmd/ferretdb" ]] || die "ferretdb: could not download github.com/FerretDB/FerretDB@$FERRETDB_VERSION"
  tmp="$CHAT_INFRA_HOME/.tmp/ferretdb-src.$$"
  rm -rf "$tmp"
  mkdir -p "$CHAT_INFRA_HOME/.tmp" "$(dirname "$out")"
  cp -r "$src" "$tmp"
  chmod -R u+w "$tmp"
  echo "$FERRETDB_VERSION" >"$tmp/build/version/version.txt"
  echo "go-mod-proxy" >"$tmp/build/version/package.txt"
  (cd "$tmp" && GOFLAGS="${GOFLAGS:-} -mod=mod" go build -trimpath -o "$out.tmp" ./cmd/ferretdb)
  "$out.tmp" --version >/dev/null || die "ferretdb: built binary does not run"
  mv -f "$out.tmp" "$out"
  rm -rf "$tmp"
}

ferretdb_start() {
  local dir
  dir="$(run_dir ferretdb)"
  mkdir -p "$dir/data"
  ensure_ports_free ferretdb "$MONGO_PORT" "$FERRETDB_DEBUG_PORT"
  spawn ferretdb "$(ferretdb_bin)" \
    --handler=sqlite --sqlite-url="file:$dir/data/" \
    --listen-addr="$CHAT_INFRA_HOST:$MONGO_PORT" \
    --debug-addr="$CHAT_INFRA_HOST:$FERRETDB_DEBUG_PORT" \
    --state-dir="$dir" --telemetry=disable --log-level=info
}

# Real check: OP_MSG {ping: 1} over the wire (needs node); without node:
# port open and FerretDB's liveness endpoint answers 200.
ferretdb_health() {
  if node_ok; then
    node "$INFRA_DIR/bin/mongo-ping.mjs" "$CHAT_INFRA_HOST:$MONGO_PORT" 3000
  else
    tcp_open "$CHAT_INFRA_HOST" "$MONGO_PORT" &&
      curl -fsS -m 3 -o /dev/null "http://$CHAT_INFRA_HOST:$FERRETDB_DEBUG_PORT/debug/livez"
  fi
}

ferretdb_stop() { stop_server ferretdb 20; }

ferretdb_timeout() { echo 60; }
