package io.provisioninghub.connectors.smsc.simulator;

import org.jsmpp.DefaultPDUSender;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.SynchronizedPDUSender;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryAdapter;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SMSC stand-in for the sandbox and the tests: a real SMPP 3.4 server on loopback TCP, built on jSMPP's
 * server side ({@link SMPPServerSession}, {@link ServerMessageReceiverListener}).
 * <ul>
 *   <li>Binds: transmitter, receiver and transceiver; system_id and password checked when the settings give
 *       them (ESME_RINVSYSID 0x0F, ESME_RINVPASWD 0x0E).</li>
 *   <li>submit_sm: recorded ({@link #submits()}, with the raw PDU and the decoded UDH and text) and answered
 *       with a fresh message_id, or with the error a fault asks for ({@link #faults()}).</li>
 *   <li>Delivery receipts: when registered_delivery asks for one (bits 0-1 = 01) and the submit_sm was
 *       accepted, a deliver_sm receipt (esm_class 0x04, SMPP 3.4 Appendix B text, receipted_message_id and
 *       message_state TLVs) follows the submit_sm_resp after the receipt delay, on the same session when it is
 *       a transceiver, else on a receiver or transceiver session of the same system_id. With none bound, the
 *       receipt waits (up to 10,000 per system_id) until one binds, as an SMSC stores it.</li>
 *   <li>{@link #down()} stops listening and closes every session; {@link #up()} listens again on the same
 *       port. Throughput counters ({@link #submitsPerSecond()}, {@link #maxInAnySlidingSecond()}) show
 *       whether the hub kept its rate cap.</li>
 *   <li>A sandbox HTTP API on loopback ({@code /sandbox/sms}, {@code /sandbox/smsc/faults},
 *       {@code /sandbox/smsc/stats}), see {@link SimulatorHttp}.</li>
 * </ul>
 * Per submit_sm the work is small: decode, one short lock to record, no log line unless
 * {@link SmscSimulatorSettings#logMessages()}. Each session reads on one thread and processes PDUs on
 * {@value #PDU_WORKERS} workers.
 */
public final class SmscSimulator implements AutoCloseable {

    /** The simulator's own system_id in bind_resp. */
    public static final String SMSC_SYSTEM_ID = "hub-smsc-sim";

    private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);
    private static final int PDU_WORKERS = 8;
    /** PDUs a session queues for its workers; past it jSMPP itself answers ESME_RTHROTTLED. */
    private static final int PDU_QUEUE = 2_000;
    private static final long BIND_TIMEOUT_MS = 10_000;
    private static final int MAX_PENDING_RECEIPTS = 10_000;
    /**
     * Threads sending receipts. deliver_sm waits for its resp, so each thread sends one receipt per round trip;
     * on two cores four of them sent about 4,000 receipts/s into the hub while it submitted (measured with
     * SmscThroughputBenchmark: no backlog at 3,600 submit_sm/s; at 20,000/s the backlog hits its cap).
     */
    private static final int RECEIPT_THREADS = 4;
    /** Receipts scheduled but not yet sent; past it new ones are dropped (and counted) rather than queued. */
    private static final int MAX_SCHEDULED_RECEIPTS = 100_000;
    private static final DateTimeFormatter RECEIPT_DATE =
            DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SmscSimulatorSettings settings;
    private final int instance = INSTANCES.incrementAndGet();
    private final SmscFaults faults;
    private final SubmitLog log = new SubmitLog();
    private final Map<SMPPServerSession, ServerSide> sessions = new ConcurrentHashMap<>();
    private final Map<String, Deque<PendingReceipt>> pendingReceipts = new ConcurrentHashMap<>();
    private final ExecutorService binds;
    private final ScheduledExecutorService receipts;
    private final AtomicLong nextMessageId = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 36, 1L << 40));
    private final AtomicLong receiptsSent = new AtomicLong();
    private final AtomicLong receiptsDropped = new AtomicLong();
    private final AtomicLong unansweredBinds = new AtomicLong();
    private final AtomicInteger receiptsScheduled = new AtomicInteger();
    private final Receiver receiver = new Receiver();
    private final SessionStateListener stateListener = this::onStateChange;
    private final AtomicBoolean closed = new AtomicBoolean();

    private int smppPort;
    private volatile ServerSocket serverSocket;
    private Thread acceptor;
    private SimulatorHttp http;

    private SmscSimulator(SmscSimulatorSettings settings) {
        this.settings = settings;
        this.faults = new SmscFaults(this::closeSessions);
        this.binds = Executors.newCachedThreadPool(threads("bind"));
        this.receipts = Executors.newScheduledThreadPool(RECEIPT_THREADS, threads("receipts"));
    }

    /**
     * Listens for SMPP on {@code 127.0.0.1:smppPort} and, unless {@code httpPort} is -1, serves the sandbox API.
     *
     * @throws UncheckedIOException when a port cannot be bound
     */
    public static SmscSimulator start(SmscSimulatorSettings settings) {
        Objects.requireNonNull(settings, "settings");
        SmscSimulator simulator = new SmscSimulator(settings);
        try {
            simulator.smppPort = settings.smppPort();
            simulator.listen();
            if (settings.httpPort() >= 0) {
                simulator.http = SimulatorHttp.start(simulator, settings.httpPort());
            }
        } catch (IOException e) {
            simulator.close();
            throw new UncheckedIOException("SMSC simulator could not listen", e);
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        LOG.info("SMSC simulator (SMPP 3.4) listening on 127.0.0.1:{}{}", simulator.smppPort,
                simulator.http == null ? "" : ", sandbox API on http://127.0.0.1:" + simulator.httpPort());
        return simulator;
    }

    public int smppPort() {
        return smppPort;
    }

    /** Port of the sandbox HTTP API, -1 when it does not run. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public SmscSimulatorSettings settings() {
        return settings;
    }

    public SmscFaults faults() {
        return faults;
    }

    /** Every submit_sm since start or {@link #clear()} (the last 100,000), in arrival order; a snapshot. */
    public List<RecordedSubmit> submits() {
        return log.snapshot();
    }

    /** Forgets the recorded submits and the throughput counters (not the faults). */
    public void clear() {
        log.clear();
    }

    /** Accepted submit_sm since start or {@link #clear()}. */
    public long acceptedCount() {
        return log.accepted();
    }

    /**
     * Accepted submit_sm per wall-clock second: element 0 is the second (of the system clock) in which the
     * simulator started or was cleared, the last one the current second.
     */
    public long[] submitsPerSecond() {
        return log.submitsPerSecond();
    }

    /** The most accepted submit_sm within any one-second sliding window since start or {@link #clear()}. */
    public int maxInAnySlidingSecond() {
        return log.maxInAnySlidingSecond();
    }

    /** {@code System.nanoTime()} of each accepted submit_sm since start or {@link #clear()} (the last 4 Mi). */
    public long[] acceptedNanoTimes() {
        return log.acceptedNanoTimes();
    }

    /** Delivery receipts the simulator got a deliver_sm_resp OK for. */
    public long receiptsSent() {
        return receiptsSent.get();
    }

    /**
     * Receipts dropped because more than 100,000 were waiting to be sent (the hub took them slower than it
     * submitted); a real SMSC would store them, the simulator keeps its memory bounded.
     */
    public long receiptsDropped() {
        return receiptsDropped.get();
    }

    /** Binds read and left unanswered ({@link SmscFaults#silentBinds(boolean)}) since start. */
    public long unansweredBinds() {
        return unansweredBinds.get();
    }

    /** Sessions open now (bound or binding). */
    public int openSessions() {
        return sessions.size();
    }

    /** Sessions bound now, with this system_id (any when null). */
    public int boundSessions(String systemId) {
        int bound = 0;
        for (ServerSide side : sessions.values()) {
            if (side.bindType != null && side.session.getSessionState().isBound()
                    && (systemId == null || systemId.equals(side.systemId))) {
                bound++;
            }
        }
        return bound;
    }

    /** True while the simulator listens for SMPP. */
    public boolean isUp() {
        return serverSocket != null;
    }

    /** Stops listening and closes every session: to the hub the SMSC is gone (connection refused). */
    public synchronized void down() {
        if (serverSocket == null) {
            return;
        }
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("Closing the SMPP server socket failed", e);
        }
        serverSocket = null;
        if (acceptor != null) {
            try {
                acceptor.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
        closeSessions();
        LOG.info("SMSC simulator on port {} is down", smppPort);
    }

    /** Listens again, on the same port as before. */
    public synchronized void up() {
        if (closed.get()) {
            throw new IllegalStateException("the simulator is closed");
        }
        if (serverSocket != null) {
            return;
        }
        try {
            listen();
        } catch (IOException e) {
            throw new UncheckedIOException("SMSC simulator could not listen again on port " + smppPort, e);
        }
        LOG.info("SMSC simulator on port {} is up", smppPort);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        down();
        if (http != null) {
            http.stop();
        }
        binds.shutdownNow();
        receipts.shutdownNow();
        LOG.info("SMSC simulator on port {} stopped", smppPort);
    }

    // --- listening and binding ---------------------------------------------------------------------------

    private synchronized void listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), smppPort), 256);
        smppPort = socket.getLocalPort();
        serverSocket = socket;
        acceptor = threads("accept").newThread(() -> accept(socket));
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("SMSC simulator stopped accepting: {}", e.getMessage());
                }
                return;
            }
            try {
                open(socket, connection);
            } catch (IOException | RuntimeException e) {
                LOG.warn("SMSC simulator could not open a session: {}", e.toString());
                closeQuietly(connection);
            }
        }
    }

    private void open(ServerSocket listener, Socket connection) throws IOException {
        // Answers are small PDUs that must go at once, not wait for Nagle (40 ms delayed-ACK stalls).
        connection.setTcpNoDelay(true);
        TappingPduReader reader = new TappingPduReader();
        SMPPServerSession session = new SMPPServerSession(new SocketConnection(connection), stateListener,
                receiver, receiver, PDU_WORKERS, PDU_QUEUE, new SynchronizedPDUSender(new DefaultPDUSender()),
                reader);
        ServerSide side = new ServerSide(session, reader);
        sessions.put(session, side);
        if (listener.isClosed()) {
            // down() ran while this one was being accepted
            sessions.remove(session);
            session.close();
            return;
        }
        binds.execute(() -> bind(side));
    }

    private void bind(ServerSide side) {
        SMPPServerSession session = side.session;
        try {
            BindRequest request = session.waitForBind(BIND_TIMEOUT_MS);
            if (faults.silentBinds()) {
                // No bind_resp, no close: the session stays OPEN until the ESME or down() closes it.
                unansweredBinds.incrementAndGet();
                LOG.info("SMSC simulator leaves a {} unanswered", request.getBindType());
                return;
            }
            int refusal = bindRefusal(request);
            if (refusal != 0) {
                request.reject(refusal);
                LOG.info("SMSC simulator refused a {} ({})", request.getBindType(), String.format("0x%02X", refusal));
                return;
            }
            side.systemId = request.getSystemId();
            side.bindType = request.getBindType();
            request.accept(SMSC_SYSTEM_ID, InterfaceVersion.IF_34);
            LOG.debug("SMSC simulator: {} bound as {}", side.systemId, side.bindType);
            if (side.receives()) {
                flushPendingReceipts(side);
            }
        } catch (TimeoutException e) {
            LOG.debug("SMSC simulator: no bind within {} ms", BIND_TIMEOUT_MS);
        } catch (IllegalStateException | IOException | PDUStringException e) {
            LOG.debug("SMSC simulator: bind failed: {}", e.toString());
            session.close();
        }
    }

    private int bindRefusal(BindRequest request) {
        if (faults.refuseBinds()) {
            return SmscFaults.ESME_RBINDFAIL;
        }
        if (settings.systemId() != null) {
            if (!settings.systemId().equals(request.getSystemId())) {
                return SMPPConstant.STAT_ESME_RINVSYSID;
            }
            if (!settings.password().equals(request.getPassword() == null ? "" : request.getPassword())) {
                return SMPPConstant.STAT_ESME_RINVPASWD;
            }
        }
        return 0;
    }

    private void onStateChange(SessionState newState, SessionState oldState, Session source) {
        if (newState == SessionState.CLOSED && source instanceof SMPPServerSession session) {
            sessions.remove(session);
        }
    }

    private void closeSessions() {
        for (ServerSide side : List.copyOf(sessions.values())) {
            side.session.close();
            sessions.remove(side.session);
        }
    }

    // --- submit_sm ---------------------------------------------------------------------------------------

    private SubmitSmResult submit(SubmitSm submitSm, SMPPServerSession source) throws ProcessRequestException {
        ServerSide side = sessions.get(source);
        Instant receivedAt = Instant.now();
        byte[] pdu = side == null ? null : side.reader.take(submitSm.getSequenceNumber());
        int status = faults.submitStatus();
        Duration delay = faults.responseDelay();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessRequestException("interrupted", SMPPConstant.STAT_ESME_RSYSERR);
            }
        }
        String messageId = status == 0 ? Long.toHexString(nextMessageId.incrementAndGet()) : null;
        RecordedSubmit recorded = RecordedSubmit.of(receivedAt, side == null ? null : side.systemId, submitSm, pdu,
                status, messageId);
        log.add(recorded);
        if (settings.logMessages()) {
            LOG.info("SMS to +{} ({}{}{}), answered {}: {}", recorded.destinationAddress(),
                    recorded.dataCoding() == 0x08 ? "UCS2" : String.format("data_coding 0x%02X", recorded.dataCoding()),
                    recorded.destinationPort() == null ? "" : ", port " + recorded.destinationPort(),
                    recorded.concatTotal() == null ? ""
                            : ", part " + recorded.concatSequence() + "/" + recorded.concatTotal(),
                    messageId == null ? String.format("0x%02X", status) : "id " + messageId, recorded.text());
        }
        if (status != 0) {
            throw new ProcessRequestException("fault injected", status);
        }
        boolean receipt = (submitSm.getRegisteredDelivery() & 0x03) == 0x01;
        try {
            return new SimulatorSubmitResult(new MessageId(messageId), receipt
                    ? new PendingReceipt(messageId, side == null ? null : side.systemId, submitSm, receivedAt) : null);
        } catch (PDUStringException e) {
            throw new ProcessRequestException("message id", SMPPConstant.STAT_ESME_RSYSERR);
        }
    }

    // --- delivery receipts -------------------------------------------------------------------------------

    private void scheduleReceipt(PendingReceipt receipt, SMPPServerSession origin) {
        if (receiptsScheduled.incrementAndGet() > MAX_SCHEDULED_RECEIPTS) {
            receiptsScheduled.decrementAndGet();
            receiptsDropped.incrementAndGet();
            return;
        }
        try {
            receipts.schedule(() -> {
                receiptsScheduled.decrementAndGet();
                deliver(receipt, origin);
            }, settings.receiptDelay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            receiptsScheduled.decrementAndGet();
            LOG.debug("SMSC simulator is closing; receipt for {} dropped", receipt.messageId);
        }
    }

    private void deliver(PendingReceipt receipt, SMPPServerSession origin) {
        ServerSide target = receiverFor(receipt.systemId, origin);
        if (target == null) {
            Deque<PendingReceipt> queue = pendingReceipts.computeIfAbsent(String.valueOf(receipt.systemId),
                    id -> new ArrayDeque<>());
            synchronized (queue) {
                if (queue.size() < MAX_PENDING_RECEIPTS) {
                    queue.addLast(receipt);
                }
            }
            return;
        }
        send(receipt, target);
    }

    private void flushPendingReceipts(ServerSide side) {
        Deque<PendingReceipt> queue = pendingReceipts.get(String.valueOf(side.systemId));
        if (queue == null) {
            return;
        }
        List<PendingReceipt> due;
        synchronized (queue) {
            due = new ArrayList<>(queue);
            queue.clear();
        }
        for (PendingReceipt receipt : due) {
            receipts.execute(() -> send(receipt, side));
        }
    }

    private ServerSide receiverFor(String systemId, SMPPServerSession origin) {
        ServerSide same = sessions.get(origin);
        if (same != null && same.receives() && origin.getSessionState().isBound()) {
            return same;
        }
        for (ServerSide side : sessions.values()) {
            if (side.receives() && Objects.equals(side.systemId, systemId) && side.session.getSessionState().isBound()) {
                return side;
            }
        }
        return null;
    }

    private void send(PendingReceipt receipt, ServerSide target) {
        String date = RECEIPT_DATE.format(receipt.submittedAt);
        String done = RECEIPT_DATE.format(Instant.now());
        String text = "id:" + receipt.messageId + " sub:001 dlvrd:001 submit date:" + date + " done date:" + done
                + " stat:DELIVRD err:000 text:";
        try {
            // A receipt goes from the handset back to the ESME: the addresses swap (SMPP 3.4 §4.6.1).
            target.session.deliverShortMessage("", receipt.destTon, receipt.destNpi, receipt.destination,
                    receipt.sourceTon, receipt.sourceNpi, receipt.source,
                    new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT),
                    (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO,
                    text.getBytes(StandardCharsets.US_ASCII),
                    new OptionalParameter.Receipted_message_id(receipt.messageId),
                    new OptionalParameter.Message_state(MessageState.DELIVERED.value()));
            receiptsSent.incrementAndGet();
        } catch (Exception e) {
            // The ESME refused it (e.g. ESME_RX_T_APPN), or the session went: a real SMSC would retry later.
            LOG.debug("SMSC simulator: receipt for {} not delivered: {}", receipt.messageId, e.toString());
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private ThreadFactory threads(String role) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "smsc-sim-" + instance + "-" + role + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /** One server session and what the simulator learned about it at bind. */
    private static final class ServerSide {
        final SMPPServerSession session;
        final TappingPduReader reader;
        volatile String systemId;
        volatile BindType bindType;

        ServerSide(SMPPServerSession session, TappingPduReader reader) {
            this.session = session;
            this.reader = reader;
        }

        boolean receives() {
            return bindType == BindType.BIND_TRX || bindType == BindType.BIND_RX;
        }
    }

    /** What a receipt needs from its submit_sm. */
    private static final class PendingReceipt {
        final String messageId;
        final String systemId;
        final Instant submittedAt;
        final TypeOfNumber sourceTon;
        final NumberingPlanIndicator sourceNpi;
        final String source;
        final TypeOfNumber destTon;
        final NumberingPlanIndicator destNpi;
        final String destination;

        PendingReceipt(String messageId, String systemId, SubmitSm submitSm, Instant submittedAt) {
            this.messageId = messageId;
            this.systemId = systemId;
            this.submittedAt = submittedAt;
            this.sourceTon = tonOf(submitSm.getSourceAddrTon());
            this.sourceNpi = npiOf(submitSm.getSourceAddrNpi());
            this.source = submitSm.getSourceAddr();
            this.destTon = tonOf(submitSm.getDestAddrTon());
            this.destNpi = npiOf(submitSm.getDestAddrNpi());
            this.destination = submitSm.getDestAddress();
        }

        private static TypeOfNumber tonOf(byte value) {
            try {
                return TypeOfNumber.valueOf(value);
            } catch (IllegalArgumentException e) {
                return TypeOfNumber.UNKNOWN;
            }
        }

        private static NumberingPlanIndicator npiOf(byte value) {
            try {
                return NumberingPlanIndicator.valueOf(value);
            } catch (IllegalArgumentException e) {
                return NumberingPlanIndicator.UNKNOWN;
            }
        }
    }

    /** A submit_sm_resp that remembers whether a receipt must follow once it is sent. */
    private static final class SimulatorSubmitResult extends SubmitSmResult {
        final PendingReceipt receipt;

        SimulatorSubmitResult(MessageId messageId, PendingReceipt receipt) {
            super(messageId, new OptionalParameter[0]);
            this.receipt = receipt;
        }
    }

    /** jSMPP's callbacks: submit_sm in, submit_sm_resp sent; every other request is refused. */
    private final class Receiver extends ServerResponseDeliveryAdapter implements ServerMessageReceiverListener {

        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
                throws ProcessRequestException {
            return submit(submitSm, source);
        }

        @Override
        public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
            // After the resp, not before: the ESME must know the message id before its receipt arrives.
            if (result instanceof SimulatorSubmitResult simulated && simulated.receipt != null) {
                scheduleReceipt(simulated.receipt, source);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
                                                               SMPPServerSession source)
                throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw unsupported();
        }

        private ProcessRequestException unsupported() {
            return new ProcessRequestException("not supported by the simulator", SMPPConstant.STAT_ESME_RINVCMDID);
        }
    }
}
