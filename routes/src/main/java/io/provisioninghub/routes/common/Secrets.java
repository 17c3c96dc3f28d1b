package io.provisioninghub.routes.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random values that guard access (cookies, tokens) and the way they are stored. Values come from a CSPRNG
 * and carry 256 bits; the database keeps only their SHA-256, so a leaked table grants nothing. A fast hash is
 * enough here (unlike passwords) because the values are long and random, not guessable.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** Session cookie values: 32 random bytes, base64url without padding (43 characters, RFC 6265 cookie-safe). */
    public static String newValue() {
        return random(32);
    }

    /**
     * TOKEN values: 18 random bytes (144 bits, above the 128 bits OTP-7 asks), base64url: 24 characters, the
     * most RCC.14 Tables 12 and 14 let a client send back in the token parameter.
     */
    public static String newToken() {
        return random(18);
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return ENCODER.encodeToString(value);
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    /** True when the value has the shape {@link #newValue()} produces; anything else is garbage to refuse early. */
    public static boolean looksLikeValue(String value) {
        return hasShape(value, 43);
    }

    /** True when the value has the shape {@link #newToken()} produces. */
    public static boolean looksLikeToken(String value) {
        return hasShape(value, 24);
    }

    private static boolean hasShape(String value, int length) {
        if (value == null || value.length() != length) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
