package io.provisioninghub.routes.benchmark;

import io.provisioninghub.routes.support.HubInstance;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The RCC.14 §2.2 check-cycle benchmark (docs/benchmarks.md). Not a test: run it with
 * {@code ./mvnw -B -ntp -pl routes -am -Pbenchmark verify -DskipTests}.
 * <ol>
 *   <li>starts the hub in this JVM with a fresh sandbox (initdb, migrations, 100 000 generated subscribers)
 *       and times it;</li>
 *   <li>configures a pool of generated subscribers once (vers=0), keeping the version each was sent;</li>
 *   <li>warms the JIT up on every measured path: {@code warmupSeconds}, then in rounds of 15 s until the JIT
 *       compilers work less than {@code jitQuietShare} of a round (at most {@code warmupMaxSeconds} in all);</li>
 *   <li>measures, one after the other in the same run: the static endpoint over HTTP, over HTTPS, and both in
 *       turn (the baseline); the check cycle at maximum throughput (closed loop, same concurrency); the check
 *       cycle at a fixed offered rate (open loop, latency from the intended start); first configurations of
 *       subscribers never configured in this run;</li>
 *   <li>stops the hub and times a restart on the same data directory in a new JVM;</li>
 *   <li>prints the results and writes them as markdown ({@code target/benchmark-results.md}).</li>
 * </ol>
 * Exits with 1 when the hub answered anything but the expected 200 in a measured phase.
 * Settings are system properties {@code benchmark.*}, see {@link Settings}.
 */
public final class ConfigurationCycleBenchmark {

    private ConfigurationCycleBenchmark() {
    }

    /** What the run does; each is a system property {@code benchmark.<name>}. */
    record Settings(int concurrency, int warmupSeconds, int warmupMaxSeconds, double jitQuietShare, int settleSeconds, int durationSeconds, double rate, int rateSeconds,
                    int rateWorkers, int checkSubscribers, long maxOperations, boolean restart, Path output,
                    Map<String, String> hubProperties) {

        static Settings fromSystemProperties() {
            int check = Integer.getInteger("benchmark.checkSubscribers", 10_000);
            if (check < 1 || check > Workloads.GENERATED_SUBSCRIBERS / 2) {
                throw new IllegalArgumentException("benchmark.checkSubscribers must be 1..50000");
            }
            return new Settings(
                    Integer.getInteger("benchmark.concurrency", 16),
                    Integer.getInteger("benchmark.warmupSeconds", 60),
                    Integer.getInteger("benchmark.warmupMaxSeconds", 300),
                    Double.parseDouble(System.getProperty("benchmark.jitQuietShare", "0.1")),
                    Integer.getInteger("benchmark.settleSeconds", 10),
                    Integer.getInteger("benchmark.durationSeconds", 20),
                    Double.parseDouble(System.getProperty("benchmark.rate", "1000")),
                    Integer.getInteger("benchmark.rateSeconds", 30),
                    Integer.getInteger("benchmark.rateWorkers", 64),
                    check,
                    Long.getLong("benchmark.maxOperations", 2_000_000L),
                    Boolean.parseBoolean(System.getProperty("benchmark.restart", "true")),
                    Path.of(System.getProperty("benchmark.output", "target/benchmark-results.md")),
                    parseProperties(System.getProperty("benchmark.hub", "")));
        }

        /** {@code name=value,name=value}: hub properties to try (e.g. a pool size), on top of the defaults. */
        private static Map<String, String> parseProperties(String list) {
            Map<String, String> properties = new java.util.LinkedHashMap<>();
            for (String pair : list.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("benchmark.hub: name=value pairs, comma-separated");
                }
                properties.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return Map.copyOf(properties);
        }
    }

    /** Start times of the sandbox, in ms: in HubInstance.start, and JVM uptime when the hub was ready. */
    record StartTime(String what, long startMs, long jvmUptimeMs, String note) {
    }

