package io.provisioninghub.connectors.broker;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Apache ActiveMQ Artemis broker running inside the hub's JVM, for the sandbox and the tests.
 * <p>
 * It is persistent (journal, bindings, paging and large messages under one data directory, so a restart keeps
 * every durable message), listens on one CORE acceptor on 127.0.0.1, and applies the hub's delivery policy to
 * every address: up to {@value #MAX_DELIVERY_ATTEMPTS} delivery attempts with exponential redelivery delay,
 * then the dead-letter queue {@value #DEAD_LETTER_QUEUE}; expired messages go to {@value #EXPIRY_QUEUE}.
 * The hub reaches it over TCP with {@code spring.artemis.mode=native}, exactly as it reaches a real broker.
 * <p>
 * Not for production: security is off (any client may send, consume and create queues).
 */
public final class EmbeddedArtemisBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedArtemisBroker.class);

    public static final String DEAD_LETTER_QUEUE = "DLQ";
    public static final String EXPIRY_QUEUE = "ExpiryQueue";
    public static final int MAX_DELIVERY_ATTEMPTS = 5;
    public static final long REDELIVERY_DELAY_MS = 500;
    public static final double REDELIVERY_MULTIPLIER = 2.0;
    public static final long MAX_REDELIVERY_DELAY_MS = 10_000;

    private static final String LOOPBACK = "127.0.0.1";
    private static final String ACCEPTOR = "hub";

    private final EmbeddedActiveMQ embedded;
    private final Path dataDirectory;
    private final int port;
    private boolean closed;

    private EmbeddedArtemisBroker(EmbeddedActiveMQ embedded, Path dataDirectory, int port) {
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Starts the broker and returns once its acceptor takes connections.
     *
     * @param dataDirectory where the journal, bindings, paging and large messages live; created when missing,
     *                      reused (with every durable message in it) otherwise
     * @param port          CORE port on 127.0.0.1, or 0 for a free one
     * @throws IOException when the port cannot be bound (the half-started broker is stopped first)
     */
    public static EmbeddedArtemisBroker start(Path dataDirectory, int port) throws Exception {
        Path directory = dataDirectory.toAbsolutePath();
        Files.createDirectories(directory);
        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ().setConfiguration(configuration(directory, port));
        long started = System.nanoTime();
        try {
            embedded.start();
        } catch (Exception e) {
            // A half-started broker keeps the journal lock and its threads; release them before reporting.
            stopQuietly(embedded);
            throw e;
        }
        // Artemis logs a failed bind (AMQ224104) and carries on without the acceptor: a broker nobody can reach.
        // The sandbox must fail at startup instead, with the port in the message.
        Acceptor acceptor = embedded.getActiveMQServer().getRemotingService().getAcceptor(ACCEPTOR);
        if (!(acceptor instanceof NettyAcceptor netty) || !netty.isStarted() || netty.getActualPort() <= 0) {
            stopQuietly(embedded);
            throw new IOException("Artemis could not listen on " + LOOPBACK + ":" + port + " (port in use?)");
        }
        int boundPort = netty.getActualPort();
        LOG.info("Embedded Artemis broker listening on tcp://{}:{} with data in {}, started in {} ms",
                LOOPBACK, boundPort, directory, (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedArtemisBroker(embedded, directory, boundPort);
    }

    private static ConfigurationImpl configuration(Path directory, int port) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("provisioning-hub-sandbox");
        // Spring Boot's own embedded Artemis is non-persistent by default; the hub's outbox must survive a restart.
        config.setPersistenceEnabled(true);
        config.setJournalDirectory(directory.resolve("journal").toString());
        config.setBindingsDirectory(directory.resolve("bindings").toString());
        config.setPagingDirectory(directory.resolve("paging").toString());
        config.setLargeMessagesDirectory(directory.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(directory.toString());
        // NIO works on every file system (tmpfs, overlay, macOS); AIO needs libaio and falls back with a warning.
        config.setJournalType(JournalType.NIO);
        // Artemis blocks producers once the disk is 90% full, whoever filled it; on a developer laptop or a CI
        // runner that shows up as a hang with no error in the hub. The sandbox leaves disk space to the OS.
        config.setMaxDiskUsage(-1);
        // The sandbox has no users: every client may send, consume and create queues (see README).
        config.setSecurityEnabled(false);
        // CORE only: the hub speaks JMS through the Artemis Jakarta client, and no other protocol jar is on
        // the classpath.
        config.addAcceptorConfiguration(ACCEPTOR, "tcp://" + LOOPBACK + ":" + port + "?protocols=CORE");

        config.addAddressSetting("#", new AddressSettings()
                // Without a dead-letter address Artemis drops a message after its last delivery attempt.
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_QUEUE))
                .setExpiryAddress(SimpleString.of(EXPIRY_QUEUE))
                .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
                // 0.5 s, 1 s, 2 s, 4 s between the five attempts: about 7.5 s in all, enough to ride out a
                // brief outage of the SMSC or billing system, short enough that a poison message reaches the
                // DLQ within seconds instead of spinning.
                .setRedeliveryDelay(REDELIVERY_DELAY_MS)
                .setRedeliveryMultiplier(REDELIVERY_MULTIPLIER)
                .setMaxRedeliveryDelay(MAX_REDELIVERY_DELAY_MS)
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true));
        // The parking queues themselves never dead-letter or drop: an operator inspecting and rolling back a
        // message in DLQ must not lose it (-1 = unlimited attempts).
        for (String parking : new String[] {DEAD_LETTER_QUEUE, EXPIRY_QUEUE}) {
            config.addAddressSetting(parking, new AddressSettings().setMaxDeliveryAttempts(-1));
            // One anycast queue per parking address, named like the address (as Artemis' default broker.xml
            // does), created with the broker. Artemis' per-origin auto-created dead-letter queues
            // (DLQ.<queue>, auto-create-dead-letter-resources) are left off: beside this queue they would share
            // the anycast address and take every other message. The origin is kept on each message in
            // _AMQ_ORIG_ADDRESS and _AMQ_ORIG_QUEUE.
            config.addQueueConfiguration(QueueConfiguration.of(parking)
                    .setAddress(parking)
                    .setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true));
        }
        return config;
    }

    private static void stopQuietly(EmbeddedActiveMQ embedded) {
        try {
            embedded.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the embedded Artemis broker after a failed start failed too", e);
        }
    }

    /** The value for {@code spring.artemis.broker-url}. */
    public String brokerUrl() {
        return "tcp://" + LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Stops the broker: client connections are closed, the journal is synced and the directory lock released, so
     * the next start on the same directory finds every durable message. Idempotent.
     */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        embedded.stop();
        LOG.info("Embedded Artemis broker on port {} stopped in {} ms", port, (System.nanoTime() - started) / 1_000_000);
    }
}
