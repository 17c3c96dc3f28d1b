package io.provisioninghub.routes.configuration;

import io.provisioninghub.routes.common.ExpiredRows;
import io.provisioninghub.routes.common.Secrets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One-time passwords (OTP-7): digits from a CSPRNG, single use, valid for {@code hub.otp.validity}, at most
 * {@code hub.otp.max-attempts} tries, stored as HMAC-SHA-256 over a per-challenge salt and compared in constant
 * time. A cookie-bound challenge (RCC.14 §2.3.2, §2.5.1) is found by the hash of the session cookie; an out-of-band
 * one (§2.6) by the identity it was issued for.
 */
@Repository
class OtpChallenges {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, purpose, imsi, msisdn, device_type, friendly_device_name, salt, otp_hash";

    private final JdbcTemplate jdbc;
    private final OtpProperties properties;
    private final SecretKeySpec key;
    private final ConfigurationMetrics metrics;

    OtpChallenges(JdbcTemplate jdbc, OtpProperties properties,
                  io.provisioninghub.routes.common.HubSecretKey secretKey, ConfigurationMetrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.properties = properties;
        this.key = secretKey.otpHashKey();
    }

    /** The OTP to send and the challenge's cookie (to put in Set-Cookie), for §2.3.2 and §2.5.1. */
    record Issued(String cookie, String otp, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[redacted]";
        }
    }

    /** A verified challenge: who proved to hold the OTP, and for what. */
    record Challenge(long id, String purpose, SubscriberIdentity identity, String deviceType, String friendlyDeviceName) {
    }

    Issued issueForSession(String purpose, SubscriberIdentity identity, String deviceType, String friendlyDeviceName) {
        String cookie = Secrets.newValue();
        String otp = newOtp();
        Instant expiresAt = insert(Secrets.sha256(cookie), purpose, identity, deviceType, friendlyDeviceName, otp);
        return new Issued(cookie, otp, expiresAt);
    }

    /**
     * §2.6 step 1: an OTP for an identity, handed over out of band. Any earlier unused one for the identity dies.
     */
    Issued issueOutOfBand(SubscriberIdentity identity) {
        jdbc.update("UPDATE otp_challenge SET used_at = now() WHERE cookie_hash IS NULL AND msisdn = ? "
                + "AND purpose = 'dedicated' AND used_at IS NULL", identity.msisdn());
        String otp = newOtp();
        Instant expiresAt = insert(null, "dedicated", identity, null, null, otp);
        // Handed out of band by the caller at once; a session's challenge counts once its SMS is queued (the flow).
        metrics.otp(ConfigurationMetrics.ISSUED);
        return new Issued(null, otp, expiresAt);
    }

    /** @return the challenge when {@code otp} is right, unused, unexpired and within its tries; empty otherwise */
    Optional<Challenge> verifyForSession(String cookie, String otp) {
        if (!Secrets.looksLikeValue(cookie)) {
            return Optional.empty();
        }
        return verify(countAttempt("cookie_hash = ?", Secrets.sha256(cookie)), otp);
    }

    Optional<Challenge> verifyOutOfBand(String msisdn, String otp) {
        return verify(countAttempt("cookie_hash IS NULL AND purpose = 'dedicated' AND msisdn = ?", msisdn), otp);
    }

    /**
     * Counts the try before checking it, in one statement, so that concurrent guesses cannot exceed the limit.
     */
    private List<Stored> countAttempt(String where, Object key) {
        return jdbc.query("UPDATE otp_challenge SET attempts = attempts + 1 WHERE " + where
                        + " AND used_at IS NULL AND expires_at > now() AND attempts < max_attempts RETURNING " + COLUMNS
                        + ", attempts >= max_attempts AS last_try",
                STORED, key);
    }

    private Optional<Challenge> verify(List<Stored> candidates, String otp) {
        if (candidates.isEmpty()) {
            return Optional.empty(); // no live challenge to try the OTP against: not a challenge event
        }
        Stored stored = candidates.get(0);
        if (otp == null || otp.isEmpty() || otp.length() > 8
                || !MessageDigest.isEqual(stored.otpHash(), hash(stored.salt(), otp))) {
            // The try was counted against the challenge: a wrong OTP, and the last one it allowed when it says so.
            metrics.otp(ConfigurationMetrics.FAILED);
            if (stored.lastTry()) {
                metrics.otp(ConfigurationMetrics.LOCKED);
            }
            return Optional.empty();
        }
        // Single use even under a race: only the first of two right answers marks it used (and is counted).
        if (jdbc.update("UPDATE otp_challenge SET used_at = now() WHERE id = ? AND used_at IS NULL", stored.challenge().id()) != 1) {
            return Optional.empty();
        }
        metrics.otp(ConfigurationMetrics.VERIFIED);
        return Optional.of(stored.challenge());
    }

    private Instant insert(byte[] cookieHash, String purpose, SubscriberIdentity identity, String deviceType,
                           String friendlyDeviceName, String otp) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Instant expiresAt = Instant.now().plus(properties.validity());
        jdbc.update("INSERT INTO otp_challenge (cookie_hash, purpose, imsi, msisdn, device_type, friendly_device_name, "
                        + "salt, otp_hash, max_attempts, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                cookieHash, purpose, identity.imsi(), identity.msisdn(), deviceType, friendlyDeviceName, salt,
                hash(salt, otp), properties.maxAttempts(), java.sql.Timestamp.from(expiresAt));
        return expiresAt;
    }

    private String newOtp() {
        int length = properties.length();
        int bound = (int) Math.pow(10, length);
        String digits = Integer.toString(RANDOM.nextInt(bound));
        return "0".repeat(length - digits.length()) + digits;
    }

    private byte[] hash(byte[] salt, String otp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(salt);
            return mac.doFinal(otp.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is mandatory in every JRE", e);
        }
    }

    /** Used and expired challenges are useless; any replica may purge them ({@link ExpiredRows}). */
    @Scheduled(fixedDelayString = "${hub.policy.housekeeping-interval:60s}")
    void purgeExpired() {
        ExpiredRows.delete(jdbc, "otp_challenge", "expires_at < now() - interval '1 hour'");
    }

    /** @param lastTry this try used up the challenge's attempts */
    private record Stored(Challenge challenge, byte[] salt, byte[] otpHash, boolean lastTry) {
    }

    private static final RowMapper<Stored> STORED = (rs, i) -> new Stored(
            new Challenge(rs.getLong("id"), rs.getString("purpose"),
                    new SubscriberIdentity(rs.getString("msisdn"), rs.getString("imsi")),
                    rs.getString("device_type"), rs.getString("friendly_device_name")),
            rs.getBytes("salt"), rs.getBytes("otp_hash"), rs.getBoolean("last_try"));
}
