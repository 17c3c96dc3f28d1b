package io.provisioninghub.connectors.deviceidentity.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SANDBOX ONLY: the device side of device identity (SIGNUP-1), for the sandbox's device simulator and tests. It
 * holds {@link DeviceCredentials} and does what a device does with them: sign the hub's challenge (compact JWS
 * with its chain in x5c), present its certificate in mutual TLS, decrypt the profile the hub encrypted to its key.
 */
public final class SandboxDevice {

    private final DeviceCredentials credentials;

    public SandboxDevice(DeviceCredentials credentials) {
        this.credentials = credentials;
    }

    public DeviceCredentials credentials() {
        return credentials;
    }

    /** The algorithm the device signs with: ES256 (P-256), ES384 (P-384) or PS256 (RSA). */
    public JWSAlgorithm algorithm() {
        if (credentials.privateKey() instanceof ECPrivateKey) {
            Curve curve = Curve.forECParameterSpec(((ECPrivateKey) credentials.privateKey()).getParams());
            return Curve.P_384.equals(curve) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES256;
        }
        return JWSAlgorithm.PS256;
    }

    /** The hub's challenge signed now: {@code {"nonce": ..., "iat": <now>}}. */
    public String signChallenge(String nonce) {
        return signChallenge(nonce, Instant.now());
    }

    /** The hub's challenge signed with this timestamp. */
    public String signChallenge(String nonce, Instant issuedAt) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("nonce", nonce);
        payload.put("iat", issuedAt.getEpochSecond());
        return sign(algorithm(), payload);
    }

    /** Any payload signed with the device key, its chain in x5c (tests use other algorithms and payloads). */
    public String sign(JWSAlgorithm algorithm, Map<String, Object> payload) {
        try {
            JWSSigner signer = credentials.privateKey() instanceof ECPrivateKey
                    ? new ECDSASigner((ECPrivateKey) credentials.privateKey())
                    : new RSASSASigner(credentials.privateKey());
            JWSObject jws = new JWSObject(new JWSHeader.Builder(algorithm).x509CertChain(x5c()).build(),
                    new Payload(payload));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("the device cannot sign with " + algorithm + ": " + e.getMessage(), e);
        }
    }

    /** The chain as JWS x5c values (RFC 7515 §4.1.6: base64 DER, device certificate first). */
    public List<Base64> x5c() {
        List<Base64> chain = new ArrayList<>();
        for (X509Certificate certificate : credentials.chain()) {
            try {
                chain.add(Base64.encode(certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return chain;
    }

    /** Key managers presenting the device certificate in mutual TLS. */
    public KeyManager[] keyManagers() {
        char[] password = "device".toCharArray();
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(credentials.keyStore(password), password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the device's key managers", e);
        }
    }

    /** Decrypts a compact JWE encrypted to the device's key (ECDH-ES[+A*KW] or RSA-OAEP-256). */
    public String decrypt(String compactJwe) throws ParseException, JOSEException {
        JWEObject jwe = JWEObject.parse(compactJwe);
        JWEDecrypter decrypter = credentials.privateKey() instanceof ECPrivateKey
                ? new ECDHDecrypter((ECPrivateKey) credentials.privateKey())
                : new RSADecrypter(credentials.privateKey());
        jwe.decrypt(decrypter);
        return jwe.getPayload().toString();
    }

}
