package io.provisioninghub.routes.support;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/** The hub's real Kafka broker as a security team's system sees it: records published and read back. */
public final class KafkaTopics implements AutoCloseable {

    private final String brokers;
    private final KafkaProducer<String, String> producer;

    public KafkaTopics(HubInstance hub) {
        this.brokers = hub.property("camel.component.kafka.brokers");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    /** A rotation-requested CloudEvent (schemas json/rotation/rotation-requested.v1). */
    public static String rotationRequested(String id, String imsi, String reason) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"urn:test:security\","
                + "\"type\":\"io.provisioninghub.rotation.requested.v1\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"imsi\":\"" + imsi + "\",\"reason\":\"" + reason + "\"}}";
    }

    public void send(String topic, String key, String value) {
        send(topic, key, value, java.util.Map.of());
    }

    /** With record headers (a W3C traceparent, say), UTF-8. */
    public void send(String topic, String key, String value, java.util.Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, header) -> record.headers().add(name, header.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every wanted record on the topic from its beginning, until {@code count} were found or the time is up. */
    public List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout,
                                                     Predicate<ConsumerRecord<String, String>> wanted) {
        return read(topic, count, timeout, wanted, found -> false);
    }

    /** The same, stopping early as soon as {@code enough} holds for the records found. */
    public List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout,
                                                     Predicate<ConsumerRecord<String, String>> wanted,
                                                     Predicate<List<ConsumerRecord<String, String>>> enough) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < count && !enough.test(found) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (wanted.test(record)) {
                        found.add(record);
                    }
                });
            }
        }
        return found;
    }

    @Override
    public void close() {
        producer.close();
    }
}
