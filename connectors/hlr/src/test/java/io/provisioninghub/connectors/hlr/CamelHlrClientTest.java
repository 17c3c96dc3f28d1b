package io.provisioninghub.connectors.hlr;

import io.provisioninghub.connectors.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HLR client against a real PostgreSQL holding the migrated stand-in HLR, inside a Spring Boot
 * application that also has its own database (as the hub does).
 */
@ExtendWith(OutputCaptureExtension.class)
class CamelHlrClientTest {

    private static final String ACTIVE = "001010000000001";
    private static final String BARRED = "001010000000002";
    private static final String PROVISIONING = "001010000000003";
    private static final String OPTED_OUT = "001010000000004";
    private static final String DEPROVISIONED = "001010000000005";
    private static final String UNKNOWN = "001019999999999";
    private static final int GENERATED = 100_000;

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static ConfigurableApplicationContext app;
    static HlrClient hlr;
    static String hlrUrl;

    @BeforeAll
    static void startHlrAndApplication() throws Exception {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0);
        hlrUrl = postgres.createDatabaseIfMissing("hlr");
        String hubUrl = postgres.createDatabaseIfMissing("hub");
        app = new SpringApplicationBuilder(HlrTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "hub.hlr.datasource.url=" + hlrUrl,
                        "hub.hlr.datasource.username=" + postgres.username(),
                        "hub.hlr.stand-in.migrate=true",
                        // the application's own database, as in the hub
                        "spring.datasource.url=" + hubUrl,
                        "spring.datasource.username=" + postgres.username(),
                        // the application's own Flyway is not this module's business
                        "spring.flyway.enabled=false")
                .run();
        hlr = app.getBean(HlrClient.class);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    // INT-1, CFG-1: the active fixture, with its MSISDN in E.164 and a 15-digit IMEI
    @Test
    void activeSubscriberHasNoBarringAndNoOptOut() {
        HlrSubscriber s = hlr.findByImsi(ACTIVE).orElseThrow();

        assertThat(s.imsi()).isEqualTo(ACTIVE);
        assertThat(s.msisdn()).isEqualTo("+15550000001");
        assertThat(s.imei()).isEqualTo("352000000000012");
        assertThat(s.barredServices()).isEmpty();
        assertThat(s.optedOutServices()).isEmpty();
        assertThat(s.isBarredFrom("ims")).isFalse();
        assertThat(s.isBarredFrom("messaging")).isFalse();
    }

    // INT-1, RCC.14 2.2.4 case 4: '*' bars every service
    @Test
    void barredSubscriberIsBarredFromEveryService() {
        HlrSubscriber s = hlr.findByImsi(BARRED).orElseThrow();

        assertThat(s.barredServices()).containsExactly(HlrSubscriber.ALL_SERVICES);
        assertThat(s.isBarredFrom("ims")).isTrue();
        assertThat(s.isBarredFrom("messaging")).isTrue();
        assertThat(s.optedOutServices()).isEmpty();
        assertThat(s.msisdn()).isEqualTo("+15550000002");
    }

    // INT-1: HLR rows whose special state lives in billing (or in nam_ps) look like normal subscribers here
    @Test
    void provisioningAndDeprovisionedFixturesAreNormalHlrRows() throws SQLException {
        HlrSubscriber provisioning = hlr.findByImsi(PROVISIONING).orElseThrow();
        HlrSubscriber deprovisioned = hlr.findByImsi(DEPROVISIONED).orElseThrow();

        assertThat(provisioning.msisdn()).isEqualTo("+15550000003");
        assertThat(provisioning.barredServices()).isEmpty();
        assertThat(provisioning.optedOutServices()).isEmpty();
        assertThat(deprovisioned.msisdn()).isEqualTo("+15550000005");
        assertThat(deprovisioned.barredServices()).isEmpty();
        assertThat(deprovisioned.optedOutServices()).isEmpty();
        assertThat(queryString("SELECT nam_ps::text FROM subscriber WHERE imsi = ?", DEPROVISIONED)).isEqualTo("false");
        assertThat(queryString("SELECT nam_ps::text FROM subscriber WHERE imsi = ?", ACTIVE)).isEqualTo("true");
    }

