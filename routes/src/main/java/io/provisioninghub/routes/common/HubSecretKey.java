package io.provisioninghub.routes.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The hub's own secret ({@code hub.otp.hash-key}, the same on every replica, from a Kubernetes Secret) and the keys
 * derived from it, one per purpose (HMAC-SHA-256 of the purpose's label under the secret, as HKDF-Expand does for one
 * block): the OTP hashes, the SMS outbox's encryption. Outside the sandbox the hub does not start without it.
 */
@Component
public class HubSecretKey {

    private static final Logger LOG = LoggerFactory.getLogger(HubSecretKey.class);

    private final byte[] secret;

    HubSecretKey(@Value("${hub.otp.hash-key:}") String configured, @Value("${hub.sandbox.enabled:false}") boolean sandbox) {
        String value = configured;
        if (value.isBlank()) {
            if (!sandbox) {
                throw new IllegalStateException("hub.otp.hash-key is not set: give every replica the same random secret "
                        + "(at least 32 characters), e.g. from a Kubernetes Secret");
            }
            value = "sandbox-only-otp-hash-key";
            LOG.warn("hub.otp.hash-key not set: using the sandbox's well-known key");
        }
        this.secret = value.getBytes(StandardCharsets.UTF_8);
    }

    /** The key for the OTP hashes (kept as the secret itself, so OTPs issued before this class still verify). */
    public SecretKeySpec otpHashKey() {
        return new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A 256-bit key for one purpose, e.g. "sms-outbox/aes-gcm/v1". */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is mandatory in every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "HubSecretKey[redacted]";
    }
}
