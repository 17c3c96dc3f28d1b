package io.provisioninghub.routes;

import io.provisioninghub.connectors.smsc.simulator.SmscFaults;
import io.provisioninghub.routes.support.KafkaTopics;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.SmscInbox;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.DoublePredicate;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.provisioninghub.routes.support.DeviceClient.cookieOf;
import static io.provisioninghub.routes.support.DeviceClient.table1;
import static io.provisioninghub.routes.support.DeviceClient.table9;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flows' own metric families (issue 14, docs/observability.md), read on the management port's
 * /actuator/prometheus while the flows run: counters compared before and after (the hub is shared), gauges against the
 * hub database they count, and the gauges' statements EXPLAINed on tables of realistic size. Subscribers 95,001 …
 * 95,999 are this class's own.
 */
class FlowMetricsTest extends SharedHubTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test // issue 14: every answer of the configuration route counted once, by flow and outcome, the error handler's too
    void configurationAnswersAreCountedOnceByFlowAndOutcome() {
        Subscribers cellular = Subscribers.generated(95_001);
        Subscribers wifi = Subscribers.generated(95_002);
        String before = scrape();

        // §2.2: the first request over HTTP, the second over HTTPS.
        assertThat(device.configure(cellular.msisdn(), cellular.imsi(), table1(0, null)).statusCode()).isEqualTo(200);
        // A first request the gateway did not enrich: 511.
        assertThat(device.get("http://localhost:" + hub.httpPort() + "/", Map.of()).statusCode()).isEqualTo(511);
        // A second request with a value over its size (a 403 of the error handler) and one with a garbage cookie (511).
        String cookie = cookieOf(device.firstRequest(cellular.msisdn(), cellular.imsi())).orElseThrow();
        assertThat(device.secureRequest(table1(0, null) + "&extra=" + "x".repeat(300), cookie, Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(device.secureRequest(table1(0, null), null, Map.of("Cookie", "rcc14-session=garbage")).statusCode())
                .isEqualTo(511);
        // A POST that is not a form: refused (415) by the error handler before the request is even read.
        HttpResponse<String> notAForm = device.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                        + hub.httpsPort() + "/")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("OTP=123456")).timeout(Duration.ofSeconds(20)).build());
        assertThat(notAForm.statusCode()).isEqualTo(415);
        // Wi-Fi (§2.3): an OTP sent, then a second one within the minute over the per-MSISDN limit (503).
        assertThat(device.secureRequest(table9(null, wifi.msisdn(), "", null), null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(device.secureRequest(table9(null, wifi.msisdn(), "", null), null, Map.of()).statusCode()).isEqualTo(503);

        String after = scrape();
        assertThat(delta(before, after, "first_request", "served")).isEqualTo(2);
        assertThat(delta(before, after, "first_request", "unidentified")).isEqualTo(1);
        assertThat(delta(before, after, "cellular", "served")).isEqualTo(1);
        assertThat(delta(before, after, "cellular", "refused")).isEqualTo(1);
        assertThat(delta(before, after, "cellular", "unidentified")).isEqualTo(1);
        assertThat(delta(before, after, "non_cellular", "refused")).isEqualTo(1);
        assertThat(delta(before, after, "non_cellular", "served")).isEqualTo(1);
        assertThat(delta(before, after, "non_cellular", "unavailable")).isEqualTo(1);
        assertThat(delta(before, after, "cellular", "failed")).isZero();
    }

    private static double delta(String before, String after, String flow, String outcome) {
        String name = "hub_configuration_requests_total";
        double was = value(before, name, "flow", flow, "outcome", outcome);
        assertThat(was).as("%s{flow=%s,outcome=%s} registered up front", name, flow, outcome).isNotNaN();
        return value(after, name, "flow", flow, "outcome", outcome) - was;
    }

    @Test // issue 14: OTP challenges issued, verified, failed and locked; their SMS queued, then submitted
    void otpChallengesAndTheirSmsAreCounted() {
        Subscribers user = Subscribers.generated(95_003);
        Subscribers guesser = Subscribers.generated(95_004);
        String before = scrape();
        double submitted = value(before, "hub_sms_total", "purpose", "otp-primary", "event", "submitted");

        HttpResponse<String> otpRequest = device.secureRequest(table9(null, user.msisdn(), "", 0), null, Map.of());
        assertThat(otpRequest.statusCode()).isEqualTo(200);
        String cookie = cookieOf(otpRequest).orElseThrow();
        String otp = SmscInbox.otpIn(hub.smsc().awaitSubmit(user.msisdn(), 1, WAIT).text());
        assertThat(device.securePost(null, cookie, "OTP=" + wrong(otp)).statusCode()).isEqualTo(511);
        assertThat(device.securePost(null, cookie, "OTP=" + otp).statusCode()).isEqualTo(200);

        String after = scrape();
        assertThat(otpDelta(before, after, "issued")).isEqualTo(1);
        assertThat(otpDelta(before, after, "failed")).isEqualTo(1);
        assertThat(otpDelta(before, after, "verified")).isEqualTo(1);
        assertThat(otpDelta(before, after, "locked")).isZero();
        assertThat(value(after, "hub_sms_total", "purpose", "otp-primary", "event", "queued")
                - value(before, "hub_sms_total", "purpose", "otp-primary", "event", "queued")).isEqualTo(1);
        awaitValue(v -> v >= submitted + 1, "hub_sms_total", "purpose", "otp-primary", "event", "submitted");

        // Five wrong tries (hub.otp.max-attempts, OTP-7): the fifth kills the challenge; the right OTP is too late.
        HttpResponse<String> guessed = device.secureRequest(table9(null, guesser.msisdn(), "", 0), null, Map.of());
        String guessedCookie = cookieOf(guessed).orElseThrow();
        String guessedOtp = SmscInbox.otpIn(hub.smsc().awaitSubmit(guesser.msisdn(), 1, WAIT).text());
        for (int i = 0; i < 5; i++) {
            assertThat(device.securePost(null, guessedCookie, "OTP=" + wrong(guessedOtp)).statusCode()).isEqualTo(511);
        }
        assertThat(device.securePost(null, guessedCookie, "OTP=" + guessedOtp).statusCode()).isEqualTo(511);

        String locked = scrape();
        assertThat(otpDelta(after, locked, "issued")).isEqualTo(1);
        assertThat(otpDelta(after, locked, "failed")).isEqualTo(5);
        assertThat(otpDelta(after, locked, "locked")).isEqualTo(1);
        assertThat(otpDelta(after, locked, "verified")).isZero();
    }

    private static String wrong(String otp) {
        return otp.equals("000000") ? "111111" : "000000";
    }

    private static double otpDelta(String before, String after, String event) {
        double was = value(before, "hub_otp_challenges_total", "event", event);
        assertThat(was).as("hub_otp_challenges_total{event=%s} registered up front", event).isNotNaN();
        return value(after, "hub_otp_challenges_total", "event", event) - was;
    }

    @Test // issue 14: an SMS the SMSC throttles, then one it refuses for good (failed, dead-lettered)
    void smsThrottledFailedAndDeadLetteredAreCounted() {
        SmscFaults faults = hub.sandbox().smsc().orElseThrow().faults();
        Subscribers throttled = Subscribers.generated(95_005);
        Subscribers refused = Subscribers.generated(95_006);
        String before = scrape();
        try {
            faults.throttleShare(1.0);
            assertThat(device.secureRequest(table9(null, throttled.msisdn(), "", null), null, Map.of()).statusCode())
                    .isEqualTo(200);
            awaitValue(v -> v >= smsValue(before, "throttled") + 1, "hub_sms_total", "purpose", "otp-primary",
                    "event", "throttled");
            faults.reset();
            hub.smsc().awaitSubmit(throttled.msisdn(), 1, WAIT);
            awaitValue(v -> v >= smsValue(before, "submitted") + 1, "hub_sms_total", "purpose", "otp-primary",
                    "event", "submitted");

            faults.rejectAll(0x0B); // ESME_RINVDSTADR: permanent
            assertThat(device.secureRequest(table9(null, refused.msisdn(), "", null), null, Map.of()).statusCode())
                    .isEqualTo(200);
            awaitValue(v -> v >= smsValue(before, "dead_lettered") + 1, "hub_sms_total", "purpose", "otp-primary",
                    "event", "dead_lettered");
        } finally {
            faults.reset();
        }
        assertThat(value(scrape(), "hub_sms_total", "purpose", "otp-primary", "event", "failed"))
                .isGreaterThanOrEqualTo(smsValue(before, "failed") + 1);
        // Tidy: the parked message, so that the dead-letter queue holds only what other tests put there.
        hub.context().getBean(org.apache.camel.ConsumerTemplate.class).receiveNoWait("jms:queue:hub.sms.dead-letter");
    }

    private static double smsValue(String scrape, String event) {
        double value = value(scrape, "hub_sms_total", "purpose", "otp-primary", "event", event);
        assertThat(value).as("hub_sms_total{purpose=otp-primary,event=%s} registered up front", event).isNotNaN();
        return value;
    }

    @Test // issue 14: the outbox gauges count the SMS not yet submitted, whole deployment, from the hub database
    void outboxGaugesFollowTheDatabase() {
        JdbcTemplate db = hub.hubDatabase();
        UUID reference = UUID.randomUUID();
        // A record the sender will never see (no outbox message), queued an hour ago.
        db.update("INSERT INTO sms_message (reference, purpose, msisdn, state, created_at) "
                + "VALUES (?, 'metrics-test', ?, 'queued', now() - interval '1 hour')", reference,
                Subscribers.generated(95_010).msisdn());
        try {
            awaitValue(age -> age >= 3600, "hub_sms_outbox_oldest_age_seconds");
            awaitGaugeMatches(() -> db.queryForObject("SELECT count(*) FROM sms_message WHERE state IN ('queued', "
                    + "'retrying')", Long.class), 1, "hub_sms_outbox_depth");
        } finally {
            db.update("DELETE FROM sms_message WHERE reference = ?", reference);
        }
    }

    @Test // issue 14: rotation events accepted, duplicate, dead-lettered; rotations by state from the hub database
    void rotationEventsAndRotationsAreCounted() {
        Subscribers user = Subscribers.generated(95_007);
        String event = KafkaTopics.rotationRequested(UUID.randomUUID().toString(), user.imsi(), "compromised");
        String before = scrape();
        double accepted = rotationEvents(before, "accepted");
        double duplicate = rotationEvents(before, "duplicate");
        double deadLettered = rotationEvents(before, "dead_lettered");
        double triggers = value(before, "hub_sms_total", "purpose", "reconfiguration", "event", "queued");

        try (KafkaTopics kafka = new KafkaTopics(hub)) {
            kafka.send("hub.rotation.requests", user.imsi(), event);
            awaitValue(v -> v == accepted + 1, "hub_rotation_events_total", "outcome", "accepted");
            kafka.send("hub.rotation.requests", user.imsi(), event); // a replay
            awaitValue(v -> v == duplicate + 1, "hub_rotation_events_total", "outcome", "duplicate");
            kafka.send("hub.rotation.requests", "bad", "{\"not\":\"a cloud event\"}");
            awaitValue(v -> v == deadLettered + 1, "hub_rotation_events_total", "outcome", "dead_lettered");
        }
        assertThat(value(scrape(), "hub_sms_total", "purpose", "reconfiguration", "event", "queued"))
                .isGreaterThanOrEqualTo(triggers + 1);
        JdbcTemplate db = hub.hubDatabase();
        awaitGaugeMatches(() -> db.queryForObject("SELECT count(*) FROM rotation WHERE state = 'notified'", Long.class),
                1, "hub_rotations", "state", "notified");
        awaitGaugeMatches(() -> db.queryForObject("SELECT count(*) FROM rotation WHERE state = 'requested'", Long.class),
                0, "hub_rotations", "state", "requested");
        // Final states are counted every hub.metrics.settled-refresh-interval (5 min): here only their presence.
        for (String state : List.of("rotated", "failed", "expired")) {
            assertThat(value(scrape(), "hub_rotations", "state", state)).as("hub_rotations{state=%s}", state).isNotNaN();
        }
    }

    private static double rotationEvents(String scrape, String outcome) {
        double value = value(scrape, "hub_rotation_events_total", "outcome", outcome);
        assertThat(value).as("hub_rotation_events_total{outcome=%s} registered up front", outcome).isNotNaN();
        return value;
    }

    @Test // issue 14: devices of the campaigns not finished by state; done = selected minus the others
    void campaignDevicesFollowTheDatabase() {
        JdbcTemplate db = hub.hubDatabase();
        // A paused campaign whose fan-out is over: nothing dispatches it.
        Long id = db.queryForObject("INSERT INTO campaign (kind, origin, selection, sms_rate_per_second, state, selected, "
                + "fanned_out_at) VALUES ('reconfiguration', 'operator', '{\"imsis\":[]}', 1, 'paused', 4, now()) "
                + "RETURNING id", Long.class);
        try {
            String[] states = {"pending", "done", "done", "skipped"};
            for (int i = 0; i < states.length; i++) {
                db.update("INSERT INTO campaign_device (campaign_id, imsi, state) VALUES (?, ?, ?)", id,
                        Subscribers.generated(95_020 + i).imsi(), states[i]);
            }
            Map<String, Long> mine = Map.of("pending", 1L, "done", 2L, "skipped", 1L, "failed", 0L, "cancelled", 0L);
            for (Map.Entry<String, Long> state : mine.entrySet()) {
                awaitGaugeMatches(() -> db.queryForObject("SELECT count(*) FROM campaign_device d JOIN campaign c "
                        + "ON c.id = d.campaign_id WHERE c.state = 'paused' AND d.state = ?",
                        Long.class, state.getKey()), state.getValue(), "hub_campaign_devices", "campaign", "paused",
                        "state", state.getKey());
            }
        } finally {
            db.update("DELETE FROM campaign_device WHERE campaign_id = ?", id);
            db.update("DELETE FROM campaign WHERE id = ?", id);
        }
    }

    @Test // issue 14: sign-ups (from the page) and bindings (the operator's) by state, from the hub database
    void signupsAndBindingsFollowTheDatabase() {
        JdbcTemplate db = hub.hubDatabase();
        // Ready: the profile waits for its device, nothing else acts on the row.
        UUID portal = UUID.randomUUID();
        UUID bulk = UUID.randomUUID();
        db.update("INSERT INTO signup (id, origin, device_kind, device_value, public_jwk, state) VALUES "
                + "(?, 'portal', 'imei', 'metrics-test-portal', '{}', 'ready'), "
                + "(?, 'bulk', 'imei', 'metrics-test-bulk', '{}', 'ready')", portal, bulk);
        try {
            awaitGaugeMatches(() -> db.queryForObject("SELECT count(*) FROM signup WHERE state = 'ready' "
                    + "AND origin = 'portal'", Long.class), 1, "hub_signups", "state", "ready");
            awaitGaugeMatches(() -> db.queryForObject("SELECT count(*) FROM signup WHERE state = 'ready' "
                    + "AND origin <> 'portal'", Long.class), 1, "hub_device_bindings", "state", "ready");
            // Settled states are counted every hub.metrics.settled-refresh-interval (5 min): here only their presence.
            String scrape = scrape();
            for (String state : List.of("bound", "active", "failed", "released")) {
                assertThat(value(scrape, "hub_signups", "state", state)).as("hub_signups{state=%s}", state).isNotNaN();
                assertThat(value(scrape, "hub_device_bindings", "state", state)).as("hub_device_bindings{state=%s}", state)
                        .isNotNaN();
            }
        } finally {
            db.update("DELETE FROM signup WHERE id IN (?, ?)", portal, bulk);
        }
    }

    @Test // issue 14: the gauges' statements are index-only scans on tables of realistic size, never a table scan
    void gaugeStatementsUseTheirIndexes() throws Exception {
        JdbcTemplate db = hub.hubDatabase();
        long campaign = db.queryForObject("INSERT INTO campaign (kind, origin, selection, sms_rate_per_second, state, "
                + "selected, fanned_out_at) VALUES ('rotation', 'operator', '{\"imsis\":[]}', 1, 'paused', 60000, now()) "
                + "RETURNING id", Long.class);
        try {
            // Mostly final rows, as at a real operator; published and recent, so no housekeeping acts on them.
            insertCommitted(db, "INSERT INTO rotation (event_source, event_id, imsi, reason, state, result_published_at, "
                    + "next_notify_at) SELECT 'urn:metrics-plan-test', 'e' || g, '00109' || lpad(g::text, 10, '0'), 'due', "
                    + "CASE WHEN g % 100 < 85 THEN 'rotated' WHEN g % 100 < 90 THEN 'expired' WHEN g % 100 < 92 "
                    + "THEN 'failed' ELSE 'notified' END, CASE WHEN g % 100 < 92 THEN now() END, "
                    + "now() + interval '1 day' FROM generate_series(1, 60000) AS g",
                    "INSERT INTO signup (id, origin, device_kind, device_value, public_jwk, state) "
                    + "SELECT gen_random_uuid(), CASE WHEN g % 10 = 0 THEN 'portal' ELSE 'bulk' END, 'imei', "
                    + "'metrics-plan-' || g, '{}', CASE WHEN g % 10 < 6 THEN 'active' WHEN g % 10 < 9 THEN 'bound' "
                    + "ELSE 'released' END FROM generate_series(1, 60000) AS g",
                    "INSERT INTO sms_message (reference, purpose, msisdn, state) SELECT gen_random_uuid(), "
                    + "'metrics-plan', '+1', CASE WHEN g % 100 = 0 THEN 'queued' ELSE 'submitted' END "
                    + "FROM generate_series(1, 60000) AS g",
                    "INSERT INTO campaign_device (campaign_id, imsi, state) SELECT " + campaign + ", '00109' || "
                    + "lpad(g::text, 10, '0'), CASE WHEN g % 10 < 4 THEN 'pending' WHEN g % 50 = 5 THEN 'failed' "
                    + "ELSE 'done' END FROM generate_series(1, 60000) AS g");
            for (String table : List.of("rotation", "signup", "sms_message", "campaign_device")) {
                vacuum(db, table);
            }

            assertThat(plan(db, constant("sms.SmsMetrics", "UNSENT"))).contains("sms_message_unsent_created")
                    .doesNotContain("Seq Scan");
            // The final states, most of the rows: the index, never the table.
            assertThat(plan(db, constant("rotation.RotationMetrics", "COUNT"), constant("rotation.RotationMetrics", "SETTLED")))
                    .contains("Index Only Scan using rotation_state").doesNotContain("Seq Scan");
            assertThat(plan(db, constant("signup.SignupMetrics", "COUNT"), constant("signup.SignupMetrics", "SETTLED")))
                    .contains("Index Only Scan using signup_state_origin").doesNotContain("Seq Scan");
            // The states of work in progress: an index of those rows (the planner may take a partial one of V3 or V8).
            assertThat(plan(db, constant("rotation.RotationMetrics", "COUNT"), constant("rotation.RotationMetrics", "LIVE")))
                    .contains(" using rotation_").doesNotContain("Seq Scan");
            assertThat(plan(db, constant("signup.SignupMetrics", "COUNT"), constant("signup.SignupMetrics", "LIVE")))
                    .contains(" using signup_").doesNotContain("Seq Scan");
            assertThat(plan(db, constant("campaign.CampaignMetrics", "COUNT")))
                    .contains("Index Only Scan using campaign_device_pending")
                    .contains("Index Only Scan using campaign_device_exception")
                    .doesNotContain("Seq Scan on campaign_device");
        } finally {
            db.update("DELETE FROM rotation WHERE event_source = 'urn:metrics-plan-test'");
            db.update("DELETE FROM signup WHERE device_value LIKE 'metrics-plan-%'");
            db.update("DELETE FROM sms_message WHERE purpose = 'metrics-plan'");
            db.update("DELETE FROM campaign_device WHERE campaign_id = ?", campaign);
            db.update("DELETE FROM campaign WHERE id = ?", campaign);
        }
    }

    /**
     * The statements in one transaction committed synchronously: the sandbox's PostgreSQL commits asynchronously
     * (zonky's synchronous_commit=off), and a VACUUM right after an asynchronous commit cannot mark the new rows
     * visible to all (no index-only scan then).
     */
    private static void insertCommitted(JdbcTemplate db, String... statements) {
        db.execute((ConnectionCallback<Void>) connection -> {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL synchronous_commit = on");
                for (String sql : statements) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            return null;
        });
    }

    /**
     * VACUUM ANALYZE until the visibility map covers the table, as autovacuum keeps a table of old rows: a transaction
     * of the running hub that is older than the rows keeps a VACUUM from marking them, so it is tried again.
     */
    private static void vacuum(JdbcTemplate db, String table) {
        for (int i = 0; i < 50; i++) {
            db.execute("VACUUM ANALYZE " + table);
            if (Boolean.TRUE.equals(db.queryForObject("SELECT relallvisible >= relpages * 0.95 FROM pg_class "
                    + "WHERE oid = ?::regclass", Boolean.class, table))) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError(table + ": VACUUM did not mark its pages visible to all");
    }

    /** A package-private constant of a metrics class (a statement, or the states it is run with). */
    private static Object constant(String className, String field) throws ReflectiveOperationException {
        var declared = Class.forName("io.provisioninghub.routes." + className).getDeclaredField(field);
        declared.setAccessible(true);
        return declared.get(null);
    }

    private static String plan(JdbcTemplate db, Object statement, Object... states) {
        Object[] parameters = new Object[states.length];
        for (int i = 0; i < states.length; i++) {
            parameters[i] = ((List<?>) states[i]).toArray(String[]::new);
        }
        return String.join("\n", db.queryForList("EXPLAIN " + statement, String.class, parameters));
    }

    /**
     * Waits until the gauge shows what the database holds (read in the same round; other tests' work may move it),
     * and that holds at least {@code atLeast}.
     */
    private static void awaitGaugeMatches(LongSupplier database, long atLeast, String name, String... labels) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long expected;
        double gauge;
        do {
            expected = database.getAsLong();
            gauge = value(scrape(), name, labels);
            if (gauge == expected && expected >= atLeast) {
                return;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        assertThat(expected).as("%s %s in the database", name, List.of(labels)).isGreaterThanOrEqualTo(atLeast);
        assertThat(gauge).as("%s %s", name, List.of(labels)).isEqualTo((double) expected);
    }

    private static double awaitValue(DoublePredicate done, String name, String... labels) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double value;
        do {
            value = value(scrape(), name, labels);
            if (done.test(value)) {
                return value;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + " " + List.of(labels) + " stayed at " + value);
    }

    private static String scrape() {
        HttpResponse<String> metrics = device.get("http://127.0.0.1:" + hub.managementPort() + "/actuator/prometheus",
                Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    /** The first sample of {@code name} with these labels (name, value, name, value …); NaN when absent. */
    static double value(String scrape, String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            if (!sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    found.put(label.group(1), label.group(2));
                }
            }
            if (found.entrySet().containsAll(wanted.entrySet())) {
                return Double.parseDouble(sample.group(3));
            }
        }
        return Double.NaN;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
