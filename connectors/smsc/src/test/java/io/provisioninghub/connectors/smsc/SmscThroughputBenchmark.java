package io.provisioninghub.connectors.smsc;

import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulatorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OTP submits per second through the hub's client, camel-smpp and one SMPP session to the simulator, receipts
 * on, on this machine (load generator, hub and simulator share its cores). Opt-in, because a shared CI
 * runner's numbers say little:
 * {@code ./mvnw -B -ntp -pl connectors/smsc test -Dtest=SmscThroughputBenchmark -Dbenchmark=true}.
 * It also checks that the simulator's counters agree with what the hub sent.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SmscThroughputBenchmark {

    private static final int THREADS = Integer.getInteger("benchmark.threads", 32);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURE = Duration.ofSeconds(5);

    @Test
    void submitsPerSecond() throws Exception {
        try (SmscSimulator simulator = SmscSimulator.start(new SmscSimulatorSettings(0, -1, "hub", "secret", false,
                null));
             ConfigurableApplicationContext hub = CamelSmscClientTest.startHub(simulator.smppPort(),
                     "hub.smsc.transaction-timer=5s")) {
            SmscClient client = hub.getBean(SmscClient.class);
            CamelSmscClientTest.await("bound", Duration.ofSeconds(10), hub.getBean(SmscSessionSupervisor.class)::isBound);

            run(client, WARM_UP, new AtomicLong());
            simulator.clear();
            AtomicLong sent = new AtomicLong();
            long started = System.nanoTime();
            run(client, MEASURE, sent);
            double seconds = (System.nanoTime() - started) / 1e9;

            long[] perSecond = simulator.submitsPerSecond();
            System.out.printf("SMSC benchmark: %d threads, %d submits in %.1f s = %.0f/s; simulator accepted %d, "
                            + "max in a sliding second %d, per second %s, receipts sent %d, dropped %d%n",
                    THREADS, sent.get(), seconds, sent.get() / seconds, simulator.acceptedCount(),
                    simulator.maxInAnySlidingSecond(), Arrays.toString(perSecond), simulator.receiptsSent(),
                    simulator.receiptsDropped());
            assertThat(simulator.acceptedCount()).isEqualTo(sent.get());
            assertThat(Arrays.stream(perSecond).sum()).isEqualTo(sent.get());
        }
    }

    private static void run(SmscClient client, Duration duration, AtomicLong sent) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                long n = 0;
                while (!stop.get()) {
                    String msisdn = "+49151" + String.format("%07d", thread * 1_000_000 + (n % 1_000_000));
                    client.submit(new SmsMessage("b-" + thread + "-" + n, msisdn,
                            new SmsContent.PortAddressed(37273, String.format("%08d", n))));
                    sent.incrementAndGet();
                    n++;
                }
                return null;
            }));
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
    }
}
