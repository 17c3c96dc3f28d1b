package io.provisioninghub.connectors.billing;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the billing lookup ({@link BillingRoutes}) and the billing orders ({@link BillingOrderRoutes}) do alike:
 * their camel-http endpoint with bounded timeouts and pool, and the route that retries transient failures of one
 * attempt (inside the circuit breaker, see {@link BillingRoutes} for why the order needs a route boundary).
 */
final class BillingHttp {

    /** An idle pooled connection older than this is checked before reuse (billing may have closed it). */
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(1);

    private BillingHttp() {
    }

    /**
     * One fixed endpoint (one connection pool, created once); only headers vary per call.
     *
     * @param extraOptions further camel-http options ({@code name=value})
     */
    static HttpEndpoint endpoint(CamelContext camel, String url, BillingProperties properties, Duration responseTimeout,
                                 int maxConnections, String... extraOptions) {
        long connectMs = properties.connectTimeout().toMillis();
        long responseMs = responseTimeout.toMillis();
        List<String> options = new ArrayList<>(List.of(extraOptions));
        options.addAll(List.of(
                // Statuses are read by the response readers: 404 is an answer, and camel-http's exception message
                // would quote the full URL, subscriber included.
                "throwExceptionOnFailure=false",
                "followRedirects=false",
                "connectTimeout=" + connectMs,
                "responseTimeout=" + responseMs,
                // Waiting for a pooled connection is bounded too: an exhausted pool must fail, not queue for ever.
                "connectionRequestTimeout=" + connectMs,
                "maxTotalConnections=" + maxConnections,
                "connectionsPerRoute=" + maxConnections,
                // Only the status and body are used; copying billing's headers would cost on every call.
                "skipResponseHeaders=true",
                "userAgent=provisioning-hub"));
        HttpEndpoint endpoint = camel.getEndpoint(url + "?" + String.join("&", options), HttpEndpoint.class);
        endpoint.setHttpClientConfigurer(new BillingHttpClientConfigurer(properties));
        if (endpoint.getClientConnectionManager() instanceof PoolingHttpClientConnectionManager pool) {
            // HttpClient 5 takes the connect timeout from the connection manager; camel-http sets it on the
            // request configuration only. Socket timeout = response timeout bounds every read.
            pool.setDefaultConnectionConfig(ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.ofMilliseconds(connectMs))
                    .setSocketTimeout(Timeout.ofMilliseconds(responseMs))
                    .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                    .build());
        }
        return endpoint;
    }

    /**
     * {@code from(requestUri)}: sends to {@code attemptUri} and redelivers the whole attempt on a transient failure
     * ({@link BillingRoutes#isTransient}), {@code hub.billing.retries} times. Nothing is logged here: the exchange
     * carries the subscriber or the customer's details, and the caller reports.
     */
    static void retryingRoute(RouteBuilder routes, String requestUri, String routeId, String attemptUri,
                              BillingProperties properties) {
        routes.from(requestUri).routeId(routeId)
                .errorHandler(routes.defaultErrorHandler().logExhausted(false).logRetryAttempted(false))
                .onException(IOException.class, BillingServerErrorException.class)
                    .onWhen(BillingRoutes::isTransient)
                    .maximumRedeliveries(properties.retries())
                    .redeliveryDelay(properties.retryDelay().toMillis())
                    .logExhausted(false)
                    .logRetryAttempted(false)
                .end()
                .to(attemptUri);
    }
}
