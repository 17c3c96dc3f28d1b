package io.provisioninghub.connectors.smsc;

/** Base of the SMSC connector's failures. Messages never carry the SMS content or the destination. */
public abstract class SmscException extends RuntimeException {

    protected SmscException(String message, Throwable cause) {
        super(message, cause, true, false);
    }

    /** true when the same submit may succeed later (the caller retries with back-off). */
    public abstract boolean transientFailure();

    /** The SMPP command_status (SMPP 3.4 §5.1.3) that caused it, or -1 when no PDU answer was involved. */
    public abstract int commandStatus();
}
