package io.provisioninghub.routes.sms;

import io.provisioninghub.connectors.smsc.DeliveryReceipt;
import io.provisioninghub.connectors.smsc.DeliveryReceiptListener;
import io.provisioninghub.routes.common.ExpiredRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The hub's record of every SMS it accepted (table sms_message) and of the SMSC's ids for its segments
 * (sms_segment). The row is the outbox's idempotency guard: a message is submitted only by the sender that claimed
 * it, and a redelivered copy of a submitted message is dropped.
 */
@Repository
class SmsRecords implements DeliveryReceiptListener {

    /** SMS whose outbox message Artemis dropped at its expiry (index sms_message_unsent_expiry, V9). */
    static final String EXPIRED_UNSENT = "state IN ('queued', 'retrying') AND expires_at < now() - interval '1 minute'";

    private final JdbcTemplate jdbc;
    private final String pastRetention;

    SmsRecords(JdbcTemplate jdbc, SmsProperties properties) {
        this.jdbc = jdbc;
        this.pastRetention = pastRetention(properties.recordRetention());
    }

    /** Records in a final state created longer ago than {@code retention} (index sms_message_created_at). */
    static String pastRetention(Duration retention) {
        return "state IN ('submitted', 'failed', 'expired') AND " + ExpiredRows.olderThan("created_at", retention);
    }

    void queued(UUID reference, String purpose, String msisdn, java.time.Instant expiresAt) {
        jdbc.update("INSERT INTO sms_message (reference, purpose, msisdn, state, expires_at) VALUES (?, ?, ?, 'queued', ?)",
                reference, purpose, msisdn, expiresAt == null ? null : Timestamp.from(expiresAt));
    }

    /** {@link #queued} for many SMS in one statement (bulk enqueue). */
    void queuedAll(List<OutboxMessage> messages, List<String> purposes) {
        int n = messages.size();
        UUID[] references = new UUID[n];
        String[] purpose = new String[n];
        String[] msisdns = new String[n];
        Long[] expiresAt = new Long[n];
        for (int i = 0; i < n; i++) {
            OutboxMessage m = messages.get(i);
            references[i] = m.reference();
            purpose[i] = purposes.get(i);
            msisdns[i] = m.destination();
            expiresAt[i] = m.expiresAt() > 0 ? m.expiresAt() : null;
        }
        jdbc.update("INSERT INTO sms_message (reference, purpose, msisdn, state, expires_at) "
                        + "SELECT r, p, m, 'queued', to_timestamp(e / 1000.0) "
                        + "FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::bigint[]) AS t(r, p, m, e)",
                references, purpose, msisdns, expiresAt);
    }

    /**
     * Artemis drops an outbox message at its JMSExpiration without telling anyone: the rows of SMS that expired
     * unsent are closed here (any replica, {@link ExpiredRows}).
     */
    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void closeExpired() {
        ExpiredRows.update(jdbc, "sms_message", "state = 'expired', last_error = coalesce(last_error, 'expired unsent')",
                EXPIRED_UNSENT);
    }

    /**
     * The records are the operator's trace of what was sent and delivered (customer care, disputes), not kept
     * forever: at the outbox's rate one row per SMS grows by millions a day. Their segments go with them (ON DELETE
     * CASCADE). A receipt that arrives for a deleted record is ignored like any unknown one.
     */
    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void deletePastRetention() {
        ExpiredRows.delete(jdbc, "sms_message", pastRetention);
    }

    /** The outcome of {@link #claim}. */
    enum Claim {
        /** this sender may submit it now */
        CLAIMED,
        /** submitted, failed or expired already: a redelivered duplicate, to drop */
        DONE,
        /** another sender claimed it moments ago and may still be submitting: look again later */
        BUSY,
        /**
         * no record (yet): the transaction that queued it has not committed (the outbox message is sent before the
         * caller's commit), or it rolled back and the SMS must not go: look again later, give up after a while
         */
        MISSING
    }

    /**
     * Claims the message for one submit attempt. A claim older than {@code claimTimeout} belongs to a sender that
     * died before recording the outcome; it is taken over (the SMS may then be sent twice, the one case where it can).
     */
    Claim claim(UUID reference, Duration claimTimeout) {
        for (int look = 0; look < 2; look++) {
            List<String> claimed = jdbc.queryForList("UPDATE sms_message SET state = 'submitting', attempts = attempts + 1, "
                    + "submitted_at = now() WHERE reference = ? AND (state IN ('queued', 'retrying') "
                    + "OR (state = 'submitting' AND submitted_at < now() - make_interval(secs => ?))) RETURNING state",
                    String.class, reference, claimTimeout.toSeconds());
            if (!claimed.isEmpty()) {
                return Claim.CLAIMED;
            }
            List<String> state = jdbc.queryForList("SELECT state FROM sms_message WHERE reference = ?", String.class, reference);
            if (state.isEmpty()) {
                return Claim.MISSING;
            }
            if ("submitting".equals(state.get(0))) {
                return Claim.BUSY;
            }
            if (!"queued".equals(state.get(0)) && !"retrying".equals(state.get(0))) {
                return Claim.DONE;
            }
            // Claimable after all: the row's transaction committed between the two statements. Look again.
        }
        return Claim.BUSY;
    }

