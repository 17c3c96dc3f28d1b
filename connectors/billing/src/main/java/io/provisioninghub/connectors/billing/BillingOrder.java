package io.provisioninghub.connectors.billing;

import java.util.List;

/**
 * A TMF622 product order as billing reports it, reduced to what a saga needs. Holds no personal data.
 *
 * @param id         billing's order id
 * @param externalId the caller's idempotency key
 * @param state      the order's state; {@link OrderState#COMPLETED} once billing created (or terminated) the products
 * @param productIds the TMF637 products the order created or terminated, in item order (empty while none exist)
 */
public record BillingOrder(String id, String externalId, OrderState state, List<String> productIds) {

    public BillingOrder {
        productIds = List.copyOf(productIds);
    }
}
