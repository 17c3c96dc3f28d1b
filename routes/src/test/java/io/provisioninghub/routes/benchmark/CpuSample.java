package io.provisioninghub.routes.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used so far: by the whole machine (Linux {@code /proc/stat}, all processes), by this JVM (the hub, its
 * in-process stand-ins and the load generator) and by the sandbox's PostgreSQL server and its backends. The difference between two samples splits a phase's CPU between the JVM, PostgreSQL
 * and any other process on the machine: the last should be close to zero, else the run was disturbed.
 */
record CpuSample(long wallNanos, long machineBusyNanos, long machineTotalNanos, long jvmNanos, long childrenNanos,
                 long jitMillis, long gcMillis, long gcCount) {

    /** USER_HZ: /proc/stat counts in ticks of 1/100 s on Linux. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    static CpuSample now() {
        long busy = -1;
        long total = -1;
        try {
            String first = Files.readAllLines(PROC_STAT).get(0);
            String[] f = first.trim().split("\\s+");
            long sum = 0;
            // cpu user nice system idle iowait irq softirq steal (guest and guest_nice are already in user/nice)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                sum += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            busy = (sum - idle) * NANOS_PER_TICK;
            total = sum * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            // not Linux: only the JVM's share is known
        }
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long gcMillis = 0;
        long gcCount = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
        }
        long jit = ManagementFactory.getCompilationMXBean() == null ? 0
                : ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        return new CpuSample(System.nanoTime(), busy, total, jvm, descendantsCpuNanos(), jit, gcMillis, gcCount);
    }

    /** The sandbox's PostgreSQL server (pg_ctl detaches it from this JVM, so it is found by its data directory). */
    private static volatile ProcessHandle postmaster;

    /** Finds the postmaster whose command line names {@code dataDirectory}; its backends are its children. */
    static void trackPostgres(Path dataDirectory) {
        String dir = dataDirectory.toAbsolutePath().toString();
        postmaster = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .findFirst().orElse(null);
    }

    static boolean tracksPostgres() {
        return postmaster != null;
    }

    /**
     * CPU of this JVM's child processes that ended and were waited for (initdb, pg_ctl: Linux
     * {@code /proc/self/stat} cutime + cstime); 0 elsewhere.
     */
    static long exitedChildrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU of the sandbox's PostgreSQL: the postmaster and its children alive now (backends, writers). */
    static long descendantsCpuNanos() {
        ProcessHandle pm = postmaster;
        if (pm == null) {
            return 0;
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(pm), pm.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L))
                .sum();
    }

    /** Cores busy on the whole machine between {@code before} and this sample; NaN when unknown. */
    double machineCoresSince(CpuSample before) {
        return before.machineBusyNanos < 0 ? Double.NaN
                : (double) (machineBusyNanos - before.machineBusyNanos) / (wallNanos - before.wallNanos);
    }

    /**
     * Cores used by processes that are neither this JVM nor its PostgreSQL; NaN when unknown. (Interrupt time
     * is not subtracted: with tick-based accounting the kernel charges it to the interrupted process as well.)
     */
    double otherCoresSince(CpuSample before) {
        return before.machineBusyNanos < 0 ? Double.NaN
                : (double) ((machineBusyNanos - before.machineBusyNanos) - (jvmNanos - before.jvmNanos)
                - (childrenNanos - before.childrenNanos)) / (wallNanos - before.wallNanos);
    }

    /** The one-minute load average, as {@code uptime} shows it. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
