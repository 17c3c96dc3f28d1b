package io.provisioninghub.connectors.billing;

/**
 * Billing answered an order request with a 4xx: it understood the request and refused it (a plan it does not
 * sell, a number that already has a subscription, an idempotency key used for a different order...). Not
 * transient: sending the same order again gets the same answer, so nothing retries it, and it does not count
 * against the circuit breaker (billing is working).
 * <p>
 * The message carries the HTTP status and billing's own reason. That reason is billing's text, so before it
 * is kept the order's personal data (customer name, e-mail address, number) and anything that looks like a
 * phone number or an e-mail address are replaced by {@code [redacted]}: the message is safe to log.
 */
public class BillingRefusedException extends RuntimeException {

    private final int status;
    private final String reason;

    public BillingRefusedException(int status, String reason) {
        super("billing refused the request: HTTP " + status + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"),
                null, false, false);
        this.status = status;
        this.reason = reason == null ? "" : reason;
    }

    /** The HTTP status billing answered, 400..499 (409: conflict with billing's state). */
    public int status() {
        return status;
    }

    /** Billing's reason (the TMF error's message), redacted; "" when it gave none. */
    public String reason() {
        return reason;
    }
}
