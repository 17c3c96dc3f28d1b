package io.provisioninghub.connectors.smsc;

import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulatorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.MSISDN;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.MSISDN_DIGITS;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.PASSWORD;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.SYSTEM_ID;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.TRANSACTION_TIMER;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.await;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.startHub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bind the SMSC never answers. jSMPP waits a fixed 60 s for the bind_resp, and is not woken when the connection
 * closes under it; until then the hub sent nothing, bound nothing, and its shutdown waited for the probe. The
 * supervisor gives such a bind up after {@code hub.smsc.bind-timeout}, or at once when the connection closes, and
 * binds again after {@code hub.smsc.reconnect-delay}. Each test has its own simulator and hub: a bind left
 * unanswered stays so on the simulator's side.
 */
@ExtendWith(OutputCaptureExtension.class)
class SmscBindTimeoutTest {

    /** Long enough for a bind on a loaded 2-core build machine, short enough for a quick test. */
    static final Duration BIND_TIMEOUT = Duration.ofSeconds(3);
    /** {@link CamelSmscClientTest#startHub}'s. */
    static final Duration RECONNECT_DELAY = Duration.ofMillis(200);
    /** Given up, then bound again: far below jSMPP's 60 s. */
    static final Duration BOUND_AGAIN_WITHIN = BIND_TIMEOUT.plus(RECONNECT_DELAY).plusSeconds(3);
    /** jSMPP's line when its wait for the bind_resp ends, on the thread that waited (logback-test.xml's pattern). */
    static final String CUT_ON_CONNECTOR = "[smsc-connector] org.jsmpp.session.SMPPSession - Time out waiting for bind";
    static final String CUT_ON_CAMEL_RECONNECT =
            "smpp-producer-reconnect] org.jsmpp.session.SMPPSession - Time out waiting for bind";

    SmscSimulator simulator;
    ConfigurableApplicationContext hub;
    SmscClient client;
    SmscSessionSupervisor session;

    @BeforeEach
    void start() {
        simulator = SmscSimulator.start(new SmscSimulatorSettings(0, -1, SYSTEM_ID, PASSWORD, false,
                Duration.ofMillis(50)));
    }

    @AfterEach
    void stop(CapturedOutput output) {
        if (hub != null) {
            hub.close();
        }
        simulator.close();
        assertThat(output.getAll()).doesNotContain(MSISDN_DIGITS);
    }

    // The hub's own bind (thread smsc-connector) meets an SMSC that reads the bind and never answers.
    @Test
    void anUnansweredBindIsGivenUpAfterTheBindTimeout(CapturedOutput output) {
        startTheHub();
        leaveTheSupervisorsNextBindUnanswered();

        // Meanwhile a submit waits for the bind under way, at most the transaction timer, as before.
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.submit(otp("otp-1"))).isInstanceOf(SmscUnavailableException.class);
        assertThat(since(started)).isLessThan(TRANSACTION_TIMER.plusSeconds(1));

