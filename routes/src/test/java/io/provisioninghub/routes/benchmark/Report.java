package io.provisioninghub.routes.benchmark;

import org.HdrHistogram.Histogram;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results as a console line per phase and as the markdown report. */
final class Report {

    static final String STATIC_HTTP = "static, HTTP";
    static final String STATIC_HTTPS = "static, HTTPS";
    static final String STATIC_PAIR = "static, HTTP then HTTPS";
    static final String CHECK_MAX = "check cycle, max throughput";
    static final String CHECK_RATE = "check cycle, fixed rate";
    static final String COLD = "first configuration (cold), max throughput";

    static final double RATIO_TARGET = 0.5;
    static final double P99_TARGET_MS = 25;
    static final double COLD_TARGET = 1_000;
    static final long START_TARGET_MS = 15_000;
    /** Other processes using more than this many cores during a phase: the phase was disturbed. */
    static final double DISTURBED_CORES = 0.1;

    private Report() {
    }

    static String line(PhaseResult r) {
        Histogram h = r.latencies().values().iterator().next();
        return String.format(Locale.ROOT, "%-48s %8d ops %5d err %9.1f ops/s %9.1f req/s  p50 %7.2f  p99 %7.2f  max %8.2f ms"
                        + "  cores machine %.2f jvm %.2f client %.2f pg %.2f other %.2f  conns %d  jit %d ms  gc %d",
                r.name(), r.operations(), r.failed(), r.rate(), r.requestRate(), ms(h, 50), ms(h, 99), maxMs(h),
                r.machineCores(), r.jvmCores(), r.clientCores(), r.postgresCores(), r.otherCores(), r.connectionsOpened(),
                r.jitMillis(), r.gcCount());
    }

    static String markdown(ConfigurationCycleBenchmark.Settings s, Instant began, String revision, String loadBefore,
                           String loadAfter,
                           List<ConfigurationCycleBenchmark.StartTime> starts, List<PhaseResult> setup,
                           List<PhaseResult> measured, String sameBytes) {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration cycle benchmark: results\n\n");
        md.append("- Run: ").append(began).append(", code: ").append(revision).append('\n');
        md.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs visible to the JVM, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(", ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.vm.version"))
                .append(", max heap ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        md.append("- Load average (1, 5, 15 min): before ").append(loadBefore).append(", after ").append(loadAfter).append('\n');
        md.append(String.format(Locale.ROOT, "- Settings: concurrency %d (closed loop), warm-up %d s, then in 15-s rounds while the JIT "
                        + "compiled more than %.0f %% of a round (at most %d s in all; see the set-up phases), then before each "
                        + "measured phase %d s of the same load unmeasured, %d s per closed-loop phase (at most %d "
                        + "operations), fixed rate %.0f cycles/s for %d s on %d threads, check pool of %d subscribers "
                        + "(n = 1..%d), cold subscribers from n = %d\n",
                s.concurrency(), s.warmupSeconds(), s.jitQuietShare() * 100, s.warmupMaxSeconds(), s.settleSeconds(), s.durationSeconds(), s.maxOperations(), s.rate(), s.rateSeconds(),
                s.rateWorkers(), s.checkSubscribers(), s.checkSubscribers(), Workloads.GENERATED_SUBSCRIBERS / 2 + 1));
        md.append("- Hub properties changed for this run: ")
                .append(s.hubProperties().isEmpty() ? "none (the defaults of application.yml)" : s.hubProperties().toString())
                .append('\n');
        md.append("- ").append(sameBytes).append("\n\n");

        md.append("## Sandbox start\n\n| Start | Hub ready after (HubInstance.start) | JVM uptime at ready | Note |\n|---|---:|---:|---|\n");
        for (ConfigurationCycleBenchmark.StartTime t : starts) {
            if (t.startMs() < 0) {
                md.append("| ").append(t.what()).append(" | – | – | ").append(t.note()).append(" |\n");
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %.1f s | %.1f s | %s |\n", t.what(), t.startMs() / 1e3,
                    t.jvmUptimeMs() / 1e3, t.note()));
        }

