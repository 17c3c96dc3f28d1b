package io.provisioninghub.connectors.billing;

import java.util.List;
import java.util.Optional;

/** The operator's billing system as the hub reads it (requirement INT-2). Implementations are thread-safe. */
public interface BillingClient {

    /**
     * The products of one subscriber.
     *
     * @param msisdn E.164 with a leading '+'
     * @return empty when billing does not know the subscriber (HTTP 404 or an empty inventory)
     * @throws BillingUnavailableException when billing cannot be reached, times out, answers 5xx,
     *                                     or the circuit breaker is open
     */
    Optional<List<BillingProduct>> productsOf(String msisdn);
}
