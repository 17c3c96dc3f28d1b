package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.common.HubResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator API's JSON answers, one shape for all its routes (schemas/openapi/operator-api.yaml): a value, or an
 * error {@code {"status": 404, "error": "..."}}, with a machine-readable {@code "reason"} where the API names one
 * (device bindings). Every body is written by Jackson, so a message quoting JSON or a refusal's text stays valid JSON.
 */
final class OperatorJson {

    private static final String MEDIA_TYPE = "application/json";
    /** Error bodies hold only numbers and strings: no need for the application's configured mapper. */
    private static final ObjectMapper ERRORS = new ObjectMapper();

    private OperatorJson() {
    }

    /** {@code value} as JSON, written by the application's mapper (its date and naming settings). */
    static HubResponse json(ObjectMapper mapper, int status, Object value) {
        return HubResponse.of(status, MEDIA_TYPE, bytes(mapper, value));
    }

    static HubResponse error(int status, String message) {
        return error(status, null, message);
    }

    /** @param reason the machine-readable reason, or null where the API has none */
    static HubResponse error(int status, String reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        if (reason != null) {
            body.put("reason", reason);
        }
        body.put("error", message);
        return HubResponse.of(status, MEDIA_TYPE, bytes(ERRORS, body));
    }

    private static byte[] bytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the operator API's answer could not be written as JSON", e);
        }
    }
}
