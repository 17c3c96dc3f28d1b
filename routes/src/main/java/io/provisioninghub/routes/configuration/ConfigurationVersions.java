package io.provisioninghub.routes.configuration;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import org.springframework.beans.factory.annotation.Value;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private final long cacheTtlNanos;
    /**
     * fingerprint (hex) → version, as last read: there are only a few static configurations, and their numbers
     * change only when one is re-numbered. A stale entry lives at most {@code hub.policy.version-cache-ttl} and
     * can only make this replica answer a client holding the old number of the same content with "current"
     * (harmless: same parameters) or send a full document where a version-only one would do; every full
     * document reads the number from the database.
     */
    private final Map<String, CachedVersion> cache = new ConcurrentHashMap<>();

    ConfigurationVersions(JdbcTemplate jdbc, TransactionTemplate transactions,
                          @Value("${hub.policy.version-cache-ttl:5s}") Duration cacheTtl) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.cacheTtlNanos = cacheTtl.toNanos();
    }

    /**
     * The read-only check of the hot path (§2.2.4 case 2): no write, and usually no query (the subscriber's state
     * came with the session, the fingerprint's version from the cache).
     *
     * @return true when the client already holds the current version and no resend is pending
     */
    boolean isCurrent(SubscriberConfigState state, byte[] fingerprint, long clientVersion) {
        if (clientVersion <= 0 || state.resendRequested()) {
            return false;
        }
        Long version = versionOf(fingerprint);
        return version != null && version == clientVersion && state.lastVersion() <= version;
    }

    /** What the subscriber was last sent, when it did not come with the session. */
    SubscriberConfigState configStateOf(String imsi) {
        List<SubscriberConfigState> rows = jdbc.query("SELECT last_version, resend_requested FROM subscriber_config "
                        + "WHERE imsi = ?", (rs, i) -> new SubscriberConfigState(rs.getLong(1), rs.getBoolean(2)), imsi);
        return rows.isEmpty() ? SubscriberConfigState.NEVER_CONFIGURED : rows.get(0);
    }

    private Long versionOf(byte[] fingerprint) {
        String key = HexFormat.of().formatHex(fingerprint);
        CachedVersion cached = cache.get(key);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < cacheTtlNanos) {
            return cached.version();
        }
        List<Long> rows = jdbc.queryForList("SELECT version FROM config_version WHERE fingerprint = ?",
                Long.class, (Object) fingerprint);
        if (rows.isEmpty()) {
            return null;
        }
        cache.put(key, new CachedVersion(rows.get(0), now));
        return rows.get(0);
    }

    private record CachedVersion(long version, long readAt) {
    }

    /** The usual full document's record: the subscriber's last version, and the configuration's (equal when usual). */
    private static final String SERVED_CTE = "v AS (SELECT version FROM config_version WHERE fingerprint = ?) "
            + "INSERT INTO subscriber_config (imsi, last_version, resend_requested, last_served_at) "
            + "SELECT ?, v.version, FALSE, now() FROM v ON CONFLICT (imsi) DO UPDATE SET "
            + "last_version = GREATEST(subscriber_config.last_version, EXCLUDED.last_version), "
            + "resend_requested = FALSE, last_served_at = now(), updated_at = now() "
            + "RETURNING last_version, (SELECT version FROM v)";
    private static final String SERVE_FULL = "WITH " + SERVED_CTE;
    private static final String SERVE_FULL_WITH_TOKEN =
            "WITH stored_token AS (" + AccessTokens.NewToken.INSERT + "), " + SERVED_CTE;
    private static final RowMapper<long[]> SERVED = (rs, i) -> new long[]{rs.getLong(1), rs.getLong(2)};

    /**
     * Records that the subscriber gets the full document of this static configuration; returns its version.
     *
     * @param token the TOKEN the document carries, stored by the same statement (a data-modifying CTE: one round
     *              trip and one commit for the whole first configuration), or null for none
     */
    long serveFull(String imsi, byte[] fingerprint, AccessTokens.NewToken token) {
        // Usual case in one statement: the configuration has a number already, and it is not below what the
        // subscriber was last sent. Otherwise (a new configuration, or one to re-number) the transaction below; the
        // token is stored either way.
        List<long[]> rows;
        if (token == null) {
            rows = jdbc.query(SERVE_FULL, SERVED, fingerprint, imsi);
        } else {
            Object[] args = Arrays.copyOf(token.insertArgs(), token.insertArgs().length + 2);
            args[args.length - 2] = fingerprint;
            args[args.length - 1] = imsi;
            rows = jdbc.query(SERVE_FULL_WITH_TOKEN, SERVED, args);
        }
        if (!rows.isEmpty() && rows.get(0)[0] == rows.get(0)[1]) {
            long version = rows.get(0)[1];
            cache.put(HexFormat.of().formatHex(fingerprint), new CachedVersion(version, System.nanoTime()));
            return version;
        }
        return serveFullSlowly(imsi, fingerprint);
    }

    private long serveFullSlowly(String imsi, byte[] fingerprint) {
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
        if (version == null) {
            return 0;
        }
        cache.put(HexFormat.of().formatHex(fingerprint), new CachedVersion(version, System.nanoTime()));
        return version;
    }

    /** Customer care's resend mark (§2.2.4 case 3): the next check gets the full document. */
    void markForResend(String imsi) {
        jdbc.update("INSERT INTO subscriber_config (imsi, resend_requested) VALUES (?, TRUE) "
                + "ON CONFLICT (imsi) DO UPDATE SET resend_requested = TRUE, updated_at = now()", imsi);
    }

    /** {@link #markForResend} for many subscribers in one statement (the rotation intake's batches). */
    void markForResendAll(java.util.Collection<String> imsis) {
        if (imsis.isEmpty()) {
            return;
        }
        // Distinct, and in a stable order: ON CONFLICT DO UPDATE may touch a row once per statement, and concurrent
        // batches lock their rows in the same order (no deadlock between two replicas' batches).
        String[] distinct = new java.util.TreeSet<>(imsis).toArray(String[]::new);
        jdbc.update("INSERT INTO subscriber_config (imsi, resend_requested) SELECT imsi, TRUE FROM unnest(?::varchar[]) AS t(imsi) "
                + "ON CONFLICT (imsi) DO UPDATE SET resend_requested = TRUE, updated_at = now()", (Object) distinct);
    }

    /** What the subscriber was last sent, for the operator API; empty when never configured. */
    List<java.util.Map<String, Object>> stateOf(String imsi) {
        return jdbc.queryForList("SELECT last_version, resend_requested, "
                + "to_char(last_served_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS last_served_at "
                + "FROM subscriber_config WHERE imsi = ?", imsi);
    }
}
