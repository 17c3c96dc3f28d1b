package io.provisioninghub.connectors.billing;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.connectors.billing.simulator.BillingSimulatorSettings;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The billing client (INT-2) through the hub's auto-configured Camel routes, against the billing simulator on
 * a random port with its data in a real PostgreSQL. Tests that trip the circuit breaker get an application of
 * their own, so the breaker's state never leaks between tests.
 */
@ExtendWith(OutputCaptureExtension.class)
class CamelBillingClientTest {

    private static final String ACTIVE = "+15550000001";
    private static final String BARRED_IN_HLR = "+15550000002";
    private static final String PROVISIONING = "+15550000003";
    private static final String OPTED_OUT_IN_HLR = "+15550000004";
    private static final String DEPROVISIONED = "+15550000005";
    private static final String UNKNOWN = "+15559999999";

    static String billingJdbcUrl;
    static String hubJdbcUrl;
    static BillingSimulator simulator;
    static ConfigurableApplicationContext app;
    static BillingClient billing;

    @BeforeAll
    static void start() {
        billingJdbcUrl = TestPostgres.newDatabase("billing_client");
        hubJdbcUrl = TestPostgres.newDatabase("hub");
        simulator = BillingSimulator.start(simulatorSettings());
        app = startHub("hub.billing.base-url=" + simulator.baseUrl());
        billing = app.getBean(BillingClient.class);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @AfterEach
    void clearFaults() {
        simulator.faults().reset();
    }

    // --- answers ------------------------------------------------------------------------------------------

    // INT-2: subscription status and entitled services, per fixture
    @ParameterizedTest
    @CsvSource({
            ACTIVE + ", ACTIVE",
            BARRED_IN_HLR + ", ACTIVE",
            PROVISIONING + ", PENDING_ACTIVE",
            OPTED_OUT_IN_HLR + ", ACTIVE",
            DEPROVISIONED + ", TERMINATED",
            "+15551000001, ACTIVE",
            "+15551054321, ACTIVE",
            "+15551100000, ACTIVE"})
    void readsEverySubscribersProducts(String msisdn, ProductStatus status) {
        Optional<List<BillingProduct>> products = billing.productsOf(msisdn);

        assertThat(products).isPresent();
        assertThat(products.get()).extracting(BillingProduct::service).containsExactly("ims", "messaging");
        assertThat(products.get()).extracting(BillingProduct::status).containsOnly(status);
        assertThat(products.get()).extracting(BillingProduct::id).allSatisfy(id -> assertThat(id).isNotBlank());
    }

    // INT-2: billing does not know the subscriber
    @ParameterizedTest
    @ValueSource(strings = {UNKNOWN, "+15551100001", "+4930123456"})
    void answersEmptyForASubscriberBillingDoesNotKnow(String msisdn) {
        assertThat(billing.productsOf(msisdn)).isEmpty();
    }

    // INT-2: a billing that answers 404 for an unknown subscriber (some do) means the same as []
    @Test
    void answersEmptyOnHttp404() {
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + simulator.baseUrl() + "/elsewhere/")) {
            long before = simulator.requestCount();

            // The simulator's catch-all answered 404 (a connection failure would have thrown).
            assertThat(hub.getBean(BillingClient.class).productsOf(ACTIVE)).isEmpty();
            // ...and the TMF API itself was not asked.
            assertThat(simulator.requestCount()).isEqualTo(before);
        }
    }

    // INT-2: a lookup reflects billing's current state (PATCH through the TMF API)
    @Test
    void seesAStatusChangedInBilling() throws Exception {
        String msisdn = "+15551000777";
        BillingProduct ims = billing.productsOf(msisdn).orElseThrow().get(0);

        patchStatus(ims.id(), "suspended");

        assertThat(billing.productsOf(msisdn).orElseThrow())
                .contains(new BillingProduct(ims.id(), "ims", ProductStatus.SUSPENDED));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"15550000001", "+0155", "+1555abc", "+1555000000100000", "+1 5550000001"})
    void refusesAnythingButE164WithoutCallingBilling(String msisdn) {
        long before = simulator.requestCount();

        assertThatThrownBy(() -> billing.productsOf(msisdn)).isInstanceOf(IllegalArgumentException.class);
        assertThat(simulator.requestCount()).isEqualTo(before);
    }

    // --- failures: timeouts, retries, circuit breaker ---------------------------------------------------------

    // INT-2 / CFG-7: billing down → BillingUnavailableException quickly, so the hub can answer 503 + Retry-After
    @Test
    void failsFastWhenBillingIsDown(CapturedOutput output) {
        BillingSimulator doomed = BillingSimulator.start(simulatorSettings());
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + doomed.baseUrl())) {
            BillingClient client = hub.getBean(BillingClient.class);
            assertThat(client.productsOf(ACTIVE)).isPresent(); // a pooled keep-alive connection now exists
            doomed.close();

            long t0 = System.nanoTime();
            BillingUnavailableException e = catchThrowableOfType(BillingUnavailableException.class,
                    () -> client.productsOf(ACTIVE));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).startsWith("billing cannot be reached");
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            assertNoSubscriberIdentifiers(e, output, ACTIVE);
        } finally {
            doomed.close();
        }
    }

    // INT-2: a billing slower than the response timeout is unavailable; a timeout is not retried
    @Test
    void givesUpAfterTheResponseTimeout(CapturedOutput output) {
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + simulator.baseUrl(),
                "hub.billing.response-timeout=300ms")) {
            BillingClient client = hub.getBean(BillingClient.class);
            simulator.faults().setLatency(Duration.ofMillis(1_500));
            long before = simulator.requestCount();

            long t0 = System.nanoTime();
            BillingUnavailableException e = catchThrowableOfType(BillingUnavailableException.class,
                    () -> client.productsOf(PROVISIONING));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).startsWith("billing did not answer in time");
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofMillis(1_200));
            assertThat(simulator.requestCount() - before).isEqualTo(1);
            assertNoSubscriberIdentifiers(e, output, PROVISIONING);
        }
    }

    // INT-2: a transient 5xx is retried, inside the breaker, by our retry (not HttpClient's, which waits 1 s)
    @Test
    void retriesATransientServerError() {
        simulator.faults().failNext(1, 503);
        long before = simulator.requestCount();
        long t0 = System.nanoTime();

        Optional<List<BillingProduct>> products = billing.productsOf(ACTIVE);

        assertThat(products).isPresent();
        assertThat(products.get()).hasSize(2);
        assertThat(simulator.requestCount() - before).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(900));
    }

    // INT-2: retries are bounded by hub.billing.retries (default 2: three requests in all)
    @Test
    void givesUpAfterTheConfiguredRetries(CapturedOutput output) {
        simulator.faults().failNext(3, 502);
        long before = simulator.requestCount();

        BillingUnavailableException e = catchThrowableOfType(BillingUnavailableException.class,
                () -> billing.productsOf(DEPROVISIONED));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("billing answered HTTP 502");
        assertThat(simulator.requestCount() - before).isEqualTo(3);
        assertThat(billing.productsOf(DEPROVISIONED)).isPresent(); // and then it is served again
        assertNoSubscriberIdentifiers(e, output, DEPROVISIONED);
    }

    // INT-2: a 4xx is an answer, not a transient failure: no retry
    @Test
    void doesNotRetryAClientError() {
        simulator.faults().failNext(1, 400);
        long before = simulator.requestCount();

        assertThatThrownBy(() -> billing.productsOf(ACTIVE))
                .isInstanceOf(BillingUnavailableException.class)
                .hasMessageContaining("HTTP 400");
        assertThat(simulator.requestCount() - before).isEqualTo(1);
    }

    // INT-2: after repeated failures the breaker opens; calls then fail fast without reaching billing,
    // and after wait-in-open-state trial calls close it again once billing is back
    @Test
    void opensTheCircuitBreakerAndRecovers(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + simulator.baseUrl(),
                "hub.billing.retry-delay=10ms",
                "hub.billing.circuit-breaker.minimum-calls=4",
                "hub.billing.circuit-breaker.wait-in-open-state=1s")) {
            BillingClient client = hub.getBean(BillingClient.class);
            CircuitBreaker breaker = hub.getBean(BillingAutoConfiguration.CIRCUIT_BREAKER, CircuitBreaker.class);
            simulator.faults().setFailureStatus(503);
            long before = simulator.requestCount();

            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> client.productsOf(ACTIVE))
                        .isInstanceOf(BillingUnavailableException.class).hasMessage("billing answered HTTP 503");
            }
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
            // Retry inside the breaker: 4 lookups counted by the breaker, 3 requests each.
            assertThat(simulator.requestCount() - before).isEqualTo(4 * 3);

            long whileOpen = simulator.requestCount();
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                BillingUnavailableException e = catchThrowableOfType(BillingUnavailableException.class,
                        () -> client.productsOf(ACTIVE));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
                assertThat(e).hasMessage("billing circuit breaker is open");
            }
            assertThat(simulator.requestCount()).isEqualTo(whileOpen);
            assertThat(output.getOut()).contains("Billing circuit breaker State transition from CLOSED to OPEN");

            simulator.faults().setFailureStatus(0);
            Thread.sleep(1_100);
            for (int i = 0; i < 10; i++) { // the default half-open trial calls
                assertThat(client.productsOf(ACTIVE)).isPresent();
            }
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(simulator.requestCount()).isGreaterThan(whileOpen);
            assertNoSubscriberIdentifiers(null, output, ACTIVE);
        }
    }

    // --- configuration ----------------------------------------------------------------------------------------

    @Test
    void registersTheRoutesAndDocumentedDefaults() {
        CamelContext camel = app.getBean(CamelContext.class);
        assertThat(camel.getRoute("billing-products-of")).isNotNull();
        assertThat(camel.getRoute("billing-products-request")).isNotNull();
        assertThat(camel.getRoute("billing-products-attempt")).isNotNull();

        BillingProperties p = app.getBean(BillingProperties.class);
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.responseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.retries()).isEqualTo(2);
        assertThat(p.retryDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.maxConnections()).isEqualTo(200);
        assertThat(p.circuitBreaker().failureRateThreshold()).isEqualTo(50f);
        assertThat(p.circuitBreaker().minimumCalls()).isEqualTo(10);
        assertThat(p.circuitBreaker().slidingWindowSize()).isEqualTo(100);
        assertThat(p.circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.username()).isNull();
        assertThat(p.productInventoryUrl()).isEqualTo(simulator.baseUrl() + "/tmf-api/productInventory/v4/product");
    }

    @Test
    void defaultsToTheSandboxBillingAddress() {
        try (ConfigurableApplicationContext hub = startHub()) {
            assertThat(hub.getBean(BillingProperties.class).baseUrl().toString()).isEqualTo("http://127.0.0.1:8090");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hub.billing.retries=-1                                | retries",
            "hub.billing.max-connections=0                         | maxConnections",
            "hub.billing.response-timeout=0s                       | responseTimeout",
            "hub.billing.circuit-breaker.failure-rate-threshold=120 | circuitBreaker.failureRateThreshold",
            "hub.billing.base-url=ftp://billing.example            | baseUrlUsable",
            "hub.billing.base-url=http://billing.example/?x=1      | baseUrlUsable",
            "hub.billing.password=secret-without-user              | passwordWithUsername"})
    void refusesToStartWithABadSetting(String setting, String field) {
        Throwable failure = catchThrowableOfType(Exception.class, () -> startHub(setting).close());

        assertThat(failure).isNotNull();
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).contains("hub.billing").contains("'" + field + "'")
                .doesNotContain("secret-without-user");
    }

    // INT-2: a real billing system is usually https under a path prefix
    @Test
    void acceptsAnHttpsBillingUnderAPathPrefix(CapturedOutput output) {
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=https://billing.invalid/api/",
                "hub.billing.username=hub", "hub.billing.password=pw")) {
            assertThat(hub.getBean(BillingProperties.class).productInventoryUrl())
                    .isEqualTo("https://billing.invalid/api/tmf-api/productInventory/v4/product");
            assertThat(hub.getBean(CamelContext.class).getEndpoints())
                    .anySatisfy(e -> assertThat(e.getEndpointUri())
                            .startsWith("https://billing.invalid/api/tmf-api/productInventory/v4/product"));
            assertThat(output.getOut()).doesNotContain("travel unencrypted");
        }
    }

    // INT-2: a real billing system behind basic authentication; the password is never printed
    @Test
    void sendsBasicCredentialsWithoutEverPrintingThem(CapturedOutput output) throws Exception {
        AtomicReference<String> authorization = new AtomicReference<>();
        HttpServer realBilling = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        realBilling.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        realBilling.start();
        String password = "s3cr3t-Pa55";
        try (ConfigurableApplicationContext hub = startHub(
                "hub.billing.base-url=http://127.0.0.1:" + realBilling.getAddress().getPort(),
                "hub.billing.username=hub", "hub.billing.password=" + password)) {
            assertThat(hub.getBean(BillingClient.class).productsOf(ACTIVE)).isEmpty();

            assertThat(authorization.get()).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString(("hub:" + password).getBytes(StandardCharsets.UTF_8)));
            assertThat(hub.getBean(BillingProperties.class).toString()).doesNotContain(password).contains("******");
            assertThat(hub.getBean(CamelContext.class).getEndpoints().toString()).doesNotContain(password);
            assertThat(output.getAll()).doesNotContain(password);
            assertThat(output.getOut()).contains("travel unencrypted");
        } finally {
            realBilling.stop(0);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static BillingSimulatorSettings simulatorSettings() {
        return BillingSimulatorSettings.of(0, billingJdbcUrl, TestPostgres.server().username(), "");
    }

    static ConfigurableApplicationContext startHub(String... billingProperties) {
        List<String> properties = new ArrayList<>(List.of(
                // the application's own database, as in the hub; its Flyway is not this module's business
                "spring.datasource.url=" + hubJdbcUrl,
                "spring.datasource.username=" + TestPostgres.server().username(),
                "spring.flyway.enabled=false"));
        properties.addAll(List.of(billingProperties));
        return new SpringApplicationBuilder(BillingTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    private static void patchStatus(String productId, String status) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                simulator.baseUrl() + BillingProperties.PRODUCT_INVENTORY_PATH + "/" + productId))
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /** The subscriber appears in no log line and nowhere in the exception chain, raw or URL-encoded. */
    private static void assertNoSubscriberIdentifiers(Throwable e, CapturedOutput output, String msisdn) {
        String digits = msisdn.substring(1);
        assertThat(output.getAll()).doesNotContain(digits);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(digits);
            assertThat(t.toString()).doesNotContain(digits);
        }
    }
}
