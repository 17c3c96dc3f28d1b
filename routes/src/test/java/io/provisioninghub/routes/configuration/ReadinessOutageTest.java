package io.provisioninghub.routes.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, OPS-3: a Kafka outage and an Artemis outage do not take the replica out of readiness, and devices go on
 * getting their configuration (docs/runbook.md#probes): readiness follows only what is the replica's own. The outage
 * is visible in the full health on the management port. Its own hub and a second replica of it (sharing its
 * systems, as replicas on Kubernetes do): the brokers are stopped for good, under both.
 */
class ReadinessOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HubInstance hub;
    private static HubInstance replica;

    @BeforeAll
    static void startHub() {
        hub = HubInstance.start(Map.of());
        replica = HubInstance.startReplicaOf(hub, Map.of());
    }

    @AfterAll
    static void stopHub() {
        if (replica != null) {
            replica.close();
        }
        hub.close();
    }

    @Test // issue 13: Kafka and Artemis down → health DOWN, readiness still UP, every configuration cycle still 200
    void kafkaAndArtemisOutagesDoNotStopDeviceConfiguration() throws Exception {
        for (HubInstance each : new HubInstance[] {hub, replica}) {
            assertThat(status(each, "/actuator/health/readiness")).isEqualTo(200);
        }
        hub.sandbox().kafka().orElseThrow().close();
        hub.sandbox().artemis().orElseThrow().close();

        int n = 0;
        for (HubInstance each : new HubInstance[] {hub, replica}) {
            DeviceClient device = each.device();
            // The outage shows in the full health (details on the management port) ...
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            HttpResponse<String> health;
            do {
                Thread.sleep(500);
                health = fullHealth(each);
            } while (health.statusCode() == 200 && System.nanoTime() < deadline);
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            assertThat(down(JSON.readTree(health.body()))).as(health.body()).isNotEmpty();

            // ... while readiness, liveness and the devices' configuration go on.
            for (int i = 0; i < 10; i++, n++) {
                Subscribers subscriber = Subscribers.generated(90_201 + n);
                HttpResponse<String> configured = device.configure(subscriber.msisdn(), subscriber.imsi(), table1(0, null));
                assertThat(configured.statusCode()).as(configured.body()).isEqualTo(200);
                assertThat(ProvisioningDocument.parse(configured.body()).topLevelTypes()).contains("APPLICATION");
                assertThat(status(each, "/actuator/health/readiness")).isEqualTo(200);
            }
            assertThat(status(each, "/actuator/health/liveness")).isEqualTo(200);
        }
    }

    private static List<String> down(JsonNode health) {
        List<String> down = new ArrayList<>();
        health.path("components").fields().forEachRemaining(component -> {
            if ("DOWN".equals(component.getValue().path("status").asText())) {
                down.add(component.getKey());
            }
        });
        return down;
    }

    /**
     * The full health, whose JMS check waits for Artemis's client to give up on a broker that is gone: measured 4–8 s
     * a call, 32 s for the first (docs/runbook.md#probes). Readiness does not include it and answers in milliseconds.
     */
    private static HttpResponse<String> fullHealth(HubInstance instance) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(management(instance, "/actuator/health")))
                .timeout(Duration.ofSeconds(90)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(HubInstance instance, String path) {
        return instance.device().get(management(instance, path), Map.of()).statusCode();
    }

    private static String management(HubInstance instance, String path) {
        return "http://127.0.0.1:" + instance.managementPort() + path;
    }
}
