package io.provisioninghub.connectors.deviceidentity;

import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured manufacturer CAs (trust anchors, read once at start) and their CRLs (re-read when the files
 * change, so that an operator can publish a new CRL without a restart; Kubernetes updates a mounted ConfigMap
 * or Secret by swapping a symlink, which changes the modification time seen through it).
 * <p>
 * A CA file that cannot be read stops the hub at start: a trust configuration that silently trusts less (or
 * nothing) would refuse every device with a misleading reason. A CRL file that becomes unreadable later (a
 * half-copied file) keeps the last good CRL and is logged.
 */
public final class ManufacturerTrust {

    private static final Logger LOG = LoggerFactory.getLogger(ManufacturerTrust.class);

    /** Name given to the sandbox's test CA: it shows in identities and logs so nobody mistakes it for real. */
    public static final String SANDBOX_MANUFACTURER = "Sandbox test manufacturer (development only)";

    private final Map<TrustAnchor, String> anchors;
    private final List<CrlFile> crlFiles;
    private final Duration refreshInterval;
    private final boolean revocationRequired;
    private final Clock clock;
    private volatile Instant lastCheck;
    private volatile CertStore crlStore;
    private volatile int crlCount;

    private ManufacturerTrust(Map<TrustAnchor, String> anchors, List<CrlFile> crlFiles, Duration refreshInterval,
                              boolean revocationRequired, Clock clock) {
        this.anchors = Collections.unmodifiableMap(anchors);
        this.crlFiles = List.copyOf(crlFiles);
        this.refreshInterval = refreshInterval;
        this.revocationRequired = revocationRequired;
        this.clock = clock;
        this.lastCheck = clock.instant();
        rebuildStore();
    }

    /** Reads every configured CA and CRL; fails with a message naming the file or manufacturer at fault. */
    public static ManufacturerTrust load(DeviceIdentityProperties properties, Clock clock) {
        Map<TrustAnchor, String> anchors = new LinkedHashMap<>();
        List<CrlFile> crls = new ArrayList<>();
        List<DeviceIdentityProperties.Manufacturer> manufacturers = new ArrayList<>(properties.manufacturers());
        if (properties.sandboxCaDirectory() != null) {
            TestManufacturerCa sandbox = TestManufacturerCa.loadOrCreate(properties.sandboxCaDirectory());
            LOG.warn("Trusting the sandbox test manufacturer CA in {} (hub.device-identity.sandbox-ca-directory):"
                    + " development only", properties.sandboxCaDirectory());
            manufacturers.add(new DeviceIdentityProperties.Manufacturer(SANDBOX_MANUFACTURER,
                    List.of(sandbox.rootCertificateFile()), null, sandbox.crlFiles()));
        }
        for (int i = 0; i < manufacturers.size(); i++) {
            DeviceIdentityProperties.Manufacturer manufacturer = manufacturers.get(i);
            String where = "hub.device-identity.manufacturers[" + i + "]";
            List<X509Certificate> cas = new ArrayList<>();
            for (Path file : manufacturer.caFiles()) {
                List<X509Certificate> inFile = certificates(read(file, where + ".ca-files"), where + ".ca-files " + file);
                cas.addAll(inFile);
            }
            if (manufacturer.caPem() != null && !manufacturer.caPem().isBlank()) {
                cas.addAll(certificates(manufacturer.caPem(), where + ".ca-pem"));
            }
            for (X509Certificate ca : cas) {
                checkIsCa(ca, where);
                String name = manufacturer.name() == null || manufacturer.name().isBlank()
                        ? ca.getSubjectX500Principal().getName() : manufacturer.name();
                anchors.put(new TrustAnchor(ca, null), name);
                if (ca.getNotAfter().toInstant().isBefore(clock.instant())) {
                    LOG.warn("Manufacturer CA {} ({}) expired on {}: devices under it are still checked against"
                            + " their own certificates' dates", name, where, ca.getNotAfter().toInstant());
                }
            }
            for (Path file : manufacturer.crlFiles()) {
                CrlFile crl = new CrlFile(file, where + ".crl-files");
                crl.load(true);
                crl.warnIfStale(clock.instant(), properties.revocationRequired());
                crls.add(crl);
            }
        }
        if (anchors.isEmpty()) {
            LOG.warn("No manufacturer CA configured (hub.device-identity.manufacturers): every device certificate"
                    + " will be refused as from an untrusted CA");
        } else {
            LOG.info("Trusting {} manufacturer CA certificate(s) of {}, with {} CRL file(s); revocation {}",
                    anchors.size(), Set.copyOf(anchors.values()), crls.size(),
                    properties.revocationRequired() ? "required" : "checked where a CRL is configured");
        }
        return new ManufacturerTrust(anchors, crls, properties.crlRefreshInterval(), properties.revocationRequired(),
                clock);
    }

