package io.provisioninghub.connectors.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded PostgreSQL is a child process of the JVM that started it, and outlives it when that JVM is killed
 * (SIGKILL, OOM, a crash): the orphan keeps the data directory and the port, and the next sandbox start on them fails.
 * Two remedies, both on Linux only (elsewhere they do nothing):
 * <ul>
 *   <li>{@link #stopLeftOver}: before a start, a postmaster still running on the data directory (its
 *       {@code postmaster.pid}) is stopped — fast shutdown (SIGINT), SIGKILL after a grace time; PostgreSQL recovers
 *       from its WAL on the next start as after any crash;</li>
 *   <li>{@link #watch}: after a start, a small shell watchdog stops the postmaster within a second or two of the JVM's
 *       death, so the port is free again without waiting for the next start.</li>
 * </ul>
 */
final class OrphanedPostmaster {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);
    private static final Duration GRACE = Duration.ofSeconds(20);

    private OrphanedPostmaster() {
    }

    /** Stops a postmaster left running on {@code dataDirectory} by an earlier JVM. */
    static void stopLeftOver(Path dataDirectory) {
        Optional<ProcessHandle> postmaster = postmaster(dataDirectory);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        LOG.warn("PostgreSQL (pid {}) is still running on {} from an earlier start: stopping it", process.pid(),
                dataDirectory);
        signal("INT", process.pid());
        try {
            process.onExit().get(GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            waitQuietly(process);
        } catch (java.util.concurrent.ExecutionException e) {
            waitQuietly(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a watchdog that stops the postmaster of {@code dataDirectory} when this JVM is gone. */
    static void watch(Path dataDirectory) {
        Optional<ProcessHandle> postmaster = postmaster(dataDirectory);
        if (postmaster.isEmpty() || !Files.isExecutable(Path.of("/bin/sh"))) {
            return;
        }
        long jvm = ProcessHandle.current().pid();
        long pg = postmaster.get().pid();
        // Polls the JVM once a second; if the postmaster stops first (a clean close), the watchdog ends as well.
        String script = "while kill -0 " + jvm + " 2>/dev/null && kill -0 " + pg + " 2>/dev/null; do sleep 1; done; "
                + "kill -0 " + jvm + " 2>/dev/null || kill -INT " + pg + " 2>/dev/null";
        try {
            new ProcessBuilder("/bin/sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.warn("No watchdog for the embedded PostgreSQL ({}): it outlives a killed JVM", e.getClass().getSimpleName());
        }
    }

    /** The live postgres process named by the data directory's postmaster.pid, if any. */
    static Optional<ProcessHandle> postmaster(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !lines.get(0).trim().matches("[0-9]{1,10}")) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
            // A stale pid file may name a pid the kernel has since given to another program: only a postgres counts.
            if (!Files.isReadable(cmdline) || !new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
                    .contains("postgres")) {
                return Optional.empty();
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void signal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitQuietly(ProcessHandle process) {
        try {
            process.onExit().get(GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("The earlier PostgreSQL (pid {}) did not stop: {}", process.pid(), e.getClass().getSimpleName());
        }
    }
}
