package io.provisioninghub.connectors.billing.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers over the JDK's {@link HttpExchange}: JSON answers, TMF errors, query and body parsing. */
final class HttpExchanges {

    static final String JSON = "application/json;charset=utf-8";
    /** Request bodies are a few bytes ({"status":"..."}); anything bigger is refused before it is read. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private HttpExchanges() {
    }

    /** Bad input: answered 400 (or the given status) with a TMF error, the message written for the caller. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(String message) {
            this(400, message);
        }

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = TmfJson.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, TmfJson.Error.of(status, message));
    }

    static void sendMethodNotAllowed(HttpExchange exchange, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        sendError(exchange, 405, "method not allowed here; allowed: " + allow);
    }

    /** Decoded query parameters, each with every value it was given (so duplicates can be refused). */
    static Map<String, List<String>> queryParameters(HttpExchange exchange) throws BadRequest {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return parameters;
    }

    // Form decoding, as servers do: a raw '+' is a space, so a client that does not encode "+1555..." as
    // "%2B1555..." gets a 400 here instead of silently matching nothing.
    private static String decode(String s) throws BadRequest {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed percent-encoding in the query");
        }
    }

    static byte[] readBody(HttpExchange exchange) throws IOException, BadRequest {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new BadRequest(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    /** True when the request has no Content-Type or a JSON one (TMF uses application/merge-patch+json). */
    static boolean isJsonOrUnspecified(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null) {
            return true;
        }
        String mime = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mime.equals("application/json") || mime.equals("application/merge-patch+json");
    }
}
