package io.provisioninghub.routes.configuration;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * VERS versions (RCC.14 §2.2.2, CFG-4). A version names one static configuration (its fingerprint), so equal
 * inputs give an equal version on every replica: the mapping lives in one table with the fingerprint as key.
 * Versions come from a sequence, so a new static configuration always gets a higher number than any before.
 *
 * <p>Some clients compare versions, so a subscriber's version never decreases: when a subscriber moves back to a
 * static configuration numbered lower than what it was last sent (e.g. a service opted in again), that
 * configuration is re-numbered from the sequence. Every subscriber on it then gets the same content once more
 * under the new number, which is harmless, and the rule "equal inputs, equal version" still holds.
 */
@Repository
class ConfigurationVersions {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    ConfigurationVersions(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * The read-only check of the hot path (§2.2.4 case 2): one round trip, no write.
     *
     * @return true when the client already holds the current version and no resend is pending
     */
    boolean isCurrent(String imsi, byte[] fingerprint, long clientVersion) {
        if (clientVersion <= 0) {
            return false;
        }
        List<Boolean> current = jdbc.query(
                "SELECT v.version = ? AND COALESCE(s.last_version, 0) <= v.version AND NOT COALESCE(s.resend_requested, FALSE) "
                        + "FROM config_version v LEFT JOIN subscriber_config s ON s.imsi = ? WHERE v.fingerprint = ?",
                (rs, i) -> rs.getBoolean(1), clientVersion, imsi, fingerprint);
        return !current.isEmpty() && current.get(0);
    }

    /** Records that the subscriber gets the full document of this static configuration; returns its version. */
    long serveFull(String imsi, byte[] fingerprint) {
        Long version = transactions.execute(status -> {
            jdbc.update("INSERT INTO config_version (fingerprint, version) VALUES (?, nextval('config_version_seq')) "
                    + "ON CONFLICT (fingerprint) DO NOTHING", (Object) fingerprint);
            long current = jdbc.queryForObject("SELECT version FROM config_version WHERE fingerprint = ?",
                    Long.class, (Object) fingerprint);
            List<Long> last = jdbc.queryForList("SELECT last_version FROM subscriber_config WHERE imsi = ? FOR UPDATE",
                    Long.class, imsi);
            if (!last.isEmpty() && last.get(0) > current) {
                List<Long> renumbered = jdbc.queryForList(
                        "UPDATE config_version SET version = nextval('config_version_seq'), issued_at = now() "
                                + "WHERE fingerprint = ? AND version < ? RETURNING version",
                        Long.class, fingerprint, last.get(0));
                current = renumbered.isEmpty()
                        ? jdbc.queryForObject("SELECT version FROM config_version WHERE fingerprint = ?",
                        Long.class, (Object) fingerprint)
                        : renumbered.get(0);
            }
            jdbc.update("INSERT INTO subscriber_config (imsi, last_version, resend_requested, last_served_at) "
                    + "VALUES (?, ?, FALSE, now()) ON CONFLICT (imsi) DO UPDATE SET "
                    + "last_version = GREATEST(subscriber_config.last_version, EXCLUDED.last_version), "
                    + "resend_requested = FALSE, last_served_at = now(), updated_at = now()", imsi, current);
            return current;
        });
        return version == null ? 0 : version;
    }

    /** Customer care's resend mark (§2.2.4 case 3): the next check gets the full document. */
    void markForResend(String imsi) {
        jdbc.update("INSERT INTO subscriber_config (imsi, resend_requested) VALUES (?, TRUE) "
                + "ON CONFLICT (imsi) DO UPDATE SET resend_requested = TRUE, updated_at = now()", imsi);
    }

    /** What the subscriber was last sent, for the operator API; empty when never configured. */
    List<java.util.Map<String, Object>> stateOf(String imsi) {
        return jdbc.queryForList("SELECT last_version, resend_requested, "
                + "to_char(last_served_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS last_served_at "
                + "FROM subscriber_config WHERE imsi = ?", imsi);
    }
}
