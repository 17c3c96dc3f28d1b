package io.provisioninghub.routes.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The hub's own events as CloudEvents 1.0 in structured JSON mode (rotation results, sign-up activations). */
public final class CloudEvents {

    /** The {@code source} of every event the hub publishes. */
    public static final String HUB_SOURCE = "urn:provisioning-hub";

    private CloudEvents() {
    }

    /**
     * @param id   stable per fact (e.g. "rotation-result-42"): delivery is at least once, consumers de-duplicate by it
     * @param type the event type, e.g. io.provisioninghub.rotation.result.v1
     */
    public static String structured(ObjectMapper json, String id, String type, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", HUB_SOURCE);
        event.put("type", type);
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(type + " event not serialisable", e);
        }
    }
}