    /**
     * The SMSC accepted every segment: one statement records the state and the segment ids.
     *
     * @return the SMS's purpose (for {@link SmsMetrics}), null when it has no record
     */
    String submitted(UUID reference, List<String> smscMessageIds) {
        String[] ids = smscMessageIds.toArray(String[]::new);
        return purpose(jdbc.queryForList("WITH segments AS (INSERT INTO sms_segment (reference, segment, smsc_message_id) "
                        + "SELECT ?, ordinality::int, id FROM unnest(?::varchar[]) WITH ORDINALITY AS t(id, ordinality)) "
                        + "UPDATE sms_message SET state = 'submitted', submitted_at = now(), last_error = NULL "
                        + "WHERE reference = ? RETURNING purpose",
                String.class, reference, ids, reference));
    }

    /** @return the SMS's purpose (for {@link SmsMetrics}), null when it has no record */
    String retrying(UUID reference, String reason) {
        return purpose(jdbc.queryForList("UPDATE sms_message SET state = 'retrying', last_error = ? WHERE reference = ? "
                + "RETURNING purpose", String.class, truncate(reason), reference));
    }

    /**
     * @param state failed (dead-lettered) or expired; a submitted SMS stays submitted
     * @return the SMS's purpose (for {@link SmsMetrics}), null when it has no record or was submitted already
     */
    String givenUp(UUID reference, String state, String reason) {
        return purpose(jdbc.queryForList("UPDATE sms_message SET state = ?, last_error = ? WHERE reference = ? "
                + "AND state IN ('queued', 'retrying', 'submitting') RETURNING purpose", String.class, state,
                truncate(reason), reference));
    }

    private static String purpose(List<String> updated) {
        return updated.isEmpty() ? null : updated.get(0);
    }

    /**
     * SMPP 3.4 Appendix B receipts: the segment's state, and the message's once every segment has a final one
     * (DELIVRD for all → delivered; any other final state → that state).
     */
    @Override
    public void onReceipt(DeliveryReceipt receipt) {
        jdbc.update("WITH seg AS (UPDATE sms_segment SET delivery_state = ?, error_code = ?, done_at = ? "
                        + "WHERE ctid = (SELECT ctid FROM sms_segment WHERE smsc_message_id = ? "
                        + "ORDER BY submitted_at DESC LIMIT 1) RETURNING reference) "
                        + "UPDATE sms_message m SET delivery_state = CASE WHEN ? = 'DELIVRD' THEN "
                        + "  (CASE WHEN NOT EXISTS (SELECT 1 FROM sms_segment s WHERE s.reference = m.reference "
                        + "     AND s.smsc_message_id <> ? AND (s.delivery_state IS NULL OR s.delivery_state <> 'DELIVRD')) "
                        + "   THEN 'DELIVRD' ELSE m.delivery_state END) ELSE ? END, "
                        + "delivered_at = CASE WHEN ? = 'DELIVRD' THEN ? ELSE m.delivered_at END "
                        + "FROM seg WHERE m.reference = seg.reference",
                receipt.state(), receipt.errorCode(), Timestamp.from(receipt.doneAt()), receipt.smscMessageId(),
                receipt.state(), receipt.smscMessageId(), receipt.state(), receipt.state(),
                Timestamp.from(receipt.doneAt()));
    }

    /** What the hub knows of one SMS (operator API, tests). */
    Optional<SmsStatus> status(UUID reference) {
        return jdbc.query("SELECT purpose, state, attempts, last_error, delivery_state, "
                        + "(SELECT count(*) FROM sms_segment s WHERE s.reference = m.reference) "
                        + "FROM sms_message m WHERE reference = ?",
                (rs, i) -> new SmsStatus(reference, rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6)), reference).stream().findFirst();
    }

    private static String truncate(String reason) {
        return reason == null || reason.length() <= 200 ? reason : reason.substring(0, 200);
    }

    /** @param segments segments the SMSC accepted */
    public record SmsStatus(UUID reference, String purpose, String state, int attempts, String lastError,
                            String deliveryState, int segments) {
    }
}
