package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.deviceidentity.DeviceIdentity;
import io.provisioninghub.connectors.deviceidentity.SignedChallenges;
import io.provisioninghub.connectors.deviceidentity.VerifiedChallenge;
import io.provisioninghub.routes.common.Secrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Device authentication for headed sign-up (SIGNUP-1/2): single-use challenges, and the limited session a device gets
 * for a signed challenge. Nonces and session cookies are random (256 bits) and only their SHA-256 is stored, so a
 * database reader can neither answer a challenge nor take over a session. A session is bound to the device identity
 * the chain proved: its identity value, certificate fingerprint and public key (what the profile is encrypted to).
 */
@Service
class SignupSessions {

    static final String COOKIE_NAME = "hub_signup";

    private final JdbcTemplate jdbc;
    private final SignedChallenges challenges;
    private final SignupProperties properties;

    SignupSessions(JdbcTemplate jdbc, SignedChallenges challenges, SignupProperties properties) {
        this.jdbc = jdbc;
        this.challenges = challenges;
        this.properties = properties;
    }

    /** The device's side of a session, as the sign-up routes need it. */
    record Session(String sessionHash, String cookie, String deviceKind, String deviceValue, String fingerprint,
                   String publicJwk, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[fingerprint=" + fingerprint + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** A challenge refused for a reason the device can act on (ask for a new one). */
    static final class ChallengeRefused extends Exception {
        ChallengeRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** A new single-use challenge; expired ones are swept on the way (cheap: an index range). */
    Issued issueNonce() {
        jdbc.update("DELETE FROM signup_nonce WHERE expires_at < now() - interval '1 hour'");
        String nonce = Secrets.newValue();
        Instant expires = Instant.now().plus(properties.nonceValidity());
        jdbc.update("INSERT INTO signup_nonce (nonce_hash, expires_at) VALUES (?, ?)", sha256(nonce), Timestamp.from(expires));
        return new Issued(nonce, expires);
    }

    record Issued(String value, Instant expiresAt) {
    }

    /**
     * Verifies the signed challenge (chain to a trusted manufacturer CA, signature, timestamp), then uses its nonce up
     * and opens a session. The chain is checked first, so an unknown device cannot use up a nonce.
     *
     * @throws io.provisioninghub.connectors.deviceidentity.DeviceIdentityRefusedException the chain or signature is refused
     * @throws ChallengeRefused the nonce is unknown, expired or already used
     */
    Session open(String compactJws) throws ChallengeRefused {
        VerifiedChallenge verified = challenges.verify(compactJws);
        int used = jdbc.update("UPDATE signup_nonce SET used_at = now() WHERE nonce_hash = ? AND used_at IS NULL "
                + "AND expires_at > now()", sha256(verified.nonce()));
        if (used != 1) {
            throw new ChallengeRefused("the challenge is unknown, expired or already used: ask for a new one at "
                    + "GET /signup/v1/challenge");
        }
        DeviceIdentity device = verified.device();
        String cookie = Secrets.newValue();
        Instant expires = Instant.now().plus(properties.sessionValidity());
        String jwk = device.publicJwk().toPublicJWK().toJSONString();
        jdbc.update("DELETE FROM signup_session WHERE expires_at < now() - interval '1 day'");
        jdbc.update("INSERT INTO signup_session (session_hash, device_kind, device_value, device_fingerprint, public_jwk, "
                        + "expires_at) VALUES (?, ?, ?, ?, ?, ?)", sha256(cookie), device.kind().name(), device.value(),
                device.fingerprint(), jwk, Timestamp.from(expires));
        return new Session(sha256(cookie), cookie, device.kind().name(), device.value(), device.fingerprint(), jwk, expires);
    }

    /** The unexpired session named by the request's {@code Cookie} header, if any. */
    Optional<Session> fromCookieHeader(String cookieHeader) {
        String cookie = cookieValue(cookieHeader);
        if (cookie == null) {
            return Optional.empty();
        }
        String hash = sha256(cookie);
        List<Session> found = jdbc.query("SELECT device_kind, device_value, device_fingerprint, public_jwk, expires_at "
                        + "FROM signup_session WHERE session_hash = ? AND expires_at > now()",
                (rs, i) -> new Session(hash, cookie, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()), hash);
        return found.stream().findFirst();
    }

    /**
     * The form's CSRF token: derived from the session cookie (which a cross-site page can neither read nor send with
     * SameSite=Strict), so it needs no storage and differs from the stored hash.
     */
    static String csrfToken(Session session) {
        return sha256("csrf|" + session.cookie());
    }

    static boolean csrfMatches(Session session, String token) {
        return token != null && MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    String setCookie(Session session) {
        // Path=/signup: the browser sends it to the sign-up pages only; Secure + HttpOnly + SameSite=Strict.
        return COOKIE_NAME + "=" + session.cookie() + "; Max-Age=" + properties.sessionValidity().toSeconds()
                + "; Path=/signup; Secure; HttpOnly; SameSite=Strict";
    }

    private static String cookieValue(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE_NAME + "=")) {
                String value = p.substring(COOKIE_NAME.length() + 1);
                return Secrets.looksLikeValue(value) ? value : null;
            }
        }
        return null;
    }

    /** SHA-256 in lower-case hex: what the tables keep of nonces and cookies. */
    static String sha256(String value) {
        return HexFormat.of().formatHex(Secrets.sha256(value));
    }
}
