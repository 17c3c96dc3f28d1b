package io.provisioninghub.connectors.billing;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The billing lookup (INT-2) as three small routes, outermost first:
 * <pre>
 * direct:billing-products-of       billing-products-of       circuit breaker (Resilience4j); no retries here
 *  └ direct:billing-products-request billing-products-request retries of transient failures
 *     └ direct:billing-products-attempt billing-products-attempt one HTTP GET (camel-http) and reading the answer
 * </pre>
 * <b>Retry inside the breaker</b>: the breaker sees one outcome per lookup, after its retries, so a single
 * lost packet does not count as a failure, and once the breaker is open no retry is even attempted. The order
 * needs a route boundary: Camel's circuit breaker does not run an error handler inside itself, so the retrying
 * error handler lives on the request route and redelivers its call to the attempt route (each redelivery is
 * a whole new HTTP request from the original message).
 * <p>
 * <b>What is retried</b>: I/O errors other than timeouts (connection refused or reset, no response on a stale
 * keep-alive connection) and HTTP 5xx. Not a timeout: a billing that took the whole response timeout once is
 * likely to do it again, and retrying would multiply the device's wait (the caller answers 503 + Retry-After
 * instead). Not a 4xx or a malformed answer: the same request gets the same answer.
 * <p>
 * <b>Hot path</b>: one fixed HTTP endpoint (one connection pool, created once), the subscriber in the
 * {@code CamelHttpQuery} header, URL-encoded. No {@code toD}: a dynamic URI per subscriber would create and
 * cache an endpoint (and a pool) per MSISDN.
 */
public class BillingRoutes extends RouteBuilder {

    /** What {@link CamelBillingClient} calls: body = MSISDN (E.164), result body = {@code Optional<List<BillingProduct>>}. */
    public static final String PRODUCTS_OF = "direct:billing-products-of";
    public static final String PRODUCTS_OF_ROUTE_ID = "billing-products-of";
    static final String PRODUCTS_REQUEST = "direct:billing-products-request";
    public static final String PRODUCTS_REQUEST_ROUTE_ID = "billing-products-request";
    static final String PRODUCTS_ATTEMPT = "direct:billing-products-attempt";
    public static final String PRODUCTS_ATTEMPT_ROUTE_ID = "billing-products-attempt";

    /** TMF637 filter by related party: the subscriber's MSISDN. */
    static final String RELATED_PARTY_QUERY = "relatedParty.id=";

    private static final Logger LOG = LoggerFactory.getLogger(BillingRoutes.class);

    private final BillingProperties properties;
    private final String circuitBreakerBean;

    /**
     * @param circuitBreakerBean name of the Resilience4j {@code CircuitBreaker} bean in the registry
     */
    public BillingRoutes(BillingProperties properties, String circuitBreakerBean) {
        this.properties = properties;
        this.circuitBreakerBean = circuitBreakerBean;
    }

    @Override
    public void configure() {
        if (properties.hasCredentials() && !"https".equalsIgnoreCase(properties.baseUrl().getScheme())) {
            LOG.warn("hub.billing credentials are configured for a plain-http base-url: they travel unencrypted");
        }
        HttpEndpoint inventory = productInventoryEndpoint();

        from(PRODUCTS_OF).routeId(PRODUCTS_OF_ROUTE_ID)
                // Failures go back to CamelBillingClient, which turns them into BillingUnavailableException.
                .errorHandler(noErrorHandler())
                .process(BillingRoutes::prepareInventoryQuery)
                .circuitBreaker()
                    .resilience4jConfiguration()
                        .circuitBreaker(circuitBreakerBean)
                        // Without it an open breaker would let the exchange through as if it had succeeded.
                        .throwExceptionWhenHalfOpenOrOpenState(true)
                    .end()
                    .to(PRODUCTS_REQUEST)
                .end();

        // No logging of failures there: exhausted exchanges carry the subscriber, and the caller logs.
        BillingHttp.retryingRoute(this, PRODUCTS_REQUEST, PRODUCTS_REQUEST_ROUTE_ID, PRODUCTS_ATTEMPT, properties);

        from(PRODUCTS_ATTEMPT).routeId(PRODUCTS_ATTEMPT_ROUTE_ID)
                // The request route redelivers this whole route; nothing is retried in here.
                .errorHandler(noErrorHandler())
                .to(inventory)
                .process(new BillingResponseReader());
    }

    /** The one HTTP endpoint of the lookup; its options are fixed at start, only the query varies per call. */
    private HttpEndpoint productInventoryEndpoint() {
        return BillingHttp.endpoint(getContext(), properties.productInventoryUrl(), properties,
                properties.responseTimeout(), properties.maxConnections(), "httpMethod=GET");
    }

    /** MSISDN body → TMF637 query; the body is emptied (a GET has none) so it cannot travel further. */
    static void prepareInventoryQuery(Exchange exchange) {
        Message in = exchange.getIn();
        String msisdn = in.getBody(String.class);
        in.setBody(null);
        in.setHeader(Exchange.HTTP_QUERY, RELATED_PARTY_QUERY + URLEncoder.encode(msisdn, StandardCharsets.UTF_8));
        in.setHeader("Accept", "application/json");
    }

    /** Transient: HTTP 5xx, or an I/O error that is not a timeout. */
    static boolean isTransient(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BillingServerErrorException) {
                return true;
            }
            if (t instanceof InterruptedIOException) {
                // SocketTimeoutException, ConnectTimeoutException, ConnectionRequestTimeoutException
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
