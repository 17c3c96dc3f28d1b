package io.provisioninghub.connectors.deviceidentity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A device whose certificate chain the hub validated (SIGNUP-1). This is the device's identity, set by its
 * manufacturer; it says nothing about a subscription (IMSI/MSISDN), which the hub binds to it later and keeps
 * apart.
 *
 * @param kind             what {@link #value} is
 * @param value            the IMEI (15 digits, check digit verified) or the manufacturer's serial number
 * @param manufacturer     subject of the trust anchor the chain led to (RFC 2253 form)
 * @param manufacturerName the configured name of that manufacturer ({@code hub.device-identity.manufacturers[*].name})
 * @param publicKey        the device's public key (the leaf certificate's): it verifies the device's signatures,
 *                         and its profile is encrypted to it
 * @param fingerprint      SHA-256 of the leaf certificate's DER encoding, lower-case hex
 * @param notAfter         end of the leaf certificate's validity
 * @param certificate      the leaf certificate itself
 */
public record DeviceIdentity(Kind kind, String value, String manufacturer, String manufacturerName,
                             PublicKey publicKey, String fingerprint, Instant notAfter,
                             X509Certificate certificate) {

    /** Where the identity came from in the certificate profile (subject serialNumber "IMEI:" or "SN:"). */
    public enum Kind {
        IMEI, SERIAL
    }

    public DeviceIdentity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /**
     * The device key as a public JWK (EC or RSA, with x5c and x5t#S256 from the certificate): what a JWE
     * encrypter for the device's profile (ECDH-ES / RSA-OAEP-256) takes.
     */
    public JWK publicJwk() {
        try {
            return JWK.parse(certificate);
        } catch (JOSEException e) {
            throw new IllegalStateException("the validated device key cannot be expressed as a JWK", e);
        }
    }

    // Records print every component: keep the device's IMEI/serial and the key out of logs; the fingerprint
    // identifies the certificate well enough for an operator.
    @Override
    public String toString() {
        return "DeviceIdentity[kind=" + kind + ", manufacturer=" + manufacturerName + ", fingerprint="
                + fingerprint + ", notAfter=" + notAfter + "]";
    }
}
