package io.provisioninghub.connectors.billing;

/** What {@link BillingOrders#cancelSubscription(String)} found and did. */
public enum CancelOutcome {
    /** The subscription's products are terminated in billing (now, or by an earlier cancellation). */
    CANCELLED,
    /** Billing has no order under the key, or the order ended without creating products: nothing to undo. */
    NOTHING_TO_CANCEL,
    /**
     * Billing is still working on the order or on its cancellation (a real billing may complete orders later;
     * the simulator never does): ask again later with the same key, it is idempotent.
     */
    IN_PROGRESS
}
