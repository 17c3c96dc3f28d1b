package io.provisioninghub.connectors.events;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKafkaBrokerTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerTest.class);

    @Test
    void acceptsRecordsAndServesThemBackToAConsumerGroup(@TempDir Path dir) throws Exception {
        long begin = System.nanoTime();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0)) {
            long startMillis = (System.nanoTime() - begin) / 1_000_000;
            LOG.info("start on an empty directory: {} ms", startMillis);
            // A sanity bound only: the real figure is read from the log line above, not enforced by a timer.
            assertThat(startMillis).isLessThan(20_000);
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());

            // The topic does not exist yet: auto-creation is what the sandbox relies on.
            RecordMetadata sent = send(kafka, "hub.test.device-events", "imsi-001010000000001", "{\"type\":\"attached\"}");
            assertThat(sent.offset()).isZero();

            List<ConsumerRecord<String, String>> received = poll(kafka, "hub.test.device-events", "hub-test", 1);
            assertThat(received).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("imsi-001010000000001");
                assertThat(r.value()).isEqualTo("{\"type\":\"attached\"}");
            });
        }
    }

    @Test
    void keepsClusterTopicsRecordsAndCommittedOffsetsAcrossARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("kafka");
        String clusterId;
        int port;
        int controllerPort;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(data, 0, 0)) {
            clusterId = kafka.clusterId();
            port = kafka.port();
            controllerPort = kafka.controllerPort();
            send(kafka, "hub.test.outbox", "k1", "before restart");
            // This group reads and commits the first record; after the restart it must not see it again.
            assertThat(poll(kafka, "hub.test.outbox", "committed-group", 1))
                    .extracting(ConsumerRecord::value).containsExactly("before restart");
        }
        assertThat(data.resolve("meta.properties")).exists();

        // The sandbox runs on fixed ports: restarting right away on the ports just released must work too.
        long begin = System.nanoTime();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(data, port, controllerPort)) {
            LOG.info("restart on an existing directory: {} ms", (System.nanoTime() - begin) / 1_000_000);
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(kafka.clusterId()).isEqualTo(clusterId);

            // A new group starting from the earliest offset finds the record written before the restart.
            assertThat(poll(kafka, "hub.test.outbox", "fresh-group", 1))
                    .extracting(ConsumerRecord::value).containsExactly("before restart");

            // The group that committed before the restart resumes after its committed offset.
            send(kafka, "hub.test.outbox", "k2", "after restart");
            assertThat(poll(kafka, "hub.test.outbox", "committed-group", 1))
                    .extracting(ConsumerRecord::value).containsExactly("after restart");
        }
    }

    @Test
    void refusesToFormatADirectoryThatHoldsSomethingElse(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("not-kafka"));
        Path stray = Files.writeString(data.resolve("notes.txt"), "keep me");

        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(data, 0, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to format");
        assertThat(stray).hasContent("keep me");
        assertThat(data.resolve("meta.properties")).doesNotExist();
    }

    @Test
    void failsToStartWhenItsPortIsTakenAndLeavesTheDirectoryUsable(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("kafka");
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(data, squatter.getLocalPort(), 0))
                    .isInstanceOf(RuntimeException.class)
                    .hasStackTraceContaining("failed to bind to 127.0.0.1:" + squatter.getLocalPort());
        }
        // The failed start released the log directory lock and its threads: the same directory starts and serves.
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(data, 0, 0)) {
            send(kafka, "hub.test.after-failed-start", "k", "ok");
            assertThat(poll(kafka, "hub.test.after-failed-start", "g", 1))
                    .extracting(ConsumerRecord::value).containsExactly("ok");
        }
    }

    @Test
    void triesAgainWithFreshPortsWhenAPortItChoseWasTakenBeforeItBound(@TempDir Path dir) throws Exception {
        // The race the retry is for: a port probed free is taken by another process before Kafka binds it.
        // Here the first "free" port handed out (for the broker, then the controller) is one a squatter holds.
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int taken = squatter.getLocalPort();
            List<Integer> handedOut = new ArrayList<>();
            EmbeddedKafkaBroker.FreePorts firstOneTaken = notThis -> {
                int next = handedOut.isEmpty() ? taken : probeFreePort();
                handedOut.add(next);
                return next;
            };
            try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0, firstOneTaken)) {
                assertThat(kafka.port()).isNotEqualTo(taken);
                assertThat(handedOut).hasSize(4).startsWith(taken);
                send(kafka, "hub.test.after-retry", "k", "ok");
                assertThat(poll(kafka, "hub.test.after-retry", "g", 1))
                        .extracting(ConsumerRecord::value).containsExactly("ok");
            }
        }
    }

    @Test
    void doesNotTryAgainWhenTheCallersOwnPortIsTaken(@TempDir Path dir) throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Integer> handedOut = new ArrayList<>();
            EmbeddedKafkaBroker.FreePorts counting = notThis -> {
                int next = probeFreePort();
                handedOut.add(next);
                return next;
            };
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dir.resolve("kafka"), squatter.getLocalPort(), 0, counting))
                    .hasStackTraceContaining("failed to bind to 127.0.0.1:" + squatter.getLocalPort());
            assertThat(handedOut).hasSize(1);
        }
    }

    private static int probeFreePort() throws java.io.IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    private static RecordMetadata send(EmbeddedKafkaBroker kafka, String topic, String key, String value)
            throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Polls until {@code expected} records arrived (or 15 s passed), commits them, and returns them. */
    private static List<ConsumerRecord<String, String>> poll(EmbeddedKafkaBroker kafka, String topic, String group,
                                                             int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            consumer.commitSync();
        }
        return received;
    }
}
