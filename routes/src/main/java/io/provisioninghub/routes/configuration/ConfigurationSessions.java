package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.ExpiredRows;
import io.provisioninghub.routes.common.Secrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The cookie sessions of RCC.14 §2.2 (CFG-2) in the hub's database, so that any replica honours a cookie
 * another replica issued. The cookie carries a random value; the table holds its hash and the identity the
 * network asserted for it.
 */
@Repository
class ConfigurationSessions {

    private final JdbcTemplate jdbc;
    private final Duration ttl;
    private final String findSql;

    ConfigurationSessions(JdbcTemplate jdbc, ConfigurationPolicy policy, List<FullDocumentSupplement> supplements) {
        this.jdbc = jdbc;
        this.ttl = policy.sessionTtl();
        // Whether a supplement has something for the session's subscriber, asked in the same round trip (each
        // supplement's own SQL condition, FullDocumentSupplement#dueWhen); no supplement at all: never due.
        String due = supplements.isEmpty() ? "FALSE" : supplements.stream()
                .map(supplement -> "(" + supplement.dueWhen("s.imsi") + ")")
                .reduce((a, b) -> a + " OR " + b).orElseThrow();
        this.findSql = "SELECT s.msisdn, s.imsi, s.verified, c.last_version, c.resend_requested, " + due
                + " FROM config_session s LEFT JOIN subscriber_config c ON c.imsi = s.imsi "
                + "WHERE s.cookie_hash = ? AND s.expires_at > now()";
    }

    /** @return the cookie value to send in Set-Cookie */
    String open(SubscriberIdentity identity, boolean verified) {
        String cookie = Secrets.newValue();
        jdbc.update("INSERT INTO config_session (cookie_hash, msisdn, imsi, verified, expires_at) "
                        + "VALUES (?, ?, ?, ?, now() + make_interval(secs => ?))",
                Secrets.sha256(cookie), identity.msisdn(), identity.imsi(), verified, ttl.toSeconds());
        return cookie;
    }

    Optional<Session> find(String cookie) {
        if (!Secrets.looksLikeValue(cookie)) {
            return Optional.empty();
        }
        // One round trip for the session and, when the session names an IMSI, what that subscriber was last sent and
        // whether a full document would carry a supplement: the version check of the hot path (§2.2.4 case 2) and a
        // full document then need no further query of the hub database for that. The state is used only when the
        // subscriber served is the session's IMSI (DeviceConfigurationFlow).
        List<Session> found = jdbc.query(findSql,
                (rs, i) -> new Session(new SubscriberIdentity(rs.getString(1), rs.getString(2)), rs.getBoolean(3),
                        new SubscriberConfigState(rs.getLong(4), rs.getBoolean(5),
                                rs.getString(2) == null || rs.getBoolean(6))),
                (Object) Secrets.sha256(cookie));
        return found.stream().findFirst();
    }

    long maxAgeSeconds() {
        return ttl.toSeconds();
    }

    /**
     * Expired sessions are useless; any replica may purge them, all of them per run ({@link ExpiredRows}). Runs are
     * frequent (every second by default) so that each is small (about one second's worth of sessions) and the
     * database sees a steady trickle rather than a burst that would hold up requests; with nothing expired a run is
     * one index probe.
     */
    @Scheduled(fixedDelayString = "${hub.policy.session-purge-interval:1s}")
    void purgeExpired() {
        ExpiredRows.delete(jdbc, "config_session", "expires_at < now()");
    }

    /**
     * @param state what the subscriber named by the session's IMSI was last sent (zero/false when never
     *              configured, or when the session names no IMSI)
     */
    record Session(SubscriberIdentity identity, boolean verified, SubscriberConfigState state) {
    }
}