        md.append("\n## Measured phases\n\n");
        md.append("Latencies in ms. For a cycle, the latency is the whole cycle (both requests); in the fixed-rate phase it "
                + "counts from the cycle's scheduled start. Cores busy during the phase: machine = all processes; JVM = "
                + "hub + in-process stand-ins (billing simulator, Kafka, Artemis) + load generator (gen, in brackets); "
                + "PostgreSQL = the sandbox's server and backends; other = every other process (should be ~0, else the "
                + "phase was disturbed). CPU µs per operation: load generator / rest of the JVM (hub + stand-ins) / "
                + "PostgreSQL. JIT: ms the JIT compilers worked during the phase (a warm JVM compiles little); GCs: "
                + "collections and their accumulated time.\n\n");
        md.append("| Phase | Load | Ops | Errors | Ops/s | Requests/s | p50 | p99 | p99.9 | Max | Conns opened | Cores: machine / JVM (gen) / PostgreSQL / other | CPU µs/op: gen / JVM rest / PostgreSQL | JIT ms, GCs (ms) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (PhaseResult r : measured) {
            row(md, r);
        }
        md.append("\nPer request within the cycles (ms):\n\n| Phase | Request | p50 | p99 | p99.9 | Max |\n|---|---|---:|---:|---:|---:|\n");
        for (PhaseResult r : measured) {
            for (Map.Entry<String, Histogram> e : r.latencies().entrySet()) {
                if (e.getKey().equals(Workloads.CYCLE) || e.getKey().equals(Workloads.REQUEST)) {
                    continue;
                }
                Histogram h = e.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f |\n", r.name(), e.getKey(),
                        ms(h, 50), ms(h, 99), ms(h, 99.9), maxMs(h)));
            }
        }
        for (PhaseResult r : measured) {
            if (r.timeline() != null) {
                md.append("\nTimeline of ").append(r.name()).append(", second by second from the scheduled start: worst "
                        + "cycle latency in ms (and how many cycles took over 25 ms): ").append(r.timeline()).append('\n');
            }
        }
        for (PhaseResult r : measured) {
            if (!r.errors().isEmpty()) {
                md.append("\nErrors in ").append(r.name()).append(": ").append(r.errors()).append('\n');
            }
        }

        md.append("\n### CPU per operation by thread group (µs; groups under 1 µs/op left out)\n\n");
        md.append("Measured with the JVM's per-thread CPU time, the CPU time of the JVM's descendant processes "
                + "(PostgreSQL) and /proc/stat. Tomcat request threads parse the request, run the Camel route (the "
                + "flow, with its JDBC, HLR and billing clients: web/InlinePlatformHttp) and write the answer.\n\n");
        for (PhaseResult r : measured) {
            md.append("- **").append(r.name()).append("**: ");
            List<String> parts = new java.util.ArrayList<>();
            r.cpuMicrosByGroup().forEach((g, us) -> {
                if (us >= 1) {
                    parts.add(String.format(Locale.ROOT, "%s %.0f", g, us));
                }
            });
            md.append(String.join(", ", parts)).append('\n');
        }

        md.append("\n## Targets\n\n| Target | Measured | Result |\n|---|---|---|\n");
        PhaseResult http = find(measured, STATIC_HTTP);
        PhaseResult https = find(measured, STATIC_HTTPS);
        PhaseResult pair = find(measured, STATIC_PAIR);
        PhaseResult max = find(measured, CHECK_MAX);
        PhaseResult rate = find(measured, CHECK_RATE);
        PhaseResult cold = find(measured, COLD);
        if (max != null && pair != null && http != null && https != null) {
            double ratio = max.requestRate() / pair.requestRate();
            md.append(String.format(Locale.ROOT, "| Cycle requests/s ≥ 0.5 × static requests/s (static HTTP then HTTPS, same "
                            + "concurrency) | %.0f ÷ %.0f = **%.2f×** (vs static HTTP only %.2f×, HTTPS only %.2f×) | %s |\n",
                    max.requestRate(), pair.requestRate(), ratio, max.requestRate() / http.requestRate(),
                    max.requestRate() / https.requestRate(), verdict(ratio >= RATIO_TARGET)));
        }
        if (rate != null) {
            Histogram h = rate.latency(Workloads.CYCLE);
            boolean kept = rate.rate() >= 0.99 * rate.offeredRate() && rate.failed() == 0;
            md.append(String.format(Locale.ROOT, "| p99 ≤ 25 ms at %.0f cycles/s | p99 **%.2f ms** (p50 %.2f, max %.2f) at "
                            + "%.1f cycles/s achieved | %s |\n", rate.offeredRate(), ms(h, 99), ms(h, 50), maxMs(h),
                    rate.rate(), verdict(kept && ms(h, 99) <= P99_TARGET_MS)));
        }
        if (cold != null) {
            md.append(String.format(Locale.ROOT, "| First configuration (full document, cold) ≥ 1,000/s | **%.0f/s** (p50 %.2f ms, "
                            + "p99 %.2f ms) | %s |\n", cold.rate(), ms(cold.latency(Workloads.CYCLE), 50),
                    ms(cold.latency(Workloads.CYCLE), 99), verdict(cold.rate() >= COLD_TARGET)));
        }
        for (ConfigurationCycleBenchmark.StartTime t : starts) {
            if (t.startMs() < 0) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| Sandbox starts in ≤ 15 s (%s) | **%.1f s** | %s |\n",
                    t.what().substring(0, t.what().indexOf(':')), t.startMs() / 1e3, verdict(t.startMs() <= START_TARGET_MS)));
        }
        long errors = measured.stream().mapToLong(PhaseResult::failed).sum();
        md.append(String.format(Locale.ROOT, "| Every answer in the measured phases as expected (200, right document) | %d unexpected | %s |\n",
                errors, verdict(errors == 0)));

        md.append("\n## Set-up phases (not measured)\n\n| Phase | Load | Ops | Errors | Ops/s | Requests/s | p50 | p99 | p99.9 | Max | Conns opened | Cores: machine / JVM (gen) / PostgreSQL / other | CPU µs/op: gen / JVM rest / PostgreSQL | JIT ms, GCs (ms) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
        for (PhaseResult r : setup) {
            row(md, r);
        }
        return md.toString();
    }

    private static void row(StringBuilder md, PhaseResult r) {
        Histogram h = r.latencies().values().iterator().next();
        double[] cpu = r.cpuMicrosPerOperation();
        String load = r.mode().equals("open loop")
                ? String.format(Locale.ROOT, "open, %.0f/s offered, %d threads", r.offeredRate(), r.workers())
                : "closed, " + r.workers() + " threads";
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %.2f / %.2f (%.2f) / %.2f / %.2f%s | %.0f / %.0f / %.0f | %d, %d (%d) |\n",
                r.name(), load, r.operations(), r.failed(), r.rate(), r.requestRate(), ms(h, 50), ms(h, 99), ms(h, 99.9),
                maxMs(h), r.connectionsOpened(), r.machineCores(), r.jvmCores(), r.clientCores(), r.postgresCores(),
                r.otherCores(), r.otherCores() > DISTURBED_CORES ? " **disturbed**" : "", cpu[0], cpu[1], cpu[2], r.jitMillis(), r.gcCount(),
                r.gcMillis()));
    }

    private static PhaseResult find(List<PhaseResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "**FAIL**";
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
    }

    static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e3;
    }
}
