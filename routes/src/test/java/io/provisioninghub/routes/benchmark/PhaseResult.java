package io.provisioninghub.routes.benchmark;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one phase measured: operations, errors, the merged latency histograms (microseconds), the connections
 * the workers had to open, and where the CPU went.
 */
record PhaseResult(String name, String mode, int workers, long wallNanos, long operations, long failed,
                   Map<String, Long> errors, int requestsPerOperation, Map<String, Histogram> latencies,
                   double offeredRate, long connectionsOpened, long clientCpuNanos, CpuSample before,
                   CpuSample after, Map<String, Long> threadCpuNanos, String loadAverage, String timeline) {

    static PhaseResult of(String name, String mode, List<Load.Worker> workers, long wallNanos,
                          int requestsPerOperation, String[] histogramNames, double offeredRate,
                          CpuSample before, CpuSample after, Map<String, Long> threadCpuNanos) {
        long operations = 0;
        long failed = 0;
        long clientCpu = 0;
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Histogram> latencies = new LinkedHashMap<>();
        for (String histogram : histogramNames) {
            latencies.put(histogram, new Histogram(Load.MAX_MICROS, 3));
        }
        for (Load.Worker w : workers) {
            operations += w.operations;
            failed += w.failed;
            clientCpu += w.cpuNanos;
            w.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            for (int i = 0; i < histogramNames.length; i++) {
                latencies.get(histogramNames[i]).add(w.histograms[i]);
            }
        }
        return new PhaseResult(name, mode, workers.size(), wallNanos, operations, failed, errors,
                requestsPerOperation, latencies, offeredRate, 0, clientCpu, before, after, threadCpuNanos,
                CpuSample.loadAverage(), null);
    }

    /** The same result, with the connections opened during the phase (a difference of the workers' counters). */
    PhaseResult withConnectionsOpened(long opened) {
        return new PhaseResult(name, mode, workers, wallNanos, operations, failed, errors, requestsPerOperation,
                latencies, offeredRate, opened, clientCpuNanos, before, after, threadCpuNanos, loadAverage, timeline);
    }

    /** The same result with a per-second timeline (open loop: worst latency in ms, and cycles over 25 ms). */
    PhaseResult withTimeline(String text) {
        return new PhaseResult(name, mode, workers, wallNanos, operations, failed, errors, requestsPerOperation,
                latencies, offeredRate, connectionsOpened, clientCpuNanos, before, after, threadCpuNanos, loadAverage, text);
    }

    double seconds() {
        return wallNanos / 1e9;
    }

    /** Successful operations per second. */
    double rate() {
        return (operations - failed) / seconds();
    }

    double requestRate() {
        return rate() * requestsPerOperation;
    }

    Histogram latency(String name) {
        return latencies.get(name);
    }

    /** Machine CPU busy during the phase, in cores (2.0 = both cores saturated); NaN when unknown. */
    double machineCores() {
        if (before.machineBusyNanos() < 0) {
            return Double.NaN;
        }
        return (double) (after.machineBusyNanos() - before.machineBusyNanos()) / (after.wallNanos() - before.wallNanos());
    }

    double jvmCores() {
        return (double) (after.jvmNanos() - before.jvmNanos()) / (after.wallNanos() - before.wallNanos());
    }

    /** Cores used by other processes than this JVM and its PostgreSQL: a disturbance when not near zero. */
    double otherCores() {
        return after.otherCoresSince(before);
    }

    double postgresCores() {
        return (double) (after.childrenNanos() - before.childrenNanos()) / (after.wallNanos() - before.wallNanos());
    }

    /** Wall-clock ms the JIT compilers worked during the phase (both compiler threads together). */
    long jitMillis() {
        return after.jitMillis() - before.jitMillis();
    }

    /** Garbage collections during the phase, and their accumulated (mostly concurrent or pause) time in ms. */
    long gcCount() {
        return after.gcCount() - before.gcCount();
    }

    long gcMillis() {
        return after.gcMillis() - before.gcMillis();
    }

    double clientCores() {
        return (double) clientCpuNanos / (after.wallNanos() - before.wallNanos());
    }

    /** CPU microseconds per successful operation: load generator, rest of the JVM (the hub), PostgreSQL. */
    double[] cpuMicrosPerOperation() {
        double ops = Math.max(1, operations - failed);
        double client = clientCpuNanos / 1e3 / ops;
        double jvm = (after.jvmNanos() - before.jvmNanos()) / 1e3 / ops;
        double postgres = (after.childrenNanos() - before.childrenNanos()) / 1e3 / ops;
        return new double[]{client, jvm - client, postgres};
    }

    /**
     * CPU microseconds per successful operation by thread group (Java threads, and the JVM's JIT, GC and VM
     * threads), PostgreSQL and other processes; largest first.
     */
    Map<String, Double> cpuMicrosByGroup() {
        double ops = Math.max(1, operations - failed);
        Map<String, Double> groups = new LinkedHashMap<>();
        long javaThreads = clientCpuNanos;
        groups.put("load generator", clientCpuNanos / 1e3 / ops);
        for (Map.Entry<String, Long> e : threadCpuNanos.entrySet()) {
            groups.put(e.getKey(), e.getValue() / 1e3 / ops);
            javaThreads += e.getValue();
        }
        groups.put("JVM, other native threads", (after.jvmNanos() - before.jvmNanos() - javaThreads) / 1e3 / ops);
        groups.put("PostgreSQL (hub, HLR and billing databases)", (after.childrenNanos() - before.childrenNanos()) / 1e3 / ops);
        if (before.machineBusyNanos() >= 0) {
            double wall = after.wallNanos() - before.wallNanos();
            groups.put("other processes (not this benchmark)", otherCores() * wall / 1e3 / ops);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
