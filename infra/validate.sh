#!/usr/bin/env bash
# Validates the deployment files on a machine without a container engine or a cluster:
# docker-compose.yml as `docker compose config` loads it, and infra/k8s as `kubectl apply -k`
# builds it, every resource decoded strictly into the Kubernetes API types (see validate/main.go),
# and infra/observability with promtool (built once from the Go module proxy, infra/local/promtool.sh).
# The checker is built with Go from the module proxy and cached by the hash of its sources.
set -euo pipefail
cd "$(dirname "$0")/.."

src=infra/validate
hash="$(cat "$src"/go.mod "$src"/go.sum "$src"/*.go | sha256sum | cut -c1-16)"
bin="${XDG_CACHE_HOME:-$HOME/.cache}/chat-infra/bin/chat-validate-$hash"
if [[ ! -x "$bin" ]]; then
  echo "building the deployment checker (Go, once) ..."
  mkdir -p "$(dirname "$bin")"
  (cd "$src" && GOFLAGS=-mod=mod go build -o "$bin.tmp" . && mv "$bin.tmp" "$bin")
fi

# Compose requires a JWT secret, a metrics token and an encryption key at `up`; any values do for validation.
JWT_SECRET_KEY="${JWT_SECRET_KEY:-validation-only}" METRICS_TOKEN="${METRICS_TOKEN:-validation-only}" \
  ENCRYPTION_KEY="${ENCRYPTION_KEY:-validation-only}" \
  "$bin" compose docker-compose.yml
"$bin" k8s infra/k8s

# Prometheus configurations, alert rules (checked and tested) and Grafana dashboards.
bash infra/observability/check.sh