    // INT-1, RCC.14 2.2.4 case 7: a customer-care opt-out is not a barring
    @Test
    void optedOutSubscriberHasOptedOutOfMessagingOnly() {
        HlrSubscriber s = hlr.findByImsi(OPTED_OUT).orElseThrow();

        assertThat(s.optedOutServices()).containsExactly("messaging");
        assertThat(s.hasOptedOutOf("messaging")).isTrue();
        assertThat(s.hasOptedOutOf("ims")).isFalse();
        assertThat(s.barredServices()).isEmpty();
        assertThat(s.isBarredFrom("messaging")).isFalse();
    }

    // INT-1: the lookup by MSISDN takes E.164 with '+' and finds the same row as the lookup by IMSI
    @Test
    void lookupByMsisdnFindsTheSameSubscriberAsByImsi() {
        for (String imsi : List.of(ACTIVE, BARRED, PROVISIONING, OPTED_OUT, DEPROVISIONED)) {
            HlrSubscriber byImsi = hlr.findByImsi(imsi).orElseThrow();
            HlrSubscriber byMsisdn = hlr.findByMsisdn(byImsi.msisdn()).orElseThrow();

            assertThat(byMsisdn.id()).isEqualTo(byImsi.id());
            assertThat(byMsisdn.imsi()).isEqualTo(imsi);
            assertThat(byMsisdn.barredServices()).isEqualTo(byImsi.barredServices());
            assertThat(byMsisdn.optedOutServices()).isEqualTo(byImsi.optedOutServices());
        }
        assertThat(hlr.findByMsisdn("+15550000004").orElseThrow().hasOptedOutOf("messaging")).isTrue();
    }

    // INT-1, CFG-1: an IMSI the HLR does not know is "not found", not an error
    @Test
    void unknownSubscriberIsEmpty() throws SQLException {
        assertThat(hlr.findByImsi(UNKNOWN)).isEmpty();
        assertThat(hlr.findByMsisdn("+15559999999")).isEmpty();
        assertThat(queryLong("SELECT count(*) FROM subscriber WHERE imsi = ?", UNKNOWN)).isZero();
    }

