package io.provisioninghub.connectors.smsc;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.smpp.Smpp8BitSplitter;
import org.apache.camel.component.smpp.SmppConstants;
import org.apache.camel.component.smpp.SmppSplittingPolicy;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the hub's one SMPP session bound, and tells whether it is ({@link #isBound()}: for a health check,
 * and for the sender to back off instead of trying).
 *
 * <h2>Why not just camel-smpp's own reconnect</h2>
 * camel-smpp's producer (4.17) creates the session lazily, on the first exchange, in the thread that sends
 * it; and when a session closes, its state listener reconnects in a blocking loop on whichever thread fired
 * the close, holding the producer's connect lock. For a caller that means: the first submit after start pays
 * the TCP connect and the bind (up to the enquire-link timer plus jSMPP's fixed 60 s bind timeout for a
 * silent SMSC); after a refused bind the close is fired by the caller's thread or by jSMPP's reader thread,
 * whichever comes first, so the caller either blocks in the reconnect loop or, as measured against the
 * simulator, the loop is skipped ("could not acquire a lock") and nothing binds again until the next
 * exchange, leaving no session for receipts. So the connector never lets a caller connect:
 * <ul>
 *   <li>This supervisor is the endpoint's {@code sessionStateListener}: it sees every session go OPEN, BOUND,
 *       UNBOUND and CLOSED, and so knows whether one is bound.</li>
 *   <li>While none is, its own thread ({@code smsc-connector}) sends a <em>probe</em> exchange through the
 *       submit route every {@code reconnect-delay}: camel-smpp creates the session for it (blocking this
 *       thread, not a caller's), then refuses the probe itself before any PDU is written (an 8-bit body of
 *       141 octets with splitting policy REJECT). Nothing reaches the SMSC but the bind.</li>
 *   <li>camel-smpp's own reconnect is cut to one immediate attempt ({@code maxReconnect=1},
 *       {@code initialReconnectDelay=0}): a dropped session usually comes back at once, and its loop can no
 *       longer hold a thread for long.</li>
 *   <li>A submit that finds no bound session fails at once with {@link SmscUnavailableException}, unless a
 *       bind is under way: then it waits for it, at most the transaction timer.</li>
 * </ul>
 * <b>A BOUND state is only provisional.</b> jSMPP 3.0.1 moves a session to BOUND on <em>any</em> bind_resp,
 * a negative one included, and closes it a moment later when the binding thread reads the status
 * ({@code SMPPSessionOpen.processBindResp}). So BOUND makes the session a candidate, and a probe confirms it:
 * the probe is refused locally only when camel-smpp holds a session, that is when its bind succeeded.
 */
public final class SmscSessionSupervisor implements SessionStateListener, StartupListener, AutoCloseable {

    /** Header on the probe exchange, so a route or a tracer can tell it from a real submit. */
    public static final String PROBE_HEADER = "HubSmscSessionProbe";
    /** One octet more than an 8-bit SMS holds: camel-smpp must split it, and REJECT refuses that locally. */
    static final int PROBE_OCTETS = 141;
    private static final Duration CONFIRM_RETRY = Duration.ofMillis(10);

    private static final Logger LOG = LoggerFactory.getLogger(SmscSessionSupervisor.class);

    private final String address;
    private final String submitEndpoint;
    private final Duration reconnectDelay;
    private final Object monitor = new Object();
    private final AtomicBoolean attemptScheduled = new AtomicBoolean();

    // Guarded by monitor for writes; volatile so isBound() is one read on the hot path.
    private volatile Session bound;
    private volatile Instant boundSince;
    /** A session between OPEN and a confirmed bind (or its close): callers may wait for it. */
    private Session opening;
    private boolean probing;
    private final AtomicBoolean confirmScheduled = new AtomicBoolean();

    private volatile boolean running;
    private volatile boolean reportedFailure;
    private ScheduledExecutorService connector;
    private ProducerTemplate probes;

    /**
     * @param address        for log lines, e.g. {@code smpp://smsc.example:2775} (no credentials)
     * @param submitEndpoint the route that ends in the smpp endpoint (the probe goes through the same
     *                       producer, hence the same session, as every submit)
     */
    public SmscSessionSupervisor(String address, String submitEndpoint, Duration reconnectDelay) {
        this.address = address;
        this.submitEndpoint = submitEndpoint;
        this.reconnectDelay = reconnectDelay;
    }

    /** True while an SMPP session to the SMSC is bound. */
    public boolean isBound() {
        return bound != null;
    }

    /** When the current session was bound; empty when none is. */
    public Optional<Instant> boundSince() {
        Instant since = boundSince;
        return bound == null ? Optional.empty() : Optional.ofNullable(since);
    }

