package io.provisioninghub.connectors.smsc;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulator;
import io.provisioninghub.connectors.smsc.simulator.SmscSimulatorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.PASSWORD;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.SYSTEM_ID;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.await;
import static io.provisioninghub.connectors.smsc.CamelSmscClientTest.startHub;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hub_smsc_session_bound} and {@code hub_smsc_binds_total} (docs/observability.md) against the SMSC
 * simulator: bound, the SMSC gone, binds refused, bound again. Read back from the Prometheus exposition text, as
 * /actuator/prometheus would serve it.
 */
@ExtendWith(OutputCaptureExtension.class)
class SmscMetricsTest {

    private static final Pattern REFUSED_BIND = Pattern.compile("SMSC simulator refused a ");

    @Test
    void theBoundGaugeAndTheBindCounterFollowTheSession(CapturedOutput output) {
        try (SmscSimulator simulator = SmscSimulator.start(new SmscSimulatorSettings(0, -1, SYSTEM_ID, PASSWORD,
                false, null));
             ConfigurableApplicationContext hub = startHub(simulator.smppPort())) {
            SmscSessionSupervisor session = hub.getBean(SmscSessionSupervisor.class);
            PrometheusMeterRegistry registry = bind(hub);

            await("bound at start", Duration.ofSeconds(10), session::isBound);
            assertThat(bound(registry)).isEqualTo(1.0);
            assertThat(binds(registry, "bound")).isEqualTo(1.0);
            assertThat(binds(registry, "failed")).isZero();
            assertThat(registry.scrape())
                    .contains("hub_smsc_session_bound 1.0")
                    .contains("hub_smsc_binds_total{outcome=\"bound\"} 1.0")
                    .contains("hub_smsc_binds_total{outcome=\"failed\"} 0.0");

            // The SMSC goes away: no session, and the attempts to bind again fail (connection refused).
            simulator.down();
            await("the session lost", Duration.ofSeconds(5), () -> !session.isBound());
            assertThat(bound(registry)).isZero();
            await("a failed bind counted", Duration.ofSeconds(5), () -> binds(registry, "failed") >= 1);
            assertThat(binds(registry, "bound")).isEqualTo(1.0);

            // The SMSC is back but refuses every bind: each refusal is one failed attempt, counted once.
            double failedWhileDown = binds(registry, "failed");
            int refusedBefore = count(output, REFUSED_BIND);
            simulator.faults().refuseBinds(true);
            simulator.up();
            await("refused binds counted", Duration.ofSeconds(10), () -> binds(registry, "failed") >= failedWhileDown + 2);
            assertThat(bound(registry)).isZero();

            simulator.faults().refuseBinds(false);
            await("bound again", Duration.ofSeconds(10), session::isBound);
            assertThat(bound(registry)).isEqualTo(1.0);
            assertThat(binds(registry, "bound")).isEqualTo(2.0);
            int refused = count(output, REFUSED_BIND) - refusedBefore;
            double failedWhileRefusing = binds(registry, "failed") - failedWhileDown;
            assertThat(refused).isPositive();
            // No refused bind counted twice (the probe's own bind and its session's close), none left out.
            assertThat(failedWhileRefusing).isEqualTo(refused);
            assertThat(registry.scrape()).contains("hub_smsc_binds_total{outcome=\"bound\"} 2.0");
        }
    }

    @Test
    void withoutAnSmscTheGaugeIsZeroAndNothingIsCounted() {
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(SmscTestApplication.class)
                .web(WebApplicationType.NONE).run()) {
            PrometheusMeterRegistry registry = bind(hub);

            assertThat(bound(registry)).isZero();
            assertThat(binds(registry, "bound")).isZero();
            assertThat(binds(registry, "failed")).isZero();
        }
    }

    /** What Spring Boot's actuator does with every MeterBinder bean. */
    private static PrometheusMeterRegistry bind(ConfigurableApplicationContext hub) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        hub.getBeansOfType(MeterBinder.class).values().forEach(binder -> binder.bindTo(registry));
        return registry;
    }

    private static double bound(PrometheusMeterRegistry registry) {
        return registry.get("hub.smsc.session.bound").gauge().value();
    }

    private static double binds(PrometheusMeterRegistry registry, String outcome) {
        return registry.get("hub.smsc.binds").tag("outcome", outcome).functionCounter().count();
    }

    private static int count(CapturedOutput output, Pattern pattern) {
        Matcher matcher = pattern.matcher(output.getAll());
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
