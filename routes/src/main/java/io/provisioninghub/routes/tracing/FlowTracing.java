package io.provisioninghub.routes.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Carries a trace across the hub's asynchronous hops that no transport header crosses (docs/observability.md#traces).
 * A rotation's trace context is kept with the rotation (a column) and with its trigger SMS (a field of the outbox
 * message), as a W3C {@code traceparent} value; whoever picks the work up later (the SMS sender, the device's proposal)
 * continues that trace here. Within a Camel route the context travels by itself: camel-observation makes a span of
 * every endpoint and writes the context into Kafka headers and JMS properties.
 * <p>
 * Every piece of work handled here also names its flow in the log lines ({@link #FLOW}), like the routes do
 * ({@link FlowRoutePolicyFactory}).
 */
@Component
public class FlowTracing {

    /** The MDC key naming the flow a log line was written for: configuration, sms, rotation, campaign, signup, operator. */
    public static final String FLOW = "flow";
    /** The W3C Trace Context header (HTTP), record header (Kafka) and message property (JMS). */
    public static final String TRACEPARENT = "traceparent";
    private static final String OBSERVATION = "hub.span";
    /** W3C Trace Context level 1, version 00: what is stored and sent. Anything else starts a new trace. */
    private static final Pattern VALID = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private final ObservationRegistry registry;
    private final Tracer tracer;
    private final Propagator propagator;

    FlowTracing(ObservationRegistry registry, Tracer tracer, Propagator propagator) {
        this.registry = registry;
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** @return the current span's {@code traceparent}, or null outside any span */
    public String current() {
        Span span = tracer.currentSpan();
        return span == null ? null : traceParent(span.context());
    }

    /** @return the current trace id (32 hex digits), or null outside any span */
    public String currentTraceId() {
        Span span = tracer.currentSpan();
        return span == null ? null : span.context().traceId();
    }

    /**
     * Records one step that happens at once (a rotation requested in a batch, a device queued by a campaign) as a span
     * continuing {@code parent} (a new trace when null or not a W3C traceparent).
     *
     * @return the step's {@code traceparent}, for the work that follows it later
     */
    public String step(String name, String flow, String parent) {
        Observation observation = start(name, flow, parent);
        try {
            return traceParent(observation);
        } finally {
            observation.stop();
        }
    }

    /**
     * Runs {@code work} in a span continuing {@code parent} (a new trace when null or not a W3C traceparent), with the
     * trace id and the flow on every log line it writes.
     */
    public <T> T within(String name, String flow, String parent, Supplier<T> work) {
        Observation observation = start(name, flow, parent);
        String previousFlow = MDC.get(FLOW);
        MDC.put(FLOW, flow);
        try (Observation.Scope ignored = observation.openScope()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            observation.error(e);
            throw e;
        } finally {
            restore(previousFlow);
            observation.stop();
        }
    }

    /** {@link #within(String, String, String, Supplier)} for work without a result. */
    public void run(String name, String flow, String parent, Runnable work) {
        within(name, flow, parent, () -> {
            work.run();
            return null;
        });
    }

    /** A thread's whole work for one flow (a campaign's threads): every line it writes names the flow. */
    public static Runnable inFlow(String flow, Runnable work) {
        return () -> {
            MDC.put(FLOW, flow);
            work.run();
        };
    }

    private Observation start(String name, String flow, String parent) {
        // A receiver context: the tracing handler takes the parent from the carrier alone, not from whatever span the
        // calling thread is in (a device's proposal continues its rotation's trace, not its HTTP request's).
        Map<String, String> carrier = new HashMap<>(2);
        if (parent != null && VALID.matcher(parent).matches()) {
            carrier.put(TRACEPARENT, parent);
        }
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get);
        context.setCarrier(carrier);
        // One observation name for all of them, so that management.metrics.enable.hub.span=false keeps them out of the
        // metrics; the span's name is the step's.
        return Observation.createNotStarted(OBSERVATION, () -> context, registry)
                .contextualName(name)
                .lowCardinalityKeyValue(FLOW, flow)
                .start();
    }

    private String traceParent(Observation observation) {
        TracingObservationHandler.TracingContext tracing =
                observation.getContextView().get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        return span == null ? null : traceParent(span.context());
    }

    private String traceParent(TraceContext context) {
        Map<String, String> headers = new HashMap<>(2);
        propagator.inject(context, headers, Map::put);
        return headers.get(TRACEPARENT);
    }

    private static void restore(String previousFlow) {
        if (previousFlow == null) {
            MDC.remove(FLOW);
        } else {
            MDC.put(FLOW, previousFlow);
        }
    }
}