    /**
     * True at once when a session is bound; false at once when none is and no bind is under way; otherwise
     * waits, at most {@code max}, for the bind under way to end.
     */
    public boolean awaitBound(Duration max) {
        if (bound != null) {
            return true;
        }
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (monitor) {
            while (bound == null && (opening != null || probing)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return bound != null;
        }
    }

    // --- jSMPP session states (called by camel-smpp's producer, on jSMPP's or the connecting thread) ---------

    @Override
    public void onStateChange(SessionState newState, SessionState oldState, Session source) {
        boolean lost = false;
        boolean candidate = false;
        boolean failedAttempt = false;
        synchronized (monitor) {
            if (newState == SessionState.OPEN || (newState.isBound() && bound != source)) {
                // Connecting, or bound as far as jSMPP says: a candidate until a probe confirms it.
                opening = source;
                candidate = newState.isBound();
            } else if (!newState.isBound()) {
                // UNBOUND or CLOSED (OUTBOUND is never used by an ESME that binds itself).
                if (bound == source) {
                    bound = null;
                    boundSince = null;
                    lost = true;
                }
                if (opening == source) {
                    opening = null;
                    failedAttempt = bound == null;
                }
            }
            monitor.notifyAll();
        }
        if (failedAttempt) {
            // A bind that did not come through (refused, or closed before it was confirmed): keep trying.
            scheduleAttempt(reconnectDelay);
        }
        if (candidate) {
            scheduleConfirm(Duration.ZERO);
        }
        if (lost) {
            LOG.warn("SMPP session to {} lost ({} -> {}); binding again", address, oldState, newState);
            // camel-smpp tries once at once; this is the next attempt if that one fails.
            scheduleAttempt(reconnectDelay);
        }
    }

    // --- start and stop ----------------------------------------------------------------------------------

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            begin(context);
        }
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        begin(context);
    }

    private synchronized void begin(CamelContext context) {
        if (running || connector != null) {
            return;
        }
        probes = context.createProducerTemplate();
        connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "smsc-connector");
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        scheduleAttempt(Duration.ZERO);
    }

    /** Stops binding again; the session itself closes with the Camel context. */
    @Override
    public synchronized void close() {
        running = false;
        if (connector != null) {
            // Interrupts a probe waiting in camel-smpp's reconnect loop.
            connector.shutdownNow();
            try {
                if (!connector.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("SMSC connector thread did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (probes != null) {
            try {
                probes.stop();
            } catch (RuntimeException e) {
                LOG.debug("Stopping the probe template failed", e);
            }
        }
    }

    // --- the connector -----------------------------------------------------------------------------------

    private void scheduleAttempt(Duration delay) {
        ScheduledExecutorService executor = connector;
        if (!running || executor == null || !attemptScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            attemptScheduled.set(false);
        }
    }

    private void attempt() {
        attemptScheduled.set(false);
        if (!running || bound != null) {
            return;
        }
        if (openingNow() != null) {
            // camel-smpp's own reconnect is binding: let it finish (a probe now would only meet its lock).
            scheduleAttempt(reconnectDelay);
            return;
        }
        Throwable failure = probe();
        if (!running) {
            return;
        }
        confirm(failure);
        if (bound == null) {
            report(failure);
            scheduleAttempt(reconnectDelay);
        }
    }

    private void scheduleConfirm(Duration delay) {
        ScheduledExecutorService executor = connector;
        if (!running || executor == null || !confirmScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.schedule(this::confirmCandidate, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            confirmScheduled.set(false);
        }
    }

    /** A session went BOUND on another thread (camel-smpp's reconnect, or a probe's bind not yet back). */
    private void confirmCandidate() {
        confirmScheduled.set(false);
        Session candidate = openingNow();
        if (!running || bound != null || candidate == null || !candidate.getSessionState().isBound()) {
            return;
        }
        confirm(probe());
        if (bound == null && openingNow() == candidate && candidate.getSessionState().isBound()) {
            // The binding thread still holds camel-smpp's connect lock: look again shortly.
            scheduleConfirm(CONFIRM_RETRY);
        }
    }

    /** After a probe: a local refusal means camel-smpp holds a session, so a bound candidate is confirmed. */
    private void confirm(Throwable probeResult) {
        if (!isProbeRefusal(probeResult)) {
            return;
        }
        Session confirmed = null;
        synchronized (monitor) {
            Session candidate = opening;
            if (bound == null && candidate != null && candidate.getSessionState().isBound()) {
                bound = candidate;
                boundSince = Instant.now();
                opening = null;
                confirmed = candidate;
                monitor.notifyAll();
            }
        }
        if (confirmed != null) {
            reportedFailure = false;
            LOG.info("SMPP session to {} bound ({})", address, confirmed.getSessionState());
        }
    }

    private Throwable probe() {
        setProbing(true);
        try {
            Exchange result = probes.send(submitEndpoint, SmscSessionSupervisor::prepareProbe);
            return result.getException();
        } catch (RuntimeException e) {
            return e;
        } finally {
            setProbing(false);
        }
    }

    private Session openingNow() {
        synchronized (monitor) {
            return opening;
        }
    }

    private void report(Throwable failure) {
        String why = describe(failure);
        if (!reportedFailure) {
            reportedFailure = true;
            LOG.warn("No SMPP session to {}: {}; trying again every {}", address, why, reconnectDelay);
        } else {
            LOG.debug("Still no SMPP session to {}: {}", address, why);
        }
    }

    private void setProbing(boolean value) {
        synchronized (monitor) {
            probing = value;
            monitor.notifyAll();
        }
    }

    /** The probe: camel-smpp binds for it (lazySessionCreation), then refuses it before writing any PDU. */
    static void prepareProbe(Exchange exchange) {
        Message in = exchange.getIn();
        in.setHeader(PROBE_HEADER, Boolean.TRUE);
        in.setHeader(SmppConstants.COMMAND, "SubmitSm");
        // 8-bit data coding: camel-smpp takes the body as bytes, without any charset.
        in.setHeader(SmppConstants.DATA_CODING, (byte) 0x04);
        in.setHeader(SmppConstants.DATA_SPLITTER, new Smpp8BitSplitter(PROBE_OCTETS));
        in.setHeader(SmppConstants.SPLITTING_POLICY, SmppSplittingPolicy.REJECT.name());
        in.setBody(new byte[PROBE_OCTETS]);
    }

    /** camel-smpp's local refusal of the probe: NegativeResponseException with status 1 (message too long). */
    static boolean isProbeRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NegativeResponseException negative && negative.getCommandStatus() == 1) {
                return true;
            }
        }
        return false;
    }

    /** Class and message of the innermost cause: connection and bind errors, never SMS content. */
    private static String describe(Throwable failure) {
        if (failure == null) {
            return "no session (no error reported)";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
