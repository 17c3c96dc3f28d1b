package io.provisioninghub.routes.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.deviceidentity.Imei;
import io.provisioninghub.connectors.deviceidentity.sandbox.DeviceCredentials;
import io.provisioninghub.connectors.deviceidentity.sandbox.TestManufacturerCa;
import io.provisioninghub.routes.support.BulkBindingClient;
import io.provisioninghub.routes.support.FastEcKeys;
import io.provisioninghub.routes.support.HubInstance;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Bulk binding of device identities (docs/benchmarks.md "Bulk binding", issue 5, SIGNUP-3). Not a test: run it with
 * {@code ./mvnw -B -ntp -o -pl routes -am -Psignup-benchmark verify -DskipTests}.
 * <ol>
 *   <li><b>Binding</b>: a fresh hub (default {@code provision-at=first-access}); per round, {@code rows} new devices
 *   (mostly IMEI + EC P-256 public key, {@code certificateRows} manufacturer certificates as base64 DER, {@code
 *   badPercent} % bad rows of four kinds) to new subscriptions of a plan, sent once as JSON and once (other devices)
 *   as CSV over HTTPS on the operator plane with an access token of the security client (fetched in the warm-up);
 *   timed from the request to the last byte of the answer; every row's result checked.</li>
 *   <li><b>Baseline</b>, same run, same machine, the same rows' inputs: what a minimal importer does: parse each
 *   key (KeyFactory) or validate each certificate with the JDK's PKIX against the sandbox root (no CRL), on all
 *   cores, then one multi-row INSERT of the rows over plain JDBC into a scratch table of the same PostgreSQL.</li>
 *   <li><b>Provisioning at binding</b>: a second fresh hub with {@code hub.signup.bulk.provision-at=binding}; {@code
 *   sagas} rows bound in one request; timed until every binding's subscription is ready (HLR allocation + billing
 *   TMF622 order + profile), read from the hub database.</li>
 * </ol>
 * Exits with 1 when a row is answered wrongly or a saga fails.
 */
public final class BulkBindingBenchmark {

    private static final int ROWS = Integer.getInteger("benchmark.rows", 10_000);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final int BAD_PERCENT = Integer.getInteger("benchmark.badPercent", 3);
    private static final int CERTIFICATE_ROWS = Integer.getInteger("benchmark.certificateRows", 300);
    private static final int SAGAS = Integer.getInteger("benchmark.sagas", 2_000);
    private static final Path OUTPUT = Path.of(System.getProperty("benchmark.output", "target/signup-benchmark-results.md"));
    private static final String TAC = "35700009";

    private static int serial = 100_000;
    /** hub.signup.saga-concurrency of the provisioning hub, for the report ("default" when not set). */
    private static String sagaConcurrency = "default";

    private BulkBindingBenchmark() {
    }

    /** One generated batch: its rows, and what the hub should answer. */
    record Batch(List<Map<String, Object>> rows, int good, int bad, List<String> certificates, List<String> keys) {
    }

    record Timed(int rows, double seconds) {
        double perSecond() {
            return rows / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Instant began = Instant.now();
        List<Timed> json = new ArrayList<>();
        List<Timed> csv = new ArrayList<>();
        List<Timed> baseline = new ArrayList<>();
        Timed sagas;
        Path firstData = dataDirectory("bind");
        HubInstance hub = HubInstance.start(hubProperties(firstData, Map.of()));
        try {
            TestManufacturerCa ca = TestManufacturerCa.loadOrCreate(Path.of(hub.property("hub.device-identity.sandbox-ca-directory")));
            BulkBindingClient api = new BulkBindingClient(hub);
            String plan = hub.context().getBean(BillingOrders.class).plans().get(0).id();
            FastEcKeys keys = new FastEcKeys();
            // Warm-up: the whole path once (JIT, connection pools, TLS), not measured.
            bindJson(api, batch(ca, keys, plan, Math.min(2_000, ROWS)));
            bindCsv(api, batch(ca, keys, plan, Math.min(2_000, ROWS)));
            baseline(hub, ca, batch(ca, keys, plan, Math.min(2_000, ROWS)));
            for (int round = 1; round <= ROUNDS; round++) {
                json.add(bindJson(api, batch(ca, keys, plan, ROWS)));
                csv.add(bindCsv(api, batch(ca, keys, plan, ROWS)));
                baseline.add(baseline(hub, ca, batch(ca, keys, plan, ROWS)));
                System.out.printf(Locale.ROOT, "round %d: JSON %.0f rows/s, CSV %.0f rows/s, baseline %.0f rows/s%n", round,
                        json.get(round - 1).perSecond(), csv.get(round - 1).perSecond(), baseline.get(round - 1).perSecond());
            }
        } finally {
            hub.close();
            deleteQuietly(firstData);
        }
        Path secondData = dataDirectory("saga");
        hub = HubInstance.start(hubProperties(secondData, Map.of("hub.signup.bulk.provision-at", "binding")));
        try {
            sagas = sagas(hub);
        } finally {
            hub.close();
            deleteQuietly(secondData);
        }
        String report = report(began, json, csv, baseline, sagas);
        System.out.println(report);
        Files.createDirectories(OUTPUT.toAbsolutePath().getParent());
        Files.writeString(OUTPUT, report);
        System.exit(0);
    }