    // CFG-3: malformed identifiers never reach the database and never throw
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc", "00101000000000x", "0010100000000012", "00101", " 001010000000001",
            "001010000000001' OR '1'='1", "+001010000000001"})
    void malformedImsiIsEmpty(String imsi) {
        assertThat(hlr.findByImsi(imsi)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"+", "15550000001", "+1555000000x", "++15550000001", "+1234567890123456",
            "+15550000001 ", "tel:+15550000001"})
    void malformedMsisdnIsEmpty(String msisdn) {
        assertThat(hlr.findByMsisdn(msisdn)).isEmpty();
    }

    // INT-1: every fixture has MILENAGE credentials (32-hex K and OPc) and the rotation timestamp
    @Test
    void fixturesHaveMilenageCredentials() throws SQLException {
        try (Connection c = hlrConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT a.algo_id_3g, a.k, a.opc, a.sqn, a.ind_bitlen, a.credential_updated_at
                       FROM auc_3g a JOIN subscriber s ON s.id = a.subscriber_id
                      WHERE s.imsi LIKE '00101000000000_'""");
             ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getInt(1)).isEqualTo(5);
                assertThat(rs.getString(2)).matches("[0-9a-f]{32}");
                assertThat(rs.getString(3)).matches("[0-9a-f]{32}");
                assertThat(rs.getLong(4)).isZero();
                assertThat(rs.getInt(5)).isEqualTo(5);
                assertThat(rs.getTimestamp(6)).isNotNull();
            }
            assertThat(rows).isEqualTo(5);
        }
    }

    // ROT-2: a rotation writes K and OPc together, replaces OP, keeps the SQN and stamps the credential's age
    @Test
    void credentialUpdateWritesKAndOpcTogether() throws SQLException {
        String imsi = "001011000099999"; // a generated subscriber no other test reads
        try (Connection c = hlrConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE auc_3g SET sqn = 77, op = 'cdc202d5123e20f62b6d676ac72cb318', credential_updated_at = now() - interval '400 days' "
                        + "WHERE subscriber_id = (SELECT id FROM subscriber WHERE imsi = ?)")) {
            ps.setString(1, imsi);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(hlr.updateCredential(imsi, "000102030405060708090A0B0C0D0E0F", "f0e0d0c0b0a090807060504030201000")).isTrue();
        assertThat(queryString("SELECT a.k || ' ' || a.opc || ' ' || coalesce(a.op, 'no-op') || ' ' || a.sqn "
                + "|| ' ' || (a.credential_updated_at > now() - interval '1 minute') FROM auc_3g a "
                + "JOIN subscriber s ON s.id = a.subscriber_id WHERE s.imsi = ?", imsi))
                .isEqualTo("000102030405060708090a0b0c0d0e0f f0e0d0c0b0a090807060504030201000 no-op 77 true");
    }

    @Test
    void credentialUpdateOfAnUnknownSubscriberWritesNothing() throws SQLException {
        long before = queryLong("SELECT count(*) FROM auc_3g");
        assertThat(hlr.updateCredential(UNKNOWN, "000102030405060708090a0b0c0d0e0f", "f0e0d0c0b0a090807060504030201000")).isFalse();
        assertThat(queryLong("SELECT count(*) FROM auc_3g")).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "000102030405060708090a0b0c0d0e0g", "000102030405060708090a0b0c0d0e0f00"})
    void credentialUpdateRefusesAKeyThatIsNot128BitsOfHex(String k) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hlr.updateCredential(ACTIVE, k, "f0e0d0c0b0a090807060504030201000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(k.isEmpty() ? "\u0000" : k);
    }

    // INT-1: the generated benchmark subscribers follow the formulas the billing stand-in shares
    @Test
    void generatedSubscribersFollowTheSharedFormulas() throws SQLException {
        assertThat(queryLong("SELECT count(*) FROM subscriber WHERE imsi LIKE ?", "001011%")).isEqualTo(GENERATED);
        assertThat(queryLong("SELECT count(*) FROM subscriber")).isGreaterThanOrEqualTo(GENERATED);
        assertThat(queryLong("SELECT count(*) FROM auc_3g a JOIN subscriber s ON s.id = a.subscriber_id"
                + " WHERE s.imsi LIKE ? AND a.k ~ '^[0-9a-f]{32}$' AND a.opc ~ '^[0-9a-f]{32}$'", "001011%"))
                .isEqualTo(GENERATED);
        assertThat(queryString("SELECT k FROM auc_3g a JOIN subscriber s ON s.id = a.subscriber_id WHERE s.imsi = ?",
                "001011000000001")).isEqualTo(queryString("SELECT md5(?)", "k:001011000000001"));

        for (int n : new int[] {1, 54_321, GENERATED}) {
            String imsi = generatedImsi(n);
            HlrSubscriber byImsi = hlr.findByImsi(imsi).orElseThrow();
            HlrSubscriber byMsisdn = hlr.findByMsisdn(generatedMsisdn(n)).orElseThrow();

            assertThat(byImsi.msisdn()).isEqualTo(generatedMsisdn(n));
            assertThat(byMsisdn.id()).isEqualTo(byImsi.id());
            assertThat(byMsisdn.imsi()).isEqualTo(imsi);
            assertThat(byImsi.imei()).hasSize(15).startsWith("3510");
            assertThat(CamelHlrClient.luhnCheckDigit(byImsi.imei().substring(0, 14))).isEqualTo(byImsi.imei().charAt(14));
            assertThat(byImsi.barredServices()).isEmpty();
            assertThat(byImsi.optedOutServices()).isEmpty();
        }
        assertThat(generatedImsi(1)).isEqualTo("001011000000001");
        assertThat(generatedMsisdn(GENERATED)).isEqualTo("+15551100000");
        assertThat(hlr.findByImsi(generatedImsi(GENERATED + 1))).isEmpty();
    }

    // INT-1: the generated data set is cheap enough to create at every sandbox start
    @Test
    void generatedMigrationRunsInAFewSeconds() throws SQLException {
        long millis = queryLong("SELECT execution_time FROM " + HlrStandIn.HISTORY_TABLE
                + " WHERE version = ?", "4");
        assertThat(millis).isBetween(1L, 10_000L);
    }

    // CFG-1, CFG-3: every fixture's IMEI carries a valid check digit
    @Test
    void fixtureImeisAreValid() {
        for (String imsi : List.of(ACTIVE, BARRED, PROVISIONING, OPTED_OUT, DEPROVISIONED)) {
            String imei = hlr.findByImsi(imsi).orElseThrow().imei();
            assertThat(imei).matches("35[0-9]{13}");
            assertThat(CamelHlrClient.luhnCheckDigit(imei.substring(0, 14))).isEqualTo(imei.charAt(14));
        }
    }

    // INT-1: OsmoHLR stores 14-digit IMEIs; the client completes them (TS 23.003 Annex B example)
    @Test
    void fourteenDigitImeiGetsItsCheckDigit() {
        assertThat(CamelHlrClient.imeiWithCheckDigit("49015420323751")).isEqualTo("490154203237518");
        assertThat(CamelHlrClient.imeiWithCheckDigit("490154203237518")).isEqualTo("490154203237518");
        assertThat(CamelHlrClient.imeiWithCheckDigit("4901542032375101")).isNull();
        assertThat(CamelHlrClient.imeiWithCheckDigit(null)).isNull();
    }

    // INT-1: the HLR pool is not the application's DataSource, and the stand-in went to the HLR database only
    @Test
    void hlrPoolDoesNotReplaceTheApplicationDataSource() throws SQLException {
        DataSource primary = app.getBean(DataSource.class);
        DataSource hlrPool = app.getBean(HlrAutoConfiguration.DATA_SOURCE, DataSource.class);

        assertThat(primary).isNotSameAs(hlrPool);
        try (Connection c = primary.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), to_regclass('subscriber')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("hub");
            assertThat(rs.getString(2)).isNull();
        }
    }

    // INT-1 (hot path): both lookups find the subscriber through an index, never by scanning 100 000 rows
    @Test
    void lookupsUseIndexes() throws Exception {
        for (String[] lookup : new String[][] {{"find-subscriber-by-imsi.sql", ":#imsi", "'001011000054321'"},
                {"find-subscriber-by-msisdn.sql", ":#msisdn", "'15551054321'"}}) {
            String query;
            try (InputStream in = getClass().getResourceAsStream(lookup[0])) {
                query = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            StringBuilder plan = new StringBuilder();
            try (Connection c = hlrConnection();
                 ResultSet rs = c.createStatement().executeQuery("EXPLAIN " + query.replace(lookup[1], lookup[2]))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).as(lookup[0]).contains("Index Scan").doesNotContain("Seq Scan on subscriber s");
        }
    }

    // INT-1 (hot path): concurrent lookups all answer correctly; nothing identifies a subscriber in the logs
    @Test
    void concurrentLookupsAreCorrectAndLogNoIdentifiers(CapturedOutput output) throws Exception {
        int threads = 8;
        int lookupsPerThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(() -> {
                    int correct = 0;
                    for (int i = 0; i < lookupsPerThread; i++) {
                        int n = ThreadLocalRandom.current().nextInt(1, GENERATED + 1);
                        Optional<HlrSubscriber> s = (i % 2 == 0)
                                ? hlr.findByImsi(generatedImsi(n))
                                : hlr.findByMsisdn(generatedMsisdn(n));
                        if (s.isPresent() && s.get().imsi().equals(generatedImsi(n))
                                && s.get().msisdn().equals(generatedMsisdn(n))) {
                            correct++;
                        }
                    }
                    return correct;
                });
            }
            long start = System.nanoTime();
            int correct = 0;
            for (Future<Integer> f : pool.invokeAll(work)) {
                correct += f.get();
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("HLR lookups: %d in %d ms on %d threads%n", threads * lookupsPerThread, elapsedMs, threads);
            assertThat(correct).isEqualTo(threads * lookupsPerThread);
        } finally {
            pool.shutdownNow();
        }
        for (String imsi : List.of(ACTIVE, BARRED, OPTED_OUT)) {
            assertThat(hlr.findByImsi(imsi)).isPresent();
        }
        assertThat(output.getAll()).doesNotContain("001010000000", "0010110", "1555000000", "1555100", "1555110");
    }

    private static String generatedImsi(int n) {
        return "00101" + String.format("%010d", 1_000_000_000L + n);
    }

    private static String generatedMsisdn(int n) {
        return "+1555" + String.format("%07d", 1_000_000 + n);
    }

    private static Connection hlrConnection() throws SQLException {
        return DriverManager.getConnection(hlrUrl, postgres.username(), "");
    }

    private static long queryLong(String sql, String... parameters) throws SQLException {
        return Long.parseLong(queryString(sql, parameters));
    }

    private static String queryString(String sql, String... parameters) throws SQLException {
        try (Connection c = hlrConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
