package io.provisioninghub.routes.rotation;

import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.configuration.CustomerCare;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
    private final CustomerCare customerCare;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ProducerTemplate producer;

    RotationRequestRoute(RotationProperties properties, RotationEvents events, CustomerCare customerCare,
                         JdbcTemplate jdbc, TransactionTemplate transaction, ProducerTemplate producer) {
        this.producer = producer;
        this.properties = properties;
        this.events = events;
        this.customerCare = customerCare;
        this.jdbc = jdbc;
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
            transaction.executeWithoutResult(status -> record(request));
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

    /** One transaction: the rotation row, then (only for a new one) tokens revoked and the trigger queued. */
    private void record(RotationEvents.Requested request) {
        Long id = jdbc.query("INSERT INTO rotation (event_source, event_id, imsi, reason, state) VALUES (?, ?, ?, ?, 'requested') "
                        + "ON CONFLICT DO NOTHING RETURNING id",
                rs -> rs.next() ? rs.getLong(1) : null, request.source(), request.id(), request.imsi(), request.reason());
        if (id == null) {
            LOG.debug("Rotation event already applied, or a rotation of {} is in progress", Redaction.ref(request.imsi()));
            return;
        }
        Optional<Integer> revoked = customerCare.revokeTokens(request.imsi());
        if (revoked.isEmpty()) {
            fail(id, "unknown subscriber");
            return;
        }
        Optional<UUID> sms;
        try {
            sms = customerCare.triggerReconfiguration(request.imsi());
        } catch (IllegalStateException noMsisdn) {
            fail(id, "no MSISDN to notify");
            return;
        }
        jdbc.update("UPDATE rotation SET state = 'notified', notifications = notifications + 1, last_sms = ?, "
                + "next_notify_at = now() + make_interval(secs => ?), updated_at = now() WHERE id = ?",
                sms.orElse(null), properties.renotifyAfter().toSeconds(), id);
        LOG.info("Rotation {} of {}: {} token(s) revoked, trigger SMS queued", id, Redaction.ref(request.imsi()), revoked.get());
    }

    private void fail(long id, String reason) {
        jdbc.update("UPDATE rotation SET state = 'failed', failure_reason = ?, updated_at = now() WHERE id = ?", reason, id);
    }
}
