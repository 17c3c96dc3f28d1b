package io.provisioninghub.connectors.deviceidentity;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM and DER reading and writing for certificates, CRLs and private keys (BouncyCastle's PEM parser: it skips
 * text around the blocks, as operators' bundles often carry "subject=" / "issuer=" lines from openssl).
 * Failures are {@link IllegalArgumentException}s whose message names what was wrong, never the content.
 */
public final class Pem {

    private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
    private static final JcaX509CRLConverter CRLS = new JcaX509CRLConverter();

    private Pem() {
    }

    /** Every certificate in a PEM text, in order; other PEM blocks are ignored. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object block : blocks(pem)) {
            if (block instanceof X509CertificateHolder) {
                try {
                    certificates.add(CERTIFICATES.getCertificate((X509CertificateHolder) block));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("a PEM certificate block is not a valid X.509 certificate");
                }
            }
        }
        return certificates;
    }

    /** Every CRL in a PEM text; a text without PEM blocks is read as one DER CRL. */
    public static List<X509CRL> crls(byte[] content) {
        if (!looksLikePem(content)) {
            try {
                X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new ByteArrayInputStream(content));
                return List.of(crl);
            } catch (CertificateException | CRLException | RuntimeException e) {
                throw new IllegalArgumentException("not a CRL (neither PEM nor DER)");
            }
        }
        List<X509CRL> crls = new ArrayList<>();
        for (Object block : blocks(new String(content, StandardCharsets.US_ASCII))) {
            if (block instanceof X509CRLHolder) {
                try {
                    crls.add(CRLS.getCRL((X509CRLHolder) block));
                } catch (CRLException e) {
                    throw new IllegalArgumentException("a PEM CRL block is not a valid X.509 CRL");
                }
            }
        }
        return crls;
    }

    /** A DER certificate (an x5c entry, a TLS peer certificate). */
    public static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER X.509 certificate");
        }
    }

    /** The first private key in a PEM text (PKCS#8 "PRIVATE KEY" or a traditional "EC/RSA PRIVATE KEY"). */
    public static PrivateKey privateKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (Object block : blocks(pem)) {
                if (block instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) block);
                }
                if (block instanceof PEMKeyPair) {
                    return converter.getKeyPair((PEMKeyPair) block).getPrivate();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the PEM private key cannot be read");
        }
        throw new IllegalArgumentException("no unencrypted private key in the PEM text");
    }

    /** PEM text of certificates, CRLs or keys (keys as PKCS#8 "PRIVATE KEY", which every tool reads). */
    public static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                if (object instanceof PrivateKey) {
                    writer.writeObject(new JcaPKCS8Generator((PrivateKey) object, null));
                } else {
                    writer.writeObject(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static boolean looksLikePem(byte[] content) {
        return new String(content, 0, Math.min(content.length, 4096), StandardCharsets.US_ASCII)
                .contains("-----BEGIN ");
    }

    private static List<Object> blocks(String pem) {
        List<Object> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed PEM text");
        }
        return blocks;
    }
}
