package io.provisioninghub.routes.benchmark;

import io.provisioninghub.connectors.hlr.HlrSelection;
import io.provisioninghub.connectors.hlr.HlrSelections;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.OperatorClient;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.postgresql.PGConnection;
import org.springframework.jms.connection.SingleConnectionFactory;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Campaign fan-out (ROT-3 proof item: "a campaign over a 1,000,000-subscriber selection fanned out into queued work
 * in ≤ 5 minutes"; docs/benchmarks.md). Not a test: run it with
 * {@code ./mvnw -B -ntp -o -pl routes -am -Pcampaign-benchmark verify -DskipTests}.
 * <ol>
 *   <li>Setup (not measured): a hub with its own sandbox; the HLR stand-in grown from 100,005 to
 *   {@code subscribers} + 5 subscribers (one INSERT … SELECT generate_series, same formulas as the V4 migration).</li>
 *   <li>Baseline 1: the raw read of every IMSI of the selection from the HLR, through the same keyset pages the
 *   fan-out uses ({@link HlrSelections}).</li>
 *   <li>Measured: POST /operator/v1/campaigns over the whole IMSI range (paused at once, so dispatch does not
 *   compete), until every device row exists and every chunk is in Artemis (fan-out complete, queued_through =
 *   written_through). Then the rows are counted and the queue's messages browsed and counted.</li>
 *   <li>Baseline 2: the raw COPY of as many rows, in the same page size and one transaction per page, into a copy
 *   of campaign_device (same columns and indexes).</li>
 *   <li>Dispatch (reported, no target): a rotation campaign over {@code dispatchDevices} devices at 1,000/s (the
 *   hub's SMS cap raised to match), devices done per second: what the leader can process when the rate is not the
 *   limit.</li>
 * </ol>
 * Settings: -Dbenchmark.subscribers (1000000), -Dbenchmark.dispatchDevices (3000), -Dbenchmark.dispatchConcurrency
 * (8, the hub's hub.campaign.dispatch-concurrency), -Dbenchmark.dispatchBatchSize (50, hub.campaign.dispatch-batch-size;
 * 1 = every device in a transaction of its own, as before grouping), -Dbenchmark.output (target/campaign-benchmark-results.md).
 * Exits with 1 when a row or a chunk is missing, or the fan-out took more than 5 minutes.
 */
public final class CampaignFanOutBenchmark {

    private static final int SUBSCRIBERS = Integer.getInteger("benchmark.subscribers", 1_000_000);
    private static final Path OUTPUT = Path.of(System.getProperty("benchmark.output", "target/campaign-benchmark-results.md"));
    private static final int PAGE = 10_000;
    private static final int CHUNK = 500;
    private static final long LIMIT_MILLIS = 5 * 60_000;
    private static final int DISPATCH_DEVICES = Integer.getInteger("benchmark.dispatchDevices", 3_000);
    private static final int DISPATCH_RATE = 1_000;
    private static final int DISPATCH_CONCURRENCY = Integer.getInteger("benchmark.dispatchConcurrency", 8);
    private static final int DISPATCH_BATCH_SIZE = Integer.getInteger("benchmark.dispatchBatchSize", 50);

    private static OperatorClient security;

    private CampaignFanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Instant began = Instant.now();
        Path data = Path.of("target", "hub-instances", "campaign-benchmark-" + System.nanoTime()).toAbsolutePath();
        HubInstance hub = HubInstance.start(Map.of("hub.sandbox.data-dir", data.toString(),
                "hub.sms.rate-per-second", Integer.toString(DISPATCH_RATE),
                "hub.campaign.dispatch-concurrency", Integer.toString(DISPATCH_CONCURRENCY),
                "hub.campaign.dispatch-batch-size", Integer.toString(DISPATCH_BATCH_SIZE)));
        int exit = 0;
        StringBuilder report = new StringBuilder();
        try {
            long grow = growHlr(hub);
            long expected = hub.hlrDatabase().queryForObject("SELECT count(*) FROM subscriber", Long.class);

            long readStart = System.nanoTime();
            long read = readAll(hub);
            long readMillis = (System.nanoTime() - readStart) / 1_000_000;

            security(hub).accessToken(); // the operator's access token is fetched before the clock starts
            long fanStart = System.nanoTime();
            long id = startCampaign(hub, "reconfiguration", "001010000000000", "001019999999999", 1);
            post(hub, "/operator/v1/campaigns/" + id + "/pause");
            long fanMillis = awaitFanOut(hub, id, fanStart);
            long rows = hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign_device WHERE campaign_id = ?",
                    Long.class, id);
            long pendingOrDone = hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign_device WHERE campaign_id = ? "
                    + "AND state IN ('pending', 'done', 'skipped', 'failed')", Long.class, id);
            long dispatched = rows - hub.hubDatabase().queryForObject("SELECT count(*) FROM campaign_device "
                    + "WHERE campaign_id = ? AND state = 'pending'", Long.class, id);
            long messages = browse(hub, "hub.campaign.work." + id);
            long expectedChunks = expectedChunks(expected);

            long copyMillis = copyBaseline(hub, expected);

            // Dispatch: a rotation campaign at a rate out of reach, to see what the leader can process.
            long dispatchId = startCampaign(hub, "rotation", "001011000000001", String.format("00101%010d",
                    1_000_000_000L + DISPATCH_DEVICES), DISPATCH_RATE);
            double dispatchPerSecond = awaitDispatch(hub, dispatchId);

            boolean ok = rows == expected && pendingOrDone == expected && messages == expectedChunks
                    && fanMillis <= LIMIT_MILLIS;
            exit = ok ? 0 : 1;
            report.append("# Campaign fan-out benchmark\n\n")
                    .append("Run ").append(began).append(", ").append(Runtime.getRuntime().availableProcessors())
                    .append(" cores visible, Java ").append(System.getProperty("java.version")).append("\n\n")
                    .append("| step | rows | seconds | rows/s |\n| --- | ---: | ---: | ---: |\n")
                    .append(line("setup: HLR grown by INSERT … SELECT generate_series", SUBSCRIBERS - 100_000, grow))
                    .append(line("baseline 1: read every IMSI from the HLR (keyset pages of 10,000)", read, readMillis))
                    .append(line("**campaign fan-out: POST → every device row written and every chunk queued**", rows, fanMillis))
                    .append(line("baseline 2: COPY as many rows into a copy of campaign_device (pages of 10,000)", expected, copyMillis))
                    .append("\nSelection: ").append(expected).append(" HLR subscribers; device rows ").append(rows)
                    .append(" (").append(dispatched).append(" dispatched before the pause took effect); chunks in Artemis ")
                    .append(messages).append(" (expected ").append(expectedChunks).append(", ").append(CHUNK)
                    .append(" devices each).\n")
                    .append(String.format(Locale.ROOT, "Fan-out / (read + COPY) = %.2f. Target ≤ 300 s: %s.%n",
                            fanMillis / (double) (readMillis + copyMillis), fanMillis <= LIMIT_MILLIS ? "met" : "MISSED"))
                    .append(String.format(Locale.ROOT, "%nDispatch: a rotation campaign over %,d devices at %,d/s "
                            + "(hub.sms.rate-per-second %,d, hub.campaign.dispatch-concurrency %d, dispatch-batch-size %d): %.0f devices/s.%n",
                            DISPATCH_DEVICES, DISPATCH_RATE, DISPATCH_RATE, DISPATCH_CONCURRENCY, DISPATCH_BATCH_SIZE,
                            dispatchPerSecond));
        } finally {
            hub.close();
        }
        System.out.println(report);
        Files.createDirectories(OUTPUT.toAbsolutePath().getParent());
        Files.writeString(OUTPUT, report.toString());
        System.exit(exit);
    }

    private static String line(String step, long rows, long millis) {
        return String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f |%n", step, rows, millis / 1000.0,
                rows / Math.max(0.001, millis / 1000.0));
    }

    /** Same formulas as connectors/hlr V4 (IMSI 00101 + 10 digits of 1e9+n, MSISDN 1555 + 7 digits of 1e6+n). */
    private static long growHlr(HubInstance hub) throws Exception {
        long start = System.nanoTime();
        try (java.sql.Connection c = DriverManager.getConnection(hub.property("hub.hlr.datasource.url"),
                hub.property("hub.hlr.datasource.username"), hub.property("hub.hlr.datasource.password"));
             Statement s = c.createStatement()) {
            s.execute("WITH inserted AS (INSERT INTO subscriber (imsi, msisdn) "
                    + "SELECT '00101' || lpad((1000000000 + n)::text, 10, '0'), '1555' || lpad((1000000 + n)::text, 7, '0') "
                    + "FROM generate_series(100001, " + SUBSCRIBERS + ") AS n RETURNING id, imsi) "
                    + "INSERT INTO auc_3g (subscriber_id, algo_id_3g, k, opc) "
                    + "SELECT id, 5, md5('k:' || imsi), md5('opc:' || imsi) FROM inserted");
            s.execute("ANALYZE subscriber");
            s.execute("ANALYZE auc_3g");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static HlrSelection everyone() {
        return new HlrSelection.ImsiRange("001010000000000", "001019999999999");
    }

    private static long readAll(HubInstance hub) {
        HlrSelections selections = hub.context().getBean(HlrSelections.class);
        long n = 0;
        String after = null;
        while (true) {
            List<String> page = selections.page(everyone(), after, PAGE);
            if (page.isEmpty()) {
                return n;
            }
            n += page.size();
            after = page.get(page.size() - 1);
        }
    }

    private static long startCampaign(HubInstance hub, String kind, String from, String to, int rate) throws Exception {
        HttpResponse<String> response = post(hub, "/operator/v1/campaigns", "{\"kind\":\"" + kind + "\","
                + "\"selection\":{\"imsiRange\":{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}},"
                + "\"smsRatePerSecond\":" + rate + "}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("campaign refused: " + response.statusCode() + " " + response.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("id").asLong();
    }

    private static HttpResponse<String> post(HubInstance hub, String path) throws Exception {
        return post(hub, path, null);
    }

    /** A POST to the operator plane as the security team (campaigns need the role security or admin). */
    private static HttpResponse<String> post(HubInstance hub, String path, String body) throws Exception {
        HttpRequest request = security(hub).request(path).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return security(hub).send(request);
    }

    /** The operator client of the security team on the benchmark's hub (one hub per run): its token is kept. */
    private static synchronized OperatorClient security(HubInstance hub) {
        if (security == null) {
            security = hub.operator("security");
        }
        return security;
    }

    private static long awaitFanOut(HubInstance hub, long id, long startNanos) throws InterruptedException {
        while (true) {
            Boolean done = hub.hubDatabase().queryForObject("SELECT fanned_out_at IS NOT NULL "
                    + "AND queued_through IS NOT DISTINCT FROM written_through FROM campaign WHERE id = ?", Boolean.class, id);
            long millis = (System.nanoTime() - startNanos) / 1_000_000;
            if (Boolean.TRUE.equals(done)) {
                return millis;
            }
            if (millis > 3 * LIMIT_MILLIS) {
                return millis;
            }
            Thread.sleep(100);
        }
    }

    /** Devices per second from the first to the last device done (campaign_device.updated_at). */
    private static double awaitDispatch(HubInstance hub, long id) throws InterruptedException {
        long deadline = System.nanoTime() + 10 * 60_000_000_000L;
        while (System.nanoTime() < deadline && !"completed".equals(hub.hubDatabase().queryForObject(
                "SELECT state FROM campaign WHERE id = ?", String.class, id))) {
            Thread.sleep(200);
        }
        return hub.hubDatabase().queryForObject("SELECT count(*) / GREATEST(0.001, extract(epoch FROM max(updated_at) - "
                + "min(updated_at))) FROM campaign_device WHERE campaign_id = ? AND state = 'done'", Double.class, id);
    }

    private static long expectedChunks(long devices) {
        long fullPages = devices / PAGE;
        long rest = devices % PAGE;
        return fullPages * ((PAGE + CHUNK - 1) / CHUNK) + (rest + CHUNK - 1) / CHUNK;
    }

    private static long browse(HubInstance hub, String queue) throws Exception {
        ConnectionFactory factory = hub.context().getBean(ConnectionFactory.class);
        if (factory instanceof SingleConnectionFactory single && single.getTargetConnectionFactory() != null) {
            factory = single.getTargetConnectionFactory();
        }
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            long n = 0;
            for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                n++;
            }
            return n;
        }
    }

    /** The raw write: COPY the same number of rows, page by page, into a table shaped like campaign_device. */
    private static long copyBaseline(HubInstance hub, long rows) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection(hub.property("spring.datasource.url"),
                hub.property("spring.datasource.username"), hub.property("spring.datasource.password"))) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE campaign_device_baseline (LIKE campaign_device INCLUDING ALL)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long written = 0;
            long n = 0;
            while (written < rows) {
                StringBuilder page = new StringBuilder(PAGE * 32);
                int inPage = (int) Math.min(PAGE, rows - written);
                for (int i = 0; i < inPage; i++) {
                    n++;
                    page.append("1,").append("00101").append(String.format("%010d", 1_000_000_000L + n)).append(",pending\n");
                }
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY campaign_device_baseline (campaign_id, imsi, state) FROM STDIN (FORMAT csv)",
                        new StringReader(page.toString()));
                c.commit();
                written += inPage;
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

}
