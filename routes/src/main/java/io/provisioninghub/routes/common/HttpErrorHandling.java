package io.provisioninghub.routes.common;

import io.provisioninghub.connectors.billing.BillingUnavailableException;
import io.provisioninghub.connectors.hlr.HlrUnavailableException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The error handling every HTTP route opts into ({@code .routeConfigurationId(ID)}), so that no input and no
 * outage turns into a stack trace on the wire (RCC.14 Table 8, CFG-7):
 * <ul>
 *   <li>{@link RequestRejected} → the status it carries (403, 409, 503, 511 ...);</li>
 *   <li>a back end that cannot be reached (HLR, billing, the hub's own database) → 503 + Retry-After, since
 *       the client retries after that delay (Table 8) rather than giving up until the next reboot;</li>
 *   <li>anything else → 500 with a fixed body; the cause is logged, never sent.</li>
 * </ul>
 */
@Component
public class HttpErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "http-error-handling";
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorHandling.class);

    private final Duration unavailableRetryAfter;
    private final ResponseMetrics metrics;

    public HttpErrorHandling(@Value("${hub.policy.unavailable-retry-after:60s}") Duration unavailableRetryAfter,
                             ResponseMetrics metrics) {
        this.unavailableRetryAfter = unavailableRetryAfter;
        this.metrics = metrics;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(RequestRejected.class).handled(true)
                .process(exchange -> {
                    RequestRejected rejected = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRejected.class);
                    // The reason is a fixed text (never request data), so it may be logged and counted.
                    LOG.debug("Route {} answered {}: {}", exchange.getFromRouteId(), rejected.response().status(),
                            rejected.getMessage());
                    metrics.record(exchange.getFromRouteId(), rejected.response().status(), rejected.getMessage());
                    HttpResponses.write(exchange, rejected.response());
                })
                .end()
                .onException(HlrUnavailableException.class, BillingUnavailableException.class,
                        BackEndUnavailableException.class,
                        CannotGetJdbcConnectionException.class, TransientDataAccessException.class).handled(true)
                .process(exchange -> {
                    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    LOG.warn("Back end unavailable, answering 503: {}", cause.getClass().getSimpleName());
                    metrics.record(exchange.getFromRouteId(), 503, "back end unavailable: " + cause.getClass().getSimpleName());
                    HttpResponses.write(exchange, HubResponse.text(503, "Service Unavailable")
                            .withHeader("Retry-After", Long.toString(unavailableRetryAfter.toSeconds())));
                })
                .end()
                .onException(Exception.class).handled(true)
                .process(exchange -> {
                    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    LOG.error("Internal error in route {}", exchange.getFromRouteId(), cause);
                    metrics.record(exchange.getFromRouteId(), 500, "internal error");
                    HttpResponses.write(exchange, HubResponse.text(500, "Internal Server Error"));
                })
                .end();
    }
}
