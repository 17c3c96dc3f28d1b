package io.provisioninghub.connectors.billing;

/** Billing answered 5xx: transient, so retried inside the circuit breaker. */
final class BillingServerErrorException extends RuntimeException {

    private final int status;

    BillingServerErrorException(int status) {
        // No stack trace: thrown on the hot path while billing is failing, and the status says it all.
        super("billing answered HTTP " + status, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
