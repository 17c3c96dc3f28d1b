package io.provisioninghub.connectors.billing;

import java.util.List;
import java.util.Optional;

/**
 * The operator's billing system as sign-up uses it (INT-2: create and cancel subscriptions; SIGNUP-2/3): the
 * plans (TMF620 Product Catalog) and subscription orders (TMF622 Product Ordering). Separate from
 * {@link BillingClient}, whose read path serves every device's configuration request and stays untouched.
 * Implementations are thread-safe.
 * <p>
 * Every write is idempotent by the caller's key, so a saga can repeat any step after any failure:
 * <ul>
 *   <li>{@link #createSubscription} with a key billing already has returns that order, never a second one;</li>
 *   <li>after a {@link BillingUnavailableException} the order may or may not exist (the answer may have been
 *       lost), and after a timeout billing may still be creating it. To compensate, repeat
 *       {@link #createSubscription} with the same key until it answers (it returns the order or creates it,
 *       never a second one), then {@link #cancelSubscription}: cancelling at once could find nothing while
 *       the order is still on its way, and leave it orphaned;</li>
 *   <li>{@link #cancelSubscription} twice, or for a key billing never saw, is not an error.</li>
 * </ul>
 * Failures: {@link BillingUnavailableException} (unreachable, timeout, 5xx after retries, an answer outside
 * the contract, circuit breaker open: the outcome is unknown, try again later), {@link BillingRefusedException}
 * (4xx: billing refused, trying again will not help). No message or log line carries personal data.
 */
public interface BillingOrders {

    /** The plans billing sells, in its catalogue's order. */
    List<Plan> plans();

    /**
     * Orders a subscription: billing creates the plan's products for the number (TMF622 order, action "add").
     *
     * @return the order; {@link OrderState#COMPLETED} with its product ids once billing created them
     * @throws BillingRefusedException when billing refuses the order (unknown plan, number already subscribed,
     *                                 key already used for a different order)
     */
    BillingOrder createSubscription(SubscriptionOrder order);

    /** The order created under this key ({@link SubscriptionOrder#idempotencyKey()}), if billing has one. */
    Optional<BillingOrder> findOrderByExternalId(String idempotencyKey);

    /**
     * Ends the subscription ordered under this key: a TMF622 order with action "delete" for its products, under
     * a key of its own derived from this one (so cancelling twice is one cancellation).
     */
    CancelOutcome cancelSubscription(String idempotencyKey);
}
