package io.provisioninghub.connectors.broker;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
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
 * The hub reaches Artemis through camel-jms on Spring Boot's Artemis auto-configuration, set by properties alone.
 * This runs that path against the embedded broker with the exact properties the README gives, and checks that
 * Spring Boot's own embedded (non-persistent) Artemis stays off although its classes are on the classpath.
 */
class CamelJmsOnEmbeddedBrokerTest {

    @Test
    void springBootNativeModeConnectsCamelJmsToTheEmbeddedBroker(@TempDir Path dir) throws Exception {
        // try-with-resources closes in reverse order: Camel's listeners stop before the broker they read from.
        try (EmbeddedArtemisBroker broker = EmbeddedArtemisBroker.start(dir.resolve("artemis"), 0);
             ConfigurableApplicationContext app = new SpringApplicationBuilder(BrokerSandboxApp.class)
                     .web(WebApplicationType.NONE)
                     .properties(
                             "spring.artemis.mode=native",
                             "spring.artemis.broker-url=" + broker.brokerUrl(),
                             "spring.artemis.embedded.enabled=false")
                     .run();
             Connection direct = new ActiveMQConnectionFactory(broker.brokerUrl()).createConnection()) {
            assertThat(app.getBeansOfType(EmbeddedActiveMQ.class)).as("Spring Boot's embedded Artemis").isEmpty();
            direct.start();
            Session session = direct.createSession(false, Session.AUTO_ACKNOWLEDGE);

            // Camel sends; a plain client on brokerUrl() receives: the message went through this broker.
            app.getBean(ProducerTemplate.class).sendBody("jms:queue:hub.test.sms-outbox", "outbound sms");
            Message outbound = session.createConsumer(session.createQueue("hub.test.sms-outbox")).receive(5_000);
            assertThat(outbound).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) outbound).getText()).isEqualTo("outbound sms");

            // A plain client sends; the Camel route consumes.
            session.createProducer(session.createQueue("hub.test.campaign-work"))
                    .send(session.createTextMessage("campaign item"));
            String consumed = app.getBean(ConsumerTemplate.class).receiveBody("seda:received", 10_000, String.class);
            assertThat(consumed).isEqualTo("campaign item");
        }
    }

    @SpringBootApplication
    static class BrokerSandboxApp {
        @Bean
        RouteBuilder jmsToSeda() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:hub.test.campaign-work").routeId("test-jms-consume").to("seda:received");
                }
            };
        }
    }
}
