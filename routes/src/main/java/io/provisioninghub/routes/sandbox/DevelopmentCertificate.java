package io.provisioninghub.routes.sandbox;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The sandbox's self-signed TLS certificate for the HTTPS connector (RCC.14 §2.2: the second request is HTTPS).
 * Generated once into the data directory, never committed: a real deployment configures {@code server.ssl.*}
 * with a certificate from a public CA (RCC.14 §2.2.5). EC P-256 keeps handshakes cheap.
 */
final class DevelopmentCertificate {

    static final String ALIAS = "hub";
    /** Protects only a throw-away development key that lives in the sandbox data directory. */
    static final String STORE_PASSWORD = "sandbox";

    private DevelopmentCertificate() {
    }

    static Path ensure(Path keyStoreFile) throws IOException, GeneralSecurityException {
        if (Files.isRegularFile(keyStoreFile)) {
            return keyStoreFile;
        }
        Files.createDirectories(keyStoreFile.getParent());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair keyPair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=Provisioning Hub sandbox, O=Provisioning Hub (development only)");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(825))), subject, keyPair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "config.rcs.mnc001.mcc001.pub.3gppnetwork.org")}));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, keyPair.getPrivate(), STORE_PASSWORD.toCharArray(),
                    new Certificate[]{certificate});
            Path partial = keyStoreFile.resolveSibling(keyStoreFile.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(partial)) {
                store.store(out, STORE_PASSWORD.toCharArray());
            }
            Files.move(partial, keyStoreFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return keyStoreFile;
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the development certificate", e);
        }
    }
}