    /** The trust anchors (empty when no manufacturer is configured). */
    public Set<TrustAnchor> anchors() {
        return anchors.keySet();
    }

    /** The configured name of the manufacturer an anchor belongs to. */
    public String manufacturerName(TrustAnchor anchor) {
        return anchors.get(anchor);
    }

    /** True when the certificate is itself one of the trust anchors. */
    public boolean isAnchor(X509Certificate certificate) {
        for (TrustAnchor anchor : anchors.keySet()) {
            if (anchor.getTrustedCert().equals(certificate)) {
                return true;
            }
        }
        return false;
    }

    /** True when at least one CRL file is configured. */
    public boolean hasCrlFiles() {
        return !crlFiles.isEmpty();
    }

    /** The current CRLs, re-read first if the refresh interval has passed and a file changed. */
    public CertStore crls() {
        Instant now = clock.instant();
        if (!crlFiles.isEmpty() && !now.isBefore(lastCheck.plus(refreshInterval))) {
            refresh(now);
        }
        return crlStore;
    }

    /** How many CRLs are loaded (for tests and the start-up log). */
    public int crlCount() {
        return crlCount;
    }

    /** Re-reads every CRL file that changed, now (an operator's or a test's explicit reload). */
    public synchronized void reloadCrls() {
        refresh(clock.instant());
    }

    private synchronized void refresh(Instant now) {
        lastCheck = now;
        boolean changed = false;
        for (CrlFile file : crlFiles) {
            changed |= file.load(false);
            file.warnIfStale(now, revocationRequired);
        }
        if (changed) {
            rebuildStore();
        }
    }

    private void rebuildStore() {
        List<X509CRL> all = new ArrayList<>();
        for (CrlFile file : crlFiles) {
            all.addAll(file.crls);
        }
        try {
            crlStore = CertStore.getInstance("Collection", new CollectionCertStoreParameters(all));
            crlCount = all.size();
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no Collection CertStore", e);
        }
    }

    private static void checkIsCa(X509Certificate ca, String where) {
        // getBasicConstraints(): -1 when not a CA. A non-CA anchor would make every chain fail obscurely.
        if (ca.getBasicConstraints() < 0 && !ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
            // Named by fingerprint: a device certificate put here by mistake has the device's IMEI in its subject.
            throw new IllegalStateException(where + ": a configured manufacturer CA certificate is not a CA"
                    + " certificate (basicConstraints CA:false), SHA-256 " + DeviceCertificates.fingerprint(ca));
        }
    }

    private static String read(Path file, String where) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(where + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    private static List<X509Certificate> certificates(String pem, String where) {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException(where + ": no PEM certificate found");
        }
        return certificates;
    }

    /** One CRL file and what was last read from it. */
    private static final class CrlFile {
        private final Path path;
        private final String where;
        private List<X509CRL> crls = List.of();
        private Object version;
        private boolean staleWarned;

        CrlFile(Path path, String where) {
            this.path = path;
            this.where = where;
        }

        /**
         * A CRL past its nextUpdate no longer counts for the JDK's revocation checker: with revocation not
         * required, the devices it lists are then accepted again. Said once per file content, at WARN.
         */
        void warnIfStale(Instant now, boolean required) {
            for (X509CRL crl : crls) {
                if (!staleWarned && crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(now)) {
                    staleWarned = true;
                    LOG.warn("The CRL in {} ({}) is past its nextUpdate {}: {}", path, where,
                            crl.getNextUpdate().toInstant(), required
                                    ? "every device under that CA is refused (revocation required) until it is renewed"
                                    : "the certificates it revokes are accepted again until it is renewed");
                }
            }
        }

        /** Reads the file if it changed; true when new content was taken. */
        boolean load(boolean atStart) {
            try {
                Object current = List.of(Files.getLastModifiedTime(path), Files.size(path));
                if (current.equals(version)) {
                    return false;
                }
                List<X509CRL> read = Pem.crls(Files.readAllBytes(path));
                if (read.isEmpty()) {
                    throw new IllegalArgumentException("no CRL in the file");
                }
                crls = read;
                version = current;
                staleWarned = false;
                LOG.info("Loaded {} CRL(s) from {}", read.size(), path);
                return true;
            } catch (IOException | IllegalArgumentException e) {
                String problem = where + ": cannot read the CRL file " + path + " (" + (e instanceof IOException
                        ? e.getClass().getSimpleName() : e.getMessage()) + ")";
                if (atStart) {
                    throw new IllegalStateException(problem, e);
                }
                LOG.warn("{}; keeping the CRL read before", problem);
                return false;
            }
        }
    }
}
