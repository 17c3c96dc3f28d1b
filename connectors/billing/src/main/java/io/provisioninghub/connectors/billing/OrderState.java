package io.provisioninghub.connectors.billing;

/** TMF622 (Product Ordering) v4 product order states, with their wire names. */
public enum OrderState {
    ACKNOWLEDGED("acknowledged"),
    REJECTED("rejected"),
    PENDING("pending"),
    HELD("held"),
    IN_PROGRESS("inProgress"),
    CANCELLED("cancelled"),
    COMPLETED("completed"),
    FAILED("failed"),
    PARTIAL("partial"),
    ASSESSING_CANCELLATION("assessingCancellation"),
    PENDING_CANCELLATION("pendingCancellation");

    private final String wireName;

    OrderState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True once billing will not work on the order any more (it may still have created products: partial). */
    public boolean isFinal() {
        return this == REJECTED || this == CANCELLED || this == COMPLETED || this == FAILED || this == PARTIAL;
    }

    public static OrderState fromWire(String value) {
        for (OrderState s : values()) {
            if (s.wireName.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown TMF622 product order state");
    }
}
