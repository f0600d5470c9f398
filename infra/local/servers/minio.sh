# shellcheck shell=bash
# S3: MinIO built from the Go module proxy (MinIO publishes no semver module
# tags, so this pins the pseudo-version that `@latest` resolved to).

: "${MINIO_VERSION:=v0.0.0-20260212201848-7aac2a2c5b7c}"
: "${MINIO_PORT:=9002}"
: "${MINIO_CONSOLE_PORT:=9003}"
: "${MINIO_ROOT_USER:=chat-minio}"
: "${MINIO_ROOT_PASSWORD:=chat-minio-secret}"
: "${S3_BUCKET:=chat-files}"
: "${S3_REGION:=us-east-1}"

minio_bin() { echo "$CHAT_INFRA_HOME/bin/minio-$MINIO_VERSION"; }
minio_url() { echo "http://$CHAT_INFRA_HOST:$MINIO_PORT"; }
minio_env() {
  cat <<EOF
S3_ENDPOINT=$(minio_url)
S3_FORCE_PATH_STYLE=true
AWS_ACCESS_KEY_ID=$MINIO_ROOT_USER
AWS_SECRET_ACCESS_KEY=$MINIO_ROOT_PASSWORD
AWS_S3_BUCKET=$S3_BUCKET
AWS_REGION=$S3_REGION
EOF
}

minio_installed() { [[ -x "$(minio_bin)" ]]; }

minio_install() {
  minio_installed && return 0
  need_cmd go
  local out tmp
  out="$(minio_bin)"
  tmp="$CHAT_INFRA_HOME/.tmp/minio-bin.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp" "$(dirname "$out")"
  log "minio: building github.com/minio/minio@$MINIO_VERSION (Go module proxy; takes a few minutes)"
  GOBIN="$tmp" go install -trimpath "github.com/minio/minio@$MINIO_VERSION"
  "$tmp/minio" --version >/dev/null || die "minio: built binary does not run"
  mv -f "$tmp/minio" "$out"
  rm -rf "$tmp"
}

minio_start() {
  local dir
  dir="$(run_dir minio)"
  mkdir -p "$dir/data"
  ensure_ports_free minio "$MINIO_PORT" "$MINIO_CONSOLE_PORT"
  spawn minio env \
    MINIO_ROOT_USER="$MINIO_ROOT_USER" MINIO_ROOT_PASSWORD="$MINIO_ROOT_PASSWORD" \
    MINIO_SITE_REGION="$S3_REGION" MINIO_UPDATE=off MINIO_BROWSER=on \
    "$(minio_bin)" server "$dir/data" \
    --address "$CHAT_INFRA_HOST:$MINIO_PORT" --console-address "$CHAT_INFRA_HOST:$MINIO_CONSOLE_PORT"
}

minio_health() {
  [[ "$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$(minio_url)/minio/health/live")" == 200 ]]
}

# after it is healthy: make sure the bucket exists (SigV4 request, no SDK)
minio_post_start() {
  node_ok || die "minio: node is required to create bucket $S3_BUCKET"
  AWS_ACCESS_KEY_ID="$MINIO_ROOT_USER" AWS_SECRET_ACCESS_KEY="$MINIO_ROOT_PASSWORD" AWS_REGION="$S3_REGION" \
    node "$INFRA_DIR/bin/s3-bucket.mjs" "$(minio_url)" "$S3_BUCKET" >/dev/null
}

minio_stop() { stop_server minio 20; }

minio_timeout() { echo 60; }
