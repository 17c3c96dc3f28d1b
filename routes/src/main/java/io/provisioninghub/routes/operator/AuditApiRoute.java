package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.audit.AuditEvent;
import io.provisioninghub.routes.audit.AuditQuery;
import io.provisioninghub.routes.audit.AuditTrail;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.common.RequestRejected;
import io.provisioninghub.routes.identity.OperatorAccess;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static io.provisioninghub.routes.identity.OperatorRole.ADMIN;
import static io.provisioninghub.routes.identity.OperatorRole.SECURITY;

/**
 * The audit trail for the security team (OPS-6, docs/security.md#audit-trail): {@code GET /operator/v1/audit} pages
 * through the events newest first with filters, {@code GET /operator/v1/audit/verify} checks the hash chain. Reading
 * the trail is itself recorded, with the filters used.
 */
@Component
class AuditApiRoute extends RouteBuilder {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");

    private final AuditTrail trail;
    private final OperatorAccess access;
    private final OperatorAudit audit;
    private final ObjectMapper json;

    AuditApiRoute(AuditTrail trail, OperatorAccess access, OperatorAudit audit, ObjectMapper json) {
        this.trail = trail;
        this.access = access;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/operator/v1/audit?httpMethodRestrict=GET")
                .routeId("operator-api-audit")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("audit.read"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> {
                    AuditQuery query = query(exchange);
                    List<AuditEvent> events = trail.find(query);
                    Map<String, Object> page = new LinkedHashMap<>();
                    List<Map<String, Object>> views = new ArrayList<>(events.size());
                    for (AuditEvent event : events) {
                        views.add(view(event));
                    }
                    page.put("events", views);
                    page.put("next", events.size() == query.limit() ? events.get(events.size() - 1).id() : null);
                    HttpResponses.write(exchange, OperatorJson.json(json, 200, page));
                });

        from("platform-http:/operator/v1/audit/verify?httpMethodRestrict=GET")
                .routeId("operator-api-audit-verify")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("audit.verify"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, OperatorJson.json(json, 200, trail.verify())));
    }

    private AuditQuery query(Exchange exchange) {
        String subject = name(exchange, "subject");
        String action = name(exchange, "action");
        String target = text(exchange, "target");
        AuditQuery.Outcome outcome = null;
        String outcomeText = text(exchange, "outcome");
        if (outcomeText != null) {
            try {
                outcome = AuditQuery.Outcome.valueOf(outcomeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("outcome is success, refused or failed");
            }
        }
        Instant from = instant(exchange, "from");
        Instant to = instant(exchange, "to");
        String before = text(exchange, "before");
        if (before != null && !ID.matcher(before).matches()) {
            throw invalid("before is an event id (a positive whole number)");
        }
        int limit = DEFAULT_LIMIT;
        String limitText = text(exchange, "limit");
        if (limitText != null) {
            if (!limitText.matches("[0-9]{1,3}") || Integer.parseInt(limitText) < 1
                    || Integer.parseInt(limitText) > MAX_LIMIT) {
                throw invalid("limit is a whole number from 1 to " + MAX_LIMIT);
            }
            limit = Integer.parseInt(limitText);
        }
        // The trail holds identifiers only as references: the filter's identifier is masked the same way.
        String targetReference = target == null ? null
                : target.matches("[a-z]+:[A-Za-z0-9-]{1,40}") && !target.regionMatches(true, 0, "IMEI:", 0, 5)
                        ? target : Redaction.ref(OperatorAudit.normalised(target));
        audit.parameter(exchange, "subject", subject);
        audit.parameter(exchange, "action", action);
        audit.parameter(exchange, "target", targetReference);
        audit.parameter(exchange, "outcome", outcomeText);
        audit.parameter(exchange, "from", from == null ? null : from.toString());
        audit.parameter(exchange, "to", to == null ? null : to.toString());
        return new AuditQuery(subject, action, targetReference, outcome, from, to,
                before == null ? null : Long.parseLong(before), limit);
    }

    private Map<String, Object> view(AuditEvent event) throws JsonProcessingException {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.id());
        view.put("at", event.at().toString());
        view.put("subject", event.subject());
        view.put("clientId", event.clientId());
        view.put("roles", event.roles());
        view.put("action", event.action());
        view.put("target", event.target());
        view.put("parameters", json.readTree(event.parameters()));
        view.put("status", event.status());
        view.put("reason", event.reason());
        view.put("traceId", event.traceId());
        return view;
    }

    private static String text(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String name(Exchange exchange, String parameter) {
        String value = text(exchange, parameter);
        if (value != null && !NAME.matcher(value).matches()) {
            throw invalid(parameter + " has characters no " + parameter + " has");
        }
        return value;
    }

    private static Instant instant(Exchange exchange, String name) {
        String value = text(exchange, name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name + " is an RFC 3339 instant, e.g. 2026-12-07T18:00:00Z");
        }
    }

    private static RequestRejected invalid(String message) {
        return new RequestRejected(OperatorJson.error(400, "MALFORMED", message), "audit query: malformed filter");
    }
}
