package io.provisioninghub.connectors.billing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A new subscription to order in billing (SIGNUP-2/3, INT-2).
 * <p>
 * The number is the caller's: the hub allocates IMSI and MSISDN from the HLR's pools, and billing bills that
 * number (the inventory is keyed by it: {@link BillingClient#productsOf(String)} then sees the subscription).
 * <p>
 * {@link #toString()} shows the key and the plan only: the rest is personal data.
 *
 * @param idempotencyKey the caller's key (TMF {@code externalId}): the same key always means the same order,
 *                       so a repeated submit or a retry after a lost answer never creates a second subscription.
 *                       1..64 characters of {@code A-Z a-z 0-9 . _ -} (a UUID fits)
 * @param planId         the plan ({@link Plan#id()})
 * @param msisdn         the number to bill, E.164 with a leading '+'
 * @param customer       who signs up
 */
public record SubscriptionOrder(String idempotencyKey, String planId, String msisdn, Customer customer) {

    /** The key alphabet leaves out ':', which the cancellation's own key uses, so the two can never collide. */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    /**
     * @throws IllegalArgumentException when a field is missing or malformed (a caller's bug: billing is not asked)
     */
    public SubscriptionOrder {
        requireKey(idempotencyKey);
        if (planId == null || planId.isBlank()) {
            throw new IllegalArgumentException("planId is required");
        }
        if (msisdn == null || !E164.matcher(msisdn).matches()) {
            throw new IllegalArgumentException("msisdn must be E.164 with a leading '+'");
        }
        Objects.requireNonNull(customer, "customer");
    }

    static void requireKey(String idempotencyKey) {
        if (idempotencyKey == null || !KEY.matcher(idempotencyKey).matches()) {
            throw new IllegalArgumentException("the idempotency key must be 1..64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    @Override
    public String toString() {
        return "SubscriptionOrder[idempotencyKey=" + idempotencyKey + ", planId=" + planId + ", msisdn=(redacted)"
                + ", customer=(redacted)]";
    }

    /**
     * @param name  the customer's name as typed, required
     * @param email an e-mail address for billing, or null
     */
    public record Customer(String name, String email) {

        public Customer {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the customer's name is required");
            }
            if (email != null && email.isBlank()) {
                email = null;
            }
        }

        @Override
        public String toString() {
            return "Customer[(redacted)]";
        }
    }
}
