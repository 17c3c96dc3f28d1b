package io.provisioninghub.routes.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the hub answers on its HTTP endpoints: status, headers, body. Routes build one and
 * {@link HttpResponses#write} puts it on the exchange, so no internal Camel header leaks into the reply.
 */
public record HubResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public HubResponse {
        headers = Map.copyOf(headers);
    }

    public static HubResponse of(int status, String contentType, byte[] body) {
        return new HubResponse(status, contentType, body, Map.of());
    }

    public static HubResponse text(int status, String text) {
        return of(status, "text/plain;charset=UTF-8", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public HubResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HubResponse(status, contentType, body, more);
    }
}
