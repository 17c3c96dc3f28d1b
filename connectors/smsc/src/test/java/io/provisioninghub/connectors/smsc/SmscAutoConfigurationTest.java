package io.provisioninghub.connectors.smsc;

import io.provisioninghub.connectors.smsc.simulator.RecordedSubmit;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulatorSettings;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How the connector starts: without an SMSC, with the SMSC down, as a transmitter, misconfigured. */
class SmscAutoConfigurationTest {

    private static final SmsMessage OTP =
            new SmsMessage("otp-1", "+4915112345678", new SmsContent.PortAddressed(37273, "12345678"));

    @Test
    void withoutAHostTheHubStartsAndEverySubmitIsUnavailable() {
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(SmscTestApplication.class)
                .web(WebApplicationType.NONE).run()) {

            SmscUnavailableException unavailable = catchThrowableOfType(
                    () -> hub.getBean(SmscClient.class).submit(OTP), SmscUnavailableException.class);

            assertThat(unavailable.getMessage()).contains("no SMSC configured", "otp-1");
            assertThat(hub.getBeansOfType(SmscRoutes.class)).isEmpty();
            assertThat(hub.getBean(SmscSessionSupervisor.class).isBound()).isFalse();
        }
    }

    // lazySessionCreation: the hub starts while the SMSC is down, and binds once it is up.
    @Test
    void theHubStartsWhileTheSmscIsDownAndBindsWhenItComesUp() {
        try (SmscSimulator simulator = SmscSimulator.start(new SmscSimulatorSettings(0, -1, "hub", "secret", false,
                null))) {
            simulator.down();
            try (ConfigurableApplicationContext hub = CamelSmscClientTest.startHub(simulator.smppPort())) {
                SmscClient client = hub.getBean(SmscClient.class);
                SmscSessionSupervisor session = hub.getBean(SmscSessionSupervisor.class);

                long started = System.nanoTime();
                assertThatThrownBy(() -> client.submit(OTP)).isInstanceOf(SmscUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
                assertThat(session.isBound()).isFalse();

                simulator.up();
                await("bound", Duration.ofSeconds(10), session::isBound);
                assertThat(client.submit(OTP)).hasSize(1);
                assertThat(simulator.submits()).hasSize(1);
            }
        }
    }

    @Test
    void aTransmitterBindsWithoutTheReceiptRouteAndAsksForNoReceipt() {
        try (SmscSimulator simulator = SmscSimulator.start(new SmscSimulatorSettings(0, -1, "hub", "secret", false,
                null));
             ConfigurableApplicationContext hub = CamelSmscClientTest.startHub(simulator.smppPort(),
                     "hub.smsc.bind-type=TRANSMITTER", "hub.smsc.registered-delivery=false",
                     "hub.smsc.source-address=4930123456", "hub.smsc.source-ton=1", "hub.smsc.source-npi=1")) {
            await("bound", Duration.ofSeconds(10), hub.getBean(SmscSessionSupervisor.class)::isBound);

            hub.getBean(SmscClient.class).submit(OTP);

            RecordedSubmit submit = simulator.submits().get(0);
            assertThat(submit.registeredDelivery()).isZero();
            assertThat(submit.sourceAddress()).isEqualTo("4930123456");
            // source_addr_ton 1, source_addr_npi 1 follow service_type (one NUL) in the PDU body
            assertThat(submit.pdu()[17]).isEqualTo((byte) 1);
            assertThat(submit.pdu()[18]).isEqualTo((byte) 1);
            assertThat(hub.getBean(CamelContext.class).getRoute(SmscRoutes.RECEIPTS_ROUTE_ID)).isNull();
        }
    }

    @Test
    void aHostWithoutSystemIdStopsTheHubAtStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(SmscTestApplication.class)
                .web(WebApplicationType.NONE).properties("hub.smsc.host=127.0.0.1").run())
                .hasStackTraceContaining("system-id is required when host is set");
    }

    // jSMPP's own bind timeout is 60 s: a longer one would never apply.
    @Test
    void aBindTimeoutOutsideOneToSixtySecondsStopsTheHubAtStart() {
        for (String timeout : new String[] {"500ms", "61s"}) {
            assertThatThrownBy(() -> new SpringApplicationBuilder(SmscTestApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("hub.smsc.host=127.0.0.1", "hub.smsc.system-id=hub", "hub.smsc.bind-timeout=" + timeout)
                    .run())
                    .hasStackTraceContaining("bindTimeout");
        }
    }

    @Test
    void defaultsAndAPasswordKeptOutOfToString() {
        SmscProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "hub.smsc.host", "smsc.example", "hub.smsc.system-id", "hub", "hub.smsc.password", "pa55",
                "hub.smsc.receipt-time-zone", "Europe/Berlin")))
                .bindOrCreate("hub.smsc", Bindable.of(SmscProperties.class));

        assertThat(properties.port()).isEqualTo(2775);
        assertThat(properties.bindType()).isEqualTo(SmscProperties.BindType.TRANSCEIVER);
        assertThat(properties.sourceAddress()).isEqualTo("Hub");
        assertThat(properties.sourceTon()).isEqualTo(5);
        assertThat(properties.destTon()).isEqualTo(1);
        assertThat(properties.destNpi()).isEqualTo(1);
        assertThat(properties.enquireLinkTimer()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.transactionTimer()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.reconnectDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.bindTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.registeredDelivery()).isTrue();
        assertThat(properties.maxSegments()).isEqualTo(6);
        assertThat(properties.receiptTimeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(properties.address()).isEqualTo("smpp://smsc.example:2775");
        assertThat(properties.toString()).contains("password=******").doesNotContain("pa55");
    }
}
