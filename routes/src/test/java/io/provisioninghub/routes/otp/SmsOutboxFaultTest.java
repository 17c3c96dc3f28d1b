package io.provisioninghub.routes.otp;

import io.provisioninghub.connectors.smsc.SmsContent;
import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.routes.sms.SmsOutbox;
import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.provisioninghub.routes.support.DeviceClient.table9;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * INT-3: no accepted SMS is lost to the SMSC being down or throttling, or to a restart of the hub; none is sent
 * twice; the sender never exceeds its cap. Each test runs a hub of its own, but the SMSC outage, which runs on the
 * shared one.
 */
class SmsOutboxFaultTest {

    private final List<HubInstance> hubs = new ArrayList<>();

    @AfterEach
    void stopHubs() {
        hubs.forEach(HubInstance::close);
    }

    private HubInstance start(Map<String, String> overrides) {
        HubInstance hub = HubInstance.start(overrides);
        hubs.add(hub);
        return hub;
    }

    @Test // INT-3, OTP-2: SMSC down when the OTP is requested → the answer does not wait; the SMS arrives once it is back
    void smsWaitsForTheSmscToComeBack() throws Exception {
        // The shared hub (a hub start less): its SMSC is back up when this test ends, whatever happens.
        HubInstance hub = HubInstance.shared();
        SmscSimulator smsc = hub.sandbox().smsc().orElseThrow();
        try {
            smscOutage(hub, smsc);
        } finally {
            smsc.up();
        }
    }

    private static void smscOutage(HubInstance hub, SmscSimulator smsc) throws Exception {
        Subscribers user = Subscribers.generated(20_501);
        // The SMSC goes away after the hub bound to it (the outage this test is about, not one mid-bind).
        var session = hub.context().getBean(io.provisioninghub.connectors.smsc.SmscSessionSupervisor.class);
        long bindDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!session.isBound() && System.nanoTime() < bindDeadline) {
            sleep(100);
        }
        assertThat(session.isBound()).isTrue();
        smsc.down();

        long started = System.nanoTime();
        HttpResponse<String> response = hub.device().secureRequest(table9(null, user.msisdn(), "", null), null, Map.of());
        long answeredMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(answeredMillis).isLessThan(3000); // the HTTP answer never waits on the SMSC
        Thread.sleep(2000);
        assertThat(hub.smsc().to(user.msisdn())).isEmpty();
        assertThat(hub.hubDatabase().queryForObject("SELECT state FROM sms_message WHERE msisdn = ?", String.class,
                user.msisdn())).isIn("retrying", "submitting", "queued");

        smsc.up();

