package io.provisioninghub.connectors.billing;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpEndpoint;

/**
 * Billing's catalogue (TMF620) and ordering (TMF622) for sign-up (INT-2, SIGNUP-2/3), in the same three-route
 * shape as the lookup ({@link BillingRoutes}), outermost first:
 * <pre>
 * direct:billing-orders          billing-orders          circuit breaker (its own Resilience4j breaker)
 *  └ direct:billing-orders-request billing-orders-request retries of transient failures
 *     └ direct:billing-orders-attempt billing-orders-attempt one HTTP request (camel-http) and reading the answer
 * </pre>
 * <b>Writes are retried</b> like reads (I/O errors other than timeouts, and 5xx), which is safe only because
 * every write is idempotent at billing: an order carries the caller's key as its TMF {@code externalId}, and
 * billing answers a repeated key with the order it already has. A retry after a lost answer therefore finds
 * the first order instead of creating a second subscription. Timeouts are not retried (as for reads): the
 * caller gets {@link BillingUnavailableException} and repeats the whole step later with the same key.
 * <p>
 * <b>Its own breaker</b> ({@code billingOrdersCircuitBreaker}, same {@code hub.billing.circuit-breaker.*}
 * settings): sign-ups are few and slow, device lookups many and fast; neither should open the other's breaker.
 * A 4xx is an answer (billing works), so it never counts as a failure: the attempt route hands it back in the
 * body, and {@link CamelBillingOrders} throws {@link BillingRefusedException} after the breaker.
 * <p>
 * <b>One endpoint</b> ({@code <base-url>/tmf-api}, one connection pool created at start): the method, the path
 * under it and the query travel in the {@code CamelHttpMethod}, {@code CamelHttpPath} and {@code CamelHttpQuery}
 * headers, set from the {@link BillingCall} property before every attempt, so a retry never sends what a failed
 * attempt left in the message. Answers are read from the status and body only ({@code skipResponseHeaders}).
 */
public class BillingOrderRoutes extends RouteBuilder {

    public static final String ORDERS = "direct:billing-orders";
    static final String ORDERS_REQUEST = "direct:billing-orders-request";
    static final String ORDERS_ATTEMPT = "direct:billing-orders-attempt";
    public static final String ORDERS_ROUTE_ID = "billing-orders";
    public static final String ORDERS_REQUEST_ROUTE_ID = "billing-orders-request";
    public static final String ORDERS_ATTEMPT_ROUTE_ID = "billing-orders-attempt";

    private final BillingProperties properties;
    private final String circuitBreakerBean;

    /**
     * @param circuitBreakerBean name of the Resilience4j {@code CircuitBreaker} bean in the registry
     */
    public BillingOrderRoutes(BillingProperties properties, String circuitBreakerBean) {
        this.properties = properties;
        this.circuitBreakerBean = circuitBreakerBean;
    }

    @Override
    public void configure() {
        HttpEndpoint tmfApi = tmfApiEndpoint();

        from(ORDERS).routeId(ORDERS_ROUTE_ID)
                // Failures go back to CamelBillingOrders, which turns them into BillingUnavailableException.
                .errorHandler(noErrorHandler())
                .circuitBreaker()
                    .resilience4jConfiguration()
                        .circuitBreaker(circuitBreakerBean)
                        .throwExceptionWhenHalfOpenOrOpenState(true)
                    .end()
                    .to(ORDERS_REQUEST)
                .end();

        // No logging of failures there: the exchange carries the customer's details; the caller reports.
        BillingHttp.retryingRoute(this, ORDERS_REQUEST, ORDERS_REQUEST_ROUTE_ID, ORDERS_ATTEMPT, properties);

        from(ORDERS_ATTEMPT).routeId(ORDERS_ATTEMPT_ROUTE_ID)
                .errorHandler(noErrorHandler())
                .process(BillingOrderRoutes::prepareRequest)
                .to(tmfApi)
                .process(new BillingOrderResponseReader());
    }

    private HttpEndpoint tmfApiEndpoint() {
        // Sign-ups are few: a small pool of its own, apart from the lookups' one.
        return BillingHttp.endpoint(getContext(), properties.tmfApiUrl(), properties, properties.orderResponseTimeout(),
                Math.min(properties.maxConnections(), 20));
    }

    /** The call's request, afresh for every attempt: nothing of a failed attempt's answer is sent on. */
    static void prepareRequest(Exchange exchange) {
        BillingCall call = exchange.getProperty(BillingCall.PROPERTY, BillingCall.class);
        Message in = exchange.getIn();
        // Only what an earlier attempt may have left: the error handler keeps its redelivery counter in the
        // headers too (CamelRedeliveryCounter), and clearing it would retry for ever.
        in.removeHeaders("CamelHttp*");
        in.removeHeader(Exchange.CONTENT_TYPE);
        in.setHeader(Exchange.HTTP_METHOD, call.method());
        in.setHeader(Exchange.HTTP_PATH, call.path());
        if (call.query() != null) {
            in.setHeader(Exchange.HTTP_QUERY, call.query());
        }
        in.setHeader("Accept", "application/json");
        if (call.body() != null) {
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        in.setBody(call.body());
    }
}
