package io.provisioninghub.connectors.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's PostgreSQL does not outlive a killed JVM for long, and never blocks the next start (issue 14): a JVM
 * that started it is SIGKILLed, as the kernel or Kubernetes would; the postmaster goes away by itself, and a new start
 * on the same data directory and port succeeds at once.
 */
@EnabledOnOs(OS.LINUX)
class OrphanedPostmasterTest {

    @Test // issue 14: after a SIGKILL the orphan stops by itself within seconds
    void theOrphanStopsWhenItsJvmIsKilled(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Process child = startChild(data, 0);
        long postmaster = OrphanedPostmaster.postmaster(data).orElseThrow().pid();
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                .as("the postmaster of a killed JVM").isFalse();
    }

    @Test // issue 14: a start right after the kill, on the same data directory and port, succeeds and keeps the data
    void aStartRightAfterTheKillSucceeds(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        int port = LoopbackPorts.freeBelowEphemeralRange();
        Process child = startChild(data, port);
        assertThat(OrphanedPostmaster.postmaster(data)).isPresent();
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, port);
             Connection c = DriverManager.getConnection(again.createDatabaseIfMissing("hub"), again.username(), "")) {
            assertThat(again.port()).isEqualTo(port);
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(OrphanedPostmaster.postmaster(data)).as("closed cleanly, nothing left").isEmpty();
    }

    private static Process startChild(Path data, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String surefire = System.getProperty("surefire.test.class.path");
        String classpath = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        Process child = new ProcessBuilder(List.of(java, "-Xmx128m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", String.join(File.pathSeparator, classpath.split(File.pathSeparator)),
                PostgresInChildJvm.class.getName(), data.toString(), Integer.toString(port)))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String line;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            if (line.startsWith("READY ")) {
                // Keep draining the child's output so it never blocks on a full pipe.
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (java.io.IOException ignored) {
                        // the child is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return child;
            }
        }
        child.destroyForcibly();
        throw new IllegalStateException("the child JVM did not start PostgreSQL");
    }
}
