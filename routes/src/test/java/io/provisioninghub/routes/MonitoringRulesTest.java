package io.provisioninghub.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the Grafana dashboard in k8s/monitoring use only metrics the hub promises (issue 14): every
 * metric name in their PromQL is in the table of docs/observability.md ("Hub metric families") or one of the Spring
 * Boot families listed under it. promtool checks the rules' syntax and behaviour in CI (.ci/run); this test keeps
 * them tied to the metrics contract that {@code MetricsContractTest} checks against a running hub.
 */
class MonitoringRulesTest {

    /** The test runs in routes/. */
    private static final Path ROOT = Path.of("..");
    private static final Path RULES = ROOT.resolve("k8s/monitoring/alert-rules.yaml");
    private static final Path PROMETHEUS_RULE = ROOT.resolve("k8s/monitoring/prometheusrule.yaml");
    private static final Path DASHBOARD = ROOT.resolve("k8s/monitoring/dashboard.json");
    private static final Path OBSERVABILITY = ROOT.resolve("docs/observability.md");
    private static final Path RUNBOOK = ROOT.resolve("docs/runbook.md");

    /** Spring Boot's families as docs/observability.md lists them under the table: `name_*` is a prefix. */
    private static final List<String> SPRING_FAMILIES = List.of("jvm_*", "process_*", "tomcat_*", "hikaricp_*",
            "tasks_scheduled_execution_*", "executor_*", "http_server_requests_*", "application_ready_time_seconds", "up");

    /** Series suffixes of a histogram or summary family whose base name is in the table. */
    private static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_sum", "_count", "_max", "_created");

