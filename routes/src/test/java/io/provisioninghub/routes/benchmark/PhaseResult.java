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
                   CpuSample after, String loadAverage) {

    static PhaseResult of(String name, String mode, List<Load.Worker> workers, long wallNanos,
                          int requestsPerOperation, String[] histogramNames, double offeredRate,
                          CpuSample before, CpuSample after) {
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
                requestsPerOperation, latencies, offeredRate, 0, clientCpu, before, after, CpuSample.loadAverage());
    }

    /** The same result, with the connections opened during the phase (a difference of the workers' counters). */
    PhaseResult withConnectionsOpened(long opened) {
        return new PhaseResult(name, mode, workers, wallNanos, operations, failed, errors, requestsPerOperation,
                latencies, offeredRate, opened, clientCpuNanos, before, after, loadAverage);
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

    double clientCores() {
        return (double) clientCpuNanos / (after.wallNanos() - before.wallNanos());
    }

    /** CPU microseconds per successful operation: load generator, rest of the JVM (the hub), outside the JVM. */
    double[] cpuMicrosPerOperation() {
        double ops = Math.max(1, operations - failed);
        double client = clientCpuNanos / 1e3 / ops;
        double jvm = (after.jvmNanos() - before.jvmNanos()) / 1e3 / ops;
        double machine = before.machineBusyNanos() < 0 ? Double.NaN
                : (after.machineBusyNanos() - before.machineBusyNanos()) / 1e3 / ops;
        return new double[]{client, jvm - client, machine - jvm};
    }
}
