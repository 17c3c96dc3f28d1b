package io.provisioninghub.connectors.billing;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link BillingClient} over the {@link BillingRoutes} (INT-2): one synchronous exchange per lookup, on the
 * caller's thread. Every failure becomes a {@link BillingUnavailableException} whose message says what
 * happened, never to whom.
 */
public final class CamelBillingClient implements BillingClient {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    private final ProducerTemplate producerTemplate;
    // Resolved on first use, not per call: the CamelContext may not be started when this bean is created.
    private volatile Endpoint productsOf;

    public CamelBillingClient(ProducerTemplate producerTemplate) {
        this.producerTemplate = producerTemplate;
    }

    /**
     * @throws IllegalArgumentException    when {@code msisdn} is not E.164 with a leading '+' (a caller's bug,
     *                                     not a billing failure)
     * @throws BillingUnavailableException see {@link BillingClient#productsOf(String)}
     */
    @Override
    public Optional<List<BillingProduct>> productsOf(String msisdn) {
        if (msisdn == null || !E164.matcher(msisdn).matches()) {
            throw new IllegalArgumentException("msisdn must be E.164 with a leading '+'");
        }
        Exchange result = producerTemplate.request(endpoint(), exchange -> exchange.getIn().setBody(msisdn));
        Throwable failure = result.getException();
        if (failure != null) {
            throw unavailable(failure);
        }
        Object body = result.getMessage().getBody();
        if (body instanceof Optional<?> products) {
            @SuppressWarnings("unchecked")
            Optional<List<BillingProduct>> typed = (Optional<List<BillingProduct>>) products;
            return typed;
        }
        // Only a route change could get here; say so rather than return something wrong.
        throw new BillingUnavailableException("billing lookup returned no result", null);
    }

    private Endpoint endpoint() {
        Endpoint endpoint = productsOf;
        if (endpoint == null) {
            endpoint = producerTemplate.getCamelContext().getEndpoint(BillingRoutes.PRODUCTS_OF);
            productsOf = endpoint;
        }
        return endpoint;
    }

    /** The most telling cause decides the message; the cause chain is kept (none of it names the subscriber). */
    static BillingUnavailableException unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CallNotPermittedException) {
                return new BillingUnavailableException("billing circuit breaker is open", t);
            }
            if (t instanceof BillingServerErrorException || t instanceof BillingResponseException) {
                return new BillingUnavailableException(t.getMessage(), t);
            }
            if (t instanceof InterruptedIOException) {
                return new BillingUnavailableException("billing did not answer in time ("
                        + t.getClass().getSimpleName() + ")", t);
            }
            if (t instanceof IOException) {
                return new BillingUnavailableException("billing cannot be reached ("
                        + t.getClass().getSimpleName() + ")", t);
            }
        }
        return new BillingUnavailableException("billing lookup failed (" + failure.getClass().getSimpleName() + ")",
                failure);
    }
}
