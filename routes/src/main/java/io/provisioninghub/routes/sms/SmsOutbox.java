package io.provisioninghub.routes.sms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.connectors.smsc.SmsContent;
import io.provisioninghub.routes.tracing.FlowTracing;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Accepts SMS for sending (INT-3): records the message, then puts it into the durable outbox queue in Artemis and
 * returns. Nothing here waits on the SMSC; {@link SmsOutboxRoute} drains the queue at the deployment's rate.
 * A failure to reach Artemis propagates (the HTTP flow answers 503): the SMS was not accepted, so nothing is lost.
 */
@Service
public class SmsOutbox {

    /** Artemis: deliver the message no earlier than this epoch-millisecond time (scheduled delivery). */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final SmsRecords records;
    private final OutboxSeal seal;
    private final String outboxEndpoint;
    private final String deadLetterEndpoint;
    /** The broker connections the jms: component uses too (Spring Boot's, caching sessions and producers). */
    private final ConnectionFactory connectionFactory;
    private final String outboxQueue;
    private final SmsMetrics metrics;
    private final FlowTracing tracing;

    SmsOutbox(ProducerTemplate producer, ObjectMapper json, SmsRecords records, SmsProperties properties, OutboxSeal seal,
              ConnectionFactory connectionFactory, SmsMetrics metrics, FlowTracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.seal = seal;
        this.connectionFactory = connectionFactory;
        this.outboxQueue = properties.outboxQueue();
        this.producer = producer;
        this.json = json;
        this.records = records;
        // Persistent, and JMSExpiration taken from the message: an OTP SMS past its OTP's validity is pointless.
        this.outboxEndpoint = "jms:queue:" + properties.outboxQueue() + "?deliveryPersistent=true&preserveMessageQos=true";
        this.deadLetterEndpoint = "jms:queue:" + properties.deadLetterQueue() + "?deliveryPersistent=true";
    }

    /**
     * @param purpose   what the SMS is for (otp, otp-additional, reconfiguration …), kept with its record
     * @param msisdn    E.164 with '+'
     * @param expiresAt after this the SMS is dropped unsent (recorded as expired); null: never
     * @param delay     do not send before this much time (RCC.14 §2.3.3 NOTE: the POLICY answer must reach the
     *                  client before the OTP SMS); zero: at once
     * @return the SMS's reference
     */
    public UUID enqueue(String purpose, String msisdn, SmsContent content, Instant expiresAt, Duration delay) {
        UUID reference = UUID.randomUUID();
        records.queued(reference, purpose, msisdn, expiresAt);
        // The SMS's sending continues the trace of the request, event or rotation that queued it.
        OutboxMessage message = OutboxMessage.of(reference, msisdn, content, expiresAt == null ? 0 : expiresAt.toEpochMilli(),
                seal, tracing.current());
        try {
            send(message, delay);
        } catch (SmsOutboxUnavailableException e) {
            records.givenUp(reference, "failed", "the outbox did not take it: " + e.getMessage());
            throw e;
        }
        // Counted once Artemis holds it: an SMS the outbox refused (503 to the caller) was never queued.
        metrics.count(purpose, SmsMetrics.QUEUED);
        return reference;
    }

    /**
     * One SMS of a bulk {@link #enqueueAll}.
     *
     * @param traceParent the W3C traceparent of the work it belongs to (a rotation's), which its sending continues
     */
    public record Outgoing(String purpose, String msisdn, SmsContent content, Instant expiresAt, String traceParent) {
    }

    /**
     * Accepts many SMS at once (bulk work: the rotation intake's batches), due at once. The rows go in with one
     * statement in the caller's transaction; the messages go into the outbox queue in one transacted JMS session,
     * committed before this returns. So when it returns every message is durable in Artemis, and only then does the
     * caller's database transaction commit. A crash between the two leaves messages whose rows never committed: the
     * sender finds no record, waits for it a while (as for any SMS queued in a transaction still open), then drops
     * it unsent; the caller's work replays and queues its SMS anew. The reverse order could commit a row whose
     * message was never queued, an SMS lost.
     *
     * @return the SMS's references, in the order given
     * @throws SmsOutboxUnavailableException when Artemis did not take the messages (none of them is queued)
     */
    public List<UUID> enqueueAll(List<Outgoing> sms) {
        if (sms.isEmpty()) {
            return List.of();
        }
        List<OutboxMessage> messages = new ArrayList<>(sms.size());
        List<String> purposes = new ArrayList<>(sms.size());
        for (Outgoing one : sms) {
            UUID reference = UUID.randomUUID();
            messages.add(OutboxMessage.of(reference, one.msisdn(), one.content(),
                    one.expiresAt() == null ? 0 : one.expiresAt().toEpochMilli(), seal, one.traceParent()));
            purposes.add(one.purpose());
        }
        records.queuedAll(messages, purposes);
        sendAll(messages);
        purposes.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .forEach((purpose, n) -> metrics.count(purpose, SmsMetrics.QUEUED, n));
        return messages.stream().map(OutboxMessage::reference).toList();
    }

    /** The messages in one transacted session: all of them durable in Artemis at the commit, or none. */
    private void sendAll(List<OutboxMessage> messages) {
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            try (MessageProducer producer = session.createProducer(session.createQueue(outboxQueue))) {
                long now = System.currentTimeMillis();
                for (OutboxMessage message : messages) {
                    // What the jms: endpoint sends (a text message, persistent, JMSExpiration from expiresAt).
                    long timeToLive = message.expiresAt() > 0 ? Math.max(1, message.expiresAt() - now) : Message.DEFAULT_TIME_TO_LIVE;
                    Message text = session.createTextMessage(toJson(message));
                    if (message.traceParent() != null) {
                        // What camel-observation writes on the jms: endpoint's messages (W3C Trace Context): the
                        // consumer's span continues the SMS's trace.
                        text.setStringProperty(FlowTracing.TRACEPARENT, message.traceParent());
                    }
                    producer.send(text, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, timeToLive);
                }
                session.commit();
            } catch (JMSException | RuntimeException e) {
                rollbackQuietly(session);
                throw e;
            }
        } catch (JMSException e) {
            throw new SmsOutboxUnavailableException(e);
        }
    }

    private static void rollbackQuietly(Session session) {
        try {
            session.rollback();
        } catch (JMSException | RuntimeException ignored) {
            // the session is unusable anyway; nothing was committed
        }
    }

    /** Puts a message (back) into the outbox, to be delivered after {@code delay}. */
    void send(OutboxMessage message, Duration delay) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("JMSDeliveryMode", 2); // persistent
        if (message.expiresAt() > 0) {
            headers.put("JMSExpiration", message.expiresAt());
        }
        if (!delay.isZero() && !delay.isNegative()) {
            headers.put(SCHEDULED_DELIVERY, System.currentTimeMillis() + delay.toMillis());
        }
        try {
            producer.sendBodyAndHeaders(outboxEndpoint, toJson(message), headers);
        } catch (org.apache.camel.CamelExecutionException e) {
            throw new SmsOutboxUnavailableException(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Parks a message in the dead-letter queue with the reason it was given up on. */
    void deadLetter(OutboxMessage message, String reason) {
        producer.sendBodyAndHeaders(deadLetterEndpoint, toJson(message),
                Map.of("hubReason", reason, "hubReference", message.reference().toString()));
    }

    /** Parks a message that could not even be read. */
    void deadLetter(String body, String reason) {
        producer.sendBodyAndHeaders(deadLetterEndpoint, body == null ? "" : body, Map.of("hubReason", reason));
    }

    private String toJson(OutboxMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox message not serialisable", e);
        }
    }
}
