package io.provisioninghub.routes.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The operator's side of headless sign-up (SIGNUP-3, SIGNUP-4) over real HTTPS on the operator plane, with an access
 * token of the sandbox's {@code security} client (device bindings need the role security or admin), as an operator's
 * import tool would call it: bulk binding (JSON or CSV), binding look-ups, reassign and release. Tests and benchmarks
 * only.
 */
public final class BulkBindingClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** A bulk import of the largest size takes a while: longer than {@link OperatorClient}'s default timeout. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final OperatorClient operator;

    public BulkBindingClient(HubInstance hub) {
        this.operator = hub.operator("security");
    }

    /** POST /operator/v1/device-bindings with {"bindings": rows}. */
    public HttpResponse<String> bindJson(List<? extends Map<String, ?>> rows) {
        try {
            return post("/operator/v1/device-bindings", "application/json",
                    JSON.writeValueAsString(Map.of("bindings", rows)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POST /operator/v1/device-bindings with a CSV body. */
    public HttpResponse<String> bindCsv(String csv) {
        return post("/operator/v1/device-bindings", "text/csv", csv);
    }

    /** Any POST with this client's access token. */
    public HttpResponse<String> post(String path, String contentType, String body) {
        return operator.send(withBody(operator.request(path).timeout(TIMEOUT), contentType, body).build());
    }

    /**
     * Any POST to the operator port with {@code bearerToken} sent as given, not this client's ({@code null} sends no
     * Authorization header): for the tests of refused callers.
     */
    public HttpResponse<String> post(String path, String contentType, String body, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(operator.uri(path)).timeout(TIMEOUT);
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return operator.send(withBody(request, contentType, body).build());
    }

    public HttpResponse<String> get(String path) {
        return operator.send(operator.request(path).timeout(TIMEOUT).GET().build());
    }

    /** The operator client underneath (its token, its operator-port URIs). */
    public OperatorClient operator() {
        return operator;
    }

    /** GET /operator/v1/device-bindings/{id}. */
    public HttpResponse<String> binding(String bindingId) {
        return get("/operator/v1/device-bindings/" + bindingId);
    }

    /** GET /operator/v1/devices/{device}/binding, the device ("IMEI:…") with its ':' percent-encoded. */
    public HttpResponse<String> bindingOfDevice(String device) {
        return get("/operator/v1/devices/" + encode(device) + "/binding");
    }

    /** POST /operator/v1/devices/{device}/reassign with a JSON body. */
    public HttpResponse<String> reassign(String device, String jsonBody) {
        return post("/operator/v1/devices/" + encode(device) + "/reassign", "application/json", jsonBody);
    }

    /** POST /operator/v1/devices/{device}/release {"operator": name}. */
    public HttpResponse<String> release(String device, String operator) {
        try {
            return post("/operator/v1/devices/" + encode(device) + "/release", "application/json",
                    JSON.writeValueAsString(Map.of("operator", operator)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The binding's view once it satisfies {@code condition} (polled), or an AssertionError with the last view. */
    public JsonNode awaitBinding(String bindingId, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = read(binding(bindingId));
        while (!condition.test(view)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("binding " + bindingId + " did not get there within " + timeout + ": " + view);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            view = read(binding(bindingId));
        }
        return view;
    }

    public static Predicate<JsonNode> inState(String state) {
        return view -> state.equals(view.path("state").asText());
    }

    public static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** A bulk row: name/value pairs, nulls left out (an absent field). */
    public static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                row.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return row;
    }

    static String encode(String device) {
        return URLEncoder.encode(device, StandardCharsets.UTF_8);
    }

    private static HttpRequest.Builder withBody(HttpRequest.Builder request, String contentType, String body) {
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
