package io.provisioninghub.routes.configuration;

/** The three disabling answers of RCC.14 §2.2.2, with the version and validity they carry. */
public enum ResetKind {
    /** Table 4: 0/0, temporary; the client asks again at the next boot. */
    RESET(0),
    /** Table 5: -1/-1, the client stops asking until SIM change or factory reset. */
    RESET_PERMANENTLY(-1),
    /** Table 6: -2/-2, the client stops asking until a user action needs configuration. */
    RESET_UNTIL_USER_ACTION(-2);

    private final int value;

    ResetKind(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
