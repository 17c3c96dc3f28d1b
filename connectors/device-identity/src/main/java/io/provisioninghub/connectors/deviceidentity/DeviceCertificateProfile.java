package io.provisioninghub.connectors.deviceidentity;

import com.nimbusds.jose.jwk.Curve;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device certificate profile the hub accepts (SIGNUP-1; docs/device-identity.md#the-device-certificate-profile):
 * <ul>
 *   <li>basicConstraints absent or CA:false;</li>
 *   <li>keyUsage present with digitalSignature (the device signs challenges and TLS handshakes) and, because the
 *       hub encrypts the device's subscription profile to this key, keyAgreement for an EC key (ECDH-ES) or
 *       keyEncipherment for an RSA key (RSA-OAEP); never keyCertSign or cRLSign;</li>
 *   <li>extendedKeyUsage absent, or containing id-kp-clientAuth (or anyExtendedKeyUsage);</li>
 *   <li>a key of an accepted type: EC P-256 / P-384, RSA of at least the configured size;</li>
 *   <li>exactly one subject serialNumber attribute (OID 2.5.4.5, as IEEE 802.1AR device identifiers do) holding
 *       {@code IMEI:<15 digits>} with a correct check digit, or {@code SN:<serial>} (1 to 64 of
 *       {@code A-Z a-z 0-9 . -}, starting with a letter or digit).</li>
 * </ul>
 */
final class DeviceCertificateProfile {

    private static final Pattern IMEI = Pattern.compile("IMEI:(\\d{15})");
    private static final Pattern SERIAL = Pattern.compile("SN:([A-Za-z0-9][A-Za-z0-9.-]{0,63})");
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    // keyUsage bits (RFC 5280 §4.2.1.3), as X509Certificate.getKeyUsage() indexes them.
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private final Set<DeviceIdentityProperties.KeyType> acceptedKeyTypes;
    private final int rsaMinBits;

    DeviceCertificateProfile(Set<DeviceIdentityProperties.KeyType> acceptedKeyTypes, int rsaMinBits) {
        this.acceptedKeyTypes = Set.copyOf(acceptedKeyTypes);
        this.rsaMinBits = rsaMinBits;
    }

    /** Checks the leaf against the profile and returns the identity it carries: kind and value. */
    Identity check(X509Certificate leaf) {
        if (leaf.getBasicConstraints() >= 0) {
            throw refused(RefusalReason.NOT_A_DEVICE_CERTIFICATE,
                    "the device certificate is a CA certificate (basicConstraints CA:true), not a device certificate");
        }
        DeviceIdentityProperties.KeyType keyType = keyType(leaf.getPublicKey());
        boolean[] usage = leaf.getKeyUsage();
        if (usage == null || !bit(usage, DIGITAL_SIGNATURE)) {
            throw refused(RefusalReason.NOT_A_DEVICE_CERTIFICATE,
                    "the device certificate's key usage does not allow digital signatures");
        }
        if (bit(usage, KEY_CERT_SIGN) || bit(usage, CRL_SIGN)) {
            throw refused(RefusalReason.NOT_A_DEVICE_CERTIFICATE,
                    "the device certificate's key usage allows signing certificates or CRLs, as only a CA's may");
        }
        if (keyType == DeviceIdentityProperties.KeyType.RSA ? !bit(usage, KEY_ENCIPHERMENT)
                : !bit(usage, KEY_AGREEMENT)) {
            throw refused(RefusalReason.NOT_A_DEVICE_CERTIFICATE, "the device certificate's key usage lacks "
                    + (keyType == DeviceIdentityProperties.KeyType.RSA ? "keyEncipherment" : "keyAgreement")
                    + ", which the hub needs to encrypt the device's profile to its key");
        }
        List<String> extendedUsage;
        try {
            extendedUsage = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw refused(RefusalReason.MALFORMED, "the device certificate's extended key usage cannot be read");
        }
        if (extendedUsage != null && !extendedUsage.contains(CLIENT_AUTH) && !extendedUsage.contains(ANY_EKU)) {
            throw refused(RefusalReason.NOT_A_DEVICE_CERTIFICATE,
                    "the device certificate's extended key usage does not allow client authentication");
        }
        return identity(leaf);
    }

    /** The key's type, or {@link RefusalReason#BAD_KEY} when it is not one the hub accepts. */
    DeviceIdentityProperties.KeyType keyType(PublicKey key) {
        DeviceIdentityProperties.KeyType type = null;
        String description;
        if (key instanceof ECPublicKey) {
            Curve curve = Curve.forECParameterSpec(((ECPublicKey) key).getParams());
            if (Curve.P_256.equals(curve)) {
                type = DeviceIdentityProperties.KeyType.EC_P256;
            } else if (Curve.P_384.equals(curve)) {
                type = DeviceIdentityProperties.KeyType.EC_P384;
            }
            description = "an EC key on " + (curve == null ? "an unknown curve" : curve.getName());
        } else if (key instanceof RSAPublicKey) {
            int bits = ((RSAPublicKey) key).getModulus().bitLength();
            description = "a " + bits + "-bit RSA key";
            if (bits >= rsaMinBits) {
                type = DeviceIdentityProperties.KeyType.RSA;
            } else {
                throw refused(RefusalReason.BAD_KEY, "the device certificate has " + description
                        + "; RSA keys need at least " + rsaMinBits + " bits");
            }
        } else {
            description = "a " + key.getAlgorithm() + " key";
        }
        if (type == null || !acceptedKeyTypes.contains(type)) {
            throw refused(RefusalReason.BAD_KEY, "the device certificate has " + description
                    + "; accepted are " + acceptedKeyTypes);
        }
        return type;
    }

    private static Identity identity(X509Certificate leaf) {
        List<String> values = new ArrayList<>();
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.SERIALNUMBER)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.SERIALNUMBER.equals(attribute.getType())) {
                    values.add(text(attribute.getValue()));
                }
            }
        }
        if (values.size() != 1) {
            throw refused(RefusalReason.NO_IDENTITY, values.isEmpty()
                    ? "the device certificate carries no device identity (subject serialNumber \"IMEI:...\" or \"SN:...\")"
                    : "the device certificate carries " + values.size() + " subject serialNumber attributes;"
                    + " exactly one is expected");
        }
        String value = values.get(0);
        Matcher imei = IMEI.matcher(value);
        if (imei.matches()) {
            if (!Imei.isValid(imei.group(1))) {
                throw refused(RefusalReason.NO_IDENTITY,
                        "the device certificate's IMEI has a wrong check digit (3GPP TS 23.003 Luhn check)");
            }
            return new Identity(DeviceIdentity.Kind.IMEI, imei.group(1));
        }
        Matcher serial = SERIAL.matcher(value);
        if (serial.matches()) {
            return new Identity(DeviceIdentity.Kind.SERIAL, serial.group(1));
        }
        throw refused(RefusalReason.NO_IDENTITY, "the device certificate's subject serialNumber is neither"
                + " \"IMEI:\" with 15 digits nor \"SN:\" with 1 to 64 letters, digits, '.' or '-'");
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String ? ((ASN1String) value).getString() : "";
    }

    private static boolean bit(boolean[] usage, int index) {
        return usage.length > index && usage[index];
    }

    private static DeviceIdentityRefusedException refused(RefusalReason reason, String message) {
        return new DeviceIdentityRefusedException(reason, message);
    }

    /** The identity part of the profile. */
    record Identity(DeviceIdentity.Kind kind, String value) {
    }
}