    private static Path dataDirectory(String name) {
        return Path.of("target", "hub-instances", "signup-benchmark-" + name + "-" + System.nanoTime()).toAbsolutePath();
    }

    private static Map<String, String> hubProperties(Path data, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("hub.sandbox.data-dir", data.toString());
        properties.putAll(overrides);
        for (String pair : System.getProperty("benchmark.hub", "").split(",")) {
            if (pair.contains("=")) {
                properties.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        return properties;
    }

    private static synchronized String imei() {
        return Imei.withCheckDigit(TAC + serial++);
    }

    /** {@code count} rows of new devices; BAD_PERCENT % bad (bad Luhn, unknown plan, expired certificate, RSA-1024). */
    static Batch batch(TestManufacturerCa ca, FastEcKeys keys, String plan, int count) throws Exception {
        int bad = count * BAD_PERCENT / 100;
        int badStep = bad == 0 ? Integer.MAX_VALUE : count / bad;
        int certificates = (int) ((long) CERTIFICATE_ROWS * count / ROWS);
        int certificateStep = certificates == 0 ? Integer.MAX_VALUE : count / certificates;
        String weakKey = rsaSpki(1024);
        List<Map<String, Object>> rows = new ArrayList<>(count);
        List<String> certificateTexts = new ArrayList<>();
        List<String> keyTexts = new ArrayList<>();
        int badRows = 0;
        for (int i = 0; i < count; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("reference", "b-" + i);
            // Bad rows spread through the batch (every badStep-th row), four kinds in turn.
            boolean isBad = i % badStep == 0 && badRows < bad;
            int kind = isBad ? badRows++ % 4 : -1;
            String imei = imei();
            if (kind == 2) {
                row.put("certificate", der(ca.device("IMEI:" + imei).issuedByRoot().expired().mint()));
            } else if (!isBad && i % certificateStep == 1 % certificateStep) {
                String der = der(ca.device("IMEI:" + imei).issuedByRoot().mint());
                certificateTexts.add(der);
                row.put("certificate", der);
            } else {
                String key = kind == 3 ? weakKey : keys.next().spkiBase64();
                row.put("imei", kind == 0 ? imei.substring(0, 14) + (char) ('0' + (imei.charAt(14) - '0' + 1) % 10) : imei);
                row.put("publicKey", key);
                if (!isBad) {
                    keyTexts.add(key);
                }
            }
            row.put("plan", kind == 1 ? "no-such-plan" : plan);
            row.put("customer", "Customer " + i);
            rows.add(row);
        }
        return new Batch(rows, count - badRows, badRows, certificateTexts, keyTexts);
    }

    private static Timed bindJson(BulkBindingClient api, Batch batch) throws Exception {
        String body = BulkBindingClient.JSON.writeValueAsString(Map.of("bindings", batch.rows()));
        return timed(batch, () -> api.post("/operator/v1/device-bindings", "application/json", body));
    }

    private static Timed bindCsv(BulkBindingClient api, Batch batch) {
        List<String> columns = List.of("reference", "imei", "publicKey", "certificate", "plan", "customer");
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : batch.rows()) {
            csv.append(columns.stream().map(c -> row.getOrDefault(c, "").toString()).collect(Collectors.joining(","))).append('\n');
        }
        String body = csv.toString();
        return timed(batch, () -> api.post("/operator/v1/device-bindings", "text/csv", body));
    }

    private interface Call {
        HttpResponse<String> run();
    }

    private static Timed timed(Batch batch, Call call) {
        long started = System.nanoTime();
        HttpResponse<String> response = call.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonNode answer = response.statusCode() == 200 ? BulkBindingClient.read(response) : null;
        if (answer == null || answer.at("/summary/created").asInt() != batch.good()
                || answer.at("/summary/refused").asInt() != batch.bad()) {
            System.out.println("FAILED: expected " + batch.good() + " created and " + batch.bad() + " refused, got "
                    + response.statusCode() + " " + (answer == null ? response.body() : answer.get("summary")));
            System.exit(1);
        }
        return new Timed(batch.rows().size(), seconds);
    }

    /**
     * What a minimal importer does with the same inputs: parse every key, validate every certificate with the JDK's
     * PKIX against the root (no revocation), in parallel; then one multi-row INSERT over plain JDBC.
     */
    private static Timed baseline(HubInstance hub, TestManufacturerCa ca, Batch batch) throws Exception {
        PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca.rootCertificate(), null)));
        pkix.setRevocationEnabled(false);
        try (Connection connection = DriverManager.getConnection(hub.property("spring.datasource.url"),
                hub.property("spring.datasource.username"), hub.property("spring.datasource.password"))) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS benchmark_binding (id UUID PRIMARY KEY, device_value VARCHAR(64), "
                        + "public_key TEXT, plan_id VARCHAR(64), customer_name VARCHAR(200))");
            }
            long started = System.nanoTime();
            List<Object> validated = batch.rows().parallelStream().map(row -> {
                try {
                    if (row.containsKey("certificate")) {
                        CertificateFactory factory = CertificateFactory.getInstance("X.509");
                        X509Certificate certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(
                                Base64.getDecoder().decode((String) row.get("certificate"))));
                        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(certificate)), pkix);
                        return certificate.getPublicKey();
                    }
                    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                            Base64.getDecoder().decode((String) row.get("publicKey"))));
                } catch (Exception e) {
                    return null; // a bad row, as the hub refuses it
                }
            }).collect(Collectors.toList());
            List<Integer> good = new ArrayList<>();
            for (int i = 0; i < validated.size(); i++) {
                if (validated.get(i) != null) {
                    good.add(i);
                }
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO benchmark_binding SELECT * FROM "
                    + "unnest(?::uuid[], ?::varchar[], ?::text[], ?::varchar[], ?::varchar[])")) {
                insert.setArray(1, connection.createArrayOf("uuid", good.stream().map(i -> UUID.randomUUID()).toArray()));
                insert.setArray(2, connection.createArrayOf("varchar", good.stream()
                        .map(i -> String.valueOf(batch.rows().get(i).getOrDefault("imei", "cert-" + i))).toArray()));
                insert.setArray(3, connection.createArrayOf("text", good.stream().map(i -> Base64.getEncoder()
                        .encodeToString(((java.security.PublicKey) validated.get(i)).getEncoded())).toArray()));
                insert.setArray(4, connection.createArrayOf("varchar", good.stream()
                        .map(i -> batch.rows().get(i).get("plan")).toArray()));
                insert.setArray(5, connection.createArrayOf("varchar", good.stream()
                        .map(i -> batch.rows().get(i).get("customer")).toArray()));
                insert.executeUpdate();
            }
            connection.commit();
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Timed(batch.rows().size(), seconds);
        }
    }

    /** provision-at=binding: SAGAS rows in one request, timed until every subscription is ready. */
    private static Timed sagas(HubInstance hub) throws Exception {
        BulkBindingClient api = new BulkBindingClient(hub);
        String plan = hub.context().getBean(BillingOrders.class).plans().get(0).id();
        FastEcKeys keys = new FastEcKeys();
        if (hub.property("hub.signup.saga-concurrency") != null) {
            sagaConcurrency = hub.property("hub.signup.saga-concurrency");
        }
        // Warm-up: a few sagas through HLR and billing.
        awaitReady(hub, bindAll(api, keys, plan, 50), Duration.ofMinutes(3));
        long started = System.nanoTime();
        List<String> ids = bindAll(api, keys, plan, SAGAS);
        double bindSeconds = (System.nanoTime() - started) / 1e9;
        awaitReady(hub, ids, Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%d sagas: bound in %.1f s, all ready after %.1f s%n", SAGAS, bindSeconds, seconds);
        return new Timed(SAGAS, seconds);
    }

    private static List<String> bindAll(BulkBindingClient api, FastEcKeys keys, String plan, int count) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(BulkBindingClient.row("imei", imei(), "publicKey", keys.next().spkiBase64(), "plan", plan,
                    "customer", "Saga " + i));
        }
        HttpResponse<String> response = api.bindJson(rows);
        JsonNode answer = BulkBindingClient.read(response);
        if (answer.at("/summary/created").asInt() != count) {
            System.out.println("FAILED: " + answer.get("summary"));
            System.exit(1);
        }
        List<String> ids = new ArrayList<>();
        answer.get("results").forEach(r -> ids.add(r.get("bindingId").asText()));
        return ids;
    }

    private static void awaitReady(HubInstance hub, List<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String[] array = ids.toArray(String[]::new);
        while (true) {
            Map<String, Integer> states = new LinkedHashMap<>();
            hub.hubDatabase().query("SELECT state, count(*) FROM signup WHERE id::text = ANY(?) GROUP BY state",
                    rs -> {
                        states.put(rs.getString(1), rs.getInt(2));
                    }, (Object) array);
            int ready = states.getOrDefault("ready", 0) + states.getOrDefault("active", 0);
            if (states.getOrDefault("failed", 0) + states.getOrDefault("compensating", 0) > 0) {
                System.out.println("FAILED: sagas failed: " + states);
                System.exit(1);
            }
            if (ready == ids.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("FAILED: not all ready within " + timeout + ": " + states);
                System.exit(1);
            }
            Thread.sleep(200);
        }
    }

    private static String report(Instant began, List<Timed> json, List<Timed> csv, List<Timed> baseline, Timed sagas) {
        StringBuilder md = new StringBuilder();
        md.append("## Bulk binding (").append(began).append(")\n\n");
        md.append(String.format(Locale.ROOT, "%d rows per request (%d %% bad, about %d certificates as base64 DER, the "
                        + "rest IMEI + EC P-256 SPKI), %d rounds, new devices every time, %d cores.%n%n", ROWS, BAD_PERCENT,
                CERTIFICATE_ROWS, ROUNDS, Runtime.getRuntime().availableProcessors()));
        md.append("| Workload | rounds (rows/s) | median rows/s | median s per request | vs baseline |\n|---|---|---:|---:|---:|\n");
        double base = median(baseline, Timed::perSecond);
        row(md, "hub, JSON over HTTPS", json, base);
        row(md, "hub, CSV over HTTPS", csv, base);
        row(md, "baseline: JDK key parse / PKIX (no CRL) on all cores + one multi-row INSERT over JDBC", baseline, base);
        md.append(String.format(Locale.ROOT, "%nProvisioning at binding (hub.signup.bulk.provision-at=binding): %d bindings "
                        + "in one request, every subscription ready (HLR + billing order + profile) after %.1f s = %.1f sagas/s "
                        + "(hub.signup.saga-concurrency: %s).%n",
                sagas.rows(), sagas.seconds(), sagas.perSecond(), sagaConcurrency));
        return md.toString();
    }

    private static void row(StringBuilder md, String name, List<Timed> rounds, double base) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.2f | %.2f× |%n", name,
                rounds.stream().map(t -> String.format(Locale.ROOT, "%.0f", t.perSecond())).collect(Collectors.joining(", ")),
                median(rounds, Timed::perSecond), median(rounds, Timed::seconds), median(rounds, Timed::perSecond) / base));
    }

    private static double median(List<Timed> rounds, java.util.function.ToDoubleFunction<Timed> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static String der(DeviceCredentials device) throws Exception {
        return Base64.getEncoder().encodeToString(device.certificate().getEncoded());
    }

    private static String rsaSpki(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort
        }
    }
}
