package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.billing.BillingOrder;
import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.BillingRefusedException;
import io.provisioninghub.connectors.billing.BillingUnavailableException;
import io.provisioninghub.connectors.billing.CancelOutcome;
import io.provisioninghub.connectors.billing.OrderState;
import io.provisioninghub.connectors.billing.SubscriptionOrder;
import io.provisioninghub.connectors.hlr.HlrClient;
import io.provisioninghub.connectors.hlr.HlrProvisioning;
import io.provisioninghub.connectors.hlr.HlrUnavailableException;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.rotation.DeviceKeyRegistry;
import io.provisioninghub.routes.rotation.RotationKeys;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sign-up saga (SIGNUP-2), route {@code signup-saga}; its state lives in the {@code signup} table (V7), so any
 * replica can resume it after a restart. Steps, each idempotent by the sign-up's id:
 * <ol>
 *   <li>{@code requested → hlr_allocated}: IMSI + MSISDN from the HLR's pools and a new K (SecureRandom) with its OPc
 *       (the operator's OP), one HLR transaction ({@link HlrProvisioning#allocate}). The HLR comes first because
 *       billing bills the number the hub gives it;</li>
 *   <li>{@code hlr_allocated → billing_ordered}: the TMF622 order ({@link BillingOrders#createSubscription});</li>
 *   <li>{@code billing_ordered → ready}: the device key recorded in the {@link DeviceKeyRegistry} (for later
 *       rotations), the profile assembled and encrypted to the device ({@link SignupProfiles}); only the JWE is
 *       stored, never K in clear.</li>
 * </ol>
 * A transient failure (HLR, billing or the hub database unreachable) retries the step after
 * {@code hub.signup.retry-delay}, doubling, up to {@code hub.signup.max-attempts}. Then, or at once for a failure
 * that will not go away (billing refused the order, a pool is exhausted), the saga compensates
 * ({@code → compensating → failed}): a billing order that may exist is converged first (create again with the same
 * key, as the billing README asks after a lost or timed-out answer) and then cancelled; the device key is removed;
 * the HLR allocation is released (numbers back to the pools). Compensation is retried until it completes.
 * A sign-up is run by one replica at a time: a lease ({@code lease_until}) is taken before each run.
 */
@Component
class SignupSaga extends RouteBuilder {

    static final String ENDPOINT = "seda:signup-saga?size=10000&blockWhenFull=true";
    static final String ROUTE_ID = "signup-saga";
    static final String RECOVERY_ROUTE_ID = "signup-saga-recovery";
    private static final String ROW = "signupRow";
    private static final Logger LOG = LoggerFactory.getLogger(SignupSaga.class);
    private static final List<String> RUNNABLE = List.of(Signups.REQUESTED, Signups.HLR_ALLOCATED, Signups.BILLING_ORDERED,
            Signups.COMPENSATING);

    private final JdbcTemplate jdbc;
    private final HlrProvisioning hlr;
    private final HlrClient hlrCredentials;
    private final BillingOrders billing;
    private final DeviceKeyRegistry deviceKeys;
    private final RotationKeys operatorKeys;
    private final SignupProfiles profiles;
    private final SignupProperties properties;
    private final SecureRandom random = new SecureRandom();
    /** Sign-ups the recovery handed to this replica's queue that no consumer has taken yet. */
    private final java.util.Set<UUID> offered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SignupSaga(JdbcTemplate jdbc, HlrProvisioning hlr, HlrClient hlrCredentials, BillingOrders billing, DeviceKeyRegistry deviceKeys,
               RotationKeys operatorKeys, SignupProfiles profiles, SignupProperties properties) {
        this.jdbc = jdbc;
        this.hlr = hlr;
        this.hlrCredentials = hlrCredentials;
        this.billing = billing;
        this.deviceKeys = deviceKeys;
        this.operatorKeys = operatorKeys;
        this.profiles = profiles;
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(ENDPOINT + "&concurrentConsumers=" + properties.sagaConcurrency())
                .routeId(ROUTE_ID)
                .routeGroup("signup")
                .process(this::claim)
                .filter(exchangeProperty(ROW).isNotNull())
                    .doTry()
                        .choice()
                            .when(exchange -> Signups.COMPENSATING.equals(row(exchange).get("state")))
                                .process(this::compensate)
                            .when(exchange -> Signups.RELEASING.equals(row(exchange).get("state")))
                                .process(this::release)
                            .when(exchange -> Boolean.TRUE.equals(row(exchange).get("existing_subscription")))
                                .process(this::provisionExisting)
                            .otherwise()
                                .process(this::allocateInHlr)
                                .process(this::orderInBilling)
                                .process(this::deliverProfile)
                        .endDoTry()
                    .doCatch(Exception.class)
                        .process(this::failed)
                    .end()
                .end();

        // Resumes what a restart, a dead replica or a retry left: sign-ups due and not leased by a live replica.
        from("timer:" + RECOVERY_ROUTE_ID + "?delay=" + properties.checkInterval().toMillis() + "&period="
                + properties.checkInterval().toMillis())
                .routeId(RECOVERY_ROUTE_ID)
                .routeGroup("signup")
                .process(exchange -> {
                    ProducerTemplate producer = exchange.getContext().createProducerTemplate();
                    try {
                        List<UUID> due = jdbc.queryForList("SELECT id FROM signup WHERE state IN ('requested', "
                                + "'hlr_allocated', 'billing_ordered', 'compensating', 'releasing') AND next_attempt_at <= now() "
                                + "AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at LIMIT 100", UUID.class);
                        for (UUID id : due) {
                            // A row still waiting in this replica's queue from an earlier round is not offered again:
                            // with thousands queued (bulk bindings provisioned at binding) every second's round would
                            // otherwise add a duplicate claim per row.
                            if (offered.add(id)) {
                                producer.sendBody(ENDPOINT, id.toString());
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("Sign-up recovery postponed: {}", e.getClass().getSimpleName());
                    } finally {
                        producer.close();
                    }
                });
    }

    /** Takes the lease on the sign-up and loads it; no row (not due, leased elsewhere, finished): nothing to do. */
    private void claim(Exchange exchange) {
        UUID id = UUID.fromString(exchange.getMessage().getBody(String.class));
        offered.remove(id);
        try {
            claimOrSkip(exchange, id);
        } catch (RuntimeException e) {
            // The hub database is down: the row stays as it is, and the recovery route offers it again later.
            LOG.warn("Sign-up {} not started ({}): resumed by the recovery", id, e.getClass().getSimpleName());
        }
    }

    private void claimOrSkip(Exchange exchange, UUID id) {
        int claimed = jdbc.update("UPDATE signup SET lease_until = now() + make_interval(secs => ?) WHERE id = ? "
                        + "AND state IN ('requested', 'hlr_allocated', 'billing_ordered', 'compensating', 'releasing') "
                        + "AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())",
                properties.leaseDuration().toSeconds(), id);
        if (claimed == 1) {
            exchange.setProperty(ROW, jdbc.queryForMap("SELECT * FROM signup WHERE id = ?", id));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(Exchange exchange) {
        return exchange.getProperty(ROW, Map.class);
    }

    private static UUID id(Exchange exchange) {
        return (UUID) row(exchange).get("id");
    }

    private static String state(Exchange exchange) {
        return (String) row(exchange).get("state");
    }

    /** Step 1: requested → hlr_allocated. */
    private void allocateInHlr(Exchange exchange) {
        if (!Signups.REQUESTED.equals(state(exchange))) {
            return;
        }
        UUID id = id(exchange);
        byte[] k = new byte[16];
        random.nextBytes(k);
        byte[] opc = operatorKeys.opcFor(k);
        // Same key again (a retry after a lost answer): the HLR returns the subscriber of the first call, with its K.
        HlrProvisioning.ProvisionedSubscriber subscriber = hlr.allocate(id.toString(), HexFormat.of().formatHex(k),
                HexFormat.of().formatHex(opc));
        java.util.Arrays.fill(k, (byte) 0);
        advance(id, Signups.REQUESTED, "UPDATE signup SET state = 'hlr_allocated', imsi = ?, msisdn = ?, updated_at = now() "
                + "WHERE id = ? AND state = 'requested'", subscriber.imsi(), subscriber.msisdn(), id);
        row(exchange).put("state", Signups.HLR_ALLOCATED);
        row(exchange).put("imsi", subscriber.imsi());
        row(exchange).put("msisdn", subscriber.msisdn());
        LOG.info("Sign-up {}: {} allocated in the HLR", id, Redaction.ref(subscriber.imsi()));
    }

    /** Step 2: hlr_allocated → billing_ordered. */
    private void orderInBilling(Exchange exchange) {
        if (!Signups.HLR_ALLOCATED.equals(state(exchange))) {
            return;
        }
        UUID id = id(exchange);
        // From here on billing may hold an order under this key, whatever the answer: compensation must look.
        jdbc.update("UPDATE signup SET billing_attempted = true WHERE id = ?", id);
        row(exchange).put("billing_attempted", true);
        BillingOrder order = billing.createSubscription(order(row(exchange)));
        if (!order.state().isFinal()) {
            // A real billing may complete later: asking again with the same key returns the same order.
            throw new BillingUnavailableException("billing has not completed the order yet", null);
        }
        if (order.state() != OrderState.COMPLETED) {
            throw new SagaFailure("billing could not create the subscription");
        }
        advance(id, Signups.HLR_ALLOCATED, "UPDATE signup SET state = 'billing_ordered', billing_order_id = ?, "
                + "updated_at = now() WHERE id = ? AND state = 'hlr_allocated'", order.id(), id);
        row(exchange).put("state", Signups.BILLING_ORDERED);
        LOG.info("Sign-up {}: billing order {} completed", id, order.id());
    }

    /** Step 3: billing_ordered → ready. */
    private void deliverProfile(Exchange exchange) {
        if (!Signups.BILLING_ORDERED.equals(state(exchange))) {
            return;
        }
        Map<String, Object> row = row(exchange);
        UUID id = id(exchange);
        HlrProvisioning.ProvisionedSubscriber subscriber = hlr.findByKey(id.toString())
                .orElseThrow(() -> new SagaFailure("the HLR no longer holds the allocated subscriber"));
        recordDeviceKey(subscriber.imsi(), row);
        String jwe = profiles.encrypt(profiles.assemble(id, (String) row.get("plan_id"), subscriber),
                (String) row.get("public_jwk"));
        // The customer's details were only needed by billing: not kept beyond the saga.
        advance(id, Signups.BILLING_ORDERED, "UPDATE signup SET state = 'ready', profile_jwe = ?, customer_name = NULL, "
                + "customer_email = NULL, lease_until = NULL, updated_at = now() WHERE id = ? AND state = 'billing_ordered'",
                jwe, id);
        LOG.info("Sign-up {}: profile ready for {}", id, Redaction.ref(subscriber.imsi()));
    }

    /**
     * A device bound to an existing subscription (SIGNUP-3), requested → ready in one step: a fresh K (SecureRandom)
     * and its OPc replace the subscriber's credential in the HLR (auc_3g), and the profile is encrypted to the device.
     * The existing K is never handed out: it may sit in a SIM card that must not be cloned into the device. Billing is
     * not asked: the subscription is already there. A retry writes a new K again, and the JWE stored is the one of the
     * last write (HLR first, then the row), so the two never disagree.
     */
    private void provisionExisting(Exchange exchange) {
        if (!Signups.REQUESTED.equals(state(exchange))) {
            return;
        }
        Map<String, Object> row = row(exchange);
        UUID id = id(exchange);
        String imsi = (String) row.get("imsi");
        byte[] k = new byte[16];
        random.nextBytes(k);
        String kHex = HexFormat.of().formatHex(k);
        String opcHex = HexFormat.of().formatHex(operatorKeys.opcFor(k));
        java.util.Arrays.fill(k, (byte) 0);
        if (!hlrCredentials.updateCredential(imsi, kHex, opcHex)) {
            throw new SagaFailure("the subscription has no credential record in the HLR");
        }
        recordDeviceKey(imsi, row);
        HlrProvisioning.ProvisionedSubscriber subscriber = new HlrProvisioning.ProvisionedSubscriber(id.toString(), imsi,
                (String) row.get("msisdn"), kHex, opcHex);
        String jwe = profiles.encrypt(profiles.assemble(id, null, subscriber), (String) row.get("public_jwk"));
        advance(id, Signups.REQUESTED, "UPDATE signup SET state = 'ready', profile_jwe = ?, lease_until = NULL, "
                + "updated_at = now() WHERE id = ? AND state = 'requested'", jwe, id);
        LOG.info("Binding {}: new credential written for {}, profile ready", id, Redaction.ref(imsi));
    }

    /** The device's key into the rotation's registry, so that it can rotate its credential later (ROT-2). */
    private void recordDeviceKey(String imsi, Map<String, Object> row) {
        try {
            deviceKeys.put(imsi, imeiOf(row), (String) row.get("public_jwk"));
        } catch (DeviceKeyRegistry.RefusedKey refused) {
            throw new SagaFailure("the device key cannot be recorded");
        }
    }

    /**
     * Saves a step's transition, guarded by the state it started from: when the operator moved or released the binding
     * meanwhile (SIGNUP-4, state releasing), the step stops here and the release undoes what it did.
     */
    private void advance(UUID id, String from, String sql, Object... args) {
        if (jdbc.update(sql, args) != 1) {
            LOG.info("Sign-up {} left {} while a step ran (moved or released): the release undoes the step", id, from);
            throw new Superseded();
        }
    }

    /** A step found its sign-up moved or released by the operator: not a failure, nothing more to do here. */
    static final class Superseded extends RuntimeException {
        Superseded() {
            super("superseded", null, false, false);
        }
    }

    /** A step failed: retry a transient failure later, else compensate now. */
    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        UUID id = id(exchange);
        if (cause instanceof Superseded) {
            // The row is releasing now, leased by this run: let the release start at once.
            safely(() -> jdbc.update("UPDATE signup SET lease_until = NULL WHERE id = ? AND state = 'releasing'", id));
            return;
        }
        int attempts = ((Number) row(exchange).get("attempts")).intValue() + 1;
        // Undoing (compensation, a release) never gives up: an orphan or a live old credential is worse than a late one.
        boolean compensating = Signups.COMPENSATING.equals(state(exchange)) || Signups.RELEASING.equals(state(exchange));
        if (compensating || (transient_(cause) && attempts < properties.maxAttempts())) {
            // Compensation never gives up (an orphan is worse than a late one); a step gets max-attempts.
            long delay = properties.retryDelay().toMillis() * (1L << Math.min(attempts - 1, 6));
            LOG.warn("Sign-up {} ({}): attempt {} failed ({}), retried in {} ms", id, state(exchange), attempts,
                    cause.getClass().getSimpleName(), delay);
            safely(() -> jdbc.update("UPDATE signup SET attempts = ?, next_attempt_at = now() + make_interval(secs => ?), "
                    + "lease_until = NULL, updated_at = now() WHERE id = ?", attempts, delay / 1000.0, id));
            return;
        }
        String reason = reasonFor(cause);
        LOG.warn("Sign-up {} failed at {} ({}: {}), compensating", id, state(exchange), cause.getClass().getSimpleName(), reason);
        safely(() -> jdbc.update("UPDATE signup SET state = 'compensating', failure_reason = ?, attempts = 0, "
                + "updated_at = now() WHERE id = ?", reason, id));
        row(exchange).put("state", Signups.COMPENSATING);
        row(exchange).put("attempts", 0);
        try {
            compensate(exchange);
        } catch (Exception e) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
            failed(exchange);
        }
    }

    /** compensating → failed: undo billing (converge, then cancel), the device key, the HLR allocation. */
    private void compensate(Exchange exchange) {
        undo(exchange, Signups.FAILED);
    }

    /**
     * releasing → released (SIGNUP-4: the operator moved the device to another subscription or released it to another
     * operator): the old credentials stop working. A subscription the hub created is undone like a failed sign-up
     * (billing order cancelled, HLR subscriber deleted, numbers quarantined); an existing subscription the device was
     * bound to stays, without the credential the device had ({@link HlrProvisioning#revokeCredential}).
     */
    private void release(Exchange exchange) {
        undo(exchange, Signups.RELEASED);
    }

    private void undo(Exchange exchange, String finalState) {
        Map<String, Object> row = row(exchange);
        UUID id = id(exchange);
        boolean existing = Boolean.TRUE.equals(row.get("existing_subscription"));
        if (Boolean.TRUE.equals(row.get("billing_attempted"))) {
            // The order's outcome is unknown until billing_order_id is recorded: after a lost or timed-out answer the
            // order may still land, so converge forward first and the cancellation cannot miss it (connectors/billing
            // README, "Idempotency and the saga"). A completed order (a release after ready) needs no converging, and
            // could not be repeated anyway: the customer's details are cleared once the profile is ready.
            if (row.get("billing_order_id") == null) {
                try {
                    billing.createSubscription(order(row));
                } catch (BillingRefusedException refused) {
                    // Billing holds nothing under this key.
                }
            }
            CancelOutcome outcome = billing.cancelSubscription(id.toString());
            if (outcome == CancelOutcome.IN_PROGRESS) {
                throw new BillingUnavailableException("billing is still cancelling the order", null);
            }
            LOG.info("Sign-up {}: billing undone ({})", id, outcome);
        }
        String imsi = (String) row.get("imsi");
        if (imsi != null) {
            deviceKeys.remove(imsi, imeiOf(row));
        }
        boolean undone;
        if (existing) {
            // Only a delivered credential needs revoking; a failed sign-up of an existing subscription left none that
            // a device holds (provisionExisting stores the profile last).
            undone = Signups.RELEASED.equals(finalState) && row.get("profile_jwe") != null && hlr.revokeCredential(imsi);
        } else {
            undone = hlr.release(id.toString());
        }
        jdbc.update("UPDATE signup SET state = ?, customer_name = NULL, customer_email = NULL, profile_jwe = NULL, "
                + "released_at = CASE WHEN ? = 'released' THEN now() END, lease_until = NULL, updated_at = now() "
                + "WHERE id = ?", finalState, finalState, id);
        LOG.info("Sign-up {} {} (HLR credential removed: {})", id, finalState, undone);
    }

    private static SubscriptionOrder order(Map<String, Object> row) {
        return new SubscriptionOrder(row.get("id").toString(), (String) row.get("plan_id"), (String) row.get("msisdn"),
                new SubscriptionOrder.Customer((String) row.get("customer_name"), (String) row.get("customer_email")));
    }

    private static String imeiOf(Map<String, Object> row) {
        return "IMEI".equals(row.get("device_kind")) ? (String) row.get("device_value") : null;
    }

    private static boolean transient_(Exception e) {
        return e instanceof HlrUnavailableException || e instanceof BillingUnavailableException
                || e instanceof CannotGetJdbcConnectionException || e instanceof TransientDataAccessException
                || e instanceof DataAccessResourceFailureException;
    }

    /** What the person sees on the page (no personal data, nothing internal). */
    private static String reasonFor(Exception e) {
        if (e instanceof SagaFailure) {
            return e.getMessage();
        }
        if (e instanceof BillingRefusedException) {
            return "billing could not create the subscription";
        }
        if (e instanceof HlrProvisioning.PoolExhaustedException) {
            return "no phone number is free at the moment";
        }
        if (transient_(e)) {
            return "the subscription could not be set up in time";
        }
        return "the subscription could not be set up";
    }

    private static void safely(Runnable update) {
        try {
            update.run();
        } catch (RuntimeException e) {
            // The hub database is down: the lease runs out and the recovery resumes this sign-up.
            LOG.warn("Sign-up state not saved ({}): resumed when the lease runs out", e.getClass().getSimpleName());
        }
    }

    /** A failure retrying will not cure: compensate at once. */
    static final class SagaFailure extends RuntimeException {
        SagaFailure(String message) {
            super(message, null, false, false);
        }
    }
}