    /** PromQL words that look like identifiers but are not metric names. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "atan2", "start", "end");

    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");

    @Test
    void everyMetricOfTheAlertRulesIsInTheContract() throws IOException {
        Map<String, String> expressions = alertExpressions();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);

        Map<String, Set<String>> used = new TreeMap<>();
        expressions.forEach((alert, expr) -> used.put(alert, metricNames(expr)));
        assertThat(used).allSatisfy((alert, names) -> assertThat(names).as(alert + ": metrics").isNotEmpty());

        Set<String> all = new TreeSet<>();
        used.values().forEach(all::addAll);
        // A sanity check of the extraction itself: the rules watch these.
        assertThat(all).contains("hub_sms_outbox_oldest_age_seconds", "hub_smsc_session_bound", "hub_circuit_breaker_state",
                "hub_configuration_requests_total", "hub_audit_write_failures_total", "up");
        assertThat(unknown(all)).as("metrics of alert-rules.yaml that docs/observability.md does not list").isEmpty();
    }

    @Test
    void everyMetricOfTheDashboardIsInTheContract() throws IOException {
        Map<String, String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(20);

        Set<String> all = new TreeSet<>();
        expressions.forEach((panel, expr) -> {
            Set<String> names = metricNames(expr);
            assertThat(names).as(panel + ": metrics").isNotEmpty();
            all.addAll(names);
        });
        assertThat(all).contains("hub_configuration_requests_total", "hub_otp_challenges_total", "hub_sms_total",
                "hub_sms_outbox_depth", "hub_sms_outbox_oldest_age_seconds", "hub_smsc_session_bound",
                "hub_artemis_queue_messages", "hub_rotation_events_total", "hub_rotations", "hub_kafka_consumer_lag",
                "hub_campaign_devices", "hub_signups", "hub_device_bindings", "hub_circuit_breaker_state",
                "hub_http_responses_total", "hub_audit_write_failures_total");
        assertThat(unknown(all)).as("metrics of dashboard.json that docs/observability.md does not list").isEmpty();
    }

    @Test
    void theExtractionFindsMetricNamesAndNothingElse() {
        assertThat(metricNames("""
                sum by (namespace, flow) (rate(hub_configuration_requests_total{outcome=~"unavailable|failed", flow!="x"}[5m]))
                  / on (namespace) group_left (pod) sum without (pod) (rate(hub_configuration_requests_total[5m] offset 1h))
                > bool 0.05 and max(hub_smsc_session_bound) == 0 or absent(up{job="provisioning-hub-management"})
                unless deriv(max by (group) (hub_kafka_consumer_lag)[15m:1m]) > 1e3
                """))
                .containsExactlyInAnyOrder("hub_configuration_requests_total", "hub_smsc_session_bound", "up",
                        "hub_kafka_consumer_lag");
        // Grafana's variables, a bare metric, a histogram's series, a label_values() variable query.
        assertThat(metricNames("sum(increase(http_server_requests_seconds_count{namespace=\"$namespace\"}[$__rate_interval]))"
                + " + hub_sms_outbox_depth + vector(0)"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_count", "hub_sms_outbox_depth");
        assertThat(metricNames(variableExpression("label_values(up{job=\"provisioning-hub-management\"}, namespace)")))
                .containsExactly("up");
    }

    @Test
    void anUnknownMetricIsReported() throws IOException {
        // What the two tests above would report for a rule or a panel using a metric the contract does not list.
        assertThat(unknown(metricNames("sum(rate(hub_sms_sent_total[5m])) / sum(rate(hub_sms_total[5m]))")))
                .containsExactly("hub_sms_sent_total");
        assertThat(unknown(metricNames("rate(camel_route_policy_seconds_count[5m]) + jvm_memory_used_bytes")))
                .as("only the table's first column counts; Spring Boot's families by prefix")
                .containsExactly("camel_route_policy_seconds_count");
        assertThat(unknown(Set.of("hub_circuit_breaker_state_count", "application_ready_time_seconds",
                "application_started_time_seconds", "upstream"))).containsExactly("application_started_time_seconds", "upstream");
    }

    @Test
    void everyAlertHasItsDelaySeverityAndAnnotationsAndARunbookSectionThatExists() throws IOException {
        Set<String> anchors = runbookAnchors();
        assertThat(anchors).contains("sms-stuck", "audit-trail", "probes");
        List<Map<String, Object>> rules = alertRules();
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            String alert = (String) rule.get("alert");
            assertThat(alert).as("every rule is an alert").isNotBlank();
            assertThat(String.valueOf(rule.get("for"))).as(alert + ": for").matches("[0-9]+[smh]");
            assertThat(map(rule.get("labels")).get("severity")).as(alert + ": severity").isIn("critical", "warning", "info");
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(annotations).as(alert + ": annotations").containsKeys("summary", "description", "runbook_url");
            String url = (String) annotations.get("runbook_url");
            assertThat(url).as(alert + ": runbook_url").contains("docs/runbook.md#");
            assertThat(anchors).as(alert + ": the runbook's section " + url).contains(url.substring(url.indexOf('#') + 1));
        });
    }

    @Test
    void thePrometheusRuleHoldsTheRuleFileGroups() throws IOException {
        Map<String, Object> ruleFile = yaml(RULES);
        Map<String, Object> resource = yaml(PROMETHEUS_RULE);
        assertThat(resource.get("kind")).isEqualTo("PrometheusRule");
        assertThat(map(resource.get("spec")).get("groups"))
                .as("prometheusrule.yaml is stale: run bash k8s/monitoring/generate-prometheusrule.sh")
                .isEqualTo(ruleFile.get("groups"));
    }

    @Test
    void theDashboardHasAPrometheusDataSourceVariableThatEveryQueryUses() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        List<JsonNode> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variables::add);
        assertThat(variables).anySatisfy(v -> {
            assertThat(v.path("type").asText()).isEqualTo("datasource");
            assertThat(v.path("name").asText()).isEqualTo("datasource");
            assertThat(v.path("query").asText()).isEqualTo("prometheus");
        });
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        List<String> titles = panels.stream().filter(p -> p.path("type").asText().equals("row"))
                .map(p -> p.path("title").asText().toLowerCase(Locale.ROOT)).toList();
        assertThat(titles).anyMatch(t -> t.contains("device configuration")).anyMatch(t -> t.contains("otp"))
                .anyMatch(t -> t.contains("sms")).anyMatch(t -> t.contains("rotation")).anyMatch(t -> t.contains("campaign"))
                .anyMatch(t -> t.contains("sign-up")).anyMatch(t -> t.contains("breaker")).anyMatch(t -> t.contains("http"))
                .anyMatch(t -> t.contains("audit")).anyMatch(t -> t.contains("jvm"));
        assertThat(panels).filteredOn(p -> p.has("targets")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
            panel.path("targets").forEach(t ->
                    assertThat(t.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}"));
        });
    }

    // ------------------------------------------------------------------------------------------------ the contract

    /** The metric names that neither the table nor Spring Boot's families cover. */
    private static Set<String> unknown(Set<String> names) throws IOException {
        Set<String> table = contractTable();
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            if (!known(name, table)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    private static boolean known(String name, Set<String> table) {
        if (table.contains(name) || springFamily(name)) {
            return true;
        }
        return SERIES_SUFFIXES.stream().anyMatch(suffix -> name.endsWith(suffix)
                && table.contains(name.substring(0, name.length() - suffix.length())));
    }

    private static boolean springFamily(String name) {
        return SPRING_FAMILIES.stream().anyMatch(family -> family.endsWith("*")
                ? name.startsWith(family.substring(0, family.length() - 1))
                : name.equals(family));
    }

    /** The backticked names in the first column of the table under "## Hub metric families". */
    private static Set<String> contractTable() throws IOException {
        String section = section(Files.readString(OBSERVABILITY), "## Hub metric families");
        Set<String> names = new TreeSet<>();
        Pattern backticked = Pattern.compile("`([^`]+)`");
        for (String line : section.split("\n")) {
            if (line.startsWith("| `")) {
                Matcher m = backticked.matcher(line.split("\\|")[1]);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        assertThat(names).as("the table of docs/observability.md").contains("hub_sms_total", "hub_audit_write_failures_total");
        // The Spring Boot families this test accepts are the ones the document lists under the table.
        assertThat(section).as("docs/observability.md lists Spring Boot's families under the table")
                .contains(SPRING_FAMILIES.stream().map(f -> "`" + f + "`").toList());
        return names;
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertThat(start).as(heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** GitHub's anchors of docs/runbook.md's headings. */
    private static Set<String> runbookAnchors() throws IOException {
        Set<String> anchors = new TreeSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(RUNBOOK)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.matches("#{1,6} .*")) {
                String title = line.replaceFirst("^#+ ", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    // ------------------------------------------------------------------------------------------------ the files

    private static List<Map<String, Object>> alertRules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : (List<?>) yaml(RULES).get("groups")) {
            for (Object rule : (List<?>) map(group).get("rules")) {
                rules.add(map(rule));
            }
        }
        return rules;
    }

    private static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map<String, Object> rule : alertRules()) {
            Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
            expressions.put(String.valueOf(name), String.valueOf(rule.get("expr")));
        }
        return expressions;
    }

    /** Every query of the dashboard: the panels' targets (rows included) and the query variables. */
    private static Map<String, String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    expressions.put(panel.path("title").asText() + " " + target.path("refId").asText(), expr);
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isTextual() ? query.asText() : query.path("query").asText("");
                String expr = variableExpression(text);
                if (!expr.isBlank()) {
                    expressions.put("variable " + variable.path("name").asText(), expr);
                }
            }
        }
        return expressions;
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Yaml().load(Files.readString(file)));
    }

