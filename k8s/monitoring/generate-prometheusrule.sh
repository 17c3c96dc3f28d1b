#!/usr/bin/env bash
# Writes prometheusrule.yaml: the groups of alert-rules.yaml in a PrometheusRule for the Prometheus Operator.
# Run it after every change of alert-rules.yaml (MonitoringRulesTest fails while the two differ):
#   bash k8s/monitoring/generate-prometheusrule.sh
set -euo pipefail
cd "$(dirname "$0")"
{
  cat <<'HEADER'
# GENERATED from alert-rules.yaml by generate-prometheusrule.sh: edit alert-rules.yaml, then run the script.
# The Prometheus Operator loads it when the Prometheus's ruleSelector and ruleNamespaceSelector select it: add the
# label it wants (kube-prometheus-stack: `release: <its release name>`) in an overlay, and apply it with the
# overlay (`- ../../monitoring` in its resources) or on its own (`kubectl apply -k k8s/monitoring -n <namespace>`).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: provisioning-hub
spec:
HEADER
  # From `groups:` on (the header comments stay in alert-rules.yaml), indented under spec; blank lines stay blank.
  sed -n '/^groups:/,$p' alert-rules.yaml | sed 's/^\(.\)/  \1/'
} > prometheusrule.yaml
