package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.ExpiredRows;
import io.provisioninghub.routes.common.Secrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.util.Optional;

/**
 * TOKEN values (RCC.14 §2.2.2, §4.2): 144 random bits (24 characters, Tables 12 and 14) from a CSPRNG, stored as a
 * hash and bound to the identity they were issued for, so that a later non-3GPP request (§2.3.2, §2.5.3, §2.6.1)
 * is identified by the token. Tokens are revoked per subscriber (operator API, credential rotation), or demoted to
 * "identifies but does not privilege" (§2.3.2 case 3), which sends the device through the OTP again.
 */
@Repository
class AccessTokens {

    private final JdbcTemplate jdbc;
    private final Duration validity;

    AccessTokens(JdbcTemplate jdbc, ConfigurationPolicy policy) {
        this.jdbc = jdbc;
        this.validity = policy.tokenValidity();
    }

    /**
     * A token found by its value: valid (unexpired, unrevoked), with its identity and device.
     *
     * @param issuedBy cellular, primary, additional or dedicated: the flow that issued it
     */
    record Token(SubscriberIdentity identity, boolean privileged, String issuedBy, String deviceType,
                 String friendlyDeviceName) {
    }

    String issue(SubscriberIdentity identity) {
        return issue(identity, "cellular", null, null);
    }

    String issue(SubscriberIdentity identity, String issuedBy, String deviceType, String friendlyDeviceName) {
        NewToken token = prepare(identity, issuedBy, deviceType, friendlyDeviceName);
        jdbc.update(NewToken.INSERT, token.insertArgs());
        return token.value();
    }

    /**
     * A token not stored yet, for a caller that stores it in a statement of its own: the full document that carries
     * it records what it served and stores its token in one round trip ({@link ConfigurationVersions#serveFull}).
     */
    NewToken prepare(SubscriberIdentity identity, String issuedBy, String deviceType, String friendlyDeviceName) {
        String token = Secrets.newToken();
        return new NewToken(token, new Object[]{Secrets.sha256(token), identity.imsi(), identity.msisdn(),
                validity.toSeconds(), issuedBy, deviceType, friendlyDeviceName});
    }

    /** @param value the token to send; {@link #INSERT} with {@link #insertArgs()} stores its hash */
    record NewToken(String value, Object[] insertArgs) {
        static final String INSERT = "INSERT INTO access_token (token_hash, imsi, msisdn, privileged, expires_at, "
                + "issued_by, device_type, friendly_device_name) "
                + "VALUES (?, ?, ?, TRUE, now() + make_interval(secs => ?), ?, ?, ?)";
    }

    /** @return the token when it is valid; empty when unknown, expired, revoked or not even token-shaped */
    Optional<Token> find(String token) {
        if (!Secrets.looksLikeToken(token)) {
            return Optional.empty();
        }
        return jdbc.query("SELECT imsi, msisdn, privileged, issued_by, device_type, friendly_device_name FROM access_token "
                        + "WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > now()",
                (rs, i) -> new Token(new SubscriberIdentity(rs.getString(2), rs.getString(1)), rs.getBoolean(3),
                        rs.getString(4), rs.getString(5), rs.getString(6)),
                (Object) Secrets.sha256(token)).stream().findFirst();
    }

    /** @return how many tokens were revoked */
    int revokeAll(String imsi) {
        return jdbc.update("UPDATE access_token SET revoked_at = now() WHERE imsi = ? AND revoked_at IS NULL", imsi);
    }

    /**
     * {@link #revokeAll} for many subscribers in one statement (the rotation intake's batches).
     *
     * @return tokens revoked per IMSI (IMSIs without a valid token are absent)
     */
    java.util.Map<String, Integer> revokeAllOf(java.util.Collection<String> imsis) {
        java.util.Map<String, Integer> revoked = new java.util.HashMap<>();
        if (imsis.isEmpty()) {
            return revoked;
        }
        jdbc.query("UPDATE access_token SET revoked_at = now() WHERE imsi = ANY(?::varchar[]) AND revoked_at IS NULL "
                        + "RETURNING imsi", (java.sql.ResultSet rs) -> {
                    revoked.merge(rs.getString(1), 1, Integer::sum);
                }, (Object) imsis.toArray(String[]::new));
        return revoked;
    }

    /** §2.3.2 case 3: the tokens still identify the subscriber but no longer privilege a configuration. */
    int demoteAll(String imsi) {
        return jdbc.update("UPDATE access_token SET privileged = FALSE WHERE imsi = ? AND revoked_at IS NULL "
                + "AND privileged", imsi);
    }

    /** Tokens that are expired or were revoked over 30 days ago (indexes access_token_expires_at/_revoked_at, V9). */
    static final String PURGEABLE = "expires_at < now() OR revoked_at < now() - interval '30 days'";

    /** Expired and long-revoked tokens are useless; any replica may purge them ({@link ExpiredRows}). */
    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void purgeExpired() {
        ExpiredRows.delete(jdbc, "access_token", PURGEABLE);
    }
}
