package io.provisioninghub.routes.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.NamedNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.tracing.SpanDecorator;
import org.apache.camel.tracing.decorators.AbstractSpanDecorator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Spans of the routes' endpoints (camel-observation): a span for each send to a direct:, sql:, http:, kafka: or jms:
 * endpoint, child of whatever span the sending thread is in, with the W3C context written into the outgoing HTTP, Kafka
 * and JMS headers; a consumed JMS message continues the context it carries.
 * <p>
 * Not camel-observation-starter: with Spring Boot's actuator on the classpath its auto-configuration steps aside, and
 * it would hand Camel the application's ObservationRegistry, whose meter handler makes a timer of every endpoint
 * observation, named after whatever the endpoint is (a topic, a queue). Camel gets a registry of its own here that only
 * traces; the trace is still one, since a span without a Camel parent takes the thread's current span as its parent.
 */
@Configuration(proxyBeanMethods = false)
class CamelTracing {

    /**
     * Left out: platform-http (Spring MVC's server observation is the request's span, continuing the device's or
     * operator's traceparent), timers (a trace per tick of the sign-up recovery), and direct: (the hub's own sub-routes:
     * a span for each call and another for the route it enters, eight per configuration request, while the endpoints
     * under them, sql: for the HLR and http: for billing, say what the calls did). The rotation intake's batching Kafka
     * consumer keeps its span (one per batch); each record's rotation has its trace besides (RotationRequestRoute).
     */
    static final List<String> UNTRACED = List.of("platform-http:", "timer:", "direct:");

    @Bean(initMethod = "", destroyMethod = "")
    MicrometerObservationTracer camelObservationTracer(CamelContext camel, Tracer tracer, Propagator propagator) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        MicrometerObservationTracer camelTracer = new SelectiveObservationTracer();
        camelTracer.setTracer(tracer);
        camelTracer.setObservationRegistry(registry);
        camelTracer.init(camel);
        return camelTracer;
    }

    /**
     * camel-observation leaving out {@link #UNTRACED} by the endpoint's scheme. Not its excludePatterns: those are
     * matched against every endpoint on every send (URI normalisation and a regex compiled each time), a quarter of the
     * CPU of a configuration request in the benchmark's profile (docs/benchmarks.md).
     */
    static final class SelectiveObservationTracer extends MicrometerObservationTracer {

        private static final SpanDecorator NO_SPAN = new AbstractSpanDecorator() {
            @Override
            public boolean newSpan() {
                return false;
            }

            @Override
            public String getComponent() {
                return "untraced";
            }

            @Override
            public String getComponentClassName() {
                return null;
            }
        };

        static boolean untraced(String uri) {
            if (uri == null) {
                return false;
            }
            for (String scheme : UNTRACED) {
                if (uri.startsWith(scheme)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        protected SpanDecorator getSpanDecorator(Endpoint endpoint) {
            return untraced(endpoint.getEndpointUri()) ? NO_SPAN : super.getSpanDecorator(endpoint);
        }

        @Override
        public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
            if (route instanceof RouteDefinition definition && definition.getInput() != null
                    && untraced(definition.getInput().getEndpointUri())) {
                return null;
            }
            return super.createRoutePolicy(camelContext, routeId, route);
        }
    }

    /**
     * Boot's tracing handler, minus the scheduled tasks (metric refreshes, housekeeping, leader checks): a trace per tick
     * would bury the ones that matter. Their timers (tasks_scheduled_execution_seconds) stay: the metrics handler needs
     * a tracing context on the observation, so an empty one (no span) is left there.
     */
    @Bean
    DefaultTracingObservationHandler defaultTracingObservationHandler(Tracer tracer) {
        return new UntracedScheduledTasks(tracer);
    }

    static final class UntracedScheduledTasks extends DefaultTracingObservationHandler {

        UntracedScheduledTasks(Tracer tracer) {
            super(tracer);
        }

        private static boolean untraced(Observation.Context context) {
            return "tasks.scheduled.execution".equals(context.getName());
        }

        @Override
        public void onStart(Observation.Context context) {
            if (untraced(context)) {
                getTracingContext(context);
            } else {
                super.onStart(context);
            }
        }

        @Override
        public void onScopeOpened(Observation.Context context) {
            if (!untraced(context)) {
                super.onScopeOpened(context);
            }
        }

        @Override
        public void onScopeClosed(Observation.Context context) {
            if (!untraced(context)) {
                super.onScopeClosed(context);
            }
        }

        @Override
        public void onScopeReset(Observation.Context context) {
            if (!untraced(context)) {
                super.onScopeReset(context);
            }
        }

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            if (!untraced(context)) {
                super.onEvent(event, context);
            }
        }

        @Override
        public void onError(Observation.Context context) {
            if (!untraced(context)) {
                super.onError(context);
            }
        }

        @Override
        public void onStop(Observation.Context context) {
            if (!untraced(context)) {
                super.onStop(context);
            }
        }
    }
}
