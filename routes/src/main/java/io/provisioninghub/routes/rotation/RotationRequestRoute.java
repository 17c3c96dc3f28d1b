package io.provisioninghub.routes.rotation;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * The intake of credential rotation requests (ROT-1, ROT-2 first steps; issue 4, still in progress). Each Kafka
 * record is read, checked against its JSON Schema, and applied in one database transaction: the rotation is
 * recorded (idempotent by CloudEvents source + id), the subscriber's tokens are revoked and the §3 trigger SMS is
 * queued. Only then is the record's offset committed: a crash before it replays the record, and the unique key
 * makes the replay a no-op. Invalid events go to the dead-letter topic with their reason, then their offset is
 * committed. Sequence diagram: docs/flows/rotation.md.
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

    RotationRequestRoute(RotationProperties properties, RotationEvents events, Rotations rotations,
                         TransactionTemplate transaction, ProducerTemplate producer) {
        this.producer = producer;
        this.properties = properties;
        this.events = events;
        this.rotations = rotations;
        this.transaction = transaction;
    }

    @Override
    public void configure() {
        // Manual commit after the database transaction; breakOnFirstError: a record that fails (database down) is
        // polled again from its offset instead of being skipped.
        from("kafka:" + properties.requestsTopic() + "?groupId=" + properties.consumerGroup()
                + "&autoOffsetReset=earliest&autoCommitEnable=false&allowManualCommit=true&breakOnFirstError=true")
                .routeId(ROUTE_ID)
                .process(this::apply);
    }

    private void apply(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        try {
            RotationEvents.Requested request = events.read(body);
            transaction.executeWithoutResult(status -> rotations.start(List.of(
                    new Rotations.RotationRequest(request.source(), request.id(), request.imsi(), request.reason()))));
        } catch (RotationEvents.Refused refused) {
            LOG.warn("Rotation event dead-lettered: {}", refused.getMessage());
            producer.sendBodyAndHeaders("kafka:" + properties.deadLetterTopic(),
                    body == null ? "" : body, Map.of("hubReason", refused.getMessage(),
                            "hubOriginalTopic", properties.requestsTopic()));
        }
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }
}
