package io.provisioninghub.routes.rotation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The operator's secrets a rotation needs (ROT-2), the same on every replica, from a Kubernetes Secret:
 * <ul>
 *   <li>{@code hub.rotation.encryption-key}: the private EC JWK devices encrypt their proposed K to (JWE
 *       ECDH-ES+A256KW); its public part travels in the configuration document's CREDENTIAL-ROTATION characteristic;</li>
 *   <li>{@code hub.rotation.op}: MILENAGE OP (32 hex digits), from which the hub derives the OPc it writes with K
 *       (TS 35.206 §4.1).</li>
 * </ul>
 * In the sandbox, unset values fall back to the well-known sandbox keys of {@code sandbox/rotation-keys.json}; outside
 * it the hub does not start without them. Neither value is ever logged; {@link #toString()} hides them.
 */
@Component
public class RotationKeys {

    static final String SANDBOX_KEYS = "/sandbox/rotation-keys.json";
    private static final Logger LOG = LoggerFactory.getLogger(RotationKeys.class);
    private static final Set<Curve> CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);

    private final ECKey encryptionKey;
    private final String publicEncryptionKeyJson;
    private final byte[] op;

    RotationKeys(@Value("${hub.rotation.encryption-key:}") String encryptionKey, @Value("${hub.rotation.op:}") String op,
                 @Value("${hub.sandbox.enabled:false}") boolean sandbox, ObjectMapper json) {
        JsonNode sandboxKeys = null;
        if ((encryptionKey.isBlank() || op.isBlank())) {
            if (!sandbox) {
                throw new IllegalStateException("hub.rotation.encryption-key and hub.rotation.op must be set: the operator's "
                        + "private EC JWK that devices encrypt proposed credentials to, and MILENAGE OP (32 hex digits)");
            }
            LOG.warn("hub.rotation.encryption-key or hub.rotation.op not set: using the sandbox's well-known keys");
            sandboxKeys = sandboxKeys(json);
        }
        this.encryptionKey = parseKey(encryptionKey.isBlank() ? sandboxKeys.get("operatorEncryptionKey").toString() : encryptionKey);
        String opHex = op.isBlank() ? sandboxKeys.get("operatorOp").asText() : op.trim();
        if (!opHex.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalStateException("hub.rotation.op must be 32 hex digits (128 bits)");
        }
        this.op = HexFormat.of().parseHex(opHex);
        this.publicEncryptionKeyJson = publicJson(this.encryptionKey);
    }

    static JsonNode sandboxKeys(ObjectMapper json) {
        try (InputStream in = RotationKeys.class.getResourceAsStream(SANDBOX_KEYS)) {
            if (in == null) {
                throw new IllegalStateException(SANDBOX_KEYS + " is missing from the classpath");
            }
            return json.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SANDBOX_KEYS, e);
        }
    }

    private static ECKey parseKey(String jwkJson) {
        JWK jwk;
        try {
            jwk = JWK.parse(jwkJson);
        } catch (ParseException e) {
            throw new IllegalStateException("hub.rotation.encryption-key is not a JWK (RFC 7517)");
        }
        if (!(jwk instanceof ECKey ec) || !ec.isPrivate() || !CURVES.contains(ec.getCurve())) {
            throw new IllegalStateException("hub.rotation.encryption-key must be a private EC JWK on P-256, P-384 or P-521");
        }
        return ec;
    }

    /** The private key that decrypts proposals. */
    ECKey encryptionKey() {
        return encryptionKey;
    }

    /** The public JWK devices encrypt to, with its RFC 7638 thumbprint as kid (computed once: every document carries it). */
    public String publicEncryptionKeyJson() {
        return publicEncryptionKeyJson;
    }

    private static String publicJson(ECKey encryptionKey) {
        try {
            ECKey pub = encryptionKey.toPublicJWK();
            return new ECKey.Builder(pub).keyID(pub.computeThumbprint().toString()).build().toJSONString();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("cannot compute the encryption key's thumbprint", e);
        }
    }

    /** OPc for a new K (TS 35.206 §4.1). Public for sign-up (SIGNUP-2), which creates a subscriber's first K. */
    public byte[] opcFor(byte[] k) {
        return MilenageOpc.of(k, op);
    }

    @Override
    public String toString() {
        return "RotationKeys[redacted]";
    }
}
