package io.provisioninghub.connectors.deviceidentity.sandbox;

import io.provisioninghub.connectors.deviceidentity.Pem;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SANDBOX ONLY, never a real manufacturer: the sandbox's test manufacturer CA (SIGNUP-1), so that a person can
 * try device sign-up and tests can make real certificates. A root CA (EC P-384) and an intermediate (EC P-256)
 * kept as PEM files in a data directory (created on first use, loaded afterwards), device certificates minted
 * from the intermediate following the hub's profile (or deliberately not, see {@link DeviceCertificateSpec}),
 * and a CRL per CA, rewritten on every revocation.
 * <p>
 * Files in the directory: {@value #ROOT_CERT} (the trust anchor to configure), {@value #ROOT_KEY},
 * {@value #INTERMEDIATE_CERT}, {@value #INTERMEDIATE_KEY}, {@value #ROOT_CRL} (revoked intermediates) and
 * {@value #INTERMEDIATE_CRL} (revoked devices). The keys are unencrypted: they protect nothing real.
 * <p>
 * Command line (see {@link SandboxCaCommand}): {@code TestManufacturerCa [--dir DIR] mint --imei 35...}.
 */
public final class TestManufacturerCa {

    public static final String ROOT_CERT = "root-ca.pem";
    public static final String ROOT_KEY = "root-ca.key.pem";
    public static final String INTERMEDIATE_CERT = "intermediate-ca.pem";
    public static final String INTERMEDIATE_KEY = "intermediate-ca.key.pem";
    public static final String ROOT_CRL = "root-ca.crl.pem";
    public static final String INTERMEDIATE_CRL = "intermediate-ca.crl.pem";
    /** The organisation of the sandbox's own CA. */
    public static final String SANDBOX_ORGANISATION = "Sandbox Manufacturer (test only)";
    /** How long a CRL is current (its nextUpdate); loading a CA whose CRL is older rewrites it. */
    public static final Duration CRL_VALIDITY = Duration.ofDays(7);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final X509Certificate root;
    private final PrivateKey rootKey;
    private final X509Certificate intermediate;
    private final PrivateKey intermediateKey;
    private final Map<BigInteger, Revocation> revokedByRoot = new LinkedHashMap<>();
    private final Map<BigInteger, Revocation> revokedByIntermediate = new LinkedHashMap<>();

    private TestManufacturerCa(Path directory, X509Certificate root, PrivateKey rootKey,
                               X509Certificate intermediate, PrivateKey intermediateKey) {
        this.directory = directory;
        this.root = root;
        this.rootKey = rootKey;
        this.intermediate = intermediate;
        this.intermediateKey = intermediateKey;
    }

    /** The sandbox's CA in this directory: loaded if it is there, created otherwise. */
    public static TestManufacturerCa loadOrCreate(Path directory) {
        return loadOrCreate(directory, SANDBOX_ORGANISATION);
    }

    /**
     * A test CA in this directory, named after {@code organisation} when created (tests make "another
     * manufacturer" this way). An existing CA keeps its name.
     */
    public static synchronized TestManufacturerCa loadOrCreate(Path directory, String organisation) {
        try {
            Path dir = directory.toAbsolutePath();
            TestManufacturerCa ca = Files.isRegularFile(dir.resolve(ROOT_CERT)) ? load(dir) : create(dir, organisation);
            ca.readCrls();
            return ca;
        } catch (IOException e) {
            throw new UncheckedIOException("test manufacturer CA in " + directory + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("test manufacturer CA in " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    public X509Certificate rootCertificate() {
        return root;
    }

    public X509Certificate intermediateCertificate() {
        return intermediate;
    }

    /** The root certificate's file: the trust anchor to configure in {@code hub.device-identity.manufacturers}. */
    public Path rootCertificateFile() {
        return directory.resolve(ROOT_CERT);
    }

    /** The CRL files (root's, intermediate's). */
    public List<Path> crlFiles() {
        return List.of(directory.resolve(ROOT_CRL), directory.resolve(INTERMEDIATE_CRL));
    }

    /** Starts a device certificate whose subject serialNumber is {@code subjectSerialNumber} ("IMEI:..."/"SN:..."). */
    public DeviceCertificateSpec device(String subjectSerialNumber) {
        return new DeviceCertificateSpec(this, subjectSerialNumber);
    }

    /** A device certificate for this IMEI (15 digits), following the profile. */
    public DeviceCredentials mintImei(String imei) {
        return device("IMEI:" + imei).mint();
    }

    /** A device certificate for this manufacturer serial number, following the profile. */
    public DeviceCredentials mintSerial(String serial) {
        return device("SN:" + serial).mint();
    }

    /** Revokes a device certificate (or the intermediate) for key compromise and rewrites the CRLs. */
    public void revoke(X509Certificate certificate) {
        revoke(certificate, CRLReason.keyCompromise);
    }

    /** Revokes with an RFC 5280 reason code ({@link CRLReason} constants) and rewrites the CRLs. */
    public synchronized void revoke(X509Certificate certificate, int reason) {
        Revocation revocation = new Revocation(Instant.now(), reason);
        if (certificate.getIssuerX500Principal().equals(intermediate.getSubjectX500Principal())) {
            revokedByIntermediate.put(certificate.getSerialNumber(), revocation);
        } else if (certificate.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
            revokedByRoot.put(certificate.getSerialNumber(), revocation);
        } else {
            throw new IllegalArgumentException("the certificate was not issued by this test CA");
        }
        writeCrls();
    }

    /**
     * Revokes device certificates of the intermediate by serial number, all at once (one CRL rewrite: a
     * manufacturer-sized CRL for benchmarks), for key compromise.
     */
    public synchronized void revokeDeviceSerials(Collection<BigInteger> serials) {
        Instant now = Instant.now();
        for (BigInteger serial : serials) {
            revokedByIntermediate.put(serial, new Revocation(now, CRLReason.keyCompromise));
        }
        writeCrls();
    }

    /** Rewrites both CRLs, current from now for {@link #CRL_VALIDITY}. */
    public synchronized void writeCrls() {
        try {
            writeCrl(directory.resolve(ROOT_CRL), root, rootKey, revokedByRoot);
            writeCrl(directory.resolve(INTERMEDIATE_CRL), intermediate, intermediateKey, revokedByIntermediate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the test CA's CRLs", e);
        }
    }

    DeviceCredentials mint(DeviceCertificateSpec spec) {
        try {
            KeyPair keys = spec.rsaBits > 0 ? rsa(spec.rsaBits) : ec(spec.curve);
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, organisation())
                    .addRDN(BCStyle.CN, "Sandbox device");
            if (spec.subjectSerialNumber != null) {
                subject.addRDN(BCStyle.SERIALNUMBER, spec.subjectSerialNumber);
            }
            X500Name name = subject.build();
            X509Certificate issuer = spec.issuedByRoot ? root : intermediate;
            PrivateKey issuerKey = spec.issuedByRoot ? rootKey : intermediateKey;
            JcaX509v3CertificateBuilder builder = spec.selfSigned
                    ? new JcaX509v3CertificateBuilder(name, serial(), Date.from(spec.notBefore),
                    Date.from(spec.notAfter), name, keys.getPublic())
                    : new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(spec.notBefore),
                    Date.from(spec.notAfter), name, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(spec.caCertificate));
            int usage = spec.keyUsage != null ? spec.keyUsage
                    : KeyUsage.digitalSignature | (spec.rsaBits > 0 ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement)
                    | (spec.caCertificate ? KeyUsage.keyCertSign : 0);
            if (usage != 0) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            }
            if (!spec.extendedKeyUsage.isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(spec.extendedKeyUsage.toArray(new KeyPurposeId[0])));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            if (!spec.selfSigned) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(issuer));
            }
            X509Certificate certificate = sign(builder, spec.selfSigned ? keys.getPrivate() : issuerKey);
            List<X509Certificate> chain = spec.selfSigned || spec.issuedByRoot
                    ? List.of(certificate) : List.of(certificate, intermediate);
            return new DeviceCredentials(certificate, chain, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot mint a device certificate: " + e.getMessage(), e);
        }
    }

    /** The organisation in the root's subject. */
    public String organisation() {
        return X500Name.getInstance(root.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.O)[0]
                .getFirst().getValue().toString();
    }

    private static TestManufacturerCa create(Path dir, String organisation)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        KeyPair rootKeys = ec("secp384r1");
        X500Name rootName = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organisation)
                .addRDN(BCStyle.CN, organisation + " Root CA").build();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder rootBuilder = new JcaX509v3CertificateBuilder(rootName, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(25 * 365))), rootName,
                rootKeys.getPublic());
        caExtensions(rootBuilder, rootKeys.getPublic(), extensions, 1);
        X509Certificate root = sign(rootBuilder, rootKeys.getPrivate());

        KeyPair intermediateKeys = ec("secp256r1");
        X500Name intermediateName = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organisation)
                .addRDN(BCStyle.CN, organisation + " Device CA 1").build();
        X509v3CertificateBuilder intermediateBuilder = new JcaX509v3CertificateBuilder(root, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(15 * 365))),
                intermediateName, intermediateKeys.getPublic());
        caExtensions(intermediateBuilder, intermediateKeys.getPublic(), extensions, 0);
        intermediateBuilder.addExtension(Extension.authorityKeyIdentifier, false,
                extensions.createAuthorityKeyIdentifier(root));
        X509Certificate intermediate = sign(intermediateBuilder, rootKeys.getPrivate());

        // Keys first, certificates after, the root certificate last: its presence means "a complete CA".
        writeText(dir.resolve(ROOT_KEY), Pem.write(rootKeys.getPrivate()));
        writeText(dir.resolve(INTERMEDIATE_KEY), Pem.write(intermediateKeys.getPrivate()));
        writeText(dir.resolve(INTERMEDIATE_CERT), Pem.write(intermediate));
        writeText(dir.resolve(ROOT_CERT), Pem.write(root));
        return new TestManufacturerCa(dir, root, rootKeys.getPrivate(), intermediate, intermediateKeys.getPrivate());
    }

    private static TestManufacturerCa load(Path dir) throws IOException {
        X509Certificate root = Pem.certificates(Files.readString(dir.resolve(ROOT_CERT))).get(0);
        X509Certificate intermediate = Pem.certificates(Files.readString(dir.resolve(INTERMEDIATE_CERT))).get(0);
        PrivateKey rootKey = Pem.privateKey(Files.readString(dir.resolve(ROOT_KEY)));
        PrivateKey intermediateKey = Pem.privateKey(Files.readString(dir.resolve(INTERMEDIATE_KEY)));
        return new TestManufacturerCa(dir, root, rootKey, intermediate, intermediateKey);
    }

    /** Takes the revocations from the CRL files, and rewrites them if missing or no longer current. */
    private void readCrls() throws IOException {
        boolean current = true;
        current &= readCrl(directory.resolve(ROOT_CRL), revokedByRoot);
        current &= readCrl(directory.resolve(INTERMEDIATE_CRL), revokedByIntermediate);
        if (!current) {
            writeCrls();
        }
    }

    private static boolean readCrl(Path file, Map<BigInteger, Revocation> revoked) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        X509CRL crl = Pem.crls(Files.readAllBytes(file)).get(0);
        if (crl.getRevokedCertificates() != null) {
            for (X509CRLEntry entry : crl.getRevokedCertificates()) {
                // java.security.cert.CRLReason's ordinals are the RFC 5280 reason codes.
                int reason = entry.getRevocationReason() == null ? CRLReason.unspecified
                        : entry.getRevocationReason().ordinal();
                revoked.put(entry.getSerialNumber(), new Revocation(entry.getRevocationDate().toInstant(), reason));
            }
        }
        return crl.getNextUpdate() != null
                && crl.getNextUpdate().toInstant().isAfter(Instant.now().plus(Duration.ofDays(1)));
    }

    private static void writeCrl(Path file, X509Certificate issuer, PrivateKey key, Map<BigInteger, Revocation> revoked)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(
                issuer.getSubjectX500Principal().getEncoded()), Date.from(now.minus(Duration.ofMinutes(1))));
        builder.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
        for (Map.Entry<BigInteger, Revocation> entry : revoked.entrySet()) {
            builder.addCRLEntry(entry.getKey(), Date.from(entry.getValue().at()), entry.getValue().reason());
        }
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
        // Milliseconds keep the CRL number increasing across restarts without storing a counter.
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
        X509CRL crl = new JcaX509CRLConverter().getCRL(builder.build(signer(key)));
        writeText(file, Pem.write(crl));
    }

    private static void caExtensions(X509v3CertificateBuilder builder, PublicKey key, JcaX509ExtensionUtils extensions,
                                     int pathLength) throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
    }

    private static ContentSigner signer(PrivateKey key)
            throws OperatorCreationException {
        String algorithm;
        if (key instanceof ECKey) {
            algorithm = ((ECKey) key).getParams().getCurve().getField().getFieldSize() > 256
                    ? "SHA384withECDSA" : "SHA256withECDSA";
        } else {
            algorithm = "SHA256withRSA";
        }
        return new JcaContentSignerBuilder(algorithm).build(key);
    }

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve), RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, RANDOM);
        return generator.generateKeyPair();
    }

    /** Positive, at most 20 octets (RFC 5280 §4.1.2.2), unpredictable. */
    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static void writeText(Path file, String text) throws IOException {
        DeviceCredentials.write(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Command line: see {@link SandboxCaCommand}. Needs picocli on the class path. */
    public static void main(String[] args) {
        System.exit(SandboxCaCommand.run(args));
    }

    private record Revocation(Instant at, int reason) {
    }
}
