package io.provisioninghub.routes.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Acts as an operator's tool against a running hub's operator plane: gets an access token from the sandbox's
 * authorization server with the client-credentials grant (client {@code care}, {@code security} or {@code admin}),
 * and sends operator API requests with it over HTTPS to the operator port. A token is fetched again when half its
 * lifetime has passed.
 */
public final class OperatorClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubInstance hub;
    private final String clientId;
    private final String secret;
    private final HttpClient http;
    private final SSLContext tls;
    private String token;
    private Instant renewAt = Instant.MIN;

    OperatorClient(HubInstance hub, String clientId, String secret) {
        this.hub = hub;
        this.clientId = clientId;
        this.secret = secret;
        this.tls = hub.sslContext();
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** TLS that trusts only the sandbox's development certificate, for a client of the test's own (a browser). */
    public SSLContext sslContext() {
        return tls;
    }

    /** {@code https://localhost:<operator port><path>}. */
    public URI uri(String path) {
        return URI.create("https://localhost:" + hub.operatorPort() + path);
    }

    /** The token endpoint's answer to this client's client-credentials request, as sent. */
    public HttpResponse<String> requestToken() {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri("/oauth2/token")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
    }

    /** A valid access token of this client. */
    public synchronized String accessToken() {
        if (token == null || Instant.now().isAfter(renewAt)) {
            HttpResponse<String> response = requestToken();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request of " + clientId + " answered " + response.statusCode());
            }
            try {
                JsonNode answer = JSON.readTree(response.body());
                token = answer.get("access_token").asText();
                renewAt = Instant.now().plusSeconds(answer.path("expires_in").asLong(60) / 2);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return token;
    }

    /** A request to {@code path} on the operator port, with this client's token. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + accessToken());
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** A POST with {@code body} (none when null) of {@code contentType}. */
    public HttpResponse<String> post(String path, String contentType, String body) {
        return send(withBody(request(path), "POST", contentType, body).build());
    }

    public HttpResponse<String> put(String path, String contentType, String body) {
        return send(withBody(request(path), "PUT", contentType, body).build());
    }

    /** A POST of JSON, or with no body when {@code json} is null. */
    public HttpResponse<String> postJson(String path, String json) {
        return post(path, "application/json", json);
    }

    private static HttpRequest.Builder withBody(HttpRequest.Builder request, String method, String contentType,
                                                String body) {
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    /** Sends any request over this client's TLS setup (trusting only the sandbox certificate). */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
