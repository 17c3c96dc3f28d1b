package io.provisioninghub.routes.tracing;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Names the flow on every log line written while a route handles an exchange: the route's group
 * ({@code .routeGroup("rotation")}) goes into the MDC as {@link FlowTracing#FLOW} when the exchange begins, and out when
 * it is done. Only the consumer routes that start a piece of work have a group; the direct: routes they call (the
 * connectors') have none and keep the caller's flow. The trace id and span id are put there by Micrometer Tracing
 * while a span is in scope.
 */
@Component
class FlowRoutePolicyFactory implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        String flow = route instanceof RouteDefinition definition ? definition.getGroup() : null;
        return flow == null ? null : new FlowPolicy(flow);
    }

    private static final class FlowPolicy extends RoutePolicySupport {
        private final String flow;

        FlowPolicy(String flow) {
            this.flow = flow;
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            // An HTTP request keeps its flow for its access log line, written after the route is done.
            RequestAttributes request = RequestContextHolder.getRequestAttributes();
            if (request != null) {
                request.setAttribute(FlowTracing.FLOW, flow, RequestAttributes.SCOPE_REQUEST);
            }
            // Set whatever the thread had: only consumer routes have a group, so this exchange is a new piece of
            // work, and a value left on a pooled thread by work that ended elsewhere must not stick to it.
            MDC.put(FlowTracing.FLOW, flow);
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            MDC.remove(FlowTracing.FLOW);
        }
    }
}
