package io.provisioninghub.routes.rotation;

import io.provisioninghub.routes.common.Redaction;
import io.provisioninghub.routes.configuration.CustomerCare;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts credential rotations (ROT-2, first steps), whoever asks: a Kafka event ({@link RotationRequestRoute}), a
 * campaign, the periodic refresh. Each request is recorded once (unique CloudEvents source + id, so a replay is a
 * no-op); for a new one the subscriber's tokens are revoked and the §3 trigger SMS is queued, all in the caller's
 * transaction (one is required).
 */
@Service
public class Rotations {

    private static final Logger LOG = LoggerFactory.getLogger(Rotations.class);

    private final RotationProperties properties;
    private final CustomerCare customerCare;
    private final JdbcTemplate jdbc;

    Rotations(RotationProperties properties, CustomerCare customerCare, JdbcTemplate jdbc) {
        this.properties = properties;
        this.customerCare = customerCare;
        this.jdbc = jdbc;
    }

    /**
     * One rotation request.
     *
     * @param source  who asked (CloudEvents {@code source}; a campaign uses {@code urn:provisioning-hub:campaign:<id>})
     * @param eventId unique within the source (for a campaign: the IMSI)
     * @param reason  {@code compromised}, {@code due} or {@code operator}
     */
    public record RotationRequest(String source, String eventId, String imsi, String reason) {
    }

    /**
     * Records and starts the given rotations in the caller's transaction.
     *
     * @return the ids of the rotations this call created (requests already applied, or joining a rotation of the
     * same IMSI in progress, create none)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Long> start(List<RotationRequest> requests) {
        return requests.stream().map(this::start).flatMap(Optional::stream).toList();
    }

    private Optional<Long> start(RotationRequest request) {
        Long id = jdbc.query("INSERT INTO rotation (event_source, event_id, imsi, reason, state) VALUES (?, ?, ?, ?, 'requested') "
                        + "ON CONFLICT DO NOTHING RETURNING id",
                rs -> rs.next() ? rs.getLong(1) : null, request.source(), request.eventId(), request.imsi(), request.reason());
        if (id == null) {
            LOG.debug("Rotation request already applied, or a rotation of {} is in progress", Redaction.ref(request.imsi()));
            return Optional.empty();
        }
        Optional<Integer> revoked = customerCare.revokeTokens(request.imsi());
        if (revoked.isEmpty()) {
            fail(id, "unknown subscriber");
            return Optional.of(id);
        }
        Optional<UUID> sms;
        try {
            sms = customerCare.triggerReconfiguration(request.imsi());
        } catch (IllegalStateException noMsisdn) {
            fail(id, "no MSISDN to notify");
            return Optional.of(id);
        }
        jdbc.update("UPDATE rotation SET state = 'notified', notifications = notifications + 1, last_sms = ?, "
                        + "next_notify_at = now() + make_interval(secs => ?), updated_at = now() WHERE id = ?",
                sms.orElse(null), properties.renotifyAfter().toSeconds(), id);
        LOG.info("Rotation {} of {}: {} token(s) revoked, trigger SMS queued", id, Redaction.ref(request.imsi()), revoked.get());
        return Optional.of(id);
    }

    private void fail(long id, String reason) {
        jdbc.update("UPDATE rotation SET state = 'failed', failure_reason = ?, updated_at = now() WHERE id = ?", reason, id);
    }
}
