package io.provisioninghub.routes.support;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver in the test's JVM (what an OpenTelemetry Collector's otlp receiver is to the hub):
 * {@code POST /v1/traces} with an ExportTraceServiceRequest in protobuf, the way the hub's exporter sends it once
 * {@code management.otlp.tracing.endpoint} is set. Keeps every span it was sent.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One span as received: hex ids, the name, the service that sent it. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String service) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                    receiver.contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                    receiver.accept(ExportTraceServiceRequest.parseFrom(body));
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1);
                } catch (IOException | RuntimeException e) {
                    exchange.sendResponseHeaders(400, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the hub's {@code management.otlp.tracing.endpoint} is set to. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    public List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    private void accept(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name")).map(a -> a.getValue().getStringValue())
                    .findFirst().orElse(null);
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (var span : scope.getSpansList()) {
                    spans.add(new ReceivedSpan(hex.formatHex(span.getTraceId().toByteArray()),
                            hex.formatHex(span.getSpanId().toByteArray()),
                            span.getParentSpanId().isEmpty() ? null : hex.formatHex(span.getParentSpanId().toByteArray()),
                            span.getName(), service));
                }
            }
        }
    }

    /** Every span received so far. */
    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The spans received so far that match; waits until {@code until} holds for them or the time is up. */
    public List<ReceivedSpan> await(Predicate<ReceivedSpan> match, Predicate<List<ReceivedSpan>> until, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReceivedSpan> found = new ArrayList<>(spans.stream().filter(match).toList());
            if (until.test(found) || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
