package io.provisioninghub.routes.signup;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.provisioninghub.connectors.deviceidentity.DeviceCertificates;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentity;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentityProperties;
import io.provisioninghub.connectors.deviceidentity.DeviceIdentityRefusedException;
import io.provisioninghub.connectors.deviceidentity.Imei;
import org.springframework.stereotype.Component;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The device half of a bulk binding row (SIGNUP-1/3): either its manufacturer certificate, validated now exactly as at
 * a device's sign-in (PKIX against the configured manufacturer CAs, dates, CRL, certificate profile), or an IMEI with
 * the device's public key (a JWK, or a DER SubjectPublicKeyInfo in base64). The key types are those a device
 * certificate may carry ({@code hub.device-identity.accepted-key-types}, {@code rsa-min-bits}): the profile is
 * encrypted to this key. A private JWK is refused and not kept.
 */
@Component
class BindingDevices {

    private final DeviceCertificates certificates;
    private final DeviceIdentityProperties properties;

    BindingDevices(DeviceCertificates certificates, DeviceIdentityProperties properties) {
        this.certificates = certificates;
        this.properties = properties;
    }

    /**
     * A device as a binding knows it.
     *
     * @param fingerprint the certificate's SHA-256 fingerprint; null for a device bound by IMEI + key
     * @param publicJwk   the public key as JWK JSON (what the profile is encrypted to)
     * @param thumbprint  RFC 7638 thumbprint of the key, hex
     */
    record BoundDevice(String kind, String value, String fingerprint, String publicJwk, String thumbprint) {
        String label() {
            return label(kind, value);
        }

        static String label(String kind, String value) {
            return ("SERIAL".equals(kind) ? "SN" : kind) + ":" + value;
        }

        @Override
        public String toString() {
            return "BoundDevice[fingerprint=" + fingerprint + "]";
        }
    }

    /** A row's device cannot be bound; the reason is one of the API's refusal names (docs/flows/headless.md). */
    static final class Refused extends Exception {
        private final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /**
     * @param certificate PEM text, or base64 DER certificates separated by spaces: the device certificate, then its
     *                    intermediates; or null
     * @param imei        15 digits with a valid check digit, with {@code publicKey}; or null
     * @param publicKey   a JWK (a Map from JSON) or a base64 DER SubjectPublicKeyInfo (a String), or null
     */
    BoundDevice resolve(String certificate, String imei, Object publicKey) throws Refused {
        boolean byCertificate = certificate != null;
        boolean byImei = imei != null || publicKey != null;
        if (byCertificate == byImei) {
            throw new Refused("MALFORMED", "give either certificate, or imei with publicKey");
        }
        if (byCertificate) {
            return fromCertificate(certificate);
        }
        if (imei == null || !Imei.isValid(imei)) {
            throw new Refused("MALFORMED", "imei must be 15 digits with a valid check digit (Luhn)");
        }
        if (publicKey == null) {
            throw new Refused("MALFORMED", "publicKey is required with imei");
        }
        JWK jwk = publicJwk(publicKey);
        return new BoundDevice(DeviceIdentity.Kind.IMEI.name(), imei, null, jwk.toJSONString(), Signups.thumbprint(jwk));
    }

    private BoundDevice fromCertificate(String certificate) throws Refused {
        DeviceIdentity identity;
        try {
            String text = certificate.trim();
            // PEM may carry the intermediates; so may base64 DER (the CSV form): one certificate per space-separated
            // part, the device certificate first (line breaks inside a part are base64 wrapping, not separators).
            identity = text.startsWith("-----BEGIN")
                    ? certificates.validatePem(text)
                    : certificates.validateDer(java.util.Arrays.stream(text.split(" +"))
                            .map(part -> Base64.getMimeDecoder().decode(part)).toList());
        } catch (IllegalArgumentException e) {
            throw new Refused("MALFORMED", "certificate is neither PEM nor base64 DER");
        } catch (DeviceIdentityRefusedException refused) {
            throw new Refused(refused.reason().name(), refused.getMessage());
        }
        JWK jwk = identity.publicJwk().toPublicJWK();
        return new BoundDevice(identity.kind().name(), identity.value(), identity.fingerprint(), jwk.toJSONString(),
                Signups.thumbprint(jwk));
    }

    @SuppressWarnings("unchecked")
    private JWK publicJwk(Object publicKey) throws Refused {
        JWK jwk;
        if (publicKey instanceof Map) {
            try {
                jwk = JWK.parse((Map<String, Object>) publicKey);
            } catch (ParseException | RuntimeException e) {
                throw new Refused("BAD_KEY", "publicKey is not a JWK (RFC 7517)");
            }
            if (jwk.isPrivate()) {
                // Not kept, not echoed: the sender should know its private key left the device.
                throw new Refused("BAD_KEY", "publicKey holds a private key: send the public part only");
            }
        } else if (publicKey instanceof String text) {
            jwk = fromSpki(text);
        } else {
            throw new Refused("MALFORMED", "publicKey must be a JWK object or a base64 SubjectPublicKeyInfo");
        }
        checkType(jwk);
        return jwk.toPublicJWK();
    }

    private static JWK fromSpki(String base64) throws Refused {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new Refused("MALFORMED", "publicKey is not base64");
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                if (key instanceof ECPublicKey ec) {
                    Curve curve = Curve.forECParameterSpec(ec.getParams());
                    if (curve == null) {
                        throw new Refused("BAD_KEY", "publicKey is on an EC curve the hub does not accept");
                    }
                    return new ECKey.Builder(curve, ec).build();
                }
                return new RSAKey.Builder((RSAPublicKey) key).build();
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new Refused("BAD_KEY", "publicKey is not an EC or RSA SubjectPublicKeyInfo");
    }

    /** The same key types as a device certificate may carry (DeviceCertificateProfile). */
    private void checkType(JWK jwk) throws Refused {
        DeviceIdentityProperties.KeyType type = null;
        if (jwk instanceof ECKey ec) {
            if (Curve.P_256.equals(ec.getCurve())) {
                type = DeviceIdentityProperties.KeyType.EC_P256;
            } else if (Curve.P_384.equals(ec.getCurve())) {
                type = DeviceIdentityProperties.KeyType.EC_P384;
            }
        } else if (jwk instanceof RSAKey rsa) {
            if (rsa.size() < properties.rsaMinBits()) {
                throw new Refused("BAD_KEY", "RSA keys need at least " + properties.rsaMinBits() + " bits");
            }
            type = DeviceIdentityProperties.KeyType.RSA;
        }
        if (type == null || !properties.acceptedKeyTypes().contains(type)) {
            throw new Refused("BAD_KEY", "publicKey must be one of " + properties.acceptedKeyTypes());
        }
    }
}
