package io.provisioninghub.connectors.deviceidentity;

/**
 * A device credential the hub refuses (SIGNUP-1). {@link #getMessage()} is written for a person (the device's
 * user or an operator's integrator) and is safe to return in an HTTP answer: it names the certificate by its
 * role ("the device certificate", "intermediate certificate 1") and dates, never the certificate's content, a
 * key or a stack trace.
 */
public class DeviceIdentityRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    public DeviceIdentityRefusedException(RefusalReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeviceIdentityRefusedException(RefusalReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RefusalReason reason() {
        return reason;
    }
}
