package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.HubResponse;
import io.provisioninghub.routes.common.RequestRejected;
import io.provisioninghub.routes.identity.OperatorAccess;
import io.provisioninghub.routes.signup.DeviceBindings;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.provisioninghub.routes.identity.OperatorRole.ADMIN;
import static io.provisioninghub.routes.identity.OperatorRole.SECURITY;

/**
 * The operator API for headless devices and change of owner (SIGNUP-3/4; docs/flows/headless.md; contract
 * schemas/openapi/operator-api.yaml): bulk binding of device identities to subscriptions as JSON or CSV with a result
 * per row, lookups, moving a device to another subscription and releasing it to another operator. Roles security
 * and admin; every call audited.
 */
@Component
class DeviceBindingApiRoute extends RouteBuilder {

    /** The columns of a CSV request and the fields of a JSON row. */
    static final Set<String> FIELDS = Set.of("reference", "certificate", "imei", "publicKey", "imsi", "plan", "customer",
            "email");

    private final DeviceBindings bindings;
    private final OperatorAccess access;
    private final OperatorAudit audit;
    private final ObjectMapper json;
    private final CsvMapper csv = new CsvMapper();

    DeviceBindingApiRoute(DeviceBindings bindings, OperatorAccess access, OperatorAudit audit, ObjectMapper json) {
        this.bindings = bindings;
        this.access = access;
        this.audit = audit;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/operator/v1/device-bindings?httpMethodRestrict=POST")
                .routeId("operator-api-device-bindings")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("binding.bulk"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange,
                        answer(() -> OperatorJson.json(json, 200, bindings.bind(auditedRows(exchange))))));

