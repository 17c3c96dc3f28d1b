package io.provisioninghub.routes.operator;

import io.provisioninghub.routes.common.HttpErrorHandling;
import io.provisioninghub.routes.common.HttpResponses;
import io.provisioninghub.routes.common.ResponseMetrics;
import org.apache.camel.CamelAuthorizationException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.stereotype.Component;

/**
 * What every operator route shares, on top of {@link HttpErrorHandling} ({@code .routeConfigurationId(ROUTES)}):
 * the request's trace id and actor are taken as it comes in, a caller without the route's roles gets 403, and when the
 * route has its answer the audit trail records it — before the answer leaves, so no action is answered unrecorded
 * (docs/security.md#audit-trail).
 */
@Component
class OperatorApiConfiguration extends RouteConfigurationBuilder {

    static final String ID = "operator-api";
    /** The route configurations of an operator route. */
    static final String ROUTES = HttpErrorHandling.ID + "," + ID;

    private final OperatorAudit audit;
    private final ResponseMetrics metrics;

    OperatorApiConfiguration(OperatorAudit audit, ResponseMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition operatorApi = routeConfiguration(ID);
        operatorApi.interceptFrom().process(audit::begin);
        operatorApi.onException(CamelAuthorizationException.class).handled(true)
                .process(this::forbidden);
        operatorApi.onCompletion().modeBeforeConsumer()
                .process(audit::record);
    }

    private void forbidden(Exchange exchange) {
        // The policy's id lists the roles it allows (OperatorAccess.allow).
        String roles = exchange.getMessage().getHeader(Exchange.AUTHENTICATION_FAILURE_POLICY_ID, String.class);
        metrics.record(exchange.getFromRouteId(), 403, "operator lacks the role");
        HttpResponses.write(exchange, OperatorJson.error(403, "FORBIDDEN",
                "this action needs one of the roles: " + (roles == null ? "?" : roles)));
    }
}
