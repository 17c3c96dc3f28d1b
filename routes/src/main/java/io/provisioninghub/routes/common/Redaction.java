package io.provisioninghub.routes.common;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Log-safe references to subscriber identifiers (IMSI, MSISDN, IMEI). A plain hash of an IMSI can be reversed
 * by enumerating one operator's number range, so the reference is a keyed HMAC: stable within a deployment
 * (set {@code hub.logging.redaction-key} on every replica to correlate across them), useless to anyone without
 * the key.
 */
public final class Redaction {

    private static volatile SecretKeySpec key = randomKey();

    private Redaction() {
    }

    public static void useKey(String secret) {
        if (secret != null && !secret.isBlank()) {
            key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        }
    }

    /** {@code sub:1a2b3c4d5e6f} for a non-empty identifier, {@code sub:-} otherwise. */
    public static String ref(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            return "sub:-";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(identifier.getBytes(StandardCharsets.UTF_8));
            return "sub:" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (GeneralSecurityException e) {
            return "sub:?";
        }
    }

    private static SecretKeySpec randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new SecretKeySpec(bytes, "HmacSHA256");
    }
}
