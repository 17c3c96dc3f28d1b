package io.provisioninghub.routes;

import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.ProvisioningDocument;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.provisioninghub.routes.support.DeviceClient.table1;
import static org.assertj.core.api.Assertions.assertThat;

/** OPS-1, INT-4: the sandbox's stand-ins are real, reachable, and keep state across a restart. */
class SandboxTest {

    @Test // OPS-1, OPS-3: the readiness probe (management plane, plain HTTP on loopback) says the hub is ready
    void readinessProbeIsUp() {
        HubInstance hub = HubInstance.shared();
        HttpResponse<String> readiness = hub.device().get(
                "http://127.0.0.1:" + hub.managementPort() + "/actuator/health/readiness", Map.of());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }

    @Test // INT-4: the hub's Kafka (KRaft) broker is reachable at the configured address
    void kafkaBrokerIsReachable() {
        String brokers = HubInstance.shared().property("camel.component.kafka.brokers");
        Map<String, Object> common = Map.of("bootstrap.servers", brokers);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("sandbox-check", "k", "hello")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, Object> consumerProps = Map.of("bootstrap.servers", brokers, "group.id", "sandbox-check",
                "auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("sandbox-check"));
            String value = null;
            long deadline = System.currentTimeMillis() + 15000;
            while (value == null && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    value = records.iterator().next().value();
                }
            }
            assertThat(value).isEqualTo("hello");
        }
    }

    @Test // INT-4: the hub's Artemis broker is reachable and persistent messages go through it
    void artemisBrokerIsReachable() throws Exception {
        String url = HubInstance.shared().property("spring.artemis.broker-url");
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
             Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var queue = session.createQueue("sandbox.check");
            session.createProducer(queue).send(session.createTextMessage("hello"));
            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage received = (TextMessage) consumer.receive(10000);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("hello");
        }
    }

    @Test // OPS-1: a restart on the same data directory keeps state (the subscriber's version, the cookies)
    void restartKeepsState() {
        // A data directory of the test's own: one HubInstance makes up is deleted when the instance closes.
        java.nio.file.Path dir = java.nio.file.Path.of("target", "hub-instances", "restart-" + java.util.UUID.randomUUID())
                .toAbsolutePath();
        HubInstance first = HubInstance.start(Map.of("hub.sandbox.data-dir", dir.toString()));
        long version;
        String cookie;
        try {
            DeviceClient device = first.device();
            version = ProvisioningDocument.parse(device.configure("+15551000050", "001011000000050",
                    table1(0, null)).body()).version();
            cookie = DeviceClient.cookieOf(device.firstRequest("+15551000050", "001011000000050")).orElseThrow();
        } finally {
            first.close();
        }
        HubInstance again = HubInstance.start(Map.of("hub.sandbox.data-dir", dir.toString()));
        try {
            HttpResponse<String> check = again.device().secureRequest(table1(version, null), cookie, Map.of());
            assertThat(check.statusCode()).isEqualTo(200);
            ProvisioningDocument doc = ProvisioningDocument.parse(check.body());
            assertThat(doc.topLevelTypes()).containsExactly("VERS");
            assertThat(doc.version()).isEqualTo(version);
        } finally {
            again.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(dir.toFile());
        }
    }
}
