package io.provisioninghub.connectors.events;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hub_kafka_consumer_lag} (docs/observability.md) against the embedded Kafka broker: offsets produced and
 * committed with Kafka's own clients, the Admin client's settings taken from camel-kafka's component as the hub takes
 * them, values read back from the Prometheus exposition text.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaConsumerLagMetricsTest {

    private static final String TOPIC = "hub.test.lag";
    private static final String MISSING_TOPIC = "hub.test.lag-not-created";
    private static final String CONSUMED_TWO = "consumed-two";
    private static final String NEVER_CONSUMED = "never-consumed";
    private static final Duration REFRESH = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String WARN_LINE = "Kafka consumer lag not read";

    @Test
    void measuresTheLagOfEachGroupPerTopicAndKeepsItWhileKafkaIsDown(@TempDir Path dir, CapturedOutput output)
            throws Exception {
        Path data = dir.resolve("kafka");
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(data, 0, 0);
        int port = kafka.port();
        int controllerPort = kafka.controllerPort();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(KafkaApp.class)
                .web(WebApplicationType.NONE)
                .properties("camel.component.kafka.brokers=" + kafka.bootstrapServers(),
                        "camel.component.kafka.security-protocol=PLAINTEXT")
                .run();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            CamelContext camel = app.getBean(CamelContext.class);
            Map<String, Object> settings = KafkaConsumerLagMetrics.adminSettingsOf(camel);
            assertThat(settings).containsEntry(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())
                    .containsEntry(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                    .doesNotContainKey("group.id");

            // Two partitions: 3 records on 0, 2 on 1; the first record of 1 deleted (its beginning offset is 1).
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
            TopicPartition p0 = new TopicPartition(TOPIC, 0);
            TopicPartition p1 = new TopicPartition(TOPIC, 1);
            produce(kafka, p0, 3);
            produce(kafka, p1, 2);
            admin.deleteRecords(Map.of(p1, RecordsToDelete.beforeOffset(1))).all().get();
            // The group consumed 2 of partition 0 and committed nothing on partition 1.
            admin.alterConsumerGroupOffsets(CONSUMED_TWO, Map.of(p0, new OffsetAndMetadata(2))).all().get();

            try (KafkaConsumerLagMetrics metrics = new KafkaConsumerLagMetrics(
                    () -> KafkaConsumerLagMetrics.adminSettingsOf(camel),
                    Map.of(CONSUMED_TWO, Set.of(TOPIC, MISSING_TOPIC), NEVER_CONSUMED, Set.of(TOPIC)),
                    REFRESH, TIMEOUT)) {
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                metrics.bindTo(registry);

                // (3 − 2) on partition 0 + (2 − 1) on partition 1, from its beginning
                await("the lag read", Duration.ofSeconds(10), () -> lag(registry, CONSUMED_TWO, TOPIC) == 2.0);
                assertThat(lag(registry, NEVER_CONSUMED, TOPIC)).isEqualTo(3.0 + 1.0);
                assertThat(lag(registry, CONSUMED_TWO, MISSING_TOPIC)).isZero();
                assertThat(registry.find(KafkaConsumerLagMetrics.METRIC).gauges()).hasSize(3);
                assertThat(registry.scrape())
                        .contains("hub_kafka_consumer_lag{group=\"consumed-two\",topic=\"hub.test.lag\"} 2.0")
                        .contains("hub_kafka_consumer_lag{group=\"never-consumed\",topic=\"hub.test.lag\"} 4.0");

                // Three more records, and the group catches up on partition 1: 1 + 3 + 0.
                produce(kafka, p0, 3);
                admin.alterConsumerGroupOffsets(CONSUMED_TWO, Map.of(p1, new OffsetAndMetadata(2))).all().get();
                await("the new lag read", Duration.ofSeconds(10), () -> lag(registry, CONSUMED_TWO, TOPIC) == 4.0);
                assertThat(lag(registry, NEVER_CONSUMED, TOPIC)).isEqualTo(7.0);

                // Kafka goes down: the values stay, one WARN without a stack trace for several failed reads.
                kafka.close();
                long failedBefore = metrics.failedReads();
                await("three failed reads", Duration.ofSeconds(20), () -> metrics.failedReads() >= failedBefore + 3);
                assertThat(lag(registry, CONSUMED_TWO, TOPIC)).isEqualTo(4.0);
                assertThat(lag(registry, NEVER_CONSUMED, TOPIC)).isEqualTo(7.0);
                List<String> warnings = linesWith(output, WARN_LINE);
                assertThat(warnings).hasSize(1);
                assertThat(warnings.get(0)).contains("WARN").contains("the gauges keep their last values");
                assertThat(lineAfter(output, WARN_LINE)).doesNotStartWith("\tat ")
                        .doesNotMatch("^[a-z]+(\\.[A-Za-z0-9_$]+)+(Exception|Error)\\b.*");

                // Back on the same directory and port: read again.
                kafka = EmbeddedKafkaBroker.start(data, port, controllerPort);
                produce(kafka, p1, 1);
                await("read again", Duration.ofSeconds(20), () -> lag(registry, CONSUMED_TWO, TOPIC) == 5.0);
                await("said so", Duration.ofSeconds(2), () -> output.getAll().contains("Kafka consumer lag read again"));
            }
        } finally {
            kafka.close();
        }
    }

    @Test
    void neitherBindingNorAnUnreachableKafkaBlocks(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (KafkaConsumerLagMetrics metrics = new KafkaConsumerLagMetrics(
                () -> Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort),
                Map.of(CONSUMED_TWO, Set.of(TOPIC)), REFRESH, TIMEOUT)) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

            long started = System.nanoTime();
            metrics.bindTo(registry);
            double first = lag(registry, CONSUMED_TWO, TOPIC);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));

            assertThat(first).isNaN();
            await("a failed read", Duration.ofSeconds(10), () -> metrics.failedReads() >= 1);
            assertThat(lag(registry, CONSUMED_TWO, TOPIC)).isNaN();
            assertThat(registry.scrape()).contains("hub_kafka_consumer_lag{group=\"consumed-two\",topic=\"hub.test.lag\"} NaN");
            assertThat(linesWith(output, WARN_LINE)).hasSize(1);
        }
        // close() stopped the reader: its thread is gone.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("hub-kafka-lag") && t.isAlive());
    }

    private static double lag(PrometheusMeterRegistry registry, String group, String topic) {
        return registry.get(KafkaConsumerLagMetrics.METRIC).tag("group", group).tag("topic", topic).gauge().value();
    }

    private static void produce(EmbeddedKafkaBroker kafka, TopicPartition partition, int records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k" + i, "v" + i)).get();
            }
        }
    }

    private static List<String> linesWith(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).toList();
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

    /** Auto-configuration only (camel-kafka's component among it); no scan of the other tests' applications. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class KafkaApp {
    }
}
