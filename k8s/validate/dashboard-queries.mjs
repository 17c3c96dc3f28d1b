// Prints the PromQL queries of a Grafana dashboard as a Prometheus rule file (one recording rule per query), so that
// `promtool check rules` parses them (.ci/run). Grafana's variables are replaced by values of the right kind first:
// $__rate_interval / $__interval / $__range by durations, other $variables by a label value.
// Usage: node dashboard-queries.mjs ../monitoring/dashboard.json > dashboard-queries.rules.yaml
import { readFileSync } from "node:fs";

const dashboard = JSON.parse(readFileSync(process.argv[2], "utf8"));
const queries = [];
const walk = (panels) => {
  for (const panel of panels ?? []) {
    for (const target of panel.targets ?? []) {
      if (typeof target.expr === "string" && target.expr.trim()) {
        queries.push({ name: `panel_${panel.id}_${target.refId}`, title: panel.title, expr: target.expr });
      }
    }
    walk(panel.panels);
  }
};
walk(dashboard.panels);
for (const variable of dashboard.templating?.list ?? []) {
  const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
  const inner = variable.type === "query" && /^label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)$/s.exec(query ?? "");
  if (inner) queries.push({ name: `variable_${variable.name}`, title: variable.name, expr: inner[1] });
}
if (queries.length === 0) {
  console.error("no queries found in " + process.argv[2]);
  process.exit(1);
}
const substitute = (expr) => expr
  .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, "5m")
  .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, "value");
const lines = ["groups:", "  - name: dashboard-queries", "    rules:"];
for (const q of queries) {
  lines.push(`      - record: dashboard:${q.name}`);
  lines.push(`        # ${q.title.replace(/\n/g, " ")}`);
  lines.push(`        expr: ${JSON.stringify(substitute(q.expr))}`);
}
console.log(lines.join("\n"));
