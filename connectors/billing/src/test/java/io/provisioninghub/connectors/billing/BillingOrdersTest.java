package io.provisioninghub.connectors.billing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.provisioninghub.connectors.billing.simulator.BillingFaults.OrderStep;
import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.connectors.billing.simulator.BillingSimulatorSettings;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Sign-up's side of billing (INT-2: create and cancel subscriptions; SIGNUP-2/3: the saga's billing step and its
 * compensation) through the hub's auto-configured {@link BillingOrders}, over real HTTP to the billing simulator
 * with its data in a real PostgreSQL. Every check of "what billing holds" reads billing back: through
 * {@link BillingClient#productsOf} (what the hub will see) and the stand-in's own tables (no orphan orders).
 */
@ExtendWith(OutputCaptureExtension.class)
class BillingOrdersTest {

    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final String CUSTOMER_NAME = "Zoë Quartermaine-Vexley";
    private static final String CUSTOMER_EMAIL = "zoe.vexley@example.org";

    static String billingJdbcUrl;
    static String hubJdbcUrl;
    static BillingSimulator simulator;
    static ConfigurableApplicationContext app;
    static BillingOrders orders;
    static BillingClient billing;

    @BeforeAll
    static void start() {
        billingJdbcUrl = TestPostgres.newDatabase("billing_orders");
        hubJdbcUrl = TestPostgres.newDatabase("hub_orders");
        simulator = BillingSimulator.start(
                BillingSimulatorSettings.of(0, billingJdbcUrl, TestPostgres.server().username(), ""));
        app = startHub("hub.billing.base-url=" + simulator.baseUrl());
        orders = app.getBean(BillingOrders.class);
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

    // --- plans --------------------------------------------------------------------------------------------------

    // SIGNUP-2: the sign-up page lists the plans from billing's catalogue (TMF620)
    @Test
    void listsThePlansWithPriceAndEntitledServices() {
        List<Plan> plans = orders.plans();

        assertThat(plans).extracting(Plan::id).containsExactly("band-messaging", "band-voice", "band-complete");
        Plan complete = plans.get(2);
        assertThat(complete.name()).isEqualTo("Band Complete");
        assertThat(complete.description()).isNotBlank();
        assertThat(complete.price()).isEqualTo(new Plan.Price(new BigDecimal("9.99"), "USD", "month"));
        // The same service names the inventory's products carry, so the hub's entitlement check reads them.
        assertThat(complete.services()).containsExactly("ims", "messaging");
        assertThat(plans.get(0).services()).containsExactly("messaging");
        assertThat(plans.get(1).services()).containsExactly("ims");
    }

    // --- create -------------------------------------------------------------------------------------------------

    // INT-2 / SIGNUP-2: an order creates the subscription; the hub's lookup then sees its products
    @Test
    void createsASubscriptionThatTheLookupSees(CapturedOutput output) {
        String msisdn = newNumber();
        String key = newKey();
        assertThat(billing.productsOf(msisdn)).isEmpty();

        BillingOrder order = orders.createSubscription(order(key, "band-complete", msisdn));

        assertThat(order.id()).isNotBlank();
        assertThat(order.externalId()).isEqualTo(key);
        assertThat(order.state()).isEqualTo(OrderState.COMPLETED);
        assertThat(order.productIds()).hasSize(2);
        List<BillingProduct> products = billing.productsOf(msisdn).orElseThrow();
        assertThat(products).extracting(BillingProduct::id).containsExactlyElementsOf(order.productIds());
        assertThat(products).extracting(BillingProduct::service).containsExactly("ims", "messaging");
        assertThat(products).extracting(BillingProduct::status).containsOnly(ProductStatus.ACTIVE);
        assertThat(orders.findOrderByExternalId(key)).contains(order);
        assertNoPersonalData(output, null, msisdn);
    }

    // SIGNUP-2: "a repeated submit creates one subscription, not two"
    @Test
    void aRepeatedSubmitCreatesOneSubscription() {
        String msisdn = newNumber();
        String key = newKey();

        BillingOrder first = orders.createSubscription(order(key, "band-messaging", msisdn));
        BillingOrder second = orders.createSubscription(order(key, "band-messaging", msisdn));

        assertThat(second).isEqualTo(first);
        assertThat(billing.productsOf(msisdn).orElseThrow()).hasSize(1);
        assertThat(ordersInBilling(key)).isEqualTo(1);
    }

    // SIGNUP-2: a double submit at the same moment (two browser tabs) still makes one subscription
    @Test
    void concurrentSubmitsOfOneKeyCreateOneSubscription() throws Exception {
        String msisdn = newNumber();
        String key = newKey();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BillingOrder>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<BillingOrder>) () ->
                        orders.createSubscription(order(key, "band-complete", msisdn))));
            }
            BillingOrder first = results.get(0).get();
            for (Future<BillingOrder> r : results) {
                assertThat(r.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(billing.productsOf(msisdn).orElseThrow()).hasSize(2);
        assertThat(ordersInBilling(key)).isEqualTo(1);
    }

    // --- refusals (4xx): clear, not retried, no personal data -------------------------------------------------

    // INT-2: billing refuses an order for a plan it does not sell → BillingRefusedException with billing's reason
    @Test
    void aRefusedOrderSaysWhyAndIsNotRetried(CapturedOutput output) {
        String msisdn = newNumber();
        long before = simulator.requestCount();

        BillingRefusedException e = catchThrowableOfType(BillingRefusedException.class,
                () -> orders.createSubscription(order(newKey(), "band-gold", msisdn)));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.reason()).contains("productOffering.id names no plan");
        assertThat(e.getMessage()).startsWith("billing refused the request: HTTP 400");
        assertThat(simulator.requestCount() - before).isEqualTo(1);
        assertThat(billing.productsOf(msisdn)).isEmpty();
        assertNoPersonalData(output, e, msisdn);
    }

    // INT-2: a number that already has a subscription is a conflict (409), and the existing one is untouched
    @Test
    void refusesANumberThatAlreadyHasASubscription() {
        BillingRefusedException e = catchThrowableOfType(BillingRefusedException.class,
                () -> orders.createSubscription(order(newKey(), "band-voice", "+15550000001")));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(409);
        assertThat(billing.productsOf("+15550000001").orElseThrow()).hasSize(2);
    }

    // INT-2: one key, one order: reusing a key for a different order is refused, not silently answered
    @Test
    void refusesAKeyReusedForADifferentOrder() {
        String key = newKey();
        String msisdn = newNumber();
        orders.createSubscription(order(key, "band-voice", msisdn));

        BillingRefusedException e = catchThrowableOfType(BillingRefusedException.class,
                () -> orders.createSubscription(order(key, "band-complete", msisdn)));

        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(409);
        assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::service).containsExactly("ims");
    }

    // A caller's bug is not billing's failure: refused before any request
    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "colon:inside", "slash/inside",
            "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void refusesABadKeyWithoutAskingBilling(String key) {
        long before = simulator.requestCount();

        assertThatThrownBy(() -> order(key, "band-voice", newNumber())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> orders.findOrderByExternalId(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> orders.cancelSubscription(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(simulator.requestCount()).isEqualTo(before);
    }

    @Test
    void refusesAMalformedOrderWithoutAskingBilling() {
        SubscriptionOrder.Customer customer = new SubscriptionOrder.Customer(CUSTOMER_NAME, null);
        assertThatThrownBy(() -> new SubscriptionOrder(newKey(), "band-voice", "15550000001", customer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("15550000001");
        assertThatThrownBy(() -> new SubscriptionOrder(newKey(), " ", newNumber(), customer))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubscriptionOrder.Customer(" ", CUSTOMER_EMAIL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(order(newKey(), "band-voice", "+15557654321").toString())
                .doesNotContain("5557654321").doesNotContain("Zoë").doesNotContain(CUSTOMER_EMAIL);
    }

    // --- cancel (the saga's compensation) -----------------------------------------------------------------------

    // INT-2 / SIGNUP-2: cancelling ends the subscription: its products are terminated, the lookup sees it
    @Test
    void cancellingTerminatesTheProducts() {
        String msisdn = newNumber();
        String key = newKey();
        BillingOrder order = orders.createSubscription(order(key, "band-complete", msisdn));

        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.CANCELLED);

        List<BillingProduct> products = billing.productsOf(msisdn).orElseThrow();
        assertThat(products).extracting(BillingProduct::id).containsExactlyElementsOf(order.productIds());
        assertThat(products).extracting(BillingProduct::status).containsOnly(ProductStatus.TERMINATED);
        // The number is free again for a new subscription.
        assertThat(orders.createSubscription(order(newKey(), "band-voice", msisdn)).state())
                .isEqualTo(OrderState.COMPLETED);
    }

    // SIGNUP-2: a compensation may run twice (a retried saga step): the second is a no-op, not an error
    @Test
    void cancellingTwiceIsOneCancellation() {
        String msisdn = newNumber();
        String key = newKey();
        orders.createSubscription(order(key, "band-voice", msisdn));

        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.CANCELLED);

        assertThat(ordersInBilling(key + ":cancel")).isEqualTo(1);
        assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::status)
                .containsOnly(ProductStatus.TERMINATED);
    }

    // SIGNUP-2: compensating a step that never reached billing is not an error the saga trips over
    @Test
    void cancellingAnUnknownKeyHasNothingToCancel() {
        String key = newKey();

        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.NOTHING_TO_CANCEL);
        assertThat(ordersInBilling(key)).isZero();
        assertThat(ordersInBilling(key + ":cancel")).isZero();
    }

    // --- failures: nothing half done ----------------------------------------------------------------------------

    // SIGNUP-2 proof: billing failing at the create step → BillingUnavailableException and no order, no product
    @Test
    void billingFailingToCreateLeavesNothing(CapturedOutput output) {
        String msisdn = newNumber();
        String key = newKey();
        simulator.faults().failNextOrders(OrderStep.CREATE, 3, 503);
        long before = simulator.requestCount();

        BillingUnavailableException e = catchThrowableOfType(BillingUnavailableException.class,
                () -> orders.createSubscription(order(key, "band-complete", msisdn)));

        assertThat(e).isNotNull().hasMessage("billing answered HTTP 503");
        assertThat(simulator.requestCount() - before).isEqualTo(3); // first attempt + 2 retries, all refused
        assertThat(orders.findOrderByExternalId(key)).isEmpty();
        assertThat(billing.productsOf(msisdn)).isEmpty();
        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.NOTHING_TO_CANCEL);
        assertNoPersonalData(output, e, msisdn);
    }

    // INT-2: a create is retried after a transient 5xx: safe, because billing keys it by externalId
    @Test
    void aTransientFailureOfCreateIsRetried() {
        String msisdn = newNumber();
        String key = newKey();
        simulator.faults().failNextOrders(OrderStep.CREATE, 1, 502);

        BillingOrder order = orders.createSubscription(order(key, "band-voice", msisdn));

        assertThat(order.state()).isEqualTo(OrderState.COMPLETED);
        assertThat(ordersInBilling(key)).isEqualTo(1);
        assertThat(billing.productsOf(msisdn).orElseThrow()).hasSize(1);
    }

    // SIGNUP-2: billing created the order but its answer was lost; the retry gets the same order, not a second
    @Test
    void aLostAnswerIsRetriedIntoTheSameOrder() {
        String msisdn = newNumber();
        String key = newKey();
        simulator.faults().loseNextOrderResponses(OrderStep.CREATE, 1);
        long before = simulator.requestCount();

        BillingOrder order = orders.createSubscription(order(key, "band-complete", msisdn));

        assertThat(simulator.requestCount() - before).isEqualTo(2);
        assertThat(order.productIds()).hasSize(2);
        assertThat(ordersInBilling(key)).isEqualTo(1);
        assertThat(billing.productsOf(msisdn).orElseThrow()).hasSize(2);
    }

    // SIGNUP-2, the hard saga case: every answer lost → unavailable, yet the order exists; the saga finds it by
    // its key and compensates, leaving no live subscription behind
    @Test
    void anOrderWhoseAnswersWereAllLostIsFoundAndCompensated(CapturedOutput output) {
        String msisdn = newNumber();
        String key = newKey();
        simulator.faults().loseNextOrderResponses(OrderStep.CREATE, 3);

        BillingUnavailableException e = catchThrowableOfType(BillingUnavailableException.class,
                () -> orders.createSubscription(order(key, "band-complete", msisdn)));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("billing cannot be reached");
        Optional<BillingOrder> found = orders.findOrderByExternalId(key);
        assertThat(found).isPresent();
        assertThat(found.get().state()).isEqualTo(OrderState.COMPLETED);
        assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::id)
                .containsExactlyElementsOf(found.get().productIds());
        assertThat(ordersInBilling(key)).isEqualTo(1);

        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::status)
                .containsOnly(ProductStatus.TERMINATED);
        assertNoPersonalData(output, e, msisdn);
    }

    // SIGNUP-2: billing slower than the order timeout: unavailable at once (a timeout is not retried), and the
    // order billing carries out afterwards is found by its key
    @Test
    void aTimedOutCreateIsFoundByItsKeyOnceBillingFinishes() throws Exception {
        String msisdn = newNumber();
        String key = newKey();
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + simulator.baseUrl(),
                "hub.billing.order-response-timeout=300ms")) {
            BillingOrders impatient = hub.getBean(BillingOrders.class);
            simulator.faults().setLatency(Duration.ofMillis(1_000));
            long before = simulator.requestCount();

            long t0 = System.nanoTime();
            BillingUnavailableException e = catchThrowableOfType(BillingUnavailableException.class,
                    () -> impatient.createSubscription(order(key, "band-voice", msisdn)));

            assertThat(e).isNotNull();
            assertThat(e.getMessage()).startsWith("billing did not answer in time");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(900));
            assertThat(simulator.requestCount() - before).isEqualTo(1);
            simulator.faults().setLatency(Duration.ZERO);

            Optional<BillingOrder> found = Optional.empty();
            for (int i = 0; i < 50 && found.isEmpty(); i++) {
                Thread.sleep(100);
                found = impatient.findOrderByExternalId(key);
            }
            assertThat(found).isPresent();
            assertThat(found.get().productIds()).hasSize(1);
            // ...and a second submit of the same sign-up gets that order, not a second one.
            assertThat(impatient.createSubscription(order(key, "band-voice", msisdn))).isEqualTo(found.get());
            assertThat(ordersInBilling(key)).isEqualTo(1);
        }
    }

    // SIGNUP-2: after a timeout the create may still be running in billing, so "nothing to cancel" is not yet
    // final. The documented compensation converges forward first (the same create again: it returns the order
    // or creates it, never a second one), then cancels: no orphan, whichever request billing finishes first.
    @Test
    void aCompensationAfterATimeoutRepeatsTheCreateThenCancels() throws Exception {
        String msisdn = newNumber();
        String key = newKey();
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + simulator.baseUrl(),
                "hub.billing.order-response-timeout=300ms")) {
            BillingOrders impatient = hub.getBean(BillingOrders.class);
            simulator.faults().setLatency(Duration.ofMillis(1_000));
            assertThatThrownBy(() -> impatient.createSubscription(order(key, "band-complete", msisdn)))
                    .isInstanceOf(BillingUnavailableException.class);
            simulator.faults().setLatency(Duration.ZERO);

            // The compensation, as the saga runs it with the patient client.
            BillingOrder order = orders.createSubscription(order(key, "band-complete", msisdn));
            assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.CANCELLED);

            Thread.sleep(1_200); // the first, delayed request has now been carried out by billing too
            assertThat(ordersInBilling(key)).isEqualTo(1);
            assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::id)
                    .containsExactlyElementsOf(order.productIds());
            assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::status)
                    .containsOnly(ProductStatus.TERMINATED);
        }
    }

    // SIGNUP-2 proof: billing failing at the compensation step → unavailable, the subscription untouched (not half
    // cancelled), and the compensation succeeds when repeated
    @Test
    void billingFailingToCancelLeavesTheSubscriptionWholeUntilRepeated() {
        String msisdn = newNumber();
        String key = newKey();
        orders.createSubscription(order(key, "band-complete", msisdn));
        simulator.faults().failNextOrders(OrderStep.CANCEL, 3, 500);

        assertThatThrownBy(() -> orders.cancelSubscription(key))
                .isInstanceOf(BillingUnavailableException.class).hasMessage("billing answered HTTP 500");

        assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::status)
                .containsOnly(ProductStatus.ACTIVE);
        assertThat(ordersInBilling(key + ":cancel")).isZero();

        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::status)
                .containsOnly(ProductStatus.TERMINATED);
    }

    // SIGNUP-2: the cancellation's answer lost (every attempt) → unavailable; repeating it finds it done
    @Test
    void aCancellationWhoseAnswersWereLostIsCompletedByRepeatingIt() {
        String msisdn = newNumber();
        String key = newKey();
        orders.createSubscription(order(key, "band-voice", msisdn));
        simulator.faults().loseNextOrderResponses(OrderStep.CANCEL, 3);

        assertThatThrownBy(() -> orders.cancelSubscription(key)).isInstanceOf(BillingUnavailableException.class);
        assertThat(billing.productsOf(msisdn).orElseThrow()).extracting(BillingProduct::status)
                .containsOnly(ProductStatus.TERMINATED);

        assertThat(orders.cancelSubscription(key)).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(ordersInBilling(key + ":cancel")).isEqualTo(1);
    }

    // INT-2: ordering has its own circuit breaker: failing sign-ups open it, device lookups go on
    @Test
    void theOrderingBreakerOpensWithoutStoppingLookups() {
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + simulator.baseUrl(),
                "hub.billing.retry-delay=10ms", "hub.billing.circuit-breaker.minimum-calls=3")) {
            BillingOrders ordering = hub.getBean(BillingOrders.class);
            CircuitBreaker ordersBreaker = hub.getBean(BillingAutoConfiguration.ORDERS_CIRCUIT_BREAKER,
                    CircuitBreaker.class);
            CircuitBreaker lookupBreaker = hub.getBean(BillingAutoConfiguration.CIRCUIT_BREAKER, CircuitBreaker.class);
            simulator.faults().failNextOrders(OrderStep.CREATE, 9, 503);

            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> ordering.createSubscription(order(newKey(), "band-voice", newNumber())))
                        .isInstanceOf(BillingUnavailableException.class);
            }
            assertThat(ordersBreaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
            long whileOpen = simulator.requestCount();
            assertThatThrownBy(ordering::plans).isInstanceOf(BillingUnavailableException.class)
                    .hasMessage("billing circuit breaker is open");
            assertThat(simulator.requestCount()).isEqualTo(whileOpen);

            assertThat(hub.getBean(BillingClient.class).productsOf("+15550000001")).isPresent();
            assertThat(lookupBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    // 4xx refusals are billing working: they never open the breaker
    @Test
    void refusalsDoNotCountAgainstTheBreaker() {
        try (ConfigurableApplicationContext hub = startHub("hub.billing.base-url=" + simulator.baseUrl(),
                "hub.billing.circuit-breaker.minimum-calls=3")) {
            BillingOrders ordering = hub.getBean(BillingOrders.class);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> ordering.createSubscription(order(newKey(), "no-such-plan", newNumber())))
                        .isInstanceOf(BillingRefusedException.class);
            }
            assertThat(hub.getBean(BillingAutoConfiguration.ORDERS_CIRCUIT_BREAKER, CircuitBreaker.class).getState())
                    .isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(ordering.plans()).hasSize(3);
        }
    }

    @Test
    void registersTheOrderingRoutesAndTheirTimeout() {
        CamelContext camel = app.getBean(CamelContext.class);
        assertThat(camel.getRoute("billing-orders")).isNotNull();
        assertThat(camel.getRoute("billing-orders-request")).isNotNull();
        assertThat(camel.getRoute("billing-orders-attempt")).isNotNull();
        BillingProperties p = app.getBean(BillingProperties.class);
        assertThat(p.orderResponseTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.tmfApiUrl()).isEqualTo(simulator.baseUrl() + "/tmf-api");
    }

    // --- redaction of billing's reason --------------------------------------------------------------------------

    @Test
    void billingsReasonLosesPersonalDataBeforeItIsKept() {
        SubscriptionOrder order = order(newKey(), "band-voice", "+15557654321");
        String reason = CamelBillingOrders.redact("customer zoë quartermaine-vexley (zoe.vexley@example.org, "
                + "other@x.example) with 15557654321 / +44 20 7946 0958\nis barred", order);

        assertThat(reason).doesNotContain("quartermaine").doesNotContain("@").doesNotContain("7654321")
                .doesNotContain("7946").doesNotContain("\n").contains("is barred").contains("[redacted]");
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    private static SubscriptionOrder order(String key, String plan, String msisdn) {
        return new SubscriptionOrder(key, plan, msisdn, new SubscriptionOrder.Customer(CUSTOMER_NAME, CUSTOMER_EMAIL));
    }

    /** Numbers billing has never seen (outside the seeded fixtures and generated subscribers). */
    private static String newNumber() {
        return "+1777" + (1_000_000 + NUMBERS.incrementAndGet());
    }

    private static String newKey() {
        return "signup-" + UUID.randomUUID();
    }

    /** Orders the stand-in holds under this external id, read from its own database. */
    private static int ordersInBilling(String externalId) {
        try (Connection c = DriverManager.getConnection(billingJdbcUrl, TestPostgres.server().username(), "");
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM product_order WHERE external_id = ?")) {
            s.setString(1, externalId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static ConfigurableApplicationContext startHub(String... billingProperties) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + hubJdbcUrl,
                "spring.datasource.username=" + TestPostgres.server().username(),
                "spring.flyway.enabled=false"));
        properties.addAll(List.of(billingProperties));
        return new SpringApplicationBuilder(BillingTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    /** No customer name, e-mail address or number in any log line or in the exception chain. */
    private static void assertNoPersonalData(CapturedOutput output, Throwable e, String msisdn) {
        List<String> personal = List.of(msisdn.substring(1), "Quartermaine", CUSTOMER_EMAIL);
        for (String value : personal) {
            assertThat(output.getAll()).doesNotContain(value);
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(value);
                assertThat(t.toString()).doesNotContain(value);
            }
        }
    }
}
