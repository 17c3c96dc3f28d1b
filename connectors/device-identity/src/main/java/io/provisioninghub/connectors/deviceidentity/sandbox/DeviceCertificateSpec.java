package io.provisioninghub.connectors.deviceidentity.sandbox;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * SANDBOX ONLY: what {@link TestManufacturerCa#device(String)} mints. The defaults follow the hub's device
 * certificate profile (docs/device-identity.md): EC P-256, issued by the intermediate, valid from a minute ago
 * for ten years, CA:false, keyUsage digitalSignature + keyAgreement (keyEncipherment for RSA), EKU clientAuth.
 * The other settings make the certificates the hub must refuse.
 */
public final class DeviceCertificateSpec {

    private final TestManufacturerCa ca;
    final String subjectSerialNumber;
    String curve = "secp256r1";
    int rsaBits;
    Instant notBefore;
    Instant notAfter;
    boolean caCertificate;
    boolean selfSigned;
    boolean issuedByRoot;
    Integer keyUsage;
    List<KeyPurposeId> extendedKeyUsage = List.of(KeyPurposeId.id_kp_clientAuth);

    DeviceCertificateSpec(TestManufacturerCa ca, String subjectSerialNumber) {
        this.ca = ca;
        this.subjectSerialNumber = subjectSerialNumber;
        Instant now = Instant.now();
        this.notBefore = now.minus(Duration.ofMinutes(1));
        this.notAfter = now.plus(Duration.ofDays(3652));
    }

    /** An EC key on this curve ({@code secp256r1} by default, {@code secp384r1}, or another to be refused). */
    public DeviceCertificateSpec ec(String curveName) {
        this.curve = curveName;
        this.rsaBits = 0;
        return this;
    }

    /** An RSA key of this size (1024 makes a weak key the hub refuses). */
    public DeviceCertificateSpec rsa(int bits) {
        this.rsaBits = bits;
        return this;
    }

    /** Validity from {@code from} to {@code until}. */
    public DeviceCertificateSpec validity(Instant from, Instant until) {
        this.notBefore = from;
        this.notAfter = until;
        return this;
    }

    /** Valid for a year that ended a day ago. */
    public DeviceCertificateSpec expired() {
        Instant now = Instant.now();
        return validity(now.minus(Duration.ofDays(366)), now.minus(Duration.ofDays(1)));
    }

    /** Valid from tomorrow on. */
    public DeviceCertificateSpec notYetValid() {
        Instant now = Instant.now();
        return validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(366)));
    }

    /** basicConstraints CA:true (and keyCertSign): a CA certificate posing as a device. */
    public DeviceCertificateSpec caTrue() {
        this.caCertificate = true;
        return this;
    }

    /** Signed with its own key instead of the manufacturer's. */
    public DeviceCertificateSpec selfSigned() {
        this.selfSigned = true;
        return this;
    }

    /** Issued by the root directly (a chain of one certificate). */
    public DeviceCertificateSpec issuedByRoot() {
        this.issuedByRoot = true;
        return this;
    }

    /** keyUsage bits (BouncyCastle {@link KeyUsage} constants, or'ed); {@code 0} leaves the extension out. */
    public DeviceCertificateSpec keyUsage(int bits) {
        this.keyUsage = bits;
        return this;
    }

    /** Extended key usages; none leaves the extension out. */
    public DeviceCertificateSpec extendedKeyUsage(KeyPurposeId... purposes) {
        this.extendedKeyUsage = List.of(purposes);
        return this;
    }

    /** Mints the certificate and its key. */
    public DeviceCredentials mint() {
        return ca.mint(this);
    }
}
