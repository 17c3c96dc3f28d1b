package io.provisioninghub.connectors.billing.simulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults the billing simulator injects into its TMF API ({@code /tmf-api/...}: inventory, catalogue and
 * ordering), so that tests and people trying the sandbox can see the hub's timeouts, retries, circuit breaker
 * and sign-up compensation at work. Thread-safe; changes apply to the next request. The sandbox API under
 * {@code /sandbox/faults} is never affected.
 * <p>
 * Besides the faults of every request (latency, a failure status), product orders (TMF622) can fail on their
 * own, per {@link OrderStep}: {@link #failNextOrders} answers an error and creates nothing, and
 * {@link #loseNextOrderResponses} carries the order out and then drops the connection without an answer, the
 * hard case of a saga (the caller must find the order by its {@code externalId}).
 */
public final class BillingFaults {

    /** Longest latency that can be injected: enough to outlast any sane client timeout. */
    public static final Duration MAX_LATENCY = Duration.ofMinutes(5);

    private volatile Duration latency = Duration.ZERO;
    private volatile int failureStatus;
    private final AtomicReference<FailNext> failNext = new AtomicReference<>(FailNext.NONE);
    private final AtomicLong requests = new AtomicLong();
    private final Map<OrderStep, AtomicReference<FailNext>> orderFaults = new EnumMap<>(OrderStep.class);

    /** Which product orders an order fault applies to. */
    public enum OrderStep {
        /** orders with action "add": a new subscription */
        CREATE,
        /** orders with action "delete": the end of a subscription */
        CANCEL
    }

    /** Internal status of an order fault that loses the answer of an order carried out. */
    static final int LOST_RESPONSE = -1;

    public BillingFaults() {
        for (OrderStep step : OrderStep.values()) {
            orderFaults.put(step, new AtomicReference<>(FailNext.NONE));
        }
    }

    /** A delay before every answer; {@link Duration#ZERO} turns it off. */
    public void setLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("latency must be between 0 and " + MAX_LATENCY);
        }
        this.latency = latency;
    }

    public Duration latency() {
        return latency;
    }

    /** Answer every request with this HTTP status (400..599) and a TMF error body; 0 turns it off. */
    public void setFailureStatus(int status) {
        if (status != 0) {
            requireErrorStatus(status);
        }
        this.failureStatus = status;
    }

    public int failureStatus() {
        return failureStatus;
    }

    /**
     * Answer the next {@code count} requests with {@code status} (400..599), then serve normally again
     * (or fail with {@link #failureStatus()} if that is set). Takes precedence over the failure status.
     * A count of 0 cancels what is left.
     */
    public void failNext(int count, int status) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (count == 0) {
            failNext.set(FailNext.NONE);
            return;
        }
        requireErrorStatus(status);
        failNext.set(new FailNext(count, status));
    }

    /** Requests still to fail through {@link #failNext(int, int)}. */
    public int failNextRemaining() {
        return failNext.get().remaining();
    }

    /** The status of the pending {@link #failNext(int, int)} failures; 0 when none is pending. */
    public int failNextStatus() {
        return failNext.get().status();
    }

    /**
     * Requests that reached the TMF637 API since the simulator started, failed ones included. Monotonic (not
     * cleared by {@link #reset()}), so a test compares two readings: an open circuit breaker keeps it still.
     */
    public long requestCount() {
        return requests.get();
    }

    /**
     * Answer the next {@code count} valid orders of {@code step} with {@code status} (400..599) without carrying
     * them out; 0 cancels what is left. Applies after the request-wide faults, to well-formed orders only (a bad
     * order still gets its 400).
     */
    public void failNextOrders(OrderStep step, int count, int status) {
        Objects.requireNonNull(step, "step");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (count > 0) {
            requireErrorStatus(status);
        }
        orderFaults.get(step).set(count == 0 ? FailNext.NONE : new FailNext(count, status));
    }

    /**
     * Carry out the next {@code count} valid orders of {@code step}, commit them, then close the connection
     * without answering: the caller cannot tell whether the order exists. 0 cancels what is left.
     */
    public void loseNextOrderResponses(OrderStep step, int count) {
        Objects.requireNonNull(step, "step");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        orderFaults.get(step).set(count == 0 ? FailNext.NONE : new FailNext(count, LOST_RESPONSE));
    }

    /** Orders of {@code step} still to fail or lose their answer. */
    public int orderFaultsRemaining(OrderStep step) {
        return orderFaults.get(step).get().remaining();
    }

    /** True when the pending order faults of {@code step} lose the answer; false when they answer an error. */
    public boolean orderFaultLosesResponse(OrderStep step) {
        return orderFaults.get(step).get().status() == LOST_RESPONSE;
    }

    /** The error status of the pending order faults of {@code step}; 0 when none or when they lose the answer. */
    public int orderFaultStatus(OrderStep step) {
        int status = orderFaults.get(step).get().status();
        return status == LOST_RESPONSE ? 0 : status;
    }

    /** Turns every fault off. */
    public void reset() {
        latency = Duration.ZERO;
        failureStatus = 0;
        failNext.set(FailNext.NONE);
        for (AtomicReference<FailNext> fault : orderFaults.values()) {
            fault.set(FailNext.NONE);
        }
    }

    /**
     * The fault for this order of {@code step}, consuming one: 0 to carry it out and answer, an HTTP status to
     * answer instead, or {@link #LOST_RESPONSE}.
     */
    int orderFaultFor(OrderStep step) {
        return consume(orderFaults.get(step), 0);
    }

    long countRequest() {
        return requests.incrementAndGet();
    }

    /** The status this request must fail with, consuming one of the "fail next" requests; 0 to serve it. */
    int statusToFailWith() {
        return consume(failNext, failureStatus);
    }

    private static int consume(AtomicReference<FailNext> fault, int otherwise) {
        while (true) {
            FailNext pending = fault.get();
            if (pending.remaining() == 0) {
                return otherwise;
            }
            FailNext after = pending.remaining() == 1 ? FailNext.NONE
                    : new FailNext(pending.remaining() - 1, pending.status());
            if (fault.compareAndSet(pending, after)) {
                return pending.status();
            }
        }
    }

    private static void requireErrorStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an injected failure status must be 400..599");
        }
    }

    // One immutable value, so a count and its status always change together under concurrent requests.
    private record FailNext(int remaining, int status) {
        static final FailNext NONE = new FailNext(0, 0);
    }
}
