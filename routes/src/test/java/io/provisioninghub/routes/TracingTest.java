package io.provisioninghub.routes;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.provisioninghub.routes.support.DeviceClient;
import io.provisioninghub.routes.support.HubInstance;
import io.provisioninghub.routes.support.LogCapture;
import io.provisioninghub.routes.support.OtlpReceiver;
import io.provisioninghub.routes.support.SharedHubTest;
import io.provisioninghub.routes.support.Subscribers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces and correlated logs (issue 14, docs/observability.md#traces and #logs), over the shared hub, which exports its
 * spans by OTLP/HTTP to a receiver in the test's JVM. One rotation is one trace: CredentialRotationTest.
 */
class TracingTest extends SharedHubTest {

    @Test // issue 14: one trace follows a device's request through its routes, the HLR lookup and the billing call
    void deviceRequestIsOneTraceWithItsHlrAndBillingCalls() throws Exception {
        Subscribers user = Subscribers.generated(96_202);
        String traceId = newTraceId();
        String traceparent = "00-" + traceId + "-0f1e2d3c4b5a6978-01";
        try (LogCapture logs = new LogCapture()) {
            // The configuration request proper (the first one only hands out the cookie), with the device's context.
            String cookie = DeviceClient.cookieOf(device.firstRequest(user.msisdn(), user.imsi())).orElseThrow();
            HttpResponse<String> answer = device.secureRequest(DeviceClient.table1(0, user.imsi()), cookie,
                    Map.of("traceparent", traceparent));
            assertThat(answer.statusCode()).isEqualTo(200);

            // The request's span; under it the HLR lookup (camel-sql) and the billing call (camel-http).
            List<String> steps = List.of("http get /", "sql", "GET");
            List<OtlpReceiver.ReceivedSpan> spans = HubInstance.sharedTraces().await(s -> s.traceId().equals(traceId),
                    found -> found.stream().map(OtlpReceiver.ReceivedSpan::name).toList().containsAll(steps),
                    Duration.ofSeconds(20));
            assertThat(spans).extracting(OtlpReceiver.ReceivedSpan::name).containsAll(steps);
            // The request's span continues the device's context: its parent is the span the device named.
            assertThat(spans).anySatisfy(s -> assertThat(s.name() + " " + s.parentSpanId())
                    .isEqualTo("http get / 0f1e2d3c4b5a6978"));
            String request = spans.stream().filter(s -> s.name().equals("http get /")).findFirst().orElseThrow().spanId();
            assertThat(spans).filteredOn(s -> s.name().equals("sql") || s.name().equals("GET"))
                    .extracting(OtlpReceiver.ReceivedSpan::parentSpanId).containsOnly(request);
            assertThat(spans).allSatisfy(s -> assertThat(s.service()).isEqualTo("provisioning-hub"));
            assertThat(HubInstance.sharedTraces().contentTypes()).contains("application/x-protobuf");

            // The access log's line of that request names its trace and flow, like the request's other lines.
            List<ILoggingEvent> access = logs.await(e -> e.getLoggerName().equals("http.access")
                    && traceId.equals(e.getMDCPropertyMap().get("traceId")), Duration.ofSeconds(5));
            assertThat(access).singleElement().satisfies(line -> {
                assertThat(line.getMDCPropertyMap()).containsEntry("flow", "configuration");
                assertThat(logs.consoleLine(line)).contains("[" + traceId + ",configuration]").contains("\"GET / HTTP/1.1\" 200");
            });
        }
    }

    @Test // issue 14: an operator's answer names the trace of the request, which the audit trail keeps too
    void operatorAnswerNamesItsTrace() throws Exception {
        String traceId = newTraceId();
        HttpResponse<String> answer = operatorAs("security").send(operatorAs("security").request("/operator/v1/audit?limit=1")
                .header("traceparent", "00-" + traceId + "-1122334455667788-01").GET().build());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Trace-Id")).hasValue(traceId);
        List<OtlpReceiver.ReceivedSpan> spans = HubInstance.sharedTraces().await(s -> s.traceId().equals(traceId),
                found -> !found.isEmpty(), Duration.ofSeconds(20));
        assertThat(spans).extracting(OtlpReceiver.ReceivedSpan::name).contains("http get /operator/v1/audit");
    }

    @Test // issue 14: CR, LF and other control characters in a message never start a line of their own
    void controlCharactersAreEscapedInTheHumanReadableFormat() {
        try (LogCapture logs = new LogCapture()) {
            ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("test");
            String hostile = "reason\r\n2026-12-07T00:00:00.000Z  INFO --- forged\u001b[2J\u0085\u2028end";
            String line = logs.consoleLine(new LoggingEvent("test", logger, Level.WARN, "dead-lettered: {}", null,
                    new Object[] {hostile}));

            assertThat(line).endsWith(System.lineSeparator());
            String body = line.substring(0, line.length() - System.lineSeparator().length());
            assertThat(body).doesNotContain("\r", "\n", "\u001b", "\u0085", "\u2028");
            assertThat(body).contains("reason\\r\\n2026-12-07T00:00:00.000Z  INFO --- forged?[2J??end");
        }
    }

    private static String newTraceId() {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
