package io.provisioninghub.routes.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used so far: by the whole machine (Linux {@code /proc/stat}, all processes, so PostgreSQL's backends too)
 * and by this JVM (the hub, its in-process stand-ins and the load generator). The difference between two
 * samples splits a phase's CPU between the JVM and everything outside it.
 */
record CpuSample(long wallNanos, long machineBusyNanos, long machineTotalNanos, long jvmNanos) {

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
        return new CpuSample(System.nanoTime(), busy, total, jvm);
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
