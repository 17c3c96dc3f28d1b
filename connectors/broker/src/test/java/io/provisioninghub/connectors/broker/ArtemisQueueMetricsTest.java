package io.provisioninghub.connectors.broker;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.provisioninghub.connectors.broker.ArtemisQueueMetrics.QueueGroup;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.connection.CachingConnectionFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hub_artemis_queue_messages} (docs/observability.md) against the embedded Artemis broker, through the
 * application's own JMS ConnectionFactory (Spring Boot's caching one, as in the hub); values read back from the
 * Prometheus exposition text.
 */
@ExtendWith(OutputCaptureExtension.class)
class ArtemisQueueMetricsTest {

    private static final String OUTBOX = "hub.test.sms.outbox";
    private static final String NEVER_USED = "hub.test.sms.dead-letter";
    private static final String CAMPAIGN_PREFIX = "hub.test.campaign.work.";
    private static final Duration REFRESH = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String WARN_LINE = "Artemis queue depths not read";

    private static final List<QueueGroup> GROUPS = List.of(
            QueueGroup.named(OUTBOX),
            QueueGroup.named(NEVER_USED),
            QueueGroup.named(EmbeddedArtemisBroker.DEAD_LETTER_QUEUE),
            QueueGroup.prefixed("campaign-work", CAMPAIGN_PREFIX));

    @Test
    void countsEachQueueAndSumsThePrefixedOnesAndKeepsThemWhileTheBrokerIsDown(@TempDir Path dir,
                                                                             CapturedOutput output) throws Exception {
        Path data = dir.resolve("artemis");
        EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(data, 0);
        int port = broker.port();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BrokerApp.class)
                .web(WebApplicationType.NONE)
                .properties("spring.artemis.mode=native", "spring.artemis.broker-url=" + broker.brokerUrl(),
                        "spring.artemis.embedded.enabled=false")
                .run()) {
            ConnectionFactory hubFactory = app.getBean(ConnectionFactory.class);
            assertThat(hubFactory).isInstanceOf(CachingConnectionFactory.class);

            send(broker, OUTBOX, 3);
            send(broker, EmbeddedArtemisBroker.DEAD_LETTER_QUEUE, 1);
            send(broker, CAMPAIGN_PREFIX + "7", 1);
            send(broker, CAMPAIGN_PREFIX + "8", 2);
            send(broker, "hub.test.other", 5); // matches no group

            try (ArtemisQueueMetrics metrics = new ArtemisQueueMetrics(hubFactory, GROUPS, REFRESH, TIMEOUT)) {
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                metrics.bindTo(registry);

                await("the depths read", Duration.ofSeconds(10), () -> messages(registry, OUTBOX) == 3.0);
                assertThat(messages(registry, EmbeddedArtemisBroker.DEAD_LETTER_QUEUE)).isEqualTo(1.0);
                assertThat(messages(registry, "campaign-work")).isEqualTo(3.0);
                assertThat(messages(registry, NEVER_USED)).isZero();
                assertThat(registry.find(ArtemisQueueMetrics.METRIC).gauges()).hasSize(GROUPS.size());
                assertThat(registry.scrape())
                        .contains("hub_artemis_queue_messages{queue=\"hub.test.sms.outbox\"} 3.0")
                        .contains("hub_artemis_queue_messages{queue=\"DLQ\"} 1.0")
                        .contains("hub_artemis_queue_messages{queue=\"campaign-work\"} 3.0");

                // One consumed from the outbox, a third campaign queue: the next read sees both.
                receive(broker, OUTBOX, 1);
                send(broker, CAMPAIGN_PREFIX + "9", 4);
                await("the new depths read", Duration.ofSeconds(10), () -> messages(registry, "campaign-work") == 7.0);
                assertThat(messages(registry, OUTBOX)).isEqualTo(2.0);

                // The broker goes down: the values stay, one WARN without a stack trace for several failed reads.
                broker.close();
                long failedBefore = metrics.failedReads();
                await("three failed reads", Duration.ofSeconds(20), () -> metrics.failedReads() >= failedBefore + 3);
                assertThat(messages(registry, OUTBOX)).isEqualTo(2.0);
                assertThat(messages(registry, "campaign-work")).isEqualTo(7.0);
                List<String> warnings = output.getAll().lines().filter(line -> line.contains(WARN_LINE)).toList();
                assertThat(warnings).hasSize(1);
                assertThat(warnings.get(0)).contains("WARN").contains("the gauges keep their last values");
                assertThat(lineAfter(output, WARN_LINE)).doesNotStartWith("\tat ")
                        .doesNotMatch("^[a-z]+(\\.[A-Za-z0-9_$]+)+(Exception|Error)\\b.*");

                // Back on the same directory and port (the messages are persistent): read again.
                broker = EmbeddedArtemisBroker.start(data, port);
                receive(broker, OUTBOX, 2);
                await("read again", Duration.ofSeconds(20), () -> messages(registry, OUTBOX) == 0.0);
                assertThat(messages(registry, "campaign-work")).isEqualTo(7.0);
                await("said so", Duration.ofSeconds(2), () -> output.getAll().contains("Artemis queue depths read again"));
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void bindingDoesNotWaitForTheBroker(@TempDir Path dir) throws Exception {
        EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(dir.resolve("artemis"), 0);
        String url = broker.brokerUrl();
        broker.close();
        try (ArtemisQueueMetrics metrics = new ArtemisQueueMetrics(new ActiveMQConnectionFactory(url), GROUPS,
                REFRESH, TIMEOUT)) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

            long started = System.nanoTime();
            metrics.bindTo(registry);
            double first = messages(registry, OUTBOX);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));

            assertThat(first).isNaN();
            await("a failed read", Duration.ofSeconds(10), () -> metrics.failedReads() >= 1);
            assertThat(registry.scrape()).contains("hub_artemis_queue_messages{queue=\"campaign-work\"} NaN");
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("hub-artemis-depth") && t.isAlive());
    }

    private static double messages(PrometheusMeterRegistry registry, String queue) {
        return registry.get(ArtemisQueueMetrics.METRIC).tag("queue", queue).gauge().value();
    }

    private static void send(EmbeddedArtemisBroker broker, String queue, int messages) throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(broker.brokerUrl()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (int i = 0; i < messages; i++) {
                producer.send(session.createTextMessage("work " + i));
            }
        }
    }

    private static void receive(EmbeddedArtemisBroker broker, String queue, int messages) throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(broker.brokerUrl()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            for (int i = 0; i < messages; i++) {
                assertThat(consumer.receive(5_000)).isNotNull();
            }
        }
    }

    private static String lineAfter(CapturedOutput output, String text) {
        List<String> lines = output.getAll().lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains(text)) {
                return lines.get(i + 1);
            }
        }
        return "";
    }

    private static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + max);
            }
            Thread.sleep(20);
        }
    }

    /** Auto-configuration only (Spring Boot's Artemis client); no scan of the other tests' applications. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BrokerApp {
    }
}
