package io.provisioninghub.connectors.deviceidentity;

import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.SandboxDevice;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many device chains one thread validates per second (SIGNUP-1), against a baseline measured in the same
 * run: parsing the same DER chain and the JDK's bare PKIX validation of it (anchors only, no revocation, none of
 * the hub's checks).
 * The bulk binding of device identities (SIGNUP-3) validates one chain per row; this tells what that costs.
 * <p>
 * Not a unit test. Run: {@code ./mvnw -B -ntp -o -pl connectors/device-identity -Pdevice-identity-benchmark
 * verify -DskipTests} (settings: -Dbenchmark.seconds=2 -Dbenchmark.rounds=5 -Dbenchmark.revoked=10000
 * -Dbenchmark.devices=1000).
 * Workloads run in interleaved rounds, so a neighbour's load on a shared machine spreads over all of them; the
 * table gives each workload's median round.
 */
public final class DeviceIdentityBenchmark {

    private static final double SECONDS = Double.parseDouble(System.getProperty("benchmark.seconds", "2"));
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 5);
    private static final int REVOKED = Integer.getInteger("benchmark.revoked", 10_000);
    private static final int POOL = Integer.getInteger("benchmark.devices", 1_000);

    private DeviceIdentityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("device-identity-benchmark");
        // Two manufacturers: one whose device CA has revoked nothing (a CRL of a few hundred bytes), one whose
        // device CA's CRL lists benchmark.revoked certificates (10,000: ~660 KB, a large manufacturer's).
        TestManufacturerCa small = TestManufacturerCa.loadOrCreate(data.resolve("small"), "Small CRL Devices");
        TestManufacturerCa big = TestManufacturerCa.loadOrCreate(data.resolve("big"), "Big CRL Devices");
        List<BigInteger> serials = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < REVOKED; i++) {
            serials.add(new BigInteger(127, random).add(BigInteger.ONE));
        }
        big.revokeDeviceSerials(serials);

        // A pool of distinct devices per manufacturer, taken in turn, as the rows of a bulk binding or the
        // devices of a sign-up wave come: the JDK caches parsed certificates by encoding (750 of them) and each
        // one's last signature check, so one device validated over and over would mostly measure that cache.
        List<List<byte[]>> smallPool = new ArrayList<>();
        List<List<byte[]>> bigPool = new ArrayList<>();
        List<String> es256Pool = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            String imei = Imei.withCheckDigit(String.format("35209900%06d", i));
            DeviceCredentials device = small.mintImei(imei);
            smallPool.add(der(device));
            bigPool.add(der(big.mintImei(imei)));
            es256Pool.add(new SandboxDevice(device).signChallenge("n-" + i));
        }
        Cycle<List<byte[]>> smallDevices = new Cycle<>(smallPool);
        Cycle<List<byte[]>> bigDevices = new Cycle<>(bigPool);
        Cycle<String> es256 = new Cycle<>(es256Pool);

        DeviceCertificates noCrl = TrustFixture.validator(TrustFixture.trusting(small, false));
        DeviceCertificates smallCrl = TrustFixture.validator(TrustFixture.trusting(small, true));
        DeviceCertificates bigCrl = TrustFixture.validator(TrustFixture.trusting(big, true));
        DeviceIdentityProperties properties = TrustFixture.bind(TrustFixture.trusting(small, true));
        SignedChallenges challenges = new SignedChallenges(smallCrl, properties, Clock.systemUTC());

        CertPathValidator pkix = CertPathValidator.getInstance("PKIX");
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Set<TrustAnchor> anchors = Set.of(new TrustAnchor(small.rootCertificate(), null));

        Map<String, Workload> workloads = new LinkedHashMap<>();
        workloads.put("baseline: parse + JDK PKIX alone (no revocation, none of the hub's checks)", () -> {
            List<X509Certificate> chain = new ArrayList<>();
            for (byte[] certificate : smallDevices.next()) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(certificate)));
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            pkix.validate(factory.generateCertPath(chain), parameters);
        });
        workloads.put("DeviceCertificates.validateDer, no CRL", () -> noCrl.validateDer(smallDevices.next()));
        workloads.put("DeviceCertificates.validateDer, CRLs with nothing revoked",
                () -> smallCrl.validateDer(smallDevices.next()));
        workloads.put("DeviceCertificates.validateDer, device CA's CRL with " + REVOKED + " revoked",
                () -> bigCrl.validateDer(bigDevices.next()));
        workloads.put("SignedChallenges.verify ES256 (parse, chain, CRLs with nothing revoked, signature)",
                () -> challenges.verify(es256.next()));

        // Sanity: the workloads do what they say, and the big CRL does refuse what it lists.
        if (!"352099001761481".equals(challenges.verify(new SandboxDevice(small.mintImei("352099001761481"))
                .signChallenge("n")).device().value())) {
            throw new IllegalStateException("a challenge did not verify");
        }
        DeviceCredentials revoked = big.mintImei("352099001761481");
        big.revoke(revoked.certificate());
        try {
            TrustFixture.validator(TrustFixture.trusting(big, true)).validate(revoked.chain());
            throw new IllegalStateException("a revoked device was accepted");
        } catch (DeviceIdentityRefusedException expected) {
            if (expected.reason() != RefusalReason.REVOKED) {
                throw expected;
            }
        }

        for (Workload workload : workloads.values()) {
            run(workload, 1.0);
        }
        Map<String, double[]> rates = new LinkedHashMap<>();
        workloads.keySet().forEach(name -> rates.put(name, new double[ROUNDS]));
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Workload> entry : workloads.entrySet()) {
                rates.get(entry.getKey())[round] = run(entry.getValue(), SECONDS);
            }
        }

        double baseline = median(rates.values().iterator().next());
        StringBuilder table = new StringBuilder();
        table.append("| Workload (1 thread) | ops/s (median of ").append(ROUNDS).append(" × ").append(SECONDS)
                .append(" s) | min–max | vs baseline |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, double[]> entry : rates.entrySet()) {
            double[] values = entry.getValue().clone();
            Arrays.sort(values);
            table.append(String.format("| %s | %,.0f | %,.0f–%,.0f | %.2f× |%n", entry.getKey(), median(values),
                    values[0], values[values.length - 1], median(values) / baseline));
        }
        table.append(String.format("%nCRL file of the big device CA: %,d bytes; JVM %s, %d processors%n",
                Files.size(big.crlFiles().get(1)), System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors()));
        System.out.println(table);
        Path report = Path.of("target", "device-identity-benchmark-results.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
    }

    private static List<byte[]> der(DeviceCredentials credentials) throws Exception {
        List<byte[]> der = new ArrayList<>();
        for (X509Certificate certificate : credentials.chain()) {
            der.add(certificate.getEncoded());
        }
        return der;
    }

    private static double run(Workload workload, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long started = System.nanoTime();
        long operations = 0;
        while (System.nanoTime() < end) {
            workload.run();
            operations++;
        }
        return operations / ((System.nanoTime() - started) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The pool's items in turn (one thread). */
    private static final class Cycle<T> {
        private final List<T> items;
        private int next;

        Cycle(List<T> items) {
            this.items = items;
        }

        T next() {
            T item = items.get(next);
            next = (next + 1) % items.size();
            return item;
        }
    }

    @FunctionalInterface
    private interface Workload {
        void run() throws Exception;
    }
}
