package io.provisioninghub.connectors.billing;

/** Billing could not be asked: the caller answers 503 + Retry-After (RCC.14 Table 8), never 500. */
public class BillingUnavailableException extends RuntimeException {
    public BillingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
