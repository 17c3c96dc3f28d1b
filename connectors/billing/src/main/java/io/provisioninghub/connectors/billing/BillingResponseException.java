package io.provisioninghub.connectors.billing;

/**
 * Billing answered, but not as the TMF637 contract says (an unexpected status, a body that is not a product
 * list). Not retried: the same request would get the same answer. Messages never quote the body, which
 * could carry subscriber identifiers.
 */
final class BillingResponseException extends RuntimeException {

    BillingResponseException(String message) {
        super(message, null, false, false);
    }
}
