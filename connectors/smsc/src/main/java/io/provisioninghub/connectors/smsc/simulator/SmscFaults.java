package io.provisioninghub.connectors.smsc.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults the SMSC simulator injects, so that tests and people trying the sandbox can see the hub's back-off,
 * retries and reconnection at work. Thread-safe; a change applies to the next PDU. {@link #reset()} turns
 * every fault off.
 * <p>
 * Shares are deterministic, not random: with a share s, the n-th submit_sm is hit when
 * {@code floor(n·s) > floor((n-1)·s)}, so 0.25 hits exactly every 4th one and any run of submits is hit in
 * proportion. Which fault answers a submit_sm, first match wins: {@link #rejectAll(int)}, then
 * {@link #throttleShare(double)}, then {@link #queueFullShare(double)}; {@link #responseDelay(Duration)}
 * delays every answer, errors included.
 */
public final class SmscFaults {

    /** Longest response delay that can be injected: enough to outlast any sane transaction timer. */
    public static final Duration MAX_RESPONSE_DELAY = Duration.ofMinutes(5);

    static final int ESME_RTHROTTLED = 0x58;
    static final int ESME_RMSGQFUL = 0x14;
    static final int ESME_RBINDFAIL = 0x0D;

    private final Runnable dropConnections;
    private volatile double throttleShare;
    private volatile double queueFullShare;
    private volatile int rejectAllStatus;
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile boolean refuseBinds;
    private volatile boolean silentBinds;
    private final AtomicLong throttleCounter = new AtomicLong();
    private final AtomicLong queueFullCounter = new AtomicLong();

    SmscFaults(Runnable dropConnections) {
        this.dropConnections = dropConnections;
    }

    /** Answer this share (0..1) of submit_sm with ESME_RTHROTTLED (0x58); 0 turns it off. */
    public SmscFaults throttleShare(double share) {
        this.throttleShare = requireShare(share);
        throttleCounter.set(0);
        return this;
    }

    public double throttleShare() {
        return throttleShare;
    }

    /** Answer this share (0..1) of submit_sm with ESME_RMSGQFUL (0x14, message queue full); 0 turns it off. */
    public SmscFaults queueFullShare(double share) {
        this.queueFullShare = requireShare(share);
        queueFullCounter.set(0);
        return this;
    }

    public double queueFullShare() {
        return queueFullShare;
    }

    /**
     * Answer every submit_sm with this command_status, e.g. 0x0B ESME_RINVDSTADR (a permanent refusal) or
     * 0x45 ESME_RSUBMITFAIL; 0 turns it off.
     */
    public SmscFaults rejectAll(int commandStatus) {
        if (commandStatus < 0) {
            throw new IllegalArgumentException("commandStatus must not be negative");
        }
        this.rejectAllStatus = commandStatus;
        return this;
    }

    /** The command_status every submit_sm is answered with; 0 when off. */
    public int rejectAllStatus() {
        return rejectAllStatus;
    }

    /**
     * Wait this long before answering each submit_sm; {@link Duration#ZERO} turns it off. The wait holds one
     * of the session's PDU worker threads, so a long delay also slows the session down, as a loaded SMSC does.
     */
    public SmscFaults responseDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.compareTo(MAX_RESPONSE_DELAY) > 0) {
            throw new IllegalArgumentException("responseDelay must be between 0 and " + MAX_RESPONSE_DELAY);
        }
        this.responseDelay = delay;
        return this;
    }

    public Duration responseDelay() {
        return responseDelay;
    }

    /** Answer every bind with ESME_RBINDFAIL (0x0D). Sessions already bound stay bound (see {@link #dropConnections()}). */
    public SmscFaults refuseBinds(boolean refuse) {
        this.refuseBinds = refuse;
        return this;
    }

    public boolean refuseBinds() {
        return refuseBinds;
    }

    /**
     * Read every bind and never answer it, keeping the connection open: an SMSC that hangs mid-bind, or a
     * balancer in front of one that is gone. Wins over {@link #refuseBinds(boolean)}. Sessions already bound
     * stay bound; a bind left unanswered stays so after the fault is off, until the ESME closes its connection
     * or {@link #dropConnections()} or {@link SmscSimulator#down()} does.
     */
    public SmscFaults silentBinds(boolean silent) {
        this.silentBinds = silent;
        return this;
    }

    public boolean silentBinds() {
        return silentBinds;
    }

    /** Closes every open SMPP session now (TCP close, no unbind); the simulator keeps listening. */
    public SmscFaults dropConnections() {
        dropConnections.run();
        return this;
    }

    /** Turns every fault off. */
    public SmscFaults reset() {
        throttleShare = 0;
        queueFullShare = 0;
        rejectAllStatus = 0;
        responseDelay = Duration.ZERO;
        refuseBinds = false;
        silentBinds = false;
        throttleCounter.set(0);
        queueFullCounter.set(0);
        return this;
    }

    /** The command_status this submit_sm gets, consuming a turn of the share counters; 0 to accept it. */
    int submitStatus() {
        int reject = rejectAllStatus;
        if (reject != 0) {
            return reject;
        }
        if (hits(throttleShare, throttleCounter)) {
            return ESME_RTHROTTLED;
        }
        if (hits(queueFullShare, queueFullCounter)) {
            return ESME_RMSGQFUL;
        }
        return 0;
    }

    private static boolean hits(double share, AtomicLong counter) {
        if (share <= 0) {
            return false;
        }
        if (share >= 1) {
            return true;
        }
        long n = counter.incrementAndGet();
        return (long) Math.floor(n * share) > (long) Math.floor((n - 1) * share);
    }

    private static double requireShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("a share must be between 0 and 1");
        }
        return share;
    }
}
