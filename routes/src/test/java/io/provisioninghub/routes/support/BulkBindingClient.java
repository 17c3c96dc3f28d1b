package io.provisioninghub.routes.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The operator's side of headless sign-up (SIGNUP-3, SIGNUP-4) over real HTTPS with the operator token, as an
 * operator's import tool would call it: bulk binding (JSON or CSV), binding look-ups, reassign and release. Tests and
 * benchmarks only.
 */
public final class BulkBindingClient {

    public static final String TOKEN = "sandbox-operator-token";
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HubInstance hub;
    private final HttpClient http;

    public BulkBindingClient(HubInstance hub) {
        this.hub = hub;
        this.http = HttpClient.newBuilder().sslContext(tls(hub)).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** POST /operator/v1/device-bindings with {"bindings": rows}. */
    public HttpResponse<String> bindJson(List<? extends Map<String, ?>> rows) {
        try {
            return post("/operator/v1/device-bindings", "application/json",
                    JSON.writeValueAsString(Map.of("bindings", rows)), TOKEN);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POST /operator/v1/device-bindings with a CSV body. */
    public HttpResponse<String> bindCsv(String csv) {
        return post("/operator/v1/device-bindings", "text/csv", csv, TOKEN);
    }

    /** Any POST; {@code token} null sends no Authorization header. */
    public HttpResponse<String> post(String path, String contentType, String body, String token) {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).header("Authorization", "Bearer " + TOKEN).GET().build());
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
        return post("/operator/v1/devices/" + encode(device) + "/reassign", "application/json", jsonBody, TOKEN);
    }

    /** POST /operator/v1/devices/{device}/release {"operator": name}. */
    public HttpResponse<String> release(String device, String operator) {
        try {
            return post("/operator/v1/devices/" + encode(device) + "/release", "application/json",
                    JSON.writeValueAsString(Map.of("operator", operator)), TOKEN);
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

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + hub.httpsPort() + path))
                .timeout(Duration.ofMinutes(5));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext tls(HubInstance hub) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(hub.trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