        RecordedSubmit sms = hub.smsc().awaitSubmit(user.msisdn(), 1, Duration.ofSeconds(30));
        assertThat(sms.text()).matches("[0-9]{6}");
        Thread.sleep(1500);
        assertThat(hub.smsc().to(user.msisdn())).hasSize(1);
        awaitState(hub, user.msisdn(), "submitted");
        // INT-3: the delivery receipt was requested, correlated by the SMSC's message id, and recorded.
        assertThat(sms.registeredDelivery() & 0x01).isEqualTo(1);
        awaitDelivery(hub, user.msisdn());
        assertThat(hub.hubDatabase().queryForObject("SELECT s.smsc_message_id FROM sms_segment s JOIN sms_message m "
                + "ON m.reference = s.reference WHERE m.msisdn = ?", String.class, user.msisdn())).isEqualTo(sms.messageId());
    }

    private static void awaitDelivery(HubInstance hub, String msisdn) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = hub.hubDatabase().queryForObject("SELECT delivery_state FROM sms_message WHERE msisdn = ?", String.class, msisdn);
            if ("DELIVRD".equals(state)) {
                return;
            }
            sleep(100);
        }
        assertThat(state).isEqualTo("DELIVRD");
    }

    @Test // INT-3: 20 % ESME_RTHROTTLED → every SMS delivered, each once, and never over the cap in any second
    void throttledSubmitsAreRetriedWithinTheCap() {
        HubInstance hub = start(Map.of("hub.sms.rate-per-second", "50"));
        SmscSimulator smsc = hub.sandbox().smsc().orElseThrow();
        smsc.faults().throttleShare(0.2);
        SmsOutbox outbox = hub.context().getBean(SmsOutbox.class);
        List<String> destinations = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String msisdn = Subscribers.generated(20_600 + i).msisdn();
            destinations.add(msisdn);
            outbox.enqueue("test", msisdn, new SmsContent.PortAddressed(37273, "T" + i), null, Duration.ZERO);
        }

        for (String msisdn : destinations) {
            hub.smsc().awaitSubmit(msisdn, 1, Duration.ofSeconds(60));
        }
        long throttled = smsc.submits().stream().filter(s -> s.commandStatus() == 0x58).count();
        assertThat(throttled).isGreaterThan(10);
        for (String msisdn : destinations) {
            assertThat(hub.smsc().to(msisdn)).hasSize(1);
        }
        // Every submit_sm (throttled ones included) counts against the cap of 50 a second. The simulator timestamps on
        // arrival, so a stall on the way (GC, a busy CI core) can bunch a few paced submits into one window: allow 10 %
        // here; the ±2 % figure at 1,000/s is the benchmark's (docs/benchmarks.md).
        assertThat(smsc.maxInAnySlidingSecond()).isLessThanOrEqualTo(55);
    }

    @Test // INT-3: a permanent refusal, and retries exhausted → the dead-letter queue with the reason; the record says failed
    void permanentRefusalAndExhaustedRetriesAreDeadLettered() {
        HubInstance hub = start(Map.of("hub.sms.max-attempts", "3"));
        SmscSimulator smsc = hub.sandbox().smsc().orElseThrow();
        smsc.faults().rejectAll(0x0B); // ESME_RINVDSTADR
        UUID reference = hub.context().getBean(SmsOutbox.class)
                .enqueue("test", "+15551020700", new SmsContent.Plain("hello"), null, Duration.ZERO);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = hub.hubDatabase().queryForObject("SELECT state FROM sms_message WHERE reference = ?", String.class, reference);
            if ("failed".equals(state)) {
                break;
            }
            sleep(100);
        }
        assertThat(state).isEqualTo("failed");
        assertThat(hub.hubDatabase().queryForObject("SELECT last_error FROM sms_message WHERE reference = ?", String.class,
                reference)).contains("0xb");
        org.apache.camel.Message parked = hub.context().getBean(org.apache.camel.ConsumerTemplate.class)
                .receive("jms:queue:hub.sms.dead-letter", 10_000).getMessage();
        assertThat(parked.getHeader("hubReason", String.class)).contains("SmscRejectedException").contains("0xb");
        // The text waits in the broker sealed (AES-GCM), never in clear: an OTP would not show in the journal or here.
        assertThat(parked.getBody(String.class)).contains("sealedText").doesNotContain("hello");
        assertThat(smsc.submits()).hasSize(1); // no retry of a permanent refusal

        // Throttled on every try: three attempts (hub.sms.max-attempts), then the dead-letter queue.
        smsc.faults().reset().throttleShare(1.0);
        UUID throttled = hub.context().getBean(SmsOutbox.class)
                .enqueue("test", "+15551020701", new SmsContent.Plain("hello"), null, Duration.ZERO);
        String exhausted = hub.context().getBean(org.apache.camel.ConsumerTemplate.class)
                .receive("jms:queue:hub.sms.dead-letter", 20_000).getMessage().getHeader("hubReason", String.class);
        assertThat(exhausted).contains("gave up after 3 attempts").contains("SmscThrottledException");
        assertThat(hub.hubDatabase().queryForObject("SELECT state FROM sms_message WHERE reference = ?", String.class,
                throttled)).isEqualTo("failed");
        assertThat(smsc.submits().stream().filter(r -> r.destinationAddress().endsWith("15551020701")).count()).isEqualTo(3);
    }

    @Test // INT-3: two replicas share the outbox; one sends at a time, so the cap holds for the deployment
    void theCapHoldsForTheWholeDeployment() {
        HubInstance primary = start(Map.of("hub.sms.rate-per-second", "40"));
        HubInstance replica = HubInstance.startReplicaOf(primary, Map.of("hub.sms.rate-per-second", "40"));
        hubs.add(replica);
        SmscSimulator smsc = primary.sandbox().smsc().orElseThrow();
        List<String> destinations = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String msisdn = Subscribers.generated(20_900 + i).msisdn();
            destinations.add(msisdn);
            // Both replicas accept SMS into the one outbox.
            HubInstance accepting = i % 2 == 0 ? primary : replica;
            accepting.context().getBean(SmsOutbox.class)
                    .enqueue("test", msisdn, new SmsContent.PortAddressed(37273, "R" + i), null, Duration.ZERO);
        }

        for (String msisdn : destinations) {
            primary.smsc().awaitSubmit(msisdn, 1, Duration.ofSeconds(60));
        }
        for (String msisdn : destinations) {
            assertThat(primary.smsc().to(msisdn)).hasSize(1);
        }
        // 40 a second for the deployment (two replicas at 40 each would show up to 80); 15 % for arrival jitter (a
        // bunched window measured 43 on a CI-like run), far below what two senders would show.
        assertThat(smsc.maxInAnySlidingSecond()).isLessThanOrEqualTo(46);
    }

    @Test // INT-3, INT-4: the hub stopped with SMS still in its outbox → after the restart they are sent, each once
    void outboxSurvivesARestart() {
        Path data = Path.of("target", "hub-instances", "outbox-restart-" + UUID.randomUUID()).toAbsolutePath();
        Map<String, String> settings = Map.of("hub.sandbox.data-dir", data.toString());
        HubInstance first = start(settings);
        first.sandbox().smsc().orElseThrow().down();
        DeviceClient device = first.device();
        List<String> destinations = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Subscribers user = Subscribers.generated(20_800 + i);
            destinations.add(user.msisdn());
            assertThat(device.secureRequest(table9(null, user.msisdn(), "", null), null, Map.of()).statusCode()).isEqualTo(200);
        }
        first.close();
        hubs.remove(first);

        HubInstance second = start(settings);

        for (String msisdn : destinations) {
            second.smsc().awaitSubmit(msisdn, 1, Duration.ofSeconds(60));
        }
        sleep(2000);
        for (String msisdn : destinations) {
            assertThat(second.smsc().to(msisdn)).hasSize(1);
            awaitState(second, msisdn, "submitted");
        }
    }

    private static void awaitState(HubInstance hub, String msisdn, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String state = null;
        while (System.nanoTime() < deadline) {
            state = hub.hubDatabase().queryForObject("SELECT state FROM sms_message WHERE msisdn = ? ORDER BY created_at DESC LIMIT 1",
                    String.class, msisdn);
            if (expected.equals(state)) {
                return;
            }
            sleep(100);
        }
        assertThat(state).isEqualTo(expected);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
