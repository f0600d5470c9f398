#!/usr/bin/env bash
# Checks the observability configuration without a cluster: the Prometheus configurations
# (`promtool check config`: syntax and semantics; the token files they name exist only where they
# run), the alert rules (`promtool check rules`) and their behaviour (`promtool test rules`), and
# that every Grafana dashboard is JSON that Grafana's file provisioning takes (a title, a uid,
# panels). Which metric names the rules and dashboards may use is checked against the services'
# own /metrics by packages/e2e/src/observability.e2e.spec.ts.
set -euo pipefail
cd "$(dirname "$0")"

promtool="$(bash ../local/promtool.sh)"
for config in prometheus/prometheus.yml prometheus/prometheus-kubernetes.yml; do
  "$promtool" check config --syntax-only "$config"
done
"$promtool" check rules prometheus/rules/chat.yml
(cd prometheus/rules && "$promtool" test rules chat.test.yml)

for dashboard in grafana/dashboards/*.json; do
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (!d.title || !d.uid || !Array.isArray(d.panels) || d.panels.length === 0)
      throw new Error(process.argv[1] + ": a dashboard needs a title, a uid and panels");
    console.log(process.argv[1] + ": " + d.panels.length + " panels");
  ' "$dashboard"
done
