package io.provisioninghub.connectors.deviceidentity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Device authentication by signed challenge, the alternative to mutual TLS (SIGNUP-1): the hub hands out a
 * nonce, the device returns a compact JWS (RFC 7515) signed with its manufacturer key, whose header carries its
 * certificate chain in {@code x5c} (§4.1.6: device certificate first, base64 DER) and whose payload is a JSON
 * object {@code {"nonce": "<the hub's challenge>", "iat": <seconds since the epoch>}} (more members are allowed
 * and returned).
 * <p>
 * {@link #verify(String)} validates the chain exactly as {@link DeviceCertificates} does, then the signature
 * with the device certificate's key (ES256, ES384, PS256 or RS256; Nimbus JOSE), then the timestamp (at most
 * {@code challenge-max-age} old, at most {@code clock-skew} ahead). Single use of the nonce is the caller's to
 * check. Thread-safe.
 */
public class SignedChallenges {

    /** The signature algorithms accepted: those of the accepted device key types. */
    public static final Set<JWSAlgorithm> ALGORITHMS =
            Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.PS256, JWSAlgorithm.RS256);

    /** Longest nonce accepted: a hub-issued nonce is far shorter; this bounds what a client can make us carry. */
    static final int MAX_NONCE_LENGTH = 512;

    private final DeviceCertificates certificates;
    private final Duration maxAge;
    private final Duration skew;
    private final Clock clock;

    public SignedChallenges(DeviceCertificates certificates, DeviceIdentityProperties properties, Clock clock) {
        this.certificates = certificates;
        this.maxAge = properties.challengeMaxAge();
        this.skew = properties.clockSkew();
        this.clock = clock;
    }

    /** Verifies a signed challenge; refuses it with a {@link DeviceIdentityRefusedException}. */
    public VerifiedChallenge verify(String compactJws) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compactJws == null ? "" : compactJws.strip());
        } catch (ParseException e) {
            throw refused(RefusalReason.MALFORMED, "the signed challenge is not a compact JWS");
        }
        JWSHeader header = jws.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!ALGORITHMS.contains(algorithm)) {
            throw refused(RefusalReason.BAD_SIGNATURE, "the signed challenge uses the algorithm " + algorithm
                    + "; accepted are ES256, ES384, PS256 and RS256");
        }
        List<Base64> x5c = header.getX509CertChain();
        if (x5c == null || x5c.isEmpty()) {
            throw refused(RefusalReason.MALFORMED,
                    "the signed challenge carries no certificate chain (JWS header x5c)");
        }
        List<byte[]> chain = new ArrayList<>();
        for (Base64 certificate : x5c) {
            chain.add(certificate.decode());
        }
        DeviceIdentity device = certificates.validateDer(chain);

        boolean valid;
        try {
            valid = jws.verify(verifier(algorithm, device.publicKey()));
        } catch (JOSEException e) {
            // e.g. ES384 over a P-256 key: Nimbus refuses the algorithm for the key.
            valid = false;
        }
        if (!valid) {
            throw refused(RefusalReason.BAD_SIGNATURE,
                    "the challenge's signature does not verify with the device certificate's key");
        }

        Map<String, Object> payload = jws.getPayload().toJSONObject();
        if (payload == null) {
            throw refused(RefusalReason.MALFORMED, "the signed challenge's payload is not a JSON object");
        }
        Object nonce = payload.get("nonce");
        if (!(nonce instanceof String) || ((String) nonce).isBlank()
                || ((String) nonce).length() > MAX_NONCE_LENGTH) {
            throw refused(RefusalReason.MALFORMED,
                    "the signed challenge's payload has no \"nonce\" string (1 to " + MAX_NONCE_LENGTH + " characters)");
        }
        Object iat = payload.get("iat");
        if (!(iat instanceof Number)) {
            throw refused(RefusalReason.MALFORMED,
                    "the signed challenge's payload has no \"iat\" timestamp (seconds since 1970-01-01T00:00:00Z)");
        }
        Instant issuedAt = Instant.ofEpochSecond(((Number) iat).longValue());
        Instant now = clock.instant();
        if (issuedAt.isAfter(now.plus(skew))) {
            throw refused(RefusalReason.STALE_CHALLENGE, "the signed challenge is dated " + issuedAt
                    + ", in the future (the hub's time is " + now + ")");
        }
        if (issuedAt.isBefore(now.minus(maxAge))) {
            throw refused(RefusalReason.STALE_CHALLENGE, "the signed challenge is dated " + issuedAt
                    + ", more than " + maxAge.toSeconds() + " s ago: ask for a new challenge");
        }
        return new VerifiedChallenge(device, (String) nonce, issuedAt, payload);
    }

    private static JWSVerifier verifier(JWSAlgorithm algorithm, PublicKey key) throws JOSEException {
        if (JWSAlgorithm.Family.EC.contains(algorithm) && key instanceof ECPublicKey) {
            return new ECDSAVerifier((ECPublicKey) key);
        }
        if (JWSAlgorithm.Family.RSA.contains(algorithm) && key instanceof RSAPublicKey) {
            return new RSASSAVerifier((RSAPublicKey) key);
        }
        throw new JOSEException("the algorithm does not fit the key");
    }

    private static DeviceIdentityRefusedException refused(RefusalReason reason, String message) {
        return new DeviceIdentityRefusedException(reason, message);
    }
}
