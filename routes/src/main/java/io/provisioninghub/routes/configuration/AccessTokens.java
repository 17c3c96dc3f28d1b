package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.Secrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.Duration;

/**
 * TOKEN values (RCC.14 §2.2.2, §4.2): 144 random bits (24 characters, Tables 12 and 14) from a CSPRNG, stored as a hash and bound to the identity
 * they were issued for, so that a later non-3GPP request (§2.3.2) can be identified by the token. Tokens are
 * revoked per identity (e.g. before a credential rotation).
 */
@Repository
class AccessTokens {

    private final JdbcTemplate jdbc;
    private final Duration validity;

    AccessTokens(JdbcTemplate jdbc, ConfigurationPolicy policy) {
        this.jdbc = jdbc;
        this.validity = policy.tokenValidity();
    }

    String issue(SubscriberIdentity identity) {
        String token = Secrets.newToken();
        jdbc.update("INSERT INTO access_token (token_hash, imsi, msisdn, privileged, expires_at) "
                        + "VALUES (?, ?, ?, TRUE, now() + make_interval(secs => ?))",
                Secrets.sha256(token), identity.imsi(), identity.msisdn(), validity.toSeconds());
        return token;
    }

    int revokeAll(String imsi) {
        return jdbc.update("UPDATE access_token SET revoked_at = now() WHERE imsi = ? AND revoked_at IS NULL", imsi);
    }
}
