package io.provisioninghub.routes.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.provisioninghub.connectors.smsc.SmsEncoder;
import io.provisioninghub.connectors.smsc.SmsMessage;
import io.provisioninghub.connectors.smsc.SmscClient;
import io.provisioninghub.connectors.smsc.SmscException;
import io.provisioninghub.connectors.smsc.SmscThrottledException;
import io.provisioninghub.routes.tracing.FlowTracing;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Drains the SMS outbox into the SMSC (INT-3; sequence diagram in docs/flows/sms-outbox.md).
 * <ul>
 *   <li>The route runs in one replica at a time ({@link SmsSenderLeadership}), so {@code hub.sms.rate-per-second}
 *   is a deployment-wide cap. Inside that replica {@code hub.sms.consumers} threads share one token bucket that
 *   refills continuously, so no sliding one-second window holds more than the rate plus a burst of 0.1 % (at least one).</li>
 *   <li>Each message is claimed in the database before its submit_sm and recorded after it: a redelivered copy of
 *   a submitted message is dropped, so a restart never sends an SMS twice.</li>
 *   <li>ESME_RTHROTTLED, ESME_RMSGQFUL and a missing SMPP session are transient: the message goes back into the
 *   outbox with an exponential back-off. Permanent refusals and exhausted attempts go to the dead-letter queue with
 *   the reason. The message is acknowledged only after one of these outcomes was recorded (CLIENT_ACKNOWLEDGE).</li>
 * </ul>
 */
@Component
class SmsOutboxRoute extends RouteBuilder {

    static final String ROUTE_ID = "sms-outbox-send";
    /**
     * A message whose record is not committed yet (queued in a transaction still open) is looked at again after 50 ms,
     * doubling up to 1 s: the usual transaction commits within milliseconds, so its SMS leaves soon and in its turn
     * (a paced campaign's triggers stay paced at the SMSC), while one that rolled back costs a message a second.
     */
    private static final Duration FIRST_WAIT_FOR_RECORD = Duration.ofMillis(50);
    private static final Duration MAX_WAIT_FOR_RECORD = Duration.ofSeconds(1);
    /** About a minute in all (50 ms … 1 s, then 1 s each): a record that has not appeared by then never will. */
    private static final int MAX_WAITS_FOR_RECORD = 65;
    private static final Logger LOG = LoggerFactory.getLogger(SmsOutboxRoute.class);

    private final SmsProperties properties;
    private final SmsOutbox outbox;
    private final SmsRecords records;
    private final SmscClient smsc;
    private final ObjectMapper json;
    private final OutboxSeal seal;
    private final Bucket pace;
    private final SmsEncoder encoder;
    private final SmsMetrics metrics;
    private final FlowTracing tracing;

