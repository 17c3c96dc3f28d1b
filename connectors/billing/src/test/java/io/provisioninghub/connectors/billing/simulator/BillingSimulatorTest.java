package io.provisioninghub.connectors.billing.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.connectors.billing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The billing stand-in over real HTTP, on its own real PostgreSQL database (INT-2). */
class BillingSimulatorTest {

    private static final String PRODUCTS = "/tmf-api/productInventory/v4/product";
    private static final ObjectMapper JSON = new ObjectMapper();

    static String jdbcUrl;
    static BillingSimulator simulator;
    static Duration firstStart;
    static HttpClient http;

    @BeforeAll
    static void start() {
        jdbcUrl = TestPostgres.newDatabase("billing_sim");
        long t0 = System.nanoTime();
        simulator = BillingSimulator.start(settings(0));
        firstStart = Duration.ofNanos(System.nanoTime() - t0);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    static void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterEach
    void clearFaults() {
        simulator.faults().reset();
    }

    static BillingSimulatorSettings settings(int port) {
        return BillingSimulatorSettings.of(port, jdbcUrl, TestPostgres.server().username(), "");
    }

    // --- seed and shape -------------------------------------------------------------------------------------

    @Test
    void migratesAndSeedsAHundredThousandSubscribersWithinSeconds() throws Exception {
        assertThat(firstStart).isLessThan(Duration.ofSeconds(15));
        try (Connection c = DriverManager.getConnection(jdbcUrl, TestPostgres.server().username(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT msisdn) FROM product"
                     + " WHERE msisdn BETWEEN '+15551000001' AND '+15551100000'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(200_000);
            assertThat(rs.getLong(2)).isEqualTo(100_000);
        }
    }

    @Test
    void listsASubscribersProductsAsTmf637Products() throws Exception {
        HttpResponse<String> response = get(PRODUCTS + "?relatedParty.id=" + encode("+15550000001"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("X-Total-Count")).hasValue("2");
        JsonNode products = JSON.readTree(response.body());
        assertThat(products.isArray()).isTrue();
        assertThat(products).hasSize(2);

        JsonNode ims = products.get(0);
        assertThat(ims.get("id").asText()).matches("[0-9]+");
        assertThat(ims.get("href").asText()).isEqualTo(simulator.baseUrl() + PRODUCTS + "/" + ims.get("id").asText());
        assertThat(ims.get("name").asText()).isEqualTo("IMS Voice and Video");
        assertThat(ims.get("status").asText()).isEqualTo("active");
        assertThat(ims.get("isBundle").isBoolean()).isTrue();
        assertThat(ims.get("isBundle").asBoolean()).isFalse();
        assertThat(ims.get("productOffering").get("id").asText()).isEqualTo("ims");
        assertThat(ims.get("productOffering").get("name").asText()).isEqualTo("IMS Voice and Video");
        JsonNode characteristic = ims.get("productCharacteristic").get(0);
        assertThat(characteristic.get("name").asText()).isEqualTo("service");
        assertThat(characteristic.get("valueType").asText()).isEqualTo("string");
        assertThat(characteristic.get("value").asText()).isEqualTo("ims");
        JsonNode party = ims.get("relatedParty").get(0);
        assertThat(party.get("id").asText()).isEqualTo("+15550000001");
        assertThat(party.get("role").asText()).isEqualTo("customer");
        assertThat(party.get("@referredType").asText()).isEqualTo("Individual");
        assertThat(ims.get("@type").asText()).isEqualTo("Product");

        JsonNode messaging = products.get(1);
        assertThat(messaging.get("name").asText()).isEqualTo("RCS Messaging");
        assertThat(messaging.get("productOffering").get("id").asText()).isEqualTo("messaging");
        assertThat(messaging.get("productCharacteristic").get(0).get("value").asText()).isEqualTo("messaging");
    }

    @ParameterizedTest
    @CsvSource({
            "+15550000001, active",
            "+15550000002, active",
            "+15550000003, pendingActive",
            "+15550000004, active",
            "+15550000005, terminated",
            "+15551000001, active",
            "+15551100000, active"})
    void servesEverySeededSubscriberWithBothProducts(String msisdn, String status) throws Exception {
        JsonNode products = JSON.readTree(get(PRODUCTS + "?relatedParty.id=" + encode(msisdn)).body());

        assertThat(products).hasSize(2);
        List<String> services = new ArrayList<>();
        for (JsonNode p : products) {
            assertThat(p.get("status").asText()).isEqualTo(status);
            services.add(p.get("productCharacteristic").get(0).get("value").asText());
        }
        assertThat(services).containsExactly("ims", "messaging");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+15559999999", "+15551100001", "+15551000000"})
    void answersAnEmptyListForAnUnknownSubscriber(String msisdn) throws Exception {
        HttpResponse<String> response = get(PRODUCTS + "?relatedParty.id=" + encode(msisdn));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).isArray()).isTrue();
        assertThat(JSON.readTree(response.body())).isEmpty();
    }

    @Test
    void readsAndPatchesOneProduct() throws Exception {
        String id = firstProductId("+15551000500");

        HttpResponse<String> read = get(PRODUCTS + "/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("status").asText()).isEqualTo("active");

        HttpResponse<String> patched = patch(PRODUCTS + "/" + id, "application/merge-patch+json",
                "{\"status\":\"suspended\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).get("status").asText()).isEqualTo("suspended");
        assertThat(JSON.readTree(get(PRODUCTS + "/" + id).body()).get("status").asText()).isEqualTo("suspended");
    }

    @Test
    void answersKeepAliveRequestsWithoutTheNagleStall() throws Exception {
        String query = PRODUCTS + "?relatedParty.id=" + encode("+15551000042");
        for (int i = 0; i < 20; i++) { // warm-up
            get(query);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            assertThat(get(query).statusCode()).isEqualTo(200);
        }
        // With Nagle on, every answer waited for the client's delayed ACK (~40 ms): 50 took over 2 s.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }

    // --- bad input: 4xx with a TMF error, never a stack trace -------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            PRODUCTS,                                                  // no filter: would list everyone
            PRODUCTS + "?relatedParty.id=+15550000001",               // '+' not encoded: a space once decoded
            PRODUCTS + "?relatedParty.id=15550000001",                // no '+'
            PRODUCTS + "?relatedParty.id=%2Babc",                     // not digits
            PRODUCTS + "?relatedParty.id=%2B1555000000100000",        // longer than E.164
            PRODUCTS + "?relatedParty.id=%2B15550000001&relatedParty.id=%2B15550000002",
            PRODUCTS + "?relatedParty.id=%2B15550000001&status=active"}) // unsupported filter
    void refusesABadQueryWith400(String pathAndQuery) throws Exception {
        assertTmfError(get(pathAndQuery), 400);
    }

    @Test
    void refusesBadPatches() throws Exception {
        String id = firstProductId("+15551000501");

        assertTmfError(patch(PRODUCTS + "/" + id, "application/json", "{\"status\":\"gone\"}"), 400);
        assertTmfError(patch(PRODUCTS + "/" + id, "application/json", "{\"status\":1}"), 400);
        assertTmfError(patch(PRODUCTS + "/" + id, "application/json", "{\"status\":\"active\",\"name\":\"x\"}"), 400);
        assertTmfError(patch(PRODUCTS + "/" + id, "application/json", "{\"status\":"), 400);
        assertTmfError(patch(PRODUCTS + "/" + id, "application/json", "[]"), 400);
        assertTmfError(patch(PRODUCTS + "/" + id, "text/plain", "{\"status\":\"active\"}"), 415);
        assertTmfError(patch(PRODUCTS + "/" + id, "application/json", "x".repeat(20_000)), 413);
        assertTmfError(patch(PRODUCTS + "/999999999", "application/json", "{\"status\":\"active\"}"), 404);
        // nothing changed
        assertThat(JSON.readTree(get(PRODUCTS + "/" + id).body()).get("status").asText()).isEqualTo("active");
    }

    @Test
    void answersUnknownResourcesAndMethodsWithTmfErrors() throws Exception {
        assertTmfError(get(PRODUCTS + "/999999999"), 404);
        assertTmfError(get(PRODUCTS + "/not-a-number"), 404);
        assertTmfError(get(PRODUCTS + "/1/extra"), 404);
        assertTmfError(get(PRODUCTS + "Offering"), 404);
        assertTmfError(get("/nowhere"), 404);

        HttpResponse<String> post = http.send(request(PRODUCTS).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTmfError(post, 405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> delete = http.send(request(PRODUCTS + "/1").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertTmfError(delete, 405);
    }

    // --- faults ----------------------------------------------------------------------------------------------

    @Test
    void failsTheNextRequestsThenServesAgainAndCountsThemAll() throws Exception {
        String query = PRODUCTS + "?relatedParty.id=" + encode("+15550000001");
        long before = simulator.requestCount();
        simulator.faults().failNext(2, 503);

        assertTmfError(get(query), 503);
        assertTmfError(get(query), 503);
        assertThat(get(query).statusCode()).isEqualTo(200);
        assertThat(simulator.requestCount() - before).isEqualTo(3);
        assertThat(simulator.faults().failNextRemaining()).isZero();
    }

    @Test
    void failsEveryRequestWhileAFailureStatusIsSet() throws Exception {
        String query = PRODUCTS + "?relatedParty.id=" + encode("+15550000001");
        simulator.faults().setFailureStatus(500);

        assertTmfError(get(query), 500);
        assertTmfError(get(PRODUCTS + "/1"), 500);

        simulator.faults().setFailureStatus(0);
        assertThat(get(query).statusCode()).isEqualTo(200);
    }

    @Test
    void delaysAnswersByTheInjectedLatency() throws Exception {
        simulator.faults().setLatency(Duration.ofMillis(400));
        long t0 = System.nanoTime();

        HttpResponse<String> response = get(PRODUCTS + "?relatedParty.id=" + encode("+15550000001"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void refusesImpossibleFaults() {
        BillingFaults faults = simulator.faults();
        assertThatThrownBy(() -> faults.setFailureStatus(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.failNext(1, 302)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.failNext(-1, 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.setLatency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(faults.failureStatus()).isZero();
    }

    @Test
    void exposesFaultsOverHttpForTheSandbox() throws Exception {
        String query = PRODUCTS + "?relatedParty.id=" + encode("+15550000001");

        HttpResponse<String> set = send("PUT", "/sandbox/faults", "{\"failureStatus\":503,\"latencyMs\":10}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).get("failureStatus").asInt()).isEqualTo(503);
        assertThat(simulator.faults().latency()).isEqualTo(Duration.ofMillis(10));
        assertTmfError(get(query), 503);

        JsonNode shown = JSON.readTree(get("/sandbox/faults").body());
        assertThat(shown.get("failureStatus").asInt()).isEqualTo(503);
        assertThat(shown.get("latencyMs").asLong()).isEqualTo(10);
        assertThat(shown.get("requestCount").asLong()).isEqualTo(simulator.requestCount());

        // A bad request changes nothing.
        assertTmfError(send("POST", "/sandbox/faults", "{\"failureStatus\":200}"), 400);
        assertTmfError(send("POST", "/sandbox/faults", "{\"failNextCount\":1}"), 400);
        assertTmfError(send("POST", "/sandbox/faults", "{\"latencyMs\":-5}"), 400);
        assertTmfError(send("POST", "/sandbox/faults", "{\"cutOff\":true}"), 400);
        assertTmfError(send("POST", "/sandbox/faults", "not json"), 400);
        assertThat(simulator.faults().failureStatus()).isEqualTo(503);

        assertThat(send("POST", "/sandbox/faults", "{\"failNextCount\":1,\"failNextStatus\":502}").statusCode())
                .isEqualTo(200);
        assertThat(simulator.faults().failNextRemaining()).isEqualTo(1);
        assertThat(simulator.faults().failNextStatus()).isEqualTo(502);

        HttpResponse<String> reset = send("DELETE", "/sandbox/faults", null);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reset.body()).get("failureStatus").asInt()).isZero();
        assertThat(get(query).statusCode()).isEqualTo(200);
    }

    // --- persistence -------------------------------------------------------------------------------------------

    @Test
    void keepsAPatchedStatusAcrossARestartOnTheSameDatabase() throws Exception {
        String jdbc = TestPostgres.newDatabase("billing_restart");
        BillingSimulatorSettings settings = BillingSimulatorSettings.of(0, jdbc, TestPostgres.server().username(), "");
        String id;
        try (BillingSimulator first = BillingSimulator.start(settings)) {
            id = firstProductId(first, "+15550000001");
            HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + PRODUCTS + "/" + id))
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"terminated\"}"))
                            .header("Content-Type", "application/merge-patch+json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).isEqualTo(200);
        }
        try (BillingSimulator second = BillingSimulator.start(settings)) {
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(
                            URI.create(second.baseUrl() + PRODUCTS + "?relatedParty.id=" + encode("+15550000001"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode products = JSON.readTree(read.body());
            // The seed did not run twice, and the PATCH survived.
            assertThat(products).hasSize(2);
            assertThat(products.get(0).get("id").asText()).isEqualTo(id);
            assertThat(products.get(0).get("status").asText()).isEqualTo("terminated");
            assertThat(products.get(1).get("status").asText()).isEqualTo("active");
        }
    }

    @Test
    void refusesConnectionsOnceClosed() throws Exception {
        BillingSimulator other = BillingSimulator.start(settings(0));
        URI uri = URI.create(other.baseUrl() + PRODUCTS + "?relatedParty.id=" + encode("+15550000001"));
        assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);

        other.close();
        other.close(); // idempotent

        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(simulator.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(String path, String contentType, String body)
            throws IOException, InterruptedException {
        return http.send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(request(path).method(method, publisher).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String firstProductId(String msisdn) throws Exception {
        return firstProductId(simulator, msisdn);
    }

    private static String firstProductId(BillingSimulator target, String msisdn) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(target.baseUrl() + PRODUCTS + "?relatedParty.id=" + encode(msisdn))).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).get(0).get("id").asText();
    }

    private static void assertTmfError(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("@type").asText()).isEqualTo("Error");
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(status));
        assertThat(error.get("status").asText()).isEqualTo(Integer.toString(status));
        assertThat(error.get("reason").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("SQL");
    }
}
