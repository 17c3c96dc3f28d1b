package io.provisioninghub.routes.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The device side of a credential rotation (issue 4, ROT-2; wire format docs/flows/rotation.md), as a device
 * implementation would do it: read the CREDENTIAL-ROTATION characteristic of its configuration, generate a new K,
 * encrypt it to the operator's key (JWE ECDH-ES+A256KW / A256GCM), sign nonce + encrypted K with its own key (JWS ES256),
 * and POST the result over HTTPS.
 */
public final class RotatingDevice {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceClient http;
    private final String imsi;
    private final String imei;
    private final ECKey signingKey;

    public RotatingDevice(DeviceClient http, String imsi, String imei, ECKey signingKey) {
        this.http = http;
        this.imsi = imsi;
        this.imei = imei;
        this.signingKey = signingKey;
    }

    public static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECKey signingKey() {
        return signingKey;
    }

    /** What the configuration document says about the rotation. */
    public record Challenge(String nonce, String url, ECKey encryptionKey) {
    }

    /** The CREDENTIAL-ROTATION characteristic of a configuration document, if it has one. */
    public static Optional<Challenge> challengeIn(String configurationXml) {
        ProvisioningDocument doc = ProvisioningDocument.parse(configurationXml);
        Optional<String> nonce = doc.parm("CREDENTIAL-ROTATION", "nonce");
        if (nonce.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Challenge(nonce.get(), doc.parm("CREDENTIAL-ROTATION", "url").orElseThrow(),
                    ECKey.parse(doc.parm("CREDENTIAL-ROTATION", "encryptionKey").orElseThrow())));
        } catch (ParseException e) {
            throw new AssertionError("the encryptionKey parm is not an EC JWK", e);
        }
    }

    public static byte[] newK() {
        byte[] k = new byte[16];
        RANDOM.nextBytes(k);
        return k;
    }

    /** The compact JWS to POST: payload {nonce, imsi, imei, credential = JWE of {"k": hex}}. */
    public String proposal(Challenge challenge, byte[] k) {
        return proposal(challenge.nonce(), imsi, challenge.encryptionKey(), k);
    }

    /** The same, with any nonce and IMSI (for the negative cases). */
    public String proposal(String nonce, String namedImsi, ECKey encryptionKey, byte[] k) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
                    .keyID(encryptionKey.getKeyID()).build(),
                    new Payload(Map.of("k", HexFormat.of().formatHex(k))));
            jwe.encrypt(new ECDHEncrypter(encryptionKey.toECPublicKey()));
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("nonce", nonce);
            payload.put("imsi", namedImsi);
            if (imei != null) {
                payload.put("imei", imei);
            }
            payload.put("credential", jwe.serialize());
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID(signingKey.toPublicJWK().computeThumbprint().toString()).build(),
                    new Payload(JSON.writeValueAsString(payload)));
            jws.sign(new ECDSASigner(signingKey));
            return jws.serialize();
        } catch (JOSEException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String url, String body) {
        return post(url, body, "application/jose");
    }

    public HttpResponse<String> post(String url, String body, String contentType) {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