    // ------------------------------------------------------------------------------------------------ PromQL

    /** The PromQL inside a Grafana variable query: label_values(expr, label) → expr; label_values(label) → none. */
    static String variableExpression(String query) {
        String q = query.trim();
        Matcher withMetric = Pattern.compile("(?s)^label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)$").matcher(q);
        if (withMetric.matches()) {
            return withMetric.group(1);
        }
        Matcher result = Pattern.compile("(?s)^query_result\\((.*)\\)$").matcher(q);
        if (result.matches()) {
            return result.group(1);
        }
        return q.matches("(?s)^(label_values|label_names|metrics)\\(.*\\)$") ? "" : q;
    }

    /**
     * The metric names a PromQL expression selects: identifiers used bare or followed by '{' or '['; not functions
     * or aggregations (followed by '('), keywords, label names (inside '{}' and the lists of by/without/on/ignoring/
     * group_left/group_right), numbers, durations, strings or Grafana variables.
     */
    static Set<String> metricNames(String expr) {
        String s = expr;
        s = s.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z]+)?\\}|\\$[A-Za-z_][A-Za-z0-9_]*", " ");
        s = s.replaceAll("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`", "\"\"");
        s = s.replaceAll("\\{[^}]*\\}", "{}");
        s = s.replaceAll("\\[[^\\]]*\\]", "[]");
        s = s.replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        s = s.replaceAll("(?i)\\boffset\\s+-?[0-9a-z]+", " ");
        s = s.replaceAll("@\\s*(start\\(\\)|end\\(\\)|[0-9.]+)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }
}
