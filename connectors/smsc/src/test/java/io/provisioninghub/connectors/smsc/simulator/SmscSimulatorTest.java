package io.provisioninghub.connectors.smsc.simulator;

import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The SMSC simulator on its own, driven by a plain jSMPP client over TCP: binds, recording, receipts, faults,
 * down/up, throughput counters and the sandbox HTTP API.
 */
@ExtendWith(OutputCaptureExtension.class)
class SmscSimulatorTest {

    static final String SYSTEM_ID = "hub";
    static final String PASSWORD = "secret";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static SmscSimulator simulator;
    final List<SMPPSession> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        simulator = SmscSimulator.start(new SmscSimulatorSettings(0, 0, SYSTEM_ID, PASSWORD, false,
                Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void fresh() {
        simulator.faults().reset();
        simulator.up();
        simulator.clear();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SMPPSession::unbindAndClose);
    }

    // --- binds ------------------------------------------------------------------------------------------

    @Test
    void bindsAreCheckedAndCanBeRefused() {
        assertThat(bindStatus(BindType.BIND_TRX, "other", PASSWORD)).isEqualTo(0x0F);   // ESME_RINVSYSID
        assertThat(bindStatus(BindType.BIND_TRX, SYSTEM_ID, "wrong")).isEqualTo(0x0E);  // ESME_RINVPASWD
        simulator.faults().refuseBinds(true);
        assertThat(bindStatus(BindType.BIND_TRX, SYSTEM_ID, PASSWORD)).isEqualTo(0x0D); // ESME_RBINDFAIL
        simulator.faults().refuseBinds(false);
        assertThat(bindStatus(BindType.BIND_TRX, SYSTEM_ID, PASSWORD)).isZero();
    }

    // --- submit_sm --------------------------------------------------------------------------------------

    @Test
    void recordsTheSubmitWithItsRawPduAndDecodedUdh() throws Exception {
        SMPPSession client = bind(BindType.BIND_TRX, null);
        byte[] shortMessage = HexFormat.of().parseHex("06050491990000" + "00310032");

        String id = client.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Hub",
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "4915112345678", new ESMClass(0x40),
                (byte) 0, (byte) 0, null, null, new RegisteredDelivery(0), (byte) 0, DataCodings.newInstance((byte) 8),
                (byte) 0, shortMessage).getMessageId();

        RecordedSubmit submit = simulator.submits().get(0);
        assertThat(submit.messageId()).isEqualTo(id);
        assertThat(submit.systemId()).isEqualTo(SYSTEM_ID);
        assertThat(submit.commandStatus()).isZero();
        assertThat(submit.destinationAddress()).isEqualTo("4915112345678");
        assertThat(submit.udhHex()).isEqualTo("06050491990000");
        assertThat(submit.destinationPort()).isEqualTo(37273);
        assertThat(submit.concatTotal()).isNull();
        assertThat(submit.text()).isEqualTo("12");
        byte[] pdu = submit.pdu();
        // command_length, command_id submit_sm, command_status 0, then the sequence number
        assertThat(HexFormat.of().formatHex(pdu, 0, 12)).isEqualTo("%08x".formatted(pdu.length) + "00000004" + "00000000");
        assertThat(ByteBuffer.wrap(pdu, 12, 4).getInt()).isEqualTo(submit.sequenceNumber());
        // ... and the PDU ends with sm_length and the short message
        assertThat(Arrays.copyOfRange(pdu, pdu.length - shortMessage.length - 1, pdu.length))
                .isEqualTo(HexFormat.of().parseHex("0b" + "06050491990000" + "00310032"));
    }

    @Test
    void decodesConcatenationAndGsmText() throws Exception {
        SMPPSession client = bind(BindType.BIND_TX, null);
        byte[] shortMessage = HexFormat.of().parseHex("0500037f0302" + "48" + "1b65" + "00");

        submit(client, new ESMClass(0x40), (byte) 0, shortMessage, 0);

        RecordedSubmit submit = simulator.submits().get(0);
        assertThat(submit.concatReference()).isEqualTo(0x7f);
        assertThat(submit.concatTotal()).isEqualTo(3);
        assertThat(submit.concatSequence()).isEqualTo(2);
        assertThat(submit.destinationPort()).isNull();
        assertThat(submit.text()).isEqualTo("H€@");
    }

