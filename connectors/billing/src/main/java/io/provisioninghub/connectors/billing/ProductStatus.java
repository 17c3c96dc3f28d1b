package io.provisioninghub.connectors.billing;

/** TMF637 (Product Inventory) v4 product lifecycle states, with their wire names. */
public enum ProductStatus {
    CREATED("created"),
    PENDING_ACTIVE("pendingActive"),
    CANCELLED("cancelled"),
    ACTIVE("active"),
    PENDING_TERMINATE("pendingTerminate"),
    SUSPENDED("suspended"),
    ABORTED("aborted"),
    TERMINATED("terminated");

    private final String wireName;

    ProductStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ProductStatus fromWire(String value) {
        for (ProductStatus s : values()) {
            if (s.wireName.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown TMF637 product status");
    }
}
