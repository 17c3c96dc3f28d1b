package io.provisioninghub.connectors.billing.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults the billing simulator injects into its TMF637 API ({@code /tmf-api/...}), so that tests and people
 * trying the sandbox can see the hub's timeouts, retries and circuit breaker at work. Thread-safe; changes
 * apply to the next request. The sandbox API under {@code /sandbox/faults} is never affected.
 */
public final class BillingFaults {

    /** Longest latency that can be injected: enough to outlast any sane client timeout. */
    public static final Duration MAX_LATENCY = Duration.ofMinutes(5);

    private volatile Duration latency = Duration.ZERO;
    private volatile int failureStatus;
    private final AtomicReference<FailNext> failNext = new AtomicReference<>(FailNext.NONE);
    private final AtomicLong requests = new AtomicLong();

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

    /** Turns every fault off. */
    public void reset() {
        latency = Duration.ZERO;
        failureStatus = 0;
        failNext.set(FailNext.NONE);
    }

    long countRequest() {
        return requests.incrementAndGet();
    }

    /** The status this request must fail with, consuming one of the "fail next" requests; 0 to serve it. */
    int statusToFailWith() {
        while (true) {
            FailNext pending = failNext.get();
            if (pending.remaining() == 0) {
                return failureStatus;
            }
            FailNext after = pending.remaining() == 1 ? FailNext.NONE
                    : new FailNext(pending.remaining() - 1, pending.status());
            if (failNext.compareAndSet(pending, after)) {
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
