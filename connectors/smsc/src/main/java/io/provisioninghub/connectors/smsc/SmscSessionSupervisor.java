package io.provisioninghub.connectors.smsc;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.smpp.Smpp8BitSplitter;
import org.apache.camel.component.smpp.SmppConstants;
import org.apache.camel.component.smpp.SmppSplittingPolicy;
import org.apache.camel.spi.LifecycleStrategy;
import org.apache.camel.support.LifecycleStrategySupport;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.PendingResponse;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <h2>A bind that is never answered</h2>
 * camel-smpp binds with {@code SMPPSession.connectAndBind(host, port, bindParameter)}, which waits for the
 * bind_resp a fixed 60 s and is not woken when the connection closes under it. An SMSC that goes down or hangs
 * mid-bind would so hold camel-smpp's connect lock for a minute: no submit, no other bind, and a probe that
 * keeps Camel's shutdown waiting. So every bind is watched from its OPEN, which jSMPP fires on the thread that
 * then waits for the bind_resp:
 * <ul>
 *   <li>no bind_resp within {@code bind-timeout}: the supervisor closes the connection;</li>
 *   <li>once the connection is closed (by the SMSC, or so) while that thread still waits for the bind_resp,
 *       the supervisor interrupts it. jSMPP's wait ({@code PendingResponse.waitDone}) ends on an interrupt as on
 *       its own timeout: the bind fails with an IOException, the session is CLOSED, and the next attempt
 *       follows after {@code reconnect-delay}.</li>
 * </ul>
 * jSMPP offers no other way out: the pending bind_resp is private to the session, and closing the socket
 * alone only stops its reader. The binding thread is usually {@code smsc-connector}, but may be camel-smpp's
 * reconnect thread or, in a rare race, a caller's; so a thread is interrupted only while its stack shows it
 * in that wait, and the flag is cleared again where the failed exchange returns
 * ({@link #clearBindInterrupt()}), not left for the thread's next blocking call.
 * <p>
 * When the Camel context stops, the supervisor stops first ({@link #lifecycleStrategy()}), cutting a bind under
 * way and waking callers that wait for one: Camel's shutdown waits for inflight exchanges, the probe included.
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
    private final Duration bindTimeout;
    private final Object monitor = new Object();
    private final AtomicBoolean attemptScheduled = new AtomicBoolean();

    // Guarded by monitor for writes; volatile so isBound() is one read on the hot path.
    private volatile Session bound;
    private volatile Instant boundSince;
    /** A session between OPEN and a confirmed bind (or its close): callers may wait for it. */
    private Session opening;
    private boolean probing;
    /** Binds under way, from OPEN until bound or given up; at most two (a failed bind's own reconnect). */
    private final List<Bind> binds = new ArrayList<>();
    private final AtomicBoolean confirmScheduled = new AtomicBoolean();
    /** Threads interrupted to give a bind up, with why, until {@link #clearBindInterrupt()} clears the flag. */
    private final Map<Thread, String> interruptedBinders = new ConcurrentHashMap<>();
    private final LifecycleStrategy stopWithContext = new LifecycleStrategySupport() {
        @Override
        public void onContextStopping(CamelContext context) {
            close();
        }
    };

    /**
     * The session under {@link #opening} was opened by this supervisor's probe: the probe's outcome counts that bind
     * ({@link #attempt()}), its close does not count it again.
     */
    private boolean openingByProbe;
    /** The thread sending the probe while {@link #probing}. */
    private Thread probeThread;
    private final AtomicLong bindsBound = new AtomicLong();
    private final AtomicLong bindsFailed = new AtomicLong();

    private volatile boolean running;
    private volatile boolean reportedFailure;
    private volatile boolean reportedCut;
    private ScheduledExecutorService connector;
    /** Its own thread: {@code smsc-connector} is the one that hangs in a bind. */
    private volatile ScheduledExecutorService watchdog;
    private ProducerTemplate probes;

    /**
     * @param address        for log lines, e.g. {@code smpp://smsc.example:2775} (no credentials)
     * @param submitEndpoint the route that ends in the smpp endpoint (the probe goes through the same
     *                       producer, hence the same session, as every submit)
     * @param bindTimeout    longest wait for a bind_resp before the bind is given up
     */
    public SmscSessionSupervisor(String address, String submitEndpoint, Duration reconnectDelay,
                                 Duration bindTimeout) {
        this.address = address;
        this.submitEndpoint = submitEndpoint;
        this.reconnectDelay = reconnectDelay;
        this.bindTimeout = bindTimeout;
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

    /** Bind attempts that ended in a bound session (confirmed by a probe), since the supervisor was made. */
    public long bindsBound() {
        return bindsBound.get();
    }

    /**
     * Bind attempts that ended without a bound session, since the supervisor was made: the supervisor's own that
     * failed (connection refused, bind refused, given up, ...) and those of camel-smpp's reconnect whose session
     * closed before it was confirmed. A reconnect of camel-smpp's that fails before its connection opens is not
     * seen; the supervisor's next attempt is.
     */
    public long bindsFailed() {
        return bindsFailed.get();
    }

    /** True while no session is bound and a bind is under way, which {@link #awaitBound} would wait for. */
    public boolean isBinding() {
        synchronized (monitor) {
            return bound == null && (opening != null || probing);
        }
    }

    /**
     * True at once when a session is bound; false at once when none is and no bind is under way, or when the
     * supervisor is stopped; otherwise waits, at most {@code max}, for the bind under way to end.
     */
    public boolean awaitBound(Duration max) {
        if (bound != null) {
            return true;
        }
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (monitor) {
            // running: close() wakes the waiters, so no caller outlasts the stop waiting for a bind.
            while (bound == null && running && (opening != null || probing)) {
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
        boolean countFailure = false;
        Bind started = null;
        Bind stranded = null;
        synchronized (monitor) {
            Bind bind = bindOf(source);
            if (newState == SessionState.OPEN) {
                // Fired by connectAndBind on the thread that is about to wait for the bind_resp; a thread that
                // opens a new session has left its earlier bind.
                Thread binder = Thread.currentThread();
                binds.removeIf(earlier -> earlier.binder == binder);
                started = new Bind(source, binder);
                binds.add(started);
            } else if (bind != null && newState.isBound()) {
                // a bind_resp came (BOUND even when negative): the binding thread returns by itself
                binds.remove(bind);
            } else if (bind != null) {
                if (bind.binder == Thread.currentThread()) {
                    // closed by the binding thread itself, on its way out of connectAndBind
                    binds.remove(bind);
                } else {
                    // closed under the binding thread (by the SMSC, or by the watchdog): jSMPP will not wake it
                    stranded = bind;
                }
            }
            if (newState == SessionState.OPEN || (newState.isBound() && bound != source)) {
                // Connecting, or bound as far as jSMPP says: a candidate until a probe confirms it.
                if (opening != source) {
                    openingByProbe = newState == SessionState.OPEN && probing
                            && probeThread == Thread.currentThread();
                }
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
                    // The probe's own binds are counted where the probe returns (attempt).
                    countFailure = failedAttempt && !openingByProbe;
                }
            }
            monitor.notifyAll();
        }
        if (countFailure) {
            bindsFailed.incrementAndGet();
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
        if (started != null) {
            scheduleCheck(started, bindTimeout, true);
        }
        if (stranded != null) {
            // On the watchdog's thread: this one may be jSMPP's reader, holding the session's locks.
            scheduleCheck(stranded, Duration.ZERO, false);
        }
    }

    // --- the bind watchdog -------------------------------------------------------------------------------

    private void scheduleCheck(Bind bind, Duration delay, boolean due) {
        ScheduledExecutorService executor = watchdog;
        if (!running || executor == null) {
            return;
        }
        try {
            executor.schedule(() -> check(bind, due), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: close() gives up every bind under way itself
        }
    }

    /**
     * Gives the bind up when it is stuck: past its time ({@code due}) without a bind_resp, or with its
     * connection closed under a thread that still waits for the bind_resp.
     */
    private void check(Bind bind, boolean due) {
        synchronized (monitor) {
            if (!binds.contains(bind)) {
                return;
            }
        }
        SessionState state = bind.session.getSessionState();
        if (state.isBound()) {
            return;
        }
        if (state == SessionState.OPEN && !due) {
            // not closed after all; the check at the bind timeout follows
            return;
        }
        String why = state == SessionState.OPEN ? "no bind_resp within " + bindTimeout.toMillis() + " ms"
                : "the connection closed before the bind_resp";
        if (giveUp(bind, why)) {
            if (!reportedCut) {
                reportedCut = true;
                LOG.warn("Bind to {} given up: {}; binding again every {}", address, why, reconnectDelay);
            } else {
                LOG.debug("Bind to {} given up: {}", address, why);
            }
        }
        if (due) {
            // Whatever its binding thread does now, it is not waiting for this bind's answer any more.
            forget(bind);
        }
    }

    /**
     * Closes the bind's connection if still open, then interrupts its thread if that waits for the bind_resp.
     *
     * @return whether it did either
     */
    private boolean giveUp(Bind bind, String why) {
        boolean closed = false;
        if (bind.session.getSessionState() == SessionState.OPEN) {
            // Closed here first, so that its CLOSED fires on this thread: camel-smpp's listener then finds the
            // connect lock held by the binding thread and does not start a reconnect of its own, as it would on
            // the binding thread (re-entrant lock) when jSMPP closes the session there.
            bind.session.close();
            closed = true;
        }
        if (!waitsForBindResp(bind.binder)) {
            return closed;
        }
        interruptedBinders.entrySet().removeIf(entry -> !entry.getKey().isAlive());
        interruptedBinders.put(bind.binder, why);
        bind.binder.interrupt();
        forget(bind);
        return true;
    }

    private void forget(Bind bind) {
        synchronized (monitor) {
            binds.remove(bind);
        }
    }

    private Bind bindOf(Session session) {
        for (Bind bind : binds) {
            if (bind.session == session) {
                return bind;
            }
        }
        return null;
    }

    /**
     * If the supervisor interrupted the current thread to give its bind up, clears the interrupt (the failed
     * exchange has come back; the flag must not fail the thread's next blocking call) and says why.
     *
     * @return why the bind was given up; null when the supervisor did not interrupt this thread
     */
    String clearBindInterrupt() {
        String why = interruptedBinders.remove(Thread.currentThread());
        if (why != null) {
            Thread.interrupted();
        }
        return why;
    }

    /**
     * Whether the thread is parked in jSMPP's wait for a bind_resp ({@code PendingResponse.waitDone} called
     * from {@code SMPPSession.connectAndBind}). Read from its stack trace: jSMPP does not expose the wait, and
     * a thread that is anywhere else must not be interrupted.
     */
    static boolean waitsForBindResp(Thread thread) {
        if (thread.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        boolean waiting = false;
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (!waiting) {
                waiting = frame.getClassName().equals(PendingResponse.class.getName())
                        && frame.getMethodName().equals("waitDone");
            } else if (frame.getClassName().equals(SMPPSession.class.getName())
                    && frame.getMethodName().equals("connectAndBind")) {
                return true;
            }
        }
        return false;
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

    /**
     * Stops the supervisor as soon as the Camel context starts stopping, before Camel waits for inflight
     * exchanges (a probe in a bind is one); {@link SmscRoutes} adds it to the context.
     */
    public LifecycleStrategy lifecycleStrategy() {
        return stopWithContext;
    }

    private synchronized void begin(CamelContext context) {
        if (running || connector != null) {
            return;
        }
        probes = context.createProducerTemplate();
        connector = Executors.newSingleThreadScheduledExecutor(daemon("smsc-connector"));
        watchdog = Executors.newSingleThreadScheduledExecutor(daemon("smsc-bind-watchdog"));
        // A stop may have dropped a scheduled task with its flag still set.
        attemptScheduled.set(false);
        confirmScheduled.set(false);
        running = true;
        scheduleAttempt(Duration.ZERO);
    }

    /**
     * Stops binding again, gives up a bind under way and wakes the callers waiting for one; a bound session
     * closes with the Camel context. Called when the context starts stopping, and again when the bean is
     * destroyed; the supervisor starts again with the context.
     */
    @Override
    public synchronized void close() {
        List<Bind> underWay;
        synchronized (monitor) {
            running = false;
            underWay = List.copyOf(binds);
            monitor.notifyAll();
        }
        for (Bind bind : underWay) {
            if (giveUp(bind, "the hub is stopping")) {
                LOG.info("Bind to {} given up: the hub is stopping", address);
            }
        }
        synchronized (monitor) {
            binds.clear();
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
            watchdog = null;
        }
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
            connector = null;
        }
        if (probes != null) {
            try {
                probes.stop();
            } catch (RuntimeException e) {
                LOG.debug("Stopping the probe template failed", e);
            }
            probes = null;
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
            bindsFailed.incrementAndGet();
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
            bindsBound.incrementAndGet();
            reportedFailure = false;
            reportedCut = false;
            LOG.info("SMPP session to {} bound ({})", address, confirmed.getSessionState());
        }
    }

    private Throwable probe() {
        setProbing(true);
        Throwable failure;
        try {
            Exchange result = probes.send(submitEndpoint, SmscSessionSupervisor::prepareProbe);
            failure = result.getException();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            setProbing(false);
        }
        String givenUp = clearBindInterrupt();
        // jSMPP reports an interrupted bind as its own 60 s timeout: say what happened instead.
        return givenUp == null ? failure : new IOException("bind given up: " + givenUp);
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
            probeThread = value ? Thread.currentThread() : null;
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

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A bind under way: the session jSMPP opened for it, and the thread waiting in connectAndBind. */
    private static final class Bind {
        final Session session;
        final Thread binder;

        Bind(Session session, Thread binder) {
            this.session = session;
            this.binder = binder;
        }
    }
}
