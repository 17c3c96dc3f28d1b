package io.provisioninghub.connectors.events;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub reaches Kafka through camel-kafka configured by Spring Boot properties alone. This runs that path
 * against the embedded broker, with the property the README tells operators to set for a real cluster.
 */
class CamelKafkaOnEmbeddedBrokerTest {

    private static final String TOPIC = "hub.test.camel-events";

    @Test
    void camelKafkaConfiguredOnlyByPropertiesRoundTripsARecord(@TempDir Path dir) throws Exception {
        // try-with-resources closes in reverse order: Camel's consumers stop before the broker they poll.
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             ConfigurableApplicationContext app = new SpringApplicationBuilder(KafkaSandboxApp.class)
                     .web(WebApplicationType.NONE)
                     .properties(
                             "camel.component.kafka.brokers=" + kafka.bootstrapServers(),
                             "camel.component.kafka.poll-timeout-ms=500",
                             "camel.component.kafka.auto-offset-reset=earliest")
                     .run()) {
            ProducerTemplate producer = app.getBean(ProducerTemplate.class);
            ConsumerTemplate consumer = app.getBean(ConsumerTemplate.class);

            producer.sendBodyAndHeader("kafka:" + TOPIC, "{\"msisdn\":\"+15550001\"}", KafkaConstants.KEY, "+15550001");

            Exchange received = consumer.receive("seda:received", 20_000);
            assertThat(received).as("record consumed by the Camel route").isNotNull();
            assertThat(received.getMessage().getBody(String.class)).isEqualTo("{\"msisdn\":\"+15550001\"}");
            assertThat(received.getMessage().getHeader(KafkaConstants.KEY, String.class)).isEqualTo("+15550001");
            assertThat(received.getMessage().getHeader(KafkaConstants.TOPIC, String.class)).isEqualTo(TOPIC);
        }
    }

    @SpringBootApplication
    static class KafkaSandboxApp {
        @Bean
        RouteBuilder kafkaToSeda() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("kafka:" + TOPIC + "?groupId=hub-camel-test").routeId("test-kafka-consume")
                            .to("seda:received");
                }
            };
        }
    }
}
