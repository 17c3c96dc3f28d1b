package io.provisioninghub.routes.rotation;

import io.provisioninghub.routes.tracing.FlowTracing;
import io.provisioninghub.routes.common.CloudEvents;
import io.provisioninghub.routes.common.ExpiredRows;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.configuration.CustomerCare;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What happens to a rotation after its first notification (ROT-2, issue 4 in progress): a device that does not
 * answer is notified again with a doubling back-off ({@code hub.rotation.renotify-after}), then the rotation expires
 * after {@code hub.rotation.max-notifications}; every finished rotation (failed, expired; rotated once built) gets
 * one result event on {@code hub.rotation.results}. Any replica may do this work: rows are taken with
 * {@code FOR UPDATE SKIP LOCKED}, so two replicas never notify or publish for the same rotation at once. A result
 * is marked published only after Kafka acknowledged it: at least once, with a stable event id for consumers to
 * de-duplicate.
 */
@Component
class RotationFollowUp {

    static final String RESULT_TYPE = "io.provisioninghub.rotation.result.v1";
    private static final Logger LOG = LoggerFactory.getLogger(RotationFollowUp.class);
    private static final int BATCH = 500;

    private final RotationProperties properties;
    private final CustomerCare customerCare;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final FlowTracing tracing;

    RotationFollowUp(RotationProperties properties, CustomerCare customerCare, JdbcTemplate jdbc,
                     TransactionTemplate transaction, ProducerTemplate producer, ObjectMapper json, FlowTracing tracing) {
        this.tracing = tracing;
        this.properties = properties;
        this.customerCare = customerCare;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.producer = producer;
        this.json = json;
    }

    @Scheduled(initialDelayString = "${hub.rotation.check-interval:10s}", fixedDelayString = "${hub.rotation.check-interval:10s}")
    void followUp() {
        try {
            renotify();
            expire();
            publishResults();
        } catch (RuntimeException e) {
            // The database, Artemis or Kafka is down: nothing is lost, the next run picks the same rows up.
            LOG.warn("Rotation follow-up postponed: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Finished rotations, result published, ended longer ago than {@code hub.rotation.record-retention} (index
     * rotation_finished).
     */
    static String pastRetention(java.time.Duration retention) {
        return "state IN ('failed', 'expired', 'rotated') AND result_published_at IS NOT NULL AND "
                + ExpiredRows.olderThan("updated_at", retention);
    }

    /** Finished rotations are the operator's audit trail for a while, not for ever (one row per device per campaign). */
    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void deletePastRetention() {
        ExpiredRows.delete(jdbc, "rotation", pastRetention(properties.recordRetention()));
    }

    void renotify() {
        transaction.executeWithoutResult(status -> {
            List<Map<String, Object>> due = jdbc.queryForList("SELECT id, imsi, notifications, trace_parent FROM rotation "
                    + "WHERE state = 'notified' AND next_notify_at <= now() AND notifications < ? "
                    + "ORDER BY next_notify_at LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED", properties.maxNotifications());
            for (Map<String, Object> rotation : due) {
                String imsi = (String) rotation.get("imsi");
                int notifications = ((Number) rotation.get("notifications")).intValue();
                // In the rotation's trace: the new trigger SMS continues it.
                Optional<UUID> sms = tracing.within("hub.rotation.renotify", "rotation", (String) rotation.get("trace_parent"),
                        () -> {
                            try {
                                return customerCare.triggerReconfiguration(imsi);
                            } catch (IllegalStateException noMsisdn) {
                                return Optional.<UUID>empty();
                            }
                        });
                jdbc.update("UPDATE rotation SET notifications = notifications + 1, last_sms = coalesce(?, last_sms), "
                                + "next_notify_at = now() + make_interval(secs => ? * power(2, ?)), updated_at = now() WHERE id = ?",
                        sms.orElse(null), properties.renotifyAfter().toSeconds(), notifications, rotation.get("id"));
                LOG.info("Rotation {} of {}: device notified again ({} of {})", rotation.get("id"), Redaction.ref(imsi),
                        notifications + 1, properties.maxNotifications());
            }
        });
    }

    void expire() {
        int expired = jdbc.update("UPDATE rotation SET state = 'expired', failure_reason = ?, updated_at = now() "
                        + "WHERE state = 'notified' AND next_notify_at <= now() AND notifications >= ?",
                "the device did not answer " + properties.maxNotifications() + " notifications", properties.maxNotifications());
        if (expired > 0) {
            LOG.info("{} rotation(s) expired: the devices never answered", expired);
        }
    }

    void publishResults() {
        transaction.executeWithoutResult(status -> {
            List<Map<String, Object>> due = jdbc.queryForList("SELECT id, event_id, imsi, state, failure_reason, trace_parent "
                    + "FROM rotation "
                    + "WHERE state IN ('failed', 'expired', 'rotated') AND result_published_at IS NULL "
                    + "ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED");
            for (Map<String, Object> rotation : due) {
                String imsi = (String) rotation.get("imsi");
                // Keyed by IMSI: one device's events stay in order on one partition. Sent in the rotation's trace:
                // camel-observation writes its traceparent into the record's headers.
                tracing.run("hub.rotation.result", "rotation", (String) rotation.get("trace_parent"),
                        () -> producer.sendBodyAndHeader("kafka:" + properties.resultsTopic(), resultEvent(rotation),
                                KafkaConstants.KEY, imsi));
                jdbc.update("UPDATE rotation SET result_published_at = now() WHERE id = ?", rotation.get("id"));
            }
        });
    }

    /** CloudEvents 1.0 structured JSON, schema json/rotation/rotation-result.v1.schema.json. */
    private String resultEvent(Map<String, Object> rotation) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("requestId", rotation.get("event_id"));
        data.put("imsi", rotation.get("imsi"));
        data.put("outcome", rotation.get("state"));
        if (rotation.get("failure_reason") != null) {
            data.put("reason", rotation.get("failure_reason"));
        }
        return CloudEvents.structured(json, "rotation-result-" + rotation.get("id"), RESULT_TYPE, data);
    }
}
