package io.provisioninghub.routes.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads rotation-requested events: CloudEvents 1.0 in structured JSON mode, checked against
 * {@code json/rotation/rotation-requested.v1.schema.json} (the schemas module). An event that is not JSON or does
 * not match the schema is refused with a reason fit for the dead-letter topic (no data echoed back).
 */
@Component
class RotationEvents {

    static final String REQUESTED_SCHEMA = "/json/rotation/rotation-requested.v1.schema.json";

    private final ObjectMapper json;
    private final JsonSchema requested;

    RotationEvents(ObjectMapper json) {
        this.json = json;
        this.requested = schema(REQUESTED_SCHEMA);
    }

    /** A JSON Schema (draft 2020-12) of the schemas module, by classpath location. */
    static JsonSchema schema(String location) {
        try (InputStream schema = RotationEvents.class.getResourceAsStream(location)) {
            if (schema == null) {
                throw new IllegalStateException(location + " is missing from the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + location, e);
        }
    }

    /** What a schema finds wrong: the failing locations and rules, never the values. */
    static String problems(Set<ValidationMessage> problems) {
        return problems.stream().map(p -> p.getInstanceLocation() + " " + p.getType()).sorted().limit(5)
                .collect(Collectors.joining("; "));
    }

    /** A valid rotation request. */
    record Requested(String source, String id, String imsi, String reason) {
    }

    /** The event is refused; {@code reason} names what is wrong, never the event's content. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    Requested read(String body) throws Refused {
        if (body == null || body.isBlank()) {
            throw new Refused("empty event");
        }
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Refused("not JSON (CloudEvents structured mode expected)");
        }
        Set<ValidationMessage> problems = requested.validate(event);
        if (!problems.isEmpty()) {
            // The schema's own messages name the failing location and rule (e.g. "$.data.imsi: does not match the
            // regex pattern"), without the value.
            throw new Refused("does not match rotation-requested.v1: " + problems(problems));
        }
        JsonNode data = event.get("data");
        return new Requested(event.get("source").asText(), event.get("id").asText(), data.get("imsi").asText(),
                data.get("reason").asText());
    }
}