    SmsOutboxRoute(SmsProperties properties, SmsOutbox outbox, SmsRecords records, SmscClient smsc, ObjectMapper json,
                   OutboxSeal seal, SmsEncoder encoder, SmsMetrics metrics, FlowTracing tracing) {
        this.tracing = tracing;
        this.encoder = encoder;
        this.metrics = metrics;
        this.seal = seal;
        this.properties = properties;
        this.outbox = outbox;
        this.records = records;
        this.smsc = smsc;
        this.json = json;
        int rate = properties.ratePerSecond();
        // Greedy refill spreads the permits over the second (one every 1/rate s); the capacity (0.1 % of the rate, at
        // least one) bounds the burst after an idle period.
        this.pace = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(Math.max(1, rate / 1000))
                        .refillGreedy(rate, Duration.ofSeconds(1)).build())
                .build();
    }

    @Override
    public void configure() {
        from("jms:queue:" + properties.outboxQueue()
                + "?acknowledgementModeName=CLIENT_ACKNOWLEDGE&cacheLevelName=CACHE_CONSUMER"
                + "&concurrentConsumers=" + properties.consumers() + "&maxConcurrentConsumers=" + properties.consumers())
                .routeId(ROUTE_ID)
                .routeGroup("sms")
                // Started by SmsSenderLeadership in the replica that holds the sender's lock.
                .autoStartup(false)
                .process(this::send);
    }

    private void send(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        OutboxMessage message;
        try {
            message = json.readValue(body, OutboxMessage.class);
        } catch (IOException | RuntimeException unreadable) {
            LOG.warn("Unreadable outbox message dead-lettered: {}", unreadable.getClass().getSimpleName());
            outbox.deadLetter(body, "unreadable outbox message: " + unreadable.getClass().getSimpleName());
            metrics.count(null, SmsMetrics.DEAD_LETTERED); // no reference, so no record to tell the purpose
            return;
        }
        // Each attempt is a span of the trace that queued the SMS (a device's request, a rotation), not of the JMS
        // delivery's: a rotation's trigger SMS shows up in the rotation's trace.
        tracing.run("hub.sms.send", "sms", message.traceParent(), () -> attempt(message));
    }

    private void attempt(OutboxMessage message) {
        try {
            submit(message);
        } catch (SmscException e) {
            failed(message, e);
        } catch (RuntimeException e) {
            // The hub's own database, typically. The SMS goes back into the outbox unchanged; its claim (if taken)
            // times out, so the next copy may take it over.
            LOG.warn("SMS {} could not be processed ({}); back into the outbox", message.reference(), e.getClass().getSimpleName());
            outbox.send(message, properties.retryMaxDelay());
        }
    }

    private void submit(OutboxMessage message) {
        if (message.expired(System.currentTimeMillis())) {
            records.givenUp(message.reference(), "expired", "expired before it could be sent");
            return;
        }
        // Pace before the claim: the wait for a permit must not eat into the claim's lease. One permit per
        // submit_sm, so a concatenated SMS takes as many as it has segments.
        SmsMessage sms;
        try {
            sms = message.toSms(seal);
        } catch (IllegalArgumentException unreadable) {
            deadLetter(message, unreadable.getMessage());
            return;
        }
        int segments = segmentsOf(sms);
        try {
            for (int i = 0; i < segments; i++) {
                pace.asBlocking().consume(1);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sender stopping", stopping);
        }
        SmsRecords.Claim claim = records.claim(message.reference(), properties.claimTimeout());
        if (claim == SmsRecords.Claim.DONE) {
            LOG.debug("SMS {} already handled, dropping the duplicate", message.reference());
            return;
        }
        if (claim == SmsRecords.Claim.BUSY) {
            // Another sender holds a fresh claim; if it died, the claim times out and this copy takes over.
            outbox.send(message, properties.claimTimeout());
            return;
        }
        if (claim == SmsRecords.Claim.MISSING) {
            // Queued inside a transaction that has not committed yet (e.g. a rotation's), or that rolled back.
            if (message.waits() < MAX_WAITS_FOR_RECORD) {
                Duration wait = FIRST_WAIT_FOR_RECORD.multipliedBy(1L << Math.min(message.waits(), 5));
                outbox.send(message.waited(), wait.compareTo(MAX_WAIT_FOR_RECORD) > 0 ? MAX_WAIT_FOR_RECORD : wait);
            } else {
                LOG.warn("SMS {} has no record after {} waits (about a minute): its request was rolled back; not sent",
                        message.reference(), MAX_WAITS_FOR_RECORD);
            }
            return;
        }
        List<String> ids = smsc.submit(sms);
        metrics.count(records.submitted(message.reference(), ids), SmsMetrics.SUBMITTED);
    }

    private int segmentsOf(SmsMessage sms) {
        try {
            return encoder.encode(sms.content()).size();
        } catch (RuntimeException unencodable) {
            return 1; // the submit refuses it permanently, with the reason
        }
    }

    private void failed(OutboxMessage message, SmscException e) {
        OutboxMessage next = message.nextAttempt();
        String reason = e.getClass().getSimpleName() + (e.commandStatus() >= 0
                ? " command_status 0x" + Integer.toHexString(e.commandStatus()) : "") + ": " + e.getMessage();
        String attempt = e instanceof SmscThrottledException ? SmsMetrics.THROTTLED : SmsMetrics.FAILED;
        if (!e.transientFailure()) {
            metrics.count(deadLetter(next, reason), attempt);
        } else if (next.attempt() >= properties.maxAttempts()) {
            metrics.count(deadLetter(next, "gave up after " + next.attempt() + " attempts; last: " + reason), attempt);
        } else {
            Duration delay = properties.retryDelay(next.attempt());
            LOG.info("SMS {} attempt {} failed ({}), retrying in {} ms", message.reference(), next.attempt(),
                    e.getClass().getSimpleName(), delay.toMillis());
            // Back in the outbox first, then the record: a crash in between leaves a duplicate copy, which the
            // claim drops, never a lost SMS.
            outbox.send(next, delay);
            metrics.count(records.retrying(message.reference(), reason), attempt);
        }
    }

    /** @return the SMS's purpose */
    private String deadLetter(OutboxMessage message, String reason) {
        LOG.warn("SMS {} dead-lettered: {}", message.reference(), reason);
        outbox.deadLetter(message, reason);
        String purpose = records.givenUp(message.reference(), "failed", reason);
        metrics.count(purpose, SmsMetrics.DEAD_LETTERED);
        return purpose;
    }
}
