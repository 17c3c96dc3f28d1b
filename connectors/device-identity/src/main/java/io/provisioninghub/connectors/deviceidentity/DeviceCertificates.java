package io.provisioninghub.connectors.deviceidentity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateRevokedException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Validates the certificate chain a device presents (SIGNUP-1) and returns its {@link DeviceIdentity}, or
 * refuses it with a {@link DeviceIdentityRefusedException} whose {@link RefusalReason} a caller maps to its
 * answer. The chain is the device certificate first, then its intermediates (TLS and JWS x5c order); a trailing
 * self-signed root is ignored (the trust anchors come from the configuration, never from the device).
 * <p>
 * The checks, in order: form ({@link RefusalReason#MALFORMED}), self-signed leaf, validity dates with the
 * configured clock skew, then PKIX path validation ({@link CertPathValidator} "PKIX") against the configured
 * manufacturer CAs with the configured CRLs, then the device certificate profile
 * ({@link DeviceCertificateProfile}). Thread-safe.
 */
public class DeviceCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCertificates.class);

    private final ManufacturerTrust trust;
    private final DeviceCertificateProfile profile;
    private final DeviceIdentityProperties properties;
    private final Clock clock;

    public DeviceCertificates(ManufacturerTrust trust, DeviceIdentityProperties properties, Clock clock) {
        this.trust = trust;
        this.properties = properties;
        this.clock = clock;
        this.profile = new DeviceCertificateProfile(properties.acceptedKeyTypes(), properties.rsaMinBits());
    }

    /** A chain as PEM text: the device certificate first, then its intermediates. */
    public DeviceIdentity validatePem(String pem) {
        List<X509Certificate> chain;
        try {
            chain = pem == null ? List.of() : Pem.certificates(pem);
        } catch (IllegalArgumentException e) {
            throw new DeviceIdentityRefusedException(RefusalReason.MALFORMED,
                    "the certificate chain is not readable PEM: " + e.getMessage());
        }
        return validate(chain);
    }

    /** A chain of DER certificates (JWS x5c, a TLS peer's chain as bytes): the device certificate first. */
    public DeviceIdentity validateDer(List<byte[]> chain) {
        // Refused before parsing: a client must not make the hub parse an unbounded list (a trailing root is
        // allowed for, hence + 1).
        if (chain != null && chain.size() > properties.maxChainLength() + 1) {
            throw tooLong(chain.size());
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; chain != null && i < chain.size(); i++) {
            try {
                certificates.add(Pem.certificate(chain.get(i)));
            } catch (IllegalArgumentException e) {
                throw new DeviceIdentityRefusedException(RefusalReason.MALFORMED,
                        role(i) + " is not a DER X.509 certificate");
            }
        }
        return validate(certificates);
    }

    /** A parsed chain (a TLS peer's certificates): the device certificate first. */
    public DeviceIdentity validate(List<X509Certificate> presented) {
        if (presented == null || presented.isEmpty()) {
            throw new DeviceIdentityRefusedException(RefusalReason.MALFORMED, "no device certificate was presented");
        }
        if (presented.stream().anyMatch(Objects::isNull)) {
            throw new DeviceIdentityRefusedException(RefusalReason.MALFORMED, "the certificate chain has an empty entry");
        }
        List<X509Certificate> chain = new ArrayList<>(presented);
        if (chain.size() > 1 && selfSigned(chain.get(chain.size() - 1))) {
            chain.remove(chain.size() - 1);
        }
        if (chain.size() > properties.maxChainLength()) {
            throw tooLong(chain.size());
        }
        X509Certificate leaf = chain.get(0);
        if (trust.isAnchor(leaf)) {
            throw new DeviceIdentityRefusedException(RefusalReason.NOT_A_DEVICE_CERTIFICATE,
                    "the certificate presented is a manufacturer CA certificate, not a device certificate");
        }
        if (selfSigned(leaf)) {
            throw new DeviceIdentityRefusedException(RefusalReason.SELF_SIGNED,
                    "the device certificate is self-signed: no manufacturer CA vouches for it");
        }
        Instant now = clock.instant();
        Date validationDate = checkDates(chain, now);
        if (trust.anchors().isEmpty()) {
            throw new DeviceIdentityRefusedException(RefusalReason.UNTRUSTED_CA,
                    "the hub trusts no manufacturer CA yet (hub.device-identity.manufacturers is empty)");
        }
        TrustAnchor anchor = validatePath(chain, validationDate);
        DeviceCertificateProfile.Identity identity = profile.check(leaf);
        return new DeviceIdentity(identity.kind(), identity.value(),
                anchor.getTrustedCert().getSubjectX500Principal().getName(), trust.manufacturerName(anchor),
                leaf.getPublicKey(), fingerprint(leaf), leaf.getNotAfter().toInstant(), leaf);
    }

    /** SHA-256 of the certificate's DER encoding, lower-case hex (what {@code openssl x509 -fingerprint -sha256} shows). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a parsed certificate", e);
        }
    }

    /**
     * Refuses a certificate outside its validity by more than the clock skew, and returns the date PKIX checks
     * the path at: now, moved by at most the skew into the window every certificate of the chain is valid in.
     */
    private Date checkDates(List<X509Certificate> chain, Instant now) {
        Duration skew = properties.clockSkew();
        Instant latestStart = Instant.MIN;
        Instant earliestEnd = Instant.MAX;
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            Instant notBefore = certificate.getNotBefore().toInstant();
            Instant notAfter = certificate.getNotAfter().toInstant();
            if (now.plus(skew).isBefore(notBefore)) {
                throw new DeviceIdentityRefusedException(RefusalReason.NOT_YET_VALID,
                        role(i) + " is not valid before " + notBefore + " (the hub's time is " + now + ")");
            }
            if (now.minus(skew).isAfter(notAfter)) {
                throw new DeviceIdentityRefusedException(RefusalReason.EXPIRED,
                        role(i) + " expired on " + notAfter + " (the hub's time is " + now + ")");
            }
            latestStart = notBefore.isAfter(latestStart) ? notBefore : latestStart;
            earliestEnd = notAfter.isBefore(earliestEnd) ? notAfter : earliestEnd;
        }
        Instant at = now;
        if (at.isBefore(latestStart)) {
            at = latestStart;
        }
        if (at.isAfter(earliestEnd)) {
            at = earliestEnd;
        }
        return Date.from(at);
    }

    private TrustAnchor validatePath(List<X509Certificate> chain, Date date) {
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXParameters parameters = new PKIXParameters(trust.anchors());
            parameters.setDate(date);
            if (trust.hasCrlFiles() || properties.revocationRequired()) {
                parameters.addCertStore(trust.crls());
                PKIXRevocationChecker revocation = (PKIXRevocationChecker) validator.getRevocationChecker();
                // CRLs only, from the configured files: no OCSP, and no fetching of distribution points (the
                // JDK fetches those only with com.sun.security.enableCRLDP=true, which the hub does not set).
                Set<PKIXRevocationChecker.Option> options = EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK);
                if (!properties.revocationRequired()) {
                    options.add(PKIXRevocationChecker.Option.SOFT_FAIL);
                }
                revocation.setOptions(options);
                parameters.addCertPathChecker(revocation);
                parameters.setRevocationEnabled(true);
            } else {
                parameters.setRevocationEnabled(false);
            }
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) validator.validate(path, parameters);
            return result.getTrustAnchor();
        } catch (CertPathValidatorException e) {
            throw refusal(e);
        } catch (CertificateException e) {
            throw new DeviceIdentityRefusedException(RefusalReason.MALFORMED,
                    "the certificates do not form a certificate chain");
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK's PKIX validator is not available", e);
        }
    }

    private DeviceIdentityRefusedException refusal(CertPathValidatorException e) {
        int index = e.getIndex();
        String who = index >= 0 ? role(index) : "the certificate chain";
        // The JDK's message can quote subject names (which hold the device's IMEI): logged by reason and index
        // only, and not kept as the refusal's cause, which callers may log.
        LOG.debug("PKIX validation refused a device chain: reason {} at index {}", e.getReason(), index);
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == CertPathValidatorException.BasicReason.REVOKED) {
            String when = "";
            if (e.getCause() instanceof CertificateRevokedException) {
                CertificateRevokedException revoked = (CertificateRevokedException) e.getCause();
                when = " on " + revoked.getRevocationDate().toInstant() + " (reason: "
                        + revoked.getRevocationReason() + ")";
            }
            return new DeviceIdentityRefusedException(RefusalReason.REVOKED,
                    who + " was revoked by its manufacturer" + when);
        }
        if (reason == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            return new DeviceIdentityRefusedException(RefusalReason.REVOCATION_UNKNOWN, "the revocation status of "
                    + who + " is unknown (no current CRL from its issuer), and the hub requires one");
        }
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return new DeviceIdentityRefusedException(RefusalReason.EXPIRED, who + " has expired");
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return new DeviceIdentityRefusedException(RefusalReason.NOT_YET_VALID, who + " is not valid yet");
        }
        if (reason == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
            return new DeviceIdentityRefusedException(RefusalReason.BAD_KEY,
                    who + " uses a signature algorithm or key size the hub does not accept");
        }
        String detail;
        if (reason == PKIXReason.NO_TRUST_ANCHOR) {
            detail = "its issuer is not a configured manufacturer CA, or an intermediate certificate is missing";
        } else if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            detail = "the signature on " + who + " does not verify with its issuer's key";
        } else if (reason == PKIXReason.NOT_CA_CERT) {
            detail = who + " is used as a CA but is not a CA certificate";
        } else if (reason == PKIXReason.PATH_TOO_LONG) {
            detail = "the chain is longer than its CAs allow";
        } else if (reason == PKIXReason.NAME_CHAINING) {
            detail = "the certificates are not in order (device certificate first) or do not chain";
        } else if (reason == PKIXReason.INVALID_KEY_USAGE) {
            detail = who + " is not allowed to sign certificates";
        } else {
            detail = "PKIX validation failed at " + who + " (" + reason + ")";
        }
        return new DeviceIdentityRefusedException(RefusalReason.UNTRUSTED_CA,
                "the certificate chain does not lead to a trusted manufacturer CA: " + detail);
    }

    private DeviceIdentityRefusedException tooLong(int presented) {
        return new DeviceIdentityRefusedException(RefusalReason.UNTRUSTED_CA, "the device presented " + presented
                + " certificates; at most " + properties.maxChainLength()
                + " (the device certificate and its intermediates) are accepted");
    }

    private static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String role(int index) {
        return index == 0 ? "the device certificate" : "intermediate certificate " + index;
    }
}
