package io.provisioninghub.routes.rotation;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import io.provisioninghub.routes.tracing.FlowTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The intake of credential rotation requests (ROT-1, ROT-2 first steps), in batches: camel-kafka's batching consumer
 * hands over up to {@code hub.rotation.batch-size} records at once. Each record is checked against its JSON Schema;
 * the valid ones are applied together in one database transaction ({@link Rotations#start}: recorded idempotently by
 * CloudEvents source + id, tokens revoked, the §3 trigger SMS durable in Artemis before the commit); the invalid ones
 * go to the dead-letter topic one by one with their reason. Only then are the batch's offsets committed (the last
 * record of each partition).
 * <p>
 * A batch that fails (HLR, billing, database or Artemis down) commits nothing: breakOnFirstError makes the consumer
 * reconnect and poll again from the last committed offset, so the whole batch comes back after
 * {@code hub.rotation.retry-delay}; what a crash or a retry replays is a no-op thanks to the unique key. Sequence
 * diagram and failure windows: docs/flows/rotation.md.
 */
@Component
class RotationRequestRoute extends RouteBuilder {

    static final String ROUTE_ID = "rotation-request-intake";
    private static final Logger LOG = LoggerFactory.getLogger(RotationRequestRoute.class);

    private final RotationProperties properties;
    private final RotationEvents events;
    private final Rotations rotations;
    private final TransactionTemplate transaction;
    private final ProducerTemplate producer;
    private final RotationMetrics metrics;
    private final FlowTracing tracing;

    RotationRequestRoute(RotationProperties properties, RotationEvents events, Rotations rotations,
                         TransactionTemplate transaction, ProducerTemplate producer, RotationMetrics metrics,
                         FlowTracing tracing) {
        this.tracing = tracing;
        this.metrics = metrics;
        this.producer = producer;
        this.properties = properties;
        this.events = events;
        this.rotations = rotations;
        this.transaction = transaction;
    }

    @Override
    public void configure() {
        // batching=true: the body is a List of exchanges, one per record, each with its own KafkaManualCommit.
        // autoCommitEnable=false + allowManualCommit: nothing is committed but what apply() commits.
        // breakOnFirstError: a batch that throws is polled again from the committed offset instead of being skipped.
        from("kafka:" + properties.requestsTopic() + "?groupId=" + properties.consumerGroup()
                + "&autoOffsetReset=earliest&autoCommitEnable=false&allowManualCommit=true&breakOnFirstError=true"
                + "&batching=true&maxPollRecords=" + properties.batchSize())
                .routeId(ROUTE_ID)
                .routeGroup("rotation")
                // The failure goes straight back to the consumer (which re-polls the batch); apply() has logged it in
                // one line. The default error handler would add an ERROR with a stack trace per attempt, every
                // retry-delay for as long as a back end is down.
                .errorHandler(noErrorHandler())
                .process(this::apply);
    }

    /** A record that failed the schema check, with the reason for the dead-letter topic. */
    private record Refused(String body, String reason) {
    }

    private void apply(Exchange batch) throws InterruptedException {
        List<?> records = batch.getMessage().getBody(List.class);
        if (records == null || records.isEmpty()) {
            return;
        }
        List<Rotations.RotationRequest> valid = new ArrayList<>(records.size());
        List<Refused> refused = new ArrayList<>();
        // The last record of each partition: committing its offset commits the batch's records of that partition.
        Map<String, KafkaManualCommit> lastOfPartition = new LinkedHashMap<>();
        for (Object item : records) {
            Exchange record = (Exchange) item;
            String body = record.getMessage().getBody(String.class);
            try {
                RotationEvents.Requested request = events.read(body);
                // The rotation's trace starts here, continuing the event's producer's when it sent a traceparent header
                // (W3C Trace Context over Kafka): one span per event, though the batch is applied at once.
                String traceParent = tracing.step("hub.rotation.requested", "rotation",
                        record.getMessage().getHeader(FlowTracing.TRACEPARENT, String.class));
                valid.add(new Rotations.RotationRequest(request.source(), request.id(), request.imsi(), request.reason(),
                        traceParent));
            } catch (RotationEvents.Refused reason) {
                refused.add(new Refused(body, reason.getMessage()));
            }
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit != null) {
                lastOfPartition.put(record.getMessage().getHeader(KafkaConstants.TOPIC) + "-"
                        + record.getMessage().getHeader(KafkaConstants.PARTITION), commit);
            }
        }
        try {
            if (!valid.isEmpty()) {
                List<Long> created = transaction.execute(status -> rotations.start(valid));
                // Counted after the commit: a batch that fails comes back whole and is counted when it is applied. A
                // valid event that created no rotation was applied before, or joined its subscriber's rotation in
                // progress.
                metrics.applied(valid.size(), created == null ? 0 : created.size());
            }
            // After the commit: a batch that fails in the database does not dead-letter its invalid records twice.
            for (Refused event : refused) {
                LOG.warn("Rotation event dead-lettered: {}", event.reason());
                producer.sendBodyAndHeaders("kafka:" + properties.deadLetterTopic(),
                        event.body() == null ? "" : event.body(), Map.of("hubReason", event.reason(),
                                "hubOriginalTopic", properties.requestsTopic()));
                metrics.deadLettered();
            }
        } catch (RuntimeException e) {
            // Nothing committed: the batch comes back. The pause keeps a dead back end from being hammered.
            LOG.warn("Rotation batch of {} record(s) not applied ({}); it is polled again in {}", records.size(),
                    e.getClass().getSimpleName(), properties.retryDelay());
            Thread.sleep(properties.retryDelay().toMillis());
            throw e;
        }
        for (KafkaManualCommit commit : lastOfPartition.values()) {
            commit.commit();
        }
    }
}
