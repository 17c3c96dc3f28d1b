package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.routes.audit.AuditEntry;
import io.provisioninghub.routes.audit.AuditTrail;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.tracing.FlowTracing;
import io.provisioninghub.routes.identity.OperatorAccess;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator routes' side of the audit trail: each route names its action and target as it runs
 * ({@link #action}, {@link #subscriber}, {@link #reference}, {@link #parameter}); {@link OperatorApiConfiguration} calls
 * {@link #begin} as a request comes in and {@link #record} once the answer is set. Subscriber identifiers are stored
 * only as keyed references ({@link Redaction}).
 */
@Component
class OperatorAudit {

    static final String ACTION = "hub.audit.action";
    static final String TARGET = "hub.audit.target";
    static final String PARAMETERS = "hub.audit.parameters";
    private static final String TRACE_ID = "hub.audit.traceId";
    private static final String ACTOR = "hub.audit.actor";
    private static final Logger LOG = LoggerFactory.getLogger(OperatorAudit.class);
    private static final Pattern SAFE_REFERENCE = Pattern.compile("[A-Za-z0-9-]{1,40}");
    /** A run of digits long enough to be an IMSI, MSISDN or IMEI. */
    private static final Pattern IDENTIFIER = Pattern.compile(".*[0-9]{6,}.*", Pattern.DOTALL);
    private static final int MAX_REASON = 300;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuditTrail trail;
    private final FlowTracing tracing;
    private final ObjectMapper json;
    private final Counter writeFailures;

    OperatorAudit(AuditTrail trail, ObjectMapper json, MeterRegistry registry, FlowTracing tracing) {
        this.tracing = tracing;
        this.trail = trail;
        this.json = json;
        this.writeFailures = Counter.builder("hub.audit.write.failures")
                .description("Operator answers whose audit row could not be written (the hub database was down)")
                .register(registry);
    }

    /** The action a route records, e.g. {@code subscriber.resend}. */
    static Processor action(String name) {
        return exchange -> exchange.setProperty(ACTION, name);
    }

    /** The action depends on the HTTP method, e.g. GET → {@code campaign.list}, POST → {@code campaign.start}. */
    static Processor actionByMethod(Map<String, String> actions) {
        return exchange -> exchange.setProperty(ACTION, actions.getOrDefault(
                exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class), "unknown"));
    }

    /** The target is the subscriber or device named in path parameter {@code header}, masked. */
    static Processor subscriber(String header) {
        return exchange -> {
            String value = exchange.getMessage().getHeader(header, String.class);
            exchange.setProperty(TARGET, value == null ? null : Redaction.ref(normalised(value)));
        };
    }

    /** The target is a non-personal object: {@code kind:id}, the id from path parameter {@code header}. */
    static Processor reference(String kind, String header) {
        return exchange -> {
            String value = exchange.getMessage().getHeader(header, String.class);
            exchange.setProperty(TARGET, kind + ":" + (value != null && SAFE_REFERENCE.matcher(value).matches()
                    ? value : "invalid"));
        };
    }

    /**
     * An identifier as the API takes it in a path or a filter: percent-decoded, an MSISDN with its '+' (the routes
     * accept {@code %2B1555…} and {@code 1555…}): the same identifier always gets the same reference.
     */
    static String normalised(String identifier) {
        String decoded;
        try {
            decoded = URLDecoder.decode(identifier.replace("+", "%2B"), StandardCharsets.UTF_8).trim();
        } catch (IllegalArgumentException badEscape) {
            decoded = identifier; // the route refuses it with 400; its reference is still a reference
        }
        return decoded.matches("[0-9]{6,15}") && decoded.length() != 15 ? "+" + decoded : decoded;
    }

    /** Adds a parameter that matters for the action; any text holding an identifier is masked. */
    void parameter(Exchange exchange, String name, Object value) {
        if (value == null) {
            return;
        }
        ObjectNode parameters = exchange.getProperty(PARAMETERS, ObjectNode.class);
        if (parameters == null) {
            parameters = json.createObjectNode();
            exchange.setProperty(PARAMETERS, parameters);
        }
        parameters.set(name, masked(json.valueToTree(value)));
    }

    void begin(Exchange exchange) {
        // The request's trace (Spring MVC's server span, continuing the caller's traceparent when it sent one); a random
        // id only should tracing be off.
        String current = tracing.currentTraceId();
        String traceId = current != null ? current : newTraceId();
        exchange.setProperty(TRACE_ID, traceId);
        OperatorAccess.currentActor().ifPresent(actor -> exchange.setProperty(ACTOR, actor));
        PlatformHttpMessage http = exchange.getIn(PlatformHttpMessage.class);
        if (http != null && http.getResponse() != null) {
            http.getResponse().setHeader("X-Trace-Id", traceId);
        }
    }

    void record(Exchange exchange) {
        OperatorAccess.Actor actor = exchange.getProperty(ACTOR, OperatorAccess.Actor.class);
        String action = exchange.getProperty(ACTION, String.class);
        String traceId = exchange.getProperty(TRACE_ID, String.class);
        if (actor == null || action == null) {
            // Spring Security lets no unauthenticated request reach an operator route; a route without an action is a bug.
            LOG.error("Operator route {} answered without an actor or an action: not audited", exchange.getFromRouteId());
            writeFailures.increment();
            return;
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int answered = status == null ? 200 : status;
        ObjectNode parameters = exchange.getProperty(PARAMETERS, ObjectNode.class);
        try {
            trail.append(new AuditEntry(actor.subject(), actor.clientId(), actor.roles(), action,
                    exchange.getProperty(TARGET, String.class),
                    json.writeValueAsString(parameters == null ? json.createObjectNode() : parameters),
                    answered, answered >= 400 ? reason(exchange) : null, traceId));
        } catch (RuntimeException | JsonProcessingException e) {
            writeFailures.increment();
            LOG.error("Audit row for {} (trace {}) could not be written: {}", action, traceId, e.getClass().getSimpleName());
        }
    }

    /** The error text of an operator API answer ({@link OperatorJson#error}): fixed texts of the hub. */
    private String reason(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        try {
            JsonNode error = body instanceof byte[] bytes ? json.readTree(bytes) : null;
            String text = error != null && error.hasNonNull("error") ? error.get("error").asText() : null;
            return text == null ? null : text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private JsonNode masked(JsonNode value) {
        if (value.isTextual() && IDENTIFIER.matcher(value.asText()).matches() && !value.asText().startsWith("sub:")) {
            return json.getNodeFactory().textNode(Redaction.ref(normalised(value.asText())));
        }
        if (value instanceof ObjectNode object) {
            ObjectNode copy = json.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), masked(field.getValue()));
            }
            return copy;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = json.createArrayNode();
            array.forEach(element -> copy.add(masked(element)));
            return copy;
        }
        return value;
    }

    private static String newTraceId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