    private static String startCpuNote(double jvmSeconds, double postgresSeconds, double otherCores) {
        return String.format(java.util.Locale.ROOT, "CPU until ready: JVM %.1f s, PostgreSQL %.1f s; rest of the "
                + "machine %.2f cores (short-lived processes such as initdb's, or other work)", jvmSeconds, postgresSeconds,
                otherCores);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        String loadBefore = CpuSample.loadAverage();
        String revision = revision();
        // The restart's JVM gets a copy of this run's classes: other builds may recompile target/ meanwhile.
        Instant began = Instant.now();
        String childClassPath = settings.restart() ? privateClassPath(began) : null;
        log("Configuration cycle benchmark: " + settings + ", load average " + loadBefore);

        Path dataDir = Path.of("target", "benchmark-sandbox", began.toString().replace(':', '-')).toAbsolutePath();
        boolean binariesCached = Files.isDirectory(Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg"));
        Map<String, String> hubProperties = new java.util.LinkedHashMap<>(settings.hubProperties());
        hubProperties.put("hub.sandbox.data-dir", dataDir.toString());
        CpuSample beforeStart = CpuSample.now();
        long exitedBefore = CpuSample.exitedChildrenCpuNanos();
        long startNanos = System.nanoTime();
        HubInstance hub = HubInstance.start(hubProperties);
        long startMs = (System.nanoTime() - startNanos) / 1_000_000;
        long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        CpuSample.trackPostgres(dataDir.resolve("postgres"));
        if (!CpuSample.tracksPostgres()) {
            log("PostgreSQL's process not found: its CPU will count as 'other processes'");
        }
        CpuSample afterStart = CpuSample.now();
        // PostgreSQL started during the start: all its CPU so far belongs to it, and so does initdb's (a child
        // process that has ended)
        double postgresSeconds = (afterStart.childrenNanos() + CpuSample.exitedChildrenCpuNanos() - exitedBefore) / 1e9;
        double otherCores = ((afterStart.machineBusyNanos() - beforeStart.machineBusyNanos()) / 1e9
                - (afterStart.jvmNanos() - beforeStart.jvmNanos()) / 1e9 - postgresSeconds) / (startMs / 1e3);
        List<StartTime> starts = new ArrayList<>();
        starts.add(new StartTime("first start: fresh data directory (initdb, migrations, 100,000 generated subscribers "
                + "seeded in the HLR and billing stand-ins), new JVM", startMs, uptimeMs,
                startCpuNote(afterStart.jvmNanos() / 1e9, postgresSeconds, beforeStart.machineBusyNanos() < 0 ? Double.NaN : otherCores)
                        + (binariesCached ? "" : "; includes unpacking the PostgreSQL binaries (first run on this machine)")));
        log("Hub started in " + startMs + " ms");

        List<PhaseResult> measured = new ArrayList<>();
        List<PhaseResult> setup = new ArrayList<>();
        String sameBytes;
        int exitCode = 0;
        try {
            Target target = new Target(hub);
            byte[] staticBody = fetchStatic(target);
            List<Load.Worker> workers = workers(target, settings.concurrency(), 4);
            long[] versions = new long[Workloads.GENERATED_SUBSCRIBERS + 1];
            Duration unbounded = Duration.ofMinutes(30);

            // Set-up: the check pool, n = 1..P, configured once so that the hub knows their version.
            AtomicLong setupCursor = new AtomicLong();
            PhaseResult preconfig = phase(workers, () -> Load.closedLoop("set-up: first configuration of the check pool",
                    workers, unbounded, settings.checkSubscribers(), 2, Workloads.CYCLE_HISTOGRAMS,
                    Workloads.firstConfiguration(setupCursor, 1, versions)));
            setup.add(preconfig);
            print(preconfig);
            if (preconfig.failed() > 0) {
                throw new IllegalStateException("the check pool could not be configured: " + preconfig.errors());
            }

            // Warm-up: every measured path in turn, for a fixed time.
            AtomicLong checkCursor = new AtomicLong();
            Load.Operation check = Workloads.checkCycle(checkCursor, settings.checkSubscribers(), versions);
            Load.Operation staticHttp = Workloads.staticDocument(false, staticBody);
            Load.Operation staticHttps = Workloads.staticDocument(true, staticBody);
            Load.Operation staticPair = Workloads.staticPair(staticBody);
            Load.Operation warm = (w, seq, start) -> switch ((int) (seq % 4)) {
                case 0 -> staticHttp.run(w, seq, start);
                case 1 -> staticHttps.run(w, seq, start);
                default -> check.run(w, seq, start);
            };
            PhaseResult warmup = phase(workers, () -> Load.closedLoop("warm-up (static HTTP, static HTTPS, check cycles)",
                    workers, Duration.ofSeconds(settings.warmupSeconds()), Long.MAX_VALUE, 1,
                    Workloads.REQUEST_HISTOGRAMS, warm));
            setup.add(warmup);
            print(warmup);
            // On 2 busy cores the JIT's queue (the hub's, the stand-ins', Kafka's and Artemis' code) drains slowly:
            // measuring while it still compiles measures the compiler. Go on warming in rounds until a round's JIT
            // work is below jitQuietShare of the round (or warmupMaxSeconds is reached); each round is reported.
            long warmedSeconds = settings.warmupSeconds();
            Duration round = Duration.ofSeconds(15);
            while (warmup.jitMillis() > settings.jitQuietShare() * warmup.seconds() * 1000
                    && warmedSeconds + round.toSeconds() <= settings.warmupMaxSeconds()) {
                warmedSeconds += round.toSeconds();
                String name = "warm-up until the JIT is quiet, to " + warmedSeconds + " s";
                warmup = phase(workers, () -> Load.closedLoop(name, workers, round, Long.MAX_VALUE, 1,
                        Workloads.REQUEST_HISTOGRAMS, warm));
                setup.add(warmup);
                print(warmup);
            }

            Duration measure = Duration.ofSeconds(settings.durationSeconds());
            Duration settle = Duration.ofSeconds(settings.settleSeconds());
            long max = settings.maxOperations();
            measured.add(closed(Report.STATIC_HTTP, workers, settle, measure, max, 1, Workloads.REQUEST_HISTOGRAMS,
                    staticHttp, setup));
            measured.add(closed(Report.STATIC_HTTPS, workers, settle, measure, max, 1, Workloads.REQUEST_HISTOGRAMS,
                    staticHttps, setup));
            measured.add(closed(Report.STATIC_PAIR, workers, settle, measure, max, 2, Workloads.REQUEST_HISTOGRAMS,
                    staticPair, setup));
            measured.add(closed(Report.CHECK_MAX, workers, settle, measure, max, 2, Workloads.CYCLE_HISTOGRAMS,
                    check, setup));

            List<Load.Worker> rateWorkers = workers(target, settings.rateWorkers(), 4);
            Load.eachWorker(rateWorkers, staticPair); // open the keep-alive connections before the clock starts
            setup.add(phase(rateWorkers, () -> Load.openLoop("settle: " + Report.CHECK_RATE, rateWorkers,
                    settings.rate(), settle, 2, Workloads.CYCLE_HISTOGRAMS, check)));
            measured.add(phase(rateWorkers, () -> Load.openLoop(Report.CHECK_RATE, rateWorkers,
                    settings.rate(), Duration.ofSeconds(settings.rateSeconds()), 2, Workloads.CYCLE_HISTOGRAMS, check)));
            rateWorkers.forEach(Load.Worker::close);
            print(measured.get(measured.size() - 1));

            // Never configured in this run: n from 50,001 on, in order (the settling takes the first ones).
            AtomicLong coldCursor = new AtomicLong();
            int firstCold = Workloads.GENERATED_SUBSCRIBERS / 2 + 1;
            measured.add(closed(Report.COLD, workers, settle, measure,
                    Math.min(max, (Workloads.GENERATED_SUBSCRIBERS - firstCold + 1) / 2), 2, Workloads.CYCLE_HISTOGRAMS,
                    Workloads.firstConfiguration(coldCursor, firstCold, versions), setup));
            workers.forEach(Load.Worker::close);

            sameBytes = sameBytes(target, staticBody, versions[1]);
        } finally {
            hub.close();
        }
        if (settings.restart()) {
            try {
                starts.add(restart(dataDir, childClassPath));
            } catch (RuntimeException | IOException e) {
                log("The restart could not be measured: " + e.getMessage());
                starts.add(new StartTime("restart: same data directory, new JVM", -1, -1,
                        "not measured: " + e.getMessage()));
            }
        }
        if (!Boolean.getBoolean("benchmark.keepData")) {
            // ~500 MB per run (PostgreSQL with 100,000 subscribers, Kafka, Artemis): not kept unless asked for
            deleteRecursively(dataDir);
            deleteRecursively(Path.of("target", "benchmark-classpath", began.toString().replace(':', '-')));
        }
        for (PhaseResult r : measured) {
            if (r.failed() > 0) {
                exitCode = 1;
            }
        }
        String markdown = Report.markdown(settings, began, revision, loadBefore, CpuSample.loadAverage(), starts, setup,
                measured, sameBytes);
        Files.createDirectories(settings.output().toAbsolutePath().getParent());
        Files.writeString(settings.output(), markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(markdown);
        log("Results written to " + settings.output().toAbsolutePath());
        if (exitCode != 0) {
            log("FAILED: the hub answered something other than the expected 200 in a measured phase");
        }
        System.exit(exitCode);
    }

    private interface PhaseBody {
        PhaseResult run();
    }

    /**
     * A closed-loop phase, preceded by {@code settle} of the same operation (not measured, added to
     * {@code setup}), so that the JIT has compiled this very path and the connections are open.
     */
    private static PhaseResult closed(String name, List<Load.Worker> workers, Duration settle, Duration measure,
                                      long max, int requestsPerOperation, String[] histograms,
                                      Load.Operation operation, List<PhaseResult> setup) {
        if (!settle.isZero()) {
            setup.add(phase(workers, () -> Load.closedLoop("settle: " + name, workers, settle, max,
                    requestsPerOperation, histograms, operation)));
        }
        PhaseResult result = phase(workers, () -> Load.closedLoop(name, workers, measure, max, requestsPerOperation,
                histograms, operation));
        print(result);
        return result;
    }

    /** Runs a phase and adds the connections its workers had to open. */
    private static PhaseResult phase(List<Load.Worker> workers, PhaseBody body) {
        long before = opened(workers);
        Instant from = Instant.now();
        PhaseResult result = body.run();
        log(String.format("%s: %.0f ops/s, %d errors (from %s to %s)", result.name(), result.rate(), result.failed(),
                from, Instant.now()));
        return result.withConnectionsOpened(opened(workers) - before);
    }

    private static long opened(List<Load.Worker> workers) {
        long n = 0;
        for (Load.Worker w : workers) {
            n += w.http.opened() + w.https.opened();
        }
        return n;
    }

    private static List<Load.Worker> workers(Target target, int count, int histograms) {
        List<Load.Worker> workers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            workers.add(new Load.Worker(target, histograms));
        }
        return workers;
    }

    private static byte[] fetchStatic(Target target) throws IOException {
        try (HttpConnection c = target.plainConnection()) {
            HttpConnection.Response r = c.get(Workloads.STATIC_PATH, "");
            if (r.status() != 200) {
                throw new IllegalStateException("static endpoint answered " + r.status());
            }
            return r.body();
        }
    }

    /** Whether the static document has the very bytes of a check answer (same size, same content). */
    private static String sameBytes(Target target, byte[] staticBody, long version) throws IOException {
        try (HttpConnection http = target.plainConnection(); HttpConnection https = target.tlsConnection()) {
            HttpConnection.Response first = http.get("/", "X-MSISDN: " + Workloads.msisdn(1) + "\r\nX-IMSI: "
                    + Workloads.imsi(1) + "\r\n");
            HttpConnection.Response check = https.get("/?vers=" + version + "&provisioning_version=2.0"
                            + "&terminal_vendor=ACME&terminal_model=Phone-1&terminal_sw_version=1.0.3",
                    "Cookie: " + first.cookie() + "\r\n");
            boolean same = java.util.Arrays.equals(staticBody, check.body());
            boolean sameButVersion = new String(staticBody, StandardCharsets.UTF_8).equals(check.text()
                    .replace("name=\"version\" value=\"" + version + "\"", "name=\"version\" value=\"1\""));
            return "static document " + staticBody.length + " bytes, check answer (version " + version + ") "
                    + check.body().length + " bytes: " + (same ? "identical bytes"
                    : sameButVersion ? "the same document but for the version number" : "different documents");
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            log("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The commit measured, and whether main code differed from it (other work in progress). */
    private static String revision() {
        try {
            String head = run("git", "rev-parse", "--short", "HEAD").trim();
            String dirty = run("git", "status", "--porcelain", "--", "src/main", "../connectors", "../schemas").trim();
            return head + (dirty.isEmpty() ? " (main code as committed)"
                    : " + uncommitted changes in main code: " + String.join(", ", dirty.lines()
                    .map(l -> l.substring(l.lastIndexOf('/') + 1)).toList()));
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.trim());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * This JVM's class path with its directories (target/classes, target/test-classes) replaced by copies made
     * now, so that a later JVM runs the same code even if another build rewrites target/ in between.
     */
    private static String privateClassPath(Instant began) throws IOException {
        Path copies = Path.of("target", "benchmark-classpath", began.toString().replace(':', '-')).toAbsolutePath();
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.isDirectory(source)) {
                Path copy = copies.resolve(i++ + "-" + source.getFileName());
                try (java.util.stream.Stream<Path> files = Files.walk(source)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = copy.resolve(source.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static StartTime restart(Path dataDir, String classPath) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Path.of("target", "benchmark-restart.log").toAbsolutePath();
        List<String> command = List.of(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", classPath, SandboxRestart.class.getName(), dataDir.toString());
        log("Restarting the hub on " + dataDir + " in a new JVM (output in " + log + ")");
        CpuSample before = CpuSample.now();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroy();
            throw new IllegalStateException("the restart did not finish in 5 minutes");
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith("BENCHMARK-RESTART ")) {
                String[] f = line.split(" ");
                long uptime = Long.parseLong(f[2]);
                long jvmCpu = Long.parseLong(f[3]);
                long postgresCpu = Long.parseLong(f[4]);
                long jvmCpuAtExit = Long.parseLong(f[5]);
                // Over the child's whole life: machine CPU less the child JVM's and PostgreSQL's (until ready; its
                // shutdown is not counted, so this slightly overstates the other processes).
                CpuSample after = CpuSample.now();
                double otherCores = before.machineBusyNanos() < 0 ? Double.NaN
                        : ((after.machineBusyNanos() - before.machineBusyNanos()) / 1e6 - jvmCpuAtExit - postgresCpu)
                        / ((after.wallNanos() - before.wallNanos()) / 1e6);
                return new StartTime("restart: same data directory (no initdb, no seeding), new JVM",
                        Long.parseLong(f[1]), uptime, startCpuNote(jvmCpu / 1e3, postgresCpu / 1e3, Math.max(0, otherCores)));
            }
        }
        throw new IllegalStateException("the restart printed no time (exit " + process.exitValue() + "), see " + log);
    }

    private static void print(PhaseResult r) {
        System.out.println(Report.line(r));
    }

    static void log(String message) {
        System.out.println("[benchmark] " + message);
    }
}
