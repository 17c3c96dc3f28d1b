package io.provisioninghub.routes.benchmark;

import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one phase of load: a fixed set of platform threads, each with its own keep-alive connections and its
 * own histograms (merged at the end, so recording costs no synchronisation).
 * <ul>
 *   <li>{@link #closedLoop}: each thread sends its next operation as soon as the previous one answered; the
 *       phase ends after a fixed duration or a maximum number of operations, whichever comes first.</li>
 *   <li>{@link #openLoop}: operations are scheduled at a fixed rate, operation i at {@code t0 + i / rate}, and
 *       each latency is measured from that intended start, not from when a thread got round to sending it, so
 *       queueing behind slow answers is counted (no coordinated omission).</li>
 * </ul>
 */
final class Load {

    /** Latencies are recorded in microseconds, up to 60 s, 3 significant digits. */
    static final long MAX_MICROS = 60_000_000L;
    /** Open loop: cycles slower than this are counted per second in the timeline (the p99 target). */
    static final long SLOW_MICROS = 25_000L;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Load() {
    }

    /** One operation (a request or a cycle of requests); records its latencies into the worker's histograms. */
    @FunctionalInterface
    interface Operation {
        /**
         * @param sequence  the operation's number in the phase (0, 1, 2 ...), unique across workers
         * @param startNanos when the operation was due: now in a closed loop, its scheduled time in an open loop
         * @return null when the answer was as expected, else a short description of what was wrong
         */
        String run(Worker worker, long sequence, long startNanos) throws Exception;
    }

    /** What one load thread owns: its connections and its histograms. */
    static final class Worker implements AutoCloseable {
        final HttpConnection http;
        final HttpConnection https;
        final Histogram[] histograms;
        final Map<String, Long> errors = new TreeMap<>();
        long operations;
        long failed;
        long cpuNanos;

        Worker(Target target, int histograms) {
            this.http = target.plainConnection();
            this.https = target.tlsConnection();
            this.histograms = new Histogram[histograms];
            for (int i = 0; i < histograms; i++) {
                this.histograms[i] = new Histogram(MAX_MICROS, 3);
            }
        }

        /** Records a latency (nanoseconds) into histogram {@code index}. */
        void record(int index, long nanos) {
            histograms[index].recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
        }

        void resetHistograms() {
            for (Histogram h : histograms) {
                h.reset();
            }
        }

        private void error(String what) {
            failed++;
            errors.merge(what, 1L, Long::sum);
        }

        @Override
        public void close() {
            http.close();
            https.close();
        }
    }

    static PhaseResult closedLoop(String name, List<Worker> workers, Duration duration, long maxOperations,
                                  int requestsPerOperation, String[] histogramNames, Operation operation) {
        AtomicLong sequence = new AtomicLong();
        ThreadCpu threadsBefore = ThreadCpu.now();
        CpuSample before = CpuSample.now();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        runAll(workers, worker -> {
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    return;
                }
                long seq = sequence.getAndIncrement();
                if (seq >= maxOperations) {
                    return;
                }
                execute(worker, operation, seq, now);
            }
        });
        long end = System.nanoTime();
        CpuSample after = CpuSample.now();
        return PhaseResult.of(name, "closed loop", workers, end - start, requestsPerOperation, histogramNames,
                0, before, after, ThreadCpu.now().since(threadsBefore));
    }

    /**
     * @param rate operations per second offered, whatever the answers' latency (up to the workers' number in
     *             flight: beyond that, operations wait for a worker, and that wait is part of their latency)
     */
    static PhaseResult openLoop(String name, List<Worker> workers, double rate, Duration duration,
                                int requestsPerOperation, String[] histogramNames, Operation operation) {
        AtomicLong ticket = new AtomicLong();
        double periodNanos = 1e9 / rate;
        long total = (long) Math.floor(duration.toNanos() / periodNanos);
        int seconds = (int) Math.ceil(duration.toNanos() / 1e9) + 1;
        java.util.concurrent.atomic.AtomicLongArray secondMax = new java.util.concurrent.atomic.AtomicLongArray(seconds);
        java.util.concurrent.atomic.AtomicLongArray secondSlow = new java.util.concurrent.atomic.AtomicLongArray(seconds);
        ThreadCpu threadsBefore = ThreadCpu.now();
        CpuSample before = CpuSample.now();
        long t0 = System.nanoTime() + 10_000_000L; // 10 ms for the threads to start
        runAll(workers, worker -> {
            while (true) {
                long seq = ticket.getAndIncrement();
                if (seq >= total) {
                    return;
                }
                long due = t0 + (long) (seq * periodNanos);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                execute(worker, operation, seq, due);
                long latency = (System.nanoTime() - due) / 1_000;
                int second = (int) Math.min(seconds - 1, (due - t0) / 1_000_000_000L);
                secondMax.accumulateAndGet(second, latency, Math::max);
                if (latency > SLOW_MICROS) {
                    secondSlow.incrementAndGet(second);
                }
            }
        });
        long end = System.nanoTime();
        CpuSample after = CpuSample.now();
        StringBuilder timeline = new StringBuilder();
        for (int i = 0; i < seconds - 1; i++) {
            timeline.append(i == 0 ? "" : ", ").append(secondMax.get(i) / 1_000);
            if (secondSlow.get(i) > 0) {
                timeline.append(" (").append(secondSlow.get(i)).append(" > 25 ms)");
            }
        }
        return PhaseResult.of(name, "open loop", workers, end - t0, requestsPerOperation, histogramNames, rate,
                before, after, ThreadCpu.now().since(threadsBefore)).withTimeline(timeline.toString());
    }

    /** Runs {@code operation} once on every worker (to open their connections); fails on any error. */
    static void eachWorker(List<Worker> workers, Operation operation) {
        AtomicLong sequence = new AtomicLong();
        runAll(workers, worker -> execute(worker, operation, sequence.getAndIncrement(), System.nanoTime()));
        for (Worker w : workers) {
            if (w.failed > 0) {
                throw new IllegalStateException("could not prepare the workers: " + w.errors);
            }
        }
    }

    private static void execute(Worker worker, Operation operation, long seq, long startNanos) {
        String problem;
        try {
            problem = operation.run(worker, seq, startNanos);
        } catch (Exception e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        worker.operations++;
        if (problem != null) {
            worker.error(problem);
        }
    }

    private interface Body {
        void run(Worker worker) throws Exception;
    }

    private static void runAll(List<Worker> workers, Body body) {
        CountDownLatch done = new CountDownLatch(workers.size());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        int i = 0;
        for (Worker worker : workers) {
            worker.resetHistograms();
            worker.errors.clear();
            worker.operations = 0;
            worker.failed = 0;
            Thread thread = new Thread(() -> {
                long cpu = THREADS.getCurrentThreadCpuTime();
                try {
                    body.run(worker);
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    worker.cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu;
                    done.countDown();
                }
            }, "load-" + i++);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a load thread failed", failures.get(0));
        }
    }
}
