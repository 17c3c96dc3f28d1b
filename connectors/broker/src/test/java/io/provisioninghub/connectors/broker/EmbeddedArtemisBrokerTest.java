package io.provisioninghub.connectors.broker;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedArtemisBrokerTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedArtemisBrokerTest.class);

    @Test
    void persistentMessageSurvivesABrokerRestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("artemis");
        long begin = System.nanoTime();
        int port;
        try (EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(data, 0)) {
            port = broker.port();
            long startMillis = (System.nanoTime() - begin) / 1_000_000;
            LOG.info("start on an empty directory: {} ms", startMillis);
            // A sanity bound only: the real figure is read from the log line above, not enforced by a timer.
            assertThat(startMillis).isLessThan(20_000);
            assertThat(broker.brokerUrl()).isEqualTo("tcp://127.0.0.1:" + broker.port());

            try (Connection connection = new ActiveMQConnectionFactory(broker.brokerUrl()).createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("hub.test.sms-outbox"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                producer.send(session.createTextMessage("sms to +15550001"));
            }
        }

        // The sandbox runs on a fixed port: restarting right away on the port just released must work too.
        begin = System.nanoTime();
        try (EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(data, port);
             Connection connection = new ActiveMQConnectionFactory(broker.brokerUrl()).createConnection()) {
            LOG.info("restart on an existing directory: {} ms", (System.nanoTime() - begin) / 1_000_000);
            assertThat(broker.brokerUrl()).isEqualTo("tcp://127.0.0.1:" + port);
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("hub.test.sms-outbox"));
            Message received = consumer.receive(5_000);
            assertThat(received).as("message sent before the restart").isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) received).getText()).isEqualTo("sms to +15550001");
            assertThat(consumer.receiveNoWait()).as("exactly one message was kept").isNull();
        }
    }

    @Test
    void messageRolledBackOnEveryAttemptEndsUpInDlqWithItsBody(@TempDir Path dir) throws Exception {
        try (EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(dir.resolve("artemis"), 0);
             Connection connection = new ActiveMQConnectionFactory(broker.brokerUrl()).createConnection()) {
            connection.start();
            Session sender = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue work = sender.createQueue("hub.test.campaign-work");
            TextMessage poison = sender.createTextMessage("{\"campaign\":\"c-42\",\"msisdn\":\"+15550002\"}");
            poison.setStringProperty("campaignId", "c-42");
            sender.createProducer(work).send(poison);

            // A transacted consumer that fails every time, as a route whose downstream keeps failing would.
            Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = transacted.createConsumer(work);
            List<Long> deliveredAt = new ArrayList<>();
            for (int attempt = 1; attempt <= EmbeddedArtemisBroker.MAX_DELIVERY_ATTEMPTS; attempt++) {
                Message delivery = consumer.receive(10_000);
                assertThat(delivery).as("delivery attempt %d", attempt).isNotNull();
                assertThat(delivery.getIntProperty("JMSXDeliveryCount")).isEqualTo(attempt);
                deliveredAt.add(System.nanoTime());
                transacted.rollback();
            }
            // After the last attempt the broker moves the message instead of delivering it a sixth time.
            assertThat(consumer.receive(1_000)).isNull();

            // The redelivery delay grows 500 ms, 1 s, 2 s, 4 s; 10% slack for timer and scheduling jitter.
            for (int gap = 0; gap < deliveredAt.size() - 1; gap++) {
                long gapMillis = (deliveredAt.get(gap + 1) - deliveredAt.get(gap)) / 1_000_000;
                long expected = (long) (EmbeddedArtemisBroker.REDELIVERY_DELAY_MS * Math.pow(2, gap));
                assertThat(gapMillis).as("delay before attempt %d", gap + 2).isGreaterThanOrEqualTo(expected * 9 / 10);
            }

            MessageConsumer dlq = sender.createConsumer(sender.createQueue(EmbeddedArtemisBroker.DEAD_LETTER_QUEUE));
            Message dead = dlq.receive(5_000);
            assertThat(dead).as("message in DLQ").isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) dead).getText()).isEqualTo("{\"campaign\":\"c-42\",\"msisdn\":\"+15550002\"}");
            assertThat(dead.getStringProperty("campaignId")).isEqualTo("c-42");
            // Where it came from, for the operator console and for a replay.
            assertThat(dead.getStringProperty("_AMQ_ORIG_QUEUE")).isEqualTo("hub.test.campaign-work");
        }
    }

    @Test
    void failsToStartWhenItsPortIsTakenAndLeavesTheDirectoryUsable(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("artemis");
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // Artemis itself only logs a failed bind and runs on, unreachable; start() must refuse instead.
            assertThatThrownBy(() -> EmbeddedArtemisBroker.start(data, squatter.getLocalPort()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(Integer.toString(squatter.getLocalPort()));
        }
        // The failed start released the journal lock: the same directory starts and serves on a free port.
        try (EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(data, 0);
             Connection connection = new ActiveMQConnectionFactory(broker.brokerUrl()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("hub.test.after-failed-start")).send(session.createTextMessage("ok"));
            connection.start();
            Message received = session.createConsumer(session.createQueue("hub.test.after-failed-start")).receive(5_000);
            assertThat(((TextMessage) received).getText()).isEqualTo("ok");
        }
    }
}
