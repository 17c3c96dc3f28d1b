package io.provisioninghub.routes.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.support.OperatorClient;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three planes and the operator's identities (issue 13, OPS-4, OPS-6): each port serves its plane only; the
 * operator API takes OAuth 2.0 access tokens from the sandbox's authorization server and lets each role do what the
 * role table says, over real HTTPS; every call is in the audit trail with its actor.
 */
class OperatorPlaneTest extends SharedHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test // issue 13: the device ports answer 404 for the operator API, the actuator and the authorization server
    void devicePortsServeOnlyTheDevicePlane() {
        for (String base : new String[] {"http://localhost:" + hub.httpPort(), "https://localhost:" + hub.httpsPort()}) {
            for (String path : new String[] {"/operator/v1/campaigns", "/operator/v1/subscribers/001010000000001/configuration",
                    "/actuator/health", "/actuator/prometheus", "/oauth2/token", "/.well-known/openid-configuration",
                    "/login"}) {
                assertThat(device.get(base + path, Map.of()).statusCode()).as(base + path).isEqualTo(404);
            }
            assertThat(device.get(base + "/static/provisioning-sample.xml", Map.of()).statusCode()).isEqualTo(200);
        }
    }

    @Test // issue 13: the operator port serves the operator plane only
    void operatorPortServesOnlyTheOperatorPlane() {
        OperatorClient care = hub.operator("care");
        for (String path : new String[] {"/", "/static/provisioning-sample.xml", "/signup", "/rotation/v1/proposals",
                "/actuator/health", "/actuator/prometheus"}) {
            assertThat(care.get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(care.send(HttpRequest.newBuilder(care.uri("/.well-known/openid-configuration")).GET().build())
                .statusCode()).isEqualTo(200);
    }

    @Test // issue 13, OPS-3: health with details, readiness, liveness and metrics on the management port only
    void managementPortServesHealthAndMetrics() throws IOException {
        String management = "http://127.0.0.1:" + hub.managementPort();
        HttpResponse<String> health = device.get(management + "/actuator/health", Map.of());
        JsonNode components = JSON.readTree(health.body()).path("components");
        assertThat(components.path("devicePlane").path("status").asText()).isEqualTo("UP");
        assertThat(components.has("db")).as("details are shown on the management port").isTrue();
        assertThat(device.get(management + "/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200);
        assertThat(device.get(management + "/actuator/health/liveness", Map.of()).statusCode()).isEqualTo(200);
        assertThat(device.get(management + "/actuator/prometheus", Map.of()).body())
                .contains("jvm_memory_used_bytes", "application_ready_time_seconds");
        assertThat(device.get(management + "/operator/v1/campaigns", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test // OPS-6: no token 401, care may look up but not start a campaign, security may; each call audited with its actor
    void rolesDecideWhatAnOperatorMayDoAndTheAuditTrailNamesWhoDidIt() throws IOException {
        Subscribers subscriber = Subscribers.generated(90_001);
        OperatorClient care = hub.operator("care");
        OperatorClient security = hub.operator("security");
        OperatorClient admin = hub.operator("admin");
        String lookup = "/operator/v1/subscribers/" + subscriber.imsi() + "/configuration";

        HttpResponse<String> anonymous = care.send(HttpRequest.newBuilder(care.uri(lookup)).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(care.send(HttpRequest.newBuilder(care.uri(lookup)).header("Authorization", "Bearer not-a-jwt").GET()
                .build()).statusCode()).isEqualTo(401);

        HttpResponse<String> looked = care.send(care.request(lookup)
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").GET().build());
        assertThat(looked.statusCode()).isIn(200, 404);
        assertThat(looked.headers().firstValue("X-Trace-Id")).hasValue("4bf92f3577b34da6a3ce929d0e0e4736");

        String campaign = "{\"kind\":\"reconfiguration\",\"smsRatePerSecond\":1,"
                + "\"selection\":{\"imsiRange\":{\"from\":\"" + subscriber.imsi() + "\",\"to\":\"" + subscriber.imsi() + "\"}}}";
        HttpResponse<String> refused = care.postJson("/operator/v1/campaigns", campaign);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("security", "admin");
        HttpResponse<String> started = security.postJson("/operator/v1/campaigns", campaign);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        long id = JSON.readTree(started.body()).path("id").asLong();
        assertThat(security.postJson("/operator/v1/campaigns/" + id + "/cancel", null).statusCode()).isEqualTo(200);
        assertThat(care.get("/operator/v1/audit").statusCode()).isEqualTo(403);

        JsonNode read = audit(admin, "subject=care&action=subscriber.configuration.read&limit=1");
        assertThat(read.path("subject").asText()).isEqualTo("care");
        assertThat(read.path("clientId").asText()).isEqualTo("care");
        assertThat(read.path("roles").toString()).isEqualTo("[\"care\"]");
        assertThat(read.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(read.path("target").asText()).startsWith("sub:").doesNotContain(subscriber.imsi());
        // The trail is searched by the identifier itself: the API masks it the same way.
        assertThat(audit(admin, "target=" + subscriber.imsi() + "&action=subscriber.configuration.read&limit=1")
                .path("id").asLong()).isEqualTo(read.path("id").asLong());

        JsonNode forbidden = audit(admin, "subject=care&action=campaign.start&outcome=refused&limit=1");
        assertThat(forbidden.path("status").asInt()).isEqualTo(403);
        assertThat(forbidden.path("reason").asText()).contains("security");

        JsonNode start = audit(admin, "subject=security&action=campaign.start&outcome=success&limit=1");
        assertThat(start.path("status").asInt()).isEqualTo(201);
        assertThat(start.path("parameters").path("smsRatePerSecond").asInt()).isEqualTo(1);
        assertThat(start.path("parameters").path("kind").asText()).isEqualTo("reconfiguration");
        assertThat(start.path("parameters").toString()).contains("imsiRange").doesNotContain(subscriber.imsi());
        JsonNode cancel = audit(admin, "subject=security&action=campaign.cancel&limit=1");
        assertThat(cancel.path("target").asText()).isEqualTo("campaign:" + id);

        // Paging: one event a page, the next page strictly older.
        JsonNode firstPage = JSON.readTree(admin.get("/operator/v1/audit?limit=1").body());
        long next = firstPage.path("next").asLong();
        JsonNode secondPage = JSON.readTree(admin.get("/operator/v1/audit?limit=1&before=" + next).body());
        assertThat(secondPage.path("events").get(0).path("id").asLong()).isLessThan(next);
        assertThat(admin.get("/operator/v1/audit?outcome=maybe").statusCode()).isEqualTo(400);
        assertThat(admin.get("/operator/v1/audit?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(admin.get("/operator/v1/audit?limit=100000").statusCode()).isEqualTo(400);
    }

    private static JsonNode audit(OperatorClient client, String query) throws IOException {
        HttpResponse<String> response = client.get("/operator/v1/audit?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode events = JSON.readTree(response.body()).path("events");
        assertThat(events.size()).as("events for " + query).isGreaterThan(0);
        return events.get(0);
    }
}
