package io.provisioninghub.routes.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.tracing.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: spans leave the hub only once an OTLP endpoint is set (docs/observability.md#traces). Spring Boot's
 * auto-configuration with the hub's own libraries on the classpath (the OTel bridge, the OTLP exporter over the JDK's
 * HttpClient): no exporter without {@code management.otlp.tracing.endpoint}, an OTLP/HTTP one with it. The export
 * itself is shown end to end by the shared test hub, which sends to an OTLP receiver (TracingTest).
 */
class OtlpExportSwitchTest {

    private final ApplicationContextRunner hub = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            OpenTelemetryAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
            OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class));

    @Test
    void noExporterUntilAnEndpointIsSet() {
        hub.run(context -> assertThat(context).doesNotHaveBean(SpanExporter.class));
    }

    @Test
    void otlpOverHttpOnceAnEndpointIsSet() {
        hub.withPropertyValues("management.otlp.tracing.endpoint=http://127.0.0.1:4318/v1/traces")
                .run(context -> assertThat(context).hasSingleBean(OtlpHttpSpanExporter.class));
    }
}
