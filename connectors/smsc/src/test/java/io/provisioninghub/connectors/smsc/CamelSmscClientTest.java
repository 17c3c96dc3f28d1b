package io.provisioninghub.connectors.smsc;

import io.provisioninghub.connectors.smsc.SmscTestApplication.RecordingReceiptListener;
import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The SMSC connector (INT-3) end to end: the hub's auto-configured Camel routes and client, over real TCP, to
 * the SMSC simulator; every octet is checked where it arrives, in the simulator, not in the route.
 * <p>
 * No log line may carry the destination or the text: every test sends to {@link #MSISDN} and the check runs
 * after each test over everything the test printed.
 */
@ExtendWith(OutputCaptureExtension.class)
class CamelSmscClientTest {

    static final String MSISDN = "+4915112345678";
    static final String MSISDN_DIGITS = "4915112345678";
    static final String SYSTEM_ID = "hub";
    static final String PASSWORD = "secret";
    /** Short enough that the timeout test is quick, long enough for a loaded 2-core build machine. */
    static final Duration TRANSACTION_TIMER = Duration.ofMillis(1500);

    static SmscSimulator simulator;
    static ConfigurableApplicationContext app;
    static SmscClient client;
    static SmscSessionSupervisor session;
    static RecordingReceiptListener receipts;

    /** Texts the current test sent: none may show up in the output. */
    final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void start() {
        simulator = SmscSimulator.start(new SmscSimulatorSettings(0, 0, SYSTEM_ID, PASSWORD, false,
                Duration.ofMillis(50)));
        app = startHub(simulator.smppPort());
        client = app.getBean(SmscClient.class);
        session = app.getBean(SmscSessionSupervisor.class);
        receipts = app.getBean(RecordingReceiptListener.class);
        await("bound at start", Duration.ofSeconds(10), session::isBound);
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

    @BeforeEach
    void fresh() {
        simulator.clear();
        receipts.receipts.clear();
    }

    @AfterEach
    void noSecretsInTheLog(CapturedOutput output) {
        simulator.faults().reset();
        simulator.up();
        await("bound again after the test", Duration.ofSeconds(10), session::isBound);
        assertThat(output.getAll()).doesNotContain(MSISDN_DIGITS);
        for (String secret : secrets) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    // --- formats, checked at the SMSC ---------------------------------------------------------------------

    // RCC.14 §2.3.3 step 1: the OTP to the client's port 37273, UCS2, UDH 06 05 04 91 99 00 00
    @Test
    void portAddressedOtpArrivesOctetForOctet() {
        secrets.add("12345678");

        List<String> ids = client.submit(new SmsMessage("otp-1", MSISDN, new SmsContent.PortAddressed(37273, "12345678")));

        assertThat(ids).hasSize(1);
        RecordedSubmit submit = single();
        assertThat(submit.esmClass()).isEqualTo(0x40);
        assertThat(submit.dataCoding()).isEqualTo(0x08);
        assertThat(submit.registeredDelivery()).isEqualTo(0x01);
        assertThat(submit.destinationAddress()).isEqualTo(MSISDN_DIGITS);
        assertThat(submit.sourceAddress()).isEqualTo("Hub");
        assertThat(submit.udh()).containsExactly(0x06, 0x05, 0x04, 0x91, 0x99, 0x00, 0x00);
        assertThat(submit.destinationPort()).isEqualTo(37273);
        assertThat(submit.shortMessage()).containsExactly(
                0x06, 0x05, 0x04, 0x91, 0x99, 0x00, 0x00,
                0x00, '1', 0x00, '2', 0x00, '3', 0x00, '4', 0x00, '5', 0x00, '6', 0x00, '7', 0x00, '8');
        assertThat(submit.text()).isEqualTo("12345678");
        assertThat(submit.messageId()).isEqualTo(ids.get(0));

        // The whole PDU as it crossed the wire (docs/sms-formats.md walks through it field by field).
        byte[] expected = HexFormat.of().parseHex(
                "00000048" + "00000004" + "00000000" + "%08x".formatted(submit.sequenceNumber())
                        + "00"                                   // service_type ""
                        + "05" + "00" + "48756200"               // source TON 5 alphanumeric, NPI 0, "Hub"
                        + "01" + "01" + "3439313531313233343536373800" // dest TON 1, NPI 1, "4915112345678"
                        + "40" + "00" + "00"                     // esm_class UDHI, protocol_id, priority_flag
                        + "00" + "00"                            // schedule_delivery_time "", validity_period ""
                        + "01" + "00" + "08" + "00"              // registered_delivery, replace, data_coding UCS2, sm_default_msg_id
                        + "17"                                   // sm_length 23
                        + "06050491990000"                       // UDH: 16-bit application port 37273
                        + "00310032003300340035003600370038");   // "12345678" UTF-16BE
        assertThat(submit.pdu()).containsExactly(expected);
    }

    @Test
    void anotherPortAndTextArriveAsEncoded() {
        secrets.add("Kód");

        client.submit(new SmsMessage("otp-2", MSISDN, new SmsContent.PortAddressed(2948, "Kód 42")));

        RecordedSubmit submit = single();
        assertThat(submit.udhHex()).isEqualTo("0605040b840000");
        assertThat(submit.destinationPort()).isEqualTo(2948);
        assertThat(submit.text()).isEqualTo("Kód 42");
        assertThat(submit.userData()).isEqualTo("Kód 42".getBytes(StandardCharsets.UTF_16BE));
    }

    // RCC.14 §2.3.3 step 2: a user-visible SMS in the GSM default alphabet, longer than one SMS
    @Test
    void longGsmTextArrivesAsConcatenatedSegments() {
        String text = "Your configuration code is 4711. " + "Enter it in the messaging app within 10 minutes; "
                .repeat(4) + "Questions? {support}";
        assertThat(GsmAlphabet.septets(text)).isBetween(154, 306);
        secrets.add("Your configuration code is 4711");

        List<String> ids = client.submit(new SmsMessage("plain-1", MSISDN, new SmsContent.Plain(text)));

        List<RecordedSubmit> submits = simulator.submits();
        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        assertThat(submits).hasSize(2);
        int reference = submits.get(0).concatReference();
        for (int i = 0; i < 2; i++) {
            RecordedSubmit segment = submits.get(i);
            assertThat(segment.esmClass()).isEqualTo(0x40);
            assertThat(segment.dataCoding()).isEqualTo(0x00);
            assertThat(segment.udh()).containsExactly(0x05, 0x00, 0x03, reference, 2, i + 1);
            assertThat(segment.messageId()).isEqualTo(ids.get(i));
        }
        assertThat(submits.get(0).userData()).hasSize(153);
        assertThat(submits.get(0).text() + submits.get(1).text()).isEqualTo(text);
        // unpacked septets: '{' is the escape pair 1B 28
        assertThat(HexFormat.of().formatHex(submits.get(1).userData())).contains("1b28");
    }

    @Test
    void textOutsideTheGsmAlphabetArrivesAsUcs2() {
        secrets.add("Ваш код");

        client.submit(new SmsMessage("plain-2", MSISDN, new SmsContent.Plain("Ваш код 4711")));

        RecordedSubmit submit = single();
        assertThat(submit.esmClass()).isEqualTo(0x00);
        assertThat(submit.dataCoding()).isEqualTo(0x08);
        assertThat(submit.udh()).isNull();
        assertThat(submit.shortMessage()).isEqualTo("Ваш код 4711".getBytes(StandardCharsets.UTF_16BE));
    }

    // --- delivery receipts ------------------------------------------------------------------------------

    @Test
    void deliveryReceiptReachesTheListenerWithTheSubmittedId() throws InterruptedException {
        secrets.add("87654321");

        String id = client.submit(new SmsMessage("otp-3", MSISDN, new SmsContent.PortAddressed(37273, "87654321")))
                .get(0);

        // Receipts of earlier tests' SMS may still come in: wait for this one's.
        DeliveryReceipt receipt = receiptFor(id, Duration.ofSeconds(10));
        assertThat(receipt.smscMessageId()).isEqualTo(id);
        assertThat(receipt.state()).isEqualTo("DELIVRD");
        assertThat(receipt.errorCode()).isEqualTo("000");
        assertThat(receipt.doneAt()).isNotNull();
    }

    // At least once: a listener that fails makes the hub answer the deliver_sm with an error, so the SMSC keeps it.
    @Test
    void aFailingListenerRefusesTheReceipt() throws InterruptedException {
        receipts.failing = true;
        try {
            long sentBefore = simulator.receiptsSent();

            String id = client.submit(new SmsMessage("otp-15", MSISDN, new SmsContent.PortAddressed(37273, "36363636")))
                    .get(0);

            receiptFor(id, Duration.ofSeconds(10));
            Thread.sleep(200);
            // the simulator counts a receipt only on deliver_sm_resp OK; here it got ESME_RX_T_APPN
            assertThat(simulator.receiptsSent()).isEqualTo(sentBefore);
            assertThat(session.isBound()).isTrue();
        } finally {
            receipts.failing = false;
        }
    }

    // --- failures ---------------------------------------------------------------------------------------

    @Test
    void throttlingIsAThrottledException() {
        secrets.add("31415926");
        simulator.faults().throttleShare(1.0);

        SmscThrottledException throttled = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-4", MSISDN, new SmsContent.PortAddressed(37273, "31415926"))),
                SmscThrottledException.class);

        assertThat(throttled.commandStatus()).isEqualTo(0x58);
        assertThat(throttled.transientFailure()).isTrue();
        assertThat(throttled.getMessage()).contains("otp-4", "ESME_RTHROTTLED").doesNotContain(MSISDN_DIGITS, "31415926");

        simulator.faults().reset().queueFullShare(1.0);
        SmscThrottledException queueFull = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-5", MSISDN, new SmsContent.PortAddressed(37273, "31415926"))),
                SmscThrottledException.class);
        assertThat(queueFull.commandStatus()).isEqualTo(0x14);
        assertThat(simulator.submits()).extracting(RecordedSubmit::commandStatus).containsExactly(0x58, 0x14);
    }

    @Test
    void anyOtherStatusIsARejection() {
        secrets.add("27182818");
        simulator.faults().rejectAll(0x0B);

        SmscRejectedException rejected = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-6", MSISDN, new SmsContent.PortAddressed(37273, "27182818"))),
                SmscRejectedException.class);

        assertThat(rejected.commandStatus()).isEqualTo(0x0B);
        assertThat(rejected.transientFailure()).isFalse();
        assertThat(rejected.getMessage()).contains("ESME_RINVDSTADR").doesNotContain(MSISDN_DIGITS, "27182818");
    }

    @Test
    void noAnswerWithinTheTransactionTimerIsUnavailable() {
        simulator.faults().responseDelay(TRANSACTION_TIMER.plusMillis(500));

        long started = System.nanoTime();
        SmscUnavailableException unavailable = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-7", MSISDN, new SmsContent.PortAddressed(37273, "11111111"))),
                SmscUnavailableException.class);

        assertThat(unavailable.getMessage()).contains("transaction timer");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TRANSACTION_TIMER.plusSeconds(1));
        // The simulator records the submit_sm once its delayed answer is out: wait for it here, or it lands in
        // the next test's submits.
        await("the late submit_sm recorded", Duration.ofSeconds(5), () -> simulator.submits().size() == 1);
    }

    // The hub waits for the SMSC: unavailable while it is down, sent again once it is back.
    @Test
    void smscDownIsUnavailableAtOnceAndTheSessionComesBackWhenItIsUp() {
        secrets.add("55550000");
        simulator.down();
        await("the hub sees the session go", Duration.ofSeconds(5), () -> !session.isBound());

        long started = System.nanoTime();
        SmscUnavailableException unavailable = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-8", MSISDN, new SmsContent.PortAddressed(37273, "55550000"))),
                SmscUnavailableException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(unavailable.transientFailure()).isTrue();
        assertThat(took).isLessThan(TRANSACTION_TIMER);

        simulator.up();
        await("bound again", Duration.ofSeconds(10), session::isBound);
        assertThat(client.submit(new SmsMessage("otp-8", MSISDN, new SmsContent.PortAddressed(37273, "55550000"))))
                .hasSize(1);
        assertThat(simulator.submits()).hasSize(1);
    }

    @Test
    void aDroppedConnectionIsBoundAgain() {
        Instant before = session.boundSince().orElseThrow();
        simulator.faults().dropConnections();

        // camel-smpp's immediate reconnect, or the supervisor's next attempt
        await("bound to a new session", Duration.ofSeconds(10),
                () -> session.boundSince().filter(since -> since.isAfter(before)).isPresent());
        assertThat(client.submit(new SmsMessage("otp-9", MSISDN, new SmsContent.PortAddressed(37273, "12121212"))))
                .hasSize(1);
    }

    @Test
    void aRefusedBindIsUnavailable() {
        simulator.faults().refuseBinds(true).dropConnections();
        await("the hub sees the session go", Duration.ofSeconds(5), () -> !session.isBound());

        long started = System.nanoTime();
        SmscUnavailableException unavailable = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-10", MSISDN, new SmsContent.PortAddressed(37273, "13131313"))),
                SmscUnavailableException.class);

        assertThat(unavailable).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThanOrEqualTo(TRANSACTION_TIMER.plusMillis(500));
        assertThat(simulator.submits()).isEmpty();
        // ... and stays so while the SMSC refuses: the supervisor keeps trying, no caller hangs.
        assertThat(session.isBound()).isFalse();
    }

    @Test
    void contentThatCannotBeEncodedIsRejectedBeforeAnythingIsSent() {
        String tooLong = "9".repeat(67);

        SmscRejectedException rejected = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-11", MSISDN, new SmsContent.PortAddressed(37273, tooLong))),
                SmscRejectedException.class);
        SmscRejectedException badNumber = catchThrowableOfType(
                () -> client.submit(new SmsMessage("otp-12", "+49-151", new SmsContent.Plain("hello"))),
                SmscRejectedException.class);

        assertThat(rejected.commandStatus()).isEqualTo(-1);
        assertThat(badNumber.getMessage()).isEqualTo("destination is not an E.164 number");
        assertThat(simulator.submits()).isEmpty();
    }

    // --- the sandbox API --------------------------------------------------------------------------------

    @Test
    void sandboxApiListsTheSmsWithTheirText() throws Exception {
        client.submit(new SmsMessage("otp-13", MSISDN, new SmsContent.PortAddressed(37273, "24682468")));
        client.submit(new SmsMessage("otp-14", "+15550000001", new SmsContent.Plain("other")));
        secrets.add("24682468");

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + simulator.httpPort() + "/sandbox/sms";
        for (String query : List.of("?destination=%2B" + MSISDN_DIGITS, "?destination=" + MSISDN_DIGITS)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .startsWith("[{")
                    .contains("\"text\":\"24682468\"", "\"destinationPort\":37273", "\"dataCoding\":8",
                            "\"esmClass\":64", "\"udhHex\":\"06050491990000\"")
                    .doesNotContain("other");
        }
        HttpResponse<String> all = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(all.body()).contains("24682468", "other");
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private static DeliveryReceipt receiptFor(String id, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            DeliveryReceipt receipt = receipts.receipts.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (receipt != null && receipt.smscMessageId().equals(id)) {
                return receipt;
            }
        }
        throw new AssertionError("no receipt for " + id + " within " + max);
    }

    private static RecordedSubmit single() {
        List<RecordedSubmit> submits = simulator.submits();
        assertThat(submits).hasSize(1);
        return submits.get(0);
    }

    static ConfigurableApplicationContext startHub(int smppPort, String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "hub.smsc.host=127.0.0.1",
                "hub.smsc.port=" + smppPort,
                "hub.smsc.system-id=" + SYSTEM_ID,
                "hub.smsc.password=" + PASSWORD,
                "hub.smsc.transaction-timer=" + TRANSACTION_TIMER.toMillis() + "ms",
                "hub.smsc.reconnect-delay=200ms",
                "hub.smsc.enquire-link-timer=5s"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(SmscTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    static void await(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + max);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
