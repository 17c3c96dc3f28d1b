package io.provisioninghub.connectors.events;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real, single-node Kafka broker running inside the hub's JVM, for the sandbox and the tests.
 * <p>
 * It runs in KRaft mode (no ZooKeeper) with one node that is both broker and controller, and keeps its
 * metadata log and topic partitions under one data directory: starting again on the same directory keeps
 * the cluster id, the topics, the records and the committed consumer offsets. The hub talks to it over TCP
 * with its ordinary Kafka clients, exactly as it would talk to a real cluster, so nothing but
 * {@code camel.component.kafka.brokers} changes between the sandbox and production.
 * <p>
 * Not for production: one replica, no security, and Kafka's fatal-fault handler halts the JVM it runs in.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String LOOPBACK = "127.0.0.1";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";

    private final KafkaRaftServer server;
    private final Path dataDirectory;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDirectory, int port, int controllerPort,
                                String clusterId) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /**
     * Starts the broker and returns once it accepts clients (KRaft's startup waits until the broker is
     * registered and unfenced).
     *
     * @param dataDirectory  the Kafka log directory (metadata log and partitions); formatted only when it is
     *                       empty or missing, reused as it is otherwise
     * @param port           client port on 127.0.0.1, or 0 for a free one
     * @param controllerPort KRaft controller port on 127.0.0.1, or 0 for a free one
     * @throws RuntimeException from Kafka when it cannot start, e.g. a port in use (the half-started server is
     *                          shut down first, so the directory can be used again)
     */
    public static EmbeddedKafkaBroker start(Path dataDirectory, int port, int controllerPort) throws IOException {
        return start(dataDirectory, port, controllerPort, EmbeddedKafkaBroker::freeLoopbackPort);
    }

    /** How many times a start is tried with fresh ports when a port this class chose was taken before Kafka bound it. */
    static final int START_ATTEMPTS = 5;

    /**
     * As {@link #start(Path, int, int)}, with the source of free ports given (tests give one that hands out a
     * taken port first).
     */
    static EmbeddedKafkaBroker start(Path dataDirectory, int port, int controllerPort, FreePorts freePorts)
            throws IOException {
        Path directory = dataDirectory.toAbsolutePath();
        for (int attempt = 1; ; attempt++) {
            // Both ports are chosen before the broker starts: the controller's address is part of the static
            // quorum configuration (controller.quorum.voters), which Kafka cannot fill in after binding port 0.
            // A chosen port is only probed free, so another process (a second hub, a parallel test fork) can
            // take it before Kafka binds it: then the start is tried again with fresh ports.
            int brokerPort = port > 0 ? port : freePorts.next(-1);
            int quorumPort = controllerPort > 0 ? controllerPort : freePorts.next(brokerPort);
            try {
                return startOnce(directory, brokerPort, quorumPort);
            } catch (RuntimeException e) {
                boolean choseTakenPort = (port == 0 && bindFailedOn(e, brokerPort))
                        || (controllerPort == 0 && bindFailedOn(e, quorumPort));
                if (!choseTakenPort || attempt == START_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Embedded Kafka broker: a port chosen for it ({} or {}) was taken before it could bind;"
                        + " trying again with fresh ports (attempt {} of {})", brokerPort, quorumPort, attempt + 1,
                        START_ATTEMPTS);
            }
        }
    }

    private static EmbeddedKafkaBroker startOnce(Path directory, int brokerPort, int quorumPort) throws IOException {
        KafkaConfig config = KafkaConfig.fromProps(properties(directory, brokerPort, quorumPort), false);

        String clusterId = formatIfEmpty(directory, config);

        long started = System.nanoTime();
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            // A failed startup may have bound ports and started threads already; release them before
            // reporting, or a retry in the same JVM fails on "address in use" or the log directory lock.
            shutdownQuietly(server);
            throw e;
        }
        LOG.info("Embedded Kafka broker (cluster {}) listening on {}:{} with data in {}, started in {} ms",
                clusterId, LOOPBACK, brokerPort, directory, (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedKafkaBroker(server, directory, brokerPort, quorumPort, clusterId);
    }

    /**
     * Whether Kafka failed because it could not bind {@code port}: its SocketServer reports "Socket server failed
     * to bind to 127.0.0.1:PORT" with the JDK's BindException as the cause.
     */
    private static boolean bindFailedOn(Throwable failure, int port) {
        String address = LOOPBACK + ":" + port;
        boolean bindException = false;
        boolean names = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            bindException |= t instanceof BindException;
            names |= t.getMessage() != null && t.getMessage().contains(address);
        }
        return bindException && names;
    }

    /** A source of free loopback ports. */
    @FunctionalInterface
    interface FreePorts {
        /** A port free now, other than {@code notThis}. */
        int next(int notThis) throws IOException;
    }

    private static Properties properties(Path directory, int brokerPort, int quorumPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        // Static quorum (kraft.version 0): the voter set lives in the configuration, not in the metadata log,
        // so a restart may use a different controller port than the run that formatted the directory.
        p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + quorumPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + quorumPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        // One directory holds both the metadata log and the partitions, so one path is all a restart needs.
        p.put("log.dirs", directory.toString());

        // A single node cannot hold more than one replica of the internal topics.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // The internal topics default to 50 partitions each: 50 directories with preallocated indexes that
        // are created, and later recovered, on the first consumer group or transaction. The sandbox needs one.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("num.partitions", "1");
        // With no other members to wait for, the 3 s default only delays every consumer's first assignment.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The sandbox creates topics on first use, as the hub's routes produce or subscribe to them.
        p.put("auto.create.topics.enable", "true");

        // Sized for a 2-core laptop in the same JVM as the hub: Kafka's defaults are for a dedicated server
        // (8 I/O threads, 10 background threads, and a 128 MiB heap buffer for the log cleaner).
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        return p;
    }

    /**
     * Formats the directory when it holds nothing yet, and returns the cluster id recorded in it. A directory
     * that has content but no meta.properties is refused rather than formatted: it is not ours to overwrite.
     */
    private static String formatIfEmpty(Path directory, KafkaConfig config) throws IOException {
        Path metaProperties = directory.resolve(META_PROPERTIES);
        if (Files.isRegularFile(metaProperties)) {
            return readClusterId(metaProperties);
        }
        Files.createDirectories(directory);
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalStateException(directory + " is neither empty nor a Kafka log directory"
                        + " (no " + META_PROPERTIES + "); refusing to format it");
            }
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(directory.toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Features.PRODUCTION_FEATURES)
                    .run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("formatting the Kafka log directory " + directory + " failed", e);
        }
        LOG.debug("Formatted Kafka log directory: {}", output.toString(StandardCharsets.UTF_8).strip());
        return clusterId;
    }

    private static String readClusterId(Path metaProperties) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            meta.load(in);
        }
        String clusterId = meta.getProperty("cluster.id");
        if (clusterId == null) {
            throw new IllegalStateException(metaProperties + " has no cluster.id");
        }
        return clusterId;
    }

    private static int freeLoopbackPort(int notThis) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
                int candidate = socket.getLocalPort();
                if (candidate != notThis) {
                    return candidate;
                }
            }
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Shutting down the embedded Kafka broker after a failed start failed too", e);
        }
    }

    /** The value for {@code bootstrap.servers} or {@code camel.component.kafka.brokers}. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id, fixed when the directory was formatted and kept across restarts. */
    public String clusterId() {
        return clusterId;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Stops the broker cleanly: the broker flushes and closes its logs (so the next start on the same directory
     * skips log recovery), then the controller stops. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka broker on port {} stopped in {} ms", port, (System.nanoTime() - started) / 1_000_000);
    }
}
