package io.provisioninghub.routes.benchmark;

import io.provisioninghub.connectors.smsc.SmsContent;
import io.provisioninghub.connectors.smsc.SmsEncoder;
import io.provisioninghub.connectors.smsc.SmsSegment;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.routes.sms.SmsOutbox;
import io.provisioninghub.routes.support.HubInstance;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SMS outbox throughput (docs/benchmarks.md, issue 3). Not a test: run it with
 * {@code ./mvnw -B -ntp -pl routes -am -Psms-benchmark verify -DskipTests}.
 * <ol>
 *   <li><b>Capped</b>: a hub with {@code hub.sms.rate-per-second} = the cap (1,000). {@code messages} OTP-shaped
 *   SMS (UCS2, port UDH, receipts requested) go through the real path ({@link SmsOutbox#enqueue}: the sms_message
 *   row and a persistent Artemis message), all due at the same instant; the SMSC simulator timestamps every
 *   accepted submit_sm. Reported: the rate over the whole drain and the most submit_sm in any sliding
 *   one-second window.</li>
 *   <li><b>Baseline</b>: a plain jSMPP client (one transceiver session, {@code threads} threads, the same PDUs,
 *   receipts answered) against a fresh simulator, in the same run.</li>
 *   <li><b>Uncapped</b>: a hub with the cap out of reach, same messages; compared with the baseline.</li>
 * </ol>
 * Settings: -Dbenchmark.messages (20000), -Dbenchmark.cap (1000), -Dbenchmark.threads (16, the baseline's threads
 * and the hub's hub.sms.consumers), -Dbenchmark.output (target/sms-benchmark-results.md), and hub properties to
 * try with -Dbenchmark.hub=name=value,name=value.
 * Exits with 1 when a message is lost or sent twice.
 */
public final class SmsThroughputBenchmark {

    private static final int MESSAGES = Integer.getInteger("benchmark.messages", 20_000);
    private static final int CAP = Integer.getInteger("benchmark.cap", 1_000);
    private static final int THREADS = Integer.getInteger("benchmark.threads", 16);
    private static final Path OUTPUT = Path.of(System.getProperty("benchmark.output", "target/sms-benchmark-results.md"));
    private static final SmsContent CONTENT = new SmsContent.PortAddressed(37273, "12345678");

    private SmsThroughputBenchmark() {
    }

    record Drain(int sent, double seconds, double perSecond, int maxSlidingSecond, long[] perWholeSecond) {
    }

    public static void main(String[] args) throws Exception {
        Instant began = Instant.now();
        Drain capped = hubDrain(CAP);
        Drain baseline = plainJsmpp();
        Drain uncapped = hubDrain(100_000);
        String report = report(began, capped, baseline, uncapped);
        System.out.println(report);
        Files.createDirectories(OUTPUT.toAbsolutePath().getParent());
        Files.writeString(OUTPUT, report);
        System.exit(0);
    }

    /** A fresh hub with the given cap; enqueue everything due at one instant, then time the drain at the SMSC. */
    private static Drain hubDrain(int cap) throws Exception {
        Path data = Path.of("target", "hub-instances", "sms-benchmark-" + cap + "-" + System.nanoTime()).toAbsolutePath();
        Map<String, String> properties = new java.util.LinkedHashMap<>(Map.of(
                "hub.sandbox.data-dir", data.toString(),
                "hub.sms.rate-per-second", Integer.toString(cap),
                "hub.sms.consumers", Integer.toString(THREADS),
                "spring.datasource.hikari.maximum-pool-size", "40"));
        for (String pair : System.getProperty("benchmark.hub", "").split(",")) {
            if (pair.contains("=")) {
                properties.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        HubInstance hub = HubInstance.start(properties);
        try {
            SmscSimulator smsc = hub.sandbox().smsc().orElseThrow();
            SmsOutbox outbox = hub.context().getBean(SmsOutbox.class);
            // JIT warm-up through the whole path, then a clean slate.
            enqueue(outbox, Math.min(5_000, MESSAGES / 4), "+4915200", Duration.ZERO);
            awaitAccepted(smsc, Math.min(5_000, MESSAGES / 4), Duration.ofMinutes(3));
            Thread.sleep(1000);
            smsc.clear();

            Duration delay = Duration.ofSeconds(Math.max(10, MESSAGES / 1_000));
            long enqueueStarted = System.nanoTime();
            enqueue(outbox, MESSAGES, "+4915100", delay);
            double enqueueSeconds = (System.nanoTime() - enqueueStarted) / 1e9;
            System.out.printf(Locale.ROOT, "enqueued %d in %.1f s (%.0f/s), due %s s after the start%n",
                    MESSAGES, enqueueSeconds, MESSAGES / enqueueSeconds, delay.toSeconds());
            if (enqueueSeconds > delay.toSeconds()) {
                System.out.println("WARNING: enqueueing took longer than the delay; the drain overlaps the enqueue");
            }
            awaitAccepted(smsc, MESSAGES, Duration.ofMinutes(10));
            Thread.sleep(2000);
            return drain(smsc, hub);
        } finally {
            hub.close();
            deleteQuietly(data);
        }
    }

    private static void enqueue(SmsOutbox outbox, int count, String prefix, Duration delay) throws Exception {
        Instant due = Instant.now().plus(delay);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < count) {
                    Duration wait = Duration.between(Instant.now(), due);
                    outbox.enqueue("benchmark", prefix + String.format("%07d", n), CONTENT, null,
                            wait.isNegative() ? Duration.ZERO : wait);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
    }

    private static void awaitAccepted(SmscSimulator smsc, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (smsc.acceptedCount() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + smsc.acceptedCount() + " of " + count + " SMS reached the SMSC");
            }
            Thread.sleep(100);
        }
    }

    private static Drain drain(SmscSimulator smsc, HubInstance hub) {
        long[] times = smsc.acceptedNanoTimes();
        int sent = times.length;
        long distinct = smsc.submits().stream().map(s -> s.destinationAddress()).distinct().count();
        if (sent != MESSAGES || (hub != null && distinct != Math.min(MESSAGES, smsc.submits().size()))) {
            System.out.println("FAILED: " + sent + " submit_sm for " + MESSAGES + " SMS (" + distinct + " distinct)");
            System.exit(1);
        }
        double seconds = (times[times.length - 1] - times[0]) / 1e9;
        return new Drain(sent, seconds, (sent - 1) / seconds, smsc.maxInAnySlidingSecond(), smsc.submitsPerSecond());
    }

    /** The baseline: one plain jSMPP transceiver session, THREADS threads, the same PDUs as the hub's. */
    private static Drain plainJsmpp() throws Exception {
        try (SmscSimulator smsc = SmscSimulator.start(io.provisioninghub.connectors.smsc.simulator.SmscSimulatorSettings.of("hub", "secret"))) {
            SMPPSession session = new SMPPSession();
            session.setMessageReceiverListener(new ReceiptSink());
            session.connectAndBind("127.0.0.1", smsc.smppPort(), new BindParameter(BindType.BIND_TRX, "hub", "secret", "",
                    TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
            SmsSegment segment = new SmsEncoder().encode(CONTENT).get(0);
            send(session, segment, Math.min(5_000, MESSAGES / 4), "4915200");
            Thread.sleep(1000);
            smsc.clear();
            send(session, segment, MESSAGES, "4915100");
            Thread.sleep(2000);
            session.unbindAndClose();
            return drain(smsc, null);
        }
    }

    private static void send(SMPPSession session, SmsSegment segment, int count, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < count) {
                    session.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "Hub",
                            TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, prefix + String.format("%07d", n),
                            new ESMClass(segment.esmClass()), (byte) 0, (byte) 0, null, null, new RegisteredDelivery(1),
                            (byte) 0, DataCodings.newInstance(segment.dataCoding()), (byte) 0, segment.shortMessage());
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
    }

    private static String report(Instant began, Drain capped, Drain baseline, Drain uncapped) {
        double ratio = uncapped.perSecond() / baseline.perSecond();
        boolean capReached = capped.perSecond() >= 0.95 * CAP;
        boolean capHeld = capped.maxSlidingSecond() <= CAP * 1.02;
        StringBuilder md = new StringBuilder();
        md.append("## SMS outbox throughput (").append(began).append(")\n\n");
        md.append(String.format(Locale.ROOT, "%d SMS (UCS2, port UDH, receipts requested) per phase, %d sender threads, "
                + "%d cores.%n%n", MESSAGES, THREADS, Runtime.getRuntime().availableProcessors()));
        md.append("| Phase | submit_sm | seconds | per second | max in any sliding second |\n|---|---:|---:|---:|---:|\n");
        row(md, "hub, cap " + CAP + "/s", capped);
        row(md, "plain jSMPP client (baseline)", baseline);
        row(md, "hub, uncapped", uncapped);
        md.append("\n| Target | Measured | Verdict |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| Capped: ≥ 95 %% of %d/s | %.0f/s = %.1f %% | %s |%n", CAP, capped.perSecond(),
                100 * capped.perSecond() / CAP, capReached ? "PASS" : "FAIL"));
        md.append(String.format(Locale.ROOT, "| Capped: never > %d/s + 2 %% in any one-second window | max %d | %s |%n", CAP,
                capped.maxSlidingSecond(), capHeld ? "PASS" : "FAIL"));
        md.append(String.format(Locale.ROOT, "| Uncapped: ≥ 0.5 × plain jSMPP | %.0f ÷ %.0f = %.2f× | %s |%n",
                uncapped.perSecond(), baseline.perSecond(), ratio, ratio >= 0.5 ? "PASS" : "FAIL"));
        return md.toString();
    }

    private static void row(StringBuilder md, String name, Drain d) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.0f | %d |%n", name, d.sent(), d.seconds(), d.perSecond(),
                d.maxSlidingSecond()));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // best effort
        }
    }

    /** Answers the simulator's delivery receipts, as any ESME must. */
    private static final class ReceiptSink implements org.jsmpp.session.MessageReceiverListener {
        @Override
        public void onAcceptDeliverSm(org.jsmpp.bean.DeliverSm deliverSm) {
            // nothing to record in the baseline
        }

        @Override
        public void onAcceptAlertNotification(org.jsmpp.bean.AlertNotification alertNotification) {
        }

        @Override
        public org.jsmpp.session.DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm dataSm, org.jsmpp.session.Session source) {
            return null;
        }
    }
}
