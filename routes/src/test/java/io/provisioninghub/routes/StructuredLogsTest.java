package io.provisioninghub.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.HubProcess;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON logs with one switch (issue 14, docs/observability.md#logs): a replica in a process of its own, started with
 * {@code logging.structured.format.console=ecs}, writes every line on standard output as one JSON object (ECS), the
 * access log's lines included, with no subscriber identifier in them, and with the trace id and flow of the request.
 */
class StructuredLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test // issue 14: one switch, every line a JSON object, the access log among them
    void everyLineIsJsonWithTheSwitchOn() throws Exception {
        HubInstance systems = HubInstance.shared();
        Subscribers subscriber = Subscribers.generated(96_201);
        int httpPort = freePort();
        try (HubProcess replica = HubProcess.startReplicaOf(systems, Map.of(
                "logging.structured.format.console", "ecs",
                "hub.http.port", Integer.toString(httpPort)), Duration.ofMinutes(2))) {
            HttpResponse<String> first = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/"))
                    .header("X-MSISDN", subscriber.msisdn()).header("X-IMSI", subscriber.imsi())
                    .header("traceparent", "00-" + TRACE_ID + "-0102030405060708-01").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);

            List<JsonNode> lines = awaitAccessLine(replica, Duration.ofSeconds(20));
            assertThat(lines).isNotEmpty();
            for (JsonNode line : lines) {
                assertThat(line.hasNonNull("@timestamp")).as(line.toString()).isTrue();
                assertThat(line.path("log").path("level").asText()).as(line.toString()).isNotEmpty();
                assertThat(line.toString()).doesNotContain(subscriber.imsi()).doesNotContain(subscriber.msisdn().substring(1));
            }
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("log").path("logger").asText()).isEqualTo("http.access");
                assertThat(line.path("message").asText()).contains("GET / HTTP/1.1");
                // The request's trace (the device's traceparent continued) and flow, as fields of their own.
                assertThat(line.path("traceId").asText()).isEqualTo(TRACE_ID);
                assertThat(line.path("flow").asText()).isEqualTo("configuration");
            });
        }
    }

    /** The replica's log lines from its start, each parsed as JSON, once the access log has written one. */
    private static List<JsonNode> awaitAccessLine(HubProcess replica, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> parsed = new ArrayList<>();
            boolean started = false;
            for (String line : Files.readAllLines(replica.log())) {
                // The JVM may print a warning before logging starts; from Spring Boot's first line on, all is JSON.
                if (!started && !line.startsWith("{")) {
                    continue;
                }
                started = true;
                parsed.add(parse(line));
            }
            if (parsed.stream().anyMatch(l -> "http.access".equals(l.path("log").path("logger").asText()))
                    || System.nanoTime() > deadline) {
                return parsed;
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static JsonNode parse(String line) throws IOException {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }
}
