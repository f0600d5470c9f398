#!/usr/bin/env bash
# Builds Prometheus's promtool from the Go module proxy (once, cached under CHAT_INFRA_HOME) and
# prints the path of its binary: what checks infra/observability's Prometheus configuration and
# alert rules without a running Prometheus. Safe to run concurrently (one build at a time).
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

# Prometheus 3.x's module versions are v0.3xx.y (v3.16.0 is v0.316.0).
: "${PROMTOOL_VERSION:=v0.316.0}"

promtool_bin() { echo "$CHAT_INFRA_HOME/bin/promtool-$PROMTOOL_VERSION"; }

install_promtool() {
  [[ -x "$(promtool_bin)" ]] && return 0
  need_cmd go
  local tmp
  tmp="$CHAT_INFRA_HOME/.tmp/promtool-bin.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp" "$(dirname "$(promtool_bin)")"
  log "promtool: building github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_VERSION (Go module proxy; takes a few minutes)"
  GOBIN="$tmp" go install -trimpath "github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_VERSION" >&2
  "$tmp/promtool" --version >/dev/null || die "promtool: built binary does not run"
  mv -f "$tmp/promtool" "$(promtool_bin)"
  rm -rf "$tmp"
}

mkdir -p "$CHAT_INFRA_HOME"
[[ -x "$(promtool_bin)" ]] || with_lock promtool install_promtool
promtool_bin