        simulator.faults().silentBinds(false);
        long cleared = System.nanoTime();
        await("bound again", BOUND_AGAIN_WITHIN, session::isBound);
        assertThat(client.submit(otp("otp-2"))).hasSize(1);
        assertThat(since(cleared)).isLessThan(BOUND_AGAIN_WITHIN);
        assertThat(simulator.submits()).hasSize(1);
        assertThat(output.getAll()).contains("given up: no bind_resp within " + BIND_TIMEOUT.toMillis() + " ms",
                CUT_ON_CONNECTOR);
    }

    // After a dropped connection camel-smpp binds again at once on its own reconnect thread, holding its connect
    // lock: that bind is watched as well.
    @Test
    void anUnansweredBindOfCamelSmppsOwnReconnectIsGivenUpToo(CapturedOutput output) {
        startTheHub();
        long before = simulator.unansweredBinds();
        simulator.faults().silentBinds(true).dropConnections();
        awaitUnansweredBind(before);

        simulator.faults().silentBinds(false);
        long cleared = System.nanoTime();
        await("bound again", BOUND_AGAIN_WITHIN, session::isBound);
        assertThat(client.submit(otp("otp-3"))).hasSize(1);
        assertThat(since(cleared)).isLessThan(BOUND_AGAIN_WITHIN);
        assertThat(output.getAll()).contains("given up: no bind_resp within", CUT_ON_CAMEL_RECONNECT);
    }

    // The incident: the SMSC went down while a bind was under way; jSMPP kept waiting for its bind_resp.
    @Test
    void theSmscGoingDownUnderABindEndsItAtOnce(CapturedOutput output) {
        startTheHub();
        leaveTheSupervisorsNextBindUnanswered();
        assertThat(session.isBinding()).isTrue();

        simulator.down();

        // at once, not at the bind timeout
        await("the bind given up", BIND_TIMEOUT.dividedBy(2), () -> !session.isBinding());
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.submit(otp("otp-4"))).isInstanceOf(SmscUnavailableException.class);
        assertThat(since(started)).isLessThan(TRANSACTION_TIMER.dividedBy(2));
        assertThat(output.getAll()).contains("given up: the connection closed before the bind_resp",
                CUT_ON_CONNECTOR);

        simulator.faults().silentBinds(false);
        simulator.up();
        await("bound again", RECONNECT_DELAY.plusSeconds(3), session::isBound);
        assertThat(client.submit(otp("otp-5"))).hasSize(1);
    }

    // Camel's shutdown waits for inflight exchanges, and the probe stuck in the bind was one: 45 s.
    @Test
    void closingTheHubGivesUpABindUnderWayAndWakesTheSubmitWaitingForIt(CapturedOutput output) throws Exception {
        Duration transactionTimer = Duration.ofSeconds(4);
        startTheHub("hub.smsc.transaction-timer=" + transactionTimer.toMillis() + "ms");
        assertThat(hub.getBean(SmscProperties.class).transactionTimer()).isEqualTo(transactionTimer);
        leaveTheSupervisorsNextBindUnanswered();
        CompletableFuture<Duration> waiting = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.submit(otp("otp-6"))).isInstanceOf(SmscUnavailableException.class);
            return since(started);
        });
        Thread.sleep(300);

        long closing = System.nanoTime();
        hub.close();
        Duration closed = since(closing);
        hub = null;

        assertThat(closed).isLessThan(Duration.ofSeconds(5));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isLessThan(transactionTimer.minusSeconds(1));
        assertThat(simulator.submits()).isEmpty();
        assertThat(output.getAll()).contains("given up: the hub is stopping", CUT_ON_CONNECTOR);
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private void startTheHub(String... more) {
        String[] properties = new String[more.length + 1];
        properties[0] = "hub.smsc.bind-timeout=" + BIND_TIMEOUT.toMillis() + "ms";
        System.arraycopy(more, 0, properties, 1, more.length);
        hub = startHub(simulator.smppPort(), properties);
        client = hub.getBean(SmscClient.class);
        session = hub.getBean(SmscSessionSupervisor.class);
        await("bound at start", Duration.ofSeconds(10), session::isBound);
    }

    /**
     * The SMSC goes down, and comes back answering no bind once camel-smpp's one immediate reconnect has met the
     * refused connection (it takes milliseconds; the pause is generous): the next bind is the supervisor's, on
     * {@code smsc-connector}. The tests check that thread in jSMPP's log line ({@link #CUT_ON_CONNECTOR}).
     */
    private void leaveTheSupervisorsNextBindUnanswered() {
        simulator.down();
        await("the hub sees the session go", Duration.ofSeconds(5), () -> !session.isBound());
        try {
            Thread.sleep(RECONNECT_DELAY.multipliedBy(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        long before = simulator.unansweredBinds();
        simulator.faults().silentBinds(true);
        simulator.up();
        awaitUnansweredBind(before);
    }

    private void awaitUnansweredBind(long before) {
        await("a bind left unanswered", Duration.ofSeconds(10), () -> simulator.unansweredBinds() > before);
        assertThat(session.isBound()).isFalse();
    }

    private static SmsMessage otp(String reference) {
        return new SmsMessage(reference, MSISDN, new SmsContent.PortAddressed(37273, "12345678"));
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }
}
