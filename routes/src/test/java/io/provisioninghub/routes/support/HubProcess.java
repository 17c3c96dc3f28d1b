package io.provisioninghub.routes.support;

import io.provisioninghub.routes.ProvisioningHubApplication;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A hub replica in a process of its own, so that a test can kill it as Kubernetes or the kernel would (SIGKILL: no
 * shutdown hook, no graceful stop, in-flight work cut). Its systems (PostgreSQL, HLR, billing, Kafka, Artemis, SMSC)
 * are a {@link HubInstance}'s in the test JVM, so they outlive the kill. Output goes to a log file under target/.
 */
public final class HubProcess implements AutoCloseable {

    private static final String STARTED = "Started ProvisioningHubApplication";

    private final List<String> command;
    private final Path log;
    private Process process;

    private HubProcess(List<String> command, Path log) {
        this.command = command;
        this.log = log;
    }

    /** Starts a replica of {@code primary} (its systems, through configuration alone) and waits until it is up. */
    public static HubProcess startReplicaOf(HubInstance primary, Map<String, String> overrides, Duration startTimeout) {
        Path dir = Path.of("target", "hub-processes", UUID.randomUUID().toString()).toAbsolutePath();
        Map<String, String> props = HubInstance.baseProperties(dir);
        props.putAll(HubInstance.replicaProperties(primary));
        props.putAll(overrides);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add("-cp");
        command.add(testClassPath());
        command.add(ProvisioningHubApplication.class.getName());
        props.forEach((k, v) -> command.add("--" + k + "=" + v));
        HubProcess hub = new HubProcess(command, dir.resolve("hub.log"));
        hub.start(startTimeout);
        return hub;
    }

    /** Starts the same process again (same data directory, same configuration), as a restarted pod. */
    public void restart(Duration startTimeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        start(startTimeout);
    }

    private void start(Duration timeout) {
        try {
            Files.createDirectories(log.getParent());
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the hub process exited with " + process.exitValue() + "; see " + log);
                }
                if (Files.exists(log) && logSince(logStart).contains(STARTED)) {
                    return;
                }
                Thread.sleep(200);
            }
            process.destroyForcibly();
            throw new IllegalStateException("the hub process did not start in " + timeout + "; see " + log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
    }

    /** SIGKILL (Process.destroyForcibly on Linux), then wait until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the hub process survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    /** The test classpath: surefire's when run by surefire (its own java.class.path is a manifest-only jar). */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String path = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return String.join(File.pathSeparator, path.split(File.pathSeparator));
    }
}