    // --- receipts ---------------------------------------------------------------------------------------

    @Test
    void aRequestedReceiptFollowsOnTheSameTransceiverSession() throws Exception {
        BlockingQueue<DeliverSm> delivered = new LinkedBlockingQueue<>();
        SMPPSession client = bind(BindType.BIND_TRX, delivered);

        String id = submit(client, new ESMClass(), (byte) 0, "hello".getBytes(StandardCharsets.US_ASCII), 1);

        DeliverSm receipt = delivered.poll(5, TimeUnit.SECONDS);
        assertThat(receipt).isNotNull();
        assertThat(receipt.getEsmClass()).isEqualTo((byte) 0x04);
        assertThat(receipt.getSourceAddr()).isEqualTo("4915112345678");
        assertThat(receipt.getDestAddress()).isEqualTo("Hub");
        assertThat(new String(receipt.getShortMessage(), StandardCharsets.US_ASCII))
                .matches("id:" + id + " sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000 text:");
        OptionalParameter tlv = receipt.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
        assertThat(((OptionalParameter.COctetString) tlv).getValueAsString()).isEqualTo(id);
        // counted once the deliver_sm_resp is back, which the client sends after its listener returned
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (simulator.receiptsSent() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(simulator.receiptsSent()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aReceiptForATransmitterGoesToAReceiverOfTheSameSystemIdAndNoneWhenNotRequested() throws Exception {
        BlockingQueue<DeliverSm> delivered = new LinkedBlockingQueue<>();
        SMPPSession transmitter = bind(BindType.BIND_TX, null);
        bind(BindType.BIND_RX, delivered);

        submit(transmitter, new ESMClass(), (byte) 0, "no receipt".getBytes(StandardCharsets.US_ASCII), 0);
        String id = submit(transmitter, new ESMClass(), (byte) 0, "receipt".getBytes(StandardCharsets.US_ASCII), 1);

        DeliverSm receipt = delivered.poll(5, TimeUnit.SECONDS);
        assertThat(new String(receipt.getShortMessage(), StandardCharsets.US_ASCII)).startsWith("id:" + id + " ");
        assertThat(delivered.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    // --- faults -----------------------------------------------------------------------------------------

    @Test
    void sharesAreDeterministicAndRejectAllWins() throws Exception {
        SMPPSession client = bind(BindType.BIND_TX, null);
        simulator.faults().throttleShare(0.25);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(status(() -> submit(client, new ESMClass(), (byte) 0, new byte[] {0x41}, 0)));
        }
        simulator.faults().reset().queueFullShare(0.5);
        statuses.add(status(() -> submit(client, new ESMClass(), (byte) 0, new byte[] {0x41}, 0)));
        statuses.add(status(() -> submit(client, new ESMClass(), (byte) 0, new byte[] {0x41}, 0)));
        simulator.faults().rejectAll(0x0B);
        statuses.add(status(() -> submit(client, new ESMClass(), (byte) 0, new byte[] {0x41}, 0)));

        assertThat(statuses).containsExactly(0, 0, 0, 0x58, 0, 0, 0, 0x58, 0, 0x14, 0x0B);
        assertThat(simulator.submits()).extracting(RecordedSubmit::commandStatus).containsExactlyElementsOf(statuses);
        assertThat(simulator.submits()).filteredOn(s -> !s.accepted()).extracting(RecordedSubmit::messageId)
                .containsOnlyNulls();
        assertThat(simulator.acceptedCount()).isEqualTo(7);
    }

    @Test
    void downStopsListeningAndUpListensOnTheSamePort() throws Exception {
        SMPPSession client = bind(BindType.BIND_TRX, null);
        int port = simulator.smppPort();

        simulator.down();

        assertThat(catchThrowable(() -> new Socket("127.0.0.1", port).close())).isInstanceOf(ConnectException.class);
        awaitClosed(client);
        simulator.up();
        assertThat(simulator.smppPort()).isEqualTo(port);
        assertThat(bindStatus(BindType.BIND_TRX, SYSTEM_ID, PASSWORD)).isZero();
    }

    @Test
    void dropConnectionsClosesSessionsButKeepsListening() throws Exception {
        SMPPSession client = bind(BindType.BIND_TRX, null);

        simulator.faults().dropConnections();

        awaitClosed(client);
        assertThat(simulator.isUp()).isTrue();
        assertThat(bindStatus(BindType.BIND_TRX, SYSTEM_ID, PASSWORD)).isZero();
    }

    // --- throughput -------------------------------------------------------------------------------------

    @Test
    void countsAcceptedSubmitsPerSecondAndInASlidingSecond() throws Exception {
        SMPPSession client = bind(BindType.BIND_TX, null);
        simulator.faults().throttleShare(0.5);

        for (int i = 0; i < 100; i++) {
            status(() -> submit(client, new ESMClass(), (byte) 0, new byte[] {0x41}, 0));
        }

        long[] perSecond = simulator.submitsPerSecond();
        assertThat(Arrays.stream(perSecond).sum()).isEqualTo(50);
        assertThat(simulator.acceptedNanoTimes()).hasSize(50).isSorted();
        assertThat(simulator.maxInAnySlidingSecond())
                .isBetween((int) Arrays.stream(perSecond).max().orElseThrow(), 50);
    }

    // --- the sandbox HTTP API ---------------------------------------------------------------------------

    @Test
    void faultsOverHttp() throws Exception {
        HttpResponse<String> put = send("PUT", SimulatorHttp.FAULTS_PATH,
                "{\"throttleShare\":0.5,\"rejectAllStatus\":69,\"responseDelayMs\":10,\"refuseBinds\":true}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{\"throttleShare\":0.5,\"queueFullShare\":0.0,\"rejectAllStatus\":69,"
                + "\"responseDelayMs\":10,\"refuseBinds\":true,\"down\":false}");
        assertThat(simulator.faults().responseDelay()).isEqualTo(Duration.ofMillis(10));

        HttpResponse<String> bad = send("PUT", SimulatorHttp.FAULTS_PATH, "{\"throttleShare\":2,\"refuseBinds\":false}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(simulator.faults().refuseBinds()).isTrue(); // a bad request changes nothing
        assertThat(send("PUT", SimulatorHttp.FAULTS_PATH, "{\"colour\":1}").statusCode()).isEqualTo(400);

        assertThat(send("PUT", SimulatorHttp.FAULTS_PATH, "{\"down\":true}").body()).contains("\"down\":true");
        assertThat(simulator.isUp()).isFalse();
        HttpResponse<String> reset = send("DELETE", SimulatorHttp.FAULTS_PATH, null);
        assertThat(reset.body()).isEqualTo("{\"throttleShare\":0.0,\"queueFullShare\":0.0,\"rejectAllStatus\":0,"
                + "\"responseDelayMs\":0,\"refuseBinds\":false,\"down\":false}");
        assertThat(simulator.isUp()).isTrue();
    }

    @Test
    void smsAndStatsOverHttp() throws Exception {
        SMPPSession client = bind(BindType.BIND_TX, null);
        submit(client, new ESMClass(), (byte) 0, "Hi!".getBytes(StandardCharsets.US_ASCII), 0);

        HttpResponse<String> sms = send("GET", SimulatorHttp.SMS_PATH + "?destination=+4915112345678", null);
        HttpResponse<String> stats = send("GET", SimulatorHttp.STATS_PATH, null);

        assertThat(sms.statusCode()).isEqualTo(200);
        assertThat(sms.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
        assertThat(sms.body()).contains("\"destinationAddress\":\"4915112345678\"", "\"commandStatus\":0",
                "\"shortMessageHex\":\"486921\"", "\"text\":\"Hi!\"");
        assertThat(send("GET", SimulatorHttp.SMS_PATH + "?destination=%2B15550000000", null).body()).isEqualTo("[]");
        assertThat(stats.body()).contains("\"up\":true", "\"accepted\":1", "\"maxInAnySlidingSecond\":1");

        assertThat(send("DELETE", SimulatorHttp.SMS_PATH, null).statusCode()).isEqualTo(204);
        assertThat(simulator.submits()).isEmpty();
        assertThat(send("POST", SimulatorHttp.SMS_PATH, "{}").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/elsewhere", null).statusCode()).isEqualTo(404);
    }

    // --- logging ----------------------------------------------------------------------------------------

    @Test
    void logsTheTextOnlyWhenAskedTo(CapturedOutput output) throws Exception {
        submit(bind(BindType.BIND_TX, null), new ESMClass(), (byte) 0, "quiet 1111".getBytes(StandardCharsets.US_ASCII), 0);
        try (SmscSimulator chatty = SmscSimulator.start(new SmscSimulatorSettings(0, -1, null, null, true, null))) {
            SMPPSession client = new SMPPSession();
            clients.add(client);
            client.connectAndBind("127.0.0.1", chatty.smppPort(), new BindParameter(BindType.BIND_TX, "any", "x",
                    "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
            submit(client, new ESMClass(), (byte) 0, "loud 2222".getBytes(StandardCharsets.US_ASCII), 0);

            assertThat(chatty.httpPort()).isEqualTo(-1);
            assertThat(chatty.submits()).singleElement().extracting(RecordedSubmit::systemId).isEqualTo("any");
        }

        assertThat(output.getAll()).contains("SMS to +4915112345678 (data_coding 0x00), answered id ")
                .contains(": loud 2222").doesNotContain("quiet 1111");
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private SMPPSession bind(BindType type, BlockingQueue<DeliverSm> delivered) throws IOException {
        SMPPSession client = new SMPPSession();
        clients.add(client);
        if (delivered != null) {
            client.setMessageReceiverListener(new MessageReceiverListener() {
                @Override
                public void onAcceptDeliverSm(DeliverSm deliverSm) {
                    delivered.add(deliverSm);
                }

                @Override
                public void onAcceptAlertNotification(AlertNotification alertNotification) {
                }

                @Override
                public DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm dataSm, Session source) {
                    return null;
                }
            });
        }
        client.connectAndBind("127.0.0.1", simulator.smppPort(), new BindParameter(type, SYSTEM_ID, PASSWORD, "",
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        return client;
    }

    private int bindStatus(BindType type, String systemId, String password) {
        SMPPSession client = new SMPPSession();
        clients.add(client);
        Throwable failure = catchThrowable(() -> client.connectAndBind("127.0.0.1", simulator.smppPort(),
                new BindParameter(type, systemId, password, "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN,
                        null)));
        if (failure == null) {
            return 0;
        }
        assertThat(failure.getCause()).isInstanceOf(NegativeResponseException.class);
        return ((NegativeResponseException) failure.getCause()).getCommandStatus();
    }

    private static String submit(SMPPSession client, ESMClass esmClass, byte dataCoding, byte[] shortMessage,
                                 int registeredDelivery) throws Exception {
        return client.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Hub",
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "4915112345678", esmClass, (byte) 0, (byte) 0,
                null, null, new RegisteredDelivery(registeredDelivery), (byte) 0, DataCodings.newInstance(dataCoding),
                (byte) 0, shortMessage).getMessageId();
    }

    private interface Submit {
        void run() throws Exception;
    }

    private static int status(Submit submit) {
        try {
            submit.run();
            return 0;
        } catch (NegativeResponseException e) {
            return e.getCommandStatus();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitClosed(SMPPSession client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.getSessionState().isBound() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(client.getSessionState().isBound()).isFalse();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void settingsNeverPrintThePassword() {
        assertThat(new SmscSimulatorSettings(0, -1, "hub", "secret", false, null).toString())
                .contains("password=******", "receiptDelay=PT0.1S").doesNotContain("secret");
        assertThatThrownBy(() -> new SmscSimulatorSettings(0, -2, null, null, false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
