package io.provisioninghub.connectors.smsc;

/** Base of the SMSC connector's failures. Messages never carry the SMS content or the destination. */
public abstract class SmscException extends RuntimeException {

    private final int commandStatus;

    protected SmscException(String message, int commandStatus, Throwable cause) {
        super(message, cause, true, false);
        this.commandStatus = commandStatus;
    }

    /** The SMPP command_status of the refusal, or -1 when no PDU answer was involved. */
    public int commandStatus() {
        return commandStatus;
    }

    /** true when the same submit may succeed later (the caller retries with back-off). */
    public abstract boolean transientFailure();
}
