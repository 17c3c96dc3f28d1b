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
 * it is done. Routes without a group (the connectors' direct: routes) keep the flow of the route that called them. The
 * trace id and span id are put there by Micrometer Tracing while camel-observation's span is in scope.
 */
@Component
class FlowRoutePolicyFactory implements RoutePolicyFactory {

    /** Set on an exchange whose route put the flow into the MDC, so that the same route takes it out. */
    private static final String FLOW_SET = "hub.flowSet";

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
            if (request != null && request.getAttribute(FlowTracing.FLOW, RequestAttributes.SCOPE_REQUEST) == null) {
                request.setAttribute(FlowTracing.FLOW, flow, RequestAttributes.SCOPE_REQUEST);
            }
            if (MDC.get(FlowTracing.FLOW) == null) {
                MDC.put(FlowTracing.FLOW, flow);
                exchange.setProperty(FLOW_SET, Boolean.TRUE);
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.getProperty(FLOW_SET) != null) {
                MDC.remove(FlowTracing.FLOW);
            }
        }
    }
}