        from("platform-http:/operator/v1/device-bindings/{id}?httpMethodRestrict=GET")
                .routeId("operator-api-device-binding")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("binding.read"))
                .process(OperatorAudit.reference("binding", "id"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, bindings.view(bindingId(exchange))
                        .map(value -> OperatorJson.json(json, 200, value))
                        .orElseGet(() -> OperatorJson.error(404, "NOT_FOUND", "no such binding"))));

        from("platform-http:/operator/v1/devices/{device}/binding?httpMethodRestrict=GET")
                .routeId("operator-api-device-binding-of-device")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("device.binding.read"))
                .process(OperatorAudit.subscriber("device"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, answer(() -> bindings.viewOfDevice(device(exchange))
                        .map(value -> OperatorJson.json(json, 200, value))
                        .orElseGet(() -> OperatorJson.error(404, "NOT_FOUND", "the device has never been bound")))));

        from("platform-http:/operator/v1/devices/{device}/reassign?httpMethodRestrict=POST")
                .routeId("operator-api-device-reassign")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("device.reassign"))
                .process(OperatorAudit.subscriber("device"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, answer(() -> {
                    JsonNode body = jsonBody(exchange);
                    DeviceBindings.Target target = new DeviceBindings.Target(text(body, "imsi"), text(body, "plan"),
                            text(body, "customer"), text(body, "email"));
                    audit.parameter(exchange, "imsi", target.imsi());
                    audit.parameter(exchange, "plan", target.plan());
                    return OperatorJson.json(json, 202, bindings.reassign(device(exchange), target));
                })));

        from("platform-http:/operator/v1/devices/{device}/release?httpMethodRestrict=POST")
                .routeId("operator-api-device-release")
                .routeGroup("operator")
                .routeConfigurationId(OperatorApiConfiguration.ROUTES)
                .process(OperatorAudit.action("device.release"))
                .process(OperatorAudit.subscriber("device"))
                .policy(access.allow(SECURITY, ADMIN))
                .process(exchange -> HttpResponses.write(exchange, answer(() -> OperatorJson.json(json, 202,
                        bindings.release(device(exchange), auditedOperator(exchange))))));
    }

    /** A call that may be refused as a whole (400, 404, 409, 503 …). */
    private interface Call {
        HubResponse run() throws DeviceBindings.Refused;
    }

    private HubResponse answer(Call call) {
        try {
            return call.run();
        } catch (DeviceBindings.Refused refused) {
            HubResponse response = OperatorJson.error(refused.status(), refused.reason(), refused.getMessage());
            return refused.status() == 503 ? response.withHeader("Retry-After", "30") : response;
        }
    }

    /** {@link #rows}, with their number and format in the audit trail. */
    private List<DeviceBindings.Row> auditedRows(Exchange exchange) {
        audit.parameter(exchange, "format", exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        List<DeviceBindings.Row> rows = rows(exchange);
        audit.parameter(exchange, "rows", rows.size());
        return rows;
    }

    /** The operator a device is released to, also in the audit trail. */
    private String auditedOperator(Exchange exchange) {
        String operator = text(jsonBody(exchange), "operator");
        audit.parameter(exchange, "operator", operator);
        return operator;
    }

    /** The request's rows: JSON {"bindings": [...]} or CSV with a header line; anything else 400 / 415. */
    private List<DeviceBindings.Row> rows(Exchange exchange) {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String body = exchange.getMessage().getBody(String.class);
        String media = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (media.startsWith("application/json")) {
            return jsonRows(body);
        }
        if (media.startsWith("text/csv")) {
            return csvRows(body);
        }
        throw rejected(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json ({\"bindings\": [...]}) or text/csv");
    }

    private List<DeviceBindings.Row> jsonRows(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw rejected(400, "MALFORMED", "the body is not JSON (line " + e.getLocation().getLineNr() + ")");
        }
        JsonNode array = root == null ? null : root.get("bindings");
        if (array == null || !array.isArray()) {
            throw rejected(400, "MALFORMED", "the body must be {\"bindings\": [ {row}, ... ]}");
        }
        List<DeviceBindings.Row> rows = new ArrayList<>(array.size());
        for (JsonNode row : array) {
            rows.add(jsonRow(row));
        }
        return rows;
    }

    /** A JSON row; an unknown field or a value of the wrong type makes the row unusable (refused, not ignored). */
    private DeviceBindings.Row jsonRow(JsonNode row) {
        if (!row.isObject()) {
            return DeviceBindings.Row.unreadable("a row is a JSON object");
        }
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return DeviceBindings.Row.unreadable("unknown field '" + name + "': use " + FIELDS);
            }
        }
        JsonNode key = row.get("publicKey");
        Object publicKey = null;
        if (key != null && key.isObject()) {
            publicKey = json.convertValue(key, Map.class);
        } else if (key != null && key.isTextual()) {
            publicKey = key.asText();
        } else if (key != null && !key.isNull()) {
            return DeviceBindings.Row.unreadable("publicKey is a JWK object or a base64 SubjectPublicKeyInfo string");
        }
        for (String field : List.of("reference", "certificate", "imei", "imsi", "plan", "customer", "email")) {
            JsonNode value = row.get(field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                return DeviceBindings.Row.unreadable(field + " must be a string");
            }
        }
        return new DeviceBindings.Row(text(row, "reference"), text(row, "certificate"), text(row, "imei"), publicKey,
                text(row, "imsi"), text(row, "plan"), text(row, "customer"), text(row, "email"), null);
    }

    private List<DeviceBindings.Row> csvRows(String body) {
        if (body == null || body.isBlank()) {
            throw rejected(400, "MALFORMED", "the CSV has no header line");
        }
        List<DeviceBindings.Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> lines = csv.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            List<String> header = null;
            while (lines.hasNextValue()) {
                Map<String, String> line = lines.nextValue();
                if (header == null) {
                    header = new ArrayList<>(line.keySet());
                    List<String> unknown = header.stream().filter(c -> !FIELDS.contains(c)).toList();
                    if (!unknown.isEmpty()) {
                        throw rejected(400, "MALFORMED", "unknown CSV columns " + unknown + ": use " + FIELDS);
                    }
                }
                rows.add(new DeviceBindings.Row(line.get("reference"), line.get("certificate"), line.get("imei"),
                        line.get("publicKey") == null || line.get("publicKey").isBlank() ? null : line.get("publicKey"),
                        line.get("imsi"), line.get("plan"), line.get("customer"), line.get("email"), null));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RequestRejected rejected) {
                throw rejected;
            }
            throw rejected(400, "MALFORMED", "the CSV cannot be read: a header line, then one row per line, "
                    + "values with commas or quotes in double quotes");
        }
        return rows;
    }

    private JsonNode jsonBody(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw rejected(400, "MALFORMED", "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw rejected(400, "MALFORMED", "the body is not JSON");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String device(Exchange exchange) {
        String device = exchange.getMessage().getHeader("device", String.class);
        return device == null ? null : URLDecoder.decode(device, StandardCharsets.UTF_8);
    }

    private UUID bindingId(Exchange exchange) {
        try {
            return UUID.fromString(exchange.getMessage().getHeader("id", String.class));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw rejected(400, "MALFORMED", "the binding id is a UUID");
        }
    }

    private RequestRejected rejected(int status, String reason, String message) {
        return new RequestRejected(OperatorJson.error(status, reason, message), "device bindings: " + reason);
    }
}
