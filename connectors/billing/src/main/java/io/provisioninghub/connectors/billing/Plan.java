package io.provisioninghub.connectors.billing;

import java.math.BigDecimal;
import java.util.List;

/**
 * A plan a customer can sign up for: a sellable TMF620 product offering from billing's catalogue.
 *
 * @param id          the offering id, what {@link SubscriptionOrder#planId()} names
 * @param name        the plan's name, for the sign-up page
 * @param description its description, for the sign-up page ("" when billing gives none)
 * @param price       the recurring price; null when billing lists none
 * @param services    the hub services the plan entitles to ("ims", "messaging"), as the inventory's products name them
 */
public record Plan(String id, String name, String description, Price price, List<String> services) {

    public Plan {
        services = List.copyOf(services);
    }

    /**
     * @param amount   tax included
     * @param currency ISO 4217, e.g. "USD"
     * @param period   the TMF recurring charge period, e.g. "month"
     */
    public record Price(BigDecimal amount, String currency, String period) {
    }
}
