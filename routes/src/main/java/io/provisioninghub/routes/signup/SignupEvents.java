package io.provisioninghub.routes.signup;

import io.provisioninghub.routes.common.CloudEvents;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes {@code io.provisioninghub.signup.activated.v1} (SIGNUP-2; schema json/signup/signup-activated.v1.schema.json)
 * on {@code hub.signup.events}, keyed by IMSI, for every sign-up the device confirmed. Reliable like the rotation
 * results: the activation is a row state first (an outbox), a replica takes due rows with {@code FOR UPDATE SKIP
 * LOCKED}, and marks them published only after Kafka acknowledged: at least once, with a stable event id
 * ({@code signup-activated-<id>}) for consumers to de-duplicate. Due means activated and not yet published, whatever
 * the binding's state now: a device the operator reassigns or releases right after it confirmed was still activated,
 * and its event is published all the same (it was lost when this looked for state 'active').
 */
@Component
class SignupEvents {

    static final String ACTIVATED_TYPE = "io.provisioninghub.signup.activated.v1";
    private static final Logger LOG = LoggerFactory.getLogger(SignupEvents.class);

    private final SignupProperties properties;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ProducerTemplate producer;
    private final ObjectMapper json;

    SignupEvents(SignupProperties properties, JdbcTemplate jdbc, TransactionTemplate transaction, ProducerTemplate producer,
                 ObjectMapper json) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.producer = producer;
        this.json = json;
    }

    @Scheduled(initialDelayString = "${hub.signup.check-interval:1s}", fixedDelayString = "${hub.signup.check-interval:1s}")
    void publish() {
        try {
            transaction.executeWithoutResult(status -> {
                List<Map<String, Object>> due = jdbc.queryForList("SELECT id, imsi, msisdn, plan_id, device_kind, "
                        + "device_value, device_fingerprint, activated_at FROM signup WHERE activated_at IS NOT NULL "
                        + "AND event_published_at IS NULL ORDER BY activated_at LIMIT 500 FOR UPDATE SKIP LOCKED");
                for (Map<String, Object> signup : due) {
                    String imsi = (String) signup.get("imsi");
                    producer.sendBodyAndHeader("kafka:" + properties.eventsTopic(), event(signup), KafkaConstants.KEY, imsi);
                    jdbc.update("UPDATE signup SET event_published_at = now() WHERE id = ?", signup.get("id"));
                }
            });
        } catch (RuntimeException e) {
            // Kafka or the database is down: nothing is lost, the next run takes the same rows.
            LOG.warn("Sign-up events postponed: {}", e.getClass().getSimpleName());
        }
    }

    private String event(Map<String, Object> signup) {
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("kind", signup.get("device_kind"));
        device.put("id", signup.get("device_value"));
        device.put("fingerprint", signup.get("device_fingerprint"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("signupId", signup.get("id").toString());
        data.put("imsi", signup.get("imsi"));
        data.put("msisdn", signup.get("msisdn"));
        data.put("plan", signup.get("plan_id"));
        data.put("device", device);
        data.put("activatedAt", activatedAt(signup.get("activated_at")));
        return CloudEvents.structured(json, "signup-activated-" + signup.get("id"), ACTIVATED_TYPE, data);
    }

    private static String activatedAt(Object value) {
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant().toString();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant().toString();
        }
        return Instant.now().toString();
    }
}
