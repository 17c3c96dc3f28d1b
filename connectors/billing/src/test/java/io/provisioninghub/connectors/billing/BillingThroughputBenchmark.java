package io.provisioninghub.connectors.billing;

import io.provisioninghub.connectors.billing.simulator.BillingSimulator;
import io.provisioninghub.connectors.billing.simulator.BillingSimulatorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lookups per second against the simulator's 100 000 generated subscribers, on this machine (load generator,
 * hub client, simulator and PostgreSQL all share its cores). Opt-in, because a shared CI runner's numbers
 * say little: {@code ./mvnw -B -ntp -pl connectors/billing test -Dtest=BillingThroughputBenchmark -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class BillingThroughputBenchmark {

    private static final int THREADS = 32;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    /** The simulator's requirement: at least this many lookups per second on two cores. */
    private static final double REQUIRED_PER_SECOND = 3_000;

    static BillingSimulator simulator;
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        String jdbcUrl = TestPostgres.newDatabase("billing_bench");
        simulator = BillingSimulator.start(BillingSimulatorSettings.of(0, jdbcUrl, TestPostgres.server().username(), ""));
        app = new SpringApplicationBuilder(BillingTestApplication.class).web(WebApplicationType.NONE)
                .properties("hub.billing.base-url=" + simulator.baseUrl(),
                        "spring.datasource.url=" + TestPostgres.newDatabase("hub_bench"),
                        "spring.datasource.username=" + TestPostgres.server().username(),
                        "spring.flyway.enabled=false")
                .run();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    // The simulator over plain HTTP (JDK client, keep-alive): what a load test of the sandbox would see.
    @Test
    void simulatorServesAtLeast3000LookupsPerSecond() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = simulator.baseUrl() + BillingProperties.PRODUCT_INVENTORY_PATH + "?relatedParty.id=%2B";
        double perSecond = measure("simulator over HTTP", () -> {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + randomGenerated().substring(1)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length < 100) {
                throw new IllegalStateException("unexpected answer " + r.statusCode());
            }
        });
        assertThat(perSecond).isGreaterThanOrEqualTo(REQUIRED_PER_SECOND);
    }

    // The whole path the hub takes: BillingClient → Camel routes → circuit breaker → camel-http → simulator.
    @Test
    void hubClientAndSimulatorTogether() throws Exception {
        BillingClient billing = app.getBean(BillingClient.class);
        double perSecond = measure("hub client + simulator", () -> {
            if (billing.productsOf(randomGenerated()).orElseThrow().size() != 2) {
                throw new IllegalStateException("expected two products");
            }
        });
        assertThat(perSecond).isGreaterThanOrEqualTo(REQUIRED_PER_SECOND);
    }

    interface Lookup {
        void run() throws Exception;
    }

    private static double measure(String what, Lookup lookup) throws Exception {
        run(lookup, WARM_UP);
        long[] result = run(lookup, MEASURE);
        double perSecond = result[0] * 1_000_000_000.0 / result[1];
        System.out.printf("BENCHMARK %s: %d lookups in %.1f s with %d threads on %d cores = %.0f lookups/s%n",
                what, result[0], result[1] / 1e9, THREADS, Runtime.getRuntime().availableProcessors(), perSecond);
        return perSecond;
    }

    /** @return {lookups done, nanoseconds taken} */
    private static long[] run(Lookup lookup, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    lookup.run();
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Future<?> w : workers) {
            w.get(); // a failed lookup fails the benchmark
        }
        long took = System.nanoTime() - t0;
        pool.shutdown();
        return new long[] {done.get(), took};
    }

    private static String randomGenerated() {
        return "+1555" + (1_000_000 + ThreadLocalRandom.current().nextInt(1, 100_001));
    }
}
