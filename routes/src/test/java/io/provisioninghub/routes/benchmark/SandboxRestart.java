package io.provisioninghub.routes.benchmark;

import io.provisioninghub.routes.support.HubInstance;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Run in a JVM of its own by {@link ConfigurationCycleBenchmark}: starts the hub with its sandbox on an existing
 * data directory (a restart: no initdb, no seeding), prints how long that took, and stops it again.
 * Output line: {@code BENCHMARK-RESTART <ms in HubInstance.start> <JVM uptime at ready, ms> <JVM CPU ms>
 * <PostgreSQL CPU ms> <JVM CPU ms at exit>} (CPU used until the hub was ready, and the JVM's after stopping it).
 */
public final class SandboxRestart {

    private SandboxRestart() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SandboxRestart <sandbox data directory>");
            System.exit(2);
        }
        long start = System.nanoTime();
        HubInstance hub = HubInstance.start(Map.of("hub.sandbox.data-dir", args[0]));
        long ms = (System.nanoTime() - start) / 1_000_000;
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        CpuSample.trackPostgres(java.nio.file.Path.of(args[0], "postgres"));
        CpuSample cpu = CpuSample.now();
        hub.close();
        System.out.println("BENCHMARK-RESTART " + ms + " " + uptime + " " + cpu.jvmNanos() / 1_000_000 + " "
                + cpu.childrenNanos() / 1_000_000 + " " + CpuSample.now().jvmNanos() / 1_000_000);
        System.exit(0);
    }
}
