package io.provisioninghub.connectors.hlr;

import io.provisioninghub.connectors.hlr.HlrProvisioning.AllocationReleasedException;
import io.provisioninghub.connectors.hlr.HlrProvisioning.PoolCounts;
import io.provisioninghub.connectors.hlr.HlrProvisioning.PoolExhaustedException;
import io.provisioninghub.connectors.hlr.HlrProvisioning.ProvisionedSubscriber;
import io.provisioninghub.connectors.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Creating and retiring subscriptions through the IMSI/MSISDN pools (INT-1, SIGNUP-2/3/4) against a real embedded
 * PostgreSQL holding the migrated stand-in HLR, through the beans of the auto-configuration (as the hub gets them).
 * <p>
 * Two HLR databases: {@code hlr} with the sandbox's 10,000-number pools, shared by the tests here (so counts are
 * compared before/after, never absolute), and {@code hlr_small}, whose pools each test cuts down to a few numbers
 * (exhaustion, quarantine, failure half-way), with {@code hub.hlr.pools.quarantine=1h}.
 */
class JdbcHlrProvisioningTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String POOL_IMSI = "0010109\\d{8}";
    private static final String POOL_MSISDN = "\\+1555900\\d{4}";

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static ConfigurableApplicationContext app;
    static ConfigurableApplicationContext smallApp;
    static HlrProvisioning provisioning;
    static HlrProvisioning small;
    static HlrClient hlr;
    static JdbcTemplate hlrDb;
    static JdbcTemplate smallDb;

    @BeforeAll
    static void startHlrs() throws Exception {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"), 0);
        String hubUrl = postgres.createDatabaseIfMissing("hub");
        String hlrUrl = postgres.createDatabaseIfMissing("hlr");
        String smallUrl = postgres.createDatabaseIfMissing("hlr_small");
        app = start(hlrUrl, hubUrl);
        smallApp = start(smallUrl, hubUrl, "hub.hlr.pools.quarantine=1h");
        provisioning = app.getBean(HlrProvisioning.class);
        small = smallApp.getBean(HlrProvisioning.class);
        hlr = app.getBean(HlrClient.class);
        hlrDb = new JdbcTemplate(app.getBean(HlrAutoConfiguration.DATA_SOURCE, DataSource.class));
        smallDb = new JdbcTemplate(smallApp.getBean(HlrAutoConfiguration.DATA_SOURCE, DataSource.class));
    }

    private static ConfigurableApplicationContext start(String hlrUrl, String hubUrl, String... more) {
        return new SpringApplicationBuilder(HlrTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("hub.hlr.datasource.url=" + hlrUrl,
                        "hub.hlr.datasource.username=" + postgres.username(),
                        "hub.hlr.stand-in.migrate=true",
                        "spring.datasource.url=" + hubUrl,
                        "spring.datasource.username=" + postgres.username(),
                        "spring.flyway.enabled=false")
                .properties(more)
                .run();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {app, smallApp}) {
            if (context != null) {
                context.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    // INT-1, SIGNUP-2: the numbers come from the pools, and the HLR client finds the new subscriber with its MILENAGE row
    @Test
    void allocationCreatesASubscriberFromThePools() {
        PoolCounts imsiBefore = provisioning.poolStatus().imsi();
        PoolCounts msisdnBefore = provisioning.poolStatus().msisdn();
        String k = hex();
        String opc = hex();

        ProvisionedSubscriber created = provisioning.allocate("alloc-1", k, opc);

        assertThat(created.key()).isEqualTo("alloc-1");
        assertThat(created.imsi()).matches(POOL_IMSI);
        assertThat(created.msisdn()).matches(POOL_MSISDN);
        assertThat(created.k()).isEqualTo(k);
        assertThat(created.opc()).isEqualTo(opc);
        assertThat(created.toString()).doesNotContain(created.imsi(), created.msisdn().substring(1), k, opc);

        HlrSubscriber byImsi = hlr.findByImsi(created.imsi()).orElseThrow();
        assertThat(byImsi.msisdn()).isEqualTo(created.msisdn());
        assertThat(byImsi.barredServices()).isEmpty();
        assertThat(hlr.findByMsisdn(created.msisdn()).orElseThrow().id()).isEqualTo(byImsi.id());
        Map<String, Object> auc = hlrDb.queryForMap("SELECT algo_id_3g, k, opc, sqn, credential_updated_at "
                + "FROM auc_3g WHERE subscriber_id = ?", byImsi.id());
        assertThat(auc).containsEntry("algo_id_3g", 5).containsEntry("k", k).containsEntry("opc", opc)
                .containsEntry("sqn", 0L);
        assertThat(((Timestamp) auc.get("credential_updated_at")).toInstant())
                .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(hlrDb.queryForObject("SELECT state || ':' || allocation_key FROM imsi_pool WHERE imsi = ?",
                String.class, created.imsi())).isEqualTo("allocated:alloc-1");
        assertThat(hlrDb.queryForObject("SELECT state || ':' || allocation_key FROM msisdn_pool WHERE msisdn = ?",
                String.class, created.msisdn().substring(1))).isEqualTo("allocated:alloc-1");

        PoolCounts imsiAfter = provisioning.poolStatus().imsi();
        assertThat(imsiAfter.free()).isLessThanOrEqualTo(imsiBefore.free() - 1);
        assertThat(imsiAfter.allocated()).isGreaterThanOrEqualTo(imsiBefore.allocated() + 1);
        assertThat(provisioning.poolStatus().msisdn().free()).isLessThanOrEqualTo(msisdnBefore.free() - 1);
        assertThat(provisioning.findByKey("alloc-1")).contains(created);
    }

    // SIGNUP-2 "a repeated submit creates one subscription": the same key again returns the first subscriber, K and all
    @Test
    void sameKeyTwiceGivesTheSameSubscriber() {
        ProvisionedSubscriber first = provisioning.allocate("twice-1", hex(), hex());
        long allocatedAfterFirst = allocated("imsi_pool");

        ProvisionedSubscriber second = provisioning.allocate("twice-1", hex(), hex());

        assertThat(second).isEqualTo(first);
        assertThat(allocated("imsi_pool")).isEqualTo(allocatedAfterFirst);
        assertThat(count("SELECT count(*) FROM imsi_pool WHERE allocation_key = 'twice-1'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM subscriber_allocation WHERE allocation_key = 'twice-1'")).isEqualTo(1);
        assertThat(provisioning.findByKey("twice-1")).contains(first);
        assertThat(provisioning.findByKey("never-allocated")).isEmpty();
        assertThat(provisioning.findByKey("bad key!")).isEmpty();
    }

    // INT-1: replicas allocating at once (SKIP LOCKED) never get the same number
    @Test
    void concurrentAllocationsWithDistinctKeysGetDistinctNumbers() throws Exception {
        long allocatedBefore = allocated("imsi_pool");
        List<ProvisionedSubscriber> results = concurrently(8, i -> provisioning.allocate("distinct-" + i, hex(), hex()));

        Set<String> imsis = new HashSet<>();
        Set<String> msisdns = new HashSet<>();
        for (ProvisionedSubscriber s : results) {
            imsis.add(s.imsi());
            msisdns.add(s.msisdn());
            assertThat(hlr.findByImsi(s.imsi())).isPresent();
        }
        assertThat(imsis).hasSize(8);
        assertThat(msisdns).hasSize(8);
        assertThat(count("SELECT count(*) FROM imsi_pool WHERE allocation_key LIKE 'distinct-%'")).isEqualTo(8);
        assertThat(allocated("imsi_pool")).isGreaterThanOrEqualTo(allocatedBefore + 8);
    }

    // SIGNUP-2: a double submit racing with itself (same key, 8 threads) creates one subscriber
    @Test
    void concurrentAllocationsWithTheSameKeyCreateOneSubscriber() throws Exception {
        List<ProvisionedSubscriber> results = concurrently(8, i -> provisioning.allocate("same-key", hex(), hex()));

        assertThat(new HashSet<>(results)).hasSize(1);
        assertThat(count("SELECT count(*) FROM imsi_pool WHERE allocation_key = 'same-key'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM msisdn_pool WHERE allocation_key = 'same-key'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM subscriber s JOIN auc_3g a ON a.subscriber_id = s.id WHERE s.imsi = '"
                + results.get(0).imsi() + "' AND a.k = '" + results.get(0).k() + "'")).isEqualTo(1);
    }

    // SIGNUP-2 compensation: the rows go, the numbers go to quarantine (not back to free), a second release is fine
    @Test
    void releaseQuarantinesTheNumbersAndDeletesTheRows() {
        ProvisionedSubscriber created = provisioning.allocate("release-1", hex(), hex());
        long id = hlr.findByImsi(created.imsi()).orElseThrow().id();
        long quarantinedBefore = provisioning.poolStatus().imsi().quarantined();

        assertThat(provisioning.release("release-1")).isTrue();

        assertThat(hlr.findByImsi(created.imsi())).isEmpty();
        assertThat(hlr.findByMsisdn(created.msisdn())).isEmpty();
        assertThat(count("SELECT count(*) FROM auc_3g WHERE subscriber_id = " + id)).isZero();
        assertThat(provisioning.findByKey("release-1")).isEmpty();
        for (String row : List.of("imsi_pool WHERE imsi = '" + created.imsi() + "'",
                "msisdn_pool WHERE msisdn = '" + created.msisdn().substring(1) + "'")) {
            Map<String, Object> pool = hlrDb.queryForMap("SELECT state, allocation_key, available_at FROM " + row);
            assertThat(pool.get("state")).isEqualTo("quarantined");
            assertThat(pool.get("allocation_key")).isNull();
            // the default quarantine, hub.hlr.pools.quarantine = 90 days
            assertThat(((Timestamp) pool.get("available_at")).toInstant())
                    .isAfter(Instant.now().plus(Duration.ofDays(89)));
        }
        assertThat(provisioning.poolStatus().imsi().quarantined()).isEqualTo(quarantinedBefore + 1);

        assertThat(provisioning.release("release-1")).isFalse();
        // a spent key does not allocate again (the saga that owned it was compensated)
        assertThatThrownBy(() -> provisioning.allocate("release-1", hex(), hex()))
                .isInstanceOf(AllocationReleasedException.class);
        ProvisionedSubscriber next = provisioning.allocate("release-2", hex(), hex());
        assertThat(next.imsi()).isNotEqualTo(created.imsi());
        assertThat(next.msisdn()).isNotEqualTo(created.msisdn());
    }

    // SIGNUP-2: compensation that overtakes its allocation (release first, the allocation lands late) leaves no orphan
    @Test
    void releaseOfAnUnknownKeyStopsALateAllocation() {
        long allocatedBefore = allocated("imsi_pool");

        assertThat(provisioning.release("overtaken-1")).isFalse();

        assertThatThrownBy(() -> provisioning.allocate("overtaken-1", hex(), hex()))
                .isInstanceOf(AllocationReleasedException.class);
        assertThat(count("SELECT count(*) FROM imsi_pool WHERE allocation_key = 'overtaken-1'")).isZero();
        assertThat(allocated("imsi_pool")).isGreaterThanOrEqualTo(allocatedBefore);
        assertThat(provisioning.findByKey("overtaken-1")).isEmpty();
        assertThatThrownBy(() -> provisioning.release("not a key")).isInstanceOf(IllegalArgumentException.class);
    }

    // SIGNUP-2: allocation and its compensation racing (a saga that gave up on a slow allocate): whichever runs first,
    // nothing stays allocated and no subscriber is left behind
    @Test
    void allocationRacingItsReleaseLeavesNoOrphan() throws Exception {
        int keys = 16;
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                String key = "race-" + i;
                futures.add(threads.submit(() -> {
                    go.await();
                    try {
                        return provisioning.allocate(key, hex(), hex());
                    } catch (AllocationReleasedException releasedFirst) {
                        return null;
                    }
                }));
                futures.add(threads.submit(() -> {
                    go.await();
                    return provisioning.release(key);
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(count("SELECT count(*) FROM imsi_pool WHERE allocation_key LIKE 'race-%'")).isZero();
        assertThat(count("SELECT count(*) FROM msisdn_pool WHERE allocation_key LIKE 'race-%'")).isZero();
        assertThat(count("SELECT count(*) FROM subscriber_allocation WHERE allocation_key LIKE 'race-%' "
                + "AND state = 'released'")).isEqualTo(keys);
        assertThat(count("SELECT count(*) FROM subscriber s JOIN subscriber_allocation a ON a.subscriber_id = s.id "
                + "WHERE a.allocation_key LIKE 'race-%'")).isZero();
    }

    // SIGNUP-4: the credential stops working at once (no auc_3g, barred '*'), the numbers stay allocated
    @Test
    void revokeCredentialRemovesAuthenticationAndBarsEverything() {
        ProvisionedSubscriber created = provisioning.allocate("revoke-1", hex(), hex());

        assertThat(provisioning.revokeCredential(created.imsi())).isTrue();

        HlrSubscriber revoked = hlr.findByImsi(created.imsi()).orElseThrow();
        assertThat(revoked.barredServices()).containsExactly(HlrSubscriber.ALL_SERVICES);
        assertThat(count("SELECT count(*) FROM auc_3g WHERE subscriber_id = " + revoked.id())).isZero();
        ProvisionedSubscriber found = provisioning.findByKey("revoke-1").orElseThrow();
        assertThat(found.imsi()).isEqualTo(created.imsi());
        assertThat(found.k()).isNull();
        assertThat(found.opc()).isNull();
        assertThat(hlrDb.queryForObject("SELECT state FROM imsi_pool WHERE imsi = ?", String.class, created.imsi()))
                .isEqualTo("allocated");

        assertThat(provisioning.revokeCredential(created.imsi())).isTrue();
        assertThat(provisioning.revokeCredential("001019999999999")).isFalse();
        assertThat(provisioning.revokeCredential("00101' OR '1'='1")).isFalse();
        assertThat(provisioning.revokeCredential(null)).isFalse();
        // then released, as a change of operator ends
        assertThat(provisioning.release("revoke-1")).isTrue();
        assertThat(hlr.findByImsi(created.imsi())).isEmpty();
    }

    // INT-1: an empty pool is PoolExhaustedException, and nothing of the attempt is kept (no key, no number)
    @Test
    void exhaustedPoolsAndQuarantine() {
        smallPools(1, 2);
        ProvisionedSubscriber first = small.allocate("small-1", hex(), hex());
        assertThat(first.imsi()).isEqualTo("001010900000000");

        assertThatThrownBy(() -> small.allocate("small-2", hex(), hex()))
                .isInstanceOf(PoolExhaustedException.class)
                .hasMessage("the IMSI pool is exhausted");
        assertThat(smallCount("SELECT count(*) FROM subscriber_allocation WHERE allocation_key = 'small-2'")).isZero();
        assertThat(small.poolStatus().msisdn().free()).isEqualTo(1);

        // released numbers are in quarantine (hub.hlr.pools.quarantine=1h here): the pool is still exhausted
        assertThat(small.release("small-1")).isTrue();
        assertThat(small.poolStatus().imsi()).isEqualTo(new PoolCounts(0, 0, 1));
        Instant availableAt = smallDb.queryForObject("SELECT available_at FROM imsi_pool", Timestamp.class).toInstant();
        assertThat(availableAt).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        assertThatThrownBy(() -> small.allocate("small-3", hex(), hex())).isInstanceOf(PoolExhaustedException.class);

        // once the quarantine is over, the number is handed out again
        smallDb.update("UPDATE imsi_pool SET available_at = now() - interval '1 second'");
        assertThat(small.poolStatus().imsi()).isEqualTo(new PoolCounts(1, 0, 0));
        ProvisionedSubscriber reused = small.allocate("small-3", hex(), hex());
        assertThat(reused.imsi()).isEqualTo(first.imsi());
        assertThat(hlr(smallDb, reused.imsi())).isEqualTo(1);

        smallPools(2, 0);
        assertThatThrownBy(() -> small.allocate("small-4", hex(), hex()))
                .isInstanceOf(PoolExhaustedException.class)
                .hasMessage("the MSISDN pool is exhausted");
        // the IMSI taken before the MSISDN pool turned out empty went back with the rollback
        assertThat(small.poolStatus().imsi().free()).isEqualTo(2);
    }

    // INT-1: a pool number that some subscriber already has is skipped, not a failure of every allocation
    @Test
    void aPoolNumberAlreadyInUseIsSkipped() {
        smallPools(2, 2);
        smallDb.update("INSERT INTO subscriber (imsi, msisdn) VALUES ('001010900000000', '19999999999')");

        ProvisionedSubscriber created = small.allocate("skip-1", hex(), hex());

        assertThat(created.imsi()).isEqualTo("001010900000001");
    }

    // Secrets and identifiers stay out of exception messages, also when the HLR fails half-way through the transaction
    @Test
    void failuresCarryNoIdentifiersAndLeaveNothingBehind() {
        smallPools(1, 1);
        String k = hex();
        String opc = hex();
        // the auc_3g INSERT, the last statement, fails; PostgreSQL would quote the row in its detail
        smallDb.execute("ALTER TABLE auc_3g ADD CONSTRAINT refuse_test_k CHECK (k <> '" + k + "')");
        try {
            Throwable failure = catchThrowable(() -> small.allocate("half-way-1", k, opc));

            assertThat(failure).isInstanceOf(HlrUnavailableException.class)
                    .hasMessageStartingWith("HLR allocation failed: ");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage()))
                        .doesNotContain(k, opc, "001010900000000", "15559000000");
            }
            assertThat(small.poolStatus().imsi()).isEqualTo(new PoolCounts(1, 0, 0));
            assertThat(small.poolStatus().msisdn()).isEqualTo(new PoolCounts(1, 0, 0));
            assertThat(smallCount("SELECT count(*) FROM subscriber")).isEqualTo(smallCount(
                    "SELECT count(*) FROM subscriber WHERE imsi NOT LIKE '0010109%'"));
            assertThat(small.findByKey("half-way-1")).isEmpty();
        } finally {
            smallDb.execute("ALTER TABLE auc_3g DROP CONSTRAINT refuse_test_k");
        }

        String badK = "zz" + k.substring(2);
        assertThat(catchThrowable(() -> small.allocate("bad-k", badK, opc)))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(badK);
        assertThat(catchThrowable(() -> small.allocate("bad-opc", k, opc + "0")))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(opc);
        assertThat(catchThrowable(() -> small.allocate(null, k, opc))).isInstanceOf(IllegalArgumentException.class);
    }

    // An unreachable HLR is HlrUnavailableException (the caller retries or answers 503), with no identifiers
    @Test
    void unreachableHlrIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SimpleDriverDataSource down = new SimpleDriverDataSource(new org.postgresql.Driver(),
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/hlr?connectTimeout=2", postgres.username(), "");
        JdbcHlrProvisioning unreachable = new JdbcHlrProvisioning(down, Duration.ZERO);
        String k = hex();

        for (Callable<?> call : List.<Callable<?>>of(() -> unreachable.allocate("down-1", k, k),
                () -> unreachable.release("down-1"), () -> unreachable.findByKey("down-1"),
                () -> unreachable.revokeCredential("001010900000000"), unreachable::poolStatus)) {
            Throwable failure = catchThrowable(call::call);
            assertThat(failure).isInstanceOf(HlrUnavailableException.class);
            assertThat(failure.getMessage()).doesNotContain(k, "001010900000000");
        }
    }

    // --- helpers

    /** Cuts the small HLR's pools down to the first n numbers each, all free, and removes what earlier tests made. */
    private static void smallPools(int imsis, int msisdns) {
        smallDb.update("DELETE FROM subscriber WHERE imsi LIKE '0010109%' OR msisdn = '19999999999'");
        smallDb.update("DELETE FROM subscriber_allocation");
        smallDb.update("DELETE FROM imsi_pool");
        smallDb.update("DELETE FROM msisdn_pool");
        smallDb.update("INSERT INTO imsi_pool (imsi, available_at) SELECT '0010109' || lpad(n::text, 8, '0'), "
                + "now() - interval '1 day' FROM generate_series(0, ?) AS n", imsis - 1);
        smallDb.update("INSERT INTO msisdn_pool (msisdn, available_at) SELECT '1555900' || lpad(n::text, 4, '0'), "
                + "now() - interval '1 day' FROM generate_series(0, ?) AS n", msisdns - 1);
    }

    private static long hlr(JdbcTemplate db, String imsi) {
        return db.queryForObject("SELECT count(*) FROM subscriber s JOIN auc_3g a ON a.subscriber_id = s.id "
                + "WHERE s.imsi = ?", Long.class, imsi);
    }

    private static long allocated(String pool) {
        return count("SELECT count(*) FROM " + pool + " WHERE state = 'allocated'");
    }

    private static long count(String sql) {
        return hlrDb.queryForObject(sql, Long.class);
    }

    private static long smallCount(String sql) {
        return smallDb.queryForObject(sql, Long.class);
    }

    private static String hex() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Throwable catchThrowable(Callable<?> call) {
        try {
            call.call();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    interface Allocation {
        ProvisionedSubscriber run(int thread);
    }

    /** Runs the allocation on n threads released at the same moment. */
    private static List<ProvisionedSubscriber> concurrently(int n, Allocation allocation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ProvisionedSubscriber>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int thread = i;
                futures.add(threads.submit(() -> {
                    go.await();
                    return allocation.run(thread);
                }));
            }
            go.countDown();
            List<ProvisionedSubscriber> results = new ArrayList<>();
            for (Future<ProvisionedSubscriber> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
